"""Readers (etl/read): every fixture is generated here, on disk, under tmp_path."""

from __future__ import annotations

import codecs
import os
import pickle
import random
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

import etl.read.grids
from etl.read import Input, ReadError, discover, read_path
from etl.text import normalize

SENTENCE = "Lào Cai có 912 trạm phát sóng di động"
REPORT = f"Hạ tầng viễn thông Lào Cai\n\nThứ hai, 16/11/2020 10:13\n\nĐến nay, {SENTENCE}, phủ sóng 98% thôn bản.\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read_error(path: Path) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_path(path)
    error = caught.value
    assert error.path == path
    assert str(error) == f"{path.name}: {error.reason}"
    return error


# ------------------------------------------------------------------------------------------------ text


def to_cp1258(text: str) -> bytes:
    """Encode the way Windows-1258 stores Vietnamese: base letters (â, ơ, đ ...) plus separate tone marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in [m for m in marks if m in "\u0302\u0306\u031b"]:  # circumflex, breve, horn: the letter's
            base = unicodedata.normalize("NFC", base + mark)
            marks.remove(mark)
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return bytes(out)


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-bom": lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    "utf-16-le-bom": lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
    "utf-16-le-no-bom": lambda s: s.encode("utf-16-le"),
    "utf-16-be-bom": lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
    "windows-1258": to_cp1258,
    "utf-8-nfd": lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_text_encodings_give_identical_nfc_text(tmp_path: Path, encoding: str) -> None:
    raw = ENCODINGS[encoding](REPORT)
    if encoding == "windows-1258":
        assert raw.decode("cp1258") != REPORT  # really stored as separate tone marks
    doc = read_path(write(tmp_path / f"bao cao {encoding}.txt", raw))
    assert SENTENCE in doc.text
    assert doc.text == normalize(REPORT)
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.fmt == "txt"
    assert doc.title == "Hạ tầng viễn thông Lào Cai"
    assert doc.published == date(2020, 11, 16)


def test_windows_1258_longer_report_is_not_mistaken_for_another_code_page(tmp_path: Path) -> None:
    text = (
        "Sở Thông tin và Truyền thông tỉnh Lào Cai tổng kết năm 2013.\n"
        "Toàn tỉnh có 1.198.108 thuê bao điện thoại, mật độ đạt 6,2 thuê bao/100 dân; "
        "100% xã có điểm phục vụ bưu chính, tỷ lệ văn bản điện tử đạt 95%.\n"
    ) * 20
    doc = read_path(write(tmp_path / "cp1258.txt", to_cp1258(text)))
    assert doc.text == normalize(text)


def test_utf8_with_one_broken_byte_stays_utf8(tmp_path: Path) -> None:
    raw = REPORT.encode() + b"\xff" + REPORT.encode()
    doc = read_path(write(tmp_path / "lỗi.txt", raw))
    assert doc.text.count(SENTENCE) == 2
    assert doc.warnings == ["lỗi.txt: 1 invalid UTF-8 byte sequence(s) replaced"]


def test_markdown_title_and_file_name_with_vietnamese_letters(tmp_path: Path) -> None:
    path = write(tmp_path / "Báo cáo Lào Cai 2020.md", f"# Báo cáo hạ tầng số\n\n{SENTENCE}.\n")
    doc = read_path(path)
    assert doc.name == "Báo cáo Lào Cai 2020.md"
    assert doc.title == "Báo cáo hạ tầng số"
    assert doc.path == str(path)


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty file"), (b" \n\t\r\n   \n", "empty file")])
def test_empty_and_whitespace_only_text(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "trống rỗng.txt", content)
    error = read_error(path)
    assert reason in error.reason
    assert "trống rỗng.txt" in str(error)


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096) + b"\x00\x00\x01\x02" + os.urandom(4096),  # NULs in a non-UTF-16 file
        bytes(range(1, 32)) * 200,  # control characters only
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000),
    ],
)
def test_binary_renamed_txt(tmp_path: Path, content: bytes) -> None:
    error = read_error(write(tmp_path / "ảnh.txt", content))
    assert error.reason == "binary content, not text"


def test_text_larger_than_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "khổng lồ.txt"
    with path.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(201 * 1024**2)
    error = read_error(path)
    assert error.reason == "file too large (> 200 MB)"


@pytest.mark.slow
def test_fifty_megabyte_text_is_read(tmp_path: Path) -> None:
    line = f"{SENTENCE}, phủ sóng 98% thôn bản vùng sâu vùng xa.\n".encode()
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.write(REPORT.encode())
        for _ in range(50 * 1024**2 // len(line)):
            handle.write(line)
    doc = read_path(path)
    assert len(doc.text) > 40_000_000
    assert doc.published == date(2020, 11, 16)
    assert doc.text.rstrip().endswith("vùng sâu vùng xa.")


# ------------------------------------------------------------------------------------------------ html

NAV = "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/gt'>Giới thiệu ban biên tập</a></li></ul></nav>"
ARTICLE = (
    "<article><h1>Lào Cai phát triển hạ tầng số</h1>"
    "<p>Thứ hai, 16/11/2020 10:13</p>"
    f"<p>Theo Sở Thông tin và Truyền thông, đến nay {SENTENCE}, phủ sóng 98% thôn bản. "
    "Hạ tầng viễn thông tiếp tục được đầu tư mạnh mẽ trong năm 2020 với nhiều trạm mới.</p>"
    "<img src='x.png' onerror=\"alert('onerror-payload')\">"
    "<table><tr><td>Năm</td><td>Số trạm BTS</td></tr><tr><td>2020</td><td>912</td></tr></table>"
    "</article>"
)


def html_page(body: str, head: str = "") -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Lào Cai phát triển hạ tầng số - Báo Lào Cai</title>"
        f"{head}<script>var secret = 'SCRIPT-PAYLOAD'; alert(1)</script><style>.x{{color:red}}</style></head>"
        f"<body>{NAV}{body}<footer>Bản quyền thuộc Báo Lào Cai</footer>"
        "<script>alert(1)</script></body></html>"
    )


def assert_clean(text: str) -> None:
    for payload in ("alert", "SCRIPT-PAYLOAD", "onerror", "color:red", "Giới thiệu ban biên tập"):
        assert payload not in text


def test_html_main_text_metadata_and_no_script(tmp_path: Path) -> None:
    head = (
        "<meta property='article:published_time' content='2020-11-15T08:00:00+07:00'>"
        "<link rel='canonical' href='https://baolaocai.vn/bai-viet.html'>"
    )
    doc = read_path(write(tmp_path / "trang tin.html", html_page(ARTICLE, head)))
    assert SENTENCE in doc.text
    assert "| 2020 | 912 |" in doc.text  # tables kept
    assert_clean(doc.text)
    assert doc.fmt == "html"
    assert doc.title == "Lào Cai phát triển hạ tầng số"
    assert doc.published == date(2020, 11, 15)  # page metadata wins over the dateline
    assert doc.url == "https://baolaocai.vn/bai-viet.html"


def test_html_without_metadata_date_uses_the_dateline(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path / "a.htm", html_page(ARTICLE)))
    assert doc.published == date(2020, 11, 16)


def test_html_with_5000_nested_divs(tmp_path: Path) -> None:
    deep = "<div class='wrap'>" * 5000 + ARTICLE + "<script>alert(1)</script>" + "</div>" * 5000
    doc = read_path(write(tmp_path / "sâu.html", html_page(deep)))
    assert SENTENCE in doc.text
    assert_clean(doc.text)


def test_html_plain_text_fallback_for_a_page_trafilatura_cannot_use(tmp_path: Path) -> None:
    # a bare list of short lines: not an article, but the text is still wanted
    body = "<div>Số trạm BTS: 912</div><div>Thuê bao: 1.198.108</div><script>alert(1)</script>"
    doc = read_path(write(tmp_path / "bang.html", html_page(body)))
    assert "912" in doc.text and "1.198.108" in doc.text
    assert_clean(doc.text)


def test_huge_html_page_uses_plain_text(tmp_path: Path) -> None:
    paragraph = f"<p>{SENTENCE} ở huyện số {{}}.</p>"
    body = "".join(paragraph.format(i) for i in range(30_000))  # about 2.5 MB, 30,000 elements
    doc = read_path(write(tmp_path / "lớn.html", html_page(body)))
    assert f"{SENTENCE} ở huyện số 29999." in doc.text
    assert_clean(doc.text)
    assert any("plain text used" in warning for warning in doc.warnings)


def test_html_in_a_declared_legacy_charset_with_control_characters(tmp_path: Path) -> None:
    page = html_page(ARTICLE.replace("<p>Theo", "<p>\x01\x02Theo"), head="")
    page = page.replace("<meta charset='utf-8'>", "<meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>")
    doc = read_path(write(tmp_path / "cũ.html", to_cp1258(page)))
    assert SENTENCE in doc.text
    assert "\x01" not in doc.text


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + html_page(ARTICLE)
    assert SENTENCE in read_path(write(tmp_path / "x.htm", page)).text


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty file"), (b"   \n ", "empty file")])
def test_empty_html(tmp_path: Path, content: bytes, reason: str) -> None:
    assert reason in read_error(write(tmp_path / "rỗng.html", content)).reason


def test_html_with_only_script_has_no_text(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "script.html", "<html><body><script>alert(1)</script></body></html>"))
    assert error.reason == "HTML page has no text"


def test_binary_renamed_html(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "x.html", os.urandom(3000) + b"\x00" * 10))
    assert error.reason == "binary content, not text"


# ------------------------------------------------------------------------------------------------ docx


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Báo cáo hạ tầng viễn thông"
    document.add_paragraph("Thứ hai, 16/11/2020 10:13")
    document.add_paragraph(f"Năm 2020, {SENTENCE}.")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Tỉnh", "Năm", "Số trạm BTS"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Lào Cai", "2020", "912"], strict=True):
        cell.text = text
    document.add_paragraph("Đoạn kết sau bảng.")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_table_in_order(tmp_path: Path) -> None:
    doc = read_path(make_docx(tmp_path / "Báo cáo năm 2020.docx"))
    assert doc.fmt == "docx"
    assert doc.title == "Báo cáo hạ tầng viễn thông"
    assert doc.published == date(2020, 11, 16)
    text = doc.text
    assert f"Năm 2020, {SENTENCE}." in text
    assert "Tỉnh | Năm | Số trạm BTS\nLào Cai | 2020 | 912" in text
    assert text.index(SENTENCE) < text.index("Lào Cai | 2020") < text.index("Đoạn kết sau bảng.")


def test_docx_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bom nén.docx"
    chunk = bytes(1024**2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(400):
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024**2
    error = read_error(path)
    assert error.reason.startswith("ZIP bomb: ")
    assert "uncompressed" in error.reason
    assert "bom nén.docx" in str(error)


def test_docx_high_ratio_below_size_limit_is_a_bomb(tmp_path: Path) -> None:
    path = tmp_path / "ratio.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", bytes(50 * 1024**2))
    assert "ratio" in read_error(path).reason


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_binary_renamed_office_file(tmp_path: Path, suffix: str) -> None:
    error = read_error(write(tmp_path / f"giả{suffix}", os.urandom(5000)))
    assert error.reason == f"{suffix[1:].upper()} is truncated or not a ZIP archive"


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "khác.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert read_error(path).reason.startswith("DOCX is damaged or not a Word document")


def test_legacy_doc_renamed_docx(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "cũ.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)))
    assert "legacy binary Office file" in error.reason


# ------------------------------------------------------------------------------------------------- pdf


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF with a Helvetica font and the given content stream, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TEXT_PDF = minimal_pdf(b"BT /F1 18 Tf 72 700 Td (Lao Cai co 912 tram BTS) Tj ET")


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path / "báo cáo.pdf", TEXT_PDF))
    assert doc.fmt == "pdf"
    assert "Lao Cai co 912 tram BTS" in doc.text
    assert doc.title == "Lao Cai co 912 tram BTS"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path / "bản quét.pdf", minimal_pdf(b"0 0 m 200 200 l S"))
    assert read_error(path).reason == "PDF has no text layer (scanned?)"


def test_encrypted_pdf(tmp_path: Path) -> None:
    source = write(tmp_path / "plain.pdf", TEXT_PDF)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(source)))
    writer.encrypt(user_password="bí-mật", algorithm="RC4-128")
    path = tmp_path / "mật.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert read_error(path).reason == "PDF is encrypted (password required)"


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    source = write(tmp_path / "plain.pdf", TEXT_PDF)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(source)))
    writer.encrypt(user_password="", owner_password="chủ", algorithm="RC4-128")
    path = tmp_path / "owner.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "Lao Cai co 912 tram BTS" in read_path(path).text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (os.urandom(3000), "not a PDF file (no %PDF header)"),
        (b"%PDF-1.4\n" + os.urandom(3000), "PDF is damaged"),
        (TEXT_PDF[: len(TEXT_PDF) // 3], ""),  # truncated: damaged or without text, never a crash
    ],
)
def test_broken_pdf(tmp_path: Path, content: bytes, reason: str) -> None:
    error = read_error(write(tmp_path / "hỏng.pdf", content))
    assert error.reason.startswith(reason)
    assert error.reason.startswith(("not a PDF", "PDF is damaged", "PDF has no text layer"))


# ------------------------------------------------------------------------------------------------ csv


def test_csv_long_form_vietnamese_headers(tmp_path: Path) -> None:
    content = (
        "Tỉnh;Năm;Chỉ tiêu;Giá trị;Đơn vị;Nguồn\n"
        "Lào Cai;2020;Số trạm BTS;912;trạm;Sở TT&TT\n"
        "Lào Cai;2020;Thuê bao di động;1.198.108;thuê bao;\n"
        "Lào Cai;Sơ bộ 2021;Mật độ thuê bao di động;6,2;thuê bao/100 dân;\n"
        "Lào Cai;2021;Chỉ tiêu lạ chưa có trong danh mục;5;;\n"
        "Lào Cai;2022;Số trạm BTS;=1+1;;\n"
        "Lào Cai;2022;Số trạm BTS;@SUM(A1);;\n"
        "Lào Cai;2019-2020;Số trạm BTS;800;;\n"
        ";2022;Số trạm BTS;5;;\n"
    )
    doc = read_path(write(tmp_path / "số liệu dài.csv", codecs.BOM_UTF8 + content.encode()))
    assert doc.fmt == "csv"
    got = [(r.province, r.year, r.indicator, r.value, r.unit, r.qualifier, r.row_label) for r in doc.rows]
    assert got == [
        ("Lào Cai", 2020, "bts_stations", 912.0, "trạm", "exact", "row 2, col D"),
        ("Lào Cai", 2020, "mobile_subscribers", 1198108.0, "thuê bao", "exact", "row 3, col D"),
        ("Lào Cai", 2021, "mobile_subscribers_per_100", 6.2, "thuê bao/100 dân", "approx", "row 4, col D"),
        ("Lào Cai", 2021, "Chỉ tiêu lạ chưa có trong danh mục", 5.0, None, "exact", "row 5, col D"),
    ]
    assert doc.rows[0].source == "Sở TT&TT"
    assert all(not r.is_target and r.scope == "all" for r in doc.rows)
    assert "Lào Cai | 2020 | Số trạm BTS | 912" in doc.text
    assert "=1+1" in doc.text  # shown as data, never evaluated


def test_csv_long_form_english_headers_with_target_and_scope(tmp_path: Path) -> None:
    content = (
        "province,year,indicator,value,scope,is_target\n"
        'Lào Cai,2025,mobile_coverage_pct,"99,5",village,x\n'
        "Lào Cai,2020,mobile_coverage_pct,95,,\n"
    )
    doc = read_path(write(tmp_path / "long.csv", content))
    assert [(r.year, r.value, r.scope, r.is_target) for r in doc.rows] == [
        (2025, 99.5, "village", True),
        (2020, 95.0, "all", False),
    ]


def test_csv_without_recognised_header_gives_a_warning_not_rows(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path / "lạ.csv", "a,b\n1,2\n"))
    assert doc.rows == []
    assert any("no recognised header" in warning for warning in doc.warnings)


def test_empty_csv(tmp_path: Path) -> None:
    assert read_error(write(tmp_path / "rỗng.csv", "")).reason == "empty file"


# ----------------------------------------------------------------------------------------------- xlsx


def make_wide_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Hạ tầng"
    sheet["A1"] = "Bảng 1. Hạ tầng viễn thông năm 2022"
    sheet.append([])
    sheet.append(["Tỉnh", "Năm", "Số trạm BTS", "Thuê bao di động", "Tỷ lệ phủ sóng di động"])
    sheet.append(["Lào Cai", 2021, 900, "1.198.108", 0.985])
    sheet.append([None, 2022, "=C4+12", None, "@SUM(A1)"])
    sheet.append(["Yên Bái", "Năm 2022", 850, 650000, 97])
    sheet["E4"].number_format = "0.0%"
    sheet["D5"] = "=1+1"
    sheet["D5"].data_type = "s"  # a string that looks like a formula
    sheet.merge_cells("A4:A5")

    by_year = workbook.create_sheet("Theo năm")
    by_year.append(["Chỉ tiêu", "Đơn vị", 2019, "Năm 2020", "KH 2025"])
    by_year.append(["Số trạm BTS", "trạm", 800, 850, 1000])
    by_year.append(["Mật độ thuê bao di động", "thuê bao/100 dân", "6,2", 6.5, None])

    hidden = workbook.create_sheet("Ẩn")
    hidden.append(["Tỉnh", "Năm", "Số trạm BTS"])
    hidden.append(["Lào Cai", 2020, 1])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_xlsx_wide_forms_merged_cells_formulas(tmp_path: Path) -> None:
    doc = read_path(make_wide_xlsx(tmp_path / "Bảng số liệu 2022.xlsx"))
    assert doc.fmt == "xlsx"
    got = {(r.province, r.year, r.indicator, r.value, r.unit, r.is_target, r.row_label) for r in doc.rows}
    assert got == {
        ("Lào Cai", 2021, "bts_stations", 900.0, None, False, "Hạ tầng!C4"),
        ("Lào Cai", 2021, "mobile_subscribers", 1198108.0, None, False, "Hạ tầng!D4"),
        ("Lào Cai", 2021, "mobile_coverage_pct", 98.5, "%", False, "Hạ tầng!E4"),
        ("Yên Bái", 2022, "bts_stations", 850.0, None, False, "Hạ tầng!C6"),
        ("Yên Bái", 2022, "mobile_subscribers", 650000.0, None, False, "Hạ tầng!D6"),
        ("Yên Bái", 2022, "mobile_coverage_pct", 97.0, None, False, "Hạ tầng!E6"),
        ("", 2019, "bts_stations", 800.0, "trạm", False, "Theo năm!C2"),
        ("", 2020, "bts_stations", 850.0, "trạm", False, "Theo năm!D2"),
        ("", 2025, "bts_stations", 1000.0, "trạm", True, "Theo năm!E2"),
        ("", 2019, "mobile_subscribers_per_100", 6.2, "thuê bao/100 dân", False, "Theo năm!C3"),
        ("", 2020, "mobile_subscribers_per_100", 6.5, "thuê bao/100 dân", False, "Theo năm!D3"),
    }
    # the formula without a cached value is skipped and named; formula-like strings are never evaluated
    assert any("formula without a cached value" in w and "Hạ tầng!C5" in w for w in doc.warnings)
    assert any("hidden sheet 'Ẩn' skipped" in w for w in doc.warnings)
    assert "=1+1" in doc.text and "@SUM(A1)" in doc.text
    assert "[Hạ tầng]" in doc.text and "Lào Cai | 2021 | 900 | 1.198.108 | 98,5%" in doc.text
    assert doc.title == "Bảng 1. Hạ tầng viễn thông năm 2022"
    assert doc.published is None


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = make_wide_xlsx(tmp_path / "đầy đủ.xlsx").read_bytes()
    path = write(tmp_path / "cụt.xlsx", whole[: len(whole) // 2])
    error = read_error(path)
    assert error.reason == "XLSX is truncated or not a ZIP archive"
    assert str(error) == "cụt.xlsx: XLSX is truncated or not a ZIP archive"


def test_xlsx_cell_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(etl.read.grids, "MAX_TABLE_CELLS", 10)
    error = read_error(make_wide_xlsx(tmp_path / "nhiều.xlsx"))
    assert error.reason == "XLSX has more than 10 cells"


def test_xlsx_without_data(tmp_path: Path) -> None:
    path = tmp_path / "trống.xlsx"
    openpyxl.Workbook().save(path)
    assert read_error(path).reason == "XLSX has no data in its visible sheets"


# ------------------------------------------------------------------------------------ manifest, discover


def test_discover_and_manifest_overrides(tmp_path: Path) -> None:
    root = tmp_path / "báo cáo"
    write(root / "Lào Cai 2020.txt", REPORT)
    write(root / "sub" / "trang tin.html", html_page(ARTICLE))
    write(root / "sub" / "b.txt", "Nội dung.\n")
    write(root / ".ẩn.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden")
    write(root / "chương trình.exe", b"MZ")
    manifest = (
        "file,url,title,published,province\n"
        "Lào Cai 2020.txt,https://laocai.gov.vn/a,Tiêu đề từ manifest,2020-12-01,Lào Cai\n"
        "sub/trang tin.html,,,16/10/2020,\n"
        "không có.pdf,,,,\n"
    )
    write(root / "manifest.csv", codecs.BOM_UTF8 + unicodedata.normalize("NFD", manifest).encode())

    inputs, errors = discover([root])
    names = [i.path.relative_to(root).as_posix() for i in inputs]
    assert names == ["Lào Cai 2020.txt", "sub/b.txt", "sub/trang tin.html"]
    assert sorted(e.reason for e in errors) == ["listed in manifest.csv but not found", "unsupported format .exe"]
    assert inputs[1].meta is None

    doc = read_path(inputs[0].path, inputs[0].meta)
    assert doc.title == "Tiêu đề từ manifest"
    assert doc.published == date(2020, 12, 1)  # the manifest wins over the dateline 16/11/2020
    assert doc.province_hint == "Lào Cai"
    assert doc.url == "https://laocai.gov.vn/a"
    html_doc = read_path(inputs[2].path, inputs[2].meta)
    assert html_doc.published == date(2020, 10, 16)
    assert html_doc.title == "Lào Cai phát triển hạ tầng số"  # empty manifest values change nothing


def test_discover_is_deterministic_and_dedupes(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c/z.txt", "c/a.csv"]:
        write(tmp_path / name, "x")
    first, _ = discover([tmp_path, tmp_path / "a.txt"])
    second, _ = discover([tmp_path])
    assert first == second
    assert [i.path.name for i in first] == ["a.txt", "b.txt", "a.csv", "z.txt"]
    assert isinstance(first[0], Input)


def test_discover_single_file_uses_its_folder_manifest(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", REPORT)
    write(tmp_path / "manifest.csv", "file;province\na.txt;Yên Bái\n")
    inputs, errors = discover([path, tmp_path / "missing.txt"])
    assert inputs == [Input(path=path, meta={"file": "a.txt", "province": "Yên Bái"})]
    assert [e.reason for e in errors] == ["no such file or folder"]


def test_manifest_without_file_column(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", REPORT)
    write(tmp_path / "manifest.csv", "name,title\na.txt,x\n")
    inputs, errors = discover([tmp_path])
    assert [i.meta for i in inputs] == [None]
    assert [str(e) for e in errors] == ["manifest.csv: manifest.csv has no 'file' column"]


def test_unreadable_manifest_date_is_a_warning(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path / "a.txt", REPORT), {"file": "a.txt", "published": "hôm qua"})
    assert doc.published == date(2020, 11, 16)
    assert any("not understood" in warning for warning in doc.warnings)


# ---------------------------------------------------------------------------------------------- errors


def test_unsupported_and_missing(tmp_path: Path) -> None:
    assert read_error(write(tmp_path / "virus.exe", b"MZ")).reason == "unsupported format .exe"
    assert read_error(tmp_path / "không có.txt").reason == "no such file"


def test_read_error_pickles_and_names_the_file(tmp_path: Path) -> None:
    error = ReadError(tmp_path / "tệp.txt", "empty file")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, "empty file", "tệp.txt: empty file")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf", ".html", ".csv", ".txt"])
def test_corrupted_files_raise_only_read_error(tmp_path: Path, suffix: str) -> None:
    makers = {
        ".docx": lambda p: make_docx(p).read_bytes(),
        ".xlsx": lambda p: make_wide_xlsx(p).read_bytes(),
        ".pdf": lambda p: TEXT_PDF,
        ".html": lambda p: html_page(ARTICLE).encode(),
        ".csv": lambda p: "Tỉnh;Năm;Số trạm BTS\nLào Cai;2020;912\n".encode(),
        ".txt": lambda p: REPORT.encode(),
    }
    original = makers[suffix](tmp_path / f"gốc{suffix}")
    rng = random.Random(suffix)
    for attempt in range(25):
        data = bytearray(original)
        if attempt % 3 == 0:
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randint(1, 12)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = write(tmp_path / f"hỏng {attempt}{suffix}", bytes(data))
        try:
            doc = read_path(path)
        except ReadError as error:
            assert str(error).startswith(f"{path.name}: ")
            assert not error.reason.startswith("could not read")  # each reader names its own problem
        else:
            assert doc.name == path.name
