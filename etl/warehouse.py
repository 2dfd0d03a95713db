"""Build the DuckDB warehouse from report files, atomically and incrementally.

A build writes a NEW database file next to the target (`.build-<pid>-<rand>.duckdb`), fills it,
checkpoints and closes it, then `os.replace`s it onto the target: readers only ever see a complete
database, and a build that fails or is killed leaves the previous one as it was. A lock file
(`<db>.lock`) keeps two builds of the same database apart.

Incremental: a file whose name, path, bytes (sha256), manifest metadata and extraction fingerprint
(extractor version + catalog hash + the reading/extraction code and data files) match the previous
database is copied over from it without being read; everything else is read and extracted, in
worker processes when `jobs > 1`. Curation is applied afresh on every build.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import Any

import duckdb
from filelock import FileLock, Timeout

import etl
from etl.curation import CurationReport, apply, load_curation
from etl.defaults import DEFAULT_CURATION, LOCK_TIMEOUT_S, POPULATION_CSV
from etl.process import FileResult, Task, process_chunk, process_file, warm_worker

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = PACKAGE_DIR / "schema.sql"
BATCH_FILES = 200  # documents buffered before a bulk insert
IN_FLIGHT_PER_WORKER = 4  # chunks submitted ahead per worker process

# Files under etl/ that do not influence reading or extraction (not part of the fingerprint).
_NOT_EXTRACTION = {"warehouse.py", "curation.py", "export.py", "cli.py", "queries.py", "extract_cli.py",
                   "__main__.py", "schema.sql", "geo.py", "defaults.py"}
_WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EDQUOT, errno.ENOTDIR}
_TEMP_NAME = re.compile(r"^\.build-(\d+)-[0-9a-f]+\.duckdb(\.wal|\.tmp)?$")


# --- failpoints (fault injection for tests) --------------------------------------------------------

FAILPOINT_ENV = "ICTDASH_FAILPOINT"
FAILPOINT_FILE_ENV = "ICTDASH_FAILPOINT_FILE"
FAILPOINT_MAX_WAIT_S = 600.0
FAILPOINTS = {
    "workers-running": "the first file's result is in, the new database file exists and is being filled, "
                       "and with --jobs > 1 the worker processes are still extracting the other files",
    "before-swap": "the new database file is complete, checkpointed and closed, the lock is held, "
                   "os.replace has not run: the previous warehouse is still the one in place",
    "after-swap": "os.replace has put the new file in place; the lock is still held and <db>.state.json "
                  "is not written yet",
}


def failpoint(name: str) -> None:
    """Stop here, for a test to kill the build at exactly this moment (a FreeBSD/TiKV-style failpoint).

    When the environment variable ICTDASH_FAILPOINT equals `name` (one of FAILPOINTS), the build writes
    a marker file -- the path in ICTDASH_FAILPOINT_FILE, atomically: {"failpoint", "pid", "children"},
    `children` being the pids of the worker processes alive at that moment -- and then sleeps until it
    is killed (after FAILPOINT_MAX_WAIT_S it exits with status 70, so a forgotten process never lingers).
    A test waits for the marker (a bounded wait), SIGKILLs the process group and checks what the kill
    left: no sleep decides the outcome. Unset (always, outside tests) it costs one dict lookup.
    """
    if os.environ.get(FAILPOINT_ENV) != name:
        return
    marker = os.environ.get(FAILPOINT_FILE_ENV)
    if marker:
        children = sorted(p.pid for p in multiprocessing.active_children() if p.pid)
        payload = json.dumps({"failpoint": name, "pid": os.getpid(), "children": children})
        part = f"{marker}.{os.getpid()}.part"
        with open(part, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(part, marker)
    deadline = time.monotonic() + FAILPOINT_MAX_WAIT_S
    while time.monotonic() < deadline:
        time.sleep(1.0)
    os._exit(70)


class WarehouseError(RuntimeError):
    """The build could not produce a database; the message names the path and what to do."""


class BuildLocked(WarehouseError):
    """Another build holds the lock of the same database."""


class NotAWarehouse(WarehouseError):
    """The --db path holds something that is not an ictdash warehouse; nothing was written."""


class _PreviousUnreadable(Exception):
    """Reading the previous warehouse failed (a corrupt block, a missing table): set it aside, rebuild."""


@dataclass
class FileOutcome:
    """One input file's fate in a run (for the summary and runs.details)."""

    doc_id: str
    path: str
    status: str  # ok | empty | failed | unchanged
    n_values: int = 0
    message: str | None = None
    n_dropped: int = 0
    read: bool = False  # read and extracted in this run (not copied over, not refused before reading)


@dataclass
class RunSummary:
    """The result of one build, as the CLI prints it and runs.details stores it."""

    run_id: str
    db_path: str
    started_at: datetime
    finished_at: datetime
    files: list[FileOutcome]
    values_by_indicator: dict[str, int]
    n_conflicts: int
    curation: CurationReport
    warnings: list[str] = field(default_factory=list)
    kept: bool = False  # nothing had changed: the warehouse was left as it was, not rebuilt
    signature: str = ""  # build_signature of a clean run's inputs ("" after failures)

    def _count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def n_files(self) -> int:
        return len(self.files)

    @property
    def n_read(self) -> int:
        """Files read and extracted in this run (not copied over), whatever their outcome."""
        return sum(1 for f in self.files if f.read)

    @property
    def n_extracted(self) -> int:
        """Files read and extracted successfully in this run."""
        return self._count("ok")

    @property
    def n_unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def n_failed(self) -> int:
        return self._count("failed")

    @property
    def n_empty(self) -> int:
        return self._count("empty")

    @property
    def n_values(self) -> int:
        return sum(self.values_by_indicator.values())

    @property
    def loaded_anything(self) -> bool:
        """False when there was no input or every file failed or was empty."""
        return any(f.status in ("ok", "unchanged") for f in self.files)

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def details(self) -> dict[str, Any]:
        return {
            "files": [{"doc_id": f.doc_id, "path": f.path, "status": f.status, "n_values": f.n_values,
                       "message": f.message, "n_dropped": f.n_dropped, "read": f.read} for f in self.files],
            "warnings": self.warnings,
            "curation": self.curation.to_dict(),
            "values_by_indicator": self.values_by_indicator,
            "n_conflicts": self.n_conflicts,
            "seconds": round(self.seconds, 3),
        }


