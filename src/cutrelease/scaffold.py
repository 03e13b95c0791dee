"""What `bump init` creates: planned in memory first, then written; an existing file is kept."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cutrelease import versions
from cutrelease.atomic import write_atomic
from cutrelease.errors import FileFormatError, Refused
from cutrelease.files import changelog, security
from cutrelease.files.textdiff import unified_diff
from cutrelease.git import forges
from cutrelease.packages import canonical_name
from cutrelease.project import PYPROJECT, Project
from cutrelease.templates import Render

if TYPE_CHECKING:
    from cutrelease.workspace import Member

WORKFLOW = ".github/workflows/release.yml"
WORKFLOW_TEMPLATE = "release.yml.j2"
# The CI workflow a release waits for, when the repository has one that can be called.
CI_WORKFLOW = ".github/workflows/ci.yml"
# Dependabot keeps the actions the workflow pins by commit SHA from rotting (a pin never
# moves by itself): a weekly pull request per new release, its SHA and version comment updated.
DEPENDABOT = ".github/dependabot.yml"
DEPENDABOT_TEXT = """\
# Keep the GitHub Actions the workflows pin by commit SHA up to date: Dependabot opens a pull
# request moving each pin (its SHA and its version comment) to a new release.
# Written by `bump init` (cutrelease).
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7 # a release must be a week old first: a hijacked one is caught by then
"""

_CHANGELOG_HEAD = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

"""

_SECURITY = """\
# Security Policy

## Supported Versions

Security fixes go to the latest minor release line.

{table}

## Reporting a Vulnerability

{reporting}
"""

_REPORT_ON_GITHUB = """\
Please report a vulnerability privately through GitHub's security advisories for this
repository ({web_url}/security/advisories/new), not in a public issue."""

_REPORT_ELSEWHERE = """\
Please report a vulnerability privately to the maintainers, not in a public issue.
<!-- Say how to reach you privately (an address or a form), and how soon you answer. -->"""


@dataclass(frozen=True)
class NewFile:
    """A file `bump init` creates: its path from the repository root, and its whole text."""

    path: str
    text: str


@dataclass(frozen=True)
class Scaffold:
    """Exactly what `bump init` does: the dry run shows it, the real run writes it."""

    root: Path
    create: tuple[NewFile, ...]
    kept: tuple[str, ...]  # files that exist already: never overwritten
    notes: tuple[str, ...] = ()  # what was found, and what the first release will need


def plan_for(root: Path, *, folder: str = "") -> Scaffold:
    """What `bump init` creates for the package in `folder` (relative to the repository `root`;
    "" for the root project), with links from its remote and its own templates.

    In a repository of several packages (a uv workspace, or packages in folders), the one
    workflow publishes whichever package the pushed tag names, rendered with the root's
    templates (it is the repository's); at a uv workspace's root with no project of its own,
    it is the only file. Raises what `plan` raises.
    """
    from cutrelease import workspace
    from cutrelease.project import load, root_config
    from cutrelease.templates import make_renderer

    uv = workspace.is_uv_workspace(root)
    found = workspace.members(root)
    several = uv or any(member.folder for member in found)
    if not folder and workspace.is_virtual_root(root):
        render = make_renderer(root / root_config(root).templates, root=root)
        workflow = (
            WORKFLOW,
            lambda: workspace_workflow_text(found, uv=uv, render=render, ci=ci_workflow(root)),
        )
        return _scaffold(root, [workflow, _dependabot(root)])
    loaded = load(root, folder=folder)
    render = make_renderer(root / loaded.path(loaded.config.templates), root=root)
    web_url, released = _remote_facts(loaded)
    notes = fragments_note(loaded) + _branch_notes(loaded)
    if not several:
        made = plan(loaded, web_url=web_url, render=render, released=released)
        return Scaffold(made.root, made.create, made.kept, notes)
    shared = make_renderer(root / root_config(root).templates, root=root)
    wanted = _release_files(loaded, web_url=web_url, render=render, released=released)
    wanted.append(
        (
            WORKFLOW,
            lambda: workspace_workflow_text(found, uv=uv, render=shared, ci=ci_workflow(root)),
        )
    )
    wanted.append(_dependabot(root))
    made = _scaffold(root, wanted)
    return Scaffold(made.root, made.create, made.kept, notes)


