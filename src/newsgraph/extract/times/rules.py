"""Normalisation: the TimeML value and type of one temporal expression, against a reference date.

:func:`normalise_time` tries the rules below in order and takes the first that matches; a rule is a
regular expression and a handler registered with ``@_rule``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from newsgraph.extract.times.amounts import duration_value, parse_amount, unit_name
from newsgraph.extract.times.anaphora import ANAPHORIC
from newsgraph.extract.times.dates import (
    HOLIDAYS,
    add_months,
    date_year,
    iso_week,
    month_year,
    nearest_date,
    safe_date,
    season_year,
    weekday_date,
)
from newsgraph.extract.times.tense import Tense
from newsgraph.extract.times.vocabulary import (
    DAY,
    DECADE_WORDS,
    FUTURE_WORDS,
    HOLIDAY_NAMES,
    MOD,
    MONTH,
    MONTHS,
    NUM,
    ONE_TO_NINE,
    ONES,
    ORDINALS,
    PART,
    PARTS,
    PAST_WORDS,
    PRESENT_WORDS,
    REL,
    SEASON,
    SEASONS,
    SET_WORDS,
    TENS,
    UNIT,
    UNIT_CODES,
    UNIT_PREFIX,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    alternation,
)


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


@_rule(ANAPHORIC.pattern)
def _anaphoric(m: re.Match[str], ctx: _Context) -> Result:
    # The value depends on the times mentioned before; find_times resolves it against the article.
    unit = (m.group("u") or m.group("u2") or m.group("u3") or m.group("u4")).lower()
    return None, "TIME" if unit in PARTS else "DATE"


@_rule(rf"\b(?:every|each)\s+(?P<other>other\s+)?(?:(?P<n>{NUM})\s+)?(?P<u>{UNIT})")
def _every_unit(m: re.Match[str], ctx: _Context) -> Result:
    amount = 2.0 if m.group("other") else parse_amount(m.group("n")) if m.group("n") else 1.0
    return duration_value(amount, unit_name(m.group("u"))), "SET"


@_rule(rf"\b(?:every|each)\s+(?P<wd>{WEEKDAY})|\b(?P<wds>{alternation(WEEKDAYS)})s\b")
def _every_weekday(m: re.Match[str], ctx: _Context) -> Result:
    name = (m.group("wd") or m.group("wds")).lower()
    return f"XXXX-WXX-{WEEKDAYS[name] + 1}", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<part>{PART})")
def _every_part(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-XX-XXT{PARTS[m.group('part').lower()]}", "SET"


@_rule(r"\b(?:every|each)\s+quarter\b")
def _every_quarter(m: re.Match[str], ctx: _Context) -> Result:
    return "P1Q", "SET"


@_rule(r"\b(?:every|each)\s+weekend\b")
def _every_weekend(m: re.Match[str], ctx: _Context) -> Result:
    return "XXXX-WXX-WE", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<mon>{MONTH})")
def _every_month_name(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}", "SET"


@_rule(rf"\b(?:every|each)\s+(?P<se>{SEASON})")
def _every_season(m: re.Match[str], ctx: _Context) -> Result:
    return f"XXXX-{SEASONS[m.group('se').lower()]}", "SET"


@_rule(rf"\b(?P<w>{alternation(SET_WORDS)})\b")
def _set_word(m: re.Match[str], ctx: _Context) -> Result:
    return SET_WORDS[m.group("w").lower()], "SET"


@_rule(rf"\b(?:once|twice|{NUM}\s+times)\s+(?:a|an|per|each|every)\s+(?P<u>{UNIT})")
def _frequency(m: re.Match[str], ctx: _Context) -> Result:
    return duration_value(1.0, unit_name(m.group("u"))), "SET"


@_rule(rf"\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b")
def _offset(m: re.Match[str], ctx: _Context) -> Result:
    amount = parse_amount(m.group("n"))
    forward = m.group("dir").lower() in ("later", "from now", "hence")
    if amount is None:
        return ("FUTURE_REF" if forward else "PAST_REF"), "DATE"
    if ctx.ref is None:
        return None, "DATE"
    sign = 1 if forward else -1
    unit = unit_name(m.group("u"))
    ref = ctx.ref
    if unit in ("week", "fortnight"):
        # "six weeks ago" names a week, not a day: TimeML keeps the granularity of the unit.
        weeks = round(amount * (2 if unit == "fortnight" else 1))
        return iso_week(ref + dt.timedelta(weeks=sign * weeks)), "DATE"
    if unit in ("day", "hour", "minute", "second"):
        days = amount if unit == "day" else 0
        return (ref + dt.timedelta(days=sign * round(days))).isoformat(), "DATE"
    if unit == "month":
        year, month = add_months(ref.year, ref.month, sign * round(amount))
        return f"{year:04d}-{month:02d}", "DATE"
    years = round(amount * UNIT_CODES[unit][1])
    return str(ref.year + sign * years), "DATE"


@_rule(r"\byear[\s-](?:ago|earlier)\b")
def _year_ago(m: re.Match[str], ctx: _Context) -> Result:
    return (str(ctx.ref.year - 1) if ctx.ref else None), "DATE"


@_rule(rf"(?:(?P<rel>last|next|this)\s+)?(?P<h>{HOLIDAY_NAMES})(?P<wk>\s+week)?(?:,?\s+(?P<y>{YEAR}))?")
def _holiday(m: re.Match[str], ctx: _Context) -> Result | None:
    name = re.sub(r"\s+", " ", m.group("h").lower())
    rule = HOLIDAYS.get(name)
    if rule is None:
        return None
    if m.group("y"):
        return _holiday_value(rule(int(m.group("y"))), m), "DATE"
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
    found = nearest_date(candidates, ref, ctx.tense)
    return (_holiday_value(found, m) if found else None), "DATE"


def _holiday_value(day: dt.date, m: re.Match[str]) -> str:
    """The holiday's date, or its ISO week for "Easter week"."""
    return iso_week(day) if m.group("wk") else day.isoformat()