# --- the build ------------------------------------------------------------------------------------


def build(
    paths: list[Path],
    db_path: Path,
    *,
    full: bool = False,
    jobs: int = 1,
    curation_path: Path | None = DEFAULT_CURATION,
    progress: bool = True,
    lock_timeout: float = LOCK_TIMEOUT_S,
    follow_links: bool = False,
) -> RunSummary:
    """Build the warehouse at `db_path` from the report files/folders in `paths`; see the module doc.

    When nothing could be loaded (no input, every file failed) an existing warehouse is kept as it was.
    Symbolic links out of the given folders are read only with `follow_links` (see `etl.read.discover`).
    Raises BuildLocked when another build holds the database for longer than `lock_timeout` seconds,
    WarehouseError when the database cannot be written (read-only folder, disk full, ...).
    """
    if not str(db_path).strip():
        raise WarehouseError("no database path given (--db ''); name a file such as data/ictdash.duckdb")
    db_path = Path(db_path).absolute()
    folder = db_path.parent
    jobs = max(1, min(jobs, usable_cores()))
    if not read_state(db_path):  # (a file this code built and recorded is ours: no need to look inside)
        _refuse_foreign(db_path)  # before the lock file is created: a refused path is left untouched
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the folder for {db_path}: {exc.strerror or exc}") from exc
    with build_lock(db_path, lock_timeout, announce=progress):
        remove_stale_builds(folder)
        # a full (or first) build reads every file: start the workers now, they import while the inputs are
        # hashed; an incremental build starts them only when more than one file needs reading
        pool = start_workers(jobs) if jobs > 1 and (full or not db_path.exists()) else None
        try:
            return _build_or_keep(db_path, paths, full=full, jobs=jobs, pool=pool, curation_path=curation_path,
                                  progress=progress, follow_links=follow_links)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _build_or_keep(db_path: Path, paths: list[Path], *, full: bool, jobs: int, pool: ProcessPoolExecutor | None,
                   curation_path: Path | None, progress: bool, follow_links: bool = False) -> RunSummary:
    from etl.read import discover

    started = datetime.now(UTC).replace(tzinfo=None)
    notes: list[str] = []  # manifest rows' problems, a damaged warehouse set aside: the run's warnings
    inputs, discover_errors = discover(paths, follow_links=follow_links, warnings=notes)
    state = {} if full else read_state(db_path)
    hashed = _hash_inputs(inputs, state.get("files", {}))
    if not full and not discover_errors:
        kept = _unchanged_since_last_build(db_path, state, hashed, curation_path, started)
        if kept is not None:
            return kept
    kind, what = _refuse_foreign(db_path)  # again under the lock: this is what decides
    if kind == "damaged":
        notes.append(_set_aside(db_path, what))
    tmp = _temp_name(db_path)
    try:
        try:
            summary = _build_into(tmp, db_path, hashed, discover_errors, full=full, jobs=jobs, pool=pool,
                                  curation_path=curation_path, progress=progress, notes=notes)
        except _PreviousUnreadable as exc:  # a corrupt block or table met while copying from it
            _remove_temp(tmp)
            notes.append(_set_aside(db_path, str(exc)))
            tmp = _temp_name(db_path)
            summary = _build_into(tmp, db_path, hashed, discover_errors, full=True, jobs=jobs, pool=None,
                                  curation_path=curation_path, progress=progress, notes=notes)
        if summary.loaded_anything or not db_path.exists():
            failpoint("before-swap")
            _swap_in(tmp, db_path)
            failpoint("after-swap")
            write_state(db_path, hashed, summary)
        else:  # a mistyped folder or a batch of broken files must not wipe a good warehouse
            summary.warnings.append(f"nothing could be loaded; the previous warehouse {db_path} is kept "
                                    "unchanged")
    except (duckdb.IOException, duckdb.FatalException, OSError) as exc:  # disk full, read-only, ...
        if isinstance(exc, OSError) and exc.errno not in _WRITE_ERRNOS:
            raise WarehouseError(f"cannot build the warehouse {db_path}: {_reason(exc)}. "
                                 "The previous database is unchanged.") from exc
        raise WarehouseError(
            f"cannot write the warehouse {db_path} (via {tmp.name}): {_reason(exc)}; "
            "check that the folder is writable and the disk has space. The previous database is unchanged."
        ) from exc
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _remove_temp(tmp)
    return summary


