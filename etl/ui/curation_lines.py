"""Ready-to-paste lines for the curation file (data/curation.csv) that fix what the Quality page shows.

Placeholders in capitals (REVIEWER, REASON, NEW_VALUE, YYYY, PROVINCE) must be replaced before the line
is pasted; the ETL reports a line it cannot read instead of applying it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

try:  # the curation module owns the column order
    from etl.curation import COLUMNS
except ImportError:  # pragma: no cover - keeps the page usable while that module is missing
    COLUMNS = (
        "action", "doc", "indicator", "scope", "year", "province", "value", "evidence_contains",
        "new_value", "new_year", "new_province", "new_scope", "unit", "qualifier", "is_target",
        "reviewer", "reason",
    )

EVIDENCE_CHARS = 60


def _number(value: Any) -> str:
    if value is None or value != value:
        return ""
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(f)


def _snippet(evidence: Any) -> str:
    """A short piece of the evidence that identifies the value (the start of the sentence)."""
    text = " ".join(str(evidence or "").split())
    return text[:EVIDENCE_CHARS]


def curation_line(action: str, obs: Mapping[str, Any], *, reviewer: str = "REVIEWER", reason: str = "REASON",
                  **changes: Any) -> str:
    """One CSV line (no newline) in the curation file's column order.

    `obs` holds the value to match (doc_id, indicator_id, scope, year, province_id, value, evidence);
    `changes` fills the new_* columns for `correct` (new_value, new_year, new_province, new_scope).
    """
    if action not in ("reject", "correct"):
        raise ValueError("action must be 'reject' or 'correct'")
    year = obs.get("year")
    row = {
        "action": action,
        "doc": obs.get("doc_id") or "",
        "indicator": obs.get("indicator_id") or "",
        "scope": obs.get("scope") or "",
        "year": "" if year is None or year != year else str(int(year)),
        "province": obs.get("province_id") or "",
        "value": _number(obs.get("value")),
        "evidence_contains": _snippet(obs.get("evidence")),
        "reviewer": reviewer,
        "reason": reason,
    }
    for key, value in changes.items():
        if key not in COLUMNS:
            raise ValueError(f"unknown curation column {key!r}")
        row[key] = value if isinstance(value, str) else _number(value)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([row.get(col, "") for col in COLUMNS])
    return buf.getvalue()


def header_line() -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(COLUMNS)
    return buf.getvalue()
