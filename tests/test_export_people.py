"""Exports for managers: headers and coded values in the interface language (ids kept in extra columns), a
province x year sheet per indicator beside the long table, names in ASCII file names, formulas neutralized
in every sheet, the BOM and the definitions sheet kept."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest

from etl.export import DATA_SHEET, DEFINITIONS_SHEET
from etl.ui.exporting import (
    export_rows,
    file_name,
    names_part,
    people_file,
    people_rows,
    sheet_name,
    slug,
    year_table,
)
from etl.ui.i18n import t

NAMES = pd.Series({"bts_stations": "Số trạm thu phát sóng di động (BTS)",
                   "telecom_revenue_bn_vnd": "Doanh thu bưu chính, viễn thông",
                   "fibre_coverage_pct": "Tỷ lệ có cáp quang / băng rộng cố định đến thôn, xã, huyện"})


def fact(province_id: str, name: str, year: int, indicator: str, value: float, *, scope: str = "all",
         unit: str = "count", target: bool = False, evidence: str = "câu") -> dict:
    return {"province_id": province_id, "province_name": name, "province_name_en": name, "region": "Vùng",
            "scheme": province_id[:2], "year": year, "indicator_id": indicator, "scope": scope, "is_target": target,
            "value": value, "unit": unit, "qualifier": "at_least" if target else "exact", "denominator": None,
            "period": None, "raw_value": value, "raw_unit": unit, "population": None, "area_km2": None, "rank": 1,
            "n_ranked": 2, "median": value, "n_sources": 1, "n_disagree": 0, "review_status": "machine",
            "confidence": 0.9, "doc_id": f"{province_id}-{year}.txt", "doc_title": "Báo cáo", "published": None,
            "doc_url": "https://example.invalid/x", "evidence": evidence, "obs_id": f"o-{province_id}-{year}-{indicator}"}


@pytest.fixture
def rows() -> pd.DataFrame:
    facts = pd.DataFrame([
        fact("63-10", "Lào Cai", 2013, "bts_stations", 912, evidence="Đến hết năm 2013 có 912 trạm"),
        fact("63-10", "Lào Cai", 2023, "bts_stations", 2000),
        fact("63-27", "Bắc Ninh", 2023, "bts_stations", 1420),
        fact("34-15", "Lào Cai", 2025, "bts_stations", 3100),
        fact("63-10", "Lào Cai", 2013, "telecom_revenue_bn_vnd", 547, unit="bn_vnd"),
        fact("63-10", "Lào Cai", 2025, "telecom_revenue_bn_vnd", 900, unit="bn_vnd", target=True),
        fact("63-27", "Bắc Ninh", 2020, "fibre_coverage_pct", 100, scope="commune", unit="pct",
             evidence="=HYPERLINK(\"http://evil\")"),
    ])
    return export_rows(facts, "vi", NAMES, None)


def test_the_long_table_speaks_vietnamese_and_keeps_the_ids(rows: pd.DataFrame) -> None:
    table = people_rows(rows, "vi")
    assert list(table.columns[:8]) == ["Tỉnh/thành", "Vùng", "Năm", "Chỉ tiêu", "Phạm vi", "Loại", "Giá trị", "Đơn vị"]
    assert list(table.columns[-4:]) == ["Mã tỉnh (province_id)", "Mã chỉ tiêu (indicator_id)",
                                        "Mã tài liệu (doc_id)", "Mã giá trị (obs_id)"]
    cells = {str(v) for col in table.columns for v in table[col] if isinstance(v, str)}
    for raw in ("all", "bn_vnd", "False", "True", "exact", "at_least", "machine", "commune", "count"):
        assert raw not in cells, f"{raw!r} appears raw in the Vietnamese export"
    assert {"Toàn tỉnh", "Cấp xã", "tỷ đồng", "Thực hiện", "Mục tiêu", "Máy đọc"} <= cells
    assert "Lào Cai (từ 7/2025)" in cells  # the merged province is told apart from the old one
    assert table["Giá trị"].tolist()[0] == 912  # numbers stay numbers
    assert set(table["Mã tỉnh (province_id)"]) == {"63-10", "63-27", "34-15"}


def test_the_english_table_speaks_english(rows: pd.DataFrame) -> None:
    table = people_rows(rows, "en")
    assert list(table.columns[:4]) == ["Province", "Region", "Year", "Indicator"]
    cells = {v for col in table.columns for v in table[col] if isinstance(v, str)}
    assert {t("scope.all", "en"), "billion VND", "Target", "Achieved", "Machine-read"} <= cells
    assert "Lào Cai (from 7/2025)" in cells


def test_year_table_is_one_row_per_province_one_column_per_year(rows: pd.DataFrame) -> None:
    wide = year_table(rows[rows["indicator_id"] == "bts_stations"], "vi")
    assert list(wide.columns) == ["Tỉnh/thành", "Đơn vị", "2013", "2023", "2025", "Mã tỉnh (province_id)"]
    # Vietnamese order, the 63-province scheme first, the merged provinces after
    assert list(wide["Tỉnh/thành"]) == ["Bắc Ninh", "Lào Cai", "Lào Cai (từ 7/2025)"]
    lao_cai = wide[wide["Mã tỉnh (province_id)"] == "63-10"].iloc[0]
    assert (lao_cai["2013"], lao_cai["2023"]) == (912, 2000) and pd.isna(lao_cai["2025"])
    plans = year_table(rows[rows["indicator_id"] == "telecom_revenue_bn_vnd"], "vi")
    assert list(plans["Loại"]) == ["Thực hiện", "Mục tiêu"]  # plans are their own row, never mixed in


def test_xlsx_has_the_long_table_a_year_sheet_per_indicator_and_definitions(rows: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(people_file(rows, "xlsx", "vi", NAMES)))
    assert book.sheetnames[0] == DATA_SHEET and book.sheetnames[-1] == DEFINITIONS_SHEET
    year_sheets = book.sheetnames[1:-1]
    assert len(year_sheets) == 3 and all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in year_sheets)
    assert year_sheets[0].startswith("1. Số trạm thu phát sóng")
    bts = book[year_sheets[0]]
    header = [c.value for c in bts[1]]
    assert header == ["Tỉnh/thành", "Đơn vị", "2013", "2023", "2025", "Mã tỉnh (province_id)"]
    lines = {r[0]: r for r in bts.iter_rows(min_row=2, values_only=True)}
    assert lines["Lào Cai"][2:4] == (912, 2000)
    definitions = book[DEFINITIONS_SHEET]
    assert [c.value for c in definitions[1]][:2] == ["Mã chỉ tiêu (indicator_id)", "Tên chỉ tiêu (tiếng Việt)"]
    for sheet in book.worksheets:  # formula-like text neutralized everywhere
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@"))), cell.value


def test_csv_keeps_the_bom_and_the_vietnamese_headers(rows: pd.DataFrame) -> None:
    data = people_file(rows, "csv", "vi", NAMES)
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert read[0]["Tỉnh/thành"] == "Lào Cai" and read[0]["Phạm vi"] == "Toàn tỉnh"
    assert any(r["Câu trong tài liệu"] == "'=HYPERLINK(\"http://evil\")" for r in read)


def test_parquet_stays_technical_for_analysts(rows: pd.DataFrame) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(people_file(rows, "parquet", "vi", NAMES))).to_pandas()
    assert "province_id" in table.columns and "scope" in table.columns


def test_file_names_say_the_names_in_ascii() -> None:
    assert slug("Lào Cai") == "lao-cai" and slug("Đắk Lắk") == "dak-lak"
    name = file_name([names_part(["Lào Cai", "Bắc Ninh"], "tỉnh"), "Số trạm thu phát sóng di động (BTS)",
                      "2013-2024"], "xlsx")
    assert name == "ictdash_lao-cai+bac-ninh_so-tram-thu-phat-song-di-dong-bts_2013-2024.xlsx"
    assert name.isascii() and "63-10" not in name
    assert file_name([names_part(["a", "b", "c", "d"], "tỉnh")], "csv") == "ictdash_4-tinh.csv"
    assert file_name([names_part([], "tỉnh", everything="tất cả tỉnh")], "csv") == "ictdash_tat-ca-tinh.csv"
    assert "/" not in file_name(["../../etc/passwd", "a/b"], "csv")


def test_sheet_names_are_unique_and_valid() -> None:
    names = [sheet_name(n, "Tỷ lệ có cáp quang / băng rộng cố định: [x]*?") for n in range(1, 12)]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
