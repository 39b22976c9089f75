"""Events: coded reports, grouped across articles into one event each, filtered and paged.

Reports of the same event in several articles (the same type, parties and date; see
:mod:`newsgraph.store.event_groups`) come back as one :class:`EventGroup` with ``num_reports`` > 1.
"""

from __future__ import annotations

from typing import Any

from newsgraph.store.codec import FACTS, fold
from newsgraph.store.connection import Database
from newsgraph.store.event_groups import EventGroup, EventReport, group_reports
from newsgraph.store.params import (
    MAX_PAGE,
    Page,
    QueryError,
    check_date,
    check_limit,
    decode_cursor,
    encode_cursor,
    until_clause,
)

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
    groups = _groups(db, type, actor, target, country, actor_country, target_country, hedged, since, until)
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
    groups = _groups(db, type, actor, target, country, actor_country, target_country, hedged, since, until)
    start = 0
    if cursor:
        date, reports, key = decode_cursor(cursor, "events", 3)
        after = (date, -reports, key)
        start = next((i for i, g in enumerate(groups) if _sort_key(g) > after), len(groups))
    chosen = groups[start : start + size]
    more = start + size < len(groups) and chosen
    token = encode_cursor("events", _cursor_key(chosen[-1])) if more else None
    return Page(chosen, token)


def _sort_key(group: EventGroup) -> tuple[str, int, str]:
    # Newest first, then most reported, then the first report's place in the store: a total order.
    first = group.reports[0]
    return (_neg(group.date or ""), -group.num_reports, f"{first.article_key}:{first.index:06d}")


def _cursor_key(group: EventGroup) -> list[Any]:
    date, reports, key = _sort_key(group)
    return [date, -reports, key]


def _neg(text: str) -> str:
    """A string that sorts in the reverse order of ``text`` among ISO dates (digits, '-', 'T', ':')."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text) + "\U0010ffff"


def _groups(
    db: Database,
    type: str | None,
    actor: str | None,
    target: str | None,
    country: str | None,
    actor_country: str | None,
    target_country: str | None,
    hedged: bool | None,
    since: str | None,
    until: str | None,
) -> list[EventGroup]:
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
    if since:
        where.append("e.event_date >= ?")
        params.append(check_date(since, "since"))
    if until:
        clause, values = until_clause("e.event_date", until)
        where.append(clause)
        params.extend(values)
    narrowed = bool(actor or target or country or actor_country or target_country)
    with db.read("read events") as conn:
        rows = conn.execute(_EVENTS_SQL.format(where=" AND ".join(where)), params).fetchall()
        matched = {(row["article_key"], row["idx"]) for row in rows}
        if narrowed and rows:
            # A report that names a party differently (or not at all) still belongs to the event:
            # group every report of the same types around those dates, then keep the matched groups.
            types = sorted({row["type"] for row in rows})
            dates = sorted(row["event_date"] for row in rows if row["event_date"])
            wider = [f"e.type IN ({', '.join('?' * len(types))})", "e.candidate = 0"]
            wider_params: list[Any] = list(types)
            if dates:
                wider.append(
                    "(e.event_date IS NULL OR e.event_date BETWEEN date(?, '-1 day') AND date(?, '+1 day'))"
                )
                wider_params.extend([dates[0][:10], dates[-1][:10]])
            rows = conn.execute(_EVENTS_SQL.format(where=" AND ".join(wider)), wider_params).fetchall()
    groups = group_reports(_report(row) for row in rows)
    groups = [g for g in groups if any((r.article_key, r.index) in matched for r in g.reports)]
    groups.sort(key=_sort_key)
    return groups


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
