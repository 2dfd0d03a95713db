"""Human corrections (data/curation.csv), applied to the warehouse on every build.

Four actions: `reject` hides machine values, `correct` changes them (the machine's values are kept in
`observations.original` as JSON), `add` inserts a value the text states but the machine missed, `confirm`
marks a machine value as checked by a person (review_status 'confirmed'; the value is unchanged). reject,
correct and confirm match observations by doc + indicator, narrowed by scope / year / province / value /
evidence_contains when given. The optional last column `time` (UTC, ISO 8601) says when a line was written
(the review mode of the dashboard fills it; etl/review.py); files without it still read. Every entry needs a reviewer and a reason. An entry that matches nothing,
or names a document that is not loaded, is reported as a warning; a malformed line is reported with its
line number and skipped while the others still apply.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from etl.provinces import lookup, name_key

COLUMNS = (
    "action", "doc", "indicator", "scope", "year", "province", "value", "evidence_contains",
    "new_value", "new_year", "new_province", "new_scope", "unit", "qualifier", "is_target",
    "reviewer", "reason", "time",
)  # fmt: skip
REQUIRED_COLUMNS = ("action", "doc", "indicator", "reviewer", "reason")
ACTIONS = ("reject", "correct", "add", "confirm")
QUALIFIERS = ("exact", "at_least", "at_most", "approx")
UNITS = ("pct", "count", "per_100", "bn_vnd", "rank", "score")  # the normalized units of etl/catalog
KNOWN_SCOPES = ("all", "province", "district", "commune", "village", "household", "population")
_TRUE = {"true", "1", "yes", "y", "có", "co", "x"}
_FALSE = {"false", "0", "no", "n", "không", "khong"}
_PROVINCE_ID = re.compile(r"^(63|34)-\d{2}$")
# what the dashboard's ready-to-paste lines hold until a person fills them in (etl/ui/curation_lines.py)
PLACEHOLDERS = {"REVIEWER", "REASON", "NEW_VALUE", "YYYY", "PROVINCE"}
MERGER_YEAR = 2025  # provinces merged on 1 July 2025: earlier years use the 63 scheme, later the 34


@dataclass(frozen=True)
class Entry:
    """One parsed line of the curation file."""

    line: int
    action: str
    doc: str
    indicator: str
    reviewer: str
    reason: str
    scope: str | None = None
    year: int | None = None
    province: str | None = None
    value: float | None = None
    evidence_contains: str | None = None
    new_value: float | None = None
    new_year: int | None = None
    new_province: str | None = None
    new_scope: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    is_target: bool | None = None
    time: str | None = None  # when the line was written (review mode), informational

    def describe(self) -> str:
        parts = [self.action, self.doc, self.indicator]
        parts += [f"{k}={v}" for k, v in (("scope", self.scope), ("year", self.year),
                                           ("province", self.province), ("value", self.value)) if v is not None]
        return " ".join(str(p) for p in parts)


@dataclass
class CurationReport:
    """What the curation file did in one build; `warnings` and `errors` must reach a person."""

    source: str = "data/curation.csv"
    applied: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stale / unmatched entries, soft problems
    errors: list[str] = field(default_factory=list)  # malformed lines, not applied

    @property
    def n_applied(self) -> int:
        return len(self.applied)

    @property
    def messages(self) -> list[str]:
        return self.errors + self.warnings

    def counts(self) -> dict[str, int]:
        out = {a: 0 for a in ACTIONS}
        for item in self.applied:
            out[item["action"]] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"counts": self.counts()}


# --- reading the file -----------------------------------------------------------------------------


def load_curation(path: Path) -> tuple[list[Entry], list[str]]:
    """Parse the curation CSV. Returns the valid entries and one message per malformed line.

    A missing file is no entries and no errors; a file that cannot be read at all is one error.
    """
    path = Path(path)
    if not path.exists():
        return [], []
    try:
        raw, encoding = _decode(path.read_bytes())
    except OSError as exc:
        return [], [f"{path}: cannot read the curation file ({exc.strerror or exc})"]
    except UnicodeDecodeError as exc:
        return [], [f"{path}: cannot read the curation file ({exc}); save it as UTF-8 CSV"]
    lines = raw.splitlines(keepends=True)
    reader = csv.DictReader(_without_comments(lines), delimiter=_delimiter(lines))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return [], [f"{path}: the header line cannot be read ({exc})"]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [f"{path}: header lacks column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"]
    errors = [f"{path}: unknown column {c!r} ignored" for c in header if c and c not in COLUMNS]
    entries: list[Entry] = []
    try:
        for row in reader:
            line = reader.line_num
            try:
                entries.append(_parse_row(row, line))
            except ValueError as exc:
                errors.append(f"{path} line {line}: {exc}")
    except csv.Error as exc:  # e.g. an unclosed quote that swallows the rest of the file into one huge field
        errors.append(f"{path} after line {reader.line_num}: {exc}; the rest of the file was not read "
                      "(an unclosed quote?)")
    return entries, errors


def _decode(data: bytes) -> tuple[str, str]:
    """The curation file's text, NFC, from what Excel and editors save: UTF-8 (with or without BOM), UTF-16
    (Excel's "Unicode text", with a BOM or detected by its zero bytes) or Windows-1258 (Excel's CSV in a
    Vietnamese locale, tone marks as combining characters)."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8"), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16"), "utf-16"
    elif len(data) >= 4 and data[1:4:2] == b"\0\0" and data[0:4:2] != b"\0\0":
        text, encoding = data.decode("utf-16-le"), "utf-16-le"
    elif len(data) >= 4 and data[0:4:2] == b"\0\0" and data[1:4:2] != b"\0\0":
        text, encoding = data.decode("utf-16-be"), "utf-16-be"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1258"), "cp1258"  # every byte is a character: never fails
    return unicodedata.normalize("NFC", text.lstrip("\ufeff")), encoding


