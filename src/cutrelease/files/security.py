"""The Supported Versions table of SECURITY.md, read and moved forward: text in, text out.

Where the table is: markdown.read gives the headings, code and comments as CommonMark reads
them (a heading in a fenced block, an HTML comment or a list item is none); the section is the
first heading titled Supported Versions, up to the next heading of its level or higher; the
table is the section's first table outside code and comments, as GitHub Flavored Markdown
defines one: a header row, a delimiter row such as `| --- | :---: |`, then rows
(https://github.github.com/gfm/#tables-extension-).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from itertools import pairwise
from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError
from cutrelease.files import markdown
from cutrelease.templates import Render

TEMPLATE = "security_versions.md.j2"

_LEAVE_ALONE = 'or set security = "" in [tool.cutrelease] to leave SECURITY.md alone'
_TABLE_HINT = (
    "Put a table such as '| Version | Supported |', '| ------- | --------- |', "
    f"'| 0.1.x   | :white_check_mark: |' under the heading, {_LEAVE_ALONE}."
)
_VERSION_HINT = (
    "Write the Version column as versions such as '1.2.x', '1.x' or '1.2.3' and ranges such as "
    f"'< 1.2' or '>= 1.2', {_LEAVE_ALONE}."
)

_TITLE = re.compile(r"supported\s+versions?\s*:?", re.IGNORECASE)
_DELIMITER_CELL = re.compile(r"[ \t]*:?-+:?[ \t]*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_ROW_KINDS = (markdown.Kind.TEXT, markdown.Kind.TABLE_ROW)
_LABEL = re.compile(
    r"(?P<wrap>`?)(?P<op>(?:<=|>=|<|>|≤|≥|&lt;=?|&gt;=?)[ \t]*)?"
    r"(?P<prefix>[vV]?)(?P<nums>\d+(?:\.\d+)*)(?P<wildcard>(?:\.[xX*])*)(?P=wrap)"
)
_OPERATORS = {"≤": "<=", "≥": ">=", "&lt;": "<", "&lt;=": "<=", "&gt;": ">", "&gt;=": ">="}
_NO = re.compile(
    r":x:|:no_entry(?:_sign)?:|:heavy_multiplication_x:|:negative_squared_cross_mark:"
    r"|[❌✗✘✖⛔🚫]|\bno\b|\bnot supported\b|\bunsupported\b|\bend[ -]of[ -]life\b|\beol\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r":white_check_mark:|:heavy_check_mark:|:ballot_box_with_check:|[✅✔✓☑]|\byes\b|\bsupported\b",
    re.IGNORECASE,
)


class _Mark(Enum):
    YES = "yes"
    NO = "no"
    OTHER = "other"  # e.g. "Until 2023-12-31", "Best-effort": some support, not a plain yes


class _Line(NamedTuple):
    number: int  # 1-based
    start: int  # offset of its first character in the text
    body: str  # without the line ending
    ending: str  # "\n", "\r\n", or "" at the end of the text


class _Label(NamedTuple):
    """A Version cell, split so that a new one can be written in the same style."""

    op: str  # "", "<", "<=", ">", ">="
    op_text: str  # the operator as written, with its spacing: "< ", "<", "&lt; "
    prefix: str  # "v" or ""
    parts: tuple[int, ...]  # the numbers: (0, 2) for "0.2.x"
    wildcard: str  # ".x", ".X", ".x.x" or ""
    wrap: str  # "`" or ""

    def format(self, parts: Sequence[int]) -> str:
        numbers = ".".join(str(part) for part in parts)
        return f"{self.wrap}{self.op_text}{self.prefix}{numbers}{self.wildcard}{self.wrap}"

    def covers(self, release: tuple[int, ...]) -> bool:
        head = _prefix(release, len(self.parts))
        if self.op == "<":
            return head < self.parts
        if self.op == "<=":
            return head <= self.parts
        # A lower bound compares whole versions: "> 1.0" includes 1.0.1.
        size = max(len(release), len(self.parts))
        if self.op == ">":
            return _prefix(release, size) > _prefix(self.parts, size)
        if self.op == ">=":
            return _prefix(release, size) >= _prefix(self.parts, size)
        return head == self.parts


class _Row(NamedTuple):
    line: int
    cells: tuple[str, ...]
    label: _Label
    mark: _Mark

    @property
    def is_bound_below(self) -> bool:
        return self.label.op in ("<", "<=")


class _Table(NamedTuple):
    start: int  # offset of the header row in the text
    end: int  # offset just after the last row's line ending
    indent: str
    newline: str
    last_ending: str
    header: tuple[str, ...]
    aligns: tuple[tuple[bool, bool], ...]  # per column: colon on the left, on the right
    tight: bool  # separator written "|---|" rather than "| --- |"
    version_col: int
    supported_col: int
    rows: tuple[_Row, ...]  # in file order
    ascending: bool  # oldest line first
    # Cells padded to the width they show, a wide character (✅, CJK) taking two columns, as
    # an editor lines them up; not to their length in characters.
    shown: bool = False

    @property
    def newest_first(self) -> list[_Row]:
        return list(reversed(self.rows)) if self.ascending else list(self.rows)


# --- the public API ------------------------------------------------------------------------


def find_table(text: str, *, path: str = "SECURITY.md") -> None:
    """Check that `text` has a Supported Versions table this module can move forward.

    That is the first table (GFM) under the first document-level Supported Versions heading
    (CommonMark; any level, any case). Returns nothing; raises FileFormatError naming `path`,
    the line where there is one, and the fix: no such heading, no table, no delimiter row,
    rows without edge pipes or with tab padding, cells that are not versions, or a newest
    row that is a range or not marked supported.
    """
    _read_table(text, path)


def update_supported_versions(
    text: str, *, version: str, render: Render, path: str = "SECURITY.md"
) -> str:
    """The whole text after a release of `version` (e.g. '0.3.0').

    A patch release changes only a table that names exact releases (`| 1.6.0 | Yes |` moves
    to 1.6.1, so that `bump check` still finds the table true); a table of lines covers it.

    The new line goes on top (or at the bottom of an oldest-first table), the oldest supported
    line leaves the window, a range row ('< 0.2') moves up; columns are re-aligned and the
    table written through `render` (the `security_versions.md.j2` template); every byte
    around the table stays. `text` comes back unchanged if the newest row already covers
    `version`. Raises FileFormatError as find_table does, when `version` is older than the
    newest line, or when the rendered table cannot be read back or misses `version`.
    """
    table = _read_table(text, path)
    release = _release(version)
    top = table.newest_first[0]
    if top.label.covers(release):
        return text  # e.g. "1.x" already covers 1.3.0; ">= 1.2" covers every later release
    # Not covered, so an open range ('>= 1.2') on top means an older release, as does 1.1 < 1.2.x.
    if top.label.op or _prefix(release, len(top.label.parts)) < top.label.parts:
        newest = top.cells[table.version_col]
        raise FileFormatError(
            path,
            f"{version} is older than the newest line in the table, {newest}.",
            line=top.line,
            hint="Update the Supported Versions table by hand for a release on an older line.",
        )
    rows = _moved_forward(table, release)
    if table.ascending:
        rows.reverse()
    new_text = text[: table.start] + _render_table(table, rows, version, render) + text[table.end :]
    _check_written(new_text, version, path)
    return new_text


def supported_lines(text: str, *, path: str = "SECURITY.md") -> list[str]:
    """The Version cells of the rows not marked unsupported, in file order: ['4.2.x', '3.5.x'].

    For `bump check`. An empty Supported cell counts as unsupported, 'Until 2025-01-01' as
    supported. Raises FileFormatError as find_table does.
    """
    table = _read_table(text, path)
    return [row.cells[table.version_col] for row in table.rows if _is_supported_row(row, table)]


def is_supported(text: str, version: str, *, path: str = "SECURITY.md") -> bool:
    """Whether a row not marked unsupported covers `version` ('1.2.x', '>= 1.2', '1.x').

    For `bump check` and for reading back a written table. `version` is a PEP 440 version
    such as '1.3.0'. Raises FileFormatError as find_table does.
    """
    table = _read_table(text, path)
    release = _release(version)
    return any(row.label.covers(release) for row in table.rows if _is_supported_row(row, table))


# --- reading -------------------------------------------------------------------------------


def _read_table(text: str, path: str) -> _Table:
    """The first table of the Supported Versions section, the text read once by markdown.read."""
    document = markdown.read(text)
    heading, stop = _section(document, path)
    start = _table_start(document, heading, stop, path)
    end = start + 2
    while end < stop and _may_be_row(document, end):
        end += 1
    return _parse_table(_lines(document, start, end), path)


def _section(document: markdown.Document, path: str) -> tuple[markdown.Heading, int]:
    """The first Supported Versions heading and the index of the line its section ends before.

    Only document-level headings count (markdown.read leaves out those in code, comments and
    list items); the section runs to the next heading of the same or a higher level.
    """
    headings = document.headings
    for position, heading in enumerate(headings):
        if _TITLE.fullmatch(heading.text.strip("*_").strip()):
            later = (h.at for h in headings[position + 1 :] if h.level <= heading.level)
            return heading, next(later, len(document.lines))
    raise FileFormatError(
        path,
        "there is no Supported Versions heading.",
        hint=f"Add a '## Supported Versions' section with a table, {_LEAVE_ALONE}.",
    )


def _may_be_row(document: markdown.Document, index: int) -> bool:
    """Whether a line may be a table row: a '|' in prose or a row, not in code or a comment.

    Prose counts so that a table without edge pipes is found, and refused with its line.
    """
    return document.kinds[index] in _ROW_KINDS and "|" in document.lines[index]


def _table_start(
    document: markdown.Document, heading: markdown.Heading, stop: int, path: str
) -> int:
    """The index of the header row of the section's first table (GFM: a delimiter row follows)."""
    lines = document.lines
    candidates = [i for i in range(heading.end, stop) if _may_be_row(document, i)]
    for index in candidates:
        below = index + 1
        if below < stop and _may_be_row(document, below) and _is_delimiter(lines[below]):
            return index
    if candidates:
        raise FileFormatError(
            path,
            "this line looks like a table row, but no separator row such as '| --- | --- |' "
            "follows it.",
            line=candidates[0] + 1,
            hint="Add the separator row under the table's header row.",
        )
    raise FileFormatError(
        path, "the Supported Versions section has no table.", line=heading.at + 1, hint=_TABLE_HINT
    )


