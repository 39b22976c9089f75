"""Participants of an event: its target, the author of a rejected or demanded thing, a protest's target,
and the other party of a symmetric event ("Japan and Portugal agreed")."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.extract.actors import Actor
from newsgraph.extract.event_roles import (
    RoleFinder,
    direct_object,
    explicit_subject,
    prep_objects,
    same_actor,
    skip_partitive,
)
from newsgraph.extract.events.found import Found
from newsgraph.extract.plover import Lexicon


class Participants:
    """The coder's participant rules (a mixin of :class:`~newsgraph.extract.events.triggers.Coder`)."""

    roles: RoleFinder
    lex: Lexicon

    def noun_actor(self, found: Found, noun: Token) -> None:
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        by = prep_objects(noun, ("by", "between"))
        tok = poss if poss is not None else (by[0] if by else None)
        actor = self.roles.actor(tok)
        if actor is None:
            return
        found.actor = actor
        if by and tok is not None and tok.i == by[0].i and found.target is None:
            found.target = self.roles.actor(next((c for c in tok.children if c.dep_ == "conj"), None))

    def noun_target(self, noun: Token, actor: Actor | None) -> Actor | None:
        """A target inside an event noun's phrase: "sanctions on Russia", "suspension of links with
        Serbia"."""
        frontier = [noun]
        for _ in range(3):
            following = []
            for tok in frontier:
                for pobj in prep_objects(tok, self.lex.ordered["noun_target_preps"]):
                    candidate = self.roles.actor(pobj)
                    if candidate is not None and not same_actor(candidate, actor):
                        return candidate
                    following.append(pobj)
            frontier = following
        return None

    # -- targets -------------------------------------------------------------------------------------

    def target(self, verb: Token, actor: Actor | None, skip: Token | None = None) -> Actor | None:
        obj = direct_object(verb)
        candidates: list[Token] = []
        if obj is not None and (skip is None or obj.i != skip.i):
            candidates.append(obj)
        candidates += [c for c in verb.children if c.dep_ == "dative"]
        candidates += prep_objects(verb, self.lex.ordered["target_preps"])
        for tok in candidates:
            if own(tok, self.lex):
                continue  # "withdraw its troops from Lebanon": the troops are the actor's own
            candidate = self.roles.actor(tok) or self.author(tok)
            if candidate is not None and not same_actor(candidate, actor):
                return candidate
        # Inside the object phrase: "demolished Palestinian homes", "lines leading into Kabul".
        for tok in candidates[:1]:
            found = self.noun_target(tok, actor)
            if found is not None:
                return found
            for child in tok.children:
                if child.dep_ == "acl":
                    for pobj in prep_objects(child, ("into", "to", "in", "of")):
                        candidate = self.roles.actor(pobj)
                        if candidate is not None and not same_actor(candidate, actor):
                            return candidate
        # "demanded that Hamas renounce …": the subject of the demanded clause.
        for child in verb.children:
            if child.dep_ == "ccomp":
                candidate = self.roles.actor(explicit_subject(child))
                if candidate is not None and not same_actor(candidate, actor):
                    return candidate
        return None

    def author(self, noun: Token) -> Actor | None:
        """Whose proposal, demand or decision a noun is: "an Australian ultimatum", "calls by Belarus's
        rulers", "an admission by Moscow", "Sweden's decision"."""
        for tok in (c for c in noun.children if c.dep_ == "poss"):
            if tok.pos_ != "PRON":
                found = self.roles.actor(tok)
                if found is not None:
                    return found
        for pobj in prep_objects(noun, ("by", "from")):
            found = self.roles.actor(pobj)
            if found is not None:
                return found
        modifiers = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i]
        for tok in modifiers:
            found = self.roles.actor(tok)
            if found is not None and (found.country or found.group):
                return found
        return None

    def protest_target(self, found: Found) -> Actor | None:
        """Whom a protest is against: "to protest against Sweden's decision", "rallies against the
        party's leader", "in defiance of Chinese authorities"."""
        clause = found.clause
        for tok in clause.subtree:
            if tok.i == found.token.i or tok.dep_ not in ("pobj", "dobj"):
                continue
            head = tok.head
            against = head.lower_ in ("against", "at") or (
                head.lower_ == "of" and head.head.lower_ in ("protest", "defiance")
            )
            protest_verb = tok.dep_ == "dobj" and head.lemma_ in ("protest", "demand", "denounce", "oppose")
            if not (against or protest_verb):
                continue
            candidate = self.roles.actor(tok) or self.author(tok)
            if candidate is not None and not same_actor(candidate, found.actor):
                return candidate
        return None

    def coordinated_party(self, found: Found, subject_tok: Token | None) -> None:
        """ "Japan and Portugal agreed": with no other target, the second subject is the other party."""
        symmetric = self.lex.words["symmetric_types"]
        if found.target is not None or subject_tok is None or found.type not in symmetric:
            return
        head = skip_partitive(subject_tok)
        other = next((c for c in head.children if c.dep_ == "conj"), None)
        if other is not None:
            found.target = self.roles.actor(other)


def own(tok: Token, lex: Lexicon) -> bool:
    """True for forces, arms or land owned by a pronoun ("its troops", "their weapons", "its borders"):
    the actor's own, not a target. ("her counterpart" is someone else.)"""
    if not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in tok.children):
        return False
    low = tok.lower_
    return any(low in lex.classes[name] for name in ("forces", "arms", "territory"))
