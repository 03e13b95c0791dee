"""The one reader of Markdown: text -> lines, each classified as CommonMark would.

Only what a release needs is recognised (https://spec.commonmark.org/0.31.2/): ATX and setext
headings, fenced and indented code, HTML comments, link reference definitions, table rows
(GitHub's extension, as markdown-it-py reads it), and whether a line is nested in a list item.
tests/test_commonmark.py checks these kinds against markdown-it-py on every corpus file and on
generated documents. The changelog, the security
table, `bump check` and the dry-run diff all read a text through this module, so they agree on
what a line is.

Why not a Markdown library: a release must write back every byte it does not change, and the
parsers on PyPI (markdown-it-py, mistune, commonmark) give a tree or HTML without the source
bytes of each line; what is needed here is a line classifier, a small subset of the spec.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

__all__ = [
    "LINK_DEFINITION",
    "Document",
    "Heading",
    "Kind",
    "LinkDefinition",
    "atx_heading",
    "content",
    "link_definition",
    "read",
    "split_lines",
]

BOM = "\ufeff"

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
# `[label]: url` or `[label]: <url>`, then an optional title, then nothing (CommonMark 4.7;
# a definition spread over several lines is not recognised).
LINK_DEFINITION = re.compile(
    r" {0,3}\[(?P<label>(?:[^\[\]\\]|\\.)+)\]:[ \t]*"
    r"(?:<(?P<angled>[^<>\n\\]*)>|(?P<url>[^\s<]\S*))"
    r"(?:[ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*"
)
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# How a line indented by four columns or more starts (a tab stops at 4).
_CODE_INDENTS = ("    ", "\t", " \t", "  \t", "   \t")
# How a table's delimiter row that starts with "-" starts (see _DELIMITER_ROW): a list item's
# "- " never does, however many `:` or `|` its text holds.
_DASHED_ROW = ("--", "-|", "-:")
#: What a line's first character must be for it to be more than prose (see _candidates).
_MARKS = "#[`~<|=:"
_DASH_GOES_ON = ("-", "|", ":")
_LIST_MARKER = re.compile(r"( *)(?:[-+*]|\d{1,9}[.)])(?:( {1,4})(?=\S)|[ \t]*$)")
# A table's delimiter row (`| --- | :-: |`, `--|--`): pipes, dashes, colons and spaces only.
_DELIMITER_ROW = re.compile(r" {0,3}(?:[|:][-|: \t]|-[-|:])[-|: \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})")
# What ends a table's body besides a blank line and a fence (markdown-it's terminators of a
# table): a block quote, a list item, an ATX heading or an HTML block's start (roughly).
_ENDS_TABLE = re.compile(
    r" {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)"
    r"|<[!/?a-zA-Z])"
)


class Kind(Enum):
    """What a line is, for the readers of changelogs and security policies."""

    TEXT = "text"  # prose, list items: content
    BLANK = "blank"
    HEADING = "heading"  # an ATX heading, or the text line of a setext heading
    UNDERLINE = "underline"  # the `===` / `---` line under a setext heading
    LINK_DEF = "link definition"
    CODE = "code"  # fenced (fences included) or indented
    COMMENT = "comment"  # an HTML comment, `<!--` to `-->`
    TABLE_ROW = "table row"  # a line of a GitHub table: header, delimiter row, body rows


# What a paragraph's line may be while reading: text, or an underline not (yet) under one.
_PROSE_KINDS = (Kind.TEXT, Kind.UNDERLINE)


class Heading(NamedTuple):
    """A document-level heading: not in code, a comment or a list item."""

    at: int  # 0-based line index of its (first) text line
    level: int  # 1-6; a setext heading is 1 (`===`) or 2 (`---`)
    text: str  # the inline content, stripped, without closing hashes (lines joined by "\n")
    setext: bool = False
    height: int = 1  # its text lines: a setext heading's paragraph may have several

    @property
    def end(self) -> int:
        """The index of the first line after the heading (after its underline, if setext)."""
        return self.at + self.height + (1 if self.setext else 0)


class LinkDefinition(NamedTuple):
    """A link reference definition, `[label]: url`."""

    at: int  # 0-based line index
    label: str
    url: str


class Document(NamedTuple):
    """A text as its lines (endings kept) with what each line is.

    `lines` joined give the text back exactly; `kinds[i]` is line i's kind; `headings` are the
    document's headings in order; `links` maps each lower-cased label to its first definition
    (CommonMark: the first definition of a label wins); `definitions` are all of them, in
    order, a label defined twice included.
    """

    lines: list[str]
    kinds: list[Kind]
    headings: list[Heading]
    links: dict[str, LinkDefinition]
    definitions: Sequence[LinkDefinition] = ()
    # The line of a code fence or HTML comment that is never closed: every line after it is
    # code or comment (CommonMark), whatever it looks like.
    unclosed: int | None = None

    def link(self, label: str) -> LinkDefinition | None:
        """The definition of `label` (matched without regard to case), or None."""
        return self.links.get(label.lower())


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its ending; only "\\n" ends a line.

    Unlike str.splitlines, U+2028, form feeds and a lone "\\r" stay inside their line, as git
    and Markdown see them. "".join of the result is `text`; the last line may lack an ending.
    """
    # str.splitlines runs in C and ends a line at every "\n"; when it gives no more lines than
    # the "\n"s make, it ended none elsewhere (one more separator at the very end of the text
    # ends the last line there too), so its lines are the answer.
    lines = text.splitlines(keepends=True)
    if len(lines) == text.count("\n") + (not text.endswith("\n") and text != ""):
        return lines
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def content(line: str) -> str:
    """A line without its ending ("\\n" or "\\r\\n")."""
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


