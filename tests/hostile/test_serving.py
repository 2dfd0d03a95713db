"""Serving while the warehouse is rebuilt: a real `streamlit run dashboard.py` keeps answering every page.

The server (loopback, a free port, ICTDASH_DB on a warehouse in tmp_path) is asked for its health, its
index and every page URL over HTTP, and every page is *run* over Streamlit's own WebSocket protocol (the
messages a browser exchanges), repeatedly, while other processes rebuild that same warehouse back to back
from two different corpora. Meanwhile a read-only reader opens the file in a loop: it must always see one
whole warehouse, the old or the new, never a mix or a broken file. Afterwards the new data is visible.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from etl import queries
from etl.ui.router import PAGES
from etl.warehouse import build

from .corpus import PY, ROOT, report

ROUNDS = 2  # every page at least this many times during the rebuilds ...
MAX_ROUNDS = 6  # ... and more, up to this, until the readers have seen both versions of the warehouse
MAX_REBUILDS = 40
TIMEOUT = 120
PROVINCES = ("Lào Cai", "Yên Bái", "Hà Giang")
QUERY = "p=63-10,63-15&i=bts_stations"


def write_corpus(folder: Path, prefix: str, n: int, base: int) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for i in range(n):
        name = f"{prefix}{i:03d}.txt"
        (folder / name).write_text(report(base + i, year=2010 + i % 12, province=PROVINCES[i % 3]),
                                   encoding="utf-8")
        expected[name] = float(base + i)
    return expected


def snapshot(db: Path) -> dict[str, float]:
    """doc_id -> BTS value of the warehouse as a read-only reader sees it now (facts must answer too)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, value FROM observations WHERE indicator_id = 'bts_stations'").fetchall()
        con.execute("SELECT count(*), sum(value) FROM facts").fetchall()
    return dict(rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@dataclass
class PageRun:
    """What the server sent for one run of one page."""

    status: int | None = None  # ScriptFinishedStatus
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error alerts
    payload: bytes = b""  # every message, for looking up data


def run_page(port: int, page: str, query: str = QUERY) -> PageRun:
    """Open a session over the WebSocket, run `page` with `query`, collect messages until the script ends."""
    result = PageRun()
    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.page_name = page
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                 open_timeout=TIMEOUT) as ws:
        ws.send(request.SerializeToString())
        deadline = time.monotonic() + TIMEOUT
        while result.status is None:
            assert time.monotonic() < deadline, f"page {page!r} did not finish"
            raw = ws.recv(timeout=TIMEOUT)
            result.payload += raw
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                result.status = msg.script_finished
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "exception":
                    result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
                elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                    result.errors.append(element.alert.body)
    return result


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path, subprocess.Popen]]:
    """A warehouse built from corpus A, and a real Streamlit server on it."""
    db = tmp_path / "wh" / "ictdash.duckdb"
    write_corpus(tmp_path / "a", "a", 30, 5000)
    build([tmp_path / "a"], db, curation_path=None, progress=False)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [PY, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=os.environ | {"ICTDASH_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                if http_get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port, db, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Rebuilds(threading.Thread):
    """Rebuild the warehouse from corpus B, A, B, ... in subprocesses until told to stop."""

    def __init__(self, db: Path, folders: list[Path]) -> None:
        super().__init__(daemon=True)
        self.db, self.folders = db, folders
        self.stop = threading.Event()
        self.results: list[tuple[int, str]] = []
        self.last: Path | None = None

    def run(self) -> None:
        while not self.stop.is_set() and len(self.results) < MAX_REBUILDS:
            folder = self.folders[len(self.results) % 2]
            proc = subprocess.run([PY, "-m", "etl", "etl", str(folder), "--db", str(self.db), "--full", "--quiet",
                                   "--curation", "", "--wait", "300"], cwd=ROOT, capture_output=True, text=True,
                                  timeout=600)
            self.results.append((proc.returncode, proc.stderr))
            self.last = folder


def test_every_page_answers_while_the_warehouse_is_rebuilt(server, tmp_path: Path) -> None:
    port, db, proc = server
    old = snapshot(db)
    new = write_corpus(tmp_path / "b", "b", 30, 7000)
    assert set(old).isdisjoint(new)
    base = f"http://127.0.0.1:{port}"
    rebuilds = Rebuilds(db, [tmp_path / "b", tmp_path / "a"])
    rebuilds.start()
    versions, runs = set(), 0
    try:
        for done in range(MAX_ROUNDS):
            if done >= ROUNDS and len(versions) == 2:
                break
            for spec in PAGES:
                for path in ("/_stcore/health", "/", f"/{spec.url_path}"):
                    status, body = http_get(base + path)
                    assert status == 200, path
                    assert path == "/_stcore/health" or b'id="root"' in body, path
                page = run_page(port, spec.url_path)
                runs += 1
                assert page.status == ForwardMsg.FINISHED_SUCCESSFULLY, spec.url_path
                assert page.exceptions == [], (spec.url_path, page.exceptions)
                assert page.errors == [], (spec.url_path, page.errors)
                for _ in range(3):  # a read-only reader sees one whole warehouse, old or new
                    seen = snapshot(db)
                    assert seen in (old, new), sorted(seen)[:5]
                    versions.add("old" if seen == old else "new")
                    queried = queries.facts(db, indicators=["bts_stations"])
                    assert not queried.empty
                    assert set(queried["doc_id"]) <= set(old) or set(queried["doc_id"]) <= set(new)
    finally:
        rebuilds.stop.set()
        rebuilds.join(timeout=600)
    assert proc.poll() is None, "the server died"
    assert rebuilds.results and all(code == 0 for code, _ in rebuilds.results), rebuilds.results
    assert versions == {"old", "new"}, "the readers never saw the warehouse replaced: nothing was tested"

    if rebuilds.last != tmp_path / "b":  # end on the new corpus
        build([tmp_path / "b"], db, curation_path=None, progress=False, full=True)
    assert snapshot(db) == new
    assert set(queries.documents(db)["doc_id"]) == set(new)
    listing = run_page(port, "sources", "")
    assert listing.status == ForwardMsg.FINISHED_SUCCESSFULLY and not listing.exceptions
    assert b"b000.txt" in listing.payload and b"a000.txt" not in listing.payload  # the server shows the new data
    one = run_page(port, "sources", "doc=b007.txt")
    assert not one.exceptions and not one.errors
    assert "7007 trạm phát sóng di động".encode() in one.payload
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert runs >= ROUNDS * len(PAGES)
