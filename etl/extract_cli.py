"""`python -m etl extract PATH... --format jsonl|table`: extraction only, no warehouse.

JSONL: one object per value with doc, province, province_code, year, indicator, scope, value, unit,
qualifier, is_target, evidence, start, end, rule, confidence (see README, "Extraction output").
Planned values (targets) are left out unless --with-targets: the output lists what reports say was
reached. Unreadable files are reported on stderr (file and reason) and the batch goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.extract import extract_document
from etl.read import ReadError, discover, read_path

JSON_FIELDS = ("doc", "province", "province_code", "year", "indicator", "scope", "value", "unit",
               "qualifier", "is_target", "evidence", "start", "end", "rule", "confidence")


def _value(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl extract", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path, help="files or folders (a folder's manifest.csv is used)")
    ap.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    ap.add_argument("--show-dropped", action="store_true", help="also list candidate values that were dropped")
    ap.add_argument("--with-targets", action="store_true",
                    help="also print planned values (is_target true); by default only values stated as reached")
    args = ap.parse_args(argv)

    inputs, errors = discover(args.paths)
    for err in errors:
        print(f"skipped {err}", file=sys.stderr)
    out = sys.stdout
    rows: list[dict] = []
    n_ok = 0
    for item in inputs:
        try:
            doc = read_path(item.path, item.meta)
        except ReadError as err:
            print(f"skipped {err}", file=sys.stderr)
            continue
        n_ok += 1
        res = extract_document(doc)
        for obs in res.observations:
            if obs.is_target and not args.with_targets:
                continue  # a plan is not a result; the warehouse keeps it, flagged, for the trends page
            d = obs.to_dict()
            rec = {k: d[k] for k in JSON_FIELDS}
            rec["value"] = _value(rec["value"])
            if args.format == "jsonl":
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                rows.append(rec)
        if args.show_dropped:
            for reason, ev in res.dropped:
                print(f"dropped {doc.name}: {reason} «{ev[:100]}»", file=sys.stderr)
    if args.format == "table":
        _print_table(rows, out)
    return 0 if n_ok or not inputs else 1


def _print_table(rows: list[dict], out) -> None:
    cols = [("doc", 26), ("province", 14), ("year", 4), ("indicator", 30), ("scope", 8),
            ("value", 12), ("unit", 7), ("qualifier", 8), ("T", 1)]
    out.write("  ".join(name.ljust(w) for name, w in cols) + "  evidence\n")
    for r in rows:
        cells = {
            "doc": r["doc"], "province": r["province"] or "?", "year": str(r["year"] or "?"),
            "indicator": r["indicator"], "scope": r["scope"], "value": f"{r['value']:,}".replace(",", " "),
            "unit": r["unit"], "qualifier": r["qualifier"], "T": "T" if r["is_target"] else "",
        }
        line = "  ".join(str(cells[name])[:w].ljust(w) if name != "value" else str(cells[name]).rjust(w)
                         for name, w in cols)
        ev = " ".join(r["evidence"].split())
        out.write(f"{line}  «{ev[:90]}{'…' if len(ev) > 90 else ''}»\n")
    out.write(f"{len(rows)} values\n")


if __name__ == "__main__":
    raise SystemExit(main())
