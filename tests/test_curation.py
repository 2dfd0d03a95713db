"""Curation: the corrections file parsed, applied on every build, and loud when it no longer matches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.curation import COLUMNS, load_curation
from etl.warehouse import build

ROOT = Path(__file__).resolve().parents[1]
HEADER = ",".join(COLUMNS)


def write_report(folder: Path, name: str, *, province: str = "Lào Cai", year: int = 2020, bts: int = 900,
                 density: int = 62) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"Sở Thông tin và Truyền thông tỉnh {province} tổng kết năm {year}\n\n"
        f"Đến hết năm {year}, toàn tỉnh {province} có {bts} trạm phát sóng di động. "
        f"Mật độ điện thoại đạt {density} thuê bao/100 dân.\n"
        f"Trong năm {year}, 100% cơ quan nhà nước của tỉnh đã kết nối mạng truyền số liệu chuyên dùng.\n",
        encoding="utf-8",
    )
    return path


def curation_file(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, "# a comment line", *rows]) + "\n", encoding="utf-8")
    return path


def row(action: str, doc: str = "r0.txt", indicator: str = "bts_stations", **cells: object) -> str:
    values = {c: "" for c in COLUMNS} | {"action": action, "doc": doc, "indicator": indicator,
                                         "reviewer": "Nguyễn Văn A", "reason": "checked against the source"}
    values |= {k: str(v) for k, v in cells.items()}
    return ",".join(f'"{values[c]}"' if "," in values[c] else values[c] for c in COLUMNS)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    write_report(reports, "r0.txt", bts=912, year=2020)
    write_report(reports, "r1.txt", bts=950, year=2021)
    return reports


def observations(db: Path, indicator: str = "bts_stations") -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT doc_id, year, value, review_status, reviewer, review_reason, original, origin FROM observations "
            "WHERE indicator_id = ? ORDER BY doc_id, value", [indicator]).fetchall()


def facts(db: Path, indicator: str = "bts_stations") -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT province_id, year, value, review_status FROM facts WHERE indicator_id = ? "
                           "ORDER BY year, value", [indicator]).fetchall()


def run_build(corpus: Path, db: Path, curation: Path):
    return build([corpus], db, curation_path=curation, progress=False)


# --- the file -------------------------------------------------------------------------------------


def test_shipped_curation_file_parses_cleanly() -> None:
    entries, errors = load_curation(ROOT / "data" / "curation.csv")
    assert errors == []
    assert all(e.reviewer and e.reason for e in entries)


def test_malformed_lines_are_reported_by_line_and_the_rest_still_parses(tmp_path: Path) -> None:
    path = curation_file(
        tmp_path / "c.csv",
        row("reject", value=912),                      # line 3: fine
        row("delete"),                                 # line 4: unknown action
        row("reject", reviewer=""),                    # line 5: no reviewer
        row("correct", new_value="nine hundred"),      # line 6: not a number
        row("add", value=5),                           # line 7: add without year/province/evidence
        row("correct"),                                # line 8: correct that changes nothing
        row("correct", new_value="6,2"),               # line 9: fine, decimal comma
        row("reject", reviewer="REVIEWER"),            # line 10: a pasted line not filled in
    )
    entries, errors = load_curation(path)
    assert [e.line for e in entries] == [3, 9]
    assert entries[1].new_value == 6.2
    assert [int(m.split(" line ")[1].split(":")[0]) for m in errors] == [4, 5, 6, 7, 8, 10]
    assert "placeholder REVIEWER" in errors[-1]
    assert "reviewer is required" in errors[1]


def test_missing_file_means_no_corrections_and_a_file_without_the_header_is_an_error(tmp_path: Path) -> None:
    assert load_curation(tmp_path / "absent.csv") == ([], [])
    bad = tmp_path / "bad.csv"
    bad.write_text("doc,value\nr0.txt,5\n", encoding="utf-8")
    entries, errors = load_curation(bad)
    assert entries == [] and "header lacks" in errors[0]


def test_a_utf16_file_is_read(tmp_path: Path) -> None:  # (Excel's "Unicode text"; tests/hostile has the rest)
    path = tmp_path / "c.csv"
    path.write_bytes((HEADER + "\n" + row("reject", reason="sai số liệu") + "\n").encode("utf-16"))
    entries, errors = load_curation(path)
    assert errors == [] and [e.reason for e in entries] == ["sai số liệu"]


# --- applied in a build ---------------------------------------------------------------------------


def test_reject_hides_the_value_from_facts(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    summary = run_build(corpus, db, curation_file(tmp_path / "c.csv", row("reject", value=912, year=2020)))
    assert summary.curation.counts()["reject"] == 1 and summary.curation.messages == []
    assert [o[:6] for o in observations(db)] == [
        ("r0.txt", 2020, 912, "rejected", "Nguyễn Văn A", "checked against the source"),
        ("r1.txt", 2021, 950, "machine", None, None)]
    assert facts(db) == [("63-10", 2021, 950, "machine")]


def test_correct_changes_the_value_and_keeps_the_machines_original(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    curation = curation_file(tmp_path / "c.csv", row("correct", value=912, new_value=921, new_year=2019))
    summary = run_build(corpus, db, curation)
    assert summary.curation.counts()["correct"] == 1
    doc, year, value, status, _, _, original, _ = observations(db)[0]
    assert (doc, year, value, status) == ("r0.txt", 2019, 921, "corrected")
    assert json.loads(original) == {"value": 912, "year": 2020}
    assert ("63-10", 2019, 921, "corrected") in facts(db)

    # the next (incremental) build applies the correction to the machine's value again, not on top of it
    again = run_build(corpus, db, curation)
    assert again.n_unchanged == 2 and again.curation.messages == []
    assert observations(db)[0][:4] == ("r0.txt", 2019, 921, "corrected")

    # and once the line is gone, the machine's value is back
    run_build(corpus, db, curation_file(tmp_path / "c.csv"))
    assert observations(db)[0][:4] == ("r0.txt", 2020, 912, "machine")


def test_add_inserts_a_missed_value_with_its_evidence_located_in_the_text(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    sentence = "100% cơ quan nhà nước của tỉnh đã kết nối mạng truyền số liệu chuyên dùng"
    curation = curation_file(tmp_path / "c.csv", row(
        "add", indicator="data_network_agencies_pct", scope="all", year=2020, province="Lào Cai", value=100,
        evidence_contains=sentence))
    summary = run_build(corpus, db, curation)
    assert summary.curation.counts()["add"] == 1, summary.curation.messages
    with duckdb.connect(str(db), read_only=True) as con:
        added = con.execute(
            "SELECT o.province_id, o.year, o.value, o.unit, o.evidence, substr(d.text, o.start_offset + 1, "
            "o.end_offset - o.start_offset), o.origin, o.review_status FROM observations o JOIN documents d "
            "USING (doc_id) WHERE o.origin = 'curated_added'").fetchall()
        in_facts = con.execute("SELECT value, review_status FROM facts WHERE indicator_id = "
                               "'data_network_agencies_pct' AND year = 2020").fetchall()
    assert added == [("63-10", 2020, 100, "pct", sentence, sentence, "curated_added", "added")]
    assert in_facts == [(100, "added")]
    again = run_build(corpus, db, curation)  # unchanged files: the add is applied once, not twice
    assert again.curation.counts()["add"] == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE origin = 'curated_added'").fetchall() == [(1,)]


def test_stale_and_unmatched_entries_are_reported_loudly(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    curation = curation_file(
        tmp_path / "c.csv",
        row("reject", doc="gone.txt"),                  # line 3: document not loaded
        row("reject", value=1234),                     # line 4: no such value
        row("correct", value=912, new_value=913),      # line 5: fine
        row("reject", indicator="no_such_indicator"),  # line 6: unknown indicator
    )
    summary = run_build(corpus, db, curation)
    messages = summary.curation.messages
    assert any("line 3" in m and "STALE" in m and "gone.txt" in m for m in messages)
    assert any("line 4" in m and "UNMATCHED" in m and "912" in m for m in messages)  # shows what exists
    assert any("line 6" in m and "unknown indicator" in m for m in messages)
    assert summary.curation.counts()["correct"] == 1
    with duckdb.connect(str(db), read_only=True) as con:
        details = json.loads(con.execute("SELECT details FROM runs").fetchall()[0][0])
    stored = details["curation"]["warnings"] + details["curation"]["errors"]
    assert len(stored) == 3 and any("gone.txt" in m for m in stored)


def test_evidence_contains_narrows_the_match(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    curation = curation_file(
        tmp_path / "c.csv",
        row("reject", doc="r1.txt", evidence_contains="có 950 trạm phát sóng"),
        row("reject", doc="r0.txt", evidence_contains="không có câu này"),
    )
    summary = run_build(corpus, db, curation)
    assert [o[3] for o in observations(db)] == ["machine", "rejected"]
    assert any("line 4" in m and "UNMATCHED" in m for m in summary.curation.messages)


def test_province_names_and_ids_both_match(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    curation = curation_file(
        tmp_path / "c.csv",
        row("reject", province="lao cai", year=2020),   # a name without diacritics
        row("reject", doc="r1.txt", province="63-10"),  # an id
        row("reject", doc="r1.txt", indicator="phone_subscribers_per_100", province="Hà Nội"),  # wrong one
    )
    summary = run_build(corpus, db, curation)
    assert [o[3] for o in observations(db)] == ["rejected", "rejected"]
    assert any("line 5" in m and "UNMATCHED" in m for m in summary.curation.messages)


def test_cli_prints_curation_warnings_on_stderr(corpus: Path, tmp_path: Path) -> None:
    curation = curation_file(tmp_path / "c.csv", row("reject", doc="gone.txt"))
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "etl", str(corpus), "--db", str(tmp_path / "w.duckdb"),
         "--curation", str(curation), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING:" in proc.stderr and "gone.txt" in proc.stderr
    assert "1 warnings" in proc.stdout
