"""Spans of long texts compared a slice at a time (files.spans), against Python's own slices."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutrelease.files import spans

TEXTS = st.text(alphabet="ab\n", max_size=60)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 characters: every boundary case of a long text, in short ones."""
    monkeypatch.setattr(spans, "CHUNK", 4)


@settings(max_examples=500)
@given(TEXTS, TEXTS, st.integers(0, 70), st.integers(0, 70), st.integers(0, 70))
def test_same_is_a_comparison_of_slices(a: str, b: str, i: int, j: int, length: int) -> None:
    inside = i + length <= len(a) and j + length <= len(b)
    assert spans.same(a, i, b, j, length) == (inside and a[i : i + length] == b[j : j + length])


@settings(max_examples=300)
@given(st.text(alphabet="ab\n", min_size=1, max_size=60), st.data())
def test_one_character_apart_is_told(a: str, data: st.DataObject) -> None:
    """Two spans that differ in one character, wherever it falls in the chunks."""
    at = data.draw(st.integers(0, len(a) - 1))
    b = a[:at] + ("x" if a[at] != "x" else "y") + a[at + 1 :]
    start = data.draw(st.integers(0, at))
    end = data.draw(st.integers(at + 1, len(a)))
    assert not spans.same(a, start, b, start, end - start)
    assert spans.same(a, 0, b, 0, at) and spans.same(a, at + 1, b, at + 1, len(a) - at - 1)
    assert spans.common_prefix(a, b) == at
    assert spans.common_suffix(a, b, len(a) - at) == len(a) - at - 1


@settings(max_examples=500)
@given(TEXTS, TEXTS)
def test_the_common_prefix_and_suffix_are_the_longest(a: str, b: str) -> None:
    prefix = spans.common_prefix(a, b)
    assert a[:prefix] == b[:prefix]
    assert prefix == min(len(a), len(b)) or a[prefix] != b[prefix]
    most = min(len(a), len(b)) - prefix
    suffix = spans.common_suffix(a, b, most)
    assert suffix <= most and a[len(a) - suffix :] == b[len(b) - suffix :]
    assert suffix == most or a[len(a) - suffix - 1] != b[len(b) - suffix - 1]
