"""The dashboard run headless with Streamlit's AppTest against a synthetic warehouse in tmp_path.

Every page opens without an exception, filters change what is shown, the view survives a round trip
through the URL, bad URL values are refused with a notice, the language switch works, and a missing
warehouse explains how to build it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth_warehouse import FAILED_DOC, KNOWN_DOC, build_synthetic  # noqa: E402
from etl import queries  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_short, vi_sort_key  # noqa: E402
from etl.ui.i18n import t  # noqa: E402
from etl.ui.router import PAGES  # noqa: E402

DASHBOARD = str(ROOT / "dashboard.py")
TIMEOUT = 180
PAGE_FILES = [spec.file for spec in PAGES]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_synthetic(tmp_path_factory.mktemp("apptest") / "syn.duckdb", n_obs=3000, seed=1)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """st.cache_data outlives AppTest instances within one pytest process."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def app(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ICTDASH_DB", str(warehouse))
    return AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    """Everything written on the page (markdown, captions, notices, titles), as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def row_count(at: AppTest) -> int:
    """The Explorer's row count ("**1.234** dòng" / "**1,234** rows")."""
    for m in at.markdown:
        found = re.match(r"\*\*([\d.,]+)\*\* (dòng|rows)", str(m.value))
        if found:
            return int(found.group(1).replace(".", "").replace(",", ""))
    raise AssertionError("no row count on the page")


# --- every page ------------------------------------------------------------------------------------


def test_every_page_opens_without_selection(app: AppTest) -> None:
    app.run()
    no_errors(app)
    assert app.title[0].value == "Tổng quan"
    for page in PAGE_FILES[1:]:
        app.switch_page(page).run()
        no_errors(app)
        assert app.title, page


def test_every_page_opens_with_a_selection(app: AppTest) -> None:
    app.query_params.update({"p": "63-10,63-27,63-01", "i": "bts_stations,fibre_coverage_pct", "y0": "2012",
                             "y1": "2024", "doc": KNOWN_DOC, "obs": "syn_known_bts_2013"})
    app.run()
    no_errors(app)
    for page in PAGE_FILES:
        app.switch_page(page).run()
        no_errors(app)
        charts = app.get("plotly_chart")
        if page in ("pages/overview.py", "pages/province.py", "pages/compare.py", "pages/trends.py"):
            assert charts, f"{page} drew no chart"
            assert app.get("arrow_data_frame") or app.dataframe, f"{page}: a chart without a table"


def test_per_capita_and_scheme_34_pages_open(app: AppTest) -> None:
    app.query_params.update({"p": "63-10,63-27", "i": "bts_stations", "per": "pop", "s": "34", "y": "2024"})
    app.run()
    for page in PAGE_FILES:
        app.switch_page(page).run()
        no_errors(app)
    app.switch_page("pages/map.py").run()
    assert "34" in app.segmented_control(key="w_map_scheme.vi").value


# --- filters and URL -------------------------------------------------------------------------------


