"""`python -m etl evaluate`: score the extractor on the real annotated corpus (data/corpus/*/).

Each part (`data/corpus/a`, `b`, ...) holds `reports/` (real page excerpts with `manifest.csv`) and a
hand-checked `gold.csv`. Every document belongs to a fixed split decided by a hash of its file name
(`split_of`), chosen before any tuning: one document in three is **test** (never tuned on: its misses
are not printed unless asked), the rest **train**. Scores use the team's scorer (`etl/scorer.py`,
strict and lenient matching) restricted to `data/corpus/indicators.txt`.

"Shown" precision counts only values that reach `facts` (what managers see): those with a province, a
year and confidence at or above the warehouse threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from etl import scorer

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
INDICATORS = CORPUS / "indicators.txt"
SPLITS = ("train", "test")
TABLE_PARTS = frozenset({"t", "u"})  # statistical tables; "prose" totals leave them out (the harder, honest figure)


def split_of(doc: str) -> str:
    """'test' for one document in three (by a hash of its file name), else 'train'. Never change this."""
    return "test" if int(hashlib.sha256(doc.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "train"


def parts(root: Path = CORPUS) -> list[Path]:
    """The corpus parts: folders with a gold.csv and a reports/ folder."""
    return sorted(p for p in root.iterdir() if (p / "gold.csv").is_file() and (p / "reports").is_dir())


def scored_ids(path: Path = INDICATORS) -> set[str]:
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}


def predict(part: Path) -> list[dict]:
    """Every observation the extractor makes on a part's reports, as scorer rows (doc, province, ...)."""
    from etl.extract import extract_document
    from etl.read import ReadError, discover, read_path

    inputs, _ = discover([part / "reports"])
    rows = []
    for item in inputs:
        try:
            doc = read_path(item.path, item.meta)
        except ReadError:
            continue
        for o in extract_document(doc).observations:
            if o.is_target:
                continue  # as `python -m etl extract` prints them: results only
            rows.append({"doc": o.doc, "province": o.province, "year": o.year, "indicator": o.indicator,
                         "scope": o.scope, "value": o.value, "unit": o.unit, "qualifier": o.qualifier,
                         "is_target": o.is_target, "evidence": o.evidence, "confidence": o.confidence})
    return rows


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def line(self) -> str:
        return (f"tp={self.tp:<4} fp={self.fp:<4} fn={self.fn:<4} P={self.precision:.3f} "
                f"R={self.recall:.3f} F1={self.f1:.3f}")


def _gold(part: Path, keep: set[str]) -> tuple[list[dict], set[str]]:
    gold, docs = scorer.load_gold(str(part / "gold.csv"))
    return [g for g in gold if g["indicator"] in keep], docs


def _as_scorer_rows(preds: list[dict], docs: set[str], keep: set[str]) -> list[dict]:
    out, seen = [], set()
    for p in preds:
        if p["doc"] not in docs or p["indicator"] not in keep:
            continue
        row = {"doc": p["doc"], "province": scorer.fold(p["province"]), "year": p["year"],
               "indicator": p["indicator"], "scope": p["scope"] or "all", "value": float(p["value"]),
               "qualifier": p["qualifier"] or "exact", "is_target": bool(p["is_target"]),
               "evidence": p["evidence"]}
        key = tuple(row[k] for k in ("doc", "province", "year", "indicator", "scope", "value", "is_target"))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def shown(pred: dict, min_confidence: float) -> bool:
    """Whether a value reaches `facts`: a province, a year, confident enough (targets too, flagged)."""
    return bool(pred["province"]) and pred["year"] is not None and pred.get("confidence", 1.0) >= min_confidence


@dataclass
class PartResult:
    name: str
    strict: dict[str, Score]
    lenient: dict[str, Score]
    shown: dict[str, Score]
    missed: list[dict]
    extra: list[dict]
    pairs: list[tuple[dict, dict]] = field(default_factory=list)  # strict matches, both splits


