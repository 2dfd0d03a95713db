"""Stage: statistical tables that reached a page as text -> Observations.

Yearbook pages ("Niên giám thống kê") turned into text keep a table's cells one a line (or one row a
line): a title ("Số thuê bao điện thoại"), column labels in Vietnamese and English, then rows of a
year and its values. Steps, with the rules in `etl/rules/text_tables.yaml`:

1. cells   - each line is a year cell ("2015", "Sơ bộ - Prel. 2020"), value cells or text;
2. rows    - a year cell and the values after it; blocks of at least `min_rows` rows of equal width;
3. header  - the text above a block: its title gives the total column's indicator, its Vietnamese
             labels the columns (total first, then its parts, then the other measures, as GSO lays
             them out), a scale word ("Nghìn thuê bao") multiplies; an index section is skipped;
4. values  - one observation per cell of a known indicator, for the document's province.
A block whose labels do not account for every column is left alone: a wrong column is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from etl.model import Observation
from etl.numbers import parse_numeral
from etl.yamlfile import load_yaml

RULES_PATH = Path(__file__).parent / "rules" / "text_tables.yaml"
_YEAR_LINE = re.compile(r"^[ \t]*(?:19|20)\d\d(?:[ \t]|$)", re.M)
_NUMBERED_TITLE = re.compile(r"^\d{1,3}\.\s")
_ENGLISH = re.compile(r"\b(?:total|of which|number|subscribers?|mobi-?phone|telephone|prel|index|previous|"
                      r"fixed|mobile|thousands?|unit)\b")


@dataclass
class _Rules:
    year_cell: re.Pattern[str]
    prel_start: re.Pattern[str]
    value_cell: re.Pattern[str]
    min_rows: int
    header_reach: int
    not_label: re.Pattern[str]
    columns: list[tuple[re.Pattern[str], str, str | None]]
    titles: list[tuple[re.Pattern[str], str]]
    skip_section: re.Pattern[str]
    thousands: re.Pattern[str]
    millions: re.Pattern[str]


@lru_cache(maxsize=1)
def rules(path: Path = RULES_PATH) -> _Rules:
    raw: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    return _Rules(
        year_cell=re.compile(raw["year_cell"]), prel_start=re.compile(raw["prel_start"]),
        value_cell=re.compile(raw["value_cell"]), min_rows=int(raw["min_rows"]),
        header_reach=int(raw["header_reach"]), not_label=re.compile(raw["not_label"]),
        columns=[(re.compile(c["label"]), c["role"], c.get("indicator")) for c in raw["columns"]],
        titles=[(re.compile(t["title"]), t["indicator"]) for t in raw["titles"]],
        skip_section=re.compile(raw["skip_section"]), thousands=re.compile(raw["thousands"]),
        millions=re.compile(raw["millions"]),
    )


@dataclass
class _Line:
    start: int
    end: int
    folded: str
    raw: str


@dataclass
class _Row:
    year: int
    prel: bool
    start: int
    end: int
    values: list[str] = field(default_factory=list)


def _lines(text: str, folded: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            s = pos + raw.index(stripped[0])
            out.append(_Line(s, s + len(stripped), folded[s:s + len(stripped)], stripped))
        pos += len(raw) + 1
    return out


def extract_text_tables(d: Any) -> list[Observation]:
    """Observations from yearbook tables written as text in document `d` (extract._Doc)."""
    if d.province_id is None or _YEAR_LINE.search(d.text) is None:
        return []  # no line starts with a year: no yearbook table (most pages)
    lines = _lines(d.text, d.folded)
    rows, texts = _rows(lines)
    out: list[Observation] = []
    for block in _blocks(rows, texts):
        out.extend(_block(d, lines, block))
    return out


def _rows(lines: list[_Line]) -> tuple[list[tuple[int, _Row]], list[int]]:
    """(line index of each row, row) and the indexes of text lines."""
    r = rules()
    rows: list[tuple[int, _Row]] = []
    texts: list[int] = []
    current: _Row | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        toks = ln.folded.split()
        year_m = r.year_cell.match(ln.folded)
        used = 1
        if year_m is None and r.prel_start.match(ln.folded):
            joined = ln.folded
            for j in range(1, 3):  # "Sơ bộ -" / "Prel" / ". 2016"
                if i + j >= len(lines):
                    break
                joined += " " + lines[i + j].folded
                year_m = r.year_cell.match(" ".join(joined.split()))
                if year_m:
                    used = j + 1
                    break
        if year_m is None and toks and r.year_cell.match(toks[0]) and len(toks) > 1 \
                and all(r.value_cell.match(t) for t in toks[1:]):
            current = _Row(int(toks[0]), False, ln.start, ln.end, toks[1:])
            rows.append((i, current))
            current = None
            i += 1
            continue
        if year_m is not None:
            current = _Row(int(year_m.group("year")), bool(year_m.group("prel")), ln.start,
                           lines[i + used - 1].end)
            rows.append((i, current))
            i += used
            continue
        if current is not None and toks and all(r.value_cell.match(t) for t in toks):
            current.values.extend(toks)
            current.end = ln.end
            i += 1
            continue
        current = None
        texts.append(i)
        i += 1
    return rows, texts


def _blocks(rows: list[tuple[int, _Row]], texts: list[int]) -> list[list[tuple[int, _Row]]]:
    """Runs of consecutive rows (no text line between) of equal width, at least `min_rows` long."""
    r = rules()
    text_set = set(texts)
    blocks: list[list[tuple[int, _Row]]] = []
    run: list[tuple[int, _Row]] = []
    for item in rows:
        if run and (len(item[1].values) != len(run[-1][1].values) or item[1].year <= run[-1][1].year
                    or any(k in text_set for k in range(run[-1][0] + 1, item[0]))):
            if len(run) >= r.min_rows:
                blocks.append(run)
            run = []
        if item[1].values:
            run.append(item)
    if len(run) >= r.min_rows:
        blocks.append(run)
    return blocks


def _block(d: Any, lines: list[_Line], block: list[tuple[int, _Row]]) -> list[Observation]:
    r = rules()
    first = block[0][0]
    header = [ln for ln in lines[max(0, first - r.header_reach):first]]
    # the header stops at an earlier table's last value line
    for k in range(len(header) - 1, -1, -1):
        if r.value_cell.match(header[k].folded.split()[-1] if header[k].folded.split() else ""):
            header = header[k + 1:]
            break
    head_text = " ".join(ln.folded for ln in header)
    if r.skip_section.search(" ".join(ln.folded for ln in header[-4:])):
        return []
    title_ind = next((ind for pat, ind in r.titles if pat.search(head_text)), None)
    totals, parts, others = [], [], []
    title = next((ln for ln in header if not ln.raw.isascii() and (
        _NUMBERED_TITLE.match(ln.folded) or any(pat.search(ln.folded) for pat, _ in r.titles))), None)
    header = [ln for ln in header if ln is not title]  # the title names the table, not a column
    for ln in header:
        if ln.raw.isascii() and _ENGLISH.search(ln.folded):
            continue
        label = re.sub(r"\s+-\s+[A-Za-z].*$", "", ln.folded).strip()  # "Di động - Mobi-phone"
        if r.not_label.match(label) or r.skip_section.search(label):
            continue
        for pat, role, ind in r.columns:
            if pat.search(label):
                (totals if role == "total" else parts if role == "part" else others).append(
                    title_ind if role == "total" else ind)
                break
    columns = totals + parts + others
    width = len(block[0][1].values)
    if len(totals) > 1 or len(columns) != width:
        return []  # the labels do not account for every column: leave the table alone
    scale = 1000.0 if r.thousands.search(head_text) else 1e6 if r.millions.search(head_text) else 1.0
    out: list[Observation] = []
    from etl.extract import _province_as_named

    for _, row in block:
        name, code = _province_as_named(d.province_id, d.doc.published, row.year)
        for ind_id, cell in zip(columns, row.values, strict=True):
            if ind_id is None or ind_id not in d.catalog.indicators:
                continue
            ind = d.catalog.indicators[ind_id]
            value = parse_numeral(cell)
            if value is None:
                continue
            value *= scale
            if ind.unit == "count" and value != int(value):
                continue  # an index or a rate, not a count
            if not ind.within_hard(value):
                continue
            out.append(Observation(
                doc=d.doc.name, province=name, province_code=code, year=row.year, indicator=ind_id,
                scope="all", value=value, unit=ind.unit, qualifier="approx" if row.prel else "exact",
                is_target=False, evidence=d.source[row.start:row.end], start=row.start, end=row.end,
                rule="text_table", confidence=0.8,
            ))
    return out
