"""Frames: how a clause presents its action (planned, announced, refused, demanded, threatened, failed),
the events that framing makes, and the hedged and negated flags."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.extract.discourse import Hedges, is_complement
from newsgraph.extract.event_roles import RoleFinder, direct_object, explicit_subject, same_actor, subject
from newsgraph.extract.events.found import (
    TRIGGER_GAP,
    Found,
    Frame,
    intent_type,
    request_mode,
    threat_mode,
    token_span,
)
from newsgraph.extract.plover import QUAD_CLASS, Lexicon


class Frames:
    """The coder's framing rules (a mixin of :class:`~newsgraph.extract.events.triggers.Coder`)."""

    roles: RoleFinder
    lex: Lexicon
    hedges: Hedges
    found: list[Found]
    framed: dict[int, Found]

    # -- frames --------------------------------------------------------------------------------------

    def frame(self, verb: Token, depth: int = 0) -> Frame | None:
        """How the clause presents the verb's action (see :class:`Frame`), or None for a plain report."""
        intent = self.lex.intent
        future = self.lex.words["future_modals"]
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in future), None)
        if modal is not None:
            return Frame("future", modal)
        head = verb.head
        if head.i == verb.i or depth > 3:
            return None
        lemma = head.lemma_.lower()
        if verb.dep_ == "ccomp" and lemma in self.lex.words["demand_that"]:
            return Frame("request", head)  # "demanded that Iran stop"
        if verb.dep_ == "ccomp":
            # "reiterated its demand that Israel ease …": the that-clause belongs to the object noun.
            for obj in (c for c in head.children if c.dep_ == "dobj"):
                noun_senses = self.lex.nouns.get(obj.lower_)
                if noun_senses and noun_senses[-1].type in ("REQUEST", "THREATEN"):
                    return Frame("request", obj)
        if verb.dep_ in ("acl", "relcl", "ccomp") and head.pos_ == "NOUN":
            noun_senses = self.lex.nouns.get(head.lower_)
            if noun_senses and noun_senses[-1].type in ("REQUEST", "THREATEN", "REJECT"):
                return Frame("request", head)  # "its demand that Israel ease restrictions"
            if head.lower_ in self.lex.words["plan_nouns"]:
                return Frame("schedule", head)  # "accepted an invitation to visit Hanoi"
        if not (is_complement(verb) or (verb.dep_ == "ccomp" and head.pos_ == "ADJ")):
            return None
        if lemma in self.lex.words["aspect"]:
            return self.frame(head, depth + 1) or None  # "prepared to resume shelling"
        if lemma in self.lex.words["attempt"]:
            return None
        if lemma == "fail":
            return Frame("failed", head)
        for name, kind in (("refusal", "refusal"), ("request", "request"), ("threat", "threat")):
            if lemma in intent[name]:
                return Frame(kind, head)
        if lemma in intent["statement"]:
            return Frame("statement", head)
        if lemma in intent["schedule"] or (head.pos_ == "ADJ" and lemma in intent["adjectives"]):
            return Frame("schedule", head)
        if lemma == "go" and head.tag_ == "VBG":
            return Frame("future", head)
        return None

    def add(self, found: Found, frame: Frame | None) -> None:
        verb = found.clause
        if found.type == "PROTEST" and found.target is None:
            found.target = self.protest_target(found)
        found.hedged = found.hedged or self.hedges.covers(verb) or self.hedges.covers(found.token)
        found.negated = (
            found.negated
            or negated(verb)
            or negated(found.token)
            or (frame is not None and frame.kind == "failed")
        )
        if frame is None or frame.kind == "failed":
            self.found.append(found)
            return
        if frame.kind in ("refusal", "request", "threat"):
            # Only the refusing, demanding or threatening word is an event; it takes this action's target.
            self.framed[frame.anchor.i] = found
            return
        found.planned = True
        self.found.append(found)
        if frame.kind == "schedule":
            return
        anchor = frame.anchor
        if frame.kind == "statement" and negated(anchor):
            found.negated = True
        own_senses = self.verb_senses(anchor) if frame.kind == "statement" else None
        own = self.choose(own_senses, None, found.actor) if own_senses else None
        if own is not None and own.type is not None:
            # "agreed to", "offered to", "promised to": the verb codes itself; lend it the target.
            self.framed[anchor.i] = found
            return
        now_type = intent_type(found.type, anchor.lemma_.lower())
        if found.negated:
            now_type = "REJECT" if QUAD_CLASS.get(found.type) in (1, 2) else None
        if now_type is None:
            return
        if frame.kind == "future" and 0 < verb.i - anchor.i <= TRIGGER_GAP:
            span = token_span(anchor, verb)
        else:
            span = token_span(anchor if frame.kind == "statement" else verb)
        self.found.append(
            Found(
                now_type,
                threat_mode(self.lex, found.type) if now_type == "THREATEN" else None,
                span,
                anchor,
                anchor if frame.kind == "statement" else verb,
                found.actor,
                found.target,
                hedged=found.hedged,
                statement=True,
            )
        )

    def lend_framed(self) -> None:
        """Refusals, demands, threats and promises take their target and mode from the framed action."""
        for item in self.found:
            action = self.framed.get(item.token.i)
            if action is None:
                continue
            target, action_type, action_mode = action.target, action.type, action.mode
            if item.target is None and target is not None and not same_actor(target, item.actor):
                item.target = target
            if item.type == "THREATEN" and item.mode is None:
                item.mode = threat_mode(self.lex, action_type)
            elif (item.type == "REQUEST" and item.mode is None) or (
                item.type == "REJECT" and item.mode is None
            ):
                item.mode = request_mode(self.lex, action_type)
            if (
                item.type == "REQUEST"
                and item.token.lemma_ in self.lex.words["orders"]
                and action_type in ("COERCE", "SANCTION")
            ):
                item.type, item.mode = action_type, action_mode  # "ordered the paper to suspend publication"

    def obligation(self, verb: Token) -> bool:
        """ "Russia said Sudan must return the helicopter": a REQUEST by the speaker to the subject."""
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in self.lex.obligation), None)
        if modal is None:
            return False
        clause = verb
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "ccomp" and not (clause.dep_ == "advcl" and clause.tag_ == "VBG"):
            return False
        speech = clause.head
        if clause.dep_ == "advcl":  # "…, saying he must resign"
            speech = clause
            clause = next((c for c in speech.children if c.dep_ == "ccomp"), clause)
        if speech.lemma_ not in self.lex.words["obligation_speech"]:
            return False
        actor = self.roles.actor(subject(speech, self.lex))
        target = self.roles.actor(explicit_subject(verb))
        if actor is None or target is None or same_actor(actor, target):
            return False
        found = Found("REQUEST", None, token_span(modal), modal, speech, actor, target)
        senses = self.verb_senses(verb)
        sense = self.choose(senses, direct_object(verb), target) if senses else None
        if sense is not None and sense.type is not None:
            found.mode = request_mode(self.lex, sense.type)
        self.add(found, None)
        return True


def negated(tok: Token) -> bool:
    """The word is negated: "did not meet", "no talks", "never", "without a deal"."""
    if any(
        c.dep_ == "neg" or (c.lower_ in ("never", "no") and c.dep_ in ("det", "neg")) for c in tok.children
    ):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "without"
