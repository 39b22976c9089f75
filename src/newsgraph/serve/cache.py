"""Results of the expensive aggregate queries (entity rankings, places, event counts, stories), kept until
the store changes.

Aggregating 10,000 articles takes a few hundred milliseconds; the home, events and map pages ask for the same
aggregates on every view. Each result is stored with the store's data version (see
``data_version``) and recomputed by the first request after a new article or copy is stored.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from newsgraph.serve import _pending_queries as queries

T = TypeVar("T")

# Distinct (query, parameters) results kept: the pages use a handful; API clients may vary parameters.
CACHE_SIZE = 256


class ResultCache:
    """A bounded map from (query, parameters) to the latest result and the data version it was read at."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn: sqlite3.Connection, compute: Callable[..., T], **kwargs: Any) -> T:
        """``compute(conn, **kwargs)``, from the cache when the store has not changed since."""
        version = queries.data_version(conn)
        key = (compute.__qualname__, tuple(sorted(kwargs.items())))
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == version:
                self._items.move_to_end(key)
                return found[1]  # type: ignore[no-any-return]
        result = compute(conn, **kwargs)
        with self._lock:
            self._items[key] = (version, result)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result
