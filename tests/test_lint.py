"""`bump check`: every problem of the release files, each with its file and line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHANGELOG, GIT_ENV, PYPROJECT, SECURITY, Project

from cutrelease.files.lint import Problem, check_changelog, check_security

REPO = Path(__file__).resolve().parents[1]


def lint(text: str, version: str | None = "0.2.0", tag_prefix: str = "v") -> list[str]:
    problems = check_changelog(text, path="CHANGELOG.md", version=version, tag_prefix=tag_prefix)
    return [str(problem) for problem in problems]


# ----------------------------------------------------------------------------- the changelog


def test_the_fixture_changelog_is_clean() -> None:
    assert lint(CHANGELOG) == []


def test_every_problem_is_listed_with_its_line() -> None:
    text = """\
# Changelog

## [0.1.0] - 2026-01-01

## [Unreleased]

## [0.3.0] - Jan 10, 2026

## [0.2.0] - 2026-02-30

## [0.2.0]

## [1.0.x] - 2026-01-01

## 0.0.9 - 2025-01-01

## [Unreleased]

[Unreleased]: https://github.com/a/b/compare/v0.2.0...HEAD
[0.3.0]: https://github.com/a/b/compare/v0.1.0...v0.3.0
[0.1.0]: https://github.com/a/b/compare/v0.0.8...v0.1.0
[0.1.0]: https://github.com/a/b/compare/v0.0.8...v0.1.0
[2.0.0]: https://example.com/2.0.0
[Keep a Changelog]: https://keepachangelog.com/
"""
    assert lint(text, version="0.3.0") == [
        "CHANGELOG.md:3: the newest release is 0.1.0, but pyproject.toml's [project].version is "
        "0.3.0; make them agree.",
        "CHANGELOG.md:5: the Unreleased section comes after release 0.1.0 (line 3); move it above "
        "the newest release.",
        "CHANGELOG.md:7: version 0.3.0 is listed below the older 0.1.0 (line 3); list versions "
        "newest first.",
        "CHANGELOG.md:7: the date of release 0.3.0, 'Jan 10, 2026', is not an ISO date; write it "
        "as YYYY-MM-DD.",
        "CHANGELOG.md:9: the date of release 0.2.0, 2026-02-30, does not exist; write the real "
        "date.",
        "CHANGELOG.md:9: release 0.2.0 has no link; add '[0.2.0]: URL' to the links at the end.",
        "CHANGELOG.md:11: version 0.2.0 is listed twice (also on line 9); keep one section per "
        "version.",
        "CHANGELOG.md:11: release 0.2.0 has no date; end its heading with ' - YYYY-MM-DD'.",
        "CHANGELOG.md:11: release 0.2.0 has no link; add '[0.2.0]: URL' to the links at the end.",
        "CHANGELOG.md:13: 1.0.x is not a PEP 440 or SemVer version; write it as X.Y.Z.",
        "CHANGELOG.md:13: release 1.0.x has no link; add '[1.0.x]: URL' to the links at the end.",
        "CHANGELOG.md:15: the heading of release 0.0.9 is not a link; write it as '[0.0.9]' and "
        "add '[0.0.9]: URL' to the links at the end.",
        "CHANGELOG.md:17: a second Unreleased section (the first is on line 5); merge them into "
        "one.",
        "CHANGELOG.md:19: the Unreleased link compares v0.2.0...HEAD; it should compare "
        "v0.3.0...HEAD.",
        "CHANGELOG.md:20: the link of release 0.3.0 compares v0.1.0...v0.3.0; it should compare "
        "v0.2.0...v0.3.0.",
        "CHANGELOG.md:21: the link of release 0.1.0 compares v0.0.8...v0.1.0; it should compare "
        "v0.0.9...v0.1.0.",
        "CHANGELOG.md:22: the link [0.1.0] is defined twice (first on line 21); remove this one.",
        "CHANGELOG.md:23: the link [2.0.0] has no heading; remove it, or add the section it "
        "points to.",
    ]


def test_no_unreleased_section() -> None:
    text = CHANGELOG.replace("## [Unreleased]\n\n### Fixed\n\n- A fix.\n\n", "").replace(
        "[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n", ""
    )
    assert lint(text) == [
        "CHANGELOG.md:8: there is no Unreleased section; add '## [Unreleased]' above the newest "
        "release."
    ]


def test_dates_keep_a_changelog_form() -> None:
    text = """\
