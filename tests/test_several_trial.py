"""A new user's trial of several packages in one release (SPEC section 14), on a real uv
workspace (`uv init`, `uv init --package` twice, beta depending on alpha, `uv lock`) and its
bare remote: each defect it found, as the user met it.

The workspace is test_several's (root `mono`, members alpha and beta at 0.1.0, tagged and
pushed; beta pins `alpha==0.1.0`); tests that need another requirement write it (`pin`).
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project, start_bump
from indexes import IndexServer, index_server, json_file, json_page
from test_several import TWO, add_gamma, head, on_remote
from test_workspace import fresh_copy, make_workspace, uv

__all__ = ["index_server"]  # a fixture, used by name

BETA = "packages/beta/pyproject.toml"
JOURNAL = "cutrelease-journal.json"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_workspace(tmp_path_factory.mktemp("trial"))
    _require(project, "alpha==0.1.0")
    return project.root.parent


@pytest.fixture
def ws(made: Path, tmp_path: Path) -> Project:
    """A fresh copy of the workspace and its remote."""
    return fresh_copy(made, tmp_path)


def _require(project: Project, requirement: str) -> None:
    """beta depends on alpha by `requirement`, from the workspace; locked, committed, pushed."""
    text = project.read(BETA)
    if "[tool.uv.sources]" not in text:
        text += "\n[tool.uv.sources]\nalpha = { workspace = true }\n"
        text = text.replace("dependencies = []", 'dependencies = ["alpha"]')
    start = text.index("dependencies = [")
    end = text.index("]", start) + 1
    project.write(BETA, text[:start] + f'dependencies = ["{requirement}"]' + text[end:])
    uv(project.root, "lock", "--offline", "-q")
    project.commit_all(f"beta needs {requirement}")
    project.git("push", "-q", "origin", "main")


def _line(project: Project, requirement: str) -> int:
    return project.read(BETA).splitlines().index(f'dependencies = ["{requirement}"]') + 1


def _error(err: str) -> str:
    return " ".join(line for line in err.splitlines() if not line.startswith("bump: "))


def _wait(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline
        time.sleep(0.02)


# ------------------------------------------------------------------ 3. recover after a kill -9


def test_recover_after_a_kill_during_an_accepted_push_of_several_tags(
    ws: Project, tmp_path: Path
) -> None:
    """bump is killed (kill -9, bump alone: its git push runs on) while the remote's
    pre-receive hook holds the push it then accepts: recover finds every tag there."""
    marker = tmp_path / "push-started"
    ws.hook("pre-receive", f"touch {marker}\nsleep 3\nexit 0\n", remote=True)
    proc = start_bump(ws, *TWO, "patch", "--yes")
    _wait(marker.exists)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    tags = ("alpha-v0.1.1", "beta-v0.1.1")
    _wait(lambda: len(ws.remote_git("tag", "--list").split()) == 5)  # 3 of 0.1.0, and ours
    assert (ws.root / ".git" / JOURNAL).exists()
    recovered = ws.bump("recover")
    assert recovered.code == 0, recovered.err
    assert (
        "The push of alpha-v0.1.1 and beta-v0.1.1 had reached the remote: the release is "
        "complete" in recovered.err
    )
    for tag in tags:
        assert on_remote(ws, tag) == head(ws)
    assert ws.remote_git("rev-parse", "main").strip() == head(ws)
    assert not list((ws.root / ".git").glob("cutrelease*"))
    assert not ws.git("status", "--porcelain")


def test_recover_names_the_tags_a_remote_lacks(ws: Project, tmp_path: Path) -> None:
    """The remote took the branch but not beta's tag (someone deleted it after): recover
    keeps the release and names that tag alone, with the push that sends it."""
    marker = tmp_path / "push-started"
    ws.hook("pre-receive", f"touch {marker}\nsleep 3\nexit 0\n", remote=True)
    proc = start_bump(ws, *TWO, "patch", "--yes")
    _wait(marker.exists)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    _wait(lambda: len(ws.remote_git("tag", "--list").split()) == 5)
    ws.remote_git("tag", "-d", "beta-v0.1.1")
    recovered = ws.bump("recover")
    assert recovered.code == 1
    error = _error(recovered.err)
    assert "but not the tag beta-v0.1.1 (the push was interrupted)" in error
    assert "here the release commit and the tags are kept" in error
    assert "`git push origin refs/tags/beta-v0.1.1`" in error
    assert "alpha-v0.1.1" not in error
    assert ws.git("tag", "--list", "*0.1.1").split() == ["alpha-v0.1.1", "beta-v0.1.1"]


def test_a_lost_answer_to_a_push_of_several_tags_that_landed_keeps_the_release(
    ws: Project,
) -> None:
    ws.hook("post-receive", "kill -9 $PPID\n", remote=True)
    run = ws.bump(*TWO, "patch", "--yes")
    assert run.code == 0, run.err
    assert "answer to the push was lost" in run.err
    assert (
        "origin holds main at the release commit and the tags alpha-v0.1.1 and beta-v0.1.1: "
        "the release is complete" in run.err
    )
    for tag in ("alpha-v0.1.1", "beta-v0.1.1"):
        assert on_remote(ws, tag) == head(ws)


# ------------------------------------------------- 1. a member left out of the release


def test_releasing_one_member_refuses_a_range_another_member_requires(ws: Project) -> None:
    _require(ws, "alpha>=0.1,<0.2")
    line = _line(ws, "alpha>=0.1,<0.2")
    before = ws.snapshot()
    for args in (("--dry-run",), ("--yes",)):
        run = ws.bump("-p", "alpha", "minor", *args)
        assert run.code == 1
        assert _error(run.err) == (
            f"error: {BETA}:{line}: the requirement 'alpha>=0.1,<0.2' excludes alpha 0.2.0, "
            "which this release makes, and beta is not released with it. Widen it to take "
            "0.2.0, commit that, then run bump again."  # a range moves with no release
        )
        assert ws.snapshot() == before
    # A patch stays inside the range: released alone, the workspace's lock still agrees.
    assert ws.bump("-p", "alpha", "patch", "--yes").code == 0
    assert ws.git("tag", "--points-at", "HEAD").split() == ["alpha-v0.1.1"]
    uv(ws.root, "lock", "--check", "--offline")


def test_changed_refuses_a_pin_of_a_member_not_released(ws: Project) -> None:
    """beta pins alpha==0.1.0; only alpha changed: `bump patch --changed` would release alpha
    0.1.1 alone, and beta would pin a version the workspace no longer holds."""
    assert ws.bump("-p", "beta", "patch", "--yes").code == 0  # beta's pin commit released
    ws.write("packages/alpha/src/alpha/extra.py", "X = 1\n")
    ws.commit_all("alpha grows")
    ws.push()
    assert ws.bump("changed").out.startswith("alpha ")
    line = _line(ws, "alpha==0.1.0")
    before = ws.snapshot()
    run = ws.bump("patch", "--changed", "--yes")
    assert run.code == 1
    error = _error(run.err)
    assert f"{BETA}:{line}: the requirement 'alpha==0.1.0' excludes alpha 0.1.1" in error
    assert "Release beta too (`bump -p alpha -p beta patch`)" in error
    assert ws.snapshot() == before
    # What the hint says: one release of both (beta's entry written), its pin moved with alpha.
    log = "packages/beta/CHANGELOG.md"
    entry = "## [Unreleased]\n\n### Changed\n\n- Takes alpha 0.1.1.\n"
    ws.write(log, ws.read(log).replace("## [Unreleased]\n", entry, 1))
    ws.commit_all("beta's entry")
    both = ws.bump("-p", "alpha", "-p", "beta", "patch", "--yes")
    assert both.code == 0, both.err
    assert '"alpha==0.1.1"' in ws.read(BETA)
    assert ws.git("tag", "--points-at", "HEAD").split() == ["alpha-v0.1.1", "beta-v0.1.2"]
    uv(ws.root, "lock", "--check", "--offline")


def test_a_member_left_out_of_several_is_named_with_the_packages_released(ws: Project) -> None:
    """mono (the root project) requires alpha<0.2; `bump -p alpha -p beta minor` leaves it."""
    text = ws.read("pyproject.toml").replace("dependencies = []", 'dependencies = ["alpha<0.2"]')
    ws.write("pyproject.toml", text + "\n[tool.uv.sources]\nalpha = { workspace = true }\n")
    uv(ws.root, "lock", "--offline", "-q")
    ws.commit_all("mono needs an old alpha")
    ws.push()
    before = ws.snapshot()
    run = ws.bump(*TWO, "minor", "--pre", "rc", "--yes")
    assert run.code == 1
    error = _error(run.err)
    assert "pyproject.toml:" in error and "'alpha<0.2' excludes alpha 0.2.0rc1" in error
    assert "mono is not released with it" in error
    assert error.endswith("Widen it to take 0.2.0rc1, commit that, then run bump again.")
    assert ws.snapshot() == before
    assert ws.bump("minor", "--all", "--pre", "rc", "--dry-run").code == 1  # mono's own: widen


def test_the_check_of_the_members_left_out() -> None:
    """checks.members_take_it decides on the facts alone: names normalized, a member released
    along skipped, a pre-release counted as any version, no specifier no limit."""
    from cutrelease.errors import Refused
    from cutrelease.release.checks import Requirement, members_take_it

    def of(member: str, written: str, name: str, specifier: str) -> Requirement:
        return Requirement(member, f"{member}/pyproject.toml", 3, written, name, specifier)

    found = [
        of("Beta_Pkg", "My.Lib", "my-lib", ""),
        of("gamma", "my_lib>=1", "my-lib", ">=1"),
        of("delta", "other<1", "other", "<1"),
        of("epsilon", "my-lib<2", "my-lib", "<2"),
    ]
    members_take_it(found, name="My_Lib", new="2.0.0rc1", released=["My_Lib", "epsilon"], asked="x")
    with pytest.raises(Refused) as refused:
        members_take_it(found, name="my_lib", new="2.0.0", released=["my_lib"], asked="bump major")
    assert str(refused.value.message).startswith(
        "epsilon/pyproject.toml:3: the requirement 'my-lib<2' excludes my_lib 2.0.0"
    )
    assert refused.value.hint == "Widen it to take 2.0.0, commit that, then run bump again."
    pinned = [of("zeta", "my-lib==1.0", "my-lib", "==1.0")]
    with pytest.raises(Refused) as refused:
        members_take_it(pinned, name="my_lib", new="2.0.0", released=["my_lib"], asked="bump major")
    assert "`bump -p my_lib -p zeta major`" in (refused.value.hint or "")


# ------------------------------------------------------- 2. every package in the output


def _online(project: Project, server: IndexServer, files: dict[str, list[str]]) -> str:
    """alpha and beta ask the index `server` serves, each project's page holding its `files`
    (versions); bump is not offline. The index's base URL."""
    url = server.base()
    for name, versions in files.items():
        listed = [json_file(f"{name}-{version}.tar.gz") for version in versions]
        server.serve(f"{url}{name}/", json_page(name, listed))
    for name in ("alpha", "beta"):
        path = f"packages/{name}/pyproject.toml"
        project.write(path, project.read(path) + f'\n[tool.cutrelease]\nindex_url = "{url}"\n')
    project.commit_all("the index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"
    return url


def test_the_json_and_the_dry_run_show_every_package(
    ws: Project, index_server: IndexServer
) -> None:
    url = _online(ws, index_server, {"alpha": ["0.1.0"], "beta": ["0.0.9", "0.1.0"]})
    dry = json.loads(ws.bump(*TWO, "patch", "--dry-run", "--json").out)
    assert dry["ok"] is True
    # The top-level keys are the first package's, as before.
    assert (dry["tag"], dry["old_version"], dry["new_version"]) == (
        "alpha-v0.1.1",
        "0.1.0",
        "0.1.1",
    )
    assert dry["index"] == dry["packages"][0]["index"]
    assert dry["packages"] == [
        {
            "name": name,
            "tag": f"{name}-v0.1.1",
            "old_version": "0.1.0",
            "new_version": "0.1.1",
            "index": {
                "url": f"{url}{name}/",
                "state": "not_published",
                "project_listed": True,
                "reason": None,
                "files": [],
                "versions": versions,
            },
        }
        for name, versions in (("alpha", ["0.1.0"]), ("beta", ["0.0.9", "0.1.0"]))
    ]
    text = ws.bump(*TWO, "patch", "--dry-run")
    assert text.code == 0, text.err
    assert f"# Index: alpha: 0.1.1 is free on {url}alpha/ (it has 0.1.0).\n" in text.out
    assert f"# Index: beta: 0.1.1 is free on {url}beta/ (it has 0.0.9, 0.1.0).\n" in text.out
    one = json.loads(ws.bump("-p", "beta", "patch", "--dry-run", "--json").out)
    assert [item["name"] for item in one["packages"]] == ["beta"]
    assert one["packages"][0]["index"] == one["index"]
    released = json.loads(ws.bump(*TWO, "patch", "--yes", "--json").out)
    assert released["ok"] is True and released["pushed"] is True
    assert [item["tag"] for item in released["packages"]] == ["alpha-v0.1.1", "beta-v0.1.1"]


# ------------------------------------------------- 4. the index refusal names the package


def test_a_version_on_the_index_is_refused_naming_the_package(
    ws: Project, index_server: IndexServer
) -> None:
    _online(ws, index_server, {"alpha": ["0.1.0"], "beta": ["0.1.0", "0.1.1"]})
    before = ws.snapshot()
    run = ws.bump(*TWO, "patch", "--yes")
    assert run.code == 1
    assert _error(run.err).endswith(
        "error: beta 0.1.1 is already on the package index (beta-0.1.1.tar.gz); an index never "
        "takes the same version twice. Release the next one: bump -p beta 0.1.2."
    )
    assert ws.snapshot() == before


# --------------------------------------------------------- 5. auto takes one package


def test_auto_says_it_takes_one_package(ws: Project) -> None:
    before = ws.snapshot()
    for args in ((*TWO, "auto"), ("auto", *TWO), ("-p", "alpha", "auto", "-p", "beta")):
        run = ws.bump(*args, "--dry-run")
        assert run.code == 2
        assert (
            "bump auto releases one package, at the level its entries call for; to release alpha "
            "and beta together, name the level: bump -p alpha -p beta patch (or minor, major)."
        ) in run.err
        assert "is not the package given before" not in run.err
    assert ws.snapshot() == before


# --------------------------------------------------------------------- 6. the words


def test_notes_name_every_package(ws: Project, index_server: IndexServer) -> None:
    """Each package's note is named by its package, the first's too."""
    url = _online(ws, index_server, {"alpha": ["0.0.1"], "beta": ["0.0.1"]})
    run = ws.bump(*TWO, "patch", "--dry-run")
    assert run.code == 0, run.err
    notes = [line for line in run.out.splitlines() if line.startswith("# Note:")]
    assert notes == [
        f"# Note: alpha: 0.1.0 was never published on {url}alpha/.",
        f"# Note: beta: 0.1.0 was never published on {url}beta/.",
    ]


def test_the_push_is_said_as_a_list_and_a_refusal_without_stray_stops(ws: Project) -> None:
    ws.hook("pre-receive", "echo 'no releases today' >&2\nexit 1\n", remote=True)
    before = ws.snapshot()
    run = ws.bump(*TWO, "patch", "--yes")
    assert run.code == 1
    assert "pushing main, alpha-v0.1.1 and beta-v0.1.1 to origin" in run.err
    error = _error(run.err)
    assert "declined); the repository was restored (main at" in error
    assert ".;" not in error
    assert ws.snapshot() == before


def test_the_forge_refusal_suggests_the_part_asked_for(ws: Project) -> None:
    add_gamma(ws)
    url = "https://github.com/acme/widget.git"
    ws.git("config", f"url.{ws.remote}.insteadOf", url)
    ws.git("remote", "set-url", "origin", url)
    before = ws.snapshot()
    run = ws.bump("patch", "--all", "--yes")
    assert run.code == 1
    assert "Release at most 3 packages at a time (bump -p mono -p alpha -p beta patch)" in run.err
    assert ws.snapshot() == before
