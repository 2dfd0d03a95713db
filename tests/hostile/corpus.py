"""The hostile corpus: report files that are empty, binary, mis-encoded, huge, booby-trapped or oddly named.

Everything is generated on disk by `build_corpus(folder)`, which returns one `Case` per file: what the
build must make of it (read, with the BTS figure it states, or refused with a per-file reason). A good
report sits among them: the batch must go on and load it.

`built_corpus(tmp_path_factory)` builds the corpus once per test run with the real `ictdash etl` command in
a subprocess (shared by pytest-xdist workers through a file lock) and records its output and peak memory.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import resource
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import docx
import openpyxl
import psutil
import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
TEN_MB = 10 * 1024**2
OUTSIDE_NAME = "ngoài thư mục.txt"  # a file next to the corpus folder that a manifest row tries to reach
HTML_PAYLOADS = ("alert(", "SCRIPT-PAYLOAD", "onerror", "onload", "onclick", "javascript:", "<script", "<iframe")

# Runs the CLI and reports the peak resident memory of the process and of its workers (kB, from the kernel).
# Its own peak is VmHWM of /proc/self/status, the high-water mark of its own address space: ru_maxrss would
# also hold the RSS of the test process it was forked from (Linux folds the pre-exec peak into it).
MEASURED_CLI = (
    "import resource, sys\n"
    "from etl.cli import main\n"
    "def own_peak_kb():\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            return next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration, ValueError):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    print('ICTDASH_MAXRSS_KB', own_peak_kb(),\n"
    "          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Case:
    """One hostile file and the outcome the build owes it."""

    name: str  # path relative to the corpus folder
    what: str  # the hostile trait
    expect: str  # "ok" (read; `bts` among its values) | "failed" | "empty" (with `reason`) | "any"
    reason: str = ""  # a substring of the per-file message
    bts: int | None = None  # the bts_stations value the file states

    @property
    def id(self) -> str:
        return self.what


def report(bts: int, year: int = 2020, province: str = "Lào Cai") -> str:
    """A small provincial report whose BTS figure the extractor reads."""
    return (
        f"Sở Thông tin và Truyền thông tỉnh {province} tổng kết năm {year}\n\n"
        f"Đến hết năm {year}, toàn tỉnh {province} có {bts} trạm phát sóng di động. "
        f"Mật độ điện thoại đạt 62 thuê bao/100 dân.\n"
    )


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese files store it: base letters plus separate tone marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in [m for m in marks if m in "\u0302\u0306\u031b"]:  # circumflex, breve, horn belong to the letter
            base = unicodedata.normalize("NFC", base + mark)
            marks.remove(mark)
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return bytes(out)


def make_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def zip_bomb(path: Path, member: str, size: int) -> Path:
    """A small archive whose `member` inflates to `size` zero bytes (written in chunks, never held in memory)."""
    chunk = bytes(1024**2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=size > 2**31) as handle:
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return path


def lying_zip(path: Path, member: str, size: int, declared: int) -> Path:
    """A real DOCX whose `member` holds `size` bytes but whose headers declare only `declared` bytes."""
    make_docx(path, report(999))
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name == member:
                data = data[:200] + b" " * size + data[200:]
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    encoded = member.encode()
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = 0
        while (local := raw.find(signature, start)) >= 0:
            start = local + 4
            if raw[local + name_at : local + name_at + len(encoded)] == encoded:
                raw[local + size_at : local + size_at + 4] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


def hostile_xlsx(path: Path) -> Path:
    """Title rows above the header, a merged province cell, an uncached formula, formula-like strings."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet["A1"] = "BÁO CÁO SỐ LIỆU HẠ TẦNG VIỄN THÔNG"
    sheet["A2"] = "Đơn vị tính: trạm"
    sheet.append([])
    sheet.append(["Tỉnh", "Năm", "Số trạm BTS"])  # the header in row 4, not row 1
    sheet.append(["Lào Cai", 2018, 911])
    sheet.append([None, 2019, "=C5*1000"])  # a formula without a cached value: never evaluated
    sheet.append(["Lào Cai", 2017, "=1+1"])
    sheet["C7"].data_type = "s"  # text that looks like a formula
    sheet.append(["@SUM(A1)", 2016, "+5"])
    sheet.merge_cells("A5:A6")
    workbook.save(path)
    return path


