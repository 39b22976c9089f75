"""Attribution: who said what, according to whom, from the dependency parse and quote marks.

``find_attributions(doc, entities)`` finds reporting cues ("said", "told reporters", "according to",
"was quoted as saying by"), their source and content, classifies each as direct, indirect or mixed,
resolves the speaker to an entity (through pronouns and role descriptions), and records reporting chains
(``via``).
Hedged claims with no named source ("are thought to have met", "reportedly") yield no attribution.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.entities import gender_of, is_news_organisation
from newsgraph.extract.lexicon import (
    HEDGE_VERBS,
    NON_SPEAKERS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    THING_PRONOUNS,
    WEAK_SPEECH_VERBS,
)
from newsgraph.extract.quotes import find_quote_spans
from newsgraph.schema import Attribution, Entity, Via

_SUBJECTS = ("nsubj", "nsubjpass")
_TRIM = " \t\n,;:.—–-"
# How far back (in characters) a pronoun may reach for its speaker. Wire stories switch speakers every
# few paragraphs; two paragraphs of ~600 characters cover "He also said…" after a quote.
_PRONOUN_WINDOW = 1200


def _char_span(tokens: Iterable[Token]) -> tuple[int, int]:
    toks = list(tokens)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(text: str, start: int, end: int, chars: str = _TRIM) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _subtree_span(tok: Token, exclude: Token | None = None) -> tuple[int, int]:
    toks = [
        t for t in tok.subtree if exclude is None or not (exclude.left_edge.i <= t.i <= exclude.right_edge.i)
    ]
    return _char_span(toks)


class _Resolver:
    """Maps a source mention to an entity: names, role descriptions, then pronouns."""

    def __init__(self, doc: Doc, entities: list[Entity]):
        self.doc = doc
        self.entities = entities
        self.mentions = sorted((s, e, ent) for ent in entities for s, e in ent.mentions)
        self.last_speaker: tuple[int, Entity] | None = None

    def mention_at(self, start: int, end: int, head: Token) -> Entity | None:
        """The entity named by the phrase ``[start, end)`` headed by ``head``.

        A mention containing the head wins; otherwise a name or organisation right before the head
        ("Kyodo News agency"), but not a modifier ("the Portuguese minister" is not Portugal).
        """
        inside = [(s, e, ent) for s, e, ent in self.mentions if s < end and e > start]
        anchor = head.idx
        for s, e, ent in inside:
            if s <= anchor < e:
                return ent
        before = [(s, e, ent) for s, e, ent in inside if e <= anchor and anchor - e <= 1]
        for _, _, ent in before:
            if ent.type in ("ORG", "PERSON", "FAC"):
                return ent
        return None

    def resolve(self, source: tuple[int, int], head: Token) -> Entity | None:
        entity = self.mention_at(*source, head)
        if entity is not None:
            return entity
        for child in head.children:
            # "the spokesman, Lee Min-ho, said": the appositive names the speaker.
            if child.dep_ == "appos":
                entity = self.mention_at(
                    child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text), child
                )
                if entity is not None:
                    return entity
        word = head.lower_
        if word in PERSON_PRONOUNS:
            return self._antecedent(source[0], {"PERSON"}, PERSON_PRONOUNS[word])
        if word in PLURAL_PRONOUNS or word in THING_PRONOUNS:
            return self._antecedent(source[0], {"ORG", "GPE", "NORP"}, None)
        phrase = self.doc.text[source[0] : source[1]]
        for ent in self.entities:
            # A surname the model did not tag: "Marques said" after "Helena Marques".
            names = {ent.name.lower(), *(a.lower() for a in ent.aliases)}
            if phrase.lower() in names or (ent.type == "PERSON" and head.text == ent.name.split()[-1]):
                return ent
        if word in ROLE_NOUNS and not head.ent_type_:
            return self._by_role(word, source[0])
        return None

    def _by_role(self, noun: str, position: int) -> Entity | None:
        """ "the minister": the person last introduced with that role."""
        best: tuple[int, Entity] | None = None
        for s, _, ent in self.mentions:
            if s < position and ent.type == "PERSON" and ent.role and noun in ent.role.lower().split():
                if best is None or s > best[0]:
                    best = (s, ent)
        return best[1] if best else None

    def _antecedent(self, position: int, types: set[str], gender: str | None) -> Entity | None:
        if self.last_speaker is not None:
            at, ent = self.last_speaker
            if ent.type in types and position - at < _PRONOUN_WINDOW and gender_of(ent) in (None, gender):
                return ent
        for s, _, ent in reversed(self.mentions):
            if s >= position:
                continue
            if position - s > _PRONOUN_WINDOW:
                break
            if ent.type in types and (gender is None or gender_of(ent) in (None, gender)):
                return ent
        return None


def _is_hedge(verb: Token) -> bool:
    """ "are thought to have met", "is said to be": a passive report verb with an infinitive and no agent."""
    if verb.lemma_ not in HEDGE_VERBS:
        return False
    children = list(verb.children)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
    has_agent = any(c.dep_ == "agent" for c in children)
    has_inf = any(c.dep_ == "xcomp" for c in children)
    return passive and has_inf and not has_agent


def _cue_span(verb: Token, last: Token | None = None) -> tuple[int, int]:
    toks = [c for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg") and c.i >= verb.i - 3] + [verb]
    toks += [c for c in verb.rights if c.dep_ == "prt"]
    if last is not None:
        toks.append(last)
    toks.sort(key=lambda t: t.i)
    return _char_span([toks[0], toks[-1]])


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in _SUBJECTS:
            return c
    # "… and said": the subject of the first verb of a coordination.
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def _np_span(tok: Token, doc: Doc) -> tuple[int, int]:
    """The noun phrase headed by ``tok``, without trailing appositives, relative clauses or punctuation."""
    keep = [tok]
    for c in tok.lefts:
        keep.extend(c.subtree)
    for c in tok.rights:
        if c.dep_ in ("appos", "relcl", "punct", "acl", "cc", "conj"):
            break
        keep.extend(c.subtree)
    keep.sort(key=lambda t: t.i)
    start, end = _char_span(keep)
    return _trim(doc.text, start, end)


class _Finder:
    def __init__(self, doc: Doc, entities: list[Entity]):
        self.doc = doc
        self.text = doc.text
        self.entities = entities
        self.quotes = find_quote_spans(doc.text)
        self.resolver = _Resolver(doc, entities)
        self.found: list[tuple[Attribution, Token | None]] = []
        self.used: set[int] = set()  # verbs already consumed by a longer cue ("quoted as saying")

    # -- content ------------------------------------------------------------------------------------------
    def quotes_in(self, start: int, end: int) -> list[tuple[int, int]]:
        return [q for q in self.quotes if q[0] < end and q[1] > start]

    def content_for(self, verb: Token, exclude: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Content spans of a reporting verb: its clausal complement, or the quotes beside it."""
        sent = verb.sent
        comp = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i != verb.i), None)
        if comp is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.i != verb.i:
            # "The talks will resume, he said": the parse hangs the cue under the content.
            head = verb.head
            start, end = _subtree_span(head, exclude=verb)
            return [self._clean(start, end)]
        if comp is not None:
            start, end = self._clean(*_subtree_span(comp))
            inside = self.quotes_in(start, end)
            if inside and all(q[0] <= start + 1 and q[1] >= end - 1 for q in inside):
                # The complement is a quote: take the quote with its marks.
                return self._quotes_near(sent, exclude) or [(start, end)]
            return [(start, end)]
        return self._quotes_near(sent, exclude)

    def _quotes_near(self, sent: Span, exclude: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for q in self.quotes_in(sent.start_char, sent.end_char):
            if any(q[0] < e and q[1] > s for s, e in exclude):
                continue
            out.append(q)
        return out

    def _clean(self, start: int, end: int) -> tuple[int, int]:
        """Trim a content span: outer punctuation, and quote marks whose partner lies outside it."""
        while True:
            before = (start, end)
            start, end = _trim(self.text, start, end)
            quotes = self.quotes_in(start, end)
            # A closing mark of the previous quote, or an opening mark of the next, is not content.
            if any(q[1] - 1 == start for q in quotes) or any(q[0] == end - 1 for q in quotes):
                start += any(q[1] - 1 == start for q in quotes)
                end -= any(q[0] == end - 1 for q in quotes)
            # A mixed quote ending in a quoted fragment keeps its opening mark but not the closing one
            # ('Portugal will "work … peoples'), as a reader would cite it.
            elif end > start and self.text[end - 1] in "”\"»’" and any(start < q[0] < end == q[1] for q in quotes):
                end -= 1
            if (start, end) == before:
                return start, end

    def kind_of(self, content: tuple[int, int]) -> str:
        quotes = self.quotes_in(*content)
        if not quotes:
            return "indirect"
        if any(q[0] <= content[0] and q[1] >= content[1] for q in quotes):
            return "direct"
        return "mixed"

    # -- attributions -------------------------------------------------------------------------------------
    def add(
        self,
        source_tok: Token | None,
        source: tuple[int, int] | None,
        cue: tuple[int, int],
        contents: list[tuple[int, int]],
        via: list[Via],
        verb: Token | None,
    ) -> None:
        speaker = None
        if source is not None and source_tok is not None:
            speaker = self.resolver.resolve(source, source_tok)
        role = None
        if source is not None and source_tok is not None:
            role = self._role(source_tok, speaker)
        for content in contents:
            if content[1] <= content[0]:
                continue
            name = speaker.name if speaker else (self._phrase(source) if source else None)
            attribution = Attribution(
                content=content,
                kind=self.kind_of(content),
                source=source,
                cue=cue,
                speaker=speaker.id if speaker else None,
                speaker_name=name,
                role=role,
                via=list(via),
            )
            self.found.append((attribution, verb))
        if speaker is not None and source is not None:
            self.resolver.last_speaker = (source[0], speaker)

    def _phrase(self, source: tuple[int, int]) -> str:
        """An unresolved speaker's name: the source phrase without a leading article."""
        text = self.text[source[0] : source[1]]
        first, _, rest = text.partition(" ")
        return rest if first.lower() in ("the", "a", "an") and rest else text

    def _role(self, head: Token, speaker: Entity | None) -> str | None:
        words = [t for t in head.lefts if t.lower_ in ROLE_NOUNS or t.lower_ in ROLE_MODIFIERS]
        if head.lower_ in ROLE_NOUNS and not head.ent_type_:
            words.append(head)
        while words and words[-1].lower_ not in ROLE_NOUNS:
            words.pop()
        if words:
            return " ".join(t.text for t in words)
        return speaker.role if speaker else None

    def via_for(self, tok: Token) -> Via:
        start, end = _np_span(tok, self.doc)
        entity = self.resolver.mention_at(start, end, tok)
        name = entity.name if entity else self.text[start:end]
        return Via(name=name, span=(start, end), entity=entity.id if entity else None)

    def run(self) -> list[Attribution]:
        for sent in self.doc.sents:
            for tok in sent:
                if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
                    self.according_to(tok)
                elif tok.lemma_ in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX") and not _is_hedge(tok):
                    self.reporting_verb(tok)
        self.floating_quotes()
        self.link_chains()
        attributions = [a for a, _ in self.found]
        attributions.sort(key=lambda a: (a.content[0], a.content[1]))
        return attributions

    def according_to(self, tok: Token) -> None:
        to = next(c for c in tok.children if c.lower_ == "to")
        obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if obj is None:
            return
        source = _np_span(obj, self.doc)
        cue = _char_span([tok, to])
        prep = tok if tok.dep_ != "ROOT" else None
        clause = tok.head if prep is not None else None
        while clause is not None and clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        if clause is None:
            return
        start, end = _subtree_span(clause, exclude=prep)
        start, end = self._clean(start, end)
        if end <= start:
            return
        self.add(obj, source, cue, [(start, end)], [], clause)

    def reporting_verb(self, verb: Token) -> None:
        lemma = verb.lemma_
        children = list(verb.children)
        via: list[Via] = []
        cue_end: Token | None = None
        subj = _subject(verb)
        if lemma == "quote":
            saying = next((t for t in verb.subtree if t.lemma_ in ("say", "tell") and t.i > verb.i), None)
            cue_end = saying
            agent = next(
                (
                    c
                    for c in verb.subtree
                    if c.dep_ == "agent" or (c.lower_ == "by" and c.head in (verb, saying))
                ),
                None,
            )
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
            if passive:
                # "Ms Ribeiro was quoted as saying by Kyodo News"
                if agent is not None:
                    obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        via.append(self.via_for(obj))
            else:
                # "Kyodo quoted Ms Ribeiro as saying"
                obj = next((c for c in children if c.dep_ == "dobj"), None)
                if subj is not None and obj is not None:
                    via.append(self.via_for(subj))
                    subj = obj
            if saying is not None:
                self.used.add(saying.i)
        elif (
            lemma in WEAK_SPEECH_VERBS
            and not any(c.dep_ == "ccomp" for c in children)
            and not self.quotes_in(verb.sent.start_char, verb.sent.end_char)
        ):
            return
        if verb.i in self.used:
            return
        if subj is None or subj.lower_ in NON_SPEAKERS:
            return
        if lemma == "tell":
            obj = next((c for c in children if c.dep_ in ("dobj", "dative")), None)
            if (
                obj is not None
                and obj.ent_type_ == "ORG"
                and is_news_organisation(self.doc[obj.left_edge.i : obj.i + 1].text)
            ):
                via.append(self.via_for(obj))
        source = _np_span(subj, self.doc)
        cue = _cue_span(verb, cue_end)
        exclude = [source, cue]
        contents = self.content_for(verb, exclude)
        if not contents and cue_end is not None:
            contents = self.content_for(cue_end, exclude)
        contents = [c for c in contents if not (c[0] <= cue[0] and c[1] >= cue[1])] or [
            c for c in contents if self.kind_of(c) != "direct"
        ]
        if not contents:
            return
        self.add(subj, source, cue, contents, via, verb)

    def floating_quotes(self) -> None:
        """Quotes with no cue of their own belong to the speaker of the nearest preceding attribution."""
        covered = [a.content for a, _ in self.found]
        for q in self.quotes:
            if any(c[0] < q[1] and c[1] > q[0] for c in covered):
                continue
            # A short quoted phrase inside a sentence is a title or a scare quote, not speech.
            if len(self.text[q[0] : q[1]].split()) < 5:
                continue
            previous = [a for a, _ in self.found if a.content[1] <= q[0] and a.speaker is not None]
            if not previous:
                continue
            last = max(previous, key=lambda a: a.content[1])
            if q[0] - last.content[1] > _PRONOUN_WINDOW:
                continue
            floating = Attribution(
                content=q,
                kind="direct",
                speaker=last.speaker,
                speaker_name=last.speaker_name,
                role=last.role,
                via=list(last.via),
            )
            self.found.append((floating, None))

    def link_chains(self) -> None:
        """An attribution inside another's content was relayed by its speaker: "Reuters reported X said"."""
        for inner, _ in self.found:
            if inner.source is None:
                continue
            for outer, _ in self.found:
                if outer is inner or outer.speaker_name is None:
                    continue
                if outer.content[0] <= inner.source[0] and inner.content[1] <= outer.content[1] + 1:
                    names = {v.name for v in inner.via}
                    if outer.speaker_name not in names and outer.speaker_name != inner.speaker_name:
                        inner.via.append(
                            Via(name=outer.speaker_name, span=outer.source, entity=outer.speaker)
                        )
                        inner.via.extend(v for v in outer.via if v.name not in names)


def find_attributions(doc: Doc, entities: list[Entity]) -> list[Attribution]:
    """Find the attributions in ``doc``.

    Args:
        doc: A parsed Doc (tagger, parser and NER have run).
        entities: The article's entities (from :func:`newsgraph.extract.entities.find_entities`), used to
            resolve speakers and relays.

    Returns:
        Attributions in text order of their content.
    """
    return _Finder(doc, entities).run()
