"""Store: one transaction per article, stable ids, recoding replaces, failures recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from khaldun.ingest.readers import make_article
from khaldun.model import Failure
from khaldun.pipeline import Pipeline
from khaldun.store import Store, StoreError

TEXT = (
    "Russian warplanes bombed the town of Ariha on Monday. Rebels shelled Syrian army positions near Saraqib."
)


def test_save_is_atomic_and_ids_are_stable(pipeline: Pipeline, db_path: Path) -> None:
    article = make_article("t", TEXT, fmt="text", published=date(2020, 5, 4))
    first = pipeline.code(article)
    second = pipeline.code(article)
    assert [e.id for e in first.events] == [e.id for e in second.events]
    with Store(db_path) as store:
        store.save(first)
        store.save(second)  # recoding replaces, never duplicates
        assert store.counts()["articles"] == 1
        assert store.counts()["events"] == len(first.events)
        rows = store.events()
        assert {r["plover"] for r in rows} == {"ASSAULT"}
        assert store.events(actor="RUS")[0]["actors_text"] == "Russian Armed Forces"
        assert store.events(place="saraqib")[0]["place_precision"] == "near"
        assert store.events(since=date(2020, 5, 5)) == []


def test_failed_write_leaves_nothing_half_written(
    pipeline: Pipeline, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article("t", TEXT, fmt="text", published=date(2020, 5, 4))
    coded = pipeline.code(article)
    with Store(db_path) as store:

        def boom(*args: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(store, "_insert_actor", boom)
        with pytest.raises(RuntimeError):
            store.save(coded)
        assert store.counts()["articles"] == 0 and store.counts()["events"] == 0


def test_failures_are_recorded(db_path: Path) -> None:
    with Store(db_path) as store:
        store.record_failure(Failure("x.txt", "empty file (0 bytes)"))
        assert store.failures()[0]["reason"] == "empty file (0 bytes)"


def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "not-a-db.duckdb"
    path.write_text("this is not a database")
    with pytest.raises(StoreError, match=r"not-a-db\.duckdb: cannot open the database"):
        Store(path)
