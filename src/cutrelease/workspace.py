"""The packages of one repository, and which one a command means: --package NAME, or its folder.

A repository holds one package (its root's pyproject.toml) or several: the members of a uv
workspace (`[tool.uv.workspace] members`/`exclude` globs in the root pyproject.toml, plus the
root itself when it has a `[project]` table, as uv counts them), or, without a uv workspace,
every pyproject.toml git tracks that has a `[project]` table. A command means the package
named by `--package` (its PEP 503 name), or else the nearest pyproject.toml with a
`[project]` table at or above the folder it runs in (`-C`), up to the repository's root.

The single-project path reads nothing more than before: the members are listed only when a
name is looked up, a tag is matched against the members' prefixes, every version is asked
for, or a member is released (its name and tag prefix must be its own). Listing reads each
pyproject.toml with tomllib, for its name and tag prefix only; no package is imported.
Finding the folders and names is packages.py's (below project.py); their tag prefixes, and
the package a command means, are this module's.
"""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the class itself.
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from cutrelease import packages, project
from cutrelease.errors import Refused
from cutrelease.packages import (
    PYPROJECT,
    canonical_name,
    data,
    member_folders,
    member_tag_prefix,
    package_name,
    root_data,
    strings,
    uv_workspace,
)
from cutrelease.project import Project

__all__ = ["Member", "canonical_name", "member_tag_prefix", "uv_workspace"]


#: A version as a tag writes it after its prefix: PEP 440's public versions without an epoch
#: (packaging.version.VERSION_PATTERN), and SemVer's spelling of pre-releases (1.3.0-rc.1).
@functools.cache
def _version_like() -> re.Pattern[str]:
    """Compiled when first asked: `bump check-tag` and `bump version` seldom need it."""
    return re.compile(
        r"\d+(?:\.\d+)*"
        r"(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)(?:[-_.]?\d+)?)?"
        r"(?:-\d+|[-_.]?(?:post|rev|r)(?:[-_.]?\d+)?)?"
        r"(?:[-_.]?dev(?:[-_.]?\d+)?)?"
        r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?",
        re.IGNORECASE,
    )


class Member(NamedTuple):
    """One package of the repository."""

    name: str  # [project].name, as written
    folder: str  # relative to the repository root, with forward slashes; "" for the root
    tag_prefix: str  # [tool.cutrelease].tag_prefix, else NAME-v (the root project: learned)

    @property
    def canonical(self) -> str:
        return canonical_name(self.name)

    @property
    def shown(self) -> str:
        """The folder as a person reads it: "." for the repository's root."""
        return self.folder or "."


def looks_like_version(text: str) -> bool:
    """Whether `text` (a tag without its prefix) is written like a version: 1.2.3, 1.3.0rc1,
    1.3.0-rc.1. `alpha-v1.2.3` is not, so the tag prefix "" or "v" cannot claim a member's tag."""
    # Numbers and dots alone (1.2.3, most tags) match without the pattern: isdecimal is
    # the pattern's \d (Unicode's decimal digits), so the answer is the same.
    if all(part.isdecimal() for part in text.split(".")):
        return True
    return _version_like().fullmatch(text) is not None


# ------------------------------------------------------------------------------ finding one


def select(root: Path, start: Path, name: str | None, *, release: bool = False) -> str:
    """The folder (relative to `root`, "" for the root project) of the package a command
    means: the member called `name` (--package), else the nearest one to `start` (-C, or the
    current folder; see `nearest`).

    With `release`, a member must have its own normalized name and tag prefix (its tags must
    say which package they release). Raises Refused for an unknown name (listing the
    members), a folder outside the uv workspace's members, a name or prefix not its own.
    """
    if name is not None:
        found = members(root)
        folder = find(found, name).folder
    else:
        folder = nearest(root, start)
        if not (release and (folder or uv_workspace(root_data(root)) is not None)):
            return folder  # the single-project path lists nothing
        found = members(root)
    if release:
        refuse_if_not_unique(found, folder)
    return folder


