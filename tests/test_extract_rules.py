"""The extractor's phrasing families, on sentences written for these tests (variants of real phrasings
from the domain reference), and the traps that must yield nothing."""

from __future__ import annotations

from datetime import date

import pytest

from etl.extract import extract_text

PUB = date(2020, 11, 16)


def run(text: str, province: str = "Lào Cai", published: date | None = PUB):
    res = extract_text(text, name="t.txt", province_hint=province, published=published)
    return {(o.indicator, o.scope, o.value, o.qualifier, o.is_target, o.year) for o in res.observations}


def values(text: str, **kw):
    return {(i, s, v) for i, s, v, *_ in run(text, **kw)}


# --- families that must be found -----------------------------------------------------------------

FOUND = [
    # counts with the noun after the figure
    ("Đến nay toàn tỉnh có 1.235 trạm thu phát sóng di động.", {("bts_stations", "all", 1235)}),
    ("Hiện tỉnh có 860 trạm BTS và 3 doanh nghiệp viễn thông.", {("bts_stations", "all", 860)}),
    ("Quảng Bình hiện có 350 trạm TPSDD của 5 mạng điện thoại.", {("bts_stations", "all", 350)}),
    ("Toàn tỉnh có hơn 3.700 trạm thu phát sóng di động (trạm BTS).", {("bts_stations", "all", 3700)}),
    # bưu cục and BĐVHX counts in prose are optional by the annotation rules: tables only (catalog `from_prose`)
    ("Mạng lưới có 122 điểm phục vụ bưu chính, trong đó 61 bưu cục và 40 điểm Bưu điện văn hóa xã.",
     {("postal_service_points", "all", 122)}),
    ("Sở đã cấp 1.520 chứng thư số cho cán bộ, công chức.", {("digital_certificates", "all", 1520)}),
    ("Trên địa bàn có 03 doanh nghiệp cung cấp mạng điện thoại cố định và 05 nhà cung cấp mạng điện thoại di động.",
     {("fixed_line_operators", "all", 3), ("mobile_operators", "all", 5)}),
    # topic before the figure
    ("Mật độ điện thoại đạt 22,24 thuê bao/100 dân.", {("phone_subscribers_per_100", "all", 22.24)}),
    # the density written as "for every 100 inhabitants there are N subscribers"
    ("Bình quân cứ 100 dân có 62 thuê bao Internet.", {("internet_subscribers_per_100", "all", 62)}),
    ("Cứ 100 người dân thì có 45 thuê bao điện thoại di động.", {("mobile_subscribers_per_100", "all", 45)}),
    ("Tổng số thuê bao Internet trên toàn tỉnh đạt 25.461 thuê bao, đạt mật độ 1,5 thuê bao/100 dân.",
     {("internet_subscribers", "all", 25461), ("internet_subscribers_per_100", "all", 1.5)}),
    ("Tổng số thuê bao di động là 1 triệu 300 nghìn, mật độ 130 thuê bao/100 dân.",
     {("mobile_subscribers", "all", 1_300_000), ("mobile_subscribers_per_100", "all", 130)}),
    ("Năm 2019, tỷ trọng kinh tế số trong GRDP đạt 8,3%.", {("digital_economy_share_pct", "all", 8.3)}),
    ("Tổng doanh thu lĩnh vực bưu chính - viễn thông toàn tỉnh đạt khoảng 2.700 tỷ đồng.",
     {("telecom_revenue_bn_vnd", "all", 2700)}),
    ("Doanh thu bưu chính viễn thông năm 2018 đạt 158.674 triệu đồng.", {("telecom_revenue_bn_vnd", "all", 158.674)}),
    # percentages with levels
    ("Sóng di động đã phủ 100% trung tâm xã và 98,5% thôn, bản.",
     {("mobile_coverage_pct", "commune", 100), ("mobile_coverage_pct", "village", 98.5)}),
    ("Mạng truyền dẫn cáp quang tới trung tâm xã đạt 100%.", {("fibre_coverage_pct", "commune", 100)}),
    ("Hệ thống thư điện tử đã được triển khai tới 100% cơ quan cấp tỉnh, 80% UBND cấp xã.",
     {("email_agencies_pct", "province", 100), ("email_agencies_pct", "commune", 80)}),
    ("Có 90% cán bộ, công chức sử dụng thư điện tử trong công việc.", {("email_staff_pct", "all", 90)}),
    ("Tỷ lệ hộ gia đình có kết nối Internet cáp quang đạt 95,25%.",
     {("fixed_broadband_households_pct", "all", 95.25)}),
    ("100% cơ quan cấp tỉnh và cấp huyện đã kết nối Mạng truyền số liệu chuyên dùng.",
     {("data_network_agencies_pct", "province", 100), ("data_network_agencies_pct", "district", 100)}),
    # rankings
    ("Năm 2016, chỉ số ICT Index của tỉnh xếp thứ 19/63 tỉnh, thành phố.", {("ict_index_rank", "all", 19)}),
    ("Về chỉ số chuyển đổi số DTI, tỉnh được xếp hạng 09/63 tỉnh thành.", {("dti_rank", "all", 9)}),
]


