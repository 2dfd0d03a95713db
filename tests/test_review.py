"""Review in the browser (issue 13): the atomic writer, the checks, the curation-only refresh, the queue,
and the review widgets (AppTest) present in review mode and absent, whatever the URL says, otherwise."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl import review as rv  # noqa: E402
from etl.curation import COLUMNS, load_curation  # noqa: E402

REPORTS = ROOT / "data" / "reports"
DASHBOARD = str(ROOT / "dashboard.py")
HEADLINE = ("bts_stations", "fibre_coverage_pct", "digital_economy_share_pct", "email_agencies_pct")
DOC_001 = "001_435dc5d778df3190.txt"
DOC_002 = "002_de78d42dda2afc96.txt"
HEADER = ",".join(COLUMNS[:-1])  # the header before the `time` column existed


def _row(n: int, who: str = "A") -> dict[str, str]:
    return {"action": "reject", "doc": f"doc_{who}_{n}.txt", "indicator": "bts_stations", "reviewer": f"R {who}",
            "reason": f"reason {n}, with a comma", "time": "2025-01-01T00:00:00Z"}


# --- the atomic writer ------------------------------------------------------------------------------


_WRITER = """
import sys
from etl import review as rv
path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k in range(n):
    # the lock is not fair: on a loaded machine one writer may wait long for its turn; the test is about
    # lost lines, not latency, so the wait is unbounded in practice (no timing luck decides the outcome)
    rv.append_line(path, {"action": "reject", "doc": f"doc_{who}_{k}.txt", "indicator": "bts_stations",
                          "reviewer": who, "reason": f"line {k}"}, timeout=3600)
