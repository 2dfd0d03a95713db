"""The dashboard in a real browser (Debian Chromium via Playwright) against a real `streamlit run`.

Journeys: every page through the sidebar links; Lào Cai's 912 BTS stations (2013) on the province page,
by URL and by picking the province; the explorer's CSV download; a deep link as the very first request
of a fresh server (the `pages/` + `st.navigation` trap); the language switch and a copied link; report
text carrying HTML/JS shown as text; malformed URL parameters answered with a notice.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Locator, Page

from etl import queries
from etl.ui.i18n import t
from etl.ui.router import PAGES, PageSpec

pytestmark = pytest.mark.e2e


class Tab(Protocol):  # conftest.Tab: a page in a fresh context, with what it met
    page: Page
    page_errors: list[str]
    dialogs: list[str]
    outside_requests: list[str]


class Server(Protocol):  # conftest.Server
    url: str

    def log_tail(self, n: int = ...) -> str: ...


APP = '[data-testid="stAppViewContainer"]'
# The page menu: Streamlit's own (stSidebarNavLink) or the app's st.page_link menu in the sidebar.
NAV_LINK = ('[data-testid="stSidebar"] :is([data-testid="stSidebarNavLink"], '
            '[data-testid="stPageLink-NavLink"])')
EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'  # st.error
GRID = '[data-testid="stDataFrame"]'
PLOT = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
# Streamlit shows the status widget while a script runs and marks old elements stale until replaced.
BUSY_JS = """() => !!document.querySelector(
    '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')"""

LAO_CAI = "63-10"
TRA_VINH = "63-84"
BTS = "bts_stations"
EVIDENCE = "912 trạm phát sóng di động"
SEED_DOC = "001_435dc5d778df3190.txt"  # the Lào Cai 2013 report of data/reports/
SETTLE_TIMEOUT_S = 45.0

# A report whose title and body carry HTML/JS; the sentence with the number is a real ICT statement.
UNTRUSTED_DOC = "bao-cao-doc-hai.txt"
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=2">'
UNTRUSTED_REPORT = f"""Báo cáo {SCRIPT_PAYLOAD} tình hình CNTT tỉnh Lào Cai năm 2013

Ngày 07/01/2014

Nội dung kèm {IMG_PAYLOAD} trong văn bản.

Đến hết năm 2013, toàn tỉnh Lào Cai có 912 trạm BTS.
"""

# What each page draws when Lào Cai and Trà Vinh and two indicators are chosen (something with data).
TOUR_QUERY = {"p": f"{LAO_CAI},{TRA_VINH}", "i": f"{BTS},postal_service_points"}
PAGE_CONTENT = {
    "overview": PLOT,
    "indicator": PLOT,
    "province": GRID,
    "compare": PLOT,
    "trends": PLOT,
    "map": PLOT,
    "explorer": '[data-testid="stDownloadButton"]',
    "sources": GRID,
    "quality": '[data-testid="stButtonGroup"]',
}


# ---------------------------------------------------------------------------------------------------
# helpers: waiting for Streamlit, reading what it shows


def title_of(spec: PageSpec, lang: str = "vi") -> str:
    return t(spec.title_key, lang)


def page_url(base: str, spec: PageSpec | str, query: dict[str, str] | None = None) -> str:
    """The router's URL of a page: every page at its own path (`/overview` too; `/` also opens it)."""
    path = spec if isinstance(spec, str) else spec.url_path
    return f"{base}/{path}" + (f"?{urlencode(query)}" if query else "")


def settle(page: Page, quiet_checks: int = 4, interval_ms: int = 250) -> None:
    """Wait until the app view exists and Streamlit has been idle for `quiet_checks` polls in a row.

    Call it after the page-specific element appeared (a script run may not have started before).
    """
    page.wait_for_selector(APP)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    quiet = 0
    while quiet < quiet_checks:
        quiet = 0 if page.evaluate(BUSY_JS) else quiet + 1
        if time.monotonic() > deadline:
            raise AssertionError(f"Streamlit never settled on {page.url}")
        page.wait_for_timeout(interval_ms)


def open_page(page: Page, url: str, heading: str) -> None:
    """Go to `url` and wait for the page's title (h1) and for Streamlit to finish its runs."""
    page.goto(url)
    wait_heading(page, heading)


