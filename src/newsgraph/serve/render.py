"""What the HTML pages draw: an article's text cut into marked segments, bar charts and the world map.

Everything here is pure (no store access): pages.py fetches, these functions shape, the templates print
(with Jinja's autoescaping, so no text from an article ever reaches the page as markup).
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from newsgraph.schema import Entity, Record, Translation
from newsgraph.store.codec import entity_key
from newsgraph.store.places import PlaceRow

# The map's drawing box: an equirectangular projection, 2.5 px per degree.
MAP_WIDTH = 900
MAP_HEIGHT = 450
# Marker radius for one article and the largest radius: areas grow with the count (radius with its root).
MARKER_MIN = 3.0
MARKER_MAX = 18.0


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL a link may point to, else None (``javascript:`` and the like)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


# -- the article's marks ---------------------------------------------------------------------------


@dataclass
class Mark:
    """One span shown on the article page, with what hovering it tells."""

    id: str
    kind: str  # content, cue, source, via, entity, place, time, event
    start: int
    end: int
    label: str
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same marks (none for plain text)."""

    text: str
    marks: tuple[str, ...]
    kinds: tuple[str, ...]
    sentence: int | None = None  # translated articles: the aligned sentence this piece lies in


def record_marks(record: Record) -> list[Mark]:
    """Every span of the record as a mark: attributions (content, cue, source, via), entities, places, times
    and event triggers, each with the details a reader wants on hover."""
    text = record.article.text
    names = {e.id: e.name for e in record.entities}
    places = {p.id: p for p in record.places}
    times = {t.id: t for t in record.times}
    marks: list[Mark] = []
    for i, at in enumerate(record.attributions):
        chain = " ← ".join(v.name for v in at.via) or "none (told to the outlet)"
        details = [
            ("speaker", at.speaker_name or "unresolved"),
            ("role", at.role or "—"),
            ("kind", at.kind),
            ("cue", text[at.cue[0] : at.cue[1]] if at.cue else "—"),
            ("via", chain),
        ]
        label = f"Quote {i + 1}"
        marks.append(Mark(f"a{i}", "content", *at.content, label, details))
        if at.cue:
            marks.append(Mark(f"a{i}c", "cue", *at.cue, f"{label}: cue", details))
        if at.source:
            marks.append(Mark(f"a{i}s", "source", *at.source, f"{label}: source", details))
        for j, via in enumerate(at.via):
            if via.span:
                marks.append(Mark(f"a{i}v{j}", "via", *via.span, f"{label}: relayed by", [("via", via.name)]))
    for claim_no, claim in enumerate(record.claims):
        marks.append(
            Mark(
                f"k{claim_no}",
                "claim",
                *claim.content,
                "Unsourced claim",
                [("kind", claim.kind), ("speaker", "none")],
            )
        )
    for entity in record.entities:
        details = [("type", entity.type), ("role", entity.role or "—")]
        if entity.country:
            details.append(("country", entity.country))
        if entity.sector:
            details.append(("sector", entity.sector))
        if entity.aliases:
            details.append(("aliases", ", ".join(entity.aliases)))
        for k, (start, end) in enumerate(entity.mentions):
            marks.append(Mark(f"{entity.id}m{k}", "entity", start, end, entity.name, details))
    for place in record.places:
        details = [("country", place.country or "?")]
        if place.admin1:
            details.append(("region", place.admin1))
        if place.geonameid:
            details.append(("GeoNames", str(place.geonameid)))
        if place.lat is not None and place.lon is not None:
            details.append(("lat, lon", f"{place.lat:.2f}, {place.lon:.2f}"))
        if place.confidence is not None:
            details.append(("confidence", f"{place.confidence:.2f}"))
        if not place.resolved:
            details.append(("resolved", "no"))
        marks.append(Mark(place.id, "place", *place.span, f"Place: {place.name}", details))
    for t in record.times:
        details = [("value", t.value or "not normalised"), ("type", t.type)]
        if t.mod:
            details.append(("mod", t.mod))
        marks.append(Mark(t.id, "time", *t.span, f"Time: {t.text}", details))
    for n, event in enumerate(record.events):
        if event.type is None:
            continue
        actor = event.actor_name or names.get(event.actor or "", "?")
        target = event.target_name or names.get(event.target or "", "?")
        details = [
            ("actor", f"{actor} ({event.actor_country or '?'})"),
            ("target", f"{target} ({event.target_country or '?'})"),
        ]
        flags = [flag for flag in ("hedged", "negated", "planned") if getattr(event, flag)]
        details.append(("flags", ", ".join(flags) or "asserted"))
        if event.place and event.place in places:
            details.append(("place", places[event.place].name))
        if event.time and event.time in times:
            details.append(("date", times[event.time].value or times[event.time].text))
        if event.reported_by is not None and event.reported_by < len(record.attributions):
            details.append(("reported by", record.attributions[event.reported_by].speaker_name or "?"))
        marks.append(Mark(f"ev{n}", "event", *event.trigger, f"Event {event.type}", details))
    size = len(text)
    return [m for m in marks if 0 <= m.start < m.end <= size]


