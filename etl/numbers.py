"""Vietnamese numbers in report prose -> `Quantity` spans.

Conventions (vi-VN): decimal comma, thousands dot ("6,2", "1.198.108", "1.234,5"); multiplier words
(nghìn, triệu, tỷ); money in "tỷ đồng"; percentages; "thuê bao/100 dân"; ratios "5/63"; qualifier words
("trên", "gần", "Top 10"). Dates, times, document numbers, codes, phone numbers, versions, URLs and
file names are never returned. Word lists live in `rules/numbers.yaml`.

Everything is linear in the length of the text: regexes have no nested unbounded repetition that can
fail and backtrack, and context checks look at bounded windows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from etl.text import fold, normalize
from etl.yamlfile import load_yaml

_RULES = Path(__file__).parent / "rules" / "numbers.yaml"

_NUMERAL = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_MAX_NUMERAL_CHARS = 40
_MAX_DIGITS = 15
_WINDOW = 48  # characters of left context looked at for prefixes and qualifiers
_AHEAD = 160  # characters of right context looked at for units and ratios

_NOT_LETTER_AHEAD = r"(?![^\W\d_])"


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with its span, value and reading.

    `start:end` covers the whole phrase (qualifier word, numeral, scale/unit words); `num_start:num_end`
    covers the numeral only. `value` is after scale words and money conversion (bn_vnd = billions of
    VND). kind: number | ratio (value of denominator) | range (value..high) | year.
    """

    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    raw: str
    qualifier: str = "exact"
    unit: str | None = None
    denominator: float | None = None
    kind: str = "number"
    high: float | None = None
    scale_word: str | None = None


# --------------------------------------------------------------------------------------------------
# numerals


def _group_int(s: str) -> str | None:
    """'1.198.108' -> '1198108'; None unless the dots are valid thousands groups."""
    groups = s.split(".")
    if len(groups) == 1:
        return s
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    return "".join(groups)


def _parse_decimal(s: str) -> Decimal | None:
    s = s.strip()
    if not s or len(s) > _MAX_NUMERAL_CHARS or not _NUMERAL.fullmatch(s):
        return None
    if s.count(",") > 1:
        return None
    if "," in s:
        int_part, frac = s.split(",")
        if "." in frac:
            return None
        whole = _group_int(int_part)
        return Decimal(whole + "." + frac) if whole is not None else None
    if "." not in s:
        return Decimal(s)
    groups = s.split(".")
    if len(groups) == 2 and len(groups[1]) != 3:
        return Decimal(s)  # a decimal point written English-style: "12.5"
    whole = _group_int(s)
    return Decimal(whole) if whole is not None else None


def parse_numeral(s: str) -> float | None:
    """Read one numeral the Vietnamese way: "6,2" -> 6.2, "1.198.108" -> 1198108, "02" -> 2.

    A dot followed by other than exactly three digits is a decimal point ("12.5" -> 12.5).
    Returns None for anything that is not a single well-formed numeral.
    """
    if not isinstance(s, str):
        return None
    value = _parse_decimal(s)
    return float(value) if value is not None else None


# --------------------------------------------------------------------------------------------------
# rules


def _norm_word(w: object) -> str:
    return " ".join(normalize(str(w)).lower().split())


def _alternation(forms: set[str]) -> str:
    ordered = sorted(forms, key=len, reverse=True)
    return "|".join(r"[ \t]+".join(re.escape(p) for p in w.split()) for w in ordered)


