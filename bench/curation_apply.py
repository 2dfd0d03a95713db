"""How long applying the curation file takes, by its number of lines — `python -m bench.curation_apply`.

A synthetic warehouse (`bench.synth_warehouse`, default 200,000 observations) gets a curation file of N
lines written from its own observations (70 % reject, 20 % correct, 10 % a second, conflicting correction
of a value an earlier line already corrected), and `etl.curation.load_curation` + `apply` run on a fresh
copy of it, as a build does: parse time and apply time are reported separately. `--per-entry` also times
the one-statement-per-line path (`_Applier.apply`, what builds used before) on the smallest N, for the
before/after comparison.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import time
from pathlib import Path

import duckdb

from bench.common import OUT_DIR, machine_info
from bench.synth_warehouse import build_synthetic
from etl.curation import COLUMNS, CurationReport, _Applier, apply, load_curation


def write_curation(db: Path, path: Path, n: int) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT doc_id, indicator_id, scope, year, province_id, value FROM observations "
            "WHERE origin <> 'curated_added' AND year IS NOT NULL AND province_id IS NOT NULL "
            "ORDER BY obs_id LIMIT ?", [n]).fetchall()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for i in range(n):
            doc, indicator, scope, year, province, value = rows[i % len(rows)]
            line = {"doc": doc, "indicator": indicator, "scope": scope, "year": year, "province": province,
                    "value": f"{value:.10g}", "reviewer": "Bench", "reason": "benchmark"}
            kind = i % 10
            if kind < 7:
                line["action"] = "reject"
            else:  # corrections; the 10th repeats the 9th's match: reported "already curated by line N"
                line |= {"action": "correct", "new_value": f"{value + 1:.10g}"}
                if kind == 9:
                    prev = rows[(i - 1) % len(rows)]
                    line |= {"doc": prev[0], "indicator": prev[1], "scope": prev[2], "year": prev[3],
                             "province": prev[4], "value": f"{prev[5]:.10g}", "new_value": f"{prev[5] + 2:.10g}"}
            writer.writerow(line)


def timed_apply(db: Path, work: Path, curation: Path, per_entry: bool = False) -> tuple[float, float, CurationReport]:
    copy = work / "apply.duckdb"
    shutil.copyfile(db, copy)
    started = time.perf_counter()
    entries, errors = load_curation(curation)
    parsed = time.perf_counter() - started
    with duckdb.connect(str(copy)) as con:
        started = time.perf_counter()
        if per_entry:
            report = CurationReport(source=str(curation), errors=errors)
            applier = _Applier(con, report)
            for entry in entries:
                applier.apply(entry)
        else:
            report = apply(con, entries, source=str(curation), errors=errors)
        applied = time.perf_counter() - started
    copy.unlink()
    return parsed, applied, report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--obs", type=int, default=200_000, help="observations in the synthetic warehouse")
    ap.add_argument("--lines", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    ap.add_argument("--per-entry", action="store_true", help="also time the line-by-line path on the first N")
    args = ap.parse_args(argv)
    work = OUT_DIR / "curation"
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"synthetic_{args.obs}.duckdb"
    if not db.exists():
        build_synthetic(db, n_obs=args.obs, materialize_facts=True)
    print(machine_info().header())
    print()
    print(f"Curation apply on a synthetic warehouse of {args.obs:,} observations (70 % reject, 20 % correct, "
          "10 % a conflicting second correction)\n")
    print("| lines | path | parse (s) | apply (s) | applied | warnings | errors |")
    print("|---|---|---|---|---|---|---|")
    for n in args.lines:
        curation = work / f"curation_{n}.csv"
        write_curation(db, curation, n)
        paths = [("set operations", False)] + ([("line by line (before)", True)]
                                               if args.per_entry and n == args.lines[0] else [])
        for name, per_entry in paths:
            parsed, applied, report = timed_apply(db, work, curation, per_entry)
            print(f"| {n:,} | {name} | {parsed:.2f} | {applied:.2f} | {report.n_applied:,} | "
                  f"{len(report.warnings):,} | {len(report.errors):,} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
