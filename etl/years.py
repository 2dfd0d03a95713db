"""Which year a figure refers to.

Order (see README, "Year of each value"): a year bound to the figure ("vị trí số 58 năm 2017"); the nearest
year expression before it in its sentence ("Năm 2013, ...", "đến hết năm 2013", "ICT Index 2016"); the
year that leads its paragraph; otherwise the document's as-of year (the dateline's year, the previous
year for a year-end review published in January-March, or anniversary arithmetic), which may be None.
Plan periods ("giai đoạn 2016 - 2020"), comparison years ("so với năm 2019") and event dates are never
reference years. A horizon after the publication year ("đến năm 2025") marks a target.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from etl.context import context_rules


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int
    kind: str  # year | asof | edition | horizon


# Every year expression contains a four-digit year; the rules (etl/rules/context.yaml) only ever run in
# windows around one, which is six regular expressions over a few hundred characters instead of over the
# whole document. A window reaches further than any rule's match around its year.
_YEAR = re.compile(r"(?:19|20)\d\d")
_WINDOW_BEFORE, _WINDOW_AFTER = 160, 40
REPORT_FRAME_CHARS = 800


def year_windows(folded: str) -> list[tuple[int, int]]:
    """Disjoint spans of `folded` around its four-digit years, in order."""
    windows: list[tuple[int, int]] = []
    for m in _YEAR.finditer(folded):
        lo, hi = max(0, m.start() - _WINDOW_BEFORE), m.end() + _WINDOW_AFTER
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def year_mentions(folded: str) -> list[YearMention]:
    """Every reference-year expression in the folded text, sorted, periods and comparisons removed."""
    rules = context_rules().years
    windows = year_windows(folded)
    blocked: list[tuple[int, int]] = []
    for key in ("period", "comparison"):
        blocked.extend(m.span() for lo, hi in windows for m in rules[key].finditer(folded, lo, hi))
    found: dict[int, YearMention] = {}
    for kind in ("asof_date", "horizon", "edition", "year"):
        for lo, hi in windows:
            for m in rules[kind].finditer(folded, lo, hi):
                s, e = m.span()
                if any(bs <= s < be or bs < e <= be for bs, be in blocked):
                    continue
                ystart = m.start(1)
                if ystart in found:
                    continue
                found[ystart] = YearMention(s, e, int(m.group(1)), "asof" if kind == "asof_date" else kind)
    return sorted(found.values(), key=lambda y: y.start)


_TODAY = re.compile(r"\b(?:sang|chieu|toi|trua|hom) nay\s*(?:,\s*)?\(?(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\b(?!\s*/)")


@lru_cache(maxsize=4)
def _line_lead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile("(?m)^" + pattern.pattern)


def _conflicting_today(folded: str, published: date) -> bool:
    """real-dev b/README: "Conflicting dates → blank" (a dateline of 21/03/2023 over "Chiều nay (19/10)")."""
    for m in _TODAY.finditer(folded, 0, 1500):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            try:
                said = published.replace(month=month, day=day)
            except ValueError:
                continue
            if abs((said - published).days) > 3:
                return True
    return False


def as_of_year(folded: str, published: date | None) -> tuple[int | None, str]:
    """The year "hiện nay / đến nay" refers to in this document, and how it was found."""
    ctx = context_rules()
    if published is not None and _conflicting_today(folded, published):
        return None, "conflicting dates (the text's 'hôm nay' is another day than the dateline)"
    if published is not None:
        y = published.year
        if published.month <= 3:
            for m in ctx.review.finditer(folded):
                if int(m.group(1)) == y - 1:
                    return y - 1, "year-end review published early in the next year"
            for m in _line_lead(ctx.years["paragraph_lead"]).finditer(folded):
                if int(m.group(1)) == y - 1:  # "Trong năm 2023, Sở TT-TT tham mưu …" in a January 2024 report
                    return y - 1, "a review of the previous year published early in the next (a paragraph led by it)"
        return y, "publication date"
    n_years = None
    for m in ctx.anniversary.finditer(folded):
        n = next(int(g) for g in m.groups() if g)
        if 1 <= n <= 100:
            n_years = n
            break
    if n_years is None:
        m = ctx.report_frame.search(folded, 0, REPORT_FRAME_CHARS)
        if m is not None:
            return int(m.group(1)), "the year of the report the page is about"
        m = ctx.lead_frame.search(folded, 0, REPORT_FRAME_CHARS)
        if m is not None:
            return int(next(g for g in m.groups() if g)), "the date, period or results date the page's lead reports on"
        return None, "no date"
    for m in ctx.founding.finditer(folded):
        lo, hi = max(0, m.start() - 200), min(len(folded), m.end() + 200)
        for d in ctx.full_date.finditer(folded, lo, hi):
            year = int(d.group(3) or d.group(6))
            return year + n_years, f"anniversary: founded {year} + {n_years} years"
    return None, "anniversary without a founding date"


_CLAUSE_BREAK = re.compile(r"[;,:]|\d|\bva\b")
_BRACKETED_AFTER = re.compile(r"^[^\d;,.()]{0,40}\(\s*$")
_CLOSING = re.compile(r"\s*\)")
# a year that opens the next clause with its own figure: "đạt 80%, năm 2019 đạt 70%", "30/63, năm 2015 xếp thứ 35"
_HEADS_NEXT = re.compile(r"\s*,?\s*[^\d.,;:()]{0,30}?\b(?:dat|co|la|xep|dung|giu|chiem)\b[^\d.;]{0,25}\d")
_GAP_AFTER = re.compile(r"^\s*(?:diem\b)?[\s,(]*(?:vao |trong |tai )?$")


def bind_year(
    q_start: int, q_end: int, sent: tuple[int, int], para_lead: int | None,
    mentions: list[YearMention], folded: str, as_of: int | None, published: date | None,
) -> tuple[int | None, str, bool]:
    """(year, how, is_target_horizon) for a quantity at [q_start, q_end) in sentence `sent`."""
    s0, s1 = sent
    lo = bisect.bisect_left(mentions, s0, key=lambda m: m.start)
    hi = bisect.bisect_right(mentions, s1, lo=lo, key=lambda m: m.start)
    in_sent = [m for m in mentions[lo:hi] if m.end <= s1]
    for m in in_sent:  # bound right after the figure: "vị trí số 58 năm 2017"
        if m.start >= q_end and m.start - q_end <= 14 and _GAP_AFTER.match(folded[q_end:m.start]) \
                and not _HEADS_NEXT.match(folded, m.end, s1):
            return _resolve(m, published, as_of)
    for m in in_sent:  # the noun phrase closed by a bracketed year: "1.200 trạm BTS (năm 2020)"
        if q_end <= m.start <= q_end + 40 and _BRACKETED_AFTER.match(folded[q_end:m.start]) \
                and _CLOSING.match(folded, m.end):
            return _resolve(m, published, as_of)
    before = [m for m in in_sent if m.end <= q_start]
    if before:
        return _resolve(before[-1], published, as_of)
    for m in in_sent:  # "có hơn 2.000 trạm ... đến năm 2018": an as-of year closing the figure's clause
        if m.kind in ("asof", "horizon") and q_end <= m.start <= q_end + 60 \
                and not _CLAUSE_BREAK.search(folded, q_end, m.start):
            return _resolve(m, published, as_of)
        # "có 1.200 trạm BTS năm 2020, …": the year closing the figure's noun phrase
        if m.kind == "year" and q_end <= m.start <= q_end + 30 and not _CLAUSE_BREAK.search(folded, q_end, m.start) \
                and not _HEADS_NEXT.match(folded, m.end, s1):
            return _resolve(m, published, as_of)
    if para_lead is not None:
        return para_lead, "paragraph lead", False
    if as_of is not None:
        return as_of, "document as-of year", False
    return None, "unknown", False


def _resolve(m: YearMention, published: date | None, as_of: int | None) -> tuple[int, str, bool]:
    if m.kind == "horizon":
        ref = published.year if published else as_of
        if ref is not None and m.year > ref:
            return m.year, "target horizon", True
    return m.year, f"explicit ({m.kind})", False
