"""Text edits of the version: splices at an offset, and the proof nothing else changed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cutrelease.errors import FileFormatError, Refused
from cutrelease.files import spans
from cutrelease.files.sources.base import Place, line_of


def splice_place(text: str, path: str, start: int, version: str, *, what: str) -> Place:
    """The place of `version`, written at offset `start` of `text`, changed by a splice."""

    def edit(text: str, new: str) -> str:
        return splice(text, start, version, new, path)

    return Place(path, line_of(text, start), version, what, edit, start)


def splice(text: str, start: int, old: str, new: str, path: str) -> str:
    """`text` with `old`, at offset `start`, written as `new`."""
    end = start + len(old)
    if text[start:end] != old:  # pragma: no cover - places are applied last to first
        raise FileFormatError(path, "changed while its version was being moved.")
    return text[:start] + new + text[end:]


def pattern_place(text: str, path: str, pattern: str, *, what: str) -> Place:
    """The first match of a backend's `pattern` (hatchling and pdm: re.MULTILINE)."""
    try:
        regex = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise Refused(f"{what} {pattern!r} is not a regular expression ({exc}).") from None
    if "version" not in regex.groupindex:
        raise Refused(
            f"{what} {pattern!r} has no group named version.",
            hint="Name the version's group: (?P<version>...).",
        )
    match = regex.search(text)
    if match is None or match["version"] is None:
        raise FileFormatError(
            path,
            f"has no version matching {what} {pattern!r}.",
            hint="Fix the file, or the pattern in pyproject.toml.",
        )
    return splice_place(text, path, match.start("version"), match["version"], what="version")


def reformatted(path: str) -> FileFormatError:
    """The refusal of an edit that would change more than the version."""
    return FileFormatError(
        path,
        "cannot be rewritten without changing more than the version line.",
        hint="Please report this file's shape to cutrelease.",
    )


def assert_only_versions_changed(
    before: str, after: str, places: Sequence[Place], new: str, *, path: str
) -> None:
    """Refuse rather than write if anything but the places' versions changed.

    The two texts have the same lines but for the places' lines, and on each of those, every
    difference is an occurrence of the place's version written as `new`. A spliced place's
    line is known; a tomlkit edit's is whichever one line it changed.
    """
    if all(place.start >= 0 for place in places):
        # Splices only (a lock of megabytes, say): `after` is `before` with each place's
        # version written as `new`, compared span by span (see spans: no copy of megabytes).
        done = shift = 0  # `before` agrees with `after` up to `done` (`after`: + `shift`)
        for place in sorted(places, key=lambda p: p.start):
            start, end = place.start, place.start + len(place.version)
            if start < done or before[start:end] != place.version:
                raise reformatted(path)
            if not spans.same(before, done, after, done + shift, start - done):
                raise reformatted(path)
            if not after.startswith(new, start + shift):
                raise reformatted(path)
            done, shift = end, shift + len(new) - len(place.version)
        rest = len(before) - done
        if len(after) != len(before) + shift:
            raise reformatted(path)
        if not spans.same(before, done, after, done + shift, rest):
            raise reformatted(path)
        return
    old_lines, new_lines = before.split("\n"), after.split("\n")
    if len(old_lines) != len(new_lines):
        raise reformatted(path)
    expected = list(old_lines)
    spliced = {place.line - 1: place.version for place in places if place.start >= 0}
    for index, old in spliced.items():
        if not _swapped(old_lines[index], new_lines[index], old, new):
            raise reformatted(path)
        expected[index] = new_lines[index]
    keyed = [place.version for place in places if place.start < 0]
    if keyed:  # a small file (pyproject.toml): compare line by line
        pairs = zip(expected, new_lines, strict=True)
        changed = [index for index, (a, b) in enumerate(pairs) if a != b]
        if len(changed) > len(keyed):
            raise reformatted(path)
        for index in changed:
            if not any(_swapped(old_lines[index], new_lines[index], v, new) for v in keyed):
                raise reformatted(path)
            expected[index] = new_lines[index]
    if expected != new_lines:
        raise reformatted(path)


def _swapped(before: str, after: str, old: str, new: str) -> bool:
    """Whether `after` is `before` with some occurrences of `old` written as `new`."""
    either = f"(?:{re.escape(old)}|{re.escape(new)})"
    return re.fullmatch(either.join(map(re.escape, before.split(old))), after) is not None
