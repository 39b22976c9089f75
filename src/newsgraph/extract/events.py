"""Events: who did what to whom, coded with PLOVER types from the dependency parse.

The coder reads one parsed Doc with its entities (country and sector already described), places, times
and attributions, and returns :class:`~newsgraph.schema.Event` records. Its rules, in the order they
apply to each clause (docs/events.md has the full account and examples):

1. **Triggers.** A verb whose lemma (or phrasal verb: "blow up", "call off") is in the lexicon
   (``data/plover_lexicon.json``) codes the sense whose conditions hold: "withdraw troops" is RETREAT,
   "withdraw inspectors" SANCTION. A light verb codes its event noun: "held talks" CONSULT, "imposed
   sanctions" SANCTION; an undoing verb reverses it ("lifted the curfew" CONCEDE, "suspended aid"
   SANCTION); a rejecting, requesting, preventing or threatening verb wraps it ("rejected the proposal"
   REJECT). An event noun with its own actor ("Ahn's visit to Seoul", "talks between A and B") is an
   event wherever it stands.
2. **Roles.** The actor is the subject (the "by" agent in the passive), inherited through
   coordination, control ("urged Iran to stop": Iran stops), raising ("are thought to have met") and
   participles ("after meeting Hayama, Marques said": Marques met); pronouns take the speaker of the
   clause that reports them ("Switzerland said it had expelled …") or the nearest earlier entity. The
   target is the direct or indirect object, else an object of with/to/against/on/from/for/between,
   looked for in the event noun's phrase as well ("sanctions on Russia"). In "Japan and Portugal
   agreed", Japan acts and Portugal is the other party.
3. **Frames.** An action that an actor announces, offers, promises or is willing to take is planned,
   and the announcement is an event of its own: cooperative actions make AGREE, hostile ones THREATEN
   (the PLOVER manual reads future-tense actions as intentions). "will visit" → AGREE now + CONSULT
   planned; "accepted an invitation to visit" → AGREE + CONSULT planned. Refused, demanded and
   threatened actions are not events themselves: "refused to withdraw" is one REJECT, "demanded that
   Iran stop" one REQUEST, and "said Iran must stop" a REQUEST by the speaker.
4. **Flags.** hedged ("are thought to have met", "reportedly", "may"), negated ("did not meet",
   "no talks", "failed to"), planned (future, intent, or a linked date after publication).
5. **Links.** The place and time phrases of the trigger's own clause, and the attribution whose content
   contains the trigger (``reported_by``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Doc, Token

from newsgraph.extract import countries
from newsgraph.extract.actors import Actor, infer_country
from newsgraph.extract.event_roles import (
    RoleFinder,
    clause_verb,
    direct_object,
    explicit_subject,
    is_complement,
    lemma_keys,
    prep_objects,
    same_actor,
    skip_partitive,
    subject,
    word_keys,
)
from newsgraph.extract.lexicon import HEDGE_ADVERBS, HEDGE_VERBS
from newsgraph.extract.plover import QUAD_CLASS, Lexicon, Sense, load_lexicon
from newsgraph.schema import Attribution, Entity, Event, Place, TimeRef

__all__ = ["find_events", "main_event"]

_MODALS_FUTURE = frozenset({"will", "would", "shall", "'ll", "wo", "’ll"})
_MODALS_HEDGE = frozenset({"may", "might", "could"})
_TARGET_PREPS = ("with", "to", "against", "on", "into", "from", "for", "toward", "towards", "between", "over")
_NOUN_TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "between",
    "for",
    "from",
    "toward",
    "towards",
    "of",
    "into",
)
# Entity labels a trigger word never carries: "March" the month, "Free" in a party's name.
_NOT_TRIGGERS = frozenset(
    {"PERSON", "ORG", "GPE", "DATE", "TIME", "NORP", "FAC", "LOC", "WORK_OF_ART", "LAW"}
)
# Clause-level dependencies: a phrase under one of these belongs to another clause.
_CLAUSAL = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis", "pcomp", "csubj"})
# A light verb and its event noun read as one trigger span ("held talks", "imposed a curfew") when the
# noun is this many tokens after the verb or fewer; "held their first meeting" is three.
_TRIGGER_GAP = 3
# Types whose participants are peers, so a second coordinated subject is the other party.
_SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT", "REJECT", "SANCTION"})
# Verbs that only mark aspect: "resumed shelling" is shelling, framed as the aspect verb is framed.
_ASPECT = frozenset({"resume", "continue", "begin", "start", "keep", "renew", "step", "speed", "accelerate"})
_ATTEMPT = frozenset({"try", "attempt", "manage", "seek"})
# Verbs whose object is ordered to act; when the ordered act restricts the object ("ordered the paper
# to suspend publication") the order itself is that coercion.
_ORDERS = frozenset({"order", "force", "compel", "instruct"})
# Prepositions under which a protest noun takes the clause's subject as its actor ("clashed with police
# during demonstrations").
_PROTEST_PREPS = frozenset({"during", "at", "in", "for"})
# Nouns whose infinitive is a planned action: "an invitation to visit", "a plan to send troops".
_PLAN_NOUNS = frozenset(
    {"invitation", "plan", "plans", "offer", "proposal", "agreement", "deal", "decision", "promise", "pledge",
     "commitment", "intention", "bid", "readiness", "willingness", "permission", "right", "programme",
     "program", "project", "scheme"}
)  # fmt: skip
# Light-verb classes in the order they are tried: a verb listed in two takes the first.
_LIGHT_ORDER = ("undo", "reject", "request", "threaten", "prevent", "accept", "do")
# Verbs whose that-clause is the demanded action ("demanded that Hamas renounce …"); "told reporters
# that …" is reported speech, not a demand.
_DEMAND_THAT = frozenset({"demand", "insist", "urge", "request", "order", "ask", "require", "press"})


@dataclass
class _Found:
    """An event while it is being built."""

    type: str
    mode: str | None
    trigger: tuple[int, int]
    token: Token
    clause: Token
    actor: Actor | None = None
    target: Actor | None = None
    hedged: bool = False
    negated: bool = False
    planned: bool = False
    statement: bool = False  # the announcement of a planned action; dated by its report, not the plan


@dataclass
class _Frame:
    """How a clause presents its action: ``kind`` is future, statement, schedule, refusal, request,
    threat, attempt or failed; ``anchor`` is the word that frames it ("agreed", "will", "refused")."""

    kind: str
    anchor: Token


def _span(first: Token, last: Token | None = None) -> tuple[int, int]:
    last = last if last is not None else first
    return (first.idx, last.idx + len(last.text))


class _Coder:
    def __init__(self, roles: RoleFinder, lex: Lexicon) -> None:
        self.roles = roles
        self.lex = lex
        self.found: list[_Found] = []
        self.consumed: set[int] = set()  # event nouns already coded through their verb
        self.framed: dict[int, _Found] = {}  # framing word (token index) → the action it frames
        # Light-verb word → its class, the first class in _LIGHT_ORDER that lists it.
        self.light_words: dict[str, tuple[int, str]] = {}
        for rank, name in enumerate(_LIGHT_ORDER):
            for word in lex.light[name]:
                self.light_words.setdefault(word, (rank, name))
        self.keys: dict[int, list[str]] = {}  # token index → lemma_keys, computed once per token
        # Words that give a verb a class or senses: lexicon verbs, light verbs and the verb part of phrasal
        # verbs ("blow" of "blow up"); and (lemma, form) → may_code().
        self.coding_words = set(lex.verbs) | set(self.light_words)
        self.coding_words.update(entry[:i] for entry in lex.phrasal for i, c in enumerate(entry) if c == " ")
        self.known: dict[tuple[str, str], bool] = {}

    def run(self, doc: Doc) -> list[_Found]:
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
        found = _Found(own.type, own.mode, _span(verb), verb, verb, actor, self.target(verb, actor))
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
            event_type, mode = "REJECT", _request_mode(event_type)
        elif light == "request":
            event_type, mode = "REQUEST", _request_mode(event_type)
        elif light == "threaten":
            event_type, mode = "THREATEN", _threat_mode(event_type)
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
        span = _span(verb, noun) if 0 < noun.i - verb.i <= _TRIGGER_GAP else _span(noun)
        found = _Found(event_type, mode, span, noun, verb, actor, target)
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
        if actor_tok is None and governor is not None and _protest_context(noun, senses):
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
        found = _Found(sense.type, sense.mode, _span(noun), noun, governor or noun, actor, target)
        self.add(found, None)

    def noun_actor(self, found: _Found, noun: Token) -> None:
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
                for pobj in prep_objects(tok, _NOUN_TARGET_PREPS):
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
        candidates += prep_objects(verb, _TARGET_PREPS)
        for tok in candidates:
            if _own(tok, self.lex):
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

    def protest_target(self, found: _Found) -> Actor | None:
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

    def coordinated_party(self, found: _Found, subject_tok: Token | None) -> None:
        """ "Japan and Portugal agreed": with no other target, the second subject is the other party."""
        if found.target is not None or subject_tok is None or found.type not in _SYMMETRIC:
            return
        head = skip_partitive(subject_tok)
        other = next((c for c in head.children if c.dep_ == "conj"), None)
        if other is not None:
            found.target = self.roles.actor(other)

    # -- frames --------------------------------------------------------------------------------------

    def frame(self, verb: Token, depth: int = 0) -> _Frame | None:
        """How the clause presents the verb's action (see :class:`_Frame`), or None for a plain report."""
        intent = self.lex.intent
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in _MODALS_FUTURE), None)
        if modal is not None:
            return _Frame("future", modal)
        head = verb.head
        if head.i == verb.i or depth > 3:
            return None
        lemma = head.lemma_.lower()
        if verb.dep_ == "ccomp" and lemma in _DEMAND_THAT:
            return _Frame("request", head)  # "demanded that Iran stop"
        if verb.dep_ == "ccomp":
            # "reiterated its demand that Israel ease …": the that-clause belongs to the object noun.
            for obj in (c for c in head.children if c.dep_ == "dobj"):
                noun_senses = self.lex.nouns.get(obj.lower_)
                if noun_senses and noun_senses[-1].type in ("REQUEST", "THREATEN"):
                    return _Frame("request", obj)
        if verb.dep_ in ("acl", "relcl", "ccomp") and head.pos_ == "NOUN":
            noun_senses = self.lex.nouns.get(head.lower_)
            if noun_senses and noun_senses[-1].type in ("REQUEST", "THREATEN", "REJECT"):
                return _Frame("request", head)  # "its demand that Israel ease restrictions"
            if head.lower_ in _PLAN_NOUNS:
                return _Frame("schedule", head)  # "accepted an invitation to visit Hanoi"
        if not (is_complement(verb) or (verb.dep_ == "ccomp" and head.pos_ == "ADJ")):
            return None
        if lemma in _ASPECT:
            return self.frame(head, depth + 1) or None  # "prepared to resume shelling"
        if lemma in _ATTEMPT:
            return None
        if lemma == "fail":
            return _Frame("failed", head)
        for name, kind in (("refusal", "refusal"), ("request", "request"), ("threat", "threat")):
            if lemma in intent[name]:
                return _Frame(kind, head)
        if lemma in intent["statement"]:
            return _Frame("statement", head)
        if lemma in intent["schedule"] or (head.pos_ == "ADJ" and lemma in intent["adjectives"]):
            return _Frame("schedule", head)
        if lemma == "go" and head.tag_ == "VBG":
            return _Frame("future", head)
        return None

    def add(self, found: _Found, frame: _Frame | None) -> None:
        verb = found.clause
        if found.type == "PROTEST" and found.target is None:
            found.target = self.protest_target(found)
        found.hedged = found.hedged or _hedged(verb) or _hedged(found.token)
        found.negated = (
            found.negated
            or _negated(verb)
            or _negated(found.token)
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
        if frame.kind == "statement" and _negated(anchor):
            found.negated = True
        own_senses = self.verb_senses(anchor) if frame.kind == "statement" else None
        own = self.choose(own_senses, None, found.actor) if own_senses else None
        if own is not None and own.type is not None:
            # "agreed to", "offered to", "promised to": the verb codes itself; lend it the target.
            self.framed[anchor.i] = found
            return
        now_type = _intent_type(found.type, anchor.lemma_.lower())
        if found.negated:
            now_type = "REJECT" if QUAD_CLASS.get(found.type) in (1, 2) else None
        if now_type is None:
            return
        if frame.kind == "future" and 0 < verb.i - anchor.i <= _TRIGGER_GAP:
            span = _span(anchor, verb)
        else:
            span = _span(anchor if frame.kind == "statement" else verb)
        self.found.append(
            _Found(
                now_type,
                _threat_mode(found.type) if now_type == "THREATEN" else None,
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
                item.mode = _threat_mode(action_type)
            elif (item.type == "REQUEST" and item.mode is None) or (
                item.type == "REJECT" and item.mode is None
            ):
                item.mode = _request_mode(action_type)
            if (
                item.type == "REQUEST"
                and item.token.lemma_ in _ORDERS
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
        if speech.lemma_ not in ("say", "announce", "conclude", "declare", "insist", "state", "add", "tell"):
            return False
        actor = self.roles.actor(subject(speech, self.lex))
        target = self.roles.actor(explicit_subject(verb))
        if actor is None or target is None or same_actor(actor, target):
            return False
        found = _Found("REQUEST", None, _span(modal), modal, speech, actor, target)
        senses = self.verb_senses(verb)
        sense = self.choose(senses, direct_object(verb), target) if senses else None
        if sense is not None and sense.type is not None:
            found.mode = _request_mode(sense.type)
        self.add(found, None)
        return True

    def instrument(self, verb: Token) -> str | None:
        words = {t.lower_ for t in verb.sent}
        for mode in ("suicide-attack", "explosives", "heavy-weapons", "firearms", "primitive"):
            if words & self.lex.instruments[mode]:
                return mode
        return None


def _own(tok: Token, lex: Lexicon) -> bool:
    """True for forces, arms or land owned by a pronoun ("its troops", "their weapons", "its borders"):
    the actor's own, not a target. ("her counterpart" is someone else.)"""
    if not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in tok.children):
        return False
    low = tok.lower_
    return any(low in lex.classes[name] for name in ("forces", "arms", "territory"))


def _protest_context(noun: Token, senses: Sequence[Sense]) -> bool:
    return (
        senses[-1].type == "PROTEST"
        and noun.dep_ == "pobj"
        and noun.head.lower_ in _PROTEST_PREPS
        and noun.head.head.pos_ in ("VERB", "AUX")
    )


def _intent_type(action: str, anchor_lemma: str) -> str | None:
    """The type of announcing ``action``: AGREE to cooperate, THREATEN to harm (MOBILIZE when preparing)."""
    quad = QUAD_CLASS.get(action, 0)
    if quad in (1, 2):
        return "AGREE"
    if quad == 3:
        return action
    if anchor_lemma == "prepare" and action in ("ASSAULT", "COERCE", "MOBILIZE"):
        return "MOBILIZE"
    return "THREATEN"


def _threat_mode(action: str) -> str | None:
    return {
        "SANCTION": "relations",
        "ASSAULT": "violence",
        "MOBILIZE": "violence",
        "COERCE": "restrict",
        "PROTEST": "restrict",
        "CONSULT": "relations",
    }.get(action)


def _request_mode(action: str) -> str | None:
    return {
        "CONSULT": "meet",
        "AGREE": "meet",
        "AID": "assist",
        "COOPERATE": "assist",
        "SUPPORT": "assist",
        "RETREAT": "yield",
        "CONCEDE": "yield",
    }.get(action)


# -- flags -------------------------------------------------------------------------------------------


def _hedged(tok: Token) -> bool:
    gov = tok
    for _ in range(3):
        if any(c.lower_ in HEDGE_ADVERBS for c in gov.children):
            return True
        if gov.i == tok.i and any(c.dep_ == "aux" and c.lower_ in _MODALS_HEDGE for c in gov.children):
            return True
        if gov.head.i == gov.i:
            break
        gov = gov.head
    # "are thought to have met", "is believed to be planning", "appears to have fired".
    while (tok.dep_ in ("xcomp", "conj") or is_complement(tok)) and tok.head.i != tok.i:
        head = tok.head
        if head.lemma_ in HEDGE_VERBS and any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children):
            return True
        if head.lemma_ in ("appear", "seem") and is_complement(tok):
            return True
        tok = head
    return False


def _negated(tok: Token) -> bool:
    if any(
        c.dep_ == "neg" or (c.lower_ in ("never", "no") and c.dep_ in ("det", "neg")) for c in tok.children
    ):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "without"


# -- links -------------------------------------------------------------------------------------------


def _clause_path(tok: Token) -> frozenset[int]:
    """The tokens from ``tok`` up to the top of its clause: ``tok`` hangs under each of them without
    crossing into another clause (50 steps at most)."""
    path = []
    for _ in range(50):
        path.append(tok.i)
        if tok.dep_ in _CLAUSAL or tok.head.i == tok.i:
            break
        tok = tok.head
    return frozenset(path)


@dataclass(frozen=True)
class _Linkable:
    """A place or time mention, parsed once per article for linking: its root and the root's clause path."""

    id: str
    span: tuple[int, int]
    root: int
    path: frozenset[int]


def _linkables(doc: Doc, spans: Sequence[tuple[str, tuple[int, int]]]) -> list[_Linkable]:
    """The mentions that can be linked (those that cover at least one token), in the given order."""
    out = []
    for item_id, (start, end) in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        root = span.root
        out.append(_Linkable(item_id, (start, end), root.i, _clause_path(root)))
    return out


def _link(found: _Found, items: Sequence[_Linkable], avoid: Sequence[tuple[int, int]]) -> str | None:
    """The id of the nearest mention in the trigger's own clause, skipping mentions inside ``avoid``."""
    best: tuple[int, str] | None = None
    clause, token = found.clause.i, found.token.i
    for item in items:
        start, end = item.span
        if any(lo <= start and end <= hi for lo, hi in avoid):
            continue
        if clause not in item.path and token not in item.path:
            continue
        distance = abs(item.root - token)
        if best is None or distance < best[0]:
            best = (distance, item.id)
    return best[1] if best else None


def _reported_by(start: int, attributions: Sequence[Attribution]) -> int | None:
    """Index of the innermost attribution whose content contains character ``start``."""
    best: tuple[int, int] | None = None
    for index, attribution in enumerate(attributions):
        lo, hi = attribution.content
        if lo <= start < hi and (best is None or hi - lo < best[0]):
            best = (hi - lo, index)
    return best[1] if best else None


def _place_country(place: Place) -> str | None:
    """ISO alpha-3 of a place: its resolved country, else what its name says (a country or a city)."""
    if place.country:
        country = countries.by_code(place.country)
        if country is not None:
            return country.alpha3
    match = countries.lookup(place.name, cities=True)
    return match.country.alpha3 if match is not None else None


def _after(value: str | None, reference: dt.date | None) -> bool:
    if not value or reference is None or len(value) < 10:
        return False
    try:
        return dt.date.fromisoformat(value[:10]) > reference
    except ValueError:
        return False


def find_events(
    doc: Doc,
    entities: Sequence[Entity],
    places: Sequence[Place] = (),
    times: Sequence[TimeRef] = (),
    attributions: Sequence[Attribution] = (),
    reference: dt.date | None = None,
) -> list[Event]:
    """Code the events of a parsed article.

    Args:
        doc: The parsed Doc (dependency parse and entities).
        entities: The article's entities, ideally with ``country``/``sector`` from
            :func:`newsgraph.extract.actors.describe_entities`.
        places: Place mentions (``p1``…) to link as where an event happened.
        times: Time expressions (``t1``…) to link as when; a linked date after ``reference`` makes the
            event planned.
        attributions: The article's attributions; an event inside one's content is ``reported_by`` it.
        reference: The publication date.

    Returns:
        Coded events in text order (``candidate`` False). An event needs an actor or a target that
        names someone; a trigger with neither ("the fighting went on") is not an event record.
    """
    lex = load_lexicon()
    coder = _Coder(RoleFinder(doc, entities, attributions, lex), lex)
    found = coder.run(doc)
    place_spans = _linkables(doc, [(p.id, p.span) for p in places])
    place_countries = {p.id: _place_country(p) for p in places}
    time_spans = _linkables(doc, [(t.id, t.span) for t in times if t.type not in ("DURATION", "SET")])
    values = {t.id: t.value for t in times}
    events: list[Event] = []
    seen: set[tuple[tuple[int, int], str]] = set()
    for item in sorted(found, key=lambda f: (f.trigger, not f.statement)):
        if (item.actor is None and item.target is None) or (item.trigger, item.type) in seen:
            continue
        if item.type == "CONSULT" and item.target is not None and item.target.sector == "JRN":
            continue  # "told reporters", "speaking to journalists": a statement, not a consultation
        seen.add((item.trigger, item.type))
        actor, target = item.actor, item.target
        if (
            actor is not None
            and target is not None
            and (same_actor(actor, target) or actor.name == target.name)
        ):
            target = None  # a party is not its own target
        avoid = [a.span for a in (actor, target) if a is not None and a.span is not None]
        if item.type == "CONSULT" and item.mode == "visit":
            avoid = avoid[:1]  # the place visited is where the visit happens
        place = _link(item, place_spans, avoid)
        action = coder.framed.get(item.token.i)
        if place is None and action is not None:
            place = _link(action, place_spans, avoid)  # "threatened to impose a curfew in Algiers"
        time = None if item.statement else _link(item, time_spans, ())
        actor = infer_country(actor, target, place_countries.get(place or ""))
        events.append(
            Event(
                trigger=item.trigger,
                type=item.type,
                mode=item.mode,
                actor=actor.entity if actor else None,
                target=target.entity if target else None,
                place=place,
                time=time,
                hedged=item.hedged,
                negated=item.negated,
                planned=item.planned or _after(values.get(time or ""), reference),
                candidate=False,
                actor_name=actor.name if actor else None,
                actor_country=actor.code if actor else None,
                actor_sector=actor.sector if actor else None,
                target_name=target.name if target else None,
                target_country=target.code if target else None,
                target_sector=target.sector if target else None,
                reported_by=_reported_by(item.trigger[0], attributions),
            )
        )
    events.sort(key=lambda e: e.trigger)
    return events


def main_event(doc: Doc, events: Sequence[Event]) -> Event | None:
    """The event a sentence is mainly about: asserted before planned, then highest in the parse tree.

    Used to code one event per sentence, as PLOVER's gold records do: events neither planned nor negated
    come first, then the trigger closest to the root (steps into subordinate clauses and prepositional
    phrases count double), then text order.
    """
    best: tuple[tuple[int, int, int, int], Event] | None = None
    for event in events:
        span = doc.char_span(event.trigger[0], event.trigger[1], alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        depth = 0
        while tok.head.i != tok.i:
            depth += 2 if tok.dep_ in ("advcl", "relcl", "acl", "pcomp", "prep", "pobj") else 1
            tok = tok.head
        key = (int(event.negated), int(event.planned), depth, event.trigger[0])
        if best is None or key < best[0]:
            best = (key, event)
    return best[1] if best else None
