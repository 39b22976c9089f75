"""RSS/Atom feeds and URL lists, over a real HTTP server on 127.0.0.1 serving fixture pages and feeds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from local_server import WEB_FIXTURES, LocalServer, Reply, add_site
from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import read_articles
from newsgraph.sources.feeds import FULL_TEXT_WORDS, looks_like_feed, parse_feed
from newsgraph.sources.fetch import Fetcher


@pytest.fixture
def site():
    with LocalServer() as server:
        add_site(server)
        yield server


def fetcher(**options: object) -> Fetcher:
    settings: dict[str, object] = {"allow_private": True, "host_interval": 0, "retries": 0, **options}
    return Fetcher(**settings)  # type: ignore[arg-type]


def read(*inputs: str | Path, **options: object) -> list[Article | InputError]:
    options.setdefault("fetcher", fetcher())
    return list(read_articles([str(i) for i in inputs], **options))  # type: ignore[arg-type]


def articles(items: list[Article | InputError]) -> list[Article]:
    assert all(isinstance(i, Article) for i in items), [str(i) for i in items if isinstance(i, InputError)]
    return items  # type: ignore[return-value]


def test_a_feed_of_links_fetches_each_entry_page(site: LocalServer) -> None:
    strike, bridge = articles(read(site.url("/feed.xml")))
    assert strike.url == site.url("/news/harbour-strike.html")
    assert strike.title == "Dock workers in Valmora begin 48-hour strike over night shifts"
    assert "twenty container ships waiting at anchor" in strike.text  # the page's text, not the summary
    assert strike.published == "2024-05-06T07:40:00+02:00"  # the page's own date wins
    assert strike.metadata["content_from"] == "page"
    assert strike.metadata["feed"] == site.url("/feed.xml")
    assert strike.metadata["feed_entry"] == "ledger-2024-0506-strike"
    # the bridge page has no date of its own: the feed's date fills in
    assert bridge.published == "2024-05-07T16:00:00+00:00"
    assert bridge.metadata["published_from"] == "feed"
    assert len(site.requests_for("/news/harbour-strike.html")) == 1


def test_a_full_text_feed_is_used_without_fetching_the_page(site: LocalServer) -> None:
    orchestra, ferry = articles(read(site.url("/full.xml")))
    assert orchestra.metadata["content_from"] == "feed"
    assert "first concert in the restored Harbour Concert Hall" in orchestra.text
    assert orchestra.title == "Orchestra returns to restored concert hall after six years"
    assert orchestra.authors == ["Ines Kowalczyk"]
    assert orchestra.published == "2024-05-09T17:30:00+02:00"
    assert orchestra.outlet == "Valmora Evening Post"
    assert orchestra.url == site.url("/post/orchestra.html")
    assert site.requests_for("/post/orchestra.html") == []  # never fetched
    # the second entry only has a summary, so its page is fetched
    assert ferry.metadata["content_from"] == "page"
    assert "Nordwave Lines" in ferry.text
    assert len(site.requests_for("/news/ferry-fares.html")) == 1


def test_full_text_threshold_separates_teasers_from_articles() -> None:
    feed = parse_feed((WEB_FIXTURES / "feed-full.xml").read_bytes(), "feed-full.xml")
    full, teaser = feed.entries
    assert full.has_full_text and not teaser.has_full_text
    assert len((teaser.summary or "").split()) < FULL_TEXT_WORDS


def test_a_billion_laughs_feed_is_refused(site: LocalServer) -> None:
    bomb = (WEB_FIXTURES / "bomb.xml").read_bytes()
    site.route("/bomb.xml", Reply(body=bomb, headers={"Content-Type": "application/rss+xml"}))
    started = time.process_time()
    for item in (read(WEB_FIXTURES / "bomb.xml")[0], read(site.url("/bomb.xml"))[0]):
        assert isinstance(item, InputError)
        assert "refused" in item.problem and "XML entities" in item.problem
    # expanded, the title alone would be 3 GB; refusing it costs next to nothing
    assert time.process_time() - started < 30


def test_feed_entities_cannot_pull_in_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret contents")
    feed = tmp_path / "xxe.rss"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&s;</title>'
        "<description>&s;</description></item></channel></rss>"
    )
    (error,) = read(feed)
    assert isinstance(error, InputError) and "refused" in error.problem
    assert "top secret" not in str(error)


def test_a_malformed_feed_is_reported(site: LocalServer) -> None:
    (error,) = read(WEB_FIXTURES / "malformed.xml")
    assert isinstance(error, InputError)
    assert error.source.endswith("malformed.xml") and "malformed feed" in error.problem


def test_a_sloppy_but_readable_feed_is_still_read(site: LocalServer, tmp_path: Path) -> None:
    feed = tmp_path / "sloppy.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>Port &amp; City&nbsp;News</title>'
        f"<item><title>Strike & talks</title><link>{site.url('/news/harbour-strike.html')}</link></item>"
        "</channel></rss>"
    )
    (article,) = articles(read(feed))
    assert article.url == site.url("/news/harbour-strike.html")


def test_an_entry_linking_to_a_private_address_is_refused_by_default(
    site: LocalServer, tmp_path: Path
) -> None:
    # a feed from anywhere may link to an internal address; without allow_private it is not fetched
    feed = tmp_path / "links.rss"
    feed.write_bytes((WEB_FIXTURES / "feed-links.xml").read_bytes().replace(b"{base}", site.base.encode()))
    items = list(read_articles([feed]))
    assert len(items) == 2
    assert all(isinstance(i, InputError) and "refused" in i.problem for i in items)
    assert site.requests == []


def test_feeds_are_recognised_by_extension_and_by_content(site: LocalServer, tmp_path: Path) -> None:
    feed = (WEB_FIXTURES / "feed-full.xml").read_bytes().replace(b"{base}", site.base.encode())
    for name in ("news.atom", "news.xml", "news-feed"):  # the last has no extension: sniffed
        path = tmp_path / name
        path.write_bytes(feed)
        items = articles(read(path))
        assert [a.metadata["content_from"] for a in items] == ["feed", "page"], name
    assert looks_like_feed(feed) and not looks_like_feed(b"<!DOCTYPE html><html><body>rss</body></html>")


def test_a_url_list_reads_pages_and_feeds_and_reports_bad_lines(site: LocalServer, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# morning reading\n"
        f"{site.url('/news/river-bridge.html')}\n"
        "\n"
        "not a url\n"
        f"{site.url('/full.xml')}\n"
        f"{site.url('/news/river-bridge.html')}\n"  # listed twice: read once
        f"{site.url('/gone.html')}\n"
    )
    items = read(listing)
    kinds = [i.url if isinstance(i, Article) else f"error {i.source}" for i in items]
    assert kinds == [
        site.url("/news/river-bridge.html"),
        f"error {listing}:4",
        site.url("/post/orchestra.html"),
        site.url("/news/ferry-fares.html"),
        f"error {site.url('/gone.html')}",
    ]
    assert len(site.requests_for("/news/river-bridge.html")) == 1


def test_a_plain_text_article_is_not_mistaken_for_a_url_list(tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("The council met on Tuesday.\nSee https://example.com/agenda for the agenda.\n")
    (article,) = articles(read(text))
    assert article.text.startswith("The council met")


def test_a_url_that_is_neither_page_nor_feed_is_reported(site: LocalServer) -> None:
    site.route("/report.pdf", Reply(body=b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"}))
    (error,) = read(site.url("/report.pdf"))
    assert isinstance(error, InputError)
    assert "is application/pdf, not an HTML page or an RSS/Atom feed" in error.problem


def test_a_feed_served_as_html_is_still_read_as_a_feed(site: LocalServer) -> None:
    body = (WEB_FIXTURES / "feed-links.xml").read_bytes()
    site.route("/rss", Reply(body=body, headers={"Content-Type": "text/html"}))
    assert len(articles(read(site.url("/rss")))) == 2


@pytest.mark.slow
def test_ingest_takes_urls_feeds_and_url_lists_with_allow_private(site: LocalServer, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.store import Store

    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.url('/news/river-bridge.html')}\n{site.url('/news/ferry-fares.html')}\n")
    db = tmp_path / "news.db"
    refused = CliRunner().invoke(main, ["ingest", site.url("/feed.xml"), "--db", str(db)])
    assert refused.exit_code == 1 and "refused" in refused.output and "--allow-private" in refused.output
    assert site.requests == []
    done = CliRunner().invoke(
        main, ["ingest", site.url("/feed.xml"), str(listing), "--db", str(db), "--allow-private"]
    )
    assert done.exit_code == 0, done.output
    assert "3 stored, 1 already in the store, 0 failed" in done.output  # river-bridge came twice
    with Store(db) as store:
        assert store.stats()["articles"] == 3
