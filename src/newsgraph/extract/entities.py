"""Entities: spaCy's named entities clustered within one article, with roles and nominal aliases.

"Foreign Minister Ana Ribeiro" … "Ms Ribeiro" … "Ribeiro" … "the minister" become one PERSON entity named
Ana Ribeiro, role "Foreign Minister", with every mention's span. Names are clustered here; descriptions ("the
minister"), short forms ("the North") and pronouns are resolved in :mod:`newsgraph.extract.mentions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.extract import countries
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.lexicon import (
    HONORIFICS,
    NEWS_WORDS,
    ORG_ROLE_NOUNS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
)
from newsgraph.extract.mentions import gender_of, link_descriptions
from newsgraph.schema import Entity

__all__ = ["ENTITY_LABELS", "ORG_HEADS", "find_entities", "gender_of", "is_news_organisation"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PLACE_TYPES = frozenset({"GPE", "NORP", "LOC"})
# Last words that make a name an organisation's: the role nouns of organisations and a few more.
ORG_HEADS = ORG_ROLE_NOUNS | {"guard", "forces", "force", "navy", "institute", "association"}
_STRIP_LEADING = frozenset({"the", "a", "an"})
_STRIP_TRAILING = frozenset({"'s", "’s", "'", "’"})


@dataclass
class _Cluster:
    type: str
    tokens: list[str]
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    role: str | None = None
    keys: set[str] = field(default_factory=set)
    # The name's words in lower case and its acronym, kept with ``tokens`` (see :meth:`rename`): every
    # mention is compared with every cluster.
    low: list[str] = field(init=False)
    acronym: str = field(init=False)

    def __post_init__(self) -> None:
        self.rename(self.tokens, self.name)

    def rename(self, tokens: list[str], name: str) -> None:
        self.tokens, self.name = tokens, name
        self.low = [t.lower() for t in tokens]
        self.acronym = _acronym(tokens)

    @property
    def surname(self) -> str:
        """The family name in lower case: first in "Choi Min-seok" (a hyphenated given name), last in "Ana
        Ribeiro"."""
        return self.low[0] if "-" in self.low[1:] else self.low[-1]

    def add(self, text: str, span: tuple[int, int]) -> None:
        if text != self.name and text not in self.aliases:
            self.aliases.append(text)
        if span not in self.mentions:
            self.mentions.append(span)


def is_news_organisation(name: str) -> bool:
    """Return True when ``name`` looks like a news outlet or agency ("Kyodo News", "NHK", "Reuters")."""
    return any(word.strip(".,'’").lower() in NEWS_WORDS for word in name.split())


def _trim(ent: Span) -> Span | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    # Hyphenated given names the model cuts short: "Choi Min" + "-" + "seok".
    while (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    ):
        end += 2
    while start < end and doc[start].lower_ in _STRIP_LEADING:
        start += 1
    while end > start and (doc[end - 1].lower_ in _STRIP_TRAILING or doc[end - 1].is_punct):
        end -= 1
    # "Xinhua quoted Mr Ota": the tagger ran a name on over the verb after it.
    for i in range(start + 1, end):
        if doc[i].pos_ == "VERB" and doc[i].tag_ in ("VBD", "VBZ", "VBP"):
            end = i
            break
    # "Japan's Kyodo News": the possessor is a separate entity.
    for i in range(end - 2, start - 1, -1):
        if doc[i].tag_ == "POS":
            start = i + 1
            break
    return doc[start:end] if end > start else None


def _title_words(tokens: list[Token]) -> str | None:
    words = [t.text for t in tokens]
    return " ".join(words) if words else None


def _preceding_role(span: Span) -> list[Token]:
    """Title tokens right before a name: "Foreign Minister" in "Foreign Minister Ana Ribeiro"."""
    doc = span.doc
    out: list[Token] = []
    i = span.start - 1
    # Within the name's sentence (``Span.sent`` would walk the whole Doc for every name).
    while i >= 0 and not doc[i + 1].is_sent_start:
        tok = doc[i]
        low = tok.lower_
        if (low in ROLE_NOUNS or low in ROLE_MODIFIERS) and tok.ent_type_ != "PERSON":
            out.insert(0, tok)
            i -= 1
            continue
        break
    # A role must end in a head noun: "Foreign" alone is not a role.
    while out and out[-1].lower_ not in ROLE_NOUNS:
        out.pop()
    return out


def _appositive_role(span: Span) -> str | None:
    """Role from an appositive: "Kenji Ota, a spokesman for the ministry," → "spokesman"."""
    for tok in span:
        for child in tok.children:
            if child.dep_ == "appos" and child.lower_ in ROLE_NOUNS:
                mods = [
                    c for c in child.lefts if c.dep_ in ("compound", "amod") and c.lower_ in ROLE_MODIFIERS
                ]
                return " ".join([m.text for m in mods] + [child.text])
    return None


