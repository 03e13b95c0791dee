"""The package index asked in a release's checks: a real pypiserver and our own index server."""

from __future__ import annotations

import json
import time

from conftest import PYPROJECT, Project
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    index_server,
    json_file,
    json_page,
    pypi,
)

__all__ = ["index_server", "pypi"]  # fixtures, used by name


def _online(project: Project, index_url: str, *, name: str = "widget") -> None:
    """The project asks the index at `index_url` under the name `name`; bump is not offline."""
    text = PYPROJECT.replace('name = "widget"', f'name = "{name}"')
    project.write("pyproject.toml", f'{text}\n[tool.cutrelease]\nindex_url = "{index_url}"\n')
    project.commit_all("index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"


def test_a_version_already_on_the_index_is_refused_with_the_next_free_one(
    project: Project, pypi: Pypi
) -> None:
    pypi.add("taken-widget", "0.2.0")
    pypi.add("taken-widget", "0.2.1")
    pypi.add("taken-widget", "0.2.2")
    _online(project, pypi.url, name="Taken_Widget")  # PEP 503: asked as taken-widget
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "error: Taken_Widget 0.2.1 is already on the package index "
        "(taken_widget-0.2.1-py3-none-any.whl, taken_widget-0.2.1.tar.gz); an index never takes "
        "the same version twice. Release the next one: bump 0.2.3."
    )
    assert project.bump("patch", "--yes").code == 1
    assert project.snapshot() == before


def test_a_yanked_file_keeps_its_version_taken(project: Project, index_server: IndexServer) -> None:
    url = index_server.base()
    index_server.serve(
        url + "widget/",
        json_page(
            "widget",
            [
                json_file("widget-0.2.0.tar.gz"),
                json_file("widget-0.2.1.tar.gz", yanked="broken build"),
            ],
        ),
    )
    _online(project, url)
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "widget 0.2.1 is already on the package index (widget-0.2.1.tar.gz)" in run.err
    assert project.snapshot() == before


def test_a_free_version_is_released_and_the_dry_run_says_what_the_index_said(
    project: Project, pypi: Pypi
) -> None:
    pypi.add("free-widget", "0.2.0")
    _online(project, pypi.url, name="free-widget")
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.startswith(f"# Index: 0.2.1 is free on {pypi.url}free-widget/ (it has 0.2.0).\n")
    as_json = json.loads(project.bump("patch", "--dry-run", "--json").out)
    assert as_json["index"] == {  # as bump status says it
        "url": f"{pypi.url}free-widget/",
        "state": "not_published",
        "project_listed": True,
        "reason": None,
        "files": [],
        "versions": ["0.2.0"],
    }
    assert project.bump("patch", "--yes").code == 0
    assert project.remote_git("tag").split() == ["v0.2.1"]


def test_a_project_never_published_releases_and_an_unpublished_current_version_is_said(
    project: Project, pypi: Pypi
) -> None:
    _online(project, pypi.url, name="never-uploaded")
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.startswith(
        f"# Index: {pypi.url}never-uploaded/ has no files yet: 0.2.1 will be the first upload.\n"
    )
    pypi.add("skipped-widget", "0.1.0")
    _online(project, pypi.url, name="skipped-widget")
    dry = project.bump("patch", "--dry-run")
    assert dry.out.startswith(
        f"# Note: 0.2.0 was never published on {pypi.url}skipped-widget/.\n"
        f"# Index: 0.2.1 is free on {pypi.url}skipped-widget/ (it has 0.1.0).\n"
    )


