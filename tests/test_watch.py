"""``newsgraph watch`` against a live feed on 127.0.0.1: conditional polls, nothing twice, errors survived."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from local_server import HTML_TYPE, PAGES, WEB_FIXTURES, LocalServer, Reply, Request
from newsgraph.cli import main
from newsgraph.sources.fetch import Fetcher
from newsgraph.store import Store
from newsgraph.watch import MAX_BACKOFF_FACTOR, Watcher, load_feed_list, next_delay

pytestmark = pytest.mark.slow  # articles go through the real spaCy pipeline

REPO = Path(__file__).resolve().parent.parent
DAY = datetime(2024, 5, 6, 5, 0, tzinfo=UTC)


@dataclass
class LiveFeed:
    """An RSS feed whose entries can be added between polls; answers conditional GETs like a real server."""

    pages: list[str] = field(default_factory=lambda: ["harbour-strike", "river-bridge"])
    failing: bool = False
    validators: bool = True

    @property
    def etag(self) -> str:
        return f'"v{len(self.pages)}"'

    @property
    def last_modified(self) -> str:
        return format_datetime(DAY + timedelta(days=len(self.pages)), usegmt=True)

    def reply(self, request: Request) -> Reply:
        if self.failing:
            return Reply(500, b"internal error", {"Content-Type": "text/plain"})
        headers = {"Content-Type": "application/rss+xml"}
        if self.validators:
            headers.update({"ETag": self.etag, "Last-Modified": self.last_modified})
            if request.headers.get("if-none-match") == self.etag:
                return Reply(304, b"", headers)
        items = "".join(
            f"<item><title>{name}</title><link>{{base}}/news/{name}.html</link>"
            f"<guid isPermaLink='false'>ledger-{name}</guid></item>"
            for name in reversed(self.pages)  # newest first, as feeds list them
        )
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>{items}</channel></rss>'
        )
        return Reply(200, body.encode(), headers)


@pytest.fixture
def live():
    feed = LiveFeed()
    with LocalServer() as server:
        for name in PAGES:
            body = (WEB_FIXTURES / f"{name}.html").read_bytes()
            server.route(f"/news/{name}.html", Reply(body=body, headers=HTML_TYPE))
        server.route("/feed.xml", feed.reply)
        yield server, feed


def run_watch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["watch", *args, "--allow-private"])
    return result.exit_code, result.output


def article_urls(db: Path) -> list[str]:
    with Store(db) as store:
        return sorted(r.article.url or "" for r in store.iter_records())


def test_watch_once_polls_conditionally_and_ingests_only_new_entries(live, tmp_path: Path) -> None:
    server, feed = live
    db = tmp_path / "news.db"
    url = server.url("/feed.xml")

    code, output = run_watch(url, "--once", "--db", str(db))
    assert code == 0, output
    assert "2 new, 2 stored" in output
    assert article_urls(db) == [
        server.url("/news/harbour-strike.html"),
        server.url("/news/river-bridge.html"),
    ]
    first = server.requests_for("/feed.xml")[-1]
    assert "if-none-match" not in first.headers

    # a second run (a restart: a new process state, the same store) asks conditionally and gets a 304
    code, output = run_watch(url, "--once", "--db", str(db))
    assert code == 0, output
    assert "not modified" in output
    second = server.requests_for("/feed.xml")[-1]
    assert second.headers["if-none-match"] == '"v2"'
    assert second.headers["if-modified-since"] == feed.last_modified
    assert len(article_urls(db)) == 2

    # a new entry appears: the next poll ingests it, and only it
    feed.pages.append("ferry-fares")
    code, output = run_watch(url, "--once", "--db", str(db))
    assert code == 0, output
    assert "1 new, 1 stored" in output
    assert len(article_urls(db)) == 3
    for name in PAGES:
        assert len(server.requests_for(f"/news/{name}.html")) == 1  # no page was fetched twice


def test_seen_entries_are_not_fetched_again_when_the_server_ignores_validators(
    live, tmp_path: Path, pipeline
) -> None:
    server, feed = live
    feed.validators = False
    db = tmp_path / "news.db"
    with Store(db) as store:
        watcher = Watcher([server.url("/feed.xml")], store, pipeline.analyze, quick_fetcher())
        (first,) = watcher.poll_all()
    with Store(db) as store:  # a restart
        watcher = Watcher([server.url("/feed.xml")], store, pipeline.analyze, quick_fetcher())
        (second,) = watcher.poll_all()
        assert store.stats()["articles"] == 2
    assert (first.status, first.new, first.stored) == ("updated", 2, 2)
    assert (second.status, second.new, second.stored) == ("updated", 0, 0)
    assert len(server.requests_for("/news/harbour-strike.html")) == 1


def test_a_failing_feed_does_not_stop_the_others(live, tmp_path: Path, pipeline) -> None:
    server, _ = live
    server.route("/broken.xml", Reply(500, b"oops", {"Content-Type": "text/plain"}))
    db = tmp_path / "news.db"
    with Store(db) as store:
        watcher = Watcher(
            [server.url("/broken.xml"), server.url("/feed.xml")], store, pipeline.analyze, quick_fetcher()
        )
        broken, good = watcher.poll_all()
        assert broken.status == "failed" and "HTTP 500" in broken.summary()
        assert (good.status, good.stored) == ("updated", 2)
        state = store.feed_state(server.url("/broken.xml"))
        assert state is not None and state.failures == 1 and "HTTP 500" in (state.last_error or "")


def test_the_loop_survives_an_outage_and_picks_up_entries_within_one_interval(
    live, tmp_path: Path, pipeline
) -> None:
    server, feed = live
    feed.failing = True
    results = []
    stop = threading.Event()

    def on_result(result) -> None:
        results.append(result)
        if len(results) == 2:
            feed.failing = False  # the feed recovers after two failed polls
        if result.stored and len(feed.pages) == 2:
            feed.pages.append("ferry-fares")  # a new entry, to be picked up at the next poll
        elif result.stored:
            stop.set()

    def watch() -> None:
        with Store(tmp_path / "news.db") as store:  # SQLite connections belong to one thread
            watcher = Watcher([server.url("/feed.xml")], store, pipeline.analyze, quick_fetcher(), stop=stop)
            watcher.run(0.05, on_result=on_result)

    runner = threading.Thread(target=watch)
    runner.start()
    runner.join(timeout=120)
    assert not runner.is_alive()
    assert [r.status for r in results[:3]] == ["failed", "failed", "updated"]
    assert [r.stored for r in results if r.stored] == [2, 1]  # the new entry came at the very next poll
    assert len(article_urls(tmp_path / "news.db")) == 3


def test_an_entry_whose_page_fails_for_now_is_retried_at_the_next_poll(
    live, tmp_path: Path, pipeline
) -> None:
    server, _ = live
    page = (WEB_FIXTURES / "river-bridge.html").read_bytes()
    server.route("/news/river-bridge.html", Reply(503), Reply(body=page, headers=HTML_TYPE))
    server.route("/news/harbour-strike.html", Reply(404, b"gone", {"Content-Type": "text/plain"}))
    with Store(tmp_path / "news.db") as store:
        watcher = Watcher([server.url("/feed.xml")], store, pipeline.analyze, quick_fetcher())
        first = watcher.poll(server.url("/feed.xml"))
        second = watcher.poll(server.url("/feed.xml"))
        assert (first.new, first.stored, first.retry, len(first.errors)) == (2, 0, 1, 2)
        # the 404 was reported once and remembered; the 503 was tried again and succeeded
        assert (second.new, second.stored, len(second.errors)) == (1, 1, 0)
        assert "if-none-match" not in server.requests_for("/feed.xml")[1].headers


def test_sigterm_stops_the_watch_loop_cleanly(live, tmp_path: Path) -> None:
    server, _ = live
    command = [sys.executable, "-m", "newsgraph", "watch", server.url("/feed.xml"), "--every", "1h"]
    command += ["--db", str(tmp_path / "news.db"), "--allow-private"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path) as process:
        assert process.stderr is not None
        errors = process.stderr
        reader = threading.Thread(target=lambda: [lines.put(line) for line in errors], daemon=True)
        reader.start()
        try:
            while not any("stored" in line for line in seen):  # the first poll is done; now it waits
                seen.append(lines.get(timeout=120))
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            reader.join(timeout=10)
    while not lines.empty():
        seen.append(lines.get())
    assert any("stopped." in line for line in seen), seen
    assert any("holds 2 articles" in line for line in seen), seen


def test_feed_lists_and_backoff(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# news\nhttps://a.example/rss\n\nhttps://b.example/atom\nhttps://a.example/rss\n")
    assert load_feed_list(str(listing)) == ["https://a.example/rss", "https://b.example/atom"]
    assert load_feed_list("https://c.example/feed") == ["https://c.example/feed"]
    assert [next_delay(60, n) for n in range(4)] == [60, 60, 120, 240]
    assert next_delay(60, 50) == 60 * MAX_BACKOFF_FACTOR


def test_watch_refuses_a_too_short_interval(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["watch", "https://a.example/rss", "--every", "5s"])
    assert result.exit_code == 2 and "too short" in result.output


def quick_fetcher() -> Fetcher:
    return Fetcher(allow_private=True, host_interval=0, retries=0)
