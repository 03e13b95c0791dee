"""Compiled templates are cached in the user's cache folder, best effort and never stale."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import Project

from cutrelease.templates import cache_folder


def _cached(cache_home: Path) -> list[Path]:
    return sorted(cache_home.rglob("*.cache"))


def test_a_dry_run_fills_the_cache_and_the_next_one_reads_it(
    project: Project, tmp_path: Path
) -> None:
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    first = project.bump("patch", "--dry-run")
    files = _cached(tmp_path / "cache")
    assert len(files) == 5  # commit and tag messages, three changelog templates
    folder = tmp_path / "cache" / "cutrelease" / f"templates-1-jinja{jinja2.__version__}"
    assert {path.parent for path in files} == {folder}
    stamps = {path: path.stat().st_mtime_ns for path in files}
    second = project.bump("patch", "--dry-run")
    assert (second.code, second.out) == (first.code, first.out)
    assert {path: path.stat().st_mtime_ns for path in files} == stamps  # read, not rewritten


def test_a_damaged_cache_is_compiled_over(project: Project, tmp_path: Path) -> None:
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    first = project.bump("patch", "--dry-run")
    for path in _cached(tmp_path / "cache"):
        path.write_bytes(path.read_bytes()[:20] + b"\x00garbage")
    second = project.bump("patch", "--dry-run")
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)


def test_no_writable_cache_folder_changes_nothing(project: Project, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n")
    expected = project.bump("patch", "--dry-run")
    project.env["XDG_CACHE_HOME"] = str(blocked)
    run = project.bump("patch", "--dry-run")
    assert (run.code, run.out, run.err) == (expected.code, expected.out, expected.err)


def test_an_edited_template_is_compiled_again(project: Project, tmp_path: Path) -> None:
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    (project.root / "templates").mkdir()
    override = project.root / "templates" / "commit_message.txt.j2"
    override.write_text("release {{ tag }}\n")
    assert "-m 'release v0.2.1'" in project.bump("patch", "--dry-run", "--no-push").out
    override.write_text("ship {{ tag }}\n")
    assert "-m 'ship v0.2.1'" in project.bump("patch", "--dry-run", "--no-push").out


def test_the_cache_folder_follows_xdg_and_never_a_relative_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder("3.1.6") == tmp_path / "cutrelease" / "templates-1-jinja3.1.6"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # XDG: a relative path is ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder("3.1.6") == tmp_path / "home/.cache/cutrelease/templates-1-jinja3.1.6"
    monkeypatch.setenv("HOME", "relative-home")  # no usable home: no cache at all
    assert cache_folder("3.1.6") is None


def test_a_cache_file_that_cannot_be_written_is_skipped(project: Project, tmp_path: Path) -> None:
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    first = project.bump("patch", "--dry-run")
    for path in _cached(tmp_path / "cache"):  # works as root too, unlike a read-only folder
        path.unlink()
        path.mkdir()
    second = project.bump("patch", "--dry-run")
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
