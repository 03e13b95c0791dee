"""Hooks, ours (before_commit, after_push) and git's: real commands on real repositories;
whatever they do, the release lands with a clean status or the repository is as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import Project, start_bump

from cutrelease.errors import Refused
from cutrelease.release import hooks

JOURNAL = Path(".git") / "cutrelease-journal.json"


def configure(project: Project, **keys: str) -> None:
    """Set [tool.cutrelease] keys (TOML values as written), committed and pushed."""
    lines = "".join(f"{key} = {value}\n" for key, value in keys.items())
    project.write(
        "pyproject.toml", project.read("pyproject.toml") + "\n[tool.cutrelease]\n" + lines
    )
    project.commit_all("configure hooks")
    project.push()


def script(project: Project, name: str, body: str) -> None:
    """A tracked, executable shell script of the project (committed and pushed)."""
    project.write(name, "#!/bin/sh\n" + body)
    (project.root / name).chmod(0o755)
    project.commit_all(f"add {name}")
    project.push()


def error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


def wait_for(path: Path, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert proc is None or proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def recover_once_the_hook_ends(project: Project) -> str:
    """`bump recover`, again while it says the killed release's hook still runs; its stderr."""
    deadline = time.monotonic() + 30
    while (run := project.bump("recover")).code != 0:
        assert "still running" in run.err, run.err
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return run.err


def with_files(before: dict[str, object], **files: str) -> dict[str, object]:
    """`before`'s snapshot, plus work-tree files (ignored ones a hook may leave)."""
    worktree = dict(before["worktree"])  # type: ignore[call-overload]
    for name, digest in files.items():
        worktree[name] = digest
    return {**before, "worktree": worktree}


# -- before_commit ----------------------------------------------------------------------------


def test_a_before_commit_hook_writes_a_file_that_joins_the_release(project: Project) -> None:
    project.write("docs/version.txt", "0.2.0\n")
    script(
        project,
        "scripts/docs_version.sh",
        'printf "%s %s %s %s\\n" "$1" "$CUTRELEASE_NEW_VERSION" "$CUTRELEASE_CURRENT_TAG" '
        '"$CUTRELEASE_NEW_TAG" > docs/version.txt\n',
    )
    configure(project, before_commit='["scripts/docs_version.sh {new_version}"]')
    run = project.bump("patch", "--json")
    assert run.code == 0, run.err
    assert project.read("docs/version.txt") == "0.2.1 0.2.1 v0.2.0 v0.2.1\n"
    assert project.git("show", "HEAD:docs/version.txt") == "0.2.1 0.2.1 v0.2.0 v0.2.1\n"
    assert project.git("status", "--porcelain") == ""
    assert project.remote_git("rev-parse", "main") == project.git("rev-parse", "HEAD")
    answer = json.loads(run.out)
    assert answer["files"] == ["pyproject.toml", "CHANGELOG.md", "docs/version.txt"]
    assert answer["hooks"] == [
        {"when": "before_commit", "command": "scripts/docs_version.sh 0.2.1"}
    ]


def test_progress_names_each_hook_and_the_files_it_changed(project: Project) -> None:
    project.write("docs/version.txt", "0.2.0\n")
    configure(
        project,
        before_commit='[["sh", "-c", "echo {new_version} > docs/version.txt"], "true"]',
    )
    run = project.bump("patch")
    assert run.code == 0, run.err
    lines = run.err.splitlines()
    first = lines.index(
        "bump: running the before_commit hook: sh -c 'echo 0.2.1 > docs/version.txt'"
    )
    assert lines[first + 1] == "bump: running the before_commit hook: true"
    assert lines[first + 2] == (
        "bump: the hooks changed docs/version.txt: committed with the release"
    )
    assert lines[first + 3].startswith("bump: committing")
    shown = project.git("show", "--name-only", "--format=", "HEAD").split()
    assert shown == ["CHANGELOG.md", "docs/version.txt", "pyproject.toml"]


