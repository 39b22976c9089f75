"""Removing page furniture from extracted text, driven by the rules in ``newsgraph/data/furniture.json``.

Two passes. Before extraction, :func:`prune_furniture` removes page elements that are furniture by their
markup (captions, newsletter and share boxes, related-link boxes, section labels). After extraction,
:func:`remove_furniture` drops the lines that still belong to the page rather than the article: an orphan
"Read more:" and the headlines linked under it, translation banners, newsletter prompts, share buttons,
photo captions, bylines; and :func:`split_dateline` takes a wire dateline ("TOKYO, May 16 (Reuters) -")
off the first paragraph. The rules that recognise all of these are data, so a new pattern is a line in
the JSON file and a test, not a code change. Only text extracted from HTML is cleaned; plain text and
JSONL are used as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from lxml.html import HtmlElement

from newsgraph.extract.discourse import match_dateline
from newsgraph.schema import normalise_text
from newsgraph.scripts import count_words

_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class LineRule:
    """One rule of ``drop_line``: a line matching ``pattern`` (and no longer than ``max_chars``) goes."""

    name: str
    pattern: re.Pattern[str]
    max_chars: int | None


@dataclass(frozen=True)
class ElementRule:
    """One rule of ``elements``: page elements that are furniture by their tag or class and id."""

    name: str
    tags: frozenset[str]
    attribute: re.Pattern[str] | None
    max_chars: int | None
    min_link_share: float | None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class FurnitureRules:
    """The compiled contents of ``furniture.json``."""

    drop_line: tuple[LineRule, ...]
    elements: tuple[ElementRule, ...]
    dateline: tuple[re.Pattern[str], ...]
    dateline_max_chars: int
    linked_headline_min_words: int
    lead_in: re.Pattern[str]
    follow_max_lines: int
    follow_max_words: int
    sentence_end: re.Pattern[str]
    author_strip: tuple[re.Pattern[str], ...]
    author_split: re.Pattern[str]
    author_reject: re.Pattern[str]
    author_max_words: int
    author_qualifier: re.Pattern[str]

    @cached_property
    def element_tags(self) -> frozenset[str]:
        """Every tag an ``elements`` rule names."""
        return frozenset(tag for rule in self.elements for tag in rule.tags)

    @cached_property
    def element_path(self) -> str:
        """XPath to the elements :func:`prune_furniture` looks at: those with a class or an id, and the
        rules' tags.

        One location path rather than a union of several, so libxml2 returns the elements in document
        order without sorting them.
        """
        tests = ["@class", "@id", *(f"self::{tag}" for tag in sorted(self.element_tags))]
        return f"//*[{' or '.join(tests)}]"

    @cached_property
    def element_keywords(self) -> re.Pattern[str] | None:
        """Every attribute rule's keywords as one expression, to search in lower-cased attributes, or None
        (no quick test) when one of the rules has none.

        Case-sensitive on purpose: on lower-cased text it runs several times faster than the same
        expression with ``re.IGNORECASE``, which defeats the engine's first-character shortcut.
        """
        attribute_rules = [rule for rule in self.elements if rule.attribute is not None]
        if any(not rule.keywords for rule in attribute_rules):
            return None
        words = sorted({word.lower() for rule in attribute_rules for word in rule.keywords})
        return re.compile("|".join(re.escape(word) for word in words) or "(?!)")

    @cached_property
    def any_element_attribute(self) -> re.Pattern[str]:
        """Every attribute rule's expression as one alternation."""
        patterns = [f"(?:{rule.attribute.pattern})" for rule in self.elements if rule.attribute is not None]
        return re.compile("|".join(patterns) or "(?!)", re.IGNORECASE)


@cache
def load_rules() -> FurnitureRules:
    """Load and compile the furniture rules shipped with the package (once per process)."""
    raw = json.loads(resources.files("newsgraph").joinpath("data/furniture.json").read_text("utf-8"))
    rules = tuple(
        LineRule(
            name=rule["name"],
            pattern=re.compile(rule["pattern"], 0 if rule.get("case_sensitive") else re.IGNORECASE),
            max_chars=rule.get("max_chars"),
        )
        for rule in raw["drop_line"]
    )
    authors = raw["authors"]
    elements = tuple(
        ElementRule(
            name=rule["name"],
            tags=frozenset(rule.get("tags", ())),
            attribute=re.compile(rule["attribute"], re.IGNORECASE) if rule.get("attribute") else None,
            max_chars=rule.get("max_chars"),
            min_link_share=rule.get("min_link_share"),
            keywords=tuple(rule.get("keywords", ())),
        )
        for rule in raw["elements"]["rules"]
    )
    return FurnitureRules(
        drop_line=rules,
        elements=elements,
        dateline=tuple(re.compile(p) for p in raw["dateline"]["patterns"]),
        dateline_max_chars=int(raw["dateline"]["max_chars"]),
        linked_headline_min_words=int(raw["linked_headline"]["min_words"]),
        lead_in=re.compile(raw["lead_in"]["pattern"], re.IGNORECASE),
        follow_max_lines=int(raw["lead_in"]["follow"]["max_lines"]),
        follow_max_words=int(raw["lead_in"]["follow"]["max_words"]),
        sentence_end=re.compile(raw["sentence_end"]["pattern"]),
        author_strip=tuple(re.compile(p, re.IGNORECASE) for p in authors["strip"]),
        author_split=re.compile(authors["split"], re.IGNORECASE),
        author_reject=re.compile(authors["reject"], re.IGNORECASE),
        author_max_words=int(authors["max_words"]),
        author_qualifier=re.compile(authors["qualifier"], re.IGNORECASE),
    )


