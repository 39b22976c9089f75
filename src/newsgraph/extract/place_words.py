"""Word tables of toponym detection: what cues a place, what names a street or building, and which words are
places somewhere but rarely meant as one. Kept apart from :mod:`newsgraph.extract.place_detect`, which
reads them."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from spacy.tokens import Doc

from newsgraph.extract.countries import by_demonym, by_name
from newsgraph.extract.times.vocabulary import MONTHS

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities of these labels never hold a place name worth a candidate (numbers, dates, amounts).
SKIP_LABELS = frozenset({"DATE", "TIME", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "MONEY"})
# Longest run of tokens tried as a name outside entities ("Rio de Janeiro", "Bosnia and Herzegovina").
MAX_NAME_TOKENS = 4
QUALIFIER_FEATURES = frozenset({"PCLI", "ADM1"})
# Kinds of place taken from the middle of an organisation's name ("Air Canada Cargo", "the Single European
# Sky"): countries, first-level regions, continents and macro-regions, not towns.
INSIDE_NAME_FEATURES = frozenset({"PCLI", "ADM1", "CONT", "RGN"})
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "president", "judge", "coach", "sir", "lord"}
)
# "Bourbon and Dauphine streets", "the 500 block of Jeffords" (see Detector._streets).
STREET_CUES = re.compile(r"\b(?:(streets|avenues|roads|boulevards)|block of)\b")
# What joins two names into one entity ("Asia-Pacific", "Chartres/Franklin").
JOINERS = frozenset({"-", "/", "–"})
# What ends a dateline written in ordinary capitals ("Muscat: …").
DATELINE_MARKS = frozenset({":", "—", "–", "--"})
# Prepositions after which a capitalised name is usually a place ("in Knoxville", "near Oak Ridge").
LOCATIVE = frozenset(
    {
        "in", "near", "from", "at", "to", "into", "across", "outside", "throughout", "around", "toward",
        "towards", "via", "between", "through", "inside", "within", "along", "north", "south",
        "east", "west", "nearby", "downtown", "suburban", "rural",
    }
)  # fmt: skip
# Words after which a name is often a venue ("at Black Sheep", "inside Anfield"); see place_detect._venue.
VENUE_CUES = frozenset({"at", "inside", "into", "outside"})
# "the suburb of X", "the village of X": what kind of place X is, said before "of" (see Detector._venue).
AREA_OF_WORDS = frozenset(
    {"suburb", "neighborhood", "neighbourhood", "village", "town", "city", "hamlet", "community", "township",
     "borough", "district", "county", "province", "island", "parish", "municipality", "state"}
)  # fmt: skip
# Words that are towns somewhere but in capitals mostly start sentences or name other things.
COMMON_WORDS = frozenset(
    {
        "of", "most", "best", "hope", "mobile", "reading", "bath", "nice", "march", "may", "june", "july",
        "independence", "liberty", "union", "unity", "victoria", "university", "central", "north", "south",
        "east", "west", "eastern", "western", "northern", "southern", "media", "police", "man", "god",
        "mission", "enterprise", "commerce", "industry", "sale", "split", "bar", "van", "lead", "ware",
    }
)  # fmt: skip
# Words for kinds of place: a name that is only one of these ("Island", "Delta", "Republic") is a word of a
# longer name, not the village or region of that name; and a river, lake or range is not the place it is
# named after ("Mississippi River" is not the state).
GENERIC_WORDS = frozenset(
    {
        "island", "islands", "lake", "river", "bay", "valley", "delta", "point", "republic", "city",
        "state", "county", "coast", "mountain", "mountains", "hills", "falls", "beach", "creek", "port",
        "gulf", "sea", "ocean", "strait", "canyon", "peninsula", "forest", "desert", "springs", "heights",
    }
)  # fmt: skip
NATURAL_WORDS = frozenset(
    {"river", "lake", "mountains", "mountain", "creek", "bay", "valley", "delta", "canyon"}
)
# Words after a place's name in local news ("Nelson residents", "the Bellmore area", "Tulsa police").
RESIDENT_WORDS = frozenset(
    {"resident", "residents", "native", "natives", "neighborhood", "neighbourhood", "area", "township",
     "mayor", "police", "council", "officials", "voters", "schools"}
)  # fmt: skip
# A name whose last word is one of these is a street, building or site: most of the ones local news names
# are not in the gazetteer, and are placed at the article's own town (see newsgraph.extract.places).
# Of those, the words of a street: its first word names the street, not the town ("Hampton Avenue"), and
# no surname ends a person's name with one ("Fitzwilliam Place" tagged PERSON is a street).
STREET_WORDS = frozenset(
    {
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
        "boulevard",
        "blvd",
        "drive",
        "place",
        "highway",
        "parkway",
    }
)
# Street words that end a name in lower case too ("Third street"), as some papers write them.
LOWER_STREET = re.compile(r"(?<=[A-Za-z0-9] )(?:street|avenue|road|boulevard|lane)\b")
FACILITY_WORDS = frozenset(
    {
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "lane", "place",
        "square", "bridge", "highway", "parkway", "church", "cathedral", "chapel", "basilica", "mosque",
        "temple", "hospital", "hall", "centre", "center", "estate", "prison", "campus", "plantation", "canal",
        "park", "stadium", "arena", "airport", "school", "academy", "college", "library", "museum",
        "courthouse", "castle", "palace", "tower", "market", "mall", "hotel", "inn", "racecourse", "station",
        "harbour", "harbor", "cemetery", "zoo", "gardens", "fields",
    }
)  # fmt: skip
# A place inside a building's or site's name is taken from this size on (see Detector._embedded).
EMBEDDED_IN_FACILITY_MIN_POPULATION = 100_000
# A name whose last word is one of these is an administrative area by its own words.
AREA_WORDS = frozenset({"county", "parish", "township", "borough", "district", "province", "region"})


def is_demonym(text: str) -> bool:
    """True when ``text`` is a nationality word rather than a place name ("Portuguese", "Iraqis").

    Country names that double as adjectives ("U.S. troops") are names, not demonyms.
    """
    return by_demonym(text) is not None and by_name(text) is None


def is_facility(text: str) -> bool:
    """True when the name's last word is a street, building or site word ("Royal Street", "St Mary's
    Church")."""
    words = text.split()
    return len(words) >= 2 and words[-1].lower().rstrip(".") in FACILITY_WORDS


