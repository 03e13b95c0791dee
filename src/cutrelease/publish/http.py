"""One HTTP/1.1 GET, over the standard library's socket (and ssl for https), redirects followed.

Why not urllib.request: importing it (with http.client, email, hashlib, tempfile and base64)
costs more CPU than a release's whole question to the package index, and the question runs
in a thread that shares the interpreter's lock with the release (benchmarks/bench.py, the
index goal). A GET of one page needs little: a request line, a few headers, the status,
the headers and the body (by Content-Length, chunked, or to the end), and redirects. What it
does not do, urllib.request still does: simple.fetch uses it behind a proxy (`proxied`).

TLS is the standard library's default context (certificates verified against the system's,
host name checked), as urllib.request's. Credentials are sent as an Authorization header
only to the origin they were given for (the caller's `same_origin_headers`).
"""

from __future__ import annotations

import os
import socket
import urllib.parse
from collections.abc import Mapping
from io import BufferedReader
from typing import NamedTuple

#: The redirects followed before the last one is the answer (urllib.request's limit).
MAX_REDIRECTS = 10
_REDIRECTS = (301, 302, 303, 307, 308)
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


class Response(NamedTuple):
    """The final answer: status, reason phrase, headers (names in lower case), body, and the
    URL that gave it (after redirects)."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    url: str


class NotHTTP(Exception):
    """What came back is not an HTTP/1.x answer."""


def proxied() -> bool:
    """Whether a proxy is configured in the environment (as urllib.request.getproxies reads
    it: http_proxy, https_proxy, all_proxy, in either case)."""
    return any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES)


def get(
    url: str,
    headers: Mapping[str, str],
    *,
    timeout: float,
    same_origin_headers: Mapping[str, str] | None = None,
) -> Response:
    """GET `url` with `headers` (and `same_origin_headers` while on `url`'s scheme, host and
    port), following redirects; the answer, whatever its status (a redirect past
    MAX_REDIRECTS is the answer too).

    `timeout` bounds each network step (connect, each read), as urllib.request's does. Raises
    OSError (socket.timeout, socket.gaierror, ssl.SSLError, ConnectionRefusedError...) for
    what the network does, NotHTTP for an answer that is not HTTP.
    """
    first = url
    for _ in range(MAX_REDIRECTS + 1):
        sent = dict(headers)
        if same_origin_headers and same_origin(url, first):
            sent.update(same_origin_headers)
        response = _once(url, sent, timeout)
        location = response.headers.get("location")
        if response.status not in _REDIRECTS or not location:
            return response
        url = urllib.parse.urljoin(url, location)
    return response


def same_origin(first: str, second: str) -> bool:
    """Whether two URLs have the same scheme, host and port (RFC 6454's origin)."""
    return _origin(first) == _origin(second)


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), parts.hostname, parts.port or default


def _once(url: str, headers: Mapping[str, str], timeout: float) -> Response:
    """One request and its answer, on a connection of its own (closed after)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise NotHTTP(f"{scheme or 'no'} URL")
    port = parts.port or (443 if scheme == "https" else 80)
    host = parts.hostname
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    authority = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        authority += f":{parts.port}"
    lines = [f"GET {target} HTTP/1.1", f"Host: {authority}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += ["Accept-Encoding: identity", "Connection: close", "", ""]
    # An ASCII host name goes to getaddrinfo and to ssl as bytes: given a str, each encodes
    # it with the "idna" codec, whose import (encodings.idna, stringprep, unicodedata) costs
    # more CPU than the rest of the GET. An internationalized name goes as str, for them to
    # encode as they do.
    address: str | bytes = host.encode("ascii") if host.isascii() else host
    # typeshed writes create_connection's host as str; it passes it to getaddrinfo as is,
    # which takes bytes too (the socket module's documentation of getaddrinfo).
    sock = socket.create_connection((address, port), timeout=timeout)  # type: ignore[arg-type]
    try:
        if scheme == "https":
            import ssl  # here: a plain http index (a local one) never pays for it

            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=address)
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        return _read(sock.makefile("rb"), url)
    finally:
        sock.close()


def _read(stream: BufferedReader, url: str) -> Response:
    """The status line, headers and body read from the connection's `stream`."""
    with stream:
        status_line = stream.readline(65537).decode("latin-1")
        version, _, rest = status_line.partition(" ")
        code, _, reason = rest.partition(" ")
        if not version.startswith("HTTP/1.") or not code.isdigit():
            raise NotHTTP("not an HTTP/1.x status line")
        headers: dict[str, str] = {}
        while True:
            line = stream.readline(65537).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, colon, value = line.partition(":")
            if not colon:
                raise NotHTTP("a header line without a colon")
            key = name.strip().lower()
            # Repeated headers join with a comma (RFC 9110, 5.3); a page sends one of each.
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = _chunks(stream)
        elif headers.get("content-length", "").strip().isdigit():
            length = int(headers["content-length"])
            body = stream.read(length)
            if len(body) < length:
                raise NotHTTP("the answer ended before its Content-Length")
        else:
            body = stream.read()
    return Response(int(code), reason.strip(), headers, body, url)


def _chunks(stream: BufferedReader) -> bytes:
    """A chunked body (RFC 9112, 7.1): each chunk's size in hex, its bytes, then a 0."""
    parts: list[bytes] = []
    while True:
        size_line = stream.readline(65537).split(b";", 1)[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise NotHTTP("a chunk size that is not hexadecimal") from None
        if size == 0:
            while stream.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields
            return b"".join(parts)
        chunk = stream.read(size)
        if len(chunk) < size:
            raise NotHTTP("the answer ended inside a chunk")
        parts.append(chunk)
        stream.readline(65537)  # the CRLF after the chunk
