"""Attribution: who said what, according to whom.

:func:`find_attributions_and_claims` works in three steps:

1. **Roles.** A CRF trained on PolNeAR (:mod:`newsgraph.extract.roles`) tags every token as part of a source,
   a cue or a content, the way PolNeAR annotates them: cues are verb groups, nouns or phrases ("said", "has
   repeatedly called for", "according to", "in the eyes of"), contents include their complementiser
   ("that …") and their quote marks, sources include their modifiers.
2. **Assembly.** Each cue takes the source and contents that belong to it: those its parse links to it, else
   the nearest in its sentence, then in its paragraph. A content with no cue of its own continues the
   nearest attribution before it (a quote running on into the next paragraph, a "floating" quote).
3. **Resolution.** The source becomes a speaker entity of the article (names, surnames with honorifics,
   role descriptions, pronouns); the speaker's role is recorded; reporting chains (``via``) come from "X was
   quoted as saying by Y", "X quoted Y as saying", "X told Kyodo News", and from attributions nested in
   another's content ("Reuters reported that the minister said …"), which rules add because PolNeAR
   annotates only the outer one.

A content whose cue has no source ("officials are thought to have met", "it is expected that …") is a claim,
not an attribution: it is returned apart, with no speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.discourse import Hedges, match_dateline
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.entities import gender_of, is_news_organisation
from newsgraph.extract.lexicon import (
    COLON_LABELS,
    NON_SPEAKERS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    STRONG_SPEECH_VERBS,
    THING_PRONOUNS,
)
from newsgraph.extract.quotes import find_quote_spans
from newsgraph.extract.roles import RoleSpan, paragraphs, tag_roles
from newsgraph.schema import Attribution, Entity, Via

# How far back (in characters) a pronoun may reach for its speaker. Wire stories switch speakers every
# few paragraphs; two paragraphs of ~600 characters cover "He also said…" after a quote.
_PRONOUN_WINDOW = 1200
# A content with no cue in its paragraph continues the attribution before it only this many paragraphs
# back: PolNeAR's multi-paragraph quotes and "floating" quotes follow their cue's paragraph directly.
_CONTINUATION_PARAGRAPHS = 1
# Quoted passages shorter than this are titles, nicknames or scare quotes rather than floating speech.
_FLOATING_MIN_WORDS = 5
_OPENING_MARKS = '“"«‘'
_CLOSING_MARKS = '”"»’'
_EDGE_PUNCT = " \t\n,;:.—–-"
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Clauses that share the subject of the verb they hang from ("…, saying", "and added", "promising to"), and
# how many such links a cue follows up to a verb with a subject.
_INHERITING_DEPS = ("advcl", "xcomp", "conj")
_INHERIT_STEPS = 2
# How many tokens back a participle cue after a comma ("…, saying") looks for the cue whose source it shares.
_PARTICIPLE_REACH = 40
# A quote signed "― Name" at the end of its line: the dashes that sign, and the most words a name has.
_SIGNATURE_DASHES = ("―", "—", "–", "--")
_SIGNATURE_WORDS = 5
# Entity types that speak, for names before a colon.
_SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
_NAME_EDGES = " \t\u00a0."
# A middle initial ("Julie A. Diaz"), which the tagger may not take for part of a name.
_INITIAL = re.compile(r"[A-Z]\.?")


def _char_span(tokens: Iterable[Token]) -> tuple[int, int]:
    if isinstance(tokens, Span):
        return tokens.start_char, tokens.end_char
    toks = list(tokens)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _overlaps_tokens(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _root(span: Span) -> Token:
    """The token of ``span`` whose head lies outside it (the first such when there are several)."""
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[0]


def _np_span(tok: Token, text: str) -> tuple[int, int]:
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
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


class _Resolver:
    """Maps a source mention to an entity: names, role descriptions, then pronouns."""

    def __init__(self, doc: Doc, text: str, entities: list[Entity]):
        self.doc = doc
        self.text = text
        self.entities = entities
        self.mentions = sorted((s, e, ent) for ent in entities for s, e in ent.mentions)
        self.last_speaker: tuple[int, Entity] | None = None

    def mention_at(self, start: int, end: int, head: Token) -> Entity | None:
        """The entity named by the phrase ``[start, end)`` headed by ``head``.

        A mention containing the head wins; otherwise a name or organisation right before the head
        ("Kyodo News agency"), but not a modifier ("the Portuguese minister" is not Portugal); otherwise,
        for a long source phrase ("Sterling Pratt, wine director at Schaefer's"), the first person or
        organisation named in it.
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
        for s, e, ent in inside:
            if s >= start and e <= end and ent.type in ("PERSON", "ORG") and s <= anchor:
                return ent
        return None

    def resolve(self, source: tuple[int, int], head: Token) -> Entity | None:
        entity = self.mention_at(*source, head)
        if entity is not None:
            return entity
        # "the spokesman, Lee Min-ho, said": the appositive names the speaker. The parse may hang the name
        # from a nearer noun ("a spokesman for the Rapid Support Forces, Khalid Osman, said"): inside the
        # source of a role noun, a person named in apposition is still the speaker.
        own = [t for t in head.children if t.dep_ == "appos"]
        deeper = (
            [
                t
                for t in head.subtree
                if t.dep_ == "appos" and t.head.i != head.i and source[0] <= t.idx < source[1]
            ]
            if head.lower_ in ROLE_NOUNS
            else []
        )
        for token in own + deeper:
            entity = self.mention_at(
                token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text), token
            )
            if entity is not None and (token.head.i == head.i or entity.type == "PERSON"):
                return entity
        word = head.lower_
        if word in PERSON_PRONOUNS:
            return self._antecedent(source[0], {"PERSON"}, PERSON_PRONOUNS[word])
        if word in PLURAL_PRONOUNS or word in THING_PRONOUNS:
            return self._antecedent(source[0], {"ORG", "GPE", "NORP"}, None)
        phrase = self.text[source[0] : source[1]]
        for ent in self.entities:
            # A surname the model did not tag: "Marques said" after "Helena Marques".
            names = {ent.name.lower(), *(a.lower() for a in ent.aliases)}
            if phrase.lower() in names or (ent.type == "PERSON" and head.text == ent.name.split()[-1]):
                return ent
        if word in ROLE_NOUNS and not head.ent_type_:
            return self._by_role(word, source[0])
        if head.pos_ == "NOUN":
            return self._by_description(head, source[0])
        return None

    def _by_description(self, head: Token, position: int) -> Entity | None:
        """ "the coast guard", "the ministry": the organisation named before with those last words
        ("China Coast Guard", "Interior Ministry"), the latest one when several are."""
        words = [t.lower_ for t in head.lefts if t.dep_ == "compound"] + [head.lower_]
        best: tuple[int, Entity] | None = None
        for s, _, ent in self.mentions:
            if s >= position or ent.type != "ORG":
                continue
            if ent.name.lower().split()[-len(words) :] == words and (best is None or s > best[0]):
                best = (s, ent)
        return best[1] if best else None

    def _by_role(self, noun: str, position: int) -> Entity | None:
        """ "the minister": the person last introduced with that role."""
        best: tuple[int, Entity] | None = None
        for s, _, ent in self.mentions:
            is_role = ent.type == "PERSON" and ent.role and noun in ent.role.lower().split()
            if s < position and is_role and (best is None or s > best[0]):
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


