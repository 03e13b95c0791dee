"""One bump at a time per repository: a lock file under .git/, held with flock.

The kernel drops the lock when its process dies, so a lock left by a kill -9 never blocks;
the file names its process only for the message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from cutrelease.atomic import fsync_folder
from cutrelease.errors import Refused
from cutrelease.git.gitdir import LOCK_NAME


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
            raise _held_by(_owner(path)) from None
        if _still_at(fd, path):
            # Only for the message of a bump that finds it held: a full disk must not stop
            # the release here (and leave this file behind), it is refused at the journal.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # its holder removed it between our open and our lock: take the new one


def _still_at(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def refuse_if_held(git_dir: Path) -> None:
    """Refused, naming its process, while a bump holds the release lock: a running release
    (wait for it), or the push of a killed one, which keeps the lock while it lives."""
    if held_by_live_process(git_dir):
        raise _held_by(_owner(git_dir / LOCK_NAME))


def _held_by(owner: int | None) -> Refused:
    """The refusal for a release lock someone holds: the process in the lock file, if alive,
    is a bump at work; if dead, what still holds the lock is its push (see held)."""
    if owner is not None and _alive(owner):
        return Refused(
            f"Another bump (process {owner}) is releasing in this repository.",
            hint="Wait for it to finish, then try again.",
        )
    who = "" if owner is None else f" (process {owner}, ended)"
    return Refused(
        f"The push of an interrupted bump{who} is still running and holds this repository's "
        "release lock.",
        hint="Wait for it to finish, then run `bump recover`.",
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


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


# -- git's own lock files ---------------------------------------------------------------------
# git guards each file it rewrites (the index, a ref and its reflog) with FILE.lock: created
# with O_EXCL, written, then renamed over FILE (or removed to give up). An undo that puts one
# of those files back follows the same protocol, so that it never writes under a running git.
#
# A lock cutrelease takes is created with OURS, a mode git never gives one (git creates its
# locks 0666 less the umask): a kill -9 that leaves it behind leaves it recognisable, and
# `bump recover` removes it (remove_if_ours) where the journal says one may have been taken;
# a lock git holds is never touched.

#: The mode of the lock files cutrelease creates: read-only for its owner, as git never makes.
OURS = 0o400

#: How long an undo waits for a git command to let go of its lock. git itself waits up to
#: 1 s for packed-refs.lock (core.packedRefsTimeout); an undo has to happen, so a little longer.
GIT_LOCK_WAIT = 3.0


class GitLock:
    """git's lock on `target` (`target`.lock), held: `replace` commits it, leaving gives it up."""

    def __init__(self, target: Path, fd: int) -> None:
        self.target = target
        self.path = target.with_name(target.name + ".lock")
        self._fd: int | None = fd

    def replace(self, data: bytes, *, mode: int) -> None:
        """Write `data` into the lock file and rename it over the target, as git commits a lock.

        Durable (file and folder fsynced): an undo must survive a power loss.
        """
        assert self._fd is not None, "a lock is committed once"
        fd, self._fd = self._fd, None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        # Renamed with the lock's mode, then given its own: a kill in between leaves the target
        # with a mode that differs from the journal's, which the next undo puts right.
        os.replace(self.path, self.target)
        os.chmod(self.target, mode)
        fsync_folder(self.target.parent)

    def release(self) -> None:
        """Give the lock up, leaving the target as it is (git's rollback_lock_file)."""
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def git_lock(target: Path, *, wait: float = GIT_LOCK_WAIT) -> Iterator[GitLock]:
    """Hold git's lock on `target` for the block (`target`.lock, created with O_EXCL).

    While another process (a git command) holds it, wait up to `wait` seconds, then raise
    Refused naming the lock file: it is never removed or written over, since its owner may
    still be running.
    """
    lock_path = target.with_name(target.name + ".lock")
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, OURS)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise _busy(lock_path) from None
            time.sleep(0.02)
    held = GitLock(target, fd)
    try:
        yield held
    finally:
        held.release()


def remove_if_ours(target: Path) -> bool:
    """Remove `target`.lock if cutrelease took it (its mode is OURS, its owner this user): a
    lock a killed undo left. Whether one was removed; git's own locks are left alone."""
    lock_path = target.with_name(target.name + ".lock")
    try:
        found = os.lstat(lock_path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    mine = stat.S_ISREG(found.st_mode) and found.st_uid == os.getuid()
    if mine and stat.S_IMODE(found.st_mode) == OURS:
        lock_path.unlink(missing_ok=True)
        return True
    return False


def wait_for_git_lock(target: Path, *, wait: float = GIT_LOCK_WAIT) -> None:
    """Return once no git command holds `target`.lock, taking nothing; Refused as git_lock."""
    lock_path = target.with_name(target.name + ".lock")
    deadline = time.monotonic() + wait
    while lock_path.exists():
        if time.monotonic() >= deadline:
            raise _busy(lock_path)
        time.sleep(0.02)


def _busy(lock_path: Path) -> Refused:
    return Refused(
        f"A git command is still running in this repository ({lock_path} exists).",
        hint=f"Wait for it to finish, or delete {lock_path} if no git is running.",
    )
