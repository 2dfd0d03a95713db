"""Stage: a table flattened into running text, indicators as rows and years as columns -> Observations.

Report pages and yearbook excerpts often keep a table as lines of text, one row a line:

    Chỉ tiêu Đơn vị 2010 2011 2012 2013
    Số thuê bao điện thoại Thuê bao 850.120 910.300 950.400 980.100
    Mật độ điện thoại Máy/100 dân 68,5 73,2 76,1 78,4

Steps: a header line ending in two or more year headings ("2019", "Sơ bộ 2020", "KH 2025"); the lines
below it that end in exactly as many numbers (a label, then one value per year); the title line above.
They become a grid that the table reader (`etl/read/tables.py`, the same header vocabulary, units, targets
and "Sơ bộ" years as CSV/XLSX files) reads, and its rows are resolved like a table file's
(`etl/extract_tables.py`). Every value keeps its line of the page as evidence. A row the reader cannot name
is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from etl.model import Document, Observation
from etl.read.grids import Grid
from etl.read.tables import rows_from_grid

_YEAR_HEAD = r"(?:(?:sơ bộ|ước th|ước tính|ước|kh|kế hoạch|thực hiện|th|năm)\s*)?(?:19|20)\d\d"
_HEADER_TAIL = re.compile(rf"(?:\s+|^)((?:{_YEAR_HEAD}\s+)+{_YEAR_HEAD})\s*$", re.IGNORECASE)
_YEAR_TOKEN = re.compile(_YEAR_HEAD, re.IGNORECASE)
_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?|-|…|\.\.\.)"
_MIN_ROWS = 1
MAX_LINE = 300  # longer lines are prose: never matched as table rows (and regex time stays linear)
_MAX_ROWS = 40


def extract_text_grids(d: Any) -> list[Observation]:
    """Observations from indicator x year tables written as text in document `d` (extract._Doc)."""
    lines = _lines(d.source)
    out: list[Observation] = []
    i = 0
    while i < len(lines):
        start, end, text = lines[i]
        head = _HEADER_TAIL.search(text) if len(text) <= MAX_LINE else None  # a table's lines are short
        years = _YEAR_TOKEN.findall(head.group(1)) if head else []
        if len(years) < 2:
            i += 1
            continue
        tail = re.compile(rf"^(.*?\S)\s+((?:{_NUMBER}\s+){{{len(years) - 1}}}{_NUMBER})\s*$")
        rows: list[tuple[int, int, str, list[str]]] = []
        j = i + 1
        while j < len(lines) and len(rows) < _MAX_ROWS:
            m = tail.match(lines[j][2]) if len(lines[j][2]) <= MAX_LINE else None
            if m is None or re.fullmatch(rf"(?:{_NUMBER}\s*)+", m.group(1)):
                break
            rows.append((lines[j][0], lines[j][1], m.group(1), m.group(2).split()))
            j += 1
        if len(rows) >= _MIN_ROWS:
            title = lines[i - 1][2] if i > 0 and len(lines[i - 1][2]) <= MAX_LINE \
                and not _HEADER_TAIL.search(lines[i - 1][2]) else ""
            label = text[:head.start()].strip() or "Chỉ tiêu"
            out.extend(_observe(d, title, label, years, rows))
        i = max(j, i + 1)
    return out


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            s = pos + raw.index(stripped[0])
            out.append((s, s + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _observe(d: Any, title: str, label: str, years: list[str], rows: list[tuple[int, int, str, list[str]]]
             ) -> list[Observation]:
    from etl.extract_tables import extract_rows  # the table path resolves rows (units, provinces, bounds)

    cells: dict[int, dict[int, Any]] = {}
    if title:
        cells[1] = {1: title}
    cells[2] = {1: label if _looks_like_label_header(label) else "Chỉ tiêu",
                **{k + 2: y for k, y in enumerate(years)}}
    for n, (_, _, row_label, values) in enumerate(rows, 3):
        cells[n] = {1: row_label, **{k + 2: v for k, v in enumerate(values) if v not in ("-", "…", "...")}}
    table_rows, _ = rows_from_grid(Grid(sheet=None, cells=cells))
    if not table_rows:
        return []
    from etl import provinces

    province = provinces.get(d.province_id) if d.province_id else None
    rendered = "\n".join(f"{n}. {line}" for n, (_, _, line, _) in enumerate(
        [(s0, s1, d.source[s0:s1], v) for s0, s1, _, v in rows], 3))  # "3. <the page's line>", as a table renders
    doc = Document(name=d.doc.name, path=d.doc.path, fmt="txt", text=rendered, rows=table_rows,
                   province_hint=province.name if province else None, url=d.doc.url, title=d.doc.title)
    result = _Collected()
    extract_rows(doc, d.catalog, result)
    out = []
    for o in result.observations:
        n = re.match(r"(\d+)\. ", o.evidence)
        if n is None:
            continue
        s0, s1 = rows[int(n.group(1)) - 3][:2]
        o.evidence, o.start, o.end, o.rule = d.source[s0:s1], s0, s1, "text table (indicators x years)"
        out.append(o)
    return out


class _Collected:
    """What extract_rows appends to: observations and dropped rows."""

    def __init__(self) -> None:
        self.observations: list[Observation] = []
        self.dropped: list[tuple[str, str]] = []


def _looks_like_label_header(text: str) -> bool:
    return len(text) <= 40
