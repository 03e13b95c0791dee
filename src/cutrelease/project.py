"""Find the repository root; read a package's pyproject.toml and [tool.cutrelease] into a
frozen config (the root project's, or a workspace member's: see workspace.py)."""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the class itself.
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cutrelease import packages
from cutrelease.errors import FileFormatError, Refused
from cutrelease.git.gitdir import JOURNAL_NAME, LOCK_NAME, git_dir, gitfile_target
from cutrelease.packages import PYPROJECT
from cutrelease.tomlfile import parse_toml

if TYPE_CHECKING:
    from cutrelease.files.sources import ListedFile, Reader, Source, VersionSources

# Named here too for the commands and the release, which find them with the project.
__all__ = ["JOURNAL_NAME", "LOCK_NAME", "PYPROJECT", "git_dir", "gitfile_target"]


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
    files: "tuple[ListedFile, ...]" = ()  # [[tool.cutrelease.files]], checked by sources
    index_url: str = "https://pypi.org/simple/"  # section 12: checked by publish.index
    index_check: bool = True
    build: bool = False  # section 12: the sdist and wheel are built and checked before the tag
    wheel_includes: tuple[str, ...] = ()  # globs that must match files inside the wheel
    fragments: str = "changelog.d"  # section 13: the changelog fragments' folder
    level_check: str = "warn"  # section 13: or "refuse", "off"


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
    folder: str = ""  # the package's folder from the root, forward slashes; "" for the root's
    name: str | None = None  # [project].name
    # The package's releases name several tag prefixes (tagprefix.Learned.conflict): each, and
    # where it was seen; a release refuses until tag_prefix is set.
    tag_prefix_conflict: str | None = None

    def path(self, name: str) -> str:
        """The path from the repository root of `name`, a file [tool.cutrelease] names
        relative to the package's folder (CHANGELOG.md -> packages/alpha/CHANGELOG.md).

        A blank name stays as it is: the checks refuse it, or it turns a file off.
        """
        if not self.folder or not name.strip():
            return name
        return posixpath.normpath(posixpath.join(self.folder, name))

    def version_source(self) -> "Source":
        """Where the current version comes from, and what it is (sources.find_version).

        Raises Refused naming what was looked for when the version cannot be read.
        """
        from cutrelease.files import sources

        return sources.find_version(
            self.root, self.pyproject_text, folder=self.folder, changelog=self.config.changelog
        )

    def version_places(
        self, *, pyproject_text: str | None = None, reader: "Reader | None" = None
    ) -> "VersionSources":
        """Every place that holds the version, with its source (sources.find_places), the
        listed files included; `pyproject_text` and `reader` read planned texts instead of
        the files (a release's own output, linted before it is written).

        Raises what find_places raises.
        """
        from cutrelease.files import sources

        return sources.find_places(
            self.root,
            self.pyproject_text if pyproject_text is None else pyproject_text,
            folder=self.folder,
            files=self.config.files,
            changelog=self.config.changelog,
            reader=reader,
        )

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


def load(root: Path, *, folder: str = "", learn_tag_prefix: bool = True) -> Project:
    """Read the pyproject.toml of the package in `folder` (relative to the repository `root`;
    "" for the root project) and its [tool.cutrelease].

    A member (a package outside the root) takes `branch`, `remote` and `push` from the root's
    [tool.cutrelease] unless it sets them, and tags `NAME-v1.2.3` unless it sets tag_prefix
    (SPEC section 10); the root project learns a missing prefix from its tags and links.
    Raises Refused or FileFormatError naming the file for a missing or malformed
    pyproject.toml, an unknown key or a wrong type.
    """
    where = posixpath.join(folder, PYPROJECT)
    try:
        text = (root / where).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        _refuse_without_root_project(root)
        raise Refused(
            f"There is no pyproject.toml at the repository root {root}.",
            hint="cutrelease releases projects that keep their version in pyproject.toml.",
        ) from None
    except UnicodeDecodeError as exc:  # said as every release file says it: byte and fix
        from cutrelease.files import unreadable

        raise FileFormatError(where, unreadable.message(exc)) from None
    data = parse_toml(text, where)
    project = _table(data, "project", where)
    version = project.get("version")
    if version is not None and not isinstance(version, str):
        raise FileFormatError(where, "[project].version is not a string.")
    dynamic = project.get("dynamic", [])
    if not isinstance(dynamic, list):
        raise FileFormatError(where, "[project].dynamic is not a list of field names.")
    config = _config(data, where)
    own = _table(_table(data, "tool", where), "cutrelease", where)
    configured = frozenset(own)
    note = conflict = None
    unknown = False
    if folder:
        config, configured = _member_config(
            root, config, own, name=project.get("name"), where=where
        )
    else:
        if "project" not in data and "poetry" not in _table(data, "tool", where):
            _refuse_workspace_root(root, data)
        if learn_tag_prefix and "tag_prefix" not in configured:
            from cutrelease.git import tagprefix

            learned = tagprefix.learn(
                root,
                git_dir(root),
                version=version,
                changelog=config.changelog,
                others=lambda: members_prefixes(root),
            )
            note, conflict = learned.note, learned.conflict
            unknown = learned.prefix is None and conflict is None
            prefix = tagprefix.DEFAULT if learned.prefix is None else learned.prefix
            config = config._replace(tag_prefix=prefix)
    name = project.get("name")
    if name is None:  # a poetry 1.x project names itself in [tool.poetry]
        name = _table(_table(data, "tool", where), "poetry", where).get("name")
    return Project(
        root,
        text,
        version,
        "version" in dynamic,
        config,
        note,
        unknown,
        configured,
        folder,
        name if isinstance(name, str) else None,
        conflict,
    )


