"""RSS and Atom feeds: entries into Articles, from the full text the feed carries or the linked page.

The feed's bytes are always fetched (or read) by newsgraph itself and handed to feedparser as data, so
feedparser never opens a URL or a file on its own and every request obeys the
:class:`~newsgraph.sources.fetch.Fetcher`'s rules.

Before parsing, a feed that declares XML entities (``<!ENTITY …>``) is refused: entity declarations are
what "billion laughs" and quadratic-blowup bombs are made of, and they also let a feed pull in local
files. No real news feed declares entities; named HTML entities such as ``&nbsp;`` need no declaration
and are still read (feedparser's lenient parser takes them).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import defusedxml.sax
import feedparser
from defusedxml import DefusedXmlException

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.scripts import count_words
from newsgraph.sources.dates import normalise_published
from newsgraph.sources.fetch import HTML_ACCEPT, Fetcher, is_url
from newsgraph.sources.pages import HTML_TYPES, page_article, with_fallback_date

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)

# An entry's content counts as the full article from this many words on. Feed summaries and teasers run
# to one or two sentences (under 60 words in the feeds of the outlets in the sample corpus and of the
# large wire services); full-text feeds carry whole articles, rarely under 150 words even for briefs.
FULL_TEXT_WORDS = 150

_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|html)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Entry keys longer than this are hashed: guids are short, but a key built from a long link is not.
_MAX_KEY = 400


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed.

    Args:
        key: A stable identity for "have I seen this entry": the guid/id, else the link, else a hash of
            the title and summary.
        link: The article's URL.
        title: The entry's title, plain text.
        published: The entry's date, ISO 8601, when it gives one.
        authors: Author names.
        content: The entry's full content as HTML, when the feed carries one.
        summary: The entry's summary or description, HTML.
    """

    key: str
    link: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    content: str | None = None
    summary: str | None = None

    @property
    def has_full_text(self) -> bool:
        """True when :attr:`content` is long enough to be the article (:data:`FULL_TEXT_WORDS`)."""
        return bool(self.content) and _word_count(self.content or "") >= FULL_TEXT_WORDS


@dataclass(frozen=True)
class Feed:
    """A parsed feed.

    Args:
        source: Where it was read from (URL or file), for messages and metadata.
        title: The feed's title (often the outlet's name).
        link: The site the feed belongs to.
        version: feedparser's name for the format (``rss20``, ``atom10``…).
        entries: Its entries, in feed order.
    """

    source: str
    title: str | None
    link: str | None
    version: str
    entries: list[FeedEntry]


