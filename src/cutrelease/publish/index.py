"""Ask a package index which files of a project it holds (the Simple Repository API).

One GET of `{index_url}{normalized name}/`, asking for PEP 691's JSON first and PEP 503's HTML
as the fallback, in the same request (content negotiation). The standard library's urllib,
json and html.parser are enough: no HTTP client joins the runtime dependencies.

The answer is one of three values: `Published` (the files, yanked or not), `NotPublished`
(404: the project has never been uploaded) or `Unanswered` (the index could not be asked, or
answered something that is not a Simple page: why, in one phrase). It never raises for what
the network does; only a malformed `index_url` or project name is an error (Refused).
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from typing import Any, Literal

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from cutrelease.errors import Refused
from cutrelease.redact import redact

#: `[tool.cutrelease].index_url` unless set (SPEC section 5).
DEFAULT_URL = "https://pypi.org/simple/"
#: Seconds an index has to answer, all of it (connection, TLS, redirects, body): SPEC section 12.
DEADLINE = 5.0
#: The setting an `index_url` comes from, as error messages name it.
SETTING = "[tool.cutrelease].index_url"

JSON_TYPE = "application/vnd.pypi.simple.v1+json"  # PEP 691
HTML_TYPE = "application/vnd.pypi.simple.v1+html"  # PEP 691's name for PEP 503's page
#: PEP 691 content negotiation: JSON preferred, then HTML under either name.
ACCEPT = f"{JSON_TYPE}, {HTML_TYPE};q=0.2, text/html;q=0.01"
_JSON_TYPES = (JSON_TYPE, "application/vnd.pypi.simple.latest+json", "application/json")
_HTML_TYPES = (HTML_TYPE, "application/vnd.pypi.simple.latest+html", "text/html")

#: A project name as PEP 508 (core metadata's `Name`) allows it, before PEP 503 normalizes it.
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
#: The archive endings of sdists, old and new (PEP 625 settles on .tar.gz; PyPI kept .zip).
_SDIST_ENDINGS = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar.Z", ".tar")
#: Other distributions an index may still list (eggs, installers): their names hold a version.
_OTHER_ENDINGS = (".egg", ".exe", ".msi", ".rpm", ".dmg", ".deb")

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
    return canonicalize_name(name)


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


# -- asking ----------------------------------------------------------------------------------


class Asking:
    """A question to the index already on its way; `result()` waits for the answer.

    The question runs in a thread of its own, so the git questions (gitrepo.Pending) run
    meanwhile. `result()` waits at most until `deadline` seconds after the question started:
    an index that hangs costs the deadline, one that answers after a second costs that second.
    """

    def __init__(self, url: str, name: str, deadline: float) -> None:
        self.url = shown(url)
        self.deadline = deadline
        self._started = time.monotonic()
        self._answer: Answer | None = None
        # A daemon: an index that never answers must not keep bump from exiting.
        self._thread = threading.Thread(
            target=self._ask, args=(url, canonicalize_name(name)), daemon=True
        )
        self._thread.start()

    def _ask(self, url: str, name: str) -> None:
        try:
            self._answer = fetch(url, name, timeout=self.deadline)
        except Exception as exc:  # an answer, never a crash in a thread nobody watches
            self._answer = Unanswered(self.url, redact(f"{type(exc).__name__}: {exc}"))

    def result(self) -> Answer:
        """The index's answer, or Unanswered once the deadline has passed."""
        self._thread.join(max(0.0, self._started + self.deadline - time.monotonic()))
        answer = self._answer
        if answer is None:
            return Unanswered(self.url, f"no answer within {self.deadline:g} s")
        return answer


def ask(index_url: str, name: str, *, deadline: float = DEADLINE) -> Asking:
    """Start asking the index at `index_url` which files of project `name` it has.

    In: the index's Simple API base (may hold credentials: `https://user:token@host/simple/`;
    they are sent as HTTP Basic authentication, never shown) and the project's name as
    `[project].name` writes it (normalized here, PEP 503). Out: an Asking, whose `result()` is
    the Answer within `deadline` seconds. Raises Refused at once for a bad `index_url` (naming
    the setting) or an invalid project name.
    """
    return Asking(project_url(index_url, name), name, deadline)


