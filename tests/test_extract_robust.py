"""The extractor never raises, stays linear on large or hostile text, and normalizes its input."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from etl.extract import extract_text

VOCAB = ["trạm", "BTS", "phát sóng", "di động", "cáp quang", "thuê bao", "/100 dân", "%", "tỷ đồng", "năm 2013",
         "xếp thứ", "5/63", "Top", "trên", "gần", "triệu", "nghìn", "1.198.108", "6,2", "Lào Cai", "cả nước",
         "phấn đấu", "thôn, bản", "cấp huyện", ",", ".", ";", "\n", " ", "12/11/2020", "hộp thư điện tử", "0"]


@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text):
    res = extract_text(text)
    for o in res.observations:
        assert o.start <= o.end


@given(st.lists(st.sampled_from(VOCAB), max_size=120).map(" ".join))
def test_never_raises_on_ict_word_salad(text):
    res = extract_text(text, province_hint="Lào Cai")
    for o in res.observations:
        assert o.evidence and o.start < o.end


def test_nfd_input_gives_the_same_values():
    text = "Đến hết năm 2013, toàn tỉnh có 912 trạm phát sóng di động, mật độ điện thoại đạt 62 thuê bao/100 dân."
    a = extract_text(text, province_hint="Lào Cai").observations
    b = extract_text(unicodedata.normalize("NFD", text), province_hint="Lào Cai").observations
    assert [(o.indicator, o.value, o.year) for o in a] == [(o.indicator, o.value, o.year) for o in b]
    assert len(a) == 2


def test_old_tone_placement_and_nbsp():
    text = "Toàn tỉnh Hoà Bình có\u00a01.024\u00a0trạm BTS."
    [o] = extract_text(text, published=None).observations
    assert (o.province, o.value) == ("Hòa Bình", 1024)


def test_large_and_adversarial_inputs_complete():
    sentence = "Năm 2013, toàn tỉnh có 912 trạm phát sóng di động, mật độ điện thoại đạt 62 thuê bao/100 dân. "
    big = sentence * 10_000  # ~1 MB; bench/ measures 5 MB and more
    res = extract_text(big, province_hint="Lào Cai")
    assert {o.indicator for o in res.observations} == {"bts_stations", "phone_subscribers_per_100"}
    for hostile in ("1." * 200_000, "trên " * 100_000 + "5%", "9" * 400_000, ("trạm " * 100_000) + "12"):
        extract_text(hostile)
