"""Chất lượng / Data quality: what needs a person's eye, and the curation line that fixes each."""

from etl.ui.router import ensure_router

ensure_router()

import math  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import data, review, state, widgets  # noqa: E402
from etl.ui.curation_lines import curation_line, header_line  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_number, fmt_value  # noqa: E402

PAGE_ROWS = 200  # rows per table page: a reviewer works through them; the browser stays quick
# Up to this many ready-to-paste lines each get their own block; more (a conflict of 100 sources) share
# one block: 200 code blocks and captions took the browser over a second to draw (issue 12)
LINE_BLOCKS = 5

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.quality", "quality.intro")

def _threshold_changed() -> None:
    view = st.session_state[widgets.VIEW]
    value = st.session_state.get(widgets.lang_key("w_quality_threshold"))
    st.session_state[widgets.VIEW] = replace(view, threshold=f"{value:.1f}" if value is not None else "0.6")


threshold = st.select_slider(c.t("quality.threshold"), options=[float(x) for x in state.THRESHOLDS],
                             help=c.t("quality.threshold_help"), format_func=lambda v: fmt_number(v, lang, 1),
                             on_change=_threshold_changed,
                             **widgets.bind("w_quality_threshold", float(c.view.threshold)))
summary = data.load("quality_summary", threshold=threshold).iloc[0]
m = st.columns(5)
m[0].metric(c.t("quality.conflicts"), fmt_int(summary["n_conflicts"], lang), help=c.t("quality.conflicts_help"))
m[1].metric(c.t("quality.unknown_year"), fmt_int(summary["n_unknown_year"], lang),
            help=c.t("quality.unknown_year_help"))
m[2].metric(c.t("quality.unknown_province"), fmt_int(summary["n_unknown_province"], lang),
            help=c.t("quality.unknown_province_help"))
m[3].metric(c.t("quality.low_confidence"), fmt_int(summary["n_low_confidence"], lang),
            help=c.t("quality.low_confidence_help"))
m[4].metric(c.t("quality.failed"), fmt_int(summary["n_failed"], lang), help=c.t("quality.failed_help"))
st.caption(c.t("quality.totals", docs=fmt_int(summary["n_documents"], lang),
               obs=fmt_int(summary["n_observations"], lang)))

REVIEWER = c.t("quality.reviewer_placeholder")


def obs_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        c.t("col.indicator"): [c.iname(i) for i in df["indicator_id"]],
        c.t("col.province"): [c.pname(p) if isinstance(p, str) else (n if isinstance(n, str) else "–")
                              for p, n in zip(df["province_id"], df["province_name"], strict=True)],
        c.t("col.year"): [None if pd.isna(y) else int(y) for y in df["year"]],
        c.t("col.scope"): [c.opt("scope", s) for s in df["scope"]],
        c.t("col.value"): [fmt_value(v, u, q, lang) for v, u, q in
                           zip(df["value"], df["unit"], df["qualifier"], strict=True)],
        c.t("quality.confidence"): [fmt_number(x, lang, 2) for x in df["confidence"]],
        c.t("col.evidence"): df["evidence"].to_numpy(),
        c.t("col.link"): widgets.source_links(df["doc_id"], df["obs_id"], c.view),
    })


TABLE_CONFIG = {
    c.t("col.year"): st.column_config.NumberColumn(format="%d"),
    c.t("col.evidence"): st.column_config.TextColumn(width="large"),
    c.t("col.link"): widgets.link_column(c, "col.link"),
}


def selectable(df: pd.DataFrame, table: pd.DataFrame, key: str) -> dict | None:
    """Show `table` (rows of `df`), let the user pick one row; returns that row of `df` (first by default)."""
    event = widgets.dataframe(table, hide_index=True, key=key, on_select="rerun",
                         selection_mode="single-row", column_config=TABLE_CONFIG,
                         height=widgets.table_height(len(table), 360))
    rows = getattr(getattr(event, "selection", None), "rows", None) or [0]
    return df.iloc[min(rows[0], len(df) - 1)].to_dict() if len(df) else None


