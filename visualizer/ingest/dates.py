"""Date recognition for diaries and chats.

Regular expressions rather than `dateutil`'s fuzzy parser: a diary line such as "May I rest now" must
not become a date, and a numeric date like 03/04/2025 must not be silently read one way. Numeric dates
are kept raw (`RawDate`) until the whole file has been seen, so the day/month order is decided once per
file (`infer_order`) and reported when the file cannot tell.

Chinese journals write 2025年3月1日 (or 号), 3月1日 星期六 under a 2025年 heading, and 2025/3/1; full-width
digits and punctuation (２０２５／３／１) are read as their ASCII twins, one character for one, so positions hold.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"]
MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {
    name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {"sept": 9}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
_END = r"(?![\d/])"
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_ZH_WEEKDAY = r"(?:\s*[（(]?(?:星期|周|礼拜|禮拜|週)[一二三四五六日天][)）]?)?"

MAX_DATE_CHARS = 100  # a date field longer than this is not a date (and is not handed to dateutil)
_DEFAULTS = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))  # a reading that moves with these took a part from them

_PATTERNS = [  # tried in order; each yields y, and either mon (a name) or m/d or a/b (order unknown)
    ("ymd", re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号號]?{_ZH_WEEKDAY}{_END}")),
    ("ymd", re.compile(rf"(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号號]{_ZH_WEEKDAY}{_END}")),
    ("ymd", re.compile(rf"{_WEEKDAY}(?P<y>\d{{4}})(?P<s>[-/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_END}", re.I)),
    ("named", re.compile(rf"{_WEEKDAY}{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?{_END}", re.I)),
    ("named", re.compile(rf"{_WEEKDAY}(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?(?:\s+(?P<y>\d{{4}}))?{_END}",
                         re.I)),
    ("dmy", re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}}){_END}", re.I)),
    ("numeric", re.compile(rf"{_WEEKDAY}(?P<a>\d{{1,2}})(?P<s>[/-])(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}}){_END}",
                           re.I)),
]


def year_as_written(digits: str) -> int:
    """The year `digits` names: two digits up to next year's mean 20xx, other two-digit ones 19xx; four digits are
    taken as written, so "0000" stays year 0 (no such year: the date is reported) instead of passing for 2000."""
    year = int(digits)
    if len(digits) != 2:
        return year
    pivot = (dt.date.today().year + 1) % 100
    return 2000 + year if year <= pivot else 1900 + year


@dataclass(frozen=True)
class RawDate:
    """A date as written: `a`/`b` are day and month in an order that may not be known yet (`order` None)."""

    year: int | None
    a: int
    b: int
    order: str | None  # "dm" (a is the day), "md", or None when the file must decide

    def to_date(self, order: str | None = None) -> dt.date:
        """The calendar date; ValueError when it does not exist (31/02, year 0) or lacks a year."""
        order = self.order or order or "md"
        day, month = (self.a, self.b) if order == "dm" else (self.b, self.a)
        if self.year is None:
            raise ValueError("the date has no year")
        return dt.date(self.year, month, day)


def match_date(text: str) -> tuple[RawDate, int] | None:
    """A date at the very start of `text` and where it ends, or None."""
    text = text.translate(_FULL_WIDTH)
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        year = year_as_written(parts["y"]) if parts.get("y") else None
        if kind == "named":
            raw = RawDate(year, int(parts["d"]), MONTHS[parts["mon"].lower()], "dm")
        elif kind == "numeric":
            raw = RawDate(year, int(parts["a"]), int(parts["b"]), None)
        else:
            raw = RawDate(year, int(parts["d"]), int(parts["m"]), "dm")
        return raw, match.end()
    return None


def infer_order(raws: list[RawDate]) -> tuple[str | None, str]:
    """Decide day/month order for a file's numeric dates: ("dm" | "md" | None, why).

    A first number over 12 can only be a day, a second one over 12 only a day too; None means every
    date in the file reads both ways (or the file contradicts itself), which the caller reports.
    """
    loose = [r for r in raws if r.order is None]
    day_first = sum(r.a > 12 for r in loose)
    month_first = sum(r.b > 12 for r in loose)
    if day_first and month_first:
        return ("dm" if day_first >= month_first else "md"), "conflict"
    if day_first:
        return "dm", "a first number over 12"
    if month_first:
        return "md", "a second number over 12"
    return None, "ambiguous" if loose else "none"


def parse_date_value(value: object) -> dt.date | RawDate | None:
    """A date field from JSON or CSV: a date string (with or without time), or a Unix timestamp.

    Returns a `RawDate` for numeric dates whose order the file must decide, None when unreadable. A string that
    names no full date ("10:00", "March") is unreadable: dateutil would fill the gaps from today.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            seconds = value / 1000 if value > 1e11 else value
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_DATE_CHARS:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return parse_date_value(float(text))
    found = match_date(text)
    if found:
        raw, _ = found
        return raw
    return _parse_unambiguous(text)


def _parse_unambiguous(text: str) -> dt.date | None:
    """Last resort for shapes like "Sat Mar 01 2025 08:00:00 GMT": the date only when the text alone fixes it,
    read the same day-first and month-first and with two different defaults for any part it leaves out."""
    from dateutil import parser

    readings = set()
    try:
        for dayfirst, default in ((False, _DEFAULTS[0]), (True, _DEFAULTS[0]), (False, _DEFAULTS[1])):
            readings.add(parser.parse(text, dayfirst=dayfirst, default=default, fuzzy=False).date())
    except (ValueError, OverflowError):
        return None
    return readings.pop() if len(readings) == 1 else None
