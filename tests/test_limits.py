"""Resource limits per input: a junk page or dump is refused with a named reason, quickly (issue 15)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import MAX_ARTICLE_CHARS, read_articles
from newsgraph.sources.html import MAX_HTML_BYTES

GOOD = (
    "Dock workers at the port of Valmora walked out on Monday, the union said. "
    '"We will stay out until the talks resume," union leader Mara Lenz told reporters.\n'
)


def junk_words(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(500)]
    out: list[str] = []
    length = 0
    while length < size:
        line = " ".join(rng.choices(words, k=60)) + ".\n"
        out.append(line)
        length += len(line)
    return "".join(out)[:size]


@pytest.mark.issue(15)
def test_a_15_mb_junk_page_is_refused_unparsed_and_the_rest_read(tmp_path: Path) -> None:
    page = tmp_path / "junk.html"
    body = "".join(f"<p>{line}</p>" for line in junk_words(15_000_000).splitlines())
    page.write_text(f"<html><body>{body}</body></html>")
    (tmp_path / "good.txt").write_text(GOOD)
    started = time.monotonic()
    items = list(read_articles([page, tmp_path / "good.txt"]))
    assert time.monotonic() - started < 3  # parsing it took 9 s and 480 MB
    error, article = items
    assert isinstance(error, InputError) and error.source == str(page)
    assert (
        f"of HTML, over the {MAX_HTML_BYTES // 1_000_000} MB a news page needs; not parsed" in error.problem
    )
    assert isinstance(article, Article) and article.text == GOOD


@pytest.mark.issue(15)
def test_a_text_too_long_for_one_article_is_refused_by_name(tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(junk_words(MAX_ARTICLE_CHARS + 1))
    fine = tmp_path / "long-read.txt"
    fine.write_text(junk_words(MAX_ARTICLE_CHARS))
    refused, kept = read_articles([dump, fine])
    assert isinstance(refused, InputError) and refused.source == str(dump)
    assert (
        f"has {MAX_ARTICLE_CHARS + 1:,} characters of text, over the {MAX_ARTICLE_CHARS:,}" in refused.problem
    )
    assert "split it into articles" in (refused.hint or "")
    assert isinstance(kept, Article) and len(kept.text) == MAX_ARTICLE_CHARS


def test_a_jsonl_line_too_long_is_refused_and_its_neighbours_kept(tmp_path: Path) -> None:
    import json

    lines = [
        {"id": "a", "text": GOOD},
        {"id": "b", "text": "x " * MAX_ARTICLE_CHARS},
        {"id": "c", "text": GOOD},
    ]
    feed = tmp_path / "batch.jsonl"
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines))
    kinds = [type(item).__name__ for item in read_articles([feed])]
    assert kinds == ["Article", "InputError", "Article"]


@pytest.mark.issue(15)
def test_a_folder_gives_its_articles_not_its_readme_or_its_url_list(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("These are the articles of March; see LICENSE.\n")
    (tmp_path / "LICENSE.txt").write_text("Permission is hereby granted to read these articles.\n")
    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/a\nhttp://127.0.0.1:9/b\n")
    (tmp_path / "story.txt").write_text(GOOD)
    items = list(read_articles([tmp_path]))
    assert [(type(i).__name__, getattr(i, "id", None)) for i in items] == [("Article", "story")]
    # named, they are read: the README as text, the list as URLs (refused: loopback addresses)
    (readme,) = read_articles([tmp_path / "README.md"])
    assert isinstance(readme, Article)
    refused = list(read_articles([tmp_path / "urls.txt"]))
    assert [e.source for e in refused] == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
