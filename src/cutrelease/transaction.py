"""Apply a plan as one transaction: journal first, each step undone newest-first on failure."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from cutrelease import journal, lock, refs
from cutrelease.atomic import write_atomic
from cutrelease.errors import CutreleaseError, Refused, ReleaseFailed, UndoFailed
from cutrelease.gitrepo import GitFailed, GitRepo
from cutrelease.journal import Journal, SavedFile
from cutrelease.plan import Plan

Report = Callable[[str], None]

# Read only by the test suite's fault-injection points ("kill:STEP" or "fail:STEP").
FAULT_VARIABLE = "CUTRELEASE_FAULT_INJECTION_FOR_TESTS_ONLY"


class Interrupted(CutreleaseError):
    """Ctrl-C (or SIGTERM) arrived; honoured at the next safe point."""


@dataclass(frozen=True)
class Outcome:
    commit: str
    pushed: bool
    note: str | None = None


class _DeferredSignals:
    """Turn SIGINT/SIGTERM into a flag, so no step is cut in half inside this process."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.interrupted = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _DeferredSignals:
        for number in self.SIGNALS:
            self._previous[number] = signal.signal(number, self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True

    def checkpoint(self, step: str) -> None:
        _inject_fault(step)
        if self.interrupted:
            raise Interrupted(f"Interrupted (Ctrl-C) after {step}")


def apply(plan: Plan, repo: GitRepo, *, report: Report) -> Outcome:
    """Release: everything lands (locally and on the remote) or the repository is as it was."""
    git_dir = repo.git_dir
    common_dir = refs.common_dir(git_dir)
    with lock.held(git_dir) as lock_fd, _DeferredSignals() as signals:
        journal.refuse_if_pending(git_dir)
        _refuse_if_stale(plan, repo)
        record = _begin(plan, git_dir, common_dir)
        try:
            record = _run(plan, repo, record, git_dir, signals, report, lock_fd)
        except Exception as exc:  # whatever failed, the repository goes back as it was
            with contextlib.suppress(Exception):  # saying so must never stop the undo
                report("restoring the repository")
            restore(repo, git_dir, journal.read(git_dir))
            cause = _describe(exc)
            if signals.interrupted and not isinstance(exc, Interrupted):
                cause = f"Interrupted (Ctrl-C): {cause}"
            raise ReleaseFailed(
                f"{cause}; the repository was restored "
                f"({plan.branch} at {plan.head[:7]}, files and index as they were).",
                hint=exc.hint if isinstance(exc, CutreleaseError) else None,
            ) from None
        # The push was accepted (or none was asked for): the release has landed.
        _inject_fault("pushed")
        journal.remove(git_dir)
    note = None
    if signals.interrupted:
        note = (
            "Ctrl-C came while the push was in flight; the remote had accepted it, "
            "so the release is complete."
        )
    return Outcome(commit=record.commit or "", pushed=plan.remote is not None, note=note)


def _refuse_if_stale(plan: Plan, repo: GitRepo) -> None:
    """The plan is applied only to the state it was computed from (the user may have waited)."""
    if repo.head_ref() != (f"refs/heads/{plan.branch}", plan.head):
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


def _begin(plan: Plan, git_dir: Path, common_dir: Path) -> Journal:
    # The branch itself moves back through git (update-ref); these are restored byte for byte
    # so that no trace of the release is left in the index or the reflogs. Paths are kept
    # relative to .git/, so a repository moved after a crash is still recovered in place.
    own = ["index", "COMMIT_EDITMSG", "logs/HEAD"]
    git_files = [git_dir / name for name in own] + [common_dir / f"logs/refs/heads/{plan.branch}"]
    record = Journal(
        branch=plan.branch,
        head=plan.head,
        tag=plan.tag,
        remote=plan.remote,
        files=tuple(SavedFile.of(plan.root / path, path) for path in plan.paths),
        git_files=tuple(SavedFile.of(path, os.path.relpath(path, git_dir)) for path in git_files),
        branch_ref_was_loose=(common_dir / "refs" / "heads" / plan.branch).is_file(),
        commit_message=plan.commit_message,
    )
    journal.write(git_dir, record)
    return record


def _run(
    plan: Plan,
    repo: GitRepo,
    record: Journal,
    git_dir: Path,
    signals: _DeferredSignals,
    report: Report,
    lock_fd: int,
) -> Journal:
    signals.checkpoint("journal")
    for edit in plan.edits:
        report(f"writing {edit.path}")
        # Not fsynced: after a power loss, recover rewrites the originals from the journal.
        write_atomic(plan.root / edit.path, edit.after, durable=False)
        signals.checkpoint(f"write:{edit.path}")
    report(f"committing: {plan.commit_message.splitlines()[0]}")
    # Until the tag step journals them, recover finds the release commit and tag through git
    # (a commit on the original HEAD; a tag on that commit).
    record = _advance(git_dir, record, stage="committing")
    repo.run(*plan.commit_args())
    _inject_fault("commit-unjournaled")
    record = _advance(git_dir, record, stage="committed", commit=_ref(repo, plan.branch))
    signals.checkpoint("commit")
    report(f"tagging {plan.tag}")
    repo.run(*plan.tag_args())
    _inject_fault("tag-unjournaled")
    record = _advance(git_dir, record, stage="tagged", tag_object=_ref(repo, plan.tag, tag=True))
    signals.checkpoint("tag")
    push = plan.push_args()
    if push is not None:
        report(f"pushing {plan.branch} and {plan.tag} to {plan.remote_display}")
        record = _advance(git_dir, record, stage="pushing")
        repo.push(push, keep_fds=[lock_fd])
    return record


def _ref(repo: GitRepo, name: str, *, tag: bool = False) -> str:
    """The release commit (on branch `name`) or tag object (`name`, tag=True), just made."""
    full = f"refs/tags/{name}" if tag else f"refs/heads/{name}"
    sha = repo.ref(full)
    if sha is None:
        raise ReleaseFailed(f"{full} cannot be read back after it was written.")
    return sha


def _advance(git_dir: Path, record: Journal, **changes: object) -> Journal:
    record = record.advance(**changes)
    # Steps before the push can be recovered from git itself (the branch and the tag's
    # commit tell); only the push must be on disk before it starts, even after a power loss.
    journal.write(git_dir, record, durable=record.stage == "pushing")
    return record


def _describe(exc: BaseException) -> str:
    if isinstance(exc, GitFailed):
        return f"{exc.command} failed: {exc.detail}"
    if isinstance(exc, CutreleaseError):
        return exc.message.rstrip(".")
    return f"{type(exc).__name__}: {exc}"


def restore(repo: GitRepo, git_dir: Path, record: Journal) -> None:
    """Put back the state the journal recorded, newest step first; then drop the journal."""
    left: list[str] = []
    with _DeferredSignals():  # an undo must not itself be interrupted half-way
        for what, undo in _undo_steps(repo, git_dir, record):
            try:
                undo()
            except (CutreleaseError, OSError) as exc:
                left.append(f"{what} ({_describe(exc)})")
        if left:
            raise UndoFailed(
                "Restoring the repository failed; left to fix by hand: " + "; ".join(left) + ".",
                hint=f"The journal {journal.path_in(git_dir)} keeps the original state.",
            )
        journal.remove(git_dir)


def _undo_steps(
    repo: GitRepo, git_dir: Path, record: Journal
) -> list[tuple[str, Callable[[], None]]]:
    steps: list[tuple[str, Callable[[], None]]] = []
    tag_ref = f"refs/tags/{record.tag}"
    ours = record.tag_object or _tag_on(repo, tag_ref, _release_commit(repo, record))
    if ours is not None and repo.resolve(tag_ref) == ours:
        steps.append((f"delete tag {record.tag}", lambda: repo.delete_tag(record.tag, ours)))
    steps.append(
        (
            f"move {record.branch} back to {record.head[:7]}",
            lambda: _reset_branch(repo, git_dir, record),
        )
    )
    for saved in tuple(
        SavedFile(str(git_dir / item.path), item.data, item.mode) for item in record.git_files
    ) + tuple(SavedFile(str(repo.root / item.path), item.data, item.mode) for item in record.files):
        steps.append((f"restore {saved.path}", lambda saved=saved: _put_back(saved)))  # type: ignore[misc]
    return steps


def _tag_on(repo: GitRepo, tag_ref: str, commit: str | None) -> str | None:
    """The tag object if `tag_ref` sits on our release commit (killed before journaling it)."""
    if commit is None or repo.resolve(f"{tag_ref}^{{commit}}") != commit:
        return None
    return repo.resolve(tag_ref)


def _release_commit(repo: GitRepo, record: Journal) -> str | None:
    """The release commit when the journal has it, or when a kill came before it could.

    Only while committing: then the commit on top of the original HEAD whose message is the
    planned one is ours. Any other commit there is the maintainer's work, never undone.
    """
    if record.commit is not None or record.stage != "committing":
        return record.commit
    tip = repo.ref(f"refs/heads/{record.branch}")
    if tip is None or tip == record.head or repo.resolve(f"{tip}^") != record.head:
        return None
    message = repo.run("log", "-1", "--format=%B", tip)
    return tip if message.strip() == record.commit_message.strip() else None


def _reset_branch(repo: GitRepo, git_dir: Path, record: Journal) -> None:
    ref = f"refs/heads/{record.branch}"
    if repo.resolve(ref) != record.head:
        repo.set_branch(record.branch, record.head)
    loose = refs.common_dir(git_dir) / ref
    # The commit wrote a loose ref over a packed one; packed-refs still holds the original.
    if (
        not record.branch_ref_was_loose
        and loose.is_file()
        and refs.packed(git_dir, ref) == record.head
    ):
        loose.unlink()


def _put_back(saved: SavedFile) -> None:
    path = Path(saved.path)
    original = saved.original()
    if original is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_bytes() != original or _mode(path) != saved.mode:
        write_atomic(path, original, mode=saved.mode)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


def recover(repo: GitRepo, *, report: Report) -> str:
    """Finish or undo a release that a kill -9 or power loss stopped half-way."""
    git_dir = repo.git_dir
    with lock.held(git_dir):
        if not journal.exists(git_dir):
            return "No interrupted release: nothing to recover."
        if (git_dir / "index.lock").exists():
            raise Refused(
                "A git command is still running in this repository (.git/index.lock exists).",
                hint="Wait for it to finish, or delete .git/index.lock if no git is running.",
            )
        record = journal.read(git_dir)
        if record.stage == "pushing" and _push_landed(repo, record):
            journal.remove(git_dir)
            return (
                f"The push of {record.tag} had reached the remote: the release is complete; "
                "the journal was removed."
            )
        _refuse_if_moved_on(repo, git_dir, record)
        report("restoring the repository")
        restore(repo, git_dir, record)
        return (
            f"Restored {record.branch} at {record.head[:7]}, its files and index; "
            f"no tag {record.tag}."
        )


def _refuse_if_moved_on(repo: GitRepo, git_dir: Path, record: Journal) -> None:
    """Undo only the release: work done since the crash (commits, a switch) is never lost."""
    ref, _ = repo.head_ref()
    if ref != f"refs/heads/{record.branch}":
        raise Refused(
            f"HEAD is not on {record.branch}, where the interrupted release was cut.",
            hint=f"Run `git switch {record.branch}`, then `bump recover`.",
        )
    tip = repo.resolve(f"refs/heads/{record.branch}")
    ours = _release_commit(repo, record)
    if tip not in (record.head, ours):
        raise Refused(
            f"{record.branch} has moved on since the interrupted release (to "
            f"{(tip or '?')[:7]}, not {record.head[:7]} or the release commit); restoring would "
            "lose that work.",
            hint=f"Put it back by hand, or delete {journal.path_in(git_dir)} to keep it.",
        )


def _push_landed(repo: GitRepo, record: Journal) -> bool:
    if record.remote is None or record.tag_object is None:
        return False
    try:
        refs = repo.remote_refs(record.remote, [f"refs/tags/{record.tag}"])
    except Refused as exc:
        raise Refused(
            f"Cannot tell whether the interrupted push reached the remote: {exc.message}",
            hint="Run `bump recover` again when the remote is reachable.",
        ) from None
    return refs.get(f"refs/tags/{record.tag}") == record.tag_object


def _inject_fault(step: str) -> None:
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    action, _, where = wanted.partition(":")
    if where != step:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "fail":
        raise CutreleaseError(f"Injected failure after {step}")