def _split_name(span: Span) -> tuple[list[Token], str | None, str | None]:
    """Return (name tokens, honorific, leading title) of a name mention."""
    tokens = list(span)
    honorific = None
    title: list[Token] = []
    while len(tokens) > 1 and (tokens[0].lower_ in ROLE_NOUNS or tokens[0].lower_ in ROLE_MODIFIERS):
        title.append(tokens.pop(0))
    while title and title[-1].lower_ not in ROLE_NOUNS:
        tokens.insert(0, title.pop())
    if len(tokens) > 1 and tokens[0].lower_ in HONORIFICS:
        honorific = tokens.pop(0).text
    return tokens, honorific, _title_words(title)


def _acronym(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t[:1].isupper())


def find_entities(doc: Doc) -> list[Entity]:
    """Cluster the named entities of ``doc`` into article-level entities.

    Args:
        doc: A parsed Doc with ``doc.ents`` set.

    Returns:
        Entities ordered by first mention, ids ``e1``, ``e2``…; nominal mentions ("the minister",
        "the agency") are added to the entity they refer to.
    """
    clusters: list[_Cluster] = []
    text = doc_text(doc)
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        span = _trim(ent)
        if span is None:
            continue
        if ent.label_ != "PERSON" and _is_title_word(span):
            continue
        tokens, honorific, title = _split_name(span)
        role_tokens = _preceding_role(span)
        role = title or _title_words(role_tokens) or _appositive_role(span)
        label = ent.label_
        if label != "PERSON" and (honorific or (role and role.split()[-1].lower() not in ORG_ROLE_NOUNS)):
            label = "PERSON"
        elif label in _PLACE_TYPES and len(tokens) > 1 and tokens[-1].lower_ in ORG_HEADS:
            # "Japanese Foreign Ministry", "Japan Coast Guard": an organisation named after a place.
            label = "ORG"
        if not tokens:
            continue
        words = [t.text for t in tokens]
        name = text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        key = " ".join(words).lower()
        mention = (span.start_char, span.end_char)
        cluster = _match(clusters, label, words, key)
        if cluster is None:
            cluster = _Cluster(type=label, tokens=words, name=name)
            clusters.append(cluster)
        elif label == "PERSON" and len(words) > len(cluster.tokens):
            # A fuller name arrives after a short one ("Ribeiro" … "Ana Ribeiro"): it becomes the name.
            if cluster.name not in cluster.aliases:
                cluster.aliases.append(cluster.name)
            cluster.rename(words, name)
        cluster.keys.add(key)
        cluster.add(span.text, mention)
        if role and not cluster.role:
            cluster.role = role
    _people_by_pronoun(doc, clusters)
    clusters = _fold_short_forms(_fold_agency_names(_fold_person_names(clusters)))
    entities = []
    ordered = sorted((c for c in clusters if c.mentions), key=lambda c: min(c.mentions))
    for i, c in enumerate(ordered, 1):
        aliases = [a for a in c.aliases if a != c.name]
        entities.append(Entity(f"e{i}", c.name, c.type, aliases, sorted(c.mentions), c.role))
    # Descriptions and short forms ("the minister", "the island") are decided in one place for every stage.
    link_descriptions(doc, entities)
    return entities


def _match(clusters: list[_Cluster], label: str, words: list[str], key: str) -> _Cluster | None:
    low = [w.lower() for w in words]
    # A single word that is a known person's surname is that person, whatever spaCy called it.
    for c in reversed(clusters):
        if c.type != "PERSON":
            continue
        if key in c.keys:
            return c
        names = c.low
        if len(low) == 1 and low[0] in (names[-1], names[0]) and (label == "PERSON" or low[0] == c.surname):
            return c
        if (
            label == "PERSON"
            and len(low) > 1
            and low[-1] == names[-1]
            and (len(names) == 1 or low[0] == names[0])
        ):
            return c
    if label == "PERSON":
        return None
    acronym = _acronym(words)
    for c in reversed(clusters):
        if c.type == "PERSON":
            continue
        if key in c.keys:
            return c
        names = c.low
        if len(low) == 1 and words[0].isupper() and words[0] == c.acronym:
            return c
        if len(c.tokens) == 1 and c.tokens[0].isupper() and c.tokens[0] == acronym:
            return c
        if c.type in _PLACE_TYPES and label != c.type:
            continue  # "Japan" is not the Japan Coast Guard
        shorter, longer = (low, names) if len(low) < len(names) else (names, low)
        if shorter and longer[: len(shorter)] == shorter and label in ("ORG", c.type):
            return c
    return None


