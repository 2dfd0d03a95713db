"""Write part u's gold.csv from the hand annotations below. Each evidence is the document line (check.py's
`document_text`: a CSV file's raw line, an XLSX row's non-empty cells joined by " | ") that holds a unique
locator string; the script fails if a locator matches no line or several. Run from the project root:

    .venv/bin/python data/corpus/u/make_gold.py && .venv/bin/python data/corpus/u/check.py

Standalone: no import of the project's etl package.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

PART = Path(__file__).resolve().parent
COLUMNS = ["doc", "province", "year", "indicator", "scope", "value", "unit", "qualifier", "is_target", "optional",
           "evidence"]

_spec = importlib.util.spec_from_file_location("u_check", PART / "check.py")
_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_check)

# (doc, locator, province, year, indicator, value, unit, qualifier, optional)
G: list[tuple] = []


def add(doc, locator, province, year, indicator, value, unit, qualifier="exact", optional=False):
    G.append((doc, locator, province, year, indicator, value, unit, qualifier, optional))


# u01 DTI 2020, provinces: ranks 1-10 and 43, two values (Ninh Thuận's "Xếp cuối" has no number)
for rank, (label, province) in enumerate([
        ("1,Đà Nẵng", "Đà Nẵng"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"), ("3,Bắc Ninh", "Bắc Ninh"),
        ("Quảng Ninh", "Quảng Ninh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("Tiền Giang", "Tiền Giang"),
        ("Cần Thơ", "Cần Thơ"), ("Ninh Bình", "Ninh Bình"), ("Kiên Giang", "Kiên Giang"),
        ("Bắc Giang", "Bắc Giang")], start=1):
    add("u01.csv", label, province, 2020, "dti_rank", rank, "rank")
add("u01.csv", "TP Hà Nội", "Hà Nội", 2020, "dti_rank", 43, "rank")
add("u01.csv", "1,Đà Nẵng", "Đà Nẵng", 2020, "dti_score", 0.4874, "score")
add("u01.csv", "Ninh Thuận", "Ninh Thuận", 2020, "dti_score", 0.2108, "score")

# u02 DTI 2020, the three provinces' ranks (pillar ranks and ministries are not catalog values)
add("u02.csv", ",Đà Nẵng,1", "Đà Nẵng", 2020, "dti_rank", 1, "rank")
add("u02.csv", ",Thừa Thiên Huế,2", "Thừa Thiên Huế", 2020, "dti_rank", 2, "rank")
add("u02.csv", ",Bắc Ninh,3", "Bắc Ninh", 2020, "dti_rank", 3, "rank")

# u03 DTI 2021, Bắc Ninh: the overall rank "4/63" (the three pillar ranks are not catalog values)
add("u03.xlsx", "Bắc Ninh | 4/63", "Bắc Ninh", 2021, "dti_rank", 4, "rank")

# u04 DTI 2021, Ninh Bình and Thanh Hóa: rank and total score (not the pillar ranks, the margin or the average)
add("u04.csv", "Ninh Bình,6/63", "Ninh Bình", 2021, "dti_rank", 6, "rank")
add("u04.csv", "Ninh Bình,6/63", "Ninh Bình", 2021, "dti_score", 0.5064, "score")
add("u04.csv", "Thanh Hóa,12/63", "Thanh Hóa", 2021, "dti_rank", 12, "rank")
add("u04.csv", "Thanh Hóa,12/63", "Thanh Hóa", 2021, "dti_score", 0.488, "score")

# u05 ICT Index 2023: Đà Nẵng's score and rank, three more scores (component indices are not catalog values)
add("u05.xlsx", "Đà Nẵng | 0.84", "Đà Nẵng", 2023, "ict_index_score", 0.84, "score")
add("u05.xlsx", "Đà Nẵng | 0.84", "Đà Nẵng", 2023, "ict_index_rank", 1, "rank")
add("u05.xlsx", "Cần Thơ | ", "Cần Thơ", 2023, "ict_index_score", 0.6881, "score")
add("u05.xlsx", "Quảng Ninh | ", "Quảng Ninh", 2023, "ict_index_score", 0.6514, "score")
add("u05.xlsx", "Bắc Ninh | ", "Bắc Ninh", 2023, "ict_index_score", 0.664, "score")

# u06 digital-economy share of GRDP, 2022 (the report year, as part f's f035 for the same figures)
for label, province, value in [
        ("Bắc Ninh", "Bắc Ninh", 56.83), ("Thái Nguyên", "Thái Nguyên", 42.92), ("Bắc Giang", "Bắc Giang", 42.13),
        ("Hải Phòng", "Hải Phòng", 29.48), ("Vĩnh Phúc", "Vĩnh Phúc", 22.87), (",Đà Nẵng,", "Đà Nẵng", 19.76),
        ("Tp.HCM", "Hồ Chí Minh", 18.66), (",Hà Nội,", "Hà Nội", 17.15), ("Tây Ninh", "Tây Ninh", 5.78),
        ("Tiền Giang", "Tiền Giang", 5.73), ("Bình Thuận", "Bình Thuận", 5.16), ("Bạc Liêu", "Bạc Liêu", 4.87),
        ("Quảng Ngãi", "Quảng Ngãi", 4.21)]:
    add("u06.csv", label, province, 2022, "digital_economy_share_pct", value, "pct")
for label, province, rank in [("Bắc Ninh", "Bắc Ninh", 1), ("Thái Nguyên", "Thái Nguyên", 2),
                              ("Tp.HCM", "Hồ Chí Minh", 6), (",Hà Nội,", "Hà Nội", 7)]:
    add("u06.csv", label, province, 2022, "other:digital_economy_share_rank", rank, "rank")

# u07 adult smartphone use (to 3/2022) by province; feature-phone-only shares as other:
for label, province, value in [
        ("Hải Phòng | ", "Hải Phòng", 78.4), ("Đà Nẵng | ", "Đà Nẵng", 77.8), ("TP.HCM | ", "Hồ Chí Minh", 75.7),
        ("Hà Nội | ", "Hà Nội", 74.5), ("Sơn La | ", "Sơn La", 58.3), ("Hà Giang | ", "Hà Giang", 56.1),
        ("Lai Châu | ", "Lai Châu", 56.6), ("Điện Biên | ", "Điện Biên", 57.6)]:
    add("u07.xlsx", label, province, 2022, "smartphone_users_pct", value, "pct")
for label, province, value in [
        ("Đà Nẵng | ", "Đà Nẵng", 6.3), ("TP.HCM | ", "Hồ Chí Minh", 7.9), ("Long An | ", "Long An", 12.6),
        ("Tiền Giang | ", "Tiền Giang", 13.5), ("Bến tre | ", "Bến Tre", 15), ("Nam Định | ", "Nam Định", 12.8),
        ("Thanh Hóa | ", "Thanh Hóa", 12.4), ("Cà Mau | ", "Cà Mau", 7.3)]:
    add("u07.xlsx", label, province, 2022, "other:featurephone_only_pct", value, "% dân số")

# u10 DTI 2020 (English page): Đà Nẵng's and Bắc Ninh's value and rank (pillars not annotated)
add("u10.csv", "Da Nang,", "Đà Nẵng", 2020, "dti_score", 0.4874, "score")
add("u10.csv", "Da Nang,", "Đà Nẵng", 2020, "dti_rank", 1, "rank")
add("u10.csv", "Bac Ninh,", "Bắc Ninh", 2020, "dti_score", 0.4096, "score")
add("u10.csv", "Bac Ninh,", "Bắc Ninh", 2020, "dti_rank", 3, "rank")

NEGATIVES = ["u08.csv", "u09.csv"]


def evidence(doc: str, locator: str) -> str:
    lines = _check.document_text(str(PART / "reports" / doc)).splitlines()
    hits = [ln for ln in lines if locator in ln]
    assert len(hits) == 1, (doc, locator, hits)
    return hits[0]


def main() -> None:
    docs = sorted({g[0] for g in G} | set(NEGATIVES))
    with (PART / "gold.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for doc in docs:
            if doc in NEGATIVES:
                writer.writerow([doc] + [""] * (len(COLUMNS) - 1))
                continue
            for d, locator, province, year, indicator, value, unit, qualifier, optional in G:
                if d == doc:
                    writer.writerow([doc, province, year, indicator, "all", f"{value:g}", unit, qualifier, "false",
                                     str(optional).lower(), evidence(doc, locator)])


if __name__ == "__main__":
    main()
