"""Shared fixtures: one spaCy pipeline per test session (loading it takes about a second)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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


def pytest_terminal_summary(terminalreporter) -> None:
    """The fuzzing campaign's figures per target (tests/fuzz/harness.py), when it ran."""
    harness = sys.modules.get("harness")
    if harness is not None:
        harness.summary(terminalreporter)
