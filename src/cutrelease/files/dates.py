"""Date styles of release headings: learned from the newest heading, written for the new one.

`2024-01-02` (Keep a Changelog 1.1.0's ISO 8601), `2024/01/02`, `2024-1-2`, `01-27-2024`,
`27.01.2024`, `27th August, 2024`, `Feb. 25, 2016`... and the separator around the date:
` - `, en and em dashes, ` (…)`.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

__all__ = ["DateStyle", "learn"]

_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
]
_SHORT_MONTHS = [month[:3] for month in _MONTHS]
_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC_MDY = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
_MONTH_NAME = r"(?P<month>[A-Z][a-z]{2,8})(?P<dot>\.?)"
_DAY = r"(?P<day>\d{1,2})(?P<ordinal>st|nd|rd|th)?"
_PROSE_MONTH_FIRST = re.compile(rf"{_MONTH_NAME} {_DAY}(?P<comma>,?) \d{{4}}")
_PROSE_DAY_FIRST = re.compile(rf"{_DAY} {_MONTH_NAME}(?P<comma>,?) \d{{4}}")
_SEPARATOR = re.compile(r"\s*(?:[-–—:]\s*)?\(?")

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
    kept and an ISO date written.
    """
    if not tail.strip():
        return DateStyle(dated=False)
    for find in (_numeric_ymd, _numeric_mdy, _prose_month_first, _prose_day_first):
        found = find(tail)
        if found is not None:
            pattern, start, end = found
            separator = tail[:start]
            closed = separator.rstrip().endswith("(") and tail[end:].startswith(")")
            return DateStyle(separator=separator, end=")" if closed else "", pattern=pattern)
    leading = _SEPARATOR.match(tail)
    written = leading[0] if leading is not None and leading[0] else " - "
    return DateStyle(separator=written, end=")" if written.endswith("(") else "")


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _numeric_ymd(tail: str) -> _Found | None:
    match = _NUMERIC_YMD.search(tail)
    if match is None:
        return None
    month, day = _padding(match[3], match[4])
    sep = match[2]
    return f"{{Y}}{sep}{month}{sep}{day}", match.start(), match.end()


def _numeric_mdy(tail: str) -> _Found | None:
    match = _NUMERIC_MDY.search(tail)
    if match is None:
        return None
    month, day = _padding(match[1], match[3])
    sep = match[2]
    if int(match[1]) > 12:  # only a day can be above 12: day first
        return f"{day}{sep}{month}{sep}{{Y}}", match.start(), match.end()
    return f"{month}{sep}{day}{sep}{{Y}}", match.start(), match.end()


def _padding(*parts: str) -> tuple[str, str]:
    padded = any(p.startswith("0") for p in parts) or all(len(p) == 2 for p in parts)
    return ("{m}", "{d}") if padded else ("{M}", "{D}")


def _prose_month_first(tail: str) -> _Found | None:
    match = _PROSE_MONTH_FIRST.search(tail)
    month = _month_field(match)
    if match is None or month is None:
        return None
    ordinal = "{o}" if match["ordinal"] else ""
    return f"{month} {{D}}{ordinal}{match['comma']} {{Y}}", match.start(), match.end()


def _prose_day_first(tail: str) -> _Found | None:
    match = _PROSE_DAY_FIRST.search(tail)
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
