"""Exports of warehouse tables for people: CSV that Excel opens in Vietnamese, XLSX, Parquet.

`export_frame` turns a DataFrame into file bytes (the dashboard's download buttons use it);
`write_export` writes them to disk; `query_facts` is the filtered read behind `ictdash export`.
Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading `'`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

Format = Literal["csv", "xlsx", "parquet"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")

# Excel forbids / \ ? * [ ] : in sheet names, so the two languages are joined by an en dash.
DATA_SHEET = "Dữ liệu – Data"
DEFINITIONS_SHEET = "Định nghĩa – Definitions"
DEFINITION_COLUMNS = ["indicator_id", "name_vi", "name_en", "unit", "definition_vi", "definition_en", "source"]

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """Prefix `'` to a string a spreadsheet would evaluate as a formula; other values pass through."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells are neutralized; numeric columns are left as numbers."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            out[column] = series.map(neutralize, na_action="ignore")
    return out


def definitions_for(df: pd.DataFrame) -> pd.DataFrame | None:
    """Catalog definitions of the indicators present in `df` (column `indicator_id`), or None."""
    if "indicator_id" not in df.columns:
        return None
    from etl.catalog import load_catalog

    catalog = load_catalog()
    wanted = sorted({str(i) for i in df["indicator_id"].dropna().unique()})
    rows = []
    for indicator_id in wanted:
        ind = catalog.indicators.get(indicator_id)
        if ind is not None:
            rows.append({c: getattr(ind, "id" if c == "indicator_id" else c, None) for c in DEFINITION_COLUMNS})
    return pd.DataFrame(rows, columns=DEFINITION_COLUMNS)


def export_frame(df: pd.DataFrame, fmt: Format, definitions: pd.DataFrame | None = None) -> bytes:
    """Serialize `df` as `fmt` ('csv' | 'xlsx' | 'parquet').

    CSV is UTF-8 with a BOM (Excel then reads Vietnamese correctly). XLSX has the data sheet and, when
    definitions are given or can be found in the catalog for the frame's `indicator_id`s, a second sheet
    with the indicators' names, units, definitions and sources. Parquet keeps types as they are.
    """
    if fmt == "csv":
        return neutralize_frame(df).to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        if definitions is None:
            definitions = definitions_for(df)
        return _xlsx_bytes(df, definitions)
    if fmt == "parquet":
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
        return sink.getvalue()
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _xlsx_bytes(df: pd.DataFrame, definitions: pd.DataFrame | None) -> bytes:
    sink = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(sink, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        _write_sheet(writer, neutralize_frame(df), DATA_SHEET)
        if definitions is not None:
            _write_sheet(writer, neutralize_frame(definitions), DEFINITIONS_SHEET)
    return sink.getvalue()


def _write_sheet(writer: pd.ExcelWriter, df: pd.DataFrame, name: str) -> None:
    df.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    sheet.freeze_panes(1, 0)
    if len(df.columns):
        sheet.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    for i, column in enumerate(df.columns):
        longest = max([len(str(column))] + [len(str(v)) for v in df[column].head(200).tolist()])
        sheet.set_column(i, i, min(max(longest + 2, 8), 60))


def format_for_path(path: Path) -> Format:
    """The export format named by a file's suffix."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the export format from {path.name!r}; use .csv, .xlsx or .parquet")
    return suffix  # type: ignore[return-value]


def write_export(
    df: pd.DataFrame, path: Path, fmt: Format | None = None, definitions: pd.DataFrame | None = None
) -> Path:
    """Write `df` to `path` (format from the suffix unless given) via a temporary file; returns the path."""
    path = Path(path)
    fmt = fmt or format_for_path(path)
    data = export_frame(df, fmt, definitions)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# --- the read behind `ictdash export` -----------------------------------------------------------

FACTS_EXPORT_SQL = """
SELECT f.province_id, p.name AS province_name, p.name_en AS province_name_en, f.year,
       f.indicator_id, i.name_vi AS indicator_name_vi, i.name_en AS indicator_name_en,
       f.scope, f.value, f.unit, f.qualifier, f.is_target, f.period,
       f.n_sources, f.n_disagree, f.review_status, f.doc_id, f.doc_title, f.doc_url, f.published,
       f.evidence, f.obs_id
FROM facts f
LEFT JOIN provinces p ON p.province_id = f.province_id
LEFT JOIN indicators i ON i.indicator_id = f.indicator_id
WHERE ($provinces IS NULL OR list_contains($provinces, f.province_id))
  AND ($indicators IS NULL OR list_contains($indicators, f.indicator_id))
  AND ($from_year IS NULL OR f.year >= $from_year)
  AND ($to_year IS NULL OR f.year <= $to_year)
ORDER BY f.indicator_id, f.province_id, f.year, f.scope, f.is_target
"""

DEFINITIONS_SQL = """
SELECT indicator_id, name_vi, name_en, unit, definition_vi, definition_en, source
FROM indicators
WHERE list_contains($ids, indicator_id)
ORDER BY indicator_id
"""


def query_facts(
    con: duckdb.DuckDBPyConnection,
    province_ids: Sequence[str] | None = None,
    indicator_ids: Sequence[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> pd.DataFrame:
    """Facts joined with province and indicator names, filtered; empty filters mean 'all'."""
    params = {
        "provinces": list(province_ids) if province_ids else None,
        "indicators": list(indicator_ids) if indicator_ids else None,
        "from_year": from_year,
        "to_year": to_year,
    }
    return con.execute(FACTS_EXPORT_SQL, params).df()


def query_definitions(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """The indicators table's definitions for the given ids (the XLSX second sheet)."""
    return con.execute(DEFINITIONS_SQL, {"ids": list(indicator_ids)}).df()