def _materialize_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Store the `facts` view's rows as a table of the same name: observations are final by now, and
    pages then read a small table instead of ranking every observation on each query."""
    con.execute("CREATE TABLE facts_table AS SELECT * FROM facts ORDER BY indicator_id, province_id, year")
    con.execute("DROP VIEW facts")
    con.execute("ALTER TABLE facts_table RENAME TO facts")

def _temp_name(db_path: Path) -> Path:
    return db_path.parent / f".build-{os.getpid()}-{secrets.token_hex(4)}.duckdb"


def _build_into(tmp: Path, db_path: Path, hashed: list[_Hashed], discover_errors: list, *, full: bool,
                jobs: int, pool: ProcessPoolExecutor | None, curation_path: Path | None,
                progress: bool, notes: list[str] | None = None) -> RunSummary:
    from etl.catalog import load_catalog

    started = datetime.now(UTC).replace(tzinfo=None)
    run_id = f"{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    catalog = load_catalog()
    fingerprint = extraction_fingerprint(catalog.content_hash)
    warnings: list[str] = list(notes or [])

    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        previous = _attach_previous(con, db_path, fingerprint, full, warnings)
        _load_reference(con, catalog, warnings)

        outcomes: list[FileOutcome] = []
        plan = _plan(hashed, discover_errors, previous, outcomes)
        bar = _progress_bar(len(plan.unchanged) + len(plan.todo) + len(outcomes), progress)
        try:
            bar.update(len(outcomes))
            if plan.unchanged:
                with _reading_previous():
                    _copy_unchanged(con, plan.unchanged)
                outcomes.extend(FileOutcome(d, previous.paths[d], "unchanged", previous.n_values[d])
                                for d in plan.unchanged)
                bar.update(len(plan.unchanged))
            batch: list[FileResult] = []
            results = _process_all(plan.todo, jobs, pool)  # (workers start here unless --full started them)
            try:
                for i, result in enumerate(results):
                    outcomes.append(_outcome(result))
                    batch.append(result)
                    if i == 0:
                        failpoint("workers-running")
                    if len(batch) >= BATCH_FILES:
                        _insert_results(con, batch)
                        batch = []
                    bar.update(1)
            finally:
                results.close()  # stops worker processes at once if anything went wrong
            _insert_results(con, batch)
        finally:
            bar.close()

        report = _apply_curation(con, curation_path)
        _materialize_facts(con)
        values = dict(con.execute(
            "SELECT indicator_id, count(*) FROM observations WHERE review_status <> 'rejected' "
            "GROUP BY indicator_id ORDER BY indicator_id").fetchall())
        conflicts = con.execute("SELECT count(*) FROM facts WHERE n_disagree > 0").fetchall()[0][0]
        outcomes.sort(key=lambda o: o.path)
        summary = RunSummary(run_id=run_id, db_path=str(db_path), started_at=started, finished_at=started,
                             files=outcomes, values_by_indicator=values, n_conflicts=int(conflicts),
                             curation=report, warnings=warnings)
        if previous.attached:
            with _reading_previous():
                _copy_runs(con)
            con.execute("DETACH old")
        summary.finished_at = datetime.now(UTC).replace(tzinfo=None)
        clean = all(o.status in ("ok", "unchanged") for o in outcomes) and not discover_errors
        summary.signature = build_signature(hashed, curation_path) if clean else ""  # failures: re-read next time
        _write_run(con, summary, catalog.content_hash, fingerprint, summary.signature)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return summary


# --- lock, temp files, swap -----------------------------------------------------------------------


@contextmanager
def build_lock(db_path: Path, timeout: float, *, announce: bool = False) -> Iterator[None]:
    """Hold `<db>.lock` for the duration (our pid in `<db>.lock.pid`); BuildLocked after `timeout` seconds."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    pid_path = db_path.with_name(db_path.name + ".lock.pid")
    try:  # filelock retries any OSError until the timeout, as if another build held the lock
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise WarehouseError(f"cannot create the lock file {lock_path}: {_reason(exc)}; the folder "
                             f"{db_path.parent} must be a writable folder") from exc
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if announce:
                print(f"waiting up to {timeout:g} s for another ictdash build (pid {_lock_holder(pid_path)})…",
                      file=sys.stderr)
            lock.acquire(timeout=timeout)
    except Timeout:
        raise BuildLocked(f"another ictdash build is running (pid {_lock_holder(pid_path)}) on {db_path}; "
                          f"waited {timeout:g} s. Try again when it has finished.") from None
    except OSError as exc:
        raise WarehouseError(f"cannot create the lock file {lock_path}: {_reason(exc)}") from exc
    try:
        with suppress(OSError):
            pid_path.write_text(f"{os.getpid()}\n")
        yield
    finally:
        lock.release()


def _lock_holder(pid_path: Path) -> str:
    try:
        return pid_path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"


def remove_stale_builds(folder: Path) -> list[Path]:
    """Delete temporary databases left by builds whose process is gone; returns what was removed."""
    removed = []
    for entry in folder.iterdir() if folder.is_dir() else ():
        match = _TEMP_NAME.match(entry.name)
        if not match or _pid_alive(int(match.group(1))):
            continue
        with suppress(OSError):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_temp(tmp: Path) -> None:
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        with suppress(FileNotFoundError):
            leftover.unlink()
    shutil.rmtree(tmp.with_name(tmp.name + ".tmp"), ignore_errors=True)


