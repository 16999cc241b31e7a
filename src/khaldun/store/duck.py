"""The DuckDB store: articles, events, event actors, places and failures.

Each article is written in one transaction, so a crash mid-batch never leaves half an
article; re-running skips articles whose id (a hash of the text) is already stored, unless
asked to recode, in which case the article's old rows are replaced in that same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from khaldun.model import ActorRef, CodedArticle, Event, Failure, Span

SCHEMA_VERSION = 2

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS articles (
        id VARCHAR PRIMARY KEY, source VARCHAR, title VARCHAR, published DATE, url VARCHAR,
        language VARCHAR, fmt VARCHAR, text VARCHAR, coded_at TIMESTAMP, seconds DOUBLE,
        n_events INTEGER, outlet VARCHAR)""",
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS outlet VARCHAR",
    """CREATE TABLE IF NOT EXISTS events (
        id VARCHAR PRIMARY KEY, article_id VARCHAR, plover VARCHAR, mode VARCHAR, context VARCHAR,
        cameo VARCHAR, quad INTEGER, score DOUBLE, acled_type VARCHAR, acled_subtype VARCHAR,
        modality VARCHAR, counted BOOLEAN, is_symmetric BOOLEAN, confidence DOUBLE,
        date_start DATE, date_end DATE, date_precision VARCHAR, date_text VARCHAR,
        place_name VARCHAR, place_lat DOUBLE, place_lon DOUBLE, place_precision VARCHAR,
        place_geonameid BIGINT, place_country VARCHAR, place_admin1 VARCHAR, place_source VARCHAR,
        place_radius_km DOUBLE, sentence VARCHAR, sentence_start INTEGER, sentence_end INTEGER,
        trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
        actors_text VARCHAR, recipients_text VARCHAR, evidence JSON, mentions JSON, notes JSON,
        fatalities INTEGER, size INTEGER)""",
    # files written by schema 1 get the columns added since, at the end, as in a new file
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS fatalities INTEGER",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS size INTEGER",
    """CREATE TABLE IF NOT EXISTS event_actors (
        event_id VARCHAR, role VARCHAR, position INTEGER, actor_id VARCHAR, name VARCHAR,
        code VARCHAR, kind VARCHAR, country VARCHAR, sector VARCHAR, via VARCHAR,
        span_start INTEGER, span_end INTEGER, confidence DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS actor_mentions (
        article_id VARCHAR, name VARCHAR, code VARCHAR, kind VARCHAR, actor_id VARCHAR,
        country VARCHAR, sector VARCHAR, via VARCHAR, span_start INTEGER, span_end INTEGER,
        confidence DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS places (
        article_id VARCHAR, name VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR,
        geonameid BIGINT, country VARCHAR, admin1 VARCHAR, feature VARCHAR, relation VARCHAR,
        span_start INTEGER, span_end INTEGER, surface VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS merged_events (
        id VARCHAR PRIMARY KEY, plover VARCHAR, mode VARCHAR, context VARCHAR, cameo VARCHAR,
        quad INTEGER, score DOUBLE, acled_type VARCHAR, acled_subtype VARCHAR,
        date_start DATE, date_end DATE, date_precision VARCHAR,
        place_name VARCHAR, place_lat DOUBLE, place_lon DOUBLE, place_precision VARCHAR,
        place_geonameid BIGINT, place_country VARCHAR, place_admin1 VARCHAR,
        actors JSON, recipients JSON, actors_text VARCHAR, recipients_text VARCHAR,
        fatalities INTEGER, size INTEGER, confidence DOUBLE, n_events INTEGER, n_articles INTEGER,
        sources JSON, first_published DATE, last_published DATE, alternatives JSON, lead_event VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS event_mentions (
        merged_id VARCHAR, event_id VARCHAR, article_id VARCHAR, source VARCHAR, published DATE,
        sentence VARCHAR, trigger_text VARCHAR, confidence DOUBLE, lead BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS failures (
        source VARCHAR, reason VARCHAR, article_id VARCHAR, failed_at TIMESTAMP)""",
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _bounds(span: Span | None) -> tuple[int | None, int | None]:
    """Start and end offsets of an optional span, as two columns."""
    return (span.start, span.end) if span else (None, None)


def _domain(url: str | None) -> str | None:
    """The site a URL belongs to, as the outlet when nothing better is known."""
    if not url:
        return None
    from urllib.parse import urlparse

    host = urlparse(url).hostname
    return host.removeprefix("www.") if host else None


