"""The library ingest: sources -> pipeline -> store, used by the CLI, ``watch``, the API and Spark.

:func:`ingest` reads files, folders, globs, URLs and feeds (or takes :class:`~newsgraph.schema.Article`
objects), skips articles the store already holds before analysing them, analyses the rest and saves them
one transaction per batch. A bad input (one that cannot be read, or that the analysis fails on) is
reported (``on_error``), recorded in the store's ``errors`` table and skipped; the rest of the batch is
stored. Running the same ingest twice stores nothing the second time.

Example:
    >>> from newsgraph.ingest import ingest
    >>> with Store("news.db") as store:
    ...     summary = ingest(store, ["articles/", "feed.xml"], processes=2)
    >>> summary.stored, summary.duplicates, len(summary.failed)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from newsgraph.errors import InputError
from newsgraph.schema import Article, Record
from newsgraph.store import SaveResult, Store

if TYPE_CHECKING:
    from newsgraph.pipeline import Pipeline

T = TypeVar("T")
Analyze = Callable[[Iterable[Article]], Iterable[Record]]

# Records per store transaction: a batch of 32 analysed articles writes in well under a second (see
# bench/store.py), so a reader beside the writer never waits long, and a killed run loses little.
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class IngestProgress:
    """Running totals, given to the ``on_progress`` callback of :func:`ingest`.

    Args:
        read: Articles read from the inputs.
        analysed: Articles analysed so far.
        stored: Records stored (in committed batches).
        duplicates: Articles not stored because the store held them (same key or same text).
        failed: Inputs that could not be read.
    """

    read: int = 0
    analysed: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0


@dataclass
class IngestSummary:
    """What :func:`ingest` did.

    Args:
        read: Articles read from the inputs.
        stored: Records stored.
        duplicates: Articles not stored because the store already held them (skipped before analysis,
            or found to be copies when saved).
        failed: The inputs that could not be read, each naming the file, line or URL.
        stopped: True when ``stop`` ended the run before every input was read.
    """

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: list[InputError] = field(default_factory=list)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when every input was read."""
        return not self.failed


def ingest(
    store: Store,
    inputs: Iterable[str | os.PathLike[str] | Article],
    *,
    pipeline: Pipeline | None = None,
    model: str | None = None,
    processes: int = 1,
    published: str | None = None,
    allow_private: bool = False,
    max_bytes: int | None = None,
    deadline: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[IngestProgress], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    stop: threading.Event | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> IngestSummary:
    """Read inputs, analyse the articles the store does not hold yet, and store the records.

    Args:
        store: The open store (not read-only).
        inputs: Files, folders, globs and URLs, as ``newsgraph ingest`` takes them, and/or Articles.
        pipeline: The pipeline to analyse with; by default one is loaded with ``model``. A long-running
            caller (the API, ``watch``) passes its own, so that the model is loaded once.
        model: The spaCy model for a pipeline loaded here (default: newsgraph's).
        processes: Worker processes for the analysis.
        published: Reference date (``YYYY-MM-DD``) for inputs that carry none.
        allow_private: Let URLs reach private, loopback and link-local addresses.
        max_bytes: Largest file, JSON line, WARC record or download read (default 20 MB).
        deadline: Seconds each URL may take in all (default 30).
        batch_size: Records per store transaction.
        on_progress: Called with the running totals after each article analysed and each batch stored.
        on_error: Called with each input that could not be read or analysed, as it is found. Each is
            also recorded in the store's ``errors`` table (input, stage, reason, time).
        on_article: Called with each article read, before the duplicate check (the command line says
            there when a text file was not UTF-8 and was read as cp1252).
        stop: Once set (by a signal handler, say), no further article is read: the articles already
            read are analysed and stored, the last transaction is committed, and ingest returns with
            ``summary.stopped`` True.

    Returns:
        Counts of what was read, stored and skipped, and the inputs that failed.

    Raises:
        InputError: ``published`` is not a date.
        ModelError: The model cannot be loaded.
        StoreError: The store cannot be written; batches committed before stay committed.
    """
    from newsgraph.sources import DEFAULT_MAX_BYTES, check_reference_date, read_articles
    from newsgraph.sources.fetch import DEFAULT_DEADLINE, Fetcher

    published = check_reference_date(published)
    items = list(inputs)
    paths = [item for item in items if not isinstance(item, Article)]
    given = [item for item in items if isinstance(item, Article)]
    summary = IngestSummary()

    def articles() -> Iterator[Article]:
        for article in given:
            if stop is not None and stop.is_set():
                summary.stopped = True
                return
            yield article
        if paths:
            size = max_bytes or DEFAULT_MAX_BYTES
            fetcher = Fetcher(
                allow_private=allow_private, max_bytes=size, deadline=deadline or DEFAULT_DEADLINE
            )
            for item in read_articles(paths, published=published, max_bytes=size, fetcher=fetcher):
                if stop is not None and stop.is_set():
                    summary.stopped = True
                    return
                if isinstance(item, InputError):
                    fail(item)
                    continue
                if on_article is not None:
                    on_article(item)
                yield item

    def fail(error: InputError) -> None:
        summary.failed.append(error)
        store.record_errors([(error.source, error.stage, error.problem, error.hint)])
        if on_error is not None:
            on_error(error)

    def analysis_failed(article: Article, reason: str) -> None:
        source = str(article.metadata.get("source") or article.url or article.id or "an article")
        problem = f"analysis failed ({reason}); the rest of the batch is stored"
        fail(InputError(source, problem, "please report it, with this input", stage="analyse"))

    if pipeline is None:
        from newsgraph.pipeline import DEFAULT_MODEL, Pipeline

        pipeline = Pipeline(model or DEFAULT_MODEL)
    analyze = partial(pipeline.analyze, processes=processes, on_failure=analysis_failed)
    done = ingest_articles(
        store, articles(), analyze, batch_size=batch_size, on_progress=_counting(summary, on_progress)
    )
    summary.read, summary.stored, summary.duplicates = done.read, done.stored, done.duplicates
    return summary


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    analyze: Analyze,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[IngestProgress], None] | None = None,
) -> IngestSummary:
    """Analyse and store articles, skipping those the store already holds before analysing them.

    Args:
        store: The open store.
        articles: The articles, consumed lazily.
        analyze: Turns articles into records, e.g. ``Pipeline(model).analyze``.
        batch_size: Records per store transaction.
        on_progress: Called with the running totals after each article analysed and each batch stored.

    Returns:
        The counts (``failed`` is empty: articles are already read).
    """
    return _store_new(store, articles, lambda article: article, analyze, batch_size, on_progress)


