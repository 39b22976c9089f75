"""``stories``: syndicated copies of one story across outlets, as the store links them."""

from __future__ import annotations

import json

import click
from rich.table import Column, Table

from newsgraph.cli.common import db_option, main, open_store, out, shorten


@main.command()
@db_option
@click.option(
    "--min-outlets",
    default=2,
    show_default=True,
    type=click.IntRange(1),
    help="Only stories carried by at least this many outlets.",
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def stories(db: str, min_outlets: int, limit: int, fmt: str) -> None:
    """Stories carried by several outlets: syndicated copies of one article, linked when stored.

    Copies are found by MinHash over 5-word shingles (a wire story with a new headline, dateline, copy
    edits or cuts); a copy with exactly the same text is recorded without being stored twice. Separate
    reports of the same event written by different newsrooms are different stories.

    \b
    Examples:
      newsgraph stories
      newsgraph stories --min-outlets 5 --format jsonl
    """
    with open_store(db) as store:
        found = store.stories(min_outlets=min_outlets, limit=limit)
    if fmt == "jsonl":
        for story in found:
            line = {
                "story": story.id,
                "title": story.title,
                "outlets": story.outlets,
                "articles": [
                    {
                        "id": m.id,
                        "url": m.url,
                        "outlet": m.outlet,
                        "title": m.title,
                        "published": m.published,
                        "stored": m.stored,
                    }
                    for m in story.members
                ],
            }
            out.print_json(json.dumps(line, ensure_ascii=False), indent=None)
        return
    table = Table(
        Column("story", justify="right"),
        Column("carried by", justify="right"),
        Column("title", max_width=60),
        Column("outlets", max_width=50),
        Column("articles", max_width=40),
        title=f"{len(found)} stories carried by {min_outlets} or more outlets",
    )
    for story in found:
        table.add_row(
            str(story.id),
            f"{len(story.outlets)} outlet{'s' if len(story.outlets) != 1 else ''}",
            shorten(story.title or "", 60),
            ", ".join(story.outlets),
            ", ".join(m.id or m.url or m.key for m in story.members),
        )
    out.print(table)
