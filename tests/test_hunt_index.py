"""The package index and the build before the tag (issue 25), rebuilt from public bug reports
against release tools: each test names its report. A real pypiserver or our own index server
on 127.0.0.1, real `uv build`s, real repositories."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import PYPROJECT, Project, git
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    index_server,
    pypi,
    write_sdist,
)

from cutrelease.publish import build

__all__ = ["index_server", "pypi"]  # fixtures, used by name

HATCH = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
version = "0.2.0"

[tool.hatch.build.targets.wheel]
packages = ["src/widget"]
"""

SETUPTOOLS_SCM = """\
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "widget"
dynamic = ["version"]

[tool.setuptools_scm]
"""


@pytest.fixture
def uv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """uv comes with the dev dependencies, beside this Python: put it on PATH, as a user has."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{Path('/usr/bin')}:/bin")


def _online(project: Project, index_url: str, *, name: str = "widget") -> None:
    """The project asks the index at `index_url` under the name `name`; bump is not offline."""
    text = PYPROJECT.replace('name = "widget"', f'name = "{name}"')
    project.write("pyproject.toml", f'{text}\n[tool.cutrelease]\nindex_url = "{index_url}"\n')
    project.commit_all("index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"


# -- the index --------------------------------------------------------------------------------


def test_a_version_uploaded_in_another_spelling_is_taken(project: Project, pypi: Pypi) -> None:
    """pypa/twine#63 and Warehouse's "File already exists": PyPI compares versions in PEP 440's
    normal form, so an old upload `0.2.1.0` takes 0.2.1 too."""
    write_sdist(pypi.folder, "spelled-widget", "0.2.1.0")
    _online(project, pypi.url, name="spelled-widget")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "spelled-widget 0.2.1 is already on the package index" in run.err
    assert "spelled_widget-0.2.1.0.tar.gz" in run.err
    assert project.snapshot() == before


def test_a_dotted_mixed_case_name_is_asked_as_pep_503_says(project: Project, pypi: Pypi) -> None:
    """PEP 503 (`Foo.Bar_baz` is `foo-bar-baz`): the files on the index, uploaded under the
    normalized name, count for the project whatever its spelling in pyproject.toml."""
    pypi.add("foo-bar-baz", "0.2.1")
    _online(project, pypi.url.rstrip("/"), name="Foo.Bar_baz")  # and no final slash
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "Foo.Bar_baz 0.2.1 is already on the package index" in run.err
    assert project.snapshot() == before


def test_a_plain_text_404_is_a_project_never_uploaded(
    project: Project, index_server: IndexServer
) -> None:
    """astral-sh/uv#19459: GitLab answers a project it has never seen with a 404 in text/plain.
    A 404 is PEP 503's "no such project", whatever its body: the release goes on."""
    url = index_server.base()
    index_server.serve(url + "widget/", Page(b"404 Not Found", "text/plain", 404))
    _online(project, url)
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert f"# Index: {url}widget/ has no files yet: 0.2.1 will be the first upload." in dry.out


def test_an_index_that_redirects_in_a_loop_is_a_note(
    project: Project, index_server: IndexServer
) -> None:
    """pypa/twine#310 and python-poetry/poetry#10732: an index URL that redirects (a slash
    added, a proxy): one that redirects forever is an index that could not be asked, a note."""
    url = index_server.base()
    index_server.serve(url + "widget/", Page(status=301, headers={"Location": url + "widget/"}))
    _online(project, url)
    run = project.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    assert run.out.startswith("# Note: the package index could not be asked (HTTP 301")


def test_an_index_url_without_simple_does_not_call_a_taken_version_free(
    project: Project, pypi: Pypi
) -> None:
    """pypa/pip#2009, pypa/twine#310: the index's root written where its Simple API belongs
    (`http://host/` for `http://host/simple/`). pypiserver redirects `/NAME/` to
    `/simple/NAME/`: the redirect is followed and 0.2.1 is found taken."""
    pypi.add("rooted-widget", "0.2.1")
    root = pypi.url.removesuffix("simple/")
    _online(project, root, name="rooted-widget")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert project.snapshot() == before


