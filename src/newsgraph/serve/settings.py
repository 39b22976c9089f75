"""What one running server knows: its store, its API key, and its single writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from newsgraph.serve.cache import ResultCache
from newsgraph.serve.writer import Writer


@dataclass
class Settings:
    """The server's configuration.

    Args:
        db: The store file (created and migrated when the app starts).
        api_key: Writes are accepted only when this is set and the request carries it.
        poll_seconds: How often open pages check for newly stored articles.
        pipeline: The :class:`~newsgraph.pipeline.Pipeline` that analyses posted articles; one is loaded
            at the first write when None.
    """

    db: Path
    api_key: str | None = None
    poll_seconds: float = 5.0
    pipeline: Any = None
    writer: Writer = field(init=False)
    cache: ResultCache = field(init=False, default_factory=ResultCache)

    def __post_init__(self) -> None:
        self.writer = Writer(self.db, self.pipeline)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
