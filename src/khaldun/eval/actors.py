"""`khaldun eval actors`: actor recognition and coding on PLOVER's gold records.

For each record of PLOVER_GSR_CAMEO.txt (322 CAMEO-manual sentences coded by the Open Event
Data Alliance), each gold source and target actor is located in the text by its actorText.
It is *found* when khaldun's actor stage has a mention overlapping it (a place mention with its
country counts too: the CAMEO gold codes locations such as "in Tokyo" as targets). Its *code is
right* when khaldun's country part equals the first three letters of the gold code and, where
the gold gives a sector, khaldun's sector equals its first three letters.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from khaldun.config import load_yaml
from khaldun.model import ActorRef

IGNORED_SECTORS = frozenset({"", "***"})


@dataclass
class GoldActor:
    text: str
    code: str
    sector: str | None
    role: str  # source or target
    start: int = -1
    end: int = -1


@dataclass
class Outcome:
    gold: GoldActor
    found: ActorRef | None = None
    found_as_place: bool = False
    code_right: bool = False
    got_code: str = ""


@dataclass
class ActorReport:
    outcomes: list[Outcome] = field(default_factory=list)
    records: int = 0
    unlocatable: int = 0

    def recall(self, role: str) -> float:
        items = [o for o in self.outcomes if o.gold.role == role]
        return sum(o.found is not None or o.found_as_place for o in items) / len(items) if items else 0.0

    @property
    def code_accuracy(self) -> float:
        found = [o for o in self.outcomes if o.found is not None or o.found_as_place]
        return sum(o.code_right for o in found) / len(found) if found else 0.0

    def summary(self) -> str:
        return (
            f"eval actors: source_recall={self.recall('source'):.3f} "
            f"target_recall={self.recall('target'):.3f} code_acc={self.code_accuracy:.3f}"
        )


def _as_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def load_records(path: Path) -> list[dict[str, Any]]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if r.get("event") != "DOCUMENT" and ("source" in r or "target" in r)]


def gold_actors(record: dict[str, Any]) -> list[GoldActor]:
    actors = []
    for role in ("source", "target"):
        for item in _as_list(record.get(role)):
            text = str(item.get("actorText") or "").strip()
            if not text:
                continue
            sector = item.get("sector")
            actors.append(GoldActor(text, str(item.get("code") or ""), str(sector) if sector else None, role))
    return actors


def _locate(text: str, actor: GoldActor) -> bool:
    start = text.find(actor.text)
    if start < 0:
        start = text.lower().find(actor.text.lower())
    if start < 0:
        return False
    actor.start, actor.end = start, start + len(actor.text)
    return True


def cameo_equivalents() -> dict[str, str]:
    """CAMEO country codes that differ from ISO 3166 alpha-3 (data/actors/cameo_countries.yaml)."""
    return {str(k): str(v) for k, v in load_yaml("actors", "cameo_countries.yaml")["cameo_to_iso3"].items()}


def code_matches(ref_code: str, ref_sector: str | None, gold: GoldActor, equivalents: dict[str, str]) -> bool:
    gold_country = gold.code[:3]
    gold_country = equivalents.get(gold_country, gold_country)
    if ref_code[:3] != gold_country:
        return False
    if gold.sector is None or gold.sector in IGNORED_SECTORS:
        return True
    ours = ref_sector or ref_code[3:6]
    return ours[:3] == gold.sector[:3].upper()


def score_actors(path: Path) -> ActorReport:
    from khaldun.actors import ActorFinder
    from khaldun.nlp import get_nlp
    from khaldun.places.finder import PlaceFinder, focus_country

    nlp = get_nlp()
    actors = ActorFinder()
    places = PlaceFinder()
    equivalents = cameo_equivalents()
    records = load_records(path)
    report = ActorReport(records=len(records))
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        day = _record_date(record)
        kb = [(m.start, m.end) for m in actors.kb_mentions(doc, day) if not m.metonym]
        found_places = places.find(doc, blocked=kb, associative=True)
        mentions = actors.find(doc, day, focus_country(found_places), found_places)
        for gold in gold_actors(record):
            if not _locate(record["text"], gold):
                report.unlocatable += 1
                continue
            outcome = Outcome(gold)
            overlapping = [
                r
                for m in mentions
                for r in m.refs
                if r.span is not None and r.span.start < gold.end and gold.start < r.span.end
            ]
            if overlapping:
                best = max(overlapping, key=lambda r: code_matches(r.code, r.sector, gold, equivalents))
                outcome.found = best
                outcome.got_code = best.code
                outcome.code_right = code_matches(best.code, best.sector, gold, equivalents)
            else:
                place = next(
                    (
                        p.place
                        for p in found_places
                        if p.place.span is not None
                        and p.place.span.start < gold.end
                        and gold.start < p.place.span.end
                        and p.place.country
                    ),
                    None,
                )
                if place is not None:
                    iso3 = _iso3(place.country or "")
                    # a capital stands for its government, as khaldun's actor stage reads it
                    sector = "GOV" if place.feature == "PPLC" else None
                    outcome.found_as_place = True
                    outcome.got_code = iso3 + (sector or "")
                    outcome.code_right = code_matches(iso3, sector, gold, equivalents)
            report.outcomes.append(outcome)
    return report


def _iso3(iso2: str) -> str:
    import pycountry

    record = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    return str(record.alpha_3) if record else ""


PLACEHOLDER_DATE = "2000-01-01"  # every record of the file carries it: the real dates are unknown


def _record_date(record: dict[str, Any]) -> date | None:
    """The record's date, or None for the file's placeholder (the CAMEO manual's examples span
    decades; coding them as of 2000 would make every later office holder a former one)."""
    raw = str(record.get("date"))
    if raw == PLACEHOLDER_DATE:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def error_table(report: ActorReport, limit: int = 25) -> list[tuple[str, str, str, str]]:
    """The most frequent misses and miscodes: (what, gold text, gold code, khaldun's code)."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for o in report.outcomes:
        gold = f"{o.gold.code}{('/' + o.gold.sector) if o.gold.sector else ''}"
        if o.found is None and not o.found_as_place:
            counts[("missed", o.gold.text, gold, "")] += 1
        elif not o.code_right:
            counts[("miscoded", o.gold.text, gold, o.got_code)] += 1
    return [key for key, _ in counts.most_common(limit)]
