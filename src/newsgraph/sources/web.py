"""URLs and URL lists: fetch each URL and read what comes back, a page or a feed.

A URL list is a text file with one ``http://`` or ``https://`` URL per line; blank lines and lines starting
with ``#`` are skipped, and a URL listed twice is read once. Each URL may be an article page or an RSS/Atom
feed: the response decides (a feed's root element, whatever the Content-Type says, else an HTML type or
markup).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.feeds import FEED_TYPES, looks_like_feed, read_feed
from newsgraph.sources.fetch import Fetcher, Response, is_url
from newsgraph.sources.files import SNIFF_BYTES, open_lines
from newsgraph.sources.pages import HTML_TYPES, page_article, with_fallback_date

_XML_TYPES = frozenset({"application/xml", "text/xml"})


def read_url(url: str, fetcher: Fetcher, published: str | None = None) -> Iterator[Article | InputError]:
    """Fetch ``url`` and yield its article, or its feed's articles, or the error.

    Args:
        url: An http(s) URL.
        fetcher: Does the fetching, under its rules (private addresses, size cap, rate limit).
        published: Reference date for articles that carry none.
    """
    try:
        response = fetcher.fetch(url)
    except InputError as error:
        yield error
        return
    kind = response_kind(response)
    if kind == "feed":
        yield from read_feed(
            response.body,
            response.url,
            fetcher,
            published,
            base_url=response.url,
            content_type=response.headers.get("content-type"),
        )
        return
    if kind is None:
        shown = response.content_type or "of unknown type"
        yield InputError(response.url, f"is {shown}, not an HTML page or an RSS/Atom feed")
        return
    try:
        article = page_article(response.body, response.url, charset=response.charset)
    except InputError as error:
        yield error
        return
    yield with_fallback_date(article, published, "reference")


def response_kind(response: Response) -> str | None:
    """Return ``"feed"``, ``"html"`` or None (neither) for a fetched response."""
    body = response.body
    kind = response.content_type
    if kind in FEED_TYPES:
        return "feed"
    if (kind in _XML_TYPES or kind in HTML_TYPES or not kind) and looks_like_feed(body):
        return "feed"
    if kind in HTML_TYPES or kind in _XML_TYPES:
        return "html"
    if kind in ("", "text/plain", "application/octet-stream") and body[:1024].lstrip().startswith(b"<"):
        return "html"
    return None


def looks_like_url_list(data: bytes) -> bool:
    """Return True when the first 8 kB read as a list of URLs rather than as text.

    That is: every meaningful line (not blank, not a ``#`` comment) is an http(s) URL, or at least two
    are and they make 80 % of them, so that a list with a stray typo is still a list (the typo is then
    reported by line) while prose that merely cites a URL on a line of its own stays text.
    """
    head = data[:SNIFF_BYTES]
    lines = head.splitlines()
    if len(data) > SNIFF_BYTES and lines:
        lines.pop()  # likely cut in the middle
    urls = other = 0
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        if _is_url_line(line.decode("utf-8", errors="replace")):
            urls += 1
        else:
            other += 1
    return urls > 0 and (other == 0 or (urls >= 2 and urls >= 4 * other))


def read_url_list(
    path: Path, fetcher: Fetcher, published: str | None = None
) -> Iterator[Article | InputError]:
    """Read every URL listed in a file, streaming the file (gzip-compressed too).

    A line that is not a URL yields an InputError naming ``file:line``; the other lines are still read.
    """
    seen: set[str] = set()
    try:
        handle = open_lines(path)
    except InputError as error:
        yield error
        return
    with handle:
        try:
            for number, raw in enumerate(handle, 1):
                line = raw.decode("utf-8", errors="replace").strip()
                if not line or line.startswith("#"):
                    continue
                if not _is_url_line(line):
                    yield InputError(f"{path}:{number}", "is not an http(s) URL", "one URL per line")
                    continue
                if line in seen:
                    continue
                seen.add(line)
                yield from read_url(line, fetcher, published)
        except (OSError, EOFError) as exc:
            yield InputError(str(path), f"cannot be read to the end: {exc}")


def _is_url_line(line: str) -> bool:
    return is_url(line) and not any(c.isspace() for c in line)
