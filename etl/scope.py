"""What a percentage is a share of: the administrative level named right after it.

"100% trung tâm cấp huyện, xã, phường, thị trấn" -> district and commune; "trên 95% thôn, bản" ->
village; "97% cơ quan, đơn vị sử dụng hộp thư điện tử" -> all (no level named).
"""

from __future__ import annotations

import re

from etl.context import context_rules

_ORDER = ("province", "district", "commune", "village", "population", "household")


_VAGUE = re.compile(r"\b(?:hầu hết|phần lớn|đa số|một số)\b")
_EVERY_LEVEL = re.compile(r"\W*(?:ở |tại )?(?:cả (?:\d |ba |hai )?(?:cấp|các cấp)|tất cả các cấp)\b")
_BREAKDOWN = re.compile(r"\b(?:trong đó|trong số đó|bao gồm|cụ thể)\b")


def scopes_after(text: str, start: int, stop: int) -> list[str]:
    """Levels named in the noun phrase `text[start:stop]` that follows a percentage ([] = 'all')."""
    ctx = context_rules()
    window = text[start:stop].lower()
    if _EVERY_LEVEL.match(window):
        return []  # "đạt trên 99% ở cả cấp tỉnh và cấp xã": the same share at every level is the province's
    vague = _VAGUE.search(window)
    if vague is not None:  # "100% trung tâm xã, phường và hầu hết các thôn": no figure for the villages
        window = window[:vague.start()]
    parts = _BREAKDOWN.search(window)
    if parts is not None:  # "đạt 22,33%, trong đó cấp tỉnh đạt 40%, …": the levels of the parts, not of the whole
        window = window[:parts.start()]
    segments = window.split(",")
    found: list[str] = []
    head = segments[0]
    _collect(head, found, head=True)
    # "cơ quan, đơn vị cấp tỉnh": a short level-less head continues into the next segment
    i = 1
    if not found and len(head.split()) <= 3 and len(segments) > 1:
        _collect(segments[1], found, head=True)
        i = 2
    if found:
        while i < len(segments) and ctx.level_list_item.match(segments[i]):
            _collect(segments[i], found, head=False, leading_only=True)
            i += 1
    return [s for s in _ORDER if s in found]


def _collect(segment: str, found: list[str], head: bool, leading_only: bool = False) -> None:
    ctx = context_rules()
    # "trên địa bàn tỉnh", "toàn tỉnh" say the figure is province-wide: only a level named before them
    # counts ("100% thôn bản trên địa bàn tỉnh")
    cut = min((i for i in (segment.find("địa bàn tỉnh"), segment.find("toàn tỉnh")) if i >= 0), default=-1)
    if cut >= 0:
        segment = segment[:cut]
    hits: list[tuple[int, str]] = []
    for level, pat in ctx.levels.items():
        for m in pat.finditer(segment):
            if level == "village" and ctx.urban_village.match(segment, m.start()) and (found or not head):
                continue  # "tổ dân phố" at the tail of a list is the urban part of the commune level
            hits.append((m.start(), level))
    hits.sort()
    if leading_only and hits:
        lead = len(segment) - len(segment.lstrip())
        hits = [h for h in hits if h[0] <= lead + 12]
    for _, level in hits:
        if level not in found:
            found.append(level)


_CAP = {"tỉnh": "province", "huyện": "district", "xã": "commune", "thôn": "village"}
_CAP_RE = __import__("re").compile(r"\bcấp (tỉnh|huyện|xã|thôn)\b")


def level_named_before(clause: str) -> str | None:
    """"cấp huyện khoảng 64%": the level named in the words right before a figure (its own clause)."""
    hits = _CAP_RE.findall(clause.lower())
    return _CAP[hits[-1]] if len(hits) == 1 else None


def levels_in_order(text: str) -> list[str]:
    """"ở cấp tỉnh, cấp huyện, cấp xã lần lượt đạt …": the levels a respectively-list aligns with."""
    return [_CAP[m] for m in _CAP_RE.findall(text.lower())]
