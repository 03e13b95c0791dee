"""Spans of long texts compared without copying them whole.

A slice of a text of megabytes is a fresh buffer of megabytes, and the memory's first touch
costs more than the comparison itself (a fault per page); slices of 64 KB reuse the memory
the last one freed. A release compares a 2 MB uv.lock or changelog with its edit this way.
"""

from __future__ import annotations

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
    size = min(len(a), len(b))
    low = 0
    while low < size:  # a chunk at a time, then halves of the one that differs
        high = min(low + CHUNK, size)
        if a[low:high] != b[low:high]:
            break
        low = high
    else:
        return size
    while high - low > 1:  # a[:low] agrees, a[:high] does not
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    return low


def common_suffix(a: str, b: str, most: int) -> int:
    """The length of the longest text (`most` at most) both `a` and `b` end with."""
    low = 0
    while low < most:
        high = min(low + CHUNK, most)
        if a[len(a) - high : len(a) - low] != b[len(b) - high : len(b) - low]:
            break
        low = high
    else:
        return most
    while high - low > 1:  # the last `low` characters agree, the last `high` do not
        middle = (low + high) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle
    return low
