"""What a Spark run reads: inputs planned into splits on the driver, and a split read in a task.

A split is one file, or one byte range of a large uncompressed JSON Lines file or of a large WARC
(plain or gzip-per-record, as CC-NEWS publishes them), so one big crawl keeps every core busy. The
readers are the ones ``newsgraph ingest`` uses (:mod:`newsgraph.sources`): a split gives exactly the
articles and errors that reading its whole file gives, in the same form.

Local paths, folders and glob patterns are expanded as ``ingest`` expands them. Any other
``scheme://`` URI (``s3a://``, ``s3://``, ``gs://``, ``hdfs://``, ``abfs://``, ``file://``) is listed
and opened through :mod:`pyarrow.fs` on the driver and in the tasks; a remote file is one split,
copied to a temporary file in the task and read from there, with its URI kept as its name. Only local
paths and ``file://`` URIs are tested here.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import expand_paths, read_articles
from newsgraph.sources.files import ARTICLE_SUFFIXES, GZIP_MAGIC, JSONL_SUFFIXES, inner_suffix, open_lines
from newsgraph.sources.jsonl import read_jsonl
from newsgraph.sources.warc import read_warc
from newsgraph.spark.tables import InputFailure

# 64 MB: HDFS's block size, and about 600 pages of a CC-NEWS crawl, a few minutes of analysis for one
# core; small enough that a 1 GB crawl makes 16 tasks.
DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
# pyarrow names some file systems differently from Hadoop.
_PYARROW_SCHEMES = {"s3a": "s3", "s3n": "s3", "gcs": "gs"}
_REMOTE_SUFFIXES = ARTICLE_SUFFIXES | {".warc"}


@dataclass(frozen=True)
class Split:
    """A piece of input for one task.

    Args:
        path: A local path or a URI.
        order: The position of the file among all the inputs (the first of two copies of an article
            is the one kept).
        kind: ``warc``, ``jsonl`` or ``file`` (anything :func:`~newsgraph.sources.read_articles`
            reads: text, HTML, feeds, a file it sniffs).
        start: First byte of the range (0 for a whole file).
        stop: End of the range, or -1 for the end of the file.
        size: Bytes to read (the range's, or the file's): what tasks are balanced by.
    """

    path: str
    order: int
    kind: str = "file"
    start: int = 0
    stop: int = -1
    size: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_uri(value: str) -> bool:
    """True for ``scheme://…`` (other than a Windows drive letter)."""
    match = _SCHEME.match(value)
    return bool(match) and len(match.group(1)) > 1


