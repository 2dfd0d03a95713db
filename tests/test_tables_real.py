"""The table path on the layouts real statistics publish (data/corpus/t): units in titles and unit
columns, indicators as rows with years as columns, years as rows under merged headers, score and rank
side by side, index sections, components of totals, districts, national rows and averages."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from etl.extract import extract_document
from etl.read import read_path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def values(path: Path, **meta: str) -> set[tuple]:
    doc = read_path(path, meta)
    return {(o.province, o.year, o.indicator, o.value, o.qualifier) for o in extract_document(doc).observations}


def test_unit_in_the_title_scales_counts_and_years_as_rows_under_a_merged_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["Số thuê bao điện thoại tỉnh Nghệ An"], ["Đơn vị tính: Nghìn thuê bao"],
                ["", "Tổng số", "Chia ra", None], ["", None, "Di động", "Cố định"],
                [2019, 2878.034, 2821.873, 56.161], ["Sơ bộ 2020", 2956.208, 2933.667, 22.541],
                ["Chỉ số phát triển (Năm trước = 100) - %"], [2020, 102.72, 103.96, 40.14]):
        sheet.append(row)
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("C3:D3")
    sheet.merge_cells("A7:D7")
    got = values(workbook.save(tmp_path / "t.xlsx") or tmp_path / "t.xlsx")
    assert got == {
        ("Nghệ An", 2019, "phone_subscribers", 2878034.0, "exact"),
        ("Nghệ An", 2019, "mobile_subscribers", 2821873.0, "exact"),
        ("Nghệ An", 2020, "phone_subscribers", 2956208.0, "approx"),  # Sơ bộ
        ("Nghệ An", 2020, "mobile_subscribers", 2933667.0, "approx"),
    }  # "Cố định" is not a catalog indicator; the index section's 102,72 is not a count


def test_indicators_as_rows_with_a_unit_column_components_and_english_thousands(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bcvt.csv", [
        ["Số liệu thống kê bưu chính viễn thông tỉnh Phú Yên"],
        ["STT", "Chỉ tiêu", "ĐVT", "2010", "2011"],
        ["", "HOẠT ĐỘNG BƯU CHÍNH VIỄN THÔNG"],
        ["1", "Số thuê bao internet", "thuê bao", "20,664", "20,036"],
        ["2", "Số bưu cục trung tâm", "bưu cục", "2", "2"],
        ["3", "Bưu cục khu vực", "bưu cục", "13", "13"],
        ["4", "Trạm thu phát sóng di động", "trạm", "337", "967"],
        ["5", "Doanh thu", "tỷ đồng", "845", "883"],
        ["", "Bưu chính", "tỷ đồng", "10", "13"],
        ["", "Viễn thông", "tỷ đồng", "831", "867"],
        ["6", "Số thuê bao điện thoại cố định và di động trả sau", "thuê bao", "136,477", "143,871"],
    ])
    assert values(path) == {
        ("Phú Yên", 2010, "internet_subscribers", 20664.0, "exact"),  # not 20,664
        ("Phú Yên", 2011, "internet_subscribers", 20036.0, "exact"),
        ("Phú Yên", 2010, "bts_stations", 337.0, "exact"),
        ("Phú Yên", 2011, "bts_stations", 967.0, "exact"),
        ("Phú Yên", 2010, "telecom_revenue_bn_vnd", 845.0, "exact"),  # the total under a BCVT section
        ("Phú Yên", 2011, "telecom_revenue_bn_vnd", 883.0, "exact"),
        ("Phú Yên", 2010, "postal_revenue_bn_vnd", 10.0, "exact"),  # "Doanh thu" + "Bưu chính"
        ("Phú Yên", 2011, "postal_revenue_bn_vnd", 13.0, "exact"),
    }  # "Viễn thông" is a component of the total; central and area post offices are parts; fixed+postpaid


def test_score_and_rank_side_by_side_with_the_province_in_the_title(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dti.csv", [
        ["Chỉ số chuyển đổi số (DTI) năm 2022 của tỉnh Quảng Nam"],
        ["Nội dung", "Giá trị", "Xếp hạng", "So với năm 2021"],
        ["Chỉ số DTI tỉnh Quảng Nam", "0,5808", "31", "Giảm 6 bậc"],
        ["Kinh tế số", "0,6062", "45/63", "Giảm 26 bậc"],
        ["Giá trị trung bình DTI cấp tỉnh (cả nước)", "0,5791", "", ""],
    ])
    assert values(path) == {("Quảng Nam", 2022, "dti_score", 0.5808, "exact"),
                            ("Quảng Nam", 2022, "dti_rank", 31.0, "exact")}


def test_ranking_with_rank_and_score_columns_and_a_national_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "xh.csv", [
        ["Xếp hạng chỉ số chuyển đổi số cấp tỉnh năm 2022"],
        ["Xếp hạng DTI", "Các tỉnh, thành phố trực thuộc TW", "Chỉ số Hoạt động kinh tế số",
         "CHUYỂN ĐỔI SỐ CẤP TỈNH (PDTI)"],
        ["1", "TP. Đà Nẵng", "0,7836", "0,8002"],
        ["4", "Thừa Thiên - Huế", "0,6787", "0,6975"],
        ["", "Cả nước", "0,5", "0,5791"],
    ])
    assert values(path) == {
        ("Đà Nẵng", 2022, "dti_rank", 1.0, "exact"), ("Đà Nẵng", 2022, "dti_score", 0.8002, "exact"),
        ("Thừa Thiên Huế", 2022, "dti_rank", 4.0, "exact"), ("Thừa Thiên Huế", 2022, "dti_score", 0.6975, "exact"),
    }  # a pillar's "kinh tế số" score is not the digital-economy share


def test_districts_and_the_provincial_city_are_not_the_province(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "huyen.csv", [
        ["Số thuê bao internet phân theo huyện, thành phố"],
        ["", "2021", "2022"],
        ["TỔNG SỐ - TOTAL", "50.974", "61.877"],
        ["Thành phố Hoà Bình - Hoa Binh city", "16.500", "21.021"],
        ["Huyện Đà Bắc - Da Bac district", "1.200", "1.430"],
    ])
    assert values(path, url="http://hoabinh.gov.vn/nien-giam") == {
        ("Hòa Bình", 2021, "internet_subscribers", 50974.0, "exact"),
        ("Hòa Bình", 2022, "internet_subscribers", 61877.0, "exact"),
    }


def test_a_national_table_gives_no_provincial_value_and_a_statistics_office_names_its_province(
        tmp_path: Path) -> None:
    national = write_csv(tmp_path / "qg.csv", [
        ["Số liệu thống kê mạng lưới bưu chính"], ["", "12/2008", "12/2009", "3/2010"],
        ["Số lượng điểm phục vụ bưu chính", "18.502", "17.976", "17.898"],
        ["Nguồn: Sách trắng CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG VIỆT NAM 2010"],
    ])
    assert values(national) == set()
    long = write_csv(tmp_path / "dai.csv", [
        ["208. Số thuê bao điện thoại và internet"],
        ["Năm", "Chỉ tiêu", "Số thuê bao (Thuê bao)", "Chỉ số phát triển (Năm trước = 100) - %"],
        ["2015", "Số thuê bao điện thoại - Tổng số", "1.120.000", "115,35"],
        ["2015", "Số thuê bao điện thoại - Trong đó: Di động", "1.071.000", "116,41"],
    ])
    assert values(long, url="http://thongkequangngai.com/niengiam2016/page318.html") == {
        ("Quảng Ngãi", 2015, "phone_subscribers", 1120000.0, "exact"),
        ("Quảng Ngãi", 2015, "mobile_subscribers", 1071000.0, "exact"),
    }


def test_a_unit_that_does_not_fit_the_indicator_drops_the_value(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", [
        ["Chỉ tiêu", "Đơn vị", "2020"],
        ["Số thuê bao internet", "%", "85"],  # a share, not a count
        ["Tỷ lệ người sử dụng Internet", "%", "77,63"],
    ])
    assert values(path, province="Đà Nẵng") == {("Đà Nẵng", 2020, "internet_users_pct", 77.63, "exact")}


def four(path: Path) -> set[tuple]:
    return {v[:4] for v in values(path)}


def test_layouts_of_issue_10_read_without_a_catalog_header(tmp_path: Path) -> None:
    """The table layouts the issue lists, each in a form the first table path missed: a bare "Xếp hạng" column
    beside an index's score, score and rank columns under a title naming the index, a unit written in a merged
    group header above the year columns, indicators as rows with one column per province (the national column
    left out), and a share's level named in its row label."""
    ranks = write_csv(tmp_path / "dti.csv", [["Kết quả Chỉ số chuyển đổi số cấp tỉnh năm 2023"],
                                             ["Xếp hạng", "Tỉnh/thành phố", "Điểm DTI"],
                                             ["1", "Đà Nẵng", "0,6705"], ["2", "Hà Nội", "0,6552"]])
    assert four(ranks) >= {("Đà Nẵng", 2023, "dti_rank", 1.0), ("Đà Nẵng", 2023, "dti_score", 0.6705),
                             ("Hà Nội", 2023, "dti_rank", 2.0)}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Bảng: Kết quả chỉ số ICT Index năm 2018"])
    sheet.append(["TT", "Tỉnh, thành phố", "Điểm", "Xếp hạng"])
    sheet.append([1, "Đà Nẵng", 0.8123, 1])
    book.save(tmp_path / "ict.xlsx")
    assert four(tmp_path / "ict.xlsx") == {("Đà Nẵng", 2018, "ict_index_score", 0.8123),
                                             ("Đà Nẵng", 2018, "ict_index_rank", 1.0)}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "SỐ THUÊ BAO ĐIỆN THOẠI DI ĐỘNG PHÂN THEO ĐỊA PHƯƠNG"
    sheet["A3"], sheet["B3"] = "Tỉnh/thành phố", "Số thuê bao (nghìn thuê bao)"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:C3")
    sheet["B4"], sheet["C4"] = 2021, 2022
    sheet["A5"], sheet["B5"], sheet["C5"] = "Sơn La", 1020.5, 1100.2
    book.save(tmp_path / "subs.xlsx")
    assert four(tmp_path / "subs.xlsx") == {("Sơn La", 2021, "mobile_subscribers", 1020500.0),
                                              ("Sơn La", 2022, "mobile_subscribers", 1100200.0)}
    by_province = write_csv(tmp_path / "p.csv", [["Hạ tầng viễn thông năm 2022"], ["Chỉ tiêu", "ĐVT", "Cả nước", "Hà Giang",
                                                 "Cao Bằng"], ["Số trạm BTS", "trạm", "110.000", "1.850", "1.620"]])
    assert four(by_province) == {("Hà Giang", 2022, "bts_stations", 1850.0), ("Cao Bằng", 2022, "bts_stations", 1620.0)}
    doc = read_path(write_csv(tmp_path / "cov.csv", [["Kết quả tỉnh Hà Giang"], ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2023"],
                                                    ["1", "Tỷ lệ thôn có sóng di động", "%", "99,2"]]))
    assert {(o.indicator, o.scope, o.value) for o in extract_document(doc).observations} \
        == {("mobile_coverage_pct", "village", 99.2)}


