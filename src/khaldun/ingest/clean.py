"""Decoding, binary detection and removal of site chrome from plain text."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from charset_normalizer import from_bytes

from khaldun.config import load_yaml

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EDGE_PUNCT = " \t\r\n.:;,!?|•·»«›‹>-–—*#"


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KB mean a binary file, not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def decode(data: bytes) -> str:
    """UTF-8 first (with or without BOM); otherwise the encoding charset-normalizer finds."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise UnicodeDecodeError("unknown", data, 0, len(data), "no text encoding fits") from None
        return str(best)


def normalise_text(text: str) -> str:
    """NFC, unified line ends, no control characters, paragraphs separated by one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


@cache
def _chrome_rules() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    rules = load_yaml("ingest", "boilerplate.yaml")
    exact = frozenset(str(line).lower() for line in rules["exact"])
    patterns = tuple(re.compile(p, re.IGNORECASE) for p in rules["patterns"])
    return exact, patterns


def is_chrome(line: str) -> bool:
    """A line that is navigation or sharing chrome (data/ingest/boilerplate.yaml)."""
    exact, patterns = _chrome_rules()
    core = line.strip(_EDGE_PUNCT).lower()
    if not core:
        return True
    return core in exact or any(p.match(core) for p in patterns)


def strip_chrome(text: str) -> str:
    """Drop chrome lines from a plain-text article, keeping its paragraph structure."""
    kept_blocks: list[str] = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if not is_chrome(line)]
        if lines:
            kept_blocks.append("\n".join(lines))
    return "\n\n".join(kept_blocks)


def guess_title(text: str) -> str | None:
    """The first line, when it reads like a headline (short, no closing full stop)."""
    first = text.split("\n", 1)[0].strip()
    if 0 < len(first) <= 200 and not first.endswith((".", "!", "?", '"', "”")):
        return first
    return None
