"""Plan = the file edits plus commit, tag and push: built and checked here, never applied."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError, Refused
from cutrelease.files import changelog, prereleases, sources, unreadable
from cutrelease.git import forges, gitrepo, tagprefix
from cutrelease.git.gitrepo import DryPush, GitRepo, Pending, RemoteUrls, Upstream
from cutrelease.project import Project, git_dir
from cutrelease.redact import redact
from cutrelease.release import checks, hooks
from cutrelease.release.hooks import Hook
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
    notes: tuple[str, ...] = ()  # what was learned rather than configured, as sentences
    atomic: bool = True  # False (atomic_push = false): the branch is pushed, then the tag
    current_tag: str = ""
    before_commit: tuple[Hook, ...] = ()  # run after the files are written (none: --no-hooks)
    after_push: tuple[Hook, ...] = ()  # run once the push is accepted (none without a push)
    folder: str = ""  # the package's, from the root ("" for the root project): its hooks run there

    @property
    def hook_folder(self) -> Path:
        """Where the hooks run: the package's folder (a workspace member's is its own)."""
        return self.root / self.folder if self.folder else self.root

    @property
    def paths(self) -> list[str]:
        """The files the release writes and commits, in order."""
        return [edit.path for edit in self.edits]

    def hook_values(self, tmp: str) -> dict[str, str]:
        """What the hooks' placeholders stand for, `tmp` being the {tmp} folder."""
        return {
            "current_version": self.old_version,
            "new_version": self.new_version,
            "current_tag": self.current_tag,
            "new_tag": self.tag,
            "tmp": tmp,
        }

    def commit_args(self) -> list[str]:
        """git's arguments for the release commit of exactly the release files."""
        return gitrepo.commit_command(self.commit_message, self.paths)

    def tag_args(self) -> list[str]:
        """git's arguments for the annotated release tag."""
        return gitrepo.tag_command(self.tag, self.tag_message)

    def pushes(self) -> list[list[str]]:
        """The full ref names each push sends, in order: branch and tag in one atomic push, or
        (atomic_push = false) the branch, then the tag; none without a push.

        Full ref names: a tag named like the branch (or the reverse) cannot make them ambiguous.
        """
        if self.remote is None:
            return []
        names = [f"refs/heads/{self.branch}", f"refs/tags/{self.tag}"]
        return [names] if self.atomic else [[name] for name in names]

    def push_args(self) -> list[list[str]]:
        """git's arguments for each push (see pushes); none without a push."""
        if self.remote is None:
            return []
        return [
            gitrepo.push_command(self.remote, names, atomic=self.atomic) for names in self.pushes()
        ]

    def git_commands(self) -> list[list[str]]:
        """Every git command the release runs, in order."""
        return [self.commit_args(), self.tag_args(), *self.push_args()]


#: Which number of X.Y.Z a release bumps.


class Request(NamedTuple):
    """The release asked for, with the configuration's defaults filled in: what `build` plans.

    `remote` is the remote's name even when `push` is False (the plan then pushes nowhere).
    `remote_source` says who chose it ("--remote", "[tool.cutrelease].remote"); None: it is the
    default, and the release branch's upstream, if it has one, chooses instead.
    """

    target: versions.Target
    date: datetime.date
    summary: str | None
    push: bool
    remote: str
    hooks: bool = True
    remote_source: str | None = None


class _Remote(NamedTuple):
    """The remote's two answers, pending: its refs (`git ls-remote`) and a dry run of the push
    (`git push --dry-run`, which alone meets the remote's receiving side)."""

    refs: Pending[dict[str, str]]
    dry_push: Pending[DryPush]


def _ask(repo: GitRepo, remote: str, wanted: list[str], *, branch: str, atomic: bool) -> _Remote:
    return _Remote(
        repo.remote_refs(remote, wanted),
        repo.dry_push(remote, [f"refs/heads/{branch}"], atomic=atomic),
    )


def _learn_prefix(project: Project, version: str) -> Project:
    """`project` with the tag prefix learned from `version`, the current version wherever it
    lives: project.load learns it from a static [project].version only."""
    if "tag_prefix" in project.configured or version == project.version:
        return project
    prefix, note = tagprefix.learn(
        project.root, git_dir(project.root), version=version, changelog=project.config.changelog
    )
    return project._replace(
        config=project.config._replace(tag_prefix=tagprefix.DEFAULT if prefix is None else prefix),
        tag_prefix_note=note,
        tag_prefix_unknown=prefix is None,
    )


def _wanted(project: Project, *, old: str, new: str) -> list[str]:
    """The refs the remote is asked for: the branch, the new tag and the current version's
    (versions from tags need it; one released with --no-push must reach the remote first);
    when nothing here tells the tag prefix, the tags of both prefixes."""
    prefixes = tagprefix.CANDIDATES if project.tag_prefix_unknown else (project.config.tag_prefix,)
    numbers = (new, old)
    tags = [f"refs/tags/{prefix}{number}" for number in numbers for prefix in prefixes]
    return [f"refs/heads/{project.config.branch}", *dict.fromkeys(tags)]


