"""The context rules of `etl/rules/context.yaml`, compiled once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.yamlfile import load_yaml

CONTEXT_PATH = Path(__file__).parent / "rules" / "context.yaml"


@dataclass(frozen=True)
class Context:
    prefilter: tuple[str, ...]
    kill_before: re.Pattern[str]
    kill_after: re.Pattern[str]
    flow_clause: re.Pattern[str]
    period: re.Pattern[str]
    national: re.Pattern[str]
    national_after: re.Pattern[str]
    operators: re.Pattern[str]
    operator_groups: frozenset[str]
    subprovincial: re.Pattern[str]
    subprovincial_plain: re.Pattern[str]
    operator_names: re.Pattern[str]
    operator_after: re.Pattern[str]
    damaged_after: re.Pattern[str]
    area_after: re.Pattern[str]
    other_body: re.Pattern[str]
    other_measure: re.Pattern[str]
    target: re.Pattern[str]
    target_met: re.Pattern[str]
    target_heading: re.Pattern[str]
    target_carry: re.Pattern[str]
    all_word: re.Pattern[str]
    hypothetical: re.Pattern[str]
    rank_cue: re.Pattern[str]
    rank_first: re.Pattern[str]
    rank_components: re.Pattern[str]
    years: dict[str, re.Pattern[str]]
    anniversary: re.Pattern[str]
    founding: re.Pattern[str]
    full_date: re.Pattern[str]
    review: re.Pattern[str]
    achieved_after_cue: re.Pattern[str]
    report_frame: re.Pattern[str]
    lead_frame: re.Pattern[str]
    result_words: re.Pattern[str]
    result_strong: re.Pattern[str]
    enterprise_plan_after: re.Pattern[str]
    levels: dict[str, re.Pattern[str]]
    urban_village: re.Pattern[str]
    level_list_item: re.Pattern[str]
    revenue_bare: re.Pattern[str]
    revenue_sectors: dict[str, re.Pattern[str]]
    operations_clause: re.Pattern[str]
    five_g: re.Pattern[str]
    this_service_after: re.Pattern[str]
    this_service: dict[str, re.Pattern[str]]
    other_generations: re.Pattern[str]
    content_hash: str


@lru_cache(maxsize=1)
def context_rules(path: Path = CONTEXT_PATH) -> Context:
    raw = Path(path).read_text(encoding="utf-8")
    d = load_yaml(raw)
    c = re.compile
    return Context(
        prefilter=tuple(d["prefilter"]), kill_before=c(d["kill_before"]), kill_after=c(d["kill_after"]), flow_clause=c(d["flow_clause"]), period=c(d["period"]),
        national=c(d["national"]), national_after=c(d["national_after"]), operators=c(d["operators"]),
        operator_groups=frozenset(d["operator_groups"]), subprovincial=c(d["subprovincial"]),
        subprovincial_plain=c(d["subprovincial_plain"]), operator_names=c(d["operator_names"]),
        operator_after=c(d["operator_after"]), damaged_after=c(d["damaged_after"]), area_after=c(d["area_after"]), other_body=c(d["other_body"]), other_measure=c(d["other_measure"]),
        target=c(d["target"]), target_met=c(d["target_met"]), target_heading=c(d["target_heading"]), target_carry=c(d["target_carry"]), all_word=c(d["all_word"]), hypothetical=c(d["hypothetical"]),
        rank_cue=c(d["rank_cue"]), rank_first=c(d["rank_first"]), rank_components=c(d["rank_components"]),
        years={k: c(v) for k, v in d["years"].items()},
        anniversary=c(d["anniversary"]), founding=c(d["founding"]), full_date=c(d["full_date"]),
        review=c(d["review"]), achieved_after_cue=c(d["achieved_after_cue"]), report_frame=c(d["report_frame"]), lead_frame=c(d["lead_frame"]), result_words=c(d["result_words"]), result_strong=c(d["result_strong"]), enterprise_plan_after=c(d["enterprise_plan_after"]),
        levels={k: c(v) for k, v in d["levels"].items()},
        urban_village=c(d["urban_village"]), level_list_item=c(d["level_list_item"]),
        revenue_bare=c(d["revenue_bare"]), revenue_sectors={k: c(v) for k, v in d["revenue_sectors"].items()},
        operations_clause=c(d["operations_clause"]), five_g=c(d["five_g"]), this_service_after=c(d["this_service_after"]),
        this_service={k: c(v) for k, v in d["this_service"].items()}, other_generations=c(d["other_generations"]),
        content_hash=hashlib.sha256(raw.encode()).hexdigest()[:16],
    )