def _lines(document: markdown.Document, start: int, end: int) -> list[_Line]:
    """Lines start to end (indexes) with their numbers and offsets in the text."""
    offset = sum(map(len, document.lines[:start]))
    found = []
    for index, line in enumerate(document.lines[start:end], start=start):
        body = markdown.content(line)
        found.append(_Line(index + 1, offset, body, line[len(body) :]))
        offset += len(line)
    return found


def _is_delimiter(line: str) -> bool:
    """A GFM delimiter row: cells of dashes, each with an optional colon at either end."""
    cells = line.strip().strip("|").split("|")
    return "|" in line and all(_DELIMITER_CELL.fullmatch(cell) for cell in cells)


def _parse_table(lines: Sequence[_Line], path: str) -> _Table:
    for line in lines:
        _check_row_shape(line, path)
    header_line, delimiter_line, *body = lines
    header = _cells(header_line.body)
    delimiter = _cells(delimiter_line.body)
    for line, cells in ((delimiter_line, delimiter), *((b, _cells(b.body)) for b in body)):
        _check_cell_count(line, cells, len(header), path)
    if not body:
        raise FileFormatError(
            path,
            "the Supported Versions table has no rows.",
            line=header_line.number,
            hint=_TABLE_HINT,
        )
    version_col, supported_col = _columns(header, header_line, path)
    rows = tuple(_parse_row(line, version_col, supported_col, path) for line in body)
    table = _Table(
        start=header_line.start,
        end=lines[-1].start + len(lines[-1].body) + len(lines[-1].ending),
        indent=header_line.body[: len(header_line.body) - len(header_line.body.lstrip(" "))],
        newline=header_line.ending,
        last_ending=lines[-1].ending,
        header=header,
        aligns=tuple((cell.startswith(":"), cell.endswith(":")) for cell in delimiter),
        tight=not all(cell.startswith(" ") for cell in _raw_cells(delimiter_line.body)),
        version_col=version_col,
        supported_col=supported_col,
        rows=rows,
        ascending=_is_ascending(rows),
        shown=_padded_as_shown([header_line, *body]),
    )
    _check_newest_row(table, path)
    return table


