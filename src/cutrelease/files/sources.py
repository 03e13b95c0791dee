"""Where the version lives: pyproject, uv.lock, dynamic backends, tags, copies, listed files.

Everything here is a pure text edit. `find_places` reads the project's files (through a
`Reader` given the repository's root, each file once) and answers with the current version,
where it comes from, and every `Place` that holds it; `VersionSources.changes(new)` turns
them into whole new texts, which the release plan wraps as its `FileEdit`s. Nothing is
written here, and nothing runs: no build backend, no uv, no git.

The rules, and where each comes from:

- **pyproject.toml** `[project].version` (PEP 621), changed through tomlkit so that every
  other byte stays; without one, poetry's `[tool.poetry].version` (poetry before 2.0, or 2.x
  with `dynamic = ["version"]`).
- **uv.lock**, beside pyproject.toml or at the root of the uv workspace the project belongs
  to: the `[[package]]` entry whose `name` is the project's (compared as PEP 503 normalizes
  names, `packaging.utils.canonicalize_name`). Found by its lines, not by a TOML parser: a
  lock of a thousand packages is megabytes, and tomlkit takes seconds on it. The edited entry
  is parsed back (tomllib) to prove it. An entry without `version` (a dynamic version) is
  left alone; one that disagrees with the current version means the lock is out of date.
- **Dynamic versions**, from the file the build backend reads:
  hatchling's `[tool.hatch.version] path` with its `pattern` or hatchling's default pattern
  (`hatchling/version/core.py`: `__version__` or `VERSION` set to a string, an optional `v`
  before it); setuptools' `[tool.setuptools.dynamic] version = {attr = ...}`, the module
  found as `setuptools.config.expand._find_module` finds it (`package-dir`, else the
  `src/` layout auto-discovery picks, else the flat layout) and the attribute read as its
  `StaticModule` reads it (the first top-level assignment, a string literal), or
  `{file = ...}`; flit's module `__version__` (`flit_core.common.Module`: `NAME`, `NAME.py`,
  `src/NAME`, `src/NAME.py`; `__init__.py` wins over `version.py`, `_version.py`,
  `__version__.py`); pdm-backend's `[tool.pdm.version] source = "file"` with its
  `^__version__\\s*=\\s*["'](.+?)["']` pattern.
- **Versions from git tags** (hatch-vcs, setuptools-scm, pdm's `scm` source,
  uv-dynamic-versioning, poetry-dynamic-versioning): no file holds the version; the current
  one is the changelog's newest release, which must have its tag (`require_tag`).
- **Copies**: a top-level `__version__ = "..."` in the import package's `__init__.py`,
  `__about__.py`, `_version.py` or `version.py`.
- **Listed files**: `[[tool.cutrelease.files]]` entries (`ListedFile`).

Versions are written in PEP 440's normal form (`versions.normal`); a place that spells the
current version another way (`1.3.0-rc.1`) is the same version (`versions.same_release`).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError, Refused

PYPROJECT = "pyproject.toml"
UV_LOCK = "uv.lock"

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

#: hatchling's default (`hatchling.version.core.DEFAULT_PATTERN`), searched with re.MULTILINE.
HATCH_DEFAULT_PATTERN = r"(?i)^(__version__|VERSION) *= *([\'\"])v?(?P<version>.+?)\2"
#: pdm-backend's (`pdm.backend.hooks.version.DynamicVersionBuildHook.resolve_version_from_file`).
PDM_PATTERN = r"^__version__\s*=\s*[\"'](?P<version>.+?)[\"']\s*(?:#.*)?$"
#: The files of the import package that may hold a copy of the version.
COPY_FILES = ("__init__.py", "__about__.py", "_version.py", "version.py")
_LOCK_ENTRY = "the [[package]] entry"
_LOCK_VERSION = re.compile(r'^version[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)


def _assignment(name: str) -> re.Pattern[str]:
    """A top-level `NAME = "literal"` (annotation allowed), its value as group `version`.

    Only a plain string ends the match at the end of the statement, so `NAME = "1.0" + x` and
    `NAME = get_version()` are not string assignments (group `version` is then None).
    """
    return re.compile(
        rf"^{re.escape(name)}[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*"
        r"(?:(?P<q>['\"])(?P<version>[^'\"\\\n]*)(?P=q)(?=[ \t]*(?:[#;\r\n]|$)))?",
        re.MULTILINE,
    )


_DUNDER_VERSION = _assignment("__version__")


# ------------------------------------------------------------------------------------ types


class ListedFile(NamedTuple):
    """One `[[tool.cutrelease.files]]` entry: every `search` with the version in `path` moves.

    `path` is relative to the project's folder; `search` is literal text holding `{version}`.
    """

    path: str
    search: str = "{version}"


class Place(NamedTuple):
    """One spot of one file that holds the version.

    `version` is the version as written there; `edit(text, new)` is that file's text with
    this spot set to `new` (already in normal form) and nothing else changed. A splice
    (`start` is the version's offset) relies on the text before it being as it was read, so
    the splices of one file are applied from the last to the first, then the tomlkit edits
    (`start` -1), which find their key wherever it is; `line` is then for messages.
    """

    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based
    version: str
    what: str  # what holds it, for messages: "[project].version", "__version__", ...
    edit: Callable[[str, str], str]
    start: int = -1  # the version's offset in the text, when the edit is a splice

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


class Change(NamedTuple):
    """One file's whole text before and after the release (the plan's FileEdit, as text)."""

    path: str
    before: str
    after: str


class VersionSources(NamedTuple):
    """The current version, its source, and every place a release moves it."""

    source: Source
    places: tuple[Place, ...]  # the source's place first, then uv.lock, copies, listed files
    texts: Mapping[str, str]  # each place's file as read

    @property
    def version(self) -> str:
        return self.source.version

    def without(self, paths: Sequence[str]) -> VersionSources:
        """These places but those in `paths` (a uv.lock git does not track, say)."""
        kept = tuple(place for place in self.places if place.path not in paths)
        return self._replace(places=kept)

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def paths(self) -> list[str]:
        """The files a release writes for the version, each once, in the order of `places`."""
        return list(dict.fromkeys(place.path for place in self.places))

    def disagreements(self) -> list[FileFormatError]:
        """Each place whose version is not the current one, as the refusal it leads to."""
        return [
            _disagreement(place, self.source)
            for place in self.places
            if not versions.same_release(place.version, self.version)
        ]

    def check(self) -> None:
        """Refuse (the first disagreement) unless every place holds the current version."""
        problems = self.disagreements()
        if problems:
            raise problems[0]

    def changes(self, new: str) -> list[Change]:
        """Every file's new text with the version `new` (written in normal form).

        Refused when a place disagrees (`check`). Each result is checked to differ from its
        file only in the version's characters.
        """
        self.check()
        written = versions.normal(new)
        by_path: dict[str, list[Place]] = {}
        for place in self.places:
            by_path.setdefault(place.path, []).append(place)
        result = []
        for path, places in by_path.items():
            before = text = self.texts[path]
            for place in sorted(places, key=lambda p: p.start, reverse=True):
                text = place.edit(text, written)  # splices last to first, tomlkit's after
            assert_only_versions_changed(before, text, places, written, path=path)
            result.append(Change(path, before, text))
        return result


def _disagreement(place: Place, source: Source) -> FileFormatError:
    current = source.version
    if place.what.startswith(_LOCK_ENTRY):
        return FileFormatError(
            place.path,
            f"{place.what} is at {place.version}, but the project is at {current}: "
            "uv.lock is out of date.",
            line=place.line,
            hint="Run `uv lock`, commit uv.lock, then release.",
        )
    return FileFormatError(
        place.path,
        f"{place.what} is {place.version}, but the version is {current} ({source.where}).",
        line=place.line,
        hint=f"Set it to {current}, then release.",
    )


def require_tag(found: VersionSources, *, tag: str, exists: bool) -> None:
    """With versions from tags, the current version must have its tag (`exists`)."""
    if found.kind == "tags" and not exists:
        raise Refused(
            f"The version comes from git tags ({found.source.backend}), but "
            f"{found.source.changelog}'s newest release {found.version} has no tag {tag}.",
            hint=f"Tag the commit that released it (`git tag {tag} COMMIT`), or fix "
            f"{found.source.changelog}.",
        )


# ------------------------------------------------------------------------------------ config


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
            raise Refused(
                f"Unknown key {key!r} in {where} of pyproject.toml.",
                hint="Known keys: path, search.",
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


# ------------------------------------------------------------------------------------ files


class Reader:
    """The project's files under the repository `root`, each read once, as UTF-8 text.

    A BOM stays in the text, so `text.encode("utf-8")` gives the file's bytes back.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._texts: dict[str, str] = {}

    def text(self, path: str) -> str:
        """The text of `path` (relative to the root); FileFormatError when unreadable."""
        if path not in self._texts:
            from cutrelease.files import unreadable

            try:
                raw = (self.root / path).read_bytes()
            except OSError as exc:
                raise FileFormatError(path, unreadable.message(exc)) from None
            try:
                self._texts[path] = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FileFormatError(path, unreadable.message(exc)) from None
        return self._texts[path]

    def is_file(self, path: str) -> bool:
        """Whether `path` is a regular file (links followed) inside the repository."""
        return self._inside(path) and (self.root / path).is_file()

    def is_dir(self, path: str) -> bool:
        return self._inside(path) and (self.root / path).is_dir()

    def packages_in(self, folder: str) -> list[str]:
        """The import packages directly in `folder` (sub-folders holding `__init__.py`)."""
        if not self.is_dir(folder):
            return []
        found = (entry.name for entry in (self.root / folder).iterdir() if entry.is_dir())
        return sorted(
            _join(folder, name) for name in found if self.is_file(f"{folder}/{name}/__init__.py")
        )

    def _inside(self, path: str) -> bool:
        try:
            (self.root / path).resolve().relative_to(self._real_root)
        except ValueError:
            return False
        return True

    def named(self, folder: str, name: str, *, key: str) -> str:
        """The file a configuration `key` names, relative to `folder`; Refused unless it is a
        file inside the repository."""
        path = _join(folder, name)
        if posixpath.isabs(name) or path == ".." or path.startswith("../"):
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, which is outside the repository.",
                hint="Name a file of the repository, relative to the project's folder.",
            )
        if not self._inside(path):
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, a link out of the repository.",
                hint="Name a file of the repository, relative to the project's folder.",
            )
        if not (self.root / path).is_file():
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, which does not exist.",
                hint="Create it, or name the right file (relative to the project's folder).",
            )
        return path


