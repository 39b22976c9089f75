"""Entities across the store: one row per (name, type), named by its store-wide key, and its detail.

An entity id in a record (``e1``…) is only unique within its article; across the store an entity is its
(name, type), named by :func:`~newsgraph.store.codec.entity_key`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from newsgraph.store.codec import fold
from newsgraph.store.connection import Database
from newsgraph.store.params import MAX_PAGE, Page, check_limit, decode_cursor, encode_cursor

# Entity keys looked up per query: far below SQLite's limit of 32766 parameters.
_KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class EntityRow:
    """An entity aggregated across articles by (name, type).

    Args:
        name: The entity's name.
        type: Its type (PERSON, ORG, GPE…).
        articles: Number of articles that mention it.
        attributions: Number of attributions with it as speaker.
        aliases: Every alias any article gives it, sorted.
        key: Its store-wide key (the ``id`` of the API's ``/entities/{id}``).
    """

    name: str
    type: str
    articles: int
    attributions: int
    aliases: list[str] = field(default_factory=list)
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON, its key as ``id``."""
        return {
            "id": self.key,
            "name": self.name,
            "type": self.type,
            "articles": self.articles,
            "attributions": self.attributions,
            "aliases": list(self.aliases),
        }


@dataclass(frozen=True)
class EntityDetail:
    """Everything the store knows about one entity across articles.

    Args:
        key: Its store-wide key.
        name: Its name.
        type: Its type.
        aliases: Every alias any article gives it, sorted.
        roles: Every role or title given to it (by the entity or by its attributions), sorted.
        countries: The country codes articles give it, sorted.
        sectors: The PLOVER sector codes articles give it, sorted.
        articles: Number of articles that mention it.
        attributions: Number of attributions with it as speaker.
        by_month: Its attributions per publication month (``YYYY-MM``, or None when undated), oldest first.
        by_outlet: Its attributions per publishing outlet, most first.
        by_via: Its attributions per relaying outlet of the reporting chain (None: reported first-hand),
            most first.
    """

    key: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    countries: list[str]
    sectors: list[str]
    articles: int
    attributions: int
    by_month: list[tuple[str | None, int]]
    by_outlet: list[tuple[str | None, int]]
    by_via: list[tuple[str | None, int]]

    def to_dict(self) -> dict[str, Any]:
        """The detail as JSON; each count list as ``[{"month"|"outlet"|"via": …, "quotes": n}]``."""
        data: dict[str, Any] = {
            "id": self.key,
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "roles": self.roles,
            "countries": self.countries,
            "sectors": self.sectors,
            "articles": self.articles,
            "attributions": self.attributions,
        }
        for name, counts in (("month", self.by_month), ("outlet", self.by_outlet), ("via", self.by_via)):
            data[f"by_{name}"] = [{name: value, "quotes": n} for value, n in counts]
        return data


# The entity list reads the counts the writer keeps (tables.create_entity_counts), in index order.
_LIST = "SELECT entity_key AS key, name, type, articles, attributions FROM entity_counts c"
_ORDER = "c.articles DESC, c.attributions DESC, c.name, c.type"


def find_entities(
    db: Database, type: str | None = None, name: str | None = None, limit: int | None = 100
) -> list[EntityRow]:
    """Return entities aggregated across articles by (name, type), most widely mentioned first.

    Args:
        db: The open store.
        type: Only this type (PERSON, ORG…), case-insensitive.
        name: Case-insensitive substring of the name or of any alias.
        limit: Most rows to return; None for all.

    Returns:
        One row per (name, type) with article and attribution counts and the union of aliases.
    """
    wanted = check_limit(limit)
    where, params = _filters(type, name, None)
    with db.read("read entities") as conn:
        rows = conn.execute(f"{_LIST} {where} ORDER BY {_ORDER} LIMIT ?", [*params, wanted]).fetchall()
        return _rows(conn, rows)


def entity_page(
    db: Database,
    *,
    type: str | None = None,
    name: str | None = None,
    country: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[EntityRow]:
    """Return one page of :func:`find_entities`'s list, in the same order.

    Args:
        db: The open store.
        type: Only this type, case-insensitive.
        name: Case-insensitive substring of the name or of any alias.
        country: Only entities an article gives this country code (ISO alpha-3).
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most rows on the page (1 to 1000).

    Raises:
        QueryError: A parameter is malformed (names it).
    """
    size = check_limit(limit, most=MAX_PAGE)
    where, params = _filters(type, name, country)
    if cursor:
        articles, attributions, name_, type_ = decode_cursor(cursor, "entities", 4)
        where += (" AND " if where else "WHERE ") + (
            "(c.articles < ? OR (c.articles = ? AND (c.attributions < ? OR (c.attributions = ? AND "
            "(c.name > ? OR (c.name = ? AND c.type > ?))))))"
        )
        params.extend([articles, articles, attributions, attributions, name_, name_, type_])
    with db.read("read entities") as conn:
        rows = conn.execute(f"{_LIST} {where} ORDER BY {_ORDER} LIMIT ?", [*params, size + 1]).fetchall()
        items = _rows(conn, rows[:size])
    token = None
    if len(rows) > size:
        last = items[-1]
        token = encode_cursor("entities", [last.articles, last.attributions, last.name, last.type])
    return Page(items, token)


def top_speakers(db: Database, limit: int = 10) -> list[EntityRow]:
    """Return the entities with the most attributions as speaker, most first."""
    size = check_limit(limit, most=MAX_PAGE)
    sql = f"{_LIST} WHERE attributions > 0 ORDER BY attributions DESC, articles DESC, name, type LIMIT ?"
    with db.read("read speakers") as conn:
        return _rows(conn, conn.execute(sql, (size,)).fetchall())


def entity_detail(db: Database, key: str) -> EntityDetail | None:
    """Return the detail of the entity whose store-wide key is ``key``, or None when there is none."""
    with db.read("read an entity") as conn:
        rows = conn.execute(
            "SELECT name, type, aliases, role, country, sector, article_key FROM entities "
            "WHERE entity_key = ?",
            (key,),
        ).fetchall()
        if not rows:
            return None
        quotes = "FROM attributions a JOIN articles ar ON ar.key = a.article_key WHERE a.speaker_key = ?"
        attributed = conn.execute(f"SELECT COUNT(*) {quotes}", (key,)).fetchone()[0]
        by_month = conn.execute(
            f"SELECT substr(ar.published, 1, 7) AS v, COUNT(*) AS n {quotes} GROUP BY v ORDER BY v", (key,)
        ).fetchall()
        by_outlet = conn.execute(
            f"SELECT ar.outlet AS v, COUNT(*) AS n {quotes} GROUP BY v ORDER BY n DESC, v", (key,)
        ).fetchall()
        by_via = conn.execute(
            "SELECT json_extract(j.value, '$.name') AS v, COUNT(DISTINCT a.n) AS n "
            "FROM attributions a LEFT JOIN json_each(a.via) j WHERE a.speaker_key = ? "
            "GROUP BY v ORDER BY n DESC, v",
            (key,),
        ).fetchall()
        roles = conn.execute(
            "SELECT DISTINCT role FROM attributions WHERE speaker_key = ? AND role IS NOT NULL", (key,)
        ).fetchall()
        aliases = aliases_of(conn, [key]).get(key, [])
    return EntityDetail(
        key=key,
        name=rows[0]["name"],
        type=rows[0]["type"],
        aliases=aliases,
        roles=sorted({row["role"] for row in rows if row["role"]} | {r[0] for r in roles}, key=fold),
        countries=sorted({row["country"] for row in rows if row["country"]}),
        sectors=sorted({row["sector"] for row in rows if row["sector"]}),
        articles=len({row["article_key"] for row in rows}),
        attributions=attributed,
        by_month=[(row["v"], row["n"]) for row in by_month],
        by_outlet=[(row["v"], row["n"]) for row in by_outlet],
        by_via=[(row["v"], row["n"]) for row in by_via],
    )


def _filters(type: str | None, name: str | None, country: str | None) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if type:
        where.append("c.type = ?")
        params.append(type.strip().upper())
    if name:
        where.append(
            "(instr(c.terms, ?) > 0 OR c.entity_key IN "
            "(SELECT entity_key FROM entity_aliases WHERE instr(terms, ?) > 0))"
        )
        params.extend([fold(name)] * 2)
    if country:
        where.append("c.entity_key IN (SELECT entity_key FROM entities WHERE country = ?)")
        params.append(country.strip().upper())
    return ("WHERE " + " AND ".join(where) if where else ""), params


def _rows(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[EntityRow]:
    """The rows as EntityRows, each with the union of the aliases its articles give it."""
    aliases = aliases_of(conn, [row["key"] for row in rows])
    return [
        EntityRow(
            name=row["name"],
            type=row["type"],
            articles=row["articles"],
            attributions=row["attributions"],
            aliases=aliases.get(row["key"], []),
            key=row["key"],
        )
        for row in rows
    ]


def aliases_of(conn: sqlite3.Connection, keys: list[str]) -> dict[str, list[str]]:
    """Every alias of each entity key that has any, sorted case-insensitively."""
    found: dict[str, list[str]] = {}
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT entity_key, alias FROM entity_aliases WHERE entity_key IN ({marks})"
        for key, alias in conn.execute(query, chunk):
            found.setdefault(key, []).append(alias)
    return {key: sorted(names, key=fold) for key, names in found.items()}
