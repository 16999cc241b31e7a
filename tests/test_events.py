"""Events: argument patterns and modality on real sentences (through the whole pipeline)."""

from __future__ import annotations

from datetime import date

import pytest

from khaldun.ingest.readers import make_article
from khaldun.model import Event
from khaldun.pipeline import Pipeline


def code(pipeline: Pipeline, text: str) -> list[Event]:
    article = make_article("test", text, fmt="text", published=date(2020, 5, 4))
    return list(pipeline.code(article).events)


def one(events: list[Event], plover: str) -> Event:
    found = [e for e in events if e.type.plover == plover]
    assert len(found) == 1, [(e.type.plover, e.trigger.text) for e in events]
    return found[0]


def test_active_verb_subject_and_object(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Syrian troops shelled rebel positions near Ariha on Sunday."), "ASSAULT")
    assert (
        event.type.mode == "heavy-weapons" and event.type.acled_subtype == "Shelling/artillery/missile attack"
    )
    assert [a.code for a in event.actors] == ["SYRMIL"]
    assert event.when.start == date(2020, 5, 3)


def test_passive_with_agent(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Two crossings near Saraqib have been blocked by rival militias."), "PROTEST")
    assert [a.name for a in event.actors] == ["rival militias"]


def test_coordinated_symmetric_actors(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "HTS and Damascus swapped prisoners in Darat Azza."), "RETREAT")
    assert event.symmetric
    assert {a.code for a in event.actors} == {a.code for a in event.recipients} == {"SYRREB", "SYRGOV"}


def test_nominal_event_needs_a_verb_that_asserts_it(pipeline: Pipeline) -> None:
    assert code(pipeline, "HTS-Damascus dialogue in Idlib with prisoners and trade") == []
    event = one(code(pipeline, "Clashes broke out between HTS and rival militias near Saraqib."), "ASSAULT")
    assert {a.code for a in event.actors} == {"SYRREB"}
    assert len(event.actors) == 2


def test_attempted(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "The Syrian army was trying to advance on the Rweiha axis."), "MOBILIZE")
    assert event.modality == "attempted" and event.counted


