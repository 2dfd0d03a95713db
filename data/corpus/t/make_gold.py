"""Write part t's gold.csv from the annotations below; each evidence is the row's line in the document
text the reader renders (`python -m etl extract FILE --format table` shows it). Run from the project root:

    .venv/bin/python data/corpus/t/make_gold.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from etl.read import read_path

PART = Path(__file__).resolve().parent
COLUMNS = ["doc", "province", "year", "indicator", "scope", "value", "unit", "qualifier", "is_target", "optional",
           "evidence"]

# (doc, sheet or None, row number, province, year, indicator, value, unit, qualifier, optional)
G: list[tuple] = []


def add(doc, sheet, row, province, year, indicator, value, unit, qualifier="exact", optional=False):
    G.append((doc, sheet, row, province, year, indicator, value, unit, qualifier, optional))


# t01 Nghệ An, Niên giám 2020 (values in nghìn thuê bao in the file -> counts)
T01 = [(2015, 1778489, 1055245, 723244), (2016, 2547107, 2486243, 60864), (2017, 2671489, 2607016, 64473),
       (2018, 2504854, 2447373, 57481), (2019, 2878034, 2821873, 56161), (2020, 2956208, 2933667, 22541)]
for i, (year, total, mobile, fixed) in enumerate(T01):
    q = "approx" if year == 2020 else "exact"
    add("t01.xlsx", "Bieu 1", 6 + i, "Nghệ An", year, "phone_subscribers", total, "count", q)
    add("t01.xlsx", "Bieu 1", 6 + i, "Nghệ An", year, "mobile_subscribers", mobile, "count", q)
    add("t01.xlsx", "Bieu 1", 6 + i, "Nghệ An", year, "other:fixed_phone_subscribers", fixed, "count", q)

# t02 Quảng Ngãi, Niên giám 2016, biểu 208 (long layout: rows 4.. = year x [total, mobile, internet])
T02 = [(2010, 1105000, 1010936, 360000), (2011, 1213000, 1139867, 420000), (2012, 1050000, 987532, 504000),
       (2013, 941854, 890294, 540000), (2014, 971000, 920000, 573900), (2015, 1120000, 1071000, 720000),
       (2016, 1035075, 1004415, 802000)]
for i, (year, total, mobile, internet) in enumerate(T02):
    q = "approx" if year == 2016 else "exact"
    for j, (indicator, value) in enumerate((("phone_subscribers", total), ("mobile_subscribers", mobile),
                                            ("internet_subscribers", internet))):
        add("t02.csv", None, 4 + 3 * i + j, "Quảng Ngãi", year, indicator, value, "count", q)

# t03 Hòa Bình, telephones by district: only the province total, and it is not a catalog indicator
for year, value in ((2006, 41096), (2007, 49975), (2008, 56665), (2009, 61877)):
    add("t03.csv", None, 6, "Hòa Bình", year, "other:telephones_fixed", value, "chiếc")

# t04 duyenhaimientrung 65-78-467: the province is not named anywhere (blank)
for year, v in zip(range(2008, 2013), (11878, 18368, 20664, 20036, 21827), strict=True):
    add("t04.csv", None, 5, "", year, "internet_subscribers", v, "count")
for year, v in zip(range(2008, 2013), (182340, 157126, 139872, 93465, 74646), strict=True):
    add("t04.csv", None, 4, "", year, "other:fixed_phone_subscribers", v, "máy")
for year, v in zip(range(2008, 2012), (172, 225, 337, 967), strict=True):
    add("t04.csv", None, 9, "", year, "bts_stations", v, "count")
for year, v in zip(range(2008, 2012), (490, 626, 845, 883), strict=True):
    add("t04.csv", None, 11, "", year, "telecom_revenue_bn_vnd", v, "bn_vnd")
for year, v in zip(range(2008, 2012), (6, 7, 10, 13), strict=True):
    add("t04.csv", None, 12, "", year, "postal_revenue_bn_vnd", v, "bn_vnd")
for year, v in zip(range(2008, 2012), (480, 615, 831, 867), strict=True):
    add("t04.csv", None, 13, "", year, "other:telecom_only_revenue", v, "tỷ đồng")

# t05 duyenhaimientrung 65-78-509: the province is not named anywhere (blank)
for year, v in zip(range(2008, 2013), (6532, 10229, 14576, 15708, 26188), strict=True):
    add("t05.csv", None, 10, "", year, "internet_subscribers", v, "count")
for year, v in zip(range(2008, 2012), (160, 274, 316, 334), strict=True):
    add("t05.csv", None, 11, "", year, "telecom_revenue_bn_vnd", v, "bn_vnd")
for year, v in zip(range(2008, 2013), (93218, 107660, 136477, 143871, 130646), strict=True):
    add("t05.csv", None, 8, "", year, "other:fixed_and_postpaid_subscribers", v, "thuê bao")
for year, v in zip(range(2008, 2012), (17, 19, 24, 25), strict=True):
    add("t05.csv", None, 9, "", year, "other:fixed_and_postpaid_per_100", v, "thuê bao/100 dân")

# t07 DTI 2022: 63 ranks (sheet 1) and the five scores of the detailed table (sheet 2)
NAMES = {"TP. Đà Nẵng": "Đà Nẵng", "TP. Hồ Chí Minh": "Hồ Chí Minh", "TP. Cần Thơ": "Cần Thơ",
         "TP. Hải Phòng": "Hải Phòng", "TP. Hà Nội": "Hà Nội", "Thừa Thiên - Huế": "Thừa Thiên Huế"}


def t07() -> None:
    import importlib.util
    spec = importlib.util.spec_from_file_location("mk", PART / "make_reports.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    for i, (rank, name) in enumerate(zip(mk.DTI_2022_RANKS, mk.DTI_2022, strict=True)):
        add("t07.xlsx", "Xep hang DTI", 3 + i, NAMES.get(name, name), 2022, "dti_rank", rank, "rank")
    for i, row in enumerate(mk.DTI_2022_DETAIL):
        add("t07.xlsx", "Xep hang chi tiet", 3 + i, NAMES.get(row[1], row[1]), 2022, "dti_score", row[-1], "score")


t07()
add("t09.xlsx", "DTI 2022", 3, "Trà Vinh", 2022, "dti_score", 0.6077, "score")
add("t09.xlsx", "DTI 2022", 3, "Trà Vinh", 2022, "dti_rank", 25, "rank")
add("t10.csv", None, 3, "Quảng Nam", 2022, "dti_score", 0.5808, "score")
add("t10.csv", None, 3, "Quảng Nam", 2022, "dti_rank", 31, "rank")
add("t11.csv", None, 3, "Khánh Hòa", 2022, "dti_rank", 41, "rank")
add("t12.xlsx", "Bang 4.1", 9, "Hòa Bình", 2017, "internet_subscribers", 50974, "count")
add("t12.xlsx", "Bang 4.1", 10, "Hòa Bình", 2017, "mobile_subscribers", 723931, "count")
add("t12.xlsx", "Bang 4.1", 7, "Hòa Bình", 2017, "other:bts_masts", 793, "cột")
for year, mob, net in zip(range(2016, 2021), (87.72, 96.57, 90.63, 83.78, 85.14),
                          (77.63, 83.49, 79.43, 79.46, 83.71), strict=True):
    q = "approx" if year == 2020 else "exact"
    add("t14.xlsx", "Sheet1", 8, "Đà Nẵng", year, "internet_users_pct", net, "pct", q)
    add("t14.xlsx", "Sheet1", 4, "Đà Nẵng", year, "other:mobile_phone_users_pct", mob, "% dân số", q)

NEGATIVES = ["t06.csv", "t08.csv", "t13.csv"]


def line(doc: str, sheet: str | None, row: int) -> str:
    text = read_path(PART / "reports" / doc).text
    pos = text.find(f"[{sheet}]") if sheet else 0
    hit = re.compile(rf"^{row}\. .*$", re.M).search(text, max(pos, 0))
    assert hit, (doc, sheet, row)
    return hit.group(0)


def main() -> None:
    docs = sorted({g[0] for g in G} | set(NEGATIVES))
    with (PART / "gold.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for doc in docs:
            if doc in NEGATIVES:
                writer.writerow([doc] + [""] * (len(COLUMNS) - 1))
                continue
            for d, sheet, row, province, year, indicator, value, unit, qualifier, optional in G:
                if d == doc:
                    writer.writerow([doc, province, year, indicator, "all", f"{value:g}" if isinstance(value, float)
                                     else value, unit, qualifier, "false", str(optional).lower(),
                                     line(doc, sheet, row)])


if __name__ == "__main__":
    main()
