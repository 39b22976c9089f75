"""Places: toponym candidates from spaCy's GPE, LOC and FAC entities.

These are unresolved candidates (``resolved=False``, no GeoNames id or coordinates) until the gazetteer
resolver lands; the output says so rather than guessing coordinates.
"""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.schema import Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def find_places(doc: Doc) -> list[Place]:
    """Return one unresolved Place per toponym mention, ids ``p1``, ``p2``… in text order."""
    places = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        start, end = ent.start, ent.end
        if doc[start].lower_ == "the":
            start += 1
        if start >= end:
            continue
        span = doc[start:end]
        places.append(Place(id=f"p{len(places) + 1}", span=(span.start_char, span.end_char), name=span.text))
    return places
