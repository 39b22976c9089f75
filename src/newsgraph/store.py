"""The SQLite store: save analysed records, read them back, filter quotes and search the text.

One :class:`Store` is one connection to one file. Writes go through :meth:`Store.save`, which streams
any iterable of records and commits one transaction per batch, so an interrupted ingest keeps every
batch it reported and a rerun skips them. Reads return schema objects or the small row classes below.

Example:
    >>> with Store("news.db") as store:
    ...     store.save(records)
    ...     for row in store.quotes(speaker="ribeiro", via="kyodo"):
    ...         print(row.published, row.content)
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgraph.dedup import signature
from newsgraph.errors import StoreError
from newsgraph.event_groups import EventGroup, EventReport, group_reports, report_date
from newsgraph.migrations import apply_migrations, check_store, pending_migrations
from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, TimeRef, normalise_text
from newsgraph.stories import Story, link_story, record_copy, story_ids, story_members

# How long a write waits for another writer's batch before giving up. A batch of 50 records takes
# well under a second to write (see bench/store.py), so 10 s rides out a busy writer on a loaded machine.
BUSY_TIMEOUT_MS = 10_000

# Articles read per query by iter_records; their facts are fetched with one IN (...) query per table,
# which keeps the parameter count far below SQLite's limit of 32766.
_READ_PAGE = 200

# bm25 weights for (title, text): a term in the headline says more about what an article is about than
# the same term once in the body. A judgement, not a tuned value.
_TITLE_WEIGHT = 3.0
_TEXT_WEIGHT = 1.0

# Tokens in a search snippet: about one line of terminal output.
_SNIPPET_TOKENS = 16

# Separates names inside the *_terms columns, so a substring filter cannot match across two names.
_SEP = "\x1f"

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ].*)?)?)?")

_TABLES = ("articles", "entities", "attributions", "claims", "events", "places", "times")

# Event fields with their own columns (added by the add_event_columns migration).
_EVENT_PARTIES = (
    "actor_name",
    "actor_country",
    "actor_sector",
    "target_name",
    "target_country",
    "target_sector",
)


@dataclass(frozen=True)
class SaveResult:
    """What :meth:`Store.save` did.

    Args:
        added: Records stored.
        skipped: Records not stored because their article key or text was already in the store.
    """

    added: int = 0
    skipped: int = 0

    @property
    def seen(self) -> int:
        """Records read from the input so far."""
        return self.added + self.skipped


@dataclass(frozen=True)
class QuoteRow:
    """One attribution with the article it comes from.

    Args:
        article_key: The article's storage key.
        article_id: The article's id.
        title: The article's title.
        url: The article's URL.
        outlet: The article's outlet.
        published: The article's publication date.
        attribution: The attribution, spans pointing into the stored article text.
        content: The text of the attribution's content span.
    """

    article_key: str
    article_id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    attribution: Attribution
    content: str


@dataclass(frozen=True)
class EntityRow:
    """An entity aggregated across articles by (name, type).

    Args:
        name: The entity's name.
        type: Its type (PERSON, ORG, GPE…).
        articles: Number of articles that mention it.
        attributions: Number of attributions with it as speaker.
        aliases: Every alias any article gives it, sorted.
    """

    name: str
    type: str
    articles: int
    attributions: int
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchHit:
    """An article matching a full-text query.

    Args:
        key: The article's storage key.
        id: The article's id.
        title: The article's title.
        url: The article's URL.
        outlet: The article's outlet.
        published: The article's publication date.
        rank: SQLite's bm25 score; lower (more negative) is a better match.
        snippet: A short passage around the match, matched terms between ``[`` and ``]``.
    """

    key: str
    id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    rank: float
    snippet: str


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


def text_hash(text: str) -> str:
    """Return the SHA-256 hex digest of ``schema.normalise_text(text)``: the store's duplicate-text test."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class Store:
    """A newsgraph store in one SQLite file (WAL mode, foreign keys on).

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

    # -- lifecycle -------------------------------------------------------------------------------

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
        target = f"{self.path.resolve().as_uri()}?mode=ro" if self.read_only else label
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
            if isinstance(exc, sqlite3.OperationalError) and not _is_damaged(exc):
                raise StoreError(f"{label}: cannot open the store: {exc} ({_hint(exc)})") from exc
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else ("read-only" if self.read_only else "open")
        return f"Store({str(self.path)!r}, {state})"

    @contextmanager
    def _translating(self, action: str) -> Iterator[sqlite3.Connection]:
        """Yield the connection; turn any sqlite3 error into a StoreError that says what to do."""
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed; open it again with Store(path)")
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not {action}: {exc} ({_hint(exc)})") from exc

    # -- writing -----------------------------------------------------------------------------------

    def save(
        self,
        records: Iterable[Record],
        batch_size: int = 50,
        on_commit: Callable[[SaveResult], None] | None = None,
    ) -> SaveResult:
        """Store records, one transaction per batch, skipping articles already stored.

        A record is skipped when its article key, or the hash of its normalised text, is already in the
        store (articles with empty text are matched by key only). Records are read from ``records`` a
        batch at a time, before the write lock is taken, so a slow producer never blocks other writers.
        If ``records`` raises, the records it yielded before are saved, then the error propagates.

        Args:
            records: Any iterable of records; it is consumed lazily.
            batch_size: Records per transaction. Larger batches write faster; smaller ones lose less
                work when the process is killed.
            on_commit: Called after each committed batch with the running totals.

        Returns:
            How many records were added and skipped.

        Raises:
            StoreError: A record cannot be stored (not a Record, metadata not JSON, text not encodable)
                or SQLite failed. Batches committed before it stay committed.
        """
        if batch_size < 1:
            raise StoreError(f"{self.path}: batch_size must be at least 1, not {batch_size}")
        result = SaveResult()
        source = iter(records)
        while True:
            batch, failure = _take(source, batch_size)
            if batch:
                result = self._write_batch(batch, result)
                if on_commit is not None:
                    on_commit(result)
            if failure is not None:
                raise failure
            if len(batch) < batch_size:
                return result

    def _write_batch(self, batch: Sequence[Record], result: SaveResult) -> SaveResult:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        prepared = [self._prepare(record, now) for record in batch]
        # MinHash signatures (for stories, see newsgraph.stories) are computed before the write lock is taken.
        signatures = [signature(rows.article["text"]) for rows in prepared]
        added = skipped = 0
        with self._translating("save records") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for rows, found in zip(prepared, signatures, strict=True):
                    if conn.execute(_EXISTS, (rows.key, rows.dedup_hash)).fetchone() is not None:
                        skipped += 1
                        record_copy(conn, rows.article, rows.dedup_hash, now)
                        continue
                    try:
                        rows.insert(conn)
                    except UnicodeEncodeError as exc:
                        raise _not_unicode(self.path, rows.label, exc) from exc
                    (n,) = conn.execute("SELECT n FROM articles WHERE key = ?", (rows.key,)).fetchone()
                    link_story(conn, rows.key, n, found)
                    added += 1
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return SaveResult(result.added + added, result.skipped + skipped)

    def _prepare(self, record: Record, now: str) -> _Rows:
        if not isinstance(record, Record):
            raise StoreError(
                f"{self.path}: save() takes Record objects, not {type(record).__name__}; "
                "wrap an unanalysed article as Record(article)"
            )
        try:
            return _Rows.build(record, now)
        except UnicodeEncodeError as exc:
            raise _not_unicode(self.path, record.article.id or record.article.url, exc) from exc
        except (TypeError, ValueError) as exc:
            label = record.article.id or record.article.url or record.article.key
            raise StoreError(
                f"{self.path}: article {label} cannot be stored: {exc}; metadata and other nested values "
                "must be JSON (str, int, finite float, bool, None, list, dict with str keys)"
            ) from exc

    def has(self, article: Article) -> bool:
        """Return True when the store holds this article (same key) or one with the same normalised text."""
        with self._translating("look up an article") as conn:
            return conn.execute(_EXISTS, (article.key, _dedup_hash(article.text)[1])).fetchone() is not None

    # -- reading records ---------------------------------------------------------------------------

    def get(self, ref: str) -> Record | None:
        """Return the record whose article key, id or URL is ``ref`` (tried in that order), or None.

        When several articles share the id or URL, the earliest published (then lowest key) wins.
        """
        with self._translating("read an article") as conn:
            for column in ("key", "id", "url"):
                row = conn.execute(
                    f"SELECT * FROM articles WHERE {column} = ? ORDER BY published, key LIMIT 1", (ref,)
                ).fetchone()
                if row is not None:
                    return self._load_records(conn, [row])[0]
        return None

    def iter_records(self) -> Iterator[Record]:
        """Yield every stored record, ordered by publication date (undated first), then article key."""
        with self._translating("read articles") as conn:
            cursor = conn.execute("SELECT * FROM articles ORDER BY published, key")
        while True:
            with self._translating("read articles") as conn:
                rows = cursor.fetchmany(_READ_PAGE)
                records = self._load_records(conn, rows) if rows else []
            if not records:
                return
            yield from records

    def _load_records(self, conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Record]:
        keys = [row["key"] for row in rows]
        marks = ", ".join("?" * len(keys))
        facts: dict[str, dict[str, list[Any]]] = {}
        for table, columns in _FACT_COLUMNS.items():
            facts[table] = defaultdict(list)
            query = f"SELECT * FROM {table} WHERE article_key IN ({marks}) ORDER BY article_key, idx"
            for fact in conn.execute(query, keys):
                item = _FACT_TYPES[table].from_dict(_decode(fact, columns))
                facts[table][fact["article_key"]].append(item)
        return [
            Record(_article_from(row), **{table: facts[table][row["key"]] for table in _FACT_COLUMNS})
            for row in rows
        ]

    # -- queries -----------------------------------------------------------------------------------

    def quotes(
        self,
        speaker: str | None = None,
        via: str | None = None,
        since: str | None = None,
        until: str | None = None,
        search: str | None = None,
        limit: int | None = 100,
    ) -> list[QuoteRow]:
        """Return attributions matching every filter given, newest article first.

        Args:
            speaker: Case-insensitive substring of the speaker's name or of any alias of the speaker entity.
            via: Case-insensitive substring of any outlet in the reporting chain.
            since: Earliest publication date, ISO (``2024``, ``2024-03``, ``2024-03-14``), inclusive.
            until: Latest publication date, ISO, inclusive (``2024-03`` includes all of March).
            search: FTS5 query over the content of the attributions; results are then ordered by relevance.
                A query FTS5 cannot parse is searched as a phrase of its words.
            limit: Most rows to return; None for all.

        Returns:
            The matching attributions with their articles.

        Raises:
            StoreError: A date is not ISO, the limit is negative, or the query cannot be run.
        """
        where: list[str] = []
        params: list[Any] = []
        if search:
            source = (
                "attributions_fts JOIN attributions a ON a.n = attributions_fts.rowid "
                "JOIN articles ar ON ar.key = a.article_key"
            )
            where.append("attributions_fts MATCH ?")
            params.append(search)
            order = "attributions_fts.rank, ar.published DESC, ar.key, a.idx"
        else:
            source = "attributions a JOIN articles ar ON ar.key = a.article_key"
            order = "ar.published DESC, ar.key, a.idx"
        if speaker:
            where.append("instr(a.speaker_terms, ?) > 0")
            params.append(_fold(speaker))
        if via:
            where.append("instr(a.via_terms, ?) > 0")
            params.append(_fold(via))
        if since:
            where.append("ar.published >= ?")
            params.append(self._iso(since, "since"))
        if until:
            where.append("substr(ar.published, 1, ?) <= ?")
            params.extend([len(until), self._iso(until, "until")])
        params.append(self._limit(limit))
        sql = (
            "SELECT a.*, ar.id AS article_id, ar.title, ar.url, ar.outlet, ar.published "
            f"FROM {source} {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ?"
        )
        if search:
            rows = self._match(sql, params, search, "search quotes")
        else:
            with self._translating("read quotes") as conn:
                rows = conn.execute(sql, params).fetchall()
        return [
            QuoteRow(
                article_key=row["article_key"],
                article_id=row["article_id"],
                title=row["title"],
                url=row["url"],
                outlet=row["outlet"],
                published=row["published"],
                attribution=_attribution_from(row),
                content=row["content_text"],
            )
            for row in rows
        ]

    def events(
        self,
        type: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = 100,
    ) -> list[EventGroup]:
        """Return coded events matching every filter given, each grouped with all its reports, newest first.

        Reports of the same event in several articles (the same type, parties and date; see
        :mod:`newsgraph.event_groups`) come back as one group with ``num_reports`` > 1.

        Args:
            type: PLOVER type (AGREE, CONSULT…), case-insensitive.
            actor: Case-insensitive substring of the actor's name.
            target: Case-insensitive substring of the target's name.
            country: Actor code (ISO alpha-3, or IGO/NGO) of the actor or of the target.
            since: Earliest event date, ISO (``2024``, ``2024-03``, ``2024-03-14``), inclusive.
            until: Latest event date, ISO, inclusive (``2024-03`` includes all of March).
            limit: Most groups to return; None for all.

        Returns:
            The matching events, newest first, each with its reports (article, outlet, trigger text,
            reporting speaker, place).
        """
        where = ["e.type IS NOT NULL", "e.candidate = 0"]
        params: list[Any] = []
        if type:
            where.append("e.type = ?")
            params.append(type.strip().upper())
        if actor:
            where.append("instr(e.actor_terms, ?) > 0")
            params.append(_fold(actor))
        if target:
            where.append("instr(e.target_terms, ?) > 0")
            params.append(_fold(target))
        if country:
            where.append("(e.actor_country = ? OR e.target_country = ?)")
            params.extend([country.strip().upper()] * 2)
        if since:
            where.append("e.event_date >= ?")
            params.append(self._iso(since, "since"))
        if until:
            where.append("substr(e.event_date, 1, ?) <= ?")
            params.extend([len(until), self._iso(until, "until")])
        wanted = self._limit(limit)
        with self._translating("read events") as conn:
            rows = conn.execute(_EVENTS_SQL.format(where=" AND ".join(where)), params).fetchall()
            matched = {(row["article_key"], row["idx"]) for row in rows}
            if (actor or target or country) and rows:
                # A report that names a party differently (or not at all) still belongs to the event:
                # group every report of the same types around those dates, then keep the matched groups.
                types = sorted({row["type"] for row in rows})
                dates = sorted(row["event_date"] for row in rows if row["event_date"])
                wider = [f"e.type IN ({', '.join('?' * len(types))})", "e.candidate = 0"]
                wider_params: list[Any] = list(types)
                if dates:
                    wider.append(
                        "(e.event_date IS NULL OR "
                        "e.event_date BETWEEN date(?, '-1 day') AND date(?, '+1 day'))"
                    )
                    wider_params.extend([dates[0][:10], dates[-1][:10]])
                rows = conn.execute(_EVENTS_SQL.format(where=" AND ".join(wider)), wider_params).fetchall()
        groups = group_reports(_report_from(row) for row in rows)
        groups = [g for g in groups if any((r.article_key, r.index) in matched for r in g.reports)]
        groups.sort(key=lambda g: (g.date or "", g.num_reports), reverse=True)
        return groups if wanted < 0 else groups[:wanted]

    def entities(
        self, type: str | None = None, name: str | None = None, limit: int | None = 100
    ) -> list[EntityRow]:
        """Return entities aggregated across articles by (name, type), most widely mentioned first.

        Args:
            type: Only this type (PERSON, ORG…), case-insensitive.
            name: Case-insensitive substring of the name or of any alias.
            limit: Most rows to return; None for all.

        Returns:
            One row per (name, type) with article and attribution counts and the union of aliases.
        """
        where: list[str] = []
        params: list[Any] = []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if name:
            where.append("(e.name, e.type) IN (SELECT name, type FROM entities WHERE instr(terms, ?) > 0)")
            params.append(_fold(name))
        params.append(self._limit(limit))
        sql = (
            "SELECT e.name, e.type, COUNT(DISTINCT e.article_key) AS articles, "
            "SUM((SELECT COUNT(*) FROM attributions a "
            "     WHERE a.article_key = e.article_key AND a.speaker = e.entity_id)) AS attributions, "
            "json_group_array(json(e.aliases)) AS aliases "
            f"FROM entities e {'WHERE ' + ' AND '.join(where) if where else ''} "
            "GROUP BY e.name, e.type ORDER BY articles DESC, attributions DESC, e.name, e.type LIMIT ?"
        )
        with self._translating("read entities") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            EntityRow(
                name=row["name"],
                type=row["type"],
                articles=row["articles"],
                attributions=row["attributions"],
                aliases=sorted({alias for group in json.loads(row["aliases"]) for alias in group}, key=_fold),
            )
            for row in rows
        ]

    def search(self, query: str, limit: int | None = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts, best match first.

        Args:
            query: An FTS5 query (words, ``"phrases"``, ``AND``/``OR``/``NOT``, ``prefix*``). A query
                FTS5 cannot parse is searched as a phrase of its words.
            limit: Most hits to return; None for all.

        Returns:
            The matching articles with their bm25 rank and a snippet.
        """
        sql = (
            "SELECT ar.key, ar.id, ar.title, ar.url, ar.outlet, ar.published, "
            f"bm25(articles_fts, {_TITLE_WEIGHT}, {_TEXT_WEIGHT}) AS rank, "
            f"snippet(articles_fts, -1, '[', ']', '…', {_SNIPPET_TOKENS}) AS snippet "
            "FROM articles_fts JOIN articles ar ON ar.n = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank, ar.key LIMIT ?"
        )
        rows = self._match(sql, [query, self._limit(limit)], query, "search articles")
        return [
            SearchHit(
                key=row["key"],
                id=row["id"],
                title=row["title"],
                url=row["url"],
                outlet=row["outlet"],
                published=row["published"],
                rank=row["rank"],
                snippet=row["snippet"],
            )
            for row in rows
        ]

    # -- stories -------------------------------------------------------------------------------------

    def stories(self, min_outlets: int = 2, limit: int | None = 100) -> list[Story]:
        """Return stories carried by at least ``min_outlets`` outlets, most versions first.

        A story is an article and its syndicated copies, linked when saved (:mod:`newsgraph.stories`).

        Args:
            min_outlets: Fewest distinct outlets (an article without an outlet counts by its URL's host).
            limit: Most stories to return; None for all.

        Raises:
            StoreError: The limit is negative or the store cannot be read.
        """
        wanted = self._limit(limit)
        found: list[Story] = []
        with self._translating("read stories") as conn:
            for story_id in story_ids(conn, max(1, min_outlets)):
                story = Story(story_id, story_members(conn, story_id))
                if len(story.outlets) >= min_outlets:
                    found.append(story)
                    if len(found) == wanted:
                        break
        return found

    def same_story(self, ref: str) -> Story | None:
        """Return the story of the article whose key, id or URL is ``ref`` (as :meth:`get` finds it).

        Returns:
            The story, its members including the article itself; None when there is no such article.
        """
        with self._translating("read a story") as conn:
            for column in ("key", "id", "url"):
                query = f"SELECT story_id FROM articles WHERE {column} = ? ORDER BY published, key LIMIT 1"
                row = conn.execute(query, (ref,)).fetchone()
                if row is not None:
                    return None if row[0] is None else Story(row[0], story_members(conn, row[0]))
        return None

    def stats(self) -> dict[str, int]:
        """Return the number of stored articles, entities, attributions, events, places and times."""
        with self._translating("count rows") as conn:
            return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in _TABLES}

    # -- feed monitoring state ---------------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        """Return what is remembered about the feed at ``url``, or None for a feed never polled."""
        with self._translating("read feed state") as conn:
            row = conn.execute("SELECT * FROM feed_state WHERE url = ?", (url,)).fetchone()
        return None if row is None else FeedState(**{k: row[k] for k in row.keys()})  # noqa: SIM118

    def save_feed_state(self, state: FeedState) -> None:
        """Insert or replace the state of ``state.url``."""
        with self._translating("save feed state") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO feed_state "
                "(url, etag, last_modified, checked_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?)",
                astuple(state),
            )

    def seen_entries(self, feed: str, keys: Iterable[str]) -> set[str]:
        """Return those of ``keys`` already marked seen for ``feed``."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self._translating("read seen feed entries") as conn:
            for start in range(0, len(wanted), _READ_PAGE):
                page = wanted[start : start + _READ_PAGE]
                marks = ", ".join("?" * len(page))
                query = f"SELECT entry FROM seen_entries WHERE feed = ? AND entry IN ({marks})"
                found.update(entry for (entry,) in conn.execute(query, [feed, *page]))
        return found

    def mark_seen(self, feed: str, entries: Iterable[tuple[str, str | None]]) -> None:
        """Mark entries of ``feed`` as handled, in one transaction.

        Args:
            feed: The feed's URL.
            entries: (entry key, key of the article stored for it, or None) pairs.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(feed, entry, article_key, now) for entry, article_key in entries]
        with self._translating("mark feed entries seen") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO seen_entries (feed, entry, article_key, seen_at) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _match(self, sql: str, params: list[Any], query: str, action: str) -> list[sqlite3.Row]:
        """Run ``sql``, whose first parameter is the FTS5 query; retry as a phrase if FTS5 cannot parse it."""
        with self._translating(action) as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if not _is_query_error(exc):
                    raise
            phrase = _as_phrase(query)
            if phrase is None:
                return []
            params = [phrase, *params[1:]]
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if not _is_query_error(exc):
                    raise
                raise StoreError(
                    f"{self.path}: cannot run the search {query!r} ({exc}); use plain words, "
                    'or put a phrase in "double quotes"'
                ) from exc

    def _iso(self, value: str, name: str) -> str:
        if not _ISO_DATE.fullmatch(value):
            raise StoreError(f"{name} must be an ISO date such as 2024, 2024-03 or 2024-03-14, not {value!r}")
        return value

    def _limit(self, limit: int | None) -> int:
        if limit is None:
            return -1  # SQLite reads a negative LIMIT as "no limit"
        if limit < 0:
            raise StoreError(f"limit must be 0 or more, or None for no limit; not {limit}")
        return limit


