"""uv.lock's `[[package]]` entry of the project, beside it or at its uv workspace's root.

Found by its lines, not by a TOML parser: a lock of a thousand packages is megabytes, and
tomlkit takes seconds on it. The entry is the one whose `name` is the project's (compared as
PEP 503 normalizes names, `packaging.utils.canonicalize_name`); the edited entry is parsed
back (tomllib) to prove it. An entry without `version` (a dynamic version) is left alone; one
that disagrees with the current version means the lock is out of date.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.base import (
    PYPROJECT,
    Found,
    Place,
    Pyproject,
    Source,
    line_of,
    subtable,
    table,
    toml_data,
)
from cutrelease.files.sources.edits import splice
from cutrelease.files.sources.reader import Reader, join

UV_LOCK = "uv.lock"
_LOCK_VERSION = re.compile(r'^version[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)


def places(project: Pyproject, found: Found) -> Iterator[Place]:
    """The version of the project's entry in the uv.lock that holds it, if one does."""
    name = project.name
    if name is None:
        return
    lock = _lock_of(project.reader, project.folder)
    if lock is not None:
        yield from lock_places(project.reader.text(lock), lock, name)


def lock_places(text: str, path: str, name: str) -> Iterator[Place]:
    """The version of each `[[package]]` entry named `name` (PEP 503), found by its lines."""
    from packaging.utils import canonicalize_name

    canonical = canonicalize_name(name)
    for line in _own_entries(text, canonical):
        header = text.rfind("\n[", 0, line) + 1
        end = _next_header(text, line)
        version = _LOCK_VERSION.search(text, header, end)
        if version is None:
            continue  # a dynamic version: uv leaves it out, and so does the release
        what = f"the [[package]] entry {canonical!r}"

        def edit(
            text: str,
            new: str,
            *,
            start: int = version.start(1),
            old: str = version[1],
            header: int = header,
        ) -> str:
            result = splice(text, start, old, new, path)
            end = _next_header(result, start)
            _check_entry(result[header:end], path, canonical, new)
            return result

        start = version.start(1)
        yield Place(path, line_of(text, start), version[1], what, edit, start, _out_of_date)


# How uv writes the source of a package built from the workspace itself: the project, a
# member (`{ editable = "." }`, `{ virtual = "packages/alpha" }`).
_LOCAL_SOURCE = ('\nsource = { editable = "', '\nsource = { virtual = "')


def _own_entries(text: str, canonical: str) -> list[int]:
    """The `name = ...` lines of the `[[package]]` entries named `canonical`. When several
    are (the project, and the same name from an index: `{ registry = "..." }`), those of a
    source here, the project's own; all of them if none is."""
    found: list[tuple[int, str]] = []
    for line in _name_lines(text, canonical):
        header = text.rfind("\n[", 0, line) + 1
        if text.startswith("[[package]]", header):
            found.append((line, text[line : _next_header(text, line)]))
    local = [line for line, entry in found if any(s in entry for s in _LOCAL_SOURCE)]
    return local if len(found) > 1 and local else [line for line, _ in found]


def _out_of_date(place: Place, source: Source) -> FileFormatError:
    """A lock entry at another version: the lock is older than the project."""
    return FileFormatError(
        place.path,
        f"{place.what} is at {place.version}, but the project is at {source.version}: "
        "uv.lock is out of date.",
        line=place.line,
        hint="Run `uv lock`, commit uv.lock, then release.",
    )


def _lock_of(reader: Reader, folder: str) -> str | None:
    """uv.lock beside pyproject.toml, else at the root of the uv workspace holding it."""
    here = join(folder, UV_LOCK)
    if reader.is_file(here):
        return here
    root = workspace_root(reader, folder)
    if root is not None and reader.is_file(join(root, UV_LOCK)):
        return join(root, UV_LOCK)
    return None


def workspace_root(reader: Reader, folder: str) -> str | None:
    """The folder of the uv workspace whose member `folder` is, if it is one: the nearest
    folder above with `[tool.uv.workspace]` in its pyproject.toml, when its members hold it."""
    member = folder
    while member not in ("", "."):
        parent = posixpath.dirname(member)
        pyproject = join(parent, PYPROJECT)
        if reader.is_file(pyproject):
            workspace = _workspace(reader.text(pyproject), pyproject)
            if workspace is not None:
                if _is_member(posixpath.relpath(folder, parent or "."), workspace):
                    return parent or "."
                return None
        member = parent
    return None


def _name_lines(text: str, canonical: str) -> list[int]:
    """The offsets of the `name = "..."` lines that name `canonical` (PEP 503).

    uv writes names normalized, so a plain substring search finds them (a regular expression
    over every line of a large lock costs several times more); a lock written otherwise falls
    back to comparing every spelling PEP 503 folds together.
    """
    needle = f'\nname = "{canonical}"\n'
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at + 1)
        at = text.find(needle, at + 1)
    if found:
        return found
    spelled = "[-_.]+".join(re.escape(part) for part in canonical.split("-"))
    pattern = rf'^name[ \t]*=[ \t]*"(?:{spelled})"[ \t]*\r?$'
    return [match.start() for match in re.finditer(pattern, text, re.M | re.I)]


def _next_header(text: str, start: int) -> int:
    following = text.find("\n[", start)
    return len(text) if following < 0 else following + 1


def _check_entry(block: str, path: str, name: str, version: str) -> None:
    """Parse the edited entry back: it is TOML, and it gives `name` the `version`."""
    from packaging.utils import canonicalize_name

    try:
        entry = toml_data(block, path)["package"][0]
        ok = canonicalize_name(entry["name"]) == name and entry["version"] == version
    except (FileFormatError, KeyError, IndexError, TypeError):
        ok = False
    if not ok:  # pragma: no cover - a guard, not a path: the splice above keeps TOML
        raise FileFormatError(
            path,
            f"cannot be given version {version} for {name}.",
            hint="Please report this file's shape to cutrelease.",
        )


def _workspace(text: str, path: str) -> dict[str, Any] | None:
    """[tool.uv.workspace] of a pyproject.toml, when it has one."""
    if "workspace" not in text:  # most pyproject.toml files: no parse
        return None
    tool = table(toml_data(text, path), "tool", path)
    workspace = subtable(tool, "uv").get("workspace")
    return workspace if isinstance(workspace, dict) else None


def _is_member(relative: str, workspace: dict[str, Any]) -> bool:
    """Whether the folder `relative` to the workspace root is one of its members (uv's globs)."""
    members, exclude = workspace.get("members", []), workspace.get("exclude", [])

    def matches(patterns: object) -> bool:
        return isinstance(patterns, list) and any(
            isinstance(p, str) and fnmatch.fnmatchcase(relative, posixpath.normpath(p))
            for p in patterns
        )

    return matches(members) and not matches(exclude)
