"""Quotes: attributions with their articles, filtered by speaker, chain, outlet, kind, text and date.

:func:`quote_page` is the paged form the API calls (newest first, keyset cursor); :func:`find_quotes` the
list the command line prints, which orders a full-text search by relevance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsgraph.schema import ATTRIBUTION_KINDS, Attribution
from newsgraph.store.codec import FACTS, fold
from newsgraph.store.connection import Database
from newsgraph.store.params import (
    MAX_PAGE,
    Page,
    QueryError,
    check_date,
    check_limit,
    decode_cursor,
    encode_cursor,
    match_rows,
    until_clause,
)

_ENTITY_KEY = re.compile(r"[0-9a-f]{16}")
_SORT = "coalesce(ar.published, '')"


@dataclass(frozen=True)
class QuoteRow:
    """One attribution with the article it comes from.

    Args:
        article_key: The article's storage key.
        article_id: The article's id.
        title: The article's title.
        url: The article's URL.
        outlet: The article's outlet.
        published: The article's publication date.
        attribution: The attribution, spans pointing into the stored article text.
        content: The text of the attribution's content span.
        cue_text: The text of its cue span ("" when it has none).
        speaker_key: The store-wide key of the speaker entity (see :func:`~newsgraph.store.codec.entity_key`),
            None when the speaker was not resolved to an entity.
        speaker_type: The speaker entity's type (PERSON, ORG…), when resolved.
    """

    article_key: str
    article_id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    attribution: Attribution
    content: str
    cue_text: str = ""
    speaker_key: str | None = None
    speaker_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON: the attribution's fields, its texts, the speaker entity and the article."""
        return {
            **self.attribution.to_dict(),
            "speaker_entity": self.speaker_key,
            "speaker_type": self.speaker_type,
            "content_text": self.content,
            "cue_text": self.cue_text,
            "article": {
                "key": self.article_key,
                "id": self.article_id,
                "title": self.title,
                "url": self.url,
                "outlet": self.outlet,
                "published": self.published,
            },
        }


def quote_page(
    db: Database,
    *,
    speaker: str | None = None,
    via: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[QuoteRow]:
    """Return one page of attributions matching every filter given, newest article first.

    Args:
        db: The open store.
        speaker: A speaker entity's key, or a case-insensitive substring of the speaker's name or of any
            alias of the speaker entity.
        via: Case-insensitive substring of any outlet in the reporting chain.
        outlet: Case-insensitive substring of the publishing outlet.
        kind: ``direct``, ``indirect`` or ``mixed``.
        q: FTS5 query over what was said (words, ``"phrases"``, ``AND``/``OR``/``NOT``, ``prefix*``).
        since: Earliest publication date, ISO (``2024``, ``2024-03``, ``2024-03-14``), inclusive.
        until: Latest publication date, ISO, inclusive (``2024-03`` includes all of March).
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most rows on the page (1 to 1000).

    Returns:
        The rows and the cursor of the next page (None on the last page).

    Raises:
        QueryError: A parameter is malformed (names it), or FTS5 cannot parse ``q``.
    """
    size = check_limit(limit, most=MAX_PAGE)
    where, params = _filters(speaker, via, outlet, kind, since, until)
    if cursor:
        published, key, idx = decode_cursor(cursor, "quotes", 3)
        where.append(f"({_SORT} < ? OR ({_SORT} = ? AND (ar.key > ? OR (ar.key = ? AND a.idx > ?))))")
        params.extend([published, published, key, key, idx])
    rows = _run(db, where, params, q, f"{_SORT} DESC, ar.key, a.idx", size + 1, lenient=False)
    items = [_row(row) for row in rows[:size]]
    last = items[-1] if items else None
    more = len(rows) > size and last is not None
    token = (
        encode_cursor("quotes", [last.published or "", last.article_key, _idx(rows[size - 1])])
        if more
        else None
    )
    return Page(items, token)


def find_quotes(
    db: Database,
    speaker: str | None = None,
    via: str | None = None,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    limit: int | None = 100,
    *,
    outlet: str | None = None,
    kind: str | None = None,
) -> list[QuoteRow]:
    """Return attributions matching every filter given: newest article first, or by relevance to ``search``.

    Filters are those of :func:`quote_page`; ``search`` is its ``q``. A search FTS5 cannot parse is
    searched as a phrase of its words; when that finds nothing either, QueryError names ``search``.

    Raises:
        QueryError: A date is not ISO, or the limit is negative.
        StoreError: The query cannot be run.
    """
    wanted = check_limit(limit)
    where, params = _filters(speaker, via, outlet, kind, since, until)
    order = f"{'fts.rank, ' if search else ''}{_SORT} DESC, ar.key, a.idx"
    return [_row(row) for row in _run(db, where, params, search, order, wanted, lenient=True)]


def _filters(
    speaker: str | None,
    via: str | None,
    outlet: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if speaker:
        if _ENTITY_KEY.fullmatch(speaker):
            where.append("(a.speaker_key = ? OR instr(a.speaker_terms, ?) > 0)")
            params.extend([speaker, speaker])
        else:
            where.append("instr(a.speaker_terms, ?) > 0")
            params.append(fold(speaker))
    if via:
        where.append("instr(a.via_terms, ?) > 0")
        params.append(fold(via))
    if outlet:
        where.append("instr(lower(ar.outlet), lower(?)) > 0")
        params.append(outlet)
    if kind:
        if kind not in ATTRIBUTION_KINDS:
            raise QueryError("kind", f"kind must be one of {', '.join(ATTRIBUTION_KINDS)}; not {kind!r}")
        where.append("a.kind = ?")
        params.append(kind)
    if since:
        where.append("ar.published >= ?")
        params.append(check_date(since, "since"))
    if until:
        clause, values = until_clause("ar.published", until)
        where.append(clause)
        params.extend(values)
    return where, params


def _run(
    db: Database, where: list[str], params: list[Any], q: str | None, order: str, limit: int, *, lenient: bool
) -> list[Any]:
    select = (
        "SELECT a.*, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published, "
        "substr(ar.text, a.cue_start + 1, a.cue_end - a.cue_start) AS cue_text, e.type AS speaker_type "
    )
    joins = (
        "JOIN articles ar ON ar.key = a.article_key "
        "LEFT JOIN entities e ON e.article_key = a.article_key AND e.entity_id = a.speaker"
    )
    clauses = list(where)
    if q:
        clauses.insert(0, "fts.attributions_fts MATCH ?")
        params = [q, *params]
        source = f"attributions_fts fts JOIN attributions a ON a.n = fts.rowid {joins}"
    else:
        source = f"attributions a {joins}"
    sql = (
        f"{select} FROM {source} {'WHERE ' + ' AND '.join(clauses) if clauses else ''} "
        f"ORDER BY {order} LIMIT ?"
    )
    params = [*params, limit]
    if q:
        return match_rows(db, sql, params, q, "q" if not lenient else "search", lenient=lenient)
    with db.read("read quotes") as conn:
        return conn.execute(sql, params).fetchall()


def _idx(row: Any) -> int:
    return int(row["idx"])


def _row(row: Any) -> QuoteRow:
    return QuoteRow(
        article_key=row["article_key"],
        article_id=row["article_id"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        attribution=FACTS["attributions"].decode(row),
        content=row["content_text"],
        cue_text=row["cue_text"] or "",
        speaker_key=row["speaker_key"],
        speaker_type=row["speaker_type"],
    )
