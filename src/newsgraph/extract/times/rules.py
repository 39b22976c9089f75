"""Normalisation: the TimeML value and type of one temporal expression, against a reference date.

:func:`normalise_time` tries the rules of :data:`RULES` in that order and takes the first that matches; a rule
is a regular expression and a handler (:class:`~newsgraph.extract.times.context.Rule`), made with ``@_rule``
next to its handler in :mod:`~newsgraph.extract.times.date_rules` (dates and times),
:mod:`~newsgraph.extract.times.duration_rules` (durations and sets) or here (the rules that read other rules).
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.times.context import Result, Rule, _Context, _rule
from newsgraph.extract.times.date_rules import (
    _anaphoric,
    _century,
    _current_quarter,
    _current_year,
    _day_month,
    _decade,
    _earlier_in_the,
    _future,
    _holiday,
    _iso_date,
    _month,
    _month_day,
    _month_of_relative_year,
    _month_year_explicit,
    _part_of_today,
    _past,
    _present,
    _quarter,
    _relative_century,
    _relative_day,
    _relative_unit,
    _season,
    _short_decade,
    _slash_date,
    _the_quarter,
    _the_weekend,
    _weekday,
    _year,
    _year_end,
)
from newsgraph.extract.times.dates import iso_week
from newsgraph.extract.times.duration_rules import (
    _ahead,
    _counted_duration,
    _counted_quarters,
    _every_month_name,
    _every_part,
    _every_quarter,
    _every_season,
    _every_unit,
    _every_weekday,
    _every_weekend,
    _frequency,
    _future_span,
    _half_duration,
    _long,
    _offset,
    _one_more,
    _past_quarters,
    _set_word,
    _the_past_unit,
    _vague_duration,
    _year_ago,
)
from newsgraph.extract.times.tense import Tense
from newsgraph.extract.times.vocabulary import (
    ONE_TO_NINE,
    ONES,
    TENS,
    UNIT,
    alternation,
)


def _day_in(text: str, ctx: _Context) -> str | None:
    """The day a clock time belongs to: a date or a day word in the same expression, else the reference."""
    for rule in _DAY_RULES:
        if m := rule.pattern.search(text):
            value = rule.handler(m, ctx)
            if value and value[0] and re.match(r"^\d{4}-\d\d-\d\d", value[0]):
                return value[0][:10]
    return ctx.ref.isoformat() if ctx.ref else None


@_rule(
    r"(?:(?P<h>\d{1,2})(?::(?P<mi>\d\d))?\s*(?P<ap>a\.?m\b\.?|p\.?m\b\.?|o'clock)|\b(?P<word>noon|midnight|midday)\b)"
    r"|\b(?P<hp>\d{1,2})(?::(?P<mip>\d\d))?\s+(?:o'clock\s+)?in\s+the\s+(?P<part>morning|afternoon|evening|night)\b"
    r"|(?<![\d.])(?P<h24>[01]?\d|2[0-3]):(?P<mi24>\d\d)\b(?!\s*/)"
)
def _clock(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("word"):
        hour, minute = (24, 0) if m.group("word").lower() == "midnight" else (12, 0)
    elif m.group("hp"):
        hour, minute = int(m.group("hp")), int(m.group("mip") or 0)
        if hour > 12 or minute > 59:
            return None
        # "4 in the morning" is 04:00, "3 in the afternoon" 15:00, "11 in the night" 23:00 but "2 in the
        # night" 02:00.
        part = m.group("part").lower()
        if part != "morning" and 1 <= hour < 12 and not (part == "night" and hour < 4):
            hour += 12
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


@_rule(r"^(?:the\s+)?week\s+(?:of|beginning|starting|ending)\s+(?P<rest>.+)$")
def _week_of(m: re.Match[str], ctx: _Context) -> Result | None:
    value, _ = normalise_time(m.group("rest"), ctx.ref, ctx.tense)
    day = dt.date.fromisoformat(value[:10]) if value and _DAY_VALUE.match(value) else None
    return (iso_week(day), "DATE") if day else None


@_rule(r"^(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close)\s+of\s+(?P<rest>.+)$")
def _part_of_period(m: re.Match[str], ctx: _Context) -> Result | None:
    # "the end of the month" is the month (TimeML puts "end" in the modifier, see ``time_modifier``).
    rest = m.group("rest")
    if re.match(r"^(?:the|this)\s+(?P<u>month|year|week|quarter)$", rest):
        if ctx.ref is None:
            return None, "DATE"
        unit = rest.split()[-1]
        ref = ctx.ref
        value = {
            "month": f"{ref.year:04d}-{ref.month:02d}",
            "year": str(ref.year),
            "week": iso_week(ref),
            "quarter": f"{ref.year}-Q{_current_quarter(ref)}",
        }[unit]
        return value, "DATE"
    value, kind = normalise_time(rest, ctx.ref, ctx.tense)
    return (value, kind) if kind is not None else None


_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d")


# Every rule, in the order normalise_time tries them: the first whose pattern matches and whose handler
# gives a result wins, so a more specific rule comes before a more general one.
RULES: tuple[Rule, ...] = (
    _anaphoric,
    _every_unit,
    _every_weekday,
    _every_part,
    _every_quarter,
    _every_weekend,
    _every_month_name,
    _every_season,
    _set_word,
    _frequency,
    _offset,
    _year_ago,
    _holiday,
    _clock,
    _week_of,
    _part_of_period,
    _iso_date,
    _slash_date,
    _month_day,
    _day_month,
    _month_of_relative_year,
    _month_year_explicit,
    _quarter,
    _the_quarter,
    _season,
    _decade,
    _short_decade,
    _century,
    _relative_century,
    _half_duration,
    _counted_duration,
    _the_past_unit,
    _vague_duration,
    _one_more,
    _long,
    _past_quarters,
    _counted_quarters,
    _future_span,
    _ahead,
    _weekday,
    _relative_day,
    _part_of_today,
    _relative_unit,
    _the_weekend,
    _month,
    _year,
    _year_end,
    _earlier_in_the,
    _current_year,
    _present,
    _past,
    _future,
)


# The rules that name a day, tried in order to find the date of a clock time ("10 p.m. Wednesday").
_DAY_RULES: tuple[Rule, ...] = tuple(
    r
    for r in RULES
    if r in (_iso_date, _slash_date, _month_day, _day_month, _weekday, _relative_day, _holiday)
)


# Years read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand".
_WORD_YEAR = re.compile(
    rf"\b(?:the\s+year\s+)?(?:(?P<c>eighteen|nineteen|twenty)[\s-](?P<t>{alternation(TENS)})"
    rf"(?:[\s-](?P<o>{ONE_TO_NINE}))?|two\s+thousand(?:\s+and\s+(?P<o2>{alternation(ONES)}))?)\b"
    rf"(?![\s-]+{UNIT})"
)


def _word_year(m: re.Match[str]) -> str:
    if m.group("c"):
        century = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m.group("c")]
        return str(century * 100 + TENS[m.group("t")] + (ONES[m.group("o")] if m.group("o") else 0))
    return str(2000 + (ONES[m.group("o2")] if m.group("o2") else 0))


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
        expression needs a reference date, points back to another time in the article ("that year",
        which :func:`~newsgraph.extract.times.find_times` resolves), or is not understood; and the type
        (DATE, TIME, DURATION or SET), or None when no rule recognised the expression.
    """
    cleaned = _WORD_YEAR.sub(_word_year, re.sub(r"\s+", " ", text.strip()).lower())
    ctx = _Context(reference, tense)
    for rule in RULES:
        m = rule.pattern.search(cleaned)
        if m is None:
            continue
        result = rule.handler(m, ctx)
        if result is not None:
            return result
    return None, None
