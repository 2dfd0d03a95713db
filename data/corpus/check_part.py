#!/usr/bin/env python3
"""Validate a corpus part's gold.csv and prove it loads in the scorer (shared by parts e, f and g).

Usage (from anywhere): the part's own `python3 <part>/check.py [--indicators PATH]`, or
    python3 check_part.py --part DIR [--indicators PATH]

Checks:
  * every reports/*.txt is listed in reports/manifest.csv and vice versa; every manifest title occurs
    literally in its text; no URL is listed twice, and none is already listed by another part
    (or by the team's shared/corpus/real-dev/*/ beside this clone, when present);
  * every gold row names an existing doc; every doc appears in gold.csv;
  * a negative doc has exactly one row and that row has an empty indicator;
  * indicator is in the scored id list (--indicators) or starts with "other:";
  * value parses as a number, year is empty or 2010-2026, scope/qualifier are in the vocabularies,
    is_target/optional are true/false;
  * evidence is an exact substring of the document, and the number appears in it in some
    written form (1.234 / 1,234 / 1234 / 12,5 / 2.865,3, or with a multiplier word: 120 nghìn,
    2,2 triệu) unless it is a word-based 100 ("toàn bộ", "tất cả")
    or a rank in words ("dẫn đầu" → 1, "thứ hai" → 2, …);
  * no duplicate rows and no duplicate (doc, province, year, indicator, scope, value) keys.
Then it writes gold-as-predictions JSONL to a temp file and runs the scorer
(../../../etl/scorer.py relative to this file, i.e. the repository's vendored copy; else
../../../tools/score_extraction.py or /work/shared/tools/score_extraction.py)
twice (all ids, and the scored ids only); both must give strict F1 = 1.000.
The default --indicators is indicators.txt beside this file (the scored id list of real-dev).
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

CORPUS = os.path.dirname(os.path.abspath(__file__))  # the folder of the parts (data/corpus/)
HERE = ""  # the part being checked (--part), set by main()
# The scorer: the copy vendored in this repository (etl/scorer.py, two levels up), else the team's
# shared/tools/score_extraction.py (../../tools/ when this folder sits in shared/corpus/real-dev/).
_SCORERS = [os.path.join(CORPUS, "..", "..", "etl", "scorer.py"),
            os.path.join(CORPUS, "..", "..", "tools", "score_extraction.py"),
            "/work/shared/tools/score_extraction.py"]
SCORER = os.path.abspath(next((p for p in _SCORERS if os.path.exists(p)), _SCORERS[0]))
INDICATORS = os.path.abspath(os.path.join(CORPUS, "indicators.txt"))
SCOPES = {"all", "province", "district", "commune", "village", "population"}
QUALS = {"exact", "at_least", "at_most", "approx"}
SHARED_DEV = os.path.abspath(os.path.join(CORPUS, "..", "..", "..", "shared", "corpus", "real-dev"))  # beside the clone


def number_forms(value: str) -> set:
    f = float(value)
    if f.is_integer():
        n = int(f)
        forms = {str(n), f"{n:,}".replace(",", "."), f"{n:,}"}
        # numbers written with a multiplier word (part c's rule): "120 nghìn", "2,2 triệu", "1 triệu 300 nghìn"
        if n >= 1000 and n % 1000 == 0:
            k = n // 1000
            forms.add(f"{k:,}".replace(",", ".") + " nghìn")
            if n >= 1_000_000:
                forms.add(f"{n / 1_000_000:g}".replace(".", ",") + " triệu")
                if k % 1000:
                    forms.add(f"{n // 1_000_000} triệu {k % 1000} nghìn")
        return forms
    s = repr(f)
    grouped = f"{f:,}"  # 2,865.3 -> vi 2.865,3
    return {s, s.replace(".", ","), grouped.replace(",", " ").replace(".", ",").replace(" ", ".")}


# Ranks written in words (part b's rule: dẫn đầu / đứng đầu / thứ nhất → 1, thứ hai → 2, …).
WORD_RANKS = {1: ("dẫn đầu", "đứng đầu", "thứ nhất", "hạng nhất", "đầu tiên", "đầu bảng", "ngôi đầu"),
              2: ("thứ hai", "thứ nhì", "hạng nhì", "hạng hai"), 3: ("thứ ba", "hạng ba"), 4: ("thứ tư",), 5: ("thứ năm",),
              6: ("thứ sáu",), 7: ("thứ bảy",), 8: ("thứ tám",), 9: ("thứ chín",), 10: ("thứ mười",)}


def word_rank_visible(indicator: str, value: str, evidence: str) -> bool:
    if not indicator.endswith("_rank") or not float(value).is_integer():
        return False
    return any(w in evidence.lower() for w in WORD_RANKS.get(int(float(value)), ()))


def main(suffixes: tuple = (".txt",), read=None, titles: bool = True) -> int:
    """`suffixes`: the report files checked; `read(path)`: a document's text (default: the file as UTF-8), so a
    part of tables (u) defines the text its evidences come from and runs the same checks; `titles`: check that
    each manifest title occurs in its text (part u reconstructed two titles from their URLs)."""
    global HERE
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", required=True, help="the part's folder (with reports/ and gold.csv)")
    ap.add_argument("--indicators", default=INDICATORS)
    args = ap.parse_args()
    HERE = os.path.abspath(args.part)
    ids = {l.strip() for l in open(args.indicators, encoding="utf-8") if l.strip() and not l.startswith("#")}

    errs = []
    man = list(csv.DictReader(open(os.path.join(HERE, "reports", "manifest.csv"), encoding="utf-8")))
    listed = {m["file"] for m in man}
    on_disk = {f for f in os.listdir(os.path.join(HERE, "reports")) if f.endswith(suffixes) and f != "manifest.csv"}
    if listed != on_disk:
        errs.append(f"manifest and reports/ differ: {sorted(listed ^ on_disk)}")
    read = read or (lambda path: open(path, encoding="utf-8").read())
    texts = {f: read(os.path.join(HERE, "reports", f)) for f in on_disk}

    for m in man:
        if titles and m["file"] in texts and m.get("title") and m["title"] not in texts[m["file"]]:
            errs.append(f"manifest: title of {m['file']} does not occur in its text")
    urls = [m["url"] for m in man]
    if len(urls) != len(set(urls)):
        errs.append("manifest: duplicate url")
    # no URL of another part (a, b, c, d, e, t, …) may be reused here, nor one of the team's shared
    # development set (shared/corpus/real-dev/*/ beside this clone, when that folder exists)
    others = [(o, os.path.join(HERE, "..", o, "reports", "manifest.csv"))
              for o in sorted(os.listdir(os.path.join(HERE, ".."))) if o != os.path.basename(HERE)]
    if os.path.isdir(SHARED_DEV):
        others += [("real-dev/" + o, os.path.join(SHARED_DEV, o, "reports", "manifest.csv"))
                   for o in sorted(os.listdir(SHARED_DEV))]
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
        if r["scope"] not in SCOPES:
            errs.append(f"line {n}: scope {r['scope']!r}")
        if r["qualifier"] not in QUALS:
            errs.append(f"line {n}: qualifier {r['qualifier']!r}")
        if r["is_target"] not in ("true", "false") or r["optional"] not in ("true", "false"):
            errs.append(f"line {n}: is_target/optional must be true/false")
        if not r["province"]:
            errs.append(f"line {n}: empty province")
        ev = r["evidence"]
        if not ev or ev not in texts[d]:
            errs.append(f"line {n}: evidence is not an exact substring of {d}: {ev[:60]!r}")
        elif (not any(f in ev for f in number_forms(r["value"])) and float(r["value"]) != 100
              and not word_rank_visible(ind, r["value"], ev)):
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
                "doc": r["doc"], "province": r["province"],
                "year": int(r["year"]) if r["year"] else None,
                "indicator": r["indicator"], "scope": r["scope"], "value": float(r["value"]),
                "unit": r["unit"], "qualifier": r["qualifier"], "is_target": r["is_target"] == "true",
                "evidence": r["evidence"]}, ensure_ascii=False) + "\n")
        pred = fh.name
    ok = True
    for extra in ([], ["--indicators", args.indicators]):
        cmd = [sys.executable, SCORER, "--gold", os.path.join(HERE, "gold.csv"), "--pred", pred,
               "--quiet", "--min-strict-f1", "1.0"] + extra
        res = subprocess.run(cmd, capture_output=True, text=True)
        last = (res.stdout.strip().splitlines() or [res.stderr.strip() or "no output from the scorer"])[-1]
        print(("scored ids only: " if extra else "all ids: ") + last)
        ok = ok and res.returncode == 0
    os.unlink(pred)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