def wait_heading(page: Page, heading: str) -> None:
    """Wait for the h1 `heading`, or fail at once with the text of an exception Streamlit shows instead."""
    page.wait_for_selector(APP)
    title = page.locator("h1", has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
    title.or_(page.locator(EXCEPTION)).first.wait_for()
    if page.locator(EXCEPTION).count():
        raise AssertionError(f"{page.url} shows an exception:\n{page.locator(EXCEPTION).first.inner_text()}")
    settle(page)


def assert_no_error(tab: Tab) -> None:
    """No Streamlit exception box or error alert, no traceback or error text on screen, no uncaught JS
    error, and no request beyond the local server (a ministry machine may have no internet)."""
    page = tab.page
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    assert page.locator(ERROR_ALERT).count() == 0, page.locator(ERROR_ALERT).first.inner_text()
    body = page.locator(APP).inner_text()
    assert "Traceback" not in body, body[:2000]
    assert not re.search(r"\b\w*Error\b", body), re.search(r".{0,200}\b\w*Error\b.{0,200}", body, re.S).group(0)
    assert tab.page_errors == [], tab.page_errors
    assert tab.outside_requests == [], tab.outside_requests


def nav_titles(page: Page) -> list[str]:
    """The sidebar's page links as the user reads them (the icon ligature dropped)."""
    texts = page.locator(NAV_LINK).all_inner_texts()
    return [text.strip().splitlines()[-1].strip() for text in texts]


def click_nav(page: Page, title: str) -> None:
    """Click the sidebar's link to the page titled `title` (its icon's ligature text aside)."""
    page.locator(NAV_LINK).filter(has=page.get_by_text(title, exact=True)).click()


def full_screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside `stMain`, so grow the viewport to its height first."""
    viewport = page.viewport_size
    height = page.evaluate("""() => Math.max(window.innerHeight, ...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stSidebarContent"]')].map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 40, 12_000)})
    settle(page)
    page.wait_for_timeout(400)  # let plotly and the grids redraw at the new size (not an assertion)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def grid_rows(grid: Locator) -> list[dict[str, str]]:
    """The rows a st.dataframe shows, from the grid's accessibility table (the cells are a canvas)."""
    grid.scroll_into_view_if_needed()
    grid.locator("table tbody tr").first.wait_for(state="attached")
    table = grid.evaluate("""el => {
        const t = el.querySelector('table');
        const head = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
        return [...t.querySelectorAll('tbody tr')].map(tr =>
            Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [head[i], td.innerText.trim()])));
    }""")
    return list(table)


def all_grid_rows(page: Page) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for grid in page.locator(GRID).all():
        rows.extend(grid_rows(grid))
    return rows


def query_of(url: str) -> dict[str, str]:
    return {k: ",".join(v) for k, v in parse_qs(urlsplit(url).query).items()}


def assert_lao_cai_bts_2013(page: Page, lang: str = "vi") -> None:
    """The province page shows Lào Cai's 912 BTS stations in 2013 with the sentence they came from."""
    col = {key: t(f"col.{key}", lang) for key in ("year", "value", "evidence")}
    rows = all_grid_rows(page)
    hits = [r for r in rows if r.get(col["year"]) == "2013" and r.get(col["value"]) == "912"
            and EVIDENCE in r.get(col["evidence"], "")]
    assert hits, f"no 2013 row with 912 and the evidence sentence among {len(rows)} rows: {rows[:5]}"
    # the chart of the focus indicator draws the same point
    points = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g =>
        (g._fullData || []).flatMap(tr => Array.from(tr.x || [], (x, i) => [Number(x), Number(tr.y[i])])))""")
    assert [2013, 912] in points, points


def selectbox_value(page: Page, index: int) -> str:
    """The value shown by the page's `index`-th selectbox (in the main area)."""
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(index)
    return box.locator('input[role="combobox"]').input_value()


def pick_option(page: Page, box: Locator, option: str) -> None:
    """Choose `option` in a Streamlit selectbox the way a user does: open, type, click."""
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.click()


# ---------------------------------------------------------------------------------------------------
# 1. every page through the sidebar links


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_from_the_sidebar(app_url: str, tab: Tab, spec: PageSpec, output_dir: Path) -> None:
    page = tab.page
    open_page(page, page_url(app_url, PAGES[0], TOUR_QUERY), title_of(PAGES[0]))
    assert nav_titles(page) == [title_of(p) for p in PAGES]

    click_nav(page, title_of(spec))
    wait_heading(page, title_of(spec))
    assert urlsplit(page.url).path == urlsplit(page_url(app_url, spec)).path
    page.locator(PAGE_CONTENT[spec.url_path]).first.wait_for()
    settle(page)
    assert_no_error(tab)
    assert query_of(page.url).get("p") == TOUR_QUERY["p"], "the view did not follow the user to the page"
    full_screenshot(page, output_dir / f"{spec.url_path}.png")


# ---------------------------------------------------------------------------------------------------
# 2. Lào Cai 2013: 912 BTS stations, by URL and by the selector


def test_province_page_by_url_shows_lao_cai_912_bts(app_url: str, tab: Tab, output_dir: Path) -> None:
    page = tab.page
    open_page(page, page_url(app_url, "province", {"p": LAO_CAI}), t("page.province"))
    assert selectbox_value(page, 0) == "Lào Cai"
    page.locator(GRID).first.wait_for()
    assert_lao_cai_bts_2013(page)
    assert_no_error(tab)
    full_screenshot(page, output_dir / "province-lao-cai.png")


def test_province_page_picking_lao_cai_in_the_selector(app_url: str, tab: Tab) -> None:
    page = tab.page
    open_page(page, page_url(app_url, "province"), t("page.province"))
    page.get_by_text(t("province.none_selected")).wait_for()
    assert page.locator(GRID).count() == 0

    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    pick_option(page, box, "Lào Cai")  # exact: not "Lào Cai (từ 7/2025)", the merged province
    page.locator(GRID).first.wait_for()
    settle(page)
    assert_lao_cai_bts_2013(page)
    assert query_of(page.url).get("p") == LAO_CAI, page.url
    assert_no_error(tab)


# ---------------------------------------------------------------------------------------------------
# 3. the explorer's CSV


def test_explorer_csv_download(app_url: str, tab: Tab, output_dir: Path) -> None:
    page = tab.page
    view = {"p": LAO_CAI, "i": BTS, "y0": "2013", "y1": "2013"}
    open_page(page, page_url(app_url, "explorer", view), t("page.explorer"))
    button = page.locator('[data-testid="stDownloadButton"] button', has_text=t("explorer.download_csv"))
    with page.expect_download() as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    target = output_dir / name
    download.save_as(target)
    assert_no_error(tab)

    assert name.endswith(".csv") and name.isascii()
    for part in ("so-tram-thu-phat-song-di-dong-bts", "lao-cai", "2013"):  # names, not ids, in the file name
        assert part in name, f"file name {name!r} does not say the filter {part!r}"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would show Vietnamese as mojibake"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    col = {k: t(f"export.col_{k}") for k in ("province_id", "province_name", "year", "indicator_id", "value",
                                               "evidence", "scope")}
    hits = [r for r in rows if r[col["province_id"]] == LAO_CAI and r[col["year"]] in ("2013", "2013.0")
            and r[col["indicator_id"]] == BTS and float(r[col["value"]]) == 912]
    assert len(hits) == 1, rows
    assert hits[0][col["province_name"]] == "Lào Cai"
    assert hits[0][col["scope"]] == t("scope.all")  # translated, never the raw code
    assert EVIDENCE in hits[0][col["evidence"]]
    assert {(r[col["province_id"]], r[col["indicator_id"]]) for r in rows} == {(LAO_CAI, BTS)}, "rows outside the filter"


