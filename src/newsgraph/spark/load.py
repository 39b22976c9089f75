"""Reading a Spark run's Parquet tables back as records, and loading them into the SQLite store.

The tables are partitioned by ``published_date``, so one date's articles and their facts are read
together and memory holds one day of news, whatever the size of the run. Loading goes through
:func:`newsgraph.ingest.ingest_records`, the library path of ``ingest``: the same duplicate checks (same
key, or same normalised text), one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from newsgraph.errors import InputError
from newsgraph.schema import Record
from newsgraph.spark.inputs import is_uri
from newsgraph.spark.tables import ARTICLES, PARTITION, child_tables, records_from_rows

if TYPE_CHECKING:
    from newsgraph.ingest import IngestProgress, IngestSummary
    from newsgraph.store import Store


def _filesystem(location: str) -> tuple[Any, str]:
    from pyarrow import fs

    if is_uri(location):
        try:
            return fs.FileSystem.from_uri(location)
        except (OSError, ValueError) as exc:
            raise InputError(location, f"cannot be opened ({exc})") from None
    import os

    return fs.LocalFileSystem(), os.path.abspath(location)


def partition_dates(location: str) -> list[str]:
    """The ``published_date`` partitions of the ``articles`` table under ``location``, sorted.

    Raises:
        InputError: ``location`` holds no ``articles`` table written by ``newsgraph spark``.
    """
    from pyarrow import fs

    filesystem, root = _filesystem(location)
    table = f"{root.rstrip('/')}/{ARTICLES}"
    if filesystem.get_file_info(table).type != fs.FileType.Directory:
        raise InputError(
            location,
            "has no articles table",
            "give the --out folder of a `newsgraph spark` run (it holds articles/, entities/, …)",
        )
    found = filesystem.get_file_info(fs.FileSelector(table))
    prefix = f"{PARTITION}="
    return sorted(
        info.base_name[len(prefix) :]
        for info in found
        if info.type == fs.FileType.Directory and info.base_name.startswith(prefix)
    )


def _rows(filesystem: Any, folder: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq
    from pyarrow import fs

    if filesystem.get_file_info(folder).type != fs.FileType.Directory:
        return []
    return pq.read_table(folder, filesystem=filesystem, partitioning=None).to_pylist()


def read_records(location: str) -> Iterator[tuple[str, Record]]:
    """Yield ``(article_id, Record)`` for every article of a run, date by date.

    Args:
        location: The ``--out`` folder of a ``newsgraph spark`` run (a path, or a URI pyarrow opens).

    Raises:
        InputError: The folder holds no ``articles`` table, or a table cannot be read.
    """
    filesystem, root = _filesystem(location)
    root = root.rstrip("/")
    for date in partition_dates(location):
        part = f"{PARTITION}={date}"
        try:
            articles = _rows(filesystem, f"{root}/{ARTICLES}/{part}")
            children = {name: _rows(filesystem, f"{root}/{name}/{part}") for name in child_tables()}
        except (OSError, ValueError) as exc:  # pyarrow's errors for damaged or foreign files
            raise InputError(f"{location} ({part})", f"cannot be read as Parquet: {exc}") from None
        yield from records_from_rows(articles, children)


def load_tables(
    store: Store,
    location: str,
    *,
    batch_size: int = 32,
    on_progress: Callable[[IngestProgress], None] | None = None,
) -> IngestSummary:
    """Store the records of a ``newsgraph spark`` run, skipping those the store already holds.

    Loading the same tables twice stores nothing the second time; an article the store holds under
    another URL with the same text is recorded as a copy, as ``ingest`` records it.

    Args:
        store: The open store.
        location: The run's ``--out`` folder.
        batch_size: Records per store transaction.
        on_progress: Called with the running totals after each record read and each batch stored.

    Returns:
        How many records were read, stored and skipped as duplicates.

    Raises:
        InputError: The folder holds no tables of a run, or a table cannot be read.
        StoreError: The store cannot be written; batches committed before stay committed.
    """
    from newsgraph.ingest import ingest_records

    partition_dates(location)  # fails at once, before the store is touched, when there are no tables
    records = (record for _, record in read_records(location))
    return ingest_records(store, records, batch_size=batch_size, on_progress=on_progress)
