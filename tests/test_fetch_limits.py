"""The fetcher's deadline, robots.txt and connection reuse, against real servers on 127.0.0.1 (issue 15)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from local_server import DripHeaders, LocalServer, Reply, drip
from newsgraph.errors import InputError
from newsgraph.sources.fetch import Fetcher, FetchError

PAGE = (Path(__file__).parent / "fixtures" / "web" / "harbour-strike.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def quick(**options: object) -> Fetcher:
    sleeps: list[float] = []
    settings: dict[str, object] = {"host_interval": 0, "sleep": sleeps.append, "allow_private": True}
    fetcher = Fetcher(**{**settings, **options})  # type: ignore[arg-type]
    fetcher.sleeps = sleeps  # type: ignore[attr-defined]
    return fetcher


@pytest.fixture
def server():
    with LocalServer() as running:
        running.route("/page", Reply(body=PAGE, headers=HTML))
        yield running


# --- the total deadline -----------------------------------------------------------------------------


@pytest.mark.issue(15)
def test_a_body_dripped_below_the_read_timeout_is_cut_off_at_the_deadline(server: LocalServer) -> None:
    server.route("/drip", Reply(body=drip(every=0.1), headers=HTML))
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        quick(timeout=1.0, deadline=1.5).fetch(server.url("/drip"))
    took = time.monotonic() - started
    assert "gave up after 1.5 s" in caught.value.problem and caught.value.transient
    assert 1.4 < took < 3.0  # each read arrived well within the 1 s timeout: only the deadline stops it


@pytest.mark.issue(15)
def test_headers_dripped_forever_are_cut_off_at_the_deadline() -> None:
    with DripHeaders(every=0.1) as slow:
        started = time.monotonic()
        with pytest.raises(FetchError, match="gave up after 1 s"):
            quick(timeout=1.0, deadline=1.0, respect_robots=False).fetch(slow.url("/page"))
        assert time.monotonic() - started < 2.5


@pytest.mark.issue(15)
def test_retries_stop_at_the_deadline(server: LocalServer) -> None:
    server.route("/busy", Reply(503, headers={"Retry-After": "5"}))
    fetcher = quick(deadline=2.0)
    with pytest.raises(FetchError, match="not retried: the 2 s deadline would pass") as caught:
        fetcher.fetch(server.url("/busy"))
    assert caught.value.transient and fetcher.sleeps == []  # type: ignore[attr-defined]
    assert len(server.requests_for("/busy")) == 1


def test_a_deadline_must_be_positive() -> None:
    with pytest.raises(InputError, match="--deadline"):
        Fetcher(deadline=0)


# --- robots.txt -------------------------------------------------------------------------------------


@pytest.mark.issue(15)
def test_robots_txt_is_read_once_and_disallowed_pages_are_not_fetched(server: LocalServer) -> None:
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n\nUser-agent: newsgraph\nDisallow: /members/\n"),
    )
    server.route("/members/page", Reply(body=PAGE, headers=HTML))
    fetcher = quick()
    assert fetcher.fetch(server.url("/page")).status == 200
    with pytest.raises(FetchError, match=r"robots\.txt disallows it for newsgraph") as caught:
        fetcher.fetch(server.url("/members/page"))
    assert not caught.value.transient
    assert fetcher.fetch(server.url("/page")).status == 200
    assert server.requests_for("/members/page") == []
    assert len(server.requests_for("/robots.txt")) == 1


def test_no_robots_txt_means_no_rules(server: LocalServer) -> None:
    assert quick().fetch(server.url("/page")).status == 200
    assert len(server.requests_for("/robots.txt")) == 1  # answered 404


@pytest.mark.issue(15)
def test_a_site_whose_robots_txt_fails_is_left_alone_for_now(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(500))
    with pytest.raises(FetchError, match=r"robots\.txt could not be read \(HTTP 500") as caught:
        quick(retries=0).fetch(server.url("/page"))
    assert caught.value.transient
    assert server.requests_for("/page") == []


def test_crawl_delay_spaces_the_requests_to_that_site(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 4\n"))
    sleeps: list[float] = []
    fetcher = Fetcher(allow_private=True, host_interval=1.0, sleep=sleeps.append, clock=lambda: 50.0)
    fetcher.fetch(server.url("/page"))
    fetcher.fetch(server.url("/page"))
    # robots.txt at 50, the first page one default interval later, the next one 4 s after that
    assert sleeps == [1.0, 5.0]


# --- pooled connections -----------------------------------------------------------------------------


@pytest.mark.issue(15)
def test_connections_to_a_site_are_reused() -> None:
    with LocalServer(keep_alive=True) as server:
        server.route("/page", Reply(body=PAGE, headers=HTML))
        with quick() as fetcher:
            for _ in range(3):
                assert fetcher.fetch(server.url("/page")).status == 200
        ports = {request.client_port for request in server.requests}
        assert len(server.requests) == 4 and len(ports) == 1  # robots.txt and three pages, one connection
