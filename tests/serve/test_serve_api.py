"""The JSON API over a real store on a real HTTP server: contract paths, filters, pagination, downloads,
the one error shape, and writes through the ingest path."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsgraph.store import entity_key

pytestmark = pytest.mark.slow

ERROR_KEYS = {"ok", "status", "error", "errors"}


def assert_error(response, status: int, parameter: str | None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status
    if parameter is not None:
        assert parameter in [e["parameter"] for e in body["errors"]]
        assert parameter in body["error"]


def test_quotes_by_speaker_carry_the_reporting_chain(client):
    items = client.get("/api/v1/quotes", params={"speaker": "Ribeiro"}).json()["items"]
    ribeiro = [q for q in items if q["speaker_name"] == "Ana Ribeiro"]
    assert len(ribeiro) == 1
    quote = ribeiro[0]
    assert [v["name"] for v in quote["via"]] == ["Kyodo News"]
    assert quote["kind"] == "mixed"
    assert quote["role"] == "Foreign Minister"
    assert quote["speaker_entity"] == entity_key("Ana Ribeiro", "PERSON")
    assert quote["speaker_type"] == "PERSON"
    assert quote["cue_text"] == "was quoted as saying"
    assert quote["article"]["id"] == "ribeiro-tokyo-visit" and quote["article"]["outlet"] == "Lusa"
    record = client.get(f"/api/v1/articles/{quote['article']['key']}").json()
    start, end = quote["content"]
    assert record["text"][start:end] == quote["content_text"]
    assert quote["content_text"].startswith("Portugal will")


def test_quote_filters_narrow_the_results(client):
    everything = client.get("/api/v1/quotes", params={"limit": 500}).json()["items"]
    for name, value, check in [
        ("via", "kyodo", lambda q: any("kyodo" in v["name"].lower() for v in q["via"])),
        ("kind", "direct", lambda q: q["kind"] == "direct"),
        ("outlet", "lusa", lambda q: "lusa" in (q["article"]["outlet"] or "").lower()),
        ("since", "2025-01", lambda q: (q["article"]["published"] or "") >= "2025-01"),
        ("until", "2024-06", lambda q: "" < (q["article"]["published"] or "")[:7] <= "2024-06"),
    ]:
        found = client.get("/api/v1/quotes", params={name: value, "limit": 500}).json()["items"]
        assert found and all(check(q) for q in found), name
        assert len(found) == sum(1 for q in everything if check(q)), name
    by_id = client.get("/api/v1/quotes", params={"speaker": entity_key("Kenji Ota", "PERSON")}).json()[
        "items"
    ]
    assert len(by_id) == 2 and {q["speaker_name"] for q in by_id} == {"Kenji Ota"}
    text = client.get("/api/v1/quotes", params={"q": "partnership"}).json()["items"]
    assert text and all("partnership" in q["content_text"].lower() for q in text)


def test_cursor_pagination_walks_every_item_once(client):
    everything = client.get("/api/v1/quotes", params={"limit": 500}).json()
    assert everything["next"] is None
    seen: list[str] = []
    url = "/api/v1/quotes?limit=7"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 7
        seen.extend((q["article"]["key"], q["content"][0]) for q in page["items"])
        url = page["next"]
    assert seen == [(q["article"]["key"], q["content"][0]) for q in everything["items"]]
    articles = client.get("/api/v1/articles", params={"limit": 4}).json()
    second = client.get(articles["next"]).json()
    assert not {a["key"] for a in articles["items"]} & {a["key"] for a in second["items"]}


@pytest.mark.parametrize(
    "path", ["quotes", "articles", "entities", "events", "places", "stories", "search?q=minister"]
)
def test_every_list_downloads_as_csv_and_jsonl(client, path):
    sep = "&" if "?" in path else "?"
    lines = client.get(f"/api/v1/{path}{sep}format=jsonl").text.splitlines()
    rows = [json.loads(line) for line in lines]
    as_csv = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/{path}{sep}format=csv").text)))
    assert len(rows) == len(as_csv) > 0
    page = client.get(f"/api/v1/{path}{sep}limit=500").json()
    listed = page["items"] if "items" in page else page["features"]
    assert len(listed) == len(rows)


def test_article_is_the_whole_jsonl_record(client):
    record = client.get("/api/v1/articles/ribeiro-tokyo-visit").json()
    assert {"text", "entities", "attributions", "events", "places", "times", "claims"} <= set(record)
    assert len(record["attributions"]) == 4
    assert_error(client.get("/api/v1/articles/no-such-article"), 404, None)


def test_entity_detail_counts_quotes_by_month_outlet_and_via(client):
    key = entity_key("Ana Ribeiro", "PERSON")
    entity = client.get(f"/api/v1/entities/{key}").json()
    assert "Ms Ribeiro" in entity["aliases"]
    assert entity["roles"] == ["Foreign Minister"]
    assert entity["by_month"] == [{"month": "2024-03", "quotes": 1}]
    assert entity["by_outlet"] == [{"outlet": "Lusa", "quotes": 1}]
    assert entity["by_via"] == [{"via": "Kyodo News", "quotes": 1}]
    listed = client.get("/api/v1/entities", params={"name": "ribeiro", "type": "person"}).json()["items"]
    assert [e["id"] for e in listed] == [key]
    assert_error(client.get("/api/v1/entities/0123456789abcdef"), 404, None)


def test_events_places_and_stories(client):
    events = client.get("/api/v1/events", params={"type": "consult", "limit": 500}).json()["items"]
    assert events and {e["type"] for e in events} == {"CONSULT"}
    assert all(e["num_reports"] == len(e["reports"]) >= 1 for e in events)
    hedged = client.get("/api/v1/events", params={"hedged": "true", "limit": 500}).json()["items"]
    assert hedged and all(any(r["hedged"] for r in e["reports"]) for e in hedged)
    jpn = client.get("/api/v1/events", params={"country": "JPN", "limit": 500}).json()["items"]
    assert jpn and all("JPN" in (e["actor_country"], e["target_country"]) for e in jpn)
    places = client.get("/api/v1/places").json()
    assert places["type"] == "FeatureCollection"
    tokyo = next(f for f in places["features"] if f["properties"]["geonameid"] == 1850147)
    lon, lat = tokyo["geometry"]["coordinates"]
    assert 139 < lon < 140.5 and 35 < lat < 36
    naming = client.get("/api/v1/articles", params={"place": 1850147, "limit": 500}).json()["items"]
    assert len(naming) == tokyo["properties"]["articles"]
    stories = client.get("/api/v1/stories").json()["items"]
    mackerel = next(s for s in stories if set(s["outlets"]) == {"NTB", "RUV"})
    assert len(mackerel["members"]) == 2


def test_search_ranks_and_snippets(client):
    hits = client.get("/api/v1/search", params={"q": "mackerel"}).json()["items"]
    assert {h["id"] for h in hits} == {"ntb-mackerel", "ruv-mackerel"}
    assert all("[" in h["snippet"] for h in hits)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/quotes?since=yesterday", "since"),
        ("/api/v1/events?until=2024-13-99x", "until"),
        ("/api/v1/search?q=%22unclosed", "q"),
        ("/api/v1/quotes?q=AND%20OR", "q"),
        ("/api/v1/quotes?speakr=Ribeiro", "speakr"),
        ("/api/v1/quotes?kind=shouted", "kind"),
        ("/api/v1/quotes?limit=0", "limit"),
        ("/api/v1/quotes?cursor=not-a-cursor", "cursor"),
        ("/api/v1/articles?place=tokyo", "place"),
        ("/api/v1/articles?ingested_after=soon", "ingested_after"),
        ("/api/v1/search", "q"),
    ],
)
def test_bad_parameters_are_400s_naming_the_parameter(client, url, parameter):
    assert_error(client.get(url), 400, parameter)


def test_health_and_openapi(client):
    assert client.get("/healthz").json()["ok"] is True
    spec = client.get("/openapi.json").json()
    for path in [
        "quotes",
        "articles",
        "articles/{ref}",
        "entities",
        "entities/{key}",
        "events",
        "places",
        "stories",
        "search",
    ]:
        assert f"/api/v1/{path}" in spec["paths"], path
    speaker = next(p for p in spec["paths"]["/api/v1/quotes"]["get"]["parameters"] if p["name"] == "speaker")
    assert speaker["examples"]["name"]["value"] == "Ribeiro"


def test_writes_need_the_key_and_go_through_ingest(client):
    article = {
        "id": "api-posted",
        "title": "Posted through the API",
        "outlet": "Example Wire",
        "published": "2024-09-02",
        "text": "NHK said the minister met Prime Minister Kishida in Tokyo on Monday.",
    }
    assert_error(client.post("/api/v1/articles", json=article), 401, "X-API-Key")
    assert_error(
        client.post("/api/v1/articles", json=article, headers={"X-API-Key": "wrong"}), 401, "X-API-Key"
    )
    created = client.post("/api/v1/articles", json=article, headers={"X-API-Key": "test-key"})
    assert created.status_code == 201, created.text
    record = client.get(created.json()["url"]).json()
    assert record["id"] == "api-posted" and record["attributions"][0]["speaker_name"] == "NHK"
    again = client.post("/api/v1/articles", json=article, headers={"X-API-Key": "test-key"})
    assert again.status_code == 200 and again.json()["skipped"] == 1
    assert_error(
        client.post("/api/v1/articles", json={"title": "no text"}, headers={"X-API-Key": "test-key"}),
        400,
        "text",
    )
