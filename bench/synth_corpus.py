"""A synthetic corpus of Vietnamese provincial ICT reports, with the values each one states.

`generate(out_dir, n_reports, seed=0)` writes `out_dir/reports/NNN/rNNNNNNN.txt` (1,000 files per folder)
and `out_dir/expected.jsonl` (one row per value a careful reader takes from the reports, in the JSONL
contract of `python -m etl extract`: doc, province, province_code, year, indicator, scope, value, unit,
qualifier, is_target, plus `template`, the phrasing that stated it), and `out_dir/corpus.json` (size,
seed, bytes). Reports are built one at a time and streamed to disk, so 100,000 take seconds and little
memory. The same seed gives byte-identical output.

Each report: a title naming the province and the year under review, a dateline (January-March of the
next year, or late in the year itself), then 3-8 sentences in paragraphs: values drawn from the phrasing
families of `bench/phrasings.yaml` with random provinces, years and values inside each indicator's
bounds, and distractors (growth rates, flows, national figures, part-year figures, operators', a
city's, founding dates, plan periods, other provinces) that state no provincial level. Planned values
("phấn đấu đến năm 2030 …") are expected with is_target = true and the horizon as their year.

Run: `python -m bench.synth_corpus OUT_DIR --n 10000 [--seed 0]`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from etl import provinces
from etl.catalog import load_catalog
from etl.yamlfile import load_yaml

PHRASINGS = Path(__file__).with_name("phrasings.yaml")
GENERATOR_VERSION = 1
YEARS = (2012, 2024)  # report years: all published before the 2025 reorganization
FILES_PER_FOLDER = 1000
FORMATS_BY_UNIT = {
    "count": {"count", "count0", "million"}, "pct": {"pct"}, "per_100": {"dec"}, "bn_vnd": {"money"},
    "rank": {"rank"}, "score": {"score"},
}
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")
_CONTEXT_SLOTS = frozenset({
    "year", "prev_year", "next_year", "target_year", "plan_from", "plan_to", "founded", "province",
    "province_full", "whole", "unit", "unit_cap", "other", "other2", "other3", "city",
})


# --------------------------------------------------------------------------------------------------
# the phrase book


@dataclass(frozen=True)
class ValueSlot:
    """A value a template states: its indicator, the levels it covers and how to draw it."""

    indicator: str
    unit: str
    scopes: tuple[str, ...] = ("all",)
    qualifier: str = "exact"
    other_province: bool = False
    low: float = 0.0
    high: float = 100.0
    rounding: int = 1
    minimum: float | None = None
    fixed: float | None = None


@dataclass(frozen=True)
class Template:
    id: str
    kind: str  # value | target | a distractor kind (growth, flow, ...)
    text: str
    slots: dict[str, ValueSlot] = field(default_factory=dict)
    years: tuple[int, int] = YEARS
    lead: bool = True  # may take a paragraph lead ("Năm 2013, ...")

    def keys(self) -> set[tuple[str, str, bool]]:
        """(indicator, scope, other province?) of every value: two in one report would contradict."""
        return {(s.indicator, sc, s.other_province) for s in self.slots.values() for sc in s.scopes}


@dataclass(frozen=True)
class PhraseBook:
    titles: tuple[str, ...]
    display_names: dict[str, str]
    same_name_capitals: frozenset[str]
    values: tuple[Template, ...]
    targets: tuple[Template, ...]
    distractors: dict[str, tuple[Template, ...]]
    suffixes: tuple[tuple[str, frozenset[str]], ...]  # (clause, units it may follow)
    leads: tuple[str, ...]
    noise: dict[str, tuple[float, float]]

    def templates_for(self, indicator: str) -> list[Template]:
        return [t for t in (*self.values, *self.targets) if any(s.indicator == indicator for s in t.slots.values())]


class PhraseBookError(ValueError):
    """bench/phrasings.yaml is inconsistent with the catalog; the message names the template."""


@cache
def load_phrasebook(path: Path = PHRASINGS) -> PhraseBook:
    """Load and check the phrasing families against the indicator catalog."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    catalog = load_catalog()
    values: list[Template] = []
    for ind_id, spec in raw["indicators"].items():
        for k, t in enumerate(spec["templates"], 1):
            t = {"text": t} if isinstance(t, str) else t
            slot = _slot(catalog, ind_id, {**spec, **t}, f"{ind_id}.{k}")
            years = tuple(spec.get("years", YEARS))
            values.append(_template(f"{ind_id}.{k}", "value", t["text"], {"value": slot}, years,
                                    lead=t.get("lead", True) and "{year}" not in t["text"]))
    for k, t in enumerate(raw.get("compound", []), 1):
        tid = f"compound.{k}"
        slots = {}
        years = YEARS
        for name, vspec in t["values"].items():
            ind_spec = raw["indicators"].get(vspec["indicator"], {})
            slots[name] = _slot(catalog, vspec["indicator"], {**ind_spec, **vspec}, tid)
            lo, hi = ind_spec.get("years", YEARS)
            years = (max(years[0], lo), min(years[1], hi))
        values.append(_template(tid, "value", t["text"], slots, years, lead="{year}" not in t["text"]))
    targets = []
    for k, t in enumerate(raw.get("targets", []), 1):
        tid = f"target.{k}"
        targets.append(_template(tid, "target", t["text"], {"value": _slot(catalog, t["indicator"], t, tid)}))
    distractors = {
        kind: tuple(_template(f"{kind}.{k}", kind, text, {}) for k, text in enumerate(texts, 1))
        for kind, texts in raw["distractors"].items()
    }
    return PhraseBook(
        titles=tuple(raw["title_templates"]), display_names=dict(raw.get("display_names", {})),
        same_name_capitals=frozenset(raw.get("same_name_capitals", [])), values=tuple(values),
        targets=tuple(targets), distractors=distractors,
        suffixes=tuple((x["text"], frozenset(x["units"])) for x in raw.get("suffixes", [])),
        leads=tuple(raw.get("leads", [])), noise={k: tuple(v) for k, v in raw["noise"].items()},
    )


