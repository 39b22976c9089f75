"""Finding temporal expressions: rule patterns plus spaCy's DATE and TIME entities, trimmed and split.

The rules add what the small English model misses (bare weekdays, "last month", "early 2019", "the
1990s", quarters, seasons, "now", clock times, "every week"). Leading prepositions ("since", "on", "in")
are trimmed, as TimeML leaves them out of the expression, and an entity that joins two expressions
("between 1994 and 1997") is split into one span each.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc

from newsgraph.extract.times.rules import normalise_time
from newsgraph.extract.times.vocabulary import (
    CLOCK,
    DAY,
    DECADE_WORDS,
    HOLIDAY,
    MOD,
    MOD_WORD,
    MONTH,
    NAMES,
    NOT_AGE,
    NUM,
    ORDINALS,
    PART,
    PAST_WORDS,
    PRESENT_WORDS,
    QUANT,
    REL,
    SEASON,
    SET_WORDS,
    UNIT,
    UNIT_PREFIX,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    alternation,
)


@dataclass(frozen=True)
class _Near:
    """A detector to run only near the words it cannot match without.

    Long alternations tried at every word of an article are the stage's main cost; a detector that needs
    a unit word ("years") or a month name runs only in windows of ``before`` characters before and
    ``after`` characters after each occurrence of ``trigger``. The windows are wide enough for the
    longest match and the look-ahead after it, so the matches are the same as over the whole text.
    ``needs`` is as for :class:`_Words`.
    """

    pattern: str
    trigger: str
    before: int = 120
    after: int = 40
    needs: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class _Words:
    """A detector that cannot match unless the lower-cased text contains, for each group in ``needs``,
    one of the group's strings: every match contains one ("the weekend" contains "weekend"). An article
    without them skips the detector, which cannot change what it finds."""

    pattern: str
    needs: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Detector:
    pattern: re.Pattern[str]
    # The same pattern, case-sensitive and in lower case, to run over the lower-cased text: half the
    # cost of IGNORECASE matching. None when the pattern has a case-sensitive part (holiday names).
    folded: re.Pattern[str] | None
    trigger: re.Pattern[str] | None
    folded_trigger: re.Pattern[str] | None
    before: int
    after: int
    needs: tuple[tuple[str, ...], ...]


def _fold_pattern(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` for lower-cased text: its letters in lower case, compiled case-sensitively."""
    if "(?-i:" in pattern or re.search(r"\\[A-Z]", pattern):
        return None  # a case-sensitive part, or an escape such as \S whose meaning depends on case
    return re.compile(
        re.sub(r"\(\?P<|[A-Z]", lambda m: m.group() if len(m.group()) > 1 else m.group().lower(), pattern)
    )


def _detector(spec: str | _Near | _Words) -> _Detector:
    if isinstance(spec, str):
        spec = _Words(spec, ())
    pattern = re.compile(spec.pattern, re.IGNORECASE)
    if isinstance(spec, _Words):
        return _Detector(pattern, _fold_pattern(spec.pattern), None, None, 0, 0, spec.needs)
    trigger = re.compile(spec.trigger, re.IGNORECASE)
    return _Detector(
        pattern,
        _fold_pattern(spec.pattern),
        trigger,
        _fold_pattern(spec.trigger),
        spec.before,
        spec.after,
        spec.needs,
    )


_UNIT_WORD = r"\b(?:second|minute|hour|day|week|fortnight|month|year|decade|centur(?:y|ies))"
_MONTH_WORD = rf"\b{MONTH}"

