"""Reading refs from the files store agrees with git itself."""

from __future__ import annotations

from pathlib import Path

from conftest import Project

from cutrelease import refs


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
