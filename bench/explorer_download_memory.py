"""Peak memory of the Explorer's CSV/Parquet downloads on a million rows — `python -m bench.explorer_download_memory`.

The warehouse of `bench.export_memory` (N facts, default 1,048,576). In a child process per format and path,
the Explorer's download is made as the page makes it, without Streamlit: the streamed path (issue 11:
`queries.facts_batches` → `export_rows` per chunk → `export.streamed_bytes`, a temporary file read back as
the bytes a download button serves) and, with `--in-memory`, the path used before (`queries.facts` of every
row → `export_rows` → `export_frame`). The peak is the child's VmHWM.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.common import machine_info
from bench.export_memory import facts_warehouse

CHILD = """
import sys, time
from etl import queries
from etl.export import export_frame, streamed_bytes
from etl.ui.exporting import export_rows
db, fmt, path = sys.argv[1], sys.argv[2], sys.argv[3]
names = queries.indicators(db).set_index("indicator_id")["name_vi"]
query = dict(scope="auto", is_target=False)
if path == "streamed":
    data = streamed_bytes((export_rows(r, "vi", names, None) for r in queries.facts_batches(db, **query)), fmt)
else:
    data = export_frame(export_rows(queries.facts(db, **query), "vi", names, None), fmt)
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(len(data), hwm)
"""


def measure(db: str, fmt: str, path: str) -> tuple[int, float, int, float]:
    """(exit code, seconds, file bytes, VmHWM MiB) of one download made in a child process."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, db, fmt, path], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        size, hwm = (int(v) for v in proc.stdout.split()[-2:])
    except ValueError:
        size, hwm = 0, 0
    return proc.returncode, seconds, size, hwm / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_048_576)
    ap.add_argument("--in-memory", action="store_true", help="also measure the pandas path used before")
    args = ap.parse_args(argv)
    db = facts_warehouse(args.rows)
    print(machine_info().header())
    print(f"\nExplorer downloads of {args.rows:,} facts (no Streamlit; what the button's callable does)\n")
    print("| format | path | exit | seconds | file | peak (VmHWM) |")
    print("|---|---|---|---|---|---|")
    for fmt in ("csv", "parquet"):
        for path in ("streamed", "in-memory") if args.in_memory else ("streamed",):
            code, seconds, size, hwm = measure(str(db), fmt, path)
            print(f"| {fmt} | {path} | {code} | {seconds:.1f} | {size / 1024**2:.0f} MiB | {hwm:.0f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
