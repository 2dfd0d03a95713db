"""Word .docx files -> Document: paragraphs and table rows in document order."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.etree
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from etl.model import Document
from etl.read.errors import ReadError
from etl.read.limits import check_file_size, check_zip

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
JUNK_TITLES = ("microsoft word", "untitled", "document", "tài liệu")


def read_docx(path: Path) -> Document:
    """Paragraph texts and table rows ("cell | cell | cell"), blank line between blocks."""
    check_file_size(path)
    check_zip(path, "DOCX")
    try:
        document = docx.Document(str(path))
        blocks = list(_blocks(document.element.body, document))
        core_title = document.core_properties.title
    except ReadError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on damaged packages
        raise ReadError(path, f"DOCX is damaged or not a Word document ({type(exc).__name__})") from exc
    text = "\n\n".join(block for block in blocks if block.strip())
    if not text.strip():
        raise ReadError(path, "DOCX has no text")
    return Document(name=path.name, path=str(path), fmt="docx", text=text, title=_title(core_title))


def _blocks(body: lxml.etree._Element, parent: object):
    """Yield each top-level paragraph's text and each table's rendering, in order (no recursion)."""
    walker = lxml.etree.iterwalk(body, events=("start",))
    for _event, element in walker:
        if element.tag == _TBL:
            yield "\n".join(_table_rows(element, parent))
            walker.skip_subtree()
        elif element.tag == _P:
            yield Paragraph(element, parent).text
            walker.skip_subtree()


def _table_rows(table: lxml.etree._Element, parent: object) -> list[str]:
    """One line per row of `table`, cells joined by " | " (a nested table flattens into its cell)."""
    rows = []
    for row in table.iterchildren(_TR):
        cells = []
        for cell in row.iterchildren(_TC):
            texts = (Paragraph(p, parent).text for p in cell.iter(_P))
            cells.append(" ".join(" ".join(texts).split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _title(value: str | None) -> str | None:
    """The core-properties title unless it is a template's placeholder."""
    value = " ".join((value or "").split())
    if not value or value.lower().startswith(JUNK_TITLES):
        return None
    return value
