"""Temporal expressions: find them in a parsed article and give each a TimeML-style value.

:func:`find_times` is the TIMES stage. It reads spaCy's ``DATE`` and ``TIME`` entities and adds what the
small English model misses (bare weekdays, "last month", "early 2019", "the 1990s", quarters, seasons,
"now", clock times, "every week"), then normalises every expression against the publication date:

- explicit dates ("March 3, 2024", "3 March 2024", "2024-03-03", "March 2024", "2019"), choosing the year
  of a date written without one from the tense of the clause;
- weekdays by the tense of the governing verb: "met on Tuesday" is the most recent Tuesday, "will meet on
  Tuesday" the next one, the publication weekday itself is the publication date;
- relative dates ("yesterday", "last week" → ``2024-W10``, "next year", "two weeks ago", "a year earlier"),
  quarters (``2024-Q1``), halves (``2024-H1``), seasons (``2024-SU``), decades (``199``) and centuries
  (``19``), times of day (``2024-03-12TMO``, ``2024-03-12T22:00``), durations (``P2D``, ``PT1H``,
  ``PXY`` when the amount is vague), sets (``P1W`` for "every week") and the vague references
  ``PRESENT_REF``, ``PAST_REF`` and ``FUTURE_REF``.

Modifiers such as "early", "late" or "about" stay inside the span but do not change the value ("early
2019" is ``2019``; TimeML would add ``mod="START"``, which the schema has no field for). Leading
prepositions ("since", "on", "in") are trimmed, as TimeML leaves them out of the expression.

:func:`normalise_time` is the normaliser on its own, for callers that already have an expression.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from newsgraph.schema import TimeRef

Tense = Literal["past", "present", "future"]

# --------------------------------------------------------------------------------------------------
# Name tables
# --------------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NAMES = frozenset(_MONTHS) | frozenset(_WEEKDAYS)
_ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
_SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
_PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "tonight": "NI",
}  # fmt: skip
# ISO 8601 / TimeML duration designators; decades and centuries are written in years, as the TimeBank
# annotators did for counted ones ("two decades" → P20Y).
_UNIT_CODES: dict[str, tuple[str, int]] = {
    "second": ("TS", 1), "minute": ("TM", 1), "hour": ("TH", 1), "day": ("D", 1), "week": ("W", 1),
    "fortnight": ("W", 2), "month": ("M", 1), "year": ("Y", 1), "decade": ("Y", 10), "century": ("Y", 100),
}  # fmt: skip
# Vague amounts ("years", "several decades") use X; decades and centuries keep the TimeBank letters.
_VAGUE_CODES: dict[str, str] = {
    "second": "PTXS", "minute": "PTXM", "hour": "PTXH", "day": "PXD", "week": "PXW", "fortnight": "PXW",
    "month": "PXM", "year": "PXY", "decade": "PXE", "century": "PXC",
}  # fmt: skip
_SET_WORDS: dict[str, str] = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "fortnightly": "P2W", "biweekly": "P2W",
    "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y", "hourly": "PT1H",
}  # fmt: skip
_PRESENT_WORDS = ("now", "currently", "nowadays", "presently", "these days", "at present", "at the moment")
_PAST_WORDS = ("recently", "lately", "the past")
_FUTURE_WORDS = ("the future", "the near future", "the foreseeable future", "the distant future")

# --------------------------------------------------------------------------------------------------
# Pattern pieces, shared by detection and normalisation (compiled with IGNORECASE; month and weekday
# names are checked for a capital letter afterwards, so "may" and "march" the verbs never match).
# --------------------------------------------------------------------------------------------------


def _alternation(words: object) -> str:
    return "|".join(sorted((re.escape(str(w)).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


_MONTH = rf"(?:{_alternation(_MONTHS)})\b\.?"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAYS)})\b"
_YEAR = r"(?<![\d$.,])(?:1[5-9]\d\d|20\d\d)\b(?![.,]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_PART = r"(?:morning|afternoon|evening|night|overnight)\b"
_SEASON = r"(?:spring|summer|autumn|fall|winter)\b"
_ONE_TO_NINE = "|".join(w for w, n in _ONES.items() if 1 <= n <= 9)
_NUM_WORD = (
    rf"(?:(?:{_alternation(_TENS)})(?:[\s-](?:{_ONE_TO_NINE}))?|{_alternation(_ONES)}|a\s+hundred|hundred"
    r"|a\s+dozen|dozen|a\s+couple\s+of|couple\s+of|a\s+couple|a\s+few|few|several|many|some|hundreds\s+of"
    r"|dozens\s+of|thousands\s+of|a\s+number\s+of)"
)
_NUM = rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:\s+\d/\d)?|{_NUM_WORD}(?:\s+and\s+a\s+half)?|an?)"
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries)\b"
_QUANT = (
    r"(?:about|around|nearly|almost|more\s+than|less\s+than|fewer\s+than|over|some|at\s+least|at\s+most"
    r"|roughly|approximately|up\s+to|just|only|barely|under|close\s+to|well\s+over|as\s+many\s+as"
    r"|as\s+long\s+as|the\s+better\s+part\s+of|another|an\s+additional|a\s+further)"
)
_MOD_WORD = r"(?:early|late|earlier|later|mid|the\s+(?:end|beginning|start|middle)\s+of)"
_MOD = rf"(?:{_MOD_WORD}[\s-]+)"
_REL = r"(?:this\s+past|this\s+coming|last|next|this|coming|past|previous|current)"
_CLOCK = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)|noon\b|midnight\b|midday\b)"
    r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|JST)\b)?"
)
_NOT_AGE = r"(?![\s-]+olds?\b)"
# Holiday names are matched case-sensitively: "christmas" in lower case is not a date in news copy.
_HOLIDAY_NAMES = (
    r"(?:Thanksgiving(?:\s+Day)?|Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|Easter(?:\s+Sunday)?"
    r"|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween|Valentine's\s+Day|Boxing\s+Day|Election\s+Day)\b"
)
_HOLIDAY = rf"(?-i:{_HOLIDAY_NAMES})"


def _detector(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Each detector marks the expression with the group ``t``; context words outside it (a preposition that
# makes a bare month or year unambiguous) are required but not part of the expression.
_DETECTORS: tuple[re.Pattern[str], ...] = tuple(
    _detector(p)
    for p in (
        # Explicit dates.
        rf"(?P<t>\b(?:{_WEEKDAY},?\s+)?{_MOD}?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)(?![\d:])",
        rf"(?P<t>\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?<!\d){_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)",
        rf"(?P<t>\b{_MOD}?{_MONTH},?\s+(?:of\s+)?(?:{_YEAR}|'\d\d\b))",
        r"(?P<t>\b\d{4}-\d\d-\d\d)\b",
        r"(?P<t>\b\d{1,2}/\d{1,2}/(?:\d{4}|\d\d))\b",
        # A bare month or year needs a preposition or a modifier to tell it from a name or a number.
        rf"\b(?:in|since|until|till|by|during|from|through|before|after|between|throughout|around)\s+"
        rf"(?P<t>{_MONTH})(?!\s*\d)",
        rf"(?P<t>\b(?:{_REL}|{_MOD_WORD})[\s-]+{_MONTH})(?!\s*\d)",
        rf"\b(?:in|since|until|till|by|during|from|through|before|after|between|throughout)\s+(?P<t>{_YEAR})",
        # After "of" a number is often a count ("of 2000 people"), so a lower-case word may not follow.
        r"\bof\s+(?P<t>(?:19|20)\d\d)\b(?![.,]?\d)(?!\s+(?!and\b|to\b|through\b)[a-z])",
        rf"(?P<t>{_YEAR})(?=\s*(?:and|or|to|through|-|–)\s*{_YEAR})",
        rf"(?<=\d\d\d\d)\s*(?:and|or|to|through|-|–)\s*(?P<t>{_YEAR})",
        rf"(?P<t>\b(?:{_MOD_WORD}|fiscal)[\s-]+{_YEAR})",
        # Decades and centuries.
        r"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1\d|20)\d0'?s)\b",
        r"(?P<t>(?:\bthe\s+)?(?:(?:early|late|mid)[\s-]+)?(?<!\w)'\d0s)\b",
        rf"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:nineteen[\s-])?(?:{_alternation(_DECADE_WORDS)}))\b",
        rf"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{_alternation(_ORDINALS)})"
        r"[\s-]+century)\b",
        r"(?P<t>\b(?:this|last|next|the\s+current|the\s+last|the\s+past|the\s+previous|the\s+next)\s+century)\b",
        # Weekdays, days relative to today, parts of a day.
        rf"(?P<t>\b(?:(?:{_REL}|early|late|earlier|later)\s+)?{_WEEKDAY}(?:\s+{_PART})?)",
        rf"(?P<t>\b(?:(?:early|late|earlier|later)\s+)?(?:today|yesterday|tomorrow|tonight)(?:\s+{_PART})?)",
        r"(?P<t>\bthe\s+day\s+(?:before\s+yesterday|after\s+tomorrow))\b",
        r"(?P<t>\b(?:this|last)\s+(?:morning|afternoon|evening|night))\b",
        # Weeks, months, years and seasons relative to the publication date.
        rf"(?P<t>\b{_MOD}?(?:{_REL}|the\s+current|the\s+coming|the\s+past|the\s+previous|the\s+last|the\s+next"
        rf"|the\s+following)\s+(?:week|weekend|month|year|decade|fiscal\s+year|{_SEASON}))\b",
        r"(?P<t>\bthe\s+weekend)\b",
        r"(?P<t>\bthe\s+(?:latest\s+|current\s+|recent\s+)?quarter)\b(?!\s+of\b)",
        rf"(?P<t>\b{_MOD}?(?:the\s+)?{_SEASON},?\s+(?:of\s+)?{_YEAR})",
        rf"\b(?:in|during|by|until|till|since|through|throughout|over)\s+(?P<t>(?:the\s+)?{_MOD}?{_SEASON})"
        r"(?!\s+of\s+(?!\d))",
        # Quarters and halves.
        rf"(?P<t>\b(?:the\s+)?(?:{_YEAR}\s+)?(?:fiscal\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th|final"
        rf"|last|latest|current|next|previous|past)[\s-]+(?:fiscal[\s-]+)?(?:quarter|half)"
        rf"(?:\s+of\s+(?:fiscal\s+)?{_YEAR}|,?\s+{_YEAR})?)\b",
        rf"(?P<t>\bQ[1-4](?:\s+{_YEAR})?)\b",
        rf"(?P<t>\b(?:(?:last|next|this)\s+)?{_HOLIDAY}(?:,?\s+{_YEAR})?)",
        # Offsets from the publication date.
        r"(?P<t>\b(?:the\s+)?year[\s-](?:ago|earlier)(?:\s+(?:quarter|period))?)\b",
        rf"(?P<t>\b(?:{_QUANT}\s+)?{_NUM}[\s-]+{_UNIT}\s+(?:ago|earlier|later|from\s+now|hence))\b",
        # Durations.
        rf"(?P<t>\b(?:{_QUANT}\s+)?(?:(?:the\s+)?(?:past|last|next|first|coming|previous|following|latest"
        rf"|remaining|final)\s+)?{_NUM}[\s-]+(?:and[\s-]+a[\s-]+half[\s-]+)?{_UNIT}(?:\s+and\s+a\s+half)?)"
        rf"{_NOT_AGE}",
        rf"(?P<t>\b(?:{_QUANT}\s+)?half\s+(?:an?\s+)?{_UNIT}){_NOT_AGE}",
        r"(?P<t>\b(?:the\s+)?(?:past|last|next|coming|recent|previous|following)\s+(?:few\s+|several\s+"
        r"|couple\s+of\s+)?(?:years|months|weeks|decades|days|hours|centuries))\b",
        r"\bfor\s+(?P<t>years|months|weeks|decades|days|hours|centuries)\b",
        r"\bover\s+(?P<t>the\s+(?:years|decades|centuries))\b",
        # Clock times, with the day they belong to when it follows.
        rf"(?P<t>\b(?:(?:about|around|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))\s+)?"
        rf"{_CLOCK}(?:\s+(?:{_WEEKDAY}|today|yesterday|tomorrow|tonight))?)",
        r"\b(?:at|by|until|till|from|before|after|around|about)\s+(?P<t>\d{1,2}:\d\d)\b",
        # Sets.
        rf"(?P<t>\b(?:every|each)\s+(?:other\s+)?(?:{_NUM}\s+)?(?:{_UNIT}|{_WEEKDAY}|{_PART}|weekend\b"
        rf"|{_SEASON}|{_MONTH}))",
        # "annually" is left out: TimeBank marks it in a third of its uses ("$5 million annually").
        rf"(?P<t>\b(?:{_alternation(w for w in _SET_WORDS if w != 'annually')}))\b",
        rf"(?P<t>\b(?:once|twice|{_NUM}\s+times)\s+(?:a|an|per|each|every)\s+(?:{_UNIT}|{_WEEKDAY}))",
        rf"\b(?:on|most|many|some)\s+(?P<t>(?:{_alternation(_WEEKDAYS)})s)\b",
        # The present, the past and the future as a whole.
        rf"(?P<t>\b(?:{_alternation(_PRESENT_WORDS + _PAST_WORDS[:2])}))\b",
        r"\b(?:in|for|into|of)\s+(?P<t>the\s+(?:(?:near|foreseeable|distant|immediate)\s+)?future)\b",
        r"\bin\s+(?P<t>the\s+past)\b(?!\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|decades?|centur))",
    )
)

# --------------------------------------------------------------------------------------------------
# Trimming and filtering candidate spans
# --------------------------------------------------------------------------------------------------

_LEADING = re.compile(
    r"(?:(?:since|on|in|for|by|until|till|from|during|at|of|through|throughout|between|and|or|to|within"
    r"|into|after|before|as\s+of|as\s+early\s+as|as\s+late\s+as|over(?=\s+the\b))\s+"
    r"|[\s\"“(\[])+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:['’]s|[\s,;:!?\"”'’()\[\]-])+$")
# A final period belongs to the expression only when it ends an abbreviation ("Sept.", "p.m.").
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[a-z]\.[a-z])|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec))\.$", re.I
)
_AGE_CONTEXT = re.compile(r"[\s-]*(?:olds?|of\s+age)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Za-z]+")
# spaCy labels these DATE, but they are ages ("Smith, 44"), model numbers, adjectives or anaphora that no
# TimeML annotator marks.
_NOT_EXPRESSIONS = re.compile(
    r"^(?:an?\s+second|the\s+same|some|a|an|one|\d{1,3}|\d{5,}|(?:(?:early|mid|late)[\s-]+)?\d0s|quarterly"
    r"|(?:semi-?)?annual|(?:the|that|this)\s+day|day|the\s+night(?:\s+of)?|all\s+(?:day|week|night)"
    r"|his\s+year|her\s+year|a\s+weekend)$",
    re.IGNORECASE,
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past leading prepositions and trailing punctuation."""
    while start < end:
        m = _LEADING.match(text, start, end)
        if not m or m.end() == start:
            break
        start = m.end()
    while start < end:
        m = _TRAILING.search(text, start, end)
        if m and m.start() < end:
            end = m.start()
            continue
        if text[end - 1] == "." and not _ABBREVIATION_END.search(text, start, end):
            end -= 1
            continue
        break
    return start, end