def fetch(url: str, name: str, *, timeout: float = DEADLINE) -> Answer:
    """GET the project page `url` (PEP 691 negotiation, redirects followed) and read it.

    `name`: the project's normalized name, to tell the right page from another. Blocks for up
    to `timeout` per network step; `ask` bounds the whole. Never raises for what the network
    or the index does: that is an Unanswered.
    """
    where = shown(url)
    request, auth = _request(url)
    opener = urllib.request.build_opener(_Redirects(auth))
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
            headers = response.headers
            final = shown(response.geturl())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return NotPublished(where)
        return Unanswered(where, f"HTTP {exc.code} {exc.reason}".strip())
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        return Unanswered(where, _network_reason(exc, timeout))
    return read_page(body, headers, url=final, name=name)


def _request(url: str) -> tuple[urllib.request.Request, str | None]:
    """The GET of `url`, its credentials moved from the URL into an Authorization header."""
    parts = urllib.parse.urlsplit(url)
    auth = None
    if parts.username is not None or parts.password is not None:
        user = urllib.parse.unquote(parts.username or "")
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        auth = f"Basic {token}"
        url = shown(url)
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": _agent()})
    if auth is not None:
        request.add_unredirected_header("Authorization", auth)
    return request, auth


def _agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"cutrelease/{version('cutrelease')}"
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "cutrelease"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, plus 308 on Python 3.10, and the credentials kept only for the
    same scheme, host and port (an index that sends us elsewhere never gets them)."""

    def __init__(self, auth: str | None) -> None:
        super().__init__()
        self.auth = auth

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        # 308 is 307 for a GET; Python 3.10's handler knows only the latter.
        new = super().redirect_request(req, fp, 307 if code == 308 else code, msg, headers, newurl)
        if new is not None and self.auth is not None and _origin(newurl) == _origin(req.full_url):
            new.add_unredirected_header("Authorization", self.auth)
        return new

    http_error_308 = urllib.request.HTTPRedirectHandler.http_error_302


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), parts.hostname, parts.port or default


def _network_reason(exc: BaseException, timeout: float) -> str:
    """Why the index could not be asked, in a few words a person understands."""
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"the host name was not found (DNS: {reason.strerror or reason})"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its TLS certificate was refused ({reason.verify_message or reason})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, http.client.HTTPException) and not isinstance(reason, OSError):
        return f"it did not answer in HTTP ({type(reason).__name__})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return redact(str(reason)) or type(reason).__name__


# -- reading the answer ----------------------------------------------------------------------


def read_page(body: bytes, headers: Message, *, url: str, name: str) -> Answer:
    """The Answer a 200 response holds: PEP 691 JSON or PEP 503 HTML, told by Content-Type.

    `name`: the project's normalized name. Anything else (another type, JSON that is not a
    Simple page, an HTML page that is no Simple page: a login page, a proxy's) is Unanswered.
    """
    kind = headers.get_content_type()
    charset = headers.get_content_charset() or "utf-8"
    try:
        text = body.decode(charset, "replace")
    except LookupError:
        text = body.decode("utf-8", "replace")
    if kind in _JSON_TYPES:
        return _from_json(text, url=url, name=name)
    if kind in _HTML_TYPES:
        return _from_html(text, url=url, name=name)
    return Unanswered(url, f"it answered {kind}, not a Simple Repository page (PEP 503/691)")


def _from_json(text: str, *, url: str, name: str) -> Answer:
    """PEP 691's project page: {"meta": {"api-version": "1.x"}, "name", "files": [...]}; PEP
    700 adds "versions" (api-version 1.1)."""
    garbage = Unanswered(url, "it answered JSON that is not a Simple Repository page (PEP 691)")
    try:
        page = json.loads(text)
    except ValueError:
        return garbage
    if not isinstance(page, dict) or not isinstance(page.get("files"), list):
        return garbage
    meta = page.get("meta")
    api = meta.get("api-version") if isinstance(meta, dict) else None
    if not isinstance(api, str):
        return garbage
    unknown = _unknown_api(api, url)
    if unknown is not None:
        return unknown
    answered = page.get("name")
    if isinstance(answered, str) and canonicalize_name(answered) != name:
        return Unanswered(url, f"it answered for the project {answered!r}, not {name!r}")
    files: list[IndexFile] = []
    for entry in page["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("filename"), str):
            return garbage
        # PEP 691: true, or a string (the reason, possibly empty), marks a yanked file.
        yanked = entry.get("yanked", False) is True or isinstance(entry.get("yanked"), str)
        files.append(_file(entry["filename"], name, yanked=yanked))
    versions = page.get("versions", [])
    if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
        return garbage
    return Published(url, tuple(files), tuple(versions))


def _unknown_api(api: str, url: str) -> Unanswered | None:
    """PEP 629: a client refuses an API major version it does not know (1 is known)."""
    major = api.split(".", 1)[0].strip()
    if major == "1":
        return None
    return Unanswered(url, f"it speaks Simple API version {api}, which cutrelease does not know")


class _SimpleParser(HTMLParser):
    """The anchors (href, text, data-yanked) and PEP 629's version meta of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str, bool]] = []  # (href, text, yanked)
        self.api: str | None = None
        self.title = ""
        self._anchor: tuple[str, bool] | None = None
        self._text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: Mapping[str, str | None] = dict(attrs)
        if tag == "a":
            self._close_anchor()
            self._anchor = (found.get("href") or "", "data-yanked" in found)
            self._text = []
        elif tag == "meta" and found.get("name") == "pypi:repository-version":
            self.api = found.get("content") or ""
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close_anchor()
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._text.append(data)
        if self._in_title:
            self.title += data

    def close(self) -> None:
        super().close()
        self._close_anchor()

    def _close_anchor(self) -> None:
        if self._anchor is not None:
            href, yanked = self._anchor
            self.anchors.append((href, "".join(self._text).strip(), yanked))
            self._anchor = None


