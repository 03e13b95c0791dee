"""SPEC 16 (issue 21): git's configuration cannot widen the release. Whatever the repository's
or the user's git config says, the release's push sends the branch and the tag to the branch
and tag of the same name, nothing else; and the commands the dry run prints are the ones run.
Real repositories, a real bare remote, real hooks."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest
from conftest import Project, git

PUSHING = {"commit", "tag", "push"}


def _remote_refs(project: Project) -> list[str]:
    return project.remote_git("for-each-ref", "--format=%(refname)").split()


def _commands_run(trace: Path) -> list[list[str]]:
    """The commit, tag and push that git started, each as its argv (GIT_TRACE2_EVENT's
    `start` events), the dry-run push of the checks aside; the reporting option the real push
    adds (`--porcelain`, which changes only how git prints each ref) removed."""
    commands = []
    for line in trace.read_text().splitlines():
        event = json.loads(line)
        if event.get("event") != "start":
            continue
        argv = event["argv"]
        at = 1  # the subcommand comes after git's own options (-c NAME=VALUE)
        while argv[at].startswith("-"):
            at += 2 if argv[at] == "-c" else 1
        name = argv[at]
        if name in PUSHING and "--dry-run" not in argv:
            # argv[0] is the git PATH finds, by its full path: the shown `git` is that one.
            argv = [os.path.basename(argv[0]), *argv[1:]]
            commands.append([word for word in argv if word != "--porcelain"])
    return commands


def _release_runs_what_the_dry_run_shows(project: Project) -> None:
    """The dry run's commands, then the release, whose commit, tag and push are exactly those."""
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    shown = [shlex.split(line) for line in dry.out.splitlines() if line.startswith("git ")]
    assert [command[:2] for command in shown] == [["git", "-c"], ["git", "tag"], ["git", "-c"]]
    trace = project.root.parent / "trace2.json"
    project.env["GIT_TRACE2_EVENT"] = str(trace)
    run = project.bump("patch")
    del project.env["GIT_TRACE2_EVENT"]
    assert run.code == 0, run.err
    assert _commands_run(trace) == [["git", *command[1:]] for command in shown]


def _unrelated_tag(project: Project) -> None:
    """An annotated tag on the release branch's history that was never meant to be published."""
    project.git("tag", "-a", "-m", "not for publishing", "experiment")


def test_follow_tags_in_the_repository_config_publishes_no_other_tag(project: Project) -> None:
    _unrelated_tag(project)
    project.git("config", "push.followTags", "true")
    _release_runs_what_the_dry_run_shows(project)
    assert _remote_refs(project) == ["refs/heads/main", "refs/tags/v0.2.1"]
    assert project.git("tag", "-l") == "experiment\nv0.2.1\n"  # still here, only here


def test_follow_tags_in_the_global_config_publishes_no_other_tag(project: Project) -> None:
    _unrelated_tag(project)
    user_config = project.root.parent / "gitconfig"
    user_config.write_text("[push]\n\tfollowTags = true\n")
    project.env["GIT_CONFIG_GLOBAL"] = str(user_config)
    _release_runs_what_the_dry_run_shows(project)
    assert _remote_refs(project) == ["refs/heads/main", "refs/tags/v0.2.1"]


def test_follow_tags_is_what_the_neutralising_option_is_for(project: Project) -> None:
    """The setting does widen a plain push (the test above is no test without it)."""
    _unrelated_tag(project)
    project.git("config", "push.followTags", "true")
    project.git("commit", "-q", "--allow-empty", "-m", "more")
    project.git("push", "-q", "origin", "refs/heads/main")
    assert "refs/tags/experiment" in _remote_refs(project)


def test_a_push_refspec_in_the_config_does_not_send_the_branch_elsewhere(
    project: Project,
) -> None:
    """`remote.origin.push` maps a refspec without a destination: the release names both."""
    project.git("config", "remote.origin.push", "refs/heads/main:refs/heads/elsewhere")
    project.git("config", "--add", "remote.origin.push", "refs/tags/*:refs/tags/mirror/*")
    _release_runs_what_the_dry_run_shows(project)
    assert _remote_refs(project) == ["refs/heads/main", "refs/tags/v0.2.1"]
    head = project.git("rev-parse", "HEAD").strip()
    assert project.remote_git("rev-parse", "refs/heads/main").strip() == head


