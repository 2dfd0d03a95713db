"""Grids -> TableRows: find the header row, recognise a LONG or WIDE layout, read the values.

LONG: columns province, year, indicator, value (+ scope, unit, source, target), one value per row.
WIDE by indicator: a province and/or year column, then one column per indicator (a catalog header).
WIDE by year: a province and/or indicator column, then one column per year ("2019", "Năm 2020",
"KH 2025" = a target, "Sơ bộ 2020" = approximate). Header words live in `table_headers.csv`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from etl.catalog import load_catalog
from etl.model import Document, TableRow
from etl.numbers import parse_numeral
from etl.read.grids import Grid, load_csv, load_xlsx
from etl.text import fold

HEADER_SEARCH_ROWS = 15  # the header row is looked for among the first rows of a sheet
MIN_HEADER_CELLS = 2  # recognised header cells needed to accept a row as the header
TEXT_MAX_ROWS = 200  # rows of each sheet rendered into Document.text
TEXT_MAX_COLUMNS = 60  # columns of each row rendered
HEADERS_FILE = Path(__file__).with_name("table_headers.csv")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_NOT_EVALUATED = ("=", "@")  # formula-like strings are data, and never numbers


@dataclass(frozen=True)
class YearHeading:
    """A year read from a header or a year cell, with what the words around it say."""

    year: int
    is_target: bool = False
    approx: bool = False


@dataclass
class _Header:
    """The recognised columns of a header row."""

    row: int
    roles: dict[str, int] = field(default_factory=dict)  # role -> column
    years: dict[int, YearHeading] = field(default_factory=dict)  # column -> year
    indicators: dict[int, str] = field(default_factory=dict)  # column -> indicator id
    texts: dict[int, str] = field(default_factory=dict)  # column -> header text
    units: dict[int, str] = field(default_factory=dict)  # column -> "(unit)" written in the header

    @property
    def score(self) -> int:
        return len(self.roles) + len(self.years) + len(self.indicators)


def read_table(path: Path) -> Document:
    """A CSV or XLSX file -> Document with `rows` and a short text view of every sheet."""
    fmt = path.suffix.lower().lstrip(".")
    grids, warnings = load_csv(path) if fmt == "csv" else load_xlsx(path)
    rows: list[TableRow] = []
    for grid in grids:
        grid_rows, grid_warnings = rows_from_grid(grid)
        rows.extend(grid_rows)
        warnings.extend(grid_warnings)
    text = "\n\n".join(render_grid(grid) for grid in grids if grid.cells)
    return Document(name=path.name, path=str(path), fmt=fmt, text=text, title=_table_title(grids) or path.stem,
                    rows=rows, warnings=warnings)


def _table_title(grids: list[Grid]) -> str | None:
    """The first sheet's title row: a first row holding a single text cell."""
    for grid in grids:
        if grid.cells:
            first = grid.cells[min(grid.cells)]
            if len(first) == 1 and isinstance(value := next(iter(first.values())), str):
                return " ".join(value.split())
            return None
    return None


def rows_from_grid(grid: Grid) -> tuple[list[TableRow], list[str]]:
    """The TableRows of one grid, and warnings (no header found, unreadable values)."""
    where = grid.sheet or "table"
    header = _find_header(grid)
    if header is None:
        return [], [f"{where}: no recognised header row in the first {HEADER_SEARCH_ROWS} rows"]
    context = _TitleContext.above(grid, header.row)
    roles = header.roles
    if {"province", "indicator", "value"} <= roles.keys():
        rows = list(_long_rows(grid, header, context))
    elif header.indicators and ("province" in roles or "year" in roles):
        rows = list(_wide_indicator_rows(grid, header, context))
    elif header.years and ("province" in roles or "indicator" in roles):
        rows = list(_wide_year_rows(grid, header, context))
    else:
        return [], [f"{where}: header row {header.row} found but no province/indicator/year layout"]
    if not rows:
        return [], [f"{where}: header row {header.row} found but no numeric values below it"]
    return rows, []


def render_grid(grid: Grid) -> str:
    """A short text view of the grid: one line per row ("7. Lào Cai | 2020 | 912"), cells joined by " | "."""
    lines = [f"[{grid.sheet}]"] if grid.sheet is not None else []
    row_numbers = sorted(grid.cells)
    for row in row_numbers[:TEXT_MAX_ROWS]:
        cells = grid.cells[row]
        width = min(max(cells), TEXT_MAX_COLUMNS)
        shown = " | ".join(_display(cells.get(col), (row, col) in grid.percent) for col in range(1, width + 1))
        lines.append(f"{row}. {shown}")  # the row number lets a value's evidence point at its line
    if len(row_numbers) > TEXT_MAX_ROWS:
        lines.append(f"… {len(row_numbers) - TEXT_MAX_ROWS} more rows")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- header


