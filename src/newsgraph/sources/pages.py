"""Web pages that come with a URL rather than a file name: fetched pages, WARC records, feed content.

They go through the same reader as HTML files (:func:`newsgraph.sources.html.read_html`), so extraction,
furniture removal and date finding are the same whatever the page came in; only the identity differs: the
article's ``id`` and ``url`` are the page's canonical URL when it declares one, else the URL it came from,
and errors name that URL.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.files import bom_encoding
from newsgraph.sources.html import read_html

# read_html takes a path for the id and messages; both are replaced by the URL here.
_PLACEHOLDER = Path("page.html")

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def page_article(data: bytes, url: str, *, charset: str | None = None) -> Article:
    """Make an Article of a page's bytes.

    Args:
        data: The page as served (after any transfer or content encoding is undone).
        url: Where it came from: the fetched URL or the WARC record's target URI.
        charset: The charset the server declared (HTTP Content-Type). Used, as browsers do, when the bytes
            carry no byte-order mark and are not valid UTF-8.

    Returns:
        The article. ``published`` is None when the page gives no date (``metadata["published_from"]``
        is then ``"reference"``): the caller fills in what it knows (a feed's date, a WARC date).
        ``metadata["source"]`` is ``url``; ``metadata["fetched_url"]`` too when the canonical URL differs.

    Raises:
        InputError: Named by ``url``: binary data, unparseable markup, or no article text.
    """
    data, declared = _transcode(data, charset)
    try:
        article = read_html(_PLACEHOLDER, data, None, url=url)
    except InputError as error:
        raise InputError(url, error.problem, error.hint) from None
    metadata = {**article.metadata, "source": url}
    if declared:
        metadata["encoding"] = declared
    canonical = article.url or url
    if canonical != url:
        metadata["fetched_url"] = url
    return replace(article, id=canonical, url=canonical, metadata=metadata)


def with_fallback_date(article: Article, value: str | None, origin: str) -> Article:
    """Return ``article`` with ``published`` set to ``value`` when the page itself gave no date.

    Args:
        article: From :func:`page_article`.
        value: An ISO 8601 date or date-time, or None.
        origin: What gave it (``"feed"``, ``"warc-date"``, ``"reference"``), kept in
            ``metadata["published_from"]``.
    """
    if article.published or not value:
        return article
    return replace(article, published=value, metadata={**article.metadata, "published_from": origin})


def _transcode(data: bytes, charset: str | None) -> tuple[bytes, str | None]:
    """Re-encode ``data`` as UTF-8 from the server's charset, when that charset is what decides.

    The HTML reader decodes by byte-order mark, then valid UTF-8, then the page's ``<meta charset>``;
    the HTTP header ranks between the BOM and the meta tag, so it is applied here, before the reader.

    Returns:
        The bytes to read and the charset applied, or None when the bytes were left alone.
    """
    if not charset or bom_encoding(data):
        return data, None
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        return data, None
    if codec in ("utf-8", "utf-16", "utf-32"):
        return data, None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Browsers read latin-1 and ASCII labels as windows-1252 (WHATWG Encoding), and so do we.
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"
        return data.decode(codec, errors="replace").encode("utf-8"), codec
    return data, None
