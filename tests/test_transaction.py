"""All or nothing: every failure leaves the repository byte for byte as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Project, start_bump

STEPS = [
    "journal",
    "write:pyproject.toml",
    "write:CHANGELOG.md",
    "write:SECURITY.md",
    "commit",
    "tag",
]


def _assert_failed_and_restored(
    project: Project, before: dict[str, object], run_args: list[str], *words: str
) -> str:
    run = project.bump(*run_args)
    assert run.code == 1, (run.out, run.err)
    assert "Traceback" not in run.err
    error = [line for line in run.err.splitlines() if line.startswith("error:")]
    assert len(error) == 1, run.err
    assert "restored" in error[0]
    for word in words:
        assert word in error[0], (word, error[0])
    assert project.snapshot() == before
    return error[0]


def test_pre_commit_hook_fails(project: Project) -> None:
    project.hook("pre-commit", "echo 'lint: trailing whitespace in CHANGELOG.md' >&2\nexit 1\n")
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["minor"], "git commit", "trailing whitespace")


def test_commit_msg_hook_fails(project: Project) -> None:
    project.hook("commit-msg", "echo 'subject must start with a ticket number' >&2\nexit 1\n")
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["patch"], "ticket number")


def test_remote_rejects_push(project: Project) -> None:
    project.hook("pre-receive", "echo 'pushes are frozen today' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["patch"], "git push", "pushes are frozen today")


def test_remote_rejects_only_the_tag_and_main_does_not_move(project: Project) -> None:
    project.hook(
        "update",
        'case "$1" in refs/tags/*) echo "tags are protected: $1" >&2; exit 1;; esac\nexit 0\n',
        remote=True,
    )
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["patch"], "tags are protected")


@pytest.mark.parametrize("step", STEPS)
def test_failure_at_each_step_restores(project: Project, step: str) -> None:
    project.inject("fail", step)
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["minor"], "Injected failure")


def test_tag_appearing_between_checks_and_tag_step(project: Project) -> None:
    project.hook("post-commit", "git tag v0.2.1 HEAD~1\n")
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    assert "already exists" in run.err and "restored" in run.err
    after = project.snapshot()
    # The tag someone else made is theirs: kept. Everything else is as before.
    foreign = project.git("rev-parse", "v0.2.1").strip()
    assert after["refs"] == f"{before['refs']}refs/tags/v0.2.1 {foreign}\n"
    after_git = dict(after.pop("git"))  # type: ignore[call-overload]
    assert after_git.pop("refs/tags/v0.2.1")
    assert after_git == before.pop("git")
    after.pop("refs"), before.pop("refs")
    assert after == before


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _wait_gone(path: Path) -> None:
    deadline = time.monotonic() + 30
    while path.exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_ctrl_c_during_slow_pre_commit_hook(project: Project, tmp_path: Path) -> None:
    """The hook `exec`s its sleep, so Ctrl-C reaches the process that is waiting.

    A shell script that runs `sleep` as a child may survive a Ctrl-C that lands between its
    commands (dash defers SIGINT while it waits for a child that then exits normally) and go
    on to the next one; bump then waits for it, so that nothing it writes lands after the
    restore (test_bump_waits_for_a_hook_that_outlives_ctrl_c).
    """
    marker = tmp_path / "hook-started"
    project.hook("pre-commit", f"touch {marker}\nexec sleep 30\n")
    before = project.snapshot()
    proc = start_bump(project, "patch")
    _wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert "Interrupted (Ctrl-C)" in err and "restored" in err
    assert project.snapshot() == before


def test_bump_waits_for_a_hook_that_outlives_ctrl_c(project: Project, tmp_path: Path) -> None:
    """A hook that ignores Ctrl-C and writes afterwards: the restore comes after its write."""
    marker = tmp_path / "hook-started"
    project.hook(
        "pre-commit",
        f"trap '' INT\ntouch {marker}\nsleep 1\necho late >> CHANGELOG.md\nexit 1\n",
    )
    before = project.snapshot()
    proc = start_bump(project, "patch")
    _wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "restored" in err
    assert project.snapshot() == before


@pytest.mark.parametrize("accept", [True, False])
def test_ctrl_c_while_push_in_flight_stays_consistent(
    project: Project, tmp_path: Path, accept: bool
) -> None:
    marker = tmp_path / "push-started"
    verdict = "exit 0" if accept else "echo 'rejected by policy' >&2; exit 1"
    project.hook("pre-receive", f"touch {marker}\nsleep 2\n{verdict}\n", remote=True)
    before = project.snapshot()
    proc = start_bump(project, "patch")
    _wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
    if accept:
        # The remote took it, so the local release stays: both released.
        assert proc.returncode == 0, err
        assert "Ctrl-C" in err
        head = project.git("rev-parse", "HEAD")
        assert project.remote_git("rev-parse", "main") == head
        assert project.remote_git("rev-parse", "v0.2.1^{commit}") == head
        assert project.git("tag", "-l") == "v0.2.1\n"
        assert not (project.root / ".git" / "cutrelease-journal.json").exists()
    else:
        assert proc.returncode == 1
        assert "rejected by policy" in err
        assert project.snapshot() == before


# Also right after commit and tag, before the journal knows of them: recover asks git.
KILL_STEPS = [*STEPS, "commit-unjournaled", "tag-unjournaled"]


@pytest.mark.parametrize("step", KILL_STEPS)
def test_kill_9_at_each_step_then_recover(project: Project, step: str) -> None:
    before = project.snapshot()
    project.kill_at(step, "minor")
    assert (project.root / ".git" / "cutrelease-journal.json").exists()
    refused = project.bump("patch", "--dry-run")
    assert refused.code == 1 and "bump recover" in refused.err
    shown = project.bump("version")  # SPEC section 3: printed, with a warning (a trial's)
    assert shown.code == 0
    assert shown.err == (
        "warning: An interrupted release is pending in this repository: the version read may "
        "be its, not the last commit's. Run `bump recover` first.\n"
    )
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "Restored main" in recovered.err
    assert project.snapshot() == before
    assert project.bump("version").err == ""


def test_kill_9_after_push_then_recover_finishes(project: Project) -> None:
    project.kill_at("pushed")
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "release is complete" in recovered.err
    assert project.git("tag", "-l") == "v0.2.1\n"
    assert project.remote_git("tag", "-l") == "v0.2.1\n"
    assert not list((project.root / ".git").glob("cutrelease*"))


def test_real_kill_9_from_a_hook_then_recover(project: Project) -> None:
    # The pre-commit hook kills bump itself (its pid is in the lock file): a real kill -9.
    project.hook("pre-commit", "kill -9 $(cat .git/cutrelease.lock)\nexit 1\n")
    before = project.snapshot()
    run = project.bump("patch", subprocess=True)  # the hook kills bump
    assert run.code == -signal.SIGKILL
    _wait_gone(project.root / ".git" / "index.lock")  # git commit finishes after bump died
    os.unlink(project.root / ".git" / "hooks" / "pre-commit")
    before_git = dict(before["git"])  # type: ignore[call-overload]
    before_git.pop("hooks/pre-commit")
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    after = project.snapshot()
    assert after["git"] == before_git
    after.pop("git"), before.pop("git")
    assert after == before


def test_recover_with_nothing_to_do(project: Project) -> None:
    run = project.bump("recover")
    assert run.code == 0
    assert "nothing to recover" in run.err


def test_undo_that_fails_says_what_is_left_and_exits_3(project: Project) -> None:
    original = project.git("rev-parse", "HEAD").strip()
    # Git refuses to move main back to the original commit: the rollback cannot finish.
    project.hook(
        "reference-transaction",
        f'[ "$1" = prepared ] || exit 0\n'
        f"while read old new ref; do\n"
        f'  if [ "$ref" = refs/heads/main ] && [ "$new" = {original} ]; then\n'
        f'    echo "main is frozen" >&2; exit 1\n  fi\ndone\nexit 0\n',
    )
    project.hook("pre-receive", "exit 1\n", remote=True)
    run = project.bump("patch")
    assert run.code == 3, run.err
    assert "left to fix by hand" in run.err
    assert f"move main back to {original[:7]}" in run.err
    assert (project.root / ".git" / "cutrelease-journal.json").exists()
    assert "Traceback" not in run.err


def _hold_lock(lock: Path, ready: Path) -> subprocess.Popen[bytes]:
    """Another process that really holds the release lock (flock), as a running bump does."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, time\n"
            f"fd = os.open({str(lock)!r}, os.O_CREAT | os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "os.write(fd, b'%d\\n' % os.getpid())\n"
            f"open({str(ready)!r}, 'w').close()\n"
            "time.sleep(30)\n",
        ]
    )
    _wait_for(ready, holder)  # type: ignore[arg-type]
    return holder


