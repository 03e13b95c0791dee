"""Kills during the undo and during `bump recover`, a remote never reached, a full disk,
signals at start-up: each ends exactly as before, or released (SPEC section 16)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import FAULT, FAULTS, Project, make_project

JOURNAL = "cutrelease-journal.json"


def _arm(project: Project, faults: str) -> None:
    """Have the next bumps meet `faults` (tests/faults/sitecustomize.py: "kill:POINT#N,...")."""
    pythonpath = [str(FAULTS), *filter(None, [os.environ.get("PYTHONPATH")])]
    project.env.update({FAULT: faults, "PYTHONPATH": os.pathsep.join(pythonpath)})


def _leftovers(project: Project) -> list[str]:
    """What a kill may leave under .git/ or in the work tree that is not git's or the user's."""
    found = []
    for path in project.root.rglob("*"):
        name = path.name
        if name.endswith((".cutrelease", ".lock")) or name.startswith("cutrelease-"):
            found.append(str(path.relative_to(project.root)))
    return sorted(found)


def _recover(project: Project) -> None:
    project.no_faults()
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "Traceback" not in recovered.err


# Points of the undo, after the remote refused the push (see the faults' docstring).
UNDO_POINTS = [
    "tag-deleted",
    "branch-reset",
    "locked:.git/index.lock",
    "temp:.git/.COMMIT_EDITMSG.cutrelease",
    "locked:.git/HEAD.lock",
    "temp:.git/logs/.HEAD.cutrelease",
    "locked:.git/refs/heads/main.lock",
    "temp:.git/logs/refs/heads/.main.cutrelease",
    "temp:.CHANGELOG.md.cutrelease#2",
    "write:CHANGELOG.md#2",
]
# Points of the release that leave a file of ours for recover to remove.
RELEASE_POINTS = [
    "temp:.git/.cutrelease-journal.json.cutrelease",  # the first journal, not yet in place
    "temp:.git/.cutrelease-journal.json.cutrelease#3",
    "reserve",
    "temp:.CHANGELOG.md.cutrelease",
    "journal:push",
]


@pytest.mark.parametrize("point", RELEASE_POINTS)
def test_a_kill_in_the_release_leaves_nothing_recover_does_not_remove(
    project: Project, point: str
) -> None:
    before = project.snapshot()
    _arm(project, f"kill:{point}")
    run = project.bump("minor")
    assert run.code == -signal.SIGKILL, run.err
    _recover(project)
    assert _leftovers(project) == []
    assert project.snapshot() == before


@pytest.mark.parametrize("point", UNDO_POINTS)
def test_a_kill_in_the_undo_then_recover_restores(project: Project, point: str) -> None:
    project.hook("pre-receive", "echo 'rejected by policy' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    _arm(project, f"kill:{point}")
    run = project.bump("patch")
    assert run.code == -signal.SIGKILL, run.err
    assert (project.root / ".git" / JOURNAL).exists()
    _recover(project)
    assert _leftovers(project) == []
    assert project.snapshot() == before
    assert project.git("commit", "--allow-empty", "-qm", "git works").strip() == ""


@pytest.mark.parametrize("point", ["locked:.git/HEAD.lock", "locked:.git/index.lock"])
def test_a_kill_during_recover_then_recover_again_restores(project: Project, point: str) -> None:
    before = project.snapshot()
    project.kill_at("tag")
    _arm(project, f"kill:{point}")
    assert project.bump("recover").code == -signal.SIGKILL
    assert (project.root / point.removeprefix("locked:")).exists()  # ours, left
    _recover(project)
    assert _leftovers(project) == []
    assert project.snapshot() == before


def test_a_git_lock_of_someone_else_is_never_removed(project: Project) -> None:
    project.kill_at("tag")
    held = project.root / ".git" / "index.lock"
    held.write_bytes(b"")  # as a running git makes it (mode 0666 less the umask)
    refused = project.bump("recover")
    assert refused.code == 1 and "index.lock" in refused.err
    assert held.exists()


def test_a_remote_gone_before_the_push_is_a_failed_push(project: Project, tmp_path: Path) -> None:
    # The remote vanishes between the checks and the push: git never connects.
    gone = tmp_path / "remote.gone"
    text = project.read("pyproject.toml")
    hook = f'\n[tool.cutrelease]\nbefore_commit = [["mv", "{project.remote}", "{gone}"]]\n'
    project.write("pyproject.toml", text + hook)
    project.commit_all("a hook that takes the remote away")
    project.push()
    before = project.snapshot()
    run = project.bump("patch")
    shutil.move(gone, project.remote)
    assert run.code == 1, run.err
    assert "never reached origin" in run.err and "restored" in run.err
    assert ".;" not in run.err  # git's sentence goes on as a clause
    assert project.snapshot() == before


def test_an_unknown_host_is_never_reached() -> None:
    # What git really says when it cannot connect, read as "never connected".
    from cutrelease.git.pushing import never_connected

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["git", "init", "-q", folder], check=True)
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@e",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "x",
            ],
            cwd=folder,
            check=True,
        )
        for url in ["https://host.invalid/x.git", f"{folder}/gone.git"]:
            done = subprocess.run(
                ["git", "push", url, "HEAD"], cwd=folder, capture_output=True, text=True
            )
            detail = "; ".join(line for line in done.stderr.splitlines() if line.strip())
            assert done.returncode != 0 and never_connected(detail), detail
    assert not never_connected("remote: fatal: unable to access 'x'; the remote end hung up")
    assert not never_connected("RPC failed; curl 56 Recv failure: Connection reset by peer")


def _tmpfs_allowed() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder])
        if done.returncode != 0:
            return False
        subprocess.run(["umount", folder], check=True)
    return True


needs_tmpfs = pytest.mark.skipif(
    not _tmpfs_allowed(), reason="a full disk is a small tmpfs: needs root and mount"
)


@pytest.fixture
def full_disk(tmp_path: Path) -> object:
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def _fill(disk: Path, free: int) -> None:
    stat = os.statvfs(disk)
    size = stat.f_bavail * stat.f_frsize - free
    if size > 0:
        with open(disk / "work" / ".git" / "zz-filler", "wb") as filler:
            os.posix_fallocate(filler.fileno(), 0, size)


@needs_tmpfs
@pytest.mark.parametrize("free_kib", [0, 16, 64, 160, 400])
def test_a_full_disk_never_breaks_the_undo(full_disk: Path, free_kib: int) -> None:
    project = make_project(full_disk)
    project.hook("pre-receive", "echo 'rejected by policy' >&2\nexit 1\n", remote=True)
    _fill(full_disk, free_kib * 1024)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err and "restored" in run.err
    assert project.snapshot() == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("module", ["click", "cutrelease.git.gitrepo", "cutrelease.release.checks"])
def test_a_signal_at_start_up_is_one_line(project: Project, module: str, signum: int) -> None:
    # The signal arrives while bump imports `module` (the faults' finder sends it there).
    _arm(project, f"signal{int(signum)}:import:{module}")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code in (1, 130), (run.code, run.err)
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_click_loads_the_command_is_said_as_an_interruption(
    project: Project, signum: int
) -> None:
    # click turns a Ctrl-C in its own handling (here: while it loads the release's command)
    # into an Abort; it is said as the commands say Ctrl-C, not as "Aborted" (end of input).
    _arm(project, f"signal{int(signum)}:import:cutrelease.commands.release")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1, (run.code, run.err)
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert lines == ["error: Interrupted; nothing was changed."], run.err
    assert project.snapshot() == before
