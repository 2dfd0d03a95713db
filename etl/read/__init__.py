"""Readers: any report file -> `Document` (normalized text, metadata, table rows).

Public API: `read_path`, `discover`, `Input`, `ReadError`. One reader per format; every failure on bad
input is a `ReadError` naming the file and a short reason.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from etl.dates import find_dateline, parse_date
from etl.model import Document
from etl.read.errors import ReadError
from etl.read.limits import MAX_FILE_BYTES
from etl.read.manifest import SUPPORTED_SUFFIXES, Input, cap_title, discover
from etl.text import normalize

__all__ = ["Input", "ReadError", "READERS", "discover", "read_path", "reader_for"]

# suffix -> "module:function". A reader's module (and its library: trafilatura, python-docx, pypdf,
# openpyxl cost ~0.7 s to import together) is imported the first time a file of that format is read.
READERS: dict[str, str] = {
    ".txt": "etl.read.txt:read_txt",
    ".md": "etl.read.txt:read_txt",
    ".html": "etl.read.html:read_html",
    ".htm": "etl.read.html:read_html",
    ".docx": "etl.read.docx:read_docx",
    ".pdf": "etl.read.pdf:read_pdf",
    ".csv": "etl.read.tables:read_table",
    ".xlsx": "etl.read.tables:read_table",
}
assert set(READERS) == SUPPORTED_SUFFIXES


@cache
def reader_for(suffix: str) -> Callable[[Path], Document] | None:
    """The reader function for a file suffix (".pdf"), imported on first use; None when unsupported."""
    target = READERS.get(suffix.lower())
    if target is None:
        return None
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)
MAX_TITLE_CHARS = 300


def read_path(path: Path, meta: dict | None = None) -> Document:
    """Read one file into a Document; `meta` (a manifest row) overrides the detected metadata.

    The text is normalized (`etl.text.normalize`); the title falls back to the first short line and the
    publication date to the dateline near the top. Raises ReadError, and only ReadError, on bad input.
    """
    path = Path(path)
    reader = reader_for(path.suffix)
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
        document.title = cap_title(normalize(title))
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