def _swap_in(tmp: Path, db_path: Path) -> None:
    """Atomically put the finished database in place (a stale WAL of the old file must not replay)."""
    if db_path.exists():
        with suppress(OSError):
            shutil.copymode(db_path, tmp)  # keep the permissions readers of the old file relied on
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)
    os.replace(tmp, db_path)
    with suppress(OSError):
        fd = os.open(db_path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- what is at the --db path ----------------------------------------------------------------------

_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
_WAREHOUSE_TABLES = ("meta", "documents", "observations", "runs", "facts", "provinces", "indicators")


def inspect_target(db_path: Path) -> tuple[str, str]:
    """What the file at `db_path` is: ("absent" | "ours" | "damaged" | "foreign", a description).

    absent: nothing there (or an empty file: no data to lose). ours: an ictdash warehouse (a DuckDB file
    whose `meta` names a schema_version, with every table). damaged: a DuckDB file that cannot be opened
    or an ictdash warehouse with tables missing -- kept, but set aside and rebuilt. foreign: anything else
    (a report, a CSV, another DuckDB database) -- never overwritten."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return "absent", ""
    except OSError as exc:
        return "foreign", f"it cannot be examined ({_reason(exc)})"
    if not S_ISREG(st.st_mode):
        return "foreign", "it is a folder" if os.path.isdir(db_path) else "it is not a regular file"
    if st.st_size == 0:
        return "absent", "an empty file"
    try:
        with open(db_path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        return "foreign", f"it cannot be read ({_reason(exc)})"
    if head[8:12] != _DUCKDB_MAGIC:
        return "foreign", f"it is not a DuckDB database ({st.st_size:,} bytes starting {head[:12]!r})"
    version: list = []
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            tables = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
            if "meta" in tables:
                try:
                    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
                except (duckdb.BinderException, duckdb.CatalogException, duckdb.ConversionException):
                    version = []  # a table named meta, not ours
    except duckdb.Error as exc:
        return "damaged", f"it cannot be opened ({_reason(exc)})"
    if not version:
        listed = ", ".join(sorted(tables)[:8]) or "none"
        return "foreign", f"it is a DuckDB database of something else (tables: {listed})"
    missing = [t for t in _WAREHOUSE_TABLES if t not in tables]
    if missing:
        return "damaged", f"it lacks the table(s) {', '.join(missing)}"
    return "ours", ""


def _refuse_foreign(db_path: Path) -> tuple[str, str]:
    kind, what = inspect_target(db_path)
    if kind == "foreign":
        raise NotAWarehouse(
            f"{db_path} exists and is not an ictdash warehouse: {what}. Nothing was written; give --db "
            "a new file name (or the path of an ictdash warehouse), or move that file away first.")
    return kind, what


@contextmanager
def _reading_previous() -> Iterator[None]:
    """Errors reading the attached previous warehouse (not writing the new one) mean it is damaged."""
    try:
        yield
    except duckdb.IOException:
        raise  # disk full, read-only folder ...: the write error path
    except duckdb.Error as exc:
        raise _PreviousUnreadable(f"reading it failed: {_reason(exc)}") from exc


def _set_aside(db_path: Path, why: str) -> str:
    """Rename a damaged warehouse (and its WAL) to <db>.damaged-<time>; the message to show."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(db_path, aside)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():
            os.replace(wal, aside.with_name(aside.name + ".wal"))
    except OSError as exc:
        raise WarehouseError(f"the warehouse {db_path} is damaged ({why}) and cannot be moved aside: "
                             f"{_reason(exc)}; move it away and run ictdash etl again") from exc
    state_path(db_path).unlink(missing_ok=True)
    return (f"the warehouse {db_path} was damaged ({why}); it was moved aside to {aside} (kept, with its run "
            "history) and the warehouse was rebuilt from the reports")


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- fingerprint and previous database ------------------------------------------------------------


def extraction_fingerprint(catalog_hash: str) -> str:
    """Hash of everything that decides what extraction produces: version, catalog, code and data files."""
    digest = hashlib.sha256(f"{etl.EXTRACTOR_VERSION}\n{catalog_hash}\n".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        rel = path.relative_to(PACKAGE_DIR)
        if (not path.is_file() or path.suffix not in (".py", ".yaml", ".yml", ".csv", ".json", ".txt")
                or rel.parts[0] in ("ui", "__pycache__") or str(rel) in _NOT_EXTRACTION):
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


@dataclass
class _Previous:
    attached: bool = False
    reusable: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # doc_id -> (path, sha, meta)
    paths: dict[str, str] = field(default_factory=dict)
    n_values: dict[str, int] = field(default_factory=dict)


def _attach_previous(con: duckdb.DuckDBPyConnection, db_path: Path, fingerprint: str, full: bool,
                     warnings: list[str]) -> _Previous:
    """ATTACH the current database read-only as `old`; what of it may be reused."""
    previous = _Previous()
    if not db_path.exists() or db_path.stat().st_size == 0:  # (an empty file: nothing to reuse)
        return previous
    with _reading_previous():
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(db_path)])
        previous.attached = True
        meta = dict(con.execute("SELECT key, value FROM old.meta").fetchall())
    ours = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][0]
    if full or meta.get("schema_version") != ours or meta.get("extraction_fingerprint") != fingerprint:
        return previous
    if any(_columns(con, t) != _columns(con, f"old.{t}") for t in ("documents", "observations")):
        warnings.append("the previous database has other columns than schema.sql (schema_version not bumped?); "
                        "re-reading every file")
        return previous
    with _reading_previous():
        rows = con.execute(
            "SELECT doc_id, path, sha256, coalesce(meta_hash, ''), n_values FROM old.documents "
            "WHERE status = 'ok' AND extractor_version = ?", [etl.EXTRACTOR_VERSION]).fetchall()
    for doc_id, path, sha, meta_hash, n_values in rows:
        previous.reusable[doc_id] = (path, sha, meta_hash)
        previous.paths[doc_id] = path
        previous.n_values[doc_id] = n_values
    return previous


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    relation = con.table(table)
    return [(name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)]


