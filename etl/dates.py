"""Publication dates: the dateline near the top of a report, and manifest date values.

Regular expressions only. `dateparser` is deliberately not used: without strict settings it fills in
missing parts from today's date and invents months (see the domain reference, section 3.2).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

DATELINE_MAX_LINES = 20  # non-empty lines from the top searched for a dateline
DATELINE_MAX_CHARS = 100  # a longer line is prose, not page chrome
DATELINE_MAX_OTHER_WORDS = 2  # words allowed on a dateline besides date, time, weekday and chrome
YEAR_RANGE = range(1990, 2100)

_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2((?:19|20)\d\d)(?![\d/]|\.\d)")
_ISO = re.compile(r"(?<![\d/.\-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\d\-])")
_WORDS = re.compile(r"(?<!\w)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)

# Everything that may stand around the date on a dateline; removed before counting the other words.
_TIME = r"\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*(?:SA|CH|AM|PM|sa|ch|am|pm)\b)?|\d{1,2}h\b"
_ZONE = r"\(?\s*(?:GMT|UTC)\s*(?:[+\-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|[+\-]\d{2}:?\d{2}\b"
_WEEKDAY = (
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|\bcn\b|\bt[2-7]\b"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_CHROME = (
    r"ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc)?|ngày\s+đăng|đăng\s+lúc|đăng\s+ngày|ngày\s+xuất\s+bản|xuất\s+bản"
    r"|lượt\s+xem|ngày|lúc|giờ|đăng|published|updated|posted|date|on|at"
)
_NOISE = re.compile(rf"{_TIME}|{_ZONE}|{_WEEKDAY}|(?<!\w)(?:{_CHROME})(?!\w)", re.IGNORECASE)
_AM_PM = re.compile(r"(?<![A-Za-z])[AP]\.?M\.?(?![A-Za-z])")
_WORD = re.compile(r"[^\W\d_]+")
_DATE_MARKER = re.compile(r"\s*date\s+((?:19|20)\d\d)-(\d{1,2})(?:-(\d{1,2}))?(?![\d-])")
_LIST_ITEM = re.compile(r"^[-–•+*]\s")  # "- Thời gian: 08:30, ngày 25/04/2021" is an agenda item


def find_dateline(text: str) -> date | None:
    """The publication date from a dateline among the first non-empty lines of `text`, or None.

    A dateline is a short line holding a D/M/Y date (or ISO, or "ngày D tháng M năm Y") with at most a
    few other words besides weekday, time, time zone and chrome words such as "Cập nhật" or "Ngày đăng".
    A date inside a prose sentence ("Ngày 14/11/2005, UBND tỉnh … ban hành …") is not a dateline.
    US month/day order is used when the second number cannot be a month, or when AM/PM is written.
    """
    marker = _DATE_MARKER.match(text)
    if marker is not None:  # " date 2026-01-05 …": the stored pages' leading date marker (annotation rules)
        return _safe_date(int(marker.group(1)), int(marker.group(2)), int(marker.group(3) or 1))
    seen = 0
    for raw_line in _lines(text):
        line = unicodedata.normalize("NFC", raw_line).strip()
        if not line:
            continue
        seen += 1
        if seen > DATELINE_MAX_LINES:
            break
        if len(line) > DATELINE_MAX_CHARS or _LIST_ITEM.match(line):
            continue
        found = _dateline_date(line)
        if found is not None:
            return found
    return None


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, lazily: a 50 MB report is not split just to look at its top."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def _dateline_date(line: str) -> date | None:
    """The date on `line` if the line is dateline chrome, else None."""
    for pattern, kind in ((_DMY, "dmy"), (_WORDS, "words"), (_ISO, "iso")):
        match = pattern.search(line)
        if match is None:
            continue
        rest = line[: match.start()] + " " + line[match.end() :]
        if len(_WORD.findall(_NOISE.sub(" ", rest))) > DATELINE_MAX_OTHER_WORDS:
            return None
        if kind == "dmy":
            first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            us_order = first <= 12 and (second > 12 or bool(_AM_PM.search(rest)))
            return _safe_date(year, first, second) if us_order else _safe_date(year, second, first)
        if kind == "words":
            return _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


_ISO_FULL = re.compile(r"((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+\-]\d{2}:?\d{2})?)?")
_DMY_FULL = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2((?:19|20)\d\d)(?:\s+[\d:]+(?:\s*[AaPp][Mm])?)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-]((?:19|20)\d\d)|((?:19|20)\d\d)-(\d{1,2})")
_YEAR = re.compile(r"(?:năm\s+)?((?:19|20)\d\d)", re.IGNORECASE)
YEAR_ONLY_MONTH = 7  # a bare year becomes 1 July: mid-year, so "published in Jan-Mar" rules do not fire


def parse_date(s: str) -> date | None:
    """A manifest date value as a date, or None when it is empty or not understood.

    Accepts ISO ("2020-11-16", also with a time), D/M/Y ("16/11/2020", "16.11.2020", "16-11-2020";
    M/D/Y when the second number cannot be a month), month and year ("11/2020", "2020-11" -> the 1st)
    and a bare year ("2020" -> 2020-07-01, mid-year by convention).
    """
    value = unicodedata.normalize("NFC", s or "").strip()
    if not value:
        return None
    if match := _ISO_FULL.fullmatch(value):
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DMY_FULL.fullmatch(value):
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if first <= 12 < second:
            return _safe_date(year, first, second)
        return _safe_date(year, second, first)
    if match := _MONTH_YEAR.fullmatch(value):
        if match.group(1):
            return _safe_date(int(match.group(2)), int(match.group(1)), 1)
        return _safe_date(int(match.group(3)), int(match.group(4)), 1)
    if match := _YEAR.fullmatch(value):
        return _safe_date(int(match.group(1)), YEAR_ONLY_MONTH, 1)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """date(year, month, day) when it exists and the year is plausible, else None."""
    if year not in YEAR_RANGE:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
