"""Find the repository root; read pyproject.toml and [tool.cutrelease] into a frozen config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cutrelease.errors import FileFormatError, Refused

if TYPE_CHECKING:
    from cutrelease.sources import Source

if TYPE_CHECKING:
    from cutrelease.sources import ListedFile

PYPROJECT = "pyproject.toml"
JOURNAL_NAME = "cutrelease-journal.json"  # see journal.py


class Config(NamedTuple):
    """[tool.cutrelease], every key with its default."""

    branch: str = "main"
    remote: str = "origin"
    tag_prefix: str = "v"
    changelog: str = "CHANGELOG.md"
    security: str = "SECURITY.md"
    templates: str = "templates"
    push: bool = True
    atomic_push: bool = True  # false: branch, then tag, for hosts without `git push --atomic`
    prerelease_sections: str = "fold"  # or "keep": what a final does with its line's pre-releases
    before_commit: tuple[object, ...] = ()  # section 9: each entry checked by hooks.checked
    after_push: tuple[object, ...] = ()
    files: tuple[ListedFile, ...] = ()  # [[tool.cutrelease.files]], checked by sources


class Project(NamedTuple):
    """What a command needs to know about the project before touching git."""

    root: Path
    pyproject_text: str
    version: str | None
    dynamic_version: bool
    config: Config
    tag_prefix_note: str | None = None  # how the tag prefix was learned, when it was
    # Nothing here tells the tag prefix (no such tag, no link): the remote's tags decide.
    tag_prefix_unknown: bool = False
    configured: frozenset[str] = frozenset()  # the keys [tool.cutrelease] sets

    def version_source(self) -> Source:
        """Where the current version comes from, and what it is (sources.find_version).

        Raises Refused naming what was looked for when the version cannot be read.
        """
        from cutrelease import sources

        return sources.find_version(self.root, self.pyproject_text, changelog=self.config.changelog)

    def current_version(self) -> str:
        """The current version, as its source writes it."""
        return self.version_source().version


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `.git` (a folder or a worktree file)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    raise Refused(
        f"{start} is not inside a git repository.",
        hint="Run bump from your project's repository, or pass -C PATH.",
    )


def find_project(start: Path) -> Path:
    """The repository root (see find_root) or, outside any repository, the nearest folder at or
    above `start` holding a pyproject.toml: an unpacked sdist, as CI jobs sometimes use.

    For the commands that only read pyproject.toml (`version`, `check-tag`).
    """
    try:
        return find_root(start)
    except Refused:
        resolved = start.resolve()
        for folder in (resolved, *resolved.parents):
            if (folder / PYPROJECT).is_file():
                return folder
        raise


def load(root: Path, *, learn_tag_prefix: bool = True) -> Project:
    """Read pyproject.toml at the repository root."""
    path = root / PYPROJECT
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise Refused(
            f"There is no pyproject.toml at the repository root {root}.",
            hint="cutrelease releases projects that keep their version in pyproject.toml.",
        ) from None
    except UnicodeDecodeError:
        raise FileFormatError(PYPROJECT, "is not UTF-8 text.") from None
    data = _parse_toml(text)
    project = _table(data, "project")
    version = project.get("version")
    if version is not None and not isinstance(version, str):
        raise FileFormatError(PYPROJECT, "[project].version is not a string.")
    dynamic = project.get("dynamic", [])
    if not isinstance(dynamic, list):
        raise FileFormatError(PYPROJECT, "[project].dynamic is not a list of field names.")
    config = _config(data)
    configured = frozenset(_table(_table(data, "tool"), "cutrelease"))
    note = None
    unknown = False
    if learn_tag_prefix and "tag_prefix" not in configured:
        from cutrelease import tagprefix

        prefix, note = tagprefix.learn(
            root, git_dir(root), version=version, changelog=config.changelog
        )
        unknown = prefix is None
        config = config._replace(tag_prefix=tagprefix.DEFAULT if prefix is None else prefix)
    return Project(root, text, version, "version" in dynamic, config, note, unknown, configured)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """data[key] when it is a table, {} when absent; a clear error when it is anything else."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise FileFormatError(PYPROJECT, f"{key!r} is not a table.")
    return value


def _parse_toml(text: str) -> dict[str, Any]:
    # The standard library's parser is much faster to import than tomlkit: version and
    # check-tag must answer at once.
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FileFormatError(PYPROJECT, f"is not valid TOML ({exc}).") from None
    import tomlkit  # pragma: no cover - Python 3.10
    from tomlkit.exceptions import TOMLKitError  # pragma: no cover

    try:  # pragma: no cover
        return tomlkit.parse(text).unwrap()
    except TOMLKitError as exc:  # pragma: no cover
        raise FileFormatError(PYPROJECT, f"is not valid TOML ({exc}).") from None


def _config(data: dict[str, Any]) -> Config:
    table = dict(_table(_table(data, "tool"), "cutrelease"))
    files = table.pop("files", None)
    hooks = {key: table.pop(key) for key in ("before_commit", "after_push") if key in table}
    known = Config._field_defaults  # every key has a default, and its type is the key's type
    for key, value in table.items():
        if key not in known:
            raise Refused(
                f"Unknown key {key!r} in [tool.cutrelease] of pyproject.toml.",
                hint=f"Known keys: {', '.join(known)}.",
            )
        expected = type(known[key])
        if type(value) is not expected:
            raise Refused(
                f"[tool.cutrelease].{key} in pyproject.toml must be a "
                f"{'boolean' if expected is bool else 'string'}, not {value!r}.",
            )
    if table.get("prerelease_sections", "fold") not in ("fold", "keep"):
        raise Refused(
            '[tool.cutrelease].prerelease_sections in pyproject.toml must be "fold" or '
            f'"keep", not {table["prerelease_sections"]!r}.',
        )
    for key, entries in hooks.items():
        if not isinstance(entries, list):
            raise Refused(
                f"[tool.cutrelease].{key} in pyproject.toml must be a list of commands, "
                f"not {entries!r}.",
                hint=f'Write it as {key} = ["tool --option", ["tool", "--option"]].',
            )
        table[key] = tuple(entries)
    if files is not None:
        from cutrelease.sources import listed_files

        table["files"] = listed_files(files)
    return Config(**table)


def git_dir(root: Path) -> Path:
    """The work tree's .git folder, without running git (a worktree's .git is a file)."""
    dot_git = root / ".git"
    return gitfile_target(dot_git) if dot_git.is_file() else dot_git


def gitfile_target(gitfile: Path) -> Path:
    """The folder a "gitdir: PATH" file (a worktree's or submodule's .git) points to."""
    pointer = gitfile.read_text("utf-8").strip().removeprefix("gitdir:").strip()
    return (gitfile.parent / pointer).resolve()


def refuse_if_pending(git_dir: Path) -> None:
    """Every command but recover and version refuses while a release is half-done.

    A journal whose release still holds the lock is a bump at work (or its push), not an
    interrupted one: the refusal says so, and to wait (lock.refuse_if_held).
    """
    if (git_dir / JOURNAL_NAME).exists():
        from cutrelease import lock

        lock.refuse_if_held(git_dir)
        raise Refused(
            "An interrupted release is pending in this repository.",
            hint="Run `bump recover` first: it restores the repository, or keeps a release the "
            "remote already has.",
        )
