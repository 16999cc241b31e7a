"""Actors as nodes, dyads as edges (networkx), built from merged events.

An edge joins an acting actor to a recipient; a symmetric event ("HTS and Damascus swapped
prisoners") joins every pair of its actors. Each edge counts cooperative (PLOVER quad 1–2) and
conflictual (quad 3–4) events, by type and by ISO week, and lists the places where the two
meet. Trends compare the last seven days of the reporting with the seven before.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import networkx as nx

from khaldun.config import load_yaml
from khaldun.merge.across import actor_key

Row = dict[str, Any]


@cache
def _settings() -> Row:
    return dict(load_yaml("merge", "situation.yaml"))


def _stance(quad: int | None) -> str:
    settings = _settings()
    if quad in settings["cooperation_quads"]:
        return "cooperation"
    if quad in settings["conflict_quads"]:
        return "conflict"
    return "neutral"


def _day(row: Row) -> date | None:
    day = row.get("date_start") or row.get("date_end") or row.get("first_published")
    return day if isinstance(day, date) else None


@dataclass
class Dyad:
    a: str
    b: str
    cooperation: int = 0
    conflict: int = 0
    types: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    weeks: Counter[str] = field(default_factory=Counter)
    events: list[str] = field(default_factory=list)


@dataclass
class Situation:
    graph: nx.MultiDiGraph | nx.Graph
    dyads: list[Dyad]
    names: dict[str, str]
    places: Counter[str]
    roads: Counter[str]
    crossings: Counter[str]
    this_week: Counter[str]
    last_week: Counter[str]
    as_of: date | None
    n_events: int

    def to_json(self) -> Row:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "events": self.n_events,
            "actors": [
                {
                    "key": k,
                    "name": self.names[k],
                    **{a: v for a, v in self.graph.nodes[k].items() if a != "name"},
                }
                for k in sorted(self.graph.nodes, key=lambda k: -self.graph.degree(k))
            ],
            "dyads": [
                {
                    "a": self.names[d.a],
                    "b": self.names[d.b],
                    "cooperation": d.cooperation,
                    "conflict": d.conflict,
                    "types": dict(d.types),
                    "places": dict(d.places),
                    "weeks": dict(sorted(d.weeks.items())),
                    "events": d.events,
                }
                for d in self.dyads
            ],
            "places": dict(self.places.most_common()),
            "roads": dict(self.roads.most_common()),
            "crossings": dict(self.crossings.most_common()),
            "trend": {"this_week": dict(self.this_week), "last_week": dict(self.last_week)},
            "summary": self.summary(),
        }

    def summary(self) -> list[str]:
        """A one-screen reading of the situation, most active dyads first."""
        lines = [
            f"{self.n_events} event(s), {self.graph.number_of_nodes()} actor(s), {len(self.dyads)} dyad(s)"
            + (f", reporting up to {self.as_of.isoformat()}" if self.as_of else "")
        ]
        for stance in ("cooperation", "conflict"):
            ranked = sorted(
                (d for d in self.dyads if getattr(d, stance)), key=lambda d: (-getattr(d, stance), d.a, d.b)
            )
            for d in ranked[:6]:
                types = ", ".join(
                    f"{t.lower()} ×{n}" if n > 1 else t.lower() for t, n in d.types.most_common()
                )
                where = ", ".join(p for p, _ in d.places.most_common(3))
                lines.append(
                    f"{stance}: {self.names[d.a]} – {self.names[d.b]}: {types}"
                    + (f" (at {where})" if where else "")
                )
        if self.roads:
            lines.append("roads: " + ", ".join(f"{r} ({n})" for r, n in self.roads.most_common(5)))
        if self.crossings:
            lines.append("crossings: " + ", ".join(f"{c} ({n})" for c, n in self.crossings.most_common(5)))
        if self.places:
            lines.append("places: " + ", ".join(f"{p} ({n})" for p, n in self.places.most_common(6)))
        change = []
        for stance in ("cooperation", "conflict", "neutral"):
            now, before = self.this_week[stance], self.last_week[stance]
            if now or before:
                change.append(f"{stance} {before} → {now}")
        if change:
            lines.append("trend (7 days before vs last 7 days): " + "; ".join(change))
        return lines

    def graphml_graph(self) -> nx.Graph:
        """The graph with scalar attributes only, as GraphML wants."""
        out = nx.Graph()
        for key, attrs in self.graph.nodes(data=True):
            out.add_node(key, **{k: v for k, v in attrs.items() if isinstance(v, str | int | float)})
        for d in self.dyads:
            out.add_edge(
                d.a,
                d.b,
                cooperation=d.cooperation,
                conflict=d.conflict,
                types="; ".join(f"{t}:{n}" for t, n in d.types.most_common()),
                places="; ".join(f"{p}:{n}" for p, n in d.places.most_common()),
                weeks="; ".join(f"{w}:{n}" for w, n in sorted(d.weeks.items())),
            )
        return out


def node_key(actor: Row) -> str:
    """Known actors by their knowledge-base id; others by their words ("rival militias" and
    "opposing local groups" may share a code, but the reporting does not say they are one)."""
    if actor.get("actor_id"):
        return "kb:" + str(actor["actor_id"])
    return "name:" + str(actor.get("name") or actor_key(actor)).lower()


def _pairs(row: Row) -> set[tuple[str, str]]:
    """Unordered actor pairs of one event (a symmetric event lists both sides twice)."""
    actors, recipients = row.get("actors") or [], row.get("recipients") or []
    pairs = {(node_key(a), node_key(r)) for a in actors for r in recipients}
    if not recipients:  # one-sided: pair the actors themselves
        pairs = {(node_key(a), node_key(b)) for a, b in itertools.combinations(actors, 2)}
    return {tuple(sorted(p)) for p in pairs if p[0] != p[1]}  # type: ignore[misc]


def build_situation(rows: Sequence[Row], as_of: date | None = None) -> Situation:
    """The situation from merged-event rows (`Store.merged_events()`)."""
    crossing_words = [w.lower() for w in _settings()["crossing_words"]]
    crossing_modes = set(_settings()["crossing_modes"])
    graph = nx.Graph()
    names: dict[str, str] = {}
    dyads: dict[tuple[str, str], Dyad] = {}
    places: Counter[str] = Counter()
    roads: Counter[str] = Counter()
    crossings: Counter[str] = Counter()
    days = [d for d in (_day(r) for r in rows) if d]
    as_of = as_of or (max(days) if days else None)
    this_week: Counter[str] = Counter()
    last_week: Counter[str] = Counter()
    for row in rows:
        stance = _stance(row.get("quad"))
        place = row.get("place_name")
        if place:
            places[place] += 1
            if row.get("place_precision") == "road":
                roads[place] += 1
            sentence = (row.get("evidence") or row.get("sentence") or "").lower()
            if row.get("mode") in crossing_modes or any(w in sentence for w in crossing_words):
                crossings[place] += 1
        day = _day(row)
        if as_of and day:
            if as_of - timedelta(days=6) <= day <= as_of:
                this_week[stance] += 1
            elif as_of - timedelta(days=13) <= day < as_of - timedelta(days=6):
                last_week[stance] += 1
        for person in (*(row.get("actors") or []), *(row.get("recipients") or [])):
            key = node_key(person)
            names.setdefault(key, person.get("name") or key)
            graph.add_node(
                key,
                name=names[key],
                code=person.get("code") or "",
                kind=person.get("kind") or "",
                country=person.get("country") or "",
            )
        for a, b in sorted(_pairs(row)):
            dyad = dyads.setdefault((a, b), Dyad(a, b))
            if stance == "cooperation":
                dyad.cooperation += 1
            elif stance == "conflict":
                dyad.conflict += 1
            dyad.types[row["plover"]] += 1
            if place:
                dyad.places[place] += 1
            if day:
                year, week, _ = day.isocalendar()
                dyad.weeks[f"{year}-W{week:02d}"] += 1
            dyad.events.append(row["id"])
    for dyad in dyads.values():
        graph.add_edge(dyad.a, dyad.b, cooperation=dyad.cooperation, conflict=dyad.conflict)
    ordered = sorted(dyads.values(), key=lambda d: (-(d.cooperation + d.conflict), -len(d.events), d.a, d.b))
    return Situation(graph, ordered, names, places, roads, crossings, this_week, last_week, as_of, len(rows))
