"""Links: the place and time of an event's own clause, and the attribution that reports it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsgraph.extract import countries
from newsgraph.extract.events.found import Found
from newsgraph.schema import Attribution, Place

# Clause-level dependencies: a phrase under one of these belongs to another clause.
_CLAUSAL = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis", "pcomp", "csubj"})


def clause_path(tok: Token) -> frozenset[int]:
    """The tokens from ``tok`` up to the top of its clause: ``tok`` hangs under each of them without
    crossing into another clause (50 steps at most)."""
    path = []
    for _ in range(50):
        path.append(tok.i)
        if tok.dep_ in _CLAUSAL or tok.head.i == tok.i:
            break
        tok = tok.head
    return frozenset(path)


@dataclass(frozen=True)
class Linkable:
    """A place or time mention, parsed once per article for linking: its root and the root's clause path."""

    id: str
    span: tuple[int, int]
    root: int
    path: frozenset[int]


def linkables(doc: Doc, spans: Sequence[tuple[str, tuple[int, int]]]) -> list[Linkable]:
    """The mentions that can be linked (those that cover at least one token), in the given order."""
    out = []
    for item_id, (start, end) in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        root = span.root
        out.append(Linkable(item_id, (start, end), root.i, clause_path(root)))
    return out


def link(found: Found, items: Sequence[Linkable], avoid: Sequence[tuple[int, int]]) -> str | None:
    """The id of the nearest mention in the trigger's own clause, skipping mentions inside ``avoid``."""
    best: tuple[int, str] | None = None
    clause, token = found.clause.i, found.token.i
    for item in items:
        start, end = item.span
        if any(lo <= start and end <= hi for lo, hi in avoid):
            continue
        if clause not in item.path and token not in item.path:
            continue
        distance = abs(item.root - token)
        if best is None or distance < best[0]:
            best = (distance, item.id)
    return best[1] if best else None


def reported_by(start: int, attributions: Sequence[Attribution]) -> int | None:
    """Index of the innermost attribution whose content contains character ``start``."""
    best: tuple[int, int] | None = None
    for index, attribution in enumerate(attributions):
        lo, hi = attribution.content
        if lo <= start < hi and (best is None or hi - lo < best[0]):
            best = (hi - lo, index)
    return best[1] if best else None


def place_country(place: Place) -> str | None:
    """ISO alpha-3 of a place: its resolved country, else what its name says (a country or a city)."""
    if place.country:
        country = countries.by_code(place.country)
        if country is not None:
            return country.alpha3
    match = countries.lookup(place.name, cities=True)
    return match.country.alpha3 if match is not None else None


def after(value: str | None, reference: dt.date | None) -> bool:
    if not value or reference is None or len(value) < 10:
        return False
    try:
        return dt.date.fromisoformat(value[:10]) > reference
    except ValueError:
        return False
