"""Changelog fragments in a real release (SPEC section 13): merged, deleted in the release
commit, back on any undo; `bump next`, `bump auto`, `level_check`, `notes`, `check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import CHANGELOG, PYPROJECT, Project, make_project

TOWNCRIER = """
[tool.towncrier]
directory = "newsfragments"
filename = "CHANGELOG.md"

[[tool.towncrier.type]]
directory = "feature"
name = "Features"
showcontent = true

[[tool.towncrier.type]]
directory = "bugfix"
name = "Bugfixes"
showcontent = true
"""

CODE_FRAGMENT = """\
Added `bump next`, which prints:

```console
$ bump next
minor 0.3.0
```
"""


@pytest.fixture
def towncrier(tmp_path: Path) -> Project:
    """A project that used towncrier before: its [tool.towncrier] table and newsfragments/."""
    project = make_project(tmp_path)
    project.write("pyproject.toml", PYPROJECT + TOWNCRIER)
    project.write("newsfragments/README.md", "One file per change.\n")
    project.write("newsfragments/.gitignore", "!.gitignore\n")
    project.write("newsfragments/14.feature.md", CODE_FRAGMENT)
    project.write("newsfragments/9.bugfix", "Fixed the frobnicator.\r\n")
    project.write("newsfragments/+tidy.bugfix.md", "Tidied the frobnicator.\n")
    project.commit_all("fragments")
    project.push()
    return project


def _fragments(project: Project) -> list[str]:
    return project.git("ls-files", "newsfragments").split()


def test_a_release_merges_the_fragments_and_deletes_them(towncrier: Project) -> None:
    run = towncrier.bump("minor", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    changelog = towncrier.read("CHANGELOG.md")
    assert changelog.startswith(CHANGELOG.split("## [Unreleased]")[0])
    section = changelog.split("## [0.3.0] - 2026-03-01\n", 1)[1].split("## [0.2.0]")[0]
    assert section == (
        "\n"
        "### Added\n"
        "\n"
        "- Added `bump next`, which prints: (#14)\n"
        "\n"
        "  ```console\n"
        "  $ bump next\n"
        "  minor 0.3.0\n"
        "  ```\n"
        "\n"
        "### Fixed\n"
        "\n"
        "- A fix.\n"
        "- Fixed the frobnicator. (#9)\n"
        "- Tidied the frobnicator.\n"
        "\n"
    )
    # Deleted in the release commit itself, which the remote has; README and dotfiles stay.
    shown = towncrier.git("show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(shown) == [
        "D\tnewsfragments/+tidy.bugfix.md",
        "D\tnewsfragments/14.feature.md",
        "D\tnewsfragments/9.bugfix",
        "M\tCHANGELOG.md",
        "M\tSECURITY.md",
        "M\tpyproject.toml",
    ]
    assert _fragments(towncrier) == ["newsfragments/.gitignore", "newsfragments/README.md"]
    assert towncrier.git("status", "--porcelain") == ""
    assert towncrier.remote_git("rev-parse", "main") == towncrier.git("rev-parse", "HEAD")


def test_the_dry_run_shows_the_deletions_and_changes_nothing(towncrier: Project) -> None:
    before = towncrier.snapshot()
    run = towncrier.bump("minor", "--dry-run", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "--- a/newsfragments/9.bugfix\n+++ /dev/null\n@@ -1 +0,0 @@\n" in run.out
    assert "\n-Fixed the frobnicator." in run.out
    assert "+- Fixed the frobnicator. (#9)\n" in run.out
    assert "git -c maintenance.auto=false commit" in run.out
    assert towncrier.snapshot() == before


def test_a_rejected_push_brings_the_fragments_back_byte_for_byte(towncrier: Project) -> None:
    towncrier.hook("pre-receive", "echo 'no releases today' >&2\nexit 1\n", remote=True)
    before = towncrier.snapshot()
    run = towncrier.bump("minor", "--yes")
    assert run.code == 1
    assert "no releases today" in run.err
    assert "the repository was restored" in run.err
    assert towncrier.snapshot() == before
    assert (towncrier.root / "newsfragments/9.bugfix").read_bytes() == b"Fixed the frobnicator.\r\n"


def test_kill_after_the_commit_then_recover(towncrier: Project) -> None:
    before = towncrier.snapshot()
    towncrier.kill_at("commit", part="minor")
    assert not (towncrier.root / "newsfragments/14.feature.md").exists()
    run = towncrier.bump("recover")
    assert run.code == 0, run.err
    assert towncrier.snapshot() == before
    assert towncrier.read("newsfragments/14.feature.md") == CODE_FRAGMENT


def test_a_release_of_fragments_alone(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.write("CHANGELOG.md", CHANGELOG.replace("### Fixed\n\n- A fix.\n\n", ""))
    project.write("changelog.d/3.fixed.md", "Mended.\n")
    project.commit_all()
    project.push()
    assert project.bump("notes", "--unreleased").out == "### Fixed\n\n- Mended. (#3)\n"
    assert project.bump("next").out == "patch 0.2.1\n"
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "## [0.2.1] - 2026-03-01\n\n### Fixed\n\n- Mended. (#3)\n\n## [0.2.0]" in project.read(
        "CHANGELOG.md"
    )
    assert list((project.root / "changelog.d").iterdir()) == []  # kept, for the next ones
    assert project.git("status", "--porcelain") == ""


def test_next_and_its_json(towncrier: Project) -> None:
    assert towncrier.bump("next").out == "minor 0.3.0\n"
    assert towncrier.bump("next", "patch").out == "0.2.1\n"
    assert towncrier.bump("next", "major").out == "1.0.0\n"
    answer = json.loads(towncrier.bump("next", "--json").out)
    assert answer == {
        "ok": True,
        "current_version": "0.2.0",
        "level": "minor",
        "version": "0.3.0",
        "called_for": {
            "level": "minor",
            "where": "newsfragments/14.feature.md:1",
            "category": "Added",
            "text": "Added `bump next`, which prints:",
        },
        "error": None,
        "exit_code": 0,
    }


def test_before_one_a_removal_calls_for_minor(project: Project) -> None:
    project.write("changelog.d/+old.removal.md", "Removed `--old`.\n")
    project.commit_all()
    assert project.bump("next").out == "minor 0.3.0\n"


def test_no_entry_calls_for_a_release(project: Project) -> None:
    project.write("CHANGELOG.md", CHANGELOG.replace("### Fixed\n\n- A fix.\n\n", ""))
    project.commit_all()
    run = project.bump("next")
    assert run.code == 1
    assert "No entry of CHANGELOG.md's Unreleased section" in run.err
    assert project.bump("next", "minor").out == "0.3.0\n"


def test_level_check_warns_by_default(towncrier: Project) -> None:
    run = towncrier.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    assert (
        "# Note: the entries call for a minor release (newsfragments/14.feature.md:1, under "
        "Added: 'Added `bump next`, which prints:'), and 0.2.1 is a patch release.\n"
    ) in run.out


def test_level_check_refuse_names_the_entry(towncrier: Project) -> None:
    towncrier.write(
        "pyproject.toml",
        PYPROJECT + '\n[tool.cutrelease]\nlevel_check = "refuse"\n' + TOWNCRIER,
    )
    towncrier.commit_all()
    towncrier.push()
    before = towncrier.snapshot()
    run = towncrier.bump("patch", "--yes")
    assert run.code == 1
    assert (
        "error: bump patch is lower than the entries call for: a minor release "
        "(newsfragments/14.feature.md:1, under Added: 'Added `bump next`, which prints:'). "
        "Run `bump minor` (or `bump auto`)"
    ) in run.err
    assert towncrier.snapshot() == before
    assert towncrier.bump("minor", "--dry-run").code == 0


def test_level_check_is_checked(project: Project) -> None:
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\nlevel_check = "loud"\n')
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert 'level_check in pyproject.toml must be "warn", "refuse" or "off"' in run.err


def test_bad_fragments_refuse_the_release_and_show_in_check(project: Project) -> None:
    project.write("changelog.d/1.feture.md", "Typo.\n")
    project.write("changelog.d/2.feature.md", "\n")
    project.commit_all()
    project.push()
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "error: changelog.d/1.feture.md:1: its type 'feture' is not one of" in run.err
    assert project.snapshot() == before
    check = project.bump("check")
    assert check.code == 1
    lines = [line for line in check.out.splitlines() if line.startswith("changelog.d/")]
    assert [re.sub(r"(\.|:) .*", r"\1", line, count=1) for line in lines] == [
        "changelog.d/1.feture.md:1:",
        "changelog.d/2.feature.md:1:",
    ]


def test_an_untracked_fragment_is_refused(project: Project) -> None:
    project.write("changelog.d/5.added.md", "New.\n")
    before = project.snapshot()
    run = project.bump("minor", "--yes")
    assert run.code == 1
    assert "changelog.d/5.added.md is not tracked by git" in run.err
    assert project.snapshot() == before


def test_the_pre_commit_hook_fires_on_fragments() -> None:
    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    pattern = re.compile(hooks[0]["files"])
    for path in ("changelog.d/12.feature.md", "newsfragments/3.bugfix", "CHANGELOG.md"):
        assert pattern.search(path), path
    assert not pattern.search("src/widget/__init__.py")


def test_init_offers_the_towncrier_folder(towncrier: Project) -> None:
    run = towncrier.bump("init", "--dry-run")
    assert run.code == 0, run.err
    assert (
        "Found changelog fragments in newsfragments/ (its folder and types from "
        "[tool.towncrier]), 3 now: each release merges them into CHANGELOG.md and deletes "
        "them in its commit.\n"
    ) in run.err


def test_init_says_nothing_of_fragments_without_a_folder(project: Project) -> None:
    run = project.bump("init", "--dry-run")
    assert run.code == 0, run.err
    assert "fragments" not in run.err


def test_a_blank_folder_turns_fragments_off(project: Project) -> None:
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\nfragments = ""\n')
    project.write("NOTES.md", "### Added\n\n- Not a fragment: the root is no fragments folder.\n")
    project.commit_all()
    project.push()
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert (project.root / "NOTES.md").exists()


def test_a_folder_outside_the_repository_is_refused(project: Project) -> None:
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\nfragments = ".."\n')
    project.commit_all()
    before = project.snapshot()
    run = project.bump("patch", "--yes", "--no-push")
    assert run.code == 1
    assert "the changelog fragments' folder '..' is not a folder inside the repository" in run.err
    assert project.snapshot() == before
    assert "pyproject.toml: the changelog fragments' folder '..'" in project.bump("check").out
