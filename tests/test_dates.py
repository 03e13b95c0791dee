"""Tests for cutrelease.dates: a heading's date style learned, and the new date written in it."""

from __future__ import annotations

import datetime

import pytest

from cutrelease.files import dates

DAYS = (datetime.date(2026, 3, 1), datetime.date(2026, 11, 22))


@pytest.mark.parametrize(
    ("tail", "written"),
    [
        (" - 2024-01-02", (" - 2026-03-01", " - 2026-11-22")),
        (" – 2024-01-02 [YANKED]", (" – 2026-03-01", " – 2026-11-22")),
        (" (2024-01-02)", (" (2026-03-01)", " (2026-11-22)")),
        (" 2024/01/02", (" 2026/03/01", " 2026/11/22")),
        (" - 2024-1-2", (" - 2026-3-1", " - 2026-11-22")),
        (" - 01-27-2024", (" - 03-01-2026", " - 11-22-2026")),
        (" - 27.01.2024", (" - 01.03.2026", " - 22.11.2026")),  # 27 can only be a day
        (" (27th August, 2024)", (" (1st March, 2026)", " (22nd November, 2026)")),
        (" (February 25, 2016)", (" (March 1, 2026)", " (November 22, 2026)")),
        (" - Feb. 5, 2016", (" - Mar. 1, 2026", " - Nov. 22, 2026")),
        (" - 5 Feb 2016", (" - 1 Mar 2026", " - 22 Nov 2026")),
        (" - 2023-MM-DD", (" - 2026-03-01", " - 2026-11-22")),  # unreadable: ISO, same separator
        (" (someday)", (" (2026-03-01)", " (2026-11-22)")),
        ("", ("", "")),  # undated headings stay undated
    ],
)
def test_a_learned_style_writes_new_dates_the_same_way(tail: str, written: tuple[str, str]) -> None:
    style = dates.learn(tail)
    shown = tuple(
        style.separator + style.format(day) + style.end if style.dated else "" for day in DAYS
    )
    assert shown == written


def test_the_default_is_keep_a_changelogs() -> None:
    style = dates.DateStyle()
    assert (style.separator, style.format(DAYS[0]), style.end) == (" - ", "2026-03-01", "")


@pytest.mark.parametrize(
    ("tails", "written"),
    [
        ((" - 03/04/2025", " - 25/12/2024"), " - 01/03/2026"),  # an older day above 12
        ((" - 03/04/2025", " - 12/25/2024"), " - 03/01/2026"),
        ((" - 03/04/2025", " - 2024-12-25"), " - 03/01/2026"),  # another shape tells nothing
        ((" - 2025-11-12", " - 2024-1-5"), " - 2026-3-1"),
        ((" - 2025-11-12", " - 25.12.2024"), " - 2026-03-01"),
        ((" [2024-01-02]",), " [2026-03-01]"),  # bumpversion#19's brackets are closed
    ],
)
def test_what_the_newest_date_leaves_open_an_older_one_decides(
    tails: tuple[str, ...], written: str
) -> None:
    style = dates.learn_all(tails)
    assert style.separator + style.format(DAYS[0]) + style.end == written
