"""Small conventions: shell completion of -p and --remote, the closest known key, FORCE_COLOR,
one example in every --help."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from conftest import GIT_ENV, Project

from cutrelease.cli import COMMANDS
from cutrelease.output import colour_allowed


def _complete(project: Project, *words: str) -> list[str]:
    """What bash completion offers for the last of `words` (click's bash_complete protocol),
    from a real `python -m cutrelease` in the project."""
    line = ["bump", *words]
    env = {
        **os.environ,
        **GIT_ENV,
        "_BUMP_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
    }
    # click names the variable after the program: run it as `bump`.
    script = "import sys; sys.argv[0] = 'bump'; from cutrelease.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, ""), run
    return [item.split(",", 1)[1] for item in run.stdout.splitlines() if item]


def _two_packages(project: Project) -> None:
    for name in ("alpha", "alpine"):
        project.write(
            f"packages/{name}/pyproject.toml",
            f'[project]\nname = "{name}"\nversion = "0.1.0"\n',
        )
    project.commit_all("two packages")


def test_package_names_complete(project: Project) -> None:
    _two_packages(project)
    assert sorted(_complete(project, "-p", "")) == ["alpha", "alpine", "widget"]
    assert _complete(project, "-p", "alp") == ["alpha", "alpine"]
    assert _complete(project, "minor", "-p", "w") == ["widget"]
    assert _complete(project, "-C", str(project.root), "status", "--package", "alph") == ["alpha"]


def test_remote_names_complete(project: Project) -> None:
    project.git("remote", "add", "upstream", str(project.remote))
    assert _complete(project, "patch", "--remote", "") == ["origin", "upstream"]
    assert _complete(project, "status", "--remote", "u") == ["upstream"]


def test_completion_outside_a_repository_offers_nothing(project: Project, tmp_path: object) -> None:
    assert _complete(project, "-C", str(tmp_path), "patch", "--remote", "") == []
    assert _complete(project, "-C", str(tmp_path), "-p", "") == []


@pytest.mark.parametrize(
    ("key", "meant"),
    [("brnach", "branch"), ("tag-prefix", "tag_prefix"), ("after-push", "after_push")],
)
def test_an_unknown_key_names_the_one_it_probably_meant(
    project: Project, key: str, meant: str
) -> None:
    project.write(
        "pyproject.toml", project.read("pyproject.toml") + f'\n[tool.cutrelease]\n{key} = "x"\n'
    )
    project.commit_all("a typo")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert (
        f"error: Unknown key {key!r} in [tool.cutrelease] of pyproject.toml. "
        f"Did you mean {meant!r}? Known keys: branch, "
    ) in run.err
    assert project.snapshot() == before


def test_a_key_like_none_lists_them_all(project: Project) -> None:
    project.write(
        "pyproject.toml", project.read("pyproject.toml") + "\n[tool.cutrelease]\nzz = 1\n"
    )
    project.commit_all("a stray key")
    run = project.bump("check")
    assert "Did you mean" not in run.err
    assert "Unknown key 'zz' in [tool.cutrelease] of pyproject.toml. Known keys: branch," in run.err


class _Pipe(io.StringIO):
    """A stream that is no terminal."""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "pipe", "terminal"),
    [
        ({}, False, True),
        ({"FORCE_COLOR": "1"}, True, True),
        ({"FORCE_COLOR": "0"}, True, True),  # any non-empty value (force-color.org)
        ({"FORCE_COLOR": ""}, False, True),  # empty: unset
        ({"NO_COLOR": "1"}, False, False),
        ({"NO_COLOR": ""}, False, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),  # NO_COLOR wins
    ],
)
def test_colour_follows_no_color_and_force_color(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], pipe: bool, terminal: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):  # TERM=dumb (a CI's) turns colour off
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert (colour_allowed(_Pipe()), colour_allowed(_Terminal())) == (pipe, terminal)
    assert colour_allowed(None) is False  # a closed stream, whatever is asked


def test_force_color_colours_a_dry_run_into_a_pipe(project: Project) -> None:
    plain = project.bump("patch", "--dry-run")
    project.env.update(NO_COLOR="", FORCE_COLOR="1")
    coloured = project.bump("patch", "--dry-run", subprocess=True)
    assert "\x1b[" not in plain.out
    assert "\x1b[32m+## [0.2.1]" in coloured.out
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.out) == plain.out


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS), "2.0.0"])
def test_every_help_shows_one_example(project: Project, command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    run = project.bump(*args)
    assert run.code == 0, run
    examples = [line.strip() for line in run.out.splitlines() if "Example:" in line]
    assert len(examples) == 1, run.out
    # the example is of this command: `bump COMMAND` (or, for bump's own, of any command)
    name = re.escape(command or "")
    assert re.search(rf"\bbump {name}", examples[0]), examples
