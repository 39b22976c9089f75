"""The fetcher against a real HTTP server on 127.0.0.1: address refusal, size cap, retries, rate limit."""

from __future__ import annotations

import gzip
import time
import zlib
from pathlib import Path

import pytest

from local_server import LocalServer, Reply, Request, stream
from newsgraph.schema import Article
from newsgraph.sources import read_articles
from newsgraph.sources.fetch import USER_AGENT, Fetcher, FetchError, HostRateLimiter, is_public_address

PAGE = (Path(__file__).parent / "fixtures" / "web" / "harbour-strike.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    with LocalServer() as running:
        running.route("/page", Reply(body=PAGE, headers=HTML))
        yield running


def served(server: LocalServer) -> bytes:
    return PAGE.replace(b"{base}", server.base.encode())


def quick(**options: object) -> Fetcher:
    """A fetcher for tests: no rate-limit waits, and waits recorded rather than slept."""
    sleeps: list[float] = []
    settings: dict[str, object] = {"host_interval": 0, "sleep": sleeps.append, **options}
    fetcher = Fetcher(**settings)  # type: ignore[arg-type]
    fetcher.sleeps = sleeps  # type: ignore[attr-defined]
    return fetcher


# --- refusing private addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.3.4.5",
        "10.0.0.7",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "[::1]",
        "[fe80::1]",
        "[fc00::5]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
        "[64:ff9b::a00:1]",  # NAT64 form of 10.0.0.1
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(host: str) -> None:
    with pytest.raises(FetchError) as caught:
        quick().fetch(f"http://{host}:9/")
    assert caught.value.source == f"http://{host}:9/"
    assert "refused" in caught.value.problem
    assert "--allow-private" in (caught.value.hint or "")
    assert not caught.value.transient


def test_refusal_happens_before_any_connection(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
        quick().fetch(server.url("/page"))
    assert server.requests == []


def test_a_host_name_resolving_to_loopback_is_refused(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"localhost resolves to 127\.0\.0\.1, a loopback address"):
        quick().fetch(f"http://localhost:{server.port}/page")
    assert server.requests == []


def test_allow_private_fetches_from_loopback_with_a_clear_user_agent(server: LocalServer) -> None:
    response = quick(allow_private=True).fetch(server.url("/page"))
    assert response.status == 200 and response.body == served(server)
    robots, request = server.requests  # robots.txt first, under the same name
    assert robots.path == "/robots.txt" and robots.headers["user-agent"] == USER_AGENT
    assert request.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("newsgraph/") and "(+http" in USER_AGENT


def test_a_redirect_to_a_loopback_address_is_refused(server: LocalServer) -> None:
    # 127.0.0.1 stands for a public site here (explicitly allowed); it redirects to another loopback address
    server.route("/go", Reply(302, headers={"Location": f"http://127.0.0.2:{server.port}/secret"}))
    server.route("/go6", Reply(301, headers={"Location": f"http://[::1]:{server.port}/secret"}))
    server.route("/secret", Reply(body=b"<p>internal</p>", headers=HTML))
    fetcher = quick(allow_networks=["127.0.0.1/32"])
    for path in ("/go", "/go6"):
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(server.url(path))
        assert caught.value.source == server.url(path)
        assert "redirected to" in caught.value.problem and "loopback address" in caught.value.problem
    assert server.requests_for("/secret") == []


def test_redirects_are_followed_and_the_final_url_reported(server: LocalServer) -> None:
    server.route("/old", Reply(301, headers={"Location": "/page"}))
    response = quick(allow_private=True).fetch(server.url("/old"))
    assert response.url == server.url("/page") and response.requested == server.url("/old")
    assert response.body == served(server)


def test_a_redirect_loop_gives_up(server: LocalServer) -> None:
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="redirects more than"):
        quick(allow_private=True).fetch(server.url("/loop"))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
        ("64:ff9b::5db8:d70e", True),  # NAT64 form of a public address
        ("224.0.0.251", False),  # multicast
        ("2002:7f00:1::", False),  # 6to4 form of 127.0.0.1
        ("198.51.100.7", False),  # documentation range
        ("not an address", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_urls_in_inputs_are_refused_unless_allowed(server: LocalServer) -> None:
    (error,) = read_articles([server.url("/page")])
    assert not isinstance(error, Article) and "refused" in error.problem
    (article,) = read_articles([server.url("/page")], allow_private=True)
    assert isinstance(article, Article)
    assert article.url == server.url("/news/harbour-strike.html")  # the page's canonical URL
    assert "Dock workers at the port of Valmora walked out" in article.text


# --- size cap ---------------------------------------------------------------------------------------


def test_a_huge_page_is_capped_and_reading_stops(server: LocalServer) -> None:
    hundred_mb = 100_000_000
    server.route("/huge", Reply(body=stream(hundred_mb), headers=HTML))
    with pytest.raises(FetchError) as caught:
        quick(allow_private=True, max_bytes=1_000_000).fetch(server.url("/huge"))
    assert "over the 1 MB limit; stopped reading" in caught.value.problem
    assert "--max-bytes" in (caught.value.hint or "")
    wait_for(lambda: server.finished >= 1)
    assert server.sent["/huge"] < hundred_mb // 10  # the client hung up long before the end


def test_a_declared_length_over_the_cap_is_refused_without_reading(server: LocalServer) -> None:
    server.route("/declared", Reply(body=stream(5_000_000), headers={**HTML, "Content-Length": "5000000"}))
    with pytest.raises(FetchError, match=r"is 5 MB, over the 1 MB limit; not downloaded"):
        quick(allow_private=True, max_bytes=1_000_000).fetch(server.url("/declared"))


def test_a_gzip_bomb_is_capped_after_decompression(server: LocalServer) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    bomb = packer.compress(b"<p>") + b"".join(packer.compress(b" " * 1_000_000) for _ in range(50))
    bomb += packer.flush()  # about 50 kB that inflate to 50 MB
    server.route("/bomb", Reply(body=bomb, headers={**HTML, "Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="over the 1 MB limit"):
        quick(allow_private=True, max_bytes=1_000_000).fetch(server.url("/bomb"))


def test_gzip_bodies_are_decompressed(server: LocalServer) -> None:
    server.route("/gz", Reply(body=gzip.compress(PAGE), headers={**HTML, "Content-Encoding": "gzip"}))
    response = quick(allow_private=True).fetch(server.url("/gz"))
    assert response.body == PAGE  # sent as is: the server fills in {base} only in plain bodies
    assert "gzip" in server.requests[0].headers["accept-encoding"]


def test_a_100_mb_page_in_a_batch_is_reported_and_the_rest_read(server: LocalServer) -> None:
    server.route("/huge", Reply(body=stream(100_000_000), headers=HTML))
    fetcher = quick(allow_private=True, max_bytes=2_000_000)
    items = list(read_articles([server.url("/huge"), server.url("/page")], fetcher=fetcher))
    assert [type(i).__name__ for i in items] == ["FetchError", "Article"]
    assert "over the 2 MB limit" in items[0].problem  # type: ignore[union-attr]


# --- retries and backoff ----------------------------------------------------------------------------


def test_503_is_retried_with_growing_waits(server: LocalServer) -> None:
    server.route("/flaky", Reply(503), Reply(503), Reply(body=PAGE, headers=HTML))
    fetcher = quick(allow_private=True, backoff=0.5, retries=2)
    response = fetcher.fetch(server.url("/flaky"))
    assert response.body == served(server)
    assert len(server.requests_for("/flaky")) == 3
    assert fetcher.sleeps == [0.5, 1.0]  # type: ignore[attr-defined]


def test_retry_after_is_honoured_and_a_long_one_gives_up(server: LocalServer) -> None:
    server.route("/busy", Reply(429, headers={"Retry-After": "3"}), Reply(body=PAGE, headers=HTML))
    fetcher = quick(allow_private=True, backoff=0.5)
    assert fetcher.fetch(server.url("/busy")).body == served(server)
    assert fetcher.sleeps == [3.0]  # type: ignore[attr-defined]

    server.route("/down", Reply(503, headers={"Retry-After": "7200"}))
    fetcher = quick(allow_private=True)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(server.url("/down"))
    assert caught.value.transient and caught.value.status == 503
    assert len(server.requests_for("/down")) == 1 and fetcher.sleeps == []  # type: ignore[attr-defined]


def test_persistent_failure_stops_after_the_retries(server: LocalServer) -> None:
    server.route("/dead", Reply(502))
    fetcher = quick(allow_private=True, retries=2)
    with pytest.raises(FetchError, match="HTTP 502") as caught:
        fetcher.fetch(server.url("/dead"))
    assert caught.value.transient
    assert len(server.requests_for("/dead")) == 3


def test_client_errors_are_not_retried(server: LocalServer) -> None:
    fetcher = quick(allow_private=True, retries=3)
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetcher.fetch(server.url("/missing"))
    assert not caught.value.transient
    assert len(server.requests_for("/missing")) == 1


def test_a_server_that_does_not_answer_times_out(server: LocalServer) -> None:
    def slow(request: Request) -> Reply:
        time.sleep(1.5)
        return Reply(body=PAGE, headers=HTML)

    server.route("/slow", slow)
    with pytest.raises(FetchError, match="timed out") as caught:
        quick(allow_private=True, timeout=0.3, retries=0).fetch(server.url("/slow"))
    assert caught.value.transient


def test_connection_refused_is_a_transient_error() -> None:
    with LocalServer() as gone:
        url = gone.url("/page")
    with pytest.raises(FetchError, match="connection failed") as caught:
        quick(allow_private=True, retries=0).fetch(url)
    assert caught.value.transient


# --- rate limit -------------------------------------------------------------------------------------


def test_rate_limiter_spaces_requests_to_one_host_only() -> None:
    limiter = HostRateLimiter(2.0)
    assert limiter.reserve("news.example", now=10.0) == 0.0
    assert limiter.reserve("news.example", now=10.0) == 2.0  # booked right behind the first
    assert limiter.reserve("NEWS.example", now=10.5) == 3.5  # same host, any case: after the second
    assert limiter.reserve("other.example", now=10.5) == 0.0  # another host is not held up
    assert limiter.reserve("news.example", now=20.0) == 0.0  # long after: no wait


def test_fetcher_waits_between_requests_to_the_same_host(server: LocalServer) -> None:
    sleeps: list[float] = []
    # A clock that stands still: every wait the limiter asks for shows up in `sleeps`.
    fetcher = Fetcher(
        allow_private=True, host_interval=1.5, sleep=sleeps.append, clock=lambda: 100.0, respect_robots=False
    )
    fetcher.fetch(server.url("/page"))
    fetcher.fetch(server.url("/page"))
    fetcher.fetch(f"http://localhost:{server.port}/page")  # another host name
    fetcher.fetch(server.url("/page"))
    assert sleeps == [1.5, 3.0]


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.02)


def test_non_ascii_links_are_percent_encoded(server: LocalServer) -> None:
    server.route("/news/caf%C3%A9%20noir.html?q=%C3%A9t%C3%A9", Reply(body=PAGE, headers=HTML))
    response = quick(allow_private=True).fetch(server.url("/news/café noir.html?q=été"))
    assert response.status == 200


def test_control_characters_in_a_url_cannot_inject_headers(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        quick(allow_private=True).fetch(server.url("/news/a\r\nX-Injected: yes"))
    (request,) = server.requests_for(server.requests[-1].path)
    assert request.path != "/robots.txt"
    assert "\n" not in request.path and "\r" not in request.path
    assert "x-injected" not in request.headers
