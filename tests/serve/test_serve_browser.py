"""The pages in a real browser (Debian's chromium through Playwright): what a person sees and clicks.

Screenshots of each page go to $NEWSGRAPH_SCREENSHOTS when it is set (``make screenshots`` writes the ones
the README shows into docs/screenshots/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servekit import CHROMIUM, FLAGS, shoot

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def marked_text(page, mark_id: str) -> str:
    """The text of every segment a mark covers, joined (the whole marked span)."""
    return page.evaluate(
        """(id) => Array.from(document.querySelectorAll('#text .m[data-marks]'))
            .filter((s) => s.dataset.marks.split(' ').includes(id)).map((s) => s.textContent).join('')""",
        mark_id,
    )


def test_article_page_marks_every_attribution_with_hover_details(page, client):
    record = client.get("/api/v1/articles/ribeiro-tokyo-visit").json()
    page.goto("/articles/ribeiro-tokyo-visit")
    text = record["text"]
    for i, attribution in enumerate(record["attributions"]):
        start, end = attribution["content"]
        assert marked_text(page, f"a{i}") == text[start:end]
        cue_start, cue_end = attribution["cue"]
        assert marked_text(page, f"a{i}c") == text[cue_start:cue_end]
    assert page.locator("#attributions tbody tr").count() == 4
    # Hover the words of Ribeiro's quote: the details name her, her role, the kind and the via chain.
    page.locator("#text .m-content", has_text="serves both peoples").first.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    quote = tip.locator(".tip-content")
    assert quote.locator("dd[data-field=speaker]").inner_text() == "Ana Ribeiro"
    assert quote.locator("dd[data-field=role]").inner_text() == "Foreign Minister"
    assert quote.locator("dd[data-field=kind]").inner_text() == "mixed"
    assert quote.locator("dd[data-field=via]").inner_text() == "Kyodo News"
    highlighted = page.evaluate(
        "Array.from(document.querySelectorAll('#text .active')).map(s => s.textContent).join('')"
    )
    assert highlighted == marked_text(page, "a0") and highlighted.startswith("Portugal will")
    shoot(page, "article")
    # Keyboard focus shows the same details: a place resolved to GeoNames, a date normalised.
    tokyo = page.locator("#text .m-place", has_text="Tokyo").first
    tokyo.focus()
    assert "1850147" in tip.inner_text()
    page.locator("#text .m-time", has_text="Wednesday").first.focus()
    assert tip.locator("dd[data-field=value]").first.inner_text() == "2024-03-13"
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_article_page_lists_removed_furniture_and_same_story(page, client):
    page.goto("/articles/asahi-gcap-italy-defense-minister")
    furniture = page.locator("#furniture li.furniture").all_inner_texts()
    assert any(line.startswith("By NAOKI FUJISAWA") for line in furniture)
    page.goto("/articles/ntb-mackerel")
    link = page.locator("#same-story a", has_text="Iceland and Norway agree on mackerel monitoring")
    link.click()
    assert page.locator("h1#title").inner_text() == "Iceland and Norway agree on mackerel monitoring"


def test_search_facets_and_filters_change_the_results(page, client):
    page.goto("/search")
    page.fill("#search-form input[name=q]", "minister")
    page.click("#search-form button")
    page.wait_for_url(re.compile(r"q=minister"))
    total = page.locator("#results > li").count()
    expected = client.get("/api/v1/search", params={"q": "minister", "limit": 25}).json()["items"]
    assert total == len(expected) > 1
    shoot(page, "search")
    # An outlet whose name is inside no other outlet's (the filter matches a part of the name).
    outlets = page.locator("[data-facet=outlet] li a").all_inner_texts()
    chosen = next(o for o in outlets if not any(o != other and o in other for other in outlets))
    facet = page.locator("[data-facet=outlet] li", has=page.locator(f"a[data-value='{chosen}']"))
    outlet = facet.locator("a").inner_text()
    count = int(facet.locator(".count").inner_text())
    facet.locator("a").click()
    page.wait_for_url(re.compile(r"outlet="))
    rows = page.locator("#results > li")
    assert rows.count() == count < total
    assert all(outlet in text for text in rows.locator(".meta").all_inner_texts())
    page.goto("/search?since=yesterday")
    assert "since" in page.locator("#error-message").inner_text()


def test_speaker_page_chart_counts_quotes_by_month(page, client):
    page.goto("/")
    link = page.locator("#speakers a").first
    name = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/entities/"))
    key = page.url.rsplit("/", 1)[1]
    top = client.get(f"/api/v1/entities/{key}").json()
    assert page.locator("#entity-name").inner_text() == name == top["name"]
    bars = page.locator("#quotes-chart g.bar")
    drawn = {bar.get_attribute("data-label"): int(bar.get_attribute("data-count")) for bar in bars.all()}
    expected = {c["month"]: c["quotes"] for c in top["by_month"] if c["month"]}
    assert {k: v for k, v in drawn.items() if v} == expected
    assert sum(drawn.values()) == top["attributions"] == int(page.locator("#quote-total").inner_text())
    heights = {
        bar.get_attribute("data-label"): float(bar.locator("rect").get_attribute("height"))
        for bar in bars.all()
    }
    most = max(expected, key=expected.get)
    assert heights[most] == max(heights.values())
    via = {
        row.get_attribute("data-via") or None: int(row.locator("td.count").inner_text())
        for row in page.locator("#by-via tr").all()
    }
    assert via == {c["via"]: c["quotes"] for c in top["by_via"]}
    assert page.locator("#quotes > li").count() == top["attributions"]
    shoot(page, "speaker")


def test_events_timeline_table_and_filters(page, client):
    page.goto("/events")
    counts = client.get("/api/v1/events/timeline").json()
    drawn = {
        b.get_attribute("data-label"): int(b.get_attribute("data-count"))
        for b in page.locator("#event-timeline g.bar").all()
    }
    by_month: dict[str, int] = {}
    for c in counts:
        by_month[c["month"]] = by_month.get(c["month"], 0) + c["reports"]
    assert {m: n for m, n in drawn.items() if n} == by_month
    totals = {
        row.get_attribute("data-type"): int(row.locator("td.total").inner_text())
        for row in page.locator("#event-counts tbody tr").all()
    }
    assert totals["CONSULT"] == sum(c["reports"] for c in counts if c["type"] == "CONSULT") > 0
    shoot(page, "events")
    page.fill("#event-filters input[name=type]", "CONSULT")
    page.click("#event-filters button")
    page.wait_for_url(re.compile(r"type=CONSULT"))
    rows = page.locator("#event-table tbody tr")
    assert {row.get_attribute("data-type") for row in rows.all()} == {"CONSULT"}
    consults = client.get("/api/v1/events", params={"type": "CONSULT", "limit": 50}).json()["items"]
    assert rows.count() == len(consults)


def test_map_draws_a_marker_per_place_sized_by_count_and_clicks_through(page, client):
    features = client.get("/api/v1/places").json()["features"]
    page.goto("/places")
    markers = page.locator("#map a.marker")
    assert markers.count() == len(features)
    assert page.locator("#map path.land").get_attribute("d").count("M") > 100
    radii = {
        int(m.get_attribute("data-geonameid")): float(m.locator("circle").get_attribute("r"))
        for m in markers.all()
    }
    biggest = max(features, key=lambda f: f["properties"]["articles"])["properties"]
    assert radii[biggest["geonameid"]] == max(radii.values())
    shoot(page, "map")
    # Click the biggest marker that no other marker covers at its centre, as a person would.
    target = page.evaluate(
        """() => Array.from(document.querySelectorAll('#map a.marker')).map((a) => {
            const box = a.querySelector('circle').getBoundingClientRect();
            const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return top && top.closest('a.marker') === a ? a.dataset.geonameid : null;
        }).find((id) => id !== null)"""
    )
    place = next(f["properties"] for f in features if str(f["properties"]["geonameid"]) == target)
    page.locator(f"#map a.marker[data-geonameid='{target}'] circle").click()
    page.wait_for_url(re.compile(rf"place={target}"))
    assert page.locator("#results > li").count() == min(25, place["articles"])


def test_home_shows_new_articles_while_another_process_writes(page, served_db, pipeline):
    from newsgraph.schema import Article
    from newsgraph.store import Store

    page.goto("/")
    assert page.locator("#latest li").count() > 5
    shoot(page, "home")
    fresh = Article(
        text="The harbour master said on Monday that the new ferry terminal in Bergen would open in May.",
        id="live-ferry-terminal",
        title="Bergen ferry terminal to open in May",
        outlet="Example Wire",
        published="2024-10-07",
    )
    with Store(served_db) as store:
        store.save(pipeline.analyze([fresh]))
    page.locator("#latest li.new a", has_text="Bergen ferry terminal to open in May").wait_for(timeout=10_000)
    assert page.locator("#latest li").first.inner_text().startswith("Bergen ferry terminal")


INJECTED = """() => {
  const ours = (s) => (s.src && s.src.endsWith('/static/app.js')) || s.id === 'marks-data';
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    scripts: Array.from(document.scripts).filter((s) => !ours(s)).length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick], iframe, img, style').length,
    jsLinks: Array.from(document.querySelectorAll('a[href]')).filter(
      (a) => a.getAttribute('href').trim().toLowerCase().startsWith('javascript')).length,
  };
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=minister",
        "/search?q=pwned",
        "/articles/hostile-%3Csvg%20onload=alert(1)%3E",
        "/articles/hostile-two",
        "/events",
        "/places",
    ],
)
def test_hostile_articles_are_shown_and_nothing_runs(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200
    page.wait_for_timeout(300)
    found = page.evaluate(INJECTED)
    assert found == {"pwned": None, "scripts": 0, "handlers": 0, "jsLinks": 0}
    assert page.dialogs == []


def test_hostile_article_text_is_shown_literally(page):
    page.goto("/articles/hostile-%3Csvg%20onload=alert(1)%3E")
    assert page.locator("h1#title").inner_text().startswith("<script>window.__pwned = 'title'</script>")
    assert "<img src=x onerror=" in page.locator("#text").inner_text()
    assert page.locator("#source-url").inner_text() == "javascript:window.__pwned='url'"
    assert page.locator("#source-link").count() == 0
    for mark in page.locator("#text .m[data-marks]").all()[:40]:
        mark.hover()
    assert page.evaluate(INJECTED)["pwned"] is None
    assert page.dialogs == []