def select_by_tag(root: Path, start: Path, name: str | None, tag: str) -> Project:
    """The loaded package that `tag` (a tag name, or refs/tags/NAME, or a bare version)
    belongs to, for `check-tag` and `notes`: the one `select` finds when `tag` is its tag
    prefix followed by a version (or a bare version); else the member whose tag prefix is the
    longest that `tag` starts with (see `by_tag`); else, so that the refusal names it, the
    one `select` finds. Listing the members only when the nearest package's prefix misses.
    """
    if name is not None:
        return project.load(root, folder=select(root, start, name))
    folder = nearest(root, start)
    bare = tag.strip().removeprefix("refs/tags/")
    loaded: Project | None = None
    try:
        loaded = project.load(root, folder=folder)
    except Refused as exc:  # the root is no package (a uv workspace's): the tag may name one
        if folder:
            raise
        failed = exc
    if loaded is not None:
        prefix = loaded.config.tag_prefix
        if (
            bare.startswith(prefix) and looks_like_version(bare[len(prefix) :])
        ) or looks_like_version(bare):
            return loaded
    member = by_tag(members(root), bare)
    if member is not None:
        return project.load(root, folder=member.folder)
    if loaded is None:
        raise failed
    return loaded  # its check says what the tag should have been


def nearest(root: Path, start: Path) -> str:
    """The folder (relative to `root`, "" for the root) of the package a command run in
    `start` means: the nearest pyproject.toml with a `[project]` table at or above `start`,
    below `root`; else the root's, whatever it holds (as before workspaces).

    A folder of a uv workspace that is not one of its members is refused, naming the
    workspace's `members` (uv would not build it as one). Raises FileFormatError for a
    pyproject.toml on the way that is not TOML.
    """
    start = start.resolve()
    real_root = root.resolve()
    try:
        relative = start.relative_to(real_root)
    except ValueError:
        return ""
    parts = relative.parts
    for depth in range(len(parts), 0, -1):
        folder = "/".join(parts[:depth])
        path = real_root / folder / PYPROJECT
        if path.is_file() and isinstance(data(root, folder).get("project"), dict):
            refuse_outside_workspace(root, folder)
            return folder
    return ""


def refuse_outside_workspace(root: Path, folder: str) -> None:
    """Refused when the root's pyproject.toml has a uv workspace that `folder` is not a
    member of (its `members` globs, less its `exclude` globs)."""
    if not folder:
        return
    workspace = uv_workspace(root_data(root))
    if workspace is None or folder in member_folders(root, workspace):
        return
    members = ", ".join(strings(workspace.get("members"))) or "none"
    exclude = strings(workspace.get("exclude"))
    excluded = f"; exclude: {', '.join(exclude)}" if exclude else ""
    raise Refused(
        f"{folder} is not a member of the uv workspace in {PYPROJECT} "
        f"(members: {members}{excluded}).",
        hint="Add it to [tool.uv.workspace].members (and out of exclude), or run bump in a "
        "member's folder.",
    )


def find(found: Sequence[Member], name: str) -> Member:
    """The member named `name` (compared as PEP 503 normalizes names).

    Refused, listing the members, when none is; refused naming both folders when two are.
    """
    wanted = canonical_name(name)
    matches = [member for member in found if member.canonical == wanted]
    if not matches:
        names = ", ".join(sorted(member.name for member in found)) or "none"
        raise Refused(
            f"There is no package named {name!r} in this repository (its packages: {names}).",
            hint="Pass one of them to --package.",
        )
    if len(matches) > 1:
        raise _same_name(matches)
    return matches[0]