def _rows(cursor: Any) -> list[dict[str, Any]]:
    """The rows of a DuckDB cursor as dicts keyed by column name."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


class StoreError(Exception):
    """The database file cannot be opened or written; the message says which and why."""


class Store:
    """A khaldun database file (created with its schema on first open)."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open the database: {err}") from err
        if not read_only:
            for statement in SCHEMA:
                self.con.execute(statement)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def has_article(self, article_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        return row is not None

    def save(self, coded: CodedArticle) -> None:
        """Write one article and all it produced, atomically, replacing an older coding."""
        article = coded.article
        with self._transaction():
            self._delete_article(article.id)
            self.con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article.id,
                    article.source,
                    article.title,
                    article.published,
                    article.url,
                    article.language,
                    article.fmt,
                    article.text,
                    _now(),
                    coded.seconds,
                    len(coded.events),
                    article.outlet or _domain(article.url),
                ],
            )
            for event in coded.events:
                self._insert_event(event)
            for ref in coded.actors:
                span = ref.span
                self.con.execute(
                    "INSERT INTO actor_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.id,
                        ref.name,
                        ref.code,
                        ref.kind,
                        ref.actor_id,
                        ref.country,
                        ref.sector,
                        ref.via,
                        *_bounds(span),
                        ref.confidence,
                    ],
                )
            for place in coded.places:
                span = place.span
                self.con.execute(
                    "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.id,
                        place.name,
                        place.lat,
                        place.lon,
                        place.precision,
                        place.geonameid,
                        place.country,
                        place.admin1,
                        place.feature,
                        place.relation,
                        *_bounds(span),
                        span.text if span else None,
                    ],
                )

    def _delete_article(self, article_id: str) -> None:
        self.con.execute(
            "DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
            [article_id],
        )
        for table, column in (
            ("events", "article_id"),
            ("places", "article_id"),
            ("actor_mentions", "article_id"),
            ("articles", "id"),
        ):
            self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [article_id])

    def _insert_event(self, event: Event) -> None:
        place, when, etype = event.place, event.when, event.type
        self.con.execute(
            "INSERT OR REPLACE INTO events VALUES (" + ", ".join(["?"] * 40) + ")",
            [
                event.id,
                event.article_id,
                etype.plover,
                etype.mode,
                etype.context,
                etype.cameo,
                etype.quad,
                etype.score,
                etype.acled_type,
                etype.acled_subtype,
                event.modality,
                event.counted,
                event.symmetric,
                event.confidence,
                when.start,
                when.end,
                when.precision,
                when.text,
                place.name if place else None,
                place.lat if place else None,
                place.lon if place else None,
                place.precision if place else None,
                place.geonameid if place else None,
                place.country if place else None,
                place.admin1 if place else None,
                place.source if place else None,
                place.radius_km if place else None,
                event.sentence.text,
                event.sentence.start,
                event.sentence.end,
                event.trigger.text,
                event.trigger.start,
                event.trigger.end,
                "; ".join(a.name for a in event.actors),
                "; ".join(r.name for r in event.recipients),
                json.dumps([asdict(s) for s in event.evidence_spans]),
                json.dumps([asdict(s) for s in event.mentions]),
                json.dumps(list(event.notes)),
                event.fatalities,
                event.size,
            ],
        )
        self.con.execute("DELETE FROM event_actors WHERE event_id = ?", [event.id])
        for role, refs in (("actor", event.actors), ("recipient", event.recipients)):
            for position, ref in enumerate(refs):
                self._insert_actor(event.id, role, position, ref)

    def _insert_actor(self, event_id: str, role: str, position: int, ref: ActorRef) -> None:
        span = ref.span
        self.con.execute(
            "INSERT INTO event_actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                event_id,
                role,
                position,
                ref.actor_id,
                ref.name,
                ref.code,
                ref.kind,
                ref.country,
                ref.sector,
                ref.via,
                *_bounds(span),
                ref.confidence,
            ],
        )

    def record_failure(self, failure: Failure) -> None:
        self.con.execute(
            "INSERT INTO failures VALUES (?, ?, ?, ?)",
            [failure.source, failure.reason, failure.article_id, _now()],
        )

    # queries ----------------------------------------------------------------------------------
    def events(
        self,
        *,
        actor: str | None = None,
        plover: str | None = None,
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
        all_modalities: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events as dicts, filtered; by default only counted (asserted/attempted) ones."""
        where: list[str] = []
        params: list[Any] = []
        if not all_modalities:
            where.append("e.counted")
        if actor:
            where.append(
                "e.id IN (SELECT event_id FROM event_actors WHERE lower(name) LIKE ? OR "
                "lower(code) LIKE ? OR lower(coalesce(actor_id, '')) LIKE ?)"
            )
            params += [f"%{actor.lower()}%"] * 3
        if plover:
            where.append("upper(e.plover) = ?")
            params.append(plover.upper())
        if place:
            where.append("lower(e.place_name) LIKE ?")
            params.append(f"%{place.lower()}%")
        if since:
            where.append("coalesce(e.date_end, a.published) >= ?")
            params.append(since)
        if until:
            where.append("coalesce(e.date_start, a.published) <= ?")
            params.append(until)
        sql = (
            "SELECT e.*, a.source AS article_source, a.published AS article_published "
            "FROM events e JOIN articles a ON a.id = e.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.published NULLS LAST, e.article_id, e.sentence_start, e.trigger_start"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        cursor = self.con.execute(sql, params)
        return _rows(cursor)

    def merge_inputs(self) -> list[dict[str, Any]]:
        """Counted events with their article's source and date, and their actors, for merging."""
        rows = _rows(
            self.con.execute(
                "SELECT e.*, coalesce(a.outlet, a.source) AS article_source, "
                "a.published AS article_published "
                "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.counted"
            )
        )
        people = _rows(self.con.execute("SELECT * FROM event_actors ORDER BY event_id, role, position"))
        by_event: dict[str, list[dict[str, Any]]] = {}
        for person in people:
            by_event.setdefault(person["event_id"], []).append(person)
        for row in rows:
            row["_actors"] = by_event.get(row["id"], [])
        return rows

    def replace_merged(self, records: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> None:
        """Swap in a new merge in one transaction (the merge is rebuilt from all events)."""
        with self._transaction():
            self.con.execute("DELETE FROM merged_events")
            self.con.execute("DELETE FROM event_mentions")
            for r in records:
                self.con.execute(
                    "INSERT INTO merged_events VALUES (" + ", ".join(["?"] * 33) + ")",
                    [
                        r["id"],
                        r["plover"],
                        r["mode"],
                        r["context"],
                        r["cameo"],
                        r["quad"],
                        r["score"],
                        r["acled_type"],
                        r["acled_subtype"],
                        r["date_start"],
                        r["date_end"],
                        r["date_precision"],
                        r["place_name"],
                        r["place_lat"],
                        r["place_lon"],
                        r["place_precision"],
                        r["place_geonameid"],
                        r["place_country"],
                        r["place_admin1"],
                        json.dumps(r["actors"]),
                        json.dumps(r["recipients"]),
                        "; ".join(a["name"] for a in r["actors"]),
                        "; ".join(a["name"] for a in r["recipients"]),
                        r["fatalities"],
                        r["size"],
                        r["confidence"],
                        r["n_events"],
                        r["n_articles"],
                        json.dumps(r["sources"]),
                        r["first_published"],
                        r["last_published"],
                        json.dumps(r["alternatives"]),
                        r["lead_event"],
                    ],
                )
            for m in mentions:
                self.con.execute(
                    "INSERT INTO event_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        m["merged_id"],
                        m["event_id"],
                        m["article_id"],
                        m["source"],
                        m["published"],
                        m["sentence"],
                        m["trigger_text"],
                        m["confidence"],
                        m["lead"],
                    ],
                )

    def merged_events(
        self,
        *,
        actor: str | None = None,
        plover: str | None = None,
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[dict[str, Any]]:
        """Merged events as dicts (JSON columns decoded), filtered like `events`."""
        where: list[str] = []
        params: list[Any] = []
        if actor:
            # names and the codes/KB ids inside the JSON actor lists
            where.append("(lower(actors::VARCHAR) LIKE ? OR lower(recipients::VARCHAR) LIKE ?)")
            params += [f"%{actor.lower()}%"] * 2
        if plover:
            where.append("upper(plover) = ?")
            params.append(plover.upper())
        if place:
            where.append("lower(place_name) LIKE ?")
            params.append(f"%{place.lower()}%")
        if since:
            where.append("coalesce(date_end, last_published) >= ?")
            params.append(since)
        if until:
            where.append("coalesce(date_start, first_published) <= ?")
            params.append(until)
        sql = (
            "SELECT *, (SELECT string_agg(sentence, ' | ' ORDER BY published, event_id) "
            "FROM event_mentions m WHERE m.merged_id = merged_events.id) AS evidence FROM merged_events"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY coalesce(date_start, first_published) NULLS LAST, id"
        )
        rows = _rows(self.con.execute(sql, params))
        for row in rows:
            for column in ("actors", "recipients", "sources", "alternatives"):
                row[column] = json.loads(row[column]) if row[column] else None
        return rows

    def mentions_of(self, merged_id: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(
            "SELECT * FROM event_mentions WHERE merged_id = ? ORDER BY published, source, event_id",
            [merged_id],
        )
        return _rows(cursor)

    def unknown_actors(self, limit: int = 100) -> list[dict[str, Any]]:
        """Names the knowledge base does not know, most frequent first, with a guessed type."""
        cursor = self.con.execute(
            "SELECT name, any_value(sector) AS guessed_type, count(*) AS mentions, "
            "count(DISTINCT article_id) AS articles, any_value(via) AS found_by "
            "FROM actor_mentions WHERE kind = 'unknown' GROUP BY name "
            "ORDER BY mentions DESC, name LIMIT ?",
            [limit],
        )
        return _rows(cursor)

    def failures(self) -> list[dict[str, Any]]:
        cursor = self.con.execute("SELECT * FROM failures ORDER BY failed_at")
        return _rows(cursor)

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for table in (
            "articles",
            "events",
            "event_actors",
            "actor_mentions",
            "places",
            "merged_events",
            "event_mentions",
            "failures",
        ):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            result[table] = int(row[0]) if row else 0
        return result