def link_definition(text: str) -> tuple[str, str] | None:
    """(label, url) of a line that is a link reference definition, `[label]: url`; else None.

    The line is taken alone, as if it were a document of its own (no code or list around it).
    """
    return _definition(content(text))


def read(text: str) -> Document:
    """Split `text` into lines and classify each one (see Document)."""
    parts = text.split("\n")  # once, for the lines and for their contents
    last = parts.pop()  # what follows the last "\n": "" or a line without ending
    lines = [part + "\n" for part in parts]
    if "\r" in text:
        parts = [part[:-1] if part.endswith("\r") else part for part in parts]
    if last:
        lines.append(last)
        parts.append(last)
    return _Reader(lines, parts).run()


def classify(lines: Sequence[str]) -> Document:
    """Classify lines as `split_lines` gives them (see Document)."""
    return _Reader(lines).run()


class _Reader:
    """One pass over the lines that may be markup; prose lines are decided without a look.

    Most lines of a changelog are list items and prose: only lines starting (after spaces)
    with a markup character are examined, which keeps a 2 MB changelog fast.
    """

    def __init__(self, lines: Sequence[str], texts: list[str] | None = None) -> None:
        self.lines = list(lines)
        self.kinds = [Kind.TEXT] * len(self.lines)
        self.headings: list[Heading] = []
        self.links: dict[str, LinkDefinition] = {}
        self.definitions: list[LinkDefinition] = []
        self.underlines: list[int] = []
        self.confirmed: set[int] = set()  # underlines of setext headings found
        self.texts = [content(line) for line in self.lines] if texts is None else texts
        if self.texts and self.texts[0].startswith(BOM):
            self.texts[0] = self.texts[0][1:]

    def run(self) -> Document:
        fence: str | None = None
        comment = False
        opened = 0
        texts, kinds = self.texts, self.kinds
        blank, code = Kind.BLANK, Kind.CODE  # looked up once: a 2 MB file has 10,000s of lines
        skip = 0  # lines before it are taken already (a list item's fenced code)
        for index in self._candidates():
            if index < skip:
                continue
            text = texts[index]
            if fence is not None:
                if _closes(text, fence):  # the block, prose lines included, is code
                    kinds[opened : index + 1] = [code] * (index + 1 - opened)
                    fence = None
                continue
            stripped = text.lstrip(" \t")
            if not stripped:
                kinds[index] = blank
                continue
            indent = 0 if stripped is text else _indent(text)
            nested = indent > 0 and self._in_list_item(index, indent)
            if indent >= 4 and not nested:
                # Indented code, unless it goes on with a paragraph (lazy continuation).
                if index == 0 or not self._paragraph_goes_on(index - 1):
                    kinds[index] = code
                continue
            first = stripped[0]
            opening = _opening_fence(text) if first in "`~" else None
            if opening is not None and nested:
                # In a list item, the code ends with its fence or with the item: the first
                # line indented less than the item's content (CommonMark 5.2).
                skip = self._nested_fence_end(index, opening)
                kinds[index:skip] = [code] * (skip - index)
                continue
            if opening is not None:
                fence, opened = opening, index
                continue
            if first == "<" and stripped.startswith("<!--"):
                kinds[index] = Kind.COMMENT
                if "-->" in stripped[4:]:
                    continue
                # Its end is looked for here: a line holding `-->` is no candidate otherwise.
                end = next((at for at in range(index + 1, len(texts)) if "-->" in texts[at]), None)
                if end is None:
                    comment, opened = True, index
                    break
                kinds[index : end + 1] = [Kind.COMMENT] * (end + 1 - index)
                skip = end + 1
                continue
            if nested:
                continue  # content of a list item: no document-level heading or table
            if first in "|-:" and index > 0 and _DELIMITER_ROW.fullmatch(text):
                after = self._table(index)
                if after is not None:
                    skip = after
                    continue
            self._block(index, text, first)
        unclosed = None
        if fence is not None or comment:  # never closed: it runs to the end (CommonMark)
            kind = code if fence is not None else Kind.COMMENT
            kinds[opened:] = [kind] * (len(self.lines) - opened)
            unclosed = opened
        self._setext()
        return Document(self.lines, kinds, self.headings, self.links, self.definitions, unclosed)

    def _candidates(self) -> list[int]:
        """Lines that may be more than prose: indented, or a markup character first (an empty
        line is marked blank here).

        What the loop does with any other line is nothing, so it is not looked at: a line
        starting with a letter, a digit, `*`, `+` or `>` is prose, a list item or a quote's
        (the line above a table's delimiter row, or a setext underline, is found from that
        row). A line starting with `-` is mostly a list item: only `-` alone (or with spaces)
        may be an underline, and only one going on with `-`, `|` or `:` a table's delimiter row.
        An HTML comment's end is looked for where the comment opens.
        """
        found = []
        kinds, blank = self.kinds, Kind.BLANK
        for index, text in enumerate(self.texts):
            first = text[:1]
            if not first:  # an empty line is blank, unless code or a comment takes it later
                kinds[index] = blank
            elif first in _MARKS:
                found.append(index)
            elif first == "-":
                if text[1:2] in _DASH_GOES_ON or not text[1:].strip(" \t"):
                    found.append(index)
            elif first in " \t":  # indented: its first mark decides, or it may be code
                stripped = text.lstrip(" \t")
                if (
                    stripped[:1] in _MARKS
                    or stripped[:2] in _DASHED_ROW
                    or (stripped[:1] == "-" and not stripped[1:].strip(" \t"))
                    or text.startswith(_CODE_INDENTS)
                ):
                    found.append(index)
        return found

    def _block(self, index: int, text: str, first: str) -> None:
        if first == "#":
            heading = _atx(text)
            if heading is not None:
                self.kinds[index] = Kind.HEADING
                self.headings.append(Heading(index, *heading))
        elif first == "[":
            found = _definition(text)
            # A definition cannot interrupt a paragraph: under prose it is more of it (4.7).
            if found is not None and not (index > 0 and self._paragraph_goes_on(index - 1)):
                self.kinds[index] = Kind.LINK_DEF
                definition = LinkDefinition(index, *found)
                self.definitions.append(definition)
                self.links.setdefault(definition.label.lower(), definition)
        elif first in "=-" and _SETEXT_UNDERLINE.fullmatch(text):
            self.kinds[index] = Kind.UNDERLINE  # confirmed, or undone, by _setext
            self.underlines.append(index)

    def _table(self, delimiter: int) -> int | None:
        """The index after the table whose delimiter row is line `delimiter`, its lines (and
        indented code right after it) classified; None when no table is there.

        GitHub's tables, as markdown-it-py reads them: a header row with a `|`, under it a
        delimiter row of as many cells, then rows up to a blank line or another block's start.
        A table interrupts a paragraph, and wins over what its header row looked like alone (a
        link definition, an ATX heading: markdown-it tries tables first). A line starting with
        `|` outside a table is prose.
        """
        kinds, texts = self.kinds, self.texts
        header = delimiter - 1
        if kinds[header] not in (Kind.TEXT, Kind.HEADING, Kind.LINK_DEF):
            return None
        if not _is_table_start(texts[header], texts[delimiter]) or self._lazy(header):
            return None
        if kinds[header] is Kind.HEADING:  # read as a heading a moment ago
            self.headings.pop()
        elif kinds[header] is Kind.LINK_DEF:
            gone = self.definitions.pop()
            if self.links.get(gone.label.lower()) is gone:
                del self.links[gone.label.lower()]
                for definition in self.definitions:
                    self.links.setdefault(definition.label.lower(), definition)
        end = delimiter + 1
        while end < len(texts) and self._table_goes_on(end):
            end += 1
        kinds[header:end] = [Kind.TABLE_ROW] * (end - header)
        while end < len(texts) and (not texts[end].strip() or _indent(texts[end]) >= 4):
            # Indented code may follow a table (no paragraph to go on), blank lines between.
            kinds[end] = Kind.CODE if texts[end].strip() else Kind.BLANK
            end += 1
        return end

    def _paragraph_goes_on(self, index: int) -> bool:
        """Whether line `index` (read so far) is prose a next line may carry on: paragraph text,
        not a thematic break; an underline with no paragraph above it is such text too."""
        kind, text = self.kinds[index], self.texts[index]
        if kind is Kind.LINK_DEF or kind is Kind.BLANK:  # a footer's thousands of links
            return False
        if text.lstrip(" ")[:1] == ">":  # a block quote's line: its content decides
            inner = text.lstrip(" ")[1:]
            inner = inner[1:] if inner[:1] == " " else inner
            return bool(inner.strip()) and not (
                _ATX.fullmatch(inner) or _breaks(inner) or _opening_fence(inner)
            )
        if kind is Kind.UNDERLINE and _LIST_MARKER.match(text):
            return False  # `-` alone: a heading's underline, or else an empty list item
        if kind is Kind.UNDERLINE:  # a heading's underline ends it; else text or a break
            if index in self.confirmed:
                return False  # a setext heading's underline
            return self._paragraph_start(index) is None and not _breaks(text)
        marker = _LIST_MARKER.match(text)
        if kind is Kind.TEXT and marker is not None and not marker[2]:
            # An empty item (`-`) cannot interrupt a paragraph: under prose it is prose,
            # else a list item of its own that nothing carries on lazily.
            return index > 0 and self._paragraph_goes_on(index - 1)
        if kind is not Kind.TEXT or _breaks(text):
            return False
        # A heading in a list item is a TEXT line here, but no paragraph either.
        indent = _indent(text)
        column = self._item_column(index, indent) if indent > 0 else None
        inner = text[column:] if column and not text[:column].strip(" ") else text
        return not _ATX.fullmatch(inner)

    def _lazy(self, index: int) -> bool:
        """Whether line `index` is no document-level block of its own: nested in a list item,
        or carried on as the lazy continuation of a list item's paragraph."""
        text = self.texts[index]
        indent = _indent(text)
        if indent >= 4 or (indent > 0 and self._in_list_item(index, indent)):
            return True
        start = index
        while (
            start > 0
            and self.kinds[start - 1] in _PROSE_KINDS
            and self._paragraph_goes_on(start - 1)
        ):
            start -= 1  # back to the first line of the paragraph it may continue
        if start == index:  # a block of its own (markdown-it tries a table before a list item)
            return False
        first = self.texts[start]
        nested = _indent(first) > 0 and self._in_list_item(start, _indent(first))
        above = self.texts[start:index]
        # A quote's lazy lines, unless the header starts a list item (which ends the quote).
        quoted = any(line.lstrip(" ")[:1] == ">" for line in above) and not _LIST_MARKER.match(
            self.texts[index]
        )
        items = any(_interrupts_paragraph(line) for line in above[1:])
        return bool(_LIST_MARKER.match(first)) or nested or items or quoted

    def _table_goes_on(self, index: int) -> bool:
        """Whether line `index` is one more row of the table above it."""
        text = self.texts[index]
        if not text.strip() or _indent(text) >= 4 or _ENDS_TABLE.match(text):
            return False
        return _opening_fence(text) is None and not _breaks(text)

    def _setext(self) -> None:
        """An underline makes the paragraph above it a heading, all its lines (CommonMark).

        Not when that paragraph is in a list item or a block quote (the underline would be
        its lazy continuation, or a thematic break after it).
        """
        found = False
        texts, kinds = self.texts, self.kinds
        for index in self.underlines:
            if kinds[index] is not Kind.UNDERLINE:  # taken into code, a comment or a table
                continue
            start = self._paragraph_start(index)
            if start is not None:
                level = 1 if texts[index].lstrip().startswith("=") else 2
                kinds[start:index] = [Kind.HEADING] * (index - start)
                text = "\n".join(line.strip() for line in texts[start:index])
                self.headings.append(Heading(start, level, text, True, index - start))
                self.confirmed.add(index)
                found = True
            else:  # `---` alone is a thematic break, `===` alone is text
                kinds[index] = Kind.TEXT
        if found:
            self.headings.sort()

    def _paragraph_start(self, underline: int) -> int | None:
        """The first line of the document-level paragraph that the underline at `underline`
        makes a setext heading, or None (no paragraph, or one in a list item or quote)."""
        start = underline
        # Back over the paragraph's lines; a break or a quoted heading is a block of its own.
        while (
            start > 0
            and self.kinds[start - 1] in _PROSE_KINDS
            and self._paragraph_goes_on(start - 1)
        ):
            start -= 1
        return start if start < underline and self._document_paragraph(start, underline) else None

    def _document_paragraph(self, start: int, stop: int) -> bool:
        """Whether lines start..stop-1 (prose) are one paragraph at the document's level: its
        first line is no list item, none is in a list item or opens a block quote or an item
        (those swallow the lines after them as lazy continuation)."""
        first = self.texts[start]
        if _indent(first) >= 4 or _LIST_MARKER.match(first):
            return False
        for index in range(start, stop):
            text = self.texts[index]
            indent = _indent(text)
            if indent < 4 and text.lstrip(" ")[:1] == ">":
                return False
            if index > start and indent < 4 and _interrupts_paragraph(text):
                return False
            if indent > 0 and self._in_list_item(index, indent):
                return False
        return True

    def _nested_fence_end(self, opened: int, fence: str) -> int:
        """The index after the fenced code opened at `opened` inside a list item."""
        column = self._item_column(opened, _indent(self.texts[opened])) or 0
        for index in range(opened + 1, len(self.texts)):
            text = self.texts[index]
            if text.strip() and _indent(text) < column:
                return index  # the item ends, and its code with it
            if _closes(text, fence):
                return index + 1
        return len(self.texts)

    def _in_list_item(self, index: int, indent: int) -> bool:
        """Whether a line indented by `indent` continues a list item above it (see
        _item_column)."""
        return self._item_column(index, indent) is not None

    def _item_column(self, index: int, indent: int) -> int | None:
        """The content column of the list item that a line indented by `indent` continues,
        or None.

        CommonMark: a line belongs to a list item when it is indented at least to the item's
        content column; the nearest less-indented line above decides, unless it is the lazy
        continuation of a paragraph (prose right under prose): then its paragraph's start does.
        """
        for above in range(index - 1, -1, -1):
            text = self.texts[above]
            if not text.strip():
                continue
            their = _indent(text)
            if their >= indent:
                continue
            marker = _LIST_MARKER.match(text)
            if marker is None or _breaks(text):  # `- - -` is a thematic break, no item
                lazy = above > 0 and marker is None and self._paragraph_goes_on(above - 1)
                if lazy and _may_be_lazy(text, self.texts[above - 1]):
                    continue
                return None
            before = self.texts[above - 1] if above > 0 else ""
            plain = _prose(before) and before[:1] not in " \t>" and not _LIST_MARKER.match(before)
            if plain and not _interrupts_paragraph(text):
                continue  # `2) x` or `-` under prose: no item, more of that paragraph
            if _is_table_start(text, self.texts[above + 1]):
                return None  # `- | -` over a delimiter row heads a table (tried first)
            if not marker[2] and not self.texts[above + 1].strip():
                return None  # an item starting empty, then blank: empty (at most one blank)
            column = marker.end() if marker[2] else marker.end() + 1
            return column if indent >= column else None
        return None


