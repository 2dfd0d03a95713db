"""Structured table rows (CSV/XLSX) -> Observations, resolved through the catalog and the gazetteer."""

from __future__ import annotations

import re
from datetime import date

from etl import provinces
from etl.catalog import Catalog
from etl.model import Document, Observation

SCOPES = ("all", "province", "district", "commune", "village", "household", "population")


def extract_rows(doc: Document, catalog: Catalog, result) -> None:
    """Append one Observation per usable row to `result`; unusable rows go to `result.dropped`."""
    for row in doc.rows:
        label = row.row_label or "row"
        ind_id = row.indicator if row.indicator in catalog.indicators else catalog.match_header(row.indicator)
        if ind_id is None:
            result.dropped.append((f"{label}: unknown indicator {row.indicator!r}", label))
            continue
        ind = catalog.indicators[ind_id]
        on = date(row.year, 12, 31) if row.year else None
        prov = provinces.lookup(row.province, on=on) if row.province else None
        if prov is None:
            result.dropped.append((f"{label}: unknown province {row.province!r}", label))
            continue
        scope = row.scope if row.scope in SCOPES else "all"
        if not ind.within_hard(row.value) or (ind.unit == "pct" and row.value > 100):
            result.dropped.append((f"{label}: {ind_id} = {row.value:g} outside the plausible range", label))
            continue
        start, end, evidence = _locate(doc.text, label)
        result.observations.append(Observation(
            doc=doc.name, province=prov.name, province_code=prov.province_id, year=row.year,
            indicator=ind_id, scope=scope, value=float(row.value), unit=ind.unit,
            qualifier=row.qualifier or "exact", is_target=bool(row.is_target), evidence=evidence,
            start=start, end=end, rule="table", confidence=0.3 if ind.past_warn(row.value) else 0.95,
        ))


_LABEL = re.compile(r"^(?:(?P<sheet>.*)!)?[A-Z]+(?P<row>\d+)$|^row (?P<row2>\d+), col [A-Z]+$")


def _locate(text: str, label: str) -> tuple[int, int, str]:
    """The line of the rendered table that carries this row ("Sheet!C7" -> the line "7. …" after
    "[Sheet]"); offsets into the document text, so the evidence is text[start:end]."""
    m = _LABEL.match(label or "")
    if not m:
        return 0, 0, ""
    row = m.group("row") or m.group("row2")
    pos = 0
    if m.group("sheet") is not None:
        header = text.find(f"[{m.group('sheet')}]")
        if header < 0:
            return 0, 0, ""
        pos = header
    hit = re.compile(rf"^{row}\. .*$", re.M).search(text, pos)
    if not hit:
        return 0, 0, ""
    return hit.start(), hit.end(), hit.group(0)
