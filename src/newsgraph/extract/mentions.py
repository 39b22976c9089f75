"""Mentions: the one place that decides which entity a description, a short form or a pronoun refers to.

:func:`find_entities <newsgraph.extract.entities.find_entities>` clusters the names of an article; this module
adds the mentions that are not names, and every later stage reads the result instead of resolving on its own:

- **descriptions**: "the minister", "the agency", "the company" join the entity last described that way;
- **short forms**: "the North" and "the South" join the country the article named ("North Korea", "North
  Korean"), "the island" the island country it named ("Taiwan"), "the kingdom" the kingdom;
- **pronouns**: "he", "she", "it", "they" … join the nearest entity before them that fits (a person for
  "she", unless the article calls that person "Mr"; a country, organisation or people for "it" and "they"),
  within :data:`WINDOW` sentences.

The ``newsgraph_coref`` component (:mod:`newsgraph.components`) stores the :class:`Coreference` on the Doc
(``doc._.coref``); attribution (speakers) and event coding (actors) read pronoun antecedents from it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import ENT_TYPE, LOWER
from spacy.tokens import Doc

from newsgraph.extract import countries
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.lexicon import FEMALE_HONORIFICS, MALE_HONORIFICS, ORG_ROLE_NOUNS, ROLE_NOUNS
from newsgraph.schema import Entity

# How many sentences before its own a pronoun looks for its antecedent (0: its own sentence only).
WINDOW = 2

# The entity types each pronoun can stand for, and the gender a personal pronoun gives.
PRONOUN_TYPES: dict[str, tuple[str, ...]] = {
    "he": ("PERSON",),
    "him": ("PERSON",),
    "his": ("PERSON",),
    "she": ("PERSON",),
    "her": ("PERSON",),
    "hers": ("PERSON",),
    "it": ("GPE", "ORG", "NORP"),
    "its": ("GPE", "ORG", "NORP"),
    "they": ("ORG", "GPE", "NORP"),
    "them": ("ORG", "GPE", "NORP"),
    "their": ("ORG", "GPE", "NORP"),
    "we": ("ORG", "GPE", "PERSON"),
    "our": ("ORG", "GPE", "PERSON"),
    "i": ("PERSON",),
}
GENDERS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

# Directions that open a country's name and stand for it alone ("the North" for North Korea).
_DIRECTIONS = frozenset({"north", "south", "east", "west"})
# Nouns that stand for a country the article named, and the countries (ISO alpha-3) they can stand for.
_ISLANDS = frozenset(
    {"TWN", "CUB", "CYP", "LKA", "ISL", "MDG", "JAM", "PRI", "GRL", "SGP", "MLT", "BHR", "MUS", "IRL", "TLS"}
)
_KINGDOMS = frozenset(
    {"SAU", "MAR", "JOR", "BHR", "THA", "GBR", "ESP", "NLD", "BEL", "NOR", "SWE", "DNK", "BTN", "KHM", "LSO"}
)
SHORT_FORMS: dict[str, frozenset[str]] = {
    "island": _ISLANDS,
    "kingdom": _KINGDOMS,
    "city-state": frozenset({"SGP"}),
    "emirate": frozenset({"QAT", "KWT"}),
}
_COUNTRY_TYPES = ("GPE", "NORP")
_NEWS_NOUNS = frozenset(
    {"agency", "broadcaster", "newspaper", "paper", "daily", "outlet", "network", "station"}
)
_COMPANY_NOUNS = frozenset({"company", "firm"})
_PUBLIC_BODY_WORDS = frozenset(
    {"ministry", "department", "agency", "office", "government", "council", "committee", "embassy", "army"}
)


@dataclass
class Coreference:
    """The pronouns of an article and the entities they refer to.

    Args:
        window: The sentence window the pronouns were resolved with.
        pronouns: ``(start, end, entity id)`` of each resolved pronoun, in text order.
    """

    window: int = WINDOW
    pronouns: list[tuple[int, int, str]] = field(default_factory=list)

    def antecedent(self, start: int) -> str | None:
        """The id of the entity the pronoun starting at character ``start`` refers to, or None."""
        i = bisect.bisect_left(self.pronouns, (start, -1, ""))
        if i < len(self.pronouns) and self.pronouns[i][0] == start:
            return self.pronouns[i][2]
        return None

    def clusters(self, entities: Sequence[Entity]) -> dict[str, list[tuple[int, int]]]:
        """Every mention of each entity, names, descriptions and pronouns, in text order."""
        out: dict[str, list[tuple[int, int]]] = {e.id: list(e.mentions) for e in entities}
        for start, end, entity in self.pronouns:
            out.setdefault(entity, []).append((start, end))
        return {k: sorted(v) for k, v in out.items()}

    def to_dict(self, entities: Sequence[Entity] = ()) -> dict[str, Any]:
        """The JSON form: the window, the pronouns and, given the entities, every entity's mentions."""
        clusters = self.clusters(entities) if entities else {}
        return {
            "window": self.window,
            "pronouns": [list(p) for p in self.pronouns],
            "clusters": {k: [list(m) for m in v] for k, v in clusters.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coreference:
        return cls(
            data.get("window", WINDOW), [(int(s), int(e), str(i)) for s, e, i in data.get("pronouns", [])]
        )


def gender_of(entity: Entity) -> str | None:
    """Return "m" or "f" when an honorific in the entity's names tells it, else None."""
    for alias in [entity.name, *entity.aliases]:
        first = alias.split()[0].lower() if alias.split() else ""
        if first in MALE_HONORIFICS:
            return "m"
        if first in FEMALE_HONORIFICS:
            return "f"
    return None


def resolve_mentions(doc: Doc, entities: list[Entity], window: int = WINDOW) -> Coreference:
    """Add the descriptions and short forms of ``doc`` to ``entities`` (in place) and resolve its pronouns.

    Args:
        doc: A parsed Doc with ``doc.ents`` set.
        entities: The article's entities from :func:`newsgraph.extract.entities.find_entities`; their
            ``mentions`` gain "the minister", "the North", "the island" and the like.
        window: Sentences before its own a pronoun looks back.

    Returns:
        The :class:`Coreference` of the pronouns.
    """
    link_descriptions(doc, entities)
    return Coreference(window, resolve_pronouns(doc, entities, window))


def resolve_pronouns(
    doc: Doc, entities: Sequence[Entity], window: int = WINDOW
) -> list[tuple[int, int, str]]:
    """``(start, end, entity id)`` for each pronoun of ``doc`` whose antecedent lies within ``window``
    sentences: the nearest mention before it of an entity of a type the pronoun can stand for (and of its
    gender, where the article tells a person's)."""
    if not entities or len(doc) == 0:
        return []
    mentions = sorted((s, e, ent) for ent in entities for s, e in ent.mentions)
    starts = [s for s, _, _ in mentions]
    sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    found = []
    # Only the pronouns are visited: found in the Doc's arrays rather than Token by Token.
    words = np.array([doc.vocab.strings.add(word) for word in PRONOUN_TYPES], dtype=np.uint64)
    for i in np.isin(doc.to_array(LOWER), words).nonzero()[0].tolist():
        tok = doc[i]
        low = tok.lower_
        types = PRONOUN_TYPES[low]
        index = max(0, bisect.bisect_right(sentence_starts, tok.idx) - 1)
        floor = sentence_starts[max(0, index - window)]
        gender = GENDERS.get(low)
        for n in range(bisect.bisect_left(starts, tok.idx) - 1, -1, -1):
            start, _, ent = mentions[n]
            if start < floor:
                break
            if ent.type in types and (gender is None or gender_of(ent) in (None, gender)):
                found.append((tok.idx, tok.idx + len(tok.text), ent.id))
                break
    return found


def link_descriptions(doc: Doc, entities: list[Entity]) -> None:
    """Add "the minister", "the spokesman", "the agency", "the North", "the island" to the entity they
    refer to: the one last described that way, or the country the article named."""
    text = doc_text(doc)
    # Only "the" outside entities can start one: found in the Doc's arrays rather than Token by Token.
    the = doc.vocab.strings["the"]
    candidates = (doc.to_array(LOWER) == the) & (doc.to_array(ENT_TYPE) == 0)
    for i in candidates.nonzero()[0].tolist():
        tok = doc[i]
        if i + 1 < len(doc):
            short = _short_form(doc, i + 1, entities)
            if short is not None:
                end = doc[i + 1].idx + len(doc[i + 1].text)
                _add(short, text[tok.idx : end], (tok.idx, end))
                continue
        head = tok.head
        if head.i <= tok.i or head.i - tok.i > 4 or head.ent_type_ or head.tag_ not in ("NN", "NNP"):
            continue
        noun = head.lower_
        if noun not in ROLE_NOUNS and noun not in ORG_ROLE_NOUNS:
            continue
        if any(t.ent_type_ or t.is_punct for t in doc[tok.i + 1 : head.i]):
            continue
        if head.i + 1 < len(doc) and doc[head.i + 1].tag_ == "POS":
            continue
        start, end = tok.idx, head.idx + len(head.text)
        target = _resolve_description(entities, noun, start)
        if target is not None:
            _add(target, text[start:end], (start, end))


def _add(entity: Entity, text: str, span: tuple[int, int]) -> None:
    if text != entity.name and text not in entity.aliases:
        entity.aliases.append(text)
    if span not in entity.mentions:
        entity.mentions.append(span)
        entity.mentions.sort()


def _short_form(doc: Doc, i: int, entities: Sequence[Entity]) -> Entity | None:
    """The country entity that the word at ``i`` (after "the") stands for: "North" for North Korea (or the
    North Korean people, when the article names no more), "island" for Taiwan; None for other words, and
    where the article names no such country or several."""
    tok = doc[i]
    low = tok.lower_
    if tok.ent_type_:
        return None  # a direction the tagger named is folded into its country with the names
    if low in _DIRECTIONS:
        if not tok.text[0].isupper() or (i + 1 < len(doc) and doc[i + 1].pos_ in ("PROPN", "NOUN")):
            return None  # "the north of the country", "the South China Sea"
        named = [
            e
            for e in entities
            if e.type in _COUNTRY_TYPES and e.name.split()[0].lower() == low and " " in e.name
        ]
        return min(named, key=lambda e: (e.type != "GPE", min(e.mentions)), default=None)
    codes = SHORT_FORMS.get(low)
    if codes is None or (i + 1 < len(doc) and doc[i + 1].pos_ in ("PROPN", "NOUN")):
        return None
    named = []
    for e in entities:
        if e.type != "GPE" or not e.mentions or e.mentions[0][0] >= tok.idx:
            continue
        country = countries.by_name(e.name)
        if country is not None and country.alpha3 in codes and all(country.alpha3 != c for c, _ in named):
            named.append((country.alpha3, e))
    return named[0][1] if len(named) == 1 else None


def _resolve_description(entities: Sequence[Entity], noun: str, position: int) -> Entity | None:
    before = [e for e in entities if e.mentions and min(e.mentions)[0] < position]
    before.sort(key=lambda e: max(s for s, _ in e.mentions if s < position), reverse=True)
    for e in before:
        if e.type == "PERSON" and e.role and noun in e.role.lower().split():
            return e
    if noun not in ORG_ROLE_NOUNS:
        return None
    for e in before:
        if e.type == "ORG" and noun in e.name.lower().split():
            return e
    if noun in _NEWS_NOUNS:
        for e in before:
            if e.type == "ORG" and _is_news(e.name):
                return e
    if noun in _COMPANY_NOUNS:
        # "the company said": the business the article is about, the one named most often so far (the
        # latest on a tie), not an agency, ministry or outlet.
        businesses = [
            e
            for e in before
            if e.type == "ORG"
            and not _is_news(e.name)
            and not set(e.name.lower().split()) & _PUBLIC_BODY_WORDS
        ]
        if businesses:
            return max(
                businesses,
                key=lambda e: (
                    sum(s < position for s, _ in e.mentions),
                    max(s for s, _ in e.mentions if s < position),
                ),
            )
    return None


def _is_news(name: str) -> bool:
    from newsgraph.extract.entities import is_news_organisation

    return is_news_organisation(name)