def _delimiter(lines: list[str]) -> str:
    """`,` unless the header line splits into the required columns on `;` or a tab (Excel in a locale
    whose decimal mark is a comma writes `;`; its "Unicode text" uses tabs)."""
    header = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    best, found = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            cells = {c.strip().lower() for c in next(csv.reader([header], delimiter=delimiter), [])}
        except csv.Error:  # a huge or broken header: load_curation reports it with the chosen delimiter
            continue
        score = sum(c in cells for c in REQUIRED_COLUMNS)
        if score > found:
            best, found = delimiter, score
    return best


def _without_comments(lines: list[str]) -> Iterator[str]:
    """Blank out comment lines (kept as empty lines so csv line numbers stay physical)."""
    for text in lines:
        yield "\n" if text.lstrip().startswith("#") else text


def _parse_row(row: dict[str, str | None], line: int) -> Entry:
    if None in row:
        raise ValueError(f"too many fields ({len(row[None]) if row[None] else 0} extra); quote text with commas")
    cell = {k: (v or "").strip() for k, v in row.items() if k}
    placeholders = [k for k, v in cell.items() if v in PLACEHOLDERS]
    if placeholders:
        raise ValueError(f"placeholder {cell[placeholders[0]]} in {placeholders[0]} was not replaced")
    action = cell.get("action", "").lower()
    if action not in ACTIONS:
        raise ValueError(f"action {cell.get('action')!r} is not one of {', '.join(ACTIONS)}")
    for name in ("doc", "indicator", "reviewer", "reason"):
        if not cell.get(name):
            raise ValueError(f"{name} is required")
    qualifier = cell.get("qualifier") or None
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    unit = cell.get("unit") or None
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    entry = Entry(
        line=line,
        action=action,
        doc=Path(cell["doc"]).name,
        indicator=cell["indicator"],
        reviewer=cell["reviewer"],
        reason=cell["reason"],
        scope=cell.get("scope") or None,
        year=_int(cell, "year"),
        province=cell.get("province") or None,
        value=_float(cell, "value"),
        evidence_contains=cell.get("evidence_contains") or None,
        new_value=_float(cell, "new_value"),
        new_year=_int(cell, "new_year"),
        new_province=cell.get("new_province") or None,
        new_scope=cell.get("new_scope") or None,
        unit=unit,
        qualifier=qualifier,
        is_target=_bool(cell, "is_target"),
        time=cell.get("time") or None,
    )
    if action == "add":
        missing = [n for n in ("year", "province", "value", "evidence_contains") if getattr(entry, n) is None]
        if missing:
            raise ValueError(f"add needs {', '.join(missing)}")
    if action == "correct":
        changes = (entry.new_value, entry.new_year, entry.new_province, entry.new_scope, entry.unit,
                   entry.qualifier, entry.is_target)
        if all(c is None for c in changes):
            raise ValueError("correct needs at least one of new_value, new_year, new_province, new_scope, "
                             "unit, qualifier, is_target")
    return entry


