"""Scripting and terminals, rebuilt from public bug reports of peer tools (issue 23's hunt).

Each test names the report it comes from. Processes, terminals and environment variables are
real: a pseudo-terminal where a terminal matters, a pipe whose reader is gone, click's own
completion protocol in a process of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import pty
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschemas
import pytest
from conftest import CHANGELOG, GIT_ENV, Project

ESC = "\x1b"


def _data(stdout: str) -> Any:
    """The one JSON object a --json printed."""
    return json.loads(stdout)


def _on_terminal(
    project: Project, *args: str, env: dict[str, str], stderr_too: bool = False
) -> tuple[int, str, str]:
    """bump ARGS with stdout (and with `stderr_too` stderr) on a real pseudo-terminal.

    `env` over this process's; NO_COLOR and FORCE_COLOR are unset unless `env` sets them.
    The terminal's output comes back with its \\r\\n turned into \\n.
    """
    leader, follower = pty.openpty()
    whole = {**os.environ, **GIT_ENV, **project.env, "NO_COLOR": "", "FORCE_COLOR": "", **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env=whole,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower if stderr_too else subprocess.PIPE,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal closed as bump exited
            break
        if not chunk:
            break
        seen += chunk
    err = proc.stderr.read().decode() if proc.stderr is not None else ""
    code = proc.wait(timeout=60)
    os.close(leader)
    return code, seen.decode().replace("\r\n", "\n"), err


# ------------------------------------------------------------ a pyproject.toml that is not UTF-8


@pytest.mark.parametrize(
    "args",
    [
        ["version"],
        ["patch"],
        ["patch", "--dry-run"],
        ["next"],
        ["check"],
        ["notes"],
        ["changed"],
        ["check-tag", "v0.2.0"],
        ["init", "--dry-run"],
    ],
)
def test_a_pyproject_that_is_not_utf8_is_one_sentence_with_its_fix(
    project: Project, args: list[str]
) -> None:
    """callowayproject/bump-my-version#157 (https://github.com/callowayproject/bump-my-version/
    issues/157): a pyproject.toml holding a byte the reading encoding could not decode ended in
    a UnicodeError, and the file was erased. pypa/build#250 is the same traceback in another
    tool. Here a pyproject.toml saved as Latin-1 (an editor's choice on Windows) is refused by
    every command with the sentence every other release file gets (the byte and the fix), as
    one JSON object too, and nothing is written: the file is not erased."""
    text = project.read("pyproject.toml").replace(
        "dependencies", 'description = "Caf\udce9"\ndependencies'
    )
    (project.root / "pyproject.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    project.commit_all("a Latin-1 pyproject.toml")
    project.push()
    sentence = (
        f"pyproject.toml: is not UTF-8 text (byte {text.index(chr(0xDCE9))}); save it as UTF-8."
    )
    before = project.snapshot()
    run = project.bump(*args)
    as_json = project.bump(*args, "--json")
    errors = [line for line in run.err.splitlines() if not line.startswith("bump: ")]
    assert (run.code, errors, run.out) == (1, [f"error: {sentence}"], ""), run
    assert (as_json.code, _data(as_json.out)["error"]) == (1, sentence)
    assert project.snapshot() == before


def test_a_member_pyproject_that_is_not_utf8_is_named(project: Project) -> None:
    """The same report, for a workspace member's pyproject.toml (read by packages.py)."""
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml") + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
    )
    raw = b'[project]\nname = "alpha"\nversion = "0.1.0"\ndescription = "Caf\xe9"\n'
    (project.root / "packages" / "alpha").mkdir(parents=True)
    (project.root / "packages" / "alpha" / "pyproject.toml").write_bytes(raw)
    project.commit_all("a Latin-1 member")
    run = project.bump("-p", "alpha", "version", "--json")
    offset = raw.index(b"\xe9")
    sentence = (
        f"packages/alpha/pyproject.toml: is not UTF-8 text (byte {offset}); save it as UTF-8."
    )
    assert (run.code, _data(run.out)["error"]) == (1, sentence)