# -- rows <-> schema objects -----------------------------------------------------------------------

_EXISTS = "SELECT 1 FROM articles WHERE key = ? OR text_hash = ? LIMIT 1"

# Event reports with their article, reporting speaker and place; {where} holds the filters.
_EVENTS_SQL = (
    "SELECT e.*, ar.id AS article_id, ar.url, ar.outlet, ar.published, "
    "substr(ar.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text, "
    "a.speaker_name AS reporter, p.place_id AS p_id, p.span_start AS p_span_start, "
    "p.span_end AS p_span_end, p.name AS p_name, p.geonameid AS p_geonameid, p.lat AS p_lat, "
    "p.lon AS p_lon, p.country AS p_country, p.resolved AS p_resolved, p.extra AS p_extra "
    "FROM events e JOIN articles ar ON ar.key = e.article_key "
    "LEFT JOIN attributions a ON a.article_key = e.article_key AND a.idx = e.reported_by "
    "LEFT JOIN places p ON p.article_key = e.article_key AND p.place_id = e.place "
    "WHERE {where} ORDER BY e.event_date, ar.published, e.article_key, e.idx"
)


def _dedup_hash(text: str) -> tuple[str, str | None]:
    """Return the text hash, and the hash to match duplicates on: None for empty text, since every
    page whose extraction came out empty would otherwise be a duplicate of the first."""
    normalised = normalise_text(text)
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()
    return digest, (digest if normalised else None)


