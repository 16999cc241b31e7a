"""End to end: the seed article in, its events out (the first acceptance test of the flow)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khaldun.cli import app
from khaldun.eval.seed import score_seed
from khaldun.ingest import read_text_article
from khaldun.model import Event
from khaldun.pipeline import Pipeline

runner = CliRunner()


def _seed_events(pipeline: Pipeline, shared: Path) -> list[Event]:
    article = read_text_article(shared / "seed" / "idlib.txt", date(2020, 5, 4))
    return [e for e in pipeline.code(article).events if e.counted]


def _find(events: list[Event], plover: str, evidence: str) -> Event:
    found = [e for e in events if e.type.plover == plover and evidence in e.sentence.text]
    assert found, f"no {plover} event from “{evidence}”"
    return found[0]


def _codes(refs: tuple[object, ...]) -> set[str]:
    return {r.code for r in refs}  # type: ignore[attr-defined]


def test_seed_prisoner_swap_in_darat_azza(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    swap = _find(events, "RETREAT", "A swap took place a few hours ago in Darat Azza")
    assert swap.type.mode == "release"
    assert swap.type.cameo == "0841"
    assert _codes(swap.actors) == {"SYRREB", "SYRGOV"}
    assert swap.symmetric
    assert swap.place is not None and swap.place.name == "Dārat ‘Izzah"
    assert (swap.when.start, swap.when.end, swap.when.precision) == (
        date(2020, 5, 3),
        date(2020, 5, 4),
        "hour",
    )
    assert swap.modality == "asserted"
    # the lead told the same swap ("A few hours ago there was a swap"): merged, kept as a mention
    assert any("there was a swap" in m.text for m in swap.mentions)


def test_seed_trade_hubs_attempted_at_two_towns(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    hubs = [e for e in events if e.type.plover == "COOPERATE"]
    places = sorted(e.place.name for e in hubs if e.place)
    assert places == ["Ma'arrat an-Na'san", "Saraqib"]
    for event in hubs:
        assert event.modality == "attempted"
        assert "SYRREB" in _codes(event.actors)
        assert _codes(event.recipients) == {"SYRGOV"}
        assert event.type.context == "economic"
    saraqib = next(e for e in hubs if e.place and e.place.name == "Saraqib")
    assert (saraqib.when.start, saraqib.when.end, saraqib.when.precision) == (
        date(2020, 4, 11),
        date(2020, 4, 20),
        "month-part",
    )
    maarat = next(e for e in hubs if e.place and e.place.name != "Saraqib")
    assert maarat.when.precision == "unknown"  # "and the second in …" says nothing of when


def test_seed_blocking_by_rival_militias(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    blocks = [e for e in events if "have been blocked by rival militias" in e.sentence.text]
    assert sorted(e.place.name for e in blocks if e.place) == ["Ma'arrat an-Na'san", "Saraqib"]
    for block in blocks:
        assert block.type.plover == "PROTEST" and block.type.mode == "obstruct"  # CAMEO 144
        assert [a.name for a in block.actors] == ["rival militias"]
        assert _codes(block.actors) == {"SYRREB"}
        assert [r.name for r in block.recipients] == ["Hayat Tahrir al-Sham"]


def test_seed_patrols_kept_off_the_m4(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    keep = _find(events, "COERCE", "keeping Russia-Turkey joint patrols out of the M4")
    assert [a.name for a in keep.actors] == ["Hayat Tahrir al-Sham"]
    assert keep.actors[0].span is not None and keep.actors[0].span.text == "former al-Nusra Front"
    assert _codes(keep.recipients) == {"RUS", "TUR"}
    assert keep.place is not None and keep.place.precision == "road" and keep.place.name == "M4 highway"


def test_seed_clashes_and_army_advance(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    clashes = _find(events, "ASSAULT", "there have been clashes between opposing local groups")
    assert clashes.trigger.text == "clashes"
    assert [a.name for a in clashes.actors] == ["opposing local groups"]
    assert clashes.recipients == clashes.actors  # symmetric, one plural side
    assert clashes.when.precision == "hour"
    advance = _find(events, "MOBILIZE", "was trying to advance on the Rweiha axis")
    assert advance.modality == "attempted"
    assert _codes(advance.actors) == {"SYRMIL"}
    assert advance.place is not None and advance.place.name == "Ruwayha"
    assert advance.place.precision == "near" and advance.place.relation == "axis"
    assert advance.when.start == date(2020, 5, 3)


def test_seed_attacks_between_hama_and_idlib(pipeline: Pipeline, shared: Path) -> None:
    events = _seed_events(pipeline, shared)
    attack = _find(events, "ASSAULT", "has resumed attacks between Hama and Idlib")
    assert _codes(attack.actors) == {"SYRMIL"}
    assert "Syrian National Army" in [r.name for r in attack.recipients]
    assert attack.place is not None and attack.place.precision == "between"
    assert attack.place.anchors == ("Ḩamāh", "Idlib")
    assert attack.type.acled_type == "Battles"


def test_seed_negated_and_hypothetical_sentences_assert_nothing(pipeline: Pipeline, shared: Path) -> None:
    article = read_text_article(shared / "seed" / "idlib.txt", date(2020, 5, 4))
    events = pipeline.code(article).events
    without = [e for e in events if "Without Ankara" in e.sentence.text]
    assert [e.modality for e in without] == ["negated"]
    assert without[0].actors[0].code.startswith("TUR")  # "Without Ankara" is Turkey, not a person
    assert not [
        e
        for e in events
        if e.counted
        and "would never allow" in e.sentence.text
        and e.trigger.start > article.text.index("would never allow")
    ]
    assert "skip to Main Content" not in article.text and "Back To Top" not in article.text


def test_eval_seed_meets_the_bar(shared: Path) -> None:
    report = score_seed(shared / "seed" / "idlib.gold.json")
    assert report.core_found >= 6
    assert not report.mustnot_failures
    assert len(report.false_events) <= 3
    assert all(r.place_ok for r in report.found)


def test_cli_codes_seed_into_store_and_lists_events(shared: Path, db_path: Path) -> None:
    seed = str(shared / "seed" / "idlib.txt")
    first = runner.invoke(app, ["code", seed, "--published", "2020-05-04", "--db", str(db_path)])
    assert first.exit_code == 0, first.output
    listed = runner.invoke(app, ["events", "--db", str(db_path), "--format", "json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) >= 8
    ids = sorted(r["id"] for r in rows)
    again = runner.invoke(app, ["code", seed, "--published", "2020-05-04", "--db", str(db_path)])
    assert "1 already coded" in again.output
    recode = runner.invoke(app, ["code", seed, "--published", "2020-05-04", "--db", str(db_path), "--recode"])
    assert recode.exit_code == 0
    rows2 = [
        json.loads(x)
        for x in runner.invoke(app, ["events", "--db", str(db_path), "--format", "json"]).stdout.splitlines()
    ]
    assert sorted(r["id"] for r in rows2) == ids  # stable content-hash ids
    filtered = runner.invoke(app, ["events", "--db", str(db_path), "--type", "ASSAULT", "--format", "csv"])
    assert filtered.stdout.splitlines()[0].startswith("id,")
    assert all(",ASSAULT," in line for line in filtered.stdout.splitlines()[1:] if line)


def test_eval_seed_cli_prints_summary_line(shared: Path) -> None:
    result = runner.invoke(app, ["eval", "seed", "--shared", str(shared)])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("eval seed: core=")
    for key in ("false=", "mustnot=", "place=", "date=", "modality="):
        assert key in last


@pytest.mark.parametrize("fixture", ["aleppo-clashes.txt"])
def test_own_article_end_to_end(pipeline: Pipeline, fixture: str) -> None:
    path = Path(__file__).parent / "fixtures" / fixture
    article = read_text_article(path, date(2020, 2, 26))
    events = [e for e in pipeline.code(article).events if e.counted]
    clash = _find(events, "ASSAULT", "clashed with Syrian government forces near Saraqib")
    assert [a.name for a in clash.actors] == ["Syrian National Army"]
    assert [r.name for r in clash.recipients] == ["Syrian Arab Army"]
    assert clash.when.start == date(2020, 2, 25) and clash.when.precision == "day"
    assert clash.place is not None and clash.place.name == "Saraqib" and clash.place.precision == "near"
    bombing = _find(events, "ASSAULT", "Russian warplanes bombed")
    assert bombing.type.mode == "aerial"
    assert _codes(bombing.actors) == {"RUSMIL"}
    withdraw = _find(events, "RETREAT", "the jihadist group later withdrew")
    assert [a.name for a in withdraw.actors] == ["Hayat Tahrir al-Sham"]
    assert "Share this article" not in article.text
