"""Results of the expensive aggregate queries (entity rankings, places, event groups, stories, counts),
computed in a worker process and kept while they are fresh enough.

Aggregating 10,000 articles takes from a few hundred milliseconds (places) to seconds (grouping events
across articles is Python over every report). Run in the server's own process, that work would hold the
interpreter lock and stall every other request, so it runs in one worker process, and its results are
kept:

- while the store is unchanged (its :func:`~newsgraph.store.records.data_version`), a result is served as
  it is;
- once the store changes, the old result is still served, and recomputed in the background at most every
  :data:`REFRESH_SECONDS`, so a store being written to (``newsgraph watch``) costs one recomputation per
  interval, not one per request.

Only the first request for an aggregate waits for it. Quotes, articles, search and single records are never
cached: they are always current.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from newsgraph.errors import NewsgraphError, StoreError
from newsgraph.store import QueryError, Store
from newsgraph.store.records import data_version

T = TypeVar("T")

# Distinct (query, parameters) results kept: the pages use a handful; API clients may vary parameters.
CACHE_SIZE = 256
# Shortest time between two recomputations of one aggregate while the store is being written to: a
# minute-old ranking or map is fine for a news monitor, and grouping the events of 10,000 articles costs
# about 9 s of one core (bench/serve.py).
REFRESH_SECONDS = 60.0


@dataclass(frozen=True)
class _Failed:
    """A library error raised in the worker, carried back as data (its class may not unpickle)."""

    param: str | None
    message: str


def _compute(path: str, compute: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Run one aggregate query in the worker process, on its own read-only connection."""
    try:
        with Store(path, read_only=True) as store:
            return compute(store, **kwargs)
    except NewsgraphError as exc:
        return _Failed(getattr(exc, "param", None), str(exc))


def _raise_failure(result: Any) -> Any:
    if isinstance(result, _Failed):
        if result.param:
            raise QueryError(result.param, result.message)
        raise StoreError(result.message)
    return result


@dataclass
class _Entry:
    version: Any
    computed_at: float
    result: Any


class ResultCache:
    """Aggregates keyed by (query, parameters), computed in one worker process.

    Args:
        size: Most results kept.
        refresh: Shortest time between background recomputations of one result.
    """

    def __init__(self, size: int = CACHE_SIZE, refresh: float = REFRESH_SECONDS) -> None:
        self.size = size
        self.refresh = refresh
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        # Reentrant: a future that is already done runs its callback (which takes the lock) at once.
        self._lock = threading.RLock()
        self._pool: ProcessPoolExecutor | None = None

    def get(self, store: Store, compute: Callable[..., T], **kwargs: Any) -> T:
        """``compute(store, **kwargs)``: cached, refreshed in the background, or computed and waited for."""
        version = data_version(store)
        key = (compute.__module__, compute.__qualname__, tuple(sorted(kwargs.items())))
        try:
            with self._lock:
                entry = self._items.get(key)
                if entry is not None:
                    self._items.move_to_end(key)
                    stale = entry.version != version
                    age = time.monotonic() - entry.computed_at
                    if stale and key not in self._running and age > self.refresh:
                        self._submit(key, store.path, compute, kwargs, version)
                    return entry.result  # type: ignore[no-any-return]
                future = self._running.get(key) or self._submit(key, store.path, compute, kwargs, version)
            return _raise_failure(future.result())  # type: ignore[no-any-return]
        except BrokenProcessPool:
            # The worker could not start or died (a program whose main module cannot be re-imported, a
            # kill): answer from this process, and start a new worker next time.
            with self._lock:
                self._pool = None
                self._running.pop(key, None)
            return compute(store, **kwargs)

    def start(self) -> None:
        """Start the worker process now (about a second), rather than at the first aggregate request."""
        with self._lock:
            self._pool_started().submit(int)

    def _pool_started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a fresh interpreter, not a fork of a process running server threads.
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _submit(
        self, key: Hashable, path: Path, compute: Callable[..., Any], kwargs: dict[str, Any], version: Any
    ) -> Future[Any]:
        future = self._pool_started().submit(_compute, str(path), compute, kwargs)
        self._running[key] = future

        def done(finished: Future[Any]) -> None:
            with self._lock:
                self._running.pop(key, None)
                if finished.cancelled() or finished.exception() is not None:
                    return
                if isinstance(finished.result(), _Failed):
                    return
                self._items[key] = _Entry(version, time.monotonic(), finished.result())
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)

        future.add_done_callback(done)
        return future

    def close(self) -> None:
        """Stop the worker process."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