def by_tag(found: Sequence[Member], tag: str) -> Member | None:
    """The member whose tag prefix is the longest one `tag` starts with, followed by a
    version; None when no member's is. Refused when two members share that prefix."""
    name = tag.strip().removeprefix("refs/tags/")
    matches = [
        member
        for member in found
        if name.startswith(member.tag_prefix) and looks_like_version(name[len(member.tag_prefix) :])
    ]
    if not matches:
        return None
    longest = max(len(member.tag_prefix) for member in matches)
    best = [member for member in matches if len(member.tag_prefix) == longest]
    if len(best) > 1:
        raise _shared_prefix(best)
    return best[0]


def refuse_if_not_unique(found: Sequence[Member], folder: str) -> None:
    """Refused when the package in `folder` shares its normalized name or its tag prefix with
    another member: its tags could not say which package they release."""
    member = next((m for m in found if m.folder == folder), None)
    if member is None:
        return
    same_name = [m for m in found if m.canonical == member.canonical]
    if len(same_name) > 1:
        raise _same_name(same_name)
    same_prefix = [m for m in found if m.tag_prefix == member.tag_prefix]
    if len(same_prefix) > 1:
        raise _shared_prefix(same_prefix)


def _same_name(members: Sequence[Member]) -> Refused:
    folders = " and ".join(member.shown for member in members)
    return Refused(
        f"Two packages of this repository are named {members[0].canonical} ({folders}).",
        hint="Give each package its own [project].name.",
    )


def _shared_prefix(members: Sequence[Member]) -> Refused:
    which = " and ".join(f"{member.name} ({member.shown})" for member in members)
    return Refused(
        f"The packages {which} share the tag prefix {members[0].tag_prefix!r}, so a tag "
        "cannot say which one it releases.",
        hint="Give one of them its own [tool.cutrelease].tag_prefix.",
    )


# ------------------------------------------------------------------------------ listing all


def members(root: Path) -> list[Member]:
    """Every package of the repository at `root`, the root's first, then by folder.

    A uv workspace's members (its globs, as uv expands them, less `exclude`; the root when
    it has a `[project]` table); without one, every tracked pyproject.toml with a
    `[project]` table (`git ls-files`; outside git, the folders below `root`). Raises
    FileFormatError for a member's pyproject.toml that is not TOML or has no name.
    """
    found = []
    for folder in packages.folders(root):
        member = _member(root, folder)
        if member is not None:
            found.append(member)
    return found


def version_table(root: Path) -> str:
    """`bump version --all`: one line per package (see `members`), its name, its current
    version and its folder, in columns. Raises what reading a version raises (naming the
    package's file), and Refused when the repository holds no package."""
    rows = [
        (
            member.name,
            project.load(root, folder=member.folder, learn_tag_prefix=False).current_version(),
            member.shown,
        )
        for member in members(root)
    ]
    if not rows:
        raise Refused("This repository has no pyproject.toml with a [project] table.")
    name_width, version_width = (max(len(row[column]) for row in rows) for column in (0, 1))
    return "".join(
        f"{name:<{name_width}}  {version:<{version_width}}  {folder}\n"
        for name, version, folder in rows
    )


def is_uv_workspace(root: Path) -> bool:
    """Whether the root's pyproject.toml has a [tool.uv.workspace] table."""
    return uv_workspace(root_data(root)) is not None


def is_virtual_root(root: Path) -> bool:
    """Whether the root is a uv workspace's with no [project] table: no package of its own."""
    found = root_data(root)
    return uv_workspace(found) is not None and "project" not in found


def _member(root: Path, folder: str) -> Member | None:
    found = data(root, folder)
    name = package_name(found, folder)
    if name is None:
        return None
    tool = found.get("tool")
    table = tool.get("cutrelease") if isinstance(tool, dict) else None
    prefix = table.get("tag_prefix") if isinstance(table, dict) else None
    if not isinstance(prefix, str):
        # A member's is NAME-v; the root project's is learned as a release learns it.
        prefix = member_tag_prefix(name) if folder else project.load(root).config.tag_prefix
    return Member(name, folder, prefix)
