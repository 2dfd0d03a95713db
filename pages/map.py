"""Bản đồ / Map: an indicator in a year, per province as reported (63) or as merged in 2025 (34)."""

from etl.ui.router import ensure_router

ensure_router()

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import data, exporting, map_panel, widgets  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_value  # noqa: E402

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.map", "map.intro")

left, mid, right = st.columns([5, 4, 2])
ids = c.indicator_ids()
current = c.view.indicators[0] if c.view.indicators else ("bts_stations" if "bts_stations" in ids else None)
with left:
    indicator = widgets.choose_one(
        c, c.t("map.indicator"), ids, current, key="w_map_indicator", format_func=c.iname,
        on_pick=lambda view, i: view.with_focus_indicator(i),
    )
if indicator is None:
    st.info(c.t("map.choose_indicator"), icon=":material/tune:")
    st.stop()
with mid:
    scheme = map_panel.scheme_picker(c, "w_map_scheme")
# a merged province can take its value from its former provinces: the 34 map offers their years too
years = data.load("indicator_years", indicator, None if scheme == "34" else "63")
if years.empty:
    st.info(c.t("map.no_data_indicator", indicator=c.iname(indicator)), icon=":material/info:")
    st.stop()
with right:
    year = widgets.choose_year(c, years["year"], key="w_map_year")
st.caption(c.idef(indicator))

values = map_panel.values(c, indicator, year, scheme)
reason_text = map_panel.reasons(c)

n_have = int(values["value"].notna().sum())
st.markdown(c.t("map.summary", n=fmt_int(n_have, lang), total=fmt_int(len(values), lang), year=year,
                indicator=c.iname(indicator)))
if n_have == 0:
    st.info(c.t("map.no_data_year", year=year), icon=":material/info:")
map_panel.scheme_notice(c, indicator, year, scheme, key="map_show_34")
map_panel.draw(c, values, indicator, year, scheme, key="map_chart")
exporting.download_buttons(  # the year's values (both schemes: a merged province's come from its former ones)
    c, lambda: data.load("facts", indicators=[indicator], y0=year, y1=year, scope=c.scope_filter, is_target=False,
                         per=c.view.per or None),
    [c.iname(indicator), year, c.t(f"map.scheme_{scheme}")], key="map", per=c.view.per or None)
widgets.per_note(c, [indicator])

table = values.sort_values(["value", "label"], ascending=[False, True], na_position="last")
shown = pd.DataFrame({
    c.t("col.province"): table["label"].to_numpy(),
    c.t("col.value"): [fmt_value(v, u, q, lang) if pd.notna(v) else "–"
                       for v, u, q in zip(table["value"], table["unit"], table["qualifier"], strict=True)],
    c.t("map.status"): [reason_text.get(s, s) for s in table["status"]],
    c.t("map.missing"): [", ".join(m) if len(m) else "" for m in table["missing"]],
    c.t("col.link"): pd.Series([link if isinstance(d, str) else None for d, link in
                                zip(table["doc_id"], widgets.source_links(table["doc_id"], table["obs_id"], c.view),
                                    strict=True)], dtype="string"),
})
widgets.dataframe(shown, hide_index=True, column_config={c.t("col.link"): widgets.link_column(c, "col.link")})

if scheme == "34":
    st.subheader(c.t("map.merged_title"))
    st.caption(c.t("map.merged_help"))
    merged = table[table["n_predecessors"] > 1]
    if merged.empty:
        st.caption(c.t("map.merged_none"))
    else:
        widgets.dataframe(pd.DataFrame({
            c.t("col.province"): merged["label"].to_numpy(),
            c.t("map.n_predecessors"): merged["n_predecessors"].astype(int).to_numpy(),
            c.t("map.status"): [reason_text.get(s, s) for s in merged["status"]],
            c.t("map.missing"): [", ".join(m) if len(m) else "" for m in merged["missing"]],
        }), hide_index=True)
