"""etl.queries against real DuckDB files: a tiny hand-made warehouse (exact expectations) and the
synthetic one (shape and consistency)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth_warehouse import FAILED_DOC, KNOWN_DOC, build_synthetic  # noqa: E402
from etl import queries as q  # noqa: E402

INJECTION = "x' OR 1=1 --"

PROVINCES = [
    # province_id, scheme, code, name, name_en, region, successor_id
    ("63-01", "63", "01", "Hà Nội", "Hanoi", "Đồng bằng sông Hồng", "34-01"),
    ("63-10", "63", "10", "Lào Cai", "Lao Cai", "Trung du và miền núi phía Bắc", "34-15"),
    ("63-15", "63", "15", "Yên Bái", "Yen Bai", "Trung du và miền núi phía Bắc", "34-15"),
    ("63-24", "63", "24", "Bắc Giang", "Bac Giang", "Trung du và miền núi phía Bắc", "34-24"),
    ("63-27", "63", "27", "Bắc Ninh", "Bac Ninh", "Đồng bằng sông Hồng", "34-24"),
    ("34-01", "34", "01", "Hà Nội", "Hanoi", "Đồng bằng sông Hồng", None),
    ("34-15", "34", "15", "Lào Cai", "Lao Cai", "Trung du và miền núi phía Bắc", None),
    ("34-24", "34", "24", "Bắc Ninh", "Bac Ninh", "Đồng bằng sông Hồng", None),
]
INDICATORS = [
    # id, unit, direction, additive
    ("bts_stations", "count", "up", True),
    ("fibre_coverage_pct", "pct", "up", False),
    ("ict_index_rank", "rank", "down", False),
    ("mobile_operators", "count", "neutral", False),
]
DOCS = [
    # doc_id, published, status, text
    ("d1.txt", date(2014, 1, 7), "ok", "Năm 2013 Lào Cai có 912 trạm BTS. Yên Bái có 500 trạm."),
    ("d2.txt", date(2015, 3, 1), "ok", "Khoảng 950 trạm BTS ở Lào Cai năm 2013."),
    ("d3.pdf", None, "failed", None),
    ("d4.txt", date(2016, 1, 1), "ok", "<script>alert(1)</script> số liệu"),
]
# obs_id, doc, province, year, indicator, scope, value, qualifier, is_target, confidence, review_status
OBS = [
    ("o01", "d1.txt", "63-10", 2013, "bts_stations", "all", 912, "exact", False, 0.9, "machine"),
    ("o02", "d2.txt", "63-10", 2013, "bts_stations", "all", 950, "approx", False, 0.9, "machine"),
    ("o03", "d1.txt", "63-15", 2013, "bts_stations", "all", 500, "exact", False, 0.9, "machine"),
    ("o04", "d2.txt", "63-01", 2013, "bts_stations", "all", 912, "exact", False, 0.9, "machine"),
    ("o05", "d2.txt", "63-27", 2013, "bts_stations", "all", 700, "exact", False, 0.9, "machine"),
    ("o06", "d1.txt", "63-15", 2013, "bts_stations", "all", 99999, "exact", False, 0.9, "rejected"),
    ("o10", "d2.txt", "63-10", 2014, "bts_stations", "all", 1000, "exact", False, 0.9, "machine"),
    ("o11", "d2.txt", "63-15", 2014, "bts_stations", "all", 600, "exact", False, 0.9, "machine"),
    ("o12", "d2.txt", "63-24", 2014, "bts_stations", "all", 400, "exact", False, 0.9, "machine"),
    ("o13", "d2.txt", "63-27", 2014, "bts_stations", "all", 800, "exact", False, 0.9, "machine"),
    ("o14", "d2.txt", "63-10", 2015, "bts_stations", "all", 1500, "exact", True, 0.9, "machine"),
    ("o20", "d1.txt", "63-10", 2013, "fibre_coverage_pct", "commune", 80, "exact", False, 0.9, "machine"),
    ("o21", "d1.txt", "63-15", 2013, "fibre_coverage_pct", "commune", 90, "at_least", False, 0.4, "machine"),
    ("o22", "d2.txt", "63-01", 2013, "fibre_coverage_pct", "commune", 100, "exact", False, 0.9, "machine"),
    ("o23", "d2.txt", "63-10", 2013, "fibre_coverage_pct", "village", 60, "exact", False, 0.9, "machine"),
    ("o24", "d2.txt", "63-27", 2013, "fibre_coverage_pct", "commune", 70, "exact", False, 0.9, "machine"),
    ("o30", "d2.txt", "63-01", 2013, "ict_index_rank", "all", 1, "exact", False, 0.9, "machine"),
    ("o31", "d2.txt", "63-10", 2013, "ict_index_rank", "all", 5, "exact", False, 0.9, "machine"),
    ("o32", "d2.txt", "63-27", 2013, "ict_index_rank", "all", 5, "exact", False, 0.9, "machine"),
    ("o40", "d2.txt", "63-10", 2013, "mobile_operators", "all", 4, "exact", False, 0.9, "machine"),
    ("o41", "d2.txt", "63-01", 2013, "mobile_operators", "all", 5, "exact", False, 0.9, "machine"),
    ("o50", "d1.txt", "63-10", None, "bts_stations", "all", 300, "exact", False, 0.9, "machine"),
    ("o51", "d1.txt", None, 2013, "bts_stations", "all", 10, "exact", False, 0.9, "machine"),
    ("o60", "d4.txt", "63-24", 2015, "bts_stations", "all", 450, "exact", False, 0.9, "corrected"),
]
POPULATION = [("63-10", 2013, 700_000, 6_400.0), ("63-01", 2013, 8_000_000, 3_360.0)]


def make_warehouse(path: Path) -> Path:
    """A warehouse from etl/schema.sql with the rows above (parameterized inserts)."""
    con = duckdb.connect(str(path))
    try:
        con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
        con.execute("INSERT INTO meta VALUES ('built_at', '2025-01-01T00:00:00')")
        for pid, scheme, code, name, name_en, region, succ in PROVINCES:
            con.execute(
                "INSERT INTO provinces (province_id, scheme, code, name, name_en, kind, region, successor_id) "
                "VALUES (?, ?, ?, ?, ?, 'tinh', ?, ?)", [pid, scheme, code, name, name_en, region, succ])
        for iid, unit, direction, additive in INDICATORS:
            con.execute(
                "INSERT INTO indicators (indicator_id, name_vi, name_en, unit, grp, direction, additive, "
                "definition_vi, definition_en, source) VALUES (?, ?, ?, ?, 'g', ?, ?, 'đn', 'def', 'src')",
                [iid, iid + " vi", iid + " en", unit, direction, additive])
        for doc_id, published, status, text in DOCS:
            con.execute(
                "INSERT INTO documents (doc_id, path, sha256, fmt, title, published, status, error, text) "
                "VALUES (?, ?, 'x', 'txt', ?, ?, ?, ?, ?)",
                [doc_id, "data/reports/" + doc_id, "Tài liệu " + doc_id, published, status,
                 "broken" if status != "ok" else None, text])
        units = {i[0]: i[1] for i in INDICATORS}
        for oid, doc, prov, year, ind, scope, value, qual, target, conf, review in OBS:
            con.execute(
                "INSERT INTO observations (obs_id, doc_id, province_id, province_name, year, indicator_id, "
                "scope, value, unit, qualifier, is_target, evidence, start_offset, end_offset, rule, "
                "confidence, origin, review_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, "
                "'r', ?, 'machine', ?)",
                [oid, doc, prov, "?" if prov is None else None, year, ind, scope, float(value), units[ind],
                 qual, target, f"câu {oid}", conf, review])
        for pid, year, pop, area in POPULATION:
            con.execute("INSERT INTO population VALUES (?, ?, ?, ?, 'test', NULL)", [pid, year, pop, area])
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "tiny.duckdb")


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_synthetic(tmp_path_factory.mktemp("syn") / "syn.duckdb", n_obs=4000, seed=3)


def _one(df: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    rows = df[mask]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]


# --- facts and filters ------------------------------------------------------------------------------


def test_facts_choose_exact_over_approx_and_count_disagreement(db: Path) -> None:
    df = q.facts(db, provinces=["63-10"], indicators=["bts_stations"], y0=2013, y1=2013)
    row = _one(df, year=2013)
    assert row["value"] == 912 and row["obs_id"] == "o01"
    assert row["n_sources"] == 2 and row["n_disagree"] == 1
    assert row["province_name"] == "Lào Cai" and row["province_name_en"] == "Lao Cai"


def test_filters_narrow_results(db: Path) -> None:
    everything = q.facts(db)
    assert len(everything) > 0
    assert set(q.facts(db, provinces=["63-10"])["province_id"]) == {"63-10"}
    assert set(q.facts(db, indicators=["ict_index_rank"])["indicator_id"]) == {"ict_index_rank"}
    years = q.facts(db, y0=2014, y1=2014)["year"]
    assert set(years) == {2014}
    assert set(q.facts(db, scope="village")["scope"]) == {"village"}
    assert q.facts(db, is_target=True)["obs_id"].tolist() == ["o14"]
    assert not q.facts(db, is_target=False)["is_target"].any()
    red_river = q.facts(db, regions=["Đồng bằng sông Hồng"])
    assert set(red_river["province_id"]) == {"63-01", "63-27"}
    assert q.facts(db, review_status=["corrected"])["obs_id"].tolist() == ["o60"]
    assert len(q.facts(db, limit=3)) == 3
    assert q.facts(db, provinces=[]).empty  # an empty selection selects nothing


def test_rejected_unknown_year_and_unknown_province_stay_out_of_facts(db: Path) -> None:
    ids = set(q.facts(db)["obs_id"])
    assert not ids & {"o06", "o50", "o51"}


def test_auto_scope_picks_the_scope_most_provinces_report(db: Path) -> None:
    df = q.facts(db, indicators=["fibre_coverage_pct"], scope="auto")
    assert set(df["scope"]) == {"commune"}
    both = q.facts(db, indicators=["fibre_coverage_pct"], scope=None)
    assert set(both["scope"]) == {"commune", "village"}
    heads = q.headline_scopes(db).set_index("indicator_id")["scope"]
    assert heads["fibre_coverage_pct"] == "commune"


def test_headline_scopes_from_facts_match_the_observations(synth: Path) -> None:
    """`headline_scopes` counts provinces on `facts`; the observations it stands for give the same scopes."""
    with duckdb.connect(str(synth), read_only=True) as con:
        counts = con.execute("""
            SELECT indicator_id, scope, count(DISTINCT province_id) AS n FROM observations
            WHERE review_status <> 'rejected' AND province_id IS NOT NULL AND year IS NOT NULL AND NOT is_target
              AND (confidence >= 0.5 OR review_status IN ('corrected', 'added'))
            GROUP BY indicator_id, scope""").df()
    heads = q.headline_scopes(synth)
    assert len(heads) == counts["indicator_id"].nunique()
    for row in heads.itertuples():
        mine = counts[counts["indicator_id"] == row.indicator_id]
        assert row.n_provinces == mine["n"].max()
        assert row.scope in set(mine.loc[mine["n"] == mine["n"].max(), "scope"])


@pytest.mark.parametrize("bad", [INJECTION, "'; DROP TABLE observations; --", "63-10' --", "%", ""])
def test_parameterization_user_values_never_become_sql(db: Path, bad: str) -> None:
    assert q.facts(db, provinces=[bad]).empty
    assert q.facts(db, indicators=[bad]).empty
    assert q.facts(db, regions=[bad]).empty
    assert q.document(db, bad).empty
    assert q.province_profile(db, bad).empty
    assert q.documents(db, province_id=bad).empty
    q.documents(db, search=bad)  # a search for it runs and raises nothing
    assert len(q.facts(db)) > 0  # and nothing was dropped


def test_injection_in_search_matches_literally(db: Path) -> None:
    assert q.documents(db, search=INJECTION).empty
    assert q.documents(db, search="d1")["doc_id"].tolist() == ["d1.txt"]


def test_bad_per_value_is_refused(db: Path) -> None:
    with pytest.raises(ValueError):
        q.facts(db, per="population; DROP TABLE x")


# --- ranks and medians --------------------------------------------------------------------------------


def test_ranks_share_places_on_ties(db: Path) -> None:
    df = q.facts(db, indicators=["bts_stations"], y0=2013, y1=2013, is_target=False)
    ranks = dict(zip(df["province_id"], df["rank"], strict=True))
    assert ranks == {"63-10": 1, "63-01": 1, "63-27": 3, "63-15": 4}
    assert set(df["n_ranked"]) == {4}


def test_rank_direction_down_means_lower_is_better(db: Path) -> None:
    df = q.facts(db, indicators=["ict_index_rank"], y0=2013, y1=2013)
    ranks = dict(zip(df["province_id"], df["rank"], strict=True))
    assert ranks == {"63-01": 1, "63-10": 2, "63-27": 2}


def test_neutral_indicator_has_no_rank_but_a_median(db: Path) -> None:
    df = q.facts(db, indicators=["mobile_operators"])
    assert df["rank"].isna().all()
    assert set(df["median"]) == {4.5}


def test_rank_ignores_the_province_filter(db: Path) -> None:
    df = q.facts(db, provinces=["63-27"], indicators=["bts_stations"], y0=2013, y1=2013)
    row = _one(df, province_id="63-27")
    assert row["rank"] == 3 and row["n_ranked"] == 4


def test_national_median_of_reporting_provinces(db: Path) -> None:
    med = q.national_median(db, indicators=["bts_stations"])
    row = _one(med, year=2013)
    assert row["median"] == pytest.approx((912 + 700) / 2) and row["n_reporting"] == 4


# --- per capita ---------------------------------------------------------------------------------------


def test_per_capita_applies_to_additive_counts_with_population(db: Path) -> None:
    df = q.facts(db, indicators=["bts_stations", "fibre_coverage_pct"], y0=2013, y1=2013, per="pop")
    lc = _one(df, province_id="63-10", indicator_id="bts_stations")
    assert lc["value"] == pytest.approx(912 / 700_000 * 10_000)
    assert lc["raw_value"] == 912 and lc["unit"] == "per_10k_pop" and lc["raw_unit"] == "count"
    yb = _one(df, province_id="63-15", indicator_id="bts_stations")
    assert pd.isna(yb["value"]) and yb["raw_value"] == 500  # no population: no per-capita value
    fibre = _one(df, province_id="63-10", indicator_id="fibre_coverage_pct", scope="commune")
    assert fibre["value"] == 80 and fibre["unit"] == "pct"
    by_area = q.facts(db, provinces=["63-10"], indicators=["bts_stations"], y0=2013, y1=2014, per="area")
    assert by_area["value"].tolist() == pytest.approx([912 / 64, 1000 / 64])


# --- derived views ------------------------------------------------------------------------------------


def test_latest_takes_the_most_recent_achieved_year(db: Path) -> None:
    df = q.latest(db, indicators=["bts_stations"], provinces=["63-10", "63-01"])
    latest = dict(zip(df["province_id"], df["year"], strict=True))
    assert latest == {"63-10": 2014, "63-01": 2013}  # the 2015 target is not an achieved value


def test_coverage_lists_years_with_data(db: Path) -> None:
    df = q.coverage(db, provinces=["63-10"], indicators=["bts_stations"])
    row = _one(df, province_id="63-10")
    assert row["years"] == [2013, 2014] and row["n_years"] == 2


def test_province_profile_change_from_previous_value(db: Path) -> None:
    df = q.province_profile(db, "63-10")
    bts = df[(df["indicator_id"] == "bts_stations") & ~df["is_target"]].set_index("year")
    assert pd.isna(bts.at[2013, "change"]) and bts.at[2014, "change"] == 88
    assert {"commune", "village"} <= set(df[df["indicator_id"] == "fibre_coverage_pct"]["scope"])
    assert df["is_target"].any()


def test_map_63_no_data_is_nan_not_zero(db: Path) -> None:
    df = q.map_values(db, "bts_stations", 2013, scheme="63").set_index("province_id")
    assert len(df) == 5
    assert df.at["63-10", "value"] == 912 and df.at["63-10", "status"] == "reported"
    assert pd.isna(df.at["63-24", "value"]) and df.at["63-24", "status"] == "no_data"


def test_map_34_aggregates_only_complete_additive_counts(db: Path) -> None:
    bts = q.map_values(db, "bts_stations", 2014, scheme="34").set_index("province_id")
    assert bts.at["34-15", "value"] == 1600 and bts.at["34-15", "status"] == "aggregated"
    assert bts.at["34-24", "value"] == 1200 and bts.at["34-24", "status"] == "aggregated"
    assert pd.isna(bts.at["34-01", "value"]) and bts.at["34-01", "status"] == "no_data"
    partial = q.map_values(db, "bts_stations", 2013, scheme="34").set_index("province_id")
    assert pd.isna(partial.at["34-24", "value"]) and partial.at["34-24", "status"] == "incomplete"
    assert partial.at["34-24", "missing"] == ["Bắc Giang"]
    fibre = q.map_values(db, "fibre_coverage_pct", 2013, scheme="34").set_index("province_id")
    assert pd.isna(fibre.at["34-15", "value"]) and fibre.at["34-15", "status"] == "not_additive"
    assert fibre.at["34-01", "value"] == 100 and fibre.at["34-01", "status"] == "carried"
    # a percentage of a merged province is never summed, even when only some predecessors reported
    assert pd.isna(fibre.at["34-24", "value"]) and fibre.at["34-24", "status"] == "not_additive"


def test_map_34_per_capita_uses_summed_population(db: Path) -> None:
    df = q.map_values(db, "bts_stations", 2013, scheme="34", per="pop").set_index("province_id")
    assert df.at["34-01", "value"] == pytest.approx(912 / 8_000_000 * 10_000)


def test_indicator_years(db: Path) -> None:
    assert q.indicator_years(db, "bts_stations", "63")["year"].tolist() == [2013, 2014, 2015]
    assert q.indicator_years(db, "bts_stations", "34").empty


# --- sources and quality ------------------------------------------------------------------------------


def test_documents_and_document_observations(db: Path) -> None:
    docs = q.documents(db)
    assert docs["doc_id"].iloc[0] == "d4.txt"  # newest first
    assert "text" not in docs.columns
    assert q.documents(db, status="failed")["doc_id"].tolist() == ["d3.pdf"]
    doc = q.document(db, "d4.txt")
    assert doc.iloc[0]["text"].startswith("<script>")
    obs = q.document_observations(db, "d2.txt").set_index("obs_id")
    assert not obs.at["o02", "shown"] and obs.at["o04", "shown"]


def test_conflicts_list_every_candidate(db: Path) -> None:
    df = q.conflicts(db)
    assert set(df["obs_id"]) == {"o01", "o02"}
    assert _one(df, obs_id="o01")["chosen"] and not _one(df, obs_id="o02")["chosen"]
    assert q.conflicts(db, provinces=[INJECTION]).empty


def test_quality_lists(db: Path) -> None:
    assert q.unknown_year(db)["obs_id"].tolist() == ["o50"]
    assert q.unknown_province(db)["obs_id"].tolist() == ["o51"]
    assert q.low_confidence(db, threshold=0.5)["obs_id"].tolist() == ["o21"]
    assert q.failed_documents(db)["doc_id"].tolist() == ["d3.pdf"]
    s = q.quality_summary(db, threshold=0.5).iloc[0]
    assert (s["n_conflicts"], s["n_unknown_year"], s["n_unknown_province"], s["n_low_confidence"],
            s["n_failed"]) == (1, 1, 1, 1, 1)


def test_reference_tables(db: Path) -> None:
    assert len(q.provinces(db, scheme="63")) == 5 and len(q.provinces(db)) == 8
    inds = q.indicators(db).set_index("indicator_id")
    assert inds.at["bts_stations", "n_obs"] == 13  # rejected values are not counted
    yr = q.year_range(db).iloc[0]
    assert (yr["min_year"], yr["max_year"]) == (2013, 2015)
    assert set(q.definitions(db, ["bts_stations"])["indicator_id"]) == {"bts_stations"}
    assert q.meta(db).set_index("key").at["built_at", "value"].startswith("2025")


# --- the file itself ------------------------------------------------------------------------------------


def test_db_version_changes_when_the_file_is_replaced(tmp_path: Path) -> None:
    path = make_warehouse(tmp_path / "a.duckdb")
    before = q.db_version(path)
    other = make_warehouse(tmp_path / "b.duckdb")
    os.utime(other, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)
    os.replace(other, path)
    assert q.db_version(path) != before
    assert q.db_version(tmp_path / "none.duckdb") == "missing"


def test_missing_warehouse_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(q.WarehouseMissing):
        q.facts(tmp_path / "nothing.duckdb")


def test_reads_do_not_lock_the_file(db: Path) -> None:
    q.facts(db, limit=1)
    con = duckdb.connect(str(db), read_only=True)  # another reader while ours closed cleanly
    con.close()


def test_default_db_path_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ICTDASH_DB", str(tmp_path / "x.duckdb"))
    assert q.default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("ICTDASH_DB")
    assert q.default_db_path() == ROOT / "data" / "ictdash.duckdb"


# --- the synthetic warehouse ----------------------------------------------------------------------------


def test_synthetic_evidence_is_the_text_at_its_offsets(synth: Path) -> None:
    con = duckdb.connect(str(synth), read_only=True)
    try:
        bad = con.execute("""
            SELECT count(*) FROM observations o JOIN documents d USING (doc_id)
            WHERE substr(d.text, o.start_offset + 1, o.end_offset - o.start_offset) <> o.evidence""").fetchone()
        n = con.execute("SELECT count(*) FROM observations").fetchone()
    finally:
        con.close()
    assert bad == (0,) and n == (4000,)


def test_synthetic_has_what_the_pages_need(synth: Path) -> None:
    known = q.facts(synth, provinces=["63-10"], indicators=["bts_stations"], y0=2013, y1=2013)
    assert _one(known, year=2013)["value"] == 912
    assert KNOWN_DOC in set(q.documents(synth, search="lao_cai")["doc_id"])
    s = q.quality_summary(synth).iloc[0]
    assert s["n_conflicts"] > 0 and s["n_unknown_year"] > 0 and s["n_unknown_province"] > 0
    assert s["n_low_confidence"] > 0 and s["n_failed"] > 0
    assert FAILED_DOC in set(q.failed_documents(synth)["doc_id"])
    assert q.facts(synth, is_target=True).shape[0] > 0
    assert q.facts(synth, per="pop")["unit"].eq("per_10k_pop").any()
    assert (q.map_values(synth, "bts_stations", 2024, scheme="34")["status"] == "aggregated").any()


def test_conflict_groups_and_candidates(db: Path) -> None:
    groups = q.conflict_groups(db)
    g = _one(groups, province_id="63-10")
    assert g["chosen_obs_id"] == "o01" and g["n_disagree"] == 1
    cands = q.candidates(db, "63-10", 2013, "bts_stations", "all", False)
    assert cands["obs_id"].tolist() == ["o01", "o02"] and cands["chosen"].tolist() == [True, False]
    assert q.candidates(db, INJECTION, 2013, "bts_stations", "all", False).empty
    assert len(q.conflict_groups(db, limit=0)) == 0


def test_sources_for_and_limits(db: Path) -> None:
    assert q.sources_for(db, ["d2.txt", "d1.txt", INJECTION])["doc_id"].tolist() == ["d1.txt", "d2.txt"]
    assert q.sources_for(db, []).empty
    assert len(q.low_confidence(db, threshold=1.0, limit=2)) == 2
    assert q.unknown_year(db, limit=0).empty and q.unknown_province(db, limit=0).empty


# --- what is loaded and what a view hides (issue 12) -------------------------------------------------


def test_load_summary_counts_what_the_pages_can_show(synth: Path) -> None:
    s = q.load_summary(synth).iloc[0]
    facts = q.facts(synth)
    docs = q.documents(synth)
    assert s["n_documents"] == (docs["status"] == "ok").sum() and s["n_failed"] == (docs["status"] != "ok").sum()
    assert s["n_facts"] == len(facts)
    assert s["n_provinces"] == facts["province_id"].nunique() == s["n_provinces_63"] + s["n_provinces_34"]
    achieved = facts[~facts["is_target"]]
    assert (s["first_year"], s["last_year"], s["n_years"]) == (achieved["year"].min(), achieved["year"].max(),
                                                               achieved["year"].nunique())
    assert s["n_checked"] == facts["review_status"].isin(["corrected", "added"]).sum() > 0
    assert s["n_unknown_year"] == len(q.unknown_year(synth))


def test_hidden_counts_match_what_the_filters_leave_out(synth: Path) -> None:
    provs, inds = ["63-10", "63-27", "63-01"], ["fibre_coverage_pct", "email_agencies_pct"]
    hidden = q.hidden_counts(synth, provinces=provs, indicators=inds, y0=2015, y1=2018, scope="auto").set_index(
        "province_id")
    shown = q.facts(synth, provinces=provs, indicators=inds, y0=2015, y1=2018, scope="auto", is_target=False)
    in_years = q.facts(synth, provinces=provs, indicators=inds, y0=2015, y1=2018, is_target=False)
    at_scope = q.facts(synth, provinces=provs, indicators=inds, scope="auto", is_target=False)
    unknown = q.unknown_year(synth)
    unknown = unknown[unknown["province_id"].isin(provs) & unknown["indicator_id"].isin(inds) & ~unknown["is_target"]]
    for p in provs:
        expected = (int((in_years["province_id"] == p).sum() - (shown["province_id"] == p).sum()),
                    int((at_scope["province_id"] == p).sum() - (shown["province_id"] == p).sum()),
                    int((unknown["province_id"] == p).sum()))
        got = tuple(int(hidden.at[p, c]) for c in ("n_other_scope", "n_other_years", "n_unknown_year")) \
            if p in hidden.index else (0, 0, 0)
        assert got == expected, p
    # every scope and every year kept: only values without a year are left
    rest = q.hidden_counts(synth, provinces=provs, indicators=inds, scope=None)
    assert (rest["n_other_scope"] == 0).all() and (rest["n_other_years"] == 0).all()
