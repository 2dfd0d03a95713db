"""Review in the browser (issue 13): the write side of the dashboard's review mode, without Streamlit.

- **Who**: the reviewer is named when the review server starts (`ictdash review --reviewer "Tên"`, which
  sets ICTDASH_REVIEWER for the server process; `etl/ui/review.py` reads it once at import). A server
  started without it (`make run`) has no reviewer and draws no review control; the functions here that
  write take the reviewer as an argument and refuse an empty one.
- **What**: one action = one line of the curation file (`etl/curation.py` reads it on every build):
  `confirm`, `reject`, `correct` name a machine value by doc, indicator, scope, year, province, value and a
  piece of its evidence; `add` names a value the machine missed with the evidence found in the document.
  Every line carries the reviewer, the reason and the time (UTC).
- **Checked first** (`check_*`): formula-like text (= + - @ first), HTML, control characters, text too long,
  a value outside the indicator's hard bounds, a year in the future (a target may name one), an evidence
  text not in the document, a line the curation code would not apply. A problem is a message; nothing is
  written.
- **Written atomically** (`append_line`): under `<curation>.lock` (filelock) the whole file is read, the
  line added, a temporary file beside it written and fsynced, then `os.replace`d: two reviewers lose
  nothing, a crash mid-write leaves the previous file whole (a stray temporary file is removed by the next
  writer).
- **Refreshed without reading a report** (`refresh`): a copy of the warehouse gets its curation reset
  and re-applied and `facts` rebuilt, then is swapped in under the build lock; the dashboard, which caches
  on the file's mtime, shows the change on its next run.
- **Queue** (`queue`, `queue_counts`): the values no person has checked yet, the ones that matter first.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
from filelock import FileLock, Timeout

from etl.curation import COLUMNS, KNOWN_SCOPES, CurationReport, _find_all, _parse_row, apply, load_curation
from etl.defaults import DEFAULT_CURATION, LOCK_TIMEOUT_S

REVIEWER_ENV = "ICTDASH_REVIEWER"
CURATION_ENV = "ICTDASH_CURATION"
FAILPOINT_ENV = "ICTDASH_REVIEW_FAILPOINT"  # tests only: "mid-write" stops halfway through the temp file
FAILPOINT_FILE_ENV = "ICTDASH_REVIEW_FAILPOINT_FILE"
WRITE_LOCK_TIMEOUT_S = 10.0
MAX_REASON = 300
MAX_EVIDENCE = 500
MAX_REVIEWER = 80
EVIDENCE_SNIPPET = 160  # characters of a machine value's evidence written to narrow the match
MIN_EVIDENCE = 8  # an added value's evidence: at least a few words, so it locates one place
FIRST_YEAR = 1990
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


class ReviewError(ValueError):
    """A review action that must not be written; the message is for the reviewer (English in str(),
    Vietnamese in `.vi` when given; `text(lang)` picks)."""

    def __init__(self, message: str, vi: str | None = None) -> None:
        super().__init__(message)
        self.vi = vi or message

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" else str(self)


_VI = {"reason": "Lý do", "evidence": "Câu trích", "reviewer": "Người kiểm tra", "value": "Giá trị", "year": "Năm"}


def _vi(what: str) -> str:
    return _VI.get(what, what)


# --- where ------------------------------------------------------------------------------------------


def curation_path() -> Path:
    """The curation file the review server writes: $ICTDASH_CURATION, else data/curation.csv."""
    env = os.environ.get(CURATION_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_CURATION


def reviewer_from_env() -> str | None:
    """The reviewer named for this server process, or None (a managers' server: read-only)."""
    name = os.environ.get(REVIEWER_ENV, "")
    if not name.strip():
        return None
    try:
        return check_reviewer(name)
    except ReviewError:
        return None  # a bad name disables review rather than writing it (`ictdash review` checks it first)


# --- checking what a person typed -------------------------------------------------------------------


def clean_text(text: Any, what: str, *, limit: int, required: bool = True) -> str:
    """`text` with runs of whitespace made one space; ReviewError for formulas, HTML, control
    characters or more than `limit` characters."""
    raw = "" if text is None else str(text)
    if _CONTROL.search(raw):
        raise ReviewError(f"{what}: contains control characters; type plain text",
                          f"{_vi(what)}: có ký tự điều khiển; hãy gõ văn bản thường")
    cleaned = " ".join(unicodedata.normalize("NFC", raw).split())
    if not cleaned:
        if required:
            raise ReviewError(f"{what}: required", f"{_vi(what)}: bắt buộc")
        return ""
    if len(cleaned) > limit:
        raise ReviewError(f"{what}: {len(cleaned)} characters, at most {limit}",
                          f"{_vi(what)}: {len(cleaned)} ký tự, tối đa {limit}")
    if cleaned.startswith(FORMULA_START):
        raise ReviewError(f"{what}: may not start with = + - or @ (a spreadsheet would run it as a formula)",
                          f"{_vi(what)}: không được bắt đầu bằng = + - hoặc @ (bảng tính sẽ chạy nó như công thức)")
    if _HTML.search(cleaned):
        raise ReviewError(f"{what}: HTML is not accepted (no <tags> or &entities;)",
                          f"{_vi(what)}: không nhận HTML (không <thẻ> hay &thực thể;)")
    return cleaned


def check_reviewer(name: Any) -> str:
    return clean_text(name, "reviewer", limit=MAX_REVIEWER)


def parse_value(text: Any) -> float:
    """A number as a reviewer types it: 1234, 1234.5, 6,2 (decimal comma), spaces ignored."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        number = float(text)
    else:
        raw = "".join(str(text or "").split())
        if not raw:
            raise ReviewError("value: required", "Giá trị: bắt buộc")
        if "," in raw and "." not in raw and raw.count(",") == 1:
            raw = raw.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", raw):
            raise ReviewError(f"value: {str(text)[:40]!r} is not a number (write 6.2 or 1234, no sign, "
                              "no thousands separators)",
                              f"Giá trị: {str(text)[:40]!r} không phải là số (viết 6,2 hoặc 1234, không dấu, "
                              "không dấu phân cách hàng nghìn)")
        number = float(raw)
    if number != number or number in (float("inf"), float("-inf")):
        raise ReviewError("value: not a finite number")
    return number


def check_value(value: float, indicator: str, bounds: dict[str, tuple[float | None, float | None]]) -> None:
    if indicator not in bounds:
        raise ReviewError(f"indicator: unknown indicator {indicator!r}")
    lo, hi = bounds[indicator]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ReviewError(f"value: {value:g} is outside the bounds of {indicator} [{lo:g}, {hi:g}] "
                          "(etl/catalog/indicators.yaml)",
                          f"Giá trị: {value:g} nằm ngoài giới hạn của {indicator} [{lo:g}, {hi:g}]")


def check_year(year: Any, *, is_target: bool, today: date | None = None) -> int:
    try:
        number = int(year)
    except (TypeError, ValueError):
        raise ReviewError(f"year: {year!r} is not a year") from None
    this_year = (today or date.today()).year
    if number < FIRST_YEAR:
        raise ReviewError(f"year: {number} is before {FIRST_YEAR}", f"Năm: {number} trước {FIRST_YEAR}")
    if number > this_year and not is_target:
        raise ReviewError(f"year: {number} is in the future; only a target (tick 'target') may name a later year",
                          f"Năm: {number} là năm tương lai; chỉ chỉ tiêu (đánh dấu 'chỉ tiêu') mới được ghi năm sau")
    if number > this_year + 30:
        raise ReviewError(f"year: {number} is too far in the future")
    return number


# --- the lines --------------------------------------------------------------------------------------


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Any) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(f)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) in ("", "<NA>", "nan")


def evidence_snippet(evidence: Any) -> str:
    """A piece of a machine value's evidence that is safe in a CSV cell: whitespace made single, no
    leading formula character, at most EVIDENCE_SNIPPET characters (a substring, so it still matches)."""
    text = " ".join(unicodedata.normalize("NFC", str(evidence or "")).split())
    text = text.lstrip("=+-@ \t")
    return text[:EVIDENCE_SNIPPET].rstrip()


def match_fields(obs: dict[str, Any]) -> dict[str, str]:
    """The columns that name one machine value (as the curation code matches it)."""
    return {
        "doc": str(obs["doc_id"]),
        "indicator": str(obs["indicator_id"]),
        "scope": "" if _blank(obs.get("scope")) else str(obs["scope"]),
        "year": "" if _blank(obs.get("year")) else str(int(obs["year"])),
        "province": "" if _blank(obs.get("province_id")) else str(obs["province_id"]),
        "value": _number(obs["value"]),
        "evidence_contains": evidence_snippet(obs.get("evidence")),
    }


@dataclass
class Action:
    """One review action, checked, as the row of the curation file it becomes."""

    row: dict[str, str]
    summary: str
    obs_id: str | None = None  # the value acted on (confirm / reject / correct)
    meta: dict[str, Any] = field(default_factory=dict)


def confirm(obs: dict[str, Any], reviewer: str, reason: str = "") -> Action:
    _machine_only(obs)
    reason = clean_text(reason, "reason", limit=MAX_REASON, required=False) or "checked against the source text"
    row = {"action": "confirm", **match_fields(obs), "reviewer": check_reviewer(reviewer), "reason": reason,
           "time": now_utc()}
    return Action(row, f"confirmed {obs['indicator_id']} = {_number(obs['value'])}", str(obs["obs_id"]))


def reject(obs: dict[str, Any], reviewer: str, reason: str) -> Action:
    _machine_only(obs)
    row = {"action": "reject", **match_fields(obs), "reviewer": check_reviewer(reviewer),
           "reason": clean_text(reason, "reason", limit=MAX_REASON), "time": now_utc()}
    return Action(row, f"rejected {obs['indicator_id']} = {_number(obs['value'])}", str(obs["obs_id"]))


def correct(obs: dict[str, Any], reviewer: str, reason: str, *, bounds: dict[str, tuple[float | None, float | None]],
            provinces: set[str], value: Any = None, year: Any = None, province: str | None = None,
            scope: str | None = None, is_target: bool | None = None, today: date | None = None) -> Action:
    """A correction: only what differs from the machine's value is written (new_value, new_year, ...)."""
    _machine_only(obs)
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    changes: dict[str, str] = {}
    target = bool(obs.get("is_target")) if is_target is None else bool(is_target)
    if value is not None and str(value).strip() != "":
        number = parse_value(value)
        check_value(number, str(obs["indicator_id"]), bounds)
        if abs(number - float(obs["value"])) > 1e-9 * max(1.0, abs(number)):
            changes["new_value"] = _number(number)
    if year is not None and str(year).strip() != "":
        number = check_year(year, is_target=target, today=today)
        if _blank(obs.get("year")) or number != int(obs["year"]):
            changes["new_year"] = str(number)
    elif target != bool(obs.get("is_target")) and not _blank(obs.get("year")):
        check_year(obs["year"], is_target=target, today=today)
    if province:
        if province not in provinces:
            raise ReviewError(f"province: unknown province {province!r}")
        if province != obs.get("province_id"):
            changes["new_province"] = province
    if scope:
        if scope not in KNOWN_SCOPES:
            raise ReviewError(f"scope: unknown scope {scope!r}")
        if scope != obs.get("scope"):
            changes["new_scope"] = scope
    if target != bool(obs.get("is_target")):
        changes["is_target"] = "true" if target else "false"
    if not changes:
        raise ReviewError("nothing to correct: the value, year, province, scope and target flag are as read; "
                          "use confirm if the value is right",
                          "Không có gì để hiệu chỉnh: giá trị, năm, tỉnh, phạm vi và loại như máy đọc; "
                          "dùng Xác nhận nếu giá trị đúng")
    row = {"action": "correct", **match_fields(obs), **changes, "reviewer": check_reviewer(reviewer),
           "reason": reason, "time": now_utc()}
    told = ", ".join(f"{k.removeprefix('new_')} {v}" for k, v in changes.items())
    return Action(row, f"corrected {obs['indicator_id']}: {told}", str(obs["obs_id"]), {"changes": changes})


def add(doc_id: str, doc_text: str, reviewer: str, reason: str, *, indicator: str, value: Any, year: Any,
        province: str, evidence: str, bounds: dict[str, tuple[float | None, float | None]],
        provinces: set[str], units: dict[str, str], scope: str = "all", is_target: bool = False,
        today: date | None = None) -> Action:
    """A value the machine missed; its evidence must be found in the document's text."""
    if indicator not in bounds:
        raise ReviewError(f"indicator: unknown indicator {indicator!r}")
    number = parse_value(value)
    check_value(number, indicator, bounds)
    year_number = check_year(year, is_target=bool(is_target), today=today)
    if not province or province not in provinces:
        raise ReviewError(f"province: choose a province (got {province!r})", "Tỉnh/thành: hãy chọn một tỉnh")
    if scope not in KNOWN_SCOPES:
        raise ReviewError(f"scope: unknown scope {scope!r}")
    evidence = clean_text(evidence, "evidence", limit=MAX_EVIDENCE)
    if len(evidence) < MIN_EVIDENCE:
        raise ReviewError(f"evidence: at least {MIN_EVIDENCE} characters of the sentence that states the value",
                          f"Câu trích: ít nhất {MIN_EVIDENCE} ký tự của câu nêu giá trị")
    if not _find_all(doc_text or "", evidence):
        raise ReviewError("evidence: this text is not in the document; copy it from the document's text "
                          "(case and spacing may differ)",
                          "Câu trích: đoạn này không có trong văn bản; hãy chép từ văn bản (chữ hoa/thường và "
                          "khoảng trắng có thể khác)")
    reason = clean_text(reason, "reason", limit=MAX_REASON, required=False) or "a value the machine missed"
    row = {"action": "add", "doc": doc_id, "indicator": indicator, "scope": scope, "year": str(year_number),
           "province": province, "value": _number(number), "evidence_contains": evidence,
           "unit": units.get(indicator, ""), "qualifier": "exact", "is_target": "true" if is_target else "false",
           "reviewer": check_reviewer(reviewer), "reason": reason, "time": now_utc()}
    return Action(row, f"added {indicator} = {_number(number)} ({province}, {year_number})")


def _machine_only(obs: dict[str, Any]) -> None:
    status = obs.get("review_status") or "machine"
    if status != "machine":
        raise ReviewError(f"this value was already reviewed ({status}); its line is in the curation file",
                          f"Giá trị này đã được kiểm tra ({status}); dòng của nó nằm trong tệp curation")
    if obs.get("origin") == "curated_added":
        raise ReviewError("this value was added by a reviewer; edit its line in the curation file")


def csv_line(row: dict[str, str], header: list[str] | tuple[str, ...] = COLUMNS) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([row.get(col, "") for col in header])
    return buf.getvalue()


def check_row(row: dict[str, str]) -> None:
    """The row parses as the curation code parses it (the same checks `ictdash etl` makes)."""
    try:
        _parse_row({c: row.get(c, "") for c in COLUMNS}, 0)
    except ValueError as exc:
        raise ReviewError(str(exc)) from None


# --- the atomic append ------------------------------------------------------------------------------


def append_line(path: Path | str, row: dict[str, str], *, timeout: float = WRITE_LOCK_TIMEOUT_S) -> int:
    """Append `row` as one line of the curation file at `path`; returns its (physical) line number.

    Under `<path>.lock`: read the file, give its header any column of COLUMNS it lacks (added at the end:
    older lines simply have fewer fields), add the line in the header's order, write everything to a
    temporary file in the same folder, fsync, `os.replace`. Raises ReviewError when the lock cannot be had
    in `timeout` seconds or the file cannot be written (nothing changed then).
    """
    path = Path(path)
    check_row(row)
    lock = FileLock(str(path) + ".lock")
    try:
        with lock.acquire(timeout=timeout):
            _remove_stale_temps(path)
            old = path.read_bytes() if path.exists() else b""
            content, line_no = _appended(old, row)
            _replace_with(path, content)
            return line_no
    except Timeout:
        raise ReviewError(f"another reviewer is saving to {path.name}; try again in a moment",
                          f"Người kiểm tra khác đang lưu vào {path.name}; thử lại sau giây lát") from None
    except OSError as exc:
        raise ReviewError(f"cannot write {path}: {exc.strerror or exc}; nothing was saved") from None


def _appended(old: bytes, row: dict[str, str]) -> tuple[bytes, int]:
    bom = old.startswith(b"\xef\xbb\xbf")
    text = old.decode("utf-8-sig") if old else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    header_at = next((i for i, raw in enumerate(lines) if raw.strip() and not raw.lstrip().startswith("#")), None)
    if header_at is None:  # empty file (or comments only): the header goes first
        header = list(COLUMNS)
        lines.insert(0, ",".join(COLUMNS) + newline)
    else:
        header = [h.strip() for h in next(csv.reader([lines[header_at]]))]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            header += missing
            lines[header_at] = csv_line(dict(zip(header, header, strict=True)), header) + newline
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.append(csv_line(row, header) + newline)
    data = "".join(lines).encode("utf-8")
    return (b"\xef\xbb\xbf" + data if bom else data), len(lines)


def _replace_with(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            half = len(content) // 2
            handle.write(content[:half])
            if os.environ.get(FAILPOINT_ENV) == "mid-write":
                handle.flush()
                _failpoint_stop()
            handle.write(content[half:])
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def _failpoint_stop() -> None:
    """Tests: tell the test where we are (a marker file), then wait to be killed."""
    marker = os.environ.get(FAILPOINT_FILE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
    os._exit(70)


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of writers that died mid-write (their pid is gone)."""
    folder = path.parent if str(path.parent) else Path(".")
    for entry in folder.glob(f".{path.name}.*.tmp"):
        match = _TEMP.match(entry.name)
        if not match or match.group("name") != path.name:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            entry.unlink(missing_ok=True)
        except PermissionError:
            pass


# --- will the curation code apply it? ----------------------------------------------------------------


def preflight(con: duckdb.DuckDBPyConnection, action: Action) -> None:
    """ReviewError unless the curation code would apply `action` to the warehouse open (read-only) on
    `con`: a confirm/reject/correct line matches its value (and only unreviewed ones), an add is new."""
    from etl.curation import _Applier

    row = action.row
    check_row(row)
    entry = _parse_row({c: row.get(c, "") for c in COLUMNS}, 0)
    docs = con.execute("SELECT text FROM documents WHERE doc_id = ?", [entry.doc]).fetchall()
    if not docs:
        raise ReviewError(f"document {entry.doc!r} is not loaded")
    report = CurationReport()
    applier = _Applier(con, report)
    if entry.action == "add":
        applier.one_province(entry.province or "", entry.year)
        return
    rows = applier._matches(entry, docs[0][0] or "")
    if not rows:
        raise ReviewError("the line would match no value in the warehouse (was it just reviewed by someone "
                          "else?); reload the page",
                          "Dòng này không khớp giá trị nào trong kho (vừa có người khác kiểm tra?); tải lại trang")
    ids = [r[0] for r in rows]
    statuses = dict(con.execute("SELECT obs_id, review_status FROM observations WHERE list_contains(?, obs_id)",
                                [ids]).fetchall())
    if action.obs_id is not None and action.obs_id not in statuses:
        raise ReviewError("the line would match another value than the one shown; reload the page")
    if all(s != "machine" for s in statuses.values()):
        raise ReviewError("this value was already reviewed; reload the page",
                          "Giá trị này đã được kiểm tra; tải lại trang")


def warehouse_bounds(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, tuple[float | None, float | None]],
                                                               dict[str, str], set[str]]:
    """(bounds by indicator, unit by indicator, province ids) from the warehouse's reference tables."""
    ind = con.execute("SELECT indicator_id, hard_min, hard_max, unit FROM indicators").fetchall()
    provinces = {r[0] for r in con.execute("SELECT province_id FROM provinces").fetchall()}
    return {r[0]: (r[1], r[2]) for r in ind}, {r[0]: r[3] for r in ind}, provinces


# --- refresh: curation only -------------------------------------------------------------------------


@dataclass
class Refreshed:
    report: CurationReport
    seconds: float
    line_messages: list[str] = field(default_factory=list)  # warnings/errors about the lines asked about


def refresh(db_path: Path | str, curation: Path | str | None = None, *, lock_timeout: float = LOCK_TIMEOUT_S,
            lines: tuple[int, ...] = ()) -> Refreshed:
    """Re-apply the curation file to the warehouse at `db_path` and rebuild `facts`, reading no report.

    A copy of the warehouse (`.build-<pid>-<hex>.duckdb`, the build's temporary name, so a crashed refresh
    is cleaned up like a crashed build) gets every observation back to the machine's values (added ones
    removed, corrections undone from `original`), the curation applied as a build applies it, `facts`
    materialized again and a row in `runs`; it is swapped in under the build lock. The build's state file
    no longer describes the new file and is removed: the next `ictdash etl` re-hashes its inputs and copies
    every unchanged document over (no re-reading). `lines`: the curation lines whose messages to return.
    """
    from etl import warehouse as wh

    started = time.perf_counter()
    db_path = Path(db_path).absolute()
    curation = Path(curation) if curation is not None else curation_path()
    if not db_path.is_file():
        raise ReviewError(f"the warehouse {db_path} does not exist; run `ictdash etl` first")
    begun = datetime.now(UTC).replace(tzinfo=None)
    with wh.build_lock(db_path, lock_timeout):
        tmp = db_path.parent / f".build-{os.getpid()}-{secrets.token_hex(4)}.duckdb"
        try:
            shutil.copyfile(db_path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                report = _reapply(con, curation)
                _record_run(con, report, begun)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            wh._swap_in(tmp, db_path)
            wh.state_path(db_path).unlink(missing_ok=True)
        finally:
            wh._remove_temp(tmp)
    wanted = tuple(f" line {n} " for n in lines)
    messages = [m for m in report.messages if any(w in m for w in wanted)]
    return Refreshed(report, time.perf_counter() - started, messages)


def _facts_view_sql() -> str:
    from etl.warehouse import SCHEMA_PATH

    schema = SCHEMA_PATH.read_text(encoding="utf-8")
    head, sep, view = schema.partition("CREATE VIEW facts AS")
    if not sep:
        raise RuntimeError(f"{SCHEMA_PATH} does not define the facts view")
    return sep + view


# The fact key: one value to show per (province, year, indicator, scope, is_target).
_KEY = ("province_id", "year", "indicator_id", "scope", "is_target")
_CURATED = "review_status <> 'machine' OR original IS NOT NULL OR origin = 'curated_added'"
# (the key columns are _KEY's; written out so that every statement is one literal)
_BEFORE_SQL = ("CREATE TEMP TABLE _before AS SELECT obs_id FROM observations "
               "WHERE review_status <> 'machine' OR original IS NOT NULL OR origin = 'curated_added'")
_AFFECTED_SQL = ("CREATE TEMP TABLE _affected AS SELECT province_id, year, indicator_id, scope, is_target "
                 "FROM observations WHERE review_status <> 'machine' OR original IS NOT NULL "
                 "OR origin = 'curated_added'")
_AFFECTED_AFTER_SQL = ("INSERT INTO _affected SELECT province_id, year, indicator_id, scope, is_target "
                       "FROM observations WHERE review_status <> 'machine' OR obs_id IN (SELECT obs_id FROM _before)")
_CANDIDATES_WHERE = "WHERE o.review_status <> 'rejected'"  # the facts view's filter (etl/schema.sql)
_IN_AFFECTED = ("EXISTS (SELECT 1 FROM _affected a WHERE a.province_id = o.province_id AND a.year = o.year "
                "AND a.indicator_id = o.indicator_id AND a.scope = o.scope AND a.is_target = o.is_target) AND ")


def _reapply(con: duckdb.DuckDBPyConnection, curation: Path, *, incremental: bool = True) -> CurationReport:
    """Back to the machine's values, the curation applied, `facts` brought up to date.

    Incremental (the default, when the warehouse holds `facts` as a table): only the fact groups that
    a curated observation left or joined -- before or after this run, by its machine or its curated
    key -- are deleted and computed again by the facts view's own SQL limited to those groups; the
    others cannot have changed. Otherwise (or `incremental=False`) facts are rebuilt whole, as a build
    does. tests/test_review.py checks that both give what a full build gives.
    """
    from etl import warehouse as wh

    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'facts'").fetchall()
    view_sql = _facts_view_sql()
    incremental = incremental and bool(kind) and kind[0][0] != "VIEW" and _CANDIDATES_WHERE in view_sql
    if incremental:
        con.execute(_BEFORE_SQL)
        con.execute(_AFFECTED_SQL)
    elif kind and kind[0][0] == "VIEW":
        con.execute("DROP VIEW facts")
    elif kind:
        con.execute("DROP TABLE facts")
    con.execute("DELETE FROM observations WHERE origin = 'curated_added'")
    for obs_id, original in con.execute(
            "SELECT obs_id, original FROM observations WHERE original IS NOT NULL").fetchall():
        wh._restore_original(con, obs_id, json.loads(original))
    con.execute("UPDATE observations SET review_status = 'machine', reviewer = NULL, review_reason = NULL, "
                "original = NULL WHERE review_status <> 'machine' OR original IS NOT NULL")
    if not incremental:
        con.execute(view_sql)
    entries, errors = load_curation(curation)
    report = apply(con, entries, source=str(curation), errors=errors)
    if not incremental:
        wh._materialize_facts(con)
        return report
    con.execute(_AFFECTED_AFTER_SQL)
    con.execute("""INSERT INTO _affected
        SELECT coalesce(json_extract_string(original, '$.province_id'), province_id),
               coalesce(TRY_CAST(json_extract_string(original, '$.year') AS INTEGER), year), indicator_id,
               coalesce(json_extract_string(original, '$.scope'), scope),
               coalesce(TRY_CAST(json_extract_string(original, '$.is_target') AS BOOLEAN), is_target)
        FROM observations WHERE original IS NOT NULL""")
    con.execute("""DELETE FROM facts WHERE EXISTS (SELECT 1 FROM _affected a WHERE a.province_id = facts.province_id
        AND a.year = facts.year AND a.indicator_id = facts.indicator_id AND a.scope = facts.scope
        AND a.is_target = facts.is_target)""")
    limited = view_sql.partition("CREATE VIEW facts AS")[2].replace(
        _CANDIDATES_WHERE, "WHERE " + _IN_AFFECTED + _CANDIDATES_WHERE.removeprefix("WHERE "), 1)
    con.execute("INSERT INTO facts BY NAME " + limited)  # noqa: S608 - etl/schema.sql's own text (ALLOWED in tests)
    con.execute("DROP TABLE _affected")
    con.execute("DROP TABLE _before")
    return report


def _record_run(con: duckdb.DuckDBPyConnection, report: CurationReport, begun: datetime) -> None:
    finished = datetime.now(UTC).replace(tzinfo=None)
    run_id = f"{begun:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    docs = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
    values = dict(con.execute("SELECT indicator_id, count(*) FROM observations WHERE review_status <> 'rejected' "
                              "GROUP BY indicator_id ORDER BY indicator_id").fetchall())
    conflicts = con.execute("SELECT count(*) FROM facts WHERE n_disagree > 0").fetchall()[0][0]
    details = {"curation_only": True, "files": [], "warnings": [], "curation": report.to_dict(),
               "values_by_indicator": values, "n_conflicts": int(conflicts),
               "seconds": round((finished - begun).total_seconds(), 3)}
    n_docs = sum(docs.values())
    con.execute(
        """INSERT INTO runs (run_id, started_at, finished_at, n_files, n_read, n_unchanged, n_failed, n_values,
                             n_conflicts, n_empty, details) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)""",
        [run_id, begun, finished, n_docs, docs.get("ok", 0), docs.get("failed", 0), sum(values.values()),
         int(conflicts), docs.get("empty", 0), json.dumps(details, ensure_ascii=False, default=str)])
    for key, value in (("built_at", finished.isoformat(timespec="seconds")), ("run_id", run_id),
                       ("input_signature", "")):
        con.execute("DELETE FROM meta WHERE key = ?", [key])
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])


# --- the queue --------------------------------------------------------------------------------------

# Why a value is in the queue, most important first; `priority` weighs them (a headline indicator first).
REASONS = ("headline", "disagree", "low_confidence", "jump", "unresolved")
LOW_CONFIDENCE = 0.6  # the data-quality page's default threshold
JUMP_RATIO = 2.0  # a count more than doubled or halved against the province's previous year
JUMP_POINTS = 25.0  # a percentage that moved by more than this many points

_QUEUE_SQL = """
WITH o AS (
    SELECT o.obs_id, o.doc_id, o.indicator_id, o.province_id, o.province_name, o.year, o.scope, o.is_target,
           o.value, o.unit, o.qualifier, o.confidence, o.evidence, o.review_status, o.origin, o.denominator
    FROM observations o
    WHERE o.review_status = 'machine'
      AND ($indicator::VARCHAR IS NULL OR o.indicator_id = $indicator)
      AND ($province::VARCHAR IS NULL OR o.province_id = $province)
), prev AS (
    SELECT province_id, indicator_id, scope, is_target, year, value FROM facts
), flagged AS (
    SELECT o.*,
        list_contains($headline::VARCHAR[], o.indicator_id) AS headline,
        coalesce(f.n_disagree > 0, false) AS disagree,
        o.confidence < $low AS low_confidence,
        coalesce(CASE WHEN p.value IS NULL THEN false
                      WHEN o.unit = 'pct' THEN abs(o.value - p.value) > $points
                      WHEN p.value <= 0 OR o.value <= 0 THEN false
                      ELSE o.value > $ratio * p.value OR o.value * $ratio < p.value END, false) AS jump,
        p.value AS previous_value, p.year AS previous_year,
        (o.year IS NULL OR o.province_id IS NULL) AS unresolved
    FROM o
    LEFT JOIN facts f ON f.province_id = o.province_id AND f.year = o.year AND f.indicator_id = o.indicator_id
        AND f.scope = o.scope AND f.is_target = o.is_target
    ASOF LEFT JOIN prev p ON p.province_id = o.province_id AND p.indicator_id = o.indicator_id
        AND p.scope = o.scope AND p.is_target = o.is_target AND o.year > p.year
)
SELECT *, (8 * headline::INT + 4 * disagree::INT + 3 * low_confidence::INT + 2 * jump::INT
           + unresolved::INT) AS priority
FROM flagged
WHERE ($reason::VARCHAR IS NULL
       OR ($reason = 'headline' AND headline) OR ($reason = 'disagree' AND disagree)
       OR ($reason = 'low_confidence' AND low_confidence) OR ($reason = 'jump' AND jump)
       OR ($reason = 'unresolved' AND unresolved))
"""


def _queue_params(headline: tuple[str, ...] | list[str], reason: str | None, indicator: str | None,
                  province: str | None) -> dict[str, Any]:
    if reason is not None and reason not in REASONS:
        raise ValueError(f"unknown queue reason {reason!r}")
    return {"headline": list(headline), "low": LOW_CONFIDENCE, "points": JUMP_POINTS, "ratio": JUMP_RATIO,
            "reason": reason, "indicator": indicator, "province": province}


# (static SQL text only: every value travels as a named parameter)
_QUEUE_ROWS_SQL = _QUEUE_SQL + """
    ORDER BY priority DESC, confidence, indicator_id, province_id NULLS LAST, year NULLS LAST, obs_id
    LIMIT $limit OFFSET $offset"""
_QUEUE_TOTALS_SQL = "WITH q AS (" + _QUEUE_SQL + """)
    SELECT count(*) AS total, count(*) FILTER (WHERE headline) AS headline,
        count(*) FILTER (WHERE disagree) AS disagree, count(*) FILTER (WHERE low_confidence) AS low_confidence,
        count(*) FILTER (WHERE jump) AS jump, count(*) FILTER (WHERE unresolved) AS unresolved FROM q"""  # noqa: S608
_QUEUE_BY_INDICATOR_SQL = "WITH q AS (" + _QUEUE_SQL + """)
    SELECT indicator_id, count(*) AS n, count(*) FILTER (WHERE priority > 0) AS n_flagged FROM q
    GROUP BY ALL ORDER BY n_flagged DESC, n DESC, indicator_id"""  # noqa: S608
_QUEUE_BY_PROVINCE_SQL = "WITH q AS (" + _QUEUE_SQL + """)
    SELECT province_id, any_value(province_name) AS province_name, count(*) AS n,
        count(*) FILTER (WHERE priority > 0) AS n_flagged FROM q
    GROUP BY province_id ORDER BY n_flagged DESC, n DESC, province_id NULLS LAST"""  # noqa: S608


def queue(con: duckdb.DuckDBPyConnection, headline: tuple[str, ...] | list[str], *, reason: str | None = None,
          indicator: str | None = None, province: str | None = None, limit: int = 200,
          offset: int = 0) -> Any:
    """The values no person has checked, most important first (a pandas DataFrame)."""
    params = _queue_params(headline, reason, indicator, province) | {"limit": int(limit), "offset": int(offset)}
    return con.execute(_QUEUE_ROWS_SQL, params).df()


def queue_counts(con: duckdb.DuckDBPyConnection, headline: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """What is left: {'total', 'checked', one count per reason, 'by_indicator': df, 'by_province': df}."""
    params = _queue_params(headline, None, None, None)
    row = con.execute(_QUEUE_TOTALS_SQL, params).fetchall()[0]
    out: dict[str, Any] = dict(zip(("total", *REASONS), (int(x) for x in row), strict=True))
    out["checked"] = int(con.execute(
        "SELECT count(*) FROM observations WHERE review_status <> 'machine'").fetchall()[0][0])
    out["by_indicator"] = con.execute(_QUEUE_BY_INDICATOR_SQL, params).df()
    out["by_province"] = con.execute(_QUEUE_BY_PROVINCE_SQL, params).df()
    return out