def fragments_note(loaded: Project) -> tuple[str, ...]:
    """A sentence on the changelog fragments folder the project has (changelog.d/, or the
    one [tool.towncrier] names, with its types): each release will merge and delete them."""
    from cutrelease.files import fragments

    config = fragments.for_project(loaded)
    folder = loaded.root / config.folder
    if not folder.is_dir():
        return ()
    count = len(fragments.find(loaded.root, config))
    source = " (its folder and types from [tool.towncrier])" if config.towncrier else ""
    changelog_path = loaded.path(loaded.config.changelog)
    return (
        f"Found changelog fragments in {config.folder}/{source}, {count} now: each release "
        f"merges them into {changelog_path} and deletes them in its commit.",
    )


def _branch_notes(loaded: Project) -> tuple[str, ...]:
    """What the first release will need of the release branch, said by `bump init`: on a
    repository without the configured branch (its default branch is `master`), the setting
    that names the branch it is on."""
    from cutrelease.git.gitrepo import GitRepo

    branch = loaded.config.branch
    repo = GitRepo(loaded.root)
    if "branch" in loaded.configured or repo.ref(f"refs/heads/{branch}") is not None:
        return ()
    current = repo.head().ref.removeprefix("refs/heads/")
    if current == "HEAD" or current == branch:
        return ()
    return (
        f"There is no branch {branch!r} here, and releases are cut from {branch!r} unless "
        f'told: add branch = "{current}" under [tool.cutrelease] in pyproject.toml before '
        "your first release.",
    )


def _remote_facts(loaded: Project) -> tuple[str | None, bool]:
    """The forge's web address, from the remote's URL (None without one: no links then), and
    whether the current version has its tag."""
    from cutrelease.git.gitrepo import GitRepo

    config = loaded.config
    repo = GitRepo(loaded.root)
    try:
        remote_url: str | None = repo.remote_urls(config.remote).result().fetch
    except Refused:
        remote_url = None  # no remote yet: the changelog gets no links
    web_url = forges.web_url_from_remote(remote_url) if remote_url else None
    released = repo.ref(f"refs/tags/{config.tag_prefix}{loaded.current_version()}") is not None
    return web_url, released


def plan(
    loaded: Project, *, web_url: str | None, render: Render, released: bool = True
) -> Scaffold:
    """Every file to create for a lone package, computed in memory; nothing is written.

    `released` False (the current version has no tag yet): the changelog gets no link, since
    its Unreleased link could only compare with a tag that does not exist; the first release
    writes the links. Raises Refused for a version that is no release, a path out of the
    repository or a folder in the way.
    """
    wanted = _release_files(loaded, web_url=web_url, render=render, released=released)
    wanted.append((WORKFLOW, lambda: workflow_text(loaded, render=render)))
    wanted.append(_dependabot(loaded.root))
    return _scaffold(loaded.root, wanted)


def _scaffold(root: Path, wanted: list[tuple[str, Callable[[], str]]]) -> Scaffold:
    """The files of `wanted` (path from the root, and how to make its text) that are missing."""
    for path, _ in wanted:
        _inside(root, path)
    kept = tuple(path for path, _ in wanted if _exists(root / path))
    for path, _ in wanted:
        if path not in kept:
            _has_folders(root, path)
    create = tuple(NewFile(path, make()) for path, make in wanted if path not in kept)
    return Scaffold(root, create, kept)


def _release_files(
    loaded: Project, *, web_url: str | None, render: Render, released: bool
) -> list[tuple[str, Callable[[], str]]]:
    """The package's CHANGELOG.md and SECURITY.md, named from the repository's root."""
    version = loaded.current_version()
    versions.parse(version)
    config = loaded.config
    wanted: list[tuple[str, Callable[[], str]]] = [
        (
            loaded.path(config.changelog),
            lambda: changelog_text(
                version=version,
                tag_prefix=config.tag_prefix,
                web_url=web_url if released else None,
                render=render,
            ),
        ),
    ]
    if config.security:
        wanted.append(
            (
                loaded.path(config.security),
                lambda: security_text(version=version, web_url=web_url, render=render),
            )
        )
    return wanted


def _dependabot(root: Path) -> tuple[str, Callable[[], str]]:
    """The Dependabot configuration beside the workflow; one spelt `dependabot.yaml` counts as
    existing too (GitHub reads either), so it is kept, never doubled."""
    alternative = DEPENDABOT.removesuffix(".yml") + ".yaml"
    path = alternative if _exists(root / alternative) else DEPENDABOT
    return path, lambda: DEPENDABOT_TEXT


