"""publish/index: what a package index holds of a project, asked over real HTTP on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import time
from email.message import Message

import pytest
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    html_page,
    index_server,
    json_file,
    json_page,
    pypi,
)

from cutrelease.errors import Refused
from cutrelease.publish import index, simple

__all__ = ["index_server", "pypi"]  # fixtures, used by name


def test_pypiserver_lists_a_released_version(pypi: Pypi) -> None:
    pypi.add("lister", "0.1.0", wheel=False)
    pypi.add("lister", "0.2.0")
    answer = index.ask(pypi.url, "lister").result()
    assert isinstance(answer, index.Published)
    assert answer.url == f"{pypi.url}lister/"
    assert answer.versions() == ["0.1.0", "0.2.0"]
    assert answer.has("0.2.0") and answer.has("0.2") and not answer.has("0.2.1")
    assert answer.complete("0.2.0")
    assert answer.missing("0.1.0") == ["wheel"]
    assert answer.missing("0.3.0") == ["sdist", "wheel"]
    assert sorted(f.filename for f in answer.files_of("0.2.0")) == [
        "lister-0.2.0-py3-none-any.whl",
        "lister-0.2.0.tar.gz",
    ]
    assert {f.kind for f in answer.files_of("0.2.0")} == {"sdist", "wheel"}
    assert not any(f.yanked for f in answer.files)


def test_a_project_never_uploaded_is_not_published(pypi: Pypi) -> None:
    answer = index.ask(pypi.url, "never-uploaded").result()
    assert answer == index.NotPublished(f"{pypi.url}never-uploaded/")
    assert not answer.has("0.1.0") and answer.versions() == []


def test_the_name_is_normalized_as_pep_503_says(pypi: Pypi) -> None:
    pypi.add("Widget_Pkg", "1.0.0")  # files named widget_pkg-1.0.0...
    assert index.project_url(pypi.url, "Widget_Pkg") == f"{pypi.url}widget-pkg/"
    assert index.project_url(pypi.url, "widget.pkg") == f"{pypi.url}widget-pkg/"
    for name in ("Widget_Pkg", "widget.pkg", "WIDGET--pkg"):
        answer = index.ask(pypi.url, name).result()
        assert isinstance(answer, index.Published), answer
        assert answer.url.endswith("/widget-pkg/")
        assert answer.versions() == ["1.0.0"]


def test_an_index_url_without_its_final_slash(pypi: Pypi) -> None:
    pypi.add("slashless", "1.0.0")
    answer = index.ask(pypi.url.rstrip("/"), "slashless").result()
    assert isinstance(answer, index.Published) and answer.has("1.0.0")


def test_json_is_asked_first_and_read(index_server: IndexServer) -> None:
    base = index_server.base()
    page = json_page(
        "json-pkg",
        [
            json_file("json_pkg-0.1.0.tar.gz", yanked=True),
            json_file("json_pkg-0.1.0-py3-none-any.whl", yanked="broken build"),
            json_file("json_pkg-0.2.0.tar.gz", yanked=False),
            json_file("json_pkg-0.2.0-py3-none-any.whl"),
        ],
    )
    index_server.serve(f"{base}json-pkg/", page)
    answer = index.ask(base, "JSON_pkg").result()
    assert isinstance(answer, index.Published)
    accept = index_server.requests(f"{base}json-pkg/")[0].headers["Accept"]
    assert accept.startswith("application/vnd.pypi.simple.v1+json,")
    assert "text/html;q=" in accept
    assert [(f.filename, f.yanked) for f in answer.files] == [
        ("json_pkg-0.1.0.tar.gz", True),
        ("json_pkg-0.1.0-py3-none-any.whl", True),
        ("json_pkg-0.2.0.tar.gz", False),
        ("json_pkg-0.2.0-py3-none-any.whl", False),
    ]
    # A yanked file's version is still taken (PEP 592): an index never takes it twice.
    assert answer.has("0.1.0") and answer.complete("0.1.0")


def test_pep_700_versions_count_even_without_files(index_server: IndexServer) -> None:
    base = index_server.base()
    page = json_page("seven", [json_file("seven-1.0.tar.gz")], versions=["0.9", "1.0", "1.1rc1"])
    index_server.serve(f"{base}seven/", page)
    answer = index.ask(base, "seven").result()
    assert isinstance(answer, index.Published)
    assert answer.versions() == ["0.9", "1.0", "1.1rc1"]
    assert answer.has("1.1.0rc1") and answer.files_of("1.1rc1") == ()


def test_html_with_yanked_files(index_server: IndexServer) -> None:
    base = index_server.base()
    anchors = [
        '<a href="../../f/yank-0.1.0.tar.gz#sha256=00" data-yanked="">yank-0.1.0.tar.gz</a>',
        '<a href="../../f/yank-0.1.0-py3-none-any.whl" data-yanked="bad">'
        "yank-0.1.0-py3-none-any.whl</a>",
        '<a href="../../f/yank-0.2.0.tar.gz" data-requires-python="&gt;=3.8">yank-0.2.0.tar.gz</a>',
    ]
    index_server.serve(f"{base}yank/", html_page("yank", anchors))
    answer = index.ask(base, "yank").result()
    assert isinstance(answer, index.Published)
    assert [(f.filename, f.version, f.yanked) for f in answer.files] == [
        ("yank-0.1.0.tar.gz", "0.1.0", True),
        ("yank-0.1.0-py3-none-any.whl", "0.1.0", True),
        ("yank-0.2.0.tar.gz", "0.2.0", False),
    ]
    assert answer.missing("0.2.0") == ["wheel"]


@pytest.mark.parametrize(
    ("filename", "version", "kind"),
    [
        ("widget-1.0.tar.gz", "1.0", "sdist"),
        ("Widget-Pkg-2.0.0.tar.gz", "2.0.0", "sdist"),
        ("widget_pkg-2.0.0.post1.zip", "2.0.0.post1", "sdist"),
        ("widget_pkg-2.0.0-1-cp311-cp311-manylinux_2_17_x86_64.whl", "2.0.0", "wheel"),
        ("widget_pkg-2.0.0rc1-py3-none-any.whl", "2.0.0rc1", "wheel"),
        (
            "widget_pkg-2.0.0-RC1-py3-none-any.whl",
            "2.0.0",
            "wheel",
        ),  # not PEP 427
        ("widget-pkg-1.5.tar.bz2", "1.5", "sdist"),
        ("widget_pkg-1.5-py2.7.egg", "1.5", "other"),
        ("widget-pkg-1.5.win32.exe", "1.5", "other"),
        ("widget-pkg-1.0.ALPHA.tar.gz", "1.0a0", "sdist"),  # PEP 440's normal form
        # A version with a "-", as pip reads it after the project's name (a hunt's report,
        # python-semver#218): not the first part of it, nor the part after the last "-".
        ("widget-pkg-0.3.0-rc.1.tar.gz", "0.3.0rc1", "sdist"),
        ("widget_pkg-0.3.0-1.zip", "0.3.0.post1", "sdist"),
    ],
)
def test_versions_are_read_from_file_names(filename: str, version: str | None, kind: str) -> None:
    headers = Message()
    headers["Content-Type"] = "text/html"
    page = html_page("widget-pkg", [f'<a href="x/{filename}">{filename}</a>'])
    answer = simple.read_page(page.body, headers, url="u", name="widget-pkg")
    assert isinstance(answer, index.Published)
    (found,) = answer.files
    assert (found.version, found.kind) == (version, kind)


def test_redirects_are_followed(index_server: IndexServer) -> None:
    base = index_server.base()
    moved = index_server.base()
    index_server.serve(f"{moved}moved/", json_page("moved", [json_file("moved-1.0.tar.gz")]))
    for code in (301, 308):
        index_server.serve(
            f"{base}moved/", Page(status=code, headers={"Location": f"{moved}moved/"})
        )
        answer = index.ask(base, "moved").result()
        assert isinstance(answer, index.Published), (code, answer)
        assert answer.url == f"{moved}moved/" and answer.has("1.0")


def test_credentials_are_sent_but_never_shown(index_server: IndexServer) -> None:
    base = index_server.base()
    secret_base = base.replace("http://", "http://ci-user:s3cr%40t@")
    index_server.serve(f"{base}private/", json_page("private", [json_file("private-1.0.tar.gz")]))
    answer = index.ask(secret_base, "private").result()
    assert isinstance(answer, index.Published)
    assert "s3cr" not in repr(answer)
    (seen,) = index_server.requests(f"{base}private/")
    assert seen.headers["Authorization"] == "Basic Y2ktdXNlcjpzM2NyQHQ="  # ci-user:s3cr@t
    # An index that sends us to another host (localhost is not 127.0.0.1) never gets them.
    elsewhere = index_server.base(host="localhost")
    index_server.serve(f"{base}away/", Page(status=302, headers={"Location": f"{elsewhere}away/"}))
    index_server.serve(f"{elsewhere}away/", Page(status=503))
    answer = index.ask(secret_base, "away").result()
    assert answer == index.Unanswered(f"{base}away/", "HTTP 503 Service Unavailable")
    assert "Authorization" not in index_server.requests(f"{elsewhere}away/")[0].headers


def test_a_server_error_or_refusal_is_unanswered(index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}down/", Page(b"oops", "text/plain", 503))
    index_server.serve(f"{base}secret/", Page(b"no", "text/plain", 401))
    assert index.ask(base, "down").result() == index.Unanswered(
        f"{base}down/", "HTTP 503 Service Unavailable"
    )
    assert index.ask(base, "secret").result() == index.Unanswered(
        f"{base}secret/", "HTTP 401 Unauthorized"
    )


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (Page(b"hello", "text/plain"), "it answered text/plain, not a Simple Repository page"),
        (Page(b"{not json", simple.JSON_TYPE), "it answered JSON that is not a Simple Repository"),
        (Page(b'{"files": 3}', simple.JSON_TYPE), "it answered JSON that is not a Simple"),
        (Page(b'{"meta": {}, "files": []}', simple.JSON_TYPE), "it answered JSON that is not"),
        (
            Page(b'{"meta": {"api-version": "2.0"}, "files": []}', simple.JSON_TYPE),
            "it speaks Simple API version 2.0, which cutrelease does not know",
        ),
        (
            Page(
                b'{"meta": {"api-version": "1.0"}, "name": "other", "files": []}',
                "application/json",
            ),
            "it answered for the project 'other', not 'garbage'",
        ),
        (
            Page(
                b"<html><title>Hotel Wi-Fi</title><form><a href='/login'>Log in</a></form></html>"
            ),
            "it answered an HTML page that is not a Simple Repository page",
        ),
        (Page(b"\x00\xff\xfe garbage"), "it answered an HTML page that is not a Simple"),
    ],
)
def test_garbage_is_unanswered(index_server: IndexServer, page: Page, reason: str) -> None:
    base = index_server.base()
    index_server.serve(f"{base}garbage/", page)
    answer = index.ask(base, "garbage").result()
    assert isinstance(answer, index.Unanswered), answer
    assert answer.reason.startswith(reason)


def test_a_slow_answer_costs_only_its_time(index_server: IndexServer) -> None:
    base = index_server.base()
    listing = html_page("slow", ['<a href="slow-1.0.tar.gz">slow-1.0.tar.gz</a>'])
    index_server.serve(f"{base}slow/", Page(listing.body, "text/html", delay=1.0))
    started = time.monotonic()
    asking = index.ask(base, "slow")
    assert time.monotonic() - started < 0.2  # asked, not waited for: git works meanwhile
    answer = asking.result()
    took = time.monotonic() - started
    assert isinstance(answer, index.Published) and answer.has("1.0")
    assert 1.0 <= took < 1.6  # the second, and no more (a margin for a busy machine)


def test_a_hanging_index_costs_the_deadline(index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}hang/", Page(hang=True))
    started = time.monotonic()
    answer = index.ask(base, "hang", deadline=0.5).result()
    took = time.monotonic() - started
    assert answer == index.Unanswered(f"{base}hang/", "no answer within 0.5 s")
    assert 0.5 <= took < 1.0


def test_an_index_that_cannot_be_reached() -> None:
    from indexes import free_port

    url = f"http://127.0.0.1:{free_port()}/simple/"
    assert index.ask(url, "x").result() == index.Unanswered(
        f"{url}x/", "the connection was refused"
    )
    answer = index.ask("http://no-such-host.invalid/simple/", "x").result()
    assert isinstance(answer, index.Unanswered)
    assert answer.reason.startswith("the host name was not found (DNS")


def test_an_ascii_host_is_asked_without_the_idna_codec(index_server: IndexServer) -> None:
    """getaddrinfo given a str host imports encodings.idna (with stringprep and unicodedata),
    more CPU than the whole question: an ASCII host goes as bytes, in a fresh interpreter."""
    base = index_server.base()
    index_server.serve(
        f"{base}ascii-host/", json_page("ascii-host", [json_file("ascii_host-1.0.tar.gz")])
    )
    code = (
        "import sys\n"
        "from cutrelease.publish import simple\n"
        f"answer = simple.fetch({base + 'ascii-host/'!r}, 'ascii-host', timeout=5)\n"
        "print(type(answer).__name__, 'encodings.idna' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["Published", "False"]


def test_an_internationalized_host_name_is_looked_up_as_idna() -> None:
    answer = index.ask("http://bücher.invalid/simple/", "x").result()
    assert isinstance(answer, index.Unanswered)
    assert answer.reason.startswith("the host name was not found (DNS")


def test_tls_to_a_server_that_speaks_none(index_server: IndexServer) -> None:
    answer = index.ask(index_server.base().replace("http:", "https:"), "x").result()
    assert isinstance(answer, index.Unanswered)
    assert answer.reason.startswith("TLS failed")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:hunter2@files.example.com/simple/",
        "pypi.org/simple/",
        "file:///srv/simple",
        "https:///simple/",
    ],
)
def test_an_index_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(Refused) as refused:
        index.ask(url, "widget")
    message = str(refused.value)
    assert message.startswith("[tool.cutrelease].index_url must be an http:// or https:// URL")
    assert "hunter2" not in message


@pytest.mark.parametrize("name", ["widget pkg", "-widget", "widget_", "wid/get", ""])
def test_a_project_name_no_index_can_list_is_refused(name: str) -> None:
    with pytest.raises(Refused, match="is not a valid project name"):
        index.ask(index.DEFAULT_URL, name)


# -- file names read as packaging.utils reads them -------------------------------------------
# simple.py reads a file's version itself (importing packaging.utils would import
# packaging.tags); what it reads must be what packaging's parsers read, for every name they
# accept.

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from packaging.utils import parse_sdist_filename, parse_wheel_filename  # noqa: E402

_VERSIONS = st.sampled_from(
    ["0.2.0", "1.0", "1.0.post1", "2.0rc1", "1.0.dev3", "1!2.0", "1.0+local.1", "3.0a1.post2"]
)
_NAMES = st.sampled_from(["widget", "Widget_Pkg", "a", "zope.interface", "my_pkg2"])


@given(name=_NAMES, version=_VERSIONS, build=st.sampled_from(["", "-1", "-2_x"]))
def test_a_wheels_version_is_the_one_packaging_reads(name: str, version: str, build: str) -> None:
    filename = f"{name}-{version.replace('-', '_')}{build}-py3-none-any.whl"
    try:
        expected: str | None = str(parse_wheel_filename(filename)[1])
    except ValueError:
        expected = None
    if expected is not None:
        assert simple._file(filename, "widget", yanked=False).version == expected


@given(name=_NAMES, version=_VERSIONS, ending=st.sampled_from([".tar.gz", ".zip"]))
def test_an_sdists_version_is_the_one_packaging_reads(name: str, version: str, ending: str) -> None:
    filename = f"{name}-{version}{ending}"
    expected = str(parse_sdist_filename(filename)[1])
    assert simple._file(filename, "widget", yanked=False).version == expected


# -- the GET itself (publish.http), and urllib.request behind a proxy ------------------------


def test_a_chunked_answer_is_read_whole(index_server: IndexServer) -> None:
    base = index_server.base()
    page = json_page("chunky", [json_file("chunky-1.0.tar.gz")])
    half = len(page.body) // 2
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in (page.body[:half], page.body[half:])
    )
    headers = {"Transfer-Encoding": "chunked"}  # wins over the server's Content-Length
    index_server.serve(
        f"{base}chunky/", Page(chunked + b"0\r\n\r\n", page.content_type, headers=headers)
    )
    answer = index.ask(base, "chunky").result()
    assert isinstance(answer, index.Published) and answer.has("1.0")


def test_an_answer_that_is_not_http_is_unanswered() -> None:
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))

    def talk() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    threading.Thread(target=talk, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/simple/"
        answer = index.ask(url, "x").result()
    finally:
        server.close()
    assert isinstance(answer, index.Unanswered)
    assert answer.reason.startswith("it did not answer in HTTP")


def test_behind_a_proxy_the_proxy_is_asked(
    index_server: IndexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With http_proxy set, the GET goes through urllib.request, which knows proxies: a proxy
    that is down is an index that could not be asked, though the index itself is up."""
    from indexes import free_port

    base = index_server.base()
    index_server.serve(f"{base}proxied/", json_page("proxied", [json_file("proxied-1.0.tar.gz")]))
    assert index.ask(base, "proxied").result().has("1.0")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    answer = index.ask(base, "proxied").result()
    assert answer == index.Unanswered(f"{base}proxied/", "the connection was refused")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/simple/widget/",
        "http://127.0.0.1:9/SIMPLE/Widget",
        "https://alice:hunter2@pkgs.example.com/devpi/+simple/wid_get/",
    ],
)
def test_an_index_url_that_is_the_projects_own_page_is_refused(url: str) -> None:
    # From a trial: `.../simple/NAME/` asked `.../simple/NAME/NAME/`, a 404, and the check
    # said every version was free ("the first upload"), exit 0, whatever the index held.
    with pytest.raises(Refused) as refused:
        index.ask(url, "Wid.Get" if "wid_get" in url else "widget")
    message = f"{refused.value} {refused.value.hint}"
    assert message.startswith("[tool.cutrelease].index_url is the project's own page (")
    assert "not the index's root" in message
    root = url.rsplit("/", 2 if url.endswith("/") else 1)[0].replace("alice:hunter2@", "") + "/"
    assert f'Set it to the index\'s root: index_url = "{root}".' in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/simple/", "http://127.0.0.1:9/widget/", "http://h/simple/other/"]
)
def test_an_index_url_that_only_resembles_a_page_is_asked(url: str) -> None:
    assert index.project_url(url, "widget") == f"{url}widget/"
