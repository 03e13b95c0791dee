"""Refs read from git's files ref store, without starting git: every check pays less.

They read only a files ref store (see files_store); GitRepo asks git for anything else.
"""

from __future__ import annotations

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
    try:
        text = (common_dir(git_dir) / "packed-refs").read_text("utf-8")
    except OSError:
        return None
    at = text.find(f" {ref}\n")
    if at < 0:
        return None
    return text[text.rfind("\n", 0, at) + 1 : at] or None


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