def hostile_html(bts: int, depth: int = 3000) -> str:
    """A page with scripts, event handlers, javascript: links, an iframe, comments and very deep nesting."""
    article = (
        "<article><h1 onclick=\"alert('onclick')\">Lào Cai phát triển hạ tầng số</h1>"
        f"<p onmouseover=\"alert('SCRIPT-PAYLOAD')\">{report(bts).replace(chr(10), ' ')}</p>"
        "<img src=x onerror=\"alert('onerror')\"><svg onload=\"alert(1)\"><circle r=1 /></svg>"
        "<a href=\"javascript:alert('SCRIPT-PAYLOAD')\">Xem thêm</a>"
        "<iframe src=\"javascript:alert(1)\"></iframe><!-- <script>alert('comment')</script> -->"
        "<p>Theo Sở Thông tin và Truyền thông, hạ tầng viễn thông tiếp tục được đầu tư trong năm 2020.</p>"
        "</article>"
    )
    deep = "<div class='x'><span>" * (depth // 2) + article + "</span></div>" * (depth // 2)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Hạ tầng số Lào Cai</title>"
        "<script>var SCRIPT_PAYLOAD = 'SCRIPT-PAYLOAD'; alert(document.cookie)</script>"
        "<style>body{background:url(javascript:alert(1))}</style></head>"
        f"<body onload=\"alert('onload')\">{deep}<script>alert('SCRIPT-PAYLOAD')</script></body></html>"
    )


def numbers_text(count: int) -> str:
    """A report followed by `count` numbers in assorted Vietnamese formats, 50 to a line."""
    rng = random.Random(7)
    forms = ("{}", "{}.{:03d}", "{},{}", "{}%", "{}/{}", "{}.{:03d}.{:03d}", "{} triệu", "{} tỷ đồng")
    tokens = []
    for _ in range(count):
        form = rng.choice(forms)
        tokens.append(form.format(*(rng.randrange(1, 999) for _ in range(form.count("{")))))
    lines = [" ".join(tokens[i : i + 50]) for i in range(0, count, 50)]
    return report(908) + "\n" + "\n".join(lines) + "\n"


