"""Structured table rows (CSV/XLSX) -> Observations, resolved through the catalog and the gazetteer.

A row's province is the one its table names (a province column, or the table's title); a row the table
leaves without one gets the document's province (manifest, provincial web address, a single province
named in the document title), else none: the value is kept in observations but never shown. A row's
unit ("Nghìn thuê bao", "tỷ đồng", "%", "điểm") is turned into the catalog unit, and a value whose unit
does not fit its indicator (a score for a percentage, a count for a density) is dropped with a reason.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from etl import provinces
from etl.catalog import Catalog
from etl.model import Document, Observation
from etl.read.tables import unit_factor

SCOPES = ("all", "province", "district", "commune", "village", "household", "population")
# Statistics offices' sites name their province after these prefixes (thongkequangngai.com, ctk...)
_STATISTICS_PREFIXES = ("cucthongke", "thongke", "ctk")


def extract_rows(doc: Document, catalog: Catalog, result) -> None:
    """Append one Observation per usable row to `result`; unusable rows go to `result.dropped`."""
    doc_province: provinces.Province | None | bool = False  # False: not looked up yet
    for row in doc.rows:
        label = row.row_label or "row"
        ind_id = row.indicator if row.indicator in catalog.indicators else catalog.match_header(row.indicator)
        if ind_id is None:
            result.dropped.append((f"{label}: unknown indicator {row.indicator!r}", label))
            continue
        ind = catalog.indicators[ind_id]
        on = date(row.year, 12, 31) if row.year else None
        if row.province:
            prov = provinces.lookup(row.province, on=on)
            if prov is None:
                result.dropped.append((f"{label}: unknown province {row.province!r}", label))
                continue
        else:
            if doc_province is False:
                doc_province = document_province(doc)
            prov = provinces.on_date(doc_province.province_id, on) if doc_province and on and \
                doc_province.scheme == "63" else doc_province or None
        factor = unit_factor(row.unit, ind.unit)
        if factor is None:
            result.dropped.append((f"{label}: unit {row.unit!r} does not fit {ind_id} ({ind.unit})", label))
            continue
        value = round(float(row.value) * factor, 6)
        scope = row.scope if row.scope in SCOPES else "all"
        if not ind.within_hard(value) or (ind.unit == "pct" and value > 100):
            result.dropped.append((f"{label}: {ind_id} = {value:g} outside the plausible range", label))
            continue
        start, end, evidence = _locate(doc.text, label)
        result.observations.append(Observation(
            doc=doc.name, province=prov.name if prov else None, province_code=prov.province_id if prov else None,
            year=row.year, indicator=ind_id, scope=scope, value=value, unit=ind.unit,
            qualifier=row.qualifier or "exact", is_target=bool(row.is_target), evidence=evidence,
            start=start, end=end, rule="table", confidence=0.3 if ind.past_warn(value) else 0.95,
        ))


def document_province(doc: Document) -> provinces.Province | None:
    """The province of a table document: manifest, provincial web address, a statistics office's
    address (thongkequangngai.com), else the one province named in the document title."""
    if doc.province_hint and (p := provinces.lookup(doc.province_hint)):
        return p
    if doc.url:
        if p := provinces.from_url(doc.url):
            return p
        host = urlsplit(doc.url if "//" in doc.url else "//" + doc.url).hostname or ""
        for label in host.lower().split("."):
            for prefix in _STATISTICS_PREFIXES:
                if label.startswith(prefix) and len(label) > len(prefix) + 3:
                    if p := provinces.from_url(f"//{label[len(prefix):]}.vn"):
                        return p
    if doc.title:
        ids = {m.province_id for m in provinces.find_mentions(doc.title) if m.level == "province"}
        if len(ids) == 1:
            return provinces.get(ids.pop())
    return None


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
