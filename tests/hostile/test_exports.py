"""Exports at their limits: Excel's row limit, and a million rows streamed in bounded memory.

A warehouse of exactly 1,048,576 facts (one more than an XLSX sheet holds under its header) is made by
multiplying one real fact in SQL. `ictdash export` must refuse XLSX before writing anything, with a line
that names CSV and Parquet, and must write CSV and Parquet of all those rows from DuckDB straight to the
file (`COPY ... TO`) in bounded memory, formulas neutralized.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.export import XLSX_MAX_ROWS, ExportTooLarge, export_frame
from etl.warehouse import build

from .corpus import PY, ROOT, report, run_measured

MEMORY_LIMIT = 500 * 1024**2  # the target for exporting a million rows
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose facts table holds XLSX_MAX_ROWS rows (every 1000th evidence a formula)."""
    folder = tmp_path_factory.mktemp("big-export")
    (folder / "reports").mkdir()
    (folder / "reports" / "r.txt").write_text(report(912, year=2013), encoding="utf-8")
    db = folder / "wh.duckdb"
    build([folder / "reports"], db, curation_path=None, progress=False)
    with duckdb.connect(str(db)) as con:
        con.execute("""
            CREATE TABLE many AS SELECT f.* REPLACE (
                    'o' || r.range AS obs_id, 1990 + (r.range % 36)::INTEGER AS year, r.range::DOUBLE AS value,
                    CASE WHEN r.range % 1000 = 7 THEN '=HYPERLINK("http://x.example/' || r.range || '")'
                         ELSE f.evidence END AS evidence)
            FROM (SELECT * FROM facts WHERE indicator_id = 'bts_stations') f CROSS JOIN range(?) r
        """, [XLSX_MAX_ROWS])
        con.execute("DELETE FROM facts")
        con.execute("INSERT INTO facts SELECT * FROM many")
        con.execute("DROP TABLE many")
        con.execute("CHECKPOINT")
        assert con.execute("SELECT count(*) FROM facts").fetchall() == [(XLSX_MAX_ROWS,)]
    return db


def test_xlsx_refuses_more_rows_than_a_sheet_holds_before_writing(big: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.xlsx"
    run = run_measured(["export", "--db", str(big), "--format", "xlsx", "--out", str(out)], timeout=300)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    line = next(line for line in run.stderr.splitlines() if line.startswith("error: "))
    assert "1,048,576 rows do not fit in XLSX" in line and "1,048,575" in line
    assert "CSV" in line and "Parquet" in line
    assert not out.exists() and not list(tmp_path.iterdir())  # nothing written, not even a partial file
    assert run.peak_rss < MEMORY_LIMIT  # counted, not fetched


def test_xlsx_in_memory_refuses_one_row_too_many() -> None:
    """The dashboard's download path (export_frame): refused before anything is written."""
    with pytest.raises(ExportTooLarge, match="CSV or Parquet"):
        export_frame(pd.DataFrame({"v": range(XLSX_MAX_ROWS)}), "xlsx")


@pytest.mark.slow
def test_xlsx_exactly_full_keeps_its_last_row() -> None:
    data = export_frame(pd.DataFrame({"v": range(XLSX_MAX_ROWS - 1)}), "xlsx", definitions=None)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    assert f'<row r="{XLSX_MAX_ROWS}"'.encode() in sheet  # the header plus every data row, the last one too


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_million_rows_stream_to_a_file_in_bounded_memory(big: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"facts.{fmt}"
    run = run_measured(["export", "--db", str(big), "--out", str(out)], timeout=600)
    assert run.returncode == 0, run.stderr
    assert f"exported {XLSX_MAX_ROWS} rows" in run.stderr
    assert run.peak_rss < MEMORY_LIMIT, f"peak {run.peak_rss / 1024**2:.0f} MiB"
    if fmt == "parquet":
        assert pq.ParquetFile(out).metadata.num_rows == XLSX_MAX_ROWS
        return
    with open(out, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        evidence = header.index("evidence")
        n, hostile = 0, 0
        for row in reader:
            n += 1
            assert not any(cell.startswith(FORMULA_START) for cell in row), row
            hostile += row[evidence].startswith("'=HYPERLINK")
    assert n == XLSX_MAX_ROWS and hostile == sum(1 for i in range(XLSX_MAX_ROWS) if i % 1000 == 7)
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"  # Excel reads the Vietnamese right


def test_streamed_csv_matches_the_in_memory_export(tmp_path: Path) -> None:
    """The CLI's streamed CSV holds the same cells as the dashboard's export of the same rows."""
    import subprocess

    from etl.export import query_facts

    folder = tmp_path / "reports"
    folder.mkdir()
    for i, province in enumerate(("Lào Cai", "Yên Bái", "Hà Giang")):
        (folder / f"r{i}.txt").write_text(report(900 + i, year=2015 + i, province=province), encoding="utf-8")
    db = tmp_path / "wh.duckdb"
    build([folder], db, curation_path=None, progress=False)
    proc = subprocess.run([PY, "-m", "etl", "export", "--db", str(db)], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    streamed = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    with duckdb.connect(str(db), read_only=True) as con:
        frame = query_facts(con)
    in_memory = list(csv.reader(io.StringIO(export_frame(frame, "csv").decode("utf-8-sig"))))
    assert streamed[0] == in_memory[0] and len(streamed) == len(in_memory) > 1
    for ours, theirs in zip(streamed[1:], in_memory[1:], strict=True):
        for column, a, b in zip(streamed[0], ours, theirs, strict=True):
            if column == "is_target":
                assert a.lower() == b.lower()
            elif column in ("value", "year", "n_sources", "n_disagree"):
                assert float(a) == float(b), column
            else:
                assert a == b, column