@dataclass(frozen=True)
class _Phrases:
    """Context words to find right before a numeral: regex on the folded text + accepted originals."""

    regex: re.Pattern[str]
    originals: frozenset[str]
    meaning: dict[str, str]

    @classmethod
    def build(cls, groups: dict[str, list[Any]], tail: str = r"[ \t]*$") -> _Phrases:
        meaning = {fold(_norm_word(w)): key for key, ws in groups.items() for w in ws}
        originals = frozenset(_norm_word(w) for ws in groups.values() for w in ws)
        regex = re.compile(r"(?<![^\W_])(" + _alternation(set(meaning)) + ")" + tail)
        return cls(regex, originals, meaning)

    def before(self, text: str, folded: str, s: int) -> tuple[str, int] | None:
        """(meaning, start) of a phrase ending right before s (only spaces/tail between)."""
        lo = max(0, s - _WINDOW)
        j = s - 1
        while j >= lo and folded[j] in " \t":
            j -= 1
        if j < lo or not (folded[j].isalpha() or folded[j] in ",:."):
            return None  # cheap exit: no word ends right before the numeral
        m = self.regex.search(folded, lo, s)
        if not m:
            return None
        original = _norm_word(text[m.start(1):m.end(1)])
        if original not in self.originals and not text[lo:s].isascii():
            return None  # "mà 5" is not "mã 5": accented text must match with its diacritics
        return self.meaning[" ".join(m.group(1).split())], m.start(1)


_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")


def _in_proper_name(text: str, start: int) -> bool:
    """A capitalised prefix word that ends a province's name with the word before it: "Hải Phòng 20,3%" is
    the city, not "phòng 20" (a room)."""
    if not text[start:start + 1].isupper():
        return False
    m = _WORD_BEFORE.search(text, max(0, start - 24), start)
    if m is None or not m.group(1)[0].isupper():
        return False
    from etl import provinces  # the gazetteer, loaded only for this rare case

    word = re.match(r"\w+", text[start:])
    return word is not None and provinces.lookup(m.group(1) + " " + word.group(0)) is not None


@cache
def _cfg() -> dict[str, Any]:
    with open(_RULES, encoding="utf-8") as fh:
        r = load_yaml(fh)
    scale = {_norm_word(k): int(v) for k, v in r["scale_words"].items()}
    currencies = {_norm_word(w): unit for unit, ws in r["currencies"].items() for w in ws}
    after = {fold(_norm_word(w)): q for q, ws in r["qualifiers_after"].items() for w in ws}
    return {
        "scale": scale,
        "scale_re": re.compile(r"[ \t]*(" + _alternation(set(scale)) + ")" + _NOT_LETTER_AHEAD, re.I),
        "scale_blockers": frozenset(_norm_word(w) for w in r["scale_blockers"]),
        "currencies": currencies,
        "currency_re": re.compile(r"[ \t]*(" + _alternation(set(currencies)) + ")" + _NOT_LETTER_AHEAD, re.I),
        "dong_blockers": frozenset(_norm_word(w) for w in r["dong_blockers"]),
        "pct_re": re.compile(
            r"[ \t]?%|[ \t]+(?:" + _alternation({_norm_word(w) for w in r["percent_words"]}) + ")"
            + _NOT_LETTER_AHEAD,
            re.I,
        ),
        "per100_re": re.compile(
            r"[ \t]*(?:" + _alternation({_norm_word(w) for w in r["per_100_denominators"]}) + ")"
            + _NOT_LETTER_AHEAD,
            re.I,
        ),
        "per100_before_re": re.compile(
            r"(?<![a-z0-9])(?:" + _alternation({fold(_norm_word(w)) for w in r["per_100_openers"]}) + r")[ \t]+100[ \t]+(?:"
            + _alternation({fold(_norm_word(w)) for w in r["per_100_denominators"]}) + r")[ \t]+(?:"
            + _alternation({fold(_norm_word(w)) for w in r["per_100_verbs"]}) + r")[ \t]+$"
        ),
        "ratio_words_re": re.compile(
            r"[ \t]+(?:[^\W\d_]+[ \t]+){0," + str(max(0, int(r["ratio_max_words"]) - 1)) + r"}?[^\W\d_]+"
            + r"(?P<link>[ \t]?/[ \t]?|[ \t]+(?:"
            + _alternation({_norm_word(w) for w in r["per_100_links"]})
            + r")[ \t]+)(?P<b>[0-9]+(?:[.,][0-9]+)*)",
            re.I,
        ),
        "qualifiers": _Phrases.build(r["qualifiers"]),
        "after_re": re.compile(r"[ \t]+(" + _alternation(set(after)) + ")" + _NOT_LETTER_AHEAD),
        "after": after,
        "date": _Phrases.build({"date": r["date_words"]}, r"[ \t]*,?[ \t]*$"),
        "month": _Phrases.build({"month": r["month_words"]}),
        "calendar": _Phrases.build({"calendar": r["calendar_words"]}),
        "range_opener": _Phrases.build({"from": r["range_openers"]}),
        "range_word_re": re.compile(
            r"[ \t]+(?:" + _alternation({_norm_word(w) for w in r["range_words"]}) + r")[ \t]+", re.I
        ),
        "code": _Phrases.build({"code": r["code_prefixes"]}, r"[ \t]*(?:so[ \t]*)?(?::[ \t]*|\.)?$"),
        "version": _Phrases.build({"version": r["version_prefixes"]}),
        "file_ext": frozenset(str(x).lower() for x in r["file_extensions"]),
        "year_min": int(r["year_min"]),
        "year_max": int(r["year_max"]),
        "year_counted": re.compile(
            r"[ \t]+(?:" + _alternation({fold(_norm_word(w)) for w in r["year_counted_nouns"]}) + r")\b"),
    }


