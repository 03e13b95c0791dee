"""Where a work tree's git folder is, and the files bump keeps in it (its lock, its journal)."""

from __future__ import annotations

from pathlib import Path

#: The release lock under the git folder, held with flock while a release runs (see lock.py).
LOCK_NAME = "cutrelease.lock"
#: The journal of a release under way, for `bump recover` after a kill (see journal.py).
JOURNAL_NAME = "cutrelease-journal.json"


def git_dir(root: Path) -> Path:
    """The work tree's .git folder, without running git (a worktree's .git is a file)."""
    dot_git = root / ".git"
    return gitfile_target(dot_git) if dot_git.is_file() else dot_git


def gitfile_target(gitfile: Path) -> Path:
    """The folder a "gitdir: PATH" file (a worktree's or submodule's .git) points to."""
    pointer = gitfile.read_text("utf-8").strip().removeprefix("gitdir:").strip()
    return (gitfile.parent / pointer).resolve()
