"""A long changelog read for a release: the newest releases and the links line by line, the
older sections by their headings only.

A release reads a changelog's head (title, Unreleased), its newest release (the next heading's
style, its links), its footer of links, and the headings of every release (the version is
new, their levels, dates and links); lint.changelog_after_release lints the head, the newest
RELEASES_READ releases and the links. A changelog of thousands of releases is megabytes, and
reading each of its lines as CommonMark costs more than the rest of a dry run. `read` reads a
long one as changelog.parse does, except that the sections older than the newest
RELEASES_READ are kept as one text (`Changelog.unread`, written back as it was) and stand in
`releases` by their headings alone.

That reading is exact only when nothing in the older text changes how the lines around it
are read: a fence, HTML (a comment), a link definition (the first of a label wins), a setext
underline or an indented heading (headings this reading would miss). Any of them, or a file
shaped otherwise than head, sections, links, and the whole file is read line by line.
"""

from __future__ import annotations

import re

from cutrelease.files import changelog, markdown
from cutrelease.files.changelog import Block, Changelog, Heading, Section
from cutrelease.files.markdown import Kind

__all__ = ["LONG", "RELEASES_READ", "read"]

#: The releases read line by line below the Unreleased section: as many as lint's window.
RELEASES_READ = 10
#: A shorter changelog is read whole (a few milliseconds at most).
LONG = 256 * 1024
# The first bytes read to find the newest sections; four times more each time they fall short,
# up to this share of the file (past it, reading the whole costs about as much).
_FIRST_READ = 64 * 1024
_MOST_READ = 0.5

# One pass over the older sections' lines that matter: a line that may be an ATX heading
# (group 1), or one after which the text around it could read otherwise (no group; see the
# module's docstring): a fence, HTML, a link definition, a setext underline (or a `---`
# break: in doubt), an indented ATX heading. Each starts at a line's "\n", which the search
# then looks for alone.
_SCAN = re.compile(
    r"\n(?:(#[^\n]*)"
    r"|[ \t]*(?:```|~~~|<|\[[^\n]*\]:)"
    r"| {0,3}(?:=+|-+)[ \t]*\r?(?:\n|\Z)"
    r"| {1,3}#)"
)
# The footer: blank lines and link definitions from a line's start to the end of the file.
_FOOTER = re.compile(
    r"^(?:[ \t]*\r?\n)*(?: {0,3}\[[^\]\n]+\]:[^\n]*(?:\n|\Z)(?:[ \t]*\r?(?:\n|\Z))*)+\Z",
    re.MULTILINE,
)


def read(text: str) -> Changelog:
    """The changelog in `text` as a release reads it: changelog.parse's reading, with the
    sections older than the newest RELEASES_READ of a long file (LONG bytes or more) left
    unread (see the module's docstring). Never raises."""
    if len(text) < LONG:
        return changelog.parse(text)
    return _windowed(text) or changelog.parse(text)


def _windowed(text: str) -> Changelog | None:
    """The window's reading, or None when the file must be read whole."""
    start = _older_start(text)
    end = _footer_start(text, after=start) if start is not None else None
    older = _older_headings(text, start, end) if start is not None and end is not None else None
    if start is None or end is None or older is None:
        return None
    window = text[:start]
    log = changelog.parse(window + text[end:])
    boundary = window.count("\n")  # the 0-based line where text[end:] starts in that reading
    blanks = boundary - log.footer.at  # the window's last lines, read into the footer
    if (
        log.unreleased is None
        or len(log.releases) != RELEASES_READ
        or not 0 < blanks <= len(log.footer.lines)
        or any(kind is not Kind.BLANK for kind in log.footer.kinds[:blanks])
    ):
        return None  # shaped otherwise: the whole file decides
    at = log.footer.at  # where they stand in this reading: before the footer, without lines
    stubs = (Section(heading._replace(at=at), (), (), 0) for heading in older)
    return log._replace(releases=(*log.releases, *stubs), unread=text[start:end], unread_at=blanks)


def _older_start(text: str) -> int | None:
    """The offset of the first section after the newest RELEASES_READ releases: a heading
    at a line's start (`## [1.2.3] ...`) after a blank line. None when there is none."""
    size = _FIRST_READ
    while size < len(text) * _MOST_READ:
        cut = text.find("\n#", size)
        if cut < 0:  # past the last heading: up to it, then
            cut = text.rfind("\n#")
        # The first lines up to a heading read as the whole file reads them: nothing a line
        # after them holds changes what they are (a setext underline or a table's delimiter
        # row is the line right under its text, here a heading).
        log = changelog.parse(text[: cut + 1])
        if log.unreleased is not None and len(log.releases) > RELEASES_READ + 1:
            kept: list[Block | Section] = [log.head, *log.sections[: RELEASES_READ + 1]]
            start = int(log.bom) + sum(len(line) for part in kept for line in part.lines)
            first, last = log.releases[RELEASES_READ], log.releases[RELEASES_READ - 1]
            atx = first.heading.underline is None and text.startswith("#", start)
            return start if atx and last.kinds[-1] is Kind.BLANK else None
        size *= 4
    return None


def _footer_start(text: str, *, after: int) -> int | None:
    """The offset of the footer (blank lines and link definitions to the end) that follows
    the last heading, after `after`; None when the file does not end so."""
    last = text.rfind("\n#", after)
    found = _FOOTER.search(text, last + 1) if last >= 0 else None
    return None if found is None or found.start() <= last + 1 else found.start()


def _older_headings(text: str, start: int, end: int) -> list[Heading] | None:
    """The version headings of the sections in text[start:end], as changelog.parse reads
    them (at line 0); None when a line there is one _SCAN finds unsafe."""
    crlf = "\r" in text  # then markdown.read reads each line without its "\r\n"
    others: set[str] = set()  # "### Fixed" and its like come back in every section
    headings: list[Heading] = []
    for line in _SCAN.findall(text, start - 1, end):
        if not line:
            return None
        if line in others:
            continue
        found = markdown.atx_heading(line[:-1] if crlf and line.endswith("\r") else line)
        heading = changelog.version_heading(0, *found) if found is not None else None
        if heading is None:
            others.add(line)
        else:
            headings.append(heading)
    return headings
