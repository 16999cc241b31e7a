"""`khaldun eval seed`: the seed article against its reference reading (idlib.gold.json).

Scoring follows the rule written in the gold file: an expected event is found when a coded
(asserted or attempted) event has one of its PLOVER types, shares an actor (by CAMEO prefix
or surface form) with its actors and, where recipients are listed, one with its recipients
(either direction when symmetric), and is placed within tolerance_km of its place. A coded
event that matches no expected event is false; a must-not-assert sentence that yields an
asserted event is a hard failure. Date and modality are scored on the found events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from khaldun.ingest import read_text_article
from khaldun.model import ActorRef, Event
from khaldun.pipeline import Pipeline
from khaldun.places.gazetteer import haversine_km


@dataclass
class ExpectedResult:
    gold: dict[str, Any]
    event: Event | None = None
    place_km: float | None = None
    place_ok: bool = False
    date_ok: bool = False
    modality_ok: bool = False
    why: str = ""


@dataclass
class SeedReport:
    expected: list[ExpectedResult] = field(default_factory=list)
    false_events: list[Event] = field(default_factory=list)
    mustnot_failures: list[tuple[str, Event]] = field(default_factory=list)
    coded: list[Event] = field(default_factory=list)

    @property
    def found(self) -> list[ExpectedResult]:
        return [r for r in self.expected if r.event is not None]

    @property
    def core_found(self) -> int:
        return sum(1 for r in self.found if r.gold.get("core"))

    @property
    def core_total(self) -> int:
        return sum(1 for r in self.expected if r.gold.get("core"))

    def summary(self) -> str:
        n = len(self.found)
        return (
            f"eval seed: core={self.core_found}/{self.core_total} false={len(self.false_events)} "
            f"mustnot={len(self.mustnot_failures)} place={sum(r.place_ok for r in self.found)}/{n} "
            f"date={sum(r.date_ok for r in self.found)}/{n} "
            f"modality={sum(r.modality_ok for r in self.found)}/{n}"
        )


def _actor_matches(ref: ActorRef, gold_key: str, actors: dict[str, Any]) -> bool:
    gold = actors.get(gold_key)
    if gold is None:
        return False
    codes = [gold["cameo"], *gold.get("also_matches", [])]
    if any(ref.code.startswith(code) for code in codes):
        return True
    surface = {s.lower() for s in gold.get("surface", [])}
    return ref.span is not None and ref.span.text.lower() in surface


def _any_actor(refs: tuple[ActorRef, ...], keys: list[str], actors: dict[str, Any]) -> bool:
    return any(_actor_matches(r, k, actors) for r in refs for k in keys)


def _parties_match(event: Event, gold: dict[str, Any], actors: dict[str, Any]) -> bool:
    def direct(a: tuple[ActorRef, ...], r: tuple[ActorRef, ...]) -> bool:
        if not _any_actor(a, gold["actors"], actors):
            return False
        return not gold["recipients"] or _any_actor(r, gold["recipients"], actors)

    if direct(event.actors, event.recipients):
        return True
    return bool(gold.get("symmetric")) and direct(event.recipients, event.actors)


def _place_distance(event: Event, gold: dict[str, Any], places: dict[str, Any]) -> tuple[float | None, bool]:
    keys = gold["place"] if isinstance(gold["place"], list) else [gold["place"]]
    if event.place is None:
        return None, False
    best: tuple[float, bool] | None = None
    for key in keys:
        ref = places[key]
        km = haversine_km(event.place.lat, event.place.lon, ref["lat"], ref["lon"])
        ok = km <= float(ref["tolerance_km"])
        if best is None or (ok, -km) > (best[1], -best[0]):
            best = (km, ok)
    assert best is not None
    return best


def _date_ok(event: Event, gold_date: dict[str, str] | None) -> bool:
    if gold_date is None:
        return event.when.start is None
    if event.when.start is None or event.when.end is None:
        return False
    start = date.fromisoformat(gold_date["start"]) - timedelta(days=1)
    end = date.fromisoformat(gold_date["end"]) + timedelta(days=1)
    return start <= event.when.start and event.when.end <= end


def _matches(event: Event, gold: dict[str, Any], doc: dict[str, Any]) -> bool:
    if event.type.plover not in gold["plover"]:
        return False
    if not _parties_match(event, gold, doc["actors"]):
        return False
    return _place_distance(event, gold, doc["places"])[1]


def score_seed(gold_path: Path, pipeline: Pipeline | None = None) -> SeedReport:
    doc = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = gold_path.parent / doc["article"]
    article = read_text_article(text_path, date.fromisoformat(doc["published"]))
    coded = (pipeline or Pipeline()).code(article)
    counted = [e for e in coded.events if e.counted]
    report = SeedReport(coded=list(coded.events))
    for gold in doc["events"]:
        result = ExpectedResult(gold)
        candidates = [e for e in counted if _matches(e, gold, doc)]
        if candidates:

            def rank(e: Event, gold: dict[str, Any] = gold) -> tuple[bool, bool, float]:
                return (e.modality == gold["modality"], _date_ok(e, gold.get("date")), e.confidence)

            best = max(candidates, key=rank)
            result.event = best
            result.place_km, result.place_ok = _place_distance(best, gold, doc["places"])
            result.date_ok = _date_ok(best, gold.get("date"))
            result.modality_ok = best.modality == gold["modality"]
        else:
            result.why = _why_missed(counted, gold, doc)
        report.expected.append(result)
    report.false_events = [e for e in counted if not any(_matches(e, g, doc) for g in doc["events"])]
    for rule in doc.get("must_not_assert", []):
        start = article.text.find(rule["evidence"])
        if start < 0:
            continue
        end = start + len(rule["evidence"])
        for event in coded.events:
            if event.modality == "asserted" and start <= event.trigger.start < end:
                report.mustnot_failures.append((rule["evidence"], event))
    return report


def _why_missed(events: list[Event], gold: dict[str, Any], doc: dict[str, Any]) -> str:
    typed = [e for e in events if e.type.plover in gold["plover"]]
    if not typed:
        return f"no coded event of type {'/'.join(gold['plover'])}"
    parties = [e for e in typed if _parties_match(e, gold, doc["actors"])]
    if not parties:
        return "type found, but actors/recipients differ: " + "; ".join(
            f"{'+'.join(a.name for a in e.actors)} -> {'+'.join(r.name for r in e.recipients)}"
            for e in typed[:3]
        )
    distances = [_place_distance(e, gold, doc["places"])[0] for e in parties]
    return "type and actors found, but placed too far: " + ", ".join(
        "no place" if d is None else f"{d:.0f} km" for d in distances
    )


def describe(event: Event) -> str:
    actors = "+".join(a.name for a in event.actors) or "?"
    recipients = "+".join(r.name for r in event.recipients)
    place = event.place.name if event.place else "no place"
    mode = f" {event.type.mode}" if event.type.mode else ""
    return f"{event.type.plover}{mode} [{event.modality}] {actors} -> {recipients or '-'} @ {place}"
