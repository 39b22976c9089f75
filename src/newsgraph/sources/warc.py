"""WARC and WARC.gz files (web crawls such as Common Crawl's CC-NEWS): HTML responses into Articles.

The file is streamed record by record with warcio, so memory stays flat whatever the file's size: at most
one record's payload (itself capped at ``max_bytes``) is held at a time. Only ``response`` records with a
2xx HTTP status and an HTML body are read; requests, metadata, redirects, images and the like are passed
over silently, since a crawl is full of them.

``WARC-Target-URI`` is the article's URL unless the page names a canonical one, and ``WARC-Date`` (the
crawl time) is the publication date when the page gives none (``metadata["published_from"]`` is then
``"warc-date"``).

A broken record (unreadable headers, a bad ``Content-Length``, corrupt compression, a record cut short by
a truncated file) yields an :class:`~newsgraph.errors.InputError` naming ``file@offset``; reading then
resumes at the next record boundary found after it (the next gzip member in a ``.warc.gz``, the next
``WARC/1.x`` line in a plain ``.warc``), so one bad record costs only itself.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.dates import normalise_published
from newsgraph.sources.files import GZIP_MAGIC, human_size
from newsgraph.sources.pages import HTML_TYPES, page_article, with_fallback_date

WARC_SUFFIXES = frozenset({".warc"})

# Bytes scanned at a time when looking for the next record after a broken one.
_SCAN_CHUNK = 1 << 20
_GZIP_MEMBER = GZIP_MAGIC + b"\x08"  # gzip magic followed by the deflate method byte
_WARC_LINE = b"\nWARC/1."


class _BrokenRecord(Exception):
    """A record whose headers are unusable; reading skips to the next record."""


# Bytes a gzip member may hold beyond its record's Content-Length: the WARC headers (a few kB) and the
# read-ahead of warcio's reader (16 kB), with room to spare. Deflate never grows data by more than a
# fraction of a percent, so a member read further than this is corrupt.
_MEMBER_SLACK = 64 * 1024
_DEFLATE_GROWTH = 1.01


class _Guard:
    """The file as warcio reads it, refusing to read past where the current gzip member must end.

    When the compressed bytes of a record are damaged, warcio reports the zlib error on stderr and goes
    on reading (and failing to decompress) block after block to the end of the file, losing every record
    after it. The guard stops that read once it passes what the record's Content-Length allows, so the
    reader can resume at the next gzip member.
    """

    def __init__(self, handle: IO[bytes], start: int) -> None:
        self.handle = handle
        self.limit = start + _MEMBER_SLACK

    def allow_record(self, offset: int, length: str | None) -> None:
        declared = int(length) if length and length.strip().isdigit() else 0
        self.limit = offset + int(declared * _DEFLATE_GROWTH) + _MEMBER_SLACK

    def allow_headers(self) -> None:
        self.limit = self.handle.tell() + _MEMBER_SLACK

    def read(self, size: int = -1) -> bytes:
        if self.handle.tell() > self.limit:
            raise _BrokenRecord("its compressed data is corrupt")
        return self.handle.read(size)

    def tell(self) -> int:
        return self.handle.tell()


# What reading a damaged record raises: warcio's own errors, compression and I/O errors, and the
# AttributeError/TypeError/IndexError warcio lets escape on headers cut short (a missing URI is None).
_PARSE_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    _BrokenRecord,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    AttributeError,
    TypeError,
    IndexError,
)


def read_warc(
    path: Path,
    published: str | None = None,
    max_bytes: int = 20_000_000,
    *,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Article | InputError]:
    """Yield an Article per HTML response record of a WARC file, and an InputError per bad record.

    With ``start`` and ``stop`` only the records that begin in ``[start, stop)`` are read, so that
    several readers (the tasks of a Spark job) can share one large file by byte ranges: a range that
    starts inside a record begins at the next record boundary, and the record that straddles ``stop``
    is read to its end by the range it begins in. Every record belongs to exactly one range.

    Args:
        path: A ``.warc`` or ``.warc.gz`` file (each record its own gzip member, as WARC writers do).
        published: Reference date for pages that give none and records without a ``WARC-Date``.
        max_bytes: Largest payload read from one record; a larger one is reported and skipped.
        start: Byte offset from which records are read.
        stop: Byte offset at which reading stops (records beginning at or after it are left to the
            next range); None reads to the end of the file.

    Yields:
        Articles with ``metadata["source"]`` the file, ``metadata["warc_offset"]`` the record's byte
        offset, ``metadata["warc_record_id"]`` and ``metadata["warc_date"]``; InputErrors named
        ``file@offset`` for bad records, or ``file`` when the file cannot be read at all.
    """
    source = str(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        yield InputError(source, "no such file or directory")
        return
    except OSError as exc:
        yield InputError(source, f"cannot be read: {exc.strerror or exc}")
        return
    with handle:
        compressed = handle.read(2) == GZIP_MAGIC
        size = handle.seek(0, 2)
        if size == 0:
            yield InputError(source, "empty file")
            return
        end_of_range = size if stop is None else min(stop, size)
        first: int | None = start
        if start > 0:
            first = _first_record_from(handle, start, compressed)
        records = 0
        while first is not None and first < end_of_range:
            start = first
            first = None
            handle.seek(start)
            guard = _Guard(handle, start) if compressed else None
            iterator = ArchiveIterator(guard or handle)
            offset = start
            try:
                for record in iterator:
                    offset = iterator.offset
                    if offset >= end_of_range:
                        break
                    records += 1
                    if guard is not None:
                        guard.allow_record(offset, record.rec_headers.get_header("Content-Length"))
                    item = _read_record(record, source, offset, published, max_bytes)
                    if guard is not None:
                        guard.allow_headers()
                    if item is not None:
                        yield item
                else:
                    end = iterator.offset
                    if end < size and not _left_to_next_range(handle, end_of_range, end, size, compressed):
                        yield InputError(
                            f"{source}@{end}",
                            f"the last {human_size(size - end)} are not a complete WARC record",
                            "the file may be truncated",
                        )
            except _PARSE_ERRORS as exc:
                offset = iterator.offset if iterator.offset >= offset else offset
                if _left_to_next_range(handle, end_of_range, offset, size, compressed):
                    return
                if records == 0 and offset == 0 and not _starts_like_warc(handle, compressed):
                    yield InputError(source, "is not a WARC file", "it does not start with a WARC/1.x record")
                    return
                first = _next_record(handle, offset + 1, compressed)
                skipped = (first if first is not None else size) - offset
                yield InputError(
                    f"{source}@{offset}",
                    f"broken WARC record ({_describe(exc)}); skipped {human_size(skipped)}",
                    "the file may be truncated" if first is None else None,
                )


def _read_record(
    record: Any, source: str, offset: int, published: str | None, max_bytes: int
) -> Article | InputError | None:
    """Return the record's Article, an InputError, or None for a record that is not an HTML page."""
    headers = record.rec_headers
    length = headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        raise _BrokenRecord(f"Content-Length {length!r} is not a number")
    where = f"{source}@{offset}"
    wanted = record.rec_type == "response" and _is_html_response(record)
    payload = b""
    if wanted:
        payload = record.content_stream().read(max_bytes + 1)
    missing = _drain(record.raw_stream)
    if missing:
        return InputError(
            where,
            f"record is cut short: {human_size(missing)} of its declared length are missing",
            "the file may be truncated",
        )
    if not wanted:
        return None
    url = headers.get_header("WARC-Target-URI") or where
    if len(payload) > max_bytes:
        return InputError(url, f"is over the {human_size(max_bytes)} limit (in {where})", "raise --max-bytes")
    if not payload.strip():
        return InputError(url, f"empty response (in {where})")
    charset = _charset(record.http_headers.get_header("Content-Type"))
    try:
        article = page_article(payload, url, charset=charset)
    except InputError as error:
        return InputError(error.source, f"{error.problem} (in {where})", error.hint)
    warc_date = headers.get_header("WARC-Date")
    article = with_fallback_date(article, normalise_published(warc_date), "warc-date")
    article = with_fallback_date(article, published, "reference")
    article.metadata.update(source=source, warc_offset=offset)
    for name, key in (("WARC-Record-ID", "warc_record_id"), ("WARC-Date", "warc_date")):
        value = headers.get_header(name)
        if value:
            article.metadata[key] = value
    return article


