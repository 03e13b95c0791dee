"""Read a package index's project page over HTTP: PEP 691 JSON or PEP 503 HTML.

Runs in index.Asking's thread, imported there: what it imports is not paid by a release
that does not ask, and is kept small for one that does (a thread shares the interpreter's
lock): the GET by publish.http (urllib.request only behind a proxy), html.parser only for an
HTML page, file names read here.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from packaging.version import InvalidVersion, Version

from cutrelease.packages import canonical_name
from cutrelease.publish import http
from cutrelease.publish.listing import (
    DEADLINE,
    Answer,
    IndexFile,
    Kind,
    NotPublished,
    Published,
    Unanswered,
    shown,
)
from cutrelease.redact import redact

if TYPE_CHECKING:
    import urllib.request

JSON_TYPE = "application/vnd.pypi.simple.v1+json"  # PEP 691
HTML_TYPE = "application/vnd.pypi.simple.v1+html"  # PEP 691's name for PEP 503's page
#: PEP 691 content negotiation: JSON preferred, then HTML under either name.
ACCEPT = f"{JSON_TYPE}, {HTML_TYPE};q=0.2, text/html;q=0.01"
_JSON_TYPES = (JSON_TYPE, "application/vnd.pypi.simple.latest+json", "application/json")
_HTML_TYPES = (HTML_TYPE, "application/vnd.pypi.simple.latest+html", "text/html")

#: The archive endings of sdists, old and new (PEP 625 settles on .tar.gz; PyPI kept .zip).
_SDIST_ENDINGS = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar.Z", ".tar")
#: Other distributions an index may still list (eggs, installers): their names hold a version.
_OTHER_ENDINGS = (".egg", ".exe", ".msi", ".rpm", ".dmg", ".deb")


def fetch(url: str, name: str, *, timeout: float = DEADLINE) -> Answer:
    """GET the project page `url` (PEP 691 negotiation, redirects followed) and read it.

    `name`: the project's normalized name, to tell the right page from another. Blocks for up
    to `timeout` per network step; `ask` bounds the whole. Never raises for what the network
    or the index does: that is an Unanswered.
    """
    where = shown(url)
    plain, auth = _credentials(url)
    headers = {"Accept": ACCEPT, "User-Agent": _agent()}
    try:
        if http.proxied():  # urllib.request knows proxies; publish.http does not
            got = _through_urllib(plain, headers, auth, timeout)
        else:
            got = http.get(plain, headers, timeout=timeout, same_origin_headers=auth)
    except (OSError, http.NotHTTP) as exc:
        return Unanswered(where, _network_reason(exc, timeout))
    if got.status == 404 and not _simple_root(url):
        return Unanswered(where, NOT_A_SIMPLE_ROOT)
    if got.status == 404:
        return NotPublished(where)
    if not 200 <= got.status < 300:
        return Unanswered(where, f"HTTP {got.status} {got.reason}".strip())
    return read_page(got.body, got.headers, url=shown(got.url), name=name)


#: Why a 404 from an `index_url` whose path names no Simple API says nothing.
NOT_A_SIMPLE_ROOT = (
    "it answered 404, and index_url does not look like a Simple API root (…/simple/), "
    "where a 404 would mean never uploaded"
)


def _simple_root(url: str) -> bool:
    """Whether the project page `url` hangs below a path that names a Simple API ("simple",
    devpi's "+simple"): PyPI's, pypiserver's, devpi's, Artifactory's, GitLab's, CodeArtifact's
    and Azure Artifacts' all do. Only there is a 404 "this project was never uploaded"
    (PEP 503); elsewhere (https://pypi.org/NAME/) every project answers 404."""
    base = urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[0]
    return "simple" in base.lower()


def _credentials(url: str) -> tuple[str, dict[str, str] | None]:
    """`url` without its credentials, and them as an HTTP Basic Authorization header."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    import base64

    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return shown(url), {"Authorization": f"Basic {token}"}


def _agent() -> str:
    """Who asks, as an index's logs would like to know (no metadata look-up: it is slow)."""
    return f"cutrelease (Python {sys.version_info.major}.{sys.version_info.minor})"


def _through_urllib(
    url: str, headers: dict[str, str], auth: dict[str, str] | None, timeout: float
) -> http.Response:
    """http.get's answer, asked through urllib.request (which knows proxies)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    for key, value in (auth or {}).items():
        request.add_unredirected_header(key, value)
    opener = urllib.request.build_opener(_redirects(auth))
    try:
        with opener.open(request, timeout=timeout) as response:
            answered = {key.lower(): value for key, value in response.headers.items()}
            body = response.read()
            return http.Response(response.status, response.reason, answered, body, response.url)
    except urllib.error.HTTPError as exc:
        answered = {key.lower(): value for key, value in (exc.headers or {}).items()}
        return http.Response(exc.code, str(exc.reason), answered, b"", exc.geturl() or url)
    except urllib.error.URLError as exc:
        reason = exc.reason
        raise reason if isinstance(reason, OSError) else OSError(str(reason)) from None


def _redirects(auth: dict[str, str] | None) -> urllib.request.HTTPRedirectHandler:
    """urllib's redirects, plus 308 on Python 3.10, and the credentials kept only for the
    same scheme, host and port (an index that sends us elsewhere never gets them)."""
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            # 308 is 307 for a GET; Python 3.10's handler knows only the latter.
            code = 307 if code == 308 else code
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None and auth and http.same_origin(newurl, req.full_url):
                for key, value in auth.items():
                    new.add_unredirected_header(key, value)
            return new

        http_error_308 = urllib.request.HTTPRedirectHandler.http_error_302

    return Redirects()


def _network_reason(exc: BaseException, timeout: float) -> str:
    """Why the index could not be asked, in a few words a person understands."""
    reason: object = exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"the host name was not found (DNS: {reason.strerror or reason})"
    ssl = sys.modules.get("ssl")  # imported by whoever spoke TLS; else no TLS error here
    if ssl is not None and isinstance(reason, ssl.SSLCertVerificationError):
        return f"its TLS certificate was refused ({reason.verify_message or reason})"
    if ssl is not None and isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, http.NotHTTP):
        return f"it did not answer in HTTP ({reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return redact(str(reason)) or type(reason).__name__


# -- reading the answer ----------------------------------------------------------------------


class _Headers(Protocol):
    def get(self, name: str, /) -> str | None: ...


def read_page(body: bytes, headers: _Headers, *, url: str, name: str) -> Answer:
    """The Answer a 200 response holds: PEP 691 JSON or PEP 503 HTML, told by Content-Type.

    `name`: the project's normalized name. Anything else (another type, JSON that is not a
    Simple page, an HTML page that is no Simple page: a login page, a proxy's) is Unanswered.
    """
    kind, charset = _content_type(headers.get("content-type") or headers.get("Content-Type"))
    try:
        text = body.decode(charset, "replace")
    except LookupError:
        text = body.decode("utf-8", "replace")
    if kind in _JSON_TYPES:
        return _from_json(text, url=url, name=name)
    if kind in _HTML_TYPES:
        return _from_html(text, url=url, name=name)
    return Unanswered(url, f"it answered {kind}, not a Simple Repository page (PEP 503/691)")


def _content_type(value: str | None) -> tuple[str, str]:
    """The media type (lower case; text/plain when none is said, as RFC 9110 and email's
    Message.get_content_type have it) and the charset (utf-8 when none) of a Content-Type."""
    kind, *params = (value or "text/plain").split(";")
    charset = "utf-8"
    for param in params:
        key, _, found = param.partition("=")
        if key.strip().lower() == "charset" and found.strip().strip('"'):
            charset = found.strip().strip('"')
    kind = kind.strip().lower()
    return (kind if "/" in kind else "text/plain"), charset


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
    if isinstance(answered, str) and canonical_name(answered) != name:
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


class _Page(NamedTuple):
    """What an HTML project page says: its anchors (href, text, yanked), PEP 629's version
    meta, its title."""

    anchors: list[tuple[str, str, bool]]
    api: str | None
    title: str


def _read_html(text: str) -> _Page:
    """The anchors, PEP 629's version meta and the title of an HTML page (html.parser is
    imported here: an index that answers PEP 691's JSON, as PyPI does, never needs it)."""
    from html.parser import HTMLParser

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

    parser = _SimpleParser()
    parser.feed(text)
    parser.close()
    return _Page(parser.anchors, parser.api, parser.title)


def _from_html(text: str, *, url: str, name: str) -> Answer:
    """PEP 503's project page: one anchor per file, its text the file name; PEP 592's
    `data-yanked`; PEP 629's `pypi:repository-version` meta.

    A page is taken as a Simple page when it says so (the meta), is titled as PEP 503's
    examples and every index are ("Links for NAME"), or each of its anchors names a
    distribution file. Anything else (a captive portal's login page) is Unanswered.
    """
    parser = _read_html(text)
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
        version = _wheel_version(filename) or _legacy_version(filename, name)
        return IndexFile(filename, version, "wheel", yanked)
    kind: Kind = "sdist" if filename.endswith(_SDIST_ENDINGS) else "other"
    # The project's name read off first: a version may hold a "-" (`0.3.0-rc.1`), which
    # only the name tells from the separator; a file of another name (the project's old one)
    # is read by PEP 625's last "-".
    version = _legacy_version(filename, name) or _sdist_version(filename)
    return IndexFile(filename, version, kind, yanked)


# The file names are read here, not by packaging.utils' parse_*_filename: importing that
# module imports packaging.tags (logging, sysconfig, platform), which costs a release more
# than its whole question to the index. Only the version is wanted, and the PEPs say where.


def _wheel_version(filename: str) -> str | None:
    """The version of PEP 427's `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`
    (the name escaped: no "-" in it), in normal form; None if the file name is not so."""
    parts = filename[: -len(".whl")].split("-")
    return _normal(parts[1]) if len(parts) in (5, 6) else None


def _sdist_version(filename: str) -> str | None:
    """The version of an sdist's `{name}-{version}.tar.gz` (PEP 625; `.zip` before it), in
    normal form; None if the file name is not so."""
    for ending in (".tar.gz", ".zip"):
        if filename.endswith(ending):
            stem, _, version = filename[: -len(ending)].rpartition("-")
            return _normal(version) if stem else None
    return None


def _normal(version: str) -> str | None:
    try:
        return str(Version(version))
    except InvalidVersion:
        return None


def _legacy_version(filename: str, name: str) -> str | None:
    """The version in an older file name (`Widget-Pkg-0.2.0.tar.bz2`, `widget-0.2.0-py3.8.egg`,
    `widget-0.2.0.win32.exe`, `widget-0.3.0-rc.1.tar.gz`): all that follows the project's name
    when it is a PEP 440 version, as pip reads it (0.3.0rc1; `0.3.0-1` is 0.3.0.post1), else
    the part right after the name, trimmed of platform suffixes until it is one. None when
    there is none."""
    stem = filename
    for ending in (".whl", *_SDIST_ENDINGS, *_OTHER_ENDINGS):
        if stem.endswith(ending):
            stem = stem[: -len(ending)]
            break
    parts = stem.split("-")
    for cut in range(1, len(parts)):
        if canonical_name("-".join(parts[:cut])) != name:
            continue
        whole = _normal("-".join(parts[cut:]))
        if whole is not None:
            return whole
        candidate = parts[cut]
        while candidate:
            try:
                return str(Version(candidate))
            except InvalidVersion:
                candidate = candidate.rpartition(".")[0]
    return None
