"""Nguồn / Sources: the documents, and one document with every value read from it marked in its text."""

from etl.ui.router import ensure_router

ensure_router()

import html  # noqa: E402
from dataclasses import replace  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from etl.ui import data, review, widgets  # noqa: E402
from etl.ui.fmt import fmt_int, fmt_value, md_escape  # noqa: E402
from etl.ui.highlight import Span, excerpt_html, highlight_html, locate, scroll_script  # noqa: E402

MAX_LISTED = 2_000

c = widgets.ctx()
lang = c.lang
widgets.page_header(c, "page.sources", "sources.intro")


def _open_doc(doc_id: str | None, obs_id: str | None = None) -> None:
    view = st.session_state[widgets.VIEW]
    st.session_state[widgets.VIEW] = replace(view, doc=doc_id, obs=obs_id)


def _date(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")


def document_list() -> None:
    s1, s2, s3 = st.columns([3, 2, 2])
    with s1:
        search = st.text_input(c.t("sources.search"), key="w_doc_search", placeholder=c.t("sources.search_ph"))
    with s2:
        status = st.selectbox(c.t("sources.status"), [None, "ok", "failed", "empty"], key=f"w_doc_status.{lang}",
                              format_func=lambda s: c.t("sources.status_any") if s is None else c.opt("status", s))
    with s3:
        provs = [None] + c.province_ids("63") + c.province_ids("34")
        focus = c.view.provinces[0] if c.view.provinces else None
        province = st.selectbox(c.t("col.province"), provs, key=f"w_doc_province.{lang}",
                                index=provs.index(focus) if focus in provs else 0,
                                format_func=lambda p: c.t("sources.province_any") if p is None else c.pname(p))
    filters = {"province_id": province, "status": status, "search": search or None}
    n_docs = int(data.load("count_documents", **filters)["n"].iloc[0])
    st.caption(c.t("sources.n_documents", n=fmt_int(n_docs, lang)))
    if n_docs == 0:
        st.info(c.t("sources.no_documents"), icon=":material/info:")
        return
    shown = data.load("documents", **filters, limit=MAX_LISTED)  # a long list is searched, not scrolled
    table = pd.DataFrame({
        c.t("sources.title"): [t if isinstance(t, str) and t else d for t, d in zip(shown["title"], shown["doc_id"],
                                                                                  strict=True)],
        c.t("sources.published"): [_date(p) for p in shown["published"]],
        c.t("col.province"): [c.pname(p) if isinstance(p, str) else "–" for p in shown["province_id"]],
        c.t("sources.status"): [c.opt("status", s) for s in shown["status"]],
        c.t("sources.n_values"): shown["n_values"].astype(int).to_numpy(),
        c.t("sources.file"): shown["doc_id"].to_numpy(),
        c.t("col.link"): widgets.source_links(shown["doc_id"], view=c.view),
    })

    def picked() -> None:
        selection = st.session_state.get("w_doc_table")
        rows = getattr(getattr(selection, "selection", None), "rows", None)
        if rows is None and isinstance(selection, dict):
            rows = selection.get("selection", {}).get("rows")
        if rows:
            _open_doc(str(shown["doc_id"].iloc[rows[0]]))

    st.caption(c.t("sources.pick_help"))
    widgets.dataframe(table, hide_index=True, key="w_doc_table", on_select=picked, selection_mode="single-row",
                 column_config={c.t("col.link"): widgets.link_column(c, "col.link")},
                 height=widgets.table_height(len(table), 520))


def document_view(doc_id: str) -> None:
    doc = data.load("document", doc_id)
    if doc.empty:
        st.warning(c.t("sources.doc_not_found", doc=md_escape(doc_id)), icon=":material/warning:")
        document_list()
        return
    d = doc.iloc[0]
    st.button(c.t("sources.back"), icon=":material/arrow_back:", on_click=_open_doc, args=(None, None))
    title = d["title"] if isinstance(d["title"], str) and d["title"] else doc_id
    st.html(f'<h3 style="margin:0.2rem 0">{html.escape(title)}</h3>')
    meta = [
        c.t("sources.file") + ": " + html.escape(doc_id),
        c.t("sources.published") + ": " + html.escape(_date(d["published"])),
        c.t("col.province") + ": " + html.escape(c.pname(d["province_id"]) if isinstance(d["province_id"], str)
                                                 else "–"),
        c.t("sources.status") + ": " + html.escape(c.opt("status", d["status"])),
    ]
    url = d.get("url")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        meta.append(f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                    f"{html.escape(c.t('sources.original'))}</a>")
    st.html('<div style="color:#555">' + " · ".join(meta) + "</div>")
    if d["status"] != "ok":
        st.error(c.t("sources.failed", error=md_escape(d.get("error") or "–", 300)), icon=":material/error:")
    text = d["text"] if isinstance(d["text"], str) else ""
    obs = data.load("document_observations", doc_id)
    focus = c.view.obs if c.view.obs in set(obs["obs_id"]) else None
    if c.view.obs and focus is None:
        st.warning(c.t("sources.obs_not_found", obs=md_escape(c.view.obs)), icon=":material/warning:")

    spans, unplaced = [], []
    for r in obs.to_dict("records"):
        where = locate(text, None if pd.isna(r["start_offset"]) else int(r["start_offset"]),
                       None if pd.isna(r["end_offset"]) else int(r["end_offset"]), r["evidence"])
        label = f"{c.iname(r['indicator_id'])}: {fmt_value(r['value'], r['unit'], r['qualifier'], lang)}"
        if where is None:
            unplaced.append(r["obs_id"])
        else:
            spans.append(Span(where[0], where[1], r["obs_id"], label, rejected=r["review_status"] == "rejected"))

    if focus is not None:
        r = obs[obs["obs_id"] == focus].iloc[0]
        with st.container(border=True):
            st.markdown("**" + c.t("sources.focus_title") + "**")
            st.markdown(c.t("sources.focus_value", indicator=md_escape(c.iname(r["indicator_id"]), 200),
                            value=md_escape(fmt_value(r["value"], r["unit"], r["qualifier"], lang,
                                                      r["denominator"]), 80),
                            province=md_escape(r["province_name"] or "–", 80),
                            year="–" if pd.isna(r["year"]) else int(r["year"]),
                            scope=c.opt("scope", r["scope"]),
                            kind=c.t("kind.target" if r["is_target"] else "kind.achieved")))
            span = next((s for s in spans if s.obs_id == focus), None)
            if span is not None:
                st.html(excerpt_html(text, span.start, span.end))
            else:
                st.caption(c.t("sources.not_located"))
        review.value_panel(c, {**r.to_dict(), "doc_id": doc_id}, key="src")  # review mode only

    st.subheader(c.t("sources.values", n=fmt_int(len(obs), lang)))
    if obs.empty:
        st.caption(c.t("sources.no_values"))
    else:
        table = pd.DataFrame({
            c.t("col.indicator"): [c.iname(i) for i in obs["indicator_id"]],
            c.t("col.province"): [p if isinstance(p, str) else "–" for p in obs["province_name"]],
            c.t("col.year"): [None if pd.isna(y) else int(y) for y in obs["year"]],
            c.t("col.scope"): [c.opt("scope", s) for s in obs["scope"]],
            c.t("col.kind"): [c.t("kind.target" if t else "kind.achieved") for t in obs["is_target"]],
            c.t("col.value"): [fmt_value(v, u, q, lang, dn) for v, u, q, dn in
                               zip(obs["value"], obs["unit"], obs["qualifier"], obs["denominator"], strict=True)],
            c.t("sources.review"): [c.opt("review", s) for s in obs["review_status"]],
            c.t("sources.shown"): obs["shown"].astype(bool).to_numpy(),
            c.t("col.evidence"): obs["evidence"].to_numpy(),
        })

        def picked() -> None:
            selection = st.session_state.get("w_obs_table")
            rows = getattr(getattr(selection, "selection", None), "rows", None)
            if rows is None and isinstance(selection, dict):
                rows = selection.get("selection", {}).get("rows")
            if rows:
                _open_doc(doc_id, str(obs["obs_id"].iloc[rows[0]]))

        st.caption(c.t("sources.values_help"))
        widgets.dataframe(table, hide_index=True, key="w_obs_table", on_select=picked, selection_mode="single-row",
                     column_config={
                         c.t("col.year"): st.column_config.NumberColumn(format="%d"),
                         c.t("sources.shown"): st.column_config.CheckboxColumn(help=c.t("sources.shown_help")),
                         c.t("col.evidence"): st.column_config.TextColumn(width="large"),
                     })
        if unplaced:
            st.caption(c.t("sources.unplaced", n=fmt_int(len(unplaced), lang)))
    review.add_panel(c, doc_id, d.to_dict(), text)  # review mode only

    st.subheader(c.t("sources.text"))
    if not text:
        st.info(c.t("sources.no_text"), icon=":material/info:")
        return
    st.caption(c.t("sources.text_help"))
    st.html(highlight_html(text, spans, focus))
    if focus is not None:
        st.html(scroll_script(focus), unsafe_allow_javascript=True)


if c.view.doc:
    document_view(c.view.doc)
else:
    document_list()
