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

from cutrelease.files import changelog, markdown
from cutrelease.files.changelog import Block, Changelog, Heading, Section, Unread
from cutrelease.files.markdown import Kind
from cutrelease.patterns import compiled as _re

__all__ = ["LONG", "RELEASES_READ", "read"]

#: The releases read line by line below the Unreleased section: as many as lint's window.
RELEASES_READ = 10
#: A shorter changelog is read whole (a few milliseconds at most).
LONG = 256 * 1024
# The first bytes read to find the newest sections; four times more each time they fall short,
# up to this share of the file (past it, reading the whole costs about as much).
_FIRST_READ = 64 * 1024
_MOST_READ = 0.5

# The patterns are compiled when a long changelog is first read (patterns.compiled): a
# short one, nearly every changelog, needs none of them.
#
# The older sections' lines that matter, each found at its line's "\n" (searches in C, not a
# loop over 30,000 lines): every line that starts with a mark (a heading's `#`, a fence's,
# HTML's `<`, a link definition's `[`, an underline's `=`, a table row's `|` or `:`) or is
# indented, a heading that starts `## [1.2.3]` (the shape nearly every release of a long
# changelog has) in parts: its level, label, prefix, version and the rest; and every line of
# dashes alone, a setext underline (or a `---` break: in doubt), or a table's delimiter row
# starting with a dash.
_MARKED = r"\n(?:(#{1,6}) \[(([vV]?)(\d+(?:\.\d+)+))\]([^\n]*)|([#`~<\[=|: \t][^\n]*))"
_DASHES = r"\n-[-|: \t]*\r?(?:\n|\Z)"  # (any line of those characters: in doubt)
# An ATX heading with nothing for markdown.atx_heading to strip: `## [1.2.3] - 2024-01-02`.
_PLAIN_ATX = r"(#{1,6}) (\S(?:[^\n]*[^\s#])?)"
# A marked line after which the text around it could read otherwise (see the module's
# docstring): a fence, HTML, a link definition, a setext underline, an indented ATX heading,
# a table's delimiter row (the line above it, a heading's, may be the table's header).
_UNSAFE = (
    r"[ \t]*(?:```|~~~|<|\[[^\n]*\]:)| {0,3}(?:=+|-+)[ \t]*\r?$| {1,3}#"
    r"| {0,3}(?:[|:][-|: \t]|-[-|:])[-|: \t]*\r?$"  # a table's delimiter row: a table above
)
# Lines each a link definition as markdown reads one (a label, a URL, maybe a title).
_DEFINITIONS = rf"(?:{markdown.LINK_DEFINITION.pattern}\r?\n)+"
# The same lines in their plainest shape, `[1.2.3]: url` (no title, no `<`, no escape), a
# pattern read faster.
_PLAIN_DEFINITIONS = r"(?: {0,3}\[[^\[\]\\\n]+\]:[ \t]*[^\s<]\S*\r?\n)+"
# A link definition's label at a line's start (its "\n" before it), as lint reads it.
_DEFINITION = rf"\n{changelog.DEFINITION_LABEL}"
# A line that is neither blank nor a link definition, at its "\n": the last one ends what
# comes before the footer. (One pass; a pattern matching the footer whole would be tried at
# every line and read the rest of the file each time.)
_NOT_FOOTER = r"\n(?![ \t]*\r?(?:\n|\Z)| {0,3}\[[^\]\n]+\]:)"


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
    if start is None or end is None:
        return None
    window = text[:start]
    boundary = window.count("\n")  # the 0-based line where the footer starts in that reading
    # The older sections stand before the footer, without lines: at the line where the
    # window's last blank lines begin (the reading of the window below must say the same).
    at = boundary - _blank_lines_before(text, start)
    older = _older_headings(text, start, end, at)
    if older is None:
        return None
    links = _older_links(text, end, {heading.link_label.lower() for heading in older})
    footer = text[end:] if links is None else text[end : links[0]] + text[links[1] :]
    log = changelog.parse(window + footer)
    blanks = boundary - log.footer.at  # the window's last lines, read into the footer
    if (
        log.unreleased is None
        or len(log.releases) != RELEASES_READ
        or log.footer.at != at
        or not 0 < blanks <= len(log.footer.lines)
        or any(kind is not Kind.BLANK for kind in log.footer.kinds[:blanks])
    ):
        return None  # shaped otherwise: the whole file decides
    stubs = [Section(heading, (), (), 0) for heading in older]
    unread = [Unread(text[start:end], blanks)]
    if links is not None:
        first, last = links
        if text[last:].strip():  # oldest first: the block right after the footer's blank lines
            unread.append(Unread(text[first:last], blanks + text.count("\n", end, first)))
        else:  # newest first: the block at the end, before the last blank lines
            unread.append(Unread(text[first:last], text.count("\n", last), from_end=True))
    return log._replace(releases=(*log.releases, *stubs), unread=tuple(unread))


