"""Real package indexes on 127.0.0.1 for the tests: pypiserver, and a small server of our own.

`pypi`: a real pypiserver (from PyPI) serving a folder of real sdists and wheels, never falling
back to pypi.org. `index_server`: an http.server of our own for what pypiserver does not do:
PEP 691 JSON, yanked files, slow and hanging answers, 5xx, garbage, pages that change while
`bump status --wait` asks. Both start once per test session (per xdist worker).

Use them with `pytest_plugins = ["indexes"]` in a test module.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

JSON_TYPE = "application/vnd.pypi.simple.v1+json"


# -- real distribution files -----------------------------------------------------------------


def _metadata(name: str, version: str) -> str:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"


def write_wheel(folder: Path, name: str, version: str) -> Path:
    """A valid pure-Python wheel of `name` `version` (PEP 427: METADATA, WHEEL, RECORD)."""
    dist = name.replace("-", "_").replace(".", "_")
    info = f"{dist}-{version}.dist-info"
    path = folder / f"{dist}-{version}-py3-none-any.whl"
    members = {
        f"{dist}/__init__.py": f'__version__ = "{version}"\n',
        f"{info}/METADATA": _metadata(name, version),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = "".join(f"{member},,\n" for member in members) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as wheel:
        for member, text in {**members, f"{info}/RECORD": record}.items():
            wheel.writestr(member, text)
    return path


def write_sdist(folder: Path, name: str, version: str) -> Path:
    """A valid sdist of `name` `version` (PEP 625's name; PKG-INFO and pyproject.toml)."""
    dist = name.replace("-", "_").replace(".", "_")
    path = folder / f"{dist}-{version}.tar.gz"
    pyproject = f'[project]\nname = "{name}"\nversion = "{version}"\n'
    with tarfile.open(path, "w:gz") as sdist:
        for member, text in {
            "PKG-INFO": _metadata(name, version),
            "pyproject.toml": pyproject,
        }.items():
            data = text.encode()
            entry = tarfile.TarInfo(f"{dist}-{version}/{member}")
            entry.size = len(data)
            sdist.addfile(entry, io.BytesIO(data))
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- pypiserver ------------------------------------------------------------------------------


@dataclass
class Pypi:
    """A running pypiserver: its Simple API base URL and the folder it serves (read anew on
    each request: a file put there is listed at once)."""

    url: str
    folder: Path

    def add(self, name: str, version: str, *, sdist: bool = True, wheel: bool = True) -> None:
        if sdist:
            write_sdist(self.folder, name, version)
        if wheel:
            write_wheel(self.folder, name, version)


@pytest.fixture(scope="session")
def pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pypi]:
    """A real pypiserver on 127.0.0.1, with no fallback to pypi.org, for the whole session."""
    folder = tmp_path_factory.mktemp("pypi-packages")
    log = tmp_path_factory.mktemp("pypi-log") / "pypiserver.log"
    for _ in range(3):  # the free port may be taken between asking and binding: try another
        port = free_port()
        command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port)]
        command += ["-a", ".", "-P", ".", "--disable-fallback", "--hash-algo", "sha256"]
        with log.open("wb") as sink:
            server = subprocess.Popen([*command, str(folder)], stdout=sink, stderr=sink)
        url = f"http://127.0.0.1:{port}/simple/"
        if _wait_until_up(url, server):
            break
        server.kill()
        server.wait()
    else:
        pytest.fail(f"pypiserver did not start: {log.read_text(errors='replace')}")
    try:
        yield Pypi(url, folder)
    finally:
        server.terminate()
        server.wait(10)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.05)
    return False


# -- a server of our own ---------------------------------------------------------------------


@dataclass
class Page:
    """One answer: status, Content-Type, body; `delay` seconds before it; `hang`: never."""

    body: bytes = b""
    content_type: str = "text/html"
    status: int = 200
    delay: float = 0.0
    hang: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    """A request the server received: its path and headers."""

    path: str
    headers: dict[str, str]


class IndexServer:
    """A threaded http.server whose answers each test sets, under a prefix of its own."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[], Page]] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append(Seen(self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                page = route() if route else Page(b"not found", "text/plain", 404)
                if page.hang:
                    server.stop.wait(60)
                    return
                time.sleep(page.delay)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for key, value in page.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have given up
                    self.wfile.write(page.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def base(self, host: str = "127.0.0.1") -> str:
        """A fresh Simple API base URL (its own prefix: tests never see each other's pages)."""
        return f"http://{host}:{self.port}/{uuid.uuid4().hex}/simple/"

    def serve(self, url: str, page: Page | Callable[[], Page]) -> None:
        """Answer GET `url` (a full URL on this server) with `page` (or what it returns)."""
        path = "/" + url.split("/", 3)[3]
        self.routes[path] = page if callable(page) else (lambda: page)

    def requests(self, url: str) -> list[Seen]:
        """The requests received for `url`."""
        path = "/" + url.split("/", 3)[3]
        return [seen for seen in self.seen if seen.path == path]

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def index_server() -> Iterator[IndexServer]:
    """Our own index server on 127.0.0.1, for the whole session."""
    server = IndexServer()
    try:
        yield server
    finally:
        server.close()


def json_page(
    name: str, files: list[dict[str, object]], *, versions: list[str] | None = None
) -> Page:
    """A PEP 691 project page (api-version 1.1 with PEP 700's versions when given)."""
    meta = {"api-version": "1.1" if versions is not None else "1.0"}
    page: dict[str, object] = {"meta": meta, "name": name, "files": files}
    if versions is not None:
        page["versions"] = versions
    return Page(json.dumps(page).encode(), JSON_TYPE)


def json_file(filename: str, **extra: object) -> dict[str, object]:
    """A file entry of a PEP 691 page."""
    return {"filename": filename, "url": f"../../files/{filename}", "hashes": {}, **extra}


def html_page(name: str, anchors: list[str]) -> Page:
    """A PEP 503 project page from its anchors (`<a ...>file</a>` each)."""
    links = "\n".join(f"    {anchor}<br/>" for anchor in anchors)
    body = (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta name="pypi:repository-version" content="1.0">\n'
        f"    <title>Links for {name}</title>\n  </head>\n  <body>\n"
        f"    <h1>Links for {name}</h1>\n{links}\n  </body>\n</html>\n"
    )
    return Page(body.encode(), "text/html; charset=utf-8")
