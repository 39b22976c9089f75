"""Normalisation rules for calendar dates and times: "March 12", "the third quarter", "last Tuesday",
"Easter", "the 1990s", "now". :mod:`newsgraph.extract.times.rules` tries them in its order."""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.times.anaphora import ANAPHORIC
from newsgraph.extract.times.context import Result, _Context, _relation, _rule, _year_of
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
from newsgraph.extract.times.vocabulary import (
    DAY,
    DECADE_WORDS,
    FUTURE_WORDS,
    HOLIDAY_NAMES,
    MOD,
    MONTH,
    MONTHS,
    ORDINALS,
    PART,
    PARTS,
    PAST_WORDS,
    PRESENT_WORDS,
    REL,
    SEASON,
    SEASONS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    alternation,
)


@_rule(ANAPHORIC.pattern)
def _anaphoric(m: re.Match[str], ctx: _Context) -> Result:
    # The value depends on the times mentioned before; find_times resolves it against the article.
    unit = (m.group("u") or m.group("u2") or m.group("u3") or m.group("u4")).lower()
    return None, "TIME" if unit in PARTS else "DATE"


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
_month_day = _rule(_MONTH_DAY)(_explicit)
_day_month = _rule(_DAY_MONTH)(_explicit)


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
