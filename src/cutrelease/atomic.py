"""Atomic file writes: a temporary file beside the target, fsync, then rename."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def temp_path(path: Path) -> Path:
    """The temporary file write_atomic writes `path` through: `.NAME.cutrelease`, beside it.

    One fixed name, not a random one: a process killed mid-write leaves a file whose name
    follows from the target's, so that whoever journaled the target (the release, its undo)
    can remove it without having journaled anything more.
    """
    return path.with_name(f".{path.name}.cutrelease")


def discard_temp(path: Path) -> None:
    """Remove the temporary file a killed write_atomic of `path` left, if any."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp_path(path))


def write_atomic(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replace `path` with `data` so a reader sees the old or the new bytes, never half.

    `durable` also survives power loss (fsync of the file and its folder); without it the
    write still survives the process being killed. The bytes go through temp_path(path),
    which a killed write leaves (see discard_temp); a file already there by that name (left
    by such a write) is replaced, never written through if it is a link.
    """
    if mode is None:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    temp = temp_path(path)
    discard_temp(path)
    try:
        _write_temp(temp, data, mode=mode, durable=durable)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if durable:
        fsync_folder(path.parent)


def _write_temp(temp: Path, data: bytes, *, mode: int, durable: bool) -> None:
    """Write the temporary file `temp` (created here, never through a link), with `mode`."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.chmod(temp, mode)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable: a rename is on disk only once its folder is synced."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
