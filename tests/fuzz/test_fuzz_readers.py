"""Fuzzing every reader: whatever the bytes, each input gives articles or named errors, never a crash
or a hang (issue 15)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    DATES,
    FILE_NAMES,
    SUFFIXES,
    feeds,
    html_pages,
    jsonl_files,
    text_files,
    url_lists,
    warc_files,
)

from fuzz.harness import FUZZ_SETTINGS, FuzzTally
from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import read_articles, screen_item
from newsgraph.sources.feeds import read_feed
from newsgraph.sources.fetch import Fetcher
from newsgraph.sources.html import read_html
from newsgraph.sources.jsonl import read_jsonl
from newsgraph.sources.pages import page_article
from newsgraph.sources.text import read_text
from newsgraph.sources.warc import read_warc
from newsgraph.sources.web import looks_like_url_list, read_url_list

pytestmark = pytest.mark.issue(15)

# Reference dates as the commands pass them: checked before reading, so a valid one or none.
PUBLISHED = st.sampled_from([None, "2024-03-14"])


def offline_fetcher() -> Fetcher:
    """The default policy (private addresses refused), no waits: every URL the fuzzer makes is local."""
    return Fetcher(host_interval=0, retries=0, deadline=5)


def check_items(items: list[Article | InputError]) -> list[Article | InputError]:
    """What ingest does with each item (screened as read_articles does), then prints or stores."""
    for found in items:
        assert isinstance(found, Article | InputError), type(found)
        item = screen_item(found)
        if isinstance(item, InputError):
            str(item).encode("utf-8")  # the error line can be written to a UTF-8 terminal
        else:
            assert isinstance(item.text, str) and item.text.strip()
            json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")  # and stored as UTF-8 JSON
    return items


@FUZZ_SETTINGS
@given(data=html_pages(), published=PUBLISHED)
def test_html_pages(tally: FuzzTally, data: bytes, published: str | None) -> None:
    tally.call(
        "html", lambda: check_items([_or_error(lambda: read_html(Path("fuzz.html"), data, published))])
    )


@FUZZ_SETTINGS
@given(data=html_pages(), charset=st.sampled_from([None, "utf-8", "latin-1", "bogus", "utf-16"]))
def test_fetched_pages(tally: FuzzTally, data: bytes, charset: str | None) -> None:
    page = lambda: page_article(data, "https://news.example/a", charset=charset)  # noqa: E731
    tally.call("html (fetched)", lambda: check_items([_or_error(page)]))


@FUZZ_SETTINGS
@given(data=feeds(), published=PUBLISHED)
def test_feeds(tally: FuzzTally, data: bytes, published: str | None) -> None:
    fetcher = offline_fetcher()
    tally.call("feeds", lambda: check_items(list(read_feed(data, "fuzz.xml", fetcher, published))))


@FUZZ_SETTINGS
@given(data=warc_files(), published=PUBLISHED)
def test_warc(tally: FuzzTally, tmp_path: Path, data: bytes, published: str | None) -> None:
    path = tmp_path / "fuzz.warc"
    path.write_bytes(data)
    tally.call("warc", lambda: check_items(list(read_warc(path, published, 1_000_000))))


@FUZZ_SETTINGS
@given(data=jsonl_files(), published=PUBLISHED)
def test_jsonl(tally: FuzzTally, tmp_path: Path, data: bytes, published: str | None) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    tally.call("jsonl", lambda: check_items(list(read_jsonl(path, published, 100_000))))


@FUZZ_SETTINGS
@given(data=text_files(), published=PUBLISHED)
def test_text(tally: FuzzTally, data: bytes, published: str | None) -> None:
    tally.call("text", lambda: check_items([_or_error(lambda: read_text(Path("fuzz.txt"), data, published))]))


@FUZZ_SETTINGS
@given(data=url_lists(), published=PUBLISHED)
def test_url_lists(tally: FuzzTally, tmp_path: Path, data: bytes, published: str | None) -> None:
    path = tmp_path / "urls.txt"
    path.write_bytes(data)
    fetcher = offline_fetcher()
    looks_like_url_list(data)
    tally.call("url lists", lambda: check_items(list(read_url_list(path, fetcher, published))))


@FUZZ_SETTINGS
@given(
    files=st.lists(st.tuples(FILE_NAMES, SUFFIXES, text_files() | html_pages() | url_lists()), max_size=5),
    published=DATES,
)
def test_folders(
    tally: FuzzTally, tmp_path: Path, files: list[tuple[str | bytes, str, bytes]], published
) -> None:
    """Any folder: names that are not UTF-8, every kind of file, and any --published value."""
    folder = tmp_path / "in"
    if folder.exists():
        for child in os.listdir(os.fsencode(folder)):
            os.remove(os.path.join(os.fsencode(folder), child))
    else:
        folder.mkdir()
    for name, suffix, data in files:
        raw = name if isinstance(name, bytes) else os.fsencode(name)
        if raw in (b".", b".."):
            continue
        with open(os.path.join(os.fsencode(folder), raw + suffix.encode()), "wb") as handle:
            handle.write(data)
    tally.call("folders", lambda: check_items(list(read_articles([folder], published=published))))


def _or_error(read):
    try:
        return read()
    except InputError as error:
        return error
