"""Learn the tag prefix ("v" or none) from the tags and links a project already has, or from
the remote's tags when this clone has none (a shallow or `--no-tags` CI checkout)."""

from __future__ import annotations

import re
from pathlib import Path

from cutrelease.git import refs

DEFAULT = "v"
#: The prefixes a project's tags are learned to have, in the order they are looked for.
CANDIDATES = (DEFAULT, "")


def learn(
    root: Path, git_dir: Path, *, version: str | None, changelog: str
) -> tuple[str | None, str | None]:
    """(prefix, how it was learned) for a project whose config does not set tag_prefix.

    The prefix is None when nothing here tells it (no tag of `version` with either prefix, no
    changelog link to it): then the remote's tags decide (see from_remote).
    """
    if version is None:
        return DEFAULT, None
    if _tag_exists(git_dir, DEFAULT + version):
        return DEFAULT, None
    if _tag_exists(git_dir, version):
        return "", f"tags have no prefix (learned from the existing tag {version})"
    linked = _links_prefix(root / changelog, version)
    if linked == "":
        return "", f"tags have no prefix (learned from {changelog}'s links to {version})"
    return linked, None


def from_remote(
    remote_refs: dict[str, str], remote: str, *, version: str
) -> tuple[str, str | None]:
    """(prefix, how it was learned) from the tags of `version` a remote has (`remote_refs`,
    full ref names, asked for both CANDIDATES): "v" when it has that tag or neither.

    Neither: the current version was never tagged anywhere (a first release), and the
    documented default applies; nothing is guessed over a tag that exists.
    """
    if f"refs/tags/{DEFAULT}{version}" in remote_refs:
        return DEFAULT, None
    if f"refs/tags/{version}" in remote_refs:
        return "", f"tags have no prefix (learned from the tag {version} on {remote})"
    return DEFAULT, None


def _tag_exists(git_dir: Path, name: str) -> bool:
    # Without git, so that check-tag answers at once; a reftable store falls to the links.
    return refs.files_store(git_dir) and refs.resolve(git_dir, f"refs/tags/{name}") is not None


def _links_prefix(path: Path, version: str) -> str | None:
    """The prefix the changelog's links give `version`'s tag: "" (bare), "v", or None when
    they do not name it (or name it both ways)."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return None
    escaped = re.escape(version)
    # A compare or tag URL naming the version right after "/" or "..." and no "v" before it.
    bare = re.search(rf"(?:/|\.\.\.|%0D){escaped}(?:\.\.\.|%0D|[)\s>]|$)", text, re.MULTILINE)
    prefixed = re.search(rf"(?:/|\.\.\.|%0D)v{escaped}\b", text)
    if bare is not None and prefixed is None:
        return ""
    if prefixed is not None and bare is None:
        return DEFAULT
    return None
