"""What a new user's trial of bump found, each on a real repository, remote and package index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import OFFLINE_INDEX, Project
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    index_server,
    json_file,
    json_page,
    pypi,
)
from test_workspace import make_workspace

from cutrelease.cli import command_first
from cutrelease.files import changelog_window

__all__ = ["index_server", "pypi"]  # fixtures, used by name

SETUPTOOLS = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
{more}"""

HISTORY = """\
# Changelog

## [Unreleased]

### Fixed

- A fix.

## [{version}] - 2026-01-10

### Added

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v{version}...HEAD
[{version}]: https://github.com/acme/widget/releases/tag/v{version}
"""

POLICY = """\
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| {line}.x   | :white_check_mark: |
| < {line}   | :x:                |

## Reporting a Vulnerability

Email security@example.com.
"""


def setuptools_project(
    project: Project, version: str, *, name: str = "widget", index_url: str | None = None
) -> None:
    """The trial's project: setuptools, at `version` (tagged and pushed), its SECURITY.md
    supporting that version's line; asking the index at `index_url` when given."""
    more = f'\n[tool.cutrelease]\nindex_url = "{index_url}"\n' if index_url else ""
    project.write("pyproject.toml", SETUPTOOLS.format(name=name, version=version, more=more))
    project.write("CHANGELOG.md", HISTORY.format(version=version))
    line = version.rpartition(".")[0]
    project.write("SECURITY.md", POLICY.format(line=line))
    project.commit_all(f"widget {version}")
    project.git("tag", "-a", f"v{version}", "-m", f"v{version}")
    project.git("push", "-q", "origin", "main", f"v{version}")
    if index_url:
        project.env["CUTRELEASE_OFFLINE"] = "0"


def supported(project: Project) -> list[str]:
    """The Version cells of SECURITY.md's table, top down."""
    rows = [line for line in project.read("SECURITY.md").splitlines() if line.startswith("| ")]
    return [row.split("|")[1].strip() for row in rows[2:] if not row.startswith("| -")]


# -- 1. a release starting a new line at X.Y.Z, Z > 0, moves SECURITY.md's table -------------


@pytest.mark.parametrize(
    ("current", "wanted", "rows"),
    [
        ("0.1.2", "0.2.1", ["0.2.x", "< 0.2"]),
        ("0.1.1", "0.2.1", ["0.2.x", "< 0.2"]),
        ("1.4.2", "2.0.3", ["2.0.x", "< 2.0"]),
    ],
)
def test_an_explicit_version_starting_a_line_moves_the_supported_versions_table(
    project: Project, current: str, wanted: str, rows: list[str]
) -> None:
    setuptools_project(project, current)
    assert project.bump("check").code == 0
    dry = project.bump(wanted, "--dry-run")
    assert dry.code == 0, dry.err
    assert "+++ b/SECURITY.md\n" in dry.out
    run = project.bump(wanted, "--yes")
    assert run.code == 0, run.err
    assert supported(project) == rows
    assert project.read("SECURITY.md") == POLICY.format(line=wanted.rpartition(".")[0])
    assert "SECURITY.md" in project.git("show", "--name-only", "--format=", "HEAD").split()
    check = project.bump("check")
    assert (check.code, check.err) == (0, "The release files are in order.\n")
    assert project.remote_git("tag").split() == sorted([f"v{current}", f"v{wanted}"])


def test_a_patch_on_the_same_line_still_leaves_a_table_of_lines_alone(project: Project) -> None:
    setuptools_project(project, "0.1.2")
    before = project.read("SECURITY.md")
    run = project.bump("0.1.5", "--yes")
    assert run.code == 0, run.err
    assert project.read("SECURITY.md") == before


def test_a_new_line_started_by_a_pre_release_moves_the_table_at_its_final(
    project: Project,
) -> None:
    setuptools_project(project, "0.1.2")
    before = project.read("SECURITY.md")
    assert project.bump("0.2.1rc1", "--yes").code == 0
    assert project.read("SECURITY.md") == before  # a pre-release never moves it
    run = project.bump("stable", "--yes")
    assert run.code == 0, run.err
    assert supported(project) == ["0.2.x", "< 0.2"]
    assert project.bump("check").code == 0


