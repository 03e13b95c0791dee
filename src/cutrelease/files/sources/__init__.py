"""Where the version lives: pyproject, uv.lock, dynamic backends, tags, copies, listed files.

Everything here is a pure text edit. `find_places` reads the project's files (through a
`Reader` given the repository's root, each file once) and answers with the current version,
where it comes from, and every `Place` that holds it; `VersionSources.changes(new)` turns
them into whole new texts, which the release plan wraps as its `FileEdit`s. Nothing is
written here, and nothing runs: no build backend, no uv, no git.

One module per place the version lives, over the interface of `base` (`Place`, `Source`,
`Found`, `Pyproject`); each says where its rules come from:

- `pyproject`: `[project].version` (PEP 621), changed through tomlkit (`toml_keys`) so that
  every other byte stays.
- `poetry`: `[tool.poetry].version` (poetry before 2.0, or 2.x with `dynamic = ["version"]`),
  and the same key repeating `[project].version`.
- `uvlock`: uv.lock's `[[package]]` entry of the project, beside pyproject.toml or at the root
  of the uv workspace the project belongs to.
- `pylock`: the project's own `[[packages]]` entry in PEP 751 lock files (`pylock.toml`,
  `pylock.NAME.toml`), found the same way.
- Dynamic versions, from the file the build backend reads: `hatch_path`,
  `setuptools_dynamic` (attr and file), `flit_module`, `pdm_file`.
- `git_tags`: versions from git tags (hatch-vcs, setuptools-scm, pdm's `scm` source,
  uv-dynamic-versioning, poetry-dynamic-versioning), read from the changelog.
- `copies`: the `__version__ = "..."` assignments (`assignments`, every Python spelling) in
  the import package (`import_package`) and in the source's own file.
- `listed`: `[[tool.cutrelease.files]]` entries (`ListedFile`).

Adding a place is one module and one line below: a build backend's dynamic version in
`DYNAMIC_BACKENDS`, another file holding the version in `CONVENTIONAL_PLACES`.

Versions are written in PEP 440's normal form (`versions.normal`); a place that spells the
current version another way (`1.3.0-rc.1`) is the same version (`versions.same_release`).
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cutrelease.errors import Refused
from cutrelease.files.sources import pyproject
from cutrelease.files.sources.base import (
    PYPROJECT,
    DynamicBackend,
    Found,
    Kind,
    Place,
    PlaceFinder,
    Pyproject,
    Source,
)
from cutrelease.files.sources.reader import Reader

if TYPE_CHECKING:  # at run time, __getattr__ imports each on first use
    from cutrelease.files.sources.edits import assert_only_versions_changed
    from cutrelease.files.sources.git_tags import require_tag
    from cutrelease.files.sources.listed import ListedFile, listed_files
    from cutrelease.files.sources.toml_keys import set_toml_string
    from cutrelease.files.sources.uvlock import UV_LOCK
    from cutrelease.files.sources.version_sources import Change, VersionSources

#: Where each name this package offers but does not load at once lives: `bump version` of a
#: static version needs `pyproject` alone, and each module costs start-up time.
_LAZY = {
    "assert_only_versions_changed": "edits",
    "require_tag": "git_tags",
    "ListedFile": "listed",
    "listed_files": "listed",
    "set_toml_string": "toml_keys",
    "UV_LOCK": "uvlock",
    "Change": "version_sources",
    "VersionSources": "version_sources",
}


def __getattr__(name: str) -> Any:
    """The names of _LAZY, imported on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _module(name: str) -> Any:
    """This package's module `name`, imported now if it was not."""
    return importlib.import_module(f"{__name__}.{name}")


__all__ = [
    "PYPROJECT",
    "UV_LOCK",
    "Change",
    "Kind",
    "ListedFile",
    "Place",
    "Reader",
    "Source",
    "VersionSources",
    "assert_only_versions_changed",
    "find_places",
    "find_version",
    "is_lock",
    "listed_files",
    "require_tag",
    "set_toml_string",
]

#: The build backends whose dynamic version cutrelease reads, by distribution name: the
#: module of each (a DynamicBackend), imported when a project uses that backend.
DYNAMIC_BACKENDS: dict[str, str] = {
    "hatchling": "hatch_path",
    "setuptools": "setuptools_dynamic",
    "flit-core": "flit_module",
    "pdm": "pdm_file",
}

#: The modules of the files found holding the version by convention, after the source's, in
#: this order; each module's `places` is a PlaceFinder.
CONVENTIONAL_PLACES: tuple[str, ...] = ("poetry", "uvlock", "pylock", "copies")


def _backend(name: str) -> DynamicBackend | None:
    """The module reading build backend `name`'s dynamic version, if cutrelease knows one."""
    module = DYNAMIC_BACKENDS.get(name)
    return None if module is None else cast(DynamicBackend, _module(module))


def is_lock(path: str) -> bool:
    """Whether `path` is a lock file (uv.lock, pylock.toml, pylock.NAME.toml): one git does
    not track is no part of the release, and is left alone."""
    uvlock, pylock = _module("uvlock"), _module("pylock")
    return posixpath.basename(path) == uvlock.UV_LOCK or bool(pylock.is_pylock(path))


def find_version(
    root: Path,
    pyproject_text: str,
    *,
    folder: str = "",
    changelog: str = "CHANGELOG.md",
    reader: Reader | None = None,
) -> Source:
    """Where the current version of the project in `folder` comes from, and what it is.

    In: the repository `root`, the project's pyproject.toml text, its folder relative to the
    root ("" for the root project) and its changelog's path (relative to the folder), read
    only for versions from tags. Out: a `Source`. Raises Refused (or FileFormatError, naming
    the file and line) for a project whose version cutrelease cannot read: none at all, a
    dynamic one with no source it knows, a configured path that does not exist or leaves
    the repository, a pattern that matches nothing, and `[project].version` and
    `[tool.poetry].version` that disagree. Light on purpose: `bump version` asks only this.
    """
    project = Pyproject(reader or Reader(root), folder, pyproject_text)
    return _source(project, changelog).source


