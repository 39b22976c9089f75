"""The migrations that build and change the store's tables, oldest first (see :mod:`.migrations`).

Each is a named function run once, in its own transaction, by
:func:`~newsgraph.store.migrations.apply_migrations`. Never edit one that has shipped: append a new one
and list it in ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3

from newsgraph.store.codec import entity_key


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the article, fact and full-text tables.

    Articles and attributions carry an ``INTEGER PRIMARY KEY`` (``n``) besides their natural key,
    because the full-text tables refer to rows by rowid and SQLite may renumber implicit rowids on
    VACUUM. The ``*_terms`` columns hold case-folded names for substring filters, since SQLite's own
    ``lower()`` folds ASCII only. ``extra`` holds any record fields this schema version has no column for.
    """
    for statement in _CREATE_TABLES:
        conn.execute(statement)


_CREATE_TABLES = (
    """CREATE TABLE articles (
        n INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        id TEXT,
        url TEXT,
        outlet TEXT,
        title TEXT,
        authors TEXT NOT NULL,
        published TEXT,
        language TEXT,
        metadata TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        extra TEXT
    )""",
    "CREATE INDEX articles_id ON articles(id)",
    "CREATE INDEX articles_url ON articles(url)",
    "CREATE INDEX articles_published ON articles(published, key)",
    "CREATE INDEX articles_text_hash ON articles(text_hash)",
    """CREATE TABLE entities (
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        mentions TEXT NOT NULL,
        role TEXT,
        terms TEXT NOT NULL,
        extra TEXT,
        PRIMARY KEY (article_key, idx)
    )""",
    "CREATE INDEX entities_name_type ON entities(name, type)",
    """CREATE TABLE attributions (
        n INTEGER PRIMARY KEY,
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT,
        speaker_name TEXT,
        role TEXT,
        source_start INTEGER,
        source_end INTEGER,
        cue_start INTEGER,
        cue_end INTEGER,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        content_text TEXT NOT NULL,
        kind TEXT NOT NULL,
        via TEXT NOT NULL,
        speaker_terms TEXT NOT NULL,
        via_terms TEXT NOT NULL,
        extra TEXT,
        UNIQUE (article_key, idx)
    )""",
    "CREATE INDEX attributions_speaker_name ON attributions(speaker_name)",
    """CREATE TABLE events (
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        type TEXT,
        mode TEXT,
        actor TEXT,
        target TEXT,
        place TEXT,
        time TEXT,
        hedged INTEGER NOT NULL,
        negated INTEGER NOT NULL,
        planned INTEGER NOT NULL,
        candidate INTEGER NOT NULL,
        extra TEXT,
        PRIMARY KEY (article_key, idx)
    )""",
    """CREATE TABLE places (
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        place_id TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        name TEXT NOT NULL,
        geonameid INTEGER,
        lat REAL,
        lon REAL,
        country TEXT,
        resolved INTEGER NOT NULL,
        extra TEXT,
        PRIMARY KEY (article_key, idx)
    )""",
    """CREATE TABLE times (
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        time_id TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT,
        type TEXT,
        extra TEXT,
        PRIMARY KEY (article_key, idx)
    )""",
    # External-content FTS5 tables: the text lives once, in articles/attributions, and the triggers
    # below update the index inside the same transaction as the row. Porter stemming lets "talks"
    # find "talk"; remove_diacritics 2 lets "Sao Paulo" find "São Paulo".
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='n',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.n, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.n, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END""",
    """CREATE VIRTUAL TABLE attributions_fts USING fts5(
        content_text, content='attributions', content_rowid='n',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER attributions_fts_insert AFTER INSERT ON attributions BEGIN
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.n, new.content_text);
    END""",
    """CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text)
        VALUES ('delete', old.n, old.content_text);
    END""",
    """CREATE TRIGGER attributions_fts_update AFTER UPDATE ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text)
        VALUES ('delete', old.n, old.content_text);
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.n, new.content_text);
    END""",
)


def create_feed_tables(conn: sqlite3.Connection) -> None:
    """Create the tables ``newsgraph watch`` keeps its state in, so a restart carries on where it stopped.

    ``feed_state`` holds, per feed URL, the validators of the last full answer (``ETag``,
    ``Last-Modified``) for conditional requests, when it was last polled, and its run of failures.
    ``seen_entries`` holds the keys (guid, else link) of the entries already handled, with the key of the
    article stored for each (none when the entry failed for good).
    """
    conn.execute(
        """CREATE TABLE feed_state (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )"""
    )
    conn.execute(
        """CREATE TABLE seen_entries (
            feed TEXT NOT NULL,
            entry TEXT NOT NULL,
            article_key TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed, entry)
        ) WITHOUT ROWID"""
    )


def create_story_tables(conn: sqlite3.Connection) -> None:
    """Add stories: syndicated copies linked across outlets (see :mod:`newsgraph.store.stories`)."""
    from newsgraph.store.stories import create_story_tables as create

    create(conn)


def add_event_columns(conn: sqlite3.Connection) -> None:
    """Give events columns for what the event coder fills and what event queries filter on.

    The actor's and target's names, actor codes and sectors, and the index of the reporting attribution
    are schema fields (they were kept in ``extra`` before); ``event_date``/``date_source`` hold the date
    an event is grouped and filtered by (see :mod:`newsgraph.store.event_groups`), and ``*_terms``
    case-folded names for substring filters. Events stored earlier were uncoded candidates: their date
    is back-filled from the publication date and their other new columns stay NULL.
    """
    for column in (
        "actor_name TEXT",
        "actor_country TEXT",
        "actor_sector TEXT",
        "target_name TEXT",
        "target_country TEXT",
        "target_sector TEXT",
        "reported_by INTEGER",
        "event_date TEXT",
        "date_source TEXT",
        "actor_terms TEXT",
        "target_terms TEXT",
    ):
        conn.execute(f"ALTER TABLE events ADD COLUMN {column}")
    conn.execute(
        "UPDATE events SET date_source = 'published', event_date = "
        "(SELECT substr(published, 1, 10) FROM articles WHERE articles.key = events.article_key)"
    )
    conn.execute("CREATE INDEX events_type_date ON events(type, event_date)")
    conn.execute("CREATE INDEX events_date ON events(event_date)")


def create_claims_table(conn: sqlite3.Connection) -> None:
    """Add claims: statements an article reports without naming who made them (``Record.claims``).

    Same columns as ``attributions`` less the search helpers; a claim has no source and no speaker.
    """
    conn.execute(
        """CREATE TABLE claims (
        n INTEGER PRIMARY KEY,
        article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT,
        speaker_name TEXT,
        role TEXT,
        source_start INTEGER,
        source_end INTEGER,
        cue_start INTEGER,
        cue_end INTEGER,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        via TEXT NOT NULL,
        extra TEXT,
        UNIQUE (article_key, idx)
    )"""
    )


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


def add_hedged_column(conn: sqlite3.Connection) -> None:
    """Give attributions and claims the flag ``hedged`` (a named speaker's statement the writer reports with
    a hedge, "the minister has reportedly told …"); rows stored before it are not hedged."""
    for table in ("attributions", "claims"):
        conn.execute(f'ALTER TABLE {table} ADD COLUMN "hedged" INTEGER NOT NULL DEFAULT 0')
