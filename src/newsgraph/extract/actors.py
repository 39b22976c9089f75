"""Actors: the country and sector of an entity or of a noun phrase such as "Afghan rebels".

Event coding needs to know, for "Portuguese Foreign Minister Helena Marques", that she acts for Portugal
(PRT) as government (GOV); for "Turkish police", Turkey and police (COP); for "the U.N. Security
Council", an intergovernmental organisation (IGO, no country). Three sources of evidence, first hit wins:

1. a named organisation whose words do not say its country (``data/actors.json``: news agencies,
   armed groups, seats such as "Kremlin") or an international organisation ("United Nations" → IGO,
   "Amnesty International" → NGO); no people are listed: a person's country comes from the article;
2. country words in or around the mention: the name itself ("Japan", "Sudanese government",
   "Bank of Portugal"), a demonym or country before it ("Portuguese Foreign Minister …",
   "Japan's Kyodo News"), an appositive ("her Japanese counterpart, Daisuke Hayama") or an
   "of"/"in"/"from" phrase ("the president of Armenia", "rebels in Darfur");
3. sector words: titles and head nouns ("Foreign Minister" → GOV, "rebels" → REB, "police" → COP),
   with generic heads ("officials", "leaders", "forces", "group") deferring to their modifiers
   ("rebel leaders" → REB, "security forces" → COP): the role-noun table ``data/sectors.json``.

An entity's country is looked for in every one of its mentions, so "Iranian President Hassan Rouhani" early
in an article gives "Rouhani" its country later. Sector codes are PLOVER's (see ``data/sectors.json``); a
country is an ISO 3166-1 alpha-3 code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.extract import countries
from newsgraph.extract.doctext import doc_text
from newsgraph.schema import Entity

__all__ = [
    "Actor",
    "EntityIndex",
    "actor_of_entity",
    "describe_entities",
    "describe_entity",
    "describe_phrase",
    "infer_country",
    "infer_target_country",
    "international_code",
    "known_actor",
    "sector_of_words",
]

# Longest multi-word sector entry ("joint chiefs of staff"); phrases are scanned for n-grams up to it.
_MAX_NGRAM = 4
# Longest country name in tokens: "Democratic People 's Republic of Korea".
_MAX_NAME_TOKENS = 7

# Dependency labels that attach modifiers inside a noun phrase.
_NP_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "npadvmod"})
# Prepositions whose object tells a phrase's country: "president of Armenia", "rebels in Darfur",
# "doctors from Switzerland".
_COUNTRY_PREPS = frozenset({"of", "in", "from"})
# PLOVER's non-state actor codes that newsgraph assigns: intergovernmental and non-governmental
# organisations, and transnational militarized groups.
_GROUPS = frozenset({"IGO", "NGO", "IMG"})
# Sectors that act within their own country: a judge, the police or protesters with no country of their
# own are taken to belong to the country of their target or of the place they act in.
DOMESTIC_SECTORS = frozenset(
    {"JUD", "COP", "LEG", "OPP", "PTY", "CVL", "EDU", "LAB", "AGR", "MED", "REB", "REF", "JRN", "REL", "SOC",
     "CRM", "UAF"}
)  # fmt: skip
# Words that make an organisation without a country international ("Association of African Jurists",
# "Third World Water Forum"); the known intergovernmental ones are listed in data/actors.json.
_INTERNATIONAL_WORDS = frozenset(
    {"international", "world", "global", "african", "asian", "european", "arab", "islamic", "regional",
     "americas", "pan-african", "transnational", "worldwide"}
)  # fmt: skip
# Heads that stand for their "of" phrase: "a group of Moroccan diplomats", "members of the Association".
_COLLECTIVES = frozenset({"group", "groups", "members", "member", "team", "delegation", "number", "dozens"})


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted upon in an event.

    Args:
        name: The actor as the text names it: an entity's name or the noun phrase ("Afghan rebels").
        country: ISO 3166-1 alpha-3 code, when known.
        sector: PLOVER sector code, when known.
        entity: Id of the entity the actor is, when it is a named entity.
        span: Character span of the phrase in the text.
        state: The actor is a state named by its country, capital or seat ("Japan", "the Kremlin").
        group: IGO or NGO for an international organisation or its people ("UN peacekeepers").
    """

    name: str
    country: str | None = None
    sector: str | None = None
    entity: str | None = None
    span: tuple[int, int] | None = None
    state: bool = False
    group: str | None = None

    @property
    def effective_sector(self) -> str | None:
        """The sector, or GOV for a state named by its country or capital ("Serbia", "Beijing")."""
        return self.sector or ("GOV" if self.state else None)

    @property
    def code(self) -> str | None:
        """PLOVER actor code: the ISO alpha-3 country, else IGO/NGO for international bodies, else None."""
        if self.country:
            return self.country
        if self.group:
            return self.group
        if self.sector in _GROUPS:
            return self.sector
        return None


