"""Plan = the file edits plus commit, tag and push: built and checked here, never applied."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cutrelease import (
    changelog,
    checks,
    forges,
    gitrepo,
    prereleases,
    sources,
    unreadable,
    versions,
)
from cutrelease.errors import FileFormatError, Refused
from cutrelease.gitrepo import GitRepo
from cutrelease.project import Project
from cutrelease.redact import redact
from cutrelease.templates import Render


class FileEdit(NamedTuple):
    """One file's whole bytes before and after the release."""

    path: str  # relative to the repository root, with forward slashes
    before: bytes
    after: bytes


class Plan(NamedTuple):
    """Exactly what a release does; the dry run prints it, the real run applies it."""

    root: Path
    old_version: str
    new_version: str
    tag: str
    branch: str
    head: str
    remote: str | None  # None: no push
    remote_display: str
    edits: tuple[FileEdit, ...]
    commit_message: str
    tag_message: str
    notes: tuple[str, ...] = ()  # what was learned rather than configured

    @property
    def paths(self) -> list[str]:
        """The files the release writes and commits, in order."""
        return [edit.path for edit in self.edits]

    def commit_args(self) -> list[str]:
        """git's arguments for the release commit of exactly the release files."""
        return gitrepo.commit_command(self.commit_message, self.paths)

    def tag_args(self) -> list[str]:
        """git's arguments for the annotated release tag."""
        return gitrepo.tag_command(self.tag, self.tag_message)

    def push_args(self) -> list[str] | None:
        """git's arguments for the one atomic push of branch and tag; None: no push."""
        if self.remote is None:
            return None
        # Full ref names: a tag named like the branch (or the reverse) cannot make them ambiguous.
        return gitrepo.push_command(
            self.remote, [f"refs/heads/{self.branch}", f"refs/tags/{self.tag}"]
        )

    def git_commands(self) -> list[list[str]]:
        """Every git command the release runs, in order."""
        commands = [self.commit_args(), self.tag_args()]
        push = self.push_args()
        return commands if push is None else [*commands, push]


#: Which number of X.Y.Z a release bumps.


class Request(NamedTuple):
    """The release asked for, with the configuration's defaults filled in: what `build` plans.

    `remote` is the remote's name even when `push` is False (the plan then pushes nowhere).
    """

    target: versions.Target
    date: datetime.date
    summary: str | None
    push: bool
    remote: str


def build(project: Project, repo: GitRepo, request: Request, render: Render) -> Plan:
    """Run every check, then compute every new file's bytes in memory; nothing is written.

    `repo` answers the git questions, `render` renders the templates. Raises a
    CutreleaseError (Refused, FileFormatError, GitFailed…) at the first check that fails.
    """
    config = project.config
    found = sources.find_places(
        project.root,
        project.pyproject_text,
        folder=project.folder,
        files=config.files,
        changelog=config.changelog,
    )
    old = found.version
    current = versions.parse(old, where=found.source.where)
    new = versions.resolve(current, request.target)
    first_release = new == versions.normal(current)
    tag = config.tag_prefix + new
    checks.tag_name_is_valid(tag)
    # The git questions run side by side, each answered where its refusal comes in order;
    # the remote, slowest, is asked first and answered last.
    remote_refs = asked_urls = None
    wanted = [f"refs/heads/{config.branch}", f"refs/tags/{tag}"]
    if request.push:
        remote_refs = repo.remote_refs(request.remote, wanted)
        asked_urls = repo.remote_urls(request.remote)
    status = repo.status()
    head = checks.local_state(status.result(), config.branch)
    checks.tag_is_new_locally(repo, tag, current=new if first_release else None)
    if found.kind == "tags":  # the changelog's newest release is the version: its tag must exist
        current_tag = config.tag_prefix + old
        exists = repo.ref(f"refs/tags/{current_tag}") is not None
        sources.require_tag(found, tag=current_tag, exists=exists)
    url = push_url = None
    if asked_urls is not None:
        url, push_urls = asked_urls.result()
        push_url = checks.one_push_url(request.remote, push_urls)
        if push_url != url:  # ls-remote asked where it fetches; the release goes elsewhere
            remote_refs = repo.remote_refs(request.remote, wanted, url=push_url)
    web_url = forges.web_url_from_remote(url) if url else None
    edits = _file_edits(
        project, repo, found, new=new, request=request, render=render, web_url=web_url
    )
    remote_display = ""
    if push_url is not None and remote_refs is not None:
        remote_display = f"{request.remote} ({redact(push_url)})"
        checks.remote_state(
            repo, remote_refs.result(), request.remote, branch=config.branch, tag=tag, head=head
        )
    variables = {
        "version": new,
        "previous_version": old,
        "tag": tag,
        "date": request.date.isoformat(),
        "message": request.summary or "",
    }
    return Plan(
        root=project.root,
        old_version=old,
        new_version=new,
        tag=tag,
        branch=config.branch,
        head=head,
        remote=request.remote if request.push else None,
        remote_display=remote_display,
        edits=edits,
        commit_message=_message(render, "commit_message.txt.j2", variables),
        tag_message=_message(render, "tag_message.txt.j2", variables),
        notes=(project.tag_prefix_note,) if project.tag_prefix_note else (),
    )


