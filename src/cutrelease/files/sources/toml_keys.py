"""A TOML key holding the version: its line, and its value changed through tomlkit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.base import PYPROJECT, Place, Pyproject
from cutrelease.tomlfile import parse_toml


def toml_place(project: Pyproject, keys: tuple[str, ...]) -> Place:
    """The string at `keys` of the project's pyproject.toml, changed by `set_toml_string`."""
    value: Any = project.data
    for key in keys:
        value = value[key]
    dotted = f"[{'.'.join(keys[:-1])}].{keys[-1]}"

    def edit(text: str, new: str) -> str:
        return set_toml_string(text, keys, new, path=project.path)

    return Place(project.path, toml_line(project.text, keys), str(value), dotted, edit)


def set_toml_string(text: str, keys: Sequence[str], value: str, *, path: str = PYPROJECT) -> str:
    """`text` with only the string value at `keys` replaced; every other byte kept.

    Through tomlkit, so that comments, spacing and quoting stay. Every TOML spelling of the
    key is accepted: a table header with the key under it, top-level dotted keys
    (`project.version = ...`, quoted or spaced), an inline table, and a table split into
    parts (dotted keys mixed with `[project.urls]` headers), which tomlkit presents as one
    proxy mapping. The literal or basic quoting of the value is kept.

    The common spelling, `version = "1.2.3"` on a line of its own, is changed in place
    without tomlkit (which costs a release more to import than all it does with the file),
    and proven by reading the result back: see _spliced.
    """
    spliced = _spliced(text, keys, value)
    return spliced if spliced is not None else _through_tomlkit(text, keys, value, path=path)


def _through_tomlkit(text: str, keys: Sequence[str], value: str, *, path: str) -> str:
    """set_toml_string's edit through tomlkit, for every spelling of the key."""
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable, String, Table

    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept, but no TOML parser takes it
    text = text[len(bom) :]
    tables = (Table, InlineTable, OutOfOrderTableProxy)
    dotted = f"[{'.'.join(keys[:-1])}].{keys[-1]}"
    # Older tomlkits (0.14) parse some invalid files (a table defined twice) and fail only
    # when the document is read or changed: each is the same invalid TOML.
    try:
        document = tomlkit.parse(text)
        table: Any = document
        for key in keys[:-1]:
            table = table.get(key) if isinstance(table, (*tables, tomlkit.TOMLDocument)) else None
        old = table.get(keys[-1]) if isinstance(table, tables) else None
        if not isinstance(table, tables) or not isinstance(old, String):
            raise FileFormatError(path, f"has no static string {dotted} to change.")
        # Assigning to an existing key replaces the value in the table part that holds it
        # and keeps the key's spelling.
        table[keys[-1]] = String.from_raw(value, old.type)
        result = tomlkit.dumps(document)
    except TOMLKitError as exc:
        raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
    before_lines, after_lines = text.splitlines(True), result.splitlines(True)
    changed = [a for a, b in zip(before_lines, after_lines, strict=False) if a != b]
    if len(before_lines) != len(after_lines) or len(changed) != 1:
        from cutrelease.files.sources.edits import reformatted  # only for the refusal

        raise reformatted(path)
    return bom + result


def _spliced(text: str, keys: Sequence[str], value: str) -> str | None:
    """`text` with the string at `keys` written as `value`, when the line toml_line finds
    assigns it as a plain one-line string (`"1.2.3"` or `'1.2.3'`, no escapes) and the
    result reads back (tomllib) as the same data but that value; None otherwise (tomlkit
    decides, as always). The check catches whatever the line scan may misread, such as a
    multi-line string holding a line like `version = "0.0.1"`."""
    if not value or any(c in value for c in "\"'\n\r\t"):
        return None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        data = parse_toml(body, PYPROJECT)
    except FileFormatError:
        return None
    old = _at(data, keys)
    if not isinstance(old, str) or not old:
        return None
    number = toml_line(body, tuple(keys)) - 1
    lines = body.split("\n")
    line = lines[number] if number < len(lines) else ""
    assigned = _key_path(line, _blank_end(line, 0))
    if assigned is None or _header_path(body, number) + assigned[0] != tuple(keys):
        return None
    start = _blank_end(line, assigned[1])
    if not line.startswith("=", start):
        return None
    start = _blank_end(line, start + 1)
    quote = line[start : start + 1]
    if quote not in ('"', "'") or not line.startswith(f"{quote}{old}{quote}", start):
        return None
    rest = line[start + len(old) + 2 :].strip(" \t\r")
    if old.count(quote) or "\\" in old or (rest and not rest.startswith("#")):
        return None
    lines[number] = f"{line[: start + 1]}{value}{line[start + 1 + len(old) :]}"
    result = "\n".join(lines)
    try:
        after = parse_toml(result, PYPROJECT)
    except FileFormatError:
        return None
    expected = _with(data, keys, value)
    return bom + result if after == expected else None


