"""Publication dates written for readers (year-first, Chinese, Japanese and Korean forms; "published"
labels), metadata fields beyond the usual ones, and pages whose article needs JavaScript to show."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.html import read_html
from newsgraph.sources.textdates import labelled_date, text_date

BODY = (
    "<p>The regional water board approved a new reservoir on the Alder river after a two-year review of its "
    "cost and of the farmland it will flood.</p><p>Construction is due to start in the autumn and take about "
    "four years, the board said.</p>"
)


def read(tmp_path: Path, head: str = "", header: str = "", body: str = BODY, after: str = "") -> Article:
    path = tmp_path / "page.html"
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Board approves reservoir</title>'
        f"{head}</head><body><article><h1>Board approves reservoir</h1>{header}{body}</article>{after}"
        "</body></html>",
        encoding="utf-8",
    )
    return read_html(path, path.read_bytes())


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024年3月14日 9時30分", "2024-03-14"),
        ("２０２４年３月１４日 １８時０５分", "2024-03-14"),  # full-width digits
        ("发布时间：2024年03月14日 09:30", "2024-03-14"),
        ("입력 2024.03.14 08:41", "2024-03-14"),
        ("2024년 3월 14일 오전 8시", "2024-03-14"),
        ("2024/03/14 10:15", "2024-03-14"),  # year first: not ambiguous
        ("2024-03-14", "2024-03-14"),
        ("2024.03/14", None),  # separators that do not match
        ("03/14/2024", None),  # month or day first with slashes: ambiguous
        ("version 2024.13.1", None),
    ],
)
def test_year_first_and_east_asian_dates(text: str, day: str | None) -> None:
    found = text_date(text)
    assert (found.isoformat() if found else None) == day


def labelled(markup: str) -> str | None:
    found = labelled_date(lxml.html.fromstring(f"<html><body>{markup}</body></html>"))
    return found.isoformat() if found else None


def test_a_labelled_date_below_the_headline() -> None:
    assert labelled("<h1>Wasser</h1><p>Text.</p><p>Erstellt am: 01.11.2023</p>") == "2023-11-01"
    assert labelled("<h1>Board</h1><span>Posted on March 14, 2024 by admin</span>") == "2024-03-14"
    assert labelled("<h1>码头启用</h1><div>发布时间：2024-03-14 09:30</div>") == "2024-03-14"
    assert labelled("<h1>Board</h1><p>Updated 15.03.2024</p>") is None  # not the publication
    assert labelled("<h1>Board</h1><p>Published by the board in its 2024 report.</p>") is None
    # a teaser list far below the article is not the page's date
    filler = "<p>" + "The board met again to discuss the plan. " * 100 + "</p>"
    assert labelled(f"<h1>Board</h1>{filler}<li>veröffentlicht am Januar 20, 2022</li>") is None
    # above the headline: only what follows it counts
    assert labelled("<p>Published 02.02.2020</p><h1>Board</h1>") is None


def test_a_labelled_date_beats_a_metadata_date_written_month_first(tmp_path: Path) -> None:
    # 11/01/2023 is 1 November to the page's US-made template, 11 January to a day-first reader
    article = read(
        tmp_path,
        head='<meta name="date" content="11/01/2023 12:43:42">',
        after="<aside><p>Erstellt am: 01.11.2023</p></aside>",
    )
    assert article.published == "2023-11-01"
    assert article.metadata["published_from"] == "label"


def test_a_generic_date_meta_field_is_a_stated_date(tmp_path: Path) -> None:
    # htmldate's 1 January answers are dropped unless the page states that day; <meta name="date"> does
    article = read(tmp_path, head='<meta name="date" content="2023-01-01T14:11:58+01:00">')
    assert article.published == "2023-01-01T14:11:58+01:00"


def test_a_chinese_byline_date_is_read(tmp_path: Path) -> None:
    article = read(tmp_path, header="<p>2024年03月14日 09:30　来源：海港日报</p>")
    assert article.published == "2024-03-14"
    assert article.metadata["published_from"] == "headline"


SCRIPT_APP = '<div id="app"></div><noscript>You need to enable JavaScript to run this app.</noscript>'
DESCRIPTION = (
    "While both governments faced a challenging year, the harbour city's leaders shrewdly used the "
    "ferry dispute to win back voters, writes our columnist."
)


def test_an_article_that_needs_javascript_is_read_from_its_metadata(tmp_path: Path) -> None:
    head = (
        '<meta property="og:type" content="article">'
        f'<meta property="og:description" content="{DESCRIPTION}">'
        '<meta property="article:published_time" content="2020-01-20T10:00:08+08:00">'
    )
    article = read(tmp_path, head=head, body=SCRIPT_APP)
    assert article.text == DESCRIPTION
    assert article.metadata["text_from"] == "description"
    assert article.published == "2020-01-20T10:00:08+08:00"
    body = "The board approved the reservoir.\nWork starts in the autumn and takes four years, it said."
    json_ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Board approves reservoir", '
        f'"articleBody": "{body.replace(chr(10), chr(92) + "n")}"}}</script>'
    )
    article = read(tmp_path, head=json_ld + head, body=SCRIPT_APP)
    assert article.text == body.replace("\n", "\n\n")
    assert article.metadata["text_from"] == "json-ld"


def test_an_app_page_that_does_not_declare_an_article_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article text found"):
        read(tmp_path, head=f'<meta name="description" content="{DESCRIPTION}">', body=SCRIPT_APP)
    with pytest.raises(InputError, match="no article text found"):  # too short to be the article
        head = '<meta property="og:type" content="article"><meta name="description" content="Board news">'
        read(tmp_path, head=head, body=SCRIPT_APP)
