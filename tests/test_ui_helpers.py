"""The dashboard's pure helpers: number formatting, ranking, URL state, translations, safe HTML,
curation lines. No Streamlit server needed."""

from __future__ import annotations

import csv
import io
import math
import re
import string
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.ui import state  # noqa: E402
from etl.ui.curation_lines import COLUMNS, curation_line, header_line  # noqa: E402
from etl.ui.fmt import (  # noqa: E402
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_value,
    fmt_years,
    md_escape,
    plotly_separators,
)
from etl.ui.highlight import Span, anchor_id, excerpt_html, highlight_html, locate, scroll_script  # noqa: E402
from etl.ui.i18n import LANGS, t, t_opt, table  # noqa: E402
from etl.ui.ranking import min_rank, rank_in_groups  # noqa: E402
from etl.ui.state import Known, ViewState, export_filename, merge, parse_query, to_query  # noqa: E402

KNOWN = Known(
    provinces=frozenset({"63-10", "63-27", "63-01", "34-15"}),
    indicators=frozenset({"bts_stations", "fibre_coverage_pct"}),
    regions=frozenset({"Tây Nguyên", "Đồng bằng sông Hồng"}),
    min_year=2010,
    max_year=2025,
)

# --- number formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (1234.5, "vi", "1.234,5"),
    (1234.5, "en", "1,234.5"),
    (912, "vi", "912"),
    (2_000_000, "vi", "2.000.000"),
    (2_000_000, "en", "2,000,000"),
    (6.2, "vi", "6,2"),
    (62.0, "vi", "62"),
    (0.6893, "vi", "0,689"),
    (-290, "vi", "−290"),
    (-0.0001, "vi", "0"),
    (0, "en", "0"),
    (float("nan"), "vi", "–"),
    (None, "en", "–"),
])
def test_fmt_number(value: float | None, lang: str, expected: str) -> None:
    assert fmt_number(value, lang) == expected


def test_fmt_number_fixed_decimals() -> None:
    assert fmt_number(1234.5, "vi", 2, trim=False) == "1.234,50"
    assert fmt_number(12.345, "en", 1) == "12.3"
    assert fmt_int(12345.6, "vi") == "12.346"


@pytest.mark.parametrize(("args", "expected"), [
    ((95, "pct", "at_least", "vi"), "≥ 95%"),
    ((2_000_000, "count", "approx", "vi"), "≈ 2.000.000"),
    ((2_000_000, "count", "approx", "en"), "≈ 2,000,000"),
    ((10, "count", "at_most", "en"), "≤ 10"),
    ((62, "per_100", "exact", "vi"), "62/100 dân"),
    ((6.2, "per_100", "exact", "en"), "6.2 per 100 people"),
    ((1234.5, "bn_vnd", "exact", "vi"), "1.234,5 tỷ đồng"),
    ((12.5, "pct", "exact", "en"), "12.5%"),
    ((5, "rank", "exact", "vi", 63), "hạng 5/63"),
    ((5, "rank", "exact", "en"), "rank 5"),
    ((13.03, "per_10k_pop", "exact", "vi"), "13,03/10.000 dân"),
    ((7, "unknown_unit", "exact", "vi"), "7"),
    ((None, "pct", "exact", "vi"), "–"),
])
def test_fmt_value_shows_qualifier_and_unit(args: tuple, expected: str) -> None:
    assert fmt_value(*args) == expected


def test_fmt_change_and_years() -> None:
    assert fmt_change(441, "vi") == "+441"
    assert fmt_change(-290.5, "vi") == "−290,5"
    assert fmt_change(0, "en") == "0"
    assert fmt_change(None, "en") == "–"
    assert fmt_years([2018, 2012, 2013, 2014, 2014]) == "2012–2014, 2018"
    assert fmt_years([]) == "–"


def test_plotly_separators_follow_language() -> None:
    assert plotly_separators("vi") == ",."
    assert plotly_separators("en") == ".,"


def test_md_escape_neutralizes_markdown_and_cuts() -> None:
    out = md_escape("[click](javascript:alert(1)) **x** <b>", max_len=200)
    assert "\\[" in out and "\\(" in out and "\\*" in out and "\\<" in out
    assert len(md_escape("a" * 500, max_len=50)) == 50


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_fmt_number_vi_and_en_agree(value: float) -> None:
    vi, en = fmt_number(value, "vi"), fmt_number(value, "en")
    swapped = en.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    assert vi == swapped
    parsed = float(en.replace(",", "").replace("−", "-"))
    assert math.isclose(parsed, value, rel_tol=1e-2, abs_tol=1e-2)


