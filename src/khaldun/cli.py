"""The `khaldun` command line: code, events, failures, eval."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from khaldun.config import DEFAULT_DB, shared_dir
from khaldun.model import Article, CodedArticle, Failure

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="khaldun: code conflict reporting into checkable events."
)
eval_app = typer.Typer(no_args_is_help=True, help="Score khaldun on gold data written by others.")
app.add_typer(eval_app, name="eval")
actors_app = typer.Typer(
    help="The actor knowledge base: show, search, validate; unknown actors met in coding."
)
app.add_typer(actors_app, name="actors")
# Tables are wide; when the output goes to a file or a pipe, do not squeeze them to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file to use.")]
SharedOption = Annotated[
    Path | None, typer.Option("--shared", help="The shared folder (default: $KHALDUN_SHARED or ../shared).")
]
PloverGold = Annotated[
    Path | None,
    typer.Option("--data", help="PLOVER gold records (default: ../shared/data/plover/PLOVER_GSR_CAMEO.txt)."),
]


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)", param_hint=option) from None


@app.command()
def code(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt .html .jsonl .json .csv .rss/.atom/.xml")
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for sources that carry none.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the coded events as JSON lines.")] = False,
    recode: Annotated[bool, typer.Option(help="Code again articles already in the store.")] = False,
    text_column: Annotated[str | None, typer.Option(help="Text field of JSONL/CSV records.")] = None,
) -> None:
    """Code articles into events and store them (one transaction per article)."""
    from khaldun.ingest import read_inputs
    from khaldun.pipeline import Pipeline
    from khaldun.store import Store, StoreError

    day = _parse_day(published, "--published")
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        err_console.print(f"[red]skipped[/red] {path}: no such file or folder")
    try:
        store = Store(db)
    except StoreError as err:
        err_console.print(f"[red]error[/red] {err}")
        raise typer.Exit(2) from None
    items = list(read_inputs([p for p in paths if p.exists()], day, text_column))
    coded = skipped = failed = n_events = 0
    todo: list[Article | Failure] = []
    for item in items:
        if isinstance(item, Failure):
            todo.append(item)
        elif not recode and store.has_article(item.id):
            skipped += 1
        else:
            todo.append(item)
    pipeline = Pipeline()
    show_bar = sum(1 for t in todo if not isinstance(t, Failure)) > 3 and not as_json
    progress = Progress(
        TextColumn("coding"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not show_bar,
    )
    with progress:
        task = progress.add_task("coding", total=len(todo))
        for result in pipeline.code_many(todo):
            progress.advance(task)
            if isinstance(result, Failure):
                failed += 1
                store.record_failure(result)
                err_console.print(f"[yellow]failed[/yellow] {result.source}: {result.reason}")
                continue
            store.save(result)
            coded += 1
            n_events += sum(1 for e in result.events if e.counted)
            if as_json:
                _print_json_events(result)
    from khaldun.merge import rebuild

    merged = rebuild(store)
    store.close()
    err_console.print(
        f"coded {coded} article(s), {n_events} event(s) into {db}; "
        f"{skipped} already coded (use --recode), {failed + len(missing)} failed; "
        f"{merged} merged event(s) across all articles"
    )


def _print_json_events(result: CodedArticle) -> None:
    for event in result.events:
        sys.stdout.write(json.dumps(event.to_dict(), default=str, ensure_ascii=False) + "\n")


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[str | None, typer.Option(help="Actor name, code or id (substring).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    place: Annotated[str | None, typer.Option(help="Place name (substring).")] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this date.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    all_modalities: Annotated[
        bool, typer.Option("--all", help="Also negated/hypothetical/future events.")
    ] = False,
) -> None:
    """List stored events."""
    from khaldun.store import Store, StoreError

    if fmt not in {"table", "json", "csv"}:
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    if not db.exists():
        err_console.print(f"[red]error[/red] {db}: no such database (run `khaldun code` first)")
        raise typer.Exit(2)
    try:
        with Store(db, read_only=True) as store:
            rows = store.events(
                actor=actor,
                plover=type_,
                place=place,
                since=_parse_day(since, "--since"),
                until=_parse_day(until, "--until"),
                all_modalities=all_modalities,
            )
    except StoreError as err:
        err_console.print(f"[red]error[/red] {err}")
        raise typer.Exit(2) from None
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        _write_csv(rows)
    else:
        _print_table(rows)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: v for k, v in row.items()})
    sys.stdout.write(buffer.getvalue())


def _when_text(row: dict[str, Any]) -> str:
    start, end, precision = row["date_start"], row["date_end"], row["date_precision"]
    if start is None:
        return f"? ({precision})"
    return f"{start}" + (f"..{end}" if end and end != start else "") + f" ({precision})"


def _print_table(rows: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(rows)} event(s)", show_lines=True, expand=True)
    for name, style in (
        ("type", "bold"),
        ("actors → recipients", ""),
        ("where", "green"),
        ("when", "cyan"),
        ("modality", ""),
        ("evidence", "dim"),
    ):
        table.add_column(name, style=style, overflow="fold")
    for row in rows:
        kind = row["plover"] + (f"\n{row['mode']}" if row["mode"] else "") + f"\nCAMEO {row['cameo'] or '-'}"
        place = "-"
        if row["place_name"]:
            coords = f"{row['place_lat']:.2f}, {row['place_lon']:.2f}"
            place = f"{row['place_name']}\n{coords}\n({row['place_precision']}"
            place += ", from article)" if row["place_source"] == "article" else ")"
        parties = f"{row['actors_text'] or '?'}\n→ {row['recipients_text'] or '-'}"
        table.add_row(
            kind,
            parties,
            place,
            _when_text(row),
            f"{row['modality']}\n{row['confidence']:.2f}",
            row["sentence"],
        )
    console.print(table)


@actors_app.callback(invoke_without_command=True)
def actors_main(
    ctx: typer.Context,
    unknown: Annotated[
        bool, typer.Option("--unknown", help="List actors met in coding that the KB lacks.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Without a sub-command: a summary of the knowledge base, or with --unknown the names
    coded articles mention that the knowledge base does not know (to add them)."""
    if ctx.invoked_subcommand is not None:
        return
    if unknown:
        from khaldun.store import Store

        if not db.exists():
            err_console.print(f"[red]error[/red] {db}: no such database (run `khaldun code` first)")
            raise typer.Exit(2)
        with Store(db, read_only=True) as store:
            rows = store.unknown_actors()
        table = Table(title=f"{len(rows)} unknown actor name(s) — add them to src/khaldun/data/actors/*.yaml")
        for column in ("name", "guessed type", "mentions", "articles", "found by"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                str(row["name"]),
                str(row["guessed_type"]),
                str(row["mentions"]),
                str(row["articles"]),
                str(row["found_by"]),
            )
        console.print(table)
        return
    from collections import Counter

    from khaldun.actors import get_kb

    kb = get_kb()
    kinds = Counter("state" if e.state else e.type for e in kb.entries.values())
    table = Table(title=f"actor knowledge base: {len(kb.entries)} entries, {len(kb.index)} alias keys")
    table.add_column("type")
    table.add_column("entries", justify="right")
    for kind, count in kinds.most_common():
        table.add_row(kind, str(count))
    console.print(table)