def _slot(catalog, indicator: str, spec: dict, where: str) -> ValueSlot:
    if indicator not in catalog.indicators:
        raise PhraseBookError(f"{where}: unknown indicator {indicator!r}")
    ind = catalog.indicators[indicator]
    low, high = spec.get("range", (ind.hard_min or 0, ind.hard_max or 100))
    if not (ind.within_hard(low) and ind.within_hard(high)):
        raise PhraseBookError(f"{where}: range {low}-{high} is outside the hard bounds of {indicator}")
    scope = spec.get("scope", "all")
    return ValueSlot(
        indicator=indicator, unit=ind.unit, scopes=tuple(scope) if isinstance(scope, list) else (scope,),
        qualifier=spec.get("qualifier", "exact"), other_province=spec.get("province") == "other",
        low=float(low), high=float(high), rounding=int(spec.get("round", 1)), minimum=spec.get("min"),
        fixed=spec.get("fixed_value"),
    )


def _template(tid: str, kind: str, text: str, slots: dict[str, ValueSlot],
              years: tuple[int, int] = YEARS, lead: bool = False) -> Template:
    for name, fmt in _SLOT.findall(text):
        if name in slots:
            if fmt not in FORMATS_BY_UNIT[slots[name].unit]:
                raise PhraseBookError(f"{tid}: format {fmt!r} does not fit unit {slots[name].unit!r}")
        elif fmt:
            if kind in ("value", "target"):
                raise PhraseBookError(f"{tid}: slot {{{name}:{fmt}}} has no value spec")
        elif name not in _CONTEXT_SLOTS:
            raise PhraseBookError(f"{tid}: unknown slot {{{name}}}")
    missing = set(slots) - {n for n, _ in _SLOT.findall(text)}
    if missing and not all(slots[n].fixed is not None for n in missing):
        raise PhraseBookError(f"{tid}: value slots {sorted(missing)} do not occur in the text")
    return Template(id=tid, kind=kind, text=text, slots=slots, years=years, lead=lead)


