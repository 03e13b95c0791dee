"""bump retract, as a new user's trial found it: the remote the release went to, a release of
several packages in one commit, and the words that name a workspace member's commands."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Project, git

# -- 1. the retract pushes where the release pushed ------------------------------------------


def fork_setup(project: Project) -> Path:
    """The trial's clone: the real remote is `upstream` (main tracks it), `origin` a fork;
    main pushed to both. The fork's path."""
    fork = project.root.parent / "fork.git"
    git(project.root.parent, "init", "-q", "--bare", "-b", "main", str(fork))
    project.git("remote", "rename", "origin", "upstream")
    project.git("remote", "add", "origin", str(fork))
    project.git("push", "-q", "-u", "upstream", "main")
    project.git("push", "-q", "origin", "main")
    return fork


def refs_of(path: Path) -> str:
    return git(path, "for-each-ref", "--format=%(refname) %(objectname)")


def test_retract_pushes_to_the_branchs_upstream_as_the_release_did(project: Project) -> None:
    fork = fork_setup(project)
    fork_before = refs_of(fork)
    release = project.bump("patch", "--yes")
    assert release.code == 0, release.err
    assert "pushed to upstream" in release.err
    assert "v0.2.1" in project.remote_git("tag", "--list")
    dry = project.bump("retract", "--dry-run")
    assert dry.code == 0, dry.err
    assert " upstream refs/heads/main:refs/heads/main :refs/tags/v0.2.1\n" in dry.out
    assert " origin " not in dry.out
    run = project.bump("retract", "--yes")
    assert run.code == 0, run.err
    assert "reverts it" in run.err and "on upstream" in run.err
    assert project.remote_git("tag", "--list") == ""  # the real remote: the tag is gone
    head = project.git("rev-parse", "HEAD").strip()
    assert project.remote_git("rev-parse", "main").strip() == head
    assert refs_of(fork) == fork_before  # the fork got nothing


def test_status_asks_the_branchs_upstream(project: Project) -> None:
    fork_setup(project)
    assert project.bump("patch", "--yes").code == 0
    run = project.bump("status", "--json")
    data = json.loads(run.out)
    assert data["remote"]["name"] == "upstream"
    assert data["remote"]["commit"] == project.git("rev-parse", "v0.2.1^{commit}").strip()
    assert "v0.2.1 on upstream: " in project.bump("status").out
    named = json.loads(project.bump("status", "--json", "--remote", "origin").out)
    assert named["remote"] == {"name": "origin", "commit": None, "error": None}


def test_a_remote_option_that_is_not_the_upstream_is_refused_as_for_a_release(
    project: Project,
) -> None:
    fork_setup(project)
    assert project.bump("patch", "--yes").code == 0
    before = project.snapshot()
    run = project.bump("retract", "--remote", "origin", "--yes")
    assert run.code == 1
    assert run.err.splitlines()[-1].startswith(
        "error: --remote names the remote 'origin', but 'main' tracks upstream/main. "
        "Drop --remote to push to upstream"
    )
    assert project.snapshot() == before


def test_without_origin_the_refusal_gives_retracts_own_hint(project: Project) -> None:
    assert project.bump("patch", "--yes").code == 0
    project.git("remote", "rename", "origin", "upstream")  # main tracks nothing
    before = project.snapshot()
    for dry in ([], ["--dry-run"]):
        run = project.bump("retract", "--yes", *dry)
        assert run.code == 1
        assert run.err.splitlines()[-1] == (
            "error: There is no git remote named 'origin', and a retract pushes where the "
            "release pushed: the revert, and the tag's deletion. Pass --remote NAME (the remote "
            "the release went to), or add it with `git remote add`."
        )
        assert "--no-push" not in run.err
        assert project.snapshot() == before
    named = project.bump("retract", "--remote", "upstream", "--yes")
    assert named.code == 0, named.err
    assert project.remote_git("tag", "--list") == ""


def test_an_unreachable_remote_gives_retracts_own_hint(project: Project) -> None:
    assert project.bump("patch", "--yes").code == 0
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    before = project.snapshot()
    run = project.bump("retract", "--yes")
    assert run.code == 1
    assert "error: The remote 'origin' cannot be reached" in run.err
    assert "--no-push" not in run.err
    assert "a retract deletes the tag on the remote" in run.err
    assert project.snapshot() == before