def test_second_bump_refuses_while_one_runs(project: Project, tmp_path: Path) -> None:
    holder = _hold_lock(project.root / ".git" / "cutrelease.lock", tmp_path / "locked")
    try:
        run = project.bump("patch")
        assert run.code == 1
        assert f"Another bump (process {holder.pid}) is releasing in this repository." in run.err
        assert project.git("tag", "-l") == ""
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("second", [["minor"], ["patch", "--dry-run"], ["notes"]])
def test_two_bumps_racing_the_second_is_told_to_wait(
    project: Project, tmp_path: Path, second: list[str]
) -> None:
    # The first bump is mid-release (its journal written, its commit hook slow), as in
    # ../shared/repro/r7-concurrent-message.sh: healthy, not interrupted.
    marker, go_on = tmp_path / "hook-started", tmp_path / "go-on"
    wait = f"n=0; while [ ! -e {go_on} ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done"
    project.hook("pre-commit", f"touch {marker}\n{wait}\n")  # bounded: never left looping
    first = start_bump(project, "patch")
    try:
        _wait_for(marker, first)
        run = project.bump(*second)
        assert run.code == 1, run.err
        error = [line for line in run.err.splitlines() if line.startswith("error:")]
        assert error == [
            f"error: Another bump (process {first.pid}) is releasing in this repository. "
            "Wait for it to finish, then try again."
        ], run.err
    finally:
        go_on.touch()
    _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    head = project.git("rev-parse", "HEAD")
    assert project.remote_git("rev-parse", "main") == head
    assert project.remote_git("rev-parse", "v0.2.1^{commit}") == head
    assert not list((project.root / ".git").glob("cutrelease*"))


