"""The server's one writer: articles posted to the API go through the library's ingest(), one at a time."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.schema import Article


@dataclass(frozen=True)
class WriteResult:
    """What storing one posted article did."""

    key: str | None
    added: int
    skipped: int


class Writer:
    """Analyses and stores posted articles through :func:`newsgraph.ingest.ingest`, as ``newsgraph ingest``
    does (duplicates skipped, one transaction).

    Args:
        db: The store file.
        pipeline: The pipeline to analyse with; loaded at the first write (about a second) when None.
    """

    def __init__(self, db: Path, pipeline: Any = None) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._pipeline = pipeline

    def ingest(self, data: dict[str, Any]) -> WriteResult:
        """Store one article given as JSON (``text`` and metadata) or as a ``url`` to fetch.

        Raises:
            InputError: The URL could not be fetched or held no article.
        """
        from newsgraph.ingest import ingest
        from newsgraph.pipeline import Pipeline
        from newsgraph.store import Store

        given: Article | str
        if data.get("text"):
            given = Article.from_dict({k: v for k, v in data.items() if v is not None})
        else:
            given = str(data["url"])
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline()
            with Store(self.db) as store:
                summary = ingest(store, [given], pipeline=self._pipeline)
                if summary.failed:
                    raise summary.failed[0]
                if not summary.read:
                    raise InputError(str(given), "no article found here")
                ref = given.key if isinstance(given, Article) else given
                record = store.get(ref)
        key = record.article.key if record is not None else None
        return WriteResult(key, summary.stored, summary.duplicates)