def _padded_as_shown(lines: Sequence[_Line]) -> bool:
    """Whether the rows' cells are padded to the width they show: a column holding a wide
    character whose cells all show equally wide, though their lengths differ."""
    columns = zip(*(_raw_cells(line.body) for line in lines), strict=False)
    for cells in columns:
        if all(cell.isascii() for cell in cells):
            continue
        shown = {_width(cell) for cell in cells}
        if len(shown) == 1 and len({len(cell) for cell in cells}) > 1:
            return True
    return False


def _width(text: str) -> int:
    """The columns `text` takes in a monospaced editor: two for a wide character (Unicode's
    East Asian Width W or F: ✅, ❌, CJK), none for a combining mark, a zero-width joiner or
    a variation selector, one for any other."""
    if text.isascii():
        return len(text)
    import unicodedata  # here: only a table with such characters needs it

    def columns(char: str) -> int:
        if unicodedata.combining(char) or char in "\u200d\ufe0e\ufe0f":
            return 0
        return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1

    return sum(map(columns, text))


def _check_row_shape(line: _Line, path: str) -> None:
    if "\t" in line.body:
        raise FileFormatError(
            path,
            "the Supported Versions table is padded with tabs.",
            line=line.number,
            hint="Pad the table's cells with spaces instead of tabs.",
        )
    row = line.body.strip()
    if len(row) < 2 or not row.startswith("|") or not row.endswith("|") or row.endswith("\\|"):
        raise FileFormatError(
            path,
            "this row of the Supported Versions table does not start and end with '|'.",
            line=line.number,
            hint="Write every row of the table as '| cell | cell |'.",
        )


