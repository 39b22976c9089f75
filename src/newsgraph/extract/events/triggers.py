"""Triggers: the verbs, light verbs and event nouns of the lexicon that code an event, and the coder
that reads a Doc clause by clause."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Doc, Token

from newsgraph.extract.actors import Actor
from newsgraph.extract.discourse import Hedges
from newsgraph.extract.event_roles import (
    RoleFinder,
    clause_verb,
    direct_object,
    lemma_keys,
    prep_objects,
    subject,
    word_keys,
)
from newsgraph.extract.events.found import TRIGGER_GAP, Found, request_mode, threat_mode, token_span
from newsgraph.extract.events.frames import Frames, negated
from newsgraph.extract.events.participants import Participants
from newsgraph.extract.plover import Lexicon, Sense

# Entity labels a trigger word never carries: "March" the month, "Free" in a party's name.
_NOT_TRIGGERS = frozenset(
    {"PERSON", "ORG", "GPE", "DATE", "TIME", "NORP", "FAC", "LOC", "WORK_OF_ART", "LAW"}
)


class Coder(Participants, Frames):
    """Codes one article's events (see the package's docstring for the rules).

    Args:
        roles: The article's role finder.
        lex: The event lexicon.
        hedges: The article's hedges.
    """

    def __init__(self, roles: RoleFinder, lex: Lexicon, hedges: Hedges) -> None:
        self.roles = roles
        self.lex = lex
        self.hedges = hedges
        self.found: list[Found] = []
        self.consumed: set[int] = set()  # event nouns already coded through their verb
        self.framed: dict[int, Found] = {}  # framing word (token index) → the action it frames
        # Light-verb word → its class, the first class in the lexicon's light_order that lists it.
        self.light_words: dict[str, tuple[int, str]] = {}
        for rank, name in enumerate(lex.light_order):
            for word in lex.light[name]:
                self.light_words.setdefault(word, (rank, name))
        self.keys: dict[int, list[str]] = {}  # token index → lemma_keys, computed once per token
        # Words that give a verb a class or senses: lexicon verbs, light verbs and the verb part of phrasal
        # verbs ("blow" of "blow up"); and (lemma, form) → may_code().
        self.coding_words = set(lex.verbs) | set(self.light_words)
        self.coding_words.update(entry[:i] for entry in lex.phrasal for i, c in enumerate(entry) if c == " ")
        self.known: dict[tuple[str, str], bool] = {}

    def run(self, doc: Doc) -> list[Found]:
        # The word classes come from the Doc's arrays: building a Token for every word of the article
        # twice cost more than the rules that follow.
        pos = doc.to_array(POS).tolist()
        tags = doc.to_array(TAG).tolist()
        strings = doc.vocab.strings
        verb_tags = {t for t in set(tags) if strings[t].startswith("VB")}
        verb_pos, aux_pos, nouns = _POS_IDS["VERB"], _POS_IDS["AUX"], {_POS_IDS["NOUN"], _POS_IDS["PROPN"]}
        lower = doc.to_array(LOWER).tolist()
        lemmas = doc.to_array(LEMMA).tolist()
        modal_heads = self.modal_heads(doc, lower)
        for i, (p, t) in enumerate(zip(pos, tags, strict=True)):
            if not (p == verb_pos or (t in verb_tags and p != aux_pos)):
                continue
            # Only a verb of the lexicon or one with a modal of obligation can code an event (see verb()).
            if i in modal_heads or self.may_code(strings[lemmas[i]], strings[lower[i]]):
                self.verb(doc[i])
        # Only an event noun of the lexicon can be an event by itself (see noun()).
        event_nouns = {strings[word] for word in self.lex.nouns}
        for i, (p, low) in enumerate(zip(pos, lower, strict=True)):
            if p in nouns and low in event_nouns and i not in self.consumed:
                self.noun(doc[i])
        self.lend_framed()
        return self.found

    # -- lexicon lookups ------------------------------------------------------------------------------

    def may_code(self, lemma: str, low: str) -> bool:
        """Whether a verb with this lemma and form has a light-verb class or senses of its own (plain or
        phrasal) in the lexicon; verb() ends at once for the others unless they have a modal of
        obligation."""
        known = self.known.get((lemma, low))
        if known is None:
            known = self.known[(lemma, low)] = any(key in self.coding_words for key in word_keys(lemma, low))
        return known

    def modal_heads(self, doc: Doc, lower: list[int]) -> set[int]:
        """Indices of the words that have an "aux" child among the lexicon's modals of obligation."""
        strings = doc.vocab.strings
        modals = {strings[word] for word in self.lex.obligation}
        aux = strings["aux"]
        deps = doc.to_array(DEP).tolist()
        heads = doc.to_array(HEAD).astype("int64").tolist()  # offsets from each word to its head
        return {
            i + heads[i]
            for i, (dep, low) in enumerate(zip(deps, lower, strict=True))
            if dep == aux and low in modals
        }

    def lemma_keys(self, tok: Token) -> list[str]:
        keys = self.keys.get(tok.i)
        if keys is None:
            keys = self.keys[tok.i] = lemma_keys(tok)
        return keys

    def verb_senses(self, verb: Token) -> tuple[Sense, ...] | None:
        keys = self.lemma_keys(verb)
        for child in verb.children:
            if child.dep_ in ("prt", "prep", "dobj"):
                for key in keys:
                    senses = self.lex.phrasal.get(f"{key} {child.lower_}")
                    if senses is not None:
                        return senses
        for key in keys:
            if key in self.lex.verbs:
                return self.lex.verbs[key]
        return None

    def light_class(self, verb: Token) -> str | None:
        found = [c for c in map(self.light_words.get, self.lemma_keys(verb)) if c is not None]
        return min(found)[1] if found else None

    def noun_senses(self, noun: Token) -> tuple[Sense, ...] | None:
        """Senses of an event noun, or of the event noun compounded into it ("mediation effort")."""
        senses = self.lex.nouns.get(noun.lower_) or self.lex.object_nouns.get(noun.lower_)
        if senses is not None:
            return senses
        for child in noun.children:
            if child.dep_ == "compound" and child.i == noun.i - 1:
                senses = self.lex.nouns.get(child.lower_)
                if senses is not None:
                    return senses
        return None

    def in_class(self, tok: Token | None, name: str) -> bool:
        if tok is None:
            return False
        words = self.lex.classes.get(name, frozenset())
        if tok.lower_ in words or tok.lemma_.lower() in words:
            return True
        if name in ("individuals", "captives") and tok.ent_type_ == "PERSON":
            return True
        # "military aid program", "air links", "peacekeeping force": a class word modifying the head.
        return any(c.dep_ in ("compound", "amod") and c.lower_ in words for c in tok.children)

    def choose(self, senses: Sequence[Sense], obj: Token | None, actor: Actor | None) -> Sense | None:
        for sense in senses:
            if sense.obj is not None and not self.in_class(obj, sense.obj):
                continue
            if sense.noobj and obj is not None:
                continue
            if sense.subj and (actor is None or actor.effective_sector not in sense.subj):
                continue
            return sense
        return None

    def event_noun(self, verb: Token, light: str) -> Token | None:
        """The event noun a light verb governs: its object, or the object of a preposition."""
        obj = direct_object(verb)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            if self.noun_senses(obj) is not None:
                return obj
            # "declared a state of emergency"
            for pobj in prep_objects(obj, ("of",)):
                if light == "do" and self.noun_senses(pobj) is not None:
                    return pobj
            if any(c.dep_ == "dobj" for c in verb.children):
                return None
        names = ("in", "for", "into", "to") if light == "do" else ("from", "of", "out", "on", "for")
        for pobj in prep_objects(verb, names):
            if self.noun_senses(pobj) is not None:
                return pobj
        return None

    # -- verbs ---------------------------------------------------------------------------------------

    def verb(self, verb: Token) -> None:
        if verb.ent_type_ in _NOT_TRIGGERS:
            return
        if self.obligation(verb):
            return
        light = self.light_class(verb)
        senses = self.verb_senses(verb)
        noun = self.event_noun(verb, light) if light else None
        if noun is None and not senses:
            return  # neither an event verb nor a light verb with its event noun: no actor to describe
        subject_tok = self.roles.past_dateline(subject(verb, self.lex))
        actor = self.roles.actor(subject_tok)
        own = self.choose(senses, direct_object(verb), actor) if senses else None
        prefer_noun = noun is not None and (own is None or own.type is None or light in ("undo", "do"))
        if prefer_noun and self.light_event(verb, noun, light or "do", actor, subject_tok):
            return
        if own is None or own.type is None:
            return
        found = Found(own.type, own.mode, token_span(verb), verb, verb, actor, self.target(verb, actor))
        if own.type == "CONSULT" and verb.lemma_ in ("host", "receive") and found.target is not None:
            found.actor, found.target = found.target, actor  # PLOVER: the visitor is the source
        if own.type == "ASSAULT" and own.mode is None:
            found.mode = self.instrument(verb)
        self.coordinated_party(found, subject_tok)
        self.add(found, self.frame(verb))

    def light_event(
        self, verb: Token, noun: Token, light: str, actor: Actor | None, subject_tok: Token | None
    ) -> bool:
        senses = self.noun_senses(noun)
        sense = self.choose(senses, None, actor) if senses else None
        if sense is None or sense.type is None:
            return False
        event_type, mode = sense.type, sense.mode
        if light == "undo":
            reverse = self.lex.reversal.get(event_type)
            if reverse is None or reverse.type is None:
                return False
            event_type, mode = reverse.type, reverse.mode
        elif light == "reject":
            event_type, mode = "REJECT", request_mode(self.lex, event_type)
        elif light == "request":
            event_type, mode = "REQUEST", request_mode(self.lex, event_type)
        elif light == "threaten":
            event_type, mode = "THREATEN", threat_mode(self.lex, event_type)
        elif light == "prevent":
            event_type, mode = "COERCE", "restrict"
        elif light == "accept":
            own_senses = self.verb_senses(verb)
            own = self.choose(own_senses, noun, actor) if own_senses else None
            event_type, mode = (own.type, own.mode) if own and own.type else ("AGREE", None)
        self.consumed.add(noun.i)
        if noun.lower_ in ("strike", "strikes"):
            if any(c.lower_ == "hunger" for c in noun.children):
                mode = "strike-hun"
            elif any(c.lower_ == "general" for c in noun.children):
                mode = "strike-gen"
        target = self.noun_target(noun, actor)
        if target is None and light in ("reject", "accept", "request", "threaten", "prevent"):
            target = self.author(noun)  # "rejected an Australian ultimatum", "a US offer"
        if target is None:
            target = self.target(verb, actor, skip=noun)
        span = token_span(verb, noun) if 0 < noun.i - verb.i <= TRIGGER_GAP else token_span(noun)
        found = Found(event_type, mode, span, noun, verb, actor, target)
        if event_type == "ASSAULT" and mode is None:
            found.mode = self.instrument(verb)
        if actor is None:
            self.noun_actor(found, noun)
        self.coordinated_party(found, subject_tok)
        self.add(found, self.frame(verb))
        return True

    # -- event nouns ---------------------------------------------------------------------------------

    def noun(self, noun: Token) -> None:
        """An event noun with participants of its own: "Ahn's visit", "talks between A and B"."""
        senses = self.lex.nouns.get(noun.lower_)
        if senses is None or noun.ent_type_ in _NOT_TRIGGERS:
            return
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        by = prep_objects(noun, ("by",))
        between = prep_objects(noun, ("between",))
        actor_tok = poss if poss is not None else (by[0] if by else (between[0] if between else None))
        governor = clause_verb(noun)
        if actor_tok is None and governor is not None and _protest_context(noun, senses, self.lex):
            actor_tok = subject(governor, self.lex)  # "youths threw stones during demonstrations"
        actor = self.roles.actor(actor_tok)
        if actor is None:
            return
        sense = self.choose(senses, None, actor)
        if sense is None or sense.type is None:
            return
        target = None
        if between and actor_tok is not None and actor_tok.i == between[0].i:
            target = self.roles.actor(next((c for c in between[0].children if c.dep_ == "conj"), None))
        if target is None:
            target = self.noun_target(noun, actor)
        found = Found(sense.type, sense.mode, token_span(noun), noun, governor or noun, actor, target)
        self.add(found, None)

    def participants_of(self, tok: Token, event_type: str) -> Found | None:
        """An event of ``event_type`` at a word the rules did not code (the main event the classifier
        found), with the actor and target the rules give that word, and its flags."""
        if tok.pos_ in ("VERB", "AUX"):
            subject_tok = self.roles.past_dateline(subject(tok, self.lex))
            actor = self.roles.actor(subject_tok)
            found = Found(event_type, None, token_span(tok), tok, tok, actor, self.target(tok, actor))
            self.coordinated_party(found, subject_tok)
        else:
            governor = clause_verb(tok)
            found = Found(event_type, None, token_span(tok), tok, governor or tok)
            self.noun_actor(found, tok)
            if found.actor is None and governor is not None and tok.dep_ in ("dobj", "pobj", "attr"):
                found.actor = self.roles.actor(self.roles.past_dateline(subject(governor, self.lex)))
            if found.target is None:
                found.target = self.noun_target(tok, found.actor)
        if event_type == "PROTEST" and found.target is None:
            found.target = self.protest_target(found)
        found.hedged = self.hedges.covers(found.clause) or self.hedges.covers(tok)
        found.negated = negated(found.clause) or negated(tok)
        return found

    def instrument(self, verb: Token) -> str | None:
        words = {t.lower_ for t in verb.sent}
        for mode in ("suicide-attack", "explosives", "heavy-weapons", "firearms", "primitive"):
            if words & self.lex.instruments[mode]:
                return mode
        return None


def _protest_context(noun: Token, senses: Sequence[Sense], lex: Lexicon) -> bool:
    return (
        senses[-1].type == "PROTEST"
        and noun.dep_ == "pobj"
        and noun.head.lower_ in lex.words["protest_preps"]
        and noun.head.head.pos_ in ("VERB", "AUX")
    )