@dataclass(frozen=True)
class _Lexicon:
    sector_words: dict[str, str]
    generic: frozenset[str]
    international: dict[str, str]
    known: dict[str, tuple[str | None, str | None]]


def _data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((files("newsgraph") / "data" / name).read_text(encoding="utf-8"))
    return data


@cache
def _lexicon() -> _Lexicon:
    data, sectors = _data("actors.json"), _data("sectors.json")
    sector_words: dict[str, str] = {}
    for sector, words in sectors["words"].items():
        for word in words:
            sector_words.setdefault(word, sector)
    international = {_fold(n): code for code, names in data["international"].items() for n in names}
    known = {_fold(n): (v[0], v[1]) for n, v in data["known"].items()}
    return _Lexicon(sector_words, frozenset(sectors["generic"]), international, known)


def _fold(name: str) -> str:
    name = " ".join(name.replace("’", "'").split())
    if name.lower().startswith("the "):
        name = name[4:]
    if name.endswith("'s"):
        name = name[:-2]
    return name.casefold()


def international_code(name: str) -> str | None:
    """The code IGO or NGO when ``name`` is a known international organisation ("U.N.", "Red Cross")."""
    lex = _lexicon()
    key = _fold(name)
    if key in lex.international:
        return lex.international[key]
    # "the U.N. refugee agency", "UN peacekeepers": an organisation's name at the start of a phrase.
    words = key.split()
    for n in range(min(len(words), 6), 0, -1):
        code = lex.international.get(" ".join(words[:n]))
        if code is not None:
            return code
    return None


def known_actor(name: str) -> tuple[str | None, str | None] | None:
    """(country, sector) for a well-known actor name ("Hamas" → PSE, REB; "Kyodo" → JPN, JRN), or None."""
    return _lexicon().known.get(_fold(name))


def sector_of_words(words: Sequence[str]) -> str | None:
    """The sector that a phrase's words name, the head (last word) first unless it is generic.

    Args:
        words: The phrase's words in order, head last ("Afghan", "rebel", "leaders").

    Returns:
        A PLOVER sector code, or None.
    """
    lex = _lexicon()
    low = [w.casefold().strip(".,") for w in words if w.strip()]
    if not low:
        return None
    # Multi-word entries ending at the head first ("riot police", "security forces").
    for n in range(min(_MAX_NGRAM, len(low)), 1, -1):
        sector = lex.sector_words.get(" ".join(low[-n:]))
        if sector is not None:
            return sector
    head = low[-1]
    head_sector = lex.sector_words.get(head)
    if head_sector is not None and head not in lex.generic:
        return head_sector
    # A generic head defers to the nearest specific modifier: "rebel leaders", "government officials".
    for i in range(len(low) - 2, -1, -1):
        for n in range(min(_MAX_NGRAM, i + 1), 0, -1):
            sector = lex.sector_words.get(" ".join(low[i - n + 1 : i + 1]))
            if sector is not None and low[i] not in lex.generic:
                return sector
    return head_sector


def _country_of_text(text: str, *, cities: bool = False) -> str | None:
    match = countries.lookup(text, cities=cities)
    return match.country.alpha3 if match is not None else None


def _country_in_tokens(tokens: Iterable[Token]) -> str | None:
    """The first country that a run of tokens names: a demonym, a country name or a capital."""
    toks = [t for t in tokens if not t.is_punct or t.text in (".", "-")]
    for i, tok in enumerate(toks):
        if not (tok.text[:1].isupper() or tok.text in ("U.S.", "U.K.")):
            continue
        if i >= 2 and toks[i - 1].text == "-" and toks[i - 2].lower_ in ("pro", "anti", "non"):
            continue  # "pro-Iranian Hizbollah": a stance, not the group's country
        # Longest run of capitalised words first: "North Korean", "South Africa", "Sri Lankan",
        # "Democratic People's Republic of Korea".
        for j in range(min(len(toks), i + _MAX_NAME_TOKENS), i, -1):
            words = toks[i:j]
            if any(not (w.text[:1].isupper() or w.text in ("and", "of", "'s", "the")) for w in words):
                continue
            text = "".join(w.text_with_ws for w in words).strip()
            country = _country_of_text(text)
            if country is not None:
                return country
    return None


