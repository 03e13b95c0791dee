"""`bump init`: a project that has none of the release files gets them, and keeps its own."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from conftest import PYPROJECT, Project, git

from cutrelease import scaffold

WORKFLOW = ".github/workflows/release.yml"

CHANGELOG_HEAD = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]
"""

SECURITY = """\
# Security Policy

## Supported Versions

Security fixes go to the latest minor release line.

| Version | Supported          |
| ------- | ------------------ |
| 0.2.x   | :white_check_mark: |
| < 0.2   | :x:                |

## Reporting a Vulnerability

Please report a vulnerability privately through GitHub's security advisories for this
repository (https://github.com/acme/widget/security/advisories/new), not in a public issue.
"""


def bare_project(tmp_path: Path, *, remote: str | None, pyproject: str = PYPROJECT) -> Project:
    """A committed project with only pyproject.toml; origin's URL (if any) is never reached."""
    root = tmp_path / "work"
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(tmp_path / "remote.git"))
    project = Project(root, tmp_path / "remote.git")
    project.write("pyproject.toml", pyproject)
    project.commit_all("initial")
    if remote is not None:
        project.git("remote", "add", "origin", remote)
    return project


def test_init_creates_the_four_files(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote="git@github.com:acme/widget.git")
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")  # released: links compare from its tag
    run = project.bump("init")
    assert (run.code, run.out) == (0, ""), run.err
    assert project.read("CHANGELOG.md") == (
        CHANGELOG_HEAD + "\n[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n"
    )
    assert project.read("SECURITY.md") == SECURITY
    workflow = project.read(WORKFLOW)
    pinned = f"cutrelease=={version('cutrelease')}"  # the bump that wrote it, never the newest
    assert f'run: uvx --from {pinned} bump check-tag "$GITHUB_REF_NAME"\n' in workflow
    assert "url: https://pypi.org/p/widget\n" in workflow
    assert run.err == (
        "bump: writing CHANGELOG.md\n"
        "bump: writing SECURITY.md\n"
        "bump: writing .github/workflows/release.yml\n"
        "bump: writing .github/dependabot.yml\n"
        "Created CHANGELOG.md, SECURITY.md, .github/workflows/release.yml, .github/dependabot.yml. "
        "Commit them before your first release.\n"
    )
    assert project.bump("check").code == 0


def test_before_the_first_release_the_changelog_links_to_no_tag(tmp_path: Path) -> None:
    """No tag v0.2.0 yet: a compare link from it would be a dead link; the release adds links."""
    project = bare_project(tmp_path, remote="git@github.com:acme/widget.git")
    assert project.bump("init").code == 0
    assert project.read("CHANGELOG.md") == CHANGELOG_HEAD
    assert "https://github.com/acme/widget/security" in project.read("SECURITY.md")
    text = CHANGELOG_HEAD.replace("## [Unreleased]\n", "## [Unreleased]\n\n- The widget.\n")
    project.write("CHANGELOG.md", text)
    project.commit_all("init files")
    project.git("remote", "set-url", "--push", "origin", str(project.remote))
    project.git("push", "-q", "origin", "main")
    run = project.bump("0.2.0", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.read("CHANGELOG.md").endswith(
        "## [0.2.0] - 2026-03-01\n\n- The widget.\n\n"
        "[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n"
        "[0.2.0]: https://github.com/acme/widget/releases/tag/v0.2.0\n"
    )
    assert project.bump("check").code == 0


def test_init_never_overwrites_and_says_what_it_kept(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote=None)
    project.write("SECURITY.md", "Our own policy.\n")
    project.write(WORKFLOW, "name: ours\n")
    run = project.bump("init")
    assert run.code == 0, run.err
    assert project.read("SECURITY.md") == "Our own policy.\n"
    assert project.read(WORKFLOW) == "name: ours\n"
    assert project.read("CHANGELOG.md") == CHANGELOG_HEAD
    assert "Kept SECURITY.md: it exists already.\n" in run.err
    assert "Kept .github/workflows/release.yml: it exists already.\n" in run.err
    assert project.read(".github/dependabot.yml") == scaffold.DEPENDABOT_TEXT
    again = project.bump("init")
    assert (again.code, again.out) == (0, "")
    assert again.err == (
        "Kept CHANGELOG.md: it exists already.\n"
        "Kept SECURITY.md: it exists already.\n"
        "Kept .github/workflows/release.yml: it exists already.\n"
        "Kept .github/dependabot.yml: it exists already.\n"
        "Nothing to create.\n"
    )


def test_init_keeps_a_dangling_symlink(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote=None)
    (project.root / "CHANGELOG.md").symlink_to("docs/nowhere.md")
    run = project.bump("init")
    assert run.code == 0, run.err
    assert (project.root / "CHANGELOG.md").is_symlink()
    assert "Kept CHANGELOG.md: it exists already.\n" in run.err


def test_a_file_in_the_way_of_a_folder_is_refused(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote=None)
    project.write(".github", "a file where the folder should be\n")
    project.commit_all("odd")
    before = project.snapshot()
    run = project.bump("init")
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        "error: .github is not a folder, so bump init cannot create .github/workflows/release.yml."
        " Rename or remove it, or point [tool.cutrelease] elsewhere.\n"
    )
    assert project.snapshot() == before