"""


def test_concurrent_writers_lose_no_line(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    path.write_text(HEADER + "\n# a comment that stays\n", encoding="utf-8")
    # real processes started as commands (multiprocessing's spawn would re-run an AppTest's __main__
    # when another test of the same worker replaced it)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who, "40"], cwd=ROOT,
                                stderr=subprocess.PIPE, text=True) for who in "ABCD"]
    for p in writers:
        _, err = p.communicate(timeout=3600)
        assert p.returncode == 0, err
    entries, errors = load_curation(path)
    assert errors == []
    assert len(entries) == 160
    assert {e.doc for e in entries} == {f"doc_{w}_{k}.txt" for w in "ABCD" for k in range(40)}
    text = path.read_text(encoding="utf-8")
    assert "# a comment that stays" in text
    assert not list(tmp_path.glob(".curation.csv.*.tmp"))


def test_a_writer_killed_mid_write_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    rv.append_line(path, _row(0))
    before = path.read_bytes()
    marker = tmp_path / "stopped"
    env = {**os.environ, rv.FAILPOINT_ENV: "mid-write", rv.FAILPOINT_FILE_ENV: str(marker)}
    code = ("import sys; from etl import review as rv; "
            "rv.append_line(sys.argv[1], {'action': 'reject', 'doc': 'x.txt', 'indicator': 'bts_stations', "
            "'reviewer': 'K', 'reason': 'killed'})")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():  # the writer says it is halfway through its temporary file
            assert proc.poll() is None, "the writer exited before the failpoint"
            assert time.monotonic() < deadline, "the writer never reached the failpoint"
            time.sleep(0.05)
        assert list(tmp_path.glob(".curation.csv.*.tmp")), "no half-written temporary file"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert path.read_bytes() == before
    entries, errors = load_curation(path)
    assert errors == [] and len(entries) == 1
    rv.append_line(path, _row(1), timeout=5)  # the dead writer's lock is free; its temp file is removed
    assert len(load_curation(path)[0]) == 2
    assert not list(tmp_path.glob(".curation.csv.*.tmp"))


def test_an_old_file_gets_the_time_column_and_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    old = (HEADER + "\n" + "reject,a.txt,bts_stations,all,2013,Lào Cai,912,,,,,,,,,Ng A,old line")  # no newline
    path.write_bytes(b"\xef\xbb\xbf" + old.encode())
    line = rv.append_line(path, _row(1))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS) and line == 3 == len(lines)
    entries, errors = load_curation(path)
    assert errors == []
    assert [e.reason for e in entries] == ["old line", "reason 1, with a comma"]
    assert entries[1].time == "2025-01-01T00:00:00Z" and entries[0].time is None


def test_a_malformed_row_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    with pytest.raises(rv.ReviewError):
        rv.append_line(path, {"action": "reject", "doc": "a.txt", "indicator": "x", "reviewer": "A"})  # no reason
    assert not path.exists()


# --- checks on what a person typed ------------------------------------------------------------------

BOUNDS = {"bts_stations": (1.0, 40000.0), "fibre_coverage_pct": (0.0, 100.0)}
OBS = {"obs_id": "o1", "doc_id": DOC_001, "indicator_id": "bts_stations", "scope": "all", "year": 2013,
       "province_id": "63-10", "value": 912.0, "evidence": "=Đến hết năm 2013, toàn tỉnh có 912 trạm BTS",
       "review_status": "machine", "origin": "machine", "is_target": False}


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", " =1"])
def test_formula_like_text_is_refused(text: str) -> None:
    with pytest.raises(rv.ReviewError, match="formula"):
        rv.reject(OBS, "A", text)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "a <b>bold</b> claim", "x &lt; y", "<img src=x>"])
def test_html_is_refused(text: str) -> None:
    with pytest.raises(rv.ReviewError, match="HTML"):
        rv.reject(OBS, "A", text)


def test_long_text_control_characters_and_empty_reasons_are_refused() -> None:
    with pytest.raises(rv.ReviewError, match="at most"):
        rv.reject(OBS, "A", "x" * (rv.MAX_REASON + 1))
    with pytest.raises(rv.ReviewError, match="control"):
        rv.reject(OBS, "A", "bad\x00byte")
    with pytest.raises(rv.ReviewError, match="required"):
        rv.reject(OBS, "A", "   ")
    with pytest.raises(rv.ReviewError, match="reviewer"):
        rv.reject(OBS, "=evil", "fine")


def test_values_outside_bounds_and_future_years_are_refused() -> None:
    kw = {"bounds": BOUNDS, "provinces": {"63-10", "63-27"}, "today": date(2025, 6, 1)}
    with pytest.raises(rv.ReviewError, match="outside the bounds"):
        rv.correct(OBS, "A", "typo", value="50000", **kw)
    with pytest.raises(rv.ReviewError, match="not a number"):
        rv.correct(OBS, "A", "typo", value="1e5", **kw)
    with pytest.raises(rv.ReviewError, match="future"):
        rv.correct(OBS, "A", "wrong year", year=2026, **kw)
    target = rv.correct(OBS, "A", "a plan", year=2030, is_target=True, **kw)  # a target may name a later year
    assert target.row["new_year"] == "2030" and target.row["is_target"] == "true"
    with pytest.raises(rv.ReviewError, match="nothing to correct"):
        rv.correct(OBS, "A", "same", value="912", year=2013, province="63-10", scope="all", **kw)
    fixed = rv.correct(OBS, "A", "typo", value="1 012", province="63-27", **kw)
    assert fixed.row["new_value"] == "1012" and fixed.row["new_province"] == "63-27"
    assert not fixed.row["evidence_contains"].startswith("=")  # the machine's evidence is made CSV-safe


def test_added_evidence_must_be_in_the_document() -> None:
    text = "Mạng lưới bưu chính với hơn 100 điểm phục vụ, của 03 doanh nghiệp."
    kw = {"indicator": "bts_stations", "value": "100", "year": 2015, "province": "63-84", "bounds": BOUNDS,
          "provinces": {"63-84"}, "units": {"bts_stations": "count"}, "today": date(2025, 6, 1)}
    with pytest.raises(rv.ReviewError, match="not in the document"):
        rv.add(DOC_002, text, "A", "", evidence="hơn 200 điểm phục vụ", **kw)
    ok = rv.add(DOC_002, text, "A", "", evidence="hơn  100 ĐIỂM phục vụ", **kw)  # case and spacing may differ
    assert ok.row["evidence_contains"] == "hơn 100 ĐIỂM phục vụ" and ok.row["reason"]
    with pytest.raises(rv.ReviewError, match="future"):
        rv.add(DOC_002, text, "A", "", evidence="hơn 100 điểm phục vụ", **(kw | {"year": 2031}))


def test_only_unreviewed_values_take_an_action() -> None:
    with pytest.raises(rv.ReviewError, match="already reviewed"):
        rv.confirm(OBS | {"review_status": "corrected"}, "A")


# --- refresh, then a full build: the same facts ------------------------------------------------------


def _build(db: Path, curation: Path, *, full: bool = False) -> None:
    from etl.warehouse import build

    build([REPORTS], db, full=full, curation_path=curation, progress=False)


@pytest.fixture
def seeds(tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse of the seed reports and a copy of the repository's curation file, in tmp_path."""
    curation = tmp_path / "curation.csv"
    shutil.copyfile(ROOT / "data" / "curation.csv", curation)
    db = tmp_path / "seed.duckdb"
    _build(db, curation)
    return db, curation