# --- ranking --------------------------------------------------------------------------------------


def test_min_rank_ties_share_places() -> None:
    assert min_rank([10, 20, 20, 5], "up") == [3, 1, 1, 4]
    assert min_rank([10, 20, 20, 5], "down") == [2, 3, 3, 1]
    assert min_rank([7, 7, 7], "up") == [1, 1, 1]
    assert min_rank([3, None, 1], "up") == [1, None, 2]
    assert min_rank([1, 2], "neutral") == [None, None]


def test_rank_in_groups() -> None:
    import pandas as pd

    df = pd.DataFrame({"year": [2013, 2013, 2013, 2014], "value": [5, 9, 9, 1]})
    assert rank_in_groups(df, "value", ["year"], "up").tolist() == [3, 1, 1, 1]
    assert rank_in_groups(df, "value", ["year"], "down").tolist() == [1, 2, 2, 1]


# --- URL state ------------------------------------------------------------------------------------


def test_defaults_are_left_out_of_the_url() -> None:
    assert to_query(ViewState()) == {}


def test_round_trip() -> None:
    view = ViewState(lang="en", provinces=("63-10", "63-27"), indicators=("bts_stations",), y0=2013, y1=2024,
                     year=2020, scope="commune", scheme="34", per="pop", regions=("Tây Nguyên",),
                     target="all", statuses=("corrected",), doc="001_x.txt", obs="ab12")
    query = to_query(view)
    assert query["p"] == "63-10,63-27" and query["i"] == "bts_stations" and query["y0"] == "2013"
    parsed = parse_query(query, KNOWN)
    assert parsed.view == view and parsed.notices == []


def test_repeated_parameters_and_duplicates() -> None:
    parsed = parse_query({"p": ["63-10", "63-27", "63-10"]}, KNOWN)
    assert parsed.view.provinces == ("63-10", "63-27")


@pytest.mark.parametrize(("params", "notice"), [
    ({"p": "63-10,99-99"}, "notice.unknown_values"),
    ({"p": "63-10'; DROP TABLE facts; --"}, "notice.unknown_values"),
    ({"i": "bts_stations,' OR 1=1 --"}, "notice.unknown_values"),
    ({"y0": "abc"}, "notice.bad_year"),
    ({"y0": "2013; DROP"}, "notice.bad_year"),
    ({"y1": "1800"}, "notice.year_out_of_range"),
    ({"lang": "fr"}, "notice.bad_value"),
    ({"s": "99"}, "notice.bad_value"),
    ({"sc": "<script>"}, "notice.bad_value"),
    ({"per": "1"}, "notice.bad_value"),
    ({"doc": "../../etc/passwd"}, "notice.bad_value"),
    ({"zzz": "1"}, "notice.unknown_param"),
    ({"p": ",".join(f"63-{i:02d}" for i in range(150))}, "notice.too_many"),
    ({"p": "6" * 5000}, "notice.too_long"),
])
def test_bad_parameters_are_ignored_with_a_notice(params: dict, notice: str) -> None:
    parsed = parse_query(params, KNOWN)
    assert notice in [key for key, _ in parsed.notices]
    for key, fields in parsed.notices:
        assert t(key, "vi", **fields) != key  # every notice has a text
        assert all(len(v) <= 200 for v in fields.values())  # quoted values are cut short


def test_valid_parts_survive_invalid_neighbours() -> None:
    parsed = parse_query({"p": "63-10,nope", "i": "bts_stations", "y0": "x"}, KNOWN)
    assert parsed.view.provinces == ("63-10",)
    assert parsed.view.indicators == ("bts_stations",)
    assert parsed.view.y0 is None
    assert parsed.present == {"provinces", "indicators"}


def test_wholly_invalid_list_keeps_the_previous_selection() -> None:
    base = ViewState(provinces=("63-27",))
    parsed = parse_query({"p": "nope"}, KNOWN)
    assert merge(base, parsed).provinces == ("63-27",)


def test_swapped_years_are_fixed_with_a_notice() -> None:
    parsed = parse_query({"y0": "2020", "y1": "2013"}, KNOWN)
    assert (parsed.view.y0, parsed.view.y1) == (2013, 2020)
    assert parsed.notices[0][0] == "notice.years_swapped"


