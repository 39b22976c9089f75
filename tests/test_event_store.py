"""Events through the whole system: ingest of the sample corpus, the store, `newsgraph events`, the
GDELT-style export, and the migration that gives old stores the event columns."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.export import GDELT_COLUMNS
from newsgraph.store import Store
from newsgraph.store.migrations import MIGRATIONS, add_event_columns, apply_migrations

pytestmark = pytest.mark.slow

PORTUGAL_JAPAN = {"kyodo-pt-jp-maritime", "reuters-pt-jp-maritime", "lusa-pt-jp-maritime"}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("events") / "sample.db"
    run("ingest", "--sample", "--db", db)
    return db


def marques_meeting(groups):
    found = [g for g in groups if g.type == "CONSULT" and {r.article_id for r in g.reports} == PORTUGAL_JAPAN]
    assert len(found) == 1, [(g.type, g.actor_name, g.target_name, g.num_reports) for g in groups]
    return found[0]


def test_three_outlets_make_one_event_with_three_reports(sample_db):
    with Store(sample_db) as store:
        groups = store.events(type="CONSULT", actor="marques", limit=None)
    meeting = marques_meeting(groups)
    assert meeting.num_reports == 3 and meeting.num_sources == 3
    assert {r.outlet for r in meeting.reports} == {"Kyodo News", "Reuters", "Lusa"}
    assert meeting.date == "2024-05-16"
    assert meeting.actor_name == "Helena Marques" and meeting.target_name == "Daisuke Hayama"
    assert (meeting.actor_country, meeting.target_country) == ("PRT", "JPN")
    assert not (meeting.hedged or meeting.negated or meeting.planned)


def test_filters(sample_db):
    with Store(sample_db) as store:
        assert marques_meeting(store.events(country="PRT", since="2024-05", until="2024-05-31", limit=None))
        later = store.events(type="CONSULT", since="2024-06-01", limit=None)
        assert not [g for g in later if g.actor_name == "Helena Marques" and g.num_reports == 3]
        assert all(g.type == "SANCTION" for g in store.events(type="sanction", limit=None))
        assert len(store.events(limit=3)) == 3


def test_reports_name_the_attribution_that_reports_them(sample_db):
    with Store(sample_db) as store:
        reported = [r for g in store.events(limit=None) for r in g.reports if r.event.reported_by is not None]
        assert reported
        report = reported[0]
        record = store.get(report.article_key)
    assert record.attributions[report.event.reported_by].speaker_name == report.reported_by


def test_events_command(sample_db):
    table = run("events", "--db", sample_db, "--type", "consult", "--actor", "Marques").output
    assert "Helena Marques" in table and "Kyodo News, Lusa, Reuters" in table
    lines = run("events", "--db", sample_db, "--country", "JPN", "--format", "jsonl", "--limit", "500").output
    rows = [json.loads(line) for line in lines.splitlines() if line.strip()]
    meeting = next(r for r in rows if r["type"] == "CONSULT" and r["num_reports"] == 3)
    assert {r["article"] for r in meeting["reports"]} == PORTUGAL_JAPAN
    result = CliRunner().invoke(main, ["events", "--db", str(sample_db), "--since", "May 2024"])
    assert result.exit_code == 1 and "Error: --since must be an ISO date" in result.output


def test_gdelt_export(sample_db, tmp_path):
    out = tmp_path / "events.tsv"
    result = run("export", "--db", sample_db, "--format", "gdelt-events", "-o", out)
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert f"{len(rows)} events exported" in result.output
    assert all(len(row) == len(GDELT_COLUMNS) for row in rows)
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    meeting = next(
        r
        for r in rows
        if r[col["PloverType"]] == "CONSULT"
        and r[col["Actor1Name"]] == "HELENA MARQUES"
        and r[col["NumReports"]] == "3"
    )
    assert meeting[col["Day"]] == "20240516"
    assert meeting[col["EventCode"]] == "040" and meeting[col["EventRootCode"]] == "04"
    assert meeting[col["QuadClass"]] == "1"
    assert meeting[col["Actor1CountryCode"]] == "PRT" and meeting[col["Actor2CountryCode"]] == "JPN"
    assert meeting[col["Actor1Code"]] == "PRTGOV"
    assert meeting[col["NumSources"]] == "3" and meeting[col["NumArticles"]] == "3"
    assert meeting[col["SOURCEURL"]].startswith("https://")
    assert int(meeting[col["GlobalEventID"]]) > 0
    assert len({r[col["GlobalEventID"]] for r in rows}) == len(rows)


def test_old_store_gets_the_event_columns(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, str(path), MIGRATIONS[: MIGRATIONS.index(add_event_columns)])
    conn.execute(
        "INSERT INTO articles (key, authors, metadata, text, text_hash, ingested_at, published) "
        "VALUES ('k', '[]', '{}', 'They met.', 'h', '2024-01-01', '2024-03-14')"
    )
    conn.execute(
        "INSERT INTO events (article_key, idx, trigger_start, trigger_end, type, hedged, negated, planned, "
        "candidate) VALUES ('k', 0, 5, 8, 'CONSULT', 0, 0, 0, 1)"
    )
    conn.close()
    with Store(path) as store:
        assert store.events(limit=None) == []  # an uncoded candidate is not an event
        record = store.get("k")
    assert record.events[0].type == "CONSULT" and record.events[0].actor_country is None
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT event_date, date_source FROM events").fetchone() == (
        "2024-03-14",
        "published",
    )
    conn.close()
