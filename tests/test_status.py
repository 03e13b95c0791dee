"""`bump status`: the tag here, the tag on the remote, the files on a real package index."""

from __future__ import annotations

import itertools
import json
import time

from conftest import PYPROJECT, Project
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

__all__ = ["index_server", "pypi"]  # fixtures, used by name

SDIST = '<a href="../../f/widget-0.2.0.tar.gz">widget-0.2.0.tar.gz</a>'
WHEEL = '<a href="../../f/widget-0.2.0-py3-none-any.whl">widget-0.2.0-py3-none-any.whl</a>'


def released(
    project: Project, index_url: str, *, name: str = "widget", push: bool = True, more: str = ""
) -> str:
    """Set the project's index and name, tag v0.2.0 (pushed unless not `push`); its commit."""
    text = PYPROJECT.replace('name = "widget"', f'name = "{name}"')
    project.write("pyproject.toml", f'{text}\n[tool.cutrelease]\nindex_url = "{index_url}"\n{more}')
    project.commit_all("index")
    project.push()
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    if push:
        project.git("push", "-q", "origin", "v0.2.0")
    return project.git("rev-parse", "HEAD").strip()


def test_a_release_all_there(project: Project, pypi: Pypi) -> None:
    pypi.add("status-all", "0.2.0")
    commit = released(project, pypi.url, name="status-all")
    run = project.bump("status")
    assert (run.code, run.err) == (0, "v0.2.0 is all there: here, on origin and on the index.\n")
    assert run.out == (
        f"v0.2.0 here: {commit[:12]}\n"
        f"v0.2.0 on origin: {commit[:12]}\n"
        f"status-all 0.2.0 on {pypi.url}status-all/: "
        "status_all-0.2.0-py3-none-any.whl, status_all-0.2.0.tar.gz\n"
    )
    for named in ("0.2.0", "v0.2.0", "refs/tags/v0.2.0"):
        assert project.bump("status", named).out == run.out
    as_json = project.bump("status", "--json")
    assert as_json.code == 0 and as_json.err == ""
    assert json.loads(as_json.out) == {
        "schema_version": 1,
        "command": "status",
        "ok": True,
        "name": "status-all",
        "version": "0.2.0",
        "tag": "v0.2.0",
        "local": commit,
        "remote": {"name": "origin", "commit": commit, "error": None},
        "index": {
            "url": f"{pypi.url}status-all/",  # the project's page, as a release's JSON says
            "state": "published",
            "project_listed": True,
            "reason": None,
            "files": [
                {
                    "filename": "status_all-0.2.0-py3-none-any.whl",
                    "version": "0.2.0",
                    "kind": "wheel",
                    "yanked": False,
                },
                {
                    "filename": "status_all-0.2.0.tar.gz",
                    "version": "0.2.0",
                    "kind": "sdist",
                    "yanked": False,
                },
            ],
            "versions": ["0.2.0"],
        },
        "missing": [],
        "waited": None,
        "error": None,
        "exit_code": 0,
    }


def test_the_index_is_asked_by_the_normalized_name(project: Project, pypi: Pypi) -> None:
    pypi.add("status.pkg", "0.2.0")  # status_pkg-0.2.0.tar.gz, as PEP 625 names it
    released(project, pypi.url, name="Status_Pkg")
    run = project.bump("status")
    assert run.code == 0, run.err
    assert f"Status_Pkg 0.2.0 on {pypi.url}status-pkg/: status_pkg-0.2.0-py3" in run.out


def test_a_tag_not_pushed(project: Project, pypi: Pypi) -> None:
    released(project, pypi.url, name="status-unpushed", push=False)
    before = project.snapshot()
    run = project.bump("status")
    assert run.code == 1
    assert "v0.2.0 on origin: not there\n" in run.out
    assert (
        f"status-unpushed 0.2.0 on {pypi.url}status-unpushed/: no file; the project is not on it\n"
    ) in run.out
    assert run.err == (
        "error: v0.2.0 is not all there: v0.2.0 is not on origin; the package index has no "
        "sdist and no wheel of status-unpushed 0.2.0.\n"
    )
    assert project.snapshot() == before  # status writes nothing
    # Nothing to wait for: the upload starts from the tag on the remote.
    started = time.monotonic()
    assert project.bump("status", "--wait", "30").code == 1
    assert time.monotonic() - started < 10


