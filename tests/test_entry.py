"""The `bump` process itself: how it starts and how it leaves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GIT_ENV, Project

REPO = Path(__file__).resolve().parents[1]


def _python(project: Project, script: str, *args: str) -> list[str]:
    """Run a Python script with bump's arguments in the project: its exit code, then stdout."""
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    return [f"exit {run.returncode}", *run.stdout.splitlines()]


def _entry(project: Project, *args: str, prelude: str = "") -> list[str]:
    """Run bump through its entry point, with a teardown that says whether it ran."""
    script = (
        f"import atexit, gc, sys, types\n{prelude}"
        "atexit.register(lambda: print('torn down; collector on:', gc.isenabled()))\n"
        "from cutrelease.__main__ import main\n"
        "main()\n"
    )
    return _python(project, script, *args)


def test_help_and_check_stay_light(project: Project) -> None:
    """--help, version and check-tag load neither GitPython (`git`), jinja2 nor tomlkit; check
    and the dry run no GitPython either: git runs as plain processes (gitrepo)."""
    script = (
        "import sys\n"
        "from cutrelease.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('loaded:', *sorted({'git', 'jinja2', 'tomlkit'} & set(sys.modules)))\n"
    )

    def loaded(*args: str) -> list[str]:
        return _python(project, script, *args)[-1].split()[1:]

    assert loaded("--help") == []
    # Python 3.10 has no tomllib: there tomlkit reads pyproject.toml.
    toml_reader = [] if sys.version_info >= (3, 11) else ["tomlkit"]
    assert loaded("version") == toml_reader
    assert loaded("check-tag", "v0.2.0") == toml_reader
    assert "git" not in loaded("check")
    assert "git" not in loaded("patch", "--dry-run")


@pytest.mark.parametrize("args", [["version"], ["check-tag", "v0.2.0"]])
def test_version_and_check_tag_load_only_what_they_use(project: Project, args: list[str]) -> None:
    """Through the entry point, as a user runs them: not packaging (no two spellings of a
    version to compare), dataclasses, signal's enums, the index question's module, the
    release commands' module nor redact's pattern (no URL in what they print)."""
    unwanted = [
        "cutrelease.commands.release",
        "cutrelease.publish.prefetch",
        "cutrelease.redact",
        "cutrelease.versions",
        "dataclasses",
        "packaging",
        "signal",
    ]
    if sys.version_info < (3, 11):  # no tomllib: tomlkit reads pyproject.toml, and it loads them
        unwanted.remove("dataclasses")
    prelude = (  # a measured process (coverage) exits normally: its exit hooks run
        "sys.modules['coverage'] = types.ModuleType('c')\n"
        f"atexit.register(lambda: print('loaded:', *sorted(set({unwanted}) & set(sys.modules))))\n"
    )
    run = _entry(project, *args, prelude=prelude)
    assert (run[0], run[-1]) == ("exit 0", "loaded:"), run


def test_a_dry_run_never_loads_the_writing_side(project: Project) -> None:
    """The transaction, its journal, lock and atomic writes load only for a real release."""
    writing = [
        "cutrelease.atomic",
        "cutrelease.git.lock",
        "cutrelease.release.journal",
        "cutrelease.release.transaction",
    ]
    script = (
        "import sys\n"
        "from cutrelease.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as done:\n"
        "    print('exit', done.code)\n"
        f"print('loaded:', *sorted(set({writing}) & set(sys.modules)))\n"
    )
    assert _python(project, script, "patch", "--dry-run")[-2:] == ["exit 0", "loaded:"]
    assert _python(project, script, "patch")[-2:] == ["exit 0", "loaded: " + " ".join(writing)]


def test_the_command_runs_without_the_cyclic_collector(project: Project) -> None:
    """The console scripts and `python -m cutrelease` start with gc off (a speed decision)."""
    import tomlkit

    scripts = tomlkit.parse((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert set(scripts.values()) == {"cutrelease.__main__:main"}
    assert _entry(project, "check-tag", "v9.9.9")[-1] == "torn down; collector on: False"


def test_a_success_leaves_without_teardown_a_failure_with_it(project: Project) -> None:
    """Success: the output is out, then exit 0 at once; failure: the normal exit."""
    assert _entry(project, "version") == ["exit 0", "0.2.0"]
    dry_run = _entry(project, "patch", "--dry-run")
    assert dry_run[0] == "exit 0"
    assert dry_run[-1].startswith("git -c push.pushOption= push")  # the whole output came out
    assert _entry(project, "check-tag", "v9.9.9")[0] == "exit 1"
    assert _entry(project, "check-tag", "v9.9.9")[-1].startswith("torn down")
    # Under coverage.py (which saves its data at exit), a success exits normally too.
    measured = _entry(
        project, "version", prelude="sys.modules['coverage'] = types.ModuleType('c')\n"
    )
    assert measured == ["exit 0", "0.2.0", "torn down; collector on: False"]


@pytest.mark.parametrize("closed", [">&-", "2>&-", "<&-", ">&- 2>&- <&-"])
def test_a_success_with_a_closed_standard_stream_exits_0(project: Project, closed: str) -> None:
    """A CI step may close stdin, stdout or stderr: the release lands and the exit code says so."""
    run = subprocess.run(
        ["sh", "-c", f'"$@" {closed}', "sh", sys.executable, "-m", "cutrelease", "patch"],
        cwd=project.root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, "Traceback" in run.stderr) == (0, False), run.stderr
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def _onto_a_full_disk(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """bump with its stdout on /dev/full, where every write fails with ENOSPC."""
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "cutrelease", *args],
            cwd=project.root,
            env={**os.environ, **GIT_ENV},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["version"],
        ["patch", "--dry-run"],
        ["patch", "--dry-run", "--json"],
    ],
)
def test_output_that_cannot_be_written_is_one_error(project: Project, args: list[str]) -> None:
    """A full disk under stdout: exit 1 and one line on stderr, never a traceback."""
    run = _onto_a_full_disk(project, *args)
    errors = [line for line in run.stderr.splitlines() if not line.startswith("bump: ")]
    assert (run.returncode, errors) == (1, ["error: No space left on device"]), run.stderr


