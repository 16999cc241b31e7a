"""The trigger lexicon (data/lexicon/triggers.yaml), indexed by lemma and part of speech."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from khaldun.config import load_yaml


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # "verb" or "noun"
    type: str
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    symmetric: bool = False
    objects: frozenset[str] = frozenset()
    objects_exclude: frozenset[str] = frozenset()
    particle: str | None = None
    compounds: frozenset[str] = frozenset()
    derived: bool = False  # from PETRARCH2's CAMEO verb dictionary: needs two actors to count

    @property
    def constrained(self) -> bool:
        return bool(self.objects or self.particle or self.compounds)


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, tuple[Trigger, ...]]
    derived_verbs: dict[str, tuple[Trigger, ...]]
    occurrence_verbs: dict[str, tuple[str, ...]]
    anaphoric_nouns: dict[str, str]
    attempt_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_modals: frozenset[str]
    negators: frozenset[str]
    conditional_marks: frozenset[str]
    attribute_deps: frozenset[str]
    control_verbs: frozenset[str]
    future_as: dict[str, dict[str, str]]
    no_own_event: frozenset[str]
    inanimate_subjects: frozenset[str]
    demand_reporting_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    frame_nouns: frozenset[str]
    journey_verbs: frozenset[str]
    claim_verbs: frozenset[str]


def _triggers(raw: list[dict[str, Any]], pos: str, derived: bool = False) -> dict[str, tuple[Trigger, ...]]:
    grouped: dict[str, list[Trigger]] = defaultdict(list)
    for item in raw:
        trigger = Trigger(
            lemma=str(item["lemma"]),
            pos=pos,
            type=str(item["type"]),
            mode=item.get("mode"),
            context=item.get("context"),
            cameo=item.get("cameo"),
            symmetric=bool(item.get("symmetric", False)),
            objects=frozenset(item.get("objects", [])),
            objects_exclude=frozenset(item.get("objects_exclude", [])),
            particle=item.get("particle"),
            compounds=frozenset(item.get("compounds", [])),
            derived=derived,
        )
        grouped[trigger.lemma].append(trigger)
    # constrained entries first: they win when their condition holds
    return {k: tuple(sorted(v, key=lambda t: not t.constrained)) for k, v in grouped.items()}


WORD_LIST = "frozenset[str]"  # the annotation of the fields read straight from a YAML list


@cache
def get_lexicon() -> Lexicon:
    """The lexicon; every word-list field is the YAML list of the same name."""
    raw = load_yaml("lexicon", "triggers.yaml")
    word_lists = {f.name: frozenset(raw[f.name]) for f in fields(Lexicon) if f.type == WORD_LIST}
    return Lexicon(
        verbs=_triggers(raw["verbs"], "verb"),
        nouns=_triggers(raw["nouns"], "noun"),
        derived_verbs=_triggers(load_yaml("lexicon", "cameo_verbs.yaml")["verbs"], "verb", derived=True),
        occurrence_verbs={k: tuple(v or ()) for k, v in raw["occurrence_verbs"].items()},
        anaphoric_nouns=dict(raw["anaphoric_nouns"]),
        future_as={k: dict(v) for k, v in raw["future_as"].items()},
        **word_lists,
    )
