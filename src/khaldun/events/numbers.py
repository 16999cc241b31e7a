"""Fatalities and sizes reported in an event's sentence ("killed at least 75", "thousands of
protesters"), as the lower bound a careful coder can defend; words in data/lexicon/numbers.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from khaldun.config import load_yaml


@dataclass(frozen=True)
class Count:
    value: int
    start: int  # character offsets within the text searched
    end: int
    text: str


@dataclass(frozen=True)
class NumberPatterns:
    fatalities: tuple[re.Pattern[str], ...]
    size: re.Pattern[str]
    words: dict[str, int]
    sized_types: frozenset[str]
    deadly_types: frozenset[str]


def _alternation(words: list[str] | dict[str, int]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def patterns() -> NumberPatterns:
    raw = load_yaml("lexicon", "numbers.yaml")
    words = {**raw["number_words"], **raw["vague_numbers"]}
    qualifier = rf"(?:(?:{_alternation(raw['qualifiers'])})\s+)?"
    number = rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|{_alternation(words)})"
    count = qualifier + number
    killed = _alternation(raw["killed"])
    kill_verbs = _alternation(raw["kill_verbs"])
    fatalities = (
        # "killed at least 75", "killing four fighters"
        re.compile(rf"\b(?:{kill_verbs})\s+{count}\b(?!\s*(?:%|percent|km|kilomet|miles|years|days))", re.I),
        # "at least 75 people were killed", "four soldiers died", "20 dead"
        re.compile(rf"\b{count}\s+(?:[A-Za-z-]+\s+){{0,3}}?(?:{killed})\b", re.I),
        # "the death toll rose to 31", "a death toll of 12"
        re.compile(rf"\bdeath\s+toll\s+(?:[a-z]+\s+){{0,3}}?(?:to|of|at|reached|hit)\s+{count}\b", re.I),
        # "left 10 dead"
        re.compile(rf"\bleft\s+{count}\s+(?:[a-z]+\s+){{0,2}}?dead\b", re.I),
    )
    size = re.compile(
        rf"\b{count}\s+(?:of\s+)?(?:[A-Za-z-]+\s+){{0,2}}?(?:{_alternation(raw['participants'])})\b", re.I
    )
    return NumberPatterns(
        fatalities,
        size,
        {k.lower(): int(v) for k, v in words.items()},
        frozenset(raw["sized_types"]),
        frozenset(raw["deadly_types"]),
    )


def _value(raw: str, words: dict[str, int]) -> int | None:
    key = re.sub(r"\s+", " ", raw.lower())
    if key.replace(",", "").isdigit():
        return int(key.replace(",", ""))
    return words.get(key)


def fatalities(text: str) -> Count | None:
    """The largest death count the text reports, or None."""
    found = _counts(text, patterns().fatalities)
    return max(found, key=lambda c: c.value) if found else None


def size(text: str) -> Count | None:
    """The largest crowd or force the text counts, or None."""
    found = _counts(text, (patterns().size,))
    return max(found, key=lambda c: c.value) if found else None


def _counts(text: str, regexes: tuple[re.Pattern[str], ...]) -> list[Count]:
    words = patterns().words
    found = []
    for regex in regexes:
        for match in regex.finditer(text):
            value = _value(match.group("n"), words)
            if value is not None and 0 < value < 10_000_000 and not _is_year(match.group("n")):
                found.append(Count(value, match.start(), match.end(), match.group(0)))
    return found


def _is_year(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and raw.startswith(("19", "20"))
