"""A kill -9 at every step boundary of a release, of its undo and of `bump recover`; each run
is followed by `bump recover`, and must end exactly as before or fully released.

Not part of the suite (it takes minutes): run it by hand from the repository's root,

    .venv/bin/python tests/sweeps/kill_sweep.py [--quick]

The points come from tests/faults/sitecustomize.py's trace of each scenario (a release that
lands; one whose push the remote refuses, and so is undone; one whose before_commit hook
fails), so every boundary is killed at, in order, the Nth time it is reached. After each kill
during the release or its undo, recover is also killed at two points of its own trace
(taken in turn, so that the sweep goes through them all), then run again. Prints one line
per run that ended otherwise, and the count.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import FAULT, FAULTS, Project, make_project, snapshot

Scenario = Callable[[Project], None]


def _lands(project: Project) -> None:
    """Nothing to set up: the release lands."""


def _refused_push(project: Project) -> None:
    project.hook("pre-receive", "echo 'rejected by policy' >&2\nexit 1\n", remote=True)


def _failing_hook(project: Project) -> None:
    text = project.read("pyproject.toml")
    hook = '\n[tool.cutrelease]\nbefore_commit = [["sh", "-c", "echo x >> README; exit 3"]]\n'
    project.write("README", "readme\n")
    project.write("pyproject.toml", text + hook)
    project.commit_all("a failing hook")
    project.push()


SCENARIOS: dict[str, Scenario] = {
    "lands": _lands,
    "push refused": _refused_push,
    "hook fails": _failing_hook,
}


def _arm(project: Project, faults: str) -> None:
    project.env.update({FAULT: faults, "PYTHONPATH": str(FAULTS)})


def _trace(project: Project, folder: Path, *args: str) -> list[str]:
    trace = folder / "trace.txt"
    trace.unlink(missing_ok=True)
    _arm(project, f"trace:{trace}")
    project.bump(*args)
    project.no_faults()
    return trace.read_text().split() if trace.exists() else []


def _released(project: Project, before: dict[str, object], old_head: str) -> bool:
    """Released in full: local and remote agree on the release commit and tag, the commit
    is a child of the old HEAD, the tree is clean, nothing of ours is left under .git/."""
    head = project.git("rev-parse", "HEAD").strip()
    if project.git("rev-parse", f"{head}^").strip() != old_head:
        return False
    if project.remote_git("rev-parse", "main").strip() != head:
        return False
    tag = project.git("rev-parse", "-q", "--verify", "v0.2.1", check=False).strip()
    remote_tag = project.remote_git("for-each-ref", "--format=%(objectname)", "refs/tags/v0.2.1")
    if not tag or remote_tag.strip() != tag:
        return False
    if project.git("status", "--porcelain", "--untracked-files=no").strip():
        return False
    ours = [
        name
        for name in os.listdir(project.root / ".git")
        if "cutrelease" in name or ".lock" in name
    ]
    return not ours


def _verdict(project: Project, before: dict[str, object], old_head: str) -> str:
    project.no_faults()
    recovered = project.bump("recover")
    if recovered.code != 0 or "Traceback" in recovered.err:
        return f"recover exit {recovered.code}: {recovered.err.strip()[-300:]}"
    if snapshot(project) == before:
        return "before"
    if _released(project, before, old_head):
        return "released"
    return "NEITHER"


def _fresh(base: Path, scenario: Scenario) -> tuple[Project, dict[str, object], str]:
    folder = Path(tempfile.mkdtemp(dir=base))
    project = make_project(folder)
    scenario(project)
    return project, snapshot(project), project.git("rev-parse", "HEAD").strip()


def sweep(base: Path, *, quick: bool) -> tuple[int, int, list[str]]:
    runs = good = 0
    bad: list[str] = []
    for name, scenario in SCENARIOS.items():
        project, _, _ = _fresh(base, scenario)
        points = _trace(project, project.root.parent, "patch")
        for point in points:
            project, before, old_head = _fresh(base, scenario)
            _arm(project, f"kill:{point}")
            run = project.bump("patch")
            if run.code != -signal.SIGKILL:
                continue  # not reached this time (a trace is one run): not a kill
            recover_points = _trace(project, project.root.parent, "recover") if not quick else []
            runs += 1
            verdict = _verdict(project, before, old_head)
            good += verdict in ("before", "released")
            if verdict not in ("before", "released"):
                bad.append(f"{name}: kill at {point}: {verdict}")
            # The same kill again, now killing recover at two of its points, in turn.
            turn = 2 * runs
            chosen = (recover_points * 2)[turn % max(len(recover_points), 1) :][:2]
            for recover_point in dict.fromkeys(chosen):
                project, before, old_head = _fresh(base, scenario)
                _arm(project, f"kill:{point}")
                project.bump("patch")
                if not (project.root / ".git" / "cutrelease-journal.json").exists():
                    continue
                _arm(project, f"kill:{recover_point}")
                if project.bump("recover").code != -signal.SIGKILL:
                    continue
                runs += 1
                verdict = _verdict(project, before, old_head)
                good += verdict in ("before", "released")
                if verdict not in ("before", "released"):
                    bad.append(f"{name}: kill at {point}, recover at {recover_point}: {verdict}")
            print(f"{name}: {point}: {runs} runs so far, {len(bad)} wrong", flush=True)
    return runs, good, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="no kills of recover itself")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as base:
        runs, good, bad = sweep(Path(base), quick=options.quick)
    for line in bad:
        print("WRONG:", line)
    print(f"{runs} kills; {good} ended exactly as before or fully released; {len(bad)} did not")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
