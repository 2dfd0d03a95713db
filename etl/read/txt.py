"""Plain text and Markdown files -> Document."""

from __future__ import annotations

from pathlib import Path

from etl.model import Document
from etl.read.decode import decode_bytes
from etl.read.errors import ReadError
from etl.read.limits import check_file_size


def read_txt(path: Path) -> Document:
    """Decode the file (BOM, UTF-16, UTF-8, else detection incl. Windows-1258); text is not normalized yet."""
    check_file_size(path)
    decoded = decode_bytes(path.read_bytes(), path)
    if not decoded.text.strip():
        raise ReadError(path, "empty file (whitespace only)")
    title = None
    if path.suffix.lower() == ".md":
        title = _markdown_title(decoded.text)
    return Document(name=path.name, path=str(path), fmt="txt", text=decoded.text, title=title,
                    warnings=decoded.warnings)


def _markdown_title(text: str) -> str | None:
    """The first '# heading' among the first lines of a Markdown file."""
    for line in text.splitlines()[:20]:
        if line.startswith("#"):
            return line.lstrip("#").strip() or None
    return None
