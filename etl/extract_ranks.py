"""Stage: index rankings (DTI, Vietnam ICT Index) -> rank and score Observations.

Pages about rankings name the index once and then list provinces: "Hà Nội (thứ 43), Nghệ An (thứ 36)",
"Đà Nẵng tiếp tục dẫn đầu, TP. Hồ Chí Minh đứng thứ hai", "Thanh Hóa, Điện Biên, Hà Tĩnh giữ vị trí thứ
5, 6, 7", or a ranking table flattened to lines ("15 Thanh Hóa"). This stage works in four steps, with
its rules in `etl/rules/ranks.yaml`:

1. frames   - every index name (and look-alike index) in the page, with its edition year;
2. phrases  - every rank phrase (digits or ordinal words) and every 0-1 score;
3. links    - each value to its province (named before it, after "là", pairwise for lists) and to the
              frame that holds it (the index named nearest before, or right after in the sentence);
4. checks   - groups ("Top 10", "một trong"), pillars and components, captions, ministries, plans.

The year is the one bound to the value ("vị trí số 58 năm 2017"), else the frame's edition year, else
unknown: an index edition is never guessed from the publication date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from etl.model import Observation
from etl.yamlfile import load_yaml

RULES_PATH = Path(__file__).parent / "rules" / "ranks.yaml"
PAIR_REACH = 300  # how far before a respectively-list its provinces may stand
SUBJECT_REACH = 160  # how far before a rank phrase its province may stand (same sentence)
FRAME_AFTER = 90
SAME_SUBJECT_GAP = 120
FAR_FRAME = 700  # an index named this far from a value gives its year with less confidence
YEAR_FAR_PENALTY = 0.2
YEAR_INHERITED_PENALTY = 0.2  # a value this close after another one in its sentence shares its province  # an index named this close after a rank in its sentence frames it


@dataclass(frozen=True)
class _Index:
    kind: str
    rank: str | None
    score: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Frame:
    start: int
    end: int
    kind: str  # an index kind of ranks.yaml, or "other" for a look-alike index
    year: int | None
    year_how: str = "named"  # named (with the index) | inherited (from an earlier mention) | none


@dataclass
class _Rules:
    indices: list[_Index]
    other: re.Pattern[str]
    edition_after: re.Pattern[str]
    edition_not: re.Pattern[str]
    rank: re.Pattern[str]
    first: re.Pattern[str]
    ordinals: dict[str, int]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    from_rank: re.Pattern[str]
    change_to: re.Pattern[str]
    not_before_clause: re.Pattern[str]
    self_subject: re.Pattern[str]
    year_after: re.Pattern[str]
    year_before_bracket: re.Pattern[str]
    year_clause_lead: re.Pattern[str]
    score: re.Pattern[str]
    score_not: re.Pattern[str]
    score_sentence_not: re.Pattern[str]
    list_sep: re.Pattern[str]
    value: re.Pattern[str]
    respectively: re.Pattern[str]
    table_line: re.Pattern[str]
    table_min_lines: int

    @cached_property
    def by_kind(self) -> dict[str, _Index]:
        return {i.kind: i for i in self.indices}


@lru_cache(maxsize=1)
def rules(path: Path = RULES_PATH) -> _Rules:
    raw: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    ordinals = {str(k): int(v) for k, v in raw["ordinals"].items()}
    words = "|".join(sorted((re.escape(w) for w in ordinals), key=len, reverse=True))
    value = rf"(?P<num>\d{{1,2}})(?:\s*/\s*(?P<den>\d{{2,3}}))?(?![\d.,]\d)|(?P<word>{words})\b(?!\s*(?:19|20)\d\d)"
    return _Rules(
        indices=[_Index(k, v.get("rank"), v.get("score"), re.compile(v["pattern"])) for k, v in raw["indices"].items()],
        other=re.compile(raw["other_indices"]),
        edition_after=re.compile(raw["edition_after"]),
        edition_not=re.compile(raw["edition_not"]),
        rank=re.compile(rf"(?<![a-z0-9])(?:{raw['rank_cue']})\s*(?:{value})"),
        first=re.compile(raw["first"]),
        ordinals=ordinals,
        not_after=re.compile(raw["not_after"]),
        not_before=re.compile(raw["not_before"]),
        from_rank=re.compile(raw["from_rank"]),
        change_to=re.compile(raw["change_to"]),
        not_before_clause=re.compile(raw["not_before_clause"]),
        self_subject=re.compile(raw["self_subject"]),
        year_after=re.compile(raw["year_after"]),
        year_before_bracket=re.compile(raw["year_before_bracket"]),
        year_clause_lead=re.compile(raw["year_clause_lead"]),
        score=re.compile(raw["score"]),
        score_not=re.compile(raw["score_not"]), score_sentence_not=re.compile(raw["score_sentence_not"]),
        list_sep=re.compile(raw["list_sep"]),
        value=re.compile(value),
        respectively=re.compile(raw["respectively"]),
        table_line=re.compile(raw["table_line"], re.M),
        table_min_lines=int(raw["table_min_lines"]),
    )


def ranked_indicators() -> frozenset[str]:
    """The indicator ids this stage owns (the prose rules leave them alone)."""
    out = set()
    for i in rules().indices:
        out.update(x for x in (i.rank, i.score) if x)
    return frozenset(out)


# --- 1. frames ----------------------------------------------------------------------------------------


def find_frames(folded: str) -> list[Frame]:
    """Every index name in the text, in order, with the edition year written right after it."""
    r = rules()
    spans: list[tuple[int, int, str]] = []
    for idx in r.indices:
        spans.extend((m.start(), m.end(), idx.kind) for m in idx.pattern.finditer(folded))
    spans.extend((m.start(), m.end(), "other") for m in r.other.finditer(folded))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    frames: list[Frame] = []
    last_end = -1
    last_year: dict[str, int | None] = {}
    for s, e, kind in spans:
        if s < last_end:
            continue  # inside a longer name already taken
        last_end = e
        year = None
        m = r.edition_after.match(folded, e)
        if m and not r.edition_not.search(folded, max(e, m.start(1) - 16), m.start(1)) \
                and not _RANGE_AFTER.match(folded, m.end(1)):
            between = folded[e:m.start(1)]
            # the same index named again on the way ("Chỉ số chuyển đổi số (DTI) 2021") keeps the year
            if not any(i.pattern.search(between) for i in r.indices if i.kind != kind) and not r.other.search(between):
                year = int(m.group(1))
        how = "named"
        if year is None:
            year = _edition_before(folded, s)
        if year is None:
            year = last_year.get(kind)
            how = "inherited" if year is not None else "none"
        else:
            last_year[kind] = year
        frames.append(Frame(s, e, kind, year, how))
    return frames


_RANGE_AFTER = re.compile(r"\s*[-–]\s*(?:19|20)?\d\d\b")
_YEAR_BEFORE = re.compile(r"\bnam\s+((?:19|20)\d\d)\b")


def _edition_before(folded: str, pos: int) -> int | None:
    """"Năm 2013 mức độ sẵn sàng ..., chỉ số ICT index": a year leading the index's sentence."""
    lo = max(0, pos - 120)
    stop = max(folded.rfind(". ", lo, pos), folded.rfind("\n", lo, pos))
    found = None
    for m in _YEAR_BEFORE.finditer(folded, stop + 1 if stop >= 0 else lo, pos):
        if not rules().edition_not.search(folded, max(0, m.start() - 16), m.start()) or (
                _SINCE.search(folded, max(0, m.start() - 6), m.start())
                and not _UNTIL_AFTER.match(folded, m.end())):
            found = int(m.group(1))  # "Từ năm 2020, chỉ số … đạt": a year opening the sentence, no range
    return found