def _indent(text: str) -> int:
    """Leading spaces, a tab counting to the next multiple of 4 (CommonMark's tab stops)."""
    width = 0
    for character in text:
        if character == " ":
            width += 1
        elif character == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _may_be_lazy(text: str, above: str) -> bool:
    """Whether prose `text` may carry on the paragraph of the line `above` it (lazily)."""
    if _opening_fence(text) is not None:
        return False
    return _prose(above) and not (_breaks(text) or _ENDS_TABLE.match(text))


def _prose(text: str) -> bool:
    """Whether a line may be a paragraph's (roughly: not blank, no break, heading or fence)."""
    return not (not text.strip() or _breaks(text) or _ATX.fullmatch(text) or _opening_fence(text))


def _breaks(text: str) -> bool:
    """A thematic break (`***`, `---`, `___`): no paragraph goes on after it."""
    return _THEMATIC_BREAK.fullmatch(text) is not None


def atx_heading(text: str) -> tuple[int, str] | None:
    """(level, text) of a line (without its ending) that is an ATX heading when taken at
    document level (CommonMark 4.2: up to three spaces, one to six `#`, then a space or
    nothing); else None. `read` reads the heading lines of a document so."""
    return _atx(text)


def _atx(text: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading's line (_ATX's reading), else None.

    A changelog has thousands of headings: the common one (`## [1.2.3] - 2024-01-02`, no
    closing `#`s, no trailing space) is read with string methods, the others by _ATX."""
    stripped = text.lstrip(" ")
    hashes = len(stripped) - len(stripped.lstrip("#"))
    if len(text) - len(stripped) > 3 or not 1 <= hashes <= 6:
        return None
    rest = stripped[hashes:]
    if rest[:1] not in ("", " ", "\t"):
        return None
    if rest[-1:] not in ("#", " ", "\t"):
        return hashes, rest.strip()
    match = _ATX.fullmatch(text)
    return None if match is None else (len(match[1]), (match[2] or "").strip())


def _definition(text: str) -> tuple[str, str] | None:
    """(label, url) of a line (without its ending) that is a whole link definition."""
    match = LINK_DEFINITION.fullmatch(text)
    if match is None or not match["label"].strip():
        return None
    url = match["angled"] if match["angled"] is not None else match["url"]
    return (match["label"], url) if url else None


def _interrupts_paragraph(text: str) -> bool:
    """A list item that may interrupt a paragraph: a bullet, or an ordered item numbered 1,
    with content (CommonMark 5.2)."""
    match = _LIST_MARKER.match(text)
    if match is None or not match[2]:
        return False
    marker = text.lstrip(" ")[: match.end() - len(match[1])].strip()
    return marker[:1] in "-+*" or marker[:-1] == "1"


def _is_table_start(header: str, delimiter: str) -> bool:
    """A header row (with a `|`) over a delimiter row of as many cells: a table begins."""
    if _indent(header) >= 4 or _indent(delimiter) >= 4 or "|" not in header:
        return False
    if not _DELIMITER_ROW.fullmatch(delimiter):
        return False
    parts = delimiter.strip().split("|")
    cells = 0
    for at, part in enumerate(parts):
        cell = part.strip()
        if not cell and at in (0, len(parts) - 1):
            continue  # the row's outer pipes
        if not _DELIMITER_CELL.fullmatch(cell):
            return False
        cells += 1
    return cells > 0 and cells == _header_cells(header.strip())


def _header_cells(row: str) -> int:
    """The cells of a table row; `\\|` is a pipe inside a cell; outer pipes are no cell."""
    cells = re.split(r"(?<!\\)\|", row)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


def _opening_fence(text: str) -> str | None:
    match = _FENCE.match(text)
    if match is None:
        return None
    fence = match[1]
    # A backtick fence's info string may not hold a backtick (it would be inline code).
    return None if fence[0] == "`" and "`" in text[match.end() :] else fence


def _closes(text: str, fence: str) -> bool:
    """A closing fence: the same character, at least as long, and nothing else on the line."""
    stripped = text.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)
