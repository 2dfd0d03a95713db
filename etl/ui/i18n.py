"""The interface's one translation table (`i18n.yaml`: key -> {vi, en}) and `t()` to read it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from etl.yamlfile import load_yaml

I18N_FILE = Path(__file__).with_name("i18n.yaml")
LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@cache
def table() -> dict[str, dict[str, str]]:
    """All keys with their texts: {key: {"vi": ..., "en": ...}}."""
    raw = load_yaml(I18N_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in raw.items()}


def has(key: str) -> bool:
    return key in table()


def t(key: str, lang: str = DEFAULT_LANG, /, **fmt: Any) -> str:
    """The text of `key` in `lang` (Vietnamese when missing), with `{name}` fields filled from `fmt`.

    A count passed as `n` equal to 1 picks the key's singular sibling `<key>_one` when there is one.
    An unknown key returns the key itself, so a gap shows on screen instead of crashing a page
    (tests/test_ui_helpers.py checks that every key the code uses exists).
    """
    entry = table().get(key)
    if entry is None:
        return key
    if str(fmt.get("n", "")) == "1" and f"{key}_one" in table():  # "1 province", not "1 provinces"
        entry = table()[f"{key}_one"]
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**fmt) if fmt else text


def t_opt(prefix: str, value: str | None, lang: str = DEFAULT_LANG) -> str:
    """The label of a coded value (`scope.commune`, `unit.pct`, ...); the raw value when not translated."""
    if value is None:
        return ""
    key = f"{prefix}.{value}"
    return t(key, lang) if has(key) else str(value)
