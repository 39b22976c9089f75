"""One bad input never costs a batch: it is one line on stderr and one row in the errors table (issue 15)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from spacy.language import Language
from spacy.tokens import Doc

from local_server import LocalServer, Reply, add_site
from newsgraph.cli import main
from newsgraph.ingest import ingest
from newsgraph.pipeline import Pipeline
from newsgraph.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.issue(15)]

STORY = (
    "Finance Minister Carla Mendes said on Monday that the budget would pass. “We have the votes,” "
    "Ms Mendes told reporters in Lisbon. The opposition leader, Rui Tavares, said the plan was reckless.\n"
)


@Language.component("test_fails_on_marker")
def fails_on_marker(doc: Doc) -> Doc:
    """Stands for a bug in a stage that only one article sets off."""
    if "EXPLODE" in doc.text:
        raise ValueError("a stage failed on this article")
    return doc


@pytest.fixture(scope="module")
def fragile() -> Pipeline:
    pipeline = Pipeline()
    pipeline.nlp.add_pipe("test_fails_on_marker", last=True)
    return pipeline


@pytest.mark.parametrize("processes", [1, 2])
def test_an_article_the_analysis_fails_on_is_recorded_and_the_rest_stored(
    tmp_path: Path, fragile: Pipeline, processes: int
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("a", STORY), ("b", STORY.replace("Monday", "Tuesday EXPLODE")), ("c", STORY[::-1])]:
        (folder / f"{name}.txt").write_text(text)
    with Store(tmp_path / "news.db") as store:
        summary = ingest(store, [folder], pipeline=fragile, processes=processes, batch_size=8)
        rows, total = store.errors()
        assert store.stats()["articles"] == 2
    assert summary.stored == 2 and len(summary.failed) == 1
    assert total == 1
    (row,) = rows
    assert row.input == str(folder / "b.txt") and row.stage == "analyse"
    assert "ValueError: a stage failed on this article" in row.reason


def test_bad_files_and_urls_beside_good_ones_are_listed_by_newsgraph_errors(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(STORY.replace("Monday", "Friday").encode())
    db = tmp_path / "news.db"
    with LocalServer() as server:
        add_site(server)
        spaced = server.url("/news/harbour strike.html")  # a space: was "unexpected InvalidURL"
        result = CliRunner().invoke(main, ["ingest", str(folder), spaced, "--db", str(db), "--allow-private"])
    assert result.exit_code == 1, result.output
    assert "unexpected" not in result.output
    assert "2 stored" in result.output  # good.txt and the file whose name is not UTF-8
    listed = CliRunner().invoke(main, ["errors", "--db", str(db), "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {(row["input"], row["stage"]) for row in rows} == {
        (str(folder / "binary.txt"), "read"),
        (spaced, "read"),
    }
    assert all(row["reason"] and row["at"] for row in rows)
    table = CliRunner().invoke(main, ["errors", "--db", str(db), "--limit", "1"])
    assert "1 of 2 errors shown, 1 more; pass --limit 2" in table.output


def test_watch_records_the_entries_it_could_not_take(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalServer() as server:
        add_site(server)  # /feed.xml links three pages; one of them is made to fail
        server.route("/news/river-bridge.html", Reply(410))
        result = CliRunner().invoke(
            main, ["watch", server.url("/feed.xml"), "--once", "--allow-private", "--db", str(db)]
        )
    assert result.exit_code == 1 and "unexpected" not in result.output
    listed = CliRunner().invoke(main, ["errors", "--db", str(db), "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(row["input"], row["stage"]) for row in rows] == [(server.url("/news/river-bridge.html"), "read")]
    assert "HTTP 410" in rows[0]["reason"]
