"""Exports: CSV that Excel reads in Vietnamese, XLSX with definitions, Parquet; formulas neutralized."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.export import (
    DATA_SHEET,
    DEFINITIONS_SHEET,
    export_frame,
    neutralize,
    query_facts,
    write_export,
)
from etl.warehouse import build


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "province_name": ["Lào Cai", "=cmd()", "+1-2", "@SUM(A1)", "-x", "\tTab", "Bắc Ninh"],
        "indicator_id": ["bts_stations"] * 7,
        "value": [912.0, 1.0, 2.0, 3.0, -4.5, 5.0, 6.2],
        "year": [2020, 2021, 2022, 2023, 2024, 2025, 2026],
    })


def test_neutralize_only_touches_formula_like_text() -> None:
    assert neutralize("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [neutralize(v) for v in ("+1", "-1", "@a", "\tb", "\rc")] == ["'+1", "'-1", "'@a", "'\tb", "'\rc"]
    assert neutralize("Lào Cai") == "Lào Cai"
    assert neutralize(-4.5) == -4.5


def test_csv_has_a_bom_keeps_vietnamese_and_neutralizes_formulas(frame: pd.DataFrame) -> None:
    data = export_frame(frame, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["province_name"] == "Lào Cai"
    assert [r["province_name"] for r in rows[1:5]] == ["'=cmd()", "'+1-2", "'@SUM(A1)", "'-x"]
    assert rows[4]["value"] == "-4.5"  # numbers stay numbers, negative ones too
    assert rows[6]["value"] == "6.2"


def test_xlsx_has_a_data_sheet_and_a_definitions_sheet(frame: pd.DataFrame, tmp_path: Path) -> None:
    definitions = pd.DataFrame([{"indicator_id": "bts_stations", "name_vi": "Số trạm BTS", "name_en": "BTS",
                                 "unit": "count", "definition_vi": "Số trạm", "definition_en": "Stations",
                                 "source": "=evil()"}])
    path = tmp_path / "out.xlsx"
    path.write_bytes(export_frame(frame, "xlsx", definitions))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, DEFINITIONS_SHEET]
    data = book[DATA_SHEET]
    assert [c.value for c in data[1]] == ["province_name", "indicator_id", "value", "year"]
    assert data["A2"].value == "Lào Cai"
    assert data["A3"].value == "'=cmd()" and data["A3"].data_type == "s"  # text, never a formula
    assert data["C6"].value == -4.5 and data["C6"].data_type == "n"
    assert data["D2"].value == 2020
    assert book[DEFINITIONS_SHEET]["G2"].value == "'=evil()"


def test_xlsx_without_definitions_takes_them_from_the_catalog(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(export_frame(frame, "xlsx"))
    sheet = openpyxl.load_workbook(path)[DEFINITIONS_SHEET]
    assert sheet["A2"].value == "bts_stations" and sheet["B2"].value


def test_parquet_round_trips_types(frame: pd.DataFrame) -> None:
    table = pq.read_table(io.BytesIO(export_frame(frame, "parquet")))
    back = table.to_pandas()
    assert back["province_name"].tolist() == frame["province_name"].tolist()  # data as is, not neutralized
    assert back["value"].tolist() == frame["value"].tolist()


def test_write_export_picks_the_format_from_the_suffix(frame: pd.DataFrame, tmp_path: Path) -> None:
    assert write_export(frame, tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert write_export(frame, tmp_path / "a.parquet").read_bytes()[:4] == b"PAR1"
    with pytest.raises(ValueError, match="cannot tell the export format"):
        write_export(frame, tmp_path / "a.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.parquet"]  # no .part files left


def test_query_facts_filters_with_parameters(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, province, year, bts in [("a.txt", "Lào Cai", 2020, 912), ("b.txt", "Yên Bái", 2021, 700),
                                      ("c.txt", "Lào Cai", 2022, 990)]:
        (reports / name).write_text(f"Đến hết năm {year}, toàn tỉnh {province} có {bts} trạm phát sóng di động.\n",
                                    encoding="utf-8")
    db = tmp_path / "w.duckdb"
    build([reports], db, curation_path=None, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        everything = query_facts(con)
        lao_cai = query_facts(con, ["63-10"], ["bts_stations"], 2021, None)
        injected = query_facts(con, ["63-10' OR '1'='1"])
    assert len(everything) == 3
    assert lao_cai[["province_name", "year", "value"]].values.tolist() == [["Lào Cai", 2022, 990.0]]
    assert {"indicator_name_vi", "evidence", "doc_id", "n_sources"} <= set(lao_cai.columns)
    assert injected.empty
