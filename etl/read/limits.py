"""Size limits for untrusted input files, and the checks that enforce them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl.read.errors import ReadError

MAX_FILE_BYTES = 200 * 1024**2  # any input file; a 50 MB text must still read
MAX_ZIP_UNCOMPRESSED_BYTES = 300 * 1024**2  # DOCX/XLSX: sum of the members' uncompressed sizes
MAX_ZIP_RATIO = 200  # DOCX/XLSX: uncompressed / compressed, checked once the archive is not tiny
ZIP_RATIO_MIN_BYTES = 10 * 1024**2  # below this uncompressed size the ratio is not checked
MAX_TABLE_CELLS = 1_000_000  # non-empty cells read from one workbook or CSV file
MAX_TRAFILATURA_ELEMENTS = 25_000  # trafilatura takes ~2-3 s per 10,000 elements; bigger pages: plain text
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls container


def human_size(n: float) -> str:
    """1288490188 -> '1.2 GB'."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def check_file_size(path: Path) -> int:
    """The file's size; ReadError when it is empty or above MAX_FILE_BYTES."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(path, f"file too large (> {MAX_FILE_BYTES // 1024**2} MB)")
    if size == 0:
        raise ReadError(path, "empty file")
    return size


def check_zip(path: Path, kind: str) -> None:
    """ReadError unless `path` is a ZIP archive of sane size (`kind` is "DOCX" or "XLSX", for messages)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise ReadError(path, f"legacy binary Office file (.doc/.xls) renamed {kind}: save it as {kind}")
    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"{kind} is truncated or not a ZIP archive")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ReadError(path, f"{kind} is truncated or not a ZIP archive ({exc})") from exc
    uncompressed = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    if uncompressed > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise ReadError(path, f"ZIP bomb: {human_size(uncompressed)} uncompressed")
    if uncompressed > ZIP_RATIO_MIN_BYTES and uncompressed > MAX_ZIP_RATIO * max(compressed, 1):
        ratio = uncompressed / max(compressed, 1)
        raise ReadError(path, f"ZIP bomb: {human_size(uncompressed)} uncompressed, ratio {ratio:.0f}:1")
