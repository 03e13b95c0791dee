"""The CI guard: the pushed tag must be tag_prefix + [project].version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutrelease.errors import Refused

if TYPE_CHECKING:  # only for the annotation: check-tag imports little
    from cutrelease.files.sources import Source


def holder(source: Source, pyproject: str) -> str:
    """The file that holds the version, as check-tag's messages name it: the file of its place
    (`src/widget/__about__.py`), the changelog for a version from tags, else `pyproject`."""
    if source.place is not None:
        return source.place.path
    return source.changelog or pyproject


def check_tag(tag: str, *, version: str, prefix: str, source: str = "pyproject.toml") -> str:
    """The tag name (refs/tags/ stripped) when it names the version, else Refused naming both.

    Versions compare as PEP 440 says: tag v1.3.0-rc.1 matches version 1.3.0rc1. `source` is
    the file that holds the version (see `holder`; a member's is in its folder), for the message.
    """
    name = tag.strip().removeprefix("refs/tags/")
    expected = prefix + version
    if name == expected or _same_version(name.removeprefix(prefix), version, prefix, name):
        return name
    hint = f"Release with `bump`, which tags what {source} says."
    if name == version and prefix:
        raise Refused(
            f"Tag {name!r} lacks the tag prefix {prefix!r}: {source}'s version {version} "
            f"is released as tag {expected!r}.",
            hint=hint,
        )
    raise Refused(
        f"Tag {name!r} does not match {source}'s version {version} (expected tag {expected!r}).",
        hint=hint,
    )


def _same_version(written: str, version: str, prefix: str, tag: str) -> bool:
    """Whether the tag names the version in another PEP 440 spelling (v1.3.0-rc.1, 1.3.0rc1)."""
    if not tag.startswith(prefix) or not written[:1].isdigit():  # "v1.0" is no bare version
        return False
    from packaging.version import InvalidVersion, Version  # only when the names differ

    try:
        return Version(written) == Version(version)
    except InvalidVersion:
        return False
