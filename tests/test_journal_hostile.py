"""`bump recover` takes the journal as data, never orders: an edited journal that names
anything a release does not write is refused, with nothing written (SPEC section 16)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Project

Journal = dict[str, Any]


def _put_back(data: Journal) -> dict[str, Any]:
    return next(step for step in data["undo"] if step["kind"] == "put-back")


def _add_file(path: str, mode: int = 0o644) -> Callable[[Journal, Path], None]:
    def edit(data: Journal, outside: Path) -> None:
        raw = base64.b64encode(b"owned\n").decode()
        _put_back(data)["files"].append({"path": path, "data": raw, "mode": mode, "lock": None})

    return edit


def _git_file(path: str, lock: str | None) -> Callable[[Journal, Path], None]:
    def edit(data: Journal, outside: Path) -> None:
        raw = base64.b64encode(b"owned\n").decode()
        _put_back(data)["git_files"].append({"path": path, "data": raw, "mode": 420, "lock": lock})

    return edit


def _mode(mode: int) -> Callable[[Journal, Path], None]:
    def edit(data: Journal, outside: Path) -> None:
        _put_back(data)["files"][0]["mode"] = mode

    return edit


def _older_tag(data: Journal, outside: Path) -> None:
    # The tag of the previous release, with its own tag object: never the interrupted one's.
    tag = next(step for step in data["undo"] if step["kind"] == "delete-tag")
    tag["tag_object"] = data["older"]
    tag["tag"] = data["tag"] = "v0.2.0"


def _branch(data: Journal, outside: Path) -> None:
    data["branch"] = "../../../outside"


def _absolute(data: Journal, outside: Path) -> None:
    _add_file(str(outside / "owned.txt"))(data, outside)


EDITS = {
    "a file above the repository": _add_file("../outside/owned.txt"),
    "an absolute path": _absolute,
    "a path through a link out": _add_file("linked/owned.txt"),
    "a git hook": _add_file(".git/hooks/pre-commit", 0o755),
    "git's config": _git_file("config", None),
    "a git file above .git": _git_file("../../outside/owned.txt", None),
    "a setuid mode": _mode(0o4755),
    "a mode writable by all": _mode(0o666),
    "an older release's tag": _older_tag,
    "a branch name that is a path": _branch,
}


def _without_release_lock(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The killed bump's release lock file (flock, dropped by the kernel) goes with the next
    command to take it: the one change a refused recover makes."""
    snapshot["git"].pop("cutrelease.lock", None)
    return snapshot


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_an_edited_journal_is_refused_with_nothing_written(
    project: Project, tmp_path: Path, edit: Callable[[Journal, Path], None]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    project.git("push", "-q", "origin", "v0.2.0")
    older = project.git("rev-parse", "refs/tags/v0.2.0").strip()
    (project.root / "linked").symlink_to(outside)  # untracked: the release does not mind
    project.kill_at("tag")
    path = project.root / ".git" / "cutrelease-journal.json"
    data = json.loads(path.read_text())
    data["older"] = older
    edit(data, outside)
    data.pop("older")
    path.write_text(json.dumps(data))
    before = _without_release_lock(project.snapshot())
    run = project.bump("recover")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "names" in run.err and "restore by hand" in run.err, run.err
    assert _without_release_lock(project.snapshot()) == before
    assert list(outside.iterdir()) == []
    assert project.git("rev-parse", "refs/tags/v0.2.0").strip() == older


def test_an_untouched_journal_is_obeyed(project: Project) -> None:
    before = project.snapshot()
    project.kill_at("tag")
    assert project.bump("recover").code == 0
    assert project.snapshot() == before
