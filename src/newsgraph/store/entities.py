"""Entities across the store: one row per (name, type), named by its store-wide key, and its detail.

An entity id in a record (``e1``…) is only unique within its article; across the store an entity is its
(name, type), named by :func:`~newsgraph.store.codec.entity_key`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from newsgraph.store.codec import fold
from newsgraph.store.connection import Database
from newsgraph.store.params import MAX_PAGE, Page, check_limit, decode_cursor, encode_cursor


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


_AGGREGATE = (
    "SELECT e.entity_key AS key, e.name, e.type, COUNT(DISTINCT e.article_key) AS articles, "
    "SUM((SELECT COUNT(*) FROM attributions a "
    "     WHERE a.article_key = e.article_key AND a.speaker = e.entity_id)) AS attributions, "
    "json_group_array(json(e.aliases)) AS aliases FROM entities e {where} GROUP BY e.entity_key"
)
_ORDER = "articles DESC, attributions DESC, name, type"


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
    sql = f"SELECT * FROM ({_AGGREGATE.format(where=where)}) ORDER BY {_ORDER} LIMIT ?"
    with db.read("read entities") as conn:
        rows = conn.execute(sql, [*params, wanted]).fetchall()
    return [_row(row) for row in rows]


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
    after = ""
    if cursor:
        articles, attributions, name_, type_ = decode_cursor(cursor, "entities", 4)
        after = (
            "WHERE articles < ? OR (articles = ? AND (attributions < ? OR (attributions = ? AND "
            "(name > ? OR (name = ? AND type > ?)))))"
        )
        params.extend([articles, articles, attributions, attributions, name_, name_, type_])
    sql = f"SELECT * FROM ({_AGGREGATE.format(where=where)}) {after} ORDER BY {_ORDER} LIMIT ?"
    with db.read("read entities") as conn:
        rows = conn.execute(sql, [*params, size + 1]).fetchall()
    items = [_row(row) for row in rows[:size]]
    token = None
    if len(rows) > size:
        last = items[-1]
        token = encode_cursor("entities", [last.articles, last.attributions, last.name, last.type])
    return Page(items, token)


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
    return EntityDetail(
        key=key,
        name=rows[0]["name"],
        type=rows[0]["type"],
        aliases=sorted({alias for row in rows for alias in json.loads(row["aliases"])}, key=fold),
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
        where.append("e.type = ?")
        params.append(type.strip().upper())
    if name:
        where.append("e.entity_key IN (SELECT entity_key FROM entities WHERE instr(terms, ?) > 0)")
        params.append(fold(name))
    if country:
        where.append("e.entity_key IN (SELECT entity_key FROM entities WHERE country = ?)")
        params.append(country.strip().upper())
    return ("WHERE " + " AND ".join(where) if where else ""), params


def _row(row: Any) -> EntityRow:
    return EntityRow(
        name=row["name"],
        type=row["type"],
        articles=row["articles"],
        attributions=row["attributions"],
        aliases=sorted({alias for group in json.loads(row["aliases"]) for alias in group}, key=fold),
        key=row["key"],
    )
