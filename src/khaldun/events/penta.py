"""A sentence classifier for the CAMEO penta-class, stacked on the rule coder.

The rules find triggers and arguments but they can pick the wrong event of a sentence, or code
a comment as an act. A linear model over the rule coder's own output (the classes, types and
modalities of the events it found), the lexicon's hits and the sentence's lemmas says which of
the five classes the sentence reports (0 statement, 1 verbal cooperation, 2 material
cooperation, 3 verbal conflict, 4 material conflict), with a probability that is close to
calibrated. khaldun uses it for two things:

- the confidence of each event mixes the rule evidence with the probability of the event's class,
  so an event the rest of its sentence does not support (a comment coded as an act) ranks low;
- `khaldun eval quad` scores it as a sentence classifier (cross-validated).

It never adds or removes events: every event still has a trigger and evidence in the text.

Weights live in `data/models/penta.json` (plain numbers, no pickle), written by
tools/train_penta.py from ConfliBERT's cameo_class train.tsv (GPL-3.0; see NOTICE). When the
file is absent khaldun works on the rules alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from khaldun.config import data_path
from khaldun.events.lexicon import Lexicon, get_lexicon
from khaldun.model import Event

CLASSES = ("0", "1", "2", "3", "4")
MODEL_FILE = ("models", "penta.json")
CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "ADV", "AUX", "PART"})
PENTA_BY_PLOVER = {  # when an event carries no CAMEO code
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

Features = dict[str, float]


def class_of_cameo(cameo: str | None) -> str | None:
    """CAMEO root → penta class: 01–02 → 0, 03–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4."""
    if not cameo or len(cameo) < 2 or not cameo[:2].isdigit():
        return None
    root = int(cameo[:2])
    return "0" if root <= 2 else "1" if root <= 5 else "2" if root <= 8 else "3" if root <= 13 else "4"


def penta_class(event: Event | None) -> str:
    """The class of one event; no event is a statement (0)."""
    if event is None:
        return "0"
    return class_of_cameo(event.type.cameo) or PENTA_BY_PLOVER.get(event.type.plover, "0")


def tree_depth(doc: Doc, char: int) -> int:
    """How far the token at `char` is from the root of its sentence (99 when not found)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return 99
    token, depth = span[0], 0
    while token.head is not token and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def events_in(sent: SpacySpan, events: Iterable[Event]) -> list[Event]:
    return [e for e in events if sent.start_char <= e.trigger.start < sent.end_char]


def sentence_features(sent: SpacySpan, events: Sequence[Event], lexicon: Lexicon | None = None) -> Features:
    """What the classifier sees of one sentence: the rule coder's events, lexicon hits, lemmas."""
    lex = lexicon or get_lexicon()
    features: Features = {}
    doc = sent.doc
    main = main_event(events, doc)
    features["rule=" + penta_class(main)] = 1.0
    if not events:
        features["noevent"] = 1.0
    for event in events:
        quad = penta_class(event)
        features["ev=" + quad] = features.get("ev=" + quad, 0.0) + 1.0
        features[f"evm={quad}_{event.modality}"] = 1.0
        features["evp=" + event.type.plover] = 1.0
        features["evc=" + (event.type.cameo or "")[:2]] = 1.0
        if tree_depth(doc, event.trigger.start) <= 1:
            features["evroot=" + quad] = 1.0
    for token in sent:
        for quad in _lexicon_classes(token, lex):
            features["lex=" + quad] = 1.0
            if token.dep_ == "ROOT":
                features["lexroot=" + quad] = 1.0
        lemma = token.lemma_.lower()
        if token.pos_ in CONTENT_POS:
            features["w=" + lemma] = 1.0
        if token.dep_ == "ROOT":
            features["root=" + lemma] = 1.0
    lemmas = [t.lemma_.lower() for t in sent]
    for first, second in pairwise(lemmas):
        features[f"bg={first}_{second}"] = 0.5
    return features


def _lexicon_classes(token: Token, lex: Lexicon) -> set[str]:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        entries = lex.verbs.get(lemma, ()) + lex.derived_verbs.get(lemma, ())
    elif token.pos_ == "NOUN":
        entries = lex.nouns.get(lemma, ())
    else:
        return set()
    return {c for c in (class_of_cameo(e.cameo) for e in entries) if c is not None}


