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
    article_filters,
    check_limit,
    decode_cursor,
    encode_cursor,
    match_rows,
    newest_first,
)

_ENTITY_KEY = re.compile(r"[0-9a-f]{16}")

# Entity keys looked up per query: far below SQLite's limit of 32766 parameters.
_KEYS_PER_QUERY = 500


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
        language: The language the article was written in (its quotes are on the English translation
            when it is not English).
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
    language: str | None = None

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
                "language": self.language,
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
    language: str | None = None,
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
        language: Only quotes from articles written in this language (ISO 639-1 code, ``es``).
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most rows on the page (1 to 1000).

    Returns:
        The rows and the cursor of the next page (None on the last page).

    Raises:
        QueryError: A parameter is malformed (names it), or FTS5 cannot parse ``q``.
    """
    size = check_limit(limit, most=MAX_PAGE)
    where, params = _filters(db, speaker, via, outlet, kind, since, until)
    if language:
        where.append("ar.language = ?")
        params.append(language.lower())
    if q:
        where.insert(0, "a.n IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)")
        params.insert(0, q)
    after = decode_cursor(cursor, "quotes", 3) if cursor else None
    rows: list[Any] = []
    # A speaker or a text search picks few rows, through their own indexes; other filters are cheaper
    # tested on the newest articles until the page is full.
    by_date = not (speaker or q)
    for clause, values in newest_first(after, "a.idx"):
        sql = _sql([*where, clause], _ORDER, by_date=by_date)
        args = [*params, *values, size + 1 - len(rows)]
        if q:
            rows += match_rows(db, sql, args, q, "q")
        else:
            with db.read("read quotes") as conn:
                rows += conn.execute(sql, args).fetchall()
        if len(rows) > size:
            break
    items = _rows(db, rows[:size])
    token = None
    if len(rows) > size:
        last = items[-1]
        token = encode_cursor("quotes", [last.published, last.article_key, int(rows[size - 1]["idx"])])
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
    where, params = _filters(db, speaker, via, outlet, kind, since, until)
    if search:
        # By relevance: the full-text match drives the query.
        sql = _sql(where, f"fts.rank, {_ORDER}", fts=True)
        rows = match_rows(db, sql, [search, *params, wanted], search, "search", lenient=True)
        return _rows(db, rows)
    rows: list[Any] = []
    for clause, values in newest_first(None, "a.idx"):
        remaining = wanted - len(rows) if wanted >= 0 else -1
        if remaining == 0:
            break
        with db.read("read quotes") as conn:
            sql = _sql([*where, clause], _ORDER, by_date=not speaker)
            rows += conn.execute(sql, [*params, *values, remaining]).fetchall()
    return _rows(db, rows)


def _filters(
    db: Database,
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
        clause, values = _speaker_clause(db, speaker)
        where.append(clause)
        params.extend(values)
    if via:
        where.append("instr(a.via_terms, ?) > 0")
        params.append(fold(via))
    if kind:
        if kind not in ATTRIBUTION_KINDS:
            raise QueryError("kind", f"kind must be one of {', '.join(ATTRIBUTION_KINDS)}; not {kind!r}")
        where.append("a.kind = ?")
        params.append(kind)
    article_where, article_params = article_filters(outlet, since, until)
    where.extend(article_where)
    params.extend(article_params)
    return where, params


def _speaker_clause(db: Database, speaker: str) -> tuple[str, list[Any]]:
    """The filter for ``speaker``: an entity key, or a substring of a speaker's name or aliases.

    A name matches an attribution whose speaker's name, or an alias its article gives the speaker,
    contains it. The name is first looked up among the store's entities (names and every alias, a row
    each), so that only the attributions of those entities, found through the speaker-key index, and of
    unresolved speakers are tested. When the name matches very many entities, every attribution is.
    """
    folded = fold(speaker)
    with db.read("look up speakers") as conn:
        if _ENTITY_KEY.fullmatch(speaker):
            known = conn.execute("SELECT 1 FROM entity_counts WHERE entity_key = ?", (speaker,)).fetchone()
            if known is not None:
                return "a.speaker_key = ?", [speaker]
        keys = [
            key
            for (key,) in conn.execute(
                "SELECT entity_key FROM entity_counts WHERE instr(terms, ?) > 0 "
                "UNION SELECT entity_key FROM entity_aliases WHERE instr(terms, ?) > 0 LIMIT ?",
                (folded, folded, _KEYS_PER_QUERY + 1),
            )
        ]
    if len(keys) > _KEYS_PER_QUERY:
        return "instr(a.speaker_terms, ?) > 0", [folded]
    marks = ", ".join("?" * len(keys))
    return (
        f"(a.speaker_key IN ({marks}) OR a.speaker_key IS NULL) AND instr(a.speaker_terms, ?) > 0",
        [*keys, folded],
    )


# Newest article first (then the article's attributions in text order); see params.newest_first.
_ORDER = "ar.published DESC, ar.key DESC, a.idx"


def _sql(where: list[str], order: str, *, fts: bool = False, by_date: bool = False) -> str:
    select = (
        "SELECT a.*, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published, ar.language, "
        "substr(ar.text, a.cue_start + 1, a.cue_end - a.cue_start) AS cue_text "
    )
    source = "attributions a JOIN articles ar ON ar.key = a.article_key"
    if by_date:
        # Walk articles newest first through their (published, key) index and stop at the page's end;
        # left to itself, SQLite reads every attribution and sorts them all.
        source = "articles ar CROSS JOIN attributions a ON a.article_key = ar.key"
    if fts:
        where = ["fts.attributions_fts MATCH ?", *where]
        source = (
            "attributions_fts fts JOIN attributions a ON a.n = fts.rowid "
            "JOIN articles ar ON ar.key = a.article_key"
        )
    filters = f"WHERE {' AND '.join(where)}" if where else ""
    return f"{select} FROM {source} {filters} ORDER BY {order} LIMIT ?"


def _rows(db: Database, rows: list[Any]) -> list[QuoteRow]:
    """The rows as QuoteRows, with their speakers' entity types (looked up once for the page)."""
    keys = sorted({row["speaker_key"] for row in rows if row["speaker_key"]})
    types: dict[str, str] = {}
    with db.read("read speaker types") as conn:
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT entity_key, type FROM entity_counts WHERE entity_key IN ({marks})"
            types.update(conn.execute(sql, chunk).fetchall())
    return [_row(row, types.get(row["speaker_key"] or "")) for row in rows]


def _row(row: Any, speaker_type: str | None) -> QuoteRow:
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
        speaker_type=speaker_type,
        language=row["language"],
    )
