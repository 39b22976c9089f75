"""Articles list: newest first, filtered by outlet, date, text, place or arrival, with a keyset cursor."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from newsgraph.store.codec import fold
from newsgraph.store.connection import Database
from newsgraph.store.params import (
    MAX_PAGE,
    Page,
    QueryError,
    article_filters,
    check_date,
    check_limit,
    decode_cursor,
    encode_cursor,
    match_rows,
    newest_first,
)


@dataclass(frozen=True)
class ArticleRow:
    """One stored article, without its text and facts (``Store.get`` reads the whole record).

    Args:
        key: The storage key.
        id: The article's id.
        title: Its title.
        url: Its URL.
        outlet: Its outlet.
        published: Its publication date.
        language: ISO 639-1 code of its text.
        ingested_at: When it was stored, ISO 8601 UTC.
        story_id: The story it belongs to (see :mod:`newsgraph.store.stories`).
        attributions: Its number of attributions.
        events: Its number of coded events.
    """

    key: str
    id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    language: str | None
    ingested_at: str
    story_id: int | None
    attributions: int
    events: int

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON."""
        return asdict(self)


def article_page(
    db: Database,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    place: int | None = None,
    speaker: str | None = None,
    event_type: str | None = None,
    ingested_after: str | None = None,
    language: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ArticleRow]:
    """Return one page of articles matching every filter given, newest publication first.

    Args:
        db: The open store.
        outlet: Case-insensitive substring of the outlet.
        since: Earliest publication date, ISO, inclusive.
        until: Latest publication date, ISO, inclusive (``2024-03`` includes all of March).
        q: FTS5 query over titles and texts.
        place: Only articles that mention the place with this GeoNames id.
        speaker: Only articles quoting this speaker: an entity's store-wide key, or a case-insensitive
            substring of the speaker's name or alias.
        event_type: Only articles reporting a coded event of this PLOVER type.
        ingested_after: Only articles stored after this ISO date-time (what came in since then).
        language: Only articles written in this language (ISO 639-1 code, ``es``), translated or not.
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most rows on the page (1 to 1000).

    Raises:
        QueryError: A parameter is malformed (names it), or FTS5 cannot parse ``q``.
    """
    size = check_limit(limit, most=MAX_PAGE)
    where, params = _filters(outlet, since, until, q, place, speaker, event_type)
    if ingested_after:
        where.append("ar.ingested_at > ?")
        params.append(check_date(ingested_after, "ingested_after"))
    if language:
        where.append("ar.language = ?")
        params.append(language.lower())
    after = decode_cursor(cursor, "articles", 2) if cursor else None
    rows: list[Any] = []
    for clause, values in newest_first(after, None):
        sql = (
            "SELECT ar.key, ar.id, ar.title, ar.url, ar.outlet, ar.published, ar.language, ar.ingested_at, "
            "ar.story_id, "
            "(SELECT COUNT(*) FROM attributions a WHERE a.article_key = ar.key) AS attributions, "
            "(SELECT COUNT(*) FROM events e WHERE e.article_key = ar.key AND e.type IS NOT NULL "
            f"AND e.candidate = 0) AS events FROM articles ar WHERE {' AND '.join([*where, clause])} "
            "ORDER BY ar.published DESC, ar.key DESC LIMIT ?"
        )
        args = [*params, *values, size + 1 - len(rows)]
        if q:
            rows += match_rows(db, sql, args, q, "q")
        else:
            with db.read("read articles") as conn:
                rows += conn.execute(sql, args).fetchall()
        if len(rows) > size:
            break
    items = [ArticleRow(**{k: row[k] for k in row.keys()}) for row in rows[:size]]  # noqa: SIM118
    token = None
    if len(rows) > size:
        token = encode_cursor("articles", [items[-1].published, items[-1].key])
    return Page(items, token)


# Facets count the newest this many matching articles: exact for a narrowed search, and bounded work
# (tens of milliseconds on 10,000 articles) for a broad one.
FACET_SCOPE = 1000