@cache
def _vocabulary() -> dict[str, dict[str, str]]:
    """role -> {folded alias: alias} from table_headers.csv."""
    table: dict[str, dict[str, str]] = {}
    with HEADERS_FILE.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            table.setdefault(record["role"], {})[_key(record["alias"])] = record["alias"]
    return table


def _key(text: Any) -> str:
    """Folded, punctuation-free form of a header or cell text."""
    return " ".join(re.sub(r"[^\w%/]+", " ", fold(str(text))).split()).strip("/ ")


def _find_header(grid: Grid) -> _Header | None:
    """The row among the first HEADER_SEARCH_ROWS with the most recognised header cells."""
    best: _Header | None = None
    for row in sorted(grid.cells)[:HEADER_SEARCH_ROWS]:
        header = _read_header(row, grid.cells[row])
        if header.score >= MIN_HEADER_CELLS and (best is None or header.score > best.score):
            best = header
    return best


def _read_header(row: int, cells: dict[int, Any]) -> _Header:
    header = _Header(row=row)
    roles = _vocabulary()
    for column in sorted(cells):
        raw = cells[column]
        text = str(raw).strip()
        header.texts[column] = text
        unit = _PAREN.search(text)
        bare = _PAREN.sub("", text).strip() if unit else text
        if unit:
            header.units[column] = unit.group(1).strip()
        key = _key(bare)
        role = next((r for r in _ROLE_NAMES if key in roles.get(r, {})), None)
        if role is not None and role not in header.roles:
            header.roles[role] = column
            continue
        year = read_year(raw)
        if year is not None:
            header.years[column] = year
            continue
        if isinstance(raw, str) and (indicator := _match_indicator(text)):
            header.indicators[column] = indicator
    return header


_ROLE_NAMES = ("province", "year", "indicator", "value", "scope", "unit", "source", "target")


