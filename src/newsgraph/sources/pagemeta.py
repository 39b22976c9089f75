"""A page's own statements about its article: headline, byline, outlet, address, section, description.

Read from the page's JSON-LD (schema.org ``NewsArticle`` and kin), its ``<meta>`` tags (Open Graph,
Twitter, Dublin Core, Parse.ly, Sailthru) and, for the byline, from elements marked as the author. Each
field takes the first source that has it, in the order the page's publisher controls most directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsgraph.schema import normalise_text
from newsgraph.sources.cleanup import clean_authors
from newsgraph.sources.published import json_ld_objects, page_url

# JSON-LD types that describe the article itself (their author and publisher are the page's).
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "webpage",
    }
)
_NEWS_TYPES = ARTICLE_TYPES - {"webpage"}
_SITE_TYPES = frozenset({"website", "newsmediaorganization", "organization"})
_TITLE_META = ("og:title", "twitter:title", "dc.title", "headline")
_SITE_META = ("og:site_name", "application-name", "twitter:site")
_AUTHOR_META = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")
_SECTION_META = ("article:section", "section", "parsely-section", "category")
_TAG_META = ("article:tag", "news_keywords", "keywords", "parsely-tags")
_DESCRIPTION_META = ("og:description", "description", "twitter:description")
# Elements that hold the byline: schema.org microdata, rel="author" links, and the class names templates use
# (matched in any case). The path finds the candidates, in document order; :func:`_byline_elements` tests
# their class in Python, which on news pages is two to three times faster than lower-casing every class
# attribute with XPath's translate().
_BYLINE_XPATH = "//*[@class or @itemprop='author' or (self::a and @rel='author')]"
_BYLINE_CLASSES = ("byline", "author")
# A byline element longer than this is an author box with a biography, not a byline.
_BYLINE_MAX_CHARS = 120
# "Headline | Site", "Headline - Site", "Site: Headline" in <title>
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•-]\s+|\s*:\s+")


@dataclass
class PageMeta:
    """What the page says about its article (every field None or empty when the page does not say).

    ``declares_article`` is True when the page calls itself an article (``og:type`` ``article``, or a
    JSON-LD object of an article type other than ``WebPage``); ``article_body`` is the JSON-LD
    ``articleBody`` of such an object, when it has one.
    """

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    hostname: str | None = None
    description: str | None = None
    sections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    declares_article: bool = False
    article_body: str | None = None


def read_page_meta(tree: HtmlElement, url: str | None = None) -> PageMeta:
    """Read a page's metadata.

    Args:
        tree: The parsed page (not modified).
        url: Where it was fetched from, used when the page names no canonical address.
    """
    objects = list(json_ld_objects(tree))
    articles = [item for item in objects if _has_type(item, ARTICLE_TYPES)]
    metas = meta_values(tree)
    address = page_url(tree) or url
    hostname = urlsplit(address).hostname if address else None
    site_names = [_name_of(item.get("publisher")) for item in articles]
    site_names += [_name_of(item) for item in objects if _has_type(item, _SITE_TYPES)]
    site_names += [metas.get(name) for name in _SITE_META if not (metas.get(name) or "").startswith("@")]
    outlet = next((name for name in site_names if name), None) or hostname
    title = _title(tree, articles, metas, outlet)
    return PageMeta(
        title=title,
        url=address,
        outlet=outlet,
        hostname=hostname,
        description=next((metas[n] for n in _DESCRIPTION_META if metas.get(n)), None),
        sections=_listed(metas, _SECTION_META, articles, "articleSection"),
        tags=_listed(metas, _TAG_META, articles, "keywords"),
        authors=_authors(tree, articles, metas),
        declares_article=metas.get("og:type", "").lower() == "article"
        or any(_has_type(item, _NEWS_TYPES) for item in articles),
        article_body=next(
            (
                body.strip()
                for item in articles
                if isinstance(body := item.get("articleBody"), str) and body.strip()
            ),
            None,
        ),
    )


def meta_values(tree: HtmlElement) -> dict[str, str]:
    """Return the page's ``<meta>`` contents by lower-cased name, property or itemprop (first wins)."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if name and content and name not in values:
            values[name] = content
    return values


def _title(
    tree: HtmlElement, articles: list[dict[str, Any]], metas: dict[str, str], outlet: str | None
) -> str | None:
    for item in articles:
        headline = item.get("headline") or item.get("name")
        if isinstance(headline, str) and headline.strip():
            return " ".join(headline.split())
    for name in _TITLE_META:
        if metas.get(name):
            return metas[name]
    heading = next((h for h in tree.iter("h1") if h.text_content().strip()), None)
    if heading is not None:
        return " ".join(heading.text_content().split())
    element = tree.find(".//title")
    if element is None or not element.text_content().strip():
        return None
    return _strip_site(" ".join(element.text_content().split()), outlet)


def _strip_site(title: str, outlet: str | None) -> str:
    """Drop a site name joined to the headline in ``<title>`` ("Headline | Site" → "Headline")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = normalise_text(outlet) if outlet else None
    if site and normalise_text(parts[-1]) == site:
        return title[: title.rfind(parts[-1])].rstrip(" |–—·•-:")
    if site and normalise_text(parts[0]) == site:
        return title[len(parts[0]) :].lstrip(" |–—·•-:")
    # Otherwise the longest part is the headline, when the rest are short enough to be a site's name.
    longest = max(parts, key=len)
    return longest if all(len(p.split()) <= 4 for p in parts if p is not longest) else title


def _authors(tree: HtmlElement, articles: list[dict[str, Any]], metas: dict[str, str]) -> list[str]:
    for item in articles:
        names = clean_authors(_person_names(item.get("author")))
        if names:
            return names
    for name in _AUTHOR_META:
        value = metas.get(name)
        if value and not value.startswith(("http://", "https://", "@")):
            names = clean_authors(value)
            if names:
                return names
    for element in _byline_elements(tree):
        if len(element.text_content()) > _BYLINE_MAX_CHARS:
            continue
        # Piece by piece: a byline element often holds the date or the section beside the name.
        for piece in element.itertext():
            names = clean_authors(" ".join(piece.split()))
            if names:
                return names
    return []


def _byline_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Yield the elements marked as the byline, in document order."""
    for element in tree.xpath(_BYLINE_XPATH):
        classes = (element.get("class") or "").lower()
        if (
            any(name in classes for name in _BYLINE_CLASSES)
            or element.get("itemprop") == "author"
            or (element.tag == "a" and element.get("rel") == "author")
        ):
            yield element


def _listed(
    metas: dict[str, str], names: tuple[str, ...], articles: list[dict[str, Any]], key: str
) -> list[str]:
    values: list[str] = []
    for name in names:
        if metas.get(name):
            values.extend(part.strip() for part in metas[name].split(","))
            break
    if not values:
        for item in articles:
            value = item.get(key)
            if isinstance(value, str):
                values.extend(part.strip() for part in value.split(","))
            elif isinstance(value, list):
                values.extend(str(part).strip() for part in value)
    return [value for value in dict.fromkeys(values) if value]


def _has_type(item: dict[str, Any], types: frozenset[str]) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.lower() in types for kind in kinds)


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _person_names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author``: a string, an object, or a list of either."""
    names = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and str(item.get("@type") or "person").lower() != "person":
            continue  # an Organization credited as author is the outlet, not a byline
        name = _name_of(item)
        if name:
            names.append(name)
    return names
