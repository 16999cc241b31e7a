"""FastAPI app: events, evidence, reviews, actors, places, the situation, exports, coding.

Reads are open unless `protect_reads`; every write needs the token (header
`Authorization: Bearer TOKEN` or `X-Khaldun-Token: TOKEN`). The DuckDB store is shared by the
request threads behind one lock: queries take milliseconds, and DuckDB wants one writer.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from khaldun.store import Store

STATIC = Path(__file__).parent / "static"
MODALITIES = ("asserted", "attempted", "negated", "hypothetical", "future", "reported")
PLOVER_TYPES = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]


class Correction(BaseModel):
    """What an analyst says about an event: confirm it, correct it, or reject it."""

    action: Literal["confirm", "correct", "reject"]
    plover: str | None = Field(default=None, description="Corrected PLOVER type")
    mode: str | None = None
    actors: list[str] | None = Field(default=None, description="Corrected actor names")
    recipients: list[str] | None = None
    place_name: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    reviewer: str = Field(default="analyst", max_length=100)
    note: str | None = Field(default=None, max_length=2000)


class NewArticle(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(default=None, max_length=1000)
    published: date | None = None
    source: str = Field(default="api", max_length=300)
    url: str | None = Field(default=None, max_length=2000)


class Workbench:
    """The store, its lock, the token and (lazily) the coding pipeline."""

    def __init__(self, db: Path, token: str | None, protect_reads: bool) -> None:
        self.db = db
        self.store = Store(db)
        self.lock = threading.Lock()
        self.token = token or secrets.token_urlsafe(18)
        self.protect_reads = protect_reads
        self._pipeline: Any = None

    @contextmanager
    def use(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

    def pipeline(self) -> Any:
        if self._pipeline is None:
            from khaldun.pipeline import Pipeline

            self._pipeline = Pipeline()
        return self._pipeline


def _given_token(authorization: str | None, header_token: str | None) -> str | None:
    if header_token:
        return header_token
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def create_app(db: Path, token: str | None = None, protect_reads: bool = False) -> FastAPI:
    """The workbench app over the database file `db` (created if missing)."""
    bench = Workbench(db, token, protect_reads)
    app = FastAPI(
        title="khaldun workbench",
        description="Events coded from conflict reporting: explore, review, correct, export.",
        version="1",
    )
    app.state.bench = bench

    def check(required: bool, authorization: str | None, header_token: str | None) -> None:
        if not required:
            return
        given = _given_token(authorization, header_token)
        if given is None:
            raise HTTPException(401, "this request needs the workbench token (Authorization: Bearer TOKEN)")
        if not secrets.compare_digest(given, bench.token):
            raise HTTPException(403, "wrong token")

    def reader(
        authorization: Annotated[str | None, Header()] = None,
        x_khaldun_token: Annotated[str | None, Header()] = None,
    ) -> None:
        check(bench.protect_reads, authorization, x_khaldun_token)

    def writer(
        authorization: Annotated[str | None, Header()] = None,
        x_khaldun_token: Annotated[str | None, Header()] = None,
    ) -> None:
        check(True, authorization, x_khaldun_token)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'] if p not in ('body', 'query', 'path'))}: {e['msg']}"
            for e in err.errors()
        ]
        return JSONResponse({"detail": "invalid request: " + "; ".join(problems)}, status_code=422)

    read = [Depends(reader)]
    write = [Depends(writer)]

    @app.get("/api/events", dependencies=read)
    def list_events(
        actor: str | None = None,
        type: str | None = Query(default=None, description="PLOVER type"),
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
        bbox: str | None = Query(default=None, description="west,south,east,north in degrees"),
        modality: str | None = None,
        limit: int = Query(default=100, ge=1, le=1000),
        offset: int = Query(default=0, ge=0),
    ) -> dict[str, Any]:
        """Coded events, filtered and paginated (counted ones unless a modality is asked)."""
        if type is not None and type.upper() not in PLOVER_TYPES:
            raise HTTPException(400, f"type {type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
        if modality is not None and modality not in MODALITIES:
            raise HTTPException(400, f"modality {modality!r} is not one of {', '.join(MODALITIES)}")
        if since and until and since > until:
            raise HTTPException(400, f"since {since} is after until {until}")
        box = _bbox(bbox)
        with bench.use() as store:
            total, rows = store.event_page(
                actor=actor,
                plover=type,
                place=place,
                since=since,
                until=until,
                bbox=box,
                modality=modality,
                limit=limit,
                offset=offset,
            )
        return {"total": total, "limit": limit, "offset": offset, "items": rows}

    @app.get("/api/events/{event_id}", dependencies=read)
    def one_event(event_id: str) -> dict[str, Any]:
        """One event with its evidence spans, actors, article text, other reports and reviews."""
        with bench.use() as store:
            event = store.event_detail(event_id)
        if event is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return event

    @app.post("/api/events/{event_id}/review", status_code=201, dependencies=write)
    def review(event_id: str, correction: Correction) -> dict[str, Any]:
        """Confirm, correct or reject; stored beside the coding with who and when."""
        changes = correction.model_dump(
            exclude={"action", "reviewer", "note"}, exclude_none=True, mode="json"
        )
        if correction.action == "correct" and not changes:
            raise HTTPException(
                400, "a correction must change something (plover, mode, actors, place, dates)"
            )
        if correction.action != "correct" and changes:
            raise HTTPException(400, f"'{correction.action}' takes no changes; use action 'correct'")
        if "plover" in changes and changes["plover"].upper() not in PLOVER_TYPES:
            raise HTTPException(400, f"plover {changes['plover']!r} is not a PLOVER type")
        if "plover" in changes:
            changes["plover"] = changes["plover"].upper()
        with bench.use() as store:
            try:
                return store.add_review(
                    event_id, correction.action, changes, correction.reviewer, correction.note
                )
            except KeyError:
                raise HTTPException(404, f"no event {event_id!r}") from None

    @app.get("/api/reviews", dependencies=read)
    def reviews() -> list[dict[str, Any]]:
        with bench.use() as store:
            return store.reviews()

    @app.get("/api/reviews/gold", dependencies=read)
    def reviews_as_gold() -> list[dict[str, Any]]:
        """Reviewed events as gold records in the format `khaldun eval plover --data` reads."""
        with bench.use() as store:
            return _gold_records(store)

    @app.get("/api/actors", dependencies=read)
    def actors(limit: int = Query(default=200, ge=1, le=5000)) -> list[dict[str, Any]]:
        with bench.use() as store:
            return store.actor_summary(limit)

    @app.get("/api/places", dependencies=read)
    def places(limit: int = Query(default=500, ge=1, le=5000)) -> list[dict[str, Any]]:
        with bench.use() as store:
            return store.place_summary(limit)

    @app.get("/api/situation", dependencies=read)
    def situation(since: date | None = None, until: date | None = None) -> dict[str, Any]:
        from khaldun.situation import build_situation

        with bench.use() as store:
            rows = store.merged_events(since=since, until=until)
        return build_situation(rows, as_of=until).to_json()

    @app.get("/api/export", dependencies=read)
    def export(
        format: str = Query(description="plover, acled, cameo or geojson"),
        since: date | None = None,
        until: date | None = None,
    ) -> Response:
        from khaldun.export import export as write_export

        if format not in {"plover", "acled", "cameo", "geojson"}:
            raise HTTPException(400, f"format {format!r}: use plover, acled, cameo or geojson")
        with bench.use() as store:
            rows = store.merged_events(since=since, until=until)
            records = [(r, store.mentions_of(r["id"])) for r in rows]
        text = write_export(records, format, None) or ""
        media = {
            "plover": "application/x-ndjson",
            "acled": "text/csv",
            "cameo": "text/tab-separated-values",
            "geojson": "application/geo+json",
        }[format]
        return PlainTextResponse(text, media_type=media)

    @app.post("/api/articles", status_code=201, dependencies=write)
    def code_article(article: NewArticle) -> dict[str, Any]:
        """Code a new article, store it, merge again; returns its counted events."""
        from khaldun.ingest.errors import IngestError
        from khaldun.ingest.readers import make_article
        from khaldun.merge import rebuild

        try:
            item = make_article(
                article.source,
                article.text,
                fmt="api",
                title=article.title,
                published=article.published,
                url=article.url,
            )
        except IngestError as err:
            raise HTTPException(422, str(err)) from None
        coded = bench.pipeline().code(item)
        with bench.use() as store:
            store.save(coded)
            rebuild(store)
        return {"article_id": item.id, "events": [e.to_dict() for e in coded.events if e.counted]}

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        with bench.use() as store:
            return {"ok": True, "db": str(bench.db), **store.counts()}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if raw is None:
        return None
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError:
        raise HTTPException(400, f"bbox {raw!r}: give west,south,east,north as four numbers") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(400, f"bbox {raw!r}: longitudes in -180..180, latitudes -90..90, south ≤ north")
    return west, south, east, north


def _gold_records(store: Store) -> list[dict[str, Any]]:
    """The latest review of each event, as PLOVER gold records (text, event, source, target)."""
    latest: dict[str, dict[str, Any]] = {}
    for review in store.reviews():
        latest[review["event_id"]] = review
    records = []
    for event_id, review in sorted(latest.items()):
        event = store.event_detail(event_id)
        if event is None:
            continue
        original, changes = review["original"], review["changes"]
        actors = changes.get("actors", original.get("actors", []))
        recipients = changes.get("recipients", original.get("recipients", []))
        records.append(
            {
                "id": event_id,
                "text": event["sentence"],
                "event": "NONE"
                if review["action"] == "reject"
                else changes.get("plover", original["plover"]),
                "mode": changes.get("mode", original.get("mode")),
                "source": [{"actorText": name} for name in actors],
                "target": [{"actorText": name} for name in recipients],
                "place": changes.get("place_name", original.get("place_name")),
                "date": {
                    "start": changes.get("date_start", original.get("date_start")),
                    "end": changes.get("date_end", original.get("date_end")),
                },
                "review": {
                    "action": review["action"],
                    "reviewer": review["reviewer"],
                    "at": str(review["reviewed_at"]),
                    "note": review["note"],
                },
            }
        )
    return records