def test_a_failing_before_commit_hook_undoes_all_it_did(project: Project) -> None:
    """It edits, deletes, chmods and stages tracked files, makes new files and folders (one
    ignored), then fails: everything is as it was, but the ignored build output."""
    project.write(".gitignore", "build/\n")
    project.write("docs/guide.md", "A guide.\n")
    script(
        project,
        "scripts/bad.sh",
        "echo edited >> docs/guide.md\n"
        "rm src/widget/__init__.py\n"
        "chmod +x CHANGELOG.md docs/guide.md\n"
        "ln -s CHANGELOG.md link.md\n"
        "echo staged > docs/staged.txt && git add docs/staged.txt\n"
        "git add notes.txt\n"
        "mkdir -p new/deeper && echo x > new/deeper/file.txt && echo y > stray.txt\n"
        "mkdir -p build && echo wheel > build/widget.whl\n"
        "echo 'building the docs'\n"
        "echo 'error: docs/guide.md: broken link' >&2\n"
        "exit 3\n",
    )
    configure(project, before_commit='["scripts/bad.sh"]')
    project.write("notes.txt", "mine, untracked, there before\n")
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    error = error_line(run.err)
    assert "The before_commit hook `scripts/bad.sh` failed (exit status 3)" in error
    assert "building the docs; error: docs/guide.md: broken link" in error
    assert "the repository was restored" in error
    build = project.snapshot()["worktree"]["build/widget.whl"]  # type: ignore[index]
    assert project.snapshot() == with_files(before, **{"build/widget.whl": build})
    assert not (project.root / "new").exists()
    assert project.git("status", "--porcelain") == "?? notes.txt\n"


def test_ctrl_c_while_a_before_commit_hook_runs(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "hook-started"
    project.write("docs/version.txt", "0.2.0\n")
    configure(
        project,
        before_commit=json.dumps(
            [
                [
                    "sh",
                    "-c",
                    f"echo {{new_version}} > docs/version.txt; touch {marker}; exec sleep 30",
                ]
            ]
        ),
    )
    before = project.snapshot()
    proc = start_bump(project, "patch")
    wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGINT)  # a Ctrl-C: the whole foreground job gets it
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    error = error_line(err)
    assert error.startswith("error: Interrupted (Ctrl-C): the before_commit hook `sh -c")
    assert "stopped by SIGINT" in error and "restored" in error
    assert project.snapshot() == before


def test_sigterm_to_bump_alone_reaches_the_hook(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "hook-started"
    configure(project, before_commit=json.dumps([["sh", "-c", f"touch {marker}; exec sleep 30"]]))
    before = project.snapshot()
    proc = start_bump(project, "patch")
    wait_for(marker, proc)
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)  # bump only: it hands SIGTERM on to the hook
    _out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == 1, err
    assert "stopped by SIGTERM" in err and "restored" in err
    assert project.snapshot() == before


def test_kill_9_during_a_hook_then_recover(project: Project, tmp_path: Path) -> None:
    """bump is killed while its hook runs; the hook goes on, edits, and ends: recover waits
    for it, then restores the same state an in-process undo would."""
    go, started = tmp_path / "go", tmp_path / "started"
    project.write("docs/version.txt", "0.2.0\n")
    script(
        project,
        "scripts/slow.sh",
        f"echo $CUTRELEASE_NEW_VERSION > docs/version.txt\ntouch {started}\n"
        # Bounded (60 s): a failing test leaves no hook looping after it.
        f"n=0; while [ ! -e {go} ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done\n"
        "echo late >> docs/version.txt; echo new > new-file.txt\n",
    )
    configure(project, before_commit='["scripts/slow.sh"]')
    before = project.snapshot()
    proc = start_bump(project, "patch")
    wait_for(started, proc)
    proc.kill()
    proc.communicate()
    record = json.loads((project.root / JOURNAL).read_text())
    assert record["stage"] == "hooks"
    refused = project.bump("recover")
    assert refused.code == 1
    assert f"(process {record['hook_pid']}) is still running" in refused.err
    assert (project.root / JOURNAL).exists()
    go.touch()
    assert "Restored main" in recover_once_the_hook_ends(project)
    assert project.snapshot() == before