# --------------------------------------------------------------------------------------------------
# excluded regions: URLs, e-mail addresses, file names, phone numbers

_CHUNK_WITH_DIGIT = re.compile(r"(?<!\S)[^\s\d]*+\d\S*+")
_PHONE_START = re.compile(r"(?:\+84|\(?0\d{1,3}+\)?)(?:[ .-]?\d{1,4}+){2,5}+")  # the look-behind is in _excluded_spans
_PHONE_NOT_AFTER = frozenset("0123456789.,")
_DATE_CHAIN = re.compile(r"\d{1,2}([/-])\d{1,2}\1\d{2,4}(?!\d)|\d{4}-\d{1,2}-\d{1,2}(?!\d)")
_DOT_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}")
_SPACES = re.compile(r"[ \t]+")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_TRAILING_PUNCT = ".,;:!?)]}\"'»”’"


@cache
def _address_marker() -> re.Pattern[str]:
    """What any web address, e-mail address or file name contains (most texts have none)."""
    exts = "|".join(sorted(map(re.escape, _cfg()["file_ext"]), key=len, reverse=True))
    return re.compile(rf"://|www\.|@|\.(?:{exts})", re.IGNORECASE)


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    cfg = _cfg()
    spans: list[tuple[int, int]] = []
    if _address_marker().search(text):
        for m in _CHUNK_WITH_DIGIT.finditer(text):
            chunk = m.group(0)
            low = chunk.lower()
            stripped = low.rstrip(_TRAILING_PUNCT)
            ext = stripped.rsplit(".", 1)[-1] if "." in stripped else ""
            if "://" in low or low.startswith("www.") or "@" in low or ext in cfg["file_ext"]:
                spans.append(m.span())
    # _PHONE_START has no look-behind (which would make the scan try every position): the character
    # before is checked here, and a refused start is searched again one character later
    pos = 0
    while (m := _PHONE_START.search(text, pos)) is not None:
        if m.start() and text[m.start() - 1] in _PHONE_NOT_AFTER:
            pos = m.start() + 1
            continue
        pos = m.end()
        digits = sum(c.isdigit() for c in m.group(0))
        if 9 <= digits <= 13 and not text[m.end():m.end() + 1].isdigit():
            spans.append(m.span())
    spans.sort()
    return spans


# --------------------------------------------------------------------------------------------------
# helpers on the right context


_NAM_BEFORE = re.compile(r"\bnam\s+$")


def _is_year_token(tok: str, cfg: dict[str, Any]) -> bool:
    return len(tok) == 4 and tok.isdigit() and cfg["year_min"] <= int(tok) <= cfg["year_max"]


def _match_scale(text: str, pos: int, endpos: int) -> tuple[int, int, str] | None:
    """(end, exponent, word) of a multiplier word at pos, unless a blocker follows ("tỷ lệ")."""
    cfg = _cfg()
    m = cfg["scale_re"].match(text, pos, endpos)
    if not m:
        return None
    word = " ".join(m.group(1).lower().split())
    nxt = _NEXT_WORD.match(text, m.end(), min(endpos, m.end() + 20))
    if nxt and normalize(nxt.group(1)).lower() in cfg["scale_blockers"]:
        return None
    return m.end(), cfg["scale"][normalize(word)], m.group(1)