def test_a_failed_write_removes_what_it_created(tmp_path: Path) -> None:
    root = tmp_path / "work"
    (root / "blocked").mkdir(parents=True)
    (root / "blocked" / "in-the-way").write_text("a file\n")
    plan = scaffold.Scaffold(
        root,
        create=(
            scaffold.NewFile("docs/new/CHANGELOG.md", "changes\n"),
            scaffold.NewFile("blocked/in-the-way/release.yml", "name: release\n"),
        ),
        kept=(),
    )
    with pytest.raises(NotADirectoryError):
        scaffold.apply(plan, report=lambda step: None)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "blocked",
        "blocked/in-the-way",
    ]


def test_dry_run_shows_the_files_and_changes_nothing(project: Project) -> None:
    (project.root / "SECURITY.md").unlink()
    project.commit_all("no security policy")
    before = project.snapshot()
    run = project.bump("init", "--dry-run")
    assert run.code == 0, run.err
    assert project.snapshot() == before
    assert run.out.startswith(
        "--- /dev/null\n+++ b/SECURITY.md\n@@ -0,0 +1,15 @@\n+# Security Policy\n"
    )
    assert "+++ b/.github/workflows/release.yml\n" in run.out
    assert "+++ b/.github/dependabot.yml\n" in run.out
    assert "CHANGELOG.md" not in run.out
    assert run.err == (
        "Kept CHANGELOG.md: it exists already.\n"
        "Dry run: would create SECURITY.md, .github/workflows/release.yml, .github/dependabot.yml;"
        " nothing was changed.\n"
    )


def test_without_a_forge_remote_the_changelog_has_no_links(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote=str(tmp_path / "elsewhere.git"))
    assert project.bump("init").code == 0
    assert project.read("CHANGELOG.md") == CHANGELOG_HEAD
    assert "privately to the maintainers" in project.read("SECURITY.md")
    assert project.bump("check").code == 0


def test_links_follow_the_forge_and_the_tag_prefix(tmp_path: Path) -> None:
    config = '\n[tool.cutrelease]\ntag_prefix = ""\nsecurity = ""\n'
    project = bare_project(
        tmp_path, remote="https://gitlab.com/acme/widget.git", pyproject=PYPROJECT + config
    )
    project.git("tag", "-a", "0.2.0", "-m", "0.2.0")
    assert project.bump("init").code == 0
    assert project.read("CHANGELOG.md") == (
        CHANGELOG_HEAD + "\n[Unreleased]: https://gitlab.com/acme/widget/-/compare/0.2.0...HEAD\n"
    )
    assert not (project.root / "SECURITY.md").exists()
    assert '      - "[0-9]*"\n' in project.read(WORKFLOW)
    assert project.bump("check").code == 0


@pytest.mark.parametrize(
    ("version_line", "words"),
    [
        ('dynamic = ["version"]', "dynamic"),
        ('version = "1.0"', "not three numbers X.Y.Z"),
    ],
)
def test_init_refuses_without_a_static_semver_version(
    tmp_path: Path, version_line: str, words: str
) -> None:
    pyproject = PYPROJECT.replace('version = "0.2.0"  # keep this comment', version_line)
    project = bare_project(tmp_path, remote=None, pyproject=pyproject)
    before = sorted(p.name for p in project.root.iterdir())
    run = project.bump("init")
    assert run.code == 1
    assert words in run.err
    assert "Traceback" not in run.err
    assert sorted(p.name for p in project.root.iterdir()) == before


