"""Results of the expensive aggregate queries (entity rankings, places, event groups, stories, counts).

Aggregating 10,000 articles takes from a few hundred milliseconds to seconds (event groups); the home,
events and map pages and the API's aggregate lists would otherwise recompute them on every request. A
result is kept with the store's data version (:func:`~newsgraph.store.records.data_version`) and served
while the store is unchanged, or for :data:`MAX_STALE_SECONDS` after it changes, so that a store being
written to (``newsgraph watch``) recomputes each aggregate at most once per interval. Quotes, articles,
search and single records are never cached: they are always current.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from newsgraph.store import Store
from newsgraph.store.records import data_version

T = TypeVar("T")

# Distinct (query, parameters) results kept: the pages use a handful; API clients may vary parameters.
CACHE_SIZE = 256
# How old an aggregate may be once the store has changed. Grouping 10,000 articles' events takes about
# 2 s of one core; recomputing it after every batch an ingest commits would take that core from readers.
MAX_STALE_SECONDS = 30.0


class ResultCache:
    """A bounded map from (query, parameters) to the latest result, its data version and its age."""

    def __init__(self, size: int = CACHE_SIZE, max_stale: float = MAX_STALE_SECONDS) -> None:
        self.size = size
        self.max_stale = max_stale
        self._items: OrderedDict[Hashable, tuple[Any, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, compute: Callable[..., T], **kwargs: Any) -> T:
        """``compute(store, **kwargs)``, from the cache while the store is unchanged or the result young."""
        version = data_version(store)
        key = (compute.__module__, compute.__qualname__, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and (found[0] == version or now - found[1] < self.max_stale):
                self._items.move_to_end(key)
                return found[2]  # type: ignore[no-any-return]
        result = compute(store, **kwargs)
        with self._lock:
            self._items[key] = (version, now, result)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result