def _spellings(name: str) -> list[str]:
    """How a project's name is spelled as its import package: My-Pkg -> My_Pkg, my_pkg."""
    return list(dict.fromkeys([re.sub(r"[-.]+", "_", name), re.sub(r"[-_.]+", "_", name).lower()]))


def _join(folder: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(folder, name)) if name else folder or "."


# ------------------------------------------------------------------------------------ finding


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
    reader = reader or Reader(root)
    data = _toml(pyproject_text, _join(folder, PYPROJECT))
    return _Finder(reader, folder, data, pyproject_text).source(changelog)


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
    `[project].version`, the uv.lock entry, the `__version__` copies, then each of `files`
    (`[[tool.cutrelease.files]]`). A place that disagrees with the current version is kept
    (`VersionSources.disagreements` lists them, `changes` refuses them). Raises what
    `find_version` raises, and Refused for a listed file that does not exist, leaves the
    repository, or has no `search` with the current version.
    """
    reader = reader or Reader(root)
    data = _toml(pyproject_text, _join(folder, PYPROJECT))
    finder = _Finder(reader, folder, data, pyproject_text)
    source = finder.source(changelog)
    places: list[Place] = []
    seen: set[tuple[str, str, int]] = set()  # splices by offset; a tomlkit edit by line
    for place in finder.places(source, files):
        if (place.path, "at", place.start) in seen or (place.path, "line", place.line) in seen:
            continue  # one spot found twice (a listed file that is a copy, ...): one edit
        seen.add(
            (place.path, "at", place.start)
            if place.start >= 0
            else (place.path, "line", place.line)
        )
        places.append(place)
    texts = {path: reader.text(path) for path in dict.fromkeys(p.path for p in places)}
    return VersionSources(source, tuple(places), texts)


class _Finder:
    """The rules of `find_version` and `find_places` over one pyproject.toml's data."""

    def __init__(self, reader: Reader, folder: str, data: dict[str, Any], text: str) -> None:
        self.reader = reader
        self.folder = folder
        self.data = data
        self.text = text
        self.pyproject = _join(folder, PYPROJECT)
        self.project = _table(data, "project", self.pyproject)
        self.tool = _table(data, "tool", self.pyproject)
        build = _table(data, "build-system", self.pyproject)
        # PEP 517: a project without [build-system].build-backend builds with setuptools.
        self.backend = str(build.get("build-backend") or "setuptools.build_meta:__legacy__")
        requires = build.get("requires", [])
        self.requires = [str(r) for r in requires] if isinstance(requires, list) else []
        self.package: str | None = None  # the import package's folder, once a rule found it
        self.generated: set[str] = set()  # files a backend writes the version to

    # ----------------------------------------------------------------- the current version

    def source(self, changelog: str) -> Source:
        version = self.project.get("version")
        poetry = _tool(self.tool, "poetry", self.pyproject).get("version")
        dynamic = self.project.get("dynamic", [])
        is_dynamic = isinstance(dynamic, list) and "version" in dynamic
        if version is not None and not isinstance(version, str):
            raise FileFormatError(self.pyproject, "[project].version is not a string.")
        if isinstance(version, str):
            if isinstance(poetry, str) and not versions.same_release(version, poetry):
                raise Refused(
                    f"{self.pyproject} has [project].version {version} and "
                    f"[tool.poetry].version {poetry}, which disagree.",
                    hint="Keep [project].version (poetry 2 reads it) and remove the other.",
                )
            return Source("pyproject", version, "", self._toml_place(("project", "version")))
        # Without [project] (poetry before 2.0), the tool tables alone say where it lives.
        no_project = "project" not in self.data
        tags = self._tags_backend()
        if tags is not None and (is_dynamic or no_project):
            return self._from_changelog(tags, changelog)
        found = self._dynamic() if is_dynamic else None
        if found is not None:
            return found
        if isinstance(poetry, str) and (is_dynamic or no_project):
            place = self._toml_place(("tool", "poetry", "version"))
            return Source("poetry", poetry, "poetry", place)
        if is_dynamic:
            raise Refused(
                f"{self.pyproject} lists version in [project].dynamic, but cutrelease cannot "
                f"read it: build backend {self._backend_name()} {self._looked_for()}.",
                hint='Set version = "X.Y.Z" in [project] (and drop it from dynamic), or have '
                "the backend read it from a file.",
            )
        raise Refused(
            f"{self.pyproject} has no [project].version.",
            hint='Add version = "0.1.0" under [project].',
        )

    def _backend_name(self) -> str:
        return self.backend.split(":")[0].split(".")[0].replace("_", "-")

    def _looked_for(self) -> str:
        backend = self._backend_name()
        if backend == "hatchling":
            source = _tool(self.tool, "hatch", self.pyproject).get("version", {})
            kind = source.get("source", "regex") if isinstance(source, dict) else None
            if kind not in (None, "regex"):
                return f"reads it from [tool.hatch.version] source {kind!r}"
            return "has no [tool.hatch.version].path to read it from"
        if backend == "setuptools":
            return "has no [tool.setuptools.dynamic].version with attr or file"
        if backend == "pdm":
            return 'has no [tool.pdm.version] with source = "file" or "scm"'
        if backend == "flit-core":
            return "found no module with a __version__ string (looked for NAME and src/NAME)"
        return "is not one whose version source cutrelease knows"

    def _tags_backend(self) -> str | None:
        """The tool that takes the version from git tags, if one does."""
        hatch = _tool(self.tool, "hatch", self.pyproject).get("version", {})
        hatch_source = hatch.get("source") if isinstance(hatch, dict) else None
        if hatch_source == "vcs":
            return "hatch-vcs"
        if hatch_source == "uv-dynamic-versioning":
            return "uv-dynamic-versioning"
        pdm = _tool(self.tool, "pdm", self.pyproject).get("version", {})
        if isinstance(pdm, dict) and pdm.get("source") == "scm":
            return "pdm scm"
        pdv = self.tool.get("poetry-dynamic-versioning")
        if isinstance(pdv, dict) and pdv.get("enable") is True:
            return "poetry-dynamic-versioning"
        scm_required = any(re.match(r"setuptools[-_]scm\b", r, re.I) for r in self.requires)
        if "setuptools_scm" in self.tool or "setuptools-scm" in self.tool or scm_required:
            return "setuptools-scm"
        return None

    def _from_changelog(self, backend: str, changelog: str) -> Source:
        from cutrelease.files import changelog as changelog_module

        path = _join(self.folder, changelog)
        if not self.reader.is_file(path):
            raise Refused(
                f"The version comes from git tags ({backend}), and cutrelease reads the "
                f"current one from the changelog, but {path} does not exist.",
                hint="Run `bump init` to create it, or set [tool.cutrelease].changelog.",
            )
        newest = changelog_module.newest_version(self.reader.text(path), path=path)
        if newest is None:
            raise Refused(
                f"The version comes from git tags ({backend}), and {path} has no release "
                "to read the current one from.",
                hint="Add the section of the last tagged release (## [X.Y.Z] - YYYY-MM-DD).",
            )
        self._generated_files()
        return Source("tags", newest, backend, None, changelog=path)

    def _generated_files(self) -> None:
        """The files a tags backend writes at build time: never copies to move."""
        hooks = _tool(self.tool, "hatch", self.pyproject).get("build", {})
        vcs = hooks.get("hooks", {}).get("vcs", {}) if isinstance(hooks, dict) else {}
        scm = self.tool.get("setuptools_scm", {})
        pdm = _tool(self.tool, "pdm", self.pyproject).get("version", {})
        written = ((vcs, "version-file"), (scm, "version_file"), (scm, "write_to"))
        for table, key in (*written, (pdm, "write_to")):
            if isinstance(table, dict) and isinstance(table.get(key), str):
                self.generated.add(_join(self.folder, table[key]))

    # ----------------------------------------------------------------- dynamic versions

    def _dynamic(self) -> Source | None:
        backend = self._backend_name()
        if backend == "hatchling":
            return self._hatch()
        if backend == "setuptools":
            return self._setuptools()
        if backend == "flit-core":
            return self._flit()
        if backend == "pdm":
            return self._pdm()
        return None

    def _hatch(self) -> Source | None:
        key = "[tool.hatch.version].path"
        config = _tool(self.tool, "hatch", self.pyproject).get("version", {})
        if not isinstance(config, dict) or config.get("source", "regex") != "regex":
            return None
        name, pattern = config.get("path"), config.get("pattern", True)
        if not isinstance(name, str) or not name:
            return None
        if pattern is True or pattern == "":
            pattern, what = HATCH_DEFAULT_PATTERN, "hatchling's default pattern"
        elif isinstance(pattern, str):
            what = "[tool.hatch.version].pattern"
        else:
            raise Refused(
                f"[tool.hatch.version].pattern in {self.pyproject} must be a string, "
                f"not {pattern!r}."
            )
        path = self.reader.named(self.folder, name, key=key)
        place = _pattern_place(self.reader.text(path), path, pattern, what=what)
        self.package = self._package_of(path)
        return Source("hatch-path", place.version, "hatchling", place)

    def _setuptools(self) -> Source | None:
        setuptools = _tool(self.tool, "setuptools", self.pyproject)
        dynamic = setuptools.get("dynamic", {})
        spec = dynamic.get("version") if isinstance(dynamic, dict) else None
        if not isinstance(spec, dict):
            return None
        if isinstance(spec.get("attr"), str):
            return self._setuptools_attr(spec["attr"], setuptools)
        files = spec.get("file")
        if isinstance(files, list) and len(files) == 1:
            files = files[0]
        if isinstance(files, str):
            key = "[tool.setuptools.dynamic].version.file"
            path = self.reader.named(self.folder, files, key=key)
            place = _whole_file_place(self.reader.text(path), path)
            return Source("setuptools-file", place.version, "setuptools", place)
        return None

    def _setuptools_attr(self, attr: str, setuptools: dict[str, Any]) -> Source:
        key = "[tool.setuptools.dynamic].version.attr"
        module, _, name = attr.strip().rpartition(".")
        package_dir = setuptools.get("package-dir", {})
        if not isinstance(package_dir, dict):
            package_dir = {}
        if not package_dir:
            package_dir = self._setuptools_discovered_dir(setuptools)
        path = self._setuptools_module(module or "__init__", package_dir)
        if path is None:
            raise Refused(
                f"{key} in {self.pyproject} is {attr!r}, but no module {module!r} is where "
                "setuptools looks (package-dir, src/, the project's folder).",
                hint="Fix the attr, or [tool.setuptools].package-dir.",
            )
        text = self.reader.text(path)
        match = _assignment(name).search(text)
        if match is None or match["version"] is None:
            found = "no top-level assignment" if match is None else "no string literal"
            raise FileFormatError(
                path,
                f"has {found} of {name} for {key} {attr!r} (setuptools would import it, "
                "cutrelease does not).",
                line=None if match is None else _line_of(text, match.start()),
                hint=f'Write {name} = "X.Y.Z" at the top level.',
            )
        place = _splice_place(text, path, match.start("version"), match["version"], what=name)
        self.package = self._package_of(path)
        return Source("setuptools-attr", place.version, "setuptools", place)

    def _setuptools_discovered_dir(self, setuptools: dict[str, Any]) -> dict[str, str]:
        """What setuptools' auto-discovery adds to package_dir: {"": "src"} for a src-layout."""
        packages = setuptools.get("packages")
        where = packages.get("find", {}).get("where") if isinstance(packages, dict) else None
        if isinstance(where, list) and len(where) == 1 and isinstance(where[0], str):
            return {} if posixpath.normpath(where[0]) == "." else {"": where[0]}
        explicit = isinstance(packages, list) or "py-modules" in setuptools
        if not explicit and self.reader.is_dir(_join(self.folder, "src")):
            return {"": "src"}
        return {}

    def _setuptools_module(self, module: str, package_dir: dict[str, Any]) -> str | None:
        """setuptools.config.expand._find_module: the file that defines `module`."""
        parent, parts = "", module.split(".")
        first = parts[0]
        if isinstance(package_dir.get(first), str):
            custom = package_dir[first].rstrip("/")
            parent, _, base = custom.rpartition("/")
            parts = [base or custom, *parts[1:]]
        elif isinstance(package_dir.get(""), str):
            parent = package_dir[""]
        start = _join(self.folder, posixpath.join(parent, *parts))
        for candidate in (f"{start}.py", f"{start}/__init__.py"):
            if self.reader.is_file(candidate):
                return candidate
        return None

    def _flit(self) -> Source | None:
        module = _tool(_tool(self.tool, "flit", self.pyproject), "module", self.pyproject)
        name = module.get("name") or self.project.get("name")
        if not isinstance(name, str):
            return None
        name = name.replace("-", "_") if "name" not in module else name
        as_path = name.replace(".", "/")
        for base in ("", "src/"):
            package = _join(self.folder, base + as_path)
            if self.reader.is_dir(package):
                self.package = package
                files = ["__version__.py", "_version.py", "version.py", "__init__.py"]
                candidates = [f"{package}/{f}" for f in files]
                break
            if self.reader.is_file(package + ".py"):
                candidates = [package + ".py"]
                break
        else:
            return None
        found = None  # flit reads each file in turn, and the last one found wins
        for path in candidates:
            if self.reader.is_file(path):
                text = self.reader.text(path)
                match = _first_string_assignment(text)
                if match is not None:
                    found = _splice_place(
                        text, path, match.start("version"), match["version"], what="__version__"
                    )
        return None if found is None else Source("flit", found.version, "flit-core", found)

    def _pdm(self) -> Source | None:
        config = _tool(self.tool, "pdm", self.pyproject).get("version", {})
        if not isinstance(config, dict) or config.get("source") != "file":
            return None
        name = config.get("path")
        if not isinstance(name, str) or not name:
            return None
        path = self.reader.named(self.folder, name, key="[tool.pdm.version].path")
        place = _pattern_place(self.reader.text(path), path, PDM_PATTERN, what="pdm's pattern")
        self.package = self._package_of(path)
        return Source("pdm-file", place.version, "pdm-backend", place)

    # ----------------------------------------------------------------- the other places

    def places(self, source: Source, files: Sequence[ListedFile]) -> Iterator[Place]:
        if source.place is not None:
            yield source.place
        poetry = _tool(self.tool, "poetry", self.pyproject).get("version")
        if source.kind == "pyproject" and isinstance(poetry, str):
            yield self._toml_place(("tool", "poetry", "version"))
        name = self.project.get("name") or _tool(self.tool, "poetry", self.pyproject).get("name")
        if isinstance(name, str):
            lock = self._uv_lock()
            if lock is not None:
                yield from _lock_places(self.reader.text(lock), lock, name)
            yield from self._copies(name)
        for listed in files:
            yield from self._listed(listed, source.version)

    def _uv_lock(self) -> str | None:
        """uv.lock beside pyproject.toml, else at the root of the uv workspace holding it."""
        here = _join(self.folder, UV_LOCK)
        if self.reader.is_file(here):
            return here
        member = self.folder
        while member not in ("", "."):
            parent = posixpath.dirname(member)
            pyproject = _join(parent, PYPROJECT)
            if self.reader.is_file(pyproject):
                workspace = _workspace(self.reader.text(pyproject), pyproject)
                if workspace is not None:
                    if _is_member(posixpath.relpath(self.folder, parent or "."), workspace):
                        lock = _join(parent, UV_LOCK)
                        return lock if self.reader.is_file(lock) else None
                    return None
            member = parent
        return None

    def _copies(self, name: str) -> Iterator[Place]:
        package = self.package or self._import_package(name)
        if package is None:
            return
        for file in COPY_FILES:
            path = f"{package}/{file}"
            if path in self.generated or not self.reader.is_file(path):
                continue
            text = self.reader.text(path)
            for match in _DUNDER_VERSION.finditer(text):
                if match["version"] is not None:
                    yield _splice_place(
                        text, path, match.start("version"), match["version"], what="__version__"
                    )

    def _package_of(self, path: str) -> str | None:
        """The package a module belongs to (src/pkg/__about__.py -> src/pkg), if any."""
        folder = posixpath.dirname(path)
        return folder if folder and self.reader.is_file(f"{folder}/__init__.py") else None

    def _import_package(self, name: str) -> str | None:
        """The folder of the import package, as the build backends find it by default."""
        for configured in self._configured_packages(name):
            if self.reader.is_dir(configured):
                return configured
        for base in ("src/", ""):
            for spelling in _spellings(name):
                package = _join(self.folder, base + spelling)
                if self.reader.is_file(f"{package}/__init__.py"):
                    return package
        return None

    def _setuptools_packages(self, name: str) -> Iterator[str]:
        """setuptools' `packages` list, `packages.find` `where` folders and `package-dir` root
        (https://setuptools.pypa.io/en/latest/userguide/package_discovery.html): the package
        named like the project, else the only package there."""
        setuptools = _tool(self.tool, "setuptools", self.pyproject)
        package_dir = setuptools.get("package-dir")
        mapping = package_dir if isinstance(package_dir, dict) else {}
        base = str(mapping.get("", ""))
        packages = setuptools.get("packages")
        if isinstance(packages, list):
            for package in (p for p in packages if isinstance(p, str) and "." not in p):
                yield _join(self.folder, str(mapping.get(package, posixpath.join(base, package))))
            return
        find = packages.get("find") if isinstance(packages, dict) else None
        wheres = find.get("where", ["."]) if isinstance(find, dict) else [base] if base else []
        for where in (w for w in wheres if isinstance(w, str)):
            found = self.reader.packages_in(_join(self.folder, where))
            named = [p for p in found if posixpath.basename(p) in _spellings(name)]
            yield from named or (found if len(found) == 1 else [])

    def _configured_packages(self, name: str) -> Iterator[str]:
        uv = _tool(_tool(self.tool, "uv", self.pyproject), "build-backend", self.pyproject)
        if isinstance(uv.get("module-name"), str):
            root = uv.get("module-root", "src")
            yield _join(self.folder, posixpath.join(str(root), uv["module-name"].replace(".", "/")))
        flit = _tool(_tool(self.tool, "flit", self.pyproject), "module", self.pyproject)
        if isinstance(flit.get("name"), str):
            for base in ("", "src/"):
                yield _join(self.folder, base + flit["name"].replace(".", "/"))
        hatch = _tool(self.tool, "hatch", self.pyproject).get("build", {})
        wheel = hatch.get("targets", {}).get("wheel", {}) if isinstance(hatch, dict) else {}
        packages = wheel.get("packages") if isinstance(wheel, dict) else None
        if isinstance(packages, list) and packages and isinstance(packages[0], str):
            yield _join(self.folder, packages[0])
        yield from self._setuptools_packages(name)
        poetry = _tool(self.tool, "poetry", self.pyproject).get("packages")
        if isinstance(poetry, list) and poetry and isinstance(poetry[0], dict):
            include, base = poetry[0].get("include"), poetry[0].get("from", "")
            if isinstance(include, str) and isinstance(base, str):
                yield _join(self.folder, posixpath.join(base, include))

    def _listed(self, listed: ListedFile, version: str) -> Iterator[Place]:
        key = "[[tool.cutrelease.files]] path"
        path = self.reader.named(self.folder, listed.path, key=key)
        text = self.reader.text(path)
        before = listed.search.partition("{version}")[0]
        search = listed.search.replace("{version}", version)
        found = False
        start = text.find(search)
        while start >= 0:
            found = True
            yield _splice_place(text, path, start + len(before), version, what=listed.search)
            start = text.find(search, start + len(search))
        if not found:
            raise FileFormatError(
                path,
                f"has no {search!r} ([[tool.cutrelease.files]] search {listed.search!r} with "
                f"the current version {version}).",
                hint="Fix the file or the search, then release.",
            )

    def _toml_place(self, keys: tuple[str, ...]) -> Place:
        value = self.data
        for key in keys:
            value = value[key]
        dotted = f"[{'.'.join(keys[:-1])}].{keys[-1]}"

        def edit(text: str, new: str) -> str:
            return set_toml_string(text, keys, new, path=self.pyproject)

        return Place(self.pyproject, _toml_line(self.text, keys), str(value), dotted, edit)