def test_a_lock_left_by_a_killed_holder_is_not_obeyed(project: Project, tmp_path: Path) -> None:
    lock = project.root / ".git" / "cutrelease.lock"
    holder = _hold_lock(lock, tmp_path / "locked")
    holder.kill()  # kill -9: the lock file stays, the kernel drops the lock
    holder.wait()
    assert lock.exists()
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert not lock.exists()


def test_file_mode_is_kept(project: Project) -> None:
    (project.root / "CHANGELOG.md").chmod(0o664)
    project.git("add", "CHANGELOG.md")
    project.commit_all("mode") if project.git("status", "--porcelain") else None
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert (project.root / "CHANGELOG.md").stat().st_mode & 0o777 == 0o664


def test_a_file_edited_while_the_question_waits_is_not_overwritten(project: Project) -> None:
    # On a terminal bump asks first; the maintainer edits CHANGELOG.md, then answers "y".
    edited: list[dict[str, object]] = []

    def late_edit() -> None:
        project.write("CHANGELOG.md", project.read("CHANGELOG.md") + "\nA late edit.\n")
        edited.append(project.snapshot())

    run = project.bump_on_terminal("patch", answer="y", meanwhile=late_edit)
    assert run.code == 1
    assert "CHANGELOG.md changed after the release was planned" in run.out
    assert project.snapshot() == edited[0]


