"""Grids -> TableRows: find the header, recognise the layout, read each value with its context.

Layouts (header words and the rules for labels live in `table_headers.csv`):

- LONG: an indicator column ("Chỉ tiêu", "Chỉ số"), a value column ("Giá trị", "Cả tỉnh", or the first
  numeric column), optionally province, year, unit, scope, source and target columns, and score and rank
  columns side by side ("Giá trị (điểm)" | "Xếp hạng (/63)"); change and index columns are skipped.
- WIDE by indicator: a province and/or year column, then one column per indicator (a catalog header).
- WIDE by year: a label column (indicators, provinces, "Tổng số", districts) and one column per year
  ("2019", "Năm 2020", "12/2008", "KH 2025" = a target, "Sơ bộ 2020" = approximate).
- YEARS AS ROWS: a column of years, one column per series under a (merged, multi-row) header; the
  series is named by its header cells together with the table title ("Số thuê bao điện thoại" +
  "Chia ra: Di động").

Context read around the values: the title rows above the header (the single year, the province, the
unit "Đơn vị tính: Nghìn thuê bao" / "(ĐVT: %)"), section rows inside the table (an index section
"Chỉ số phát triển (Năm trước = 100)" is skipped, "Phân theo thành thị, nông thôn" breakdowns and
district blocks are skipped), parent rows (a component "Viễn thông" under "Doanh thu" is not the total),
and rows that are not the province (a district, "Thành phố Hoà Bình", "Cả nước", a region, an average).
A province-less row gets the title's province; rows left without one are resolved per document later.
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

from etl import provinces
from etl.catalog import load_catalog
from etl.model import Document, TableRow
from etl.numbers import parse_numeral
from etl.read.grids import Grid, load_csv, load_xlsx
from etl.scope import scopes_after
from etl.text import fold

HEADER_SEARCH_ROWS = 15  # the header row is looked for among the first rows of a sheet
MIN_HEADER_CELLS = 2  # recognised header cells needed to accept a row as the header
MIN_YEAR_ROWS = 2  # year cells needed in a label column to read a YEARS AS ROWS table
TEXT_MAX_ROWS = 200  # rows of each sheet rendered into Document.text
TEXT_MAX_COLUMNS = 60  # columns of each row rendered
HEADERS_FILE = Path(__file__).with_name("table_headers.csv")
NATIONAL = "Cả nước"  # the province of a row that is the whole country: never a province
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTH_YEAR = re.compile(r"^\s*(?:(\d{1,2})\s*/\s*)?(\d{1,2})\s*/\s*((?:19|20)\d\d)\s*$")  # 12/2008, 31/12/2009
_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}|[ivxIVX]{1,4}|[a-zđA-ZĐ])\s*[.)/]\s+|^\s*[-+*•–]\s*")
_UNIT_NOTE = re.compile(r"(?:đơn vị tính|đơn vị|đvt|đtv|unit)\s*[:.]\s*([^;|()\n]+?)\s*(?:\)|$|;|\s-\s)", re.I)
_ENGLISH_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_RANK_OF = re.compile(r"^\s*(\d{1,3})\s*/\s*\d{1,3}\s*$")  # "30/63"
_NOT_EVALUATED = ("=", "@")  # formula-like strings are data, and never numbers
# An index's rank and score are one family; a column's kind (or its values) picks the member.
FAMILIES = {
    "dti_rank": ("dti_rank", "dti_score"), "dti_score": ("dti_rank", "dti_score"),
    "ict_index_rank": ("ict_index_rank", "ict_index_score"), "ict_index_score": ("ict_index_rank", "ict_index_score"),
}


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
    kinds: dict[int, str] = field(default_factory=dict)  # column -> rank | score | change | index
    skipped_years: set[int] = field(default_factory=set)  # "3/2010": a part-year column
    provinces: dict[int, str] = field(default_factory=dict)  # column -> province named by the header cell
    national: set[int] = field(default_factory=set)  # "Cả nước" columns

    @property
    def score(self) -> int:
        counted = sum(1 for kind in self.kinds.values() if kind in ("rank", "score"))
        return len(self.roles) + len(self.years) + len(self.indicators) + counted + len(self.provinces)


@dataclass
class _Context:
    """What the text around a table says: title, single year, province, unit, national scope."""

    title: str | None = None
    texts: list[str] = field(default_factory=list)
    year: YearHeading | None = None
    province: str = ""  # a province named in the title (or the notes), NATIONAL, or "" (unknown)
    unit: str | None = None

    @classmethod
    def of(cls, grid: Grid, header_row: int | None, default_year: YearHeading | None = None) -> _Context:
        above = [row for row in sorted(grid.cells) if header_row is None or row < header_row]
        texts = _text_rows(grid, above)
        notes = _text_rows(grid, [r for r in sorted(grid.cells) if header_row is not None and r > header_row],
                           only_single=True)
        years = {int(y) for text in texts for y in _YEAR.findall(text)}
        title = next((t for t in texts if not _UNIT_NOTE.search(t)), texts[0] if texts else grid.sheet)
        unit = next((m.group(1).strip() for t in texts if (m := _UNIT_NOTE.search(t))), None)
        province = _province_named(texts) or _province_named(notes)
        if not province and _mentions_nation(texts + notes):
            province = NATIONAL
        year = YearHeading(years.pop()) if len(years) == 1 else default_year
        return cls(title=title, texts=texts, year=year, province=province, unit=unit)


def read_table(path: Path) -> Document:
    """A CSV or XLSX file -> Document with `rows` and a short text view of every sheet."""
    fmt = path.suffix.lower().lstrip(".")
    grids, warnings = load_csv(path) if fmt == "csv" else load_xlsx(path)
    rows: list[TableRow] = []
    default_year = _first_title_year(grids)
    for grid in grids:
        grid_rows, grid_warnings = rows_from_grid(grid, default_year)
        rows.extend(grid_rows)
        warnings.extend(grid_warnings)
    text = "\n\n".join(render_grid(grid) for grid in grids if grid.cells)
    return Document(name=path.name, path=str(path), fmt=fmt, text=text, title=_table_title(grids) or path.stem,
                    rows=rows, warnings=warnings)


def _table_title(grids: list[Grid]) -> str | None:
    """The first sheet's title row: a first row holding a single text (merged cells repeat it)."""
    for grid in grids:
        if grid.cells:
            first = grid.cells[min(grid.cells)]
            values = set(first.values())
            if len(values) == 1 and isinstance(value := next(iter(values)), str):
                return " ".join(value.split())
            return None
    return None


