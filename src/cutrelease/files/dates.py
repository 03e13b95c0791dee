"""Date styles of release headings: learned from the file's headings, written for the new one.

`2024-01-02` (Keep a Changelog 1.1.0's ISO 8601), `2024/01/02`, `2024-1-2`, `01-27-2024`,
`27.01.2024`, `27th August, 2024`, `Feb. 25, 2016`... and the separator around the date:
` - `, en and em dashes, ` (…)`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import NamedTuple

from cutrelease.patterns import compiled

__all__ = ["DateStyle", "learn", "learn_all"]

_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
]
_SHORT_MONTHS = [month[:3] for month in _MONTHS]
_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC_MDY = r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)"
_MONTH_NAME = r"(?P<month>[A-Z][a-z]{2,8})(?P<dot>\.?)"
_DAY = r"(?P<day>\d{1,2})(?P<ordinal>st|nd|rd|th)?"
_PROSE_MONTH_FIRST = rf"{_MONTH_NAME} {_DAY}(?P<comma>,?) \d{{4}}"
_PROSE_DAY_FIRST = rf"{_DAY} {_MONTH_NAME}(?P<comma>,?) \d{{4}}"
_SEPARATOR = r"\s*(?:[-–—:]\s*)?[(\[]?"
# A date in brackets is closed as it was opened: ` (2024-01-02)`, ` [2013-01-19]` (bumpversion #19).
_CLOSERS = {"(": ")", "[": "]"}

_Found = tuple[str, int, int]  # (pattern, start, end) of a date found in a heading's tail


class DateStyle(NamedTuple):
    """How a heading writes its date: separator + date + end, as in ` (2024-01-02)`.

    The default is Keep a Changelog's ` - 2024-01-02`.
    """

    dated: bool = True
    separator: str = " - "
    end: str = ""
    # {Y} year; {m} {d} zero-padded; {M} {D} not; {B} month name, {b} its 3 letters; {o} "th"
    pattern: str = "{Y}-{m}-{d}"

    def format(self, date: datetime.date) -> str:
        """`date` written in this style (without separator and end)."""
        return self.pattern.format(
            Y=f"{date.year:04d}",
            m=f"{date.month:02d}",
            d=f"{date.day:02d}",
            M=date.month,
            D=date.day,
            B=_MONTHS[date.month - 1],
            b=_SHORT_MONTHS[date.month - 1],
            o=_ordinal(date.day),
        )


def learn(tail: str) -> DateStyle:
    """The date style of a release heading's tail (what follows its version: ` - 2024-01-02`).

    No tail: undated. A date no one can read (`2023-MM-DD`, `early in 2024`): its separator is
    kept and an ISO date written. A date that does not tell its own style (`03-04-2024` is
    month-first or day-first; `2024-11-12` padded or not) is read as month-first and padded.
    """
    return learn_all([tail])


def learn_all(tails: Sequence[str]) -> DateStyle:
    """The date style of a file's release headings, from their tails, newest first.

    The newest heading's style, with what it leaves open decided by the older headings that
    write their dates the same way: `03-04-2024` is day-first when an older `25-12-2023` is,
    `2024-11-12` unpadded when an older `2024-1-5` is. When none decides, month-first and
    padded (what the newest date most often means). `tails` must not be empty.
    """
    newest = tails[0]
    if not newest.strip():
        return DateStyle(dated=False)
    numeric = _numeric(newest)
    if numeric is not None:
        for older in tails[1:]:
            if numeric.decided:  # a long changelog's older headings have nothing left to say
                break
            numeric = numeric.decided_by(_numeric(older))
        return _style(newest, numeric.pattern, numeric.start, numeric.end)
    for find in (_prose_month_first, _prose_day_first):
        found = find(newest)
        if found is not None:
            return _style(newest, *found)
    leading = compiled(_SEPARATOR).match(newest)
    written = leading[0] if leading is not None and leading[0] else " - "
    return DateStyle(separator=written, end=_CLOSERS.get(written[-1:], ""))


def _style(tail: str, pattern: str, start: int, end: int) -> DateStyle:
    separator = tail[:start]
    closer = _CLOSERS.get(separator.rstrip()[-1:], "")
    closed = bool(closer) and tail[end:].startswith(closer)
    return DateStyle(separator=separator, end=closer if closed else "", pattern=pattern)


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


class _Numeric(NamedTuple):
    """A numeric date as written, with what it tells of its style and what it leaves open."""

    year_first: bool  # 2024-01-02; else the year is last: 01-02-2024
    sep: str
    order: str | None  # with the year last: "dmy" or "mdy"; None when both numbers are <= 12
    padded: bool | None  # None when both numbers have two digits and no leading zero
    start: int
    end: int

    def decided_by(self, other: _Numeric | None) -> _Numeric:
        """This date, with what it leaves open taken from `other`, a date written alike."""
        if other is None or (other.year_first, other.sep) != (self.year_first, self.sep):
            return self
        order = self.order if self.order is not None else other.order
        padded = self.padded if self.padded is not None else other.padded
        return self._replace(order=order, padded=padded)

    @property
    def decided(self) -> bool:
        """Whether nothing is left open (a year-first date has no order to decide)."""
        return (self.year_first or self.order is not None) and self.padded is not None

    @property
    def pattern(self) -> str:
        month, day = ("{M}", "{D}") if self.padded is False else ("{m}", "{d}")
        sep = self.sep
        if self.year_first:
            return f"{{Y}}{sep}{month}{sep}{day}"
        if self.order == "dmy":
            return f"{day}{sep}{month}{sep}{{Y}}"
        return f"{month}{sep}{day}{sep}{{Y}}"


def _numeric(tail: str) -> _Numeric | None:
    match = _NUMERIC_YMD.search(tail)
    if match is not None:
        padded = _padding(match[3], match[4])
        return _Numeric(True, match[2], None, padded, match.start(), match.end())
    match = compiled(_NUMERIC_MDY).search(tail)
    if match is None:
        return None
    first, second = int(match[1]), int(match[3])
    order = "dmy" if first > 12 else "mdy" if second > 12 else None  # only a day is above 12
    padded = _padding(match[1], match[3])
    return _Numeric(False, match[2], order, padded, match.start(), match.end())


def _padding(*parts: str) -> bool | None:
    if any(p.startswith("0") for p in parts):
        return True
    return False if any(len(p) == 1 for p in parts) else None


def _prose_month_first(tail: str) -> _Found | None:
    match = compiled(_PROSE_MONTH_FIRST).search(tail)
    month = _month_field(match)
    if match is None or month is None:
        return None
    ordinal = "{o}" if match["ordinal"] else ""
    return f"{month} {{D}}{ordinal}{match['comma']} {{Y}}", match.start(), match.end()


def _prose_day_first(tail: str) -> _Found | None:
    match = compiled(_PROSE_DAY_FIRST).search(tail)
    month = _month_field(match)
    if match is None or month is None:
        return None
    ordinal = "{o}" if match["ordinal"] else ""
    return f"{{D}}{ordinal} {month}{match['comma']} {{Y}}", match.start(), match.end()


def _month_field(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    if match["month"] in _MONTHS:
        return "{B}" + match["dot"]
    if match["month"] in _SHORT_MONTHS:
        return "{b}" + match["dot"]
    return None
