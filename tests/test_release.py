"""Whole releases on real repositories with a real bare remote."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    CHANGELOG,
    GIT_ENV,
    OFFLINE_INDEX,
    PYPROJECT,
    SECURITY,
    Project,
    git,
    make_project,
)

from cutrelease.output import JSON_SCHEMA, envelope

RELEASED_PATCH = CHANGELOG.replace(
    "## [Unreleased]\n\n### Fixed",
    "## [Unreleased]\n\n## [0.2.1] - 2026-03-01\n\n### Fixed",
).replace(
    "[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n",
    "[Unreleased]: https://github.com/acme/widget/compare/v0.2.1...HEAD\n"
    "[0.2.1]: https://github.com/acme/widget/compare/v0.2.0...v0.2.1\n",
)


def test_patch_release_end_to_end(project: Project) -> None:
    security_before = project.read("SECURITY.md")
    run = project.bump("patch", "-m", "fix things", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.read("CHANGELOG.md") == RELEASED_PATCH
    assert project.read("pyproject.toml") == PYPROJECT.replace(
        'version = "0.2.0"  # keep', 'version = "0.2.1"  # keep'
    )
    assert project.read("SECURITY.md") == security_before
    assert project.git("log", "-1", "--format=%s") == "chore(release): v0.2.1\n"
    changed = project.git("show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["CHANGELOG.md", "pyproject.toml"]
    assert project.git("cat-file", "-t", "v0.2.1") == "tag\n"
    assert project.git("tag", "-l", "--format=%(contents:subject)", "v0.2.1") == (
        "v0.2.1: fix things\n"
    )
    head = project.git("rev-parse", "HEAD")
    assert project.remote_git("rev-parse", "main") == head
    assert project.remote_git("rev-parse", "v0.2.1^{commit}") == head
    assert project.git("status", "--porcelain") == ""
    assert not list((project.root / ".git").glob("cutrelease*"))
    for step in ("checking", "writing CHANGELOG.md", "committing", "tagging", "pushing"):
        assert f"bump: {step}" in run.err


def test_tag_message_without_summary_is_the_tag(project: Project) -> None:
    assert project.bump("patch").code == 0
    assert project.git("tag", "-l", "--format=%(contents)", "v0.2.1").strip() == "v0.2.1"


def test_minor_rewrites_supported_versions(project: Project) -> None:
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.read("SECURITY.md") == SECURITY.replace(
        "| 0.2.x   | :white_check_mark: |\n| < 0.2   | :x:                |",
        "| 0.3.x   | :white_check_mark: |\n| < 0.3   | :x:                |",
    )
    assert "## [0.3.0] - 2026-03-01" in project.read("CHANGELOG.md")
    changed = project.git("show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["CHANGELOG.md", "SECURITY.md", "pyproject.toml"]


def test_major_release(project: Project) -> None:
    run = project.bump("major", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "| 1.0.x   | :white_check_mark: |" in project.read("SECURITY.md")
    assert project.remote_git("tag", "-l") == "v1.0.0\n"


def test_second_release_keeps_every_link(project: Project) -> None:
    assert project.bump("patch", "--date", "2026-03-01").code == 0
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- More.\n", 1
        ),
    )
    project.commit_all("more")
    run = project.bump("minor", "--date", "2026-04-01")
    assert run.code == 0, run.err
    text = project.read("CHANGELOG.md")
    footer = text[text.index("[Unreleased]: ") :]
    assert footer == (
        "[Unreleased]: https://github.com/acme/widget/compare/v0.3.0...HEAD\n"
        "[0.3.0]: https://github.com/acme/widget/compare/v0.2.1...v0.3.0\n"
        "[0.2.1]: https://github.com/acme/widget/compare/v0.2.0...v0.2.1\n"
        "[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0\n"
        "[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0\n"
    )
    assert project.remote_git("tag", "-l") == "v0.2.1\nv0.3.0\n"


def test_dry_run_shows_diff_and_commands_and_changes_nothing(project: Project) -> None:
    before = project.snapshot()
    run = project.bump("minor", "--dry-run", "--date", "2026-03-01")
    assert run.code == 0, run.err
    for name in ("pyproject.toml", "CHANGELOG.md", "SECURITY.md"):
        assert f"--- a/{name}\n+++ b/{name}\n" in run.out
    assert (
        '-version = "0.2.0"  # keep this comment\n+version = "0.3.0"  # keep this comment\n'
        in run.out
    )
    assert "+| 0.3.x   | :white_check_mark: |\n" in run.out
    assert run.out.endswith(
        "git -c maintenance.auto=false commit --quiet --cleanup=whitespace "
        "-m 'chore(release): v0.3.0' -- pyproject.toml CHANGELOG.md SECURITY.md\n"
        "git tag --annotate --cleanup=whitespace -m v0.3.0 -- v0.3.0\n"
        "git -c push.pushOption= push --atomic --no-follow-tags --recurse-submodules=no origin "
        "refs/heads/main:refs/heads/main refs/tags/v0.3.0:refs/tags/v0.3.0\n"
    )
    assert project.snapshot() == before


def test_no_push_commits_and_tags_locally_only(project: Project) -> None:
    remote_before = project.remote_git("for-each-ref")
    run = project.bump("patch", "--no-push")
    assert run.code == 0, run.err
    assert project.git("tag", "-l") == "v0.2.1\n"
    assert project.remote_git("for-each-ref") == remote_before
    assert "not pushed" in run.err


def test_other_remote(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "other.git"
    project.git("init", "-q", "--bare", str(other))
    project.git("remote", "add", "upstream", str(other))
    project.git("push", "-q", "upstream", "main")
    run = project.bump("patch", "--remote", "upstream")
    assert run.code == 0, run.err
    assert (
        subprocess.run(
            ["git", "tag", "-l"], cwd=other, capture_output=True, text=True, check=True
        ).stdout
        == "v0.2.1\n"
    )
    assert project.remote_git("tag", "-l") == ""


def test_dash_c_and_subfolder(project: Project, tmp_path: Path) -> None:
    assert project.bump("-C", str(project.root), "version", cwd=tmp_path).out == "0.2.0\n"
    run = project.bump("patch", "--dry-run", cwd=project.root / "src" / "widget")
    assert run.code == 0, run.err
    assert "+## [0.2.1] - " in run.out


def test_json_output(project: Project) -> None:
    run = project.bump("patch", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    # one schema, the same keys in the same order
    assert list(data) == [*envelope("patch"), *JSON_SCHEMA]
    assert data == {
        "schema_version": 1,
        "command": "patch",
        "ok": True,
        "dry_run": False,
        "old_version": "0.2.0",
        "new_version": "0.2.1",
        "tag": "v0.2.1",
        "files": ["pyproject.toml", "CHANGELOG.md"],
        "commit": project.git("rev-parse", "HEAD").strip(),
        "pushed": True,
        "diff": None,
        "commands": data["commands"],
        "hooks": [],
        "index": OFFLINE_INDEX,  # --offline (conftest): the package index is not asked
        "packages": [
            {
                "name": "widget",
                "tag": "v0.2.1",
                "old_version": "0.2.0",
                "new_version": "0.2.1",
                "index": OFFLINE_INDEX,
            }
        ],
        "error": None,
        "exit_code": 0,
    }
    assert [command.split()[:4] for command in data["commands"]] == [
        ["git", "-c", "maintenance.auto=false", "commit"],
        ["git", "tag", "--annotate", "--cleanup=whitespace"],
        ["git", "-c", "push.pushOption=", "push"],
    ]
    assert run.err == ""


def test_json_error(project: Project) -> None:
    project.git("checkout", "-q", "-b", "feature")
    before = project.snapshot()
    run = project.bump("patch", "--json")
    assert run.code == 1
    data = json.loads(run.out)
    assert list(data) == [*envelope("patch"), *JSON_SCHEMA]
    assert (data["ok"], data["exit_code"], data["files"]) == (False, 1, [])
    assert "main" in data["error"]
    assert run.out == json.dumps(data, indent=2) + "\n"  # formatted as a success is
    assert project.snapshot() == before


@pytest.mark.parametrize(
    "args",
    [
        ["patch", "--json", "--bogus"],
        ["minor", "--json", "--pre", "gamma"],
        ["stable", "--json", "--pre", "rc"],
        ["patch", "--json", "--no-push", "--remote", "nope"],
    ],
)
def test_json_usage_errors_are_json_too(project: Project, args: list[str]) -> None:
    before = project.snapshot()
    run = project.bump(*args)
    assert run.code == 2, run
    data = json.loads(run.out)
    assert list(data) == [*envelope(args[0]), *JSON_SCHEMA]
    assert (data["ok"], data["exit_code"]) == (False, 2)
    assert data["error"]
    assert project.snapshot() == before


def test_no_push_with_a_remote_is_a_usage_error(project: Project) -> None:
    run = project.bump("patch", "--no-push", "--remote", "nope")
    assert run.code == 2
    assert "--remote nope has nothing to do with --no-push" in run.err


def test_quiet_dry_run_still_prints_the_diff(project: Project) -> None:
    run = project.bump("patch", "--dry-run", "--quiet")
    assert run.code == 0
    assert run.out.startswith("--- a/pyproject.toml\n")
    assert run.err == ""


def test_quiet_prints_nothing_on_success(project: Project) -> None:
    run = project.bump("patch", "--quiet")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_version_command(project: Project) -> None:
    run = project.bump("version")
    assert (run.code, run.out) == (0, "0.2.0\n")


def test_help_lists_commands(project: Project) -> None:
    run = project.bump("--help")
    assert run.code == 0
    for command in ("patch", "minor", "major", "version", "recover"):
        assert f"  {command} " in run.out


def test_source_date_epoch(project: Project) -> None:
    project.env["SOURCE_DATE_EPOCH"] = "1772323200"  # 2026-03-01 UTC
    run = project.bump("patch", "--dry-run")
    assert "+## [0.2.1] - 2026-03-01\n" in run.out


def test_bad_date_is_a_usage_error(project: Project) -> None:
    run = project.bump("patch", "--date", "March 1st")
    assert run.code == 2
    assert "YYYY-MM-DD" in run.err


def test_credentials_never_shown(project: Project) -> None:
    secret_url = "https://alice:s3cr3t@example.invalid/acme/widget.git"
    project.git("remote", "set-url", "origin", secret_url)
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "s3cr3t" not in run.out + run.err
    assert "alice" not in run.out + run.err
    project.git("remote", "set-url", "origin", str(project.remote))
    project.git("remote", "set-url", "--push", "origin", str(project.remote))


def test_credentials_redacted_in_dry_run_plan(project: Project) -> None:
    # Push to the local remote, but with a credentialed fetch URL shown in messages.
    project.git("config", "remote.origin.url", "file://user:hunter2@" + str(project.remote))
    run = project.bump("patch", "--dry-run", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "hunter2" not in run.out + run.err
    assert "user:" not in run.out + run.err


def test_signed_commit_and_tag(project: Project, tmp_path: Path) -> None:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed"
    allowed.write_text("test@example.com " + (tmp_path / "key.pub").read_text())
    for key_, value in {
        "gpg.format": "ssh",
        "user.signingkey": str(key),
        "commit.gpgsign": "true",
        "tag.gpgSign": "true",
        "gpg.ssh.allowedSignersFile": str(allowed),
    }.items():
        project.git("config", key_, value)
    run = project.bump("patch")
    assert run.code == 0, run.err
    project.git("verify-commit", "HEAD")
    project.git("verify-tag", "v0.2.1")


def test_confirmation_on_a_terminal(project: Project) -> None:
    # A real pseudo-terminal: the question is asked, and "n" cancels with nothing changed.
    before = project.snapshot()
    run = project.bump_on_terminal("patch", answer="n")
    assert "Release v0.2.1 to origin? [y/N]" in run.out
    assert "files:  pyproject.toml, CHANGELOG.md" in run.out
    assert run.code == 1
    # Declining is a choice: said plainly, with no "error:" (the exit code still says no).
    assert "Release cancelled; nothing was changed." in run.out
    assert "error" not in run.out
    assert project.snapshot() == before


def test_yes_on_a_terminal_releases(project: Project) -> None:
    run = project.bump_on_terminal("patch", answer="y")
    assert run.code == 0, run.out
    assert "Released v0.2.1 and pushed to origin." in run.out
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_crlf_changelog_and_unbracketed_unreleased(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    text = CHANGELOG.replace("## [Unreleased]", "## Unreleased").replace("\n", "\r\n")
    project.write("CHANGELOG.md", text)
    project.commit_all("crlf")
    project.push()
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    result = project.read("CHANGELOG.md")
    assert "\n" not in result.replace("\r\n", "")
    assert "## Unreleased\r\n\r\n## [0.2.1] - 2026-03-01\r\n" in result


def test_tag_prefix_learned_from_existing_tags(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.git("tag", "-a", "0.2.0", "-m", "0.2.0")
    project.write("CHANGELOG.md", CHANGELOG.replace("/v0.", "/0.").replace("...v0.", "...0."))
    project.commit_all("bare tags")
    project.push()
    project.git("push", "-q", "origin", "0.2.0")
    dry = project.bump("patch", "--dry-run", "--date", "2026-03-01")
    assert dry.code == 0, dry.err
    assert dry.out.startswith(
        "# Note: tags have no prefix (learned from the existing tag 0.2.0); "
        "set [tool.cutrelease].tag_prefix to choose.\n"
    )
    assert "+[0.2.1]: https://github.com/acme/widget/compare/0.2.0...0.2.1\n" in dry.out
    assert project.bump("patch").code == 0
    assert project.remote_git("tag", "-l") == "0.2.0\n0.2.1\n"
    assert project.bump("check-tag", "0.2.1").code == 0


def test_tag_prefix_learned_from_changelog_links(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.write("CHANGELOG.md", CHANGELOG.replace("/v0.", "/0.").replace("...v0.", "...0."))
    project.commit_all("bare links")
    project.push()
    dry = project.bump("patch", "--dry-run")
    assert "learned from CHANGELOG.md's links to 0.2.0" in dry.out
    assert "git tag --annotate --cleanup=whitespace -m 0.2.1 -- 0.2.1\n" in dry.out


def test_configured_tag_prefix_wins(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.git("tag", "-a", "0.2.0", "-m", "0.2.0")
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\ntag_prefix = "release-"\n')
    project.commit_all("prefix")
    project.push()
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Note:" not in dry.out
    assert "git tag --annotate --cleanup=whitespace -m release-0.2.1 -- release-0.2.1\n" in dry.out


def test_release_from_a_linked_worktree(project: Project, tmp_path: Path) -> None:
    # The main checkout moves off main; main is checked out in a linked worktree instead.
    project.git("checkout", "-q", "-b", "elsewhere")
    tree = tmp_path / "tree"
    project.git("worktree", "add", "-q", str(tree), "main")
    run = project.bump("-C", str(tree), "patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert "## [0.2.1] - 2026-03-01" in (tree / "CHANGELOG.md").read_text()
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_failed_release_in_a_linked_worktree_is_restored(project: Project, tmp_path: Path) -> None:
    project.git("checkout", "-q", "-b", "elsewhere")
    tree = tmp_path / "tree"
    project.git("worktree", "add", "-q", str(tree), "main")
    project.hook("pre-receive", "echo 'no pushes today' >&2\nexit 1\n", remote=True)
    refs = project.git("for-each-ref")
    files = {p.name: p.read_bytes() for p in tree.iterdir() if p.is_file()}
    worktree_git = Path(project.git("-C", str(tree), "rev-parse", "--absolute-git-dir").strip())
    git_files = sorted(p.name for p in worktree_git.iterdir())
    run = project.bump("-C", str(tree), "patch")
    assert run.code == 1
    assert "no pushes today" in run.err and "restored" in run.err
    assert project.git("for-each-ref") == refs
    assert {p.name: p.read_bytes() for p in tree.iterdir() if p.is_file()} == files
    assert sorted(p.name for p in worktree_git.iterdir()) == git_files
    assert project.remote_git("tag", "-l") == ""


def test_a_tag_named_like_the_branch_does_not_confuse_the_push(project: Project) -> None:
    project.git("tag", "main")
    project.git("push", "-q", "origin", "refs/tags/main")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.remote_git("rev-parse", "refs/heads/main") == project.git("rev-parse", "HEAD")


@pytest.mark.parametrize("prefix", ["rel~", "/", "-", "a..", "x y"])
def test_an_invalid_tag_prefix_is_refused_before_anything(tmp_path: Path, prefix: str) -> None:
    project = make_project(tmp_path)
    text = PYPROJECT + f'\n[tool.cutrelease]\ntag_prefix = "{prefix}"\n'
    project.write("pyproject.toml", text)
    project.commit_all("prefix")
    project.push()
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1
        assert f"'{prefix}0.2.1' is not a valid git tag name" in run.err
        assert (
            subprocess.run(
                ["git", "check-ref-format", f"refs/tags/{prefix}0.2.1"], check=False
            ).returncode
            != 0
            or prefix == "-"
        )  # git takes "-0.2.1" as a ref, but not as a tag
    assert project.snapshot() == before


def test_dates_must_be_written_yyyy_mm_dd(project: Project) -> None:
    for value in ("20260301", "2026-W09-1", "2026-3-1", "2026-02-30"):
        run = project.bump("patch", "--dry-run", "--date", value)
        assert run.code == 2, value
        assert "YYYY-MM-DD" in run.err


def test_bad_date_with_json_is_one_json_error(project: Project) -> None:
    run = project.bump("patch", "--dry-run", "--json", "--date", "tomorrow")
    assert run.code == 2
    assert "YYYY-MM-DD" in json.loads(run.out)["error"]


def test_bad_source_date_epoch_is_refused(project: Project) -> None:
    project.env["SOURCE_DATE_EPOCH"] = "yesterday"
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "SOURCE_DATE_EPOCH='yesterday' is not a Unix timestamp" in run.err


def test_no_housekeeping_runs_inside_the_release(project: Project, tmp_path: Path) -> None:
    """`git commit` starts auto maintenance; the release commit does not (GIT_TRACE shows it)."""
    trace = tmp_path / "trace"
    project.env["GIT_TRACE"] = str(trace)
    assert project.bump("patch", "--no-push").code == 0
    assert "commit --quiet" in trace.read_text()
    assert "maintenance" not in trace.read_text()
    # The same repository's ordinary commit does start it: the trace would show it.
    (project.root / "notes.txt").write_text("x\n")
    project.git("add", "notes.txt")
    subprocess.run(
        ["git", "commit", "-q", "-m", "notes"],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "GIT_TRACE": str(trace)},
        check=True,
    )
    assert "maintenance run --auto" in trace.read_text()


def test_a_pyproject_linked_inside_the_repository_is_released_through_its_link(
    project: Project,
) -> None:
    (project.root / "pkg").mkdir()
    project.git("mv", "pyproject.toml", "pkg/pyproject.toml")
    (project.root / "pyproject.toml").symlink_to("pkg/pyproject.toml")
    project.commit_all("pyproject.toml lives in pkg/")
    project.git("push", "-q", "origin", "main")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert (project.root / "pyproject.toml").is_symlink()
    released = project.remote_git("show", "v0.2.1:pkg/pyproject.toml")
    assert 'version = "0.2.1"' in released
    # The link itself is unchanged in the release commit: only its target changed.
    changed = project.git("show", "--name-only", "--format=", "v0.2.1^{commit}").split()
    assert changed == ["CHANGELOG.md", "pkg/pyproject.toml"]


@pytest.mark.parametrize("comment_char", ["#", ";"])
def test_the_tag_message_is_stored_as_the_dry_run_shows_it(
    project: Project, comment_char: str
) -> None:
    """git's default cleanup of a tag message drops comment lines: not here."""
    project.git("config", "core.commentChar", comment_char)
    summary = f"Highlights\n{comment_char} Breaking   \n\n\n- dropped py3.9\n"
    expected = f"v0.2.1: Highlights\n{comment_char} Breaking\n\n- dropped py3.9"
    dry = project.bump("patch", "--dry-run", "-m", summary)
    assert shlex.join(["-m", expected]) in dry.out
    assert project.bump("patch", "-m", summary).code == 0
    stored = project.git("cat-file", "-p", "v0.2.1").split("\n\n", 1)[1]
    assert stored == expected + "\n"


