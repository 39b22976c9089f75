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
``.warc``                 a web crawl, its HTML responses streamed record by record (:mod:`.warc`)
``.rss .atom .xml``       an RSS or Atom feed; entries' pages are fetched unless the feed has the full
                          text (:mod:`.feeds`)
anything else             sniffed: ``WARC/`` first is a crawl, an ``rss``/``feed`` root a feed, ``<``
                          HTML, ``{`` JSON Lines, otherwise plain text
========================  ===========================================================================

A text file of ``http(s)://`` URLs, one per line, is a URL list, and an ``http(s)://`` argument is a
URL: each is fetched (:mod:`.web`, through :class:`~newsgraph.sources.fetch.Fetcher`, which refuses
private and loopback addresses unless ``allow_private``) and read as a page or a feed.

In a folder only files that look like articles are taken: the extensions above (plus ``.warc``,
``.rss``, ``.atom``), not hidden ones, and not the files a folder of data often carries beside its
articles (``README*``, ``LICENSE*``, ``CHANGES*`` and the like, :data:`NOT_ARTICLES`). A URL list met in a
folder is skipped too, not fetched: give it by name to fetch its URLs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from glob import glob
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.dates import check_reference_date
from newsgraph.sources.feeds import looks_like_feed, read_feed
from newsgraph.sources.fetch import Fetcher, is_url
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
from newsgraph.sources.warc import read_warc
from newsgraph.sources.web import looks_like_url_list, read_url, read_url_list

__all__ = ["DEFAULT_MAX_BYTES", "MAX_ARTICLE_CHARS", "expand_paths", "read_articles", "screen_item"]

# 20 MB: ten times the largest news pages seen in the wild (about 2 MB of markup with inline scripts)
# and far beyond any article text, while small enough that a stray log or dump is refused quickly.
DEFAULT_MAX_BYTES = 20_000_000

# Characters of text one article may have: about 16,000 words, longer than all but the longest magazine
# features. Measured on this 2-core machine with the small English pipeline, 100,000 characters of junk
# text take 8 s and 500 MB to analyse (200,000: 18 s and 750 MB); a 15 MB dump taken for an article
# would take many minutes and gigabytes. Bench: the junk-page figures in CHANGES.md (issue 15).
MAX_ARTICLE_CHARS = 100_000

_GLOB_MAGIC = re.compile(r"[*?\[]")
_FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
# Walked in directories besides articles: crawls and feeds (not .xml, which is more often something else).
_WALK_SUFFIXES = ARTICLE_SUFFIXES | {".warc", ".rss", ".atom"}


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files, directories and glob patterns into the list of files to read.

    A file is taken as given, whatever its extension. A directory is walked recursively, in sorted
    order, taking the files with an article extension (``.txt``, ``.text``, ``.md``, ``.jsonl``,
    ``.ndjson``, ``.html``, ``.htm``, ``.xhtml``, ``.warc``, ``.rss``, ``.atom``, each optionally
    ``.gz``); hidden files and
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


# Names (before the first dot, any case) of the files a folder of data carries beside its articles.
NOT_ARTICLES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "copying",
        "changes",
        "changelog",
        "history",
        "notice",
        "authors",
        "contributing",
        "manifest",
    }
)


def _walk(directory: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if name.split(".", 1)[0].lower() in NOT_ARTICLES:
                continue
            if not name.startswith(".") and inner_suffix(path) in _WALK_SUFFIXES and path.is_file():
                files.append(path)
    return sorted(files, key=lambda p: p.parts)


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    fetcher: Fetcher | None = None,
) -> Iterator[Article | InputError]:
    """Read articles from files, directories, glob patterns and URLs.

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
            them the limit applies to each line instead; WARC files too, so it applies to each record;
            for URLs it caps each download.
        allow_private: Let URLs (given, listed, or linked from feeds) reach private, loopback and
            link-local addresses, which are refused by default.
        fetcher: The fetcher for URLs; by default one made with ``allow_private`` and ``max_bytes``.

    Returns:
        An iterator of Articles and InputErrors, in input order.

    Raises:
        InputError: At once, before any reading, when ``published`` is not a date or ``max_bytes`` is
            not positive: these are mistakes in the call, not in an input.
    """
    reference = check_reference_date(published)
    if max_bytes <= 0:
        raise InputError("--max-bytes", f"must be a positive number of bytes, not {max_bytes}")
    inputs = _expand_inputs(paths)
    fetcher = fetcher or Fetcher(allow_private=allow_private, max_bytes=max_bytes)
    return _read_all(inputs, reference, max_bytes, fetcher)


