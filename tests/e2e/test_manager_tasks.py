"""Three tasks a provincial manager does, in a real browser (Debian Chromium via Playwright) against a real
`streamlit run`, on the first-run data (the seeds and the real corpus, as `make run` builds them) and on a
1,000,000-observation synthetic warehouse (marked `slow`: about a minute to build, see tests/e2e/README.md):

(a) compare three provinces on the four headline indicators for their latest year (compare and overview);
(b) open a province's scorecard and follow one value to its sentence on the sources page;
(c) export a province x year table to XLSX in Vietnamese (the trends chart's "download this data") and
    read it back with openpyxl: Vietnamese headers, the warehouse's values in the right cells.

Each asserts what the manager sees against the warehouse (queries.*), and that whatever the view hides
(another scope, another year range, an unknown year) is announced by a notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl import queries
from etl.export import DATA_SHEET, DEFINITIONS_SHEET
from etl.ui.exporting import slug
from etl.ui.fmt import fmt_int, fmt_value
from etl.ui.highlight import anchor_id
from etl.ui.i18n import t
from etl.ui.scorecard import change_text, rank_text
from etl.ui.widgets import HEADLINE
from tests.e2e.test_browser import (
    GRID,
    PLOT,
    Server,
    Tab,
    assert_no_error,
    full_screenshot,
    grid_rows,
    open_page,
    page_url,
    settle,
)

pytestmark = pytest.mark.e2e
ALERT = '[data-testid="stAlert"]'


@dataclass(frozen=True)
class Site:
    name: str  # "first-run" or "1m"
    db: Path
    url: str


@pytest.fixture(scope="session", params=["first-run", pytest.param("1m", marks=pytest.mark.slow)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         serve: Callable[[Path, str], Server]) -> Site:
    """A server over the first-run warehouse, or over 1 M synthetic observations (facts stored as a table,
    as the ETL stores them)."""
    if request.param == "first-run":
        db = request.getfixturevalue("first_run_warehouse")
    else:
        from bench.synth_warehouse import build_synthetic

        db = build_synthetic(tmp_path_factory.mktemp("million") / "m1.duckdb", n_obs=1_000_000, seed=0,
                             materialize_facts=True)
    return Site(request.param, db, serve(db, f"manager-{request.param}").url)


def names(db: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Province names as the interface shows them (a merged province says "(từ 7/2025)"), indicator names."""
    provs = queries.provinces(db)
    after = t("province.after_2025")
    pname = {p: (f"{n} {after}" if s == "34" else n) for p, n, s in zip(provs["province_id"], provs["name"],
                                                                        provs["scheme"], strict=True)}
    inds = queries.indicators(db)
    return pname, dict(zip(inds["indicator_id"], inds["name_vi"], strict=True))


def grids_with(page, header: str) -> list[dict[str, str]]:
    """The rows of every visible table on the page that has a column `header` (tables in a closed
    expander are left alone)."""
    rows: list[dict[str, str]] = []
    for grid in page.locator(GRID).all():
        if not grid.is_visible():
            continue
        heads = grid.evaluate("el => [...el.querySelectorAll('table thead th')].map(th => th.innerText.trim())")
        if header in heads:
            rows += grid_rows(grid)
    return rows


def assert_hidden_announced(page, hidden: pd.DataFrame) -> None:
    """A notice says what the view hides exactly when the warehouse says something is hidden."""
    notices = page.locator(ALERT, has_text=t("hidden.title"))
    if hidden.empty:
        assert notices.count() == 0, "a notice about hidden values, but nothing is hidden"
        return
    notices.first.wait_for()
    text = notices.first.inner_text()
    for column, key in (("n_other_scope", "hidden.other_scope"), ("n_unknown_year", "hidden.unknown_year"),
                        ("n_other_years", "hidden.other_years")):
        n = int(hidden[column].sum())
        if n:  # the line's opening words ("1 số liệu chưa rõ năm") with its count
            opening = t(key, n=fmt_int(n, "vi"), scope="", y0="", y1="", who="").split("(")[0].split(":")[0]
            assert " ".join(opening.split()[:4]) in " ".join(text.split()), f"{opening!r} not in the notice: {text}"


# ---------------------------------------------------------------------------------------------------
# (a) three provinces, the four headline indicators, their latest year


