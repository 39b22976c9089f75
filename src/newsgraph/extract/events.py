"""Events: candidate "who did what to whom" records from trigger verbs and nouns.

A first, small lexicon maps trigger lemmas to a provisional PLOVER type; every event is marked
``candidate=True`` until the full coder lands. Flags for hedged ("are thought to have met"), negated
("did not meet") and planned ("will visit") are read off the parse.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph.extract.lexicon import HEDGE_ADVERBS, HEDGE_VERBS
from newsgraph.schema import Entity, Event, Place, TimeRef

TRIGGERS = {
    "meet": "CONSULT",
    "visit": "CONSULT",
    "host": "CONSULT",
    "talk": "CONSULT",
    "phone": "CONSULT",
    "sign": "AGREE",
    "agree": "AGREE",
    "accept": "AGREE",
    "invite": "REQUEST",
    "urge": "REQUEST",
    "threaten": "THREATEN",
    "warn": "THREATEN",
    "sanction": "SANCTION",
    "protest": "PROTEST",
    "attack": "ASSAULT",
    "kill": "ASSAULT",
    "accuse": "ACCUSE",
    "reject": "REJECT",
    "condemn": "ACCUSE",
    "aid": "AID",
    "help": "SUPPORT",
    "support": "SUPPORT",
    "withdraw": "RETREAT",
    "arrest": "COERCE",
    "deploy": "MOBILIZE",
}


def _entity_at(entities: list[Entity], tok: Token) -> str | None:
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    for ent in entities:
        for s, e in ent.mentions:
            if lo <= s and e <= hi and s <= tok.idx < e + 1:
                return ent.id
    for ent in entities:
        for s, e in ent.mentions:
            if lo <= s and e <= hi:
                return ent.id
    return None


def _in_subtree(tok: Token, span: tuple[int, int]) -> bool:
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    return lo <= span[0] and span[1] <= hi


def _flags(verb: Token) -> tuple[bool, bool, bool]:
    hedged = any(c.lower_ in HEDGE_ADVERBS for c in verb.children)
    head = verb.head
    if (
        verb.dep_ == "xcomp"
        and head.lemma_ in HEDGE_VERBS
        and any(c.dep_ == "auxpass" for c in head.children)
    ):
        hedged = True
    negated = any(c.dep_ == "neg" for c in verb.children)
    planned = any(
        c.tag_ == "MD" and c.lower_ in ("will", "would", "'ll", "shall") for c in verb.children
    ) or (
        verb.dep_ == "xcomp" and head.lemma_ in ("plan", "expect", "intend", "hope", "agree", "accept", "aim")
    )
    return hedged, negated, planned


def find_events(doc: Doc, entities: list[Entity], places: list[Place], times: list[TimeRef]) -> list[Event]:
    """Return candidate events for trigger verbs with at least one entity argument."""
    events = []
    for tok in doc:
        etype = TRIGGERS.get(tok.lemma_)
        if etype is None or tok.pos_ != "VERB":
            continue
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and tok.dep_ in ("xcomp", "conj"):
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if obj is None:
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "to")), None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        actor = _entity_at(entities, subj) if subj is not None else None
        target = _entity_at(entities, obj) if obj is not None else None
        if actor is None and target is None:
            continue
        place = next((p.id for p in places if _in_subtree(tok, p.span) and p.span != _span(obj)), None)
        time = next((t.id for t in times if _in_subtree(tok, t.span) and t.type != "DURATION"), None)
        hedged, negated, planned = _flags(tok)
        events.append(
            Event(
                trigger=(tok.idx, tok.idx + len(tok.text)),
                type=etype,
                actor=actor,
                target=target,
                place=place,
                time=time,
                hedged=hedged,
                negated=negated,
                planned=planned,
                candidate=True,
            )
        )
    return events


def _span(tok: Token | None) -> tuple[int, int] | None:
    return None if tok is None else (tok.idx, tok.idx + len(tok.text))
