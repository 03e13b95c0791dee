"""The dry run's diff: the same text difflib gives for the whole files, however large."""

from __future__ import annotations

import difflib

import pytest

from cutrelease.plan import FileEdit
from cutrelease.preview import file_diff

BIG = [f"line {i}\n" for i in range(5000)]


def _reference(before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), "a/f", "b/f"
    )
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
}


UNIQUE_LINES = [
    "insert near the top",
    "insert in the middle",
    "change at the end",
    "two places",
    "rewritten past the look-ahead",
    "emptied",
    "from nothing",
]


@pytest.mark.parametrize("case", UNIQUE_LINES)
def test_diff_equals_difflib_on_whole_files(case: str) -> None:
    before, after = CASES[case]
    edit = FileEdit("f", before.encode(), after.encode())
    assert file_diff(edit) == _reference(before, after)


def _apply(diff: str, before: str) -> str:
    """Apply a unified diff (as printed) to `before`."""
    old = before.splitlines(keepends=True)
    out: list[str] = []
    cursor = 0
    lines = diff.splitlines(keepends=True)[2:]
    last = ""
    for line in lines:
        if line.startswith("@@"):
            start = int(line.split()[1].split(",")[0][1:])
            start = start - 1 if start else 0
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


def test_equal_runs_are_measured_exactly() -> None:
    from cutrelease.textdiff import _equal_run

    base = [f"{n}\n" for n in range(3000)]
    for length in (1, 2, 63, 64, 65, 127, 128, 1000, 2999):
        other = [*base[:length], "different\n", *base[length + 1 :]]
        assert _equal_run(base, other, 0, 0) == length
    assert _equal_run(base, base, 0, 0) == 3000
    assert _equal_run(base, base[:1500], 0, 0) == 1500
    assert _equal_run(base, base, 10, 10) == 2990
