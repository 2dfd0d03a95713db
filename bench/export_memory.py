"""Peak memory of `ictdash export` on a million rows — `python -m bench.export_memory [--rows N]`.

A warehouse whose `facts` holds N rows (default 1,048,576: one real fact multiplied in SQL) is exported
by the real command in a child process, once per format; the peak is the child's VmHWM (its own address
space's high-water mark) and the largest sampled RSS of it and its children. CSV and Parquet are
streamed by DuckDB into the file (`COPY ... TO`, memory limit 256 MB, one thread); XLSX above 1,048,575
rows is refused after a count. `--in-memory` also measures the pandas path the CLI used before
(query_facts + export_frame) for comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil

from bench.common import OUT_DIR, machine_info

PEAK = ("import sys, runpy\n"
        "def peak():\n"
        "    with open('/proc/self/status') as s:\n"
        "        return next(int(l.split()[1]) for l in s if l.startswith('VmHWM:'))\n"
        "try:\n"
        "    runpy.run_module(sys.argv.pop(1), run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('VMHWM_KB', peak(), file=sys.stderr); raise\n"
        "print('VMHWM_KB', peak(), file=sys.stderr)\n")

IN_MEMORY = ("import sys, duckdb\n"
             "from etl.export import query_facts, write_export\n"
             "con = duckdb.connect(sys.argv[1], read_only=True)\n"
             "write_export(query_facts(con), __import__('pathlib').Path(sys.argv[2]))\n")


def make_warehouse(db: Path, rows: int) -> None:
    from etl.warehouse import build

    reports = db.parent / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "r.txt").write_text(
        "Sở Thông tin và Truyền thông tỉnh Lào Cai tổng kết năm 2013\n\nĐến hết năm 2013, toàn tỉnh Lào Cai có 912 "
        "trạm phát sóng di động. Mật độ điện thoại đạt 62 thuê bao/100 dân.\n", encoding="utf-8")
    build([reports], db, curation_path=None, progress=False)
    with duckdb.connect(str(db)) as con:
        con.execute("""CREATE TABLE many AS SELECT f.* REPLACE ('o' || r.range AS obs_id,
                           1990 + (r.range % 36)::INTEGER AS year, r.range::DOUBLE AS value)
                       FROM (SELECT * FROM facts WHERE indicator_id = 'bts_stations') f CROSS JOIN range(?) r""",
                    [rows])
        con.execute("DELETE FROM facts")
        con.execute("INSERT INTO facts SELECT * FROM many")
        con.execute("DROP TABLE many")


def measure(args: list[str]) -> tuple[int, float, float, float]:
    """(exit code, seconds, own VmHWM MiB, sampled tree RSS MiB) of `python <args>`."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched, sampled = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            sampled = max(sampled, sum(p.memory_info().rss for p in [watched, *watched.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.05)
    err = proc.communicate()[1]
    seconds = time.perf_counter() - started
    hwm = max([int(line.split()[1]) for line in err.splitlines() if line.startswith("VMHWM_KB")] or [0])
    return proc.returncode, seconds, hwm / 1024, sampled / 1024**2


def facts_warehouse(rows: int) -> Path:
    """The warehouse of `rows` facts under bench/out/export/ (built once, then reused)."""
    db = OUT_DIR / "export" / f"facts_{rows}.duckdb"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        make_warehouse(db, rows)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_048_576)
    ap.add_argument("--in-memory", action="store_true", help="also measure the pandas path used before")
    args = ap.parse_args(argv)
    work = OUT_DIR / "export"
    db = facts_warehouse(args.rows)
    print(machine_info().header())
    print(f"\n`ictdash export` of {args.rows:,} facts\n")
    print("| format | path | exit | seconds | peak (VmHWM) | peak (sampled, tree) | file |")
    print("|---|---|---|---|---|---|---|")
    for fmt in ("csv", "parquet", "xlsx"):
        out = work / f"out.{fmt}"
        out.unlink(missing_ok=True)
        code, seconds, hwm, sampled = measure(["-c", PEAK, "etl", "export", "--db", str(db), "--out", str(out)])
        size = f"{out.stat().st_size / 1024**2:.0f} MiB" if out.exists() else "not written"
        print(f"| {fmt} | streamed (COPY ... TO) | {code} | {seconds:.1f} | {hwm:.0f} MiB | {sampled:.0f} MiB | {size} |",
              flush=True)
        if args.in_memory and fmt != "xlsx":
            out.unlink(missing_ok=True)
            code, seconds, _, sampled = measure(["-c", IN_MEMORY, str(db), str(out)])
            print(f"| {fmt} | in memory (before) | {code} | {seconds:.1f} | – | {sampled:.0f} MiB | |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
