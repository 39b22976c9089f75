""":class:`Store`: one open store, with the package's writes and queries as methods.

Every method delegates to a function of the module that answers it; each of those functions also takes
any :class:`~newsgraph.store.connection.Database` (a Store is one), for callers that prefer functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from newsgraph.schema import Article, Record
from newsgraph.store import failures, feeds, records, writer
from newsgraph.store.articles import ArticleRow, article_page
from newsgraph.store.connection import Database
from newsgraph.store.entities import EntityDetail, EntityRow, entity_detail, entity_page, find_entities
from newsgraph.store.event_groups import EventGroup
from newsgraph.store.events import event_page, find_events
from newsgraph.store.failures import ErrorRow
from newsgraph.store.feeds import FeedState
from newsgraph.store.languages import LanguageCount, language_counts
from newsgraph.store.params import Page
from newsgraph.store.places import PlaceRow, find_places
from newsgraph.store.quotes import QuoteRow, find_quotes, quote_page
from newsgraph.store.search import SearchHit, search_articles, search_page
from newsgraph.store.stories import Story
from newsgraph.store.writer import SaveResult


class Store(Database):
    """A newsgraph store in one SQLite file (WAL mode, foreign keys on).

    Opening a new path creates the store; opening an existing one applies any pending migrations.

    Args:
        path: The database file. Its folder must exist.
        read_only: Open without writing anything (for readers beside a running writer). The store must
            already exist and be fully migrated.

    Raises:
        StoreError: The path is a folder or lies in a missing folder, the file is not a newsgraph store,
            or it was written by a newer newsgraph.

    Example:
        >>> with Store("news.db") as store:
        ...     store.save(records)
        ...     for row in store.quotes(speaker="ribeiro", via="kyodo"):
        ...         print(row.published, row.content)
    """

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("read-only" if self.read_only else "open")
        return f"Store({str(self.path)!r}, {state})"

    # -- writes (newsgraph.store.writer) -----------------------------------------------------------

    def save(
        self,
        records: Iterable[Record],
        batch_size: int = 50,
        on_commit: Callable[[SaveResult], None] | None = None,
    ) -> SaveResult:
        """Store records, one transaction per batch, skipping articles already stored.

        See :func:`newsgraph.store.writer.save`.
        """
        return writer.save(self, records, batch_size, on_commit)

    def has(self, article: Article) -> bool:
        """Return True when the store holds this article (same key) or one with the same normalised text."""
        return writer.has(self, article)

    # -- inputs that could not be taken (newsgraph.store.failures) ---------------------------------

    def record_errors(self, errors: Iterable[tuple[str, str, str, str | None]]) -> int:
        """Record (input, stage, reason, hint) rows in the ``errors`` table (:mod:`.failures`)."""
        return failures.record_errors(self, errors)

    def errors(
        self, since: str | None = None, stage: str | None = None, limit: int | None = 100
    ) -> tuple[list[ErrorRow], int]:
        """The errors recorded, newest first, and how many match in all."""
        return failures.find_errors(self, since, stage, limit)

    # -- whole records (newsgraph.store.records) ---------------------------------------------------

    def get(self, ref: str) -> Record | None:
        """Return the record whose article key, id or URL is ``ref`` (tried in that order), or None."""
        return records.get_record(self, ref)

    def iter_records(self) -> Iterator[Record]:
        """Yield every stored record, ordered by publication date (undated first), then article key."""
        return records.iter_records(self)

    def stats(self) -> dict[str, int]:
        """Return the number of stored articles, entities, attributions, claims, events, places and times."""
        return records.count_rows(self)

    def languages(self) -> list[LanguageCount]:
        """Return the stored articles per language: how many, translated, not analysed (no engine)."""
        return language_counts(self)

    def stories(self, min_outlets: int = 2, limit: int | None = 100) -> list[Story]:
        """Return stories carried by at least ``min_outlets`` outlets (see :func:`records.find_stories`)."""
        return records.find_stories(self, min_outlets, limit)

    def same_story(self, ref: str) -> Story | None:
        """Return the story of the article whose key, id or URL is ``ref``, or None."""
        return records.same_story(self, ref)

    # -- queries -------------------------------------------------------------------------------------

    def quotes(
        self,
        speaker: str | None = None,
        via: str | None = None,
        since: str | None = None,
        until: str | None = None,
        search: str | None = None,
        limit: int | None = 100,
        *,
        outlet: str | None = None,
        kind: str | None = None,
    ) -> list[QuoteRow]:
        """Return attributions matching every filter (see :func:`~newsgraph.store.quotes.find_quotes`)."""
        return find_quotes(self, speaker, via, since, until, search, limit, outlet=outlet, kind=kind)

    def quote_page(
        self,
        *,
        speaker: str | None = None,
        via: str | None = None,
        outlet: str | None = None,
        kind: str | None = None,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[QuoteRow]:
        """Return one page of attributions, newest first (see :func:`~newsgraph.store.quotes.quote_page`)."""
        return quote_page(
            self,
            speaker=speaker,
            via=via,
            outlet=outlet,
            kind=kind,
            q=q,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )

    def article_page(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        place: int | None = None,
        ingested_after: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[ArticleRow]:
        """Return one page of articles, newest first (see :func:`~newsgraph.store.articles.article_page`)."""
        return article_page(
            self,
            outlet=outlet,
            since=since,
            until=until,
            q=q,
            place=place,
            ingested_after=ingested_after,
            cursor=cursor,
            limit=limit,
        )

    def events(
        self,
        type: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = 100,
        *,
        actor_country: str | None = None,
        target_country: str | None = None,
        hedged: bool | None = None,
    ) -> list[EventGroup]:
        """Return coded events grouped with their reports, newest first (see :func:`~.events.find_events`)."""
        return find_events(
            self,
            type,
            actor,
            target,
            country,
            since,
            until,
            limit,
            actor_country=actor_country,
            target_country=target_country,
            hedged=hedged,
        )

    def event_page(
        self,
        *,
        type: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        country: str | None = None,
        actor_country: str | None = None,
        target_country: str | None = None,
        hedged: bool | None = None,
        since: str | None = None,
        until: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[EventGroup]:
        """Return one page of events (see :func:`~newsgraph.store.events.event_page`)."""
        return event_page(
            self,
            type=type,
            actor=actor,
            target=target,
            country=country,
            actor_country=actor_country,
            target_country=target_country,
            hedged=hedged,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )

    def entities(
        self, type: str | None = None, name: str | None = None, limit: int | None = 100
    ) -> list[EntityRow]:
        """Return entities aggregated by (name, type), most widely mentioned first."""
        return find_entities(self, type, name, limit)

    def entity_page(
        self,
        *,
        type: str | None = None,
        name: str | None = None,
        country: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[EntityRow]:
        """Return one page of entities (see :func:`~newsgraph.store.entities.entity_page`)."""
        return entity_page(self, type=type, name=name, country=country, cursor=cursor, limit=limit)

    def entity(self, key: str) -> EntityDetail | None:
        """Return the detail of the entity with store-wide key ``key``, or None."""
        return entity_detail(self, key)

    def places(
        self,
        *,
        country: str | None = None,
        admin1: str | None = None,
        min_confidence: float | None = None,
        outlet: str | None = None,
        event_type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 1000,
    ) -> list[PlaceRow]:
        """Return resolved places with their counts (see :func:`~newsgraph.store.places.find_places`)."""
        return find_places(
            self,
            country=country,
            admin1=admin1,
            min_confidence=min_confidence,
            outlet=outlet,
            event_type=event_type,
            since=since,
            until=until,
            limit=limit,
        )

    def search(self, query: str, limit: int | None = 20) -> list[SearchHit]:
        """Full-text search over article titles, texts and, for translated articles, originals; best first."""
        return search_articles(self, query, limit)

    def search_page(
        self,
        q: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> Page[SearchHit]:
        """Return one page of full-text hits (see :func:`~newsgraph.store.search.search_page`)."""
        return search_page(self, q, outlet=outlet, since=since, until=until, cursor=cursor, limit=limit)

    # -- feed state (newsgraph.store.feeds) ----------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        """Return what is remembered about the feed at ``url``, or None for a feed never polled."""
        return feeds.feed_state(self, url)

    def save_feed_state(self, state: FeedState) -> None:
        """Insert or replace the state of ``state.url``."""
        feeds.save_feed_state(self, state)

    def seen_entries(self, feed: str, keys: Iterable[str]) -> set[str]:
        """Return those of ``keys`` already marked seen for ``feed``."""
        return feeds.seen_entries(self, feed, keys)

    def mark_seen(self, feed: str, entries: Iterable[tuple[str, str | None]]) -> None:
        """Mark entries of ``feed`` as handled, in one transaction."""
        feeds.mark_seen(self, feed, entries)
