"""The one reader of Markdown: text -> lines, each classified as CommonMark would.

Only what a release needs is recognised (https://spec.commonmark.org/0.31.2/): ATX and setext
headings, fenced and indented code, HTML comments, link reference definitions, table rows
(GitHub's extension), and whether a line is nested in a list item. The changelog, the security
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
    "Document",
    "Heading",
    "Kind",
    "LinkDefinition",
    "content",
    "link_definition",
    "read",
    "split_lines",
]

BOM = "\ufeff"

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_LINK_DEF = re.compile(r" {0,3}\[(?P<label>(?:[^\]\\]|\\.)+)\]:[ \t]*<?(?P<url>[^\s>]*)>?")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_LIST_MARKER = re.compile(r"( *)(?:[-+*]|\d{1,9}[.)])(?:( {1,4})(?=\S)|[ \t]*$)")


class Kind(Enum):
    """What a line is, for the readers of changelogs and security policies."""

    TEXT = "text"  # prose, list items: content
    BLANK = "blank"
    HEADING = "heading"  # an ATX heading, or the text line of a setext heading
    UNDERLINE = "underline"  # the `===` / `---` line under a setext heading
    LINK_DEF = "link definition"
    CODE = "code"  # fenced (fences included) or indented
    COMMENT = "comment"  # an HTML comment, `<!--` to `-->`
    TABLE_ROW = "table row"  # a line starting with `|`, outside code


class Heading(NamedTuple):
    """A document-level heading: not in code, a comment or a list item."""

    at: int  # 0-based line index of its text
    level: int  # 1-6; a setext heading is 1 (`===`) or 2 (`---`)
    text: str  # the inline content, stripped, without closing hashes
    setext: bool = False

    @property
    def end(self) -> int:
        """The index of the first line after the heading (after its underline, if setext)."""
        return self.at + (2 if self.setext else 1)


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
    match = _LINK_DEF.match(content(text))
    if match is None or not match["url"]:
        return None
    return match["label"], match["url"]


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
        self.texts = [content(line) for line in self.lines] if texts is None else texts
        if self.texts and self.texts[0].startswith(BOM):
            self.texts[0] = self.texts[0][1:]

    def run(self) -> Document:
        fence: str | None = None
        comment = False
        opened = 0
        texts, kinds = self.texts, self.kinds
        blank, code = Kind.BLANK, Kind.CODE  # looked up once: a 2 MB file has 10,000s of lines
        for index in self._candidates():
            text = texts[index]
            if fence is not None:
                if _closes(text, fence):  # the block, prose lines included, is code
                    kinds[opened : index + 1] = [code] * (index + 1 - opened)
                    fence = None
                continue
            if comment:
                if "-->" in text:
                    kinds[opened : index + 1] = [Kind.COMMENT] * (index + 1 - opened)
                    comment = False
                continue
            stripped = text.lstrip(" \t")
            if not stripped:
                kinds[index] = blank
                continue
            indent = 0 if stripped is text else _indent(text)
            nested = indent > 0 and self._in_list_item(index, indent)
            if indent >= 4 and not nested:
                # Indented code after a blank line; otherwise a paragraph's lazy continuation.
                if index > 0 and kinds[index - 1] in (blank, code):
                    kinds[index] = code
                continue
            first = stripped[0]
            opening = _opening_fence(text) if first in "`~" else None
            if opening is not None:
                fence, opened = opening, index
                continue
            if first == "<" and stripped.startswith("<!--"):
                kinds[index] = Kind.COMMENT
                comment = "-->" not in stripped[4:]
                opened = index
                continue
            if nested:
                continue  # content of a list item: no document-level heading or table
            self._block(index, text, first)
        if fence is not None or comment:  # never closed: it runs to the end (CommonMark)
            kind = code if fence is not None else Kind.COMMENT
            kinds[opened:] = [kind] * (len(self.lines) - opened)
        self._setext()
        return Document(self.lines, kinds, self.headings, self.links, self.definitions)

    def _candidates(self) -> list[int]:
        """Lines that may be more than prose: blank, a markup character first, or `-->`.

        A line starting with `-` is mostly a list item: only one ending with `-` (or a space)
        may be an underline (`---`), so the others are not looked at.
        """
        return [
            index
            for index, text in enumerate(self.texts)
            if text.lstrip(" \t")[:1] in "#[`~<|=" or text[-1:] in "- \t" or "-->" in text
        ]

    def _block(self, index: int, text: str, first: str) -> None:
        if first == "#":
            match = _ATX.fullmatch(text)
            if match is not None:
                self.kinds[index] = Kind.HEADING
                self.headings.append(Heading(index, len(match[1]), (match[2] or "").strip()))
        elif first == "[":
            match = _LINK_DEF.match(text)
            if match is not None and match["url"]:
                self.kinds[index] = Kind.LINK_DEF
                definition = LinkDefinition(index, match["label"], match["url"])
                self.definitions.append(definition)
                self.links.setdefault(definition.label.lower(), definition)
        elif first == "|":
            self.kinds[index] = Kind.TABLE_ROW
        elif first in "=-" and _SETEXT_UNDERLINE.fullmatch(text):
            self.kinds[index] = Kind.UNDERLINE  # confirmed, or undone, by _setext
            self.underlines.append(index)

    def _setext(self) -> None:
        """An underline makes the paragraph line above it a heading (one-line paragraphs)."""
        found = False
        for index in self.underlines:
            if self.kinds[index] is not Kind.UNDERLINE:  # taken into code or a comment since
                continue
            above = index - 1
            if (
                above >= 0
                and self.kinds[above] is Kind.TEXT
                and self.texts[above].strip()
                and _indent(self.texts[above]) < 4
                and not _LIST_MARKER.match(self.texts[above])
                and (above == 0 or self.kinds[above - 1] is not Kind.TEXT)
            ):
                level = 1 if self.texts[index].lstrip().startswith("=") else 2
                self.kinds[above] = Kind.HEADING
                self.headings.append(Heading(above, level, self.texts[above].strip(), True))
                found = True
            else:  # `---` alone is a thematic break, `===` alone is text
                self.kinds[index] = Kind.TEXT
        if found:
            self.headings.sort()

    def _in_list_item(self, index: int, indent: int) -> bool:
        """Whether a line indented by `indent` continues a list item above it.

        CommonMark: a line belongs to a list item when it is indented at least to the item's
        content column; the nearest less-indented line above decides.
        """
        for above in range(index - 1, -1, -1):
            text = self.texts[above]
            if not text.strip():
                continue
            their = _indent(text)
            if their >= indent:
                continue
            marker = _LIST_MARKER.match(text)
            if marker is None:
                return False
            column = marker.end() if marker[2] else marker.end() + 1
            return indent >= column
        return False


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