@dataclass
class _Plan:
    unchanged: list[str] = field(default_factory=list)  # doc_ids copied from the previous database
    todo: list[tuple[str, Any, str, str]] = field(default_factory=list)  # (path, meta, sha256, meta_hash)


@dataclass
class _Hashed:
    """An input file with its identity: doc_id (file name), absolute path, sha256, manifest hash."""

    doc_id: str
    path: str
    meta: Any
    sha256: str | None  # None: could not be read
    meta_hash: str
    error: str | None = None
    stat: list[int] | None = None  # size, mtime_ns, ctime_ns, inode when hashed


def _hash_inputs(inputs: list, known: dict[str, list]) -> list[_Hashed]:
    """Hash every input file (sorted by path); an unreadable file gets its reason instead of a hash.

    `known` maps paths to [size, mtime_ns, ctime_ns, inode, sha256] from the last build (its state file):
    a file whose four stat values are all unchanged keeps its hash without being read, as git does (the
    change time moves on every write and cannot be set back)."""
    out = []
    cwd = os.getcwd()
    for item in sorted(inputs, key=lambda i: str(i.path)):
        path = os.path.normpath(os.path.join(cwd, item.path))  # os.path.abspath, without a getcwd per file
        stat_now: list[int] | None = None
        try:
            st = getattr(item, "stat", None) or os.stat(path)
            stat_now = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
            before = known.get(path)
            sha = before[4] if before and before[:4] == stat_now else file_sha256(path)
            error = None
        except OSError as exc:
            sha, error = None, f"cannot read: {_reason(exc)}"
        out.append(_Hashed(os.path.basename(path), path, item.meta, sha, _meta_hash(item.meta), error, stat_now))
    return out


def _plan(hashed: list[_Hashed], discover_errors: list, previous: _Previous, outcomes: list[FileOutcome]) -> _Plan:
    """Decide for every hashed input: copy over, (re)read, or report a failure now."""
    plan = _Plan()
    seen: dict[str, str] = {}
    for err in discover_errors:
        outcomes.append(FileOutcome(Path(err.path).name, str(err.path), "failed", message=err.reason))
    for item in hashed:
        if item.doc_id in seen:
            outcomes.append(FileOutcome(item.doc_id, item.path, "failed", message=(
                f"same file name as {seen[item.doc_id]}; documents are identified by file name, rename one")))
            continue
        seen[item.doc_id] = item.path
        if item.sha256 is None:
            outcomes.append(FileOutcome(item.doc_id, item.path, "failed", message=item.error))
            continue
        if previous.reusable.get(item.doc_id) == (item.path, item.sha256, item.meta_hash):
            plan.unchanged.append(item.doc_id)
        else:
            plan.todo.append((item.path, item.meta, item.sha256, item.meta_hash))
    return plan


# --- nothing changed: keep the warehouse ----------------------------------------------------------

# Code and data that decide a warehouse's content besides the extraction fingerprint.
_BUILD_FILES = (SCHEMA_PATH, PACKAGE_DIR / "warehouse.py", PACKAGE_DIR / "curation.py", POPULATION_CSV)


def build_signature(hashed: list[_Hashed], curation_path: Path | None) -> str:
    """Hash of every input of a build: the files (name, path, bytes, manifest row), the curation file,
    the reference data and the building code. Equal signatures => the same warehouse."""
    digest = hashlib.sha256(extraction_fingerprint("").encode())  # (it hashes the catalog file too)
    for path in (*_BUILD_FILES, Path(curation_path) if curation_path else None):
        digest.update(b"\1" + (str(path).encode() if path else b"-"))
        with suppress(OSError):
            digest.update(path.read_bytes() if path else b"")
    for item in hashed:
        digest.update(f"\0{item.doc_id}\0{item.path}\0{item.sha256}\0{item.meta_hash}".encode())
    return digest.hexdigest()


STATE_VERSION = 2  # 2: the database's ctime is part of its stat


def state_path(db_path: Path) -> Path:
    """`<db>.state.json`: what the last build saw (file hashes by stat, input signature, summary)."""
    return db_path.with_name(db_path.name + ".state.json")


