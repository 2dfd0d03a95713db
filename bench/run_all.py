"""Run the benchmarks and print one markdown report (`make bench`).

Default sizes finish in about ten minutes on 2 cores: all vnnews articles and 5,000 synthetic reports,
with 1 and 2 processes, warehouse builds included; the false-value count on vnnews; the dashboard on a
synthetic warehouse of 1,000,000 observations (every page's queries and AppTest renders, 7 runs), and the
memory of a real dashboard server driven by headless Chromium (3 rounds), and every page in that browser
(first page after a server start, page switches, screenshots in bench/out/pages_<size>/). `--quick` uses 500 articles,
1,000 synthetic reports, a warehouse of 100,000 observations, 3 render runs, 1 browser round and 2 rounds of page switches (the first page after a start: the overview only).
The report is also written to bench/out/report.md.

Run: `python -m bench.run_all [--quick] [--synthetic N] [--corpus DIR] [--jobs 1 2] [--profile N]`
     `[--dashboard-obs N] [--dashboard-repeat N] [--server-rounds N] [--pages-rounds N]`
     `[--skip etl false-values dashboard server pages review]`
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import dashboard_scale, etl_throughput, false_values, pages_browser, review_latency, server_memory
from bench.common import DEFAULT_VNNEWS, OUT_DIR, machine_info

# (key for --skip, title, benchmark): each benchmark yields markdown sections as it goes.
Step = tuple[str, str, Callable[[argparse.Namespace], Iterator[str]]]


def _etl(args: argparse.Namespace) -> Iterator[str]:
    return etl_throughput.run(args.corpus, args.synthetic, args.jobs, args.seed, not args.no_warehouse,
                              args.profile, args.vnnews_limit)


def _false_values(args: argparse.Namespace) -> Iterator[str]:
    return false_values.run(args.corpus)


def _dashboard(args: argparse.Namespace) -> Iterator[str]:
    return dashboard_scale.run(args.dashboard_obs, args.dashboard_repeat, None, "table", args.seed,
                               view_repeat=0, pages=None)


def _server(args: argparse.Namespace) -> Iterator[str]:
    db = dashboard_scale.warehouse_for(args.dashboard_obs, args.seed, "table")  # the one `_dashboard` used
    return server_memory.run(db, args.server_rounds, interval=0.05, keep_sessions=2, spy=False,
                             work_dir=dashboard_scale.WAREHOUSE_DIR)


def _pages(args: argparse.Namespace) -> Iterator[str]:
    db = dashboard_scale.warehouse_for(args.dashboard_obs, args.seed, "table")
    return pages_browser.run(db, args.dashboard_obs, args.pages_rounds, "overview" if args.quick else "all",
                             work_dir=dashboard_scale.WAREHOUSE_DIR)


def _review(args: argparse.Namespace) -> Iterator[str]:
    return review_latency.run(args.dashboard_obs, 5)  # the dashboard's synthetic warehouse, copied


STEPS: list[Step] = [
    ("etl", "ETL throughput and extraction quality", _etl),
    ("false-values", "False values on unrelated news", _false_values),
    ("dashboard", "Dashboard at scale", _dashboard),
    ("server", "Dashboard server memory", _server),
    ("pages", "Pages in the browser", _pages),
    ("review", "Review action to visible change", _review),
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
    ap.add_argument("--dashboard-obs", type=int, default=None,
                    help="observations of the dashboard's synthetic warehouse (default 1000000; quick 100000)")
    ap.add_argument("--dashboard-repeat", type=int, default=None, help="render runs per page (default 7; quick 3)")
    ap.add_argument("--server-rounds", type=int, default=None, help="browser rounds (default 3; quick 1)")
    ap.add_argument("--pages-rounds", type=int, default=None,
                    help="rounds through every page in the browser (default 5; quick 2)")
    ap.add_argument("--skip", nargs="+", default=[], choices=[key for key, _, _ in STEPS], metavar="STEP",
                    help="leave out these benchmarks: %(choices)s")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "report.md", help="also write the report here")
    args = ap.parse_args(argv)
    if args.synthetic is None:
        args.synthetic = 1000 if args.quick else 5000
    if args.vnnews_limit is None and args.quick:
        args.vnnews_limit = 500
    if args.profile is None:
        args.profile = 0 if args.quick else 300
    if args.dashboard_obs is None:
        args.dashboard_obs = 100_000 if args.quick else 1_000_000
    if args.dashboard_repeat is None:
        args.dashboard_repeat = 3 if args.quick else 7
    if args.server_rounds is None:
        args.server_rounds = 1 if args.quick else 3
    if args.pages_rounds is None:
        args.pages_rounds = 2 if args.quick else 5
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
        for key, title, step in STEPS:
            if key in args.skip:
                continue
            emit(f"## {title}")
            for section in step(args):
                emit(section)
        emit(f"_All benchmarks: {time.perf_counter() - t0:.0f} s. Report written to {args.out}._")
    return 0


if __name__ == "__main__":
    sys.exit(main())