def _message(render: Render, template: str, variables: dict[str, str]) -> str:
    """A commit or tag message, exactly as git will store it (see git_whitespace).

    git refuses an empty one, so it is refused here, first.
    """
    text = git_whitespace(render(template, variables))
    if not text:
        raise Refused(
            f"Template {template} renders an empty message.",
            hint="Give it some text, e.g. {{ tag }}.",
        )
    return text


def git_whitespace(text: str) -> str:
    """What `--cleanup=whitespace` leaves of a message, so that the plan shows what lands.

    Trailing whitespace (ASCII's, as git counts it) goes, runs of blank lines become one, and
    blank lines at either end go; lines starting with "#" (git's comment character) stay,
    unlike git's default for tags.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" \t\v\f\r")
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _file_edits(
    project: Project,
    repo: GitRepo,
    found: sources.VersionSources,
    *,
    new: str,
    request: Request,
    render: Render,
    web_url: str | None,
) -> tuple[FileEdit, ...]:
    """Every file the release changes: each place of the version, the changelog, SECURITY.md."""
    config = project.config
    root = project.root
    old = found.version
    # A link inside the repository is followed (git tracks its target); one out is refused.
    found.check()  # every place agrees with the current version, even when none moves
    # A first release leaves the version where it is; every other moves it everywhere.
    moved = [] if versions.same_release(new, old) else found.changes(new)
    changes = {checks.writable_file(root, change.path, key=None): change for change in moved}
    # A member's changelog and policy are in its folder: project.path names them from the root.
    changelog_path = checks.writable_file(root, project.path(config.changelog), key="changelog")
    security_path = None
    # Only the final X.Y.0 of a new line moves the table: a patch or a pre-release never reads it.
    if versions.starts_line(new) and config.security:
        security_path = checks.writable_file(root, project.path(config.security), key="security")
    paths = [*changes, changelog_path] + ([security_path] if security_path else [])
    index_tags = repo.index_flags(paths)  # answered once the new texts are computed

    def release_changelog(text: str) -> str:
        log = changelog.parse(text)  # once: a changelog may be megabytes
        checks.changelog_matches(log, changelog_path, version=old)
        # The final of a pre-release line needs no new entries: its pre-releases had them.
        after_pre = not versions.is_final(versions.parse(old)) and versions.is_final(
            versions.parse(new)
        )
        if after_pre and config.prerelease_sections == "fold" and prereleases.of_line(log, new):
            log = changelog.parse(prereleases.fold(log, new))
        newest = log.newest
        return changelog.release(
            log,
            version=new,
            previous_version=newest.heading.version if newest is not None else None,
            date=request.date,
            tag_prefix=config.tag_prefix,
            web_url=web_url,
            render=render,
            path=changelog_path,
            allow_empty=after_pre,
        )

    edits = [
        FileEdit(path, change.before.encode("utf-8"), change.after.encode("utf-8"))
        for path, change in changes.items()
    ]
    edits.append(_edit(root, changelog_path, release_changelog))
    if security_path is not None:
        from cutrelease import security

        edits.append(
            _edit(
                root,
                security_path,
                lambda text: security.update_supported_versions(
                    text, version=new, render=render, path=security_path
                ),
            )
        )
    checks.committable(paths, index_tags.result())
    # The first release of the version the project already holds changes no version.
    return tuple(edit for edit in edits if edit.after != edit.before)


def _edit(root: Path, path: str, change: Callable[[str], str]) -> FileEdit:
    """Read the file once, change its text, keep both byte strings."""
    try:
        before = (root / path).read_bytes()
    except OSError as exc:
        raise FileFormatError(path, unreadable.message(exc)) from None
    return FileEdit(path, before, change(decode(before, path)).encode("utf-8"))


def decode(raw: bytes, path: str) -> str:
    """The UTF-8 text of `raw`, the bytes of `path`; a BOM stays in the text (and the output).

    Raises FileFormatError naming `path` when the bytes are not UTF-8.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(path, unreadable.message(exc)) from None
