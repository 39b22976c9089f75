"""The tense of the clause a temporal expression belongs to, read from the dependency parse.

The tense decides which Tuesday "on Tuesday" is and on which side of the publication date a month or a
date written without its year falls.
"""

from __future__ import annotations

import re
from typing import Literal

from spacy.tokens import Doc, Token

Tense = Literal["past", "present", "future"]

_MODALS_PAST_PERFECT = frozenset({"have", "'ve"})
# Verbs that arrange something for later: what they govern lies ahead of the time they were said, so in
# news mostly ahead of publication too ("planned a rally on Saturday", "has scheduled a news conference
# Thursday", "postponed until Tuesday"). As a participle describing a noun ("a service planned for
# Saturday was cancelled") they say nothing of the sort, so only a clause's own verb counts.
_ARRANGING = frozenset({"plan", "schedule", "reschedule", "slate", "intend", "postpone", "adjourn"})
# Governors of an infinitive that look ahead whatever their tense: "planned to leave", "set to resume".
_ARRANGING_INFINITIVE = _ARRANGING | {"set", "expect"}
# Words just before an expression that point ahead whatever the verb: "as early as Tuesday".
_AHEAD_BEFORE = re.compile(r"\bas\s+(?:early|soon)\s+as\s+$", re.IGNORECASE)


def verb_tense(verb: Token) -> Tense | None:
    """The tense a verb gives its clause, from its tag and auxiliaries; None when it gives none."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = [a.lower_ for a in auxes]
    if "could" in lowers:
        return "past"  # news "could" is mostly a past ability: "could not be reached Wednesday"
    if any(a.tag_ == "MD" for a in auxes):
        # "could have met", "would have met": a modal with a perfect is about the past.
        return "past" if any(w in _MODALS_PAST_PERFECT for w in lowers) else "future"
    if any(a.tag_ == "TO" for a in auxes):
        # An infinitive looks ahead from its governor: "is due to meet", "plans to visit", "planned to
        # leave", but "was due to" and "had been due to" look back.
        governor = verb.head
        for _ in range(2):  # from an adjective ("due", "likely") to the verb it completes
            if governor.pos_ in ("VERB", "AUX") or governor.head is governor:
                break
            governor = governor.head
        if governor.lemma_ in _ARRANGING_INFINITIVE:
            return "future"
        if (
            governor is not verb
            and governor.tag_ in ("VBD", "VBN")
            and not any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in governor.children
            )
        ):
            return "past"
        return "future"
    for aux in auxes:
        if aux.lemma_ == "have" or aux.tag_ == "VBD":
            return "past"  # "has met", "had met", "was held", "did meet"
    if auxes and verb.tag_ == "VBG" and any(a.lemma_ == "be" for a in auxes):
        return "future"  # "is meeting on Tuesday": an arrangement
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        return "past" if not auxes else "present"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if auxes:
        return "present"  # "does meet", "is expected"
    return None


def _perfect(verb: Token) -> bool:
    """Whether ``verb`` is in the past perfect ("had planned"), which keeps the arrangement in the past."""
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


_POSSESSIVE = re.compile(r"['’]s\b")


def clause_tense(doc: Doc, text: str, start: int, end: int) -> Tense | None:
    """The tense of the nearest clause governing ``text[start:end]`` (``text`` is ``doc.text``)."""
    if _POSSESSIVE.match(text, end):
        return "past"  # "Tuesday's vote", "Friday's close": news names past days this way
    if _AHEAD_BEFORE.search(text, max(0, start - 20), start):
        return "future"
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(12):  # dependency paths in news sentences are short; this bounds a malformed parse
        outside = not span.start <= token.i < span.end
        if outside and token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            if token.lemma_ in _ARRANGING and token.dep_ != "acl" and not _perfect(token):
                return "future"
            tense = verb_tense(token)
            if tense is not None:
                return tense
        if token.head is token:
            break
        token = token.head
    return None