# ------------------------------------------------------------------------------------ uv.lock


def _lock_places(text: str, path: str, name: str) -> Iterator[Place]:
    """The version of each `[[package]]` entry named `name` (PEP 503), found by its lines."""
    from packaging.utils import canonicalize_name

    canonical = canonicalize_name(name)
    for line in _name_lines(text, canonical):
        header = text.rfind("\n[", 0, line) + 1
        if not text.startswith("[[package]]", header):
            continue
        end = _next_header(text, line)
        version = _LOCK_VERSION.search(text, header, end)
        if version is None:
            continue  # a dynamic version: uv leaves it out, and so does the release
        what = f"{_LOCK_ENTRY} {canonical!r}"

        def edit(
            text: str,
            new: str,
            *,
            start: int = version.start(1),
            old: str = version[1],
            header: int = header,
        ) -> str:
            result = _splice(text, start, old, new, path)
            end = _next_header(result, start)
            _check_lock_entry(result[header:end], path, canonical, new)
            return result

        yield Place(
            path, _line_of(text, version.start(1)), version[1], what, edit, version.start(1)
        )


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


def _check_lock_entry(block: str, path: str, name: str, version: str) -> None:
    """Parse the edited entry back: it is TOML, and it gives `name` the `version`."""
    from packaging.utils import canonicalize_name

    try:
        entry = _toml(block, path)["package"][0]
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
    tool = _table(_toml(text, path), "tool", path)
    workspace = _tool(tool, "uv", path).get("workspace")
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


