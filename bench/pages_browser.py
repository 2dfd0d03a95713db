"""Every page in a real browser at scale: the first page after a server start, page switches, memory, screenshots.

Uses the helpers of `bench.server_memory` (a real `streamlit run dashboard.py` on 127.0.0.1 in its own
process group, headless Debian Chromium through Playwright — never `playwright install` —, the psutil
sampler of the server's resident memory) on the synthetic warehouse of `bench.dashboard_scale`.

A page counts as **rendered** when, as in `tests/e2e`, its title (h1) is shown, Streamlit is idle (no
running indicator — the status widget —, no stale element, no skeleton) for three polls in a row 100 ms
apart, and the page's main element is visible (a drawn Plotly chart, a data grid, the explorer's download
button, the quality page's section picker). The time is taken at the first of those quiet polls, so the
waiting that confirms the quiet is not counted.

1. **First page after the server starts**, per page: a new server for each page (a cold process: nothing
   imported, nothing cached, the warehouse not yet opened; the OS file cache is warm), the page's URL
   loaded in a new browser context as soon as `/_stcore/health` answers. Seconds from launching the
   process to the page rendered, split into the server's start and the page's own load.
2. **Page switches**: one more server and one browser session, as a user: the overview's URL, then a
   click on the sidebar's link to the next page, and so on through every page, for `--rounds` rounds
   (round 1 meets an empty cache: each page's first visit; later rounds read it). Median and 95th percentile
   per page and over all switches.
3. **Server memory**: the peak resident memory of each server (sampled every 50 ms), against 500 MB.
4. **Screenshots**: after the rounds, a full-page PNG of each page (viewport 1400 px wide), written with the
   figures (`figures.md`, `figures.json`) to `bench/out/pages_<size>/`.

Run: `python -m bench.pages_browser [--n-obs 1000000] [--rounds 5] [--first-pages all|overview] [--db PATH]`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import OUT_DIR, fmt_bytes, machine_info, markdown_table
from bench.server_memory import (
    APP,
    BUSY_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    NAV_LINK,
    TARGET_BYTES,
    RssSampler,
    missing_browser,
    start_server,
)

VIEWPORT = {"width": 1400, "height": 900}
SWITCH_TARGET_S = 1.0
FIRST_TARGET_S = 3.0
PLOT = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
GRID = '[data-testid="stDataFrame"]'
# The element that shows a page is there (as tests/e2e/test_browser.py's PAGE_CONTENT).
MAIN_ELEMENT = {
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
# (busy, main element shown): busy as bench.server_memory's BUSY_JS; an exception box counts as shown
STATE_JS = """sel => [!!document.querySelector(
    '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]'),
    [...document.querySelectorAll(sel + ', [data-testid="stException"]')].some(
        e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')]"""
QUIET_POLLS = 3
POLL_MS = 100
TIMEOUT_S = 120.0
MAIN_TIMEOUT_S = 15.0


# --------------------------------------------------------------------------------------------------
# waiting for a page


def wait_rendered(page, heading: str, main: str | None, t0: float, timeout: float = TIMEOUT_S) -> tuple[float, str]:
    """Seconds from `t0` until the page titled `heading` is rendered (see the module's docstring), and
    what was wrong ("" when nothing): an exception shown, or the main element missing."""
    page.wait_for_selector(APP, timeout=timeout * 1000)
    title = page.locator("h1", has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
    title.or_(page.locator(EXCEPTION)).first.wait_for(timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet, first_quiet, idle_since = 0, None, None
    while quiet < QUIET_POLLS:
        busy, shown = page.evaluate(STATE_JS, main or APP)
        now = time.perf_counter()
        idle_since = None if busy else (idle_since or now)
        if not busy and shown:
            quiet += 1
            first_quiet = first_quiet or now
        else:
            quiet, first_quiet = 0, None
        if time.monotonic() > deadline:
            raise TimeoutError(f"Streamlit never settled on {page.url}")
        if idle_since is not None and not shown and now - idle_since > MAIN_TIMEOUT_S:
            if page.locator(EXCEPTION).count():
                return idle_since - t0, "exception: " + page.locator(EXCEPTION).first.inner_text()[:200]
            return idle_since - t0, f"main element {main} not shown"
        if quiet < QUIET_POLLS:
            page.wait_for_timeout(POLL_MS)
    if page.locator(EXCEPTION).count():
        return first_quiet - t0, "exception: " + page.locator(EXCEPTION).first.inner_text()[:200]
    return first_quiet - t0, ""


def full_screenshot(page, path: Path, max_height: int = 12_000, clip_height: int | None = None) -> None:
    """The whole page: Streamlit scrolls inside `stMain`, so grow the viewport to its height first (as
    tests/e2e does); `clip_height` keeps only the top of a long page."""
    viewport = page.viewport_size
    height = page.evaluate("""() => Math.max(window.innerHeight, ...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stSidebarContent"]')].map(e => e.scrollHeight))""")
    height = min(int(height) + 40, max_height)
    if clip_height:
        height = min(height, clip_height)
    page.set_viewport_size({"width": viewport["width"], "height": height})
    _idle(page)
    page.wait_for_timeout(600)  # let Plotly and the grids redraw at the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=clip_height is None,
                    clip={"x": 0, "y": 0, "width": viewport["width"], "height": height} if clip_height else None)
    page.set_viewport_size(viewport)


def _idle(page, timeout: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < QUIET_POLLS:
        quiet = 0 if page.evaluate(BUSY_JS) else quiet + 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"Streamlit never settled on {page.url}")
        page.wait_for_timeout(POLL_MS)


def click_page(page, heading: str) -> None:
    """Click the sidebar's link to the page titled `heading`, as a user does."""
    page.locator(NAV_LINK).filter(has=page.get_by_text(heading, exact=True)).click()


# --------------------------------------------------------------------------------------------------
# the benchmark


@dataclass
class FirstPage:
    page: str
    server_start_s: float  # process launched -> /_stcore/health answers
    page_s: float  # URL requested -> rendered
    total_s: float  # process launched -> rendered
    peak_rss: int
    server_cpu_s: float = 0.0  # the server's CPU seconds from its launch to the page rendered
    problem: str = ""


@dataclass
class Figures:
    db: str
    n_obs: int
    machine: str
    date: str
    rounds: int
    selection: str = "none"
    params: dict[str, str] = field(default_factory=dict)
    first: list[FirstPage] = field(default_factory=list)
    switches: dict[str, list[float]] = field(default_factory=dict)  # page -> seconds, round by round
    switch_cpu: dict[str, list[float]] = field(default_factory=dict)  # page -> the server's CPU seconds
    switch_browser_cpu: dict[str, list[float]] = field(default_factory=dict)  # page -> Chromium's CPU seconds
    session_first_load_s: float = 0.0
    session_peak_rss: int = 0
    session_idle_rss: int = 0
    session_final_rss: int = 0
    problems: list[str] = field(default_factory=list)
    screenshots: list[str] = field(default_factory=list)


def p95(values: list[float]) -> float:
    """95th percentile, linear between ranks."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * 0.95
    lo = int(k)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (k - lo)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (all its threads, DuckDB's included)."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def browser_cpu_seconds() -> float:
    """CPU seconds so far of the Chromium processes this benchmark started (Playwright's driver is a child
    of this process, Chromium a child of the driver)."""
    import psutil

    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name().lower():
                times = proc.cpu_times()
                total += times.user + times.system
        except psutil.Error:  # a renderer that ended
            pass
    return total


def size_label(n_obs: int) -> str:
    if n_obs % 1_000_000 == 0:
        return f"{n_obs // 1_000_000}m"
    if n_obs % 1000 == 0:
        return f"{n_obs // 1000}k"
    return str(n_obs)


def measure(db: Path, n_obs: int, rounds: int, first_pages: list[str], out: Path, work_dir: Path,
            selection: str = "5 provinces") -> Figures:
    from playwright.sync_api import sync_playwright

    from bench.dashboard_scale import selections
    from etl.ui.i18n import t
    from etl.ui.router import PAGES

    titles = {spec.url_path: t(spec.title_key, "vi") for spec in PAGES}
    pages = [spec.url_path for spec in PAGES]
    params = {sel.name: sel.params for sel in selections(db)}[selection]
    query = f"?{urlencode(params)}" if params else ""
    info = machine_info()
    figs = Figures(db=db.name, n_obs=n_obs, machine=info.header(), date=time.strftime("%Y-%m-%d %H:%M %Z"),
                   rounds=rounds, selection=selection, params=params)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # 1. the first page after a server start, one new server per page
            for url in first_pages:
                ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                tab = ctx.new_page()
                t0 = time.perf_counter()
                server = start_server(db, work_dir / f"pages_browser_first_{url}.log")
                try:
                    sampler = RssSampler(server.proc.pid, 0.05).start()
                    t_up = time.perf_counter()
                    tab.goto(f"{server.url}/{'' if url == pages[0] else url}{query}")
                    total, problem = wait_rendered(tab, titles[url], MAIN_ELEMENT.get(url), t0)
                    sampler.stop()
                    figs.first.append(FirstPage(url, t_up - t0, total - (t_up - t0), total, sampler.peak,
                                                cpu_seconds(server.proc.pid), problem))
                    print(f"first page {url}: {total:.2f} s (server {t_up - t0:.2f} s)", file=sys.stderr, flush=True)
                finally:
                    server.stop()
                    ctx.close()

            # 2. page switches in one session, 3. its memory, 4. screenshots
            t0 = time.perf_counter()
            server = start_server(db, work_dir / "pages_browser_session.log")
            try:
                sampler = RssSampler(server.proc.pid, 0.05).start()
                figs.session_idle_rss = sampler.now()
                ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                tab = ctx.new_page()
                t1 = time.perf_counter()
                tab.goto(f"{server.url}/{query}")
                figs.session_first_load_s, problem = wait_rendered(tab, titles[pages[0]], MAIN_ELEMENT[pages[0]], t1)
                if problem:
                    figs.problems.append(f"{pages[0]} (first load): {problem}")
                order = pages[1:] + pages[:1]  # overview -> indicator -> ... -> quality -> overview
                for n in range(1, rounds + 1):
                    for url in order:
                        cpu0, bcpu0, t1 = cpu_seconds(server.proc.pid), browser_cpu_seconds(), time.perf_counter()
                        click_page(tab, titles[url])
                        seconds, problem = wait_rendered(tab, titles[url], MAIN_ELEMENT.get(url), t1)
                        figs.switches.setdefault(url, []).append(seconds)
                        figs.switch_cpu.setdefault(url, []).append(cpu_seconds(server.proc.pid) - cpu0)
                        figs.switch_browser_cpu.setdefault(url, []).append(browser_cpu_seconds() - bcpu0)
                        if problem:
                            figs.problems.append(f"{url} (round {n}): {problem}")
                    print(f"round {n}: median {statistics.median(s[-1] for s in figs.switches.values()):.2f} s, "
                          f"peak {fmt_bytes(sampler.peak)}", file=sys.stderr, flush=True)
                for url in pages:
                    if url != pages[0]:
                        t1 = time.perf_counter()
                        click_page(tab, titles[url])
                        wait_rendered(tab, titles[url], MAIN_ELEMENT.get(url), t1)
                    path = out / f"{url}.png"
                    full_screenshot(tab, path, max_height=6000)
                    figs.screenshots.append(path.name)
                ctx.close()
                time.sleep(1.0)
                figs.session_final_rss = sampler.now()
                sampler.stop()
                figs.session_peak_rss = sampler.peak
            finally:
                server.stop()
        finally:
            browser.close()
    return figs


def report(figs: Figures, out: Path) -> str:
    """The figures as markdown, each against its goal."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [f"### Pages in the browser at {figs.n_obs:,} observations", "",
             f"{figs.date}. {figs.machine}", "",
             f"Warehouse `{figs.db}`; every page opened with the selection '{figs.selection}' "
             f"(`{urlencode(figs.params)}`); Chromium {VIEWPORT['width']}×{VIEWPORT['height']}. A page is rendered when its "
             "title is shown, Streamlit is idle (no running indicator, nothing stale) and its main element "
             "(chart, grid, button) is visible.", ""]
    if figs.first:
        rows = [[f.page, f"{f.server_start_s:.2f}", f"{f.page_s:.2f}", f"{f.total_s:.2f}", f"{f.server_cpu_s:.2f}",
                 fmt_bytes(f.peak_rss), f.problem or "ok"] for f in figs.first]
        totals = [f.total_s for f in figs.first]
        pages_only = [f.page_s for f in figs.first]
        lines += ["**First page after the server starts** (a new `streamlit run` per page; its URL loaded as soon "
                  "as the server answers):", "",
                  markdown_table(["page", "server start s", "page load s", "launch → rendered s", "server CPU s",
                                  "peak RSS", "notes"], rows, align="lrrrrrl"), "",
                  f"Launch → rendered: median {statistics.median(totals):.2f} s, worst {max(totals):.2f} s "
                  f"(goal < {FIRST_TARGET_S:.0f} s: {verdict(max(totals) < FIRST_TARGET_S)}); the page's own load "
                  f"after the server answers: median {statistics.median(pages_only):.2f} s, worst "
                  f"{max(pages_only):.2f} s.", ""]
    all_switches = [s for v in figs.switches.values() for s in v]
    if all_switches:
        rows = [[url, len(v), f"{v[0]:.2f}", f"{statistics.median(v):.2f}", f"{p95(v):.2f}", f"{max(v):.2f}",
                 f"{statistics.median(figs.switch_cpu[url]):.2f}", f"{statistics.median(figs.switch_browser_cpu[url]):.2f}"]
                for url, v in figs.switches.items()]
        med = statistics.median(all_switches)
        worst_med = max(statistics.median(v) for v in figs.switches.values())
        lines += [f"**Page switches** (one session: a click on the sidebar's link to the next page, "
                  f"{figs.rounds} rounds through all pages; round 1 is each page's first visit, cache empty; "
                  f"the session's first load of the overview by URL: {figs.session_first_load_s:.2f} s):", "",
                  markdown_table(["page", "switches", "round 1 s", "median s", "p95 s", "max s",
                                  "server CPU s, median", "browser CPU s, median"], rows, align="lrrrrrrr"), "",
                  f"All switches: median {med:.2f} s, p95 {p95(all_switches):.2f} s; slowest page median "
                  f"{worst_med:.2f} s (goal: median < {SWITCH_TARGET_S:.0f} s per page: "
                  f"{verdict(worst_med < SWITCH_TARGET_S)}). `server CPU s` and `browser CPU s` are the CPU time "
                  "the server and Chromium (all its processes) spent on the switch, which other work on the machine "
                  "hardly inflates: with two idle cores to themselves a switch would take about the two added (the "
                  "browser mostly draws after the server has sent the page), or somewhat less. Headless Chromium runs "
                  "without a GPU here (`--disable-gpu`): it draws in software, at more CPU than a desktop browser.", ""]
    peaks = [f.peak_rss for f in figs.first] + [figs.session_peak_rss]
    lines += [f"**Server memory**: the switching session's server idled at {fmt_bytes(figs.session_idle_rss)}, "
              f"peaked at {fmt_bytes(figs.session_peak_rss)} and held {fmt_bytes(figs.session_final_rss)} at the "
              f"end; the largest peak of all servers: {fmt_bytes(max(peaks))} (goal < "
              f"{fmt_bytes(TARGET_BYTES)}: {verdict(max(peaks) < TARGET_BYTES)}). One browser session; "
              "`bench.server_memory` measures several sessions and selections.", ""]
    if figs.problems:
        lines += ["Problems: " + "; ".join(figs.problems), ""]
    if figs.screenshots:
        lines += ["Screenshots (full page, after the rounds): " + ", ".join(f"`{out / s}`" for s in figs.screenshots)]
    return "\n".join(lines)


def run(db: Path, n_obs: int, rounds: int, first_pages: str | list[str], work_dir: Path,
        out: Path | None = None, selection: str = "5 provinces") -> Iterator[str]:
    """Measure and yield the markdown report; figures and screenshots go to `out`."""
    why = missing_browser()
    if why:
        yield f"### Pages in the browser\n\nSkipped: {why}."
        return
    from etl.ui.router import PAGES

    pages = [spec.url_path for spec in PAGES]
    if isinstance(first_pages, str):
        first_pages = pages if first_pages == "all" else [p for p in pages if p in first_pages.split(",")]
    out = out or OUT_DIR / f"pages_{size_label(n_obs)}"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.pop("ICTDASH_REVIEWER", None)  # the servers started here show the read-only dashboard
    figs = measure(db, n_obs, rounds, first_pages, out, work_dir, selection)
    (out / "figures.json").write_text(json.dumps(asdict(figs), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = report(figs, out)
    (out / "figures.md").write_text(text + "\n", encoding="utf-8")
    yield text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pages_browser", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-obs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--db", type=Path, default=None, help="a warehouse (default: the synthetic one of --n-obs)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds through every page in the switching session")
    ap.add_argument("--first-pages", default="all",
                    help="pages measured after a fresh server start: all (default), or a comma list, e.g. overview")
    ap.add_argument("--selection", default="5 provinces", choices=("none", "1 province", "5 provinces", "1 indicator"),
                    help="the view every page opens with (bench.dashboard_scale's selections; default %(default)s: "
                         "without a province the province page shows only its picker)")
    ap.add_argument("--out", type=Path, default=None, help="figures and screenshots (default bench/out/pages_<size>)")
    ap.add_argument("--work-dir", type=Path, default=None, help="warehouses and server logs (default bench/out/dashboard)")
    args = ap.parse_args(argv)

    from bench.dashboard_scale import WAREHOUSE_DIR, warehouse_for

    work_dir = args.work_dir or WAREHOUSE_DIR
    db = args.db or warehouse_for(args.n_obs, args.seed, "table", directory=work_dir)
    for text in run(db, args.n_obs, args.rounds, args.first_pages, work_dir, args.out, args.selection):
        print(text + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
