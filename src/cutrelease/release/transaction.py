"""Apply a plan as one transaction: each step journals its undo before it writes; a failure,
here or (after a kill -9) in `bump recover`, runs the undos newest first."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

from cutrelease.atomic import discard_temp, write_atomic
from cutrelease.errors import (
    AfterPushFailed,
    CutreleaseError,
    Refused,
    ReleaseFailed,
    ReleaseKept,
    UndoFailed,
    clause,
)
from cutrelease.git import lock, pushing, refs
from cutrelease.git.gitrepo import GitFailed, GitRepo, Pending, Status, remote_named
from cutrelease.release import checks, hooks, journal
from cutrelease.release.journal import (
    DeleteTag,
    Journal,
    PutBack,
    ResetBranch,
    RestoreTag,
    SavedFile,
    Stage,
    Undo,
)
from cutrelease.release.plan import Plan

Report = Callable[[str], None]


class Interrupted(CutreleaseError):
    """Ctrl-C (or SIGTERM) arrived; honoured at the next safe point."""


class Outcome(NamedTuple):  # see lint.Problem
    """A release that landed: its commit, whether it was pushed, and what to tell about it.

    `files`: what the commit holds (the release files, and those the before_commit hooks
    changed); `after_push_failed`: the after_push hook that failed (exit 4), the release
    standing.
    """

    commit: str
    pushed: bool
    note: str | None = None
    files: tuple[str, ...] = ()
    after_push_failed: AfterPushFailed | None = None


class DeferredSignals:
    """Turn SIGINT/SIGTERM into a flag, so no step is cut in half inside this process."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.interrupted = False
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> DeferredSignals:
        for number in self.SIGNALS:
            self._previous[number] = signal.signal(number, self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True
        self.received = signum

    def to_forward(self) -> int | None:
        """SIGTERM once bump got one, for a hook running to get it too (a Ctrl-C at the
        terminal reaches the hook already: it is in bump's process group)."""
        return signal.SIGTERM if self.received == signal.SIGTERM else None

    def checkpoint(self, step: str) -> None:
        """Stop here (Interrupted) if Ctrl-C came during the step just done."""
        if self.interrupted:
            raise Interrupted(f"Interrupted (Ctrl-C) after {step}")


class Steps:
    """The journal of the release under way: the stack of undos, on disk as each step begins.

    contextlib.ExitStack's model, kept in a file: a step pushes its undo before it writes, so
    that whatever stops the release (an error here, a kill -9 anywhere) finds every write that
    may have happened, each undo checking for itself what did.
    """

    def __init__(self, git_dir: Path, record: Journal) -> None:
        self.git_dir = git_dir
        self.record = record

    def begin(self, stage: Stage, *undo: Undo, durable: bool = False) -> None:
        """Journal that `stage` begins, with its undo (`durable`: fsynced, for a power loss)."""
        self.record = self.record.begin(stage, *undo)
        journal.write(self.git_dir, self.record, durable=durable)

    def known(self, found: ResetBranch | DeleteTag) -> None:
        """Journal what the step just made (the commit, the tag object): undone exactly."""
        self.record = self.record.known(found)
        journal.write(self.git_dir, self.record, durable=False)

    def hook_started(self, pid: int) -> None:
        """Journal the before_commit hook running, for recover to wait for it."""
        self.record = self.record.hook_started(pid)
        journal.write(self.git_dir, self.record, durable=False)


def apply(plan: Plan, repo: GitRepo, *, report: Report) -> Outcome:
    """Release: everything lands (locally and on the remote) or the repository is as it was;
    then the after_push hooks run, the release standing whatever they do.

    ReleaseFailed once the repository is restored; UndoFailed (exit 3) if restoring failed;
    ReleaseKept when the remote holds part of the release or cannot be asked what it holds
    (see pushing.push): then nothing is undone.
    """
    git_dir = repo.git_dir
    with lock.held(git_dir) as lock_fd, DeferredSignals() as signals, _scratch(plan) as tmp:
        untracked = repo.untracked()  # the files there before: answered as the journal begins
        journal.refuse_if_pending(git_dir)
        _refuse_if_stale(plan, repo)
        steps = Steps(
            git_dir,
            Journal(
                plan.branch,
                plan.head,
                plan.tag,
                plan.remote,
                Stage.FILES,
                (),
                tags=tuple(plan.tags[1:]),
            ),
        )
        values = plan.hook_values(str(tmp or ""))
        try:
            commit, files, landed = _release(
                plan, repo, steps, signals, report, lock_fd, untracked=untracked, values=values
            )
        except ReleaseKept as exc:  # the remote may hold the release: never undone under it
            if not exc.pending:
                journal.remove(git_dir)
            raise
        except Exception as exc:  # whatever failed, the repository goes back as it was
            cause = describe(exc)
            if signals.interrupted and not isinstance(exc, Interrupted):
                cause = f"Interrupted (Ctrl-C): {_lower(cause)}"
            state = f"{plan.branch} at {plan.head[:7]}, files and index as they were"
            raise undone(repo, steps.record, exc, report, cause=cause, state=state) from None
        # The push was accepted (or none was asked for): the release has landed.
        journal.remove(git_dir)
        if plan.track and plan.remote is not None:  # the push made the branch: as `push -u`
            with contextlib.suppress(CutreleaseError):  # the release stands without it
                repo.track(plan.branch, plan.remote)
        after_push_failed = _after_push(plan, values, signals, report)
    notes = [f"{landed}."] if landed else []
    if signals.interrupted and after_push_failed is None:
        notes.append(
            "Ctrl-C came while the push was in flight; the remote had accepted it, "
            "so the release is complete."
        )
    return Outcome(
        commit=commit,
        pushed=plan.remote is not None,
        note=" ".join(notes) or None,
        files=tuple(files),
        after_push_failed=after_push_failed,
    )


@contextlib.contextmanager
def _scratch(plan: Plan) -> Iterator[Path | None]:
    """The hooks' {tmp} folder for the whole release (None without hooks), then removed."""
    folder = hooks.scratch_folder() if plan.before_commit or plan.after_push else None
    try:
        yield folder
    finally:
        hooks.remove_scratch(folder)


def _refuse_if_stale(plan: Plan, repo: GitRepo) -> None:
    """The plan is applied only to the state it was computed from (the user may have waited)."""
    if repo.head() != (f"refs/heads/{plan.branch}", plan.head):
        raise Refused(
            "HEAD moved after the release was planned; nothing was changed.",
            hint="Run bump again.",
        )
    for edit in plan.edits:
        if (plan.root / edit.path).read_bytes() != edit.before:
            raise Refused(
                f"{edit.path} changed after the release was planned; nothing was changed.",
                hint="Run bump again.",
            )


def _release(
    plan: Plan,
    repo: GitRepo,
    steps: Steps,
    signals: DeferredSignals,
    report: Report,
    lock_fd: int,
    *,
    untracked: Pending[list[str]],
    values: dict[str, str],
) -> tuple[str, list[str], str | None]:
    """The steps in order, each journaling its undo before it writes; the release commit, the
    files it holds, and a note if git's answer to the push was lost but the remote took it."""
    put_back = _put_back(plan, repo.git_dir, untracked.result())
    steps.begin(Stage.FILES, put_back, durable=True)
    # The room the undo needs, held until it writes: on a full disk, the release is refused
    # here, and its undo always has the room the release had (SPEC section 16).
    room = _undo_room(put_back)
    try:
        journal.reserve(repo.git_dir, room)
    except OSError as exc:
        raise CutreleaseError(
            f"The disk does not have the {room // 1024} KiB the undo of the release may need "
            f"({exc.strerror or exc})",
            hint="Free some space, then run bump again.",
        ) from None
    signals.checkpoint("journal")
    for edit in plan.edits:
        if edit.after is None:  # a changelog fragment: its entries are in the changelog now
            report(f"deleting {edit.path}")
            (plan.root / edit.path).unlink()
            signals.checkpoint(f"delete:{edit.path}")
            continue
        report(f"writing {edit.path}")
        # Not fsynced: after a power loss, recover rewrites the originals from the journal.
        write_atomic(plan.root / edit.path, edit.after, durable=False)
        signals.checkpoint(f"write:{edit.path}")
    files = [*plan.paths, *_before_commit(plan, repo, steps, signals, report, values)]
    if plan.build is not None:
        _try_build(plan, repo, report)
        signals.checkpoint("build")
    report(f"committing: {plan.commit_message.splitlines()[0]}")
    commit = _commit(plan, repo, steps, files)
    status = repo.status()  # answered while git makes the tag
    signals.checkpoint("commit")
    made: dict[str, str] = {}  # each tag's object: what the remote is asked for
    for tag, message in plan.tag_messages():  # one per package (SPEC section 14)
        report(f"tagging {tag}")
        undo_tag = DeleteTag(tag, commit)
        steps.begin(Stage.TAG, undo_tag)
        made[tag] = repo.tag(tag, message)
        steps.known(undo_tag._replace(tag_object=made[tag]))
    _refuse_if_unclean(status.result())
    signals.checkpoint("tag")
    if plan.remote is None:
        return commit, files, None
    # A journal write lost to a power loss before this point leaves recover refusing
    # (the branch is past the HEAD it knows), never guessing; but whether the push was
    # made must be on disk before it starts.
    steps.begin(Stage.PUSH, durable=True)
    others = tuple((tag, made[tag]) for tag in plan.tags[1:])
    release = pushing.Release(plan.remote, plan.branch, commit, plan.tag, made[plan.tag], others)
    landed = pushing.push(
        repo,
        release,
        plan.pushes(),
        atomic=plan.atomic,
        keep_fds=[lock_fd],
        report=report,
        display=plan.remote_display,
    )
    return commit, files, landed


def _try_build(plan: Plan, repo: GitRepo, report: Report) -> None:
    """Build the sdist and wheel from the release's tracked files, outside the repository,
    and check them (publish.build); BuildFailed undoes the release."""
    from cutrelease.publish import build

    assert plan.build is not None
    report(f"building {plan.build.name} {plan.new_version} (sdist and wheel)")
    build.try_build(
        plan.root,
        repo.tracked().result(),
        folder=plan.build.folder,
        name=plan.build.name,
        version=plan.new_version,
        package=plan.build.package,
        wheel_includes=plan.build.wheel_includes,
    )


def _before_commit(
    plan: Plan,
    repo: GitRepo,
    steps: Steps,
    signals: DeferredSignals,
    report: Report,
    values: dict[str, str],
) -> list[str]:
    """Run the before_commit hooks in order; the tracked files they changed besides the
    release files, which join the release commit. The journal's PutBack undoes them all."""
    if not plan.before_commit:
        return []
    branch_was_loose = (refs.common_dir(repo.git_dir) / f"refs/heads/{plan.branch}").is_file()
    for hook in plan.before_commit:
        command = shlex.join(hook.args(values))
        report(f"running the before_commit hook: {command}")
        moved: str | None = None
        try:
            hooks.run(
                hook,
                values,
                root=plan.hook_folder,
                started=steps.hook_started,
                forward=signals.to_forward,
            )
        finally:  # whether it failed or not, HEAD goes back before anything else is undone
            moved = _put_head_back(repo, plan, packed_only=not branch_was_loose)
        if moved:
            raise CutreleaseError(
                f"The before_commit hook `{command}` {moved}",
                hint="A hook may change files, which join the release commit; not commit or "
                "switch branches.",
            )
        signals.checkpoint(f"the before_commit hook `{command}`")
    joined = [path for path in repo.status().result().changed if path not in plan.paths]
    if joined:
        report(f"the hooks changed {', '.join(joined)}: committed with the release")
    return joined


def _put_head_back(repo: GitRepo, plan: Plan, *, packed_only: bool) -> str | None:
    """Put HEAD back on the release branch at the planned commit, if a hook moved either;
    what the hook had done, or None. A branch the hook made is left (it is not ours)."""
    branch_ref = f"refs/heads/{plan.branch}"
    ref, tip = repo.head()
    if (ref, tip) == (branch_ref, plan.head):
        return None
    said = []
    if ref != branch_ref:
        repo.put_head_on(plan.branch)
        left = ref.removeprefix("refs/heads/")
        said.append(f"switched HEAD to {left} (left as the hook made it)")
    now = repo.ref(branch_ref)
    if now is not None and now != plan.head:
        repo.reset_branch(plan.branch, plan.head, expected=now, packed_only=packed_only)
        said.append(f"moved {plan.branch} to {now[:7]}")
    return " and ".join(said) + "." if said else None


def _hooks_changed_hint(repo: GitRepo, files: list[str]) -> str | None:
    """For a commit git's hooks refused: the other files they changed (the undo puts them
    back), and how to make such a change part of the release."""
    changed = [path for path in repo.status().result().changed if path not in files]
    if not changed:
        return None
    shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
    return (
        f"The hook had changed {shown} (put back). To release with such a change, have a "
        "before_commit hook in [tool.cutrelease] make it (see the README's Hooks)."
    )


def _refuse_if_unclean(status: Status) -> None:
    """The release commit holds the work tree and the index as `status` found them.

    git's own hooks (pre-commit, commit-msg, post-commit) run inside `git commit`; one that
    edits or stages a file the commit does not hold would leave a release that is not what
    the work tree says. Then the release is undone, those edits with it.
    """
    changed = status.changed
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        raise CutreleaseError(
            f"git's commit hooks changed {shown}, which the release commit does not hold as "
            "the work tree and index do",
            hint="Commit that change before releasing, or make it part of every release with "
            "a before_commit hook (see the README's Hooks).",
        )


def _after_push(
    plan: Plan, values: dict[str, str], signals: DeferredSignals, report: Report
) -> AfterPushFailed | None:
    """Run the after_push hooks, the release being out; the first failure (the hooks after it
    do not run), or None."""
    where = f"pushed to {plan.remote}"
    for number, hook in enumerate(plan.after_push):
        command = shlex.join(hook.args(values))
        left = len(plan.after_push) - number - 1
        skipped = f"; the {left} after_push hook(s) after it did not run" if left else ""
        if signals.interrupted:
            return AfterPushFailed(
                f"{plan.tag} is released ({where}), but Ctrl-C came before the after_push "
                f"hook `{command}`, which did not run{skipped}.",
                hint="Run the rest by hand.",
            )
        report(f"running the after_push hook: {command}")
        try:
            hooks.run(hook, values, root=plan.hook_folder, forward=signals.to_forward)
        except hooks.HookFailed as exc:
            return AfterPushFailed(
                f"{plan.tag} is released ({where}), but {_lower(exc.message)}{skipped}.",
                hint="The release stands; run the rest by hand.",
            )
    return None


def _lower(sentence: str) -> str:
    """A sentence to follow a comma: "The hook…" as "the hook…"."""
    return sentence[:1].lower() + sentence[1:] if sentence.startswith("The ") else sentence


def _commit(plan: Plan, repo: GitRepo, steps: Steps, files: list[str]) -> str:
    """The release commit, its undo journaled first: where the branch's reflog ends now tells
    which commit git made, should a kill -9 come before the journal knows it."""
    branch = f"refs/heads/{plan.branch}"
    loose = (refs.common_dir(repo.git_dir) / branch).is_file()
    size = refs.reflog_size(repo.git_dir, branch)
    undo_commit = ResetBranch(plan.branch, plan.head, size, packed_only=not loose)
    steps.begin(Stage.COMMIT, undo_commit)
    try:
        commit = repo.commit(plan.commit_message, files)
    except GitFailed as exc:
        exc.hint = exc.hint or _hooks_changed_hint(repo, files)
        raise
    steps.known(undo_commit._replace(commit=commit))
    return commit


def _put_back(plan: Plan, git_dir: Path, untracked: list[str]) -> PutBack:
    """The undo of every file write: the release files, what the commit rewrites in .git/,
    and what hooks (the before_commit ones, git's) may do to the work tree.

    The branch itself moves back through git (ResetBranch); these are put back byte for byte,
    so that no trace of the release is left in the index or the reflogs. Paths are kept
    relative to .git/, so that a repository moved after a crash is still recovered in place.
    Any other tracked file comes back from the original HEAD (the checks found the tree
    clean), and a file that is neither tracked nor ignored and not among `untracked` (the
    ones there now) is removed.
    """
    return put_back_of(plan.root, git_dir, plan.branch, plan.head, plan.paths, untracked)


def put_back_of(
    root: Path, git_dir: Path, branch_name: str, head: str, paths: list[str], untracked: list[str]
) -> PutBack:
    """The PutBack of a commit of `paths` on `branch_name` at `head` (see _put_back): also the
    undo of `bump retract`'s revert commit."""

    def saved(path: Path, guard: Path | None) -> SavedFile:
        lock_name = None if guard is None else os.path.relpath(guard, git_dir)
        return SavedFile.of(path, os.path.relpath(path, git_dir), lock=lock_name)

    branch = f"refs/heads/{branch_name}"
    git_files = (
        saved(git_dir / "index", git_dir / "index"),  # git's index.lock
        saved(git_dir / "COMMIT_EDITMSG", None),  # git writes it without a lock
        *(saved(git_dir / name, None) for name in journal.COMMIT_CLEARS),  # the commit deletes
        saved(refs.reflog_path(git_dir, "HEAD"), git_dir / "HEAD"),  # a reflog: its ref's lock
        saved(refs.reflog_path(git_dir, branch), refs.common_dir(git_dir) / branch),
    )
    files = tuple(SavedFile.of(root / path, path) for path in paths)
    return PutBack(files, git_files, head=head, untracked=tuple(untracked))


def _undo_room(put_back: PutBack) -> int:
    """The bytes the undo may need to write: a temporary copy of every original (rounded up
    to whole blocks, one more for the folder), and some for git's locks and reflog lines."""
    block = 4096
    sizes = [len(saved.data or "") * 3 // 4 for saved in (*put_back.files, *put_back.git_files)]
    return sum((size // block + 2) * block for size in sizes) + 16 * block


def undone(
    repo: GitRepo, record: Journal, exc: BaseException, report: Report, *, cause: str, state: str
) -> ReleaseFailed:
    """Run the undos of `record` after `exc` failed a transaction (a release's, a retract's);
    the error to raise: `cause`, then the state the repository is back at. UndoFailed (exit
    3) if restoring itself fails."""
    with contextlib.suppress(Exception):  # saying so must never stop the undo
        report("restoring the repository")
    restore(repo, record)
    return ReleaseFailed(
        f"{clause(cause)}; the repository was restored ({state}).",
        hint=exc.hint if isinstance(exc, CutreleaseError) else None,
    )


def describe(exc: BaseException) -> str:
    """What failed, as a clause a sentence goes on from (no full stop at its end)."""
    if isinstance(exc, GitFailed):
        return f"{exc.command} failed: {exc.detail}".rstrip(".")
    if isinstance(exc, CutreleaseError):
        return exc.message.rstrip(".")
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"


def restore(repo: GitRepo, record: Journal) -> None:
    """Run the journal's undos newest first, then drop the journal.

    Each undo checks what its step did, so a step that never wrote is a no-op. Undos that
    fail do not stop the others: UndoFailed (exit 3) lists them, and the journal is kept.
    """
    left: list[str] = []
    with DeferredSignals():  # an undo must not itself be interrupted half-way
        # The reserve's room is the undo's own (a full disk leaves it enough).
        journal.discard_leftovers(repo.git_dir)
        for step in reversed(record.undo):
            for what, undo in _undo_actions(repo, step):
                try:
                    undo()
                except (CutreleaseError, OSError) as exc:
                    left.append(f"{what} ({describe(exc)})")
        if left:
            raise UndoFailed(
                "Restoring the repository failed; left to fix by hand: " + "; ".join(left) + ".",
                hint=f"The journal {journal.path_in(repo.git_dir)} keeps the original state.",
            )
        journal.remove(repo.git_dir)


def _undo_actions(repo: GitRepo, step: Undo) -> list[tuple[str, Callable[[], None]]]:
    """What undoing `step` does, each part named for the message if it fails."""
    if isinstance(step, DeleteTag):
        return [(f"delete tag {step.tag}", partial(_delete_tag, repo, step))]
    if isinstance(step, ResetBranch):
        return [(f"move {step.branch} back to {step.head[:7]}", partial(_reset_branch, repo, step))]
    if isinstance(step, RestoreTag):
        return [(f"recreate tag {step.tag}", partial(_restore_tag, repo, step))]
    git_dir = repo.git_dir
    actions: list[tuple[str, Callable[[], None]]] = []
    # First the files hooks changed, from HEAD through git, which may write the index: it
    # is put back after, byte for byte.
    if step.head is not None:
        what = f"restore the tracked files hooks changed, as {step.head[:7]} holds them"
        actions.append((what, partial(_restore_tracked, repo, step, step.head)))
    for saved in step.git_files:
        path = _inside(git_dir, saved.path)
        guard = None if saved.lock is None else _inside(git_dir, saved.lock)
        actions.append((f"restore {path}", partial(_put_back_git, path, saved, guard)))
    for saved in step.files:
        path = repo.root / saved.path
        actions.append((f"restore {path}", partial(_put_back_file, path, saved)))
    # Last, with the index as it was: a file a hook made and staged is new again.
    if step.untracked is not None:
        what = "remove the new files hooks left"
        actions.append((what, partial(_remove_new_files, repo, step.untracked)))
    return actions


def _restore_tracked(repo: GitRepo, step: PutBack, head: str) -> None:
    """Every tracked file that differs from `head` comes back as `head` holds it (the release
    files aside: their bytes are in the journal). A file `head` does not hold is left to
    _remove_new_files, which knows whether it was there before."""
    ours = {saved.path for saved in step.files}
    changed = [path for status, path in repo.differs_from(head) if status != "A"]
    paths = [path for path in changed if path not in ours]
    if paths:
        repo.restore_files(head, paths)


def _remove_new_files(repo: GitRepo, before: tuple[str, ...]) -> None:
    """Remove the files git neither tracks nor ignores that were not there before, and the
    folders left empty by that. Ignored files (build output) stay; so does a whole new
    repository inside this one (git lists it as a folder)."""
    known = set(before)
    root = repo.root.resolve()
    for name in repo.untracked().result():
        if name in known or name.endswith("/"):
            continue
        path = root / name
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == root or root not in folder.parents:
                break
            try:
                folder.rmdir()  # only an empty one
            except OSError:
                break


def _inside(git_dir: Path, relative: str) -> Path:
    return Path(os.path.normpath(git_dir / relative))


def _delete_tag(repo: GitRepo, step: DeleteTag) -> None:
    """Delete the release tag if it is ours; a tag someone else made stays."""
    tag_ref = f"refs/tags/{step.tag}"
    found = repo.ref(tag_ref)
    if found is None:
        return
    ours = step.tag_object
    if ours is None and repo.resolve(f"{tag_ref}^{{commit}}") == step.commit:
        ours = found  # made by `git tag` on the release commit, killed before journaling it
    if found == ours:
        repo.delete_tag(step.tag, found)


def _restore_tag(repo: GitRepo, step: RestoreTag) -> None:
    """Make the tag `bump retract` deleted again, as it was; a tag there now is left alone."""
    if repo.ref(f"refs/tags/{step.tag}") is None:
        repo.create_tag_ref(step.tag, step.tag_object)


def _reset_branch(repo: GitRepo, step: ResetBranch) -> None:
    """Move the branch back from the release commit; any other commit there is left alone."""
    tip = repo.ref(f"refs/heads/{step.branch}")
    if tip != step.head and (tip is None or tip != release_commit(repo, step)):
        raise CutreleaseError(
            f"{step.branch} is at {(tip or '?')[:7]}, which is not the release commit"
        )
    repo.reset_branch(
        step.branch, step.head, expected=tip or step.head, packed_only=step.packed_only
    )


def release_commit(repo: GitRepo, step: ResetBranch) -> str | None:
    """The commit the release made: journaled, or (after a kill -9 right after git made it,
    before the journal could say so) the one git's reflog records moving the branch from the
    original HEAD just after the journal was written. None if no commit was made."""
    if step.commit is not None or step.reflog_size is None:
        return step.commit
    move = refs.reflog_move_after(repo.git_dir, f"refs/heads/{step.branch}", step.reflog_size)
    return move[1] if move is not None and move[0] == step.head else None


def _put_back_git(path: Path, saved: SavedFile, guard: Path | None) -> None:
    """Put one of git's files back, holding git's lock on `guard` (the file or its ref).

    The index is written as git writes it: into index.lock, renamed over the index.
    """
    original = saved.original()
    if _unchanged(path, original, saved.mode):
        discard_temp(path)
        return
    if guard is None:
        _put_back_file(path, saved)
        return
    discard_temp(path)
    with lock.git_lock(guard) as held:
        if original is None:
            path.unlink(missing_ok=True)
        elif held.target == path:
            held.replace(original, mode=saved.mode)
        else:
            write_atomic(path, original, mode=saved.mode)


def _put_back_file(path: Path, saved: SavedFile) -> None:
    discard_temp(path)  # what a write of it killed half-way left
    original = saved.original()
    if _unchanged(path, original, saved.mode):
        return
    if original is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, original, mode=saved.mode)


def _unchanged(path: Path, original: bytes | None, mode: int) -> bool:
    try:
        return (
            original is not None
            and path.read_bytes() == original
            and path.stat().st_mode & 0o7777 == mode
        )
    except FileNotFoundError:
        return original is None


def recover(repo: GitRepo, *, report: Report) -> str:
    """Finish or undo a release that a kill -9 or power loss stopped half-way; what was done.

    Refused, changing nothing, while git runs here (index.lock), when the remote cannot tell
    whether a push landed, or when work was done since the crash (see _refuse_if_moved_on).
    """
    git_dir = repo.git_dir
    with lock.held(git_dir):
        if not journal.exists(git_dir):
            journal.discard_leftovers(git_dir)  # a kill during the first journal write
            return "No interrupted release: nothing to recover."
        record = journal.read(git_dir)
        journal.validate(record, repo.root, git_dir)  # data, never orders: before any write
        _remove_our_locks(repo, record)
        lock.wait_for_git_lock(git_dir / "index")
        if record.newest(RestoreTag) is not None:  # a retract's journal
            return _recover_retract(repo, record, report=report)
        holds = _pushed(repo, record)
        if not holds.nothing:  # the remote has it: kept, never undone under it
            journal.remove(git_dir)
            if not (holds.branch and holds.tag):
                release = _release_of(record)
                assert release is not None
                raise pushing.kept(release, holds, "the push was interrupted")
            return (
                f"The push of {pushing.listed([record.tag, *record.tags])} had reached the "
                "remote: the release is complete; the journal was removed."
            )
        _refuse_if_moved_on(repo, record)
        _refuse_foreign_refs(repo, record)
        _refuse_if_hook_runs(record)
        report("restoring the repository")
        restore(repo, record)
        return (
            f"Restored {record.branch} at {record.head[:7]}, its files and index; "
            f"no tag {', '.join((record.tag, *record.tags))}."
        )


def _remove_our_locks(repo: GitRepo, record: Journal) -> None:
    """Remove the git locks a killed undo (or recover) took and left: each is one the journal
    names (a lock guarding a file it puts back, or the branch's ref), and was made by
    cutrelease (lock.remove_if_ours); a lock git holds stays, and recover waits for it."""
    git_dir = repo.git_dir
    guards = {refs.common_dir(git_dir) / f"refs/heads/{record.branch}"}
    for step in record.undo:
        if isinstance(step, PutBack):
            guards.update(_inside(git_dir, saved.lock) for saved in step.git_files if saved.lock)
    for guard in guards:
        lock.remove_if_ours(guard)


def _refuse_foreign_refs(repo: GitRepo, record: Journal) -> None:
    """Refused unless the commit and the tag the journal would undo are the release's own: a
    child of the original HEAD, not already on the remote, the tag on that commit."""
    undo_commit, undo_tag = record.newest(ResetBranch), record.newest(DeleteTag)
    ours = None if undo_commit is None else release_commit(repo, undo_commit)
    where = journal.path_in(repo.git_dir)
    if ours is not None:
        published = (
            repo.ref(f"refs/remotes/{record.remote}/{record.branch}") if record.remote else None
        )
        if repo.resolve(f"{ours}^") != record.head or (
            published is not None and repo.is_ancestor(ours, published)
        ):
            raise journal.forged(
                where, f"the commit {ours[:12]}, which the interrupted release did not make"
            )
    if undo_tag is None:
        return
    for step in record.undo:  # every tag: a several-package release makes one per package
        if not isinstance(step, DeleteTag):
            continue
        found = repo.ref(f"refs/tags/{step.tag}")
        if found is None:
            continue
        # What _delete_tag would delete: the journaled tag object, or a tag on `commit`.
        on = repo.resolve(f"{found}^{{commit}}")
        doomed = found == step.tag_object or (step.tag_object is None and on == step.commit)
        if doomed and (ours is None or on != ours):
            raise journal.forged(
                where, f"the tag {step.tag}, which the interrupted release did not create"
            )


def _refuse_if_moved_on(repo: GitRepo, record: Journal) -> None:
    """Undo only the release: work done since the crash (commits, a switch) is never lost."""
    ref, tip = repo.head()
    if ref != f"refs/heads/{record.branch}":
        raise Refused(
            f"HEAD is not on {record.branch}, where the interrupted release was cut.",
            hint=f"Run `git switch {record.branch}`, then `bump recover`.",
        )
    undo_commit = record.newest(ResetBranch)
    ours = None if undo_commit is None else release_commit(repo, undo_commit)
    if tip not in (record.head, ours):
        raise Refused(
            f"{record.branch} has moved on since the interrupted release (to "
            f"{(tip or '?')[:7]}, not {record.head[:7]} or the release commit); restoring would "
            "lose that work.",
            hint=f"Put it back by hand, or delete {journal.path_in(repo.git_dir)} to keep it.",
        )


def _refuse_if_hook_runs(record: Journal) -> None:
    """A before_commit hook outlives a killed bump: what it writes must not land after the
    undo."""
    pid = record.hook_pid
    if record.stage is Stage.HOOKS and pid is not None and _running(pid):
        raise Refused(
            f"The before_commit hook of the interrupted release (process {pid}) is still running.",
            hint=f"Wait for it to end (or stop it: `kill {pid}`), then run `bump recover`.",
        )


def _running(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): alive as far as kill can tell


def _release_of(record: Journal) -> pushing.Release | None:
    """What the interrupted push was putting on the remote: the release commit and every tag
    (a several-package release makes one per package), each as journaled; None if no push
    was made."""
    undo_commit = record.newest(ResetBranch)
    if record.stage is not Stage.PUSH or record.remote is None:
        return None
    if undo_commit is None or undo_commit.commit is None:
        return None
    made = {
        step.tag: step.tag_object
        for step in record.undo
        if isinstance(step, DeleteTag) and step.tag_object is not None
    }
    tags = [record.tag, *record.tags]
    if any(tag not in made for tag in tags):
        return None
    others = tuple((tag, made[tag]) for tag in record.tags)
    return pushing.Release(
        record.remote, record.branch, undo_commit.commit, record.tag, made[record.tag], others
    )


def _pushed(repo: GitRepo, record: Journal) -> pushing.Holds:
    """What the remote holds of the interrupted release (nothing if no push was made)."""
    release = _release_of(record)
    if release is None:
        return pushing.Holds(branch=False)
    try:
        return pushing.what_remote_holds(repo, release)
    except Refused as exc:
        raise Refused(
            f"Cannot tell whether the interrupted push reached the remote: {exc.message}",
            hint="Run `bump recover` again when the remote is reachable.",
        ) from None


# -- bump retract's side of recover ----------------------------------------------------------


def retract_landed(repo: GitRepo, record: Journal, revert: str) -> bool:
    """Whether the remote took the retract's push: its branch at the revert commit (or past
    it) and no tag; False when its branch is not there and the tag is. Refused when it cannot
    be asked, or holds one part only (an atomic push lands whole: someone else pushed)."""
    assert record.remote is not None
    urls = remote_named(repo.remotes().result(), record.remote)
    url = checks.one_push_url(record.remote, urls.push)
    branch_ref, tag_ref = f"refs/heads/{record.branch}", f"refs/tags/{record.tag}"
    found = repo.remote_refs(record.remote, [branch_ref, tag_ref], url=url).result()
    tip = found.get(branch_ref)
    on_branch = tip == revert or (
        tip is not None and repo.has_commit(tip) and repo.is_ancestor(revert, tip)
    )
    if on_branch and tag_ref not in found:
        return True
    if not on_branch and tag_ref in found:
        return False
    raise Refused(
        f"{record.remote} holds {'the revert commit' if on_branch else 'neither'} on "
        f"{record.branch} {'and' if on_branch else 'nor'} the tag {record.tag}: someone else "
        "pushed since the retract was interrupted.",
        hint=f"Look at {record.remote}, put the repository right by hand, then delete "
        f"{journal.path_in(repo.git_dir)}.",
    )


def finish_retract(repo: GitRepo, step: RestoreTag) -> None:
    """The retract's last step: delete the local tag, if it is still the one retracted."""
    found = repo.ref(f"refs/tags/{step.tag}")
    if found is not None and found == step.tag_object:
        repo.delete_tag(step.tag, found)


def _recover_retract(repo: GitRepo, record: Journal, *, report: Report) -> str:
    """Finish a retract whose push the remote took (delete the local tag), or undo one it did
    not (the revert commit and files go, the tag comes back)."""
    restore_tag = record.newest(RestoreTag)
    assert restore_tag is not None
    undo_commit = record.newest(ResetBranch)
    revert = None if undo_commit is None else release_commit(repo, undo_commit)
    landed = record.stage is Stage.UNTAG
    if not landed and record.stage is Stage.PUSH and revert is not None and record.remote:
        try:
            landed = retract_landed(repo, record, revert)
        except Refused as exc:
            raise Refused(
                f"Cannot tell whether the interrupted retract's push reached the remote: "
                f"{_lower(exc.message)}",
                hint=exc.hint or "Run `bump recover` again when the remote is reachable.",
            ) from None
    if landed:
        finish_retract(repo, restore_tag)
        journal.remove(repo.git_dir)
        return (
            f"The retract of {record.tag} had reached {record.remote}: finished; the local tag "
            f"{record.tag} is deleted."
        )
    _refuse_if_moved_on(repo, record)
    _refuse_foreign_refs(repo, record)
    report("restoring the repository")
    restore(repo, record)
    return (
        f"Restored {record.branch} at {record.head[:7]}, its files and index; the tag "
        f"{record.tag} is kept (the retract was not pushed)."
    )
