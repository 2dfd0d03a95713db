"""So sánh / Compare: 2–8 provinces side by side, against the national median of reporting provinces."""

from etl.ui.router import ensure_router

ensure_router()

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import charts, data, exporting, review, widgets  # noqa: E402
from etl.ui.fmt import fmt_value, unit_label  # noqa: E402
from etl.ui.ranking import min_rank  # noqa: E402

MIN_PROVINCES, MAX_PROVINCES = 2, 8

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.compare", "compare.intro")
y0, y1 = c.years()
per = c.view.per or None
provs = list(c.view.provinces)

if len(provs) < MIN_PROVINCES:
    st.info(c.t("compare.need_two", n=len(provs)), icon=":material/tune:")
    st.stop()
if len(provs) > MAX_PROVINCES:
    st.warning(c.t("compare.too_many", max=MAX_PROVINCES), icon=":material/warning:")
    provs = provs[:MAX_PROVINCES]

inds = list(c.view.indicators)
if not inds:
    inds = [i for i in widgets.HEADLINE if i in c.indicators.index]
    st.caption(c.t("compare.default_indicators"))

rows = data.load("facts", provinces=provs, indicators=inds, y0=y0, y1=y1, scope=c.scope_filter, is_target=False,
                 per=per)
# what the scope, the years or unknown years hide, with the click that shows it
with_hidden = widgets.hidden_notice(c, key="compare", provinces=provs, indicators=inds, scope=c.scope_filter,
                                    y0=y0, y1=y1)
if rows.empty:
    if not with_hidden:
        st.info(c.t("compare.no_data"), icon=":material/info:")
    st.stop()
rows["province"] = [c.pname(p) for p in rows["province_id"]]
rows["indicator"] = [c.iname(i) for i in rows["indicator_id"]]
rows["text"] = [fmt_value(v, u, q, lang, d) for v, u, q, d in
                zip(rows["value"], rows["unit"], rows["qualifier"], rows["denominator"], strict=True)]
rows["text"] = review.with_status(c, rows["text"], rows["review_status"])  # "22 · Đã hiệu chỉnh"
colors = charts.province_colors([c.pname(p) for p in provs])
reported = set(rows["province_id"])
missing = [p for p in provs if p not in reported and p not in with_hidden]  # the others are in the notice
if missing:
    st.info(c.t("compare.some_missing", provinces=", ".join(c.pname(p) for p in missing)), icon=":material/info:")

# --- one year, bars --------------------------------------------------------------------------------
year = widgets.choose_year(c, rows["year"].dropna().unique(), key="w_compare_year", label=c.t("compare.year"))
st.subheader(c.t("compare.bars_title", year=year))
in_year = rows[rows["year"] == year].copy()
if in_year.empty:
    st.info(c.t("compare.no_data_year", year=year), icon=":material/info:")
else:
    with_values = set(in_year["indicator_id"])
    ids_in_year = [i for i in inds if i in with_values]
    panels = []
    for ind in ids_in_year:
        part = in_year[in_year["indicator_id"] == ind]
        direction = c.iattr(ind, "direction", "up")
        for scope, sp in part.groupby("scope", sort=False):
            sp = sp.sort_values("value", ascending=(direction == "down"))
            median = sp["median"].iloc[0] if sp["median"].notna().any() else None
            title = c.iname(ind) + ("" if c.view.scope not in ("auto", "any") and len(part["scope"].unique()) == 1
                                    else f" · {c.opt('scope', scope)}")
            unit = sp["unit"].iloc[0]
            panels.append({"df": sp, "title": title, "axis_title": unit_label(unit, lang), "median": median,
                           "median_label": c.t("compare.median_line", median=fmt_value(median, unit, "exact", lang)),
                           "percent": unit == "pct"})
    # every indicator's bars in one figure (one Plotly graph for the browser to draw, not one each)
    fig = charts.bar_panels(panels, lang, label="province", value="value", text="text", colors=colors)
    st.plotly_chart(fig, config=charts.config(f"ictdash_compare_{year}"), key="compare_bars")
    selection_rank: dict[int, int | None] = {}
    for (ind, _scope), grp in in_year.groupby(["indicator_id", "scope"]):
        selection_rank.update(zip(grp.index, min_rank(grp["value"], c.iattr(ind, "direction", "up")),
                                  strict=True))
    in_year["sel_rank"] = pd.Series(selection_rank, dtype="float64")
    ordered = in_year.sort_values(["indicator_id", "scope", "sel_rank"])
    frame, config = widgets.fact_table(c, ordered, ["indicator", "scope", "province", "value", "median", "diff",
                                                    "rank", "sources", "status", "link"])
    frame.insert(frame.columns.get_loc(c.t("col.rank")) + 1, c.t("col.rank_selection"),
                 ["–" if pd.isna(r) else str(int(r)) for r in ordered["sel_rank"]])
    widgets.show_table(frame, config)
    exporting.download_buttons(c, in_year, [exporting.names_part([c.pname(p) for p in provs], c.t("export.what_provinces")),
                                            year], key="compare_year", per=per)
    widgets.per_note(c, inds)

