"""Who does what to whom in a clause: subjects, objects, targets and pronouns for the event coder.

Plain functions over spaCy tokens, plus :class:`RoleFinder`, which holds what one article's roles need
(its entities and attributions) and turns phrases into :class:`~newsgraph.extract.actors.Actor` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from newsgraph.extract.actors import Actor, EntityIndex, actor_of_entity, describe_phrase
from newsgraph.extract.discourse import dateline_token, is_complement
from newsgraph.extract.lexicon import SPEECH_VERBS
from newsgraph.extract.mentions import Coreference, resolve_pronouns
from newsgraph.extract.plover import Lexicon, load_lexicon
from newsgraph.schema import Attribution, Entity

# Closed word lists from the event lexicon (data/plover_lexicon.json, "words"; see docs/events.md).
_WORDS = load_lexicon().words
PARTITIVES = _WORDS["partitives"]
STATIVE_PASSIVES = _WORDS["stative_passives"]
MESSAGES = _WORDS["messages"]

RELATIVES = frozenset({"who", "which", "that", "whom"})
PRONOUN_TYPES = {
    "he": ("PERSON",),
    "she": ("PERSON",),
    "him": ("PERSON",),
    "her": ("PERSON",),
    "it": ("GPE", "ORG", "NORP"),
    "they": ("ORG", "GPE", "NORP", "PERSON"),
    "them": ("ORG", "GPE", "NORP", "PERSON"),
    "we": ("ORG", "GPE", "PERSON"),
    "i": ("PERSON",),
    "his": ("PERSON",),
    "its": ("GPE", "ORG", "NORP"),
    "their": ("ORG", "GPE", "NORP", "PERSON"),
    "our": ("ORG", "GPE", "PERSON"),
}


def lemma_keys(tok: Token) -> list[str]:
    """Lookup keys for a word: its lemma, its lower-case form, and the form without a regular ending.

    The small English model sometimes lemmatises badly ("staged" → "stag"), so the coder also tries the
    word with -s, -d, -ed or -ing removed.
    """
    return word_keys(tok.lemma_, tok.lower_)


def word_keys(lemma: str, low: str) -> list[str]:
    """:func:`lemma_keys` of a word given its lemma and its lower-case form."""
    keys = [lemma.lower(), low]
    for suffix, repl in (
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("s", ""),
        ("es", ""),
    ):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            keys.append(low[: len(low) - len(suffix)] + repl)
    return keys


def skip_partitive(tok: Token) -> Token:
    """ "part of a military aid program" → "program"; "two of its nationals" → "nationals"."""
    for _ in range(3):
        if tok.lower_ not in PARTITIVES and tok.pos_ != "NUM":
            return tok
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            return tok
        tok = obj
    return tok


def is_passive(verb: Token) -> bool:
    """True for a passive verb ("was attacked") or participle ("a camp attacked by …"), not for the
    adjectival passives of :data:`STATIVE_PASSIVES`."""
    if verb.lemma_.lower() in STATIVE_PASSIVES:
        return False
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ == "acl"
    )


def agent(verb: Token) -> Token | None:
    """The object of a passive verb's "by" phrase."""
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None


def patient(verb: Token) -> Token | None:
    """The passive subject, or for a passive participle the noun it modifies ("a camp … attacked")."""
    pas = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if pas is not None:
        return pas
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head
    return None


def explicit_subject(verb: Token) -> Token | None:
    """The verb's own subject: nsubj, the passive agent, or the subject of an adjectival passive."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    if verb.lemma_.lower() in STATIVE_PASSIVES:
        return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if is_passive(verb):
        return agent(verb)
    return None


def clause_verb(tok: Token) -> Token | None:
    """The nearest verb above ``tok``, climbing through prepositions and predicative adjectives."""
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def subject(verb: Token, lex: Lexicon, depth: int = 0) -> Token | None:
    """The actor token of a verb, inherited through coordination, control, raising and participles."""
    own = explicit_subject(verb)
    if own is not None or depth > 5:
        return own
    head = verb.head
    if head.i == verb.i:
        return None
    if is_passive(verb) and not is_complement(verb):
        return None
    dep = verb.dep_
    if is_complement(verb) or (dep == "ccomp" and head.pos_ == "ADJ"):
        if head.lemma_.lower() in lex.control:
            obj = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return obj
        if is_passive(head):
            # Raising: "are thought to have met", "is scheduled to visit".
            raised = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            if raised is not None:
                return raised
        if head.pos_ == "ADJ":
            governor = clause_verb(head)
            return subject(governor, lex, depth + 1) if governor is not None else None
        return subject(head, lex, depth + 1)
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        return subject(head, lex, depth + 1)
    if dep in ("advcl", "pcomp") or (dep == "pobj" and verb.tag_ == "VBG"):
        governor = clause_verb(head)
        return subject(governor, lex, depth + 1) if governor is not None else None
    if dep == "acl" and verb.tag_ == "VBG":
        if head.lower_ in MESSAGES:
            # "issued a declaration demanding …": whoever issued it demands.
            governor = clause_verb(head.head) if head.head.i != head.i else None
            return subject(governor, lex, depth + 1) if governor is not None else None
        return head  # "refugees fleeing the war": the refugees flee
    if dep in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
        # "an invitation to visit Hanoi", "a rally … to protest": whoever takes part in the noun's event.
        governor = clause_verb(head.head) if head.head.i != head.i else None
        if governor is not None:
            return subject(governor, lex, depth + 1)
    return None


def direct_object(verb: Token) -> Token | None:
    """The verb's object (the patient of a passive), past partitive heads."""
    for child in verb.children:
        if child.dep_ in ("dobj", "attr") or (child.dep_ == "oprd" and child.pos_ == "NOUN"):
            return skip_partitive(child)
    if is_passive(verb):
        found = patient(verb)
        return skip_partitive(found) if found is not None else None
    return None


