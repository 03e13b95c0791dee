"""SPEC 11: the push goes where the branch's upstream says, the tag prefix comes from the remote
when this clone has no tags, a host without atomic pushes is found first, and a push whose
answer is lost ends with local and remote in the same state. Real remotes, real hooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CHANGELOG, HATCH_PATH, HATCH_VCS, PYPROJECT, Project, git, make_project

JOURNAL = "cutrelease-journal.json"


def _error(run_err: str) -> str:
    lines = [line for line in run_err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, run_err
    assert "Traceback" not in run_err
    return lines[0]


def _refused_twice(project: Project, args: list[str], *words: str) -> str:
    """The dry run and the real run both refuse, in one sentence naming `words`, changing
    nothing (the snapshot: work tree, .git/, refs, the remote's refs)."""
    before = project.snapshot()
    error = ""
    for run_args in ([*args, "--dry-run"], args):
        run = project.bump(*run_args)
        assert run.code == 1, (run_args, run.err)
        error = _error(run.err)
        for word in words:
            assert word in error, (word, error)
        assert project.snapshot() == before
    return error


def _refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


def _agree(project: Project, remote: Path, *, tag: str = "v0.2.1") -> None:
    """Local and remote hold the same release: the branch at the release commit, the same tag
    object; no journal or lock is left."""
    head = project.git("rev-parse", "HEAD").strip()
    assert project.git("log", "-1", "--format=%s") == f"chore(release): {tag}\n"
    assert git(remote, "rev-parse", "refs/heads/main").strip() == head
    local_tag = project.git("rev-parse", f"refs/tags/{tag}").strip()
    assert git(remote, "rev-parse", f"refs/tags/{tag}").strip() == local_tag
    assert not list((project.root / ".git").glob("cutrelease*"))


# -- 1. the branch's upstream ---------------------------------------------------------------


def _fork(project: Project) -> Path:
    """origin is a fork; main tracks upstream/main, the canonical repository (project.remote)."""
    fork = project.root.parent / "fork.git"
    project.git("remote", "rename", "origin", "upstream")
    git(project.root.parent, "init", "-q", "--bare", "-b", "main", str(fork))
    project.git("remote", "add", "origin", str(fork))
    project.git("push", "-q", "-u", "upstream", "main")
    project.git("push", "-q", "origin", "main")
    return fork


def test_a_fork_release_goes_to_the_upstream(project: Project) -> None:
    fork = _fork(project)
    fork_refs = _refs(fork)
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "# Note: main tracks upstream/main: the release goes there.\n" in dry.out
    assert (
        "git -c push.pushOption= push --atomic --no-follow-tags --recurse-submodules=no upstream "
        "refs/heads/main:refs/heads/main refs/tags/v0.2.1:refs/tags/v0.2.1\n"
    ) in dry.out
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert f"pushing main and v0.2.1 to upstream ({project.remote})" in run.err
    assert "Released v0.2.1 and pushed to upstream." in run.err
    _agree(project, project.remote)
    assert _refs(fork) == fork_refs  # the fork got nothing
    assert project.git("status", "-sb").splitlines()[0] == "## main...upstream/main"


def test_the_upstream_named_on_the_command_line_is_fine(project: Project) -> None:
    _fork(project)
    run = project.bump("patch", "--remote", "upstream")
    assert run.code == 0, run.err
    _agree(project, project.remote)


def test_a_remote_given_against_the_upstream_is_refused(project: Project) -> None:
    _fork(project)
    error = _refused_twice(project, ["patch", "--remote", "origin"], "--remote", "upstream/main")
    assert error == (
        "error: --remote names the remote 'origin', but 'main' tracks upstream/main. "
        "Drop --remote to push to upstream, or make main track origin/main "
        "(`git branch --set-upstream-to origin/main`)."
    )


def test_a_configured_remote_against_the_upstream_is_refused(project: Project) -> None:
    _fork(project)
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\nremote = "origin"\n')
    project.commit_all("config")
    project.git("push", "-q", "upstream", "main")
    project.git("push", "-q", "origin", "main")
    _refused_twice(project, ["patch"], "[tool.cutrelease].remote", "'origin'", "upstream/main")


def test_an_upstream_branch_of_another_name_is_refused(project: Project) -> None:
    project.git("push", "-q", "origin", "main:trunk")
    project.git("branch", "-q", "--set-upstream-to", "origin/trunk")
    error = _refused_twice(project, ["patch"], "origin/trunk", "origin/main")
    assert "another name" in error
    assert "`git branch --set-upstream-to origin/main`" in error


def test_the_dry_run_says_when_the_push_creates_the_branch(project: Project) -> None:
    empty = project.root.parent / "empty.git"
    git(project.root.parent, "init", "-q", "--bare", "-b", "main", str(empty))
    project.git("remote", "set-url", "origin", str(empty))
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "# Note: origin has no branch main yet: the push creates it.\n" in dry.out
    run = project.bump("patch")
    assert run.code == 0, run.err
    _agree(project, empty)


def _master_repository(tmp_path: Path) -> Project:
    """A repository whose only branch is master, with a bare remote whose HEAD is master."""
    remote, root = tmp_path / "remote.git", tmp_path / "work"
    tmp_path.mkdir(exist_ok=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "master", str(remote))
    git(tmp_path, "init", "-q", "-b", "master", str(root))
    project = Project(root, remote)
    project.write("pyproject.toml", PYPROJECT)
    project.write("CHANGELOG.md", CHANGELOG)
    project.commit_all("initial")
    project.git("remote", "add", "origin", str(remote))
    project.git("push", "-q", "origin", "master")
    return project


def test_first_use_on_master_suggests_configuring_master(tmp_path: Path) -> None:
    project = _master_repository(tmp_path)
    error = _refused_twice(project, ["patch"], "'master'", "'main'")
    assert error.endswith(
        "There is no branch 'main' here: set branch = \"master\" under [tool.cutrelease] in "
        "pyproject.toml (the repository's default branch)."
    )
    assert "git switch main" not in error
    project.write("pyproject.toml", PYPROJECT + '\n[tool.cutrelease]\nbranch = "master"\n')
    project.commit_all("config")
    project.git("push", "-q", "origin", "master")
    assert project.bump("patch").code == 0


def test_a_clone_of_a_master_repository_on_a_feature_branch(tmp_path: Path) -> None:
    upstream = _master_repository(tmp_path / "first")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream.remote), str(clone))  # origin/HEAD -> master
    project = Project(clone, upstream.remote)
    project.git("checkout", "-q", "-b", "feature")
    error = _refused_twice(project, ["patch"], "'feature'", "'main'")
    assert error.endswith(
        'set branch = "master" under [tool.cutrelease] in pyproject.toml '
        "(the repository's default branch), then `git switch master`."
    )
    project.git("checkout", "-q", "--detach")
    _refused_twice(project, ["patch"], "detached", 'branch = "master"', "git switch master")