_SINCE = re.compile(r"\btu\s+$")
_UNTIL_AFTER = re.compile(r"[^.;]{0,40}?\b(?:den|toi)\b|\s*[-–]")


def frame_at(frames: list[Frame], starts: list[int], pos: int, sent_end: int) -> Frame | None:
    """The frame of a value at `pos`: an index named right after it in its sentence, else the last before."""
    i = bisect.bisect_right(starts, pos)
    if i < len(frames) and frames[i].start < min(sent_end, pos + FRAME_AFTER):
        return frames[i]
    return frames[i - 1] if i > 0 else None


# --- 2-4. phrases, links, checks -------------------------------------------------------------------------


@dataclass
class _Value:
    start: int
    end: int
    value: float
    denominator: float | None
    kind: str  # "rank" | "score"


def extract_ranks(d: Any) -> list[Observation]:
    """Rank and score observations of a document (`d` is extract._Doc)."""
    r = rules()
    f = d.folded
    if not any(word in f for word in _INDEX_WORDS) or not any(i.pattern.search(f) for i in r.indices):
        return []
    frames = find_frames(f)
    starts = [fr.start for fr in frames]
    out: list[Observation] = []
    taken: set[int] = set()
    out.extend(_table_lines(d, frames, starts, taken))
    values = _values(f)
    if not values:
        return _without_undated_twins(out)
    sent_starts = d.sent_starts
    by_sentence: dict[int, list[_Value]] = {}
    for v in values:
        i = bisect.bisect_right(sent_starts, v.start) - 1
        if i >= 0 and v.start < d.sentences[i][1]:
            by_sentence.setdefault(i, []).append(v)
    carried: tuple[str, str] | None = None
    last_i = -2
    for i, vals in sorted(by_sentence.items()):
        s0, s1 = d.sentences[i]
        if i != last_i + 1 or "\n" in d.text[d.sentences[i - 1][1]:s0]:
            carried = None  # only the sentence right before, in the same paragraph, carries its subject
        found, subject = _sentence(d, frames, starts, s0, s1, taken, [v for v in vals if v.end <= s1], carried)
        out.extend(found)
        carried, last_i = subject, i
    return _without_undated_twins(out)


