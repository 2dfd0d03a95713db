"""Xu hướng / Trends: one indicator by year across provinces; targets drawn apart from achieved values."""

from etl.ui.router import ensure_router

ensure_router()

from dataclasses import replace  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import charts, data, exporting, review, router, state, widgets  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_value, unit_label, vi_sort_key, vi_sorted  # noqa: E402

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.trends", "trends.intro")
y0, y1 = c.years()
per = c.view.per or None
provs = list(c.view.provinces)

ids = c.indicator_ids()
current = c.view.indicators[0] if c.view.indicators else ("bts_stations" if "bts_stations" in ids else None)
indicator = widgets.choose_one(
    c, c.t("trends.indicator"), ids, current, key="w_trend_indicator", format_func=c.iname,
    on_pick=lambda view, i: view.with_focus_indicator(i), help=c.t("trends.indicator_help"),
)
if indicator is None:
    st.info(c.t("trends.choose_indicator"), icon=":material/tune:")
    st.stop()
st.caption(c.idef(indicator))
st.page_link(router.page_path("indicator"), label=c.t("ws.open"), icon=":material/insights:",
             query_params=state.to_query(c.view.with_focus_indicator(indicator)))


def _targets_changed() -> None:
    view = st.session_state[widgets.VIEW]
    shown = st.session_state.get(widgets.lang_key("w_trend_targets"))
    st.session_state[widgets.VIEW] = replace(view, trend_targets="on" if shown else "off")


show_targets = st.toggle(c.t("trends.show_targets"), help=c.t("trends.show_targets_help"),
                         on_change=_targets_changed,
                         **widgets.bind("w_trend_targets", c.view.trend_targets == "on"))

med = data.load("national_median", indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter, per=per)
# every province's achieved values: the grey context behind the chosen provinces
everyone = data.load("facts", indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter, is_target=False, per=per)
rows = everyone[everyone["province_id"].isin(provs)]
if provs and show_targets:
    targets = data.load("facts", provinces=provs, indicators=[indicator], y0=y0, y1=y1, scope=c.scope_filter,
                        is_target=True, per=per)
    rows = pd.concat([rows, targets], ignore_index=True) if len(targets) else rows
widgets.hidden_notice(c, key="trends", provinces=provs or None, indicators=[indicator], scope=c.scope_filter,
                      y0=y0, y1=y1)

# region presets: highlight the provinces of one socio-economic region that report this indicator
regions = sorted({r for r in everyone["region"].dropna()}, key=vi_sort_key)
if regions:
    def _region_picked() -> None:
        region = st.session_state.get(widgets.lang_key("w_trend_region"))
        if not region:
            return
        members = everyone[everyone["region"] == region]["province_id"].unique().tolist()
        view = st.session_state[widgets.VIEW]
        st.session_state[widgets.VIEW] = replace(view, provinces=tuple(vi_sorted(members, key=c.pname)))
        st.session_state[widgets.lang_key("w_trend_region")] = None

    st.selectbox(c.t("trends.region"), regions, index=None, placeholder=c.t("trends.region_placeholder"),
                 help=c.t("trends.region_help"), on_change=_region_picked, key=widgets.lang_key("w_trend_region"))

if everyone.empty and med.empty:
    st.info(c.t("trends.no_data", indicator=c.iname(indicator)), icon=":material/info:")
    st.stop()
if not provs:
    st.info(c.t("trends.no_provinces"), icon=":material/tune:")

unit = everyone["unit"].iloc[0] if not everyone.empty else (
    ("per_10k_pop" if per == "pop" else "per_100km2") if per and bool(c.iattr(indicator, "additive", False))
    else c.iattr(indicator, "unit"))
multi_scope = everyone["scope"].nunique() > 1 or med["scope"].nunique() > 1


def _series(pid: str, scope: str) -> str:
    return c.pname(pid) + (f" · {c.opt('scope', scope)}" if multi_scope else "")