@pytest.mark.parametrize("text,expected", FOUND, ids=[t[:40] for t, _ in FOUND])
def test_family_found(text, expected):
    assert values(text) == expected


def test_qualifiers_and_scale_words():
    got = run("Tổng số thuê bao di động trên địa bàn hiện nay là gần 2 triệu; có trên 95% thôn, bản được phủ sóng di động.")
    assert ("mobile_subscribers", "all", 2_000_000.0, "approx", False, 2020) in got
    assert ("mobile_coverage_pct", "village", 95.0, "at_least", False, 2020) in got


def test_top_n_is_a_group_not_a_rank():
    # "Top 10" bounds a rank; the dashboard shows ranks, so a bound is never stored as one
    assert run("Chỉ số ICT Index của tỉnh nhiều năm liền luôn đứng trong Top 10 cả nước.") == set()
    assert run("Lào Cai là một trong 5 địa phương dẫn đầu về chỉ số DTI năm 2023.") == set()


def test_one_sentence_several_levels():
    text = ("Hạ tầng cáp quang kết nối đến 100% trung tâm cấp huyện, xã, phường, thị trấn, tổ dân phố, "
            "60% kết nối đến thôn.")
    assert values(text) == {("fibre_coverage_pct", "district", 100), ("fibre_coverage_pct", "commune", 100),
                            ("fibre_coverage_pct", "village", 60)}


# --- traps that must yield nothing ---------------------------------------------------------------

TRAPS = [
    # growth rates, increments, percent of plan
    "Doanh thu bưu chính viễn thông tăng 14,2% so với năm 2019.",
    "Trong năm, các doanh nghiệp xây dựng được thêm 14 trạm BTS.",
    "Năm 2020 toàn tỉnh đã phát triển thêm khoảng 400.000 thuê bao điện thoại di động.",
    "Doanh thu bưu chính viễn thông đạt 47% so với kế hoạch năm.",
    "Chỉ số ICT Index của tỉnh tăng 26 bậc so với năm 2017.",
    # national figures
    "Cả nước hiện có 9.690 đài truyền thanh, tỷ lệ hộ gia đình sử dụng cáp quang đạt 78,3%.",
    "Theo Bộ TT&TT, tỷ trọng kinh tế số của cả nước đạt 14,26%.",
    # operators and districts
    "Viettel đã phát sóng khoảng 800 trạm BTS 5G tại tỉnh.",
    "Trên địa bàn huyện Định Hoá, với 7,5 nghìn thuê bao Internet cáp quang.",
    # no number, or a number that is not an indicator
    "Kết nối liên thông văn bản điện tử 4 cấp (Trung ương, tỉnh, huyện, xã).",
    "Sở hợp tác truyền thông với trên 60 cơ quan báo chí trung ương.",
    "Tổ chức 02 lớp tập huấn cho 86 học viên, lắp đặt 14 trạm truyền thanh xã.",
    "Các chỉ số ứng dụng CNTT của tỉnh luôn duy trì trong tốp đầu cả nước.",
    "Cổng thông tin điện tử có 3 ngôn ngữ và cung cấp dịch vụ công trực tuyến mức độ 2 cho 8 huyện.",
    # founding and decision dates
    "Ngày 14/11/2005, UBND tỉnh ban hành Quyết định số 715/QĐ-UBND thành lập Sở Bưu chính, Viễn thông.",
    # component rank, not the overall rank
    "Theo ICT Index 2016, chỉ số hạ tầng kỹ thuật CNTT của tỉnh xếp thứ 12.",
]


@pytest.mark.parametrize("text", TRAPS, ids=[t[:40] for t in TRAPS])
def test_trap_yields_nothing(text):
    assert run(text) == set()


def test_a_part_year_figure_is_kept_with_its_period_and_stays_out_of_facts():
    """The annotation rules record part-year values with their year; a manager must not read a 6-month
    revenue as the year's, so the value carries its period and a confidence below the facts threshold."""
    from etl.defaults import FACTS_MIN_CONFIDENCE

    res = extract_text("6 tháng đầu năm 2020, tổng doanh thu bưu chính viễn thông của tỉnh Lào Cai ước đạt 950 tỷ đồng. "
                       "Quý II năm 2021, tỷ lệ hồ sơ trực tuyến của tỉnh Lào Cai đạt 80%.")
    got = {(o.indicator, o.value, o.year, o.period) for o in res.observations}
    assert got == {("telecom_revenue_bn_vnd", 950, 2020, "6M"), ("online_dossiers_pct", 80, 2021, "Q2")}
    assert all(o.confidence < FACTS_MIN_CONFIDENCE for o in res.observations)


