"""PEP 751 lock files (`pylock.toml`, `pylock.NAME.toml`): the project's own entry.

https://peps.python.org/pep-0751/: a lock file is named `pylock.toml` or `pylock.NAME.toml`;
each `[[packages]]` entry has a `name` (compared as PEP 503 normalizes names) and one source,
a `directory` for the project itself (`uv export --format pylock.toml` writes
`directory = { path = ".", editable = true }`). An entry of the project's name whose
directory is the project's folder, and which holds a `version`, moves with the release as
uv.lock's entry does (commitizen's PEP 751 provider moves it too); PEP 751 says a source tree's
entry should not hold one, so uv leaves it out, and an entry without it is left alone (none
is added). An entry at another version than the project's means the file is out of date.

The files are looked for beside pyproject.toml, and at the root of the uv workspace the
project is a member of (`uv export` there lists every member). The entry is found with
tomllib, its `version` line by the `[[packages]]` headers, and the edited file parsed back:
it must be the same data but that one version.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.base import Found, Place, Pyproject, Source, line_of, toml_data
from cutrelease.files.sources.edits import splice
from cutrelease.files.sources.reader import join
from cutrelease.files.sources.uvlock import workspace_root
from cutrelease.patterns import compiled

_NAME = r"pylock\.(?:[^.]+\.)?toml"
_HEADER = r"(?m)^[ \t]*\["
_PACKAGES = r"[ \t]*\[\[[ \t]*packages[ \t]*\]\]"
_VERSION = r"(?m)^[ \t]*version[ \t]*=[ \t]*([\"'])([^\"'\n]*)\1"


def is_pylock(path: str) -> bool:
    """Whether the file `path` names is a PEP 751 lock file, by its name."""
    return compiled(_NAME).fullmatch(posixpath.basename(path)) is not None


def places(project: Pyproject, found: Found) -> Iterator[Place]:
    """The version of the project's entry in each PEP 751 lock file that holds one."""
    name = project.name
    if name is None:
        return
    folders = [project.folder or "."]
    root = workspace_root(project.reader, project.folder)
    if root is not None:
        folders.append(root)
    for folder in dict.fromkeys(folders):
        for file in project.reader.files_in(folder):
            if is_pylock(file):
                path = join(folder, file)
                yield from lock_places(project.reader.text(path), path, name, project.folder)


def lock_places(text: str, path: str, name: str, project_folder: str) -> Iterator[Place]:
    """The `version` of each `[[packages]]` entry of `text` (the lock file `path`) named
    `name` (PEP 503) whose `directory` is `project_folder` (from the repository root).

    FileFormatError when the file is not TOML, or holds such a version where cutrelease
    cannot find its line (an inline array of tables, say).
    """
    from packaging.utils import canonicalize_name

    data = toml_data(text, path)
    packages = data.get("packages")
    if not isinstance(packages, list):
        return
    canonical = canonicalize_name(name)
    folder = project_folder or "."
    lock_folder = posixpath.dirname(path) or "."
    headers = [
        m.start()
        for m in compiled(_HEADER).finditer(text)
        if compiled(_PACKAGES).match(text, m.start())
    ]
    for index, entry in enumerate(packages):
        if not (isinstance(entry, dict) and _is_project(entry, canonical, lock_folder, folder)):
            continue
        version = entry.get("version")
        if not isinstance(version, str):
            continue  # no version: what PEP 751 asks of a source tree, left alone
        match = None
        if len(headers) == len(packages):
            header = headers[index]
            following = compiled(_HEADER).search(text, (text.find("\n", header) + 1) or len(text))
            end = following.start() if following else len(text)
            match = compiled(_VERSION).search(text, header, end)
        if match is None or match[2] != version:
            raise FileFormatError(
                path,
                f"has the [[packages]] entry {canonical!r} at version {version}, written in a "
                "way cutrelease cannot find its line.",
                hint="Export the lock file again (`uv export --format pylock.toml`), or "
                "report its shape to cutrelease.",
            )
        yield _place(text, path, match, canonical, index)


def _is_project(entry: dict[str, Any], canonical: str, lock_folder: str, folder: str) -> bool:
    """Whether a `[[packages]]` entry is the project: its name, and its `folder` (from the
    repository root) as its `directory` source."""
    from packaging.utils import canonicalize_name

    directory = entry.get("directory")
    entry_name = entry.get("name")
    if not isinstance(entry_name, str) or canonicalize_name(entry_name) != canonical:
        return False
    if not isinstance(directory, dict) or not isinstance(directory.get("path"), str):
        return False
    source = directory["path"]
    return not posixpath.isabs(source) and join(lock_folder, source) == folder


def _place(text: str, path: str, match: re.Match[str], canonical: str, index: int) -> Place:
    start, old = match.start(2), match[2]

    def edit(text: str, new: str) -> str:
        result = splice(text, start, old, new, path)
        _check(text, result, path, index, new)
        return result

    what = f"the [[packages]] entry {canonical!r}"
    return Place(path, line_of(text, start), old, what, edit, start, _out_of_date)


def _check(before: str, after: str, path: str, index: int, new: str) -> None:
    """The edited file is the same data but the entry's version (a guard: tomllib says so)."""
    old_data, new_data = toml_data(before, path), toml_data(after, path)
    new_data["packages"][index]["version"] = old_data["packages"][index]["version"]
    if old_data != new_data or toml_data(after, path)["packages"][index]["version"] != new:
        raise FileFormatError(  # pragma: no cover - a guard: the splice keeps the TOML
            path,
            f"cannot be given version {new} for its [[packages]] entry.",
            hint="Please report this file's shape to cutrelease.",
        )


def _out_of_date(place: Place, source: Source) -> FileFormatError:
    """A lock entry at another version: the lock file is older than the project."""
    name = posixpath.basename(place.path)
    return FileFormatError(
        place.path,
        f"{place.what} is at {place.version}, but the project is at {source.version}: "
        f"{name} is out of date.",
        line=place.line,
        hint=f"Export it again (`uv export --format pylock.toml -o {name}`, or with the tool "
        "that wrote it), commit it, then release.",
    )