def members_prefixes(root: Path) -> set[str]:
    """The tag prefixes of the packages in the repository's other folders (each its own
    [tool.cutrelease].tag_prefix, else NAME-v): the root's tag series is not theirs."""
    found: set[str] = set()
    for folder in packages.folders(root):
        if not folder:
            continue
        try:
            data = packages.data(root, folder)
        except (FileFormatError, OSError):
            continue
        project, tool = data.get("project"), data.get("tool")
        name = project.get("name") if isinstance(project, dict) else None
        own = tool.get("cutrelease") if isinstance(tool, dict) else None
        prefix = own.get("tag_prefix") if isinstance(own, dict) else None
        if isinstance(prefix, str):
            found.add(prefix)
        elif isinstance(name, str):
            found.add(packages.member_tag_prefix(name))
    return found


#: What a member takes from the root's [tool.cutrelease] unless it sets it (SPEC section 10).
ROOT_KEYS = ("branch", "remote", "push", "index_url", "index_check")


def _member_config(
    root: Path, config: Config, own: dict[str, Any], *, name: object, where: str
) -> tuple[Config, frozenset[str]]:
    """A member's config: its own keys, the root's branch/remote/push, NAME-v tags; and the
    keys set by either (the member's tag prefix is never learned: NAME-v is the rule)."""
    shared, shared_keys = _root_settings(root)
    inherited = [key for key in ROOT_KEYS if key not in own]
    defaults: dict[str, Any] = {key: getattr(shared, key) for key in inherited}
    if "tag_prefix" not in own:
        if not isinstance(name, str) or not name.strip():
            raise FileFormatError(
                where, "has no [project].name.", hint='Add name = "your-package" under [project].'
            )
        defaults["tag_prefix"] = packages.member_tag_prefix(name)
    configured = {*own, "tag_prefix", *(key for key in inherited if key in shared_keys)}
    return config._replace(**defaults), frozenset(configured)


def root_config(root: Path) -> Config:
    """The [tool.cutrelease] of the repository root's pyproject.toml (the defaults without
    one): what members share. Refused, naming the file, for a key that is not right."""
    return _root_settings(root)[0]


def _root_settings(root: Path) -> tuple[Config, frozenset[str]]:
    """The root's config, and the keys its [tool.cutrelease] sets."""
    try:
        raw = (root / PYPROJECT).read_bytes()
    except FileNotFoundError:
        return Config(), frozenset()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from cutrelease.files import unreadable

        raise FileFormatError(PYPROJECT, unreadable.message(exc)) from None
    data = parse_toml(text, PYPROJECT)
    return _config(data, PYPROJECT), frozenset(_table(_table(data, "tool"), "cutrelease"))


def _refuse_without_root_project(root: Path) -> None:
    """No pyproject.toml at the root, but packages in folders: the command needs --package."""
    names = ", ".join(packages.names(root))
    if names:
        raise Refused(
            f"There is no pyproject.toml at the repository root (its packages: {names}).",
            hint="Name one with --package NAME, or run bump in its folder.",
        )