def _obs(db: Path, indicator: str, doc: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM observations WHERE indicator_id = ? AND doc_id = ? ORDER BY obs_id",
                           [indicator, doc]).df().to_dict("records")[0]


def _facts(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT obs_id, province_id, year, indicator_id, scope, is_target, value, review_status, "
                           "reviewer, review_reason, n_sources, n_disagree FROM facts ORDER BY ALL").fetchall()


def test_refresh_applies_each_action_and_a_full_build_agrees(seeds: tuple[Path, Path], tmp_path: Path) -> None:
    db, curation = seeds
    bts = _obs(db, "bts_stations", DOC_001)
    docs = _obs(db, "e_documents_pct", DOC_001)
    email = _obs(db, "email_staff_pct", DOC_001)
    with duckdb.connect(str(db), read_only=True) as con:
        bounds, units, provinces = rv.warehouse_bounds(con)
        text = con.execute("SELECT text FROM documents WHERE doc_id = ?", [DOC_002]).fetchall()[0][0]
        actions = [
            rv.reject(bts, "Tester", "counts one operator only"),
            rv.correct(docs, "Tester", "typo in the report", bounds=bounds, provinces=provinces, value="41"),
            rv.confirm(email, "Tester"),
            rv.add(DOC_002, text, "Tester", "", indicator="press_agencies", value="3", year=2015, province="63-84",
                   evidence="của 03 doanh nghiệp", bounds=bounds, provinces=provinces, units=units),
        ]
        for action in actions:
            rv.preflight(con, action)
    lines = tuple(rv.append_line(curation, a.row) for a in actions)
    done = rv.refresh(db, curation, lines=lines)
    assert done.line_messages == [], done.report.messages
    assert done.report.counts() == {"reject": 1, "correct": 1, "add": 1, "confirm": 1}
    with duckdb.connect(str(db), read_only=True) as con:
        status = dict(con.execute("SELECT obs_id, review_status FROM observations").fetchall())
        assert status[bts["obs_id"]] == "rejected" and status[docs["obs_id"]] == "corrected"
        assert status[email["obs_id"]] == "confirmed"
        assert con.execute("SELECT count(*) FROM facts WHERE indicator_id = 'bts_stations'").fetchall()[0][0] == 0
        assert con.execute("SELECT value, review_status FROM facts WHERE indicator_id = 'e_documents_pct'"
                           ).fetchall() == [(41.0, "corrected")]
        assert con.execute("SELECT value, review_status FROM facts WHERE indicator_id = 'press_agencies'"
                           ).fetchall() == [(3.0, "added")]
        assert con.execute("SELECT details FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0].find(
            '"curation_only": true') >= 0
    refreshed = _facts(db)
    again = rv.refresh(db, curation)  # idempotent: the same file gives the same facts
    assert _facts(db) == refreshed and again.report.counts() == done.report.counts()
    full = tmp_path / "full.duckdb"
    _build(full, curation, full=True)
    assert _facts(full) == refreshed
    _build(db, curation)  # an incremental build after a refresh: no report re-read needed, same facts
    assert _facts(db) == refreshed


