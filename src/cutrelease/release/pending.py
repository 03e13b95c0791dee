"""What is pending release: the Unreleased notes with the fragments merged, and the level
their entries call for (SPEC section 13), for `bump notes --unreleased`, `next` and `auto`."""

from __future__ import annotations

from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import CutreleaseError, FileFormatError, Refused
from cutrelease.files import changelog, fragments, levels, unreadable
from cutrelease.git import forges
from cutrelease.git.gitrepo import GitRepo
from cutrelease.project import Project
from cutrelease.release.plan import decode


class Pending(NamedTuple):
    """The changelog as a release would write its Unreleased section, and what it calls for."""

    path: str  # the changelog's, from the repository root
    log: changelog.Changelog  # fragments merged
    current: str  # the current version
    call: levels.Call | None


def read(project: Project) -> Pending:
    """The project's changelog with its fragments merged (issues linked to the forge of its
    remote, when it names one), and the level the entries call for.

    Raises FileFormatError for an unreadable changelog or the first bad fragment, Refused
    when the current version cannot be read.
    """
    path, log, gathered = _read(project)
    current = project.current_version()
    entries = [*fragments.unreleased_entries(log, path=path)]
    entries += [entry for fragment in gathered.fragments for entry in fragment.entries]
    call = levels.called_for(((e.category, e.text, e.where) for e in entries), current=current)
    return Pending(path, merged(log, gathered, project), current, call)


def unreleased_notes(project: Project) -> str:
    """The Unreleased notes a release would move into its section, fragments included."""
    path, log, gathered = _read(project)
    return changelog.unreleased_notes(merged(log, gathered, project).render(), path=path)


def merged(
    log: changelog.Changelog, gathered: fragments.Gathered, project: Project
) -> changelog.Changelog:
    """`log` with the fragments' entries in its Unreleased section."""
    if not gathered.fragments:
        return log
    return changelog.parse(fragments.merge(log, gathered.entries(_web_url(project))))


def changelog_text(project: Project) -> tuple[str, str]:
    """(path from the root, text) of `project`'s changelog. Raises CutreleaseError for a blank
    setting, FileFormatError for a missing (said as `bump check` says it, with its fix) or
    non-UTF-8 file."""
    path = project.path(project.config.changelog)
    if not path.strip():
        raise CutreleaseError("[tool.cutrelease].changelog is blank.")
    try:
        return path, decode((project.root / path).read_bytes(), path)
    except FileNotFoundError as exc:
        member = project.name if project.folder else None
        said = unreadable.message(exc, key="changelog", package=member)
        raise FileFormatError(path, said) from None


def _read(project: Project) -> tuple[str, changelog.Changelog, fragments.Gathered]:
    path, text = changelog_text(project)
    gathered = fragments.gather(project)
    gathered.first_problem()
    return path, changelog.parse(text), gathered


def _web_url(project: Project) -> str | None:
    """The web page of the project's remote, for issue links; None when it names no forge."""
    try:
        urls = GitRepo(project.root).remote_urls(project.config.remote).result()
    except CutreleaseError:
        return None
    return forges.web_url_from_remote(urls.fetch)


def next_version(pending: Pending, level: str) -> str:
    """The version a release of `level` (patch, minor, major) gives."""
    current = versions.parse(pending.current)
    return versions.resolve(current, versions.Target(part=level))


def called_level(pending: Pending) -> levels.Call:
    """The level the entries call for; Refused when none does."""
    if pending.call is None:
        raise Refused(
            f"No entry of {pending.path}'s Unreleased section or of the fragments calls for a "
            "release (none is under Added, Changed, Deprecated, Removed, Fixed or Security).",
            hint="Write the changes under those headings (or as fragments), or name the "
            "level: bump patch, bump minor, bump major.",
        )
    return pending.call
