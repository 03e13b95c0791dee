"""A dry run: every check, the plan as text, and nothing written anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project


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