def _exists(path: Path) -> bool:
    return os.path.lexists(path)  # a symlink, even a broken one, is somebody's file


def _inside(root: Path, name: str) -> None:
    path = (root / name).resolve()
    try:
        inside = path.relative_to(root.resolve())
    except ValueError:
        raise Refused(
            f"{name} is outside the repository; bump init only creates files inside it.",
            hint="Point [tool.cutrelease] at a path inside the repository.",
        ) from None
    if ".git" in inside.parts:
        raise Refused(f"{name} is inside .git/.", hint="Point it at a file of the work tree.")


def _has_folders(root: Path, name: str) -> None:
    """Each folder on the way to `name` is a folder, or can be made one."""
    for folder in reversed(Path(name).parents[:-1]):
        path = root / folder
        if _exists(path) and not path.is_dir():
            raise Refused(
                f"{folder.as_posix()} is not a folder, so bump init cannot create {name}.",
                hint="Rename or remove it, or point [tool.cutrelease] elsewhere.",
            )


# ----------------------------------------------------------------------------- the texts


def changelog_text(*, version: str, tag_prefix: str, web_url: str | None, render: Render) -> str:
    """A Keep a Changelog file with an empty Unreleased section, linked when the forge is known."""
    variables: dict[str, Any] = {
        "heading": "## [Unreleased]",
        "level": "##",
        "label": "Unreleased",
        "bracketed": True,
        "link": None,
    }
    text = _CHANGELOG_HEAD + _lines(render(changelog.UNRELEASED_TEMPLATE, variables))
    if web_url is None:
        return text
    tag = tag_prefix + version
    link = {
        "label": "Unreleased",
        "url": forges.compare_url(web_url, tag, "HEAD"),
        "version": version,
        "tag": tag,
    }
    return text + "\n" + _lines(render(changelog.LINKS_TEMPLATE, link))


def security_text(*, version: str, web_url: str | None, render: Render) -> str:
    """A security policy whose Supported Versions table supports the current minor line."""
    major, minor = versions.line(versions.parse(version))
    header = ["Version", "Supported"]
    rows = [[f"{major}.{minor}.x", ":white_check_mark:"]]
    if (major, minor) != (0, 0):
        rows.append([f"< {major}.{minor}", ":x:"])
    widths = [max(3, *(len(row[column]) for row in (header, *rows))) for column in range(2)]
    table = render(
        security.TEMPLATE,
        {
            "header": header,
            "separator": [f" {'-' * width} " for width in widths],
            "rows": rows,
            "widths": widths,
            "version": version,
        },
    )
    on_github = web_url is not None and web_url.lower().startswith("https://github.com/")
    reporting = _REPORT_ON_GITHUB.format(web_url=web_url) if on_github else _REPORT_ELSEWHERE
    text = _SECURITY.format(table=_lines(table).rstrip("\n"), reporting=reporting)
    try:
        written = security.is_supported(text, version)
    except FileFormatError:
        written = False
    if not written:
        raise Refused(
            f"The table written by {security.TEMPLATE} does not mark {version} supported.",
            hint="Check the project's template against the packaged one.",
        )
    return text


def workflow_text(loaded: Project, *, render: Render) -> str:
    """The publish workflow: check-tag, uv build, PyPI trusted publishing, GitHub Release."""
    name = _project_name(loaded)
    prefix = loaded.config.tag_prefix
    pattern = f"{prefix}*" if prefix else "[0-9]*"
    variables = {
        "name": name,
        "tag_prefix": prefix,
        "tag_pattern": pattern,
        "tag_patterns": [pattern],
        "bump": _bump_command(name, ""),
        "pypi_url": f"https://pypi.org/p/{name}",
        "workspace": False,
        "build": "uv build",
        "ci": ci_workflow(loaded.root),
    }
    return _lines(render(WORKFLOW_TEMPLATE, variables))


