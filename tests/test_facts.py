"""facts.gather: every question asked first, a failure kept in its answer until it is read."""

from __future__ import annotations

import datetime

import pytest
from conftest import Project

from cutrelease import project as project_module
from cutrelease.errors import Refused
from cutrelease.git.gitrepo import GitRepo
from cutrelease.release import facts
from cutrelease.release.facts import Later, Request
from cutrelease.versions import Target


def _request() -> Request:
    return Request(
        target=Target(part="patch"),
        date=datetime.date(2024, 5, 1),
        summary=None,
        push=True,
        remote="origin",
    )


def test_a_later_answer_keeps_its_error_for_whoever_reads_it() -> None:
    calls: list[int] = []

    def refuse() -> int:
        calls.append(1)
        raise Refused("no.", hint="fix it.")

    later = Later.now(refuse)  # worked out at once, raised only when read
    for _ in range(2):
        with pytest.raises(Refused, match="no"):
            later.result()
    assert calls == [1]
    assert Later(lambda: 3).result() == 3


def test_a_bug_is_not_kept_as_an_answer() -> None:
    def broken() -> int:
        raise KeyError("bug")

    later = Later(broken)
    for _ in range(2):  # raised at each reading, never turned into a value
        with pytest.raises(KeyError):
            later.result()


def test_gather_keeps_an_unreachable_remote_for_the_remote_checks(project: Project) -> None:
    project.git("remote", "set-url", "origin", str(project.root.parent / "gone.git"))
    before = project.snapshot()
    loaded = project_module.load(project.root)
    found = facts.gather(loaded, GitRepo(project.root), _request())  # nothing raised yet
    assert found.version.old == "0.2.0"
    assert found.version.new == "0.2.1"
    assert found.local.status.result().branch == "main"
    assert found.files.result().changelog == "CHANGELOG.md"
    assert found.remote is not None
    for answer in (found.remote.refs, found.remote.branch):
        with pytest.raises(Refused, match="cannot be reached"):
            answer.result()
    assert project.snapshot() == before


def test_gather_asks_the_way_to_the_release_branch_only_off_it(project: Project) -> None:
    loaded = project_module.load(project.root)
    on = facts.gather(loaded, GitRepo(project.root), _request())
    assert (on.local.branch_exists, on.local.default_branch) == (True, None)
    project.git("switch", "-q", "-c", "master")  # a repository of before `main`
    elsewhere = loaded._replace(config=loaded.config._replace(branch="trunk"))
    off = facts.gather(elsewhere, GitRepo(project.root), _request())
    assert off.local.branch_exists is False
    assert off.local.default_branch == "master"