def _float(cell: dict[str, str], name: str) -> float | None:
    text = cell.get(name, "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # Vietnamese decimal comma: 6,2
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} {cell[name]!r} is not a number (write 6.2 or 1234)") from None
    if not math.isfinite(number):  # "nan", "inf", "1e999" parse as floats but are no value to show
        raise ValueError(f"{name} {cell[name]!r} is not a finite number (write 6.2 or 1234)")
    return number


FIRST_YEAR = 1990  # the earliest year a provincial ICT figure can refer to
YEARS_AHEAD = 10  # targets name years ahead; further is a typo (9999 stretched every year slider)


def _int(cell: dict[str, str], name: str) -> int | None:
    text = cell.get(name, "")
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"{name} {text!r} is not a year")
    year, last = int(text), date.today().year + YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise ValueError(f"{name} {year} is outside {FIRST_YEAR}–{last}")
    return year


def _bool(cell: dict[str, str], name: str) -> bool | None:
    text = cell.get(name, "").lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} {cell[name]!r} is not true/false")


# --- applying it ----------------------------------------------------------------------------------


_MATCH_SQL = """
SELECT obs_id, year, province_id, province_name, scope, value, unit, qualifier, is_target,
       evidence, start_offset, end_offset
FROM observations
WHERE doc_id = $doc AND indicator_id = $indicator AND origin <> 'curated_added'
  AND ($scope IS NULL OR scope = $scope)
  AND ($year IS NULL OR year = $year)
  AND ($provinces IS NULL OR list_contains($provinces, province_id))
  AND ($value IS NULL OR abs(value - $value) <= 1e-9 + 1e-6 * abs($value))
ORDER BY start_offset, obs_id
"""

_CANDIDATES_SQL = """
SELECT value, year, scope, province_id, evidence FROM observations
WHERE doc_id = $doc AND indicator_id = $indicator ORDER BY start_offset LIMIT 5
"""


