"""Faults during a build: SIGKILL at chosen moments, a full disk, a read-only folder, two builds at once.

Every case starts from a good warehouse and checks that it still opens with exactly its previous content
(or, once the new file is in place, exactly the new content), that no temporary or WAL file is left
behind once the next build has run, and that the user gets a clear message rather than a traceback.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import psutil
import pytest

from etl.warehouse import FAILPOINT_ENV, FAILPOINT_FILE_ENV, WarehouseError, build

from .corpus import PY, ROOT, limit_file_size, report

# Runs `ictdash etl ...` but sends itself SIGKILL when etl.warehouse.<target> is called for the <nth> time,
# before or after the call: a crash at a precise moment of the build, with no timing involved.
KILL_AT = """
import os, signal, sys
from etl import warehouse
from etl.cli import main

target, nth, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
original = getattr(warehouse, target)
calls = 0

def dying(*args, **kwargs):
    global calls
    calls += 1
    if calls == nth and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if calls == nth and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(warehouse, target, dying)
sys.exit(main(sys.argv[4:]))
"""

# Runs `ictdash etl ...` but pauses when etl.warehouse.<target> is first called, until the file <go> exists.
PAUSE_AT = """
import sys, time
from pathlib import Path
from etl import warehouse
from etl.cli import main

target, go = sys.argv[1], Path(sys.argv[2])
original = getattr(warehouse, target)

def paused(*args, **kwargs):
    deadline = time.monotonic() + 300
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return original(*args, **kwargs)

setattr(warehouse, target, paused)
sys.exit(main(sys.argv[3:]))
"""

MOMENTS = {  # name -> (function of etl.warehouse, call number, before/after it, is the new file in place?)
    "while reading the second file": ("process_file", 2, "before", False),
    "after rows went into the new file": ("_insert_results", 1, "after", False),
    "while curation is applied": ("_apply_curation", 1, "before", False),
    "while facts are materialized": ("_materialize_facts", 1, "before", False),
    "new file complete, before the swap": ("_swap_in", 1, "before", False),
    "just after the swap, lock still held": ("_swap_in", 1, "after", True),
}


def write_corpus(folder: Path, n: int, base: int) -> dict[str, float]:
    """`n` reports r000.txt ... with BTS values base, base+1, ...; returns doc_id -> value."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for i in range(n):
        name = f"r{i:03d}.txt"
        (folder / name).write_text(report(base + i, year=2000 + i % 25), encoding="utf-8")
        expected[name] = float(base + i)
    return expected


def content(db: Path) -> dict[str, float]:
    """doc_id -> BTS value, read through a fresh read-only connection (the file must open cleanly)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, value FROM observations WHERE indicator_id = 'bts_stations'").fetchall()
        con.execute("SELECT count(*) FROM facts").fetchall()
    return dict(rows)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".build-") or p.name.endswith(".wal"))


def etl_command(*args: str) -> list[str]:
    return [PY, "-m", "etl", "etl", *args, "--quiet", "--curation", ""]


def quiet_build(paths: list[Path], db: Path, **kwargs) -> object:
    return build(paths, db, curation_path=None, progress=False, **kwargs)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, dict[str, float]]:
    """A good warehouse (5 reports) and a folder whose next build would change every value."""
    reports, db = tmp_path / "reports", tmp_path / "wh" / "ictdash.duckdb"
    before = write_corpus(reports, 5, 900)
    quiet_build([reports], db)
    assert content(db) == before
    return reports, db, before


# --- SIGKILL ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigkill_at_a_chosen_moment_leaves_a_complete_warehouse(previous, moment: str) -> None:
    reports, db, before = previous
    after = write_corpus(reports, 8, 5100)  # every value changes, three files are new
    target, nth, when, swapped = MOMENTS[moment]
    proc = subprocess.run([PY, "-c", KILL_AT, target, str(nth), when, "etl", str(reports), "--db", str(db),
                           "--quiet", "--curation", "", "--full"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert content(db) == (after if swapped else before)  # opens, and holds one whole version
    assert not db.with_name(db.name + ".wal").exists()
    summary = quiet_build([reports], db, lock_timeout=5)  # not blocked by the dead build's lock
    assert content(db) == after and summary.n_failed == 0
    assert leftovers(db.parent) == []  # the dead build's temporary files are cleaned up


def start_at_failpoint(name: str, marker: Path, *args: str) -> subprocess.Popen:
    """`ictdash etl *args` in its own process group, stopping at failpoint `name` (etl.warehouse.FAILPOINTS)."""
    env = os.environ | {FAILPOINT_ENV: name, FAILPOINT_FILE_ENV: str(marker)}
    return subprocess.Popen(etl_command(*args), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def wait_for_marker(proc: subprocess.Popen, marker: Path, timeout: float = 240) -> dict:
    """The failpoint's marker once the build has reached it (a bounded wait for an event, not a guess)."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the build exited ({proc.returncode}) before its failpoint: "
                                 f"{proc.communicate()[1].decode(errors='replace')[-2000:]}")
        assert time.monotonic() < deadline, f"the build did not reach its failpoint within {timeout} s"
        time.sleep(0.02)
    return json.loads(marker.read_text(encoding="utf-8"))


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the build and its worker processes, as the OOM killer or a power cut would."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)


