"""Temporal expressions: find them in a parsed article and give each a TimeML-style value.

:func:`find_times` (:mod:`.find`) is the TIMES stage. It finds expressions (:mod:`.detection`),
normalises each against the publication date (:mod:`.rules`, with the clause's tense from :mod:`.tense`,
the calendar arithmetic of :mod:`.dates` and the amounts of :mod:`.amounts`), keeps its TimeML modifier
(:mod:`.modifiers`), then settles what depends on the rest of the article: anaphoric references and
results comparisons (:mod:`.anaphora`) and the second day of "April 24 and 25" (:mod:`.ranges`).
Values cover:

- explicit dates ("March 3, 2024", "3 March 2024", "2024-03-03", "March 2024", "2019"), choosing the year
  of a date written without one from the tense of the clause;
- weekdays by the tense of the governing verb: "met on Tuesday" is the most recent Tuesday, "will meet on
  Tuesday" the next one, the publication weekday itself is the publication date;
- relative dates ("yesterday", "last week" → ``2024-W10``, "next year", "two weeks ago", "a year earlier"),
  quarters (``2024-Q1``), halves (``2024-H1``), seasons (``2024-SU``), decades (``199``) and centuries
  (``19``), times of day (``2024-03-12TMO``, ``2024-03-12T22:00``), durations (``P2D``, ``PT1H``,
  ``PXY`` when the amount is vague), sets (``P1W`` for "every week") and the vague references
  ``PRESENT_REF``, ``PAST_REF`` and ``FUTURE_REF``;
- anaphoric references against the last time the article mentioned ("the following year", "later that
  day", "the previous Friday") and the quarter a results story compares ("a year earlier" → ``2023-Q3``).

:func:`normalise_time` is the normaliser on its own, for callers that already have an expression.
"""

from __future__ import annotations

from newsgraph.extract.times.find import find_times
from newsgraph.extract.times.modifiers import time_modifier
from newsgraph.extract.times.rules import normalise_time
from newsgraph.extract.times.tense import Tense

__all__ = ["Tense", "find_times", "normalise_time", "time_modifier"]
