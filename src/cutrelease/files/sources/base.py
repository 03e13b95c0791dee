"""The shared interface of the version's places: Place, Source, Found, the Pyproject they read.

Each module of this package is one place the version lives. A module that can say what the
current version is answers `source(project) -> Found | None` (a build backend's dynamic
version also `looked_for(project)`: a `DynamicBackend`); a module that finds more places
holding it answers `places(project, found) -> Iterator[Place]` (a `PlaceFinder`).
`__init__.py` lists them in the order they are asked (`DYNAMIC_BACKENDS`,
`CONVENTIONAL_PLACES`).
"""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the classes themselves.
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, NamedTuple, Protocol

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.reader import Reader, join

PYPROJECT = "pyproject.toml"

Kind = Literal[
    "pyproject",
    "poetry",
    "hatch-path",
    "setuptools-attr",
    "setuptools-file",
    "flit",
    "pdm-file",
    "tags",
]


class Place(NamedTuple):
    """One spot of one file that holds the version.

    `version` is the version as written there; `edit(text, new)` is that file's text with
    this spot set to `new` (already in normal form) and nothing else changed. A splice
    (`start` is the version's offset) relies on the text before it being as it was read, so
    the splices of one file are applied from the last to the first, then the tomlkit edits
    (`start` -1), which find their key wherever it is; `line` is then for messages.
    `disagreement` tells a place that holds another version, when the common sentence
    (`version_sources.disagreement`) is not the right one (a lock is out of date, say). A
    `refused` place holds the version in a way no edit moves (`__version__ = f"1.0"`): its
    `version` is "", so it never agrees, and its `disagreement` says why.
    """

    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based
    version: str
    what: str  # what holds it, for messages: "[project].version", "__version__", ...
    edit: Callable[[str, str], str]
    start: int = -1  # the version's offset in the text, when the edit is a splice
    disagreement: "Callable[[Place, Source], FileFormatError] | None" = None
    refused: str = ""  # why no edit can move it (an f-string, ...): `disagreement` refuses it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Source(NamedTuple):
    """Where the current version comes from: the one place a release reads it."""

    kind: Kind
    version: str  # as written at the source
    backend: str  # the build backend or tool that reads it ("hatchling", "hatch-vcs", ...)
    place: Place | None  # None for versions from tags
    changelog: str = ""  # the changelog the version is read from, for versions from tags

    @property
    def where(self) -> str:
        """What `versions.parse(..., where=...)` names when the version is not valid."""
        if self.place is None:
            return f"the newest release in {self.changelog} (versions from tags, {self.backend})"
        return f"{self.place.what} in {self.place}"


class Found(NamedTuple):
    """A `Source`, and what finding it told about the project's other places."""

    source: Source
    package: str | None = None  # the import package's folder, when the source's file is in it
    generated: frozenset[str] = frozenset()  # files a backend writes the version to: no copies


class Pyproject:
    """One project's pyproject.toml as the rules read it, and the repository's files beside it.

    In: the files' `reader`, the project's `folder` relative to the repository root ("" for
    the root project) and its pyproject.toml `text`. Raises FileFormatError when the text is
    not TOML, or `project`, `tool` or `build-system` is not a table.
    """

    def __init__(self, reader: Reader, folder: str, text: str) -> None:
        self.reader = reader
        self.folder = folder
        self.text = text
        self.path = join(folder, PYPROJECT)
        self.data = toml_data(text, self.path)
        self.project = table(self.data, "project", self.path)
        self.tool = table(self.data, "tool", self.path)
        build = table(self.data, "build-system", self.path)
        # PEP 517: a project without [build-system].build-backend builds with setuptools.
        self.backend = str(build.get("build-backend") or "setuptools.build_meta:__legacy__")
        requires = build.get("requires", [])
        self.requires = [str(r) for r in requires] if isinstance(requires, list) else []

    def tool_table(self, *keys: str) -> dict[str, Any]:
        """`[tool.KEY...]`, {} when absent or not a table."""
        value = self.tool
        for key in keys:
            value = subtable(value, key)
        return value

    def file(self, name: str) -> str:
        """`name`, relative to the project's folder, as a path from the repository root."""
        return join(self.folder, name)

    @property
    def backend_name(self) -> str:
        """The build backend's distribution name: "hatchling", "setuptools", "flit-core"."""
        return self.backend.split(":")[0].split(".")[0].replace("_", "-")

    @property
    def dynamic(self) -> bool:
        """Whether `[project].dynamic` lists the version."""
        listed = self.project.get("dynamic", [])
        return isinstance(listed, list) and "version" in listed

    @property
    def name(self) -> str | None:
        """The project's name: `[project].name`, else poetry's (before 2.0)."""
        name = self.project.get("name") or self.tool_table("poetry").get("name")
        return name if isinstance(name, str) else None


class DynamicBackend(Protocol):
    """A build backend whose dynamic version cutrelease reads (a module: `hatch_path`, ...)."""

    def source(self, project: Pyproject) -> Found | None:
        """The version where this backend reads it; None when it is not configured to."""

    def looked_for(self, project: Pyproject) -> str:
        """What was looked for, for the sentence that refuses a version not found."""


#: A module's `places`: more places holding the version (uv.lock, copies, ...).
PlaceFinder = Callable[[Pyproject, Found], Iterator[Place]]


def toml_data(text: str, path: str) -> dict[str, Any]:
    """TOML text as data (`parse_toml`), a BOM aside."""
    from cutrelease.tomlfile import parse_toml

    return parse_toml(text.removeprefix("\ufeff"), path)


def table(data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    """The table `data[key]`, {} when absent; FileFormatError naming `path` when not a table."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise FileFormatError(path, f"{key!r} is not a table.")
    return value


def subtable(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The table `data[key]`, {} when absent or not a table (a tool's own affair)."""
    value = data.get(key, {})
    return value if isinstance(value, dict) else {}


def line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1