plot = []
if not everyone.empty:
    r = pd.concat([everyone[~everyone["province_id"].isin(provs)], rows], ignore_index=True)
    r["series"] = [_series(p, s) for p, s in zip(r["province_id"], r["scope"], strict=True)]
    r["text"] = [fmt_value(v, u, q, lang, d) for v, u, q, d in
                 zip(r["value"], r["unit"], r["qualifier"], r["denominator"], strict=True)]
    r["text"] = review.with_status(c, r["text"], r["review_status"])  # hovers say what a person checked
    plot.append(r[["series", "year", "value", "is_target", "text"]])
if not rows.empty:  # the median of the chosen provinces' own scheme (63 before 7/2025, 34 after)
    med = med[med["scheme"].isin(set(rows["scheme"].dropna()))]
schemes = sorted(set(med["scheme"].dropna()))


def _median_label(scheme: str, scope: str) -> str:
    label = c.t("trends.median") if len(schemes) <= 1 else c.t("compare.median_scheme", scheme=scheme)
    return label + (f" · {c.opt('scope', scope)}" if multi_scope else "")


if not med.empty:
    m = med.copy()
    m["series"] = [_median_label(sc, s) for sc, s in zip(m["scheme"], m["scope"], strict=True)]
    m["value"] = m["median"]
    m["is_target"] = False
    m["text"] = [c.t("trends.median_hover", value=fmt_value(v, unit, "exact", lang), n=fmt_int(n, lang))
                 for v, n in zip(m["median"], m["n_reporting"], strict=True)]
    plot.append(m[["series", "year", "value", "is_target", "text"]])
plot_df = pd.concat(plot, ignore_index=True)
references = sorted(set(m["series"])) if not med.empty else []
province_colour = charts.province_colors([c.pname(p) for p in provs])
chosen_series: list[str] = []
colour_of: dict[str, str] = {}
for pid in provs:  # in the selection's order, each province in its colour on every page
    for scope in dict.fromkeys(rows.loc[rows["province_id"] == pid, "scope"]):
        chosen_series.append(_series(pid, scope))
        colour_of[chosen_series[-1]] = province_colour[c.pname(pid)]
fig = charts.context_lines(plot_df, lang, series="series", text="text", axis_title=unit_label(unit, lang),
                           highlighted=chosen_series, colors=colour_of, references=references,
                           target_label=c.t("kind.target"), title=c.iname(indicator), percent=unit == "pct")
st.plotly_chart(fig, config=charts.config(f"ictdash_trend_{indicator}"), key="trend_chart")
if not everyone.empty:
    drawn = pd.concat([everyone[~everyone["province_id"].isin(provs)], rows], ignore_index=True)
    exporting.download_buttons(c, drawn, [c.iname(indicator), f"{y0}-{y1}"], key="trends", per=per)
n_context = everyone.loc[~everyone["province_id"].isin(provs), "province_id"].nunique()
st.caption(c.t("trends.legend_help", n=fmt_int(n_context, lang)))
widgets.per_note(c, [indicator])

if not rows.empty:
    reported = set(rows["province_id"])
    missing = [p for p in provs if p not in reported]
    if missing:
        st.info(c.t("trends.some_missing", provinces=", ".join(c.pname(p) for p in missing)), icon=":material/info:")
    frame, config = widgets.fact_table(
        c, rows.sort_values(["province_id", "scope", "is_target", "year"]),
        ["province", "scope", "year", "kind", "value", "rank", "median", "sources", "status", "evidence", "link"])
    widgets.show_table(frame, config)
else:
    table = pd.DataFrame({
        c.t("col.year"): med["year"].astype(int).to_numpy(),
        c.t("col.scope"): [c.opt("scope", s) for s in med["scope"]],
        c.t("col.median"): [fmt_value(v, unit, "exact", lang) for v in med["median"]],
        c.t("trends.n_reporting"): [fmt_int(n, lang) for n in med["n_reporting"]],
    })
    widgets.dataframe(table, hide_index=True,
                 column_config={c.t("col.year"): st.column_config.NumberColumn(format="%d")})
