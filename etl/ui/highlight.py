"""A document's text as safe HTML with its extracted values marked.

Every piece of document text goes through `html.escape`: a `<script>` or `<img onerror>` inside a
report shows as text. Only the `<mark>`/`<div>` tags written here are markup, with attributes built
from escaped values and ids reduced to [A-Za-z0-9_-].
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

STYLE_VALUE = "background:#fff3b0;padding:0 2px;border-radius:3px;"
STYLE_FOCUS = "background:#ffb74d;padding:0 2px;border-radius:3px;outline:2px solid #e65100;"
STYLE_REJECTED = "background:#eeeeee;text-decoration:line-through;padding:0 2px;border-radius:3px;"
STYLE_BOX = ("white-space:pre-wrap;line-height:1.6;font-size:0.95rem;max-height:560px;overflow-y:auto;"
             "border:1px solid #ddd;border-radius:6px;padding:12px;background:#fafafa;")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    obs_id: str
    title: str = ""
    rejected: bool = False


def anchor_id(obs_id: str) -> str:
    """An HTML id for a value's mark (only letters, digits, '_' and '-')."""
    return "obs-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(obs_id))[:120]


def locate(text: str, start: int | None, end: int | None, evidence: str | None) -> tuple[int, int] | None:
    """Where a value's evidence is in `text`: the stored offsets when they match, else a search."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        if not evidence or text[start:end] == evidence:
            return start, end
    if evidence:
        found = text.find(evidence)
        if found >= 0:
            return found, found + len(evidence)
    return None


def highlight_html(text: str, spans: list[Span], focus: str | None = None) -> str:
    """The whole text, escaped, inside a scrollable box; spans become <mark> (overlaps are skipped)."""
    parts: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.start < pos or span.end <= span.start or span.end > len(text):
            continue  # overlaps an earlier mark or falls outside the text
        parts.append(html.escape(text[pos:span.start]))
        style = STYLE_FOCUS if span.obs_id == focus else (STYLE_REJECTED if span.rejected else STYLE_VALUE)
        parts.append(
            f'<mark id="{anchor_id(span.obs_id)}" style="{style}" title="{html.escape(span.title, quote=True)}">'
            f"{html.escape(text[span.start:span.end])}</mark>"
        )
        pos = span.end
    parts.append(html.escape(text[pos:]))
    return f'<div style="{STYLE_BOX}">{"".join(parts)}</div>'


def excerpt_html(text: str, start: int, end: int, context: int = 240) -> str:
    """The sentence around one value, escaped, the value marked, with … where the text was cut."""
    a = max(0, start - context)
    b = min(len(text), end + context)
    before = ("…" if a > 0 else "") + html.escape(text[a:start])
    after = html.escape(text[end:b]) + ("…" if b < len(text) else "")
    mark = f'<mark style="{STYLE_FOCUS}">{html.escape(text[start:end])}</mark>'
    return f'<div style="white-space:pre-wrap;line-height:1.6;">{before}{mark}{after}</div>'


def scroll_script(obs_id: str) -> str:
    """A script that scrolls the focused value into view (its id is sanitized by `anchor_id`)."""
    target = anchor_id(obs_id)
    return (
        "<script>setTimeout(function(){var e=document.getElementById('" + target + "');"
        "if(e){e.scrollIntoView({block:'center',behavior:'smooth'});}},600);</script>"
    )
