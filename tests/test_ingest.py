"""The library ingest: sources -> pipeline -> store, with duplicates skipped, bad inputs reported and
progress told as it goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest import IngestProgress, ingest, ingest_records
from newsgraph.schema import Article, Attribution, Entity, Record
from newsgraph.store import Store

STORIES = [
    (
        "port-deal",
        "Kyodo",
        "Minister Aiko Sato said on Monday the port deal would create 400 jobs.",
    ),
    ("rail-strike", "NHK", "Union leader Mark Devlin said the rail strike would go ahead on Friday."),
    ("harvest", "Reuters", "Farm officials said the rice harvest was the best in a decade."),
]


def write_jsonl(path: Path) -> Path:
    lines = [
        json.dumps({"id": id, "outlet": outlet, "text": text, "url": f"https://news.example/{id}"})
        for id, outlet, text in STORIES
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_ingest_stores_reports_and_skips_what_it_has(tmp_path: Path, pipeline) -> None:
    feed = write_jsonl(tmp_path / "wire.jsonl")
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    errors: list[InputError] = []
    ticks: list[IngestProgress] = []
    with Store(tmp_path / "news.db") as store:
        summary = ingest(
            store,
            [str(feed), str(bad)],
            pipeline=pipeline,
            batch_size=2,
            on_progress=ticks.append,
            on_error=errors.append,
        )
        assert (summary.read, summary.stored, summary.duplicates) == (4, 4, 0)
        assert [str(e) for e in summary.failed] == [str(e) for e in errors]
        assert len(errors) == 1 and "broken.jsonl:2" in str(errors[0])
        assert not summary.ok
        # Progress is told per article analysed, and per batch committed (2, then 4).
        assert [t.analysed for t in ticks][-1] == 4
        assert sorted({t.stored for t in ticks}) == [0, 2, 4]
        assert ticks[-1].failed == 1
        quotes = store.quotes(speaker="Sato")
        assert [row.article_id for row in quotes] == ["port-deal"]
        assert "400 jobs" in quotes[0].content

        again = ingest(store, [str(feed)], pipeline=pipeline)
        assert (again.read, again.stored, again.duplicates, again.failed) == (3, 0, 3, [])
        assert store.stats()["articles"] == 4


@pytest.mark.slow
def test_ingest_takes_articles_as_objects(tmp_path: Path, pipeline) -> None:
    article = Article(text=STORIES[1][2], id="posted", url="https://news.example/posted")
    with Store(tmp_path / "news.db") as store:
        first = ingest(store, [article], pipeline=pipeline)
        second = ingest(store, [article], pipeline=pipeline)
        assert (first.stored, second.stored, second.duplicates) == (1, 0, 1)
        record = store.get("posted")
        assert record is not None and record.attributions


def test_ingest_refuses_a_bad_reference_date_before_reading(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store, pytest.raises(InputError, match="2024-13-45"):
        ingest(store, [str(tmp_path)], published="2024-13-45")


def test_records_analysed_elsewhere_are_stored_once(tmp_path: Path) -> None:
    text = "Ana Ribeiro said the talks went well."
    record = Record(
        Article(text=text, id="a", url="https://news.example/a"),
        entities=[Entity("e1", "Ana Ribeiro", "PERSON", [], [(0, 11)])],
        attributions=[Attribution((17, len(text)), speaker="e1", speaker_name="Ana Ribeiro", cue=(12, 16))],
    )
    copy = Record(Article(text=text, id="b", url="https://other.example/b"))
    with Store(tmp_path / "news.db") as store:
        summary = ingest_records(store, [record, copy, record])
        assert (summary.read, summary.stored, summary.duplicates) == (3, 1, 2)
        assert store.get("a") == record
        assert store.same_story("a") is not None
