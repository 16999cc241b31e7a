"""One merged event → one record per format. Each writer takes the rows of
`Store.merged_events()` (one per real event, all reports merged) and writes a file.

Field choices follow each format's own documentation: the PLOVER manual's "Data Fields"
chapter (id, date, enddate, actor, recipient, event, mode, context, event_loc, event_text,
quad_code, event_scale, text, cite_info, coder, coded_date, comment), ACLED's codebook columns,
and GDELT 1.0's event columns for the CAMEO table (with a Goldstein-like score from PLOVER).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from khaldun.config import load_yaml
from khaldun.merge.across import TYPE_COLUMNS

Row = dict[str, Any]


class ExportError(Exception):
    """An export cannot be written; the message names the file and the reason."""


def _coder() -> str:
    try:
        return f"khaldun {version('khaldun')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "khaldun"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(row: Row) -> date | None:
    day = row["date_start"] or row["first_published"]
    return day if isinstance(day, date) else None


def _sides(row: Row) -> tuple[list[Row], list[Row]]:
    """Actors and recipients; in a symmetric event ("HTS and Damascus swapped prisoners") each
    side is listed as both, so the recipients are the sides other than the first actor."""
    actors, recipients = list(row["actors"] or []), list(row["recipients"] or [])
    if actors and recipients:
        first = actors[0].get("code"), actors[0].get("name")
        others = [r for r in recipients if (r.get("code"), r.get("name")) != first]
        recipients = others or recipients
    return actors, recipients


# PLOVER -------------------------------------------------------------------------------------------
def _entity(actor: Row) -> Row:
    return {
        "code": (actor.get("code") or "")[:3] or None,
        "sector": (actor.get("code") or "")[3:6] or actor.get("sector"),
        "entity_text": actor.get("name"),
        "identifier_id": actor.get("actor_id"),
        "identifier_text": actor.get("name") if actor.get("actor_id") else None,
        "country": actor.get("country"),
        "full_code": actor.get("code"),
    }


def plover_record(row: Row, mentions: Sequence[Row]) -> Row:
    lead = next((m for m in mentions if m["lead"]), mentions[0] if mentions else None)
    return {
        "id": row["id"],
        "has_event": True,
        "date": _iso(_day(row)),
        "enddate": _iso(row["date_end"]),
        "date_precision": row["date_precision"],
        "actor": [_entity(a) for a in row["actors"] or []],
        "recipient": [_entity(a) for a in row["recipients"] or []],
        "event": [row["plover"]],
        "mode": [row["mode"]] if row["mode"] else [],
        "context": [row["context"]] if row["context"] else [],
        "event_loc": {
            "name": row["place_name"],
            "lat": row["place_lat"],
            "lon": row["place_lon"],
            "geonameid": row["place_geonameid"],
            "country": row["place_country"],
            "admin1": row["place_admin1"],
            "precision": row["place_precision"],
        }
        if row["place_name"]
        else None,
        "event_text": [m["trigger_text"] for m in mentions],
        "quad_code": row["quad"],
        "event_scale": row["score"],
        "cameo": row["cameo"],
        "fatalities": row["fatalities"],
        "size": row["size"],
        "text": lead["sentence"] if lead else None,
        "cite_info": {
            "sources": row["sources"],
            "n_articles": row["n_articles"],
            "n_reports": row["n_events"],
            "reports": [
                {
                    "event_id": m["event_id"],
                    "source": m["source"],
                    "published": _iso(m["published"]),
                    "sentence": m["sentence"],
                }
                for m in mentions
            ],
        },
        "confidence": row["confidence"],
        "coder": _coder(),
        "coded_date": datetime.now(UTC).date().isoformat(),
        "comment": json.dumps(row["alternatives"]) if row["alternatives"] else None,
    }


# ACLED --------------------------------------------------------------------------------------------
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "plover",
    "cameo",
    "confidence",
]


@cache
def _acled_rules() -> Row:
    return dict(load_yaml("export", "acled.yaml"))


def acled_inter(actor: Row | None, event_country: str | None) -> int | None:
    """ACLED's actor type for an actor, given the country the event happened in."""
    if actor is None:
        return None
    rules = _acled_rules()
    code = actor.get("code") or ""
    sector = code[3:6] or actor.get("sector") or ""
    if sector in rules["state_sectors"] or (len(code) == 3 and not sector and code.isalpha()):
        # a state named as such ("Turkey", "Russia"): its government and forces
        country = _alpha3(actor.get("country"))
        if event_country and country and country != _alpha3(event_country):
            return int(rules["inter"]["external"])
        return int(rules["inter"]["state"])
    if sector in rules["sector_inter"]:
        return int(rules["sector_inter"][sector])
    return int(rules["inter"]["external"]) if actor.get("kind") in {"igo", "ngo"} else None