_INDEX_WORDS = ("dti", "chuyen doi", "ict", "san sang", "digital transformation")


def _values(f: str) -> list[_Value]:
    """Every rank phrase, word rank and score of the text, in order."""
    r = rules()
    values: list[_Value] = []
    for m in r.rank.finditer(f):
        v = _rank_value(m)
        if v is not None:
            values.append(_Value(m.start(), m.end(), v[0], v[1], "rank"))
    for m in r.first.finditer(f):
        if not any(v.start <= m.start() < v.end for v in values):
            values.append(_Value(m.start(), m.end(), 1.0, None, "rank"))
    for m in r.score.finditer(f):
        values.append(_Value(m.start(), m.end(), float(m.group(0).replace(",", ".")), None, "score"))
    values.sort(key=lambda v: v.start)
    return values


def _without_undated_twins(obs: list[Observation]) -> list[Observation]:
    """A title's "Lạng Sơn đứng thứ 16" repeats the body's dated "đứng thứ 16/63" of DTI 2020: keep
    the dated one only."""
    dated = {(o.province_code, o.indicator, o.value) for o in obs if o.year is not None}
    return [o for o in obs if o.year is not None or (o.province_code, o.indicator, o.value) not in dated]


def _sentence(d: Any, frames: list[Frame], starts: list[int], s0: int, s1: int, taken: set[int],
              values: list[_Value], carried: tuple[str, str] | None = None
              ) -> tuple[list[Observation], tuple[str, str] | None]:
    """The rank and score observations of one sentence, and the province its last value was about.
    `carried` is that province of the sentence right before: "Lạng Sơn xếp thứ 30. Đây là sự vươn lên so
    với vị trí số 58 năm 2017" (a value with its own year, in a sentence that names no province)."""
    r = rules()
    f = d.folded
    out: list[Observation] = []
    groups: list[list[_Value]] = []
    consumed = -1
    for v in values:
        if v.start < consumed:
            continue  # a member of the previous list
        group = [v] + _list_members(f, v, s1)
        consumed = group[-1].end
        groups.append(group)
    prev_end = s0
    subject: tuple[str, str] | None = None
    for group in groups:
        v = group[0]
        if v.start in taken:
            prev_end = group[-1].end
            continue
        frame = frame_at(frames, starts, v.start, s1)
        if frame is None or frame.kind == "other":
            prev_end = group[-1].end
            continue
        idx = rules().by_kind[frame.kind]
        ind = idx.rank if v.kind == "rank" else idx.score
        if ind is None or not _passes(d, v, group, s0, s1, prev_end):
            prev_end = group[-1].end
            continue
        gap_from_prev = v.start - prev_end if ";" not in f[prev_end:v.start] else SAME_SUBJECT_GAP + 1
        provs = _provinces_for(d, group, s0, s1, prev_end)
        prev_end = group[-1].end
        if not provs and subject and len(group) == 1 and (
                gap_from_prev <= SAME_SUBJECT_GAP or _bound_year(d, group[-1].end) is not None
                or r.change_to.match(f, v.start)):
            # "dẫn đầu với 0,8654 điểm", "từ vị trí thứ bảy xuống thứ 10", "; vị trí số 58 năm 2017":
            # the province of the previous value in the sentence
            provs = [subject]
        if provs and provs[0][1] == "document" and subject is not None:
            provs = [subject]  # "TPHCM năm 2022 xếp thứ 3 còn năm nay, Thành phố … vị trí thứ 2": that city
        if not provs and v.kind == "score" and len(group) == 1:
            provs = _subject_after(d, group, s1)
        if not provs and carried and subject is None and len(group) == 1 \
                and _bound_year(d, group[-1].end) is not None and not _mentions_between(d, s0, s1):
            provs = [carried]
        if not provs:
            continue
        subject = provs[-1]
        year, penalty = _year_for(d, v, group, frame)
        if r.from_rank.search(f, max(s0, v.start - 12), v.start) and _bound_year(d, group[-1].end) is None:
            continue  # "từ vị trí thứ bảy xuống thứ 10": the old rank's year is unknown
        pairs = [(v, p) for p in provs] if len(group) == 1 and provs[0][1] == "tie" else zip(group, provs, strict=False)
        for val, (pid, how) in pairs:
            out.append(_observation(d, ind, val, pid, year, s0, s1, how, penalty))
            taken.add(val.start)
    return out, subject