def prep_objects(tok: Token, names: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions on ``tok``, in the order the names are given."""
    preps = [c for c in tok.children if c.dep_ in ("prep", "agent")]  # the children once, not once per name
    found = []
    for name in names:
        for child in preps:
            if child.lower_ == name:
                found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def same_actor(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    if a.entity is not None and a.entity == b.entity:
        return True
    return a.span is not None and a.span == b.span


class RoleFinder:
    """Turns role tokens into actors for one article, resolving pronouns.

    Args:
        doc: The parsed article.
        entities: Its entities (with country and sector).
        attributions: Its attributions (a pronoun inside one's content may be its speaker).
        lex: The event lexicon (event nouns are never actors).
        coref: The article's pronoun antecedents (``doc._.coref`` of the ``newsgraph_coref`` component);
            resolved here with the default window when not given.
    """

    def __init__(
        self,
        doc: Doc,
        entities: Sequence[Entity],
        attributions: Sequence[Attribution],
        lex: Lexicon,
        coref: Coreference | None = None,
    ) -> None:
        self.doc = doc
        self.entities = EntityIndex(entities)
        self.attributions = list(attributions)
        self.lex = lex
        self.mentions = sorted((start, end, e) for e in self.entities for start, end in e.mentions)
        self.coref = coref if coref is not None else Coreference(pronouns=resolve_pronouns(doc, entities))
        self.dateline = dateline_token(doc)

    def past_dateline(self, tok: Token | None) -> Token | None:
        """A subject the parser took from the dateline ("TOKYO, May 16 (Reuters) - Japan and …") is
        replaced by the phrase after the dash."""
        if tok is None or tok.i >= self.dateline:
            return tok
        later = [c for c in tok.subtree if c.i > self.dateline and c.dep_ in ("appos", "conj", "nsubj")]
        return later[0] if later else None

    def entity_at(self, tok: Token) -> Entity | None:
        for start, end, entity in self.mentions:
            if start <= tok.idx < end:
                return entity
            if start > tok.idx:
                break
        return None

    def actor(self, tok: Token | None) -> Actor | None:
        """Describe the phrase headed by ``tok``; None unless it names someone (entity, country or sector)."""
        if tok is None:
            return None
        tok = skip_partitive(tok)
        if tok.pos_ == "PRON":
            resolved = self.resolve_pronoun(tok)
            if resolved is None:
                return None
            if isinstance(resolved, Entity):
                return actor_of_entity(resolved)
            tok = resolved
        if tok.lower_ in self.lex.nouns and self.entity_at(tok) is None:
            return None  # an event noun is not an actor: "a roadside bombing killed …"
        actor = describe_phrase(tok, self.entities)
        if actor.entity is None and actor.country is None and actor.sector is None:
            return None
        return actor

    def resolve_pronoun(self, pron: Token, depth: int = 0) -> Entity | Token | None:
        """The entity or phrase a pronoun stands for, or None."""
        low = pron.lower_
        if low in RELATIVES:
            clause = pron.head
            return clause.head if clause.dep_ == "relcl" else None
        if low not in PRONOUN_TYPES or depth > 3:
            return None
        # A pronoun subject of reported speech is the reporter: "Syria says it will withdraw".
        clause = pron.head
        while (clause.dep_ in ("conj", "xcomp") or is_complement(clause)) and clause.head.i != clause.i:
            clause = clause.head
        # The complement of a reporting verb is reported speech: a pronoun subject in it is the speaker.
        if clause.dep_ == "ccomp" and clause.head.lemma_ in SPEECH_VERBS:
            speaker = subject(clause.head, self.lex)
            if speaker is not None and speaker.i != pron.i:
                return self.resolve_pronoun(speaker, depth + 1) if speaker.pos_ == "PRON" else speaker
        # Otherwise the reporting attribution's speaker, then the antecedent the article's mentions give.
        for attribution in self.attributions:
            start, end = attribution.content
            if start <= pron.idx < end and attribution.speaker:
                entity = next((e for e in self.entities if e.id == attribution.speaker), None)
                if entity is not None and entity.type in PRONOUN_TYPES[low]:
                    return entity
        found = self.coref.antecedent(pron.idx)
        entity = next((e for e in self.entities if e.id == found), None) if found else None
        return entity if entity is not None and entity.type in PRONOUN_TYPES[low] else None
