"""What a new user's trial of bump found, each on a real repository, remote and package index."""

from __future__ import annotations

import pytest
from conftest import Project
from indexes import (  # the fixtures too: pytest finds them here
    Pypi,
    index_server,
    pypi,
)

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