def test_preflight_refuses_a_line_that_would_match_nothing(seeds: tuple[Path, Path]) -> None:
    db, _ = seeds
    bts = _obs(db, "bts_stations", DOC_001)
    ghost = rv.reject(bts | {"value": 913.0}, "Tester", "no such value")
    with duckdb.connect(str(db), read_only=True) as con, pytest.raises(rv.ReviewError, match="match no value"):
        rv.preflight(con, ghost)


def test_queue_puts_headline_indicators_first_and_counts_what_is_left(seeds: tuple[Path, Path]) -> None:
    db, curation = seeds
    with duckdb.connect(str(db), read_only=True) as con:
        q = rv.queue(con, HEADLINE, limit=500)
        counts = rv.queue_counts(con, HEADLINE)
    assert len(q) == counts["total"] > 0
    assert list(q["headline"]) == sorted(q["headline"], reverse=True)
    assert q["priority"].is_monotonic_decreasing
    assert counts["headline"] == int(q["headline"].sum()) > 0
    assert int(counts["by_indicator"]["n"].sum()) == counts["total"]
    first = q.iloc[0].to_dict()
    rv.append_line(curation, rv.confirm(first, "Tester").row)
    rv.refresh(db, curation)
    with duckdb.connect(str(db), read_only=True) as con:
        after = rv.queue_counts(con, HEADLINE)
        assert first["obs_id"] not in set(rv.queue(con, HEADLINE, limit=500)["obs_id"])
    assert after["total"] == counts["total"] - 1 and after["checked"] == counts["checked"] + 1


def test_queue_flags_a_jump_against_the_previous_year() -> None:
    con = duckdb.connect()
    con.execute("""CREATE TABLE observations AS SELECT * FROM (VALUES
        ('a', 'd', 'bts_stations', '63-10', 'Lào Cai', 2020, 'all', false, 1000.0, 'count', 'exact', 0.9, 'e',
         'machine', 'machine', NULL::DOUBLE),
        ('b', 'd', 'bts_stations', '63-10', 'Lào Cai', 2019, 'all', false, 100.0, 'count', 'exact', 0.9, 'e',
         'confirmed', 'machine', NULL::DOUBLE))
        t(obs_id, doc_id, indicator_id, province_id, province_name, year, scope, is_target, value, unit,
          qualifier, confidence, evidence, review_status, origin, denominator)""")
    con.execute("CREATE TABLE facts AS SELECT obs_id, province_id, year, indicator_id, scope, is_target, value, "
                "0 AS n_disagree FROM observations WHERE obs_id = 'b'")
    q = rv.queue(con, HEADLINE)
    assert q["obs_id"].tolist() == ["a"]
    assert bool(q["jump"].iloc[0]) and q["previous_value"].iloc[0] == 100.0 and q["previous_year"].iloc[0] == 2019


# --- the command ------------------------------------------------------------------------------------


def test_review_command_checks_the_reviewer_and_sets_the_environment(seeds: tuple[Path, Path]) -> None:
    import argparse

    from etl.review_cli import server_command

    db, curation = seeds
    args = argparse.Namespace(reviewer="=cmd|' /C calc'!A0", db=db, curation=curation, port=8999, address=None)
    assert "formula" in server_command(args)
    args.reviewer = "Nguyễn Văn A"
    argv, env = server_command(args)
    assert env[rv.REVIEWER_ENV] == "Nguyễn Văn A" and env[rv.CURATION_ENV] == str(curation.absolute())
    assert env["ICTDASH_DB"] == str(db.absolute()) and argv[-1] == "8999"
    args.db = db.with_name("missing.duckdb")
    assert "does not exist" in server_command(args)


# --- the widgets (AppTest) --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def dashboard(seeds: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch):
    """An AppTest factory over the seed warehouse; `reviewer` None is a managers' server."""
    import etl.ui.review as review_ui

    db, curation = seeds
    monkeypatch.setenv("ICTDASH_DB", str(db))
    monkeypatch.setenv(rv.CURATION_ENV, str(curation))

    def make(reviewer: str | None) -> AppTest:
        monkeypatch.setattr(review_ui, "REVIEWER", reviewer)
        return AppTest.from_file(DASHBOARD, default_timeout=180)

    return make


