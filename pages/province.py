"""Tỉnh / Province profile: every indicator of one province over the years, with ranks and sources."""

from etl.ui.router import ensure_router

ensure_router()

import streamlit as st  # noqa: E402

from etl.ui import charts, data, exporting, review, scorecard, widgets  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_value, unit_label  # noqa: E402

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.province", "province.intro")
y0, y1 = c.years()
per = c.view.per or None

options = c.province_ids("63") + c.province_ids("34")
current = c.view.provinces[0] if c.view.provinces else None
province = widgets.choose_one(
    c, c.t("province.choose"), options, current, key="w_profile_province", format_func=c.pname,
    on_pick=lambda view, p: view.with_focus_province(p), help=c.t("province.choose_help"),
)
if province is None:
    st.info(c.t("province.none_selected"), icon=":material/tune:")
    st.stop()

profile = data.load("province_profile", province, y0=y0, y1=y1, per=per)
if c.view.indicators:
    profile = profile[profile["indicator_id"].isin(c.view.indicators)]
if profile.empty:
    st.info(c.t("province.no_data", province=c.pname(province), y0=y0 or "–", y1=y1 or "–"), icon=":material/info:")
    st.stop()

achieved = profile[~profile["is_target"]]
n_ind = profile["indicator_id"].nunique()
m1, m2, m3, m4 = st.columns(4)
m1.metric(c.t("province.n_indicators"), fmt_int(n_ind, lang))
m2.metric(c.t("province.n_values"), fmt_int(len(achieved), lang))
m3.metric(c.t("province.n_targets"), fmt_int(int(profile["is_target"].sum()), lang))
m4.metric(c.t("province.n_documents"), fmt_int(profile["doc_id"].nunique(), lang))

# --- scorecard: one row per indicator, by theme -----------------------------------------------------
scorecard.show(c, province, y0=y0, y1=y1, per=per, indicators=list(c.view.indicators) or None)

# --- one indicator over the years ------------------------------------------------------------------
st.subheader(c.t("province.over_years"))
ids = list(dict.fromkeys(profile.sort_values("indicator_id")["indicator_id"]))
focus_ind = c.view.indicators[0] if c.view.indicators and c.view.indicators[0] in ids else None
if focus_ind is None:
    focus_ind = next((i for i in widgets.HEADLINE if i in ids), ids[0])
chosen = widgets.choose_one(
    c, c.t("province.chart_indicator"), ids, focus_ind, key="w_profile_indicator",
    format_func=c.iname, on_pick=lambda view, i: view.with_focus_indicator(i),
) or focus_ind
part = profile[profile["indicator_id"] == chosen].copy()
st.caption(c.idef(chosen))
scopes = list(dict.fromkeys(part["scope"]))
part["series"] = [c.opt("scope", s) for s in part["scope"]]
part["text"] = [fmt_value(v, u, q, lang, d) for v, u, q, d in
                zip(part["value"], part["unit"], part["qualifier"], part["denominator"], strict=True)]
part["text"] = review.with_status(c, part["text"], part["review_status"])  # hovers say what a person checked
unit = part["unit"].iloc[0]
fig = charts.trend_lines(part, lang, series="series", text="text", axis_title=unit_label(unit, lang),
                         target_label=c.t("kind.target"), achieved_label=c.t("kind.achieved"),
                         title=f"{c.pname(province)} — {c.iname(chosen)}")
st.plotly_chart(fig, config=charts.config(f"ictdash_{province}_{chosen}"), key="profile_chart")
frame, config = widgets.fact_table(
    c, part.sort_values(["year", "scope", "is_target"], ascending=[False, True, True]),
    ["year", "scope", "kind", "value", "change", "rank", "sources", "status", "evidence", "link"])
widgets.show_table(frame, config)
exporting.download_buttons(c, part, [c.pname(province), c.iname(chosen), f"{y0}-{y1}"], key="profile", per=per)
widgets.per_note(c, [chosen])

# --- every indicator -------------------------------------------------------------------------------
st.subheader(c.t("province.all_indicators"))
st.caption(c.t("province.all_help"))
ordered = profile.sort_values(["indicator_id", "scope", "is_target", "year"], ascending=[True, True, True, False])
frame, config = widgets.fact_table(
    c, ordered, ["indicator", "scope", "year", "kind", "value", "change", "rank", "sources", "status", "evidence",
                 "link"])
widgets.show_table(frame, config, height=widgets.table_height(len(frame), 600))
exporting.download_buttons(c, ordered, [c.pname(province), f"{y0}-{y1}"], key="profile_all", per=per)