def _raw_cells(body: str) -> list[str]:
    return _UNESCAPED_PIPE.split(body.strip()[1:-1])


def _cells(body: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in _raw_cells(body))


def _check_cell_count(line: _Line, cells: Sequence[str], expected: int, path: str) -> None:
    if len(cells) != expected:
        raise FileFormatError(
            path,
            f"this row of the Supported Versions table has {len(cells)} cells, "
            f"but the header has {expected}.",
            line=line.number,
            hint="Give every row of the table as many cells as the header.",
        )


def _columns(header: Sequence[str], line: _Line, path: str) -> tuple[int, int]:
    """The indexes of the Version column and of the Supported column."""
    named = [i for i, cell in enumerate(header) if re.search(r"version|release", cell, re.I)]
    version_col = named[0] if named else 0
    supported = [
        i for i, cell in enumerate(header) if "support" in cell.lower() and i != version_col
    ]
    if not supported and len(header) == 2:
        supported = [1 - version_col]
    if not supported:
        raise FileFormatError(
            path,
            "no column of the Supported Versions table says which versions are supported.",
            line=line.number,
            hint="Name that column 'Supported'.",
        )
    return version_col, supported[0]


def _parse_row(line: _Line, version_col: int, supported_col: int, path: str) -> _Row:
    cells = _cells(line.body)
    label = _parse_label(cells[version_col])
    if label is None:
        raise FileFormatError(
            path,
            f"'{cells[version_col]}' is not a version or a version range.",
            line=line.number,
            hint=_VERSION_HINT,
        )
    return _Row(line.number, cells, label, _mark(cells[supported_col]))


