"""Tests for etl.text: normalization, folding, spans, page chrome and the language check."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.numbers import find_quantities
from etl.text import (
    chrome_spans,
    clause_spans,
    fold,
    looks_vietnamese,
    normalize,
    paragraph_spans,
    sentence_spans,
    unwrap,
)

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def seed(name: str) -> str:
    path = next(REPORTS.glob(f"{name}_*.txt"))
    return normalize(path.read_text(encoding="utf-8"))


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# --------------------------------------------------------------------------------------------------
# normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hoà Bình", "Hòa Bình"),
        ("Hòa Bình", "Hòa Bình"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("thuý", "thúy"),
        ("Thuỷ", "Thủy"),
        ("khoẻ", "khỏe"),
        ("hoạ sĩ", "họa sĩ"),
        ("loè loẹt", "lòe loẹt"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("THANH HOÁ", "THANH HÓA"),
        ("THUÝ", "THÚY"),
        ("KHOẺ", "KHỎE"),
        ("hOà", "hÒa"),
        # mark placement does not vary here: unchanged
        ("quý", "quý"),
        ("Quỳnh", "Quỳnh"),
        ("QUÝ", "QUÝ"),
        ("hoàn thành", "hoàn thành"),
        ("toán", "toán"),
        ("hoài", "hoài"),
        ("Huỳnh", "Huỳnh"),
        ("khuya", "khuya"),
        ("thuyền", "thuyền"),
        ("khoét", "khoét"),
        ("xoay", "xoay"),
    ],
)
def test_tone_mark_placement(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(nfd(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\u00a0b", "a b"),  # NBSP
        ("a\u202fb", "a b"),  # narrow NBSP
        ("a\u2007b", "a b"),  # figure space
        ("a\u2009b", "a b"),  # thin space
        ("a\tb", "a b"),
        ("a\u200bb", "ab"),  # zero-width space
        ("a\u200db", "ab"),  # zero-width joiner
        ("a\u00adb", "ab"),  # soft hyphen
        ("\ufeffabc", "abc"),  # BOM
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\n\n\nb", "a\n\n\nb"),  # line structure kept
        ("a   b", "a b"),
        ("  a \n b  ", "a\nb"),
        ("\u00a0\n", "\n"),
        ("1.198.108 thuê bao", "1.198.108 thuê bao"),
        ("\u00d0\u1eafk L\u1eafk", "Đắk Lắk"),  # Icelandic Eth look-alike
        ("", ""),
    ],
)
def test_normalize_cleans(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_nfd_input_is_composed() -> None:
    raw = "Sở Thông tin và Truyền thông tỉnh Lào Cai: Đắk Lắk"
    assert normalize(nfd(raw)) == raw
    assert normalize(nfd(raw)) == unicodedata.normalize("NFC", raw)


def test_normalize_never_raises_on_non_text() -> None:
    assert normalize(None) == ""  # type: ignore[arg-type]


def test_normalize_seed_idempotent_and_nfc() -> None:
    for path in REPORTS.glob("*.txt"):
        once = normalize(path.read_text(encoding="utf-8"))
        assert normalize(once) == once
        assert unicodedata.is_normalized("NFC", once)
        assert "\u00a0" not in once and "\r" not in once


@given(st.text())
def test_normalize_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_normalize_ignores_decomposition(text: str) -> None:
    assert normalize(nfd(text)) == normalize(text)


_VI_LETTERS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYhkltqnđĐ \n\u00a0\u200b" + "\u0300\u0301\u0309\u0303\u0323"


@given(st.text(alphabet=_VI_LETTERS, max_size=80))
@settings(max_examples=300)
@example("OÀ\u0300")  # a tone mark left after the moved vowel composes with it: found by hypothesis
def test_normalize_properties_on_vietnamese_letters(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert normalize(nfd(text)) == once
    assert normalize(unicodedata.normalize("NFC", text)) == once


# --------------------------------------------------------------------------------------------------
# fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đắk Lắk", "dak lak"),
        ("Hòa Bình", "hoa binh"),
        ("Hoà Bình", "hoa binh"),
        ("THỪA THIÊN HUẾ", "thua thien hue"),
        ("trên 95%", "tren 95%"),
        ("Tỷ lệ", "ty le"),
        ("ước đạt", "uoc dat"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize("raw", ["İstanbul", "ß", "ﬁ", "ŉ", "a\u0301", "\u0301", "Σ", "ǅ"])
def test_fold_keeps_length_on_awkward_chars(raw: str) -> None:
    assert len(fold(raw)) == len(raw)


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)


@given(st.text(alphabet=_VI_LETTERS, max_size=80))
def test_fold_offsets_match_original(text: str) -> None:
    text = normalize(text)
    folded = fold(text)
    for i, ch in enumerate(text):
        assert fold(ch) == folded[i]


# --------------------------------------------------------------------------------------------------
# sentences, clauses, paragraphs


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Có 912 trạm. Mật độ 62 thuê bao.", ["Có 912 trạm.", "Mật độ 62 thuê bao."]),
        ("Đạt 1.198.108 thuê bao. Tốt!", ["Đạt 1.198.108 thuê bao.", "Tốt!"]),
        ("Mật độ 6,2 thuê bao/100 dân. Năm 2013", ["Mật độ 6,2 thuê bao/100 dân.", "Năm 2013"]),
        ("Đạt 12.5 điểm. Hết", ["Đạt 12.5 điểm.", "Hết"]),
        ("Ngày 14/11/2020, tại TP. Lào Cai có họp.", ["Ngày 14/11/2020, tại TP. Lào Cai có họp."]),
        ("Cuối 3.2019 đạt. Sau đó", ["Cuối 3.2019 đạt.", "Sau đó"]),
        ("Tại TP.HCM có 5 xã. Tại Tp. Hà Nội có 6.", ["Tại TP.HCM có 5 xã.", "Tại Tp. Hà Nội có 6."]),
        ("TS. Nguyễn Văn A và ThS. Lê B dự. PGS. Trần C phát biểu.",
         ["TS. Nguyễn Văn A và ThS. Lê B dự.", "PGS. Trần C phát biểu."]),
        ("Bưu chính, viễn thông, v.v. Tiếp đó", ["Bưu chính, viễn thông, v.v. Tiếp đó"]),
        ("Tại Q. Hoàn Kiếm, St. Peter có 5 điểm.", ["Tại Q. Hoàn Kiếm, St. Peter có 5 điểm."]),
        ("Mục tiêu là 5 xã. xã khác chưa", ["Mục tiêu là 5 xã. xã khác chưa"]),
        ("Có 5 xã; 6 huyện. Hết", ["Có 5 xã; 6 huyện.", "Hết"]),
        ("Dòng một\nDòng hai", ["Dòng một", "Dòng hai"]),
        ("Có gì? Có… Không.", ["Có gì?", "Có…", "Không."]),
        ("Ông nói: “Đạt 95%.” Sau đó", ["Ông nói: “Đạt 95%.”", "Sau đó"]),
        ("1. Hạ tầng viễn thông phát triển.", ["1. Hạ tầng viễn thông phát triển."]),
        ("II. Kết quả đạt được", ["II. Kết quả đạt được"]),
        ("phát triển.Năm 2013 đạt", ["phát triển.", "Năm 2013 đạt"]),
        ("   \n  \n", []),
        ("", []),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentence_spans_window_and_trim() -> None:
    text = "Mở đầu. Có 912 trạm BTS.  Mật độ 62 thuê bao/100 dân.  Kết thúc."
    a = text.index("Có")
    b = text.index("Kết")
    spans = sentence_spans(text, a, b)
    assert [text[x:y] for x, y in spans] == ["Có 912 trạm BTS.", "Mật độ 62 thuê bao/100 dân."]
    for x, y in spans:
        assert not text[x].isspace() and not text[y - 1].isspace()


@given(st.text(alphabet="ab .!?…\n19,/TP", max_size=120))
def test_sentence_spans_are_ordered_trimmed_and_cover_all_text(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        last = b
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(text.split()) == "".join(covered.split())


def test_sentence_spans_never_split_inside_seed_figures() -> None:
    text = seed("001")
    for q in find_quantities(text):
        inside = [s for s in sentence_spans(text) if s[0] <= q.start and q.end <= s[1]]
        assert inside, q.raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đạt 62 thuê bao/100 dân; Thuê bao Internet đạt 6,2", ["đạt 62 thuê bao/100 dân", "Thuê bao Internet đạt 6,2"]),
        ("Các nhiệm vụ: Thực hiện rà soát", ["Các nhiệm vụ", "Thực hiện rà soát"]),
        ("lúc 10:13 sáng", ["lúc 10:13 sáng"]),
        ("Trích nguồn: http://a.vn/x", ["Trích nguồn", "http://a.vn/x"]),
        ("a;;b", ["a", "b"]),
    ],
)
def test_clause_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in clause_spans(text, 0, len(text))] == expected


def test_clause_spans_window() -> None:
    text = "X. có 912 trạm; 62 thuê bao. Y"
    a, b = text.index("có"), text.index(" Y")
    assert [text[x:y] for x, y in clause_spans(text, a, b)] == ["có 912 trạm", "62 thuê bao."]


def test_paragraph_spans() -> None:
    text = "Tiêu đề\n\n  Đoạn một.  \n \nĐoạn hai\n"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["Tiêu đề", "Đoạn một.", "Đoạn hai"]


# --------------------------------------------------------------------------------------------------
# page chrome


def chrome_text(text: str) -> list[str]:
    return [text[a:b] for a, b in chrome_spans(text)]


def in_chrome(text: str, needle: str) -> bool:
    i = text.index(needle)
    return any(a <= i and i + len(needle) <= b for a, b in chrome_spans(text))


@pytest.mark.parametrize("name", ["000", "001", "002", "004"])
def test_seed_footer_block_is_chrome(name: str) -> None:
    text = seed(name)
    spans = chrome_spans(text)
    assert spans, name
    last_a, last_b = spans[-1]
    assert last_b == len(text.rstrip())  # reaches the end
    footer = text[last_a:last_b]
    marker = "Trích nguồn" if name == "004" else "banner"
    assert footer.startswith(marker)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("000", "20201116-l7.jpg"),
        ("000", "20201116-l8.jpg"),
        ("000", "20201116-l4.jpg"),
        ("000", "20201116-l6.jpg"),
        ("000", "Bà Giàng Thị Dung - Phó chủ tịch UBND tỉnh Lào Cai phát biểu tại Lễ kỷ niệm"),
        ("000", "Các tập thể, cá nhân được nhận Kỷ niệm chương, Bằng khen vì đã có thành tích xuất sắc"),
        ("000", "Cổng thông tin điện tử của các đơn vị thuộc Bộ"),
        ("000", "Xem chi tiết icon"),
        ("001", "img"),
        ("001", "Đồng chí Nguyễn Thanh Dương - Phó Chủ tịch UBND tỉnh phát biểu chỉ đạo hội nghị"),
        ("001", "Doanh nghiệp\n\nTop"),
        ("002", "Thứ trưởng Phạm Hồng Hải trao tặng bức trướng của Bộ TT&TT cho Sở TT&TT Trà Vinh"),
        ("002", "Thừa ủy quyền của Bộ trưởng, Thứ trưởng Phạm Hồng Hải trao Cờ thi đua cho Sở TT&TT Trà Vinh"),
        ("004", "vn en"),
        ("004", "Menu"),
        ("004", "Trích nguồn: http://stttt.bacninh.gov.vn"),
        ("004", "Tin tức khác"),
        ("004", "• Tin tức cổ đông"),
    ],
)
def test_seed_chrome_lines(name: str, needle: str) -> None:
    assert in_chrome(seed(name), needle)


# evidence of every gold figure in the seeds (from the shared gold file)
GOLD_EVIDENCE = {
    "000": ["phủ sóng di động đã đến 100% trung tâm các xã", "trên 95% thôn, bản", "60% kết nối đến thôn",
            "cáp quang kết nối và cung cấp dịch vụ đến 100% trung tâm cấp huyện, xã",
            "luôn đứng trong Top 10 cả nước"],
    "001": ["203 điểm phục vụ bưu chính, viễn thông", "có 912 trạm phát sóng di động",
            "mật độ điện thoại đạt 62 thuê bao/100 dân", "đạt mật độ 6,2 thuê bao/100 dân", "547 tỷ đồng",
            "97% cơ quan, đơn vị sử dụng hộp thư điện tử", "xếp thứ 5/63", "21 Bưu cục",
            "130 điểm Bưu điện văn hóa xã"],
    "002": ["hơn 100 điểm phục vụ", "237 chứng thư số", "06 nhà cung cấp mạng điện thoại di động",
            "02 doanh nghiệp cung cấp mạng điện thoại cố định", "30% UBND cấp xã"],
    "003": ["Tỷ trọng kinh tế số đạt 12,5%", "đứng thứ 10 cả nước"],
    "004": ["được phủ sóng 100% trên địa bàn tỉnh", "gần 2 triệu", "mật độ đạt 142 thuê bao/100 dân",
            "số thuê bao internet gần 900 nghìn", "mật độ đạt 62 thuê bao/100 dân"],
}


@pytest.mark.parametrize("name", sorted(GOLD_EVIDENCE))
def test_seed_real_figures_are_not_chrome(name: str) -> None:
    text = seed(name)
    spans = chrome_spans(text)
    for evidence in GOLD_EVIDENCE[name]:
        i = text.index(evidence)
        assert not any(a < i + len(evidence) and i < b for a, b in spans), evidence
    # nor any figure with a unit
    for q in find_quantities(text):
        if q.unit or q.kind == "ratio":
            assert not any(a <= q.num_start < b for a, b in spans), q.raw


def test_seed_003_has_no_chrome() -> None:
    assert chrome_spans(seed("003")) == []


def test_chrome_caption_only_right_after_image() -> None:
    text = "Đoạn văn có 5 xã.\nimg\nẢnh: lãnh đạo tỉnh phát biểu\nNăm 2013 toàn tỉnh có 912 trạm BTS\n"
    assert chrome_text(text) == ["img", "Ảnh: lãnh đạo tỉnh phát biểu"]


def test_chrome_caption_must_not_end_like_a_sentence() -> None:
    text = "img\nToàn tỉnh có 912 trạm BTS, mật độ đạt 62 thuê bao/100 dân.\n"
    assert chrome_text(text) == ["img"]


def test_chrome_bullet_with_figure_is_kept() -> None:
    text = "Kết quả:\n• Có 912 trạm BTS\n• Tin tức\n"
    assert chrome_text(text) == ["• Tin tức"]


def test_footer_needs_only_short_lines_after_marker() -> None:
    text = ("Tin tức khác\nToàn tỉnh hiện có 912 trạm phát sóng di động, mật độ điện thoại đạt 62 thuê bao trên "
            "100 dân, doanh thu của thị trường bưu chính viễn thông đạt 547 tỷ đồng trong năm.\n")
    assert chrome_text(text) == ["Tin tức khác"]


def test_chrome_empty_text() -> None:
    assert chrome_spans("") == []
    assert chrome_spans("\n\n") == []


# --------------------------------------------------------------------------------------------------
# language


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_seeds_look_vietnamese(name: str) -> None:
    assert looks_vietnamese(seed(name))


@pytest.mark.parametrize(
    "text",
    [
        "Lao Cai province has 912 BTS stations and 98.5% of hamlets are covered by mobile networks.",
        "La province de Lào Cai compte 912 stations et 98,5 % des hameaux sont couverts. Ça a été élaboré.",
        "A província de Lào Cai tem 912 estações, e a cobertura atingiu 98,5% das aldeias não servidas.",
        "",
        "12345 %%%",
    ],
)
def test_foreign_pages_do_not_look_vietnamese(text: str) -> None:
    assert not looks_vietnamese(text)


def test_vietnamese_without_much_text() -> None:
    assert looks_vietnamese("Tỷ lệ hộ gia đình sử dụng Internet đạt 80%")


# --------------------------------------------------------------------------------------------------
# robustness: linear time on adversarial input (no timing asserted)


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("1.", 5_000_000),
        ("trên ", 5_000_000),
        ("hoà ", 5_000_000),
        ("a" * 1000 + " ", 5_000_000),
        (" " * 1000 + "a", 5_000_000),
        ("\n", 5_000_000),
        # span-dense inputs (one sentence or line every few characters): 1 MB keeps the test quick
        ("a.", 1_000_000),
        (". ", 1_000_000),
        ("TP. ", 1_000_000),
        ("1. ", 1_000_000),
        ("…", 1_000_000),
        ("x.jpg\n", 1_000_000),
        ("•\n", 1_000_000),
    ],
)
def test_text_functions_complete_on_large_input(unit: str, size: int) -> None:
    text = unit * (size // len(unit))
    norm = normalize(text)
    assert len(fold(norm)) == len(norm)
    sentence_spans(norm)
    clause_spans(norm, 0, len(norm))
    paragraph_spans(norm)
    chrome_spans(norm)
    looks_vietnamese(norm)


def test_unwrap_joins_hard_wrapped_prose_and_keeps_offsets():
    """A legal plan wrapped at ~80 characters (real: thuvienphapluat's copy of a provincial plan)."""
    text = ("Theo báo cáo của Bộ Thông tin và Truyền thông năm 2021, chỉ số DTI của tỉnh\n"
            "đạt 0,3048, tăng 44,6% so với năm 2020. Cụ thể: Chính quyền số đạt 0,35, xếp\n"
            "thứ 47/63. Ở lớp thứ hai chính quyền số (điểm) của tỉnh Ninh Thuận đã đạt\n"
            "0,3512 trong năm.\nKẾ HOẠCH\nNÂNG CAO CHỈ SỐ\nTrang chủ\ntin tức")
    out = unwrap(text)
    assert len(out) == len(text)
    assert "của tỉnh đạt 0,3048" in out and "xếp thứ 47/63" in out and "đã đạt 0,3512" in out
    assert "trong năm.\nKẾ HOẠCH\nNÂNG CAO CHỈ SỐ\nTrang chủ\ntin tức" in out  # short lines stay lines


def test_unwrap_keeps_table_rows_and_capitalised_lines():
    rows = ("1 Đà Nẵng 0.8487 0.7578 0.8575 0.7836 0.5197 0.8002 0.8487 0.7578\n"
            "2 TP. Hồ Chí Minh 0.8917 0.9000 0.8258 0.7733 0.5000 0.8000 0.8917\n"
            "Tổng số thuê bao điện thoại di động trên địa bàn toàn tỉnh năm 2023\n"
            "Theo Sở Thông tin và Truyền thông tỉnh")
    assert unwrap(rows) == rows
