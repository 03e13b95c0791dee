"""What a package index holds of a project: its files, and the three answers a question gets.

The values and URL rules of the Simple Repository API (PEP 503, PEP 691, PEP 700), below both
the question (index.py) and the page readers (simple.py), which import them from here.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Literal

from packaging.version import InvalidVersion, Version

from cutrelease.errors import Refused
from cutrelease.redact import redact

#: `[tool.cutrelease].index_url` unless set (SPEC section 5).
DEFAULT_URL = "https://pypi.org/simple/"
#: Seconds an index has to answer, all of it (connection, TLS, redirects, body): SPEC section 12.
DEADLINE = 5.0
#: The setting an `index_url` comes from, as error messages name it.
SETTING = "[tool.cutrelease].index_url"

#: A project name as PEP 508 (core metadata's `Name`) allows it, before PEP 503 normalizes it.
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)

Kind = Literal["sdist", "wheel", "other"]


@dataclass(frozen=True)
class IndexFile:
    """One file the index lists for the project.

    `version`: read from the file name (wheel: PEP 427's name; sdist: `name-version.tar.gz`),
    in PEP 440's normal form; None when no version can be read from it. `yanked`: PEP 592
    (`data-yanked` in HTML, `"yanked"` in PEP 691's JSON): a yanked file's name stays taken.
    """

    filename: str
    version: str | None
    kind: Kind
    yanked: bool


@dataclass(frozen=True)
class _Listing:
    """What the index holds of the project: its files and, where the index says (PEP 700's
    `versions`), every version ever uploaded."""

    url: str  # the page asked, without credentials
    files: tuple[IndexFile, ...] = ()
    listed_versions: tuple[str, ...] = ()

    def files_of(self, version: str) -> tuple[IndexFile, ...]:
        """The files of `version` (a PEP 440 version; 1.0 is 1.0.0, as PyPI reads them)."""
        wanted = Version(version)
        return tuple(file for file in self.files if _same(file.version, wanted))

    def has(self, version: str) -> bool:
        """Whether the index has `version`: any file of it, yanked or not, or PEP 700's list
        names it. Such a version is taken: an index never takes the same version twice."""
        wanted = Version(version)
        return bool(self.files_of(version)) or any(_same(v, wanted) for v in self.listed_versions)

    def versions(self) -> list[str]:
        """Every version the index has, oldest first (PEP 440 order), in normal form."""
        found = {Version(v) for v in self.listed_versions if _valid(v)}
        found.update(Version(file.version) for file in self.files if file.version)
        return [str(version) for version in sorted(found)]

    def missing(self, version: str) -> list[Kind]:
        """What a complete upload of `version` lacks: "sdist", "wheel" (neither: complete, the
        sdist and at least one wheel are there). Yanked files count: they were uploaded."""
        kinds = {file.kind for file in self.files_of(version)}
        wanted: list[Kind] = ["sdist", "wheel"]
        return [kind for kind in wanted if kind not in kinds]

    def complete(self, version: str) -> bool:
        """Whether the sdist and at least one wheel of `version` are on the index."""
        return not self.missing(version)


@dataclass(frozen=True)
class Published(_Listing):
    """The index has a page for the project (PEP 503 HTML or PEP 691 JSON): its files."""


@dataclass(frozen=True)
class NotPublished(_Listing):
    """The index answered 404 for the project: it was never uploaded there. No files."""


@dataclass(frozen=True)
class Unanswered:
    """The index could not be asked, or its answer was not a Simple page: `reason` says why
    ("no answer within 5 s", "HTTP 503", "the host name was not found (DNS)"...)."""

    url: str
    reason: str


Answer = Published | NotPublished | Unanswered


def _same(version: str | None, wanted: Version) -> bool:
    """Whether `version` is `wanted` under PEP 440 (1.0 == 1.0.0)."""
    return version is not None and _valid(version) and Version(version) == wanted


def _valid(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


# -- the question's address ------------------------------------------------------------------


def check_url(index_url: str, *, setting: str = SETTING) -> str:
    """`index_url` as the base of project pages: an http(s) URL with a host, ending in "/".

    Raises Refused naming `setting` for anything else (a path, ftp://, a typo), credentials
    removed from the message.
    """
    parts = urllib.parse.urlsplit(index_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Refused(
            f"{setting} must be an http:// or https:// URL, not {redact(index_url)!r}.",
            hint=f'Set it to your index\'s Simple API, as index_url = "{DEFAULT_URL}".',
        )
    base = urllib.parse.urlunsplit(parts._replace(query="", fragment=""))
    return base if base.endswith("/") else f"{base}/"


def normalized(name: str) -> str:
    """`name` as PEP 503 normalizes it for the index's URL (`Widget_Pkg` -> `widget-pkg`).

    Raises Refused when `name` is not a valid project name (PEP 508): no index lists it.
    """
    if not _NAME.match(name):
        raise Refused(
            f"[project].name {name!r} is not a valid project name (PEP 508: letters, digits, "
            "and . _ - between them); no package index can list it.",
        )
    return _PEP_503.sub("-", name).lower()


_PEP_503 = re.compile(r"[-_.]+")  # PEP 503's normalization: runs of - _ . are one -


def project_url(index_url: str, name: str) -> str:
    """The project's page: `{index_url}{normalized name}/` (PEP 503), credentials kept."""
    return f"{check_url(index_url)}{normalized(name)}/"


def shown(url: str) -> str:
    """`url` without the user and password it may hold: what messages may print."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


@dataclass(frozen=True)
class IndexSaid:
    """What the package index said of a release, as the dry run, the confirmation and --json
    show it: `state` is "free" (the new version is not there), "unpublished" (the project has
    no page: 404) or "unasked" (it could not be asked: `reason`)."""

    url: str  # the project's page, without credentials
    state: Literal["free", "unpublished", "unasked"]
    version: str
    versions: int = 0  # how many versions the index lists
    reason: str = ""

    def sentence(self) -> str:
        """One line for people."""
        if self.state == "unasked":
            return f"the package index could not be asked ({self.reason}): not checked"
        if self.state == "unpublished":
            return f"{self.url} has no files yet: {self.version} will be the first upload"
        return f"{self.version} is free on {self.url} ({self.versions} versions there)"

    def as_json(self) -> dict[str, object]:
        """The `index` key of --json."""
        return {
            "url": self.url,
            "state": self.state,
            "versions": self.versions,
            "reason": self.reason or None,
        }
