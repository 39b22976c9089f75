"""Where the public evaluation sets sit beside a checkout, for the tests that score against them."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO.parent / "shared" / "eval"


def eval_data(name: str) -> Path:
    """Path to an evaluation set under ../shared/eval, or skip the test with a clear reason."""
    path = EVAL_DIR / name
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (it sits at ../shared/eval beside a checkout)")
    return path
