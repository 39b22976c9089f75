"""Read queries the server needs that the store does not offer yet (moved into the store package later).

Every function takes a read-only connection from :func:`connect` and returns plain dicts in the shape the
API serves. Invalid parameters raise :class:`ParameterError`, which names the parameter.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsgraph.serve.params import (
    NO_FILTERS,
    ArticleFilters,
    Page,
    ParameterError,
    check_date,
    decode_cursor,
    decode_offset,
    encode_cursor,
    entity_id,
    parse_entity_id,
)
from newsgraph.stories import Story, story_ids, story_members

BUSY_TIMEOUT_MS = 10_000


@contextmanager
def connect(path: str | Path) -> Iterator[sqlite3.Connection]:
    """Open ``path`` read-only for one request (usable from any one thread at a time)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        yield conn
    finally:
        conn.close()


def _date_filters(
    column: str, since: str | None, until: str | None, where: list[str], params: list[Any]
) -> None:
    if check_date(since, "since"):
        where.append(f"{column} >= ?")
        params.append(since)
    if check_date(until, "until"):
        assert until is not None
        where.append(f"substr({column}, 1, ?) <= ?")
        params.extend([len(until), until])


def _fts_rows(conn: sqlite3.Connection, sql: str, params: list[Any], parameter: str) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc).lower()
        if any(word in message for word in ("locked", "busy", "disk", "malformed", "memory")):
            raise
        raise ParameterError(
            parameter,
            f'cannot run this full-text query ({exc}); use plain words, or put a phrase in "double quotes"',
        ) from exc


def _keyset(
    after: list[Any] | None, date_col: str, key_col: str, idx_col: str | None
) -> tuple[str, list[Any]]:
    """The WHERE clause continuing a (date DESC, key DESC, idx ASC) ordering after the cursor's row."""
    if after is None:
        return "", []
    date, key = after[0], after[1]
    if idx_col is None:
        tail, tail_params = f"{key_col} < ?", [key]
    else:
        tail, tail_params = f"({key_col} < ? OR ({key_col} = ? AND {idx_col} > ?))", [key, key, after[2]]
    if date is None:
        return f"({date_col} IS NULL AND {tail})", tail_params
    clause = f"({date_col} < ? OR {date_col} IS NULL OR ({date_col} = ? AND {tail}))"
    return clause, [date, date, *tail_params]


def _where(parts: list[str]) -> str:
    return ("WHERE " + " AND ".join(parts)) if parts else ""


def _article_ref(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "key": row["article_key"],
        "id": row["article_id"],
        "title": row["title"],
        "url": row["url"],
        "outlet": row["outlet"],
        "published": row["published"],
    }


def _span(row: sqlite3.Row, name: str) -> list[int] | None:
    start, end = row[f"{name}_start"], row[f"{name}_end"]
    return None if start is None or end is None else [start, end]


# -- quotes ----------------------------------------------------------------------------------------


