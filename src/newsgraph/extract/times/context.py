"""What every normalisation rule shares: the context it reads, its result, and how a rule is made.

A rule is a regular expression and a handler; ``@_rule(pattern)`` makes one of a handler. Which rules are
tried, and in which order, is :data:`newsgraph.extract.times.rules.RULES`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from newsgraph.extract.times.tense import Tense


@dataclass(frozen=True)
class _Context:
    ref: dt.date | None
    tense: Tense | None


Result = tuple[str | None, str]
Handler = Callable[[re.Match[str], _Context], Result | None]


@dataclass(frozen=True)
class Rule:
    """A pattern (searched case-insensitively in the cleaned expression) and the handler of its match."""

    pattern: re.Pattern[str]
    handler: Handler


def _rule(pattern: str) -> Callable[[Handler], Rule]:
    def make(handler: Handler) -> Rule:
        return Rule(re.compile(pattern, re.IGNORECASE), handler)

    return make


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
