"""The records the event coder builds while it reads a clause, and the spans it gives triggers."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newsgraph.extract.actors import Actor
from newsgraph.extract.plover import QUAD_CLASS, Lexicon

# A light verb and its event noun read as one trigger span ("held talks", "imposed a curfew") when the
# noun is this many tokens after the verb or fewer; "held their first meeting" is three.
TRIGGER_GAP = 3


@dataclass
class Found:
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
class Frame:
    """How a clause presents its action: ``kind`` is future, statement, schedule, refusal, request,
    threat, attempt or failed; ``anchor`` is the word that frames it ("agreed", "will", "refused")."""

    kind: str
    anchor: Token


def token_span(first: Token, last: Token | None = None) -> tuple[int, int]:
    last = last if last is not None else first
    return (first.idx, last.idx + len(last.text))


def intent_type(action: str, anchor_lemma: str) -> str | None:
    """The type of announcing ``action``: AGREE to cooperate, THREATEN to harm (MOBILIZE when preparing)."""
    quad = QUAD_CLASS.get(action, 0)
    if quad in (1, 2):
        return "AGREE"
    if quad == 3:
        return action
    if anchor_lemma == "prepare" and action in ("ASSAULT", "COERCE", "MOBILIZE"):
        return "MOBILIZE"
    return "THREATEN"


def threat_mode(lex: Lexicon, action: str) -> str | None:
    """The THREATEN mode for a threatened action (``threat_modes`` in the lexicon)."""
    return lex.threat_modes.get(action)


def request_mode(lex: Lexicon, action: str) -> str | None:
    """The REQUEST or REJECT mode for a requested or rejected action (``request_modes`` in the lexicon)."""
    return lex.request_modes.get(action)