# ------------------------------------------------------- colour never reaches a --json object

FORCED = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}


@pytest.mark.parametrize(
    "args",
    [
        ["patch", "--dry-run", "--json"],  # the diff key holds a diff: never coloured
        ["notes", "--unreleased", "--json"],
        ["version", "--json"],
        ["next", "--json"],
        ["check", "--json"],
        ["patch", "--json", "--date", "2026-02-30"],  # bump's own usage error
        ["patch", "--json", "--no-such-option"],  # click's usage error
    ],
)
def test_json_on_a_terminal_with_force_color_has_no_escape_codes(
    project: Project, args: list[str]
) -> None:
    """jainal09/envdrift#333 (https://github.com/jainal09/envdrift/issues/333): with
    FORCE_COLOR=1, as CI sets it, `--format json` printed ANSI-coloured JSON that json.loads
    and jq refuse; treeverse/dvc#10430 is the same with a terminal. Here stdout is a real
    terminal and FORCE_COLOR is set: every --json object is plain JSON, valid against its
    schema (test_that_terminal_colours_what_is_not_json shows that terminal colours)."""
    code, out, _ = _on_terminal(project, *args, env=FORCED)
    assert ESC not in out, out
    jsonschemas.check(args, code, out)  # one JSON object, its schema's, its exit code


def test_that_terminal_colours_what_is_not_json(project: Project) -> None:
    """The control of the test above: the same terminal and FORCE_COLOR colour a dry run."""
    code, out, _ = _on_terminal(project, "patch", "--dry-run", env=FORCED)
    assert (code, f"{ESC}[32m+## [0.2.1]" in out) == (0, True), out


# --------------------------------------------------------------------------------- TERM=dumb


@pytest.mark.parametrize(
    ("env", "colour"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "dumb"}, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True),  # asked for: as CPython orders them
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
    ],
)
def test_a_dumb_terminal_gets_no_escape_codes(
    project: Project, env: dict[str, str], colour: bool
) -> None:
    """clap-rs/clap#847 (https://github.com/clap-rs/clap/issues/847): TERM=dumb (Emacs'
    shell, some CI consoles) showed colour escape codes as garbage; pre-commit/pre-commit#1103
    and systemd/systemd#31857 fixed the same. Here a dry run's diff on a real terminal, and a
    refusal's `error:` on it, carry escape codes only when the terminal can show them."""
    code, out, _ = _on_terminal(project, "patch", "--dry-run", env=env)
    assert code == 0
    assert (ESC in out) is colour, out
    project.write("CHANGELOG.md", project.read("CHANGELOG.md") + "\nedited\n")  # refused
    code, said, _ = _on_terminal(project, "patch", "--dry-run", env=env, stderr_too=True)
    assert code == 1
    assert (f"{ESC}[31merror:" in said) is colour, said
    assert "error: There are uncommitted changes" in said.replace(
        f"{ESC}[31merror:{ESC}[0m", "error:"
    )


# ------------------------------------------------------------------------------ detached HEAD


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (["version"], "0.2.0\n"),
        (["next", "minor"], "0.3.0\n"),
        (["next"], "patch 0.2.1\n"),
        (["check-tag", "v0.2.0"], None),
        (["check"], None),
        (["notes"], "### Added\n\n- The widget.\n"),
        (["changed", "--json"], None),
    ],
)
def test_reading_commands_work_on_a_detached_head(
    project: Project, args: list[str], out: str | None
) -> None:
    """python-semantic-release/python-semantic-release#627 (https://github.com/
    python-semantic-release/python-semantic-release/issues/627): in GitLab CI, which checks
    out a detached HEAD, every command failed with `TypeError: HEAD is a detached symbolic
    reference`; #974 asks for `version --print` to work there. Here the commands that only
    read answer on a detached HEAD as on the branch."""
    project.git("checkout", "-q", "--detach")
    run = project.bump(*args)
    assert (run.code, "Traceback" in run.err) == (0, False), run
    if out is not None:
        assert run.out == out


