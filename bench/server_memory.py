"""The dashboard server's memory: a real `streamlit run dashboard.py`, every page through a real browser.

Starts the server on 127.0.0.1 against the big synthetic warehouse (the one `bench.dashboard_scale`
builds, or `--db`), opens every page with every selection of `bench.dashboard_scale` in headless
Chromium (Debian's `/usr/bin/chromium` through Playwright; never `playwright install`), for `--rounds`
rounds, each round in a new browser context (a new Streamlit session; the earlier ones stay open
like tabs a user left open, up to `--keep-sessions`). A thread samples the resident memory of the
server process (and any children) every `--interval` seconds with psutil. Round 1 starts with an empty
cache; later rounds read the cached results. The server is stopped at the end, whatever happens.

Run: `python -m bench.server_memory [--n-obs 1000000] [--rounds 3] [--db PATH] [--py-spy]`
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil

from bench.common import OUT_DIR, REPO_ROOT, fmt_bytes, machine_info, markdown_table, tree_rss

CHROMIUM = Path(os.environ.get("ICTDASH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
APP = '[data-testid="stAppViewContainer"]'
EXCEPTION = '[data-testid="stException"]'
NAV_LINK = ('[data-testid="stSidebar"] :is([data-testid="stSidebarNavLink"], '
            '[data-testid="stPageLink-NavLink"])')
BUSY_JS = """() => !!document.querySelector(
    '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')"""
TARGET_BYTES = 500 * 1024 * 1024


# --------------------------------------------------------------------------------------------------
# the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Stop the server's own process group (the server we started, nothing else)."""
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)


def start_server(db: Path, log: Path, timeout: float = 120.0) -> Server:
    port = free_port()
    env = {**os.environ, "ICTDASH_DB": str(db), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s")


class RssSampler:
    """Samples the resident memory of a process tree in a thread: peak overall and per phase."""

    def __init__(self, pid: int, interval: float) -> None:
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.phase_peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self.now()
            self.peak = max(self.peak, rss)
            self.phase_peak = max(self.phase_peak, rss)
            self.samples += 1
            self._stop.wait(self.interval)

    def now(self) -> int:
        return tree_rss(self.proc)

    def new_phase(self) -> None:
        self.phase_peak = self.now()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------------------------------
# the browser


def settle(page, timeout: float = 120.0, quiet_checks: int = 3, interval_ms: int = 150) -> None:
    """Wait until Streamlit has been idle (no status widget, nothing stale) for a few polls."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < quiet_checks:
        quiet = 0 if page.evaluate(BUSY_JS) else quiet + 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"Streamlit never settled on {page.url}")
        page.wait_for_timeout(interval_ms)


def open_page(page, heading: str, url: str | None = None) -> tuple[float, bool]:
    """Load `url` (a new session), or click the sidebar's link to the page titled `heading` (the same
    session, as a user moves around); wait for its h1 and for the run to end. (seconds, shows an exception)"""
    import re

    t0 = time.perf_counter()
    if url is not None:
        page.goto(url)
    else:
        page.locator(NAV_LINK).filter(has=page.get_by_text(heading, exact=True)).click()
    page.wait_for_selector(APP, timeout=120_000)
    title = page.locator("h1", has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
    title.or_(page.locator(EXCEPTION)).first.wait_for(timeout=120_000)
    settle(page)
    # the quiet polls at the end are waiting, not rendering
    return time.perf_counter() - t0 - 0.15 * 3, bool(page.locator(EXCEPTION).count())


@dataclass
class Round:
    number: int
    times: list[float] = field(default_factory=list)
    views: list[tuple[str, bool, float]] = field(default_factory=list)  # (page, loaded by URL, seconds)
    peak: int = 0
    after: int = 0
    errors: list[str] = field(default_factory=list)


def missing_browser() -> str | None:
    """Why the benchmark cannot run here (no Chromium, no Playwright), or None."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: `apt-get install -y chromium` (or `make chromium`; never `playwright install`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (`pip install -e '.[test]'`)"
    return None


def page_table(results: list[Round], pages: list[str]) -> str:
    """Seconds per page over every round and selection; views that loaded a URL (a new session: the
    browser fetches Streamlit's front end and opens a websocket first) are counted apart."""
    rows = []
    for url in pages:
        clicked = [s for r in results for u, goto, s in r.views if u == url and not goto]
        loaded = [s for r in results for u, goto, s in r.views if u == url and goto]
        rows.append([url, len(clicked), _sec(clicked, statistics.median), _sec(clicked, max),
                     len(loaded), _sec(loaded, statistics.median), _sec(loaded, max)])
    return markdown_table(["page", "by link", "median s", "max s", "by URL", "median s", "max s"], rows,
                          align="lrrrrrr")


def _sec(values: list[float], how) -> str:
    return f"{how(values):.2f}" if values else "–"


