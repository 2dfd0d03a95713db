"""Review mode in a real browser (issue 13): Debian Chromium via Playwright against a real `streamlit run`
started as `ictdash review` starts it (ICTDASH_REVIEWER, ICTDASH_CURATION), over a warehouse of the seed
reports and a TEMPORARY COPY of data/curation.csv (the repository's file is never written).

From the sources page: reject Lào Cai's 912 BTS stations (2013), correct its 21 post offices to 22, add
Trà Vinh's 100 postal service points (2015) as an exact value. Then the explorer shows the corrected and
the added value with their status and no BTS value, the curation copy holds the three lines with the
reviewer and the reasons, and `ictdash etl --full` from the reports gives the very same facts. Every wait
is for something on the page (no fixed sleep decides an outcome).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest
from playwright.sync_api import Locator, Page

from etl.ui.i18n import t

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
APP = '[data-testid="stAppViewContainer"]'
EXCEPTION = '[data-testid="stException"]'
GRID = '[data-testid="stDataFrame"]'
BUSY_JS = """() => !!document.querySelector(
    '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')"""
DOC_LAO_CAI = "001_435dc5d778df3190.txt"
DOC_TRA_VINH = "002_de78d42dda2afc96.txt"
REVIEWER = "Kiểm Thử Viên"
ACTION_TIMEOUT_MS = 60_000


def _etl(db: Path, curation: Path, *extra: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "etl", "etl", str(REPORTS), "--db", str(db), "--curation",
                           str(curation), "--quiet", *extra], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def _facts(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT obs_id, province_id, year, indicator_id, scope, is_target, value, review_status, "
                           "reviewer, review_reason, n_sources, n_disagree FROM facts ORDER BY ALL").fetchall()


def _obs_id(db: Path, doc: str, indicator: str) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT obs_id FROM observations WHERE doc_id = ? AND indicator_id = ?",
                           [doc, indicator]).fetchall()[0][0]


def settle(page: Page, quiet_checks: int = 4) -> None:
    """Streamlit idle (no running script, no stale element) for a few polls in a row."""
    page.wait_for_selector(APP)
    deadline = time.monotonic() + 60
    quiet = 0
    while quiet < quiet_checks:
        quiet = 0 if page.evaluate(BUSY_JS) else quiet + 1
        assert time.monotonic() < deadline, f"Streamlit never settled on {page.url}"
        page.wait_for_timeout(250)


def no_exception(page: Page) -> None:
    if page.locator(EXCEPTION).count():
        raise AssertionError(page.locator(EXCEPTION).first.inner_text())


def grid_rows(grid: Locator) -> list[dict[str, str]]:
    """The rows a st.dataframe shows, from the grid's accessibility table (the cells are a canvas)."""
    grid.scroll_into_view_if_needed()
    grid.locator("table tbody tr").first.wait_for(state="attached")
    return list(grid.evaluate("""el => {
        const t = el.querySelector('table');
        const head = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
        return [...t.querySelectorAll('tbody tr')].map(tr =>
            Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [head[i], td.innerText.trim()])));
    }"""))


def open_value(page: Page, base: str, doc: str, obs: str | None = None) -> Locator:
    """The sources page of `doc` (focused on `obs`); returns the review panel (or the page's main area)."""
    query = {"doc": doc} | ({"obs": obs} if obs else {})
    page.goto(f"{base}/sources?{urlencode(query)}")
    page.wait_for_selector(APP)
    target = page.locator(".st-key-rv_panel_src") if obs else page.get_by_text("Thêm giá trị máy bỏ sót")
    target.or_(page.locator(EXCEPTION)).first.wait_for(timeout=ACTION_TIMEOUT_MS)
    no_exception(page)
    settle(page)
    return page.locator(".st-key-rv_panel_src") if obs else page.locator('[data-testid="stMain"]')


def submit(page: Page, scope: Locator, label: str, saved: str) -> float:
    """Click the visible submit button `label` in `scope`; wait for the saved notice; seconds it took."""
    button = scope.get_by_role("button", name=re.compile(rf"{re.escape(label)}\s*$")).filter(visible=True)
    started = time.monotonic()
    button.click()
    notice = page.get_by_text(saved)
    try:  # (an error left on the page by an earlier attempt stays until the rerun: wait for the notice itself)
        notice.or_(page.locator(EXCEPTION)).first.wait_for(timeout=ACTION_TIMEOUT_MS)
    except Exception:
        errors = page.locator('[data-testid="stAlertContentError"]')
        raise AssertionError(f"no {saved!r}; errors on the page: {errors.all_inner_texts()}") from None
    no_exception(page)
    return time.monotonic() - started


def visible_input(scope: Locator, label: str) -> Locator:
    return scope.get_by_label(label, exact=True).filter(visible=True)


