"""Tổng quan / Overview: headline cards and what is known (and missing) per province and indicator."""

from etl.ui.router import ensure_router

ensure_router()

from dataclasses import replace  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import charts, data, exporting, router, state, widgets  # noqa: E402
from etl.ui.fmt import (  # noqa: E402
    MINUS,
    SHORT_UNITS,
    fmt_change,
    fmt_int,
    fmt_number,
    fmt_short,
    fmt_value,
    fmt_year,
    fmt_years,
    md_escape,
    unit_label,
)

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.overview", "overview.intro")
y0, y1 = c.years()
provs = list(c.view.provinces)
per = c.view.per or None
headline = [i for i in widgets.HEADLINE if i in c.indicators.index]

# --- what is loaded --------------------------------------------------------------------------------
loaded = data.load("load_summary").iloc[0]
docs = c.t("count.documents", n=fmt_int(loaded["n_documents"], lang))
if int(loaded["n_facts"]) == 0:
    st.info(c.t("overview.loaded_empty", docs=docs), icon=":material/info:")
else:
    checked = int(loaded["n_checked"])
    share = checked / int(loaded["n_facts"])
    st.markdown(c.t(
        "overview.loaded", docs=docs, provinces=c.t("count.provinces", n=fmt_int(loaded["n_provinces"], lang)),
        schemes=c.t("overview.loaded_schemes", p63=fmt_int(loaded["n_provinces_63"], lang),
                    p34=fmt_int(loaded["n_provinces_34"], lang)),
        years=c.t("count.years", n=fmt_int(loaded["n_years"], lang)),
        y0=fmt_year(loaded["first_year"]), y1=fmt_year(loaded["last_year"]),
        values=c.t("count.values", n=fmt_int(loaded["n_facts"], lang)),
        checked=f"{fmt_number(share * 100, lang, 0 if share in (0, 1) else 1)}%"
        + (f" ({fmt_int(checked, lang)})" if checked else "")))

# --- headline cards --------------------------------------------------------------------------------
if provs:
    focus = provs[0]
    st.subheader(c.t("overview.cards_for", province=c.pname(focus)))
    rows = data.load("facts", provinces=[focus], indicators=headline, y0=y0, y1=y1, scope="auto",
                     is_target=False, per=per)
else:
    st.subheader(c.t("overview.cards_all"))
    med = data.load("national_median", indicators=headline, y0=y0, y1=y1, scope="auto", per=per)


def _delta(last: float, prev: float, prev_year: int) -> tuple[str | None, float]:
    change = last - prev
    text = fmt_change(change, lang).replace(MINUS, "-")  # st.metric reads the ASCII sign
    return c.t("overview.delta", delta=text, year=int(prev_year)), change


cols = st.columns(max(1, len(headline)))
for col, ind in zip(cols, headline, strict=False):
    direction = c.iattr(ind, "direction", "up")
    with col, st.container(border=True, key=f"card_{ind}"):
        mine = (rows[rows["indicator_id"] == ind] if provs else med[med["indicator_id"] == ind]).sort_values("year")
        # the indicator's name opens its workspace (chart, map, table, sources) with this selection
        st.page_link(router.page_path("indicator"), label=f"**{md_escape(c.iname(ind), 200)}**",
                     icon=":material/insights:", help=c.idef(ind),
                     query_params=state.to_query(c.view.with_focus_indicator(ind)))
        if mine.empty:
            st.metric(c.iname(ind), "–", label_visibility="collapsed")
            st.caption(c.t("overview.card_no_data"))
            continue
        last = mine.iloc[-1]
        delta, change = None, 0.0
        if len(mine) > 1:
            prev = mine.iloc[-2]
            delta, change = _delta(last["value" if provs else "median"], prev["value" if provs else "median"],
                                   prev["year"])
        arrows = {"delta_color": "inverse" if direction == "down" else "normal",
                  "delta_arrow": "off" if change == 0 or pd.isna(change) else "auto"}
        if provs:
            st.metric(c.iname(ind), fmt_short(last["value"], last["unit"], last["qualifier"], lang,
                                              last["denominator"]), delta=delta, label_visibility="collapsed",
                      **arrows)
            rank = "" if pd.isna(last["rank"]) else c.t("overview.rank", rank=int(last["rank"]),
                                                         n=int(last["n_ranked"]))
            unit = "" if last["unit"] in SHORT_UNITS else f" · {unit_label(last['unit'], lang)}"
            st.caption(c.t("overview.card_year", year=int(last["year"]), scope=c.opt("scope", last["scope"]))
                       + unit + (f" · {rank}" if rank else ""))
            if not pd.isna(last["median"]) and int(last["n_ranked"]) > 1:
                st.caption(c.t("overview.card_vs_median",
                               median=fmt_value(last["median"], last["unit"], "exact", lang)))
            target = replace(c.view, doc=str(last["doc_id"]), obs=str(last["obs_id"]))
            st.page_link(router.page_path("sources"), label=c.t("common.open_source"),
                         icon=":material/description:", query_params=state.to_query(target))
        else:
            unit = c.iattr(ind, "unit")
            if per and bool(c.iattr(ind, "additive", False)):
                unit = "per_10k_pop" if per == "pop" else "per_100km2"
            st.metric(c.iname(ind), fmt_short(last["median"], unit, "exact", lang), delta=delta,
                      label_visibility="collapsed", **arrows)
            caption = c.t("overview.card_median", n=fmt_int(last["n_reporting"], lang), year=int(last["year"]))
            if unit not in SHORT_UNITS:
                caption += f" · {unit_label(unit, lang)}"
            st.caption(caption)
