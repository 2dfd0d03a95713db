"""Bản đồ / Map: an indicator in a year, per province as reported (63) or as merged in 2025 (34)."""

from etl.ui.router import ensure_router

ensure_router()

from dataclasses import replace  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import charts, data, widgets  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_value, fmt_years, unit_label  # noqa: E402

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.map", "map.intro")
per = c.view.per or None

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
    kw = widgets.bind("w_map_scheme", c.view.scheme)

    def _scheme_changed() -> None:
        view = st.session_state[widgets.VIEW]
        st.session_state[widgets.VIEW] = replace(view, scheme=st.session_state.get(widgets.lang_key("w_map_scheme")) or "63")

    scheme = st.segmented_control(
        c.t("map.scheme"), ["63", "34"], format_func=lambda s: c.t(f"map.scheme_{s}"), required=True,
        help=c.t("map.scheme_help"), on_change=_scheme_changed, **kw) or "63"
# a merged province can take its value from its former provinces: the 34 map offers their years too
years = data.load("indicator_years", indicator, None if scheme == "34" else "63")
if years.empty:
    st.info(c.t("map.no_data_indicator", indicator=c.iname(indicator)), icon=":material/info:")
    st.stop()
with right:
    year = widgets.choose_year(c, years["year"], key="w_map_year")
st.caption(c.idef(indicator))

values = data.load("map_values", indicator, year, scheme=scheme, scope=c.scope_filter, per=per)
reported = values[values["value"].notna()]
unit = reported["unit"].iloc[0] if len(reported) else c.iattr(indicator, "unit")
reason_text = {s: c.t(f"map.status_{s}") for s in
               ("reported", "aggregated", "carried", "not_additive", "incomplete", "no_data")}


def _describe(row: pd.Series) -> str:
    if pd.notna(row["value"]):
        text = fmt_value(row["value"], row["unit"], row["qualifier"], lang)
        return text if row["status"] == "reported" else f"{text} ({reason_text[row['status']]})"
    why = reason_text.get(row["status"], row["status"])
    if row["status"] == "incomplete" and len(row["missing"]):
        why += ": " + ", ".join(row["missing"])
    return why


values["label"] = [c.pname(p) for p in values["province_id"]]
values["text"] = [_describe(r) for _, r in values.iterrows()]

try:
    from etl.geo import ATTRIBUTION, load_geojson
except ImportError:  # the geometry module is not there yet: the table still answers
    load_geojson, ATTRIBUTION = None, ""

n_have = int(values["value"].notna().sum())
st.markdown(c.t("map.summary", n=fmt_int(n_have, lang), total=fmt_int(len(values), lang), year=year,
                indicator=c.iname(indicator)))
if n_have == 0:
    st.info(c.t("map.no_data_year", year=year), icon=":material/info:")
if scheme == "63":  # values of the merged provinces are not on the 63 map: say so, offer that map
    later = data.load("indicator_years", indicator, "34")
    n_here = int(later.loc[later["year"] == year, "n_provinces"].sum())
    if len(later):
        if n_here:
            st.info(c.t("map.hidden_scheme", n=fmt_int(n_here, lang), year=year), icon=":material/visibility_off:")
        else:
            st.info(c.t("map.hidden_scheme_other", n=fmt_int(int(later["n_provinces"].sum()), lang),
                        years=fmt_years(later["year"])), icon=":material/visibility_off:")
        st.button(c.t("map.show_34"), key="map_show_34", icon=":material/map:",
                  on_click=lambda: st.session_state.__setitem__(
                      widgets.VIEW, replace(st.session_state[widgets.VIEW], scheme="34",
                                            year=year if n_here else int(later["year"].max()))))
if load_geojson is None:
    st.warning(c.t("map.no_geometry"), icon=":material/warning:")
else:
    try:
        geojson = load_geojson(scheme)
    except Exception as exc:  # noqa: BLE001 - a broken boundary file must not take the page down
        geojson = None
        st.warning(c.t("map.geometry_error", error=str(exc)[:200]), icon=":material/warning:")
    if geojson is not None:
        fig = charts.choropleth(values, geojson, lang, text="text", label="label",
                                colorbar_title=unit_label(unit, lang), no_data_label=c.t("map.no_data_class"),
                                reverse=c.iattr(indicator, "direction", "up") == "down", percent=unit == "pct")
        st.plotly_chart(fig, config=charts.config(f"ictdash_map_{indicator}_{year}_{scheme}"), key="map_chart")
        st.caption(c.t("map.attribution", attribution=ATTRIBUTION))
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