# ------------------------------------------------------------------------------------ edits


def _splice_place(text: str, path: str, start: int, version: str, *, what: str) -> Place:
    def edit(text: str, new: str) -> str:
        return _splice(text, start, version, new, path)

    return Place(path, _line_of(text, start), version, what, edit, start)


def _splice(text: str, start: int, old: str, new: str, path: str) -> str:
    end = start + len(old)
    if text[start:end] != old:  # pragma: no cover - places are applied last to first
        raise FileFormatError(path, "changed while its version was being moved.")
    return text[:start] + new + text[end:]


def _pattern_place(text: str, path: str, pattern: str, *, what: str) -> Place:
    """The first match of a backend's `pattern` (hatchling and pdm: re.MULTILINE)."""
    try:
        regex = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise Refused(f"{what} {pattern!r} is not a regular expression ({exc}).") from None
    if "version" not in regex.groupindex:
        raise Refused(
            f"{what} {pattern!r} has no group named version.",
            hint="Name the version's group: (?P<version>...).",
        )
    match = regex.search(text)
    if match is None or match["version"] is None:
        raise FileFormatError(
            path,
            f"has no version matching {what} {pattern!r}.",
            hint="Fix the file, or the pattern in pyproject.toml.",
        )
    return _splice_place(text, path, match.start("version"), match["version"], what="version")