def run(db: Path, rounds: int, interval: float, keep_sessions: int, spy: bool, work_dir: Path,
        navigate: str = "links") -> Iterator[str]:
    why = missing_browser()
    if why:
        yield f"### Server memory\n\nSkipped: {why}."
        return
    from playwright.sync_api import sync_playwright

    from bench.dashboard_scale import page_files, selections
    from etl.ui.i18n import t
    from etl.ui.router import PAGES

    titles = {spec.url_path: t(spec.title_key, "vi") for spec in PAGES}
    sels = selections(db)
    pages = [url for url, _ in page_files()]
    out = work_dir
    server = start_server(db, out / "server_memory.log")
    spy_proc = None
    try:
        sampler = RssSampler(server.proc.pid, interval).start()
        time.sleep(1.0)
        idle = sampler.now()
        if spy:
            spy_bin = Path(sys.executable).with_name("py-spy")
            spy_proc = subprocess.Popen([str(spy_bin), "record", "--format", "raw", "--rate", "100", "--pid",
                                         str(server.proc.pid), "-o", str(out / "server_profile.txt")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results: list[Round] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            contexts = []
            try:
                for n in range(1, rounds + 1):
                    sampler.new_phase()
                    rnd = Round(n)
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    contexts.append(ctx)
                    tab = ctx.new_page()
                    for sel in sels:
                        for k, url in enumerate(pages):
                            path = "" if url == pages[0] else url
                            full = f"{server.url}/{path}" + (f"?{urlencode(sel.params)}" if sel.params else "")
                            goto = navigate == "goto" or k == 0
                            seconds, failed = open_page(tab, titles[url], full if goto else None)
                            rnd.times.append(seconds)
                            rnd.views.append((url, goto, seconds))
                            if failed:
                                rnd.errors.append(f"{url}/{sel.name}")
                    rnd.peak, rnd.after = sampler.phase_peak, sampler.now()
                    results.append(rnd)
                    print(f"round {n}: peak {fmt_bytes(rnd.peak)}", file=sys.stderr, flush=True)
                    while len(contexts) > keep_sessions:
                        contexts.pop(0).close()
            finally:
                browser.close()
        time.sleep(2.0)
        final = sampler.now()
        sampler.stop()
    finally:
        if spy_proc is not None:
            spy_proc.send_signal(signal.SIGINT)
            spy_proc.wait(timeout=60)
        server.stop()

    n_views = len(sels) * len(pages)
    rows = [[r.number, n_views, f"{statistics.median(r.times):.2f}", f"{max(r.times):.2f}",
             fmt_bytes(r.peak), fmt_bytes(r.after), ", ".join(r.errors) or "ok"] for r in results]
    peak = max(r.peak for r in results)
    verdict = "within" if peak < TARGET_BYTES else "**above**"
    yield (f"### Server memory\n\n`streamlit run dashboard.py` on `{db.name}` ({fmt_bytes(db.stat().st_size)}); "
           f"{len(pages)} pages × {len(sels)} selections per round in headless Chromium, each round in a new "
           f"browser context (at most {keep_sessions} open at once); "
           + ("every page view loads its URL (a new Streamlit session each time; the server keeps a closed "
              "session for 120 s)" if navigate == "goto" else
              "each selection opens its URL, then moves through the pages by the sidebar's links (one "
              "session per selection, as a user)")
           + "; RSS of the server process sampled every "
           f"{interval * 1000:.0f} ms ({sampler.samples} samples).\n\n"
           + markdown_table(["round", "page views", "median s", "max s", "peak RSS", "RSS after", "errors"], rows,
                            align="rrrrrrl")
           + f"\n\nIdle after start: {fmt_bytes(idle)}; **peak: {fmt_bytes(peak)}** ({verdict} the "
             f"{fmt_bytes(TARGET_BYTES)} target); after the last round: {fmt_bytes(final)}. Page seconds are "
             "from navigation to the end of the script run as the browser sees it; per page:\n\n"
           + page_table(results, pages))
    if spy:
        from bench.dashboard_scale import summarize_raw

        yield "Server profile (py-spy, all threads):\n\n" + summarize_raw(out / "server_profile.txt")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.server_memory", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-obs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep-sessions", type=int, default=2, help="browser sessions left open at once")
    ap.add_argument("--interval", type=float, default=0.05, help="RSS sampling interval, seconds")
    ap.add_argument("--py-spy", action="store_true", help="also profile the server with py-spy")
    ap.add_argument("--navigate", choices=("links", "goto"), default="links",
                    help="links: a user clicking the page menu (default); goto: load every page's URL "
                         "(a new session per page view, the worst case)")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "server_memory.md")
    ap.add_argument("--work-dir", type=Path, default=None,
                    help="warehouses, server log and profile (default: bench/out/dashboard)")
    args = ap.parse_args(argv)

    from bench.dashboard_scale import WAREHOUSE_DIR, warehouse_for

    work_dir = args.work_dir or WAREHOUSE_DIR
    db = args.db or warehouse_for(args.n_obs, args.seed, "table", directory=work_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for text in ["## Dashboard server memory", machine_info().header(),
                     *run(db, args.rounds, args.interval, args.keep_sessions, args.py_spy, work_dir,
                          args.navigate)]:
            print(text + "\n", flush=True)
            fh.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