def _is_html_response(record: Any) -> bool:
    http = record.http_headers
    if http is None:
        return False
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        return False
    kind = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return kind in HTML_TYPES or kind == ""


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None


def _drain(stream: Any) -> int:
    """Read a record's remaining bytes; return how many its Content-Length promised but the file lacked."""
    while stream.read(_SCAN_CHUNK):
        pass
    return max(0, int(getattr(stream, "limit", 0) or 0))


def _starts_like_warc(handle: IO[bytes], compressed: bool) -> bool:
    handle.seek(0)
    head = handle.read(_SCAN_CHUNK)
    if compressed:
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _left_to_next_range(
    handle: IO[bytes], end_of_range: int, offset: int, size: int, compressed: bool
) -> bool:
    """Whether the damage found at ``offset`` is reported by the range after this one: it is when that
    range's first record begins at or before it, so that its reader runs into it."""
    if offset < end_of_range or end_of_range >= size:
        return False
    first = _first_record_from(handle, end_of_range, compressed)
    return first is not None and first <= offset


def _first_record_from(handle: IO[bytes], start: int, compressed: bool) -> int | None:
    """Return the offset of the first record beginning at or after ``start``, or None.

    A candidate boundary is checked before it is taken: a gzip member must inflate to ``WARC/``, a
    line must read ``WARC/1.0`` or ``WARC/1.1``. Compressed payloads contain the gzip magic bytes by
    chance (about once in 16 MB), and a page may quote a WARC header; neither starts a range.
    """
    position: int | None = start - 1 if not compressed else start  # a WARC line follows a newline
    while position is not None:
        candidate = _next_record(handle, position, compressed)
        if candidate is None:
            return None
        handle.seek(candidate)
        head = handle.read(4096)
        if compressed:
            try:
                head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 16)
            except zlib.error:
                head = b""
        if re.match(rb"WARC/1\.[01]\r?\n", head):
            return candidate
        position = candidate + 1
    return None


def _next_record(handle: IO[bytes], start: int, compressed: bool) -> int | None:
    """Return the offset of the next plausible record start at or after ``start``, or None."""
    marker = _GZIP_MEMBER if compressed else _WARC_LINE
    skip = 0 if compressed else 1  # a WARC line starts after its newline
    position = start
    handle.seek(position)
    tail = b""
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        window = tail + chunk
        found = window.find(marker)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = window[-(len(marker) - 1) :]
        position += len(chunk)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"