def test_the_next_free_version_the_index_suggests_is_released(project: Project, pypi: Pypi) -> None:
    pypi.add("trial-widget", "0.2.0")
    setuptools_project(project, "0.1.2", name="trial-widget", index_url=pypi.url)
    before = project.snapshot()
    refused = project.bump("minor")
    assert refused.code == 1
    assert refused.err.endswith("Release the next one: bump 0.2.1.\n"), refused.err
    assert project.snapshot() == before
    run = project.bump("0.2.1", "--yes")
    assert run.code == 0, run.err
    assert supported(project) == ["0.2.x", "< 0.2"]
    assert project.remote_git("tag").split() == ["v0.1.2", "v0.2.1"]
    assert project.bump("check").code == 0


# -- 2. a command's options before its name ---------------------------------------------------


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        (["--all", "patch"], ["patch", "--all"]),
        (["--json", "-C", "src", "status", "0.2.0"], ["-C", "src", "status", "--json", "0.2.0"]),
        (["-C", "--dry-run", "patch"], ["-C", "--dry-run", "patch"]),  # a folder's name
        (
            ["-p", "a", "--remote", "up", "minor", "-y"],
            ["-p", "a", "minor", "--remote", "up", "-y"],
        ),
        (
            ["--date=2026-01-01", "-m", "--fast", "1.0.0"],
            ["1.0.0", "--date=2026-01-01", "-m", "--fast"],
        ),
        (["--package=a", "-q", "patch"], ["--package=a", "patch", "-q"]),
        (["--json"], ["--json"]),  # no command: click says so
        (["--version"], ["--version"]),
        (["--bogus", "patch"], ["--bogus", "patch"]),  # click names it
    ],
)
def test_command_first(given: list[str], parsed: list[str]) -> None:
    assert command_first(given) == parsed


def test_release_options_before_the_command_are_the_command_s(project: Project) -> None:
    for before, after in [
        (["--dry-run", "patch"], ["patch", "--dry-run"]),
        (["--json", "--dry-run", "patch"], ["patch", "--dry-run", "--json"]),
        (["--all", "--dry-run", "patch"], ["patch", "--all", "--dry-run"]),
        (["--changed", "--dry-run", "minor"], ["minor", "--changed", "--dry-run"]),
        (["--offline", "--dry-run", "patch"], ["patch", "--offline", "--dry-run"]),
        (["--no-push", "-q", "--dry-run", "patch"], ["patch", "--no-push", "-q", "--dry-run"]),
        (["--build", "--dry-run", "patch"], ["patch", "--build", "--dry-run"]),
        (
            ["-m", "Fast", "--date", "2026-03-01", "--dry-run", "0.3.0"],
            ["0.3.0", "--dry-run", "-m", "Fast", "--date=2026-03-01"],
        ),
        (
            ["--remote", "origin", "--no-hooks", "--dry-run", "patch"],
            ["patch", "--dry-run", "--remote=origin", "--no-hooks"],
        ),
        (["-C", "src", "--pre", "rc", "--dry-run", "minor"], ["minor", "--pre=rc", "--dry-run"]),
    ]:
        first, second = project.bump(*before), project.bump(*after)
        assert (first.code, first.out) == (second.code, second.out), before
        assert first.code == 0, (before, first.err)
    assert "git push" not in project.bump("--no-push", "--dry-run", "patch").out
    built = project.bump("--build", "--dry-run", "patch").out
    assert built != project.bump("--dry-run", "patch").out


def test_release_options_before_the_command_release(project: Project) -> None:
    run = project.bump("--no-push", "--yes", "--json", "patch")
    assert run.code == 0, run.err
    answer = json.loads(run.out)
    assert (answer["new_version"], answer["pushed"]) == ("0.2.1", False)
    assert project.git("tag").split() == ["v0.2.1"]
    assert project.remote_git("tag").split() == []


def test_an_option_the_command_does_not_take_is_named_as_after_it(project: Project) -> None:
    before = project.snapshot()
    first, second = project.bump("--dry-run", "status"), project.bump("status", "--dry-run")
    assert first.code == second.code == 2
    assert first.err == second.err
    assert "No such option" in first.err and "bump status" in first.err.replace(
        "python -m cutrelease", "bump"
    )
    assert project.snapshot() == before


