"""Name keys: how a place name is folded so that spelling variants meet in the gazetteer index."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Leading abbreviations that GeoNames spells out in some names and not in others ("St. Louis" and
# "Saint Louis" are both in use), so both forms fold to the long one.
_LEADING = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'"})
_PUNCT = re.compile(r"[.\u00b7]")
_SEPARATORS = re.compile(r"[-‐‑–—_/,]+|\s+")


def strip_accents(text: str) -> str:
    """Return ``text`` without combining marks ("Bogotá" -> "Bogota"); other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=32_768)  # news repeats its names; folding one costs more than the gazetteer probe
def name_key(name: str) -> str:
    """Fold a place name to its index key: no accents or dots, lower case, single spaces, "St" -> "saint".

    Dots vanish without a space, so "U.S." and "US", "N.Y." and "NY" share a key.

    >>> name_key("St. Louis"), name_key("Winston-Salem"), name_key("Bogotá"), name_key("U.S.")
    ('saint louis', 'winston salem', 'bogota', 'us')
    """
    text = strip_accents(name.translate(_APOSTROPHES)).casefold()
    text = _PUNCT.sub("", text)
    # Apostrophes at a word's edge are transliteration marks ("‘Afrīn"), not part of the name.
    words = [w.strip("'") for w in _SEPARATORS.sub(" ", text).split()]
    words = [w for w in words if w]
    if len(words) > 1 and words[0] in _LEADING:
        words[0] = _LEADING[words[0]]
    return " ".join(words)


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (accented letters included)."""
    return all(not c.isalpha() or ord(c) <= 0x24F or 0x1E00 <= ord(c) <= 0x1EFF or c in "ʻʼʿʾ" for c in name)