class _Applier:
    """Applies entries to one open warehouse connection and fills a report."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: CurationReport) -> None:
        self.con = con
        self.report = report
        self.handled: dict[str, int] = {}  # obs_id -> line of the entry that curated it
        self.indicators = {
            r[0]: (r[1], r[2], r[3])
            for r in con.execute("SELECT indicator_id, unit, hard_min, hard_max FROM indicators").fetchall()
        }
        self.provinces = con.execute("SELECT province_id, scheme, name FROM provinces").fetchall()
        scopes = {r[0] for r in con.execute("SELECT DISTINCT scope FROM observations").fetchall()}
        self.scopes = set(KNOWN_SCOPES) | scopes

    def where(self, entry: Entry) -> str:
        return f"{self.report.source} line {entry.line} ({entry.describe()})"

    def apply(self, entry: Entry) -> None:
        if entry.indicator not in self.indicators:
            self.report.errors.append(f"{self.where(entry)}: unknown indicator {entry.indicator!r}")
            return
        for scope in (entry.scope, entry.new_scope):
            if scope is not None and scope not in self.scopes:
                self.report.errors.append(f"{self.where(entry)}: unknown scope {scope!r}")
                return
        docs = self.con.execute("SELECT status, text FROM documents WHERE doc_id = ?", [entry.doc]).fetchall()
        if not docs:
            self.report.warnings.append(f"{self.where(entry)}: STALE — document {entry.doc!r} is not loaded")
            return
        try:
            if entry.action == "add":
                self._add(entry, docs[0][1] or "")
            else:
                self._reject_or_correct(entry, docs[0][1] or "")
        except ValueError as exc:
            self.report.errors.append(f"{self.where(entry)}: {exc}")

    # province names -> ids ---------------------------------------------------------------------

    def province_ids(self, text: str) -> list[str]:
        """Every province id the text may mean (same name in both schemes), or ValueError."""
        known = {pid for pid, _, _ in self.provinces}
        if _PROVINCE_ID.match(text):
            if text not in known:
                raise ValueError(f"unknown province id {text!r}")
            return [text]
        names = {name_key(text)}
        found = lookup(text)
        if found is not None:
            names.add(name_key(found.name))
        ids = [pid for pid, _, name in self.provinces if name_key(name) in names]
        if not ids:
            raise ValueError(f"unknown province {text!r}")
        return ids

    def one_province(self, text: str, year: int | None) -> tuple[str, str]:
        """The single (id, name) a province text means in `year`; ValueError when ambiguous."""
        ids = self.province_ids(text)
        by_id = {pid: (scheme, name) for pid, scheme, name in self.provinces}
        if len(ids) > 1 and year is not None and year != MERGER_YEAR:
            scheme = "63" if year < MERGER_YEAR else "34"
            ids = [pid for pid in ids if by_id[pid][0] == scheme] or ids
        if len(ids) != 1:
            raise ValueError(f"province {text!r} is ambiguous in {year}: write one of {', '.join(ids)}")
        return ids[0], by_id[ids[0]][1]

    # actions -----------------------------------------------------------------------------------

    def _matches(self, entry: Entry, text: str) -> list[tuple]:
        provinces = self.province_ids(entry.province) if entry.province else None
        params = {"doc": entry.doc, "indicator": entry.indicator, "scope": entry.scope, "year": entry.year,
                  "provinces": provinces, "value": entry.value}
        rows = self.con.execute(_MATCH_SQL, params).fetchall()
        if entry.evidence_contains:
            spans = _find_all(text, entry.evidence_contains)
            needle = _squash(entry.evidence_contains)
            rows = [r for r in rows if needle in _squash(r[9])
                    or any(r[10] is not None and r[10] < e and s < r[11] for s, e in spans)]
        return rows

    def _reject_or_correct(self, entry: Entry, text: str) -> None:
        rows = self._matches(entry, text)
        fresh = []
        for row in rows:
            if row[0] in self.handled:
                self.report.warnings.append(
                    f"{self.where(entry)}: observation {row[0]} already curated by line {self.handled[row[0]]};"
                    " skipped")
            else:
                fresh.append(row)
        if not rows:
            self.report.warnings.append(f"{self.where(entry)}: UNMATCHED — no observation matches; "
                                        f"this document has {self._candidates(entry)}")
            return
        for row in fresh:
            if entry.action in ("reject", "confirm"):
                self.con.execute(
                    "UPDATE observations SET review_status = ?, reviewer = ?, review_reason = ? WHERE obs_id = ?",
                    ["rejected" if entry.action == "reject" else "confirmed", entry.reviewer, entry.reason,
                     row[0]])
            else:
                self._correct(entry, row)
            self.handled[row[0]] = entry.line
        if fresh:
            self.report.applied.append({"line": entry.line, "action": entry.action, "doc": entry.doc,
                                        "indicator": entry.indicator, "matched": len(fresh)})

    def _correct(self, entry: Entry, row: tuple) -> None:
        obs_id, year, province_id, province_name, scope, value, unit, qualifier, is_target = row[:9]
        new = {"value": entry.new_value, "year": entry.new_year, "scope": entry.new_scope,
               "unit": entry.unit, "qualifier": entry.qualifier, "is_target": entry.is_target}
        new = {k: v for k, v in new.items() if v is not None}
        if entry.new_province:
            new["province_id"], new["province_name"] = self.one_province(
                entry.new_province, new.get("year", year))
        old = {"value": value, "year": year, "scope": scope, "unit": unit, "qualifier": qualifier,
               "is_target": is_target, "province_id": province_id, "province_name": province_name}
        original = {k: old[k] for k, v in new.items() if old[k] != v}
        self._check_bounds(entry, new.get("value", value))
        merged = old | new
        self.con.execute(
            """UPDATE observations SET value = $value, year = $year, scope = $scope, unit = $unit,
                   qualifier = $qualifier, is_target = $is_target, province_id = $province_id,
                   province_name = $province_name, review_status = 'corrected', reviewer = $reviewer,
                   review_reason = $reason, original = $original
               WHERE obs_id = $obs_id""",
            merged | {"reviewer": entry.reviewer, "reason": entry.reason, "obs_id": obs_id,
                      "original": json.dumps(original, ensure_ascii=False)},
        )

    def _added_row(self, entry: Entry, text: str) -> tuple:
        """The observation row an `add` line makes (obs_id first; the order of the INSERT in `_add` and of
        the bulk columns of `apply`); its evidence is located in the text, its bounds checked."""
        assert entry.year is not None and entry.value is not None and entry.evidence_contains is not None
        province_id, province_name = self.one_province(entry.province or "", entry.year)
        spans = _find_all(text, entry.evidence_contains)
        if spans:
            start, end = spans[0]
            evidence = text[start:end]
        else:
            start = end = None
            evidence = entry.evidence_contains
            self.report.warnings.append(
                f"{self.where(entry)}: evidence not found in the document text; added without offsets")
        self._check_bounds(entry, entry.value)
        scope = entry.scope or "all"
        is_target = bool(entry.is_target)
        key = "|".join(map(str, ("curated", entry.doc, entry.indicator, scope, entry.year, province_id,
                                 entry.value, is_target, _squash(entry.evidence_contains))))
        obs_id = "c" + hashlib.sha1(key.encode()).hexdigest()[:15]
        return (obs_id, entry.doc, province_id, province_name, entry.year, entry.indicator, scope, entry.value,
                entry.unit or self.indicators[entry.indicator][0], entry.qualifier or "exact", is_target, evidence,
                start, end, entry.reviewer, entry.reason)

    def _add(self, entry: Entry, text: str) -> None:
        row = self._added_row(entry, text)
        obs_id = row[0]
        if self.con.execute("SELECT 1 FROM observations WHERE obs_id = ?", [obs_id]).fetchall():
            self.report.warnings.append(f"{self.where(entry)}: duplicate of an earlier add; skipped")
            return
        self.con.execute(
            """INSERT INTO observations (obs_id, doc_id, province_id, province_name, year, indicator_id, scope,
                   value, unit, qualifier, is_target, evidence, start_offset, end_offset, rule, confidence,
                   origin, review_status, reviewer, review_reason)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'curation', 1.0, 'curated_added', 'added',
                       ?, ?)""",
            list(row),
        )
        self.handled[obs_id] = entry.line
        self.report.applied.append({"line": entry.line, "action": "add", "doc": entry.doc,
                                    "indicator": entry.indicator, "matched": 1})

    def _check_bounds(self, entry: Entry, value: float) -> None:
        _, hard_min, hard_max = self.indicators[entry.indicator]
        if (hard_min is not None and value < hard_min) or (hard_max is not None and value > hard_max):
            self.report.warnings.append(
                f"{self.where(entry)}: value {value} is outside {entry.indicator}'s bounds [{hard_min}, {hard_max}]")

    def _candidates(self, entry: Entry) -> str:
        rows = self.con.execute(_CANDIDATES_SQL, {"doc": entry.doc, "indicator": entry.indicator}).fetchall()
        if not rows:
            return f"no {entry.indicator} value"
        shown = "; ".join(f"{v:g} ({y}, {s}, {p}) «{_short(e)}»" for v, y, s, p, e in rows)
        return f"these {entry.indicator} values: {shown}"


def apply(con: duckdb.DuckDBPyConnection, entries: list[Entry], *, source: str = "data/curation.csv",
          errors: list[str] | None = None) -> CurationReport:
    """Apply curation entries to the warehouse open on `con` (observations all 'machine' beforehand).

    As set operations: every reject/correct/confirm line is matched against the machine's values in one
    join, the outcome decided in file order in Python (a value curated by an earlier line is reported as
    "already curated by line N", never changed twice), and the changes written by one statement per kind.
    50,000 lines take seconds, not minutes. `errors` (from `load_curation`) are carried into the report so
    one object tells the whole story.
    """
    report = CurationReport(source=source, errors=list(errors or []))
    if entries:
        _BulkApplier(con, report).run(entries)
    return report


_BULK_MATCH_SQL = """
WITH e AS (
    SELECT unnest($line::INTEGER[]) AS line, unnest($doc::VARCHAR[]) AS doc,
           unnest($indicator::VARCHAR[]) AS indicator, unnest($scope::VARCHAR[]) AS scope,
           unnest($year::INTEGER[]) AS year, unnest($provinces::VARCHAR[][]) AS provinces,
           unnest($value::DOUBLE[]) AS value
)
SELECT e.line, o.obs_id, o.year, o.province_id, o.province_name, o.scope, o.value, o.unit, o.qualifier,
       o.is_target, o.evidence, o.start_offset, o.end_offset