def test_part_u_train_layouts(tmp_path: Path) -> None:
    """Part u (train): an index's group header over "Điểm | Xếp hạng" beside its components' groups; ranks written
    "6/63" beside a bare "Tổng điểm"; "Đơn vị" holding bodies and provinces is not a unit column; "Xếp hạng theo
    trụ cột" columns are pillar ranks, not the index."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Chỉ số sẵn sàng cho phát triển và ứng dụng CNTT-TT Việt Nam (ICT Index) năm 2023"] * 5)
    sheet.append(["Tỉnh, thành phố", "ICT Index", "ICT Index", "Hạ tầng kỹ thuật", "Hạ tầng kỹ thuật"])
    sheet.append(["Tỉnh, thành phố", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng"])
    sheet.append(["Đà Nẵng", 0.84, 1, 0.79, 2])
    book.save(tmp_path / "ict.xlsx")
    assert four(tmp_path / "ict.xlsx") == {("Đà Nẵng", 2023, "ict_index_score", 0.84), ("Đà Nẵng", 2023, "ict_index_rank", 1.0)}
    wide = write_csv(tmp_path / "dti.csv", [["Bảng xếp hạng chỉ số chuyển đổi số DTI cấp tỉnh năm 2021"],
                                            ["Tỉnh", "Xếp hạng DTI 2021", "Tổng điểm", "So với năm 2020", "Chính quyền số"],
                                            ["Ninh Bình", "6/63", "0,5064", "tăng 2 bậc", "5"]])
    assert four(wide) == {("Ninh Bình", 2021, "dti_rank", 6.0), ("Ninh Bình", 2021, "dti_score", 0.5064)}
    bodies = write_csv(tmp_path / "bodies.csv", [["Kết quả đánh giá mức độ chuyển đổi số cấp bộ, cấp tỉnh năm 2020"],
                                                 ["Khối", "Đơn vị", "Xếp hạng", "Giá trị DTI"],
                                                 ["Bộ", "Bộ Tài chính", "1", "0.4944"],
                                                 ["Tỉnh, thành phố", "Đà Nẵng", "1", ""], ["Tỉnh, thành phố", "Bắc Ninh", "3", ""]])
    assert four(bodies) == {("Đà Nẵng", 2020, "dti_rank", 1.0), ("Bắc Ninh", 2020, "dti_rank", 3.0)}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Xếp hạng DTI năm 2021 cấp tỉnh"] * 4)
    sheet.append(["Tỉnh", "DTI cấp tỉnh", "Xếp hạng theo trụ cột", "Xếp hạng theo trụ cột"])
    sheet.append(["Tỉnh", "DTI cấp tỉnh", "Chính quyền số cấp tỉnh", "Kinh tế số cấp tỉnh"])
    sheet.append(["Bắc Ninh", "4/63", "4/63", "6/63"])
    book.save(tmp_path / "pillars.xlsx")
    assert four(tmp_path / "pillars.xlsx") == {("Bắc Ninh", 2021, "dti_rank", 4.0)}


def test_points_counted_in_a_unit_column_and_generation_coverage_headers(tmp_path: Path) -> None:
    """"Số điểm phục vụ bưu chính | Điểm" counts points (the unit word is also the word for a score), and a
    "Tỷ lệ phủ sóng 4G (%)" column is mobile coverage (real-dev a/README: any mobile signal, 3G/4G included)."""
    points = write_csv(tmp_path / "p.csv", [["Một số chỉ tiêu bưu chính tỉnh Điện Biên"],
                                            ["Chỉ tiêu", "Đơn vị tính", "2021", "2022"],
                                            ["Số điểm phục vụ bưu chính", "Điểm", "182", "185"]])
    assert four(points) == {("Điện Biên", 2021, "postal_service_points", 182.0),
                            ("Điện Biên", 2022, "postal_service_points", 185.0)}
    cov = write_csv(tmp_path / "c.csv", [["Năm", "Tỉnh/TP", "Số trạm BTS (trạm)", "Tỷ lệ phủ sóng 4G (%)"],
                                         ["2022", "Lào Cai", "1.305", "99,1"]])
    assert four(cov) == {("Lào Cai", 2022, "bts_stations", 1305.0), ("Lào Cai", 2022, "mobile_coverage_pct", 99.1)}