def test_a_version_not_released(project: Project, pypi: Pypi) -> None:
    pypi.add("status-older", "0.1.0")
    released(project, pypi.url, name="status-older")
    run = project.bump("status", "0.3.0", "--json")
    answer = json.loads(run.out)
    assert (run.code, answer["exit_code"], answer["ok"]) == (1, 1, False)
    assert answer["missing"] == [
        "the tag v0.3.0 does not exist here",
        "v0.3.0 is not on origin",
        "the package index has no sdist and no wheel of status-older 0.3.0",
    ]
    assert answer["error"] == f"v0.3.0 is not all there: {'; '.join(answer['missing'])}."
    assert answer["index"] == {
        "url": f"{pypi.url}status-older/",
        "state": "not_published",  # the project is there, not this version
        "project_listed": True,
        "reason": None,
        "files": [],
        "versions": ["0.1.0"],
    }
    run = project.bump("status", "0.3.0")
    assert run.out.endswith(
        f"status-older 0.3.0 on {pypi.url}status-older/: no file (it has 0.1.0)\n"
    )


def test_not_a_version(project: Project, index_server: IndexServer) -> None:
    released(project, index_server.base())
    run = project.bump("status", "banana")
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith("error: 'banana' is not a version (PEP 440)")


def test_yanked_files_are_shown_and_count(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    files = [
        json_file("widget-0.2.0.tar.gz", yanked="wrong readme"),
        json_file("widget-0.2.0-py3-none-any.whl", yanked=True),
    ]
    index_server.serve(f"{base}widget/", json_page("widget", files))
    released(project, base)
    run = project.bump("status")
    assert run.code == 0, run.err
    assert run.out.endswith(
        ": widget-0.2.0.tar.gz (yanked), widget-0.2.0-py3-none-any.whl (yanked)\n"
    )


def test_an_index_without_the_wheel(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", html_page("widget", [SDIST]))
    released(project, base)
    run = project.bump("status")
    assert run.code == 1
    assert run.out.endswith(f"widget 0.2.0 on {base}widget/: widget-0.2.0.tar.gz\n")
    assert run.err == (
        "error: v0.2.0 is not all there: the package index has no wheel of widget 0.2.0.\n"
    )


def test_an_index_that_cannot_be_asked(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", Page(b"down", "text/plain", 502))
    released(project, base)
    run = project.bump("status")
    assert run.code == 1
    assert f"widget 0.2.0 on {base}widget/: could not be asked (HTTP 502 Bad Gateway)\n" in run.out
    assert "the package index could not be asked (HTTP 502 Bad Gateway)" in run.err
    index = json.loads(project.bump("status", "--json").out)["index"]
    assert index == {
        "url": f"{base}widget/",
        "state": "unanswered",
        "project_listed": None,
        "reason": "HTTP 502 Bad Gateway",
        "files": [],
        "versions": [],
    }
    assert "Traceback" not in run.err


def test_wait_until_the_files_appear(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    asked = itertools.count()
    pages = [html_page("widget", []), html_page("widget", [SDIST]), Page(status=503)]
    complete = html_page("widget", [SDIST, WHEEL])

    def upload_in_progress() -> Page:
        """Nothing, then the sdist, then a hiccup, then the wheel too."""
        number = next(asked)
        return pages[number] if number < len(pages) else complete

    index_server.serve(f"{base}widget/", upload_in_progress)
    released(project, base)
    started = time.monotonic()
    run = project.bump("status", "--wait", "60", "--interval", "0.2")
    assert run.code == 0, run.err
    assert time.monotonic() - started < 15
    assert run.out.endswith(": widget-0.2.0.tar.gz, widget-0.2.0-py3-none-any.whl\n")
    assert run.err.splitlines() == [
        "bump: waiting for the package index: the package index has no sdist and no wheel of "
        "widget 0.2.0",
        "bump: waiting for the package index: the package index has no wheel of widget 0.2.0",
        "bump: waiting for the package index: the package index could not be asked (HTTP 503 "
        "Service Unavailable)",
        "v0.2.0 is all there: here, on origin and on the index.",
    ]
    assert len(index_server.requests(f"{base}widget/")) == 4


def test_wait_until_the_deadline(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", html_page("widget", [SDIST]))
    released(project, base)
    started = time.monotonic()
    run = project.bump("status", "--wait", "0.7", "--interval", "0.2", "--json")
    took = time.monotonic() - started
    answer = json.loads(run.out)
    assert (run.code, answer["ok"]) == (1, False)
    assert answer["missing"] == ["the package index has no wheel of widget 0.2.0"]
    assert answer["error"] == (
        "after 0.7 s, v0.2.0 is not all there: the package index has no wheel of widget 0.2.0."
    )
    assert 0.7 <= answer["waited"] < 2
    assert took < 10
    # Politely: once, then every 0.2 s (not faster), for 0.7 s.
    assert 3 <= len(index_server.requests(f"{base}widget/")) <= 5


def test_credentials_in_the_index_url_are_never_shown(
    project: Project, index_server: IndexServer
) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", html_page("widget", [SDIST]))
    released(project, base.replace("http://", "http://ci:tok3n-s3cret@"))
    for args in (
        ["status"],
        ["status", "--json"],
        ["status", "--wait", "0.3", "--interval", "0.1"],
    ):
        run = project.bump(*args)
        assert run.code == 1
        assert "tok3n" not in run.out + run.err
        assert base in run.out + run.err
    assert all("Authorization" in seen.headers for seen in index_server.requests(f"{base}widget/"))


def test_an_index_url_that_is_not_http(project: Project) -> None:
    released(project, "ftp://ci:tok3n@files.example.com/simple/")
    run = project.bump("status")
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        "error: [tool.cutrelease].index_url must be an http:// or https:// URL, not "
        "'ftp://files.example.com/simple/'. Set it to your index's Simple API, as "
        'index_url = "https://pypi.org/simple/".\n'
    )
    answer = json.loads(project.bump("status", "--json").out)
    assert answer["error"].startswith("[tool.cutrelease].index_url must be an http")
    assert answer["exit_code"] == 1


def test_index_check_off(project: Project) -> None:
    commit = released(project, "http://127.0.0.1:9/simple/", more="index_check = false\n")
    run = project.bump("status")
    assert (run.code, run.err) == (0, "v0.2.0 is all there: here, on origin.\n")
    assert run.out.endswith(
        "widget 0.2.0 on http://127.0.0.1:9/simple/widget/: not asked (index_check = false)\n"
    )
    assert json.loads(project.bump("status", "--json").out)["index"] == {
        "url": "http://127.0.0.1:9/simple/widget/",
        "state": "not_asked",
        "project_listed": None,
        "reason": "index_check = false",
        "files": [],
        "versions": [],
    }
    assert f"v0.2.0 on origin: {commit[:12]}\n" in run.out
    run = project.bump("status", "--wait", "5")
    assert run.code == 1
    assert "--wait waits for the package index, and index_check = false" in run.err


def test_a_remote_that_cannot_be_asked(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", html_page("widget", [SDIST, WHEEL]))
    released(project, base)
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    run = project.bump("status")
    assert run.code == 1
    assert "v0.2.0 on origin: could not be asked (The remote 'origin' cannot be reached" in run.out
    assert run.err.startswith(
        "error: v0.2.0 is not all there: the remote 'origin' could not be asked."
    )


def test_a_remote_tag_elsewhere(project: Project, index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}widget/", html_page("widget", [SDIST, WHEEL]))
    pushed = released(project, base)
    project.git("tag", "-d", "v0.2.0")
    project.write("NOTES.md", "later\n")
    project.commit_all("later")
    project.git("tag", "v0.2.0")  # lightweight, on another commit
    here = project.git("rev-parse", "HEAD").strip()
    run = project.bump("status")
    assert run.code == 1
    assert f"v0.2.0 here: {here[:12]}\nv0.2.0 on origin: {pushed[:12]}\n" in run.out
    assert f"v0.2.0 on origin is {pushed[:12]}, here {here[:12]}" in run.err
