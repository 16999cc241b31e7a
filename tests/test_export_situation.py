"""Exports of the seed loaded back with pyarrow and checked field by field, and the situation
the seed describes (`khaldun situation`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from khaldun.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    result = runner.invoke(
        app, ["code", str(shared / "seed" / "idlib.txt"), "--db", str(db), "--published", "2020-05-04"]
    )
    assert result.exit_code == 0, result.output
    yield db


def _export(db: Path, fmt: str, out: Path) -> Path:
    result = runner.invoke(app, ["export", "--format", fmt, "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_plover_jsonl(seed_db: Path, tmp_path: Path) -> None:
    path = _export(seed_db, "plover", tmp_path / "seed.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 12
    for record in records:
        assert {
            "id",
            "date",
            "actor",
            "recipient",
            "event",
            "mode",
            "context",
            "event_loc",
            "quad_code",
            "event_scale",
            "text",
            "cite_info",
            "coder",
            "coded_date",
        } <= set(record)
        assert isinstance(record["event"], list) and record["quad_code"] in {1, 2, 3, 4}
        assert all(isinstance(a["code"], str) for a in record["actor"])
    swap = next(r for r in records if r["event"] == ["RETREAT"])
    assert swap["date"] == "2020-05-03" and swap["date_precision"] == "hour"
    assert swap["event_loc"]["name"] == "Dārat ‘Izzah"
    assert swap["text"] == "A swap took place a few hours ago in Darat Azza, west of Aleppo."
    # the same file through pyarrow's JSON reader: one typed table
    table = pajson.read_json(path)
    assert table.num_rows == 12 and pa.types.is_list(table.schema.field("event").type)


def test_acled_csv(seed_db: Path, tmp_path: Path) -> None:
    table = pacsv.read_csv(_export(seed_db, "acled", tmp_path / "seed.csv"))
    assert table.num_rows == 12
    assert table.column_names[:6] == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "event_type",
        "sub_event_type",
    ]
    assert pa.types.is_date(table.schema.field("event_date").type)
    assert pa.types.is_floating(table.schema.field("latitude").type)
    assert pa.types.is_integer(table.schema.field("fatalities").type)
    rows = table.to_pylist()
    attack = next(r for r in rows if r["actor1"] == "Syrian Arab Army" and r["event_type"] == "Battles")
    assert (attack["inter1"], attack["inter2"], attack["interaction"]) == (1, 2, 12)
    assert attack["country"] == "Syrian Arab Republic" and attack["location"] == "between Ḩamāh and Idlib"
    patrols = next(r for r in rows if r["location"] == "M4 highway")
    assert patrols["actor2"] == "Turkey" and patrols["inter2"] == 8  # a foreign state in Syria


def test_cameo_tsv(seed_db: Path, tmp_path: Path) -> None:
    path = _export(seed_db, "cameo", tmp_path / "seed.tsv")
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(delimiter="\t"),
        convert_options=pacsv.ConvertOptions(column_types={"SQLDATE": pa.string(), "EventCode": pa.string()}),
    )
    assert table.num_rows == 12
    assert table.column_names[:10] == [
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
    ]
    rows = table.to_pylist()
    swap = next(r for r in rows if r["EventCode"] == "0841")
    assert swap["SQLDATE"] == "20200503" and swap["QuadClass"] == 2 and swap["GoldsteinScale"] > 0
    assert {swap["Actor1Code"], swap["Actor2Code"]} == {"SYRREB", "SYRGOV"}


def test_geojson(seed_db: Path, tmp_path: Path) -> None:
    collection = json.loads(
        _export(seed_db, "geojson", tmp_path / "seed.geojson").read_text(encoding="utf-8")
    )
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 12
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert 34 < lat < 37.5 and 35 < lon < 38.5  # all in north-western Syria
    names = {f["properties"]["place_name"] for f in features}
    assert {"Dārat ‘Izzah", "Saraqib", "Ma'arrat an-Na'san", "M4 highway", "Ruwayha"} <= names


def test_parquet(seed_db: Path, tmp_path: Path) -> None:
    table = pq.read_table(_export(seed_db, "parquet", tmp_path / "seed.parquet"))
    assert table.num_rows == 12
    schema = table.schema
    assert pa.types.is_date32(schema.field("date_start").type)
    assert pa.types.is_float64(schema.field("latitude").type)
    assert pa.types.is_int64(schema.field("quad").type)
    assert set(table.column("plover").to_pylist()) >= {"RETREAT", "COOPERATE", "PROTEST", "ASSAULT"}


def test_export_refuses_bad_format_and_binary_to_stdout(seed_db: Path) -> None:
    bad = runner.invoke(app, ["export", "--format", "xlsx", "--db", str(seed_db)])
    words = " ".join(bad.output.replace("│", " ").split())
    assert bad.exit_code == 2 and "use one of plover, acled, cameo, geojson, parquet" in words
    binary = runner.invoke(app, ["export", "--format", "parquet", "--db", str(seed_db)])
    assert binary.exit_code == 2 and "give --out FILE" in binary.output


# situation -----------------------------------------------------------------------------------
def test_situation_of_the_seed(seed_db: Path) -> None:
    result = runner.invoke(app, ["situation", "--db", str(seed_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    picture = json.loads(result.stdout)
    dyads = {frozenset((d["a"], d["b"])): d for d in picture["dyads"]}
    hts_damascus = dyads[frozenset(("Hayat Tahrir al-Sham", "Government of Syria"))]
    assert hts_damascus["cooperation"] >= 3 and hts_damascus["conflict"] == 0  # swap, hubs, help
    assert {"RETREAT", "COOPERATE"} <= set(hts_damascus["types"])
    assert dyads[frozenset(("Hayat Tahrir al-Sham", "rival militias"))]["conflict"] == 2  # blocked crossings
    saa = dyads[frozenset(("Syrian Arab Army", "Syrian National Army"))]
    assert saa["conflict"] == 1 and list(saa["places"]) == ["between Ḩamāh and Idlib"]
    for power in ("Russia", "Turkey"):
        dyad = dyads[frozenset(("Hayat Tahrir al-Sham", power))]
        assert list(dyad["places"]) == ["M4 highway"]
    assert picture["roads"] == {"M4 highway": 1}
    assert set(picture["crossings"]) == {"Saraqib", "Ma'arrat an-Na'san"}
    assert picture["summary"][0].startswith("12 event(s)")


def test_situation_table_and_graphml(seed_db: Path, tmp_path: Path) -> None:
    table = runner.invoke(app, ["situation", "--db", str(seed_db)])
    assert table.exit_code == 0, table.output
    assert "cooperation: Government of Syria – Hayat Tahrir al-Sham" in table.output
    out = tmp_path / "seed.graphml"
    result = runner.invoke(app, ["situation", "--db", str(seed_db), "--format", "graphml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    names = {data["name"] for _, data in graph.nodes(data=True)}
    assert {"Hayat Tahrir al-Sham", "Government of Syria", "Russia", "Turkey", "Syrian Arab Army"} <= names
    assert sum(data["cooperation"] for _, _, data in graph.edges(data=True)) >= 4
