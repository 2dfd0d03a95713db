"""The indicator workspace's parts (pages/indicator.py): presets, timeline, targets switch, and the chart,
table and sources tabs. The map tab is `etl.ui.map_panel`, shared with the Map page.

Every part reads the same selection (the view's provinces, scope, years, the timeline's year) and writes
changes back to the view, so the URL reproduces the workspace.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from etl.ui import charts, data, regions, review, widgets
from etl.ui.fmt import fmt_int, fmt_value, fmt_years, md_escape, unit_label, vi_sorted
from etl.ui.state import ViewState
from etl.ui.widgets import Ctx

YEAR_LINE = "#888888"


def set_view(**changes: object) -> None:
    view = st.session_state.get(widgets.VIEW, ViewState())
    st.session_state[widgets.VIEW] = replace(view, **changes)


# ---------------------------------------------------------------------------------------------------
# controls


def preset_members(c: Ctx, reporting: list[str]) -> dict[str, list[str]]:
    """Region code -> the region's provinces reporting the indicator (all of the region if none does)."""
    out = {}
    for code in regions.REGIONS:
        ids = regions.members(c.provinces, code, among=reporting) or regions.members(
            c.provinces[c.provinces["scheme"] == c.view.scheme], code)
        out[code] = vi_sorted(ids, key=c.pname)
    return out


def presets(c: Ctx, reporting: list[str], key: str = "w_ws_preset") -> None:
    """"All provinces" and the six socio-economic regions, one click each; the active one stays lit."""
    members = preset_members(c, reporting)
    options = [regions.ALL, *regions.REGIONS]
    kw = widgets.bind(key, regions.preset_of(c.view.provinces, members))

    def picked() -> None:
        code = st.session_state.get(widgets.lang_key(key))
        if code == regions.ALL:
            set_view(provinces=())
        elif code in members:
            set_view(provinces=tuple(members[code]))

    st.pills(c.t("ws.presets"), options, selection_mode="single", help=c.t("ws.presets_help"),
             format_func=lambda code: c.t("ws.all") if code == regions.ALL else c.t(f"region.{code}"),
             on_change=picked, **kw)


def timeline(c: Ctx, years: list[int], default: int | None = None, key: str = "w_ws_year") -> int:
    """The year the map and the table show: a slider over the years with values (`default`, else the
    latest, until the user moves it)."""
    years = sorted(set(years))
    current = c.view.year if c.view.year in years else (default if default in years else years[-1])
    if len(years) == 1:
        st.caption(c.t("ws.one_year", year=years[0]))
        return years[0]
    kw = widgets.bind(key, current)
    st.select_slider(c.t("ws.timeline"), options=years, help=c.t("ws.timeline_help"),
                     on_change=lambda: set_view(year=st.session_state.get(widgets.lang_key(key))), **kw)
    return int(st.session_state.get(widgets.lang_key(key), current))


def targets_switch(c: Ctx, key: str = "w_ws_targets") -> bool:
    """Targets are off unless asked for (`wt=on`); when on they are drawn dashed."""
    def changed() -> None:
        set_view(ws_targets="on" if st.session_state.get(widgets.lang_key(key)) else "off")

    return bool(st.toggle(c.t("ws.show_targets"), help=c.t("ws.show_targets_help"), on_change=changed,
                          **widgets.bind(key, c.view.ws_targets == "on")))


def targets_notice(c: Ctx, indicator: str, provs: list[str], y0: int | None, y1: int | None) -> None:
    """With targets off, say how many plans of the chosen provinces are not drawn, with the click."""
    if not provs:
        return
    n = int(data.load("facts_summary", provinces=provs, indicators=[indicator], y0=y0, y1=y1,
                      scope=c.scope_filter, is_target=True)["n_rows"].iloc[0])
    if n:
        st.info(c.t("ws.targets_hidden", n=fmt_int(n, c.lang)), icon=":material/visibility_off:")
        st.button(c.t("ws.show_targets_button"), key="ws_show_targets", icon=":material/flag:",
                  on_click=lambda: set_view(ws_targets="on"))


# ---------------------------------------------------------------------------------------------------
# chart


