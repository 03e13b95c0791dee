"""The release journal under .git/: each step's undo, recorded before the step writes anything."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

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
    "RestoreTag",
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
    UNTAG = "untag"  # bump retract: the remote took the push; the local tag is being deleted


# The records are NamedTuples, not frozen dataclasses: as immutable, and each class costs a
# sixth as much to create (the journal is loaded by every release, after its checks).
class SavedFile(NamedTuple):
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


class PutBack(NamedTuple):
    """Undoes the file writes: the release files, git's files that the commit rewrites, and
    whatever hooks (ours, git's) do to the work tree.

    `files` are relative to the work tree; `git_files` (index, COMMIT_EDITMSG, reflogs, the
    leftovers the commit deletes) to
    this work tree's .git/. Each is written back only if it differs. Any other tracked file
    that differs from the commit `head` (the tree was clean) is put back as `head` holds it;
    any file git neither tracks nor ignores that is not among `untracked`, the ones there
    before, is removed. (None: a journal from before hooks, which does neither.)
    """

    files: tuple[SavedFile, ...]
    git_files: tuple[SavedFile, ...]
    head: str | None = None
    untracked: tuple[str, ...] | None = None


class ResetBranch(NamedTuple):
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


class DeleteTag(NamedTuple):
    """Undoes `git tag`: `tag` deleted if it is ours, i.e. `tag_object` once journaled, or
    (killed before that) a tag on the release commit `commit`, which was new a moment ago.
    A tag someone else made is never deleted."""

    tag: str
    commit: str
    tag_object: str | None = None


class RestoreTag(NamedTuple):
    """Undoes `bump retract`'s deletion of the local tag: `tag` made again as `tag_object`
    if it is gone (a tag there is left alone). Journaled first, before anything of the
    retract is written: a journal holding it is a retract's (transaction.recover)."""

    tag: str
    tag_object: str


Undo = PutBack | ResetBranch | DeleteTag | RestoreTag
U = TypeVar("U", PutBack, ResetBranch, DeleteTag, RestoreTag)
_KINDS: dict[str, type[PutBack | ResetBranch | DeleteTag | RestoreTag]] = {
    "put-back": PutBack,
    "reset-branch": ResetBranch,
    "delete-tag": DeleteTag,
    "restore-tag": RestoreTag,
}


class Journal(NamedTuple):
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
    tags: tuple[str, ...] = ()  # the other tags of a several-package release (SPEC section 14)

    def begin(self, stage: Stage, *undo: Undo) -> Journal:
        """The journal once `stage` has begun, its undo (if it has one) on top."""
        return self._replace(stage=stage, undo=(*self.undo, *undo), hook_pid=None)

    def hook_started(self, pid: int) -> Journal:
        """The journal while the before_commit hook of process `pid` runs: a kill -9 of bump
        leaves it running, and recover must wait for it to end."""
        return self._replace(stage=Stage.HOOKS, hook_pid=pid)

    def known(self, found: ResetBranch | DeleteTag) -> Journal:
        """The journal with the newest undo replaced by `found`: what the step made, now known."""
        assert type(self.undo[-1]) is type(found)
        return self._replace(undo=(*self.undo[:-1], found))

    def newest(self, kind: type[U]) -> U | None:
        """The newest undo of `kind`, or None if no such step has begun."""
        return next((step for step in reversed(self.undo) if isinstance(step, kind)), None)


#: The room the undo needs, held from before the release's first write (see reserve).
RESERVE_NAME = "cutrelease-reserve"


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
        **journal._asdict(),
        "stage": journal.stage.value,
        "undo": [_dump(step) for step in journal.undo],
    }
    if not journal.tags:  # a one-package release's journal stays as it was
        del data["tags"]
    raw = json.dumps(data, indent=1).encode("utf-8")
    try:
        write_atomic(path_in(git_dir), raw, mode=0o600, durable=durable)
    except OSError as exc:  # a full disk: say which file could not be written
        exc.filename = exc.filename or str(path_in(git_dir))
        raise


