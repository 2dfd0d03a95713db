"""The province registry: 63 provinces (before 1 July 2025) and 34 (after), their aliases and mentions.

Every province name that enters ictdash passes through this module. Data lives in
``etl/gazetteer/provinces.csv`` and ``etl/gazetteer/aliases.csv``; this module only loads and indexes it.

Matching is done on folded text (lowercase, no diacritics, đ→d) split into word tokens, so tone placement
(Hòa/Hoà), NFC/NFD, case, hyphens and spacing do not matter. Ids are scheme-qualified: "63-10" is Lào Cai
before 2025-07-01, "34-15" the merged Lào Cai after.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
MERGER_DATE = date(2025, 7, 1)

try:  # the shared folding function (same contract: lowercase, no diacritics, identical length)
    from etl.text import fold as _shared_fold
except ImportError:  # pragma: no cover - only while etl/text.py does not exist yet
    _shared_fold = None


# --------------------------------------------------------------------------------------------------
# folding and tokens

def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    if base in "Đđ":
        return "d"
    low = base.lower()
    return low if len(low) == 1 else ch


_FOLD_TABLE = {
    cp: _fold_char(chr(cp))
    for rng in (range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for cp in rng
}


def _private_fold(text: str) -> str:
    """Lowercase, strip diacritics, đ→d; one output character per input character."""
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Fold ``text`` for matching; the result has the same length as ``text`` (offsets carry over)."""
    if _shared_fold is not None:
        out = _shared_fold(text)
        if len(out) == len(text):
            return out
    return _private_fold(text)