def _expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """Expand paths as :func:`expand_paths` does, keeping URLs (as strings) in their place. Files found
    by walking a folder come back as :class:`_Walked` paths."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out: list[Path | str] = []
    seen: set[str] = set()
    for raw in paths:
        if is_url(raw):
            out.append(str(raw))
            continue
        for path in expand_paths([raw]):
            key = os.path.normcase(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                named = os.path.normcase(os.path.abspath(os.path.expanduser(os.fspath(raw)))) == key
                out.append(path if named or _GLOB_MAGIC.search(os.fspath(raw)) else _Walked(path))
    return out


class _Walked(type(Path())):  # type: ignore[misc]
    """A file found by walking a folder, rather than named (or matched by a pattern) by the user."""


def _read_all(
    inputs: list[Path | str], published: str | None, max_bytes: int, fetcher: Fetcher
) -> Iterator[Article | InputError]:
    for item in inputs:
        if isinstance(item, str):
            read = read_url(item, fetcher, published)
        else:
            read = _read_one(item, published, max_bytes, fetcher)
        for found in read:
            yield screen_item(found)


def screen_item(item: Article | InputError) -> Article | InputError:
    """The article, or an error naming it when its text is too long to be one news article.

    Strings that cannot be written as UTF-8 are mended first (see :func:`_mend`): a file name that is
    not valid UTF-8 used to make its error line, or its article, impossible to print or store.
    """
    if isinstance(item, InputError):
        if _has_surrogates(str(item)):
            return InputError(
                _mend(item.source), _mend(item.problem), _mend(item.hint) if item.hint else None
            )
        return item
    item = _mend_article(item)
    if len(item.text) <= MAX_ARTICLE_CHARS:
        return item
    source = str(item.metadata.get("source") or item.url or item.id)
    return InputError(
        source,
        f"has {len(item.text):,} characters of text, over the {MAX_ARTICLE_CHARS:,} one article may "
        "have; not analysed",
        "split it into articles (one per file or JSON line)",
    )


def _read_one(
    path: Path, published: str | None, max_bytes: int, fetcher: Fetcher
) -> Iterator[Article | InputError]:
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
        if kind == "warc":
            yield from read_warc(path, published, max_bytes)
            return
        data = read_limited(path, max_bytes)
        if kind == "feed":
            yield from read_feed(data, source, fetcher, published)
        elif kind == "html":
            yield read_html(path, data, published)
        elif looks_like_url_list(data):
            if isinstance(path, _Walked):
                return  # a list of URLs found in a folder is not fetched: named, it is (see the module notes)
            yield from read_url_list(path, fetcher, published)
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
    if suffix == ".warc":
        return "warc"
    if suffix in _FEED_SUFFIXES:
        return "feed"
    return None


def _sniff(path: Path) -> str:
    try:
        with open_lines(path) as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, EOFError):
        return "text"  # read_limited reports the problem with the file itself
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    return sniff_format(head)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def _mend(value: str) -> str:
    """Show the undecodable bytes of a name (kept by Python as lone surrogates) as ``\\xNN``."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _mend_value(value: object) -> object:
    if isinstance(value, str):
        return _mend(value) if _has_surrogates(value) else value
    if isinstance(value, list):
        return [_mend_value(v) for v in value]
    if isinstance(value, dict):
        return {_mend_value(k): _mend_value(v) for k, v in value.items()}
    return value


def _mend_article(article: Article) -> Article:
    """The article with every string UTF-8 can hold (the same object when all could already).

    In the text a lone surrogate (from a JSON ``\\ud800`` escape) becomes U+FFFD, one character for one,
    so offsets into it stay right; elsewhere undecodable bytes are shown as ``\\xNN``.
    """
    fields = ("id", "title", "url", "outlet", "authors", "published", "language", "metadata")
    changes: dict[str, object] = {
        name: _mend_value(getattr(article, name))
        for name in fields
        if _mend_value(getattr(article, name)) != getattr(article, name)
    }
    if _has_surrogates(article.text):
        changes["text"] = _SURROGATE.sub("\ufffd", article.text)
    return replace(article, **changes) if changes else article  # type: ignore[arg-type]
