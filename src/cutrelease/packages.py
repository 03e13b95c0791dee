"""The packages a repository holds, found without loading one: their folders and their names.

A uv workspace's members (`[tool.uv.workspace] members`/`exclude` globs in the root
pyproject.toml, plus the root itself when it has a `[project]` table, as uv counts them), or,
without a uv workspace, every pyproject.toml git tracks. Each is read with tomllib; nothing is
imported. Below project.py, which names them in its refusals, and workspace.py, which adds
their tag prefixes and says which one a command means.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cutrelease.errors import FileFormatError
from cutrelease.tomlfile import parse_toml

PYPROJECT = "pyproject.toml"

#: Folders a search for pyproject.toml files never enters when git cannot list them.
_NOT_SOURCES = {"node_modules", "__pycache__", "site-packages", "venv"}


def canonical_name(name: str) -> str:
    """The PEP 503 normalized form of a project name: runs of "-", "_", "." become one "-",
    lower case (packaging.utils.canonicalize_name, without importing packaging)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def member_tag_prefix(name: str) -> str:
    """The default tag prefix of a package outside the repository's root: `NAME-v`, NAME
    normalized (so `My_Plugin` 1.2.3 is tagged `my-plugin-v1.2.3`)."""
    return f"{canonical_name(name)}-v"


def folders(root: Path) -> list[str]:
    """The folders (relative to `root`, "" for the root) that may hold a package, the root's
    first: a uv workspace's root and members, else those of every tracked pyproject.toml."""
    workspace = uv_workspace(root_data(root))
    if workspace is not None:
        return ["", *sorted(member_folders(root, workspace))]
    return _project_folders(root)


def names(root: Path) -> list[str]:
    """The [project].name of every package of the repository, in the order of `folders`.

    Raises FileFormatError for a pyproject.toml that is not TOML or has no name."""
    found = (package_name(data(root, folder), folder) for folder in folders(root))
    return [name for name in found if name is not None]


def package_name(data: dict[str, Any], folder: str) -> str | None:
    """The [project].name of the pyproject.toml `data` in `folder` (a poetry 1.x project's
    [tool.poetry].name when it has no [project] table); None for neither. FileFormatError
    when the table has no name."""
    project = data.get("project")
    if not isinstance(project, dict):
        tool = data.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        name = poetry.get("name") if isinstance(poetry, dict) else None
        return name if isinstance(name, str) and name.strip() else None
    name = project.get("name")
    if not isinstance(name, str) or not name.strip():
        path = posixpath.join(folder, PYPROJECT)
        raise FileFormatError(path, "has no [project].name.", hint="Give the package its name.")
    return name


def uv_workspace(data: dict[str, Any]) -> dict[str, Any] | None:
    """[tool.uv.workspace] of a pyproject.toml's data, when it has one."""
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    workspace = uv.get("workspace") if isinstance(uv, dict) else None
    return workspace if isinstance(workspace, dict) else None


def member_folders(root: Path, workspace: dict[str, Any]) -> set[str]:
    """The folders uv takes as the workspace's members: each `members` glob's folders that
    hold a pyproject.toml, less those an `exclude` glob matches (uv's workspace.rs)."""
    import fnmatch  # here: only a workspace's root asks
    import glob

    exclude = [posixpath.normpath(pattern) for pattern in strings(workspace.get("exclude"))]
    found: set[str] = set()
    for pattern in strings(workspace.get("members")):
        for match in glob.glob(posixpath.normpath(pattern), root_dir=root, recursive=True):
            folder = Path(match).as_posix()
            if folder in (".", "") or not (root / folder / PYPROJECT).is_file():
                continue
            if not any(fnmatch.fnmatchcase(folder, excluded) for excluded in exclude):
                found.add(folder)
    return found


def _project_folders(root: Path) -> list[str]:
    """The folders of every pyproject.toml git tracks (outside git: found below `root`)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--", PYPROJECT, f"*/{PYPROJECT}"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        done = None
    if done is not None and done.returncode == 0:
        paths = [path for path in done.stdout.decode("utf-8", "replace").split("\0") if path]
        found = {posixpath.dirname(path) for path in paths}
    else:
        found = set(_walk(root))
    return sorted(found, key=lambda folder: (folder != "", folder))


def _walk(root: Path) -> Iterable[str]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            name for name in subfolders if not name.startswith(".") and name not in _NOT_SOURCES
        ]
        if PYPROJECT in files:
            relative = Path(folder).relative_to(root).as_posix()
            yield "" if relative == "." else relative


def strings(value: object) -> list[str]:
    """The strings of a TOML list (anything else: none)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def root_data(root: Path) -> dict[str, Any]:
    """The root's pyproject.toml as data; {} when there is none."""
    if not (root / PYPROJECT).is_file():
        return {}
    return data(root, "")


def data(root: Path, folder: str) -> dict[str, Any]:
    """One pyproject.toml (in `folder`, relative to `root`) read with tomllib."""
    path = posixpath.join(folder, PYPROJECT)
    try:
        text = (root / path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        from cutrelease.files import unreadable

        raise FileFormatError(path, unreadable.message(exc)) from None
    except UnicodeDecodeError as exc:
        from cutrelease.files import unreadable

        raise FileFormatError(path, unreadable.message(exc)) from None
    return parse_toml(text, path)
