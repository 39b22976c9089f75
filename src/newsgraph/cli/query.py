"""Queries over the store: ``quotes``, ``entities``, ``search``, ``show``, ``export``."""

from __future__ import annotations

import json
import re
import sys

import click
from rich.table import Column, Table
from rich.text import Text

from newsgraph.cli.common import (
    db_option,
    err,
    limited,
    listing_title,
    main,
    note_truncated,
    open_store,
    out,
    print_record,
    shorten,
)
from newsgraph.errors import NewsgraphError

# The store marks the matched terms of a search snippet between "[" and "]".
_MATCH = re.compile(r"\[([^\[\]]+)\]")


def highlighted_snippet(snippet: str) -> Text:
    """A snippet for the terminal: its matched terms in bold, every other character as it is.

    Printed as it was, rich read "[minister]" as a markup tag and dropped the matched word.
    """
    text = Text()
    last = 0
    for match in _MATCH.finditer(snippet):
        text.append(snippet[last : match.start()])
        text.append(match.group(1), style="bold reverse")
        last = match.end()
    text.append(snippet[last:])
    return text


@main.command()
@db_option
@click.option("--speaker", help="Speaker name or alias (case-insensitive substring).")
@click.option("--via", help="Relaying outlet or agency (substring), e.g. Kyodo.")
@click.option("--outlet", help="Publishing outlet (substring).")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), help="Kind of attribution.")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before.")
@click.option("--search", help="Full-text query over what was said.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def quotes(
    db: str,
    speaker: str | None,
    via: str | None,
    outlet: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    search: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Who said what, according to whom.

    \b
    Examples:
      newsgraph quotes --speaker Ribeiro
      newsgraph quotes --via Kyodo --since 2024-03-01
      newsgraph quotes --outlet 'Japan Times' --kind direct
      newsgraph quotes --search 'trade AND summit' --format jsonl
    """
    with open_store(db) as store:
        rows, total = limited(
            lambda n: store.quotes(
                speaker=speaker,
                via=via,
                since=since,
                until=until,
                search=search,
                limit=n,
                outlet=outlet,
                kind=kind,
            ),
            limit,
        )
    if fmt == "jsonl":
        for row in rows:
            line = {
                "article": row.article_id,
                "url": row.url,
                "outlet": row.outlet,
                "published": row.published,
                "content_text": row.content,
                **row.attribution.to_dict(),
            }
            out.print_json(json.dumps(line, ensure_ascii=False), indent=None)
        note_truncated(len(rows), total, "attributions")
        return
    table = Table(
        Column("published", no_wrap=True),
        Column("speaker", max_width=28),
        Column("via", max_width=20),
        "kind",
        Column("said", min_width=50),
        Column("outlet", max_width=20),
        title=listing_title(len(rows), total, "attributions"),
    )
    for row in rows:
        at = row.attribution
        who = at.speaker_name or "?"
        if at.role:
            who += f" ({at.role})"
        table.add_row(
            (row.published or "")[:10],
            Text(who),
            Text(", ".join(v.name for v in at.via)),
            at.kind,
            Text(shorten(row.content, 120)),
            Text(row.outlet or ""),
        )
    out.print(table)
    note_truncated(len(rows), total, "attributions")


@main.command()
@db_option
@click.option("--type", "etype", help="Entity type: PERSON, ORG, GPE, NORP, LOC, FAC.")
@click.option("--name", help="Name or alias (substring).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
def entities(db: str, etype: str | None, name: str | None, limit: int) -> None:
    """Entities across the store, with how often they appear and speak.

    \b
    Examples:
      newsgraph entities --type PERSON
      newsgraph entities --name Kyodo
    """
    with open_store(db) as store:
        rows, total = limited(lambda n: store.entities(type=etype, name=name, limit=n), limit)
    title = listing_title(len(rows), total, "entities")
    table = Table("name", "type", "articles", "attributions", "aliases", title=title)
    for row in rows:
        table.add_row(
            Text(row.name),
            row.type,
            str(row.articles),
            str(row.attributions),
            Text(shorten(", ".join(row.aliases), 60)),
        )
    out.print(table)
    note_truncated(len(rows), total, "entities", jsonl=False)


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
def search(query: str, db: str, limit: int) -> None:
    """Full-text search over article titles and text (SQLite FTS5 syntax).

    \b
    Examples:
      newsgraph search tariffs
      newsgraph search '"trade talks" AND Lisbon'
    """
    with open_store(db) as store:
        hits, total = limited(lambda n: store.search(query, limit=n), limit)
    table = Table(
        "article", "published", "title", "snippet", title=listing_title(len(hits), total, "articles")
    )
    for hit in hits:
        table.add_row(
            Text(hit.id or hit.key),
            (hit.published or "")[:10],
            Text(hit.title or ""),
            highlighted_snippet(shorten(hit.snippet, 100)),
        )
    out.print(table)
    note_truncated(len(hits), total, "articles", jsonl=False)


@main.command()
@click.argument("article")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show(article: str, db: str, fmt: str) -> None:
    """Show one stored article and everything extracted from it.

    ARTICLE is its id, URL or storage key.

    \b
    Examples:
      newsgraph show ribeiro-tokyo-visit
      newsgraph show https://example.org/story --format json
    """
    with open_store(db) as store:
        record = store.get(article)
        story = store.same_story(record.article.key) if record is not None else None
    if record is None:
        raise NewsgraphError(f"{article}: no such article in {db}; `newsgraph search` finds ids")
    others = [m for m in story.members if m.key != record.article.key or not m.stored] if story else []
    if fmt == "json":
        out.print_json(json.dumps(record.to_dict(), ensure_ascii=False))
    else:
        print_record(record, out)
        if story is not None and others:
            names = "; ".join(f"{m.outlet or '?'}: {m.id or m.url}" for m in others)
            carried = f"carried by {len(story.outlets)} outlet{'s' if len(story.outlets) != 1 else ''}"
            out.print(f"[bold]same story as:[/bold] {names} ({carried})", highlight=False)


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet", "gdelt-events"]),
    default="jsonl",
    show_default=True,
    help="gdelt-events: one tab-separated row per event in GDELT 2.0's layout (docs/gdelt-events.md).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Output file (required for parquet).")
def export(db: str, fmt: str, output: str | None) -> None:
    """Export every stored record, in the same shape as `analyze --format jsonl`.

    \b
    Examples:
      newsgraph export > records.jsonl
      newsgraph export --format parquet -o records.parquet
      newsgraph export --format gdelt-events -o events.tsv
    """
    from newsgraph.export import write_gdelt_events, write_jsonl, write_parquet

    with open_store(db) as store:
        if fmt == "gdelt-events":
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    n = write_gdelt_events(store.events(limit=None), fh)
            else:
                n = write_gdelt_events(store.events(limit=None), sys.stdout)
            err.print(f"{n} events exported", highlight=False)
            return
        if fmt == "parquet":
            if not output:
                raise click.UsageError("--format parquet needs --output FILE")
            n = write_parquet(store.iter_records(), output)
        elif output:
            with open(output, "w", encoding="utf-8") as fh:
                n = write_jsonl(store.iter_records(), fh)
        else:
            n = write_jsonl(store.iter_records(), sys.stdout)
    err.print(f"{n} records exported", highlight=False)
