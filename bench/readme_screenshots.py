"""The README's screenshots: every page of the dashboard on the first-run data, in headless Chromium.

Builds the warehouse `make run` builds (the seeds and every `data/corpus/*/reports`, the Makefile's
`REPORTS`) into a temporary file with the real ETL (or takes `--db`), starts `streamlit run dashboard.py`
on it (`bench.server_memory.start_server`), opens each page with a view that shows something (below) at
1400×900 in Debian's Chromium, waits until the page is rendered (`bench.pages_browser.wait_rendered`: title,
Streamlit idle, main element visible) and saves the top of the full page (at most `--max-height` px, as a
256-colour PNG to keep the files small) to `docs/screenshots/<page>.png`.

Run: `python -m bench.readme_screenshots [--db PATH] [--out docs/screenshots] [--pages overview map ...]`
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from bench.common import REPO_ROOT
from bench.pages_browser import MAIN_ELEMENT, VIEWPORT, full_screenshot, wait_rendered
from bench.server_memory import CHROMIUM, CHROMIUM_ARGS, missing_browser, start_server

THREE = "63-10,63-48,63-27"  # Lào Cai, Đà Nẵng, Bắc Ninh: the provinces with the most indicators in the corpus
# The view each page is shown with (URL parameters): chosen so that the page has something to show.
VIEWS: dict[str, dict[str, str]] = {
    "overview": {},
    "indicator": {"i": "dti_rank", "p": THREE},  # reported by every province: grey context lines
    "province": {"p": "63-10"},  # its scorecard
    "compare": {"p": THREE, "i": "dti_rank,dti_score,ict_index_rank,mobile_coverage_pct"},  # the headline four
    # have few provinces in the corpus; these are reported by the three
    "trends": {"i": "ict_index_rank", "p": THREE},
    "map": {"i": "dti_rank"},
    "explorer": {},
    "sources": {"p": "63-10", "doc": "001_435dc5d778df3190.txt"},  # Lào Cai's 2013 report, its values marked
    "quality": {},
}


def first_run_inputs() -> list[Path]:
    """What `make run` loads (the Makefile's REPORTS): the seeds and every corpus part's reports/."""
    return [REPO_ROOT / "data" / "reports",
            *sorted(p for p in (REPO_ROOT / "data" / "corpus").glob("*/reports") if p.is_dir())]


def build_first_run(db: Path) -> Path:
    proc = subprocess.run([sys.executable, "-m", "etl", "etl", *map(str, first_run_inputs()), "--db", str(db)],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"ETL failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return db


def shrink(path: Path) -> None:
    """A 256-colour PNG: a screenshot of text and charts stays readable at a third of the size."""
    from PIL import Image

    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def take(db: Path, out: Path, pages: list[str], max_height: int, work_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from etl.ui.i18n import t
    from etl.ui.router import PAGES

    titles = {spec.url_path: t(spec.title_key, "vi") for spec in PAGES}
    os.environ.pop("ICTDASH_REVIEWER", None)  # the read-only dashboard of `make run`
    server = start_server(db, work_dir / "readme_screenshots.log")
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                tab = ctx.new_page()
                for url in pages:
                    params = VIEWS.get(url, {})
                    tab.goto(f"{server.url}/{url}" + (f"?{urlencode(params)}" if params else ""))
                    _, problem = wait_rendered(tab, titles[url], MAIN_ELEMENT.get(url), 0.0)
                    if problem:
                        print(f"{url}: {problem}", file=sys.stderr)
                    path = out / f"{url}.png"
                    full_screenshot(tab, path, clip_height=max_height)
                    shrink(path)
                    written.append(path)
                    print(f"{path} ({path.stat().st_size // 1024} KiB)", file=sys.stderr, flush=True)
            finally:
                browser.close()
    finally:
        server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.readme_screenshots", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=None, help="a warehouse (default: build the first-run data)")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    ap.add_argument("--pages", nargs="+", default=list(VIEWS), choices=list(VIEWS))
    ap.add_argument("--max-height", type=int, default=1600, help="keep the top of longer pages (px)")
    args = ap.parse_args(argv)
    why = missing_browser()
    if why:
        print(f"skipped: {why}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ictdash-shots-") as tmp:
        db = args.db or build_first_run(Path(tmp) / "first_run.duckdb")
        take(db, args.out, args.pages, args.max_height, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
