"""The records every stage shares.

Stages read and write only these plain frozen dataclasses, so that any stage can be replaced
without touching the others, and so that every field of an event can point back to the
characters of the article that produced it (`Span`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Modality = Literal["asserted", "attempted", "negated", "hypothetical", "future", "reported"]
COUNTED_MODALITIES: frozenset[str] = frozenset({"asserted", "attempted"})

PlacePrecision = Literal["exact", "near", "between", "road", "admin2", "admin1", "country", "unknown"]
TimePrecision = Literal["hour", "day", "days", "week", "month-part", "month", "year", "unknown"]


def content_hash(*parts: object, length: int = 16) -> str:
    """A stable hex id from the parts: the same content always gives the same id."""
    payload = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Span:
    """Character offsets into `Article.text` (end exclusive) and the text they cover."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")


@dataclass(frozen=True)
class Article:
    """One news text, cleaned of site chrome, with its provenance.

    `id` is a hash of the cleaned text, so the same report read twice (from a file, a feed
    or a JSONL dump) is recognised as the same article and not coded twice.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    language: str = "en"
    fmt: str = "text"
    outlet: str | None = None  # who published it ("Reuters", "enabbaladi.net"), when known

    @staticmethod
    def make_id(text: str) -> str:
        normalised = " ".join(text.split())
        return content_hash("article", normalised)


@dataclass(frozen=True)
class ActorRef:
    """Who: a knowledge-base actor, a generic agent class, or an unknown named entity."""

    name: str
    code: str  # CAMEO-style actor code, e.g. SYRGOV, SYRREB, TUR
    kind: Literal["kb", "generic", "unknown"]
    actor_id: str | None = None  # knowledge-base id when kind == "kb"
    country: str | None = None  # ISO3
    sector: str | None = None  # GOV, MIL, REB, ...
    span: Span | None = None
    via: str | None = None  # how it was found: alias, metonym, coreference, context ...
    confidence: float = 1.0

    @property
    def key(self) -> str:
        """Identity used to compare actors across mentions."""
        return self.actor_id or f"{self.kind}:{self.code}:{self.name.lower()}"


@dataclass(frozen=True)
class Place:
    """Where: a gazetteer place, or a relational place built from anchors."""

    name: str
    lat: float
    lon: float
    precision: PlacePrecision
    geonameid: int | None = None
    country: str | None = None  # ISO2 as in GeoNames
    admin1: str | None = None
    feature: str | None = None  # GeoNames feature code, or "ROAD", "BETWEEN" ...
    radius_km: float = 0.0
    relation: str | None = None  # "west of", "between", "near", "on", "axis" ...
    anchors: tuple[str, ...] = ()
    span: Span | None = None
    source: Literal["sentence", "context", "article"] = "sentence"


@dataclass(frozen=True)
class When:
    """When: an interval of days and how precisely the text pins it down.

    An unresolvable or post-publication expression keeps `start`/`end` empty and says so
    with precision "unknown": dates are never invented.
    """

    start: date | None
    end: date | None
    precision: TimePrecision
    text: str | None = None
    span: Span | None = None
    source: Literal["sentence", "article"] = "sentence"


UNKNOWN_WHEN = When(start=None, end=None, precision="unknown")


@dataclass(frozen=True)
class EventType:
    """What: PLOVER type, mode and context with the codes of the other ontologies."""

    plover: str
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    quad: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    score: float | None = None  # PLOVER conflict-cooperation score (-10 .. 10)
    acled_type: str | None = None
    acled_subtype: str | None = None


@dataclass(frozen=True)
class Event:
    """One coded event with everything needed to check it against the text."""

    id: str
    article_id: str
    type: EventType
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    place: Place | None
    when: When
    modality: Modality
    sentence: Span
    trigger: Span
    confidence: float
    symmetric: bool = False
    evidence_spans: tuple[Span, ...] = ()
    mentions: tuple[Span, ...] = field(default=())  # other sentences that told the same event
    notes: tuple[str, ...] = ()
    fatalities: int | None = None  # deaths reported with the event ("killed at least 75" → 75)
    size: int | None = None  # crowd or force ("thousands of protesters" → 1000)

    @property
    def counted(self) -> bool:
        """Asserted and attempted events count; the others are kept with their modality."""
        return self.modality in COUNTED_MODALITIES

    @staticmethod
    def make_id(
        article_id: str,
        trigger: Span,
        plover: str,
        actors: tuple[ActorRef, ...],
        recipients: tuple[ActorRef, ...],
        place: Place | None,
    ) -> str:
        return content_hash(
            "event",
            article_id,
            trigger.start,
            trigger.end,
            plover,
            sorted(a.key for a in actors),
            sorted(r.key for r in recipients),
            place.name if place else None,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counted"] = self.counted
        return data


@dataclass(frozen=True)
class Failure:
    """An input that could not be coded, and why, in words a user can act on."""

    source: str
    reason: str
    article_id: str | None = None


@dataclass(frozen=True)
class CodedArticle:
    """The result of coding one article: its events and the mentions found on the way."""

    article: Article
    events: tuple[Event, ...]
    actors: tuple[ActorRef, ...] = ()
    places: tuple[Place, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class ActorMention:
    """An actor found in the parsed text: token range [start, end) and what it refers to.

    `refs` has several entries for plural descriptions ("the two actors"). `metonym` marks a
    place name standing for a government (Damascus, Ankara), which is a place, not an actor,
    when it follows a locative preposition.
    """

    start: int
    end: int
    refs: tuple[ActorRef, ...]
    metonym: bool = False


@dataclass(frozen=True)
class PlaceMention:
    """A toponym or relational place found in the text, token range [start, end)."""

    start: int
    end: int
    place: Place


@dataclass(frozen=True)
class TimeMention:
    """A temporal expression, token range [start, end), resolved against publication."""

    start: int
    end: int
    when: When
