"""The SQLite store, on real SQLite files: round trips, duplicates, queries, migrations, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import StoreError
from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, TimeRef, Via
from newsgraph.store import EntityRow, QueryError, SaveResult, Store, entity_key, text_hash
from newsgraph.store.migrations import MIGRATIONS, apply_migrations, create_tables

REPO = Path(__file__).resolve().parent.parent


def _span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return (start, start + len(part))


def visit_record() -> Record:
    """An invented article with every kind of fact, spans computed from the text."""
    text = (
        "Foreign Minister Élodie Marchand left Oslo on Wednesday after a two-day visit. France will "
        '"work for a fair fisheries deal," Ms Marchand was quoted as saying by the NTB agency. '
        "Aftenposten said the minister met Prime Minister Støre for an hour on Tuesday. "
        '"We value this partnership," spokesman Lars Berg said. '
        "Talks are thought to have continued in Bergen."
    )
    return Record(
        article=Article(
            text=text,
            id="oslo-visit",
            title="Marchand ends Oslo visit",
            url="https://news.example/oslo-visit",
            outlet="Example News",
            authors=["A. Writer", "B. Writer"],
            published="2024-03-14",
            language="en",
            metadata={"source": "feed", "words": 61, "score": 0.5, "tags": ["fisheries", None, True]},
        ),
        entities=[
            Entity(
                "e1",
                "Élodie Marchand",
                "PERSON",
                ["Ms Marchand", "the minister"],
                [_span(text, "Élodie Marchand"), _span(text, "Ms Marchand")],
                "Foreign Minister",
            ),
            Entity("e2", "NTB", "ORG", [], [_span(text, "NTB")]),
            Entity("e3", "Aftenposten", "ORG", [], [_span(text, "Aftenposten")]),
            Entity("e4", "Lars Berg", "PERSON", [], [_span(text, "Lars Berg")], "spokesman"),
        ],
        attributions=[
            Attribution(
                content=_span(text, 'France will "work for a fair fisheries deal,'),
                kind="mixed",
                source=_span(text, "Ms Marchand"),
                cue=_span(text, "was quoted as saying"),
                speaker="e1",
                speaker_name="Élodie Marchand",
                role="Foreign Minister",
                via=[Via("NTB", _span(text, "NTB"), "e2")],
            ),
            Attribution(
                content=_span(text, "the minister met Prime Minister Støre for an hour on Tuesday"),
                kind="indirect",
                source=_span(text, "Aftenposten"),
                cue=_span(text, "said"),
                speaker="e3",
                speaker_name="Aftenposten",
            ),
            Attribution(
                content=_span(text, "We value this partnership,"),
                kind="direct",
                source=_span(text, "Lars Berg"),
                cue=_span(text, "said", 1),
                speaker="e4",
                speaker_name="Lars Berg",
                role="spokesman",
            ),
        ],
        events=[
            Event(_span(text, "met"), "CONSULT", actor="e1", place="p1", time="t2"),
            Event(_span(text, "continued"), "CONSULT", place="p2", hedged=True, candidate=True),
        ],
        places=[
            Place("p1", _span(text, "Oslo"), "Oslo", 3143244, 59.91273, 10.74609, "NO", True),
            Place("p2", _span(text, "Bergen"), "Bergen"),
        ],
        times=[
            TimeRef("t1", _span(text, "Wednesday"), "Wednesday", "2024-03-13"),
            TimeRef("t2", _span(text, "Tuesday"), "Tuesday", "2024-03-12"),
            TimeRef("t3", _span(text, "two-day"), "two-day", "P2D", "DURATION"),
        ],
        claims=[Attribution(content=_span(text, "Talks are thought to have continued in Bergen"))],
    )


def simple_record(
    text: str,
    *,
    id: str,
    speaker: str = "Kenji Ota",
    aliases: tuple[str, ...] = (),
    via: str | None = None,
    published: str | None = "2024-03-14",
    title: str | None = None,
) -> Record:
    """A record with one speaker entity and one attribution covering the text after 'said '."""
    start = text.index("said ") + len("said ")
    return Record(
        article=Article(text=text, id=id, url=f"https://news.example/{id}", published=published, title=title),
        entities=[Entity("e1", speaker, "PERSON", list(aliases), [(0, len(speaker))])],
        attributions=[
            Attribution(
                content=(start, len(text)),
                kind="indirect",
                source=(0, len(speaker)),
                cue=(start - 5, start - 1),
                speaker="e1",
                speaker_name=speaker,
                via=[Via(via)] if via else [],
            )
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "news.db") as opened:
        yield opened


def raw_query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Run ``sql`` on a second, plain SQLite connection: what any other reader of the file would see."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def as_json(record: Record) -> str:
    """The JSONL form: stricter than ==, which cannot tell False from 0 or a tuple from a list."""
    return json.dumps(record.to_dict(), ensure_ascii=False)


# -- round trips ---------------------------------------------------------------------------------


def test_record_comes_back_equal_by_key_id_url_and_iteration(store: Store) -> None:
    record = visit_record()
    assert store.save([record]) == SaveResult(added=1, skipped=0)

    for ref in (record.article.key, "oslo-visit", "https://news.example/oslo-visit"):
        got = store.get(ref)
        assert got == record
        assert got is not None and as_json(got) == as_json(record)
    assert [as_json(r) for r in store.iter_records()] == [as_json(record)]
    assert store.get("no-such-article") is None


def test_stats_count_every_kind_of_fact(store: Store) -> None:
    store.save([visit_record()])
    assert store.stats() == {
        "articles": 1,
        "entities": 4,
        "attributions": 3,
        "claims": 1,
        "events": 2,
        "places": 2,
        "times": 3,
    }


def test_iter_records_orders_by_published_then_key(store: Store) -> None:
    records = [
        simple_record("Ota said March news.", id="m", published="2024-03-01"),
        simple_record("Ota said January news.", id="j", published="2024-01-15"),
        simple_record("Ota said other January news.", id="j2", published="2024-01-15"),
        simple_record("Ota said undated news.", id="u", published=None),
    ]
    store.save(records)
    got = [r.article.id for r in store.iter_records()]
    january = sorted(["j", "j2"], key=lambda i: next(r.article.key for r in records if r.article.id == i))
    assert got == ["u", *january, "m"]


def test_fields_a_newer_schema_adds_are_kept(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # A field the store has no column for yet goes to the row's extra JSON instead of being dropped.
    original = Event.to_dict
    monkeypatch.setattr(Event, "to_dict", lambda self: {**original(self), "confidence": 0.75})
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(Event, "from_dict", classmethod(lambda cls, data: seen.append(data) or Event((0, 1))))
    store.save([visit_record()])
    store.get("oslo-visit")
    assert [d["confidence"] for d in seen] == [0.75, 0.75]


# -- property tests ------------------------------------------------------------------------------

_chars = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be encoded as UTF-8
_texts = st.text(_chars, max_size=400)
_short = st.text(_chars, max_size=20)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _short,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_short, inner, max_size=4),
    max_leaves=12,
)
_articles = st.builds(
    Article,
    text=_texts,
    id=st.none() | _short,
    title=st.none() | _short,
    url=st.none() | _short,
    outlet=st.none() | _short,
    authors=st.lists(_short, max_size=3),
    published=st.none() | st.dates().map(lambda d: d.isoformat()) | _short,
    # Article.from_dict reads an empty language as "en", so "" is not a language an Article keeps.
    language=st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=3),
    metadata=st.dictionaries(_short, _json, max_size=5),
)


@st.composite
def _records(draw: st.DrawFn) -> Record:
    article = draw(_articles)
    n = len(article.text)
    spans = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda p: (min(p), max(p)))
    ids = st.sampled_from(["e1", "e2", "e3"])
    maybe = st.none() | _short
    entities = draw(
        st.lists(
            st.builds(
                Entity,
                id=ids,
                name=_short,
                type=st.sampled_from(["PERSON", "ORG", "GPE"]),
                aliases=st.lists(_short, max_size=3),
                mentions=st.lists(spans, max_size=3),
                role=maybe,
            ),
            max_size=3,
        )
    )
    vias = st.lists(st.builds(Via, name=_short, span=st.none() | spans, entity=st.none() | ids), max_size=2)
    attributions = draw(
        st.lists(
            st.builds(
                Attribution,
                content=spans,
                kind=st.sampled_from(["direct", "indirect", "mixed"]),
                source=st.none() | spans,
                cue=st.none() | spans,
                speaker=st.none() | ids,
                speaker_name=maybe,
                role=maybe,
                via=vias,
            ),
            max_size=3,
        )
    )
    flags = st.booleans()
    events = draw(
        st.lists(
            st.builds(
                Event,
                trigger=spans,
                type=maybe,
                mode=maybe,
                actor=maybe,
                target=maybe,
                place=maybe,
                time=maybe,
                hedged=flags,
                negated=flags,
                planned=flags,
                candidate=flags,
            ),
            max_size=2,
        )
    )
    # SQLite stores REAL -0.0 as 0.0; a coordinate's sign at zero means nothing.
    coords = st.none() | st.floats(-180, 180).filter(lambda x: x != 0 or str(x) == "0.0")
    places = draw(
        st.lists(
            st.builds(
                Place,
                id=_short,
                span=spans,
                name=_short,
                geonameid=st.none() | st.integers(0, 2**40),
                lat=coords,
                lon=coords,
                country=maybe,
                resolved=flags,
            ),
            max_size=2,
        )
    )
    times = draw(
        st.lists(st.builds(TimeRef, id=_short, span=spans, text=_short, value=maybe, type=_short), max_size=2)
    )
    return Record(article, entities, attributions, events, places, times)


_property_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_property_settings
@given(article=_articles)
def test_any_article_comes_back_equal(article: Article) -> None:
    record = Record(article)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "p.db") as store:
        store.save([record])
        got = store.get(article.key)
        assert got == record
        assert got is not None and as_json(got) == as_json(record)
        assert store.has(article)


@_property_settings
@given(record=_records())
def test_any_record_comes_back_equal(record: Record) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "p.db") as store:
        store.save([record])
        assert [as_json(r) for r in store.iter_records()] == [as_json(record)]


# -- duplicates and streaming ------------------------------------------------------------------


def test_same_article_twice_is_stored_once(store: Store) -> None:
    record = visit_record()
    assert store.save([record, record]) == SaveResult(added=1, skipped=1)
    assert store.save([record]) == SaveResult(added=0, skipped=1)
    assert store.stats()["articles"] == 1
    assert store.stats()["attributions"] == 3


def test_same_text_under_another_id_and_url_is_skipped(store: Store) -> None:
    first = visit_record()
    # The same story syndicated elsewhere: different id and URL, whitespace and case changed.
    respaced = "  " + first.article.text.upper().replace(". ", ".\n\n") + "\n"
    copy = Record(Article(text=respaced, id="syndicated", url="https://other.example/story"))
    assert copy.article.key != first.article.key
    assert store.has(copy.article) is False
    store.save([first])
    assert store.has(copy.article) is True
    assert store.save([copy]) == SaveResult(added=0, skipped=1)
    assert store.get("syndicated") is None


def test_same_text_without_url_but_different_id_is_skipped(store: Store) -> None:
    one = simple_record("Ota said the talks went well.", id="file-one")
    two = simple_record("Ota said the talks went well.", id="file-two")
    one.article.url = two.article.url = None
    assert store.save([one, two]) == SaveResult(added=1, skipped=1)


def test_empty_texts_from_different_urls_are_both_kept(store: Store) -> None:
    # Two pages whose extraction came out empty are not the same article.
    records = [Record(Article(text="", id=str(i), url=f"https://news.example/{i}")) for i in range(2)]
    assert store.save(records) == SaveResult(added=2, skipped=0)


def test_save_commits_one_batch_at_a_time_while_reading_lazily(store: Store) -> None:
    pulled: list[int] = []
    commits: list[tuple[SaveResult, int]] = []

    def produce() -> Iterator[Record]:
        for i in range(7):
            pulled.append(i)
            yield simple_record(f"Ota said item {i}.", id=f"item-{i}")

    def on_commit(result: SaveResult) -> None:
        commits.append((result, raw_query(store.path, "SELECT COUNT(*) FROM articles")[0][0]))
        assert len(pulled) == result.seen  # reads no further than the batch it commits

    result = store.save(produce(), batch_size=3, on_commit=on_commit)
    assert result == SaveResult(added=7, skipped=0)
    # A second connection sees each batch as soon as it is reported: it was committed.
    assert commits == [(SaveResult(3, 0), 3), (SaveResult(6, 0), 6), (SaveResult(7, 0), 7)]


def test_records_read_before_the_source_fails_are_saved(store: Store) -> None:
    def produce() -> Iterator[Record]:
        yield simple_record("Ota said one.", id="one")
        yield simple_record("Ota said two.", id="two")
        raise RuntimeError("feed went away")

    with pytest.raises(RuntimeError, match="feed went away"):
        store.save(produce(), batch_size=50)
    assert {r.article.id for r in store.iter_records()} == {"one", "two"}


def test_unstorable_metadata_names_the_article_and_keeps_earlier_batches(store: Store) -> None:
    good = simple_record("Ota said fine.", id="good")
    bad = simple_record("Ota said broken.", id="bad-article")
    bad.article.metadata = {"fetched": object()}
    with pytest.raises(StoreError, match=r"bad-article.*JSON"):
        store.save([good, bad], batch_size=1)
    assert [r.article.id for r in store.iter_records()] == ["good"]


def test_text_that_is_not_valid_unicode_is_a_clear_error(store: Store) -> None:
    bad_text = simple_record("Ota said caf\udce9.", id="bad-text")  # a lone surrogate from a lossy decode
    bad_title = simple_record("Ota said fine.", id="bad-title", title="Caf\udce9")
    for record in (bad_text, bad_title):
        with pytest.raises(StoreError, match=f"{record.article.id}.*not valid Unicode"):
            store.save([record])
    assert store.stats()["articles"] == 0


def test_two_writers_on_one_file_both_finish(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Store(path).close()
    results: list[SaveResult] = []

    def write(prefix: str) -> None:
        with Store(path) as store:
            records = (simple_record(f"Ota said {prefix} {i}.", id=f"{prefix}-{i}") for i in range(100))
            results.append(store.save(records, batch_size=5))

    threads = [threading.Thread(target=write, args=(prefix,)) for prefix in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [SaveResult(added=100, skipped=0)] * 2
    with Store(path) as store:
        assert store.stats()["articles"] == 200


def test_saving_something_that_is_not_a_record_is_a_clear_error(store: Store) -> None:
    with pytest.raises(StoreError, match=r"Record\(article\)"):
        store.save([Article(text="Ota said hello.")])  # type: ignore[list-item]


def test_batch_size_must_be_positive(store: Store) -> None:
    with pytest.raises(StoreError, match="batch_size"):
        store.save([], batch_size=0)


# -- queries -------------------------------------------------------------------------------------


@pytest.fixture
def quote_store(store: Store) -> Store:
    store.save(
        [
            visit_record(),
            simple_record(
                "Ana Ribeiro said Portugal will work for an agreement.",
                id="ribeiro-kyodo",
                speaker="Ana Ribeiro",
                aliases=("Ms Ribeiro", "the foreign minister"),
                via="Kyodo News",
                published="2024-03-14T09:30:00+09:00",
                title="Ribeiro in Tokyo",
            ),
            simple_record(
                "Ana Ribeiro said the fisheries talks had stalled.",
                id="ribeiro-reuters",
                speaker="Ana Ribeiro",
                aliases=("Minister Ribeiro",),
                via="Reuters",
                published="2024-02-02",
            ),
            simple_record("Kenji Ota said Tokyo hopes to host a summit.", id="ota", published="2023-12-31"),
        ]
    )
    return store


def test_quotes_by_speaker_name_is_a_case_insensitive_substring(quote_store: Store) -> None:
    rows = quote_store.quotes(speaker="RIBEIRO")
    assert [r.article_id for r in rows] == ["ribeiro-kyodo", "ribeiro-reuters"]  # newest first
    assert rows[0].content == "Portugal will work for an agreement."
    assert rows[0].attribution.speaker_name == "Ana Ribeiro"
    assert rows[0].title == "Ribeiro in Tokyo"
    assert rows[0].url == "https://news.example/ribeiro-kyodo"


def test_quotes_by_speaker_alias_with_non_ascii_case(quote_store: Store) -> None:
    assert [r.article_id for r in quote_store.quotes(speaker="the foreign MINISTER")] == ["ribeiro-kyodo"]
    rows = quote_store.quotes(speaker="ÉLODIE")
    assert [r.content for r in rows] == ['France will "work for a fair fisheries deal,']
    assert [r.article_id for r in quote_store.quotes(speaker="ms marchand")] == ["oslo-visit"]


def test_quotes_via_an_agency(quote_store: Store) -> None:
    rows = quote_store.quotes(via="kyodo")
    assert [r.article_id for r in rows] == ["ribeiro-kyodo"]
    assert rows[0].attribution.via[0].name == "Kyodo News"
    assert [r.attribution.speaker_name for r in quote_store.quotes(via="ntb")] == ["Élodie Marchand"]


def test_quotes_between_dates_are_inclusive(quote_store: Store) -> None:
    def ids(**filters: str) -> list[str | None]:
        return [r.article_id for r in quote_store.quotes(speaker="ribeiro", **filters)]

    assert ids(since="2024-03-14") == ["ribeiro-kyodo"]  # a date-time on the day counts as the day
    assert ids(until="2024-03-14") == ["ribeiro-kyodo", "ribeiro-reuters"]
    assert ids(until="2024-03-13") == ["ribeiro-reuters"]
    assert ids(since="2024-02", until="2024-02") == ["ribeiro-reuters"]
    assert [r.article_id for r in quote_store.quotes(until="2023")] == ["ota"]


def test_quotes_full_text_search_and_combined_filters(quote_store: Store) -> None:
    assert {r.article_id for r in quote_store.quotes(search="fisheries")} == {
        "oslo-visit",
        "ribeiro-reuters",
    }
    assert [r.article_id for r in quote_store.quotes(search="fisheries", speaker="ribeiro")] == [
        "ribeiro-reuters"
    ]
    assert [r.content for r in quote_store.quotes(search="agreements")] == [
        "Portugal will work for an agreement."
    ]
    assert quote_store.quotes(search="summit", via="kyodo") == []


def test_quotes_limit(quote_store: Store) -> None:
    assert len(quote_store.quotes()) == 6
    assert len(quote_store.quotes(limit=2)) == 2
    assert len(quote_store.quotes(limit=None)) == 6


def test_quotes_reject_dates_that_are_not_iso(quote_store: Store) -> None:
    with pytest.raises(StoreError, match="since must be an ISO date"):
        quote_store.quotes(since="March 2024")
    with pytest.raises(StoreError, match="limit"):
        quote_store.quotes(limit=-1)


def test_entities_are_aggregated_across_articles(quote_store: Store) -> None:
    rows = quote_store.entities(type="person")
    assert rows[0] == EntityRow(
        name="Ana Ribeiro",
        type="PERSON",
        articles=2,
        attributions=2,
        aliases=["Minister Ribeiro", "Ms Ribeiro", "the foreign minister"],
        key=entity_key("Ana Ribeiro", "PERSON"),
    )
    assert {r.name for r in rows} == {"Ana Ribeiro", "Élodie Marchand", "Lars Berg", "Kenji Ota"}
    assert [r.name for r in quote_store.entities(type="ORG")] == ["Aftenposten", "NTB"]


def test_entities_by_name_or_alias(quote_store: Store) -> None:
    rows = quote_store.entities(name="minister ribeiro")
    # Found by an alias from one article, counted across both.
    assert [(r.name, r.articles) for r in rows] == [("Ana Ribeiro", 2)]
    assert quote_store.entities(name="nobody") == []
    assert len(quote_store.entities(limit=1)) == 1


def test_search_ranks_articles_and_marks_the_match(quote_store: Store) -> None:
    hits = quote_store.search("Støre")
    assert [h.id for h in hits] == ["oslo-visit"]
    assert "[Støre]" in hits[0].snippet
    assert hits[0].title == "Marchand ends Oslo visit"
    # Stemming and diacritics: "stalling" finds "stalled", "Elodie" finds "Élodie".
    assert [h.id for h in quote_store.search("stalling")] == ["ribeiro-reuters"]
    assert [h.id for h in quote_store.search("elodie")] == ["oslo-visit"]
    # A title match outranks the same word once in a body.
    hits = quote_store.search("Tokyo")
    assert hits[0].id == "ribeiro-kyodo"
    assert hits[0].rank <= hits[-1].rank


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "*", "foo:bar", "(", "fisheries NOT", "it's", ""])
def test_hostile_search_queries_give_rows_or_an_error_naming_the_parameter(
    quote_store: Store, query: str
) -> None:
    for run, param in ((quote_store.search, "query"), (lambda q: quote_store.quotes(search=q), "search")):
        try:
            assert isinstance(run(query), list)
        except QueryError as error:  # issue 15: no longer a silent phrase search with 0 rows
            assert error.param == param and "FTS5 syntax" in str(error)


@pytest.mark.issue(15)
def test_a_query_fts5_cannot_parse_and_that_finds_nothing_is_an_error(quote_store: Store) -> None:
    with pytest.raises(QueryError, match=r"query: FTS5 cannot parse the search 'minister AND \('") as caught:
        quote_store.search("minister AND (")
    assert 'FTS5 syntax: plain words, "a phrase", AND / OR / NOT' in str(caught.value)
    with pytest.raises(QueryError) as caught:
        quote_store.quotes(search="said NEAR(")
    assert caught.value.param == "search"


def test_unparseable_query_falls_back_to_a_phrase(quote_store: Store) -> None:
    assert [h.id for h in quote_store.search('"fisheries talks')] == ["ribeiro-reuters"]
    assert [h.id for h in quote_store.search("two-day")] == ["oslo-visit"]  # FTS5 reads '-' as a column
    assert [r.article_id for r in quote_store.quotes(search='"tokyo hopes')] == ["ota"]


# -- opening, migrations, errors ------------------------------------------------------------------


def test_new_store_uses_wal_foreign_keys_and_records_its_migrations(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store(path) as store:
        store.save([visit_record()])
    assert raw_query(path, "PRAGMA journal_mode") == [("wal",)]
    rows = raw_query(path, "SELECT name, applied_at FROM migrations")
    assert [name for name, _ in rows] == [m.__name__ for m in MIGRATIONS]
    assert all(applied for _, applied in rows)

    with Store(path) as store:  # reopening applies nothing again
        assert store._conn is not None
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.stats()["articles"] == 1
    assert raw_query(path, "SELECT name, applied_at FROM migrations") == rows


def add_notes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (body TEXT)")


def broken(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE half (x)")
    conn.execute("CREATE TABLE half (x)")


def test_migrations_apply_only_what_is_pending(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "m.db", isolation_level=None)) as conn:
        assert apply_migrations(conn, "m.db", [create_tables]) == ["create_tables"]
        assert apply_migrations(conn, "m.db", [create_tables]) == []
        assert apply_migrations(conn, "m.db", [create_tables, add_notes]) == ["add_notes"]
        assert apply_migrations(conn, "m.db", [create_tables, add_notes]) == []
        names = [n for (n,) in conn.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert names == ["create_tables", "add_notes"]


def test_a_failing_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "m.db", isolation_level=None)) as conn:
        apply_migrations(conn, "m.db", [create_tables])
        with pytest.raises(sqlite3.OperationalError):
            apply_migrations(conn, "m.db", [create_tables, broken])
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
        assert [n for (n,) in conn.execute("SELECT name FROM migrations")] == ["create_tables"]


def test_store_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO migrations VALUES ('add_sentiment', '2030-01-01T00:00:00+00:00')")
    conn.close()
    with pytest.raises(StoreError, match=r"news\.db.*newer newsgraph.*add_sentiment.*upgrade"):
        Store(path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"notes\.txt.*not a usable newsgraph store"):
        Store(path)
    assert path.read_bytes() == before


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match=r"other\.db.*not a newsgraph store"):
        Store(path)
    assert raw_query(path, "SELECT name FROM sqlite_master") == [("customers",)]


def test_bad_paths_name_the_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"missing.*does not exist; create it"):
        Store(tmp_path / "missing" / "news.db")
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_read_only_store_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with pytest.raises(StoreError, match="no store here"):
        Store(path, read_only=True)
    with Store(path) as writer:
        writer.save([visit_record()])
        with Store(path, read_only=True) as reader:
            assert reader.get("oslo-visit") == visit_record()
            with pytest.raises(StoreError, match="could not save records"):
                reader.save([simple_record("Ota said more.", id="more")])


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "news.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.stats()


def test_text_hash_ignores_case_and_whitespace() -> None:
    assert text_hash("Ota  said\nhello") == text_hash(" ota said hello ")
    assert text_hash("Ota said hello") != text_hash("Ota said goodbye")


# -- crash safety --------------------------------------------------------------------------------

KILLER = Path(__file__).resolve().parent / "store_killer.py"
KILL_TOTAL = 3000
KILL_BATCH = 5
KILLER_ATTRIBUTIONS = 3  # per record, see store_killer.killer_record


def _run_killer(db: Path, kill_after: int | None, delay: float = 0.0) -> tuple[int, list[str]]:
    """Run the saver; SIGKILL it ``delay`` seconds after it reports ``kill_after`` records committed.

    The delay matters: killed the moment a commit is reported, the saver is always between batches,
    and a store that committed half a batch would go unnoticed.

    Returns:
        The exit status and the lines the saver printed.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, str(KILLER), str(db), str(KILL_TOTAL), str(KILL_BATCH)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    watchdog = threading.Timer(120, proc.kill)  # a hung saver fails the test instead of hanging it
    watchdog.start()
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_after is not None and line.startswith("committed") and int(line.split()[1]) >= kill_after:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        rest, errors = proc.communicate()
        lines.extend(rest.splitlines())
    finally:
        watchdog.cancel()
    assert proc.returncode in (0, -signal.SIGKILL), errors
    return proc.returncode, [line for line in lines if line]


