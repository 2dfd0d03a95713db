"""Have the browser load Plotly's front-end code while the server still works on a page load's first run.

Streamlit's front end fetches and evaluates its Plotly module (`PlotlyChart.<hash>.js`, 4.7 MB, about
1.4 s of evaluation in headless Chromium) only when the first chart element arrives, that is after the
script imported pandas, read the warehouse and built the figure. Meanwhile the browser sits idle.
`plotly()`, called by dashboard.py before its heavy imports, sends a one-line script (in the event
container: it takes no room on the page) that imports that same module at once, so the browser evaluates
Plotly while the server works; the chart element then finds the module loaded (the browser keeps one
instance per URL). Once per session, and only on pages that draw a chart (issue 12: first page < 3 s).
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

FLAG = "_plotly_preloaded"
# the pages whose first view draws a Plotly chart ("" and "home": the overview at `/`)
CHART_PAGES = frozenset({"", "home", "overview", "indicator", "province", "compare", "trends", "map"})


@functools.cache
def plotly_module() -> str | None:
    """The file name of Streamlit's Plotly chunk in this installation, None when it cannot be told."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


def page_of(url: str | None) -> str | None:
    """The page's path (last segment of the URL's path: `compare`), "" for the root, None if unknown."""
    if not url:
        return None
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1] if urlparse(url).path.strip("/") else ""


def script(module: str) -> str:
    # relative to the page's own URL, as Streamlit's loader resolves it (works under server.baseUrlPath)
    return f'<script>import("./static/js/{module}").catch(() => {{}})</script>'


def plotly() -> None:
    """At a session's first run on a chart page: start loading Plotly's module in the browser."""
    if st.session_state.get(FLAG):
        return
    st.session_state[FLAG] = True
    try:
        page = page_of(st.context.url)
    except Exception:  # noqa: BLE001 - no browser context (AppTest): nothing to preload
        return
    module = plotly_module()
    events = getattr(st, "_event", None)  # the event container (toasts): no room taken on the page
    if page is None or module is None or events is None or page not in CHART_PAGES:
        return
    events.html(script(module), unsafe_allow_javascript=True)
