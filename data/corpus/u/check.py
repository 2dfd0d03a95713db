#!/usr/bin/env python3
"""Validate part u's gold.csv (tables: CSV and XLSX) and prove it loads in the scorer.

Usage (from anywhere): python3 data/corpus/u/check.py [--indicators PATH]   (needs openpyxl for the XLSX files;
the project's .venv has it). Does not import the project's etl package.

The shared ../check_part.py reads reports/*.txt only, so this part runs the same checks on its own
"document text", defined here once and used by make_gold.py too:
  * a CSV file's text is the file itself, read as UTF-8; an evidence is one of its raw lines (the row as it
    stands in the file, quotes included);
  * an XLSX file's text is one line per non-empty row, "[sheet]" before each sheet, the row's non-empty cells
    as str(value) joined by " | " (so 0.84 is "0.84", 1 is "1"); an evidence is one such line.
Checks (as check_part.py): manifest <-> reports/ (csv, xlsx), URLs unique and not used by another part or by
shared/corpus/real-dev; every doc in gold.csv and every gold doc on disk; a negative doc has one empty row;
indicator scored or other:*; value a number, year 2010-2026 or blank, scope/qualifier in the vocabularies,
is_target/optional true/false, province not blank; evidence an exact substring of the document text and the
value visible in it (check_part.number_forms); no duplicate rows or keys. Then the gold is scored against
itself (all ids, scored ids): strict F1 must be 1.000.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.join(HERE, "reports")

_spec = importlib.util.spec_from_file_location("check_part", os.path.join(HERE, "..", "check_part.py"))
cp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cp)


def document_text(path: str) -> str:
    """The text an evidence must be a substring of (see the module docstring)."""
    if path.endswith(".csv"):
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[{ws.title}]")
        for row in ws.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None and str(v) != ""]
            if cells:
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicators", default=cp.INDICATORS)
    args = ap.parse_args()
    ids = {l.strip() for l in open(args.indicators, encoding="utf-8") if l.strip() and not l.startswith("#")}

    errs = []
    man = list(csv.DictReader(open(os.path.join(REPORTS, "manifest.csv"), encoding="utf-8")))
    listed = {m["file"] for m in man}
    on_disk = {f for f in os.listdir(REPORTS) if f.endswith((".csv", ".xlsx")) and f != "manifest.csv"}
    if listed != on_disk:
        errs.append(f"manifest and reports/ differ: {sorted(listed ^ on_disk)}")
    texts = {f: document_text(os.path.join(REPORTS, f)) for f in on_disk}
    urls = [m["url"] for m in man]
    if len(urls) != len(set(urls)) or not all(u.startswith("http") for u in urls):
        errs.append("manifest: duplicate or non-http url")
    others = [(o, os.path.join(HERE, "..", o, "reports", "manifest.csv"))
              for o in sorted(os.listdir(os.path.join(HERE, ".."))) if o != os.path.basename(HERE)]
    if os.path.isdir(cp.SHARED_DEV):
        others += [("real-dev/" + o, os.path.join(cp.SHARED_DEV, o, "reports", "manifest.csv"))
                   for o in sorted(os.listdir(cp.SHARED_DEV))]
    for other, mp in others:
        if os.path.exists(mp):
            for m in csv.DictReader(open(mp, encoding="utf-8")):
                if m["url"] in urls:
                    errs.append(f"manifest: {m['url']} is already used by part {other} ({m['file']})")

    rows = list(csv.DictReader(open(os.path.join(HERE, "gold.csv"), encoding="utf-8")))
    seen, keys = set(), set()
    for n, r in enumerate(rows, 2):
        d = r["doc"]
        if d not in texts:
            errs.append(f"line {n}: unknown doc {d}")
            continue
        if tuple(r.values()) in seen:
            errs.append(f"line {n}: duplicate row")
        seen.add(tuple(r.values()))
        if not r["indicator"]:
            if any(v for k, v in r.items() if k != "doc"):
                errs.append(f"line {n}: negative row must be empty apart from doc")
            continue
        ind = r["indicator"]
        if ind not in ids and not ind.startswith("other:"):
            errs.append(f"line {n}: indicator {ind!r} not in the scored list and not other:*")
        try:
            float(r["value"])
        except ValueError:
            errs.append(f"line {n}: value {r['value']!r} is not a number")
            continue
        if r["year"] and not re.fullmatch(r"20(1\d|2[0-6])", r["year"]):
            errs.append(f"line {n}: year {r['year']!r}")
        if r["scope"] not in cp.SCOPES:
            errs.append(f"line {n}: scope {r['scope']!r}")
        if r["qualifier"] not in cp.QUALS:
            errs.append(f"line {n}: qualifier {r['qualifier']!r}")
        if r["is_target"] not in ("true", "false") or r["optional"] not in ("true", "false"):
            errs.append(f"line {n}: is_target/optional must be true/false")
        if not r["province"]:
            errs.append(f"line {n}: empty province")
        ev = r["evidence"]
        if not ev or ev not in texts[d]:
            errs.append(f"line {n}: evidence is not an exact substring of {d}: {ev[:60]!r}")
        elif (not any(f in ev for f in cp.number_forms(r["value"])) and float(r["value"]) != 100
              and not cp.word_rank_visible(ind, r["value"], ev)):
            errs.append(f"line {n}: value {r['value']} not visible in evidence")
        key = (d, r["province"], r["year"], ind, r["scope"], float(r["value"]))
        if key in keys:
            errs.append(f"line {n}: duplicate key {key}")
        keys.add(key)
    for d in sorted(texts):
        rs = [r for r in rows if r["doc"] == d]
        if not rs:
            errs.append(f"{d}: not in gold.csv")
        if any(not r["indicator"] for r in rs) and len(rs) > 1:
            errs.append(f"{d}: negative doc also has value rows")

    print(f"docs={len(texts)} gold rows={len(rows)} errors={len(errs)}")
    for e in errs:
        print("  " + e)
    if errs:
        return 1

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for r in rows:
            if not r["indicator"]:
                continue
            fh.write(json.dumps({
                "doc": r["doc"], "province": r["province"], "year": int(r["year"]) if r["year"] else None,
                "indicator": r["indicator"], "scope": r["scope"], "value": float(r["value"]), "unit": r["unit"],
                "qualifier": r["qualifier"], "is_target": r["is_target"] == "true", "evidence": r["evidence"]},
                ensure_ascii=False) + "\n")
        pred = fh.name
    ok = True
    for extra in ([], ["--indicators", args.indicators]):
        cmd = [sys.executable, cp.SCORER, "--gold", os.path.join(HERE, "gold.csv"), "--pred", pred,
               "--quiet", "--min-strict-f1", "1.0"] + extra
        res = subprocess.run(cmd, capture_output=True, text=True)
        last = (res.stdout.strip().splitlines() or [res.stderr.strip() or "no output from the scorer"])[-1]
        print(("scored ids only: " if extra else "all ids: ") + last)
        ok = ok and res.returncode == 0
    os.unlink(pred)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