def _match_currency(text: str, pos: int, endpos: int, after_scale: bool) -> tuple[int, str] | None:
    cfg = _cfg()
    m = cfg["currency_re"].match(text, pos, endpos)
    if not m:
        return None
    word = normalize(" ".join(m.group(1).lower().split()))
    unit = cfg["currencies"].get(word)
    if unit is None:
        return None
    if not after_scale and word == "đồng":
        nxt = _NEXT_WORD.match(text, m.end(), min(endpos, m.end() + 20))
        if nxt and normalize(nxt.group(1)).lower() in cfg["dong_blockers"]:
            return None
    return m.end(), unit


@dataclass
class _Reading:
    value: Decimal
    end: int
    unit: str | None = None
    scale_word: str | None = None


def _read_magnitude(text: str, num_end: int, value: Decimal, endpos: int) -> _Reading:
    """Scale words (with compounds "1 triệu 300 nghìn"), then currency, after a numeral."""
    reading = _Reading(value=value, end=num_end)
    scale = _match_scale(text, num_end, endpos)
    exponent = None
    if scale:
        end, exponent, word = scale
        reading.value = value.scaleb(exponent)
        reading.end = end
        reading.scale_word = word
        while True:  # compounds: "1 triệu 300 nghìn"
            m = _SPACES.match(text, reading.end, endpos)
            if not m:
                break
            n = _NUMERAL.match(text, m.end(), endpos)
            if not n:
                break
            part = _parse_decimal(n.group(0))
            nxt_scale = _match_scale(text, n.end(), endpos)
            if part is None or not nxt_scale or nxt_scale[1] >= exponent:
                break
            reading.value += part.scaleb(nxt_scale[1])
            reading.end = nxt_scale[0]
            exponent = nxt_scale[1]
    currency = _match_currency(text, reading.end, endpos, after_scale=scale is not None)
    if currency:
        reading.end, unit = currency
        reading.unit = unit
        if unit == "bn_vnd":
            reading.value = reading.value.scaleb(-9)
    return reading


# --------------------------------------------------------------------------------------------------
# finder


