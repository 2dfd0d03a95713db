"""Dữ liệu / Explorer: filter the values, read them, take exactly those rows away (CSV, XLSX, Parquet)."""

from etl.ui.router import ensure_router

ensure_router()

from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from typing import Any  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import data, state, widgets  # noqa: E402
from etl.ui.exporting import export_rows, people_file, people_rows, view_file_name  # noqa: E402
from etl.ui.fmt import fmt_int  # noqa: E402

MAX_SHOWN_ROWS = 5_000

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.explorer", "explorer.intro")
y0, y1 = c.years()
per = c.view.per or None


def _setter(key: str, field: str, convert: Callable[[Any], Any]) -> Callable[[], None]:
    """A widget callback that copies the widget's value into one field of the view."""

    def apply() -> None:
        view = st.session_state[widgets.VIEW]
        st.session_state[widgets.VIEW] = replace(view, **{field: convert(st.session_state.get(widgets.lang_key(key)))})
    return apply


f1, f2, f3 = st.columns([3, 2, 3])
regions = sorted(c.known.regions)
with f1:
    kw = widgets.bind("w_regions", [r for r in c.view.regions if r in regions])
    st.multiselect(c.t("explorer.regions"), regions, placeholder=c.t("explorer.regions_all"),
                   on_change=_setter("w_regions", "regions", lambda v: tuple(v or ())), **kw)
with f2:
    kw = widgets.bind("w_target", c.view.target)
    st.radio(c.t("explorer.target"), list(state.TARGETS), format_func=lambda v: c.t(f"explorer.target_{v}"),
             horizontal=True, on_change=_setter("w_target", "target", lambda v: v or "achieved"), **kw)
with f3:
    kw = widgets.bind("w_statuses", list(c.view.statuses))
    st.multiselect(c.t("explorer.statuses"), list(state.REVIEW_STATUSES),
                   format_func=lambda s: c.opt("review", s), placeholder=c.t("explorer.statuses_all"),
                   help=c.t("explorer.statuses_help"),
                   on_change=_setter("w_statuses", "statuses", lambda v: tuple(v or ())), **kw)

view = c.view
is_target = {"achieved": False, "target": True, "all": None}[view.target]
query = {
    "provinces": list(view.provinces) or None, "indicators": list(view.indicators) or None, "y0": y0, "y1": y1,
    "scope": c.scope_filter, "is_target": is_target, "regions": list(view.regions) or None,
    "review_status": list(view.statuses) or None, "per": per,
}
# the count and the first rows; every row is read only for a download
summary = data.load("facts_summary", **query).iloc[0]
n_rows = int(summary["n_rows"])
found = list(summary["indicator_ids"])  # sorted
filters = [
    c.t("explorer.f_provinces", n=fmt_int(len(view.provinces), lang)) if view.provinces
    else c.t("explorer.f_all_provinces"),
    c.t("explorer.f_indicators", n=fmt_int(len(view.indicators), lang)) if view.indicators
    else c.t("explorer.f_all_indicators"),
    f"{y0}–{y1}", c.opt("scope", view.scope), c.t(f"explorer.target_{view.target}"),
]
st.markdown(c.t("explorer.count", n=fmt_int(n_rows, lang)) + " · " + " · ".join(filters))
if n_rows == 0:
    st.info(c.t("explorer.empty"), icon=":material/info:")
    st.stop()

# --- the table -------------------------------------------------------------------------------------
shown = data.load("facts", **query, limit=MAX_SHOWN_ROWS)
if n_rows > MAX_SHOWN_ROWS:
    st.caption(c.t("explorer.truncated", shown=fmt_int(MAX_SHOWN_ROWS, lang), n=fmt_int(n_rows, lang)))
columns = ["province", "year", "indicator", "scope", "kind", "value"]
if per:
    columns.append("raw_value")
columns += ["rank", "sources", "status", "evidence", "doc", "link"]
frame, config = widgets.fact_table(c, shown, columns)
widgets.show_table(frame, config, height=widgets.table_height(len(frame), 560))
widgets.per_note(c, found)

# --- downloads: exactly the filtered rows ----------------------------------------------------------
names = c.indicators["name_vi" if lang == "vi" else "name_en"]


def to_export(rows: pd.DataFrame) -> pd.DataFrame:
    """`queries.facts` rows -> `export_rows` (names in the interface's language)."""
    return export_rows(rows, lang, names, per)


def export_data() -> pd.DataFrame:
    """Every filtered row, read when the XLSX button is clicked (at most one sheet of rows)."""
    return to_export(data.load("facts", **query))


def streamed(fmt: str) -> bytes:
    """CSV / Parquet: DuckDB's rows written chunk by chunk into a temporary file, never one frame of them all;
    the same tables as `people_file` (CSV in the interface's language, Parquet as stored)."""
    chunks = (to_export(rows) for rows in data.batches("facts_batches", **query))
    if fmt == "csv":
        chunks = (people_rows(rows, lang) for rows in chunks)
    return streamed_bytes(chunks, fmt)


st.subheader(c.t("explorer.download"))
st.caption(c.t("explorer.download_help", n=fmt_int(n_rows, lang)))
try:
    from etl.export import XLSX_MAX_ROWS, export_frame, streamed_bytes, xlsx_fits
except ImportError:  # another module provides it; without it the page still shows the table
    export_frame = None
if export_frame is None:
    st.warning(c.t("explorer.no_export"), icon=":material/warning:")
else:
    definitions = data.load("definitions", found)
    fits = xlsx_fits(n_rows)
    if not fits:  # the button would fail: say why and what to take instead
        st.warning(c.t("explorer.xlsx_too_large", rows=fmt_int(n_rows, lang),
                       max=fmt_int(XLSX_MAX_ROWS - 1, lang)), icon=":material/warning:")
    d1, d2, d3 = st.columns(3)
    for col, fmt, mime, label in (
        (d1, "csv", "text/csv", "explorer.download_csv"),
        (d2, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "explorer.download_xlsx"),
        (d3, "parquet", "application/vnd.apache.parquet", "explorer.download_parquet"),
    ):
        with col:
            st.download_button(
                # CSV and XLSX in the interface's language, XLSX with a province x year sheet; Parquet as stored
                c.t(label), data=(lambda: people_file(export_data(), "xlsx", lang, names, definitions))
                if fmt == "xlsx" else (lambda fmt=fmt: streamed(fmt)),
                file_name=view_file_name(c, fmt, view.target), mime=mime, key=f"dl_{fmt}",
                icon=":material/download:", on_click="ignore", disabled=fmt == "xlsx" and not fits,
            )