def _review_keys(at: AppTest) -> list[str]:
    keys = []
    for kind in ("text_input", "text_area", "number_input", "selectbox", "checkbox", "button", "tabs"):
        keys += [str(getattr(w, "key", "") or "") for w in getattr(at, kind)]
    return [k for k in keys if k.startswith("rv_")]


def _open_value(at: AppTest, obs_id: str, extra: dict[str, str] | None = None) -> AppTest:
    at.query_params.update({"doc": DOC_001, "obs": obs_id, **(extra or {})})
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_managers_server_draws_no_review_control_whatever_the_url_says(dashboard, seeds) -> None:
    db, curation = seeds
    before = curation.read_bytes()
    bts = _obs(db, "bts_stations", DOC_001)
    hostile = {"review": "1", "reviewer": "Mallory", "action": "reject", "reason": "=cmd()", "mode": "review",
               "rv_reject_reason_src": "x", "ICTDASH_REVIEWER": "Mallory", "page": "review"}
    at = dashboard(None)
    for key in ("rv_flash", "rv_nonce", f"rv_reject_reason_src_{bts['obs_id']}_0"):  # widget keys set by hand
        at.session_state[key] = ("ok", "forged") if key == "rv_flash" else (1 if key == "rv_nonce" else "forged")
    _open_value(at, bts["obs_id"], hostile)
    assert _review_keys(at) == []
    assert not [f for f in at.get("form")]
    assert "forged" not in "\n".join(str(s.value) for s in at.success)
    from etl.ui.router import page_specs

    assert "review" not in [p.url_path for p in page_specs()]
    with pytest.raises(ValueError, match="review.py"):  # the queue page is not even registered
        at.switch_page("pages/review.py")
    assert curation.read_bytes() == before


def test_review_mode_draws_the_controls_and_a_reject_is_one_line(dashboard, seeds) -> None:
    db, curation = seeds
    bts = _obs(db, "bts_stations", DOC_001)
    at = _open_value(dashboard("Tester"), bts["obs_id"])
    keys = _review_keys(at)
    for prefix in ("rv_confirm_reason_", "rv_reject_reason_", "rv_correct_value_", "rv_correct_year_",
                   "rv_correct_province_", "rv_correct_scope_", "rv_correct_target_", "rv_add_indicator_",
                   "rv_add_evidence_"):
        assert any(k.startswith(prefix) for k in keys), prefix
    n_before = len(curation.read_text(encoding="utf-8").splitlines())
    reason = next(w for w in at.text_input if (w.key or "").startswith("rv_reject_reason_"))
    reason.input("=1+1")
    next(b for b in at.button if b.label == "Loại").click().run()
    assert any("công thức" in e.value for e in at.error)  # said in the interface's language
    assert len(curation.read_text(encoding="utf-8").splitlines()) == n_before  # nothing written
    reason = next(w for w in at.text_input if (w.key or "").startswith("rv_reject_reason_"))
    reason.input("counts one operator only")
    next(b for b in at.button if b.label == "Loại").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    lines = curation.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n_before + 1 and lines[-1].startswith("reject,") and ",Tester,counts one operator only," \
        in lines[-1]
    assert any("rejected bts_stations" in s.value for s in at.success)
    assert any("Đã loại" in m.value for m in at.markdown)  # the value's new status, right there
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT review_status FROM observations WHERE obs_id = ?",
                           [bts["obs_id"]]).fetchall() == [("rejected",)]


def test_review_queue_page_opens_in_review_mode(dashboard) -> None:
    at = dashboard("Tester")
    at.run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any((w.key or "").startswith("rv_confirm_reason_queue") for w in at.text_input)
    assert any(m.label == "Còn lại" for m in at.metric)


