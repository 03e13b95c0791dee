"""SemVer X.Y.Z arithmetic (pure)."""

from __future__ import annotations

import re

from cutrelease.errors import Refused

PARTS = ("major", "minor", "patch")
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def parse(version: str) -> tuple[int, int, int]:
    """The (major, minor, patch) of a plain SemVer `X.Y.Z`, or Refused."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise Refused(
            f"The version {version!r} in pyproject.toml is not a SemVer X.Y.Z version.",
            hint="Set [project].version to a version like 1.2.3.",
        )
    major, minor, patch = (int(group) for group in match.groups())
    return major, minor, patch


def bump(version: str, part: str) -> str:
    """The next version after `version` for `part` (major, minor or patch)."""
    major, minor, patch = parse(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown part {part!r}")
