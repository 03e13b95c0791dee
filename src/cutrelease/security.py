"""The Supported Versions table of SECURITY.md, read and moved forward: text in, text out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from cutrelease import versions
from cutrelease.errors import FileFormatError
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

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TITLE = re.compile(r"supported\s+versions?\s*:?", re.IGNORECASE)
_DELIMITER_CELL = re.compile(r"[ \t]*:?-+:?[ \t]*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
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


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    start: int  # offset of its first character in the text
    body: str  # without the line ending
    ending: str  # "\n", "\r\n", or "" at the end of the text


@dataclass(frozen=True)
class _Label:
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


@dataclass(frozen=True)
class _Row:
    line: int
    cells: tuple[str, ...]
    label: _Label
    mark: _Mark

    @property
    def is_bound_below(self) -> bool:
        return self.label.op in ("<", "<=")


@dataclass(frozen=True)
class _Table:
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

    @property
    def newest_first(self) -> list[_Row]:
        return list(reversed(self.rows)) if self.ascending else list(self.rows)


# --- the public API ------------------------------------------------------------------------


def find_table(text: str, *, path: str = "SECURITY.md") -> None:
    """Raise FileFormatError unless the file has a table this module can rewrite.

    That is the first table under a Supported Versions heading (any level, any case); the
    error names the line when there is one.
    """
    _read_table(text, path)


def update_supported_versions(
    text: str, *, version: str, render: Render, path: str = "SECURITY.md"
) -> str:
    """The whole new file text after a minor/major release of `version` (e.g. '0.3.0')."""
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
    """The version labels the table marks supported, e.g. ['0.2.x'] (for a lint command)."""
    table = _read_table(text, path)
    return [row.cells[table.version_col] for row in table.rows if _is_supported_row(row, table)]


def is_supported(text: str, version: str, *, path: str = "SECURITY.md") -> bool:
    """Whether the table's supported rows cover `version` (for a lint command)."""
    table = _read_table(text, path)
    release = _release(version)
    return any(row.label.covers(release) for row in table.rows if _is_supported_row(row, table))


# --- reading -------------------------------------------------------------------------------


def _read_table(text: str, path: str) -> _Table:
    lines = _split_lines(text)
    fenced = _fenced(lines)
    first, stop, heading_line = _section(lines, fenced, path)
    start = _table_start(lines, fenced, first, stop, heading_line, path)
    end = start + 2
    while end < stop and "|" in lines[end].body:
        end += 1
    return _parse_table(lines[start:end], path)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    while start < len(text):
        newline = text.find("\n", start)
        stop = len(text) if newline == -1 else newline + 1
        raw = text[start:stop]
        body = raw.rstrip("\r\n")
        lines.append(_Line(len(lines) + 1, start, body, raw[len(body) :]))
        start = stop
    return lines