def _at(data: Any, keys: Sequence[str]) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _with(data: dict[str, Any], keys: Sequence[str], value: str) -> dict[str, Any]:
    """`data` with the value at `keys` replaced (the tables on the way copied, not changed)."""
    if len(keys) == 1:
        return {**data, keys[0]: value}
    return {**data, keys[0]: _with(data[keys[0]], keys[1:], value)}


def _header_path(text: str, number: int) -> tuple[str, ...]:
    """The keys of the table header that line `number` (0-based) of `text` falls under, as
    toml_line reads them; () above any header."""
    table: tuple[str, ...] = ()
    for line in text.split("\n")[:number]:
        header = _header(line)
        if header is not None:
            table = header
    return table


def toml_line(text: str, keys: tuple[str, ...]) -> int:
    """The 1-based line that sets `keys` (for messages); 1 if the scan cannot tell.

    A light scan of headers and `key = ` lines (dotted and quoted keys included), not a
    parser: multi-line strings holding TOML-like lines may mislead it, and only messages
    read its answer. Read by hand rather than with patterns, which cost `bump version` and
    `bump check-tag` more to compile than the rest of their reading of pyproject.toml.
    """
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        header = _header(line)
        if header is not None:
            table = header
            continue
        assignment = _key_path(line, _blank_end(line, 0))
        if assignment is None or not line.startswith("=", _blank_end(line, assignment[1])):
            continue
        full = table + assignment[0]
        if full == keys or (len(full) < len(keys) and keys[: len(full)] == full):
            return number
    return 1


#: The characters of a bare key (TOML: A-Za-z0-9_-).
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _header(line: str) -> tuple[str, ...] | None:
    """The keys of a table header (`[a.b]`, `[[a]]`): spaces or tabs, one or two `[`, spaces or
    tabs, a key path, spaces or tabs, `]`. None when the line is none."""
    at = _blank_end(line, 0)
    if not line.startswith("[", at):
        return None
    at += 1
    at = _blank_end(line, at + 1 if line.startswith("[", at) else at)
    path = _key_path(line, at)
    if path is None or not line.startswith("]", _blank_end(line, path[1])):
        return None
    return path[0]


def _key_path(line: str, at: int) -> tuple[tuple[str, ...], int] | None:
    """The key parts (quotes removed) of the dotted key starting at `at`, and where it ends:
    a key part, then as many dots (spaces or tabs around them) and key parts as follow. None
    without one."""
    end = _key_part(line, at)
    if end < 0:
        return None
    parts = [_unquoted(line[at:end])]
    while True:
        dot = _blank_end(line, end)
        if not line.startswith(".", dot):
            break
        start = _blank_end(line, dot + 1)
        after = _key_part(line, start)
        if after < 0:
            break
        parts.append(_unquoted(line[start:after]))
        end = after
    return tuple(parts), end


def _key_part(line: str, at: int) -> int:
    """The end of the key part starting at `at`, -1 if none starts there: a bare key, a
    "basic" key (backslash escapes any character but a newline) or a 'literal' key."""
    first = line[at : at + 1]
    if first and first in _BARE:
        end = at + 1
        while end < len(line) and line[end] in _BARE:
            end += 1
        return end
    if first == '"':
        end = at + 1
        while end < len(line):
            char = line[end]
            if char == '"':
                return end + 1
            if char == "\n" or (char == "\\" and line[end + 1 : end + 2] in ("", "\n")):
                return -1
            end += 2 if char == "\\" else 1
        return -1
    if first == "'":
        end = line.find("'", at + 1)
        return -1 if end < 0 or "\n" in line[at:end] else end + 1
    return -1


def _blank_end(line: str, at: int) -> int:
    """Where the spaces and tabs from `at` end."""
    while line.startswith((" ", "\t"), at):
        at += 1
    return at


def _unquoted(part: str) -> str:
    return part[1:-1] if part[:1] in "\"'" else part