def test_incremental_facts_equal_a_whole_rebuild(tmp_path: Path) -> None:
    """Corrections that move a value to another year / province / scope / kind, rejects, confirms of
    low-confidence values, an add, then a line taken back: the refresh's incremental facts are always
    what rebuilding facts whole gives."""
    from bench.synth_warehouse import build_synthetic

    db = build_synthetic(tmp_path / "syn.duckdb", n_obs=3000, seed=3, materialize_facts=True)
    curation = tmp_path / "curation.csv"
    with duckdb.connect(str(db), read_only=True) as con:
        bounds, _units, provinces = rv.warehouse_bounds(con)
        rows = con.execute("SELECT * FROM observations WHERE review_status = 'machine' AND year IS NOT NULL "
                           "AND province_id IS NOT NULL ORDER BY obs_id LIMIT 40").df().to_dict("records")
        doc, text = con.execute("SELECT doc_id, text FROM documents WHERE status = 'ok' AND length(text) > 40 "
                                "ORDER BY doc_id LIMIT 1").fetchall()[0]
    kw = {"bounds": bounds, "provinces": provinces, "today": date(2099, 1, 1)}
    other = sorted(p for p in provinces if p.startswith("63-"))[:2]
    actions = []
    for k, o in enumerate(rows):
        kind = k % 6
        if kind == 0:
            actions.append(rv.reject(o, "T", "wrong"))
        elif kind == 1:
            actions.append(rv.correct(o, "T", "year", year=int(o["year"]) - 1, **kw))
        elif kind == 2:
            p = other[0] if o["province_id"] != other[0] else other[1]
            actions.append(rv.correct(o, "T", "province", province=p, **kw))
        elif kind == 3:
            actions.append(rv.correct(o, "T", "scope", scope="all" if o["scope"] != "all" else "district", **kw))
        elif kind == 4:
            actions.append(rv.correct(o, "T", "kind", is_target=not o["is_target"], **kw))
        else:
            actions.append(rv.confirm(o, "T"))
    actions.append(rv.Action({"action": "add", "doc": doc, "indicator": "bts_stations", "scope": "all",
                              "year": "2015", "province": "63-10", "value": "1234",
                              "evidence_contains": " ".join(text.split())[:30], "reviewer": "T", "reason": "r"},
                             "add"))
    for action in actions:
        rv.append_line(curation, action.row)

    def whole(source: Path) -> list[tuple]:
        copy = tmp_path / "whole.duckdb"
        shutil.copyfile(source, copy)
        with duckdb.connect(str(copy)) as con:
            rv._reapply(con, curation, incremental=False)
        return _facts(copy)

    before = _facts(db)
    rv.refresh(db, curation)
    assert _facts(db) != before and _facts(db) == whole(db)
    text_now = curation.read_text(encoding="utf-8").splitlines()
    curation.write_text("\n".join(text_now[:1] + text_now[5:]) + "\n", encoding="utf-8")  # four lines taken back
    rv.refresh(db, curation)
    assert _facts(db) == whole(db)


def test_managers_see_the_status_in_tables_and_chart_hovers(dashboard, seeds) -> None:
    db, curation = seeds
    docs = _obs(db, "e_documents_pct", DOC_001)
    with duckdb.connect(str(db), read_only=True) as con:
        bounds, _units, provinces = rv.warehouse_bounds(con)
    rv.append_line(curation, rv.correct(docs, "Tester", "typo", bounds=bounds, provinces=provinces, value="41").row)
    rv.refresh(db, curation)
    at = dashboard(None)
    at.query_params.update({"p": "63-10", "i": "e_documents_pct"})
    at.run()
    at.switch_page("pages/province.py").run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    assert any("Đã hiệu chỉnh" in set(f.get("Kiểm tra", [])) for f in frames), [list(f.columns) for f in frames]
    hovers = [json.dumps(json.loads(ch.proto.spec), ensure_ascii=False) for ch in at.get("plotly_chart")]
    assert any("41% · Đã hiệu chỉnh" in h for h in hovers)


def test_ictdash_review_is_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    from etl.cli import main

    assert main(["review", "--reviewer", "@evil"]) == 2
    assert "formula" in capsys.readouterr().err
