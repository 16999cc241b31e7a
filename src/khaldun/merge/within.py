"""Within-article merging: the same event told twice in one article becomes one event.

News tells its main event in the lead and again in the body with more detail ("there was a
swap" … "a swap took place in Darat Azza"). Two counted events merge when they have the same
PLOVER type, share an actor (or one has only actors borrowed from context), their places are
compatible (one lies inside the other's area, or one was only inferred from the article), and
their dates overlap (or one is unknown). The merged event keeps the more specific place and
date, and the other sentence as a further mention.
"""

from __future__ import annotations

from dataclasses import replace

from khaldun.model import Event, Place, When
from khaldun.places.finder import SPECIFICITY
from khaldun.places.gazetteer import haversine_km

SAME_PLACE_KM = 10.0


def _actor_keys(event: Event) -> set[str]:
    return {a.key for a in event.actors}


def _actors_compatible(a: Event, b: Event) -> bool:
    """Shared actor; or one side only has actors borrowed from the sentence before and both
    tellings carry their own, overlapping dates (a borrowed actor alone is too weak a link)."""
    if _actor_keys(a) & _actor_keys(b):
        return True
    borrowed = any(all(x.via == "context" for x in e.actors) for e in (a, b))
    dated = a.when.start is not None and b.when.start is not None
    return borrowed and dated


def _places_compatible(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a.source == "article" or b.source == "article":
        return True
    if _contains(a, b) or _contains(b, a):
        return True
    distance = haversine_km(a.lat, a.lon, b.lat, b.lon)
    return distance <= max(a.radius_km, b.radius_km, SAME_PLACE_KM)


def _contains(area: Place, place: Place) -> bool:
    """A country or province contains the places inside it ("in Syria" and "in Idlib")."""
    if area.precision == "country":
        return area.country is not None and area.country == place.country
    if area.precision == "admin1":
        return area.country == place.country and area.admin1 is not None and area.admin1 == place.admin1
    return False


def _dates_compatible(a: When, b: When) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return True
    return a.start <= b.end and b.start <= a.end


def _better_place(a: Place | None, b: Place | None) -> Place | None:
    if a is None or (b is not None and a.source == "article" and b.source != "article"):
        return b
    if b is None or b.source == "article":
        return a
    return a if SPECIFICITY.get(a.precision, 9) <= SPECIFICITY.get(b.precision, 9) else b


def _better_when(a: When, b: When) -> When:
    if a.start is None:
        return b
    if b.start is None or a.end is None or b.end is None:
        return a
    return a if (a.end - a.start) <= (b.end - b.start) else b


def mergeable(a: Event, b: Event) -> bool:
    return (
        a.counted
        and b.counted
        and a.type.plover == b.type.plover
        and _actors_compatible(a, b)
        and _places_compatible(a.place, b.place)
        and _dates_compatible(a.when, b.when)
    )


def _combine(keep: Event, other: Event) -> Event:
    """`keep` absorbs `other`: best place/date, union of actors, other's sentence as a mention."""
    own_actors = [x for x in keep.actors if x.via != "context"] or list(keep.actors)
    other_actors = [x for x in other.actors if x.via != "context"]
    actors = tuple({x.key: x for x in (*own_actors, *other_actors)}.values()) or keep.actors
    recipients = tuple({x.key: x for x in (*keep.recipients, *other.recipients)}.values())
    return replace(
        keep,
        actors=actors,
        recipients=recipients,
        place=_better_place(keep.place, other.place),
        when=_better_when(keep.when, other.when),
        confidence=round(min(0.99, max(keep.confidence, other.confidence) + 0.05), 2),
        mentions=(*keep.mentions, other.sentence, *other.mentions),
        evidence_spans=tuple(
            sorted({*keep.evidence_spans, *other.evidence_spans}, key=lambda s: (s.start, s.end))
        ),
        notes=(*keep.notes, f"merged with the mention '{other.sentence.text[:60]}'"),
        fatalities=_larger(keep.fatalities, other.fatalities),
        size=_larger(keep.size, other.size),
    )


def _larger(a: int | None, b: int | None) -> int | None:
    """Later tellings often update a count ("the toll rose to 31"): keep the larger."""
    return b if a is None else a if b is None else max(a, b)


def _score(event: Event) -> tuple[int, int]:
    """The event to keep is the one with the more specific, sentence-level place."""
    place = event.place
    if place is None or place.source == "article":
        return (9, -len(event.actors))
    return (SPECIFICITY.get(place.precision, 9), -len(event.actors))


def merge_within_article(events: list[Event]) -> list[Event]:
    """Merge repeated tellings of one event; order of first telling is kept. Deterministic."""
    result: list[Event] = []
    for event in events:
        index = next((i for i, kept in enumerate(result) if mergeable(kept, event)), None)
        if index is None:
            result.append(event)
            continue
        kept = result[index]
        result[index] = _combine(event, kept) if _score(event) < _score(kept) else _combine(kept, event)
    return result
