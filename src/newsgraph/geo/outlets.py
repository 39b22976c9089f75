"""The outlet's country, from its web address: evidence for where an article's places lie."""

from __future__ import annotations

from urllib.parse import urlsplit

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
