"""PDF files -> Document: the text layer of every page."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pypdf

from etl.model import Document
from etl.read.errors import ReadError
from etl.read.limits import check_file_size

MAX_GARBLED_SHARE = 0.05  # above this share of unmapped glyphs, warn that the text layer is unreliable
_GARBLED = re.compile(r"[\ufffd\ue000-\uf8ff]")  # replacement and private-use characters
JUNK_TITLE_PREFIXES = ("microsoft word", "untitled")

logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path) -> Document:
    """Text of each page joined by a blank line; encrypted, scanned or broken files are ReadErrors."""
    check_file_size(path)
    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise ReadError(path, "not a PDF file (no %PDF header)")
    warnings: list[str] = []
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "PDF is encrypted (password required)")
        pages = list(reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, AttributeError ...) on damage
        reason = "PDF is encrypted with an unsupported method" if "crypt" in str(exc).lower() else "PDF is damaged"
        raise ReadError(path, f"{reason} ({type(exc).__name__})") from exc
    texts = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one bad page must not lose the others
            warnings.append(f"page {number} unreadable ({type(exc).__name__})")
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not text:
        raise ReadError(path, "PDF has no text layer (scanned?)")
    if len(_GARBLED.findall(text)) > len(text) * MAX_GARBLED_SHARE:
        warnings.append("many unmapped glyphs; the PDF's text layer may be garbled")
    return Document(name=path.name, path=str(path), fmt="pdf", text=text, title=_title(reader), warnings=warnings)


def _title(reader: pypdf.PdfReader) -> str | None:
    """The document-information title unless it is a converter's placeholder."""
    try:
        value = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    except Exception:  # broken info dictionaries are common and harmless
        return None
    if not value or value.lower().startswith(JUNK_TITLE_PREFIXES):
        return None
    return value
