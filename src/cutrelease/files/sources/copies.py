"""Copies of the version: a top-level `__version__ = "..."` in the import package's modules."""

from __future__ import annotations

from collections.abc import Iterator

from cutrelease.files.sources.assignments import DUNDER_VERSION
from cutrelease.files.sources.base import Found, Place, Pyproject
from cutrelease.files.sources.edits import splice_place
from cutrelease.files.sources.import_package import import_package

#: The files of the import package that may hold a copy of the version.
COPY_FILES = ("__init__.py", "__about__.py", "_version.py", "version.py")


def places(project: Pyproject, found: Found) -> Iterator[Place]:
    """Each `__version__` string in `COPY_FILES` of the import package (the one the source's
    file is in, else the one the build backend finds), but files a backend generates."""
    name = project.name
    if name is None:
        return
    package = found.package or import_package(project, name)
    if package is None:
        return
    for file in COPY_FILES:
        path = f"{package}/{file}"
        if path in found.generated or not project.reader.is_file(path):
            continue
        text = project.reader.text(path)
        for match in DUNDER_VERSION.finditer(text):
            if match["version"] is not None:
                yield splice_place(
                    text, path, match.start("version"), match["version"], what="__version__"
                )
