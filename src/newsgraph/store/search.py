"""Full-text search over article titles and texts (SQLite FTS5, bm25 ranking)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from newsgraph.store.connection import Database
from newsgraph.store.params import (
    MAX_PAGE,
    Page,
    article_filters,
    check_limit,
    decode_cursor,
    encode_cursor,
    match_rows,
)

# bm25 weights for (title, text): a term in the headline says more about what an article is about than
# the same term once in the body. A judgement, not a tuned value.
_TITLE_WEIGHT = 3.0
_TEXT_WEIGHT = 1.0

# Tokens in a search snippet: about one line of terminal output.
_SNIPPET_TOKENS = 16


@dataclass(frozen=True)
class SearchHit:
    """An article matching a full-text query.

    Args:
        key: The article's storage key.
        id: The article's id.
        title: The article's title.
        url: The article's URL.
        outlet: The article's outlet.
        published: The article's publication date.
        rank: SQLite's bm25 score; lower (more negative) is a better match.
        snippet: A short passage around the match, matched terms between ``[`` and ``]``.
    """

    key: str
    id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    rank: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON."""
        return asdict(self)


def search_articles(db: Database, query: str, limit: int | None = 20) -> list[SearchHit]:
    """Full-text search over article titles and texts, best match first (the command line's search).

    Args:
        db: The open store.
        query: An FTS5 query (words, ``"phrases"``, ``AND``/``OR``/``NOT``, ``prefix*``). A query
            FTS5 cannot parse is searched as a phrase of its words; QueryError when that finds nothing.
        limit: Most hits to return; None for all.

    Returns:
        The matching articles with their bm25 rank and a snippet.
    """
    return _hits(db, query, [], [], check_limit(limit), 0, "query", lenient=True)


def search_page(
    db: Database,
    q: str,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[SearchHit]:
    """Return one page of the articles matching ``q``, best match first.

    Args:
        db: The open store.
        q: An FTS5 query (words, ``"phrases"``, ``AND``/``OR``/``NOT``, ``prefix*``).
        outlet: Case-insensitive substring of the outlet.
        since: Earliest publication date, ISO, inclusive.
        until: Latest publication date, ISO, inclusive.
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most hits on the page (1 to 1000).

    Raises:
        QueryError: A parameter is malformed (names it), or FTS5 cannot parse ``q``.
    """
    size = check_limit(limit, most=MAX_PAGE)
    # Ranks change as articles are added, so the cursor holds a position rather than a sort key.
    (offset,) = decode_cursor(cursor, "search", 1) if cursor else [0]
    if not isinstance(offset, int) or offset < 0:
        offset = 0
    where: list[str] = []
    params: list[Any] = []
    shared, values = article_filters(outlet, since, until)
    where.extend(shared)
    params.extend(values)
    hits = _hits(db, q, where, params, size + 1, offset, "q", lenient=False)
    more = len(hits) > size
    return Page(hits[:size], encode_cursor("search", [offset + size]) if more else None)


def _hits(
    db: Database,
    query: str,
    where: list[str],
    params: list[Any],
    limit: int,
    offset: int,
    param: str,
    *,
    lenient: bool,
) -> list[SearchHit]:
    filters = "".join(f" AND {clause}" for clause in where)
    sql = (
        "SELECT ar.key, ar.id, ar.title, ar.url, ar.outlet, ar.published, "
        f"bm25(articles_fts, {_TITLE_WEIGHT}, {_TEXT_WEIGHT}) AS rank, "
        f"snippet(articles_fts, -1, '[', ']', '…', {_SNIPPET_TOKENS}) AS snippet "
        "FROM articles_fts JOIN articles ar ON ar.n = articles_fts.rowid "
        f"WHERE articles_fts MATCH ?{filters} ORDER BY rank, ar.key LIMIT ? OFFSET ?"
    )
    rows = match_rows(db, sql, [query, *params, limit, offset], query, param, lenient=lenient)
    return [
        SearchHit(
            key=row["key"],
            id=row["id"],
            title=row["title"],
            url=row["url"],
            outlet=row["outlet"],
            published=row["published"],
            rank=row["rank"],
            snippet=row["snippet"],
        )
        for row in rows
    ]
