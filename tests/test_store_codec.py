"""The store's columns come from schema.py: the tables match the derived columns, every field has its own
column, and stores written before the fields had columns upgrade in place."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsgraph.schema import Article, Attribution, Entity, Place, Record, TimeRef, Via, stored
from newsgraph.store import Store, entity_key
from newsgraph.store.codec import CODECS, STORE_COLUMNS, TableCodec
from newsgraph.store.migrations import MIGRATIONS, add_fact_columns, apply_migrations


def full_record() -> Record:
    """An article whose facts fill every field that used to fall into ``extra``."""
    text = "Portuguese Foreign Minister Ana Ribeiro said early 2024 talks in Lisbon went well."
    return Record(
        article=Article(text=text, id="lisbon", url="https://news.example/lisbon", published="2024-03-14"),
        entities=[
            Entity(
                "e1", "Ana Ribeiro", "PERSON", ["Ms Ribeiro"], [(28, 39)], "Foreign Minister", "PRT", "GOV"
            )
        ],
        attributions=[
            Attribution(
                content=(45, len(text) - 1),
                source=(28, 39),
                cue=(40, 44),
                speaker="e1",
                speaker_name="Ana Ribeiro",
                via=[Via("Lusa", None, None)],
                nested=True,
            )
        ],
        places=[
            Place(
                "p1",
                (text.index("Lisbon"), text.index("Lisbon") + 6),
                "Lisbon",
                2267057,
                38.71667,
                -9.13333,
                "PT",
                True,
                text="Lisbon",
                admin1="Lisbon",
                feature="PPLC",
                confidence=0.93,
                candidates=4,
            )
        ],
        times=[TimeRef("t1", (45, 55), "early 2024", "2024", "DATE", mod="START")],
    )


def table_columns(path: Path, table: str) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[1]: row[2] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_tables_have_exactly_the_derived_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Store(path).close()
    for table, codec in CODECS.items():
        expected = {**codec.definitions(), **STORE_COLUMNS[table]}
        assert table_columns(path, table) == expected, table


def test_every_schema_field_has_a_column() -> None:
    # No field is left to the catch-all ``extra`` column: each is filterable in SQL.
    for codec in CODECS.values():
        kept = {column.field for column in codec.columns}
        assert kept == {name for name in codec.type.__dataclass_fields__}


def test_a_field_that_does_not_say_how_it_is_stored_is_refused() -> None:
    @dataclass
    class Thing:
        name: str = field(metadata=stored())
        note: str = ""

    with pytest.raises(TypeError, match=r"Thing\.note"):
        TableCodec.derive("things", Thing)


def test_fields_that_were_extra_are_columns_and_come_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    record = full_record()
    with Store(path) as store:
        store.save([record])
        assert store.get("lisbon") == record
    with closing(sqlite3.connect(path)) as conn:
        for table in ("entities", "attributions", "places", "times"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE extra IS NOT NULL").fetchone() == (0,)
        assert conn.execute("SELECT country, sector, entity_key FROM entities").fetchone() == (
            "PRT",
            "GOV",
            entity_key("Ana Ribeiro", "PERSON"),
        )
        assert conn.execute("SELECT admin1, feature, confidence, candidates FROM places").fetchone() == (
            "Lisbon",
            "PPLC",
            0.93,
            4,
        )
        assert conn.execute("SELECT mod FROM times").fetchone() == ("START",)
        assert conn.execute("SELECT nested, speaker_key FROM attributions").fetchone() == (
            1,
            entity_key("Ana Ribeiro", "PERSON"),
        )


def old_store(path: Path) -> None:
    """A store as the version before ``add_fact_columns`` wrote it: those fields inside ``extra``."""
    record = full_record()
    text = record.article.text
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        apply_migrations(conn, str(path), MIGRATIONS[: MIGRATIONS.index(add_fact_columns)])
        key = record.article.key
        conn.execute(
            "INSERT INTO articles (key, id, url, outlet, title, authors, published, language, metadata, "
            "text, text_hash, ingested_at) VALUES (?, 'lisbon', ?, NULL, NULL, '[]', '2024-03-14', 'en', "
            "'{}', ?, 'h', '2024-03-14T00:00:00+00:00')",
            (key, record.article.url, text),
        )
        conn.execute(
            "INSERT INTO entities (article_key, idx, entity_id, name, type, aliases, mentions, role, terms, "
            "extra) VALUES (?, 0, 'e1', 'Ana Ribeiro', 'PERSON', '[\"Ms Ribeiro\"]', '[[28,39]]', "
            "'Foreign Minister', 'ana ribeiro', ?)",
            (key, json.dumps({"country": "PRT", "sector": "GOV"})),
        )
        conn.execute(
            "INSERT INTO attributions (article_key, idx, speaker, speaker_name, role, source_start, "
            "source_end, cue_start, cue_end, content_start, content_end, content_text, kind, via, "
            "speaker_terms, via_terms, extra) VALUES (?, 0, 'e1', 'Ana Ribeiro', NULL, 28, 39, 40, 44, "
            "45, ?, 'x', 'indirect', ?, 'ana ribeiro', 'lusa', '{\"nested\":true}')",
            (key, len(text) - 1, json.dumps([{"name": "Lusa", "span": None, "entity": None}])),
        )
        start = text.index("Lisbon")
        place = {"text": "Lisbon", "admin1": "Lisbon", "feature": "PPLC", "confidence": 0.93, "candidates": 4}
        conn.execute(
            "INSERT INTO places (article_key, idx, place_id, span_start, span_end, name, geonameid, lat, "
            "lon, country, resolved, extra) VALUES (?, 0, 'p1', ?, ?, 'Lisbon', 2267057, 38.71667, "
            "-9.13333, 'PT', 1, ?)",
            (key, start, start + 6, json.dumps(place)),
        )
        conn.execute(
            "INSERT INTO times (article_key, idx, time_id, span_start, span_end, text, value, type, extra) "
            "VALUES (?, 0, 't1', 45, 55, 'early 2024', '2024', 'DATE', '{\"mod\":\"START\",\"later\":1}')",
            (key,),
        )


def test_an_old_store_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_store(path)
    assert "country" not in table_columns(path, "entities")
    with Store(path) as store:
        got = store.get("lisbon")
        assert got is not None
        assert got.entities == full_record().entities
        assert got.attributions[0].nested is True
        assert got.places == full_record().places
        assert got.times[0].mod == "START"
        # The new columns are filterable: entities by country, quotes by speaker key.
        (row,) = store.entity_page(country="prt").items
        assert (row.name, row.articles, row.attributions, row.aliases) == (
            "Ana Ribeiro",
            1,
            1,
            ["Ms Ribeiro"],
        )
        key = entity_key("Ana Ribeiro", "PERSON")
        assert [row.article_id for row in store.quote_page(speaker=key).items] == ["lisbon"]
    with closing(sqlite3.connect(path)) as conn:
        # What moved to columns left ``extra``; what no column holds stays there.
        assert conn.execute("SELECT extra FROM entities").fetchone() == (None,)
        assert conn.execute("SELECT extra FROM times").fetchone() == ('{"later":1}',)
        assert conn.execute("SELECT country FROM entities").fetchone() == ("PRT",)
    with Store(path) as store:  # opening again applies nothing
        assert store.get("lisbon") == got