def _whole_file_place(text: str, path: str) -> Place:
    """setuptools' `file:` version: the whole file, blanks around it aside."""
    version = text.strip().lstrip("\ufeff").strip()
    if not version or "\n" in version:
        raise FileFormatError(
            path,
            "must hold the version alone (setuptools reads the whole file as the version).",
            hint="Write X.Y.Z on one line.",
        )
    return _splice_place(text, path, text.index(version), version, what="version")


def _first_string_assignment(text: str) -> re.Match[str] | None:
    for match in _DUNDER_VERSION.finditer(text):
        if match["version"] is not None:
            return match
    return None


def set_toml_string(text: str, keys: Sequence[str], value: str, *, path: str = PYPROJECT) -> str:
    """`text` with only the string value at `keys` replaced; every other byte kept.

    Through tomlkit, so that comments, spacing and quoting stay. Every TOML spelling of the
    key is accepted: a table header with the key under it, top-level dotted keys
    (`project.version = ...`, quoted or spaced), an inline table, and a table split into
    parts (dotted keys mixed with `[project.urls]` headers), which tomlkit presents as one
    proxy mapping. The literal or basic quoting of the value is kept.
    """
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable, String, Table

    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept, but no TOML parser takes it
    text = text[len(bom) :]
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
    tables = (Table, InlineTable, OutOfOrderTableProxy)
    table: Any = document
    for key in keys[:-1]:
        table = table.get(key) if isinstance(table, (*tables, tomlkit.TOMLDocument)) else None
    old = table.get(keys[-1]) if isinstance(table, tables) else None
    dotted = f"[{'.'.join(keys[:-1])}].{keys[-1]}"
    if not isinstance(table, tables) or not isinstance(old, String):
        raise FileFormatError(path, f"has no static string {dotted} to change.")
    # Assigning to an existing key replaces the value in the table part that holds it and
    # keeps the key's spelling.
    table[keys[-1]] = String.from_raw(value, old.type)
    result = tomlkit.dumps(document)
    before_lines, after_lines = text.splitlines(True), result.splitlines(True)
    changed = [a for a, b in zip(before_lines, after_lines, strict=False) if a != b]
    if len(before_lines) != len(after_lines) or len(changed) != 1:
        raise _reformatted(path)
    return bom + result


