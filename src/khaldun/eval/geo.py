"""`khaldun eval geo`: toponym resolution and recognition on four news corpora written by others.

Corpora (../shared/data/geoparsing, half of each; Gritta et al.'s evaluation guide):
LGL (local US news), GeoWebNews, TR-News, GeoVirus. Two measures, as the guide separates them:
- resolution given the gold spans: each gold toponym's text is resolved with the others of
  its article as context; error = distance to the gold coordinates. acc@161 km, AUC of the
  log-error curve (0 best, 1 worst), mean and median error;
- end to end: khaldun finds toponyms in the raw text itself; span precision/recall/F1
  (overlapping spans match), then acc@161 of the matched spans.
GeoWebNews marks each toponym's type: literal uses and associative ones (metonyms, modifiers,
demonyms …) are scored apart, and non-locational ones (no coordinates) are left out.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from khaldun.places.gazetteer import haversine_km
from khaldun.places.resolve import Resolver

MAX_ERROR_KM = 20039.0
CORPORA = {"lgl": "lgl.xml", "gwn": "GWN.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}
GWN_LITERAL = frozenset({"Literal", "Literal_Modifier", "Mixed", "Embedded_Literal", "Coercion"})


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    literal: bool = True


@dataclass
class GeoDoc:
    text: str
    toponyms: list[GoldToponym]


@dataclass
class Scores:
    errors: list[float] = field(default_factory=list)

    def add(self, km: float | None) -> None:
        self.errors.append(MAX_ERROR_KM if km is None else km)

    @property
    def n(self) -> int:
        return len(self.errors)

    @property
    def acc161(self) -> float:
        return sum(e <= 161 for e in self.errors) / self.n if self.errors else 0.0

    @property
    def auc(self) -> float:
        if not self.errors:
            return 0.0
        return sum(math.log(1 + e) for e in self.errors) / (self.n * math.log(1 + MAX_ERROR_KM))

    @property
    def mean_km(self) -> float:
        return statistics.fmean(self.errors) if self.errors else 0.0

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors) if self.errors else 0.0


@dataclass
class CorpusResult:
    name: str
    docs: int
    given: Scores
    literal: Scores
    associative: Scores
    unresolved: int
    e2e_tp: int = 0
    e2e_pred: int = 0
    e2e_gold: int = 0
    e2e: Scores = field(default_factory=Scores)

    @property
    def precision(self) -> float:
        return self.e2e_tp / self.e2e_pred if self.e2e_pred else 0.0

    @property
    def recall(self) -> float:
        return self.e2e_tp / self.e2e_gold if self.e2e_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, name: str | None) -> tuple[int, int]:
    """The gold offsets, moved onto the gold name where a corpus counts from 1 (GeoVirus)."""
    if not name or text[start:end] == name:
        return start, end
    window = text.find(name, max(0, start - 3), end + 3 + len(name))
    return (window, window + len(name)) if window >= 0 else (start, end)


def load_corpus(path: Path) -> list[GeoDoc]:
    """Articles with their located gold toponyms, whatever the corpus's XML dialect."""
    root = ET.parse(path).getroot()
    docs: list[GeoDoc] = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        toponyms: list[GoldToponym] = []
        for node in [*article.iter("toponym"), *article.iter("location")]:
            start, end = _float(node.findtext("start")), _float(node.findtext("end"))
            if start is None or end is None:
                continue
            gaz = node.find("gaztag")
            holder = gaz if gaz is not None else node
            lat = (
                _float(holder.findtext("lat"))
                if holder.find("lat") is not None
                else _float(node.findtext("latitude"))
            )
            lon = (
                _float(holder.findtext("lon"))
                if holder.find("lon") is not None
                else _float(node.findtext("longitude"))
            )
            if lat is None or lon is None:
                continue  # non-locational or unlocated: not scored
            if (node.findtext("nonLocational") or "No").strip() == "Yes":
                continue
            kind = node.findtext("type")
            given = node.findtext("phrase") or node.findtext("extractedName") or node.findtext("name")
            begin, stop = _align(text, int(start), int(end), given)
            toponyms.append(
                GoldToponym(begin, stop, text[begin:stop], lat, lon, kind is None or kind in GWN_LITERAL)
            )
        docs.append(GeoDoc(text, toponyms))
    return docs


def score_given_spans(name: str, docs: list[GeoDoc], resolver: Resolver) -> CorpusResult:
    result = CorpusResult(name, len(docs), Scores(), Scores(), Scores(), 0)
    for doc in docs:
        resolutions = resolver.resolve([t.text for t in doc.toponyms])
        for gold, res in zip(doc.toponyms, resolutions, strict=True):
            km = None if res.place is None else haversine_km(res.place.lat, res.place.lon, gold.lat, gold.lon)
            result.unresolved += res.place is None
            result.given.add(km)
            (result.literal if gold.literal else result.associative).add(km)
    return result


def score_end_to_end(result: CorpusResult, docs: list[GeoDoc]) -> None:
    from khaldun.nlp import get_nlp
    from khaldun.places.finder import PlaceFinder

    finder = PlaceFinder()
    nlp = get_nlp()
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        predicted = [m.place for m in finder.find(parsed, associative=True) if m.place.span is not None]
        result.e2e_pred += len(predicted)
        result.e2e_gold += len(doc.toponyms)
        used: set[int] = set()
        for gold in doc.toponyms:
            match = next(
                (
                    i
                    for i, p in enumerate(predicted)
                    if i not in used
                    and p.span is not None
                    and p.span.start < gold.end
                    and gold.start < p.span.end
                ),
                None,
            )
            if match is None:
                continue
            used.add(match)
            result.e2e_tp += 1
            place = predicted[match]
            result.e2e.add(haversine_km(place.lat, place.lon, gold.lat, gold.lon))


def evaluate(data_dir: Path, corpora: Iterable[str], end_to_end: bool = True) -> list[CorpusResult]:
    resolver = Resolver()
    results = []
    for name in corpora:
        docs = load_corpus(data_dir / CORPORA[name])
        result = score_given_spans(name, docs, resolver)
        if end_to_end:
            score_end_to_end(result, docs)
        results.append(result)
    return results


def summary_line(results: list[CorpusResult]) -> str:
    return "eval geo: " + " ".join(f"{r.name}={r.given.acc161:.3f}" for r in results)