def test_kill_9_from_inside_a_hook_then_recover(project: Project) -> None:
    # The hook edits and creates files, then kills bump (its pid is in the lock file).
    configure(
        project,
        before_commit=json.dumps(
            [
                [
                    "sh",
                    "-c",
                    "echo x >> README.txt; echo y > SECURITY.md;"
                    " kill -9 $(cat .git/cutrelease.lock)",
                ]
            ]
        ),
    )
    before = project.snapshot()
    run = project.bump("minor", subprocess=True)  # the hook kills bump
    assert run.code == -signal.SIGKILL, run.err
    recover_once_the_hook_ends(project)  # it may outlive bump by a moment
    assert project.snapshot() == before


def test_a_new_file_a_hook_makes_is_not_committed(project: Project) -> None:
    # Only tracked files join the release; a new one stays as the hook left it, untracked.
    configure(project, before_commit=json.dumps([["sh", "-c", "echo x > report.html"]]))
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.git("status", "--porcelain") == "?? report.html\n"
    assert "report.html" not in project.git("show", "--name-only", "HEAD")


def test_tmp_is_fresh_shared_by_the_hooks_and_removed(project: Project, tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    configure(
        project,
        before_commit=json.dumps(
            [["sh", "-c", 'test -z "$(ls -A {tmp})" && echo built > {tmp}/x.whl']]
        ),
        after_push=json.dumps(
            [["sh", "-c", f'cat {{tmp}}/x.whl > {seen}; echo "$CUTRELEASE_TMP" >> {seen}']]
        ),
    )
    run = project.bump("patch")
    assert run.code == 0, run.err
    built, folder = seen.read_text().splitlines()
    assert built == "built"
    assert Path(folder).name.startswith("cutrelease-")
    assert not Path(folder).exists()


# -- after_push -------------------------------------------------------------------------------


def test_a_failing_after_push_hook_exits_4_and_the_release_stands(project: Project) -> None:
    configure(
        project,
        after_push='["sh -c \'echo publishing {new_tag}; echo HTTP 503 >&2; exit 2\'", "true"]',
    )
    run = project.bump("patch")
    assert run.code == 4, run.err
    error = error_line(run.err)
    assert error == (
        "error: v0.2.1 is released (pushed to origin), but the after_push hook "
        "`sh -c 'echo publishing v0.2.1; echo HTTP 503 >&2; exit 2'` failed (exit status 2): "
        "publishing v0.2.1; HTTP 503; the 1 after_push hook(s) after it did not run. "
        "The release stands; run the rest by hand."
    )
    head = project.git("rev-parse", "HEAD")
    assert project.remote_git("rev-parse", "main") == head
    assert project.remote_git("rev-parse", "v0.2.1^{commit}") == head
    assert not (project.root / JOURNAL).exists()
    assert project.git("status", "--porcelain") == ""


def test_a_failing_after_push_hook_in_json(project: Project) -> None:
    configure(project, after_push='["false"]')
    run = project.bump("patch", "--json")
    assert run.code == 4
    answer = json.loads(run.out)
    assert (answer["ok"], answer["pushed"], answer["exit_code"]) == (False, True, 4)
    assert answer["commit"] == project.git("rev-parse", "HEAD").strip()
    assert "after_push hook `false` failed" in answer["error"]


def test_after_push_runs_after_the_push_and_not_without_one(
    project: Project, tmp_path: Path
) -> None:
    seen = tmp_path / "seen"
    configure(
        project,
        after_push=json.dumps(
            [["sh", "-c", f"git ls-remote origin refs/tags/{{new_tag}} > {seen}"]]
        ),
    )
    assert project.bump("patch", "--no-push").code == 0
    assert not seen.exists()
    project.git("reset", "-q", "--hard", "origin/main")
    project.git("tag", "-d", "v0.2.1")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert seen.read_text().endswith("refs/tags/v0.2.1\n")  # the remote had the tag already


# -- dry run, --no-hooks ----------------------------------------------------------------------


def test_the_dry_run_lists_the_hooks_filled_in_and_runs_none(
    project: Project, tmp_path: Path
) -> None:
    ran = tmp_path / "ran"
    configure(
        project,
        before_commit=json.dumps(
            ["uv build --out-dir {tmp}", ["sh", "-c", f"touch {ran}", "{current_tag}"]]
        ),
        after_push=json.dumps(["sh -c 'touch " + str(ran) + "' {new_tag}"]),
    )
    project.env["TMPDIR"] = str(tmp_path)
    project.env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "uv").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "uv").chmod(0o755)
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    commit = next(n for n, line in enumerate(lines) if line.startswith("git -c"))
    assert lines[commit - 2 : commit] == [
        f"# before_commit: uv build --out-dir {tmp_path}/cutrelease-XXXXXXXX",
        f"# before_commit: sh -c 'touch {ran}' v0.2.0",
    ]
    assert lines[commit + 1].startswith("git tag")
    assert lines[commit + 2].startswith("git -c push.pushOption= push")
    assert lines[commit + 3] == f"# after_push: sh -c 'touch {ran}' v0.2.1"
    assert len(lines) == commit + 4
    assert not ran.exists()
    assert project.snapshot() == before
    answer = json.loads(project.bump("patch", "--dry-run", "--json").out)
    assert [hook["when"] for hook in answer["hooks"]] == ["before_commit"] * 2 + ["after_push"]