_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "hers"})


def _people_by_pronoun(doc: Doc, clusters: list[_Cluster]) -> None:
    """A name the tagger called an organisation that a personal pronoun takes up is a person's: "Helena
    Marques travels to Osaka, where she will visit …". Only names of two or three capitalised words with no
    word of an organisation's name ("Ministry", "News") and no person named between the name and "she"."""
    for c in clusters:
        if c.type != "ORG" or not 2 <= len(c.tokens) <= 3 or c.role:
            continue
        if not all(t[:1].isupper() and t.isalpha() for t in c.tokens) or set(c.low) & (
            ORG_HEADS | NEWS_WORDS
        ):
            continue
        for start, end in c.mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            following = doc[span.end : span.sent.end] if span.sent.end > span.end else []
            pronoun = next((t for t in following if t.lower_ in _PERSONAL_PRONOUNS), None)
            if pronoun is not None and not any(t.ent_type_ == "PERSON" for t in doc[span.end : pronoun.i]):
                c.type = "PERSON"
                break


def _fold_person_names(clusters: list[_Cluster]) -> list[_Cluster]:
    """A one-word place or organisation that is a person's surname, or that the person goes by elsewhere in
    the article, is that person: the tagger can call "Liang" a place before it knows Liang Weiguo as "Liang"
    (:func:`_match` sees the mentions in text order)."""
    people: dict[str, _Cluster] = {}
    for c in clusters:
        if c.type == "PERSON":
            for key in (*c.keys, c.surname):
                people.setdefault(key, c)
    return _fold(clusters, lambda c: people.get(c.low[0]) if c.type != "PERSON" and len(c.low) == 1 else None)


def _fold_agency_names(clusters: list[_Cluster]) -> list[_Cluster]:
    """A one-word "person" that opens the name of a news organisation of the article is that organisation:
    the tagger can call "Yonhap" a person after "Yonhap News Agency" (:func:`_match` keeps people and
    organisations apart)."""
    agencies = {
        c.low[0]: c for c in clusters if c.type == "ORG" and len(c.low) > 1 and is_news_organisation(c.name)
    }
    return _fold(
        clusters,
        lambda c: agencies.get(c.low[0]) if c.type == "PERSON" and len(c.low) == 1 and not c.role else None,
    )


def _is_title_word(span: Span) -> bool:
    """ "Trade" in "Trade Minister Kenji Ota": words that qualify a role before a name are part of the
    person's title, not an organisation of their own."""
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    return (
        following is not None
        and following.lower_ in ROLE_NOUNS
        and all(t.lower_ in ROLE_MODIFIERS for t in span)
    )


# Short forms an article uses for a country it has named ("the North" for North Korea).
_SHORT_FORMS = frozenset({"north", "south", "east", "west"})


def _fold_short_forms(clusters: list[_Cluster]) -> list[_Cluster]:
    """ "The North", "the South": a one-word direction that opens the name of a country or its people in the
    article ("North Korea", "North Korean") is that country, not an entity of its own."""

    def into(c: _Cluster) -> _Cluster | None:
        if c.type == "PERSON" or len(c.low) != 1 or c.low[0] not in _SHORT_FORMS:
            return None
        named = [o for o in clusters if len(o.low) > 1 and o.low[0] == c.low[0] and o.type in ("GPE", "NORP")]
        return min(named, key=lambda o: (o.type != "GPE", min(o.mentions)), default=None)

    kept = _fold(clusters, into)
    for c in kept:
        if c.type != "PERSON" and len(c.low) == 1 and c.low[0] in _SHORT_FORMS:
            _name_counterpart(c, kept)
    return kept


def _name_counterpart(short: _Cluster, clusters: list[_Cluster]) -> None:
    """ "The South" in an article that names only North Korea is South Korea, not an entity called "South":
    the other direction of a country the article names, when that makes a country's name."""
    for other in clusters:
        if other.type not in ("GPE", "NORP") or len(other.low) < 2 or other.low[0] not in _SHORT_FORMS:
            continue
        match = countries.lookup(" ".join([short.tokens[0].capitalize(), *other.tokens[1:]]))
        if match is not None and match.kind in ("name", "demonym"):
            if short.name not in short.aliases:
                short.aliases.append(short.name)
            short.rename(match.country.name.split(), match.country.name)
            short.type = "GPE"
            return


def _fold(clusters: list[_Cluster], into: Callable[[_Cluster], _Cluster | None]) -> list[_Cluster]:
    """The clusters left once each that ``into`` maps to another has given that one its mentions."""
    kept = []
    for c in clusters:
        target = into(c)
        if target is None or target is c:
            kept.append(c)
            continue
        for span in c.mentions:
            target.add(c.name, span)
    return kept