def _take(source: Iterator[Record], size: int) -> tuple[list[Record], Exception | None]:
    """Read up to ``size`` items; return them with the exception that stopped the read, if one did."""
    batch: list[Record] = []
    try:
        for item in source:
            batch.append(item)
            if len(batch) == size:
                break
    except Exception as exc:
        return batch, exc
    return batch, None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _fold(text: str) -> str:
    return text.casefold()


def _terms(names: Iterable[str | None]) -> str:
    return _fold(_SEP.join(name for name in names if name))


# How each schema field is stored: (column, field, codec). Codec "" copies the value, "json" stores JSON
# text, "bool" stores 0/1, and "span" stores a [start, end) pair as <column>_start and <column>_end.
Columns = tuple[tuple[str, str, str], ...]

_ARTICLE_COLUMNS: Columns = (
    ("id", "id", ""),
    ("url", "url", ""),
    ("outlet", "outlet", ""),
    ("title", "title", ""),
    ("authors", "authors", "json"),
    ("published", "published", ""),
    ("language", "language", ""),
    ("metadata", "metadata", "json"),
    ("text", "text", ""),
)
_ATTRIBUTION_COLUMNS: Columns = (
    ("speaker", "speaker", ""),
    ("speaker_name", "speaker_name", ""),
    ("role", "role", ""),
    ("source", "source", "span"),
    ("cue", "cue", "span"),
    ("content", "content", "span"),
    ("kind", "kind", ""),
    ("via", "via", "json"),
)
_FACT_COLUMNS: dict[str, Columns] = {
    "entities": (
        ("entity_id", "id", ""),
        ("name", "name", ""),
        ("type", "type", ""),
        ("aliases", "aliases", "json"),
        ("mentions", "mentions", "json"),
        ("role", "role", ""),
    ),
    "attributions": _ATTRIBUTION_COLUMNS,
    "claims": _ATTRIBUTION_COLUMNS,  # unsourced statements, shaped like attributions
    "events": (
        ("trigger", "trigger", "span"),
        *((name, name, "") for name in ("type", "mode", "actor", "target", "place", "time")),
        *((name, name, "bool") for name in ("hedged", "negated", "planned", "candidate")),
        *((name, name, "") for name in _EVENT_PARTIES),
        ("reported_by", "reported_by", ""),
    ),
    "places": (
        ("place_id", "id", ""),
        ("span", "span", "span"),
        *((name, name, "") for name in ("name", "geonameid", "lat", "lon", "country")),
        ("resolved", "resolved", "bool"),
    ),
    "times": (
        ("time_id", "id", ""),
        ("span", "span", "span"),
        *((name, name, "") for name in ("text", "value", "type")),
    ),
}
_FACT_TYPES: dict[str, Any] = {
    "entities": Entity,
    "attributions": Attribution,
    "claims": Attribution,
    "events": Event,
    "places": Place,
    "times": TimeRef,
}


