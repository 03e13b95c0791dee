"""The line of a TOML key, read by hand: the same answers as the patterns it replaced."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutrelease.files.sources.toml_keys import toml_line

# The patterns toml_line read lines with before (kept here as the reference it must agree with).
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_PATH = re.compile(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*")
_HEADER = re.compile(rf"[ \t]*\[\[?[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*\]")


def _key_parts(path: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, path)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _by_patterns(text: str, keys: tuple[str, ...]) -> int:
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        header = _HEADER.match(line)
        if header is not None:
            table = _key_parts(header[1])
            continue
        assignment = _KEY_PATH.match(line)
        if assignment is None or not line[assignment.end() :].startswith("="):
            continue
        full = table + _key_parts(assignment[1])
        if full == keys or (len(full) < len(keys) and keys[: len(full)] == full):
            return number
    return 1


PYPROJECT = """\ufeff# a project
[build-system]
requires = ["hatchling"]

[ project ]
name = "widget"
"version" = "1.0.0"

[[tool.hatch.envs]]
tool . "poetry".'version' = "1.0.0"
[tool.poetry]
version="1.0.0"
"""


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        (("project", "version"), 7),
        (("project", "name"), 6),
        (("tool", "poetry", "version"), 12),  # line 10 is under [[tool.hatch.envs]]
        (("build-system", "requires"), 3),
        (("tool", "hatch", "envs", "tool", "poetry", "version"), 10),
        (("tool", "uv"), 1),  # not set: line 1
    ],
)
def test_the_line_of_a_key(keys: tuple[str, ...], line: int) -> None:
    assert toml_line(PYPROJECT, keys) == line == _by_patterns(PYPROJECT, keys)


#: What the lines are made of: every character the rules tell apart, and a few others.
_PIECES = [
    " ",
    "\t",
    "[",
    "]",
    "[[",
    ".",
    " . ",
    "=",
    " = ",
    '"',
    "'",
    "\\",
    '\\"',
    "a",
    "b",
    "project",
    "version",
    "tool",
    "-",
    "_",
    "1",
    "é",
    "\r",
    "#",
    '"a.b"',
    "'x'",
]
_LINES = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)
_KEYS = st.sampled_from(
    [("project", "version"), ("a",), ("a", "b"), ("tool", "a", "b"), ("a.b",), ("x", "version")]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=6), _KEYS)
def test_the_same_line_as_the_patterns(lines: list[str], keys: tuple[str, ...]) -> None:
    text = "\n".join(lines)
    assert toml_line(text, keys) == _by_patterns(text, keys)


# A pyproject.toml: other lines around one spelling of [project].version.
_OTHERS = [
    'name = "w"',
    'description = """\nversion = "0.0.1"\n"""',
    'summary = """\nversion = "0.2.0"\n"""',
    "readme = '''\n[project]\nversion = '9'\n'''",
    '# version = "0.2.0"',
    "",
    "x = 1",
    "[tool.x]\nversion = '0.2.0'",
    '[project.urls]\nversion = "0.2.0"',
]
_SPELLINGS = [
    '[project]\nversion = "0.2.0"',
    "[project]\nversion = '0.2.0'",
    '[project]\nversion="0.2.0"  # the version',
    '[project]\n  "version" = "0.2.0"',
    '[project]\nversion = "0.2.0"\t',
    'project.version = "0.2.0"',
    'project = { version = "0.2.0" }',
    '[project]\nversion = """0.2.0"""',
    '[project]\nsummary = """\nversion = "0.2.0"\n"""\nversion = "0.2.0"',
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(_OTHERS), max_size=4),
    st.sampled_from(_SPELLINGS),
    st.lists(st.sampled_from(_OTHERS), max_size=4),
    st.booleans(),
    st.booleans(),
)
def test_a_version_written_in_place_is_tomlkits_edit(
    above: list[str], spelling: str, below: list[str], crlf: bool, bom: bool
) -> None:
    """set_toml_string's edit in place (no tomlkit) gives tomlkit's text, byte for byte,
    whatever the file's spelling: where its line scan would misread (a multi-line string
    holding `version = ...`, a dotted key, an inline table), tomlkit edits as before."""
    from hypothesis import assume

    from cutrelease.errors import FileFormatError
    from cutrelease.files.sources.toml_keys import _through_tomlkit, set_toml_string

    text = "\n".join([*above, spelling, *below]) + "\n"
    text = text.replace("\n", "\r\n") if crlf else text
    text = "\ufeff" + text if bom else text
    keys = ("project", "version")
    try:
        want = _through_tomlkit(text, keys, "0.2.1", path="pyproject.toml")
    except FileFormatError:
        assume(False)
    assert set_toml_string(text, keys, "0.2.1") == want
