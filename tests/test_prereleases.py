"""Pre-releases, explicit versions: a whole cycle on a real repository with a bare remote."""

from __future__ import annotations

import pytest
from conftest import Project, make_project

from cutrelease.files import changelog, prereleases

START = """\
# Changelog

## [Unreleased]

### Added

- A new knob.

## [0.2.0] - 2026-01-10

### Added

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
"""

FOLDED = """\
# Changelog

## [Unreleased]

## [0.3.0] - 2026-02-10

### Added

- A new knob.

### Fixed

- The knob turns both ways.
- The knob no longer squeaks.

## [0.2.0] - 2026-01-10

### Added

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.3.0...HEAD
[0.3.0]: https://github.com/acme/widget/compare/v0.2.0...v0.3.0
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
"""

KEPT = """\
# Changelog

## [Unreleased]

## [0.3.0] - 2026-02-10

## [0.3.0rc2] - 2026-02-05

### Fixed

- The knob turns both ways.
- The knob no longer squeaks.

## [0.3.0rc1] - 2026-02-01

### Added

- A new knob.

## [0.2.0] - 2026-01-10

### Added

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.3.0...HEAD
[0.3.0]: https://github.com/acme/widget/compare/v0.3.0rc2...v0.3.0
[0.3.0rc2]: https://github.com/acme/widget/compare/v0.3.0rc1...v0.3.0rc2
[0.3.0rc1]: https://github.com/acme/widget/compare/v0.2.0...v0.3.0rc1
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
"""


def cycle_project(project: Project, *, keep: bool = False) -> Project:
    config = '\n[tool.cutrelease]\nprerelease_sections = "keep"\n' if keep else ""
    project.write("pyproject.toml", project.read("pyproject.toml") + config)
    project.write("CHANGELOG.md", START)
    project.commit_all("0.2.0 with a pending knob")
    project.push()
    return project


def add_fix(project: Project, *entries: str) -> None:
    text = project.read("CHANGELOG.md")
    fixes = "".join(f"- {entry}\n" for entry in entries)
    project.write(
        "CHANGELOG.md",
        text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n### Fixed\n\n{fixes}", 1),
    )
    project.commit_all("fix")
    project.push()


def version_of(project: Project) -> str:
    return project.bump("version").out.strip()


def run_cycle(project: Project) -> None:
    security = project.read("SECURITY.md")
    assert project.bump("minor", "--pre", "rc", "--yes", "--date", "2026-02-01").code == 0
    assert version_of(project) == "0.3.0rc1"
    assert project.read("SECURITY.md") == security  # a pre-release never moves the table
    add_fix(project, "The knob turns both ways.", "The knob no longer squeaks.")
    assert project.bump("rc", "--yes", "--date", "2026-02-05").code == 0
    assert version_of(project) == "0.3.0rc2"
    run = project.bump("stable", "--yes", "--date", "2026-02-10")  # Unreleased is empty
    assert run.code == 0, run.err
    assert version_of(project) == "0.3.0"
    assert "| 0.3.x   | :white_check_mark: |" in project.read("SECURITY.md")
    tags = project.remote_git("tag", "-l").split()
    assert tags == ["v0.3.0", "v0.3.0rc1", "v0.3.0rc2"]
    assert project.remote_git("rev-parse", "main") == project.git("rev-parse", "HEAD")


def test_a_cycle_folds_the_pre_releases_into_the_final(project: Project) -> None:
    run_cycle(cycle_project(project))
    assert project.read("CHANGELOG.md") == FOLDED
    notes = project.bump("notes", "0.3.0").out
    assert notes == (
        "### Added\n\n- A new knob.\n\n### Fixed\n\n"
        "- The knob turns both ways.\n- The knob no longer squeaks.\n"
    )
    assert project.bump("check").code == 0


def test_a_cycle_keeps_the_pre_release_sections(project: Project) -> None:
    run_cycle(cycle_project(project, keep=True))
    assert project.read("CHANGELOG.md") == KEPT
    assert project.bump("notes", "0.3.0rc2").out.startswith("### Fixed\n")
    check = project.bump("check")
    assert check.code == 0, check.out


