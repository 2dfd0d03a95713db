"""ictdash dashboard: the router. Run `streamlit run dashboard.py` (or `make dashboard`).

Every run: page config, the page list in the current language (`st.navigation`), the shared sidebar
and the view's round trip through the URL, then the chosen page from `pages/`. Pages hold UI only;
their data comes from `etl.queries` through `etl.ui.data` (cached per warehouse version).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `etl` importable when the package is not installed
    sys.path.insert(0, str(ROOT))

# an emoji favicon is drawn by the browser; a :material/ icon would be fetched from fonts.gstatic.com
st.set_page_config(page_title="ictdash", page_icon="📶", layout="wide")
# Before the imports below (pandas, DuckDB: most of a first run's time after a server start): the browser
# starts loading Plotly's code now instead of when the first chart arrives.
from etl.ui import preload  # noqa: E402

preload.plotly()

from etl import queries  # noqa: E402
from etl.ui import data, router, widgets  # noqa: E402
from etl.ui.i18n import t  # noqa: E402

lang = widgets.current_lang()
pages = router.streamlit_pages(lang)
# Our own page links (in the sidebar) carry the view's URL parameters, so switching pages keeps the
# selection in the address bar; Streamlit's built-in menu would drop them.
page = st.navigation(pages, position="hidden")

if not data.db_ready():
    widgets.nav_links(router.menu_pages(pages), {})
    widgets.missing_db(lang, str(data.db_path()))
    st.stop()

try:
    ctx = widgets.start()
    widgets.nav_links(router.menu_pages(pages), widgets.state.to_query(ctx.view))
    widgets.sidebar(ctx)
    widgets.commit()
    with router.routing():
        page.run()
except queries.WarehouseMissing:
    widgets.missing_db(lang, str(data.db_path()))
except data.WarehouseError as exc:
    widgets.warehouse_error(lang, str(exc))

st.sidebar.caption(t("sidebar.footer", lang))
