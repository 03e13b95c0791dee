"""A dry run: every check, the plan as text, and nothing written anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import OFFLINE_INDEX, Project


@pytest.mark.parametrize("args", [["patch", "--dry-run"], ["minor", "--dry-run", "--json"]])
def test_a_dry_run_writes_nothing_anywhere(
    project: Project, tmp_path: Path, args: list[str]
) -> None:
    """Not in the repository, nor its remote, nor the user's home, cache or temporary folder."""
    folders = {name: tmp_path / name for name in ("HOME", "XDG_CACHE_HOME", "TMPDIR")}
    for name, folder in folders.items():
        folder.mkdir()
        project.env[name] = str(folder)
    before = project.snapshot()
    run = project.bump(*args)
    assert run.code == 0, run.err
    assert project.snapshot() == before
    assert {name: sorted(folder.rglob("*")) for name, folder in folders.items()} == {
        name: [] for name in folders
    }


def test_the_json_of_a_dry_run_holds_what_it_prints(project: Project) -> None:
    """--json: the versions, tag and files, no commit, and the very diff and commands."""
    shown = project.bump("minor", "--dry-run", "--date", "2026-03-01")
    run = project.bump("minor", "--dry-run", "--json", "--date", "2026-03-01")
    assert (run.code, run.err) == (0, "")
    commands = shown.out.splitlines()[-3:]
    assert [command.split()[:2] for command in commands] == [
        ["git", "-c"],
        ["git", "tag"],
        ["git", "-c"],
    ]
    assert json.loads(run.out) == {
        "schema_version": 1,
        "command": "minor",
        "ok": True,
        "dry_run": True,
        "old_version": "0.2.0",
        "new_version": "0.3.0",
        "tag": "v0.3.0",
        "files": ["pyproject.toml", "CHANGELOG.md", "SECURITY.md"],
        "commit": None,
        "pushed": False,
        "diff": shown.out.removesuffix("".join(f"{command}\n" for command in commands)),
        "commands": commands,
        "hooks": [],
        "index": OFFLINE_INDEX,  # --offline (conftest): the package index is not asked
        "packages": [
            {
                "name": "widget",
                "tag": "v0.3.0",
                "old_version": "0.2.0",
                "new_version": "0.3.0",
                "index": OFFLINE_INDEX,
            }
        ],
        "error": None,
        "exit_code": 0,
    }
