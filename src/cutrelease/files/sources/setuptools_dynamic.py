"""setuptools' dynamic version: `[tool.setuptools.dynamic] version`, its `attr` or `file`.

The attr's module is found as `setuptools.config.expand._find_module` finds it (`package-dir`,
else the `src/` layout auto-discovery picks, else the flat layout) and the attribute read as
its `StaticModule` reads it (the first top-level assignment, a string literal); a `file` holds
the version alone.
"""

from __future__ import annotations

import posixpath
from typing import Any

from cutrelease.errors import FileFormatError, Refused
from cutrelease.files.sources.assignments import first_top_level
from cutrelease.files.sources.base import Found, Place, Pyproject, Source
from cutrelease.files.sources.edits import splice_place
from cutrelease.files.sources.import_package import package_of


def source(project: Pyproject) -> Found | None:
    """The version `[tool.setuptools.dynamic].version` points at; None without one.

    Raises Refused for an attr whose module is not found, or a file out of the repository;
    FileFormatError for a module with no string assignment, or a file holding more.
    """
    setuptools = project.tool_table("setuptools")
    dynamic = setuptools.get("dynamic", {})
    spec = dynamic.get("version") if isinstance(dynamic, dict) else None
    if not isinstance(spec, dict):
        return None
    if isinstance(spec.get("attr"), str):
        return _attr(project, spec["attr"], setuptools)
    files = spec.get("file")
    if isinstance(files, list) and len(files) == 1:
        files = files[0]
    if isinstance(files, str):
        key = "[tool.setuptools.dynamic].version.file"
        path = project.reader.named(project.folder, files, key=key)
        place = _whole_file_place(project.reader.text(path), path)
        return Found(Source("setuptools-file", place.version, "setuptools", place))
    return None


def looked_for(project: Pyproject) -> str:
    """What setuptools was not configured with, for the refusal."""
    return "has no [tool.setuptools.dynamic].version with attr or file"


def _attr(project: Pyproject, attr: str, setuptools: dict[str, Any]) -> Found:
    key = "[tool.setuptools.dynamic].version.attr"
    module, _, name = attr.strip().rpartition(".")
    package_dir = setuptools.get("package-dir", {})
    if not isinstance(package_dir, dict):
        package_dir = {}
    if not package_dir:
        package_dir = _discovered_dir(project, setuptools)
    path = _module_file(project, module or "__init__", package_dir)
    if path is None:
        raise Refused(
            f"{key} in {project.path} is {attr!r}, but no module {module!r} is where "
            "setuptools looks (package-dir, src/, the project's folder).",
            hint="Fix the attr, or [tool.setuptools].package-dir.",
        )
    text = project.reader.text(path)
    found = first_top_level(text, name)  # setuptools' StaticModule: the first one, literal_eval
    if found is None or found.kind == "runtime":
        what = "no top-level assignment" if found is None else "no string literal"
        raise FileFormatError(
            path,
            f"has {what} of {name} for {key} {attr!r} (setuptools would import it, "
            "cutrelease does not).",
            line=None if found is None else found.line,
            hint=f'Write {name} = "X.Y.Z" at the top level.',
        )
    if found.kind == "static":
        raise FileFormatError(
            path,
            f"{name} ({key} {attr!r}) is {found.value}, which cutrelease cannot move.",
            line=found.line,
            hint=f'Write {name} = "X.Y.Z" at the top level.',
        )
    place = splice_place(text, path, found.start, found.value, what=found.name)
    version_source = Source("setuptools-attr", place.version, "setuptools", place)
    return Found(version_source, package=package_of(project.reader, path))


def _discovered_dir(project: Pyproject, setuptools: dict[str, Any]) -> dict[str, str]:
    """What setuptools' auto-discovery adds to package_dir: {"": "src"} for a src-layout."""
    packages = setuptools.get("packages")
    where = packages.get("find", {}).get("where") if isinstance(packages, dict) else None
    if isinstance(where, list) and len(where) == 1 and isinstance(where[0], str):
        return {} if posixpath.normpath(where[0]) == "." else {"": where[0]}
    explicit = isinstance(packages, list) or "py-modules" in setuptools
    if not explicit and project.reader.is_dir(project.file("src")):
        return {"": "src"}
    return {}


def _module_file(project: Pyproject, module: str, package_dir: dict[str, Any]) -> str | None:
    """setuptools.config.expand._find_module: the file that defines `module`."""
    parent, parts = "", module.split(".")
    first = parts[0]
    if isinstance(package_dir.get(first), str):
        custom = package_dir[first].rstrip("/")
        parent, _, base = custom.rpartition("/")
        parts = [base or custom, *parts[1:]]
    elif isinstance(package_dir.get(""), str):
        parent = package_dir[""]
    start = project.file(posixpath.join(parent, *parts))
    for candidate in (f"{start}.py", f"{start}/__init__.py"):
        if project.reader.is_file(candidate):
            return candidate
    return None


def _whole_file_place(text: str, path: str) -> Place:
    """setuptools' `file:` version: the whole file, blanks around it aside."""
    version = text.strip().lstrip("\ufeff").strip()
    if not version or "\n" in version:
        raise FileFormatError(
            path,
            "must hold the version alone (setuptools reads the whole file as the version).",
            hint="Write X.Y.Z on one line.",
        )
    return splice_place(text, path, text.index(version), version, what="version")
