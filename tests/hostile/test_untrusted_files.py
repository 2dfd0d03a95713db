"""Untrusted folders and manifests (issue 11): what a reports folder may hold besides reports.

Every case builds a real warehouse with the real `ictdash etl` command from a folder made in `tmp_path`:
a symbolic link out of the folder (standing for `/etc/passwd`) is not read unless `--follow-links` is
given; dangling links, link loops, named pipes, devices and folders that cannot be listed are skipped, each
reported on its own line with its reason, and the batch goes on (a FIFO never blocks the build). A manifest's
bad rows are reported by file, line and reason, a NUL byte costs only its row, a title is capped, and a file
whose name starts with a space opens from its link on the sources page.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.read import discover
from etl.ui import state, widgets
from etl.warehouse import build

from .corpus import ROOT, report
from .test_recovery import etl

SECRET = "root:x:0:0:root:/root:/bin/bash"  # what a link to /etc/passwd would leak
OUTSIDE_BTS = 931  # the outside file's figure: in the warehouse only when the link was followed
TIMEOUT = 300  # a build of a few files takes seconds (a minute on a loaded machine); a FIFO read would block forever


def stored(db: Path) -> tuple[dict[str, float], str, dict]:
    """(BTS value per document, every stored text and title joined, the last run's details)."""
    with duckdb.connect(str(db), read_only=True) as con:
        values = dict(con.execute(
            "SELECT doc_id, value FROM observations WHERE indicator_id = 'bts_stations'").fetchall())
        texts = con.execute("SELECT coalesce(string_agg(coalesce(text, '') || coalesce(title, ''), ' '), '') "
                            "FROM documents").fetchall()[0][0]
        details = json.loads(con.execute("SELECT details FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0])
    return values, texts, details


def failed_lines(stderr: str) -> dict[str, str]:
    """`FAILED: <path>: <reason>` lines by file name."""
    out = {}
    for line in stderr.splitlines():
        if line.startswith("FAILED: "):
            path, _, reason = line[len("FAILED: "):].partition(": ")
            out[Path(path).name] = reason
    return out


def recorded(details: dict) -> dict[str, str]:
    return {Path(f["path"]).name: f["message"] for f in details["files"] if f["status"] == "failed"}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Another folder, beside the reports, standing for /etc: a secret and a report-like file."""
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "passwd").write_text(f"{SECRET}\n" + report(OUTSIDE_BTS), encoding="utf-8")
    (folder / "private").mkdir()
    (folder / "private" / "notes.txt").write_text(f"{SECRET}\n" + report(OUTSIDE_BTS + 1), encoding="utf-8")
    return folder


def test_a_link_out_of_the_reports_folder_is_read_only_with_follow_links(tmp_path: Path, outside: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "tốt.txt").write_text(report(901), encoding="utf-8")
    (reports / "passwd.txt").symlink_to(outside / "passwd")
    (reports / "riêng").symlink_to(outside / "private", target_is_directory=True)
    (reports / "bản sao.txt").symlink_to(reports / "tốt.txt")  # inside the folder: read as usual (once)
    db = tmp_path / "w.duckdb"

    proc = etl(str(reports), "--db", str(db), timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = failed_lines(proc.stderr)
    assert "outside" in failed["passwd.txt"] and "--follow-links" in failed["passwd.txt"], proc.stderr
    assert "outside" in failed["riêng"] and "--follow-links" in failed["riêng"], proc.stderr
    values, texts, details = stored(db)
    assert SECRET not in texts
    assert OUTSIDE_BTS not in values.values() and OUTSIDE_BTS + 1 not in values.values()
    assert 901 in values.values()
    assert recorded(details).keys() >= {"passwd.txt", "riêng"}  # in the run's details, for `ictdash status`

    proc = etl(str(reports), "--db", str(db), "--follow-links", timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert not failed_lines(proc.stderr), proc.stderr
    values, _, _ = stored(db)
    assert {901.0, float(OUTSIDE_BTS), float(OUTSIDE_BTS + 1)} <= set(values.values()), values


def test_links_pipes_and_devices_are_skipped_each_with_its_reason(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "con").mkdir(parents=True)
    (reports / "tốt.txt").write_text(report(902), encoding="utf-8")
    (reports / "treo.txt").symlink_to(tmp_path / "không có.txt")  # dangling
    (reports / "vòng a.txt").symlink_to(reports / "vòng b.txt")
    (reports / "vòng b.txt").symlink_to(reports / "vòng a.txt")
    (reports / "con" / "lên").symlink_to(tmp_path, target_is_directory=True)  # a folder holding the folder
    os.mkfifo(reports / "ống.txt")  # reading it would block until a writer comes: never
    (reports / "ống liên kết.txt").symlink_to(reports / "ống.txt")
    expected = {
        "treo.txt": "broken symbolic link",
        "vòng a.txt": "symbolic link loop",
        "vòng b.txt": "symbolic link loop",
        "lên": "symbolic link loop",
        "ống.txt": "named pipe",
        "ống liên kết.txt": "symbolic link to a named pipe",
    }
    try:
        os.mknod(reports / "thiết bị.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
        expected["thiết bị.txt"] = "device file"
    except PermissionError:  # not root: /dev/null itself, linked, stands for a device
        (reports / "thiết bị.txt").symlink_to("/dev/null")
        expected["thiết bị.txt"] = "symbolic link to a device file"
    db = tmp_path / "w.duckdb"

    proc = etl(str(reports), "--db", str(db), "--jobs", "2", timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = failed_lines(proc.stderr)
    for name, reason in expected.items():
        assert reason in failed.get(name, ""), (name, proc.stderr)
    values, _, details = stored(db)
    assert values == {"tốt.txt": 902.0}
    assert {name: reason in recorded(details).get(name, "") for name, reason in expected.items()} == \
        dict.fromkeys(expected, True)


def test_a_file_named_on_the_command_line_that_is_a_fifo_or_a_broken_link_is_one_line(tmp_path: Path) -> None:
    good = tmp_path / "tốt.txt"
    good.write_text(report(903), encoding="utf-8")
    os.mkfifo(tmp_path / "ống.txt")
    (tmp_path / "treo.txt").symlink_to(tmp_path / "không có.txt")
    proc = etl(str(good), str(tmp_path / "ống.txt"), str(tmp_path / "treo.txt"), "--db", str(tmp_path / "w.duckdb"),
               timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    failed = failed_lines(proc.stderr)
    assert "named pipe" in failed["ống.txt"] and "broken symbolic link" in failed["treo.txt"], proc.stderr


def test_a_folder_that_cannot_be_listed_is_reported_and_the_batch_goes_on(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    reports = tmp_path / "reports"
    locked = reports / "khóa"
    locked.mkdir(parents=True)
    (reports / "tốt.txt").write_text(report(904), encoding="utf-8")
    (locked / "bí mật.txt").write_text(report(905), encoding="utf-8")
    scandir = os.scandir

    def denied(path: object = ".") -> object:  # root lists any folder: refuse this one as the kernel would
        if os.path.realpath(os.fspath(path)) == os.path.realpath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    if os.geteuid() == 0:
        monkeypatch.setattr(os, "scandir", denied)
    else:
        locked.chmod(0)
    try:
        inputs, errors = discover([reports])
        summary = build([reports], tmp_path / "w.duckdb", curation_path=None, progress=False)
    finally:
        locked.chmod(0o755)
    assert [i.path.name for i in inputs] == ["tốt.txt"]
    assert [(e.path.name, e.reason) for e in errors] == [
        ("khóa", "cannot list this folder (permission denied); its files were skipped")]
    outcomes = {Path(f.path).name: (f.status, f.message) for f in summary.files}
    assert outcomes["khóa"] == ("failed", "cannot list this folder (permission denied); its files were skipped")
    assert outcomes["tốt.txt"][0] == "ok"


# --- manifests --------------------------------------------------------------------------------------------

LEADING_SPACE = " đầu cách.txt"
LONG_TITLE = "Tiêu đề rất dài " + "x" * (100_000 - 16)  # 100,000 characters


def manifest_folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for i, name in enumerate(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", LEADING_SPACE]):
        (reports / name).write_text(report(910 + i), encoding="utf-8")
    lines = [
        "file,title,published,province",
        "a.txt,Tỉnh lạ,2020-12-01,Atlantis",           # line 2: unknown province
        "b.txt,Ngày lạ,hôm qua,Lào Cai",               # line 3: unreadable date
        "c.txt,Có NUL\x00ở đây,2020-12-01,Lào Cai",    # line 4: a NUL byte: this row only
        "d.txt,Sau dòng NUL,2020-11-30,Lào Cai",       # line 5: still read
        f"e.txt,{LONG_TITLE},2020-12-01,Lào Cai",      # line 6: 100,000 characters
        f"{LEADING_SPACE},Tên bắt đầu bằng dấu cách,2020-12-01,Lào Cai",
    ]
    (reports / "manifest.csv").write_bytes("\n".join(lines).encode("utf-8") + b"\n")
    return reports


def test_manifest_problems_are_reported_by_row_and_a_nul_byte_costs_only_its_row(tmp_path: Path) -> None:
    reports = manifest_folder(tmp_path)
    db = tmp_path / "w.duckdb"
    proc = etl(str(reports), "--db", str(db), timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and not failed_lines(proc.stderr), proc.stderr
    manifest = str(reports / "manifest.csv")
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING: ")]
    for line_no, needle in ((2, "unknown province 'Atlantis'"), (3, "date 'hôm qua'"), (4, "NUL byte"),
                            (6, "title of 100,000 characters")):
        assert any(f"{manifest}: line {line_no}: " in w and needle in w for w in warnings), (line_no, warnings)
    with duckdb.connect(str(db), read_only=True) as con:
        docs = {d: (t, p) for d, t, p in con.execute("SELECT doc_id, title, published FROM documents").fetchall()}
        details = json.loads(con.execute("SELECT details FROM runs").fetchall()[0][0])
    assert docs["d.txt"][0] == "Sau dòng NUL"  # the rows after the NUL row still apply
    assert docs["a.txt"][0] == "Tỉnh lạ" and docs["b.txt"][0] == "Ngày lạ"  # a bad value costs only itself
    assert "NUL" not in (docs["c.txt"][0] or "")
    title = docs["e.txt"][0]
    assert len(title) == 300 and title.endswith("…") and title.startswith("Tiêu đề rất dài")
    assert sum("manifest.csv: line" in w for w in details["warnings"]) == 4  # recorded for `ictdash status`


def test_a_file_name_with_a_leading_space_opens_from_its_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = manifest_folder(tmp_path)
    db = tmp_path / "w.duckdb"
    assert etl(str(reports), "--db", str(db), timeout=TIMEOUT).returncode == 0
    link = widgets.source_links([LEADING_SPACE])[0]
    assert " " not in link and "+" not in link, link  # %20: read back the same by every URL parser
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query, keep_blank_values=True).items()}
    parsed = state.parse_query(params, state.Known())
    assert parsed.view.doc == LEADING_SPACE and not parsed.notices

    monkeypatch.setenv("ICTDASH_DB", str(db))
    st.cache_data.clear()
    try:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
        app.query_params.update(params)
        app.run()
        app.switch_page("pages/sources.py").run()
        assert not app.exception and not app.error, [e.value for e in app.exception]
        assert not app.warning, [w.value for w in app.warning]  # "document not found" before the fix
        page = "\n".join(h.proto.body for h in app.get("html")) + "\n".join(m.value for m in app.markdown)
        assert "Tên bắt đầu bằng dấu cách" in page
    finally:
        st.cache_data.clear()
