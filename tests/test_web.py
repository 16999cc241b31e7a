"""The workbench: HTTP API (filters, pagination, bad input, tokens, reviews, coding) and the web
page in Debian's Chromium driven by Playwright (map, evidence highlight, a correction stored)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from khaldun.cli import app as cli
from khaldun.web import create_app

TOKEN = "test-token-for-writes"
SWAP = "A swap took place a few hours ago in Darat Azza"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def seed_store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web") / "seed.duckdb"
    result = CliRunner().invoke(
        cli, ["code", str(shared / "seed" / "idlib.txt"), "--db", str(db), "--published", "2020-05-04"]
    )
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture()
def client(seed_store: Path, tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "copy.duckdb"
    shutil.copy(seed_store, db)
    with TestClient(create_app(db, token=TOKEN)) as test_client:
        yield test_client


def _swap_id(client: TestClient) -> str:
    items = client.get("/api/events", params={"type": "RETREAT"}).json()["items"]
    return str(next(e["id"] for e in items if e["sentence"].startswith(SWAP)))


# --- API ---------------------------------------------------------------------------------------
def test_list_filter_and_paginate(client: TestClient) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] == 12 and len(everything["items"]) == 12
    first, second = (client.get("/api/events", params={"limit": 5, "offset": k}).json() for k in (0, 5))
    assert first["total"] == 12 and len(first["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    hts = client.get("/api/events", params={"actor": "hts"}).json()
    assert hts["total"] >= 6
    assault = client.get("/api/events", params={"type": "assault"}).json()
    assert {e["plover"] for e in assault["items"]} == {"ASSAULT"}
    # a box around Darat Azza only (west, south, east, north)
    boxed = client.get("/api/events", params={"bbox": "36.8,36.2,36.9,36.35"}).json()
    assert [e["place_name"] for e in boxed["items"]] == ["Dārat ‘Izzah"]
    dated = client.get("/api/events", params={"since": "2020-05-03", "until": "2020-05-03"}).json()
    assert dated["total"] >= 3 and all(
        e["date_start"] == "2020-05-03" for e in dated["items"] if e["date_start"]
    )
    hypothetical = client.get("/api/events", params={"modality": "negated"}).json()
    assert all(e["modality"] == "negated" for e in hypothetical["items"])


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"type": "BATTLE"}, 400, "not a PLOVER type"),
        ({"modality": "maybe"}, 400, "not one of"),
        ({"bbox": "1,2,3"}, 400, "four numbers"),
        ({"bbox": "10,50,20,40"}, 400, "south ≤ north"),
        ({"since": "2020-05-05", "until": "2020-05-01"}, 400, "is after"),
        ({"since": "yesterday"}, 422, "since"),
        ({"limit": 0}, 422, "limit"),
        ({"limit": 5000}, 422, "limit"),
    ],
)
def test_bad_queries_are_clear_4xx(
    client: TestClient, params: dict[str, Any], status: int, words: str
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_one_event_with_evidence_and_article(client: TestClient) -> None:
    event = client.get(f"/api/events/{_swap_id(client)}").json()
    text = event["article_text"]
    assert text[event["sentence_start"] : event["sentence_end"]].startswith(SWAP)
    assert {text[s["start"] : s["end"]] for s in event["evidence"]} >= {"swap", "Darat Azza"}
    assert {a["name"] for a in event["actors"]} == {"Hayat Tahrir al-Sham", "Government of Syria"}
    assert event["merged_id"] and len(event["reports"]) == 1
    assert client.get("/api/events/nope").status_code == 404


def test_review_needs_token_and_keeps_the_original(client: TestClient) -> None:
    swap = _swap_id(client)
    correction = {
        "action": "correct",
        "plover": "CONCEDE",
        "place_name": "Darat Izza",
        "note": "a concession",
    }
    assert client.post(f"/api/events/{swap}/review", json=correction).status_code == 401
    wrong = client.post(f"/api/events/{swap}/review", json=correction, headers={"X-Khaldun-Token": "guess"})
    assert wrong.status_code == 403
    auth = {"Authorization": f"Bearer {TOKEN}"}
    saved = client.post(f"/api/events/{swap}/review", json=correction, headers=auth)
    assert saved.status_code == 201, saved.text
    review = saved.json()
    assert review["changes"] == {"plover": "CONCEDE", "place_name": "Darat Izza"}
    assert review["original"]["plover"] == "RETREAT" and review["reviewer"] == "analyst"
    # the coding itself is untouched; the review is shown beside it
    event = client.get(f"/api/events/{swap}").json()
    assert event["plover"] == "RETREAT" and event["reviews"][-1]["action"] == "correct"
    gold = client.get("/api/reviews/gold").json()
    assert gold[0]["event"] == "CONCEDE" and gold[0]["text"].startswith(SWAP)
    assert {"text", "event", "source", "target"} <= set(gold[0])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "approve"}, 422),
        ({"action": "correct"}, 400),
        ({"action": "confirm", "plover": "AID"}, 400),
        ({"action": "correct", "plover": "WAR"}, 400),
        ({"action": "correct", "date_start": "May"}, 422),
    ],
)
def test_bad_reviews_are_refused(client: TestClient, body: dict[str, Any], status: int) -> None:
    response = client.post(
        f"/api/events/{_swap_id(client)}/review", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == status, response.text
    assert client.get("/api/reviews").json() == []


def test_post_article_codes_and_merges(client: TestClient) -> None:
    article = {
        "text": "Turkish drones struck a convoy of the Syrian army near Saraqib on Sunday, "
        "killing six soldiers.",
        "published": "2020-03-02",
        "source": "test-outlet",
    }
    assert client.post("/api/articles", json=article).status_code == 401
    created = client.post("/api/articles", json=article, headers={"Authorization": f"Bearer {TOKEN}"})
    assert created.status_code == 201, created.text
    events = created.json()["events"]
    assert [e["type"]["plover"] for e in events] == ["ASSAULT"] and events[0]["fatalities"] == 6
    assert client.get("/api/health").json()["articles"] == 2
    empty = client.post("/api/articles", json={"text": "   "}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]


def test_reads_can_be_protected(seed_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(seed_store, db)
    with TestClient(create_app(db, token=TOKEN, protect_reads=True)) as closed:
        assert closed.get("/api/events").status_code == 401
        assert closed.get("/api/events", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_situation_actors_places_exports_and_docs(client: TestClient) -> None:
    situation = client.get("/api/situation").json()
    assert any(
        {d["a"], d["b"]} == {"Hayat Tahrir al-Sham", "Government of Syria"} for d in situation["dyads"]
    )
    assert client.get("/api/actors").json()[0]["name"] == "Hayat Tahrir al-Sham"
    assert {p["name"] for p in client.get("/api/places").json()} >= {"Saraqib", "M4 highway"}
    acled = client.get("/api/export", params={"format": "acled"})
    assert acled.status_code == 200 and acled.text.startswith("event_id_cnty,event_date")
    assert client.get("/api/export", params={"format": "xls"}).status_code == 400
    assert "/api/events" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200


# --- the page in a real browser ---------------------------------------------------------------
def _chromium() -> str:
    for candidate in (os.environ.get("KHALDUN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    reason = "no Chromium: apt-get install chromium (or set KHALDUN_CHROMIUM)"
    if os.environ.get("CI"):
        pytest.fail(f"in CI the browser must be installed: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def served(seed_store: Path, tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "served.duckdb"
    shutil.copy(seed_store, db)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(url + "/api/health").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def page(served: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        tab.on("pageerror", lambda err: errors.append(str(err)))
        tab.goto(served + "/")
        yield tab
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()
        assert not errors, errors


def test_map_shows_the_seed_places(page: Any) -> None:
    page.wait_for_selector("#map-places li")
    places = page.locator("#map-places li").all_inner_texts()
    assert {"Dārat ‘Izzah", "Saraqib", "Ma'arrat an-Na'san", "Ruwayha", "M4 highway"} <= set(places)
    assert page.locator("path.event-marker").count() == len(places)
    page.wait_for_function(
        "document.querySelectorAll('#map path.leaflet-interactive, #map svg path').length > 50"
    )
    assert page.locator("#network line.dyad").count() >= 5
    assert page.locator("#timeline rect.bar").count() >= 2


def test_event_view_highlights_the_evidence(page: Any) -> None:
    page.wait_for_selector("#events tbody tr")
    page.locator("#events tbody tr", has_text="RETREAT").first.click()
    page.wait_for_selector("#event-view:not([hidden]) mark.sentence")
    highlighted = " ".join(page.locator("#ev-text mark.sentence").all_inner_texts())
    assert SWAP in highlighted
    assert {"swap", "Darat Azza"} <= set(page.locator("#ev-text mark.evidence").all_inner_texts())
    assert "Hayat Tahrir al-Sham" in page.locator("#ev-facts").inner_text()


def test_correction_in_the_page_is_stored_and_shown(page: Any, served: str) -> None:
    page.fill("#token", TOKEN)
    page.wait_for_selector("#events tbody tr")
    page.locator("#events tbody tr", has_text="RETREAT").first.click()
    page.wait_for_selector("#event-view:not([hidden])")
    page.select_option('#review select[name="plover"]', "CONCEDE")
    page.fill('#review input[name="note"]', "the release was a concession")
    page.click('#review button[data-action="correct"]')
    page.wait_for_selector("#ev-reviews li.review-item")
    shown = page.locator("#ev-reviews li").first.inner_text()
    assert "correct" in shown and "RETREAT → CONCEDE" in shown
    stored = httpx.get(served + "/api/reviews").json()
    assert [(r["action"], r["changes"]) for r in stored] == [("correct", {"plover": "CONCEDE"})]
    page.wait_for_selector("#events tbody td.review-state:text('correct')")
