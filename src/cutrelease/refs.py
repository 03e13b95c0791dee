"""Tags read from git's files ref store, without starting git: every check pays less."""

from __future__ import annotations

from pathlib import Path


def tag_exists(git_dir: Path, name: str) -> bool | None:
    """Whether refs/tags/NAME exists; None when refs are not plain files (ask git then)."""
    common = common_dir(git_dir)
    if (common / "reftable").exists():
        return None
    if (common / "refs" / "tags" / name).is_file():
        return True
    try:
        packed = (common / "packed-refs").read_text("utf-8")
    except OSError:
        return False
    return f" refs/tags/{name}\n" in packed


def common_dir(git_dir: Path) -> Path:
    """The .git folder holding refs: a linked worktree's points to its main repository's."""
    try:
        pointer = (git_dir / "commondir").read_text("utf-8").strip()
    except OSError:
        return git_dir
    return (git_dir / pointer).resolve()