def _day_in(text: str, ctx: _Context) -> str | None:
    """The day a clock time belongs to: a date or a day word in the same expression, else the reference."""
    for pattern, handler in _DAY_RULES:
        if m := pattern.search(text):
            value = handler(m, ctx)
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


@_rule(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b")
def _iso_date(m: re.Match[str], ctx: _Context) -> Result | None:
    day = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (day.isoformat(), "DATE") if day else None


@_rule(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)\b")
def _slash_date(m: re.Match[str], ctx: _Context) -> Result | None:
    # Month first, as in the US agencies' style; a day above 12 in the first place swaps them.
    first, second = int(m.group("m")), int(m.group("d"))
    month, day = (second, first) if first > 12 else (first, second)
    year = int(m.group("y"))
    if year < 100:
        year = _year_of(f"'{year:02d}", ctx.ref) or year
    found = safe_date(year, month, day)
    return (found.isoformat(), "DATE") if found else None


def _explicit(m: re.Match[str], ctx: _Context) -> Result | None:
    month = MONTHS[m.group("mon").rstrip(".").lower()]
    day = int(re.sub(r"\D", "", m.group("d")))
    weekday = WEEKDAYS[m.group("wd").lower()] if m.group("wd") else None
    if m.group("y"):
        found = safe_date(_year_of(m.group("y"), ctx.ref) or 0, month, day)
        return (found.isoformat(), "DATE") if found else None
    if ctx.ref is None:
        return None, "DATE"
    found = date_year(month, day, ctx.ref, ctx.tense, weekday)
    return (found.isoformat(), "DATE") if found else None


_MONTH_DAY = (
    rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<mon>{MONTH})\s+(?:the\s+)?(?P<d>{DAY})"
    rf"(?:,?\s+(?P<y>{YEAR}|'\d\d\b))?(?!\d|:\d)"
)
_DAY_MONTH = (
    rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?<!\d)(?P<d>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH})"
    rf"(?:,?\s+(?P<y>{YEAR}|'\d\d\b))?"
)
_rule(_MONTH_DAY)(_explicit)
_rule(_DAY_MONTH)(_explicit)


@_rule(rf"(?P<mon>{MONTH})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b")
def _month_of_relative_year(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    year = ctx.ref.year + {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    return f"{year:04d}-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}", "DATE"


@_rule(rf"(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR}|'\d\d\b)")
def _month_year_explicit(m: re.Match[str], ctx: _Context) -> Result:
    year = _year_of(m.group("y"), ctx.ref)
    return f"{year:04d}-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}", "DATE"


_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d")
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _current_quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@_rule(
    rf"(?:(?:(?P<y1>{YEAR})|(?P<ry>next|last|this)\s+year['’]s)\s+)?(?:fiscal[\s-]+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last"
    rf"|latest|current|next|previous|past)[\s-]+(?:fiscal[\s-]+)?(?P<k>quarter|half)"
    rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR})|,?\s+(?P<y3>{YEAR}))?"
    rf"|\bq(?P<qn>[1-4])(?:\s+(?P<y4>{YEAR}))?\b"
)
def _quarter(m: re.Match[str], ctx: _Context) -> Result | None:
    kind = "H" if (m.group("k") or "").lower() == "half" else "Q"
    count = 2 if kind == "H" else 4
    written = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    if m.group("ry") and ctx.ref is not None:
        written = str(ctx.ref.year + {"next": 1, "last": -1, "this": 0}[m.group("ry").lower()])
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


