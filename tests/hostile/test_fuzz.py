"""Fuzzing: the number parser, the extractor, the HTML reader and the curation reader never raise (other than
ReadError where documented) and take linear time on adversarial input.

Linearity is a ratio, not a timing: the CPU time (`time.process_time`, best of 3) for an input of size 8n
must stay below 40 times the time for size n (a quadratic algorithm gives about 64).
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from etl.curation import ACTIONS, COLUMNS, load_curation
from etl.extract import extract_text
from etl.numbers import find_quantities, parse_numeral
from etl.read import ReadError, read_path
from etl.text import normalize

MAX_RATIO = 40
PAYLOAD = "SCRIPT-PAYLOAD"

WORDS = (
    "Lào Cai", "Yên Bái", "toàn tỉnh", "có", "đạt", "trạm phát sóng di động", "thuê bao", "thuê bao/100 dân",
    "mật độ điện thoại", "Tỷ trọng kinh tế số", "cáp quang", "xã", "phường", "thôn", "100%", "%", "triệu",
    "tỷ đồng", "nghìn", "trên", "gần", "khoảng", "hơn", "xếp thứ", "Top", "năm", "ngày", "tháng", "quý",
    "Năm 2020,", "đến hết năm 2013", "kế hoạch", "phấn đấu", "tăng", "cả nước", "Viettel", "huyện",
    "6 tháng đầu năm", "Quyết định số 715/QĐ-UBND", "4G", "0214.3840.123", "http://x.vn/a.jpg", ".", ",",
    ";", ":", "\n", "\n\n", "(", ")", "-", "–", "/", "…", "\u00a0", "\u0301", "Ð", "ﬁ", "\ufeff",
)
numerals = st.one_of(
    st.integers(0, 10**13).map(str),
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", ".")),
    st.tuples(st.integers(0, 10**6), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]}"),
    st.text(alphabet="0123456789.,/-% ", min_size=1, max_size=30),
)
prose = st.lists(st.one_of(st.sampled_from(WORDS), numerals, st.text(max_size=6)), max_size=80).map(" ".join)


# --- the number parser ----------------------------------------------------------------------------------


@given(st.one_of(st.text(), st.text(alphabet="0123456789.,", max_size=60), st.binary().map(repr)))
@example("9" * 100_000)
@example("1." * 50_000 + "1")
def test_parse_numeral_never_raises_and_gives_a_finite_number_or_none(text: str) -> None:
    value = parse_numeral(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


@given(st.integers(0, 10**12))
def test_parse_numeral_reads_thousands_dots_back(n: int) -> None:
    assert parse_numeral(f"{n:,}".replace(",", ".")) == n


@given(prose, st.integers(-5, 400), st.one_of(st.none(), st.integers(-5, 400)))
def test_find_quantities_never_raises_and_spans_stay_inside(text: str, start: int, end: int | None) -> None:
    found = find_quantities(text, start, end)
    lo = max(0, min(start, len(text) if end is None else max(0, min(end, len(text)))))
    hi = len(text) if end is None else max(0, min(end, len(text)))
    previous_end = lo
    for q in found:
        assert lo <= q.start <= q.num_start < q.num_end <= q.end <= hi, (q, lo, hi)
        assert q.start >= previous_end, "overlapping quantities"
        assert math.isfinite(q.value)
        previous_end = q.end


# --- the extractor --------------------------------------------------------------------------------------


@given(prose)
@example("Lào Cai có 912 trạm phát sóng di động" * 3)
@example("\u0301" * 50 + "Năm 2020, Lào Cai có 912 trạm phát sóng di động.")
def test_extract_text_never_raises_and_evidence_is_the_text(text: str) -> None:
    result = extract_text(text, name="fuzz.txt")
    norm = normalize(text)
    for obs in result.observations:
        assert norm[obs.start:obs.end] == obs.evidence
        assert math.isfinite(obs.value) and 0 <= obs.confidence <= 1
        assert obs.year is None or 1900 <= obs.year <= 2100


# --- the HTML reader ------------------------------------------------------------------------------------

ATTRIBUTES = (
    ("class", "x"), ("onclick", f"alert('{PAYLOAD}')"), ("onerror", f"alert('{PAYLOAD}')"),
    ("href", f"javascript:alert('{PAYLOAD}')"), ("style", f"background:url({PAYLOAD})"), ("id", "a"),
    ("data-x", PAYLOAD), ("lang", "vi"),
)
TAGS = ("div", "p", "span", "b", "a", "table", "tr", "td", "ul", "li", "h1", "h2", "article", "section",
        "nav", "footer", "form", "button", "blockquote", "font", "center", "marquee")
VOID = ("br", "img", "hr", "input", "meta", "link")


def _element(children: list[str], tag: str, attrs: list[tuple[str, str]], closed: bool) -> str:
    attributes = "".join(f' {name}="{value}"' for name, value in attrs)
    return f"<{tag}{attributes}>" + "".join(children) + (f"</{tag}>" if closed else "")


html_text = st.lists(st.one_of(st.sampled_from(WORDS), numerals, st.sampled_from(("&amp;", "&lt;", "&#1234;", "&nbsp;",
                                                                                   "&bogus;", "<", ">"))),
                     max_size=12).map(" ".join)
leaves = st.one_of(
    html_text,
    st.sampled_from(VOID).map(lambda tag: f"<{tag} onerror=\"alert('{PAYLOAD}')\" src=x>"),
    st.sampled_from(("script", "style", "noscript", "template", "iframe", "svg")).map(
        lambda tag: f"<{tag}>alert('{PAYLOAD}')</{tag}>"),
    st.just(f"<!-- {PAYLOAD} -->"),
)
html_trees = st.recursive(
    leaves,
    lambda children: st.builds(_element, st.lists(children, max_size=5), st.sampled_from(TAGS),
                               st.lists(st.sampled_from(ATTRIBUTES), max_size=3), st.booleans()),
    max_leaves=40,
)


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-html")


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@given(html_trees, st.booleans())
@example("<div>" * 3000 + "Lào Cai có 912 trạm" + "</div>" * 3000, True)
@example("<p " + " ".join(f"a{i}=x" for i in range(5000)) + ">Lào Cai có 912 trạm</p>", True)
def test_html_reader_raises_only_read_error_and_never_leaks_script(html_dir: Path, body: str, wrap: bool) -> None:
    page = f"<!DOCTYPE html><html><head><title>Trang</title></head><body>{body}</body></html>" if wrap else body
    path = html_dir / "trang.html"
    path.write_text(page, encoding="utf-8")
    try:
        doc = read_path(path)
    except ReadError as error:
        assert error.reason and str(error).startswith("trang.html: ")
        return
    assert PAYLOAD not in doc.text, doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


# --- the curation reader --------------------------------------------------------------------------------

CELLS = ("reject", "correct", "add", "REVIEWER", "r0.txt", "../../etc/passwd", "bts_stations", "all", "2020",
         "20x0", "Lào Cai", "63-10", "912", "6,2", "nan", "inf", "-1e999", "true", "có", "maybe", "exact",
         '"quoted, with comma"', '"unclosed', "=cmd|' /C calc'!A0", "\x00", "\ufeff", "", " ", "# not a comment")
curation_rows = st.lists(st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=10)), max_size=20), max_size=15)


@pytest.fixture(scope="module")
def curation_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-curation")


def check_curation(path: Path) -> None:
    entries, errors = load_curation(path)
    assert all(isinstance(e, str) and e for e in errors)
    for entry in entries:
        assert entry.action in ACTIONS and entry.reviewer and entry.reason and entry.doc and entry.indicator
        for number in (entry.value, entry.new_value):
            assert number is None or math.isfinite(number)


@given(curation_rows, st.booleans())
@example([["correct", "a.txt", "bts_stations", "", "", "", "nan", "", "inf", "", "", "", "", "", "", "A", "lý do"]],
         True)
def test_curation_reader_never_raises_on_generated_csv(curation_dir: Path, rows: list[list[str]],
                                                       header: bool) -> None:
    lines = ([",".join(COLUMNS)] if header else []) + [",".join(row) for row in rows]
    path = curation_dir / "curation.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    check_curation(path)


@given(st.binary(max_size=2000))
@example(b'action,doc,indicator,reviewer,reason\nreject,"' + b"x" * 200_000 + b"\n")  # beyond csv's field limit
@example(b'"' + b"x" * 200_000)
@example(b"\xff\xfe\x00a\x00c")
def test_curation_reader_never_raises_on_raw_bytes(curation_dir: Path, data: bytes) -> None:
    path = curation_dir / "curation.csv"
    path.write_bytes(data)
    check_curation(path)


def test_an_unclosed_quote_in_the_curation_file_is_reported_not_raised(tmp_path: Path) -> None:
    rows = [",".join(COLUMNS), "reject,a.txt,bts_stations,,,,,,,,,,,,,Nguyễn Văn A,checked",
            'reject,b.txt,bts_stations,,,,,"an unclosed quote,,,,,,,,Nguyễn Văn A,checked']
    rows += ["reject,c.txt,bts_stations,,,,,,,,,,,,,Nguyễn Văn A,checked"] * 4000  # swallowed: > 128 KB
    path = tmp_path / "curation.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    entries, errors = load_curation(path)
    assert [e.doc for e in entries] == ["a.txt"]
    assert any("unclosed quote" in e for e in errors), errors


# --- linear time ----------------------------------------------------------------------------------------


def cpu_cost(fn: Callable[[object], object], arg: object) -> float:
    """CPU seconds of one call: best of 3, each timing enough repetitions to last 20 ms."""
    reps = 1
    while True:
        start = time.process_time()
        for _ in range(reps):
            fn(arg)
        spent = time.process_time() - start
        if spent >= 0.02 or reps >= 4096:
            break
        reps *= 4
    timings = [spent]
    for _ in range(2):
        start = time.process_time()
        for _ in range(reps):
            fn(arg)
        timings.append(time.process_time() - start)
    return min(timings) / reps


def read_quietly(path: Path) -> None:
    try:
        read_path(path)
    except ReadError:
        pass


def html_file(folder: Path, body: str) -> Path:
    path = folder / f"page{len(body)}.html"
    path.write_text(f"<html><head><title>T</title></head><body>{body}</body></html>", encoding="utf-8")
    return path


def curation_file(folder: Path, text: str) -> Path:
    path = folder / f"curation{len(text)}.csv"
    path.write_text(text, encoding="utf-8")
    return path


CURATION_ROW = 'reject,a.txt,bts_stations,all,2020,Lào Cai,912,"có 912, trạm",,,,,,,,Nguyễn Văn A,lý do\n'
MIXED = "ngày 12/3/2020, 1.234,5 triệu đồng, 98,5% số xã, xếp thứ 5/63, 0214.3840.123, 4G, 1 triệu 300 nghìn; "

# name -> (function, input of size n, n); file-based inputs take the folder to write into.
LINEAR = {
    "parse_numeral: a numeral of n groups": (parse_numeral, lambda n, d: "1." * n + "5", 20_000),
    "find_quantities: mixed figures, dates, codes": (find_quantities, lambda n, d: MIXED * n, 200),
    "find_quantities: one dotted run of n digits": (find_quantities, lambda n, d: "1." * n + "1", 5_000),
    "find_quantities: a date chain": (find_quantities, lambda n, d: "1/" * n + "2020", 5_000),
    "extract_text: a figure sentence per line": (
        extract_text, lambda n, d: "Lào Cai\n\n" + "Toàn tỉnh có 912 trạm phát sóng di động.\n" * n, 300),
    "extract_text: a long sentence of words, one figure": (
        extract_text, lambda n, d: "Lào Cai có " + "nội dung không có số liệu và " * n + "912 trạm phát sóng.", 2_000),
    "extract_text: numbers only": (extract_text, lambda n, d: "1.234 5,6 78% 9/63 " * n, 500),
    "extract_text: a table flattened into text, n rows": (
        extract_text, lambda n, d: "Hà Tĩnh\nChỉ tiêu Đơn vị 2012 2013\n" + "Số thuê bao điện thoại Thuê bao 950.400 980.100\n" * n,
        300),
    "extract_text: a year header over a line of n years": (
        extract_text, lambda n, d: "Hà Tĩnh\nChỉ tiêu 2012 2013\nSố thuê bao " + "2020 " * n + "x\n", 2_000),
    "read_path(html): nested tags": (
        read_quietly, lambda n, d: html_file(d, "<div>" * n + "Lào Cai có 912 trạm" + "</div>" * n), 400),
    "read_path(html): attributes on one tag": (
        read_quietly, lambda n, d: html_file(d, "<p " + " ".join(f'a{i}="x"' for i in range(n)) + ">Lào Cai</p>"),
        4_000),
    "read_path(html): paragraphs": (
        read_quietly, lambda n, d: html_file(d, "<p>Lào Cai có 912 trạm phát sóng di động.</p>" * n), 300),
    "load_curation: rows": (
        load_curation, lambda n, d: curation_file(d, ",".join(COLUMNS) + "\n" + CURATION_ROW * n), 1_000),
    "load_curation: one quoted field": (
        load_curation, lambda n, d: curation_file(d, ",".join(COLUMNS) + '\nreject,"' + 'x""' * n + '",b\n'), 5_000),
}


@pytest.mark.parametrize("name", list(LINEAR))
def test_linear_time_on_adversarial_input(name: str, tmp_path: Path) -> None:
    fn, make, n = LINEAR[name]
    small, large = make(n, tmp_path), make(8 * n, tmp_path)
    fn(small)  # warm caches (catalog, rules) outside the timings
    ratio = cpu_cost(fn, large) / max(cpu_cost(fn, small), 1e-6)
    assert ratio < MAX_RATIO, f"{name}: 8x the input took {ratio:.0f}x the time"


def test_linear_time_on_one_long_sentence_with_many_figures() -> None:
    unit = "toàn tỉnh có 912 trạm phát sóng di động và "
    small, large = "Lào Cai\n\n" + unit * 120, "Lào Cai\n\n" + unit * 960
    extract_text(small)
    start = time.process_time()
    extract_text(large)  # once: noise only makes it slower, which cannot hide a linear fix
    ratio = (time.process_time() - start) / max(cpu_cost(extract_text, small), 1e-6)
    assert ratio < MAX_RATIO, f"8x the sentence took {ratio:.0f}x the time"