def chart(c: Ctx, indicator: str, everyone: pd.DataFrame, rows: pd.DataFrame, med: pd.DataFrame,
          unit: str, year: int | None) -> None:
    """Every province a grey line, the chosen ones in colour named at their ends, medians dotted,
    the timeline's year a vertical line."""
    provs = list(c.view.provinces)
    lang = c.lang
    multi_scope = everyone["scope"].nunique() > 1 or med["scope"].nunique() > 1

    def series(pid: str, scope: str) -> str:
        return c.pname(pid) + (f" · {c.opt('scope', scope)}" if multi_scope else "")

    plot = []
    if not everyone.empty or not rows.empty:
        r = pd.concat([everyone[~everyone["province_id"].isin(provs)], rows], ignore_index=True)
        r["series"] = [series(p, s) for p, s in zip(r["province_id"], r["scope"], strict=True)]
        r["text"] = review.with_status(c, [fmt_value(v, u, q, lang, d) for v, u, q, d in zip(
            r["value"], r["unit"], r["qualifier"], r["denominator"], strict=True)], r["review_status"])
        plot.append(r[["series", "year", "value", "is_target", "text"]])
    if not rows.empty:  # the median of the chosen provinces' own scheme
        med = med[med["scheme"].isin(set(rows["scheme"].dropna()))]
    schemes = sorted(set(med["scheme"].dropna()))
    references: list[str] = []
    if not med.empty:
        m = med.copy()
        m["series"] = [(c.t("trends.median") if len(schemes) <= 1 else c.t("compare.median_scheme", scheme=sc))
                       + (f" · {c.opt('scope', s)}" if multi_scope else "")
                       for sc, s in zip(m["scheme"], m["scope"], strict=True)]
        m["value"] = m["median"]
        m["is_target"] = False
        m["text"] = [c.t("trends.median_hover", value=fmt_value(v, unit, "exact", lang), n=fmt_int(n, lang))
                     for v, n in zip(m["median"], m["n_reporting"], strict=True)]
        plot.append(m[["series", "year", "value", "is_target", "text"]])
        references = sorted(set(m["series"]))
    colour = charts.province_colors([c.pname(p) for p in provs])
    chosen: list[str] = []
    colour_of: dict[str, str] = {}
    for pid in provs:
        for scope in dict.fromkeys(rows.loc[rows["province_id"] == pid, "scope"]):
            chosen.append(series(pid, scope))
            colour_of[chosen[-1]] = colour[c.pname(pid)]
    fig = charts.context_lines(pd.concat(plot, ignore_index=True), lang, series="series", text="text",
                               axis_title=unit_label(unit, lang), highlighted=chosen, colors=colour_of,
                               references=references, target_label=c.t("kind.target"), title=c.iname(indicator),
                               percent=unit == "pct")
    if year is not None:
        fig.add_vline(x=year, line_dash="dot", line_width=1, line_color=YEAR_LINE,
                      annotation_text=c.t("ws.year_mark", year=year), annotation_position="top left",
                      annotation_font={"size": 11, "color": YEAR_LINE})
    st.plotly_chart(fig, config=charts.config(f"ictdash_{indicator}"), key="ws_chart")
    n_context = everyone.loc[~everyone["province_id"].isin(provs), "province_id"].nunique()
    st.caption(c.t("ws.legend_help", n=fmt_int(n_context, lang)))
    missing = [p for p in provs if p not in set(rows["province_id"])]
    if missing:  # a chosen province without a line says so
        st.info(c.t("trends.some_missing", provinces=", ".join(c.pname(p) for p in missing)), icon=":material/info:")


# ---------------------------------------------------------------------------------------------------
# table and sources


def table(c: Ctx, indicator: str, year: int) -> None:
    """The timeline's year: the chosen provinces (or every province) by value, with rank and sentence."""
    provs = list(c.view.provinces)
    rows = data.load("facts", provinces=provs or None, indicators=[indicator], y0=year, y1=year,
                     scope=c.scope_filter, is_target=False, per=c.view.per or None)
    if rows.empty:
        st.info(c.t("ws.table_none", year=year), icon=":material/info:")
        return
    ascending = c.iattr(indicator, "direction", "up") == "down"
    rows = rows.sort_values(["scope", "value"], ascending=[True, ascending])
    st.caption(c.t("ws.table_chosen" if provs else "ws.table_all", year=year))
    missing = [p for p in provs if p not in set(rows["province_id"])]
    if missing:
        st.caption(c.t("ws.table_missing", year=year, provinces=", ".join(c.pname(p) for p in missing)))
    frame, config = widgets.fact_table(c, rows, ["province", "scope", "value", "rank", "median", "sources", "status",
                                                 "evidence", "link"])
    widgets.show_table(frame, config, height=widgets.table_height(len(frame), 620), key="ws_table")


def sources(c: Ctx, indicator: str, rows: pd.DataFrame) -> None:
    """The indicator's definition, then one row per document the drawn values come from."""
    st.markdown(f"**{c.t('ws.definition')}.** " + md_escape(c.idef(indicator), 1200))
    st.caption(c.t("ws.sources_help"))
    rows = rows[rows["doc_id"].notna()]
    if rows.empty:
        st.info(c.t("ws.no_sources"), icon=":material/info:")
        return
    docs = []
    for doc_id, part in rows.groupby("doc_id", sort=False):
        first = part.iloc[0]
        docs.append({
            "doc": first.get("doc_title") or doc_id,
            "published": first.get("published"),
            "values": len(part),
            "years": fmt_years(part["year"].dropna()),
            "provinces": ", ".join(vi_sorted({c.pname(p) for p in part["province_id"]})),
            "url": first.get("doc_url") if isinstance(first.get("doc_url"), str) else None,
            "link": widgets.source_link(doc_id, part["obs_id"].iloc[0], c.view),
            "latest": part["year"].max(),
        })
    frame = pd.DataFrame(docs).sort_values(["latest", "values"], ascending=[False, False]).drop(columns="latest")
    frame["published"] = [None if pd.isna(p) else str(p)[:10] for p in frame["published"]]
    names = {"doc": "ws.col_document", "published": "ws.col_published", "values": "ws.col_values",
             "years": "ws.col_years", "provinces": "ws.col_provinces", "url": "ws.col_page", "link": "col.link"}
    frame["url"] = frame["url"].astype("string")
    frame["link"] = frame["link"].astype("string")
    frame.columns = [c.t(names[col]) for col in frame.columns]
    config = {c.t("ws.col_page"): st.column_config.LinkColumn(c.t("ws.col_page")),
              c.t("col.link"): widgets.link_column(c, "col.link"),
              c.t("ws.col_document"): st.column_config.TextColumn(c.t("ws.col_document"), width="large")}
    widgets.dataframe(frame, column_config=config, hide_index=True, key="ws_sources",
                      height=widgets.table_height(len(frame), 560))
