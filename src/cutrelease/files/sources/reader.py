"""The repository's files as the version rules read them: each once, never outside the root."""

from __future__ import annotations

import posixpath
from pathlib import Path

from cutrelease.errors import FileFormatError, Refused


def join(folder: str, name: str) -> str:
    """`name` relative to `folder`, both relative to the repository root, normalized."""
    return posixpath.normpath(posixpath.join(folder, name)) if name else folder or "."


class Reader:
    """The project's files under the repository `root`, each read once, as UTF-8 text.

    A BOM stays in the text, so `text.encode("utf-8")` gives the file's bytes back.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._texts: dict[str, str] = {}

    def text(self, path: str) -> str:
        """The text of `path` (relative to the root); FileFormatError when unreadable."""
        if path not in self._texts:
            from cutrelease.files import unreadable

            try:
                raw = (self.root / path).read_bytes()
            except OSError as exc:
                raise FileFormatError(path, unreadable.message(exc)) from None
            try:
                self._texts[path] = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FileFormatError(path, unreadable.message(exc)) from None
        return self._texts[path]

    def is_file(self, path: str) -> bool:
        """Whether `path` is a regular file (links followed) inside the repository."""
        return self._inside(path) and (self.root / path).is_file()

    def is_dir(self, path: str) -> bool:
        return self._inside(path) and (self.root / path).is_dir()

    def files_in(self, folder: str) -> list[str]:
        """The names of the regular files directly in `folder`, sorted."""
        if not self.is_dir(folder):
            return []
        entries = (self.root / folder).iterdir()
        return sorted(e.name for e in entries if self.is_file(join(folder, e.name)))

    def packages_in(self, folder: str) -> list[str]:
        """The import packages directly in `folder` (sub-folders holding `__init__.py`)."""
        if not self.is_dir(folder):
            return []
        found = (entry.name for entry in (self.root / folder).iterdir() if entry.is_dir())
        return sorted(
            join(folder, name) for name in found if self.is_file(f"{folder}/{name}/__init__.py")
        )

    def _inside(self, path: str) -> bool:
        try:
            (self.root / path).resolve().relative_to(self._real_root)
        except ValueError:
            return False
        return True

    def named(self, folder: str, name: str, *, key: str) -> str:
        """The file a configuration `key` names, relative to `folder`; Refused unless it is a
        file inside the repository."""
        path = join(folder, name)
        if posixpath.isabs(name) or path == ".." or path.startswith("../"):
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, which is outside the repository.",
                hint="Name a file of the repository, relative to the project's folder.",
            )
        if not self._inside(path):
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, a link out of the repository.",
                hint="Name a file of the repository, relative to the project's folder.",
            )
        if not (self.root / path).is_file():
            raise Refused(
                f"{key} in pyproject.toml names {name!r}, which does not exist.",
                hint="Create it, or name the right file (relative to the project's folder).",
            )
        return path