def find_places(
    root: Path,
    pyproject_text: str,
    *,
    folder: str = "",
    files: Sequence[ListedFile] = (),
    changelog: str = "CHANGELOG.md",
    reader: Reader | None = None,
) -> VersionSources:
    """Every place that holds the version, with its source (see `find_version`).

    The places come in this order: the source's, poetry's key when it repeats
    `[project].version`, the uv.lock entry, the PEP 751 lock entries, the `__version__`
    copies, then each of `files` (`[[tool.cutrelease.files]]`). A place that disagrees with
    the current version is kept (`VersionSources.disagreements` lists them, `changes`
    refuses them). Raises what
    `find_version` raises, and Refused for a listed file that does not exist, leaves the
    repository, or has no `search` with the current version.
    """
    reader = reader or Reader(root)
    project = Pyproject(reader, folder, pyproject_text)
    found = _source(project, changelog)
    places = _distinct(_places(project, found, files))
    texts = {path: reader.text(path) for path in dict.fromkeys(p.path for p in places)}
    from cutrelease.files.sources.version_sources import VersionSources

    return VersionSources(found.source, tuple(places), texts)


def _distinct(found: Iterator[Place]) -> list[Place]:
    """Each spot once (a listed file that is a copy, a copy that is the source's line...).

    Splices are one spot when their versions overlap (hatchling's `v1.0` pattern reads
    `1.0`, the copy `v1.0`): the first found stays. A tomlkit edit is one spot by its line.
    A refused place (`__version__ = f"1.0"`) goes when another place moves its line (a
    `[[tool.cutrelease.files]]` search around it).
    """
    places: list[Place] = []
    for place in found:
        if any(_same_spot(place, kept) for kept in places):
            continue
        places = [kept for kept in places if not _moves(place, kept)]
        if not any(_moves(kept, place) for kept in places):
            places.append(place)
    return places


def _same_spot(place: Place, kept: Place) -> bool:
    if place.path != kept.path or place.refused or kept.refused:
        return False
    if place.start < 0 or kept.start < 0:
        return place.line == kept.line
    end, kept_end = place.start + len(place.version), kept.start + len(kept.version)
    return place.start == kept.start or (place.start < kept_end and kept.start < end)


def _moves(mover: Place, refused: Place) -> bool:
    """Whether `mover` moves the line of the `refused` place."""
    return (
        bool(refused.refused)
        and not mover.refused
        and mover.path == refused.path
        and mover.line == refused.line
    )


def _source(project: Pyproject, changelog: str) -> Found:
    """The rules of `find_version`, in the order a build reads the version."""
    found = pyproject.source(project)
    if found is not None:
        return found
    # Without [project] (poetry before 2.0), the tool tables alone say where it lives.
    from_tools = project.dynamic or "project" not in project.data
    if from_tools:
        git_tags = _module("git_tags")
        tags = git_tags.backend(project)
        if tags is not None:
            return cast(Found, git_tags.source(project, tags, changelog))
    dynamic = _backend(project.backend_name) if project.dynamic else None
    found = dynamic.source(project) if dynamic is not None else None
    if found is None and from_tools:
        found = _module("poetry").source(project)
    if found is not None:
        return found
    if project.dynamic:
        looked_for = (
            dynamic.looked_for(project)
            if dynamic is not None
            else "is not one whose version source cutrelease knows"
        )
        raise Refused(
            f"{project.path} lists version in [project].dynamic, but cutrelease cannot "
            f"read it: build backend {project.backend_name} {looked_for}.",
            hint='Set version = "X.Y.Z" in [project] (and drop it from dynamic), or have '
            "the backend read it from a file.",
        )
    legacy = _setuptools_metadata_version(project)
    if legacy is not None:
        raise Refused(
            f"the version is set in {legacy}, which cutrelease does not read or write.",
            hint="Move it to pyproject.toml as setuptools reads it there: [project] with "
            'name and dynamic = ["version"], and [tool.setuptools.dynamic] version = '
            '{attr = "package.__version__"} (or {file = "VERSION"}).',
        )
    raise Refused(
        f"{project.path} has no [project].version.",
        hint='Add version = "0.1.0" under [project].',
    )


def _setuptools_metadata_version(project: Pyproject) -> str | None:
    """`setup.cfg [metadata] version` (or `version=` in setup.py) beside a pyproject.toml
    without [project]: where setuptools read the version before PEP 621. None if not so."""
    if "project" in project.data:
        return None
    setup_cfg = posixpath.join(project.folder, "setup.cfg")
    setup_py = posixpath.join(project.folder, "setup.py")
    if project.reader.is_file(setup_cfg):
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(project.reader.text(setup_cfg), source=setup_cfg)
        except configparser.Error:
            return None
        if parser.has_option("metadata", "version"):
            return f"{setup_cfg} ([metadata] version = {parser.get('metadata', 'version')})"
    if project.reader.is_file(setup_py) and "version=" in project.reader.text(setup_py):
        return f"{setup_py} (version=...)"
    return None


def _places(project: Pyproject, found: Found, files: Sequence[ListedFile]) -> Iterator[Place]:
    """The source's place, the conventional places, then the listed files' places."""
    if found.source.place is not None:
        yield found.source.place
    for module in CONVENTIONAL_PLACES:
        finder: PlaceFinder = _module(module).places
        yield from finder(project, found)
    listed = _module("listed")
    for entry in files:
        yield from listed.places(project, entry, found.source.version)