def test_an_index_that_hangs_is_a_note_and_costs_its_deadline_only(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    index_server.serve(url + "widget/", Page(hang=True))
    _online(project, url)
    started = time.monotonic()
    run = project.bump("patch", "--dry-run")
    took = time.monotonic() - started
    assert run.code == 0, run.err
    assert run.out.startswith(
        "# Note: the package index could not be asked (no answer within 5 s): not checked.\n"
    )
    assert took < 9  # the deadline (5 s) and bump's own time, not a hang


def test_an_index_answering_5xx_is_a_note_and_the_release_goes_on(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    index_server.serve(url + "widget/", Page(status=503, body=b"down"))
    _online(project, url)
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.remote_git("tag").split() == ["v0.2.1"]


def test_offline_and_index_check_false_do_not_ask(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    index_server.serve(url + "widget/", json_page("widget", [json_file("widget-0.2.1.tar.gz")]))
    _online(project, url)
    asked = len(index_server.requests(url + "widget/"))
    assert project.bump("patch", "--dry-run", "--offline").code == 0
    project.env["CUTRELEASE_OFFLINE"] = "1"
    assert project.bump("patch", "--dry-run").code == 0
    project.env["CUTRELEASE_OFFLINE"] = "0"
    project.write("pyproject.toml", project.read("pyproject.toml") + "index_check = false\n")
    project.commit_all("no index")
    project.push()
    assert project.bump("patch", "--dry-run").code == 0
    assert len(index_server.requests(url + "widget/")) == asked == 0
    assert project.bump("patch", "--dry-run", "--offline=false").code == 2


def test_a_bad_index_url_is_refused_naming_the_setting_without_its_credentials(
    project: Project,
) -> None:
    _online(project, "ftp://user:s3cret@mirror.example/simple/")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "[tool.cutrelease].index_url" in run.err
    assert "s3cret" not in run.err + run.out
    assert project.snapshot() == before


POETRY = """\
[tool.poetry]
name = "Cog_Wheel"
version = "0.2.0"
description = ""
authors = ["A <a@example.com>"]

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_a_poetry_project_is_asked_for_by_its_tool_poetry_name(
    project: Project, index_server: IndexServer
) -> None:
    """A poetry 1.x project names itself in [tool.poetry]: the index is asked by that name
    (PEP 503: cog-wheel), not silently skipped (a new user's trial found the skip)."""
    url = index_server.base()
    index_server.serve(
        url + "cog-wheel/", json_page("cog-wheel", [json_file("cog_wheel-0.2.1.tar.gz")])
    )
    project.write("pyproject.toml", f'{POETRY}\n[tool.cutrelease]\nindex_url = "{url}"\n')
    project.commit_all("poetry")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "Cog_Wheel 0.2.1 is already on the package index (cog_wheel-0.2.1.tar.gz)" in run.err
    assert len(index_server.requests(url + "cog-wheel/")) == 1
    assert project.snapshot() == before


def test_a_pre_release_already_on_the_index_names_the_next_pre_release(
    project: Project, index_server: IndexServer
) -> None:
    """The trial: 0.3.0rc1 on the index, `bump minor --pre rc` was refused naming `bump rc`,
    which refused in turn naming `bump minor --pre rc`: a circle. The next free one is rc2."""
    url = index_server.base()
    files = [json_file("widget-0.2.0.tar.gz"), json_file("widget-0.3.0rc1.tar.gz")]
    index_server.serve(url + "widget/", json_page("widget", files))
    _online(project, url)
    before = project.snapshot()
    run = project.bump("minor", "--pre", "rc", "--dry-run")
    assert run.code == 1
    assert run.err.splitlines()[-1].endswith("Release the next one: bump 0.3.0rc2.")
    assert project.snapshot() == before
    assert project.bump("0.3.0rc2", "--dry-run").code == 0


def test_a_higher_pre_release_on_the_index_is_no_note_for_a_final(
    project: Project, index_server: IndexServer
) -> None:
    """Installers skip pre-releases (PEP 440): 0.3.0rc1 there does not hide 0.2.1; and a
    version uploaded only after this one says nothing of this one's being never uploaded."""
    url = index_server.base()
    files = [json_file("widget-0.2.0.tar.gz"), json_file("widget-0.3.0rc1.tar.gz")]
    index_server.serve(url + "widget/", json_page("widget", files))
    _online(project, url)
    run = project.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    assert "higher version" not in run.out
    later = index_server.base()
    index_server.serve(later + "widget/", json_page("widget", [json_file("widget-0.3.0.tar.gz")]))
    _online(project, later)
    run = project.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    assert "never published" not in run.out
    assert "has a higher version than 0.2.1 already (0.3.0)" in run.out


def test_an_index_url_naming_the_projects_page_is_refused_before_anything(
    project: Project, pypi: Pypi
) -> None:
    # A trial's setup: the index has 0.2.1 already, index_url ends in /simple/widget/; the
    # dry run said "0.2.1 will be the first upload" and the release would have gone ahead.
    pypi.add("widget", "0.2.1")
    _online(project, f"{pypi.url}widget/")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        f"error: [tool.cutrelease].index_url is the project's own page ({pypi.url}widget/), "
        f"not the index's root: the index would be asked for {pypi.url}widget/widget/, which "
        f'no index has. Set it to the index\'s root: index_url = "{pypi.url}".'
    )
    assert project.snapshot() == before