def _names_capitalised(text: str) -> bool:
    """Month and weekday names must be capitalised: "may" and "march" are usually verbs."""
    return all(w[0].isupper() for w in _NAME_WORD.findall(text) if w.lower() in _NAMES)


def _is_age(text: str, start: int, end: int) -> bool:
    if _AGE_CONTEXT.match(text, end) or _AGE_BEFORE.search(text, max(0, start - 8), start):
        return True
    span = text[start:end].lower()
    return "-old" in span or " old" in span


def _regex_spans(text: str) -> list[tuple[int, int]]:
    spans: set[tuple[int, int]] = set()
    for pattern in _DETECTORS:
        for m in pattern.finditer(text):
            start, end = _trim(text, *m.span("t"))
            if start >= end or _NOT_EXPRESSIONS.match(text[start:end]):
                continue
            if _names_capitalised(text[start:end]) and not _is_age(text, start, end):
                spans.add((start, end))
    return sorted(spans)


def _entity_spans(doc: Doc, text: str, rule_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's DATE and TIME entities, trimmed, without ages, split where they join two expressions."""
    out: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        if start >= end or _is_age(text, start, end) or _NOT_EXPRESSIONS.match(text[start:end]):
            continue
        out.extend(_split(text, start, end, rule_spans))
    return out


def _split(text: str, start: int, end: int, rule_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split an entity that joins several expressions into one span each.

    "Tuesday and Wednesday", "between 1994 and 1997", "the quarter ended Sept. 30" and "the first nine
    months of 1997" (a duration and its year) are two expressions each in TimeML. The rule matches
    inside the entity are the pieces; what lies between them must be function words or expressions the
    normaliser understands on their own, else the entity stays whole.
    """
    pieces = _disjoint([s for s in rule_spans if start <= s[0] and s[1] <= end])
    if not pieces:
        return [(start, end)]
    for i, (p_start, p_end) in enumerate(pieces):  # a determiner belongs to the piece it introduces
        if m := _DETERMINER_BEFORE.search(text, start, p_start):
            pieces[i] = (m.start(), p_end)
    gaps = zip([start] + [e for _, e in pieces], [s for s, _ in pieces] + [end], strict=True)
    for gap_start, gap_end in gaps:
        for run_start, run_end in _content_runs(text, gap_start, gap_end):
            if normalise_time(text[run_start:run_end], None)[1] is None:
                return [(start, end)]
            pieces.append((run_start, run_end))
    pieces.sort()
    merged = [pieces[0]]
    for piece in pieces[1:]:
        gap = text[merged[-1][1] : piece[0]].strip().lower()
        after_duration = normalise_time(text[merged[-1][0] : merged[-1][1]], None)[1] == "DURATION"
        if gap in ("", "'s") or (gap == "of" and not after_duration):
            merged[-1] = (merged[-1][0], piece[1])  # "the end of 1994" is one expression
        else:
            merged.append(piece)
    return merged


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    {"and", "or", "to", "of", "in", "on", "at", "from", "between", "through", "until", "till", "ended",
     "ending", ",", "-", "–", "—"}
)  # fmt: skip


def _content_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of consecutive words in ``text[start:end]`` that are not function words."""
    runs: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for word in re.finditer(r"[^\s,]+|,", text[start:end]):
        if word.group().lower() in _FUNCTION_WORDS:
            if current:
                runs.append(current)
            current = None
            continue
        w_start, w_end = start + word.start(), start + word.end()
        current = (current[0], w_end) if current else (w_start, w_end)
    if current:
        runs.append(current)
    return [t for r in runs if (t := _trim(text, *r))[0] < t[1]]


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans (sorted input) into their unions."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _candidate_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    rules = _regex_spans(text)
    spans = _disjoint(rules + _entity_spans(doc, text, rules))
    out = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if start < end:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------------------------------
# Tense of the clause an expression belongs to
# --------------------------------------------------------------------------------------------------

_MODALS_PAST_PERFECT = frozenset({"have", "'ve"})


def _verb_tense(verb: Token) -> Tense | None:
    """The tense a verb gives its clause, from its tag and auxiliaries; None when it gives none."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = [a.lower_ for a in auxes]
    if "could" in lowers:
        return "past"  # news "could" is mostly a past ability: "could not be reached Wednesday"
    if any(a.tag_ == "MD" for a in auxes):
        # "could have met", "would have met": a modal with a perfect is about the past.
        return "past" if any(w in _MODALS_PAST_PERFECT for w in lowers) else "future"
    if any(a.tag_ == "TO" for a in auxes):
        # An infinitive looks ahead from its governor: "is due to meet", "plans to visit", but "was due to".
        governor = verb.head
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


_POSSESSIVE = re.compile(r"['’]s\b")


def _tense(doc: Doc, text: str, start: int, end: int) -> Tense | None:
    """The tense of the nearest clause governing ``text[start:end]`` (``text`` is ``doc.text``)."""
    if _POSSESSIVE.match(text, end):
        return "past"  # "Tuesday's vote", "Friday's close": news names past days this way
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(12):  # dependency paths in news sentences are short; this bounds a malformed parse
        outside = not span.start <= token.i < span.end
        if outside and token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            tense = _verb_tense(token)
            if tense is not None:
                return tense
        if token.head is token:
            break
        token = token.head
    return None


# --------------------------------------------------------------------------------------------------
# Calendar arithmetic
# --------------------------------------------------------------------------------------------------


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _weekday_date(weekday: int, ref: dt.date, relation: str | None, tense: Tense | None) -> dt.date:
    """The date of ``weekday`` near ``ref``: "last"/"next" skip the reference day; else the tense decides."""
    ahead = (weekday - ref.weekday()) % 7
    behind = (ref.weekday() - weekday) % 7
    if relation in ("last", "past", "this past", "previous"):
        return ref - dt.timedelta(days=behind or 7)
    if relation in ("next", "coming", "this coming"):
        return ref + dt.timedelta(days=ahead or 7)
    if tense in ("future", "present"):
        return ref + dt.timedelta(days=ahead)
    # Past tense, and no tense at all: news reports mostly look back, and TimeBank agrees.
    return ref - dt.timedelta(days=behind)


def _month_year(month: int, ref: dt.date, relation: str | None, tense: Tense | None) -> int:
    """The year of a month named without one: "last"/"next" or the tense pick the side of ``ref``."""
    if relation in ("last", "past", "this past", "previous"):
        return ref.year if month < ref.month else ref.year - 1
    if relation in ("next", "coming", "this coming"):
        return ref.year if month > ref.month else ref.year + 1
    if relation == "this":
        return ref.year
    if tense == "past":
        return ref.year if month <= ref.month else ref.year - 1
    if tense in ("future", "present"):
        return ref.year if month >= ref.month else ref.year + 1
    # No tense: the nearest such month (within six months either way).
    return ref.year + (1 if month - ref.month < -6 else -1 if month - ref.month > 6 else 0)


# A date written without its year ("on Nov. 10") usually lies on the side of the publication date that the
# tense points to, but a past-tense clause can report a date still ahead ("the deal was set to close Nov.
# 10"). Candidates against the tense are kept with this many days added to their distance, so one a few
# weeks away still beats the tense-compatible one almost a year away. On TimeBank + AQUAINT value F1 is
# flat from 100 to 150 days and drops by about 1 point at 0 (plain nearest) and at 400 (tense only).
TENSE_PENALTY_DAYS = 120


def _nearest_date(candidates: list[dt.date], ref: dt.date, tense: Tense | None) -> dt.date | None:
    """The candidate nearest ``ref``, preferring the side of ``ref`` the tense points to."""

    def cost(day: dt.date) -> int:
        distance = abs((day - ref).days)
        against = (tense == "past" and day > ref) or (tense in ("future", "present") and day < ref)
        return distance + (TENSE_PENALTY_DAYS if against else 0)

    return min(candidates, key=cost, default=None)


def _date_year(
    month: int, day: int, ref: dt.date, tense: Tense | None, weekday: int | None
) -> dt.date | None:
    """The date with this month and day nearest ``ref``, on the side the tense points to.

    A weekday written with the date ("Tuesday, March 12") decides between years when one fits.
    """
    candidates = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _safe_date(y, month, day))]
    if weekday is not None:
        fitting = [d for d in candidates if d.weekday() == weekday]
        if fitting:
            candidates = fitting
    return _nearest_date(candidates, ref, tense)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


_HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "easter": _easter,
    "easter sunday": _easter,
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "independence day": lambda y: dt.date(y, 7, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "halloween": lambda y: dt.date(y, 10, 31),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "christmas": lambda y: dt.date(y, 12, 25),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "boxing day": lambda y: dt.date(y, 12, 26),
}


def _season_key(ref: dt.date) -> tuple[int, int]:
    """(year, season index) of the season ``ref`` falls in; winter belongs to the year of its December."""
    if ref.month in (1, 2):
        return ref.year - 1, 3
    return ref.year, (ref.month - 3) // 3 if ref.month < 12 else 3


def _season_year(code: str, ref: dt.date, relation: str | None, tense: Tense | None) -> int:
    index = _SEASON_INDEX[code]
    year, current = _season_key(ref)
    now = year * 4 + current
    same_year = year * 4 + index
    if relation == "this" or (relation is None and tense is None):
        return year
    if relation in ("last", "past", "this past", "previous") or (relation is None and tense == "past"):
        key = same_year if same_year < now or (relation is None and same_year == now) else same_year - 4
        return key // 4
    key = same_year if same_year > now or (relation is None and same_year == now) else same_year + 4
    return key // 4


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------

_VAGUE_NUMBERS = re.compile(
    r"^(?:a\s+few|few|several|many|some|hundreds\s+of|dozens\s+of|thousands\s+of|a\s+number\s+of)$"
)


def _number(text: str) -> float | None:
    """The value of a written amount ("two", "twenty-five", "5 1/2", "a couple of"); None when vague."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text[: -len(" and a half")], 0.5
    if _VAGUE_NUMBERS.match(text):
        return None
    if m := re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(?: (\d)/(\d))?", text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value += int(m.group(2)) / int(m.group(3))
        return value + half
    if m := re.fullmatch(r"(\d)/(\d)", text):
        return int(m.group(1)) / int(m.group(2)) + half
    if text in ("a", "an", "one"):
        return 1 + half
    if text in ("a couple of", "couple of", "a couple"):
        return 2 + half
    if text in ("a dozen", "dozen"):
        return 12 + half
    if text in ("a hundred", "hundred"):
        return 100 + half
    if text in _ONES:
        return _ONES[text] + half
    parts = re.split(r"[ -]", text)
    if parts[0] in _TENS and (len(parts) == 1 or (len(parts) == 2 and parts[1] in _ONES)):
        return _TENS[parts[0]] + (_ONES[parts[1]] if len(parts) == 2 else 0) + half
    return None


def _unit(word: str) -> str:
    word = word.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word


# Where the fraction of a unit goes: "5 1/2 hours" is PT5H30M, "a year and a half" P1Y6M.
_SMALLER: dict[str, tuple[str, int]] = {
    "Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60),
    "TS": ("TS", 1),
}  # fmt: skip


def _duration(amount: float | None, unit: str) -> str:
    """An ISO 8601 duration of ``amount`` units, or the vague ``PXY`` form when the amount is None."""
    if amount is None:
        return _VAGUE_CODES[unit]
    code, factor = _UNIT_CODES[unit]
    amount *= factor
    whole = int(amount)
    parts = {code: whole} if whole or amount == whole else {}
    if amount - whole > 1e-9:
        smaller, scale = _SMALLER[code]
        parts[smaller] = parts.get(smaller, 0) + round((amount - whole) * scale)
    date = "".join(f"{n}{c}" for c, n in parts.items() if not c.startswith("T"))
    time = "".join(f"{n}{c[1]}" for c, n in parts.items() if c.startswith("T"))
    return "P" + date + ("T" + time if time else "")


# --------------------------------------------------------------------------------------------------
# Normalisation rules
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    ref: dt.date | None
    tense: Tense | None


Result = tuple[str | None, str]
_Rule = Callable[[re.Match[str], _Context], Result | None]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def register(handler: _Rule) -> _Rule:
        _RULES.append((re.compile(pattern, re.IGNORECASE), handler))
        return handler

    return register


def _relation(m: re.Match[str]) -> str | None:
    rel = m.groupdict().get("rel")
    return re.sub(r"\s+", " ", rel.lower()) if rel else None


def _year_of(text: str, ref: dt.date | None) -> int | None:
    """A four-digit year, or a two-digit one ("'98") read as the nearest such year not after ``ref``."""
    text = text.strip()
    if text.startswith(("'", "’")):
        short = int(text[1:])
        base = ref.year if ref else 1999
        year = base - (base - short) % 100
        return year
    return int(text)


@_rule(rf"\b(?:every|each)\s+(?P<other>other\s+)?(?:(?P<n>{_NUM})\s+)?(?P<u>{_UNIT})")
def _every_unit(m: re.Match[str], ctx: _Context) -> Result:
    amount = 2.0 if m.group("other") else _number(m.group("n")) if m.group("n") else 1.0
    return _duration(amount, _unit(m.group("u"))), "SET"


@_rule(rf"\b(?:every|each)\s+(?P<wd>{_WEEKDAY})|\b(?P<wds>{_alternation(_WEEKDAYS)})s\b")
def _every_weekday(m: re.Match[str], ctx: _Context) -> Result:
    name = (m.group("wd") or m.group("wds")).lower()
    return f"XXXX-WXX-{_WEEKDAYS[name] + 1}", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<part>{_PART})")
def _every_part(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-XX-XXT{_PARTS[m.group('part').lower()]}", "SET"


@_rule(r"\b(?:every|each)\s+weekend\b")
def _every_weekend(m: re.Match[str], ctx: _Context) -> Result:
    return "XXXX-WXX-WE", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<mon>{_MONTH})")
def _every_month_name(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-{_MONTHS[m.group('mon').rstrip('.').lower()]:02d}", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<se>{_SEASON})")
def _every_season(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-{_SEASONS[m.group('se').lower()]}", "SET"


@_rule(rf"\b(?P<w>{_alternation(_SET_WORDS)})\b")
def _set_word(m: re.Match[str], ctx: _Context) -> Result:
    return _SET_WORDS[m.group("w").lower()], "SET"


@_rule(rf"\b(?:once|twice|{_NUM}\s+times)\s+(?:a|an|per|each|every)\s+(?P<u>{_UNIT})")
def _frequency(m: re.Match[str], ctx: _Context) -> Result:
    return _duration(1.0, _unit(m.group("u"))), "SET"


@_rule(rf"\b(?P<n>{_NUM})[\s-]+(?P<u>{_UNIT})\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b")
def _offset(m: re.Match[str], ctx: _Context) -> Result:
    amount = _number(m.group("n"))
    forward = m.group("dir").lower() in ("later", "from now", "hence")
    if amount is None:
        return ("FUTURE_REF" if forward else "PAST_REF"), "DATE"
    if ctx.ref is None:
        return None, "DATE"
    sign = 1 if forward else -1
    unit = _unit(m.group("u"))
    ref = ctx.ref
    if unit in ("day", "week", "fortnight", "hour", "minute", "second"):
        days = {"day": 1, "week": 7, "fortnight": 14}.get(unit, 0) * amount
        return (ref + dt.timedelta(days=sign * round(days))).isoformat(), "DATE"
    if unit == "month":
        year, month = _add_months(ref.year, ref.month, sign * round(amount))
        return f"{year:04d}-{month:02d}", "DATE"
    years = round(amount * _UNIT_CODES[unit][1])
    return str(ref.year + sign * years), "DATE"


@_rule(r"\byear[\s-](?:ago|earlier)\b")
def _year_ago(m: re.Match[str], ctx: _Context) -> Result:
    return (str(ctx.ref.year - 1) if ctx.ref else None), "DATE"


@_rule(rf"(?:(?P<rel>last|next|this)\s+)?(?P<h>{_HOLIDAY_NAMES})(?:,?\s+(?P<y>{_YEAR}))?")
def _holiday(m: re.Match[str], ctx: _Context) -> Result | None:
    name = re.sub(r"\s+", " ", m.group("h").lower())
    rule = _HOLIDAYS.get(name)
    if rule is None:
        return None
    if m.group("y"):
        return rule(int(m.group("y"))).isoformat(), "DATE"
    if ctx.ref is None:
        return None, "DATE"
    ref = ctx.ref
    candidates = [rule(y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    relation = _relation(m)
    if relation == "last":
        candidates = [d for d in candidates if d < ref]
    elif relation == "next":
        candidates = [d for d in candidates if d > ref]
    elif relation == "this":
        candidates = [d for d in candidates if d.year == ref.year]
    found = _nearest_date(candidates, ref, ctx.tense)
    return (found.isoformat() if found else None), "DATE"


def _day_in(text: str, ctx: _Context) -> str | None:
    """The day a clock time belongs to: a date or a day word in the same expression, else the reference."""
    for pattern, handler in _DAY_RULES:
        if m := pattern.search(text):
            value = handler(m, ctx)
            if value and value[0] and re.match(r"^\d{4}-\d\d-\d\d", value[0]):
                return value[0][:10]
    return ctx.ref.isoformat() if ctx.ref else None


@_rule(
    r"(?:(?P<h>\d{1,2})(?::(?P<mi>\d\d))?\s*(?P<ap>a\.?m\b\.?|p\.?m\b\.?|o'clock)|(?P<word>noon|midnight|midday)\b)"
    r"|(?<![\d.])(?P<h24>[01]?\d|2[0-3]):(?P<mi24>\d\d)\b(?!\s*/)"
)
def _clock(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("word"):
        hour, minute = (24, 0) if m.group("word").lower() == "midnight" else (12, 0)
    elif m.group("h24"):
        hour, minute = int(m.group("h24")), int(m.group("mi24"))
    else:
        hour, minute = int(m.group("h")), int(m.group("mi") or 0)
        ampm = m.group("ap").lower()
        if hour > 12 or minute > 59:
            return None
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    day = _day_in(m.string, ctx)
    if day is None:
        return None, "TIME"
    return f"{day}T{hour:02d}:{minute:02d}", "TIME"


@_rule(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b")
def _iso_date(m: re.Match[str], ctx: _Context) -> Result | None:
    day = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (day.isoformat(), "DATE") if day else None


@_rule(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)\b")
def _slash_date(m: re.Match[str], ctx: _Context) -> Result | None:
    # Month first, as in the US agencies' style; a day above 12 in the first place swaps them.
    first, second = int(m.group("m")), int(m.group("d"))
    month, day = (second, first) if first > 12 else (first, second)
    year = int(m.group("y"))
    if year < 100:
        year = _year_of(f"'{year:02d}", ctx.ref) or year
    found = _safe_date(year, month, day)
    return (found.isoformat(), "DATE") if found else None


def _explicit(m: re.Match[str], ctx: _Context) -> Result | None:
    month = _MONTHS[m.group("mon").rstrip(".").lower()]
    day = int(re.sub(r"\D", "", m.group("d")))
    weekday = _WEEKDAYS[m.group("wd").lower()] if m.group("wd") else None
    if m.group("y"):
        found = _safe_date(_year_of(m.group("y"), ctx.ref) or 0, month, day)
        return (found.isoformat(), "DATE") if found else None
    if ctx.ref is None:
        return None, "DATE"
    found = _date_year(month, day, ctx.ref, ctx.tense, weekday)
    return (found.isoformat(), "DATE") if found else None


_MONTH_DAY = (
    rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<mon>{_MONTH})\s+(?:the\s+)?(?P<d>{_DAY})"
    rf"(?:,?\s+(?P<y>{_YEAR}|'\d\d\b))?(?![\d:])"
)
_DAY_MONTH = (
    rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?<!\d)(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})"
    rf"(?:,?\s+(?P<y>{_YEAR}|'\d\d\b))?"
)
_rule(_MONTH_DAY)(_explicit)
_rule(_DAY_MONTH)(_explicit)


@_rule(rf"(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR}|'\d\d\b)")
def _month_year_explicit(m: re.Match[str], ctx: _Context) -> Result:
    year = _year_of(m.group("y"), ctx.ref)
    return f"{year:04d}-{_MONTHS[m.group('mon').rstrip('.').lower()]:02d}", "DATE"


_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _current_quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@_rule(
    rf"(?:(?P<y1>{_YEAR})\s+)?(?:fiscal\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last"
    rf"|latest|current|next|previous|past)[\s-]+(?:fiscal[\s-]+)?(?P<k>quarter|half)"
    rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{_YEAR})|,?\s+(?P<y3>{_YEAR}))?"
    rf"|\bq(?P<qn>[1-4])(?:\s+(?P<y4>{_YEAR}))?\b"
)
def _quarter(m: re.Match[str], ctx: _Context) -> Result | None:
    kind = "H" if (m.group("k") or "").lower() == "half" else "Q"
    count = 2 if kind == "H" else 4
    written = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    word = (m.group("q") or "").lower()
    if m.group("qn"):
        number: int | None = int(m.group("qn"))
    elif word in ("final", "last") and written:
        number = count
    else:
        number = _QUARTER_WORDS.get(word)
        if kind == "H" and number and number > 2:
            return None
    if written:
        return (f"{written}-{kind}{number}" if number else None), "DATE"
    if ctx.ref is None:
        return None, "DATE"
    current = _current_quarter(ctx.ref) if kind == "Q" else (ctx.ref.month - 1) // 6 + 1
    year = ctx.ref.year
    if number is None:
        step = {"last": -1, "latest": -1, "previous": -1, "past": -1, "next": 1, "current": 0}.get(word)
        if step is None:
            return None, "DATE"
        index = year * count + current - 1 + step
        return f"{index // count}-{kind}{index % count + 1}", "DATE"
    if number > current and ctx.tense not in ("future", "present"):
        year -= 1  # "fourth-quarter profit rose" in a March article is last year's fourth quarter
    return f"{year}-{kind}{number}", "DATE"


@_rule(r"^(?:the\s+)?(?:latest\s+|recent\s+)?quarter$")
def _the_quarter(m: re.Match[str], ctx: _Context) -> Result:
    # Business news says "the quarter" for the last quarter reported: the one before the current one.
    if ctx.ref is None:
        return None, "DATE"
    index = ctx.ref.year * 4 + _current_quarter(ctx.ref) - 2
    return f"{index // 4}-Q{index % 4 + 1}", "DATE"


@_rule(rf"(?:(?P<rel>{_REL})\s+)?(?:the\s+)?{_MOD}?(?P<se>{_SEASON})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?")
def _season(m: re.Match[str], ctx: _Context) -> Result:
    code = _SEASONS[m.group("se").lower()]
    if m.group("y"):
        return f"{m.group('y')}-{code}", "DATE"
    if ctx.ref is None:
        return None, "DATE"
    return f"{_season_year(code, ctx.ref, _relation(m), ctx.tense)}-{code}", "DATE"


@_rule(r"(?P<c>1\d|20)(?P<d>\d)0'?s\b")
def _decade(m: re.Match[str], ctx: _Context) -> Result:
    century, digit = int(m.group("c")), int(m.group("d"))
    if digit == 0 and century < 20:
        return f"{century}", "DATE"  # "the 1800s" is the nineteenth century
    return f"{century}{digit}", "DATE"


@_rule(rf"(?<!\w)'(?P<d>\d)0s\b|(?P<nine>nineteen[\s-])?(?P<w>{_alternation(_DECADE_WORDS)})\b")
def _short_decade(m: re.Match[str], ctx: _Context) -> Result:
    digit = int(m.group("d")) if m.group("d") else _DECADE_WORDS[m.group("w").lower()]
    if m.group("nine") or ctx.ref is None:
        return f"19{digit}", "DATE"
    # The most recent such decade that has begun by the reference date.
    century = ctx.ref.year // 100
    if century * 100 + digit * 10 > ctx.ref.year:
        century -= 1
    return f"{century}{digit}", "DATE"


@_rule(rf"(?:(?P<o>\d{{1,2}})(?:st|nd|rd|th)|(?P<ow>{_alternation(_ORDINALS)}))[\s-]+century")
def _century(m: re.Match[str], ctx: _Context) -> Result:
    ordinal = int(m.group("o")) if m.group("o") else _ORDINALS[re.sub(r"\s+", " ", m.group("ow").lower())]
    return f"{ordinal - 1:02d}", "DATE"  # TimeML writes a century as its first two digits


@_rule(r"^(?P<rel>this|last|next|the\s+current|the\s+previous)\s+century$")
def _relative_century(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    step = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1}[_relation(m) or "this"]
    return f"{ctx.ref.year // 100 + step:02d}", "DATE"


@_rule(rf"\bhalf\s+(?:an?\s+)?(?P<u>{_UNIT})")
def _half_duration(m: re.Match[str], ctx: _Context) -> Result:
    return _duration(0.5, _unit(m.group("u"))), "DURATION"


@_rule(
    rf"(?:(?:the\s+)?(?:past|last|next|first|coming|previous|following|latest|remaining|final)\s+)?"
    rf"(?P<n>{_NUM})[\s-]+(?P<pre_half>and[\s-]+a[\s-]+half[\s-]+)?(?P<u>{_UNIT})(?P<half>\s+and\s+a\s+half)?"
)
def _counted_duration(m: re.Match[str], ctx: _Context) -> Result:
    amount = _number(m.group("n"))
    if amount is not None and (m.group("half") or m.group("pre_half")):
        amount += 0.5
    return _duration(amount, _unit(m.group("u"))), "DURATION"


# TimeBank marks a bare "the year" ("net income for the year") as a one-year duration more often than
# as the current year (6 to 4).
@_rule(r"^the\s+(?:past|last)\s+(?P<u>year|month|week|day|decade|century|hour)$|^the\s+(?P<u2>year)$")
def _the_past_unit(m: re.Match[str], ctx: _Context) -> Result:
    return _duration(1.0, _unit(m.group("u") or m.group("u2"))), "DURATION"


@_rule(
    r"^(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|following)\s+)?(?:few\s+|several\s+|many\s+"
    r"|couple\s+of\s+)?(?P<u>years|months|weeks|decades|days|hours|minutes|centuries)$"
)
def _vague_duration(m: re.Match[str], ctx: _Context) -> Result:
    if m.group(0).lower().startswith(("recent", "the recent")):
        return "PAST_REF", "DATE"  # "in recent years" points into the past rather than measuring it
    return _duration(None, _unit(m.group("u"))), "DURATION"


@_rule(
    rf"(?:(?P<rel>{_REL})\s+|(?P<early>early|late|earlier|later)\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?"
)
def _weekday(m: re.Match[str], ctx: _Context) -> Result:
    part = m.group("part")
    kind = "TIME" if part else "DATE"
    if ctx.ref is None:
        return None, kind
    day = _weekday_date(_WEEKDAYS[m.group("wd").lower()], ctx.ref, _relation(m), ctx.tense)
    return day.isoformat() + (f"T{_PARTS[part.lower()]}" if part else ""), kind


@_rule(
    rf"\b(?:(?P<rel>this|last)\s+(?P<part0>morning|afternoon|evening|night)"
    rf"|(?:the\s+day\s+(?P<far>before\s+yesterday|after\s+tomorrow))"
    rf"|(?P<w>today|yesterday|tomorrow|tonight)(?:\s+(?P<part>{_PART}))?)\b"
)
def _relative_day(m: re.Match[str], ctx: _Context) -> Result:
    word = (m.group("w") or "").lower()
    part = (m.group("part") or m.group("part0") or ("tonight" if word == "tonight" else "")).lower()
    kind = "TIME" if part else "DATE"
    if ctx.ref is None:
        return None, kind
    if m.group("far"):
        shift = -2 if m.group("far").lower().startswith("before") else 2
    elif m.group("rel"):
        shift = -1 if (m.group("rel").lower() == "last") else 0
    else:
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    day = (ctx.ref + dt.timedelta(days=shift)).isoformat()
    return day + (f"T{_PARTS[part]}" if part else ""), kind


@_rule(
    rf"(?P<rel>{_REL}|the\s+current|the\s+coming|the\s+past|the\s+previous|the\s+last|the\s+next)"
    r"\s+(?P<u>week|weekend|month|year|decade|fiscal\s+year)\b"
)
def _relative_unit(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    rel = (_relation(m) or "this").removeprefix("the ")
    step = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1}.get(rel, 0)
    unit = m.group("u").lower().removeprefix("fiscal").strip()
    ref = ctx.ref
    if unit == "week":
        return _iso_week(ref + dt.timedelta(weeks=step)), "DATE"
    if unit == "weekend":
        return _weekend(ref, step), "DATE"
    if unit == "month":
        year, month = _add_months(ref.year, ref.month, step)
        return f"{year:04d}-{month:02d}", "DATE"
    if unit == "decade":
        return f"{ref.year // 10 + step}", "DATE"
    return f"{ref.year + step}", "DATE"


def _weekend(ref: dt.date, step: int) -> str:
    if step == 0 or ref.weekday() >= 5:
        return f"{_iso_week(ref + dt.timedelta(weeks=step))}-WE"
    # From a weekday, "last weekend" is the one that just ended: the previous ISO week's.
    return f"{_iso_week(ref + dt.timedelta(weeks=step if step > 0 else -1))}-WE"


@_rule(r"^(?:the\s+)?weekend$")
def _the_weekend(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    if ctx.ref.weekday() >= 5:
        return _weekend(ctx.ref, 0), "DATE"
    return _weekend(ctx.ref, 1 if ctx.tense in ("future", "present") else -1), "DATE"


@_rule(rf"(?:(?P<rel>{_REL})\s+)?(?P<mon>{_MONTH})")
def _month(m: re.Match[str], ctx: _Context) -> Result:
    month = _MONTHS[m.group("mon").rstrip(".").lower()]
    if ctx.ref is None:
        return None, "DATE"
    return f"{_month_year(month, ctx.ref, _relation(m), ctx.tense):04d}-{month:02d}", "DATE"


@_rule(rf"(?P<y>{_YEAR})|(?<!\w)(?P<yy>'\d\d)\b")
def _year(m: re.Match[str], ctx: _Context) -> Result:
    return str(_year_of(m.group("y") or m.group("yy"), ctx.ref)), "DATE"


@_rule(r"\byear[\s-]end\b|\bend\s+of\s+(?:the|this)\s+year\b")
def _year_end(m: re.Match[str], ctx: _Context) -> Result:
    return (f"{ctx.ref.year}-12-31" if ctx.ref else None), "DATE"


@_rule(r"^(?:the\s+)?(?:current|present)\s+year$|^the\s+(?:full|whole|entire)\s+year$")
def _current_year(m: re.Match[str], ctx: _Context) -> Result:
    return (str(ctx.ref.year) if ctx.ref else None), "DATE"


@_rule(rf"^(?:right\s+)?(?:{_alternation(_PRESENT_WORDS)})$")
def _present(m: re.Match[str], ctx: _Context) -> Result:
    return "PRESENT_REF", "DATE"


@_rule(rf"^(?:more\s+)?(?:{_alternation(_PAST_WORDS)})$")
def _past(m: re.Match[str], ctx: _Context) -> Result:
    return "PAST_REF", "DATE"


@_rule(rf"^(?:{_alternation(_FUTURE_WORDS)})$|^the\s+(?:immediate\s+)?future$")
def _future(m: re.Match[str], ctx: _Context) -> Result:
    return "FUTURE_REF", "DATE"


# The rules that name a day, tried in order to find the date of a clock time ("10 p.m. Wednesday").
_DAY_RULES: list[tuple[re.Pattern[str], _Rule]] = [
    (p, h) for p, h in _RULES if h in (_iso_date, _slash_date, _explicit, _weekday, _relative_day, _holiday)
]


# Years read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand".
_WORD_YEAR = re.compile(
    rf"\b(?:the\s+year\s+)?(?:(?P<c>eighteen|nineteen|twenty)[\s-](?P<t>{_alternation(_TENS)})"
    rf"(?:[\s-](?P<o>{_ONE_TO_NINE}))?|two\s+thousand(?:\s+and\s+(?P<o2>{_alternation(_ONES)}))?)\b"
    rf"(?![\s-]+{_UNIT})"
)


def _word_year(m: re.Match[str]) -> str:
    if m.group("c"):
        century = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m.group("c")]
        return str(century * 100 + _TENS[m.group("t")] + (_ONES[m.group("o")] if m.group("o") else 0))
    return str(2000 + (_ONES[m.group("o2")] if m.group("o2") else 0))


def normalise_time(
    text: str, reference: dt.date | None, tense: Tense | None = None
) -> tuple[str | None, str | None]:
    """Give a temporal expression its TimeML value and type.

    Args:
        text: The expression as written ("on Tuesday morning", "the third quarter", "two-day").
        reference: The publication date relative expressions count from; None leaves them without a value.
        tense: The tense of the clause the expression modifies; it decides which Tuesday "on Tuesday" is
            and which year a bare month falls in. None when unknown.

    Returns:
        ``(value, type)``: the value (``2024-03-12``, ``P2D``, ``PRESENT_REF``…) or None when the
        expression needs a reference date or is not understood, and the type (DATE, TIME, DURATION or
        SET), or None when no rule recognised the expression.
    """
    cleaned = _WORD_YEAR.sub(_word_year, re.sub(r"\s+", " ", text.strip()).lower())
    ctx = _Context(reference, tense)
    for pattern, handler in _RULES:
        m = pattern.search(cleaned)
        if m is None:
            continue
        result = handler(m, ctx)
        if result is not None:
            return result
    return None, None


_YEAR_AGO = re.compile(r"\byear[\s-]+(?:ago|earlier)\b", re.IGNORECASE)
_QUARTER_VALUE = re.compile(r"^(\d{4})-([QH]\d)$")
# Results news compares a quarter with "a year earlier": the same quarter of the year before. A quarter
# named up to this many sentences back is the one compared (WSJ style puts it in the sentence before).
QUARTER_WINDOW_SENTENCES = 2


def _resolve_year_ago(doc: Doc, refs: list[TimeRef]) -> None:
    """Give "a year earlier" / "the year-ago quarter" the quarter of the comparison in results news."""
    if not doc.has_annotation("SENT_START"):
        return
    sentence_of = {}
    for number, sent in enumerate(doc.sents):
        sentence_of[sent.start_char] = number
    starts = sorted(sentence_of)

    def sentence(position: int) -> int:
        index = bisect.bisect_right(starts, position) - 1
        return sentence_of[starts[index]] if index >= 0 else 0

    last_quarter: tuple[int, str, int] | None = None  # (sentence number, "Q3", year)
    for ref in refs:
        here = sentence(ref.span[0])
        if ref.value and (m := _QUARTER_VALUE.match(ref.value)):
            last_quarter = (here, m.group(2), int(m.group(1)))
            continue
        if last_quarter and ref.value and ref.value.isdigit() and _YEAR_AGO.search(ref.text):
            seen, label, year = last_quarter
            if here - seen <= QUARTER_WINDOW_SENTENCES:
                ref.value = f"{year - 1}-{label}"


def find_times(doc: Doc, reference: dt.date | None) -> list[TimeRef]:
    """Find the temporal expressions in ``doc`` and normalise them against ``reference``.

    Args:
        doc: A parsed article (tagger, parser and NER have run); spans point into ``doc.text``.
        reference: The publication date; relative expressions get no value without it.

    Returns:
        TimeRefs in text order with ids ``t1``, ``t2``…; ``text`` is ``doc.text[start:end]``. The type is
        the normaliser's, or spaCy's label for an entity no rule understood.
    """
    text = doc.text  # Doc.text joins the tokens on every access: read it once
    labels = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    out: list[TimeRef] = []
    for start, end in _candidate_spans(doc, text):
        expression = text[start:end]
        value, kind = normalise_time(expression, reference, _tense(doc, text, start, end))
        if kind is None:
            kind = "TIME" if labels.get((start, end)) == "TIME" else "DATE"
        out.append(TimeRef(id=f"t{len(out) + 1}", span=(start, end), text=expression, value=value, type=kind))
    if reference is not None:
        _resolve_year_ago(doc, out)
    return out