_RANK_MORE = re.compile(r"\s*(?:,|va|&)\s*(?:va\s+)?(?:thu\s+)?")
_SCORE_MORE = re.compile(r"\s*(?:diem\s*)?(?:,|;|va|&)\s*(?:va\s+)?")
_SCORE_CHANGE = re.compile(r"(?:\btang|\bgiam|\bhon|\bthap hon|\bcao hon)\s*(?:them\s*)?(?:duoc\s*)?$")


def _list_members(f: str, first: _Value, s1: int) -> list[_Value]:
    """The values listed after a first one: "thứ 5, 6, 7", "thứ 2, thứ 3", "0,2144; 0,1914 và 0,1738"."""
    r = rules()
    out: list[_Value] = []
    pos = first.end
    while True:
        sep = (_RANK_MORE if first.kind == "rank" else _SCORE_MORE).match(f, pos, s1)
        if sep is None:
            break
        if first.kind == "rank":
            m = r.value.match(f, sep.end(), s1)
            if m is None or (m.group("word") and not f[sep.start():sep.end()].rstrip().endswith("thu")):
                break
            v = _rank_value(m)
            if v is None:
                break
        else:
            m = r.score.match(f, sep.end(), s1)
            if m is None:
                break
            v = (float(m.group(0).replace(",", ".")), None)
        out.append(_Value(m.start(), m.end(), v[0], v[1], first.kind))
        pos = m.end()
    return out


