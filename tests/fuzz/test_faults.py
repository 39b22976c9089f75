"""A few points of the fault campaign on every `make test` (`make faults` runs 50; see faults.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import faults
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.issue(15)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_three_kill_points_leave_a_sound_store_that_resumes_exactly(tmp_path: Path) -> None:
    report = tmp_path / "figures.json"
    options = ["--points", "3", "--chain", "3", "--articles", "6", "--seed", "15"]
    code = faults.main([*options, "--json", str(report)])
    figures = json.loads(report.read_text())
    assert figures["kill_points"] == 3
    assert figures["integrity_failures"] == 0
    assert figures["lost_or_duplicated_after_resume"] == 0
    assert figures["orphaned_processes"] == 0
    assert figures["crash_style_messages"] == 0
    assert code == 0