def ingest_records(
    store: Store,
    records: Iterable[Record],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[IngestProgress], None] | None = None,
) -> IngestSummary:
    """Store records analysed elsewhere (a Spark job, an exported JSONL), with the same duplicate checks.

    Args:
        store: The open store.
        records: The records, consumed lazily.
        batch_size: Records per store transaction.
        on_progress: Called with the running totals after each record read and each batch stored.
    """
    return _store_new(store, records, lambda record: record.article, lambda rs: rs, batch_size, on_progress)


def _store_new(
    store: Store,
    items: Iterable[T],
    article_of: Callable[[T], Article],
    analyze: Callable[[Iterable[T]], Iterable[Record]],
    batch_size: int,
    on_progress: Callable[[IngestProgress], None] | None,
) -> IngestSummary:
    """Skip the items whose article the store holds, turn the others into records, and save them."""
    progress = IngestProgress()

    def report(**changes: Any) -> None:
        nonlocal progress
        progress = replace(progress, **changes)
        if on_progress is not None:
            on_progress(progress)

    def fresh() -> Iterator[T]:
        for item in items:
            report(read=progress.read + 1)
            if store.has(article_of(item)):
                report(duplicates=progress.duplicates + 1)
                continue
            yield item

    def analysed() -> Iterator[Record]:
        for record in analyze(fresh()):
            report(analysed=progress.analysed + 1)
            yield record

    skipped_before = 0

    def committed(result: SaveResult) -> None:
        # Copies found while saving (two copies of one text in the same batch) are duplicates too.
        nonlocal skipped_before
        report(stored=result.added, duplicates=progress.duplicates + result.skipped - skipped_before)
        skipped_before = result.skipped

    result = store.save(analysed(), batch_size=batch_size, on_commit=committed)
    return IngestSummary(read=progress.read, stored=result.added, duplicates=progress.duplicates)


def _counting(
    summary: IngestSummary, on_progress: Callable[[IngestProgress], None] | None
) -> Callable[[IngestProgress], None]:
    """Add the failed inputs to the totals before passing them on."""

    def report(progress: IngestProgress) -> None:
        if on_progress is not None:
            on_progress(replace(progress, failed=len(summary.failed)))

    return report
