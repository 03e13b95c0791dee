"""The dry run's diff: the same text difflib gives for the whole files, however large."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHANGELOG, GIT_ENV, Project
from hypothesis import given, settings
from hypothesis import strategies as st

from cutrelease.files.markdown import split_lines
from cutrelease.release.plan import FileEdit
from cutrelease.release.preview import _terminated, file_diff

BIG = [f"line {i}\n" for i in range(5000)]


def _reference(before: str, after: str) -> str:
    # Lines end at "\n" only, as git sees them (str.splitlines also splits at U+2028, \x0c...).
    lines = difflib.unified_diff(split_lines(before), split_lines(after), "a/f", "b/f")
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


CASES = {
    "insert near the top": ("".join(BIG), "".join([*BIG[:2], "new\n", *BIG[2:]])),
    "insert in the middle": ("".join(BIG), "".join([*BIG[:2500], "new\n", *BIG[2500:]])),
    "change at the end": ("".join(BIG), "".join([*BIG[:-1], "changed\n"])),
    "two places": (
        "".join(BIG),
        "".join([*BIG[:10], "a\n", *BIG[10:4000], "b\n", *BIG[4000:]]),
    ),
    "repeated lines": ("a\n" * 50, "a\n" * 51),
    "rewritten past the look-ahead": (
        "".join(BIG[:300]),
        "".join(f"other {i}\n" for i in range(200)) + "".join(BIG[250:300]),
    ),
    "blank lines around an insertion": ("a\n\nb\n\nc\n", "a\n\nnew\n\nb\n\nc\n"),
    "emptied": ("a\nb\n", ""),
    "from nothing": ("", "a\nb\n"),
    "no final newline": ("x\ny\nz", "x\ny\nz\nw"),
    "small file": ("one\n", "two\n"),
    "crlf": ("a\r\nb\r\n" * 20, "a\r\nb\r\nc\r\n" + "a\r\nb\r\n" * 19),
    "line separators in context": (
        "".join(BIG[:20]) + "a\u2028b\n\x0c\n" + "".join(BIG[20:40]),
        "".join(BIG[:20]) + "a\u2028b\nnew\n\x0c\n" + "".join(BIG[20:40]),
    ),
}


UNIQUE_LINES = [
    "insert near the top",
    "insert in the middle",
    "change at the end",
    "two places",
    "rewritten past the look-ahead",
    "emptied",
    "from nothing",
    "line separators in context",
]


@pytest.mark.parametrize("case", UNIQUE_LINES)
def test_diff_equals_difflib_on_whole_files(case: str) -> None:
    before, after = CASES[case]
    edit = FileEdit("f", before.encode(), after.encode())
    assert file_diff(edit) == _reference(before, after)


def _apply(diff: str, before: str) -> str:
    """Apply a unified diff (as printed) to `before`."""
    old = split_lines(before)
    out: list[str] = []
    cursor = 0
    lines = split_lines(diff)[2:]
    last = ""
    for line in lines:
        if line.startswith("@@"):
            first, _, length = line.split()[1][1:].partition(",")
            start = int(first)  # an empty range names the line it follows (diff's own rule)
            start = start if length == "0" else start - 1
            out.extend(old[cursor:start])
            cursor = start
        elif line.startswith("\\"):
            if last in " +":  # the marker speaks of the line before it
                out[-1] = out[-1].rstrip("\n")
        elif line.startswith(" "):
            out.append(old[cursor])
            cursor += 1
        elif line.startswith("-"):
            cursor += 1
        elif line.startswith("+"):
            out.append(line[1:])
        last = line[:1]
    out.extend(old[cursor:])
    return "".join(out)


@pytest.mark.parametrize("case", list(CASES))
def test_diff_turns_the_old_file_into_the_new(case: str) -> None:
    # Repetitive files have several right diffs; each must still apply exactly.
    before, after = CASES[case]
    diff = file_diff(FileEdit("f", before.encode(), after.encode()))
    assert _apply(diff, before) == after


_PIECES = st.sampled_from(["a\n", "b\n", "c\n", "\n", "a", "x\r\n", "\u2028\n"])


@settings(max_examples=400)
@given(
    st.lists(_PIECES, max_size=40).map("".join),
    st.lists(_PIECES, max_size=40).map("".join),
    st.integers(0, 4),
)
def test_a_diff_of_texts_turns_the_old_text_into_the_new(a: str, b: str, context: int) -> None:
    """unified_diff_texts leaves the lines both texts start and end with unsplit: its diff
    still applies exactly, whatever repeats make several diffs right."""
    from cutrelease.files.textdiff import unified_diff_texts

    diff = "".join(_terminated(line) for line in unified_diff_texts(a, b, "a/f", "b/f", context))
    assert _apply(diff, a) == b


@settings(max_examples=200)
@given(
    st.integers(0, 300),
    st.lists(st.tuples(st.integers(0, 299), st.sampled_from(["change", "drop", "add"]))),
)
def test_a_diff_of_texts_of_distinct_lines_is_the_whole_diff(
    size: int, edits: list[tuple[int, str]]
) -> None:
    """Where one diff alone is right (no line repeats), leaving the equal head and tail
    unsplit gives the hunks of the whole texts, line numbers included."""
    from cutrelease.files.textdiff import unified_diff, unified_diff_texts

    old = [f"line {n}\n" for n in range(size)]
    new = list(old)
    for at, what in sorted(edits, reverse=True):
        if at < len(new):
            new[at : at + 1] = {
                "change": [f"changed {at}\n"],
                "drop": [],
                "add": [new[at], f"added {at}\n"],
            }[what]
    a, b = "".join(old), "".join(new)
    assert list(unified_diff_texts(a, b, "a/f", "b/f")) == list(
        unified_diff(split_lines(a), split_lines(b), "a/f", "b/f")
    )


def test_equal_runs_are_measured_exactly() -> None:
    from cutrelease.files.textdiff import _equal_run

    base = [f"{n}\n" for n in range(3000)]
    for length in (1, 2, 63, 64, 65, 127, 128, 1000, 2999):
        other = [*base[:length], "different\n", *base[length + 1 :]]
        assert _equal_run(base, other, 0, 0) == length
    assert _equal_run(base, base, 0, 0) == 3000
    assert _equal_run(base, base[:1500], 0, 0) == 1500
    assert _equal_run(base, base, 10, 10) == 2990


# --- the same hunks as git ----------------------------------------------------------------------

# Characters that str.splitlines takes for line ends but git and Markdown do not.
ODD = "\u2028 \u2029 \x0c \x0b \x1c \x1d \x1e \x85 a lone \r"
_HUNK_HEADER = re.compile(r"(@@ -\S+ \+\S+ @@).*", re.DOTALL)


def git_hunks(tmp_path: Path, before: bytes, after: bytes) -> str:
    """`git diff --no-index` of two files, from its first hunk (its header lines differ)."""
    (tmp_path / "before").write_bytes(before)
    (tmp_path / "after").write_bytes(after)
    done = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", "--no-ext-diff", "-U3", "before", "after"],
        cwd=tmp_path,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # 1: the files differ
    return hunks(done.stdout.decode("utf-8"))


def hunks(diff: str) -> str:
    """The hunks of a diff; each `@@` header without the function name git adds to it."""
    lines = split_lines(diff)
    first = next(index for index, line in enumerate(lines) if line.startswith("@@"))
    return "".join(_HUNK_HEADER.sub(r"\1\n", line) for line in lines[first:])


SECURITY_HEAD = "## Supported Versions\n\n| Version | Supported |\n| ------- | --------- |\n"
GIT_CASES = {
    "odd characters in context lines": (
        f"one\ntwo {ODD}\nthree\r\nfour\n\x0c\nfive\n",
        f"one\ntwo {ODD}\nthree\r\nnew\r\nfour\n\x0c\nfive\n",
    ),
    "odd characters in a changed line": (f"a\nb {ODD}\nc\n", f"a\nb {ODD}!\nc\n"),
    "no final newline after a line separator": ("a\nb\nc\u2028d", "a\nnew\nb\nc\u2028d"),
    "the last line loses its newline": ("a\nb\nc\u2028\n", "a\nb\nc\u2028"),
    "crlf and a form feed at the end": ("a\r\nb\r\n\x0c", "a\r\nb\r\nc\r\n\x0c"),
    "a new supported line on top of the table": (
        f"{SECURITY_HEAD}| 3.7.x | yes |\n| 3.6.x | yes |\n| 3.5.x | no  |\n| 3.4.x | no  |\n",
        f"{SECURITY_HEAD}| 3.8.x | yes |\n| 3.7.x | yes |\n| 3.6.x | no  |\n| 3.5.x | no  |\n"
        "| 3.4.x | no  |\n",
    ),
}


@pytest.mark.parametrize("case", list(GIT_CASES))
def test_diff_has_the_hunks_of_git_diff(tmp_path: Path, case: str) -> None:
    before, after = GIT_CASES[case]
    diff = file_diff(FileEdit("f", before.encode(), after.encode()))
    assert diff.startswith("--- a/f\n+++ b/f\n")
    assert hunks(diff) == git_hunks(tmp_path, before.encode(), after.encode())


ODD_CHANGELOG = (
    CHANGELOG.replace(
        "All notable changes to this project will be documented in this file.\n",
        "All notable changes\u2028to this project\x0cwill be documented in this file.\r\n",
    )
    .replace("### Fixed\n\n- A fix.\n", f"### Fixed\r\n\r\n- A fix: {ODD}.\n\x0c\n")
    .replace("- The widget.\n", "- The widget\u2028(new).\r\n")
    .replace("- A start.\n", "- A start\x0c\u2028(first).\r\n")
    .removesuffix("\n")
)


def _bump_bytes(project: Project, *args: str) -> bytes:
    """bump's stdout as bytes: text mode would turn "\r\n" and a lone "\r" into "\n"."""
    done = subprocess.run(
        [sys.executable, "-m", "cutrelease", *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1"},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_dry_run_diff_of_a_changelog_with_odd_lines_is_gits(
    project: Project, tmp_path: Path
) -> None:
    """U+2028, form feeds and CRLF lines near both changes, and no final newline."""
    project.write("CHANGELOG.md", ODD_CHANGELOG)
    project.commit_all("a changelog with odd lines")
    project.push()
    before = (project.root / "CHANGELOG.md").read_bytes()

    dry = _bump_bytes(project, "patch", "--dry-run", "--date", "2026-03-01").decode("utf-8")
    _bump_bytes(project, "patch", "--date", "2026-03-01")
    after = (project.root / "CHANGELOG.md").read_bytes()

    assert not after.endswith(b"\n")
    git_diff = "--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n" + git_hunks(tmp_path, before, after)
    start = dry.index("--- a/CHANGELOG.md\n")
    shown = dry[start : start + len(git_diff)]
    assert shown == git_diff
    assert dry[start + len(shown) :].startswith(("--- a/", "git "))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a\n", "b\n", "\n", "- x\n", "## [1.0.0]\n"]), max_size=12),
    st.lists(st.sampled_from(["a\n", "b\n", "\n", "- y\n", "## [2.0.0]\n"]), max_size=12),
    st.lists(st.sampled_from(["c\n", "d\n", "e\n", "- old\n"]), min_size=7, max_size=30),
    st.lists(st.sampled_from(["[1]: u\n", "\n", "z\n"]), max_size=8),
    st.lists(st.sampled_from(["[1]: v\n", "\n", "z\n", "[2]: w\n"]), max_size=8),
)
def test_a_block_left_unchanged_diffs_as_its_lines(
    head_a: list[str], head_b: list[str], block: list[str], tail_a: list[str], tail_b: list[str]
) -> None:
    """The dry run's diff of a long changelog compares what is before and after its unchanged
    older sections apart, and shows none of their lines but as context: it still turns the
    old text into the new, and the block is never part of a change."""
    middle = "".join(block)
    before = "".join(head_a) + middle + "".join(tail_a)
    after = "".join(head_b) + middle + "".join(tail_b)
    diff = file_diff(FileEdit("CHANGELOG.md", before.encode(), after.encode(), unchanged=middle))
    assert _apply(diff, before) == after
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert not {line[1:] + "\n" for line in changed} & set(block) - set(head_a + tail_a)
    if head_a == head_b and tail_a == tail_b:
        assert diff == ""