def test_a_json_error_with_stdout_closed_goes_to_stderr(project: Project) -> None:
    (project.root / "CHANGELOG.md").write_text("edited\n")  # a dirty tree: refused
    run = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", sys.executable, "-m", "cutrelease", "patch", "--json"],
        cwd=project.root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.startswith("error: There are uncommitted changes"), run.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_landed_release_exits_0_even_if_its_json_cannot_be_written(project: Project) -> None:
    run = _onto_a_full_disk(project, "patch", "--json")
    assert project.remote_git("tag", "-l") == "v0.2.1\n"
    assert (run.returncode, run.stderr.splitlines()) == (
        0,
        [
            "warning: Released v0.2.1, but its JSON could not be written "
            "([Errno 28] No space left on device)."
        ],
    )


def _release_with_stderr_closed_during_commit(project: Project) -> int:
    """Run a release; close the reading end of its stderr while the pre-commit hook runs."""
    project.hook("pre-commit", "sleep 1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cutrelease", "patch"],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("bump: committing"):
            break
    proc.stderr.close()  # every later line meets a broken pipe
    return proc.wait(timeout=60)


def test_a_stderr_broken_mid_release_does_not_stop_it(project: Project) -> None:
    assert _release_with_stderr_closed_during_commit(project) == 0
    assert project.remote_git("tag", "-l") == "v0.2.1\n"
    assert not (project.root / ".git" / "cutrelease-journal.json").exists()


def test_a_stderr_broken_mid_release_does_not_stop_the_undo(project: Project) -> None:
    project.hook("pre-receive", "exit 1\n", remote=True)
    (project.root / ".git" / "hooks").mkdir(exist_ok=True)
    project.hook("pre-commit", "sleep 1\n")  # in the snapshot, as the release will see it
    before = project.snapshot()
    assert _release_with_stderr_closed_during_commit(project) == 1
    assert project.snapshot() == before  # no journal left, files and refs as they were


@pytest.mark.parametrize("args", [["notes", "--unreleased"], ["patch", "--dry-run"]])
def test_a_stdout_that_cannot_encode_the_text_is_one_error(
    project: Project, args: list[str]
) -> None:
    """Rather than a traceback, or escaped text in someone's release notes."""
    changelog = (project.root / "CHANGELOG.md").read_text()
    project.write("CHANGELOG.md", changelog.replace("- A fix.", "- A café fix ✓."))
    project.commit_all("unicode")
    project.git("push", "-q", "origin", "main")
    before = project.snapshot()
    run = subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert (run.returncode, len(errors), "Traceback" in run.stderr) == (1, 1, False), run.stderr
    assert "ascii" in errors[0] and "PYTHONIOENCODING=utf-8" in errors[0]
    assert project.snapshot() == before


def test_the_commands_that_never_release_are_every_other_command() -> None:
    """__main__ loads the index question's module unless the command never releases (in a
    process of its own: importing __main__ sets its signal handlers)."""
    script = (
        "from cutrelease.__main__ import _NOT_RELEASES\n"
        "from cutrelease.cli import COMMANDS, RELEASES\n"
        "print(sorted(_NOT_RELEASES) == sorted(set(COMMANDS) - set(RELEASES)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.stdout == "True\n", run.stderr


# A command that a Ctrl-C interrupted inside an eval() of a string, as one landing while
# collections.namedtuple builds a class at import: CPython marks the KeyboardInterrupt
# unhandled for good when it leaves the eval, and a `python -m` run ends killed by SIGINT
# once it exits, whatever the program made of it. bump says so once, and exits with its code.
EVAL_INTERRUPTED = """
import sys
import cutrelease.cli

def interrupted_inside_eval():
    try:
        eval("(_ for _ in ()).throw(KeyboardInterrupt)")
    except KeyboardInterrupt:
        print("error: Interrupted; nothing was changed.", file=sys.stderr)
        sys.exit(1)

cutrelease.cli.main = interrupted_inside_eval
sys.argv = ["bump", "version"]
from cutrelease.__main__ import main
main()
"""


def test_an_interruption_inside_an_eval_exits_with_the_commands_code(tmp_path: Path) -> None:
    # Run as a module (`python -m`, as `python -m cutrelease` runs): `-c` and a script leave
    # at once on SystemExit, before CPython looks at its mark.
    (tmp_path / "interrupted.py").write_text(EVAL_INTERRUPTED)
    done = subprocess.run(
        [sys.executable, "-m", "interrupted"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "error: Interrupted; nothing was changed.\n")
