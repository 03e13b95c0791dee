"""One bump at a time per repository: a lock file under .git/ naming its process."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from cutrelease.errors import Refused

LOCK_NAME = "cutrelease.lock"


@contextlib.contextmanager
def held(git_dir: Path) -> Iterator[None]:
    """Hold the repository's release lock for the duration of the block."""
    path = git_dir / LOCK_NAME
    _take(path)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _take(path: Path) -> None:
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _owner(path)
            if owner is not None and process_alive(owner):
                raise Refused(
                    f"Another bump (process {owner}) is running in this repository.",
                    hint=f"Wait for it to finish; if it is gone, delete {path}.",
                ) from None
            # The process that left it is dead: the lock is stale and must not block forever.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return
    raise Refused(f"Could not take the lock {path}.", hint="Delete it if no bump is running.")


def held_by_live_process(git_dir: Path) -> bool:
    """Whether a running bump holds the lock (e.g. while its commit runs the hooks)."""
    owner = _owner(git_dir / LOCK_NAME)
    return owner is not None and process_alive(owner)


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
