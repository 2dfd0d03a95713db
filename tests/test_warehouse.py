"""The warehouse build: real DuckDB files, real report files, real subprocesses."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import etl
from etl import warehouse
from etl.warehouse import BuildLocked, WarehouseError, build, build_lock

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def write_report(folder: Path, name: str, *, province: str = "Lào Cai", year: int = 2020, bts: int = 900,
                 density: int = 62) -> Path:
    """A small provincial report whose figures the extractor reads."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"Sở Thông tin và Truyền thông tỉnh {province} tổng kết năm {year}\n\n"
        f"Đến hết năm {year}, toàn tỉnh {province} có {bts} trạm phát sóng di động. "
        f"Mật độ điện thoại đạt {density} thuê bao/100 dân.\n",
        encoding="utf-8",
    )
    return path


def bts_values(db: Path) -> dict[str, float]:
    """doc_id -> bts_stations value, read from the database file."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, value FROM observations WHERE indicator_id = 'bts_stations'").fetchall()
    return dict(rows)


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".build-"))


def run_etl(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "etl", "etl", *args, "--quiet"], cwd=ROOT, env=env or os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    for i in range(3):
        write_report(reports, f"r{i}.txt", bts=901 + i, year=2020 + i)
    return reports


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "ictdash.duckdb"


def quiet_build(paths, db_path, **kwargs):
    kwargs.setdefault("curation_path", None)
    return build(paths if isinstance(paths, list) else [paths], db_path, progress=False, **kwargs)


def cli_build(paths, db_path, jobs: int) -> subprocess.CompletedProcess:
    """A parallel build as users run it: worker processes spawned by a fresh `ictdash etl` (in-process,
    the pytest worker's __main__ -- replaced by AppTest runs in the same session -- leaks into them)."""
    paths = paths if isinstance(paths, list) else [paths]
    return subprocess.run([sys.executable, "-m", "etl", "etl", *map(str, paths), "--db", str(db_path),
                           "--jobs", str(jobs), "--curation", "", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


# --- content --------------------------------------------------------------------------------------


def test_build_loads_documents_observations_and_reference_tables(corpus: Path, db: Path) -> None:
    summary = quiet_build(corpus, db)
    assert (summary.n_files, summary.n_read, summary.n_unchanged, summary.n_failed) == (3, 3, 0, 0)
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchall()[0][0] == 3
        schemes = dict(con.execute("SELECT scheme, count(*) FROM provinces GROUP BY scheme").fetchall())
        assert schemes == {"63": 63, "34": 34}
        assert con.execute("SELECT count(*) FROM indicators").fetchall()[0][0] >= 20
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        assert meta["extractor_version"] == etl.EXTRACTOR_VERSION and meta["schema_version"] and meta["catalog_hash"]
        # every observation traces back to its sentence: evidence is exactly text[start:end]
        rows = con.execute("SELECT d.text, o.evidence, o.start_offset, o.end_offset FROM observations o "
                           "JOIN documents d USING (doc_id)").fetchall()
        assert rows and all(text[s:e] == ev for text, ev, s, e in rows)
        facts = con.execute("SELECT province_id, year, value FROM facts WHERE indicator_id = 'bts_stations' "
                            "ORDER BY year").fetchall()
        assert facts == [("63-10", 2020, 901), ("63-10", 2021, 902), ("63-10", 2022, 903)]
        assert con.execute("SELECT count(*), max(n_read) FROM runs").fetchall() == [(1, 3)]
    assert temp_files(db.parent) == []


CRASHING_RUNNER = """
import os, sys
import etl.process

_read = etl.process.process_file


def crash_on_boom(path, *args):
    if path.endswith("boom.txt"):
        os._exit(70)  # as a segfault in a native reader would: the worker process is gone
    return _read(path, *args)


etl.process.process_file = crash_on_boom  # module level: spawned workers run this file too

if __name__ == "__main__":
    from etl.cli import main

    sys.exit(main(sys.argv[1:]))
"""


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, db: Path) -> None:
    reports = tmp_path / "many"
    for i in range(60):
        write_report(reports, f"r{i:02d}.txt", bts=1000 + i, year=2000 + i % 25)
    write_report(reports, "boom.txt", bts=999)
    runner = tmp_path / "crashing_runner.py"
    runner.write_text(CRASHING_RUNNER, encoding="utf-8")
    proc = subprocess.run([PY, str(runner), "etl", str(reports), "--db", str(db), "--jobs", "2", "--quiet",
                           "--curation", ""], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "boom.txt: the reader crashed (its worker process died)" in proc.stderr
    values = bts_values(db)
    assert len(values) == 60 and "boom.txt" not in values
    assert values["r59.txt"] == 1059


def test_rerun_with_nothing_changed_leaves_the_warehouse_untouched(corpus: Path, db: Path) -> None:
    first = quiet_build(corpus, db)
    stamp = db.stat().st_mtime_ns, db.stat().st_ino
    again = quiet_build(corpus, db)
    assert again.kept and not first.kept
    assert (again.n_read, again.n_unchanged, again.run_id) == (0, 3, first.run_id)
    assert again.values_by_indicator == first.values_by_indicator and again.n_values == first.n_values > 0
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == stamp  # not rewritten, not replaced
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT n_read, n_unchanged FROM runs").fetchall() == [(3, 0)]
    assert temp_files(db.parent) == []
    assert not quiet_build(corpus, db, full=True).kept  # --full rebuilds anyway


def test_rerun_rebuilds_when_curation_or_a_file_changes(corpus: Path, db: Path, tmp_path: Path) -> None:
    curation = tmp_path / "curation.csv"
    curation.write_text("action,doc,indicator,reviewer,reason\n", encoding="utf-8")
    quiet_build(corpus, db, curation_path=curation)
    assert quiet_build(corpus, db, curation_path=curation).kept
    curation.write_text(curation.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not quiet_build(corpus, db, curation_path=curation).kept
    (corpus / "r0.txt").touch()  # same bytes: still nothing to do
    assert quiet_build(corpus, db, curation_path=curation).kept
    write_report(corpus, "r3.txt", bts=955, year=2023)
    assert not quiet_build(corpus, db, curation_path=curation).kept
    (corpus / "r3.txt").unlink()  # a removed report must leave the warehouse
    again = quiet_build(corpus, db, curation_path=curation)
    assert not again.kept and "r3.txt" not in bts_values(db)


def test_a_same_size_edit_with_its_mtime_put_back_is_still_seen(corpus: Path, db: Path) -> None:
    """The stat shortcut also compares the change time, which no tool can set back (git does the same)."""
    quiet_build(corpus, db)
    report = corpus / "r1.txt"
    before = report.stat()
    report.write_text(report.read_text(encoding="utf-8").replace("902", "977"), encoding="utf-8")
    os.utime(report, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert report.stat().st_size == before.st_size and report.stat().st_mtime_ns == before.st_mtime_ns
    again = quiet_build(corpus, db)
    assert not again.kept and again.n_read == 1
    assert bts_values(db)["r1.txt"] == 977


def test_a_missing_or_broken_state_file_only_costs_a_rebuild(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    state = warehouse.state_path(db)
    assert json.loads(state.read_text(encoding="utf-8"))["signature"]
    state.unlink()
    assert not quiet_build(corpus, db).kept and state.exists()  # rebuilt (files copied over), state back
    assert quiet_build(corpus, db).kept
    state.write_text("{not json", encoding="utf-8")
    rebuilt = quiet_build(corpus, db)
    assert not rebuilt.kept and rebuilt.n_unchanged == 3
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}


def test_second_build_copies_every_unchanged_file_without_reading(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT * EXCLUDE (review_status) FROM observations ORDER BY obs_id").fetchall()
    write_report(corpus, "r3.txt", bts=955, year=2023)  # one new report: the other three are copied over
    second = quiet_build(corpus, db)
    assert (second.n_read, second.n_unchanged) == (1, 3) and not second.kept
    assert {f.doc_id for f in second.files if f.status == "unchanged"} == {"r0.txt", "r1.txt", "r2.txt"}
    with duckdb.connect(str(db), read_only=True) as con:
        after = con.execute("SELECT * EXCLUDE (review_status) FROM observations WHERE doc_id <> 'r3.txt' "
                            "ORDER BY obs_id").fetchall()
        runs = con.execute("SELECT n_read, n_unchanged FROM runs ORDER BY started_at").fetchall()
    assert after == before
    assert runs == [(3, 0), (1, 3)]  # the history is kept


def test_changed_file_replaces_its_values(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    write_report(corpus, "r1.txt", bts=951, year=2021)
    summary = quiet_build(corpus, db)
    assert (summary.n_read, summary.n_unchanged) == (1, 2)
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 951, "r2.txt": 903}


def test_removed_file_disappears(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    (corpus / "r2.txt").unlink()
    summary = quiet_build(corpus, db)
    assert summary.n_files == 2
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE doc_id = 'r2.txt'").fetchall()[0][0] == 0


def test_extractor_version_change_re_extracts(corpus: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet_build(corpus, db)
    monkeypatch.setattr(etl, "EXTRACTOR_VERSION", "9.9.9-test")
    summary = quiet_build(corpus, db)
    assert (summary.n_read, summary.n_unchanged) == (3, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        assert {r[0] for r in con.execute("SELECT extractor_version FROM documents").fetchall()} == {"9.9.9-test"}


def test_full_re_reads_everything(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    summary = quiet_build(corpus, db, full=True)
    assert (summary.n_read, summary.n_unchanged) == (3, 0)
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}


def test_parallel_build_gives_the_same_rows_as_sequential(corpus: Path, tmp_path: Path) -> None:
    for i in range(3, 6):
        write_report(corpus, f"r{i}.txt", bts=901 + i, province="Yên Bái")
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    quiet_build(corpus, one, jobs=1)
    proc = cli_build(corpus, two, jobs=2)
    assert proc.returncode == 0, proc.stderr
    assert "6 read" in proc.stdout + proc.stderr
    query = "SELECT obs_id, doc_id, province_id, year, indicator_id, value, evidence FROM observations ORDER BY 1"
    with duckdb.connect(str(one), read_only=True) as a, duckdb.connect(str(two), read_only=True) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


# --- bad input ------------------------------------------------------------------------------------


def test_bad_files_each_get_a_message_and_the_batch_goes_on(corpus: Path, db: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.pdf").write_bytes(os.urandom(4096))
    xlsx = corpus / "truncated.xlsx"
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Tỉnh", "Năm", "Số trạm BTS"])
    workbook.active.append(["Lào Cai", 2020, 912])
    workbook.save(xlsx)
    xlsx.write_bytes(xlsx.read_bytes()[: xlsx.stat().st_size // 2])
    summary = quiet_build(corpus, db)
    by_name = {f.doc_id: f for f in summary.files}
    for bad in ("empty.txt", "binary.pdf", "truncated.xlsx"):
        assert by_name[bad].status in ("failed", "empty"), by_name[bad]
        assert by_name[bad].message, bad
    assert "truncated" in by_name["truncated.xlsx"].message.lower()
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}
    with duckdb.connect(str(db), read_only=True) as con:
        errors = dict(con.execute("SELECT doc_id, error FROM documents WHERE status <> 'ok'").fetchall())
    assert set(errors) == {"empty.txt", "binary.pdf", "truncated.xlsx"} and all(errors.values())


@pytest.mark.slow
def test_a_50_mb_text_file_does_not_stop_the_batch(corpus: Path, db: Path) -> None:
    line = "Báo cáo tình hình hoạt động của các đơn vị trong tỉnh, không có số liệu nào đáng chú ý ở đây.\n"
    big = corpus / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(50 * 1024 * 1024 // len(line.encode())):
            handle.write(line)
    proc = cli_build(corpus, db, jobs=2)
    assert proc.returncode == 0, proc.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        status, error = con.execute("SELECT status, error FROM documents WHERE doc_id = 'big.txt'").fetchall()[0]
    assert status == "ok" or error
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}


def test_same_file_name_twice_is_reported(corpus: Path, tmp_path: Path, db: Path) -> None:
    other = write_report(tmp_path / "other", "r0.txt", bts=999)
    summary = quiet_build([corpus, other], db)
    messages = [f.message for f in summary.files if f.status == "failed"]
    assert any("same file name" in (m or "") for m in messages)
    assert bts_values(db)["r0.txt"] in (901, 999)


def test_no_input_loads_nothing(tmp_path: Path, db: Path) -> None:
    (tmp_path / "nothing").mkdir()
    summary = quiet_build(tmp_path / "nothing", db)
    assert summary.files == [] and not summary.loaded_anything
    assert db.exists()  # an empty but valid warehouse


# --- atomicity, locking, cleanup ------------------------------------------------------------------


def test_stale_temp_files_of_dead_builds_are_removed(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    dead = subprocess.run([PY, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    for suffix in ("", ".wal"):
        (db.parent / f".build-{pid}-0badc0de.duckdb{suffix}").write_bytes(b"half a database")
    (db.parent / f".build-{pid}-0badc0de.duckdb.tmp").mkdir()
    quiet_build(corpus, db)
    assert temp_files(db.parent) == []


def test_a_file_that_is_not_a_warehouse_is_refused_and_a_damaged_one_set_aside(corpus: Path, db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(warehouse.NotAWarehouse, match="is not an ictdash warehouse"):
        quiet_build(corpus, db)  # someone's file: never overwritten
    assert db.read_bytes() == b"this is not a duckdb file" * 100
    db.unlink()
    quiet_build(corpus, db)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # a warehouse cut short (its header intact)
    summary = quiet_build(corpus, db)
    assert any("moved aside" in w for w in summary.warnings)
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}
    assert [p.name for p in db.parent.glob(db.name + ".damaged-*")]  # kept, not deleted


def test_a_stale_wal_of_the_old_file_does_not_replay_into_the_new(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    db.with_name(db.name + ".wal").write_bytes(b"garbage wal")
    quiet_build(corpus, db)
    assert not db.with_name(db.name + ".wal").exists()
    assert len(bts_values(db)) == 3


def test_a_second_build_refuses_while_the_lock_is_held(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    with build_lock(db, timeout=1):
        with pytest.raises(BuildLocked, match=rf"another ictdash build is running \(pid {os.getpid()}\)"):
            quiet_build(corpus, db, lock_timeout=0.3)
        proc = run_etl(str(corpus), "--db", str(db), "--wait", "0.3", "--curation", "")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert f"another ictdash build is running (pid {os.getpid()})" in err
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 902, "r2.txt": 903}


def test_two_builds_at_once_both_finish_and_the_database_is_sound(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    write_report(corpus, "r1.txt", bts=952, year=2021)
    procs = [run_etl(str(corpus), "--db", str(db), "--wait", "120", "--full") for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    assert bts_values(db) == {"r0.txt": 901, "r1.txt": 952, "r2.txt": 903}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchall()[0][0] == 3
    assert temp_files(db.parent) == []


def _big_corpus(folder: Path, n: int) -> None:
    for i in range(n):
        write_report(folder, f"big{i:04d}.txt", bts=1000 + i, year=2015 + i % 10,
                     province=("Lào Cai", "Yên Bái", "Hà Giang")[i % 3])


@pytest.mark.slow
@pytest.mark.parametrize("failpoint", ["workers-running", "before-swap"])
def test_a_killed_build_leaves_the_previous_database_intact(corpus: Path, tmp_path: Path, db: Path,
                                                             failpoint: str) -> None:
    quiet_build(corpus, db)
    before = bts_values(db)
    big = tmp_path / "big"
    _big_corpus(big, 300)
    marker = tmp_path / "failpoint.json"
    # the build stops at the named moment (etl.warehouse.failpoint) and is killed there: no timing luck
    env = os.environ | {warehouse.FAILPOINT_ENV: failpoint, warehouse.FAILPOINT_FILE_ENV: str(marker)}
    proc = run_etl(str(corpus), str(big), "--db", str(db), "--jobs", "2", "--full", env=env,
                   start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the build never reached its failpoint"
            time.sleep(0.02)
        assert temp_files(db.parent), "the build had no temporary file at its failpoint: nothing was tested"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a crash or the OOM killer would
        proc.communicate(timeout=30)
    assert bts_values(db) == before  # the previous database, complete and readable
    assert not db.with_name(db.name + ".wal").exists()
    quiet_build(corpus, db)  # the next build cleans up what the killed one left
    assert temp_files(db.parent) == []
    assert bts_values(db) == before


def test_sigterm_removes_the_temporary_file(corpus: Path, tmp_path: Path, db: Path) -> None:
    quiet_build(corpus, db)
    big = tmp_path / "big"
    _big_corpus(big, 300)
    proc = run_etl(str(corpus), str(big), "--db", str(db), "--full")
    deadline = time.monotonic() + 60
    while not temp_files(db.parent) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert temp_files(db.parent) == []
    assert len(bts_values(db)) in (3, 303)  # old one, or the new one if it had just finished


def test_unwritable_location_is_a_clear_error_naming_the_path(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(WarehouseError, match="a-file"):
        quiet_build(corpus, blocker / "ictdash.duckdb")


def test_disk_full_leaves_no_partial_file_and_the_old_database(corpus: Path, tmp_path: Path, db: Path) -> None:
    quiet_build(corpus, db)
    before = bts_values(db)
    big = tmp_path / "big"
    _big_corpus(big, 200)
    limit = 2 * 1024 * 1024  # "disk full": no file of this process may grow beyond 2 MB

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([PY, "-m", "etl", "etl", str(corpus), str(big), "--db", str(db), "--quiet", "--full"],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=small_disk, timeout=300)
    assert proc.returncode != 0, proc.stdout
    assert "cannot write the warehouse" in proc.stderr and str(db) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert temp_files(db.parent) == []
    assert bts_values(db) == before


def test_population_reference_is_loaded_when_present(corpus: Path, db: Path,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    population = tmp_path / "population.csv"
    population.write_text("province_id,year,population,area_km2,basis,source_url\n"
                          "63-10,2020,740000,6364.0,census,https://example.org/gso\n", encoding="utf-8")
    monkeypatch.setattr(warehouse, "POPULATION_CSV", population)
    quiet_build(corpus, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT province_id, year, population FROM population").fetchall() == [
            ("63-10", 2020, 740000)]


def test_previous_database_with_other_columns_is_not_reused(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    with duckdb.connect(str(db)) as con:  # as if schema.sql had changed without a schema_version bump
        con.execute("ALTER TABLE documents ADD COLUMN surprise VARCHAR")
    summary = quiet_build(corpus, db)
    assert summary.n_read == 3 and any("other columns" in w for w in summary.warnings)
    assert len(bts_values(db)) == 3


def test_the_new_file_keeps_the_old_files_permissions(corpus: Path, db: Path) -> None:
    quiet_build(corpus, db)
    db.chmod(0o640)
    quiet_build(corpus, db)
    assert db.stat().st_mode & 0o777 == 0o640
