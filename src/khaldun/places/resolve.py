"""Toponym resolution: pick the gazetteer place each name in a document refers to.

A name's candidates are the country or region of a demonym ("Turkish"), else its exact
gazetteer matches, else its transliteration variants. Each candidate is scored by a prior
(population and kind of place: a bare "Louisiana" means the state far more often than a
hamlet) plus the document's context:
- country: the countries the other names of the document point to;
- spatial minimality: how close the candidate lies to some plausible reading of each other
  name (local news names places near each other: "Paris" beside "Henry County" is Paris,
  Tennessee) — all plausible readings count, not only the current choice, so two ambiguous
  names can pull each other to the right pair;
- containment: lying inside a province the document names;
- one sense per document: the same name resolves the same way throughout.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khaldun.nlp.loader import normalise_key
from khaldun.places.gazetteer import Gazetteer, GazetteerPlace, get_gazetteer, haversine_km

FEATURE_PRIOR = {
    "CONT": 7.0,
    "PCLI": 6.0,
    "RGN": 5.0,
    "PPLC": 4.0,
    "ADM1": 3.5,
    "LMK": 3.0,
    "ADM2": 1.0,
    "PPL": 0.0,
}
MAX_CANDIDATES = 40
PLAUSIBLE_PER_NAME = 8  # readings of another name that can attract a candidate
PLAUSIBLE_MARGIN = 7.0  # ... within this prior distance of that name's best reading
PROXIMITY_CAP = 6.0
COUNTRY_WEIGHT = 4.0  # full agreement of the other names on a country is worth this much
AREA_FEATURES = frozenset({"CONT", "PCLI", "RGN"})


@dataclass(frozen=True)
class Resolution:
    place: GazetteerPlace | None
    candidates: int
    how: str  # demonym, exact, variant, none


def prior(place: GazetteerPlace, exact_primary: bool) -> float:
    """Context-free plausibility of a candidate."""
    population = place.population
    if place.feature == "ADM1":
        population = max(population, 200_000)
    elif place.feature in {"RGN", "LMK"}:
        population = max(population, 1_000_000)
    score = math.log10(population + 10) + FEATURE_PRIOR.get(place.feature, 0.0)
    return score + (1.5 if exact_primary else 0.0)


def _distances_km(lat: np.ndarray, lon: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances between every point of (lat, lon) and every point of (lat2, lon2)."""
    p1, p2 = np.radians(lat)[:, None], np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon)[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    distances: np.ndarray = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distances


def _proximity_bonus(km: np.ndarray) -> np.ndarray:
    return np.where(km < 50, 3.0, np.where(km < 150, 2.0, np.where(km < 400, 1.0, 0.0)))


class Resolver:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or get_gazetteer()

    def candidates(self, name: str) -> tuple[list[GazetteerPlace], str]:
        # a demonym is an adjective far more often than the hamlet that shares its spelling
        # ("Canadian, Texas"; "Spanish, Ontario")
        country = self.gaz.demonym_country(name)
        if country is not None:
            return [country], "demonym"
        exact = self.gaz.candidates(name)
        if exact:
            return self._trim(self._city_over_namesake_province(exact)), "exact"
        variants = self.gaz.similar(name)
        if variants:
            return self._trim(variants), "variant"
        return [], "none"

    @staticmethod
    def _city_over_namesake_province(places: list[GazetteerPlace]) -> list[GazetteerPlace]:
        """A bare "Hama", "Homs", "Alexandria" names the city; the province named after it is
        written "Homs province" (which reaches the province through its own alias). A
        province goes when a town of the same name lies within it (its capital)."""
        towns = [p for p in places if p.feature in {"PPL", "PPLC"}]

        def has_namesake_capital(area: GazetteerPlace) -> bool:
            return any(
                t.country == area.country and haversine_km(t.lat, t.lon, area.lat, area.lon) < 150
                for t in towns
            )

        return [p for p in places if not (p.feature == "ADM1" and has_namesake_capital(p))]

    @staticmethod
    def _trim(places: list[GazetteerPlace]) -> list[GazetteerPlace]:
        if len(places) <= MAX_CANDIDATES:
            return places
        ranked = sorted(
            places, key=lambda p: (p.feature in AREA_FEATURES or p.feature == "ADM1", p.population)
        )
        return ranked[::-1][:MAX_CANDIDATES]

    def resolve(self, names: Sequence[str], focus_country: str | None = None) -> list[Resolution]:
        """Resolve every name of one document together (their context is each other)."""
        keys = [normalise_key(n) for n in names]
        found = [self.candidates(n) for n in names]
        options = [opts for opts, _ in found]
        priors = [
            np.array([prior(p, self.gaz.primary[p.row] == key) for p in opts])
            for opts, key in zip(options, keys, strict=True)
        ]
        proximity = self._spatial_support(keys, options, priors)
        containment = self._containment(options, priors)
        chosen: list[GazetteerPlace | None] = [
            opts[int(np.argmax(pri))] if opts else None for opts, pri in zip(options, priors, strict=True)
        ]
        for _ in range(2):
            updated: list[GazetteerPlace | None] = []
            for i, opts in enumerate(options):
                if not opts:
                    updated.append(None)
                    continue
                # what the *other* names say about the country (a name does not vote for itself)
                votes = self._country_votes(options, chosen, focus_country, keys, exclude=keys[i])
                total = sum(votes.values()) or 1
                country = np.array([COUNTRY_WEIGHT * votes.get(p.country, 0) / total for p in opts])
                score = priors[i] + country + proximity[i] + containment[i]
                updated.append(opts[int(np.argmax(score))])
            chosen = self._one_sense(keys, updated)
        return [Resolution(c, len(o), how) for c, o, (_, how) in zip(chosen, options, found, strict=True)]

    def _spatial_support(
        self, keys: list[str], options: list[list[GazetteerPlace]], priors: list[np.ndarray]
    ) -> list[np.ndarray]:
        """For each candidate, the summed closeness to the nearest plausible reading of every
        other distinct name of the document (areas such as countries give none)."""
        plausible: dict[str, list[GazetteerPlace]] = {}
        for key, opts, pri in zip(keys, options, priors, strict=True):
            if not opts or key in plausible:
                continue
            order = np.argsort(-pri)[:PLAUSIBLE_PER_NAME]
            best = pri[order[0]]
            plausible[key] = [
                opts[k]
                for k in order
                if pri[k] >= best - PLAUSIBLE_MARGIN and opts[k].feature not in AREA_FEATURES
            ]
        support: list[np.ndarray] = []
        for key, opts in zip(keys, options, strict=True):
            if not opts:
                support.append(np.zeros(0))
                continue
            others = [(k, p) for k, places in plausible.items() if k != key for p in places]
            if not others:
                support.append(np.zeros(len(opts)))
                continue
            owners = np.array([hash(k) for k, _ in others])
            km = _distances_km(
                np.array([p.lat for p in opts]),
                np.array([p.lon for p in opts]),
                np.array([p.lat for _, p in others]),
                np.array([p.lon for _, p in others]),
            )
            bonus = _proximity_bonus(km)
            total = np.zeros(len(opts))
            for owner in np.unique(owners):
                total += bonus[:, owners == owner].max(axis=1)
            area = np.array([p.feature in AREA_FEATURES for p in opts])
            support.append(np.where(area, 0.0, np.minimum(total, PROXIMITY_CAP)))
        return support

    @staticmethod
    def _containment(options: list[list[GazetteerPlace]], priors: list[np.ndarray]) -> list[np.ndarray]:
        """A bonus for lying inside a province the document names (its best reading)."""
        provinces = {
            (opts[int(np.argmax(pri))].country, normalise_key(opts[int(np.argmax(pri))].name))
            for opts, pri in zip(options, priors, strict=True)
            if opts and opts[int(np.argmax(pri))].feature == "ADM1"
        }
        return [
            np.array(
                [
                    1.5 if p.feature != "ADM1" and (p.country, normalise_key(p.admin1)) in provinces else 0.0
                    for p in opts
                ]
            )
            for opts in options
        ]

    @staticmethod
    def _country_votes(
        options: list[list[GazetteerPlace]],
        chosen: list[GazetteerPlace | None],
        focus_country: str | None,
        keys: list[str],
        exclude: str,
    ) -> Counter[str]:
        votes: Counter[str] = Counter()
        for opts, choice, key in zip(options, chosen, keys, strict=True):
            if choice is None or not choice.country or key == exclude:
                continue
            unambiguous = len({o.country for o in opts}) == 1
            votes[choice.country] += 2 if unambiguous else 1
        if focus_country:
            votes[focus_country] += 3
        return votes

    @staticmethod
    def _one_sense(keys: list[str], chosen: list[GazetteerPlace | None]) -> list[GazetteerPlace | None]:
        """The same name means the same place throughout a document: its most chosen reading."""
        by_key: dict[str, Counter[int]] = {}
        rows: dict[int, GazetteerPlace] = {}
        for key, choice in zip(keys, chosen, strict=True):
            if choice is not None:
                by_key.setdefault(key, Counter())[choice.row] += 1
                rows[choice.row] = choice
        return [
            rows[by_key[key].most_common(1)[0][0]] if choice is not None else None
            for key, choice in zip(keys, chosen, strict=True)
        ]
