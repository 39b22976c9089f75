"""JSON Lines: one article per line, streamed, so a corpus file of any size can be read.

Each line is an object with ``text`` (required) and optionally ``id``, ``title``, ``url``, ``outlet``,
``published``, ``authors`` (a list, or one string), ``language`` and ``metadata`` (an object). Other keys
are kept in :attr:`Article.metadata`. ``text`` is used exactly as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.dates import normalise_published
from newsgraph.sources.files import SNIFF_BYTES, article_stem, check_not_binary, human_size, open_lines
from newsgraph.sources.language import declared_language, detect_language

_FIELDS = ("text", "id", "title", "url", "outlet", "published", "authors", "language", "metadata")

# Lines are read in pieces of this size so that an over-long line is skipped without holding it.
_CHUNK = 1 << 20


def read_jsonl(
    path: Path,
    published: str | None = None,
    max_bytes: int = 20_000_000,
    *,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Article | InputError]:
    """Yield an Article per line of a JSON Lines file, and an InputError per bad line.

    Blank lines are skipped. A bad line (not JSON, not an object, no ``text``, a field of the wrong
    type) yields an error naming ``file:line``; the lines after it are still read.

    With ``start`` and ``stop`` (uncompressed files only) just the lines that begin in
    ``[start, stop)`` are read, numbered as in the whole file, so that several readers (the tasks of a
    Spark job) can share one large file and produce the same articles as one reader.

    Args:
        path: The file; gzip-compressed files are read through.
        published: Reference date for lines without ``published`` (or with one that is not a date;
            the unparsed value is then kept as ``metadata["published_raw"]``).
        max_bytes: Limit on each line, not on the file: a corpus is streamed, one article at a time.
        start: Byte offset of the range (0 for the whole file).
        stop: Byte offset where the range ends; None reads to the end of the file.

    Yields:
        Articles, with ``id`` the line's ``id``, else its ``url``, else ``<file stem>:<line number>``,
        and ``metadata["source"]``/``metadata["line"]`` saying where the line came from.
    """
    source = str(path)
    try:
        handle = open_lines(path)
    except InputError as error:
        yield error
        return
    found = False
    whole = start == 0 and stop is None
    with handle:
        try:
            first = handle.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(handle, "peek") else b""
            if not whole:
                first = handle.read(SNIFF_BYTES)
                whole = stop is not None and start == 0 and stop >= handle.seek(0, 2)
            try:
                check_not_binary(source, first)
            except InputError:
                if start == 0:  # one range reports it
                    raise
                return
            lines = _numbered_lines(handle, max_bytes, *_range_start(handle, start), stop)
            for number, line in lines:
                where = f"{source}:{number}"
                if line is None:
                    found = True
                    problem = f"line is over the {human_size(max_bytes)} limit"
                    yield InputError(where, problem, "raise --max-bytes")
                    continue
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if not line.strip():
                    continue
                found = True
                try:
                    yield _article(path, number, line, published)
                except InputError as error:
                    yield error
        except InputError as error:
            yield error
            return
        except (OSError, EOFError) as exc:  # truncated or corrupt gzip, a disk error mid-file
            yield InputError(source, f"cannot be read to the end: {exc}")
            return
    if not found and whole:
        yield InputError(source, "empty file")


def _range_start(handle: Any, start: int) -> tuple[int, int]:
    """Position ``handle`` at the first line beginning at or after ``start``; return the number of the
    line before it and its byte offset."""
    if start <= 0:
        handle.seek(0)
        return 0, 0
    handle.seek(0)
    newlines = 0
    remaining = start - 1
    while remaining > 0:  # lines that begin before start - 1
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            break
        newlines += chunk.count(b"\n")
        remaining -= len(chunk)
    handle.readline()  # to the end of the line that byte start - 1 belongs to
    return newlines + 1, handle.tell()


def _numbered_lines(
    handle: Any, max_bytes: int, number: int = 0, position: int = 0, stop: int | None = None
) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes), or (line number, None) for a line longer than ``max_bytes``, for
    the lines beginning before ``stop``."""
    while stop is None or position < stop:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        position += len(line)
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = handle.readline(_CHUNK)
                position += len(line)
            yield number, None
        else:
            yield number, line


def _article(path: Path, number: int, line: bytes, published: str | None) -> Article:
    where = f"{path}:{number}"
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(where, f"is not valid UTF-8 (byte {exc.start + 1} of the line)") from None
    except json.JSONDecodeError as exc:
        raise InputError(where, f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise InputError(where, f'is a JSON {type(data).__name__}, not an object with a "text" field')
    text = data.get("text")
    if text is None:
        raise InputError(where, 'has no "text" field')
    if not isinstance(text, str):
        raise InputError(where, f'"text" is a {type(text).__name__}, not a string')
    if not text.strip():
        raise InputError(where, '"text" is empty')
    for key in ("title", "url", "outlet", "language"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InputError(where, f'"{key}" is a {type(data[key]).__name__}, not a string')
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise InputError(where, f'"metadata" is a {type(metadata).__name__}, not an object')
    metadata = {**{k: v for k, v in data.items() if k not in _FIELDS}, **metadata}
    metadata.update(source=str(path), line=number)
    date = _published(data.get("published"), published, metadata)
    identifier = data.get("id")
    if identifier is not None and not isinstance(identifier, str | int):
        raise InputError(where, f'"id" is a {type(identifier).__name__}, not a string')
    return Article(
        text=text,
        id=str(identifier) if identifier is not None else data.get("url") or f"{article_stem(path)}:{number}",
        title=data.get("title"),
        url=data.get("url"),
        outlet=data.get("outlet"),
        authors=_authors(where, data.get("authors")),
        published=date,
        # The line's own language is trusted ("en-GB" → "en"); otherwise the text says it.
        language=declared_language(data.get("language")) or detect_language(text),
        metadata=metadata,
    )


def _published(value: Any, reference: str | None, metadata: dict[str, Any]) -> str | None:
    if value is None or value == "":
        return reference
    normalised = normalise_published(value)
    if normalised is None:
        metadata["published_raw"] = value
        return reference
    return normalised


def _authors(where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item for item in value if item.strip()]
    raise InputError(where, '"authors" must be a list of strings')