def evaluate_part(part: Path, keep: set[str], min_confidence: float) -> PartResult:
    gold, docs = _gold(part, keep)
    preds = predict(part)
    pred_rows = _as_scorer_rows(preds, docs, keep)
    shown_rows = _as_scorer_rows([p for p in preds if shown(p, min_confidence)], docs, keep)
    strict, lenient, shown_s = {}, {}, {}
    missed, extra, all_pairs = [], [], []
    for split in SPLITS:
        g = [r for r in gold if split_of(r["doc"]) == split]
        p = [r for r in pred_rows if split_of(r["doc"]) == split]
        pairs, m, e = scorer.match(g, p, scorer.STRICT)
        all_pairs += pairs
        strict[split] = Score(*scorer.prf(pairs, m, e)[:3])
        missed += [r for r in m if not r["optional"]]
        extra += e
        lenient[split] = Score(*scorer.prf(*scorer.match(g, p, scorer.LENIENT))[:3])
        ps = [r for r in shown_rows if split_of(r["doc"]) == split]
        shown_s[split] = Score(*scorer.prf(*scorer.match(g, ps, scorer.STRICT))[:3])
    return PartResult(part.name, strict, lenient, shown_s, missed, extra, all_pairs)


def by_family(results: list[PartResult]) -> dict[str, Score]:
    """Strict scores on the whole corpus (both splits) per catalog group (infrastructure, egov, ...)."""
    from etl.catalog import load_catalog

    groups = {i.id: i.group for i in load_catalog().indicators.values()}
    out: dict[str, Score] = {}

    def add(ind: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        g = groups.get(ind, "other")
        out[g] = out.get(g, Score(0, 0, 0)) + Score(tp, fp, fn)

    for r in results:
        for g, _ in r.pairs:
            if not g["optional"]:
                add(g["indicator"], tp=1)
        for m in r.missed:
            add(m["indicator"], fn=1)
        for e in r.extra:
            add(e["indicator"], fp=1)
    return dict(sorted(out.items()))


def evaluate(root: Path = CORPUS, min_confidence: float | None = None) -> list[PartResult]:
    if min_confidence is None:
        from etl.defaults import FACTS_MIN_CONFIDENCE
        min_confidence = FACTS_MIN_CONFIDENCE
    keep = scored_ids()
    return [evaluate_part(p, keep, min_confidence) for p in parts(root)]


def total(results: list[PartResult], attr: str, split: str, prose_only: bool = False) -> Score:
    """The sum over parts of one split; with `prose_only`, leaving out the table parts."""
    out = Score(0, 0, 0)
    for r in results:
        if not (prose_only and r.name in TABLE_PARTS):
            out = out + getattr(r, attr)[split]
    return out


def _show(row: dict) -> str:
    return scorer.show(row) + (f"   «{' '.join((row.get('evidence') or '').split())[:140]}»")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=CORPUS)
    ap.add_argument("--by-family", action="store_true", help="also print strict scores per indicator group")
    ap.add_argument("--details", choices=("none", "train", "all"), default="train",
                    help="list misses and false values of the train split (default), of both, or none")
    args = ap.parse_args(argv)
    results = evaluate(args.root)
    for attr in ("strict", "lenient", "shown"):
        print(f"== {attr}" + (" (values that reach facts: province, year, confidence)" if attr == "shown" else ""))
        for split in SPLITS:
            for r in results:
                print(f"  {split:<5} {r.name:<3} {getattr(r, attr)[split].line()}")
            print(f"  {split:<5} all {total(results, attr, split).line()}")
            print(f"  {split:<5} prose {total(results, attr, split, prose_only=True).line()}")
    if args.by_family:
        print("== strict, whole corpus, per indicator group")
        for group, sc in by_family(results).items():
            print(f"  {group:<16} {sc.line()}")
    if args.details != "none":
        wanted = SPLITS if args.details == "all" else ("train",)
        for r in results:
            missed = [m for m in r.missed if split_of(m["doc"]) in wanted]
            extra = [e for e in r.extra if split_of(e["doc"]) in wanted]
            print(f"\n-- part {r.name}: MISSED {len(missed)}")
            for m in sorted(missed, key=lambda x: x["doc"]):
                print("  - " + _show(m))
            print(f"-- part {r.name}: FALSE {len(extra)}")
            for e in sorted(extra, key=lambda x: x["doc"]):
                print("  + " + _show(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