class _Version(NamedTuple):
    """Where the version lives, and the release it moves to."""

    found: sources.VersionSources
    old: str
    new: str
    first_release: bool  # the version the project holds, released as it is


def _version(project: Project, request: Request) -> tuple[Project, _Version]:
    """The current version read where it lives, the new one, and the tag prefix learned."""
    config = project.config
    found = sources.find_places(
        project.root,
        project.pyproject_text,
        folder=project.folder,
        files=config.files,
        changelog=config.changelog,
    )
    old = found.version
    project = _learn_prefix(project, old)
    current = versions.parse(old, where=found.source.where)
    new = versions.resolve(current, request.target)
    checks.tag_name_is_valid(project.config.tag_prefix + new)
    return project, _Version(found, old, new, new == versions.normal(current))


class _Destination(NamedTuple):
    """Where the push goes: the remote's name, its URLs, and its answers (pending)."""

    asked: _Remote
    remote: str
    url: str
    push_url: str


def _destination(
    repo: GitRepo,
    request: Request,
    asked: _Remote,
    questions: tuple[Pending[dict[str, RemoteUrls]], Pending[Upstream | None]],
    *,
    wanted: list[str],
    branch: str,
    atomic: bool,
    notes: list[str],
) -> _Destination:
    """The branch's upstream decides the remote (refused if the request names another); the
    remote is asked again where the release really goes."""
    remotes, upstream = questions
    remote = checks.push_destination(
        upstream.result(), branch=branch, remote=request.remote, source=request.remote_source
    )
    url, push_urls = gitrepo.remote_named(remotes.result(), remote)
    push_url = checks.one_push_url(remote, push_urls)
    if remote != request.remote:  # the upstream's remote: ask it instead
        notes.append(f"{branch} tracks {remote}/{branch}: the release goes there")
        asked = _ask(repo, remote, wanted, branch=branch, atomic=atomic)
    if push_url != url:  # ls-remote asked where it fetches; the release goes elsewhere
        asked = asked._replace(refs=repo.remote_refs(remote, wanted, url=push_url))
    return _Destination(asked, remote, url, push_url)


def _prefix_from_remote(
    project: Project, repo: GitRepo, goes: _Destination | None, *, old: str, notes: list[str]
) -> Project:
    """A tag prefix nothing here tells is never guessed: the remote's tags decide."""
    if not project.tag_prefix_unknown:
        return project
    prefix, learned = project.config.tag_prefix, None
    if goes is None:
        checks.tag_prefix_is_known(repo, old)
    else:
        prefix, learned = tagprefix.from_remote(goes.asked.refs.result(), goes.remote, version=old)
    if learned:
        notes.append(f"{learned}; set [tool.cutrelease].tag_prefix to choose")
    return project._replace(config=project.config._replace(tag_prefix=prefix))


def _check_tags(
    project: Project, repo: GitRepo, version: _Version, goes: _Destination | None, tag: str
) -> None:
    """The new tag is new here; versions from tags need the current one (here or remote)."""
    checks.tag_is_new_locally(repo, tag, current=version.new if version.first_release else None)
    if version.found.kind != "tags":
        return
    current_tag = project.config.tag_prefix + version.old
    exists = repo.ref(f"refs/tags/{current_tag}") is not None
    if not exists and goes is not None:  # a clone without tags: the remote's count
        exists = f"refs/tags/{current_tag}" in goes.asked.refs.result()
    sources.require_tag(version.found, tag=current_tag, exists=exists)


def _check_remote(
    repo: GitRepo,
    goes: _Destination,
    *,
    branch: str,
    tag: str,
    current_tag: str,
    head: str,
    atomic: bool,
    notes: list[str],
) -> str:
    """The remote lacks the tag, holds the current one, is not ahead, takes the push; what it
    is called in messages."""
    refs = goes.asked.refs.result()
    checks.remote_state(repo, refs, goes.remote, branch=branch, tag=tag, head=head)
    checks.current_tag_pushed(repo, refs, goes.remote, tag=current_tag)
    checks.push_is_possible(goes.asked.dry_push.result(), goes.remote, atomic=atomic)
    if f"refs/heads/{branch}" not in refs:
        notes.append(f"{goes.remote} has no branch {branch} yet: the push creates it")
    return f"{goes.remote} ({redact(goes.push_url)})"