# --- targets -------------------------------------------------------------------------------------

def test_targets_are_flagged():
    got = run("Đến cuối năm 2025, tỉnh phấn đấu tỷ trọng kinh tế số chiếm 20% GRDP.")
    assert got == {("digital_economy_share_pct", "all", 20.0, "exact", True, 2025)}
    got = run("Mục tiêu đến hết năm 2025, đạt 100% thôn được phủ sóng di động.")
    assert {(i, s, v, t) for i, s, v, _, t, _ in got} == {("mobile_coverage_pct", "village", 100.0, True)}


def test_achieved_target_is_not_a_target():
    got = run("Năm 2019, tỉnh đã hoàn thành vượt chỉ tiêu, tỷ trọng kinh tế số đạt 9%.")
    assert got == {("digital_economy_share_pct", "all", 9.0, "exact", False, 2019)}


# --- province of each value ----------------------------------------------------------------------

def test_other_province_in_a_ranking_sentence():
    res = extract_text("Theo ICT Index 2016, Bắc Giang đứng thứ 19/63 tỉnh, thành phố.", province_hint="Lạng Sơn")
    assert [(o.province, o.year, o.value) for o in res.observations] == [("Bắc Giang", 2016, 19.0)]


def test_province_named_after_the_reorganization():
    res = extract_text("Đến nay toàn tỉnh có 4.120 trạm BTS.", province_hint="Yên Bái", published=date(2025, 9, 1))
    [o] = res.observations
    assert (o.province, o.province_code, o.year) == ("Lào Cai", "34-15", 2025)


# --- year of each value --------------------------------------------------------------------------

def test_year_bound_after_the_figure():
    res = extract_text("Chỉ số ICT Index: tỉnh xếp thứ 32/63; vị trí số 58 năm 2017.", province_hint="Lạng Sơn",
                       published=date(2018, 4, 1))
    # 32 has no edition named (the publication year is not an index edition): unknown, not guessed
    assert {(o.value, o.year) for o in res.observations} == {(32.0, None), (58.0, 2017)}


def test_year_end_review_published_in_january_refers_to_previous_year():
    text = ("Sở tổ chức hội nghị tổng kết hoạt động năm 2013.\n\nHiện, toàn tỉnh có 97% cơ quan, đơn vị sử dụng "
            "hộp thư điện tử.")
    assert run(text, published=date(2014, 1, 7)) == {("email_agencies_pct", "all", 97.0, "exact", False, 2013)}


def test_anniversary_arithmetic():
    text = ("Gặp mặt kỷ niệm 20 năm ngày thành lập.\nCách đây 20 năm, ngày 24 tháng 12 năm 2004, Sở được thành lập.\n"
            "Tỷ trọng kinh tế số đạt 12,5%.")
    assert run(text, published=None) == {("digital_economy_share_pct", "all", 12.5, "exact", False, 2024)}


def test_no_date_means_no_year():
    assert run("Tổng số thuê bao di động hiện nay là 1.950.000.", published=None) == {
        ("mobile_subscribers", "all", 1_950_000.0, "exact", False, None)}


def test_plan_period_is_not_a_reference_year():
    got = run("Thực hiện Đề án giai đoạn 2016 - 2020, hiện toàn tỉnh có 1.100 trạm BTS.")
    assert got == {("bts_stations", "all", 1100.0, "exact", False, 2020)}


# --- plausibility ----------------------------------------------------------------------------------

def test_hard_bound_drops_with_reason():
    res = extract_text("Toàn tỉnh có 95.000 trạm BTS.", province_hint="Lào Cai", published=PUB)
    assert res.observations == []
    assert any("plausible range" in reason for reason, _ in res.dropped)


def test_warn_bound_keeps_with_low_confidence():
    res = extract_text("Toàn tỉnh có 16.500 trạm BTS.", province_hint="Hà Nội", published=PUB)
    [o] = res.observations
    assert o.value == 16500 and o.confidence <= 0.3


def test_continuation_of_a_target_sentence_is_a_target():
    text = ("Mục tiêu về chính quyền số của tỉnh là 100% dịch vụ công trực tuyến mức độ 4. "
            "Bên cạnh đó, kinh tế số chiếm 20% GRDP.")
    assert {(i, t) for i, _, _, _, t, _ in run(text)} == {
        ("online_public_services_pct", True), ("digital_economy_share_pct", True)}


