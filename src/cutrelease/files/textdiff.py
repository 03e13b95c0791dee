"""Unified diffs of near-identical texts (a release's edits) in linear time."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Literal

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]

# How far ahead to look for the lines where the two texts agree again after a change, and how
# many lines must agree (a lone blank line would resynchronise too early).
WINDOW = 64
AGREE = 3


class _LocalMatcher(difflib.SequenceMatcher[str]):
    """difflib's grouping and output over opcodes found by walking both texts once.

    difflib compares every line with every other (slow on a 2 MB changelog); a release changes
    a few places, so walking forward and resynchronising within a short window finds them.
    Where no resynchronisation is found, difflib itself takes over for the rest.
    """

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        self._a, self._b = a, b  # no super().__init__: it would index every line of b

    def get_opcodes(self) -> list[Opcode]:
        return list(_walk(self._a, self._b))


def unified_diff(
    a: Sequence[str], b: Sequence[str], old_name: str, new_name: str, context: int = 3
) -> Iterator[str]:
    """The lines of `diff -u` (as difflib.unified_diff writes them), found in linear time.

    `a` and `b` are lines with their endings as git counts them, split at "\\n" only
    (markdown.split_lines; str.splitlines would also split at U+2028 or a form feed and make
    the hunk counts disagree with git's). Only the last line may lack an ending; the caller
    marks it `\\ No newline at end of file`.
    """
    for index, group in enumerate(_LocalMatcher(a, b).get_grouped_opcodes(context)):
        if index == 0:
            yield f"--- {old_name}\n"
            yield f"+++ {new_name}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            yield from ("-" + line for line in a[i1:i2])
            yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _walk(a: Sequence[str], b: Sequence[str]) -> Iterator[Opcode]:
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            run = _equal_run(a, b, i, j)
            yield ("equal", i, i + run, j, j + run)
            i, j = i + run, j + run
            continue
        step = _resync(a, b, i, j)
        if step is None:  # nothing agrees nearby: let difflib compare the rest in full
            yield from _compared(a, b, i, len(a), j, len(b))
            return
        di, dj = step
        yield from _compared(a, b, i, i + di, j, j + dj)
        i, j = i + di, j + dj
    if i < len(a) or j < len(b):
        yield ("delete" if i < len(a) else "insert", i, len(a), j, len(b))


def _compared(
    a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> Iterator[Opcode]:
    """difflib's opcodes for a[i1:i2] against b[j1:j2], which differ at both ends.

    A changed region may still hold single lines that agree (a table row moving down as a new
    one is added on top); difflib finds them, as git does, where a plain 'replace' would not.
    """
    matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    for tag, x1, x2, y1, y2 in matcher.get_opcodes():
        yield (tag, x1 + i1, x2 + i1, y1 + j1, y2 + j1)


def _equal_run(a: Sequence[str], b: Sequence[str], i: int, j: int) -> int:
    """How many lines agree from a[i] and b[j] on: slices compared whole, in C, not one by one."""
    limit = min(len(a) - i, len(b) - j)
    low, step = 0, 64
    while low < limit:  # gallop: grow the agreeing run while whole slices agree
        high = min(low + step, limit)
        if a[i + low : i + high] != b[j + low : j + high]:
            break
        low, step = high, step * 2
    else:
        return limit
    high = min(low + step, limit)  # the first disagreement is in [low, high): halve to it
    while high - low > 1:
        middle = (low + high) // 2
        if a[i + low : i + middle] == b[j + low : j + middle]:
            low = middle
        else:
            high = middle
    return low


def _resync(a: Sequence[str], b: Sequence[str], i: int, j: int) -> tuple[int, int] | None:
    """The fewest lines to skip in a and b (di, dj) before AGREE lines agree again."""
    for distance in range(1, WINDOW):
        for di in range(distance + 1):
            dj = distance - di
            if _agree(a, b, i + di, j + dj):
                return di, dj
    return None


def _agree(a: Sequence[str], b: Sequence[str], i: int, j: int) -> bool:
    if i > len(a) or j > len(b):
        return False
    run = a[i : i + AGREE]
    # At the end of both texts a shorter run counts: nothing follows to disagree.
    return run == b[j : j + AGREE] and (len(run) == AGREE or i + len(run) == len(a))