def _rank_value(m: re.Match[str]) -> tuple[float, float | None] | None:
    r = rules()
    if m.group("num"):
        den = float(m.group("den")) if m.group("den") else None
        if den is not None and den not in (34.0, 63.0, 64.0):
            return None
        val = float(m.group("num"))
        if val < 1 or (den and val > den):
            return None
        return val, den
    word = m.group("word")
    return (float(r.ordinals[word]), None) if word in r.ordinals else None


def _passes(d: Any, v: _Value, group: list[_Value], s0: int, s1: int, prev_end: int) -> bool:
    r = rules()
    f = d.folded
    clause0 = max(s0, prev_end, f.rfind(";", s0, v.start) + 1)
    # the clause as far as the last comma, unless the comma only separates a list of provinces
    before = f[clause0:v.start]
    if r.not_after.match(f, group[-1].end):
        return False
    if r.not_before.search(before[-70:]):
        return False
    comma = max(before.rfind(","), before.rfind("("), before.rfind(":"))
    if r.not_before_clause.search(before[comma + 1:]):
        return False
    if _BODY_NAMED.search(d.text, clause0 + comma + 1, v.start):
        return False  # "Sở Thông tin và Truyền thông được xếp hạng nhất": a department's place in the province's own ranking
    if v.kind == "score":
        if r.score_not.search(f, max(clause0, v.start - 80), v.start) or r.score_sentence_not.search(f, s0, s1):
            return False
        tail = f[group[-1].end:group[-1].end + 24]
        if re.match(r"\s*(?:%|/|lan\b|trieu|ty\b|nghin)", tail) or re.match(r"\s*(?:diem\s*)?,?\s*so voi", tail):
            return False
        if _SCORE_CHANGE.search(f, max(0, v.start - 20), v.start):
            return False  # "tăng 0,1783 điểm so với năm 2021": a change
    return True


# a department, an agency or a district named before a rank in its clause: its place, not the province's
_BODY_NAMED = re.compile(r"\b(?:Sở|Văn phòng|Ban|Phòng|Trung tâm|(?:UBND )?(?:[Hh]uyện|[Tt]hị xã|[Qq]uận|[Xx]ã|[Pp]hường))\s+[A-ZĐ]")


def _mentions_between(d: Any, lo: int, hi: int) -> list[Any]:
    i = bisect.bisect_left(d.mention_starts, lo)
    j = bisect.bisect_left(d.mention_starts, hi)
    return [m for m in d.mentions[i:j] if m.end <= hi]


def _provinces_for(d: Any, group: list[_Value], s0: int, s1: int, prev_end: int) -> list[tuple[str, str]]:
    """The province of each value of `group` (pairwise for lists), or [] when the text does not say."""
    r = rules()
    f = d.folded
    k = len(group)
    last = group[-1]
    # after: "vị trí thứ hai của Hà Nội", "ở vị trí thứ ba là Tp. HCM", "thứ tư và thứ năm là A và B"
    m = re.match(r"\s*(?:/\s*\d+\s*)?(?:(?:tinh|thanh pho)\s+)?(?:la|cua|thuoc ve|thuoc)\s+", f[last.end:last.end + 30]) \
        or re.match(r"[^,.;]{0,30}?\s(?:la|thuoc ve)\s+", f[last.end:last.end + 45])
    if m:
        after = _province_list(d, last.end + m.end(), s1)
        if len(after) >= k:
            return [(p.province_id, "after") for p in after[:k]]
    # pairwise with a list of provinces before: "A, B, C giữ vị trí thứ 5, 6, 7", "tương ứng là ..."
    if k > 1:
        lo = max(0, group[0].start - PAIR_REACH) if r.respectively.search(f, max(s0, group[0].start - 60), group[0].start) else s0
        before = [m for m in _mentions_between(d, lo, group[0].start)]
        if len(before) >= k:
            return [(p.province_id, "pairwise") for p in before[-k:]]
        m = re.match(r"\s*(?:diem)?\s*,\s*", f[last.end:last.end + 12])
        after = _province_list(d, last.end + m.end(), s1) if m else []
        return [(p.province_id, "pairwise") for p in after[:k]] if len(after) >= k else []
    # one value: the nearest province named before it in its sentence, not behind another value
    lo = max(s0, prev_end, group[0].start - SUBJECT_REACH)
    near = _mentions_between(d, lo, group[0].start)
    if near:
        tied = _tied(d, near, group[0].start)
        if tied:
            return [(p.province_id, "tie") for p in tied]
        return [(near[-1].province_id, "sentence")]
    if r.self_subject.search(f, max(s0, group[0].start - 40), group[0].start) and d.province_id:
        return [(d.province_id, "document")]
    return []


