"""The two records every stage passes along: a read Document and an extracted Observation.

These are the contracts between stages: readers produce `Document`s, the extractor turns a Document
into `Observation`s, the warehouse stores them. Field names follow the JSONL contract of
`python -m etl extract` (see README, "Extraction output").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class TableRow:
    """One value from a structured table (CSV/XLSX), before province/indicator resolution."""

    province: str
    year: int | None
    indicator: str  # an indicator id or a header text to resolve through the catalog
    value: float
    scope: str = "all"
    unit: str | None = None
    source: str | None = None
    is_target: bool = False
    qualifier: str = "exact"
    row_label: str = ""  # e.g. "Sheet1!B7", shown as evidence


@dataclass
class Document:
    """A report as read from disk: normalized text plus metadata.

    `text` is already normalized (`etl.text.normalize`); every offset in an Observation refers to it.
    Structured tables carry `rows` instead of (or besides) prose.
    """

    name: str  # file name, the document's id in outputs
    path: str
    fmt: str  # txt, html, docx, pdf, csv, xlsx
    text: str = ""
    title: str | None = None
    published: date | None = None
    url: str | None = None
    province_hint: str | None = None  # from the manifest or the reader (e.g. a site's domain)
    rows: list[TableRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Observation:
    """One value read from a document, with the evidence that supports it."""

    doc: str
    province: str | None  # Vietnamese name as of the report's time
    province_code: str | None  # scheme-qualified id: "63-10" (pre-2025 Lào Cai), "34-15" (merged Lào Cai)
    year: int | None
    indicator: str
    scope: str
    value: float
    unit: str
    qualifier: str  # exact, at_least, at_most, approx
    is_target: bool
    evidence: str  # exactly text[start:end] of the normalized document text
    start: int
    end: int
    rule: str
    confidence: float
    denominator: float | None = None  # "5/63" -> 63
    period: str | None = None  # "H1", "Q2", "9M" for part-year figures; None = whole year / as-of

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