def test_status_and_retract_take_their_options_before_their_name(project: Project) -> None:
    status = project.bump("--json", "status")
    assert json.loads(status.out)["command"] == "status"
    assert project.bump("patch", "--yes").code == 0
    dry = project.bump("--offline", "--dry-run", "retract")
    assert dry.code == 0, dry.err
    assert dry.out == project.bump("retract", "--dry-run", "--offline").out


def test_options_before_the_command_in_a_workspace(tmp_path: Path, made: Path) -> None:
    shutil.copytree(made, tmp_path / "copy", symlinks=True)
    ws = Project(tmp_path / "copy" / "work", tmp_path / "copy" / "remote.git")
    ws.git("remote", "set-url", "origin", str(ws.remote))
    ws.write("packages/alpha/src/alpha/extra.py", "X = 1\n")
    ws.commit_all("alpha grows")
    ws.git("push", "-q", "origin", "main")
    changed = ws.bump("--changed", "--dry-run", "patch")
    assert changed.code == 0, changed.err
    assert "Dry run: alpha-v0.1.1 would be released" in changed.err
    assert changed.out == ws.bump("patch", "--changed", "--dry-run").out
    every = ws.bump("--all", "--dry-run", "patch")
    assert every.code == 0, every.err
    assert every.out == ws.bump("patch", "--all", "--dry-run").out
    run = ws.bump("--all", "--yes", "patch")
    assert run.code == 0, run.err
    assert sorted(ws.remote_git("tag").split()) == [
        "alpha-v0.1.0",
        "alpha-v0.1.1",
        "beta-v0.1.0",
        "beta-v0.1.1",
        "v0.1.0",
        "v0.1.1",
    ]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A uv workspace (test_workspace's), built once for this module's tests."""
    return make_workspace(tmp_path_factory.mktemp("workspace")).root.parent


# -- 4. retract: only the newest release, and the real remote's name -------------------------


def _entry(project: Project, text: str) -> None:
    """An entry under Unreleased, committed and pushed."""
    log = project.read("CHANGELOG.md")
    project.write(
        "CHANGELOG.md", log.replace("## [Unreleased]\n", f"## [Unreleased]\n\n- {text}\n", 1)
    )
    project.commit_all(text)
    project.push()


def test_retracting_an_older_release_is_refused_advising_a_new_version(project: Project) -> None:
    assert project.bump("patch", "--yes").code == 0  # v0.2.1
    _entry(project, "Another fix.")
    assert project.bump("patch", "--yes").code == 0  # v0.2.2
    before = project.snapshot()
    for dry in ([], ["--dry-run"]):
        run = project.bump("retract", "--offline", "v0.2.1", "--yes", *dry)
        assert run.code == 1
        assert run.err.splitlines()[-1] == (
            "error: v0.2.1 is not the newest release: the version is 0.2.2 now, and taking back "
            "an older release would move it backwards. Only the newest release, v0.2.2, can be "
            "retracted. To replace 0.2.1, release a new version with the fix: bump patch."
        )
        assert "git revert" not in run.err
        assert project.snapshot() == before
    newest = project.bump("retract", "--offline", "v0.2.2", "--dry-run")
    assert newest.code == 0, newest.err


def test_a_conflicting_retract_names_the_real_remote(project: Project) -> None:
    project.git("remote", "rename", "origin", "upstream")
    assert project.bump("patch", "--yes", "--remote", "upstream").code == 0
    text = project.read("CHANGELOG.md").replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n- Later.\n", 1
    )
    project.write("CHANGELOG.md", text)
    project.commit_all("later entry")
    before = project.snapshot()
    run = project.bump("retract", "--offline", "--remote", "upstream", "--yes")
    assert run.code == 1
    assert "`git push --delete upstream v0.2.1`, `git tag -d v0.2.1`" in run.err
    assert "REMOTE" not in run.err
    assert project.snapshot() == before


def test_a_retract_that_changes_nothing_names_the_real_remote(project: Project) -> None:
    assert project.bump("patch", "--yes").code == 0
    project.git("revert", "--no-edit", "HEAD")
    before = project.snapshot()
    run = project.bump("retract", "--offline", "v0.2.1", "--yes")
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "error: Reverting v0.2.1 changes nothing: later commits took its changes back already. "
        "Delete the tag by hand: `git push --delete origin v0.2.1`, `git tag -d v0.2.1`."
    )
    assert project.snapshot() == before


# -- 3. one vocabulary for the package index, in a release's JSON and bump status's ----------


def test_a_release_and_status_say_the_same_of_a_free_version(project: Project, pypi: Pypi) -> None:
    pypi.add("same-words", "0.1.2")
    setuptools_project(project, "0.1.2", name="same-words", index_url=pypi.url)
    release = json.loads(project.bump("patch", "--dry-run", "--json").out)["index"]
    status = json.loads(project.bump("status", "0.1.3", "--json").out)["index"]
    assert (
        release
        == status
        == {
            "url": f"{pypi.url}same-words/",
            "state": "not_published",
            "project_listed": True,
            "reason": None,
            "files": [],
            "versions": ["0.1.2"],
        }
    )


def test_a_refused_release_says_what_the_index_has_as_status_does(
    project: Project, pypi: Pypi
) -> None:
    pypi.add("refused-words", "0.2.0")
    setuptools_project(project, "0.1.2", name="refused-words", index_url=pypi.url)
    before = project.snapshot()
    for dry in ([], ["--dry-run"]):
        run = project.bump("minor", "--json", *dry)
        answer = json.loads(run.out)
        assert (run.code, answer["ok"]) == (1, False)
        assert answer["error"].startswith("refused-words 0.2.0 is already on the package index")
        status = json.loads(project.bump("status", "0.2.0", "--json").out)["index"]
        assert answer["index"] == status
        assert status["state"] == "published"
        assert status["url"] == f"{pypi.url}refused-words/"
        assert sorted(f["kind"] for f in status["files"]) == ["sdist", "wheel"]
    assert project.snapshot() == before


def test_a_project_never_uploaded_is_not_published_and_not_listed(
    project: Project, pypi: Pypi
) -> None:
    setuptools_project(project, "0.1.2", name="never-there", index_url=pypi.url)
    release = json.loads(project.bump("patch", "--dry-run", "--json").out)["index"]
    status = json.loads(project.bump("status", "--json").out)["index"]
    expected = {
        "url": f"{pypi.url}never-there/",
        "state": "not_published",
        "project_listed": False,
        "reason": None,
        "files": [],
        "versions": [],
    }
    assert release == expected
    assert status == expected


def test_offline_the_release_json_says_not_asked(project: Project) -> None:
    setuptools_project(project, "0.1.2")
    answer = json.loads(project.bump("--offline", "patch", "--dry-run", "--json").out)
    assert answer["index"] == OFFLINE_INDEX


def test_a_version_whose_files_were_deleted_is_never_called_published(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    page = json_page("widget", [json_file("widget-0.1.2.tar.gz")], versions=["0.1.2", "0.1.3"])
    index_server.serve(url + "widget/", page)
    setuptools_project(project, "0.1.2", index_url=url)
    before = project.snapshot()
    status = project.bump("status", "0.1.3", "--json")
    index = json.loads(status.out)["index"]
    assert (index["state"], index["files"]) == ("deleted", [])
    refused = project.bump("patch", "--json")
    assert json.loads(refused.out)["index"] == index
    assert "Release the next one: bump 0.1.4." in json.loads(refused.out)["error"]
    assert project.snapshot() == before


def test_status_names_every_version_or_says_how_many_more(
    project: Project, index_server: IndexServer
) -> None:
    url = index_server.base()
    four = ["0.0.1", "0.0.2", "0.0.4", "0.2.0"]
    files = [json_file(f"widget-{version}.tar.gz") for version in four]
    index_server.serve(url + "widget/", json_page("widget", files))
    setuptools_project(project, "0.1.2", index_url=url)
    run = project.bump("status")
    assert run.out.endswith(f"widget 0.1.2 on {url}widget/: no file (it has {', '.join(four)})\n")
    seven = ["0.0.1", "0.0.2", "0.0.3", "0.0.4", "0.0.5", "0.0.6", "0.2.0"]
    files = [json_file(f"widget-{version}.tar.gz") for version in seven]
    index_server.serve(url + "widget/", json_page("widget", files))
    run = project.bump("status")
    assert run.out.endswith(
        f"widget 0.1.2 on {url}widget/: no file (it has 0.0.3, 0.0.4, 0.0.5, 0.0.6, 0.2.0 "
        "and 2 older)\n"
    )
    assert json.loads(project.bump("status", "--json").out)["index"]["versions"] == seven


def test_retract_says_what_the_index_said_in_the_same_words(project: Project, pypi: Pypi) -> None:
    setuptools_project(project, "0.1.2", name="retract-words", index_url=pypi.url)
    assert project.bump("patch", "--yes").code == 0
    pypi.add("retract-words", "0.1.2")
    dry = project.bump("retract", "--dry-run", "--json")
    assert dry.code == 0, dry.out
    status = json.loads(project.bump("status", "0.1.3", "--json").out)["index"]
    assert json.loads(dry.out)["index"] == status
    assert status["state"] == "not_published"
    offline = json.loads(project.bump("retract", "--dry-run", "--json", "--offline").out)
    assert (offline["index"]["state"], offline["index"]["reason"]) == ("not_asked", "--offline")
    pypi.add("retract-words", "0.1.3")
    before = project.snapshot()
    refused = project.bump("retract", "--json")
    answer = json.loads(refused.out)
    assert (refused.code, answer["ok"]) == (1, False)
    assert answer["index"] == json.loads(project.bump("status", "--json").out)["index"]
    assert answer["index"]["state"] == "published"
    assert project.snapshot() == before


# -- 5. a release below a version the index has is said, not refused -------------------------


def test_a_release_below_a_higher_version_on_the_index_is_noted(
    project: Project, pypi: Pypi
) -> None:
    pypi.add("higher-widget", "0.0.4")
    pypi.add("higher-widget", "0.2.0")
    setuptools_project(project, "0.0.4", name="higher-widget", index_url=pypi.url)
    note = (
        f"Note: {pypi.url}higher-widget/ has a higher version than 0.1.0 already (0.2.0): "
        "installers pick the highest, not 0.1.0, unless asked for it."
    )
    dry = project.bump("minor", "--dry-run")
    assert dry.code == 0, dry.err
    assert f"# {note}\n" in dry.out
    run = project.bump("minor", "--yes")
    assert run.code == 0, run.err
    assert f"{note}\n" in run.err
    assert project.remote_git("tag").split() == ["v0.0.4", "v0.1.0"]
    assert supported(project) == ["0.1.x", "< 0.1"]


def test_no_higher_version_no_note(project: Project, pypi: Pypi) -> None:
    pypi.add("lower-widget", "0.0.4")
    setuptools_project(project, "0.0.4", name="lower-widget", index_url=pypi.url)
    dry = project.bump("minor", "--dry-run")
    assert dry.code == 0, dry.err
    assert "higher version" not in dry.out + dry.err
    run = project.bump("minor", "--yes")
    assert "higher version" not in run.err


# ---------------------------------------------------------------- a block that never closes


@pytest.mark.parametrize(
    ("opened", "where", "said"),
    [
        ("```python\nprint(1)\n", "- The widget.\n", "code fence"),
        ("<!-- a note\n", "- The widget.\n", "HTML comment"),
        ("```\n", "- A fix.\n", "code fence"),  # in the notes being released
    ],
)
def test_a_block_never_closed_is_refused_not_released_with_stale_links(
    project: Project, opened: str, where: str, said: str
) -> None:
    """A fence (or comment) never closed makes code of every line after it, the links at the
    end too (CommonMark): the release left them stale and said nothing, and bump check
    passed. Both name the line now; nothing is changed."""
    text = project.read("CHANGELOG.md").replace(where, where + "\n" + opened, 1)
    project.write("CHANGELOG.md", text)
    project.commit_all("a block never closed")
    project.push()
    line = text[: text.index(opened)].count("\n") + 1
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert f"error: CHANGELOG.md:{line}: the {said} that opens here is never closed" in run.err
    assert project.snapshot() == before
    check = project.bump("check")
    assert (
        f"CHANGELOG.md:{line}: the {said} that opens here is never closed" in check.out + check.err
    )


def test_a_fence_never_closed_deep_in_a_long_changelog_names_its_own_line(
    project: Project,
) -> None:
    """In a changelog long enough to be read only in part, the refusal still names the
    fence's line in the file."""
    sections = "".join(
        f"## [0.1.{n}] - 2024-01-01\n\n- Entry {n} of a long history, kept for the record as "
        "every maintainer keeps it.\n\n"
        for n in range(3000, 0, -1)
    )
    text = project.read("CHANGELOG.md").replace("## [0.1.0]", sections + "## [0.1.0]", 1)
    assert len(text) > changelog_window.LONG
    fence_at = text.index("## [0.1.1500]")
    text = text[:fence_at] + "```\n" + text[fence_at:]
    project.write("CHANGELOG.md", text)
    project.commit_all("long")
    project.push()
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    line = text[:fence_at].count("\n") + 1
    assert f"error: CHANGELOG.md:{line}: the code fence that opens here is never closed" in run.err
    assert project.snapshot() == before


def test_a_link_already_written_for_the_coming_version_is_the_files_to_fix(
    project: Project,
) -> None:
    """A stale `[0.2.1]: ...` at the end (a release undone by hand, a copy-paste): the refusal
    named a problem the release would make and called it cutrelease's mistake; it names the
    file's own line now."""
    link = "[0.2.1]: https://github.com/acme/widget/compare/v0.2.0...v0.2.1\n"
    text = project.read("CHANGELOG.md") + link
    project.write("CHANGELOG.md", text)
    project.commit_all("a stale link")
    project.push()
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    line = text.count("\n")
    assert run.err.splitlines()[-1] == (
        f"error: CHANGELOG.md:{line}: the link [0.2.1] is defined already, for a release with "
        "no heading: https://github.com/acme/widget/compare/v0.2.0...v0.2.1. Remove it (the "
        "release writes the link of 0.2.1), then release."
    )
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        (
            "setup.cfg",
            "[metadata]\nname = widget\nversion = attr: widget.__version__\n",
            "setup.cfg ([metadata] version = attr: widget.__version__)",
        ),
        ("setup.py", "from setuptools import setup\nsetup(name='widget', version='2.0.1')\n", None),
    ],
)
def test_a_version_kept_in_setup_cfg_or_setup_py_is_named_with_the_move_to_make(
    project: Project, name: str, text: str, said: str | None
) -> None:
    """setuptools before PEP 621: the advice was to add `version = "0.1.0"` under [project],
    which would break the build and lose 2.0.1."""
    project.write("pyproject.toml", SETUPTOOLS.split("[project]")[0])
    project.write(name, text)
    project.commit_all("setuptools as it was")
    run = project.bump("version")
    assert run.code == 1
    where = said or "setup.py (version=...)"
    assert run.err.startswith(
        f"error: the version is set in {where}, which cutrelease does not read or write. Move "
        "it to pyproject.toml as setuptools reads it there:"
    )