def test_reject_correct_and_add_from_the_sources_page(tmp_path: Path, serve: Callable, new_tab,
                                                      monkeypatch: pytest.MonkeyPatch, output_dir: Path) -> None:
    curation = tmp_path / "curation.csv"
    shutil.copyfile(ROOT / "data" / "curation.csv", curation)  # a copy: the repository's file is never written
    real_curation = (ROOT / "data" / "curation.csv").read_bytes()
    n_before = len(curation.read_text(encoding="utf-8").splitlines())
    db = tmp_path / "review.duckdb"
    _etl(db, curation)
    bts = _obs_id(db, DOC_LAO_CAI, "bts_stations")
    docs = _obs_id(db, DOC_LAO_CAI, "e_documents_pct")

    monkeypatch.setenv("ICTDASH_REVIEWER", REVIEWER)
    monkeypatch.setenv("ICTDASH_CURATION", str(curation))
    server = serve(db, "review")
    tab = new_tab()
    page: Page = tab.page
    timings: dict[str, float] = {}

    # 1. reject the 912 BTS stations
    panel = open_value(page, server.url, DOC_LAO_CAI, bts)
    assert REVIEWER in panel.inner_text()
    panel.get_by_role("tab", name="Loại").click()
    visible_input(panel, "Lý do").fill("chỉ tính trạm của một doanh nghiệp")
    timings["reject"] = submit(page, panel, "Loại", "Đã lưu: rejected bts_stations")
    page.locator(".st-key-rv_panel_src", has_text="Đã loại").wait_for()

    # 2. correct the e-documents share 40 -> 41
    panel = open_value(page, server.url, DOC_LAO_CAI, docs)
    panel.get_by_role("tab", name="Hiệu chỉnh").click()
    value = visible_input(panel, "Giá trị")
    assert value.input_value() == "40"
    value.fill("41")
    visible_input(panel, "Lý do").fill("báo cáo gõ nhầm, bảng phụ lục ghi 41")
    timings["correct"] = submit(page, panel, "Hiệu chỉnh", "Đã lưu: corrected e_documents_pct")
    page.locator(".st-key-rv_panel_src", has_text="Đã hiệu chỉnh").wait_for()

    # 3. add Trà Vinh's postal service points as an exact value; bad evidence first: refused, nothing written
    main = open_value(page, server.url, DOC_TRA_VINH)
    page.get_by_text("Thêm giá trị máy bỏ sót").click()
    form = page.locator('[data-testid="stForm"]').filter(visible=True).last
    box = form.locator('[data-testid="stSelectbox"]').first
    box.click()
    page.keyboard.type("Số điểm phục vụ bưu chính")
    page.get_by_role("option", name="Số điểm phục vụ bưu chính", exact=True).first.click()
    visible_input(form, "Giá trị").fill("100")
    assert visible_input(form, "Năm").input_value() == "2015"  # the document's year, proposed
    evidence = form.locator("textarea").first
    evidence.fill("hơn 200 điểm phục vụ")
    form.get_by_role("button", name=re.compile(r"Thêm giá trị\s*$")).click()
    page.get_by_text("đoạn này không có trong văn bản").wait_for(timeout=ACTION_TIMEOUT_MS)
    assert len(curation.read_text(encoding="utf-8").splitlines()) == n_before + 2
    evidence.fill("Mạng lưới bưu chính với hơn 100 điểm phục vụ")
    visible_input(form, "Ghi chú (không bắt buộc)").fill("giá trị đủ, không chỉ là mức tối thiểu")
    timings["add"] = submit(page, main, "Thêm giá trị", "Đã lưu: added postal_service_points")

    # the explorer shows the corrected and the added value with their status; the BTS value is gone
    page.goto(f"{server.url}/explorer?" + urlencode({"p": "63-10,63-84",
                                                     "i": "bts_stations,e_documents_pct,postal_service_points"}))
    page.locator(GRID).first.wait_for(timeout=ACTION_TIMEOUT_MS)
    settle(page)
    no_exception(page)
    rows = grid_rows(page.locator(GRID).first)
    col = {k: t(f"col.{k}") for k in ("indicator", "province", "value", "status", "year")}
    by_indicator = {r[col["indicator"]]: r for r in rows}
    assert "Số trạm thu phát sóng di động (BTS)" not in by_indicator, rows
    corrected = by_indicator["Tỷ lệ văn bản trao đổi dưới dạng điện tử"]
    assert corrected[col["value"]] == "41%" and corrected[col["status"]] == "Đã hiệu chỉnh", corrected
    added = next(r for r in rows if r[col["province"]] == "Trà Vinh"
                 and r[col["indicator"]] == "Số điểm phục vụ bưu chính")
    assert added[col["value"]] == "100" and added[col["status"]] == "Bổ sung thủ công", added
    page.screenshot(path=str(output_dir / "review-explorer.png"), full_page=True)

    # the curation copy holds exactly the three lines, with the reviewer and the reasons; the real file is untouched
    lines = curation.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n_before + 3
    new = lines[-3:]
    assert new[0].startswith(f"reject,{DOC_LAO_CAI},bts_stations,") and "chỉ tính trạm" in new[0]
    assert new[1].startswith(f"correct,{DOC_LAO_CAI},e_documents_pct,") and ",41," in new[1]
    assert new[2].startswith(f"add,{DOC_TRA_VINH},postal_service_points,") and "không chỉ là mức" in new[2]
    assert all(f",{REVIEWER}," in line for line in new)
    assert (ROOT / "data" / "curation.csv").read_bytes() == real_curation

    # a full build from the reports gives the very same facts
    full = tmp_path / "full.duckdb"
    _etl(full, curation, "--full")
    assert _facts(full) == _facts(db)
    assert not tab.page_errors, tab.page_errors
    print(f"review action -> change shown (browser, seeds): {timings}")
    (output_dir / "review-timings.txt").write_text(repr(timings), encoding="utf-8")
