"""The read queries the API serves: filters, keyset pages, entity detail, places, and errors that name
the parameter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, Via
from newsgraph.store import QueryError, Store, entity_key, places_geojson
from newsgraph.store.params import Page, encode_cursor

TOKYO = (1850147, 35.6895, 139.69171, "JP")
LISBON = (2267057, 38.71667, -9.13333, "PT")


def article(
    id: str,
    published: str | None,
    outlet: str | None,
    speaker: str,
    said: str,
    *,
    kind: str = "indirect",
    via: str | None = None,
    role: str | None = None,
    event: tuple[str, str, str, bool] | None = None,
    place: tuple[int, float, float, str] | None = None,
) -> Record:
    """One article: '<speaker> said <said>', with an optional event (type, actor, target country, hedged)
    placed at ``place``."""
    text = f"{speaker} said {said}"
    start = len(speaker) + 6
    entities = [Entity("e1", speaker, "PERSON", [speaker.split()[-1]], [(0, len(speaker))], role)]
    places = []
    events = []
    if place is not None:
        geonameid, lat, lon, country = place
        name = "Tokyo" if geonameid == TOKYO[0] else "Lisbon"
        confidence = 0.9 if name == "Tokyo" else 0.4
        places.append(
            Place(
                "p1",
                (start, start + 4),
                name,
                geonameid,
                lat,
                lon,
                country,
                True,
                admin1=name,
                confidence=confidence,
            )
        )
    if event is not None:
        type, actor, target, hedged = event
        events.append(
            Event(
                (len(speaker) + 1, len(speaker) + 5),
                type,
                actor="e1",
                actor_name=speaker,
                actor_country=actor,
                target_name=target,
                target_country=target,
                hedged=hedged,
                place="p1" if places else None,
                reported_by=0,
            )
        )
    return Record(
        article=Article(
            text=text, id=id, url=f"https://news.example/{id}", outlet=outlet, published=published, title=id
        ),
        entities=entities,
        attributions=[
            Attribution(
                content=(start, len(text)),
                kind=kind,
                source=(0, len(speaker)),
                cue=(len(speaker) + 1, len(speaker) + 5),
                speaker="e1",
                speaker_name=speaker,
                role=role,
                via=[Via(via)] if via else [],
            )
        ],
        events=events,
        places=places,
    )


RECORDS = [
    article(
        "jan",
        "2024-01-10",
        "Kyodo News",
        "Ana Ribeiro",
        "fisheries talks with Japan went well.",
        kind="direct",
        role="Foreign Minister",
        event=("CONSULT", "PRT", "JPN", False),
        place=TOKYO,
    ),
    article(
        "feb",
        "2024-02-05",
        "Japan Times",
        "Ana Ribeiro",
        "a maritime pact was close.",
        via="Kyodo News",
        event=("AGREE", "PRT", "JPN", True),
        place=TOKYO,
    ),
    article("feb2", "2024-02-20", "NHK", "Kenji Ota", "the typhoon had passed.", kind="mixed", place=LISBON),
    article("mar", "2024-03-01", "NHK", "Ana Ribeiro", "the fisheries pact was signed.", via="NHK World"),
    article("undated", None, None, "Kenji Ota", "rice prices would rise."),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "news.db") as opened:
        opened.save(RECORDS)
        yield opened


def all_pages(fetch, limit: int) -> list[Page]:
    pages = [fetch(cursor=None, limit=limit)]
    while pages[-1].next is not None:
        pages.append(fetch(cursor=pages[-1].next, limit=limit))
    return pages


# -- quotes ----------------------------------------------------------------------------------------


def ids(page: Page) -> list[str]:
    return [row.article_id for row in page.items]


def test_quote_filters(store: Store) -> None:
    assert ids(store.quote_page()) == ["mar", "feb2", "feb", "jan", "undated"]
    assert ids(store.quote_page(speaker="ribeiro")) == ["mar", "feb", "jan"]
    assert ids(store.quote_page(speaker=entity_key("Kenji Ota", "PERSON"))) == ["feb2", "undated"]
    assert ids(store.quote_page(via="kyodo")) == ["feb"]
    assert ids(store.quote_page(outlet="nhk")) == ["mar", "feb2"]
    assert ids(store.quote_page(kind="direct")) == ["jan"]
    assert ids(store.quote_page(q="fisheries")) == ["mar", "jan"]
    assert ids(store.quote_page(since="2024-02", until="2024-02")) == ["feb2", "feb"]
    assert ids(store.quote_page(speaker="Ribeiro", via="NHK", q="pact")) == ["mar"]


def test_a_quote_row_carries_speaker_entity_cue_and_article(store: Store) -> None:
    (row,) = store.quote_page(since="2024-01-10", until="2024-01-10").items
    data = row.to_dict()
    assert data["speaker_entity"] == entity_key("Ana Ribeiro", "PERSON")
    assert (data["speaker_name"], data["role"], data["kind"], data["cue_text"]) == (
        "Ana Ribeiro",
        "Foreign Minister",
        "direct",
        "said",
    )
    assert data["content_text"] == "fisheries talks with Japan went well."
    assert data["article"]["outlet"] == "Kyodo News" and data["article"]["published"] == "2024-01-10"


def test_quote_pages_cover_the_list_once_even_while_articles_arrive(store: Store) -> None:
    first = store.quote_page(limit=2)
    assert ids(first) == ["mar", "feb2"] and first.next
    # A newer article stored between two requests does not shift the next page.
    store.save([article("apr", "2024-04-01", "NHK", "Kenji Ota", "the storm was over.")])
    rest = all_pages(lambda cursor, limit: store.quote_page(cursor=cursor or first.next, limit=limit), 2)
    assert [i for page in rest for i in ids(page)] == ["feb", "jan", "undated"]
    assert rest[-1].next is None


@pytest.mark.parametrize(
    ("filters", "param"),
    [
        ({"since": "March 2024"}, "since"),
        ({"until": "2024-02-30"}, "until"),
        ({"since": "2024-13"}, "since"),
        ({"q": '"unbalanced'}, "q"),
        ({"q": "AND OR"}, "q"),
        ({"kind": "rumour"}, "kind"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": encode_cursor("quotes", [["2024"], {}, 1])}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
    ],
)
def test_bad_quote_parameters_are_named(store: Store, filters: dict, param: str) -> None:
    with pytest.raises(QueryError) as caught:
        store.quote_page(**filters)
    assert caught.value.param == param and param in str(caught.value)


def test_a_cursor_of_another_list_is_refused(store: Store) -> None:
    cursor = store.article_page(limit=1).next
    with pytest.raises(QueryError, match="cursor"):
        store.quote_page(cursor=cursor)


def test_hostile_filter_values_are_data_not_sql(store: Store) -> None:
    for value in ("' OR 1=1 --", "x" * 10_000, "Ribeiro'); DROP TABLE articles; --"):
        assert store.quote_page(speaker=value).items == []
        assert store.article_page(outlet=value).items == []
    assert store.stats()["articles"] == 5


# -- articles, search ------------------------------------------------------------------------------


def test_article_list_filters_and_pages(store: Store) -> None:
    assert [row.id for row in store.article_page().items] == ["mar", "feb2", "feb", "jan", "undated"]
    assert [row.id for row in store.article_page(outlet="NHK").items] == ["mar", "feb2"]
    assert [row.id for row in store.article_page(since="2024-02-10").items] == ["mar", "feb2"]
    assert [row.id for row in store.article_page(q="typhoon").items] == ["feb2"]
    assert [row.id for row in store.article_page(place=TOKYO[0]).items] == ["feb", "jan"]
    pages = all_pages(lambda cursor, limit: store.article_page(cursor=cursor, limit=limit), 2)
    assert [row.id for page in pages for row in page.items] == ["mar", "feb2", "feb", "jan", "undated"]
    row = store.article_page(outlet="Kyodo").items[0]
    assert (row.attributions, row.events, row.url) == (1, 1, "https://news.example/jan")


def test_articles_ingested_after_a_time(store: Store) -> None:
    stamp = store.article_page().items[0].ingested_at
    assert store.article_page(ingested_after=stamp).items == []
    assert len(store.article_page(ingested_after="2000-01-01").items) == 5


def test_search_pages_and_strict_syntax(store: Store) -> None:
    pages = all_pages(
        lambda cursor, limit: store.search_page("pact OR fisheries", cursor=cursor, limit=limit), 2
    )
    assert sorted(hit.id for page in pages for hit in page.items) == ["feb", "jan", "mar"]
    assert [hit.id for hit in store.search_page("pact", outlet="NHK").items] == ["mar"]
    with pytest.raises(QueryError) as caught:
        store.search_page('pact"')
    assert caught.value.param == "q"
    # The command line's search keeps reading such a query as a phrase of its words.
    assert [hit.id for hit in store.search('maritime pact"')] == ["feb"]


# -- entities ----------------------------------------------------------------------------------------


def test_entity_list_pages_and_detail(store: Store) -> None:
    rows = store.entity_page().items
    assert [(r.name, r.articles, r.attributions) for r in rows] == [
        ("Ana Ribeiro", 3, 3),
        ("Kenji Ota", 2, 2),
    ]
    pages = all_pages(lambda cursor, limit: store.entity_page(cursor=cursor, limit=limit), 1)
    assert [r.name for page in pages for r in page.items] == ["Ana Ribeiro", "Kenji Ota"]
    assert [r.name for r in store.entity_page(name="ota").items] == ["Kenji Ota"]
    # Counts kept at write time: a record seen again changes nothing, a new one counts once.
    store.save(RECORDS)
    store.save([article("apr", "2024-04-02", "NHK", "Kenji Ota", "the storm had passed.")])
    counts = [(r.name, r.articles, r.attributions) for r in store.entity_page().items]
    assert counts == [("Ana Ribeiro", 3, 3), ("Kenji Ota", 3, 3)]

    detail = store.entity(rows[0].key)
    assert detail is not None
    assert (detail.name, detail.aliases, detail.roles) == ("Ana Ribeiro", ["Ribeiro"], ["Foreign Minister"])
    assert detail.by_month == [("2024-01", 1), ("2024-02", 1), ("2024-03", 1)]
    assert detail.by_outlet == [("Japan Times", 1), ("Kyodo News", 1), ("NHK", 1)]
    assert detail.by_via == [(None, 1), ("Kyodo News", 1), ("NHK World", 1)]
    assert detail.to_dict()["by_via"][1] == {"via": "Kyodo News", "quotes": 1}
    assert store.entity("0000000000000000") is None


# -- events, places ----------------------------------------------------------------------------------


def test_event_filters_and_pages(store: Store) -> None:
    assert [g.type for g in store.event_page().items] == ["AGREE", "CONSULT"]
    assert [g.type for g in store.event_page(hedged=True).items] == ["AGREE"]
    assert [g.type for g in store.event_page(type="consult").items] == ["CONSULT"]
    assert [g.type for g in store.event_page(target_country="JPN", since="2024-02").items] == ["AGREE"]
    assert store.event_page(actor_country="JPN").items == []
    pages = all_pages(lambda cursor, limit: store.event_page(cursor=cursor, limit=limit), 1)
    assert [g.type for page in pages for g in page.items] == ["AGREE", "CONSULT"]
    with pytest.raises(QueryError, match="until"):
        store.event_page(until="soon")


def test_places_are_counted_for_a_map(store: Store) -> None:
    rows = store.places()
    assert [(r.name, r.articles, r.mentions) for r in rows] == [("Tokyo", 2, 2), ("Lisbon", 1, 1)]
    assert [r.name for r in store.places(event_type="AGREE")] == ["Tokyo"]
    assert [r.name for r in store.places(since="2024-02-10")] == ["Lisbon"]
    assert [r.name for r in store.places(admin1="lisbon")] == ["Lisbon"]
    assert [r.name for r in store.places(min_confidence=0.5)] == ["Tokyo"]
    with pytest.raises(QueryError, match="min_confidence"):
        store.places(min_confidence="high")  # type: ignore[arg-type]
    collection = places_geojson(rows)
    assert collection["type"] == "FeatureCollection"
    tokyo = collection["features"][0]
    assert tokyo["geometry"] == {"type": "Point", "coordinates": [TOKYO[2], TOKYO[1]]}
    assert tokyo["properties"]["articles"] == 2 and tokyo["properties"]["admin1"] == "Tokyo"


def test_event_pages_group_across_their_edges_like_the_whole_list(tmp_path: Path) -> None:
    # Reports dated only by publication join an event of the day before; pages of one event each must
    # still list the same events, with the same reports, as the whole list does.
    def report(id: str, published: str | None, type: str, speaker: str, actor: str) -> Record:
        said = f"the two sides met ({id})."
        return article(id, published, "NHK", speaker, said, event=(type, actor, "JPN", False))

    records = [
        report(f"c{day}", f"2024-01-{day}", "CONSULT", "Ana Ribeiro", "PRT") for day in (10, 11, 12, 20)
    ]
    records += [
        report("c11b", "2024-01-11", "CONSULT", "Ana Ribeiro", "PRT"),
        report("agree", "2024-01-11", "AGREE", "Ana Ribeiro", "PRT"),
        report("accuse", "2024-01-20", "ACCUSE", "Li Wei", "CHN"),
        report("undated", None, "ACCUSE", "Li Wei", "CHN"),
    ]
    with Store(tmp_path / "news.db") as store:
        store.save(records)
        whole = [(g.type, g.date, sorted(r.article_id for r in g.reports)) for g in store.events(limit=None)]
        for size in (1, 2, 3):
            pages = all_pages(lambda cursor, limit: store.event_page(cursor=cursor, limit=limit), size)
            paged = [
                (g.type, g.date, sorted(r.article_id for r in g.reports)) for p in pages for g in p.items
            ]
            assert paged == whole, size
    # Newest first; two events of one day with as many reports come in a fixed, arbitrary order.
    assert sorted(whole[:2]) == [("ACCUSE", "2024-01-20", ["accuse"]), ("CONSULT", "2024-01-20", ["c20"])]
    assert whole[2:] == [
        ("AGREE", "2024-01-11", ["agree"]),
        ("CONSULT", "2024-01-10", ["c10", "c11", "c11b", "c12"]),
        ("ACCUSE", None, ["undated"]),
    ]


def test_quotes_command_filters_by_outlet_and_kind(store: Store) -> None:
    from click.testing import CliRunner

    from newsgraph.cli import main

    args = ["quotes", "--db", str(store.path), "--outlet", "nhk", "--kind", "mixed", "--format", "jsonl"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["article"] for line in lines] == ["feb2"]
    bad = CliRunner().invoke(main, ["quotes", "--db", str(store.path), "--since", "2024-02-30"])
    assert bad.exit_code == 1 and "since must be an ISO date" in bad.output
