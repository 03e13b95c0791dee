"""A new user's trial of several packages in one release (SPEC section 14), on a real uv
workspace (`uv init`, `uv init --package` twice, beta depending on alpha, `uv lock`) and its
bare remote: each defect it found, as the user met it.

The workspace is test_several's (root `mono`, members alpha and beta at 0.1.0, tagged and
pushed; beta pins `alpha==0.1.0`); tests that need another requirement write it (`pin`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project, start_bump
from test_several import TWO, add_gamma, head, on_remote
from test_workspace import make_workspace, uv

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
    shutil.copytree(made, tmp_path / "copy", symlinks=True)
    project = Project(tmp_path / "copy" / "work", tmp_path / "copy" / "remote.git")
    project.git("remote", "set-url", "origin", str(project.remote))
    return project


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