def test_no_hooks_skips_them_even_a_missing_program(project: Project, tmp_path: Path) -> None:
    configure(
        project,
        before_commit=json.dumps(["no-such-program-anywhere {new_version}"]),
        after_push='["false"]',
    )
    dry = project.bump("patch", "--dry-run", "--no-hooks")
    assert dry.code == 0, dry.err
    assert "#" not in dry.out.split("\ngit -c")[1]
    run = project.bump("patch", "--no-hooks")
    assert run.code == 0, run.err


# -- bad entries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("[3]", "entry 3 is neither a command (a string) nor a list of arguments (strings)"),
        ('[["sh", 1]]', 'entry ["sh", 1] is neither a command'),
        ("[{run = 'x'}]", "entry {'run': 'x'} is neither a command"),
        (
            '["echo {nwe_version}"]',
            'entry "echo {nwe_version}" has an unknown placeholder {nwe_version}',
        ),
        ('[["echo", "{new_version!r}"]]', 'entry ["echo", "{new_version!r}"] has an unknown'),
        ('["echo {new_version"]', 'entry "echo {new_version" has an unmatched brace'),
        ('["echo \'half"]', 'entry "echo \'half" cannot be split into arguments (No closing'),
        ('[""]', 'entry "" names no program'),
        ("[[]]", "entry [] names no program"),
        (
            '["no-such-program-anywhere --x"]',
            'entry "no-such-program-anywhere --x" runs no-such-program-anywhere, which is not '
            "found on PATH",
        ),
        ('["scripts/missing.sh"]', 'entry "scripts/missing.sh" runs scripts/missing.sh, which'),
        ('["CHANGELOG.md"]', 'entry "CHANGELOG.md" runs CHANGELOG.md, which is not found on'),
        ('["./CHANGELOG.md"]', 'entry "./CHANGELOG.md" runs ./CHANGELOG.md, which is not exec'),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_bad_entry_is_refused_before_anything_is_written(
    project: Project, value: str, said: str, dry_run: bool
) -> None:
    configure(project, before_commit=value)
    before = project.snapshot()
    run = project.bump("patch", *(["--dry-run"] if dry_run else []))
    assert run.code == 1, run.err
    error = error_line(run.err)
    assert f"[tool.cutrelease].before_commit {said}" in error, error
    assert project.snapshot() == before


def test_a_key_that_is_not_a_list_names_the_key(project: Project) -> None:
    configure(project, after_push='"gh release create {new_tag}"')
    run = project.bump("patch")
    assert run.code == 1
    assert "[tool.cutrelease].after_push in pyproject.toml must be a list of commands" in run.err


def test_after_push_programs_are_checked_only_when_pushing(project: Project) -> None:
    configure(project, after_push='["no-such-program-anywhere"]')
    assert "after_push entry" in project.bump("patch", "--dry-run").err
    assert project.bump("patch", "--dry-run", "--no-push").code == 0


# -- git's own hooks --------------------------------------------------------------------------

UV_LOCK_HOOK = """\
v=$(sed -n 's/^version = "\\(.*\\)".*/\\1/p' pyproject.toml | head -n 1)
printf 'version = "%s"\\n' "$v" > uv.lock.new
cmp -s uv.lock uv.lock.new && { rm uv.lock.new; exit 0; }
mv uv.lock.new uv.lock; echo "uv-lock: files were modified by this hook" >&2; exit 1
"""


