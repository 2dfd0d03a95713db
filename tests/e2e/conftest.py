"""Fixtures for the real-browser tests: warehouses built by the real ETL, real `streamlit run` servers,
Debian's Chromium driven by Playwright, fresh browser contexts, screenshots of failed tests.

Everything is per pytest(-xdist) worker: each worker builds its own warehouse in its own tmp dir and
starts its own servers on free ports, so `pytest -n 2` works without `--dist loadgroup`.
Screenshots, downloads and server logs go to `test-output/e2e/` (gitignored).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
OUTPUT = ROOT / "test-output" / "e2e"
# The dashboard checkout the servers run (default: this one); another one tries a patch without touching it.
APP_DIR = Path(os.environ.get("ICTDASH_E2E_APP_DIR", ROOT)).resolve()
CHROMIUM = Path(os.environ.get("ICTDASH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_TIMEOUT = 60.0  # seconds for /_stcore/health to answer
DEFAULT_TIMEOUT_MS = 45_000  # Playwright waits: a page's script run on a busy 2-core machine


def worker_name() -> str:
    """`gw0`, `gw1`, ... under xdist; `main` otherwise (names log files)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


# ---------------------------------------------------------------------------------------------------
# warehouses


def first_run_inputs() -> list[Path]:
    """What `make run` loads: the seeds and every corpus part's reports/ (the Makefile's glob)."""
    return [REPORTS, *sorted(p for p in (ROOT / "data" / "corpus").glob("*/reports") if p.is_dir())]


def build_warehouse(reports: Path | list[Path], db: Path) -> Path:
    """Run the real ETL (`python -m etl etl <reports...> --db <db>`); fail the test with its output."""
    inputs = [str(r) for r in (reports if isinstance(reports, list) else [reports])]
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "etl", *inputs, "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0 or not db.is_file():
        pytest.fail(f"ETL failed (exit {proc.returncode}) building {db}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return db


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def etl_build() -> Callable[[Path, Path], Path]:
    """`build_warehouse` for tests that need a warehouse of their own reports."""
    return build_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed reports (data/reports) through the real ETL into a tmp DuckDB file."""
    return build_warehouse(REPORTS, tmp_path_factory.mktemp("wh") / "ictdash.duckdb")


@pytest.fixture(scope="session")
def first_run_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first-run data (`make run`): the seeds and the real corpus, through the real ETL."""
    return build_warehouse(first_run_inputs(), tmp_path_factory.mktemp("first") / "ictdash.duckdb")


# ---------------------------------------------------------------------------------------------------
# streamlit servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One `streamlit run dashboard.py` process in its own process group."""

    url: str
    proc: subprocess.Popen
    log: Path

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start_server(db: Path, name: str, output: Path) -> Server:
    """Start streamlit on a free port with ICTDASH_DB=db; return once /_stcore/health answers."""
    port = free_port()
    log = output / f"server-{name}-{worker_name()}.log"
    env = {**os.environ, "ICTDASH_DB": str(db), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false",
           # other engineers edit files in this tree while tests run: no reloads mid-test
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(cmd, cwd=APP_DIR, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Server(url=f"http://127.0.0.1:{port}", proc=proc, log=log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode} before answering:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    server.stop()
    pytest.fail(f"streamlit did not answer /_stcore/health within {SERVER_START_TIMEOUT:.0f} s:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def app_url(warehouse: Path, output_dir: Path) -> Iterator[str]:
    """The dashboard over the seed warehouse (shared by the tests of one worker)."""
    server = start_server(warehouse, "seed", output_dir)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def serve(output_dir: Path) -> Iterator[Callable[[Path, str], Server]]:
    """Factory: another server over another warehouse, stopped at the end of the session."""
    servers: list[Server] = []

    def make(db: Path, name: str) -> Server:
        servers.append(start_server(db, name, output_dir))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def fresh_server(warehouse: Path, output_dir: Path) -> Iterator[Server]:
    """A server no browser has talked to yet (the deep-link trap needs the very first request)."""
    server = start_server(warehouse, "fresh", output_dir)
    yield server
    server.stop()


# ---------------------------------------------------------------------------------------------------
# the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install -y chromium) "
                    "or set ICTDASH_CHROMIUM; never `playwright install`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def is_local(url: str) -> bool:
    """A request the dashboard may make on a machine without internet (its own server, inline data)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


@dataclass
class Tab:
    """A page in its own fresh browser context, with the JS errors and dialogs it met."""

    page: object
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)  # anything not to the local server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def new_tab(browser, request: pytest.FixtureRequest) -> Iterator[Callable[[], Tab]]:
    """Factory of pages, each in a NEW browser context (no cookies, no session); closed afterwards.

    When the test failed, every page it opened is saved to test-output/e2e/FAILED-<test>-<n>.png.
    """
    contexts = []

    def make() -> Tab:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="vi-VN")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page=page)
        page.on("pageerror", lambda exc: tab.page_errors.append(str(exc)))
        page.on("request", lambda req: None if is_local(req.url) else tab.outside_requests.append(req.url))

        def on_dialog(dialog) -> None:
            tab.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return tab

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        pages = [page for context in contexts for page in context.pages]
        for n, page in enumerate(pages):
            try:
                page.screenshot(path=str(OUTPUT / f"FAILED-{name}-{n}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"could not save a screenshot of {page.url}: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_tab: Callable[[], Tab]) -> Tab:
    return new_tab()