def quotes(
    conn: sqlite3.Connection,
    *,
    speaker: str | None = None,
    via: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    article: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Attributions matching every filter, newest article first (best match first with ``q``)."""
    where: list[str] = []
    params: list[Any] = []
    if q:
        source = (
            "attributions_fts JOIN attributions a ON a.n = attributions_fts.rowid "
            "JOIN articles ar ON ar.key = a.article_key"
        )
        where.append("attributions_fts MATCH ?")
        params.append(q)
    else:
        source = "attributions a JOIN articles ar ON ar.key = a.article_key"
    source += " LEFT JOIN entities en ON en.article_key = a.article_key AND en.entity_id = a.speaker"
    if speaker:
        parsed = parse_entity_id(speaker)
        if parsed:
            where.append("en.type = ? AND en.name = ?")
            params.extend(parsed)
        else:
            where.append("instr(a.speaker_terms, ?) > 0")
            params.append(speaker.casefold())
    if via:
        where.append("instr(a.via_terms, ?) > 0")
        params.append(via.casefold())
    if outlet:
        where.append("ar.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if article:
        where.append("a.article_key = ?")
        params.append(article)
    _date_filters("ar.published", since, until, where, params)
    if q:
        offset = decode_offset(cursor)
        order = "attributions_fts.rank, ar.published DESC, ar.key DESC, a.idx"
        tail = "LIMIT ? OFFSET ?"
        params.extend([limit + 1, offset])
    else:
        clause, extra = _keyset(decode_cursor(cursor, 3), "ar.published", "ar.key", "a.idx")
        if clause:
            where.append(clause)
            params.extend(extra)
        order = "ar.published DESC, ar.key DESC, a.idx"
        tail = "LIMIT ?"
        params.append(limit + 1)
    sql = (
        "SELECT a.*, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published, "
        "substr(ar.text, a.cue_start + 1, a.cue_end - a.cue_start) AS cue_text, "
        "substr(ar.text, a.source_start + 1, a.source_end - a.source_start) AS source_text, "
        "en.name AS en_name, en.type AS en_type, en.role AS en_role "
        f"FROM {source} {_where(where)} ORDER BY {order} {tail}"
    )
    rows = _fts_rows(conn, sql, params, "q") if q else conn.execute(sql, params).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_quote(row) for row in rows]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        if q:
            next_cursor = encode_cursor([offset + limit])
        else:
            next_cursor = encode_cursor([last["published"], last["article_key"], last["idx"]])
    return Page(items, next_cursor)


def _quote(row: sqlite3.Row) -> dict[str, Any]:
    entity = None
    if row["en_name"] is not None:
        entity = {
            "id": entity_id(row["en_type"], row["en_name"]),
            "name": row["en_name"],
            "type": row["en_type"],
        }
    return {
        "id": f"{row['article_key']}:{row['idx']}",
        "speaker": row["speaker"],
        "speaker_name": row["speaker_name"],
        "speaker_entity": entity,
        "role": row["role"],
        "source": _span(row, "source"),
        "cue": _span(row, "cue"),
        "content": _span(row, "content"),
        "kind": row["kind"],
        "via": json.loads(row["via"]),
        "source_text": row["source_text"],
        "cue_text": row["cue_text"],
        "content_text": row["content_text"],
        "article": _article_ref(row),
    }


# -- articles --------------------------------------------------------------------------------------


def _article_filters(f: ArticleFilters) -> tuple[list[str], list[Any]]:
    outlet, since, until, speaker, event_type, place = (
        f.outlet,
        f.since,
        f.until,
        f.speaker,
        f.event_type,
        f.place,
    )
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("ar.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    _date_filters("ar.published", since, until, where, params)
    if speaker:
        parsed = parse_entity_id(speaker)
        if parsed:
            where.append(
                "ar.key IN (SELECT a.article_key FROM attributions a JOIN entities en ON "
                "en.article_key = a.article_key AND en.entity_id = a.speaker "
                "WHERE en.type = ? AND en.name = ?)"
            )
            params.extend(parsed)
        else:
            where.append("ar.key IN (SELECT article_key FROM attributions WHERE instr(speaker_terms, ?) > 0)")
            params.append(speaker.casefold())
    if event_type:
        where.append("ar.key IN (SELECT article_key FROM events WHERE type = ? AND candidate = 0)")
        params.append(event_type.strip().upper())
    if place is not None:
        where.append("ar.key IN (SELECT article_key FROM places WHERE geonameid = ?)")
        params.append(place)
    return where, params


def articles(
    conn: sqlite3.Connection,
    filters: ArticleFilters = NO_FILTERS,
    *,
    sort: str = "published",
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Articles matching every filter: newest published first, newest stored first (``sort="ingested"``), or
    best match first with ``filters.q`` (then each item has a ``snippet``)."""
    q = filters.q
    where, params = _article_filters(filters)
    columns = (
        "ar.key AS article_key, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published, ar.language, "
        "ar.ingested_at, ar.n, (SELECT COUNT(*) FROM attributions a WHERE a.article_key = ar.key) AS n_quotes"
    )
    if q:
        offset = decode_offset(cursor)
        sql = (
            f"SELECT {columns}, snippet(articles_fts, -1, '[', ']', '…', 16) AS snippet "
            "FROM articles_fts JOIN articles ar ON ar.n = articles_fts.rowid "
            f"{_where(['articles_fts MATCH ?', *where])} ORDER BY bm25(articles_fts, 3.0, 1.0), ar.key "
            "LIMIT ? OFFSET ?"
        )
        rows = _fts_rows(conn, sql, [q, *params, limit + 1, offset], "q")
        nxt = [offset + limit]
    elif sort == "ingested":
        after = decode_cursor(cursor, 1)
        if after is not None:
            where.append("ar.n < ?")
            params.append(after[0])
        sql = f"SELECT {columns} FROM articles ar {_where(where)} ORDER BY ar.n DESC LIMIT ?"
        rows = conn.execute(sql, [*params, limit + 1]).fetchall()
        nxt = [rows[limit - 1]["n"]] if len(rows) > limit else []
    else:
        clause, extra = _keyset(decode_cursor(cursor, 2), "ar.published", "ar.key", None)
        if clause:
            where.append(clause)
            params.extend(extra)
        order = "ar.published DESC, ar.key DESC"
        sql = f"SELECT {columns} FROM articles ar {_where(where)} ORDER BY {order} LIMIT ?"
        rows = conn.execute(sql, [*params, limit + 1]).fetchall()
        nxt = [rows[limit - 1]["published"], rows[limit - 1]["article_key"]] if len(rows) > limit else []
    more = len(rows) > limit
    items = []
    for row in rows[:limit]:
        item = _article_ref(row)
        item.update(language=row["language"], ingested_at=row["ingested_at"], quotes=row["n_quotes"])
        if q:
            item["snippet"] = row["snippet"]
        items.append(item)
    return Page(items, encode_cursor(nxt) if more else None)


def article_facets(
    conn: sqlite3.Connection, filters: ArticleFilters, top: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """Counts of the matching articles by outlet, month, speaker and event type (for a search page)."""
    q = filters.q
    where, params = _article_filters(filters)
    if q:
        where.insert(0, "ar.n IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.insert(0, q)
    matched = f"SELECT ar.key FROM articles ar {_where(where)}"
    queries = {
        "outlet": f"SELECT ar.outlet AS value, COUNT(*) AS count FROM articles ar {_where(where)} "
        "GROUP BY ar.outlet ORDER BY count DESC, value LIMIT ?",
        "month": "SELECT substr(ar.published, 1, 7) AS value, COUNT(*) AS count "
        f"FROM articles ar {_where(where)} GROUP BY value ORDER BY value DESC LIMIT ?",
        "speaker": "SELECT en.type || ':' || en.name AS value, en.name AS label, "
        "COUNT(DISTINCT a.article_key) AS count FROM attributions a "
        "JOIN entities en ON en.article_key = a.article_key AND en.entity_id = a.speaker "
        f"WHERE a.article_key IN ({matched}) GROUP BY en.type, en.name ORDER BY count DESC, label LIMIT ?",
        "event_type": "SELECT e.type AS value, COUNT(DISTINCT e.article_key) AS count FROM events e "
        f"WHERE e.type IS NOT NULL AND e.candidate = 0 AND e.article_key IN ({matched}) "
        "GROUP BY e.type ORDER BY count DESC, value LIMIT ?",
    }
    facets: dict[str, list[dict[str, Any]]] = {}
    for name, sql in queries.items():
        rows = (
            _fts_rows(conn, sql, [*params, top], "q") if q else conn.execute(sql, [*params, top]).fetchall()
        )
        facets[name] = [
            {
                "value": row["value"],
                "label": row["label"] if "label" in row.keys() else row["value"],  # noqa: SIM118
                "count": row["count"],
            }
            for row in rows
            if row["value"] is not None
        ]
    return facets


def count_articles(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


# -- entities --------------------------------------------------------------------------------------


def entities(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    name: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    order: str = "articles",
) -> Page:
    """Entities aggregated across articles by (type, name): most widely mentioned (or most quoted) first."""
    where: list[str] = []
    params: list[Any] = []
    if type:
        where.append("e.type = ?")
        params.append(type.strip().upper())
    if name:
        where.append("instr(e.terms, ?) > 0")
        params.append(name.casefold())
    offset = decode_offset(cursor)
    ranking = "quotes DESC, articles DESC" if order == "quotes" else "articles DESC, quotes DESC"
    sql = (
        "SELECT e.type, e.name, COUNT(DISTINCT e.article_key) AS articles, "
        "SUM((SELECT COUNT(*) FROM attributions a WHERE a.article_key = e.article_key "
        "AND a.speaker = e.entity_id)) AS quotes, json_group_array(json(e.aliases)) AS aliases "
        f"FROM entities e {_where(where)} GROUP BY e.type, e.name ORDER BY {ranking}, e.name, e.type "
        "LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*params, limit + 1, offset]).fetchall()
    items = [
        {
            "id": entity_id(row["type"], row["name"]),
            "name": row["name"],
            "type": row["type"],
            "articles": row["articles"],
            "quotes": row["quotes"] or 0,
            "aliases": sorted({a for group in json.loads(row["aliases"]) for a in group}, key=str.casefold),
        }
        for row in rows[:limit]
    ]
    return Page(items, encode_cursor([offset + limit]) if len(rows) > limit else None)


def entity_detail(conn: sqlite3.Connection, ident: str) -> dict[str, Any] | None:
    """One entity across the store: aliases, roles, countries, and its quotes by month, outlet and via."""
    parsed = parse_entity_id(ident)
    if parsed is None:
        raise ParameterError("id", "an entity id is TYPE:Name, such as PERSON:Ana Ribeiro")
    type_, name = parsed
    rows = conn.execute(
        "SELECT aliases, role, extra, article_key FROM entities WHERE type = ? AND name = ?", parsed
    ).fetchall()
    if not rows:
        return None
    aliases: set[str] = set()
    roles: dict[str, int] = {}
    countries: dict[str, int] = {}
    for row in rows:
        aliases.update(json.loads(row["aliases"]))
        if row["role"]:
            roles[row["role"]] = roles.get(row["role"], 0) + 1
        extra = json.loads(row["extra"]) if row["extra"] else {}
        if extra.get("country"):
            countries[extra["country"]] = countries.get(extra["country"], 0) + 1
    spoken = (
        "FROM attributions a JOIN articles ar ON ar.key = a.article_key JOIN entities en ON "
        "en.article_key = a.article_key AND en.entity_id = a.speaker WHERE en.type = ? AND en.name = ?"
    )

    def counts(sql: str) -> list[dict[str, Any]]:
        return [{"value": v, "count": c} for v, c in conn.execute(sql, parsed) if v is not None]

    return {
        "id": ident,
        "name": name,
        "type": type_,
        "aliases": sorted(aliases, key=str.casefold),
        "roles": [{"value": r, "count": c} for r, c in sorted(roles.items(), key=lambda i: -i[1])],
        "countries": [{"value": r, "count": c} for r, c in sorted(countries.items(), key=lambda i: -i[1])],
        "articles": len({row["article_key"] for row in rows}),
        "quotes": conn.execute(f"SELECT COUNT(*) {spoken}", parsed).fetchone()[0],
        "quotes_by_month": counts(
            f"SELECT substr(ar.published, 1, 7) AS m, COUNT(*) {spoken} GROUP BY m ORDER BY m"
        ),
        "quotes_by_outlet": counts(
            f"SELECT ar.outlet AS o, COUNT(*) AS c {spoken} GROUP BY o ORDER BY c DESC, o"
        ),
        "quotes_by_via": counts(
            "SELECT coalesce(json_extract(a.via, '$[0].name'), '(direct to the outlet)') AS v, "
            f"COUNT(*) AS c "
            f"{spoken} GROUP BY v ORDER BY c DESC, v"
        ),
    }


_EVENT_FIELDS = (
    "type",
    "mode",
    "trigger_text",
    "actor_name",
    "actor_country",
    "target_name",
    "target_country",
)

# -- events and places -----------------------------------------------------------------------------


def events(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    country: str | None = None,
    actor_country: str | None = None,
    target_country: str | None = None,
    hedged: bool | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Coded event reports matching every filter, latest event date first."""
    where = ["e.type IS NOT NULL", "e.candidate = 0"]
    params: list[Any] = []
    if type:
        where.append("e.type = ?")
        params.append(type.strip().upper())
    if country:
        where.append("(e.actor_country = ? OR e.target_country = ?)")
        params.extend([country.strip().upper()] * 2)
    if actor_country:
        where.append("e.actor_country = ?")
        params.append(actor_country.strip().upper())
    if target_country:
        where.append("e.target_country = ?")
        params.append(target_country.strip().upper())
    if hedged is not None:
        where.append("e.hedged = ?")
        params.append(int(hedged))
    _date_filters("e.event_date", since, until, where, params)
    clause, extra = _keyset(decode_cursor(cursor, 3), "e.event_date", "e.article_key", "e.idx")
    if clause:
        where.append(clause)
        params.extend(extra)
    sql = (
        "SELECT e.*, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published, "
        "substr(ar.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text, "
        "p.name AS p_name, p.geonameid AS p_geonameid, p.lat AS p_lat, p.lon AS p_lon, "
        "p.country AS p_country "
        "FROM events e JOIN articles ar ON ar.key = e.article_key "
        "LEFT JOIN places p ON p.article_key = e.article_key AND p.place_id = e.place "
        f"{_where(where)} ORDER BY e.event_date DESC, e.article_key DESC, e.idx LIMIT ?"
    )
    rows = conn.execute(sql, [*params, limit + 1]).fetchall()
    items = []
    for row in rows[:limit]:
        place = None
        if row["p_name"] is not None:
            place = {name: row[f"p_{name}"] for name in ("name", "geonameid", "lat", "lon", "country")}
        item = {name: row[name] for name in _EVENT_FIELDS}
        item.update({flag: bool(row[flag]) for flag in ("hedged", "negated", "planned")})
        item.update(
            id=f"{row['article_key']}:{row['idx']}",
            trigger=[row["trigger_start"], row["trigger_end"]],
            date=row["event_date"],
            place=place,
            article=_article_ref(row),
        )
        items.append(item)
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return Page(
        items, encode_cursor([last["event_date"], last["article_key"], last["idx"]]) if last else None
    )


def event_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Coded event reports counted by month (of the event date) and type."""
    sql = (
        "SELECT substr(event_date, 1, 7) AS month, type, COUNT(*) AS count FROM events "
        "WHERE type IS NOT NULL AND candidate = 0 AND event_date IS NOT NULL "
        "GROUP BY month, type ORDER BY month, type"
    )
    return [dict(row) for row in conn.execute(sql)]


def places(
    conn: sqlite3.Connection,
    *,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
    cursor: str | None = None,
) -> Page:
    """Resolved places with coordinates, by how many articles mention them (most first)."""
    where = ["p.geonameid IS NOT NULL", "p.lat IS NOT NULL", "p.lon IS NOT NULL"]
    params: list[Any] = []
    if country:
        where.append("p.country = ?")
        params.append(country.strip().upper())
    _date_filters("ar.published", since, until, where, params)
    offset = decode_offset(cursor)
    sql = (
        "SELECT p.geonameid, max(p.name) AS name, max(p.country) AS country, avg(p.lat) AS lat, "
        "avg(p.lon) AS lon, COUNT(*) AS mentions, COUNT(DISTINCT p.article_key) AS articles "
        "FROM places p JOIN articles ar ON ar.key = p.article_key "
        f"{_where(where)} GROUP BY p.geonameid ORDER BY articles DESC, mentions DESC, p.geonameid "
        "LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*params, limit + 1, offset]).fetchall()
    items = [dict(row) for row in rows[:limit]]
    return Page(items, encode_cursor([offset + limit]) if len(rows) > limit else None)


# -- stories ---------------------------------------------------------------------------------------


def stories(
    conn: sqlite3.Connection, *, min_outlets: int = 2, limit: int = 50, cursor: str | None = None
) -> Page:
    """Stories carried by at least ``min_outlets`` outlets, most versions first."""
    offset = decode_offset(cursor)
    found: list[dict[str, Any]] = []
    seen = 0
    for story_id in story_ids(conn, max(1, min_outlets)):
        story = Story(story_id, story_members(conn, story_id))
        if len(story.outlets) < min_outlets:
            continue
        seen += 1
        if seen <= offset:
            continue
        if len(found) == limit:
            return Page(found, encode_cursor([offset + limit]))
        found.append(story_dict(story))
    return Page(found, None)


def story_dict(story: Story) -> dict[str, Any]:
    members = [dataclasses.asdict(m) for m in story.members]
    return {"id": story.id, "title": story.title, "outlets": story.outlets, "members": members}