def test_recover_never_loses_a_commit_made_after_the_crash(project: Project) -> None:
    project.kill_at("tag")
    project.write("work.txt", "later work\n")
    project.git("add", "work.txt")
    project.git("commit", "-q", "-m", "later work")
    later = project.git("rev-parse", "HEAD")
    run = project.bump("recover")
    assert run.code == 1
    assert "has moved on since the interrupted release" in run.err
    assert project.git("rev-parse", "HEAD") == later
    assert (project.root / ".git" / "cutrelease-journal.json").exists()


def test_recover_refuses_on_another_branch(project: Project) -> None:
    project.kill_at("commit")
    project.git("switch", "-q", "-c", "feature")
    run = project.bump("recover")
    assert run.code == 1
    assert "HEAD is not on main" in run.err
    assert project.git("symbolic-ref", "HEAD") == "refs/heads/feature\n"


def test_recover_after_the_repository_was_moved(project: Project, tmp_path: Path) -> None:
    before = project.snapshot()
    project.kill_at("tag")
    moved = tmp_path / "moved"
    project.root.rename(moved)
    project.root = moved
    run = project.bump("recover")
    assert run.code == 0, run.err
    assert project.snapshot() == before


def test_recover_waits_for_a_push_that_outlived_bump(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "push-started"
    release = tmp_path / "let-it-finish"
    project.hook(
        "pre-receive",
        # Bounded (60 s), so that a failing test leaves no hook looping after it.
        f"touch {marker}\nn=0\nwhile [ ! -e {release} ] && [ $n -lt 1200 ]; do\n"
        "  sleep 0.05; n=$((n + 1))\ndone\nexit 0\n",
        remote=True,
    )
    proc = start_bump(project, "patch")
    _wait_for(marker, proc)
    proc.kill()  # kill -9 of bump; its push goes on in its own session
    proc.wait()
    run = project.bump("recover")
    assert run.code == 1
    assert "The push of an interrupted bump (process" in run.err
    assert "is still running and holds this repository's release lock" in run.err
    assert (project.root / ".git" / "cutrelease-journal.json").exists()
    release.touch()
    deadline = time.monotonic() + 30
    while (run := project.bump("recover")).code != 0:  # the push ends, and its lock with it
        assert time.monotonic() < deadline, run.err
        time.sleep(0.1)
    assert "release is complete" in run.err
    head = project.git("rev-parse", "HEAD")
    assert project.remote_git("rev-parse", "v0.2.1^{commit}") == head


def test_rollback_with_a_packed_branch_ref_leaves_no_loose_ref(project: Project) -> None:
    project.git("pack-refs", "--all")
    project.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["patch"], "frozen")


@pytest.mark.parametrize("step", ["journal", "write:CHANGELOG.md", "commit-unjournaled"])
def test_a_commit_after_an_early_kill_is_never_taken_for_the_release(
    project: Project, step: str
) -> None:
    project.kill_at(step)
    if step != "commit-unjournaled":
        project.git("checkout", "--", ".")  # the maintainer drops the half-written files
    else:
        project.git("reset", "-q", "--hard", "HEAD~1")
    project.write("work.txt", "important\n")
    project.git("add", "work.txt")
    project.git("commit", "-q", "-m", "important work")
    mine = project.git("rev-parse", "HEAD")
    run = project.bump("recover")
    assert run.code == 1
    assert "has moved on" in run.err
    assert project.git("rev-parse", "HEAD") == mine


def test_a_remote_refusal_is_not_mistaken_for_a_missing_password(project: Project) -> None:
    project.hook(
        "pre-receive", "echo 'Permission denied: main is protected' >&2\nexit 1\n", remote=True
    )
    run = project.bump("patch")
    assert run.code == 1
    assert "Permission denied: main is protected" in run.err
    assert "ssh-agent" not in run.err


@pytest.mark.parametrize(
    "variable", ["CUTRELEASE_FAULT_INJECTION_FOR_TESTS_ONLY", "CUTRELEASE_TEST_FAULT"]
)
def test_a_shipped_bump_ignores_fault_variables(project: Project, variable: str) -> None:
    # Fault injection is the test suite's (tests/faults, on PYTHONPATH): no variable alone can
    # make bump kill itself or fail.
    project.env[variable] = "kill:journal"
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_a_fault_point_never_reached_changes_nothing(project: Project) -> None:
    # The wrapped functions pass everything through, and a success still leaves at once.
    project.inject("kill", "nowhere")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "Released v0.2.1 and pushed to origin." in run.err


