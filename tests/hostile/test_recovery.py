"""Data loss and recovery: what `ictdash etl|status|export` do with a --db path that holds something else,
with a damaged warehouse, and with wrong arguments, a closed pipe or Ctrl-C.

Every case runs the real command (or `etl.warehouse.build`) on real files: nothing that is not an ictdash
warehouse is ever overwritten, a damaged warehouse is moved aside (kept) and rebuilt, and every mistake is
one line on stderr with a meaningful exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from etl.warehouse import FAILPOINT_ENV, FAILPOINT_FILE_ENV, NotAWarehouse, build, usable_cores

from .corpus import PY, ROOT, report

EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 1, 2, 130, 141
BLOCK = 256 * 1024  # DuckDB's block size; the file starts with three 4 KiB headers
HEADERS = 3 * 4096


def write_corpus(folder: Path, n: int, base: int, filler: int = 0) -> dict[str, float]:
    """`n` reports with BTS values base, base+1, ... (and `filler` characters of prose each)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for i in range(n):
        name = f"r{i:03d}.txt"
        text = report(base + i, year=2000 + i % 25)
        if filler:
            text += "\n\n" + " ".join(f"Đoạn văn thứ {k} về chuyển đổi số của tỉnh." for k in range(filler // 40))
        (folder / name).write_text(text, encoding="utf-8")
        expected[name] = float(base + i)
    return expected


def content(db: Path) -> dict[str, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, value FROM observations WHERE indicator_id = 'bts_stations'").fetchall()
        con.execute("SELECT count(*) FROM facts").fetchall()
    return dict(rows)


def ictdash(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          **kwargs)


def etl(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return ictdash("etl", *args, "--quiet", "--curation", "", **kwargs)


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """stderr holds a one-line `error: ...` (a notice line may precede it) and no traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, proc.stderr
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    return errors[0]


def listing(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_corpus(folder, 3, 900)
    return folder


# --- data loss: --db naming something else ----------------------------------------------------------


def _other_duckdb(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
        con.execute("INSERT INTO customers VALUES (1, 'Nguyễn Văn A')")


NOT_A_WAREHOUSE = {
    "a report": lambda p: p.write_text(report(912), encoding="utf-8"),
    "a CSV": lambda p: p.write_text("province,year,value\nLào Cai,2013,912\n", encoding="utf-8"),
    "binary data": lambda p: p.write_bytes(os.urandom(64 * 1024)),
    "another DuckDB database": _other_duckdb,
    "a DuckDB database with a table named meta": lambda p: duckdb.connect(str(p)).execute(
        "CREATE TABLE meta (k VARCHAR)").close(),
}


@pytest.mark.parametrize("what", list(NOT_A_WAREHOUSE))
def test_etl_refuses_to_overwrite_a_file_that_is_not_a_warehouse(reports: Path, tmp_path: Path, what: str) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    target = folder / "important.duckdb"
    NOT_A_WAREHOUSE[what](target)
    before = listing(folder)
    proc = etl(str(reports), "--db", str(target))
    assert proc.returncode == EXIT_ERROR
    one_line_error(proc, str(target), "is not an ictdash warehouse", "Nothing was written")
    assert listing(folder) == before  # not a byte changed, and no lock, state or temporary file beside it


def test_a_folder_as_db_is_refused(reports: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.duckdb"
    folder.mkdir()
    proc = etl(str(reports), "--db", str(folder))
    assert proc.returncode == EXIT_ERROR
    one_line_error(proc, "is not an ictdash warehouse", "folder")


def test_an_empty_file_and_a_real_warehouse_are_built_over(reports: Path, tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    db.touch()  # an empty file holds nothing to lose
    assert etl(str(reports), "--db", str(db)).returncode == 0
    assert content(db) == {"r000.txt": 900.0, "r001.txt": 901.0, "r002.txt": 902.0}
    write_corpus(reports, 3, 5000)
    assert etl(str(reports), "--db", str(db)).returncode == 0
    assert content(db) == {"r000.txt": 5000.0, "r001.txt": 5001.0, "r002.txt": 5002.0}


# --- damaged warehouses: moved aside and rebuilt -----------------------------------------------------


def damaged_copies(db: Path, folder: Path) -> list[Path]:
    """One copy of `db` per data block, that block garbled (16 bytes every 4 KiB; the file header intact)."""
    data = db.read_bytes()
    copies = []
    for i, offset in enumerate(range(HEADERS, len(data), BLOCK)):
        garbled = bytearray(data)
        for at in range(offset + 8, min(offset + BLOCK, len(data)) - 16, 4096):
            garbled[at:at + 16] = bytes(b ^ 0xFF for b in garbled[at:at + 16])
        copy = folder / f"block{i:02d}.duckdb"
        copy.write_bytes(bytes(garbled))
        copies.append(copy)
    return copies


def readable(db: Path, sql: str) -> bool:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            con.execute(sql).fetchall()
        return True
    except duckdb.Error:
        return False


def test_a_warehouse_with_any_corrupted_block_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    expected = write_corpus(reports, 40, 900, filler=20_000)  # text enough for several blocks
    good = tmp_path / "good.duckdb"
    build([reports], good, curation_path=None, progress=False)
    copies = damaged_copies(good, tmp_path)
    assert len(copies) >= 3
    # the probe's case: the header and `meta` read fine, a table does not (etl crashed in _copy_unchanged
    # when it was documents or observations, etl --full in _copy_runs when it was runs)
    opens = [c for c in copies if readable(c, "SELECT count(*) FROM meta")]
    read_by_builds = {
        False: ("SELECT sum(length(text)), count(*) FROM documents", "SELECT * FROM observations",
                "SELECT * FROM runs"),
        True: ("SELECT * FROM runs",),
    }
    broken = {full: {c.name for c in opens if not all(readable(c, q) for q in read_by_builds[full])}
              for full in (False, True)}
    assert broken[False], "no corruption hit a table that a build reads: nothing tested"
    for full in (False, True):
        for copy in copies:
            db = tmp_path / ("full" if full else "incremental") / copy.name
            db.parent.mkdir(exist_ok=True)
            db.write_bytes(copy.read_bytes())
            summary = build([reports], db, full=full, curation_path=None, progress=False)
            assert content(db) == expected, copy.name
            aside = sorted(db.parent.glob(db.name + ".damaged-*"))
            if aside:  # kept and named in the summary
                assert aside[0].read_bytes() == copy.read_bytes()
                assert any(str(aside[0]) in w and "moved aside" in w for w in summary.warnings)
            reads_old = full or _fingerprint() == _fingerprint(good)  # (others may edit extraction code meanwhile)
            if copy.name in broken[full] and reads_old:
                assert aside, f"{copy.name}: a table the build reads is broken, yet it was not set aside"


def _fingerprint(db: Path | None = None) -> str:
    """The extraction fingerprint of the code on disk now, or the one `db` was built with: when they
    differ a build re-reads every report and never reads the old documents and observations."""
    if db is None:
        from etl.catalog import load_catalog
        from etl.warehouse import extraction_fingerprint

        return extraction_fingerprint(load_catalog().content_hash)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT value FROM meta WHERE key = 'extraction_fingerprint'").fetchall()[0][0]


def test_status_and_export_on_a_corrupted_warehouse_say_so_in_one_line(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    write_corpus(reports, 40, 900, filler=20_000)
    good = tmp_path / "good.duckdb"
    build([reports], good, curation_path=None, progress=False)
    copies = damaged_copies(good, tmp_path)
    status_sql = "SELECT status, count(*) FROM documents GROUP BY status"
    broken = next(c for c in copies if readable(c, "SELECT count(*) FROM meta") and not readable(c, status_sql))
    proc = ictdash("status", "--db", str(broken))
    assert proc.returncode == EXIT_ERROR
    one_line_error(proc, str(broken), "cannot be read", "ictdash etl")
    for copy in copies:  # export reads facts: whichever block is broken, a line or the rows, never a traceback
        proc = ictdash("export", "--db", str(copy), "--format", "csv", "--out", str(tmp_path / "out.csv"))
        assert proc.returncode in (0, EXIT_ERROR) and "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode:
            one_line_error(proc, str(copy))


def test_a_warehouse_with_meta_but_no_runs_is_moved_aside_and_rebuilt(reports: Path, tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
        con.execute("CREATE TABLE documents (doc_id VARCHAR)")
    before = db.read_bytes()
    for args in ((), ("--full",)):
        proc = etl(str(reports), "--db", str(db), *args)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr and "moved aside" in proc.stderr and "runs" in proc.stderr
        assert content(db) == {"r000.txt": 900.0, "r001.txt": 901.0, "r002.txt": 902.0}
        aside = sorted(tmp_path.glob("wh.duckdb.damaged-*"))
        assert aside and aside[0].read_bytes() == before
        db.unlink()
        db.write_bytes(before)
        for extra in aside:
            extra.unlink()


def test_a_database_rewritten_in_place_with_its_mtime_restored_is_not_trusted(reports: Path,
                                                                               tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    assert etl(str(reports), "--db", str(db)).returncode == 0
    st = db.stat()
    with duckdb.connect(str(db)) as con:  # tampered in place: same inode
        con.execute("UPDATE facts SET value = 1")
        con.execute("CHECKPOINT")
    size_after = db.stat().st_size
    if size_after != st.st_size:  # keep the size too, so only the change time can tell
        with open(db, "r+b") as handle:
            handle.truncate(st.st_size) if size_after > st.st_size else handle.write(b"")
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert db.stat().st_ino == st.st_ino and db.stat().st_mtime_ns == st.st_mtime_ns
    proc = etl(str(reports), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "nothing changed" not in proc.stdout  # the build looked again ...
    with duckdb.connect(str(db), read_only=True) as con:  # ... and the facts are the reports' again
        assert sorted(v for (v,) in con.execute(
            "SELECT value FROM facts WHERE indicator_id = 'bts_stations'").fetchall()) == [900.0, 901.0, 902.0]


# --- wrong arguments: one line, the right exit code --------------------------------------------------


@pytest.fixture
def warehouse(reports: Path, tmp_path: Path) -> Path:
    db = tmp_path / "wh" / "ictdash.duckdb"
    build([reports], db, curation_path=None, progress=False)
    return db


def test_export_to_an_unknown_suffix_or_a_missing_folder_is_one_line(warehouse: Path, tmp_path: Path) -> None:
    proc = ictdash("export", "--db", str(warehouse), "--out", str(tmp_path / "x.txt"))
    assert proc.returncode == EXIT_USAGE
    one_line_error(proc, "x.txt", ".csv, .xlsx or .parquet")
    missing = tmp_path / "missing" / "dir" / "x.csv"
    proc = ictdash("export", "--db", str(warehouse), "--out", str(missing))
    assert proc.returncode == EXIT_ERROR
    one_line_error(proc, str(missing.parent), "does not exist")
    proc = ictdash("export", "--db", str(warehouse), "--format", "csv", "--out", str(tmp_path))
    assert proc.returncode == EXIT_ERROR
    one_line_error(proc, "is a folder")
    assert not (tmp_path / "missing").exists()


def test_status_with_a_negative_run_count_is_a_usage_error(warehouse: Path) -> None:
    proc = ictdash("status", "--db", str(warehouse), "--runs", "-1")
    assert proc.returncode == EXIT_USAGE and "Traceback" not in proc.stderr
    assert "negative" in proc.stderr
    proc = ictdash("status", "--db", str(warehouse), "--runs", "0")
    assert proc.returncode == 0 and "recent runs:" in proc.stdout


@pytest.mark.parametrize("command", ["status", "export"])
def test_a_closed_pipe_ends_quietly(warehouse: Path, command: str) -> None:
    """`ictdash status | head -1`: the reader goes away; no BrokenPipeError traceback."""
    args = [PY, "-m", "etl", command, "--db", str(warehouse)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # nobody reads: the first write fails with EPIPE
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert proc.returncode == EXIT_BROKEN_PIPE


# Run `command` with SIGINT at its default, as a terminal's foreground job has it. A process started in the
# background by a non-interactive shell (`suite &`, nohup, CI runners) inherits SIGINT *ignored*, an ignored
# signal stays ignored across exec, and Python then installs no KeyboardInterrupt handler: Ctrl-C would do
# nothing and the test would wait forever (it failed that way in every run of tests/hostile/run_loaded.sh
# started in the background). A shell cannot undo an inherited ignore; Python can, just before exec.
RESET_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                "os.execv(sys.argv[1], sys.argv[1:])")


def in_a_terminal(command: list[str]) -> list[str]:
    return [PY, "-c", RESET_SIGINT, *command]


def test_ctrl_c_during_a_build_is_one_line_and_keeps_the_warehouse(warehouse: Path, reports: Path,
                                                                     tmp_path: Path) -> None:
    before = content(warehouse)
    write_corpus(reports, 120, 5000)
    marker = tmp_path / "failpoint.json"
    env = os.environ | {FAILPOINT_ENV: "workers-running", FAILPOINT_FILE_ENV: str(marker)}
    command = [PY, "-m", "etl", "etl", str(reports), "--db", str(warehouse), "--curation", "", "--quiet", "--full",
               "--jobs", "2"]
    proc = subprocess.Popen(in_a_terminal(command), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the build never reached its failpoint"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole foreground process group
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert "Traceback" not in err and err.strip() == "interrupted", err
    assert content(warehouse) == before
    assert not [p for p in warehouse.parent.iterdir() if p.name.startswith(".build-")]


def test_jobs_beyond_the_cores_are_capped_with_a_notice(reports: Path, tmp_path: Path) -> None:
    write_corpus(reports, 60, 5000)
    marker = tmp_path / "failpoint.json"
    env = os.environ | {FAILPOINT_ENV: "workers-running", FAILPOINT_FILE_ENV: str(marker)}
    proc = subprocess.Popen([PY, "-m", "etl", "etl", str(reports), "--db", str(tmp_path / "wh.duckdb"),
                             "--curation", "", "--quiet", "--jobs", "1000"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the build never reached its failpoint"
            time.sleep(0.02)
        reached = json.loads(marker.read_text())
        tree = psutil.Process(proc.pid).children(recursive=True)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    cores = usable_cores()
    assert len(reached["children"]) <= cores and len(tree) <= cores + 1  # (+1: multiprocessing's tracker)
    assert f"--jobs 1000 is more than this machine's {cores} core(s); using {cores}" in err


def test_a_db_path_in_an_unwritable_place_or_empty_is_a_clear_error_at_once(reports: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    proc = etl(str(reports), "--db", "/proc/ictdash-test.duckdb")
    assert proc.returncode == EXIT_ERROR
    line = one_line_error(proc, "/proc")
    assert "another ictdash build" not in line
    assert time.monotonic() - started < 30  # no wait for a lock nobody holds (it waited 60 s)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    proc = subprocess.run([PY, "-m", "etl", "etl", str(reports), "--db", "", "--quiet", "--curation", ""],
                          cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert proc.returncode == EXIT_USAGE and "Traceback" not in proc.stderr
    assert "empty path" in proc.stderr
    assert list(cwd.iterdir()) == [] and not list(tmp_path.glob("*.lock"))  # no lock files anywhere


def test_the_build_api_refuses_too(reports: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.duckdb"
    target.write_text("my notes", encoding="utf-8")
    with pytest.raises(NotAWarehouse):
        build([reports], target, curation_path=None, progress=False)
    assert target.read_text(encoding="utf-8") == "my notes"