def gone(process: psutil.Process) -> bool:
    """The process no longer runs (reaped, or a zombie waiting for init); a reused pid is not it."""
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def all_gone(processes: list[psutil.Process], timeout: float = 60) -> bool:
    """Whether every process has died within `timeout` s: SIGKILL is delivered at once, but a process in
    the middle of a system call (disk I/O under load) dies when that call returns."""
    deadline = time.monotonic() + timeout
    while not all(gone(p) for p in processes):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_failpoints_are_inert_unless_named_and_each_is_placed_in_the_build(monkeypatch) -> None:
    from etl import warehouse

    monkeypatch.delenv(FAILPOINT_ENV, raising=False)
    for name in warehouse.FAILPOINTS:
        warehouse.failpoint(name)  # returns at once: no marker, no sleep
    monkeypatch.setenv(FAILPOINT_ENV, "some-other-point")
    warehouse.failpoint("before-swap")
    source = Path(warehouse.__file__).read_text(encoding="utf-8")
    for name in warehouse.FAILPOINTS:
        assert source.count(f'failpoint("{name}")') == 1, name


# failpoint -> is the new file in place when the build is killed there?
FAILPOINT_CASES = {"workers-running": False, "before-swap": False, "after-swap": True}


@pytest.mark.parametrize("name", list(FAILPOINT_CASES))
def test_sigkill_of_a_build_and_its_workers_at_a_failpoint(previous, tmp_path: Path, name: str) -> None:
    reports, db, before = previous
    after = write_corpus(reports, 200, 6100)  # every value changes; 195 files are new
    marker = tmp_path / "failpoint.json"
    proc = start_at_failpoint(name, marker, str(reports), "--db", str(db), "--jobs", "2", "--full")
    workers: list[psutil.Process] = []
    try:
        reached = wait_for_marker(proc, marker)
        assert reached["failpoint"] == name and reached["pid"] == proc.pid
        temp = [p for p in leftovers(db.parent) if p.endswith(".duckdb")]
        if name == "workers-running":  # proves the kill lands mid-extraction: workers alive, new file open
            assert reached["children"], "no worker process was running at the failpoint"
            workers = [psutil.Process(pid) for pid in reached["children"]]
            assert not any(gone(w) for w in workers)
            assert temp, "the new database file did not exist yet"
        elif name == "before-swap":  # the new file is whole: only the missing os.replace keeps it out
            assert len(temp) == 1
            assert content(db.parent / temp[0]) == after
            assert content(db) == before
        else:
            assert temp == [] and content(db) == after
    finally:
        kill_group(proc)
    assert proc.returncode == -signal.SIGKILL
    assert all_gone(workers), "a worker survived the kill"
    assert content(db) == (after if FAILPOINT_CASES[name] else before)  # opens, and holds one whole version
    assert not db.with_name(db.name + ".wal").exists()
    summary = quiet_build([reports], db, lock_timeout=5)  # not blocked by the dead build's lock
    assert content(db) == after and summary.n_failed == 0
    assert leftovers(db.parent) == []  # the dead build's temporary files are cleaned up


