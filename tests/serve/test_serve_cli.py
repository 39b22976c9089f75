"""`newsgraph serve` as a user starts it: a real process on 127.0.0.1, stopped with Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_serve_command_answers_the_design_example_and_stops_cleanly(served_db, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgraph", "serve", "--db", str(served_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            time.sleep(0.2)
        quotes = httpx.get(f"{base}/api/v1/quotes", params={"speaker": "Ribeiro"}, timeout=30).json()["items"]
        assert [(q["speaker_name"], [v["name"] for v in q["via"]]) for q in quotes] == [
            ("Ana Ribeiro", ["Kyodo News"])
        ]
        # An aggregate answered by the worker process the command starts.
        assert httpx.get(f"{base}/api/v1/places", timeout=60).json()["features"]
        assert "newsgraph" in httpx.get(f"{base}/", timeout=30).text
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