@_rule(
    r"^(?:the\s+)?(?:latest\s+|recent\s+)?quarter$"
    r"|^(?:the|that)\s+(?:(?:latest|comparable|same|corresponding|year-ago|year-earlier)\s+)?period$"
)
def _the_quarter(m: re.Match[str], ctx: _Context) -> Result:
    # Business news says "the quarter" for the last quarter reported: the one before the current one.
    if ctx.ref is None:
        return None, "DATE"
    index = ctx.ref.year * 4 + _current_quarter(ctx.ref) - 2
    return f"{index // 4}-Q{index % 4 + 1}", "DATE"


@_rule(rf"(?:(?P<rel>{REL})\s+)?(?:the\s+)?{MOD}?(?P<se>{SEASON})(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?")
def _season(m: re.Match[str], ctx: _Context) -> Result:
    code = SEASONS[m.group("se").lower()]
    if m.group("y"):
        return f"{m.group('y')}-{code}", "DATE"
    if ctx.ref is None:
        return None, "DATE"
    return f"{season_year(code, ctx.ref, _relation(m), ctx.tense)}-{code}", "DATE"


@_rule(r"(?P<c>1\d|20)(?P<d>\d)0'?s\b")
def _decade(m: re.Match[str], ctx: _Context) -> Result:
    century, digit = int(m.group("c")), int(m.group("d"))
    if digit == 0 and century < 20:
        return f"{century}", "DATE"  # "the 1800s" is the nineteenth century
    return f"{century}{digit}", "DATE"


@_rule(rf"(?<!\w)'(?P<d>\d)0s\b|(?P<nine>nineteen[\s-])?(?P<w>{alternation(DECADE_WORDS)})\b")
def _short_decade(m: re.Match[str], ctx: _Context) -> Result:
    digit = int(m.group("d")) if m.group("d") else DECADE_WORDS[m.group("w").lower()]
    if m.group("nine") or ctx.ref is None:
        return f"19{digit}", "DATE"
    # The most recent such decade that has begun by the reference date.
    century = ctx.ref.year // 100
    if century * 100 + digit * 10 > ctx.ref.year:
        century -= 1
    return f"{century}{digit}", "DATE"


@_rule(rf"(?:(?P<o>\d{{1,2}})(?:st|nd|rd|th)|(?P<ow>{alternation(ORDINALS)}))[\s-]+century")
def _century(m: re.Match[str], ctx: _Context) -> Result:
    ordinal = int(m.group("o")) if m.group("o") else ORDINALS[re.sub(r"\s+", " ", m.group("ow").lower())]
    return f"{ordinal - 1:02d}", "DATE"  # TimeML writes a century as its first two digits


@_rule(r"^(?P<rel>this|last|next|the\s+current|the\s+previous)\s+century$")
def _relative_century(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    step = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1}[_relation(m) or "this"]
    return f"{ctx.ref.year // 100 + step:02d}", "DATE"


@_rule(rf"\bhalf\s+(?:an?\s+)?(?P<u>{UNIT})")
def _half_duration(m: re.Match[str], ctx: _Context) -> Result:
    return duration_value(0.5, unit_name(m.group("u"))), "DURATION"


@_rule(
    rf"(?:(?:the\s+)?(?:past|last|next|first|coming|previous|following|latest|remaining|final)\s+)?"
    rf"(?P<n>{NUM})[\s-]+(?P<pre_half>and[\s-]+a[\s-]+half[\s-]+)?{UNIT_PREFIX}(?P<u>{UNIT})"
    r"(?P<half>\s+and\s+a\s+half)?"
)
def _counted_duration(m: re.Match[str], ctx: _Context) -> Result:
    amount = parse_amount(m.group("n"))
    if amount is not None and (m.group("half") or m.group("pre_half")):
        amount += 0.5
    return duration_value(amount, unit_name(m.group("u"))), "DURATION"


