"""The release journal under .git/: each step's undo, recorded before the step writes anything."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from cutrelease.errors import Refused
from cutrelease.project import JOURNAL_NAME, refuse_if_pending

# json, base64 and the atomic writer are imported where used: every command checks for a
# pending journal, and check-tag must answer at once.

FORMAT = 2
__all__ = [
    "JOURNAL_NAME",
    "DeleteTag",
    "Journal",
    "PutBack",
    "ResetBranch",
    "SavedFile",
    "Stage",
    "refuse_if_pending",
]


class Stage(enum.Enum):
    """The step a release has begun; journaled, with its undo, before that step writes."""

    FILES = "files"  # writing the release files
    HOOKS = "hooks"  # a before_commit hook runs (its process id journaled)
    COMMIT = "commit"  # git commit
    TAG = "tag"  # git tag
    PUSH = "push"  # git push: no undo; once the remote has accepted it, the release is done


@dataclass(frozen=True)
class SavedFile:
    """A file's original bytes and mode (`data` None: it did not exist).

    `lock`, for a file of git's, names the file whose git lock guards it (FILE.lock): the
    index guards itself; a reflog is guarded by its ref's lock, as git writes it.
    """

    path: str
    data: str | None  # base64
    mode: int = 0o644
    lock: str | None = None

    @classmethod
    def of(cls, path: Path, name: str, *, lock: str | None = None) -> SavedFile:
        """The file at `path` as it is now, recorded under `name` (a relative path)."""
        import base64

        try:
            raw, mode = path.read_bytes(), path.stat().st_mode & 0o7777
        except FileNotFoundError:
            return cls(name, None, lock=lock)
        return cls(name, base64.b64encode(raw).decode("ascii"), mode, lock)

    def original(self) -> bytes | None:
        """The recorded bytes, or None if the file did not exist."""
        import base64

        return None if self.data is None else base64.b64decode(self.data)


@dataclass(frozen=True)
class PutBack:
    """Undoes the file writes: the release files, git's files that the commit rewrites, and
    whatever hooks (ours, git's) do to the work tree.

    `files` are relative to the work tree; `git_files` (index, COMMIT_EDITMSG, reflogs) to
    this work tree's .git/. Each is written back only if it differs. Any other tracked file
    that differs from the commit `head` (the tree was clean) is put back as `head` holds it;
    any file git neither tracks nor ignores that is not among `untracked`, the ones there
    before, is removed. (None: a journal from before hooks, which does neither.)
    """

    files: tuple[SavedFile, ...]
    git_files: tuple[SavedFile, ...]
    head: str | None = None
    untracked: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ResetBranch:
    """Undoes `git commit`: `branch` back from the release commit to `head`.

    `commit` is journaled once the commit exists. Before that (a kill -9 right after git made
    it), git's own record tells: the first entry of the branch's reflog past its first
    `reflog_size` bytes, if it moved the branch from `head`. `packed_only`: before the release,
    only packed-refs held the branch, and so it is again afterwards.
    """

    branch: str
    head: str
    reflog_size: int | None
    packed_only: bool
    commit: str | None = None


@dataclass(frozen=True)
class DeleteTag:
    """Undoes `git tag`: `tag` deleted if it is ours, i.e. `tag_object` once journaled, or
    (killed before that) a tag on the release commit `commit`, which was new a moment ago.
    A tag someone else made is never deleted."""

    tag: str
    commit: str
    tag_object: str | None = None


Undo = PutBack | ResetBranch | DeleteTag
U = TypeVar("U", PutBack, ResetBranch, DeleteTag)
_KINDS: dict[str, type[PutBack | ResetBranch | DeleteTag]] = {
    "put-back": PutBack,
    "reset-branch": ResetBranch,
    "delete-tag": DeleteTag,
}


@dataclass(frozen=True)
class Journal:
    """A release in progress: the stage it has begun, and each begun step's undo, oldest first.

    Undoing the release is running `undo` newest first (contextlib.ExitStack's order), in
    this process after a failure or in `bump recover` after a kill -9: the same steps.
    """

    branch: str
    head: str
    tag: str
    remote: str | None
    stage: Stage
    undo: tuple[Undo, ...]
    hook_pid: int | None = None  # the before_commit hook running (stage HOOKS)

    def begin(self, stage: Stage, *undo: Undo) -> Journal:
        """The journal once `stage` has begun, its undo (if it has one) on top."""
        return replace(self, stage=stage, undo=(*self.undo, *undo), hook_pid=None)

    def hook_started(self, pid: int) -> Journal:
        """The journal while the before_commit hook of process `pid` runs: a kill -9 of bump
        leaves it running, and recover must wait for it to end."""
        return replace(self, stage=Stage.HOOKS, hook_pid=pid)

    def known(self, found: ResetBranch | DeleteTag) -> Journal:
        """The journal with the newest undo replaced by `found`: what the step made, now known."""
        assert type(self.undo[-1]) is type(found)
        return replace(self, undo=(*self.undo[:-1], found))

    def newest(self, kind: type[U]) -> U | None:
        """The newest undo of `kind`, or None if no such step has begun."""
        return next((step for step in reversed(self.undo) if isinstance(step, kind)), None)


def path_in(git_dir: Path) -> Path:
    """Where the journal lives: `.git/cutrelease-journal.json` (this work tree's .git/)."""
    return git_dir / JOURNAL_NAME


def exists(git_dir: Path) -> bool:
    """Whether a release was interrupted and left its journal."""
    return path_in(git_dir).exists()


def write(git_dir: Path, journal: Journal, *, durable: bool = True) -> None:
    """Replace the journal atomically; `durable` also survives a power loss (fsync)."""
    import json

    from cutrelease.atomic import write_atomic

    data = {
        "format": FORMAT,
        **{field.name: getattr(journal, field.name) for field in fields(journal)},
        "stage": journal.stage.value,
        "undo": [_dump(step) for step in journal.undo],
    }
    raw = json.dumps(data, indent=1).encode("utf-8")
    write_atomic(path_in(git_dir), raw, mode=0o600, durable=durable)


def _dump(step: Undo) -> dict[str, object]:
    kind = next(name for name, cls in _KINDS.items() if isinstance(step, cls))
    return {"kind": kind, **asdict(step)}


def read(git_dir: Path) -> Journal:
    """The journal an interrupted release left (Refused if it cannot be read)."""
    import json

    path = path_in(git_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.pop("format") != FORMAT:
            raise ValueError("unknown format")
        undo = tuple(_load(item) for item in data.pop("undo"))
        return Journal(stage=Stage(data.pop("stage")), undo=undo, **data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Refused(
            f"The release journal {path} cannot be read ({exc}).",
            hint="Restore the repository by hand, then delete that file.",
        ) from None


def _load(item: dict[str, Any]) -> Undo:
    kind = _KINDS[item.pop("kind")]
    if kind is PutBack:
        saved = {name: tuple(SavedFile(**f) for f in item[name]) for name in ("files", "git_files")}
        untracked = item.get("untracked")
        return PutBack(
            **saved,
            head=item.get("head"),
            untracked=None if untracked is None else tuple(untracked),
        )
    return kind(**item)


def remove(git_dir: Path) -> None:
    """Drop the journal: the release landed, or was undone."""
    path_in(git_dir).unlink(missing_ok=True)
