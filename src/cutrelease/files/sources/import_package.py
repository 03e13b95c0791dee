"""Where the project's import package is, as its build backend finds it by default."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from cutrelease.files.sources.base import Pyproject
from cutrelease.files.sources.reader import Reader


def package_of(reader: Reader, path: str) -> str | None:
    """The package a module belongs to (src/pkg/__about__.py -> src/pkg), if any."""
    folder = posixpath.dirname(path)
    return folder if folder and reader.is_file(f"{folder}/__init__.py") else None


def import_package(project: Pyproject, name: str) -> str | None:
    """The folder of the import package of the project `name`: a configured one, else the
    package spelled like the project in src/ or the project's folder."""
    for configured in _configured_packages(project, name):
        if project.reader.is_dir(configured):
            return configured
    for base in ("src/", ""):
        for spelling in _spellings(name):
            package = project.file(base + spelling)
            if project.reader.is_file(f"{package}/__init__.py"):
                return package
    return None


def _spellings(name: str) -> list[str]:
    """How a project's name is spelled as its import package: My-Pkg -> My_Pkg, my_pkg."""
    return list(dict.fromkeys([re.sub(r"[-.]+", "_", name), re.sub(r"[-_.]+", "_", name).lower()]))


def _configured_packages(project: Pyproject, name: str) -> Iterator[str]:
    """The packages uv_build, flit, hatchling, setuptools and poetry are told to build."""
    uv = project.tool_table("uv", "build-backend")
    if isinstance(uv.get("module-name"), str):
        root = uv.get("module-root", "src")
        yield project.file(posixpath.join(str(root), uv["module-name"].replace(".", "/")))
    flit = project.tool_table("flit", "module")
    if isinstance(flit.get("name"), str):
        for base in ("", "src/"):
            yield project.file(base + flit["name"].replace(".", "/"))
    hatch = project.tool_table("hatch").get("build", {})
    wheel = hatch.get("targets", {}).get("wheel", {}) if isinstance(hatch, dict) else {}
    packages = wheel.get("packages") if isinstance(wheel, dict) else None
    if isinstance(packages, list) and packages and isinstance(packages[0], str):
        yield project.file(packages[0])
    yield from _setuptools_packages(project, name)
    poetry = project.tool_table("poetry").get("packages")
    if isinstance(poetry, list) and poetry and isinstance(poetry[0], dict):
        include, base = poetry[0].get("include"), poetry[0].get("from", "")
        if isinstance(include, str) and isinstance(base, str):
            yield project.file(posixpath.join(base, include))


def _setuptools_packages(project: Pyproject, name: str) -> Iterator[str]:
    """setuptools' `packages` list, `packages.find` `where` folders and `package-dir` root
    (https://setuptools.pypa.io/en/latest/userguide/package_discovery.html): the package
    named like the project, else the only package there."""
    setuptools = project.tool_table("setuptools")
    package_dir = setuptools.get("package-dir")
    mapping = package_dir if isinstance(package_dir, dict) else {}
    base = str(mapping.get("", ""))
    packages = setuptools.get("packages")
    if isinstance(packages, list):
        for package in (p for p in packages if isinstance(p, str) and "." not in p):
            yield project.file(str(mapping.get(package, posixpath.join(base, package))))
        return
    find = packages.get("find") if isinstance(packages, dict) else None
    wheres = find.get("where", ["."]) if isinstance(find, dict) else [base] if base else []
    for where in (w for w in wheres if isinstance(w, str)):
        found = project.reader.packages_in(project.file(where))
        named = [p for p in found if posixpath.basename(p) in _spellings(name)]
        yield from named or (found if len(found) == 1 else [])
