"""Time: relative and absolute expressions resolved from the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from khaldun.nlp import get_nlp
from khaldun.time.resolver import TimeFinder, resolve_expression

PUB = date(2020, 5, 4)  # a Monday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("A swap took place a few hours ago in Darat Azza.", date(2020, 5, 3), date(2020, 5, 4), "hour"),
        ("In the past few hours there have been clashes.", date(2020, 5, 3), date(2020, 5, 4), "hour"),
        (
            "The first attempt had taken place in mid-April in Saraqeb.",
            date(2020, 4, 11),
            date(2020, 4, 20),
            "month-part",
        ),
        ("Talks resumed in early May.", date(2020, 5, 1), date(2020, 5, 4), "month-part"),
        ("Rebels shelled the town on Tuesday.", date(2020, 4, 28), date(2020, 4, 28), "day"),
        ("The army advanced last week.", date(2020, 4, 27), date(2020, 5, 3), "week"),
        ("Fighting broke out on 12 March.", date(2020, 3, 12), date(2020, 3, 12), "day"),
        ("The siege has lasted since 2017.", date(2017, 1, 1), date(2020, 5, 4), "year"),
        ("Protests erupted yesterday.", date(2020, 5, 3), date(2020, 5, 3), "day"),
        ("The offensive began in December.", date(2019, 12, 1), date(2019, 12, 31), "month"),
    ],
)
def test_expressions(text: str, start: date, end: date, precision: str) -> None:
    when = resolve_expression(text, PUB)
    assert when is not None
    assert (when.start, when.end, when.precision) == (start, end, precision)


def test_no_publication_date_means_unknown() -> None:
    when = resolve_expression("a few hours ago", None)
    assert when is not None and when.start is None and when.precision == "unknown"


def test_date_after_publication_is_not_invented() -> None:
    when = resolve_expression("The talks will open on 12 June 2020.", PUB)
    assert when is not None and when.start is None and when.precision == "unknown"


def test_modal_may_is_not_a_month() -> None:
    doc = get_nlp()("Russia may never allow it, but talks resumed in May.")
    found = TimeFinder().find(doc, PUB)
    assert [m.when.text for m in found] == ["in May"]