FROM e JOIN observations o ON o.doc_id = e.doc AND o.indicator_id = e.indicator
WHERE o.origin <> 'curated_added'
  AND (e.scope IS NULL OR o.scope = e.scope)
  AND (e.year IS NULL OR o.year = e.year)
  AND (e.provinces IS NULL OR list_contains(e.provinces, o.province_id))
  AND (e.value IS NULL OR abs(o.value - e.value) <= 1e-9 + 1e-6 * abs(e.value))
ORDER BY e.line, o.start_offset, o.obs_id
"""

_BULK_CANDIDATES_SQL = """
WITH pairs AS (SELECT DISTINCT unnest($doc::VARCHAR[]) AS doc_id, unnest($indicator::VARCHAR[]) AS indicator_id)
SELECT doc_id, indicator_id, value, year, scope, province_id, evidence FROM (
    SELECT o.*, row_number() OVER (PARTITION BY o.doc_id, o.indicator_id ORDER BY o.start_offset, o.obs_id) AS k
    FROM observations o JOIN pairs USING (doc_id, indicator_id)
) WHERE k <= 5 ORDER BY doc_id, indicator_id, k
"""

_BULK_REVIEW_SQL = """
UPDATE observations SET review_status = u.status, reviewer = u.reviewer, review_reason = u.reason
FROM (SELECT unnest($obs_id::VARCHAR[]) AS obs_id, unnest($status::VARCHAR[]) AS status,
             unnest($reviewer::VARCHAR[]) AS reviewer, unnest($reason::VARCHAR[]) AS reason) u
