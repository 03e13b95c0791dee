"""Listed files: `[[tool.cutrelease.files]]` entries, each `search` with the version in `path`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from cutrelease.errors import FileFormatError, Refused
from cutrelease.files.sources.base import Place, Pyproject
from cutrelease.files.sources.edits import splice_place


class ListedFile(NamedTuple):
    """One `[[tool.cutrelease.files]]` entry: every `search` with the version in `path` moves.

    `path` is relative to the project's folder; `search` is literal text holding `{version}`.
    """

    path: str
    search: str = "{version}"


def listed_files(value: object) -> tuple[ListedFile, ...]:
    """`[[tool.cutrelease.files]]` as `ListedFile`s; Refused naming the key that is wrong."""
    key = "[[tool.cutrelease.files]]"
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise Refused(
            f"{key} in pyproject.toml must be an array of tables, not {value!r}.",
            hint='Write [[tool.cutrelease.files]] with path = "..." under it.',
        )
    return tuple(
        _listed_file(entry, f"{key} entry {number}") for number, entry in enumerate(value, 1)
    )


def _listed_file(entry: dict[str, Any], where: str) -> ListedFile:
    for key in entry:
        if key not in ListedFile._fields:
            import difflib  # only for the refusal

            # The key it probably meant, as an unknown [tool.cutrelease] key says (SPEC 15).
            close = difflib.get_close_matches(key, ListedFile._fields, n=1)
            meant = f"Did you mean {close[0]!r}? " if close else ""
            raise Refused(
                f"Unknown key {key!r} in {where} of pyproject.toml.",
                hint=f"{meant}Known keys: path, search.",
            )
    path = entry.get("path")
    if not isinstance(path, str) or not path.strip():
        raise Refused(
            f"{where} in pyproject.toml needs a path, a string naming a file, not {path!r}.",
            hint='Add path = "docs/conf.py" (relative to the project folder).',
        )
    search = entry.get("search", "{version}")
    if not isinstance(search, str) or "{version}" not in search:
        raise Refused(
            f"The search of {where} ({path}) in pyproject.toml must be a string holding "
            f"{{version}}, not {search!r}.",
            hint="Write the text around the version, e.g. search = 'release = \"{version}\"'.",
        )
    return ListedFile(path, search)


def places(project: Pyproject, listed: ListedFile, version: str) -> Iterator[Place]:
    """Every `listed.search` with the current `version` in the file `listed.path` names.

    Refused when the path leaves the repository or names no file; FileFormatError when the
    file holds no such text.
    """
    key = "[[tool.cutrelease.files]] path"
    path = project.reader.named(project.folder, listed.path, key=key)
    text = project.reader.text(path)
    before = listed.search.partition("{version}")[0]
    search = listed.search.replace("{version}", version)
    found = False
    start = text.find(search)
    while start >= 0:
        found = True
        yield splice_place(text, path, start + len(before), version, what=listed.search)
        start = text.find(search, start + len(search))
    if not found:
        raise FileFormatError(
            path,
            f"has no {search!r} ([[tool.cutrelease.files]] search {listed.search!r} with "
            f"the current version {version}).",
            hint="Fix the file or the search, then release.",
        )