def _known_in_tokens(tokens: Sequence[Token]) -> tuple[str | None, str | None] | None:
    """(country, sector) of the first well-known actor named inside a phrase ("the Hizbollah group")."""
    for i, tok in enumerate(tokens):
        if not tok.text[:1].isupper():
            continue
        for j in range(min(len(tokens), i + _MAX_NAME_TOKENS), i, -1):
            text = "".join(t.text_with_ws for t in tokens[i:j]).strip()
            known = known_actor(text)
            if known is not None:
                return known
    return None


def _phrase_tokens(head: Token) -> list[Token]:
    """The head's noun-phrase modifiers and the head, in text order (no clauses, no prepositions)."""
    out = [head]
    stack = [c for c in head.children if c.dep_ in _NP_MODIFIERS or (c.dep_ == "conj" and c.i < head.i)]
    while stack:
        tok = stack.pop()
        if tok.i > head.i and tok.dep_ not in ("compound", "conj"):
            continue
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ in _NP_MODIFIERS or c.dep_ in ("conj", "case", "cc"))
    return sorted(out, key=lambda t: t.i)


def _prep_country(head: Token, entities: Sequence[Entity] = ()) -> str | None:
    """Country from an "of"/"in"/"from" phrase on the head ("the president of Armenia", "doctors from
    Switzerland"), also behind a participle ("refugees fleeing the war in Liberia", "a group based in
    Trinidad")."""
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in _COUNTRY_PREPS]
    for acl in (c for c in head.children if c.dep_ == "acl"):
        preps += [c for c in acl.children if c.dep_ == "prep" and c.lower_ in _COUNTRY_PREPS]
        for obj in (c for c in acl.children if c.dep_ == "dobj"):
            preps += [c for c in obj.children if c.dep_ == "prep" and c.lower_ in _COUNTRY_PREPS]
    for prep in preps:
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            country = _country_in_tokens(_phrase_tokens(obj))
            if country is None and obj.ent_type_ == "GPE":
                country = _country_of_text(_ent_text(obj), cities=True)
            if country is None and obj.ent_type_:
                known = known_actor(_ent_text(obj))
                country = known[0] if known else None
                inner = _entity_at(entities, obj.idx)
                if country is None and inner is not None and inner.sector not in _GROUPS:
                    country = inner.country
            if country is not None:
                return country
    return None


def _ent_text(tok: Token) -> str:
    """The text of the named entity ``tok`` belongs to, or the token's text."""
    # The token's own IOB tags bound its entity; ``Doc.ents`` would build a Span for every entity of the
    # article on each call.
    iob = tok.ent_iob_
    if iob == "I" or (iob == "B" and tok.ent_type):
        doc = tok.doc
        start, end = tok.i, tok.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return doc[start:end].text
    return tok.text


def _entity_country(entity: Entity) -> tuple[str | None, str | None]:
    """(country, sector) that the entity's name alone tells."""
    for name in [entity.name, *entity.aliases]:
        known = known_actor(name)
        if known is not None:
            return known
    for name in [entity.name, *entity.aliases]:
        code = international_code(name)
        if code is not None:
            return None, code
    if entity.type in ("GPE", "LOC", "FAC", "NORP"):
        for name in [entity.name, *entity.aliases]:
            match = countries.lookup(name, cities=entity.type == "GPE")
            if match is not None:
                return match.country.alpha3, None
        return None, None
    if entity.type == "ORG":
        country = None
        for name in [entity.name, *entity.aliases]:
            words = name.split()
            for i in range(len(words)):
                for j in range(min(len(words), i + 3), i, -1):
                    country = _country_of_text(" ".join(words[i:j]))
                    if country is not None:
                        break
                if country is not None:
                    break
            if country is not None:
                break
        sector = sector_of_words(entity.name.split())
        if country is None and any(w.lower() in _INTERNATIONAL_WORDS for w in entity.name.split()):
            sector = "NGO"
        return country, sector
    return None, None


