"""The release checks its own output (SPEC section 16): what `bump check` accepts before a
release, it accepts after; a release that would break that is refused, nothing changed."""

from __future__ import annotations

from pathlib import Path

from conftest import CHANGELOG, Project

from cutrelease.files import lint
from cutrelease.files.lint import Problem

# A policy naming the exact release, as a project with one supported release writes it (r13).
EXACT_SECURITY = """\
# Security

## Supported Versions

| Version | Supported |
| ------- | --------- |
| 0.2.0   | Yes       |
| < 0.2.0 | No        |
"""


def test_a_patch_moves_a_table_naming_the_exact_release(project: Project) -> None:
    project.write("SECURITY.md", EXACT_SECURITY)
    project.commit_all("policy")
    project.push()
    assert project.bump("check").code == 0
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "| 0.2.1   | Yes       |" in project.read("SECURITY.md")
    assert "| < 0.2.1 | No        |" in project.read("SECURITY.md")
    assert "SECURITY.md" in project.git("show", "--name-only", "--format=", "HEAD").split()
    check = project.bump("check")
    assert check.code == 0, check.out + check.err


def test_a_patch_leaves_a_table_of_lines_and_a_missing_policy_alone(project: Project) -> None:
    before = project.read("SECURITY.md")
    assert project.bump("patch").code == 0
    assert project.read("SECURITY.md") == before  # 0.2.x covers 0.2.1
    (project.root / "SECURITY.md").unlink()
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n- Another fix.\n"
        ),
    )
    project.commit_all("no policy")
    project.push()
    run = project.bump("patch")
    assert run.code == 0, run.err  # a patch never needs one; only a new line's release does


def test_a_release_that_would_break_the_changelog_is_refused(project: Project) -> None:
    """A release template taken from a project that dates nothing, in a changelog whose every
    release is dated: the new heading would fail `bump check`, which passes now."""
    project.write("templates/changelog_release.md.j2", "{{ level }} [{{ label }}]\n")
    project.commit_all("our own template")
    project.push()
    assert project.bump("check").code == 0
    before = project.snapshot()
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 1, run.err
    assert "CHANGELOG.md:10: release 0.2.1 has no date" in run.err, run.err
    assert "would leave a problem `bump check` does not find now" in run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 1 and "CHANGELOG.md:10" in dry.err
    assert project.snapshot() == before


def test_a_file_already_breaking_a_rule_is_not_refused_for_it_again(project: Project) -> None:
    """Undated releases throughout, as the project's template writes them: `bump check`
    rejects the file before and after, and the release goes on as it always did."""
    project.write("templates/changelog_release.md.j2", "{{ level }} [{{ label }}]\n")
    project.write(
        "CHANGELOG.md",
        CHANGELOG.replace("[0.2.0] - 2026-01-10", "[0.2.0]").replace(
            "[0.1.0] - 2025-12-01", "[0.1.0]"
        ),
    )
    project.commit_all("undated")
    project.push()
    assert project.bump("check").code == 1
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "## [0.2.1]\n" in project.read("CHANGELOG.md")


def test_new_problems_are_of_a_new_kind() -> None:
    before = [Problem("SECURITY.md", 7, "supports 1.5.x, but the version is 1.6.0; mark 1.6.x.")]
    after = [
        Problem("SECURITY.md", 8, "supports 1.5.x, but the version is 1.6.1; mark 1.6.x."),
        Problem("CHANGELOG.md", 9, "release 1.6.1 has no date; end its heading with a date."),
    ]
    assert lint.new_problems(before, after) == after[1:]
    assert lint.new_problems(after, before) == []


def _big_changelog(releases: int) -> str:
    head = "# Changelog\n\n## [Unreleased]\n\n- Next.\n\n"
    sections, links = [], []
    for n in range(releases, 0, -1):
        sections.append(f"## [0.{n}.0] - 2025-01-01\n\n" + "- An entry of some length.\n" * 40)
        sections.append("\n")
        older = f"v0.{n - 1}.0...v0.{n}.0" if n > 1 else None
        url = f"compare/{older}" if older else f"releases/tag/v0.{n}.0"
        links.append(f"[0.{n}.0]: https://github.com/acme/big/{url}\n")
    unreleased = f"[Unreleased]: https://github.com/acme/big/compare/v0.{releases}.0...HEAD\n"
    return head + "".join(sections) + unreleased + "".join(links)


def test_a_long_changelog_is_linted_in_a_window_with_the_files_own_lines() -> None:
    before = _big_changelog(200)
    assert len(before) > lint.WINDOW_BYTES
    new_section = "## [0.201.0] - 2026-03-01\n\n- Next.\n\n"
    broken = "[0.201.0]: https://github.com/acme/big/compare/v0.100.0...v0.201.0\n"
    after = before.replace(
        "## [Unreleased]\n\n- Next.\n\n", "## [Unreleased]\n\n" + new_section
    ).replace("compare/v0.200.0...HEAD\n", "compare/v0.201.0...HEAD\n" + broken + broken)
    args = {"path": "CHANGELOG.md", "old": "0.200.0", "new": "0.201.0", "tag_prefix": "v"}
    lint_before = lint.check_changelog(
        before, path="CHANGELOG.md", version="0.200.0", tag_prefix="v"
    )
    assert lint_before == []
    whole = lint.check_changelog(after, path="CHANGELOG.md", version="0.201.0", tag_prefix="v")
    windowed = lint.changelog_after_release(before, after, **args)
    link = after.split("\n").index(broken.strip()) + 1
    assert [(p.line, p.message) for p in windowed] == [
        (
            link,
            "the link of release 0.201.0 compares v0.100.0...v0.201.0; it should "
            "compare v0.200.0...v0.201.0.",
        ),
        (link + 1, f"the link [0.201.0] is defined twice (first on line {link}); remove this one."),
    ]
    assert windowed == whole  # the same problems at the same lines, the old sections unread
    fixed = broken.replace("v0.100.0", "v0.200.0")
    assert lint.changelog_after_release(before, after.replace(broken + broken, fixed), **args) == []


def test_the_version_read_again_is_the_new_one(tmp_path: Path) -> None:
    from cutrelease.project import load

    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0.2.0"\n')
    loaded = load(tmp_path, learn_tag_prefix=False)
    moved = {"pyproject.toml"}
    good = {"pyproject.toml": '[project]\nname = "w"\nversion = "0.2.1"\n'}
    assert lint.version_after_release(loaded, good, new="0.2.1", moved=moved) == []
    bad = {"pyproject.toml": '[project]\nname = "w"\nversion = "0.2.0"\n'}
    (problem,) = lint.version_after_release(loaded, bad, new="0.2.1", moved=moved)
    assert (problem.path, problem.line) == ("pyproject.toml", 3)
    assert "0.2.0 after the release, not 0.2.1" in problem.message
