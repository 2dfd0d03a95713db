"""Bytes of a text-like file -> str: BOMs, UTF-16, UTF-8, then detection with Vietnamese in mind.

Windows-1258 (the legacy Vietnamese code page) writes tones as separate combining marks; the text is
composed later by `etl.text.normalize` (NFC). Detection libraries often mistake it for Windows-1252,
so cp1258 is always tried as a candidate and the candidate that reads most like Vietnamese wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from etl.read.errors import ReadError

SAMPLE_BYTES = 1024**2  # bytes looked at by the heuristics and the detector
MAX_CONTROL_SHARE = 0.05  # more control characters than this -> binary, not text
DETECT_SCORE_BYTES = 64 * 1024  # bytes scored when choosing between candidate encodings
MAX_BROKEN_UTF8 = 3  # invalid sequences tolerated in a UTF-8 file before trying other encodings ...
MAX_BROKEN_UTF8_SHARE = 0.0005  # ... or this share of its characters, whichever is larger
UTF16_NUL_SHARE = 0.2  # share of NULs on one byte parity that marks BOM-less UTF-16

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_VIET_BASES = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VIET_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone).lower()
    for base in _VIET_BASES
    for tone in _TONES
    if len(unicodedata.normalize("NFC", base + tone)) == 1
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # control or replacement characters
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding used and anything the caller should warn about."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, path: Path, declared: bool = False) -> Decoded:
    """Decode a text file's bytes; ReadError("binary content, not text") for binary data.

    `declared=True` (HTML) lets a `charset=` declaration in the first 4 KB decide before detection.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data[len(bom) :], encoding, path), path)
    sample = data[:SAMPLE_BYTES]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return _checked(_decode(data, utf16, path), path)
    if b"\x00" in data:
        raise ReadError(path, "binary content, not text")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), path)
    except UnicodeDecodeError:
        mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return _checked(mostly_utf8, path)
    if declared and (match := _DECLARED_CHARSET.search(data[:4096])):
        encoding = _codec_name(match.group(1).decode("ascii"))
        if encoding and encoding != "utf-8":
            return _checked(_decode(data, encoding, path), path)
    return _checked(_decode(data, _detect(sample), path), path)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few broken bytes (a cut file, one bad byte): decoded with replacements, or None."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if broken > max(MAX_BROKEN_UTF8, len(text) * MAX_BROKEN_UTF8_SHARE):
        return None
    return Decoded(text, "utf-8", [f"{broken} invalid UTF-8 byte sequence(s) replaced"])


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes crowd one byte parity (ASCII-heavy UTF-16), else None."""
    if len(sample) < 4 or sample.count(b"\x00") < len(sample) * UTF16_NUL_SHARE / 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_share, odd_share = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if odd_share > UTF16_NUL_SHARE and even_share < 0.05:
        return "utf-16-le"
    if even_share > UTF16_NUL_SHARE and odd_share < 0.05:
        return "utf-16-be"
    return None


def _detect(sample: bytes) -> str:
    """The most Vietnamese-looking of charset-normalizer's guess and cp1258."""
    sample = sample[:DETECT_SCORE_BYTES]
    candidates = ["cp1258"]
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None:
        candidates.insert(0, _codec_name(best.encoding) or "cp1252")
    return min(candidates, key=lambda enc: _foreign_share(sample.decode(enc, errors="replace")))


def _foreign_share(text: str) -> float:
    """Share of letters (after NFC) that are neither ASCII nor Vietnamese; loose marks count double."""
    composed = unicodedata.normalize("NFC", text)
    letters = foreign = 0
    for char in composed:
        if char.isalpha():
            letters += 1
            if not char.isascii() and char.lower() not in _VIET_LETTERS:
                foreign += 1
        elif unicodedata.combining(char) or char == "\ufffd":
            foreign += 2
    return foreign / max(letters, 1)


def _codec_name(label: str) -> str | None:
    """Python's canonical codec name for an encoding label, or None when Python does not know it."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(data: bytes, encoding: str, path: Path) -> Decoded:
    """Decode strictly; on failure decode with replacement characters and say so."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, [f"undecodable bytes replaced ({encoding})"])
    except LookupError as exc:
        raise ReadError(path, f"unknown text encoding {encoding}") from exc


def _checked(decoded: Decoded, path: Path) -> Decoded:
    """ReadError when the decoded text is mostly control characters or replacement characters."""
    sample = decoded.text[:SAMPLE_BYTES]
    if "\x00" in sample:
        raise ReadError(path, "binary content, not text")
    if sample and len(_CONTROL.findall(sample)) > len(sample) * MAX_CONTROL_SHARE:
        raise ReadError(path, "binary content, not text")
    return decoded