# TimeBank marks a bare "the year" ("net income for the year") as a one-year duration more often than
# as the current year (6 to 4).
@_rule(
    r"^the\s+(?:past|last)\s+(?P<u>year|month|week|day|decade|century|hour)$|^the\s+(?:fiscal\s+)?(?P<u2>year)$"
)
def _the_past_unit(m: re.Match[str], ctx: _Context) -> Result:
    return duration_value(1.0, unit_name(m.group("u") or m.group("u2"))), "DURATION"


@_rule(
    r"^(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|following)\s+)?(?:few\s+|several\s+|many\s+"
    r"|couple\s+of\s+)?(?P<u>years|months|weeks|decades|days|hours|minutes|centuries)$"
)
def _vague_duration(m: re.Match[str], ctx: _Context) -> Result:
    # "in recent years" is a vague duration reaching back to now, as TimeBank marks it more often than not.
    return duration_value(None, unit_name(m.group("u"))), "DURATION"


@_rule(r"^(?:another|an\s+additional|a\s+further|an\s+extra)\s+(?P<u>\w+)$")
def _one_more(m: re.Match[str], ctx: _Context) -> Result | None:
    unit = unit_name(m.group("u"))
    return (duration_value(1.0, unit), "DURATION") if unit in UNIT_CODES else None


@_rule(rf"^(?:(?P<n>{NUM})[\s-]+)?(?P<u>{UNIT})[\s-]long$")
def _long(m: re.Match[str], ctx: _Context) -> Result:
    # "day-long" is one day, "two-year-long" two years, "decades-long" an unknown number of decades.
    unit = unit_name(m.group("u"))
    if m.group("n"):
        return duration_value(parse_amount(m.group("n")), unit), "DURATION"
    plural = m.group("u").lower() != unit
    return duration_value(None if plural else 1.0, unit), "DURATION"


@_rule(r"^(?:past|recent|the\s+past\s+(?:several|few))\s+quarters$")
def _past_quarters(m: re.Match[str], ctx: _Context) -> Result:
    return "PAST_REF", "DATE"


@_rule(
    r"^(?:the\s+)?(?:(?:past|last|next)\s+)?(?P<n>\d+|two|three|four|five|six|seven|eight|several|a\s+few)\s+quarters$"
)
def _counted_quarters(m: re.Match[str], ctx: _Context) -> Result:
    amount = parse_amount(m.group("n"))
    return (f"P{amount:g}Q" if amount is not None else "PXQ"), "DURATION"


@_rule(r"^(?:future|coming|the\s+coming)\s+quarters$|^a\s+later\s+date$|^the\s+(?:near|short|long)\s+term$")
def _future_span(m: re.Match[str], ctx: _Context) -> Result:
    return "FUTURE_REF", "DATE"


@_rule(r"^the\s+(?P<u>days|weeks|months|years)\s+ahead$")
def _ahead(m: re.Match[str], ctx: _Context) -> Result:
    return duration_value(None, unit_name(m.group("u"))), "DURATION"


@_rule(
    rf"(?:(?P<rel>{REL})\s+|(?P<early>early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<part>{PART}))?"
)
def _weekday(m: re.Match[str], ctx: _Context) -> Result:
    part = m.group("part")
    kind = "TIME" if part else "DATE"
    if ctx.ref is None:
        return None, kind
    day = weekday_date(WEEKDAYS[m.group("wd").lower()], ctx.ref, _relation(m), ctx.tense)
    return day.isoformat() + (f"T{PARTS[part.lower()]}" if part else ""), kind


@_rule(
    rf"\b(?:(?P<rel>this|last)\s+(?P<part0>morning|afternoon|evening|night)"
    rf"|(?:the\s+day\s+(?P<far>before\s+yesterday|after\s+tomorrow))"
    rf"|(?:(?:early|late|mid)[\s-]*(?P<part1>{PART})\s+)?(?P<w>today|yesterday|tomorrow|tonight)(?:\s+(?P<part>{PART}))?)\b"
)
def _relative_day(m: re.Match[str], ctx: _Context) -> Result:
    word = (m.group("w") or "").lower()
    part = m.group("part") or m.group("part0") or m.group("part1") or ("tonight" if word == "tonight" else "")
    part = part.lower()
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
    return day + (f"T{PARTS[part]}" if part else ""), kind


