"""What the read queries share: parameter checks, keyset cursors, pages and full-text matching.

A bad parameter raises :class:`QueryError`, which names the parameter, so the command line can print it
and the API can answer 400 with it. A cursor is an opaque string: URL-safe base64 of the sort key of the
last row returned, tagged with the query it belongs to, so a cursor from another list is refused.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from newsgraph.errors import StoreError
from newsgraph.store.connection import Database

T = TypeVar("T")

# Most rows one page may hold: a page is built in memory, and the API streams longer lists page by page.
MAX_PAGE = 1000

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})([T ].+)?)?)?")


class QueryError(StoreError):
    """A query parameter is not valid: a malformed date, cursor or limit, or a search FTS5 cannot parse.

    Args:
        param: The parameter's name (``since``, ``q``, ``cursor``…).
        message: What is wrong with it and what to give instead.
    """

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(message)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list.

    Args:
        items: The rows of this page.
        next: The cursor of the next page, or None when this is the last one.
    """

    items: list[T] = field(default_factory=list)
    next: str | None = None


def check_date(value: str, param: str) -> str:
    """Return ``value`` when it is an ISO date (``2024``, ``2024-03``, ``2024-03-14``, or a date-time).

    Raises:
        QueryError: It is not, or names a month or day that does not exist.
    """
    match = _ISO.fullmatch(value.strip()) if isinstance(value, str) else None
    problem = match is None
    if match is not None:
        year, month, day, time = match.groups()
        try:
            if month:
                dt.date(int(year), int(month), int(day or 1))
            if time:
                dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            problem = True
    if problem:
        raise QueryError(
            param, f"{param} must be an ISO date such as 2024, 2024-03 or 2024-03-14, not {value!r}"
        )
    return value.strip()


def check_limit(limit: int | None, param: str = "limit", most: int | None = None) -> int:
    """Return the limit as SQL wants it (-1 for none).

    Args:
        limit: Most rows, or None for all (allowed only when ``most`` is None).
        param: The parameter's name, for the message.
        most: The largest value allowed.

    Raises:
        QueryError: Negative (or 0 for a page), over ``most``, or None where a bound is needed.
    """
    if limit is None and most is None:
        return -1  # SQLite reads a negative LIMIT as "no limit"
    least = 1 if most else 0  # a page of nothing could never be followed
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < least or (most and limit > most):
        bound = f"between 1 and {most}" if most else "0 or more, or None for no limit"
        raise QueryError(param, f"{param} must be {bound}; not {limit}")
    return limit