def _first_title_year(grids: list[Grid]) -> YearHeading | None:
    """The single year in the first sheet's title rows: the default for sheets whose title has none."""
    for grid in grids:
        if grid.cells:
            header = _find_header(grid)
            start = header.row if header else _first_year_row(grid)
            return _Context.of(grid, start).year
    return None


def rows_from_grid(grid: Grid, default_year: YearHeading | None = None) -> tuple[list[TableRow], list[str]]:
    """The TableRows of one grid, and warnings (no header found, unreadable values)."""
    where = grid.sheet or "table"
    header = _find_header(grid)
    if header is None:
        rows = _years_as_rows(grid, default_year)
        if rows is None:
            return [], [f"{where}: no recognised header row in the first {HEADER_SEARCH_ROWS} rows"]
    else:
        context = _Context.of(grid, header.row, default_year)
        roles = header.roles
        _province_column_named_unit(grid, header)
        _index_columns_from_title(grid, header, context)
        value_cols = _value_columns(grid, header)
        if "indicator" in roles and len(header.provinces) >= 2 and not header.years:
            rows = list(_wide_province_rows(grid, header, context))
        elif "indicator" in roles and not header.years and value_cols:
            rows = list(_long_rows(grid, header, context, value_cols))
        elif header.indicators and ("province" in roles or "year" in roles):
            rows = list(_wide_indicator_rows(grid, header, context))
        elif header.years and (label := _label_column(grid, header)) is not None:
            rows = list(_wide_year_rows(grid, header, context, label))
        else:
            return [], [f"{where}: header row {header.row} found but no province/indicator/year layout"]
    if not rows:
        return [], [f"{where}: header found but no numeric values below it"]
    rows, dropped = _drop_conflicts(rows)
    return rows, [f"{where}: {d}" for d in dropped]


_BARE_KIND_WORDS = frozenset({"diem", "diem so", "tong diem", "gia tri", "xep hang", "thu hang", "hang", "vi tri", "score",
                              "rank", "ranking", "value"})


def _province_column_named_unit(grid: Grid, header: _Header) -> None:
    """"Khối | Đơn vị | Xếp hạng | Giá trị DTI": an "Đơn vị" column of names (bodies, provinces) is not a unit."""
    column = header.roles.get("unit")
    if column is None or "province" in header.roles:
        return
    named = sum(1 for r in _data_rows(grid, header) if _classify(_text(grid.value(r, column)) or "")[0] == "province")
    if named >= 2:
        header.roles["province"] = header.roles.pop("unit")


def _index_columns_from_title(grid: Grid, header: _Header, context: _Context) -> None:
    """Bare score and rank columns ("Điểm", "Xếp hạng") hold the index named above them: in a group header
    merged over them ("ICT Index" over "Điểm | Xếp hạng"; a component's group, "Hạ tầng kỹ thuật", is not the
    index), else in the title ("Kết quả chỉ số ICT Index năm 2018" over "TT | Tỉnh | Điểm | Xếp hạng")."""
    if "indicator" in header.roles:
        return
    title_family = FAMILIES.get(_indicator(context.title) or "") if context.title else None
    above = [r for r in sorted(grid.cells) if header.row - HEADER_ABOVE_ROWS <= r < header.row]
    for column, kind in header.kinds.items():
        if kind not in ("rank", "score") or column in header.indicators:
            continue
        if _key(_PAREN.sub("", header.texts.get(column, ""))) not in _BARE_KIND_WORDS:
            continue  # "Xếp hạng theo trụ cột", "Giá trị DTI 2020 (điểm)": says more than the kind
        group = next((t for r in reversed(above) if (t := _text(grid.value(r, column)))
                      and len({str(v) for v in grid.cells[r].values()}) > 1), None)  # not a title across the row
        family = FAMILIES.get(_indicator(group) or "") if group else title_family
        if family is not None:
            header.indicators[column] = family[0] if kind == "rank" else family[1]


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


