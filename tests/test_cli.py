"""The `ictdash` command line, run as a real subprocess (`python -m etl ...`)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from etl.export import DATA_SHEET, DEFINITIONS_SHEET

ROOT = Path(__file__).resolve().parents[1]


def ictdash(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True,
                          env=env or os.environ.copy(), timeout=300)


def text(proc: subprocess.CompletedProcess) -> tuple[str, str]:
    return proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def write_report(folder: Path, name: str, province: str, year: int, bts: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f"Sở Thông tin và Truyền thông tỉnh {province} tổng kết năm {year}\n\n"
        f"Đến hết năm {year}, toàn tỉnh {province} có {bts} trạm phát sóng di động. "
        f"Mật độ điện thoại đạt 62 thuê bao/100 dân.\n", encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus (two good files, one empty) and a warehouse built from it by the CLI."""
    reports = tmp_path / "reports"
    write_report(reports, "laocai.txt", "Lào Cai", 2020, 912)
    write_report(reports, "yenbai.txt", "Yên Bái", 2021, 700)
    (reports / "empty.txt").write_bytes(b"")
    db = tmp_path / "w.duckdb"
    proc = ictdash("etl", str(reports), "--db", str(db), "--curation", "")
    assert proc.returncode == 0, proc.stderr
    return reports, db


def test_etl_prints_a_summary_and_every_failed_file(built: tuple[Path, Path], tmp_path: Path) -> None:
    reports, db = built
    proc = ictdash("etl", str(reports), "--db", str(db), "--curation", "", "--full")
    out, err = text(proc)
    assert proc.returncode == 0
    assert "files: 3: 3 read, 0 unchanged, 1 empty, 0 failed" in out
    assert "bts_stations" in out and "conflicts:" in out and "curation:" in out
    assert "empty.txt" in err  # the reason reaches the user


def test_etl_rerun_reads_nothing(built: tuple[Path, Path], tmp_path: Path) -> None:
    reports, db = built
    out, _ = text(ictdash("etl", str(reports), "--db", str(db), "--curation", "",
                          "--quiet"))
    assert "2 unchanged" in out and "1 read" in out  # only the empty file is tried again


def test_etl_exit_code_is_non_zero_when_nothing_loads(tmp_path: Path) -> None:
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    proc = ictdash("etl", str(empty_dir), "--db", str(tmp_path / "a.duckdb"), "--quiet")
    assert proc.returncode != 0 and "nothing could be loaded" in text(proc)[1]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"")
    (bad / "y.docx").write_bytes(b"PK\x03\x04 truncated")
    proc = ictdash("etl", str(bad), "--db", str(tmp_path / "b.duckdb"), "--quiet")
    _, err = text(proc)
    assert proc.returncode != 0 and "every file failed" in err and "y.docx" in err


def test_ictdash_db_environment_variable_sets_the_default_database(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    write_report(reports, "a.txt", "Lào Cai", 2020, 912)
    env = os.environ | {"ICTDASH_DB": str(tmp_path / "env.duckdb")}
    assert ictdash("etl", str(reports), "--quiet", env=env).returncode == 0
    assert (tmp_path / "env.duckdb").exists()
    out, _ = text(ictdash("status", env=env))
    assert "documents: 1 ok" in out


def test_status_shows_runs_documents_and_failures(built: tuple[Path, Path]) -> None:
    _, db = built
    proc = ictdash("status", "--db", str(db))
    out, _ = text(proc)
    assert proc.returncode == 0
    assert "documents: 1 empty, 2 ok" in out
    assert "recent runs:" in out and "3 files" in out
    assert "EMPTY" in out and "empty.txt: empty file" in out
    missing = ictdash("status", "--db", str(db.with_name("missing.duckdb")))
    assert missing.returncode != 0 and "no warehouse" in text(missing)[1]


def test_export_csv_to_stdout_filtered_by_province_name(built: tuple[Path, Path]) -> None:
    _, db = built
    proc = ictdash("export", "--db", str(db), "--province", "lao cai", "--indicator", "bts_stations")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    assert [(r["province_name"], r["year"], r["value"]) for r in rows] == [("Lào Cai", "2020", "912.0")]


def test_export_xlsx_and_parquet_files(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = built
    xlsx = tmp_path / "facts.xlsx"
    proc = ictdash("export", "--db", str(db), "--out", str(xlsx), "--from-year", "2021")
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == [DATA_SHEET, DEFINITIONS_SHEET]
    assert {row[0].value for row in book[DATA_SHEET].iter_rows(min_row=2)} == {"63-15"}  # Yên Bái, 2021
    parquet = tmp_path / "facts.parquet"
    assert ictdash("export", "--db", str(db), "--format", "parquet", "--out", str(parquet)).returncode == 0
    assert parquet.read_bytes()[:4] == b"PAR1"


def test_export_rejects_unknown_province_and_indicator(built: tuple[Path, Path]) -> None:
    _, db = built
    proc = ictdash("export", "--db", str(db), "--province", "Atlantis")
    assert proc.returncode == 2 and "unknown province" in text(proc)[1]
    proc = ictdash("export", "--db", str(db), "--indicator", "x'; DROP TABLE facts; --")
    assert proc.returncode == 2 and "unknown indicator" in text(proc)[1]


def test_extract_is_delegated(built: tuple[Path, Path]) -> None:
    reports, _ = built
    proc = ictdash("extract", str(reports / "laocai.txt"), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    values = [json.loads(line) for line in text(proc)[0].splitlines() if line.strip()]
    assert any(v["indicator"] == "bts_stations" and v["value"] == 912 for v in values)


def test_help_lists_the_commands() -> None:
    out, _ = text(ictdash("--help"))
    for command in ("extract", "etl", "status", "export"):
        assert command in out
