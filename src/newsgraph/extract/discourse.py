"""Discourse markers that every stage reads the same way: the wire dateline and hedges.

One detector of each, shared by the source clean-up (a dateline moved out of a page's first paragraph),
attribution (a dateline is not quoted content; a hedge with no named source is an unsourced claim) and
event coding (a dateline is never an actor; a hedged event is flagged ``hedged``).

- :func:`match_dateline` recognises a wire dateline at a position of a text ("TOKYO, May 16 (Reuters) -",
  "WASHINGTON (AP) —", "Tokyo, 17 May 2024 (Lusa) –"); :func:`find_dateline` looks for the article's
  own, at the start of its text or of the paragraph after a headline; :func:`dateline_token` gives the
  token that ends it in a parsed Doc. The patterns are data (``data/furniture.json``, ``dateline``).
- :class:`Hedges` finds an article's hedges once: passive report verbs ("are thought to have met", "is
  said to"), reporting adverbs ("reportedly"), verbs of appearance ("appears to have fired") and modals of
  possibility ("may have fired"). Attribution takes the first two as unsourced claims
  (:meth:`Hedges.claims`); the event coder asks whether a word is hedged (:meth:`Hedges.covers`). The
  word lists are in :mod:`newsgraph.extract.lexicon`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from newsgraph.extract.doctext import doc_text
from newsgraph.extract.lexicon import APPEARANCE_VERBS, HEDGE_ADVERBS, HEDGE_MODALS, HEDGE_VERBS

__all__ = [
    "Dateline",
    "Hedge",
    "Hedges",
    "dateline_token",
    "find_dateline",
    "is_complement",
    "match_dateline",
]


# -- datelines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dateline:
    """A wire dateline in a text.

    Args:
        start: Where the dateline starts.
        end: Where its words end ("TOKYO, May 16 (Reuters)"), before the dash.
        next: Where the article's own words start, after the dash and spaces.
    """

    start: int
    end: int
    next: int


@dataclass(frozen=True)
class _DatelineRules:
    strict: tuple[re.Pattern[str], ...]
    loose: tuple[re.Pattern[str], ...]
    max_chars: int
    loose_max_chars: int


def _compile(pattern: str) -> re.Pattern[str]:
    # A pattern is matched at a position (``Pattern.match(text, pos)``), where "^" would never match.
    return re.compile(pattern.removeprefix("^"))


@cache
def _rules() -> _DatelineRules:
    raw = json.loads((files("newsgraph") / "data" / "furniture.json").read_text(encoding="utf-8"))["dateline"]
    return _DatelineRules(
        strict=tuple(_compile(p) for p in raw["patterns"]),
        loose=tuple(_compile(p) for p in raw["loose_patterns"]),
        max_chars=int(raw["max_chars"]),
        loose_max_chars=int(raw["loose_max_chars"]),
    )


def match_dateline(
    text: str,
    pos: int = 0,
    endpos: int | None = None,
    *,
    strict: bool = False,
    patterns: Sequence[re.Pattern[str]] | None = None,
    max_chars: int | None = None,
) -> Dateline | None:
    """The wire dateline that starts at ``pos`` of ``text``, or None.

    Args:
        text: The text.
        pos: Where the dateline must start (a paragraph's or a quoted content's first character).
        endpos: Where the search stops (the end of the paragraph or content).
        strict: Only the page-head forms (``patterns``: a place in capitals, or a place with the agency in
            brackets), as for a page's first paragraph, where a false dateline would lose article text.
            Otherwise also the in-text forms (``loose_patterns``: any short run of words before a
            bracketed agency and a dash, "Tokyo, May 16 -").
        patterns: Patterns to use instead of the data file's (each with a ``dateline`` group or none).
        max_chars: The longest a dateline may be, with its dash.

    Returns:
        The dateline, when one ends before ``endpos`` with text after it.
    """
    rules = _rules()
    if patterns is None:
        patterns = rules.strict if strict else rules.strict + rules.loose
    stop = len(text) if endpos is None else endpos
    for pattern in patterns:
        match = pattern.match(text, pos, stop)
        if match is None or match.end() >= stop:
            continue
        if max_chars is not None:
            limit = max_chars
        else:
            limit = rules.loose_max_chars if pattern in rules.loose else rules.max_chars
        if match.end() - pos > limit:
            continue
        end = match.end("dateline") if "dateline" in pattern.groupindex else match.end()
        words_end = end
        while words_end > pos and text[words_end - 1] in " -–—:":
            words_end -= 1
        return Dateline(pos, words_end, match.end())
    return None


# The article's dateline opens its text, or the first paragraph after a headline this many characters long
# or shorter (a headline is one line of up to about 20 words).
_HEADLINE_CHARS = 200
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")


def find_dateline(text: str) -> Dateline | None:
    """The article's wire dateline: at the start of its text, or of the paragraph after its headline."""
    found = match_dateline(text, 0, _paragraph_end(text, 0))
    if found is not None:
        return found
    first = _PARAGRAPH.search(text, 0, _HEADLINE_CHARS + 4)
    if first is None or text[: first.start()].rstrip().endswith((".", "!", "?")):
        return None  # no headline: the first paragraph is a sentence of the article
    return match_dateline(text, first.end(), _paragraph_end(text, first.end()))


