"""Schema migrations for the SQLite store: named functions, applied in order, recorded in ``migrations``.

Never change the schema by hand and never edit a migration that has shipped: append a new function to
:data:`MIGRATIONS`. Each migration runs in its own transaction together with the row that records it,
so a store is always at a whole number of migrations. A store that records a migration this version
does not know was written by a newer newsgraph and is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from newsgraph.errors import StoreError
from newsgraph.store.tables import (
    add_event_columns,
    create_claims_table,
    create_feed_tables,
    create_story_tables,
    create_tables,
)
from newsgraph.store.translation import add_translation
from newsgraph.store.upgrades import (
    add_fact_columns,
    add_hedged_column,
    create_entity_counts,
    create_errors_table,
)

Migration = Callable[[sqlite3.Connection], None]

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "Migration",
    "add_event_columns",
    "add_fact_columns",
    "add_hedged_column",
    "add_translation",
    "applied_migrations",
    "apply_migrations",
    "check_store",
    "create_claims_table",
    "create_entity_counts",
    "create_errors_table",
    "create_feed_tables",
    "create_story_tables",
    "create_tables",
    "pending_migrations",
]

# Written into the SQLite header (PRAGMA application_id) so a newsgraph store can be told apart from
# any other SQLite file. The value spells "NGST" in ASCII.
APPLICATION_ID = 0x4E475354


MIGRATIONS: tuple[Migration, ...] = (
    create_tables,
    create_feed_tables,
    create_story_tables,
    add_event_columns,
    create_claims_table,
    add_fact_columns,
    create_entity_counts,
    add_translation,
    create_errors_table,
    add_hedged_column,
)
"""Every migration, oldest first. Append only."""


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Return the names of the migrations recorded in the store, oldest first (empty for a new file)."""
    if not _has_table(conn, "migrations"):
        return []
    return [name for (name,) in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def check_store(conn: sqlite3.Connection, label: str, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Raise StoreError unless ``conn`` is empty or a newsgraph store this version can read.

    Args:
        conn: An open connection.
        label: The store's path, for messages.
        migrations: The migrations this version knows.

    Raises:
        StoreError: The file is another application's database, or was written by a newer newsgraph.
    """
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise StoreError(
            f"{label}: this SQLite database is not a newsgraph store; "
            "choose a new file name for the store, or move this file away"
        )
    known = {m.__name__ for m in migrations}
    unknown = [name for name in applied_migrations(conn) if name not in known]
    if unknown:
        raise StoreError(
            f"{label}: the store was written by a newer newsgraph "
            f"(unknown migrations: {', '.join(unknown)}); upgrade newsgraph to open it"
        )


def pending_migrations(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Return the names of the migrations not yet applied, in the order they would run."""
    done = set(applied_migrations(conn))
    return [m.__name__ for m in migrations if m.__name__ not in done]


def apply_migrations(
    conn: sqlite3.Connection, label: str, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Apply, in order, every migration not yet recorded in the store; safe to call any number of times.

    Each migration runs in its own ``BEGIN IMMEDIATE`` transaction, which also re-checks what is applied,
    so two processes opening a new store at once apply each migration exactly once.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``).
        label: The store's path, for messages.
        migrations: The migrations to apply, oldest first.

    Returns:
        The names of the migrations applied by this call.

    Raises:
        StoreError: The file is not a newsgraph store, or was written by a newer newsgraph.
    """
    check_store(conn, label, migrations)
    if not pending_migrations(conn, migrations):
        return []  # the common case: no write lock taken, so opening never waits for a busy writer
    applied: list[str] = []
    for migration in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            check_store(conn, label, migrations)
            if migration.__name__ in applied_migrations(conn):
                conn.execute("COMMIT")
                continue
            if not _has_table(conn, "migrations"):
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            migration(conn)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (migration.__name__, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.__name__)
    return applied


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None
