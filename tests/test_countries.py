"""Country lookups, actor descriptions and the event lexicon: the tables the event coder stands on."""

from __future__ import annotations

import pytest

from newsgraph.extract import countries
from newsgraph.extract.actors import Actor, infer_country, international_code, known_actor, sector_of_words
from newsgraph.extract.plover import PLOVER_TYPES, QUAD_CLASS, SCORES, cameo_code, load_lexicon


@pytest.mark.parametrize(
    ("text", "alpha3", "kind"),
    [
        ("Portugal", "PRT", "name"),
        ("the Philippines", "PHL", "name"),
        ("Japan's", "JPN", "name"),
        ("U.S.", "USA", "name"),
        ("Britain", "GBR", "name"),
        ("Ivory Coast", "CIV", "name"),
        ("Democratic People's Republic of Korea", "PRK", "name"),
        ("Portuguese", "PRT", "demonym"),
        ("North Korean", "PRK", "demonym"),
        ("Iraqis", "IRQ", "demonym"),
        ("Swiss", "CHE", "demonym"),
        ("Beijing", "CHN", "capital"),
        ("Kyiv", "UKR", "capital"),
        ("Kremlin", "RUS", "seat"),
        ("Soviet", "SUN", "demonym"),
    ],
)
def test_lookup(text, alpha3, kind):
    match = countries.lookup(text)
    assert match is not None and (match.country.alpha3, match.kind) == (alpha3, kind)


def test_cities_only_when_asked_and_large_enough():
    assert countries.lookup("Geneva") is None
    assert countries.lookup("Geneva", cities=True).country.alpha3 == "CHE"
    assert countries.by_city("Samarra").alpha3 == "IRQ"
    assert countries.by_city("Samarra", min_population=10_000_000) is None
    # The city itself, not a place that lists the name among its alternate names.
    assert countries.by_city("Porto").alpha3 == "PRT"
    assert countries.by_city("Parma").alpha3 == "ITA"


def test_codes_names_and_fips():
    assert countries.by_code("pt").alpha3 == "PRT"
    assert countries.by_code("KOR").name == "South Korea"
    assert countries.lookup("US") is not None and countries.lookup("PRT") is None
    assert countries.lookup("PRT", codes=True).country.alpha3 == "PRT"
    assert countries.fips_code("DEU") == "GM" and countries.fips_code("JP") == "JA"
    assert "Portuguese" in countries.demonyms_of("PRT")
    assert len(countries.countries()) == 249
    assert countries.lookup("Narnia") is None and countries.lookup("") is None


@pytest.mark.parametrize(
    ("words", "sector"),
    [
        (["Foreign", "Minister"], "GOV"),
        (["Afghan", "rebel", "leaders"], "REB"),
        (["riot", "police"], "COP"),
        (["security", "forces"], "COP"),
        (["government", "officials"], "GOV"),
        (["Turkish", "police"], "COP"),
        (["Israeli", "soldiers"], "MIL"),
        (["students"], "EDU"),
        (["news", "agency"], "JRN"),
        (["local", "residents"], "CVL"),
        (["weather"], None),
    ],
)
def test_sector_of_words(words, sector):
    assert sector_of_words(words) == sector


def test_international_and_known_actors():
    assert international_code("U.N. Security Council") == "IGO"
    assert international_code("UN peacekeepers") == "IGO"
    assert international_code("Amnesty International") == "NGO"
    assert international_code("Portugal") is None
    assert known_actor("Kyodo") == ("JPN", "JRN")
    assert known_actor("Jane Doe") is None


def test_domestic_actors_take_their_targets_country():
    police = Actor("police", None, "COP")
    protesters = Actor("protesters", "GEO", "CVL")
    assert infer_country(police, protesters, None).country == "GEO"
    assert infer_country(police, None, "FRA").country == "FRA"
    minister = Actor("the minister", None, "GOV")
    assert infer_country(minister, Actor("Japan", "JPN"), "JPN").country is None
    assert infer_country(minister, protesters, None).country == "GEO"


def test_lexicon_covers_every_type_and_is_consistent():
    lex = load_lexicon()
    coded = {
        sense.type
        for table in (lex.verbs, lex.nouns, lex.phrasal)
        for senses in table.values()
        for sense in senses
    }
    assert set(PLOVER_TYPES) <= coded
    assert set(QUAD_CLASS) == set(SCORES) == set(PLOVER_TYPES)
    assert lex.verbs["visit"][0].type == "CONSULT" and lex.verbs["visit"][0].mode == "visit"
    withdraw = [s.obj for s in lex.verbs["withdraw"]]
    assert withdraw[0] == "personnel" and withdraw[-1] is None  # conditional senses first, default last


def test_cameo_codes():
    assert cameo_code("CONSULT", "visit") == "042"
    assert cameo_code("CONSULT") == "040"
    assert cameo_code("ASSAULT", "firearms") == "193"
    assert cameo_code("REQUEST") == "100"


def test_entity_index_finds_the_first_entity_mentioned_at_an_offset():
    from newsgraph.extract.actors import EntityIndex
    from newsgraph.schema import Entity

    minister = Entity("e1", "Ana Ribeiro", "PERSON", mentions=[(0, 11), (40, 52)])
    ministry = Entity("e2", "Foreign Ministry", "ORG", mentions=[(45, 60)])
    index = EntityIndex([minister, ministry])
    assert list(index) == [minister, ministry]
    assert index.at(0) is minister and index.at(10) is minister and index.at(11) is None
    assert index.at(46) is minister  # both cover it: the first listed wins
    assert index.at(55) is ministry and index.at(60) is None