def _blank_lines_before(text: str, start: int) -> int:
    """How many blank lines (spaces and tabs at most) end text[:start], which ends a line."""
    count, end = 0, start - 1  # the "\n" ending the line above
    while end > 0:
        above = text.rfind("\n", 0, end) + 1
        if text[above:end].strip(" \t\r"):
            break
        count, end = count + 1, above - 1
    return count


def _older_links(text: str, end: int, labels: set[str]) -> tuple[int, int] | None:
    """(start, end) offsets of the footer's definitions of the older sections' links, when
    they are one block of lines at the footer's start (after its blank lines) or end (before
    its last blank lines), as a file sorted by version keeps them; else None (they are read)."""
    found = list(_re(_DEFINITION).finditer(text, end - 1))
    named = [definition[1] for definition in found]
    every = "".join(named)
    if "\\" in every or "[" in every:  # escapes: a label may read otherwise
        return None
    older = [label.lower() in labels for label in named]
    if True not in older:
        return None
    first_index, last_index = older.index(True), len(older) - 1 - older[::-1].index(True)
    first = found[first_index].start() + 1
    last = text.find("\n", found[last_index].start() + 1) + 1
    if last == 0 or text.count("\n", first, last) != last_index - first_index + 1:
        return None  # the last one without a newline, or other lines among them
    if not all(older[first_index:last_index]):
        return None  # another's definition among them
    block = (text, first, last)
    read = _re(_PLAIN_DEFINITIONS).fullmatch(*block) or _re(_DEFINITIONS).fullmatch(*block)
    if read is None or "<>" in text[first:last]:
        return None  # one is no definition to markdown (`[1.2.0]: url - tagged late`)
    at_start, at_end = not text[end:first].strip(), not text[last:].strip()
    return (first, last) if at_start != at_end else None


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
    """The offset of the footer (blank lines and link definitions to the end, one at least)
    that follows the last heading, after `after`; None when the file does not end so."""
    last = text.rfind("\n#", after)
    if last < 0:
        return None
    content = last  # the "\n" before the last line that is neither blank nor a definition
    for found in _re(_NOT_FOOTER).finditer(text, last):
        content = found.start()
    start = text.find("\n", content + 1) + 1
    if start == 0 or _re(_DEFINITION).search(text, start - 1) is None:
        return None
    # A blank line first: a definition right under an entry's line is more of that entry
    # (CommonMark: a definition cannot interrupt a paragraph), which the whole file tells.
    return start if not text[start : text.find("\n", start) + 1].strip() else None


def _older_headings(text: str, start: int, end: int, at: int) -> list[Heading] | None:
    """The version headings of the sections in text[start:end], as changelog.parse reads
    them, each at line `at`; None when a line there could change how the text around it
    reads."""
    if _re(_DASHES).search(text, start - 1, end) is not None:
        return None
    crlf = "\r" in text  # then markdown.read reads each line without its "\r\n"
    others: set[str] = set()  # "### Fixed" and its like come back in every section
    headings: list[Heading] = []
    pending = changelog.pending
    for level, label, prefix, version, rest, marked in _re(_MARKED).findall(text, start - 1, end):
        if version:
            if crlf and rest.endswith("\r"):
                rest = rest[:-1]
            # Nothing after the label for markdown to strip, no link or reference: the
            # heading changelog._heading reads at once, read here at once (thousands).
            if not rest or (rest[0] not in "[(" and rest[-1] != "#" and not rest[-1].isspace()):
                headings.append(
                    Heading(at, len(level), label, True, None, rest, version, prefix, pending(rest))
                )
                continue
            line = f"{level} [{label}]{rest}"
        else:
            line = marked[:-1] if crlf and marked.endswith("\r") else marked
        if line in others:
            continue
        if line[0] != "#":
            if _re(_UNSAFE).match(line) is not None:
                return None
            others.add(line)
            continue
        plain = _re(_PLAIN_ATX).fullmatch(line)  # most are; the others as markdown reads them
        found = (len(plain[1]), plain[2]) if plain else markdown.atx_heading(line)
        read = changelog.version_heading(at, *found) if found is not None else None
        if read is None:
            others.add(line)
        else:
            headings.append(read)
    return headings
