"""A Spanish article ingested through Apertium, as the API and the article page show it (issue 17): the
translation's provenance, the original beside the English, and each quote pointing at its original sentence.

The browser tests drive Debian's chromium like tests/serve/test_serve_browser.py; the screenshot goes to
$NEWSGRAPH_SCREENSHOTS when it is set (``make screenshots``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.translate.apertium import Apertium
from servekit import CHROMIUM, FLAGS, Server, free_port, shoot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("apertium") is None or "es" not in Apertium().languages(),
        reason="Apertium with its Spanish-English pair is not installed (make setup installs it)",
    ),
]

# A short Spanish news story and an English one, written for these tests.
NOTA = (
    "La ministra chilena de Exteriores, Carmen Rojas, llegó el lunes a Madrid para negociar un acuerdo sobre "
    "el cobre, según la agencia Efe.\n\n"
    "«Queremos un acuerdo justo para los dos países», dijo la señora Rojas a los periodistas en el "
    "aeropuerto. El Gobierno español no respondió a las preguntas sobre la visita."
)
STORY = (
    "The Danish transport minister Lars Holm opened a new rail bridge in Odense on Friday. "
    '"This bridge cuts the journey to Copenhagen by twenty minutes," Holm told reporters.'
)
QUOTE_ORIGINAL = "«Queremos un acuerdo justo para los dos países», dijo la señora Rojas a los periodistas"


@pytest.fixture(scope="module")
def translated_server(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    from newsgraph.serve import create_app

    folder = tmp_path_factory.mktemp("translated")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "rojas-madrid.txt").write_text(NOTA, encoding="utf-8")
    (inputs / "holm-bridge.txt").write_text(STORY, encoding="utf-8")
    db = folder / "news.db"
    result = CliRunner().invoke(main, ["ingest", str(inputs), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    with Server(create_app(db, pipeline=pipeline), free_port()) as running:
        yield running


@pytest.fixture()
def api(translated_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=translated_server.url, timeout=30) as http:
        yield http


def test_api_gives_the_translation_its_provenance_and_each_quotes_original_sentence(api) -> None:  # type: ignore[no-untyped-def]
    record = api.get("/api/v1/articles/rojas-madrid").json()
    assert record["language"] == "es"
    translation = record["translation"]
    assert translation["source_language"] == "es" and translation["engine"] == "apertium"
    assert "spa-eng" in translation["engine_version"] and translation["unknown_words"] == 0
    assert translation["original_text"] == NOTA
    assert "Carmen Rojas" in record["text"] and "acuerdo" not in record["text"]
    assert len(translation["sentences"]) == 3
    rojas = next(a for a in record["attributions"] if a["speaker_name"] == "Carmen Rojas")
    start, end = rojas["original"]
    assert NOTA[start:end].startswith(QUOTE_ORIGINAL)
    for place in record["places"]:
        start, end = place["original"]
        assert place["name"] == "Madrid" and "Madrid" in NOTA[start:end]
    # The OpenAPI document describes what the record carries.
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    assert {
        "source_language",
        "engine",
        "engine_version",
        "unknown_words",
        "original_text",
        "sentences",
    } <= set(schemas["Translation"]["properties"])
    for name in ("Attribution", "Place", "Event", "TimeRef"):
        assert "original" in schemas[name]["properties"], name


def test_list_endpoints_carry_the_language_and_filter_by_it(api) -> None:  # type: ignore[no-untyped-def]
    articles = api.get("/api/v1/articles").json()["items"]
    assert {a["id"]: a["language"] for a in articles} == {"rojas-madrid": "es", "holm-bridge": "en"}
    spanish = api.get("/api/v1/articles", params={"language": "es"}).json()["items"]
    assert [a["id"] for a in spanish] == ["rojas-madrid"]
    quotes = api.get("/api/v1/quotes", params={"language": "es"}).json()["items"]
    assert quotes and {q["article"]["language"] for q in quotes} == {"es"}
    assert "Carmen Rojas" in {q["speaker_name"] for q in quotes}
    english = api.get("/api/v1/quotes", params={"language": "EN"}).json()["items"]
    assert {q["speaker_name"] for q in english} == {"Lars Holm"}
    bad = api.get("/api/v1/articles", params={"language": "español"})
    assert bad.status_code == 400 and "language" in bad.text
    # Search finds the article by its original words and by the translation's.
    for words in ("cobre", "copper"):
        hits = api.get("/api/v1/search", params={"q": words}).json()["items"]
        assert [h["id"] for h in hits] == ["rojas-madrid"], words


@pytest.fixture()
def page(translated_server: Server) -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(base_url=translated_server.url, viewport={"width": 1280, "height": 800})
        opened = context.new_page()
        opened.set_default_timeout(15_000)
        yield opened
        browser.close()


def aligned(page, side: str) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "(side) => Array.from(document.querySelectorAll(side + ' .aligned'))"
        ".map((s) => s.textContent).join('')",
        side,
    )


@pytest.mark.browser
def test_article_page_shows_the_original_and_lights_up_a_quotes_source_sentence(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/articles/rojas-madrid")
    info = page.locator("#translation-info")
    assert page.locator("#source-language").inner_text() == "es"
    assert "apertium" in page.locator("#engine").inner_text()
    assert "0 unknown words" in info.inner_text()
    original = page.locator("#original")
    assert original.get_attribute("lang") == "es"
    assert original.inner_text().replace("\n", "") == NOTA.replace("\n", "")
    # The original sits beside the translation, not below it.
    text_box, original_box = page.locator("#text").bounding_box(), original.bounding_box()
    assert original_box["x"] > text_box["x"] + text_box["width"] - 1
    assert aligned(page, "#original") == ""
    # Hover Ms Rojas' quote: its original sentence lights up, and only that one.
    page.locator("#text .m-content", has_text="just agreement").first.hover()
    assert aligned(page, "#original").startswith(QUOTE_ORIGINAL)
    assert "Efe" not in aligned(page, "#original")
    shoot(page, "translated")
    # Keyboard focus on another sentence's mark moves the highlight to that sentence's original.
    page.mouse.move(5, 5)
    assert aligned(page, "#original") == ""
    page.locator("#text .m-place", has_text="Madrid").first.focus()
    assert aligned(page, "#original").startswith("La ministra chilena")
    # Pointing at a plain sentence of the translation, and at a sentence of the original, works both ways.
    page.locator("#text .s", has_text="did not answer").first.hover()
    assert aligned(page, "#original") == "El Gobierno español no respondió a las preguntas sobre la visita."
    page.locator("#original .s", has_text="El Gobierno").hover()
    assert "Spanish Government did not answer" in aligned(page, "#text")


@pytest.mark.browser
def test_an_english_article_has_no_original_panel(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/articles/holm-bridge")
    assert page.locator("#text").is_visible()
    assert page.locator("#original").count() == 0 and page.locator("#translation-info").count() == 0
