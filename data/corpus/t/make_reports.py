"""Write part t's table files (reports/*.csv, *.xlsx) from values transcribed from real public pages.

Every value below was copied from the page whose URL is in reports/manifest.csv (see README.md for
each file's source and what was laid out how). Nothing is computed except the one stated unit change in
t01 (Nghệ An, thuê bao -> nghìn thuê bao, exact: 1.778.489 -> 1.778,489). Run from the project root:

    .venv/bin/python data/corpus/t/make_reports.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parent / "reports"


def write_csv(name: str, rows: list[list[str]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def sheet(ws, rows: list[list], number_format: dict[int, str] | None = None) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, float) and number_format and c in number_format:
                cell.number_format = number_format[c]
    for c in range(1, max(len(r) for r in rows) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16


# ------------------------------------------------------------------------------------------------ t01
# nghean.gov.vn "Số thuê bao điện thoại" (Niên giám thống kê 2020): years as rows, a two-row merged
# header (Tổng số | Chia ra: Di động, Cố định), the unit in the title rows as thousands, index section.
def t01() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu 1"
    data = [
        ("2015", 1778.489, 1055.245, 723.244), ("2016", 2547.107, 2486.243, 60.864),
        ("2017", 2671.489, 2607.016, 64.473), ("2018", 2504.854, 2447.373, 57.481),
        ("2019", 2878.034, 2821.873, 56.161), ("Sơ bộ - Prel. 2020", 2956.208, 2933.667, 22.541),
    ]
    index = [
        ("2015", 112.84, 112.73, 112.99), ("2016", 143.22, 235.61, 8.42), ("2017", 104.88, 104.86, 105.93),
        ("2018", 93.76, 93.88, 89.16), ("2019", 114.90, 115.30, 97.70),
        ("Sơ bộ - Prel. 2020", 102.72, 103.96, 40.14),
    ]
    rows: list[list] = [
        ["Số thuê bao điện thoại"],
        ["Number of telephone subscribers"],
        ["Đơn vị tính: Nghìn thuê bao - Unit: Thous. subscribers"],
        ["", "Tổng số - Total", "Chia ra - Of which", ""],
        ["", "", "Di động - Mobi-phone", "Cố định - Telephone"],
        *[[y, a, b, c] for y, a, b, c in data],
        ["Chỉ số phát triển (Năm trước = 100) - % / Index (Previous year = 100) - %"],
        *[[y, a, b, c] for y, a, b, c in index],
        ["Nguồn: Niên giám thống kê 2020"],
    ]
    sheet(ws, rows, {2: "#,##0.000", 3: "#,##0.000", 4: "#,##0.000"})
    for r in range(13, 19):
        for c in (2, 3, 4):
            ws.cell(row=r, column=c).number_format = "0.00"
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:D2")
    ws.merge_cells("A3:D3")
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:D4")
    ws.merge_cells("A12:D12")
    wb.save(OUT / "t01.xlsx")


# ------------------------------------------------------------------------------------------------ t02
# thongkequangngai.com Niên giám 2016, biểu 208: long layout, the unit in the value header, the
# development index (previous year = 100) in a column beside the value.
def t02() -> None:
    years = ["2010", "2011", "2012", "2013", "2014", "2015", "Sơ bộ - Prel. 2016"]
    total = ["1.105.000", "1.213.000", "1.050.000", "941.854", "971.000", "1.120.000", "1.035.075"]
    mobile = ["1.010.936", "1.139.867", "987.532", "890.294", "920.000", "1.071.000", "1.004.415"]
    internet = ["360.000", "420.000", "504.000", "540.000", "573.900", "720.000", "802.000"]
    index = [None, ("109,77", "112,75", "116,67"), ("86,56", "86,64", "120,00"), ("89,70", "90,15", "107,14"),
             ("103,09", "103,34", "106,28"), ("115,35", "116,41", "125,46"), ("92,42", "93,78", "111,39")]
    rows = [
        ["208. Số thuê bao điện thoại và internet"],
        ["Number of telephone and internet subscribers"],
        ["Năm", "Chỉ tiêu", "Số thuê bao (Thuê bao - Subscribers)",
         "Chỉ số phát triển (Năm trước = 100) - %"],
    ]
    labels = ["Số thuê bao điện thoại - Tổng số", "Số thuê bao điện thoại - Trong đó: Di động",
              "Số thuê bao internet"]
    for i, year in enumerate(years):
        for j, (label, series) in enumerate(zip(labels, (total, mobile, internet), strict=True)):
            rows.append([year, label, series[i], index[i][j] if index[i] else ""])
    rows.append(["Ghi chú: Số thuê bao 2013, 2014 giảm lý do thực hiện Thông tư số 04/2012/TT-BTTTT ngày "
                 "13/4/2012 về quản lý thuê bao di động trả trước, nên số lượng thuê bao ảo bị cắt giảm"])
    write_csv("t02.csv", rows)


# ------------------------------------------------------------------------------------------------ t03
# hoabinh.gov.vn niên giám, biểu 115: districts x as-of dates, "ĐVT: Chiếc", English thousands commas,
# a second header row of spreadsheet-mangled dates; the city row shares the province's name.
def t03() -> None:
    rows = [
        ["115. Số máy điện thoại trên địa bàn phân theo huyện, thành phố tại thời điểm 31/12/2009"],
        ["Number of telephones in area by district as of 31/12/2009"],
        ["ĐVT: Chiếc"],
        ["", "12/2006", "12/2007", "12/2008", "12/2009"],
        ["", "Dec-06", "Jan-07", "Feb-08", "Mar-09"],
        ["TỔNG SỐ - TOTAL", "41,096", "49,975", "56,665", "61,877"],
        ["Thành phố Hoà Bình - Hoa Binh city", "16,500", "21,021", "24,804", "28,773"],
        ["Huyện Đà Bắc - Da Bac district", "1,200", "1,430", "1,617", "1,763"],
        ["Huyện Mai Châu - Mai Chau district", "1,692", "1,973", "2,269", "2,518"],
        ["Huyện Kỳ Sơn - Ky Son district", "2,200", "2,558", "2,865", "3,209"],
        ["Huyện Lương Sơn - Luong Son district", "3,782", "4,650", "4,087", "4,496"],
        ["Huyện Cao Phong - Cao Phong district", "1,500", "1,600", "1,760", "1,918"],
        ["Huyện Kim Bôi - Kim Boi district", "4,124", "5,456", "6,438", "7,146"],
        ["Huyện Tân Lạc - Tan Lac district", "2,510", "2,811", "3,120", "3,401"],
        ["Huyện Lạc Sơn - Lac Son district", "3,501", "3,985", "4,583", "4,995"],
        ["Huyện Lạc Thuỷ - Lac Thuy district", "1,982", "2,141", "2,419", "2,685"],
        ["Huyện Yên Thuỷ - Yen Thuy district", "2,105", "2,350", "2,703", "2,973"],
    ]
    write_csv("t03.csv", rows)


# ------------------------------------------------------------------------------------------- t04, t05
# duyenhaimientrung.vn "Số liệu thống kê Vận tải, bưu chính viễn thông" (two provinces' pages; the
# province is not named): indicators as rows, an ĐVT column, years as columns, English thousands commas.
def t04() -> None:
    header = ["STT", "Chỉ tiêu", "ĐVT", "2008", "2009", "2010", "2011", "2012"]
    rows = [
        ["Số liệu thống kê Vận tải, bưu chính viễn thông"],
        header,
        ["", "HOẠT ĐỘNG BƯU CHÍNH VIỄN THÔNG"],
        ["1", "Số máy điện thoại thuê bao cố định", "máy", "182,340", "157,126", "139,872", "93,465", "74,646"],
        ["2", "Số thuê bao internet", "thuê bao", "11,878", "18,368", "20,664", "20,036", "21,827"],
        ["3", "Số bưu cục trung tâm", "bưu cục", "2", "4", "2", "2", ""],
        ["4", "Số bưu cục huyện", "bưu cục", "14", "14", "15", "15", ""],
        ["5", "Bưu cục khu vực", "bưu cục", "9", "21", "13", "13", ""],
        ["6", "Trạm thu phát sóng di động", "trạm", "172", "225", "337", "967", ""],
        ["7", "Thư và điện chuyển tiền", "nghìn cái", "69", "53", "45", "42", ""],
        ["8", "Doanh thu", "tỷ đồng", "490", "626", "845", "883", ""],
        ["", "  Bưu chính", "tỷ đồng", "6", "7", "10", "13", ""],
        ["", "  Viễn thông", "tỷ đồng", "480", "615", "831", "867", ""],
        ["", "  Thu, phát hành báo chí", "tỷ đồng", "3", "3", "3", "3", ""],
        header,
        ["", "KHỐI LƯỢNG HÀNG HÓA VẬN CHUYỂN CỦA ĐỊA PHƯƠNG"],
        ["", "Tổng số", "nghìn tấn", "2,592", "2,828", "3,280", "3,849", "4,503"],
        ["1", "Phân theo thành phần kinh tế"],
        ["", "  Nhà nước", "nghìn tấn", "", "90", "98", "50", "31"],
        ["", "  Ngoài nhà nước", "nghìn tấn", "2,592", "2,738", "3,182", "3,799", "4,472"],
        ["", "  Khu vực có vốn đầu tư nước ngoài", "nghìn tấn"],
        ["2", "Phân theo ngành vận tải"],
        ["", "  Đường bộ", "nghìn tấn", "2,562", "2,794", "3,235", "3,805", "4,427"],
        ["", "  Đường sông", "nghìn tấn", "", "", "", "", "24"],
        ["", "  Đường biển", "nghìn tấn", "30", "34", "45", "44", "52"],
    ]
    write_csv("t04.csv", rows)


def t05() -> None:
    header = ["STT", "Chỉ tiêu", "ĐVT", "2008", "2009", "2010", "2011", "2012"]
    rows = [
        ["Số liệu thống kê Vận tải, bưu chính viễn thông"],
        header,
        ["", "CƠ SỞ VẬT CHẤT KỸ THUẬT VÀ KẾT QUẢ HOẠT ĐỘNG CỦA NGÀNH BCVT ĐẾN 31/12"],
        ["1", "Mạng lưới dịch vụ bưu điện", "bưu cục"],
        ["", "  Bưu điện trung tâm", "bưu cục", "1", "1", "1", "1", ""],
        ["", "  Bưu điện huyện", "bưu cục", "6", "6", "6", "7", ""],
        ["", "  Bưu điện khu vực", "bưu cục", "58", "58", "58", "58", ""],
        ["2", "Số thuê bao điện thoại cố định và di động trả sau", "thuê bao",
         "93,218", "107,660", "136,477", "143,871", "130,646"],
        ["3", "Số thuê bao điện thoại bình quân 100 dân", "thuê bao", "17", "19", "24", "25", ""],
        ["4", "Số thuê bao internet", "thuê bao", "6,532", "10,229", "14,576", "15,708", "26,188"],
        ["5", "Doanh thu BCVT", "tỷ đồng", "160", "274", "316", "334", ""],
        header,
        ["", "KHỐI LƯỢNG HÀNG HÓA VẬN CHUYỂN CỦA ĐỊA PHƯƠNG"],
        ["", "Tổng số", "nghìn tấn", "2,376", "2,916", "3,244", "3,513", "4,318"],
        ["1", "Phân theo thành phần kinh tế"],
        ["", "Nhà nước", "nghìn tấn", "2,376", "2,916", "3,244", "3,513", "4,318"],
        ["", "Ngoài nhà nước", "nghìn tấn"],
        ["", "Khu vực có vốn đầu tư nước ngoài", "nghìn tấn"],
        ["2", "Phân theo ngành vận tải"],
        ["", "Đường bộ", "nghìn tấn", "2,376", "2,916", "3,244", "3,513", "4,318"],
        ["", "Đường sông", "nghìn tấn"],
        ["", "Đường biển", "nghìn tấn"],
    ]
    write_csv("t05.csv", rows)


# ------------------------------------------------------------------------------------------------ t06
# cucthongke.vn, rural census 2006 (Bình Thuận): communes' and households' telephones, the province
# total then district blocks, a unit column, two years and two change columns. No catalog indicator.
def t06() -> None:
    rows = [
        ["Số trụ sở xã, số hộ có máy điện thoại"],
        ["", "Đơn vị tính", "2001", "2006", "Tăng giảm so với 2001", ""],
        ["", "", "", "", "Số lượng", "Tỷ lệ (%)"],
        ["Toàn tỉnh"],
    ]
    blocks = [
        (None, [("76", "92", "16", "21,05"), ("83", "95", "12", ""), ("12.356", "31.471", "19.115", "154,70"),
                ("9", "20", "12", "")]),
        ("1. Thành phố Phan Thiết", [("4", "4", "0", "0,00"), ("100", "100", "0", ""),
                                    ("1.727", "1.636", "-91", "-5,27"), ("37", "35", "-2", "")]),
        ("2. Thị xã La Gi", [("4", "4", "", ""), ("100", "100", "", ""), ("1.381", "1.381", "", ""),
                             ("19", "19", "", "")]),
        ("3. Huyện Tuy Phong", [("8", "9", "1", "12,50"), ("89", "90", "1", ""),
                                ("1.443", "3.360", "1.917", "132,85"), ("12", "23", "12", "")]),
        ("4. Huyện Bắc Bình", [("13", "16", "3", "23,08"), ("81", "94", "13", ""),
                               ("1.602", "4.092", "2.490", "155,43"), ("8", "19", "11", "")]),
        ("5. Huyện Hàm Thuận Bắc", [("11", "13", "2", "18,18"), ("69", "87", "18", ""),
                                    ("1.358", "4.839", "3.481", "256,33"), ("5", "16", "11", "")]),
        ("6. Huyện Hàm Thuận Nam", [("8", "11", "3", "37,50"), ("67", "92", "25", "")]),
    ]
    labels = [("1. Trụ sở UBND xã có điện thoại", ""), ("2. Tỷ lệ trụ sở UBND xã có điện thoại", "%"),
              ("3. Số hộ có máy điện thoại", "hộ"), ("4. Tỷ lệ hộ có máy điện thoại", "%")]
    for name, values in blocks:
        if name:
            rows.append([name])
        for (label, unit), (a, b, c, d) in zip(labels, values, strict=False):
            rows.append([label, unit, a, b, c, d])
    write_csv("t06.csv", rows)


# ------------------------------------------------------------------------------------------------ t07
# dti.gov.vn/xep-hang-2022: the 63-province DTI ranking, and the detailed table (rank, eight component
# indices and the provincial DTI score side by side) for the five provinces the page shows.
DTI_2022 = [
    "TP. Đà Nẵng", "TP. Hồ Chí Minh", "Quảng Ninh", "Thừa Thiên - Huế", "TP. Cần Thơ", "Lạng Sơn", "Bắc Ninh",
    "Thái Nguyên", "Bắc Giang", "Nam Định", "Long An", "Bình Phước", "Hải Dương", "TP. Hải Phòng", "Thanh Hóa",
    "Yên Bái", "Hậu Giang", "Vĩnh Phúc", "Bình Dương", "Tiền Giang", "Ninh Bình", "Lâm Đồng", "Phú Thọ",
    "TP. Hà Nội", "Trà Vinh", "Quảng Ngãi", "Ninh Thuận", "Bà Rịa - Vũng Tàu", "Bình Định", "Vĩnh Long",
    "Quảng Nam", "Kiên Giang", "Hưng Yên", "Hà Nam", "Điện Biên", "Sóc Trăng", "Hà Tĩnh", "Lào Cai", "Đồng Tháp",
    "Tây Ninh", "Khánh Hòa", "Hòa Bình", "Đồng Nai", "Sơn La", "Kon Tum", "Quảng Bình", "Đắk Lắk", "Tuyên Quang",
    "Đắk Nông", "Bình Thuận", "Bến Tre", "Nghệ An", "Lai Châu", "An Giang", "Quảng Trị", "Thái Bình", "Hà Giang",
    "Cà Mau", "Phú Yên", "Bạc Liêu", "Cao Bằng", "Gia Lai", "Bắc Kạn",
]
DTI_2022_RANKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15] + list(range(17, 64))
DTI_2022_DETAIL = [
    (1, "TP. Đà Nẵng", 1.0000, 0.9000, 0.8253, 0.8487, 0.7578, 0.8575, 0.7836, 0.5197, 0.8002),
    (2, "TP. Hồ Chí Minh", 0.8917, 0.9000, 0.8258, 0.6267, 0.5580, 0.8406, 0.7611, 0.3590, 0.7163),
    (3, "Quảng Ninh", 0.9581, 0.9000, 0.7648, 0.6250, 0.5382, 0.8385, 0.5904, 0.4505, 0.7024),
    (4, "Thừa Thiên - Huế", 0.9500, 0.9000, 0.6823, 0.6794, 0.6423, 0.8262, 0.6787, 0.3001, 0.6975),
    (5, "TP. Cần Thơ", 0.9000, 0.8000, 0.7233, 0.7376, 0.7226, 0.7325, 0.7556, 0.2947, 0.6924),
]


def t07() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Xep hang DTI"
    rows: list[list] = [
        ["BÁO CÁO XẾP HẠNG Đánh giá mức độ chuyển đổi số năm 2022"],
        ["XẾP HẠNG DTI", "CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TW"],
        *[[rank, name] for rank, name in zip(DTI_2022_RANKS, DTI_2022, strict=True)],
    ]
    sheet(ws, rows)
    ws2 = wb.create_sheet("Xep hang chi tiet")
    header = ["Xếp hạng DTI", "Các tỉnh, thành phố trực thuộc TW", "Chỉ số Nhận thức số", "Chỉ số Thể chế số",
              "Chỉ số Hạ tầng số", "Chỉ số Nhân lực số", "Chỉ số An toàn thông tin mạng",
              "Chỉ số Hoạt động chính quyền số", "Chỉ số Hoạt động kinh tế số", "Chỉ số Hoạt động xã hội số",
              "CHUYỂN ĐỔI SỐ CẤP TỈNH (PDTI)"]
    rows2: list[list] = [["Xếp hạng chi tiết"], header, *[list(r) for r in DTI_2022_DETAIL]]
    sheet(ws2, rows2, {c: "0.0000" for c in range(3, 12)})
    wb.save(OUT / "t07.xlsx")


# ------------------------------------------------------------------------------------------------ t08
# vinhphuc.gov.vn: the 2017 IT-application / e-government ranking (not DTI, not ICT Index), "01 (0,727)".
VP_2017 = [
    ("Thừa Thiên - Huế", "01 (0,727)"), ("TP. Đà Nẵng", "02 (0,716)"), ("Lâm Đồng", "03 (0,714)"),
    ("Quảng Ninh", "04 (0,703)"), ("TP. Hồ Chí Minh", "05 (0,688)"), ("Lào Cai", "06 (0,679)"),
    ("Khánh Hòa", "07 (0,678)"), ("An Giang", "08 (0,677)"), ("Tiền Giang", "09 (0,665)"),
    ("Hà Tĩnh", "10 (0,662)"), ("Bình Dương", "11 (0,659)"), ("TP. Hà Nội", "12 (0,656)"),
    ("Bắc Kạn", "13 (0,651)"), ("Bắc Ninh", "14 (0,649)"), ("Nghệ An", "15 (0,648)"), ("Đồng Nai", "16 (0,640)"),
    ("Thanh Hóa", "17 (0,633)"), ("Bà Rịa - Vũng Tàu", "17 (0,633)"), ("Phú Thọ", "19 (0,624)"),
    ("Đồng Tháp", "20 (0,623)"), ("TP. Cần Thơ", "21 (0,614)"), ("Tây Ninh", "22 (0,609)"),
    ("Hà Giang", "23 (0,606)"), ("Gia Lai", "24 (0,602)"), ("Thái Bình", "25 (0,594)"),
    ("Bình Định", "26 (0,589)"), ("Bắc Giang", "27 (0,588)"), ("Bình Thuận", "28 (0,584)"),
    ("Kiên Giang", "29 (0,580)"), ("Thái Nguyên", "30 (0,578)"), ("Hải Dương", "31 (0,572)"),
    ("Đắk Nông", "32 (0,567)"), ("Quảng Trị", "32 (0,567)"), ("Hà Nam", "34 (0,565)"),
    ("Vĩnh Long", "35 (0,564)"), ("Vĩnh Phúc", "36 (0,561)"), ("Long An", "37 (0,559)"),
    ("Hưng Yên", "38 (0,558)"), ("Cà Mau", "39 (0,549)"), ("Ninh Thuận", "40 (0,546)"),
    ("Tuyên Quang", "40 (0,546)"), ("Quảng Ngãi", "42 (0,545)"), ("Sơn La", "43 (0,544)"),
    ("TP. Hải Phòng", "44 (0,543)"), ("Quảng Bình", "45 (0,540)"), ("Phú Yên", "46 (0,534)"),
    ("Yên Bái", "47 (0,527)"), ("Đắk Lắk", "48 (0,525)"), ("Trà Vinh", "49 (0,510)"),
    ("Ninh Bình", "50 (0,504)"), ("Bạc Liêu", "51 (0,490)"), ("Nam Định", "52 (0,485)"),
    ("Lạng Sơn", "53 (0,476)"),
]


def t08() -> None:
    rows = [
        ["Kết quả đánh giá xếp hạng mức độ ứng dụng CNTT, phát triển Chính phủ điện tử của các tỉnh, thành phố "
         "trực thuộc trung ương năm 2017"],
        ["1. Xếp hạng và chỉ số đánh giá tổng thể mức độ ứng dụng CNTT, phát triển Chính phủ điện tử của các "
         "tỉnh, thành phố trực thuộc Trung ương"],
        ["TT", "Tỉnh, thành phố trực thuộc Trung ương", "Năm 2017"],
        *[[str(i), name, value] for i, (name, value) in enumerate(VP_2017, start=1)],
    ]
    write_csv("t08.csv", rows)


# ------------------------------------------------------------------------------------------- t09-t11
# One province's DTI 2022 result as its own report annex shows it: score and rank side by side, the
# three pillars below, the change against 2021 in its own column; the province only in the title.
def t09() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DTI 2022"
    rows: list[list] = [
        ["Kết quả Chỉ số đánh giá chuyển đổi số (DTI) năm 2022 của tỉnh Trà Vinh"],
        ["Chỉ số", "Giá trị (điểm)", "Xếp hạng (/63)", "Tăng so với năm 2021 (điểm)"],
        ["Chỉ số chuyển đổi số (DTI) cấp tỉnh", 0.6077, 25, 0.1783],
        ["Chính quyền số", 0.6683, 29],
        ["Kinh tế số", 0.6647, 27],
        ["Xã hội số", 0.5991, 26],
    ]
    sheet(ws, rows, {2: "0.0000", 4: "0.0000"})
    wb.save(OUT / "t09.xlsx")


def t10() -> None:
    rows = [
        ["Chỉ số chuyển đổi số (DTI) năm 2022 của tỉnh Quảng Nam"],
        ["Nội dung", "Giá trị", "Xếp hạng", "So với năm 2021"],
        ["Chỉ số DTI tỉnh Quảng Nam", "0,5808", "31", "Giảm 6 bậc"],
        ["Chính quyền số", "0,6674", "30/63", "Giảm 03 bậc"],
        ["Kinh tế số", "0,6062", "45/63", "Giảm 26 bậc"],
        ["Xã hội số", "0,5585", "41/63", "Giảm 22 bậc"],
        ["Giá trị trung bình DTI cấp tỉnh (cả nước)", "0,5791", "", ""],
    ]
    write_csv("t10.csv", rows)


def t11() -> None:
    rows = [
        ["Xếp hạng Chỉ số chuyển đổi số (DTI) năm 2022 tỉnh Khánh Hòa"],
        ["Chỉ số", "Xếp hạng", "Thay đổi so với năm 2021"],
        ["Chỉ số DTI cấp tỉnh", "41/63", "Giảm 11 bậc"],
        ["Chính quyền số", "44/63", "Giảm 10 bậc"],
        ["Kinh tế số", "30/63", "Tăng 02 bậc"],
        ["Xã hội số", "36/63", "Giảm 03 bậc"],
    ]
    write_csv("t11.csv", rows)


# ------------------------------------------------------------------------------------------------ t12
# 123docz.net (thesis on Hòa Bình), Bảng 4.1: indicators as rows with a unit column, the province
# total ("Cả tỉnh") beside three sub-provincial areas; the year and the province only in the title.
def t12() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bang 4.1"
    rows: list[list] = [
        ["Bảng 4.1. Một số chỉ tiêu chủ yếu về hiện trạng viễn thông Hòa Bình năm 2017"],
        ["STT", "Chỉ tiêu", "Đơn vị", "Cả tỉnh", "Vùng cao", "Vùng thấp", "Đô thị"],
        [1, "Số DN cung cấp dịch vụ internet", "DN", 3, 2, 3, 3],
        [2, "Số DN cung cấp mạng di động", "DN", 4, 3, 4, 4],
        [3, "Tổng đài chuyển mạch", "SL", 33, "--", "--", "--"],
        [4, "Mạng truyền dẫn cáp quang", "Km", 5606, 3312, 1784, 510],
        [5, "Số cột ăng ten thu phát sóng di động", "Cột", 793, 422, 267, 104],
        [6, "Bán kính phủ sóng", "Km/cột", 1.7, 1.95, 1.5, 0.9],
        [7, "Số lượng thuê bao Internet", "TB", 50974, 15328, 14589, 21057],
        [8, "Số lượng thuê bao Điện thoại di động", "TB", 723931, 356928, 244986, 122017],
        [9, "Số lượng thuê bao truyền hình trả tiền", "TB", 48043, 14630, 9526, 23887],
        ["Nguồn: Sở Thông tin và Truyền thông tỉnh Hòa Bình (2017)"],
    ]
    sheet(ws, rows)
    wb.save(OUT / "t12.xlsx")


# ------------------------------------------------------------------------------------------------ t13
# mic.gov.vn (Sách trắng CNTT-TT 2010): the national postal network; month/year columns. National only.
def t13() -> None:
    rows = [
        ["Số liệu thống kê mạng lưới bưu chính"],
        ["", "12/2008", "12/2009", "3/2010"],
        ["Số lượng điểm phục vụ bưu chính", "18.502", "17.976", "17.898"],
        ["Bán kính phục vụ bình quân trên 01 điểm phục vụ bưu chính (km)", "2,39", "2,42", "2,43"],
        ["Số dân phục vụ bình quân trên 01 điểm phục vụ bưu chính", "4.659", "4.796", "4.817"],
        ["Nguồn: Sách trắng CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG VIỆT NAM 2010"],
    ]
    write_csv("t13.csv", rows)


# ------------------------------------------------------------------------------------------------ t14
# danang.gov.vn (id=4514): indicators as rows, years as columns with "Sơ bộ 2020", "(ĐVT: %)" under the
# title, urban/rural breakdown rows under each indicator.
def t14() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows: list[list] = [
        ["Tỷ lệ người sử dụng điện thoại di động và Internet"],
        ["(ĐVT: %)"],
        ["", "2016", "2017", "2018", "2019", "Sơ bộ 2020"],
        ["Tỷ lệ người sử dụng điện thoại đi động", 87.72, 96.57, 90.63, 83.78, 85.14],
        ["Phân theo thành thị, nông thôn"],
        ["Thành thị", 95.70, 97.79, 91.78, 84.84, 86.21],
        ["Nông thôn", 34.03, 88.32, 82.86, 76.61, 77.84],
        ["Tỷ lệ người sử dụng Internet", 77.63, 83.49, 79.43, 79.46, 83.71],
        ["Phân theo thành thị, nông thôn"],
        ["Thành thị", 86.13, 88.01, 82.60, 83.19, 87.32],
        ["Nông thôn", 20.42, 52.99, 58.01, 54.12, 59.03],
    ]
    sheet(ws, rows, {c: "0.00" for c in range(2, 7)})
    wb.save(OUT / "t14.xlsx")


MANIFEST = [
    ("t01.xlsx", "https://nghean.gov.vn/van-tai-buu-chinh-va-vien-thong/so-thue-bao-dien-thoai-360550",
     "Số thuê bao điện thoại", ""),
    ("t02.csv", "http://thongkequangngai.com/niengiam2016/files/assets/basic-html/page318.html",
     "208. Số thuê bao điện thoại và internet", ""),
    ("t03.csv", "http://hoabinh.gov.vn/web/guest/nien-giam?p_p_id=vn_gov_hoabinh_portlet_cmsview_CmsViewPortlet_"
     "INSTANCE_m7LkBldj4OoV&p_p_lifecycle=0&p_p_col_id=column-1&p_p_col_count=10&_vn_gov_hoabinh_portlet_cmsview_"
     "CmsViewPortlet_INSTANCE_m7LkBldj4OoV_categoryId=2853",
     "115. Số máy điện thoại trên địa bàn phân theo huyện, thành phố tại thời điểm 31/12/2009", "2010-07-13"),
    ("t04.csv", "http://duyenhaimientrung.vn/65-78-467/So-lieu-thong-ke-Van-tai,-buu-chinh-vien.aspx",
     "Số liệu thống kê Vận tải, bưu chính viễn thông", ""),
    ("t05.csv", "http://duyenhaimientrung.vn/65-78-509/So-lieu-thong-ke-Van-tai,-buu-chinh-vien.aspx",
     "Số liệu thống kê Vận tải, bưu chính viễn thông", ""),
    ("t06.csv", "http://cucthongke.vn/chuyende/ntnnpt/Pages/09.htm", "Số trụ sở xã, số hộ có máy điện thoại", ""),
    ("t07.xlsx", "https://dti.gov.vn/xep-hang-2022", "BÁO CÁO XẾP HẠNG Đánh giá mức độ chuyển đổi số năm 2022", ""),
    ("t08.csv", "http://www.vinhphuc.gov.vn/ct/cms/thongbao/Lists/ThongBao/View_detail.aspx?ItemID=1504",
     "Kết quả đánh giá xếp hạng mức độ ứng dụng CNTT, phát triển Chính phủ điện tử của các tỉnh, thành phố "
     "trực thuộc trung ương năm 2017", "2018-07-05"),
    ("t09.xlsx", "https://travinh.gov.vn/1426/37932/73050/691291/chuyen-doi-so/danh-gia-muc-do-chuyen-doi-so-nam-"
     "2022-tra-vinh-xep-hang-25-63-tinh-thanh-pho",
     "Đánh giá mức độ chuyển đổi số năm 2022, Trà Vinh xếp hạng 25/63 tỉnh, thành phố", ""),
    ("t10.csv", "https://thuvienphapluat.vn/van-ban/Cong-nghe-thong-tin/Ke-hoach-7501-KH-UBND-2023-cai-thien-nang-"
     "cao-chi-so-chuyen-doi-so-DTI-Quang-Nam-585133.aspx",
     "Kế hoạch cải thiện và nâng cao chỉ số chuyển đổi số (DTI) tỉnh Quảng Nam năm 2023", "2023-11-03"),
    ("t11.csv", "https://timhieuluat24h.com/Ke-hoach-11252-KH-UBND-2023-nang-cao-chi-so-chuyen-doi-so-DT",
     "Kế hoạch 11252/KH-UBND 2023 nâng cao chỉ số chuyển đổi số DTI Khánh Hòa", "2023-10-30"),
    ("t12.xlsx", "https://123docz.net/trich-doan/2956093-thuc-trang-phat-trien-vien-thong-thu-dong-tren-dia-ban-"
     "tinh-hoa-binh.htm", "Thực trạng phát triển viễn thông thụ động trên địa bàn tỉnh Hòa Bình", ""),
    ("t13.csv", "https://m.mic.gov.vn/mic_2020/Pages/TinTuc/102300/So-lieu-thong-ke-mang-luoi-buu-chinh.html",
     "Số liệu thống kê mạng lưới bưu chính", ""),
    ("t14.xlsx", "https://www.danang.gov.vn/web/chuyen-trang-thong-tin-kinh-te-xa-hoi/chi-tiet-cd?id=4514&_c="
     "94677500,94677503,94677504", "Tỷ lệ người sử dụng điện thoại di động và Internet", "2021-11-15"),
]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for make in (t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14):
        make()
    with (OUT / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "url", "title", "published"])
        writer.writerows(MANIFEST)


if __name__ == "__main__":
    main()