def _encode(data: dict[str, Any], columns: Columns) -> dict[str, Any]:
    """Turn a schema object's ``to_dict()`` into column values; unknown fields go to ``extra`` as JSON."""
    row: dict[str, Any] = {}
    for column, name, codec in columns:
        value = data.get(name)
        if codec == "span":
            row[f"{column}_start"], row[f"{column}_end"] = (None, None) if value is None else value
        elif codec == "json":
            row[column] = _dumps(value)
        elif codec == "bool":
            row[column] = bool(value)
        else:
            row[column] = value
    known = {name for _, name, _ in columns}
    rest = {k: v for k, v in data.items() if k not in known}
    row["extra"] = _dumps(rest) if rest else None
    return row


def _decode(row: sqlite3.Row, columns: Columns) -> dict[str, Any]:
    """Inverse of :func:`_encode`: the ``from_dict()`` input for one row."""
    data: dict[str, Any] = json.loads(row["extra"]) if row["extra"] else {}
    for column, name, codec in columns:
        if codec == "span":
            start, end = row[f"{column}_start"], row[f"{column}_end"]
            data[name] = None if start is None or end is None else [start, end]
        elif codec == "json":
            data[name] = json.loads(row[column])
        elif codec == "bool":
            data[name] = bool(row[column])
        else:
            data[name] = row[column]
    return data


