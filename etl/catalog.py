"""The indicator catalog (`etl/catalog/indicators.yaml`) loaded into typed, compiled objects."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.text import fold
from etl.yamlfile import load_yaml

CATALOG_PATH = Path(__file__).parent / "catalog" / "indicators.yaml"

UNITS = ("pct", "count", "per_100", "bn_vnd", "rank", "score")
FORMS = ("after", "before", "rank", "score")
GROUPS = ("infrastructure", "subscribers", "egov", "digital_economy", "society", "postal", "media", "rankings")
DIRECTIONS = ("up", "down", "neutral")
_TOPIC_REF = re.compile(r"\{(\w+)\}")


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the indicator and the problem."""


@dataclass(frozen=True)
class Rule:
    """One phrasing rule: how prose states an indicator (see the header of indicators.yaml)."""

    id: str
    indicator: str
    form: str
    unit: str
    pattern: re.Pattern[str] | None = None  # form 'after': noun phrase right after the quantity
    topic: re.Pattern[str] | None = None  # forms 'before', 'rank', 'score'
    subject: re.Pattern[str] | None = None  # must match right after the quantity
    subject_forbids: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None  # must occur in the sentence
    forbids: re.Pattern[str] | None = None  # must not occur between topic and quantity / in the noun


@dataclass(frozen=True)
class Indicator:
    """An indicator's metadata, as stored in the warehouse's `indicators` table."""

    id: str
    name_vi: str
    name_en: str
    unit: str
    group: str
    direction: str
    additive: bool
    hard_min: float | None
    hard_max: float | None
    warn_min: float | None
    warn_max: float | None
    definition_vi: str
    definition_en: str
    source: str
    headers: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = field(default=(), repr=False)
    scoped: bool = True  # percentages split by administrative level (scope)
    from_prose: bool = True  # False: read from tables only; a prose figure is claimed (so no other rule takes it) and dropped

    def within_hard(self, value: float) -> bool:
        return (self.hard_min is None or value >= self.hard_min) and (
            self.hard_max is None or value <= self.hard_max
        )

    def past_warn(self, value: float) -> bool:
        return (self.warn_min is not None and value < self.warn_min) or (
            self.warn_max is not None and value > self.warn_max
        )


@dataclass(frozen=True)
class Catalog:
    indicators: dict[str, Indicator]
    rules: tuple[Rule, ...]
    content_hash: str
    _headers: dict[str, str] = field(default_factory=dict, repr=False)

    def rules_for(self, form: str, unit: str | None = None) -> tuple[Rule, ...]:
        """The rules of one form (and unit), in catalog order; indexed on first use."""
        index = self.__dict__.get("_rule_index")
        if index is None:
            index = {}
            for rule in self.rules:
                index.setdefault((rule.form, None), []).append(rule)
                index.setdefault((rule.form, rule.unit), []).append(rule)
            index = {key: tuple(rules) for key, rules in index.items()}
            object.__setattr__(self, "_rule_index", index)  # a cache on a frozen dataclass
        return index.get((form, unit), ())

    def match_header(self, text: str) -> str | None:
        """The indicator id a table column header names (an id, a Vietnamese or English name), or None."""
        key = _header_key(text)
        if not key:
            return None
        if key in self._headers:
            return self._headers[key]
        # A header with extra words around a known phrase ("Số trạm BTS (trạm)") still matches,
        # choosing the longest known phrase it contains.
        best: tuple[int, str] | None = None
        for phrase, ind in self._headers.items():
            if len(phrase) >= 4 and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key):
                if best is None or len(phrase) > best[0]:
                    best = (len(phrase), ind)
        return best[1] if best else None

    def get(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w%/]+", " ", fold(str(text or ""))).split())


def _bound(pair: list | None, i: int) -> float | None:
    if not pair or pair[i] is None:
        return None
    return float(pair[i])


_TY_SPELLING = re.compile(r"(?<![a-z\[])t[yi] (le|trong)\b")


