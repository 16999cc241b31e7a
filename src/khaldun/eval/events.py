"""`khaldun eval plover` and `khaldun eval quad`: event typing on sentence-level gold.

Both score khaldun's rule-based coder as a sentence classifier: the sentence's label is the
type of its main event (the coded event whose trigger is closest to the root of the parse;
modality is not the question here, so "will meet" counts as a meeting), or "NONE" when khaldun
codes no event.

- plover: PLOVER_GSR_CAMEO.txt, 322 CAMEO-manual sentences with PLOVER v0.5 types, mapped to
  PLOVER 2.0 (DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT).
- quad: cameo_quad/train.tsv, 1,349 news sentences labelled with the CAMEO penta-class (0 neutral
  statements and appeals, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
  4 material conflict). The class of an event is the CAMEO root of its trigger (01–02 → 0,
  03–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4); a sentence with no event is 0 (a statement).
Nothing is trained on either file, so no cross-validation is needed: the numbers are held-out.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.tokens import Doc

from khaldun.model import Event

V05_TO_V2 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
NONE = "NONE"
PENTA_BY_PLOVER = {  # fallback when an event carries no CAMEO code
    "AGREE": "1",
    "CONSULT": "1",
    "SUPPORT": "1",
    "CONCEDE": "2",
    "COOPERATE": "2",
    "AID": "2",
    "RETREAT": "2",
    "REQUEST": "3",
    "ACCUSE": "3",
    "REJECT": "3",
    "THREATEN": "3",
    "SANCTION": "4",
    "PROTEST": "4",
    "MOBILIZE": "4",
    "COERCE": "4",
    "ASSAULT": "4",
}


@dataclass
class Classification:
    labels: list[str]
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)

    def add(self, gold: str, predicted: str) -> None:
        self.gold.append(gold)
        self.predicted.append(predicted)

    def per_label(self) -> list[tuple[str, int, float, float, float]]:
        rows = []
        for label in self.labels:
            tp = sum(g == label and p == label for g, p in zip(self.gold, self.predicted, strict=True))
            fp = sum(g != label and p == label for g, p in zip(self.gold, self.predicted, strict=True))
            fn = sum(g == label and p != label for g, p in zip(self.gold, self.predicted, strict=True))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append((label, tp + fn, precision, recall, f1))
        return rows

    @property
    def macro_f1(self) -> float:
        rows = [r for r in self.per_label() if r[1] > 0]
        return sum(r[4] for r in rows) / len(rows) if rows else 0.0

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in zip(self.gold, self.predicted, strict=True)) / max(len(self.gold), 1)

    def confusion(self) -> dict[str, Counter[str]]:
        matrix: dict[str, Counter[str]] = {label: Counter() for label in self.labels}
        for g, p in zip(self.gold, self.predicted, strict=True):
            matrix.setdefault(g, Counter())[p] += 1
        return matrix


def _depth(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return 99
    token, depth = span[0], 0
    while token.head is not token and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def main_event(events: Sequence[Event], doc: Doc) -> Event | None:
    """The event a one-sentence report is about: trigger closest to the root, then first."""
    if not events:
        return None
    return min(events, key=lambda e: (_depth(doc, e.trigger.start), e.trigger.start))


def penta_class(event: Event | None) -> str:
    if event is None:
        return "0"
    cameo = event.type.cameo or ""
    if len(cameo) >= 2 and cameo[:2].isdigit():
        root = int(cameo[:2])
        return "0" if root <= 2 else "1" if root <= 5 else "2" if root <= 8 else "3" if root <= 13 else "4"
    return PENTA_BY_PLOVER.get(event.type.plover, "0")


def _code_sentences(texts: Iterable[str], published: date) -> list[tuple[list[Event], Doc]]:
    from khaldun.ingest.readers import make_article
    from khaldun.pipeline import Pipeline

    pipeline = Pipeline()
    texts = list(texts)
    results = []
    for text, doc in zip(texts, pipeline.nlp.pipe(texts), strict=True):
        article = make_article("eval", text, fmt="eval", published=published, strip_lines=False)
        coded = pipeline._code_doc(article, doc)
        results.append((list(coded.events), doc))
    return results


def score_plover(path: Path) -> Classification:
    records = [
        r
        for r in json.loads(path.read_text(encoding="utf-8"))
        if r.get("event") not in (None, "DOCUMENT") and r.get("text")
    ]
    gold = [V05_TO_V2.get(r["event"], r["event"]) for r in records]
    labels = sorted(set(gold))
    result = Classification([*labels, NONE])
    for label, (events, doc) in zip(
        gold, _code_sentences((r["text"] for r in records), date(2000, 1, 1)), strict=True
    ):
        event = main_event(events, doc)
        result.add(label, event.type.plover if event else NONE)
    result.labels = [*labels, NONE]
    return result


def load_quad(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row[0].strip(), row[1].strip())
            for row in csv.reader(handle, delimiter="\t")
            if len(row) >= 2 and row[0].strip() and row[1].strip() in {"0", "1", "2", "3", "4"}
        ]


def score_quad(path: Path) -> Classification:
    rows = load_quad(path)
    result = Classification(["0", "1", "2", "3", "4"])
    for (_, label), (events, doc) in zip(
        rows, _code_sentences((r[0] for r in rows), date(2018, 6, 1)), strict=True
    ):
        result.add(label, penta_class(main_event(events, doc)))
    return result