def _insert_sql(table: str, columns: Iterable[str]) -> str:
    names = list(columns)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"


@dataclass
class _Rows:
    """One record as table rows, built before the write transaction starts."""

    key: str
    label: str
    dedup_hash: str | None
    article: dict[str, Any]
    facts: dict[str, list[dict[str, Any]]]

    @classmethod
    def build(cls, record: Record, now: str) -> _Rows:
        article = record.article
        key = article.key
        row = _encode(article.to_dict(), _ARTICLE_COLUMNS)
        digest, dedup = _dedup_hash(article.text)
        row.update(key=key, text_hash=digest, ingested_at=now)
        facts: dict[str, list[dict[str, Any]]] = {}
        for table, columns in _FACT_COLUMNS.items():
            facts[table] = []
            for idx, item in enumerate(getattr(record, table)):
                fact = _encode(item.to_dict(), columns)
                fact.update(article_key=key, idx=idx)
                facts[table].append(fact)
        for fact, attribution in zip(facts["attributions"], record.attributions, strict=True):
            speaker = record.entity(attribution.speaker)
            names = [attribution.speaker_name] + ([speaker.name, *speaker.aliases] if speaker else [])
            fact["content_text"] = article.text[attribution.content[0] : attribution.content[1]]
            fact["speaker_terms"] = _terms(names)
            fact["via_terms"] = _terms(v.name for v in attribution.via)
        for fact, entity in zip(facts["entities"], record.entities, strict=True):
            fact["terms"] = _terms([entity.name, *entity.aliases])
        for fact, event in zip(facts["events"], record.events, strict=True):
            # The date the event is grouped and filtered by, and folded names for substring filters.
            fact["event_date"], fact["date_source"] = report_date(event, record)
            fact["actor_terms"] = _terms([event.actor_name])
            fact["target_terms"] = _terms([event.target_name])
        return cls(key, article.id or article.url or key, dedup, row, facts)

    def insert(self, conn: sqlite3.Connection) -> None:
        conn.execute(_insert_sql("articles", self.article), self.article)
        for table, rows in self.facts.items():
            if rows:
                conn.executemany(_insert_sql(table, rows[0]), rows)


