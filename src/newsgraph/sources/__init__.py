"""Sources: reading input files into :class:`~newsgraph.schema.Article` records.

Two functions make the public interface, called by the CLI and the pipeline alike:

- :func:`expand_paths` turns what the user typed (files, directories, glob patterns) into files;
- :func:`read_articles` reads them, yielding an Article per article and an
  :class:`~newsgraph.errors.InputError` per bad input, so that one bad file never stops a batch.

Formats, chosen by extension (looking through a ``.gz`` ending, so ``page.html.gz`` is HTML):

========================  ===========================================================================
``.txt .text .md``        plain text, used exactly as written (:mod:`newsgraph.sources.text`)
``.jsonl .ndjson``        one article per line (:mod:`newsgraph.sources.jsonl`)
``.html .htm .xhtml``     a web page, through trafilatura and furniture removal (:mod:`.html`)
anything else             sniffed: ``<`` first is HTML, ``{`` is JSON Lines, otherwise plain text
========================  ===========================================================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from glob import glob
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.dates import check_reference_date
from newsgraph.sources.files import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    SNIFF_BYTES,
    TEXT_SUFFIXES,
    inner_suffix,
    open_lines,
    read_limited,
    sniff_format,
)
from newsgraph.sources.html import read_html
from newsgraph.sources.jsonl import read_jsonl
from newsgraph.sources.text import read_text

__all__ = ["DEFAULT_MAX_BYTES", "expand_paths", "read_articles"]

# 20 MB: ten times the largest news pages seen in the wild (about 2 MB of markup with inline scripts)
# and far beyond any article text, while small enough that a stray log or dump is refused quickly.
DEFAULT_MAX_BYTES = 20_000_000

_GLOB_MAGIC = re.compile(r"[*?\[]")


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files, directories and glob patterns into the list of files to read.

    A file is taken as given, whatever its extension. A directory is walked recursively, in sorted
    order, taking the files with an article extension (``.txt``, ``.text``, ``.md``, ``.jsonl``,
    ``.ndjson``, ``.html``, ``.htm``, ``.xhtml``, each optionally ``.gz``); hidden files and
    directories (names starting with ``.``) are skipped, and so are other files such as ``.ann`` or
    ``.json`` lying beside the articles: name a file explicitly to read it whatever its extension. A
    pattern (``data/*.html``, ``corpus/**/*.jsonl``) is expanded, ``**`` spanning directories. ``~`` is
    expanded. A file reached twice is listed once, where first reached.

    This function never fails on a bad input: an entry that leads to nothing readable (a missing path,
    a pattern that matches nothing, a directory without article files) is kept in the list as given,
    and :func:`read_articles` yields an :class:`~newsgraph.errors.InputError` for it in its place, so
    that every problem is reported in input order through one channel.

    Args:
        paths: What the user named.

    Returns:
        Files to read, in order.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out: list[Path] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            out.append(path)

    for raw in paths:
        text = os.path.expanduser(os.fspath(raw))
        path = Path(text)
        if path.is_dir():
            found = _walk(path)
            for file in found or [path]:
                add(file)
        elif path.exists() or not _GLOB_MAGIC.search(text):
            add(path)
        else:
            matches = sorted(glob(text, recursive=True))
            for match in matches:
                found = _walk(Path(match)) if os.path.isdir(match) else [Path(match)]
                for file in found:
                    add(file)
            if not matches:
                add(path)
    return out


def _walk(directory: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if not name.startswith(".") and inner_suffix(path) in ARTICLE_SUFFIXES and path.is_file():
                files.append(path)
    return sorted(files, key=lambda p: p.parts)


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | InputError]:
    """Read articles from files, directories and glob patterns.

    Bad inputs do not raise: each yields an :class:`~newsgraph.errors.InputError` (naming the file, or
    ``file:line`` for JSON Lines) in its place, and reading goes on. Problems reported: a missing or
    unreadable path, a pattern that matches nothing, a directory without article files, an empty
    file, a binary file, undecodable text, a file over ``max_bytes``, a malformed JSON line, a page
    without article text.

    Args:
        paths: Files, directories or glob patterns, expanded as :func:`expand_paths` describes.
        published: Reference date (``YYYY-MM-DD``) for relative times, given to articles whose input
            has no date of its own (plain text; JSON lines and pages without one).
        max_bytes: Largest file read (after gzip decompression). JSON Lines files are streamed, so for
            them the limit applies to each line instead.

    Returns:
        An iterator of Articles and InputErrors, in input order.

    Raises:
        InputError: At once, before any reading, when ``published`` is not a date or ``max_bytes`` is
            not positive: these are mistakes in the call, not in an input.
    """
    reference = check_reference_date(published)
    if max_bytes <= 0:
        raise InputError("--max-bytes", f"must be a positive number of bytes, not {max_bytes}")
    files = expand_paths(paths)
    return _read_all(files, reference, max_bytes)


def _read_all(files: list[Path], published: str | None, max_bytes: int) -> Iterator[Article | InputError]:
    for path in files:
        yield from _read_one(path, published, max_bytes)


def _read_one(path: Path, published: str | None, max_bytes: int) -> Iterator[Article | InputError]:
    source = str(path)
    try:
        if path.is_dir():
            suffixes = " ".join(sorted(ARTICLE_SUFFIXES))
            hint = f"looked for {suffixes} (and .gz), hidden ones skipped"
            yield InputError(source, "has no article files", hint)
            return
        if not path.exists():
            if path.is_symlink():
                problem = "is a broken symbolic link"
            elif _GLOB_MAGIC.search(source):
                problem = "no files match this pattern"
            else:
                problem = "no such file or directory"
            yield InputError(source, problem)
            return
        suffix = inner_suffix(path)
        kind = _kind(suffix) or _sniff(path)
        if kind == "jsonl":
            yield from read_jsonl(path, published, max_bytes)
            return
        data = read_limited(path, max_bytes)
        if kind == "html":
            yield read_html(path, data, published)
        else:
            yield read_text(path, data, published)
    except InputError as error:
        yield error
    except OSError as exc:
        yield InputError(source, f"cannot be read: {exc.strerror or exc}")


def _kind(suffix: str) -> str | None:
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    return None


def _sniff(path: Path) -> str:
    try:
        with open_lines(path) as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, EOFError):
        return "text"  # read_limited reports the problem with the file itself
    return sniff_format(head)
