"""Text utilities for Vietnamese reports: normalization, folding, sentence/clause/paragraph spans,
page-chrome spans and a language check.

Everything here is pure and runs in linear time. Offsets are always into the text passed in
(callers pass the normalized document text, see `normalize`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from etl.yamlfile import load_yaml

_RULES = Path(__file__).parent / "rules" / "chrome.yaml"

# --------------------------------------------------------------------------------------------------
# normalize

_SPACE_CHARS = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_NEWLINE_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_DROP_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u180e\u2061\u2062\u2063\u2064"
_CONTROL_CHARS = "".join(chr(c) for c in range(32) if chr(c) not in "\n\t\r\x0b\x0c\x1c\x1d\x1e")
_CONTROL_CHARS += "\x7f"


def _build_translate() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in _SPACE_CHARS:
        table[ord(ch)] = " "
    for ch in _NEWLINE_CHARS:
        table[ord(ch)] = "\n"
    for ch in _DROP_CHARS + _CONTROL_CHARS:
        table[ord(ch)] = None
    table[0xD0] = "\u0110"  # Icelandic capital eth, a look-alike used for "Đ"
    return table


_TRANSLATE = _build_translate()
_SPECIAL = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_SPACE_RUN = re.compile(" {2,}")

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook above, tilde, dot below
_TONE_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))


def _build_tone_fix() -> tuple[re.Pattern[str], dict[str, str]]:
    """'hoà' -> 'hòa' style: in open syllables oa/oe/uy carry the mark on the first vowel."""
    mapping: dict[str, str] = {}
    seconds: dict[str, set[str]] = {}
    for first, second in _TONE_PAIRS:
        for f in (first, first.upper()):
            for s in (second, second.upper()):
                for tone in _TONES:
                    marked = unicodedata.normalize("NFC", s + tone)
                    mapping[f + marked] = unicodedata.normalize("NFC", f + tone) + s
                    seconds.setdefault(first, set()).add(marked)
    # The scan looks for the marked second vowel only (one character class: fast); normalize checks the
    # vowel before it and, for "uy", that no "q" precedes ("quý" keeps its mark).
    pattern = re.compile(f"[{''.join(sorted(seconds['o'] | seconds['u']))}](?![^\\W\\d_])")
    return pattern, mapping


_TONE_RE, _TONE_MAP = _build_tone_fix()


def _fix_tones(text: str) -> str:
    """Move the tone mark of open oa/oe/uy syllables to the first vowel ("hoà" -> "hòa")."""
    parts: list[str] = []
    done = 0
    for m in _TONE_RE.finditer(text):
        i = m.start()
        if i == 0:
            continue
        pair = text[i - 1:i + 1]
        fixed = _TONE_MAP.get(pair)
        if fixed is None or (pair[0] in "uU" and i >= 2 and text[i - 2] in "qQ"):
            continue
        parts.append(text[done:i - 1])
        parts.append(fixed)
        done = i + 1
    if not parts:
        return text
    parts.append(text[done:])
    # a combining mark after the moved vowel ("oà" + U+0300) now composes with it: NFC again
    return unicodedata.normalize("NFC", "".join(parts))


def normalize(raw: str) -> str:
    """NFC, one tone-mark placement (Hòa, Thúy, khỏe), plain spaces, LF line ends, no invisible chars.

    Keeps the line structure; collapses runs of spaces and strips spaces at line ends. Idempotent.
    """
    if not isinstance(raw, str):
        return ""
    text = raw.replace("\r\n", "\n")
    if _SPECIAL.search(text):  # most texts have none: skip the per-character translate
        text = text.translate(_TRANSLATE)
    text = _SURROGATES.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _fix_tones(text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return text.strip(" ")


# --------------------------------------------------------------------------------------------------
# fold


class _FoldTable(dict):
    """str.translate table computing (and caching) the one-char folded form of each code point."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if low in "đð":
            out = "d"
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
            out = base if len(base) == 1 else low
        self[code] = ord(out)
        return ord(out)


