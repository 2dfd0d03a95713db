"""Time from a review action to the change being visible (issue 13), on the seeds and a large warehouse.

One action = what the review mode does when a reviewer clicks: check the line against the warehouse
(read-only), append it to the curation file (lock, temp file, fsync, replace), refresh the warehouse
(copy, curation re-applied, facts rebuilt, swap), then the dashboard's next query (`etl.queries`, which
attaches the new file) sees the value with its new status. Goals: under 2 s on the seeds, under 10 s at
1,000,000 observations. The warehouses are copies under bench/out/review/ (the cached synthetic one is
never changed).

Run: `python -m bench.review_latency [--obs 1000000] [--repeat 5] [--skip-seeds]`
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from bench.common import OUT_DIR, REPO_ROOT, machine_info

WORK = OUT_DIR / "review"
GOALS = {"seeds": 2.0, "large": 10.0}


def _seed_warehouse() -> tuple[Path, Path]:
    from etl.warehouse import build

    WORK.mkdir(parents=True, exist_ok=True)
    curation = WORK / "seed-curation.csv"
    shutil.copyfile(REPO_ROOT / "data" / "curation.csv", curation)
    db = WORK / "seed.duckdb"
    build([REPO_ROOT / "data" / "reports"], db, full=True, curation_path=curation, progress=False)
    return db, curation


def _large_warehouse(n_obs: int) -> tuple[Path, Path]:
    from bench.dashboard_scale import warehouse_for
    from etl.curation import COLUMNS

    source = warehouse_for(n_obs, 0, "table")
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / f"large_{n_obs}.duckdb"
    shutil.copyfile(source, db)
    curation = WORK / f"large_{n_obs}-curation.csv"
    curation.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    return db, curation


def _candidates(db: Path, n: int) -> list[dict]:
    """Machine values shown in facts, one per (indicator, province) so each action changes a fact."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            SELECT o.* FROM observations o JOIN facts f USING (obs_id)
            WHERE o.review_status = 'machine' AND o.evidence IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY o.indicator_id ORDER BY o.obs_id) = 1
            ORDER BY o.indicator_id LIMIT ?""", [n]).df().to_dict("records")


def one_action(db: Path, curation: Path, obs: dict) -> dict[str, float]:
    from etl import queries
    from etl import review as rv

    t0 = time.perf_counter()
    with queries._connect(db) as con:
        action = rv.reject(obs, "Bench", "benchmark: a rejected value")
        rv.preflight(con, action)
    t1 = time.perf_counter()
    line = rv.append_line(curation, action.row)
    t2 = time.perf_counter()
    done = rv.refresh(db, curation, lines=(line,))
    t3 = time.perf_counter()
    seen = queries._df(db, "SELECT review_status FROM observations WHERE obs_id = $o", {"o": obs["obs_id"]})
    in_facts = queries._df(db, "SELECT count(*) AS n FROM facts WHERE obs_id = $o", {"o": obs["obs_id"]})
    t4 = time.perf_counter()
    assert seen["review_status"].iloc[0] == "rejected" and int(in_facts["n"].iloc[0]) == 0, done.report.messages
    return {"check": t1 - t0, "append": t2 - t1, "refresh": t3 - t2, "visible": t4 - t3, "total": t4 - t0}


def measure(name: str, db: Path, curation: Path, repeat: int) -> str:
    obs = _candidates(db, repeat)
    runs = [one_action(db, curation, o) for o in obs]
    size = db.stat().st_size / 1e6
    with duckdb.connect(str(db), read_only=True) as con:
        n_obs = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    lines = [f"### {name}: {n_obs:,} observations, {size:.0f} MB warehouse, {len(runs)} actions", "",
             "| step | median s | max s |", "|---|---:|---:|"]
    for step in ("check", "append", "refresh", "visible", "total"):
        values = [r[step] for r in runs]
        lines.append(f"| {step} | {statistics.median(values):.3f} | {max(values):.3f} |")
    total = max(r["total"] for r in runs)
    goal = GOALS["seeds" if name == "seeds" else "large"]
    lines += ["", f"worst action to visible: {total:.2f} s (goal < {goal:g} s: {'met' if total < goal else 'MISSED'})",
              ""]
    return "\n".join(lines)


def run(n_obs: int, repeat: int = 5, seeds: bool = True) -> Iterator[str]:
    """Markdown sections: the seeds, then a synthetic warehouse of `n_obs` observations (0: none)."""
    if seeds:
        yield measure("seeds", *_seed_warehouse(), repeat)
    if n_obs > 0:
        yield measure(f"synthetic {n_obs:,}", *_large_warehouse(n_obs), repeat)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.review_latency", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--obs", type=int, default=1_000_000, help="observations of the large warehouse (0: skip)")
    ap.add_argument("--repeat", type=int, default=5, help="actions per warehouse (default 5)")
    ap.add_argument("--skip-seeds", action="store_true")
    args = ap.parse_args(argv)
    print("## Review action to visible change\n\n" + machine_info().header() + "\n", flush=True)
    for section in run(args.obs, args.repeat, not args.skip_seeds):
        print(section, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
