"""Readers: any report file -> `Document` (normalized text, metadata, table rows).

Public API: `read_path`, `discover`, `Input`, `ReadError`. One reader per format; every failure on bad
input is a `ReadError` naming the file and a short reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from etl.dates import find_dateline, parse_date
from etl.model import Document
from etl.read.docx import read_docx
from etl.read.errors import ReadError
from etl.read.html import read_html
from etl.read.limits import MAX_FILE_BYTES
from etl.read.manifest import SUPPORTED_SUFFIXES, Input, discover
from etl.read.pdf import read_pdf
from etl.read.tables import read_table
from etl.read.txt import read_txt
from etl.text import normalize

__all__ = ["Input", "ReadError", "READERS", "discover", "read_path"]

READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_txt,
    ".md": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".csv": read_table,
    ".xlsx": read_table,
}
assert set(READERS) == SUPPORTED_SUFFIXES
MAX_TITLE_CHARS = 300


def read_path(path: Path, meta: dict | None = None) -> Document:
    """Read one file into a Document; `meta` (a manifest row) overrides the detected metadata.

    The text is normalized (`etl.text.normalize`); the title falls back to the first short line and the
    publication date to the dateline near the top. Raises ReadError, and only ReadError, on bad input.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(path, f"unsupported format {path.suffix.lower() or '(no extension)'}")
    if not path.exists():
        raise ReadError(path, "no such file")
    if not path.is_file():
        raise ReadError(path, "not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ReadError(path, f"file too large (> {MAX_FILE_BYTES // 1024**2} MB)")
    try:
        document = reader(path)
        _finish(document)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError(path, "out of memory while reading") from exc
    except Exception as exc:  # a library failing on odd input must not escape as another type
        raise ReadError(path, f"could not read ({type(exc).__name__}: {str(exc)[:120]})") from exc
    _apply_meta(document, meta or {})
    document.warnings = [f"{document.name}: {warning}" for warning in document.warnings]
    return document


def _finish(document: Document) -> None:
    """Normalize text and title; fill in title and publication date from the text when missing."""
    document.text = normalize(document.text)
    if document.title:
        document.title = _short(normalize(document.title))
    if not document.title:
        first = next((line for line in document.text[:MAX_TITLE_CHARS * 4].split("\n") if line.strip()), "")
        document.title = _short(first)
    if document.published is None and document.fmt not in ("csv", "xlsx"):
        document.published = find_dateline(document.text)


def _short(line: str) -> str | None:
    line = " ".join(line.split()).lstrip("#").strip()
    return line if 0 < len(line) <= MAX_TITLE_CHARS else None


def _apply_meta(document: Document, meta: dict) -> None:
    """Manifest values win over detected ones; an unreadable date is a warning, not a guess."""
    if title := (meta.get("title") or "").strip():
        document.title = normalize(title)
    if url := (meta.get("url") or "").strip():
        document.url = url
    if province := (meta.get("province") or "").strip():
        document.province_hint = normalize(province)
    if published := (meta.get("published") or "").strip():
        parsed = parse_date(published)
        if parsed is None:
            document.warnings.append(f"manifest date {published!r} not understood; ignored")
        else:
            document.published = parsed
