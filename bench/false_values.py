"""False values: what the extractor finds in news that states no provincial ICT figure.

The vnnews corpus (`../shared/corpus/vnnews`, real Dân trí articles) is read with its manifest
(`manifest.tsv`: tab-separated, no quoting; `category`, `date` YYYYMMDD, `url`). Articles of the
unrelated sections (sport, entertainment, travel, world, health, education) should yield no value:
every value found there is counted as false and listed with its file, category and evidence, as values
per 1,000 articles. The values found in the other sections (business, science, society, tech) are listed
separately and not counted: some of those articles do state provincial ICT figures, so a person judges.

Run: `python -m bench.false_values [--corpus DIR]`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.common import DEFAULT_VNNEWS, Measure, fmt_num, machine_info, markdown_table
from etl.extract import extract_document
from etl.model import Observation
from etl.read import ReadError, read_path

UNRELATED = ("sport", "entertainment", "travel", "world", "health", "education")
MANIFEST = "manifest.tsv"


@dataclass(frozen=True)
class Article:
    path: Path
    category: str
    published: date | None
    url: str


@dataclass
class Found:
    article: Article
    obs: Observation


def read_manifest(corpus_dir: Path) -> list[Article]:
    """The manifest's articles (csv.QUOTE_NONE: lines hold '"' characters that are not quotes)."""
    corpus_dir = Path(corpus_dir)
    articles = []
    with open(corpus_dir / MANIFEST, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            articles.append(Article(corpus_dir / row["file"], row["category"], _yyyymmdd(row.get("date", "")),
                                    row.get("url", "")))
    return articles


def _yyyymmdd(s: str) -> date | None:
    s = (s or "").strip()
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:8])) if len(s) == 8 and s.isdigit() else None
    except ValueError:
        return None


def extract_articles(articles: list[Article]) -> tuple[list[Found], list[str]]:
    """Every value the extractor takes from the articles, with the publication date and URL passed on."""
    found: list[Found] = []
    errors: list[str] = []
    for art in articles:
        meta = {"published": art.published.isoformat() if art.published else "", "url": art.url}
        try:
            doc = read_path(art.path, meta)
        except ReadError as err:
            errors.append(str(err))
            continue
        found.extend(Found(art, o) for o in extract_document(doc).observations)
    return found, errors


def _rows(found: list[Found]) -> list[list[object]]:
    return [[f.article.path.name, f.article.category, f.obs.indicator,
             f"{f.obs.value:g}" + (f" ({f.obs.scope})" if f.obs.scope != "all" else ""),
             f.obs.province or "?", f.obs.year or "?", "yes" if f.obs.is_target else "",
             " ".join(f.obs.evidence.split())[:220]] for f in found]


FOUND_HEADERS = ["file", "category", "indicator", "value", "province", "year", "target", "evidence"]


def run(corpus_dir: Path = DEFAULT_VNNEWS) -> Iterator[str]:
    """The report's markdown sections."""
    corpus_dir = Path(corpus_dir)
    if not (corpus_dir / MANIFEST).is_file():
        yield f"false-value benchmark skipped: no {MANIFEST} in {corpus_dir}"
        return
    articles = read_manifest(corpus_dir)
    unrelated = [a for a in articles if a.category in UNRELATED]
    other = [a for a in articles if a.category not in UNRELATED]
    with Measure() as m:
        found_u, errors_u = extract_articles(unrelated)
        found_o, errors_o = extract_articles(other)
    n_u = len(unrelated) - len(errors_u)
    per_cat = Counter(a.category for a in unrelated)
    hits_cat = Counter(f.article.category for f in found_u)
    docs_cat = Counter(a.category for a in {f.article for f in found_u})
    rows = [[cat, per_cat[cat], hits_cat[cat], docs_cat[cat], f"{1000 * hits_cat[cat] / per_cat[cat]:.2f}"]
            for cat in UNRELATED if per_cat[cat]]
    rows.append(["**all unrelated**", n_u, len(found_u), len({f.article for f in found_u}),
                 f"**{1000 * len(found_u) / max(n_u, 1):.2f}**"])
    yield (f"### False values on unrelated news ({fmt_num(len(articles))} vnnews articles, "
           f"extracted in {m.seconds:.0f} s)")
    yield markdown_table(["category", "articles", "values", "articles with a value", "values per 1,000 articles"],
                         rows, align="lrrrr")
    if found_u:
        yield "Every value found in the unrelated sections (each counted as false):\n\n" + markdown_table(
            FOUND_HEADERS, _rows(found_u), align="llllllll")
    else:
        yield "No value was found in the unrelated sections."
    n_o = len(other) - len(errors_o)
    per_cat_o = Counter(a.category for a in other)
    yield (f"Values in the other sections ({', '.join(f'{c} {n}' for c, n in sorted(per_cat_o.items()))}; "
           f"{len(found_o)} values in {len({f.article for f in found_o})} of {n_o} articles), not counted as "
           "false: some of these articles do state provincial ICT figures. Judge each:")
    if found_o:
        yield markdown_table(FOUND_HEADERS, _rows(found_o), align="llllllll")
    for err in errors_u + errors_o:
        yield f"unreadable: {err}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.false_values", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_VNNEWS, help="vnnews folder (default: %(default)s)")
    args = ap.parse_args(argv)
    print(machine_info().header(), flush=True)
    for section in run(args.corpus):
        print("\n" + section, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
