"""`khaldun eval plover` and `khaldun eval quad`: event typing on sentence-level gold.

Both score khaldun as a sentence classifier.

- plover: PLOVER_GSR_CAMEO.txt, 322 CAMEO-manual sentences with PLOVER v0.5 types, mapped to
  PLOVER 2.0 (DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT). The label is the
  type of the sentence's main event (events.penta.main_event; modality is not the question
  here, so "will meet" counts as a meeting), or "NONE" when khaldun codes no event. Nothing is
  trained on this file.
- quad: cameo_quad/train.tsv, 1,349 news sentences labelled with the CAMEO penta-class (0 neutral
  statements and appeals, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
  4 material conflict). Two readings are scored: the rules alone (the class of the main event's
  CAMEO root; no event is 0), and the penta classifier stacked on the rules. The shipped
  classifier is trained on this very file, so on it the stacked figures come from k-fold
  cross-validation (a model trained on the other folds codes each fold); on any other file
  the shipped model is scored as it is.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc

from khaldun.events.penta import (
    CLASSES,
    Features,
    PentaModel,
    fit,
    get_penta_model,
    main_event,
    penta_class,
    sentence_features,
)
from khaldun.model import Event

V05_TO_V2 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
NONE = "NONE"


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


@dataclass
class Coded:
    """One gold sentence as the pipeline coded it."""

    events: list[Event]
    doc: Doc

    @cached_property
    def features(self) -> Features:
        """What the penta classifier sees (only the quad scorer asks)."""
        return sentence_features(self.doc[:], self.events)


def _code_sentences(texts: Iterable[str], published: date) -> list[Coded]:
    from khaldun.ingest.readers import make_article
    from khaldun.pipeline import Pipeline

    pipeline = Pipeline()
    texts = list(texts)
    results = []
    for text, doc in zip(texts, pipeline.nlp.pipe(texts), strict=True):
        article = make_article("eval", text, fmt="eval", published=published, strip_lines=False)
        events = list(pipeline._code_doc(article, doc).events)
        results.append(Coded(events, doc))
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
    for label, coded in zip(
        gold, _code_sentences((r["text"] for r in records), date(2000, 1, 1)), strict=True
    ):
        event = main_event(coded.events, coded.doc)
        result.add(label, event.type.plover if event else NONE)
    return result


def load_quad(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row[0].strip(), row[1].strip())
            for row in csv.reader(handle, delimiter="\t")
            if len(row) >= 2 and row[0].strip() and row[1].strip() in set(CLASSES)
        ]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class QuadResult:
    rules: Classification
    stacked: Classification
    cross_validated: bool
    folds: int
    expected_calibration_error: float
    confidence_bins: list[tuple[float, float, float, int]]  # (low, mean confidence, accuracy, n)


def quad_features(path: Path) -> tuple[list[str], list[Coded]]:
    rows = load_quad(path)
    return [r[1] for r in rows], _code_sentences((r[0] for r in rows), date(2018, 6, 1))


def cross_validated_proba(
    samples: Sequence[Features], labels: Sequence[str], folds: int = 5
) -> list[dict[str, float]]:
    """Each sentence scored by a model trained without its fold (stratified, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    proba: list[dict[str, float]] = [{} for _ in samples]
    for train, test in splitter.split(list(range(len(samples))), list(labels)):
        model = fit([samples[i] for i in train], [labels[i] for i in train])
        for i in test:
            proba[i] = model.proba(samples[i])
    return proba


def score_quad(path: Path, folds: int = 5, model: PentaModel | None = None) -> QuadResult:
    labels, coded = quad_features(path)
    rules = Classification(list(CLASSES))
    for label, item in zip(labels, coded, strict=True):
        rules.add(label, penta_class(main_event(item.events, item.doc)))
    model = model or get_penta_model()
    trained_here = model is None or model.about.get("sha256") == file_sha256(path)
    if trained_here:
        proba = cross_validated_proba([c.features for c in coded], labels, folds)
    else:
        assert model is not None
        proba = [model.proba(c.features) for c in coded]
    stacked = Classification(list(CLASSES))
    for label, p in zip(labels, proba, strict=True):
        stacked.add(label, max(CLASSES, key=lambda c: p[c]))
    ece, bins = calibration(stacked, proba)
    return QuadResult(rules, stacked, trained_here, folds, ece, bins)


def calibration(
    result: Classification, proba: Sequence[dict[str, float]]
) -> tuple[float, list[tuple[float, float, float, int]]]:
    """Expected calibration error of the top class's probability, and its bins."""
    edges = (0.0, 0.4, 0.6, 0.8, 0.9)
    grouped: dict[float, list[tuple[float, bool]]] = {e: [] for e in edges}
    for p, gold, predicted in zip(proba, result.gold, result.predicted, strict=True):
        top = p[predicted]
        low = max(e for e in edges if top >= e)
        grouped[low].append((top, gold == predicted))
    bins, error = [], 0.0
    for low, items in grouped.items():
        if not items:
            continue
        mean = sum(c for c, _ in items) / len(items)
        accuracy = sum(ok for _, ok in items) / len(items)
        error += len(items) / len(proba) * abs(mean - accuracy)
        bins.append((low, mean, accuracy, len(items)))
    return error, bins
