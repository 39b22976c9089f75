"""HTML extraction for news: furniture never reaches the text, and pages' own metadata is read right.

Fixture pages are written for these tests (tests/fixtures/extraction); date pages are built per case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.schema import Article, Record, normalise_text
from newsgraph.sources import read_articles
from newsgraph.sources.cleanup import (
    clean_authors,
    furniture_rule,
    prune_furniture,
    split_dateline,
    text_key,
)
from newsgraph.sources.html import read_html
from newsgraph.sources.language import detect_language, function_word_language
from newsgraph.sources.published import find_published, headline_date, text_date, url_date

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
SAMPLE_HTML = Path(__file__).parent.parent / "src" / "newsgraph" / "data" / "sample" / "html"
FERRY = FIXTURES / "harbour-wire-ferry.html"

# Everything on the ferry page that is page furniture, by kind.
FERRY_FURNITURE = {
    "translation banner": ["Powered by automated translation", "machine-translated"],
    "caption": ["Passengers board the last ferry", "We used to sleep on the benches", "Photo by Ana Costa",
                "speaks to reporters", "The night service is a lifeline", "A ferry leaves the Cais do Sodre"],
    "related links": ["Read more", "subsidies are not a blank cheque", "no crossings without contracts",
                      "Related", "a ferry every hour", "we have been forgotten", "night routes lose money",
                      "City council debates"],
    "newsletter and share": ["Sign up", "newsletter", "Share this story", "Subscribe", "Email the author"],
    "byline, dateline, section": ["MARIA LOPES", "Staff Writer", "LISBON, March 14", "(Harbour Wire)",
                                  "Business\n"],
    "footer": ["All rights reserved"],
}  # fmt: skip


def read_page(path: Path, **options: object) -> Article:
    (item,) = list(read_articles([str(path)], **options))  # type: ignore[arg-type]
    assert isinstance(item, Article), item
    return item


def page(tmp_path: Path, head: str = "", body: str = "", name: str = "page.html") -> Path:
    """Write a small news page with the given head and article-header markup before a fixed body."""
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            "The regional water board approved a new reservoir on the Alder river after a two-year review "
            "of its cost and of the farmland it will flood.",
            '"We need the storage before the next dry summer," board chair Ines Duarte said after the vote.',
            "Construction is due to start in the autumn and take about four years, the board said.",
        )
    )
    path = tmp_path / name
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Board approves reservoir</title>'
        f"{head}</head><body><article><h1>Board approves reservoir</h1>{body}{paragraphs}</article>"
        "</body></html>",
        encoding="utf-8",
    )
    return path


# --- furniture -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(FERRY_FURNITURE))
def test_no_furniture_reaches_the_text(kind: str) -> None:
    article = read_page(FERRY)
    for furniture in FERRY_FURNITURE[kind]:
        assert furniture not in article.text, furniture


def test_article_paragraphs_survive_whole_and_in_order() -> None:
    paragraphs = read_page(FERRY).text.split("\n\n")
    assert [p.split()[0] for p in paragraphs] == ["Ferry", '"Night', "The", "Union", "The"]
    assert paragraphs[0].startswith("Ferry operators on the Tagus agreed on Thursday")
    assert paragraphs[-1].endswith("without a direct link after 10 p.m.")


def test_removed_furniture_is_reported_in_metadata() -> None:
    metadata = read_page(FERRY).metadata
    assert metadata["dateline"] == "LISBON, March 14 (Harbour Wire)"
    assert "Read more:" in metadata["furniture"]
    assert {"caption", "newsletter", "related links", "section label"} <= set(metadata["furniture_elements"])


def test_ferry_metadata() -> None:
    article = read_page(FERRY, published="2024-03-01")
    assert article.title == "Ferry operators agree to restore night crossings"
    assert article.outlet == "Harbour Wire"
    assert article.url == "https://harbourwire.example/business/ferry-night-crossings"
    # "Maria Lopes in Lisbon": the place is not part of the name
    assert article.authors == ["Maria Lopes"]
    assert article.language == "en"
    # the page has no date of its own (its copyright year is not one): the reference date applies
    assert article.published == "2024-03-01"
    assert article.metadata["published_from"] == "reference"


@pytest.mark.slow
def test_no_attribution_comes_from_furniture(pipeline) -> None:
    article = read_page(FERRY, published="2024-03-14")
    (record,) = list(pipeline.analyze([article]))
    assert isinstance(record, Record)
    said = [record.article.text[a.content[0] : a.content[1]] for a in record.attributions]
    speakers = {a.speaker_name for a in record.attributions}
    # the real quotes are found...
    assert any("Night workers should not have to choose" in content for content in said), said
    assert any("judge it by the timetable" in content for content in said), said
    # ...and none from captions or linked headlines
    for furniture in (
        "sleep on the benches",
        "lifeline",
        "blank cheque",
        "forgotten",
        "lose money",
        "every hour",
    ):
        assert not any(furniture in content for content in said), (furniture, said)
    assert "Rui Sousa" not in speakers


@pytest.mark.parametrize(
    "name", sorted(path.name for path in SAMPLE_HTML.glob("*.html")) if SAMPLE_HTML.is_dir() else []
)
def test_sample_pages_leak_no_prompts_captions_or_labels(name: str) -> None:
    article = read_page(SAMPLE_HTML / name)
    leaks = ("Sign up", "newsletter", "Register", "Share this", "Powered by", "Read more", "(Mainichi)")
    captions = ("Last updated", "Daisuke Mori", "shake hands")
    for furniture in leaks + captions:
        assert furniture not in article.text, furniture
    first = article.text.split("\n\n")[0]
    assert len(first.split()) > 8, first  # no section label ("Politics", "Japan") before the story


def test_asahi_sample_byline_gives_the_author_in_title_case() -> None:
    article = read_page(SAMPLE_HTML / "asahi-gcap-italy-defense-minister.html")
    assert article.authors == ["Naoki Fujisawa"]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Lesen Sie auch: Die Fähre fährt wieder", "read-more line"),
        ("Leggi anche", "read-more line"),
        ("SEE MORE: Ferry strike ends after talks", "read-more line"),
        ("Watch: Ferry strike ends after talks", "labelled link"),
        ("Plane passengers quarantined after outbreak [NEWS]", "tagged link"),
        ("(Last updated 11:20 JST)", "timestamp line"),
        ("Updated at 1:23 p.m.", "timestamp line"),
        ("(Mainichi)", "sign-off"),
        ("Sign up", "button"),
        ("- Order Reprints", "button"),
        ("|---|---|---|", "no words"),
        ("Write to Al Root at al.root@example.com", "contact the author"),
    ],
)
def test_more_furniture_lines(line: str, rule: str) -> None:
    assert furniture_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Updated figures show exports rose 4% in March, the ministry said.",
        "(The ministry did not say how many ships were involved.)",
        "Sign up drives by the union doubled its membership last year, organisers said.",
        "More than 40 people were hurt [police said], the agency reported.",
    ],
)
def test_sentences_like_furniture_stay(line: str) -> None:
    assert furniture_rule(line) is None


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    | st.text(alphabet=" \t\n\x0b\x1caB.é\u00a0\u2003ﬁ", max_size=20)
)
def test_link_and_line_keys_are_the_normalised_text(text: str) -> None:
    # the ASCII shortcut gives what normalise_text gives, so lines still meet the links they repeat
    assert text_key(text) == normalise_text(text)


def test_pruning_keeps_an_article_wrapper_whatever_its_class() -> None:
    import lxml.html

    tree = lxml.html.fromstring(
        '<html><body><div class="share-story-container"><p>'
        + "Long article text about the harbour and its workers. " * 20
        + '</p></div><div class="share-bar"><a href="#">Share</a></div></body></html>'
    )
    assert prune_furniture(tree) == ["share"]
    assert "harbour and its workers" in tree.text_content()


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("TOKYO, May 16 (Reuters) - Japan agreed", "TOKYO, May 16 (Reuters)", "Japan agreed"),
        ("WASHINGTON (AP) — The Senate voted", "WASHINGTON (AP)", "The Senate voted"),
        ("SEOUL -- North Korea fired", "SEOUL", "North Korea fired"),
        ("Tokyo, 17 May 2024 (Lusa) - Portugal and Japan", "Tokyo, 17 May 2024 (Lusa)", "Portugal and Japan"),
        ("US - China talks resumed on Monday", None, "US - China talks resumed on Monday"),
        ("Trade officials - the ministry said - met", None, "Trade officials - the ministry said - met"),
    ],
)
def test_datelines(paragraph: str, dateline: str | None, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By NAOKI FUJISAWA/ Staff Writer", ["Naoki Fujisawa"]),
        ("Kim Lee, Seoul", ["Kim Lee"]),
        ("Maria Lopes in Tokyo", ["Maria Lopes"]),
        ("Maria Lopes, Tom Reyes and Ana Silva", ["Maria Lopes", "Tom Reyes", "Ana Silva"]),
        ("Email the author", []),
        ("View all posts by Tom Reyes", []),
        ("NHK World News", []),
        ("By Associated Press", []),
    ],
)
def test_author_names_without_places_roles_or_prompts(byline: str, names: list[str]) -> None:
    assert clean_authors(byline) == names


def test_json_ld_authors_skip_organisations(tmp_path: Path) -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Board approves reservoir",'
        ' "author": [{"@type": "Person", "name": "Ines Duarte"},'
        ' {"@type": "Organization", "name": "Alder Post"}],'
        ' "publisher": {"@type": "Organization", "name": "Alder Post"}}</script>'
    )
    article = read_page(page(tmp_path, head=head))
    assert article.authors == ["Ines Duarte"]
    assert article.outlet == "Alder Post"


def test_byline_element_beside_a_date(tmp_path: Path) -> None:
    body = '<div class="byline"><span>By Tom Reyes</span> <span>12.04.2024, 09:30</span></div>'
    assert read_page(page(tmp_path, body=body)).authors == ["Tom Reyes"]


@pytest.mark.parametrize(
    "element",
    [
        '<p class="c-ByLine">By Tom Reyes</p>',
        '<span class="meta POST-AUTHOR">Tom Reyes</span>',
        '<span itemprop="author">Tom Reyes</span>',
        '<a rel="author" href="/staff/reyes">Tom Reyes</a>',
    ],
)
def test_byline_elements_are_found_by_class_in_any_case_microdata_or_link(
    tmp_path: Path, element: str
) -> None:
    assert read_page(page(tmp_path, body=f"<div>{element}</div>")).authors == ["Tom Reyes"]


def test_an_element_whose_class_only_looks_like_a_byline_gives_no_author(tmp_path: Path) -> None:
    body = '<p class="skyline-banner">Tom Reyes</p>'
    assert read_page(page(tmp_path, body=body)).authors == []


# --- publication dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "published", "origin"),
    [
        # only a <time> element in the byline
        ("", '<p class="meta">By Ines Duarte <time datetime="2023-06-02T08:15:00+02:00">2 June</time></p>',
         "2023-06-02T08:15:00+02:00", "time"),
        # only JSON-LD, late in the evening in New York (the next day in UTC)
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
         '"datePublished": "2022-11-30T23:45:00-05:00"}</script>', "",
         "2022-11-30T23:45:00-05:00", "json-ld"),
        # only meta tags
        ('<meta property="article:published_time" content="2021-04-09T06:00:00+09:00">'
         '<meta property="article:modified_time" content="2021-04-12T10:00:00+09:00">', "",
         "2021-04-09T06:00:00+09:00", "meta"),
        # meta in UTC, the same instant shown in local time in the header: the local offset is kept
        ('<meta property="article:published_time" content="2023-11-09T02:11:03Z">',
         '<p><time datetime="2023-11-08T21:11:03-05:00">November 8, 2023</time></p>',
         "2023-11-08T21:11:03-05:00", "time"),
        # ... or as a bare local time: the offset is worked out (-08:00)
        ('<meta property="article:published_time" content="2023-11-09T01:49:09+00:00">',
         '<p><time datetime="2023-11-08 17:49:09">November 8, 2023 at 5:49 p.m.</time></p>',
         "2023-11-08T17:49:09-08:00", "meta"),
        # a date printed under the headline, nothing else
        ("", "<p>Von Ines Duarte | 14.03.2024</p>", "2024-03-14", "headline"),
    ],
)  # fmt: skip
def test_publication_date_and_offset(
    tmp_path: Path, head: str, body: str, published: str, origin: str
) -> None:
    article = read_page(page(tmp_path, head=head, body=body))
    assert article.published == published
    assert article.metadata["published_from"] == origin


def test_only_a_url_date(tmp_path: Path) -> None:
    path = page(tmp_path)
    article = read_html(path, path.read_bytes(), url="https://alderpost.example/news/2020/02/29/reservoir/")
    assert article.published == "2020-02-29"
    assert article.metadata["published_from"] == "url"
    assert article.url == "https://alderpost.example/news/2020/02/29/reservoir/"


def test_explicit_metadata_beats_an_id_that_looks_like_a_date_in_the_url() -> None:
    # the URL .../2024/05/6c1e2f0a9d4b-... is not 6 May: the page says 16 May, 21:48 JST
    article = read_page(SAMPLE_HTML / "kyodo-japan-portugal-maritime-pact.html")
    assert article.published == "2024-05-16T21:48:00+09:00"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.example/2024/05/16/talks/", "2024-05-16"),
        ("https://x.example/news/2024-05-16-talks", "2024-05-16"),
        ("https://x.example/20240516/p2a/00m", "2024-05-16"),
        ("https://x.example/news/2024/05/6c1e2f0a9d4b-talks.html", None),
        ("https://x.example/2023/10/3-questions-for-the-minister/", None),
        ("https://x.example/2024/05/talks", None),
        ("https://x.example/2024/02/30/", None),
    ],
)
def test_url_dates_are_read_strictly(url: str, day: str | None) -> None:
    found = url_date(url)
    assert (found.isoformat() if found else None) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Published 14.03.2024, 09:30", "2024-03-14"),
        ("March 14, 2024 at 9:30 a.m.", "2024-03-14"),
        ("14 de marzo de 2024", "2024-03-14"),
        ("14. März 2024", "2024-03-14"),
        ("le 3 février 2023", "2023-02-03"),
        ("03/04/2024", None),
        ("about 2,024 people", None),
    ],
)
def test_dates_written_in_text(text: str, day: str | None) -> None:
    found = text_date(text)
    assert (found.isoformat() if found else None) == day


def test_headline_date_reads_only_near_the_headline() -> None:
    import lxml.html

    filler = "<p>" + "The board met again to discuss the plan. " * 10 + "</p>"
    near = lxml.html.fromstring(f"<html><body><h1>Board</h1><p>12 May 2021</p>{filler}</body></html>")
    far = lxml.html.fromstring(f"<html><body><h1>Board</h1>{filler}<p>12 May 2021</p></body></html>")
    assert headline_date(near) is not None and headline_date(near).isoformat() == "2021-05-12"
    assert headline_date(far) is None


def test_a_page_without_any_date_has_none(tmp_path: Path) -> None:
    assert find_published(page(tmp_path).read_text(encoding="utf-8")) is None


# --- language ------------------------------------------------------------------------------------

FRENCH = (
    "Le conseil régional a approuvé jeudi la construction d'un nouveau réservoir sur la rivière, après deux "
    "ans d'études sur son coût et sur les terres agricoles qu'il inondera. Les travaux commenceront à "
    "l'automne et dureront environ quatre ans, a précisé la présidente du conseil."
)
GERMAN = (
    "Der Wasserverband hat am Donnerstag den Bau eines neuen Speichersees beschlossen. Zwei Jahre lang "
    "waren die Kosten und die überfluteten Felder geprüft worden. Die Arbeiten sollen im Herbst beginnen "
    "und etwa vier Jahre dauern, sagte die Vorsitzende."
)


ENGLISH = (
    "The regional water board approved a new reservoir on Thursday after two years of studies of its cost "
    "and of the farmland it will flood. Work will start in the autumn and take about four years."
)


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (GERMAN, "de"), (ENGLISH, "en")])
def test_language_is_detected_in_the_text(text: str, code: str) -> None:
    # the declared language loses to what the text is written in
    assert detect_language(text, declared="ja") == code


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (GERMAN, "de"), (ENGLISH, "en")])
def test_common_languages_are_told_by_their_function_words(text: str, code: str) -> None:
    assert function_word_language(text) == code


DUTCH = (
    "Het waterschap heeft donderdag besloten een nieuw spaarbekken aan te leggen bij de rivier. Het plan "
    "was twee jaar in voorbereiding en de kosten zijn hoger dan eerst werd gedacht, zei de voorzitter. Die "
    "kosten worden gedeeld met de provincie."
)
SPANISH = (
    "El consejo regional aprobó el jueves la construcción de un nuevo embalse en el río, después de dos años "
    "de estudios sobre su coste y sobre las tierras que inundará. Las obras comenzarán en otoño y durarán "
    "unos cuatro años."
)
ITALIAN = (
    "Il consiglio regionale ha approvato giovedì la costruzione di un nuovo bacino sul fiume, dopo due anni "
    "di studi sui costi e sui terreni agricoli che saranno allagati. I lavori inizieranno in autunno e "
    "dureranno circa quattro anni."
)
# Japanese with English names in it: the English words alone must not make it English.
JAPANESE = (
    "県の水道局は木曜日、川の近くに新しい貯水池を建設する計画を承認した。Alder River Water Board の "
    "Ines Duarte 委員長は the next dry summer までに完成させたいと述べ、工事は秋に始まり、およそ四年かかる"
    "見通しだという。費用と農地への影響について二年間の調査が行われた。"
)


@pytest.mark.parametrize(
    ("text", "code"), [(DUTCH, "nl"), (SPANISH, "es"), (ITALIAN, "it"), (JAPANESE, "ja")]
)
def test_other_languages_and_scripts_are_left_to_the_detector(text: str, code: str) -> None:
    assert function_word_language(text) is None
    assert detect_language(text, declared="en") == code


def test_short_text_keeps_the_declared_language() -> None:
    assert detect_language("Oui.", declared="fr-FR") == "fr"
    assert detect_language("", declared=None) == "en"


def test_page_language_is_the_texts_not_the_templates(tmp_path: Path) -> None:
    path = tmp_path / "fr.html"
    path.write_text(
        '<html lang="en"><head><meta charset="utf-8"><title>Réservoir</title></head><body><article>'
        f"<h1>Le conseil approuve le réservoir</h1><p>{FRENCH}</p><p>{FRENCH}</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_page(path)
    assert article.language == "fr"
    assert article.metadata["declared_language"] == "en"


@pytest.mark.parametrize(
    ("declared", "text", "code"), [("en", GERMAN, "de"), ("de", ENGLISH, "en"), ("de", DUTCH, "nl")]
)
def test_a_wrongly_declared_page_language_loses_to_the_text(
    tmp_path: Path, declared: str, text: str, code: str
) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        f'<html lang="{declared}"><head><meta charset="utf-8"><title>Reservoir</title></head><body><article>'
        f"<h1>Reservoir</h1><p>{text}</p><p>{text}</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_page(path)
    assert article.language == code
    assert article.metadata["declared_language"] == declared


def test_an_index_page_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(
        "<html><body><ul>"
        + "".join(f'<li><a href="/{i}">Story {i}</a></li>' for i in range(20))
        + "</ul></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no article text found"):
        read_html(path, path.read_bytes())
