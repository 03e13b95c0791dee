"""bump retract: a pushed release that was never uploaded, taken back as one transaction."""

from __future__ import annotations

import json
import signal

from conftest import CHANGELOG, PYPROJECT, Project
from indexes import Pypi, index_server, pypi

__all__ = ["index_server", "pypi"]  # fixtures, used by name


def _released(project: Project) -> str:
    """Release 0.2.1 (pushed); the release commit."""
    run = project.bump("patch", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    return project.git("rev-parse", "v0.2.1^{commit}").strip()


def _remote_tags(project: Project) -> str:
    return project.remote_git("tag", "--list")


def test_retract_reverts_the_release_deletes_both_tags_and_the_same_bump_releases_it_again(
    project: Project,
) -> None:
    names = ("pyproject.toml", "CHANGELOG.md", "SECURITY.md")
    before = {name: project.read(name) for name in names}
    release = _released(project)
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == 0, run.err
    assert "Retracted v0.2.1" in run.err
    for name, text in before.items():
        assert project.read(name) == text, name
    assert project.git("tag", "--list") == ""
    assert _remote_tags(project) == ""
    head = project.git("rev-parse", "HEAD").strip()
    assert project.remote_git("rev-parse", "main").strip() == head
    assert project.git("rev-parse", "HEAD^").strip() == release
    message = project.git("log", "-1", "--format=%B")
    assert message.startswith("Retract 0.2.1: revert the release commit ")
    assert f"This reverts commit {release}." in message
    assert project.git("status", "--porcelain") == ""
    assert not (project.root / ".git" / "cutrelease-journal.json").exists()
    again = project.bump("patch", "--yes", "--date", "2026-03-02")
    assert again.code == 0, again.err
    assert "## [0.2.1] - 2026-03-02" in project.read("CHANGELOG.md")
    assert "v0.2.1" in _remote_tags(project)


def test_a_later_unrelated_commit_stays(project: Project) -> None:
    _released(project)
    project.write("src/widget/core.py", "ANSWER = 42\n")
    project.commit_all("core")
    run = project.bump("retract", "--offline", "v0.2.1", "--yes")
    assert run.code == 0, run.err
    assert project.read("src/widget/core.py") == "ANSWER = 42\n"
    assert project.read("CHANGELOG.md") == CHANGELOG
    assert 'version = "0.2.0"' in project.read("pyproject.toml")


def test_a_later_commit_in_the_changelog_that_conflicts_is_refused_naming_it(
    project: Project,
) -> None:
    _released(project)
    text = project.read("CHANGELOG.md").replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- Later.\n", 1
    )
    project.write("CHANGELOG.md", text)
    project.commit_all("later entry")
    before = project.snapshot()
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == 1
    assert "error: Taking back v0.2.1 conflicts with later commits in CHANGELOG.md" in run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before


def test_the_dry_run_shows_the_diff_and_the_exact_push_and_changes_nothing(
    project: Project,
) -> None:
    _released(project)
    before = project.snapshot()
    run = project.bump("retract", "--offline", "--dry-run")
    assert run.code == 0, run.err
    assert "-## [0.2.1] - 2026-03-01\n" in run.out
    assert '+version = "0.2.0"  # keep this comment\n' in run.out
    assert (
        "git -c push.pushOption= push --atomic --no-follow-tags --recurse-submodules=no origin "
        "refs/heads/main:refs/heads/main :refs/tags/v0.2.1\n"
    ) in run.out
    assert run.out.endswith("git tag --delete v0.2.1\n")
    data = json.loads(project.bump("retract", "--offline", "--dry-run", "--json").out)
    assert data["ok"] is True and data["dry_run"] is True and data["commit"] is None
    assert data["files"] == ["CHANGELOG.md", "pyproject.toml"]  # a patch keeps SECURITY.md
    assert project.snapshot() == before


def test_a_tag_only_on_the_remote_is_refused_saying_how_to_fetch_it(project: Project) -> None:
    _released(project)
    project.git("tag", "-d", "v0.2.1")
    before = project.snapshot()
    run = project.bump("retract", "--offline", "v0.2.1", "--yes")
    assert run.code == 1
    assert "error: The tag v0.2.1 is on origin but not here" in run.err
    assert "git fetch origin tag v0.2.1" in run.err
    assert project.snapshot() == before


def test_a_tag_that_is_not_a_release_commit_is_refused(project: Project) -> None:
    project.write("src/widget/core.py", "ANSWER = 42\n")
    project.commit_all("core")
    project.push()
    project.git("tag", "-a", "-m", "v0.2.1", "v0.2.1")
    project.git("push", "-q", "origin", "v0.2.1")
    before = project.snapshot()
    run = project.bump("retract", "--offline", "v0.2.1", "--yes")
    assert run.code == 1
    assert "error: v0.2.1 is not a release commit of this project: its commit's CHANGELOG.md" in (
        run.err
    )
    assert project.snapshot() == before
    project.git("tag", "-f", "v0.2.1")  # lightweight now
    run = project.bump("retract", "--offline", "v0.2.1", "--yes")
    assert run.code == 1
    assert "it is a lightweight tag" in run.err


