"""The review mode's controls (issue 13): drawn only when this server was started with a reviewer.

`REVIEWER` is read ONCE, when this module is first imported, from the server's environment
(ICTDASH_REVIEWER, set by `ictdash review --reviewer "Tên"` / `make review`). A managers' server
(`make run`) has none: every function here then returns before drawing anything, so no URL parameter,
session value or widget key can reach `etl.review`'s writer (which also refuses an empty reviewer).

Pages call `value_panel` where one value is shown (sources page focus, data-quality lists, review queue)
and `add_panel` under a document's values; the queue page is `queue_page`. An action is checked
(etl/review.py), written as one line of the curation file, and the warehouse refreshed (curation only);
the page then reruns and shows the value with its new status.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from etl import queries
from etl import review as rv
from etl.curation import KNOWN_SCOPES
from etl.ui import data
from etl.ui.fmt import fmt_int

REVIEWER: str | None = rv.reviewer_from_env()
FLASH = "rv_flash"
NONCE = "rv_nonce"  # bumped after a saved action: the forms come back empty
QUEUE_ROWS = 200

_TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Kiểm tra giá trị này", "en": "Review this value"},
    "as": {"vi": "Người kiểm tra: **{who}**", "en": "Reviewer: **{who}**"},
    "done": {"vi": "Đã kiểm tra: **{status}** bởi {who} — {reason}",
             "en": "Reviewed: **{status}** by {who} — {reason}"},
    "confirm": {"vi": "Xác nhận", "en": "Confirm"},
    "reject": {"vi": "Loại", "en": "Reject"},
    "correct": {"vi": "Hiệu chỉnh", "en": "Correct"},
    "confirm_help": {"vi": "Giá trị đúng như văn bản nói.", "en": "The value is right as the text states it."},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "reason_optional": {"vi": "Ghi chú (không bắt buộc)", "en": "Note (optional)"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "year": {"vi": "Năm", "en": "Year"},
    "province": {"vi": "Tỉnh/thành", "en": "Province"},
    "scope": {"vi": "Phạm vi", "en": "Scope"},
    "target": {"vi": "Là chỉ tiêu (mục tiêu), không phải kết quả", "en": "A target, not an achieved value"},
    "indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "evidence": {"vi": "Câu trong văn bản nêu giá trị (chép nguyên văn)",
                 "en": "The sentence of the document stating the value (copied as is)"},
    "add_title": {"vi": "Thêm giá trị máy bỏ sót", "en": "Add a value the machine missed"},
    "add": {"vi": "Thêm giá trị", "en": "Add value"},
    "saved": {"vi": "Đã lưu: {what} (dòng {line} của {file}); cập nhật sau {seconds} giây.",
              "en": "Saved: {what} (line {line} of {file}); visible after {seconds} s."},
    "not_refreshed": {"vi": "Đã lưu dòng {line} của {file}, nhưng chưa cập nhật được kho dữ liệu ({error}); "
                            "thay đổi sẽ hiện sau lần chạy `ictdash etl` kế tiếp.",
                      "en": "Saved as line {line} of {file}, but the warehouse could not be refreshed ({error}); "
                            "the change shows after the next `ictdash etl`."},
    "line_warning": {"vi": "Cảnh báo của dòng vừa lưu: {msg}", "en": "Warning about the saved line: {msg}"},
    "queue_title": {"vi": "Hàng chờ kiểm tra", "en": "Review queue"},
    "queue_intro": {"vi": "Các giá trị máy đọc chưa ai kiểm tra, quan trọng trước: 4 chỉ số chính, nguồn "
                          "không khớp, độ tin cậy thấp, nhảy vọt so với năm trước của tỉnh, năm/tỉnh chưa rõ.",
                    "en": "Machine-read values no person has checked, most important first: the four headline "
                          "indicators, sources that disagree, low confidence, a jump against the province's "
                          "previous year, an unknown year or province."},
    "left": {"vi": "Còn lại", "en": "Left"},
    "checked": {"vi": "Đã kiểm tra", "en": "Checked"},
    "r.headline": {"vi": "Chỉ số chính", "en": "Headline"},
    "r.disagree": {"vi": "Nguồn không khớp", "en": "Sources disagree"},
    "r.low_confidence": {"vi": "Tin cậy thấp", "en": "Low confidence"},
    "r.jump": {"vi": "Nhảy vọt", "en": "Jump"},
    "r.unresolved": {"vi": "Năm/tỉnh chưa rõ", "en": "Year/province unknown"},
    "filter": {"vi": "Lọc theo lý do", "en": "Filter by reason"},
    "all": {"vi": "Tất cả", "en": "All"},
    "why": {"vi": "Lý do xếp hàng", "en": "Why"},
    "previous": {"vi": "Năm trước", "en": "Previous year"},
    "by_indicator": {"vi": "Còn lại theo chỉ số", "en": "Left by indicator"},
    "by_province": {"vi": "Còn lại theo tỉnh", "en": "Left by province"},
    "flagged": {"vi": "Cần xem trước", "en": "Flagged"},
    "empty": {"vi": "Không còn giá trị nào chờ kiểm tra.", "en": "Nothing left to review."},
    "pick": {"vi": "Chọn một dòng để kiểm tra giá trị đó.", "en": "Pick a row to review that value."},
    "open_source": {"vi": "Mở văn bản nguồn", "en": "Open the source document"},
    "off": {"vi": "Chế độ kiểm tra chưa bật. Chạy `ictdash review --reviewer \"Tên\"` (hoặc `make review "
                  "REVIEWER=\"Tên\"`).",
            "en": "Review mode is off. Start `ictdash review --reviewer \"Name\"` (or `make review "
                  "REVIEWER=\"Name\"`)."},
    "pick_candidate": {"vi": "Nguồn cần kiểm tra", "en": "Source to review"},
}


def enabled() -> bool:
    """True only in a server started with a reviewer (read once, at import)."""
    return REVIEWER is not None


def _t(key: str, lang: str, **fmt: Any) -> str:
    entry = _TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["vi"]
    return text.format(**fmt) if fmt else text


def _nonce() -> int:
    return int(st.session_state.get(NONCE, 0))


def _curation() -> Path:
    return rv.curation_path()


def show_flash() -> None:
    """The outcome of the last action (kept across the rerun that shows it), once."""
    flash = st.session_state.pop(FLASH, None)
    if not flash:
        return
    kind, text = flash
    (st.success if kind == "ok" else st.warning)(text, icon=":material/task_alt:" if kind == "ok"
                                                 else ":material/warning:")


def _save(lang: str, make: Callable[[dict, dict, set], rv.Action]) -> None:
    """Check, write one line, refresh the warehouse, rerun; a problem is shown and nothing is written."""
    if REVIEWER is None:  # never reached without a reviewer (nothing is drawn), but the writer stays shut
        return
    db = data.db_path()
    try:
        with queries._connect(db) as con:
            bounds, units, provinces = rv.warehouse_bounds(con)
            action = make(bounds, units, provinces)
            rv.preflight(con, action)
        line = rv.append_line(_curation(), action.row)
    except rv.ReviewError as exc:
        st.error(exc.text(lang), icon=":material/block:")
        return
    name = _curation().name
    try:
        done = rv.refresh(db, _curation(), lines=(line,))
    except Exception as exc:  # noqa: BLE001 - the line is saved; say why the warehouse lags behind
        st.session_state[FLASH] = ("warn", _t("not_refreshed", lang, line=line, file=name, error=str(exc)[:200]))
    else:
        text = _t("saved", lang, what=action.summary, line=line, file=name, seconds=f"{done.seconds:.1f}")
        if done.line_messages:
            text += "\n\n" + "\n\n".join(_t("line_warning", lang, msg=m) for m in done.line_messages)
        st.session_state[FLASH] = ("ok" if not done.line_messages else "warn", text)
    data.clear()
    st.session_state[NONCE] = _nonce() + 1
    st.rerun()


def value_panel(c: Any, obs: dict[str, Any], *, key: str) -> None:
    """Confirm / reject / correct one value (a row of observations with doc_id, obs_id, review_status)."""
    if REVIEWER is None:
        return
    lang = c.lang
    show_flash()
    with st.container(border=True, key=f"rv_panel_{key}"):
        st.markdown(f"**{_t('title', lang)}** · " + _t("as", lang, who=_md(REVIEWER)))
        status = obs.get("review_status") or "machine"
        if status != "machine" or obs.get("origin") == "curated_added":
            st.markdown(_t("done", lang, status=c.opt("review", status), who=_md(obs.get("reviewer") or "–"),
                           reason=_md(obs.get("review_reason") or "–")))
            return
        n = _nonce()
        uid = f"{key}_{obs['obs_id']}_{n}"
        t_confirm, t_reject, t_correct = st.tabs([_t("confirm", lang), _t("reject", lang), _t("correct", lang)])
        with t_confirm, st.form(f"rv_confirm_{uid}", border=False):
            st.caption(_t("confirm_help", lang))
            note = st.text_input(_t("reason_optional", lang), key=f"rv_confirm_reason_{uid}", max_chars=rv.MAX_REASON)
            if st.form_submit_button(_t("confirm", lang), icon=":material/check:", type="primary"):
                _save(lang, lambda b, u, p: rv.confirm(obs, REVIEWER, note))
        with t_reject, st.form(f"rv_reject_{uid}", border=False):
            why = st.text_input(_t("reason", lang), key=f"rv_reject_reason_{uid}", max_chars=rv.MAX_REASON)
            if st.form_submit_button(_t("reject", lang), icon=":material/close:"):
                _save(lang, lambda b, u, p: rv.reject(obs, REVIEWER, why))
        with t_correct, st.form(f"rv_correct_{uid}", border=False):
            a, b = st.columns(2)
            value = a.text_input(_t("value", lang), value=rv._number(obs["value"]), key=f"rv_correct_value_{uid}")
            year = b.number_input(_t("year", lang), value=None if rv._blank(obs.get("year")) else int(obs["year"]),
                                  min_value=1900, max_value=2100, step=1, key=f"rv_correct_year_{uid}")
            provs = c.province_ids()
            current = obs.get("province_id")
            province = a.selectbox(_t("province", lang), provs, format_func=c.pname, key=f"rv_correct_province_{uid}",
                                   index=provs.index(current) if current in provs else None)
            scopes = list(KNOWN_SCOPES)
            scope = b.selectbox(_t("scope", lang), scopes, format_func=lambda s: c.opt("scope", s),
                                index=scopes.index(obs["scope"]) if obs.get("scope") in scopes else 0,
                                key=f"rv_correct_scope_{uid}")
            target = st.checkbox(_t("target", lang), value=bool(obs.get("is_target")), key=f"rv_correct_target_{uid}")
            why2 = st.text_input(_t("reason", lang), key=f"rv_correct_reason_{uid}", max_chars=rv.MAX_REASON)
            if st.form_submit_button(_t("correct", lang), icon=":material/edit:"):
                _save(lang, lambda bnd, u, p: rv.correct(obs, REVIEWER, why2, bounds=bnd, provinces=p, value=value,
                                                         year=year, province=province, scope=scope,
                                                         is_target=target))


def add_panel(c: Any, doc_id: str, doc: dict[str, Any], text: str) -> None:
    """A value the machine missed in this document (its evidence must be in the text)."""
    if REVIEWER is None:
        return
    lang = c.lang
    show_flash()
    uid = f"{doc_id}_{_nonce()}"
    with st.expander(_t("add_title", lang), icon=":material/add_circle:"), st.form(f"rv_add_{uid}", border=False):
        inds = c.indicator_ids()
        indicator = st.selectbox(_t("indicator", lang), inds, format_func=c.iname, index=None,
                                 key=f"rv_add_indicator_{uid}")
        a, b = st.columns(2)
        value = a.text_input(_t("value", lang), key=f"rv_add_value_{uid}")
        published = doc.get("published")
        default_year = None if published is None or pd.isna(published) else pd.Timestamp(published).year
        year = b.number_input(_t("year", lang), value=default_year, min_value=1900, max_value=2100, step=1,
                              key=f"rv_add_year_{uid}")
        provs = c.province_ids()
        home = doc.get("province_id")
        province = a.selectbox(_t("province", lang), provs, format_func=c.pname, key=f"rv_add_province_{uid}",
                               index=provs.index(home) if home in provs else None)
        scopes = list(KNOWN_SCOPES)
        scope = b.selectbox(_t("scope", lang), scopes, format_func=lambda s: c.opt("scope", s),
                            key=f"rv_add_scope_{uid}")
        target = st.checkbox(_t("target", lang), key=f"rv_add_target_{uid}")
        evidence = st.text_area(_t("evidence", lang), key=f"rv_add_evidence_{uid}", max_chars=rv.MAX_EVIDENCE)
        why = st.text_input(_t("reason_optional", lang), key=f"rv_add_reason_{uid}", max_chars=rv.MAX_REASON)
        if st.form_submit_button(_t("add", lang), icon=":material/add:", type="primary"):
            if indicator is None:
                st.error(_t("indicator", lang) + (": bắt buộc" if lang == "vi" else ": required"),
                         icon=":material/block:")
                return
            _save(lang, lambda bnd, units, p: rv.add(doc_id, text, REVIEWER, why, indicator=indicator, value=value,
                                                     year=year, province=province or "", evidence=evidence,
                                                     bounds=bnd, provinces=p, units=units, scope=scope,
                                                     is_target=target))


def pick_panel(c: Any, rows: pd.DataFrame, *, key: str) -> None:
    """A value panel for one of several rows (e.g. the sources of a conflict): a picker, then the panel."""
    if REVIEWER is None or rows.empty:
        return
    records = rows.to_dict("records")
    labels = [f"{r.get('doc_title') or r['doc_id']} · {rv._number(r['value'])}" for r in records]
    i = st.selectbox(_t("pick_candidate", c.lang), range(len(records)), format_func=lambda k: labels[k],
                     key=f"rv_pick_{key}")
    value_panel(c, records[i or 0], key=key)


# --- the queue page ---------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _queue(path: str, version: str, headline: tuple[str, ...], reason: str | None, limit: int,
           offset: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    with queries._connect(path) as con:
        return (rv.queue(con, headline, reason=reason, limit=limit, offset=offset),
                rv.queue_counts(con, headline))


def queue_page(c: Any, headline: tuple[str, ...]) -> None:
    lang = c.lang
    st.title(_t("queue_title", lang))
    if REVIEWER is None:
        st.info(_t("off", lang), icon=":material/lock:")
        return
    st.caption(_t("queue_intro", lang))
    st.markdown(_t("as", lang, who=_md(REVIEWER)))
    show_flash()
    path = data.db_path()
    reason = st.segmented_control(_t("filter", lang), [None, *rv.REASONS], key="rv_queue_reason",
                                  format_func=lambda r: _t("all", lang) if r is None else _t(f"r.{r}", lang))
    rows, counts = _queue(str(path), queries.db_version(path), tuple(headline), reason, QUEUE_ROWS, 0)
    m = st.columns(len(rv.REASONS) + 2)
    m[0].metric(_t("left", lang), fmt_int(counts["total"], lang))
    m[1].metric(_t("checked", lang), fmt_int(counts["checked"], lang))
    for col, r in zip(m[2:], rv.REASONS, strict=True):
        col.metric(_t(f"r.{r}", lang), fmt_int(counts[r], lang))
    if rows.empty:
        st.success(_t("empty", lang), icon=":material/check_circle:")
    else:
        why = [", ".join(_t(f"r.{r}", lang) for r in rv.REASONS if rec[r]) or "–"
               for rec in rows.to_dict("records")]
        table = pd.DataFrame({
            c.t("col.indicator"): [c.iname(i) for i in rows["indicator_id"]],
            c.t("col.province"): [c.pname(p) if isinstance(p, str) else "–" for p in rows["province_id"]],
            c.t("col.year"): ["–" if pd.isna(y) else str(int(y)) for y in rows["year"]],
            c.t("col.scope"): [c.opt("scope", s) for s in rows["scope"]],
            c.t("col.value"): [rv._number(v) for v in rows["value"]],
            _t("previous", lang): ["–" if pd.isna(v) else f"{rv._number(v)} ({int(y)})"
                                   for v, y in zip(rows["previous_value"], rows["previous_year"], strict=True)],
            _t("why", lang): why,
            c.t("col.evidence"): rows["evidence"].to_numpy(),
        })
        st.caption(_t("pick", lang))
        event = st.dataframe(table, hide_index=True, key="rv_queue_table", on_select="rerun",
                             selection_mode="single-row", height=min(420, 38 + 35 * len(table)))
        picked = getattr(getattr(event, "selection", None), "rows", None) or [0]
        row = rows.iloc[min(picked[0], len(rows) - 1)].to_dict()
        from etl.ui import widgets

        link = widgets.source_link(row["doc_id"], row["obs_id"], c.view)
        if link:
            st.markdown(f"[{_t('open_source', lang)}]({link})")
        value_panel(c, row, key="queue")
    left, right = st.columns(2)
    with left:
        st.markdown("**" + _t("by_indicator", lang) + "**")
        bi = counts["by_indicator"]
        st.dataframe(pd.DataFrame({c.t("col.indicator"): [c.iname(i) for i in bi["indicator_id"]],
                                   _t("left", lang): bi["n"].to_numpy(),
                                   _t("flagged", lang): bi["n_flagged"].to_numpy()}), hide_index=True)
    with right:
        st.markdown("**" + _t("by_province", lang) + "**")
        bp = counts["by_province"]
        st.dataframe(pd.DataFrame({c.t("col.province"): [c.pname(p) if isinstance(p, str) else "–"
                                                         for p in bp["province_id"]],
                                   _t("left", lang): bp["n"].to_numpy(),
                                   _t("flagged", lang): bp["n_flagged"].to_numpy()}), hide_index=True)


def with_status(c: Any, texts: Any, statuses: Any) -> list[str]:
    """Chart labels and hovers that say when a person checked the value: "22 · Đã hiệu chỉnh" (machine
    values keep their plain text). Drawn on every server: it is how managers see what was checked."""
    return [str(text) if not isinstance(s, str) or s == "machine" else f"{text} · {c.opt('review', s)}"
            for text, s in zip(texts, statuses, strict=True)]


def _md(text: Any) -> str:
    """Plain text inside markdown: the characters markdown would act on, escaped."""
    out = str(text)
    for ch in "\\`*_{}[]()#+-.!|<>~$":
        out = out.replace(ch, "\\" + ch)
    return out
