"""Assembly: each cue takes the sources and contents that belong to it, and the groups become
attributions and claims."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from spacy.attrs import HEAD, SENT_START
from spacy.tokens import Doc, Span

from newsgraph.extract.attribution.chains import ChainsMixin
from newsgraph.extract.attribution.claims import ClaimsMixin
from newsgraph.extract.attribution.contents import ContentsMixin
from newsgraph.extract.attribution.spans import (
    _CONTINUATION_PARAGRAPHS,
    _SUBJECTS,
    _char_span,
    _Group,
    _inside,
    _overlaps,
    _overlaps_tokens,
)
from newsgraph.extract.attribution.speakers import SpeakersMixin, _Resolver
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.lexicon import RELATIVE_PRONOUNS
from newsgraph.extract.mentions import Coreference
from newsgraph.extract.role_features import quote_spans
from newsgraph.extract.roles import RoleSpan, paragraphs, tag_roles
from newsgraph.schema import Attribution, Entity


class _Assembler(ContentsMixin, SpeakersMixin, ChainsMixin, ClaimsMixin):
    """Assembles the role spans of one article into attributions and claims."""

    def __init__(
        self, doc: Doc, entities: list[Entity], spans: list[RoleSpan], coref: Coreference | None = None
    ):
        self.doc = doc
        self.text = doc_text(doc)
        self.entities = entities
        self.resolver = _Resolver(doc, self.text, entities, coref)
        # The speakers' names so far, in text order: an organisation described again takes its name.
        self.spoken: list[str] = []
        self.named: dict[str, str] = {}  # entity id → the name its first attribution gave it
        self.described: tuple[int, str] | None = None  # the last organisation described, with no entity
        self.quotes = quote_spans(self.text)
        # Sentence bounds per token, computed once: ``Span.sent`` walks the Doc's sentences on every call.
        array = doc.to_array([SENT_START, HEAD]).view(np.int64)
        starts = [i for i, flag in enumerate(array[:, 0].tolist()) if flag == 1 or i == 0]
        # Each token's head, as an index: the walks up the parse read it without making Token objects.
        self.heads = (array[:, 1] + np.arange(len(doc))).tolist()
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
        heads, cue = self.heads, group.cue
        node, steps = self._root_at(span.start, span.end), 0
        while heads[node] != node and steps < 4:
            node = heads[node]
            steps += 1
            if cue.start <= node < cue.end:
                return True
        node, steps = self._root_at(cue.start, cue.end), 0
        while heads[node] != node and steps < 3:
            node = heads[node]
            steps += 1
            if span.start <= node < span.end:
                return True
        return False

    def _root_at(self, start: int, end: int) -> int:
        """The index of :func:`_root` of the tokens ``start:end`` (not empty)."""
        heads = self.heads
        for i in range(start, end):
            head = heads[i]
            if head < start or head >= end or head == i:
                return i
        return start

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

    def _holders(self, span: Span) -> list[_Group]:
        """The groups that hold part of ``span`` as content, or whose cue lies inside it."""
        return [
            g
            for g in self.groups
            if any(_overlaps_tokens(c, span) for c in g.contents) or span.start <= g.cue.start < span.end
        ]

    def build(self) -> tuple[list[Attribution], list[Attribution]]:
        attributions: list[Attribution] = []
        claims: list[Attribution] = []
        hedged = self.hedge_clauses()
        self._passive_quotes()
        for group in self.groups:
            group.contents = [p for c in group.contents for p in self._split_at_and(self._complete(c))]
            if group.source is None:
                self._carve_source(group)
        for group in self.groups:
            if group.source is None:
                self._inherit_source(group)
        hedged = self._hedged_statements(hedged)
        for cue_span, content in hedged:
            claims.append(Attribution(content=content, kind=self.kind_of(content), cue=cue_span))
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
            if not group.contents or self._not_a_statement(group):
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
            speaker, name = self._speaker_name(self.resolver.resolve(source, head), source, head)
            role = self._role(head, speaker)
            self.spoken.append(name)
            if speaker is not None:
                self.named.setdefault(speaker.id, name)
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
                        hedged=group.hedged,
                    )
                )
            if speaker is not None:
                self.resolver.last_speaker = (source[0], speaker)
        self.mark_nested(attributions)
        self.mark_relayed(attributions)
        self.carry_via(attributions)
        attributions += self.nested(attributions)
        attributions.sort(key=lambda a: (a.content[0], a.content[1]))
        claims.sort(key=lambda a: (a.content[0], a.content[1]))
        return attributions, claims


def find_attributions_and_claims(
    doc: Doc, entities: list[Entity], spans: list[RoleSpan] | None = None, coref: Coreference | None = None
) -> tuple[list[Attribution], list[Attribution]]:
    """Find the attributions and the unsourced claims in ``doc``.

    Args:
        doc: A parsed Doc (tagger, parser and NER have run).
        entities: The article's entities (from :func:`newsgraph.extract.entities.find_entities`), used to
            resolve speakers and relays.
        spans: Role spans to assemble, when already tagged; by default the shipped model tags ``doc``.
        coref: The pronoun antecedents of the ``newsgraph_coref`` component (``doc._.coref``); by default
            resolved from ``entities`` with the default window.

    Returns:
        ``(attributions, claims)``, each in text order of content. Claims have no source and no speaker.

    Raises:
        ModelError: The shipped attribution model is missing.
    """
    if spans is None:
        spans = tag_roles(doc)
    assembler = _Assembler(doc, entities, spans, coref)
    assembler.assemble()
    return assembler.build()


def find_attributions(doc: Doc, entities: list[Entity]) -> list[Attribution]:
    """Find the attributions (statements with a source) in ``doc``.

    See :func:`find_attributions_and_claims`, which also returns the unsourced claims.
    """
    return find_attributions_and_claims(doc, entities)[0]
