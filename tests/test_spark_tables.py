"""The Spark job's tables and inputs without Spark: the Arrow schema follows schema.py, records survive the
trip through table rows, and inputs are planned into splits and their failures into error rows."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pyarrow as pa
import pytest

from newsgraph.errors import InputError
from newsgraph.schema import (
    AlignedSentence,
    Article,
    Attribution,
    Entity,
    Event,
    Place,
    Record,
    TimeRef,
    Translation,
    Via,
)
from newsgraph.spark.inputs import failure_of, plan_splits
from newsgraph.spark.tables import (
    ARTICLE_ID,
    ARTICLES,
    INDEX,
    PARTITION,
    child_tables,
    published_date,
    records_from_rows,
    stage_row,
    stage_schema,
    table_names,
    table_schema,
)


def full_record() -> Record:
    """A record with every field set, so that a field the tables drop cannot go unnoticed."""
    text = "Foreign Minister Ana Ribeiro said on Tuesday in Tokyo that talks went well, Kyodo reported."
    article = Article(
        text=text,
        id="story-1",
        title="Talks",
        url="https://kyodo.example/talks",
        outlet="Kyodo",
        authors=["Lena Ortiz", "Kenji Ota"],
        published="2024-03-14T09:30:00+09:00",
        language="en",
        metadata={"source": "x.html", "nested": {"a": [1, 2.5, None, True]}, "line": 3},
    )
    article.translation = Translation(
        "es", "apertium", "apertium 3.8.3, spa-eng", "La ministra Ana Ribeiro dijo …", 2,
        [AlignedSentence((0, 30), (0, 91))],
    )  # fmt: skip
    entity = Entity(
        "e1", "Ana Ribeiro", "PERSON", ["Ribeiro"], [(17, 28), (40, 47)], "Foreign Minister", "PRT", "GOV"
    )
    attribution = Attribution(
        (60, 80),
        "indirect",
        (17, 28),
        (29, 33),
        "e1",
        "Ana Ribeiro",
        "Foreign Minister",
        [Via("Kyodo", (82, 87), "e2"), Via("NHK")],
        nested=True,
    )
    event = Event((66, 71), "CONSULT", "m", "e1", None, "p1", "t1", True, False, True, False)
    event.actor_name, event.actor_country, event.target_country, event.reported_by = "Ana", "PRT", "JPN", 0
    place = Place(
        "p1", (48, 53), "Tokyo", 1850147, 35.69, 139.69, "JP", True, "Tokyo", "Tokyo", "PPLC", 0.97, 3
    )
    return Record(
        article=article,
        entities=[entity],
        attributions=[attribution],
        events=[event],
        places=[place],
        times=[TimeRef("t1", (37, 44), "Tuesday", "2024-03-12", "DATE", None)],
        claims=[Attribution((0, 10), "indirect")],
    )


def test_every_schema_field_has_a_column() -> None:
    assert set(child_tables()) == {"entities", "attributions", "events", "places", "times", "claims"}
    assert table_names()[0] == ARTICLES and table_names()[-1] == "errors"
    for name, cls in [(ARTICLES, Article), *child_tables().items()]:
        columns = table_schema(name).names
        assert columns[0] == ARTICLE_ID and columns[-1] == PARTITION
        for f in dataclasses.fields(cls):
            assert f.name in columns or f"{f.name}_start" in columns, f"{name}.{f.name}"
    attributions = table_schema("attributions")
    assert attributions.field(INDEX).type == pa.int64()
    assert attributions.field("content_start").type == pa.int64()
    via = attributions.field("via").type.value_type
    assert via.field("span").type == pa.struct([("start", pa.int64()), ("end", pa.int64())])
    assert table_schema(ARTICLES).field("metadata").type == pa.string()  # JSON text


def test_a_record_survives_the_trip_through_table_rows() -> None:
    record = full_record()
    row = stage_row(record, input_order=0, position=0)
    batch = pa.RecordBatch.from_pylist([row], schema=stage_schema())  # the rows fit the declared schema
    (back,) = batch.to_pylist()
    articles = [{ARTICLE_ID: back[ARTICLE_ID], **back[ARTICLES]}]
    children = {
        name: [{ARTICLE_ID: back[ARTICLE_ID], INDEX: i, **item} for i, item in enumerate(back[name])]
        for name in child_tables()
    }
    ((key, rebuilt),) = records_from_rows(articles, children)
    assert key == record.article.key
    assert rebuilt == record and rebuilt.to_dict() == record.to_dict()
    assert rebuilt.article.translation is not None and "original" in rebuilt.to_dict()["attributions"][0]
    assert back[PARTITION] == "2024-03-14"


def test_a_new_field_with_a_type_without_a_rule_fails_loudly() -> None:
    from newsgraph.spark import tables

    @dataclasses.dataclass
    class Odd:
        when: complex

    with pytest.raises(TypeError, match=r"Odd.when: no Parquet column type"):
        tables.row_type(Odd)


@pytest.mark.parametrize(
    ("published", "date"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T23:30:00-05:00", "2024-03-14"),
        (None, "unknown"),
        ("2024", "unknown"),
    ],
)
def test_publication_date_partitions(published: str | None, date: str) -> None:
    assert published_date(published) == date


def test_large_crawls_and_jsonl_files_are_planned_in_ranges(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(gzip.compress(b"WARC/1.0\r\n" + b"x" * 100) + b"\0" * 2500)
    lines = tmp_path / "wire.jsonl"
    lines.write_text('{"text": "a"}\n' * 300)
    packed = tmp_path / "packed.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "a"}\n' * 300))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<p>a</p>")
    splits = plan_splits([str(crawl), str(lines), str(packed), str(tmp_path / "pages"), "missing.txt"], 1000)
    kinds = [(Path(s.path).name, s.kind, s.start, s.stop) for s in splits]
    size = crawl.stat().st_size
    assert kinds[:3] == [
        ("crawl.warc.gz", "warc", 0, 1000),
        ("crawl.warc.gz", "warc", 1000, 2000),
        ("crawl.warc.gz", "warc", 2000, size),
    ]
    assert [k for k in kinds if k[0] == "wire.jsonl"][-1] == ("wire.jsonl", "jsonl", 4000, 4200)
    assert ("packed.jsonl.gz", "file", 0, -1) in kinds  # a gzip stream is read whole
    assert kinds[-2:] == [("a.html", "file", 0, -1), ("missing.txt", "file", 0, -1)]
    assert [s.order for s in splits] == sorted(s.order for s in splits)


def test_web_addresses_are_refused() -> None:
    with pytest.raises(InputError, match="fetch pages with ingest"):
        plan_splits(["https://example.com/news"])


@pytest.mark.parametrize(
    ("source", "problem", "expected"),
    [
        ("c.warc.gz@1234", "broken WARC record (x)", {"offset": 1234, "line": None, "item": None}),
        ("w.jsonl:7", "is not valid JSON", {"offset": None, "line": 7, "item": None}),
        ("https://a.example/x", "no text (in c.warc.gz@99)", {"offset": 99, "item": "https://a.example/x"}),
        ("pages/a.html", "empty file", {"offset": None, "line": None, "item": "pages/a.html"}),
    ],
)
def test_reader_errors_become_error_rows(source: str, problem: str, expected: dict[str, object]) -> None:
    input_path = source.split("@")[0].split(":")[0] if "://" not in source else "c.warc.gz"
    if source == "pages/a.html":
        input_path = "pages"
    failure = failure_of(input_path, InputError(source, problem, "a hint"))
    assert failure.input == input_path
    for key, value in expected.items():
        assert getattr(failure, key) == value, key
    assert failure.reason.endswith("(a hint)") and "(in " not in failure.reason


@pytest.mark.slow
def test_an_article_whose_analysis_raises_is_an_error_row_and_its_batch_is_kept(tmp_path: Path) -> None:
    """One article that makes the pipeline raise costs only that article (the task does not fail)."""
    from spacy.language import Language

    from newsgraph.pipeline import Pipeline
    from newsgraph.spark import job
    from newsgraph.spark.tables import ERRORS

    @Language.component("test_fails_on_marked_text")
    def fails(doc):  # a stage with a bug that only one article triggers
        if "EXPLODE" in doc.text:
            raise ValueError("the stage cannot handle this article")
        return doc

    pipeline = Pipeline()
    pipeline.nlp.add_pipe("test_fails_on_marked_text", first=True)
    lines = tmp_path / "wire.jsonl"
    texts = ["Officials said the port reopened.", "EXPLODE said the minister.", "The mayor said rain fell."]
    lines.write_text("".join(f'{{"text": "{t}", "id": "a{i}"}}\n' for i, t in enumerate(texts)))
    options = job.JobOptions(model="failing-for-test", published="2024-03-14", batch_size=8)
    key = (options.model, options.mode, options.encoder)
    job._PIPELINES[key] = pipeline
    try:
        splits = pa.RecordBatch.from_pylist([s.to_dict() for s in plan_splits([str(lines)])])
        rows = [row for batch in job.analyze_partition([splits], options) for row in batch.to_pylist()]
    finally:
        del job._PIPELINES[key]
    assert [row[ARTICLES]["id"] for row in rows if row[ARTICLES]] == ["a0", "a2"]
    (failure,) = [row[ERRORS] for row in rows if row[ERRORS]]
    assert failure["input"] == str(lines) and failure["line"] == 2 and failure["item"] == "a1"
    assert failure["reason"] == "analysis failed: ValueError: the stage cannot handle this article"


def test_splits_are_dealt_to_tasks_of_about_the_same_size() -> None:
    from newsgraph.spark.inputs import Split, deal_splits

    sizes = [900, 50, 40, 400, 30, 500, 20, 10, 480, 60]
    splits = [Split(f"page-{i}.html", i, size=size) for i, size in enumerate(sizes)]
    tasks = deal_splits(splits, 3)
    assert sorted(s.order for task in tasks for s in task) == list(range(len(sizes)))
    loads = sorted(sum(s.size for s in task) for task in tasks)
    # The largest page alone sets the longest task; dealt in turn (i mod 3) they would be 1380, 90 and 1020.
    assert loads == [710, 880, 900]
    assert all([s.order for s in task] == sorted(s.order for s in task) for task in tasks)
    assert deal_splits(splits[:2], 4)[2:] == [[], []]  # more tasks than splits: some read nothing


def test_accurate_mode_without_weights_fails_as_analyze_does_before_spark_starts(tmp_path: Path, monkeypatch):
    """`spark --mode accurate` reaches the same Pipeline mode as `analyze --mode accurate`: without the
    encoder weights both stop with the same error, and the Spark job stops before starting Spark."""
    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.extract import roles_encoder
    from newsgraph.spark import job

    monkeypatch.setattr(roles_encoder, "encoder_folder", lambda: tmp_path / "no-encoder")
    started: list[str] = []
    monkeypatch.setattr(job, "spark_session", lambda *args, **kwargs: started.append("spark"))
    page = tmp_path / "page.txt"
    page.write_text("The minister said the talks had ended.\n", encoding="utf-8")
    runner = CliRunner()
    analyzed = runner.invoke(main, ["analyze", str(page), "--mode", "accurate"])
    sparked = runner.invoke(main, ["spark", str(page), "--out", str(tmp_path / "t"), "--mode", "accurate"])
    assert analyzed.exit_code == sparked.exit_code == 1
    assert f"no fine-tuned encoder in {tmp_path / 'no-encoder'}" in sparked.stderr
    assert sparked.stderr == analyzed.stderr and "Traceback" not in sparked.output
    assert started == [] and not (tmp_path / "t").exists()
    unknown = runner.invoke(main, ["spark", str(page), "--out", str(tmp_path / "t"), "--mode", "turbo"])
    assert unknown.exit_code == 2 and "turbo" in unknown.stderr
