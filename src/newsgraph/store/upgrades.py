"""Migrations that change tables the store already has: columns promoted out of ``extra``, the
entity counts, the errors table and the attribution flag ``hedged``, oldest first (see :mod:`.migrations`).

Each is a named function run once, in its own transaction, by
:func:`~newsgraph.store.migrations.apply_migrations`. Never edit one that has shipped: append a new one
and list it in ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3

from newsgraph.store.codec import entity_key, fold

# Fields that were kept in the ``extra`` JSON column, by table, with the columns that now hold them.
_PROMOTED: dict[str, tuple[tuple[str, str], ...]] = {
    "entities": (("country", "TEXT"), ("sector", "TEXT")),
    "attributions": (("nested", "INTEGER NOT NULL DEFAULT 0"),),
    "claims": (("nested", "INTEGER NOT NULL DEFAULT 0"),),
    "places": (
        ("text", "TEXT"),
        ("admin1", "TEXT"),
        ("feature", "TEXT"),
        ("confidence", "REAL"),
        ("candidates", "INTEGER NOT NULL DEFAULT 0"),
    ),
    "times": (("mod", "TEXT"),),
    "events": (("main", "INTEGER NOT NULL DEFAULT 0"),),
}


def add_fact_columns(conn: sqlite3.Connection) -> None:
    """Give every schema field its own column, and name entities across the store.

    Entity country and sector, place text, region (admin1), feature code, confidence and candidate count,
    time modifier, the attribution flag ``nested`` and the event flag ``main`` were kept in the ``extra``
    JSON column; they move to columns of their own, so queries can filter on them, and leave ``extra``.
    Entities get ``entity_key`` (the same for the same name and type in any article) and attributions
    ``speaker_key``, the key of their speaker entity. Indexes serve the API's filters: quotes by speaker
    and outlet, entities by key and country, places by GeoNames id, events by target country.
    """
    for table, columns in _PROMOTED.items():
        for name, sql in columns:
            conn.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {sql}')
        names = [name for name, _ in columns]
        sets = ", ".join(
            f'"{name}" = coalesce(json_extract(extra, \'$.{name}\'), "{name}")' for name in names
        )
        paths = ", ".join(f"'$.{name}'" for name in names)
        conn.execute(
            f"UPDATE {table} SET {sets}, extra = nullif(json_remove(extra, {paths}), '{{}}') "
            "WHERE extra IS NOT NULL"
        )
    conn.execute("ALTER TABLE entities ADD COLUMN entity_key TEXT")
    conn.execute("ALTER TABLE attributions ADD COLUMN speaker_key TEXT")
    pairs = conn.execute("SELECT DISTINCT name, type FROM entities").fetchall()
    conn.executemany(
        "UPDATE entities SET entity_key = ? WHERE name = ? AND type = ?",
        [(entity_key(name, type), name, type) for name, type in pairs],
    )
    conn.execute(
        "UPDATE attributions SET speaker_key = (SELECT e.entity_key FROM entities e "
        "WHERE e.article_key = attributions.article_key AND e.entity_id = attributions.speaker) "
        "WHERE speaker IS NOT NULL"
    )
    for statement in (
        "CREATE INDEX entities_key ON entities(entity_key)",
        "CREATE INDEX entities_country ON entities(country)",
        "CREATE INDEX attributions_speaker_key ON attributions(speaker_key)",
        "CREATE INDEX articles_outlet ON articles(outlet)",
        "CREATE INDEX places_geonameid ON places(geonameid)",
        "CREATE INDEX events_target_country ON events(target_country)",
        "CREATE INDEX events_actor_country ON events(actor_country)",
    ):
        conn.execute(statement)


def create_entity_counts(conn: sqlite3.Connection) -> None:
    """Keep, per store-wide entity, its name and type, how many articles and attributions it has, and
    every alias any article gives it (each with ``terms``, case-folded for substring filters).

    The writer updates these rows in the same transaction as the article that mentions the entity, so
    the entity list is read in the order of an index, a page at a time, and a page's aliases with one
    lookup per entity, instead of being gathered from every mention at each request. Filled here from
    what the store holds.
    """
    conn.execute(
        """CREATE TABLE entity_counts (
            entity_key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            terms TEXT NOT NULL,
            articles INTEGER NOT NULL,
            attributions INTEGER NOT NULL
        ) WITHOUT ROWID"""
    )
    counts = conn.execute(
        "SELECT e.entity_key, max(e.name), max(e.type), COUNT(DISTINCT e.article_key), "
        "(SELECT COUNT(*) FROM attributions a WHERE a.speaker_key = e.entity_key) "
        "FROM entities e GROUP BY e.entity_key"
    ).fetchall()
    conn.executemany(
        "INSERT INTO entity_counts (entity_key, name, type, terms, articles, attributions) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(key, name, type, fold(name), articles, said) for key, name, type, articles, said in counts],
    )
    conn.execute(
        "CREATE INDEX entity_counts_rank ON entity_counts(articles DESC, attributions DESC, name, type)"
    )
    conn.execute("CREATE INDEX entity_counts_type ON entity_counts(type)")
    conn.execute(
        """CREATE TABLE entity_aliases (
            entity_key TEXT NOT NULL,
            alias TEXT NOT NULL,
            terms TEXT NOT NULL,
            PRIMARY KEY (entity_key, alias)
        ) WITHOUT ROWID"""
    )
    pairs = conn.execute("SELECT DISTINCT e.entity_key, j.value FROM entities e, json_each(e.aliases) j")
    conn.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_key, alias, terms) VALUES (?, ?, ?)",
        [(key, alias, fold(alias)) for key, alias in pairs.fetchall()],
    )


def create_errors_table(conn: sqlite3.Connection) -> None:
    """The inputs an ingest or a watch could not take, one row each (issue 15).

    ``input`` names the file, ``file:line``, URL or feed entry; ``stage`` is where it failed (``read``,
    ``analyse`` or ``store``); ``reason`` is the message shown on stderr, ``hint`` what to do about it;
    ``at`` the time, ISO 8601 UTC. Rows are only ever added: ``newsgraph errors`` lists them.
    """
    conn.execute(
        "CREATE TABLE errors ("
        " n INTEGER PRIMARY KEY,"
        " input TEXT NOT NULL,"
        " stage TEXT NOT NULL CHECK (stage IN ('read', 'analyse', 'store')),"
        " reason TEXT NOT NULL,"
        " hint TEXT,"
        " at TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX errors_at ON errors(at)")


def add_hedged_column(conn: sqlite3.Connection) -> None:
    """Give attributions and claims the flag ``hedged`` (a named speaker's statement the writer reports with
    a hedge, "the minister has reportedly told …"); rows stored before it are not hedged."""
    for table in ("attributions", "claims"):
        conn.execute(f'ALTER TABLE {table} ADD COLUMN "hedged" INTEGER NOT NULL DEFAULT 0')
