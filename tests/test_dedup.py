"""Near-duplicates: syndicated copies of one story are linked across outlets, different stories are not."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.schema import Article, Record
from newsgraph.store import SaveResult, Store, text_hash
from newsgraph.store.dedup import MIN_SHINGLES, PERMUTATIONS, Signature, signature, word_shingles
from newsgraph.store.migrations import MIGRATIONS, apply_migrations

WIRE = Path(__file__).parent.parent / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
STORIES = {row["id"]: row for row in map(json.loads, WIRE.read_text(encoding="utf-8").splitlines())}
# three reports of the same talks, each written by its own newsroom
SAME_EVENT = ("kyodo-pt-jp-maritime", "reuters-pt-jp-maritime", "lusa-pt-jp-maritime")


def syndicated_copy(text: str) -> str:
    """A wire story as another outlet runs it: its own dateline and sign-off, a few copy edits."""
    paragraphs = text.split("\n\n")
    paragraphs[0] = "LISBON (Harbour Wire) — " + re.sub(r"^[^-–—]{0,60}\)\s*[-–—]\s*", "", paragraphs[0])
    copy = "\n\n".join(paragraphs)
    for old, new in (("said", "told reporters"), ("Thursday", "on Thursday"), ("minister", "Minister")):
        copy = copy.replace(old, new, 1)
    return copy + "\n\nReporting by Ana Costa; editing by Tom Reyes"


def first_half(text: str) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[: max(2, len(paragraphs) // 2)])


def record(
    story_id: str, text: str | None = None, outlet: str | None = None, url: str | None = None
) -> Record:
    row = STORIES[story_id]
    return Record(
        Article(
            text=text if text is not None else row["text"],
            id=f"{story_id}@{outlet}" if outlet else story_id,
            title=row.get("title"),
            url=url if url is not None else row.get("url"),
            outlet=outlet or row.get("outlet"),
            published=row.get("published"),
        )
    )


# --- signatures ----------------------------------------------------------------------------------


def test_signatures_are_stable_and_round_trip() -> None:
    text = STORIES["kyodo-pt-jp-maritime"]["text"]
    one, two = signature(text), signature(text)
    assert one is not None and two is not None
    assert one.values.tolist() == two.values.tolist()
    assert len(one.values) == PERMUTATIONS
    assert one.shingles == len(word_shingles(text))
    back = Signature.from_bytes(one.to_bytes(), one.shingles)
    assert back.jaccard(one) == 1.0
    assert back.bands() == one.bands()


def test_short_texts_get_no_signature() -> None:
    assert signature("Ferry services resume on Monday.") is None
    assert len(word_shingles("one two three four five six")) == 2
    assert MIN_SHINGLES > 2


@pytest.mark.parametrize("story_id", sorted(STORIES))
def test_syndicated_copies_and_cut_copies_are_the_same_story(story_id: str) -> None:
    text = STORIES[story_id]["text"]
    original = signature(text)
    if original is None:
        pytest.skip("too short to compare")
    for copy in (syndicated_copy(text), first_half(text)):
        found = signature(copy)
        assert found is not None and original.same_story(found), story_id


def test_different_stories_are_not_the_same_story() -> None:
    signatures = {key: signature(row["text"]) for key, row in STORIES.items()}
    linked = [
        (a, b)
        for (a, sa), (b, sb) in itertools.combinations(signatures.items(), 2)
        if sa is not None and sb is not None and sa.same_story(sb)
    ]
    assert linked == []


def test_separate_reports_of_one_event_are_not_copies() -> None:
    # Kyodo, Reuters and Lusa each wrote their own report of the same talks: far below the threshold
    for a, b in itertools.combinations(SAME_EVENT, 2):
        sa, sb = signature(STORIES[a]["text"]), signature(STORIES[b]["text"])
        assert sa is not None and sb is not None
        assert sa.jaccard(sb) < 0.2 and not sa.same_story(sb)


# --- the store -----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "news.db") as opened:
        yield opened


def test_syndicated_copies_are_stored_and_linked(store: Store) -> None:
    original = record("kyodo-pt-jp-maritime")
    text = original.article.text
    copies = [
        record(
            "kyodo-pt-jp-maritime", syndicated_copy(text), "Harbour Wire", "https://harbourwire.example/a"
        ),
        record("kyodo-pt-jp-maritime", first_half(text), "Alder Post", "https://alderpost.example/b"),
    ]
    other = record("reuters-pt-jp-maritime")
    assert store.save([original, *copies, other]) == SaveResult(added=4, skipped=0)
    (story,) = store.stories(min_outlets=2)
    assert story.outlets == ["Kyodo News", "Harbour Wire", "Alder Post"]
    assert {m.id for m in story.members} == {"kyodo-pt-jp-maritime", *(c.article.id for c in copies)}
    # the separately written Reuters report is a story of its own
    reuters = store.same_story("reuters-pt-jp-maritime")
    assert reuters is not None and [m.id for m in reuters.members] == ["reuters-pt-jp-maritime"]
    assert store.stories(min_outlets=4) == []
    assert len(store.stories(min_outlets=1, limit=None)) == 2


def test_a_verbatim_copy_is_recorded_not_stored_twice(store: Store) -> None:
    original = record("kyodo-pt-jp-maritime")
    verbatim = record("kyodo-pt-jp-maritime", outlet="Harbour Wire", url="https://harbourwire.example/copy")
    same_url = record("kyodo-pt-jp-maritime", outlet="Kyodo News+")
    assert store.save([original, verbatim, same_url]) == SaveResult(added=1, skipped=2)
    assert store.stats()["articles"] == 1
    story = store.same_story("kyodo-pt-jp-maritime")
    assert story is not None
    assert story.outlets == ["Kyodo News", "Harbour Wire"]
    assert [m.stored for m in story.members] == [True, False]
    # saving the copy again records it once
    store.save([verbatim])
    assert len(store.same_story(original.article.key).members) == 2  # type: ignore[union-attr]


def test_copies_saved_in_later_batches_and_sessions_are_linked(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    text = STORIES["yonhap-nk-missile-east-sea"]["text"]
    first = Record(Article(text=text, id="first", url="https://a.example/1", outlet="A"))
    with Store(path) as store:
        store.save([first])
    with Store(path) as store:
        store.save(
            [Record(Article(text=syndicated_copy(text), id="second", url="https://b.example/2", outlet="B"))]
        )
        story = store.same_story("second")
    assert story is not None and [m.id for m in story.members] == ["first", "second"]


def test_migration_links_articles_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    text = STORIES["kyodo-pt-jp-maritime"]["text"]
    rows = [("k1", "one", "Kyodo News", text), ("k2", "two", "Harbour Wire", syndicated_copy(text))]
    rows.append(("k3", "three", "Reuters", STORIES["reuters-pt-jp-maritime"]["text"]))
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        before = [m for m in MIGRATIONS if m.__name__ != "create_story_tables"]
        apply_migrations(conn, str(path), before)
        conn.executemany(
            "INSERT INTO articles (key, id, outlet, authors, metadata, text, text_hash, ingested_at) "
            "VALUES (?, ?, ?, '[]', '{}', ?, ?, '2024-05-16T00:00:00+00:00')",
            [(key, id_, outlet, body, text_hash(body)) for key, id_, outlet, body in rows],
        )
    with Store(path) as store:  # applies the story migration
        (story,) = store.stories()
    assert [m.id for m in story.members] == ["one", "two"]
    assert story.outlets == ["Kyodo News", "Harbour Wire"]


# --- command line --------------------------------------------------------------------------------


def test_stories_and_show_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    text = STORIES["kyodo-pt-jp-maritime"]["text"]
    with Store(db) as store:
        store.save(
            [
                record("kyodo-pt-jp-maritime"),
                record(
                    "kyodo-pt-jp-maritime",
                    syndicated_copy(text),
                    "Harbour Wire",
                    "https://harbourwire.example/a",
                ),
                record("lusa-pt-jp-maritime"),
            ]
        )
    runner = CliRunner()
    result = runner.invoke(main, ["stories", "--db", db])
    assert result.exit_code == 0, result.output
    assert "2 outlets" in result.output
    assert "Kyodo News, Harbour Wire" in result.output
    assert "lusa" not in result.output

    result = runner.invoke(main, ["stories", "--db", db, "--format", "jsonl"])
    (line,) = [json.loads(text) for text in result.output.splitlines()]
    assert line["outlets"] == ["Kyodo News", "Harbour Wire"]
    assert [a["id"] for a in line["articles"]] == [
        "kyodo-pt-jp-maritime",
        "kyodo-pt-jp-maritime@Harbour Wire",
    ]

    result = runner.invoke(main, ["show", "kyodo-pt-jp-maritime", "--db", db])
    assert result.exit_code == 0, result.output
    assert (
        "same story as: Harbour Wire: kyodo-pt-jp-maritime@Harbour Wire (carried by 2 outlets)"
        in result.output
    )
    result = runner.invoke(main, ["show", "lusa-pt-jp-maritime", "--db", db])
    assert "same story as" not in result.output

    assert "Examples:" in runner.invoke(main, ["stories", "--help"]).output