# the cards use each indicator's headline scope; the explorer lists every scope of the same values
widgets.hidden_notice(c, key="overview_cards", provinces=[provs[0]] if provs else None, indicators=headline,
                      scope="auto", y0=y0, y1=y1,
                      scope_page=("explorer", replace(c.view, provinces=tuple(provs[:1]), indicators=tuple(headline))))

if len(provs) > 1:
    latest = data.load("latest", indicators=headline, provinces=provs, y0=y0, y1=y1, scope="auto", per=per)
    if not latest.empty:
        st.markdown("**" + c.t("overview.latest_table") + "**")
        table = pd.DataFrame({"province_id": provs})
        for ind in headline:
            part = latest[latest["indicator_id"] == ind].set_index("province_id")
            table[c.iname(ind)] = [
                c.t("overview.value_year", value=fmt_value(part.at[p, "value"], part.at[p, "unit"],
                                                           part.at[p, "qualifier"], lang),
                    year=int(part.at[p, "year"])) if p in part.index else "–"
                for p in provs
            ]
        table.insert(0, c.t("col.province"), [c.pname(p) for p in provs])
        widgets.dataframe(table.drop(columns=["province_id"]), hide_index=True)
widgets.per_note(c, headline)

# --- coverage grid ---------------------------------------------------------------------------------
st.subheader(c.t("overview.coverage"))
st.caption(c.t("overview.coverage_help", y0=y0 or "–", y1=y1 or "–"))
inds = list(c.view.indicators) or None
cov = data.load("coverage", provinces=provs or None, indicators=inds, y0=y0, y1=y1, scope=None)
if provs:
    row_ids = provs
else:
    with_data = set(cov["province_id"])
    row_ids = c.province_ids("63") + [p for p in c.province_ids("34") if p in with_data]
covered = set(cov["indicator_id"])
col_ids = list(c.view.indicators) or [i for i in c.indicator_ids() if i in covered]
if cov.empty or not col_ids:
    st.info(c.t("overview.coverage_empty"), icon=":material/info:")
else:
    n_years = cov.pivot_table(index="province_id", columns="indicator_id", values="n_years", aggfunc="sum")
    n_years = n_years.reindex(index=row_ids, columns=col_ids).fillna(0).astype(int)
    years_txt = cov.assign(txt=cov["years"].map(fmt_years)).pivot_table(
        index="province_id", columns="indicator_id", values="txt", aggfunc="first")
    years_txt = years_txt.reindex(index=row_ids, columns=col_ids).fillna(c.t("common.no_data"))
    labels_rows = [c.pname(p) for p in row_ids]
    labels_cols = [c.iname(i) for i in col_ids]
    # indicators down the side (their names are long), provinces across
    matrix = n_years.set_axis(labels_rows, axis=0).set_axis(labels_cols, axis=1).T
    hover = years_txt.set_axis(labels_rows, axis=0).set_axis(labels_cols, axis=1).T
    fig = charts.coverage_heatmap(matrix, hover, lang, colorbar_title=c.t("overview.n_years"))
    st.plotly_chart(fig, config=charts.config("ictdash_coverage"), key="coverage_chart")
    exporting.download_buttons(  # the values behind the grid, read when a button is clicked
        c, lambda: data.load("facts", provinces=row_ids, indicators=col_ids, y0=y0, y1=y1, is_target=False),
        [exporting.names_part([c.pname(p) for p in provs], c.t("export.what_provinces"),
                              everything=c.t("export.all_of", what=c.t("export.what_provinces"))),
         f"{y0}-{y1}"], key="coverage")
    n_prov = int((n_years.sum(axis=1) > 0).sum())
    st.caption(c.t("overview.coverage_summary", with_data=fmt_int(n_prov, lang),
                   total=fmt_int(len(row_ids), lang), n_ind=fmt_int(len(col_ids), lang)))
    table = cov[cov["province_id"].isin(row_ids) & cov["indicator_id"].isin(col_ids)]
    shown = pd.DataFrame({
        c.t("col.province"): [c.pname(p) for p in table["province_id"]],
        c.t("col.indicator"): [c.iname(i) for i in table["indicator_id"]],
        c.t("col.years"): [fmt_years(y) for y in table["years"]],
        c.t("overview.n_years"): table["n_years"].astype(int).to_numpy(),
    })
    with st.expander(c.t("overview.coverage_table"), expanded=bool(provs)):
        widgets.dataframe(shown, hide_index=True)
