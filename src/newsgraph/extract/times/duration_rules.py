"""Normalisation rules for durations and sets: "three years", "half an hour", "every Tuesday", "twice a
week", "two days ago". :mod:`newsgraph.extract.times.rules` tries them in its order."""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.times.amounts import duration_value, parse_amount, unit_name
from newsgraph.extract.times.context import Result, _Context, _rule
from newsgraph.extract.times.dates import (
    add_months,
    iso_week,
)
from newsgraph.extract.times.vocabulary import (
    MONTH,
    MONTHS,
    NUM,
    PART,
    PARTS,
    SEASON,
    SEASONS,
    SET_WORDS,
    UNIT,
    UNIT_CODES,
    UNIT_PREFIX,
    WEEKDAY,
    WEEKDAYS,
    alternation,
)


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