def _parse_label(cell: str) -> _Label | None:
    match = _LABEL.fullmatch(cell)
    if match is None:
        return None
    op_text = match.group("op") or ""
    op = op_text.strip()
    return _Label(
        op=_OPERATORS.get(op, op),
        op_text=op_text,
        prefix=match.group("prefix"),
        parts=tuple(int(number) for number in match.group("nums").split(".")),
        wildcard=match.group("wildcard"),
        wrap=match.group("wrap"),
    )


def _mark(cell: str) -> _Mark:
    if _NO.search(cell):
        return _Mark.NO
    if _YES.search(cell):
        return _Mark.YES
    return _Mark.OTHER


def _is_supported_row(row: _Row, table: _Table) -> bool:
    # "Until 2023-12-31" or "Best-effort" still promise some support; an empty cell does not.
    return row.mark is not _Mark.NO and bool(row.cells[table.supported_col])


def _is_ascending(rows: Sequence[_Row]) -> bool:
    """Whether the table lists the oldest line first (sequelize writes 3.x, 4.x, 5.x)."""
    lines = [row.label.parts for row in rows if not row.label.op]
    increasing = len(lines) >= 2 and all(a < b for a, b in pairwise(lines))
    return increasing or (rows[0].is_bound_below and len(rows) > 1)


def _check_newest_row(table: _Table, path: str) -> None:
    top = table.newest_first[0]
    cell = top.cells[table.version_col]
    if top.is_bound_below:
        raise FileFormatError(
            path,
            f"the newest row of the Supported Versions table is the range '{cell}', "
            "not the newest release line.",
            line=top.line,
            hint="Begin the table (or end it, if it lists the oldest first) with a row such as "
            "'| 1.2.x | :white_check_mark: |'.",
        )
    if top.mark is not _Mark.YES:
        raise FileFormatError(
            path,
            f"the newest row of the Supported Versions table, '{cell}', is not marked supported.",
            line=top.line,
            hint="Mark it with ':white_check_mark:', '✅' or 'Yes'.",
        )


# --- moving the table forward --------------------------------------------------------------


def _release(version: str) -> tuple[int, ...]:
    return versions.line(version, 3)


def _prefix(numbers: Sequence[int], size: int) -> tuple[int, ...]:
    """The first `size` numbers, padded with zeros: (1, 2, 3), 2 -> (1, 2); (1,), 3 -> (1, 0, 0)."""
    return (*numbers[:size], *(0,) * (size - len(numbers)))