def _refuse_workspace_root(root: Path, data: dict[str, Any]) -> None:
    """A uv workspace's root without a project of its own: the command needs --package."""
    if packages.uv_workspace(data) is None:
        return  # sources says what is missing
    names = ", ".join(packages.names(root)) or "none"
    raise Refused(
        f"The repository root is a uv workspace with no [project] of its own (its packages: "
        f"{names}).",
        hint="Name one with --package NAME, or run bump in its folder.",
    )


def _table(data: dict[str, Any], key: str, where: str = PYPROJECT) -> dict[str, Any]:
    """data[key] when it is a table, {} when absent; a clear error when it is anything else."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise FileFormatError(where, f"{key!r} is not a table.")
    return value


def _closest_key(key: str, known: list[str]) -> str:
    """The hint of an unknown [tool.cutrelease] key: the known key it probably meant (SPEC
    section 15; difflib's closeness, as Python's own "Did you mean" does), then every known
    key."""
    import difflib  # only for the refusal

    every = f"Known keys: {', '.join(known)}."
    close = difflib.get_close_matches(key, known, n=1)
    if not close:  # a cased spelling (Branch) is close to nothing difflib scores high
        close = [name for name in known if name.lower() == key.lower().replace("-", "_")]
    return f"Did you mean {close[0]!r}? {every}" if close else every


def _config(data: dict[str, Any], where: str = PYPROJECT) -> Config:
    table = dict(_table(_table(data, "tool", where), "cutrelease", where))
    files = table.pop("files", None)
    hooks = {key: table.pop(key) for key in ("before_commit", "after_push") if key in table}
    includes = table.pop("wheel_includes", None)
    known = Config._field_defaults  # every key has a default, and its type is the key's type
    for key, value in table.items():
        if key not in known:
            raise Refused(
                f"Unknown key {key!r} in [tool.cutrelease] of {where}.",
                hint=_closest_key(key, list(known)),
            )
        expected = type(known[key])
        if type(value) is not expected:
            raise Refused(
                f"[tool.cutrelease].{key} in {where} must be a "
                f"{'boolean' if expected is bool else 'string'}, not {value!r}.",
            )
    if table.get("prerelease_sections", "fold") not in ("fold", "keep"):
        raise Refused(
            f'[tool.cutrelease].prerelease_sections in {where} must be "fold" or '
            f'"keep", not {table["prerelease_sections"]!r}.',
        )
    if table.get("level_check", "warn") not in ("warn", "refuse", "off"):
        raise Refused(
            f'[tool.cutrelease].level_check in {where} must be "warn", "refuse" or "off", '
            f"not {table['level_check']!r}.",
        )
    for key, entries in hooks.items():
        if not isinstance(entries, list):
            raise Refused(
                f"[tool.cutrelease].{key} in {where} must be a list of commands, not {entries!r}.",
                hint=f'Write it as {key} = ["tool --option", ["tool", "--option"]].',
            )
        table[key] = tuple(entries)
    if includes is not None:
        if not isinstance(includes, list) or not all(isinstance(g, str) and g for g in includes):
            raise Refused(
                f"[tool.cutrelease].wheel_includes in {where} must be a list of globs, "
                f"not {includes!r}.",
                hint='Write it as wheel_includes = ["widget/web_ui/*"].',
            )
        table["wheel_includes"] = tuple(includes)
    if files is not None:
        from cutrelease.files.sources import listed_files

        table["files"] = listed_files(files)
    return Config(**table)


def refuse_if_busy(git_dir: Path) -> None:
    """Refused while another bump holds the release lock: its writes would otherwise read as
    uncommitted changes. The lock file exists only while a release runs, so a dry run loads
    the lock's module only then."""
    if (git_dir / LOCK_NAME).exists():
        from cutrelease.git import lock

        lock.refuse_if_held(git_dir)


def refuse_if_pending(git_dir: Path) -> None:
    """Every command but recover and version refuses while a release is half-done.

    A journal whose release still holds the lock is a bump at work (or its push), not an
    interrupted one: the refusal says so, and to wait (lock.refuse_if_held).
    """
    if (git_dir / JOURNAL_NAME).exists():
        from cutrelease.git import lock

        lock.refuse_if_held(git_dir)
        raise Refused(
            "An interrupted release is pending in this repository.",
            hint="Run `bump recover` first: it restores the repository, or keeps a release the "
            "remote already has.",
        )
