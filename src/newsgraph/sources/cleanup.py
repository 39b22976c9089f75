"""Removing page furniture from extracted text, driven by the rules in ``newsgraph/data/furniture.json``.

Extraction keeps some lines that belong to the page rather than the article: an orphan "Read more:"
and the headlines linked under it, translation banners, newsletter prompts, share buttons, photo captions,
bylines. The rules that recognise them are data, so a new pattern is a line in the JSON file and a test,
not a code change. Only text extracted from HTML is cleaned; plain text and JSONL are used as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsgraph.schema import normalise_text

_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class LineRule:
    """One rule of ``drop_line``: a line matching ``pattern`` (and no longer than ``max_chars``) goes."""

    name: str
    pattern: re.Pattern[str]
    max_chars: int | None


@dataclass(frozen=True)
class FurnitureRules:
    """The compiled contents of ``furniture.json``."""

    drop_line: tuple[LineRule, ...]
    lead_in: re.Pattern[str]
    follow_max_lines: int
    follow_max_words: int
    sentence_end: re.Pattern[str]
    author_strip: tuple[re.Pattern[str], ...]
    author_split: re.Pattern[str]
    author_reject: re.Pattern[str]
    author_max_words: int


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
    return FurnitureRules(
        drop_line=rules,
        lead_in=re.compile(raw["lead_in"]["pattern"], re.IGNORECASE),
        follow_max_lines=int(raw["lead_in"]["follow"]["max_lines"]),
        follow_max_words=int(raw["lead_in"]["follow"]["max_words"]),
        sentence_end=re.compile(raw["sentence_end"]["pattern"]),
        author_strip=tuple(re.compile(p, re.IGNORECASE) for p in authors["strip"]),
        author_split=re.compile(authors["split"], re.IGNORECASE),
        author_reject=re.compile(authors["reject"], re.IGNORECASE),
        author_max_words=int(authors["max_words"]),
    )


def line_key(line: str) -> str:
    """Return ``line`` as it is compared with link texts: list marker dropped, normalised."""
    return normalise_text(_LIST_MARKER.sub("", line))


def furniture_rule(line: str, rules: FurnitureRules | None = None) -> str | None:
    """Return the name of the ``drop_line`` rule that ``line`` matches, or None if it is article text."""
    rules = rules or load_rules()
    stripped = line.strip()
    for rule in rules.drop_line:
        if (rule.max_chars is None or len(stripped) <= rule.max_chars) and rule.pattern.search(stripped):
            return rule.name
    return None


def remove_furniture(
    lines: list[str], link_texts: set[str] | frozenset[str] = frozenset(), title: str | None = None
) -> tuple[list[str], list[str]]:
    """Split extracted lines into article text and page furniture.

    Args:
        lines: The extracted text, one paragraph (or heading, list item, table row) per line.
        link_texts: Normalised texts (:func:`~newsgraph.schema.normalise_text`) of the links on the
            page; a line that is nothing but a link, after a "Read more:" heading, is a linked headline.
        title: The page title; a heading repeating it among the first lines is dropped, since the
            title is kept in :attr:`Article.title`.

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
        elif (index < 3 and _repeats_title(key, title_key)) or furniture_rule(stripped, rules):
            dropped.append(stripped)
        else:
            kept.append(stripped)
    return kept, dropped


def _repeats_title(key: str, title_key: str | None) -> bool:
    """True when a line is the title, or the title is the line plus a site name ("Headline | Site")."""
    if not title_key or not key or not title_key.startswith(key):
        return False
    rest = title_key[len(key) :].lstrip()
    return not rest or rest[0] in "|-–—:·•"


def _reads_as_headline(line: str, rules: FurnitureRules) -> bool:
    return len(line.split()) <= rules.follow_max_words and not rules.sentence_end.search(line)


def clean_authors(raw: str | list[str] | None) -> list[str]:
    """Turn a byline into a list of names: "By Maria Lopes and Tom Reyes, Staff Writers" → two names.

    Prefixes ("By", "Written by"), handles, email addresses, roles and dates are removed; pieces that
    are not names (with digits, URLs, desk or team names, more than a few words) are dropped.
    """
    if not raw:
        return []
    rules = load_rules()
    pieces = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for piece in pieces:
        for pattern in rules.author_strip:
            piece = pattern.sub("", piece.strip())
        for part in rules.author_split.split(piece):
            name = part.strip(" \t-–—|:;,.'\"()[]")
            for pattern in rules.author_strip[:1]:  # "By" again, as in "Text and photos by ..."
                name = pattern.sub("", name)
            if (
                name
                and len(name.split()) <= rules.author_max_words
                and not rules.author_reject.search(name)
                and name not in names
            ):
                names.append(name)
    return names
