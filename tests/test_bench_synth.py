"""The synthetic corpus generator (bench/synth_corpus.py) and the extractor's quality on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench import synth_corpus
from bench.common import markdown_table
from bench.synth_corpus import generate, load_phrasebook, read_expected, report_files, score, vi_decimal
from etl import provinces
from etl.catalog import load_catalog
from etl.dates import find_dateline
from etl.extract import extract_document
from etl.read import read_path
from etl.text import sentence_spans

CONTRACT_FIELDS = {"doc", "province", "year", "indicator", "scope", "value", "qualifier", "is_target"}
SCOPES = {"all", "province", "district", "commune", "village", "population", "household"}
QUALIFIERS = {"exact", "at_least", "at_most", "approx"}


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_corpus_and_another_seed_does_not(tmp_path):
    a, b, c = (generate(tmp_path / name, 40, seed=seed) for name, seed in (("a", 7), ("b", 7), ("c", 8)))
    assert _tree_bytes(a) == _tree_bytes(b)
    assert _tree_bytes(a)["expected.jsonl"] != _tree_bytes(c)["expected.jsonl"]


def test_writes_n_reports_and_expected_rows_name_existing_docs(tmp_path):
    root = generate(tmp_path / "corpus", 1234, seed=3)
    files = report_files(root)
    assert len(files) == 1234
    assert len({f.name for f in files}) == 1234  # names are unique across the 1,000-file folders
    assert len({f.parent for f in files}) == 2
    expected = read_expected(root)
    names = {f.name for f in files}
    assert expected and all(row["doc"] in names for row in expected)
    meta = json.loads((root / "corpus.json").read_text(encoding="utf-8"))
    assert meta["n_reports"] == 1234 and meta["n_values"] == len(expected)
    assert len({row["doc"] for row in expected}) > 0.9 * 1234  # nearly every report states values


def test_expected_rows_follow_the_contract_and_the_catalog_bounds(tmp_path):
    catalog = load_catalog()
    ids_63 = {p.province_id: p.name for p in provinces.all("63")}
    for row in read_expected(generate(tmp_path / "corpus", 500, seed=1)):
        assert CONTRACT_FIELDS <= set(row)
        ind = catalog.indicators[row["indicator"]]
        assert ind.within_hard(row["value"]), row
        assert row["unit"] == ind.unit
        assert ids_63[row["province_code"]] == row["province"]
        assert row["scope"] in SCOPES and row["qualifier"] in QUALIFIERS
        if row["is_target"]:
            assert row["year"] >= 2025
        else:
            assert synth_corpus.YEARS[0] <= row["year"] <= synth_corpus.YEARS[1]


def test_reports_have_title_dateline_and_three_to_eight_sentences(tmp_path):
    root = generate(tmp_path / "corpus", 60, seed=2)
    by_doc: dict[str, list[dict]] = {}
    for row in read_expected(root):
        by_doc.setdefault(row["doc"], []).append(row)
    for path in report_files(root):
        text = path.read_text(encoding="utf-8")
        title, dateline, body = text.split("\n\n", 2)
        year = int(re.search(r"năm (\d{4})", title).group(1))
        published = find_dateline(dateline)
        assert published is not None and published.year in (year, year + 1)
        assert 3 <= len(sentence_spans(body)) <= 8, body
        for row in by_doc.get(path.name, []):
            if row["province_code"] != by_doc[path.name][0]["province_code"]:
                continue  # another province, named in a ranking
            assert row["province"].split()[-1] in title or row["province"] == "Hồ Chí Minh"


def test_every_indicator_with_rules_has_at_least_two_phrasings():
    book = load_phrasebook()
    with_rules = [ind.id for ind in load_catalog().indicators.values() if ind.rules]
    assert with_rules
    thin = {i: len(book.templates_for(i)) for i in with_rules if len(book.templates_for(i)) < 2}
    assert not thin, f"indicators with fewer than 2 phrasing templates: {thin}"


def test_numbers_are_written_the_vietnamese_way():
    assert vi_decimal(1234567, 0) == "1.234.567"
    assert vi_decimal(62.5, 2) == "62,5"
    assert vi_decimal(1234.56, 2) == "1.234,56"
    assert vi_decimal(0.5741, 4) == "0,5741"


def test_score_is_strict_one_to_one_and_tolerates_half_a_percent():
    base = {"doc": "r1.txt", "province": "Lào Cai", "year": 2013, "indicator": "bts_stations", "scope": "all",
            "is_target": False, "qualifier": "exact", "template": "t"}
    expected = [base | {"value": 912}, base | {"value": 62, "indicator": "phone_subscribers_per_100"}]
    found = [
        base | {"value": 915},  # within 0.5 % of 912
        base | {"value": 915},  # the same value twice matches once
        base | {"value": 62, "indicator": "phone_subscribers_per_100", "year": 2014},  # wrong year
    ]
    sc = score(expected, found)
    assert (sc.total.matched_found, sc.total.found, sc.total.expected) == (1, 3, 2)
    assert sc.total.precision == pytest.approx(1 / 3) and sc.total.recall == pytest.approx(1 / 2)
    assert {e["diagnosis"] for e in sc.extras} == {"not expected (no value of this indicator missed in this doc)",
                                                   "wrong year"}
    assert score(expected, [base | {"value": 918}]).total.matched_found == 0  # 0.66 % off


def test_extractor_reaches_f1_09_on_200_synthetic_reports(tmp_path):
    root = generate(tmp_path / "corpus", 200, seed=0)
    found = []
    for path in report_files(root):
        found += [o.to_dict() for o in extract_document(read_path(path)).observations]
    sc = score(read_expected(root), found)
    misses = sorted({m["template"] for m in sc.misses})
    assert sc.total.f1 >= 0.9, (f"strict F1 {sc.total.f1:.3f} (P {sc.total.precision:.3f}, "
                                f"R {sc.total.recall:.3f}); families missed: {misses}")


def test_markdown_table_escapes_pipes_and_aligns_numbers():
    table = markdown_table(["name", "n"], [["a|b", 3], ["c", 12]])
    lines = table.splitlines()
    assert lines[0].startswith("| name") and "a\\|b" in lines[2]
    assert lines[1].endswith(": |") and lines[2].endswith("  3 |")