def test_a_blank_summary_is_no_summary(project: Project) -> None:
    assert project.bump("patch", "-m", "   ").code == 0
    assert project.git("cat-file", "-p", "v0.2.1").split("\n\n", 1)[1] == "v0.2.1\n"


def test_git_dir_set_to_this_repository_as_in_a_hook_is_fine(project: Project) -> None:
    project.env["GIT_DIR"] = ".git"  # relative to the work tree, as git sets it for hooks
    project.env["GIT_WORK_TREE"] = str(project.root)
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_a_project_in_a_submodule_releases_from_git_submodule_foreach(
    project: Project, tmp_path: Path
) -> None:
    """foreach sets GIT_DIR=.git, a file pointing into the superproject's .git/modules."""
    parent = tmp_path / "super"
    git(tmp_path, "init", "-q", "-b", "main", str(parent))
    git(
        parent,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(project.remote),
        "sub",
    )
    git(parent / "sub", "checkout", "-q", "main")
    # Inside foreach, git allows the file:// transport of the local bare remote only so.
    git(parent / "sub", "config", "protocol.file.allow", "always")
    assert (parent / "sub" / ".git").is_file()
    script = f"{shlex.quote(sys.executable)} -m cutrelease patch"
    done = subprocess.run(
        ["git", "submodule", "foreach", "-q", script],
        cwd=parent,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_commit_cleanup_configured_to_strip_keeps_the_message(project: Project) -> None:
    """A commit template's "#" line survives `commit.cleanup=strip`, as the dry run shows."""
    project.git("config", "commit.cleanup", "strip")
    project.write("templates/commit_message.txt.j2", "chore(release): {{ tag }}\n\n# keep me\n")
    project.commit_all("commit template")
    project.git("push", "-q", "origin", "main")
    assert "# keep me" in project.bump("patch", "--dry-run").out
    assert project.bump("patch").code == 0
    assert project.git("log", "-1", "--format=%B") == "chore(release): v0.2.1\n\n# keep me\n\n"


def test_messages_keep_what_git_keeps(project: Project) -> None:
    """Only ASCII whitespace is trailing whitespace to git: a no-break space stays."""
    summary = "ends with a no-break space\u00a0\nand a tab\t \nlast"
    assert project.bump("patch", "-m", summary).code == 0
    stored = project.git("cat-file", "-p", "v0.2.1").split("\n\n", 1)[1]
    assert stored == "v0.2.1: ends with a no-break space\u00a0\nand a tab\nlast\n"


def test_a_tag_released_with_no_push_must_reach_the_remote_first(project: Project) -> None:
    assert project.bump("patch", "--no-push", "--yes").code == 0
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- Another fix.\n", 1
        ),
    )
    project.commit_all("another fix")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "The tag v0.2.1 of the current version is here but not on the remote 'origin'" in run.err
    assert project.snapshot() == before
    project.git("push", "-q", "origin", "main", "refs/tags/v0.2.1")
    assert project.bump("patch", "--yes").code == 0
    assert project.remote_git("tag", "-l").split() == ["v0.2.1", "v0.2.2"]


def test_the_json_of_a_failed_release_says_which_release_failed(project: Project) -> None:
    project.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    run = project.bump("patch", "--json")
    assert run.code == 1
    data = json.loads(run.out)
    assert (data["ok"], data["dry_run"], data["tag"], data["new_version"]) == (
        False,
        False,
        "v0.2.1",
        "0.2.1",
    )
    assert data["files"] == ["pyproject.toml", "CHANGELOG.md"]
    assert "frozen" in data["error"]
    refused = json.loads(project.bump("patch", "--json", "--dry-run", "--remote", "nope").out)
    assert (refused["ok"], refused["dry_run"], refused["tag"]) == (False, True, None)