def fix(lines: list[tuple[str, str]], one_block: str | None = None) -> None:
    """The ready-to-paste lines, each with what it does; past LINE_BLOCKS lines, all in one block under
    the caption `one_block` (its lines in the order of the table above)."""
    st.markdown("**" + c.t("quality.fix_title") + "**")
    st.caption(c.t("quality.fix_help"))
    if one_block and len(lines) > LINE_BLOCKS:
        st.caption(one_block)
        st.code("\n".join(line for _, line in lines), language="csv", height=min(600, 30 + 21 * len(lines)))
        return
    for label, line in lines:
        st.caption(label)
        st.code(line, language="csv")


def pager(kind: str, total: int) -> int:
    """The offset of the page of rows to show: a page number above the table when there are several."""
    pages = max(1, math.ceil(total / PAGE_ROWS))
    if pages == 1:
        return 0
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    page = left.number_input(c.t("quality.page", pages=fmt_int(pages, lang)), min_value=1, max_value=pages,
                             value=1, step=1, key=widgets.lang_key(f"w_q_page_{kind}"))
    first = (int(page) - 1) * PAGE_ROWS
    right.caption(c.t("quality.rows", a=fmt_int(first + 1, lang), b=fmt_int(min(total, first + PAGE_ROWS), lang),
                      n=fmt_int(total, lang)))
    return first


def section(kind: str, loader: Callable[[int], pd.DataFrame], lines: Callable[[dict], list[tuple[str, str]]],
            total: int) -> None:
    st.caption(c.t(f"quality.{kind}_help"))
    first = pager(kind, total)
    df = loader(first)
    if df.empty:
        st.success(c.t("quality.none"), icon=":material/check_circle:")
        return
    row = selectable(df, obs_table(df), key=f"w_q_{kind}")
    if row is not None:
        review.value_panel(c, row, key=f"q_{kind}")  # review mode only
        fix(lines(row))


def reject_and_correct(row: dict, reason_key: str, **changes: object) -> list[tuple[str, str]]:
    return [
        (c.t("quality.line_reject"), curation_line("reject", row, reviewer=REVIEWER, reason=c.t(reason_key))),
        (c.t("quality.line_correct"), curation_line("correct", row, reviewer=REVIEWER, reason=c.t(reason_key),
                                                    **changes)),
    ]


# One section at a time (only the chosen one is queried and sent to the browser), kept in the URL (q=...);
# "auto" opens the first one with something to check.
COUNTS = {"conflicts": int(summary["n_conflicts"]), "unknown_year": int(summary["n_unknown_year"]),
          "unknown_province": int(summary["n_unknown_province"]),
          "low_confidence": int(summary["n_low_confidence"]), "failed": int(summary["n_failed"])}
SECTIONS = [s for s in state.QUALITY_SECTIONS if s != "auto"]
chosen = c.view.section
if chosen == "auto":
    chosen = next((s for s in COUNTS if COUNTS[s] > 0), "how")


def _section_changed() -> None:
    view = st.session_state[widgets.VIEW]
    picked = st.session_state.get(widgets.lang_key("w_quality_section"))
    st.session_state[widgets.VIEW] = replace(view, section=picked or "auto")


def _section_label(s: str) -> str:
    return c.t(f"quality.{s}") + (f" · {fmt_int(COUNTS[s], lang)}" if s in COUNTS else "")


chosen = st.segmented_control(c.t("quality.section"), SECTIONS, format_func=_section_label, required=True,
                              label_visibility="collapsed", on_change=_section_changed,
                              **widgets.bind("w_quality_section", chosen)) or chosen

