"""Whole records read back: one article by key, id or URL, every article in order, counts and stories."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from newsgraph.schema import Record
from newsgraph.store.codec import ARTICLES, FACTS
from newsgraph.store.connection import Database
from newsgraph.store.params import check_limit
from newsgraph.store.stories import Story, story_ids, story_members

# Articles read per query by iter_records; their facts are fetched with one IN (...) query per table,
# which keeps the parameter count far below SQLite's limit of 32766.
READ_PAGE = 200

TABLES = ("articles", "entities", "attributions", "claims", "events", "places", "times")


def get_record(db: Database, ref: str) -> Record | None:
    """Return the record whose article key, id or URL is ``ref`` (tried in that order), or None.

    When several articles share the id or URL, the earliest published (then lowest key) wins.
    """
    with db.read("read an article") as conn:
        for column in ("key", "id", "url"):
            row = conn.execute(
                f"SELECT * FROM articles WHERE {column} = ? ORDER BY published, key LIMIT 1", (ref,)
            ).fetchone()
            if row is not None:
                return load_records(conn, [row])[0]
    return None


def iter_records(db: Database) -> Iterator[Record]:
    """Yield every stored record, ordered by publication date (undated first), then article key."""
    with db.read("read articles") as conn:
        cursor = conn.execute("SELECT * FROM articles ORDER BY published, key")
    while True:
        with db.read("read articles") as conn:
            rows = cursor.fetchmany(READ_PAGE)
            records = load_records(conn, rows) if rows else []
        if not records:
            return
        yield from records


def load_records(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Record]:
    """Return the records of some ``articles`` rows, with every fact of each."""
    keys = [row["key"] for row in rows]
    marks = ", ".join("?" * len(keys))
    facts: dict[str, dict[str, list[Any]]] = {}
    for table, codec in FACTS.items():
        facts[table] = defaultdict(list)
        query = f"SELECT * FROM {table} WHERE article_key IN ({marks}) ORDER BY article_key, idx"
        for fact in conn.execute(query, keys):
            facts[table][fact["article_key"]].append(codec.decode(fact))
    return [
        Record(ARTICLES.decode(row), **{table: facts[table][row["key"]] for table in FACTS}) for row in rows
    ]


def count_rows(db: Database) -> dict[str, int]:
    """Return the number of stored articles, entities, attributions, claims, events, places and times."""
    with db.read("count rows") as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def data_version(db: Database) -> tuple[int, int]:
    """A value that changes whenever an article or a syndicated copy is stored.

    The server keys its cache of aggregates (entity rankings, places, event groups) on it.
    """
    with db.read("read the data version") as conn:
        row = conn.execute(
            "SELECT (SELECT coalesce(max(n), 0) FROM articles), "
            "(SELECT coalesce(max(rowid), 0) FROM story_copies)"
        ).fetchone()
    return int(row[0]), int(row[1])


def find_stories(db: Database, min_outlets: int = 2, limit: int | None = 100) -> list[Story]:
    """Return stories carried by at least ``min_outlets`` outlets, most versions first.

    A story is an article and its syndicated copies, linked when saved (:mod:`newsgraph.store.stories`).

    Args:
        db: The open store.
        min_outlets: Fewest distinct outlets (an article without an outlet counts by its URL's host).
        limit: Most stories to return; None for all.

    Raises:
        QueryError: The limit is negative.
        StoreError: The store cannot be read.
    """
    wanted = check_limit(limit)
    found: list[Story] = []
    with db.read("read stories") as conn:
        for story_id in story_ids(conn, max(1, min_outlets)):
            story = Story(story_id, story_members(conn, story_id))
            if len(story.outlets) >= min_outlets:
                found.append(story)
                if len(found) == wanted:
                    break
    return found


def same_story(db: Database, ref: str) -> Story | None:
    """Return the story of the article whose key, id or URL is ``ref`` (as :func:`get_record` finds it).

    Returns:
        The story, its members including the article itself; None when there is no such article.
    """
    with db.read("read a story") as conn:
        for column in ("key", "id", "url"):
            query = f"SELECT story_id FROM articles WHERE {column} = ? ORDER BY published, key LIMIT 1"
            row = conn.execute(query, (ref,)).fetchone()
            if row is not None:
                return None if row[0] is None else Story(row[0], story_members(conn, row[0]))
    return None