_FOLD = _FoldTable()
# str.translate is ~3x faster with a plain dict than with a dict subclass: precompute the scripts that
# occur in these reports (Latin with Vietnamese, Greek, Cyrillic, punctuation); the rest is lowercased.
_FOLD_FAST = {code: _FOLD[code] for code in range(0x3000)}


def fold(text: str) -> str:
    """Lowercase, strip diacritics, đ -> d; the result has exactly len(text) characters."""
    out = text.translate(_FOLD_FAST)
    if not out.isascii():
        low = out.lower()
        out = low if len(low) == len(out) else text.translate(_FOLD)
    return out


# --------------------------------------------------------------------------------------------------
# rules


@cache
def _rules() -> dict[str, Any]:
    with open(_RULES, encoding="utf-8") as fh:
        return load_yaml(fh)


def _folded_set(key: str) -> frozenset[str]:
    return frozenset(_key(str(x)) for x in _rules().get(key, []))


@lru_cache(maxsize=8192)
def _fold_words(line: str) -> str:
    """A line folded with its inner spaces collapsed (memoized: chrome tests look at a line several times)."""
    return " ".join(fold(line).split())


def _key(line: str) -> str:
    """A line's comparison key: folded, inner spaces collapsed, surrounding punctuation dropped."""
    return _fold_words(line).strip(" .,;:!?-–—|\"'()[]")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(fold(str(x)).rstrip(".") for x in _rules().get("abbreviations", []))


# --------------------------------------------------------------------------------------------------
# spans

Span = tuple[int, int]

_TERMINATOR = re.compile(r"[.!?…]++[\"”’»)\]]*+(?![0-9])|\n+")
_CLOSERS = "\"”’»)]"
_ENUMERATOR = re.compile(r"[IVXLivxl]+|[a-zđ]")
_NON_SPACE = re.compile(r"\S")


def _trim(text: str, a: int, b: int) -> Span | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _token_before(text: str, pos: int, lo: int, limit: int = 24) -> str:
    """The non-space token ending at pos (at most `limit` chars; longer tokens return '')."""
    i = pos
    floor = max(lo, pos - limit - 1)
    while i > floor and not text[i - 1].isspace():
        i -= 1
    if i == floor and i > lo and not text[i - 1].isspace():
        return ""
    return text[i:pos]


def _is_boundary(text: str, m: re.Match[str], seg_start: int, seg_first: int, end: int) -> bool:
    term = m.group(0)
    after = m.end()
    nxt = text[after] if after < end else ""
    if nxt and not nxt.isspace():
        # glued: "1.198.108", "TP.HCM", "3.2019"; split only "word.Word" typos
        if "." not in term or not nxt.isupper():
            return False
        before = _token_before(text, m.start(), seg_start)
        last = before.rsplit(".", 1)[-1]
        return len(last) >= 2 and last.islower() and fold(last) not in _abbreviations()
    # next visible character on the same line
    j = after
    while j < end and text[j] in " \t":
        j += 1
    if j < end and text[j].islower():
        return False
    if term[0] in ".…" and term.rstrip(_CLOSERS) == ".":
        before = _token_before(text, m.start(), seg_start).lstrip("(\"'“‘[")
        if not before:
            return True
        key = fold(before)
        if key in _abbreviations():
            return False
        if len(before) == 1 and before.isupper():  # initials, "Q."
            return False
        # an enumerator opening the sentence: "1.", "II.", "a."
        if (before.isdigit() or _ENUMERATOR.fullmatch(before)) and seg_first == m.start() - len(before):
            return False
    return True


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of report prose within text[start:end]: split at . ! ? … and newlines.

    Never splits inside numbers/dates ("1.198.108", "14/11/2020"), after abbreviations ("TP.", "ThS.",
    "v.v."), or before a lowercase letter. Does not split at ";". Spans exclude surrounding whitespace.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    spans: list[Span] = []
    seg = start
    seg_first = -1
    for m in _TERMINATOR.finditer(text, start, end):
        newline = text[m.start()] == "\n"
        if not newline:
            if seg_first < seg:
                first = _NON_SPACE.search(text, seg, end)
                seg_first = first.start() if first else end
            if not _is_boundary(text, m, seg, seg_first, end):
                continue
        cut = m.start() if newline else m.end()
        span = _trim(text, seg, cut)
        if span:
            spans.append(span)
        seg = m.end()
    span = _trim(text, seg, end)
    if span:
        spans.append(span)
    return spans