def test_a_version_on_the_index_is_refused(project: Project, pypi: Pypi) -> None:
    text = PYPROJECT + '\n[tool.cutrelease]\nindex_url = "' + pypi.url + '"\n'
    project.write("pyproject.toml", text)
    project.commit_all("index")
    project.push()
    _released(project)
    pypi.add("widget", "0.2.1")
    project.env["CUTRELEASE_OFFLINE"] = "0"
    before = project.snapshot()
    run = project.bump("retract", "--yes")
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "error: widget 0.2.1 is on the package index already (widget-0.2.1-py3-none-any.whl, "
        "widget-0.2.1.tar.gz); an index never takes a version twice. Fix forward with bump patch."
    )
    assert project.snapshot() == before


def test_a_version_not_on_the_index_is_retracted_and_the_dry_run_says_so(
    project: Project, pypi: Pypi
) -> None:
    text = PYPROJECT.replace('name = "widget"', 'name = "retract-widget"')
    project.write("pyproject.toml", f'{text}\n[tool.cutrelease]\nindex_url = "{pypi.url}"\n')
    project.commit_all("index")
    project.push()
    _released(project)
    pypi.add("retract-widget", "0.2.0")
    project.env["CUTRELEASE_OFFLINE"] = "0"
    dry = project.bump("retract", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.startswith(f"# Index: 0.2.1 is not on {pypi.url}retract-widget/.\n")
    assert project.bump("retract", "--yes").code == 0


def test_an_index_that_cannot_be_asked_refuses_unless_offline(project: Project) -> None:
    text = PYPROJECT + '\n[tool.cutrelease]\nindex_url = "http://127.0.0.1:9/simple/"\n'
    project.write("pyproject.toml", text)
    project.commit_all("index")
    project.push()
    _released(project)
    project.env["CUTRELEASE_OFFLINE"] = "0"
    before = project.snapshot()
    run = project.bump("retract", "--yes")
    assert run.code == 1
    assert "error: The package index could not be asked" in run.err
    assert "--offline" in run.err
    assert project.snapshot() == before
    assert project.bump("retract", "--yes", "--offline").code == 0


def test_cutrelease_offline_alone_does_not_say_the_version_was_never_uploaded(
    project: Project, pypi: Pypi
) -> None:
    """A variable set for a whole shell or CI job keeps the index from being asked; only
    --offline, given to retract, says the version was never uploaded (deleting the tag of a
    published version cannot be undone). index_check = false, the project's own word that it
    has no index, still retracts, and the note names it."""
    text = PYPROJECT.replace('name = "widget"', 'name = "published-widget"')
    project.write("pyproject.toml", text + f'\n[tool.cutrelease]\nindex_url = "{pypi.url}"\n')
    project.commit_all("index")
    project.push()
    _released(project)
    pypi.add("published-widget", "0.2.1")
    project.env["CUTRELEASE_OFFLINE"] = "1"
    before = project.snapshot()
    run = project.bump("retract", "--yes")
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "error: CUTRELEASE_OFFLINE keeps the package index from being asked, and a retract "
        "needs its answer: published-widget 0.2.1 may be published there. Unset "
        "CUTRELEASE_OFFLINE to ask it, or pass --offline if you know 0.2.1 was never uploaded."
    )
    assert project.snapshot() == before
    project.env["CUTRELEASE_OFFLINE"] = "0"
    assert "is on the package index already" in project.bump("retract", "--yes").err
    project.write("pyproject.toml", project.read("pyproject.toml") + "index_check = false\n")
    project.commit_all("no index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "1"
    dry = project.bump("retract", "--dry-run")
    assert dry.code == 0, dry.err
    assert "the package index was not asked (index_check = false" in dry.out


def test_a_push_the_remote_refuses_leaves_everything_as_it_was(project: Project) -> None:
    _released(project)
    project.hook("pre-receive", "echo 'protected: no tag deletion' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == 1
    assert "protected: no tag deletion" in run.err
    assert "the repository was restored" in run.err
    assert project.snapshot() == before


def test_kill_before_the_push_then_recover_undoes(project: Project) -> None:
    _released(project)
    before = project.snapshot()
    project.inject("kill", "commit")
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == -signal.SIGKILL, run.err
    project.no_faults()
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "the tag v0.2.1 is kept" in recovered.err
    assert project.snapshot() == before


def test_kill_after_the_push_then_recover_finishes(project: Project) -> None:
    _released(project)
    project.inject("kill", "journal:untag")
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == -signal.SIGKILL, run.err
    project.no_faults()
    assert _remote_tags(project) == ""
    assert project.git("tag", "--list") == "v0.2.1\n"
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "finished" in recovered.err
    assert project.git("tag", "--list") == ""
    assert project.read("CHANGELOG.md") == CHANGELOG
    assert project.bump("patch", "--yes").code == 0


def test_kill_during_the_push_stage_then_recover_asks_the_remote(project: Project) -> None:
    _released(project)
    before = project.snapshot()
    project.inject("kill", "journal:push")
    run = project.bump("retract", "--offline", "--yes")
    assert run.code == -signal.SIGKILL, run.err
    project.no_faults()
    recovered = project.bump("recover")  # the remote never got the push: undone
    assert recovered.code == 0, recovered.err
    assert project.snapshot() == before
