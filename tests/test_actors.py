"""Actors: KB, generic agents, time-aware names and coreference-lite on real sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from khaldun.actors import ActorFinder, get_kb
from khaldun.model import ActorRef
from khaldun.nlp import get_nlp


@pytest.fixture(scope="module")
def finder() -> ActorFinder:
    return ActorFinder()


def actors_in(
    finder: ActorFinder, text: str, day: date | None = date(2020, 5, 4), focus: str | None = "SYR"
) -> list[ActorRef]:
    return [r for m in finder.find(get_nlp()(text), day, focus) for r in m.refs]


def test_knowledge_base_is_valid() -> None:
    problems = get_kb().validate()
    assert problems == [], "\n".join(problems)


def test_hts_by_name_acronym_and_former_name(finder: ActorFinder) -> None:
    refs = actors_in(finder, "Hayat Tahrir al-Sham (HTS) said the former al-Nusra Front had changed.")
    assert [r.actor_id for r in refs] == ["SYR_HTS", "SYR_HTS", "SYR_HTS"]
    assert refs[2].via == "former-name" and refs[2].name == "Hayat Tahrir al-Sham"


def test_name_history_follows_the_date(finder: ActorFinder) -> None:
    [ref] = actors_in(finder, "Jabhat al-Nusra attacked the town.", day=date(2014, 6, 1))
    assert ref.actor_id == "SYR_HTS" and ref.name == "Jabhat al-Nusra"


def test_capital_as_metonym_is_the_government(finder: ActorFinder) -> None:
    refs = actors_in(finder, "HTS and Damascus swapped prisoners.")
    assert [(r.name, r.code) for r in refs] == [
        ("Hayat Tahrir al-Sham", "SYRREB"),
        ("Government of Syria", "SYRGOV"),
    ]
    assert refs[1].via == "metonym"


def test_without_ankara_is_turkey_not_a_person(finder: ActorFinder) -> None:
    [ref] = actors_in(finder, "Without Ankara being able to give them much help.")
    assert ref.code == "TURGOV" and ref.kind == "kb"


def test_generic_agents_take_country_from_context(finder: ActorFinder) -> None:
    refs = actors_in(finder, "Both have been blocked by rival militias opposed to the hypothesis.")
    assert [(r.name, r.code, r.kind) for r in refs] == [("rival militias", "SYRREB", "generic")]
    refs = actors_in(finder, "There have been clashes between opposing local groups.")
    assert [(r.name, r.code) for r in refs] == [("opposing local groups", "SYRREB")]


def test_demonym_gives_the_country(finder: ActorFinder) -> None:
    refs = actors_in(
        finder, "Belarusian soldiers and Armenian police watched as Georgian warplanes flew over."
    )
    assert [(r.name, r.code) for r in refs] == [
        ("Belarusian soldiers", "BLRMIL"),
        ("Armenian police", "ARMCOP"),
        ("Georgian warplanes", "GEOMIL"),
    ]


def test_knowledge_base_forces_win_over_generic_agents(finder: ActorFinder) -> None:
    refs = actors_in(finder, "Russian warplanes bombed the village while Turkish soldiers watched.")
    # "the village" is CAMEO's civilian target; the forces are the knowledge base's
    assert [(r.actor_id, r.code) for r in refs] == [
        ("RUS_MIL", "RUSMIL"),
        (None, "SYRCVL"),
        ("TUR_TSK", "TURMIL"),
    ]


def test_titles_names_and_of_phrases(finder: ActorFinder) -> None:
    refs = actors_in(finder, "Iraqi President Jalal Talabani thanked UN peacekeepers.")
    assert [(r.span.text if r.span else "", r.code, r.sector) for r in refs] == [
        ("Iraqi President Jalal Talabani", "IRQGOV", "GOV"),
        ("UN peacekeepers", "IGOUNO", "MIL"),
    ]
    [president, _] = actors_in(finder, "The president of Armenia visited Moscow.")
    assert (president.code, president.sector) == ("ARMGOV", "GOV")


def test_former_officials_are_elites_and_nationalities_are_civilians(finder: ActorFinder) -> None:
    refs = actors_in(
        finder, "Ousted Kyrgyz President Askar Akayev said Palestinians and Kurds were not to blame."
    )
    assert [(r.code, r.sector) for r in refs] == [("KGZELI", "ELI"), ("PSECVL", "CVL"), ("SYRCVL", "CVL")]


def test_pro_turkey_formations_are_turkey_backed_syrian_rebels(finder: ActorFinder) -> None:
    [ref] = actors_in(finder, "The SAA resumed attacks against rival pro-Turkey formations.")[1:]
    assert ref.actor_id == "SYR_SNA" and ref.code == "SYRREB"


def test_jihadist_group_binds_to_the_last_jihadist_actor(finder: ActorFinder) -> None:
    refs = actors_in(
        finder, "HTS entered the town. By supporting the population, the jihadist group gains weight."
    )
    assert refs[-1].actor_id == "SYR_HTS" and refs[-1].via == "coreference"


def test_two_actors_bind_to_the_last_two(finder: ActorFinder) -> None:
    refs = actors_in(finder, "HTS and Damascus dialogue. The two actors try to open hubs.")
    assert [r.actor_id for r in refs[-2:]] == ["SYR_HTS", "SYR_GOV"]


def test_unknown_named_actors_are_kept(finder: ActorFinder) -> None:
    refs = actors_in(finder, "The Zubayr Brigade stormed the checkpoint.")
    assert any(r.kind == "unknown" and "Zubayr" in r.name for r in refs)


def test_misspelt_known_actor_is_found_by_fuzzy_matching(finder: ActorFinder) -> None:
    refs = actors_in(finder, "Fighters of Hayat Tahrir al-Shaam attacked the town.")
    assert any(r.actor_id == "SYR_HTS" and r.via == "fuzzy" for r in refs)


def test_seed_actors_resolved_with_their_codes(finder: ActorFinder, shared: Path) -> None:
    from khaldun.ingest import read_text_article
    from khaldun.places.finder import PlaceFinder, focus_country

    article = read_text_article(shared / "seed" / "idlib.txt", date(2020, 5, 4))
    doc = get_nlp()(article.text)
    places = PlaceFinder().find(doc)
    refs = [r for m in finder.find(doc, article.published, focus_country(places), places) for r in m.refs]
    by_surface = {r.span.text: r.code for r in refs if r.span is not None}
    assert by_surface["HTS"] == "SYRREB"
    assert by_surface["Hayat Tahrir al-Sham"] == "SYRREB"
    assert by_surface["former al-Nusra Front"] == "SYRREB"
    assert by_surface["jihadist group"] == "SYRREB"
    assert by_surface["Damascus"] == "SYRGOV"
    assert by_surface["regime"] == "SYRGOV"
    assert by_surface["Syrian army"] == "SYRMIL" and by_surface["SAA"] == "SYRMIL"
    assert by_surface["Russia"] == "RUS" and by_surface["Turkey"] == "TUR"
    assert by_surface["Ankara"] == "TURGOV"  # "Without Ankara": Turkey, not a person
    assert by_surface["pro-Turkey formations"] == "SYRREB"
    assert by_surface["rival militias"] == "SYRREB" and by_surface["opposing local groups"] == "SYRREB"


def test_actors_cli_validate_search_show_and_unknown(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khaldun.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["actors", "validate"])
    assert result.exit_code == 0 and "problems=0" in result.stdout
    assert "SYR_HTS" in runner.invoke(app, ["actors", "search", "nusra"]).stdout
    shown = runner.invoke(app, ["actors", "show", "SYR_HTS"]).stdout
    assert "Jabhat Fateh al-Sham: 2016-07-28 – 2017-01-28" in shown
    assert runner.invoke(app, ["actors", "show", "NO_SUCH"]).exit_code == 2
    article = tmp_path / "a.txt"
    article.write_text("The Zubayr Brigade stormed a checkpoint near Saraqib on Monday, a monitor said.")
    db = tmp_path / "u.duckdb"
    runner.invoke(app, ["code", str(article), "--published", "2020-05-04", "--db", str(db)])
    unknown = runner.invoke(app, ["actors", "--unknown", "--db", str(db)])
    assert unknown.exit_code == 0 and "Zubayr Brigade" in unknown.stdout


def test_office_holders_code_by_the_event_date(finder: ActorFinder) -> None:
    in_office = actors_in(finder, "Trump met the delegation.", day=date(2019, 6, 1))[0]
    out_of_office = actors_in(finder, "Trump met the delegation.", day=date(2023, 6, 1))[0]
    assert (in_office.code, out_of_office.code) == ("USAGOV", "USAELI")
