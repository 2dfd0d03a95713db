#!/usr/bin/env python3
"""Vendored verbatim from the team's shared scorer (shared/tools/score_extraction.py) so that the
repository scores itself with the same rules on a clean clone.

Score extracted indicator observations against a hand-checked gold set.

Usage:
    python score_extraction.py --gold GOLD.csv --pred PRED.jsonl [--min-strict-f1 0.9] [--quiet]

PRED is JSON Lines, one observation per line (use '-' for stdin), with at least:
    doc (file name), province, year (int or null), indicator, scope, value (number)
and optionally unit, qualifier, is_target, evidence.

Two matchings are reported:
  strict   - doc, province, year, indicator, scope and value all agree
  lenient  - doc, indicator and value agree (province, year, scope ignored)
Gold rows marked optional=true never count as misses, and a prediction that
matches one is not counted as a false positive.  Target values (is_target=true)
are scored like any other row: a target reported as an achievement is wrong.
Values agree when they differ by at most 0.5 % (or 1e-6 absolute).
Only docs that appear in the gold file are scored (a doc with no gold rows must be listed
with an empty indicator to be scored as a negative); --indicators limits scoring to a set of ids.
The last line printed is the figure: strict F1, lenient F1.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata


def fold(text: str | None) -> str:
    """Case-fold, strip Vietnamese diacritics and administrative prefixes."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = " ".join(text.replace("-", " ").split())
    return ALIASES.get(text, text)


# Names that differ only by an official renaming, folded to one key.
ALIASES = {"thua thien hue": "hue", "ho chi minh city": "ho chi minh", "ha noi city": "ha noi"}


def as_year(value) -> int | None:
    if value in (None, "", "null", "None"):
        return None
    return int(float(value))


def as_bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y")


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, 0.005 * abs(b))


def load_gold(path: str) -> tuple[list[dict], set[str]]:
    """Gold rows, and the set of docs scored (a row with an empty indicator marks a doc with no values)."""
    rows, docs = [], set()
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            docs.add(row["doc"].strip())
            if not (row.get("indicator") or "").strip():
                continue
            rows.append({
                "doc": row["doc"].strip(),
                "province": fold(row["province"]),
                "year": as_year(row.get("year")),
                "indicator": row["indicator"].strip(),
                "scope": (row.get("scope") or "all").strip() or "all",
                "value": float(row["value"]),
                "qualifier": (row.get("qualifier") or "exact").strip() or "exact",
                "is_target": as_bool(row.get("is_target", "false")),
                "optional": as_bool(row.get("optional", "false")),
                "evidence": row.get("evidence", ""),
            })
    return rows, docs


def load_pred(path: str, docs: set[str]) -> list[dict]:
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
    rows, seen = [], set()
    for n, line in enumerate(fh, 1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            sys.exit(f"pred line {n}: not JSON ({exc})")
        doc = str(obj.get("doc", "")).replace("\\", "/").rsplit("/", 1)[-1]
        if doc not in docs:
            continue
        try:
            value = float(obj["value"])
        except (KeyError, TypeError, ValueError):
            sys.exit(f"pred line {n}: missing or non-numeric 'value'")
        row = {
            "doc": doc,
            "province": fold(obj.get("province")),
            "year": as_year(obj.get("year")),
            "indicator": str(obj.get("indicator", "")),
            "scope": str(obj.get("scope") or "all"),
            "value": value,
            "qualifier": str(obj.get("qualifier") or "exact"),
            "is_target": as_bool(obj.get("is_target", False)),
            "evidence": obj.get("evidence", ""),
        }
        key = tuple(row[k] for k in ("doc", "province", "year", "indicator", "scope", "value", "is_target"))
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    return rows


STRICT = ("doc", "province", "year", "indicator", "scope", "is_target")
LENIENT = ("doc", "indicator", "is_target")


def match(gold: list[dict], pred: list[dict], fields: tuple[str, ...]):
    """Greedy one-to-one matching; returns (matched pairs, unmatched gold, unmatched pred)."""
    free = list(range(len(gold)))
    pairs, extra = [], []
    for p in pred:
        hit = None
        for i in free:
            g = gold[i]
            if all(g[f] == p[f] for f in fields) and same_value(p["value"], g["value"]):
                hit = i
                break
        if hit is None:
            extra.append(p)
        else:
            free.remove(hit)
            pairs.append((gold[hit], p))
    return pairs, [gold[i] for i in free], extra


def prf(pairs, missed, extra):
    tp = sum(1 for g, _ in pairs if not g["optional"])
    fp = len(extra)
    fn = sum(1 for g in missed if not g["optional"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return tp, fp, fn, precision, recall, f1


def show(row: dict) -> str:
    year = row["year"] if row["year"] is not None else "?"
    target = " TARGET" if row["is_target"] else ""
    return (f"{row['doc']} | {row['province'] or '-'} | {year} | {row['indicator']}"
            f"[{row['scope']}] = {row['value']:g} ({row['qualifier']}{target})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True, help="JSON Lines file, or - for stdin")
    ap.add_argument("--min-strict-f1", type=float, default=None)
    ap.add_argument("--indicators", default=None,
                    help="file with one indicator id a line: score only these (gold and predictions alike)")
    ap.add_argument("--quiet", action="store_true", help="print only the summary lines")
    args = ap.parse_args()

    gold, docs = load_gold(args.gold)
    pred = load_pred(args.pred, docs)
    if args.indicators:
        with open(args.indicators, encoding="utf-8") as fh:
            keep = {line.strip() for line in fh if line.strip() and not line.startswith("#")}
        gold = [g for g in gold if g["indicator"] in keep]
        pred = [p for p in pred if p["indicator"] in keep]

    strict = prf(*match(gold, pred, STRICT))
    lpairs, lmissed, lextra = match(gold, pred, LENIENT)
    lenient = prf(lpairs, lmissed, lextra)

    if not args.quiet:
        spairs, smissed, sextra = match(gold, pred, STRICT)
        print(f"gold rows: {len(gold)} ({sum(g['optional'] for g in gold)} optional); predictions on gold docs: {len(pred)}")
        if lpairs:
            for field in ("province", "year", "scope", "qualifier"):
                ok = sum(1 for g, p in lpairs if g[field] == p[field])
                print(f"  {field:<10} right on {ok}/{len(lpairs)} leniently matched rows")
        missed = [g for g in smissed if not g["optional"]]
        if missed:
            print(f"\nMISSED ({len(missed)}) - in gold, not found (strict):")
            for g in missed:
                print("  - " + show(g) + f'   «{g["evidence"]}»')
        if sextra:
            print(f"\nNOT IN GOLD ({len(sextra)}) - predicted, no strict match:")
            for p in sextra:
                ev = (p["evidence"] or "")[:120]
                print("  + " + show(p) + (f"   «{ev}»" if ev else ""))
        print()
    for name, (tp, fp, fn, p, r, f) in (("strict", strict), ("lenient", lenient)):
        print(f"{name:<8} tp={tp} fp={fp} fn={fn} precision={p:.3f} recall={r:.3f} f1={f:.3f}")
    print(f"strict_f1={strict[5]:.3f} lenient_f1={lenient[5]:.3f}")
    if args.min_strict_f1 is not None and strict[5] < args.min_strict_f1:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
