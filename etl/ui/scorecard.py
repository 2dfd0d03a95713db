"""The province scorecard as people read it: one table per theme, the change coloured by whether it is good.

`etl.queries.province_scorecard` computes the rows (latest value, rank out of N, previous value, verdict,
series); this module only words and colours them. Pure pandas apart from the column configs.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl.ui.fmt import MISSING, fmt_change, fmt_int, fmt_value, is_missing

# a verdict's arrow follows the number (a rank that fell is "▼ −24"); its colour follows the meaning
ARROW = {"up": "▲", "down": "▼", "flat": "■"}
COLOUR = {"better": "#1a7f37", "worse": "#cf222e", "same": "#57606a", "changed": "#57606a"}
COLUMNS = ("indicator", "value", "year", "rank", "change", "trend", "link", "evidence")


def change_text(row: dict[str, Any], lang: str, t: Any) -> str:
    """ "▲ +1.088 · tốt hơn (so với 2013)"; "–" without a previous value."""
    change = row.get("change")
    verdict = row.get("verdict")
    if is_missing(change) or verdict is None or is_missing(verdict):
        return MISSING
    change = float(change)
    arrow = ARROW["up"] if change > 0 else ARROW["down"] if change < 0 else ARROW["flat"]
    prev = row.get("prev_year")
    text = f"{arrow} {fmt_change(change, lang)} · {t(f'scorecard.verdict_{verdict}')}"
    if not is_missing(prev):
        text += " " + t("scorecard.since", year=int(prev))
    return text


def rank_text(rank: Any, n: Any, lang: str) -> str:
    if is_missing(rank):
        return MISSING
    return f"{int(rank)}/{fmt_int(n, lang)}" if not is_missing(n) else str(int(rank))


def scorecard_frame(rows: pd.DataFrame, lang: str, t: Any, iname: Any, links: list[str | None]) -> pd.DataFrame:
    """The rows of one theme in reading form, internal column names (`COLUMNS`) plus `verdict`."""
    records = rows.to_dict("records")
    from etl.ui.i18n import t_opt

    return pd.DataFrame({
        "indicator": [iname(r["indicator_id"]) + ("" if r["scope"] == "all" else f" ({t_opt('scope', r['scope'], lang)})")
                      for r in records],
        "value": [fmt_value(r["value"], r["unit"], r["qualifier"], lang, r.get("denominator")) for r in records],
        "year": [str(int(r["year"])) for r in records],
        "rank": [rank_text(r.get("rank"), r.get("n_ranked"), lang) for r in records],
        "change": [change_text(r, lang, t) for r in records],
        "trend": [list(r["trend"]) if len(r["trend"]) > 1 else [] for r in records],  # one value: no line
        "link": pd.Series(links, dtype="string"),
        "evidence": [MISSING if is_missing(r.get("evidence")) else str(r["evidence"]) for r in records],
        "verdict": [r.get("verdict") for r in records],
    })


def styled(frame: pd.DataFrame, headers: dict[str, str]) -> Any:
    """A Styler with translated headers and the change coloured (green better, red worse)."""
    colours = [COLOUR.get(v or "", "") for v in frame["verdict"]]
    shown = frame.drop(columns="verdict").rename(columns=headers)
    change = headers["change"]

    def colour(column: pd.Series) -> list[str]:
        return [f"color: {c}; font-weight: 600" if c else "" for c in colours]

    return shown.style.apply(colour, subset=[change])


def show(c: Any, province: str, *, y0: int | None, y1: int | None, per: str | None,
         indicators: list[str] | None) -> pd.DataFrame:
    """Draw the scorecard of `province` on the page (context `c`); returns its rows (for downloads)."""
    import streamlit as st

    from etl.ui import data, widgets

    st.subheader(c.t("scorecard.title"))
    st.caption(c.t("scorecard.help"))
    rows = data.load("province_scorecard", province, y0=y0, y1=y1, per=per)
    if indicators:
        rows = rows[rows["indicator_id"].isin(indicators)]
    widgets.hidden_notice(c, key="scorecard", provinces=[province], indicators=indicators, scope=None, y0=y0, y1=y1)
    if rows.empty:
        st.info(c.t("scorecard.empty"), icon=":material/info:")
        return rows
    headers = {col: c.t(f"scorecard.col_{col}") for col in COLUMNS}
    config = {  # fixed widths: the theme tables line up, and the source link stays in view
        headers["indicator"]: st.column_config.TextColumn(headers["indicator"], width=290),
        headers["trend"]: st.column_config.LineChartColumn(headers["trend"], help=c.t("scorecard.col_trend_help"),
                                                           width=70),
        headers["link"]: widgets.link_column(c, "scorecard.col_link"),
        headers["evidence"]: st.column_config.TextColumn(headers["evidence"], width="large",
                                                         help=c.t("col.evidence_help")),
        headers["rank"]: st.column_config.TextColumn(headers["rank"], help=c.t("scorecard.col_rank_help")),
        headers["change"]: st.column_config.TextColumn(headers["change"], help=c.t("scorecard.col_change_help"),
                                                       width=220),
    }
    for group, part in rows.groupby("grp", sort=False):
        links = widgets.source_links(part["doc_id"], part["obs_id"], c.view)
        frame = scorecard_frame(part, c.lang, c.t, c.iname, links)
        st.markdown(f"**{c.opt('group', group)}**")
        st.dataframe(styled(frame, headers), column_config=config, hide_index=True,
                     height=widgets.table_height(len(frame), 700), key=f"scorecard_{group}")
    from etl.ui import exporting

    shown = set(zip(rows["indicator_id"], rows["scope"], strict=True))

    def scorecard_facts() -> pd.DataFrame:  # every year of the scorecard's series, read on a click
        series = data.load("facts", provinces=[province], y0=y0, y1=y1, scope=None, is_target=False, per=per)
        keep = [(i, s) in shown for i, s in zip(series["indicator_id"], series["scope"], strict=True)]
        return series[keep]

    exporting.download_buttons(c, scorecard_facts, [c.pname(province), c.t("scorecard.title"),
                                                    f"{y0}-{y1}"], key="scorecard", per=per)
    other = int(rows["n_other_scopes"].sum())
    if other:
        st.caption(c.t("scorecard.other_scopes", n=fmt_int(other, c.lang)))
    return rows