def _reformatted(path: str) -> FileFormatError:
    return FileFormatError(
        path,
        "cannot be rewritten without changing more than the version line.",
        hint="Please report this file's shape to cutrelease.",
    )


def assert_only_versions_changed(
    before: str, after: str, places: Sequence[Place], new: str, *, path: str
) -> None:
    """Refuse rather than write if anything but the places' versions changed.

    The two texts have the same lines but for the places' lines, and on each of those, every
    difference is an occurrence of the place's version written as `new`. A spliced place's
    line is known; a tomlkit edit's is whichever one line it changed.
    """
    if all(place.start >= 0 for place in places):
        # Splices only (a lock of megabytes, say): the one expected text, built by hand.
        expected_text = before
        for place in sorted(places, key=lambda p: p.start, reverse=True):
            end = place.start + len(place.version)
            if expected_text[place.start : end] != place.version:
                raise _reformatted(path)
            expected_text = expected_text[: place.start] + new + expected_text[end:]
        if expected_text != after:
            raise _reformatted(path)
        return
    old_lines, new_lines = before.split("\n"), after.split("\n")
    if len(old_lines) != len(new_lines):
        raise _reformatted(path)
    expected = list(old_lines)
    spliced = {place.line - 1: place.version for place in places if place.start >= 0}
    for index, old in spliced.items():
        if not _swapped(old_lines[index], new_lines[index], old, new):
            raise _reformatted(path)
        expected[index] = new_lines[index]
    keyed = [place.version for place in places if place.start < 0]
    if keyed:  # a small file (pyproject.toml): compare line by line
        pairs = zip(expected, new_lines, strict=True)
        changed = [index for index, (a, b) in enumerate(pairs) if a != b]
        if len(changed) > len(keyed):
            raise _reformatted(path)
        for index in changed:
            if not any(_swapped(old_lines[index], new_lines[index], v, new) for v in keyed):
                raise _reformatted(path)
            expected[index] = new_lines[index]
    if expected != new_lines:
        raise _reformatted(path)


