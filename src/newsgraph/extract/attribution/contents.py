"""Contents: what a cue attributes, cut at sentences, completed, continued across interruptions and
paragraphs ("floating" quotes), and its character span and kind (direct, indirect, mixed)."""

from __future__ import annotations

from spacy.tokens import Span

from newsgraph.extract.attribution.spans import (
    _CLOSING_MARKS,
    _CONTINUATION_PARAGRAPHS,
    _EDGE_PUNCT,
    _FLOATING_MIN_WORDS,
    _SUBJECTS,
    _char_span,
    _Group,
    _root,
    _State,
)
from newsgraph.extract.discourse import match_dateline
from newsgraph.extract.lexicon import STRONG_SPEECH_VERBS

# "rejected the accusation": a rejection whose object only names what someone else alleged states nothing
# itself (PolNeAR does annotate "rejected that argument", an argument the rejecting side answers).
_REJECTING = frozenset({"reject", "deny", "dismiss"})
_ALLEGATIONS = frozenset({"accusation", "accusations", "allegation", "allegations", "charge", "charges"})


class ContentsMixin(_State):
    """Finding and shaping the contents of cues."""

    def _quoted(self, start: int, end: int) -> bool:
        """Whether a quote span covers the characters ``[start, end)``."""
        return any(q[0] <= start and end <= q[1] for q in self.quotes)

    def _split_at_and(self, span: Span) -> list[Span]:
        """Two quoted clauses joined by "and" under one cue are two contents: 'Leaders should "act together"
        and the bloc would "keep its word," the agency quoted the minister as saying'. Each clause has its
        own subject and its own quote marks."""
        doc = self.doc
        for tok in span:
            if tok.lower_ != "and" or tok.dep_ != "cc" or not span.start < tok.i < span.end - 1:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "that":
                continue  # "… and that …": two complements of the one statement
            if self._quoted(tok.idx, tok.idx + 3):
                continue  # an "and" inside a quotation joins what the speaker said
            conj = next((c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i), None)
            if conj is None or not any(c.dep_ in _SUBJECTS for c in conj.children):
                continue
            left, right = doc[span.start : tok.i], doc[tok.i + 1 : span.end]
            if all(any(t.is_quote for t in part) for part in (left, right)):
                return [left, right]
        return [span]

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

    def content_span(self, span: Span) -> tuple[int, int]:
        """Character span of a content: a whole quote keeps its marks; otherwise edge punctuation goes, and
        so does a closing mark whose opening mark is inside the content ('Portugal will "work … peoples'),
        unless the quote ends its sentence ('… had been "very productive."')."""
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
                and text[end - 2] not in ".!?"
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

    def _not_a_statement(self, group: _Group) -> bool:
        """Cues that state nothing: an agreement to act ("Portugal and Japan agree to expand trade talks"),
        a purpose ("met … to discuss a new agreement") and a rejection of a bare noun ("rejected the
        accusation")."""
        root = _root(group.cue)
        contents = group.contents
        if root.lemma_ == "agree" and contents and all(c[0].lower_ == "to" for c in contents):
            # In a headline (a line with no closing stop) the agreement is the news, not a statement.
            last = self.sent_end[root.i] - 1
            while last > root.i and self.doc[last].is_space:
                last -= 1
            if self.doc[last].text not in (".", "!", "?", '"', "”"):
                return True
        purpose = any(c.dep_ == "aux" and c.tag_ == "TO" for c in root.children) and root.dep_ == "advcl"
        if purpose and root.head.lemma_ not in STRONG_SPEECH_VERBS:
            return True
        if root.lemma_ in _REJECTING and contents:
            return all(len(c) <= 3 and c[-1].lower_ in _ALLEGATIONS for c in contents)
        return False
