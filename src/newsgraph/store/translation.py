"""The store's side of translated articles (issue 17): the migration that keeps ``translation`` and indexes
the original text for full-text search."""

from __future__ import annotations

import sqlite3


def add_translation(conn: sqlite3.Connection) -> None:
    """Keep how a translated article was made, and search its original beside its English (issue 17).

    ``translation`` holds the record's ``translation`` as JSON (engine, version, unknown words, the
    original text and the sentence alignment); ``original`` is the original text, generated from it (not
    stored twice). The full-text index is rebuilt over title, text and original, so a search in either
    language finds the article.
    """
    conn.execute("ALTER TABLE articles ADD COLUMN translation TEXT")
    conn.execute(
        "ALTER TABLE articles ADD COLUMN original TEXT "
        "GENERATED ALWAYS AS (json_extract(translation, '$.original_text')) VIRTUAL"
    )
    for trigger in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER articles_fts_{trigger}")
    conn.execute("DROP TABLE articles_fts")
    for statement in _TRANSLATED_SEARCH:
        conn.execute(statement)
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


_TRANSLATED_SEARCH = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, original, content='articles', content_rowid='n',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text, original)
        VALUES (new.n, new.title, new.text, new.original);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text, original)
        VALUES ('delete', old.n, old.title, old.text, old.original);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text, original)
        VALUES ('delete', old.n, old.title, old.text, old.original);
        INSERT INTO articles_fts(rowid, title, text, original)
        VALUES (new.n, new.title, new.text, new.original);
    END""",
)
