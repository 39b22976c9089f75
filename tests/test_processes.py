"""Worker processes end with their parent, however it ends (issue 15)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Dock workers at the port of Valmora walked out on Monday, the union said. "
    '"We will stay out until the talks resume," union leader Mara Lenz told reporters in Valmora. '
    "The harbour authority said on Tuesday that ferries to Ostrava would keep running.\n"
)


def children(pid: int) -> set[int]:
    """The processes ``pid`` started, read from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, timeout: float) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def start_analysis(tmp_path: Path, count: int = 400) -> subprocess.Popen[bytes]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(count):
        (folder / f"a{i:04d}.txt").write_text(ARTICLE.replace("Monday", f"Monday ({i})"))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "newsgraph", "analyze", str(folder), "-j", "2"]
    with (tmp_path / "stderr.txt").open("wb") as errors:
        return subprocess.Popen(
            [*command, "-o", str(tmp_path / "out.jsonl")], env=env, stdout=subprocess.DEVNULL, stderr=errors
        )


@pytest.mark.slow
@pytest.mark.issue(15)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_their_parent_is_killed(tmp_path: Path, how: signal.Signals) -> None:
    parent = start_analysis(tmp_path)
    workers: set[int] = set()
    try:
        started = wait_until(lambda: len(children(parent.pid)) >= 2, 60)
        assert started, f"the workers never started: {(tmp_path / 'stderr.txt').read_text()}"
        workers = children(parent.pid)
        parent.send_signal(how)
        parent.wait(timeout=30)
        assert wait_until(lambda: not any(alive(w) for w in workers), 10), (
            f"workers left running after {how.name} of their parent: {sorted(w for w in workers if alive(w))}"
        )
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for worker in workers:  # when the test fails, leave no orphan behind
            if alive(worker):
                os.kill(worker, signal.SIGKILL)


def stored(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.issue(15)
@pytest.mark.parametrize("processes", ["2"])
def test_sigterm_makes_ingest_finish_its_batch_and_exit_0_with_a_summary(
    tmp_path: Path, processes: str
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(120):
        (folder / f"a{i:04d}.txt").write_text(ARTICLE.replace("Monday", f"Monday ({i})"))
    db = tmp_path / "news.db"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "newsgraph", "ingest", str(folder), "--db", str(db), "--batch-size", "4"]
    with (tmp_path / "stderr.txt").open("wb") as errors:
        ingest = subprocess.Popen([*command, "-j", processes], env=env, stderr=errors)
    try:
        assert wait_until(lambda: stored(db) >= 4, 90), "nothing was stored"
        ingest.send_signal(signal.SIGTERM)
        assert ingest.wait(timeout=60) == 0
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    message = (tmp_path / "stderr.txt").read_text()
    assert "stopping after the current batch" in message
    assert "stopped: " in message and "run the same command again" in message
    count = stored(db)
    # Every article read before the signal is stored, whole; the stop may fall inside a batch, and the
    # stream's last articles go to the workers in smaller parts, so the count need not be a multiple of 4.
    assert 4 <= count < 120
    again = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert again.returncode == 0 and stored(db) == 120
