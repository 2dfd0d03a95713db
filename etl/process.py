"""Reading and extracting one file, as plain picklable results: the work of the build's worker processes.

Kept apart from `etl.warehouse` so that a worker imports the readers and the extractor only (not DuckDB):
workers start faster and hold less memory.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

Task = tuple[str, Any, str, str]  # (path, manifest row, sha256, meta hash)


@dataclass
class FileResult:
    """What reading + extracting one file produced, as plain picklable data."""

    doc_id: str
    path: str
    sha256: str
    meta_hash: str
    status: str  # ok | empty | failed
    error: str | None = None
    fmt: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    province_id: str | None = None
    text: str | None = None
    observations: list[dict[str, Any]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    warnings: list[str] = field(default_factory=list)


def process_file(path: str, meta: Any, sha256: str, meta_hash: str) -> FileResult:
    """Read and extract one file; never raises (a failure becomes status 'failed' with the reason)."""
    from etl.read import ReadError, read_path

    result = FileResult(doc_id=Path(path).name, path=path, sha256=sha256, meta_hash=meta_hash, status="failed")
    try:
        doc = read_path(Path(path), meta)
    except ReadError as exc:
        result.error = exc.reason
        result.status = "empty" if "empty" in exc.reason.lower() else "failed"
        return result
    except Exception as exc:  # noqa: BLE001 - any reader bug must not stop the batch
        result.error = f"cannot read: {type(exc).__name__}: {exc}"
        return result
    result.fmt, result.url, result.title, result.published = doc.fmt, doc.url, doc.title, doc.published
    result.text = doc.text
    result.warnings = list(doc.warnings)
    if not doc.text.strip() and not doc.rows:
        result.status, result.error = "empty", "no text found in the file"
        return result
    try:
        from etl.extract import document_province, extract_document

        extracted = extract_document(doc)
        # prose: the extractor decided already (news without ICT vocabulary: from the lead only, a full
        # second scan of every article cost a tenth of a build); tables: from the file's names and text
        result.province_id = extracted.province_id
        if result.province_id is None and doc.rows:
            result.province_id = document_province(doc)
    except Exception as exc:  # noqa: BLE001
        result.error = f"extraction failed: {type(exc).__name__}: {exc}"
        return result
    result.observations = observation_rows(result.doc_id, extracted.observations)
    result.dropped = dict(Counter(reason for reason, _ in extracted.dropped))
    result.status = "ok"
    return result


def observation_rows(doc_id: str, observations: Iterable[Any]) -> list[dict[str, Any]]:
    """Observations as rows of the observations table, each with a stable obs_id."""
    rows = []
    used: set[str] = set()
    for obs in observations:
        key = "|".join(str(v) for v in (doc_id, obs.indicator, obs.scope, obs.province_code, obs.year,
                                        obs.is_target, obs.period, obs.start, obs.end, repr(float(obs.value)),
                                        obs.qualifier, obs.rule))
        obs_id = hashlib.sha1(key.encode()).hexdigest()[:16]
        n = 1
        while obs_id in used:  # the same value twice at the same place: keep both, distinctly
            n += 1
            obs_id = hashlib.sha1(f"{key}#{n}".encode()).hexdigest()[:16]
        used.add(obs_id)
        rows.append({
            "obs_id": obs_id, "doc_id": doc_id, "province_id": obs.province_code, "province_name": obs.province,
            "year": obs.year, "indicator_id": obs.indicator, "scope": obs.scope, "value": float(obs.value),
            "unit": obs.unit, "qualifier": obs.qualifier, "is_target": bool(obs.is_target),
            "denominator": obs.denominator, "period": obs.period, "evidence": obs.evidence,
            "start_offset": obs.start, "end_offset": obs.end, "rule": obs.rule,
            "confidence": float(obs.confidence),
            "origin": "table" if str(obs.rule).startswith("table") else "machine",
            "review_status": "machine",
        })
    return rows


def warm_worker() -> None:
    """Worker start-up: load the catalog and the gazetteer before the first file arrives."""
    from etl.catalog import load_catalog
    from etl.provinces import gazetteer

    load_catalog()
    gazetteer()


def process_chunk(chunk: list[Task]) -> list[FileResult]:
    return [process_file(*args) for args in chunk]
