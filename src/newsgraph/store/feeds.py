"""Feed state: what ``newsgraph watch`` remembers between polls and across restarts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import UTC, datetime

from newsgraph.store.connection import Database

# Entry keys looked up per query: far below SQLite's limit of 32766 parameters.
_PAGE = 200


@dataclass(frozen=True)
class FeedState:
    """What ``newsgraph watch`` remembers about one feed between polls (and restarts).

    Args:
        url: The feed's URL (or path).
        etag: The ``ETag`` of the last full answer, sent back as ``If-None-Match``.
        last_modified: Its ``Last-Modified``, sent back as ``If-Modified-Since``.
        checked_at: When the feed was last polled, ISO 8601 UTC.
        failures: Polls that failed in a row (0 after a success).
        last_error: The last failure's message.
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None
    failures: int = 0
    last_error: str | None = None


def feed_state(db: Database, url: str) -> FeedState | None:
    """Return what is remembered about the feed at ``url``, or None for a feed never polled."""
    with db.read("read feed state") as conn:
        row = conn.execute("SELECT * FROM feed_state WHERE url = ?", (url,)).fetchone()
    return None if row is None else FeedState(**{k: row[k] for k in row.keys()})  # noqa: SIM118


def save_feed_state(db: Database, state: FeedState) -> None:
    """Insert or replace the state of ``state.url``."""
    with db.read("save feed state") as conn:
        conn.execute(
            "INSERT OR REPLACE INTO feed_state "
            "(url, etag, last_modified, checked_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?)",
            astuple(state),
        )


def seen_entries(db: Database, feed: str, keys: Iterable[str]) -> set[str]:
    """Return those of ``keys`` already marked seen for ``feed``."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    with db.read("read seen feed entries") as conn:
        for start in range(0, len(wanted), _PAGE):
            page = wanted[start : start + _PAGE]
            marks = ", ".join("?" * len(page))
            query = f"SELECT entry FROM seen_entries WHERE feed = ? AND entry IN ({marks})"
            found.update(entry for (entry,) in conn.execute(query, [feed, *page]))
    return found


def mark_seen(db: Database, feed: str, entries: Iterable[tuple[str, str | None]]) -> None:
    """Mark entries of ``feed`` as handled, in one transaction.

    Args:
        db: The open store.
        feed: The feed's URL.
        entries: (entry key, key of the article stored for it, or None) pairs.
    """
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [(feed, entry, article_key, now) for entry, article_key in entries]
    with db.transaction("mark feed entries seen") as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO seen_entries (feed, entry, article_key, seen_at) VALUES (?, ?, ?, ?)",
            rows,
        )
