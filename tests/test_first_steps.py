"""First steps (issue 27 kind 8): `bump init` on a poetry project and on a `master`
repository, and the first push, after which the branch tracks the remote's."""

from __future__ import annotations

from pathlib import Path

from conftest import CHANGELOG, PYPROJECT, Project, git

POETRY = """\
[tool.poetry]
name = "widget"
version = "1.4.2"
description = "A widget."
authors = ["A. Maintainer <a@example.com>"]

[tool.poetry.dependencies]
python = "^3.10"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def _repository(tmp_path: Path, pyproject: str, *, branch: str = "main") -> Project:
    root = tmp_path / "work"
    tmp_path.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "init", "-q", "--bare", "-b", branch, str(tmp_path / "remote.git"))
    git(tmp_path, "init", "-q", "-b", branch, str(root))
    project = Project(root, tmp_path / "remote.git")
    project.write("pyproject.toml", pyproject)
    project.commit_all("initial")
    project.git("remote", "add", "origin", str(project.remote))
    return project


def test_init_on_a_poetry_project_keeps_its_version(tmp_path: Path) -> None:
    project = _repository(tmp_path, POETRY)
    run = project.bump("init")
    assert run.code == 0, run.err
    assert project.read("pyproject.toml") == POETRY  # no [project] table hiding 1.4.2
    assert "| 1.4.x   |" in project.read("SECURITY.md")
    assert "https://pypi.org/p/widget" in project.read(".github/workflows/release.yml")
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace("## [Unreleased]\n", "## [Unreleased]\n\n- A fix.\n"),
    )
    project.commit_all("release files")
    project.git("tag", "-a", "v1.4.2", "-m", "v1.4.2")
    project.git("push", "-q", "origin", "main", "v1.4.2")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert 'version = "1.4.3"' in project.read("pyproject.toml")
    assert "[project]" not in project.read("pyproject.toml")
    assert project.bump("check").code == 0


def test_init_on_a_master_repository_says_what_the_first_release_needs(tmp_path: Path) -> None:
    project = _repository(
        tmp_path, '[project]\nname = "widget"\nversion = "0.1.0"\n', branch="master"
    )
    run = project.bump("init", "--dry-run")
    assert run.code == 0, run.err
    assert "There is no branch 'main' here" in run.err
    assert 'add branch = "master" under [tool.cutrelease] in pyproject.toml' in run.err
    on_main = _repository(tmp_path / "other", '[project]\nname = "w"\nversion = "0.1.0"\n')
    assert "branch =" not in on_main.bump("init", "--dry-run").err


def test_the_first_push_makes_the_branch_track_the_remote(tmp_path: Path) -> None:
    project = _repository(tmp_path, PYPROJECT)
    project.write("CHANGELOG.md", CHANGELOG)
    project.commit_all("changelog")
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    project.git("push", "-q", "origin", "v0.2.0")  # the tag went out, the branch never did
    assert project.git("config", "--get", "branch.main.remote", check=False) == ""
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "origin has no branch main yet: the push creates it, and main will track it" in dry.out
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.git("rev-parse", "--abbrev-ref", "main@{upstream}") == "origin/main\n"
    assert project.git("status", "-sb").startswith("## main...origin/main\n")


def test_a_branch_that_tracks_already_is_left_as_it_is(project: Project) -> None:
    project.git("branch", "--set-upstream-to", "origin/main")
    config = (project.root / ".git" / "config").read_text()
    assert project.bump("patch").code == 0
    assert (project.root / ".git" / "config").read_text() == config


# What `uv init --package widget` writes: version 0.1.0, never released.
UV_INIT = """\
[project]
name = "widget"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
requires-python = ">=3.12"
dependencies = []

[project.scripts]
widget = "widget:main"

[build-system]
requires = ["uv_build>=0.8.0,<0.9"]
build-backend = "uv_build"
"""

NEVER_RELEASED = (
    "# Note: 0.1.0, the current version, was never released (no tag v0.1.0): "
    "`bump 0.1.0` releases it as it is.\n"
)


def _uv_init_project(tmp_path: Path) -> Project:
    """A `uv init --package` project after `bump init`, an entry written, pushed: no tag."""
    project = _repository(tmp_path, UV_INIT)
    project.write("src/widget/__init__.py", 'def main() -> None:\n    print("Hello")\n')
    assert project.bump("init").code == 0
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace("## [Unreleased]\n", "## [Unreleased]\n\n- A fix.\n"),
    )
    project.commit_all("release files")
    project.push()
    return project


def test_a_release_past_a_version_never_released_says_so(tmp_path: Path) -> None:
    # A new user's trial: `bump patch` after `uv init --package` released 0.1.1 without a word.
    project = _uv_init_project(tmp_path)
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert NEVER_RELEASED in dry.out
    # Without a push, the tags here alone tell.
    offline = project.bump("patch", "--dry-run", "--no-push")
    assert offline.code == 0, offline.err
    assert NEVER_RELEASED in offline.out
    # The confirmation on a terminal says it too; declined, nothing is released.
    before = project.snapshot()
    asked = project.bump_on_terminal("patch", answer="n")
    assert NEVER_RELEASED.removeprefix("# ") in asked.out.replace("\r\n", "\n")
    assert asked.code == 1
    assert project.snapshot() == before


def test_the_first_release_and_the_ones_after_it_have_no_such_note(tmp_path: Path) -> None:
    project = _uv_init_project(tmp_path)
    first = project.bump("0.1.0", "--dry-run")
    assert first.code == 0, first.err
    assert "never released" not in first.out
    assert project.bump("0.1.0").code == 0
    assert project.git("tag", "--list") == "v0.1.0\n"
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n"),
    )
    project.commit_all("more")
    project.push()
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "# Note:" not in dry.out
    # The tag on the remote alone (a clone without tags) is enough.
    project.git("tag", "-d", "v0.1.0")
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "# Note:" not in dry.out


def test_a_changelog_section_of_the_version_is_enough(project: Project) -> None:
    # The suite's project: 0.2.0 has its changelog section, and no tag.
    assert project.git("tag", "--list") == ""
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "never released" not in dry.out