def _from_html(text: str, *, url: str, name: str) -> Answer:
    """PEP 503's project page: one anchor per file, its text the file name; PEP 592's
    `data-yanked`; PEP 629's `pypi:repository-version` meta.

    A page is taken as a Simple page when it says so (the meta), is titled as PEP 503's
    examples and every index are ("Links for NAME"), or each of its anchors names a
    distribution file. Anything else (a captive portal's login page) is Unanswered.
    """
    parser = _SimpleParser()
    parser.feed(text)
    parser.close()
    if parser.api is not None:
        unknown = _unknown_api(parser.api, url)
        if unknown is not None:
            return unknown
    files = []
    for href, anchor_text, yanked in parser.anchors:
        # PEP 503: the anchor's text is the file name, the final path segment of its URL.
        filename = anchor_text or urllib.parse.unquote(
            urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1]
        )
        files.append((filename, yanked))
    is_simple = (
        parser.api is not None
        or parser.title.strip().lower().startswith("links for")
        or (bool(files) and all(_is_distribution(filename) for filename, _ in files))
    )
    if not is_simple:
        return Unanswered(url, "it answered an HTML page that is not a Simple Repository page")
    return Published(url, tuple(_file(f, name, yanked=y) for f, y in files))


def _is_distribution(filename: str) -> bool:
    return filename.endswith((".whl", *_SDIST_ENDINGS, *_OTHER_ENDINGS))


def _file(filename: str, name: str, *, yanked: bool) -> IndexFile:
    """An IndexFile, its kind and version read from its name (`name`: the project's)."""
    if filename.endswith(".whl"):
        try:
            return IndexFile(filename, str(parse_wheel_filename(filename)[1]), "wheel", yanked)
        except (InvalidWheelFilename, InvalidVersion):
            return IndexFile(filename, _legacy_version(filename, name), "wheel", yanked)
    kind: Kind = "sdist" if filename.endswith(_SDIST_ENDINGS) else "other"
    try:
        return IndexFile(filename, str(parse_sdist_filename(filename)[1]), kind, yanked)
    except (InvalidSdistFilename, InvalidVersion):
        return IndexFile(filename, _legacy_version(filename, name), kind, yanked)


def _legacy_version(filename: str, name: str) -> str | None:
    """The version in an older file name (`Widget-Pkg-0.2.0.tar.bz2`, `widget-0.2.0-py3.8.egg`,
    `widget-0.2.0.win32.exe`): the part after the project's name, trimmed of platform
    suffixes until it is a PEP 440 version. None when there is none."""
    stem = filename
    for ending in (".whl", *_SDIST_ENDINGS, *_OTHER_ENDINGS):
        if stem.endswith(ending):
            stem = stem[: -len(ending)]
            break
    parts = stem.split("-")
    for cut in range(1, len(parts)):
        if canonicalize_name("-".join(parts[:cut])) != name:
            continue
        candidate = parts[cut]
        while candidate:
            if _valid(candidate):
                return str(Version(candidate))
            candidate = candidate.rpartition(".")[0]
    return None
