"""The view lives in the URL: parse query parameters into a `ViewState` and back.

Pure functions, no Streamlit. Every value is checked against what the warehouse knows (`Known`);
anything else is dropped and reported as a `Notice` (an i18n key and its fields) for the page to show.
Only ids travel in the URL (province ids like 63-10, indicator ids), never names; defaults are left out.

| param | meaning                         | example                 |
|-------|---------------------------------|-------------------------|
| lang  | interface language              | lang=en                 |
| p     | provinces, comma-separated      | p=63-10,63-27           |
| i     | indicators, comma-separated     | i=bts_stations          |
| y0,y1 | year range                      | y0=2013&y1=2024         |
| y     | the one year (bars, map)        | y=2020                  |
| sc    | scope (auto = headline scope,   | sc=commune              |
|       | any = every scope)              |                         |
| s     | province scheme of the map      | s=34                    |
| per   | counts per 10,000 people / area | per=pop                 |
| r     | regions (explorer)              | r=Tây Nguyên            |
| t     | achieved / target / all         | t=target                |
| rs    | review statuses (explorer)      | rs=corrected,added      |
| doc   | a document (sources page)       | doc=001_x.txt           |
| obs   | a value in that document        | obs=ab12                |
| q     | quality page section            | q=unknown_year          |
| th    | low-confidence threshold        | th=0.7                  |
| tg    | trends: plans shown or hidden   | tg=off                  |
| wt    | indicator workspace: plans      | wt=on                   |
| tab   | indicator workspace: the tab    | tab=map                 |
|       | (`ind` is read as `i` too)      | ind=bts_stations        |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

LANGS = ("vi", "en")
SCOPES = ("auto", "any", "all", "province", "population", "household", "district", "commune", "village")
SCHEMES = ("63", "34")
PER = ("", "pop", "area")
TARGETS = ("achieved", "target", "all")
REVIEW_STATUSES = ("machine", "confirmed", "corrected", "added")
# quality page: "auto" opens the first section with something to check
QUALITY_SECTIONS = ("auto", "conflicts", "unknown_year", "unknown_province", "low_confidence", "failed", "how")
THRESHOLDS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9")
ON_OFF = ("on", "off")
WORKSPACE_TABS = ("chart", "map", "table", "sources")
# fields whose value is one of a fixed list
CHOICES: dict[str, tuple[str, ...]] = {
    "lang": LANGS, "scope": SCOPES, "scheme": SCHEMES, "per": PER, "target": TARGETS,
    "section": QUALITY_SECTIONS, "threshold": THRESHOLDS, "trend_targets": ON_OFF,
    "ws_targets": ON_OFF, "ws_tab": WORKSPACE_TABS,
}
MAX_ITEMS = 100  # more ids than this in one parameter is not a real selection
MAX_PARAM_LEN = 4000
MAX_SHOWN = 3  # rejected values quoted in a notice
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})  # Streamlit's own; never ours to judge

_YEAR = re.compile(r"^\d{4}$")
_SAFE_TOKEN = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,255}$")  # a file name or id: printable, no slashes

Notice = tuple[str, dict[str, str]]  # (i18n key, format fields)


@dataclass(frozen=True)
class Known:
    """What the warehouse holds, to validate URL values against."""

    provinces: frozenset[str] = frozenset()
    indicators: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    min_year: int | None = None
    max_year: int | None = None


@dataclass(frozen=True)
class ViewState:
    """Everything that defines what the user looks at; the URL and the widgets both mirror it."""

    lang: str = "vi"
    provinces: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    y0: int | None = None
    y1: int | None = None
    year: int | None = None
    scope: str = "auto"
    scheme: str = "63"
    per: str = ""
    regions: tuple[str, ...] = ()
    target: str = "achieved"
    statuses: tuple[str, ...] = ()
    doc: str | None = None
    obs: str | None = None
    section: str = "auto"
    threshold: str = "0.6"
    trend_targets: str = "on"
    ws_targets: str = "off"  # the indicator workspace draws plans only when asked
    ws_tab: str = "chart"

    def with_focus_province(self, province_id: str) -> ViewState:
        """The same view with `province_id` first among the provinces (the page's focus)."""
        rest = tuple(p for p in self.provinces if p != province_id)
        return replace(self, provinces=(province_id, *rest))

    def with_focus_indicator(self, indicator_id: str) -> ViewState:
        rest = tuple(i for i in self.indicators if i != indicator_id)
        return replace(self, indicators=(indicator_id, *rest))


# field name -> URL parameter
PARAM_OF = {
    "lang": "lang", "provinces": "p", "indicators": "i", "y0": "y0", "y1": "y1", "year": "y",
    "scope": "sc", "scheme": "s", "per": "per", "regions": "r", "target": "t", "statuses": "rs",
    "doc": "doc", "obs": "obs", "section": "q", "threshold": "th",
    "trend_targets": "tg", "ws_targets": "wt", "ws_tab": "tab",
}
FIELD_OF = {v: k for k, v in PARAM_OF.items()} | {"ind": "indicators"}  # /indicator?ind=bts_stations
DEFAULT = ViewState()


@dataclass
class ParseResult:
    view: ViewState
    notices: list[Notice] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # fields the URL set (validly)


def _quote(values: Iterable[str]) -> str:
    vals = list(values)
    shown = [v if len(v) <= 40 else v[:39] + "…" for v in vals[:MAX_SHOWN]]
    more = f" (+{len(vals) - MAX_SHOWN})" if len(vals) > MAX_SHOWN else ""
    return ", ".join(shown) + more


def _raw(value: str | Sequence[str]) -> str:
    """One string per parameter: repeated parameters (?p=a&p=b) join with commas."""
    if isinstance(value, str):
        return value
    return ",".join(str(v) for v in value)


def _split(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in raw.split(","):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _ids(name: str, raw: str, allowed: frozenset[str], notices: list[Notice]) -> tuple[str, ...] | None:
    items = _split(raw)
    if len(items) > MAX_ITEMS:
        notices.append(("notice.too_many", {"param": name, "n": str(len(items)), "max": str(MAX_ITEMS)}))
        return None
    good = tuple(v for v in items if v in allowed)
    bad = [v for v in items if v not in allowed]
    if bad:
        notices.append(("notice.unknown_values", {"param": name, "values": _quote(bad)}))
    return good if good or not bad else None


def _choice(name: str, raw: str, allowed: Sequence[str], notices: list[Notice]) -> str | None:
    value = raw.strip()
    if value in allowed:
        return value
    notices.append(("notice.bad_value", {"param": name, "values": _quote([value])}))
    return None


def _year(name: str, raw: str, known: Known, notices: list[Notice]) -> int | None:
    value = raw.strip()
    if not _YEAR.match(value):
        notices.append(("notice.bad_year", {"param": name, "values": _quote([value])}))
        return None
    year = int(value)
    lo, hi = known.min_year, known.max_year
    if (lo is not None and year < lo) or (hi is not None and year > hi):
        notices.append(("notice.year_out_of_range", {"param": name, "values": value,
                                                     "min": str(lo), "max": str(hi)}))
        return None
    return year


def _token(name: str, raw: str, notices: list[Notice]) -> str | None:
    """A file name or id as it was linked: spaces are part of a file name (" báo cáo.txt" is not "báo cáo.txt"),
    so the value is kept whole when it is a safe token, and trimmed only when that makes it one."""
    if _SAFE_TOKEN.match(raw):
        return raw
    value = raw.strip()
    if _SAFE_TOKEN.match(value):
        return value
    notices.append(("notice.bad_value", {"param": name, "values": _quote([value])}))
    return None


def parse_query(params: Mapping[str, str | Sequence[str]], known: Known) -> ParseResult:
    """Read URL parameters into a view; invalid parts are dropped with a notice, never raised."""
    notices: list[Notice] = []
    values: dict[str, Any] = {}
    for name, raw_value in params.items():
        name = str(name)
        if name in STREAMLIT_PARAMS:
            continue
        if name not in FIELD_OF:
            notices.append(("notice.unknown_param", {"param": _quote([name])}))
            continue
        raw = _raw(raw_value)
        if len(raw) > MAX_PARAM_LEN:
            notices.append(("notice.too_long", {"param": name, "n": str(len(raw))}))
            continue
        key = FIELD_OF[name]
        parsed: Any
        if key == "provinces":
            parsed = _ids(name, raw, known.provinces, notices)
        elif key == "indicators":
            parsed = _ids(name, raw, known.indicators, notices)
        elif key == "regions":
            parsed = _ids(name, raw, known.regions, notices)
        elif key == "statuses":
            parsed = _ids(name, raw, frozenset(REVIEW_STATUSES), notices)
        elif key in ("y0", "y1", "year"):
            parsed = _year(name, raw, known, notices)
        elif key in CHOICES:
            parsed = _choice(name, raw, CHOICES[key], notices)
        else:  # doc, obs: opaque tokens; the page checks they exist
            parsed = _token(name, raw, notices)
        if parsed is not None:
            values[key] = parsed
    if "y0" in values and "y1" in values and values["y0"] > values["y1"]:
        values["y0"], values["y1"] = values["y1"], values["y0"]
        notices.append(("notice.years_swapped", {"y0": str(values["y0"]), "y1": str(values["y1"])}))
    return ParseResult(view=replace(DEFAULT, **values), notices=notices, present=set(values))


def merge(base: ViewState, parsed: ParseResult) -> ViewState:
    """`base` with the fields the URL set replaced (the URL wins where it speaks)."""
    return replace(base, **{k: getattr(parsed.view, k) for k in parsed.present})


def to_query(view: ViewState) -> dict[str, str]:
    """URL parameters of a view; fields at their default are left out."""
    out: dict[str, str] = {}
    for f in fields(ViewState):
        value = getattr(view, f.name)
        if value == getattr(DEFAULT, f.name) or value is None:
            continue
        if isinstance(value, tuple):
            out[PARAM_OF[f.name]] = ",".join(value)
        else:
            out[PARAM_OF[f.name]] = str(value)
    return out


def year_bounds(view: ViewState, known: Known) -> tuple[int | None, int | None]:
    """The view's year range with the warehouse's bounds filled in."""
    y0 = view.y0 if view.y0 is not None else known.min_year
    y1 = view.y1 if view.y1 is not None else known.max_year
    return y0, y1


def _slug(values: Sequence[str], what: str, max_items: int = 3) -> str:
    if not values:
        return f"all-{what}"
    if len(values) > max_items:
        return f"{len(values)}-{what}"
    return "+".join(re.sub(r"[^\w\-]+", "-", v, flags=re.ASCII).strip("-") for v in values)


def export_filename(view: ViewState, known: Known, ext: str) -> str:
    """A file name that says what was filtered: ictdash_bts_stations_63-10_2013-2020.csv."""
    y0, y1 = year_bounds(view, known)
    years = f"{y0}-{y1}" if y0 is not None and y1 is not None else "all-years"
    parts = ["ictdash", _slug(view.indicators, "indicators"), _slug(view.provinces, "provinces"), years]
    if view.target != "achieved":
        parts.append(view.target)
    if view.per:
        parts.append(f"per-{view.per}")
    return "_".join(parts) + "." + ext.lstrip(".")
