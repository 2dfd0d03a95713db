"""The Explorer's downloads at Excel's limit and beyond (issue 11).

A real warehouse built by `ictdash etl` from a few reports, the real page run by AppTest. Excel's limit is
lowered in-process (`etl.export.XLSX_MAX_ROWS`, read when the page runs) so a dozen rows stand for a
million; one test checks the real constant's arithmetic. The download buttons' deferred callables are
recorded as Streamlit registers them and then called, as a click would, so the bytes checked are the
page's own.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pyarrow.parquet as pq
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from etl import export, queries
from etl.export import XLSX_MAX_ROWS, export_frame
from etl.ui.exporting import export_rows

from .corpus import ROOT
from .test_recovery import etl, write_corpus

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("explorer")
    write_corpus(folder / "reports", 6, 900)
    db = folder / "w.duckdb"
    proc = etl(str(folder / "reports"), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture
def explorer(warehouse, monkeypatch: pytest.MonkeyPatch):
    """Run the Explorer page; returns (app, rows shown in its count, {file name: deferred callable})."""
    monkeypatch.setenv("ICTDASH_DB", str(warehouse))
    callables: dict[str, object] = {}
    register = MediaFileManager.add_deferred

    def recording(self, fn, mimetype, coordinates, file_name=None, **kwargs):
        callables[file_name] = fn
        return register(self, fn, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)

    def run(lang: str = "vi") -> tuple[AppTest, int, dict[str, object]]:
        st.cache_data.clear()
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
        app.query_params.update({"lang": lang})
        app.run()
        callables.clear()
        app.switch_page("pages/explorer.py").run()
        assert not app.exception, [e.value for e in app.exception]
        count = next(m.value for m in app.markdown if re.match(r"\*\*[\d.,]+\*\* ", m.value))
        return app, int(re.sub(r"\D", "", count.split("**")[1])), dict(callables)

    yield run
    st.cache_data.clear()


def cell(text: str) -> object:
    """A CSV cell as a number when it is one (900 and 900.0 alike), else the text."""
    try:
        return float(text)
    except ValueError:
        return text


def buttons(app: AppTest) -> dict[str, bool]:
    """Download buttons by label -> disabled."""
    return {b.proto.label: b.proto.disabled for b in app.get("download_button")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_too_many_rows_for_xlsx_is_said_on_the_page_with_csv_and_parquet_offered(
        explorer, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 5)  # a dozen rows stand for more than a million
    app, n_rows, _ = explorer(lang)
    assert n_rows + 1 > 5, "the warehouse must hold more rows than the lowered limit"
    notices = [w.value for w in app.warning if "xlsx" in w.value.lower()]
    assert len(notices) == 1, [w.value for w in app.warning]
    assert "CSV" in notices[0] and "Parquet" in notices[0] and "4" in notices[0], notices
    assert ("dòng" in notices[0]) == (lang == "vi") and ("rows" in notices[0]) == (lang == "en")
    state = buttons(app)
    assert state["Excel (.xlsx)"] is True  # disabled, with the reason above it: never a click that does nothing
    assert state["CSV (Excel)"] is False and state["Parquet"] is False


def test_exactly_a_full_sheet_keeps_the_xlsx_button(explorer, monkeypatch: pytest.MonkeyPatch) -> None:
    app, n_rows, _ = explorer()
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", n_rows + 1)  # the header and every row: exactly full
    app, _, callables = explorer()
    assert not [w.value for w in app.warning if "xlsx" in w.value.lower()]
    assert buttons(app)["Excel (.xlsx)"] is False
    data = next(fn() for name, fn in callables.items() if name.endswith(".xlsx"))
    sheet = pd.read_excel(io.BytesIO(data), sheet_name=0)
    assert len(sheet) == n_rows


def test_the_real_limit_is_excels_rows_minus_the_header() -> None:
    from etl.export import xlsx_fits

    assert XLSX_MAX_ROWS == 1_048_576  # Excel's rows per worksheet
    assert xlsx_fits(1_048_575) and not xlsx_fits(1_048_576)
    assert xlsx_fits(0)


def test_csv_and_parquet_downloads_are_streamed_in_chunks_with_every_row(
        explorer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 5)
    monkeypatch.setattr(queries, "DOWNLOAD_BATCH_ROWS", 5)  # a dozen rows in three chunks
    chunks: list[int] = []
    batches = queries.facts_batches

    def counting(*args, **kwargs):
        for frame in batches(*args, **kwargs):
            chunks.append(len(frame))
            yield frame

    monkeypatch.setattr(queries, "facts_batches", counting)
    app, n_rows, callables = explorer()
    csv_bytes = next(fn() for name, fn in callables.items() if name.endswith(".csv"))
    assert chunks and max(chunks) <= 5 and sum(chunks) == n_rows, chunks  # read from DuckDB chunk by chunk
    assert csv_bytes.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert len(rows) == n_rows + 1 and rows[0] not in rows[1:], "one header, then every row"
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
    parquet_bytes = next(fn() for name, fn in callables.items() if name.endswith(".parquet"))
    table = pq.read_table(io.BytesIO(parquet_bytes)).to_pandas()
    assert len(table) == n_rows
    assert sorted(table["value"].dropna()) == sorted(queries.facts(
        queries.default_db_path(), scope="auto", is_target=False)["value"].dropna())


def test_the_streamed_file_is_the_in_memory_export(warehouse) -> None:
    from etl.export import streamed_bytes

    names = queries.indicators(warehouse).set_index("indicator_id")["name_vi"]
    whole = export_rows(queries.facts(warehouse), "vi", names, None)
    chunks = (export_rows(rows, "vi", names, None) for rows in queries.facts_batches(warehouse, batch_rows=4))
    streamed = list(csv.reader(io.StringIO(streamed_bytes(chunks, "csv").decode("utf-8-sig"))))
    in_memory = list(csv.reader(io.StringIO(export_frame(whole, "csv").decode("utf-8-sig"))))
    assert streamed[0] == in_memory[0] and len(streamed) == len(in_memory)
    # the same cells; an integer column the whole frame made float ("0.0") stays an integer ("0") in chunks
    assert [[cell(v) for v in row] for row in streamed[1:]] == [[cell(v) for v in row] for row in in_memory[1:]]
    chunks = (export_rows(rows, "vi", names, None) for rows in queries.facts_batches(warehouse, batch_rows=4))
    table = pq.read_table(io.BytesIO(streamed_bytes(chunks, "parquet"))).to_pandas()
    assert list(table.columns) == list(whole.columns) and len(table) == len(whole)
    assert table["value"].tolist() == whole["value"].tolist()