def test_streamlit_own_parameters_are_not_reported() -> None:
    assert parse_query({"embed": "true", "embed_options": "x"}, KNOWN).notices == []


def test_merge_keeps_what_the_url_does_not_say() -> None:
    base = ViewState(provinces=("63-10",), lang="en")
    merged = merge(base, parse_query({"doc": "d1.txt", "obs": "o1"}, KNOWN))
    assert merged.provinces == ("63-10",) and merged.lang == "en" and merged.doc == "d1.txt"


def test_focus_moves_an_item_first() -> None:
    view = ViewState(provinces=("63-10", "63-27"))
    assert view.with_focus_province("63-27").provinces == ("63-27", "63-10")
    assert view.with_focus_province("63-01").provinces == ("63-01", "63-10", "63-27")


def test_export_filename_names_the_filters() -> None:
    view = ViewState(provinces=("63-10",), indicators=("bts_stations",), y0=2013, y1=2020)
    assert export_filename(view, KNOWN, "csv") == "ictdash_bts_stations_63-10_2013-2020.csv"
    many = ViewState(provinces=tuple(sorted(KNOWN.provinces)))
    assert export_filename(many, KNOWN, "xlsx") == "ictdash_all-indicators_4-provinces_2010-2025.xlsx"
    odd = ViewState(indicators=("a/../b",))
    assert "/" not in export_filename(odd, KNOWN, "csv")


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["p", "i", "y0", "y1", "y", "lang", "s", "sc", "per", "r", "t", "rs",
                                        "doc", "obs", "x"]),
                       st.one_of(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=5))))
def test_parse_query_never_raises(params: dict) -> None:
    parsed = parse_query(params, KNOWN)
    assert set(parsed.view.provinces) <= KNOWN.provinces
    assert set(parsed.view.indicators) <= KNOWN.indicators
    assert parsed.view.lang in state.LANGS
    parse_query(to_query(parsed.view), KNOWN)


# --- translations ---------------------------------------------------------------------------------

CODE_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "etl" / "ui").glob("*.py"))]


def test_every_key_has_both_languages_and_the_same_fields() -> None:
    fields = string.Formatter()
    for key, texts in table().items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        names = [{f for _, f, _, _ in fields.parse(texts[lang]) if f} for lang in LANGS]
        assert names[0] == names[1], f"{key}: fields differ between languages: {names}"