def test_a_branch_that_exists_is_still_switched_to(project: Project) -> None:
    project.git("checkout", "-q", "-b", "feature")
    error = _refused_twice(project, ["patch"], "'feature'")
    assert error.endswith("Run `git switch main`, or set [tool.cutrelease].branch.")


# -- 2. the tag prefix in a clone without tags ----------------------------------------------

BARE_CHANGELOG = CHANGELOG.split("\n[Unreleased]:")[0] + "\n"  # no links to learn from


def _ci_clone(tmp_path: Path, *, tag: str) -> Project:
    """A project tagged `tag`, and a CI-style clone of it: --depth 1, --no-tags."""
    project = make_project(tmp_path)
    project.write("CHANGELOG.md", BARE_CHANGELOG)
    project.commit_all("no links")
    project.git("tag", "-a", tag, "-m", tag)
    project.git("push", "-q", "origin", "main", tag)
    clone = tmp_path / "ci"
    url = f"file://{project.remote}"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", url, str(clone))
    ci = Project(clone, project.remote)
    assert ci.git("tag", "-l") == ""
    return ci


def test_a_version_kept_elsewhere_learns_bare_tags_too(project: Project) -> None:
    project.write("pyproject.toml", HATCH_PATH)
    project.write("src/widget/__about__.py", '__version__ = "0.2.0"\n')
    project.write("CHANGELOG.md", BARE_CHANGELOG)
    project.commit_all("hatch path")
    project.git("tag", "-a", "0.2.0", "-m", "0.2.0")
    project.git("push", "-q", "origin", "main", "0.2.0")
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "learned from the existing tag 0.2.0" in dry.out
    assert project.bump("patch").code == 0
    assert project.remote_git("tag", "-l") == "0.2.0\n0.2.1\n"


@pytest.mark.parametrize(("changelog", "tag"), [(BARE_CHANGELOG, "0.2.0"), (CHANGELOG, "v0.2.0")])
def test_versions_from_tags_in_a_clone_without_tags(
    tmp_path: Path, changelog: str, tag: str
) -> None:
    project = make_project(tmp_path)
    project.write("pyproject.toml", HATCH_VCS)
    project.write("CHANGELOG.md", changelog)
    project.commit_all("hatch-vcs")
    project.git("tag", "-a", tag, "-m", tag)
    project.git("push", "-q", "origin", "main", tag)
    clone = tmp_path / "ci"
    url = f"file://{project.remote}"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", url, str(clone))
    ci = Project(clone, project.remote)
    new = tag.replace("0.2.0", "0.2.1")
    dry = ci.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert ("learned from the tag 0.2.0 on origin" in dry.out) == (tag == "0.2.0")
    run = ci.bump("patch")
    assert run.code == 0, run.err
    _agree(ci, ci.remote, tag=new)
    assert git(ci.remote, "tag", "-l") == f"{tag}\n{new}\n"


