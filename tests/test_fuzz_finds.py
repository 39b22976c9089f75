"""Crashers the fuzzing campaign (tests/fuzz) found, kept as plain regression tests (issue 15)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import read_articles
from newsgraph.sources.feeds import read_feed
from newsgraph.sources.fetch import Fetcher

pytestmark = pytest.mark.issue(15)

STORY = "Dock workers at the port of Valmora walked out on Monday, the union said.\n"


def test_a_text_file_holding_only_a_byte_order_mark_is_an_error_not_an_empty_article(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf")
    (error,) = read_articles([tmp_path / "bom.txt"])
    assert isinstance(error, InputError) and "has no text" in error.problem


def test_a_file_name_that_is_not_utf8_is_named_and_its_neighbours_read(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:  # Latin-1 "café"
        handle.write(STORY.encode())
    (tmp_path / "good.txt").write_text(STORY)
    items = list(read_articles([tmp_path]))
    assert [type(item) for item in items] == [Article, Article]
    odd = next(item for item in items if item.id != "good")
    assert odd.id == "caf\\xe9" and odd.metadata["source"].endswith("caf\\xe9.txt")
    for item in items:  # both can be printed and stored as UTF-8
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")


def test_a_json_line_with_a_lone_surrogate_escape_keeps_its_offsets(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "Paris \\ud800 said the minister."}\n')
    (article,) = read_articles([tmp_path / "a.jsonl"])
    assert isinstance(article, Article) and article.text == "Paris \ufffd said the minister."


def test_a_feed_entry_with_an_unreadable_date_raises_no_warning() -> None:
    feed = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>x</title>"
        b"<guid>1</guid><pubDate>not a date</pubDate><description>" + STORY.encode() * 8 + b"</description>"
        b"</item></channel></rss>"
    )
    # filterwarnings = error: feedparser's DeprecationWarning for a missing "updated" used to raise here
    items = list(read_feed(feed, "f.xml", Fetcher(host_interval=0, retries=0)))
    assert len(items) == 1


def test_a_place_id_too_large_for_sqlite_is_a_named_error(tmp_path: Path) -> None:
    from newsgraph.store import QueryError, Store

    # it was OverflowError: Python int too large to convert to SQLite INTEGER
    with Store(tmp_path / "news.db") as store, pytest.raises(QueryError) as caught:
        store.article_page(place=2**64)
    assert caught.value.param == "place"
