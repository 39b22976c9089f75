"""One connection to one store file: opening (pragmas, WAL, read-only), transactions and error translation.

Every other module of the store package reads and writes through a :class:`Database`: ``read(action)``
yields the connection and turns any SQLite error into a :class:`~newsgraph.errors.StoreError` that says
what to do; ``transaction(action)`` does the same inside ``BEGIN IMMEDIATE`` … ``COMMIT``, rolling back
on any error.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsgraph.errors import StoreError
from newsgraph.store.migrations import apply_migrations, check_store, pending_migrations

# How long a write waits for another writer's batch before giving up. A batch of 50 records takes
# well under a second to write (see bench/store.py), so 10 s rides out a busy writer on a loaded machine.
BUSY_TIMEOUT_MS = 10_000


class Database:
    """An open newsgraph store in one SQLite file (WAL mode, foreign keys on).

    Opening a new path creates the store; opening an existing one applies any pending migrations.

    Args:
        path: The database file. Its folder must exist.
        read_only: Open without writing anything (for readers beside a running writer). The store must
            already exist and be fully migrated.

    Raises:
        StoreError: The path is a folder or lies in a missing folder, the file is not a newsgraph store,
            or it was written by a newer newsgraph.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        label = str(self.path)
        if self.path.is_dir():
            raise StoreError(f"{label}: is a folder; give a file path for the store, such as {label}/news.db")
        if not self.path.parent.is_dir():
            raise StoreError(
                f"{label}: folder {self.path.parent} does not exist; create it or choose another path"
            )
        if self.read_only and not self.path.is_file():
            raise StoreError(f"{label}: no store here; save some records first or check the path")
        if not self.read_only and not writable_place(self.path):
            raise StoreError(
                f"{label}: the store is in a read-only place (the file or its folder cannot be written); "
                "it can be queried there, but ingest needs a writable copy"
            )
        target = f"{self.path.resolve().as_uri()}?mode=ro" if self.read_only else label
        if self.read_only and not writable_place(self.path):
            # A WAL store needs its shared-memory file (-shm) beside it, which a read-only place cannot
            # hold. No writer can be at work there, so the file is read as it is: immutable.
            target += "&immutable=1"
        try:
            conn = sqlite3.connect(
                target, uri=self.read_only, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise StoreError(
                f"{label}: cannot open the file ({exc}); check the path and its permissions"
            ) from exc
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            check_store(conn, label)
            conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                pending = pending_migrations(conn)
                if pending:
                    raise StoreError(
                        f"{label}: the store needs upgrading ({', '.join(pending)}); "
                        "open it once without read-only to upgrade it"
                    )
            else:
                conn.execute("PRAGMA journal_mode = WAL")
                # In WAL mode NORMAL loses no committed transaction when the process dies (only on
                # power loss), and the database stays consistent either way.
                conn.execute("PRAGMA synchronous = NORMAL")
                apply_migrations(conn, label)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and not is_damaged(exc):
                raise StoreError(f"{label}: cannot open the store: {exc} ({hint(exc)})") from exc
            raise StoreError(
                f"{label}: not a usable newsgraph store ({exc}); choose a new file name for the store, "
                "or restore this file from a backup"
            ) from exc
        return conn

    def close(self) -> None:
        """Close the connection. Safe to call twice."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        return self._conn is None

    @contextmanager
    def read(self, action: str) -> Iterator[sqlite3.Connection]:
        """Yield the connection; turn any SQLite error into a StoreError saying it could not ``action``."""
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed; open it again with Store(path)")
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not {action}: {exc} ({hint(exc)})") from exc

    @contextmanager
    def transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        """Yield the connection inside one ``BEGIN IMMEDIATE`` transaction, committed when the block ends.

        Any exception (a SQLite error becomes a StoreError) rolls the whole transaction back.
        """
        with self.read(action) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


def writable_place(path: Path) -> bool:
    """True when the store file (if it exists) and its folder can be written: SQLite writes its journal
    (``-wal``, ``-shm``) beside the file, so the folder must be writable too."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def is_damaged(exc: sqlite3.Error) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def hint(exc: sqlite3.Error) -> str:
    """What to do about a SQLite error, for the end of a message."""
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return "another process is writing to the store; retry when it has finished"
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return "check that the file and its folder are writable"
    if "full" in message:
        return "free some disk space and retry"
    if is_damaged(exc):
        return "the file is damaged; restore it from a backup or start a new store"
    return "check the file with: sqlite3 FILE 'PRAGMA integrity_check'"