# An abbreviated name joined to the next word by a dash, which the tokenizer keeps in one token: "the
# U.S.-led coalition", "a U.K.-based firm", a press-release dateline "PLEASANTON, Calif.--(BUSINESS WIRE)--".
ABBREVIATION_JOINED = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,}|[A-Z][a-z]{1,5}\.)(?=[-–—])")


def joined_abbreviations(text: str) -> list[tuple[int, int]]:
    """Character spans of the abbreviated names in ``text`` that a dash joins to the next word."""
    return [m.span(1) for m in ABBREVIATION_JOINED.finditer(text)]


def trim_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Tokens ``start:end`` without a leading "the" or a trailing possessive or punctuation mark."""
    while start < end and doc[start].lower_ in ("the", "'s", "’s"):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct):
        if doc[end - 1].text.endswith(".") and len(doc[end - 1].text) > 1:
            break  # "Va." keeps its dot
        end -= 1
    return start, end


def top_vote(votes: Counter[Any], own: Any) -> Any:
    """The key with the most votes once ``own`` loses one (None when no key keeps a vote)."""
    best, most = None, 0
    for key, count in votes.items():
        count -= key == own
        if count > most:
            best, most = key, count
    return best


def is_month(token: Any) -> bool:
    """True when the token is a month's name or its abbreviation ("March", "Aug.", "Sept")."""
    return token.lower_.rstrip(".") in MONTHS