def _moved_forward(table: _Table, release: tuple[int, ...]) -> list[tuple[str, ...]]:
    """The new rows, newest first: the new line on top, as many supported lines as before.

    The supported lines on top keep their places' marks: each line takes the mark of the line
    it moves into, so a table saying `2.x Yes`, `1.x Security fixes only` says `3.x Yes`,
    `2.x Security fixes only` after 3.0.0. The oldest of them leaves the window: if a range
    row such as '< 0.2' follows them, that line is folded into the range; if the file lists
    old lines one by one ('3.5.x | :x:'), it stays as a row, marked unsupported. A mark that
    holds a date ('Until 2025-01-01') belongs to its line and is never moved. A table of one
    row gains a range row below the new line ('< 0.1', marked as the table marks no support),
    as bump init writes one, so that the line that left is said unsupported.
    """
    rows = table.newest_first
    window = _count_window(rows, table)
    new_parts = _prefix(release, len(rows[0].label.parts))
    new_row = _new_row(table, rows[0], new_parts)
    marks = [row.cells[table.supported_col] for row in rows[:window]]
    kept = [_with_mark(table, row, marks[i + 1]) for i, row in enumerate(rows[: window - 1])]
    dropped, rest = rows[window - 1], rows[window:]
    if not rest and len(rows) == 1:
        # A table of one line (bump init writes one for 0.0.x) would say nothing of the line
        # that left: a range row says it, as bump init writes one for a later line.
        return [new_row, _older_row(table, rows[0], new_parts)]
    if not rest:
        return [new_row, *kept]
    if rest[0].is_bound_below:
        bound = rest[0]
        if bound.label.op == "<=":
            line = dropped.label  # the range now ends with the line that left
        else:  # the range now ends below the oldest line kept
            oldest_kept = rows[window - 2].label if window >= 2 else None
            line = oldest_kept or _Label("", "", "", new_parts, "", "")
        return [new_row, *kept, _moved_bound(table, bound, line), *_row_cells(rest[1:])]
    unsupported = next((row for row in rows if row.mark is _Mark.NO), None)
    if unsupported is None:
        return [new_row, *kept, *_row_cells(rest)]
    no_mark = unsupported.cells[table.supported_col]
    return [new_row, *kept, _with_mark(table, dropped, no_mark), *_row_cells(rest)]


#: The unsupported mark of a table's supported one, its own style (lower case); others get "No".
_NO_FOR = {
    ":white_check_mark:": ":x:",
    ":heavy_check_mark:": ":x:",
    "✅": "❌",
    "✔": "❌",
    "✔️": "❌",
    "yes": "no",
}


def _older_row(table: _Table, top: _Row, below: Sequence[int]) -> tuple[str, ...]:
    """A range row for the lines below `below`, marked unsupported in the style of `top`.

    The label is written as bump init writes one ('< 0.1' below 0.1.x, '< 2' below 2.x,
    '< 1.7.0' below the exact release 1.7.0), in the style of `top`'s ('v', backticks);
    the mark is the unsupported one of `top`'s (':x:' for ':white_check_mark:', 'No' for
    'Yes', 'no' for 'yes'); other cells are empty.
    """
    significant = max((i + 1 for i, number in enumerate(below) if number), default=1)
    # A line is bounded by its own numbers up to its minor, and any non-zero one after; an
    # exact release ('1.7.0') by all of its numbers.
    size = len(below) if not top.label.wildcard else min(len(below), max(2, significant))
    parts = _prefix(below, size)
    label = _Label("<", "< ", top.label.prefix, parts, "", top.label.wrap)
    mark = top.cells[table.supported_col].strip()
    no = _NO_FOR.get(mark.lower(), "No")
    if no.isalpha() and mark.isupper():
        no = no.upper()
    elif no.isalpha() and mark[:1].isupper():
        no = no.capitalize()
    cells = ["" for _ in top.cells]
    cells[table.version_col] = label.format(parts)
    cells[table.supported_col] = no
    return tuple(cells)


def _row_cells(rows: Sequence[_Row]) -> list[tuple[str, ...]]:
    return [row.cells for row in rows]


def _count_window(rows: Sequence[_Row], table: _Table) -> int:
    """How many lines on top are supported: marked yes, then any marked with words of a
    lesser support ('Security fixes only'), up to a line marked no or with a date."""
    count = 0
    while count < len(rows) and rows[count].mark is _Mark.YES:
        count += 1
    while count < len(rows) and _is_tier(rows[count], table):
        count += 1
    return count


def _is_tier(row: _Row, table: _Table) -> bool:
    """A mark of some support written in words alone: 'Security fixes only', 'Critical fixes'."""
    cell = row.cells[table.supported_col]
    return row.mark is _Mark.OTHER and bool(cell) and not any(c.isdigit() for c in cell)


