"""Read queries the server needs that the store does not offer yet (moved into the store package later).

Every function takes a read-only connection from :func:`connect` and returns plain dicts in the shape the
API serves. Invalid parameters raise :class:`ParameterError`, which names the parameter.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
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
from newsgraph.serve.rows import article_ref, quote_item
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
    elif speaker or via:
        # A substring filter is checked on every attribution: one pass over the table, then a sort.
        source = "attributions a JOIN articles ar ON ar.key = a.article_key"
    else:
        # Otherwise walk the articles newest first and stop at the page's end (CROSS JOIN fixes the order).
        source = "articles ar CROSS JOIN attributions a ON a.article_key = ar.key"
    if speaker:
        parsed = parse_entity_id(speaker)
        if parsed:
            where.append(
                "(a.article_key, a.speaker) IN "
                "(SELECT article_key, entity_id FROM entities WHERE type = ? AND name = ?)"
            )
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
        "substr(ar.text, a.source_start + 1, a.source_end - a.source_start) AS source_text "
        f"FROM {source} {_where(where)} ORDER BY {order} {tail}"
    )
    rows = _fts_rows(conn, sql, params, "q") if q else conn.execute(sql, params).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    speakers = _speaker_entities(conn, rows)
    items = [quote_item(row, speakers.get((row["article_key"], row["speaker"]))) for row in rows]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        if q:
            next_cursor = encode_cursor([offset + limit])
        else:
            next_cursor = encode_cursor([last["published"], last["article_key"], last["idx"]])
    return Page(items, next_cursor)


def _speaker_entities(
    conn: sqlite3.Connection, rows: list[sqlite3.Row]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The speaker entity of each attribution row, looked up for one page at a time."""
    keys = sorted({row["article_key"] for row in rows if row["speaker"]})
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    sql = f"SELECT article_key, entity_id, name, type FROM entities WHERE article_key IN ({marks})"
    return {
        (r["article_key"], r["entity_id"]): {
            "id": entity_id(r["type"], r["name"]),
            "name": r["name"],
            "type": r["type"],
        }
        for r in conn.execute(sql, keys)
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
        item = article_ref(row)
        item.update(language=row["language"], ingested_at=row["ingested_at"], quotes=row["n_quotes"])
        if q:
            item["snippet"] = row["snippet"]
        items.append(item)
    return Page(items, encode_cursor(nxt) if more else None)


# Facets count the newest this many matching articles: exact for a narrowed search, and a bounded amount
# of work (tens of milliseconds on 10,000 articles) for a broad one.
FACET_SCOPE = 1000


def article_facets(
    conn: sqlite3.Connection, filters: ArticleFilters, top: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """Counts of the matching articles (the newest :data:`FACET_SCOPE` of them) by outlet, month, speaker and
    event type, for a search page."""
    q = filters.q
    where, params = _article_filters(filters)
    if q:
        where.insert(0, "ar.n IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.insert(0, q)
    scope = f"SELECT ar.key FROM articles ar {_where(where)} ORDER BY ar.published DESC LIMIT {FACET_SCOPE}"
    matched = f"ar.key IN ({scope})"
    queries = {
        "outlet": f"SELECT ar.outlet AS value, COUNT(*) AS count FROM articles ar WHERE {matched} "
        "GROUP BY ar.outlet ORDER BY count DESC, value LIMIT ?",
        "month": "SELECT substr(ar.published, 1, 7) AS value, COUNT(*) AS count "
        f"FROM articles ar WHERE {matched} GROUP BY value ORDER BY value DESC LIMIT ?",
        "speaker": "SELECT en.type || ':' || en.name AS value, en.name AS label, "
        f"COUNT(DISTINCT en.article_key) AS count FROM entities en WHERE en.article_key IN ({scope}) "
        "AND EXISTS (SELECT 1 FROM attributions a WHERE a.article_key = en.article_key "
        "AND a.speaker = en.entity_id) GROUP BY en.type, en.name ORDER BY count DESC, label LIMIT ?",
        "event_type": "SELECT e.type AS value, COUNT(DISTINCT e.article_key) AS count FROM events e "
        f"WHERE e.type IS NOT NULL AND e.candidate = 0 AND e.article_key IN ({scope}) "
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


def data_version(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes whenever an article or a syndicated copy is stored (keys the server's cache of aggregates)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(max(n), 0) FROM articles), "
        "(SELECT coalesce(max(rowid), 0) FROM story_copies)"
    ).fetchone()
    return int(row[0]), int(row[1])


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
    aliases = {alias for row in rows for alias in json.loads(row["aliases"])}
    roles = Counter(row["role"] for row in rows if row["role"])
    countries = Counter(c for c in (json.loads(row["extra"] or "{}").get("country") for row in rows) if c)
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
        "roles": [{"value": r, "count": c} for r, c in roles.most_common()],
        "countries": [{"value": r, "count": c} for r, c in countries.most_common()],
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
    codes = {"e.type": type, "e.actor_country": actor_country, "e.target_country": target_country}
    for column, value in codes.items():
        if value:
            where.append(f"{column} = ?")
            params.append(value.strip().upper())
    if country:
        where.append("(e.actor_country = ? OR e.target_country = ?)")
        params.extend([country.strip().upper()] * 2)
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
            article=article_ref(row),
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
    dated: list[str] = []
    _date_filters("ar.published", since, until, dated, params)
    if dated:
        where.append(f"p.article_key IN (SELECT ar.key FROM articles ar WHERE {' AND '.join(dated)})")
    offset = decode_offset(cursor)
    sql = (
        "SELECT p.geonameid, max(p.name) AS name, max(p.country) AS country, avg(p.lat) AS lat, "
        "avg(p.lon) AS lon, COUNT(*) AS mentions, COUNT(DISTINCT p.article_key) AS articles "
        f"FROM places p {_where(where)} GROUP BY p.geonameid "
        "ORDER BY articles DESC, mentions DESC, p.geonameid LIMIT ? OFFSET ?"
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