def find_quantities(text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> list[Quantity]:
    """Every quantity in text[start:end], sorted by start; spans are offsets into `text`.

    ``folded`` is ``etl.text.fold(text)`` when the caller has it already (saves folding again).
    """
    if not isinstance(text, str):
        return []
    n = len(text)
    end = n if end is None else max(0, min(end, n))
    start = max(0, min(start, end))
    sub = text[start:end]
    sub_folded = folded[start:end] if folded is not None and len(folded) == n else None
    return [_shift(q, start) for q in _find(sub, sub_folded)] if start else _find(sub, sub_folded)


def _shift(q: Quantity, by: int) -> Quantity:
    return replace(q, start=q.start + by, end=q.end + by, num_start=q.num_start + by, num_end=q.num_end + by)


def _find(text: str, folded: str | None = None) -> list[Quantity]:
    cfg = _cfg()
    if folded is None:
        folded = fold(text)
    excluded = _excluded_spans(text)
    ex_i = 0
    consumed = 0
    out: list[Quantity] = []
    for m in _NUMERAL.finditer(text):
        s, e = m.span()
        if s < consumed:
            continue
        while ex_i < len(excluded) and excluded[ex_i][1] <= s:
            ex_i += 1
        if ex_i < len(excluded) and excluded[ex_i][0] <= s:
            continue
        q = _read_at(text, folded, s, e, cfg)
        if q is None:
            continue
        if isinstance(q, int):  # a non-quantity that swallows following digits (dates, codes)
            consumed = q
            continue
        out.append(q)
        consumed = q.end
    return out


_CAPS_BEFORE = re.compile(r"(?<![^\W_])[A-Z]{2,}[a-z]?[ \t]*$")
_SHORT_VERSION = re.compile(r"\d{1,2}\.\d")
_RANGE_DASH = re.compile(r"[ \t]?[-–—][ \t]?")
_DATE_RUN = re.compile(r"[0-9]+(?:[/.-][0-9]+)*")
_CODE_RUN = re.compile(r"[0-9][0-9 .()/+-]{0,24}")
_NAM_AFTER = re.compile(r"[ \t]*(?:,[ \t]*)?nam(?![^\W\d_])")


def _read_at(text: str, folded: str, s: int, e: int, cfg: dict[str, Any]) -> Quantity | int | None:
    """The quantity whose numeral is text[s:e]; an int = skip up to there; None = not a quantity."""
    n = len(text)
    tok = text[s:e]
    prev1 = text[s - 1] if s > 0 else ""
    prev2 = text[s - 2] if s > 1 else ""
    nxt1 = text[e] if e < n else ""
    nxt2 = text[e + 1] if e + 1 < n else ""
    # glued to letters or codes: "4G", "H5N1", "l7", "Covid-19", "3G/4G", "quý I.2020"; times "10:13"
    if prev1.isalpha() or prev1 == "_":
        return None
    if prev1 in "-/:.,+" and prev2.isalpha():
        return None
    if prev1 in "/:" and prev2.isdigit():
        return None
    if nxt1 == ":" and nxt2.isdigit():
        return None
    if nxt1 in "-/" and nxt2.isalpha():
        return None  # "715/QĐ-UBND", "22-NQ/TU"
    if nxt1 in "-/" and nxt2.isdigit():
        chain = _DATE_CHAIN.match(text, s)
        if chain:
            return chain.end()
    if _DOT_DATE.fullmatch(tok):
        return e
    value = _parse_decimal(tok)
    if value is None or sum(c.isdigit() for c in tok) > _MAX_DIGITS:
        return e
    if tok[0] == "0" and tok.isdigit() and len(tok) >= 4:
        return e  # phone fragments, codes
    endpos = min(n, e + _AHEAD)
    code = cfg["code"].before(text, folded, s)
    if code and not _in_proper_name(text, code[1]):  # "Nghị định 64/2007", "điện thoại 0214 ...", "Covid 19"
        run = _CODE_RUN.match(text, s)
        stop = len(text[s:run.end()].rstrip(" .()/+-")) + s if run else e
        return max(e, stop)
    english_decimal = "." in tok and "," not in tok and _group_int(tok) is None
    if english_decimal:
        if cfg["version"].before(text, folded, s):  # "công nghiệp 4.0", "phiên bản 2.1"
            return e
        if _SHORT_VERSION.fullmatch(tok) and not cfg["pct_re"].match(text, e, endpos) and (
            tok.endswith(".0") or _CAPS_BEFORE.search(text, max(0, s - _WINDOW), s)
        ):
            return e  # "LGSP 1.2", "4.0": Vietnamese decimals use a comma, so these are versions
        left, _, right = tok.partition(".")
        if cfg["date"].before(text, folded, s) and int(left) <= 31 and 1 <= int(right) <= 12:
            return e  # "Ngày 18.6"
        if cfg["month"].before(text, folded, s) and _is_year_token(right, cfg) and 1 <= int(left) <= 12:
            return e  # "cuối 3.2019"
    if tok.isdigit() and int(tok) <= 31 and cfg["calendar"].before(text, folded, s):
        run = _DATE_RUN.match(text, s)
        return run.end() if run else e  # "ngày 24 tháng 12", "tháng 3/2022", "quý 2"
    if nxt1.isalpha() and not _match_currency(text, e, endpos, after_scale=False):
        return None
    return _read_quantity(text, folded, s, e, tok, value, endpos, cfg)


def _read_quantity(
    text: str, folded: str, s: int, e: int, tok: str, value: Decimal, endpos: int, cfg: dict[str, Any]
) -> Quantity | int | None:
    kind = "number"
    unit: str | None = None
    denominator: Decimal | None = None
    high: Decimal | None = None
    scale_word: str | None = None
    qualifier = "exact"

    if e < len(text) and text[e] == "/":  # ratio, per-100, date or month/year
        b = _NUMERAL.match(text, e + 1, endpos)
        if b is None:
            return None
        b_tok = b.group(0)
        b_val = _parse_decimal(b_tok)
        if b_val is None or _is_year_token(b_tok, cfg) or (b.end() < len(text) and text[b.end()] == "/"):
            return b.end()  # "3/2022", "64/2007"
        if tok.isdigit() and b_tok.isdigit() and int(tok) <= 31 and 1 <= int(b_tok) <= 12 and (
            cfg["date"].before(text, folded, s) or _NAM_AFTER.match(folded, b.end(), endpos)
        ):
            return b.end()  # "Sáng 27/11"
        per100 = cfg["per100_re"].match(text, b.end(), endpos) if b_tok == "100" else None
        if per100:
            unit, q_end = "per_100", per100.end()
        else:
            kind, denominator, q_end = "ratio", b_val, b.end()
    else:
        p = e
        pct = cfg["pct_re"].match(text, p, endpos)
        if pct:
            unit, p = "pct", pct.end()
        dash = _RANGE_DASH.match(text, p, endpos)
        if dash is None and cfg["range_opener"].before(text, folded, s):
            dash = cfg["range_word_re"].match(text, p, endpos)  # "từ 10 đến 20%"
        hi = _NUMERAL.match(text, dash.end(), endpos) if dash else None
        if hi and _is_year_token(hi.group(0), cfg):
            if tok.isdigit() and int(tok) <= 12 and cfg["month"].before(text, folded, s):
                return hi.end()  # "tháng 12-2007"
            hi = None  # "2017- 2022": two years, not a range
        hi_val = _parse_decimal(hi.group(0)) if hi else None
        if hi and hi_val is not None and hi_val > value and not (
            hi.end() < len(text) and (text[hi.end()].isalpha() or text[hi.end()] in "/:")
        ):
            kind, high, p = "range", hi_val, hi.end()
            pct2 = cfg["pct_re"].match(text, p, endpos)
            if pct2:
                unit, p = "pct", pct2.end()
        if unit is None:
            if kind == "range" and high is not None:
                factor = _read_magnitude(text, p, Decimal(1), endpos)
                value, high = value * factor.value, high * factor.value
                reading = factor
            else:
                reading = _read_magnitude(text, p, value, endpos)
                value = reading.value
            unit, scale_word, p = reading.unit, reading.scale_word, reading.end
        q_end = p
        if unit is None and kind == "number" and not scale_word:
            rw = cfg["ratio_words_re"].match(text, e, endpos)
            if rw:
                b_tok = rw.group("b")
                b_val = _parse_decimal(b_tok)
                per100 = cfg["per100_re"].match(text, rw.end(), endpos) if b_tok == "100" else None
                if per100:
                    unit, q_end = "per_100", per100.end()
                elif "/" in rw.group("link") and b_val is not None and not _is_year_token(b_tok, cfg):
                    kind, denominator, q_end = "ratio", b_val, rw.end()
        if unit is None and kind == "number" and not scale_word:
            if cfg["per100_before_re"].search(folded, max(0, s - 60), s):  # "cứ 100 dân có 62 (thuê bao)"
                unit = "per_100"
    after = cfg["after_re"].match(folded, q_end, endpos)
    if after:
        qualifier = cfg["after"][" ".join(after.group(1).split())]
        q_end = after.end()
    q_start = s
    before = cfg["qualifiers"].before(text, folded, s)
    if before and qualifier == "exact":
        qualifier, q_start = before
    if kind == "number" and unit is None and scale_word is None and _is_year_token(tok, cfg) \
            and (not cfg["year_counted"].match(folded, e) or _NAM_BEFORE.search(folded, max(0, s - 6), s)):
        kind = "year"
    return Quantity(
        start=q_start, end=q_end, num_start=s, num_end=e, value=float(value), raw=text[q_start:q_end],
        qualifier=qualifier, unit=unit, denominator=float(denominator) if denominator is not None else None,
        kind=kind, high=float(high) if high is not None else None, scale_word=scale_word,
    )


__all__ = ["Quantity", "find_quantities", "parse_numeral"]