def _dump(step: Undo) -> dict[str, object]:
    """`step` as the journal's JSON holds it: its kind, then its fields (files as objects)."""
    kind = next(name for name, cls in _KINDS.items() if isinstance(step, cls))
    fields = step._asdict()
    if isinstance(step, PutBack):
        for name in ("files", "git_files"):
            fields[name] = [saved._asdict() for saved in fields[name]]
    return {"kind": kind, **fields}


def read(git_dir: Path) -> Journal:
    """The journal an interrupted release left (Refused if it cannot be read)."""
    import json

    path = path_in(git_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.pop("format") != FORMAT:
            raise ValueError("unknown format")
        undo = tuple(_load(item) for item in data.pop("undo"))
        tags = data.pop("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ValueError("tags is not a list of tag names")
        return Journal(stage=Stage(data.pop("stage")), undo=undo, tags=tuple(tags), **data)
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
    """Drop the journal: the release landed, or was undone. What the journal stands for goes
    first (the reserve, a temporary copy of the journal a kill left), the journal last."""
    discard_leftovers(git_dir)
    path_in(git_dir).unlink(missing_ok=True)


def discard_leftovers(git_dir: Path) -> None:
    """Remove the files of ours that the journal's existence accounts for, by their fixed
    names: the reserve, and the temporary copy a kill during a journal write leaves."""
    from cutrelease.atomic import discard_temp

    release_reserve(git_dir)
    discard_temp(path_in(git_dir))


def reserve(git_dir: Path, size: int) -> None:
    """Hold `size` bytes of the disk in `.git/cutrelease-reserve`, for the undo.

    Created once the journal exists (so that recover, and remove, find it by its name): the
    undo releases it before it writes, and then has at least the room the release had.
    OSError (no space left on device) if the disk has not that much room.
    """
    import os

    fd = os.open(git_dir / RESERVE_NAME, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if size > 0 and hasattr(os, "posix_fallocate"):
            os.posix_fallocate(fd, 0, size)
        else:  # no fallocate (macOS): blocks are taken only by writing them
            zeros = bytes(min(size, 1 << 20))
            left = size
            while left > 0:
                left -= os.write(fd, zeros[:left])
    finally:
        os.close(fd)


def release_reserve(git_dir: Path) -> None:
    """Give the reserve's room back (the undo is about to write, or there is none to do)."""
    (git_dir / RESERVE_NAME).unlink(missing_ok=True)


# -- the journal is data, never orders (SPEC section 16) -------------------------------------

#: The modes a release may give a file back: the two git records (644, 755), as a umask may
#: narrow them (600, 640, 700, 750) or widen them for the group (664, 775). Never a setuid,
#: setgid or sticky bit, never writable by all.
MODES = frozenset({0o644, 0o755, 0o664, 0o775, 0o640, 0o750, 0o600, 0o700})


def validate(record: Journal, root: Path, git_dir: Path) -> None:
    """Refused, naming the entry, unless every entry of `record` is one a release writes:
    work-tree files inside `root` (not in .git/, not reached through a link out of it),
    git's own files exactly where git keeps them for the release's branch, git's modes only,
    and refs named as the release's branch and tag. Reads the file system, writes nothing.

    What it leaves to the caller: whether the commit and the tag are the release's own
    (transaction._refuse_foreign_refs, which asks git).
    """
    where = path_in(git_dir)
    for name in (record.branch, record.tag, *record.tags, record.remote or "origin"):
        if not ref_name_ok(name):
            raise forged(where, f"the ref name {name!r}, which git would refuse")
    for step in record.undo:
        if isinstance(step, PutBack):
            _validate_put_back(record, step, root, git_dir, where)
            continue
        if isinstance(step, ResetBranch) and (step.branch, step.head) != (
            record.branch,
            record.head,
        ):
            raise forged(where, f"the branch {step.branch} at {step.head[:12]}, not the release's")
        if isinstance(step, DeleteTag) and step.tag not in (record.tag, *record.tags):
            raise forged(where, f"the tag {step.tag}, which the interrupted release did not create")
        if isinstance(step, RestoreTag) and (
            step.tag != record.tag or not _object_id(step.tag_object)
        ):
            raise forged(where, f"the tag {step.tag}, which the interrupted retract did not delete")


def _object_id(name: str) -> bool:
    """Whether `name` is a git object id (SHA-1 or SHA-256, hexadecimal), not a revision
    expression git would evaluate."""
    return len(name) in (40, 64) and all(char in "0123456789abcdef" for char in name)


def _validate_put_back(
    record: Journal, step: PutBack, root: Path, git_dir: Path, where: Path
) -> None:
    if step.head is not None and step.head != record.head:
        raise forged(where, f"the commit {step.head[:12]}, not the release's {record.head[:12]}")
    top = root.resolve()
    git_folders = [git_dir.resolve(), _common(git_dir).resolve()]
    for saved in step.files:
        path = _work_tree_path(saved.path, top)
        if path is None or any(path == git or git in path.parents for git in git_folders):
            raise forged(where, f"the file {saved.path}, outside the repository")
        _validate_mode(saved, where)
    expected = _git_files(git_dir, record.branch)
    for saved in step.git_files:
        if saved.path not in expected or expected[saved.path] != saved.lock:
            raise forged(
                where, f"the file {saved.path} (from .git/), outside the repository's own files"
            )
        _validate_mode(saved, where)


def _work_tree_path(name: str, top: Path) -> Path | None:
    """Where the work-tree file `name` is, its folder resolved (links followed); None if
    that is not inside `top`, or `name` is not a plain relative path."""
    import posixpath

    parts = name.split("/")
    if not name or "\0" in name or posixpath.isabs(name) or ".." in parts or parts[0] == ".git":
        return None
    folder = (top / name).parent.resolve()
    if folder != top and top not in folder.parents:
        return None
    return folder / parts[-1]


#: Files of git's a successful `git commit` deletes (git's builtin/commit.c): leftovers of a
#: merge or squash finished or given up (their message and mode) and of a merge's conflicts
#: (AUTO_MERGE). A release that is undone puts them back as they were.
COMMIT_CLEARS = ("AUTO_MERGE", "MERGE_MSG", "MERGE_MODE", "SQUASH_MSG")


def _git_files(git_dir: Path, branch: str) -> dict[str, str | None]:
    """{path: lock} of the files of git's a release puts back, relative to `git_dir`, as
    transaction._put_back journals them."""
    import os

    from cutrelease.git import refs

    def rel(path: Path) -> str:
        return os.path.relpath(path, git_dir)

    ref = f"refs/heads/{branch}"
    return {
        "index": "index",
        "COMMIT_EDITMSG": None,
        **{name: None for name in COMMIT_CLEARS},
        rel(refs.reflog_path(git_dir, "HEAD")): "HEAD",
        rel(refs.reflog_path(git_dir, ref)): rel(refs.common_dir(git_dir) / ref),
    }


def _common(git_dir: Path) -> Path:
    from cutrelease.git import refs

    return refs.common_dir(git_dir)


def _validate_mode(saved: SavedFile, where: Path) -> None:
    if saved.data is not None and saved.mode not in MODES:
        raise forged(where, f"mode {saved.mode:o} for {saved.path}, not one git records (644, 755)")


def ref_name_ok(name: str) -> bool:
    """Whether `name` is a branch or tag name git accepts (git-check-ref-format's rules, the
    ones that matter for a path: no "..", no component starting with "." or ending in
    ".lock", no control character, space, ~^:?*[\\, no "@{")."""
    if not name or name.startswith("/") or name.endswith(("/", ".")) or "@{" in name:
        return False
    if any(ord(char) < 0o40 or char in " ~^:?*[\\\x7f" for char in name):
        return False
    return (
        all(
            part and not part.startswith(".") and not part.endswith(".lock") and ".." not in part
            for part in name.split("/")
        )
        and name != "@"
    )


def forged(where: Path, what: str) -> Refused:
    """The refusal of a journal no release wrote: it is data, never orders (SPEC section 16)."""
    return Refused(
        f"The release journal {where} names {what}: restore by hand.",
        hint="Nothing was changed; put the repository back yourself, then delete that file.",
    )