def test_sigkill_of_a_build_and_its_workers_at_a_random_moment(previous, tmp_path: Path) -> None:
    """A kill at a moment nobody chose: either whole version is correct, never a mix, never a broken file."""
    reports, db, before = previous
    after = write_corpus(reports, 200, 6100)
    seed = int(os.environ.get("ICTDASH_KILL_SEED") or secrets.randbits(32))
    delay = random.Random(seed).uniform(0.0, 3.0)  # a 200-report --jobs 2 build takes about 1.5-4 s here
    proc = subprocess.Popen(etl_command(str(reports), "--db", str(db), "--jobs", "2", "--full"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.wait(timeout=delay)  # (if it finishes first, the kill finds nothing: the new version stands)
    except subprocess.TimeoutExpired:
        pass
    finally:
        kill_group(proc)
    note = f"ICTDASH_KILL_SEED={seed} (kill after {delay:.2f} s, exit {proc.returncode})"
    assert proc.returncode in (0, -signal.SIGKILL), note
    assert content(db) in (before, after), note  # opens, and holds one whole version
    quiet_build([reports], db, lock_timeout=5)
    assert content(db) == after and leftovers(db.parent) == [], note


# --- full disk, read-only folder ------------------------------------------------------------------------


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A real small filesystem at `folder` (root with mount rights only; else the test is skipped)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the RLIMIT_FSIZE and chmod "
                    "variants cover this fault")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_full_disk_file_size_limit_gives_a_clear_error_and_no_partial_file(previous, tmp_path: Path) -> None:
    reports, db, before = previous
    write_corpus(reports, 8, 5100)
    proc = subprocess.run(etl_command(str(reports), "--db", str(db), "--full"), cwd=ROOT, capture_output=True,
                          text=True, preexec_fn=lambda: limit_file_size(2 * 1024**2), timeout=300)
    assert proc.returncode == 1, proc.stdout
    assert "cannot write the warehouse" in proc.stderr and str(db) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert leftovers(db.parent) == []
    assert content(db) == before


def test_full_disk_on_a_real_small_filesystem(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    before = write_corpus(reports, 5, 900)
    with tmpfs(tmp_path / "disk", "6m") as disk:
        db = disk / "ictdash.duckdb"
        quiet_build([reports], db)
        assert content(db) == before
        write_corpus(reports, 60, 5100)
        with pytest.raises(WarehouseError) as caught:
            quiet_build([reports], db, full=True)
        message = str(caught.value)
        assert str(db) in message and "previous database is unchanged" in message
        assert "No space left on device" in message or "space" in message.lower()
        assert leftovers(disk) == []
        assert content(db) == before


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make an existing folder read-only: remount its tmpfs read-only, or chmod 555 when not root."""
    remount = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
    if remount.returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], capture_output=True)
        return
    if os.geteuid() == 0:
        pytest.skip("as root without mount rights a folder cannot be made read-only (root ignores chmod)")
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


@contextmanager
def own_folder(folder: Path, size: str = "64m") -> Iterator[Path]:
    """`folder` on its own tmpfs when mounting is allowed (so it can be remounted read-only), else plain."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    try:
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_read_only_warehouse_folder_gives_a_clear_error_and_keeps_the_warehouse(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    before = write_corpus(reports, 5, 900)
    with own_folder(tmp_path / "data") as data:
        db = data / "ictdash.duckdb"
        quiet_build([reports], db)
        write_corpus(reports, 8, 5100)
        with read_only(data):
            with pytest.raises(WarehouseError) as caught:
                quiet_build([reports], db, full=True)
            assert str(db) in str(caught.value) or str(data) in str(caught.value)
            proc = subprocess.run(etl_command(str(reports), "--db", str(db)), cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
            assert proc.returncode == 1 and "error:" in proc.stderr and "Traceback" not in proc.stderr
            assert leftovers(data) == []
            assert content(db) == before


def test_read_only_reports_folder_is_read_and_left_untouched(tmp_path: Path) -> None:
    with own_folder(tmp_path / "reports") as reports:
        expected = write_corpus(reports, 5, 900)
        listing = {p.name: p.read_bytes() for p in reports.iterdir()}
        with read_only(reports):
            summary = quiet_build([reports], tmp_path / "wh.duckdb")
            assert summary.n_failed == 0
            assert content(tmp_path / "wh.duckdb") == expected
            assert {p.name: p.read_bytes() for p in reports.iterdir()} == listing


# --- two builds at once ---------------------------------------------------------------------------------


def test_two_builds_at_once_one_refuses_one_waits_nothing_is_corrupted(previous, tmp_path: Path) -> None:
    reports, db, before = previous
    after = write_corpus(reports, 8, 5100)
    go = tmp_path / "go"
    pid_file = db.with_name(db.name + ".lock.pid")
    # the first build holds the lock and pauses halfway (its new file filled) until `go` exists
    first = subprocess.Popen([PY, "-c", PAUSE_AT, "_apply_curation", str(go), "etl", str(reports), "--db", str(db),
                              "--quiet", "--curation", "", "--full"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    waiting = None
    try:
        deadline = time.monotonic() + 120
        while not (pid_file.exists() and pid_file.read_text().strip() == str(first.pid)):
            assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
            time.sleep(0.02)
        refusing = subprocess.run(etl_command(str(reports), "--db", str(db), "--wait", "0"), cwd=ROOT,
                                  capture_output=True, text=True, timeout=300)
        assert refusing.returncode == 3, refusing.stderr
        assert f"another ictdash build is running (pid {first.pid})" in refusing.stderr
        waiting = subprocess.Popen([PY, "-m", "etl", "etl", str(reports), "--db", str(db), "--curation", "",
                                    "--wait", "300"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        announced = _first_line_with(waiting, "waiting up to", timeout=120)
        assert f"(pid {first.pid})" in announced  # it waits for the first build ...
        assert content(db) == before  # ... and the readers still see the previous warehouse
    finally:
        go.touch()  # the first build goes on
    deadline = time.monotonic() + 300
    while (first.poll() is None or waiting.poll() is None) and time.monotonic() < deadline:
        assert content(db) in (before, after)  # a reader throughout: always a whole warehouse
        time.sleep(0.05)
    assert first.wait(timeout=60) == 0, first.communicate()[1]
    assert waiting.wait(timeout=60) == 0
    assert "nothing changed since that run" in waiting.communicate()[0]  # the first build did the work
    assert content(db) == after and leftovers(db.parent) == []
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchall()[0][0] == 2  # previous, first


def _first_line_with(proc: subprocess.Popen, needle: str, timeout: float) -> str:
    """The first line of `proc`'s stderr containing `needle` (read in a thread, so a silent process cannot hang us)."""
    found: list[str] = []
    seen = threading.Event()

    def read() -> None:
        for line in proc.stderr:  # read to the end, so the pipe never fills and blocks the process
            if needle in line and not found:
                found.append(line)
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    assert seen.wait(timeout), f"no line with {needle!r} on stderr within {timeout} s"
    return found[0]
