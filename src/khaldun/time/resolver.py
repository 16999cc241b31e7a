"""Temporal expressions → a day interval and its precision, from the publication date.

Rules cover the relative forms reporting uses ("a few hours ago", "in the past few hours",
"on Tuesday", "last week", "mid-April", "early May"); absolute dates ("on 12 March 2020") go
through the same rules with dateparser for odd formats. A date that would fall after
publication, or any expression without a publication date to anchor it, resolves to
precision "unknown": nothing is invented.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc

from khaldun.model import Span, TimeMention, When

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "few": 3,
    "several": 4,
    "a few": 3,
    "a couple of": 2,
    "couple of": 2,
    "24": 1,
    "twenty-four": 1,
    "48": 2,
}
MONTH_RE = (
    r"(?P<month>"
    + "|".join(sorted((m for m in MONTHS if len(m) > 3 or m == "may"), key=len, reverse=True))
    + r")"
)
PART_RE = r"(?P<part>early|mid|middle of|late|end of|the end of|beginning of|the beginning of|the middle of)"
YEAR_RE = r"(?P<year>(?:19|20)\d{2})"
COUNT_RE = (
    r"(?P<count>a few|a couple of|few|several|\d+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|twelve|twenty-four)"
)

Resolver = Callable[[re.Match[str], date], tuple[date, date, str] | None]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver


def _count(match: re.Match[str]) -> int:
    raw = (match.group("count") or "few").lower()
    return int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, 3)


def _hours(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    hours = _count(match)
    return ref - timedelta(days=max(1, (hours + 23) // 24)), ref, "hour"


def _days_back(days: int, precision: str) -> Resolver:
    def resolve(match: re.Match[str], ref: date) -> tuple[date, date, str]:
        day = ref - timedelta(days=days)
        return day, day if precision == "day" else ref, precision

    return resolve


def _past_days(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    return ref - timedelta(days=_count(match)), ref, "days"


def _weekday(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    target = WEEKDAYS[match.group("weekday").lower()]
    back = (ref.weekday() - target) % 7
    day = ref - timedelta(days=back)
    return day, day, "day"


def _week(offset: int) -> Resolver:
    def resolve(match: re.Match[str], ref: date) -> tuple[date, date, str]:
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
        return (
            monday,
            min(monday + timedelta(days=6), ref) if offset == 0 else monday + timedelta(days=6),
            "week",
        )

    return resolve


def _year_for(month: int, ref: date, explicit: str | None, day: int = 1) -> int:
    """Explicit year, else the latest year in which that month/day is not after publication."""
    if explicit:
        return int(explicit)
    return ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1


def _month_part(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    month = MONTHS[match.group("month").lower()]
    year = _year_for(month, ref, match.group("year"))
    last = calendar.monthrange(year, month)[1]
    part = match.group("part").lower()
    if "early" in part or "beginning" in part:
        return date(year, month, 1), date(year, month, 10), "month-part"
    if "mid" in part or "middle" in part:
        return date(year, month, 11), date(year, month, 20), "month-part"
    return date(year, month, 21), date(year, month, last), "month-part"


def _month(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    month = MONTHS[match.group("month").lower()]
    year = _year_for(month, ref, match.group("year"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"


def _day_month(match: re.Match[str], ref: date) -> tuple[date, date, str] | None:
    month = MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    year = _year_for(month, ref, match.group("year"), day)
    try:
        exact = date(year, month, day)
    except ValueError:
        return None
    return exact, exact, "day"


def _last_month(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    first = ref.replace(day=1) - timedelta(days=1)
    return first.replace(day=1), first, "month"


def _since_year(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    return date(int(match.group("year")), 1, 1), ref, "year"


def _in_year(match: re.Match[str], ref: date) -> tuple[date, date, str]:
    year = int(match.group("year"))
    return date(year, 1, 1), date(year, 12, 31), "year"


def _iso(match: re.Match[str], ref: date) -> tuple[date, date, str] | None:
    try:
        exact = date.fromisoformat(match.group(0))
    except ValueError:
        return None
    return exact, exact, "day"


def _rule(name: str, pattern: str, resolve: Resolver) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE), resolve)


RULES: tuple[Rule, ...] = (
    _rule("iso-date", r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", _iso),
    _rule(
        "day-month",
        r"\b(?:on |since )?(?P<day>\d{1,2})(?:st|nd|rd|th)? (?:of )?"
        + MONTH_RE
        + r"\b(?:,? "
        + YEAR_RE
        + r")?",
        _day_month,
    ),
    _rule(
        "month-day",
        r"\b(?:on |since )?" + MONTH_RE + r" (?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,? " + YEAR_RE + r")?",
        _day_month,
    ),
    _rule("hours-ago", r"\b" + COUNT_RE + r" hours? ago\b", _hours),
    _rule(
        "past-hours", r"\b(?:in|over|during|within) the (?:past|last) (?:" + COUNT_RE + r" )?hours\b", _hours
    ),
    _rule(
        "past-days",
        r"\b(?:in|over|during|within) the (?:past|last) (?:" + COUNT_RE + r" )?days\b",
        _past_days,
    ),
    _rule("days-ago", r"\b" + COUNT_RE + r" days ago\b", _past_days),
    _rule(
        "today",
        r"\b(?:earlier )?today\b|\bthis (?:morning|afternoon|evening)\b|\btonight\b",
        _days_back(0, "day"),
    ),
    _rule("overnight", r"\bovernight\b|\blast night\b", _days_back(1, "days")),
    _rule("yesterday", r"\byesterday\b", _days_back(1, "day")),
    _rule(
        "weekday",
        r"\b(?:on |last |since |early |late )?"
        r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        _weekday,
    ),
    _rule("last-week", r"\blast week\b|\bthe previous week\b", _week(-1)),
    _rule("this-week", r"\bthis week\b|\bearlier this week\b", _week(0)),
    _rule("month-part", r"\b" + PART_RE + r"[- ]" + MONTH_RE + r"\b(?: " + YEAR_RE + r")?", _month_part),
    _rule("last-month", r"\blast month\b", _last_month),
    _rule(
        "month",
        r"\b(?:in |since |during |last |early |late )?" + MONTH_RE + r"\b(?: " + YEAR_RE + r")?(?! \d)",
        _month,
    ),
    _rule("since-year", r"\bsince " + YEAR_RE + r"\b", _since_year),
    _rule("in-year", r"\b(?:in|during) " + YEAR_RE + r"\b", _in_year),
)


def resolve_expression(text: str, published: date | None) -> When | None:
    """Resolve one expression (the first rule that matches it) — handy for tests and the API."""
    for rule in RULES:
        match = rule.pattern.search(text)
        if match:
            return _when(rule, match, published, None)
    return None


def _when(rule: Rule, match: re.Match[str], published: date | None, span: Span | None) -> When:
    if published is None:
        return When(None, None, "unknown", match.group(0), span)
    result = rule.resolve(match, published)
    if result is None:
        return When(None, None, "unknown", match.group(0), span)
    start, end, precision = result
    if start > published:
        return When(None, None, "unknown", match.group(0), span)
    return When(start, min(end, published), precision, match.group(0), span)  # type: ignore[arg-type]


class TimeFinder:
    """Finds the temporal expressions of a document and resolves them."""

    def find(self, doc: Doc, published: date | None) -> list[TimeMention]:
        found: list[TimeMention] = []
        claimed: list[tuple[int, int]] = []
        for sent in doc.sents:
            base = sent.start_char
            text = sent.text
            for rule in RULES:
                for match in rule.pattern.finditer(text):
                    start, end = base + match.start(), base + match.end()
                    if any(s < end and start < e for s, e in claimed):
                        continue
                    if (
                        rule.name == "month"
                        and match.group("month").lower() == "may"
                        and not _month_may(match)
                    ):
                        continue
                    span = doc.char_span(start, end, alignment_mode="expand")
                    if span is None:
                        continue
                    char = Span(start, end, doc.text[start:end])
                    found.append(TimeMention(span.start, span.end, _when(rule, match, published, char)))
                    claimed.append((start, end))
        return sorted(found, key=lambda m: m.start)


def _month_may(match: re.Match[str]) -> bool:
    """'May' is a month only with a year, a day or a month preposition ('in May')."""
    text = match.group(0).lower()
    return bool(match.group("year")) or text.startswith(
        ("in ", "since ", "during ", "early ", "late ", "last ")
    )