def _hold_index_lock(project: Project) -> tuple[Path, bytes]:
    """A running git's index.lock, as git makes it: new, and its own bytes."""
    lock = project.root / ".git" / "index.lock"
    mine = b"a git command's half-written index\n"
    lock.write_bytes(mine)
    return lock, mine


def test_recover_waits_for_a_git_that_holds_the_index(project: Project) -> None:
    before = project.snapshot()
    project.kill_at("tag")
    lock, _ = _hold_index_lock(project)
    # The git command ends half a second later, while recover waits for its lock.
    remover = subprocess.Popen(["sh", "-c", f"sleep 0.5; rm -f '{lock}'"])
    try:
        started = time.monotonic()
        run = project.bump("recover")
        waited = time.monotonic() - started
    finally:
        remover.wait()
    assert run.code == 0, run.err
    assert waited >= 0.5
    assert project.snapshot() == before


def test_recover_never_writes_under_a_held_index_lock(project: Project) -> None:
    before = project.snapshot()
    project.kill_at("tag")
    lock, mine = _hold_index_lock(project)
    (project.root / ".git" / "cutrelease.lock").unlink()  # the killed bump's; recover drops it
    killed = project.snapshot()
    run = project.bump("recover")
    assert run.code == 1
    assert "A git command is still running" in run.err and "index.lock exists" in run.err
    assert lock.read_bytes() == mine
    assert project.snapshot() == killed  # nothing changed, the journal kept
    lock.unlink()
    assert project.bump("recover").code == 0
    assert project.snapshot() == before


def test_an_undo_waits_for_a_git_that_holds_the_index(project: Project, tmp_path: Path) -> None:
    index = project.root / ".git" / "index"
    lock, seen = index.with_name("index.lock"), tmp_path / "index-seen"
    # While the push is refused, a git command takes the index for half a second; what the
    # index is when it lets go shows whether the undo waited for it.
    project.hook(
        "pre-receive",
        f"echo busy > '{lock}'\n"
        f"(sleep 0.5; cat '{index}' > '{seen}'; rm -f '{lock}') </dev/null >/dev/null 2>&1 &\n"
        "echo 'frozen' >&2\nexit 1\n",
        remote=True,
    )
    original = index.read_bytes()
    before = project.snapshot()
    _assert_failed_and_restored(project, before, ["patch"], "frozen")
    assert seen.read_bytes() != original  # still the release's index while git held it


def test_an_undo_never_writes_under_a_held_index_lock(project: Project) -> None:
    lock = project.root / ".git" / "index.lock"
    project.hook("pre-receive", f"echo busy > '{lock}'\necho 'frozen' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 3, run.err
    assert "left to fix by hand: restore" in run.err and "index.lock exists" in run.err
    assert lock.read_text() == "busy\n"  # the running git's lock: neither removed nor written
    assert project.git("rev-parse", "HEAD") == project.remote_git("rev-parse", "main")
    assert project.git("tag", "-l") == ""  # the rest of the undo went on
    lock.unlink()
    os.unlink(project.remote / "hooks" / "pre-receive")
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert project.snapshot() == before


def test_the_fault_sitecustomize_hands_on_to_the_next_one(tmp_path: Path) -> None:
    # Python imports only the first sitecustomize on sys.path (coverage or a distribution may
    # have one): the faults' one imports the next.
    from conftest import FAULTS

    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import os\nos.environ['NEXT_SITECUSTOMIZE'] = 'ran'\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FAULTS), str(other)])}
    env["CUTRELEASE_TEST_FAULT"] = "kill:journal"
    script = (
        "import os, sitecustomize; print(sitecustomize.__file__, os.environ['NEXT_SITECUSTOMIZE'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [str(FAULTS / "sitecustomize.py"), "ran"]
