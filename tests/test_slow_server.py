"""A server that drips bytes does not hold up a batch: ingest gives up on it at the deadline (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from local_server import HTML_TYPE, LocalServer, Reply, add_site, drip
from newsgraph.cli import main
from newsgraph.sources.fetch import DEFAULT_DEADLINE

pytestmark = [pytest.mark.slow, pytest.mark.issue(15)]


def test_ingest_of_a_slow_drip_server_and_two_good_urls_ends_within_the_deadline(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalServer() as server:
        add_site(server)
        # a few bytes every half second: each read is quick, the page never ends
        server.route("/news/drip.html", Reply(body=drip(total=10**7, every=0.5), headers=HTML_TYPE))
        urls = [server.url(f"/news/{name}.html") for name in ("drip", "harbour-strike", "river-bridge")]
        started = time.monotonic()
        result = CliRunner().invoke(main, ["ingest", *urls, "--db", str(db), "--allow-private"])
        took = time.monotonic() - started
    assert took < DEFAULT_DEADLINE + 15, f"took {took:.0f} s"
    assert result.exit_code == 1, result.output  # one input failed
    assert f"gave up after {DEFAULT_DEADLINE:g} s" in result.output
    exported = CliRunner().invoke(main, ["export", "--db", str(db)])
    stored = [json.loads(line)["url"] for line in exported.stdout.splitlines() if line.startswith("{")]
    assert sorted(stored) == sorted(server.url(f"/news/{n}.html") for n in ("harbour-strike", "river-bridge"))
