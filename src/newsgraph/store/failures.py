"""The ``errors`` table: each input an ingest or a watch could not take, with where and why.

One bad input never costs a batch: it is reported on stderr, recorded here, and the rest is stored.
``newsgraph errors`` lists the rows, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsgraph.store.connection import Database
from newsgraph.store.params import check_date, check_limit

STAGES = ("read", "analyse", "store")


@dataclass(frozen=True)
class ErrorRow:
    """One input that could not be taken.

    Args:
        input: The file, ``file:line``, URL or feed entry.
        stage: ``read``, ``analyse`` or ``store``.
        reason: What went wrong, as printed on stderr.
        hint: What to do about it, or None.
        at: When, ISO 8601 UTC.
    """

    input: str
    stage: str
    reason: str
    hint: str | None
    at: str


def record_errors(db: Database, errors: Iterable[tuple[str, str, str, str | None]]) -> int:
    """Add (input, stage, reason, hint) rows in one transaction; return how many.

    Strings are stored as UTF-8 can hold them (undecodable bytes of a file name shown as ``\\xNN``).
    """
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        (
            _text(source),
            stage if stage in STAGES else "read",
            _text(reason),
            _text(hint) if hint else None,
            now,
        )
        for source, stage, reason, hint in errors
    ]
    if rows:
        with db.transaction("record input errors") as conn:
            conn.executemany(
                "INSERT INTO errors (input, stage, reason, hint, at) VALUES (?, ?, ?, ?, ?)", rows
            )
    return len(rows)


def find_errors(
    db: Database, since: str | None = None, stage: str | None = None, limit: int | None = 100
) -> tuple[list[ErrorRow], int]:
    """Return the errors recorded, newest first, and how many match in all.

    Args:
        db: The open store.
        since: Only those recorded on or after this ISO date.
        stage: Only this stage (``read``, ``analyse``, ``store``).
        limit: Most rows to return; None for all.

    Raises:
        QueryError: ``since`` is not an ISO date, ``stage`` not a stage, or ``limit`` negative.
    """
    from newsgraph.store.params import QueryError

    wanted = check_limit(limit)
    where: list[str] = []
    params: list[object] = []
    if since:
        where.append("at >= ?")
        params.append(check_date(since, "since"))
    if stage:
        if stage not in STAGES:
            raise QueryError("stage", f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
        where.append("stage = ?")
        params.append(stage)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    with db.read("list input errors") as conn:
        total = conn.execute(f"SELECT count(*) FROM errors{clause}", params).fetchone()[0]
        rows = conn.execute(
            f"SELECT input, stage, reason, hint, at FROM errors{clause} ORDER BY n DESC LIMIT ?",
            [*params, wanted],
        ).fetchall()
    return [ErrorRow(*row) for row in rows], total


def _text(value: str) -> str:
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
