"""Run the benchmarks and print one markdown report (`make bench`).

Default sizes finish in a few minutes on 2 cores: all vnnews articles and 5,000 synthetic reports,
with 1 and 2 processes, warehouse builds included, then the false-value count on vnnews. `--quick`
uses 500 articles and 1,000 synthetic reports. The report is also written to bench/out/report.md.

Run: `python -m bench.run_all [--quick] [--synthetic N] [--corpus DIR] [--jobs 1 2] [--profile N]`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import etl_throughput, false_values
from bench.common import DEFAULT_VNNEWS, OUT_DIR, machine_info

# (title, sections) — each benchmark yields markdown sections as it goes.
Step = tuple[str, Callable[[argparse.Namespace], Iterator[str]]]


def _etl(args: argparse.Namespace) -> Iterator[str]:
    return etl_throughput.run(args.corpus, args.synthetic, args.jobs, args.seed, not args.no_warehouse,
                              args.profile, args.vnnews_limit)


def _false_values(args: argparse.Namespace) -> Iterator[str]:
    return false_values.run(args.corpus)


STEPS: list[Step] = [
    ("ETL throughput and extraction quality", _etl),
    ("False values on unrelated news", _false_values),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (about a minute or two)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_VNNEWS, help="vnnews folder (default: %(default)s)")
    ap.add_argument("--synthetic", type=int, default=None, help="synthetic reports (default 5000; quick 1000)")
    ap.add_argument("--vnnews-limit", type=int, default=None, help="first N vnnews articles (quick: 500)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-warehouse", action="store_true")
    ap.add_argument("--profile", type=int, default=None, metavar="N",
                    help="profile extraction of N files per corpus (default 300; quick 0)")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "report.md", help="also write the report here")
    args = ap.parse_args(argv)
    if args.synthetic is None:
        args.synthetic = 1000 if args.quick else 5000
    if args.vnnews_limit is None and args.quick:
        args.vnnews_limit = 500
    if args.profile is None:
        args.profile = 0 if args.quick else 300
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as report:
        def emit(text: str) -> None:
            print(text + "\n", flush=True)
            report.write(text + "\n\n")
            report.flush()

        emit("# ictdash benchmarks")
        emit(machine_info().header())
        for title, step in STEPS:
            emit(f"## {title}")
            for section in step(args):
                emit(section)
        emit(f"_All benchmarks: {time.perf_counter() - t0:.0f} s. Report written to {args.out}._")
    return 0


if __name__ == "__main__":
    sys.exit(main())
