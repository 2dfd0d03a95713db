"""The indicator workspace in a real browser, on the first-run data (seeds + the real corpus, like `make run`).

Open `/indicator?ind=...` with three provinces chosen, go through the chart, map, table and sources tabs:
the chosen provinces are named at their line ends and on the map, the map marks Hoàng Sa and Trường Sa,
the table lists the chosen provinces, nothing is requested off the machine. Screenshots of each tab go to
`test-output/e2e/workspace-<tab>.png`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from etl import queries
from etl.ui.i18n import t

from .test_browser import (
    GRID,
    PLOT,
    Server,
    Tab,
    all_grid_rows,
    assert_no_error,
    full_screenshot,
    open_page,
    page_url,
    settle,
)

pytestmark = pytest.mark.e2e

INDICATORS = ("fibre_coverage_pct", "bts_stations", "email_agencies_pct", "digital_economy_share_pct")

# what the plots on screen say: every annotation's text and every text point (province names on the map)
PLOT_TEXTS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g => [
    ...((g._fullLayout && g._fullLayout.annotations) || []).map(a => a.text || ''),
    ...(g._fullData || []).flatMap(tr => tr.mode === 'text' ? Array.from(tr.text || [], String) : [])])"""


@pytest.fixture(scope="module")
def workspace_url(first_run_warehouse: Path, serve: Callable[[Path, str], Server]) -> str:
    return serve(first_run_warehouse, "workspace").url


def _choice(db: Path) -> tuple[str, list[str]]:
    """The headline indicator most 63-scheme provinces report at its headline scope, and three of them."""
    best: tuple[str, list[str]] | None = None
    for indicator in INDICATORS:
        facts = queries.facts(db, indicators=[indicator], scope="auto", is_target=False)
        counts = facts[facts["scheme"] == "63"]["province_id"].value_counts()
        ids = sorted(counts.index, key=lambda p: (-counts[p], p))
        if best is None or len(ids) > len(best[1]):
            best = (indicator, ids)
    assert best and len(best[1]) >= 3, "the first-run data should have a headline indicator in three provinces"
    return best[0], best[1][:3]


def _open_tab(page, label: str, code: str) -> None:
    page.get_by_role("tab", name=label, exact=True).click()
    page.wait_for_url(re.compile(rf"[?&]tab={code}\b"))
    settle(page)


def test_workspace_tabs_label_the_chosen_provinces_and_the_archipelagos(workspace_url: str, first_run_warehouse: Path,
                                                                      tab: Tab, output_dir: Path) -> None:
    indicator, chosen = _choice(first_run_warehouse)
    names = queries.provinces(first_run_warehouse).set_index("province_id")["name"]
    page = tab.page
    open_page(page, page_url(workspace_url, "indicator", {"ind": indicator, "p": ",".join(chosen)}),
              t("page.indicator"))
    assert re.search(rf"[?&]i={indicator}\b", page.url), f"the indicator is not in the URL: {page.url}"
    tabs = [t(f"ws.tab_{code}") for code in ("chart", "map", "table", "sources")]
    assert page.get_by_role("tab").all_inner_texts()[:4] == tabs

    # chart: every province grey, the chosen ones named at their line ends
    page.locator(PLOT).first.wait_for()
    texts = " ".join(page.evaluate(PLOT_TEXTS_JS))
    for pid in chosen:
        assert names[pid] in texts, f"{names[pid]} is not named on the chart: {texts[:500]}"
    full_screenshot(page, output_dir / "workspace-chart.png")

    # map: the chosen provinces named, Hoàng Sa and Trường Sa marked with their provinces
    _open_tab(page, tabs[1], "map")
    page.locator(PLOT).first.wait_for()
    texts = " ".join(page.evaluate(PLOT_TEXTS_JS))
    for pid in chosen:
        assert names[pid] in texts, f"{names[pid]} is not named on the map"
    assert "Hoàng Sa" in texts and "Đà Nẵng" in texts, texts[:500]
    assert "Trường Sa" in texts and "Khánh Hòa" in texts, texts[:500]
    svg = page.locator('[data-testid="stPlotlyChart"] svg text', has_text="Hoàng Sa").first
    assert svg.is_visible(), "Hoàng Sa's label is not drawn"
    assert page.locator('[data-testid="stPlotlyChart"] svg text', has_text="Trường Sa").first.is_visible()
    full_screenshot(page, output_dir / "workspace-map.png")

    # table: the year on the timeline, the chosen provinces
    _open_tab(page, tabs[2], "table")
    page.locator(GRID).first.wait_for()
    rows = all_grid_rows(page)
    shown = {r.get(t("col.province")) for r in rows}
    assert shown & {names[p] for p in chosen}, f"no chosen province in the table: {rows[:3]}"
    full_screenshot(page, output_dir / "workspace-table.png")

    # sources: the documents the values come from
    _open_tab(page, tabs[3], "sources")
    page.locator(GRID).first.wait_for()
    assert all_grid_rows(page), "no document listed"
    full_screenshot(page, output_dir / "workspace-sources.png")
    assert_no_error(tab)  # no request off the machine either: the map draws its labels itself
