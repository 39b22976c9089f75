"""HTML pages: the article body and its metadata through trafilatura, with news furniture removed.

Steps, each in its own module:

1. furniture elements (captions, newsletter, share and related-link boxes, section labels) are removed from
   the page, once its metadata has been read (:func:`~newsgraph.sources.cleanup.prune_furniture`);
2. trafilatura extracts the body (precision mode, with its default mode as a fallback), one line per
   paragraph, heading, list item or table row; paragraphs are joined by a blank line (``"\\n\\n"``);
3. lines of page furniture are dropped (:func:`~newsgraph.sources.cleanup.remove_furniture`; what was
   dropped is listed in ``metadata["furniture"]``) and a wire dateline is moved from the first paragraph
   to ``metadata["dateline"]``;
4. metadata: title, authors, outlet and canonical URL from the page's JSON-LD and meta tags
   (:func:`~newsgraph.sources.pagemeta.read_page_meta`);
   the publication date from :func:`~newsgraph.sources.published.find_published`; the language detected in
   the text (:func:`~newsgraph.sources.language.detect_language`).

All the rules are data in ``data/furniture.json``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from newsgraph.errors import InputError
from newsgraph.schema import Article, normalise_text
from newsgraph.scripts import count_words
from newsgraph.sources.cleanup import (
    clean_authors,
    furniture_rule,
    line_key,
    prune_furniture,
    remove_furniture,
    split_dateline,
    text_key,
)
from newsgraph.sources.files import article_stem, check_not_binary, decode_html, human_size
from newsgraph.sources.language import declared_language, detect_language
from newsgraph.sources.pagemeta import PageMeta, read_page_meta
from newsgraph.sources.published import find_published

EXTRACTOR = f"trafilatura {trafilatura.__version__}"

_NO_TEXT_HINT = "it may be an index page, or need JavaScript to show"

# trafilatura's precision mode is the body extractor; its default mode is the fallback when precision mode
# keeps less than PRECISION_FALLBACK_SHARE of the words the default keeps, which means it threw away part
# of the article rather than furniture. On the ScrapingHub benchmark (``newsgraph eval extraction``,
# before the line clean-up) precision mode alone scores F1 0.964 and default mode 0.960; with the
# fallback, 0.969: every share from 0.1 to 0.3 gives the same result, 0.35 and above lose 0.002.
PRECISION_FALLBACK_SHARE = 0.25
# The default extraction is only run when precision mode kept less than this share of the page's words
# (it cannot keep more than the page has). On the benchmark the one page the fallback rescues is at
# 0.026; 0.1 runs the second extraction on 29 of 181 pages, against 73 with 0.25, for the same result.
FALLBACK_TRIGGER_SHARE = 0.1


# Bytes of markup parsed for one page: three times the largest news pages seen in the wild (about 2 MB
# with inline scripts). Extracting 6 MB takes about 3 s; a 15 MB junk page took 9 s and 480 MB before
# its text even reached the analysis.
MAX_HTML_BYTES = 6_000_000


def read_html(path: Path, data: bytes, published: str | None = None, *, url: str | None = None) -> Article:
    """Make an Article of an HTML page.

    Args:
        path: The file, for the id and the error messages.
        data: The page's bytes; the encoding is worked out as :func:`~newsgraph.sources.files.decode_html`
            describes.
        published: Reference date used when the page has no date of its own.
        url: Where the page was fetched from, when known: a date in it is one of the publication-date
            clues, and it is the article's URL when the page names no canonical address.

    Returns:
        The article: ``text`` the cleaned body; ``title``; ``authors`` as a list of names; ``published``
        as an ISO 8601 date-time with offset when the page has one, else ``YYYY-MM-DD``; ``outlet`` the
        site name; ``url`` the canonical URL; ``id`` the file stem; ``language`` the ISO 639-1 code of
        the language detected in the text. ``metadata`` holds ``source``, ``extractor``, ``encoding``,
        ``published_from`` (``url``, ``itemprop``, ``headline``, ``label``, ``htmldate``, ``meta``,
        ``json-ld``, ``time`` or ``reference``), and when the page has them ``hostname``, ``description``,
        ``categories``, ``tags``, ``declared_language``, ``dateline``, ``furniture`` (lines dropped),
        ``furniture_elements`` (elements removed, by rule name) and ``text_from`` (``json-ld`` or
        ``description`` when the body showed no article text and the page's metadata gave it).

    Raises:
        InputError: The file is binary, over :data:`MAX_HTML_BYTES`, cannot be parsed, or has no
            article text.
    """
    source = str(path)
    if len(data) > MAX_HTML_BYTES:
        raise InputError(
            source,
            f"is {human_size(len(data))} of HTML, over the {human_size(MAX_HTML_BYTES)} a news page "
            "needs; not parsed",
            "save the article's own page, or its text as a .txt file",
        )
    check_not_binary(source, data)
    markup, encoding = decode_html(data)
    try:
        tree = trafilatura.load_html(markup)
        if tree is None:
            raise InputError(source, "could not be parsed as HTML")
        root = tree.getroottree().getroot()
        declared = declared_language(
            root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
        )
        meta = read_page_meta(tree, url)
        found = find_published(tree, url)
        link_texts = {text_key(a.text_content()) for a in tree.iter("a")} - {""}
        body, pruned = _extract_body(tree)  # the last use of the tree: it is pruned in place
    except InputError:
        raise
    except Exception as exc:  # lxml and trafilatura fail in many ways on broken pages; a batch goes on
        raise InputError(source, f"could not be parsed as HTML ({type(exc).__name__}: {exc})") from None
    sections = {normalise_text(name) for name in meta.sections}
    kept, dropped = remove_furniture(body, link_texts, meta.title, sections)
    text_from = None
    if not _is_article(kept, link_texts):
        kept, text_from = _declared_text(meta)
        if not kept:
            raise InputError(source, "no article text found", _NO_TEXT_HINT)
    dateline, kept[0] = split_dateline(kept[0])
    text = "\n\n".join(kept)

    metadata: dict[str, Any] = {"source": source, "extractor": EXTRACTOR, "encoding": encoding}
    if meta.hostname:
        metadata["hostname"] = meta.hostname
    if meta.description:
        metadata["description"] = meta.description
    if meta.sections:
        metadata["categories"] = meta.sections
    if meta.tags:
        metadata["tags"] = meta.tags
    metadata["published_from"] = found.origin if found else "reference"
    if declared:
        metadata["declared_language"] = declared
    if dateline:
        metadata["dateline"] = dateline
    if dropped:
        metadata["furniture"] = dropped
    if pruned:
        metadata["furniture_elements"] = pruned
    if text_from:
        metadata["text_from"] = text_from
    authors = meta.authors or clean_authors(
        [line for line in dropped if furniture_rule(line) == "byline"][:1]
    )
    return Article(
        text=text,
        id=article_stem(path),
        title=meta.title,
        url=meta.url,
        outlet=meta.outlet,
        authors=authors,
        published=found.iso() if found else published,
        language=detect_language(text, declared),
        metadata=metadata,
    )


def _declared_text(meta: PageMeta) -> tuple[list[str], str | None]:
    """The article text a page states in its metadata, for a page whose body shows none without JavaScript.

    Only a page that declares itself an article (``og:type``, JSON-LD) is read this way, so that index
    pages stay errors: its JSON-LD ``articleBody``, else its description when that is at least a sentence
    long (:data:`_MIN_WORDS`). A user gets the headline, the date and the gist rather than nothing.

    Returns:
        The text's paragraphs, or an empty list, and ``"json-ld"`` or ``"description"``.
    """
    if not meta.declares_article:
        return [], None
    for text, origin in ((meta.article_body, "json-ld"), (meta.description, "description")):
        if text and count_words(text) >= _MIN_WORDS:
            return [line.strip() for line in text.splitlines() if line.strip()], origin
    return [], None


def _extract_body(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """Return the article body as text lines (empty when none is found) and the furniture elements pruned.

    ``tree`` is pruned of its furniture elements in place.
    """
    pruned = prune_furniture(tree)
    lines = _extract_lines(tree, favor_precision=True)  # trafilatura works on a copy
    words = sum(count_words(line) for line in lines)
    body = tree.find(".//body")
    page_words = count_words(body.text_content()) if body is not None else 0
    if words < FALLBACK_TRIGGER_SHARE * page_words:
        fuller = _extract_lines(tree, favor_precision=False)
        if words < PRECISION_FALLBACK_SHARE * sum(count_words(line) for line in fuller):
            lines = fuller
    return lines, pruned


@cache
def _extractor(favor_precision: bool) -> Extractor:
    """Return trafilatura's settings for the body, made once per process.

    Building them reads trafilatura's configuration values anew each time, about 0.15 ms a page; trafilatura
    copies the settings before it changes any, so one object serves every page.
    """
    return Extractor(
        output_format="python",
        with_metadata=False,
        comments=False,
        links=False,
        images=False,
        precision=favor_precision,
    )


def _extract_lines(tree: HtmlElement, favor_precision: bool) -> list[str]:
    document = trafilatura.bare_extraction(tree, options=_extractor(favor_precision))
    if document is None or document.body is None:
        return []
    text = trafilatura.xml.xmltotxt(document.body, include_formatting=False)
    return [line.strip() for line in text.split("\n") if line.strip()]


# Fewer words than this is a menu or a teaser, not an article: the shortest wire briefs run to one
# sentence of 15 or more words, and trafilatura falls back to any text it can find on pages without a body.
# Words are counted whatever the script (:func:`~newsgraph.scripts.count_words`): in Chinese or Japanese
# 10 words are about 20 characters, one short sentence.
_MIN_WORDS = 10


def _is_article(lines: list[str], link_texts: set[str]) -> bool:
    if sum(count_words(line) for line in lines) < _MIN_WORDS:
        return False
    return not all(line_key(line) in link_texts for line in lines)
