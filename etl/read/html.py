"""HTML pages -> Document: the main text with trafilatura, a plain-text fallback, page metadata."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import lxml.html
import trafilatura
from trafilatura.metadata import extract_metadata

from etl.dates import parse_date
from etl.model import Document
from etl.read.decode import decode_bytes
from etl.read.errors import ReadError
from etl.read.html_tree import SKIPPED_TAGS, parse_html, tree_size, visible_text
from etl.read.limits import MAX_TRAFILATURA_ELEMENTS, check_file_size

# Markup-only date search: htmldate's "extensive" mode guesses from dates in the body text.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_PRUNE = ["//nav", "//*[@role='navigation']"]  # menus are never the report's text
# What a browser never shows as text: scripts (JSON-LD metadata excepted), styles, templates, fallbacks.
_HIDDEN = " | ".join(["//script[not(contains(@type, 'json'))]",
                      *(f"//{tag}" for tag in sorted(SKIPPED_TAGS) if tag != "script")])
_TABLE_LINE = re.compile(r"^\s*\|")


def read_html(path: Path) -> Document:
    """Main text (tables kept, comments and scripts dropped), title/date/url from the page metadata."""
    check_file_size(path)
    decoded = decode_bytes(path.read_bytes(), path, declared=True)
    if not decoded.text.strip():
        raise ReadError(path, "empty file (whitespace only)")
    warnings = list(decoded.warnings)
    try:
        tree = parse_html(decoded.text)
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ReadError(path, f"HTML could not be parsed ({type(exc).__name__})") from exc
    for element in tree.xpath(_HIDDEN):  # before trafilatura, whose title and text would keep some of it
        element.drop_tree()  # keeps the text that follows the element

    text, metadata = "", None
    if tree_size(tree) <= MAX_TRAFILATURA_ELEMENTS:
        try:
            result = trafilatura.bare_extraction(
                copy.deepcopy(tree), with_metadata=True, include_comments=False, include_tables=True,
                include_images=False, include_links=False, date_extraction_params=_DATE_PARAMS,
                prune_xpath=_PRUNE,
            )
        except Exception as exc:  # any library failure falls back to plain text
            warnings.append(f"trafilatura failed ({type(exc).__name__}); plain text used")
            result = None
        if result is not None:
            text, metadata = result.text or "", result
    else:
        warnings.append(f"page has over {MAX_TRAFILATURA_ELEMENTS:,} elements; plain text used")

    if metadata is None:
        try:
            metadata = extract_metadata(_metadata_source(tree), date_config=_DATE_PARAMS, extensive=False)
        except Exception:  # metadata is optional
            metadata = None
    if not text.strip():
        try:
            text = visible_text(tree)
        except (RecursionError, ValueError) as exc:
            raise ReadError(path, f"HTML text could not be extracted ({type(exc).__name__})") from exc
    if not text.strip():
        raise ReadError(path, "HTML page has no text")

    title = _clean(getattr(metadata, "title", None))
    text = _paragraphs(text)
    if title and title not in text[: len(title) * 3 + 200]:
        text = f"{title}\n\n{text}"
    return Document(
        name=path.name, path=str(path), fmt="html", text=text, title=title,
        published=parse_date(getattr(metadata, "date", None) or ""),
        url=_clean(getattr(metadata, "url", None)), warnings=warnings,
    )


def _metadata_source(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page for metadata; only its <head> when the page is too big to scan quickly."""
    if tree_size(tree) <= MAX_TRAFILATURA_ELEMENTS:
        return copy.deepcopy(tree)
    page = lxml.html.Element("html")
    head = tree.find("head")
    if head is not None:
        page.append(copy.deepcopy(head))
    return page


def _paragraphs(text: str) -> str:
    """One blank line between blocks, as in the plain-text reports; table rows stay together."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    parts: list[str] = []
    for index, line in enumerate(lines):
        if index:
            both_table = _TABLE_LINE.match(line) and _TABLE_LINE.match(lines[index - 1])
            parts.append("\n" if both_table else "\n\n")
        parts.append(line)
    return "".join(parts)


def _clean(value: str | None) -> str | None:
    """Whitespace-collapsed metadata value, or None when empty."""
    value = " ".join((value or "").split())
    return value or None