def workspace_workflow_text(
    members: Sequence[Member], *, uv: bool, render: Render, ci: str | None = None
) -> str:
    """The one publish workflow of a repository of several packages: `bump check-tag --json`
    finds the package the pushed tag names; only that one is built (`uv build --package NAME`
    in a uv workspace, else its folder) and published.

    It starts on the tags of every member: `*-v[0-9]*` for those tagged NAME-v1.2.3 (members
    added later too), and `PREFIX*` for each other prefix.
    """
    from cutrelease.packages import member_tag_prefix

    patterns: list[str] = []
    for member in members:
        default = bool(member.folder) and member.tag_prefix == member_tag_prefix(member.name)
        pattern = "*-v[0-9]*" if default else f"{member.tag_prefix}*"
        if not member.tag_prefix:
            pattern = "[0-9]*"
        if pattern not in patterns:
            patterns.append(pattern)
    own = next((m for m in members if canonical_name(m.name) == "cutrelease"), None)
    build = (
        'uv build --package "$PACKAGE" --out-dir dist'
        if uv
        else 'uv build --out-dir dist "$PACKAGE_FOLDER"'
    )
    variables = {
        "name": None,
        "tag_prefix": None,
        "tag_pattern": None,
        "tag_patterns": patterns,
        "bump": _bump_command(own.name if own else "", own.folder if own else ""),
        "pypi_url": None,
        "workspace": True,
        "build": build,
        "ci": ci,
    }
    return _lines(render(WORKFLOW_TEMPLATE, variables))


def ci_workflow(root: Path) -> str | None:
    """`./.github/workflows/ci.yml` when the repository at `root` has that workflow and it can
    be called (its `on:` names `workflow_call`), else None.

    The release workflow then runs it as a job on the tagged commit and builds only after it
    passed: the tests gate the publish in the same run, with no race against the CI run of the
    branch push and no token to read check results.
    """
    try:
        text = (root / CI_WORKFLOW).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    # A line (not a comment) naming the trigger: `workflow_call:` or `on: [push, workflow_call]`.
    callable_ = re.search(r"^[^#\n]*\bworkflow_call\b", text, re.MULTILINE)
    return f"./{CI_WORKFLOW}" if callable_ else None


def _bump_command(name: str, folder: str) -> str:
    """How CI runs bump. cutrelease releases itself with the bump it is releasing; others get
    the exact version that wrote the file, never "latest": what a tag push runs must not
    change by itself."""
    if canonical_name(name) == "cutrelease":
        source = f"./{folder}" if folder else "."
    else:
        from importlib.metadata import version

        source = f"cutrelease=={version('cutrelease')}"
    return f"uvx --from {source} bump"


def _project_name(loaded: Project) -> str:
    """[project].name, or poetry's [tool.poetry].name where there is no [project] (poetry
    before 2.0 keeps name and version there: a [project] table added for a name would hide
    that version behind a new one)."""
    from cutrelease.tomlfile import parse_toml

    data = parse_toml(loaded.pyproject_text, PYPROJECT)
    name = data.get("project", {}).get("name")
    if "project" not in data:
        poetry = data.get("tool", {}).get("poetry", {})
        name = poetry.get("name") if isinstance(poetry, dict) else None
    if not isinstance(name, str) or not name:
        where = (
            "[project]"
            if "project" in data or "poetry" not in data.get("tool", {})
            else ("[tool.poetry]")
        )
        raise FileFormatError(
            PYPROJECT, f"has no {where}.name.", hint=f'Add name = "your-project" under {where}.'
        )
    return name


def _lines(rendered: str) -> str:
    """Rendered text as whole lines, each ending in "\\n"."""
    return "".join(line.rstrip("\r") + "\n" for line in rendered.rstrip("\r\n").split("\n"))


# ----------------------------------------------------------------------------- show and write


def preview(scaffold: Scaffold) -> str:
    """Each new file as a diff from nothing, as `git diff` shows a created file."""
    parts = []
    for new in scaffold.create:
        lines = new.text.splitlines(keepends=True)
        parts.append("".join(unified_diff([], lines, "/dev/null", f"b/{new.path}")))
    return "".join(parts)


def apply(scaffold: Scaffold, *, report: Callable[[str], None]) -> None:
    """Create every planned file; a file that appeared meanwhile stops it before any write.

    If a write fails, the files and folders created so far are removed again.
    """
    for new in scaffold.create:
        if _exists(scaffold.root / new.path):
            raise Refused(
                f"{new.path} appeared while bump init was running; nothing was written.",
                hint="Run bump init again.",
            )
    created: list[Path] = []
    try:
        for new in scaffold.create:
            path = scaffold.root / new.path
            created += _make_folders(path.parent)
            report(f"writing {new.path}")
            write_atomic(path, new.text.encode("utf-8"))
            created.append(path)
    except BaseException:
        _remove(created)
        raise


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; the new ones, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


def _remove(created: list[Path]) -> None:
    for path in reversed(created):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