def article_facets(
    db: Database,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    place: int | None = None,
    speaker: str | None = None,
    event_type: str | None = None,
    top: int = 15,
) -> dict[str, list[tuple[str, str, int]]]:
    """Count the articles :func:`article_page` lists (the newest :data:`FACET_SCOPE` of them) by outlet,
    month, speaker and event type, for a search page's facets.

    Returns:
        For each of ``outlet``, ``month``, ``speaker`` and ``event_type``: up to ``top`` (value, label,
        count) triples, most articles first (months newest first). A speaker's value is its key.

    Raises:
        QueryError: A parameter is malformed (names it), or FTS5 cannot parse ``q``.
    """
    where, params = _filters(outlet, since, until, q, place, speaker, event_type)
    scope = (
        f"SELECT ar.key FROM articles ar {'WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY ar.published DESC, ar.key DESC LIMIT {FACET_SCOPE}"
    )
    queries = {
        "outlet": "SELECT outlet AS value, outlet AS label, COUNT(*) AS n FROM articles "
        f"WHERE key IN ({scope}) AND outlet IS NOT NULL GROUP BY outlet ORDER BY n DESC, value LIMIT ?",
        "month": "SELECT substr(published, 1, 7) AS value, substr(published, 1, 7) AS label, COUNT(*) AS n "
        f"FROM articles WHERE key IN ({scope}) AND published IS NOT NULL GROUP BY value "
        "ORDER BY value DESC LIMIT ?",
        "speaker": "SELECT e.entity_key AS value, e.name AS label, COUNT(DISTINCT e.article_key) AS n "
        f"FROM entities e WHERE e.article_key IN ({scope}) AND EXISTS (SELECT 1 FROM attributions a "
        "WHERE a.article_key = e.article_key AND a.speaker = e.entity_id) "
        "GROUP BY e.entity_key ORDER BY n DESC, label LIMIT ?",
        "event_type": "SELECT type AS value, type AS label, COUNT(DISTINCT article_key) AS n FROM events "
        f"WHERE article_key IN ({scope}) AND type IS NOT NULL AND candidate = 0 "
        "GROUP BY type ORDER BY n DESC, value LIMIT ?",
    }
    facets: dict[str, list[tuple[str, str, int]]] = {}
    for name, sql in queries.items():
        rows = match_rows(db, sql, [*params, top], q, "q") if q else _read(db, sql, [*params, top])
        facets[name] = [(row["value"], row["label"], row["n"]) for row in rows]
    return facets


def _read(db: Database, sql: str, params: list[Any]) -> list[Any]:
    with db.read("read articles") as conn:
        return conn.execute(sql, params).fetchall()


def _filters(
    outlet: str | None,
    since: str | None,
    until: str | None,
    q: str | None,
    place: int | None,
    speaker: str | None,
    event_type: str | None,
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if q:
        where.append("ar.n IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(q)
    shared, values = article_filters(outlet, since, until)
    where.extend(shared)
    params.extend(values)
    if place is not None:
        # SQLite integers are 64-bit: a larger number (found by tests/fuzz) cannot even be bound
        if not isinstance(place, int) or isinstance(place, bool) or not 0 < place < 2**63:
            raise QueryError("place", f"place must be a GeoNames id (a positive whole number), not {place!r}")
        where.append("ar.key IN (SELECT article_key FROM places WHERE geonameid = ?)")
        params.append(place)
    if speaker:
        where.append(
            "ar.key IN (SELECT article_key FROM attributions WHERE speaker_key = ? "
            "OR n IN (SELECT n FROM attributions WHERE instr(speaker_terms, ?) > 0))"
        )
        params.extend([speaker, fold(speaker)])
    if event_type:
        where.append("ar.key IN (SELECT article_key FROM events WHERE type = ? AND candidate = 0)")
        params.append(event_type.strip().upper())
    return where, params
