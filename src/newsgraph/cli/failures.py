"""``errors``: the inputs that ingest and watch could not take, as recorded in the store."""

from __future__ import annotations

import json

import click
from rich.table import Column, Table
from rich.text import Text

from newsgraph.cli.common import db_option, err, main, open_store, out, shorten, truncated


@main.command()
@db_option
@click.option("--since", metavar="YYYY-MM-DD", help="Recorded on or after this date.")
@click.option("--stage", type=click.Choice(["read", "analyse", "store"]), help="Only errors of this stage.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def errors(db: str, since: str | None, stage: str | None, limit: int, fmt: str) -> None:
    """Inputs that ingest and watch could not take: which, at what stage, why, and when.

    Each bad file, line, URL, feed entry or WARC record is one line on stderr when it happens and one
    row here; the rest of its batch is stored.

    \b
    Examples:
      newsgraph errors
      newsgraph errors --since 2024-03-01 --stage read --format jsonl
    """
    with open_store(db) as store:
        rows, total = store.errors(since=since, stage=stage, limit=limit)
    if fmt == "jsonl":
        for row in rows:
            out.print_json(json.dumps(row.__dict__, ensure_ascii=False), indent=None)
    else:
        table = Table(
            Column("at", no_wrap=True),
            "stage",
            Column("input", max_width=50, overflow="fold"),
            Column("reason", min_width=40),
            title=f"{len(rows)} of {total} errors" if total > len(rows) else f"{total} errors",
        )
        for row in rows:
            reason = row.reason + (f" ({row.hint})" if row.hint else "")
            table.add_row(
                row.at.replace("T", " ")[:19], row.stage, Text(row.input), Text(shorten(reason, 200))
            )
        out.print(table)
    if total > len(rows):
        err.print(truncated(len(rows), total, "errors"), highlight=False)