def _new_row(table: _Table, top: _Row, parts: Sequence[int]) -> tuple[str, ...]:
    """A copy of the newest row for the new line: same mark, same style of label."""
    old_label = top.cells[table.version_col]
    new_label = top.label.format(parts)

    def cell(index: int, text: str) -> str:
        if index == table.version_col:
            return new_label
        if index == table.supported_col:
            return text
        # An extra column (Branch, End of life) is only filled when it names the line.
        return text.replace(old_label, new_label) if old_label in text else ""

    return tuple(cell(index, text) for index, text in enumerate(top.cells))


def _moved_bound(table: _Table, bound: _Row, line: _Label) -> tuple[str, ...]:
    """The range row moved to `line`: '< 0.3' below a kept 0.3.x, '<= 0.2' over a dropped 0.2.x.

    The range keeps its own precision ('< 0.2', '< 2.4.0'), but never drops a non-zero
    number; a '<=' range over a line written with fewer numbers than the range keeps the
    line's wildcard ('<= 0.0.2' over a dropped 0.0.x becomes '<= 0.0.x', not '<= 0.0.0').
    """
    value = line.parts
    cells = list(bound.cells)
    if bound.label.op == "<=" and len(value) < len(bound.label.parts):
        wider = _Label(
            "<=", bound.label.op_text, bound.label.prefix, value, line.wildcard or ".x", ""
        )
        cells[table.version_col] = wider.format(value)
        return tuple(cells)
    significant = max((i + 1 for i, number in enumerate(value) if number), default=1)
    parts = _prefix(value, max(len(bound.label.parts), significant))
    cells[table.version_col] = bound.label.format(parts)
    return tuple(cells)


def _with_mark(table: _Table, row: _Row, mark: str) -> tuple[str, ...]:
    cells = list(row.cells)
    cells[table.supported_col] = mark
    return tuple(cells)


# --- writing -------------------------------------------------------------------------------


def _render_table(
    table: _Table, rows: Sequence[Sequence[str]], version: str, render: Render
) -> str:
    columns = range(len(table.header))
    size = _width if table.shown else len
    widths = [max([3, *(size(row[i]) for row in (table.header, *rows))]) for i in columns]
    separator = [
        _separator_cell(width, left=left, right=right, tight=table.tight)
        for width, (left, right) in zip(widths, table.aligns, strict=True)
    ]
    text = render(
        TEMPLATE,
        {
            "header": list(table.header),
            "separator": separator,
            "rows": [list(row) for row in rows],
            "widths": widths,
            "version": version,
        },
    )
    lines = [table.indent + line.rstrip("\r") for line in text.rstrip("\r\n").split("\n")]
    if table.shown:
        lines = [_as_shown(line) for line in lines]
    return table.newline.join(lines) + table.last_ending


def _as_shown(line: str) -> str:
    """A row the template padded to its cells' lengths (str.ljust), padded to their shown
    widths instead: each wide character's cell gives back a space per extra column."""
    if line.isascii():
        return line
    parts = _UNESCAPED_PIPE.split(line)
    for index, part in enumerate(parts):
        extra = _width(part) - len(part)
        spaces = len(part) - len(part.rstrip(" "))
        parts[index] = part[: len(part) - min(extra, max(spaces - 1, 0))] if extra > 0 else part
    return "|".join(parts)


def _separator_cell(width: int, *, left: bool, right: bool, tight: bool) -> str:
    size = width + 2 if tight else width
    dashes = ":" * left + "-" * (size - left - right) + ":" * right
    return dashes if tight else f" {dashes} "


def _check_written(text: str, version: str, path: str) -> None:
    """Read the new table back, so that a broken template override fails before any write."""
    hint = f"Check the project's {TEMPLATE} template against the packaged one."
    try:
        supported = is_supported(text, version, path=path)
    except FileFormatError as exc:
        raise FileFormatError(
            path, f"the table written by {TEMPLATE} cannot be read back ({exc.message}).", hint=hint
        ) from None
    if not supported:
        raise FileFormatError(
            path, f"the table written by {TEMPLATE} does not mark {version} supported.", hint=hint
        )