def _article_from(row: sqlite3.Row) -> Article:
    return Article.from_dict(_decode(row, _ARTICLE_COLUMNS))


def _report_from(row: sqlite3.Row) -> EventReport:
    """One row of the :meth:`Store.events` query as an event report."""
    event = Event.from_dict(_decode(row, _FACT_COLUMNS["events"]))
    place = None
    if row["p_id"] is not None:
        data = json.loads(row["p_extra"]) if row["p_extra"] else {}
        data.update(
            id=row["p_id"],
            span=[row["p_span_start"], row["p_span_end"]],
            name=row["p_name"],
            geonameid=row["p_geonameid"],
            lat=row["p_lat"],
            lon=row["p_lon"],
            country=row["p_country"],
            resolved=bool(row["p_resolved"]),
        )
        place = Place.from_dict(data)
    return EventReport(
        event=event,
        article_key=row["article_key"],
        index=row["idx"],
        article_id=row["article_id"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        trigger_text=row["trigger_text"] or "",
        date=row["event_date"],
        date_source=row["date_source"] or "none",
        reported_by=row["reporter"],
        place=place,
    )


def _attribution_from(row: sqlite3.Row) -> Attribution:
    return Attribution.from_dict(_decode(row, _FACT_COLUMNS["attributions"]))


# -- errors -----------------------------------------------------------------------------------------


def _is_query_error(exc: sqlite3.OperationalError) -> bool:
    """True when SQLite rejected the FTS5 query itself rather than failing to read the file."""
    message = str(exc).lower()
    return not any(word in message for word in ("locked", "busy", "disk", "malformed", "memory"))


def _as_phrase(query: str) -> str | None:
    """Return ``query`` as one FTS5 phrase of its words, or None when it has no words at all."""
    if not re.search(r"\w", query):
        return None
    return '"' + query.replace('"', " ") + '"'


def _is_damaged(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def _not_unicode(path: Path, label: str | None, exc: UnicodeEncodeError) -> StoreError:
    return StoreError(
        f"{path}: article {label or '(no id)'} cannot be stored: it contains characters that are not "
        f"valid Unicode ({exc.reason}, such as lone surrogates from a bad decode); clean the input"
    )


def _hint(exc: sqlite3.Error) -> str:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return "another process is writing to the store; retry when it has finished"
    if "readonly" in message or "read-only" in message:
        return "check that the file and its folder are writable"
    if "full" in message:
        return "free some disk space and retry"
    if _is_damaged(exc):
        return "the file is damaged; restore it from a backup or start a new store"
    return "check the file with: sqlite3 FILE 'PRAGMA integrity_check'"