def _swapped(before: str, after: str, old: str, new: str) -> bool:
    """Whether `after` is `before` with some occurrences of `old` written as `new`."""
    either = f"(?:{re.escape(old)}|{re.escape(new)})"
    return re.fullmatch(either.join(map(re.escape, before.split(old))), after) is not None


# ------------------------------------------------------------------------------------ TOML


def _toml(text: str, path: str) -> dict[str, Any]:
    """TOML text as data (workspace.parse_toml), a BOM aside."""
    from cutrelease.tomlfile import parse_toml

    return parse_toml(text.removeprefix("\ufeff"), path)


def _table(data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise FileFormatError(path, f"{key!r} is not a table.")
    return value


def _tool(tool: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = tool.get(key, {})
    return value if isinstance(value, dict) else {}


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_PATH = re.compile(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*")
_HEADER = re.compile(rf"[ \t]*\[\[?[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*\]")


def _toml_line(text: str, keys: tuple[str, ...]) -> int:
    """The 1-based line that sets `keys` (for messages); 1 if the scan cannot tell.

    A light scan of headers and `key = ` lines (dotted and quoted keys included), not a
    parser: multi-line strings holding TOML-like lines may mislead it, and only messages
    read its answer.
    """
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        header = _HEADER.match(line)
        if header is not None:
            table = _key_parts(header[1])
            continue
        assignment = _KEY_PATH.match(line)
        if assignment is None or not line[assignment.end() :].startswith("="):
            continue
        full = table + _key_parts(assignment[1])
        if full == keys or (len(full) < len(keys) and keys[: len(full)] == full):
            return number
    return 1


def _key_parts(path: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, path)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
