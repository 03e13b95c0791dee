"""Unified diffs of near-identical texts (a release's edits) in linear time."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Literal

from cutrelease.files import spans
from cutrelease.files.markdown import split_lines

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

    def __init__(
        self, a: Sequence[str], b: Sequence[str], opcodes: list[Opcode] | None = None
    ) -> None:
        self._a, self._b = a, b  # no super().__init__: it would index every line of b
        self._opcodes = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return list(_walk(self._a, self._b)) if self._opcodes is None else self._opcodes


def unified_diff(
    a: Sequence[str],
    b: Sequence[str],
    old_name: str,
    new_name: str,
    context: int = 3,
    *,
    opcodes: list[Opcode] | None = None,
) -> Iterator[str]:
    """The lines of `diff -u` (as difflib.unified_diff writes them), found in linear time
    (or from `opcodes`, when the caller has them: see unified_diff_around).

    `a` and `b` are lines with their endings as git counts them, split at "\\n" only
    (markdown.split_lines; str.splitlines would also split at U+2028 or a form feed and make
    the hunk counts disagree with git's). Only the last line may lack an ending; the caller
    marks it `\\ No newline at end of file`.
    """
    groups = _LocalMatcher(a, b, opcodes).get_grouped_opcodes(context)
    for index, group in enumerate(groups):
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


def unified_diff_around(
    a: str, b: str, block: str, old_name: str, new_name: str, context: int = 3
) -> Iterator[str] | None:
    """unified_diff of texts `a` and `b` that both hold `block` (whole lines, a long
    changelog's older sections) once, unchanged: what comes before it and what follows are
    compared apart, and its lines, equal, are not split; None when either lacks it.

    The lines of `block` more than `context` away from its ends are stood for by one
    placeholder each (never shown: no change is that near), so the hunks and their line
    numbers are those of the texts' own lines.
    """
    count = block.count("\n")
    if count <= 2 * context or not block.endswith("\n"):
        return None
    at_a, at_b = find_block(a, block), find_block(b, block)
    if at_a < 0 or at_b < 0:
        return None
    head_a, head_b = split_lines(a[:at_a]), split_lines(b[:at_b])
    tail_a = split_lines(a[at_a + len(block) :])
    tail_b = split_lines(b[at_b + len(block) :])
    first, last = 0, len(block) - 1
    for _ in range(context):  # the end of its first lines, and the start of its last
        first = block.find("\n", first) + 1
        last = block.rfind("\n", 0, last)
    kept = [*split_lines(block[:first]), *[_UNCHANGED] * (count - 2 * context)]
    kept += split_lines(block[last + 1 :])
    lines_a, lines_b = [*head_a, *kept, *tail_a], [*head_b, *kept, *tail_b]
    opcodes = list(_walk(head_a, head_b))
    opcodes.append(("equal", len(head_a), len(head_a) + count, len(head_b), len(head_b) + count))
    skip_a, skip_b = len(head_a) + count, len(head_b) + count
    for tag, i1, i2, j1, j2 in _walk(tail_a, tail_b):
        opcodes.append((tag, i1 + skip_a, i2 + skip_a, j1 + skip_b, j2 + skip_b))
    return unified_diff(lines_a, lines_b, old_name, new_name, context, opcodes=_merged(opcodes))


def unified_diff_texts(
    a: str, b: str, old_name: str, new_name: str, context: int = 3
) -> Iterator[str]:
    """unified_diff of the lines of texts `a` and `b` (markdown.split_lines), the lines both
    start and end with left unsplit beyond `context` of the first and last change: a release
    that changes one line of a 2 MB uv.lock splits a few lines, not 60,000.

    Those lines are stood for by placeholders (as in unified_diff_around), so the hunks and
    their line numbers are the texts' own.
    """
    same = spans.common_prefix(a, b)
    start = a.rfind("\n", 0, same) + 1  # the line where they may first differ...
    for _ in range(context):  # ...and the context above it
        if start == 0:
            break
        start = a.rfind("\n", 0, start - 1) + 1
    suffix = spans.common_suffix(a, b, min(len(a), len(b)) - same)
    end = len(a) - suffix
    # After the first line end both end with (b's at the same distance from its end), and the
    # context below the last change.
    for _ in range(context + 1):
        found = a.find("\n", end)
        end = len(a) if found < 0 else found + 1
    if start + len(a) - end < len(a) // 2:  # changes far apart (a changelog's head and links):
        # the middle is most of the texts, and cutting it out would copy it whole
        return unified_diff(split_lines(a), split_lines(b), old_name, new_name, context)
    end_b = end + len(b) - len(a)
    head = a.count("\n", 0, start)
    lines_a = [*[_UNCHANGED] * head, *split_lines(a[start:end])]
    lines_b = [*[_UNCHANGED] * head, *split_lines(b[start:end_b])]
    opcodes: list[Opcode] = [("equal", 0, head, 0, head)]
    for tag, i1, i2, j1, j2 in _walk(lines_a[head:], lines_b[head:]):
        opcodes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    return unified_diff(lines_a, lines_b, old_name, new_name, context, opcodes=_merged(opcodes))


def _merged(opcodes: list[Opcode]) -> list[Opcode]:
    """Opcodes with each run of equal ones made one (difflib's grouping expects no two)."""
    merged: list[Opcode] = []
    for code in opcodes:
        if code[1] == code[2] and code[3] == code[4]:
            continue  # empty: a part with no lines
        if merged and code[0] == "equal" and merged[-1][0] == "equal":
            previous = merged[-1]
            merged[-1] = ("equal", previous[1], code[2], previous[3], code[4])
        else:
            merged.append(code)
    return merged


class _Unchanged(str):
    """A line of a block unified_diff_around leaves out: equal to none (no line of a text
    is it), and never shown."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return id(self)


_UNCHANGED = _Unchanged()


def find_block(text: str, block: str) -> int:
    """text.find(block) for a block of megabytes: its first kilobytes are looked for, and the
    whole compared where they are (str.find readies the whole needle first, a cost here)."""
    head = block[:4096]
    at = text.find(head)
    while at >= 0 and not text.startswith(block, at):
        at = text.find(head, at + 1)
    return at


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
