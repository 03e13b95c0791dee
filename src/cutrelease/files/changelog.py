"""Keep a Changelog text in, text out: a changelog as sections, and the release of one.

`parse` reads a text into a `Changelog` (head, Unreleased section, release sections, footer of
links); `release` builds the new Unreleased and release sections and renders the rest as it
was read, so every line a release does not touch comes back byte for byte. `bump check`
(lint.py) reads the same model. The rules are Keep a Changelog 1.1.0's
(https://keepachangelog.com/en/1.1.0/); what is a heading, a link definition or code is
CommonMark's, as markdown.py reads it.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, cast

from cutrelease import versions
from cutrelease.errors import FileFormatError, Refused
from cutrelease.files import dates, markdown
from cutrelease.files.markdown import Kind, LinkDefinition
from cutrelease.git import forges
from cutrelease.patterns import compiled
from cutrelease.templates import Render

__all__ = [
    "DEFINITION_LABEL",
    "LINKS_TEMPLATE",
    "RELEASE_TEMPLATE",
    "UNRELEASED_TEMPLATE",
    "Block",
    "Changelog",
    "Heading",
    "Section",
    "Unread",
    "first_stray",
    "is_version_label",
    "label_version",
    "newest_version",
    "parse",
    "pending",
    "release",
    "release_notes",
    "released_versions",
    "unclosed_block",
    "unreleased_notes",
    "version_heading",
]

RELEASE_TEMPLATE = "changelog_release.md.j2"
UNRELEASED_TEMPLATE = "changelog_unreleased.md.j2"
LINKS_TEMPLATE = "changelog_links.md.j2"

_VERSION = r"\d+(?:\.\d+)+(?:[-+.]?[0-9A-Za-z]+(?:[-.+][0-9A-Za-z]+)*)?"
_LABEL = re.compile(rf"(?P<prefix>[vV]|[Vv]ersion\s+|[Rr]elease\s+)?(?P<version>{_VERSION})")
# What a numbered heading says when it is not out yet: `# 2.17 (unreleased)`, `- YYYY-MM-DD`.
_PENDING = r"\b(?:unreleased|not released|upcoming|tbd|tba)\b|\b(?:y{4}|\d{4})-mm-dd\b"
#: A link definition's label at a line's start (lint's window and changelog_window drop or
#: keep definitions by it, and must agree).
DEFINITION_LABEL = r" {0,3}\[([^\]\n]+)\]:"
# The heading nearly every release of a long changelog has, `[1.2.3] - 2024-01-02` (or
# `[v1.2.3]`), read at once: no `]` in the label, no link or reference after it.
_COMMON = re.compile(r"\[((?P<prefix>[vV]?)(?P<version>\d+(?:\.\d+)+))\](?![\[(])")
_PENDING_WORDS = ("unreleased", "not released", "upcoming", "tbd", "tba", "-mm-dd")
# Tuples, not sets: `in` then compares by identity and never hashes an Enum (slow in Python).
_ENTRY_KINDS = (Kind.TEXT, Kind.CODE, Kind.TABLE_ROW)
_FOOTER_KINDS = (Kind.BLANK, Kind.LINK_DEF)

# ----------------------------------------------------------------------------- the model


class Heading(NamedTuple):
    """A version heading, split the way changelogs write them (Keep a Changelog 1.1.0).

    A release (`## [1.2.3] - 2024-01-02`, `## v1.2.3`, `### [1.2.3](url) (2024-01-02)`) or an
    Unreleased heading (`## [Unreleased]`, `## **unreleased**`, or a numbered one that is not
    out yet: `# 2.17 (unreleased)`, `## [0.1.0] - 2023-MM-DD`), ATX or setext (the text over
    a `---` or `===` underline). Only headings at document level (CommonMark: not in a list
    item, code or comment) are version headings.
    """

    at: int  # 0-based index of its line in the text it was read from
    level: int  # 1-6, the number of `#`
    label: str  # inside the brackets, or the leading word(s): "1.2.3", "v1.2.3", "Unreleased"
    bracketed: bool
    link: str | None  # the URL of an inline link: `## [1.2.3](url)`
    tail: str  # what follows the label and link: " - 2024-01-02 [YANKED]"
    version: str | None  # without its prefix; None for a plain Unreleased heading
    prefix: str  # written before the version in the label: "v", "Version "
    unreleased: bool
    # The reference of a full reference link, `## [1.2.3][v1.2.3]` ("v1.2.3"); "" for a
    # collapsed one (`## [1.2.3][]`); None when the heading has none (CommonMark 6.3).
    ref: str | None = None
    # A setext heading's underline as written ("-------"), on the line below; None for ATX.
    underline: str | None = None

    @property
    def height(self) -> int:
        """How many lines the heading takes: 2 for a setext heading (text and underline)."""
        return 1 if self.underline is None else 2

    @property
    def line(self) -> int:
        """The 1-based line number, for messages."""
        return self.at + 1

    @property
    def is_release(self) -> bool:
        """A released version (not Unreleased, not a version that is not out yet)."""
        return self.version is not None and not self.unreleased

    @property
    def link_label(self) -> str:
        """The label a link definition of this heading has: `[1.2.3]: url`, or the reference
        of a full reference link (`## [1.2.3][v1.2.3]` is defined by `[v1.2.3]: url`)."""
        if self.ref:
            return self.ref
        return self.label if self.bracketed else self.label.strip("*_")

    @property
    def name(self) -> str:
        """How messages name the section: "the Unreleased section", "release 1.2.3"."""
        return "the Unreleased section" if self.unreleased else f"release {self.version}"


class Block(NamedTuple):
    """Lines outside any version section (the head, the footer), ends kept, with their kinds."""

    at: int  # 0-based index of the first line in the text it was read from
    lines: tuple[str, ...]
    kinds: tuple[Kind, ...]  # markdown's reading of each line


class Section(NamedTuple):
    """One version's part of the file: from its heading to the next version heading.

    `lines[:heading.height]` are the heading's line (and a setext heading's underline),
    `lines[heading.height:end]` its notes, and `lines[end:]` whatever
    follows them before the next version heading: a heading shallower than this one (`# Thanks`
    after `##` releases) or the umbrella over the releases (`## Releases` above `### [1.2.3]`).
    """

    heading: Heading
    lines: tuple[str, ...]
    kinds: tuple[Kind, ...]
    end: int

    @property
    def at(self) -> int:
        """0-based index of its first line in the text it was read from."""
        return self.heading.at

    @property
    def has_entries(self) -> bool:
        """Whether its notes hold an entry: empty subsection headings, comments and blank
        lines are none (Keep a Changelog's empty `### Added` placeholders)."""
        return any(kind in _ENTRY_KINDS for kind in self.kinds[self.heading.height : self.end])

    @property
    def note_lines(self) -> tuple[tuple[str, Kind], ...]:
        """(line, kind) of each line of its notes, below the heading (and its underline)."""
        start, end = self.heading.height, self.end
        return tuple(zip(self.lines[start:end], self.kinds[start:end], strict=True))

    def notes(self) -> str:
        """Its notes without blank edge lines, each line ended by "\\n" (shown, never written)."""
        body = [markdown.content(line) for line, _ in self.note_lines]
        first = next((i for i, line in enumerate(body) if line.strip()), len(body))
        last = next((i for i in range(len(body) - 1, first - 1, -1) if body[i].strip()), -1)
        return "\n".join(body[first : last + 1])


class Unread(NamedTuple):
    """Lines of a long changelog a release left unread (changelog_window), as one text, and
    where they go back into the footer: before its line `at`, counted from its end when
    `from_end` (lines a release adds to the footer go on the other side)."""

    text: str
    at: int
    from_end: bool = False


class Changelog(NamedTuple):
    """A changelog as read: the parts in file order, and how its bytes are written.

    `head` holds what comes before the first version heading (title, intro). `unreleased` is
    the first section when it is an Unreleased one; `releases` are the sections after it (an
    Unreleased heading below a release lands here, for lint and release to refuse). `footer` is
    the trailing block of link definitions and blank lines; entries written below it (which
    belong to no section) are kept there and named by `strays`. Positions (`at`) are line
    indexes in the text `parse` read; a BOM, CRLF endings and a missing final newline are noted
    here and given back by `render`.
    """

    head: Block
    unreleased: Section | None
    releases: tuple[Section, ...]
    footer: Block
    newline: str  # "\n" or "\r\n", as the first line ends
    bom: bool
    final_newline: bool
    links: Mapping[str, LinkDefinition]  # lower-cased label -> its first definition
    definitions: tuple[LinkDefinition, ...]  # every definition in file order, repeats included
    # A long changelog read for a release (changelog_window): the text of the sections older
    # than the newest ones (in `releases` by their headings only), then of their link
    # definitions if the footer holds them in one block, not read line by line.
    unread: tuple[Unread, ...] = ()
    # The line of a code fence or HTML comment never closed (markdown.Document.unclosed).
    unclosed: int | None = None

    @property
    def sections(self) -> tuple[Section, ...]:
        """Every version section, in file order."""
        return self.releases if self.unreleased is None else (self.unreleased, *self.releases)

    @property
    def newest(self) -> Section | None:
        """The first released version's section, or None before the first release."""
        return next((s for s in self.releases if s.heading.is_release), None)

    @property
    def strays(self) -> tuple[int, ...]:
        """Indexes of the entries below the footer's link definitions (they have no section)."""
        kinds, at = self.footer.kinds, self.footer.at
        return tuple(at + i for i, kind in enumerate(kinds) if kind in _ENTRY_KINDS)

    def link(self, label: str) -> LinkDefinition | None:
        """The definition of `label` (CommonMark: case-insensitive, the first one wins)."""
        found = self.links.get(label.lower())
        if found is None and len(self.unread) > 1:  # an older release's, read when asked
            block = self.unread[1].text
            if f"[{label.lower()}]" in _lowered(block):  # (most asked for are not there)
                return _definitions_in(block).get(label.lower())
        return found

    def heading_link(self, heading: Heading) -> tuple[str, int] | None:
        """(URL, 0-based line) of a heading's link: inline, or the definition of its label."""
        if heading.link is not None:
            return heading.link, heading.at
        definition = self.link(heading.link_label) if heading.bracketed else None
        return None if definition is None else (definition.url, definition.at)

    def render(self) -> str:
        """The text: every part's lines joined, with the BOM and final newline as read (and
        the `unread` sections where they were)."""
        parts = [self.head.lines, *(section.lines for section in self.sections)]
        footer, done = self.footer.lines, 0
        for piece in self.unread:  # in file order
            at = len(footer) - piece.at if piece.from_end else piece.at
            parts += [footer[done:at], (piece.text,)]
            done = at
        parts.append(footer[done:])
        text = ("\ufeff" if self.bom else "") + "".join(itertools.chain.from_iterable(parts))
        return text if self.final_newline else text.removesuffix(self.newline)


@functools.lru_cache(maxsize=1)
def _lowered(text: str) -> str:
    return text.lower()


@functools.lru_cache(maxsize=1)
def _definitions_in(text: str) -> dict[str, LinkDefinition]:
    """The link definitions of lines a release left unread, by lower-cased label (the first
    wins); each at line -1: no release edits them."""
    found: dict[str, LinkDefinition] = {}
    for line in markdown.split_lines(text):
        definition = markdown.link_definition(line)
        if definition is not None:
            found.setdefault(definition[0].lower(), LinkDefinition(-1, *definition))
    return found


def label_version(label: str) -> str | None:
    """The version a heading or link label names ("v1.2.3" -> "1.2.3"), or None."""
    match = _LABEL.fullmatch(label.strip())
    return None if match is None else match["version"]


def is_version_label(label: str) -> bool:
    """Whether a link label names a version or Unreleased: the labels of a changelog's links."""
    return label.strip().strip("*_").lower() == "unreleased" or label_version(label) is not None


# ----------------------------------------------------------------------------- reading


def parse(text: str) -> Changelog:
    """Read a changelog: version headings, sections, footer (see Changelog). Never raises.

    Headings, code, comments and link definitions are read as CommonMark reads them, so a
    `## [8.8.8]` line in a list item, a fenced code block or a comment is no heading.
    """
    bom = text.startswith("\ufeff")
    document = markdown.read(text[1:] if bom else text)
    lines, kinds = document.lines, document.kinds
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    final_newline = not lines or lines[-1].endswith("\n")
    if not final_newline:  # edited as if it ended; that newline goes again on output
        lines[-1] += newline
    headings = _version_headings(document)
    level = min((h.level for h in headings), default=None)
    footer_at = _footer_start(document, level, last_version=headings[-1].at if headings else -1)
    sections = _sections(document, headings, footer_at)
    unreleased = sections[0] if sections and sections[0].heading.unreleased else None
    head_end = headings[0].at if headings else footer_at
    return Changelog(
        head=Block(0, tuple(lines[:head_end]), tuple(kinds[:head_end])),
        unreleased=unreleased,
        releases=tuple(sections[1:] if unreleased is not None else sections),
        footer=Block(footer_at, tuple(lines[footer_at:]), tuple(kinds[footer_at:])),
        newline=newline,
        bom=bom,
        final_newline=final_newline,
        links=MappingProxyType(document.links),
        definitions=tuple(document.definitions),
        unclosed=document.unclosed,
    )


def _version_headings(document: markdown.Document) -> list[Heading]:
    """The release and Unreleased headings among the document's ATX headings, in order."""
    found: list[Heading] = []
    others: set[str] = set()  # "### Fixed" and its like come back in every section
    for heading in document.headings:
        if heading.text in others:
            continue
        version_heading = _heading(heading.at, heading.level, heading.text)
        if version_heading is None:
            others.add(heading.text)
        elif heading.setext:
            underline = markdown.content(document.lines[heading.at + 1])
            found.append(version_heading._replace(underline=underline))
        else:
            found.append(version_heading)
    return found


def version_heading(at: int, level: int, text: str) -> Heading | None:
    """The version heading an ATX heading of `level` whose text is `text` (as
    markdown.atx_heading gives them) is, at 0-based line `at`; None for any other heading."""
    return _heading(at, level, text)


def _heading(at: int, level: int, text: str) -> Heading | None:
    """A heading's text read as a version heading; None for any other heading."""
    common = _COMMON.match(text)
    if common is None:
        return _read_heading(at, level, text)
    # What _read_heading reads of it, read at once (a long changelog has thousands).
    tail = text[common.end() :]
    version, prefix = common["version"], common["prefix"]
    return Heading(at, level, common[1], True, None, tail, version, prefix, pending(tail))


def _read_heading(at: int, level: int, text: str) -> Heading | None:
    """_heading's reading of any heading text."""
    label, bracketed, link, tail = _split_title(text)
    ref, tail = _reference(tail) if bracketed and link is None else (None, tail)
    version = _LABEL.fullmatch(label.strip())
    if version is None:
        if label.strip("*_ ").lower() != "unreleased":
            return None
        return Heading(at, level, label, bracketed, link, tail, None, "", True, ref)
    prefix, version_text = version["prefix"] or "", version["version"]
    return Heading(
        at, level, label, bracketed, link, tail, version_text, prefix, pending(tail), ref
    )


def pending(tail: str) -> bool:
    """Whether a numbered heading's tail (what follows its version) says it is not out yet:
    `(unreleased)`, `- TBD`, `- YYYY-MM-DD`."""
    lowered = tail.lower()  # the words are looked for first: most tails are a date...
    # ...which has none of these letters (" - 2024-01-02"), and every word has one.
    if not ("u" in lowered or "t" in lowered or "mm" in lowered):
        return False
    return any(word in lowered for word in _PENDING_WORDS) and bool(
        compiled(_PENDING, re.IGNORECASE).search(tail)
    )


def _reference(tail: str) -> tuple[str | None, str]:
    """(reference, the rest) of what follows a bracketed label: `[v1.2.3] - 2024-01-02` is a
    full reference link's reference (CommonMark 6.3), `[]` a collapsed one's."""
    close = tail.find("]") if tail.startswith("[") else -1
    if close < 0 or "[" in tail[1:close]:
        return None, tail
    return tail[1:close], tail[close + 1 :]


def _split_title(title: str) -> tuple[str, bool, str | None, str]:
    """(label, bracketed, inline link, tail) of a heading's text."""
    close = title.find("]") if title.startswith("[") else -1
    if close > 1:
        rest = title[close + 1 :]
        link_end = rest.find(")") if rest.startswith("(") else -1
        if link_end > 0:
            return title[1:close], True, rest[1:link_end], rest[link_end + 1 :]
        return title[1:close], True, None, rest
    version = _LABEL.match(title)
    if version is not None and (version.end() == len(title) or title[version.end()].isspace()):
        return version[0], False, None, title[version.end() :]
    word = title.split(maxsplit=1)[0] if title.strip() else ""
    return word, False, None, title[len(word) :]


def _footer_start(
    document: markdown.Document, release_level: int | None, *, last_version: int = -1
) -> int:
    """Where the trailing block of link definitions (and blank lines) begins.

    Entries written below it stay in the footer, for lint to flag and a release to refuse:
    a definition of a version's link after the last heading, not on the line right under its
    own heading, followed by entries, starts the footer all the same. Only a heading as high
    as the releases' (`# Contributors`, `## Thanks`) closes the file after its links; a deeper
    one (`### Fixed`, appended below the links) is an entry's, and stays in the footer too.
    """
    kinds = document.kinds
    start = len(kinds)
    while start > 0 and kinds[start - 1] in _FOOTER_KINDS:
        start -= 1
    closing = [h.at for h in document.headings if release_level is None or h.level <= release_level]
    # ...and never above a version heading: a deeper one (`# 7.4 Changelog` over `## [7.4.1]`)
    # is a section all the same, and the footer starts after it.
    last_heading = max(closing[-1] if closing else -1, last_version)
    for definition in reversed(document.definitions):
        if definition.at <= last_heading:
            break
        above = definition.at - 1
        while above >= 0 and kinds[above] is Kind.BLANK:  # `## [1.2.3]`, a blank line, its link
            above -= 1
        under_a_heading = above >= 0 and kinds[above] in (Kind.HEADING, Kind.UNDERLINE)
        if under_a_heading and above < definition.at - 1:
            # ...and a blank line under it too: an entry right below it was appended below
            # the links (`bump init`'s file: its heading, a blank line, its one link).
            below = definition.at + 1
            under_a_heading = below >= len(kinds) or kinds[below] in _FOOTER_KINDS
        if definition.at >= start or under_a_heading or not is_version_label(definition.label):
            continue
        block = definition.at
        while block > 0 and kinds[block - 1] in _FOOTER_KINDS:
            block -= 1
        return min(block, start)
    return start


def _sections(
    document: markdown.Document, headings: list[Heading], footer_at: int
) -> list[Section]:
    """A section per version heading, up to the next one or the footer (one pass)."""
    lines, kinds = tuple(document.lines), tuple(document.kinds)
    starts = [heading.at for heading in headings] + [footer_at]
    inner = [(h.at, h.level) for h in document.headings]
    position = 0  # into `inner`, only ever forward
    sections = []
    for number, heading in enumerate(headings):
        start, end = heading.at, starts[number + 1]
        following = headings[number + 1] if number + 1 < len(headings) else None
        depth = heading.level
        if heading.unreleased and following is not None and following.level > depth:
            depth = following.level  # the releases' umbrella ends the Unreleased notes
        while position < len(inner) and inner[position][0] <= start:
            position += 1
        notes_end, scan = end, position
        while scan < len(inner) and inner[scan][0] < end:
            if inner[scan][1] < depth:
                notes_end = inner[scan][0]
                break
            scan += 1
        sections.append(Section(heading, lines[start:end], kinds[start:end], notes_end - start))
    return sections


# ----------------------------------------------------------------------------- questions


def newest_version(text: str, *, path: str = "CHANGELOG.md") -> str | None:
    """The newest released version in the file (as written, without a 'v').

    None if there is no release yet.
    """
    newest = parse(text).newest
    return None if newest is None else newest.heading.version


def released_versions(text: str, *, path: str = "CHANGELOG.md") -> list[str]:
    """All released versions, in file order (a version headed twice is listed twice)."""
    headings = (section.heading for section in parse(text).sections)
    return [h.version for h in headings if h.is_release and h.version is not None]


def unreleased_notes(text: str, *, path: str = "CHANGELOG.md") -> str:
    """The body of the Unreleased section (without heading), stripped of blank edge lines.

    '' when it has no entries (empty placeholder subsections only). Raises FileFormatError,
    naming the newest release's line, when there is no Unreleased section.
    """
    log = parse(text)
    unreleased = log.unreleased or _misplaced_unreleased(log)
    if unreleased is None:
        raise _no_unreleased(log, path)
    return unreleased.notes() if unreleased.has_entries else ""


def release_notes(text: str, version: str, *, path: str = "CHANGELOG.md") -> str:
    """The body of one release's section without its heading (for `bump notes`).

    `version` may carry a "v" and may be spelled otherwise (versions.same_release). Raises
    Refused, naming the versions that exist, for a version the file does not have.
    """
    releases = [s for s in parse(text).sections if s.heading.is_release]
    exact = next((s for s in releases if s.heading.version == version.lstrip("vV")), None)
    section = exact or next(
        (s for s in releases if versions.same_release(s.heading.version, version)), None
    )
    if section is None:
        hint = "Ask for one of those versions."
        if not releases:
            hint = "Release it first; `bump notes --unreleased` prints the notes pending."
        raise Refused(
            f"{path} has no section for version {version}; {_listing(releases)}.", hint=hint
        )
    return section.notes()


def _listing(releases: Sequence[Section], limit: int = 10) -> str:
    names = [s.heading.version or "" for s in releases]
    if not names:
        return "it has no released version yet"
    older = len(names) - limit
    return f"it has {', '.join(names[:limit])}" + (f" and {older} older" if older > 0 else "")


def _misplaced_unreleased(log: Changelog) -> Section | None:
    return next((s for s in log.releases if s.heading.unreleased), None)


def _no_unreleased(log: Changelog, path: str) -> FileFormatError:
    newest = log.newest
    where = f" above the newest release, {_quoted(newest.lines[0])}." if newest else "."
    return FileFormatError(
        path,
        "there is no Unreleased section" + where,
        line=newest.heading.line if newest else None,
        hint="Add a '## [Unreleased]' section there, with the changes.",
    )


def _quoted(line: str) -> str:
    return repr(markdown.content(line))


def unclosed_block(log: Changelog) -> tuple[int, str, str] | None:
    """(1-based line, what is wrong, the fix) of a code fence or HTML comment that is never
    closed; None if there is none.

    CommonMark reads every line after it as code (or comment): headings, entries and the
    links at the end too, which a release would then leave as they are, stale.
    """
    if log.unclosed is None:
        return None
    fence = _kind(log, log.unclosed) is Kind.CODE
    what, closer = ("code fence", "```") if fence else ("HTML comment", "-->")
    return (
        log.unclosed + 1,
        f"the {what} that opens here is never closed: every line below it, the links at the "
        f"end included, reads as {'code' if fence else 'a comment'}.",
        f"Close it with {closer} where it ends.",
    )


def first_stray(log: Changelog) -> tuple[int, str] | None:
    """(1-based line, text) of the first entry below the footer's links; None if there is none.

    Keep a Changelog puts the links last: an entry below them belongs to no section, and a
    release cannot tell which one it was written for. Long texts are cut to 60 characters.
    """
    if not log.strays:
        return None
    at = log.strays[0]
    text = markdown.content(log.footer.lines[at - log.footer.at]).strip()
    return at + 1, text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------- the release


class _Job(NamedTuple):
    """The release asked for."""

    version: str
    previous_version: str | None
    tag_prefix: str
    web_url: str | None

    @property
    def tag(self) -> str:
        return self.tag_prefix + self.version

    @property
    def previous_tag(self) -> str | None:
        return None if self.previous_version is None else self.tag_prefix + self.previous_version


class _Links(NamedTuple):
    """The new URLs; None leaves that link as it is (or writes none)."""

    unreleased: str | None = None
    release: str | None = None


class _Style(NamedTuple):
    """How the file writes a release heading, learned from its newest one."""

    level: int
    bracketed: bool
    inline_link: bool
    prefix: str
    date: dates.DateStyle
    gap: int  # blank lines between the fresh Unreleased heading and the release heading
    ref: str | None = None  # the new heading's reference: `## [1.2.4][v1.2.4]` -> "v1.2.4"
    # A setext heading's underline: its character and length (None: as long as the text).
    underline: tuple[str, int | None] | None = None


class _Cut(NamedTuple):
    """One release being cut: the file, what was learned from it, and the templates."""

    log: Changelog
    unreleased: Section
    newest: Section | None
    newest_link: LinkDefinition | None  # the newest release's link definition
    unreleased_link: LinkDefinition | None  # the Unreleased heading's link definition
    job: _Job
    links: _Links
    style: _Style
    render: Render

    @property
    def label(self) -> str:
        """The new heading's label: the version as the newest heading writes it ("v1.2.4")."""
        return self.style.prefix + (self.unreleased.heading.version or self.job.version)

    def rendered(self, name: str, variables: dict[str, object]) -> tuple[str, ...]:
        """A template rendered into whole lines ending in the file's own newline."""
        newline = self.log.newline
        return tuple(line + newline for line in self.render(name, variables).split("\n"))


def release(
    text: str | Changelog,
    *,
    version: str,
    previous_version: str | None,
    date: datetime.date,
    tag_prefix: str,
    web_url: str | None,
    render: Render,
    path: str = "CHANGELOG.md",
    allow_empty: bool = False,
) -> str:
    """The whole new file text after releasing `version` (from a text, or its parse).

    The Unreleased heading stays, fresh and empty, and a new release section goes under it
    with every line of the old Unreleased notes, in order; a numbered Unreleased heading
    (`# 2.17 (unreleased)`) becomes the release heading instead. The heading copies the newest
    release's style; links follow the file's (compare links learned from the Unreleased link,
    the newest release's link, else `web_url`; a footer with one link per release gets one
    more). Link definitions never move into the new section. Every other line is given back
    as read.

    Raises FileFormatError (with the line and the fix) when there is no Unreleased section
    above the releases, it has no entries (unless `allow_empty`: the final release of a
    pre-release needs none), it is headed for another version, `version` is already
    released, or entries sit below the footer of links.
    """
    log = text if isinstance(text, Changelog) else parse(text)
    job = _Job(version, previous_version, tag_prefix, web_url)
    released = _released(log, job, date, render, path, allow_empty=allow_empty)
    if released is None:  # a long changelog's unread lines would not stay in place
        released = _released(parse(log.render()), job, date, render, path, allow_empty=allow_empty)
    assert released is not None  # a whole reading leaves nothing unread
    return released


def _released(
    log: Changelog,
    job: _Job,
    date: datetime.date,
    render: Render,
    path: str,
    *,
    allow_empty: bool,
) -> str | None:
    """release's text of `log`; None when the edits would move a block left unread."""
    problem = unclosed_block(log)
    if problem is not None:
        raise FileFormatError(path, problem[1], line=problem[0], hint=problem[2])
    unreleased = _releasable(log, job.version, path, allow_empty=allow_empty)
    cut = _learn(log, unreleased, job, render)
    _refuse_stale_links(cut, path)
    heading = _release_heading(cut, date)
    definition = _release_definition(cut, path)
    gap = _links_under_headings(cut) if definition else None
    if gap is not None:  # under the new heading, as far below it as the newest's is
        heading, definition = (*heading, *(log.newline,) * gap, *definition), ()
    edits = _link_edits(cut, definition)
    if _moves_unread(log, edits):
        return None
    return _with_release(cut, _with_edits(log, edits), heading).render()


def _moves_unread(log: Changelog, edits: _Edits) -> bool:
    """Whether `edits` add or remove footer lines on the side each unread block is placed
    from (changelog_window): it would go back in the wrong place."""
    size = len(log.footer.lines)
    for piece in log.unread:
        anchor = size - piece.at if piece.from_end else piece.at
        for index, lines in edits.items():
            offset = index - log.footer.at
            grows = len(lines) != 1 or offset == size  # index past the end appends
            if offset >= 0 and grows and (offset >= anchor if piece.from_end else offset < anchor):
                return True
    return False


def _learn(log: Changelog, unreleased: Section, job: _Job, render: Render) -> _Cut:
    """What the file says of how its releases are written and linked."""
    newest = log.newest
    newest_link = _definition_of(log, newest.heading, job.tag_prefix) if newest else None
    unreleased_link = log.link(unreleased.heading.link_label)
    links = _links(log, unreleased.heading, newest, newest_link, job)
    style = _style(log, newest, unreleased, job.version)
    return _Cut(log, unreleased, newest, newest_link, unreleased_link, job, links, style, render)


def _releasable(log: Changelog, version: str, path: str, *, allow_empty: bool) -> Section:
    """The Unreleased section, once nothing stands in the way of releasing it as `version`."""
    stray = first_stray(log)
    if stray is not None:
        raise FileFormatError(
            path,
            f"{stray[1]!r} is below the link definitions at the end of the file, where it "
            "belongs to no section.",
            line=stray[0],
            hint="Move it above the links, under the heading of its release (or Unreleased).",
        )
    unreleased = log.unreleased
    if unreleased is None:
        misplaced = _misplaced_unreleased(log)
        earlier = log.newest
        if misplaced is None or earlier is None:
            raise _no_unreleased(log, path)
        raise FileFormatError(
            path,
            f"the Unreleased section comes after release {earlier.heading.version} "
            f"(line {earlier.heading.line}).",
            line=misplaced.heading.line,
            hint="Move it above the newest release.",
        )
    _check_unreleased(log, unreleased, version, path, allow_empty=allow_empty)
    return unreleased


def _check_unreleased(
    log: Changelog, unreleased: Section, version: str, path: str, *, allow_empty: bool
) -> None:
    heading = unreleased.heading
    if not unreleased.has_entries and not allow_empty:
        raise FileFormatError(
            path,
            "the Unreleased section is empty: there is nothing to release.",
            line=heading.line,
            hint="Write the changes of this release under it.",
        )
    if heading.version is not None and not versions.same_release(heading.version, version):
        raise FileFormatError(
            path,
            f"the Unreleased section is headed for version {heading.version}, not {version}.",
            line=heading.line,
            hint=f"Rename its heading for {version}, or release {heading.version}.",
        )
    same = versions.same_release_as(version)  # read once, for thousands of headings
    # `same` first: it tells almost every heading apart at once.
    done = next((s for s in log.releases if same(s.heading.version) and s.heading.is_release), None)
    if done is not None:
        raise FileFormatError(
            path,
            f"version {version} is already released here.",
            line=done.heading.line,
            hint="Release a new version.",
        )


_KNOWN_SHAPES = (
    "a compare page of GitHub, GitLab, Bitbucket, Gitea or Azure DevOps "
    "(.../compare/{old}...HEAD, .../branchCompare?baseVersion=GT{old}&targetVersion=GBmain)"
)


def _refuse_stale_links(cut: _Cut, path: str) -> None:
    """Refuse, naming the line, a link that names the last release in a shape no forge module
    can move: left as it is, it would point at the old release after this one."""
    previous, old_tag = cut.job.previous_version, cut.job.previous_tag or ""
    heading = cut.unreleased.heading
    if previous is None or heading.version is not None:
        return
    found = cut.log.heading_link(heading)
    if found is not None and cut.links.unreleased is None and _names(found[0], previous):
        raise FileFormatError(
            path,
            f"the Unreleased link, {found[0]}, names {old_tag} in a shape cutrelease cannot "
            f"move to {cut.job.tag}.",
            line=found[1] + 1,
            hint=f"Write it as {_KNOWN_SHAPES.format(old=old_tag)}, or remove it.",
        )
    newest = cut.newest
    url = newest.heading.link if newest else None
    url = url or (cut.newest_link.url if cut.newest_link else None)
    if newest is not None and url is not None and cut.links.release is None:
        at = newest.at if newest.heading.link else cut.newest_link.at if cut.newest_link else 0
        raise FileFormatError(
            path,
            f"the link of release {previous}, {url}, is in a shape cutrelease cannot follow "
            f"to a link for {cut.job.version}.",
            line=at + 1,
            hint=f"Write the links as {_KNOWN_SHAPES.format(old=old_tag)} or tag pages, or "
            "remove them.",
        )


def _names(url: str, version: str) -> bool:
    """Whether `url` names `version` (not a longer one): .../releases/tag/v1.2.3, ...GTv1.2.3&."""
    return re.search(rf"(?<![\d.]){re.escape(version)}(?!\.?\d)", url) is not None


def _definition_of(log: Changelog, heading: Heading, tag_prefix: str) -> LinkDefinition | None:
    """A release's link definition: by its label, or, for a footer that keeps one link per
    release under unbracketed headings (`## v1.2.3` with `[1.2.3]: url`), by its version."""
    version = heading.version or ""
    labels = (heading.link_label, version, tag_prefix + version, "v" + version)
    return next((d for d in map(log.link, labels) if d is not None), None)


def _style(log: Changelog, newest: Section | None, unreleased: Section, version: str) -> _Style:
    if newest is None:  # first release: Keep a Changelog's style, at the Unreleased level
        heading = unreleased.heading
        inline = heading.link is not None
        underline = _underline(unreleased)
        return _Style(
            heading.level, heading.bracketed, inline, "", dates.DateStyle(), 1, None, underline
        )
    released = [s.heading for s in log.releases if s.heading.is_release]
    return _Style(
        level=_level(released, newest.heading, unreleased.heading.version or version),
        bracketed=newest.heading.bracketed,
        inline_link=newest.heading.link is not None,
        prefix=newest.heading.prefix,
        date=dates.learn_all([heading.tail for heading in released]),
        gap=min(_trailing_blanks(_part_before(log, newest)), 3),
        ref=_new_ref(newest.heading, unreleased.heading.version or version),
        underline=_underline(newest),
    )


def _underline(section: Section) -> tuple[str, int | None] | None:
    """How a setext heading is underlined: its character, and its length unless it is the
    text's own (`[0.2.0] - 2026-01-10` over 20 dashes gives a new heading as many as its text)."""
    written = section.heading.underline
    if written is None:
        return None
    text = markdown.content(section.lines[0]).strip()
    mark = written.strip()
    return mark[0], None if len(mark) == len(text) else len(mark)


_NUMBERS = r"(\d+)\.(\d+)(?:\.(\d+))?"


def _level(released: Sequence[Heading], newest: Heading, version: str) -> int:
    """The new heading's level: the newest's, unless the file heads patch releases at one
    level and the others at another (conventional-changelog writes `# [1.2.0]` and
    `## [1.2.1]`, release-please #2613): then the level of the new version's kind."""
    if len({heading.level for heading in released}) < 2:
        return newest.level  # one level for all: nothing to tell patches from the others
    levels: dict[bool, set[int]] = {True: set(), False: set()}
    for heading in released:
        levels[_is_patch(heading.version or "")].add(heading.level)
    patches, others = levels[True], levels[False]
    if len(patches) == 1 and len(others) == 1 and patches != others:
        return next(iter(patches if _is_patch(version) else others))
    return newest.level


def _is_patch(version: str) -> bool:
    numbers = compiled(_NUMBERS).match(version)
    return numbers is not None and int(numbers[3] or 0) != 0


def _new_ref(newest: Heading, version: str) -> str | None:
    """The new heading's reference, as the newest writes its own: `[v1.2.3]` -> `[v1.2.4]`,
    `[]` -> `[]`. A reference that does not name its version (`[1.2.3][7]`) tells nothing of
    the next one: the new heading is then a plain `[1.2.4]`, with a definition of its own."""
    ref, old = newest.ref, newest.version or ""
    if ref is None or not ref:
        return ref
    return ref[: -len(old)] + version if forges.is_ref_of(ref, old) else None


def _part_before(log: Changelog, section: Section) -> Block | Section:
    parts: list[Block | Section] = [log.head, *log.sections]
    return parts[next(i for i, part in enumerate(parts) if part is section) - 1]


def _trailing_blanks(part: Block | Section) -> int:
    count = 0
    while count < len(part.kinds) and part.kinds[-count - 1] is Kind.BLANK:
        count += 1
    return count


# ----------------------------------------------------------------------------- links


def _links(
    log: Changelog,
    unreleased: Heading,
    newest: Section | None,
    newest_link: LinkDefinition | None,
    job: _Job,
) -> _Links:
    """Learn from the Unreleased link, else the releases' own links, else the remote.

    A release's link follows the style of the releases' links when they tell one: a file
    whose releases link to their tag pages (`releases/tag/v1.2.3`) gets one more, even beside
    an Unreleased compare link. The newest release whose link tells decides; the oldest
    release's tag page tells nothing (it had no earlier tag to compare with).
    """
    definition = log.link(unreleased.link_label)
    old_unreleased = unreleased.link or (definition.url if definition else None)
    learned = _from_unreleased_link(forges.parse_compare(old_unreleased), job)
    told = _from_release_links(log, job)
    if learned.release is not None:
        tag_pages = told is not None and forges.parse_compare(told) is None
        return learned._replace(release=told) if tag_pages else learned
    release = told or _from_web_url(job)
    if old_unreleased is None and job.web_url is not None and unreleased.version is None:
        return _Links(forges.compare_url(job.web_url, job.tag, "HEAD"), release)
    return _Links(release=release)


def _from_release_links(log: Changelog, job: _Job) -> str | None:
    """The new release's link in the style of the newest release link that tells one."""
    if job.previous_version is None:
        return None
    released = [s.heading for s in log.releases if s.heading.is_release]
    for number, heading in enumerate(released):
        definition = _definition_of(log, heading, job.tag_prefix)
        url = heading.link or (definition.url if definition is not None else None)
        if url is None or heading.version is None:
            continue
        oldest = number == len(released) - 1
        compare = forges.parse_compare(url)
        if compare is None and oldest:
            return None  # a first release's tag page: compare or tag page, nothing tells
        link = _from_link(url, heading.version, job)
        if link is not None:
            return link
    return None


def _from_unreleased_link(compare: forges.Compare | None, job: _Job) -> _Links:
    """`compare/v1...HEAD`: the last tag becomes the new tag; for the release, HEAD does."""
    side = compare.tag_side(job.previous_version) if compare is not None else None
    if compare is None or side is None:
        return _Links()
    unreleased_refs = [compare.first, compare.second]
    unreleased_refs[side] = job.tag
    unreleased = compare.with_refs(*unreleased_refs)
    if job.previous_version is None:
        return _Links(unreleased, compare.tag_page(job.tag))
    last_tag = (compare.first, compare.second)[side]
    if not forges.is_ref_of(last_tag, job.previous_version):
        last_tag = job.tag_prefix + job.previous_version  # a stale link: trust the caller
    release_refs = [job.tag, job.tag]
    release_refs[side] = last_tag
    return _Links(unreleased, compare.with_refs(*release_refs))


def _from_link(url: str, version: str, job: _Job) -> str | None:
    """Follow one release's own link (of `version`) to the new release's: a compare link
    between the previous tag and the new one, or the new tag's page, written alike."""
    compare = forges.parse_compare(url)
    if compare is None:
        return forges.next_tag_page(url, version, job.tag)
    for newer_second, ref in ((True, compare.second), (False, compare.first)):  # Bitbucket: first
        if forges.is_ref_of(ref, version):
            older = ref[: len(ref) - len(version)] + (job.previous_version or version)
            return (
                compare.with_refs(older, job.tag)
                if newer_second
                else compare.with_refs(job.tag, older)
            )
    return None


def _from_web_url(job: _Job) -> str | None:
    if job.web_url is None:
        return None
    if job.previous_tag is None:
        return forges.tag_url(job.web_url, job.tag)
    return forges.compare_url(job.web_url, job.previous_tag, job.tag)


def _release_definition(cut: _Cut, path: str) -> tuple[str, ...]:
    """The new release's link definition, when the file keeps one per release; else ().
    Raises FileFormatError when the file defines that link already (for no heading)."""
    keeps_links = cut.style.bracketed or cut.newest_link is not None
    if not keeps_links or cut.style.inline_link or cut.links.release is None:
        return ()
    if cut.unreleased.heading.version is not None and cut.unreleased_link is not None:
        return ()  # the numbered section's own link is pointed at the release instead
    label, written = cut.label, cut.newest_link
    old = cut.newest.heading.version if cut.newest else None
    if written is not None and old and written.label.endswith(old):  # `[1.2.3]` for `## v1.2.3`
        label = written.label.removesuffix(old) + label.removeprefix(cut.style.prefix)
    stale = cut.log.link(label)
    if stale is not None:  # a link left for a release not made (yet)
        raise FileFormatError(
            path,
            f"the link [{stale.label}] is defined already, for a release with no heading: "
            f"{stale.url}.",
            line=stale.at + 1 if stale.at >= 0 else None,  # unread: the plan reads it whole
            hint=f"Remove it (the release writes the link of {cut.job.version}), then release.",
        )
    return _link_line(cut, label, cut.links.release)


def _links_under_headings(cut: _Cut) -> int | None:
    """How many blank lines part each version's link definition from its heading, when it
    sits right under it (0: on the next line); None when the links are kept elsewhere."""
    section, link = cut.newest or cut.unreleased, cut.newest_link
    if cut.newest is None:
        link = cut.unreleased_link
    below = section.at + section.heading.height
    if link is None or link.at < below:
        return None
    gap = link.at - below
    if gap and link.at >= section.at + len(section.lines):
        return None  # blank lines, then the links at the end: not under the heading
    between = section.kinds[section.heading.height : section.heading.height + gap]
    return gap if all(kind is Kind.BLANK for kind in between) else None


def _link_line(cut: _Cut, label: str, url: str) -> tuple[str, ...]:
    variables: dict[str, object] = {
        "label": label,
        "url": url,
        "version": cut.job.version,
        "tag": cut.job.tag,
    }
    return cut.rendered(LINKS_TEMPLATE, variables)


def _with_url(line: str, url: str) -> str:
    found = markdown.link_definition(line)
    assert found is not None
    label, old = found
    start = line.index(old, line.index("[") + len(label) + 2)
    return line[:start] + url + line[start + len(old) :]


_Edits = dict[int, tuple[str, ...]]  # line index -> the lines that replace it


def _link_edits(cut: _Cut, definition: tuple[str, ...]) -> _Edits:
    """Point the Unreleased link at the new tag; add the release's link in the file's order."""
    log, links = cut.log, cut.links
    unreleased_def, newest_def = cut.unreleased_link, cut.newest_link
    edits: _Edits = {}
    if unreleased_def is not None and cut.unreleased.heading.version is not None:
        if links.release is not None:  # the numbered section's own link becomes the release's
            edits[unreleased_def.at] = (_with_url(_line(log, unreleased_def.at), links.release),)
        return edits
    if unreleased_def is not None and links.unreleased is not None:
        edits[unreleased_def.at] = (_with_url(_line(log, unreleased_def.at), links.unreleased),)
    if definition and newest_def is not None:
        edits.update(_beside_newest(cut, definition))
    elif definition and unreleased_def is not None:
        at = unreleased_def.at
        edits[at] = (*edits.get(at, (_line(log, at),)), *definition)
    elif unreleased_def is None and newest_def is None and not _links_no_release(log):
        # A file that links none of its releases gets none: links for the new release alone
        # would leave every older heading unlinked, which bump check then refuses.
        edits[_length(log)] = _new_footer(cut, definition)  # appended
    return edits


def _beside_newest(cut: _Cut, definition: tuple[str, ...]) -> _Edits:
    """Newest first: insert above the newest link; oldest first: below it. Keep the spacing."""
    log, at = cut.log, cut.newest_link.at if cut.newest_link else 0
    line = _line(log, at)
    if _oldest_first(cut, at):
        gap = (log.newline,) * _blank_run(log, at + 1, step=1)
        return {at: (line, *gap, *definition)}
    gap = (log.newline,) * _blank_run(log, at - 1, step=-1)
    return {at: (*definition, *gap, line)}


def _oldest_first(cut: _Cut, newest_at: int) -> bool:
    released = (s for s in cut.log.releases if s.heading.is_release)
    older = next(itertools.islice(released, 1, None), None)  # the second: not all thousands
    second = _definition_of(cut.log, older.heading, cut.job.tag_prefix) if older else None
    if second is not None:
        return second.at < newest_at
    return cut.unreleased_link is not None and cut.unreleased_link.at > newest_at


def _blank_run(log: Changelog, start: int, *, step: int) -> int:
    """How many blank lines run from `start`, if a link definition follows them (else 0)."""
    index = start
    while _kind(log, index) is Kind.BLANK:
        index += step
    return abs(index - start) if _kind(log, index) is Kind.LINK_DEF else 0


def _links_no_release(log: Changelog) -> bool:
    """Whether the release headings are written as links (`## [0.2.0]`) and none has one."""
    headings = [s.heading for s in log.releases if s.heading.is_release and s.heading.bracketed]
    return bool(headings) and not any(
        heading.link is not None or log.link(heading.link_label) is not None for heading in headings
    )


def _new_footer(cut: _Cut, definition: tuple[str, ...]) -> tuple[str, ...]:
    """A file with no links and no release yet gets a footer, when the remote tells where
    links point."""
    heading = cut.unreleased.heading
    footer: list[str] = []
    if heading.bracketed and heading.link is None and cut.links.unreleased is not None:
        footer += _link_line(cut, heading.label, cut.links.unreleased)
    footer += definition
    last = _length(cut.log) - 1
    if footer and last >= 0 and _kind(cut.log, last) is not Kind.BLANK:
        footer.insert(0, cut.log.newline)
    return tuple(footer)


# ----------------------------------------------------------------------------- building


def _parts(log: Changelog) -> list[Block | Section]:
    return [log.head, *log.sections, log.footer]


def _length(log: Changelog) -> int:
    return log.footer.at + len(log.footer.lines)


def _locate(parts: Sequence[Block | Section], index: int) -> int:
    """Which part holds line `index` of the parsed text (the footer for its end)."""
    if index >= parts[-1].at:  # most links are in the footer
        return len(parts) - 1
    # Sections are never empty, so only an empty head or footer shares a start with another
    # part, and the last part of those that start at or before `index` is the one.
    return bisect.bisect_right([part.at for part in parts], index) - 1


def _line(log: Changelog, index: int) -> str:
    parts = _parts(log)
    part = parts[_locate(parts, index)]
    return part.lines[index - part.at]


def _kind(log: Changelog, index: int) -> Kind | None:
    """The kind of line `index` of the parsed text; None before its start or past its end."""
    if not 0 <= index < _length(log):
        return None
    parts = _parts(log)
    part = parts[_locate(parts, index)]
    return part.kinds[index - part.at]


def _with_edits(log: Changelog, edits: _Edits) -> Changelog:
    """The changelog with lines of the parsed text replaced; the index past the end appends."""
    if not edits:
        return log
    parts = _parts(log)
    for index, new in sorted(edits.items(), reverse=True):  # from the bottom: places hold
        number = _locate(parts, index)
        parts[number] = _edited(parts[number], index - parts[number].at, new)
    head, footer = parts[0], parts[-1]
    assert isinstance(head, Block) and isinstance(footer, Block)
    # _edited gives each part back as the kind it was: the sections are Sections.
    news = cast("tuple[Section, ...]", tuple(parts[1:-1]))
    if log.unreleased is None:
        return log._replace(head=head, releases=news, footer=footer)
    return log._replace(head=head, unreleased=news[0], releases=news[1:], footer=footer)


def _edited(part: Block | Section, offset: int, new: tuple[str, ...]) -> Block | Section:
    """`part` with its line at `offset` replaced by `new` (appended when `offset` is its end)."""
    lines = (*part.lines[:offset], *new, *part.lines[offset + 1 :])
    kinds = (*part.kinds[:offset], *map(_kind_of_link_line, new), *part.kinds[offset + 1 :])
    if isinstance(part, Section):
        grown = len(lines) - len(part.lines) if offset < part.end else 0
        return part._replace(lines=lines, kinds=kinds, end=part.end + grown)
    return part._replace(lines=lines, kinds=kinds)


def _kind_of_link_line(line: str) -> Kind:
    return Kind.LINK_DEF if line.strip() else Kind.BLANK


def _release_heading(cut: _Cut, date: datetime.date) -> tuple[str, ...]:
    style, job = cut.style, cut.job
    variables: dict[str, object] = {
        "level": "#" * style.level,
        "version": job.version,
        "label": cut.label,
        "bracketed": style.bracketed,
        "link": cut.links.release if style.inline_link and style.bracketed else None,
        "dated": style.date.dated,
        "separator": style.date.separator,
        "date": style.date.format(date),
        "date_end": style.date.end,
        "iso_date": date.isoformat(),
        "tag": job.tag,
        "previous_version": job.previous_version,
        "previous_tag": job.previous_tag,
    }
    return _setext(_with_reference(cut.rendered(RELEASE_TEMPLATE, variables), cut), cut)


def _setext(lines: tuple[str, ...], cut: _Cut) -> tuple[str, ...]:
    """The rendered ATX heading written as a setext one, when the file writes them so."""
    underline, newline = cut.style.underline, cut.log.newline
    if underline is None or not lines or not lines[0].startswith("#"):
        return lines
    text = markdown.content(lines[0]).lstrip("#").strip()
    mark, length = underline
    return (text + newline, mark * (length or len(text)) + newline, *lines[1:])


def _with_reference(lines: tuple[str, ...], cut: _Cut) -> tuple[str, ...]:
    """The rendered heading made a full reference link, when the file writes them that way:
    `## [1.2.4]` -> `## [1.2.4][v1.2.4]` (the templates write the label alone)."""
    ref, label = cut.style.ref, f"[{cut.label}]"
    if ref is None or not lines:
        return lines
    first = lines[0]
    at = first.find(label)
    if at < 0 or first[at + len(label) : at + len(label) + 1] in ("(", "["):
        return lines
    end = at + len(label)
    return (first[:end] + f"[{ref}]" + first[end:], *lines[1:])


def _fresh_unreleased(cut: _Cut, heading_line: str) -> tuple[str, ...]:
    heading = cut.unreleased.heading
    line, link = markdown.content(heading_line), heading.link
    if link is not None and cut.links.unreleased is not None:
        line = line.replace(f"]({link})", f"]({cut.links.unreleased})", 1)
        link = cut.links.unreleased
    variables: dict[str, object] = {
        "heading": line,
        "level": "#" * heading.level,
        "label": heading.label,
        "bracketed": heading.bracketed,
        "link": link,
    }
    return cut.rendered(UNRELEASED_TEMPLATE, variables)


def _with_release(cut: _Cut, log: Changelog, heading: tuple[str, ...]) -> Changelog:
    """The new sections: a fresh Unreleased one and the release with the old notes under it.

    Link definitions of versions in the Unreleased notes stay with the Unreleased heading.
    """
    old = log.unreleased
    assert old is not None
    at = old.at
    new_heading = _built_heading(cut, at)
    height = old.heading.height
    if old.heading.version is not None:  # `# 2.17 (unreleased)` becomes the release
        released = _built(new_heading, (*heading, *old.lines[height:]))
        return log._replace(unreleased=None, releases=(released, *log.releases))
    kept, moved = _split_notes(old)
    after = old.lines[old.end :]
    gap = (log.newline,) * cut.style.gap
    fresh_heading = (*_fresh_unreleased(cut, old.lines[0]), *old.lines[1:height])
    fresh = _built(old.heading, (*fresh_heading, *kept, *gap, *after))
    released = _built(new_heading, (*heading, *moved))
    return log._replace(unreleased=fresh, releases=(released, *log.releases))


def _split_notes(section: Section) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(link definitions of versions, every other line) of a section's notes; definitions
    right under the heading keep the blank lines above them there too."""
    notes = section.note_lines
    top = next((i for i, (_, kind) in enumerate(notes) if kind is not Kind.BLANK), len(notes))
    under = top
    while under < len(notes) and _names_a_version(*notes[under]):
        under += 1
    kept = [line for line, _ in notes[:under]] if under > top else []
    moved: list[str] = []
    for line, kind in notes[under:] if under > top else notes:
        (kept if _names_a_version(line, kind) else moved).append(line)
    return tuple(kept), tuple(moved)


def _names_a_version(line: str, kind: Kind) -> bool:
    """Whether a line is the link definition of a version (or Unreleased)."""
    found = markdown.link_definition(line) if kind is Kind.LINK_DEF else None
    return found is not None and is_version_label(found[0])


def _built_heading(cut: _Cut, at: int) -> Heading:
    style, version = cut.style, cut.unreleased.heading.version or cut.job.version
    link = cut.links.release if style.inline_link and style.bracketed else None
    return Heading(
        at,
        style.level,
        cut.label,
        style.bracketed,
        link,
        "",
        version,
        style.prefix,
        False,
        style.ref if style.bracketed else None,
        None if style.underline is None else style.underline[0],
    )


def _built(heading: Heading, lines: tuple[str, ...]) -> Section:
    """A section a release writes: its lines read as markdown reads them."""
    kinds = tuple(markdown.classify(lines).kinds)
    return Section(heading, lines, kinds, len(lines))
