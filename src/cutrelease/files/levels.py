"""The level of release a changelog's entries call for, as SemVer reads them.

SemVer 2.0 (https://semver.org/): an incompatible change is a major release, a new feature a
minor one, a fix a patch. Keep a Changelog's headings say which an entry is: Removed, or an
entry that starts with `BREAKING` or `**Breaking**`, calls for major; Added, Changed and
Deprecated for minor; Fixed and Security for patch. Before 1.0.0 (SemVer's initial
development, "anything may change") a major call is a minor one, as most Python projects
treat it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from cutrelease import versions
from cutrelease.patterns import compiled

__all__ = ["LEVELS", "Call", "called_for", "describe", "lower_than", "of_release"]

LEVELS = ("patch", "minor", "major")  # lowest first
_BY_CATEGORY = {
    "Removed": "major",
    "Added": "minor",
    "Changed": "minor",
    "Deprecated": "minor",
    "Fixed": "patch",
    "Security": "patch",
}
_BREAKING = r"BREAKING\b|\*\*breaking\b|__breaking\b"


class Call(NamedTuple):
    """The level called for, and the entry that calls for it (`where` names it:
    `CHANGELOG.md:12`, `changelog.d/12.removal.md:1`)."""

    level: str  # patch, minor or major
    text: str  # the entry's first line, without its list marker
    where: str
    category: str  # its heading ("" for an entry under none)
    breaking: bool  # it starts with BREAKING or **Breaking**


def called_for(entries: Iterable[tuple[str, str, str]], *, current: str) -> Call | None:
    """The highest level the entries call for, with the first entry calling for it; None when
    none calls for any (no entries, or none under the six headings).

    `entries` are (category, first line without the marker, where) — fragments.Entry's
    category, text and where. `current` is the version released from: below 1.0.0 a major
    call is a minor one.
    """
    best: Call | None = None
    for category, text, where in entries:
        breaking = _is_breaking(text)
        level = "major" if breaking else _BY_CATEGORY.get(category)
        if level is None:
            continue
        if best is None or LEVELS.index(level) > LEVELS.index(best.level):
            best = Call(level, text, where, category, breaking)
    if best is not None and best.level == "major" and _initial(current):
        best = best._replace(level="minor")
    return best


def _is_breaking(text: str) -> bool:
    """`BREAKING: …`, `BREAKING CHANGE …`, `**Breaking**: …` (upper-case BREAKING only, so
    that "Breaking up the module" is prose)."""
    stripped = text.lstrip()
    if stripped.startswith("BREAKING"):
        return compiled(_BREAKING, re.IGNORECASE).match(stripped) is not None
    return stripped.lower().startswith(("**breaking", "__breaking"))


def _initial(current: str) -> bool:
    """SemVer's initial development: a major version of zero."""
    return versions.line(current, 1) == (0,)


def lower_than(level: str, call: Call | None) -> bool:
    """Whether a release of `level` (patch, minor, major) is lower than `call` asks."""
    if call is None or level not in LEVELS:
        return False
    return LEVELS.index(level) < LEVELS.index(call.level)


def of_release(old: str, new: str) -> str | None:
    """The level of a release from `old` to `new` (1.2.3 -> 1.3.0 is minor); None when `old`
    is a pre-release (its level was the pre-release line's) or `new` does not move past it."""
    before, after = versions.parse(old), versions.parse(new)
    if not versions.is_final(before) or after <= before:
        return None
    if versions.line(after, 1) != versions.line(before, 1):
        return "major"
    return "minor" if versions.line(after, 2) != versions.line(before, 2) else "patch"


def describe(call: Call) -> str:
    """The call in words: `a minor release (changelog.d/3.feature.md:1, under Added: 'New.')`."""
    under = f"under {call.category}: " if call.category and not call.breaking else ""
    text = call.text if len(call.text) <= 60 else call.text[:57] + "..."
    return f"a {call.level} release ({call.where}, {under}{text!r})"
