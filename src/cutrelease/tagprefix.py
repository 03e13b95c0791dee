"""Learn the tag prefix ("v" or none) from the tags and links a project already has."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT = "v"


def learn(
    root: Path, git_dir: Path, *, version: str | None, changelog: str
) -> tuple[str, str | None]:
    """(prefix, how it was learned) for a project whose config does not set tag_prefix."""
    if version is None:
        return DEFAULT, None
    if _tag_exists(git_dir, DEFAULT + version):
        return DEFAULT, None
    if _tag_exists(git_dir, version):
        return "", f"tags have no prefix (learned from the existing tag {version})"
    if _links_use_bare_version(root / changelog, version):
        return "", f"tags have no prefix (learned from {changelog}'s links to {version})"
    return DEFAULT, None


def _tag_exists(git_dir: Path, name: str) -> bool:
    # Read the ref store directly: check-tag and version must not pay for starting git.
    common = _common_dir(git_dir)
    if (common / "refs" / "tags" / name).is_file():
        return True
    try:
        packed = (common / "packed-refs").read_text("utf-8")
    except OSError:
        return False
    return f" refs/tags/{name}\n" in packed


def _common_dir(git_dir: Path) -> Path:
    try:
        pointer = (git_dir / "commondir").read_text("utf-8").strip()
    except OSError:
        return git_dir
    return (git_dir / pointer).resolve()


def _links_use_bare_version(path: Path, version: str) -> bool:
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return False
    escaped = re.escape(version)
    # A compare or tag URL naming the version right after "/" or "..." and no "v" before it.
    bare = re.search(rf"(?:/|\.\.\.|%0D){escaped}(?:\.\.\.|%0D|[)\s>]|$)", text, re.MULTILINE)
    prefixed = re.search(rf"(?:/|\.\.\.|%0D)v{escaped}\b", text)
    return bare is not None and prefixed is None