# ---------------------------------------------------------------------------------------------------
# 4. a deep link as the very first request of a fresh server


def _obs_of(db: Path, doc_id: str, indicator: str) -> str:
    obs = queries.document_observations(db, doc_id)
    return str(obs.loc[obs["indicator_id"] == indicator, "obs_id"].iloc[0])


@pytest.mark.parametrize("target", ["compare", "sources"])
def test_deep_link_first_keeps_the_router(fresh_server: Server, new_tab, target: str, warehouse: Path,
                                          output_dir: Path) -> None:
    if target == "compare":
        query, content = {"p": f"{LAO_CAI},{TRA_VINH}", "i": "postal_service_points"}, PLOT
    else:
        query, content = {"doc": SEED_DOC, "obs": _obs_of(warehouse, SEED_DOC, BTS)}, "mark"
    spec = next(p for p in PAGES if p.url_path == target)
    tab = new_tab()
    page = tab.page
    open_page(page, page_url(fresh_server.url, spec, query), title_of(spec))
    page.locator(content).first.wait_for()
    settle(page)
    full_screenshot(page, output_dir / f"deep-link-{target}.png")

    titles = nav_titles(page)
    # in the trap, Streamlit's own menu lists the raw file names (dashboard, compare, ...) instead
    assert titles == [title_of(p) for p in PAGES], f"sidebar is not the router's: {titles}"
    assert page.get_by_text(t("sidebar.filters"), exact=True).count() == 1, "the shared sidebar is missing"
    assert urlsplit(page.url).path == f"/{target}"
    assert_no_error(tab)
    if target == "sources":
        assert any(EVIDENCE in m for m in page.locator("mark").all_inner_texts()), "the value is not marked"

    # the router stays in charge: another link works, and so does a second fresh session
    click_nav(page, title_of(PAGES[1]))
    wait_heading(page, title_of(PAGES[1]))
    assert_no_error(tab)
    other = new_tab()
    open_page(other.page, page_url(fresh_server.url, spec, query), title_of(spec))
    assert nav_titles(other.page) == [title_of(p) for p in PAGES]
    assert_no_error(other)
    assert "Traceback" not in fresh_server.log_tail(20_000)


