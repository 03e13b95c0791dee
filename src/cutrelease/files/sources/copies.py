"""Copies of the version: the `__version__` assignments of the import package's modules.

Every module-level assignment to `__version__` in `COPY_FILES` of the import package, and in
the file the version is read from, is one place (`assignments` finds every spelling): a
plain string literal moves; one written so that it cannot be moved (an f-string, bytes, a
value computed from literals of the file) is refused naming its line, unless a
`[[tool.cutrelease.files]]` entry moves that line; a value read at run time
(`importlib.metadata.version(...)`, an import) holds nothing to move. In an if/try/with
block, a literal moves only when it holds the current version: another one is a fallback
(`except ImportError: __version__ = "unknown"`), left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from cutrelease import versions
from cutrelease.errors import FileFormatError
from cutrelease.files.sources.assignments import Assignment, assignments
from cutrelease.files.sources.base import Found, Place, Pyproject, Source
from cutrelease.files.sources.edits import splice_place
from cutrelease.files.sources.import_package import import_package

#: The files of the import package that may hold a copy of the version.
COPY_FILES = ("__init__.py", "__about__.py", "_version.py", "version.py")
NAME = "__version__"


def places(project: Pyproject, found: Found) -> Iterator[Place]:
    """Each `__version__` in `COPY_FILES` of the import package (the one the source's file
    is in, else the one the build backend finds) and in the source's own Python file, but
    files a backend generates."""
    paths = []
    package = found.package
    if package is None and project.name is not None:
        package = import_package(project, project.name)
    if package is not None:
        paths = [f"{package}/{file}" for file in COPY_FILES]
    if found.source.place is not None and found.source.place.path.endswith(".py"):
        paths.append(found.source.place.path)  # a second assignment in it moves too
    for path in dict.fromkeys(paths):
        if path in found.generated or not project.reader.is_file(path):
            continue
        yield from copy_places(project.reader.text(path), path, found.source.version)


def copy_places(text: str, path: str, current: str) -> Iterator[Place]:
    """The places of the `__version__` assignments of one Python file (see the module)."""
    for assignment in assignments(text, NAME):
        if assignment.kind == "literal":
            if assignment.nested and not versions.same_release(assignment.value, current):
                continue
            what = NAME if assignment.name == NAME else f"{assignment.name} (the {NAME})"
            yield splice_place(text, path, assignment.start, assignment.value, what=what)
        elif assignment.kind == "static" and assignment.top_level:
            yield refused_place(path, assignment)


def refused_place(path: str, assignment: Assignment) -> Place:
    """A place that holds the version in a way no splice moves: `check` refuses it."""

    def refusal(place: Place, source: Source) -> FileFormatError:
        return FileFormatError(
            path,
            f"{assignment.name} is {assignment.value}, which cutrelease cannot move to the "
            f"new version (only a plain string literal moves).",
            line=assignment.line,
            hint=f'Write {assignment.name} = "{source.version}", or list the file in '
            "[[tool.cutrelease.files]] with a search around the version.",
        )

    def edit(text: str, new: str) -> str:  # pragma: no cover - check() refuses it first
        raise refusal(place, Source("pyproject", new, "", None))

    place = Place(path, assignment.line, "", assignment.name, edit, refused=assignment.value)
    return place._replace(disagreement=refusal)
