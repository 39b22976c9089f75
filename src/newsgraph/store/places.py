"""Places across the store: resolved places with how often they are mentioned, for a map.

:func:`find_places` aggregates place mentions by GeoNames id; :func:`places_geojson` turns its rows into a
GeoJSON FeatureCollection (coordinates ``[lon, lat]``, RFC 7946).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsgraph.store.connection import Database
from newsgraph.store.params import (
    MAX_PAGE,
    QueryError,
    article_filters,
    check_limit,
)


@dataclass(frozen=True)
class PlaceRow:
    """A resolved place with its mentions across the store.

    Args:
        geonameid: The GeoNames id.
        name: The gazetteer name.
        lat: Latitude.
        lon: Longitude.
        country: ISO 3166 alpha-2 code.
        admin1: The first-level region it lies in.
        feature: GeoNames feature code (PCLI, ADM1, PPLC, PPL…).
        mentions: Mentions of it (with ``event_type``: events placed there).
        articles: Articles that mention it.
    """

    geonameid: int
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str | None
    mentions: int
    articles: int

    def to_feature(self) -> dict[str, Any]:
        """The place as a GeoJSON Feature: a Point at ``[lon, lat]`` with the other fields as properties."""
        properties = {k: v for k, v in self.__dict__.items() if k not in ("lat", "lon")}
        return {
            "type": "Feature",
            "id": self.geonameid,
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": properties,
        }


def places_geojson(rows: list[PlaceRow]) -> dict[str, Any]:
    """Return the rows as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": [row.to_feature() for row in rows]}


def find_places(
    db: Database,
    *,
    country: str | None = None,
    admin1: str | None = None,
    min_confidence: float | None = None,
    outlet: str | None = None,
    event_type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = MAX_PAGE,
) -> list[PlaceRow]:
    """Return resolved places with coordinates, most articles first.

    Args:
        db: The open store.
        country: ISO 3166 alpha-2 code of the place's country.
        admin1: Name of the first-level region the place lies in (case-insensitive).
        min_confidence: Count only mentions the resolver chose with at least this confidence (0–1);
            mentions stored without a confidence are left out.
        outlet: Case-insensitive substring of the outlet of the mentioning articles.
        event_type: Count only places where an event of this PLOVER type happened (the event's place),
            and count those events.
        since: Earliest publication date of the mentioning articles, ISO, inclusive.
        until: Latest publication date, ISO, inclusive.
        limit: Most places (1 to 1000).

    Raises:
        QueryError: A parameter is malformed (names it).
    """
    size = check_limit(limit, most=MAX_PAGE)
    where = ["p.geonameid IS NOT NULL", "p.lat IS NOT NULL", "p.lon IS NOT NULL"]
    params: list[Any] = []
    source = "places p"
    if outlet or since or until:
        source += " JOIN articles ar ON ar.key = p.article_key"
    if event_type:
        source += (
            " JOIN events e ON e.article_key = p.article_key AND e.place = p.place_id"
            " AND e.type = ? AND e.candidate = 0"
        )
        params.append(event_type.strip().upper())
    if country:
        where.append("p.country = ?")
        params.append(country.strip().upper())
    if admin1:
        where.append("p.admin1 = ? COLLATE NOCASE")
        params.append(admin1.strip())
    if min_confidence is not None:
        if isinstance(min_confidence, bool) or not isinstance(min_confidence, int | float):
            raise QueryError(
                "min_confidence", f"min_confidence must be a number from 0 to 1, not {min_confidence!r}"
            )
        where.append("p.confidence >= ?")
        params.append(float(min_confidence))
    shared, values = article_filters(outlet, since, until)
    where.extend(shared)
    params.extend(values)
    sql = (
        "SELECT p.geonameid, max(p.name) AS name, max(p.lat) AS lat, max(p.lon) AS lon, "
        "max(p.country) AS country, max(p.admin1) AS admin1, max(p.feature) AS feature, "
        "COUNT(*) AS mentions, COUNT(DISTINCT p.article_key) AS articles "
        f"FROM {source} WHERE {' AND '.join(where)} GROUP BY p.geonameid "
        "ORDER BY articles DESC, mentions DESC, p.geonameid LIMIT ?"
    )
    with db.read("read places") as conn:
        rows = conn.execute(sql, [*params, size]).fetchall()
    return [PlaceRow(**{key: row[key] for key in row.keys()}) for row in rows]  # noqa: SIM118
