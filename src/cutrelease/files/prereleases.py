"""The final release of a pre-release line gathers its pre-release sections (pure text).

Keep a Changelog (https://keepachangelog.com/en/1.1.0/) has one section per version; a line
that shipped `1.3.0a1`, `1.3.0rc1` and `1.3.0rc2` before `1.3.0` has four. With
`prerelease_sections = "fold"` (the default), `fold` makes the final's story whole before it
is released: the Unreleased section's entries and those of each pre-release section of that
line are merged under their subsection headings (Added, Changed, ...; newest entries first),
and the pre-release sections and their link definitions go. The release that follows then
links the final from the previous final, so `bump notes 1.3.0` tells the whole story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from packaging.version import InvalidVersion, Version

from cutrelease.files import markdown
from cutrelease.files.changelog import Changelog, Section, label_version
from cutrelease.files.markdown import Kind
from cutrelease.patterns import compiled

# Keep a Changelog's types of changes, in its order; other subsections follow as first seen.
KINDS_OF_CHANGE = ("added", "changed", "deprecated", "removed", "fixed", "security")
_SUBHEADING = r" {0,3}#{1,6}[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*"


def of_line(log: Changelog, final: str) -> list[Section]:
    """The released pre-release sections of `final`'s line (`1.3.0rc1` for `1.3.0`)."""
    return [s for s in log.releases if _is_pre_of(s.heading.version, final)]


def fold(log: Changelog, final: str) -> str:
    """The text of `log` with `final`'s pre-release sections gathered into Unreleased.

    In: a changelog whose Unreleased section comes first (a release refuses any other), and
    the final version about to be released. Out: the whole new text; unchanged when the line
    has no pre-release section. Untouched parts keep their bytes; the gathered notes are
    written with the file's own line ending.
    """
    folded = of_line(log, final)
    if not folded or log.unreleased is None:
        return log.render()
    newline = log.newline
    sections = [log.unreleased, *folded]
    notes = _merged([_subsections(section) for section in sections], newline)
    unreleased = log.unreleased
    head = unreleased.lines[: unreleased.heading.height]
    new_unreleased = [*head, newline, *notes, *unreleased.lines[unreleased.end :]]
    gone = {id(section) for section in folded}
    kept = [
        line
        for section in log.releases
        for line in (section.lines[section.end :] if id(section) in gone else section.lines)
    ]
    dropped_links = {
        definition.at
        for definition in log.definitions
        if _is_pre_of(label_version(definition.label), final)
    }
    footer = [
        line
        for offset, line in enumerate(log.footer.lines)
        if log.footer.at + offset not in dropped_links
    ]
    text = "".join([*log.head.lines, *new_unreleased, *kept, *footer])
    text = ("\ufeff" if log.bom else "") + text
    return text if log.final_newline else text.removesuffix(newline)


def _is_pre_of(written: str | None, final: str) -> bool:
    if not written:
        return False
    try:
        version, target = Version(written), Version(final)
    except InvalidVersion:
        return False
    return version.is_prerelease and version.release == target.release


class _Notes:
    """A section's notes: the lines before its first subheading, then each subsection's."""

    def __init__(self) -> None:
        self.preamble: list[str] = []
        self.groups: dict[str, tuple[str, list[str]]] = {}  # title (folded case) -> heading, lines


def _subsections(section: Section) -> _Notes:
    notes = _Notes()
    current = notes.preamble
    for line, kind in section.note_lines:
        match = (
            compiled(_SUBHEADING).fullmatch(markdown.content(line))
            if kind is Kind.HEADING
            else None
        )
        if match is not None:
            key = match["title"].strip().casefold()
            current = notes.groups.setdefault(key, (line, []))[1]
            continue
        current.append(line)
    return notes


def _merged(all_notes: Sequence[_Notes], newline: str) -> list[str]:
    """The notes of every section, newest first, each subsection once (first heading wins),
    in Keep a Changelog's order of kinds."""
    out: list[str] = []
    preamble = _joined((notes.preamble for notes in all_notes), newline)
    if preamble:
        out += [*preamble, newline]
    titles: dict[str, str] = {}
    for notes in all_notes:
        for key, (heading, _) in notes.groups.items():
            titles.setdefault(key, heading)
    seen = list(titles)
    order = sorted(seen, key=lambda key: (_rank(key), seen.index(key)))
    for key, heading in ((key, titles[key]) for key in order):
        entries = _joined((n.groups[key][1] for n in all_notes if key in n.groups), newline)
        if entries:
            out += [heading, newline, *entries, newline]
    return out


def _rank(title: str) -> int:
    return KINDS_OF_CHANGE.index(title) if title in KINDS_OF_CHANGE else len(KINDS_OF_CHANGE)


def _joined(parts: Iterable[list[str]], newline: str) -> list[str]:
    """The non-empty parts without their edge blank lines, one after another."""
    out: list[str] = []
    for lines in parts:
        trimmed = _trimmed(lines)
        if not trimmed:
            continue
        if out and not _is_list_item(trimmed[0]):
            out.append(newline)  # prose paragraphs stay apart; list items run on
        out += trimmed
    if out and not out[-1].endswith("\n"):
        out[-1] += newline
    return out


def _trimmed(lines: list[str]) -> list[str]:
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return lines[start:stop]


def _is_list_item(line: str) -> bool:
    return re.match(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", line) is not None
