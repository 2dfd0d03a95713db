"""The shared sidebar, the view state's round trip through session state and URL, and small page helpers.

Flow of one script run (driven by dashboard.py):
1. `start()` reads `st.query_params`; when they differ from what the app last wrote (a new session, a
   link with parameters), the URL's valid values replace the session's view and any rejected values
   become a visible notice.
2. `sidebar()` draws the shared filters; widgets write back to the view through callbacks.
3. `commit()` writes the view to the URL (defaults left out), so a copied link reproduces it.
Pages read the view with `ctx()` and change it with `commit(view)` (page-level widgets).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from etl.ui import data, state
from etl.ui.fmt import fmt_int, md_escape, vi_sorted
from etl.ui.i18n import DEFAULT_LANG, LANGS, t, t_opt
from etl.ui.state import Known, ViewState

VIEW = "_view"
WRITTEN = "_url_written"
NOTICES = "_url_notices"
CTX = "_ctx"
HEADLINE = ("bts_stations", "fibre_coverage_pct", "digital_economy_share_pct", "email_agencies_pct")


@dataclass
class Ctx:
    """What a page needs besides its own queries: language, view, catalog and province names."""

    lang: str
    view: ViewState
    known: Known
    provinces: pd.DataFrame  # indexed by province_id
    indicators: pd.DataFrame  # indexed by indicator_id

    def t(self, key: str, **fmt: Any) -> str:
        return t(key, self.lang, **fmt)

    def opt(self, prefix: str, value: str | None) -> str:
        return t_opt(prefix, value, self.lang)

    # Names are looked up once per row of every table: plain dicts, built once per language, instead of
    # a pandas row lookup each time (tens of microseconds each, seconds for a 5,000-row table).
    _names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict, init=False, repr=False)
    _iattrs: dict[str, dict[str, Any]] | None = field(default=None, init=False, repr=False)
    _orders: dict[tuple[str | None, str], list[str]] = field(default_factory=dict, init=False, repr=False)

    def _name_map(self, kind: str) -> dict[str, str]:
        names = self._names.get((kind, self.lang))
        if names is None:
            if kind == "province":
                after = t("province.after_2025", self.lang)
                frame = self.provinces
                col = "name" if self.lang == "vi" else "name_en"
                names = {pid: (f"{name} {after}" if scheme == "34" else str(name))
                         for pid, name, scheme in zip(frame.index, frame[col], frame["scheme"], strict=True)}
            else:
                col = "name_vi" if self.lang == "vi" else "name_en"
                names = {iid: str(name) for iid, name in zip(self.indicators.index, self.indicators[col],
                                                             strict=True)}
            self._names[(kind, self.lang)] = names
        return names

    def pname(self, province_id: str | None) -> str:
        names = self._name_map("province")
        if province_id is None or province_id not in names:
            return str(province_id or "")
        return names[province_id]

    def iname(self, indicator_id: str | None) -> str:
        names = self._name_map("indicator")
        if indicator_id is None or indicator_id not in names:
            return str(indicator_id or "")
        return names[indicator_id]

    def iattr(self, indicator_id: str, column: str, default: Any = None) -> Any:
        if self._iattrs is None:
            self._iattrs = {iid: dict(zip(self.indicators.columns, row, strict=True))
                            for iid, row in zip(self.indicators.index,
                                                self.indicators.itertuples(index=False, name=None), strict=True)}
        attrs = self._iattrs.get(indicator_id)
        if attrs is None or column not in attrs:
            if attrs is None:
                return default
            raise KeyError(column)
        value = attrs[column]
        return default if value is None or (isinstance(value, float) and value != value) else value

    def idef(self, indicator_id: str) -> str:
        """Definition and source of an indicator, for help texts and captions."""
        definition = self.iattr(indicator_id, f"definition_{self.lang}") or self.iattr(indicator_id, "definition_vi")
        source = self.iattr(indicator_id, "source")
        unit = t_opt("unit", self.iattr(indicator_id, "unit"), self.lang)
        parts = [self.iname(indicator_id)]
        if definition:
            parts.append(str(definition))
        parts.append(self.t("indicator.unit", unit=unit))
        if source:
            parts.append(self.t("indicator.source", source=source))
        return " — ".join(parts)

    def province_ids(self, scheme: str | None = None) -> list[str]:
        """Province ids of one scheme (or both), in Vietnamese alphabetical order of their shown names."""
        order = self._orders.get((scheme, self.lang))
        if order is None:
            ids = self.provinces.index if scheme is None else self.provinces.index[self.provinces["scheme"] == scheme]
            order = self._orders[(scheme, self.lang)] = vi_sorted(ids, key=self.pname)
        return list(order)

    @property
    def scope_filter(self) -> str | None:
        """The view's scope as the queries take it: None keeps every scope ("any")."""
        return None if self.view.scope == "any" else self.view.scope

    def indicator_ids(self) -> list[str]:
        return list(self.indicators.index)

    def years(self) -> tuple[int | None, int | None]:
        return state.year_bounds(self.view, self.known)