_CLAUSE_SEP = re.compile(r";|:(?![/\d])")


def clause_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Clauses of text[start:end], split at ';' and ':' (not in times "10:13" or "http://")."""
    end = len(text) if end is None else min(end, len(text))
    spans: list[Span] = []
    seg = max(0, start)
    for m in _CLAUSE_SEP.finditer(text, seg, end):
        span = _trim(text, seg, m.start())
        if span:
            spans.append(span)
        seg = m.end()
    span = _trim(text, seg, end)
    if span:
        spans.append(span)
    return spans


# A line broken inside a sentence (legal texts, PDFs and some CMSs wrap at ~80 characters): a long line
# that ends without a terminator, followed on the next line by a lowercase word or by a number after a word.
_WRAPPED = re.compile(r"\n(?=\w)")
_WRAP_MIN_LINE = 24  # a wrapped line is at least this long ...
_WRAP_BEFORE_NUMBER = 50  # ... and a number opens a wrapped line only after a long line ending in a word
_WRAP_NOT_AFTER = frozenset(" \t.!?…:;|\"”’»)]")


def _wrap_space(m: re.Match[str]) -> str:
    text = m.string
    at = m.start()
    nxt, prev = text[at + 1], text[at - 1] if at else "\n"
    if prev in _WRAP_NOT_AFTER or prev == "\n" or not (nxt.islower() or (nxt.isdigit() and prev.isalpha())):
        return "\n"
    line = at - text.rfind("\n", 0, at) - 1
    return " " if line >= (_WRAP_MIN_LINE if nxt.islower() else _WRAP_BEFORE_NUMBER) else "\n"


def unwrap(text: str) -> str:
    """`text` with the line breaks of hard-wrapped prose turned into spaces (same length, same offsets):
    "Chính quyền số đạt\n0,3512" is one sentence. A break stays after a short line (titles, menus, table
    cells), after a terminator or a colon, before a capitalised line and before a number after a number."""
    if "\n" not in text:
        return text
    return _WRAPPED.sub(_wrap_space, text)


_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def paragraph_spans(text: str) -> list[Span]:
    """Non-empty lines (report paragraphs are one line each after reading), trimmed."""
    return [m.span() for m in _LINE.finditer(text)]


# --------------------------------------------------------------------------------------------------
# page chrome

_URL_LINE = re.compile(r"(?:https?://|www\.)\S+", re.I)


@cache
def _chrome_config() -> dict[str, Any]:
    rules = _rules()
    exts = "|".join(re.escape(str(e)) for e in rules.get("image_extensions", []))
    return {
        "image_file": re.compile(r"\S{1,200}\.(?:" + exts + r")", re.I),
        "image_lines": _folded_set("image_lines"),
        "menu_lines": _folded_set("menu_lines"),
        "prefixes": tuple(" ".join(fold(str(p)).split()) for p in rules.get("prefix_lines", [])),
        "bullets": tuple(str(b) for b in rules.get("bullets", [])),
        "bullet_max_words": int(rules.get("bullet_max_words", 6)),
        "footer_markers": _folded_set("footer_markers"),
        "footer_prefixes": tuple(
            " ".join(fold(str(p)).split()) for p in rules.get("footer_markers", []) if str(p).endswith(":")
        ),
        "short_words": int(rules.get("footer_short_words", 15)),
        "short_chars": int(rules.get("footer_short_chars", 120)),
        "caption_words": int(rules.get("caption_max_words", 40)),
        "caption_chars": int(rules.get("caption_max_chars", 320)),
        "final": str(rules.get("sentence_final", ".!?…:;")),
    }


def _is_image_line(line: str, cfg: dict[str, Any]) -> bool:
    return bool(cfg["image_file"].fullmatch(line)) or _key(line) in cfg["image_lines"]


def _is_menu_line(line: str, cfg: dict[str, Any]) -> bool:
    key = _key(line)
    if key in cfg["menu_lines"] or _URL_LINE.fullmatch(line):
        return True
    low = _fold_words(line)
    if any(low.startswith(p) for p in cfg["prefixes"]):
        return True
    if line.startswith(cfg["bullets"]):
        body = line.lstrip("".join(cfg["bullets"]) + " ")
        return len(body.split()) <= cfg["bullet_max_words"] and not any(c.isdigit() for c in body)
    return False


def _is_footer_marker(line: str, cfg: dict[str, Any]) -> bool:
    if _key(line) in cfg["footer_markers"]:
        return True
    low = _fold_words(line)
    return any(low.startswith(p) for p in cfg["footer_prefixes"])


def _is_short(line: str, cfg: dict[str, Any]) -> bool:
    return len(line) <= cfg["short_chars"] and len(line.split()) <= cfg["short_words"]


@dataclass(frozen=True)
class _LineInfo:
    image: bool
    menu: bool
    marker: bool
    short: bool
    caption_like: bool


def _line_info(line: str, cfg: dict[str, Any]) -> _LineInfo:
    if len(line) > cfg["caption_chars"]:  # long lines are prose
        return _LineInfo(False, False, False, False, False)
    short = _is_short(line, cfg)
    return _LineInfo(
        image=_is_image_line(line, cfg),
        menu=_is_menu_line(line, cfg),
        marker=short and _is_footer_marker(line, cfg),
        short=short,
        caption_like=line[-1] not in cfg["final"] and len(line.split()) <= cfg["caption_words"],
    )


def chrome_spans(text: str) -> list[Span]:
    """Spans of page chrome (image names, captions, menus, footer blocks) that must never yield values.

    Sorted, non-overlapping, each trimmed of surrounding whitespace.
    """
    cfg = _chrome_config()
    lines = paragraph_spans(text)
    memo: dict[str, _LineInfo] = {}
    infos = []
    for a, b in lines:
        line = text[a:b]
        info = memo.get(line)
        if info is None:
            info = memo[line] = _line_info(line, cfg)
        infos.append(info)
    flagged = [False] * len(lines)
    after_image = False
    for i, info in enumerate(infos):
        # a photo caption is a short unpunctuated line right after an image line
        flagged[i] = info.image or info.menu or (after_image and info.caption_like)
        after_image = info.image
    # trailing footer block: the first marker after which every line is short
    all_short_after = True
    footer_from = None
    for i in range(len(lines) - 1, -1, -1):
        if all_short_after and infos[i].marker:
            footer_from = i
        all_short_after = all_short_after and (infos[i].short or flagged[i])
    spans: list[Span] = []
    for i, (a, b) in enumerate(lines):
        if footer_from is not None and i >= footer_from:
            spans.append((lines[footer_from][0], lines[-1][1]))
            break
        if flagged[i]:
            spans.append((a, b))
    return spans


# --------------------------------------------------------------------------------------------------
# language
# Letters that occur in Vietnamese but not (or hardly) in French, Portuguese, Spanish or English.
_VI_ONLY = frozenset(
    "ăằắẳẵặấầẩẫậđơờớởỡợưừứửữựạảẹẻẽếềểễệỉĩịọỏốồổỗộụủũỳỷỹỵ"
    + "ĂẰẮẲẴẶẤẦẨẪẬĐƠỜỚỞỠỢƯỪỨỬỮỰẠẢẸẺẼẾỀỂỄỆỈĨỊỌỎỐỒỔỖỘỤỦŨỲỶỸỴ"
)


def vietnamese_share(text: str) -> float:
    """Share of Vietnamese-only letters (ư, ơ, đ, ạ, ể, ...) among all letters."""
    letters = sum(map(str.isalpha, text))
    vi = sum(map(_VI_ONLY.__contains__, text))
    return vi / letters if letters else 0.0


def looks_vietnamese(text: str) -> bool:
    """True when the text reads as Vietnamese (typical prose has 10-20 % Vietnamese-only letters)."""
    return vietnamese_share(text) >= 0.03