def test_a_git_hook_that_edits_another_file_and_fails(project: Project) -> None:
    """../shared/repro/r4: the hook's edit used to survive the "restored" rollback."""
    project.write("uv.lock", 'version = "0.2.0"\n')
    project.commit_all("lock")
    project.push()
    project.hook("pre-commit", UV_LOCK_HOOK)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    error = error_line(run.err)
    assert "uv-lock: files were modified by this hook" in error
    assert "The hook had changed uv.lock (put back)" in error
    assert project.snapshot() == before
    assert project.bump("patch").code == 1  # the same answer again: not "uncommitted changes"
    assert project.snapshot() == before


def test_the_before_commit_hook_that_makes_the_git_hook_pass(project: Project) -> None:
    project.write("uv.lock", 'version = "0.2.0"\n')
    project.commit_all("lock")
    project.push()
    script(project, "scripts/lock.sh", UV_LOCK_HOOK.replace("exit 1", "exit 0"))
    configure(project, before_commit='["scripts/lock.sh"]')
    project.hook("pre-commit", UV_LOCK_HOOK)
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.git("show", "HEAD:uv.lock") == 'version = "0.2.1"\n'
    assert project.git("status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("hook", "script_text"),
    [
        ("pre-commit", "echo more >> src/widget/__init__.py\nexit 0\n"),  # edits, commits
        ("pre-commit", "echo more >> src/widget/__init__.py\ngit add src/widget/__init__.py\n"),
        ("pre-commit", "echo new > added.txt\ngit add added.txt\n"),
        ("pre-commit", "printf '\\n' >> CHANGELOG.md\n"),  # an end-of-file fixer, on ours
        ("pre-commit", "git rm -q --cached src/widget/__init__.py\n"),
        ("commit-msg", "echo more >> src/widget/__init__.py\n"),
        ("post-commit", "echo more >> src/widget/__init__.py\n"),
    ],
)
def test_a_git_hook_that_succeeds_but_changes_files_undoes_the_release(
    project: Project, hook: str, script_text: str
) -> None:
    project.hook(hook, script_text)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    error = error_line(run.err)
    assert "git's commit hooks changed" in error and "the repository was restored" in error
    assert "make it part of every release with a before_commit hook" in run.err
    assert project.snapshot() == before
    assert project.remote_git("tag", "-l") == ""


@pytest.mark.parametrize(
    "script_text",
    [
        "echo more >> src/widget/__init__.py\ngit add src/widget/__init__.py\nexit 1\n",
        "rm src/widget/__init__.py\necho new > new.txt\nmkdir -p a/b && echo x > a/b/c\nexit 1\n",
        "git add notes.txt\nexit 1\n",
    ],
)
def test_a_git_hook_that_edits_or_stages_and_fails(project: Project, script_text: str) -> None:
    project.write("notes.txt", "untracked, mine\n")
    project.hook("pre-commit", script_text)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    assert project.snapshot() == before
    assert project.git("status", "--porcelain") == "?? notes.txt\n"


def test_a_git_hook_leaves_ignored_files_alone(project: Project) -> None:
    project.write(".gitignore", ".cache/\n")
    project.commit_all("ignore")
    project.push()
    project.hook("pre-commit", "mkdir -p .cache && echo x > .cache/lint\nexit 1\n")
    before = project.snapshot()
    assert project.bump("patch").code == 1
    cache = project.snapshot()["worktree"][".cache/lint"]  # type: ignore[index]
    assert project.snapshot() == with_files(before, **{".cache/lint": cache})


def test_a_git_hook_that_makes_an_untracked_file_and_passes(project: Project) -> None:
    # The status the release ends with is clean as the checks count it: tracked files.
    project.hook("pre-commit", "echo x > lint-report.txt\n")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.git("status", "--porcelain") == "?? lint-report.txt\n"


def test_kill_9_inside_a_git_hook_that_edits_files_then_recover(project: Project) -> None:
    project.hook(
        "pre-commit",
        "echo more >> src/widget/__init__.py; echo new > new.txt\n"
        "kill -9 $(cat .git/cutrelease.lock)\nexit 1\n",
    )
    before = project.snapshot()
    run = project.bump("patch", subprocess=True)  # the hook kills bump
    assert run.code == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while (project.root / ".git" / "index.lock").exists():  # git finishes after bump died
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.unlink(project.root / ".git" / "hooks" / "pre-commit")
    before_git = dict(before["git"])  # type: ignore[call-overload]
    before_git.pop("hooks/pre-commit")
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    after = project.snapshot()
    assert after == {**before, "git": before_git}


