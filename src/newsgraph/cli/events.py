"""``events``: who did what to whom, grouped across the articles that report it."""

from __future__ import annotations

import json

import click
from rich.table import Column, Table

from newsgraph.cli.common import (
    db_option,
    limited,
    listing_title,
    main,
    note_truncated,
    open_store,
    out,
    shorten,
)
from newsgraph.extract.plover import PLOVER_TYPES
from newsgraph.store.event_groups import EventGroup


def _party(name: str | None, code: str | None) -> str:
    if not name and not code:
        return ""
    return f"{name or '?'} ({code})" if code else (name or "")


def _flags(group: EventGroup) -> str:
    flags = (("hedged", group.hedged), ("negated", group.negated), ("planned", group.planned))
    return " ".join(word for word, on in flags if on)


@main.command()
@db_option
@click.option(
    "--type",
    "etype",
    type=click.Choice(PLOVER_TYPES, case_sensitive=False),
    help="PLOVER event type.",
)
@click.option("--actor", help="Actor name (case-insensitive substring).")
@click.option("--target", help="Target name (case-insensitive substring).")
@click.option("--country", help="Actor or target code: ISO 3166 alpha-3 (PRT, JPN) or IGO/NGO.")
@click.option("--since", metavar="YYYY-MM-DD", help="Events on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Events on or before this date.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def events(
    db: str,
    etype: str | None,
    actor: str | None,
    target: str | None,
    country: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Events coded with PLOVER types, each with the articles that report it, newest first.

    The same event told by several outlets (same type, parties and date) is one row with its number
    of reports. The date is the one the text gives for the event, else the publication date.

    \b
    Examples:
      newsgraph events --type CONSULT --country PRT
      newsgraph events --actor Marques --since 2024-05-01
      newsgraph events --type SANCTION --format jsonl
    """
    with open_store(db) as store:
        groups, total = limited(
            lambda n: store.events(
                type=etype, actor=actor, target=target, country=country, since=since, until=until, limit=n
            ),
            limit,
        )
    if fmt == "jsonl":
        for group in groups:
            out.print_json(json.dumps(group.to_dict(), ensure_ascii=False), indent=None)
        note_truncated(len(groups), total, "events")
        return
    table = Table(
        Column("date", no_wrap=True),
        "type",
        Column("actor", max_width=30),
        Column("target", max_width=30),
        Column("place", max_width=18),
        "reports",
        Column("outlets", max_width=28),
        Column("flags", max_width=16),
        Column("trigger", max_width=30),
        title=listing_title(len(groups), total, "events"),
    )
    for group in groups:
        place = group.place
        outlets = sorted({r.outlet or r.article_id or r.article_key[:8] for r in group.reports})
        table.add_row(
            group.date or "",
            group.type + (f"/{group.mode}" if group.mode else ""),
            _party(group.actor_name, group.actor_country),
            _party(group.target_name, group.target_country),
            place.name if place else "",
            str(group.num_reports),
            shorten(", ".join(outlets), 60),
            _flags(group),
            shorten(group.reports[0].trigger_text, 40),
        )
    out.print(table)
    note_truncated(len(groups), total, "events")
