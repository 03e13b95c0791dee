"""Compiled templates are cached in the user's cache folder, best effort and never stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import GIT_ENV, Project

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
    for home in ("relative-home", "", "/"):  # no usable home: no cache at all
        monkeypatch.setenv("HOME", home)
        assert cache_folder("3.1.6") is None


def _plant(folder: Path, template: str, source: str) -> None:
    """A cache file for the packaged `template` whose code renders `source` instead."""
    from jinja2.bccache import Bucket, FileSystemBytecodeCache
    from jinja2.sandbox import SandboxedEnvironment

    from cutrelease.templates import PACKAGED

    filename = str(PACKAGED / template)
    cache = FileSystemBytecodeCache(str(folder))
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    real = (PACKAGED / template).read_text()
    bucket = Bucket(env, cache.get_cache_key(template, filename), cache.get_source_checksum(real))
    bucket.code = env.compile(source, template, filename)
    cache.dump_bytecode(bucket)


@pytest.mark.parametrize("trusted", [True, False])
def test_a_cache_folder_others_can_write_is_not_used(
    project: Project, tmp_path: Path, trusted: bool
) -> None:
    """The cache holds code: a file planted where others can write never runs."""
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    folder = tmp_path / "cache" / "cutrelease" / f"templates-1-jinja{jinja2.__version__}"
    folder.mkdir(parents=True)
    folder.parent.chmod(0o700)
    folder.chmod(0o700 if trusted else 0o777)
    _plant(folder, "commit_message.txt.j2", "PLANTED {{ tag }}")
    run = project.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    # Planted in a private folder, the code is the user's own and runs: the test can tell.
    assert ("-m 'PLANTED v0.2.1'" in run.out) is trusted
    assert ("-m 'chore(release): v0.2.1'" in run.out) is not trusted


@pytest.mark.skipif(os.getuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(project: Project, tmp_path: Path) -> None:
    project.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    folder = tmp_path / "cache" / "cutrelease" / f"templates-1-jinja{jinja2.__version__}"
    folder.mkdir(parents=True)
    folder.parent.chmod(0o700)
    folder.chmod(0o700)
    _plant(folder, "commit_message.txt.j2", "PLANTED {{ tag }}")
    os.chown(folder.parent, 65534, 65534)  # nobody
    run = project.bump("patch", "--dry-run")
    assert (run.code, "PLANTED" in run.out) == (0, False), run.err


def test_a_cache_file_that_cannot_be_written_is_skipped(project: Project, tmp_path: Path) -> None:
    """A full disk (here: a file size limit of 0 bytes) leaves the cache empty, nothing else."""
    import resource

    expected = project.bump("patch", "--dry-run")
    cache = tmp_path / "cache"

    def no_file_may_grow() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # Python ignores SIGXFSZ

    run = subprocess.run(
        [sys.executable, "-m", "cutrelease", "patch", "--dry-run"],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)},
        capture_output=True,
        text=True,
        preexec_fn=no_file_may_grow,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (expected.code, expected.out, expected.err)
    assert [path.name for path in cache.rglob("*") if path.is_file()] == []