def test_every_key_used_in_the_code_exists() -> None:
    keys = table()
    prefixes = {k.split(".")[0] for k in keys}
    used: set[tuple[str, str]] = set()
    for path in CODE_FILES:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\bt\(\s*[\"']([^\"']+)[\"']", text):  # t("key") and ctx.t("key")
            used.add((m.group(1), path.name))
        for m in re.finditer(r"[\"']([a-z_]+\.[a-z0-9_]+)[\"']", text):  # keys passed around as strings
            if m.group(1).split(".")[0] in prefixes:
                used.add((m.group(1), path.name))
    assert used, "found no keys: the scan is broken"
    missing = sorted((k, f) for k, f in used if k not in keys)
    assert missing == []


def test_coded_values_are_all_translated() -> None:
    from etl.queries import SCOPES

    for scope in (*SCOPES, "auto"):
        assert f"scope.{scope}" in table()
    for unit in ("pct", "count", "per_100", "bn_vnd", "rank", "score", "per_10k_pop", "per_100km2"):
        assert f"unit.{unit}" in table() and f"unitfmt.{unit}" in table()
    for name in ("none", *[p for p in state.PER if p]):
        assert f"per.{name}" in table()
    for target in state.TARGETS:
        assert f"explorer.target_{target}" in table()
    for status in (*state.REVIEW_STATUSES, "rejected"):
        assert f"review.{status}" in table()


def test_t_falls_back_and_formats() -> None:
    assert t("page.overview", "vi") == "Tổng quan" and t("page.overview", "en") == "Overview"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("overview.n_provinces", "en", n="12") == "12 provinces"
    assert t_opt("scope", "commune", "vi") == "Cấp xã"
    assert t_opt("scope", "galaxy", "vi") == "galaxy"


# --- safe HTML ------------------------------------------------------------------------------------

XSS = "Báo cáo <script>alert('x')</script> có <img src=x onerror=alert(1)> 912 trạm BTS."


def test_document_text_is_escaped_and_values_marked() -> None:
    start = XSS.index("912")
    out = highlight_html(XSS, [Span(start, start + 3, "o1", title='"><script>')], focus="o1")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert f'<mark id="{anchor_id("o1")}"' in out and ">912</mark>" in out
    assert 'title="&quot;&gt;&lt;script&gt;"' in out


def test_overlapping_and_out_of_range_spans_are_skipped() -> None:
    text = "abcdefghij"
    out = highlight_html(text, [Span(0, 5, "a"), Span(3, 7, "b"), Span(8, 50, "c")])
    assert out.count("<mark") == 1
    assert "abcde" in out and "fghij" in out


def test_locate_trusts_matching_offsets_else_searches() -> None:
    text = "xx 912 trạm yy"
    assert locate(text, 3, 11, "912 trạm") == (3, 11)
    assert locate(text, 0, 5, "912 trạm") == (3, 11)  # stale offsets: found by search
    assert locate(text, None, None, "không có") is None


def test_excerpt_and_scroll_script_are_safe() -> None:
    out = excerpt_html(XSS, XSS.index("912"), XSS.index("912") + 3, context=10)
    assert "<script>" not in out and "<mark" in out
    script = scroll_script("o1'); alert('x")
    assert "alert('x')" not in script and anchor_id("o1'); alert('x") in script
    assert re.fullmatch(r"obs-[A-Za-z0-9_-]+", anchor_id("o1'); <b>"))


# --- curation lines -------------------------------------------------------------------------------


def test_curation_line_is_valid_csv_in_the_file_order() -> None:
    obs = {"doc_id": "001.txt", "indicator_id": "bts_stations", "scope": "all", "year": 2013,
           "province_id": "63-10", "value": 912.0, "evidence": 'có 912 trạm, "phát sóng"\n di động'}
    line = curation_line("reject", obs, reviewer="Nguyễn Văn A", reason="số của một doanh nghiệp")
    row = next(csv.reader(io.StringIO(line)))
    assert len(row) == len(COLUMNS)
    record = dict(zip(COLUMNS, row, strict=True))
    assert record["action"] == "reject" and record["doc"] == "001.txt" and record["value"] == "912"
    assert record["year"] == "2013" and record["province"] == "63-10"
    assert record["evidence_contains"] == 'có 912 trạm, "phát sóng" di động'
    assert "\n" not in line


def test_curation_correct_line_fills_new_columns() -> None:
    obs = {"doc_id": "d", "indicator_id": "i", "scope": "all", "year": None, "province_id": None, "value": 6.2,
           "evidence": "x"}
    record = dict(zip(COLUMNS, next(csv.reader(io.StringIO(curation_line("correct", obs, new_year="YYYY")))),
                      strict=True))
    assert record["new_year"] == "YYYY" and record["year"] == "" and record["value"] == "6.2"
    with pytest.raises(ValueError):
        curation_line("correct", obs, not_a_column="1")
    assert header_line().split(",")[0] == "action"


# --- export rows ----------------------------------------------------------------------------------


def test_export_rows_keep_exactly_the_rows_and_plain_numbers() -> None:
    import pandas as pd

    from etl.ui.exporting import export_rows

    rows = pd.DataFrame({
        "province_id": ["63-10", "63-27"], "province_name": ["Lào Cai", "Bắc Ninh"],
        "province_name_en": ["Lao Cai", "Bac Ninh"], "region": ["r", "r"], "year": [2013, 2014],
        "indicator_id": ["bts_stations", "bts_stations"], "scope": ["all", "all"], "is_target": [False, False],
        "value": [912.0, 1234.5], "unit": ["count", "count"], "qualifier": ["exact", "approx"],
        "raw_value": [912.0, 1234.5], "population": [None, None], "evidence": ["=1+1", "b"], "obs_id": ["a", "b"],
    })
    names = pd.Series({"bts_stations": "Số trạm BTS"})
    out = export_rows(rows, "vi", names, per=None)
    assert len(out) == 2 and out["value"].tolist() == [912.0, 1234.5]
    assert out.columns.tolist()[:6] == ["province_id", "province_name", "region", "year", "indicator_id",
                                        "indicator_name"]
    assert "raw_value" not in out.columns and "population" not in out.columns
    assert out["indicator_name"].tolist() == ["Số trạm BTS"] * 2
    english = export_rows(rows, "en", names, per="pop")
    assert english["province_name"].tolist() == ["Lao Cai", "Bac Ninh"] and "raw_value" in english.columns


def test_fmt_short_keeps_cards_short() -> None:
    from etl.ui.fmt import fmt_short

    assert fmt_short(18.5, "pct", "exact", "vi") == "18,5%"
    assert fmt_short(12.96, "per_10k_pop", "approx", "en") == "≈ 12.96"
    assert fmt_short(5, "rank", "exact", "vi", 63) == "hạng 5/63"


def test_document_ids_may_be_ordinary_file_names() -> None:
    name = "Báo cáo 2013 (Lào Cai) & phụ lục.docx"
    parsed = parse_query({"doc": name}, KNOWN)
    assert parsed.view.doc == name and parsed.notices == []
    assert parse_query({"doc": "a\x00b"}, KNOWN).view.doc is None


def test_table_height_fits_short_tables_and_caps_long_ones() -> None:
    from etl.ui.widgets import table_height

    assert table_height(0, 360) == table_height(1, 360) == 38 + 35  # an empty table still shows its header row
    assert table_height(5, 360) == 38 + 5 * 35
    assert table_height(2_000, 360) == 360


def test_a_map_with_one_value_still_has_a_colour_scale() -> None:
    import pandas as pd

    from etl.ui.maps import province_map

    def square(x: float, y: float) -> dict:
        return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}

    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": pid, "properties": {}, "geometry": square(x, 20)}
        for pid, x in (("63-10", 103), ("63-27", 106))]}
    df = pd.DataFrame({"province_id": ["63-10", "63-27"], "value": [912.0, float("nan")],
                       "name": ["Lào Cai", "Bắc Ninh"], "text": ["912", "no data"]})
    fig = province_map(df, geojson, "vi", text="text", label="name", colorbar_title="BTS", no_data_label="–")
    scaled = [tr for tr in fig.data if tr.marker is not None and tr.marker.showscale]
    assert len(scaled) == 1 and scaled[0].marker.cmin < 912 < scaled[0].marker.cmax
    assert any(tr.name == "–" and tr.showlegend for tr in fig.data)  # "no data" is a class of the legend
    share = df.assign(value=[97.0, 40.0])
    fig = province_map(share, geojson, "vi", text="text", label="name", colorbar_title="%", no_data_label="–",
                       percent=True, highlighted={"63-27": "#d62728"})
    scale = next(tr for tr in fig.data if tr.marker is not None and tr.marker.showscale)
    assert (scale.marker.cmin, scale.marker.cmax) == (0, 100)  # a share's scale is 0–100
    assert any(a.text == "<b>Bắc Ninh</b>" for a in fig.layout.annotations)  # the chosen province named
    assert any("Hoàng Sa" in a.text for a in fig.layout.annotations)