# ---------------------------------------------------------------------------------------------------
# 5. the language switch and a copied link


def shown_in(page: Page, lang: str) -> dict[str, str]:
    """What the widgets of the province page and the sidebar display (not just their labels)."""
    checked = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"] label').filter(
        has=page.locator("input:checked"))
    return {
        "province": selectbox_value(page, 0),
        "indicator": selectbox_value(page, 1),
        "scope": page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input[role="combobox"]')
        .first.input_value(),
        "per": checked.first.inner_text().strip() if checked.count() else "(none checked)",
        "filters": t("sidebar.filters", lang) if page.get_by_text(t("sidebar.filters", lang), exact=True).count()
        else "(missing)",
    }


def test_language_switch_and_copied_link(app_url: str, new_tab, warehouse: Path, output_dir: Path) -> None:
    names = queries.indicators(warehouse).set_index("indicator_id")
    english = {"province": "Lao Cai", "indicator": names.at[BTS, "name_en"], "scope": t("scope.auto", "en"),
               "per": t("per.none", "en"), "filters": t("sidebar.filters", "en")}
    tab = new_tab()
    page = tab.page
    open_page(page, page_url(app_url, "province", {"p": LAO_CAI, "i": BTS}), t("page.province"))
    assert shown_in(page, "vi")["indicator"] == names.at[BTS, "name_vi"]
    page.locator('[data-testid="stSidebar"] button', has_text=t("lang.en", "en")).click()
    wait_heading(page, t("page.province", "en"))

    assert nav_titles(page) == [title_of(p, "en") for p in PAGES]
    query = query_of(page.url)
    assert query.get("lang") == "en" and query.get("p") == LAO_CAI and query.get("i") == BTS, page.url
    page.locator(GRID).first.wait_for()
    assert_lao_cai_bts_2013(page, "en")
    assert_no_error(tab)
    full_screenshot(page, output_dir / "province-en.png")
    switched = shown_in(page, "en")

    copied = page.url
    other = new_tab()  # a new context: no session, only the link
    open_page(other.page, copied, t("page.province", "en"))
    assert nav_titles(other.page) == [title_of(p, "en") for p in PAGES]
    other.page.locator(GRID).first.wait_for()
    assert_lao_cai_bts_2013(other.page, "en")
    assert query_of(other.page.url) == query
    assert_no_error(other)
    reproduced = shown_in(other.page, "en")
    assert reproduced == english, f"a copied English link does not reproduce the view: {reproduced}"
    # last, so the checks above still run: widgets must not keep their Vietnamese values after the switch
    stale = {k: v for k, v in switched.items() if v != english[k]}
    assert not stale, f"after switching to English these widgets still show other values: {stale}"


# ---------------------------------------------------------------------------------------------------
# 6. report text carrying HTML/JS is shown as text