def segments(text: str, marks: list[Mark], sentences: Sequence[tuple[int, int]] = ()) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece lists the marks covering it, outermost first.

    ``sentences`` (the translation's side of a translated article's alignment) also cut the text, and each
    piece inside one gives that sentence's index.
    """
    bounds = [b for span in sentences for b in span if 0 <= b <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks), *bounds})
    ordered = sorted(marks, key=lambda m: (m.start, -m.end))
    out: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in ordered if m.start <= start and m.end >= end]
        sentence = next((i for i, (s, e) in enumerate(sentences) if s <= start and end <= e), None)
        out.append(
            Segment(
                text[start:end],
                tuple(m.id for m in covering),
                tuple(dict.fromkeys(m.kind for m in covering)),
                sentence,
            )
        )
    return out


def original_segments(translation: Translation) -> list[tuple[str, int | None]]:
    """The original of a translated article cut into its aligned sentences: ``(text, sentence index)``
    pieces, None for what lies between sentences (spaces, paragraph breaks)."""
    text = translation.original_text
    out: list[tuple[str, int | None]] = []
    at = 0
    for i, sentence in enumerate(translation.sentences):
        start, end = max(sentence.original[0], at), min(sentence.original[1], len(text))
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], i))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


def marks_json(marks: list[Mark]) -> dict[str, Any]:
    """The hover details of every mark, keyed by id (embedded in the page as JSON data)."""
    return {m.id: {"kind": m.kind, "label": m.label, "details": m.details} for m in marks}


# -- charts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def bar_chart(counts: list[tuple[str, int]], width: int = 640, height: int = 160) -> list[Bar]:
    """Bars for ``(label, count)`` pairs, in order, scaled to the largest count."""
    if not counts:
        return []
    top = max(count for _, count in counts) or 1
    step = width / len(counts)
    bar_width = max(2.0, step * 0.8)
    return [
        Bar(
            label,
            count,
            i * step + (step - bar_width) / 2,
            height - count / top * height,
            bar_width,
            count / top * height,
        )
        for i, (label, count) in enumerate(counts)
    ]


def month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (YYYY-MM), so gaps show as empty bars."""
    valid = sorted(m for m in months if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit())
    if not valid:
        return []
    year, month = int(valid[0][:4]), int(valid[0][5:])
    last = (int(valid[-1][:4]), int(valid[-1][5:]))
    out = []
    while (year, month) <= last and len(out) < 600:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


# -- the map ---------------------------------------------------------------------------------------


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection into the map box."""
    return ((lon + 180.0) / 360.0 * MAP_WIDTH, (90.0 - lat) / 180.0 * MAP_HEIGHT)


@cache
def land_path() -> str:
    """The SVG path of the world's land, from world-atlas' Natural Earth 1:110m TopoJSON (vendored)."""
    topo = json.loads(
        (files("newsgraph.serve") / "static" / "vendor" / "world-atlas" / "land-110m.json").read_text()
    )
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(project(x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    parts: list[str] = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indices in polygon:
                points = ring(indices)
                if len(points) > 2:
                    parts.append(_subpaths(points))
    return "".join(parts)


def _subpaths(points: list[tuple[float, float]]) -> str:
    """A ring as SVG path data; a ring crossing the antimeridian is drawn in pieces, not across the map."""
    out = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for (x0, _), (x, y) in itertools.pairwise(points):
        out.append(f"{'M' if abs(x - x0) > MAP_WIDTH / 2 else 'L'}{x:.1f},{y:.1f}")
    return "".join(out) + "Z"


@dataclass(frozen=True)
class Marker:
    geonameid: int
    name: str
    country: str | None
    articles: int
    mentions: int
    x: float
    y: float
    r: float


def markers(places: list[PlaceRow]) -> list[Marker]:
    """Map markers for aggregated places, area proportional to the number of articles; largest drawn first."""
    top = max((p.articles for p in places), default=1) or 1
    out = []
    for p in places:
        if p.lat is None or p.lon is None:
            continue
        x, y = project(p.lon, p.lat)
        r = MARKER_MIN + (MARKER_MAX - MARKER_MIN) * math.sqrt(p.articles / top)
        out.append(Marker(p.geonameid, p.name, p.country, p.articles, p.mentions, x, y, r))
    return sorted(out, key=lambda m: -m.r)


def entity_key_of(entity: Entity) -> str:
    """The store-wide id of an article's entity (the id its page and the API use)."""
    return entity_key(entity.name, entity.type)