# --- issue 12: words, order, axes ------------------------------------------------------------------


def test_vietnamese_collation_orders_letters_then_tones() -> None:
    from etl.ui.fmt import vi_sorted

    names = ["Đà Nẵng", "Cà Mau", "Bắc Giang", "Bạc Liêu", "An Giang", "Hà Nội", "Hải Dương", "Hậu Giang",
             "Đắk Lắk", "Điện Biên", "Ô Tô", "Ơ Ơ", "Ưu", "Uông Bí", "Thái Bình", "Thanh Hóa"]
    assert vi_sorted(names) == ["An Giang", "Bạc Liêu", "Bắc Giang", "Cà Mau", "Đà Nẵng", "Đắk Lắk", "Điện Biên",
                                "Hà Nội", "Hải Dương", "Hậu Giang", "Ô Tô", "Ơ Ơ", "Thái Bình", "Thanh Hóa",
                                "Uông Bí", "Ưu"]


def test_every_english_count_has_its_singular() -> None:
    """A text that says "{n} provinces" must have a `_one` sibling, or English reads "1 provinces"."""
    plural = re.compile(r"\{n\}\**\s+[a-z]+s\b")
    missing = [key for key, texts in table().items()
               if not key.endswith("_one") and plural.search(texts["en"]) and f"{key}_one" not in table()]
    assert missing == []
    assert t("count.values", "en", n="1") == "1 value" and t("count.values", "en", n="1.234") == "1.234 values"


