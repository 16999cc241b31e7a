"""Across articles: reports of one real event by several outlets become one merged event.

Two coded events (asserted or attempted; from different articles) are one happening when
- their PLOVER types are equal or in one family (data/merge/families.yaml),
- they share an actor (knowledge-base id or code; a name when it has neither; sharing only a
  role code needs places below province level) — or one side names none and
  both place and date are precise,
- their places are within `max_km` (or one contains the other: a country, a province; a report
  placed only by its article's main place needs the same country, one placed nowhere merges
  with nothing), and
- their dates overlap once each is widened by `max_days` (an undated report counts from its
  publication date; one dated only to more than a month merges only with one dated the same).
Clustering is complete-link (a report joins a merged event only if it fits every report in it)
in a fixed order (publication date, article, position), so re-running gives the same result.
Nothing is dropped: every report stays a mention with its source and evidence, and where
reports disagree (type, place, date, fatalities, size) the merged event lists the alternatives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Any

from khaldun.config import load_yaml
from khaldun.places.finder import SPECIFICITY
from khaldun.places.gazetteer import haversine_km

# the coding of an event's type and of its place, each taken whole from one report
TYPE_COLUMNS = ("mode", "context", "cameo", "quad", "score", "acled_type", "acled_subtype")
PLACE_COLUMNS = (
    "place_name",
    "place_lat",
    "place_lon",
    "place_precision",
    "place_geonameid",
    "place_country",
    "place_admin1",
)
PRECISE_DATES = frozenset({"hour", "day"})
LOOSE_DATE_DAYS = 31  # a longer interval is a period or a trend, not the date of one event
PRECISE_PLACES = frozenset({"exact", "near"})


@dataclass(frozen=True)
class MergeSettings:
    max_km: float
    max_days: int
    family_of: dict[str, str]


@cache
def default_settings() -> MergeSettings:
    raw = load_yaml("merge", "families.yaml")
    family_of = {t: "+".join(group) for group in raw["families"] for t in group}
    return MergeSettings(float(raw["max_km"]), int(raw["max_days"]), family_of)


@dataclass
class Report:
    """One coded event as the merge sees it (a row of `events` with its actors)."""

    row: dict[str, Any]
    actors: list[dict[str, Any]]
    recipients: list[dict[str, Any]]

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def article_id(self) -> str:
        return str(self.row["article_id"])

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(k for a in (*self.actors, *self.recipients) for k in actor_keys(a))

    def interval(self, widen: int) -> tuple[date, date] | None:
        start = self.row["date_start"] or self.row["article_published"]
        end = self.row["date_end"] or self.row["article_published"]
        if start is None or end is None:
            return None
        return start - timedelta(days=widen), end + timedelta(days=widen)


def actor_key(actor: dict[str, Any]) -> str:
    """The same actor under different names: KB id, else a specific code, else the name."""
    if actor.get("actor_id"):
        return "kb:" + str(actor["actor_id"])
    if actor.get("code") and actor.get("kind") != "unknown":
        return "code:" + str(actor["code"])
    return "name:" + str(actor.get("name", "")).lower()


def actor_keys(actor: dict[str, Any]) -> set[str]:
    """Every key an actor can be matched by: "Russian Armed Forces" (KB) and "Russian aircraft"
    (a role noun) share the code RUSMIL; an actor with neither id nor code goes by its name."""
    keys = set()
    if actor.get("actor_id"):
        keys.add("kb:" + str(actor["actor_id"]))
    if actor.get("code") and actor.get("kind") != "unknown":
        keys.add("code:" + str(actor["code"]))
    return keys or {"name:" + str(actor.get("name", "")).lower()}


def _type_family(plover: str, settings: MergeSettings) -> str:
    return settings.family_of.get(plover, plover)


def _has_place(row: dict[str, Any]) -> bool:
    return row["place_lat"] is not None and row["place_source"] != "article"


def _places_fit(a: dict[str, Any], b: dict[str, Any], max_km: float) -> bool:
    if a["place_lat"] is None or b["place_lat"] is None:
        return False  # a report placed nowhere could be any of the day's events: kept apart
    if not _has_place(a) or not _has_place(b):
        # a report placed only by its article's focus: the country must agree
        return bool(a["place_country"]) and a["place_country"] == b["place_country"]
    for area, inner in ((a, b), (b, a)):
        if area["place_precision"] == "country" and area["place_country"] == inner["place_country"]:
            return True
        if (
            area["place_precision"] == "admin1"
            and area["place_admin1"]
            and (area["place_country"], area["place_admin1"])
            == (inner["place_country"], inner["place_admin1"])
        ):
            return True
    reach = max(max_km, a["place_radius_km"] or 0.0, b["place_radius_km"] or 0.0)
    return haversine_km(a["place_lat"], a["place_lon"], b["place_lat"], b["place_lon"]) <= reach


def _dates_fit(a: Report, b: Report, days: int) -> bool:
    """Overlapping dates. A report dated only loosely ("since 1978", "in 2019") overlaps almost
    everything: it merges only with a report dated the same way."""
    first, second = a.interval(days), b.interval(0)
    if first is None or second is None:
        return True
    if _loose(a) or _loose(b):
        return a.interval(0) == b.interval(0)
    return first[0] <= second[1] and second[0] <= first[1]


def _loose(report: Report) -> bool:
    interval = report.interval(0)
    return interval is not None and (interval[1] - interval[0]).days > LOOSE_DATE_DAYS


def _precise(report: Report) -> bool:
    row = report.row
    return (
        row["date_precision"] in PRECISE_DATES
        and row["place_precision"] in PRECISE_PLACES
        and _has_place(row)
    )


def same_event(a: Report, b: Report, settings: MergeSettings) -> bool:
    if a.article_id == b.article_id:
        return False  # one article's distinct events were already told apart within it
    if _type_family(a.row["plover"], settings) != _type_family(b.row["plover"], settings):
        return False
    if not _dates_fit(a, b, settings.max_days):
        return False
    shared = a.keys & b.keys
    if not shared and not ((not a.keys or not b.keys) and _precise(a) and _precise(b)):
        return False
    if shared and not any(k.startswith("kb:") for k in shared) and not (_local(a.row) and _local(b.row)):
        # only a role code in common ("the Supreme Court", INDJUD): the places must say more
        # than a country or a province
        return False
    return _places_fit(a.row, b.row, settings.max_km)


def _local(row: dict[str, Any]) -> bool:
    return _has_place(row) and row["place_precision"] not in {"country", "admin1"}


@dataclass
class Cluster:
    members: list[Report] = field(default_factory=list)
    order: int = 0  # creation order: the older cluster wins ties
    articles: set[str] = field(default_factory=set)
    span: tuple[date, date] | None = None  # union of the members' dates, widened

    @property
    def id(self) -> str:
        return self.members[0].id

    def add(self, report: Report, settings: MergeSettings) -> None:
        self.members.append(report)
        self.articles.add(report.article_id)
        interval = report.interval(settings.max_days)
        if interval is not None:
            low, high = self.span or interval
            self.span = (min(low, interval[0]), max(high, interval[1]))

    def accepts(self, report: Report, settings: MergeSettings) -> bool:
        if report.article_id in self.articles:
            return False
        interval = report.interval(0)
        if (
            self.span is not None
            and interval is not None
            and (interval[1] < self.span[0] or interval[0] > self.span[1])
        ):
            return False  # cheap: no member can be close enough in time
        return all(same_event(m, report, settings) for m in self.members)


def cluster(reports: Sequence[Report], settings: MergeSettings | None = None) -> list[Cluster]:
    """Complete-link clusters in a fixed order; a report joins the fitting cluster sharing most
    actors with it (then the oldest)."""
    settings = settings or default_settings()
    ordered = sorted(
        reports,
        key=lambda r: (
            r.row["article_published"] or date.max,
            r.article_id,
            r.row["sentence_start"] or 0,
            r.row["trigger_start"] or 0,
            r.id,
        ),
    )
    clusters: list[Cluster] = []
    by_family: dict[str, list[Cluster]] = {}
    for report in ordered:
        family = _type_family(report.row["plover"], settings)
        candidates = [c for c in by_family.get(family, []) if c.accepts(report, settings)]
        if candidates:
            best = max(
                candidates, key=lambda c: (sum(len(m.keys & report.keys) for m in c.members), -c.order)
            )
            best.add(report, settings)
            continue
        new = Cluster(order=len(clusters))
        new.add(report, settings)
        clusters.append(new)
        by_family.setdefault(family, []).append(new)
    return clusters


# the merged record -------------------------------------------------------------------------------
def _alternatives(values: Iterable[tuple[Any, str]]) -> list[dict[str, Any]]:
    grouped: dict[Any, list[str]] = {}
    for value, event_id in values:
        if value is not None:
            grouped.setdefault(value, []).append(event_id)
    return [{"value": str(v), "events": ids} for v, ids in grouped.items()] if len(grouped) > 1 else []


def _people(reports: Sequence[Report], role: str) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    first: dict[str, dict[str, Any]] = {}
    for report in reports:
        for actor in report.actors if role == "actor" else report.recipients:
            key = actor_key(actor)
            counts[key] += 1
            first.setdefault(key, actor)
    keys = sorted(counts, key=lambda k: (-counts[k], list(first).index(k)))
    fields = ("name", "code", "actor_id", "country", "sector", "kind")
    return [{**{f: first[k].get(f) for f in fields}, "reports": counts[k]} for k in keys]


def merged_record(group: Cluster) -> dict[str, Any]:
    """One row of `merged_events`: the representative coding plus what the other reports add."""
    members = group.members
    types = Counter(m.row["plover"] for m in members)
    plover = max(types, key=lambda t: (types[t], -[m.row["plover"] for m in members].index(t)))
    typed = [m for m in members if m.row["plover"] == plover]
    lead = max(typed, key=lambda m: (m.row["confidence"], -members.index(m)))
    placed = [m for m in members if _has_place(m.row)] or members
    where = min(
        placed,
        key=lambda m: (SPECIFICITY.get(m.row["place_precision"] or "unknown", 9), -m.row["confidence"]),
    )
    dated = [m for m in members if m.row["date_start"] is not None]
    start = max((m.row["date_start"] for m in dated), default=None)
    end = min((m.row["date_end"] for m in dated), default=None)
    if start is not None and end is not None and start > end:  # reports disagree: the narrowest
        narrow = min(dated, key=lambda m: (m.row["date_end"] - m.row["date_start"], members.index(m)))
        start, end = narrow.row["date_start"], narrow.row["date_end"]
    precision = (
        min((m.row["date_precision"] for m in dated), key=lambda p: _PRECISION_ORDER.get(p, 9))
        if dated
        else "unknown"
    )
    deaths = [m.row["fatalities"] for m in members if m.row.get("fatalities") is not None]
    sizes = [m.row["size"] for m in members if m.row.get("size") is not None]
    confidence = 1.0
    for m in members:
        confidence *= 1.0 - float(m.row["confidence"])
    sources = sorted({str(m.row["article_source"]) for m in members})
    published = [m.row["article_published"] for m in members if m.row["article_published"] is not None]
    row = lead.row
    return {
        "id": group.id,
        "plover": plover,
        **{k: row[k] for k in TYPE_COLUMNS},
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        **{k: where.row[k] for k in PLACE_COLUMNS},
        "actors": _people(members, "actor"),
        "recipients": _people(members, "recipient"),
        "fatalities": min(deaths) if deaths else None,  # ACLED's rule: the most conservative report
        "size": min(sizes) if sizes else None,
        "confidence": round(min(0.99, 1.0 - confidence), 2),
        "n_events": len(members),
        "n_articles": len({m.article_id for m in members}),
        "sources": sources,
        "first_published": min(published, default=None),
        "last_published": max(published, default=None),
        "alternatives": {
            k: v
            for k, v in {
                "plover": _alternatives((m.row["plover"], m.id) for m in members),
                "place": _alternatives((m.row["place_name"], m.id) for m in members if _has_place(m.row)),
                "date": _alternatives((f"{m.row['date_start']}..{m.row['date_end']}", m.id) for m in dated),
                "fatalities": _alternatives((m.row.get("fatalities"), m.id) for m in members),
                "size": _alternatives((m.row.get("size"), m.id) for m in members),
            }.items()
            if v
        },
        "lead_event": lead.id,
        "members": [m.id for m in members],
    }


_PRECISION_ORDER = {
    "hour": 0,
    "day": 1,
    "days": 2,
    "week": 3,
    "month-part": 4,
    "month": 5,
    "year": 6,
    "unknown": 7,
}


def rebuild(store: Any, settings: MergeSettings | None = None) -> int:
    """Merge every counted event in `store` anew; returns the number of merged events."""
    rows = store.merge_inputs()
    reports = [
        Report(
            row,
            [a for a in row["_actors"] if a["role"] == "actor"],
            [a for a in row["_actors"] if a["role"] == "recipient"],
        )
        for row in rows
    ]
    groups = cluster(reports, settings)
    records = [merged_record(g) for g in groups]
    mentions = [
        {
            "merged_id": record["id"],
            "event_id": m.id,
            "article_id": m.article_id,
            "source": m.row["article_source"],
            "published": m.row["article_published"],
            "sentence": m.row["sentence"],
            "trigger_text": m.row["trigger_text"],
            "confidence": m.row["confidence"],
            "lead": m.id == record["lead_event"],
        }
        for record, group in zip(records, groups, strict=True)
        for m in group.members
    ]
    store.replace_merged(records, mentions)
    return len(records)