def test_a_shallow_clone_learns_bare_tags_from_the_remote(tmp_path: Path) -> None:
    ci = _ci_clone(tmp_path, tag="0.2.0")
    dry = ci.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.startswith(
        "# Note: tags have no prefix (learned from the tag 0.2.0 on origin); "
        "set [tool.cutrelease].tag_prefix to choose.\n"
    )
    assert (
        "git -c push.pushOption= push --atomic --no-follow-tags --recurse-submodules=no origin "
        "refs/heads/main:refs/heads/main refs/tags/0.2.1:refs/tags/0.2.1\n"
    ) in dry.out
    run = ci.bump("patch")
    assert run.code == 0, run.err
    assert "Released 0.2.1 and pushed to origin." in run.err
    assert git(ci.remote, "tag", "-l") == "0.2.0\n0.2.1\n"  # one naming scheme
    _agree(ci, ci.remote, tag="0.2.1")


def test_a_shallow_clone_learns_v_tags_from_the_remote(tmp_path: Path) -> None:
    ci = _ci_clone(tmp_path, tag="v0.2.0")
    dry = ci.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Note:" not in dry.out
    assert ci.bump("patch").code == 0
    assert git(ci.remote, "tag", "-l") == "v0.2.0\nv0.2.1\n"


def test_a_shallow_clone_without_push_does_not_guess(tmp_path: Path) -> None:
    ci = _ci_clone(tmp_path, tag="0.2.0")
    before = ci.snapshot()
    run = ci.bump("patch", "--no-push")
    assert run.code == 1
    assert "tag_prefix" in _error(run.err) and "shallow" in _error(run.err)
    assert ci.snapshot() == before


def test_a_bare_tag_on_the_remote_already_taken_is_found(tmp_path: Path) -> None:
    ci = _ci_clone(tmp_path, tag="0.2.0")
    git(ci.remote, "tag", "0.2.1", "main")  # someone released it meanwhile
    _refused_twice(ci, ["patch"], "0.2.1", "already exists on the remote")


# -- 3. hosts without atomic pushes ---------------------------------------------------------


def _no_atomic(project: Project) -> None:
    project.remote_git("config", "receive.advertiseAtomic", "false")


def _atomic_push_false(project: Project) -> None:
    project.write("pyproject.toml", PYPROJECT + "\n[tool.cutrelease]\natomic_push = false\n")
    project.commit_all("no atomic push")
    project.push()


def test_a_host_without_atomic_push_is_refused_in_the_checks(project: Project) -> None:
    _no_atomic(project)
    error = _refused_twice(project, ["patch"], "'origin'", "atomic", "atomic_push = false")
    assert error == (
        "error: The remote 'origin' does not support atomic pushes (`git push --atomic`), so "
        "branch and tag cannot land together. Set atomic_push = false under "
        "[tool.cutrelease] to push the branch, then the tag."
    )


def test_atomic_push_false_pushes_branch_then_tag(project: Project) -> None:
    _no_atomic(project)
    _atomic_push_false(project)
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    push = "git -c push.pushOption= push --no-follow-tags --recurse-submodules=no origin"
    assert dry.out.endswith(
        f"{push} refs/heads/main:refs/heads/main\n{push} refs/tags/v0.2.1:refs/tags/v0.2.1\n"
    )
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "pushing main to origin" in run.err and "pushing v0.2.1 to origin" in run.err
    _agree(project, project.remote)


def test_a_tag_refused_after_the_branch_went_out_says_what_the_remote_holds(
    project: Project,
) -> None:
    _no_atomic(project)
    _atomic_push_false(project)
    project.hook(
        "update",
        'case "$1" in refs/tags/*) echo "tags are protected: $1" >&2; exit 1;; esac\nexit 0\n',
        remote=True,
    )
    run = project.bump("patch")
    assert run.code == 1, run.err
    error = _error(run.err)
    head = project.git("rev-parse", "HEAD").strip()
    assert error.startswith(
        f"error: origin took main (the release commit {head[:7]}) but not the tag v0.2.1 ("
    )
    assert "tags are protected: refs/tags/v0.2.1" in error
    assert error.endswith(
        "here the release commit and the tag are kept. Push the tag once origin accepts it: "
        "`git push origin refs/tags/v0.2.1`."
    )
    assert "restored" not in run.err
    # Exactly that: the remote's main is the release commit, the tag is only here.
    assert project.remote_git("rev-parse", "main").strip() == head
    assert project.remote_git("tag", "-l") == ""
    assert project.git("tag", "-l") == "v0.2.1\n"
    assert not list((project.root / ".git").glob("cutrelease*"))
    # Doing what it says completes the release.
    (project.remote / "hooks" / "update").unlink()
    project.git("push", "-q", "origin", "refs/tags/v0.2.1")
    _agree(project, project.remote)


