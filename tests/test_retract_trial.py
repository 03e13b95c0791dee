"""bump retract, as a new user's trial found it: the remote the release went to, a release of
several packages in one commit, and the words that name a workspace member's commands."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest
from conftest import Project, git
from indexes import IndexServer, index_server, json_file, json_page
from test_workspace import make_workspace

__all__ = ["index_server"]  # a fixture, used by name

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
    dry = project.bump("retract", "--offline", "--dry-run")
    assert dry.code == 0, dry.err
    assert " upstream refs/heads/main:refs/heads/main :refs/tags/v0.2.1\n" in dry.out
    assert " origin " not in dry.out
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == 0, run.err
    assert "reverts it" in run.err and "on upstream" in run.err
    assert project.remote_git("tag", "--list") == ""  # the real remote: the tag is gone
    head = project.git("rev-parse", "HEAD").strip()
    assert project.remote_git("rev-parse", "main").strip() == head
    assert refs_of(fork) == fork_before  # the fork got nothing


def test_a_retract_to_the_upstream_killed_after_its_push_is_finished_by_recover(
    project: Project,
) -> None:
    fork = fork_setup(project)
    fork_before = refs_of(fork)
    assert project.bump("patch", "--yes").code == 0
    project.inject("kill", "journal:untag")
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == -signal.SIGKILL, run.err
    project.no_faults()
    assert project.remote_git("tag", "--list") == ""
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert project.git("tag", "--list") == ""
    assert refs_of(fork) == fork_before


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
    run = project.bump("retract", "--offline", "--remote", "origin", "--yes")
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
        run = project.bump("retract", "--offline", "--yes", *dry)
        assert run.code == 1
        assert run.err.splitlines()[-1] == (
            "error: There is no git remote named 'origin', and a retract pushes where the "
            "release pushed: the revert, and the tag's deletion. Pass --remote NAME (the remote "
            "the release went to), or add it with `git remote add`."
        )
        assert "--no-push" not in run.err
        assert project.snapshot() == before
    named = project.bump("retract", "--offline", "--remote", "upstream", "--yes")
    assert named.code == 0, named.err
    assert project.remote_git("tag", "--list") == ""


def test_an_unreachable_remote_gives_retracts_own_hint(project: Project) -> None:
    assert project.bump("patch", "--yes").code == 0
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    before = project.snapshot()
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == 1
    assert "error: The remote 'origin' cannot be reached" in run.err
    assert "--no-push" not in run.err
    assert "a retract deletes the tag on the remote" in run.err
    assert project.snapshot() == before


# -- 2. a release of several packages in one commit is refused, saying what to do -----------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("retract-workspace")).root.parent


@pytest.fixture
def ws(made: Path, tmp_path: Path) -> Project:
    """A fresh copy of test_workspace's uv workspace (root mono, members alpha and beta, each
    at 0.1.0, tagged and pushed) and its remote."""
    shutil.copytree(made, tmp_path / "copy", symlinks=True)
    project = Project(tmp_path / "copy" / "work", tmp_path / "copy" / "remote.git")
    project.git("remote", "set-url", "origin", str(project.remote))
    return project


def test_a_member_released_with_another_is_refused_before_anything_is_written(
    ws: Project,
) -> None:
    assert ws.bump("-p", "alpha", "-p", "beta", "patch", "--yes").code == 0
    commit = ws.git("rev-parse", "HEAD").strip()
    before = ws.snapshot()
    for dry in ([], ["--dry-run"]):
        run = ws.bump("-p", "alpha", "retract", "--offline", "--yes", *dry)
        assert run.code == 1
        assert run.err.splitlines()[-1] == (
            "error: alpha-v0.1.1 was released together with beta-v0.1.1 in one commit; retract "
            "takes back one release commit, so it would take them back too. A retract of "
            "several packages is not supported: release a new version of alpha with the fix "
            f"(bump -p alpha patch), or revert by hand: `git revert {commit[:12]}`, `git push "
            "--atomic origin refs/heads/main:refs/heads/main :refs/tags/alpha-v0.1.1 "
            ":refs/tags/beta-v0.1.1`, `git tag -d alpha-v0.1.1 beta-v0.1.1`."
        )
        assert "Traceback" not in run.err
        assert ws.snapshot() == before


def test_every_package_of_an_all_release_is_named_and_the_commands_by_hand_work(
    ws: Project,
) -> None:
    files = ("pyproject.toml", "packages/alpha/CHANGELOG.md", "packages/beta/pyproject.toml")
    old = {name: ws.read(name) for name in files}
    assert ws.bump("--all", "patch", "--yes").code == 0
    before = ws.snapshot()
    root = ws.bump("retract", "--offline", "--yes")  # the root project's v0.1.1
    assert root.code == 1
    assert "error: v0.1.1 was released together with alpha-v0.1.1 and beta-v0.1.1 in one " in (
        root.err
    )
    assert "release a new version of mono with the fix (bump patch)" in root.err
    beta = ws.bump("-p", "beta", "retract", "--offline", "--json")
    assert beta.code == 1
    data = json.loads(beta.out)
    assert data["commit"] is None and data["pushed"] is False
    assert data["error"].startswith(
        "beta-v0.1.1 was released together with alpha-v0.1.1 and v0.1.1 in one commit"
    )
    assert ws.snapshot() == before
    # The hint's commands, run as written, take back every package and every tag.
    commands = [part for part in root.err.split("`")[1::2] if part.startswith("git ")]
    assert [command.split()[1] for command in commands] == ["revert", "push", "tag"]
    for command in commands:
        args = command.split()[1:]
        ws.git(*(["revert", "--no-edit", *args[1:]] if args[0] == "revert" else args))
    assert {name: ws.read(name) for name in files} == old
    for there in (ws.git("tag", "--list"), ws.remote_git("tag", "--list")):
        assert there.split() == ["alpha-v0.1.0", "beta-v0.1.0", "v0.1.0"]
    assert ws.remote_git("rev-parse", "main") == ws.git("rev-parse", "HEAD")


# -- 3. a member's words: its own bump command, and its own tags ------------------------------


def _entry(project: Project, changelog: str, text: str) -> None:
    """An entry under Unreleased of `changelog`, committed and pushed."""
    log = project.read(changelog)
    project.write(changelog, log.replace("## [Unreleased]\n", f"## [Unreleased]\n\n- {text}\n", 1))
    project.commit_all(text)
    project.git("push", "-q", "origin", "main")


def test_a_members_older_release_names_the_member_and_its_tags_name_their_package(
    ws: Project,
) -> None:
    assert ws.bump("-p", "alpha", "patch", "--yes").code == 0  # alpha-v0.1.1
    _entry(ws, "packages/alpha/CHANGELOG.md", "Another fix.")
    assert ws.bump("-p", "alpha", "patch", "--yes").code == 0  # alpha-v0.1.2
    before = ws.snapshot()
    older = ws.bump("-p", "alpha", "retract", "--offline", "alpha-v0.1.1", "--yes")
    assert older.code == 1
    assert older.err.splitlines()[-1].endswith(
        "To replace 0.1.1, release a new version with the fix: bump -p alpha patch."
    )
    at_root = ws.bump("retract", "--offline", "alpha-v0.1.1", "--yes")
    assert at_root.code == 1
    assert at_root.err.splitlines()[-1] == (
        "error: alpha-v0.1.1 is not a release tag of this project: its tags are vVERSION. "
        "It is alpha's tag: bump -p alpha retract alpha-v0.1.1."
    )
    beta = ws.bump("-p", "beta", "retract", "--offline", "alpha-v0.1.2", "--dry-run")
    assert beta.code == 1
    assert "It is alpha's tag: bump -p alpha retract alpha-v0.1.2." in beta.err
    unknown = ws.bump("retract", "--offline", "gamma-v0.1.1", "--yes")
    assert unknown.code == 1
    assert "e.g. bump retract v1.2.3." in unknown.err
    assert ws.snapshot() == before
    # A member's own release, alone in its commit, is taken back.
    newest = ws.bump("-p", "alpha", "retract", "--offline", "--yes")
    assert newest.code == 0, newest.err
    assert ws.remote_git("tag", "--list").split() == [
        "alpha-v0.1.0",
        "alpha-v0.1.1",
        "beta-v0.1.0",
        "v0.1.0",
    ]
    assert 'version = "0.1.1"' in ws.read("packages/alpha/pyproject.toml")


def test_a_members_version_on_the_index_says_to_release_the_member(
    ws: Project, index_server: IndexServer
) -> None:
    base = index_server.base()
    path = "packages/alpha/pyproject.toml"
    ws.write(path, ws.read(path) + f'\n[tool.cutrelease]\nindex_url = "{base}"\n')
    ws.commit_all("alpha's index")
    ws.git("push", "-q", "origin", "main")
    assert ws.bump("-p", "alpha", "patch", "--yes").code == 0
    files = [json_file("alpha-0.1.1.tar.gz"), json_file("alpha-0.1.1-py3-none-any.whl")]
    index_server.serve(f"{base}alpha/", json_page("alpha", files))
    ws.env["CUTRELEASE_OFFLINE"] = "0"
    before = ws.snapshot()
    run = ws.bump("-p", "alpha", "retract", "--yes")
    assert run.code == 1
    assert run.err.splitlines()[-1].endswith(
        "an index never takes a version twice. Fix forward with bump -p alpha patch."
    )
    assert ws.snapshot() == before
