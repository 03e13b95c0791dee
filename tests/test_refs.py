"""Reading refs from the files store agrees with git itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project

from cutrelease.errors import Refused
from cutrelease.git import refs


def _git_dir(project: Project) -> Path:
    return project.root / ".git"


def test_loose_and_packed_refs_agree_with_git(project: Project) -> None:
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    head = project.git("rev-parse", "HEAD").strip()
    tag = project.git("rev-parse", "v0.2.0").strip()
    for packed in (False, True):
        if packed:
            project.git("pack-refs", "--all")
            assert not (_git_dir(project) / "refs" / "tags" / "v0.2.0").exists()
        assert refs.resolve(_git_dir(project), "refs/heads/main") == head
        assert refs.resolve(_git_dir(project), "refs/tags/v0.2.0") == tag
        assert refs.files_store(_git_dir(project))
        assert refs.resolve(_git_dir(project), "refs/tags/v0.2") is None
        assert refs.resolve(_git_dir(project), "refs/tags/v0.2.0.1") is None
        assert refs.head(_git_dir(project)) == ("refs/heads/main", head)


def test_detached_head(project: Project) -> None:
    project.git("checkout", "-q", "--detach")
    head = project.git("rev-parse", "HEAD").strip()
    assert refs.head(_git_dir(project)) == ("HEAD", head)


def test_a_linked_worktree_reads_the_main_repository_refs(project: Project, tmp_path: Path) -> None:
    project.git("checkout", "-q", "-b", "elsewhere")
    tree = tmp_path / "tree"
    project.git("worktree", "add", "-q", str(tree), "main")
    git_dir = Path(project.git("-C", str(tree), "rev-parse", "--absolute-git-dir").strip())
    assert refs.common_dir(git_dir) == (project.root / ".git").resolve()
    head = project.git("rev-parse", "main").strip()
    assert refs.head(git_dir) == ("refs/heads/main", head)


# -- when refs are not plain files ----------------------------------------------------------
# A reftable store (git >= 2.45) keeps refs where this module cannot read them; bump then asks
# git. git 2.39 has no reftable, but an empty .git/reftable/ makes bump take the same path
# while git goes on reading its files: the fallbacks run for real.


def _as_if_reftable(project: Project) -> None:
    (_git_dir(project) / "reftable").mkdir()
    assert not refs.files_store(_git_dir(project))


def test_without_ref_files_the_plan_is_the_same(project: Project) -> None:
    expected = project.bump("minor", "--dry-run", "--date", "2026-03-01")
    _as_if_reftable(project)
    run = project.bump("minor", "--dry-run", "--date", "2026-03-01")
    assert (run.code, run.out, run.err) == (expected.code, expected.out, expected.err)


def test_without_ref_files_git_answers_and_the_release_lands(
    project: Project, tmp_path: Path
) -> None:
    _as_if_reftable(project)
    project.env["GIT_TRACE"] = str(tmp_path / "trace")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "rev-parse" in (tmp_path / "trace").read_text()  # the refs came from git
    assert project.remote_git("tag", "-l") == "v0.2.1\n"
    assert project.git("describe", "--tags", "--exact-match").strip() == "v0.2.1"


def test_without_ref_files_a_rejected_push_is_undone(project: Project) -> None:
    _as_if_reftable(project)
    project.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    run = project.bump("minor")
    assert run.code == 1 and "restored" in run.err and "frozen" in run.err
    assert project.snapshot() == before


def test_without_ref_files_recover_restores_after_a_kill(project: Project) -> None:
    _as_if_reftable(project)
    before = project.snapshot()
    project.kill_at("tag", "minor")
    run = project.bump("recover")
    assert run.code == 0, run.err
    assert project.snapshot() == before


def test_the_reflog_tells_which_commit_moved_the_branch(project: Project) -> None:
    git_dir = _git_dir(project)
    head = project.git("rev-parse", "HEAD").strip()
    size = refs.reflog_size(git_dir, "refs/heads/main")
    assert size is not None
    assert refs.reflog_move_after(git_dir, "refs/heads/main", size) is None  # nothing yet
    project.git("commit", "-q", "--allow-empty", "-m", "next")
    first = project.git("rev-parse", "HEAD").strip()
    project.git("commit", "-q", "--allow-empty", "-m", "and another")
    assert refs.reflog_move_after(git_dir, "refs/heads/main", size) == (head, first)


def test_a_loose_ref_is_dropped_only_under_its_lock_and_when_packed_agrees(
    project: Project,
) -> None:
    git_dir = _git_dir(project)
    head = project.git("rev-parse", "HEAD").strip()
    project.git("pack-refs", "--all", "--no-prune")  # packed, and loose too
    loose = git_dir / "refs" / "heads" / "main"
    ref_lock = loose.with_name("main.lock")
    ref_lock.write_text("a running git's\n")
    with pytest.raises(Refused, match=r"main\.lock exists"):
        refs.drop_loose(git_dir, "refs/heads/main", head)
    assert loose.exists() and ref_lock.read_text() == "a running git's\n"
    ref_lock.unlink()
    refs.drop_loose(git_dir, "refs/heads/main", "0" * 40)  # not what it holds: kept
    assert loose.exists()
    refs.drop_loose(git_dir, "refs/heads/main", head)
    assert not loose.exists() and not ref_lock.exists()
    assert project.git("rev-parse", "refs/heads/main").strip() == head


def test_packed_refs_are_read_again_once_git_rewrites_them(project: Project) -> None:
    """packed-refs is read once for the many refs a command asks (megabytes in a repository
    of thousands of tags), and again as soon as git writes it anew."""
    git_dir = project.root / ".git"
    project.git("tag", "-a", "-m", "one", "v9.0.0")
    project.git("pack-refs", "--all")
    first = refs.packed(git_dir, "refs/tags/v9.0.0")
    assert first == project.git("rev-parse", "refs/tags/v9.0.0").strip()
    assert refs.packed(git_dir, "refs/tags/v9.0.1") is None
    project.git("tag", "-a", "-m", "two", "v9.0.1")
    project.git("pack-refs", "--all")
    assert (
        refs.packed(git_dir, "refs/tags/v9.0.1")
        == project.git("rev-parse", "refs/tags/v9.0.1").strip()
    )
    project.git("tag", "-d", "v9.0.0")  # git rewrites packed-refs without it
    assert refs.packed(git_dir, "refs/tags/v9.0.0") is None
