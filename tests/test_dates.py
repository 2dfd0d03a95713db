"""Datelines and manifest dates (etl/dates.py)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.dates import find_dateline, parse_date

DATELINES = [
    ("Thứ hai, 16/11/2020 10:13", date(2020, 11, 16)),
    ("Thứ ba, 07/01/2014 15:26", date(2014, 1, 7)),
    ("Thứ 6, Ngày 22/12/2017, 11:00", date(2017, 12, 22)),
    ("12/07/2012 08:54 SA", date(2012, 7, 12)),
    ("Thứ Bảy, 19/10/2019 10:34:00 SA", date(2019, 10, 19)),
    ("Thứ Sáu, 30/11/2018 23:18:00 +07:00", date(2018, 11, 30)),
    ("06:35 | 18/04/2022 GMT+7", date(2022, 4, 18)),
    ("25/07/2024 lúc 22:30 (GMT+7)", date(2024, 7, 25)),
    ("Chủ nhật - 26/02/2023 19:52", date(2023, 2, 26)),
    ("15/09/2023 - 18:45", date(2023, 9, 15)),
    ("Ngày đăng : 08:51, 02/03/2022", date(2022, 3, 2)),
    ("Cập nhật: 11:08 ngày 24/03/2017", date(2017, 3, 24)),
    ("( Cập nhật lúc: 21/12/2022 )", date(2022, 12, 21)),
    ("Thứ Hai, ngày 16 tháng 11 năm 2020", date(2020, 11, 16)),
    ("2020-11-16 10:13", date(2020, 11, 16)),
    # US month/day order on MIC print pages: a second number above 12, or AM/PM (not SA/CH)
    ("5/24/2011 2:53:51 PM", date(2011, 5, 24)),
    ("12/2/2011 2:07:42 PM", date(2011, 12, 2)),
    ("24/5/2011 2:53 PM", date(2011, 5, 24)),  # 24 cannot be a month: day first whatever the suffix
]


@pytest.mark.parametrize(("line", "expected"), DATELINES)
def test_dateline_forms(line: str, expected: date) -> None:
    text = f"Sở TT&TT Lào Cai tổng kết năm 2020\n\n{line}\n\nToàn tỉnh có 912 trạm BTS."
    assert find_dateline(text) == expected


@pytest.mark.parametrize(
    "prose",
    [
        "Ngày 14/11/2005, UBND tỉnh Lào Cai ban hành Quyết định số 715/QĐ-UBND về việc thành lập Sở.",
        "Sáng ngày 14/11/2020, tại Trung tâm Hội nghị tỉnh, Sở TT&TT tỉnh Lào Cai tổ chức buổi lễ.",
        "- Thời gian: : 08:30 - 11:30, ngày 25/04/2021",
        "- Phía Bắc vào ngày 26/5/2021;",
        "Sáng 27/11, Sở Thông tin và Truyền thông tổ chức gặp mặt",  # no year
        "Nghị định số 86/2015/NĐ-CP",
    ],
)
def test_dates_in_prose_are_not_datelines(prose: str) -> None:
    assert find_dateline(f"Tiêu đề bài viết\n{prose}\nNội dung tiếp theo.") is None


def test_dateline_only_near_the_top() -> None:
    filler = "\n".join(f"Đoạn văn số {i} nói về hạ tầng viễn thông của tỉnh." for i in range(25))
    assert find_dateline(f"Tiêu đề\n{filler}\nThứ hai, 16/11/2020 10:13") is None
    assert find_dateline(f"Tiêu đề\n\n\n\nThứ hai, 16/11/2020 10:13\n{filler}") == date(2020, 11, 16)


def test_first_dateline_wins_and_impossible_dates_are_skipped() -> None:
    assert find_dateline("31/02/2020 10:00\nCập nhật: 01/03/2020") == date(2020, 3, 1)
    assert find_dateline("16/11/2020 10:13\n17/11/2020 09:00") == date(2020, 11, 16)


def test_dateline_in_decomposed_text() -> None:
    line = unicodedata.normalize("NFD", "Thứ Sáu, Ngày đăng 30/11/2018")
    assert find_dateline(line) == date(2018, 11, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-11-16", date(2020, 11, 16)),
        ("2020-11-16T10:13:00+07:00", date(2020, 11, 16)),
        ("16/11/2020", date(2020, 11, 16)),
        ("16.11.2020", date(2020, 11, 16)),
        ("5/24/2011", date(2011, 5, 24)),
        (" 2020 ", date(2020, 7, 1)),
        ("11/2020", date(2020, 11, 1)),
        ("", None),
        ("   ", None),
        ("không rõ", None),
        ("31/02/2020", None),
        ("16/11/20", None),
        ("1850", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@given(st.text(max_size=300))
def test_find_dateline_never_raises(text: str) -> None:
    result = find_dateline(text)
    assert result is None or isinstance(result, date)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_parse_date_round_trips_iso_and_dmy(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day


@pytest.mark.parametrize("text,expected", [
    (" date 2026-01-05 Trong giai đoạn 2021-2025, tỉnh Quảng Ninh …", date(2026, 1, 5)),  # a long first line
    ("date 2023-06 Theo báo cáo đánh giá tình hình công tác quản lý nhà nước quý II/2023 …", date(2023, 6, 1)),
    ("date of the meeting 2020-01-02 …", None),
])
def test_the_stored_pages_leading_date_marker_is_their_date(text, expected):
    """The annotation rules (real-dev a/README, "Year"): "hiện nay" takes the year of "a dateline or the leading
    ` date` marker" of a stored page; the marker opens a line that is otherwise prose, too long for a dateline."""
    assert find_dateline(text) == expected