# --- trends, small multiples -----------------------------------------------------------------------
st.subheader(c.t("compare.trends_title"))
med = data.load("national_median", indicators=inds, y0=y0, y1=y1, scope=c.scope_filter, per=per)
lines = rows[["indicator_id", "indicator", "scope", "year", "value", "text", "province", "unit"]].copy()
schemes = sorted(set(rows["scheme"].dropna()))
med = med[med["scheme"].isin(schemes)]  # a median of the same provinces' scheme (63 before 7/2025, 34 after)
references = {s: (c.t("compare.median_series") if len(schemes) == 1 else c.t("compare.median_scheme", scheme=s))
              for s in schemes}
if not med.empty:
    scopes_used = set(zip(rows["indicator_id"], rows["scope"], strict=True))
    med = med[[(i, s) in scopes_used for i, s in zip(med["indicator_id"], med["scope"], strict=True)]]
    unit_of = rows.groupby("indicator_id")["unit"].first()
    med_lines = pd.DataFrame({
        "indicator_id": med["indicator_id"], "indicator": [c.iname(i) for i in med["indicator_id"]],
        "scope": med["scope"], "year": med["year"], "value": med["median"],
        "province": [references[s] for s in med["scheme"]],
        "unit": [unit_of.get(i) for i in med["indicator_id"]],
    })
    med_lines["text"] = [fmt_value(v, u, "exact", lang) for v, u in
                         zip(med_lines["value"], med_lines["unit"], strict=True)]
    lines = pd.concat([lines, med_lines], ignore_index=True)
multi_scope = lines.groupby("indicator_id")["scope"].nunique()
lines["panel"] = [f"{n} · {c.opt('scope', s)}" if multi_scope.get(i, 1) > 1 else n
                  for i, n, s in zip(lines["indicator_id"], lines["indicator"], lines["scope"], strict=True)]
fig = charts.small_multiples(lines, lang, panel="panel", series="province", text="text",
                             references=list(references.values()), colors=colors)
st.plotly_chart(fig, config=charts.config("ictdash_compare_trends"), key="compare_trends")
st.caption(c.t("compare.trends_help"))
exporting.download_buttons(c, rows, [exporting.names_part([c.pname(p) for p in provs], c.t("export.what_provinces")),
                                     f"{y0}-{y1}"], key="compare_trends", per=per)
# built only when opened (a closed expander's table was formatted, sent and laid out all the same)
table_box = st.expander(c.t("compare.trends_table"), key=widgets.lang_key("w_compare_trends_table"),
                        on_change="rerun")
if table_box.open:
    frame, config = widgets.fact_table(
        c, rows.sort_values(["indicator_id", "scope", "year", "province_id"]),
        ["indicator", "scope", "year", "province", "value", "median", "diff", "rank", "status", "link"])
    with table_box:
        widgets.show_table(frame, config)
