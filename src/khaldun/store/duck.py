"""The DuckDB store: articles, events, event actors, places and failures.

Each article is written in one transaction, so a crash mid-batch never leaves half an
article; re-running skips articles whose id (a hash of the text) is already stored, unless
asked to recode, in which case the article's old rows are replaced in that same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
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
    """CREATE TABLE IF NOT EXISTS reviews (
        id VARCHAR PRIMARY KEY, event_id VARCHAR, action VARCHAR, changes JSON, original JSON,
        reviewer VARCHAR, note VARCHAR, reviewed_at TIMESTAMP)""",
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


@dataclass(frozen=True)
class _FilterSql:
    """How one table answers the shared filters (actor, type, place, date range)."""

    actor: str  # a condition with one "?" per `actor_slots`
    actor_slots: int
    plover: str
    place: str
    end: str  # compared with `since`
    start: str  # compared with `until`


EVENT_FILTERS = _FilterSql(
    actor="e.id IN (SELECT event_id FROM event_actors WHERE lower(name) LIKE ? OR "
    "lower(code) LIKE ? OR lower(coalesce(actor_id, '')) LIKE ?)",
    actor_slots=3,
    plover="e.plover",
    place="e.place_name",
    end="coalesce(e.date_end, a.published)",
    start="coalesce(e.date_start, e.date_end, a.published)",  # an open start: by its end
)
MERGED_FILTERS = _FilterSql(
    # names and the codes/KB ids inside the JSON actor lists
    actor="(lower(actors::VARCHAR) LIKE ? OR lower(recipients::VARCHAR) LIKE ?)",
    actor_slots=2,
    plover="plover",
    place="place_name",
    end="coalesce(date_end, last_published)",
    start="coalesce(date_start, first_published)",
)


def _filters(
    sql: _FilterSql,
    actor: str | None,
    plover: str | None,
    place: str | None,
    since: date | None,
    until: date | None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions and their parameters for the filters every event query offers."""
    where: list[str] = []
    params: list[Any] = []
    if actor:
        where.append(sql.actor)
        params += [f"%{actor.lower()}%"] * sql.actor_slots
    if plover:
        where.append(f"upper({sql.plover}) = ?")
        params.append(plover.upper())
    if place:
        where.append(f"lower({sql.place}) LIKE ?")
        params.append(f"%{place.lower()}%")
    if since:
        where.append(f"{sql.end} >= ?")
        params.append(since)
    if until:
        where.append(f"{sql.start} <= ?")
        params.append(until)
    return where, params


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
        filters = _filters(EVENT_FILTERS, actor, plover, place, since, until)
        where += filters[0]
        params += filters[1]
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
        """Swap in a new merge in one transaction (the merge is rebuilt from all events).

        Rows go in as two Arrow tables, in bulk: row-by-row inserts took 11 s for 14,000 rows."""
        merged_rows = [
            {
                **r,  # columns of the same name; `_bulk_insert` takes the table's columns only
                "actors": json.dumps(r["actors"]),
                "recipients": json.dumps(r["recipients"]),
                "actors_text": "; ".join(a["name"] for a in r["actors"]),
                "recipients_text": "; ".join(a["name"] for a in r["recipients"]),
                "sources": json.dumps(r["sources"]),
                "alternatives": json.dumps(r["alternatives"]),
            }
            for r in records
        ]
        with self._transaction():
            self.con.execute("DELETE FROM merged_events")
            self.con.execute("DELETE FROM event_mentions")
            self._bulk_insert("merged_events", merged_rows)
            self._bulk_insert("event_mentions", mentions)

    def _bulk_insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        import pyarrow as pa

        columns = [c[0] for c in self.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        incoming = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        self.con.register("incoming_rows", incoming)
        try:
            self.con.execute(f"INSERT INTO {table} SELECT * FROM incoming_rows")
        finally:
            self.con.unregister("incoming_rows")

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
        where, params = _filters(MERGED_FILTERS, actor, plover, place, since, until)
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

    # workbench queries -------------------------------------------------------------------------
    def event_page(
        self,
        *,
        actor: str | None = None,
        plover: str | None = None,
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        modality: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """One page of coded events (newest reporting first) and the number matching in all.

        Without `modality`, only counted (asserted/attempted) events; each row carries the id of
        the merged event it belongs to and the latest review of it, if any."""
        where: list[str] = []
        params: list[Any] = []
        if modality:
            where.append("e.modality = ?")
            params.append(modality)
        else:
            where.append("e.counted")
        filters = _filters(EVENT_FILTERS, actor, plover, place, since, until)
        where += filters[0]
        params += filters[1]
        if bbox:
            west, south, east, north = bbox
            where.append("e.place_lon BETWEEN ? AND ? AND e.place_lat BETWEEN ? AND ?")
            params += [west, east, south, north]
        clause = " WHERE " + " AND ".join(where)
        base = "FROM events e JOIN articles a ON a.id = e.article_id" + clause
        total_row = self.con.execute("SELECT count(*) " + base, params).fetchone()
        rows = _rows(
            self.con.execute(
                "SELECT e.id, e.article_id, e.plover, e.mode, e.cameo, e.quad, e.modality, e.confidence, "
                "e.date_start, e.date_end, e.date_precision, e.place_name, e.place_lat, e.place_lon, "
                "e.place_precision, e.actors_text, e.recipients_text, e.trigger_text, e.sentence, "
                "e.fatalities, coalesce(a.outlet, a.source) AS source, a.published, a.title, "
                "(SELECT merged_id FROM event_mentions m WHERE m.event_id = e.id LIMIT 1) AS merged_id, "
                "(SELECT r.action FROM reviews r WHERE r.event_id = e.id ORDER BY r.reviewed_at DESC "
                "LIMIT 1) AS review "
                + base
                + " ORDER BY coalesce(e.date_start, e.date_end, a.published) DESC NULLS LAST, e.id"
                + " LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        )
        return (int(total_row[0]) if total_row else 0), rows

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """One coded event with its actors, evidence, article text, merged siblings and reviews."""
        rows = _rows(
            self.con.execute(
                "SELECT e.*, coalesce(a.outlet, a.source) AS source, a.published, a.title, a.url, "
                "a.text AS article_text FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id = ?",
                [event_id],
            )
        )
        if not rows:
            return None
        event = rows[0]
        for column in ("evidence", "mentions", "notes"):
            event[column] = json.loads(event[column]) if event[column] else []
        event["actors"] = _rows(
            self.con.execute(
                "SELECT role, position, actor_id, name, code, kind, country, sector, via, span_start, "
                "span_end FROM event_actors WHERE event_id = ? ORDER BY role, position",
                [event_id],
            )
        )
        merged = self.con.execute(
            "SELECT merged_id FROM event_mentions WHERE event_id = ?", [event_id]
        ).fetchone()
        event["merged_id"] = merged[0] if merged else None
        event["reports"] = self.mentions_of(merged[0]) if merged else []
        event["reviews"] = self.reviews(event_id)
        return event

    def reviews(self, event_id: str | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT * FROM reviews"
            + (" WHERE event_id = ?" if event_id else "")
            + " ORDER BY reviewed_at, id"
        )
        rows = _rows(self.con.execute(sql, [event_id] if event_id else []))
        for row in rows:
            row["changes"] = json.loads(row["changes"]) if row["changes"] else {}
            row["original"] = json.loads(row["original"]) if row["original"] else {}
        return rows

    def add_review(
        self, event_id: str, action: str, changes: dict[str, Any], reviewer: str, note: str | None
    ) -> dict[str, Any]:
        """Store a review beside the coding; the coded event itself is never overwritten."""
        event = self.event_detail(event_id)
        if event is None:
            raise KeyError(event_id)
        original = {
            "plover": event["plover"],
            "mode": event["mode"],
            "actors": [a["name"] for a in event["actors"] if a["role"] == "actor"],
            "recipients": [a["name"] for a in event["actors"] if a["role"] == "recipient"],
            "place_name": event["place_name"],
            "date_start": str(event["date_start"]) if event["date_start"] else None,
            "date_end": str(event["date_end"]) if event["date_end"] else None,
        }
        now = _now()
        review_id = f"{event_id}-{now.strftime('%Y%m%d%H%M%S%f')}"
        self.con.execute(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [review_id, event_id, action, json.dumps(changes), json.dumps(original), reviewer, note, now],
        )
        return self.reviews(event_id)[-1]

    def _select(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        return _rows(self.con.execute(sql, params))

    def actor_summary(self, limit: int = 200) -> list[dict[str, Any]]:
        return self._select(
            "SELECT coalesce(actor_id, code, name) AS key, any_value(name) AS name, any_value(code) AS code, "
            "any_value(kind) AS kind, count(DISTINCT event_id) AS events, "
            "count(DISTINCT event_id) FILTER (WHERE role = 'actor') AS as_actor, "
            "count(DISTINCT event_id) FILTER (WHERE role = 'recipient') AS as_recipient "
            "FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE counted) "
            "GROUP BY key ORDER BY events DESC, name LIMIT ?",
            [limit],
        )

    def place_summary(self, limit: int = 500) -> list[dict[str, Any]]:
        return self._select(
            "SELECT place_name AS name, any_value(place_lat) AS lat, any_value(place_lon) AS lon, "
            "any_value(place_precision) AS precision, any_value(place_country) AS country, "
            "count(*) AS events FROM events WHERE counted AND place_name IS NOT NULL "
            "GROUP BY place_name ORDER BY events DESC, name LIMIT ?",
            [limit],
        )

    def unknown_actors(self, limit: int = 100) -> list[dict[str, Any]]:
        """Names the knowledge base does not know, most frequent first, with a guessed type."""
        return self._select(
            "SELECT name, any_value(sector) AS guessed_type, count(*) AS mentions, "
            "count(DISTINCT article_id) AS articles, any_value(via) AS found_by "
            "FROM actor_mentions WHERE kind = 'unknown' GROUP BY name "
            "ORDER BY mentions DESC, name LIMIT ?",
            [limit],
        )

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
