"""`bump retract [TAG]`: take back a release that was pushed but never uploaded (SPEC 12).

Planned like a release (the checks first, over what the repository, the remote and the package
index say; nothing written), then applied as one transaction with the release's journal, undo
and `bump recover`: a commit that reverts the release commit by git's three-way merge (later
commits stay), one atomic push of the branch and the tag's deletion, then the local tag goes.

It lives in release/ rather than publish/: it is a transaction on the repository (journal,
undo, recover), and asks the index only as a release's checks do.

What counts as a release commit of this project (a tag that is not one is refused): the tag
is annotated (cutrelease makes no other kind; its message is not read, a project's template
may say anything) and named tag_prefix + a PEP 440 version; its commit has one parent and is
on the release branch; the changelog has a section of that version in the commit and none in
its parent; and the commit changed the file the version is read from (unless the version
comes from the tags).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

from cutrelease import project, versions
from cutrelease.atomic import write_atomic
from cutrelease.errors import CutreleaseError, FileFormatError, Refused, ReleaseKept
from cutrelease.files import changelog
from cutrelease.files.markdown import split_lines
from cutrelease.files.textdiff import unified_diff
from cutrelease.git import gitrepo, lock, refs
from cutrelease.git.gitrepo import GitRepo, PushFailed
from cutrelease.git.pushing import never_connected
from cutrelease.publish.index import Asking, Unanswered
from cutrelease.publish.index import ask as ask_index
from cutrelease.publish.listing import IndexRefused, IndexSaid, page_or_none, said
from cutrelease.redact import redact
from cutrelease.release import checks, journal, transaction
from cutrelease.release.journal import Journal, ResetBranch, RestoreTag, Stage
from cutrelease.release.plan import message as plan_message
from cutrelease.templates import make_renderer

Report = Callable[[str], None]
TEMPLATE = "retract_message.txt.j2"

#: The keys of `bump retract --json`, in order, with their values when nothing is known.
JSON_KEYS: dict[str, object] = {
    "dry_run": False,
    "tag": None,
    "version": None,
    "release_commit": None,  # the commit the tag pointed at
    "files": [],  # what the revert commit changes
    "commands": [],  # each git command, shell-quoted
    "commit": None,  # the revert commit (null: a dry run, or a refusal)
    "pushed": False,
    "index": None,  # what the package index said of the version: listing.IndexSaid.as_json
}


class RetractRequest(NamedTuple):
    """What `bump retract` was asked: the tag (None: the current version's), the remote
    (--remote; None: where a release pushes, see _destination), and `offline` (--offline:
    the index is not asked, the version was never uploaded). `offline_by` names the
    environment variable that keeps the index from being asked, when one does: a retract is
    then refused unless `offline` (see _check_index)."""

    tag: str | None = None
    remote: str | None = None
    offline: bool = False
    offline_by: str | None = None


class RevertEdit(NamedTuple):
    """One file the revert commit changes: its bytes now and after (None: absent), and its
    mode after (a file the release deleted, a changelog fragment, comes back)."""

    path: str
    before: bytes | None
    after: bytes | None
    mode: int = 0o644


class Retraction(NamedTuple):
    """Exactly what a retract does; the dry run prints it, the real run applies it."""

    root: Path
    name: str
    version: str
    tag: str
    tag_object: str
    release_commit: str
    branch: str
    head: str
    remote: str
    remote_display: str
    remote_has_tag: bool  # False: only the branch is pushed (the tag never left here)
    edits: tuple[RevertEdit, ...]
    message: str
    notes: tuple[str, ...] = ()
    index_said: IndexSaid | None = None  # what the package index said (state not_asked too)

    @property
    def paths(self) -> list[str]:
        """The files the revert commit holds, in order."""
        return [edit.path for edit in self.edits]

    @property
    def added(self) -> list[str]:
        """The files the revert brings back (git must be told of them before the commit)."""
        return [edit.path for edit in self.edits if edit.before is None]

    def push_args(self) -> list[str]:
        """git's arguments for the one atomic push: the branch, and the tag's deletion."""
        if not self.remote_has_tag:
            return gitrepo.push_command(self.remote, [f"refs/heads/{self.branch}"])
        return gitrepo.retract_push_command(self.remote, self.branch, self.tag)

    def git_commands(self) -> list[list[str]]:
        """Every git command the retract runs, in order."""
        add = [["add", "--", *self.added]] if self.added else []
        return [
            *add,
            gitrepo.commit_command(self.message, self.paths),
            self.push_args(),
            ["tag", "--delete", self.tag],
        ]


# -- the plan: checks first, nothing written -------------------------------------------------


def plan_retract(root: Path, request: RetractRequest, *, folder: str = "") -> Retraction:
    """Check that the tag can be taken back and compute the revert commit, in the object
    store only: no file, ref, index or lock is written. Raises Refused (one sentence) at the
    first check that fails: the repository, the tag, the release commit, the remote, the
    package index, the revert."""
    git_dir = project.git_dir(root)
    project.refuse_if_busy(git_dir)
    loaded = project.load(root, folder=folder)
    project.refuse_if_pending(git_dir)
    config = loaded.config
    repo = GitRepo(root)
    prefix = config.tag_prefix
    tag = request.tag.removeprefix("refs/tags/") if request.tag else None
    tag = tag or prefix + loaded.current_version()
    version = _tag_version(tag, prefix, root=root, folder=folder)
    name = loaded.name or ""
    tag_ref, branch_ref = f"refs/tags/{tag}", f"refs/heads/{config.branch}"
    # The slow questions first, answered last: the index (a thread) and the remote (git).
    asking = None
    if not request.offline and not request.offline_by and config.index_check and name:
        asking = ask_index(config.index_url, name)
    status = repo.status()
    where = _destination(repo, loaded, request.remote)
    remote = where.remote
    on_remote = repo.remote_refs(remote, [branch_ref, tag_ref], url=where.push_url)
    head = checks.local_state(
        status.result(), config.branch, branch_exists=True, default_branch=None
    )
    tag_object = repo.ref(tag_ref)
    found = _answer(on_remote)
    if tag_object is None:
        _refuse_missing_tag(tag, remote, there=tag_ref in found)
        raise AssertionError  # unreachable: _refuse_missing_tag raises
    release_commit = _release_commit(repo, loaded, tag, version, head)
    _refuse_if_together(repo, loaded, tag, release_commit, remote=remote)
    _refuse_if_older(tag, version, current=loaded.current_version(), loaded=loaded)
    _check_remote(repo, found, remote, config.branch, tag, tag_object, head)
    notes: list[str] = []
    page = page_or_none(config.index_url, name)
    kept_off = request.offline_by if config.index_check and name else None
    index_said = _check_index(
        asking,
        name,
        version,
        offline=request.offline,
        offline_by=kept_off,
        notes=notes,
        url=page,
        bump=_bump(loaded),
    )
    if tag_ref not in found:
        notes.append(f"{remote} has no tag {tag}: only {config.branch} is pushed")
    edits = _revert(repo, release_commit, head, tag, remote=remote)
    render = make_renderer(root / loaded.path(config.templates), root=root)
    variables = {
        "version": version,
        "tag": tag,
        "commit": release_commit[:12],
        "release_commit": release_commit,
    }
    message = plan_message(render, TEMPLATE, variables, example="Retract {{ version }}")
    return Retraction(
        root=root,
        name=name,
        version=version,
        tag=tag,
        tag_object=tag_object,
        release_commit=release_commit,
        branch=config.branch,
        head=head,
        remote=remote,
        remote_display=f"{remote} ({redact(where.push_url)})",
        remote_has_tag=tag_ref in found,
        edits=edits,
        message=message,
        notes=tuple(notes),
        index_said=index_said,
    )


def _destination(repo: GitRepo, loaded: project.Project, given: str | None) -> checks.Destination:
    """Where the retract pushes: where the release pushed (checks.push_destination: --remote,
    then [tool.cutrelease].remote, else the release branch's upstream remote, else origin).
    Refused, with a retract's own hint, when there is no such remote."""
    branch = loaded.config.branch
    upstream, remotes = repo.upstream(branch), repo.remotes()
    name = checks.push_destination(
        upstream.result(),
        branch=branch,
        remote=given or loaded.config.remote,
        source=checks.remote_source(given, loaded),
    )
    urls = remotes.result().get(name)
    if urls is None:
        raise Refused(
            f"There is no git remote named {name!r}, and a retract pushes where the release "
            "pushed: the revert, and the tag's deletion.",
            hint="Pass --remote NAME (the remote the release went to), or add it with "
            "`git remote add`.",
        )
    return checks.Destination(name, urls.fetch, checks.one_push_url(name, urls.push))


def _answer(on_remote: gitrepo.Pending[dict[str, str]]) -> dict[str, str]:
    """The remote's refs; Refused when it cannot be reached, with a retract's hint (a retract
    has no --no-push: it deletes the tag there)."""
    try:
        return on_remote.result()
    except Refused as exc:
        if exc.hint is None or "--no-push" not in exc.hint:
            raise
        raise Refused(
            exc.message,
            hint="Check your network and credentials: a retract deletes the tag on the remote, "
            "so it runs when the remote answers.",
        ) from None


def _bump(loaded: project.Project) -> str:
    """The command that releases this package: `bump` at the root, `bump -p NAME` for a
    workspace member (at the root, `bump patch` releases the root project)."""
    return f"bump -p {loaded.name}" if loaded.folder and loaded.name else "bump"


def _tag_version(tag: str, prefix: str, *, root: Path, folder: str) -> str:
    """The version `tag` names (tag_prefix + a PEP 440 version); Refused otherwise, pointing
    at the package whose tag it is when it is another member's (`-p NAME`)."""
    if not tag.startswith(prefix):
        from cutrelease import workspace

        member = workspace.by_tag(workspace.members(root), tag)
        hint = f"Name the tag to take back, e.g. bump retract {prefix}1.2.3."
        if member is not None and member.folder != folder:
            hint = f"It is {member.name}'s tag: bump -p {member.name} retract {tag}."
        raise Refused(
            f"{tag} is not a release tag of this project: its tags are {prefix}VERSION.",
            hint=hint,
        )
    number = tag[len(prefix) :]
    try:
        Version(number)
    except InvalidVersion:
        raise Refused(
            f"{tag} is not a release tag of this project: {number!r} is no version (PEP 440).",
            hint=f"Name the tag to take back, e.g. bump retract {prefix}1.2.3.",
        ) from None
    return number


def _refuse_missing_tag(tag: str, remote: str, *, there: bool) -> None:
    """The tag is not here: on the remote only (fetch it first), or nowhere."""
    if there:
        raise Refused(
            f"The tag {tag} is on {remote} but not here; a retract takes back the release it "
            "knows.",
            hint=f"Fetch it first: `git fetch {remote} tag {tag}`, then run bump retract again.",
        )
    raise Refused(
        f"There is no tag {tag}, here or on {remote}: nothing to take back.",
        hint="Name the release's tag: bump retract TAG.",
    )


def _refuse_if_older(tag: str, version: str, *, current: str, loaded: project.Project) -> None:
    """Only the newest release is taken back: reverting an older one (a later release came
    after it) would move the version backwards, below what the later release published.
    Refused, saying what to do instead: fix forward with a new version (of this package)."""
    if versions.same_release(version, current) or Version(version) > Version(current):
        return
    prefix = loaded.config.tag_prefix
    raise Refused(
        f"{tag} is not the newest release: the version is {current} now, and taking back an "
        f"older release would move it backwards.",
        hint=f"Only the newest release, {prefix}{current}, can be retracted. To replace "
        f"{version}, release a new version with the fix: {_bump(loaded)} patch.",
    )


def _refuse_if_together(
    repo: GitRepo, loaded: project.Project, tag: str, commit: str, *, remote: str
) -> None:
    """Refused when the release commit is also another package's release (several packages
    released in one commit, SPEC 14: a tag each): its revert would take back every package's
    files while only `tag` is deleted, the others' tags left on a version the files no longer
    say. The hint: a new version of this package, or the revert by hand, every tag deleted."""
    others = [other for other in repo.tags_at(commit) if other != tag]
    if not others:
        return
    from cutrelease import workspace

    found = workspace.members(loaded.root)
    together = [other for other in others if workspace.by_tag(found, other) is not None]
    if not together:
        return
    tags = sorted([tag, *together])
    branch = f"refs/heads/{loaded.config.branch}"
    deletions = " ".join(f":refs/tags/{name}" for name in tags)
    raise Refused(
        f"{tag} was released together with {_and(together)} in one commit; retract takes back "
        "one release commit, so it would take them back too.",
        hint=f"A retract of several packages is not supported: release a new version of "
        f"{loaded.name or 'this package'} with the fix ({_bump(loaded)} patch), or revert by "
        f"hand: `git revert {commit[:12]}`, `git push --atomic {remote} {branch}:{branch} "
        f"{deletions}`, `git tag -d {' '.join(tags)}`.",
    )


def _and(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _release_commit(
    repo: GitRepo, loaded: project.Project, tag: str, version: str, head: str
) -> str:
    """The commit `tag` points at, once it is a release commit of this project (see the
    module's docstring); Refused, saying which part is not, otherwise."""
    branch = loaded.config.branch
    if repo.tag_kind(tag) != "tag":
        raise _not_a_release(tag, "it is a lightweight tag, and cutrelease's tags are annotated")
    commit = repo.resolve(f"refs/tags/{tag}^{{commit}}")
    if commit is None:
        raise _not_a_release(tag, "it does not point at a commit")
    parents = repo.parents(commit)
    if len(parents) != 1:
        raise _not_a_release(tag, f"its commit {commit[:7]} has {len(parents)} parents, not one")
    if not repo.is_ancestor(commit, head):
        raise Refused(
            f"The commit of {tag} ({commit[:7]}) is not on {branch}: the retract reverts it there.",
            hint=f"Run bump retract on the branch the release was cut from ({branch}).",
        )
    path = loaded.path(loaded.config.changelog)
    if version not in _released(repo.blob(f"{commit}:{path}"), path):
        raise _not_a_release(tag, f"its commit's {path} has no section {version}")
    if version in _released(repo.blob(f"{parents[0]}:{path}"), path):
        raise _not_a_release(tag, f"{path} had its section {version} before that commit")
    changed = repo.changed_paths(parents[0], commit)
    source = loaded.version_source()
    if source.place is not None and source.place.path not in changed:
        raise _not_a_release(tag, f"its commit did not change {source.place.path}")
    return commit


def _released(data: bytes | None, path: str) -> set[str]:
    """The versions a changelog's bytes have a section of (none when there is no file)."""
    if data is None:
        return set()
    try:
        log = changelog.parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        return set()
    except FileFormatError:
        return set()
    return {section.heading.version for section in log.sections if section.heading.version}


def _not_a_release(tag: str, why: str) -> Refused:
    return Refused(
        f"{tag} is not a release commit of this project: {why}.",
        hint="bump retract takes back a release cutrelease made; undo anything else by hand.",
    )


def _check_remote(
    repo: GitRepo,
    found: dict[str, str],
    remote: str,
    branch: str,
    tag: str,
    tag_object: str,
    head: str,
) -> None:
    """The branch is not behind the remote's; the remote's tag, if any, is the one here."""
    theirs = found.get(f"refs/heads/{branch}")
    relation: checks.Relation = "even"
    if theirs is not None and theirs != head:
        if not repo.has_commit(theirs):
            relation = "unfetched"
        elif repo.is_ancestor(theirs, head):
            relation = "ahead"
        else:
            relation = "behind" if repo.is_ancestor(head, theirs) else "diverged"
    checks.branch_not_behind(relation, remote, branch=branch)
    there = found.get(f"refs/tags/{tag}")
    if there is not None and there != tag_object:
        raise Refused(
            f"{remote}'s tag {tag} is not the one here ({there[:7]}, not {tag_object[:7]}).",
            hint=f"Fetch it (`git fetch {remote} tag {tag} --force`) and look before retracting.",
        )


def _check_index(
    asking: Asking | None,
    name: str,
    version: str,
    *,
    offline: bool,
    notes: list[str],
    url: str | None,
    bump: str = "bump",
    offline_by: str | None = None,
) -> IndexSaid:
    """The package index has no file of `version` (SPEC section 12); what it said (`url`:
    the project's page, for an index not asked). Raises IndexRefused, with what it said (the
    hint releases a new version with `bump`: `bump -p NAME` for a member).

    Unlike a release's check, an index that cannot be asked refuses: a retract deletes the
    tag of what may be published, which nothing can undo. --offline (or index_check = false)
    says "I know it was never uploaded", and a note says it was not checked; an environment
    variable `offline_by` (CUTRELEASE_OFFLINE, set for a whole shell or CI job) does not.
    """
    if asking is None and offline_by and not offline:
        raise IndexRefused(
            said(None, version, url=url, why=offline_by),
            f"{offline_by} keeps the package index from being asked, and a retract needs its "
            f"answer: {name} {version} may be published there.",
            hint=f"Unset {offline_by} to ask it, or pass --offline if you know {version} was "
            "never uploaded.",
        )
    if asking is None:
        why = "--offline" if offline else "index_check = false, or no [project].name"
        notes.append(f"the package index was not asked ({why}): {version} taken as never uploaded")
        return said(None, version, url=url, why=why)
    answer = asking.result()
    found = said(answer, version)
    if isinstance(answer, Unanswered):
        raise IndexRefused(
            found,
            f"The package index could not be asked ({answer.reason}); a retract is refused "
            f"while {name} {version} may be published there.",
            hint=f"Run bump retract again when {answer.url} answers, or pass --offline if "
            f"you know {version} was never uploaded.",
        )
    if found.taken:
        files = ", ".join(sorted(f.filename for f in found.files)) or version
        raise IndexRefused(
            found,
            f"{name} {version} is on the package index already ({files}); an index never "
            "takes a version twice",
            hint=f"Fix forward with {bump} patch.",
        )
    return found


def _index_line(plan: Retraction) -> str | None:
    """The dry run's and the confirmation's `Index:` line; None when the index was not asked
    (a note says so)."""
    said = plan.index_said
    if said is None or said.state != "not_published":
        return None
    return f"{plan.version} is not on {said.url}"


def _revert(
    repo: GitRepo, commit: str, head: str, tag: str, *, remote: str
) -> tuple[RevertEdit, ...]:
    """The release commit's changes taken back from `head` (git's three-way merge, in the
    object store), as each file's bytes; Refused, naming the files, on a conflict (the
    commands by hand name `remote`, the one the retract pushes to)."""
    revert = repo.revert_tree(commit, head)
    if revert.conflicts:
        shown = ", ".join(revert.conflicts)
        raise Refused(
            f"Taking back {tag} conflicts with later commits in {shown}; nothing was changed.",
            hint=f"Revert it by hand (`git revert {commit[:12]}`, resolving the conflict), "
            f"push, then delete the tag (`git push --delete {remote} {tag}`, `git tag -d {tag}`).",
        )
    edits = []
    for change in repo.tree_changes(head, revert.tree):
        if change.mode is not None and change.mode not in ("100644", "100755"):
            raise Refused(
                f"The revert of {tag} changes {change.path}, which is not a plain file "
                f"(mode {change.mode}).",
                hint=f"Revert it by hand: `git revert {commit[:12]}`.",
            )
        before = repo.blob(f"{head}:{change.path}")
        after = None if change.blob is None else repo.blob(change.blob)
        mode = 0o755 if change.mode == "100755" else 0o644
        edits.append(RevertEdit(change.path, before, after, mode))
    if not edits:
        raise Refused(
            f"Reverting {tag} changes nothing: later commits took its changes back already.",
            hint=f"Delete the tag by hand: `git push --delete {remote} {tag}`, `git tag -d {tag}`.",
        )
    return tuple(edits)


# -- the dry run -----------------------------------------------------------------------------


def dry_run(plan: Retraction) -> str:
    """The notes, each file's unified diff, then each git command, as the dry run shows them."""
    import shlex

    notes = [*(f"Note: {note}" for note in plan.notes)]
    line = _index_line(plan)
    if line is not None:
        notes.append(f"Index: {line}")
    text = "".join(f"# {line}.\n" for line in notes)
    text += "".join(_diff(edit) for edit in plan.edits)
    return text + "".join(shlex.join(["git", *args]) + "\n" for args in plan.git_commands())


def _diff(edit: RevertEdit) -> str:
    """One file's unified diff, as git shows it (a file that comes back from /dev/null)."""

    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else split_lines(data.decode("utf-8", "replace"))

    a = "/dev/null" if edit.before is None else f"a/{edit.path}"
    b = "/dev/null" if edit.after is None else f"b/{edit.path}"
    out = []
    for line in unified_diff(lines(edit.before), lines(edit.after), a, b):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def summary(plan: Retraction) -> str:
    """What a real retract will do, shown before asking for confirmation."""
    lines = [
        *(f"Note: {note}." for note in plan.notes),
        *([f"Index: {line}."] if (line := _index_line(plan)) else []),
        f"Retract {plan.tag} ({plan.release_commit[:7]}) on {plan.branch}:",
        f"  files:  {', '.join(plan.paths)}",
        f"  commit: {plan.message.splitlines()[0]}",
        f"  push:   {plan.branch}"
        + (f" and the deletion of {plan.tag}" if plan.remote_has_tag else "")
        + f" to {plan.remote_display}",
        f"  then:   git tag --delete {plan.tag}",
    ]
    return "\n".join(lines) + "\n"


# -- the transaction -------------------------------------------------------------------------


def apply(plan: Retraction, repo: GitRepo, *, report: Report) -> str:
    """Retract: the revert commit, the atomic push, the local tag deleted; or, on a failure
    before the remote took the push, the repository as it was (ReleaseFailed; UndoFailed,
    exit 3, if restoring failed). The revert commit is returned.

    Each step journals its undo before it writes, in the release's journal, so that `bump
    recover` finishes (the remote took the push) or undoes (it did not) after a kill -9.
    """
    git_dir = repo.git_dir
    with lock.held(git_dir) as lock_fd, transaction.DeferredSignals() as signals:
        untracked = repo.untracked()
        journal.refuse_if_pending(git_dir)
        _refuse_if_stale(plan, repo)
        steps = transaction.Steps(
            git_dir, Journal(plan.branch, plan.head, plan.tag, plan.remote, Stage.FILES, ())
        )
        try:
            commit = _retract(plan, repo, steps, signals, report, lock_fd, untracked.result())
        except ReleaseKept as exc:
            if not exc.pending:
                journal.remove(git_dir)
            raise
        except Exception as exc:
            state = (
                f"{plan.branch} at {plan.head[:7]}, the tag {plan.tag} kept, "
                "files and index as they were"
            )
            raise transaction.undone(
                repo, steps.record, exc, report, cause=transaction.describe(exc), state=state
            ) from None
        journal.remove(git_dir)
    return commit


def _refuse_if_stale(plan: Retraction, repo: GitRepo) -> None:
    """The plan is applied only to the state it was computed from."""
    if repo.head() != (f"refs/heads/{plan.branch}", plan.head) or repo.ref(
        f"refs/tags/{plan.tag}"
    ) != (plan.tag_object):
        raise Refused(
            "HEAD or the tag moved after the retract was planned; nothing was changed.",
            hint="Run bump retract again.",
        )


def _retract(
    plan: Retraction,
    repo: GitRepo,
    steps: transaction.Steps,
    signals: transaction.DeferredSignals,
    report: Report,
    lock_fd: int,
    untracked: list[str],
) -> str:
    """The steps in order, each journaling its undo before it writes; the revert commit."""
    git_dir = repo.git_dir
    put_back = transaction.put_back_of(
        plan.root, git_dir, plan.branch, plan.head, plan.paths, untracked
    )
    # RestoreTag first: it marks the journal as a retract's (transaction.recover).
    steps.begin(Stage.FILES, RestoreTag(plan.tag, plan.tag_object), put_back, durable=True)
    signals.checkpoint("journal")
    for edit in plan.edits:
        path = plan.root / edit.path
        if edit.after is None:
            report(f"deleting {edit.path}")
            path.unlink()
        else:
            report(f"writing {edit.path}")
            path.parent.mkdir(parents=True, exist_ok=True)
            mode = edit.mode if edit.before is None else None
            write_atomic(path, edit.after, mode=mode, durable=False)
        signals.checkpoint(f"write:{edit.path}")
    if plan.added:
        repo.add(plan.added)
    report(f"committing: {plan.message.splitlines()[0]}")
    branch = f"refs/heads/{plan.branch}"
    loose = (refs.common_dir(git_dir) / branch).is_file()
    undo_commit = ResetBranch(
        plan.branch, plan.head, refs.reflog_size(git_dir, branch), packed_only=not loose
    )
    steps.begin(Stage.COMMIT, undo_commit)
    commit = repo.commit(plan.message, plan.paths)
    steps.known(undo_commit._replace(commit=commit))
    signals.checkpoint("commit")
    steps.begin(Stage.PUSH, durable=True)
    what = f"{plan.branch} and the deletion of {plan.tag}" if plan.remote_has_tag else plan.branch
    report(f"pushing {what} to {plan.remote_display}")
    _push(plan, repo, steps.record, commit, lock_fd)
    # The remote has it: from here on the retract stands, whatever fails.
    steps.begin(Stage.UNTAG, durable=True)
    report(f"deleting the tag {plan.tag}")
    try:
        transaction.finish_retract(repo, RestoreTag(plan.tag, plan.tag_object))
    except (CutreleaseError, OSError) as exc:
        raise ReleaseKept(
            f"{plan.remote} took the retract of {plan.tag}, but the tag here could not be "
            f"deleted ({transaction.describe(exc)}).",
            hint=f"Delete it: `git tag -d {plan.tag}`.",
        ) from None
    return commit


def _push(plan: Retraction, repo: GitRepo, record: Journal, commit: str, lock_fd: int) -> None:
    """The one atomic push; when git fails without the remote's own refusal, the remote is
    asked whether it took it. Raises (the caller undoes) when it did not; ReleaseKept,
    the journal kept, when it cannot be asked."""
    try:
        if plan.remote_has_tag:
            repo.push_retract(plan.remote, plan.branch, plan.tag, keep_fds=[lock_fd])
        else:
            repo.push(plan.remote, [f"refs/heads/{plan.branch}"], keep_fds=[lock_fd])
    except PushFailed as exc:
        if never_connected(exc.detail) or (
            exc.updates and all(not update.accepted for update in exc.updates)
        ):
            raise
        if not plan.remote_has_tag:
            raise
        try:
            landed = transaction.retract_landed(repo, record, commit)
        except Refused as asked:
            raise ReleaseKept(
                f"The push failed ({exc.detail}) and {plan.remote} cannot tell whether it took "
                f"the retract ({asked.message}).",
                hint="Run `bump recover` when the remote is reachable.",
                pending=True,
            ) from None
        if not landed:
            raise


def as_json(plan: Retraction, commit: str | None = None) -> dict[str, object]:
    """The keys of JSON_KEYS a plan (and, once applied, its revert `commit`) fills."""
    import shlex

    return {
        "tag": plan.tag,
        "version": plan.version,
        "release_commit": plan.release_commit,
        "files": plan.paths,
        "commands": [shlex.join(["git", *args]) for args in plan.git_commands()],
        "commit": commit,
        "pushed": commit is not None,
        "index": None if plan.index_said is None else plan.index_said.as_json(),
    }
