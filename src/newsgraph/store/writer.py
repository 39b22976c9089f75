"""Writes: records saved in batches, one transaction each, skipping articles already stored.

An article is a duplicate when its key (a hash of the canonical URL, else of the text) or the hash of
its normalised text is already in the store. A duplicate with another URL is recorded as a copy of the
stored story (:mod:`newsgraph.store.stories`) without storing its facts twice.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.schema import Article, Record, normalise_text
from newsgraph.store.codec import ARTICLES, FACTS, entity_key, fold, terms
from newsgraph.store.connection import Database
from newsgraph.store.dedup import signature
from newsgraph.store.event_groups import report_date
from newsgraph.store.stories import link_story, record_copy

EXISTS_SQL = "SELECT 1 FROM articles WHERE key = ? OR text_hash = ? LIMIT 1"

# One more article for an entity, with its attributions in that article (see tables.create_entity_counts).
_COUNT_ENTITY = (
    "INSERT INTO entity_counts (entity_key, name, type, terms, articles, attributions) "
    "VALUES (?, ?, ?, ?, 1, ?) "
    "ON CONFLICT (entity_key) DO UPDATE SET articles = articles + 1, "
    "attributions = attributions + excluded.attributions"
)


@dataclass(frozen=True)
class SaveResult:
    """What :func:`save` did.

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


def save(
    db: Database,
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
        db: The open store.
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
        raise StoreError(f"{db.path}: batch_size must be at least 1, not {batch_size}")
    result = SaveResult()
    source = iter(records)
    while True:
        batch, failure = _take(source, batch_size)
        if batch:
            result = _write_batch(db, batch, result)
            if on_commit is not None:
                on_commit(result)
        if failure is not None:
            raise failure
        if len(batch) < batch_size:
            return result


def has(db: Database, article: Article) -> bool:
    """Return True when the store holds this article (same key) or one with the same normalised text."""
    with db.read("look up an article") as conn:
        found = conn.execute(EXISTS_SQL, (article.key, dedup_hash(article.original_text)[1])).fetchone()
        return found is not None


def dedup_hash(text: str) -> tuple[str, str | None]:
    """Return the text hash, and the hash to match duplicates on: None for empty text, since every
    page whose extraction came out empty would otherwise be a duplicate of the first."""
    normalised = normalise_text(text)
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()
    return digest, (digest if normalised else None)


def _write_batch(db: Database, batch: Sequence[Record], result: SaveResult) -> SaveResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    prepared = [_prepare(db, record, now) for record in batch]
    # MinHash signatures (for stories) are computed before the write lock is taken.
    signatures = [signature(rows.article["text"]) for rows in prepared]
    added = skipped = 0
    with db.transaction("save records") as conn:
        for rows, found in zip(prepared, signatures, strict=True):
            if conn.execute(EXISTS_SQL, (rows.key, rows.dedup_hash)).fetchone() is not None:
                skipped += 1
                record_copy(conn, rows.article, rows.dedup_hash, now)
                continue
            try:
                rows.insert(conn)
            except UnicodeEncodeError as exc:
                raise _not_unicode(db, rows.label, exc) from exc
            (n,) = conn.execute("SELECT n FROM articles WHERE key = ?", (rows.key,)).fetchone()
            link_story(conn, rows.key, n, found)
            added += 1
    return SaveResult(result.added + added, result.skipped + skipped)


def _prepare(db: Database, record: Record, now: str) -> _Rows:
    if not isinstance(record, Record):
        raise StoreError(
            f"{db.path}: save() takes Record objects, not {type(record).__name__}; "
            "wrap an unanalysed article as Record(article)"
        )
    try:
        return _Rows.build(record, now)
    except UnicodeEncodeError as exc:
        raise _not_unicode(db, record.article.id or record.article.url, exc) from exc
    except (TypeError, ValueError) as exc:
        label = record.article.id or record.article.url or record.article.key
        raise StoreError(
            f"{db.path}: article {label} cannot be stored: {exc}; metadata and other nested values "
            "must be JSON (str, int, finite float, bool, None, list, dict with str keys)"
        ) from exc


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
    entity_counts: list[list[Any]]
    entity_aliases: list[tuple[str, str, str]]

    @classmethod
    def build(cls, record: Record, now: str) -> _Rows:
        article = record.article
        key = article.key
        row = ARTICLES.encode(article)
        digest, dedup = dedup_hash(article.original_text)  # as `has` sees the article before translation
        row.update(key=key, text_hash=digest, ingested_at=now)
        facts: dict[str, list[dict[str, Any]]] = {}
        for table, codec in FACTS.items():
            facts[table] = []
            for idx, item in enumerate(getattr(record, table)):
                fact = codec.encode(item)
                fact.update(article_key=key, idx=idx)
                facts[table].append(fact)
        keys: dict[str, str] = {}
        for fact, entity in zip(facts["entities"], record.entities, strict=True):
            fact["terms"] = terms([entity.name, *entity.aliases])
            fact["entity_key"] = keys[entity.id] = entity_key(entity.name, entity.type)
        counts: dict[str, list[Any]] = {}
        for entity in record.entities:
            counted = [keys[entity.id], entity.name, entity.type, fold(entity.name), 0]
            counts.setdefault(keys[entity.id], counted)
        for fact, attribution in zip(facts["attributions"], record.attributions, strict=True):
            speaker = record.entity(attribution.speaker)
            names = [attribution.speaker_name] + ([speaker.name, *speaker.aliases] if speaker else [])
            fact["content_text"] = article.text[attribution.content[0] : attribution.content[1]]
            fact["speaker_terms"] = terms(names)
            fact["via_terms"] = terms(v.name for v in attribution.via)
            fact["speaker_key"] = keys.get(attribution.speaker or "")
            if fact["speaker_key"] is not None:
                counts[fact["speaker_key"]][4] += 1
        for fact, event in zip(facts["events"], record.events, strict=True):
            # The date the event is grouped and filtered by, and folded names for substring filters.
            fact["event_date"], fact["date_source"] = report_date(event, record)
            fact["actor_terms"] = terms([event.actor_name])
            fact["target_terms"] = terms([event.target_name])
        aliases = sorted({(keys[e.id], alias, fold(alias)) for e in record.entities for alias in e.aliases})
        return cls(key, article.id or article.url or key, dedup, row, facts, list(counts.values()), aliases)

    def insert(self, conn: sqlite3.Connection) -> None:
        conn.execute(_insert_sql("articles", self.article), self.article)
        for table, rows in self.facts.items():
            if rows:
                conn.executemany(_insert_sql(table, rows[0]), rows)
        conn.executemany(_COUNT_ENTITY, self.entity_counts)
        conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_key, alias, terms) VALUES (?, ?, ?)",
            self.entity_aliases,
        )


def _not_unicode(db: Database, label: str | None, exc: UnicodeEncodeError) -> StoreError:
    return StoreError(
        f"{db.path}: article {label or '(no id)'} cannot be stored: it contains characters that are not "
        f"valid Unicode ({exc.reason}, such as lone surrogates from a bad decode); clean the input"
    )