_TIE = re.compile(r"\b(?:cùng|đều|đồng hạng)\b[^,;.]{0,25}$", re.IGNORECASE)  # with tones: "cũng" is not a tie
_LIST_GAP = re.compile(r"[\s,;]*(?:va\s+)?(?:(?:tinh|thanh pho|tp\.?)\s*)?")


def _tied(d: Any, near: list[Any], pos: int) -> list[Any]:
    """"Bắc Ninh và Hà Nội cùng xếp thứ 15/63": a tie, every province of the list right before the rank (the
    rules keep ties), or [] when the rank is not said to be shared."""
    f = d.folded
    if not _TIE.search(d.text, near[-1].end, pos):
        return []
    chain = [near[-1]]
    for m in reversed(near[:-1]):
        if not _LIST_GAP.fullmatch(f, m.end, chain[0].start):
            break
        chain.insert(0, m)
    return chain if len(chain) > 1 else []


def _subject_after(d: Any, group: list[_Value], s1: int) -> list[tuple[str, str]]:
    """"Với 0,4582 điểm, năm 2019, Tây Ninh xếp hạng 25/63": a score's province named after it."""
    later = _mentions_between(d, group[0].end, s1)
    if later:
        return [(later[0].province_id, "sentence")]
    if re.search(r"\b(?:tinh|thanh pho)\b", d.folded[group[0].end:s1]) and d.province_id:
        return [(d.province_id, "document")]
    return []


def _province_list(d: Any, pos: int, s1: int) -> list[Any]:
    """Provinces named one after another from `pos` ("Quảng Ninh và Thừa Thiên Huế")."""
    out = []
    for m in _mentions_between(d, pos, s1):
        gap = d.folded[pos:m.start]
        if not re.fullmatch(r"[\s,;]*(?:va\s+)?(?:(?:tinh|thanh pho|tp\.?)\s*)?", gap):
            break
        out.append(m)
        pos = m.end
    return out


def _bound_year(d: Any, pos: int) -> int | None:
    m = rules().year_after.match(d.folded, pos)
    return int(m.group(1)) if m else None


def _year_for(d: Any, v: _Value, group: list[_Value], frame: Frame) -> tuple[int | None, float]:
    """The year of a value and how much it costs in confidence: 0 when the year is written with the
    value or with its index nearby, more when it comes from an index named far before or inherited."""
    r = rules()
    bound = _bound_year(d, group[-1].end)
    if bound is not None:
        return bound, 0.0
    # the bracket may open the rank phrase itself ("so với năm 2020 (xếp thứ 40/63)")
    end = v.start + 1 if d.folded.startswith("(", v.start) else v.start
    m = r.year_before_bracket.search(d.folded, max(0, v.start - 40), end)
    if m:
        return int(m.group(1)), 0.0
    m = r.year_clause_lead.search(d.folded, max(0, v.start - 50), v.start)
    if m:
        return int(m.group(1)), 0.0
    if frame.year is None:
        return None, 0.0
    penalty = 0.0
    if frame.year_how == "inherited":
        penalty += YEAR_INHERITED_PENALTY
    if abs(v.start - frame.start) > FAR_FRAME:
        penalty += YEAR_FAR_PENALTY
    return frame.year, penalty