def build(project: Project, repo: GitRepo, request: Request, render: Render) -> Plan:
    """Run every check, then compute every new file's bytes in memory; nothing is written.

    `repo` answers the git questions, `render` renders the templates. Raises a
    CutreleaseError (Refused, FileFormatError, GitFailed…) at the first check that fails.
    """
    project, version = _version(project, request)
    old, new, config = version.old, version.new, project.config
    # The git questions run side by side, each answered where its refusal comes in order;
    # the remote, slowest, is asked first and answered last.
    wanted = _wanted(project, old=old, new=new)
    asked = questions = None
    if request.push:
        asked = _ask(repo, request.remote, wanted, branch=config.branch, atomic=config.atomic_push)
        questions = (repo.remotes(), repo.upstream(config.branch))
    status = repo.status()
    head = checks.local_state(repo, status.result(), config.branch, remote=request.remote)
    notes: list[str] = []
    if project.tag_prefix_note:
        notes.append(f"{project.tag_prefix_note}; set [tool.cutrelease].tag_prefix to choose")
    goes = None
    if asked is not None and questions is not None:
        goes = _destination(
            repo,
            request,
            asked,
            questions,
            wanted=wanted,
            branch=config.branch,
            atomic=config.atomic_push,
            notes=notes,
        )
    project = _prefix_from_remote(project, repo, goes, old=old, notes=notes)
    config = project.config
    tag = config.tag_prefix + new
    before_commit, after_push = _hooks(project, request, old=old, new=new, tag=tag)
    _check_tags(project, repo, version, goes, tag)
    web_url = forges.web_url_from_remote(goes.url) if goes else None
    edits = _file_edits(
        project, repo, version.found, new=new, request=request, render=render, web_url=web_url
    )
    remote_display = ""
    if goes is not None:
        remote_display = _check_remote(
            repo,
            goes,
            branch=config.branch,
            tag=tag,
            current_tag=config.tag_prefix + old,
            head=head,
            atomic=config.atomic_push,
            notes=notes,
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
        remote=goes.remote if goes else None,
        remote_display=remote_display,
        edits=edits,
        commit_message=_message(render, "commit_message.txt.j2", variables),
        tag_message=_message(render, "tag_message.txt.j2", variables),
        notes=tuple(notes),
        atomic=config.atomic_push,
        current_tag=config.tag_prefix + old,
        before_commit=before_commit,
        after_push=after_push,
        folder=project.folder,
    )


def _hooks(
    project: Project, request: Request, *, old: str, new: str, tag: str
) -> tuple[tuple[Hook, ...], tuple[Hook, ...]]:
    """The before_commit and after_push hooks the release runs.

    Every entry is checked, even with --no-hooks (a typo is caught early); the programs only
    of the hooks that will run: none with --no-hooks, no after_push without a push.
    """
    config = project.config
    values = {
        "current_version": old,
        "new_version": new,
        "current_tag": config.tag_prefix + old,
        "new_tag": tag,
    }
    run_before = values if request.hooks else None
    run_after = values if request.hooks and request.push else None
    root = project.root / project.folder if project.folder else project.root  # where they run
    before = hooks.checked("before_commit", config.before_commit, root=root, values=run_before)
    after = hooks.checked("after_push", config.after_push, root=root, values=run_after)
    return (before if request.hooks else ()), (after if run_after is not None else ())


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
    resolved = {path: checks.writable_file(root, path, key=None) for path in found.paths}
    checks.one_file_each(resolved)
    # A member's changelog and policy are in its folder: project.path names them from the root.
    member = project.name if project.folder else None  # `bump init -p NAME` makes its files
    changelog_path = checks.writable_file(
        root, project.path(config.changelog), key="changelog", package=member
    )
    security_path = None
    # Only the final X.Y.0 of a new line moves the table: a patch or a pre-release never reads it.
    if versions.starts_line(new) and config.security:
        security_path = checks.writable_file(
            root, project.path(config.security), key="security", package=member
        )
    release_files = [changelog_path] + ([security_path] if security_path else [])
    asked = list(dict.fromkeys([*resolved.values(), *release_files]))
    index_tags = repo.index_flags(asked)  # answered once the new texts are computed
    untracked_locks = []
    if any(path.rsplit("/", 1)[-1] == sources.UV_LOCK for path in resolved):
        tracked = index_tags.result()  # a lock kept out of git is not the release's: left alone
        untracked_locks = [
            path
            for path, real in resolved.items()
            if path.rsplit("/", 1)[-1] == sources.UV_LOCK and real not in tracked
        ]
    found = found.without(untracked_locks)
    # A first release leaves the version where it is (every place must still agree with it);
    # every other moves it everywhere (changes checks that they agree first).
    if versions.same_release(new, old):
        found.check()
        moved = []
    else:
        moved = found.changes(new)
    changes = {resolved[change.path]: change for change in moved}
    paths = list(dict.fromkeys([*changes, *release_files]))

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

    def edit(path: str, change: Callable[[str], str]) -> FileEdit:
        """A release file's edit; on top of the version's, when the file holds a place too."""
        earlier = changes.pop(path, None)
        if earlier is None:
            return _edit(root, path, change)
        return FileEdit(path, earlier.before.encode("utf-8"), change(earlier.after).encode("utf-8"))

    edited = [edit(changelog_path, release_changelog)]
    if security_path is not None:
        from cutrelease.files import security

        edited.append(
            edit(
                security_path,
                lambda text: security.update_supported_versions(
                    text, version=new, render=render, path=security_path
                ),
            )
        )
    edits = [
        FileEdit(path, change.before.encode("utf-8"), change.after.encode("utf-8"))
        for path, change in changes.items()
    ] + edited
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