@pytest.mark.parametrize(
    "args",
    [["patch"], ["patch", "--dry-run"], ["auto", "--dry-run"], ["2.0.0", "--dry-run"]],
)
def test_a_release_on_a_detached_head_is_one_sentence(project: Project, args: list[str]) -> None:
    """The same reports (#765 made it "fail gracefully"): a release there is refused with one
    sentence naming the fix, in its JSON too, nothing changed."""
    project.git("checkout", "-q", "--detach")
    before = project.snapshot()
    sentence = "HEAD is detached; releases are cut from a branch. Run `git switch main` first."
    run = project.bump(*args)
    assert (run.code, run.err.splitlines()[-1]) == (1, f"error: {sentence}"), run.err
    data = _data(project.bump(*args, "--json").out)
    assert (data["error"], data["dry_run"]) == (sentence, "--dry-run" in args)
    assert project.snapshot() == before


# -------------------------------------------------------------------------- nothing to release


def test_with_nothing_to_release_next_prints_nothing_and_fails(project: Project) -> None:
    """python-semantic-release/python-semantic-release#1421 (https://github.com/
    python-semantic-release/python-semantic-release/issues/1421): `version --print` printed
    the last version when nothing was to be released, so `VERSION=$(...)` could not tell;
    commitizen-tools/commitizen-action#18 asked how a workflow learns that no bump is due.
    Here, with an empty Unreleased section, `bump next` prints nothing and exits 1, its JSON
    says so (version null), and a dry run of `bump auto` or `bump patch` refuses with a JSON
    that still says it was a dry run. A usage error stays exit 2, apart."""
    project.write("CHANGELOG.md", CHANGELOG.replace("### Fixed\n\n- A fix.\n\n", ""))
    project.commit_all("nothing pending")
    project.push()
    before = project.snapshot()
    run = project.bump("next")
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith("error: No entry of CHANGELOG.md's Unreleased section")
    data = _data(project.bump("next", "--json").out)
    assert (data["ok"], data["current_version"], data["level"], data["version"]) == (
        False,
        "0.2.0",
        None,
        None,
    )
    for args in (["auto", "--dry-run", "--json"], ["patch", "--dry-run", "--json"]):
        refused = project.bump(*args)
        data = _data(refused.out)
        assert (refused.code, data["dry_run"], data["new_version"]) == (1, True, None), data
    assert "there is nothing to release" in data["error"]
    assert project.bump("next", "--json", "--no-such-option").code == 2
    assert project.snapshot() == before


# ------------------------------------------------------- JSON of a project never tagged


def test_changed_json_of_a_project_never_tagged_is_valid(project: Project) -> None:
    """callowayproject/bump-my-version#222 (https://github.com/callowayproject/
    bump-my-version/issues/222): `show --format json` broke on a value the JSON side did not
    expect (a path), so scripts parsing it stopped working. Here `bump changed --json` of a
    project whose version was never tagged prints `last_tag: null` and every commit touching
    it; its JSON Schema (checked by the suite on every --json) allows exactly that, and the
    tagged case is a string."""
    run = project.bump("changed", "--json")
    (package,) = _data(run.out)["packages"]
    assert (package["last_tag"], package["commits"]) == (None, 1)
    project.git("tag", "v0.2.0")
    project.write("src/widget/__init__.py", "# a change\n")
    project.commit_all("a change since v0.2.0")
    (package,) = _data(project.bump("changed", "--json").out)["packages"]
    assert (package["last_tag"], package["commits"]) == ("v0.2.0", 1)


# ---------------------------------------------------------------- outside a git repository


