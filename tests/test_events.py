"""Event coding on wire-style sentences written for these tests: types, actors, flags and reporting links."""

from __future__ import annotations

import pytest

from newsgraph.schema import Article, Event, Record

pytestmark = pytest.mark.slow

PUBLISHED = "2024-03-14"


def code(pipeline, text: str) -> Record:
    return pipeline.analyze_one(Article(text=text, id="t", published=PUBLISHED))


def trigger(record: Record, event: Event) -> str:
    return record.article.text[event.trigger[0] : event.trigger[1]]


def only(record: Record, event_type: str, **flags: bool) -> Event:
    found = [
        e for e in record.events if e.type == event_type and all(getattr(e, k) == v for k, v in flags.items())
    ]
    assert len(found) == 1, [(e.type, trigger(record, e), e.planned) for e in record.events]
    return found[0]


@pytest.mark.parametrize(
    ("text", "event_type", "mode", "actor", "target"),
    [
        ("Chilean Foreign Minister Rodrigo Vial visited Seoul on Tuesday.", "CONSULT", "visit", "CHL", "KOR"),
        (
            "Kenyan President Amina Odhiambo met Indian Prime Minister Ravi Menon in Nairobi on Monday.",
            "CONSULT",
            None,
            "KEN",
            "IND",
        ),
        ("Norway and Iceland agreed on Friday to share fisheries data.", "AGREE", None, "NOR", "ISL"),
        ("Canada imposed sanctions on Belarus on Thursday.", "SANCTION", None, "CAN", "BLR"),
        ("Serbia threatened to expel Croatian diplomats.", "THREATEN", None, "SRB", "HRV"),
        ("Brazil said Venezuela must release the detained journalists.", "REQUEST", None, "BRA", "VEN"),
        ("Egypt refused to open the Rafah crossing.", "REJECT", None, "EGY", None),
        (
            "A police station in Kandahar was attacked by Taliban fighters on Sunday.",
            "ASSAULT",
            None,
            "AFG",
            "AFG",
        ),
        ("Indonesian police arrested 12 protesters in Jakarta.", "COERCE", "arrest", "IDN", None),
        ("Turkey lifted the curfew in Diyarbakir on Saturday.", "CONCEDE", None, "TUR", None),
        ("The Kremlin accused Estonia of harassing Russian speakers.", "ACCUSE", None, "RUS", "EST"),
    ],
)
def test_event_type_and_parties(pipeline, text, event_type, mode, actor, target):
    record = code(pipeline, text)
    event = only(record, event_type, planned=False)
    if mode is not None:
        assert event.mode == mode
    assert event.actor_country == actor
    if target is not None:
        assert event.target_country == target
    assert event.candidate is False


def test_meeting_links_place_time_and_named_parties(pipeline):
    record = code(
        pipeline, "Kenyan President Amina Odhiambo met Indian Prime Minister Ravi Menon in Nairobi on Monday."
    )
    event = only(record, "CONSULT")
    assert trigger(record, event) == "met"
    assert record.entity(event.actor).name == "Amina Odhiambo"
    assert record.entity(event.target).name == "Ravi Menon"
    assert event.actor_sector == "GOV"
    place = next(p for p in record.places if p.id == event.place)
    assert place.name == "Nairobi"
    time = next(t for t in record.times if t.id == event.time)
    assert time.text == "Monday" and time.value == "2024-03-11"


def test_invitation_accepted_is_agree_now_and_visit_planned(pipeline):
    record = code(
        pipeline, "Vietnamese Foreign Minister Tran Minh accepted an invitation to visit Canberra next year."
    )
    agree = only(record, "AGREE")
    visit = only(record, "CONSULT")
    assert trigger(record, agree) == "accepted" and not agree.planned
    assert visit.planned and visit.mode == "visit"
    assert visit.actor_country == "VNM" and visit.target_country == "AUS"


def test_will_visit_is_planned_with_a_statement_of_intent(pipeline):
    record = code(pipeline, "Swedish Defence Minister Erik Lund will visit Warsaw on Friday.")
    visit = only(record, "CONSULT")
    assert visit.planned and visit.actor_country == "SWE" and visit.target_country == "POL"
    agree = only(record, "AGREE")
    assert not agree.planned and trigger(record, agree) == "will visit"


def test_future_hostile_action_is_a_threat(pipeline):
    record = code(
        pipeline,
        "Ghana will send 50 tonnes of rice to Sierra Leone, but Mali will close its border with Niger.",
    )
    assert only(record, "AID").planned
    threat = only(record, "THREATEN")
    assert threat.actor_country == "MLI" and not threat.planned


