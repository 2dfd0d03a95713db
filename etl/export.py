"""Exports of warehouse tables for people: CSV that Excel opens in Vietnamese, XLSX, Parquet.

`export_frame` turns a DataFrame into file bytes (the dashboard's download buttons use it);
`write_export` writes them to disk; `query_facts` is the filtered read behind `ictdash export`, and
`copy_facts` streams it from DuckDB straight into a CSV or Parquet file (`COPY ... TO`: memory stays flat
however many rows). Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get
a leading `'`. XLSX holds at most XLSX_MAX_ROWS rows per sheet, the header included: a larger export is
refused before anything is written (ExportTooLarge), never cut short.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

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
XLSX_MAX_ROWS = 1_048_576  # Excel's rows per worksheet, the header row included
BOM = "\ufeff".encode()


class ExportTooLarge(ValueError):
    """The rows do not fit the format (XLSX: 1,048,575 data rows); the message says what to use instead."""


def check_xlsx_rows(n_rows: int) -> None:
    """ExportTooLarge when `n_rows` data rows plus the header exceed one XLSX sheet."""
    if n_rows + 1 > XLSX_MAX_ROWS:
        raise ExportTooLarge(
            f"{n_rows:,} rows do not fit in XLSX, which holds at most {XLSX_MAX_ROWS - 1:,} rows of data "
            f"(Excel's {XLSX_MAX_ROWS:,} rows per sheet, the header included); export CSV or Parquet instead "
            "(--format csv or --format parquet), or fewer rows (--province, --indicator, --from-year, --to-year)")


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


def export_frame(df: pd.DataFrame, fmt: Format, definitions: pd.DataFrame | None = None,
                 sheets: Sequence[tuple[str, pd.DataFrame]] = ()) -> bytes:
    """Serialize `df` as `fmt` ('csv' | 'xlsx' | 'parquet').

    CSV is UTF-8 with a BOM (Excel then reads Vietnamese correctly). XLSX has the data sheet, then the
    extra `sheets` (name, frame) in order (e.g. province x year tables), then, when definitions are given
    or can be found in the catalog for the frame's `indicator_id`s, a sheet with the indicators' names,
    units, definitions and sources; every sheet's text is neutralized. Parquet keeps types as they are.
    """
    if fmt == "csv":
        return neutralize_frame(df).to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        check_xlsx_rows(len(df))  # before anything is written: Excel would drop what does not fit
        if definitions is None:
            definitions = definitions_for(df)
        for _, sheet in sheets:
            check_xlsx_rows(len(sheet))
        return _xlsx_bytes(df, definitions, sheets)
    if fmt == "parquet":
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
        return sink.getvalue()
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _xlsx_bytes(df: pd.DataFrame, definitions: pd.DataFrame | None,
                sheets: Sequence[tuple[str, pd.DataFrame]] = ()) -> bytes:
    sink = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(sink, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        _write_sheet(writer, neutralize_frame(df), DATA_SHEET)
        for name, sheet in sheets:
            _write_sheet(writer, neutralize_frame(sheet), name)
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


# The same rows with formula-like text neutralized in SQL, for files DuckDB writes itself (COPY ... TO).
NEUTRALIZED_SQL = """
SELECT * REPLACE (
    CASE WHEN left(province_id, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || province_id
         ELSE province_id END AS province_id,
    CASE WHEN left(province_name, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || province_name
         ELSE province_name END AS province_name,
    CASE WHEN left(province_name_en, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || province_name_en
         ELSE province_name_en END AS province_name_en,
    CASE WHEN left(indicator_id, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || indicator_id
         ELSE indicator_id END AS indicator_id,
    CASE WHEN left(indicator_name_vi, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || indicator_name_vi
         ELSE indicator_name_vi END AS indicator_name_vi,
    CASE WHEN left(indicator_name_en, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || indicator_name_en
         ELSE indicator_name_en END AS indicator_name_en,
    CASE WHEN left(scope, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || scope ELSE scope END AS scope,
    CASE WHEN left(unit, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || unit ELSE unit END AS unit,
    CASE WHEN left(qualifier, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || qualifier
         ELSE qualifier END AS qualifier,
    CASE WHEN left(period, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || period ELSE period END AS period,
    CASE WHEN left(review_status, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || review_status
         ELSE review_status END AS review_status,
    CASE WHEN left(doc_id, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || doc_id ELSE doc_id END AS doc_id,
    CASE WHEN left(doc_title, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || doc_title
         ELSE doc_title END AS doc_title,
    CASE WHEN left(doc_url, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || doc_url ELSE doc_url END AS doc_url,
    CASE WHEN left(evidence, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || evidence
         ELSE evidence END AS evidence,
    CASE WHEN left(obs_id, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || obs_id ELSE obs_id END AS obs_id
) FROM facts_export
"""
COUNT_SQL = "SELECT count(*) FROM facts_export"
# DuckDB's own memory for an export (its buffer pool caches what it scans and its sort spills to disk
# beyond this), one thread (each pins its own blocks; two ran out of memory sorting): 1 M rows peak ~410 MB.
def limit_memory(con: duckdb.DuckDBPyConnection, spill: str | Path | None = None) -> None:
    """Bound what DuckDB may hold for an export on `con` (spilling to `spill`), and never draw its progress
    bar (on standard output it would end up inside a CSV written there)."""
    con.execute("SET memory_limit = '256MB'")
    con.execute("SET threads = 1")
    con.execute("SET enable_progress_bar = false")
    if spill is not None:
        con.execute("SET temp_directory = ?", [str(spill)])


def _facts_relation(con: duckdb.DuckDBPyConnection, province_ids: Sequence[str] | None,
                    indicator_ids: Sequence[str] | None, from_year: int | None,
                    to_year: int | None) -> duckdb.DuckDBPyRelation:
    params = {
        "provinces": list(province_ids) if province_ids else None,
        "indicators": list(indicator_ids) if indicator_ids else None,
        "from_year": from_year,
        "to_year": to_year,
    }
    return con.sql(FACTS_EXPORT_SQL, params=params)


def count_facts(con: duckdb.DuckDBPyConnection, province_ids: Sequence[str] | None = None,
                indicator_ids: Sequence[str] | None = None, from_year: int | None = None,
                to_year: int | None = None) -> int:
    """How many rows `query_facts` would return, without fetching them."""
    relation = _facts_relation(con, province_ids, indicator_ids, from_year, to_year)
    return int(relation.query("facts_export", COUNT_SQL).fetchall()[0][0])


def copy_facts(con: duckdb.DuckDBPyConnection, out: Path | BinaryIO, fmt: Format,
               province_ids: Sequence[str] | None = None, indicator_ids: Sequence[str] | None = None,
               from_year: int | None = None, to_year: int | None = None) -> int:
    """Stream the filtered facts as CSV (UTF-8 with BOM, formulas neutralized) or Parquet into `out` (a
    path, written via a temporary file and renamed, or a binary stream such as stdout); DuckDB writes the
    file itself (COPY ... TO), so memory does not grow with the rows. Returns the number of rows."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"copy_facts writes csv or parquet, not {fmt!r}")
    with tempfile.TemporaryDirectory(prefix="ictdash-export-") as scratch:
        limit_memory(con, os.path.join(scratch, "spill"))
        relation = _facts_relation(con, province_ids, indicator_ids, from_year, to_year)
        n_rows = int(relation.query("facts_export", COUNT_SQL).fetchall()[0][0])
        written = Path(scratch) / f"facts.{fmt}"
        if fmt == "csv":
            relation.query("facts_export", NEUTRALIZED_SQL).write_csv(str(written), header=True)
        else:
            relation.to_parquet(str(written))
        if isinstance(out, (str, Path)):
            path = Path(out)
            part = path.with_name(f".{path.name}.part")
            try:
                with open(part, "wb") as sink:
                    _append(sink, written, bom=fmt == "csv")
                part.replace(path)
            finally:
                part.unlink(missing_ok=True)
        else:
            _append(out, written, bom=fmt == "csv")
            out.flush()
    return n_rows


def _append(sink: BinaryIO, source: Path, *, bom: bool) -> None:
    if bom:
        sink.write(BOM)
    with open(source, "rb") as handle:
        shutil.copyfileobj(handle, sink, 1 << 20)


def query_definitions(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """The indicators table's definitions for the given ids (the XLSX second sheet)."""
    return con.execute(DEFINITIONS_SQL, {"ids": list(indicator_ids)}).df()


# --- streamed downloads: frames written one after another (the dashboard's CSV and Parquet) --------------


def write_chunks(chunks: Iterable[pd.DataFrame], path: Path, fmt: Format) -> int:
    """Write `chunks` (frames with the same columns) one after another into one CSV (UTF-8 with BOM,
    formulas neutralized as in `export_frame`, the header once) or Parquet file at `path`, via a temporary
    file renamed at the end: memory holds one chunk, not the whole table. Returns the number of rows."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"write_chunks writes csv or parquet, not {fmt!r}")
    path = Path(path)
    part = path.with_name(f".{path.name}.part")
    n_rows = 0
    try:
        with open(part, "wb") as sink:
            if fmt == "csv":
                sink.write(BOM)
                for i, chunk in enumerate(chunks):
                    neutralize_frame(chunk).to_csv(sink, index=False, header=i == 0, encoding="utf-8")
                    n_rows += len(chunk)
            else:
                n_rows = _parquet_chunks(chunks, sink)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return n_rows


def _parquet_chunks(chunks: Iterable[pd.DataFrame], sink: BinaryIO) -> int:
    """Chunks into one Parquet file; the schema is the first chunk's (a column empty there is text)."""
    writer: pq.ParquetWriter | None = None
    n_rows = 0
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                    for f in table.schema], metadata=table.schema.metadata)
                writer = pq.ParquetWriter(sink, schema)
            writer.write_table(table.cast(writer.schema))
            n_rows += len(chunk)
    finally:
        if writer is not None:
            writer.close()
    return n_rows


def streamed_bytes(chunks: Iterable[pd.DataFrame], fmt: Format) -> bytes:
    """The file `write_chunks` makes, as bytes (what a download button serves); written into a temporary
    folder that is removed at once, so only the finished file, never a frame of every row, is in memory."""
    with tempfile.TemporaryDirectory(prefix="ictdash-download-") as scratch:
        path = Path(scratch) / f"export.{fmt}"
        write_chunks(chunks, path, fmt)
        return path.read_bytes()


def xlsx_fits(n_rows: int) -> bool:
    """Whether `n_rows` data rows and the header fit one XLSX sheet (XLSX_MAX_ROWS, read at call time)."""
    try:
        check_xlsx_rows(n_rows)
    except ExportTooLarge:
        return False
    return True
