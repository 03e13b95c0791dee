"""The release journal under .git/: what to restore if a release stops half-way."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cutrelease.errors import Refused
from cutrelease.project import JOURNAL_NAME, refuse_if_pending

# json, base64 and the atomic writer are imported where used: every command checks for a
# pending journal, and check-tag must answer at once.

FORMAT = 1
__all__ = ["JOURNAL_NAME", "Journal", "SavedFile", "refuse_if_pending"]


@dataclass(frozen=True)
class SavedFile:
    """A file's original bytes and mode (`data` None: it did not exist)."""

    path: str
    data: str | None  # base64
    mode: int = 0o644

    @classmethod
    def of(cls, path: Path, name: str) -> SavedFile:
        import base64

        try:
            raw, mode = path.read_bytes(), path.stat().st_mode & 0o7777
        except FileNotFoundError:
            return cls(name, None)
        return cls(name, base64.b64encode(raw).decode("ascii"), mode)

    def original(self) -> bytes | None:
        import base64

        return None if self.data is None else base64.b64decode(self.data)


@dataclass(frozen=True)
class Journal:
    """Everything needed to put the repository back, recorded before the first write."""

    branch: str
    head: str
    tag: str
    remote: str | None
    files: tuple[SavedFile, ...]  # work-tree files, relative to the repository root
    git_files: tuple[SavedFile, ...]  # index, reflogs: relative to this work tree's .git/
    branch_ref_was_loose: bool = True  # False: only packed-refs held it
    commit_message: str = ""  # to know the release commit before it is journaled
    stage: str = "started"
    commit: str | None = None
    tag_object: str | None = None

    def advance(self, **changes: object) -> Journal:
        return replace(self, **changes)  # type: ignore[arg-type]


def path_in(git_dir: Path) -> Path:
    return git_dir / JOURNAL_NAME


def exists(git_dir: Path) -> bool:
    return path_in(git_dir).exists()


def write(git_dir: Path, journal: Journal, *, durable: bool = True) -> None:
    import json

    from cutrelease.atomic import write_atomic

    data = {"format": FORMAT, **asdict(journal)}
    raw = json.dumps(data, indent=1).encode("utf-8")
    write_atomic(path_in(git_dir), raw, mode=0o600, durable=durable)


def read(git_dir: Path) -> Journal:
    import json

    path = path_in(git_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.pop("format") != FORMAT:
            raise ValueError("unknown format")
        files = tuple(SavedFile(**item) for item in data.pop("files"))
        git_files = tuple(SavedFile(**item) for item in data.pop("git_files"))
        return Journal(files=files, git_files=git_files, **data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Refused(
            f"The release journal {path} cannot be read ({exc}).",
            hint="Restore the repository by hand, then delete that file.",
        ) from None


def remove(git_dir: Path) -> None:
    path_in(git_dir).unlink(missing_ok=True)
