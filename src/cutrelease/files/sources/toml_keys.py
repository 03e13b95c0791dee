"""A TOML key holding the version: its line, and its value changed through tomlkit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.base import PYPROJECT, Place, Pyproject
from cutrelease.files.sources.edits import reformatted


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
    """
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable, String, Table

    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept, but no TOML parser takes it
    text = text[len(bom) :]
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
    tables = (Table, InlineTable, OutOfOrderTableProxy)
    table: Any = document
    for key in keys[:-1]:
        table = table.get(key) if isinstance(table, (*tables, tomlkit.TOMLDocument)) else None
    old = table.get(keys[-1]) if isinstance(table, tables) else None
    dotted = f"[{'.'.join(keys[:-1])}].{keys[-1]}"
    if not isinstance(table, tables) or not isinstance(old, String):
        raise FileFormatError(path, f"has no static string {dotted} to change.")
    # Assigning to an existing key replaces the value in the table part that holds it and
    # keeps the key's spelling.
    table[keys[-1]] = String.from_raw(value, old.type)
    result = tomlkit.dumps(document)
    before_lines, after_lines = text.splitlines(True), result.splitlines(True)
    changed = [a for a, b in zip(before_lines, after_lines, strict=False) if a != b]
    if len(before_lines) != len(after_lines) or len(changed) != 1:
        raise reformatted(path)
    return bom + result


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_PATH = re.compile(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*")
_HEADER = re.compile(rf"[ \t]*\[\[?[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*\]")


def toml_line(text: str, keys: tuple[str, ...]) -> int:
    """The 1-based line that sets `keys` (for messages); 1 if the scan cannot tell.

    A light scan of headers and `key = ` lines (dotted and quoted keys included), not a
    parser: multi-line strings holding TOML-like lines may mislead it, and only messages
    read its answer.
    """
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        header = _HEADER.match(line)
        if header is not None:
            table = _key_parts(header[1])
            continue
        assignment = _KEY_PATH.match(line)
        if assignment is None or not line[assignment.end() :].startswith("="):
            continue
        full = table + _key_parts(assignment[1])
        if full == keys or (len(full) < len(keys) and keys[: len(full)] == full):
            return number
    return 1


def _key_parts(path: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, path)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)
