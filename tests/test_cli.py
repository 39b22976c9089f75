"""The command line, in process (CliRunner) and, for the crash test, as a real process killed midway."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from newsgraph.cli import main

pytestmark = pytest.mark.slow

STORY = (
    "Finance Minister Carla Mendes said on Monday that the budget would pass. “We have the votes,” "
    "Ms Mendes told reporters in Lisbon. The opposition leader, Rui Tavares, said the plan was reckless."
)


def run(*args, **kwargs):
    result = CliRunner().invoke(main, [str(a) for a in args], **kwargs)
    return result


@pytest.fixture
def batch(tmp_path):
    """A folder with good articles and every kind of bad input."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "mendes.txt").write_text(STORY, encoding="utf-8")
    (d / "wire.jsonl").write_text(
        json.dumps(
            {
                "id": "w1",
                "text": "NHK said the minister met Prime Minister Kishida on Tuesday.",
                "published": "2024-03-14",
                "url": "https://example.org/w1",
            }
        )
        + "\n"
        + '{"text": "broken line\n'
        + json.dumps(
            {
                "id": "w2",
                "text": "According to Reuters, the talks collapsed late on Friday.",
                "published": "2024-03-16",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (d / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "latin.txt").write_bytes(b"Caf\xc3\x28 broken \x81\x8d\x90 bytes")
    (d / "huge.txt").write_text("The minister said nothing. " * 1_900_000, encoding="utf-8")
    return d


def test_bad_inputs_are_reported_and_the_rest_is_stored(batch, tmp_path):
    db = tmp_path / "news.db"
    result = run("ingest", batch, "--db", db, "--published", "2024-03-14")
    assert result.exit_code == 1
    err = result.stderr
    for name in ("binary.txt", "empty.txt", "latin.txt", "huge.txt", "wire.jsonl:2"):
        assert name in err, err
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
    assert ids == {"mendes", "w1", "w2"}


def test_ingest_is_idempotent_and_queries_work(batch, tmp_path):
    db = tmp_path / "news.db"
    run("ingest", batch / "mendes.txt", batch / "wire.jsonl", "--db", db, "--published", "2024-03-14")
    again = run("ingest", batch / "mendes.txt", batch / "wire.jsonl", "--db", db, "--published", "2024-03-14")
    assert "0 stored, 3 already in the store" in again.stderr
    quotes = run("quotes", "--db", db, "--speaker", "mendes", "--format", "jsonl")
    lines = [json.loads(line) for line in quotes.stdout.splitlines()]
    assert {line["speaker_name"] for line in lines} == {"Carla Mendes"}
    assert any(line["content_text"] == "“We have the votes,”" for line in lines)
    via = run("quotes", "--db", db, "--search", "talks")
    assert "Reuters" in via.stdout
    assert "Kishida" in run("search", "Kishida", "--db", db).stdout
    assert "Carla Mendes" in run("entities", "--db", db, "--type", "PERSON").stdout
    shown = run("show", "w1", "--db", db, "--format", "json")
    assert json.loads(shown.stdout)["url"] == "https://example.org/w1"
    missing = run("show", "nope", "--db", db)
    assert missing.exit_code == 1 and "no such article" in missing.stderr


def test_export_jsonl_and_parquet(batch, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    db = tmp_path / "news.db"
    run("ingest", batch / "mendes.txt", "--db", db, "--published", "2024-03-14")
    exported = run("export", "--db", db)
    record = json.loads(exported.stdout.splitlines()[0])
    assert record["text"] == STORY and record["attributions"]
    out = tmp_path / "r.parquet"
    assert run("export", "--db", db, "--format", "parquet", "-o", out).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 1 and table.column("id").to_pylist() == ["mendes"]


def test_analyze_plain_text_keeps_text_and_stem(tmp_path):
    path = tmp_path / "story-01.txt"
    text = "Line one.\r\nThe spokesman, Lee Min-ho, said talks would resume.\n\n“Soon,” he said.\n"
    path.write_bytes(text.encode("utf-8"))
    result = run("analyze", path, "--published", "2024-03-14")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "story-01" and record["text"] == text
    for a in record["attributions"]:
        s, e = a["content"]
        assert text[s:e]


def test_errors_name_the_input_and_exit_non_zero(tmp_path):
    missing = run("analyze", tmp_path / "nope.txt")
    assert missing.exit_code == 1 and "nope.txt" in missing.stderr
    bad_date = run("analyze", tmp_path / "nope.txt", "--published", "yesterday")
    assert bad_date.exit_code == 1 and "--published" in bad_date.stderr
    no_store = run("quotes", "--db", tmp_path / "absent.db")
    assert no_store.exit_code == 1 and "absent.db" in no_store.stderr
    bad_model = run("analyze", tmp_path, "--model", "no_such_model")
    assert bad_model.exit_code == 1 and "no_such_model" in bad_model.stderr


def test_every_command_has_help_with_examples():
    for command in ("ingest", "analyze", "quotes", "entities", "search", "show", "export"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout, command
    assert "polnear" in run("eval", "attribution", "--help").stdout


def test_eval_attribution_needs_one_gold():
    for args in ((), ("--sample", "--polnear", "somewhere")):
        result = run("eval", "attribution", *args)
        assert result.exit_code == 2 and "--polnear DIR or --sample" in result.output


def test_killed_ingest_loses_nothing_committed_and_rerun_completes(tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(120):
        (src / f"a{i:03d}.txt").write_text(
            f"Official number {i} said the port of Leixoes would reopen. " * 20
        )
    db = tmp_path / "kill.db"
    cmd = [
        sys.executable,
        "-m",
        "newsgraph",
        "ingest",
        str(src),
        "--db",
        str(db),
        "--batch-size",
        "2",
        "--published",
        "2024-03-14",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    committed = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 6:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after_kill = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert committed <= after_kill < 120
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{120 - after_kill} stored, {after_kill} already in the store" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (120, 120)