@cache
def _country(code: str | None) -> Any:
    """pycountry's record for an ISO 3166 alpha-2 or alpha-3 code (actors carry alpha-3, places
    alpha-2), or None."""
    if not code:
        return None
    import pycountry

    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code.upper())
    return pycountry.countries.get(alpha_3=code.upper())


def _alpha3(code: str | None) -> str | None:
    found = _country(code)
    return found.alpha_3 if found else (code.upper() if code else None)


def _country_name(iso2: str | None) -> str | None:
    found = _country(iso2)
    return found.name if found else iso2


def _iso_numeric(iso2: str | None) -> int | None:
    found = _country(iso2)
    return int(found.numeric) if found else None


def acled_record(row: Row, mentions: Sequence[Row]) -> Row:
    rules = _acled_rules()
    actors, recipients = _sides(row)
    country = row["place_country"]
    first = actors[0] if actors else None
    second = recipients[0] if recipients else None
    inter1, inter2 = acled_inter(first, country), acled_inter(second, country)
    interaction = int("".join(sorted(str(i) for i in (inter1, inter2) if i))) if inter1 or inter2 else None
    day = _day(row)
    return {
        "event_id_cnty": row["id"],
        "event_date": _iso(day),
        "year": day.year if day else None,
        "time_precision": rules["time_precision"].get(row["date_precision"], 3),
        "event_type": row["acled_type"],
        "sub_event_type": row["acled_subtype"],
        "actor1": first["name"] if first else None,
        "assoc_actor_1": "; ".join(a["name"] for a in actors[1:]) or None,
        "inter1": inter1,
        "actor2": second["name"] if second else None,
        "assoc_actor_2": "; ".join(a["name"] for a in recipients[1:]) or None,
        "inter2": inter2,
        "interaction": interaction,
        "iso": _iso_numeric(country),
        "country": _country_name(country),
        "admin1": row["place_admin1"],
        "admin2": None,
        "location": row["place_name"],
        "latitude": row["place_lat"],
        "longitude": row["place_lon"],
        "geo_precision": rules["geo_precision"].get(row["place_precision"])
        if row["place_precision"]
        else None,
        "source": "; ".join(row["sources"] or []),
        "source_scale": None,
        "notes": " | ".join(dict.fromkeys(m["sentence"] for m in mentions)),
        "fatalities": row["fatalities"] if row["fatalities"] is not None else 0,
        "plover": row["plover"],
        "cameo": row["cameo"],
        "confidence": row["confidence"],
    }


# CAMEO / GDELT-like -------------------------------------------------------------------------------
CAMEO_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor1Name",
    "Actor2Code",
    "Actor2Name",
    "EventCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumSources",
    "NumArticles",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "PLOVER",
    "Confidence",
]


def cameo_record(row: Row, mentions: Sequence[Row]) -> Row:
    actors, recipients = _sides(row)
    day = _day(row)
    cameo = row["cameo"] or ""
    return {
        "GLOBALEVENTID": row["id"],
        "SQLDATE": day.strftime("%Y%m%d") if day else None,
        "Actor1Code": actors[0]["code"] if actors else None,
        "Actor1Name": actors[0]["name"] if actors else None,
        "Actor2Code": recipients[0]["code"] if recipients else None,
        "Actor2Name": recipients[0]["name"] if recipients else None,
        "EventCode": cameo or None,
        "EventRootCode": cameo[:2] or None,
        "QuadClass": row["quad"],
        "GoldsteinScale": row["score"],
        "NumSources": len(row["sources"] or []),
        "NumArticles": row["n_articles"],
        "ActionGeo_FullName": row["place_name"],
        "ActionGeo_CountryCode": row["place_country"],
        "ActionGeo_Lat": row["place_lat"],
        "ActionGeo_Long": row["place_lon"],
        "PLOVER": row["plover"],
        "Confidence": row["confidence"],
    }