def test_a_rejected_push_in_the_middle_of_a_pre_release_line(project: Project) -> None:
    cycle_project(project)
    assert project.bump("minor", "--pre", "rc", "--yes").code == 0
    add_fix(project, "A fix.")
    project.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    for command in (["rc"], ["stable"]):
        run = project.bump(*command, "--yes")
        assert run.code == 1
        assert "frozen" in run.err and "restored" in run.err
        assert project.snapshot() == before


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        (None, ["rc"], "Run `bump patch --pre rc`, `bump minor --pre rc`"),
        (None, ["stable"], "0.2.0 is already a final release"),
        (None, ["0.1.0"], "below the current version 0.2.0"),
        (None, ["0.2.0"], "0.2.0 is the current version, and it is released already"),
        (None, ["1.0"], "not three numbers X.Y.Z"),
        (None, ["1.0.0.post1"], "a post-release"),
        (None, ["1.0.0.dev1"], "a development release"),
        ("0.3.0rc1", ["patch"], "Run `bump stable` for 0.3.0"),
        ("0.3.0rc1", ["beta"], "already past beta"),
    ],
)
def test_refusals_name_the_right_command(
    project: Project, setup: str | None, args: list[str], words: str
) -> None:
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    if setup is not None:
        project.write("pyproject.toml", project.read("pyproject.toml").replace("0.2.0", setup))
        project.write("CHANGELOG.md", project.read("CHANGELOG.md").replace("[0.2.0]", f"[{setup}]"))
        project.commit_all(setup)
        project.push()
    before = project.snapshot()
    run = project.bump(*args, "--yes")
    assert run.code == 1, run
    assert words in run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["minor", "--pre", "gamma"], "'gamma' is not one of 'alpha', 'beta', 'rc'"),
        # click's words: "No such option: --pre" before 8.4, "No such option '--pre'." since.
        (["stable", "--pre", "rc"], "No such option"),
    ],
)
def test_usage_errors(project: Project, args: list[str], words: str) -> None:
    before = project.snapshot()
    run = project.bump(*args)
    assert run.code == 2
    assert words in run.err
    assert project.snapshot() == before


def test_semver_spelling_is_read_and_written_in_normal_form(tmp_path: object) -> None:
    project = make_project(tmp_path)  # type: ignore[arg-type]
    project.write("pyproject.toml", project.read("pyproject.toml").replace("0.2.0", "0.3.0-rc.1"))
    project.write("CHANGELOG.md", project.read("CHANGELOG.md").replace("[0.2.0]", "[0.3.0-rc.1]"))
    project.commit_all("semver spelling")
    project.push()
    assert project.bump("check-tag", "v0.3.0rc1").code == 0
    run = project.bump("rc", "--yes")
    assert run.code == 0, run.err
    assert 'version = "0.3.0rc2"' in project.read("pyproject.toml")
    assert project.remote_git("tag", "-l") == "v0.3.0rc2\n"


def test_bump_check_orders_pre_releases_as_pep_440_does(project: Project) -> None:
    text = START.replace(
        "## [0.2.0]",
        "## [0.3.0rc1] - 2026-02-01\n\n- One.\n\n## [0.3.0b2] - 2026-01-20\n\n- Two.\n\n## [0.2.0]",
    )
    text = text.replace(
        "[0.2.0]: https",
        "[0.3.0rc1]: https://github.com/acme/widget/compare/v0.3.0b2...v0.3.0rc1\n"
        "[0.3.0b2]: https://github.com/acme/widget/compare/v0.2.0...v0.3.0b2\n[0.2.0]: https",
    ).replace("compare/v0.2.0...HEAD", "compare/v0.3.0rc1...HEAD")
    project.write("pyproject.toml", project.read("pyproject.toml").replace("0.2.0", "0.3.0rc1"))
    project.write("CHANGELOG.md", text)
    assert project.bump("check").code == 0, project.bump("check").out
    swapped = text.replace("## [0.3.0rc1]", "## [TMP]").replace("## [0.3.0b2]", "## [0.3.0rc1]")
    project.write("CHANGELOG.md", swapped.replace("## [TMP]", "## [0.3.0b2]"))
    check = project.bump("check")
    assert check.code == 1
    assert "version 0.3.0rc1 is listed below the older 0.3.0b2" in check.out


def test_fold_merges_kinds_in_keep_a_changelog_order() -> None:
    text = (
        "# C\n\n## [Unreleased]\n\n### Security\n\n- S.\n\n"
        "## [1.0.0rc2] - 2026-01-02\n\n### Fixed\n\n- F2.\n\n### Added\n\n- A2.\n\n"
        "## [1.0.0rc1] - 2026-01-01\n\nPreamble.\n\n### Added\n\n- A1.\n\n### Notes\n\n- N.\n\n"
        "## [0.9.0] - 2025-12-01\n\n- Old.\n"
    )
    folded = prereleases.fold(changelog.parse(text), "1.0.0")
    assert folded == (
        "# C\n\n## [Unreleased]\n\nPreamble.\n\n### Added\n\n- A2.\n- A1.\n\n"
        "### Fixed\n\n- F2.\n\n### Security\n\n- S.\n\n### Notes\n\n- N.\n\n"
        "## [0.9.0] - 2025-12-01\n\n- Old.\n"
    )


def test_fold_keeps_crlf_and_a_bom() -> None:
    text = "\ufeff# C\r\n\r\n## [Unreleased]\r\n\r\n## [1.0.0rc1] - 2026-01-01\r\n\r\n- A.\r\n"
    folded = prereleases.fold(changelog.parse(text), "1.0.0")
    assert folded == "\ufeff# C\r\n\r\n## [Unreleased]\r\n\r\n- A.\r\n\r\n"


def test_an_explicit_version_may_be_spelled_as_its_tag(project: Project) -> None:
    run = project.bump("v1.0.0", "--dry-run")
    assert run.code == 0, run.err
    assert '+version = "1.0.0"' in run.out