def _digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_outside_a_repository_version_still_answers(project: Project, tmp_path: Path) -> None:
    """VirtusLab/git-machete#377 (https://github.com/VirtusLab/git-machete/issues/377):
    `git machete version` failed outside a git repository while `--version` worked;
    ciena-blueplanet/git-fat#5 likewise. Here `bump --version` answers anywhere, and `bump
    version` and `check-tag` answer in an unpacked sdist (a pyproject.toml, no .git)."""
    sdist = tmp_path / "widget-0.2.0"
    sdist.mkdir()
    (sdist / "pyproject.toml").write_bytes((project.root / "pyproject.toml").read_bytes())
    empty = tmp_path / "empty"
    empty.mkdir()
    assert project.bump("--version", cwd=empty).out.startswith("cutrelease, version ")
    assert project.bump("version", cwd=sdist).out == "0.2.0\n"
    assert project.bump("check-tag", "v0.2.0", cwd=sdist).code == 0
    assert project.bump("check-tag", "v0.2.1", cwd=sdist).code == 1


@pytest.mark.parametrize("where", ["empty", "bare"])
@pytest.mark.parametrize(
    "args",
    [["version"], ["patch", "--dry-run"], ["next"], ["status"], ["changed"], ["recover"]],
)
def test_outside_a_work_tree_each_command_is_one_json_error(
    project: Project, tmp_path: Path, where: str, args: list[str]
) -> None:
    """The same reports, and the hunt's own question: in an empty folder, or in a bare
    repository (a remote's folder, which has no work tree), each command's --json is one
    object saying where to run it, exit 1; the bare repository is left as it was."""
    folder = project.remote if where == "bare" else tmp_path / "empty"
    folder.mkdir(exist_ok=True)
    before = _digest(folder)
    run = project.bump(*args, "--json", cwd=folder)
    data = _data(run.out)
    assert (run.code, data["ok"]) == (1, False)
    assert data["error"] == (
        f"{folder.resolve()} is not inside a git repository. "
        "Run bump from your project's repository, or pass -C PATH."
    )
    assert _digest(folder) == before


# ------------------------------------------------------------------- a reader that went away


@pytest.mark.parametrize(
    "args",
    [
        ["version"],
        ["version", "--json"],
        ["notes"],
        ["next", "minor"],
        ["patch", "--dry-run"],
        ["patch", "--dry-run", "--json"],
        ["--help"],
    ],
)
def test_a_reader_gone_before_bump_writes_is_no_traceback(
    project: Project, args: list[str]
) -> None:
    """Backblaze/B2_Command_Line_Tool#1071 (https://github.com/Backblaze/
    B2_Command_Line_Tool/issues/1071): piping the CLI into `head` ended in a BrokenPipeError
    traceback; browser-history/browser-history#281 the same. Here bump's stdout is a pipe
    whose reader has already closed (as `head` closes it): no traceback, nor Python's
    "Exception ignored" at exit; at most one line saying so, and exit 1 (nothing was read)."""
    reader, writer = os.pipe()
    os.close(reader)
    proc = subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV},
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    os.close(writer)
    said = [line for line in proc.stderr.splitlines() if not line.startswith("bump: ")]
    assert proc.returncode == 1, proc.stderr
    assert said in ([], ["error: Broken pipe"]), proc.stderr


# ---------------------------------------------------------- completion over a broken project


def _complete(cwd: Path, *words: str) -> subprocess.CompletedProcess[str]:
    """bash completion of the last of `words` (click's protocol) by a real process."""
    line = ["bump", *words]
    env = {
        **os.environ,
        **GIT_ENV,
        "_BUMP_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
    }
    script = "import sys; sys.argv[0] = 'bump'; from cutrelease.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )


