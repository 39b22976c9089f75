"""Shared fixtures: one spaCy pipeline per test session (loading it takes about a second)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fuzz.harness import TALLY, FuzzTally, summarise


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture(scope="session")
def tally() -> Iterator[FuzzTally]:
    """The fuzzing campaign's counts per target (tests/fuzz), printed at the end of the run."""
    yield TALLY


def pytest_terminal_summary(terminalreporter: Any) -> None:
    summarise(terminalreporter)
