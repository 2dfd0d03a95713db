"""The extraction engine: a Document's normalized text (or table rows) -> Observations with evidence.

Stages, in the order they run (each a module with its rules as data beside it):

    segment   etl/text.py            sentences, paragraphs, page chrome (etl/rules/chrome.yaml)
    numbers   etl/numbers.py         every quantity with unit, scale and qualifier (etl/rules/numbers.yaml)
    mentions  etl/provinces.py       province names (etl/gazetteer/), web addresses; etl/years.py years
    links     this module            a figure -> indicator by the catalog's phrasing rules
                                     (etl/catalog/indicators.yaml), -> province, year, scope
              etl/extract_ranks.py   index rankings: frames, rank phrases, lists (etl/rules/ranks.yaml)
              etl/extract_text_tables.py  yearbook tables written as text (etl/rules/text_tables.yaml)
              etl/extract_tables.py  CSV/XLSX rows (etl/read/tables.py, etl/read/table_headers.csv)
    checks    this module            growth and flows, part-year, national, ministries, operators,
                                     districts, damaged stations, breakdowns, targets, bounds
                                     (etl/rules/context.yaml); each drop keeps its reason

For every quantity in the text outside page chrome, the catalog's phrasing rules decide which indicator
it states; the context rules drop what is not a provincial level and mark targets; then the province,
the year and the scope are resolved. Plausibility bounds come from the catalog: past the hard bound a
value is dropped with a reason, past the warn bound it is kept with low confidence. Confidence < 0.5
keeps a value out of `facts`. Pure and deterministic; never raises on any text.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit

from etl import provinces
from etl.catalog import Catalog, Rule, load_catalog
from etl.context import context_rules
from etl.extract_ranks import extract_ranks, ranked_indicators
from etl.extract_text_grids import extract_text_grids
from etl.extract_text_tables import extract_text_tables
from etl.model import Document, Observation
from etl.numbers import Quantity, find_quantities
from etl.scope import level_named_before, levels_in_order, scopes_after
from etl.text import chrome_spans, fold, normalize, paragraph_spans, sentence_spans, unwrap
from etl.years import as_of_year, bind_year, year_mentions

log = logging.getLogger(__name__)

REORG_DATE = date(2025, 7, 1)
RANKED = ranked_indicators()
TABLE_FORMATS = ("csv", "xlsx")
_NEWLINE = re.compile(r"\n")
PHRASE_REACH = 80  # how far after a figure the noun phrase of an "after" rule may reach
LEAD_CHARS = 1500  # title and lead: where a document names its province
MAX_TOPIC_DISTANCE = 220
MAX_CONTEXT = 400  # characters of a sentence looked at (and kept as evidence) either side of a figure
# Words that start another measure: a topic does not reach a figure across them. "mật độ" is part of
# the phrase for per-100 figures ("thuê bao Internet ... đạt mật độ 6,2 thuê bao/100 dân").
_BARRIER = {
    "per_100": re.compile(r"\b(?:so luong|doanh thu|(?<!tren )tong so|trong do|so nguoi|nguoi su dung)\b|;"),
    "default": re.compile(r"\b(?:ty le|ti le|so luong|mat do|doanh thu|(?<!tren )(?<!nang )tong so|trong do|so nguoi|nop ngan sach|nop nsnn|nop thue|loi nhuan|dan so|ngam hoa)\b|;"),
}
_NAME_LEAD = re.compile(r"(?:(?:cua|o|tai|tren dia ban) )?(?:(?:tinh|thanh pho|tp\.?) )?$")
_WHOLE_YEAR = re.compile(r"\b(?:tinh chung|luy ke|ca nam|tinh ca nam)\b")
_WHOLE_YEAR_GOES_ON = re.compile(r";\s*(?=(?:uoc )?(?:tinh chung|luy ke|ca nam|tinh ca nam|uoc tinh ca nam)\b)")
_SHARE_LEAD = re.compile(r",\s*(?:dat|chiem|bang)\s+(?:ty le|ti le)\s*(?:la\s*)?$")
_WS = re.compile(r"[\s()]*")
_BILLIONS = ("tỷ", "nghìn tỷ", "ngàn tỷ")
_LOCAL_LEVELS = ("huyen", "thixa", "thanhpho", "quan", "xa", "phuong", "thitran", "tp")
_PROVINCE_WIDE = re.compile(r"\b(?:toan tinh|tren dia ban tinh|cua tinh|ca tinh|tinh da|tinh co)\b")
_RATE_LEAD = re.compile(r"\b(?:ty le|ti le)(?: phan tram)?(?: so)?\s")
_SCORE_AFTER = re.compile(r"\s*diem\s*(?:[,.;)]|$|va\b|xep\b|dung\b|cao\b|thap\b)")  # "0,4582 điểm," not "điểm phục vụ"


@dataclass
class ExtractResult:
    observations: list[Observation] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, evidence)
    province_id: str | None = None  # the document's main province (63-scheme id)
    as_of_year: int | None = None


@dataclass
class _Candidate:
    rule: Rule
    priority: int  # 0 = noun right after the figure; 1 = topic before it
    distance: int
    topic_start: int = -1  # where the claiming topic starts (forms before/rank)
    frame: tuple[int, int] | None = None  # the sentence whose topic (and year) a continued list takes


class _Doc:
    """Everything computed once per document; the costly parts only when the document may hold values."""

    def __init__(self, doc: Document, catalog: Catalog):
        self.doc = doc
        self.source = doc.text  # evidence is cut from the text as read
        self.text = unwrap(doc.text)  # hard-wrapped lines joined (same offsets): sentences cross the wraps
        self.folded = fold(self.text)
        self.catalog = catalog
        self._vocab_cache: dict[tuple[int, int], bool] = {}
        self._topic_cache: dict[tuple[int, int, re.Pattern[str]], list[tuple[int, int]]] = {}

    @cached_property
    def chrome(self) -> list[tuple[int, int]]:
        return sorted(chrome_spans(self.text))

    @cached_property
    def chrome_starts(self) -> list[int]:
        return [s for s, _ in self.chrome]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    @cached_property
    def sent_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        return paragraph_spans(self.text)

    @cached_property
    def para_starts(self) -> list[int]:
        return [s for s, _ in self.paragraphs]

    @cached_property
    def years(self):
        return year_mentions(self.folded)

    @cached_property
    def as_of(self) -> int | None:
        return as_of_year(self.folded, self.doc.published)[0]

    @cached_property
    def mentions(self) -> list:
        return [m for m in provinces.find_mentions(self.text, self.folded) if not self.in_chrome(m.start)]

    @cached_property
    def mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    @cached_property
    def province_id(self) -> str | None:
        return document_province(self.doc, self.mentions, self.folded)

    @cached_property
    def district_site(self) -> bool:
        """A district's own site under the province's domain (vinhlinh.quangtri.gov.vn) whose page names
        that district or commune ("huyện Vĩnh Linh"); an agency's site (quyhoach., doingoai.) or a district
        site reposting provincial news does not."""
        url = self.doc.url or ""
        if not provinces.is_subprovincial_site(url):
            return False
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        label = host.lower().split(".")[0].replace("-", "")
        path = urlsplit(url if "//" in url else "//" + url).path  # the slug is the article's title
        joined = re.sub(r"[^a-z]", "", fold(self.doc.title or "") + path.lower() + self.folded[:LEAD_CHARS * 2])
        return any(level + label in joined for level in _LOCAL_LEVELS)

    @cached_property
    def district_page(self) -> bool:
        """A page about one district: its lead opens on "huyện Tam Bình" (or a town) and names that district
        again later ("Huyện Tam Bình hiện có …"); its unnamed figures are the district's."""
        lead = _DISTRICT_LEAD.match(self.text)
        if lead is None:
            return False
        name = re.escape(lead.group(2))
        return len(re.findall(rf"(?i:huyện|thị xã|quận)\s+{name}\b", self.text)) >= 2 and not _PROVINCE_WIDE.search(
            self.folded, 0, LEAD_CHARS)

    @cached_property
    def vocabulary_lines(self) -> list[tuple[int, int]]:
        """Spans of whole lines that hold a pre-filter word or end less than PHRASE_REACH characters
        before one (the window `may_state` looks at); merged, in order."""
        f = self.folded
        line_starts = [0] + [m.end() for m in _NEWLINE.finditer(f)]
        wanted: set[int] = set()
        for word in context_rules().prefilter:
            i = f.find(word)
            while i >= 0:
                first = bisect.bisect_right(line_starts, max(0, i - PHRASE_REACH)) - 1
                wanted.update(range(first, bisect.bisect_right(line_starts, i)))
                i = f.find(word, i + 1)
        spans: list[tuple[int, int]] = []
        for line in sorted(wanted):
            lo = line_starts[line]
            hi = line_starts[line + 1] if line + 1 < len(line_starts) else len(f)
            if spans and spans[-1][1] == lo:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        return spans

    def may_state(self, start: int, end: int) -> bool:
        """Whether folded[start:end] holds any of the pre-filter words (etl/rules/context.yaml)."""
        key = (start, end)
        found = self._vocab_cache.get(key)
        if found is None:
            window = self.folded[start:end]
            found = self._vocab_cache[key] = any(word in window for word in context_rules().prefilter)
        return found

    def in_chrome(self, pos: int) -> bool:
        i = bisect.bisect_right(self.chrome_starts, pos) - 1
        return i >= 0 and self.chrome[i][0] <= pos < self.chrome[i][1]

    @cached_property
    def claimed(self) -> dict[int, list[tuple[int, str]]]:
        """Per sentence start: (position, indicator) of every figure a rule has claimed so far."""
        return {}

    @cached_property
    def near_sentences(self) -> list[tuple[int, int]]:
        """The sentences of `vocabulary_lines` only (sentences never span lines): figures elsewhere are
        skipped before their sentence is asked for."""
        return [s for lo, hi in self.vocabulary_lines for s in sentence_spans(self.text, lo, hi)]

    @cached_property
    def near_sentence_starts(self) -> list[int]:
        return [s for s, _ in self.near_sentences]

    def sentence_of(self, pos: int) -> tuple[int, int] | None:
        """The sentence holding `pos`, for a position in `vocabulary_lines` (else None)."""
        i = bisect.bisect_right(self.near_sentence_starts, pos) - 1
        if i >= 0 and self.near_sentences[i][0] <= pos < self.near_sentences[i][1]:
            return self.near_sentences[i]
        return None

    def paragraph_of(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        if i >= 0 and self.paragraphs[i][0] <= pos < self.paragraphs[i][1]:
            return self.paragraphs[i]
        return None

    def topic_hits(self, rule: Rule, sent: tuple[int, int]) -> list[tuple[int, int]]:
        """Spans of the rule's topic in the sentence; rules sharing a vocabulary share the search."""
        assert rule.topic is not None
        key = (sent[0], sent[1], rule.topic)
        hits = self._topic_cache.get(key)
        if hits is None:
            hits = [m.span() for m in rule.topic.finditer(self.folded, sent[0], sent[1])]
            condensed = self._without_provinces(sent)
            if condensed is not None:  # "tỷ lệ người dân tỉnh Lào Cai sử dụng điện thoại thông minh"
                text, where = condensed
                for m in rule.topic.finditer(text):
                    span = (where[m.start()], where[m.end() - 1] + 1)
                    if span not in hits:
                        hits.append(span)
                hits.sort()
            self._topic_cache[key] = hits
        return hits

    def _without_provinces(self, sent: tuple[int, int]) -> tuple[str, list[int]] | None:
        """The folded sentence with the province names in it (and "tỉnh", "của tỉnh" before them) left out,
        and for each kept character its offset in the text; None when the sentence names no province."""
        key = (sent[0], sent[1], None)
        if key in self._topic_cache:
            return self._topic_cache[key]  # type: ignore[return-value]
        lo = bisect.bisect_left(self.mention_starts, sent[0])
        hi = bisect.bisect_left(self.mention_starts, sent[1])
        cuts = []
        for m in self.mentions[lo:hi]:
            if m.level != "province" or m.end > sent[1]:
                continue
            lead = _NAME_LEAD.search(self.folded, max(sent[0], m.start - 24), m.start)
            cuts.append((lead.start() if lead else m.start, m.end))
        out = None
        if cuts:
            chars: list[str] = []
            where: list[int] = []
            pos = sent[0]
            for a, b in cuts + [(sent[1], sent[1])]:
                chars.append(self.folded[pos:a])
                where.extend(range(pos, a))
                pos = max(pos, b)
                while pos < sent[1] and self.folded[pos] == " " and chars and chars[-1].endswith(" "):
                    pos += 1  # one space where the name stood
            out = ("".join(chars), where)
        self._topic_cache[key] = out  # type: ignore[assignment]
        return out


def _unit_class(q: Quantity) -> str | None:
    if q.kind == "ratio":
        return "ratio"
    if q.kind != "number":
        return None
    return q.unit or "count"


def document_province(doc: Document, mentions=None, folded: str | None = None) -> str | None:
    """The 63-scheme id of the document's main province: manifest, web address, then its mentions."""
    if doc.province_hint:
        p = provinces.lookup(doc.province_hint)
        if p is not None:
            return _as_63(p)
    if doc.url:
        p = provinces.from_url(doc.url)
        if p is not None:
            return _as_63(p)
    if mentions is None:
        mentions = provinces.find_mentions(doc.text)
    title_end = len(doc.title or "") if doc.title and doc.text.startswith(doc.title) else doc.text.find("\n")
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for m in mentions:
        if m.level != "province":
            continue
        w = 1.0 + (3.0 if 0 <= m.start < max(title_end, 0) else 0.0)
        scores[m.province_id] = scores.get(m.province_id, 0.0) + w
        first.setdefault(m.province_id, m.start)
    if not scores:
        return _masthead_province(doc.text)
    best = max(scores, key=lambda pid: (scores[pid], -first[pid]))
    ranked = sorted(scores.values(), reverse=True)
    if len(scores) == 1:
        return best  # the only province the page names
    if scores[best] < 2 or ranked[1] == ranked[0]:
        return None
    return best


_SITE_NAME = re.compile(r"(?<![\w@/.-])((?:[a-z0-9-]+\.)+(?:vn|com|net|org))\b", re.IGNORECASE)
MASTHEAD_CHARS = 300  # where a page's own site name stands: its first and last lines


def _masthead_province(text: str) -> str | None:
    """A page that names no province but its outlet: "(sonla.gov.vn) - …", "Laocaitv.vn - …", "Nguồn:
    baothainguyen.vn" at its head or foot (the annotation rules take a masthead, real-dev a/README)."""
    found = {p.province_id for part in (text[:MASTHEAD_CHARS], text[-MASTHEAD_CHARS:])
             for m in _SITE_NAME.finditer(part) if (p := provinces.from_url(m.group(1))) is not None}
    return _as_63(provinces.get(found.pop())) if len(found) == 1 else None


def _as_63(p: provinces.Province) -> str:
    if p.scheme == "63":
        return p.province_id
    preds = provinces.predecessors(p.province_id)
    same = [x for x in preds if provinces.name_key(x.name) == provinces.name_key(p.name)]
    return (same or preds or [p])[0].province_id


def extract_text(
    text: str, name: str = "text", published: date | None = None, url: str | None = None,
    province_hint: str | None = None, title: str | None = None,
) -> ExtractResult:
    """Convenience for tests and tools: normalize raw text and extract from it."""
    from etl.dates import find_dateline

    norm = normalize(text)
    doc = Document(
        name=name, path=name, fmt="txt", text=norm, title=title or norm.strip().split("\n", 1)[0][:200],
        published=published or find_dateline(norm), url=url, province_hint=province_hint,
    )
    return extract_document(doc)


def extract_document(doc: Document, catalog: Catalog | None = None) -> ExtractResult:
    """All observations of a document: prose through the rules, table rows through the catalog."""
    catalog = catalog or load_catalog()
    result = ExtractResult()
    if doc.text and doc.fmt not in TABLE_FORMATS:  # a table's text is only a view of its rows
        try:
            _extract_prose(_Doc(doc, catalog), result)
        except RecursionError:  # pragma: no cover - defensive: the engine must never raise
            result.dropped.append(("internal error: recursion", ""))
    if doc.rows:
        from etl.extract_tables import extract_rows

        extract_rows(doc, catalog, result)
    return result


def _extract_prose(d: _Doc, result: ExtractResult) -> None:
    if not _has_topic_words(d.folded):
        # No indicator vocabulary at all (most news): only the main province, from the lead.
        lead = Document(name=d.doc.name, path=d.doc.path, fmt=d.doc.fmt, text=d.text[:LEAD_CHARS],
                        title=d.doc.title, url=d.doc.url, province_hint=d.doc.province_hint)
        result.province_id = document_province(lead, provinces.find_mentions(lead.text, d.folded[:LEAD_CHARS]))
        return
    result.province_id = d.province_id
    result.as_of_year = d.as_of
    seen: set[tuple] = set()
    found: list[Quantity] = []
    for lo, hi in d.vocabulary_lines:  # figures elsewhere could not pass may_state below
        found.extend(find_quantities(d.text, lo, hi, folded=d.folded))
    quantities = sorted(found + _word_quantities(d), key=lambda q: q.start)
    for q in quantities:
        if q.unit is None and q.kind == "number" and q.scale_word in _BILLIONS:
            q = replace(q, value=q.value / 1e9, unit="bn_vnd")  # "doanh thu … đạt 2.420 tỷ": money, đồng unsaid
        ucls = _unit_class(q)
        if ucls is None or d.in_chrome(q.num_start):
            continue
        if ucls == "count" and _DENSITY_LABEL.search(d.folded, max(0, q.start - 60), q.start):
            ucls = "per_100"  # "Mật độ điện thoại/100 dân đạt 140 thuê bao": the label says per 100 people
        sent = d.sentence_of(q.num_start)
        if sent is None:
            continue
        sent = _clip(d.text, sent, q)
        if not d.may_state(sent[0], max(sent[1], q.end + PHRASE_REACH)) and not _continues_a_list(d, sent) \
                and not (ucls == "pct" and context_rules().this_service_after.match(d.folded, q.end)):
            continue  # no indicator vocabulary around the figure: no rule can claim it (most figures)
        obs = _observe(d, q, ucls, sent, result)
        for o in obs:
            if o.indicator in RANKED:
                continue  # index rankings are the ranking stage's (etl/extract_ranks.py)
            key = (o.province_code, o.year, o.indicator, o.scope, round(o.value, 6), o.is_target)
            if key not in seen:
                seen.add(key)
                result.observations.append(o)
    for o in extract_ranks(d) + extract_text_tables(d):
        key = (o.province_code, o.year, o.indicator, o.scope, round(o.value, 6), o.is_target)
        if key not in seen:
            seen.add(key)
            result.observations.append(o)
    grid = extract_text_grids(d) if _YEAR_ROW_HEAD.search(d.folded) else []
    if grid:  # a table flattened into text: its rows replace what the prose rules read on those lines
        spans = {(o.start, o.end) for o in grid}
        result.observations = [o for o in result.observations
                               if not any(a <= o.start < b or o.start <= a < o.end for a, b in spans)]
        for o in grid:
            key = (o.province_code, o.year, o.indicator, o.scope, round(o.value, 6), o.is_target)
            if key not in seen:
                seen.add(key)
                result.observations.append(o)
    _drop_headline_targets(d, result)


def _drop_headline_targets(d: _Doc, result: ExtractResult) -> None:
    """A headline that states as done what the body sets as a target ("Từ 2010, 60% văn bản … qua thư điện
    tử" over "Với mục tiêu đến đầu năm 2010, 60% văn bản …"): the headline's figure is that target."""
    title_end = d.text.find("\n")
    heads = [o for o in result.observations if not o.is_target and o.end <= title_end and o.unit == "pct"]
    if title_end < 0 or not heads:
        return
    body_targets = set()
    for q in find_quantities(d.text, title_end, len(d.text), folded=d.folded):
        if q.unit == "pct" and (sent := d.sentence_of(q.num_start)) is not None \
                and _is_target(d, d.folded[sent[0]:q.start], sent[0]):
            body_targets.add(round(q.value, 6))
    drop = [o for o in heads if round(o.value, 6) in body_targets]
    for o in drop:
        result.dropped.append((f"{o.indicator}: the headline repeats a target the text sets", o.evidence))
    result.observations = [o for o in result.observations if o not in drop]


_DENSITY_LABEL = re.compile(r"\bmat do\b[^.;:\d]{0,30}/\s*100\s+(?:dan|nguoi)\b[^.;\d]{0,50}$")
_POST_AND_TELECOM = re.compile(r"\b(?:buu chinh\s*(?:,|-|–|va)\s*vien thong|bcvt)\b")
_PARTS_FOLLOW = re.compile(r"[^.;]{0,30}?\b(?:trong do|bao gom|gom)\b")
_DISTRICT_LEAD = re.compile(r"\s*(?:[^\n.]{0,30}?,\s*)?((?i:huyện|thị xã|quận))\s+([A-ZĐÂĂÊÔƠƯ][^\s,;.:()]*(?:\s+[A-ZĐÂĂÊÔƠƯ][^\s,;.:()]*){0,2})")
_YEAR_ROW_HEAD = re.compile(r"(?:19|20)\d\d[ \t]+(?:\D{0,12})(?:19|20)\d\d[ \t]*$", re.M)  # a line ending in years
_RESULT_AFTER = re.compile(r"[^.;,%\d]{0,60}?\b(?:da duoc|da dat|da co|hien da|da hoan thanh)\b")
_HORIZON_LEAD = re.compile(r"\W*(?:va |con )?(?:den|toi) (?:het |cuoi )?(?:nam )?((?:19|20)\d\d)\b(?!\s*[/.-]\s*\d)")
# a clause whose subject is one department other than the ICT one ("Sở Tư pháp tỉnh đã cung cấp 100% dịch vụ công
# trực tuyến"); the ICT department speaks for the province ("Sở TT&TT đã tham mưu … đến 100% xã")
_DEPARTMENT_SUBJECT = re.compile(r"\s*(?:[-–•+]\s*)?Sở\s+(?!Thông tin|TT|KH|Khoa học|Bưu chính)(?![^,;:]*\b(?:cho biết|báo cáo|thông tin|công bố)\b)[A-ZĐ][^,;:()]*?\s(?:đã|đang|có|đạt)\b")
_BRACKETED = re.compile(r"\([^()]*\)")
_BULLET = re.compile(r"\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)])\s")
_LIST_HEADING_LINES = 12


def _list_heading_year(d: _Doc, para_start: int) -> int | None:
    """The year of the heading that opens a list of bullet lines ("Kết quả năm 2022 của tỉnh:" then "- Số trạm
    BTS: 1.200 trạm"): the first line above the bullets, when it ends with ':' and names one year (not a target
    horizon or a comparison)."""
    i = bisect.bisect_right(d.para_starts, para_start) - 1
    for j in range(i - 1, max(-1, i - 1 - _LIST_HEADING_LINES), -1):
        lo, hi = d.paragraphs[j]
        if _BULLET.match(d.folded, lo):
            continue
        if not d.folded[lo:hi].rstrip().endswith(":"):
            return None
        years = [m for m in d.years if lo <= m.start < hi]
        if len(years) == 1 and years[0].kind in ("year", "asof") and years[0].year <= (d.as_of or 9999):
            return years[0].year
        return None
    return None


def _clip(text: str, sent: tuple[int, int], q: Quantity) -> tuple[int, int]:
    """The sentence around a figure, at most MAX_CONTEXT characters either side (cut at a space), so
    a sentence with thousands of figures costs linear time and every evidence stays readable."""
    s0, s1 = sent
    if q.start - s0 > MAX_CONTEXT:
        cut = text.find(" ", q.start - MAX_CONTEXT, q.start)
        s0 = cut + 1 if cut >= 0 else q.start - MAX_CONTEXT
    if s1 - q.end > MAX_CONTEXT:
        cut = text.rfind(" ", q.end, q.end + MAX_CONTEXT)
        s1 = cut if cut > q.end else q.end + MAX_CONTEXT
    return s0, s1


def _word_quantities(d: _Doc) -> list[Quantity]:
    """"toàn bộ các xóm", "tất cả các huyện, xã": 100 % written as a word, only before a level noun."""
    ctx = context_rules()
    out = []
    for m in ctx.all_word.finditer(d.folded):
        if scopes_after(d.text, m.end(), min(len(d.text), m.end() + 40)):
            out.append(Quantity(start=m.start(), end=m.end(), num_start=m.start(), num_end=m.end(), value=100.0,
                                raw=d.text[m.start():m.end()], qualifier="exact", unit="pct"))
    return out


def _has_topic_words(folded: str) -> bool:
    """Cheap test that a document may state any indicator at all (most news does not)."""
    return any(word in folded for word in context_rules().prefilter)


def _observe(d: _Doc, q: Quantity, ucls: str, sent: tuple[int, int], result: ExtractResult) -> list[Observation]:
    ctx = context_rules()
    f = d.folded
    s0, s1 = sent
    evidence = d.source[s0:s1]
    before = f[max(s0, q.start - 40):q.start]
    after = f[q.end:min(s1, q.end + 40)]
    rank_phrase = ucls in ("count", "ratio") and bool(ctx.rank_cue.search(f[max(s0, q.num_start - 30):q.num_start]))

    cand = _best_rule(d, q, ucls, sent, rank_phrase)
    if cand is None:
        return []
    rule = cand.rule
    ind = d.catalog.indicators[rule.indicator]
    if ctx.kill_before.search(before) or ctx.kill_after.match(after):
        result.dropped.append((f"{ind.id}: growth, flow or ratio to plan, not a level", evidence))
        return []
    prefix = f[s0:q.start]
    pm = ctx.period.search(prefix)
    if pm and _WHOLE_YEAR.search(prefix, pm.end()):
        pm = None  # "… tháng 12 ước đạt 150 tỷ; tính chung cả năm 2023 ước đạt 1.750 tỷ": the year's total
    period = _period_of(pm)  # kept, labelled and out of facts (confidence below)
    clause_start = max(s0, f.rfind(";", s0, q.start) + 1)
    clause_prefix = f[clause_start:q.start]
    if ind.unit != "rank" and ctx.flow_clause.search(clause_prefix):
        result.dropped.append((f"{ind.id}: added during a period (a flow), not a level", evidence))
        return []
    if ind.unit != "rank" and (ctx.national.search(prefix) or ctx.national_after.match(after)):
        result.dropped.append((f"{ind.id}: national figure", evidence))
        return []
    if ctx.other_measure.search(clause_prefix):
        result.dropped.append((f"{ind.id}: another measure (undergrounding, shared masts, an average per place)", evidence))
        return []
    if ctx.other_body.search(prefix):
        result.dropped.append((f"{ind.id}: a ministry's or another body's figure", evidence))
        return []
    if _after_other_name(d, q):
        result.dropped.append((f"{ind.id}: the figure of a named body that is not a province", evidence))
        return []
    if _DEPARTMENT_SUBJECT.match(d.text, max(s0, d.folded.rfind(",", s0, q.start) + 1), q.start):
        result.dropped.append((f"{ind.id}: one department's figure (Sở Tư pháp, Sở Y tế …), not the province's", evidence))
        return []
    if ctx.hypothetical.search(clause_prefix):
        result.dropped.append((f"{ind.id}: a possibility or forecast, not a level", evidence))
        return []
    if ind.group in ctx.operator_groups and (
            ctx.operators.search(prefix) or ctx.operator_names.search(d.text, s0, q.start)
            or ctx.operator_after.match(f, q.end)):
        result.dropped.append((f"{ind.id}: an operator's figure, not the province total", evidence))
        return []
    if ctx.enterprise_plan_after.match(f, q.end):
        result.dropped.append((f"{ind.id}: an enterprise's figure (against its corporation's plan)", evidence))
        return []
    if ind.group == "infrastructure" and ctx.operations_clause.search(f, clause_start, q.start):
        result.dropped.append((f"{ind.id}: network operations (stations adjusted, coverage restored), not the stock",
                               evidence))
        return []
    if ind.id == "mobile_coverage_pct":  # the figure's own phrase: from the comma before it to the comma after it
        head = max(clause_start, f.rfind(",", s0, q.start) + 1)
        tail = min(s1, q.end + 60, *(i for i in (f.find(",", q.end, s1),) if i >= 0))
        if ctx.five_g.search(f, head, tail) and not ctx.other_generations.search(f, head, tail):
            result.dropped.append((f"{ind.id}: 5G coverage alone (the 5G roll-out), not mobile coverage", evidence))
            return []
    if ctx.damaged_after.match(f, q.end):
        result.dropped.append((f"{ind.id}: stations damaged or restored, not the stock", evidence))
        return []
    if ind.unit == "pct" and ctx.area_after.match(f, q.end):
        result.dropped.append((f"{ind.id}: a share of the land area", evidence))
        return []
    if ctx.subprovincial.search(d.text, clause_start, q.start) or ctx.subprovincial_plain.search(f, clause_start, q.start):
        result.dropped.append((f"{ind.id}: a district's or commune's figure", evidence))
        return []
    if (d.district_site or d.district_page) and not _PROVINCE_WIDE.search(f, s0, s1):
        result.dropped.append((f"{ind.id}: a district's page, the figure is not said to be the province's", evidence))
        return []
    if q.value == 100 and re.match(r"\s*(?:nguoi )?dan\b", after) \
            and re.search(r"(?:tren|/)\s*$", f[max(s0, q.start - 40):q.num_start]):
        return []  # "thuê bao ... trên 100 dân": the denominator of a density, not a figure

    stated_before = d.claimed.setdefault(s0, [])
    stated_before.append((q.start, ind.id))
    if not ind.from_prose:
        result.dropped.append((f"{ind.id}: read from tables only (the annotation rules make prose counts optional)",
                               evidence))
        return []
    if _is_breakdown(d, ind.id, s0, q.start):
        result.dropped.append((f"{ind.id}: a part of a total stated before it (trong đó …)", evidence))
        return []
    # province
    prov_id, prov_how = _province_for(d, q, sent, clause_start)
    if prov_how == "city":
        result.dropped.append((f"{ind.id}: a city's figure, not the province total", evidence))
        return []
    if prov_id is None:
        result.dropped.append((f"{ind.id}: the text does not say which province", evidence))
        return []
    # year and target
    para = d.paragraph_of(q.num_start)
    para_lead = None
    if para is not None:
        m = ctx.years["paragraph_lead"].match(f, para[0])
        if m and int(m.group(1)) <= (d.as_of or 9999):
            para_lead = int(m.group(1))
        elif _BULLET.match(f, para[0]):
            para_lead = _list_heading_year(d, para[0])
    year, year_how, horizon_target = bind_year(
        q.start, q.end, sent, para_lead, d.years, f, d.as_of, d.doc.published)
    if year_how in ("paragraph lead", "document as-of year", "unknown") and _SAME_TIME.match(f, s0):
        carried = _year_of_previous_sentence(d, s0)
        if carried is not None:
            year, year_how = carried, "the time of the sentence before ('cùng thời điểm đó')"
    if year_how in ("document as-of year", "unknown") and not _NOW_WORDS.search(f, s0, q.start):
        led = _sentence_lead_year(d, s0)
        if led is not None and led <= (d.as_of or 9999):
            year, year_how = led, "a year leading an earlier sentence of the paragraph ('Đến năm 2017, …')"
    if cand.frame is not None and year_how in ("paragraph lead", "document as-of year", "unknown"):
        # a continued league list: the year framing the sentence that gave it its topic
        fy = bind_year(cand.frame[1], cand.frame[1], cand.frame, para_lead, d.years, f, d.as_of, d.doc.published)
        if fy[1].startswith("explicit"):
            year, year_how = fy[0], "the list's first sentence"
    is_target = horizon_target or _is_target(d, prefix, s0) or _continues_targets(d, sent)
    if is_target and not horizon_target and _RESULT_AFTER.match(f, q.end, min(s1, q.end + 80)):
        is_target = False  # "… định hướng đến năm 2030, … với 100% khu dân cư … đã được phủ sóng": its own verb says done
    if is_target and year_how in ("document as-of year", "paragraph lead"):
        year, year_how = None, "target without a stated year"  # never guess a target's horizon
    # value, qualifier
    value = float(q.value)
    if ind.unit == "count" and value != int(value) and q.scale_word is None \
            and _THOUSANDS_WRITTEN_AS_DECIMAL.fullmatch(q.raw.strip()):
        # "340,656 thuê bao": a count is whole, so the comma (or dot) separates thousands (the rules' a010)
        value = float(re.sub(r"[.,]", "", q.raw.strip()))
    qualifier = q.qualifier
    denominator = q.denominator
    if ind.unit == "rank":
        if q.kind == "ratio" and denominator and value > denominator:
            return []
        if value != int(value):
            return []
    elif q.kind == "ratio":
        return []
    if ind.unit == "pct" and value > 100:
        result.dropped.append((f"{ind.id}: {value:g}% is above 100", evidence))
        return []
    if not ind.within_hard(value):
        result.dropped.append((f"{ind.id}: {value:g} outside the plausible range "
                               f"[{ind.hard_min}, {ind.hard_max}]", evidence))
        return []
    confidence = 0.9 if cand.priority == 0 else max(0.6, 0.88 - cand.distance / 1000)
    if year_how == "document as-of year":
        confidence -= 0.05
    if ind.past_warn(value):
        confidence = min(confidence, 0.3)
    if period is not None:
        confidence = min(confidence, PART_YEAR_CONFIDENCE)
    # scope
    scopes = ["all"]
    if ind.unit == "pct" and ind.scoped:
        stop = _phrase_end(d, q, s1)
        scopes = (_level_by_position(d, q, s0) or _ratio_levels(d, q, s0) or scopes_after(d.text, q.end, stop)
                  or _scopes_before(d, q, cand, s0) or ["all"])
        scopes = [s for s in scopes if s != "household"] or ["all"]
    province_name, province_code = _province_as_named(prov_id, d.doc.published, year)
    indicators = [ind.id] + _coordinated_network(d, ind.id, clause_start, q.start)
    return [
        Observation(
            doc=d.doc.name, province=province_name, province_code=province_code, year=year,
            indicator=ind_id, scope=scope, value=value, unit=ind.unit, qualifier=qualifier,
            is_target=is_target, evidence=evidence, start=s0, end=s1, rule=rule.id,
            confidence=round(confidence, 3), denominator=denominator, period=period,
        )
        for ind_id in indicators for scope in scopes
    ]


_NETWORKS = {  # one figure for two networks: "phủ sóng internet cáp quang … và dịch vụ 3G, 4G đến 100% thôn"
    "fibre_coverage_pct": re.compile(r"\b(?:cap quang|ftth)\b"),
    "mobile_coverage_pct": re.compile(r"\b(?:[34]g(?:\s*/\s*[345]g)*|di dong)\b"),
}
_NETWORK_JOIN = re.compile(r"(?:,|\bva\b)")


def _coordinated_network(d: _Doc, indicator: str, clause_start: int, pos: int) -> list[str]:
    """The other coverage indicator when the figure's clause names both networks joined by "và" or a comma
    before it ("cáp quang Internet, mạng 3G/4G đến 100% xã"): the annotation rules list both (f038, k007)."""
    if indicator not in _NETWORKS:
        return []
    other = next(i for i in _NETWORKS if i != indicator)
    f = d.folded
    mine, theirs = _NETWORKS[indicator].search(f, clause_start, pos), _NETWORKS[other].search(f, clause_start, pos)
    if mine is None or theirs is None or re.search(r"\b\d+(?:[.,]\d+)*\b", f[clause_start:pos]):  # another figure
        return []
    lo, hi = sorted((mine.start(), theirs.start()))
    return [other] if _NETWORK_JOIN.search(f, lo, hi) else []


PART_YEAR_CONFIDENCE = 0.4  # below FACTS_MIN_CONFIDENCE: a 6- or 9-month figure is listed for review only
_PERIOD_MONTHS = re.compile(r"(\d{1,2}) thang")
_PERIOD_QUARTER = re.compile(r"quy (i|ii|iii|iv|1|2|3|4)\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _period_of(m: re.Match | None) -> str | None:
    """"6 tháng đầu năm" -> "6M", "quý II" -> "Q2", "nửa đầu năm" -> "H1"; None for a whole year."""
    if m is None:
        return None
    text = m.group(0)
    if (n := _PERIOD_MONTHS.search(text)) is not None:
        return f"{int(n.group(1))}M"
    if (qm := _PERIOD_QUARTER.search(text)) is not None:
        k = qm.group(1)
        return f"Q{_QUARTERS.get(k, k)}"
    return "H1" if "nua" in text else "part-year"


_BREAKDOWN = re.compile(r"\b(?:trong do|trong so do|bao gom|chia ra|gom co|cu the(?: la| gom)?)\b")


def _is_breakdown(d: _Doc, indicator: str, s0: int, pos: int) -> bool:
    """"toàn tỉnh có 2.894 trạm BTS, trong đó 838 trạm 2G": a figure after 'trong đó' whose indicator
    was already claimed by a figure before the marker in the same sentence is a part of that total.
    A breakdown into another indicator ("… thuê bao điện thoại (trong đó … di động 1.161.983)") is not."""
    f = d.folded
    claimed = [p for p, ind in d.claimed.get(s0, ()) if ind == indicator and p < pos]
    if not claimed:
        return False
    for m in _BREAKDOWN.finditer(f, s0, pos):
        if _breakdown_closed(f, m.start(), pos):
            continue
        if any(p < m.start() for p in claimed):
            return True
    return False


def _breakdown_closed(f: str, marker: int, pos: int) -> bool:
    """"… 1.188.209 thuê bao (trong đó …), mật độ … 73,77": the breakdown opened in brackets (or its
    clause) ended before the figure: a ')' closing the bracket the marker stands in, or a ';'."""
    opened = f.rfind("(", max(0, marker - 3), marker + 1) >= 0
    if opened and ")" in f[marker:pos]:
        return True
    return ";" in f[marker:pos]


_RESPECTIVELY = re.compile(r"\b(?:lan luot|tuong ung)\b")
_FIGURE = re.compile(r"\d")


def _level_by_position(d: _Doc, q: Quantity, s0: int) -> list[str]:
    """Levels named BEFORE a figure: "cấp tỉnh đạt khoảng 80%, cấp huyện khoảng 64%" (the figure's own
    clause names one level), or "ở cấp tỉnh, cấp huyện, cấp xã lần lượt đạt 80%, 64% và 96%" (the n-th
    figure after 'lần lượt' takes the n-th level)."""
    f = d.folded
    resp = None
    for m in _RESPECTIVELY.finditer(f, s0, q.start):
        resp = m
    if resp is not None:
        levels = levels_in_order(d.text[s0:resp.start()])
        if len(levels) > 1:
            n = len(re.findall(r"\d+(?:[.,]\d+)?\s*%", d.text[resp.end():q.start]))
            return [levels[n]] if n < len(levels) else []
    clause0 = max(s0, f.rfind(",", s0, q.start) + 1, f.rfind(";", s0, q.start) + 1)
    clause = d.text[clause0:q.start]
    if _FIGURE.search(clause):
        return []
    level = level_named_before(clause)
    return [level] if level else []


_BRACKETED_SHARE = re.compile(r"\(\s*(?:tuong duong|dat|bang|chiem|khoang)?\s*(?:ty le\s*)?$")
_SHARE_VERB = re.compile(r"\s(?:dat|chiem|bang)\s+(?:ty le\s+)?(?:khoang\s+|gan\s+|tren\s+)?$")
_RATIO_BEFORE = re.compile(r"\d[\d.,]*\s*/\s*\d[\d.,]*")


def _ratio_levels(d: _Doc, q: Quantity, s0: int) -> list[str]:
    """"1.548/1.562 thôn, tổ dân phố (tương đương 99%)": a share in brackets after a count of places
    takes the places named between the count and the bracket."""
    f = d.folded
    paren = f.rfind("(", max(s0, q.start - 16), q.start)
    if paren < 0 or not _BRACKETED_SHARE.search(f, paren, q.start):
        # "209/210 xã có cáp quang đến trung tâm đạt 99,5%": the share reached by the places just counted
        lead = _SHARE_VERB.search(f, max(s0, q.start - 16), q.start)
        if lead is None:
            return []
        paren = lead.start()
    ratio = None
    for m in _RATIO_BEFORE.finditer(f, max(s0, paren - 60), paren):
        ratio = m
    if ratio is None or re.search(r"[;:()\d]", f[ratio.end():paren]):
        return []
    return scopes_after(d.text, ratio.end(), paren)


def _scopes_before(d: _Doc, q: Quantity, cand: _Candidate, s0: int) -> list[str]:
    """"cáp quang tới trung tâm xã đạt 100%": the level stands between the topic and the figure."""
    if cand.priority != 1 or cand.distance > 60:
        return []
    gap_start = q.start - cand.distance
    found = scopes_after(d.text, gap_start, q.start)
    if not found and cand.topic_start >= s0:
        # "Tỷ lệ thôn, bản được phủ sóng di động ... đạt 85%": the level right after "tỷ lệ"
        lead = _RATE_LEAD.search(d.folded, max(s0, cand.topic_start - 60), q.start)
        if lead:
            found = scopes_after(d.text, lead.end(), q.start)
    return found


def _phrase_end(d: _Doc, q: Quantity, s1: int) -> int:
    """Where the noun phrase after a percentage ends: next figure, ';' or 90 characters."""
    stop = min(s1, q.end + 90)
    nxt = re.search(r"\d|;|:", d.text[q.end:stop])
    return q.end + nxt.start() if nxt else stop


def _best_rule(d: _Doc, q: Quantity, ucls: str, sent: tuple[int, int], rank_phrase: bool) -> _Candidate | None:
    f = d.folded
    s0, s1 = sent
    sentence_f = f[s0:s1]
    best: _Candidate | None = None
    best_len = -1
    if rank_phrase or (ucls == "ratio" and q.denominator in (34.0, 63.0, 64.0)):
        return _rank_rule(d, q, sent)
    if ucls == "count" and _SCORE_AFTER.match(f, q.end) and q.value < 1000:
        scored = _score_rule(d, q, sent)
        if scored is not None:
            return scored  # else "tổng số điểm phục vụ là 160 điểm": points, not a score
    pos = q.end + len(_WS.match(f, q.end).group(0))
    # "94 thuê bao di động/100 dân": the noun stands inside a density's unit, right after the number
    inner = q.num_end + len(_WS.match(f, q.num_end).group(0)) if ucls == "per_100" else None
    for rule in d.catalog.rules_for("after", ucls):
        m = rule.pattern.match(f, pos)  # type: ignore[union-attr]
        if not m and inner is not None:
            m = rule.pattern.match(f, inner)  # type: ignore[union-attr]
        if not m:
            continue
        if rule.forbids and rule.forbids.search(f, m.start(), min(len(f), m.end() + 8)):
            continue  # in the noun or right after it ("838 trạm phát sóng 2G")
        if rule.requires and not rule.requires.search(sentence_f):
            continue
        if len(m.group(0)) > best_len:
            best, best_len = _Candidate(rule, 0, 0), len(m.group(0))
    if best is not None:
        return best
    best_score: tuple[int, int, int] | None = None
    for rule in d.catalog.rules_for("before", ucls):
        hit = _last_hit_before(d.topic_hits(rule, sent), q.start)
        if hit is None:
            continue
        hs, he = hit
        dist = q.start - he
        if dist > MAX_TOPIC_DISTANCE:
            continue
        between = _SHARE_LEAD.sub("", f[he:q.start])  # "…, đạt tỷ lệ 37,6%": the share of what was just named
        between = _WHOLE_YEAR_GOES_ON.sub(" ", between)  # "… tháng 12 ước đạt 150 tỷ; tính chung cả năm … 1.750 tỷ"
        if _BARRIER.get(ucls, _BARRIER["default"]).search(between) or _other_quantity_unit_break(between):
            continue
        if rule.forbids and rule.forbids.search(f[hs:q.start]):
            continue
        if rule.requires and not rule.requires.search(sentence_f):
            continue
        if rule.subject and not rule.subject.match(f, q.end):
            continue
        if rule.subject_forbids and rule.subject_forbids.match(f, q.end):
            continue
        # the nearest topic wins; on a tie the longer (more specific) topic, then a rule with a subject
        score = (dist, -(he - hs), 0 if rule.subject else 1)
        if best_score is None or score < best_score:
            best, best_score = _Candidate(rule, 1, dist, hs), score
    if best is None and _after_province_name(d, q):
        # a league list: "Hòa Bình (86,5%), Nam Định (65,9%) … dẫn đầu về tỷ lệ hồ sơ trực tuyến":
        # the topic may stand anywhere in the sentence
        for rule in d.catalog.rules_for("before", ucls):
            if rule.subject is not None:
                continue
            hits = d.topic_hits(rule, sent)
            if not hits:
                continue
            dist = min(abs(q.start - h[0]) for h in hits)
            if best is None or dist < best.distance:
                best = _Candidate(rule, 2, dist)
        if best is None:
            best = _league_continued(d, q, ucls, sent)
    if best is None and ucls == "pct":
        best = _this_service(d, q, sent) or _year_series_continued(d, q, ucls, sent)
    if best is None and ucls == "bn_vnd":
        sector = _revenue_sector(d, q, sent)
        if sector is not None:
            rule = next((r for r in d.catalog.rules_for("before", ucls)
                         if r.indicator == sector[0] and r.subject is None), None)
            if rule is not None:
                best = _Candidate(rule, 2, q.start - sector[1], sector[1], frame=sector[2])
    return best


def _this_service(d: _Doc, q: Quantity, sent: tuple[int, int]) -> _Candidate | None:
    """"72% hộ gia đình sử dụng dịch vụ này": the service named before the figure in its sentence or in the
    sentence before (one service only; `this_service_after`, `this_service` in etl/rules/context.yaml)."""
    ctx = context_rules()
    f = d.folded
    if not ctx.this_service_after.match(f, q.end):
        return None
    windows = [(sent[0], q.start)]
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    if i >= 0:
        windows.append(d.sentences[i])
    named = {ind for ind, pattern in ctx.this_service.items() if any(pattern.search(f, lo, hi) for lo, hi in windows)}
    if len(named) != 1:
        return None
    ind = named.pop()
    rule = next((r for r in d.catalog.rules_for("after", "pct") if r.indicator == ind), None)
    return _Candidate(rule, 2, 0) if rule is not None else None


def _revenue_sector(d: _Doc, q: Quantity, sent: tuple[int, int]) -> tuple[str, int, tuple[int, int] | None] | None:
    """(indicator, where "doanh thu" starts, the sentence before that named the sector or None) for a bare "Doanh thu ước đạt 168,2 tỷ đồng" whose sector (bưu
    chính or viễn thông) is named earlier in its sentence or in one of the three sentences before it (within two
    paragraphs: a photo caption may stand between): the nearest that names a sector decides, and it must name
    one only (`revenue_bare`, `revenue_sectors` in etl/rules/context.yaml)."""
    ctx = context_rules()
    f = d.folded
    m = ctx.revenue_bare.search(f, max(sent[0], q.start - 100), q.start)
    if m is None:
        return None
    # "doanh thu của toàn ngành đạt 598 tỷ đồng, trong đó doanh thu từ Viễn thông là 588 …; từ Bưu chính 11": a
    # total whose parts are both sectors is the combined post-and-telecom revenue (the gold's convention)
    parts = _PARTS_FOLLOW.match(f, q.end, sent[1])
    if parts and all(p.search(f, parts.end(), sent[1]) for p in ctx.revenue_sectors.values()):
        return "telecom_revenue_bn_vnd", m.start(), None
    windows = [(sent[0], m.start())]
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    para = bisect.bisect_right(d.para_starts, sent[0])
    for j in (i, i - 1, i - 2):
        if j >= 0 and para - bisect.bisect_right(d.para_starts, d.sentences[j][0]) <= 2:
            windows.append(d.sentences[j])
    for k, (lo, hi) in enumerate(windows):
        named = {ind for ind, pattern in ctx.revenue_sectors.items() if pattern.search(f, lo, hi)}
        if len(named) > 1 and k == 0 and _POST_AND_TELECOM.search(f, lo, hi):
            named = {"telecom_revenue_bn_vnd"}  # "Về lĩnh vực bưu chính, viễn thông, tổng doanh thu …": combined
        if named:
            return (named.pop(), m.start(), (lo, hi) if k else None) if len(named) == 1 else None
    return None


_THOUSANDS_WRITTEN_AS_DECIMAL = re.compile(r"\d{1,3}[.,]\d{3}")
_SAME_TIME = re.compile(r"\W*(?:cung|trong|vao) (?:thoi diem|thoi gian|thoi ky|ky) (?:do|nay|tren)\b")


_NOW_WORDS = re.compile(r"\b(?:hien nay|hien co|hien tai|den nay|hien)\b")


def _sentence_lead_year(d: _Doc, s0: int) -> int | None:
    """The year that leads an earlier sentence of the same paragraph ("… . Đến năm 2017, toàn tỉnh có 216 điểm …
    . Toàn tỉnh có 743 nghìn thuê bao …"), when no sentence between names a year of its own."""
    ctx = context_rules()
    para = d.paragraph_of(s0)
    if para is None:
        return None
    i = bisect.bisect_left(d.sent_starts, s0) - 1
    while i >= 0 and d.sentences[i][0] >= para[0]:
        p0, p1 = d.sentences[i]
        if any(p0 <= m.start < p1 for m in d.years):
            m = ctx.years["paragraph_lead"].match(d.folded, p0)
            return int(m.group(1)) if m else None
        i -= 1
    return None


def _year_of_previous_sentence(d: _Doc, s0: int) -> int | None:
    """The last reference year written in the sentence before ("Tháng 12/2025, … . Cùng thời điểm đó, …")."""
    i = bisect.bisect_left(d.sent_starts, s0) - 1
    if i < 0:
        return None
    p0, p1 = d.sentences[i]
    years = [m for m in d.years if p0 <= m.start < p1 and m.kind in ("year", "asof")]
    if years:
        return years[-1].year
    m = _MONTH_YEAR.search(d.folded, p0, p1)
    return int(m.group(1)) if m else None


_MONTH_YEAR = re.compile(r"\bthang\s+\d{1,2}\s*[/.-]\s*((?:19|20)\d\d)\b")


def _continues_a_list(d: _Doc, sent: tuple[int, int]) -> bool:
    """A league list ("Đà Nẵng (58,89%), Hà Giang (55,76%) … xếp sau") right after a sentence that may
    state an indicator: worth reading though it names no topic itself."""
    if len(_LEAGUE_ITEM.findall(d.text, sent[0], sent[1])) < 2 \
            and len(_YEAR_ITEM.findall(d.folded, sent[0], sent[1])) < 2:
        return False
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    return i >= 0 and d.may_state(*d.sentences[i])


_LEAGUE_ITEM = re.compile(r"\(\s*\d+(?:[.,]\d+)?\s*%")
# a series of years: "năm 2021 là 15,38%, năm 2022 là 18,66%, năm 2023 là 21,5%"
_YEAR_ITEM = re.compile(r"\bnam (?:19|20)\d\d (?:la|dat|uoc dat|uoc tinh|khoang)\s+(?:khoang |gan |tren |hon )?\d+(?:[.,]\d+)?\s*%")
_YEAR_ITEM_LEAD = re.compile(r"\bnam (?:19|20)\d\d (?:(?:la|dat|uoc dat|uoc tinh|khoang)\s+)?(?:khoang |gan |tren |hon )?$")


def _year_series_continued(d: _Doc, q: Quantity, ucls: str, sent: tuple[int, int]) -> _Candidate | None:
    """"Tỷ trọng … của kinh tế số cho GRDP … . Song song đó, theo đánh giá của Bộ: năm 2021 là 15,38%, năm 2022
    là 18,66%": a series of years with no topic of its own takes the one indicator the sentence before was read as."""
    if ucls != "pct" or not _YEAR_ITEM_LEAD.search(d.folded, max(sent[0], q.start - 40), q.start) \
            or len(_YEAR_ITEM.findall(d.folded, sent[0], sent[1])) < 2:
        return None
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    if i < 0:
        return None
    prev = d.sentences[i]
    claimed = {ind for _, ind in d.claimed.get(prev[0], ())}
    rules = {r.indicator: r for r in d.catalog.rules_for("before", ucls) if r.subject is None and r.indicator in claimed}
    if len(rules) != 1:
        return None
    return _Candidate(next(iter(rules.values())), 2, q.start - sent[0], frame=prev)


def _league_continued(d: _Doc, q: Quantity, ucls: str, sent: tuple[int, int]) -> _Candidate | None:
    """"… dẫn đầu về tỷ lệ hồ sơ trực tuyến: Hòa Bình (86,5%), … . 5 tỉnh thấp nhất gồm: Bạc Liêu (7,4%), …":
    a league list continuing the one in the sentence before takes that sentence's topic (one topic only)."""
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    if i < 0:
        return None
    prev = d.sentences[i]
    rules = [rule for rule in d.catalog.rules_for("before", ucls) if rule.subject is None]
    if len(_LEAGUE_ITEM.findall(d.text, prev[0], prev[1])) >= 2:
        found = {rule.indicator: rule for rule in rules if d.topic_hits(rule, prev)}
    elif len(_LEAGUE_ITEM.findall(d.text, sent[0], sent[1])) >= 2:
        # "Hà Nam đã xử lý trực tuyến 68,54% … hồ sơ. Đà Nẵng (58,89%), Hà Giang (55,76%) … xếp sau":
        # the one indicator the sentence before was read as
        claimed = {ind for _, ind in d.claimed.get(prev[0], ())}
        found = {rule.indicator: rule for rule in rules if rule.indicator in claimed}
    else:
        return None
    if len(found) != 1:
        return None
    return _Candidate(next(iter(found.values())), 2, q.start - sent[0], frame=prev)


_NAME_PAREN = re.compile(r"([A-ZĐÂĂÊÔƠƯ][^\s(),;:]*(?:\s+[A-ZĐÂĂÊÔƠƯa-zđ][^\s(),;:]*){0,4})\s*\(\s*$")


def _after_province_name(d: _Doc, q: Quantity) -> bool:
    """"Hòa Bình (86,5%)": the figure stands in brackets right after a province's name."""
    i = bisect.bisect_left(d.mention_starts, q.start) - 1
    if i < 0:
        return False
    m = d.mentions[i]
    return m.level == "province" and re.fullmatch(r"\s*\(\s*", d.text[m.end:q.start]) is not None


def _after_other_name(d: _Doc, q: Quantity) -> bool:
    """"Xây dựng (16,6%)", "Bộ Công Thương (25%)": a capitalised name that is not a province, then the
    figure in brackets."""
    if not d.text[max(0, q.start - 3):q.start].rstrip().endswith("("):
        return False
    m = _NAME_PAREN.search(d.text, max(0, q.start - 60), q.start)
    return m is not None and not _after_province_name(d, q)


def _last_hit_before(hits: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The last topic hit ending at or before `pos` (hits are in text order)."""
    for hit in reversed(hits):
        if hit[1] <= pos:
            return hit
    return None


def _other_quantity_unit_break(between: str) -> bool:
    """A sentence-level break between topic and figure: a full stop inside the folded window."""
    return ". " in between


def _rank_rule(d: _Doc, q: Quantity, sent: tuple[int, int]) -> _Candidate | None:
    ctx = context_rules()
    f = d.folded
    best: _Candidate | None = None
    for rule in d.catalog.rules_for("rank"):
        hits = d.topic_hits(rule, sent)
        before = [h for h in hits if h[1] <= q.start]
        if before:
            hs, he = before[-1]
            dist = q.start - he
            if dist > MAX_TOPIC_DISTANCE or ctx.rank_components.search(f, he, q.start):
                continue
        else:  # "xếp hạng 25/63 tỉnh, thành phố trong bảng xếp hạng ICT Index"
            after = [h for h in hits if h[0] >= q.end and h[0] - q.end <= 90]
            if not after or ctx.rank_components.search(f, q.end, after[0][0]):
                continue
            dist = after[0][0] - q.end + 20  # a topic after the rank is a weaker signal
        if best is None or dist < best.distance:
            best = _Candidate(rule, 1, dist)
    return best


def _score_rule(d: _Doc, q: Quantity, sent: tuple[int, int]) -> _Candidate | None:
    best: _Candidate | None = None
    for rule in d.catalog.rules_for("score"):
        hits = d.topic_hits(rule, sent)
        if hits:
            dist = min(abs(q.start - h[1]) for h in hits)
            if best is None or dist < best.distance:
                best = _Candidate(rule, 1, dist)
    return best


def _is_target(d: _Doc, prefix: str, s0: int) -> bool:
    ctx = context_rules()
    for m in ctx.target.finditer(prefix):
        window = prefix[max(0, m.start() - 25):m.end()]
        met = ctx.target_met.search(window)
        if met and met.end() != len(window):
            met = None  # the words that say a target was met end with this cue ("bằng 101% kế hoạch")
        # "đặt mục tiêu" (set a target) folds like "đạt mục tiêu" (met it): read the marks
        if met and d.text[s0 + max(0, m.start() - 25) + met.start():][:3].lower().startswith("đặt"):
            met = None
        if not met and not ctx.achieved_after_cue.search(prefix, m.end()):
            return True
    # a heading line such as "Mục tiêu:" right before the sentence's paragraph
    line_start = d.folded.rfind("\n", 0, s0)
    if line_start > 0:
        prev_start = d.folded.rfind("\n", 0, line_start) + 1
        prev = d.folded[prev_start:line_start].strip()
        if prev and ctx.target_heading.match(prev):
            return True
    return False


def _continues_targets(d: _Doc, sent: tuple[int, int]) -> bool:
    """"Bên cạnh đó, kinh tế số chiếm 20% GRDP" right after a sentence of targets is a target too; so is a
    sentence after targets that says nothing of a result (no "đã", "hiện", "đến nay", year …)."""
    ctx = context_rules()
    carried = ctx.target_carry.match(d.folded, sent[0]) is not None
    lead = _HORIZON_LEAD.match(d.folded, sent[0])  # "… phấn đấu đến năm 2010: … . Đến 2015 đạt …" (a later horizon)
    if lead and (d.as_of is None or int(lead.group(1)) > d.as_of):
        carried = True
    if not carried and ctx.result_words.search(d.folded, sent[0], sent[1]):
        return False
    if carried and ctx.result_strong.search(d.folded, sent[0], sent[1]):
        return False
    i = bisect.bisect_left(d.sent_starts, sent[0]) - 1
    if i < 0:
        return False
    p0, p1 = d.sentences[i]
    # a plan quoted in brackets after a result ("đạt 62 máy/100 dân (Kế hoạch đăng ký là 61,5 …)") is an aside
    return _is_target(d, _BRACKETED.sub(lambda m: " " * len(m.group(0)), d.folded[p0:p1]), p0)


def _centrally_run(m, published: date | None) -> bool:
    """Whether a city named in the text was itself a province-level city on the publication date (Huế from
    2025-01-01, Resolution 175/2024/QH15), so "Thành phố Huế" is not a city inside a province."""
    if published is None:
        return False
    words = re.sub(r"^(?:thành phố|tp\.?)\s*", "", m.written.strip(), flags=re.IGNORECASE)
    p = provinces.lookup(words, on=published)
    if p is not None and p.kind != "tp" and published.year >= 2025 and p.scheme == "63":
        p = provinces.successor(p.province_id)  # January to June 2025: Huế was already the city, on the old list
    return p is not None and p.kind == "tp" and provinces.name_key(p.name) == provinces.name_key(words)


def _province_for(d: _Doc, q: Quantity, sent: tuple[int, int], clause_start: int) -> tuple[str | None, str]:
    """The province a figure belongs to: the nearest province named before it in its sentence, else the
    document's. Returns (63-scheme id or None, how)."""
    s0, _ = sent
    lo = bisect.bisect_left(d.mention_starts, s0)
    hi = bisect.bisect_left(d.mention_starts, q.start)
    near = [m for m in d.mentions[lo:hi] if m.end <= q.start]
    resp = None
    for r in _RESPECTIVELY.finditer(d.folded, s0, q.start):
        resp = r
    if resp is not None:
        # "Hà Nội, Đà Nẵng và Huế lần lượt đạt 80%, 70% và 65%": the n-th figure, the n-th province
        listed = [m for m in near if m.end <= resp.start() and m.level == "province"]
        n = len(_LIST_FIGURE.findall(d.folded, resp.end(), q.start))
        if len(listed) > 1 and _consecutive(d, listed):
            return (listed[n].province_id, "respectively") if n < len(listed) else (None, "respectively")
    if near:
        m = near[-1]
        if m.level == "city" and m.start >= clause_start and not _centrally_run(m, d.doc.published):
            return m.province_id, "city"
        if m.level == "city" and m.start >= clause_start:
            return m.province_id, "sentence"  # "Thành phố Huế" since 2025: the centrally-run city itself
        if m.level == "province":
            return m.province_id, "sentence"
    return d.province_id, "document"


_LIST_FIGURE = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|diem|thue bao|tram)")


def _consecutive(d: _Doc, mentions: list) -> bool:
    """Provinces named one after another ("Hà Nội, Đà Nẵng và Huế"), nothing else between them."""
    return all(re.fullmatch(r"[\s,;]*(?:va\s+)?(?:(?:tinh|thanh pho|tp\.?)\s*)?", d.folded[a.end:b.start])
               for a, b in zip(mentions, mentions[1:], strict=False))


def _province_as_named(pid63: str | None, published: date | None, year: int | None = None,
                       denominator: float | None = None) -> tuple[str | None, str | None]:
    """Name and id of the unit a value describes: the province as named when the report was published,
    except that a value of a year before the 2025 reorganization (or a rank out of 63) describes the old
    province, and a rank out of 34 the merged one."""
    if pid63 is None:
        return None, None
    p = provinces.get(pid63)
    old = (year is not None and year < REORG_DATE.year) or denominator in (63.0, 64.0)
    if denominator == 34.0:
        p = provinces.successor(pid63)
    elif published is not None and published >= REORG_DATE and not old:
        p = provinces.on_date(pid63, published)
    return p.name, p.province_id
