"""The TIMES stage over a parsed article: detection, normalisation, then document-level resolution."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc

from newsgraph.extract.doctext import doc_text
from newsgraph.extract.times.anaphora import resolve_anaphora, resolve_comparisons
from newsgraph.extract.times.detection import candidate_spans
from newsgraph.extract.times.modifiers import time_modifier
from newsgraph.extract.times.ranges import complete_ranges
from newsgraph.extract.times.rules import normalise_time
from newsgraph.extract.times.tense import clause_tense
from newsgraph.schema import TimeRef


def find_times(doc: Doc, reference: dt.date | None) -> list[TimeRef]:
    """Find the temporal expressions in ``doc`` and normalise them against ``reference``.

    Args:
        doc: A parsed article (tagger, parser and NER have run); spans point into ``doc.text``.
        reference: The publication date; relative expressions get no value without it.

    Returns:
        TimeRefs in text order with ids ``t1``, ``t2``…; ``text`` is ``doc.text[start:end]``. Only
        expressions the normaliser recognises are kept; ``value`` is None when one needs a reference
        date that is missing or cannot be pinned down.
    """
    text = doc_text(doc)
    out: list[TimeRef] = []
    for start, end in candidate_spans(doc, text):
        expression = text[start:end]
        if (
            _is_name(doc, text, start, end)
            or _is_generic(text, start, end)
            or _is_noun_current(doc, text, start, end)
        ):
            continue
        value, kind = normalise_time(expression, reference, clause_tense(doc, text, start, end))
        if kind is None:
            # spaCy's DATE label also covers ages, ordinals and names ("the third consecutive month",
            # "Olympic"); an entity no rule understands is dropped rather than reported without a value.
            # On TimeBank + AQUAINT two in three of them are not temporal expressions at all.
            continue
        mod = time_modifier(expression)
        out.append(TimeRef(id="", span=(start, end), text=expression, value=value, type=kind, mod=mod))
    resolve_anaphora(out, reference)
    if reference is not None:
        resolve_comparisons(doc, out, reference)
    out = complete_ranges(text, out)
    for number, ref in enumerate(out, start=1):
        ref.id = f"t{number}"
    return out


# "today's world", "the leaders of tomorrow": the present and the future in general, not a day.
_GENERIC_AFTER = re.compile(r"['’]s\s+(?:world|youth|society|generation|children|young|kids)\b", re.I)
_GENERIC_BEFORE = re.compile(r"\bof\s+$", re.IGNORECASE)


def _is_generic(text: str, start: int, end: int) -> bool:
    """Whether "today" or "tomorrow" stands for the present or the future in general."""
    if text[start:end].lower() not in ("today", "tomorrow"):
        return False
    return bool(_GENERIC_AFTER.match(text, end) or _GENERIC_BEFORE.search(text, max(0, start - 4), start))


def _is_noun_current(doc: Doc, text: str, start: int, end: int) -> bool:
    """Whether "current" is the noun ("the current swept them away") rather than the adjective."""
    if text[start:end].lower() != "current":
        return False
    span = doc.char_span(start, end)
    if span is None or not doc.has_annotation("DEP"):
        return span is None
    word = span[0]
    return not (word.dep_ == "amod" and word.head.i > word.i)


# A relative expression in title case ("This Week", "Next Year") inside a sentence is a programme or a
# book; holidays and dates are title case by nature and are not matched.
_TITLE_RELATIVE = re.compile(r"^(?:This|Last|Next)\s+(?:Week|Weekend|Month|Year)$")


def _is_name(doc: Doc, text: str, start: int, end: int) -> bool:
    """Whether a time-like span is a title: a programme called "This Week" quoted mid-sentence."""
    if not _TITLE_RELATIVE.match(text[start:end]):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.start > 0 and not span[0].is_sent_start and text[start - 1] != "\n"