## [Unreleased]

## [0.4.0] - 2026-01-04 [YANKED]

## [0.3.0] (2026-01-03)

## [0.2.0] - 2026-01-02 (hotfix)

## [0.1.1] – 2026-01-01

## [0.1.0] on New Year's Day
"""
    assert lint(text, version="0.4.0") == [
        "CHANGELOG.md:5: the heading of release 0.3.0 writes its date as '(2026-01-03)'; write "
        "' - 2026-01-03'.",
        "CHANGELOG.md:7: the heading of release 0.2.0 has '(hotfix)' after its date; only "
        "' [YANKED]' may follow it.",
        "CHANGELOG.md:11: the date of release 0.1.0, 'on New Year's Day', is not written as "
        "' - YYYY-MM-DD'; write it that way.",
    ]


def test_semver_precedence_with_prereleases() -> None:
    text = """\
## [Unreleased]

## [1.0.0] - 2026-01-05

## [1.0.0-rc.10] - 2026-01-04

## [1.0.0-rc.2] - 2026-01-03

## [1.0.0-beta] - 2026-01-02

## [1.0.0-rc.1] - 2026-01-01
"""
    assert lint(text, version="1.0.0") == [
        "CHANGELOG.md:11: version 1.0.0-rc.1 is listed below the older 1.0.0-beta (line 9); list "
        "versions newest first.",
    ]


def test_a_changelog_without_any_link_is_consistent() -> None:
    text = "## [Unreleased]\n\n## [0.2.0] - 2026-01-10\n\n## [0.1.0] - 2025-12-01\n"
    assert lint(text) == []


def test_inline_links_and_tag_pages_count_as_links() -> None:
    text = """\
## [Unreleased](https://github.com/a/b/compare/v0.2.0...HEAD)

## [0.2.0](https://github.com/a/b/releases/tag/v0.2.0) - 2026-01-10

