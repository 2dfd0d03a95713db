"""The page list and the guard that keeps `dashboard.py` in charge of routing.

With a `pages/` directory next to the entry point, Streamlit starts in its old multipage mode until
some session runs `st.navigation`. When the very first request after a server start is a deep link
(`/compare`), Streamlit runs `pages/compare.py` alone: no router, no shared sidebar, raw file names in
the menu. Every page therefore starts with `ensure_router()`: if the router did not start this run,
it runs `dashboard.py` (which calls `st.navigation`, switching Streamlit to the router for good, and
then runs the requested page, found by the same URL path) and stops the stray run.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from etl.ui.i18n import t

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DASHBOARD = REPO_ROOT / "dashboard.py"


@dataclass(frozen=True)
class PageSpec:
    url_path: str  # equals the file's stem, so old-mode and router URLs resolve to the same page
    title_key: str
    icon: str

    @property
    def file(self) -> str:
        return f"pages/{self.url_path}.py"


PAGES = (
    PageSpec("overview", "page.overview", ":material/dashboard:"),
    PageSpec("indicator", "page.indicator", ":material/insights:"),
    PageSpec("province", "page.province", ":material/location_city:"),
    PageSpec("compare", "page.compare", ":material/compare_arrows:"),
    PageSpec("trends", "page.trends", ":material/show_chart:"),
    PageSpec("map", "page.map", ":material/map:"),
    PageSpec("explorer", "page.explorer", ":material/table_view:"),
    PageSpec("sources", "page.sources", ":material/description:"),
    PageSpec("quality", "page.quality", ":material/fact_check:"),
)
# listed only on a server started with a reviewer (`ictdash review`, etl/ui/review.py)
REVIEW_PAGE = PageSpec("review", "page.review", ":material/rule:")


def page_specs() -> tuple[PageSpec, ...]:
    """The pages this server lists: PAGES, and the review queue in review mode."""
    review = sys.modules.get("etl.ui.review")
    if review is None:
        if not os.environ.get("ICTDASH_REVIEWER", "").strip():
            return PAGES  # a managers' server: the first page need not import the review code (curation, locks)
        from etl.ui import review

    return PAGES + ((REVIEW_PAGE,) if review.enabled() else ())


def page_path(url_path: str) -> str:
    """Absolute path of a page file, for st.page_link (works whichever script Streamlit started from)."""
    return str(REPO_ROOT / "pages" / f"{url_path}.py")

_local = threading.local()


HOME = "home"  # the hidden default page's own path (served at `/`)


def streamlit_pages(lang: str) -> list[st.Page]:
    """st.Page objects with titles in `lang`, one per page of PAGES at its own path, then the default.

    Streamlit serves the default page at `/` only: a default overview made `/overview` a "Page not
    found". So the overview is an ordinary page at `/overview`, and a hidden default page runs the same
    file at `/`. The menu is the pages with a path (`menu_pages`).
    """
    pages = [st.Page(page_path(spec.url_path), title=t(spec.title_key, lang), icon=spec.icon,
                     url_path=spec.url_path) for spec in page_specs()]
    first = PAGES[0]
    pages.append(st.Page(page_path(first.url_path), title=t(first.title_key, lang), icon=first.icon,
                         url_path=HOME, default=True, visibility="hidden"))
    return pages


def menu_pages(pages: list[st.Page]) -> list[st.Page]:
    """The pages the menu lists: all but the hidden default (whose path is `/`)."""
    return [p for p in pages if p.url_path]


@contextmanager
def routing() -> Iterator[None]:
    """Mark this script run as started by the router (dashboard.py) while a page runs."""
    previous = getattr(_local, "active", False)
    _local.active = True
    try:
        yield
    finally:
        _local.active = previous


def ensure_router() -> None:
    """Call first in every page: when Streamlit ran the page without the router, run the router."""
    if getattr(_local, "active", False):
        return
    runpy.run_path(str(DASHBOARD), run_name="__main__")
    st.stop()