def test_compare_three_provinces_on_the_headline_indicators(site: Site, tab: Tab, output_dir: Path) -> None:
    db = site.db
    pname, iname = names(db)
    head = [i for i in HEADLINE if i in iname]
    shown = queries.facts(db, indicators=head, scope="auto", is_target=False, scheme="63")
    most = shown.groupby("province_id")["indicator_id"].nunique().sort_values(ascending=False, kind="stable")
    chosen = list(most.index[:3])
    assert len(chosen) == 3, "fewer than three provinces report a headline indicator"
    mine = shown[shown["province_id"].isin(chosen)]
    year = int(mine["year"].max())

    page = tab.page
    open_page(page, page_url(site.url, "compare", {"p": ",".join(chosen)}), t("page.compare"))
    page.locator(PLOT).first.wait_for()
    settle(page)
    box = page.locator('[data-testid="stSelectbox"]', has_text=t("compare.year"))
    assert box.locator('input[role="combobox"]').input_value() == str(year), "the bars do not open on the latest year"
    # the year's table: every value of the chosen provinces that year, in Vietnamese number style
    expected = {(iname[r.indicator_id], pname[r.province_id], fmt_value(r.value, r.unit, r.qualifier, "vi",
                                                                        r.denominator))
                for r in mine[mine["year"] == year].itertuples()}
    rows = grids_with(page, t("col.rank_selection"))
    seen = {(r[t("col.indicator")], r[t("col.province")], r[t("col.value")]) for r in rows}
    assert seen == expected, f"the {year} table differs from the warehouse:\n{seen ^ expected}"
    assert page.locator('[data-testid="stDownloadButton"]', has_text=t("export.chart_xlsx")).count() >= 1
    assert_hidden_announced(page, queries.hidden_counts(db, provinces=chosen, indicators=head, scope="auto"))
    assert_no_error(tab)
    full_screenshot(page, output_dir / f"manager-{site.name}-compare.png")

    # each province's own latest year, side by side (the overview's table for several provinces)
    latest = queries.latest(db, indicators=head, provinces=chosen, scope="auto")
    open_page(page, page_url(site.url, "overview", {"p": ",".join(chosen)}), t("page.overview"))
    table = grids_with(page, iname[head[0]])
    by_province = {r[t("col.province")]: r for r in table}
    assert set(by_province) == {pname[p] for p in chosen}
    for pid in chosen:
        for ind in head:
            got = by_province[pname[pid]][iname[ind]]
            hit = latest[(latest["province_id"] == pid) & (latest["indicator_id"] == ind)]
            if hit.empty:
                assert got == "–", f"{pname[pid]} · {ind}: {got!r} where the warehouse has nothing"
            else:
                r = hit.iloc[0]
                want = t("overview.value_year", value=fmt_value(r["value"], r["unit"], r["qualifier"], "vi"),
                         year=int(r["year"]))
                assert got == want, (pname[pid], ind, got, want)
    assert_no_error(tab)
    full_screenshot(page, output_dir / f"manager-{site.name}-overview-three.png")


# ---------------------------------------------------------------------------------------------------
# (b) a province's scorecard, one value followed to its sentence


def test_scorecard_value_leads_to_its_sentence(site: Site, tab: Tab, output_dir: Path) -> None:
    db = site.db
    pname, iname = names(db)
    achieved = queries.facts(db, is_target=False, scheme="63")
    province = achieved.groupby("province_id")["indicator_id"].nunique().sort_values(
        ascending=False, kind="stable").index[0]
    card = queries.province_scorecard(db, province)
    followed = card[card["verdict"].notna() & card["rank"].notna()]
    row = (followed if not followed.empty else card).iloc[0]

    page = tab.page
    # a wide window from the start: the grid renders only the columns in view (its cells are a canvas), and
    # on the 1 M warehouse longer values push the link column out of a 1280-px window
    page.set_viewport_size({"width": 2400, "height": 1300})
    open_page(page, page_url(site.url, "province", {"p": province}), t("page.province"))
    page.get_by_role("heading", name=t("scorecard.title")).wait_for()
    for group in card["grp"].unique():  # one table per theme, under its name
        page.get_by_text(t(f"group.{group}"), exact=True).first.wait_for()
    lines = grids_with(page, t("scorecard.col_change"))
    label = iname[row["indicator_id"]] + ("" if row["scope"] == "all" else f" ({t('scope.' + row['scope'])})")
    hits = [r for r in lines if r[t("scorecard.col_indicator")] == label]
    assert len(hits) == 1, f"no scorecard line for {label!r} among {len(lines)}"
    line = hits[0]
    assert line[t("scorecard.col_value")] == fmt_value(row["value"], row["unit"], row["qualifier"], "vi",
                                                       row["denominator"])
    assert line[t("scorecard.col_year")] == str(int(row["year"]))
    assert line[t("scorecard.col_rank")] == rank_text(row["rank"], row["n_ranked"], "vi")
    change = change_text(row.to_dict(), "vi", lambda k, **f: t(k, "vi", **f))
    assert line[t("scorecard.col_change")] == change
    if row["verdict"] in ("better", "worse"):
        assert t(f"scorecard.verdict_{row['verdict']}") in change
    # nothing left out silently: hidden values have a notice, other scopes a line under the scorecard
    assert_hidden_announced(page, queries.hidden_counts(db, provinces=[province], scope=None, is_target=False))
    if int(card["n_other_scopes"].sum()):
        page.get_by_text(t("scorecard.other_scopes", n=str(int(card["n_other_scopes"].sum())))[:40]).first.wait_for()
    assert_no_error(tab)
    full_screenshot(page, output_dir / f"manager-{site.name}-scorecard.png")

    # the line's source link (the cell's URL, what a click on "Mở nguồn" opens) shows the sentence marked
    href = line[t("scorecard.col_link")]
    assert href.startswith("sources?") and f"obs={row['obs_id']}" in href, href
    open_page(page, f"{site.url}/{href}", t("page.sources"))
    mark = page.locator(f"mark#{anchor_id(str(row['obs_id']))}")
    mark.wait_for()
    assert " ".join(mark.inner_text().split()) == " ".join(str(row["evidence"]).split())
    page.get_by_text(t("sources.focus_title"), exact=True).wait_for()  # the followed value, named
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert fmt_value(row["value"], row["unit"], row["qualifier"], "vi", row["denominator"]) in main
    assert_no_error(tab)
    full_screenshot(page, output_dir / f"manager-{site.name}-scorecard-source.png")