# What detectors need (see _Words): lower-case strings one of which every match contains. A month name
# contains one of the three-letter abbreviations, a weekday its full name, a unit word its stem.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = tuple(WEEKDAYS)
_UNITS = ("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "centur")
_PLURAL_UNITS = ("years", "months", "weeks", "decades", "days", "hours", "centuries")
_PARTS = ("morning", "afternoon", "evening", "night")  # "night" is in "overnight" and "tonight"
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_HOLIDAY_WORDS = (
    "thanksgiving", "christmas", "year's", "easter", "independence", "labor", "memorial", "halloween",
    "valentine", "boxing", "election",
)  # fmt: skip

# Each detector marks the expression with the group ``t``; context words outside it (a preposition that
# makes a bare month or year unambiguous) are required but not part of the expression.
_DETECTORS: tuple[_Detector, ...] = tuple(
    _detector(p)
    for p in (
        # Explicit dates.
        _Near(
            rf"(?P<t>\b(?:{WEEKDAY},?\s+)?{MOD}?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?)(?!\d|:\d)",
            _MONTH_WORD,
            needs=(_MONTHS,),
        ),
        _Near(
            rf"(?P<t>\b(?:{WEEKDAY},?\s+)?(?:the\s+)?(?<!\d){DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?)",
            _MONTH_WORD,
            needs=(_MONTHS,),
        ),
        _Near(rf"(?P<t>\b{MOD}?{MONTH},?\s+(?:of\s+)?(?:{YEAR}|'\d\d\b))", _MONTH_WORD, needs=(_MONTHS,)),
        _Near(
            rf"(?P<t>\b{MOD}?{MONTH}\s+(?:of\s+)?(?:this|last|next)\s+year)\b", _MONTH_WORD, needs=(_MONTHS,)
        ),
        _Words(rf"(?P<t>\bthe\s+week\s+of\s+{MONTH}\s+{DAY})", (("week",), _MONTHS)),
        _Words(r"(?P<t>\b(?:earlier|later)\s+in\s+the\s+(?:year|month|week))\b", (("earlier", "later"),)),
        _Words(r"(?P<t>\b(?:the\s+)?year(?:[\s-]|['’]s\s+)end)\b", (("year",), ("end",))),
        _Words(r"(?P<t>\b\d{4}-\d\d-\d\d)\b", (("-",),)),
        _Words(r"(?P<t>\b\d{1,2}/\d{1,2}/(?:\d{4}|\d\d))\b", (("/",),)),
        # A bare month or year needs a preposition or a modifier to tell it from a name or a number.
        _Words(
            rf"\b(?:in|since|until|till|by|during|from|through|before|after|between|throughout|around)\s+"
            rf"(?P<t>{MONTH})(?!\s*\d)",
            (_MONTHS,),
        ),
        _Words(rf"(?P<t>\b(?:{REL}|{MOD_WORD})[\s-]+{MONTH})(?!\s*\d)", (_MONTHS,)),
        rf"\b(?:in|since|until|till|by|during|from|through|before|after|between|throughout)\s+(?P<t>{YEAR})",
        # After "of" a number is often a count ("of 2000 people"), so a lower-case word may not follow.
        _Words(
            r"\bof\s+(?P<t>(?:19|20)\d\d)\b(?![.,]?\d)(?!\s+(?!and\b|to\b|through\b)[a-z])", (("19", "20"),)
        ),
        rf"(?P<t>{YEAR})(?=\s*(?:and|or|to|through|-|–)\s*{YEAR})",
        rf"(?<=\d\d\d\d)\s*(?:and|or|to|through|-|–)\s*(?P<t>{YEAR})",
        _Words(
            rf"(?P<t>\b(?:{MOD_WORD}|fiscal)[\s-]+{YEAR})",
            (("earl", "late", "mid", "end", "beginning", "start", "middle", "fiscal"),),
        ),
        # Decades and centuries.
        _Words(r"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:1\d|20)\d0'?s)\b", (("0s", "0's"),)),
        _Near(
            r"(?P<t>(?:\bthe\s+)?(?:(?:early|late|mid)[\s-]+)?(?<!\w)'\d0s)\b",
            r"'\d0s",
            30,
            5,
            needs=(("0s",),),
        ),
        _Near(
            rf"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:nineteen[\s-])?(?:{alternation(DECADE_WORDS)}))\b",
            r"ties\b",
            40,
            5,
            needs=(("ties",),),
        ),
        _Near(
            rf"(?P<t>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{alternation(ORDINALS)})"
            r"[\s-]+century)\b",
            r"\bcentury\b",
            60,
            5,
            needs=(("century",),),
        ),
        _Words(
            r"(?P<t>\b(?:this|last|next|the\s+current|the\s+last|the\s+past|the\s+previous|the\s+next)\s+century)\b",
            (("century",),),
        ),
        # Weekdays, days relative to today, parts of a day.
        _Near(
            rf"(?P<t>\b(?:(?:{REL}|early|late|earlier|later)\s+)?{WEEKDAY}(?:\s+{PART})?)",
            rf"\b{WEEKDAY}",
            40,
            20,
            needs=(_WEEKDAYS,),
        ),
        _Words(
            rf"(?P<t>\b(?:(?:early|late|earlier|later)\s+)?(?:today|yesterday|tomorrow|tonight)(?:\s+{PART})?)",
            (("today", "yesterday", "tomorrow", "tonight"),),
        ),
        _Words(
            r"(?P<t>\bthe\s+day\s+(?:before\s+yesterday|after\s+tomorrow))\b", (("yesterday", "tomorrow"),)
        ),
        _Words(r"(?P<t>\b(?:this|last)\s+(?:morning|afternoon|evening|night))\b", (_PARTS,)),
        # References back to a time the article has mentioned (resolved in anaphora.py).
        _Words(
            r"(?P<t>\b(?:(?:later|earlier)\s+)?(?:that(?:\s+same)?|the\s+same)\s+(?:day|week|month|year|quarter"
            r"|morning|afternoon|evening|night))\b(?!\s*['’]s)",
            (("that", "same"), ("day", "week", "month", "year", "quarter", *_PARTS)),
        ),
        _Words(
            rf"(?P<t>\bthe\s+(?:following|previous|preceding|prior)\s+(?:day|week|weekend|month|year|quarter|morning"
            rf"|afternoon|evening|night|{WEEKDAY}))",
            (("following", "previous", "preceding", "prior"),),
        ),
        _Words(
            r"(?P<t>\bthe\s+next\s+(?:day|morning|afternoon|evening|night))\b", (("next",), ("day", *_PARTS))
        ),
        _Words(r"\bin\s+(?P<t>the\s+(?:morning|afternoon|evening))\b(?!\s+(?:of|hours)\b)", (_PARTS[:3],)),
        # Weeks, months, years and seasons relative to the publication date.
        _Near(
            rf"(?P<t>\b{MOD}?(?:{REL}|the\s+current|the\s+coming|the\s+past|the\s+previous|the\s+last|the\s+next"
            rf"|the\s+following)\s+(?:week|weekend|month|year|decade|fiscal\s+year|{SEASON}))\b",
            rf"\b(?:week|weekend|month|year|decade|{SEASON})",
            60,
            5,
            needs=(("week", "month", "year", "decade", *_SEASONS),),
        ),
        _Words(r"(?P<t>\bthe\s+weekend)\b", (("weekend",),)),
        _Words(r"(?P<t>\bthe\s+(?:latest\s+|current\s+|recent\s+)?quarter)\b(?!\s+of\b)", (("quarter",),)),
        _Words(
            r"(?P<t>\bthe\s+(?:latest|comparable|same|corresponding)\s+period(?:\s+(?:of\s+)?last\s+year)?)\b",
            (("period",),),
        ),
        _Words(rf"(?P<t>\bthe\s+{YEAR}\s+(?:period|quarter))\b", (("period", "quarter"),)),
        _Words(rf"(?P<t>\b{MOD}?(?:the\s+)?{SEASON},?\s+(?:of\s+)?{YEAR})", (_SEASONS,)),
        _Words(
            rf"\b(?:in|during|by|until|till|since|through|throughout|over)\s+(?P<t>(?:the\s+)?{MOD}?{SEASON})"
            r"(?!\s+of\s+(?!\d))",
            (_SEASONS,),
        ),
        # Quarters and halves.
        _Near(
            rf"(?P<t>\b(?:the\s+)?(?:(?:{YEAR}|(?:next|last|this)\s+year['’]s)\s+)?(?:fiscal[\s-]+)?"
            rf"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|next|previous|past)[\s-]+"
            rf"(?:fiscal[\s-]+)?(?:quarter|half)(?:\s+of\s+(?:fiscal\s+)?{YEAR}|,?\s+{YEAR})?)\b",
            r"\b(?:quarter|half)\b",
            60,
            30,
            needs=(("quarter", "half"),),
        ),
        _Words(rf"(?P<t>\bQ[1-4](?:\s+{YEAR})?)\b", (("q1", "q2", "q3", "q4"),)),
        _Words(
            rf"(?P<t>\b(?:(?:last|next|this)\s+)?{HOLIDAY}(?:\s+week\b)?(?:,?\s+{YEAR})?)",
            (_HOLIDAY_WORDS,),
        ),
        # Offsets from the publication date.
        _Words(
            r"(?P<t>\b(?:the\s+)?(?:(?:comparable|same|corresponding)\s+)?year[\s-](?:ago|earlier)"
            r"(?:\s+(?:quarter|period))?)\b",
            (("year",), ("ago", "earlier")),
        ),
        _Words(r"(?P<t>\bthe\s+fiscal\s+year)\b(?!\s+\d)", (("fiscal",),)),
        _Near(
            rf"(?P<t>\b(?:{QUANT}\s+)?{NUM}[\s-]+{UNIT}(?:\s+or\s+so)?\s+(?:ago|earlier|later|from\s+now|hence))\b",
            _UNIT_WORD,
            needs=(_UNITS, ("ago", "earlier", "later", "now", "hence")),
        ),
        # Durations.
        _Near(
            rf"(?P<t>\b(?:{QUANT}\s+)?(?:(?:the\s+)?(?:past|last|next|first|coming|previous|following|latest"
            rf"|remaining|final)\s+)?{NUM}[\s-]+(?:and[\s-]+a[\s-]+half[\s-]+)?{UNIT_PREFIX}{UNIT}"
            rf"(?:\s+and\s+a\s+half)?){NOT_AGE}",
            _UNIT_WORD,
            needs=(_UNITS,),
        ),
        _Words(
            rf"(?P<t>\b(?:another|an\s+additional|a\s+further|an\s+extra)\s+{UNIT}){NOT_AGE}",
            (("another", "additional", "further", "extra"), _UNITS),
        ),
        _Near(rf"(?P<t>\b(?:(?!an?\b){NUM}[\s-]+)?{UNIT}[\s-]long)\b", _UNIT_WORD, needs=(_UNITS, ("long",))),
        _Near(
            rf"(?P<t>\b(?:{QUANT}\s+)?half\s+(?:an?\s+)?{UNIT}){NOT_AGE}",
            _UNIT_WORD,
            needs=(("half",), _UNITS),
        ),
        _Words(
            r"(?P<t>\b(?:the\s+)?(?:past|last|next|coming|recent|previous|following|future)\s+(?:few\s+|several\s+"
            r"|couple\s+of\s+)?(?:years|months|weeks|decades|days|hours|centuries|quarters))\b",
            ((*_PLURAL_UNITS, "quarters"),),
        ),
        _Words(
            r"(?P<t>\b(?:the\s+)?(?:past\s+|last\s+|next\s+)?(?:\d+|two|three|four|five|six|seven|eight|several"
            r"|a\s+few)\s+quarters)\b(?!\s+of\b)",
            (("quarters",),),
        ),
        _Words(r"(?P<t>\bthe\s+(?:days|weeks|months|years)\s+ahead)\b", (("ahead",),)),
        _Words(r"(?P<t>\bthe\s+(?:near|short|long)\s+term)\b", (("term",),)),
        _Words(r"(?P<t>\ba\s+later\s+date)\b", (("later",), ("date",))),
        _Words(r"\bfor\s+(?P<t>years|months|weeks|decades|days|hours|centuries)\b", (_PLURAL_UNITS,)),
        _Words(r"\bover\s+(?P<t>the\s+(?:years|decades|centuries))\b", (("years", "decades", "centuries"),)),
        # Clock times, with the day they belong to when it follows.
        _Words(
            rf"(?P<t>\b(?:(?:about|around|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))\s+)?"
            rf"{CLOCK}(?:,?\s+(?:{WEEKDAY}|today|yesterday|tomorrow|tonight|{MONTH}\s+{DAY}\b(?!:\d)))?)",
            (("a.m", "p.m", "am", "pm", "o'clock", "noon", "midnight", "midday"),),
        ),
        _Words(r"\b(?:at|by|until|till|from|before|after|around|about)\s+(?P<t>\d{1,2}:\d\d)\b", ((":",),)),
        _Words(
            r"(?P<t>\b\d{1,2}(?::\d\d)?\s+(?:o'clock\s+)?in\s+the\s+(?:morning|afternoon|evening))\b",
            (_PARTS[:3],),
        ),
        _Words(
            rf"(?P<t>\b(?:(?:early|late|mid)[\s-]*|(?:later|earlier)\s+this\s+){PART}"
            r"(?:\s+(?:today|yesterday|tomorrow))?)",
            (_PARTS,),
        ),
        # Sets.
        _Words(
            rf"(?P<t>\b(?:every|each)\s+(?:other\s+)?(?:{NUM}\s+)?(?:{UNIT}|{WEEKDAY}|{PART}|weekend\b"
            rf"|{SEASON}|{MONTH}))",
            (("every", "each"),),
        ),
        # "annually" is left out: TimeBank marks it in a third of its uses ("$5 million annually").
        _Words(
            rf"(?P<t>\b(?:{alternation(w for w in SET_WORDS if w != 'annually')}))\b",
            (("daily", "nightly", "weekly", "monthly", "yearly", "hourly"),),
        ),
        _Near(
            rf"(?P<t>\b(?:once|twice|{NUM}\s+times)\s+(?:a|an|per|each|every)\s+(?:{UNIT}|{WEEKDAY}))",
            r"\b(?:once|twice|times)\b",
            60,
            40,
            needs=(("once", "twice", "times"),),
        ),
        _Words(rf"\b(?:on|most|many|some)\s+(?P<t>(?:{alternation(WEEKDAYS)})s)\b", (_WEEKDAYS,)),
        # The present, the past and the future as a whole.
        _Words(
            rf"(?P<t>\b(?:{alternation(PRESENT_WORDS + PAST_WORDS[:2])}))\b",
            (("now", "currently", "presently", "days", "present", "moment", "recently", "lately"),),
        ),
        _Words(
            r"\b(?:in|for|into|of|about|beyond)\s+(?P<t>the\s+(?:(?:near|foreseeable|distant|immediate)\s+)?future)\b",
            (("future",),),
        ),
        # "current" before a noun ("current market conditions") refers to the present, as TimeML marks it.
        _Words(r"(?<!\bthen\s)\b(?P<t>current)\b(?=\s+(?!accounts?\b)[a-z])", (("current",),)),
        _Words(
            r"\bin\s+(?P<t>the\s+past)\b(?!\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|decades?|centur))",
            (("past",),),
        ),
    )
)


_LEADING = re.compile(
    r"(?:(?:since|on|in|for|by|until|till|from|during|at(?!\s+(?:least|most)\b)|of|through|throughout|between|and|or|to|within"
    r"|into|after|before|as\s+of|as\s+early\s+as|as\s+late\s+as|over(?=\s+the\b))\s+"
    r"|[\s\"“(\[])+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:['’]s|[\s,;:!?\"”'’()\[\]-])+$")
# A final period belongs to the expression only when it ends an abbreviation ("Sept.", "p.m.").
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[a-z]\.[a-z])|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec))\.$", re.I
)
# "three days later" counts from a time in the story, not from publication: TimeML marks the amount
# ("three days", a duration) and leaves "later" out as the word that relates it.
_LATER_AFTER_AMOUNT = re.compile(rf"\b{UNIT}(?:\s+and\s+a\s+half)?(?P<later>\s+later)$", re.IGNORECASE)
_AGE_CONTEXT = re.compile(r"[\s-]*(?:olds?|of\s+age)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Za-z]+")
# spaCy labels these DATE, but they are ages ("Smith, 44"), model numbers, adjectives or anaphora that no
# TimeML annotator marks.
_NOT_EXPRESSIONS = re.compile(
    r"^(?:an?\s+second|the\s+same|some|a|an|one|\d{1,3}|\d{5,}|(?:(?:early|mid|late)[\s-]+)?\d0s|quarterly"
    r"|(?:semi-?)?annual|(?:the|that|this)\s+day|day|the\s+night(?:\s+of)?|all\s+(?:day|week|night)"
    r"|his\s+year|her\s+year|a\s+weekend|annually)$",
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
        if m := _LATER_AFTER_AMOUNT.search(text, start, end):
            end = m.start("later")
            continue
        break
    return start, end


def _names_capitalised(text: str) -> bool:
    """Month and weekday names must be capitalised: "may" and "march" are usually verbs."""
    return all(w[0].isupper() for w in _NAME_WORD.findall(text) if w.lower() in NAMES)


def _is_age(text: str, start: int, end: int) -> bool:
    if _AGE_CONTEXT.match(text, end) or _AGE_BEFORE.search(text, max(0, start - 8), start):
        return True
    span = text[start:end].lower()
    return "-old" in span or " old" in span


# Characters that IGNORECASE matching takes for ASCII letters but ``str.lower`` does not turn into them
# (dotless ı, long ſ, dotted İ, which also lowers to two characters): a text with one is matched the slow
# way, with the original patterns.
_UNFOLDABLE = re.compile("[\u0130\u0131\u017f]")


def _windows(
    text: str,
    detector: _Detector,
    trigger: re.Pattern[str] | None,
    found: dict[tuple[str, int], list[tuple[int, int]]],
) -> list[tuple[int, int]]:
    """Where ``detector`` can match: the whole text, or merged windows around its trigger words.

    ``found`` keeps each trigger's matches for the article, as several detectors share a trigger.
    """
    if trigger is None:
        return [(0, len(text))]
    hits = found.get((trigger.pattern, trigger.flags))
    if hits is None:
        hits = found[(trigger.pattern, trigger.flags)] = [m.span() for m in trigger.finditer(text)]
    windows: list[tuple[int, int]] = []
    for hit_start, hit_end in hits:
        start, end = max(0, hit_start - detector.before), min(len(text), hit_end + detector.after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _matches(text: str) -> list[re.Match[str]]:
    """Every detector's matches, detector by detector.

    Detectors run over the lower-cased text with case-sensitive patterns where that is the same as
    IGNORECASE over the text (the offsets are the same), and a detector whose needed words are missing
    from the text does not run.
    """
    low = text.lower()
    folded = len(low) == len(text) and not _UNFOLDABLE.search(text)
    found: dict[tuple[str, int], list[tuple[int, int]]] = {}
    out = []
    for detector in _DETECTORS:
        if folded and not all(any(word in low for word in group) for group in detector.needs):
            continue
        if (
            folded
            and detector.folded is not None
            and (detector.trigger is None or detector.folded_trigger is not None)
        ):
            subject, pattern, trigger = low, detector.folded, detector.folded_trigger
        else:
            subject, pattern, trigger = text, detector.pattern, detector.trigger
        for a, b in _windows(subject, detector, trigger, found):
            out.extend(pattern.finditer(subject, a, b))
    return out


def _regex_spans(text: str) -> list[tuple[int, int]]:
    spans: set[tuple[int, int]] = set()
    for m in _matches(text):
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
    # The rule spans are sorted: those starting inside the entity are one run of them.
    first = bisect_left(rule_spans, (start, start))
    pieces = _disjoint(
        [s for s in itertools.takewhile(lambda s: s[0] <= end, rule_spans[first:]) if s[1] <= end]
    )
    if not pieces:
        return [(start, end)]
    for i, (p_start, p_end) in enumerate(pieces):  # a determiner belongs to the piece it introduces
        if m := _DETERMINER_BEFORE.search(text, start, p_start):
            pieces[i] = (m.start(), p_end)
    gaps = zip([start] + [e for _, e in pieces], [s for s, _ in pieces] + [end], strict=True)
    for gap_start, gap_end in gaps:
        for run_start, run_end in _content_runs(text, gap_start, gap_end):
            if _BARE_DAY.match(text[run_start:run_end]):
                continue  # the second day of "April 24 and 25": ranges.py completes it from the first
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


_BARE_DAY = re.compile(r"^[-–]?(?:[12]\d|3[01]|0?[1-9])$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our)\s+$", re.IGNORECASE)
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


def candidate_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    rules = _regex_spans(text)
    spans = _disjoint(rules + _entity_spans(doc, text, rules))
    out = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if start < end:
            out.append((start, end))
    return out