def test_no_province_no_value():
    res = extract_text("Hiện có khoảng 1.200 trạm BTS tại Indonesia.", published=PUB)
    assert res.observations == []
    assert any("which province" in reason for reason, _ in res.dropped)


def test_all_written_as_a_word_is_100_percent():
    got = values("Đến nay, toàn bộ các xóm trong tỉnh đã được cung cấp dịch vụ Internet băng thông rộng cáp quang.")
    assert got == {("fibre_coverage_pct", "village", 100)}
    # ... only before a level noun
    assert run("Toàn bộ cán bộ đã sử dụng thư điện tử công vụ.") == set()


MORE_FOUND = [
    ("Với 0,4582 điểm, năm 2019, tỉnh xếp hạng 25/63 tỉnh, thành phố trong bảng xếp hạng ICT Index.",
     {("ict_index_score", "all", 0.4582, 2019), ("ict_index_rank", "all", 25, 2019)}),
    # no edition named: the publication year is not the edition's (DTI 2022 was announced in 2023)
    ("Tỉnh được xếp hạng 09/63 tỉnh thành về chỉ số chuyển đổi số DTI.", {("dti_rank", "all", 9, None)}),
    ("Gần 2,2 triệu thuê bao điện thoại, đạt tỷ lệ mật độ 156 thuê bao/100 dân.",
     {("phone_subscribers", "all", 2_200_000, 2020), ("phone_subscribers_per_100", "all", 156, 2020)}),
    ("Mạng di động 3G/4G/5G và Internet cố định đã phủ 100% số ấp, khu phố.",
     {("mobile_coverage_pct", "village", 100, 2020)}),
    ("Tỷ lệ phần trăm hộ gia đình có truy nhập Internet băng rộng cáp quang đạt 80%.",
     {("fixed_broadband_households_pct", "all", 80, 2020)}),
    # users per 100 people are not subscribers per 100
    ("Thuê bao Internet đạt mật độ 1,5 thuê bao/100 dân và số người sử dụng Internet đạt 5,25 người/100 dân.",
     {("internet_subscribers_per_100", "all", 1.5, 2020)}),
    # a breakdown's "other" points are not the total
    ("Có 122 điểm phục vụ bưu chính (trong đó 61 bưu cục; 14 điểm phục vụ thuộc loại hình khác).",
     {("postal_service_points", "all", 122, 2020)}),
]


@pytest.mark.parametrize("text,expected", MORE_FOUND, ids=[t[:40] for t, _ in MORE_FOUND])
def test_more_real_phrasings(text, expected):
    assert {(i, s, v, y) for i, s, v, _, _, y in run(text)} == expected


FAMILIES_FROM_THE_SYNTHETIC_BENCHMARK = [
    ("Tỷ lệ thôn, bản được phủ sóng di động băng rộng đạt 85%.", {("mobile_coverage_pct", "village", 85)}),
    ("Tỷ lệ xã, phường, thị trấn có đài truyền thanh đạt 96,5%.", {("commune_radio_pct", "commune", 96.5)}),
    ("Tổng số chứng thư số đã cấp trên địa bàn tỉnh là 27.316.", {("digital_certificates", "all", 27316)}),
    ("Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính đạt 100%.",
     {("online_public_services_pct", "all", 100)}),
    ("Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến đạt 63%.",
     {("online_dossiers_pct", "all", 63)}),
    ("Có 46,93% hộ gia đình trong tỉnh đã sử dụng Internet cáp quang.",
     {("fixed_broadband_households_pct", "all", 46.93)}),
    ("Giá trị tăng thêm của kinh tế số đóng góp khoảng 18,3% vào GRDP.", {("digital_economy_share_pct", "all", 18.3)}),
    ("Có 69% dân số thường xuyên sử dụng Internet.", {("internet_users_pct", "all", 69)}),
]


@pytest.mark.parametrize("text,expected", FAMILIES_FROM_THE_SYNTHETIC_BENCHMARK,
                         ids=[t[:40] for t, _ in FAMILIES_FROM_THE_SYNTHETIC_BENCHMARK])
def test_families_found_by_the_benchmark(text, expected):
    assert values(text) == expected


def test_a_possibility_is_not_a_level():
    assert run("Chuyển đổi số có thể giúp kinh tế số đóng góp 20% GRDP của tỉnh.") == set()


def test_a_target_without_a_year_has_no_year():
    got = run("Mục tiêu của tỉnh là 100% dịch vụ công trực tuyến mức độ 4.")
    assert got == {("online_public_services_pct", "all", 100.0, "exact", True, None)}