## [0.1.0](https://pypi.org/project/b/0.1.0/) - 2025-12-01
"""
    assert lint(text) == []
    assert lint(text.replace("b/0.1.0/", "b/0.1.1/")) == [
        "CHANGELOG.md:5: the link of release 0.1.0 points at neither its compare page nor its "
        "tag v0.1.0."
    ]


@pytest.mark.parametrize(
    ("unreleased", "release", "oldest"),
    [
        (
            "https://gitlab.com/a/b/-/compare/v0.2.0...HEAD",
            "https://gitlab.com/a/b/-/compare/v0.1.0...v0.2.0",
            "https://gitlab.com/a/b/-/tags/v0.1.0",
        ),
        (
            "https://bitbucket.org/a/b/branches/compare/HEAD%0Dv0.2.0",
            "https://bitbucket.org/a/b/branches/compare/v0.2.0%0Dv0.1.0",
            "https://bitbucket.org/a/b/src/v0.1.0",
        ),
    ],
)
def test_compare_links_of_other_forges(unreleased: str, release: str, oldest: str) -> None:
    text = (
        "## [Unreleased]\n\n## [0.2.0] - 2026-01-10\n\n## [0.1.0] - 2025-12-01\n\n"
        f"[Unreleased]: {unreleased}\n[0.2.0]: {release}\n[0.1.0]: {oldest}\n"
    )
    assert lint(text) == []


def test_tag_prefix_is_the_configured_one() -> None:
    assert lint(CHANGELOG, tag_prefix="") == [
        "CHANGELOG.md:26: the Unreleased link compares v0.2.0...HEAD; it should compare "
        "0.2.0...HEAD.",
        "CHANGELOG.md:27: the link of release 0.2.0 compares v0.1.0...v0.2.0; it should compare "
        "0.1.0...0.2.0.",
    ]


def test_unreleased_link_must_compare_with_head_once_released() -> None:
    assert lint(CHANGELOG.replace("compare/v0.2.0...HEAD", "compare/v0.2.0...main")) == []
    text = CHANGELOG.replace("compare/v0.2.0...HEAD", "commits/main")
    assert lint(text) == [
        "CHANGELOG.md:26: the Unreleased link is no compare link; point it at the compare page "
        "v0.2.0...HEAD."
    ]


def test_version_check_is_skipped_without_a_valid_version() -> None:
    assert lint(CHANGELOG, version=None) == []
    assert lint(CHANGELOG, version="0.3.0") == [
        "CHANGELOG.md:14: the newest release is 0.2.0, but pyproject.toml's [project].version is "
        "0.3.0; make them agree."
    ]


def test_entries_below_the_link_footer_are_flagged() -> None:
    text = CHANGELOG + "\n- Appended below the links.\n- And another.\n"
    assert lint(text) == [
        "CHANGELOG.md:30: '- Appended below the links.' is below the link definitions at the "
        "end, where it belongs to no section; move it above the links, under the heading of its "
        "release (or Unreleased).",
    ]


def test_headings_in_list_items_and_code_are_not_sections() -> None:
    text = CHANGELOG.replace(
        "- A fix.\n",
        "- A fix, for headings such as:\n  ## [8.8.8] - 2020-01-01\n\n```\n## [9.9.9]\n```\n",
    )
    assert lint(text) == []


def test_check_flags_an_entry_appended_below_the_links_of_bump_init(project: Project) -> None:
    """`bump init` ends the changelog with its link; an entry appended there is found."""
    (project.root / "CHANGELOG.md").unlink()
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")  # released: init links from its tag
    project.git("remote", "set-url", "origin", "git@github.com:acme/widget.git")  # for links
    assert project.bump("init").code == 0
    project.git("remote", "set-url", "origin", str(project.remote))
    text = project.read("CHANGELOG.md")
    link = "[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n"
    assert text.endswith("## [Unreleased]\n\n" + link)
    lines = text.count("\n")
    project.write("CHANGELOG.md", text + "- A new knob.\n")
    project.commit_all("an entry, appended")
    run = project.bump("check")
    assert run.code == 1
    assert run.out.startswith(
        f"CHANGELOG.md:{lines + 1}: '- A new knob.' is below the link definitions at the end, "
    )
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert f"CHANGELOG.md:{lines + 1}: '- A new knob.' is below the link definitions" in run.err
    assert "Move it above the links" in run.err
    assert project.snapshot() == before


# ----------------------------------------------------------------------------- SECURITY.md


def test_security_table_covers_the_version() -> None:
    assert check_security(SECURITY, path="SECURITY.md", version="0.2.7") == []
    assert check_security(SECURITY, path="SECURITY.md", version="0.3.0") == [
        Problem(
            "SECURITY.md",
            9,
            "the Supported Versions table supports 0.2.x, but pyproject.toml's [project].version "
            "is 0.3.0; mark 0.3.x supported.",
        )
    ]


def test_security_without_a_table() -> None:
    text = "# Security Policy\n\n## Supported Versions\n\nThe latest one.\n"
    assert check_security(text, path="SECURITY.md", version="0.2.0") == [
        Problem(
            "SECURITY.md",
            3,
            "the Supported Versions section has no table. Put a table such as '| Version | "
            "Supported |', '| ------- | --------- |', '| 0.1.x   | :white_check_mark: |' under "
            'the heading, or set security = "" in [tool.cutrelease] to leave SECURITY.md alone.',
        )
    ]


# ----------------------------------------------------------------------------- bump check


def test_check_passes_on_a_clean_project(project: Project) -> None:
    run = project.bump("check")
    assert (run.code, run.out) == (0, "")
    assert run.err == "The release files are in order.\n"


def test_check_lists_every_problem_of_every_file(project: Project) -> None:
    project.write("pyproject.toml", PYPROJECT.replace('"0.2.0"', '"0.3"'))
    project.write("CHANGELOG.md", CHANGELOG.replace("2026-01-10", "10/01/2026"))
    project.write("SECURITY.md", SECURITY.replace("| ------- | ------------------ |\n", ""))
    before = project.snapshot()
    run = project.bump("check")
    assert run.code == 1
    assert run.out == (
        "pyproject.toml:8: [project].version in pyproject.toml:8 is '0.3', which is not three "
        "numbers X.Y.Z. Write it as 0.3.0, the same version.\n"
        "CHANGELOG.md:14: the date of release 0.2.0, '10/01/2026', is not an ISO date; write it "
        "as YYYY-MM-DD.\n"
        "SECURITY.md:7: this line looks like a table row, but no separator row such as "
        "'| --- | --- |' follows it. Add the separator row under the table's header row.\n"
    )
    assert run.err == "error: 3 problems in the release files; fix them before releasing.\n"
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        (
            PYPROJECT.replace('version = "0.2.0"  # keep this comment', 'dynamic = ["version"]'),
            "pyproject.toml:8: pyproject.toml lists version in [project].dynamic, but "
            "cutrelease cannot read it: build backend hatchling has no [tool.hatch.version].path "
            'to read it from. Set version = "X.Y.Z" in [project] (and drop it from dynamic), or '
            "have the backend read it from a file.\n",
        ),
        (
            PYPROJECT.replace('version = "0.2.0"  # keep this comment\n', ""),
            'pyproject.toml:5: pyproject.toml has no [project].version. Add version = "0.1.0" '
            "under [project].\n",
        ),
    ],
)
def test_check_needs_a_version_it_can_read(project: Project, pyproject: str, expected: str) -> None:
    project.write("pyproject.toml", pyproject)
    run = project.bump("check")
    assert (run.code, run.out) == (1, expected)
    release = project.bump("patch", "--dry-run")  # a release refuses in the same sentence
    assert release.code == 1
    assert expected.split(": ", 1)[1].strip() in release.err


def test_check_lists_every_place_that_disagrees(project: Project) -> None:
    project.write("src/widget/__init__.py", '"""Widget."""\n__version__ = "0.1.9"\n')
    project.write("src/widget/__about__.py", '__version__ = "0.2.1"\n')
    run = project.bump("check")
    assert run.code == 1
    lines = run.out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "src/widget/__init__.py:2",
        "src/widget/__about__.py:1",
    ]


def test_check_names_missing_files(project: Project) -> None:
    (project.root / "CHANGELOG.md").unlink()
    (project.root / "SECURITY.md").unlink()
    run = project.bump("check")
    assert run.code == 1
    assert run.out == (
        "CHANGELOG.md: does not exist; run `bump init` to create it.\n"
        'SECURITY.md: does not exist; run `bump init` to create it, or set security = "" in '
        "[tool.cutrelease].\n"
    )


def test_check_respects_the_configuration(project: Project) -> None:
    config = '\n[tool.cutrelease]\nchangelog = "docs/CHANGES.md"\nsecurity = ""\ntag_prefix = ""\n'
    project.write("pyproject.toml", PYPROJECT + config)
    project.write("docs/CHANGES.md", CHANGELOG.replace("/v0.", "/0.").replace("...v0.", "...0."))
    (project.root / "CHANGELOG.md").unlink()
    project.write("SECURITY.md", "no table at all\n")
    run = project.bump("check")
    assert (run.code, run.out) == (0, ""), run.err
    project.write("docs/CHANGES.md", CHANGELOG)
    run = project.bump("check")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "docs/CHANGES.md:26: the Unreleased link compares v0.2.0...HEAD; it should compare "
        "0.2.0...HEAD."
    )


def test_check_refuses_while_a_killed_release_is_pending(project: Project) -> None:
    (project.root / ".git" / "cutrelease-journal.json").write_text("{}")
    run = project.bump("check")
    assert run.code == 1
    assert "bump recover" in run.err


def test_check_as_the_pre_commit_hook_of_a_release(project: Project) -> None:
    """A release commits through git, so its own pre-commit hook may run `bump check`."""
    log = project.root.parent / "hook.log"
    project.hook("pre-commit", f'"{sys.executable}" -m cutrelease check 2> "{log}"\n')
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert log.read_text() == "The release files are in order.\n"
    assert project.bump("check").code == 0


def test_check_needs_neither_remote_nor_network(project: Project) -> None:
    project.git("remote", "remove", "origin")
    assert project.bump("check").code == 0


def test_this_repository_passes_its_own_check() -> None:
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "cutrelease", "-C", str(REPO), "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr


def test_an_entry_under_its_own_heading_below_the_links_is_flagged(project: Project) -> None:
    """`### Fixed` appended below the links: its entry belongs to no section either."""
    text = project.read("CHANGELOG.md") + "\n### Fixed\n\n- Fixed the frobnicator.\n"
    project.write("CHANGELOG.md", text)
    project.commit_all("an entry, appended under its own heading")
    line = text.count("\n")
    check = project.bump("check")
    assert check.code == 1
    assert f"CHANGELOG.md:{line}: '- Fixed the frobnicator.' is below the link" in check.out
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert f"CHANGELOG.md:{line}: '- Fixed the frobnicator.' is below the link" in run.err
    assert project.snapshot() == before
    notes = project.bump("notes", "0.1.0")
    assert "[Unreleased]" not in notes.out and "frobnicator" not in notes.out


def test_a_table_of_exact_releases_is_told_the_exact_release_and_who_holds_it() -> None:
    text = (
        "# Security\n\n## Supported Versions\n\n| Version | Supported |\n| ------- | --------- |\n"
        "| 1.6.0   | Yes       |\n| < 1.6.0 | No        |\n"
    )
    source = "src/widget/__about__.py's __version__"
    assert check_security(text, path="SECURITY.md", version="1.6.1", source=source) == [
        Problem(
            "SECURITY.md",
            7,
            "the Supported Versions table supports 1.6.0, but src/widget/__about__.py's "
            "__version__ is 1.6.1; mark 1.6.1 supported.",
        )
    ]


def test_setext_headings_and_azure_devops_links_are_read() -> None:
    azure = "https://dev.azure.com/acme/proj/_git/widget/branchCompare"
    text = (
        "Changelog\n=========\n\n[Unreleased]\n------------\n\n- A fix.\n\n"
        "[0.2.0] - 2026-01-10\n--------------------\n\n- The widget.\n\n"
        f"[Unreleased]: {azure}?baseVersion=GTv0.2.0&targetVersion=GBmain\n"
        f"[0.2.0]: {azure}?baseVersion=GTv0.1.0&targetVersion=GTv0.2.0\n"
    )
    assert lint(text) == []
    assert lint(text.replace("GTv0.2.0&targetVersion=GBmain", "GTv0.1.0&targetVersion=GBmain")) == [
        "CHANGELOG.md:14: the Unreleased link compares v0.1.0...main; it should compare "
        "v0.2.0...HEAD."
    ]


def test_a_heading_without_a_link_is_told_the_files_own_style_of_links() -> None:
    """A trial's changelog links its release headings in place (`## [1.0.1](URL) - date`) and
    its Unreleased heading not at all: `bump check` told it to add a definition at the end,
    a style the file does not use; it now says to link the heading in place."""
    text = (
        "# Changelog\n\n## [Unreleased]\n\n- Next.\n\n"
        "## [1.0.1](https://github.com/o/r/compare/v1.0.0...v1.0.1) - 2026-01-02\n\n- Fix.\n\n"
        "## [1.0.0](https://github.com/o/r/releases/tag/v1.0.0) - 2026-01-01\n\n- First.\n"
    )
    messages = [
        p.message
        for p in check_changelog(text, path="CHANGELOG.md", version="1.0.1", tag_prefix="v")
    ]
    inline = "write its heading as '[Unreleased](URL)', as the others."
    assert f"the Unreleased section has no link; {inline}" in messages
    footer = text.replace("## [1.0.0](https://github.com/o/r/releases/tag/v1.0.0)", "## [1.0.0]")
    footer += "\n[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n"
    messages = [
        p.message
        for p in check_changelog(footer, path="CHANGELOG.md", version="1.0.1", tag_prefix="v")
    ]
    assert (
        "the Unreleased section has no link; add '[Unreleased]: URL' to the links at the end."
        in messages
    )