def describe_entity(doc: Doc, entity: Entity) -> tuple[str | None, str | None]:
    """The country (ISO alpha-3) and PLOVER sector of one entity, from its name and its mentions' context.

    Args:
        doc: The parsed Doc the entity's mention spans point into.
        entity: The entity.

    Returns:
        ``(country, sector)``; either may be None.
    """
    country, sector = _entity_country(entity)
    if entity.role and sector is None:
        sector = sector_of_words(entity.role.split())
    if sector in _GROUPS or (
        country is not None and (sector is not None or entity.type not in ("PERSON", "ORG"))
    ):
        return country, sector
    for start, end in entity.mentions:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        head = span.root
        context = [t for t in _phrase_tokens(head) if t.i < span.start]
        # An appositive names what the mention is: "her Japanese counterpart, Daisuke Hayama".
        if head.dep_ == "appos":
            context = _phrase_tokens(head.head) + context
        for child in head.children:
            if child.dep_ == "appos":
                context += _phrase_tokens(child)
        if country is None:
            country = _country_in_tokens(context) or _prep_country(head)
            if country is None and head.dep_ == "appos":
                country = _prep_country(head.head)
            if country is None:
                code = international_code(" ".join(t.text for t in context))
                if code is not None and sector in (None, "GOV"):
                    sector = code  # "U.N. Secretary-General Kofi Annan"
        if sector is None:
            sector = sector_of_words([t.text for t in context if t.pos_ in ("NOUN", "PROPN", "ADJ")])
        if country is not None and sector is not None:
            break
    return country, sector


def describe_entities(doc: Doc, entities: Sequence[Entity]) -> list[Entity]:
    """Return copies of ``entities`` with ``country`` and ``sector`` filled where the text tells them."""
    out = []
    for entity in entities:
        country, sector = describe_entity(doc, entity)
        out.append(replace(entity, country=entity.country or country, sector=entity.sector or sector))
    return out


def describe_phrase(head: Token, entities: Sequence[Entity] = ()) -> Actor:
    """Describe the actor a noun phrase names, given its head token.

    The phrase is the head with its noun-phrase modifiers ("the Sudanese government", "Afghan rebel
    leaders"); a named entity whose mention covers the head lends its name, id, country and sector.

    Args:
        head: The phrase's head token (a subject, object or prepositional object).
        entities: The article's entities, with ``country``/``sector`` already described.

    Returns:
        The actor; ``country`` and ``sector`` are None when the phrase does not tell them.
    """
    tokens = _phrase_tokens(head)
    # A generic head of an "of" phrase hands over to its object: "a group of Moroccan diplomats".
    if head.lower_ in _COLLECTIVES:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    inner = describe_phrase(obj, entities)
                    if inner.country or inner.sector:
                        return inner
    while tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    start = min(t.idx for t in tokens) if tokens else head.idx
    end = max(t.idx + len(t.text) for t in tokens) if tokens else head.idx + len(head.text)
    span = (start, end)
    phrase = doc_text(head.doc)[start:end]  # (Doc.text would join every token of the article each time)
    words = [t.text for t in tokens if not t.is_punct and t.tag_ != "POS"]
    entity = _entity_at(entities, head.idx)
    if entity is not None:
        name, country, sector = entity.name, entity.country, entity.sector
        group = sector if sector in _GROUPS else None
        state = False
        if entity.type == "GPE":
            match = countries.lookup(entity.name)
            state = match is not None and match.kind in ("name", "capital", "seat")
        if entity.type in ("NORP", "GPE") and head.ent_type_ not in ("PERSON", "ORG"):
            # "Palestinian officials": the nationality is a modifier, the head says who acts.
            phrase_sector = sector_of_words(words)
            if phrase_sector is not None and head.lower_ not in entity.name.lower().split():
                sector, name, state = phrase_sector, phrase, False
        if sector is None or sector in _GROUPS:
            sector = sector_of_words(words) or sector
        if country is None and group is None:
            country = _country_in_tokens(tokens) or _prep_country(head, entities)
        return Actor(name, country, sector, entity.id, span, state, group)
    name = phrase
    known = known_actor(name)
    if known is not None:
        return Actor(name, known[0], known[1], None, span)
    # "her Japanese counterpart, Daisuke Hayama": the appositive names who the phrase describes.
    for child in head.children:
        named = (
            _entity_at(entities, child.idx)
            if child.dep_ in ("appos", "compound") and child.i > head.i
            else None
        )
        if named is not None and named.type == "PERSON":
            country = named.country or _country_in_tokens(tokens) or _prep_country(head, entities)
            sector = named.sector or sector_of_words(words)
            return Actor(named.name, country, sector, named.id, span)
    group = international_code(name)
    country = None
    inside = _known_in_tokens(tokens) if group is None else None
    if inside is not None:
        country = inside[0]
        if inside[1] in _GROUPS:
            group = inside[1]
    if group is None and country is None:
        country = _country_in_tokens(tokens) or _prep_country(head, entities)
    if country is None and group is None:
        # An entity inside the phrase: "Taiwan's Vice Foreign Minister", "Hezbollah guerrillas".
        for tok in tokens:
            inner = _entity_at(entities, tok.idx)
            if inner is None:
                continue
            if inner.sector in _GROUPS:
                group = inner.sector
                break
            if inner.country:
                country = inner.country
                break
    sector = sector_of_words(words) or group
    if country is None and group is None and head.ent_type_ == "GPE":
        country = _country_of_text(_ent_text(head), cities=True)
    return Actor(name, country, sector, None, span, False, group)