# combining marks stay inside a token (NFD input); they are dropped from the token's key
_TOKEN = re.compile(r"[a-z0-9\u0300-\u036f]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_WORD_CHAR = re.compile(r"[a-z0-9\u0300-\u036f]")
# what may separate the words of one name: spaces, one dash or a dot ("TP.HCM", "Bà Rịa - Vũng Tàu")
_GAP = re.compile(r"\s{0,3}[-\u2010-\u2015.]?\s{0,3}")


def _tokens(folded: str, pos: int = 0, marks: bool = True) -> Iterator[tuple[int, int, str]]:
    for m in _TOKEN.finditer(folded, pos):
        yield m.start(), m.end(), _MARKS.sub("", m.group()) if marks else m.group()


def name_key(name: str) -> str:
    """The matching key of a name: folded word tokens joined by single spaces ("Bà Rịa-Vũng Tàu" → "ba ria vung tau")."""
    return " ".join(t for _, _, t in _tokens(fold(unicodedata.normalize("NFC", name))))


_PREFIXES = (("tinh",), ("thanh", "pho"), ("tp",))


# --------------------------------------------------------------------------------------------------
# data classes


@dataclass(frozen=True)
class Province:
    province_id: str
    scheme: str
    code: str
    name: str
    name_en: str
    kind: str
    region: str
    iso_3166_2: str | None
    valid_from: date | None
    valid_to: date | None
    successor_id: str | None

    def valid_on(self, d: date) -> bool:
        return (self.valid_from is None or self.valid_from <= d) and (self.valid_to is None or d <= self.valid_to)


@dataclass(frozen=True)
class Mention:
    """A province name in running text; ``start``/``end`` are offsets into the original text."""

    start: int
    end: int
    province_id: str  # 63-scheme id
    written: str
    level: str  # 'province' | 'city' (a sub-provincial unit named like the province)


@dataclass(frozen=True)
class _Entry:
    tokens: tuple[str, ...]
    province_id: str
    use: str  # '' | 'city' | 'prefix' | 'block'


def _date(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


# a city/town/district prefix right before a name (folded text): "thành phố", "TP", "thị xã", "TX", "huyện"
_LOCAL_PREFIX = re.compile(r"(?<![a-z0-9])(?:thanh\s+pho|tp|thi\s+xa|tx|huyen)\s{0,3}\.?\s{0,3}$")
_CITY_PREFIX = re.compile(r"(?<![a-z0-9])(?:thanh\s+pho|tp)\s{0,3}\.?\s{0,3}$")
# "tỉnh, thành phố X" / "tỉnh/thành phố X" is the generic pair, not a city
_PROVINCE_PAIR = re.compile(r"(?<![a-z0-9])tinh\s{0,3}(?:[,/]|va)?\s{0,3}$")
_DOMAIN_PREFIXES = ("bao", "sotttt", "stttt", "skhcn", "so", "thongke", "cucthongke")
_DOMAIN_SUFFIXES = ("tv", "online", "dientu")
_GENERIC_LABELS = frozenset({"www", "vn", "com", "gov", "org", "net", "edu", "info", "m"})


class Gazetteer:
    """Both province schemes, indexed for lookup by name, date, id, URL and in running text."""

    def __init__(self, provinces: list[Province], aliases: list[dict[str, str]]) -> None:
        self._by_id = {p.province_id: p for p in provinces}
        self._predecessors: dict[str, list[Province]] = {}
        for p in provinces:
            if p.successor_id:
                self._predecessors.setdefault(p.successor_id, []).append(p)
        self._keys: dict[str, dict[str, str]] = {"63": {}, "34": {}}
        self._mention_entries: dict[tuple[str, ...], _Entry] = {}
        for p in provinces:
            for form in (p.name, p.name_en):
                self._add_key(p.scheme, name_key(form), p.province_id)
                if p.scheme == "63":
                    self._add_mention(form, p.province_id, "")
        for a in aliases:
            pid, use = a["province_id"], a.get("use", "") or ""
            if pid not in self._by_id:
                raise ValueError(f"aliases.csv: unknown province_id {pid!r}")
            if use in ("", "prefix"):
                self._add_key(self._by_id[pid].scheme, name_key(a["alias"]), pid)
            if self._by_id[pid].scheme == "63":
                self._add_mention(a["alias"], pid, use)
        # a 34-scheme unit also answers to the keys of its namesake or sole predecessor ("TP.HCM", "TT-Huế")
        for new_id, preds in self._predecessors.items():
            new = self._by_id[new_id]
            for old in preds:
                if len(preds) == 1 or name_key(old.name) == name_key(new.name):
                    for key, pid in list(self._keys["63"].items()):
                        if pid == old.province_id:
                            self._add_key("34", key, new_id)
        self._first: dict[str, list[_Entry]] = {}
        for e in self._mention_entries.values():
            self._first.setdefault(e.tokens[0], []).append(e)
        for lst in self._first.values():
            lst.sort(key=lambda e: -len(e.tokens))
        self._block_first = frozenset(e.tokens[0] for e in self._mention_entries.values() if e.use == "block")
        # Names count only when capitalized, so the scan looks at capital letters that can start one
        # (a character class is scanned far faster than an alternation of words); lowercase
        # "block" words are found by their own expression.
        letters = {w[0] for w in self._first}
        capitals = "".join(chr(c) for c in range(0x2000) if chr(c).isupper() and fold(chr(c)) in letters)
        self._capital = re.compile(f"[{re.escape(capitals)}]")
        blocks = "|".join(sorted(map(re.escape, self._block_first), key=len, reverse=True)) or "(?!)"
        # (no look-behind: it would defeat the literal-prefix scan; find_mentions checks the word start)
        self._block_start = re.compile(rf"(?:{blocks})(?![a-z0-9\u0300-\u036f])")
        self._domain_keys = {k.replace(" ", ""): pid for k, pid in self._keys["63"].items()}

    def _add_key(self, scheme: str, key: str, pid: str) -> None:
        old = self._keys[scheme].setdefault(key, pid)
        if old != pid:
            raise ValueError(f"name key {key!r} is ambiguous: {old} and {pid}")

    def _add_mention(self, form: str, pid: str, use: str) -> None:
        toks = tuple(name_key(form).split())
        if toks:  # a later row (aliases.csv) overrides the default use of the same words
            self._mention_entries[toks] = _Entry(toks, pid, use)

    # ---- ids and schemes -------------------------------------------------------------------------

    def get(self, province_id: str) -> Province:
        """The province with this id; KeyError if unknown."""
        return self._by_id[province_id]

    def all(self, scheme: str) -> list[Province]:
        """All provinces of scheme '63' or '34', in code order."""
        if scheme not in self._keys:
            raise ValueError(f"unknown scheme {scheme!r} (use '63' or '34')")
        return sorted((p for p in self._by_id.values() if p.scheme == scheme), key=lambda p: p.code)

    def successor(self, province_id_63: str) -> Province:
        """The 34-scheme unit that took over this old province on 2025-07-01."""
        sid = self.get(province_id_63).successor_id
        if not sid:
            raise ValueError(f"{province_id_63} has no successor (not a 63-scheme id)")
        return self.get(sid)

    def predecessors(self, province_id_34: str) -> list[Province]:
        """The old provinces that make up this 34-scheme unit, in code order."""
        self.get(province_id_34)
        return sorted(self._predecessors.get(province_id_34, []), key=lambda p: p.code)

    def on_date(self, province_id_63: str, d: date) -> Province:
        """The entity that holds this old province's territory on date ``d``."""
        p = self.get(province_id_63)
        return p if p.valid_on(d) else self.successor(province_id_63)

    # ---- names -----------------------------------------------------------------------------------

    def lookup(self, name: str, on: date | None = None) -> Province | None:
        """The province called ``name`` on date ``on`` (None: the 63-scheme entity if any); None if unknown.

        After 2025-07-01 the name of an absorbed province ("Yên Bái") finds nothing: its figures do not
        describe the merged unit. Use ``on_date`` for the territory.
        """
        key = name_key(name)
        candidates = [key]
        toks = key.split()
        for pre in _PREFIXES:
            if len(toks) > len(pre) and tuple(toks[: len(pre)]) == pre:
                candidates.append(" ".join(toks[len(pre):]))
        for k in candidates:
            if on is None:
                pid = self._keys["63"].get(k) or self._keys["34"].get(k)
                if pid:
                    return self._by_id[pid]
                continue
            for scheme in ("63", "34"):
                pid = self._keys[scheme].get(k)
                if pid and self._by_id[pid].valid_on(on):
                    return self._by_id[pid]
        return None

    def find_mentions(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every capitalized, whole-word province name in ``text`` (longest match wins), with 63-scheme ids.

        Linear in the text: the capitals that can start a name (and lowercase block words) are found by
        regular expressions, and only there are the following words read. ``folded`` is ``fold(text)`` when the caller has it already.
        """
        if folded is None or len(folded) != len(text):
            folded = fold(text)
        has_marks = _MARKS.search(folded) is not None  # NFD input: words must be split with their marks
        out: list[Mention] = []
        pos = 0
        for start in self._candidates(text, folded, has_marks):
            if start < pos or (start and _WORD_CHAR.match(folded, start - 1)):
                continue  # inside a name already read, or not the start of a word
            m = _TOKEN.match(folded, start)
            if m is None:
                continue
            pos = m.end()
            first = _MARKS.sub("", m.group()) if has_marks else m.group()
            entries = self._first.get(first, ())
            # only capitalized names count; a lowercase block ("thái bình dương") is still consumed
            if not entries or not (text[start].isupper() or first in self._block_first):
                continue
            toks = list(islice(_tokens(folded, start, has_marks), len(entries[0].tokens)))
            matched = next((e for e in entries if self._matches(text, toks, e)), None)
            if matched is None:
                continue
            start, end = toks[0][0], toks[len(matched.tokens) - 1][1]
            pos = end
            level = self._level(folded, start, matched)
            if level is not None:
                out.append(Mention(start, end, matched.province_id, text[start:end], level))
        return out

    def _candidates(self, text: str, folded: str, has_marks: bool) -> list[int]:
        """Offsets where a name may start: capitals that begin one, and lowercase block words."""
        if has_marks:
            return [m.start() for m in _TOKEN.finditer(folded)]
        starts = [m.start() for m in self._capital.finditer(text)]
        blocks = [m.start() for m in self._block_start.finditer(folded)]
        return sorted(starts + blocks) if blocks else starts

    @staticmethod
    def _matches(text: str, toks: list[tuple[int, int, str]], e: _Entry) -> bool:
        if len(e.tokens) > len(toks):
            return False
        for j, word in enumerate(e.tokens):
            s, _, key = toks[j]
            if key != word:
                return False
            if j and not _GAP.fullmatch(text, toks[j - 1][1], s):
                return False
            # the first and last words must be capitalised; a middle one may not be ("Hồ chí Minh")
            if e.use != "block" and (not j or j == len(e.tokens) - 1) and not text[s].isupper():
                return False
        return True

    def _level(self, folded: str, start: int, e: _Entry) -> str | None:
        if e.use == "block":
            return None
        if e.use == "city":
            return "city"
        before = folded[max(0, start - 24): start]
        local = _LOCAL_PREFIX.search(before)
        if e.use == "prefix" and not _CITY_PREFIX.search(before):
            return None
        if local and self._by_id[e.province_id].kind != "tp":
            if not _PROVINCE_PAIR.search(before[: local.start()]):
                return "city"
        return "province"

    # ---- URLs ------------------------------------------------------------------------------------

    def from_url(self, url: str, on: date | None = None) -> Province | None:
        """The province of a provincial outlet from its domain (baobacninh.vn, stttt.laocai.gov.vn); else None."""
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        for label in host.lower().replace("-", "").split("."):
            if label in _GENERIC_LABELS:
                continue
            pid = self._domain_keys.get(label)
            for suf in _DOMAIN_SUFFIXES:  # laocaitv.vn, bacninhtv.vn
                if pid is None and label.endswith(suf):
                    pid = self._domain_keys.get(label[: -len(suf)])
            if pid is None:
                for pre in _DOMAIN_PREFIXES:
                    if label.startswith(pre) and label[len(pre):] in self._domain_keys:
                        pid = self._domain_keys[label[len(pre):]]
                        break
            if pid:
                p = self._by_id[pid]
                return p if on is None else self.on_date(pid, on)
        return self._from_url_section(url, on)

    def _from_url_section(self, url: str, on: date | None) -> Province | None:
        """A national site's provincial section: vietnam.vn/laocai/<article>, …/tin-tuc/lao-cai/<article>.

        Only whole folders before the article's own slug count: a slug that merely starts with a name
        ("quang-nam-co-hon-2000-tram") says what the article is about, not where it was published.
        """
        path = urlsplit(url if "//" in url else "//" + url).path
        segments = [s for s in path.split("/") if s]
        for k, segment in enumerate(segments):
            words = segment.lower().replace("_", "-").split("-")
            lead = 2 if words[:2] == ["thanh", "pho"] else 1 if words[:1] in (["tinh"], ["tp"]) else 0
            if k < len(segments) - 1:
                pid = self._domain_keys.get("".join(words[lead:]))
            else:
                # … and a slug that opens with the province named as one ("tinh-dien-bien-tap-trung-…"): the
                # annotation rules take it (real-dev a/README, "Province")
                pid = next((self._domain_keys[key] for n in (4, 3, 2, 1) if lead
                            and (key := "".join(words[lead:lead + n])) in self._domain_keys), None)
            if pid:
                return self._by_id[pid] if on is None else self.on_date(pid, on)
        return None


# --------------------------------------------------------------------------------------------------
# loading and module-level API

# Labels before a province's domain that are its departments, not its districts (stttt.laocai.gov.vn).
_DEPARTMENT_LABELS = frozenset({
    "www", "m", "stttt", "sotttt", "skhcn", "sokhcn", "dost", "mic", "ubnd", "tinhuy", "hdnd", "congbao",
    "dichvucong", "vpubnd", "sonoivu", "snv", "sxd", "skhdt", "stc", "cucthongke", "thongke", "baohiem",
    "english", "en", "egov", "ctt", "portal", "sbtc", "sogtvt", "sct", "soct", "sldtbxh", "syt", "sgddt",
    "sotnmt", "stnmt", "sonongnghiep", "snnptnt", "svhttdl", "sovhttdl", "btgtu", "tuyengiao", "dangcongsan",
})


def is_subprovincial_site(url: str) -> bool:
    """Whether a page sits on a district's site under its province's domain (vinhlinh.quangtri.gov.vn)."""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    labels = host.lower().split(".")
    if "gov" not in labels:
        return False
    g = gazetteer()
    for i, label in enumerate(labels):
        if label in g._domain_keys and i > 0:
            sub = labels[i - 1]
            return sub not in _DEPARTMENT_LABELS and sub not in g._domain_keys and not sub.startswith("so")
    return False


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Build a Gazetteer from ``provinces.csv`` and ``aliases.csv`` in ``directory``."""
    provinces = [
        Province(
            province_id=r["province_id"], scheme=r["scheme"], code=r["code"], name=r["name"],
            name_en=r["name_en"], kind=r["kind"], region=r["region"], iso_3166_2=r["iso_3166_2"] or None,
            valid_from=_date(r["valid_from"]), valid_to=_date(r["valid_to"]),
            successor_id=r["successor_id"] or None,
        )
        for r in _read_csv(directory / "provinces.csv")
    ]
    return Gazetteer(provinces, _read_csv(directory / "aliases.csv"))


@cache
def gazetteer() -> Gazetteer:
    """The shared registry (loaded once)."""
    return load()


def lookup(name: str, on: date | None = None) -> Province | None:
    return gazetteer().lookup(name, on)


def get(province_id: str) -> Province:
    return gazetteer().get(province_id)


def all(scheme: str) -> list[Province]:  # shadows builtins.all on purpose (the brief names it); not used in this module
    return gazetteer().all(scheme)


def successor(province_id_63: str) -> Province:
    return gazetteer().successor(province_id_63)


def predecessors(province_id_34: str) -> list[Province]:
    return gazetteer().predecessors(province_id_34)


def on_date(province_id_63: str, d: date) -> Province:
    return gazetteer().on_date(province_id_63, d)


def find_mentions(text: str, folded: str | None = None) -> list[Mention]:
    return gazetteer().find_mentions(text, folded)


def from_url(url: str, on: date | None = None) -> Province | None:
    return gazetteer().from_url(url, on)
