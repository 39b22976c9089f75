"""Events: coded reports, grouped across articles into one event each, filtered and paged.

Reports of the same event in several articles (the same type, parties and date; see
:mod:`newsgraph.store.event_groups`) come back as one :class:`EventGroup` with ``num_reports`` > 1.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from newsgraph.store.codec import FACTS, fold
from newsgraph.store.connection import Database
from newsgraph.store.event_groups import PUBLICATION_LAG_DAYS, EventGroup, EventReport, group_reports
from newsgraph.store.params import (
    MAX_PAGE,
    Page,
    QueryError,
    check_limit,
    date_filters,
    decode_cursor,
    encode_cursor,
)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# Event reports with their article, reporting speaker and place; {where} holds the filters.
_EVENTS_SQL = (
    "SELECT e.*, ar.id AS article_id, ar.url, ar.outlet, ar.published, "
    "substr(ar.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text, "
    f"a.speaker_name AS reporter, {FACTS['places'].select('p', 'p_')} "
    "FROM events e JOIN articles ar ON ar.key = e.article_key "
    "LEFT JOIN attributions a ON a.article_key = e.article_key AND a.idx = e.reported_by "
    "LEFT JOIN places p ON p.article_key = e.article_key AND p.place_id = e.place "
    "WHERE {where} ORDER BY e.event_date, ar.published, e.article_key, e.idx"
)


def find_events(
    db: Database,
    type: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 100,
    *,
    actor_country: str | None = None,
    target_country: str | None = None,
    hedged: bool | None = None,
) -> list[EventGroup]:
    """Return coded events matching every filter given, each grouped with all its reports, newest first.

    Args:
        db: The open store.
        type: PLOVER type (AGREE, CONSULT…), case-insensitive.
        actor: Case-insensitive substring of the actor's name.
        target: Case-insensitive substring of the target's name.
        country: Actor code (ISO alpha-3, or IGO/NGO) of the actor or of the target.
        since: Earliest event date, ISO (``2024``, ``2024-03``, ``2024-03-14``), inclusive.
        until: Latest event date, ISO, inclusive (``2024-03`` includes all of March).
        limit: Most groups to return; None for all.
        actor_country: Actor code of the actor.
        target_country: Actor code of the target.
        hedged: Only hedged reports (True) or only asserted ones (False).

    Returns:
        The matching events, newest first (then most reported), each with its reports (article, outlet,
        trigger text, reporting speaker, place).

    Raises:
        QueryError: A date is not ISO or the limit is negative.
    """
    wanted = check_limit(limit)
    filters = _Filters.build(
        type, actor, target, country, actor_country, target_country, hedged, since, until
    )
    with db.read("read events") as conn:
        rows = conn.execute(_EVENTS_SQL.format(where=filters.where), filters.params).fetchall()
        matched = {(row["article_key"], row["idx"]) for row in rows}
        if filters.narrowed and rows:
            dates = sorted(row["event_date"] for row in rows if row["event_date"])
            span = (dates[0], dates[-1]) if dates else None
            rows = _wider(conn, {row["type"] for row in rows}, span, undated=True)
    groups = _grouped(rows, matched)
    return groups if wanted < 0 else groups[:wanted]


def event_page(
    db: Database,
    *,
    type: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    country: str | None = None,
    actor_country: str | None = None,
    target_country: str | None = None,
    hedged: bool | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[EventGroup]:
    """Return one page of the events :func:`find_events` lists, in the same order.

    A page groups only the reports dated within its own dates and :data:`WINDOW_MARGIN_DAYS` either side,
    so its cost does not grow with the store. A run of reports longer than that margin that
    :func:`find_events` makes one event (a report dated only by its publication joins one dated the day
    before, and so on) may be split where a page ends.

    Args:
        db: The open store.
        type: As :func:`find_events`, and so are ``actor``, ``target``, ``country``,
            ``actor_country``, ``target_country``, ``hedged``, ``since`` and ``until``.
        cursor: The ``next`` of the previous page; None for the first page.
        limit: Most events on the page (1 to 1000).

    Raises:
        QueryError: A parameter is malformed (names it).
    """
    size = check_limit(limit, most=MAX_PAGE)
    filters = _Filters.build(
        type, actor, target, country, actor_country, target_country, hedged, since, until
    )
    after: tuple[bool, int, int, str] | None = None
    top: str | None = None
    if cursor:
        top, reports, first = decode_cursor(cursor, "events", 3)
        if not (top is None or _ISO_DAY.fullmatch(str(top))) or not isinstance(reports, int):
            raise QueryError(
                "cursor", f"cursor {cursor[:40]!r} is damaged; pass the 'next' value it returned"
            )
        after = _order(top, reports, str(first))
    where, params = filters.where, list(filters.params)
    if after is not None:
        where += (
            " AND e.event_date IS NULL" if top is None else " AND (e.event_date <= ? OR e.event_date IS NULL)"
        )
        params += [] if top is None else [top]
    with db.read("read events") as conn:
        # The days still to list, newest first (undated last), with their numbers of matching reports,
        # read through the date index only as far as the page needs.
        counts = conn.execute(
            f"SELECT e.event_date, COUNT(*) FROM events e WHERE {where} "
            "GROUP BY e.event_date ORDER BY e.event_date DESC",
            params,
        )
        days: list[str | None] = []
        total, done, wanted = 0, False, size + 1
        chosen: list[EventGroup] = []
        while True:
            while not done and total < wanted:
                row = counts.fetchone()
                done = row is None or row[0] is None  # undated reports come last
                if row is not None:
                    days.append(row[0])
                    total += row[1]
            if not days:
                break
            groups = _window_groups(conn, filters, days, top, last=done)
            chosen = [g for g in groups if after is None or _sort_key(g) > after]
            if len(chosen) > size or done:
                break
            wanted *= 2  # groups are fewer than reports: widen the window
    token = encode_cursor("events", _cursor_key(chosen[size - 1])) if len(chosen) > size else None
    return Page(chosen[:size], token)


# A page of events groups the reports dated up to this many days beyond its own dates: one more than
# the publication lag a report may have behind the event (event_groups.PUBLICATION_LAG_DAYS).
WINDOW_MARGIN_DAYS = PUBLICATION_LAG_DAYS + 1


@dataclass(frozen=True)
class _Filters:
    where: str
    params: list[Any]
    narrowed: bool

    @classmethod
    def build(
        cls,
        type: str | None,
        actor: str | None,
        target: str | None,
        country: str | None,
        actor_country: str | None,
        target_country: str | None,
        hedged: bool | None,
        since: str | None,
        until: str | None,
    ) -> _Filters:
        where = ["e.type IS NOT NULL", "e.candidate = 0"]
        params: list[Any] = []
        if type:
            where.append("e.type = ?")
            params.append(type.strip().upper())
        if actor:
            where.append("instr(e.actor_terms, ?) > 0")
            params.append(fold(actor))
        if target:
            where.append("instr(e.target_terms, ?) > 0")
            params.append(fold(target))
        if country:
            where.append("(e.actor_country = ? OR e.target_country = ?)")
            params.extend([country.strip().upper()] * 2)
        for column, value in (("actor_country", actor_country), ("target_country", target_country)):
            if value:
                where.append(f"e.{column} = ?")
                params.append(value.strip().upper())
        if hedged is not None:
            if not isinstance(hedged, bool):
                raise QueryError("hedged", f"hedged must be true or false, not {hedged!r}")
            where.append("e.hedged = ?")
            params.append(int(hedged))
        dates, values = date_filters("e.event_date", since, until)
        where.extend(dates)
        params.extend(values)
        narrowed = bool(actor or target or country or actor_country or target_country)
        return cls(" AND ".join(where), params, narrowed)


def _window_groups(
    conn: sqlite3.Connection, filters: _Filters, window: list[str | None], top: str | None, *, last: bool
) -> list[EventGroup]:
    """The groups dated from the oldest of ``window``'s days (None: undated) up, in list order.

    Reports are read from :data:`WINDOW_MARGIN_DAYS` before the oldest day to as long after the newest
    day, or after ``top`` (the date the previous page ended on), whichever is later; with ``last``, every
    group is kept, down to the undated ones.
    """
    dated = sorted(day for day in window if day)
    undated = None in window
    clauses = []
    params: list[Any] = []
    if dated:
        margin = WINDOW_MARGIN_DAYS
        clauses.append(f"e.event_date BETWEEN date(?, '-{margin} day') AND date(?, '+{margin} day')")
        params.extend([dated[0], max(dated[-1], top or "")])
    if undated:
        clauses.append("e.event_date IS NULL")
    where = f"{filters.where} AND ({' OR '.join(clauses)})"
    rows = conn.execute(_EVENTS_SQL.format(where=where), [*filters.params, *params]).fetchall()
    matched = {(row["article_key"], row["idx"]) for row in rows}
    if filters.narrowed and rows:
        span = (dated[0], max(dated[-1], top or "")) if dated else None
        rows = _wider(conn, {row["type"] for row in rows}, span, undated=undated)
    groups = _grouped(rows, matched)
    if last:
        return groups
    return [g for g in groups if g.date is not None and g.date >= dated[0]]


def _wider(
    conn: sqlite3.Connection, types: set[str], span: tuple[str, str] | None, *, undated: bool
) -> list[sqlite3.Row]:
    """Every report of these types around the dates in ``span`` (and undated ones, if asked).

    A report that names a party differently (or not at all) still belongs to the event: the caller
    groups all of them, then keeps the groups with a report that matched its filters.
    """
    where = [f"e.type IN ({', '.join('?' * len(types))})", "e.candidate = 0"]
    params: list[Any] = sorted(types)
    dates = []
    if span is not None:
        margin = WINDOW_MARGIN_DAYS
        dates.append(f"e.event_date BETWEEN date(?, '-{margin} day') AND date(?, '+{margin} day')")
        params.extend(span)
    if undated:
        dates.append("e.event_date IS NULL")
    if dates:
        where.append(f"({' OR '.join(dates)})")
    return conn.execute(_EVENTS_SQL.format(where=" AND ".join(where)), params).fetchall()


def _grouped(rows: list[sqlite3.Row], matched: set[tuple[str, int]]) -> list[EventGroup]:
    """The rows grouped into events, keeping those with a matched report, in list order."""
    groups = group_reports(_report(row) for row in rows)
    groups = [g for g in groups if any((r.article_key, r.index) in matched for r in g.reports)]
    groups.sort(key=_sort_key)
    return groups


def _order(date: str | None, reports: int, first: str) -> tuple[bool, int, int, str]:
    """The list order: newest date first (undated last), then most reports, then the first report."""
    day = -int(date.replace("-", "")) if date else 0
    return (date is None, day, -reports, first)


def _sort_key(group: EventGroup) -> tuple[bool, int, int, str]:
    first = group.reports[0]
    return _order(group.date, group.num_reports, f"{first.article_key}:{first.index:06d}")


def _cursor_key(group: EventGroup) -> list[Any]:
    first = group.reports[0]
    return [group.date, group.num_reports, f"{first.article_key}:{first.index:06d}"]


def _report(row: Any) -> EventReport:
    """One row of the events query as an event report."""
    return EventReport(
        event=FACTS["events"].decode(row),
        article_key=row["article_key"],
        index=row["idx"],
        article_id=row["article_id"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        trigger_text=row["trigger_text"] or "",
        date=row["event_date"],
        date_source=row["date_source"] or "none",
        reported_by=row["reporter"],
        place=None if row["p_place_id"] is None else FACTS["places"].decode(row, prefix="p_"),
    )


def event_counts(db: Database) -> list[tuple[str, str, int]]:
    """Return coded event reports counted by month of the event date and type: (``YYYY-MM``, type, n)."""
    sql = (
        "SELECT substr(event_date, 1, 7) AS month, type, COUNT(*) AS n FROM events "
        "WHERE type IS NOT NULL AND candidate = 0 AND event_date IS NOT NULL "
        "GROUP BY month, type ORDER BY month, type"
    )
    with db.read("count events") as conn:
        return [(row["month"], row["type"], row["n"]) for row in conn.execute(sql)]
