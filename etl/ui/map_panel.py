"""The map as the Map page and the indicator workspace show it: the scheme switch, the notice of what the
63-province map leaves out, the map itself (`etl.ui.maps`) and its attribution.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from etl.ui import charts, data, maps, widgets
from etl.ui.fmt import fmt_int, fmt_value, fmt_years, unit_label
from etl.ui.widgets import Ctx

STATUSES = ("reported", "aggregated", "carried", "not_additive", "incomplete", "no_data")


def scheme_picker(c: Ctx, key: str) -> str:
    """63 provinces (to 6/2025) or 34 (from 7/2025), bound to the view's scheme."""
    kw = widgets.bind(key, c.view.scheme)

    def changed() -> None:
        view = st.session_state[widgets.VIEW]
        st.session_state[widgets.VIEW] = replace(view, scheme=st.session_state.get(widgets.lang_key(key)) or "63")

    return st.segmented_control(
        c.t("map.scheme"), ["63", "34"], format_func=lambda s: c.t(f"map.scheme_{s}"), required=True,
        help=c.t("map.scheme_help"), on_change=changed, **kw) or "63"


def reasons(c: Ctx) -> dict[str, str]:
    return {s: c.t(f"map.status_{s}") for s in STATUSES}


def values(c: Ctx, indicator: str, year: int, scheme: str) -> pd.DataFrame:
    """`map_values` with the name (`label`) and what the map says of each province (`text`)."""
    frame = data.load("map_values", indicator, year, scheme=scheme, scope=c.scope_filter, per=c.view.per or None)
    why = reasons(c)

    def describe(row: pd.Series) -> str:
        if pd.notna(row["value"]):
            shown = fmt_value(row["value"], row["unit"], row["qualifier"], c.lang)
            return shown if row["status"] == "reported" else f"{shown} ({why[row['status']]})"
        text = why.get(row["status"], row["status"])
        if row["status"] == "incomplete" and len(row["missing"]):
            text += ": " + ", ".join(row["missing"])
        return text

    frame = frame.copy()
    frame["label"] = [c.pname(p) for p in frame["province_id"]]
    frame["text"] = [describe(r) for _, r in frame.iterrows()]
    return frame


def scheme_notice(c: Ctx, indicator: str, year: int, scheme: str, key: str) -> None:
    """On the 63 map: how many values of the 34 merged provinces it cannot show, and the click to them."""
    if scheme != "63":
        return
    later = data.load("indicator_years", indicator, "34")
    if later.empty:
        return
    n_here = int(later.loc[later["year"] == year, "n_provinces"].sum())
    if n_here:
        st.info(c.t("map.hidden_scheme", n=fmt_int(n_here, c.lang), year=year), icon=":material/visibility_off:")
    else:
        st.info(c.t("map.hidden_scheme_other", n=fmt_int(int(later["n_provinces"].sum()), c.lang),
                    years=fmt_years(later["year"])), icon=":material/visibility_off:")
    target_year = year if n_here else int(later["year"].max())
    st.button(c.t("map.show_34"), key=key, icon=":material/map:",
              on_click=lambda: st.session_state.__setitem__(
                  widgets.VIEW, replace(st.session_state[widgets.VIEW], scheme="34", year=target_year)))


def chosen_colours(c: Ctx, scheme: str) -> dict[str, str]:
    """Province id (of `scheme`) -> colour of the chosen provinces, in their colour on every chart.

    A province of the 63 chosen while the 34 map shows marks the merged province it became.
    """
    provs = list(c.view.provinces)
    colour_of = charts.province_colors([c.pname(p) for p in provs])
    out: dict[str, str] = {}
    for pid in provs:
        shown = pid
        if pid in c.provinces.index and c.provinces.at[pid, "scheme"] != scheme:
            successor = c.provinces.at[pid, "successor_id"]
            shown = successor if scheme == "34" and isinstance(successor, str) else None
        if shown and shown not in out:
            out[shown] = colour_of[c.pname(pid)]
    return out


def draw(c: Ctx, frame: pd.DataFrame, indicator: str, year: int, scheme: str, key: str) -> None:
    """The map of `frame` (from `values`), the chosen provinces outlined and named; its attribution."""
    try:
        from etl.geo import ATTRIBUTION, load_geojson

        geojson = load_geojson(scheme)
    except Exception as exc:  # noqa: BLE001 - a broken boundary file must not take the page down
        st.warning(c.t("map.geometry_error", error=str(exc)[:200]), icon=":material/warning:")
        return
    reported = frame[frame["value"].notna()]
    unit = reported["unit"].iloc[0] if len(reported) else c.iattr(indicator, "unit")
    fig = maps.province_map(frame, geojson, c.lang, text="text", label="label",
                            colorbar_title=unit_label(unit, c.lang), no_data_label=c.t("map.no_data_class"),
                            reverse=c.iattr(indicator, "direction", "up") == "down", percent=unit == "pct",
                            highlighted=chosen_colours(c, scheme))
    st.plotly_chart(fig, config=charts.config(f"ictdash_map_{indicator}_{year}_{scheme}"), key=key)
    st.caption(c.t("map.islands_note") + " " + c.t("map.attribution", attribution=ATTRIBUTION))