def _db_stat(db_path: Path) -> list[int]:
    """Size, modification and change time, inode: the change time moves on any write and cannot be set
    back, so a file rewritten in place with its mtime restored is not taken for the one recorded."""
    st = os.stat(db_path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def write_state(db_path: Path, hashed: list[_Hashed], summary: RunSummary) -> None:
    """Record, beside the database just put in place, what it was built from (atomically; on any error
    the state is removed, so a later build re-hashes and rebuilds rather than trusting a stale one)."""
    path = state_path(db_path)
    state = {
        "version": STATE_VERSION,
        "db": _db_stat(db_path),  # the state describes this very file: any change to it voids the state
        "signature": summary.signature,
        "files": {h.path: [*h.stat, h.sha256] for h in hashed if h.stat is not None and h.sha256},
        "run_id": summary.run_id,
        "n_values": {f.doc_id: f.n_values for f in summary.files if f.status in ("ok", "unchanged")},
        "values_by_indicator": summary.values_by_indicator,
        "n_conflicts": summary.n_conflicts,
        "curation": summary.curation.to_dict(),
        "warnings": summary.warnings,
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(state, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def read_state(db_path: Path) -> dict[str, Any]:
    """The state of the database at `db_path`, or {} when missing, unreadable or not about this file."""
    try:
        state = json.loads(state_path(db_path).read_text(encoding="utf-8"))
        if state.get("version") == STATE_VERSION and state.get("db") == _db_stat(db_path):
            return state
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _unchanged_since_last_build(db_path: Path, state: dict[str, Any], hashed: list[_Hashed],
                                curation_path: Path | None, started: datetime) -> RunSummary | None:
    """When every input is as the last clean build of `db_path` saw it, that build's summary (kept=True)
    without opening or writing the database; else None. Like make: an unchanged re-run costs a stat of
    every input (and a hash of those whose stat changed)."""
    if not state.get("signature") or not hashed or db_path.with_name(db_path.name + ".wal").exists():
        return None  # a WAL beside it: not the clean file a build leaves; rebuild (the swap removes the WAL)
    n_values = state.get("n_values") or {}
    if set(n_values) != {item.doc_id for item in hashed}:
        return None
    if state["signature"] != build_signature(hashed, curation_path):
        return None
    curation = state.get("curation") or {}
    report = CurationReport(source=curation.get("source", str(curation_path)), applied=curation.get("applied", []),
                            warnings=curation.get("warnings", []), errors=curation.get("errors", []))
    files = [FileOutcome(item.doc_id, item.path, "unchanged", n_values[item.doc_id]) for item in hashed]
    return RunSummary(run_id=state.get("run_id", "?"), db_path=str(db_path), started_at=started,
                      finished_at=datetime.now(UTC).replace(tzinfo=None),
                      files=files, values_by_indicator=state.get("values_by_indicator", {}),
                      n_conflicts=int(state.get("n_conflicts", 0)), curation=report,
                      warnings=list(state.get("warnings", [])), kept=True, signature=state["signature"])


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a regular file. Opened without blocking and checked after opening: a file swapped for a
    named pipe or a device since it was listed raises OSError instead of hanging the build."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file (a pipe or a device?)", str(path))
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _meta_hash(meta: Any) -> str:
    if meta is None:
        return ""
    if dataclasses.is_dataclass(meta) and not isinstance(meta, type):
        meta = dataclasses.asdict(meta)
    return hashlib.sha256(json.dumps(meta, sort_keys=True, default=str).encode()).hexdigest()[:16]


# --- reading and extracting -----------------------------------------------------------------------


def _process_all(todo: list[Task], jobs: int, pool: ProcessPoolExecutor | None = None) -> Iterator[FileResult]:
    """Results for every file in `todo`, in this process or in `jobs` worker processes (`pool`, when the
    caller started them early; else started here)."""
    if jobs <= 1 or len(todo) <= 1:
        for args in todo:
            yield process_file(*args)
        return
    crashed: list[Task] = []
    yield from _pool_map(todo, jobs, crashed, pool)
    yield from _retry_alone(crashed)


def _retry_alone(crashed: list[Task]) -> Iterator[FileResult]:
    """The files that were in flight when a worker died (segfault, out of memory), one at a time in a
    single worker: the one that kills it again is reported, the others are read."""
    pool: ProcessPoolExecutor | None = None
    try:
        for args in crashed:
            pool = pool or start_workers(1)
            try:
                yield from pool.submit(process_chunk, [args]).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                path, _meta, sha, meta_hash = args
                yield FileResult(doc_id=Path(path).name, path=path, sha256=sha, meta_hash=meta_hash,
                                 status="failed", error="the reader crashed (its worker process died)")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def start_workers(jobs: int) -> ProcessPoolExecutor:
    """`jobs` worker processes, started now: they import the extractor and load the catalog while the
    parent discovers and hashes the inputs.

    spawn: every build gets fresh workers that import the current code (a forkserver is one server per
    parent process for its whole life, so a long-lived parent -- a test session -- kept handing out
    workers from a stale server; fork would copy a process that holds DuckDB threads)."""
    with _sigint_ignored():  # Ctrl-C reaches the whole process group: only the parent answers it
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=warm_worker)
        for _ in range(jobs):  # workers are spawned on demand: one task each starts them all
            pool.submit(int)
    return pool


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while worker processes are spawned: an ignored signal stays ignored across exec (and
    Python then installs no KeyboardInterrupt handler), so Ctrl-C stops the build in the parent -- which
    removes its temporary file and prints one line -- instead of a traceback from every worker."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _chunks(todo: list[Task], jobs: int) -> list[list[Task]]:
    """Several files per task (fewer round trips), small enough that both workers stay busy to the end."""
    size = max(1, min(32, len(todo) // (jobs * 8)))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _pool_map(todo: list[Task], jobs: int, crashed: list[Task],
              pool: ProcessPoolExecutor | None = None) -> Iterator[FileResult]:
    """Chunks of `todo` through the workers, a bounded number in flight: results are handed on as they
    come and nothing keeps them (memory stays flat however many files). When a worker dies, the chunks in
    flight go to `crashed` and the rest continues in fresh workers."""
    chunks = iter(_chunks(todo, jobs))
    workers = min(jobs, len(todo))
    pool = pool or start_workers(workers)
    in_flight: dict[Future, list[Task]] = {}
    try:
        while True:
            while len(in_flight) < workers * IN_FLIGHT_PER_WORKER and (chunk := next(chunks, None)) is not None:
                try:
                    in_flight[pool.submit(process_chunk, chunk)] = chunk
                except BrokenProcessPool:  # broken since the last round: start over with fresh workers
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = start_workers(workers)
                    in_flight[pool.submit(process_chunk, chunk)] = chunk
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = in_flight.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    crashed.extend(chunk)
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    if len(chunk) > 1:
                        crashed.extend(chunk)  # retried one by one, so only the culprit fails
                        continue
                    args = chunk[0]
                    results = [FileResult(doc_id=Path(args[0]).name, path=args[0], sha256=args[2],
                                          meta_hash=args[3], status="failed",
                                          error=f"worker failed: {type(exc).__name__}: {exc}")]
                yield from results
    finally:  # also when the build stops early: drop queued files, let running ones finish
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(result: FileResult) -> FileOutcome:
    message = result.error
    if result.status == "ok" and result.warnings:
        message = "; ".join(result.warnings)
    return FileOutcome(result.doc_id, result.path, result.status, len(result.observations), message,
                       sum(result.dropped.values()), read=True)


# --- writing tables -------------------------------------------------------------------------------

# Bulk inserts pass each column as one list parameter and UNNEST them side by side: no per-row statements
# and no pyarrow (whose first array imports pandas, ~0.4 s of every build). One literal statement per
# table: neither a table nor a column name is ever formatted into SQL.
_INSERT_SQL = {
    "documents": """
        INSERT INTO documents BY NAME SELECT
            unnest($doc_id::VARCHAR[]) AS doc_id, unnest($path::VARCHAR[]) AS path,
            unnest($sha256::VARCHAR[]) AS sha256, unnest($meta_hash::VARCHAR[]) AS meta_hash,
            unnest($fmt::VARCHAR[]) AS fmt, unnest($url::VARCHAR[]) AS url, unnest($title::VARCHAR[]) AS title,
            unnest($published::DATE[]) AS published, unnest($province_id::VARCHAR[]) AS province_id,
            unnest($status::VARCHAR[]) AS status, unnest($error::VARCHAR[]) AS error,
            unnest($n_values::INTEGER[]) AS n_values, unnest($text::VARCHAR[]) AS text,
            unnest($extractor_version::VARCHAR[]) AS extractor_version, unnest($read_at::TIMESTAMP[]) AS read_at""",
    "observations": """
        INSERT INTO observations BY NAME SELECT
            unnest($obs_id::VARCHAR[]) AS obs_id, unnest($doc_id::VARCHAR[]) AS doc_id,
            unnest($province_id::VARCHAR[]) AS province_id, unnest($province_name::VARCHAR[]) AS province_name,
            unnest($year::INTEGER[]) AS year, unnest($indicator_id::VARCHAR[]) AS indicator_id,
            unnest($scope::VARCHAR[]) AS scope, unnest($value::DOUBLE[]) AS value, unnest($unit::VARCHAR[]) AS unit,
            unnest($qualifier::VARCHAR[]) AS qualifier, unnest($is_target::BOOLEAN[]) AS is_target,
            unnest($denominator::DOUBLE[]) AS denominator, unnest($period::VARCHAR[]) AS period,
            unnest($evidence::VARCHAR[]) AS evidence, unnest($start_offset::INTEGER[]) AS start_offset,
            unnest($end_offset::INTEGER[]) AS end_offset, unnest($rule::VARCHAR[]) AS rule,
            unnest($confidence::DOUBLE[]) AS confidence, unnest($origin::VARCHAR[]) AS origin,
            unnest($review_status::VARCHAR[]) AS review_status""",
    "provinces": """
        INSERT INTO provinces BY NAME SELECT
            unnest($province_id::VARCHAR[]) AS province_id, unnest($scheme::VARCHAR[]) AS scheme,
            unnest($code::VARCHAR[]) AS code, unnest($name::VARCHAR[]) AS name,
            unnest($name_en::VARCHAR[]) AS name_en, unnest($kind::VARCHAR[]) AS kind,
            unnest($region::VARCHAR[]) AS region, unnest($iso_3166_2::VARCHAR[]) AS iso_3166_2,
            unnest($valid_from::DATE[]) AS valid_from, unnest($valid_to::DATE[]) AS valid_to,
            unnest($successor_id::VARCHAR[]) AS successor_id""",
    "indicators": """
        INSERT INTO indicators BY NAME SELECT
            unnest($indicator_id::VARCHAR[]) AS indicator_id, unnest($name_vi::VARCHAR[]) AS name_vi,
            unnest($name_en::VARCHAR[]) AS name_en, unnest($unit::VARCHAR[]) AS unit, unnest($grp::VARCHAR[]) AS grp,
            unnest($direction::VARCHAR[]) AS direction, unnest($additive::BOOLEAN[]) AS additive,
            unnest($hard_min::DOUBLE[]) AS hard_min, unnest($hard_max::DOUBLE[]) AS hard_max,
            unnest($warn_min::DOUBLE[]) AS warn_min, unnest($warn_max::DOUBLE[]) AS warn_max,
            unnest($definition_vi::VARCHAR[]) AS definition_vi, unnest($definition_en::VARCHAR[]) AS definition_en,
            unnest($source::VARCHAR[]) AS source""",
}


def _insert_rows(con: duckdb.DuckDBPyConnection, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with every column of the table's statement) in one statement."""
    if not rows:
        return
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    con.execute(_INSERT_SQL[table_name], columns)


def _insert_results(con: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    documents = [{
        "doc_id": r.doc_id, "path": r.path, "sha256": r.sha256, "meta_hash": r.meta_hash, "fmt": r.fmt,
        "url": r.url, "title": r.title, "published": r.published, "province_id": r.province_id,
        "status": r.status, "error": r.error, "n_values": len(r.observations), "text": r.text,
        "extractor_version": etl.EXTRACTOR_VERSION, "read_at": now,
    } for r in results]
    _insert_rows(con, "documents", documents)
    _insert_rows(con, "observations", [o for r in results for o in r.observations])


def _copy_unchanged(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
    """Copy documents and their machine observations from the attached previous database."""
    params = {"ids": doc_ids}
    # (a semi-join on the unnested list: a hash lookup per row, not a scan of the list per row)
    con.execute("INSERT INTO documents BY NAME SELECT * FROM old.documents WHERE doc_id IN (SELECT unnest($ids))",
                params)
    con.execute("INSERT INTO observations BY NAME SELECT * FROM old.observations "
                "WHERE doc_id IN (SELECT unnest($ids)) AND origin <> 'curated_added'", params)
    for obs_id, original in con.execute(
            "SELECT obs_id, original FROM observations WHERE original IS NOT NULL").fetchall():
        _restore_original(con, obs_id, json.loads(original))
    con.execute("UPDATE observations SET review_status = 'machine', reviewer = NULL, review_reason = NULL, "
                "original = NULL WHERE review_status <> 'machine' OR original IS NOT NULL")


_RESTORABLE = ("value", "year", "scope", "unit", "qualifier", "is_target", "province_id", "province_name")


def _restore_original(con: duckdb.DuckDBPyConnection, obs_id: str, original: dict[str, Any]) -> None:
    """Undo a previous run's correction so this run's curation starts from the machine's values."""
    params: dict[str, Any] = {"obs_id": obs_id}
    for name in _RESTORABLE:
        params[f"has_{name}"] = name in original
        params[name] = original.get(name)
    con.execute(
        """UPDATE observations SET
               value = CASE WHEN $has_value THEN $value ELSE value END,
               year = CASE WHEN $has_year THEN $year ELSE year END,
               scope = CASE WHEN $has_scope THEN $scope ELSE scope END,
               unit = CASE WHEN $has_unit THEN $unit ELSE unit END,
               qualifier = CASE WHEN $has_qualifier THEN $qualifier ELSE qualifier END,
               is_target = CASE WHEN $has_is_target THEN $is_target ELSE is_target END,
               province_id = CASE WHEN $has_province_id THEN $province_id ELSE province_id END,
               province_name = CASE WHEN $has_province_name THEN $province_name ELSE province_name END
           WHERE obs_id = $obs_id""", params)


def _copy_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the history: previous runs' rows, by the columns both schemas share."""
    ours = set(con.table("runs").columns)
    theirs = con.table("old.runs").columns
    common = [c for c in theirs if c in ours]
    con.table("old.runs").select(*common).create_view("_old_runs")
    con.execute("INSERT INTO runs BY NAME SELECT * FROM _old_runs")
    con.execute("DROP VIEW _old_runs")


def _load_reference(con: duckdb.DuckDBPyConnection, catalog: Any, warnings: list[str]) -> None:
    """provinces (both schemes), indicators (catalog), population (data/reference, when present)."""
    from etl.provinces import gazetteer

    provinces = [dataclasses.asdict(p) for scheme in ("63", "34") for p in gazetteer().all(scheme)]
    _insert_rows(con, "provinces", provinces)
    _insert_rows(con, "indicators", [{
        "indicator_id": i.id, "name_vi": i.name_vi, "name_en": i.name_en, "unit": i.unit, "grp": i.group,
        "direction": i.direction, "additive": i.additive, "hard_min": i.hard_min, "hard_max": i.hard_max,
        "warn_min": i.warn_min, "warn_max": i.warn_max, "definition_vi": i.definition_vi,
        "definition_en": i.definition_en, "source": i.source,
    } for i in catalog.indicators.values()])
    if POPULATION_CSV.exists():
        try:
            con.execute(
                "INSERT INTO population BY NAME "
                "SELECT province_id, year, population, area_km2, basis, source_url FROM read_csv(?, header = true, "
                "types = {'province_id': 'VARCHAR', 'basis': 'VARCHAR', 'source_url': 'VARCHAR'})",
                [str(POPULATION_CSV)])
        except duckdb.Error as exc:
            warnings.append(f"{POPULATION_CSV}: population not loaded ({_reason(exc)})")


def _apply_curation(con: duckdb.DuckDBPyConnection, curation_path: Path | None) -> CurationReport:
    if curation_path is None:
        return CurationReport(source="(none)")
    entries, errors = load_curation(Path(curation_path))
    return apply(con, entries, source=str(curation_path), errors=errors)


def _write_run(con: duckdb.DuckDBPyConnection, summary: RunSummary, catalog_hash: str, fingerprint: str,
               signature: str) -> None:
    meta = {"extractor_version": etl.EXTRACTOR_VERSION, "catalog_hash": catalog_hash,
            "extraction_fingerprint": fingerprint, "built_at": summary.finished_at.isoformat(timespec="seconds"),
            "run_id": summary.run_id, "input_signature": signature}
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    con.execute(
        """INSERT INTO runs (run_id, started_at, finished_at, n_files, n_read, n_unchanged, n_failed, n_values,
                             n_conflicts, n_empty, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [summary.run_id, summary.started_at, summary.finished_at, summary.n_files, summary.n_read,
         summary.n_unchanged, summary.n_failed, summary.n_values, summary.n_conflicts, summary.n_empty,
         json.dumps(summary.details(), ensure_ascii=False, default=str)])


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="file", desc="ictdash etl", file=sys.stderr,
                dynamic_ncols=True)