def read_year(value: Any) -> YearHeading | None:
    """2020, "2020", "Năm 2020", "KH 2025" (target), "Sơ bộ 2020" (approx); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            return None
        return YearHeading(int(value)) if 1900 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    key = _key(value)
    years = _YEAR.findall(key)
    if len(years) != 1:
        return None
    words = _YEAR.sub(" ", key).split()
    flags = _phrase_flags(words)
    if flags is None:
        return None
    return YearHeading(int(years[0]), is_target="target" in flags, approx="approx" in flags)


def _phrase_flags(words: list[str]) -> set[str] | None:
    """Cover `words` with year-heading phrases (longest first); their flags, or None if a word is left."""
    vocab = _vocabulary()
    kinds = (("year_word", ""), ("year_target_word", "target"), ("year_approx_word", "approx"))
    flags: set[str] = set()
    position = 0
    while position < len(words):
        for length in (3, 2, 1):
            phrase = " ".join(words[position : position + length])
            hit = next((flag for kind, flag in kinds if phrase in vocab.get(kind, {})), None)
            if len(words) - position >= length and hit is not None:
                if hit:
                    flags.add(hit)
                position += length
                break
        else:
            return None
    return flags


def _match_indicator(text: str) -> str | None:
    return _indicator_cache(text)


@cache
def _indicator_cache(text: str) -> str | None:
    return load_catalog().match_header(text)


@dataclass
class _TitleContext:
    """Text above the header row: a table title may name the indicator or the single year."""

    title: str | None = None
    year: YearHeading | None = None

    @classmethod
    def above(cls, grid: Grid, header_row: int) -> _TitleContext:
        texts = [
            str(value).strip()
            for row in sorted(grid.cells)
            if row < header_row
            for value in grid.cells[row].values()
            if isinstance(value, str) and value.strip()
        ]
        years = {int(y) for text in texts for y in _YEAR.findall(text)}
        title = texts[0] if texts else grid.sheet
        return cls(title=title, year=YearHeading(years.pop()) if len(years) == 1 else None)


# ---------------------------------------------------------------------------------------------- rows


def _long_rows(grid: Grid, header: _Header, context: _TitleContext) -> Iterator[TableRow]:
    roles = header.roles
    value_col = roles["value"]
    header_unit = header.units.get(value_col)
    truthy = _vocabulary().get("target_true", {})
    for row in _data_rows(grid, header):
        province = _text(grid.value(row, roles["province"]))
        indicator_text = _text(grid.value(row, roles["indicator"]))
        value = number(grid.value(row, value_col), (row, value_col) in grid.percent)
        if not province or not indicator_text or value is None:
            continue
        year = _row_year(grid, row, roles) if "year" in roles else context.year
        if "year" in roles and year is None and grid.value(row, roles["year"]) is not None:
            continue  # a year cell that is not a year ("2019-2020"): do not guess
        target_cell = _text(grid.value(row, roles["target"])) if "target" in roles else None
        is_target = bool(year and year.is_target) or (target_cell is not None and _key(target_cell) in truthy)
        unit = _text(grid.value(row, roles["unit"])) if "unit" in roles else None
        yield TableRow(
            province=province,
            year=year.year if year else None,
            indicator=_match_indicator(indicator_text) or indicator_text,
            value=value,
            scope=(_text(grid.value(row, roles["scope"])) if "scope" in roles else None) or "all",
            unit=unit or header_unit or _percent_unit(grid, row, value_col),
            source=_text(grid.value(row, roles["source"])) if "source" in roles else None,
            is_target=is_target,
            qualifier="approx" if year and year.approx else "exact",
            row_label=grid.label(row, value_col),
        )


def _wide_indicator_rows(grid: Grid, header: _Header, context: _TitleContext) -> Iterator[TableRow]:
    roles = header.roles
    for row in _data_rows(grid, header):
        province = _text(grid.value(row, roles["province"])) if "province" in roles else ""
        if province is None:
            continue
        year = _row_year(grid, row, roles) if "year" in roles else context.year
        if "year" in roles and year is None:
            continue
        for column, indicator in sorted(header.indicators.items()):
            value = number(grid.value(row, column), (row, column) in grid.percent)
            if value is None:
                continue
            yield TableRow(
                province=province,
                year=year.year if year else None,
                indicator=indicator,
                value=value,
                unit=header.units.get(column) or _percent_unit(grid, row, column),
                is_target=bool(year and year.is_target),
                qualifier="approx" if year and year.approx else "exact",
                row_label=grid.label(row, column),
            )


def _wide_year_rows(grid: Grid, header: _Header, context: _TitleContext) -> Iterator[TableRow]:
    roles = header.roles
    fallback_indicator = (_match_indicator(context.title) if context.title else None) or context.title or ""
    for row in _data_rows(grid, header):
        province = _text(grid.value(row, roles["province"])) if "province" in roles else ""
        indicator_text = _text(grid.value(row, roles["indicator"])) if "indicator" in roles else fallback_indicator
        if province is None or not indicator_text:
            continue
        unit = _text(grid.value(row, roles["unit"])) if "unit" in roles else None
        for column, year in sorted(header.years.items()):
            value = number(grid.value(row, column), (row, column) in grid.percent)
            if value is None:
                continue
            yield TableRow(
                province=province,
                year=year.year,
                indicator=_match_indicator(indicator_text) or indicator_text,
                value=value,
                unit=unit or header.units.get(column) or _percent_unit(grid, row, column),
                is_target=year.is_target,
                qualifier="approx" if year.approx else "exact",
                row_label=grid.label(row, column),
            )


def _data_rows(grid: Grid, header: _Header) -> Iterator[int]:
    return (row for row in sorted(grid.cells) if row > header.row)


def _row_year(grid: Grid, row: int, roles: dict[str, int]) -> YearHeading | None:
    return read_year(grid.value(row, roles["year"])) if "year" in roles else None


def _percent_unit(grid: Grid, row: int, column: int) -> str | None:
    return "%" if (row, column) in grid.percent else None


# ---------------------------------------------------------------------------------------------- cells


def number(value: Any, percent_format: bool = False) -> float | None:
    """A cell as a number: numeric cells as they are (× 100 when formatted as %), Vietnamese numeral
    strings through `parse_numeral` ("1.198.108", "6,2", "98,5%"); formulas-as-text are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        return round(float(value) * 100, 10) if percent_format else float(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or text.startswith(_NOT_EVALUATED):
        return None
    if text.endswith("%"):
        text = text[:-1].strip()
    text = text.replace("\u00a0", "").replace(" ", "")
    return parse_numeral(text)


def _text(value: Any) -> str | None:
    """A label cell as text (None when empty); numbers that are labels keep their digits."""
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _display(value: Any, percent_format: bool) -> str:
    """A cell for the text view: Vietnamese decimal comma, no thousands separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        shown = round(float(value) * 100, 10) if percent_format else value
        if isinstance(shown, float) and shown.is_integer():
            shown = int(shown)
        return str(shown).replace(".", ",") + ("%" if percent_format else "")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return " ".join(str(value).split())
