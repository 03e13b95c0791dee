"""GitRepo.ask_remote: one dry-run push answers what `git ls-remote` answered (the refs the
release asks for) and what the dry-run push answered, for every state the checks tell apart.
Real repositories and a real bare remote."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GIT_ENV, Project, git

from cutrelease.errors import Refused
from cutrelease.git.gitrepo import GitRepo

TAGS = ["refs/tags/v0.2.1", "refs/tags/v0.2.0", "refs/tags/0.2.0"]


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)


def _facts(repo: GitRepo, refs: dict[str, str], head: str) -> dict[str, object]:
    """What the checks read of the remote's refs: which exist, and of its branch whether it
    is ours, here at all, behind ours or ahead of it."""
    theirs = refs.get("refs/heads/main")
    branch: tuple[bool, ...] | None = None
    if theirs is not None:
        here = repo.has_commit(theirs)
        branch = (theirs == head, here)
        if here:
            branch += (repo.is_ancestor(theirs, head), repo.is_ancestor(head, theirs))
    return {"present": sorted(refs), "branch": branch}


def _same_answers(project: Project, *, atomic: bool = True) -> dict[str, object]:
    repo = GitRepo(project.root)
    head = project.git("rev-parse", "HEAD").strip()
    asked = repo.ask_remote("origin", "main", TAGS, atomic=atomic)
    listed = repo.remote_refs("origin", ["refs/heads/main", *TAGS]).result()
    assert _facts(repo, asked.refs.result(), head) == _facts(repo, listed, head)
    dry = asked.dry_push.result()
    assert dry.status == 0, dry.detail
    return _facts(repo, listed, head)


def _other_clone(project: Project) -> Path:
    other = project.root.parent / "other"
    git(project.root.parent, "clone", "-q", str(project.remote), str(other))
    return other


def test_up_to_date_with_tags_of_both_kinds(project: Project) -> None:
    project.git("tag", "-a", "-m", "v0.2.0", "v0.2.0")
    project.git("tag", "0.2.0")  # lightweight, at HEAD: git reports it "up to date"
    project.git("push", "-q", "origin", "v0.2.0", "0.2.0")
    facts = _same_answers(project)
    assert facts == {
        "present": ["refs/heads/main", "refs/tags/0.2.0", "refs/tags/v0.2.0"],
        "branch": (True, True, True, True),
    }


def test_ahead_of_the_remote(project: Project) -> None:
    project.git("commit", "-q", "--allow-empty", "-m", "ahead")
    assert _same_answers(project)["branch"] == (False, True, True, False)


def test_behind_the_remote(project: Project) -> None:
    project.git("commit", "-q", "--allow-empty", "-m", "pushed")
    project.push()
    project.git("reset", "-q", "--hard", "HEAD~1")
    assert _same_answers(project)["branch"] == (False, True, False, True)


def test_diverged_from_the_remote(project: Project) -> None:
    other = _other_clone(project)
    git(other, "commit", "-q", "--allow-empty", "-m", "theirs")
    git(other, "push", "-q", "origin", "main")
    project.git("fetch", "-q", "origin")
    project.git("commit", "-q", "--allow-empty", "-m", "ours")
    assert _same_answers(project)["branch"] == (False, True, False, False)


def test_remote_commits_never_fetched(project: Project) -> None:
    other = _other_clone(project)
    git(other, "commit", "-q", "--allow-empty", "-m", "theirs")
    git(other, "push", "-q", "origin", "main")
    assert _same_answers(project)["branch"] == (False, False)


def test_a_remote_without_the_branch_nor_tags(project: Project) -> None:
    project.remote_git("update-ref", "-d", "refs/heads/main")
    assert _same_answers(project) == {"present": [], "branch": None}


def test_a_tag_the_remote_holds_elsewhere(project: Project) -> None:
    project.git("tag", "-a", "-m", "old", "v0.2.1", "HEAD")
    project.git("push", "-q", "origin", "v0.2.1")
    project.git("tag", "-d", "v0.2.1")
    project.git("commit", "-q", "--allow-empty", "-m", "later")
    assert "refs/tags/v0.2.1" in _same_answers(project)["present"]  # type: ignore[operator]


def test_a_host_without_atomic_pushes_still_answers_its_refs(project: Project) -> None:
    project.remote_git("config", "receive.advertiseAtomic", "false")
    repo = GitRepo(project.root)
    asked = repo.ask_remote("origin", "main", TAGS, atomic=True)
    assert sorted(asked.refs.result()) == ["refs/heads/main"]  # from ls-remote
    dry = asked.dry_push.result()
    assert dry.status != 0 and "does not support --atomic push" in dry.detail
    assert sorted(repo.ask_remote("origin", "main", TAGS, atomic=False).refs.result()) == [
        "refs/heads/main"
    ]


def test_a_remote_out_of_reach_is_refused_as_ls_remote_refuses_it(project: Project) -> None:
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    asked = GitRepo(project.root).ask_remote("origin", "main", TAGS, atomic=True)
    with pytest.raises(Refused, match="The remote 'origin' cannot be reached: "):
        asked.refs.result()
    assert asked.dry_push.result().updates == []


def test_one_process_answers_both(project: Project) -> None:
    trace = project.root.parent / "trace"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_TRACE", str(trace))
        asked = GitRepo(project.root).ask_remote("origin", "main", TAGS, atomic=True)
        asked.refs.result()
        asked.dry_push.result()
    started = [line for line in trace.read_text().splitlines() if "trace: built-in: git " in line]
    names = [line.split("trace: built-in: git ")[1].split()[0] for line in started]
    assert names == ["push", "receive-pack"]  # no ls-remote, no second connection
