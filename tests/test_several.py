"""Several packages in one release (SPEC section 14), on a real uv workspace and its remote.

The workspace is test_workspace's (`uv init` root `mono`, members alpha and beta, `uv lock`,
each at 0.1.0, tagged and pushed), with beta pinning alpha exactly (`alpha==0.1.0`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Project
from test_workspace import fresh_copy, lock_version, make_workspace, release_files, uv

from cutrelease.errors import Refused
from cutrelease.release import several

TWO = ("-p", "alpha", "-p", "beta")


def pin(project: Project, requirement: str) -> None:
    """beta depends on alpha by `requirement`, from the workspace; locked and committed."""
    path = "packages/beta/pyproject.toml"
    text = project.read(path).replace("dependencies = []", f'dependencies = ["{requirement}"]')
    project.write(path, text + "\n[tool.uv.sources]\nalpha = { workspace = true }\n")
    uv(project.root, "lock", "--offline", "-q")
    project.commit_all(f"beta needs {requirement}")
    project.git("push", "-q", "origin", "main")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_workspace(tmp_path_factory.mktemp("several"))
    pin(project, "alpha==0.1.0")
    return project.root.parent


@pytest.fixture
def ws(made: Path, tmp_path: Path) -> Project:
    """A fresh copy of the workspace and its remote."""
    return fresh_copy(made, tmp_path)


def on_remote(project: Project, tag: str) -> str:
    """The commit `tag` names on the remote."""
    return project.remote_git("rev-parse", f"{tag}^{{commit}}").strip()


def head(project: Project) -> str:
    return project.git("rev-parse", "HEAD").strip()


# ------------------------------------------------------------------------------ releasing


def test_two_packages_with_an_exact_pin_are_one_release(ws: Project) -> None:
    start = head(ws)
    run = ws.bump(*TWO, "minor", "--yes")
    assert run.code == 0, run.err
    assert "Released alpha-v0.2.0, beta-v0.2.0 and pushed to origin." in run.err
    # One commit, listing both; a tag per package, both on the remote, on that commit.
    assert ws.git("rev-parse", "HEAD^").strip() == start
    assert ws.git("log", "-1", "--format=%B").strip() == "chore(release): alpha 0.2.0, beta 0.2.0"
    for tag in ("alpha-v0.2.0", "beta-v0.2.0"):
        assert on_remote(ws, tag) == head(ws)
        assert ws.git("cat-file", "-t", tag).strip() == "tag"  # annotated
    assert ws.remote_git("rev-parse", "main").strip() == head(ws)
    assert not ws.git("status", "--porcelain")
    # Each package's places, changelog and SECURITY.md; the pin moved with alpha.
    beta = ws.read("packages/beta/pyproject.toml")
    assert 'version = "0.2.0"' in beta and '"alpha==0.2.0"' in beta
    assert 'version = "0.2.0"' in ws.read("packages/alpha/pyproject.toml")
    assert 'version = "0.1.0"' in ws.read("pyproject.toml")  # mono is not released
    for name in ("alpha", "beta"):
        assert "## [0.2.0] - " in ws.read(f"packages/{name}/CHANGELOG.md")
        assert "| 0.2.x " in ws.read(f"packages/{name}/SECURITY.md")
    assert (lock_version(ws, "alpha"), lock_version(ws, "beta")) == ("0.2.0", "0.2.0")
    assert lock_version(ws, "mono") == "0.1.0"
    uv(ws.root, "lock", "--check", "--offline")  # the lock agrees with the release commit
    files = ws.git("show", "--name-only", "--format=", "HEAD").split()
    assert files.count("uv.lock") == 1
    assert "packages/beta/pyproject.toml" in files


def test_the_dry_run_shows_every_package_and_changes_nothing(ws: Project) -> None:
    before = ws.snapshot()
    run = ws.bump(*TWO, "minor", "--dry-run")
    assert run.code == 0, run.err
    assert ws.snapshot() == before
    for path in (
        "packages/alpha/pyproject.toml",
        "packages/alpha/CHANGELOG.md",
        "packages/beta/CHANGELOG.md",
        "packages/beta/SECURITY.md",
    ):
        assert f"+++ b/{path}\n" in run.out
    assert run.out.count("+++ b/uv.lock\n") == 1
    assert '-dependencies = ["alpha==0.1.0"]\n+dependencies = ["alpha==0.2.0"]\n' in run.out
    tags = [line for line in run.out.splitlines() if line.startswith("git ") and " tag " in line]
    assert [line.rsplit(" ", 1)[-1] for line in tags] == ["alpha-v0.2.0", "beta-v0.2.0"]
    pushes = [line for line in run.out.splitlines() if " push " in line]
    assert len(pushes) == 1
    assert pushes[0].endswith(
        "refs/heads/main:refs/heads/main refs/tags/alpha-v0.2.0:refs/tags/alpha-v0.2.0 "
        "refs/tags/beta-v0.2.0:refs/tags/beta-v0.2.0"
    )
    assert "Dry run: alpha-v0.2.0, beta-v0.2.0 would be released" in run.err


def test_all_releases_every_package_with_the_root_project(ws: Project) -> None:
    run = ws.bump("patch", "--all", "--yes")
    assert run.code == 0, run.err
    message = ws.git("log", "-1", "--format=%s").strip()
    assert message == "chore(release): mono 0.1.1, alpha 0.1.1, beta 0.1.1"
    for tag in ("v0.1.1", "alpha-v0.1.1", "beta-v0.1.1"):
        assert on_remote(ws, tag) == head(ws)
    assert '"alpha==0.1.1"' in ws.read("packages/beta/pyproject.toml")
    uv(ws.root, "lock", "--check", "--offline")


def test_the_root_releases_alone_after_a_release_of_every_package(ws: Project) -> None:
    """One commit tagged v0.1.0, alpha-v0.1.0 and beta-v0.1.0 (a first release moves no
    version, and a changelog without a forge's links names no tag): the members' tags are
    theirs, and the root project's tag series stays v (the trial: every later root release
    was refused as naming several tag prefixes)."""
    # Their 0.1.0 tagged on one commit that moved no version, as `bump --all 0.1.0` (a first
    # release) leaves them; the root's changelog without a forge's links (a local remote).
    lines = ws.read("CHANGELOG.md").splitlines(keepends=True)
    ws.write("CHANGELOG.md", "".join(line for line in lines if not line.startswith("[")))
    ws.commit_all("no links")
    ws.git("push", "-q", "origin", "main")
    for tag in ws.git("tag").split():
        ws.git("tag", "-d", tag)
        ws.git("push", "-q", "origin", f":refs/tags/{tag}")
    for tag in ("v0.1.0", "alpha-v0.1.0", "beta-v0.1.0"):
        ws.git("tag", "-a", tag, "-m", tag)
    ws.git("push", "-q", "origin", "--tags")
    log = ws.read("CHANGELOG.md").replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n", 1)
    ws.write("CHANGELOG.md", log)
    ws.commit_all("a root change")
    ws.git("push", "-q", "origin", "main")
    run = ws.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert on_remote(ws, "v0.1.1") == head(ws)


def test_changed_lists_and_releases_the_packages_touched_since_their_tag(ws: Project) -> None:
    # The pin's commit touched beta's folder (and uv.lock, which is every member's).
    first = ws.bump("changed")
    assert (first.code, first.out) == (0, "beta  beta-v0.1.0  1 commit\n")
    # beta takes any alpha from 0.1 on, so that alpha can be released alone later (an exact
    # pin would refuse that: test_several_trial).
    path = "packages/beta/pyproject.toml"
    ws.write(path, ws.read(path).replace('"alpha==0.1.0"', '"alpha>=0.1"'))
    uv(ws.root, "lock", "--offline", "-q")
    ws.commit_all("beta takes a newer alpha")
    assert ws.bump("patch", "--changed", "--yes").code == 0
    none = ws.bump("changed")
    assert (none.code, none.out) == (0, "No package changed since its last tag.\n")
    ws.write("packages/alpha/src/alpha/extra.py", "X = 1\n")
    ws.commit_all("alpha grows")
    ws.write("packages/alpha/src/alpha/more.py", "Y = 1\n")
    ws.commit_all("alpha grows more")
    listed = ws.bump("changed")
    assert listed.out == "alpha  alpha-v0.1.0  2 commits\n"  # the release commit is not alpha's
    data = json.loads(ws.bump("changed", "--json").out)
    assert data["ok"] is True
    assert data["packages"] == [
        {
            "name": "alpha",
            "folder": "packages/alpha",
            "version": "0.1.0",
            "last_tag": "alpha-v0.1.0",
            "commits": 2,
        }
    ]
    ws.git("push", "-q", "origin", "main")
    run = ws.bump("minor", "--changed", "--yes")
    assert run.code == 0, run.err
    assert on_remote(ws, "alpha-v0.2.0") == head(ws)
    assert ws.git("tag", "--points-at", "HEAD").split() == ["alpha-v0.2.0"]
    assert ws.bump("changed").out == "No package changed since its last tag.\n"


def test_changed_counts_the_root_project_outside_the_members(ws: Project) -> None:
    ws.write("README.md", "mono\n")
    ws.write("packages/beta/NOTES.md", "beta\n")
    ws.commit_all("root and beta")
    found = {item.name: item.commits for item in several.changes(ws.root)}
    assert found == {"mono": 1, "alpha": 0, "beta": 2}  # beta's pin, then NOTES.md


# ------------------------------------------------------------------------------ failures


def test_a_rejected_push_restores_every_package(ws: Project) -> None:
    ws.hook("pre-receive", "echo 'no releases today' >&2\nexit 1\n", remote=True)
    before = ws.snapshot()
    run = ws.bump(*TWO, "minor", "--yes")
    assert run.code == 1
    assert "no releases today" in run.err and "restored" in run.err
    assert ws.snapshot() == before
    assert ws.remote_git("tag", "--list", "*0.2.0") == ""


@pytest.mark.parametrize("point", ["tag-unjournaled#2", "tag#2", "write:uv.lock"])
def test_kill_9_in_the_middle_then_recover_restores_every_package(ws: Project, point: str) -> None:
    before = ws.snapshot()
    ws.inject("kill", point)
    assert ws.bump(*TWO, "minor", "--yes").code < 0
    ws.no_faults()
    pending = ws.bump(*TWO, "minor", "--yes")
    assert pending.code == 1 and "bump recover" in pending.err
    journal = json.loads((ws.root / ".git" / "cutrelease-journal.json").read_text())
    assert journal["tag"] == "alpha-v0.2.0" and journal["tags"] == ["beta-v0.2.0"]
    recovered = ws.bump("recover")
    assert recovered.code == 0, recovered.err
    assert ws.snapshot() == before
    assert ws.git("tag", "--list", "*0.2.0") == ""


def test_a_requirement_that_excludes_the_new_version_is_refused(ws: Project) -> None:
    path = "packages/beta/pyproject.toml"
    ws.write(path, ws.read(path).replace('"alpha==0.1.0"', '"alpha<0.2"'))
    uv(ws.root, "lock", "--offline", "-q")
    ws.commit_all("beta wants an old alpha")
    ws.git("push", "-q", "origin", "main")
    line = ws.read(path).splitlines().index('dependencies = ["alpha<0.2"]') + 1
    before = ws.snapshot()
    run = ws.bump(*TWO, "minor", "--yes")
    assert run.code == 1
    assert f"{path}:{line}: the requirement 'alpha<0.2' excludes alpha 0.2.0" in run.err
    assert ws.snapshot() == before
    # A patch stays inside it: released, the requirement left as it is.
    assert ws.bump(*TWO, "patch", "--yes").code == 0
    assert '"alpha<0.2"' in ws.read(path)


def test_pins_move_and_other_bytes_stay() -> None:
    released = {"alpha": ("alpha", "0.1.0", "0.2.0"), "my-lib": ("My_Lib", "1.0", "1.1.0")}
    text = (
        '[project]\nname = "beta"\n# keep me\ndependencies = [\n'
        "    'alpha == 0.1.0 ; python_version >= \"3.10\"',\n"
        '    "My_Lib===1.0",\n    "other==0.1.0",\n]\n'
        '[project.optional-dependencies]\nx = ["alpha>=0.1"]\n'
    )
    moved = several.pins_moved(text, "beta/pyproject.toml", released, own="beta")
    assert moved == text.replace("== 0.1.0 ;", "== 0.2.0 ;").replace("===1.0", "===1.1.0")
    with pytest.raises(Refused, match=r"beta/pyproject.toml:6: the requirement 'My_Lib<1.1'"):
        several.pins_moved(
            text.replace("My_Lib===1.0", "My_Lib<1.1"), "beta/pyproject.toml", released, own="b"
        )


def test_two_packages_changing_one_line_differently_are_refused() -> None:
    from cutrelease.release.plan import FileEdit

    base = b"a\nb\nc\n"
    one, two = FileEdit("f", base, b"a\nB\nc\n"), FileEdit("f", base, b"a\nb2\nc\n")
    with pytest.raises(Refused, match="change the same lines of f"):
        several._merged([[one], [two]])
    three = FileEdit("f", base, b"a\nb\nC\n")
    assert several._merged([[one], [three]]) == (FileEdit("f", base, b"a\nB\nC\n"),)


def test_usage_errors(ws: Project) -> None:
    assert ws.bump("-p", "alpha", "-p", "beta", "version").code == 2
    assert ws.bump("minor", "--all", "--changed", "--dry-run").code == 2
    assert ws.bump("minor", "--all", "-p", "alpha", "--dry-run").code == 2
    assert ws.bump("auto", "--all", "--dry-run").code == 2
    unknown = ws.bump("-p", "alpha", "-p", "gamma", "minor", "--dry-run")
    assert unknown.code == 1 and "no package named 'gamma'" in unknown.err


# ------------------------------------------------------------------------------ four tags


def add_gamma(project: Project) -> None:
    uv(project.root, "init", "-q", "--lib", "--vcs", "none", "packages/gamma")
    uv(project.root, "lock", "--offline", "-q")
    release_files(project, "packages/gamma", "gamma", "gamma-v")
    project.commit_all("gamma")
    project.git("tag", "-a", "-m", "gamma-v0.1.0", "gamma-v0.1.0")
    project.git("push", "-q", "origin", "main", "--tags")


def test_four_tags_to_github_are_refused_before_anything_is_written(ws: Project) -> None:
    add_gamma(ws)
    url = "https://github.com/acme/widget.git"
    ws.git("config", f"url.{ws.remote}.insteadOf", url)
    ws.git("remote", "set-url", "origin", url)
    before = ws.snapshot()
    run = ws.bump("minor", "--all", "--yes")
    assert run.code == 1
    assert "origin is on GitHub, which starts no workflow" in run.err
    assert "these 4 packages would never start" in run.err
    assert ws.snapshot() == before
    assert ws.remote_git("tag", "--list", "*0.2.0") == ""
    # Three at a time start their workflows: released.
    assert ws.bump("-p", "alpha", "-p", "beta", "-p", "gamma", "minor", "--yes").code == 0
    assert len(ws.remote_git("tag", "--list", "*0.2.0").split()) == 3


def test_four_tags_to_another_host_are_one_release(ws: Project) -> None:
    add_gamma(ws)
    run = ws.bump("minor", "--all", "--yes")
    assert run.code == 0, run.err
    assert len(ws.remote_git("tag", "--points-at", "main").split()) == 4
