"""Write part u's table files (reports/*.csv, *.xlsx) from values transcribed from real public pages.

Every value below was copied by hand from the page whose URL is in reports/manifest.csv (README.md says,
for each file, what the page printed and how it was laid out). Nothing is computed, rounded or converted;
the only stated transformation is u01's rank numbers 2-10, written from the page's ordered list
("Đà Nẵng đứng đầu ..., xếp sau đó là A, B, C ..."). Run from the project root:

    .venv/bin/python data/corpus/u/make_reports.py

Standalone: needs only the standard library and openpyxl (no import of the project's etl package).
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parent / "reports"


def write_csv(name: str, rows: list[list[str]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def fill(ws, rows: list[list], number_format: str | None = None) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, float) and number_format:
                cell.number_format = number_format
    for c in range(1, max(len(r) for r in rows) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 18


# ------------------------------------------------------------------------------------------------ u01
# khoahocdoisong.vn (20/10/2021): DTI 2020 of the provinces. The page gives Đà Nẵng's and Ninh Thuận's
# values, the order of the top ten, Hà Nội's position 43, the bottom group and the provincial average, and
# refers to its image "Xếp hạng DTI 2020 của các tỉnh, thành phố trên cả nước"; laid out as that ranking
# table (rank | province | value), with "..." gap rows, a "Xếp cuối" row and the average row, then the
# ministries' block the page also reports.
def u01() -> None:
    rows = [
        ["Xếp hạng DTI 2020 của các tỉnh, thành phố trên cả nước"],
        ["Nguồn: Báo cáo chỉ số đánh giá chuyển đổi số (DTI) 2020, Bộ Thông tin và Truyền thông"],
        ["Xếp hạng", "Tỉnh, thành phố", "Giá trị DTI 2020 (điểm)"],
        ["1", "Đà Nẵng", "0,4874"],
        ["2", "Thừa Thiên - Huế", ""],
        ["3", "Bắc Ninh", ""],
        ["4", "Quảng Ninh", ""],
        ["5", "Thành phố Hồ Chí Minh", ""],
        ["6", "Tiền Giang", ""],
        ["7", "Cần Thơ", ""],
        ["8", "Ninh Bình", ""],
        ["9", "Kiên Giang", ""],
        ["10", "Bắc Giang", ""],
        ["...", "...", ""],
        ["43", "TP Hà Nội", ""],
        ["...", "...", ""],
        ["Nhóm cuối bảng", "Phú Yên", ""],
        ["Nhóm cuối bảng", "Cao Bằng", ""],
        ["Xếp cuối", "Ninh Thuận", "0,2108"],
        ["", "DTI 2020 cấp tỉnh trung bình", "0,3026"],
        [],
        ["Xếp hạng DTI 2020 của các bộ, ngành cung cấp dịch vụ công"],
        ["Xếp hạng", "Bộ, ngành", "Giá trị DTI 2020 (điểm)"],
        ["1", "Bộ Tài chính", "0,4944"],
        ["2", "Ngân hàng Nhà nước", ""],
        ["3", "Bộ Kế hoạch và Đầu tư", ""],
        ["4", "Bảo hiểm xã hội", ""],
        ["Xếp cuối", "Bộ Lao động thương binh và xã hội", "0,2472"],
    ]
    write_csv("u01.csv", rows)


# ------------------------------------------------------------------------------------------------ u02
# stttt.bacninh.gov.vn (19/10/2021): the DTI 2020 announcement on the Bắc Ninh department's site. Block
# layout with an entity-type column ("Khối"): ministries with and without public services (a value written
# with a decimal point, "0.4944", and the lowest/highest value of a block), the top three provinces, then
# Bắc Ninh's three pillar ranks in a second small table (province only in its title).
def u02() -> None:
    rows = [
        ["Kết quả đánh giá mức độ chuyển đổi số cấp bộ, cấp tỉnh năm 2020"],
        ["Khối", "Đơn vị", "Xếp hạng", "Giá trị DTI"],
        ["Bộ có cung cấp dịch vụ công", "Bộ Tài chính", "1", "0.4944"],
        ["Bộ không cung cấp dịch vụ công", "Đài Truyền hình Việt Nam", "1", ""],
        ["Bộ không cung cấp dịch vụ công", "Giá trị DTI thấp nhất", "", "0.0992"],
        ["Bộ không cung cấp dịch vụ công", "Giá trị DTI cao nhất", "", "0.2995"],
        ["Tỉnh, thành phố thuộc Trung ương", "Đà Nẵng", "1", ""],
        ["Tỉnh, thành phố thuộc Trung ương", "Thừa Thiên Huế", "2", ""],
        ["Tỉnh, thành phố thuộc Trung ương", "Bắc Ninh", "3", ""],
        [],
        ["Xếp hạng 3 trụ cột chuyển đổi số của Bắc Ninh"],
        ["Trụ cột", "Hạng"],
        ["Chính quyền số", "8"],
        ["Kinh tế số", "2"],
        ["Xã hội số", "2"],
    ]
    write_csv("u02.csv", rows)


# ------------------------------------------------------------------------------------------------ u03
# skhdt.bacninh.gov.vn (21/09/2022): Bắc Ninh's DTI 2021 ranks, "4/63" style, overall and per pillar.
# XLSX with a merged three-row header (title row; "Tỉnh" and "DTI cấp tỉnh" merged down two rows;
# "Xếp hạng theo trụ cột" merged across the three pillar columns), then a note row with the index's
# structure counts (9 main indices, 98 components).
def u03() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DTI 2021"
    rows = [
        ["Xếp hạng DTI năm 2021 cấp tỉnh", "", "", "", ""],
        ["Tỉnh", "DTI cấp tỉnh", "Xếp hạng theo trụ cột", "", ""],
        ["", "", "Chính quyền số cấp tỉnh", "Kinh tế số cấp tỉnh", "Xã hội số cấp tỉnh"],
        ["Bắc Ninh", "4/63", "4/63", "6/63", "6/63"],
        ["Ghi chú: DTI cấp tỉnh gồm 9 chỉ số chính với 98 chỉ số thành phần, 9 chỉ số chính được phân thành "
         "nhóm chỉ số nền tảng chung và nhóm chỉ số về hoạt động."],
    ]
    fill(ws, rows)
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:E2")
    ws.merge_cells("A5:E5")
    wb.save(OUT / "u03.xlsx")


# ------------------------------------------------------------------------------------------------ u04
# daidoanket.vn: DTI 2021 of Ninh Bình and Thanh Hóa. One wide row per province: rank ("6/63") and total
# score side by side, the change in rank against 2020 as words, the three pillar ranks, and the margin over
# the national average; the average itself in a last row.
def u04() -> None:
    rows = [
        ["Bảng xếp hạng chỉ số chuyển đổi số DTI cấp tỉnh năm 2021"],
        ["Tỉnh", "Xếp hạng DTI 2021", "Tổng điểm", "So với năm 2020", "Chính quyền số", "Kinh tế số", "Xã hội số",
         "Cao hơn mức điểm bình quân của cả nước"],
        ["Ninh Bình", "6/63", "0,5064", "tăng 2 bậc", "5", "8", "5", "0,105"],
        ["Thanh Hóa", "12/63", "0,4880", "tăng 3 bậc", "12", "22", "12", "0,0866"],
        ["Bình quân cả nước", "", "0,4014", "", "", "", "", ""],
    ]
    write_csv("u04.csv", rows)


# ------------------------------------------------------------------------------------------------ u05
# baomoi.net.vn: ICT Index 2023. XLSX with a two-row merged header: each index (the overall ICT Index and
# four components) spans two columns "Điểm | Xếp hạng". Đà Nẵng has all ten cells; the three provinces the
# page lists next have their overall score only (the page's order and scores disagree, so no rank is
# written for them). Numbers are numeric cells, as printed (0,84 -> 0.84).
def u05() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ICT Index 2023"
    rows = [
        ["Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin và truyền thông Việt Nam (ICT Index) năm 2023"],
        ["Bảng xếp hạng chung các tỉnh, thành phố trực thuộc Trung ương"],
        ["Tỉnh, thành phố", "ICT Index", "", "Hạ tầng kỹ thuật", "", "Hạ tầng nhân lực", "", "Ứng dụng công nghệ thông tin",
         "", "Công nghiệp công nghệ thông tin", ""],
        ["", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng"],
        ["Đà Nẵng", 0.84, 1, 0.79, 2, 0.78, 2, 0.96, 1, 0.11, 6],
        ["Cần Thơ", 0.6881],
        ["Quảng Ninh", 0.6514],
        ["Bắc Ninh", 0.664],
    ]
    fill(ws, rows)
    ws.merge_cells("A1:K1")
    ws.merge_cells("A2:K2")
    ws.merge_cells("A3:A4")
    for col in ("B3:C3", "D3:E3", "F3:G3", "H3:I3", "J3:K3"):
        ws.merge_cells(col)
    wb.save(OUT / "u05.xlsx")


# ------------------------------------------------------------------------------------------------ u06
# ef.itpc.gov.vn: digital-economy share of GRDP by province (Báo cáo thường niên kinh tế số Việt Nam 2022).
# Long layout: group | province | rank as the page words it | share, the unit in the value header; then the
# page's count of provinces per share band.
def u06() -> None:
    rows = [
        ["Bức tranh tỷ trọng kinh tế số trên GRDP các tỉnh thành phố cả nước."],
        ["Nguồn: Báo cáo thường niên kinh tế số Việt Nam 2022 do Ban Kinh tế Trung ương và Bộ Thông tin và "
         "Truyền thông bảo trợ"],
        ["Nhóm", "Tỉnh, thành phố", "Thứ hạng", "Tỷ trọng Kinh tế số trên GRDP (%)"],
        ["Nhóm 5 tỉnh, thành phố dẫn đầu", "Bắc Ninh", "Đứng đầu", "56,83"],
        ["Nhóm 5 tỉnh, thành phố dẫn đầu", "Thái Nguyên", "Thứ 2", "42,92"],
        ["Nhóm 5 tỉnh, thành phố dẫn đầu", "Bắc Giang", "", "42,13"],
        ["Nhóm 5 tỉnh, thành phố dẫn đầu", "Hải Phòng", "", "29,48"],
        ["Nhóm 5 tỉnh, thành phố dẫn đầu", "Vĩnh Phúc", "", "22,87"],
        ["", "Đà Nẵng", "", "19,76"],
        ["", "Tp.HCM", "Thứ 6", "18,66"],
        ["", "Hà Nội", "Thứ 7", "17,15"],
        ["Nhóm 5 tỉnh, thành phố ở cuối", "Tây Ninh", "", "5,78"],
        ["Nhóm 5 tỉnh, thành phố ở cuối", "Tiền Giang", "", "5,73"],
        ["Nhóm 5 tỉnh, thành phố ở cuối", "Bình Thuận", "", "5,16"],
        ["Nhóm 5 tỉnh, thành phố ở cuối", "Bạc Liêu", "", "4,87"],
        ["Nhóm 5 tỉnh, thành phố ở cuối", "Quảng Ngãi", "", "4,21"],
        [],
        ["Nhóm tỷ trọng", "Số địa phương"],
        ["Trên 20%", "5"],
        ["Từ 10- 20%", "13"],
        ["Từ 5- 10%", "43"],
        ["Dưới 5%", "2"],
    ]
    write_csv("u06.csv", rows)


# ------------------------------------------------------------------------------------------------ u07
# vietgiaitri.com: adult smartphone use and feature-phone-only shares by province (Cục Viễn thông, to 3/2022).
# XLSX, provinces as rows, two value columns with gaps (the page names different provinces for the two
# measures; Đà Nẵng and TP.HCM have both), the unit on its own row ("ĐVT: %"), a national row first.
def u07() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Smartphone"
    rows = [
        ["Tỷ lệ người trưởng thành sử dụng smartphone và tỷ lệ dân số chỉ sử dụng featurephone"],
        ["Theo số liệu của Cục Viễn thông (Bộ TT&TT), đến tháng 3/2022"],
        ["ĐVT: %"],
        ["Địa phương", "Tỷ lệ người trưởng thành sử dụng smartphone",
         "Tỷ lệ dân số chỉ sử dụng featurephone (điện thoại phổ thông)"],
        ["Cả nước", 73.5, None],
        ["Hải Phòng", 78.4, None],
        ["Đà Nẵng", 77.8, 6.3],
        ["TP.HCM", 75.7, 7.9],
        ["Hà Nội", 74.5, None],
        ["Sơn La", 58.3, None],
        ["Hà Giang", 56.1, None],
        ["Lai Châu", 56.6, None],
        ["Điện Biên", 57.6, None],
        ["Long An", None, 12.6],
        ["Tiền Giang", None, 13.5],
        ["Bến tre", None, 15],
        ["Nam Định", None, 12.8],
        ["Thanh Hóa", None, 12.4],
        ["Cà Mau", None, 7.3],
    ]
    fill(ws, rows)
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:C2")
    wb.save(OUT / "u07.xlsx")


# ------------------------------------------------------------------------------------------------ u08
# mic.gov.vn (24/5/2011), from Sách Trắng CNTT-TT 2010: share of computers connected to the Internet, by
# group of agencies (ministries; provinces as a group), 2008-2009. National aggregates only: a negative.
def u08() -> None:
    rows = [
        ["Tỷ lệ máy vi tính có kết nối Internet (%)"],
        ["", "2008", "2009"],
        ["Bộ, cơ quan ngang Bộ, cơ quan trực thuộc Chính phủ", "80,33", "69,78"],
        ["Các tỉnh, thành phố trực thuộc trung ương", "79,30", "71,47"],
        ["Nguồn: Sách Trắng CNTT và Truyền thông Việt Nam 2010"],
    ]
    write_csv("u08.csv", rows)


# ------------------------------------------------------------------------------------------------ u09
# vneconomy.vn (01/2024): the ministry's 2023 telecom results for the whole country, laid out as a results
# table: indicator | estimated 2023 result | against 2022 | against the 2023 plan. National only: a negative.
def u09() -> None:
    rows = [
        ["Kết quả lĩnh vực viễn thông năm 2023 (báo cáo tổng kết năm 2023 của Bộ Thông tin và Truyền thông)"],
        ["Chỉ tiêu", "Ước thực hiện năm 2023", "So với năm 2022", "So với kế hoạch năm 2023"],
        ["Nộp ngân sách nhà nước lĩnh vực viễn thông", "46 nghìn tỷ đồng", "tăng khoảng 0,27%", "đạt 93%"],
        ["Tỷ lệ hộ gia đình sử dụng cáp quang", "79,4%", "tăng 4,9%", "đạt 94,2%"],
        ["Tỷ lệ người sử dụng Internet", "78,59%", "tăng 4,09%", ""],
        ["Số thuê bao sử dụng smartphone", "100,1 triệu", "tăng 5,7%", ""],
        ["Tỷ lệ người dùng smartphone/người dùng điện thoại di động", "84,4%", "", ""],
        ["Số tỉnh, thành phố trực thuộc Trung ương đã ban hành Kế hoạch phát triển Hạ tầng số", "42/63 (chiếm 75%)", "",
         ""],
        ["Số thuê bao băng rộng di động", "84,9 triệu thuê bao (85,5 thuê bao/100 dân)", "tăng 1,75%", "đạt 95,4%"],
    ]
    write_csv("u09.csv", rows)


# ------------------------------------------------------------------------------------------------ u10
# en.dangcongsan.vn (English): Bắc Ninh's DTI 2020 with its pillar values and ranks, and Đà Nẵng's value and
# first place. English headers and province names without diacritics, as the English page writes them;
# decimal points ("0.4096").
def u10() -> None:
    rows = [
        ["Provincial Digital Transformation Index (DTI) 2020"],
        ["Province", "DTI value", "DTI rank", "Digital government value", "Digital government rank",
         "Digital economy value", "Digital economy rank", "Digital society value", "Digital society rank"],
        ["Da Nang", "0.4874", "1", "", "", "", "", "", ""],
        ["Bac Ninh", "0.4096", "3", "0.4449", "8", "0.3668", "2", "0.4052", "2"],
    ]
    write_csv("u10.csv", rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for make in (u01, u02, u03, u04, u05, u06, u07, u08, u09, u10):
        make()


if __name__ == "__main__":
    main()
