"""The server's one writer: articles posted to the API are analysed and stored one request at a time."""

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
    """Analyses and stores posted articles through the same path as ``newsgraph ingest``.

    The spaCy pipeline loads on the first write (about a second), not when the server starts.
    """

    def __init__(self, db: Path, pipeline: Any = None) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._pipeline = pipeline

    def ingest(self, data: dict[str, Any]) -> WriteResult:
        """Store one article given as JSON (``text`` and metadata) or as a ``url`` to fetch."""
        from newsgraph.pipeline import Pipeline
        from newsgraph.sources import read_articles
        from newsgraph.store import Store

        if data.get("text"):
            fields = {k: v for k, v in data.items() if v is not None and k != "language"}
            article = Article.from_dict(fields)
        else:
            found = list(read_articles([data["url"]]))
            errors = [item for item in found if isinstance(item, InputError)]
            if errors:
                raise errors[0]
            if not found:
                raise InputError(data["url"], "no article found at this URL")
            article = found[0]  # type: ignore[assignment]
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline()
            with Store(self.db) as store:
                if store.has(article):
                    return WriteResult(article.key, 0, 1)
                result = store.save(self._pipeline.analyze([article]))
        return WriteResult(article.key, result.added, result.skipped)