# -- the parts, alone -------------------------------------------------------------------------

VALUES = {
    "current_version": "1.0.0",
    "new_version": "1.1.0",
    "current_tag": "v1.0.0",
    "new_tag": "v1.1.0",
    "tmp": "/tmp/x y",
}


def test_a_string_is_split_first_and_filled_in_after(tmp_path: Path) -> None:
    (hook,) = hooks.checked(
        "before_commit",
        ["tar -C {tmp} -czf 'out {new_tag}.tgz' {{literal}} v{current_version}"],
        root=tmp_path,
        values=None,
    )
    assert hook.args(VALUES) == [
        "tar",
        "-C",
        "/tmp/x y",
        "-czf",
        "out v1.1.0.tgz",
        "{literal}",
        "v1.0.0",
    ]


def test_a_program_made_in_tmp_is_not_looked_for(tmp_path: Path) -> None:
    values = {key: value for key, value in VALUES.items() if key != "tmp"}
    (hook,) = hooks.checked(
        "before_commit", [["{tmp}/venv/bin/tool"]], root=tmp_path, values=values
    )
    assert hook.args(VALUES) == ["/tmp/x y/venv/bin/tool"]
    with pytest.raises(Refused, match="which is not found on PATH"):
        hooks.checked("before_commit", ["tool-{new_version}"], root=tmp_path, values=values)


def test_the_end_of_the_output_is_quoted() -> None:
    output = b"".join(b"line %d\n" % number for number in range(1, 20)) + b"\n  \n"
    assert hooks.tail(output) == "line 15; line 16; line 17; line 18; line 19"
    assert hooks.tail(b"") == "(it printed nothing)"
    assert hooks.tail(b"x" * 1000).startswith("\u2026x")
    assert len(hooks.tail(b"x" * 1000)) == 401


def test_a_journal_from_before_hooks_still_loads(tmp_path: Path) -> None:
    from cutrelease.release import journal

    record = {
        "format": 2,
        "branch": "main",
        "head": "a" * 40,
        "tag": "v1.0.1",
        "remote": None,
        "stage": "files",
        "undo": [{"kind": "put-back", "files": [], "git_files": []}],
    }
    (tmp_path / journal.JOURNAL_NAME).write_text(json.dumps(record))
    loaded = journal.read(tmp_path)
    assert loaded.undo == (journal.PutBack((), ()),)
    assert loaded.hook_pid is None


def _without_ref(snapshot: dict[str, object], name: str) -> dict[str, object]:
    """`snapshot` but the refs line (and files under .git/) of a branch a hook made."""
    refs = "".join(
        line + "\n" for line in str(snapshot["refs"]).splitlines() if not line.startswith(name)
    )
    files = {k: v for k, v in dict(snapshot["git"]).items() if name.split("/")[-1] not in k}  # type: ignore[call-overload]
    return {**snapshot, "refs": refs, "git": files}


@pytest.mark.parametrize("then", ["exit 0", "exit 1"])
def test_a_hook_that_switches_branch_is_undone(project: Project, then: str) -> None:
    """HEAD goes back to the release branch; the branch the hook made is left, said so."""
    configure(project, before_commit=f'[["sh", "-c", "git switch -q -c docs-build && {then}"]]')
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "restored" in run.err
    if then == "exit 0":
        assert "switched HEAD to docs-build" in run.err
    assert project.git("rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert project.remote_git("tag", "-l") == ""
    after = project.snapshot()
    assert _without_ref(after, "refs/heads/docs-build") == _without_ref(
        before, "refs/heads/docs-build"
    )


def test_a_hook_that_commits_is_undone(project: Project) -> None:
    configure(
        project, before_commit='[["sh", "-c", "echo b >> CHANGELOG.md; git commit -qam sneaky"]]'
    )
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "moved main to" in run.err and "restored" in run.err
    assert project.snapshot() == before
