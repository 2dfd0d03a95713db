"""Chỉ tiêu / Indicator workspace: one indicator as chart, map, table and sources over one selection.

In the manner of Our World in Data's grapher: `/indicator?i=bts_stations` (or `?ind=`) opens it; the
provinces, scope and years are the sidebar's; presets choose a region's provinces or all of them; a
timeline picks the year of the map and the table; targets are off unless switched on (then dashed).
"""

from etl.ui.router import ensure_router

ensure_router()

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import data, exporting, map_panel, state, widgets, workspace  # noqa: E402
from etl.ui.fmt import fmt_int, vi_sorted  # noqa: E402

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.indicator", "ws.intro")
y0, y1 = c.years()
per = c.view.per or None
provs = list(c.view.provinces)

ids = c.indicator_ids()
current = c.view.indicators[0] if c.view.indicators else ("bts_stations" if "bts_stations" in ids else None)
indicator = widgets.choose_one(c, c.t("ws.indicator"), ids, current, key="w_ws_indicator", format_func=c.iname,
                               on_pick=lambda view, i: view.with_focus_indicator(i))
if indicator is None:
    st.info(c.t("ws.choose_indicator"), icon=":material/tune:")
    st.stop()

everyone = data.load("facts", indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter, is_target=False, per=per)
med = data.load("national_median", indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter, per=per)
workspace.presets(c, vi_sorted(everyone["province_id"].unique(), key=c.pname))
left, right = st.columns([4, 2], vertical_alignment="bottom")
years = sorted({int(y) for y in everyone["year"].dropna()})
# until the user moves the timeline: the latest year of the chosen provinces, else of the map's scheme
own = everyone[everyone["province_id"].isin(provs)] if provs else everyone[everyone["scheme"] == c.view.scheme]
with left:
    year = workspace.timeline(c, years, default=int(own["year"].max()) if len(own) else None) if years else None
with right:
    show_targets = workspace.targets_switch(c)
widgets.hidden_notice(c, key="ws", provinces=provs or None, indicators=[indicator], scope=c.scope_filter,
                      y0=y0, y1=y1)
if not show_targets:
    workspace.targets_notice(c, indicator, provs, y0, y1)
if everyone.empty and med.empty:
    st.info(c.t("ws.no_data", indicator=c.iname(indicator)), icon=":material/info:")
    st.stop()

rows = everyone[everyone["province_id"].isin(provs)]
if provs and show_targets:
    targets = data.load("facts", provinces=provs, indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter,
                        is_target=True, per=per)
    rows = pd.concat([rows, targets], ignore_index=True) if len(targets) else rows
unit = everyone["unit"].iloc[0] if not everyone.empty else (
    ("per_10k_pop" if per == "pop" else "per_100km2") if per and bool(c.iattr(indicator, "additive", False))
    else c.iattr(indicator, "unit"))

# --- the tabs: only the open one runs; the open tab lives in the URL (tab=map) ---------------------
label_of = {code: c.t(f"ws.tab_{code}") for code in state.WORKSPACE_TABS}
code_of = {label: code for code, label in label_of.items()}


def _tab_changed() -> None:
    chosen = st.session_state.get(widgets.lang_key("w_ws_tab"))
    workspace.set_view(ws_tab=code_of.get(chosen, "chart"))


tab_chart, tab_map, tab_table, tab_sources = st.tabs(
    list(label_of.values()), on_change=_tab_changed, **widgets.bind("w_ws_tab", label_of[c.view.ws_tab]))

with tab_chart:
    if tab_chart.open is not False:
        workspace.chart(c, indicator, everyone, rows, med, unit, year)
        exporting.download_buttons(c, pd.concat([everyone[~everyone["province_id"].isin(provs)], rows],
                                                ignore_index=True),
                                   [c.iname(indicator), f"{y0}-{y1}"], key="ws_chart", per=per)
        widgets.per_note(c, [indicator])
with tab_map:
    if tab_map.open is not False:
        if year is None:
            st.info(c.t("ws.no_data", indicator=c.iname(indicator)), icon=":material/info:")
        else:
            scheme = map_panel.scheme_picker(c, "w_ws_scheme")
            values = map_panel.values(c, indicator, year, scheme)
            n_have = int(values["value"].notna().sum())
            st.markdown(c.t("map.summary", n=fmt_int(n_have, lang), total=fmt_int(len(values), lang), year=year,
                            indicator=c.iname(indicator)))
            map_panel.scheme_notice(c, indicator, year, scheme, key="ws_show_34")
            map_panel.draw(c, values, indicator, year, scheme, key="ws_map")
            exporting.download_buttons(
                c, lambda: data.load("facts", indicators=[indicator], y0=year, y1=year, scope=c.scope_filter,
                                     is_target=False, per=per),
                [c.iname(indicator), year, c.t(f"map.scheme_{scheme}")], key="ws_map", per=per)
with tab_table:
    if tab_table.open is not False:
        if year is None:
            st.info(c.t("ws.no_data", indicator=c.iname(indicator)), icon=":material/info:")
        else:
            workspace.table(c, indicator, year)
with tab_sources:
    if tab_sources.open is not False:
        workspace.sources(c, indicator, rows if provs else everyone)
