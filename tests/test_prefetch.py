"""The index question started as bump starts (publish.prefetch): asked once, only for the
page the release would ask, its answer the one the release reads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from conftest import GIT_ENV, PYPROJECT, Project
from indexes import IndexServer, Page, index_server, json_file, json_page

from cutrelease.publish import prefetch
from cutrelease.release.facts import _ask_index

__all__ = ["index_server"]  # a fixture, used by name

#: Python 3.10 has no tomllib: no early question there (the release asks, as tested elsewhere).
early = pytest.mark.skipif(sys.version_info < (3, 11), reason="no early question without tomllib")


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CUTRELEASE_OFFLINE", "0")
    yield
    prefetch._asked = None


def _asking(project: Project, url: str, extra: str = "") -> None:
    project.write("pyproject.toml", f'{PYPROJECT}\n[tool.cutrelease]\nindex_url = "{url}"\n{extra}')
    project.commit_all("index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"


def _page(server: IndexServer, url: str, **page: object) -> None:
    files = [json_file("widget-0.2.0.tar.gz"), json_file("widget-0.2.0-py3-none-any.whl")]
    server.serve(url + "widget/", Page(**page) if page else json_page("widget", files))  # type: ignore[arg-type]


def _bump(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """bump as a process of its own: the question starts in __main__, before the release."""
    return subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1", **project.env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_release_asks_the_index_once_from_its_start(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    _page(index_server, url)
    _asking(project, url)
    run = _bump(project, "patch", "--dry-run")
    assert run.returncode == 0, run.stderr
    assert f"# Index: 0.2.1 is free on {url}widget/ (it has 0.2.0).\n" in run.stdout
    assert len(index_server.requests(url + "widget/")) == 1


@early
def test_the_answer_taken_is_the_one_asked_at_the_start(
    project: Project, index_server: IndexServer, online: None
) -> None:
    url = index_server.base()
    _page(index_server, url)
    _asking(project, url)
    prefetch.start(["patch", "--dry-run"], project.root)
    deadline = time.monotonic() + 10
    while not index_server.requests(url + "widget/") and time.monotonic() < deadline:
        time.sleep(0.02)  # asked on its own, before anyone takes the answer
    assert len(index_server.requests(url + "widget/")) == 1
    answer = _ask_index(url, "widget").result()
    assert answer.has("0.2.0") and not answer.has("0.2.1")
    assert len(index_server.requests(url + "widget/")) == 1  # taken, not asked again


def test_another_page_is_asked_by_the_release_itself(
    project: Project, index_server: IndexServer, online: None
) -> None:
    url = index_server.base()
    other = index_server.base()
    _page(index_server, url)
    _page(index_server, other)
    _asking(project, url)
    prefetch.start(["patch"], project.root)
    assert _ask_index(other, "widget").result().has("0.2.0")
    assert len(index_server.requests(other + "widget/")) == 1


def test_an_index_that_hangs_costs_the_deadline_from_the_start(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    _page(index_server, url, hang=True)
    _asking(project, url)
    started = time.monotonic()
    run = _bump(project, "patch", "--dry-run")
    took = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(
        "# Note: the package index could not be asked (no answer within 5 s): not checked.\n"
    )
    assert took < 9


@pytest.mark.parametrize(
    "args",
    [
        ["version"],
        ["check"],
        ["-p", "widget", "patch"],
        ["patch", "--package", "widget"],
        ["-C", ".", "patch"],
        ["patch", "--offline"],
        ["patch", "--help"],
        ["notes"],
    ],
)
def test_no_early_question_but_for_a_plain_release(
    project: Project, index_server: IndexServer, online: None, args: list[str]
) -> None:
    url = index_server.base()
    _asking(project, url)
    assert prefetch._question(args, project.root) is None


@early
@pytest.mark.parametrize("args", [["patch"], ["minor", "--dry-run"], ["v1.0.0"], ["auto"]])
def test_a_plain_release_asks_its_own_page(
    project: Project, index_server: IndexServer, online: None, args: list[str]
) -> None:
    url = index_server.base()
    _asking(project, url)
    assert prefetch._question(args, project.root) == (f"{url}widget/", "widget", 5.0)


def test_settings_that_ask_no_index_ask_none_early(
    project: Project, index_server: IndexServer, monkeypatch: pytest.MonkeyPatch, online: None
) -> None:
    url = index_server.base()
    _asking(project, url, "index_check = false\n")
    assert prefetch._question(["patch"], project.root) is None
    _asking(project, url)
    monkeypatch.setenv("CUTRELEASE_OFFLINE", "1")
    assert prefetch._question(["patch"], project.root) is None
    monkeypatch.setenv("CUTRELEASE_OFFLINE", "0")
    sub = project.root / "src"
    sub.mkdir(exist_ok=True)
    assert prefetch._question(["patch"], sub) is None  # not the top folder


@early
def test_an_index_url_with_credentials_is_asked_with_them_early(
    project: Project, index_server: IndexServer, online: None
) -> None:
    base = index_server.base()
    url = base.replace("http://", "http://user:s3cret@")
    _page(index_server, base)
    _asking(project, url)
    prefetch.start(["patch"], project.root)
    assert prefetch._asked is not None
    answer = _ask_index(url, "widget").result()
    assert answer.has("0.2.0")
    seen = index_server.requests(base + "widget/")
    assert len(seen) == 1 and seen[0].headers.get("Authorization", "").startswith("Basic ")


@pytest.mark.skipif(sys.version_info >= (3, 11), reason="Python 3.10 only")
def test_python_3_10_asks_no_early_question(
    project: Project, index_server: IndexServer, online: None
) -> None:
    _asking(project, index_server.base())
    assert prefetch._question(["patch"], project.root) is None