@pytest.fixture(scope="module")
def untrusted_warehouse(tmp_path_factory: pytest.TempPathFactory, etl_build: Callable[[Path, Path], Path]) -> Path:
    """A separate warehouse, built by the real ETL from one report that carries an HTML/JS payload."""
    base = tmp_path_factory.mktemp("untrusted")
    reports = base / "reports"
    reports.mkdir()
    (reports / UNTRUSTED_DOC).write_text(UNTRUSTED_REPORT, encoding="utf-8")
    return etl_build(reports, base / "ictdash.duckdb")


@pytest.fixture(scope="module")
def untrusted_url(untrusted_warehouse: Path, serve: Callable[[Path, str], Server]) -> str:
    """A second server, over the untrusted warehouse."""
    return serve(untrusted_warehouse, "untrusted").url


def _assert_not_executed(tab: Tab) -> None:
    """The payload ran nowhere: no global set, no <img src=x> in the page or its frames, no dialog."""
    page = tab.page
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    for frame in page.frames:
        assert frame.evaluate("() => typeof window.__pwned") == "undefined", frame.url
        assert frame.locator('img[src="x"]').count() == 0, frame.url
    assert tab.dialogs == []


def test_untrusted_report_text_is_shown_as_text(untrusted_url: str, untrusted_warehouse: Path, tab: Tab,
                                                output_dir: Path) -> None:
    page = tab.page
    facts = queries.facts(untrusted_warehouse, provinces=[LAO_CAI], indicators=[BTS])
    assert list(facts["value"]) == [912], "the ETL did not read the sentence next to the payload"
    obs = _obs_of(untrusted_warehouse, UNTRUSTED_DOC, BTS)
    for query in ({"doc": UNTRUSTED_DOC}, {"doc": UNTRUSTED_DOC, "obs": obs}):
        open_page(page, page_url(untrusted_url, "sources", query), t("page.sources"))
        page.locator("mark", has_text="912 trạm BTS").first.wait_for()
        settle(page)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert SCRIPT_PAYLOAD in shown, "the <script> payload is not shown as text"
        assert IMG_PAYLOAD in shown, "the <img onerror> payload is not shown as text"
        _assert_not_executed(tab)
        assert_no_error(tab)
    full_screenshot(page, output_dir / "sources-untrusted.png")

    # every other page of that warehouse, with the province and the indicator chosen
    open_page(page, page_url(untrusted_url, PAGES[0], {"p": LAO_CAI, "i": BTS}), title_of(PAGES[0]))
    for spec in PAGES:
        click_nav(page, title_of(spec))
        wait_heading(page, title_of(spec))
        _assert_not_executed(tab)
        assert_no_error(tab)


# ---------------------------------------------------------------------------------------------------
# 7. malformed URL parameters


@pytest.mark.parametrize("target", ["overview", "province", "explorer"])
def test_malformed_url_parameters_show_a_notice(app_url: str, tab: Tab, target: str) -> None:
    page = tab.page
    spec = next(p for p in PAGES if p.url_path == target)
    bad = {"p": "';DROP TABLE x;--", "i": "nope", "y0": "abc"}
    open_page(page, page_url(app_url, spec, bad), title_of(spec))
    notice = page.locator('[data-testid="stAlert"]', has_text=t("notice.title"))
    notice.wait_for()
    text = notice.inner_text()
    for value in ("DROP TABLE x", "nope", "abc"):
        assert value in text, f"the notice does not name {value!r}: {text}"
    assert_no_error(tab)
    assert not {"p", "i", "y0"} & set(query_of(page.url)), f"rejected values stayed in the URL: {page.url}"

    # the warehouse is untouched and the app still answers a good link in the same session
    open_page(page, page_url(app_url, "province", {"p": LAO_CAI}), t("page.province"))
    page.locator(GRID).first.wait_for()
    assert_lao_cai_bts_2013(page)
    assert page.locator('[data-testid="stAlert"]', has_text=t("notice.title")).count() == 0


# ---------------------------------------------------------------------------------------------------
# 8. issue 12: /overview as a first request, the picker's Enter, the first-run data and what it hides


def test_overview_deep_link_first_opens_the_overview(fresh_server: Server, new_tab) -> None:
    tab = new_tab()
    page = tab.page
    open_page(page, f"{fresh_server.url}/overview", title_of(PAGES[0]))  # the very first request
    assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').first.inner_text()
    assert nav_titles(page) == [title_of(p) for p in PAGES]
    assert urlsplit(page.url).path == "/overview"
    assert_no_error(tab)
    for spec in PAGES[1:]:  # every page path resolves from a link, no "Page not found"
        open_page(page, page_url(fresh_server.url, spec.url_path), title_of(spec))
        assert page.locator('[role="dialog"]').count() == 0, spec.url_path
        assert_no_error(tab)