def looks_like_feed(data: bytes) -> bool:
    """Return True when the root element (within the first 4 kB) is ``rss``, ``feed`` or ``rdf:RDF``."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    match = _ROOT.search(head)
    return match is not None and match.group(1).lower() != b"html"


def parse_feed(
    data: bytes, source: str, *, base_url: str | None = None, content_type: str | None = None
) -> Feed:
    """Parse RSS or Atom bytes.

    Args:
        data: The feed document.
        source: Its URL or path, for messages.
        base_url: URL against which relative links in the feed are resolved.
        content_type: The HTTP Content-Type, when fetched (it may name the charset).

    Returns:
        The feed. A feed that is not well-formed XML but still yields entries (feedparser's lenient
        parser copes with unescaped ``&`` and HTML entities) is accepted.

    Raises:
        InputError: It declares XML entities (refused, see above), is not a feed, or is too broken to
            give any entry or title.
    """
    if not data.strip():
        raise InputError(source, "empty feed")
    _refuse_entities(data, source)
    headers = {"content-location": base_url or "", "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    channel = parsed.get("feed", {})
    if not parsed.get("version") and not parsed.entries:
        problem = "is not an RSS or Atom feed"
        if parsed.get("bozo"):
            problem += f" ({_bozo(parsed)})"
        raise InputError(source, problem)
    entries = [_entry(item, base_url) for item in parsed.entries]
    if parsed.get("bozo") and not any(e.link or e.content or e.summary for e in entries):
        raise InputError(source, f"is a malformed feed ({_bozo(parsed)})")
    return Feed(
        source=source,
        title=_plain(channel.get("title")),
        link=channel.get("link"),
        version=parsed.get("version") or "unknown",
        entries=entries,
    )


def read_feed(
    data: bytes,
    source: str,
    fetcher: Fetcher,
    published: str | None = None,
    *,
    base_url: str | None = None,
    content_type: str | None = None,
) -> Iterator[Article | InputError]:
    """Yield an Article per entry of a feed (an InputError per entry that fails, or one for the feed).

    Args:
        data: The feed document.
        source: Its URL or path.
        fetcher: Fetches the entries' pages when the feed does not carry their full text.
        published: Reference date for entries whose page and feed give none.
        base_url: URL against which relative links are resolved (the feed's URL when fetched).
        content_type: The feed's HTTP Content-Type.
    """
    try:
        feed = parse_feed(data, source, base_url=base_url, content_type=content_type)
    except InputError as error:
        yield error
        return
    for entry in feed.entries:
        try:
            yield entry_article(entry, feed, fetcher, published)
        except InputError as error:
            yield error


def entry_article(entry: FeedEntry, feed: Feed, fetcher: Fetcher, published: str | None = None) -> Article:
    """Make the Article for one entry.

    The entry's own content is used when it is the full text (:attr:`FeedEntry.has_full_text`);
    otherwise the linked page is fetched; an entry without a link falls back to whatever content or
    summary it has. Title, authors, date and outlet come from the page when it has them, else from the
    feed; for content taken from the feed, the feed's date wins.

    Returns:
        The article, with ``metadata["feed"]`` (the feed's source), ``metadata["feed_entry"]`` (the
        entry key) and ``metadata["content_from"]`` (``"feed"`` or ``"page"``).

    Raises:
        InputError: The page could not be fetched or has no article text (a
            :class:`~newsgraph.sources.fetch.FetchError`, whose ``transient`` says whether to retry), or the
            entry has neither a usable link nor content.
    """
    where = entry.link or f"{feed.source} entry {entry.key}"
    if entry.has_full_text or (not entry.link and (entry.content or entry.summary)):
        body = entry.content or entry.summary or ""
        article = page_article(_wrap(entry, body), entry.link or f"{feed.source}#{entry.key}")
        content_from = "feed"
        if entry.published:
            article = replace(
                article,
                published=entry.published,
                metadata={**article.metadata, "published_from": "feed"},
            )
    elif entry.link and is_url(entry.link):
        response = fetcher.fetch(entry.link, accept=HTML_ACCEPT)
        if (
            response.content_type
            and response.content_type not in HTML_TYPES
            and not _starts_like_markup(response.body)
        ):
            raise InputError(response.url, f"is {response.content_type}, not an HTML page")
        article = page_article(response.body, response.url, charset=response.charset)
        article = with_fallback_date(article, entry.published, "feed")
        content_from = "page"
    else:
        raise InputError(where, "feed entry has neither a web link nor content")
    article = with_fallback_date(article, published, "reference")
    metadata = {**article.metadata, "feed": feed.source, "feed_entry": entry.key}
    metadata["content_from"] = content_from
    outlet = article.outlet
    if not outlet or content_from == "feed":
        outlet = feed.title or outlet  # a page made of feed content has no site name but the feed's
    return replace(
        article,
        title=article.title or entry.title,
        authors=article.authors or list(entry.authors),
        outlet=outlet,
        metadata=metadata,
    )


def _refuse_entities(data: bytes, source: str) -> None:
    try:
        defusedxml.sax.parseString(
            data, ContentHandler(), forbid_dtd=False, forbid_entities=True, forbid_external=False
        )
    except DefusedXmlException:
        raise InputError(
            source,
            "refused: the feed declares XML entities, which real feeds never need "
            "(the pattern of an XML entity-expansion bomb)",
        ) from None
    except (SAXException, ValueError, UnicodeError, LookupError):
        pass  # not well-formed: feedparser's lenient parser, which expands no declared entity, tries it


def _entry(item: Any, base_url: str | None) -> FeedEntry:
    link = item.get("link") or None
    if link is None:
        link = next((x.get("href") for x in item.get("links", []) if x.get("rel") == "alternate"), None)
    if link and base_url and not is_url(link):
        link = urljoin(base_url, link)
    title = _plain(item.get("title"))
    content = None
    for part in item.get("content") or []:
        if part.get("value") and len(part["value"]) > len(content or ""):
            content = part["value"]
    summary = item.get("summary") or None
    key = item.get("id") or link
    if not key:
        basis = f"{title or ''}\n{summary or content or ''}"
        key = "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()
    elif len(key) > _MAX_KEY:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return FeedEntry(
        key=key,
        link=link,
        title=title,
        published=_entry_date(item),
        authors=_authors(item),
        content=content,
        summary=summary,
    )


def _entry_date(item: Any) -> str | None:
    for name in ("published", "updated", "created"):
        # dict.get: feedparser's own get maps a missing "updated" to "published" with a DeprecationWarning
        value = normalise_published(dict.get(item, name))
        if value:
            return value
    return None


def _authors(item: Any) -> list[str]:
    names = [a.get("name") for a in item.get("authors") or [] if isinstance(a, dict)]
    names = [n.strip() for n in names if n and n.strip()]
    if not names and item.get("author"):
        names = [item["author"].strip()]
    return list(dict.fromkeys(names))


def _plain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", value)).split())
    return text or None


def _word_count(markup: str) -> int:
    return count_words(html.unescape(_TAG.sub(" ", markup)))


def _wrap(entry: FeedEntry, body: str) -> bytes:
    """Make a page of an entry's content, so it goes through the same reader as any page."""
    title = html.escape(entry.title or "")
    head = f"<title>{title}</title>" if title else ""
    if entry.link:
        head += f'<link rel="canonical" href="{html.escape(entry.link)}">'
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head>'
        f"<body><article>{body}</article></body></html>"
    )
    return page.encode("utf-8")


def _starts_like_markup(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"<")


def _bozo(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = str(exc) if exc is not None else "unknown error"
    return text if len(text) < 200 else text[:199] + "…"