# --------------------------------------------------------------------------------------------------
# numbers written the Vietnamese way


def group_thousands(n: int) -> str:
    """1234567 -> '1.234.567'."""
    return f"{n:,}".replace(",", ".")


def vi_decimal(value: float, decimals: int) -> str:
    """12.5 -> '12,5'; integer part grouped by dots; trailing zeros dropped."""
    text = f"{value:.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return group_thousands(int(whole)) + ("," + frac if frac else "")


def draw_value(rng: random.Random, slot: ValueSlot, fmt: str) -> tuple[float, str]:
    """A value inside the slot's range and how the text writes it."""
    if slot.fixed is not None:
        v = float(slot.fixed)
        return v, vi_decimal(v, 2)
    lo, hi = slot.low, slot.high
    if fmt in ("count", "count0", "rank"):
        v = rng.randint(int(lo), int(hi))
        return float(v), (f"{v:02d}" if fmt == "count0" else group_thousands(v))
    if fmt == "million":
        step = max(slot.rounding, 10000)
        lo = max(lo, slot.minimum or lo)
        v = rng.randint(int(lo // step) + 1, int(hi // step)) * step
        return float(v), vi_decimal(v / 1e6, 2)
    if fmt == "score":
        v = round(rng.uniform(lo, hi), 4)
        return v, vi_decimal(v, 4)
    if fmt == "pct" and hi >= 100 and rng.random() < 0.25:
        return 100.0, "100%"
    decimals = rng.choices((0, 1, 2), weights=(5, 3, 2))[0] if fmt != "money" else rng.choice((0, 0, 1))
    v = round(rng.uniform(lo, hi), decimals)
    v = min(max(v, lo), hi)
    text = vi_decimal(v, decimals)
    return float(text.replace(".", "").replace(",", ".")), text + ("%" if fmt == "pct" else "")


def noise_value(rng: random.Random, fmt: str, noise: dict[str, tuple[float, float]]) -> str:
    lo, hi = noise.get(fmt, (5, 90))
    if fmt == "count":
        return group_thousands(rng.randint(int(lo), int(hi)))
    if fmt == "money":
        return vi_decimal(round(rng.uniform(lo, hi), 1), 1)
    return vi_decimal(round(rng.uniform(lo, hi), 1), 1) + "%"


# --------------------------------------------------------------------------------------------------
# reports


@dataclass
class Report:
    name: str
    text: str
    expected: list[dict]


def _province_words(p: provinces.Province, book: PhraseBook) -> dict[str, str]:
    city = p.kind == "tp"
    return {
        "province": book.display_names.get(p.name, p.name),
        "province_full": f"{'thành phố' if city else 'tỉnh'} {p.name}",
        "whole": "toàn thành phố" if city else "toàn tỉnh",
        "unit": "thành phố" if city else "tỉnh",
        "unit_cap": "Thành phố" if city else "Tỉnh",
        "city": p.name,
    }


def _dateline(rng: random.Random, year: int) -> tuple[date, str]:
    if rng.random() < 0.7:  # a year-end review published early the next year
        published = date(year + 1, 1, 2) + timedelta(days=rng.randint(0, 86))
    else:  # late in the year itself
        published = date(year, 11, 15) + timedelta(days=rng.randint(0, 45))
    hh, mm = rng.randint(7, 21), rng.randint(0, 59)
    return published, f"{WEEKDAYS[published.weekday()]}, {published:%d/%m/%Y} {hh:02d}:{mm:02d}"


def _render(text: str, ctx: dict[str, str], rng: random.Random, book: PhraseBook,
            values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        name, fmt = m.group(1), m.group(2)
        if name in values:
            return values[name]
        if fmt:
            return noise_value(rng, fmt, book.noise)
        return ctx[name]
    return _SLOT.sub(sub, text)


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _decapitalize(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if len(first) > 1 and (first[1].isupper() or first in ("Internet",)):
        return sentence
    return sentence[:1].lower() + sentence[1:]


def make_report(index: int, rng: random.Random, book: PhraseBook,
                all_provinces: list[provinces.Province]) -> Report:
    """One synthetic report and the values it states."""
    name = f"r{index:07d}.txt"
    prov = rng.choice(all_provinces)
    year = rng.randint(*YEARS)
    published, dateline = _dateline(rng, year)
    others = rng.sample([p for p in all_provinces if p.province_id != prov.province_id], 3)
    plan_from = rng.choice((year - 4, year - 2, year - 1))
    ctx = _province_words(prov, book) | {
        "year": str(year), "prev_year": str(year - 1), "next_year": str(year + 1),
        "target_year": str(rng.choice((max(2025, published.year + 2), 2030))),
        "plan_from": str(plan_from), "plan_to": str(plan_from + 5),
        "founded": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.choice((2003, 2004, 2005, 2008))}",
        "other": book.display_names.get(others[0].name, others[0].name),
        "other2": book.display_names.get(others[1].name, others[1].name),
        "other3": book.display_names.get(others[2].name, others[2].name),
    }
    n_sentences = rng.randint(3, 8)  # all of them, a closing target included
    with_target = rng.random() < 0.2
    n_body = n_sentences - with_target
    n_values = rng.randint(n_body // 2, n_body - 1)

    # value sentences: distinct (indicator, scope) keys, plausible for the year
    chosen: list[Template] = []
    used: set[tuple[str, str, bool]] = set()
    eligible = [t for t in book.values if t.years[0] <= year <= t.years[1]]
    for t in rng.sample(eligible, min(len(eligible), 4 * n_values)):
        if len(chosen) == n_values:
            break
        if t.keys() & used:
            continue
        chosen.append(t)
        used |= t.keys()
    target = rng.choice(book.targets) if with_target else None

    pool = [t for kind, ts in book.distractors.items() for t in ts
            if kind != "city" or prov.name in book.same_name_capitals]
    distractors = rng.sample(pool, min(len(pool), n_body - len(chosen)))

    expected: list[dict] = []
    sentences: list[tuple[str, bool]] = []  # (sentence, may take a paragraph lead)
    for t in chosen:
        sentences.append((_value_sentence(t, ctx, rng, book, name, year, prov, others[0], expected), t.lead))
    sentences += [(_capitalize(_render(t.text, ctx, rng, book, {})), False) for t in distractors]
    rng.shuffle(sentences)
    paragraphs = _paragraphs(sentences, rng, book, ctx)
    if target is not None:
        target_year = int(ctx["target_year"])
        paragraphs.append(_value_sentence(target, ctx, rng, book, name, target_year, prov, others[0],
                                          expected, is_target=True))
    title = _render(rng.choice(book.titles), ctx, rng, book, {})
    text = "\n\n".join([title, dateline, *paragraphs]) + "\n"
    return Report(name=name, text=text, expected=expected)


def _value_sentence(t: Template, ctx: dict[str, str], rng: random.Random, book: PhraseBook, doc: str,
                    year: int, prov: provinces.Province, other: provinces.Province, expected: list[dict],
                    is_target: bool = False) -> str:
    formats = dict(_SLOT.findall(t.text))
    written: dict[str, str] = {}
    for slot_name, slot in t.slots.items():
        value, text = draw_value(rng, slot, formats.get(slot_name, "pct"))
        written[slot_name] = text
        p = other if slot.other_province else prov
        for scope in slot.scopes:
            expected.append({
                "doc": doc, "province": p.name, "province_code": p.province_id, "year": year,
                "indicator": slot.indicator, "scope": scope, "value": int(value) if value.is_integer() else value,
                "unit": slot.unit, "qualifier": slot.qualifier, "is_target": is_target, "template": t.id,
            })
    first_row = len(expected) - sum(len(s.scopes) for s in t.slots.values())
    sentence = _capitalize(_render(t.text, ctx, rng, book, written))
    units = {s.unit for s in t.slots.values()}
    suffixes = [text for text, allowed in book.suffixes if units <= allowed]
    if not is_target and len(t.slots) == 1 and suffixes and rng.random() < 0.15 and sentence.endswith("."):
        sentence = sentence[:-1] + _render(rng.choice(suffixes), ctx, rng, book, {}) + "."
    for row in expected[first_row:]:
        row["sentence"] = sentence
    return sentence


def _paragraphs(sentences: list[tuple[str, bool]], rng: random.Random, book: PhraseBook,
                ctx: dict[str, str]) -> list[str]:
    """Group sentences into paragraphs of 1-3; a value sentence opening one may get a year lead."""
    paragraphs = []
    i = 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        group = [s for s, _ in sentences[i:i + size]]
        if sentences[i][1] and book.leads and rng.random() < 0.3:
            group[0] = _render(rng.choice(book.leads), ctx, rng, book, {}) + _decapitalize(group[0])
        paragraphs.append(" ".join(group))
        i += size
    return paragraphs


def iter_reports(n_reports: int, seed: int = 0) -> Iterator[Report]:
    """The reports of a corpus, one at a time (deterministic for a seed)."""
    book = load_phrasebook()
    all_provinces = provinces.all("63")
    rng = random.Random(seed)
    for i in range(n_reports):
        yield make_report(i, rng, book, all_provinces)


def report_path(reports_dir: Path, name: str) -> Path:
    index = int(name[1:8])
    return reports_dir / f"{index // FILES_PER_FOLDER:03d}" / name


def generate(out_dir: Path, n_reports: int, seed: int = 0) -> Path:
    """Write a corpus of `n_reports` reports and its expected values into `out_dir`; returns `out_dir`.

    Layout: `reports/NNN/rNNNNNNN.txt`, `expected.jsonl`, `corpus.json`. An existing `reports/` folder
    is replaced.
    """
    out_dir = Path(out_dir)
    reports_dir = out_dir / "reports"
    if reports_dir.exists():
        shutil.rmtree(reports_dir)
    reports_dir.mkdir(parents=True)
    n_bytes = n_values = 0
    with open(out_dir / "expected.jsonl", "w", encoding="utf-8") as exp:
        for report in iter_reports(n_reports, seed):
            path = report_path(reports_dir, report.name)
            path.parent.mkdir(exist_ok=True)
            data = report.text.encode("utf-8")
            path.write_bytes(data)
            n_bytes += len(data)
            for row in report.expected:
                exp.write(json.dumps(row, ensure_ascii=False) + "\n")
                n_values += 1
    meta = {"n_reports": n_reports, "seed": seed, "generator_version": GENERATOR_VERSION,
            "bytes": n_bytes, "n_values": n_values, "phrasings_sha": _phrasings_digest()}
    (out_dir / "corpus.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return out_dir


def _phrasings_digest() -> str:
    import hashlib

    return hashlib.sha256(PHRASINGS.read_bytes()).hexdigest()[:16]


def ensure_corpus(out_dir: Path, n_reports: int, seed: int = 0) -> Path:
    """`generate` unless `out_dir` already holds exactly that corpus (same size, seed and phrasings)."""
    meta_path = Path(out_dir) / "corpus.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (meta.get("n_reports"), meta.get("seed"), meta.get("generator_version"), meta.get("phrasings_sha")) == (
                n_reports, seed, GENERATOR_VERSION, _phrasings_digest()):
            return Path(out_dir)
    return generate(out_dir, n_reports, seed)


def report_files(corpus_dir: Path) -> list[Path]:
    """The report files of a generated corpus, in order."""
    return sorted((Path(corpus_dir) / "reports").glob("*/r*.txt"))


# --------------------------------------------------------------------------------------------------
# scoring extracted values against expected.jsonl

MATCH_FIELDS = ("doc", "province", "year", "indicator", "scope", "is_target")
VALUE_TOLERANCE = 0.005  # ±0.5 %


@dataclass
class Counts:
    expected: int = 0
    found: int = 0
    matched_expected: int = 0
    matched_found: int = 0

    @property
    def precision(self) -> float:
        return self.matched_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched_expected / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Strict scores: doc, province, year, indicator, scope, is_target equal and value within ±0.5 %."""

    total: Counts
    by_indicator: dict[str, Counts]
    by_template: dict[str, Counts]  # expected/matched_expected per phrasing family
    misses: list[dict]  # expected rows not found
    extras: list[dict]  # found rows not expected, each with `diagnosis`
    qualifier_agreement: float  # among matched values, the share whose qualifier agrees


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(b), 1e-9)


def score(expected: list[dict], found: list[dict]) -> Score:
    """Match found values to expected ones one to one (strict), and count per indicator and template."""
    total = Counts(expected=len(expected), found=len(found))
    by_ind: dict[str, Counts] = {}
    by_tpl: dict[str, Counts] = {}
    for e in expected:
        by_ind.setdefault(e["indicator"], Counts()).expected += 1
        by_tpl.setdefault(e.get("template", "?"), Counts()).expected += 1
    for f in found:
        by_ind.setdefault(f["indicator"], Counts()).found += 1
    pending: dict[tuple, list[int]] = {}
    for i, e in enumerate(expected):
        pending.setdefault(tuple(e[k] for k in MATCH_FIELDS), []).append(i)
    matched = [False] * len(expected)
    extras: list[dict] = []
    qualifier_same = 0
    for f in found:
        key = tuple(f[k] for k in MATCH_FIELDS)
        hit = next((i for i in pending.get(key, []) if _close(float(f["value"]), float(expected[i]["value"]))), None)
        if hit is None:
            extras.append(f)
            continue
        pending[key].remove(hit)
        matched[hit] = True
        e = expected[hit]
        total.matched_expected += 1
        total.matched_found += 1
        by_ind[e["indicator"]].matched_expected += 1
        by_ind[e["indicator"]].matched_found += 1
        by_tpl[e.get("template", "?")].matched_expected += 1
        qualifier_same += f.get("qualifier") == e.get("qualifier")
    misses = [e for e, m in zip(expected, matched, strict=True) if not m]
    _diagnose(extras, misses)
    return Score(total=total, by_indicator=by_ind, by_template=by_tpl, misses=misses, extras=extras,
                 qualifier_agreement=qualifier_same / total.matched_found if total.matched_found else 1.0)


def _diagnose(extras: list[dict], misses: list[dict]) -> None:
    """Name the fields in which an unexpected value differs from a missed one of the same doc and indicator."""
    by_doc: dict[tuple[str, str], list[dict]] = {}
    for m in misses:
        by_doc.setdefault((m["doc"], m["indicator"]), []).append(m)
    for f in extras:
        near = by_doc.get((f["doc"], f["indicator"]), [])
        if not near:
            f["diagnosis"] = "not expected (no value of this indicator missed in this doc)"
            continue
        diffs = min(([k for k in ("province", "year", "scope", "is_target") if f[k] != m[k]]
                     + ([] if _close(float(f["value"]), float(m["value"])) else ["value"]) for m in near), key=len)
        f["diagnosis"] = "wrong " + ", ".join(diffs)


def read_expected(corpus_dir: Path) -> list[dict]:
    with open(Path(corpus_dir) / "expected.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.synth_corpus", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    generate(args.out_dir, args.n, args.seed)
    meta = json.loads((args.out_dir / "corpus.json").read_text(encoding="utf-8"))
    print(f"{meta['n_reports']} reports, {meta['bytes']:,} bytes, {meta['n_values']} expected values "
          f"-> {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