def encode_cursor(kind: str, values: Sequence[Any]) -> str:
    """Return the opaque cursor that resumes list ``kind`` after the row whose sort key is ``values``."""
    data = json.dumps([kind, *values], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, kind: str, size: int) -> list[Any]:
    """Return the sort key a cursor of list ``kind`` holds.

    Raises:
        QueryError: The cursor is malformed or belongs to another list.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError):
        data = None
    scalars = isinstance(data, list) and all(v is None or isinstance(v, str | int) for v in data)
    if not scalars or len(data) != size + 1 or data[0] != kind:
        raise QueryError(
            "cursor",
            f"cursor {cursor[:40]!r} is not a cursor of this list; pass the 'next' value it returned",
        )
    return data[1:]


def match_rows(
    db: Database, sql: str, params: list[Any], query: str, param: str, *, lenient: bool = False
) -> list[sqlite3.Row]:
    """Run ``sql``, whose first parameter is the FTS5 query ``query``.

    Args:
        db: The open store.
        sql: The statement.
        params: Its parameters, the FTS5 query first.
        query: The query as given, for messages.
        param: The query's parameter name, for messages.
        lenient: Search a query FTS5 cannot parse as a phrase of its words (the command line's
            behaviour), and raise only when that finds nothing either: a syntax error used to
            become a phrase search with 0 rows, silently.

    Raises:
        QueryError: FTS5 cannot parse the query (and ``lenient`` is False, or the phrase finds nothing).
    """
    with db.read(f"search for {param}") as conn:
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if not _is_query_error(exc):
                raise
            failure = exc
        phrase = as_phrase(query) if lenient else None
        if phrase is not None:
            try:
                rows = conn.execute(sql, [phrase, *params[1:]]).fetchall()
            except sqlite3.OperationalError as exc:
                if not _is_query_error(exc):
                    raise
                failure = exc
            else:
                if rows:  # "two-day", 'tokyo hopes"': the words themselves were meant, and are there
                    return rows
    raise QueryError(
        param,
        f"{param}: FTS5 cannot parse the search {query[:200]!r} ({failure}); {FTS5_SYNTAX}",
    )


# What an FTS5 query may hold, for the messages about one it cannot parse.
FTS5_SYNTAX = (
    'FTS5 syntax: plain words, "a phrase", AND / OR / NOT, prefix*, NEAR(word word); '
    'put words with punctuation in "double quotes"'
)


def as_phrase(query: str) -> str | None:
    """Return ``query`` as one FTS5 phrase of its words, or None when it has no words at all."""
    if not re.search(r"\w", query):
        return None
    return '"' + query.replace('"', " ") + '"'


def _is_query_error(exc: sqlite3.OperationalError) -> bool:
    """True when SQLite rejected the FTS5 query itself rather than failing to read the file."""
    message = str(exc).lower()
    return not any(word in message for word in ("locked", "busy", "disk", "malformed", "memory"))


def until_clause(column: str, until: str) -> tuple[str, list[Any]]:
    """SQL and parameters for ``column`` on or before ``until`` (``2024-03`` includes all of March)."""
    value = check_date(until, "until")
    return f"substr({column}, 1, ?) <= ?", [len(value), value]


def article_filters(outlet: str | None, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """The WHERE clauses and parameters every list shares on its article (aliased ``ar``): the outlet
    (a case-insensitive substring) and the publication date range; a bad date names its parameter."""
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("instr(lower(ar.outlet), lower(?)) > 0")
        params.append(outlet)
    dates, values = date_filters("ar.published", since, until)
    return where + dates, params + values


def date_filters(column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """The WHERE clauses and parameters that keep ``column`` between ``since`` and ``until`` (both
    inclusive; a date ``until`` covers its whole day); a bad date names its parameter."""
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append(f"{column} >= ?")
        params.append(check_date(since, "since"))
    if until:
        clause, values = until_clause(column, until)
        where.append(clause)
        params.extend(values)
    return where, params


def newest_first(after: Sequence[Any] | None, tie: str | None) -> list[tuple[str, list[Any]]]:
    """The phases of a newest-first keyset scan of articles (alias ``ar``), each a (clause, params) pair.

    Rows are ordered ``ar.published DESC, ar.key DESC`` (then ``tie`` ascending, for several rows per
    article): dated articles first, through the ``(published, key)`` index, then undated ones. Each phase
    is a range of that index, so a page costs about the same at any depth; run them in order until the
    page is full.

    Args:
        after: The sort key of the last row of the previous page: ``(published, key)``, plus the ``tie``
            value; None for the first page.
        tie: The column that orders rows of one article (``a.idx``), or None for one row per article.
    """
    undated = "ar.published IS NULL"
    if after is None:
        return [("ar.published IS NOT NULL", []), (undated, [])]
    published, key, *rest = after
    same = ("ar.key <> ?", [key]) if tie is None else (f"(ar.key <> ? OR {tie} > ?)", [key, *rest])
    if published is None:
        return [(f"{undated} AND ar.key <= ? AND {same[0]}", [key, *same[1]])]
    dated = f"ar.published IS NOT NULL AND (ar.published, ar.key) <= (?, ?) AND {same[0]}"
    return [(dated, [published, key, *same[1]]), (undated, [])]