def plan_splits(inputs: Iterable[str], split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[Split]:
    """Turn what the user named into splits, in input order.

    A path that leads to nothing is kept as a split of its own, so that the task reading it reports
    it in the ``errors`` table as ``ingest`` reports it on stderr.

    Raises:
        InputError: An ``http(s)://`` URL (``newsgraph ingest`` fetches pages; a Spark job reads
            files), or a URI whose file system pyarrow cannot open.
    """
    files: list[tuple[str, int | None]] = []
    for raw in inputs:
        value = os.fspath(raw)
        if value.startswith(("http://", "https://")):
            raise InputError(value, "is a web address", "the Spark job reads files; fetch pages with ingest")
        if is_uri(value):
            files.extend(_list_remote(value))
        else:
            for path in expand_paths([value]):
                size = path.stat().st_size if path.is_file() else None
                files.append((str(path), size))
    splits: list[Split] = []
    for order, (path, size) in enumerate(files):
        kind = _kind(path) if size is not None and not is_uri(path) else "file"
        if kind in ("warc", "jsonl") and size is not None and size > split_bytes:
            for start in range(0, size, split_bytes):
                stop = min(start + split_bytes, size)
                splits.append(Split(path, order, kind, start, stop, stop - start))
        else:
            splits.append(Split(path, order, kind, size=size or 0))
    return splits


def deal_splits(splits: list[Split], tasks: int) -> list[list[Split]]:
    """Share the splits out to ``tasks`` tasks of about the same number of bytes.

    The largest split goes first, each to the task with the fewest bytes so far (a folder of pages of
    mixed lengths, or the ranges of a few crawls, make tasks that end together, so no core waits on
    a last long task); within a task the splits keep their input order.
    """
    import heapq

    loads = [(0, task) for task in range(max(1, tasks))]
    dealt: list[list[int]] = [[] for _ in loads]
    for index in sorted(range(len(splits)), key=lambda i: (-splits[i].size, i)):
        load, task = heapq.heappop(loads)
        dealt[task].append(index)
        heapq.heappush(loads, (load + max(1, splits[index].size), task))
    return [[splits[i] for i in sorted(indexes)] for indexes in dealt]


def _kind(path: str) -> str:
    """``warc`` or ``jsonl`` for a local file that can be read by byte ranges, else ``file``."""
    local = Path(path)
    try:
        with local.open("rb") as handle:
            compressed = handle.read(2) == GZIP_MAGIC
        with open_lines(local) as handle:
            head = handle.read(5)
    except (OSError, EOFError, InputError):
        return "file"
    if head == b"WARC/":
        return "warc"
    if inner_suffix(local) in JSONL_SUFFIXES and not compressed:
        return "jsonl"
    return "file"


def _filesystem(uri: str) -> tuple[Any, str]:
    from pyarrow import fs

    match = _SCHEME.match(uri)
    assert match is not None
    scheme = match.group(1).lower()
    uri = _PYARROW_SCHEMES.get(scheme, scheme) + uri[len(scheme) :]
    try:
        return fs.FileSystem.from_uri(uri)
    except (OSError, ValueError, ImportError) as exc:  # pyarrow raises ArrowInvalid, a ValueError
        raise InputError(uri, f"cannot be opened ({exc})", "check the URI and the credentials") from None


def _list_remote(uri: str) -> list[tuple[str, int | None]]:
    from pyarrow import fs

    filesystem, path = _filesystem(uri)
    prefix = uri[: len(uri) - len(path)] if uri.endswith(path) else uri.split("://", 1)[0] + "://"
    info = filesystem.get_file_info(path)
    if info.type == fs.FileType.File:
        return [(uri, info.size)]
    if info.type == fs.FileType.Directory:
        found = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
        files = [
            (prefix + item.path, item.size)
            for item in found
            if item.type == fs.FileType.File
            and not any(part.startswith(".") for part in item.path[len(path) :].split("/"))
            and inner_suffix(Path(item.base_name)) in _REMOTE_SUFFIXES
        ]
        return sorted(files) or [(uri, None)]
    return [(uri, None)]


def read_split(
    split: Split, published: str | None, max_bytes: int
) -> Iterator[tuple[Article | InputFailure, int]]:
    """Read a split: each article, or failure, with its position in the file (byte offset or line).

    Never raises for a bad input: every problem becomes an :class:`InputFailure`.
    """
    if is_uri(split.path):
        yield from _read_remote(split, published, max_bytes)
        return
    path = Path(split.path)
    stop = None if split.stop < 0 else split.stop
    items: Iterator[Article | InputError]
    if split.kind == "warc":
        items = read_warc(path, published, max_bytes, start=split.start, stop=stop)
    elif split.kind == "jsonl":
        items = read_jsonl(path, published, max_bytes, start=split.start, stop=stop)
    else:
        items = read_articles([path], published=published, max_bytes=max_bytes)
    try:
        for item in items:
            if isinstance(item, InputError):
                failure = failure_of(split.path, item)
                yield failure, failure.offset if failure.offset is not None else failure.line or 0
            else:
                metadata = item.metadata
                yield item, int(metadata.get("warc_offset") or metadata.get("line") or 0)
    except Exception as exc:  # a reader's own bug costs the rest of this split, never the task
        yield InputFailure(split.path, f"reading stopped: {type(exc).__name__}: {exc}", offset=split.start), 0


def _read_remote(
    split: Split, published: str | None, max_bytes: int
) -> Iterator[tuple[Article | InputFailure, int]]:
    try:
        filesystem, path = _filesystem(split.path)
        folder = tempfile.mkdtemp(prefix="newsgraph-")
    except InputError as error:
        yield failure_of(split.path, error), 0
        return
    local = Path(folder) / os.path.basename(path.rstrip("/"))
    try:
        try:
            with filesystem.open_input_stream(path) as remote, local.open("wb") as out:
                shutil.copyfileobj(remote, out, 1 << 20)
        except (OSError, ValueError) as exc:
            yield InputFailure(split.path, f"cannot be read: {exc}"), 0
            return
        copy = Split(str(local), split.order, _kind(str(local)), size=split.size)
        for item, position in read_split(copy, published, max_bytes):
            if isinstance(item, Article):
                _rename(item, str(local), split.path)
            else:
                item.input = split.path
                item.item = item.item.replace(str(local), split.path) if item.item else None
                item.reason = item.reason.replace(str(local), split.path)
            yield item, position
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rename(article: Article, local: str, uri: str) -> None:
    for key, value in list(article.metadata.items()):
        if isinstance(value, str) and local in value:
            article.metadata[key] = value.replace(local, uri)


def failure_of(input_path: str, error: InputError) -> InputFailure:
    """An :class:`InputError` from a reader as a row of the ``errors`` table.

    Readers name a bad record ``file@offset`` (WARC), a bad line ``file:line`` (JSON Lines), and a
    bad page in a crawl by its URL with ``(in file@offset)`` in the problem.
    """
    reason = error.problem + (f" ({error.hint})" if error.hint else "")
    offset = line = None
    item = None
    source = error.source
    if source.startswith(input_path):
        rest = source[len(input_path) :]
        if rest.startswith("@") and rest[1:].isdigit():
            offset = int(rest[1:])
        elif rest.startswith(":") and rest[1:].isdigit():
            line = int(rest[1:])
        elif rest:
            item = source
    else:
        item = source
        inside = re.search(rf"\(in {re.escape(input_path)}@(\d+)\)", reason)
        if inside:
            offset = int(inside.group(1))
            reason = (reason[: inside.start()] + reason[inside.end() :]).replace("  ", " ").strip()
    return InputFailure(input=input_path, reason=reason, offset=offset, line=line, item=item)