# ---------------------------------------------------------------- git's leftovers (session 7)

#: Files git keeps in .git/ after a merge or squash (finished or given up), which a
#: successful `git commit` deletes.
LEFTOVERS = {
    "AUTO_MERGE": "1f2e3d\n",
    "MERGE_MSG": "Merge branch 'x'\n",
    "SQUASH_MSG": "Squashed\n",
}


def test_a_release_undone_puts_back_the_leftovers_the_commit_deleted(project: Project) -> None:
    """A trial left .git/AUTO_MERGE from an old `git revert`; the release commit deleted it
    and the undo (the remote refused) did not put it back. Now it does, byte for byte."""
    for name, text in LEFTOVERS.items():
        (project.root / ".git" / name).write_text(text)
    project.hook("pre-receive", "echo 'pushes are frozen today' >&2\nexit 1\n", remote=True)
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    assert "restored" in run.err and "Traceback" not in run.err
    assert project.snapshot() == before
    for name, text in LEFTOVERS.items():
        assert (project.root / ".git" / name).read_text() == text


def test_a_release_that_lands_still_lets_git_clear_the_leftovers(project: Project) -> None:
    """Only an undo puts them back: a release that lands leaves .git/ as `git commit` does."""
    for name, text in LEFTOVERS.items():
        (project.root / ".git" / name).write_text(text)
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert not any((project.root / ".git" / name).exists() for name in LEFTOVERS)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("MERGE_HEAD", ("A merge is in progress", "git merge --abort")),
        ("CHERRY_PICK_HEAD", ("A cherry-pick is in progress", "git cherry-pick --continue")),
        ("REVERT_HEAD", ("A revert is in progress", "git revert --abort")),
        ("sequencer", ("of several commits is in progress", "git cherry-pick --continue")),
    ],
)
def test_a_merge_cherry_pick_or_revert_under_way_is_refused_first(
    project: Project, name: str, words: tuple[str, ...]
) -> None:
    """With a merge under way (`git merge --no-commit` of changes the branch has already,
    the tree clean), the release used to write its files and then meet git's "cannot do a
    partial commit during a merge"; the dry run said all was well. Both refuse it now, at
    once, naming how to finish or give it up."""
    if name == "sequencer":  # a folder: `git cherry-pick A B` stopped after A
        (project.root / ".git" / name).mkdir()
        (project.root / ".git" / name / "todo").write_text("pick 1234567 B\n")
    else:
        (project.root / ".git" / name).write_text(project.git("rev-parse", "HEAD") + "\n")
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1, run.out
        assert "Traceback" not in run.err
        assert all(word in run.err for word in words), run.err
        assert project.snapshot() == before