def _fenced(lines: Sequence[_Line]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (where '#' is no heading)."""
    flags: list[bool] = []
    marker = ""
    for line in lines:
        fence = _FENCE.match(line.body)
        if fence and (not marker or fence.group(1).startswith(marker)):
            marker = "" if marker else fence.group(1)
            flags.append(True)
        else:
            flags.append(bool(marker))
    return flags


def _section(lines: Sequence[_Line], fenced: Sequence[bool], path: str) -> tuple[int, int, int]:
    """The Supported Versions section: its first and end line index, and its heading's number."""
    headings = _headings(lines, fenced)
    for position, (index, level, title, first) in enumerate(headings):
        if _TITLE.fullmatch(title.strip().strip("*_").strip()):
            later = (i for i, lvl, _, _ in headings[position + 1 :] if lvl <= level)
            return first, next(later, len(lines)), lines[index].number
    raise FileFormatError(
        path,
        "there is no Supported Versions heading.",
        hint=f"Add a '## Supported Versions' section with a table, {_LEAVE_ALONE}.",
    )


def _headings(lines: Sequence[_Line], fenced: Sequence[bool]) -> list[tuple[int, int, str, int]]:
    """Each heading as (line index, level, title, index of the line after it)."""
    found: list[tuple[int, int, str, int]] = []
    for index, line in enumerate(lines):
        if fenced[index]:
            continue
        body = line.body.removeprefix("\ufeff") if index == 0 else line.body
        atx = _ATX.fullmatch(body)
        if atx:
            found.append((index, len(atx.group(1)), atx.group(2) or "", index + 1))
        elif _is_setext(lines, fenced, index):
            level = 1 if lines[index + 1].body.strip().startswith("=") else 2
            found.append((index, level, body, index + 2))
    return found


def _is_setext(lines: Sequence[_Line], fenced: Sequence[bool], index: int) -> bool:
    # Only a one-line paragraph counts; "|" keeps table rows out.
    body = lines[index].body
    return (
        index + 1 < len(lines)
        and not fenced[index + 1]
        and bool(body.strip())
        and "|" not in body
        and (index == 0 or not lines[index - 1].body.strip())
        and _SETEXT_UNDERLINE.fullmatch(lines[index + 1].body) is not None
    )


def _table_start(
    lines: Sequence[_Line],
    fenced: Sequence[bool],
    first: int,
    stop: int,
    heading_line: int,
    path: str,
) -> int:
    """The index of the header row of the section's first table."""
    candidates = [i for i in range(first, stop) if not fenced[i] and "|" in lines[i].body]
    for index in candidates:
        if index + 1 < stop and not fenced[index + 1] and _is_delimiter(lines[index + 1].body):
            return index
    if candidates:
        raise FileFormatError(
            path,
            "this line looks like a table row, but no separator row such as '| --- | --- |' "
            "follows it.",
            line=lines[candidates[0]].number,
            hint="Add the separator row under the table's header row.",
        )
    raise FileFormatError(
        path, "the Supported Versions section has no table.", line=heading_line, hint=_TABLE_HINT
    )


def _is_delimiter(body: str) -> bool:
    cells = body.strip().strip("|").split("|")
    return "|" in body and all(_DELIMITER_CELL.fullmatch(cell) for cell in cells)


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
    )
    _check_newest_row(table, path)
    return table


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

    The oldest supported line leaves the window. If a range row such as '< 0.2' follows the
    supported lines, that line is folded into the range; if the file lists old lines one by
    one ('3.5.x | :x:'), it stays as a row, marked unsupported.
    """
    rows = table.newest_first
    window = _count_leading_supported(rows)
    new_parts = _prefix(release, len(rows[0].label.parts))
    new_row = _new_row(table, rows[0], new_parts)
    kept = [row.cells for row in rows[: window - 1]]
    dropped, rest = rows[window - 1], rows[window:]
    if not rest:
        return [new_row, *kept]
    if rest[0].is_bound_below:
        bound = rest[0]
        oldest_kept = rows[window - 2].label.parts if window >= 2 else new_parts
        value = dropped.label.parts if bound.label.op == "<=" else oldest_kept
        return [new_row, *kept, _moved_bound(table, bound, value), *(r.cells for r in rest[1:])]
    unsupported = next((row for row in rows if row.mark is _Mark.NO), None)
    if unsupported is None:
        return [new_row, *kept, *(row.cells for row in rest)]
    no_mark = unsupported.cells[table.supported_col]
    return [new_row, *kept, _with_mark(table, dropped, no_mark), *(row.cells for row in rest)]


def _count_leading_supported(rows: Sequence[_Row]) -> int:
    count = 0
    while count < len(rows) and rows[count].mark is _Mark.YES:
        count += 1
    return count


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


def _moved_bound(table: _Table, bound: _Row, value: Sequence[int]) -> tuple[str, ...]:
    # Keep the range's own precision ("< 0.2", "< 2.4.0"), but never drop a non-zero number.
    significant = max((i + 1 for i, number in enumerate(value) if number), default=1)
    parts = _prefix(value, max(len(bound.label.parts), significant))
    cells = list(bound.cells)
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
    widths = [max([3, *(len(row[i]) for row in (table.header, *rows))]) for i in columns]
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
    return table.newline.join(lines) + table.last_ending


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