@_rule(
    r"^(?:(?:early|late|mid)[\s-]*|(?:later|earlier)\s+(?:this\s+|in\s+the\s+)?)(?P<part>morning|afternoon|evening)$"
)
def _part_of_today(m: re.Match[str], ctx: _Context) -> Result:
    # "mid-afternoon", "later this afternoon": news without a day means the day of publication.
    value = f"{ctx.ref.isoformat()}T{PARTS[m.group('part').lower()]}" if ctx.ref else None
    return value, "TIME"


@_rule(
    rf"(?P<rel>{REL}|the\s+current|the\s+coming|the\s+past|the\s+previous|the\s+last|the\s+next)"
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
        return iso_week(ref + dt.timedelta(weeks=step)), "DATE"
    if unit == "weekend":
        return _weekend(ref, step), "DATE"
    if unit == "month":
        year, month = add_months(ref.year, ref.month, step)
        return f"{year:04d}-{month:02d}", "DATE"
    if unit == "decade":
        return f"{ref.year // 10 + step}", "DATE"
    return f"{ref.year + step}", "DATE"


def _weekend(ref: dt.date, step: int) -> str:
    if step == 0 or ref.weekday() >= 5:
        return f"{iso_week(ref + dt.timedelta(weeks=step))}-WE"
    # From a weekday, "last weekend" is the one that just ended: the previous ISO week's.
    return f"{iso_week(ref + dt.timedelta(weeks=step if step > 0 else -1))}-WE"


@_rule(r"^(?:the\s+)?weekend$")
def _the_weekend(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    if ctx.ref.weekday() >= 5:
        return _weekend(ctx.ref, 0), "DATE"
    return _weekend(ctx.ref, 1 if ctx.tense in ("future", "present") else -1), "DATE"


@_rule(rf"(?:(?P<rel>{REL})\s+)?(?P<mon>{MONTH})")
def _month(m: re.Match[str], ctx: _Context) -> Result:
    month = MONTHS[m.group("mon").rstrip(".").lower()]
    if ctx.ref is None:
        return None, "DATE"
    return f"{month_year(month, ctx.ref, _relation(m), ctx.tense):04d}-{month:02d}", "DATE"


@_rule(rf"(?P<y>{YEAR})|(?<!\w)(?P<yy>'\d\d)\b")
def _year(m: re.Match[str], ctx: _Context) -> Result:
    return str(_year_of(m.group("y") or m.group("yy"), ctx.ref)), "DATE"


@_rule(r"\byear(?:[\s-]|['’]s\s+)end\b")
def _year_end(m: re.Match[str], ctx: _Context) -> Result:
    # The end of the year as a period (modifier END), as TimeBank marks "year end" three times in four.
    return (str(ctx.ref.year) if ctx.ref else None), "DATE"


@_rule(r"^(?:earlier|later)\s+in\s+the\s+(?P<u>year|month|week|day)$")
def _earlier_in_the(m: re.Match[str], ctx: _Context) -> Result:
    if ctx.ref is None:
        return None, "DATE"
    ref = ctx.ref
    unit = m.group("u").lower()
    value = {"year": str(ref.year), "month": f"{ref.year:04d}-{ref.month:02d}", "week": iso_week(ref)}
    return value.get(unit, ref.isoformat()), "DATE"


@_rule(r"^(?:the\s+)?(?:current|present)\s+year$|^the\s+(?:full|whole|entire)\s+year$")
def _current_year(m: re.Match[str], ctx: _Context) -> Result:
    return (str(ctx.ref.year) if ctx.ref else None), "DATE"


@_rule(rf"^(?:right\s+)?(?:{alternation(PRESENT_WORDS)})$|^current$")
def _present(m: re.Match[str], ctx: _Context) -> Result:
    return "PRESENT_REF", "DATE"


@_rule(rf"^(?:more\s+)?(?:{alternation(PAST_WORDS)})$")
def _past(m: re.Match[str], ctx: _Context) -> Result:
    return "PAST_REF", "DATE"


@_rule(rf"^(?:{alternation(FUTURE_WORDS)})$|^the\s+(?:immediate\s+)?future$")
def _future(m: re.Match[str], ctx: _Context) -> Result:
    return "FUTURE_REF", "DATE"


# The rules that name a day, tried in order to find the date of a clock time ("10 p.m. Wednesday").
_DAY_RULES: list[tuple[re.Pattern[str], _Rule]] = [
    (p, h) for p, h in _RULES if h in (_iso_date, _slash_date, _explicit, _weekday, _relative_day, _holiday)
]


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
    for pattern, handler in _RULES:
        m = pattern.search(cleaned)
        if m is None:
            continue
        result = handler(m, ctx)
        if result is not None:
            return result
    return None, None