def _offered(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert (done.returncode, done.stderr) == (0, ""), done
    return [item.split(",", 1)[1] for item in done.stdout.splitlines() if item]


def _workspace(project: Project) -> None:
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml") + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
    )
    for name in ("alpha", "alpine"):
        project.write(
            f"packages/{name}/pyproject.toml", f'[project]\nname = "{name}"\nversion = "0.1.0"\n'
        )
    project.commit_all("a workspace")


@pytest.mark.parametrize(
    "broken",
    [
        ("packages/alpine/pyproject.toml", b"[project\nname = "),  # not TOML
        ("packages/alpine/pyproject.toml", b'[project]\nname = "caf\xe9"\n'),  # not UTF-8
        ("pyproject.toml", b"[tool.uv.workspace\n"),  # the root's
    ],
)
def test_completion_over_a_broken_pyproject_offers_nothing_and_says_nothing(
    project: Project, broken: tuple[str, bytes]
) -> None:
    """BasedHardware/omi#13224 (https://github.com/BasedHardware/omi/pull/13224): a
    completion callback that loads the configuration raised on a malformed or partial file,
    so pressing Tab printed a traceback into the command line; zaquestion/lab#846: completion
    failed outright when the configuration could not load. Here -p completes the members of
    a workspace, from its root and from a member's folder, and over a broken pyproject.toml
    it offers nothing, exits 0 and writes nothing on stderr."""
    _workspace(project)
    names = ["alpha", "alpine", "widget"]
    assert sorted(_offered(_complete(project.root, "-p", ""))) == names
    member = project.root / "packages" / "alpha"
    assert sorted(_offered(_complete(member, "patch", "-p", ""))) == names
    path, raw = broken
    (project.root / path).write_bytes(raw)
    assert _offered(_complete(project.root, "-p", "")) == []
    assert _offered(_complete(member, "status", "--package", "al")) == []


def test_remote_completion_in_a_worktree_whose_repository_is_gone(
    project: Project, tmp_path: Path
) -> None:
    """The same reports, for --remote: a `.git` file naming a repository that was removed
    (a worktree left behind) offers nothing, silently; a healthy one offers its remotes."""
    assert _offered(_complete(project.root, "patch", "--remote", "")) == ["origin"]
    orphan = tmp_path / "orphan"
    orphan.mkdir()
    (orphan / ".git").write_text(f"gitdir: {tmp_path / 'gone' / '.git' / 'worktrees' / 'x'}\n")
    (orphan / "pyproject.toml").write_bytes((project.root / "pyproject.toml").read_bytes())
    assert _offered(_complete(orphan, "patch", "--remote", "")) == []
    assert _offered(_complete(orphan, "-C", str(orphan), "minor", "--remote", "o")) == []


# ---------------------------------------------------------------- CUTRELEASE_OFFLINE's values


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: asking it is refused at once