def test_enter_in_the_province_picker_picks_one_province(app_url: str, tab: Tab) -> None:
    page = tab.page
    open_page(page, page_url(app_url, "province"), t("page.province"))
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    picker.click()
    page.keyboard.type("Lào Cai")
    page.get_by_role("option", name="Lào Cai", exact=True).wait_for()
    page.keyboard.press("Enter")
    page.locator("h1").first.click()  # close the list: the choice is sent
    page.wait_for_url(re.compile(r"[?&]p="))
    settle(page)
    assert query_of(page.url).get("p") == LAO_CAI, f"Enter chose more than Lào Cai: {page.url}"
    assert_no_error(tab)


@pytest.fixture(scope="module")
def first_run_url(first_run_warehouse: Path, serve: Callable[[Path, str], Server]) -> str:
    return serve(first_run_warehouse, "first-run").url


def test_first_run_overview_says_what_is_loaded(first_run_url: str, first_run_warehouse: Path, tab: Tab,
                                                output_dir: Path) -> None:
    import duckdb

    with duckdb.connect(str(first_run_warehouse), read_only=True) as con:
        docs, provs = con.execute("SELECT (SELECT count(*) FROM documents WHERE status = 'ok'), "
                                  "(SELECT count(DISTINCT province_id) FROM facts)").fetchone()
    assert provs >= 10, "the first run should show a country, not three provinces"
    page = tab.page
    open_page(page, page_url(first_run_url, PAGES[0]), title_of(PAGES[0]))
    line = page.locator('[data-testid="stMarkdownContainer"]', has_text="Đã nạp:").first
    line.wait_for()
    text = line.inner_text()
    assert f"{docs} tài liệu" in text and f"{provs} tỉnh có số liệu" in text, text
    assert "đã được người kiểm tra" in text
    assert_no_error(tab)
    full_screenshot(page, output_dir / "first-run-overview.png")


def test_first_run_compare_says_what_the_scope_hides_and_shows_it(first_run_url: str, first_run_warehouse: Path,
                                                                  tab: Tab, output_dir: Path) -> None:
    from etl.ui.widgets import HEADLINE

    hidden = queries.hidden_counts(first_run_warehouse, indicators=list(HEADLINE), scope="auto")
    hidden = hidden[hidden["n_other_scope"] > 0]
    if hidden.empty:
        pytest.skip("the first-run data has no headline value at another scope")
    chosen = list(hidden["province_id"][:3])
    if len(chosen) < 2:  # the compare page wants two: add a province with headline values
        shown = queries.facts(first_run_warehouse, indicators=list(HEADLINE), scope="auto", is_target=False)
        chosen += [p for p in shown["province_id"].unique() if p not in chosen][:1]
    n_hidden = int(hidden[hidden["province_id"].isin(chosen)]["n_other_scope"].sum())
    page = tab.page
    open_page(page, page_url(first_run_url, "compare", {"p": ",".join(chosen)}), t("page.compare"))
    phrase = t("hidden.other_scope", n=str(n_hidden), scope=t("scope.auto"), who="").split(":")[0]
    notice = page.locator('[data-testid="stAlert"]', has_text=phrase)
    notice.wait_for()
    full_screenshot(page, output_dir / "first-run-compare-hidden.png")
    page.get_by_role("button", name=t("hidden.show_scopes")).click()
    page.wait_for_url(re.compile(r"[?&]sc=any"))
    settle(page)
    assert page.locator('[data-testid="stAlert"]', has_text=phrase).count() == 0
    names = queries.provinces(first_run_warehouse).set_index("province_id")["name"]
    page.locator(PLOT).first.wait_for()
    drawn = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g =>
        (g._fullData || []).flatMap(tr => [tr.name || '', ...Array.from(tr.y || [], String)]))""")
    for pid in chosen:
        if pid in set(hidden["province_id"]):
            assert any(names[pid] in str(x) for x in drawn), f"{names[pid]} is still not drawn after showing every scope"
    assert_no_error(tab)