def _compile(raw: str | None, topics: dict[str, str], where: str) -> re.Pattern[str] | None:
    if raw is None:
        return None
    expanded = raw
    for _ in range(3):  # topics may reference topics
        expanded = _TOPIC_REF.sub(lambda m: _topic(m.group(1), topics, where), expanded)
    expanded = _TY_SPELLING.sub(r"t[yi] \1", expanded)  # "tỷ lệ" is also written "tỉ lệ" ("tỉ trọng")
    try:
        return re.compile(expanded)
    except re.error as exc:
        raise CatalogError(f"{where}: bad pattern {raw!r}: {exc}") from exc


def _topic(name: str, topics: dict[str, str], where: str) -> str:
    if name not in topics:
        raise CatalogError(f"{where}: unknown topic {{{name}}}")
    return f"(?:{topics[name]})"


def parse_catalog(raw_text: str) -> Catalog:
    """Parse and validate the catalog YAML text."""
    data = load_yaml(raw_text) or {}
    topics: dict[str, str] = data.get("topics") or {}
    indicators: dict[str, Indicator] = {}
    rules: list[Rule] = []
    headers: dict[str, str] = {}
    for ind_id, spec in (data.get("indicators") or {}).items():
        where = f"indicator {ind_id}"
        for key in ("name_vi", "name_en", "unit", "group", "direction", "definition_vi", "definition_en", "source"):
            if not spec.get(key):
                raise CatalogError(f"{where}: missing {key}")
        if spec["unit"] not in UNITS:
            raise CatalogError(f"{where}: unit {spec['unit']!r} not in {UNITS}")
        if spec["group"] not in GROUPS:
            raise CatalogError(f"{where}: group {spec['group']!r} not in {GROUPS}")
        if spec["direction"] not in DIRECTIONS:
            raise CatalogError(f"{where}: direction {spec['direction']!r} not in {DIRECTIONS}")
        bounds = spec.get("bounds") or {}
        ind_rules = []
        for r in spec.get("rules") or []:
            rwhere = f"{where}, rule {r.get('id')}"
            form = r.get("form")
            if form not in FORMS:
                raise CatalogError(f"{rwhere}: form {form!r} not in {FORMS}")
            unit = r.get("unit") or ("rank" if form == "rank" else "score" if form == "score" else None)
            if unit not in UNITS:
                raise CatalogError(f"{rwhere}: unit missing or unknown")
            if form == "after" and not r.get("pattern"):
                raise CatalogError(f"{rwhere}: form 'after' needs a pattern")
            if form != "after" and not r.get("topic"):
                raise CatalogError(f"{rwhere}: form {form!r} needs a topic")
            ind_rules.append(Rule(
                id=r["id"], indicator=ind_id, form=form, unit=unit,
                pattern=_compile(r.get("pattern"), topics, rwhere),
                topic=_compile(r.get("topic"), topics, rwhere),
                subject=_compile(r.get("subject"), topics, rwhere),
                subject_forbids=_compile(r.get("subject_forbids"), topics, rwhere),
                requires=_compile(r.get("requires"), topics, rwhere),
                forbids=_compile(r.get("forbids"), topics, rwhere),
            ))
        ind = Indicator(
            id=ind_id, name_vi=spec["name_vi"], name_en=spec["name_en"], unit=spec["unit"],
            group=spec["group"], direction=spec["direction"], additive=bool(spec.get("additive", False)),
            hard_min=_bound(bounds.get("hard"), 0), hard_max=_bound(bounds.get("hard"), 1),
            warn_min=_bound(bounds.get("warn"), 0), warn_max=_bound(bounds.get("warn"), 1),
            definition_vi=spec["definition_vi"], definition_en=spec["definition_en"], source=spec["source"],
            headers=tuple(spec.get("headers") or ()), rules=tuple(ind_rules),
            scoped=bool(spec.get("scoped", True)),
            from_prose=bool(spec.get("from_prose", True)),
        )
        indicators[ind_id] = ind
        rules.extend(ind_rules)
        for h in (ind_id, ind.name_vi, ind.name_en, *ind.headers):
            headers.setdefault(_header_key(h), ind_id)
    digest = hashlib.sha256(raw_text.encode("utf-8")).hexdigest()[:16]
    return Catalog(indicators=indicators, rules=tuple(rules), content_hash=digest, _headers=headers)


@lru_cache(maxsize=1)
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """The catalog, parsed once per process."""
    return parse_catalog(Path(path).read_text(encoding="utf-8"))