def test_a_project_set_up_by_init_releases_and_stays_clean(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote="https://github.com/acme/widget.git")
    assert project.bump("init").code == 0
    # The links come from the forge's URL; the release itself goes to a local bare remote.
    project.git("remote", "set-url", "--push", "origin", str(project.remote))
    changelog = project.read("CHANGELOG.md").replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- Knobs.\n"
    )
    project.write("CHANGELOG.md", changelog)
    project.commit_all("release files")
    project.push()
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.read("CHANGELOG.md") == CHANGELOG_HEAD + (
        "\n## [0.3.0] - 2026-03-01\n\n### Added\n\n- Knobs.\n\n"
        "[Unreleased]: https://github.com/acme/widget/compare/v0.3.0...HEAD\n"
        "[0.3.0]: https://github.com/acme/widget/releases/tag/v0.3.0\n"
    )
    assert "| 0.3.x   | :white_check_mark: |\n| < 0.3   | :x:                |" in project.read(
        "SECURITY.md"
    )
    check = project.bump("check")
    assert (check.code, check.out) == (0, ""), check.err


DEPENDABOT = ".github/dependabot.yml"


def test_dependabot_keeps_the_pinned_actions_up_to_date(tmp_path: Path) -> None:
    project = bare_project(tmp_path, remote=None)
    assert project.bump("init").code == 0
    config = yaml.safe_load(project.read(DEPENDABOT))
    assert config["version"] == 2
    assert config["updates"] == [
        {
            "package-ecosystem": "github-actions",
            "directory": "/",
            "schedule": {"interval": "weekly"},
            "cooldown": {"default-days": 7},
        }
    ]
    audit = tmp_path / "audit" / ".github" / "dependabot.yml"
    audit.parent.mkdir(parents=True)
    audit.write_text(project.read(DEPENDABOT), "utf-8")
    zizmor = Path(sys.executable).parent / "zizmor"
    command = [str(zizmor), "--offline", "--persona=pedantic", "--no-progress", str(audit)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", [DEPENDABOT, ".github/dependabot.yaml"])
def test_an_existing_dependabot_configuration_is_kept(tmp_path: Path, name: str) -> None:
    project = bare_project(tmp_path, remote=None)
    project.write(name, "version: 2\nupdates: []\n")
    run = project.bump("init")
    assert run.code == 0, run.err
    assert project.read(name) == "version: 2\nupdates: []\n"
    assert f"Kept {name}: it exists already.\n" in run.err
    assert sorted(p.name for p in (project.root / ".github").glob("dependabot.*")) == [
        Path(name).name
    ]


def test_this_repository_has_the_dependabot_configuration_bump_init_writes() -> None:
    own = Path(__file__).resolve().parents[1] / DEPENDABOT
    assert own.read_text("utf-8") == scaffold.DEPENDABOT_TEXT


def test_a_0_0_x_project_of_init_says_0_0_x_unsupported_after_its_first_minor(
    tmp_path: Path,
) -> None:
    # A new user's trial: the one-row table of 0.0.x became `0.1.x` alone, saying nothing of 0.0.x.
    pyproject = PYPROJECT.replace('version = "0.2.0"', 'version = "0.0.1"')
    project = bare_project(tmp_path, remote=None, pyproject=pyproject)
    assert project.bump("init").code == 0
    assert "| 0.0.x   | :white_check_mark: |\n\n" in project.read("SECURITY.md")
    project.git("remote", "add", "origin", str(project.remote))
    changelog = project.read("CHANGELOG.md").replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- Knobs.\n"
    )
    project.write("CHANGELOG.md", changelog)
    project.commit_all("release files")
    project.push()
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    policy = project.read("SECURITY.md")
    assert "| 0.1.x   | :white_check_mark: |\n| < 0.1   | :x:                |\n\n" in policy
    check = project.bump("check")
    assert (check.code, check.out) == (0, ""), check.err