def test_negated_by_without(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Without Ankara being able to give them much help."), "AID")
    assert event.modality == "negated" and not event.counted


def test_negated_by_not(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Russian forces did not attack the town of Saraqib."), "ASSAULT")
    assert event.modality == "negated"


def test_hypothetical_modal(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Turkey could attack Syrian army positions near Saraqib."), "ASSAULT")
    assert event.modality == "hypothetical" and not event.counted


def test_future(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Russia will deploy troops along the M4 highway."), "MOBILIZE")
    assert event.modality == "future"


def test_announced_attack_is_a_threat_and_announced_aid_an_agreement(pipeline: Pipeline) -> None:
    # PLOVER: return the single category (THREATEN, AGREE), not an event plus "future"
    threat = one(code(pipeline, "Turkey will attack Syrian army positions near Saraqib."), "THREATEN")
    assert (threat.modality, threat.type.mode) == ("asserted", "violence")
    agreement = one(code(pipeline, "Finland will give Tanzania a grant of 580 million shillings."), "AGREE")
    assert agreement.modality == "asserted"


def test_intended_by_want(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "The rebels want to attack the army checkpoint in Ariha."), "ASSAULT")
    assert event.modality == "future"


def test_conditional(pipeline: Pipeline) -> None:
    events = code(pipeline, "If the army advances, the rebels will withdraw from Saraqib.")
    assert all(not e.counted for e in events)


def test_reported_would_is_an_announcement(pipeline: Pipeline) -> None:
    # "said it would boycott" reports "will boycott": an announced protest is PLOVER's THREATEN
    threat = one(
        code(pipeline, "Kurdish leaders said on Monday they would boycott the elections in Kirkuk."),
        "THREATEN",
    )
    assert (threat.modality, threat.type.cameo) == ("asserted", "133")
    assert [a.name for a in threat.actors] == ["Kurdish leaders"]


def test_claimed_act_is_reported_not_counted(pipeline: Pipeline) -> None:
    events = code(pipeline, "Rebel commanders accused the army of targeting a hospital in Ariha.")
    accusation, attack = one(events, "ACCUSE"), one(events, "ASSAULT")
    assert (accusation.modality, accusation.counted) == ("asserted", True)
    assert (attack.modality, attack.counted) == ("reported", False)
    claim = one(
        code(pipeline, "The army claimed that it had shot down a Turkish drone over Saraqib."), "ASSAULT"
    )
    assert claim.modality == "reported"


def test_neutral_attribution_stays_asserted(pipeline: Pipeline) -> None:
    text = "Russian jets bombed a market in Ariha, the Syrian Observatory for Human Rights said."
    assert one(code(pipeline, text), "ASSAULT").modality == "asserted"


def test_would_outside_reported_speech_stays_hypothetical(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Turkish troops would attack Syrian army positions near Saraqib."), "ASSAULT")
    assert event.modality == "hypothetical"


def test_act_announced_unless_a_condition_is_met_is_an_ultimatum(pipeline: Pipeline) -> None:
    text = "Turkey will withdraw its troops from the observation posts unless Damascus halts its offensive."
    threat = one(code(pipeline, text), "THREATEN")
    assert (threat.modality, threat.type.cameo) == ("asserted", "139")
    assert [a.code for a in threat.actors] == ["TUR"]


def test_event_named_by_the_compound_of_a_frame_noun(pipeline: Pipeline) -> None:
    text = "Qatar launched a mediation effort between Sudan and South Sudan on Saturday."
    event = one(code(pipeline, text), "CONSULT")
    assert (event.trigger.text, event.type.cameo) == ("mediation", "045")
    assert [a.code for a in event.actors] == ["QAT"]


def test_visit_asserted_by_a_verb_of_travel(pipeline: Pipeline) -> None:
    text = "The Iranian foreign minister arrived in Damascus on a two-day visit on Sunday."
    event = one(code(pipeline, text), "CONSULT")
    assert (event.trigger.text, event.type.mode) == ("visit", "visit")
    assert event.place is not None and event.place.name == "Damascus"


def test_participle_describing_an_actor_is_not_an_event(pipeline: Pipeline) -> None:
    events = code(pipeline, "Rival militias opposed to the plan met in Idlib.")
    assert "REJECT" not in {e.type.plover for e in events}


def test_evidence_spans_point_into_the_text(pipeline: Pipeline) -> None:
    text = "Russian warplanes bombed the town of Ariha on Monday."
    article = make_article("test", text, fmt="text", published=date(2020, 5, 4))
    [event] = pipeline.code(article).events
    for span in event.evidence_spans:
        assert article.text[span.start : span.end] == span.text
    assert {s.text for s in event.evidence_spans} >= {"bombed", "Ariha", "on Monday"}


@pytest.mark.parametrize("text", ["Share this article", "Back To Top", "skip to Main Content"])
def test_chrome_like_text_yields_nothing(pipeline: Pipeline, text: str) -> None:
    assert code(pipeline, f"{text}\n\nThe weather was mild.") == []


def test_thing_as_subject_is_no_event(pipeline: Pipeline) -> None:
    assert code(pipeline, "The town sits where the M4 and M5 highways meet, south-west of Aleppo.") == []


def test_relative_pronoun_stands_for_the_noun_it_describes(pipeline: Pipeline) -> None:
    events = code(pipeline, "Turkey fought the Syrian army, which is backed by Russian air power.")
    support = one(events, "SUPPORT")
    assert [a.code for a in support.actors] == ["RUSMIL"]
    assert [r.code for r in support.recipients] == ["SYRMIL"]


def test_noun_asserted_by_its_relative_clause(pipeline: Pipeline) -> None:
    events = code(
        pipeline,
        "Prisoners were freed under an agreement that the Houthis and the Saudi-led "
        "coalition reached in Switzerland in September.",
    )
    agree = one(events, "AGREE")
    assert {a.name for a in agree.actors} == {"Ansar Allah (Houthis)", "Saudi-led coalition"}
    assert agree.place is not None and agree.place.precision == "country"
    assert (agree.when.start, agree.when.precision) == (date(2019, 9, 1), "month")


def test_ceasefire_takes_effect_with_the_two_countries(pipeline: Pipeline) -> None:
    events = code(
        pipeline,
        "Russia and Turkey met in Moscow. The two countries said a ceasefire "
        "took effect at midnight in Idlib province.",
    )
    ceasefire = one(events, "RETREAT")
    assert ceasefire.type.mode == "ceasefire"
    assert ceasefire.place is not None and ceasefire.place.name == "Idlib Governorate"


def test_where_clause_takes_the_place_it_describes(pipeline: Pipeline) -> None:
    events = code(
        pipeline,
        "Fighting stopped along the front lines in Idlib province, where Turkish troops "
        "and Syrian government forces had clashed repeatedly.",
    )
    clash = one(events, "ASSAULT")
    assert clash.place is not None and clash.place.name == "Idlib Governorate"
    assert clash.place.source == "sentence"


def test_mobilized_forces_are_not_recipients(pipeline: Pipeline) -> None:
    event = one(
        code(pipeline, "Turkey has deployed thousands of troops to Idlib since early February."), "MOBILIZE"
    )
    assert event.recipients == ()
    assert (event.when.start, event.when.precision) == (date(2020, 2, 1), "month-part")


def test_every_trigger_maps_to_a_valid_plover_type() -> None:
    from khaldun.events.lexicon import get_lexicon
    from khaldun.events.ontology import get_ontology

    lexicon, ontology = get_lexicon(), get_ontology()
    tables = (lexicon.verbs, lexicon.nouns, lexicon.derived_verbs)
    for entries in (e for table in tables for e in table.values()):
        for entry in entries:
            if entry.type != "NONE":  # NONE marks a statement ("expressed concern"), not an event
                ontology.event_type(entry.type, entry.mode, entry.context, entry.cameo)  # raises when invalid


def test_refusal_to_concede_is_a_rejection(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "Hungary says it will not accept refugees from Syria."), "REJECT")
    assert event.modality == "asserted" and [a.code for a in event.actors] == ["HUN"]


def test_announced_meeting_is_an_agreement(pipeline: Pipeline) -> None:
    event = one(code(pipeline, "The German foreign minister will visit Albania in June."), "AGREE")
    assert event.type.cameo == "036"


def test_reported_must_is_a_demand(pipeline: Pipeline) -> None:
    event = one(
        code(pipeline, "Russia said on Tuesday that Sudan must return the captured helicopter."), "REQUEST"
    )
    assert [a.code for a in event.actors] == ["RUS"] and event.type.cameo == "100"


def test_hypothetical_refusal_stays_hypothetical(pipeline: Pipeline) -> None:
    events = code(pipeline, "Russia would never allow actions against the government in Damascus.")
    assert all(not e.counted for e in events)


def test_statements_are_not_events(pipeline: Pipeline) -> None:
    assert (
        code(pipeline, "The Turkish government expressed concern about the fighting and declined to comment.")
        == []
    )


# --- fatalities and sizes --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "plover", "fatalities"),
    [
        ("Syrian troops shelled rebel positions near Ariha on Sunday, killing four fighters.", "ASSAULT", 4),
        ("A car bomb exploded in a market in Azaz on Saturday and killed at least 75 people.", "ASSAULT", 75),
        ("At least 31 people were killed when Russian jets bombed Maarat al-Numan.", "ASSAULT", 31),
        ("Rebels attacked an army checkpoint near Saraqib; the death toll rose to 42.", "ASSAULT", 42),
    ],
)
def test_fatalities_reported_with_the_event(
    pipeline: Pipeline, text: str, plover: str, fatalities: int
) -> None:
    event = one(code(pipeline, text), plover)
    assert event.fatalities == fatalities
    assert any(str(fatalities) in s.text or "four" in s.text for s in event.evidence_spans)


def test_a_death_is_not_an_act_of_the_dead(pipeline: Pipeline) -> None:
    events = code(
        pipeline, "Russian aircraft bombed a market in Ariha on Wednesday. At least 13 people died."
    )
    assert [(e.type.plover, [a.name for a in e.actors]) for e in events] == [
        ("ASSAULT", ["Russian aircraft"])
    ]


@pytest.mark.parametrize(
    ("text", "plover", "size"),
    [
        ("Thousands of protesters marched through central Khartoum on Thursday.", "PROTEST", 1000),
        ("Turkey deployed 5,000 troops to Idlib province in February.", "MOBILIZE", 5000),
    ],
)
def test_size_of_crowd_or_force(pipeline: Pipeline, text: str, plover: str, size: int) -> None:
    event = one(code(pipeline, text), plover)
    assert event.size == size and event.fatalities is None


def test_undated_event_is_bounded_by_publication(pipeline: Pipeline) -> None:
    # no time in the sentence: it happened by publication (2020-05-04); when before, unknown
    event = one(code(pipeline, "Syrian troops shelled rebel positions near Ariha."), "ASSAULT")
    assert (event.when.start, event.when.end, event.when.precision, event.when.source) == (
        None,
        date(2020, 5, 4),
        "unknown",
        "article",
    )