# ---------------------------------------------------------------------------------------------------
# view state <-> session <-> URL


def _query_dict() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


def current_lang() -> str:
    """The language before anything else runs (page titles need it): session view, else URL, else vi."""
    view = st.session_state.get(VIEW)
    if isinstance(view, ViewState) and st.session_state.get(WRITTEN) == _flat(_query_dict()):
        return view.lang
    lang = st.query_params.get("lang")
    if lang in LANGS:
        return lang
    return view.lang if isinstance(view, ViewState) else DEFAULT_LANG


def _flat(q: dict[str, list[str]]) -> dict[str, str]:
    return {k: ",".join(v) for k, v in q.items()}


def load_known() -> tuple[Known, pd.DataFrame, pd.DataFrame]:
    provs = data.load("provinces").set_index("province_id", drop=False)
    inds = data.load("indicators").set_index("indicator_id", drop=False)
    years = data.load("year_range")
    y0 = years["min_year"].iloc[0] if len(years) else None
    y1 = years["max_year"].iloc[0] if len(years) else None
    known = Known(
        provinces=frozenset(provs.index),
        indicators=frozenset(inds.index),
        regions=frozenset(r for r in provs["region"].dropna().unique()),
        min_year=None if pd.isna(y0) else int(y0),
        max_year=None if pd.isna(y1) else int(y1),
    )
    return known, provs, inds


def start() -> Ctx:
    """Adopt the URL into the session's view when it changed from outside; store the page context."""
    known, provs, inds = load_known()
    query = _query_dict()
    view = st.session_state.get(VIEW)
    if not isinstance(view, ViewState):
        view = ViewState()
    if _flat(query) != st.session_state.get(WRITTEN):
        parsed = state.parse_query(query, known)
        view = state.merge(view, parsed)
        st.session_state[NOTICES] = parsed.notices
    st.session_state[VIEW] = view
    context = Ctx(lang=view.lang, view=view, known=known, provinces=provs, indicators=inds)
    st.session_state[CTX] = context
    return context


def ctx() -> Ctx:
    """The current page context (set up by dashboard.py in this run)."""
    context = st.session_state.get(CTX)
    if not isinstance(context, Ctx):
        raise RuntimeError("dashboard.py has not set up the page context")
    context.view = st.session_state.get(VIEW, context.view)
    return context


def commit(view: ViewState | None = None) -> None:
    """Store the view and mirror it in the URL (defaults left out)."""
    if view is None:
        view = st.session_state.get(VIEW, ViewState())
    st.session_state[VIEW] = view
    context = st.session_state.get(CTX)
    if isinstance(context, Ctx):
        context.view = view
        context.lang = view.lang
    query = state.to_query(view)
    if _flat(_query_dict()) != query:
        st.query_params.from_dict(query)
    st.session_state[WRITTEN] = query


