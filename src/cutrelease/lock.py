"""One bump at a time per repository: a lock file under .git/, held with flock.

The kernel drops the lock when its process dies, so a lock left by a kill -9 never blocks;
the file names its process only for the message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from cutrelease.errors import Refused

LOCK_NAME = "cutrelease.lock"


@contextlib.contextmanager
def held(git_dir: Path) -> Iterator[int]:
    """Hold the repository's release lock for the duration of the block; yields its fd.

    A process given the fd (the push) holds the lock too, for as long as it lives: recover
    cannot decide while a killed release's push may still reach the remote.
    """
    path = git_dir / LOCK_NAME
    fd = _take(path)
    try:
        yield fd
    finally:
        # Removed while still held: a process that opened this file meanwhile sees it is gone.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def _take(path: Path) -> int:
    deadline = time.monotonic() + 1.0  # a `bump check` probing the lock holds it only briefly
    while True:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            owner = _owner(path)
            raise Refused(
                f"Another bump (process {owner or 'unknown'}), or the push of an interrupted "
                "one, holds this repository's release lock.",
                hint="Wait for it to finish, then try again.",
            ) from None
        if _still_at(fd, path):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # its holder removed it between our open and our lock: take the new one


def _still_at(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def held_by_live_process(git_dir: Path) -> bool:
    """Whether a running bump holds the lock (e.g. while its commit runs the hooks)."""
    try:
        fd = os.open(git_dir / LOCK_NAME, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
