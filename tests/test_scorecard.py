"""The province scorecard: which way is better (ranks: lower), rank out of N, one scope per indicator, the
sentence of exactly the value shown, and the page drawing it (AppTest)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth_warehouse import build_synthetic  # noqa: E402
from etl import queries  # noqa: E402
from etl.queries import change_verdict, scorecard_rows  # noqa: E402
from etl.ui.i18n import t  # noqa: E402
from etl.ui.scorecard import change_text, rank_text  # noqa: E402

# --- which way is better ---------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "direction", "unit", "verdict"), [
    (1088, "up", "count", "better"),
    (-5, "up", "pct", "worse"),
    (0, "up", "pct", "same"),
    (5, "down", "rank", "worse"),       # rank 5 -> 10
    (-24, "down", "rank", "better"),    # rank 38 -> 14
    (5, "up", "rank", "worse"),         # a rank is lower-is-better whatever the catalog says
    (3, "neutral", "count", "changed"),
    (None, "up", "count", None),
    (float("nan"), "down", "rank", None),
])
def test_change_verdict_knows_which_way_is_better(change, direction, unit, verdict) -> None:
    assert change_verdict(change, direction, unit) == verdict


def _fact(indicator: str, year: int, value: float, *, scope: str = "all", unit: str = "count", rank: int = 1,
          n: int = 1) -> dict:
    return {"indicator_id": indicator, "year": year, "value": value, "scope": scope, "unit": unit,
            "qualifier": "exact", "denominator": None, "rank": rank, "n_ranked": n, "median": value,
            "review_status": "machine", "doc_id": f"{indicator}-{year}.txt", "obs_id": f"{indicator}-{year}-{scope}",
            "doc_title": "t", "doc_url": None, "evidence": f"{indicator} {year} = {value}"}


CATALOG = pd.DataFrame([
    {"indicator_id": "bts_stations", "grp": "infrastructure", "direction": "up", "catalog_unit": "count"},
    {"indicator_id": "fibre_coverage_pct", "grp": "infrastructure", "direction": "up", "catalog_unit": "pct"},
    {"indicator_id": "dti_rank", "grp": "rankings", "direction": "down", "catalog_unit": "rank"},
    {"indicator_id": "email_agencies_pct", "grp": "egov", "direction": "up", "catalog_unit": "pct"},
])


def test_scorecard_rows_latest_value_rank_change_and_evidence() -> None:
    series = pd.DataFrame([
        _fact("dti_rank", 2022, 5, unit="rank", rank=2, n=40),
        _fact("dti_rank", 2024, 10, unit="rank", rank=7, n=63),
        _fact("bts_stations", 2013, 912, rank=3, n=10),
        _fact("bts_stations", 2023, 2000, rank=2, n=12),
        _fact("email_agencies_pct", 2013, 97, unit="pct", rank=1, n=1),
        # fibre: the headline scope is commune; the province's 'all' value stays out of the row
        _fact("fibre_coverage_pct", 2020, 100, scope="commune", unit="pct", rank=1, n=4),
        _fact("fibre_coverage_pct", 2024, 70, scope="all", unit="pct", rank=5, n=5),
    ])
    rows = scorecard_rows(series, CATALOG, {"fibre_coverage_pct": "commune", "bts_stations": "all"})
    # grouped by theme in the managers' order: infrastructure, e-government, ..., rankings last
    assert list(rows["grp"]) == ["infrastructure", "infrastructure", "egov", "rankings"]
    by = rows.set_index("indicator_id")
    bts = by.loc["bts_stations"]
    assert (bts["year"], bts["value"], bts["rank"], bts["n_ranked"]) == (2023, 2000, 2, 12)
    assert (bts["prev_year"], bts["change"], bts["verdict"]) == (2013, 1088, "better")
    assert bts["trend"] == [912.0, 2000.0] and bts["trend_years"] == [2013, 2023]
    assert bts["evidence"] == "bts_stations 2023 = 2000" and bts["obs_id"] == "bts_stations-2023-all"
    dti = by.loc["dti_rank"]
    assert (dti["value"], dti["rank"], dti["n_ranked"], dti["change"], dti["verdict"]) == (10, 7, 63, 5, "worse")
    fibre = by.loc["fibre_coverage_pct"]
    assert (fibre["scope"], fibre["year"], fibre["value"], fibre["n_other_scopes"]) == ("commune", 2020, 100, 1)
    assert pd.isna(fibre["change"]) and pd.isna(fibre["verdict"])
    assert by.loc["email_agencies_pct", "rank"] == 1


def test_scorecard_rows_of_nothing() -> None:
    assert scorecard_rows(pd.DataFrame(), CATALOG, {}).empty


def test_change_and_rank_texts() -> None:
    def tr(key: str, **fmt) -> str:
        return t(key, "vi", **fmt)

    row = {"change": 1088.0, "verdict": "better", "prev_year": 2013}
    assert change_text(row, "vi", tr) == "▲ +1.088 · tốt hơn (so với 2013)"
    worse_rank = {"change": 5.0, "verdict": "worse", "prev_year": 2022}
    assert change_text(worse_rank, "en", lambda k, **f: t(k, "en", **f)) == "▲ +5 · worse (vs 2022)"
    assert change_text({"change": None, "verdict": None}, "vi", tr) == "–"
    assert rank_text(3, 1234, "vi") == "3/1.234"
    assert rank_text(None, 5, "vi") == "–"


# --- on a warehouse ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_synthetic(tmp_path_factory.mktemp("scorecard") / "syn.duckdb", n_obs=3000, seed=3)


def test_province_scorecard_agrees_with_the_facts(warehouse: Path) -> None:
    rows = queries.province_scorecard(warehouse, "63-10")
    assert not rows.empty
    assert rows["indicator_id"].is_unique
    for r in rows.itertuples():
        everyone = queries.facts(warehouse, indicators=[r.indicator_id], y0=r.year, y1=r.year, scope=r.scope,
                                 is_target=False, scheme="63")
        assert r.n_ranked == everyone["value"].notna().sum()  # N = provinces reporting that year and scope
        mine = everyone[everyone["province_id"] == "63-10"].iloc[0]
        assert mine["value"] == r.value and mine["obs_id"] == r.obs_id and mine["evidence"] == r.evidence
        if pd.notna(r.rank):
            direction = queries.definitions(warehouse, [r.indicator_id])["direction"].iloc[0]
            better = everyone["value"] > r.value if direction == "up" else everyone["value"] < r.value
            assert r.rank == 1 + int(better.sum())


# --- the page ---------------------------------------------------------------------------------------


@pytest.fixture
def app(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    st.cache_data.clear()
    monkeypatch.setenv("ICTDASH_DB", str(warehouse))
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    st.cache_data.clear()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_province_page_draws_the_scorecard_by_theme(app: AppTest, lang: str) -> None:
    app.query_params.update({"p": "63-10", "lang": lang})
    app.run()
    app.switch_page("pages/province.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert t("scorecard.title", lang) in [s.value for s in app.subheader]
    groups = [m.value.strip("*") for m in app.markdown if m.value.startswith("**")]
    assert t("group.infrastructure", lang) in groups and t("group.rankings", lang) in groups
    assert groups.index(t("group.infrastructure", lang)) < groups.index(t("group.rankings", lang))
    first = app.dataframe[0].value
    frame = first.data if hasattr(first, "data") else first  # a Styler carries its frame
    assert list(frame.columns) == [t(f"scorecard.col_{c}", lang) for c in
                                   ("indicator", "value", "year", "rank", "change", "trend", "link", "evidence")]
    links = [u for u in frame[t("scorecard.col_link", lang)] if isinstance(u, str)]
    assert links and all(u.startswith("sources?") and "obs=" in u for u in links)
