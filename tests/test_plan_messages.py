"""Messages of the planning side that used to send the maintainer the wrong way (issue 27
kind 7): no git identity, an unreachable remote, the --no-push hint."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import Project, git

IDENTITY = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


def _bump_as_a_fresh_runner(
    project: Project, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    """bump as a fresh CI runner runs it: no identity in the environment or any config."""
    env = {k: v for k, v in os.environ.items() if k not in IDENTITY and k != "EMAIL"}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1", **extra)
    return subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_no_git_identity_is_refused_by_the_dry_run_too(project: Project) -> None:
    # git would otherwise make one up from the host's name where the host has a domain.
    project.git("config", "user.useConfigOnly", "true")
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch", "--yes"]):
        run = _bump_as_a_fresh_runner(project, *args)
        assert run.returncode == 1, run.stderr
        errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, run.stderr
        assert "git does not know who makes the release commit and tag" in errors[0]
        assert "git config user.name" in errors[0] and "GIT_COMMITTER_EMAIL" in errors[0]
        assert "would be released" not in run.stderr
        assert project.snapshot() == before


def test_an_identity_from_the_environment_or_the_config_is_enough(project: Project) -> None:
    project.git("config", "user.useConfigOnly", "true")
    named = {name: ("CI" if name.endswith("NAME") else "ci@example.com") for name in IDENTITY}
    run = _bump_as_a_fresh_runner(project, "patch", "--dry-run", **named)
    assert run.returncode == 0, run.stderr
    project.git("config", "user.name", "Maintainer")
    project.git("config", "user.email", "maintainer@example.com")
    run = _bump_as_a_fresh_runner(project, "patch")
    assert run.returncode == 0, run.stderr
    assert project.git("log", "-1", "--format=%an <%ae>") == "Maintainer <maintainer@example.com>\n"


def test_an_unreachable_remote_is_said_in_sentences(project: Project) -> None:
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    (error,) = [line for line in run.err.splitlines() if line.startswith("error:")]
    assert "does not appear to be a git repository. Could not read from remote repository. " in (
        error
    )
    assert "Please make sure you have the correct access rights and the repository exists." in (
        error
    )
    assert "fatal:" not in error and "; " not in error
    assert project.snapshot() == before


def test_the_no_push_hint_names_the_remote(project: Project) -> None:
    upstream = project.root.parent / "upstream.git"
    git(project.root.parent, "clone", "-q", "--bare", str(project.remote), str(upstream))
    project.git("remote", "add", "upstream", str(upstream))
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml") + '\n[tool.cutrelease]\nremote = "upstream"\n',
    )
    project.commit_all("release to upstream")
    project.git("push", "-q", "upstream", "main")
    run = project.bump("patch", "--no-push")
    assert run.code == 0, run.err
    assert "To publish it: git push --atomic upstream refs/heads/main refs/tags/v0.2.1" in run.err
    assert "REMOTE" not in run.err
    project.write(
        "CHANGELOG.md",
        project.read("CHANGELOG.md").replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n"),
    )
    project.commit_all("more")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "git push upstream refs/tags/v0.2.1" in run.err
    assert project.snapshot() == before
