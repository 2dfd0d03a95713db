"""Hostile files through the real `ictdash etl`: each is read correctly or refused with its own reason, the
batch goes on, memory stays bounded, and a batch that loads nothing never replaces a good warehouse."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import build

from .corpus import CASES, HTML_PAYLOADS, OUTSIDE_NAME, Built, Case, built_corpus, report, run_measured

GB = 1024**3


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return built_corpus(tmp_path_factory)


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def outcomes(built: Built) -> dict[str, dict]:
    """path -> the per-file outcome recorded in the last run's details."""
    details = query(built.db, "SELECT details FROM runs ORDER BY started_at DESC LIMIT 1")[0][0]
    return {f["path"]: f for f in json.loads(details)["files"]}


def bts_values(db: Path, doc_id: str) -> set[float]:
    rows = query(db, "SELECT value FROM observations WHERE doc_id = ? AND indicator_id = 'bts_stations'", [doc_id])
    return {r[0] for r in rows}


@pytest.mark.parametrize("case", CASES, ids=[c.what for c in CASES])
def test_each_file_is_read_or_refused_with_its_reason(built: Built, case: Case) -> None:
    path = str(built.folder / case.name)
    outcome = outcomes(built)[path]
    if case.expect == "ok":
        assert outcome["status"] == "ok", outcome
        assert case.bts in bts_values(built.db, Path(case.name).name), outcome
        return
    if case.expect == "any":
        assert outcome["status"] in ("ok", "failed", "empty"), outcome
        if outcome["status"] == "ok":
            return
    else:
        assert outcome["status"] == case.expect, outcome
        assert case.reason in (outcome["message"] or ""), outcome
    # the user sees the file and its reason on the command line ...
    line = f"{outcome['status'].upper()}: {path}: {outcome['message']}"
    assert line in built.run.stderr.splitlines(), built.run.stderr
    # ... and, for files that were opened, in the warehouse (documents.error, the quality page)
    stored = query(built.db, "SELECT status, error FROM documents WHERE path = ?", [path])
    assert stored in ([], [(outcome["status"], outcome["message"])])


def test_the_batch_goes_on_and_the_command_succeeds(built: Built) -> None:
    assert built.run.returncode == 0, built.run.stderr
    assert "Traceback" not in built.run.stderr
    assert f"files: {len(CASES)}:" in built.run.stdout
    assert bts_values(built.db, "tốt.txt") == {901}
    ok = [c for c in CASES if c.expect == "ok"]
    loaded = query(built.db, "SELECT count(*) FROM documents WHERE status = 'ok'")[0][0]
    assert loaded >= len(ok)


def test_every_prose_value_is_exactly_its_sentence_in_nfc_text(built: Built) -> None:
    rows = query(built.db, "SELECT d.doc_id, d.text, o.evidence, o.start_offset, o.end_offset FROM observations o "
                           "JOIN documents d USING (doc_id) WHERE o.rule <> 'table'")
    assert len({r[0] for r in rows}) >= 12
    for doc_id, text, evidence, start, end in rows:
        assert unicodedata.is_normalized("NFC", text), doc_id
        assert text[start:end] == evidence, doc_id
    nfd = query(built.db, "SELECT text FROM documents WHERE doc_id = 'nfd.txt'")[0][0]
    assert "Đến hết năm 2020, toàn tỉnh Lào Cai có 906 trạm phát sóng di động." in nfd


def test_table_values_trace_to_their_row(built: Built) -> None:
    rows = query(built.db, "SELECT doc_id, value, evidence FROM observations WHERE rule = 'table'")
    assert rows
    for doc_id, value, evidence in rows:
        assert f"{value:g}" in (evidence or ""), (doc_id, value, evidence)


def test_no_script_or_event_handler_reaches_the_stored_text(built: Built) -> None:
    text, title = query(built.db, "SELECT text, title FROM documents WHERE doc_id = 'trang độc.html'")[0]
    assert "910 trạm phát sóng di động" in text
    for payload in HTML_PAYLOADS:
        assert payload not in text and payload not in (title or ""), payload


def test_formulas_are_never_evaluated(built: Built) -> None:
    assert bts_values(built.db, "công thức, ô gộp.xlsx") == {911}  # =C5*1000 has no cached value: skipped
    assert bts_values(built.db, "công thức.csv") == {913}  # "=1+1", "+5", "-3", "@SUM(A1)" are not numbers
    warnings = outcomes(built)[str(built.folder / "công thức, ô gộp.xlsx")]["message"]
    assert "formula without a cached value skipped at Số liệu!C6" in warnings
    title = query(built.db, "SELECT title FROM documents WHERE doc_id = 'công thức.csv'")[0][0]
    assert title == '=HYPERLINK("http://evil.example")'  # kept as text; exports neutralize it (test_untrusted)


def test_a_manifest_cannot_reach_outside_its_folder(built: Built) -> None:
    assert (built.folder.parent / OUTSIDE_NAME).exists()  # the target exists, so the refusal is real
    assert query(built.db, "SELECT count(*) FROM documents WHERE doc_id = ?", [OUTSIDE_NAME]) == [(0,)]
    assert query(built.db, "SELECT count(*) FROM observations WHERE value = 990") == [(0,)]


def test_memory_stays_bounded_with_bombs_and_a_10_mb_line(built: Built) -> None:
    assert 0 < built.run.peak_rss < 1 * GB, f"peak RSS {built.run.peak_rss / 2**20:.0f} MB"


def test_a_batch_that_loads_nothing_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    good, broken, db = tmp_path / "good", tmp_path / "broken", tmp_path / "wh" / "ictdash.duckdb"
    good.mkdir()
    broken.mkdir()
    (good / "a.txt").write_text(report(931), encoding="utf-8")
    (broken / "rỗng.txt").write_bytes(b"")
    (broken / "giả.docx").write_bytes(b"PK\x03\x04 cut short")
    build([good], db, curation_path=None, progress=False)
    before = query(db, "SELECT doc_id, value FROM observations ORDER BY ALL")
    assert before
    for paths in ([broken], [tmp_path / "mistyped folder"], [tmp_path / "empty"]):
        (tmp_path / "empty").mkdir(exist_ok=True)
        summary = build(paths, db, curation_path=None, progress=False)
        assert not summary.loaded_anything
        assert any("previous warehouse" in w and "kept" in w for w in summary.warnings), summary.warnings
        assert query(db, "SELECT doc_id, value FROM observations ORDER BY ALL") == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".build-")) == []


@pytest.mark.slow
def test_a_50_mb_text_is_read_in_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "tốt.txt").write_text(report(941), encoding="utf-8")
    sentence = "Báo cáo tình hình hoạt động của các đơn vị, toàn tỉnh có 12 trạm phát sóng di động mới.\n"
    with (folder / "50 MB.txt").open("w", encoding="utf-8") as handle:
        handle.write(report(942))
        for _ in range(50 * 1024**2 // len(sentence.encode())):
            handle.write(sentence)
    assert (folder / "50 MB.txt").stat().st_size > 50 * 1000**2
    db = tmp_path / "wh.duckdb"
    run = run_measured(["etl", str(folder), "--db", str(db), "--curation", "", "--quiet"], timeout=900)
    assert run.returncode == 0, run.stderr
    assert 0 < run.peak_rss < 1.5 * GB, f"peak RSS {run.peak_rss / 2**20:.0f} MB"
    assert bts_values(db, "tốt.txt") == {941}
    status, error = query(db, "SELECT status, error FROM documents WHERE doc_id = '50 MB.txt'")[0]
    assert status == "ok" or error, (status, error)
    assert os.path.getsize(db) < 2 * GB