# ---------------------------------------------------------------------------------------------------
# (c) a province x year table in Vietnamese, as XLSX


def test_province_by_year_xlsx_in_vietnamese(site: Site, tab: Tab, output_dir: Path) -> None:
    db = site.db
    pname, iname = names(db)
    indicator = "bts_stations"
    drawn = queries.facts(db, indicators=[indicator], scope="auto", is_target=False)
    assert not drawn.empty

    page = tab.page
    open_page(page, page_url(site.url, "trends", {"i": indicator}), t("page.trends"))
    page.locator(PLOT).first.wait_for()
    settle(page)
    assert_hidden_announced(page, queries.hidden_counts(db, indicators=[indicator], scope="auto"))
    button = page.locator(".st-key-download_trends").get_by_role("button", name=t("export.chart_xlsx")).first
    with page.expect_download() as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    target = output_dir / f"manager-{site.name}-{name}"
    download.save_as(target)
    assert_no_error(tab)
    full_screenshot(page, output_dir / f"manager-{site.name}-trends-export.png")

    assert name.endswith(".xlsx") and name.isascii() and slug(iname[indicator]) in name, name
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == DATA_SHEET and book.sheetnames[-1] == DEFINITIONS_SHEET
    assert len(book.sheetnames) == 3 and book.sheetnames[1].startswith("1. Số trạm")
    wide = book[book.sheetnames[1]]
    header = [c.value for c in wide[1]]
    years = sorted({int(y) for y in drawn["year"]})
    assert header[0] == t("export.col_province_name") and header[-1] == t("export.col_province_id")
    assert [h for h in header if re.fullmatch(r"\d{4}", str(h))] == [str(y) for y in years]
    at = {str(h): i for i, h in enumerate(header)}
    cells = {}
    for line in wide.iter_rows(min_row=2, values_only=True):
        for y in years:
            if line[at[str(y)]] is not None:
                cells[(line[-1], y)] = line[at[str(y)]]
        assert line[0] == pname[line[-1]], line  # the province's name beside its id
        assert line[at[t("export.col_unit")]] == t("unit.count")
    want = {(r.province_id, int(r.year)): r.value for r in drawn.itertuples()}
    assert cells.keys() == want.keys(), "the province x year sheet does not hold the chart's values"
    assert all(abs(cells[k] - want[k]) < 1e-9 for k in want)

    long = book[DATA_SHEET]
    head = [c.value for c in long[1]]
    for key in ("province_name", "year", "indicator_name", "scope", "is_target", "value", "unit", "evidence"):
        assert t(f"export.col_{key}") in head, key
    assert "province_id" not in head and "scope" not in head  # no technical header left
    coded = [head.index(t(f"export.col_{k}")) for k in ("scope", "is_target", "unit", "qualifier")]
    raw = {"all", "province", "commune", "True", "False", "count", "pct", "bn_vnd", "exact", "approx", "at_least"}
    for line in long.iter_rows(min_row=2, values_only=True):
        assert not {str(line[i]) for i in coded} & raw, line
    assert long.max_row - 1 == len(drawn)
