"""What a package index holds of a project: its files, and the three answers a question gets.

The values and URL rules of the Simple Repository API (PEP 503, PEP 691, PEP 700), below both
the question (index.py) and the page readers (simple.py), which import them from here.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from packaging.version import InvalidVersion, Version

from cutrelease.errors import Refused
from cutrelease.packages import canonical_name
from cutrelease.patterns import compiled
from cutrelease.redact import redact

#: `[tool.cutrelease].index_url` unless set (SPEC section 5).
DEFAULT_URL = "https://pypi.org/simple/"
#: Seconds an index has to answer, all of it (connection, TLS, redirects, body): SPEC section 12.
DEADLINE = 5.0
#: The setting an `index_url` comes from, as error messages name it.
SETTING = "[tool.cutrelease].index_url"

#: A project name as PEP 508 (core metadata's `Name`) allows it, before PEP 503 normalizes it.
_NAME = r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$"

Kind = Literal["sdist", "wheel", "other"]


class IndexFile(NamedTuple):
    """One file the index lists for the project.

    `version`: read from the file name (wheel: PEP 427's name; sdist: `name-version.tar.gz`),
    in PEP 440's normal form; None when no version can be read from it. `yanked`: PEP 592
    (`data-yanked` in HTML, `"yanked"` in PEP 691's JSON): a yanked file's name stays taken.
    """

    filename: str
    version: str | None
    kind: Kind
    yanked: bool


# A dataclass, not a NamedTuple as the other values (see lint.Problem): Published and
# NotPublished of the same page must not compare equal. No repr: it costs as much to make as
# the other methods, and no output of bump shows one.
@dataclass(frozen=True, repr=False)
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


# The two kinds of listing take _Listing's dataclass methods as they are (its __eq__ and
# __repr__ go by the class): decorating them again would only cost start-up time.
class Published(_Listing):
    """The index has a page for the project (PEP 503 HTML or PEP 691 JSON): its files."""


class NotPublished(_Listing):
    """The index answered 404 for the project: it was never uploaded there. No files."""


class Unanswered(NamedTuple):
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
    if not compiled(_NAME, re.IGNORECASE).match(name):
        raise Refused(
            f"[project].name {name!r} is not a valid project name (PEP 508: letters, digits, "
            "and . _ - between them); no package index can list it.",
        )
    return canonical_name(name)


def project_url(index_url: str, name: str) -> str:
    """The project's page: `{index_url}{normalized name}/` (PEP 503), credentials kept.

    Raises Refused for what check_url refuses, and for an `index_url` that is the project's
    own page (`.../simple/NAME/`): asked, its `NAME/` would be missing and the check would
    say the version is free, whatever the index holds.
    """
    base, project = check_url(index_url), normalized(name)
    above, _, last = base.rstrip("/").rpartition("/")
    if above.rpartition("/")[2].lower() in ("simple", "+simple") and _same_name(last, project):
        raise Refused(
            f"{SETTING} is the project's own page ({shown(base)}), not the index's root: "
            f"the index would be asked for {shown(base)}{project}/, which no index has.",
            hint=f'Set it to the index\'s root: index_url = "{shown(above)}/".',
        )
    return f"{base}{project}/"


def _same_name(segment: str, project: str) -> bool:
    """Whether a URL's path segment names the project (PEP 503 normalized, percent-decoded)."""
    return canonical_name(urllib.parse.unquote(segment)) == project


def shown(url: str) -> str:
    """`url` without the user and password it may hold: what messages may print."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def page_or_none(index_url: str, name: str | None) -> str | None:
    """The project's page (project_url) as messages show it, without credentials; None when
    there is none to name: no project name, or an `index_url` that is no http(s) URL (a setting
    that is not used, as when the index is not asked, refuses nothing)."""
    if not name:
        return None
    try:
        return shown(project_url(index_url, name))
    except Refused:
        return None


#: What the package index said of a version, in every `--json` (a release's `index`, bump
#: status's): "published" (the index has a file of it, yanked or not), "deleted" (PEP 700's
#: `versions` names it, but no file of it is left: an index never takes it again),
#: "not_published" (the index answered and has nothing of it), "unanswered" (it could not be
#: asked), "not_asked" (--offline, index_check = false).
State = Literal["published", "deleted", "not_published", "unanswered", "not_asked"]

#: How many versions a sentence names before it says how many more there are.
SHOWN_VERSIONS = 5


class IndexSaid(NamedTuple):
    """What the package index said of one version of a project, as the dry run, the
    confirmation, a release's and bump status's `--json` show it (one vocabulary: State).

    `state` is about the version, `project_listed` about the project: whether the index has a
    page of it at all (False: it answered 404, the version would be its first upload; None:
    not asked, or no answer). `files`: the version's files there; `versions`: every version
    the index has, oldest first (PEP 440 order).
    """

    url: str | None  # the project's page, without credentials (None: no name to ask by)
    state: State
    version: str
    project_listed: bool | None = None
    files: tuple[IndexFile, ...] = ()
    versions: tuple[str, ...] = ()
    reason: str = ""  # why it could not be asked, or was not

    @property
    def taken(self) -> bool:
        """Whether the version is taken there: published, or its files deleted (SPEC 12)."""
        return self.state in ("published", "deleted")

    def higher(self) -> list[str]:
        """The versions the index has above `version` (PEP 440 order), oldest first, that an
        installer would pick over it: a pre-release only above a pre-release (PEP 440:
        installers skip pre-releases unless asked)."""
        wanted = Version(self.version)
        return [
            other
            for other in self.versions
            if Version(other) > wanted
            and (wanted.is_prerelease or not Version(other).is_prerelease)
        ]

    def line(self) -> str | None:
        """The dry run's and the confirmation's `Index:` line; None when the index was not
        asked or did not answer (then the notes say so, if anything)."""
        if self.state in ("unanswered", "not_asked"):
            return None
        return self.sentence()

    def sentence(self) -> str:
        """One line for people."""
        if self.state == "unanswered":
            return f"the package index could not be asked ({self.reason}): not checked"
        if self.state == "not_asked":
            return f"the package index was not asked ({self.reason})"
        if self.state == "published":
            return f"{self.version} is on {self.url} already"
        if self.state == "deleted":
            return f"{self.version} was on {self.url}, its files deleted: it is taken for good"
        if not self.project_listed:
            return f"{self.url} has no files yet: {self.version} will be the first upload"
        return f"{self.version} is free on {self.url} (it has {some(self.versions)})"

    def as_json(self) -> dict[str, object]:
        """The `index` key of --json (a release's and bump status's)."""
        return {
            "url": self.url,
            "state": self.state,
            "project_listed": self.project_listed,
            "reason": self.reason or None,
            "files": [
                {"filename": f.filename, "version": f.version, "kind": f.kind, "yanked": f.yanked}
                for f in self.files
            ],
            "versions": list(self.versions),
        }


def some(found: Sequence[str], *, newest: int = SHOWN_VERSIONS) -> str:
    """Versions (oldest first) for a sentence: all of them, or the newest few and how many
    more there are (`0.3.0, 0.4.0, 1.0.0 and 4 older`); never fewer without saying so."""
    if len(found) <= newest:
        return ", ".join(found) or "no version"
    return f"{', '.join(found[-newest:])} and {len(found) - newest} older"


def said(
    answer: Answer | None, version: str, *, url: str | None = None, why: str = ""
) -> IndexSaid:
    """What `answer` (None: the index was not asked, `why`) says of `version`. `url`: the
    project's page, when not the one the answer came from (answer.url)."""
    if answer is None:
        return IndexSaid(url, "not_asked", version, reason=why)
    where = url or answer.url
    if isinstance(answer, Unanswered):
        return IndexSaid(where, "unanswered", version, reason=answer.reason)
    files = answer.files_of(version)
    state: State = "published" if files else "deleted" if answer.has(version) else "not_published"
    return IndexSaid(
        where,
        state,
        version,
        project_listed=isinstance(answer, Published),
        files=files,
        versions=tuple(answer.versions()),
    )


class IndexRefused(Refused):
    """Refused for what the package index said of the version (`said`): it has it already,
    or (a retract) it could not be asked. --json shows `said` as its `index`."""

    def __init__(self, said: IndexSaid, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.said = said