@pytest.mark.parametrize(
    ("text", "event_type", "flag"),
    [
        ("Trade officials of both countries are thought to have met in Singapore.", "CONSULT", "hedged"),
        ("Syrian forces reportedly shelled the town of Idlib on Friday.", "ASSAULT", "hedged"),
        ("The two foreign ministers did not meet in Lima on Tuesday.", "CONSULT", "negated"),
        ("Colombian rebels will release two hostages next week.", "RETREAT", "planned"),
    ],
)
def test_hedged_negated_planned(pipeline, text, event_type, flag):
    record = code(pipeline, text)
    event = next(e for e in record.events if e.type == event_type)
    assert getattr(event, flag) is True
    others = {"hedged", "negated", "planned"} - {flag}
    assert not any(getattr(event, other) for other in others)


def test_asserted_meeting_has_no_flags(pipeline):
    record = code(pipeline, "Trade officials of both countries met in Singapore on Tuesday.")
    event = only(record, "CONSULT")
    assert not (event.hedged or event.negated or event.planned)


def test_reporting_attribution_is_linked(pipeline):
    record = code(pipeline, "NHK said the minister met Prime Minister Kishida in Tokyo on Tuesday.")
    event = only(record, "CONSULT")
    assert event.reported_by is not None
    assert record.attributions[event.reported_by].speaker_name == "NHK"
    assert event.target_country == "JPN"


def test_event_asserted_by_the_article_has_no_reporter(pipeline):
    record = code(pipeline, "Canada imposed sanctions on Belarus on Thursday.")
    assert only(record, "SANCTION").reported_by is None


def test_entities_carry_country_and_sector(pipeline):
    record = code(
        pipeline,
        "Portuguese Foreign Minister Ana Ribeiro met officials in Beijing. Reuters said the talks went well.",
    )
    ribeiro = next(e for e in record.entities if e.name == "Ana Ribeiro")
    assert (ribeiro.country, ribeiro.sector) == ("PRT", "GOV")
    reuters = next(e for e in record.entities if e.name == "Reuters")
    assert reuters.sector == "JRN"
    beijing = next(e for e in record.entities if e.name == "Beijing")
    assert beijing.country == "CHN"


def test_jsonl_record_carries_event_and_entity_countries(pipeline):
    data = code(pipeline, "Canada imposed sanctions on Belarus on Thursday.").to_dict()
    event = next(e for e in data["events"] if e["type"] == "SANCTION")
    assert (event["actor_country"], event["target_country"]) == ("CAN", "BLR")
    assert {e["name"]: e["country"] for e in data["entities"]} == {"Canada": "CAN", "Belarus": "BLR"}
    assert Record.from_dict(data).to_dict() == data


def test_plain_reporting_is_not_an_event(pipeline):
    record = code(pipeline, "The foreign ministry said on Monday that exports rose by 3 percent.")
    assert record.events == []


@pytest.mark.parametrize(
    "text",
    [
        "Rebels shell border town\n\nRebels shelled the town of Koro on Sunday, killing three civilians, "
        "police said. The government condemned the attack and promised to rebuild the school.",
        "Norway and Iceland agreed on Friday to share fisheries data.",
        "Kenyan President Amina Odhiambo met Indian Prime Minister Ravi Menon in Nairobi on Monday. "
        "Protesters marched outside.",
    ],
)
def test_exactly_one_event_is_main(pipeline, text):
    record = code(pipeline, text)
    assert record.events
    assert sum(e.main for e in record.events) == 1


def test_the_main_event_comes_from_the_headline(pipeline):
    record = code(
        pipeline,
        "Rebels shell border town\n\nRebels shelled the town of Koro on Sunday, killing three civilians, "
        "police said. The government condemned the attack and promised to rebuild the school.",
    )
    main = next(e for e in record.events if e.main)
    assert main.type == "ASSAULT"
    assert main.trigger[0] < record.article.text.index("police said")
    assert {"ACCUSE", "ASSAULT"} <= {e.type for e in record.events}


def test_a_persons_country_comes_from_the_article(pipeline):
    # No list of famous people: a bare name has no country; the article's own words give it one.
    bare = only(code(pipeline, "Vladimir Putin met Emmanuel Macron on Tuesday."), "CONSULT")
    assert bare.actor_country is None
    record = code(
        pipeline,
        "Russian President Vladimir Putin arrived in Paris on Monday. "
        "Putin met Emmanuel Macron, the French president, on Tuesday.",
    )
    event = next(e for e in record.events if trigger(record, e) == "met")
    assert (event.actor_country, event.target_country) == ("RUS", "FRA")
