"""Document-level resolution: values that depend on the times an article has already mentioned.

Two kinds of expression are settled here rather than by the normaliser, which sees one expression at a
time:

- **anaphoric references** ("that year", "later that day", "the following month", "the previous
  Friday", "the next morning") take their value from the last absolute time mentioned before them that
  is precise enough (a year for "that year", a day for "that day"), or from the publication date when
  the article has mentioned none;
- **results comparisons** ("a year earlier", "the year-ago quarter", "the 1988 period", "last year's
  quarter") take the quarter that the article has just reported, in the year they name.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from newsgraph.extract.times.dates import add_months, iso_week
from newsgraph.extract.times.vocabulary import MONTHS, PARTS, WEEKDAYS, alternation
from newsgraph.schema import TimeRef

_UNITS = r"day|week|weekend|month|year|quarter|season|morning|afternoon|evening|night"
# "the next day" is anaphoric, but "the next year" usually counts from the publication date ("over the
# next year"), so "next" only takes the units shorter than a week.
ANAPHORIC = re.compile(
    rf"^(?:(?P<mod>later|earlier|early|late)\s+(?:in\s+)?)?"
    rf"(?:(?P<same>that|that\s+same|the\s+same)\s+(?P<u>{_UNITS})"
    rf"|the\s+(?P<dir>following|previous|preceding|prior)\s+(?P<u2>{_UNITS}|{alternation(WEEKDAYS)})"
    rf"|the\s+next\s+(?P<u3>day|morning|afternoon|evening|night|{alternation(WEEKDAYS)})"
    r"|(?P<in>the)\s+(?P<u4>morning|afternoon|evening))$",
    re.IGNORECASE,
)

# Results comparisons with the year they compare: "a year earlier" and "the year-ago period" look one
# year back from the quarter reported; "the 1988 quarter" names its year.
_YEAR_BACK = re.compile(
    r"\byear[\s-]+(?:ago|earlier)\b|\blast\s+year['’]s\s+(?:quarter|period)\b"
    r"|\b(?:period|quarter)\s+last\s+year\b",
    re.IGNORECASE,
)
_NAMED_YEAR_PERIOD = re.compile(r"^(?:the\s+)?(?P<y>\d{4})\s+(?:quarter|period)$", re.IGNORECASE)
_SAME_PERIOD = re.compile(
    r"^(?:the|that)\s+(?:(?:latest|comparable|corresponding|same)\s+)?period$|^(?:the|that)\s+quarter$", re.I
)
_NAMES_PERIOD = re.compile(r"\b(?:quarter|period)\b", re.IGNORECASE)
_PERIOD_VALUE = re.compile(r"^(\d{4})-([QH]\d)$")
# Results news compares a quarter with "a year earlier": the same quarter of the year before. A quarter
# named up to this many sentences back is the one compared (WSJ style puts it in the sentence before).
QUARTER_WINDOW_SENTENCES = 2

_ABSOLUTE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?|W(?P<w>\d\d)|(?P<q>[QH]\d)|(?P<s>SP|SU|FA|WI)))?(?:-WE)?"
    r"(?:T.*)?$"
)


_CLOCK_VALUE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")
_OWN_DAY = re.compile(
    rf"\b(?:{alternation(WEEKDAYS)}|{alternation(MONTHS)}|today|yesterday|tomorrow|tonight)\b|\d/\d|\d{{4}}-\d\d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Anchor:
    """An absolute time the article mentioned, split into what it pins down."""

    year: int
    month: int | None = None
    day: dt.date | None = None
    week: str | None = None  # "1998-W32"
    period: str | None = None  # "Q3", "H1"
    season: str | None = None


def _anchor(value: str | None) -> _Anchor | None:
    m = _ABSOLUTE.match(value or "")
    if m is None:
        return None
    year = int(m.group("y"))
    if m.group("d"):
        try:
            day = dt.date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
        return _Anchor(year, day.month, day, iso_week(day))
    if m.group("m"):
        month = int(m.group("m"))
        return _Anchor(year, month) if 1 <= month <= 12 else None
    if m.group("w"):
        return _Anchor(year, week=f"{year}-W{m.group('w')}")
    return _Anchor(year, period=m.group("q"), season=m.group("s"))


def _fits(anchor: _Anchor, unit: str) -> bool:
    """Whether ``anchor`` is precise enough for an anaphoric ``unit``."""
    if unit in ("day", "morning", "afternoon", "evening", "night") or unit in WEEKDAYS:
        return anchor.day is not None
    if unit in ("week", "weekend"):
        return anchor.week is not None
    if unit == "month":
        return anchor.month is not None
    if unit == "quarter":
        return anchor.period is not None and anchor.period.startswith("Q")
    if unit == "season":
        return anchor.season is not None
    return True


def _shift(anchor: _Anchor, unit: str, step: int) -> tuple[str, str] | None:
    """The value and type of ``unit`` ``step`` units from ``anchor`` (0 is the anchor's own)."""
    if unit in WEEKDAYS and anchor.day is not None:
        wanted = WEEKDAYS[unit]
        if step < 0:
            back = (anchor.day.weekday() - wanted) % 7 or 7
            return (anchor.day - dt.timedelta(days=back)).isoformat(), "DATE"
        ahead = (wanted - anchor.day.weekday()) % 7 or 7
        return (anchor.day + dt.timedelta(days=ahead)).isoformat(), "DATE"
    if unit in PARTS and anchor.day is not None:
        return f"{(anchor.day + dt.timedelta(days=step)).isoformat()}T{PARTS[unit]}", "TIME"
    if unit == "day" and anchor.day is not None:
        return (anchor.day + dt.timedelta(days=step)).isoformat(), "DATE"
    if unit in ("week", "weekend") and anchor.week is not None:
        year, week = int(anchor.week[:4]), int(anchor.week[-2:])
        monday = dt.date.fromisocalendar(year, week, 1) + dt.timedelta(weeks=step)
        return iso_week(monday) + ("-WE" if unit == "weekend" else ""), "DATE"
    if unit == "month" and anchor.month is not None:
        year, month = add_months(anchor.year, anchor.month, step)
        return f"{year:04d}-{month:02d}", "DATE"
    if unit == "quarter" and anchor.period is not None:
        index = anchor.year * 4 + int(anchor.period[1]) - 1 + step
        return f"{index // 4}-Q{index % 4 + 1}", "DATE"
    if unit == "season" and anchor.season is not None and step == 0:
        return f"{anchor.year}-{anchor.season}", "DATE"
    if unit == "year":
        return str(anchor.year + step), "DATE"
    return None


def resolve_anaphora(refs: list[TimeRef], reference: dt.date | None) -> None:
    """Give anaphoric references the value of the time they point back to, in place.

    Args:
        refs: The article's expressions in text order, already normalised one by one.
        reference: The publication date, the anchor when the article has mentioned no time before.
    """
    anchors: list[_Anchor] = []
    fallback = _anchor(reference.isoformat()) if reference else None
    for ref in refs:
        m = ANAPHORIC.match(ref.text.strip())
        if m is not None:
            unit = (m.group("u") or m.group("u2") or m.group("u3") or m.group("u4")).lower()
            if m.group("same") or m.group("in"):
                step = 0
            else:
                step = -1 if (m.group("dir") or "").lower() in ("previous", "preceding", "prior") else 1
            anchor = next((a for a in reversed(anchors) if _fits(a, unit)), None)
            if anchor is None and fallback is not None and _fits(fallback, unit):
                anchor = fallback
            resolved = _shift(anchor, unit, step) if anchor else None
            if resolved is not None:
                ref.value, ref.type = resolved
        elif _clock_without_day(ref):
            # A clock time without a day of its own ("at 10:35 a.m.") happened on the day the article
            # was just talking about, which is the publication day only when it names no other.
            anchor = next((a for a in reversed(anchors) if a.day is not None), None)
            if anchor is not None and anchor.day is not None:
                ref.value = anchor.day.isoformat() + ref.value[10:]
        if ref.type in ("DATE", "TIME") and (found := _anchor(ref.value)) is not None:
            anchors.append(found)


def _clock_without_day(ref: TimeRef) -> bool:
    """Whether ``ref`` is a clock time whose day came from the publication date, not from its text."""
    clock = ref.type == "TIME" and ref.value is not None and _CLOCK_VALUE.match(ref.value) is not None
    return clock and not _OWN_DAY.search(ref.text)


def resolve_comparisons(doc: Doc, refs: list[TimeRef], reference: dt.date) -> None:
    """Give "a year earlier", "the year-ago quarter" and "the 1988 period" the quarter being compared.

    Results news reports a quarter and compares it with the same quarter a year before; these
    expressions name that earlier quarter only by reference to the one just reported.
    """
    sentence = _sentence_numbers(doc)
    first: tuple[int, str, int] | None = None  # the period the article reports: (sentence, "Q3", year)
    last: tuple[int, str, int] | None = None  # the one named most recently
    for ref in refs:
        here = sentence(ref.span[0])
        text = ref.text.strip()
        near = last is not None and here - last[0] <= QUARTER_WINDOW_SENTENCES
        # A period named in the last sentences is the one meant; further on, the article's own.
        period = last if near else first
        if period is not None:
            _, label, year = period
            if _YEAR_BACK.search(text) and ref.value and ref.value[:4].isdigit():
                # A bare "a year earlier" may compare anything; near a quarter it compares that quarter.
                if near or _NAMES_PERIOD.search(text):
                    ref.value, ref.type = f"{year - 1}-{label}", "DATE"
                continue
            if named := _NAMED_YEAR_PERIOD.match(text):
                ref.value, ref.type = f"{named.group('y')}-{label}", "DATE"
                continue
            if _SAME_PERIOD.match(text):
                ref.value, ref.type = f"{year}-{label}", "DATE"
        if ref.value and (m := _PERIOD_VALUE.match(ref.value)) and _reported(m, reference):
            last = (here, m.group(2), int(m.group(1)))
            first = first or last


def _reported(period: re.Match[str], reference: dt.date) -> bool:
    """Whether a quarter or half had ended by ``reference``: only such a period has results to compare."""
    year, label = int(period.group(1)), period.group(2)
    last_month = int(label[1]) * (3 if label[0] == "Q" else 6)
    return (year, last_month) < (reference.year, reference.month)


def _sentence_numbers(doc: Doc) -> Callable[[int], int]:
    """A function from a character offset to the number of its sentence (0 without sentence bounds)."""
    if not doc.has_annotation("SENT_START"):
        return lambda position: 0
    starts = [sent.start_char for sent in doc.sents]

    def sentence(position: int) -> int:
        return max(0, bisect.bisect_right(starts, position) - 1)

    return sentence