def _actor_row(entry: object) -> list[str]:
    from khaldun.actors.kb import ActorEntry

    assert isinstance(entry, ActorEntry)
    names = "; ".join(f"{n.name} ({n.start or '…'}–{n.end or '…'})" for n in entry.names)
    return [
        entry.id,
        entry.name,
        entry.cameo,
        entry.type,
        entry.country or "-",
        ", ".join(entry.aliases[:6]),
        names,
    ]


@actors_app.command("show")
def actors_show(actor_id: Annotated[str, typer.Argument(help="Knowledge-base id, e.g. SYR_HTS.")]) -> None:
    """One actor with its aliases, name history and affiliations."""
    from khaldun.actors import get_kb

    entry = get_kb().entries.get(actor_id)
    if entry is None:
        err_console.print(f"[red]error[/red] no actor with id {actor_id!r} (try `khaldun actors search`)")
        raise typer.Exit(2)
    where = entry.country or "no country"
    console.print(f"[bold]{entry.id}[/bold] {entry.name} — {entry.cameo} ({entry.type}, {where})")
    console.print("aliases: " + ", ".join(entry.aliases))
    for period in entry.names:
        console.print(f"name {period.name}: {period.start or '…'} – {period.end or '…'}")
    for affiliation in entry.affiliations:
        console.print(f"affiliation: {affiliation}")
    if entry.descriptors:
        console.print("descriptors: " + ", ".join(entry.descriptors))