# flat record (GeoJSON properties, Parquet) ---------------------------------------------------------
def flat_record(row: Row, mentions: Sequence[Row]) -> Row:
    return {
        "id": row["id"],
        "plover": row["plover"],
        **{k: row[k] for k in TYPE_COLUMNS},
        "date_start": row["date_start"],
        "date_end": row["date_end"],
        "date_precision": row["date_precision"],
        "place_name": row["place_name"],
        "latitude": row["place_lat"],
        "longitude": row["place_lon"],
        "place_precision": row["place_precision"],
        "country": row["place_country"],
        "admin1": row["place_admin1"],
        "actors": row["actors_text"],
        "actor_codes": "; ".join(a["code"] or "" for a in row["actors"] or []),
        "recipients": row["recipients_text"],
        "recipient_codes": "; ".join(a["code"] or "" for a in row["recipients"] or []),
        "fatalities": row["fatalities"],
        "size": row["size"],
        "confidence": row["confidence"],
        "n_reports": row["n_events"],
        "n_articles": row["n_articles"],
        "sources": "; ".join(row["sources"] or []),
        "evidence": " | ".join(dict.fromkeys(m["sentence"] for m in mentions)),
    }


# writers ------------------------------------------------------------------------------------------
Records = list[tuple[Row, list[Row]]]


def _jsonl(records: Records) -> str:
    return "".join(json.dumps(plover_record(r, m), ensure_ascii=False) + "\n" for r, m in records)


def _delimited(
    records: Records, columns: Sequence[str], make: Callable[[Row, Sequence[Row]], Row], sep: str
) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=sep, lineterminator="\n")
    writer.writeheader()
    for row, mentions in records:
        record = make(row, mentions)
        writer.writerow({k: "" if record[k] is None else record[k] for k in columns})
    return out.getvalue()


def _geojson(records: Records) -> str:
    features = []
    for row, mentions in records:
        if row["place_lat"] is None or row["place_lon"] is None:
            continue
        properties = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in flat_record(row, mentions).items()
        }
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["place_lon"], row["place_lat"]]},
                "properties": properties,
            }
        )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"
    )


FLAT_TYPES = {
    "date_start": "date",
    "date_end": "date",
    "score": "float",
    "latitude": "float",
    "longitude": "float",
    "confidence": "float",
    "quad": "int",
    "fatalities": "int",
    "size": "int",
    "n_reports": "int",
    "n_articles": "int",
}
FLAT_COLUMNS = [
    "id",
    "plover",
    "mode",
    "context",
    "cameo",
    "quad",
    "score",
    "acled_type",
    "acled_subtype",
    "date_start",
    "date_end",
    "date_precision",
    "place_name",
    "latitude",
    "longitude",
    "place_precision",
    "country",
    "admin1",
    "actors",
    "actor_codes",
    "recipients",
    "recipient_codes",
    "fatalities",
    "size",
    "confidence",
    "n_reports",
    "n_articles",
    "sources",
    "evidence",
]


def _parquet(records: Records, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"date": pa.date32(), "float": pa.float64(), "int": pa.int64()}
    schema = pa.schema([(name, kinds.get(FLAT_TYPES.get(name, ""), pa.string())) for name in FLAT_COLUMNS])
    rows = [flat_record(r, m) for r, m in records]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)


FORMATS = ("plover", "acled", "cameo", "geojson", "parquet")


def export(records: Records, fmt: str, out: Path | None) -> str | None:
    """Write `records` in `fmt` to `out`; text formats are returned when `out` is None."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise ExportError("parquet is binary: give --out FILE")
        try:
            _parquet(records, out)
        except OSError as err:
            raise ExportError(f"{out}: cannot write: {err}") from err
        return None
    text = {
        "plover": lambda: _jsonl(records),
        "acled": lambda: _delimited(records, ACLED_COLUMNS, acled_record, ","),
        "cameo": lambda: _delimited(records, CAMEO_COLUMNS, cameo_record, "\t"),
        "geojson": lambda: _geojson(records),
    }[fmt]()
    if out is None:
        return text
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise ExportError(f"{out}: cannot write: {err}") from err
    return None
