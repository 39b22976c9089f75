"""The offline GeoNames gazetteer: name folding, lookup, case rules, the build command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.geo.gazetteer import Gazetteer
from newsgraph.geo.outlets import country_of_url
from newsgraph.geo.resolve import acceptable, candidates_for
from newsgraph.geo.text import name_key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("St. Louis", "saint louis"),
        ("Saint Louis", "saint louis"),
        ("Winston-Salem", "winston salem"),
        ("Bogotá", "bogota"),
        ("U.S.", "us"),
        ("N.Y.", "ny"),
        ("‘Afrīn", "afrin"),
        ("Côte d’Ivoire", "cote d'ivoire"),
    ],
)
def test_name_key_folds_spelling_variants(name, key):
    assert name_key(name) == key


def test_lookup_finds_every_paris_with_coordinates(gaz):
    found = gaz.lookup("Paris")
    countries = {c.country for c in found}
    assert {"FR", "US"} <= countries
    capital = next(c for c in found if c.feature == "PPLC")
    assert capital.geonameid == 2988507
    assert 48 < capital.lat < 49 and 2 < capital.lon < 3


def test_tokyo_the_city_is_preferred_to_the_prefecture(gaz):
    assert [c.geonameid for c in candidates_for("Tokyo", gaz)] == [1850147]


def test_capital_letters_keep_us_apart_from_the_village_of_us(gaz):
    assert {c.country for c in gaz.lookup("US")} == {"US", "FR"}  # the index has both…
    assert [c.feature for c in candidates_for("US", gaz)] == ["PCLI"]  # …"US" as written means one
    assert [c.feature for c in candidates_for("U.S.", gaz)] == ["PCLI"]


def test_a_former_name_does_not_outweigh_the_towns_that_bear_it(gaz):
    # Lorain, Ohio was once Charleston: the Charlestons of West Virginia and South Carolina are meant.
    options = candidates_for("Charleston", gaz)
    assert {c.admin1 for c in options if c.country == "US" and c.name == "Charleston"} >= {"WV", "SC"}
    assert "Lorain" not in {c.name for c in options}
    # Where no town has the name as its own, the alternate name still finds its place.
    assert "Mumbai" in {c.name for c in candidates_for("Bombay", gaz)}


def test_a_one_or_two_letter_word_matches_no_alternate_name(gaz):
    assert "Yale" not in {c.name for c in candidates_for("El", gaz)}  # "El" is an alternate of Yale, Mich.
    assert "Limburg" not in {c.name for c in candidates_for("Li", gaz)}
    assert "Ho" in {c.name for c in candidates_for("Ho", gaz)}  # a town's own name still counts (Ghana)


def test_a_direction_word_left_over_from_a_street_is_no_place(gaz):
    assert candidates_for("North State", gaz) == []
    assert candidates_for("North", gaz) == []
    assert "Lagos" in {c.name for c in candidates_for("Lagos State", gaz)}  # a real name keeps its variant


def test_style_book_abbreviations_only_match_as_written(gaz):
    assert [c.name for c in candidates_for("Va.", gaz) if c.feature == "ADM1"] == ["Virginia"]
    assert [c.name for c in candidates_for("W.Va.", gaz)] == ["West Virginia"]
    assert not [c for c in candidates_for("va", gaz) if c.name == "Virginia"]


def test_regions_and_seas_are_in_the_index(gaz):
    assert candidates_for("Middle East", gaz)[0].feature == "RGN"
    assert {c.feature for c in candidates_for("the Mediterranean", gaz)} == {"SEA"}


def test_get_and_country_and_admin1(gaz):
    assert gaz.get(1850147).name == "Tokyo"
    assert gaz.country("pt").name == "Portugal"
    assert gaz.admin1("US", "TX").name == "Texas"
    assert gaz.get(-999_999) is None


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.irishtimes.ie/news/x", "IE"),
        ("https://www.bbc.co.uk/news", "GB"),
        ("https://www.nola.com/news", None),
        ("https://techcrunch.io/x", None),
        (None, None),
    ],
)
def test_outlet_country_from_its_domain(url, country):
    assert country_of_url(url) == country


def test_build_command_writes_a_working_index(tmp_path):
    target = tmp_path / "gaz.sqlite"
    result = CliRunner().invoke(main, ["gazetteer", "build", "--path", str(target)])
    assert result.exit_code == 0, result.output
    assert "places" in result.output and target.exists()
    built = Gazetteer(target)
    assert len(built) > 250_000
    assert any(c.geonameid == 1880251 for c in built.lookup("Singapore"))


def test_lookup_command_and_unknown_names():
    result = CliRunner().invoke(main, ["gazetteer", "lookup", "Springfield", "Xqzzyville"])
    assert result.exit_code == 0, result.output
    assert "Illinois" in result.output
    assert "Xqzzyville: not in the gazetteer" in result.output


def test_a_corrupt_gazetteer_file_is_a_clear_error(tmp_path):
    from newsgraph.errors import NewsgraphError

    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database")
    with pytest.raises(NewsgraphError, match="gazetteer build"):
        Gazetteer(bad)


def test_names_outside_the_index_are_answered_without_candidates(gaz):
    assert gaz.lookup("Xqzzyville") == []
    assert gaz.contains("Paris") and gaz.contains("St. Louis")
    assert not gaz.contains("Xqzzyville") and not gaz.contains("")


def test_lookups_are_the_same_after_the_cache_is_cleared(gaz):
    before = gaz.lookup("Springfield")
    gaz.clear_cache()
    assert gaz.lookup("Springfield") == before and len(before) > 5


def _paris_ids() -> list[int]:
    return [c.geonameid for c in Gazetteer.default().lookup("Paris")]


def test_a_forked_worker_reads_the_gazetteer_of_its_parent():
    import multiprocessing

    parent = _paris_ids()  # the parent has opened the file before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_paris_ids) == parent
    assert _paris_ids() == parent  # and still reads it afterwards


def test_the_european_union_and_continent_adjectives(gaz):
    assert [c.name for c in gaz.lookup("EU") if acceptable(c, "EU")] == ["European Union"]
    assert not [c for c in gaz.lookup("Eu") if c.feature == "RGN" and acceptable(c, "Eu")]
    assert {c.name for c in gaz.lookup("African") if c.feature == "CONT"} == {"Africa"}