@pytest.mark.parametrize(
    ("value", "asked"),
    [
        ("1", False),
        ("true", False),
        ("yes", False),
        ("on", False),
        ("0", True),
        ("false", True),
        ("no", True),
        ("off", True),
        ("", True),  # set but empty: not set
    ],
)
def test_cutrelease_offline_zero_and_false_mean_online(
    project: Project, value: str, asked: bool
) -> None:
    """quickwit-oss/quickwit#4943 (https://github.com/quickwit-oss/quickwit/issues/4943):
    boolean environment variables were true whenever set, so `=0` or `=false` turned a
    feature on; chaddewitt/docker-stats-exporter#6 the same. Here CUTRELEASE_OFFLINE=0, false,
    no, off or empty leave the index asked (a closed port on 127.0.0.1: asked, unreachable),
    and 1, true, yes or on keep it unasked."""
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml")
        + f'\n[tool.cutrelease]\nindex_url = "http://127.0.0.1:{_closed_port()}/simple/"\n',
    )
    project.commit_all("a local index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = value
    run = project.bump("patch", "--dry-run", "--json")
    data = _data(run.out)
    assert run.code == 0, data["error"]
    assert (data["index"]["state"] != "not_asked") is asked, data["index"]


@pytest.mark.parametrize("args", [["patch", "--dry-run"], ["retract", "--dry-run"]])
def test_a_cutrelease_offline_neither_on_nor_off_is_named(
    project: Project, args: list[str]
) -> None:
    """The same reports' other half: a value that is neither (`maybe`, `2`) is a usage error
    naming the variable the person set, not only the --offline they never typed."""
    project.env["CUTRELEASE_OFFLINE"] = "maybe"
    before = project.snapshot()
    run = project.bump(*args, "--json")
    data = _data(run.out)
    assert run.code == 2
    assert "CUTRELEASE_OFFLINE='maybe' is neither on (1, true, yes) nor off" in data["error"]
    assert project.snapshot() == before


# ------------------------------------------------- a typo in a [[tool.cutrelease.files]] entry


def test_a_typo_in_a_listed_file_names_the_key_it_meant(project: Project) -> None:
    """commitizen-tools/commitizen#1961 (https://github.com/commitizen-tools/commitizen/pull/
    1961), for commitizen#300: a misspelt configuration key (`update_changelog_on_bumb`) was
    silently ignored, the setting lost. cutrelease refuses unknown keys and, in
    [tool.cutrelease], names the one meant (SPEC section 15); here that holds inside a
    [[tool.cutrelease.files]] entry too: `serach` names `search`."""
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml")
        + '\n[[tool.cutrelease.files]]\npath = "src/widget/__init__.py"\nserach = "v{version}"\n',
    )
    project.commit_all("a typo")
    project.push()
    before = project.snapshot()
    run = project.bump("check", "--json")
    assert (run.code, _data(run.out)["error"]) == (
        1,
        "Unknown key 'serach' in [[tool.cutrelease.files]] entry 1 of pyproject.toml. "
        "Did you mean 'search'? Known keys: path, search.",
    )
    assert project.bump("patch", "--dry-run").err.endswith(
        "Did you mean 'search'? Known keys: path, search.\n"
    )
    assert project.snapshot() == before


# ------------------------------------------------- a workspace member without its changelog


def test_a_member_without_a_changelog_is_told_how_to_make_one_by_every_command(
    project: Project,
) -> None:
    """apricote/releaser-pleaser#85 (https://github.com/apricote/releaser-pleaser/issues/85):
    a package without its CHANGELOG.md failed the run with no way forward; c4urself/
    bump2version#225: run from a package's folder, the tool misread what it was asked. Here,
    in a member's folder, `bump version --json` names the member, and every command that
    reads the member's missing changelog (next, notes, notes --unreleased, auto) says what
    `bump check` and a release say: the file, and the `bump init -p NAME` that makes it."""
    _workspace(project)
    member = project.root / "packages" / "alpha"
    data = _data(project.bump("version", "--json", cwd=member).out)
    assert (data["name"], data["folder"], data["version"]) == ("alpha", "packages/alpha", "0.1.0")
    sentence = "packages/alpha/CHANGELOG.md: does not exist; run `bump init -p alpha` to create it."
    assert sentence in project.bump("check", cwd=member).out.splitlines()
    for args in (["next"], ["notes"], ["notes", "--unreleased"], ["auto", "--dry-run"]):
        run = project.bump(*args, cwd=member)
        assert (run.code, run.err.splitlines()[-1]) == (1, f"error: {sentence}"), (args, run.err)
        assert _data(project.bump(*args, "--json", cwd=member).out)["error"] == sentence


def test_the_root_project_without_a_changelog_too(project: Project) -> None:
    """The same report, at the root: `bump next` and `bump notes` name `bump init`."""
    project.git("rm", "-q", "CHANGELOG.md")
    project.commit_all("no changelog")
    sentence = "CHANGELOG.md: does not exist; run `bump init` to create it."
    for args in (["next"], ["notes"]):
        assert project.bump(*args).err.splitlines()[-1] == f"error: {sentence}"