def test_a_branch_refused_without_atomic_push_is_restored(project: Project) -> None:
    _no_atomic(project)
    _atomic_push_false(project)
    project.hook("pre-receive", "echo 'pushes are frozen today' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    assert "pushes are frozen today" in run.err and "restored" in _error(run.err)
    assert project.snapshot() == before


def test_killed_between_branch_and_tag_recover_says_what_is_missing(project: Project) -> None:
    _no_atomic(project)
    _atomic_push_false(project)
    project.kill_at("pushed")  # after the branch's push, before the tag's
    head = project.git("rev-parse", "HEAD").strip()
    assert project.remote_git("rev-parse", "main").strip() == head
    run = project.bump("recover")
    assert run.code == 1
    assert "but not the tag v0.2.1" in _error(run.err)
    assert "`git push origin refs/tags/v0.2.1`" in run.err
    assert project.git("rev-parse", "HEAD").strip() == head  # never undone under the remote
    assert not list((project.root / ".git").glob("cutrelease*"))
    project.git("push", "-q", "origin", "refs/tags/v0.2.1")
    _agree(project, project.remote)


# -- 4. a push whose answer is lost ---------------------------------------------------------

# The remote's receive-pack dies right after it moved the refs, before it answers: as when the
# connection drops at that moment. reference-transaction "committed" runs once the refs moved;
# post-receive runs after the answer was sent, and its death cuts the answer's end off.
AFTER_THE_REFS_MOVED = {
    "reference-transaction": '[ "$1" = committed ] || exit 0\nkill -9 $PPID\n',
    "post-receive": "kill -9 $PPID\n",
}


@pytest.mark.parametrize("hook", list(AFTER_THE_REFS_MOVED))
def test_a_lost_answer_after_the_remote_took_the_release_keeps_it(
    project: Project, hook: str
) -> None:
    project.hook(hook, AFTER_THE_REFS_MOVED[hook], remote=True)
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "restored" not in run.err
    assert "answer to the push was lost" in run.err
    assert "origin holds main at the release commit and the tag v0.2.1" in run.err
    assert "the release is complete" in run.err
    assert "Released v0.2.1 and pushed to origin." in run.err
    _agree(project, project.remote)


def test_a_lost_answer_before_the_refs_moved_is_restored(project: Project) -> None:
    project.hook("pre-receive", "kill -9 $PPID\n", remote=True)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    error = _error(run.err)
    assert "origin was asked, and it holds none of the release" in error
    assert "restored" in error
    assert project.snapshot() == before


def _unreachable_after(project: Project, when: str) -> Path:
    """The remote's hook moves the remote away, then kills receive-pack: the answer is lost and
    the remote cannot be asked. Returns where the remote went."""
    away = project.root.parent / "away.git"
    script = f'mv "$PWD" {away}\nkill -9 $PPID\n'
    if when == "reference-transaction":
        script = '[ "$1" = committed ] || exit 0\n' + script
    project.hook(when, script, remote=True)
    return away


def test_a_lost_answer_the_remote_cannot_be_asked_about_keeps_the_journal(
    project: Project,
) -> None:
    away = _unreachable_after(project, "reference-transaction")
    run = project.bump("patch")
    assert run.code == 1
    error = _error(run.err)
    assert "cannot be asked" in error and "Run `bump recover` once the remote" in error
    assert "restored" not in error
    assert (project.root / ".git" / JOURNAL).exists()  # the release is pending, kept as it is
    refused = project.bump("patch", "--dry-run")
    assert refused.code == 1 and "bump recover" in refused.err
    shutil.move(away, project.remote)  # the remote is back
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "release is complete" in recovered.err
    _agree(project, project.remote)


def test_a_lost_answer_that_did_not_land_is_restored_by_recover(project: Project) -> None:
    away = _unreachable_after(project, "pre-receive")
    before = project.snapshot()  # the remote's hooks are inside it: compared once it is back
    run = project.bump("patch")
    assert run.code == 1
    assert "Run `bump recover`" in _error(run.err)
    still_away = project.bump("recover")
    assert still_away.code == 1 and "Cannot tell whether" in still_away.err
    shutil.move(away, project.remote)
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert "Restored main" in recovered.err
    assert project.snapshot() == before