@actors_app.command("search")
def actors_search(text: Annotated[str, typer.Argument(help="Part of a name, an alias or a code.")]) -> None:
    """Actors whose id, name, alias or code contains the text."""
    from khaldun.actors import get_kb

    needle = text.lower()
    table = Table(title=f"actors matching {text!r}")
    for column in ("id", "name", "code", "type", "country", "aliases", "name history"):
        table.add_column(column, overflow="fold")
    for entry in get_kb().entries.values():
        haystack = " ".join([entry.id, entry.name, entry.cameo, *entry.aliases]).lower()
        if needle in haystack:
            table.add_row(*_actor_row(entry))
    console.print(table)


@actors_app.command("validate")
def actors_validate() -> None:
    """Check the knowledge base: ambiguous aliases, malformed codes. Exit 1 on problems."""
    from khaldun.actors.kb import load_kb

    try:
        kb = load_kb()
    except ValueError as err:
        err_console.print(f"[red]invalid[/red] {err}")
        raise typer.Exit(1) from None
    problems = kb.validate()
    for problem in problems:
        console.print(f"[yellow]problem[/yellow] {problem}")
    print(f"actors validate: entries={len(kb.entries)} problems={len(problems)}")
    if problems:
        raise typer.Exit(1)


ActorFilter = Annotated[str | None, typer.Option(help="Actor name, code or id (substring).")]
TypeFilter = Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")]
PlaceFilter = Annotated[str | None, typer.Option(help="Place name (substring).")]
SinceFilter = Annotated[str | None, typer.Option(help="Events on or after this date (YYYY-MM-DD).")]
UntilFilter = Annotated[str | None, typer.Option(help="Events on or before this date (YYYY-MM-DD).")]


def _open_existing(db: Path, read_only: bool = True) -> Any:
    from khaldun.store import Store, StoreError

    if not db.exists():
        err_console.print(f"[red]error[/red] {db}: no such database (run `khaldun code` first)")
        raise typer.Exit(2)
    try:
        return Store(db, read_only=read_only)
    except StoreError as err:
        err_console.print(f"[red]error[/red] {err}")
        raise typer.Exit(2) from None


