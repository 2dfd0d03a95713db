"""Numbers as people read them: 1.234,5 in the Vietnamese interface, 1,234.5 in the English one.

Pure functions, no Streamlit. Missing values show as an en dash ("–"), never as 0 or "nan".
"""

from __future__ import annotations

import math
import re
from numbers import Number
from typing import Any

from etl.ui.i18n import t, t_opt

MISSING = "–"
MINUS = "−"  # U+2212, a real minus sign
QUALIFIER_SYMBOL = {"exact": "", "at_least": "≥ ", "at_most": "≤ ", "approx": "≈ "}


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA/NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pandas NA compare unequal to themselves
    except (TypeError, ValueError):
        return False


def auto_decimals(value: float) -> int:
    """Decimals worth showing: none for whole numbers, up to 2 (3 below 1) otherwise."""
    a = abs(value)
    if a == 0 or float(a).is_integer():
        return 0
    if a < 1:
        return 3
    return 2


def _nonzero(text: str) -> bool:
    return any(c in "123456789" for c in text)


def fmt_number(value: Any, lang: str = "vi", decimals: int | None = None, trim: bool = True) -> str:
    """`1234.5` -> "1.234,5" (vi) or "1,234.5" (en). `decimals=None` picks them; trailing zeros are
    trimmed unless `trim=False`."""
    if is_missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    d = auto_decimals(x) if decimals is None else max(0, int(decimals))
    text = f"{abs(x):,.{d}f}"
    if trim and d > 0 and "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = MINUS if x < 0 and _nonzero(text) else ""
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return sign + text


def fmt_int(value: Any, lang: str = "vi") -> str:
    """A count of things (provinces, documents): no decimals, grouped thousands."""
    return fmt_number(value, lang, decimals=0)


def fmt_change(value: Any, lang: str = "vi", decimals: int | None = None) -> str:
    """A difference with its sign: "+441", "−290", "0"."""
    if is_missing(value):
        return MISSING
    text = fmt_number(value, lang, decimals)
    if float(value) > 0 and _nonzero(text):
        return "+" + text
    return text


def fmt_value(
    value: Any,
    unit: str | None,
    qualifier: str | None = "exact",
    lang: str = "vi",
    denominator: Any = None,
    decimals: int | None = None,
) -> str:
    """A value as a sentence would say it: "≥ 95%", "≈ 2.000.000", "hạng 5/63", "62 thuê bao/100 dân"."""
    if is_missing(value):
        return MISSING
    if unit == "rank":
        number = fmt_number(value, lang, 0)
        if not is_missing(denominator):
            number = f"{number}/{fmt_number(denominator, lang, 0)}"
    else:
        number = fmt_number(value, lang, decimals)
    key = f"unitfmt.{unit}"
    text = t(key, lang, v=number) if unit and t(key, lang) != key else number
    return QUALIFIER_SYMBOL.get(qualifier or "exact", "") + text


def unit_label(unit: str | None, lang: str = "vi") -> str:
    """The unit's name for axis titles and captions ("%", "thuê bao/100 dân", "tỷ đồng")."""
    return t_opt("unit", unit, lang)


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators`: decimal mark then thousands mark."""
    return ",." if lang == "vi" else ".,"


def d3_format(unit: str | None) -> str:
    """A d3 number format for chart axes and hovers of this unit (grouped thousands)."""
    if unit in ("pct", "per_100", "score", "per_10k_pop", "per_100km2"):
        return ",.4~f"
    return ",.2~f"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: Any, max_len: int = 60) -> str:
    """Text safe to place inside Streamlit markdown (st.warning, st.caption): specials escaped, cut short."""
    s = str(text)
    s = "".join(ch if ch.isprintable() else "?" for ch in s)
    if len(s) > max_len:
        s = s[: max_len - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", s)


def as_number(value: Any) -> float | None:
    """A float, or None for missing / non-numeric values."""
    if is_missing(value) or not isinstance(value, Number | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def fmt_year(year: Any) -> str:
    """A year as "2013", a missing one as "–"."""
    return MISSING if is_missing(year) else str(int(year))


def fmt_years(years: Any) -> str:
    """[2012, 2013, 2014, 2018] -> "2012–2014, 2018" (runs of consecutive years collapse)."""
    ys = sorted({int(y) for y in (years if years is not None else []) if not is_missing(y)})
    if not ys:
        return MISSING
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


SHORT_UNITS = ("pct", "rank")  # units short enough to stay inside a headline card's value


def fmt_short(value: Any, unit: str | None, qualifier: str | None = "exact", lang: str = "vi",
              denominator: Any = None) -> str:
    """A value for a headline card: "18,5%", "hạng 5/63", else the number alone (unit goes in a caption)."""
    if unit in SHORT_UNITS:
        return fmt_value(value, unit, qualifier, lang, denominator)
    if is_missing(value):
        return MISSING
    return QUALIFIER_SYMBOL.get(qualifier or "exact", "") + fmt_number(value, lang)


# --- Vietnamese collation --------------------------------------------------------------------------
# The alphabet's order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) decides first, the
# tones (none, huyền, hỏi, ngã, sắc, nặng) only between otherwise equal names: "Bạc Liêu" < "Bắc Giang"
# (a < ă), "Đà Nẵng" < "Điện Biên" < "Đồng Nai" and all of them after "Cà Mau" (d < đ).
_VI_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VI_RANK = {ch: i for i, ch in enumerate(_VI_LETTERS)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def vi_sort_key(text: Any) -> tuple:
    """A sort key that orders Vietnamese names as a Vietnamese reader expects (letters, then tones)."""
    import unicodedata

    letters: list[tuple[int, int | str]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", str(text or "")).lower():
        base = unicodedata.normalize("NFD", ch)
        tone = 0
        for mark, value in _TONES.items():
            if mark in base:
                tone = value
                base = base.replace(mark, "")
        base = unicodedata.normalize("NFC", base)
        if base in _VI_RANK:
            letters.append((1, _VI_RANK[base]))
            tones.append(tone)
        elif base.isspace() or base in "-–(),.":
            letters.append((0, 0))  # a word break sorts before any letter: "An Giang" < "Anh"
        else:
            letters.append((2, base))
    return tuple(letters), tuple(tones)


def vi_sorted(items: Any, key: Any = None) -> list:
    """`items` sorted by Vietnamese collation of `key(item)` (the item itself by default)."""
    get = key or (lambda x: x)
    return sorted(items, key=lambda item: vi_sort_key(get(item)))