def _paragraph_end(text: str, start: int) -> int:
    found = _PARAGRAPH.search(text, start)
    return found.start() if found else len(text)


def dateline_token(doc: Doc) -> int:
    """Index of the last token of the Doc's dateline (its dash), or -1 when it has none."""
    found = find_dateline(doc_text(doc))
    if found is None:
        return -1
    span = doc.char_span(found.start, found.next, alignment_mode="contract")
    if span is None or len(span) == 0:
        return -1
    last = span.end - 1
    while last > span.start and doc[last].is_space:
        last -= 1
    return last


# -- hedges -------------------------------------------------------------------------------------------

_HEDGE_VERB_KEYS = frozenset(get_string_id(word) for word in HEDGE_VERBS | APPEARANCE_VERBS)
_HEDGE_WORD_KEYS = frozenset(get_string_id(word) for word in HEDGE_ADVERBS | HEDGE_MODALS)
# A reporting adverb hedges the word it modifies and what hangs below it this many levels up ("reportedly
# planning to attack": attack is hedged).
_ADVERB_REACH = 3


def is_complement(verb: Token) -> bool:
    """An open complement: xcomp, or an infinitival advcl the parser gave instead ("sworn to fight")."""
    return verb.dep_ == "xcomp" or (
        verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


@dataclass(frozen=True)
class Hedge:
    """One hedge.

    Args:
        kind: ``report`` ("are thought to"), ``adverb`` ("reportedly"), ``appearance`` ("appears to") or
            ``modal`` ("may").
        cue: Token indices of the hedging words, in text order ("are thought").
        clause: Token index of the head of the clause the hedge governs: the report verb itself for
            ``report`` and ``appearance``, the modified word for ``adverb`` and ``modal``.
        claim: The hedge makes its clause an unsourced claim: a passive report verb with an infinitive
            and no agent ("is believed to", not "is believed by officials to"), or a reporting adverb
            modifying a verb.
    """

    kind: str
    cue: tuple[int, ...]
    clause: int
    claim: bool


class Hedges:
    """The hedges of one parsed Doc, found once.

    Args:
        doc: The parsed Doc.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items: list[Hedge] = []
        words = doc.to_array([LEMMA, LOWER]).tolist()
        for i, (lemma, lower) in enumerate(words):
            if lemma in _HEDGE_VERB_KEYS or lower in _HEDGE_WORD_KEYS:
                hedge = _hedge_at(doc[i])
                if hedge is not None:
                    self.items.append(hedge)
        self._reports = {h.clause for h in self.items if h.kind == "report"}
        self._appearances = {h.clause for h in self.items if h.kind == "appearance"}
        self._adverbs = {h.clause for h in self.items if h.kind == "adverb"}
        self._modals = {h.clause for h in self.items if h.kind == "modal"}

    def claims(self) -> list[Hedge]:
        """The hedges that make their clause a claim with no named source, in text order."""
        return [h for h in self.items if h.claim]

    def covers(self, tok: Token) -> bool:
        """Whether the text hedges what ``tok`` says happened.

        A reporting adverb on the word or on one of its two governors ("reportedly planning to attack"), a
        modal of possibility on the word itself ("may have fired"), or a passive report verb or a verb of
        appearance that the word complements, through coordination and open complements ("are thought to
        have met", "is believed to be planning", "appears to have fired").
        """
        gov = tok
        for _ in range(_ADVERB_REACH):
            if gov.i in self._adverbs or (gov.i == tok.i and gov.i in self._modals):
                return True
            if gov.head.i == gov.i:
                break
            gov = gov.head
        while (tok.dep_ in ("xcomp", "conj") or is_complement(tok)) and tok.head.i != tok.i:
            head = tok.head
            if head.i in self._reports:
                return True
            if head.i in self._appearances and is_complement(tok):
                return True
            tok = head
        return False


def _hedge_at(tok: Token) -> Hedge | None:
    lemma, low = tok.lemma_, tok.lower_
    children = list(tok.children)
    if lemma in HEDGE_VERBS and any(c.dep_ in ("auxpass", "nsubjpass") for c in children):
        claim = (
            tok.pos_ == "VERB"
            and any(c.dep_ == "xcomp" for c in children)
            and not any(c.dep_ == "agent" for c in children)
        )
        cue = [c.i for c in children if c.dep_ in ("auxpass", "aux", "neg") and c.i < tok.i] + [tok.i]
        return Hedge("report", tuple(sorted(cue)), tok.i, claim)
    if lemma in APPEARANCE_VERBS:
        return Hedge("appearance", (tok.i,), tok.i, False)
    if low in HEDGE_ADVERBS:
        return Hedge("adverb", (tok.i,), tok.head.i, tok.dep_ == "advmod")
    if low in HEDGE_MODALS and tok.dep_ == "aux":
        return Hedge("modal", (tok.i,), tok.head.i, False)
    return None