@dataclass
class _Group:
    """One cue with the source and contents assembled around it."""

    cue: Span
    source: Span | None = None
    contents: list[Span] = field(default_factory=list)
    via: list[Via] = field(default_factory=list)
    speaker_tok: Token | None = None
    # Character spans of cue and content where they do not fall on token edges ("”―" is one token).
    exact: tuple[tuple[int, int], tuple[int, int]] | None = None


class _Assembler:
    def __init__(self, doc: Doc, entities: list[Entity], spans: list[RoleSpan]):
        self.doc = doc
        self.text = doc_text(doc)
        self.entities = entities
        self.resolver = _Resolver(doc, self.text, entities)
        self.quotes = find_quote_spans(self.text)
        # Sentence bounds per token, computed once: ``Span.sent`` walks the Doc's sentences on every call.
        starts = [i for i, flag in enumerate(doc.to_array(SENT_START).tolist()) if flag == 1 or i == 0]
        self.sent_start = [0] * len(doc)
        self.sent_end = [0] * len(doc)
        for start, end in pairwise([*starts, len(doc)]):
            self.sent_start[start:end] = [start] * (end - start)
            self.sent_end[start:end] = [end] * (end - start)
        self.paragraph = [0] * len(doc)
        for n, para in enumerate(paragraphs(doc, self.text)):
            for i in para:
                self.paragraph[i] = n
        self.groups = [_Group(cue=doc[s.start : s.end]) for s in spans if s.role == "CUE"]
        self.sources = [doc[s.start : s.end] for s in spans if s.role == "SRC"]
        self.contents = [
            piece
            for s in spans
            if s.role == "CON"
            for piece in self._split_at_sentences(doc[s.start : s.end])
        ]

    def _quoted(self, start: int, end: int) -> bool:
        """Whether a quote span covers the characters ``[start, end)``."""
        return any(q[0] <= start and end <= q[1] for q in self.quotes)

    def _split_at_sentences(self, span: Span) -> list[Span]:
        """Cut a content where a sentence ends outside quote marks: reported speech rarely runs on into the
        next sentence, quoted speech often does."""
        pieces, start = [], span.start
        for i in range(span.start + 1, span.end):
            if self.sent_start[i] == i and not self._quoted(self.doc[i - 1].idx, self.doc[i].idx + 1):
                pieces.append(self.doc[start:i])
                start = i
        pieces.append(self.doc[start : span.end])
        return [p for p in pieces if any(not t.is_punct and not t.is_space for t in p)]

    def _has_cue(self, span: Span) -> bool:
        start, end = self.sent_start[span.start], self.sent_end[span.start]
        return any(start <= g.cue.start < end for g in self.groups)

    # -- assembly ---------------------------------------------------------------------------------------
    def _distance(self, span: Span, group: _Group) -> int:
        cue = group.cue
        if span.end <= cue.start:
            return cue.start - span.end
        if span.start >= cue.end:
            return span.start - cue.end
        return 0

    def _linked(self, span: Span, group: _Group) -> bool:
        """Whether the parse ties ``span`` to the cue: one's root governs the other's within a few steps."""
        root, cue_root = _root(span), _root(group.cue)
        node, steps = root, 0
        while node.head.i != node.i and steps < 4:
            node = node.head
            steps += 1
            if group.cue.start <= node.i < group.cue.end:
                return True
        node, steps = cue_root, 0
        while node.head.i != node.i and steps < 3:
            node = node.head
            steps += 1
            if span.start <= node.i < span.end:
                return True
        return False

    def _choose(self, span: Span, candidates: list[_Group]) -> _Group | None:
        if not candidates:
            return None
        linked = [g for g in candidates if self._linked(span, g)]
        pool = linked or candidates
        return min(pool, key=lambda g: self._distance(span, g))

    def assemble(self) -> None:
        # Signed quotes first: their dash and name settle the quote's source, whatever else is near.
        signed = self._signed_quotes()
        self.sources = [s for s in self.sources if not any(_overlaps_tokens(s, g.source) for g in signed)]
        self.contents = [
            c for c in self.contents if not any(_overlaps_tokens(c, g.contents[0]) for g in signed)
        ]
        self.groups += signed
        for span in self.sources:
            same_sentence = [
                g
                for g in self.groups
                if self.sent_start[g.cue.start] == self.sent_start[span.start] and g.source is None
            ]
            same_paragraph = [
                g
                for g in self.groups
                if self.paragraph[g.cue.start] == self.paragraph[span.start] and g.source is None
            ]
            group = self._choose(span, same_sentence) or self._choose(span, same_paragraph)
            if group is not None:
                group.source = span
        for span in self.contents:
            para = self.paragraph[span.start]
            sent_start, sent_end = self.sent_start[span.start], self.sent_end[span.start]
            same_sentence = [g for g in self.groups if sent_start <= g.cue.start < sent_end]
            if not same_sentence:
                # A content running over several sentences: any sentence it covers.
                same_sentence = [g for g in self.groups if span.start <= g.cue.start < span.end]
            same_paragraph = [g for g in self.groups if self.paragraph[g.cue.start] == para]
            group = self._choose(span, same_sentence)
            if group is None and not self._has_cue(span) and self.kind_of(_char_span(span)) == "indirect":
                # Unquoted words in a sentence with no cue are the writer's, not a continuation.
                continue
            group = group or self._choose(span, same_paragraph)
            if group is None:
                earlier = [
                    g
                    for g in self.groups
                    if g.cue.start < span.start
                    and para - self.paragraph[g.cue.start] <= _CONTINUATION_PARAGRAPHS
                ]
                group = max(earlier, key=lambda g: g.cue.start, default=None)
            if group is not None:
                group.contents.append(span)
        self._interrupted_contents()
        self._colon_speakers()
        self._floating_quotes()

    def _interrupted_contents(self) -> None:
        """A source and cue set off by commas inside the sentence they attribute: "Climate change, Mr Ota
        often says, is the greatest threat" or "Talks stalled, Mr Ota said, until May". The words across
        the commas from the content are content too, and both sides are when the model tagged neither;
        words another attribution holds stay with it."""
        doc = self.doc
        held = {
            i
            for g in self.groups
            for part in (g.cue, g.source, *g.contents)
            if part
            for i in range(part.start, part.end)
        }
        for group in self.groups:
            if group.source is None:
                continue
            before = min(group.cue.start, group.source.start) - 1
            after = max(group.cue.end, group.source.end)
            if before < 1 or after >= len(doc) - 1 or doc[before].text != "," or doc[after].text != ",":
                continue
            start, end = self.sent_start[before], self.sent_end[after]
            # The conjunction that ties the sentence to the one before is the writer's ("But …").
            while start < before and (
                doc[start].is_punct or doc[start].is_space or doc[start].pos_ == "CCONJ"
            ):
                start += 1
            while end > after + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            left, right = doc[start:before], doc[after + 1 : end]
            if not group.contents:
                pieces = [left, right]
            elif group.contents[0].start == after + 1:
                pieces = [left]
            elif group.contents[0].end == before:
                pieces = [right]
            else:
                continue
            if any(all(t.is_punct for t in p) or any(t.i in held for t in p) for p in pieces):
                continue
            # Words before that hang from the cue say when or how it was said ("As the phone rang, the
            # announcer said, “…”"), not what.
            if left in pieces and group.cue.start <= _root(left).head.i < group.cue.end:
                continue
            group.contents += pieces
            for piece in pieces:
                held.update(range(piece.start, piece.end))

    def _floating_quotes(self) -> None:
        """A quoted passage the model left untagged, with no cue of its own, continues the attribution just
        before it (in its paragraph or the one before): the newspaper "floating" quote."""
        taken = [(c.start, c.end) for g in self.groups for c in g.contents]
        taken += [(g.cue.start, g.cue.end) for g in self.groups]
        for start, end in self.quotes:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            # Short quoted phrases are titles or scare quotes, not speech.
            if span is None or sum(not t.is_punct for t in span) < _FLOATING_MIN_WORDS:
                continue
            if any(s < span.end and e > span.start for s, e in taken) or self._has_cue(span):
                continue
            para = self.paragraph[span.start]
            earlier = [
                g
                for g in self.groups
                if g.cue.start < span.start
                and g.source is not None
                and g.contents
                and para - self.paragraph[g.cue.start] <= _CONTINUATION_PARAGRAPHS
            ]
            group = max(earlier, key=lambda g: g.cue.start, default=None)
            if group is not None:
                group.contents.append(span)

    def _colon_speakers(self) -> None:
        """A name, a colon and what the name said: headlines ("Minister Paulo Rocha: ‘We will not raise
        taxes’", "Rocha: Curfew Ends Friday") and transcripts ("ROCHA: We met them twice."). The name opens
        its paragraph; what follows is a quote, or else the rest of the paragraph, which the colon takes from
        any attribution it was continuing."""
        for at in (m.start() for m in re.finditer(":", self.text)):
            mark = self.doc.char_span(at, at + 1)
            if mark is None or len(mark) != 1:
                continue
            colon = mark.start
            name = self._colon_name(colon)
            if name is None:
                continue
            after = colon + 1
            while after < len(self.doc) and self.doc[after].is_space:
                after += 1
            opening = self.doc[after].idx if after < len(self.doc) else -1
            quote = next((q for q in self.quotes if q[0] == opening), None)
            if quote is not None:
                span = self.doc.char_span(*quote, alignment_mode="expand")
            else:
                end = after
                while end < len(self.doc) and self.paragraph[end] == self.paragraph[colon]:
                    end += 1
                while end > after and self.doc[end - 1].is_space:
                    end -= 1
                span = self.doc[after:end]
            if span is None or sum(not t.is_punct for t in span) < 2:
                continue
            holders = self._holders(span)
            if quote is None:
                # A paragraph after "NAME:" is taken from an attribution it only continued; cues inside it
                # are attributions nested in it. A cue elsewhere in its own paragraph keeps it.
                holders = [g for g in holders if not span.start <= g.cue.start < span.end]
                if any(self.paragraph[g.cue.start] == self.paragraph[span.start] for g in holders):
                    continue
                for group in holders:
                    group.contents = [c for c in group.contents if not _overlaps_tokens(c, span)]
            elif holders:
                continue
            self.groups.append(_Group(cue=self.doc[colon : colon + 1], source=name, contents=[span]))

    def _colon_name(self, colon: int) -> Span | None:
        """The speaker's name before a colon that follows it at the head of its paragraph (after any
        opening quote mark), when it is a name: a few words, each a proper noun, a pronoun or part of the
        name of a person, organisation or country, or in capitals ("Editor's note:", "Two questions:",
        "UPDATE:" are not)."""
        para, first = self.paragraph[colon], colon
        while first > 0 and self.paragraph[first - 1] == para and not self.doc[first - 1].is_space:
            first -= 1
        while first < colon and self.doc[first].text in _OPENING_MARKS:
            first += 1
        name = self.doc[first:colon]
        if not 0 < len(name) <= 6:
            return None
        if any(t.lower_ in COLON_LABELS for t in name):
            return None
        # Transcripts write names in capitals, which the tagger often takes for other words.
        if all(t.pos_ in ("PROPN", "PRON") or t.ent_type_ in _SPEAKER_TYPES or t.is_upper for t in name):
            return name
        return None

    def _holders(self, span: Span) -> list[_Group]:
        """The groups that hold part of ``span`` as content, or whose cue lies inside it."""
        return [
            g
            for g in self.groups
            if any(_overlaps_tokens(c, span) for c in g.contents) or span.start <= g.cue.start < span.end
        ]

    def _signed_quotes(self) -> list[_Group]:
        """Quotes signed with a dash and a name at the end of their line: "“We will rebuild.” ― Ana Lima",
        the way readers' voices and pull quotes are attributed. The dash is the cue, the name the source."""
        doc, text = self.doc, self.text
        found = []
        for start, end in self.quotes:
            dash = end
            while dash < len(text) and text[dash] in " \t\u00a0":
                dash += 1
            mark = next((d for d in _SIGNATURE_DASHES if text.startswith(d, dash)), None)
            if mark is None:
                continue
            line_end = text.find("\n", dash)
            line_end = len(text) if line_end < 0 else line_end
            line = text[dash + len(mark) : line_end]
            name_start = dash + len(mark) + len(line) - len(line.lstrip(_NAME_EDGES))
            name_end = dash + len(mark) + len(line.rstrip(_NAME_EDGES))
            name = doc.char_span(name_start, name_end, alignment_mode="contract")
            quote = doc.char_span(start, end, alignment_mode="expand")
            if name is None or quote is None or not 0 < len(name) <= _SIGNATURE_WORDS:
                continue
            if not all(t.pos_ == "PROPN" or t.is_punct or _INITIAL.fullmatch(t.text) for t in name):
                continue
            cue = doc.char_span(dash, dash + len(mark), alignment_mode="expand")
            if cue is not None:
                exact = ((dash, dash + len(mark)), (start, end))
                found.append(_Group(cue=cue, source=name, contents=[quote], exact=exact))
        return found

    # -- per attribution --------------------------------------------------------------------------------
    def content_span(self, span: Span) -> tuple[int, int]:
        """Character span of a content: a whole quote keeps its marks; otherwise edge punctuation goes, and
        so does a closing mark whose opening mark is inside the content ('Portugal will "work … peoples')."""
        start, end = _char_span(span)
        dateline = match_dateline(self.text, start, end)
        if dateline is not None:
            start = dateline.next
        if self.kind_of((start, end)) == "direct":
            return start, end
        text = self.text
        while True:
            before = (start, end)
            while start < end and text[start] in _EDGE_PUNCT:
                start += 1
            while end > start and text[end - 1] in _EDGE_PUNCT:
                end -= 1
            if (
                end > start
                and text[end - 1] in _CLOSING_MARKS
                and any(start <= q[0] < end - 1 and q[1] == end for q in self.quotes)
            ):
                end -= 1
            if (start, end) == before:
                return start, end

    def kind_of(self, content: tuple[int, int]) -> str:
        quotes = [q for q in self.quotes if q[0] < content[1] and q[1] > content[0]]
        if not quotes:
            return "indirect"
        if any(q[0] <= content[0] + 1 and q[1] >= content[1] - 1 for q in quotes):
            return "direct"
        return "mixed"

    def _chain(self, group: _Group) -> None:
        """Relays the cue names: "was quoted as saying by Kyodo", "Yonhap quoted X as saying", "told NHK"."""
        cue_root = _root(group.cue)
        verbs = [t for t in group.cue if t.pos_ in ("VERB", "AUX")] or [cue_root]
        quote = next((t for t in verbs if t.lemma_ == "quote"), None)
        if quote is not None:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in quote.children)
            if passive:
                agent = next(
                    (
                        t
                        for t in quote.subtree
                        if t.i > quote.i
                        and (
                            t.dep_ == "agent"
                            or (t.lower_ == "by" and (t.head == quote or t.head.lemma_ == "say"))
                        )
                    ),
                    None,
                )
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if obj is not None:
                    group.via.append(self.via_for(obj))
                    subject = next((c for c in quote.children if c.dep_ == "nsubjpass"), None)
                    if subject is not None and group.source is not None and obj in group.source:
                        # The model took the relaying agency for the source; the speaker is the one quoted,
                        # whom it may have left at the end of the content ("…,” Ms Ribeiro was quoted").
                        first, last = subject.left_edge.i, subject.right_edge.i + 1
                        group.source = self.doc[first:last]
                        group.speaker_tok = subject
                        group.contents = [
                            self.doc[c.start : first] if c.start < first < c.end <= last else c
                            for c in group.contents
                        ]
            else:
                obj = next((c for c in quote.children if c.dep_ == "dobj"), None)
                subject = next((c for c in quote.children if c.dep_ in _SUBJECTS), None)
                if obj is not None and subject is not None:
                    group.via.append(self.via_for(subject))
                    group.source = self.doc[obj.left_edge.i : obj.i + 1]
                    group.speaker_tok = obj
                    # The content is what follows "as saying", not the person quoted.
                    saying = next((t for t in quote.subtree if t.lemma_ == "say" and t.i > obj.i), None)
                    if saying is not None:
                        group.contents = [
                            self.doc[max(c.start, saying.i + 1) : c.end] if c.start <= saying.i < c.end else c
                            for c in group.contents
                            if c.end > saying.i + 1
                        ]
            return
        tell = next((t for t in verbs if t.lemma_ == "tell"), None)
        if tell is not None:
            obj = next((c for c in tell.children if c.dep_ in ("dobj", "dative")), None)
            if (
                obj is not None
                and obj.ent_type_ == "ORG"
                and is_news_organisation(self.doc[obj.left_edge.i : obj.i + 1].text)
            ):
                group.via.append(self.via_for(obj))

    def via_for(self, tok: Token) -> Via:
        start, end = _np_span(tok, self.text)
        entity = self.resolver.mention_at(start, end, tok)
        name = entity.name if entity else self.text[start:end]
        return Via(name=name, span=(start, end), entity=entity.id if entity else None)

    def _role(self, head: Token, speaker: Entity | None) -> str | None:
        words = [t for t in head.lefts if t.lower_ in ROLE_NOUNS or t.lower_ in ROLE_MODIFIERS]
        if head.lower_ in ROLE_NOUNS and not head.ent_type_:
            words.append(head)
        while words and words[-1].lower_ not in ROLE_NOUNS:
            words.pop()
        if words:
            return " ".join(t.text for t in words)
        return speaker.role if speaker else None

    def _phrase(self, source: tuple[int, int]) -> str:
        """An unresolved speaker's name: the source phrase without a leading article."""
        text = self.text[source[0] : source[1]].strip()
        first, _, rest = text.partition(" ")
        return rest if first.lower() in ("the", "a", "an") and rest else text

    def _complement(self, cue: Span) -> Span | None:
        """The complement of a cue the model gave no content: "planned [to revitalize the bridge]", "[talks
        will resume], the minister said"."""
        root = _root(cue)
        if root.lower_ == "according" and root.head.i != root.i:
            # "According to X, <clause>": the clause the phrase hangs from, less the phrase.
            clause = root.head
            inside = range(root.left_edge.i, root.right_edge.i + 1)
            tokens = [t for t in clause.subtree if t.i not in inside and not t.is_space]
            while tokens and tokens[0].is_punct:
                tokens.pop(0)
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            return self.doc[tokens[0].i : tokens[-1].i + 1] if tokens else None
        for dep in ("ccomp", "xcomp", "dobj"):
            # A clause may come first ("Talks will resume, the minister said"); objects follow their verb.
            child = next(
                (c for c in root.children if c.dep_ == dep and (c.i >= cue.end or dep == "ccomp")), None
            )
            if child is not None:
                tokens = [t for t in child.subtree if not t.is_space]
                while tokens and tokens[-1].is_punct:
                    tokens.pop()
                if tokens:
                    return self.doc[tokens[0].i : tokens[-1].i + 1]
        return None

    def _source_head(self, span: Span) -> Token:
        root = _root(span)
        # "Sterling Pratt, wine director at …": the name before the appositive is the head already; a
        # possessive source ("Trump's claim") has its head on the possessor.
        return root

    def _carve_source(self, group: _Group) -> None:
        """A cue whose subject the model swallowed into the content next to it: "…,” Ms Ribeiro was quoted
        as saying" tagged with "Ms Ribeiro" inside the content. The subject becomes the source."""
        root = _root(group.cue)
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        if subject is None:
            return
        first, last = subject.left_edge.i, subject.right_edge.i + 1
        for n, content in enumerate(group.contents):
            if content.start < first and last == content.end == group.cue.start:
                group.contents[n] = self.doc[content.start : first]
                group.source = self.doc[first:last]
                return

    def _inherit_source(self, group: _Group) -> None:
        """A cue in a clause that hangs from another verb shares that verb's subject: "Ms Ribeiro spoke to
        reporters, saying that …", "the ministry denied the report and promised to …". PolNeAR annotates
        that subject as the source of both; the tagger gives each token one role, so it tags it once."""
        node = _root(group.cue)
        if node.tag_ == "VBN":
            return  # "Asked about the talks, Ms Ribeiro said …": the subject was asked; someone else asked
        group.source = self._governing_subject(group, node)
        comma = group.cue.start > 0 and self.doc[group.cue.start - 1].text == ","
        if group.source is None and node.tag_ == "VBG" and comma:
            # "…, saying" where the parse hangs the participle elsewhere: the cue just before it speaks.
            earlier = [
                g
                for g in self.groups
                if g.source is not None
                and g.cue.end <= group.cue.start
                and self.paragraph[g.cue.start] == self.paragraph[group.cue.start]
            ]
            nearest = max(earlier, key=lambda g: g.cue.start, default=None)
            if nearest is not None and group.cue.start - nearest.cue.end <= _PARTICIPLE_REACH:
                group.source = nearest.source

    def _governing_subject(self, group: _Group, node: Token) -> Span | None:
        """The source of the verb that ``group``'s cue hangs from: its cue's source, or its subject."""
        for _ in range(_INHERIT_STEPS):
            if node.dep_ not in _INHERITING_DEPS or node.head.i == node.i:
                return None
            head = node.head
            for other in self.groups:
                if (
                    other is not group
                    and other.source is not None
                    and other.cue.start <= head.i < other.cue.end
                ):
                    return other.source
            subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
            if subject is not None:
                source = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
                return None if any(_overlaps_tokens(c, source) for c in group.contents) else source
            node = head
        return None

    def _complete(self, span: Span) -> Span:
        """A content the model cut to its complementiser ("that") stands for the clause it introduces."""
        words = [t for t in span if not t.is_punct and not t.is_space]
        if len(words) == 1 and words[0].dep_ == "mark" and words[0].head.i >= span.end:
            clause = words[0].head
            tokens = [t for t in clause.subtree if not t.is_space and t.i >= span.start]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            if tokens:
                return self.doc[span.start : tokens[-1].i + 1]
        return span

    def build(self) -> tuple[list[Attribution], list[Attribution]]:
        attributions: list[Attribution] = []
        claims: list[Attribution] = []
        hedged = self.hedge_clauses()
        for cue_span, content in hedged:
            claims.append(Attribution(content=content, kind=self.kind_of(content), cue=cue_span))
        for group in self.groups:
            group.contents = [self._complete(c) for c in group.contents]
            if group.source is None:
                self._carve_source(group)
        for group in self.groups:
            if group.source is None:
                self._inherit_source(group)
        for group in sorted(self.groups, key=lambda g: g.cue.start):
            cue_chars = _char_span(group.cue)
            if any(_overlaps(cue_chars, c) or _inside(cue_chars, clause) for c, clause in hedged):
                continue
            group.contents = [
                c for c in group.contents if not any(_inside(_char_span(c), clause) for _, clause in hedged)
            ]
            if not group.contents and group.source is not None:
                fallback = self._complement(group.cue)
                if fallback is not None:
                    group.contents.append(fallback)
            if not group.contents:
                continue
            self._chain(group)
            cue_tokens = list(group.cue)
            # "was quoted as saying by …": the preposition linking a cue to its source is not cue (PolNeAR).
            while len(cue_tokens) > 1 and cue_tokens[-1].lower_ == "by":
                cue_tokens.pop()
            cue = _char_span(cue_tokens)
            contents = sorted(self.content_span(c) for c in group.contents)
            if group.exact is not None:
                cue, contents = group.exact[0], [group.exact[1]]
            contents = [c for c in contents if c[1] > c[0]]
            if not contents:
                continue
            if group.source is None:
                for content in contents:
                    claims.append(Attribution(content=content, kind=self.kind_of(content), cue=cue))
                continue
            source = _char_span(group.source)
            head = group.speaker_tok or self._source_head(group.source)
            if head.lower_ in RELATIVE_PRONOUNS and head.dep_ in _SUBJECTS:
                # "the study, which notes that …": the source is the relative pronoun, as written; the
                # speaker is the noun the relative clause hangs from.
                clause = head.head
                if clause.dep_ == "relcl" and clause.head.i != clause.i:
                    head = clause.head
            speaker = self.resolver.resolve(source, head)
            role = self._role(head, speaker)
            name = speaker.name if speaker else self._phrase(source)
            for content in contents:
                attributions.append(
                    Attribution(
                        content=content,
                        kind=self.kind_of(content),
                        source=source,
                        cue=cue,
                        speaker=speaker.id if speaker else None,
                        speaker_name=name,
                        role=role,
                        via=list(group.via),
                    )
                )
            if speaker is not None:
                self.resolver.last_speaker = (source[0], speaker)
        self.mark_nested(attributions)
        self.mark_relayed(attributions)
        attributions += self.nested(attributions)
        attributions.sort(key=lambda a: (a.content[0], a.content[1]))
        claims.sort(key=lambda a: (a.content[0], a.content[1]))
        return attributions, claims

    # -- hedges -----------------------------------------------------------------------------------------
    def hedge_clauses(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """``(cue, content)`` character spans of unsourced hedged claims: "are thought to have met",
        "reportedly seized".

        A passive report verb with an infinitive and no agent ("is believed to", "are said to"), or a hedging
        adverb, marks its clause as a claim with no source (:meth:`Hedges.claims`); the clause is the
        content, the hedge the cue. Its subject is part of what is claimed, not a source: "the North
        reportedly fired" names nobody who said so.
        """
        out = []
        for hedge in Hedges(self.doc).claims():
            clause = self.doc[hedge.clause]
            first, last = self.sent_start[clause.i], self.sent_end[clause.i]
            tokens = [t for t in clause.subtree if not t.is_space and first <= t.i < last]
            while tokens and tokens[0].is_punct:
                tokens.pop(0)
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            if tokens:
                out.append((_char_span([self.doc[i] for i in hedge.cue]), _char_span(tokens)))
        return out

    # -- nested attributions ----------------------------------------------------------------------------
    def mark_relayed(self, found: list[Attribution]) -> None:
        """ "The minister said the talks failed, according to KCNA": KCNA relayed what the minister said, so
        it is in that attribution's ``via`` (its own "according to" attribution stays, as PolNeAR has it)."""
        relays = [
            a for a in found if a.cue and self.text[a.cue[0] : a.cue[1]].lower().startswith("according to")
        ]
        relay_ids = {id(a) for a in relays}
        for relay in relays:
            for a in found:
                if id(a) in relay_ids or a.source is None or not _inside(a.content, relay.content):
                    continue
                if relay.speaker_name and relay.speaker_name not in {v.name for v in a.via}:
                    a.via.append(Via(name=relay.speaker_name, span=relay.source, entity=relay.speaker))

    def mark_nested(self, found: list[Attribution]) -> None:
        """An attribution whose cue lies inside another's reported content was relayed by that speaker."""
        for inner in found:
            if inner.cue is None:
                continue
            for outer in found:
                if outer is inner or outer.kind == "direct" or outer.source is None:
                    continue
                if outer.content[0] <= inner.cue[0] and inner.cue[1] <= outer.content[1]:
                    inner.nested = True
                    if outer.speaker_name and outer.speaker_name not in {v.name for v in inner.via}:
                        inner.via.append(
                            Via(name=outer.speaker_name, span=outer.source, entity=outer.speaker)
                        )
                        inner.via.extend(outer.via)
                    break

    def nested(self, outer: list[Attribution]) -> list[Attribution]:
        """Attributions inside another's content: "NHK reported that the minister said the talks failed"."""
        out: list[Attribution] = []
        taken = {a.cue for a in outer}
        for a in outer:
            if a.kind == "direct":
                continue
            span = self.doc.char_span(*a.content, alignment_mode="expand")
            if span is None:
                continue
            for verb in span:
                if verb.lemma_ not in STRONG_SPEECH_VERBS or verb.pos_ not in ("VERB", "AUX"):
                    continue
                subject = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
                comp = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis")), None)
                if subject is None or comp is None or subject.lower_ in NON_SPEAKERS:
                    continue
                cue = _char_span([verb])
                if cue in taken or not (span.start <= comp.left_edge.i and comp.right_edge.i < span.end):
                    continue
                source = _np_span(subject, self.text)
                content = self.content_span(self.doc[comp.left_edge.i : comp.right_edge.i + 1])
                if content[1] <= content[0]:
                    continue
                speaker = self.resolver.resolve(source, subject)
                relay = (
                    Via(
                        name=a.speaker_name or self.text[a.source[0] : a.source[1]],
                        span=a.source,
                        entity=a.speaker,
                    )
                    if a.source
                    else None
                )
                if relay is None or (speaker is not None and speaker.id == a.speaker):
                    continue
                out.append(
                    Attribution(
                        content=content,
                        kind=self.kind_of(content),
                        source=source,
                        cue=cue,
                        speaker=speaker.id if speaker else None,
                        speaker_name=speaker.name if speaker else self._phrase(source),
                        role=self._role(subject, speaker),
                        via=[relay, *a.via],
                        nested=True,
                    )
                )
                taken.add(cue)
        return out


def find_attributions_and_claims(
    doc: Doc, entities: list[Entity], spans: list[RoleSpan] | None = None
) -> tuple[list[Attribution], list[Attribution]]:
    """Find the attributions and the unsourced claims in ``doc``.

    Args:
        doc: A parsed Doc (tagger, parser and NER have run).
        entities: The article's entities (from :func:`newsgraph.extract.entities.find_entities`), used to
            resolve speakers and relays.
        spans: Role spans to assemble, when already tagged; by default the shipped model tags ``doc``.

    Returns:
        ``(attributions, claims)``, each in text order of content. Claims have no source and no speaker.

    Raises:
        ModelError: The shipped attribution model is missing.
    """
    if spans is None:
        spans = tag_roles(doc)
    assembler = _Assembler(doc, entities, spans)
    assembler.assemble()
    return assembler.build()


def find_attributions(doc: Doc, entities: list[Entity]) -> list[Attribution]:
    """Find the attributions (statements with a source) in ``doc``.

    See :func:`find_attributions_and_claims`, which also returns the unsourced claims.
    """
    return find_attributions_and_claims(doc, entities)[0]