def test_a_filter_changes_the_data(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/explorer.py").run()
    no_errors(app)
    everything = row_count(app)
    app.multiselect(key="w_provinces.vi").set_value(["63-10"]).run()
    no_errors(app)
    one = row_count(app)
    assert 0 < one < everything
    assert app.query_params["p"] == ["63-10"] or app.query_params["p"] == "63-10"
    app.radio(key="w_target.vi").set_value("target").run()
    assert row_count(app) < one


def test_url_round_trip(app: AppTest) -> None:
    app.query_params.update({"p": "63-10,63-27", "i": "bts_stations", "y0": "2013", "y1": "2020",
                             "sc": "all", "per": "pop", "lang": "en"})
    app.run()
    no_errors(app)
    assert app.multiselect(key="w_provinces.en").value == ["63-10", "63-27"]
    assert app.multiselect(key="w_indicators.en").value == ["bts_stations"]
    assert tuple(app.slider(key="w_years.en").value) == (2013, 2020)
    assert app.selectbox(key="w_scope.en").value == "all"
    assert app.radio(key="w_per.en").value == "pop"
    written = {k: (v if isinstance(v, str) else ",".join(v)) for k, v in app.query_params.items()}
    assert written == {"p": "63-10,63-27", "i": "bts_stations", "y0": "2013", "y1": "2020", "sc": "all",
                       "per": "pop", "lang": "en"}


def test_selection_survives_switching_pages(app: AppTest) -> None:
    app.run()
    app.multiselect(key="w_provinces.vi").set_value(["63-27", "63-10"]).run()
    app.switch_page("pages/compare.py").run()
    no_errors(app)
    assert app.multiselect(key="w_provinces.vi").value == ["63-27", "63-10"]
    app.switch_page("pages/province.py").run()
    assert app.selectbox(key="w_profile_province.vi").value == "63-27"


def test_bad_url_parameters_are_refused_with_a_notice(app: AppTest) -> None:
    app.query_params.update({"p": "63-10,99-99,'; DROP TABLE facts; --", "y0": "abc", "zzz": "1",
                             "i": ",".join(["x"] * 500), "lang": "<script>"})
    app.run()
    no_errors(app)
    assert app.warning, "no notice about the ignored parameters"
    notice = app.warning[0].value.replace("\\", "")  # values are markdown-escaped
    assert "99-99" in notice and "abc" in notice and "zzz" in notice
    assert app.multiselect(key="w_provinces.vi").value == ["63-10"]
    assert app.title[0].value == "Tổng quan"


def test_unknown_document_explains_itself(app: AppTest) -> None:
    app.query_params.update({"doc": "no_such_file.txt"})
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app)
    assert "no_such_file.txt" in texts(app).replace("\\", "")


# --- language --------------------------------------------------------------------------------------


def test_language_switch(app: AppTest) -> None:
    app.run()
    assert app.multiselect(key="w_provinces.vi").label == "Tỉnh/thành phố"
    app.segmented_control(key="w_lang.vi").set_value("en").run()
    no_errors(app)
    assert app.title[0].value == "Overview"
    assert app.multiselect(key="w_provinces.en").label == "Provinces"
    assert app.query_params["lang"] in ("en", ["en"])
    app.switch_page("pages/quality.py").run()
    assert app.title[0].value == "Data quality"


# --- empty states ----------------------------------------------------------------------------------


def test_empty_selection_explains_itself(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/compare.py").run()
    assert app.info and "2" in app.info[0].value  # "choose 2 to 8 provinces"
    app.switch_page("pages/province.py").run()
    assert app.info
    assert not app.get("plotly_chart")


def test_province_without_data_explains_itself(app: AppTest) -> None:
    app.query_params.update({"p": "34-01", "y0": "2012", "y1": "2013"})  # merged provinces report from 2025
    app.run()
    app.switch_page("pages/province.py").run()
    no_errors(app)
    assert app.info and "Hà Nội" in app.info[0].value
    assert not app.get("plotly_chart")


# --- sources and quality ---------------------------------------------------------------------------


def test_sources_page_escapes_document_text(app: AppTest) -> None:
    app.query_params.update({"doc": KNOWN_DOC, "obs": "syn_known_bts_2013"})
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app)
    bodies = [h.proto.body for h in app.get("html")]
    page = "\n".join(bodies)
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img" not in page
    assert 'id="obs-syn_known_bts_2013"' in page
    assert "912" in texts(app)


def test_sources_list_and_failed_document(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app)
    assert app.dataframe
    app.query_params.update({"doc": FAILED_DOC})
    app.run()
    assert not app.exception
    assert app.error  # "this file could not be read: ..."