def _merged_rows(
    db: Path, actor: str | None, type_: str | None, place: str | None, since: str | None, until: str | None
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    with _open_existing(db) as store:
        rows = store.merged_events(
            actor=actor,
            plover=type_,
            place=place,
            since=_parse_day(since, "--since"),
            until=_parse_day(until, "--until"),
        )
        mentions = {row["id"]: store.mentions_of(row["id"]) for row in rows}
    return rows, mentions


@app.command()
def merge(
    db: DbOption = DEFAULT_DB,
    km: Annotated[
        float | None, typer.Option(min=0, help="Places at most this far apart (default 25).")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=0, help="Dates at most this many days apart (default 1).")
    ] = None,
) -> None:
    """Merge reports of the same event across articles (rebuilt from all events; deterministic)."""
    from dataclasses import replace as with_values

    from khaldun.merge import default_settings, rebuild

    settings = default_settings()
    if km is not None:
        settings = with_values(settings, max_km=km)
    if days is not None:
        settings = with_values(settings, max_days=days)
    with _open_existing(db, read_only=False) as store:
        merged = rebuild(store, settings)
        counts = store.counts()
    console.print(
        f"{counts['events']} coded event(s) → {merged} merged event(s) ({counts['event_mentions']} reports)"
    )


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="plover, acled, cameo, geojson or parquet.")],
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option(help="Output file (default: standard output).")] = None,
    actor: ActorFilter = None,
    type_: TypeFilter = None,
    place: PlaceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Export merged events: PLOVER JSONL, ACLED-style CSV, CAMEO/GDELT-like TSV, GeoJSON, Parquet."""
    from khaldun.export import FORMATS, ExportError
    from khaldun.export import export as write_export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    rows, mentions = _merged_rows(db, actor, type_, place, since, until)
    try:
        text = write_export([(r, mentions[r["id"]]) for r in rows], fmt, out)
    except ExportError as err:
        err_console.print(f"[red]error[/red] {err}")
        raise typer.Exit(2) from None
    if text is not None:
        sys.stdout.write(text)
    else:
        err_console.print(f"wrote {len(rows)} merged event(s) to {out} ({fmt})")


@app.command()
def situation(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, json or graphml.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Output file for json/graphml (default: stdout).")] = None,
    actor: ActorFilter = None,
    type_: TypeFilter = None,
    place: PlaceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """The situation: actor network, cooperation and conflict by dyad, places, roads, trends."""
    from khaldun.situation import build_situation

    if fmt not in {"table", "json", "graphml"}:
        raise typer.BadParameter("use table, json or graphml", param_hint="--format")
    rows, _ = _merged_rows(db, actor, type_, place, since, until)
    picture = build_situation(rows, as_of=_parse_day(until, "--until"))
    if fmt == "graphml":
        import networkx as nx

        buffer = io.BytesIO()
        nx.write_graphml(picture.graphml_graph(), buffer)
        text = buffer.getvalue().decode("utf-8")
    elif fmt == "json":
        text = json.dumps(picture.to_json(), ensure_ascii=False, indent=1) + "\n"
    else:
        _print_situation(picture)
        return
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote the situation to {out} ({fmt})")


def _print_situation(picture: Any) -> None:
    table = Table(title="dyads (merged events between two actors)")
    for column in ("actor", "actor", "cooperation", "conflict", "types", "where"):
        table.add_column(column, justify="right" if column in {"cooperation", "conflict"} else "left")
    for dyad in picture.dyads:
        table.add_row(
            picture.names[dyad.a],
            picture.names[dyad.b],
            str(dyad.cooperation),
            str(dyad.conflict),
            ", ".join(f"{t} {n}" for t, n in dyad.types.most_common()),
            ", ".join(p for p, _ in dyad.places.most_common(3)),
        )
    console.print(table)
    for line in picture.summary():
        console.print(line, highlight=False, markup=False)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Interface to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    protect_reads: Annotated[bool, typer.Option(help="Ask for the token on reads too.")] = False,
) -> None:
    """The workbench: web page and HTTP API (OpenAPI at /docs). Writes need a token:
    $KHALDUN_TOKEN, or one generated and printed here."""
    import os

    import uvicorn

    from khaldun.web import create_app

    token = os.environ.get("KHALDUN_TOKEN") or None
    workbench = create_app(db, token=token, protect_reads=protect_reads)
    console.print(f"khaldun workbench on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if token is None:
        console.print(f"write token (reviews, new articles): {workbench.state.bench.token}", highlight=False)
    uvicorn.run(workbench, host=host, port=port, log_level="warning")


@app.command()
def failures(db: DbOption = DEFAULT_DB) -> None:
    """Inputs that could not be coded, and why."""
    from khaldun.store import Store

    if not db.exists():
        err_console.print(f"[red]error[/red] {db}: no such database")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        rows = store.failures()
    table = Table(title=f"{len(rows)} failure(s)")
    table.add_column("source")
    table.add_column("reason")
    for row in rows:
        table.add_row(str(row["source"]), str(row["reason"]))
    console.print(table)


@eval_app.command("seed")
def eval_seed(
    gold: Annotated[
        Path | None, typer.Option(help="Gold file (default: ../shared/seed/idlib.gold.json).")
    ] = None,
    shared: Annotated[
        Path | None, typer.Option(help="The shared folder (default: $KHALDUN_SHARED or ../shared).")
    ] = None,
) -> None:
    """Score the seed article against its reference reading."""
    from khaldun.eval.seed import describe, score_seed

    gold = _gold_file(gold, shared, "seed", "idlib.gold.json")
    report = score_seed(gold)
    table = Table(title="seed: expected events")
    for column in ("id", "core", "result", "coded as", "place km", "date", "modality"):
        table.add_column(column, overflow="fold")
    for result in report.expected:
        g = result.gold
        if result.event is None:
            table.add_row(
                g["id"], "core" if g.get("core") else "", "[red]missed[/red]", result.why, "", "", ""
            )
            continue
        table.add_row(
            g["id"],
            "core" if g.get("core") else "",
            "[green]found[/green]",
            describe(result.event),
            f"{result.place_km:.1f}" if result.place_km is not None else "-",
            "ok" if result.date_ok else f"wrong ({result.event.when.precision})",
            "ok" if result.modality_ok else f"wrong ({result.event.modality} vs {g['modality']})",
        )
    console.print(table)
    for event in report.false_events:
        console.print(f"false event: {describe(event)} — “{event.sentence.text[:90]}”")
    for evidence, event in report.mustnot_failures:
        console.print(f"[red]must-not-assert failure[/red]: “{evidence}” gave {describe(event)}")
    counted = sum(1 for e in report.coded if e.counted)
    console.print(f"coded events: {len(report.coded)} ({counted} asserted or attempted)")
    print(report.summary())


@eval_app.command("geo")
def eval_geo(
    corpus: Annotated[str, typer.Option(help="lgl, gwn, trnews, geovirus or all.")] = "all",
    data: Annotated[
        Path | None, typer.Option(help="Folder of the corpora (default: ../shared/data/geoparsing).")
    ] = None,
    shared: SharedOption = None,
    end_to_end: Annotated[
        bool, typer.Option("--end-to-end/--given-only", help="Also score recognition.")
    ] = True,
) -> None:
    """Toponym resolution (given gold spans) and end-to-end geoparsing on news corpora."""
    from khaldun.eval.geo import CORPORA, evaluate, summary_line

    names = list(CORPORA) if corpus == "all" else [corpus]
    if any(n not in CORPORA for n in names):
        raise typer.BadParameter(f"use one of {', '.join(CORPORA)} or all", param_hint="--corpus")
    if data is None:
        root = shared_dir(shared)
        if root is None:
            err_console.print(
                "[red]error[/red] no shared folder: give --data or --shared, or set KHALDUN_SHARED"
            )
            raise typer.Exit(2)
        data = root / "data" / "geoparsing"
    missing = [CORPORA[n] for n in names if not (data / CORPORA[n]).exists()]
    if missing:
        err_console.print(f"[red]error[/red] {data}: missing {', '.join(missing)}")
        raise typer.Exit(2)
    results = evaluate(data, names, end_to_end)
    table = Table(title="geoparsing: resolution given gold spans, then end to end")
    for column in (
        "corpus",
        "toponyms",
        "acc@161",
        "AUC",
        "mean km",
        "median km",
        "literal acc@161",
        "associative acc@161",
        "unresolved",
        "span P",
        "span R",
        "span F1",
        "e2e acc@161",
    ):
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(
            r.name,
            str(r.given.n),
            f"{r.given.acc161:.3f}",
            f"{r.given.auc:.3f}",
            f"{r.given.mean_km:.0f}",
            f"{r.given.median_km:.1f}",
            f"{r.literal.acc161:.3f} ({r.literal.n})",
            f"{r.associative.acc161:.3f} ({r.associative.n})" if r.associative.n else "-",
            str(r.unresolved),
            *(
                (f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", f"{r.e2e.acc161:.3f}")
                if end_to_end
                else ("-", "-", "-", "-")
            ),
        )
    console.print(table)
    print(summary_line(results))


@eval_app.command("actors")
def eval_actors(
    data: PloverGold = None,
    shared: SharedOption = None,
) -> None:
    """Actor recognition and country+sector coding on PLOVER's gold records."""
    from khaldun.eval.actors import error_table, score_actors

    data = _gold_file(data, shared, "data", "plover", "PLOVER_GSR_CAMEO.txt")
    report = score_actors(data)
    table = Table(title=f"actors on {report.records} PLOVER gold records")
    for column in ("role", "gold actors", "found", "recall", "code right", "code accuracy"):
        table.add_column(column, justify="right")
    for role in ("source", "target", "all"):
        items = [o for o in report.outcomes if role == "all" or o.gold.role == role]
        found = [o for o in items if o.found is not None or o.found_as_place]
        right = sum(o.code_right for o in found)
        table.add_row(
            role,
            str(len(items)),
            str(len(found)),
            f"{len(found) / max(len(items), 1):.3f}",
            str(right),
            f"{right / max(len(found), 1):.3f}",
        )
    console.print(table)
    errors = Table(title="most frequent misses and miscodes")
    for column in ("what", "gold text", "gold code", "khaldun code"):
        errors.add_column(column)
    for row in error_table(report):
        errors.add_row(*row)
    console.print(errors)
    if report.unlocatable:
        console.print(
            f"{report.unlocatable} gold actor text(s) not found verbatim in their sentence (left out)"
        )
    print(report.summary())


