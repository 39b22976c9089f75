"""Fuzzing the record codec and every query filter of the store (issue 15).

The codec: any record saved comes back equal. The filters: whatever a user types into a filter (the
command line's options, the API's query parameters), the store answers with rows or a named error
(QueryError names the parameter), never another exception and never a hang.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import CHARS, DATES

from fuzz.harness import FUZZ_SETTINGS, FuzzTally
from newsgraph.store import Store
from store_killer import killer_record
from test_store import _records

pytestmark = pytest.mark.issue(15)

# What a filter may be given: text as a terminal or a URL delivers it (decoded, so no lone surrogates),
# with FTS5 operators, SQL and LIKE wildcards, quotes and dates well represented.
NASTY = st.sampled_from(
    [
        '"',
        "'",
        "%",
        "_",
        "*",
        "(",
        ")",
        "AND",
        "OR NOT",
        "NEAR(",
        ":",
        "^",
        "\\",
        "--",
        "; DROP TABLE articles",
        "\x00",
        "ribeiro",
        "Kyodo",
        "2024-03",
        "e1",
        "🙂",
        " ",
        "",
    ]
)
FILTER = st.one_of(st.none(), st.text(CHARS, max_size=30), NASTY, st.lists(NASTY, max_size=4).map(" ".join))
DATE_FILTER = st.one_of(DATES, FILTER)
LIMIT = st.one_of(st.none(), st.integers(-5, 2000))
CURSOR = st.one_of(st.none(), st.text(CHARS, max_size=40), st.sampled_from(["", "WyJxIiwxXQ", "e30"]))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("fuzz-store") / "news.db"
    with Store(path) as writing:
        writing.save([killer_record(i) for i in range(30)])
        writing.record_errors(
            [("a.txt", "read", "empty file", None), ("b.txt", "analyse", "failed", "report it")]
        )
    opened = Store(path, read_only=True)
    yield opened
    opened.close()


def rows(result: object) -> list[object]:
    items = getattr(result, "items", result)
    if isinstance(items, tuple):  # errors(): (rows, total)
        items = items[0]
    assert isinstance(items, list)
    return items


@FUZZ_SETTINGS
@given(record=_records())
def test_record_codec_round_trips(tally: FuzzTally, tmp_path: Path, record) -> None:
    path = tmp_path / "codec.db"
    path.unlink(missing_ok=True)

    def round_trip() -> object:
        with Store(path) as fresh:
            fresh.save([record])
            back = fresh.get(record.article.key)
        assert back is not None
        expected = json.dumps(record.to_dict(), sort_keys=True, ensure_ascii=False)
        assert json.dumps(back.to_dict(), sort_keys=True, ensure_ascii=False) == expected
        return back

    tally.call("record codec", round_trip)


@FUZZ_SETTINGS
@given(speaker=FILTER, via=FILTER, since=DATE_FILTER, until=DATE_FILTER, search=FILTER, limit=LIMIT)
def test_quote_filters(tally: FuzzTally, store: Store, speaker, via, since, until, search, limit) -> None:
    tally.call(
        "filters: quotes",
        lambda: rows(
            store.quotes(speaker=speaker, via=via, since=since, until=until, search=search, limit=limit)
        ),
    )


@FUZZ_SETTINGS
@given(
    speaker=FILTER,
    via=FILTER,
    outlet=FILTER,
    kind=FILTER,
    q=FILTER,
    since=DATE_FILTER,
    cursor=CURSOR,
    limit=LIMIT,
)
def test_quote_page_filters(
    tally: FuzzTally, store: Store, speaker, via, outlet, kind, q, since, cursor, limit
) -> None:
    page = dict(speaker=speaker, via=via, outlet=outlet, kind=kind, q=q, since=since, cursor=cursor)
    tally.call("filters: quote pages", lambda: rows(store.quote_page(**page, limit=limit if limit else 50)))


@FUZZ_SETTINGS
@given(
    type=FILTER,
    actor=FILTER,
    target=FILTER,
    country=FILTER,
    since=DATE_FILTER,
    until=DATE_FILTER,
    cursor=CURSOR,
)
def test_event_filters(
    tally: FuzzTally, store: Store, type, actor, target, country, since, until, cursor
) -> None:
    filters = dict(type=type, actor=actor, target=target, country=country, since=since, until=until)
    tally.call("filters: events", lambda: rows(store.events(**filters, limit=20)))
    tally.call("filters: event pages", lambda: rows(store.event_page(**filters, cursor=cursor, limit=20)))


@FUZZ_SETTINGS
@given(type=FILTER, name=FILTER, country=FILTER, cursor=CURSOR, limit=LIMIT)
def test_entity_filters(tally: FuzzTally, store: Store, type, name, country, cursor, limit) -> None:
    tally.call("filters: entities", lambda: rows(store.entities(type=type, name=name, limit=limit)))
    page = dict(type=type, name=name, country=country, cursor=cursor)
    tally.call("filters: entity pages", lambda: rows(store.entity_page(**page, limit=limit if limit else 50)))


@FUZZ_SETTINGS
@given(q=FILTER, outlet=FILTER, since=DATE_FILTER, until=DATE_FILTER, cursor=CURSOR, limit=LIMIT)
def test_search_filters(tally: FuzzTally, store: Store, q, outlet, since, until, cursor, limit) -> None:
    tally.call("filters: search", lambda: rows(store.search(q or "", limit=limit)))
    page = dict(outlet=outlet, since=since, until=until, cursor=cursor)
    tally.call(
        "filters: search pages",
        lambda: rows(store.search_page(q or "", **page, limit=limit if limit else 20)),
    )


@FUZZ_SETTINGS
@given(
    outlet=FILTER,
    since=DATE_FILTER,
    q=FILTER,
    place=st.one_of(st.none(), st.integers()),
    after=DATE_FILTER,
    cursor=CURSOR,
    country=FILTER,
    event_type=FILTER,
)
def test_article_place_and_error_filters(
    tally: FuzzTally, store: Store, outlet, since, q, place, after, cursor, country, event_type
) -> None:
    page = dict(outlet=outlet, since=since, q=q, place=place, ingested_after=after, cursor=cursor)
    tally.call("filters: article pages", lambda: rows(store.article_page(**page, limit=20)))
    tally.call(
        "filters: places",
        lambda: rows(store.places(country=country, outlet=outlet, event_type=event_type, since=since)),
    )
    tally.call("filters: errors", lambda: rows(store.errors(since=since, stage=event_type, limit=20)))