WHERE observations.obs_id = u.obs_id
"""

_BULK_CORRECT_SQL = """
UPDATE observations SET value = u.value, year = u.year, scope = u.scope, unit = u.unit, qualifier = u.qualifier,
       is_target = u.is_target, province_id = u.province_id, province_name = u.province_name,
       review_status = 'corrected', reviewer = u.reviewer, review_reason = u.reason, original = u.original
FROM (SELECT unnest($obs_id::VARCHAR[]) AS obs_id, unnest($value::DOUBLE[]) AS value,
             unnest($year::INTEGER[]) AS year, unnest($scope::VARCHAR[]) AS scope, unnest($unit::VARCHAR[]) AS unit,
             unnest($qualifier::VARCHAR[]) AS qualifier, unnest($is_target::BOOLEAN[]) AS is_target,
             unnest($province_id::VARCHAR[]) AS province_id, unnest($province_name::VARCHAR[]) AS province_name,
             unnest($reviewer::VARCHAR[]) AS reviewer, unnest($reason::VARCHAR[]) AS reason,
             unnest($original::VARCHAR[]) AS original) u
WHERE observations.obs_id = u.obs_id
"""

_BULK_ADD_SQL = """
INSERT INTO observations (obs_id, doc_id, province_id, province_name, year, indicator_id, scope, value, unit,
                          qualifier, is_target, evidence, start_offset, end_offset, rule, confidence, origin,
                          review_status, reviewer, review_reason)
SELECT unnest($obs_id::VARCHAR[]), unnest($doc_id::VARCHAR[]), unnest($province_id::VARCHAR[]),
       unnest($province_name::VARCHAR[]), unnest($year::INTEGER[]), unnest($indicator_id::VARCHAR[]),
       unnest($scope::VARCHAR[]), unnest($value::DOUBLE[]), unnest($unit::VARCHAR[]),
       unnest($qualifier::VARCHAR[]), unnest($is_target::BOOLEAN[]), unnest($evidence::VARCHAR[]),
       unnest($start_offset::INTEGER[]), unnest($end_offset::INTEGER[]), 'curation', 1.0, 'curated_added',
       'added', unnest($reviewer::VARCHAR[]), unnest($reason::VARCHAR[])
