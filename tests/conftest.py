"""Shared fixtures: one spaCy pipeline per test session (loading it takes about a second)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuzz.harness import TALLY, FuzzTally, summarise

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


def eval_data(name: str) -> Path:
    """Path to an evaluation set under ../shared/eval, or skip the test with a clear reason."""
    path = EVAL_DIR / name
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (it sits at ../shared/eval beside a checkout)")
    return path


@pytest.fixture(scope="session")
def tally() -> Iterator[FuzzTally]:
    """The fuzzing campaign's counts per target (tests/fuzz), printed at the end of the run."""
    yield TALLY


def pytest_terminal_summary(terminalreporter: Any) -> None:
    summarise(terminalreporter)
