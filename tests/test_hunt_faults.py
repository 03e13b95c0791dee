"""Faults and hostile surroundings (issue 21), rebuilt from public bug reports against release
tools: each test names its report. Real repositories, real bare remotes, real git config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import GIT_ENV, Project


def test_an_index_lock_left_by_a_crashed_git_is_refused_touching_nothing(
    project: Project,
) -> None:
    """carloscuesta/gitmoji-cli#117: `.git/index.lock` already there (a git that crashed, or
    an editor's git running): the release must refuse before writing anything, in one
    sentence, and leave the lock where it is (it is not bump's)."""
    held = project.root / ".git" / "index.lock"
    held.write_bytes(b"")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    lines = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and "index.lock" in lines[0], run.err
    assert held.exists()
    assert project.snapshot() == before


def test_push_default_nothing_does_not_stop_the_release(project: Project) -> None:
    """tbump/commitizen users with `push.default = nothing` (git refuses a bare `git push`):
    the release names what it pushes, so it lands all the same."""
    project.git("config", "push.default", "nothing")
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.remote_git("tag").split() == ["v0.2.1"]
    assert project.remote_git("rev-parse", "main") == project.git("rev-parse", "main")


def test_a_ref_lock_left_by_a_crashed_git_on_the_new_tag_changes_nothing(
    project: Project,
) -> None:
    """The ref-lock variant of a crashed git (gitextensions/gitextensions#3905's lock files):
    `.git/refs/tags/v0.2.1.lock` is there, so git cannot write the tag after the commit. The
    release changes nothing in the end, says so once, and leaves the lock (not bump's)."""
    held = project.root / ".git" / "refs" / "tags" / "v0.2.1.lock"
    held.parent.mkdir(parents=True, exist_ok=True)
    held.write_bytes(b"")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert len([line for line in run.err.splitlines() if line.startswith("error: ")]) == 1
    assert held.exists()
    assert project.snapshot() == before


def test_a_tag_signer_that_fails_undoes_the_release(project: Project) -> None:
    """peritus/bumpversion#161, maglnet/ComposerRequireChecker#400: `tag.gpgSign = true` and
    gpg cannot sign ("gpg failed to sign the data"): the commit made before is undone."""
    project.git("config", "tag.gpgSign", "true")
    project.git("config", "gpg.program", "false")
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "restored" in run.err
    assert project.snapshot() == before


def test_a_release_from_a_linked_worktree_and_a_kill_there_then_recover(
    project: Project, tmp_path: Path
) -> None:
    """oven-sh/bun#41754, GitTools/GitVersion#1063: in a linked worktree `.git` is a file
    (`gitdir: ...`). A release there lands; a kill there is undone by recover run there."""
    project.git("branch", "-q", "-m", "main", "old-main")
    tree = tmp_path / "linked"
    project.git("worktree", "add", "-q", str(tree), "-b", "main", "old-main")
    project.git("-C", str(tree), "branch", "-q", "--set-upstream-to=origin/main")
    linked = Project(tree, project.remote, dict(project.env))
    assert (tree / ".git").is_file()
    before = linked.snapshot()
    linked.kill_at("tag")
    assert linked.bump("recover").code == 0
    assert linked.snapshot() == before
    run = linked.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.remote_git("tag").split() == ["v0.2.1"]
    assert linked.git("status", "--porcelain") == ""


def test_a_crlf_work_tree_under_core_autocrlf_releases_clean(project: Project) -> None:
    """stefanzweifel/git-auto-commit-action#241, bump2version#59: a checkout made with
    `core.autocrlf = true` has CRLF files over LF blobs. The release keeps the work tree's
    line endings, commits LF, and leaves nothing modified."""
    project.git("config", "core.autocrlf", "true")
    for name in ("CHANGELOG.md", "pyproject.toml", "SECURITY.md"):
        (project.root / name).unlink()
    project.git("checkout", "--", ".")
    assert b"\r\n" in (project.root / "CHANGELOG.md").read_bytes()
    assert project.git("status", "--porcelain") == ""
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.git("status", "--porcelain") == ""
    blob = project.git("show", "HEAD:CHANGELOG.md")
    assert "\r" not in blob and "## [0.2.1] - " in blob
    text = (project.root / "CHANGELOG.md").read_bytes()
    assert b"## [0.2.1] - " in text and b"\n" not in text.replace(b"\r\n", b"")


def test_a_git_hook_that_reads_stdin_does_not_hang_the_release(project: Project) -> None:
    """A pre-commit hook that waits for an answer (`read`), run while bump's own stdin is a
    pipe that stays open (a CI step, an IDE): the hook must see no input, never bump's."""
    project.hook("pre-commit", "read answer\nexit 0\n")
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", **project.env}
    process = subprocess.Popen(
        [sys.executable, "-m", "cutrelease", "patch", "--yes"],
        cwd=project.root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = _wait(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert project.remote_git("tag").split() == ["v0.2.1"]


def _wait(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Wait up to 60 s with stdin left open (never closed: that would end the hook's read)."""
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    assert process.stdout is not None and process.stderr is not None
    return process.stdout.read(), process.stderr.read()