def line_key(line: str) -> str:
    """Return ``line`` as it is compared with link texts: list marker dropped, normalised."""
    return text_key(_LIST_MARKER.sub("", line))


def text_key(text: str) -> str:
    """Return :func:`~newsgraph.schema.normalise_text` of ``text``, with a shortcut for ASCII text.

    NFKC leaves ASCII as it is, and ``str.split`` breaks on the same white space as the ``\\s`` of
    ``normalise_text``, so the result is the same, four times faster; pages have hundreds of links whose
    texts are keyed this way.
    """
    if text.isascii():
        return " ".join(text.split()).lower()
    return normalise_text(text)


def furniture_rule(line: str, rules: FurnitureRules | None = None) -> str | None:
    """Return the name of the ``drop_line`` rule that ``line`` matches, or None if it is article text."""
    rules = rules or load_rules()
    stripped = line.strip()
    for rule in rules.drop_line:
        if (rule.max_chars is None or len(stripped) <= rule.max_chars) and rule.pattern.search(stripped):
            return rule.name
    return None


def prune_furniture(tree: HtmlElement, rules: FurnitureRules | None = None) -> list[str]:
    """Remove furniture elements (``elements`` rules) from a parsed page, in place.

    An element's tail text (the text after it, which belongs to its parent) is kept. An element inside
    one already removed is not looked at again.

    Args:
        tree: The page, as :func:`trafilatura.load_html` or :mod:`lxml.html` parse it.
        rules: The rules; by default those shipped with the package.

    Returns:
        The names of the rules that removed something, one per element removed, in document order.
    """
    rules = rules or load_rules()
    tags = rules.element_tags
    quick = rules.element_keywords
    any_attribute = rules.any_element_attribute
    matches: dict[str, bool] = {}  # pages repeat their class names: test each distinct one once
    doomed: list[tuple[HtmlElement, str]] = []
    for element in tree.xpath(rules.element_path):  # document order, each element once
        if element.tag in _NEVER_PRUNED:
            continue
        attributes = f"{element.get('class') or ''} {element.get('id') or ''}"
        matched = matches.get(attributes)
        if matched is None:
            # keywords first (one substring search), the rules' expressions only on what passes it
            matched = matches[attributes] = (
                quick is None or quick.search(attributes.lower()) is not None
            ) and any_attribute.search(attributes) is not None
        if not matched and element.tag not in tags:
            continue
        rule = _element_rule(element, attributes, rules)
        if rule is not None:
            doomed.append((element, rule))
    removed: list[str] = []
    gone: set[HtmlElement] = set()
    for element, rule in doomed:
        if gone and any(parent in gone for parent in element.iterancestors()):
            continue
        gone.add(element)
        removed.append(rule)
        element.drop_tree()
    return removed


# The document's frame and the article wrapper are never furniture, whatever their class says.
_NEVER_PRUNED = frozenset({"html", "head", "body", "main", "article"})


def _element_rule(element: HtmlElement, attributes: str, rules: FurnitureRules) -> str | None:
    for rule in rules.elements:
        if element.tag not in rule.tags and (rule.attribute is None or not rule.attribute.search(attributes)):
            continue
        limit = rule.max_chars if rule.max_chars is not None else 10**9
        length = _text_length(element, limit)
        if length > limit:
            continue
        if rule.min_link_share is not None:
            linked = sum(_text_length(a, limit) for a in element.iter("a"))
            if not length or linked / length < rule.min_link_share:
                continue
        return rule.name
    return None


def _text_length(element: HtmlElement, limit: int) -> int:
    """The number of non-space characters in ``element``'s text, counted no further than past ``limit``."""
    total = 0
    for text in element.itertext():
        total += len(text) - text.count(" ") - text.count("\n") - text.count("\t")
        if total > limit:
            break
    return total


