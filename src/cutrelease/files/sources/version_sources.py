"""What `find_places` answers: the current version, its places, and their new texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError
from cutrelease.files.sources.base import Kind, Place, Source
from cutrelease.files.sources.edits import assert_only_versions_changed


class Change(NamedTuple):
    """One file's whole text before and after the release (the plan's FileEdit, as text)."""

    path: str
    before: str
    after: str


class VersionSources(NamedTuple):
    """The current version, its source, and every place a release moves it."""

    source: Source
    places: tuple[Place, ...]  # the source's place first, then uv.lock, copies, listed files
    texts: Mapping[str, str]  # each place's file as read

    @property
    def version(self) -> str:
        return self.source.version

    def without(self, paths: Sequence[str]) -> VersionSources:
        """These places but those in `paths` (a uv.lock git does not track, say)."""
        kept = tuple(place for place in self.places if place.path not in paths)
        return self._replace(places=kept)

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def paths(self) -> list[str]:
        """The files a release writes for the version, each once, in the order of `places`."""
        return list(dict.fromkeys(place.path for place in self.places))

    def disagreements(self) -> list[FileFormatError]:
        """Each place whose version is not the current one, as the refusal it leads to."""
        return [
            (place.disagreement or disagreement)(place, self.source)
            for place in self.places
            if not versions.same_release(place.version, self.version)
        ]

    def check(self) -> None:
        """Refuse (the first disagreement) unless every place holds the current version."""
        problems = self.disagreements()
        if problems:
            raise problems[0]

    def changes(self, new: str) -> list[Change]:
        """Every file's new text with the version `new` (written in normal form).

        Refused when a place disagrees (`check`). Each result is checked to differ from its
        file only in the version's characters.
        """
        self.check()
        written = versions.normal(new)
        by_path: dict[str, list[Place]] = {}
        for place in self.places:
            by_path.setdefault(place.path, []).append(place)
        result = []
        for path, places in by_path.items():
            before = text = self.texts[path]
            for place in sorted(places, key=lambda p: p.start, reverse=True):
                text = place.edit(text, written)  # splices last to first, tomlkit's after
            assert_only_versions_changed(before, text, places, written, path=path)
            result.append(Change(path, before, text))
        return result


def disagreement(place: Place, source: Source) -> FileFormatError:
    """The refusal of a place that holds another version than the source's."""
    current = source.version
    return FileFormatError(
        place.path,
        f"{place.what} is {place.version}, but the version is {current} ({source.where}).",
        line=place.line,
        hint=f"Set it to {current}, then release.",
    )