if chosen == "conflicts":
    st.caption(c.t("quality.conflicts_help"))
    first = pager("conflicts", COUNTS["conflicts"])
    groups = data.load("conflict_groups", limit=PAGE_ROWS, offset=first)
    if groups.empty:
        st.success(c.t("quality.none"), icon=":material/check_circle:")
    else:
        st.caption(c.t("quality.n_conflicts", n=fmt_int(summary["n_conflicts"], lang)))
        summary_table = pd.DataFrame({
            c.t("col.indicator"): [c.iname(i) for i in groups["indicator_id"]],
            c.t("col.province"): [c.pname(p) for p in groups["province_id"]],
            c.t("col.year"): groups["year"].astype(int).to_numpy(),
            c.t("col.scope"): [c.opt("scope", s) for s in groups["scope"]],
            c.t("col.kind"): [c.t("kind.target" if t else "kind.achieved") for t in groups["is_target"]],
            c.t("quality.shown_value"): [fmt_value(v, u, q, lang) for v, u, q in
                                         zip(groups["chosen_value"], groups["unit"], groups["qualifier"],
                                             strict=True)],
            c.t("col.sources"): [f"{int(n)} ({int(d)} ≠)" for n, d in
                                 zip(groups["n_sources"], groups["n_disagree"], strict=True)],
        })
        event = widgets.dataframe(summary_table, hide_index=True, key="w_q_conflicts", on_select="rerun",
                             selection_mode="single-row", height=widgets.table_height(len(summary_table), 320),
                             column_config={c.t("col.year"): st.column_config.NumberColumn(format="%d")})
        picked = getattr(getattr(event, "selection", None), "rows", None) or [0]
        g = groups.iloc[min(picked[0], len(groups) - 1)]
        cands = data.load("candidates", g["province_id"], int(g["year"]), g["indicator_id"], g["scope"],
                          bool(g["is_target"]))
        st.markdown("**" + c.t("quality.candidates", indicator=c.iname(g["indicator_id"]),
                                province=c.pname(g["province_id"]), year=int(g["year"])) + "**")
        cand_table = pd.DataFrame({
            c.t("quality.chosen"): cands["chosen"].astype(bool).to_numpy(),
            c.t("col.value"): [fmt_value(v, u, q, lang) for v, u, q in
                               zip(cands["value"], cands["unit"], cands["qualifier"], strict=True)],
            c.t("sources.published"): [("–" if pd.isna(p) else pd.Timestamp(p).strftime("%d/%m/%Y"))
                                       for p in cands["published"]],
            c.t("quality.confidence"): [fmt_number(x, lang, 2) for x in cands["confidence"]],
            c.t("sources.review"): [c.opt("review", s) for s in cands["review_status"]],
            c.t("col.doc"): [t or d for t, d in zip(cands["doc_title"], cands["doc_id"], strict=True)],
            c.t("col.evidence"): cands["evidence"].to_numpy(),
            c.t("col.link"): [widgets.source_link(d, o, c.view) for d, o in zip(cands["doc_id"], cands["obs_id"],
                                                                        strict=True)],
        })
        widgets.dataframe(cand_table, hide_index=True, column_config=TABLE_CONFIG)
        review.pick_panel(c, cands, key="q_conflicts")  # review mode only
        st.caption(c.t("quality.rule"))
        lines = []
        for r in cands.to_dict("records"):
            label = c.t("quality.line_reject_one", value=fmt_value(r["value"], r["unit"], r["qualifier"], lang),
                        doc=r["doc_id"])
            lines.append((label, curation_line("reject", r, reviewer=REVIEWER,
                                               reason=c.t("quality.reason_conflict"))))
        fix(lines, one_block=c.t("quality.lines_one_block", n=fmt_int(len(lines), lang)))

elif chosen == "unknown_year":
    section("unknown_year", lambda first: data.load("unknown_year", limit=PAGE_ROWS, offset=first),
            lambda r: reject_and_correct(r, "quality.reason_year", new_year="YYYY"), int(summary["n_unknown_year"]))
elif chosen == "unknown_province":
    section("unknown_province", lambda first: data.load("unknown_province", limit=PAGE_ROWS, offset=first),
            lambda r: reject_and_correct(r, "quality.reason_province", new_province="PROVINCE"),
            int(summary["n_unknown_province"]))
elif chosen == "low_confidence":
    section("low_confidence",
            lambda first: data.load("low_confidence", threshold=threshold, limit=PAGE_ROWS, offset=first),
            lambda r: reject_and_correct(r, "quality.reason_low", new_value="NEW_VALUE"),
            int(summary["n_low_confidence"]))
elif chosen == "failed":
    st.caption(c.t("quality.failed_help"))
    failed = data.load("failed_documents")
    if failed.empty:
        st.success(c.t("quality.none"), icon=":material/check_circle:")
    else:
        widgets.dataframe(pd.DataFrame({
            c.t("sources.file"): failed["doc_id"].to_numpy(),
            c.t("sources.status"): [c.opt("status", s) for s in failed["status"]],
            c.t("quality.error"): failed["error"].to_numpy(),
            c.t("quality.path"): failed["path"].to_numpy(),
        }), hide_index=True)
        st.markdown(c.t("quality.failed_fix"))
else:
    st.markdown(c.t("quality.how_body"))
    st.code(header_line(), language="csv")
    st.code("ictdash etl data/reports --db data/ictdash.duckdb", language="bash")