# ---------------------------------------------------------------------------------------------- words


@cache
def _vocabulary() -> dict[str, dict[str, str]]:
    """role -> {folded alias: alias} from table_headers.csv."""
    table: dict[str, dict[str, str]] = {}
    with HEADERS_FILE.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            table.setdefault(record["role"], {})[_key(record["alias"])] = record["alias"]
    return table


def _words(role: str) -> tuple[str, ...]:
    """The folded phrases of a role, longest first."""
    return _sorted_words(role)


@cache
def _sorted_words(role: str) -> tuple[str, ...]:
    return tuple(sorted(_vocabulary().get(role, {}), key=len, reverse=True))


def _key(text: Any) -> str:
    """Folded, punctuation-free form of a header or cell text."""
    return " ".join(re.sub(r"[^\w%/]+", " ", fold(str(text))).split()).strip("/ ")


def _has(key: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", key) is not None


def _has_any(key: str, role: str) -> bool:
    return any(_has(key, phrase) for phrase in _words(role))


def _starts(key: str, role: str) -> bool:
    return any(key == p or key.startswith(p + " ") for p in _words(role))


def _label_key(text: Any) -> str:
    """The folded label without its numbering ("1.", "a)", "-", "+")."""
    return _key(_NUMBERING.sub("", str(text), count=1))


# ---------------------------------------------------------------------------------------------- header


def _find_header(grid: Grid) -> _Header | None:
    """The row among the first HEADER_SEARCH_ROWS with the most recognised header cells."""
    best: _Header | None = None
    for row in sorted(grid.cells)[:HEADER_SEARCH_ROWS]:
        header = _read_header(row, grid.cells[row])
        if header.score >= MIN_HEADER_CELLS and (best is None or header.score > best.score):
            best = header
    if best is not None:
        _units_from_rows_above(grid, best)
    return best


HEADER_ABOVE_ROWS = 3  # rows above the header row that a merged group header may stand in


def _units_from_rows_above(grid: Grid, header: _Header) -> None:
    """A multi-row header: "Số thuê bao (nghìn thuê bao)" merged over the year columns below it gives them
    its unit."""
    above = [r for r in sorted(grid.cells) if header.row - HEADER_ABOVE_ROWS <= r < header.row]
    for column in header.years:
        if column in header.units:
            continue
        for row in reversed(above):
            text = _text(grid.value(row, column))
            unit = _PAREN.search(text) if text else None
            if unit and _unit_kind(unit.group(1))[0] is not None:
                header.units[column] = unit.group(1).strip()
                break


def _read_header(row: int, cells: dict[int, Any]) -> _Header:
    header = _Header(row=row)
    roles = _vocabulary()
    if len(set(map(str, cells.values()))) == 1 and len(cells) > 1:
        return header  # one merged title cell, not a header
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
        if role is None and "province" not in header.roles and _is_province_header(key):
            role = "province"
        if role is not None and role not in header.roles:
            header.roles[role] = column
            if role == "value" and unit and (kind := _unit_kind(unit.group(1))[0]) in ("score", "rank"):
                header.kinds[column] = kind
            continue
        if unit and (kind := _unit_kind(unit.group(1))[0]) in ("score", "rank"):
            header.kinds[column] = kind  # "Giá trị DTI 2020 (điểm)": a score column, whatever it names
        if _starts(key, "column_index") or _has_any(key, "column_index"):
            header.kinds[column] = "index"
            continue
        if _starts(key, "column_change"):
            header.kinds[column] = "change"
            continue
        year = read_year(raw)
        if year is not None:
            header.years[column] = year
            continue
        if isinstance(raw, str) and _MONTH_YEAR.match(raw):
            header.skipped_years.add(column)  # a month other than December: not the year's figure
            continue
        if isinstance(raw, str) and column and (kind := _classify(bare)[0]) in ("province", "national"):
            if kind == "province":
                header.provinces[column] = _classify(bare)[1]  # a province per column: "Cả nước | Hà Giang | …"
            else:
                header.national.add(column)
            continue
        if isinstance(raw, str) and (indicator := _indicator(text)):
            header.indicators[column] = indicator
            if key.startswith(("xep hang", "thu hang", "hang")):
                header.kinds[column] = "rank"
            elif key.startswith(("diem", "tong diem")):
                header.kinds[column] = "score"
            continue
        if key in roles.get("rank", {}) or key.startswith(("xep hang", "thu hang")):
            header.kinds[column] = "rank"
        elif key in roles.get("score", {}):
            header.kinds[column] = "score"
    return header


_ROLE_NAMES = ("province", "year", "indicator", "value", "scope", "unit", "source", "target", "stt")


def _is_province_header(key: str) -> bool:
    """"Tỉnh", "Các tỉnh, thành phố trực thuộc TW", "Địa phương": a column of provinces."""
    return any(key == w or key.startswith(w + " ") for w in _words("province_word")) and "chi tieu" not in key


def read_year(value: Any) -> YearHeading | None:
    """2020, "2020", "Năm 2020", "12/2020" (year-end), "KH 2025" (target), "Sơ bộ 2020" (approx); None
    otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            return None
        return YearHeading(int(value)) if 1900 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    if m := _MONTH_YEAR.match(value):
        return YearHeading(int(m.group(3))) if int(m.group(2)) == 12 else None
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


# ---------------------------------------------------------------------------------------------- indicators


def _match_indicator(text: str) -> str | None:
    """The catalog id a header or label names, after the table rules (aliases, exclusions); None."""
    return _indicator(text)


@cache
def _indicator(text: str) -> str | None:
    key = _label_key(text)
    if not key or key in _vocabulary().get("not_indicator", {}):
        return None
    for candidate in dict.fromkeys((_without_fillers(key), key)):
        found = _alias(candidate) or load_catalog().match_header(candidate)
        if found and _allowed(found, candidate):
            return found
    return None


def _without_fillers(key: str) -> str:
    for filler in _words("filler"):
        key = re.sub(rf"(?<!\w){re.escape(filler)}(?!\w)", " ", key)
    return " ".join(key.split())


@cache
def _aliases() -> tuple[tuple[str, str], ...]:
    pairs = [(phrase, role.split(":", 1)[1]) for role, words in _vocabulary().items() if role.startswith("alias:")
             for phrase in words]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def _alias(key: str) -> str | None:
    return next((ind for phrase, ind in _aliases() if _has(key, phrase)), None)


def _allowed(indicator: str, key: str) -> bool:
    spaced = key.replace("/", " ")  # "thuê bao internet/100 dân" excludes like "… 100 dân"
    if any(_has(key, phrase) or _has(spaced, phrase) for phrase in _words(f"exclude:{indicator}")):
        return False
    required = _words(f"require:{indicator}")
    return not required or any(_has(key, phrase) or phrase in key for phrase in required)


def _member(indicator: str, kind: str | None, values: list[float]) -> str:
    """The member of an index family (rank or score) a column holds."""
    family = FAMILIES.get(indicator)
    if family is None:
        return indicator
    rank, score = family
    if kind in ("rank", "score"):
        return rank if kind == "rank" else score
    if values and all(float(v).is_integer() and v >= 1 for v in values):
        return rank
    if values and all(0 <= v <= 1 for v in values):
        return score
    return indicator


def _catalog_unit(indicator: str) -> str | None:
    ind = load_catalog().indicators.get(indicator)
    return ind.unit if ind else None


# ---------------------------------------------------------------------------------------------- labels


def _classify(label: str) -> tuple[str, str]:
    """(kind, province name): kind is national, total, district, province or text."""
    key = _label_key(label)
    if not key:
        return "text", ""
    if _starts(key, "label_national") or _has_any(key, "label_national"):
        return "national", ""
    if _starts(key, "label_total"):
        return "total", ""
    name = re.split(r"\s+-\s+", _NUMBERING.sub("", label, count=1).strip())[0]  # "Huyện Đà Bắc - Da Bac district"
    if _starts(key, "label_district"):
        return "district", ""
    city = re.match(r"(?i)^\s*(?:thành phố|tp\.?)\s+(.+)$", name)
    province = provinces.lookup(name)
    if city:
        inner = provinces.lookup(city.group(1))
        if inner is None or inner.kind != "tp":
            return "district", ""  # a provincial city ("Thành phố Hoà Bình"), not the province
        province = inner
    if province is not None:
        return "province", province.name
    return "text", ""


def _province_named(texts: list[str]) -> str:
    """The single province named (as a province) in title texts, or ""."""
    if not texts:
        return ""
    joined = " . ".join(texts)
    ids = {m.province_id for m in provinces.find_mentions(joined) if m.level == "province"}
    return provinces.get(ids.pop()).name if len(ids) == 1 else ""


def _without_places(text: str) -> str:
    """A title without the province it names ("Số thuê bao điện thoại tỉnh Nghệ An" -> "Số thuê bao
    điện thoại"), so that it can be read together with a column header."""
    for m in sorted(provinces.find_mentions(text), key=lambda m: m.start, reverse=True):
        text = text[: m.start] + text[m.end :]
    return re.sub(r"(?i)\b(?:tỉnh|thành phố|tp\.?)\s*$|\s+(?:tỉnh|thành phố)\s+", " ", text).strip()


def _mentions_nation(texts: list[str]) -> bool:
    return any(_has(_key(t), w) for t in texts for w in ("ca nuoc", "toan quoc", "viet nam", "vietnam"))


def _text_rows(grid: Grid, rows: list[int], only_single: bool = False) -> list[str]:
    """The texts of rows that hold no number (titles, unit lines, notes); merged cells count once."""
    out: list[str] = []
    for row in rows:
        values = [v for _, v in sorted(grid.cells[row].items())]
        if any(number(v) is not None for v in values):
            continue
        texts = list(dict.fromkeys(" ".join(str(v).split()) for v in values if isinstance(v, str) and v.strip()))
        if only_single and len(texts) != 1:
            continue
        out.extend(texts)
    return out


# ---------------------------------------------------------------------------------------------- units


def _unit_kind(text: str | None) -> tuple[str | None, float]:
    """(kind, factor) of a unit text: count (x1000 for "nghìn"), money (in tỷ đồng), pct, per_100, score,
    rank, length; (None, 1) when the text says nothing."""
    if not text:
        return None, 1.0
    key = _key(text)
    if "%" in text or _has(key, "phan tram"):
        return "pct", 1.0
    if _has(key, "100 dan") or "/100" in key:
        return "per_100", 1.0
    if _has(key, "dong") or _has(key, "vnd"):
        if _has(key, "nghin ty") or _has(key, "ngan ty"):
            return "money", 1000.0
        if _has(key, "ty"):
            return "money", 1.0
        if _has(key, "trieu"):
            return "money", 0.001
        return "money", None  # đồng, nghìn đồng: too small to be read as tỷ
    if _has(key, "diem phuc vu") or _has(key, "diem bdvhx"):
        return "count", 1.0
    if _has(key, "diem") or key in ("score", "pdti"):
        return "score", 1.0
    if _has(key, "hang") or re.search(r"/\s*(63|34)\b", key):
        return "rank", 1.0
    if key in ("km", "m", "km/cot") or _has(key, "km"):
        return "length", 1.0
    scale = 1000.0 if _has(key, "nghin") or _has(key, "ngan") or _has(key, "thous") else 1.0
    scale = 1_000_000.0 if _has(key, "trieu") or _has(key, "mill") else scale
    counts = ("thue bao", "may", "tram", "cai", "chiec", "tb", "buu cuc", "cot", "diem", "nguoi", "ho",
              "subscribers", "thous subscribers", "so")
    if scale != 1.0 or any(_has(key, w) for w in counts):
        return "count", scale
    return None, 1.0


def unit_factor(unit: str | None, catalog_unit: str) -> float | None:
    """The factor turning a value written in `unit` into the catalog unit; None when they do not fit."""
    kind, factor = _unit_kind(unit)
    if kind is None:
        return 1.0
    if kind == "score" and catalog_unit == "count" and _key(unit) in ("diem", "diem giao dich"):
        return 1.0  # "Số điểm phục vụ bưu chính | Điểm": points counted, not a score
    fits = {"pct": ("pct",), "count": ("count",), "bn_vnd": ("money",), "per_100": ("per_100",),
            "rank": ("rank", "count"), "score": ("score",)}
    if factor is None or kind not in fits.get(catalog_unit, (kind,)):
        return None
    return factor


# ---------------------------------------------------------------------------------------------- rows


def _value_columns(grid: Grid, header: _Header) -> list[int]:
    """LONG layout value columns: the "value" role, score/rank columns, else the first numeric column
    that is not a role, a year, a change or an index column."""
    cols = [header.roles["value"]] if "value" in header.roles else []
    cols += [c for c, k in sorted(header.kinds.items()) if k in ("rank", "score") and c not in cols]
    if cols:
        return cols
    taken = set(header.roles.values()) | set(header.years) | set(header.kinds) | set(header.indicators)
    for column in sorted(header.texts):
        if column in taken:
            continue
        cells = [grid.value(r, column) for r in sorted(grid.cells) if r > header.row]
        if sum(number(c) is not None for c in cells) >= max(1, len([c for c in cells if c is not None]) // 2):
            return [column]
    return []


def _label_column(grid: Grid, header: _Header) -> int | None:
    """The column naming each row of a WIDE-by-year table: an indicator or province role, else the
    first column left of the years that holds text below the header."""
    for role in ("indicator", "province"):
        if role in header.roles:
            return header.roles[role]
    first_year = min(header.years)
    for column in range(1, first_year):
        if column in header.roles.values():
            continue
        if any(isinstance(grid.value(r, column), str) and number(grid.value(r, column)) is None
               for r in sorted(grid.cells) if r > header.row):
            return column
    return None


@dataclass
class _RowState:
    """Section and parent rows met so far while walking down a table."""

    section: str = ""
    section_kind: str = ""  # index | district | breakdown | national | total | plain
    parent_label: str = ""
    parent_indicator: str | None = None


def _section_kind(label: str) -> str:
    key = _label_key(label)
    if _has_any(key, "column_index") or _starts(key, "column_index"):
        return "index"
    if _starts(key, "label_breakdown") or _starts(key, "filler") and _has(key, "phan theo"):
        return "breakdown"
    kind, _ = _classify(label)
    return kind if kind in ("district", "national", "total") else "plain"


def _is_child(grid: Grid, row: int, header: _Header, label: str, state: _RowState) -> bool:
    if not state.parent_label:
        return False
    if "stt" in header.roles:
        return grid.value(row, header.roles["stt"]) in (None, "")
    raw = str(label)
    return raw[:1] in "-+*•–" or _label_key(raw).startswith(("trong do", "chia ra", "of which"))


def _resolve(label: str, state: _RowState, child: bool, title: str | None) -> str | None:
    """The indicator a row label names, read with its parent row and its section when alone it names
    none; a component that would repeat its parent's indicator names none."""
    if child:
        composed = _indicator(f"{state.parent_label} {label}")
        if composed is None or composed == state.parent_indicator:
            return None
        return composed
    found = _indicator(label)
    if found is None and state.section and state.section_kind == "plain":
        found = _indicator(f"{label} {state.section}")
    return found


def _long_rows(grid: Grid, header: _Header, context: _Context, value_cols: list[int]) -> Iterator[TableRow]:
    roles = header.roles
    truthy = _vocabulary().get("target_true", {})
    state = _RowState()
    for row in _data_rows(grid, header):
        label = _text(grid.value(row, roles["indicator"]))
        values = {c: _cell_number(grid, row, c, header) for c in value_cols}
        if not label:
            continue
        if all(v is None for v in values.values()):
            state.section, state.section_kind = label, _section_kind(label)
            state.parent_label, state.parent_indicator = "", None
            continue
        if state.section_kind in ("index", "district", "national"):
            continue
        kind, _ = _classify(label)
        if kind in ("national", "district"):
            continue
        if "province" in roles:
            province = _text(grid.value(row, roles["province"]))
            if not province:
                continue
        else:
            province = context.province
        year = _row_year(grid, row, roles) if "year" in roles else context.year
        if "year" in roles and year is None and grid.value(row, roles["year"]) is not None:
            continue  # a year cell that is not a year ("2019-2020"): do not guess
        child = _is_child(grid, row, header, label, state)
        indicator = _resolve(label, state, child, context.title)
        if not child:
            state.parent_label, state.parent_indicator = label, indicator
        if indicator is None:
            if child or load_catalog().match_header(label) is not None or state.section_kind == "breakdown":
                continue
            indicator_out = label  # an unknown indicator: reported, never guessed
        else:
            indicator_out = indicator
        target_cell = _text(grid.value(row, roles["target"])) if "target" in roles else None
        is_target = bool(year and year.is_target) or (target_cell is not None and _key(target_cell) in truthy)
        unit_cell = _text(grid.value(row, roles["unit"])) if "unit" in roles else None
        for column, value in values.items():
            if value is None:
                continue
            col_kind = header.kinds.get(column)
            member = _member(indicator_out, col_kind, [value]) if indicator else indicator_out
            if col_kind == "rank" and indicator and member not in ("dti_rank", "ict_index_rank"):
                continue  # a rank column beside a plain indicator: not the indicator's value
            if col_kind == "rank" and (m := _RANK_OF.match(str(grid.value(row, column)))):
                value = float(m.group(1))
            unit = unit_cell or header.units.get(column) or _label_unit(label) or (
                context.unit if col_kind not in ("rank", "score") else None)
            yield TableRow(
                province=province,
                year=year.year if year else None,
                indicator=member,
                value=_thousands(grid, row, list(value_cols), column, member, value),
                scope=(_text(grid.value(row, roles["scope"])) if "scope" in roles else None)
                or _label_scope(label, member),
                unit=unit or _percent_unit(grid, row, column),
                source=_text(grid.value(row, roles["source"])) if "source" in roles else None,
                is_target=is_target,
                qualifier="approx" if year and year.approx else "exact",
                row_label=grid.label(row, column),
            )


def _wide_province_rows(grid: Grid, header: _Header, context: _Context) -> Iterator[TableRow]:
    """Indicators as rows, one column per province ("Chỉ tiêu | ĐVT | Cả nước | Hà Giang | Cao Bằng"); the
    national column is left out; the year is the title's."""
    roles = header.roles
    for row in _data_rows(grid, header):
        label = _text(grid.value(row, roles["indicator"]))
        if not label:
            continue
        indicator = _indicator(label)
        if indicator is None:
            continue
        unit = (_text(grid.value(row, roles["unit"])) if "unit" in roles else None) or _label_unit(label) \
            or context.unit
        for column, province in sorted(header.provinces.items()):
            value = number(grid.value(row, column), (row, column) in grid.percent)
            if value is None:
                continue
            yield TableRow(
                province=province,
                year=context.year.year if context.year else None,
                indicator=_member(indicator, header.kinds.get(column), [value]),
                value=value,
                scope=_label_scope(label, indicator),
                unit=unit or _percent_unit(grid, row, column),
                is_target=bool(context.year and context.year.is_target),
                qualifier="approx" if context.year and context.year.approx else "exact",
                row_label=grid.label(row, column),
            )


def _wide_indicator_rows(grid: Grid, header: _Header, context: _Context) -> Iterator[TableRow]:
    roles = header.roles
    columns = {c: [v for r in _data_rows(grid, header) if (v := number(grid.value(r, c))) is not None]
               for c in header.indicators}
    members = {c: _member(ind, header.kinds.get(c), columns[c]) for c, ind in header.indicators.items()}
    # a bare "Xếp hạng" column beside an index's score column (or under a title naming the index): its rank
    families = {FAMILIES[ind] for ind in list(header.indicators.values())
                + [_indicator(context.title) if context.title else None] if ind in FAMILIES}
    if len(families) == 1:
        family = next(iter(families))
        for column, kind in header.kinds.items():
            member = family[0] if kind == "rank" else family[1] if kind == "score" else None
            if member and column not in members and member not in members.values():
                members[column] = member
    for row in _data_rows(grid, header):
        province = _text(grid.value(row, roles["province"])) if "province" in roles else context.province
        if province is None:
            continue
        if "province" in roles:
            kind, name = _classify(province)
            if kind in ("national", "district"):
                continue
            if kind == "total":
                province = context.province
        year = _row_year(grid, row, roles) if "year" in roles else context.year
        if "year" in roles and year is None:
            continue
        for column, indicator in sorted(members.items()):
            value = number(grid.value(row, column), (row, column) in grid.percent)
            if value is None and indicator in FAMILIES and (m := _RANK_OF.match(str(grid.value(row, column)))):
                value = float(m.group(1))  # "6/63"
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


def _wide_year_rows(grid: Grid, header: _Header, context: _Context, label_col: int) -> Iterator[TableRow]:
    roles = header.roles
    by_role = "indicator" in roles or "province" in roles
    title_indicator = _indicator(context.title) if context.title else None
    state = _RowState()
    for row in _data_rows(grid, header):
        label = _text(grid.value(row, label_col))
        if not label:
            continue
        values = {c: number(grid.value(row, c), (row, c) in grid.percent) for c in header.years}
        if all(v is None for v in values.values()):
            state.section, state.section_kind = label, _section_kind(label)
            if not (state.section_kind == "plain" and "stt" in roles and grid.value(row, roles["stt"])):
                state.parent_label, state.parent_indicator = "", None
            else:
                state.parent_label, state.parent_indicator = label, _indicator(label)
            continue
        if state.section_kind in ("index", "district", "national"):
            continue
        province = context.province
        if "province" in roles and label_col == roles["province"]:
            kind, name = _classify(label)
            if kind in ("national", "district"):
                continue
            province = name or label if kind != "total" else context.province
            indicator = _indicator(_text(grid.value(row, roles["indicator"])) or "") if "indicator" in roles \
                else title_indicator
        else:
            kind, name = _classify(label)
            if kind in ("national", "district"):
                continue
            child = _is_child(grid, row, header, label, state)
            indicator = _resolve(label, state, child, context.title)
            if not child:
                state.parent_label, state.parent_indicator = label, indicator
            if indicator is not None:
                state.section_kind = "plain" if state.section_kind == "breakdown" else state.section_kind
            elif state.section_kind == "breakdown":
                continue
            elif kind in ("total", "province") and not by_role:
                indicator = title_indicator
                province = name or context.province
            elif "indicator" in roles and not child and load_catalog().match_header(label) is None:
                indicator = label  # an unknown indicator: reported, never guessed
        if indicator is None:
            continue
        unit = (_text(grid.value(row, roles["unit"])) if "unit" in roles else None) or _label_unit(label) \
            or context.unit
        nums = [v for v in values.values() if v is not None]
        member = _member(indicator, None, nums)
        for column, year in sorted(header.years.items()):
            value = values[column]
            if value is None:
                continue
            yield TableRow(
                province=province,
                year=year.year,
                indicator=member,
                value=_thousands(grid, row, list(header.years), column, member, value),
                scope=_label_scope(label, member),
                unit=unit or header.units.get(column) or _percent_unit(grid, row, column),
                is_target=year.is_target,
                qualifier="approx" if year.approx else "exact",
                row_label=grid.label(row, column),
            )


def _label_scope(label: str, indicator: str) -> str:
    """The level a share's row label names ("Tỷ lệ thôn có sóng di động" -> village), for the indicators whose
    scope is a level (the catalog's `scoped`); 'all' when it names none or several."""
    ind = load_catalog().indicators.get(indicator)
    if ind is None or ind.unit != "pct" or not ind.scoped:
        return "all"
    text = _NUMBERING.sub("", label, count=1).lower()
    start = m.end() if (m := _RATE_WORDS.match(text)) else 0
    found = [s for s in scopes_after(text, start, len(text)) if s != "household"]
    return found[0] if len(found) == 1 else "all"


_RATE_WORDS = re.compile(r"\s*(?:tỷ lệ|tỉ lệ)\s+(?:số\s+)?")


def _first_year_row(grid: Grid) -> int | None:
    for column in (1, 2):
        years = [r for r in sorted(grid.cells) if read_year(grid.value(r, column)) is not None]
        if len(years) >= MIN_YEAR_ROWS:
            return years[0]
    return None


def _years_as_rows(grid: Grid, default_year: YearHeading | None) -> list[TableRow] | None:
    """YEARS AS ROWS: a year column and series columns named by the header rows above the first year
    (merged cells already repeat their text) together with the table title; None when not this layout."""
    for year_col in (1, 2):
        year_rows = [r for r in sorted(grid.cells) if read_year(grid.value(r, year_col)) is not None]
        if len(year_rows) >= MIN_YEAR_ROWS:
            break
    else:
        return None
    first = year_rows[0]
    above = [r for r in sorted(grid.cells) if r < first]
    header_rows = [r for r in above if len(set(map(str, grid.cells[r].values()))) > 1]
    title_rows = [r for r in above if r not in header_rows]
    context = _Context.of(grid, header_rows[0] if header_rows else first, default_year)
    context.texts = _text_rows(grid, title_rows)
    columns = sorted({c for r in year_rows for c in grid.cells[r] if c > year_col})
    series: dict[int, str] = {}
    parts: set[int] = set()
    units: dict[int, str] = {}
    for column in columns:
        path = list(dict.fromkeys(str(grid.value(r, column)).strip() for r in header_rows
                                  if grid.value(r, column) not in (None, "")))
        if not path:
            continue
        leaf = path[-1]
        key = _key(leaf)
        if _has_any(key, "column_index") or _starts(key, "column_change"):
            continue
        if paren := _PAREN.search(leaf):
            units[column] = paren.group(1)
        indicator = _indicator(leaf) or _indicator(" ".join(path))
        if indicator is None and context.title:
            title = _without_places(context.title)
            indicator = _indicator(f"{title} {leaf}") or _indicator(f"{title} {' '.join(path)}")
        if indicator is not None:
            series[column] = indicator
            if len(path) > 1 and _starts(_key(path[0]), "filler"):
                parts.add(column)  # under "Chia ra" / "Trong đó": a part of the total
    for column in sorted(parts):
        if any(series[c] == series[column] for c in series if c not in parts):
            del series[column]  # a part that reads as its total's indicator is not the total
    rows: list[TableRow] = []
    skipping = False
    for row in sorted(grid.cells):
        if row < first:
            continue
        year = read_year(grid.value(row, year_col))
        if year is None:
            label = _text(grid.value(row, year_col)) or next(
                (v for v in grid.cells[row].values() if isinstance(v, str)), "")
            skipping = bool(label) and _section_kind(str(label)) in ("index", "district", "national", "breakdown")
            continue
        if skipping:
            continue
        for column, indicator in sorted(series.items()):
            value = number(grid.value(row, column), (row, column) in grid.percent)
            if value is None:
                continue
            unit = units.get(column) or context.unit
            rows.append(TableRow(
                province=context.province, year=year.year, indicator=indicator,
                value=_thousands(grid, row, list(series), column, indicator, value),
                unit=unit or _percent_unit(grid, row, column), is_target=year.is_target,
                qualifier="approx" if year.approx else "exact", row_label=grid.label(row, column),
            ))
    return rows


def _data_rows(grid: Grid, header: _Header) -> Iterator[int]:
    return (row for row in sorted(grid.cells) if row > header.row)


def _row_year(grid: Grid, row: int, roles: dict[str, int]) -> YearHeading | None:
    return read_year(grid.value(row, roles["year"])) if "year" in roles else None


def _percent_unit(grid: Grid, row: int, column: int) -> str | None:
    return "%" if (row, column) in grid.percent else None


def _label_unit(label: str) -> str | None:
    """A unit written at the end of a row label: "Bán kính phục vụ (km)"."""
    m = _PAREN.search(label or "")
    return m.group(1).strip() if m and _unit_kind(m.group(1))[0] else None


def _cell_number(grid: Grid, row: int, column: int, header: _Header) -> float | None:
    raw = grid.value(row, column)
    if header.kinds.get(column) == "rank" and isinstance(raw, str) and (m := _RANK_OF.match(raw)):
        return float(m.group(1))
    return number(raw, (row, column) in grid.percent)


def _thousands(grid: Grid, row: int, columns: list[int], column: int, indicator: str, value: float) -> float:
    """A count written with English thousands commas ("182,340", "11,878") is 182340, not 182,34: read so
    when the indicator counts and every comma in the row's cells groups exactly three digits."""
    raw = grid.value(row, column)
    if _catalog_unit(indicator) != "count" or not isinstance(raw, str) or not _ENGLISH_THOUSANDS.match(raw.strip()):
        return value
    texts = [c.strip() for c in (grid.value(row, c) for c in columns) if isinstance(c, str) and c.strip()]
    if all(_ENGLISH_THOUSANDS.match(t) or re.fullmatch(r"\d{1,3}", t) for t in texts):
        return float(raw.strip().replace(",", ""))
    return value


def _drop_conflicts(rows: list[TableRow]) -> tuple[list[TableRow], list[str]]:
    """Rows naming the same (province, year, indicator, scope) with different values are parts of one
    another (central / district / area post offices) or a misread: none of them is kept."""
    values: dict[tuple, set[float]] = {}
    for r in rows:
        values.setdefault((r.province, r.year, r.indicator, r.scope, r.is_target), set()).add(r.value)
    bad = {k for k, v in values.items() if len(v) > 1}
    kept = [r for r in rows if (r.province, r.year, r.indicator, r.scope, r.is_target) not in bad]
    return kept, [f"{k[2]} {k[1]}: {len(values[k])} different values in one table; none kept" for k in sorted(
        bad, key=str)]


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