def test_push_options_in_the_config_are_not_sent(project: Project) -> None:
    """push.pushOption hands options to the remote's hooks (a forge may act on them)."""
    project.remote_git("config", "receive.advertisePushOptions", "true")
    seen = project.root.parent / "push-options"
    project.hook("pre-receive", f'echo "$GIT_PUSH_OPTION_COUNT" >> "{seen}"\n', remote=True)
    project.git("config", "push.pushOption", "merge_request.create")
    _release_runs_what_the_dry_run_shows(project)
    assert seen.read_text() == "0\n"  # the one push, with no option


def test_the_push_options_hook_sees_them_from_a_plain_push(project: Project) -> None:
    """The counter-test: the remote above would see the option from a plain push."""
    project.remote_git("config", "receive.advertisePushOptions", "true")
    seen = project.root.parent / "push-options"
    project.hook("pre-receive", f'echo "$GIT_PUSH_OPTION_COUNT" >> "{seen}"\n', remote=True)
    project.git("config", "push.pushOption", "merge_request.create")
    project.git("commit", "-q", "--allow-empty", "-m", "more")
    project.git("push", "-q", "origin", "refs/heads/main")
    assert seen.read_text() == "1\n"


def _with_unpushed_submodule(project: Project) -> Path:
    """A submodule whose new commit is only here (its own remote lacks it), recorded by a
    commit the release pushes with it. Returns the submodule's remote."""
    tmp = project.root.parent
    sub_remote = tmp / "sub.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(sub_remote))
    seed = tmp / "sub-seed"
    git(tmp, "init", "-q", "-b", "main", str(seed))
    git(seed, "commit", "-q", "--allow-empty", "-m", "sub")
    git(seed, "push", "-q", str(sub_remote), "main")
    allow = ("-c", "protocol.file.allow=always")
    project.git(*allow, "submodule", "add", "-q", str(sub_remote), "vendor/sub")
    project.commit_all("vendor sub")
    sub = project.root / "vendor" / "sub"
    git(sub, "commit", "-q", "--allow-empty", "-m", "only here")
    project.commit_all("sub moved on")  # not pushed: it goes out with the release
    return sub_remote


@pytest.mark.parametrize(
    "setting", [("submodule.recurse", "true"), ("push.recurseSubmodules", "on-demand")]
)
def test_submodule_recursion_pushes_no_other_repository(
    project: Project, setting: tuple[str, str]
) -> None:
    sub_remote = _with_unpushed_submodule(project)
    sub_refs = git(sub_remote, "for-each-ref")
    project.git("config", *setting)
    _release_runs_what_the_dry_run_shows(project)
    assert git(sub_remote, "for-each-ref") == sub_refs  # the submodule's remote got nothing
    assert _remote_refs(project) == ["refs/heads/main", "refs/tags/v0.2.1"]


def test_a_mirror_remote_is_refused_before_anything_is_written(project: Project) -> None:
    """remote.<name>.mirror would push every ref; git refuses it with refspecs, and the checks'
    dry-run push meets that refusal first."""
    project.git("config", "remote.origin.mirror", "true")
    _unrelated_tag(project)
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1, run.err
        assert "--mirror can't be combined with refspecs" in run.err, run.err
        assert "Traceback" not in run.err
        assert project.snapshot() == before


def test_git_is_found_on_path_once_as_the_system_would(tmp_path: Path) -> None:
    """git is started by the full path PATH's search gives (the search done once, not by
    each start), relative folders read from where bump was started; a PATH with no git is
    left to the system (which says so)."""
    from cutrelease.git.gitrepo import _git

    skipped, real = tmp_path / "a", tmp_path / "b"
    skipped.mkdir()
    real.mkdir()
    (skipped / "git").write_text("not executable")
    (real / "git").write_text("#!/bin/sh\n")
    (real / "git").chmod(0o755)
    assert _git(os.pathsep.join([str(skipped), str(real)]), "/") == str(real / "git")
    assert _git(str(skipped), "/") == "git"
    # A relative folder, or an empty one, is read from where bump was started, as a shell
    # reads it (a trial's `PATH=../../tools bump patch` found no git from the repository).
    assert _git(os.pathsep.join(["b", str(skipped)]), str(tmp_path)) == str(tmp_path / "b" / "git")
    assert _git(os.pathsep.join(["", str(skipped)]), str(real)) == str(real / "git")