_OUT_OF_34 = re.compile(r"\d\s*/\s*34\b|\b(?:trong|trong so|trong nhom) 34 (?:tinh|dia phuong)")


def _observation(d: Any, ind_id: str, v: _Value, pid: str, year: int | None, s0: int, s1: int,
                 how: str, penalty: float = 0.0) -> Observation:
    from etl.extract import _province_as_named

    denominator = v.denominator
    if denominator is None and _OUT_OF_34.search(d.folded, s0, s1):
        denominator = 34.0  # "… 0,5612 điểm, xếp thứ 10/34", "Trong 34 tỉnh, thành phố, …": the merged unit's
    name, code = _province_as_named(pid, d.doc.published, year, denominator)
    ind = d.catalog.indicators[ind_id]
    conf = 0.85 if how in ("sentence", "after", "table") else 0.75
    if year is None:
        conf -= 0.1
    conf -= penalty
    return Observation(
        doc=d.doc.name, province=name, province_code=code, year=year, indicator=ind_id, scope="all",
        value=v.value, unit=ind.unit, qualifier="exact", is_target=False, evidence=d.source[s0:s1],
        start=s0, end=s1, rule=f"ranks.{v.kind}.{how}", confidence=round(conf, 3), denominator=v.denominator,
    )


# --- ranking tables written as text ---------------------------------------------------------------------


def _table_lines(d: Any, frames: list[Frame], starts: list[int], taken: set[int]) -> list[Observation]:
    """"15 Thanh Hóa" / "1 TP. Đà Nẵng 1.0000 ... 0.8002": runs of lines, each a rank, a province and
    optionally scores (the last one is the overall score)."""
    from etl import provinces

    r = rules()
    text = d.text
    rows = []
    for m in r.table_line.finditer(text):
        found = provinces.find_mentions(m.group("name"))
        name = m.group("name").strip()
        if not found or found[0].start > 4 or found[-1].end < len(name) - 1:
            continue
        rows.append((m, found[0]))
    out: list[Observation] = []
    run: list[tuple[re.Match[str], Any]] = []
    for item in rows + [None]:  # type: ignore[list-item]
        if item is not None and run and _next_line(text, run[-1][0].end()) == item[0].start() \
                and int(item[0].group(1)) >= int(run[-1][0].group(1)):
            run.append(item)
            continue
        if len(run) >= r.table_min_lines:
            out.extend(_table_run(d, run, frames, starts, taken))
        run = [item] if item is not None else []
    return out


def _next_line(text: str, pos: int) -> int:
    return pos + 1 if text.startswith("\n", pos) else -1


def _table_run(d: Any, run: list, frames: list[Frame], starts: list[int], taken: set[int]) -> list[Observation]:
    first = run[0][0].start()
    frame = frame_at(frames, starts, first, first)
    if frame is None or frame.kind == "other":
        return []
    idx = rules().by_kind[frame.kind]
    out = []
    for m, mention in run:
        rank = float(m.group(1))
        scores = m.group(3).split()
        s0, s1 = m.start(), m.end()
        while d.text[s0] in " \t":
            s0 += 1
        if idx.rank:
            out.append(_observation(d, idx.rank, _Value(m.start(1), m.end(1), rank, None, "rank"),
                                    mention.province_id, frame.year, s0, s1, "table"))
        if idx.score and scores:
            val = float(scores[-1].replace(",", "."))
            if 0 < val <= 1:
                out.append(_observation(d, idx.score, _Value(m.start(3), m.end(3), val, None, "score"),
                                        mention.province_id, frame.year, s0, s1, "table"))
        taken.update(range(s0, s1))
    return out
