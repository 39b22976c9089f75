"""The outlet's country and home town, from its web address: evidence for where an article's places lie."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from newsgraph.geo.gazetteer import Candidate, Gazetteer

# Country-code domains sold worldwide as vanity names, which say nothing about where an outlet is.
_VANITY = frozenset(
    {"ai", "co", "fm", "io", "ly", "me", "tv", "cc", "ws", "to", "gg", "nu", "am", "so", "is"}
)
# Domains whose code is not the country's ISO code.
_ISO = {"uk": "GB", "eu": None}


def country_of_url(url: str | None) -> str | None:
    """ISO alpha-2 code of the country an outlet's domain names, or None for generic domains.

    >>> country_of_url("https://www.irishtimes.ie/news"), country_of_url("https://www.bbc.co.uk/x")
    ('IE', 'GB')
    >>> country_of_url("https://www.nola.com/") is None
    True
    """
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(tld) != 2 or tld in _VANITY:
        return None
    if tld in _ISO:
        return _ISO[tld]
    return tld.upper()


# Labels of a web address that name a service, not the outlet.
_SERVICE_LABELS = frozenset(
    {"www", "m", "en", "news", "amp", "mobile", "edition", "co", "com", "org", "net", "gov"}
)
# A local outlet is named after a place of some size; below this, a word of an outlet's name ("Sun",
# "Herald", "Star") is too often some village.
HOME_MIN_POPULATION = 50_000
HOME_MIN_LETTERS = 5
_HOME_FEATURES = frozenset({"PPL", "PPLC", "ADM1", "ADM2", "PCLI"})


def home_of_url(url: str | None, gazetteer: Gazetteer) -> Candidate | None:
    """The town or region a local outlet's web address is named after, or None.

    The longest run of at least four letters at the start or end of a label of the host name that is a
    gazetteer place of :data:`HOME_MIN_POPULATION` or more ("chicagotribune.com" → Chicago,
    "winnipeg.ctvnews.ca" → Winnipeg, "derryjournal.com" → Derry); of namesakes, one in the country of
    the address's domain first, then the likeliest.
    """
    from newsgraph.geo.resolve import candidates_for, prior
    from newsgraph.geo.text import name_key

    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    labels = host.lower().split(".")[:-1]
    country = country_of_url(url)
    for label in labels:
        if label in _SERVICE_LABELS:
            continue
        for part in label.split("-"):
            letters = "".join(c for c in part if c.isalpha())
            for size in range(len(letters), HOME_MIN_LETTERS - 1, -1):
                for piece in dict.fromkeys((letters[:size], letters[-size:])):
                    # The place's own name, spelt out: no codes or alternate names ("Abia" is no "arabia").
                    options = [
                        c
                        for c in candidates_for(piece, gazetteer)
                        if c.feature in _HOME_FEATURES
                        and c.population >= HOME_MIN_POPULATION
                        and name_key(c.name).replace(" ", "") == piece
                    ]
                    if options:
                        return max(options, key=lambda c: (c.country == country, prior(c)))
    return None