def remove_furniture(
    lines: list[str],
    link_texts: set[str] | frozenset[str] = frozenset(),
    title: str | None = None,
    labels: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """Split extracted lines into article text and page furniture.

    Args:
        lines: The extracted text, one paragraph (or heading, list item, table row) per line.
        link_texts: Normalised texts (:func:`~newsgraph.schema.normalise_text`) of the links on the
            page; a line that is nothing but a link, after a "Read more:" heading, is a linked headline.
        title: The page title; a heading repeating it among the first lines is dropped, since the
            title is kept in :attr:`Article.title`.
        labels: Normalised section and category names the page declares (``article:section``); a line
            among the first three that is only one of them is a section label, not text.

    Returns:
        The lines to keep and the lines dropped, each in their original order.
    """
    rules = load_rules()
    kept: list[str] = []
    dropped: list[str] = []
    title_key = normalise_text(title) if title else None
    follow = 0  # lines after a lead-in that may still be linked headlines
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        key = line_key(stripped)
        if follow and (key in link_texts or _reads_as_headline(stripped, rules)):
            follow -= 1
            dropped.append(stripped)
            continue
        follow = 0
        if rules.lead_in.search(stripped):
            follow = rules.follow_max_lines
            dropped.append(stripped)
        elif (
            (index < 3 and (_repeats_title(key, title_key) or key in labels))
            or (key in link_texts and _is_linked_headline(stripped, rules))
            or furniture_rule(stripped, rules)
        ):
            dropped.append(stripped)
        else:
            kept.append(stripped)
    return kept, dropped


def split_dateline(paragraph: str, rules: FurnitureRules | None = None) -> tuple[str | None, str]:
    """Split a wire dateline off the start of an article's first paragraph.

    "TOKYO, May 16 (Reuters) - Japan and Portugal ..." gives ``("TOKYO, May 16 (Reuters)", "Japan and
    Portugal ...")``. A paragraph without one comes back whole, with None.
    """
    rules = rules or load_rules()
    found = match_dateline(paragraph, patterns=rules.dateline, max_chars=rules.dateline_max_chars)
    if found is None:
        return None, paragraph
    return paragraph[found.start : found.end].strip(), paragraph[found.next :]


def _repeats_title(key: str, title_key: str | None) -> bool:
    """True when a line is the title, or the title is the line plus a site name ("Headline | Site")."""
    if not title_key or not key or not title_key.startswith(key):
        return False
    rest = title_key[len(key) :].lstrip()
    return not rest or rest[0] in "|-–—:·•"


def _is_linked_headline(line: str, rules: FurnitureRules) -> bool:
    return count_words(line) >= rules.linked_headline_min_words and _reads_as_headline(line, rules)


def _reads_as_headline(line: str, rules: FurnitureRules) -> bool:
    return count_words(line) <= rules.follow_max_words and not rules.sentence_end.search(line)


def clean_authors(raw: str | list[str] | None) -> list[str]:
    """Turn a byline into a list of names: "By Maria Lopes and Tom Reyes, Staff Writers" → two names.

    Prefixes ("By", "Written by"), handles, email addresses, roles, places ("in Tokyo", "Maria Lopes,
    Tokyo") and dates are removed; pieces that are not names (with digits, URLs, desk or team names,
    contact prompts such as "Email the author", more than a few words) are dropped. Names written in
    capitals ("NAOKI FUJISAWA") are put in title case.
    """
    if not raw:
        return []
    rules = load_rules()
    pieces = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for piece in pieces:
        if not isinstance(piece, str):
            continue
        for pattern in rules.author_strip:
            piece = pattern.sub("", piece.strip())
        parts = [part for part in rules.author_split.split(piece) if part and part.strip()]
        listed = len(parts) > 1
        for part in parts:
            # In "Maria Lopes, Tokyo" what follows the comma qualifies the name (a place, a role); in a
            # list of names ("A, B and C") it is another name.
            chunks = part.split(",")
            for position, chunk in enumerate(chunks if listed else chunks[:1]):
                name = _author_name(chunk, rules)
                if name and (position == 0 or len(name.split()) > 1) and name not in names:
                    names.append(name)
    return names


def _author_name(text: str, rules: FurnitureRules) -> str | None:
    name = text.strip(" \t-–—|:;,.'\"()[]/")
    for pattern in rules.author_strip[:1]:  # "By" again, as in "Text and photos by ..."
        name = pattern.sub("", name)
    name = rules.author_qualifier.sub("", name).strip(" \t-–—|:;,.'\"()[]/")
    if not name or len(name.split()) > rules.author_max_words or rules.author_reject.search(name):
        return None
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name