@pytest.mark.parametrize("args", [["status"], ["patch", "--dry-run"]])
def test_a_failure_while_the_index_question_is_out_exits_with_its_own_code(
    project: Project, index_server: IndexServer, args: list[str]
) -> None:
    """A trial's `bump status` without git on PATH died with SIGSEGV (exit 139) in a quarter
    of its runs: the package index's question, a daemon thread inside OpenSSL, met Python's
    teardown. A failure with the question still out now leaves at once, with its code (1),
    its one sentence, and no wait for the index (here one that never answers). (The crash
    itself needs a TLS answer arriving during teardown, pypi.org's: by hand, 13 of 30 runs
    crashed before, none of 30 after.)"""
    import sys
    import time

    from test_release_index import _online

    url = index_server.base()
    index_server.serve(url + "widget/", Page(hang=True))
    _online(project, url)
    project.env["PATH"] = str(Path(sys.executable).parent)  # python, and no git
    before = project.snapshot()
    started = time.monotonic()
    run = project.bump(*args, subprocess=True)
    assert time.monotonic() - started < 4  # not the index's deadline (5 s)
    assert run.code == 1, (run.code, run.err)
    assert "git was not found on PATH" in run.err and "Traceback" not in run.err
    assert project.snapshot() == before


def test_a_version_written_with_a_v_is_refused_naming_it(project: Project) -> None:
    """A trial's pyproject.toml said `version = "v0.2.0"`: the dry run refused with a
    problem "bump check does not find now" (it does) and blamed cutrelease, the tags and
    links mixing `v0.2.0` and `0.2.1`. It now names the version's v and the fix."""
    project.write("pyproject.toml", project.read("pyproject.toml").replace('"0.2.0"', '"v0.2.0"'))
    project.commit_all("a v")
    project.push()
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1, run.out
        assert "is 'v0.2.0': a package's version is written without a v" in run.err, run.err
        assert 'Write it as "0.2.0"' in run.err and "mistake" not in run.err
        assert project.snapshot() == before


TWO_WIDGETS = """\
version = 1
revision = 2
requires-python = ">=3.11"

[[package]]
name = "widget"
version = "0.2.0"
source = { editable = "." }

[[package]]
name = "widget"
version = "0.2.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/widget-0.2.0.tar.gz", hash = "sha256:00", size = 1 }
"""


def test_a_lock_naming_the_package_twice_moves_only_the_projects_own_entry(
    project: Project,
) -> None:
    """A trial's uv.lock held the project (`editable = "."`) and the same name from the
    index (`registry = ...`), both at 0.2.0: the release moved both. The index's is another
    package's entry, and stays."""
    project.write("uv.lock", TWO_WIDGETS)
    project.commit_all("lock")
    project.push()
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.read("uv.lock") == TWO_WIDGETS.replace('"0.2.0"', '"0.2.1"', 1)