def _check_store_after_crash(db: Path, reported: int) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = sorted(i for (i,) in conn.execute("SELECT id FROM articles"))
        stored = len(ids)
        # Every batch reported committed is there, and batches are all-or-nothing.
        assert stored >= reported
        assert stored % KILL_BATCH == 0
        assert ids == [f"k{i:06d}" for i in range(stored)]
        assert conn.execute("SELECT COUNT(*) FROM attributions").fetchone()[0] == stored * KILLER_ATTRIBUTIONS
        # The full-text indexes were written in the same transactions as the rows.
        assert (
            conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'killer'").fetchone()[0]
            == stored
        )
        fts = "SELECT COUNT(*) FROM attributions_fts WHERE attributions_fts MATCH 'ready'"
        assert conn.execute(fts).fetchone()[0] == stored
    finally:
        conn.close()
    return stored


def test_killed_writer_loses_no_committed_batch_and_a_rerun_completes(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    stored = 0
    delays = random.Random()
    for kill_after in (200, 600, 1000, 1400, 1800):
        rc, lines = _run_killer(db, kill_after, delays.uniform(0.0, 0.03))
        assert rc == -signal.SIGKILL, f"the saver finished before it could be killed: {lines[-3:]}"
        reported = max(int(line.split()[1]) for line in lines if line.startswith("committed"))
        assert reported < KILL_TOTAL
        stored = _check_store_after_crash(db, reported)

    rc, lines = _run_killer(db, None)
    assert rc == 0
    assert lines[-1] == f"done added={KILL_TOTAL - stored} skipped={stored}"
    assert _check_store_after_crash(db, KILL_TOTAL) == KILL_TOTAL
    with Store(db) as store:
        assert store.stats()["articles"] == KILL_TOTAL
        assert len(store.quotes(via="kyodo", limit=None)) == KILL_TOTAL
