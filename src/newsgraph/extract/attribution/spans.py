"""Spans and the shared pieces of attribution assembly: character spans of tokens, the root of a span,
noun phrases, a cue's group, and the limits the steps share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from newsgraph.schema import Entity, Via

if TYPE_CHECKING:
    from newsgraph.extract.attribution.speakers import _Resolver

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
    # A hedge sits inside the cue of a named source ("the minister has reportedly told …").
    hedged: bool = False


class _State:
    """What the assembly knows about one article; the mixins of the other modules read and change it."""

    doc: Doc
    text: str
    entities: list[Entity]
    quotes: list[tuple[int, int]]
    sent_start: list[int]
    sent_end: list[int]
    paragraph: list[int]
    groups: list[_Group]
    sources: list[Span]
    contents: list[Span]
    resolver: _Resolver
    spoken: list[str]
    named: dict[str, str]
    described: tuple[int, str] | None

    def kind_of(self, content: tuple[int, int]) -> str:
        raise NotImplementedError

    def content_span(self, span: Span) -> tuple[int, int]:
        raise NotImplementedError

    def via_for(self, tok: Token) -> Via:
        raise NotImplementedError

    def _role(self, head: Token, speaker: Entity | None) -> str | None:
        raise NotImplementedError

    def _phrase(self, source: tuple[int, int]) -> str:
        raise NotImplementedError

    def _has_cue(self, span: Span) -> bool:
        raise NotImplementedError

    def _holders(self, span: Span) -> list[_Group]:
        raise NotImplementedError