def show_notices(lang: str) -> None:
    """Say which URL values were ignored (once, on the run that read them)."""
    notices = st.session_state.pop(NOTICES, None) or []
    if not notices:
        return
    lines = [t(key, lang, **{k: md_escape(v) for k, v in fields.items()}) for key, fields in notices]
    st.warning(t("notice.title", lang) + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/warning:")


def _set_field(key: str, field: str, convert: Callable[[Any], Any]) -> None:
    view = st.session_state.get(VIEW, ViewState())
    st.session_state[VIEW] = replace(view, **{field: convert(st.session_state.get(lang_key(key)))})


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return a == b


def lang_key(key: str) -> str:
    """A widget's key qualified by the interface language.

    Streamlit keeps a keyed widget's displayed option labels (format_func) across reruns, so after a
    language switch a selectbox would go on showing the Vietnamese label and a radio would lose its
    selection. A key per language makes the switch draw new widgets; `bind` gives them the view's value.
    """
    view = st.session_state.get(VIEW)
    return f"{key}.{getattr(view, 'lang', DEFAULT_LANG)}"


def bind(key: str, widget_value: Any) -> dict[str, Any]:
    """Make a widget show the view's value: the view is the truth, the widget mirrors it.

    Call right before drawing the widget; returns the kwargs to pass it (its key). A user's change
    reaches the view through the widget's callback before the next run, so the two agree again.
    """
    key = lang_key(key)
    if key not in st.session_state or not _same(st.session_state[key], widget_value):
        st.session_state[key] = widget_value
    return {"key": key}


# ---------------------------------------------------------------------------------------------------
# the shared sidebar


def nav_links(pages: Sequence[st.Page], query: dict[str, str]) -> None:
    """The page menu: one link per page, each carrying the current view in its URL parameters."""
    with st.sidebar.container(key="ictdash_nav"):
        for p in pages:
            st.page_link(p, label=p.title, icon=p.icon, query_params=query or None, width="stretch")
    st.sidebar.divider()



def sidebar(c: Ctx) -> None:
    """Language and the shared filters; every change goes to the view, then to the URL."""
    lang = c.lang
    sb = st.sidebar
    lang_kw = bind("w_lang", c.view.lang)
    sb.segmented_control(
        t("sidebar.language", lang), list(LANGS), format_func=lambda x: t(f"lang.{x}", lang),
        required=True, on_change=_set_field, args=("w_lang", "lang", lambda v: v or DEFAULT_LANG), **lang_kw,
    )
    sb.header(t("sidebar.filters", lang))

    # the 63 provinces (to 6/2025) and the 34 (from 7/2025) as two lists: one view.provinces behind both
    for scheme, key, label, help_key, placeholder in (
            ("63", "w_provinces", "filter.provinces", "filter.provinces_63_help", "filter.provinces_placeholder"),
            ("34", "w_provinces34", "filter.provinces_34", "filter.provinces_34_help", "filter.provinces_34_placeholder")):
        ids = c.province_ids(scheme)
        kw = bind(key, [p for p in c.view.provinces if p in set(ids)])
        sb.multiselect(
            t(label, lang), ids, format_func=c.pname, help=t(help_key, lang),
            placeholder=t(placeholder, lang),
            # no "Select N matches" entry: Enter after typing "Lào" picked every match, not "Lào Cai"
            select_all=False, on_change=_set_provinces, args=(key, frozenset(ids)), **kw,
        )
    ind_ids = c.indicator_ids()
    kw = bind("w_indicators", list(c.view.indicators))
    sb.multiselect(
        t("filter.indicators", lang), ind_ids,
        format_func=lambda i: f"{c.iname(i)} ({t_opt('unit', c.iattr(i, 'unit'), lang)})",
        help=t("filter.indicators_help", lang), placeholder=t("filter.indicators_placeholder", lang),
        select_all=False,
        on_change=_set_field, args=("w_indicators", "indicators", lambda v: tuple(v or ())), **kw,
    )
    lo, hi = c.known.min_year, c.known.max_year
    if lo is not None and hi is not None and lo < hi:
        y0, y1 = c.years()
        kw = bind("w_years", (max(lo, y0 or lo), min(hi, y1 or hi)))
        sb.slider(t("filter.years", lang), min_value=lo, max_value=hi, step=1,
                  help=t("filter.years_help", lang), on_change=_set_years, args=(lo, hi), **kw)
    elif lo is not None:
        sb.caption(t("filter.one_year", lang, year=lo))
    kw = bind("w_scope", c.view.scope)
    sb.selectbox(
        t("filter.scope", lang), list(state.SCOPES), format_func=lambda s: t_opt("scope", s, lang),
        help=t("filter.scope_help", lang),
        on_change=_set_field, args=("w_scope", "scope", lambda v: v or "auto"), **kw,
    )
    kw = bind("w_per", c.view.per)
    sb.radio(
        t("filter.per", lang), list(state.PER), format_func=lambda p: t_opt("per", p or "none", lang),
        help=t("filter.per_help", lang), horizontal=False,
        on_change=_set_field, args=("w_per", "per", lambda v: v or ""), **kw,
    )
    sb.button(t("filter.reset", lang), on_click=_reset, icon=":material/restart_alt:")
    _build_info(c)


def _set_provinces(key: str, scheme_ids: frozenset[str]) -> None:
    """One scheme's list changed: keep the other scheme's provinces and the order of the selection."""
    picked = list(st.session_state.get(lang_key(key)) or ())
    view = st.session_state.get(VIEW, ViewState())
    kept = [p for p in view.provinces if p not in scheme_ids or p in picked]
    st.session_state[VIEW] = replace(view, provinces=tuple(kept + [p for p in picked if p not in kept]))


def _set_years(lo: int, hi: int) -> None:
    value = st.session_state.get(lang_key("w_years")) or (lo, hi)
    y0, y1 = int(value[0]), int(value[1])
    view = st.session_state.get(VIEW, ViewState())
    st.session_state[VIEW] = replace(view, y0=None if y0 == lo else y0, y1=None if y1 == hi else y1)


def _reset() -> None:
    view = st.session_state.get(VIEW, ViewState())
    st.session_state[VIEW] = ViewState(lang=view.lang)


def _build_info(c: Ctx) -> None:
    try:
        meta = data.load("meta")
    except data.WarehouseError:
        return
    info = dict(zip(meta["key"], meta["value"], strict=False))
    built = info.get("built_at", "?")
    stamp = pd.to_datetime(built, errors="coerce")
    if not pd.isna(stamp):
        built = stamp.strftime("%d/%m/%Y %H:%M" if c.lang == "vi" else "%Y-%m-%d %H:%M")
    st.sidebar.caption(t("sidebar.built", c.lang, built=md_escape(built, 40),
                         p63=fmt_int(len(c.province_ids("63")), c.lang),
                         p34=fmt_int(len(c.province_ids("34")), c.lang)))


# ---------------------------------------------------------------------------------------------------
# page helpers


def page_header(c: Ctx, title_key: str, intro_key: str | None = None) -> None:
    st.title(c.t(title_key))
    if intro_key:
        st.caption(c.t(intro_key))
    show_notices(c.lang)


def missing_db(lang: str, path: str) -> None:
    """The page shown instead of a traceback when there is no warehouse yet."""
    st.title(t("missing.title", lang))
    st.info(t("missing.body", lang, path=path.replace("`", "'")), icon=":material/database:")  # in a code span
    st.code("make run", language="bash")
    st.caption(t("missing.or", lang))
    st.code(f"ictdash etl data/reports --db {path}", language="bash")
    st.caption(t("missing.env", lang))


def warehouse_error(lang: str, detail: str) -> None:
    st.error(t("error.db_unreadable", lang), icon=":material/error:")
    with st.expander(t("error.details", lang)):
        st.code(detail[:2000])


def choose_one(
    c: Ctx, label: str, options: Sequence[str], current: str | None, key: str,
    format_func: Callable[[str], str], on_pick: Callable[[ViewState, str], ViewState], help: str | None = None,
    placeholder: str | None = None,
) -> str | None:
    """A selectbox for the page's focus item; picking one updates the view (and the URL)."""
    options = list(options)
    if not options:
        return None
    value = current if current in options else None
    kw = bind(key, value)

    def picked() -> None:
        chosen = st.session_state.get(lang_key(key))
        if chosen:
            view = st.session_state.get(VIEW, ViewState())
            st.session_state[VIEW] = on_pick(view, chosen)

    return st.selectbox(label, options, format_func=format_func, on_change=picked, help=help,
                        placeholder=placeholder or c.t("common.choose"), **kw)


def choose_year(c: Ctx, years: Sequence[int], key: str, label: str | None = None) -> int | None:
    """A year selectbox (bars, map) bound to the view's single year; defaults to the latest year."""
    years = sorted({int(y) for y in years}, reverse=True)
    if not years:
        return None
    current = c.view.year if c.view.year in years else years[0]
    kw = bind(key, current)

    def picked() -> None:
        view = st.session_state.get(VIEW, ViewState())
        st.session_state[VIEW] = replace(view, year=st.session_state.get(lang_key(key)))

    year = st.selectbox(label or c.t("common.year"), years, on_change=picked, **kw)
    return int(year) if year is not None else None


def source_link(doc_id: Any, obs_id: Any = None, view: ViewState | None = None) -> str | None:
    """Relative URL of the Sources page showing one document (and one value in it).

    With `view`, the link keeps the rest of the view (language, selection) so it opens the same way.
    """
    return source_links([doc_id], [obs_id], view)[0]


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def source_links(doc_ids: Iterable[Any], obs_ids: Iterable[Any] | None = None,
                 view: ViewState | None = None) -> list[str | None]:
    """`source_link` of many rows: the view's part of the URL is encoded once, not once per row.

    `doc` and `obs` are the view's last fields, so the URL is the view's parameters followed by them.
    """
    from urllib.parse import quote, urlencode

    base = urlencode(state.to_query(replace(view or ViewState(), doc=None, obs=None)))
    head = "sources?" + base + ("&" if base else "")
    docs = list(doc_ids)
    obs = list(obs_ids) if obs_ids is not None else [None] * len(docs)
    out: list[str | None] = []
    for doc_id, obs_id in zip(docs, obs, strict=True):
        if _absent(doc_id):
            out.append(None)
            continue
        extra = {state.PARAM_OF["doc"]: str(doc_id)}
        if not _absent(obs_id):
            extra[state.PARAM_OF["obs"]] = str(obs_id)
        out.append(head + urlencode(extra, quote_via=quote))  # a space as %20: " x.txt" keeps its space
    return out


def link_column(c: Ctx, label_key: str = "col.source") -> st.column_config.LinkColumn:
    return st.column_config.LinkColumn(c.t(label_key), display_text=c.t("common.open_source"),
                                       help=c.t("col.source_help"))


def escape(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ---------------------------------------------------------------------------------------------------
# tables of facts for people


def _rank_text(rank: Any, n: Any, lang: str) -> str:
    if rank is None or pd.isna(rank):
        return "–"
    return f"{int(rank)}/{fmt_int(n, lang)}" if n is not None and not pd.isna(n) else str(int(rank))


# the fields of a fact each column of `fact_table` reads
_FIELDS_OF: dict[str, tuple[str, ...]] = {
    "province": ("province_id",), "indicator": ("indicator_id",), "scope": ("scope",), "year": ("year",),
    "kind": ("is_target",), "value": ("value", "unit", "qualifier", "denominator"),
    "raw_value": ("raw_value", "raw_unit", "unit", "qualifier", "denominator"), "change": ("change",),
    "rank": ("rank", "n_ranked"), "median": ("median", "unit"), "diff": ("median", "value"),
    "sources": ("n_sources", "n_disagree"), "evidence": ("evidence",), "doc": ("doc_title", "doc_id"),
    "link": ("doc_id", "obs_id"), "status": ("review_status",),
}


def fact_table(c: Ctx, df: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Facts formatted for reading: names instead of ids, numbers in the interface's style.

    `columns` picks and orders: province, indicator, scope, year, kind, value, raw_value, change,
    rank, median, diff, sources, status (machine / confirmed / corrected / added), evidence, doc, link. Returns the frame (headers translated) and the
    `column_config` to pass to st.dataframe.
    """
    from etl.ui.fmt import fmt_change, fmt_value

    lang = c.lang
    out: dict[str, list[Any]] = {}
    needed = dict.fromkeys(f for col in columns for f in _FIELDS_OF.get(col, ()))
    rows = df[[f for f in needed if f in df.columns]].to_dict("records")  # only what the columns read
    for col in columns:
        if col == "province":
            out[col] = [c.pname(r["province_id"]) for r in rows]
        elif col == "indicator":
            out[col] = [c.iname(r["indicator_id"]) for r in rows]
        elif col == "scope":
            out[col] = [c.opt("scope", r["scope"]) for r in rows]
        elif col == "year":
            out[col] = [None if pd.isna(r["year"]) else int(r["year"]) for r in rows]
        elif col == "kind":
            out[col] = [c.t("kind.target" if r["is_target"] else "kind.achieved") for r in rows]
        elif col == "value":
            out[col] = [fmt_value(r["value"], r["unit"], r["qualifier"], lang, r.get("denominator")) for r in rows]
        elif col == "raw_value":
            out[col] = [fmt_value(r["raw_value"], r.get("raw_unit", r["unit"]), r["qualifier"], lang,
                                  r.get("denominator")) for r in rows]
        elif col == "change":
            out[col] = [fmt_change(r.get("change"), lang) for r in rows]
        elif col == "rank":
            out[col] = [_rank_text(r.get("rank"), r.get("n_ranked"), lang) for r in rows]
        elif col == "median":
            out[col] = [fmt_value(r.get("median"), r["unit"], "exact", lang) for r in rows]
        elif col == "diff":
            out[col] = [fmt_change(None if pd.isna(r.get("median")) else r["value"] - r["median"], lang)
                        for r in rows]
        elif col == "sources":
            out[col] = [_sources_text(c, r) for r in rows]
        elif col == "status":
            out[col] = [c.opt("review", r.get("review_status") or "machine") for r in rows]
        elif col == "evidence":
            out[col] = [r.get("evidence") for r in rows]
        elif col == "doc":
            out[col] = [r.get("doc_title") or r.get("doc_id") for r in rows]
        elif col == "link":
            out[col] = source_links([r.get("doc_id") for r in rows], [r.get("obs_id") for r in rows], c.view)
        else:
            raise ValueError(f"unknown column {col!r}")
    if "link" in out:
        out["link"] = pd.Series(out["link"], dtype="string")  # missing links stay empty, not "None"
    frame = pd.DataFrame(out, columns=list(columns))
    frame.columns = [c.t(f"col.{col}") for col in columns]
    config: dict[str, Any] = {}
    if "year" in columns:
        config[c.t("col.year")] = st.column_config.NumberColumn(c.t("col.year"), format="%d")
    if "link" in columns:
        config[c.t("col.link")] = link_column(c, "col.link")
    if "evidence" in columns:
        config[c.t("col.evidence")] = st.column_config.TextColumn(c.t("col.evidence"), width="large",
                                                                 help=c.t("col.evidence_help"))
    if "rank" in columns:
        config[c.t("col.rank")] = st.column_config.TextColumn(c.t("col.rank"), help=c.t("col.rank_help"))
    if "median" in columns:
        config[c.t("col.median")] = st.column_config.TextColumn(c.t("col.median"), help=c.t("col.median_help"))
    return frame, config


def _sources_text(c: Ctx, r: dict[str, Any]) -> str:
    n = r.get("n_sources")
    if n is None or pd.isna(n):
        return "–"
    text = fmt_int(n, c.lang)
    disagree = r.get("n_disagree")
    if disagree is not None and not pd.isna(disagree) and int(disagree) > 0:
        text += " " + c.t("col.sources_disagree", n=fmt_int(disagree, c.lang))
    return text


def table_height(n_rows: int, most: int) -> int:
    """Pixels for a table of `n_rows` (header + rows), at most `most`: a short table leaves no empty band."""
    return min(most, 38 + 35 * max(int(n_rows), 1))


def show_table(frame: pd.DataFrame, config: dict[str, Any], height: int | str = "auto",
               key: str | None = None) -> None:
    dataframe(frame, column_config=config, hide_index=True, height=height, key=key)


def dataframe(frame: pd.DataFrame, column_config: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """`st.dataframe` with missing cells shown as "–" instead of Streamlit's "None" (links and check
    boxes stay empty); a number column that gained a dash is shown as text."""
    config = dict(column_config or {})
    keep = [col for col, cfg in config.items()
            if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("type") in ("link", "checkbox")]
    filled = fill_missing(frame, keep)
    for col in filled.columns:
        cfg = config.get(col)
        if isinstance(cfg, dict) and filled[col].dtype == object and frame[col].dtype != object:
            config[col] = {k: v for k, v in cfg.items() if k != "type_config"}
    return st.dataframe(filled, column_config=config or None, **kwargs)


def per_note(c: Ctx, indicator_ids: Sequence[str]) -> None:
    """Say what the per-capita switch did (and that it leaves non-count indicators alone)."""
    if not c.view.per:
        return
    additive = [i for i in indicator_ids if bool(c.iattr(i, "additive", False))]
    key = "per.note_pop" if c.view.per == "pop" else "per.note_area"
    if additive:
        st.caption(c.t(key))
    else:
        st.caption(c.t("per.note_none"))


# ---------------------------------------------------------------------------------------------------
# never hide data silently


def _set_view(**changes: Any) -> None:
    view = st.session_state.get(VIEW, ViewState())
    st.session_state[VIEW] = replace(view, **changes)


def _who(c: Ctx, hidden: pd.DataFrame, column: str, most: int = 4) -> str:
    """ "Trà Vinh (2), Lào Cai (1) and 3 more": the provinces with something hidden in `column`."""
    rows = hidden[hidden[column] > 0].sort_values(column, ascending=False)
    names = [f"{c.pname(p)} ({fmt_int(n, c.lang)})" for p, n in zip(rows["province_id"], rows[column], strict=True)]
    text = ", ".join(names[:most])
    if len(names) > most:
        text += " " + c.t("hidden.more", n=fmt_int(len(names) - most, c.lang))
    return text


def hidden_notice(c: Ctx, *, key: str, provinces: Sequence[str] | None, indicators: Sequence[str] | None,
                  scope: str | None, y0: int | None = None, y1: int | None = None,
                  scope_page: tuple[str, ViewState] | None = None) -> set[str]:
    """Say how many values the view's choices hide (another scope, years outside the range, no known year)
    and offer the one click that shows them. Returns the ids of the provinces with hidden values.

    The scope click sets the view's scope to "any"; a page with a fixed scope passes `scope_page`
    (a page and the view to open it with) to send the user where every scope is shown instead.
    """
    hidden = data.load("hidden_counts", provinces=list(provinces) if provinces is not None else None,
                       indicators=list(indicators) if indicators is not None else None, y0=y0, y1=y1,
                       scope=scope, is_target=False)
    if hidden.empty:
        return set()
    totals = {col: int(hidden[col].sum()) for col in ("n_other_scope", "n_other_years", "n_unknown_year")}
    lines: list[str] = []
    with st.container(key=f"hidden_{key}"):
        if totals["n_other_scope"]:
            lines.append(c.t("hidden.other_scope", n=fmt_int(totals["n_other_scope"], c.lang),
                             scope=c.opt("scope", c.view.scope), who=_who(c, hidden, "n_other_scope")))
        if totals["n_other_years"]:
            lines.append(c.t("hidden.other_years", n=fmt_int(totals["n_other_years"], c.lang), y0=y0, y1=y1,
                             who=_who(c, hidden, "n_other_years")))
        if totals["n_unknown_year"]:
            lines.append(c.t("hidden.unknown_year", n=fmt_int(totals["n_unknown_year"], c.lang),
                             who=_who(c, hidden, "n_unknown_year")))
        st.info(c.t("hidden.title") + "\n\n" + "\n".join(f"- {md_escape(line, 400)}" for line in lines),
                icon=":material/visibility_off:")
        buttons = st.columns(3)
        from etl.ui import router

        if totals["n_other_scope"] and scope_page is not None:
            with buttons[0]:
                st.page_link(router.page_path(scope_page[0]), label=c.t("hidden.show_scopes"),
                             icon=":material/layers:", query_params=state.to_query(replace(scope_page[1], scope="any")))
        elif totals["n_other_scope"]:
            buttons[0].button(c.t("hidden.show_scopes"), key=f"{key}_show_scopes", icon=":material/layers:",
                              on_click=_set_view, kwargs={"scope": "any"})
        if totals["n_other_years"]:
            buttons[1].button(c.t("hidden.show_years"), key=f"{key}_show_years", icon=":material/date_range:",
                              on_click=_set_view, kwargs={"y0": None, "y1": None})
        if totals["n_unknown_year"]:
            target = replace(c.view, section="unknown_year")
            with buttons[2]:
                st.page_link(router.page_path("quality"), label=c.t("hidden.show_unknown"),
                             icon=":material/fact_check:", query_params=state.to_query(target))
    return set(hidden["province_id"])


def fill_missing(frame: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
    """Missing cells shown as "–" (Streamlit would print "None"); columns in `keep` (links) stay empty."""
    from etl.ui.fmt import MISSING

    out = frame.copy()
    skip = set(keep)
    for col in out.columns:
        if col in skip or not out[col].isna().any():
            continue
        values = out[col]
        if pd.api.types.is_numeric_dtype(values):
            if pd.api.types.is_integer_dtype(values) or all(float(v).is_integer() for v in values.dropna()):
                values = pd.Series([MISSING if pd.isna(v) else str(int(v)) for v in values], index=out.index)
            else:
                values = pd.Series([MISSING if pd.isna(v) else v for v in values], index=out.index, dtype=object)
        else:
            values = values.astype(object).where(values.notna(), MISSING)
        out[col] = values
    return out