"""

_REVIEW_STATUS = {"reject": "rejected", "confirm": "confirmed"}


class _BulkApplier(_Applier):
    """`apply` for a whole file: the checks of _Applier, the matching and the writes as set operations."""

    def run(self, entries: list[Entry]) -> None:
        docs = {d for (d,) in self.con.execute(
            "SELECT doc_id FROM documents WHERE list_contains($docs, doc_id)",
            {"docs": sorted({e.doc for e in entries})}).fetchall()}
        valid: list[Entry] = []
        provinces: dict[int, list[str] | None] = {}
        for entry in entries:
            problem = self._problem(entry)
            if problem:
                self.report.errors.append(f"{self.where(entry)}: {problem}")
            elif entry.doc not in docs:
                self.report.warnings.append(f"{self.where(entry)}: STALE — document {entry.doc!r} is not loaded")
            else:
                try:
                    provinces[entry.line] = self._province_ids(entry.province) if entry.province else None
                except ValueError as exc:
                    self.report.errors.append(f"{self.where(entry)}: {exc}")
                    continue
                valid.append(entry)
        texts = self._texts({e.doc for e in valid if e.evidence_contains or e.action == "add"})
        matches = self._match([e for e in valid if e.action != "add"], provinces, texts)
        reviews: dict[str, list] = {k: [] for k in ("obs_id", "status", "reviewer", "reason")}
        corrections: dict[str, list] = {k: [] for k in (
            "obs_id", "value", "year", "scope", "unit", "qualifier", "is_target", "province_id", "province_name",
            "reviewer", "reason", "original")}
        adds: dict[str, list] = {k: [] for k in (
            "obs_id", "doc_id", "province_id", "province_name", "year", "indicator_id", "scope", "value", "unit",
            "qualifier", "is_target", "evidence", "start_offset", "end_offset", "reviewer", "reason")}
        unmatched: list[Entry] = []
        for entry in valid:  # file order decides
            try:
                if entry.action == "add":
                    self._bulk_add(entry, texts.get(entry.doc, ""), adds)
                else:
                    self._bulk_review(entry, matches.get(entry.line, []), reviews, corrections, unmatched)
            except ValueError as exc:
                self.report.errors.append(f"{self.where(entry)}: {exc}")
        if reviews["obs_id"]:
            self.con.execute(_BULK_REVIEW_SQL, reviews)
        if corrections["obs_id"]:
            self.con.execute(_BULK_CORRECT_SQL, corrections)
        if adds["obs_id"]:
            self.con.execute(_BULK_ADD_SQL, adds)
        self._report_unmatched(unmatched)

    def _problem(self, entry: Entry) -> str | None:
        if entry.indicator not in self.indicators:
            return f"unknown indicator {entry.indicator!r}"
        for scope in (entry.scope, entry.new_scope):
            if scope is not None and scope not in self.scopes:
                return f"unknown scope {scope!r}"
        unit = self.indicators[entry.indicator][0]
        if entry.unit is not None and unit and entry.unit != unit:
            return f"unit {entry.unit!r} does not fit {entry.indicator}, which is measured in {unit!r}"
        return None

    def _province_ids(self, text: str) -> list[str]:
        cache = self.__dict__.setdefault("_ids", {})
        if text not in cache:
            try:
                cache[text] = self.province_ids(text)
            except ValueError as exc:
                cache[text] = exc
        found = cache[text]
        if isinstance(found, ValueError):
            raise found
        return found

    def _texts(self, doc_ids: set[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        return {d: t or "" for d, t in self.con.execute(
            "SELECT doc_id, text FROM documents WHERE list_contains($docs, doc_id)",
            {"docs": sorted(doc_ids)}).fetchall()}

    def _match(self, entries: list[Entry], provinces: dict[int, list[str] | None],
               texts: dict[str, str]) -> dict[int, list[tuple]]:
        """line -> the machine observations it names (before any line is applied), in text order."""
        if not entries:
            return {}
        params = {"line": [e.line for e in entries], "doc": [e.doc for e in entries],
                  "indicator": [e.indicator for e in entries], "scope": [e.scope for e in entries],
                  "year": [e.year for e in entries], "provinces": [provinces[e.line] for e in entries],
                  "value": [e.value for e in entries]}
        by_line = {e.line: e for e in entries}
        out: dict[int, list[tuple]] = {}
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for row in self.con.execute(_BULK_MATCH_SQL, params).fetchall():
            entry = by_line[row[0]]
            obs = row[1:]
            if entry.evidence_contains:
                key = (entry.doc, entry.evidence_contains)
                if key not in spans:
                    spans[key] = _find_all(texts.get(entry.doc, ""), entry.evidence_contains)
                needle = _squash(entry.evidence_contains)
                if not (needle in _squash(obs[9] or "")
                        or any(obs[10] is not None and obs[10] < e and s < obs[11] for s, e in spans[key])):
                    continue
            out.setdefault(entry.line, []).append(obs)
        return out

    def _bulk_review(self, entry: Entry, rows: list[tuple], reviews: dict[str, list],
                     corrections: dict[str, list], unmatched: list[Entry]) -> None:
        if not rows:
            unmatched.append(entry)
            return
        fresh = []
        for row in rows:
            if row[0] in self.handled:
                self.report.warnings.append(
                    f"{self.where(entry)}: observation {row[0]} already curated by line {self.handled[row[0]]};"
                    " skipped")
            else:
                fresh.append(row)
        planned = []
        for row in fresh:
            if entry.action in _REVIEW_STATUS:
                planned.append(("review", (row[0], _REVIEW_STATUS[entry.action], entry.reviewer, entry.reason)))
            else:
                planned.append(("correct", self._corrected(entry, row)))
        for kind, values in planned:  # (a ValueError above leaves nothing half-applied)
            target = reviews if kind == "review" else corrections
            for name, value in zip(target, values, strict=True):
                target[name].append(value)
        for row in fresh:
            self.handled[row[0]] = entry.line
        if fresh:
            self.report.applied.append({"line": entry.line, "action": entry.action, "doc": entry.doc,
                                        "indicator": entry.indicator, "matched": len(fresh)})

    def _corrected(self, entry: Entry, row: tuple) -> tuple:
        obs_id, year, province_id, province_name, scope, value, unit, qualifier, is_target = row[:9]
        new = {"value": entry.new_value, "year": entry.new_year, "scope": entry.new_scope,
               "unit": entry.unit, "qualifier": entry.qualifier, "is_target": entry.is_target}
        new = {k: v for k, v in new.items() if v is not None}
        if entry.new_province:
            new["province_id"], new["province_name"] = self.one_province(entry.new_province, new.get("year", year))
        old = {"value": value, "year": year, "scope": scope, "unit": unit, "qualifier": qualifier,
               "is_target": is_target, "province_id": province_id, "province_name": province_name}
        original = {k: old[k] for k, v in new.items() if old[k] != v}
        self._check_bounds(entry, new.get("value", value))
        merged = old | new
        return (obs_id, merged["value"], merged["year"], merged["scope"], merged["unit"], merged["qualifier"],
                merged["is_target"], merged["province_id"], merged["province_name"], entry.reviewer, entry.reason,
                json.dumps(original, ensure_ascii=False))

    def _bulk_add(self, entry: Entry, text: str, adds: dict[str, list]) -> None:
        row = self._added_row(entry, text)
        obs_id = row[0]
        if obs_id in self.handled:
            self.report.warnings.append(f"{self.where(entry)}: duplicate of an earlier add (line "
                                        f"{self.handled[obs_id]}); skipped")
            return
        for name, value in zip(adds, row, strict=True):
            adds[name].append(value)
        self.handled[obs_id] = entry.line
        self.report.applied.append({"line": entry.line, "action": "add", "doc": entry.doc,
                                    "indicator": entry.indicator, "matched": 1})

    def _report_unmatched(self, unmatched: list[Entry]) -> None:
        if not unmatched:
            return
        shown: dict[tuple[str, str], list[str]] = {}
        params = {"doc": [e.doc for e in unmatched], "indicator": [e.indicator for e in unmatched]}
        for doc, indicator, value, year, scope, province, evidence in self.con.execute(
                _BULK_CANDIDATES_SQL, params).fetchall():
            shown.setdefault((doc, indicator), []).append(f"{value:g} ({year}, {scope}, {province}) «{_short(evidence)}»")
        for entry in unmatched:
            found = shown.get((entry.doc, entry.indicator))
            has = f"these {entry.indicator} values: {'; '.join(found)}" if found else f"no {entry.indicator} value"
            self.report.warnings.append(f"{self.where(entry)}: UNMATCHED — no observation matches; "
                                        f"this document has {has}")


# --- text helpers -----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Spans of `needle` in `text`, exact first, then ignoring case and runs of whitespace."""
    needle = unicodedata.normalize("NFC", needle.strip())
    if not needle:
        return []
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
    if spans:
        return spans
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