def _print_classification(name: str, result: object, data: Path) -> None:
    from khaldun.eval.events import Classification

    assert isinstance(result, Classification)
    table = Table(
        title=f"{name}: {len(result.gold)} sentences from {data.name}, accuracy {result.accuracy:.3f}, "
        f"macro F1 {result.macro_f1:.3f}"
    )
    for column in ("label", "gold", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for label, support, precision, recall, f1 in result.per_label():
        if support or label != "NONE":
            table.add_row(label, str(support), f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}")
    console.print(table)
    matrix = result.confusion()
    predicted = [label for label in result.labels if any(matrix[g][label] for g in matrix)]
    confusion = Table(title="confusion matrix (rows gold, columns coded)")
    confusion.add_column("gold \\ coded")
    for label in predicted:
        confusion.add_column(label[:5], justify="right")
    for gold_label in result.labels:
        if sum(matrix.get(gold_label, {}).values()):
            confusion.add_row(gold_label, *[str(matrix[gold_label][p] or "") for p in predicted])
    console.print(confusion)


def _gold_file(given: Path | None, shared: Path | None, *parts: str) -> Path:
    """The gold file given by option, else `parts` under the shared folder; exits 2 with the
    reason when neither exists."""
    if given is None:
        root = shared_dir(shared)
        if root is None:
            err_console.print(
                "[red]error[/red] no shared folder: give the file or --shared, or set KHALDUN_SHARED"
            )
            raise typer.Exit(2)
        given = root.joinpath(*parts)
    if not given.exists():
        err_console.print(f"[red]error[/red] {given}: no such file")
        raise typer.Exit(2)
    return given


@eval_app.command("plover")
def eval_plover(
    data: PloverGold = None,
    shared: SharedOption = None,
) -> None:
    """Event-type classification on PLOVER's gold sentences: P/R/F1 per type, confusion."""
    from khaldun.eval.events import score_plover

    path = _gold_file(data, shared, "data", "plover", "PLOVER_GSR_CAMEO.txt")
    result = score_plover(path)
    _print_classification("plover", result, path)
    print(f"eval plover: macro_f1={result.macro_f1:.3f}")


@eval_app.command("quad")
def eval_quad(
    data: Annotated[
        Path | None,
        typer.Option(
            help="Sentences with penta-class labels (default: ../shared/data/cameo_quad/train.tsv)."
        ),
    ] = None,
    shared: SharedOption = None,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Folds for cross-validation.")] = 5,
) -> None:
    """CAMEO penta-class (quad + neutral) classification of news sentences: rules alone, then
    the penta classifier stacked on them (cross-validated on its own training file)."""
    from khaldun.eval.events import score_quad

    path = _gold_file(data, shared, "data", "cameo_quad", "train.tsv")
    result = score_quad(path, folds)
    _print_classification("quad, rules alone (main event's CAMEO root)", result.rules, path)
    how = (
        f"{result.folds}-fold cross-validated (the shipped model is trained on this file)"
        if result.cross_validated
        else "the shipped model, trained on another file"
    )
    _print_classification(f"quad, classifier stacked on the rules, {how}", result.stacked, path)
    calibration = Table(title=f"calibration of the top class, ECE {result.expected_calibration_error:.3f}")
    for column in ("confidence ≥", "sentences", "mean confidence", "accuracy"):
        calibration.add_column(column, justify="right")
    for low, mean, accuracy, count in result.confidence_bins:
        calibration.add_row(f"{low:.1f}", str(count), f"{mean:.3f}", f"{accuracy:.3f}")
    console.print(calibration)
    print(f"rules alone: macro_f1={result.rules.macro_f1:.3f}")
    print(f"eval quad: macro_f1={result.stacked.macro_f1:.3f}")


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["app"]