def _text(data: str | bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return write


def _truncated(make: Callable[[Path], Path]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        whole = make(path).read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    return write


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(2024).randbytes(4000)


def _broken_utf8() -> bytes:
    rng = random.Random(1258)
    data = bytearray(report(920).encode() * 20)
    for i in range(0, len(data), 7):
        data[i] = rng.choice((0x80, 0xC0, 0xFE, 0xFF))
    return bytes(data)


def _few_bad_bytes() -> bytes:
    good = report(902).encode()
    cut = good.index(b"\n\n")
    return good[:cut] + b"\xc3\x28\xff" + good[cut:]


def _one_line(size: int) -> str:
    line = report(907).replace("\n", " ")
    filler = "nội dung tiếp theo không có số liệu và không xuống dòng "
    return line + filler * ((size - len(line)) // len(filler.encode()) + 1)


BULLETS = (
    "Sở Thông tin và Truyền thông tỉnh Lào Cai tổng kết năm 2020\n\n"
    "- Đến hết năm 2020, toàn tỉnh Lào Cai có 914 trạm phát sóng di động.\n"
    '=HYPERLINK("http://evil.example/?x=1","Bấm") Đến hết năm 2019, toàn tỉnh Lào Cai có 915 trạm phát sóng '
    "di động.\n"
    "@SUM(A1) Trong năm 2020, 100% cơ quan nhà nước của tỉnh đã kết nối mạng truyền số liệu chuyên dùng.\n"
)
FORMULA_CSV = (
    '=HYPERLINK("http://evil.example")\n'
    "Tỉnh;Năm;Chỉ tiêu;Giá trị;Nguồn\n"
    "Lào Cai;2016;Số trạm BTS;913;=cmd|' /C calc'!A0\n"
    "Lào Cai;2015;Số trạm BTS;=1+1;\n"
    "Lào Cai;2014;Số trạm BTS;+5;\n"
    "Lào Cai;2013;Số trạm BTS;-3;\n"
    "Lào Cai;2012;Số trạm BTS;@SUM(A1);\n"
)
HOSTILE_MANIFEST = (
    "file,url,title,published,province\n"
    "có manifest.txt,javascript:alert('SCRIPT-PAYLOAD'),<script>alert('SCRIPT-PAYLOAD')</script>,2020-12-01,\n"
    f"../../{OUTSIDE_NAME},,,,\n"
)
MANIFEST_ESCAPE = f"con/../../{OUTSIDE_NAME}"  # how the build names the manifest row that reaches outside

# (case, how to write its file); a case without a writer is written by another entry (the manifest row).
SPEC: tuple[tuple[Case, Callable[[Path], object] | None], ...] = (
    (Case("tốt.txt", "good report beside the hostile ones", "ok", bts=901), _text(report(901))),
    (Case("rỗng.txt", "empty file", "empty", "empty file"), _text(b"")),
    (Case("khoảng trắng.txt", "whitespace only", "empty", "empty file"), _text(" \n\t  \r\n\u00a0\u3000 \n")),
    (Case("ảnh.txt", "PNG renamed .txt", "failed", "binary content, not text"), _text(_png())),
    (Case("ảnh.docx", "PNG renamed .docx", "failed", "DOCX is truncated or not a ZIP archive"), _text(_png())),
    (Case("ảnh.pdf", "PNG renamed .pdf", "failed", "not a PDF file"), _text(_png())),
    (Case("ảnh.xlsx", "PNG renamed .xlsx", "failed", "XLSX is truncated or not a ZIP archive"), _text(_png())),
    (Case("cũ.docx", "legacy .doc renamed .docx", "failed", "legacy binary Office file"),
     _text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(5000))),
    (Case("utf8 vài byte hỏng.txt", "UTF-8 with a few invalid bytes", "ok", bts=902), _text(_few_bad_bytes())),
    (Case("utf8 hỏng nặng.txt", "invalid UTF-8 throughout", "any"), _text(_broken_utf8())),
    (Case("windows-1258.txt", "Windows-1258 Vietnamese", "ok", bts=903), _text(to_cp1258(report(903) * 3))),
    (Case("utf-16 có BOM.txt", "UTF-16 LE with BOM", "ok", bts=904),
     _text(codecs.BOM_UTF16_LE + report(904).encode("utf-16-le"))),
    (Case("utf-16 không BOM.txt", "UTF-16 BE without BOM", "ok", bts=905), _text(report(905).encode("utf-16-be"))),
    (Case("nfd.txt", "NFD (decomposed) text", "ok", bts=906),
     _text(unicodedata.normalize("NFD", report(906)).encode())),
    (Case("một dòng 10 MB.txt", "10 MB line without a break", "ok", bts=907), _text(_one_line(TEN_MB))),
    (Case("100000 số.txt", "100,000 numbers", "ok", bts=908), _text(numbers_text(100_000))),
    (Case("<img src=x onerror=alert(1)>.txt", "HTML markup in the file name", "ok", bts=909),
     _text(report(909))),
    (Case("báo cáo .. tháng 12 ..txt", "spaces, Vietnamese letters and '..' in the file name", "ok", bts=916),
     _text(report(916))),
    (Case("trang độc.html", "HTML with scripts, event handlers, 3000 nested tags", "ok", bts=910),
     _text(hostile_html(910))),
    (Case("gạch đầu dòng.txt", "prose lines starting with -, =, @", "ok", bts=915), _text(BULLETS)),
    (Case("bom nén.docx", "DOCX zip bomb (400 MB of zeros)", "failed", "ZIP bomb"),
     lambda p: zip_bomb(p, "word/document.xml", 400 * 1024**2)),
    (Case("bom nén.xlsx", "XLSX zip bomb (ratio)", "failed", "ZIP bomb"),
     lambda p: zip_bomb(p, "xl/worksheets/sheet1.xml", 60 * 1024**2)),
    (Case("kích thước giả.docx", "DOCX whose headers understate a 60 MB part", "failed", "DOCX is damaged"),
     lambda p: lying_zip(p, "word/document.xml", 60 * 1024**2, 3000)),
    (Case("cụt.docx", "truncated DOCX", "failed", "truncated"), _truncated(lambda p: make_docx(p, report(999)))),
    (Case("cụt.xlsx", "truncated XLSX", "failed", "truncated"), _truncated(hostile_xlsx)),
    (Case("công thức, ô gộp.xlsx", "XLSX with formulas, merged cells, header in row 4", "ok", bts=911),
     hostile_xlsx),
    (Case("công thức.csv", "CSV cells starting with =, +, -, @ under a title line", "ok", bts=913),
     _text(FORMULA_CSV)),
    (Case("con/có manifest.txt", "manifest with a <script> title and a javascript: url", "ok", bts=918),
     _text(report(918))),
    (Case(MANIFEST_ESCAPE, "manifest row naming a file outside its folder", "failed",
          "listed in manifest.csv but not found"), None),
)
CASES: tuple[Case, ...] = tuple(case for case, _ in SPEC)


def build_corpus(folder: Path) -> list[Case]:
    """Write the hostile corpus into `folder` (and one file beside it); returns what each file must give."""
    for case, write in SPEC:
        if write is not None:
            path = folder / case.name
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
    (folder / "con" / "manifest.csv").write_text(HOSTILE_MANIFEST, encoding="utf-8")
    (folder.parent / OUTSIDE_NAME).write_text(report(990), encoding="utf-8")  # what the manifest row aims at
    return list(CASES)


# --- running the real command and measuring it --------------------------------------------------------


@dataclass
class Run:
    """A finished `ictdash` subprocess: exit code, output, and peak resident memory in bytes."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # the largest of: sampled RSS of the process tree, the kernel's max RSS of the process


def run_measured(args: list[str], timeout: float = 600, **popen: object) -> Run:
    """Run `python -c MEASURED_CLI *args` from the repository root, sampling its memory with psutil."""
    proc = subprocess.Popen([PY, "-c", MEASURED_CLI, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", **popen)
    sampled = 0
    deadline = time.monotonic() + timeout
    watched = psutil.Process(proc.pid)
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            tree = [watched, *watched.children(recursive=True)]
            sampled = max(sampled, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    stdout, stderr = proc.communicate(timeout=60)
    kernel = 0
    for line in stderr.splitlines():
        if line.startswith("ICTDASH_MAXRSS_KB"):
            kernel = max(int(v) for v in line.split()[1:]) * 1024
    return Run(proc.returncode, stdout, stderr, max(sampled, kernel))


@dataclass
class Built:
    """The hostile corpus and the warehouse the real CLI built from it."""

    folder: Path
    db: Path
    cases: list[Case]
    run: Run


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the xdist workers of this test run (the run's own temp folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the corpus and its warehouse once per test run; later callers (any worker) reuse them."""
    root = shared_dir(tmp_path_factory) / "hostile-corpus"
    record = root / "run.json"
    with FileLock(str(root) + ".lock"):
        if record.exists():
            saved = json.loads(record.read_text(encoding="utf-8"))
            cases = [Case(**c) for c in saved["cases"]]
            return Built(root / "reports", root / "wh" / "ictdash.duckdb", cases, Run(**saved["run"]))
        folder, db = root / "reports", root / "wh" / "ictdash.duckdb"
        cases = build_corpus(folder)
        run = run_measured(["etl", str(folder), "--db", str(db), "--curation", "", "--quiet", "--jobs", "2"])
        record.write_text(json.dumps({"cases": [asdict(c) for c in cases], "run": asdict(run)}, ensure_ascii=False),
                          encoding="utf-8")
        return Built(folder, db, cases, run)


def limit_file_size(limit: int) -> None:
    """preexec_fn: no file of the child may grow beyond `limit` bytes (writes fail with EFBIG): a full disk."""
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
