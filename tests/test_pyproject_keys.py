"""set_version on every TOML spelling of [project].version: only the value's bytes change."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project, make_project

from cutrelease.errors import FileFormatError
from cutrelease.files.sources import set_toml_string


def set_version(text: str, version: str, *, path: str = "pyproject.toml") -> str:
    """[project].version's value replaced, every other byte kept (sources.set_toml_string)."""
    return set_toml_string(text, ("project", "version"), version, path=path)


TOP_LEVEL_DOTTED = """\
project.name = "widget"
project.version = "0.2.0"
project.dependencies = ["click>=8.1"]

[tool.other]
version = "9.9.9"
"""


def test_top_level_dotted_keys() -> None:
    assert set_version(TOP_LEVEL_DOTTED, "0.2.1") == (
        'project.name = "widget"\n'
        'project.version = "0.2.1"\n'
        'project.dependencies = ["click>=8.1"]\n'
        "\n"
        "[tool.other]\n"
        'version = "9.9.9"\n'
    )


def test_dotted_keys_after_other_top_level_keys_and_spaced_dots() -> None:
    text = 'name = "x"\nproject.name = "widget"\nother = 1\nproject . version  =  "0.2.0"\n'
    assert set_version(text, "0.2.1") == (
        'name = "x"\nproject.name = "widget"\nother = 1\nproject . version  =  "0.2.1"\n'
    )


def test_quoted_dotted_keys() -> None:
    text = '"project".name = "widget"\n"project".version = "0.2.0"\n\'project\'."dynamic" = []\n'
    assert set_version(text, "0.2.1") == (
        '"project".name = "widget"\n"project".version = "0.2.1"\n\'project\'."dynamic" = []\n'
    )


def test_quoted_key_under_project_header() -> None:
    text = '[project]\nname = "widget"\n"version" = "0.2.0"\n'
    assert set_version(text, "0.2.1") == '[project]\nname = "widget"\n"version" = "0.2.1"\n'


def test_comment_after_dotted_value_is_kept() -> None:
    text = (
        "# top\n"
        'project.name = "widget"  # the name\n'
        "# The version is bumped by cutrelease.\n"
        'project.version = "0.2.0"    # keep this comment\n'
    )
    assert set_version(text, "0.2.1") == (
        "# top\n"
        'project.name = "widget"  # the name\n'
        "# The version is bumped by cutrelease.\n"
        'project.version = "0.2.1"    # keep this comment\n'
    )


def test_literal_string_stays_literal() -> None:
    text = "project.name = 'widget'\nproject.version = '0.2.0' # literal\n"
    assert set_version(text, "0.2.1") == (
        "project.name = 'widget'\nproject.version = '0.2.1' # literal\n"
    )


def test_literal_string_under_project_header() -> None:
    text = "[project]\nname = 'widget'\nversion = '0.2.0'\n"
    assert set_version(text, "0.2.1") == "[project]\nname = 'widget'\nversion = '0.2.1'\n"


def test_dotted_keys_inside_project_table() -> None:
    text = (
        "[project]\n"
        'name = "widget"\n'
        'urls.homepage = "https://example.com"\n'
        'version = "0.2.0"\n'
        'urls.source = "https://example.com/src"\n'
    )
    assert set_version(text, "0.2.1") == text.replace('"0.2.0"', '"0.2.1"')


def test_dotted_project_with_later_subtable_and_crlf_and_bom() -> None:
    text = (
        '\ufeffproject.name = "widget"\r\n'
        'project.version = "0.2.0"\r\n'
        "\r\n"
        "[tool.x]\r\n"
        "a = 1\r\n"
        "\r\n"
        "[project.urls]\r\n"
        'version = "not this one"\r\n'
    )
    assert set_version(text, "0.2.1") == (
        '\ufeffproject.name = "widget"\r\n'
        'project.version = "0.2.1"\r\n'
        "\r\n"
        "[tool.x]\r\n"
        "a = 1\r\n"
        "\r\n"
        "[project.urls]\r\n"
        'version = "not this one"\r\n'
    )


def test_project_header_split_by_other_tables() -> None:
    text = (
        "[project.urls]\n"
        'home = "x"\n'
        "\n"
        "[project]\n"
        'version = "0.2.0"\n'
        "\n"
        "[tool.x]\n"
        "a = 1\n"
        "\n"
        "[project.optional-dependencies]\n"
        'dev = ["pytest"]\n'
    )
    assert set_version(text, "0.2.1") == text.replace('"0.2.0"', '"0.2.1"')


def test_inline_project_table() -> None:
    text = 'project = { name = "widget", version = "0.2.0" }  # inline\n'
    assert set_version(text, "0.2.1") == (
        'project = { name = "widget", version = "0.2.1" }  # inline\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        'project.name = "widget"\nproject.dynamic = ["version"]\n',
        'project.name = "widget"\n',
        "project.version = 2\n",
        'project.version.major = "0"\n',
        '"project".version = ["0.2.0"]\n',
        '[tool]\nproject.version = "0.2.0"\n',
        '[project.urls]\nversion = "0.2.0"\n',
        'version = "0.2.0"\n',
    ],
)
def test_refuses_without_a_static_string_version(text: str) -> None:
    with pytest.raises(FileFormatError) as raised:
        set_version(text, "0.2.1")
    assert "has no static string [project].version to change." in str(raised.value)
    assert "pyproject.toml" in str(raised.value)


def test_patch_release_of_dotted_keys_end_to_end(tmp_path: Path) -> None:
    project: Project = make_project(tmp_path)
    before = (
        "# Widget, configured with dotted keys.\n"
        'project.name = "widget"\n'
        "# The version is bumped by cutrelease.\n"
        "'project'.\"version\" = '0.2.0'  # keep this comment\n"
        'project.dependencies = ["click>=8.1"]\n'
        "\n"
        "[build-system]\n"
        'requires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n'
        "\n"
        "[tool.other]\n"
        'version = "9.9.9"\n'
    )
    project.write("pyproject.toml", before)
    project.commit_all("dotted keys")
    project.push()
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    released = before.replace("= '0.2.0'  # keep", "= '0.2.1'  # keep")
    assert released != before
    assert project.remote_git("show", "v0.2.1:pyproject.toml") == released
    assert project.read("pyproject.toml") == released
    assert project.git("status", "--porcelain") == ""
