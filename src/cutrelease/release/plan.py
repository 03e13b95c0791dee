"""Plan = the file edits plus commit, tag and push: built and checked here, never applied."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cutrelease import versions
from cutrelease.errors import CutreleaseError, FileFormatError, Refused
from cutrelease.files import (
    changelog,
    changelog_window,
    fragments,
    levels,
    lint,
    prereleases,
    sources,
    unreadable,
)
from cutrelease.git import forges, gitrepo, tagprefix
from cutrelease.git.gitrepo import GitRepo
from cutrelease.project import Project
from cutrelease.redact import redact
from cutrelease.release import checks, facts, hooks
from cutrelease.release.facts import Facts, Request
from cutrelease.release.hooks import Hook
from cutrelease.templates import Render

if TYPE_CHECKING:  # imported where the index's answer is read
    from cutrelease.publish.listing import IndexSaid

__all__ = ["FileEdit", "Plan", "Request", "Tagged", "build", "decode"]


class FileEdit(NamedTuple):
    """One file's whole bytes before and after the release (`after` None: it is deleted, as
    a changelog fragment is; the commit records the deletion)."""

    path: str  # relative to the repository root, with forward slashes
    before: bytes
    after: bytes | None
    # Lines both texts hold once, unchanged (a long changelog's older sections): the dry
    # run's diff need not compare them line by line.
    unchanged: str = ""
    # (before, after) as text, when the plan made them: the dry run's diff need not decode
    # a changelog of megabytes again.
    texts: tuple[str, str] | None = None


class Build(NamedTuple):
    """The build the release tries before the tag (publish.build): of the package `name` in
    `folder` (a uv workspace member's by `package`), each glob of `wheel_includes` in the wheel."""

    name: str
    folder: str
    package: str | None
    wheel_includes: tuple[str, ...]

    def command(self, out_dir: str) -> list[str]:
        """The builder's command line, writing into `out_dir` (see publish.build.command)."""
        from cutrelease.publish import build  # the dry run shows it; only a build runs it

        return build.command(Path(out_dir), package=self.package)


class Tagged(NamedTuple):
    """Another package a several-package release tags (SPEC section 14): its name, versions,
    tag and tag message. The plan's own fields describe the first package."""

    name: str
    old_version: str
    new_version: str
    tag: str
    tag_message: str
    index_said: IndexSaid | None = None  # what the package index said; None: not asked


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
    index_said: IndexSaid | None = None  # what the package index said (state not_asked too)
    build: Build | None = None  # the build tried before the tag; None: not asked for
    also: tuple[Tagged, ...] = ()  # the other packages of a several-package release
    name: str = ""  # the package's [project].name (a several-package release's first)

    # The remote the release goes to, or (--no-push) would have gone to: for the hint that
    # says how to publish it later.
    remote_name: str = ""
    # The push creates the remote's branch and ours tracks nothing: once the push is accepted,
    # ours tracks it, as `git push -u` would.
    track: bool = False

    @property
    def tags(self) -> list[str]:
        """Every tag the release makes: the plan's own, then those of `also`."""
        return [self.tag, *(other.tag for other in self.also)]

    def tag_messages(self) -> list[tuple[str, str]]:
        """Each tag the release makes, with its message, in order."""
        return [(self.tag, self.tag_message), *((o.tag, o.tag_message) for o in self.also)]

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
        names = [f"refs/heads/{self.branch}", *(f"refs/tags/{tag}" for tag in self.tags)]
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
        tags = [gitrepo.tag_command(tag, message) for tag, message in self.tag_messages()]
        return [self.commit_args(), *tags, *self.push_args()]


class Decided(NamedTuple):
    """What the checks settle, in order, from the facts: the tag, the remote, the hooks."""

    project: Project  # its tag prefix settled (the remote's tags may have told it)
    tag: str
    head: str
    destination: checks.Destination | None  # None: no push
    notes: list[str]  # what was learned rather than configured, as sentences
    before_commit: tuple[Hook, ...]
    after_push: tuple[Hook, ...]


def build(project: Project, repo: GitRepo, request: Request, render: Render) -> Plan:
    """Gather the facts, decide on them, then compute every new file's bytes in memory;
    nothing is written.

    `repo` answers the git questions (in facts.gather only), `render` renders the
    templates. Raises a CutreleaseError (Refused, FileFormatError, GitFailed…) at the first
    check that fails, in a fixed order: the version, the repository, the tags, the files,
    the remote (whose answer, the slowest, is read last), the messages.
    """
    known = facts.gather(project, repo, request)
    decided = decide(known, request)
    _check_members(known, request)
    edits = _file_edits(known, decided, request=request, render=render)
    remote_display = _check_remote(known, decided)
    _note_never_released(known, decided)
    said = _check_index(known, decided)
    return _plan(
        known, decided, edits, request=request, render=render, shown=remote_display, index=said
    )


def decide(known: Facts, request: Request) -> Decided:
    """The checks of the repository, where the push goes, the tag prefix, the hooks and the
    tags, in that order (those of the files and the remote come with the plan)."""
    config = known.project.config
    local = known.local
    head = checks.local_state(
        local.status.result(),
        config.branch,
        branch_exists=local.branch_exists,
        default_branch=local.default_branch,
    )
    checks.nothing_in_progress(local.in_progress)
    checks.identity_is_known([answer.result() for answer in local.identity])
    checks.tag_prefix_agrees(known.project.tag_prefix_conflict)
    notes: list[str] = []
    if known.project.tag_prefix_note:
        notes.append(f"{known.project.tag_prefix_note}; set [tool.cutrelease].tag_prefix to choose")
    goes = None
    if known.remote is not None:
        goes = _destination(known.remote, request, branch=config.branch, notes=notes)
    project = _prefix_from_remote(known, goes, notes=notes)
    tag = project.config.tag_prefix + known.version.new
    old, new = known.version.old, known.version.new
    before_commit, after_push = _hooks(project, request, old=old, new=new, tag=tag)
    _check_tags(known, project, tag, pushed=goes is not None)
    return Decided(project, tag, head, goes, notes, before_commit, after_push)


def _destination(
    remote: facts.Remote, request: Request, *, branch: str, notes: list[str]
) -> checks.Destination:
    """The branch's upstream decides the remote (refused if the request names another)."""
    goes = checks.destination(
        remote.upstream.result(),
        remote.remotes.result(),
        branch=branch,
        remote=request.remote,
        source=request.remote_source,
    )
    if goes.remote != request.remote:  # facts.gather asked it instead
        notes.append(f"{branch} tracks {goes.remote}/{branch}: the release goes there")
    return goes


def _prefix_from_remote(
    known: Facts, goes: checks.Destination | None, *, notes: list[str]
) -> Project:
    """A tag prefix nothing here tells is never guessed: the remote's tags decide."""
    project = known.project
    if not project.tag_prefix_unknown:
        return project
    prefix, learned = project.config.tag_prefix, None
    if goes is None or known.remote is None:
        checks.tag_prefix_is_known(known.version.old, shallow=known.local.shallow)
    else:
        prefix, learned = tagprefix.from_remote(
            known.remote.refs.result(), goes.remote, version=known.version.old
        )
    if learned:
        notes.append(f"{learned}; set [tool.cutrelease].tag_prefix to choose")
    return project._replace(config=project.config._replace(tag_prefix=prefix))


def _check_tags(known: Facts, project: Project, tag: str, *, pushed: bool) -> None:
    """The new tag is new here; versions from tags need the current one (here or remote)."""
    version, tags = known.version, known.local.tags
    checks.tag_is_new_locally(
        tag,
        exists=tags.get(f"refs/tags/{tag}") is not None,
        current=version.new if version.first_release else None,
    )
    if version.found.kind != "tags":
        return
    current_tag = project.config.tag_prefix + version.old
    exists = tags.get(f"refs/tags/{current_tag}") is not None
    if not exists and pushed and known.remote is not None:  # a clone without tags: the remote's
        exists = f"refs/tags/{current_tag}" in known.remote.refs.result()
    sources.require_tag(version.found, tag=current_tag, exists=exists)


def _check_members(known: Facts, request: Request) -> None:
    """The workspace's members this release leaves as they are still take the new version
    (checks.members_take_it; those released with it are several.plan's)."""
    if known.required is None or not known.project.name:
        return
    checks.members_take_it(
        known.required.result(),
        name=known.project.name,
        new=known.version.new,
        released=[known.project.name, *request.together],
        asked=request.target.describe(),
    )


def _check_remote(known: Facts, decided: Decided) -> str:
    """The remote lacks the tag, holds the current one, is not ahead, takes the push; what it
    is called in messages ("" without a push)."""
    goes, remote = decided.destination, known.remote
    if goes is None or remote is None:
        return ""
    config = decided.project.config
    branch, current_tag = config.branch, config.tag_prefix + known.version.old
    refs = remote.refs.result()
    checks.tag_not_on_remote(refs, goes.remote, tag=decided.tag)
    checks.branch_not_behind(remote.branch.result(), goes.remote, branch=branch)
    here = known.local.tags.get(f"refs/tags/{current_tag}") is not None
    checks.current_tag_pushed(refs, goes.remote, tag=current_tag, here=here)
    checks.push_is_possible(remote.dry_push.result(), goes.remote, atomic=config.atomic_push)
    if f"refs/heads/{branch}" not in refs:
        tracked = remote.upstream.result() is not None
        track = "" if tracked else f", and {branch} will track it"
        decided.notes.append(
            f"{goes.remote} has no branch {branch} yet: the push creates it{track}"
        )
    return f"{goes.remote} ({redact(goes.push_url)})"


def _note_never_released(known: Facts, decided: Decided) -> None:
    """A current version never released is said in the notes: no tag of it here nor on the
    remote, and no changelog section (`uv init --package` writes 0.1.0, and `bump patch`
    would go past it to 0.1.1 without a word). Not for a version read from the tags (its tag
    is required) nor for the first release itself (`bump 0.1.0`)."""
    version = known.version
    if version.found.kind == "tags" or version.first_release:
        return
    tag = decided.project.config.tag_prefix + version.old
    ref = f"refs/tags/{tag}"
    # The remote's refs were read by _check_remote already: no new wait, no new error.
    remote = known.remote if decided.destination is not None else None
    on_remote = remote is not None and ref in remote.refs.result()
    if on_remote or known.local.tags.get(ref) is not None:
        return
    # Parsed again only here, so rarely: a project with a history has its tags.
    path = known.files.result().changelog
    released = changelog.released_versions(decode(known.texts[path].result(), path), path=path)
    if any(versions.same_release(number, version.old) for number in released):
        return
    project = decided.project
    package = f"-p {project.name} " if project.folder and project.name else ""
    decided.notes.append(
        f"{version.old}, the current version, was never released (no tag {tag}): "
        f"`bump {package}{version.old}` releases it as it is"
    )


def _check_index(known: Facts, decided: Decided) -> IndexSaid:
    """The new version is not on the package index (SPEC section 12); what the index said
    (not_asked with --offline or index_check = false). An index that could not be asked is a
    note, not a refusal; so is a higher version there than the new one."""
    from cutrelease.publish import listing  # here: a release imports it when it runs
    from cutrelease.publish.listing import Unanswered

    old, new = known.version.old, known.version.new
    if known.index_asked is None:
        project = decided.project
        why = "--offline"
        if not project.config.index_check or not project.name:
            why = "index_check = false" if project.name else "no [project].name to ask by"
        url = listing.page_or_none(project.config.index_url, project.name)
        return listing.said(None, new, url=url, why=why)
    asking = known.index_asked.result()  # a bad index_url is refused here, in its place
    answer = asking.result()
    name = decided.project.name or ""
    member = bool(decided.project.folder)  # its release names it: bump -p NAME
    found = checks.version_not_on_index(answer, name=name, version=new, member=member)
    if isinstance(answer, Unanswered):
        decided.notes.append(found.sentence())
    elif (
        # The index has earlier versions, not this one (SPEC section 12: "while it has
        # earlier ones"): one uploaded only after it says nothing of it.
        any(versions.parse(other) < versions.parse(old) for other in answer.versions())
        and not answer.has(old)
        and not known.version.first_release
        and versions.is_final(versions.parse(old))  # a pre-release need not be uploaded
    ):
        decided.notes.append(f"{old} was never published on {asking.url}")
    higher = found.higher()
    if higher:  # a release below what installers pick: allowed (a fix to an older line), said
        decided.notes.append(
            f"{asking.url} has a higher version than {new} already ({listing.some(higher)}): "
            f"installers pick the highest, not {new}, unless asked for it"
        )
    return found


def _plan(
    known: Facts,
    decided: Decided,
    edits: tuple[FileEdit, ...],
    *,
    request: Request,
    render: Render,
    shown: str,
    index: IndexSaid | None = None,
) -> Plan:
    """The plan, its messages rendered (an empty one is refused)."""
    config = decided.project.config
    old, new, tag = known.version.old, known.version.new, decided.tag
    variables: dict[str, object] = {
        "version": new,
        "previous_version": old,
        "tag": tag,
        "date": request.date.isoformat(),
        "message": request.summary or "",
        # The packages the release commit holds (several in a several-package release).
        "packages": [
            {
                "name": decided.project.name or "",
                "version": new,
                "previous_version": old,
                "tag": tag,
            }
        ],
    }
    return Plan(
        root=decided.project.root,
        old_version=old,
        new_version=new,
        tag=tag,
        branch=config.branch,
        head=decided.head,
        remote=decided.destination.remote if decided.destination else None,
        remote_display=shown,
        edits=edits,
        commit_message=message(render, "commit_message.txt.j2", variables),
        tag_message=message(render, "tag_message.txt.j2", variables),
        notes=tuple(decided.notes),
        atomic=config.atomic_push,
        current_tag=config.tag_prefix + old,
        before_commit=decided.before_commit,
        after_push=decided.after_push,
        folder=decided.project.folder,
        index_said=index,
        build=_build(decided.project, request),
        remote_name=decided.destination.remote if decided.destination else request.remote,
        track=_creates_branch(known, decided),
        name=decided.project.name or "",
    )


def _build(project: Project, request: Request) -> Build | None:
    """The build before the tag, when `build = true` or --build asks for it."""
    if not (request.build or project.config.build):
        return None
    name = project.name
    if not name:
        raise Refused(
            "The build before the tag needs the package's name, and pyproject.toml has no "
            "[project].name.",
            hint="Give [project] a name, or release without --build.",
        )
    package = name if project.folder else None  # a member builds with uv build --package
    return Build(name, project.folder, package, project.config.wheel_includes)


def _creates_branch(known: Facts, decided: Decided) -> bool:
    """Whether the push creates the remote's release branch, ours tracking nothing yet."""
    if decided.destination is None or known.remote is None:
        return False
    branch = decided.project.config.branch
    created = f"refs/heads/{branch}" not in known.remote.refs.result()
    return created and known.remote.upstream.result() is None


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


def message(
    render: Render, template: str, variables: Mapping[str, object], *, example: str = "{{ tag }}"
) -> str:
    """A commit or tag message, exactly as git will store it (see git_whitespace).

    git refuses an empty one, so it is refused here, first, its hint giving `example`.
    """
    text = git_whitespace(render(template, variables))
    if not text:
        raise Refused(
            f"Template {template} renders an empty message.",
            hint=f"Give it some text, e.g. {example}.",
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
    known: Facts, decided: Decided, *, request: Request, render: Render
) -> tuple[FileEdit, ...]:
    """Every file the release changes: each place of the version, the changelog, SECURITY.md."""
    files = known.files.result()
    changes = _version_changes(known, files)
    paths = list(dict.fromkeys([*changes, *files.written]))

    # Each edit keeps its texts as the release made them (FileEdit.texts): the lint after and
    # the dry run's diff read them, not decoded again (a changelog may be megabytes).
    def edit(path: str, change: Callable[[str], str]) -> FileEdit:
        """A release file's edit; on top of the version's, when the file holds a place too."""
        earlier = changes.pop(path, None)
        if earlier is None:
            raw = known.texts[path].result()
            before = decode(raw, path)
            after = change(before)
            return FileEdit(path, raw, after.encode("utf-8"), texts=(before, after))
        after = change(earlier.after)
        before = earlier.before
        return FileEdit(path, before.encode("utf-8"), after.encode("utf-8"), texts=(before, after))

    read: list[changelog.Changelog] = []  # the changelog as parsed, for the lint after

    def release_changelog(text: str) -> str:
        return _release_changelog(
            text, known, decided, request, render, path=files.changelog, read=read.append
        )

    edited = [edit(files.changelog, release_changelog)]
    if read and read[-1].unread:
        edited[0] = edited[0]._replace(unchanged=read[-1].unread[0].text)
    if files.security is not None:
        old, new, path = known.version.old, known.version.new, files.security
        edited.append(
            edit(path, lambda text: _release_policy(text, render, old=old, new=new, path=path))
        )
    edits = [  # the places of the version alone, then the files the release writes
        FileEdit(
            path,
            change.before.encode("utf-8"),
            change.after.encode("utf-8"),
            texts=(change.before, change.after),
        )
        for path, change in changes.items()
    ] + edited
    checks.committable(paths, known.local.index_flags.result())
    edits += _fragment_deletions(known)
    # The first release of the version the project already holds changes no version.
    changed = tuple(edit for edit in edits if edit.after != edit.before)
    _keeps_order(known, decided, changed, log=read[-1] if read else None)
    return changed


def _keeps_order(
    known: Facts,
    decided: Decided,
    edits: tuple[FileEdit, ...],
    *,
    log: changelog.Changelog | None,
) -> None:
    """What `bump check` accepts before the release it accepts after (SPEC section 16): the
    changelog, SECURITY.md and the version's places linted as it lints them, in their planned
    texts; only a problem the release makes refuses (see lint.new_problems). `log` is the
    changelog as the release parsed it; each edit's texts are read from it where it has them."""
    files = known.files.result()
    old, new = known.version.old, known.version.new

    def text(edit: FileEdit, which: int) -> str:
        if edit.texts is not None:
            return edit.texts[which]
        raw = edit.before if which == 0 else edit.after
        assert raw is not None
        return decode(raw, edit.path)

    # A deleted file (a changelog fragment, after None) is no text to lint.
    after = {e.path: text(e, 1) for e in edits if e.after is not None}
    before = {e.path: text(e, 0) for e in edits if e.after is not None}
    for path in files.written:
        if path not in before:  # not decoded first: a changelog may be megabytes
            before[path] = decode(known.texts[path].result(), path)
    problems = lint.changelog_after_release(
        before[files.changelog],
        after.get(files.changelog, before[files.changelog]),
        path=files.changelog,
        old=old,
        new=new,
        tag_prefix=decided.project.config.tag_prefix,
        log=log,
    )
    if files.security is not None:
        policy = before[files.security]
        problems += lint.security_after_release(
            policy, after.get(files.security, policy), path=files.security, old=old, new=new
        )
    # The places by the paths they were found at (a link's, not its target's).
    planned = {found: after[real] for found, real in files.places.items() if real in after}
    planned.update(after)
    moved = {found for found, real in files.places.items() if real in after}
    problems += lint.version_after_release(decided.project, planned, new=new, moved=moved)
    checks.stays_in_order(problems)


def _release_policy(text: str, render: Render, *, old: str, new: str, path: str) -> str:
    """SECURITY.md's text after the release of `new` from `old`: a release starting a new line
    moves its table (versions.starts_line: X.Y.0, and any final whose major.minor is not
    `old`'s, as 0.1.2 -> 0.2.1), or is refused naming why; a patch moves only a table that
    names the release before it exactly (`| 1.6.0 | Yes |`). A table of lines covers the
    patch already; one that cannot be read is left as it is, for `bump check` to name."""
    from cutrelease.files import security

    if not versions.starts_line(new, current=old):
        try:
            named = security.supported_lines(text, path=path)
        except FileFormatError:
            return text
        if not any(versions.same_release(label.strip("`"), old) for label in named):
            return text
    return security.update_supported_versions(text, version=new, render=render, path=path)


def _fragment_deletions(known: Facts) -> list[FileEdit]:
    """The fragment files, deleted by the release (their entries are in the changelog now);
    each must be tracked, so that the commit records its deletion."""
    gathered = known.fragments.result() if known.fragments is not None else None
    if gathered is None or not gathered.fragments:
        return []
    flags = known.fragment_flags.result() if known.fragment_flags is not None else {}
    checks.committable(gathered.paths, flags)
    data = {item.path: item.data or b"" for item in gathered.found}
    return [FileEdit(path, data[path], None) for path in gathered.paths]


def _version_changes(known: Facts, files: checks.ReleaseFiles) -> dict[str, sources.Change]:
    """Each place's change of the version, by its file's path (none for a first release)."""
    found, new = known.version.found, known.version.new
    resolved = files.places
    if any(sources.is_lock(path) for path in resolved):
        tracked = known.local.index_flags.result()  # a lock kept out of git is left alone
        found = found.without(
            [
                path
                for path, real in resolved.items()
                if sources.is_lock(path) and real not in tracked
            ]
        )
    # A first release leaves the version where it is (every place must still agree with it);
    # every other moves it everywhere (changes checks that they agree first).
    if versions.same_release(new, known.version.old):
        found.check()
        return {}
    return {resolved[change.path]: change for change in found.changes(new)}


def _release_changelog(
    text: str,
    known: Facts,
    decided: Decided,
    request: Request,
    render: Render,
    *,
    path: str,
    read: Callable[[changelog.Changelog], None],
) -> str:
    """The changelog's text with the release's section, its newest release checked first;
    `read` is given the text as parsed (the last one given is the one the release used)."""
    gathered = known.fragments.result() if known.fragments is not None else None
    if gathered is not None and gathered.fragments:
        log = changelog.parse(text)  # fragments are merged into the whole text
    else:
        log = changelog_window.read(text)  # once: a changelog may be megabytes
    try:
        return _cut(log, known, decided, request, render, path=path, read=read)
    except CutreleaseError:
        if not log.unread:
            raise
    # A refusal names lines of the file: they are counted in the file read whole.
    return _cut(changelog.parse(text), known, decided, request, render, path=path, read=read)


def _cut(
    log: changelog.Changelog,
    known: Facts,
    decided: Decided,
    request: Request,
    render: Render,
    *,
    path: str,
    read: Callable[[changelog.Changelog], None],
) -> str:
    """The release of the changelog `log` (see _release_changelog)."""
    old, new = known.version.old, known.version.new
    config = decided.project.config
    read(log)
    checks.changelog_matches(log, path, version=old)
    goes = decided.destination
    web_url = forges.web_url_from_remote(goes.url) if goes else None
    gathered = known.fragments.result() if known.fragments is not None else None
    if gathered is not None:
        gathered.first_problem()
        _check_level(log, gathered, known, decided, request, path=path)
        if gathered.fragments:
            log = changelog.parse(fragments.merge(log, gathered.entries(web_url)))
    # The final of a pre-release line needs no new entries: its pre-releases had them.
    after_pre = not versions.is_final(versions.parse(old)) and versions.is_final(
        versions.parse(new)
    )
    if after_pre and config.prerelease_sections == "fold" and prereleases.of_line(log, new):
        # Folded whole: a pre-release may be among the older sections a long file left unread.
        whole = changelog.parse(log.render()) if log.unread else log
        log = changelog.parse(prereleases.fold(whole, new))
    newest = log.newest
    return changelog.release(
        log,
        version=new,
        previous_version=newest.heading.version if newest is not None else None,
        date=request.date,
        tag_prefix=config.tag_prefix,
        web_url=web_url,
        render=render,
        path=path,
        allow_empty=after_pre,
    )


def _check_level(
    log: changelog.Changelog,
    gathered: fragments.Gathered,
    known: Facts,
    decided: Decided,
    request: Request,
    *,
    path: str,
) -> None:
    """The release is not lower than its entries call for (SPEC section 13): level_check
    "warn" says so in the notes (the dry run and the confirmation show them), "refuse"
    refuses, naming the entry; "off" says nothing."""
    setting = decided.project.config.level_check
    old, new = known.version.old, known.version.new
    level = levels.of_release(old, new)
    if setting == "off" or level is None:
        return
    entries = [*fragments.unreleased_entries(log, path=path)]
    entries += [entry for fragment in gathered.fragments for entry in fragment.entries]
    call = levels.called_for(((e.category, e.text, e.where) for e in entries), current=old)
    if call is None or not levels.lower_than(level, call):
        return
    said = f"the entries call for {levels.describe(call)}, and {new} is a {level} release"
    if setting == "refuse":
        asked = request.target.describe()
        raise Refused(
            f"{asked} is lower than the entries call for: {levels.describe(call)}.",
            hint=f'Run `bump {call.level}` (or `bump auto`); level_check = "warn" lets a '
            "lower release through.",
        )
    decided.notes.append(said)


def decode(raw: bytes, path: str) -> str:
    """The UTF-8 text of `raw`, the bytes of `path`; a BOM stays in the text (and the output).

    Raises FileFormatError naming `path` when the bytes are not UTF-8.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(path, unreadable.message(exc)) from None