def infer_country(actor: Actor | None, target: Actor | None, place_country: str | None) -> Actor | None:
    """Fill a missing actor country from the event's context, for actors that act at home.

    A judge, the police, protesters or rebels whose country the text does not give belong to the
    country of their target or, failing that, of the place they act in; a government actor does when
    its target is one of those (a president banning opposition candidates).

    Args:
        actor: The actor, or None.
        target: The event's target, or None.
        place_country: ISO alpha-3 code of the event's place, or None.

    Returns:
        The actor, with ``country`` filled when the rule applies.
    """
    if actor is None or actor.country is not None or actor.group is not None or actor.sector in _GROUPS:
        return actor
    target_country = target.country if target is not None and target.group is None else None
    if actor.sector in DOMESTIC_SECTORS:
        country = target_country or place_country
    elif actor.sector == "GOV" and target is not None and target.sector in DOMESTIC_SECTORS:
        country = target_country
    else:
        country = None
    return replace(actor, country=country) if country else actor


# Sectors of the state: a president, a general or a court that a domestic actor acts against or upon, with
# no country of its own in the text, is that actor's own country's ("Zimbabwe's opposition demanded that
# President Mugabe …", "an Argentine judge ordered former president Carlos Menem …").
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "ELI", "SPY"})


def infer_target_country(
    actor: Actor | None, target: Actor | None, place_country: str | None = None
) -> Actor | None:
    """Fill a missing target country of a state target from the event itself.

    The state a home-bound actor confronts is its own ("Zimbabwe's opposition demanded that President
    Mugabe …"); otherwise a state target met or acted upon at a place in another country than the actor's
    is of that place's country ("the minister met Prime Minister Kishida in Tokyo").

    Args:
        actor: The event's actor, or None.
        target: The target, or None.
        place_country: ISO alpha-3 code of the event's place, or None.

    Returns:
        The target, with ``country`` filled when a rule applies.
    """
    if target is None or target.country is not None or target.group is not None:
        return target
    if target.sector not in STATE_SECTORS:
        return target
    domestic = actor is not None and actor.group is None and actor.sector in DOMESTIC_SECTORS
    if domestic and actor is not None and actor.country is not None:
        return replace(target, country=actor.country)
    if place_country is not None and (actor is None or actor.country != place_country):
        return replace(target, country=place_country)
    return target


def actor_of_entity(entity: Entity) -> Actor:
    """The actor an entity is, wherever it is mentioned (used for resolved pronouns: "it", "they")."""
    group = entity.sector if entity.sector in _GROUPS else None
    state = False
    if entity.type == "GPE":
        match = countries.lookup(entity.name)
        state = match is not None and match.kind in ("name", "capital", "seat")
    return Actor(entity.name, entity.country, entity.sector, entity.id, None, state, group)


class EntityIndex(tuple[Entity, ...]):
    """An article's entities, as a tuple, that also finds the entity mentioned at a character offset.

    Event coding asks for the entity at a token's offset thousands of times per article; scanning every
    mention of every entity each time was one of its main costs.

    Args:
        entities: The entities, in the order :func:`describe_phrase` would scan them (the first entity
            with a mention covering an offset wins).
    """

    _at: dict[int, Entity]

    def __new__(cls, entities: Iterable[Entity] = ()) -> EntityIndex:
        index = super().__new__(cls, entities)
        at: dict[int, Entity] = {}
        for entity in index:
            for start, end in entity.mentions:
                for char in range(start, end):
                    at.setdefault(char, entity)
        index._at = at
        return index

    def at(self, char: int) -> Entity | None:
        """The first entity with a mention covering character ``char``, or None."""
        return self._at.get(char)


def _entity_at(entities: Sequence[Entity], char: int) -> Entity | None:
    if isinstance(entities, EntityIndex):
        return entities.at(char)
    for entity in entities:
        for start, end in entity.mentions:
            if start <= char < end:
                return entity
    return None
