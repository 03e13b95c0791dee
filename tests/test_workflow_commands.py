"""check-tag and notes: what the publish workflow calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PYPROJECT, Project


@pytest.mark.parametrize("tag", ["v0.2.0", "refs/tags/v0.2.0"])
def test_check_tag_matches(project: Project, tag: str) -> None:
    run = project.bump("check-tag", tag)
    assert run.code == 0, run.err


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("v0.2.1", ["v0.2.1", "0.2.0", "expected tag 'v0.2.0'"]),
        ("0.2.0", ["'0.2.0'", "lacks the tag prefix 'v'"]),
        ("refs/tags/v1.0.0", ["v1.0.0", "0.2.0"]),
    ],
)
def test_check_tag_mismatch_names_both(project: Project, tag: str, words: list[str]) -> None:
    run = project.bump("check-tag", tag)
    assert run.code == 1
    for word in words:
        assert word in run.err
    assert "Traceback" not in run.err


def test_check_tag_without_prefix_configured(project: Project) -> None:
    project.write(
        "pyproject.toml", project.read("pyproject.toml") + '\n[tool.cutrelease]\ntag_prefix = ""\n'
    )
    assert project.bump("check-tag", "0.2.0").code == 0
    assert project.bump("check-tag", "v0.2.0").code == 1


def test_notes_default_is_current_version(project: Project) -> None:
    run = project.bump("notes")
    assert (run.code, run.out) == (0, "### Added\n\n- The widget.\n")


def test_notes_of_a_version_and_unreleased(project: Project) -> None:
    assert project.bump("notes", "0.1.0").out == "### Added\n\n- A start.\n"
    assert project.bump("notes", "v0.1.0").out == "### Added\n\n- A start.\n"
    assert project.bump("notes", "--unreleased").out == "### Fixed\n\n- A fix.\n"


def test_notes_unknown_version_lists_those_that_exist(project: Project) -> None:
    run = project.bump("notes", "9.9.9")
    assert run.code == 1
    assert "9.9.9" in run.err and "0.2.0" in run.err and "0.1.0" in run.err


def test_notes_after_a_release(project: Project) -> None:
    assert project.bump("patch").code == 0
    assert project.bump("notes").out == "### Fixed\n\n- A fix.\n"


def test_notes_unreleased_takes_no_version(project: Project) -> None:
    run = project.bump("notes", "--unreleased", "garbage")
    assert run.code == 2
    assert "--unreleased prints the pending notes; it takes no VERSION ('garbage')" in run.err


def test_version_and_check_tag_work_in_an_unpacked_sdist(tmp_path: Path) -> None:
    """CI jobs sometimes run them where there is no git repository: they read pyproject.toml."""
    sdist = tmp_path / "widget-0.2.0"
    (sdist / "src").mkdir(parents=True)
    (sdist / "pyproject.toml").write_text(PYPROJECT)
    project = Project(sdist, tmp_path)
    assert project.bump("version", cwd=sdist / "src").out == "0.2.0\n"
    assert project.bump("check-tag", "v0.2.0").code == 0
    wrong = project.bump("check-tag", "v0.2.1")
    assert wrong.code == 1
    assert "does not match" in wrong.err
    elsewhere = project.bump("version", cwd=tmp_path)
    assert elsewhere.code == 1
    assert "is not inside a git repository" in elsewhere.err


def test_notes_take_the_tag_as_ci_names_it(project: Project) -> None:
    assert project.bump("notes", "refs/tags/v0.1.0").out == "### Added\n\n- A start.\n"
