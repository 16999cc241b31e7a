"""Across-article merging: several outlets telling one air strike become one event with all its
sources; nearby but different strikes stay apart; re-running the merge changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from khaldun.cli import app
from khaldun.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "ariha-market-reports.jsonl"
runner = CliRunner()


def _coded(db: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["code", str(FIXTURE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        return store.merged_events()


def test_four_reports_of_one_strike_become_one_event(db_path: Path) -> None:
    merged = _coded(db_path)
    ariha = [m for m in merged if m["place_name"] == "Arīḩā" and m["date_start"] == date(2020, 1, 15)]
    assert len(ariha) == 1
    strike = ariha[0]
    assert strike["plover"] == "ASSAULT" and strike["date_precision"] == "day"
    assert strike["sources"] == ["outlet-a", "outlet-b", "outlet-c", "outlet-d"]
    assert strike["n_events"] == 4 and strike["n_articles"] == 4
    assert [a["code"] for a in strike["actors"]][:1] == ["RUSMIL"]
    # the tolls disagree (9, 11, 11): ACLED's most conservative figure, the others kept
    assert strike["fatalities"] == 9
    tolls = {alt["value"] for alt in strike["alternatives"]["fatalities"]}
    assert tolls == {"9", "11"}
    # outlet-d placed it "south of Idlib city": kept as an alternative place, not dropped
    assert {alt["value"] for alt in strike["alternatives"]["place"]} == {"Arīḩā", "Idlib"}
    with Store(db_path, read_only=True) as store:
        mentions = store.mentions_of(str(strike["id"]))
    assert len(mentions) == 4 and sum(bool(m["lead"]) for m in mentions) == 1
    assert any("Arihah" in str(m["sentence"]) for m in mentions)


def test_nearby_but_different_strikes_stay_apart(db_path: Path) -> None:
    merged = _coded(db_path)
    assert len(merged) == 3
    jisr = [m for m in merged if m["place_name"] == "Jisr ash Shughūr"]
    later = [m for m in merged if m["place_name"] == "Arīḩā" and m["date_start"] == date(2020, 1, 21)]
    assert len(jisr) == 1 and jisr[0]["sources"] == ["outlet-f"] and jisr[0]["fatalities"] == 2
    assert len(later) == 1 and later[0]["sources"] == ["outlet-e"] and later[0]["fatalities"] == 4


def test_merge_again_is_deterministic(db_path: Path) -> None:
    first = _coded(db_path)
    result = runner.invoke(app, ["merge", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "6 coded event(s) → 3 merged event(s)" in result.output
    with Store(db_path, read_only=True) as store:
        second = store.merged_events()
    assert first == second


def test_tighter_distance_keeps_everything_apart(db_path: Path) -> None:
    _coded(db_path)
    result = runner.invoke(app, ["merge", "--db", str(db_path), "--km", "0", "--days", "0"])
    assert result.exit_code == 0, result.output
    with Store(db_path, read_only=True) as store:
        merged = store.merged_events()
    # outlet-d's "south of Idlib city" is 13 km off: with no distance allowed it stands alone
    assert len(merged) == 4


def test_merge_on_a_missing_database_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["merge", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no such database" in result.output
