"""Messages that name what was found (issue 27, kind 7): the file that holds the version, the
versions a changelog has, on real repositories."""

from __future__ import annotations

from conftest import HATCH_PATH, Project


def test_check_tag_names_the_file_that_holds_the_version(project: Project) -> None:
    project.write("pyproject.toml", HATCH_PATH)
    project.write("src/widget/__about__.py", '__version__ = "0.2.0"\n')
    project.commit_all("hatch path")
    before = project.snapshot()
    run = project.bump("check-tag", "v0.3.0")
    assert run.code == 1
    assert run.err == (
        "error: Tag 'v0.3.0' does not match src/widget/__about__.py's version 0.2.0 "
        "(expected tag 'v0.2.0'). Release with `bump`, which tags what "
        "src/widget/__about__.py says.\n"
    )
    ok = project.bump("check-tag", "v0.2.0")
    assert (ok.code, ok.err) == (0, "Tag v0.2.0 matches src/widget/__about__.py's version.\n")
    assert project.snapshot() == before


def test_notes_before_any_release_do_not_ask_for_a_listed_version(project: Project) -> None:
    project.write("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n- The first knob.\n")
    project.commit_all("no release yet")
    before = project.snapshot()
    run = project.bump("notes", "2.3.0")
    assert run.code == 1
    assert run.err == (
        "error: CHANGELOG.md has no section for version 2.3.0; it has no released version yet. "
        "Release it first; `bump notes --unreleased` prints the notes pending.\n"
    )
    assert project.snapshot() == before


def test_a_mistyped_command_is_told_the_nearest_one(project: Project) -> None:
    """Two trials typed `bump pach`: click said only "No such command", though it tells a
    mistyped option the nearest one. The command is told too; a word near none is not."""
    before = project.snapshot()
    run = project.bump("pach")
    assert run.code == 2
    assert "No such command 'pach'. Did you mean 'patch'?" in run.err
    run = project.bump("--json", "minr")
    assert run.code == 2
    assert "Did you mean 'minor'?" in run.out
    run = project.bump("xyzzy")
    assert run.code == 2
    assert "No such command 'xyzzy'." in run.err and "Did you mean" not in run.err
    assert project.snapshot() == before