def test_missing_cells_show_a_dash_not_none() -> None:
    import pandas as pd

    from etl.ui.widgets import fill_missing

    frame = pd.DataFrame({"year": [2013.0, None], "name": ["Lào Cai", None], "link": [None, "sources?doc=x"],
                          "value": [1.5, None]})
    out = fill_missing(frame, keep=["link"])
    assert list(out["year"]) == ["2013", "–"] and list(out["name"]) == ["Lào Cai", "–"]
    assert list(out["value"]) == [1.5, "–"] and out["link"].isna().tolist() == [True, False]


def test_percentage_axes_stay_within_0_100() -> None:
    from etl.ui.charts import percent_range

    assert percent_range([92.0, 99.5]) == [0.0, 100.0]
    assert percent_range([]) == [0.0, 100.0]
    assert percent_range([50, 120])[1] > 120  # a value past 100 is still drawn


def test_make_etl_loads_the_seeds_and_every_corpus_part() -> None:
    """`make run` builds the seeds with every data/corpus/*/reports folder (new parts included), nothing else."""
    import shutil
    import subprocess

    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run([make, "-n", "-s", "etl", "DB=/tmp/x.duckdb"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    line = next(x for x in out.splitlines() if " etl " in x)
    args = line.split(" etl ", 1)[1].split()
    parts = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("data/corpus/*/reports") if p.is_dir())
    assert parts, "no corpus in the repository"
    assert args[:-2] == ["data/reports", *parts] and args[-2:] == ["--db", "/tmp/x.duckdb"]


def test_context_lines_share_one_grey_trace_with_gaps_between_provinces() -> None:
    """Every context province in ONE line trace (63 traces made the workspace slow to build and to draw):
    each province's points in year order, a gap (None) between provinces so no line joins two of them,
    the province named in the hover; no markers on it (an invisible marker per point still cost the
    browser an SVG path each), a dot only where a province has a single point, in a marker-only trace."""
    import pandas as pd

    from etl.ui.charts import CONTEXT_COLOR, context_lines

    df = pd.DataFrame({"s": ["B", "A", "B", "C", "A", "X"], "year": [2021, 2020, 2020, 2019, 2019, 2020],
                       "value": [2.0, 1.5, 1.0, 9.0, 1.2, 5.0], "is_target": [False] * 6,
                       "t": ["2", "1,5", "1", "9", "1,2", "5"]})
    fig = context_lines(df, "vi", series="s", text="t", axis_title="", highlighted=["X"], colors={"X": "#d62728"})
    grey = [tr for tr in fig.data if tr.line.color == CONTEXT_COLOR]
    assert len(grey) == 1
    trace = grey[0]
    assert trace.mode == "lines"
    segments, current = [], []
    for x, y, (name, _) in zip(trace.x, trace.y, trace.customdata, strict=True):
        if x is None:
            assert y is None and name == ""
            segments.append(tuple(current))
            current = []
        else:
            current.append((name, x, y))
    segments.append(tuple(current))
    assert sorted(segments) == [
        (("A", 2019, 1.2), ("A", 2020, 1.5)),
        (("B", 2020, 1.0), ("B", 2021, 2.0)),
        (("C", 2019, 9.0),),
    ]
    assert trace.connectgaps is False
    dots = [tr for tr in fig.data if tr.mode == "markers" and tr.marker.color == CONTEXT_COLOR]
    assert len(dots) == 1 and list(dots[0].x) == [2019] and list(dots[0].y) == [9.0]  # C: a dot, not nothing
    assert [tr.name for tr in fig.data if tr not in (trace, dots[0])] == ["X"]


# --- the Plotly preload of a page load (etl/ui/preload.py) -----------------------------------------


def test_preload_finds_the_page_and_streamlits_plotly_module() -> None:
    from etl.ui import preload

    assert preload.page_of("http://127.0.0.1:8501/compare") == "compare"
    assert preload.page_of("http://host/base/trends/") == "trends"  # under server.baseUrlPath
    assert preload.page_of("http://127.0.0.1:8501/") == preload.page_of("http://127.0.0.1:8501") == ""
    assert preload.page_of(None) is None
    assert {"", "overview", "compare"} <= preload.CHART_PAGES and not {"sources", "explorer"} & preload.CHART_PAGES
    module = preload.plotly_module()  # the chunk Streamlit's own chart element imports
    assert module and module.startswith("PlotlyChart.") and module.endswith(".js")
    assert preload.script(module) == f'<script>import("./static/js/{module}").catch(() => {{}})</script>'