def test_an_index_root_that_answers_404_does_not_call_a_taken_version_free(
    project: Project, index_server: IndexServer
) -> None:
    """pypa/pip#2009, pypa/twine#310: as above, on an index that does not redirect (PyPI
    itself: https://pypi.org/widget/ is a 404, https://pypi.org/simple/widget/ the page). The
    dry run must not promise the first upload of a version the index already has."""
    root = index_server.base().removesuffix("simple/")
    index_server.serve(
        f"{root}simple/widget/", Page(b'<a href="x">widget-0.2.1.tar.gz</a>', "text/html")
    )
    index_server.serve(f"{root}widget/", Page(b"Not Found", "text/html", 404))
    _online(project, root)
    dry = project.bump("patch", "--dry-run")
    assert "will be the first upload" not in dry.out
    assert dry.out.startswith(
        "# Note: the package index could not be asked (it answered 404, and index_url does "
        "not look like a Simple API root (…/simple/), where a 404 would mean never uploaded): "
        "not checked.\n"
    )


def test_status_while_only_the_wheel_went_up(project: Project, pypi: Pypi) -> None:
    """pypa/twine#63: an upload stopped half way (here the sdist is the one missing): status
    says the release is not all there, naming what is missing."""
    pypi.add("half-widget", "0.2.0", sdist=False)
    _online(project, pypi.url, name="half-widget")
    project.git("tag", "-a", "-m", "v0.2.0", "v0.2.0")
    project.git("push", "-q", "origin", "v0.2.0")
    run = project.bump("status")
    assert run.code == 1
    assert run.err == (
        "error: v0.2.0 is not all there: the package index has no sdist of half-widget 0.2.0.\n"
    )


# -- the build before the tag -----------------------------------------------------------------


def test_a_file_the_sdist_leaves_out_is_missing_from_the_wheel_built_from_it(
    project: Project, uv_on_path: None
) -> None:
    """astral-sh/uv#10391, pypa/hatch#1874, dmux/minilake#5: the sdist excludes a folder, the
    wheel is built from the sdist, so the wheel silently lacks it: the build before the tag
    catches it through wheel_includes, and the release is undone."""
    project.write(
        "pyproject.toml",
        HATCH
        + '\n[tool.hatch.build.targets.sdist]\nexclude = ["src/widget/web_ui"]\n'
        + '\n[tool.cutrelease]\nbuild = true\nwheel_includes = ["widget/web_ui/*"]\n',
    )
    project.write("src/widget/__init__.py", "")
    project.write("src/widget/web_ui/index.html", "<p>hi</p>")
    project.commit_all("hatchling, the UI kept out of the sdist")
    project.push()
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert 'the wheel holds no file matching wheel_includes "widget/web_ui/*"' in run.err
    assert project.snapshot() == before


def test_a_leftover_per_project_pretend_version_does_not_build_another_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uv_on_path: None
) -> None:
    """pypa/setuptools-scm#321, #978: `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_WIDGET` outranks
    the general variable the build before the tag sets. One left in the environment (a CI
    step before) must not build the release as another version."""
    monkeypatch.setenv("SETUPTOOLS_SCM_PRETEND_VERSION_FOR_WIDGET", "0.1.0")
    root = tmp_path / "work"
    (root / "src" / "widget").mkdir(parents=True)
    (root / "pyproject.toml").write_text(SETUPTOOLS_SCM)
    (root / "src" / "widget" / "__init__.py").write_text("")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "initial")
    git(root, "tag", "v0.2.0")
    paths = git(root, "ls-files").split()
    build.try_build(root, paths, folder="", name="widget", version="0.2.1")
