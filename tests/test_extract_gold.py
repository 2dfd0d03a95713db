"""Extraction quality on the five seed reports, scored against the hand-checked gold file with the
project's scorer (etl/scorer.py, a verbatim copy of ../shared/tools/score_extraction.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.extract import extract_document
from etl.read import read_path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="module")
def predictions(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gold") / "pred.jsonl"
    proc = subprocess.run([sys.executable, "-m", "etl", "extract", str(REPORTS), "--format", "jsonl"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    out.write_text(proc.stdout, encoding="utf-8")
    return out


def score(pred: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, str(ROOT / "etl" / "scorer.py"), "--gold", str(DATA / "gold_seeds.csv"),
                           "--pred", str(pred)], capture_output=True, text=True, check=True)
    print(proc.stdout)  # shown on failure: the misses and false values
    m = re.search(r"strict\s+tp=(\d+) fp=(\d+) fn=(\d+) precision=([\d.]+) recall=([\d.]+) f1=([\d.]+)", proc.stdout)
    assert m, proc.stdout
    return {"tp": int(m[1]), "fp": int(m[2]), "fn": int(m[3]), "precision": float(m[4]), "f1": float(m[6])}


def test_strict_f1_and_precision_on_seeds(predictions):
    s = score(predictions)
    assert s["f1"] >= 0.95, s
    assert s["precision"] >= 0.95, s


def test_jsonl_contract(predictions):
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert rows, "no values extracted from the seeds"
    required = {"doc", "province", "province_code", "year", "indicator", "scope", "value", "unit", "qualifier",
                "is_target", "evidence", "start", "end", "rule", "confidence"}
    for r in rows:
        assert required <= set(r), set(r) ^ required
        assert isinstance(r["value"], int | float) and isinstance(r["is_target"], bool)
        assert r["year"] is None or isinstance(r["year"], int)
    laocai_bts = [r for r in rows if r["indicator"] == "bts_stations" and r["doc"].startswith("001_")]
    assert [(r["province"], r["province_code"], r["year"], r["value"]) for r in laocai_bts] == [
        ("Lào Cai", "63-10", 2013, 912)]


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_evidence_is_exactly_the_text_between_offsets(path):
    doc = read_path(path)
    res = extract_document(doc)
    for o in res.observations:
        assert doc.text[o.start:o.end] == o.evidence
        assert o.evidence.strip() == o.evidence and o.evidence


def test_deterministic():
    doc = read_path(REPORTS / "001_435dc5d778df3190.txt")
    first = [o.to_dict() for o in extract_document(doc).observations]
    for _ in range(3):
        assert [o.to_dict() for o in extract_document(doc).observations] == first


def test_table_format_is_readable():
    proc = subprocess.run([sys.executable, "-m", "etl", "extract", str(REPORTS / "001_435dc5d778df3190.txt"),
                           "--format", "table"], capture_output=True, text=True, cwd=ROOT, check=True)
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:4] == ["doc", "province", "year", "indicator"]
    assert any("bts_stations" in ln and "912" in ln and "Lào Cai" in ln for ln in lines)
    assert lines[-1].endswith("values")
