"""The CI guard: the pushed tag must be tag_prefix + [project].version."""

from __future__ import annotations

from cutrelease.errors import Refused


def check_tag(tag: str, *, version: str, prefix: str) -> str:
    """The tag name (refs/tags/ stripped) when it matches the version, else Refused naming both."""
    name = tag.strip().removeprefix("refs/tags/")
    expected = prefix + version
    if name == expected:
        return name
    hint = "Release with `bump`, which tags what pyproject.toml says."
    if name == version and prefix:
        raise Refused(
            f"Tag {name!r} lacks the tag prefix {prefix!r}: pyproject.toml's version {version} "
            f"is released as tag {expected!r}.",
            hint=hint,
        )
    raise Refused(
        f"Tag {name!r} does not match pyproject.toml's version {version} "
        f"(expected tag {expected!r}).",
        hint=hint,
    )
