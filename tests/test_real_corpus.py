"""Extraction quality on REAL pages (data/corpus/*): hand-checked gold, scored with the team's scorer.

The split is fixed by a hash of each file name (etl/evaluate.py, `split_of`): the test split is never
tuned on. The floors below are ratchets: raise them when the engine improves, never lower them to make
a change pass. Targets of issue 10: strict F1 >= 0.90 and shown precision >= 0.95 on the test split.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl import evaluate
from etl.read import discover, read_path

PARTS = evaluate.parts()
FLOORS = {  # split -> (strict F1, precision of values reaching facts)
    "train": (0.92, 0.97),  # measured 0.944 / 0.983 (session 6, parts a-l, t, u)
    # part e (34 pages never seen by the engine) joined the corpus at 0.76 / 0.85; part f (39 more, session 4)
    # took the split to 0.72 / 0.86; session 5 measured 0.808 / 0.885; session 6 added the blind parts h-k and u
    # and l and measured 0.797 / 0.894. Floors are regression guards set just below what is measured, not goals (the
    # goal is 0.90 / 0.95)
    "test": (0.78, 0.87),
}


@pytest.fixture(scope="module")
def results():
    return evaluate.evaluate()


@pytest.mark.parametrize("split", evaluate.SPLITS)
def test_strict_f1_and_shown_precision_floors(results, split):
    strict = evaluate.total(results, "strict", split)
    shown = evaluate.total(results, "shown", split)
    f1_floor, precision_floor = FLOORS[split]
    assert strict.f1 >= f1_floor, f"{split}: strict {strict.line()}"
    assert shown.precision >= precision_floor, f"{split}: shown {shown.line()}"


def test_split_is_fixed_and_about_a_third():
    names = [p.name for part in PARTS for p in (part / "reports").iterdir() if p.name != "manifest.csv"]
    test = [n for n in names if evaluate.split_of(n) == "test"]
    assert 0.2 <= len(test) / len(names) <= 0.45
    assert evaluate.split_of("a001.txt") == evaluate.split_of("a001.txt")


@pytest.mark.parametrize("part", PARTS, ids=[p.name for p in PARTS])
def test_gold_is_well_formed(part: Path):
    """Every gold row names a report of the part, a scored or other:* indicator, and an evidence that is
    an exact substring of the report as read (text reports)."""
    scored = evaluate.scored_ids()
    reports = {p.name: p for p in (part / "reports").iterdir() if p.name != "manifest.csv"}
    with (part / "manifest.csv" if (part / "manifest.csv").exists() else part / "reports" / "manifest.csv").open(
            encoding="utf-8") as fh:
        manifest = {row["file"]: row for row in csv.DictReader(fh)}
    assert set(manifest) == set(reports), "manifest and reports differ"
    assert all(row["url"].startswith("http") for row in manifest.values()), "every page keeps its URL"
    with (part / "gold.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["doc"] for r in rows} == set(reports), "every report has gold rows (or a negative row)"
    for r in rows:
        ind = r["indicator"].strip()
        if not ind:
            continue
        assert ind in scored or ind.startswith("other:"), r
        float(r["value"])
        if reports[r["doc"]].suffix == ".txt" and r["evidence"]:
            text = reports[r["doc"]].read_text(encoding="utf-8")
            assert r["evidence"] in text, (r["doc"], r["evidence"])


def test_every_report_is_readable():
    for part in PARTS:
        inputs, errors = discover([part / "reports"])
        assert not errors
        for item in inputs:
            assert read_path(item.path, item.meta).text


def test_facts_threshold_in_the_schema_is_the_configured_one():
    from etl.defaults import FACTS_MIN_CONFIDENCE
    from etl.warehouse import SCHEMA_PATH

    assert f"o.confidence >= {FACTS_MIN_CONFIDENCE:g}" in SCHEMA_PATH.read_text(encoding="utf-8")