@dataclass(frozen=True)
class PentaModel:
    """Multinomial logistic regression: one weight row per feature, one column per class."""

    features: Mapping[str, int]
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray  # (n_classes,)
    about: Mapping[str, Any]

    def proba(self, features: Features) -> dict[str, float]:
        scores = self.bias.astype(np.float64).copy()
        for name, value in features.items():
            index = self.features.get(name)
            if index is not None:
                scores += value * self.weights[index]
        scores -= scores.max()
        exp = np.exp(scores)
        exp /= exp.sum()
        return {label: float(p) for label, p in zip(CLASSES, exp, strict=True)}

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.features, key=self.features.__getitem__)
        return {
            "about": dict(self.about),
            "classes": list(CLASSES),
            "bias": [round(float(b), 5) for b in self.bias],
            "weights": {n: [round(float(w), 5) for w in self.weights[self.features[n]]] for n in names},
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PentaModel:
        if tuple(raw["classes"]) != CLASSES:
            raise ValueError(f"penta model classes {raw['classes']} are not {CLASSES}")
        names = list(raw["weights"])
        weights = np.array([raw["weights"][n] for n in names], dtype=np.float32).reshape(len(names), 5)
        return cls({n: i for i, n in enumerate(names)}, weights, np.array(raw["bias"]), raw.get("about", {}))


def fit(
    samples: Sequence[Features],
    labels: Sequence[str],
    min_count: int = 3,
    about: Mapping[str, Any] | None = None,
) -> PentaModel:
    """Train on feature dicts (scikit-learn's logistic regression, classes balanced).

    Features seen in fewer than `min_count` training sentences are dropped: a name or a rare
    bigram says more about one article than about reporting in general.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen = Counter(name for sample in samples for name in sample)
    kept = [{k: v for k, v in s.items() if seen[k] >= min_count} for s in samples]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(kept)
    model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
    model.fit(matrix, list(labels))
    if tuple(str(c) for c in model.classes_) != CLASSES:
        raise ValueError(f"training labels must cover all of {CLASSES}, got {list(model.classes_)}")
    names = vectorizer.get_feature_names_out()
    return PentaModel(
        {str(n): i for i, n in enumerate(names)},
        np.asarray(model.coef_.T, dtype=np.float32),
        np.asarray(model.intercept_, dtype=np.float64),
        dict(about or {}),
    )


@cache
def get_penta_model() -> PentaModel | None:
    """The shipped model, or None when the file is not there (rules alone then)."""
    path = data_path(*MODEL_FILE)
    if not path.is_file():
        return None
    return PentaModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def main_event(events: Sequence[Event], doc: Doc) -> Event | None:
    """The event a one-sentence report is about: the trigger closest to the root, then the first.

    The classifier is not asked: putting it first, or letting it break ties between events
    equally deep, was measured and is worse on PLOVER's gold (macro F1 0.685 against 0.700);
    the parse knows better which verb carries the sentence."""
    if not events:
        return None
    return min(events, key=lambda e: (tree_depth(doc, e.trigger.start), e.trigger.start))


def blend_confidence(rule_confidence: float, class_probability: float) -> float:
    """Half the rule evidence (arguments found, place, modality), half the classifier's belief
    that the sentence reports an event of this class."""
    return round(min(0.99, max(0.05, 0.5 * rule_confidence + 0.5 * class_probability)), 2)


def rescore(doc: Doc, events: Sequence[Event], model: PentaModel | None) -> list[Event]:
    """Each event's confidence blended with its sentence's class probability."""
    if model is None or not events:
        return list(events)
    lexicon = get_lexicon()
    result: list[Event] = []
    by_sentence = {s.start_char: s for s in doc.sents}
    proba_at: dict[int, dict[str, float]] = {}
    for event in events:
        sent = by_sentence.get(event.sentence.start)
        if sent is None:
            result.append(event)
            continue
        if sent.start_char not in proba_at:
            proba_at[sent.start_char] = model.proba(sentence_features(sent, events_in(sent, events), lexicon))
        probability = proba_at[sent.start_char][penta_class(event)]
        result.append(replace(event, confidence=blend_confidence(event.confidence, probability)))
    return result
