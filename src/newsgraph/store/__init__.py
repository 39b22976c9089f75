"""The SQLite store: save analysed records, read them back, and answer the queries of the CLI and the API.

One :class:`Store` is one connection to one file. Writes go through :meth:`Store.save`, which streams
any iterable of records and commits one transaction per batch, so an interrupted ingest keeps every
batch it reported and a rerun skips them. Reads return schema objects or the small row classes below.

The package, by responsibility:

- :mod:`~newsgraph.store.connection`: opening (pragmas, WAL, read-only), transactions, error translation;
- :mod:`~newsgraph.store.codec`: schema objects <-> rows, derived from the field metadata in ``schema.py``;
- :mod:`~newsgraph.store.writer`: saving in batches, duplicate detection;
- :mod:`~newsgraph.store.records`, :mod:`~newsgraph.store.quotes`, :mod:`~newsgraph.store.articles`,
  :mod:`~newsgraph.store.entities`, :mod:`~newsgraph.store.events`, :mod:`~newsgraph.store.places`,
  :mod:`~newsgraph.store.search`: read queries, one module per resource; ``*_page`` functions return a
  :class:`Page` with an opaque ``next`` cursor and raise :class:`QueryError` naming a bad parameter;
- :mod:`~newsgraph.store.feeds`: what ``newsgraph watch`` remembers;
- :mod:`~newsgraph.store.failures`: the ``errors`` table, one row per input an ingest could not take;
- :mod:`~newsgraph.store.migrations` and :mod:`~newsgraph.store.tables`: the versioned schema;
- :mod:`~newsgraph.store.stories`, :mod:`~newsgraph.store.dedup`, :mod:`~newsgraph.store.event_groups`:
  syndicated copies, MinHash signatures, events grouped across articles.

Example:
    >>> with Store("news.db") as store:
    ...     store.save(records)
    ...     page = store.quote_page(speaker="ribeiro", via="kyodo", limit=20)
    ...     for row in page.items:
    ...         print(row.published, row.content)
"""

from __future__ import annotations

from newsgraph.store.articles import ArticleRow
from newsgraph.store.codec import entity_key, text_hash
from newsgraph.store.entities import EntityDetail, EntityRow
from newsgraph.store.event_groups import EventGroup, EventReport
from newsgraph.store.facade import Store
from newsgraph.store.failures import ErrorRow
from newsgraph.store.feeds import FeedState
from newsgraph.store.params import Page, QueryError
from newsgraph.store.places import PlaceRow, places_geojson
from newsgraph.store.quotes import QuoteRow
from newsgraph.store.search import SearchHit
from newsgraph.store.stories import Story, StoryMember
from newsgraph.store.writer import SaveResult

__all__ = [
    "ArticleRow",
    "EntityDetail",
    "EntityRow",
    "ErrorRow",
    "EventGroup",
    "EventReport",
    "FeedState",
    "Page",
    "PlaceRow",
    "QueryError",
    "QuoteRow",
    "SaveResult",
    "SearchHit",
    "Store",
    "Story",
    "StoryMember",
    "entity_key",
    "places_geojson",
    "text_hash",
]
