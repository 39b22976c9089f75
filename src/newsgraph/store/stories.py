"""Stories in the store: syndicated copies of one article, linked across outlets.

Every stored article belongs to a story (``articles.story_id``, the row number ``n`` of the story's first
article). When an article is saved, its MinHash signature (:mod:`newsgraph.store.dedup`) is looked up in the
LSH band table; an earlier article it is a copy of gives it that article's story, otherwise it starts a
story of its own. A copy whose text is identical to a stored one (same normalised text, another URL) is
not stored again, since its facts would be counted twice, but is recorded in ``story_copies`` so that the
outlets carrying the story are all known.

The functions here run on the store's connection inside its write transaction; :class:`~newsgraph.store.Store`
calls them and exposes the results (``Store.stories``, ``Store.same_story``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsgraph.store.dedup import Signature, signature


def create_story_tables(conn: sqlite3.Connection) -> None:
    """Add stories: ``articles.story_id``, MinHash signatures, their LSH bands, and copies not stored.

    Articles already in the store get their signatures and stories here, oldest first, as if they had
    been saved after this migration.
    """
    conn.execute("ALTER TABLE articles ADD COLUMN story_id INTEGER")
    conn.execute("CREATE INDEX articles_story ON articles(story_id)")
    conn.execute(
        """CREATE TABLE article_signatures (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            shingles INTEGER NOT NULL,
            signature BLOB NOT NULL
        ) WITHOUT ROWID"""
    )
    # Bands name articles by row number, not key: 42 rows per article, so an integer instead of a
    # 32-character key halves the table. No index on the article column: nothing deletes articles.
    conn.execute(
        """CREATE TABLE signature_bands (
            band INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            article INTEGER NOT NULL REFERENCES articles(n) ON DELETE CASCADE,
            PRIMARY KEY (band, bucket, article)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE story_copies (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            url TEXT NOT NULL,
            id TEXT,
            outlet TEXT,
            title TEXT,
            published TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (article_key, url)
        )"""
    )
    rows = conn.execute("SELECT n, key, text FROM articles ORDER BY n").fetchall()
    for n, key, text in rows:
        link_story(conn, key, n, signature(text))


def link_story(conn: sqlite3.Connection, key: str, n: int, found: Signature | None) -> int:
    """Give a newly stored article its story, and index its signature for the articles after it.

    Args:
        conn: The store's connection, inside the write transaction.
        key: The article's key.
        n: The article's row number (its story id when it starts a story).
        found: Its signature, or None for a text too short to compare.

    Returns:
        The story id given.
    """
    story = n
    if found is not None:
        bands = list(enumerate(found.bands()))
        match = _best_match(conn, n, found, bands)
        if match is not None:
            story = match
        conn.execute(
            "INSERT INTO article_signatures (article_key, shingles, signature) VALUES (?, ?, ?)",
            (key, found.shingles, found.to_bytes()),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO signature_bands (band, bucket, article) VALUES (?, ?, ?)",
            [(band, bucket, n) for band, bucket in bands],
        )
    conn.execute("UPDATE articles SET story_id = ? WHERE key = ?", (story, key))
    return story


def _best_match(
    conn: sqlite3.Connection, n: int, found: Signature, bands: list[tuple[int, int]]
) -> int | None:
    """The story of the stored article most similar to ``found`` among those that are the same story."""
    # One statement of indexed lookups (a row-value IN over the pairs would scan the whole table).
    query = " UNION ".join(["SELECT article FROM signature_bands WHERE band = ? AND bucket = ?"] * len(bands))
    candidates = {other for (other,) in conn.execute(query, [v for pair in bands for v in pair])}
    candidates.discard(n)
    best: tuple[float, int] | None = None
    for other in sorted(candidates):
        row = conn.execute(
            "SELECT s.shingles, s.signature, a.story_id FROM articles a "
            "JOIN article_signatures s ON s.article_key = a.key WHERE a.n = ?",
            (other,),
        ).fetchone()
        if row is None or row[2] is None:
            continue
        stored = Signature.from_bytes(row[1], row[0])
        if found.same_story(stored):
            score = found.jaccard(stored)
            if best is None or score > best[0]:
                best = (score, row[2])
    return None if best is None else best[1]


def record_copy(conn: sqlite3.Connection, article: dict[str, object], digest: str | None, now: str) -> bool:
    """Record an article that was not stored because its text is already stored under another URL.

    Args:
        conn: The store's connection, inside the write transaction.
        article: The unstored article's row (``url``, ``id``, ``outlet``, ``title``, ``published``).
        digest: The hash of its normalised text (None for empty text, which is never a copy).
        now: The time of the save, ISO 8601.

    Returns:
        True when it was recorded as a copy; False when it is the stored article itself (same URL) or
        has no URL to tell it apart.
    """
    url = article.get("url")
    if not digest or not isinstance(url, str) or not url:
        return False
    row = conn.execute(
        "SELECT key, url FROM articles WHERE text_hash = ? ORDER BY n LIMIT 1", (digest,)
    ).fetchone()
    if row is None or row[1] == url:
        return False
    conn.execute(
        "INSERT OR IGNORE INTO story_copies (article_key, url, id, outlet, title, published, seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            row[0],
            url,
            article.get("id"),
            article.get("outlet"),
            article.get("title"),
            article.get("published"),
            now,
        ),
    )
    return True


@dataclass(frozen=True)
class StoryMember:
    """One outlet's version of a story: a stored article, or a copy recorded without being stored.

    Args:
        key: The stored article's key (for a copy, the key of the stored article it duplicates).
        id: The article's id.
        title: Its headline.
        url: Its URL.
        outlet: Its outlet, else its URL's host name.
        published: Its publication date.
        stored: False for a copy recorded in ``story_copies``.
    """

    key: str
    id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    stored: bool = True


@dataclass(frozen=True)
class Story:
    """Articles that are copies of one story, and the outlets that carried it.

    Args:
        id: The story id (the row number of its first stored article).
        members: Every version, stored articles first, each by publication date.
    """

    id: int
    members: list[StoryMember] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """The distinct outlets carrying the story, in order of first appearance (case-insensitive)."""
        seen: dict[str, str] = {}
        for member in self.members:
            if member.outlet and member.outlet.casefold() not in seen:
                seen[member.outlet.casefold()] = member.outlet
        return list(seen.values())

    @property
    def title(self) -> str | None:
        """The headline of the story's first article."""
        return next((m.title for m in self.members if m.title), None)


def outlet_of(outlet: str | None, url: str | None) -> str | None:
    """An article's outlet name, else the host name of its URL (``www.`` dropped)."""
    if outlet:
        return outlet
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def story_members(conn: sqlite3.Connection, story_id: int) -> list[StoryMember]:
    """Every stored article and recorded copy of a story."""
    members = [
        StoryMember(key, id_, title, url, outlet_of(outlet, url), published)
        for key, id_, title, url, outlet, published in conn.execute(
            "SELECT key, id, title, url, outlet, published FROM articles WHERE story_id = ? "
            "ORDER BY published, n",
            (story_id,),
        )
    ]
    members += [
        StoryMember(key, id_, title, url, outlet_of(outlet, url), published, stored=False)
        for key, id_, title, url, outlet, published in conn.execute(
            "SELECT c.article_key, c.id, c.title, c.url, c.outlet, c.published FROM story_copies c "
            "JOIN articles a ON a.key = c.article_key WHERE a.story_id = ? ORDER BY c.published, c.url",
            (story_id,),
        )
    ]
    return members


def story_ids(conn: sqlite3.Connection, min_versions: int = 2) -> list[int]:
    """Ids of stories with at least ``min_versions`` versions (stored articles and copies), largest first."""
    query = """
        SELECT story_id, SUM(versions) AS total FROM (
            SELECT story_id, COUNT(*) AS versions FROM articles WHERE story_id IS NOT NULL GROUP BY story_id
            UNION ALL
            SELECT a.story_id, COUNT(*) FROM story_copies c JOIN articles a ON a.key = c.article_key
            GROUP BY a.story_id
        ) GROUP BY story_id HAVING total >= ? ORDER BY total DESC, story_id
    """
    return [story for (story, _) in conn.execute(query, (min_versions,))]