def test_quality_page_offers_curation_lines(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/quality.py").run()
    no_errors(app)
    lines = [c.value for c in app.code if str(c.value).startswith(("reject,", "correct,"))]
    assert lines, "no ready-to-paste curation line"
    assert all(len(line.split(",")) >= 17 for line in lines)


def test_quality_page_draws_one_section_chosen_in_the_url(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/quality.py").run()
    no_errors(app)
    section = app.segmented_control(key="w_quality_section.vi")
    assert section.value != "how"  # "auto" opens a section with something to check
    section.set_value("how").run()
    no_errors(app)
    assert app.query_params["q"] in ("how", ["how"])
    assert any("ictdash etl" in str(code.value) for code in app.code)
    assert not [c for c in app.code if str(c.value).startswith(("reject,", "correct,"))]  # nothing else drawn

    app.query_params.clear()
    app.query_params.update({"q": "low_confidence", "th": "0.9"})
    app.switch_page("pages/quality.py").run()
    no_errors(app)
    assert app.segmented_control(key="w_quality_section.vi").value == "low_confidence"
    assert app.select_slider(key="w_quality_threshold.vi").value == 0.9


def test_quality_sections_page_through_all_their_rows(app: AppTest, warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        total = con.execute("SELECT count(*) FROM observations WHERE confidence < 0.9 "
                            "AND review_status = 'machine'").fetchall()[0][0]
    assert total > 400  # several pages
    app.query_params.update({"q": "low_confidence", "th": "0.9", "lang": "en"})
    app.switch_page("pages/quality.py").run()
    no_errors(app)
    first = app.dataframe(key="w_q_low_confidence").value
    assert len(first) == 200
    pages = app.number_input(key="w_q_page_low_confidence.en")
    assert pages.max > 1
    assert any(str(c.value).startswith("Items 1–200 of ") for c in app.caption)
    pages.set_value(pages.max).run()
    no_errors(app)
    last = app.dataframe(key="w_q_low_confidence").value
    assert pages.max == -(-total // 200) and len(last) == total - 200 * (pages.max - 1)
    assert set(last.iloc[:, -1]).isdisjoint(set(first.iloc[:, -1]))  # other values (their source links)


def test_trends_target_switch_lives_in_the_url(app: AppTest) -> None:
    app.query_params.update({"p": "63-10", "i": "bts_stations", "tg": "off"})
    app.switch_page("pages/trends.py").run()
    no_errors(app)
    toggle = app.toggle(key="w_trend_targets.vi")
    assert toggle.value is False
    toggle.set_value(True).run()
    no_errors(app)
    assert "tg" not in app.query_params  # back at the default: left out of the URL


def test_quality_page_ignores_an_unknown_section_with_a_notice(app: AppTest) -> None:
    app.query_params.update({"q": "<script>", "th": "7"})
    app.switch_page("pages/quality.py").run()
    assert not app.exception
    assert app.warning and "q" in app.warning[0].value and "th" in app.warning[0].value


# --- the warehouse file ----------------------------------------------------------------------------


def test_rebuilt_warehouse_shows_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_synthetic(tmp_path / "live.duckdb", n_obs=1500, seed=5)
    monkeypatch.setenv("ICTDASH_DB", str(path))
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/explorer.py").run()
    before = row_count(at)
    rebuilt = build_synthetic(tmp_path / "next.duckdb", n_obs=6000, seed=6)
    os.replace(rebuilt, path)
    at.run()
    no_errors(at)
    assert row_count(at) > before


def test_missing_warehouse_explains_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTDASH_DB", str(tmp_path / "nothing.duckdb"))
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Chưa có kho dữ liệu"
    assert any("make run" in str(c.value) for c in at.code)
    at.switch_page("pages/compare.py").run()
    assert not at.exception and at.title[0].value == "Chưa có kho dữ liệu"


def test_unreadable_warehouse_is_an_error_message_not_a_traceback(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "broken.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 100)
    monkeypatch.setenv("ICTDASH_DB", str(bad))
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert at.error


@pytest.mark.parametrize("page", ["pages/compare.py", "pages/sources.py"])
def test_a_page_started_without_the_router_hands_over_to_it(app: AppTest, warehouse: Path, page: str) -> None:
    """Streamlit's old multipage mode (a deep link as the first request) runs a page file alone."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.query_params.update({"p": "63-10,63-27"})
    at.run()
    no_errors(at)
    assert at.sidebar.multiselect(key="w_provinces.vi").value == ["63-10", "63-27"]  # the shared sidebar is there
    assert at.title  # and a page was drawn by the router


# --- issue 12: what managers see ---------------------------------------------------------------------


def _sql(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _headline_scope(warehouse: Path, indicator: str) -> str:
    return queries.headline_scopes(warehouse).set_index("indicator_id").at[indicator, "scope"]


def test_overview_says_what_is_loaded(app: AppTest, warehouse: Path) -> None:
    (docs,), = _sql(warehouse, "SELECT count(*) FROM documents WHERE status = 'ok'")
    (provs, facts, y0, y1), = _sql(warehouse, "SELECT count(DISTINCT province_id), count(*), "
                                   "min(year) FILTER (WHERE NOT is_target), max(year) FILTER (WHERE NOT is_target) "
                                   "FROM facts")
    app.run()
    no_errors(app)
    line = next(str(m.value) for m in app.markdown if str(m.value).startswith("**Đã nạp:**"))
    for part in (f"{fmt_int(docs)} tài liệu", f"{fmt_int(provs)} tỉnh có số liệu", f"({y0}–{y1})",
                 f"{fmt_int(facts)} số liệu", "đã được người kiểm tra"):
        assert part in line, (part, line)



def test_headline_cards_show_value_year_rank_and_change(app: AppTest, warehouse: Path) -> None:
    facts = queries.facts(warehouse, provinces=["63-10"], indicators=["bts_stations"], scope="auto", is_target=False)
    facts = facts.sort_values("year")
    last, prev = facts.iloc[-1], facts.iloc[-2]
    app.query_params.update({"p": "63-10"})
    app.run()
    no_errors(app)
    card = app.container(key="card_bts_stations")
    metric = card.metric[0]
    assert metric.value == fmt_short(last["value"], last["unit"], last["qualifier"], "vi")  # the value, large
    assert str(int(prev["year"])) in metric.delta  # the change from the previous value
    caption = " ".join(str(x.value) for x in card.caption)
    assert f"Năm {int(last['year'])}" in caption
    assert f"hạng {int(last['rank'])}/{int(last['n_ranked'])} tỉnh có số liệu" in caption

    # no province: the national median, large, with how many provinces it is the median of
    app = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)  # a new session: nothing chosen
    app.query_params.update({"lang": "en"})
    app.run()
    no_errors(app)
    med = queries.national_median(warehouse, indicators=["bts_stations"], scope="auto")
    med = med.sort_values("year").iloc[-1]
    card = app.container(key="card_bts_stations")
    assert card.metric[0].value == fmt_short(med["median"], "count", "exact", "en")
    n = int(med["n_reporting"])
    assert f"Median of {n} reporting province{'s' if n != 1 else ''} · {int(med['year'])}" in card.caption[0].value


def test_compare_says_what_the_scope_hides_and_one_click_shows_it(app: AppTest, warehouse: Path) -> None:
    indicator = "fibre_coverage_pct"
    headline = _headline_scope(warehouse, indicator)
    provs = ["63-10", "63-27", "63-01"]
    (n_other,), = _sql(warehouse, "SELECT count(*) FROM facts WHERE NOT is_target AND indicator_id = ? "
                       "AND province_id IN ('63-10', '63-27', '63-01') AND scope <> ?", [indicator, headline])
    assert n_other > 0, "the synthetic warehouse should hold other scopes"
    app.query_params.update({"p": ",".join(provs), "i": indicator})
    app.switch_page("pages/compare.py").run()
    no_errors(app)
    notice = next(str(i.value) for i in app.info if t("hidden.title") in str(i.value))
    assert f"{fmt_int(n_other)} số liệu ở phạm vi khác" in notice
    app.button(key="compare_show_scopes").click().run()
    no_errors(app)
    assert app.query_params["sc"] in ("any", ["any"])
    assert not any("phạm vi khác" in str(i.value) for i in app.info)
    scopes = {t(f"scope.{sc}") for (sc,) in _sql(
        warehouse, "SELECT DISTINCT scope FROM facts WHERE NOT is_target AND indicator_id = ? "
        "AND province_id IN ('63-10', '63-27', '63-01')", [indicator])}
    app.session_state["w_compare_trends_table.vi"] = True  # open the table by year (built only when open)
    app.run()
    no_errors(app)
    assert set(app.dataframe[-1].value[t("col.scope")]) == scopes  # the table by year: every scope now


def test_unknown_years_and_the_year_range_are_said_with_their_click(app: AppTest, warehouse: Path) -> None:
    (pid, indicator, n_unknown), = _sql(
        warehouse, "SELECT province_id, indicator_id, count(*) FROM observations WHERE year IS NULL "
        "AND province_id LIKE '63-%' AND NOT is_target AND review_status <> 'rejected' "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1")
    (n_out,), = _sql(warehouse, "SELECT count(*) FROM facts WHERE province_id = ? AND indicator_id = ? "
                     "AND NOT is_target AND (year < 2015 OR year > 2016)", [pid, indicator])
    assert n_out > 0
    app.query_params.update({"p": pid, "i": indicator, "y0": "2015", "y1": "2016", "sc": "any"})
    app.switch_page("pages/trends.py").run()
    no_errors(app)
    notice = next(str(i.value) for i in app.info if t("hidden.title") in str(i.value)).replace("\\", "")
    assert f"{fmt_int(n_unknown)} số liệu chưa rõ năm" in notice
    assert f"{fmt_int(n_out)} số liệu ngoài giai đoạn 2015–2016" in notice
    links = [link.proto for link in app.get("page_link") if link.proto.label == t("hidden.show_unknown")]
    assert links and "q=unknown_year" in links[0].query_string, "no click to the values without a year"
    app.button(key="trends_show_years").click().run()
    no_errors(app)
    assert "y0" not in app.query_params and "y1" not in app.query_params
    assert not any("ngoài giai đoạn" in str(i.value) for i in app.info)


def test_map_says_what_the_63_scheme_hides(app: AppTest, warehouse: Path) -> None:
    (n34,), = _sql(warehouse, "SELECT count(DISTINCT o.province_id) FROM observations o JOIN provinces p "
                   "USING (province_id) WHERE o.indicator_id = 'bts_stations' AND p.scheme = '34' AND o.year = 2025 "
                   "AND NOT o.is_target AND o.review_status <> 'rejected'")
    assert n34 > 0
    app.query_params.update({"i": "bts_stations", "y": "2024"})
    app.switch_page("pages/map.py").run()
    no_errors(app)
    assert any("34 tỉnh mới" in str(i.value) and "2025" in str(i.value) for i in app.info)
    app.button(key="map_show_34").click().run()
    no_errors(app)
    assert app.segmented_control(key="w_map_scheme.vi").value == "34"
    assert app.query_params["s"] in ("34", ["34"])


def test_no_table_prints_none(app: AppTest, warehouse: Path) -> None:
    """A missing value shows as "–", never as Streamlit's "None"."""
    (doc,), = _sql(warehouse, "SELECT doc_id FROM observations WHERE year IS NULL GROUP BY 1 ORDER BY count(*) DESC "
                   "LIMIT 1")
    links = {t("col.link"), t("col.source")}
    app.query_params.update({"p": "63-10,63-27", "doc": doc, "q": "unknown_year"})
    app.run()
    for page in PAGE_FILES:
        app.switch_page(page).run()
        no_errors(app)
        for frame in app.dataframe:
            df = frame.value
            for col in df.columns:
                if col in links or df[col].dtype == bool:
                    continue
                assert not df[col].isna().any(), f"{page}: column {col!r} has empty cells shown as None"


def test_province_lists_follow_the_vietnamese_alphabet(app: AppTest) -> None:
    app.run()
    labels = app.multiselect(key="w_provinces.vi").options
    old = [x for x in labels if "7/2025" not in x]
    assert old == sorted(old, key=vi_sort_key)
    for a, b in (("Bạc Liêu", "Bắc Giang"), ("Cà Mau", "Đà Nẵng"), ("Đồng Tháp", "Gia Lai"), ("Yên Bái", None)):
        assert a in old
        if b:
            assert old.index(a) < old.index(b), (a, b)


def test_trends_draw_every_province_in_grey_and_name_the_chosen(app: AppTest, warehouse: Path) -> None:
    import json

    indicator = "fibre_coverage_pct"
    headline = _headline_scope(warehouse, indicator)
    reporting = [p for (p,) in _sql(warehouse, "SELECT DISTINCT province_id FROM facts WHERE indicator_id = ? "
                                    "AND scope = ? AND NOT is_target ORDER BY 1", [indicator, headline])]
    chosen = [p for p in reporting if p.startswith("63-")][:2]
    app.query_params.update({"p": ",".join(chosen), "i": indicator, "tg": "off"})
    app.switch_page("pages/trends.py").run()
    no_errors(app)
    fig = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["showlegend"] is False  # no 126-entry legend
    grey = [tr for tr in fig["data"] if tr.get("line", {}).get("color") == "#c9cdd3"]
    assert len(grey) == 1  # every other province in ONE trace (63 traces made page switches slow)
    names_of = queries.provinces(warehouse).set_index("province_id")["name"]
    in_grey = {name for name, _ in grey[0]["customdata"] if name}
    assert {names_of[p] for p in reporting if p not in chosen} <= {n.split(" · ")[0] for n in in_grey}
    assert not {names_of[p] for p in chosen} & {n.split(" · ")[0] for n in in_grey}
    names = " ".join(a["text"] for a in fig["layout"]["annotations"])
    for pid in chosen:
        assert names_of[pid] in names, f"{names_of[pid]} is not named at its line's end: {names}"
    assert fig["layout"]["yaxis"]["range"] == [0, 100]  # a percentage axis within 0–100


def test_a_province_has_one_colour_on_bars_and_lines(app: AppTest) -> None:
    import json

    app.query_params.update({"p": "63-10,63-84,63-01", "i": "bts_stations"})
    app.switch_page("pages/compare.py").run()
    no_errors(app)
    charts = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    bar = next(f for f in charts if f["data"][0]["type"] == "bar")["data"][0]
    bar_colour = dict(zip(bar["y"], bar["marker"]["color"], strict=True))
    lines = next(f for f in charts if f["data"][0]["type"] == "scatter")["data"]
    line_colour = {tr["name"]: tr["line"]["color"] for tr in lines}
    assert bar_colour and all(line_colour[name] == colour for name, colour in bar_colour.items())
    assert len(set(bar_colour.values())) == len(bar_colour)


def test_english_counts_are_singular_for_one() -> None:
    assert t("count.provinces", "en", n="1") == "1 province"
    assert t("count.provinces", "en", n="2") == "2 provinces"
    assert t("explorer.f_provinces", "en", n="1") == "1 province"


# --- issue 12: the indicator workspace (pages/indicator.py) and maps --------------------------------

WORKSPACE = "pages/indicator.py"


def _spec(at: AppTest) -> dict:
    import json

    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_workspace_has_chart_map_table_and_sources_tabs(app: AppTest) -> None:
    app.query_params.update({"i": "fibre_coverage_pct", "p": "63-10,63-01"})
    app.switch_page(WORKSPACE).run()
    no_errors(app)
    assert app.title[0].value == "Chỉ tiêu"
    assert [tab.label for tab in app.tabs] == ["Biểu đồ", "Bản đồ", "Bảng", "Nguồn"]
    assert app.get("plotly_chart"), "the chart tab (the default) drew no chart"
    assert app.select_slider(key="w_ws_year.vi").value  # the timeline
    for tab, drawn in (("map", lambda: app.get("plotly_chart")), ("table", lambda: len(app.dataframe)),
                       ("sources", lambda: len(app.dataframe))):
        app.query_params["tab"] = tab
        app.run()
        no_errors(app)
        assert drawn(), f"the {tab} tab drew nothing"
    app.query_params["tab"] = "map"
    app.run()
    fig = _spec(app)
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Hoàng Sa" in notes and "Trường Sa" in notes and "Lào Cai" in notes


def test_workspace_url_restores_the_indicator(app: AppTest) -> None:
    app.query_params.update({"ind": "email_agencies_pct", "tab": "table"})
    app.switch_page(WORKSPACE).run()
    no_errors(app)
    assert app.selectbox(key="w_ws_indicator.vi").value == "email_agencies_pct"
    assert app.query_params["i"] in ("email_agencies_pct", ["email_agencies_pct"])  # written back as i=
    assert app.query_params["tab"] in ("table", ["table"])
    app.selectbox(key="w_ws_indicator.vi").set_value("bts_stations").run()
    no_errors(app)
    assert str(app.query_params["i"]).startswith("bts_stations")  # the focus first, as on every page


def test_workspace_region_preset_selects_its_provinces(app: AppTest, warehouse: Path) -> None:
    indicator = "fibre_coverage_pct"
    reporting = set(queries.facts(warehouse, indicators=[indicator], scope="auto", is_target=False)["province_id"])
    region = {p: r for p, r in _sql(warehouse, "SELECT province_id, region FROM provinces")}
    red_river = {p for p in reporting if region[p] == "Đồng bằng sông Hồng"}
    assert red_river
    app.query_params.update({"i": indicator})
    app.switch_page(WORKSPACE).run()
    presets = app.pills(key="w_ws_preset.vi")
    assert presets.value == "all"  # nothing chosen: "all provinces" is lit
    presets.set_value("red_river").run()
    no_errors(app)
    chosen = app.query_params["p"]
    assert set((chosen if isinstance(chosen, str) else ",".join(chosen)).split(",")) == red_river
    assert app.pills(key="w_ws_preset.vi").value == "red_river"
    fig = _spec(app)
    names = " ".join(a["text"] for a in fig["layout"]["annotations"])
    for pid in red_river:  # every chosen province named at its line's end
        assert queries.provinces(warehouse).set_index("province_id").at[pid, "name"] in names
    app.pills(key="w_ws_preset.vi").set_value("all").run()
    assert "p" not in app.query_params


def test_workspace_targets_are_off_by_default_and_dashed_when_on(app: AppTest, warehouse: Path) -> None:
    (pid,), = _sql(warehouse, "SELECT province_id FROM facts WHERE indicator_id = 'bts_stations' AND is_target "
                   "AND province_id LIKE '63-%' AND scope = ? ORDER BY 1 LIMIT 1",
                   [_headline_scope(warehouse, "bts_stations")])
    app.query_params.update({"i": "bts_stations", "p": pid})
    app.switch_page(WORKSPACE).run()
    no_errors(app)
    assert app.toggle(key="w_ws_targets.vi").value is False
    dashed = [tr for tr in _spec(app)["data"] if tr.get("line", {}).get("dash") == "dash"]
    assert dashed == []
    assert any("mục tiêu" in str(i.value) for i in app.info), "the hidden targets are not announced"
    app.toggle(key="w_ws_targets.vi").set_value(True).run()
    no_errors(app)
    assert app.query_params["wt"] in ("on", ["on"])
    dashed = [tr for tr in _spec(app)["data"] if tr.get("line", {}).get("dash") == "dash"]
    assert dashed, "targets switched on are not drawn dashed"


def test_map_labels_the_chosen_provinces_and_shows_the_archipelagos(app: AppTest) -> None:
    app.query_params.update({"i": "bts_stations", "p": "63-10,63-01"})
    app.switch_page("pages/map.py").run()
    no_errors(app)
    fig = _spec(app)
    boxes = {a["text"]: a for a in fig["layout"]["annotations"]}
    assert "<b>Lào Cai</b>" in boxes and "<b>Hà Nội</b>" in boxes
    assert any("Hoàng Sa" in text and "Đà Nẵng" in text for text in boxes)
    assert any("Trường Sa" in text and "Khánh Hòa" in text for text in boxes)
    outlines = [tr for tr in fig["data"] if tr.get("name", "").startswith("outline ")]
    assert {tr["name"] for tr in outlines} == {"outline 63-10", "outline 63-01"}
    labels = next(tr for tr in fig["data"] if tr.get("name") == "labels")
    assert len(labels["text"]) >= 30, "most provinces should be named on the map"


def test_province_pickers_list_the_63_and_the_34_apart(app: AppTest) -> None:
    app.run()
    old = app.multiselect(key="w_provinces.vi")
    new = app.multiselect(key="w_provinces34.vi")
    assert len(old.options) == 63 and len(new.options) == 34
    new.set_value(["34-15"]).run()
    app.multiselect(key="w_provinces.vi").set_value(["63-01"]).run()
    no_errors(app)
    chosen = app.query_params["p"]
    assert (chosen if isinstance(chosen, str) else ",".join(chosen)) == "34-15,63-01"  # order of choosing kept
