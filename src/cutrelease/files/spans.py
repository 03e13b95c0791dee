"""Spans of long texts compared without copying them whole.

A slice of a text of megabytes is a fresh buffer of megabytes, and the memory's first touch
costs more than the comparison itself (a fault per page); slices of 64 KB reuse the memory
the last one freed. A release compares a 2 MB uv.lock or changelog with its edit this way.
"""

from __future__ import annotations

from collections.abc import Callable

#: Characters compared at a time: below the size the C allocator maps afresh (128 KB).
CHUNK = 64 * 1024


def same(a: str, a_start: int, b: str, b_start: int, length: int) -> bool:
    """Whether a[a_start : a_start + length] == b[b_start : b_start + length] (both spans
    inside their texts)."""
    if a_start + length > len(a) or b_start + length > len(b):
        return False
    for offset in range(0, length, CHUNK):
        size = min(CHUNK, length - offset)
        i, j = a_start + offset, b_start + offset
        if a[i : i + size] != b[j : j + size]:
            return False
    return True


def common_prefix(a: str, b: str) -> int:
    """The length of the longest text both `a` and `b` start with."""
    return _agreeing(min(len(a), len(b)), lambda low, high: a[low:high] == b[low:high])


def common_suffix(a: str, b: str, most: int) -> int:
    """The length of the longest text (`most` at most) both `a` and `b` end with."""
    end_a, end_b = len(a), len(b)
    return _agreeing(
        most, lambda low, high: a[end_a - high : end_a - low] == b[end_b - high : end_b - low]
    )


def _agreeing(size: int, agree: Callable[[int, int], bool]) -> int:
    """How many characters of `size` agree from one end (`agree(low, high)`: whether those
    from `low` to `high` do): a chunk at a time, then halves of the one that differs."""
    low = 0
    while low < size:
        high = min(low + CHUNK, size)
        if not agree(low, high):
            break
        low = high
    else:
        return size
    while high - low > 1:  # the first `low` agree, the first `high` do not
        middle = (low + high) // 2
        if agree(low, middle):
            low = middle
        else:
            high = middle
    return low
