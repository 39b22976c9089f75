"""The migrations that build the store's tables and their first changes, oldest first (:mod:`.migrations`).

Later changes to existing tables are in :mod:`.upgrades`.

Each is a named function run once, in its own transaction, by
:func:`~newsgraph.store.migrations.apply_migrations`. Never edit one that has shipped: append a new one
and list it in ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3


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
