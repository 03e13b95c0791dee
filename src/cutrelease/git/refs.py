"""Refs read from git's files ref store, without starting git: every check pays less.

They read only a files ref store (see files_store); GitRepo asks git for anything else.
"""

from __future__ import annotations

import os
from pathlib import Path


def files_store(git_dir: Path) -> bool:
    """Whether refs are plain files (not reftable), so that this module can read them."""
    return not (common_dir(git_dir) / "reftable").exists()


def resolve(git_dir: Path, ref: str) -> str | None:
    """The object a full ref name (refs/...) points at, from a loose file or packed-refs."""
    common = common_dir(git_dir)
    try:
        return (common / ref).read_text("ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        pass
    return packed(git_dir, ref)


def packed(git_dir: Path, ref: str) -> str | None:
    """The object packed-refs records for a full ref name, if any."""
    text = packed_text(git_dir)
    if text is None:
        return None
    at = text.find(f" {ref}\n")
    if at < 0:
        return None
    return text[text.rfind("\n", 0, at) + 1 : at] or None


def packed_text(git_dir: Path) -> str | None:
    """packed-refs' text, None without one; read once while the file stays the same (git
    replaces it whole, a new file each time): a command asks it for several refs, and in a
    repository of thousands of tags it is megabytes."""
    path = common_dir(git_dir) / "packed-refs"
    try:
        seen = os.stat(path)
    except OSError:
        return None
    key = (str(path), seen.st_ino, seen.st_mtime_ns, seen.st_size)
    text = _packed_read.get(key)
    if text is None:
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            return None
        _packed_read.clear()  # the last one only
        _packed_read[key] = text
    return text


# The last packed-refs read, by its path and what stat says of it (see packed_text).
_packed_read: dict[tuple[str, int, int, int], str] = {}


def head(git_dir: Path) -> tuple[str, str | None] | None:
    """(refs/heads/NAME or "HEAD" when detached, commit or None); None if HEAD is unreadable."""
    try:
        text = (git_dir / "HEAD").read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if text.startswith("ref: "):
        ref = text.removeprefix("ref: ")
        return ref, resolve(git_dir, ref)
    return "HEAD", text


def common_dir(git_dir: Path) -> Path:
    """The .git folder holding refs: a linked worktree's points to its main repository's."""
    try:
        pointer = (git_dir / "commondir").read_text("utf-8").strip()
    except OSError:
        return git_dir
    return (git_dir / pointer).resolve()


def drop_loose(git_dir: Path, ref: str, sha: str) -> None:
    """Remove `ref`'s loose file if it and packed-refs both hold `sha` (the ref is unchanged).

    Under the ref's own git lock (refs/...lock), as git changes a ref; a missing or different
    loose file, or a packed-refs that does not agree, is left as it is.
    """
    from cutrelease.git.lock import git_lock

    loose = common_dir(git_dir) / ref
    if not loose.is_file():
        return
    with git_lock(loose):
        try:
            held = loose.read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return
        if held == sha and packed(git_dir, ref) == sha:
            loose.unlink()


def reflog_path(git_dir: Path, ref: str) -> Path:
    """Where git keeps the reflog of a full ref name (HEAD's: this work tree's own)."""
    return (git_dir if ref == "HEAD" else common_dir(git_dir)) / "logs" / ref


def reflog_size(git_dir: Path, ref: str) -> int | None:
    """The size in bytes of `ref`'s reflog; None if it has none (or refs are not files)."""
    if not files_store(git_dir):
        return None
    try:
        return reflog_path(git_dir, ref).stat().st_size
    except OSError:
        return None


def reflog_move_after(git_dir: Path, ref: str, size: int) -> tuple[str, str] | None:
    """(old, new) of the first update of `ref` git logged past the reflog's first `size`
    bytes; None if there is none yet.

    A reflog line is "OLD NEW NAME <EMAIL> TIME ZONE\\tMESSAGE\\n", appended by git as it
    moves the ref (git's refs/files-backend.c, log_ref_write_fd).
    """
    try:
        with reflog_path(git_dir, ref).open("rb") as log:
            log.seek(size)
            line = log.readline()
    except OSError:
        return None
    fields = line.split(b" ", 2)
    if len(fields) < 3 or not line.endswith(b"\n"):
        return None
    try:
        return fields[0].decode("ascii"), fields[1].decode("ascii")
    except UnicodeDecodeError:
        return None
