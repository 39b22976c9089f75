"""``stats``: what the store holds, by table and by language."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.table import Table

from newsgraph.cli.common import db_option, main, open_store, out


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(db: str, as_json: bool) -> None:
    """Counts of stored articles and facts, and the articles per language.

    Each language says how many of its articles were translated into English before analysis (and by
    which engine) and how many were stored unanalysed because no engine translates the language: those
    keep their text, metadata and language, and nothing was extracted from them.

    \b
    Examples:
      newsgraph stats --db news.db
      newsgraph stats --json
    """
    with open_store(db) as store:
        counts = store.stats()
        languages = store.languages()
    if as_json:
        out.print_json(json.dumps({"tables": counts, "languages": [asdict(row) for row in languages]}))
        return
    tables = Table("table", "rows", title=db)
    for name, value in counts.items():
        tables.add_row(name, f"{value:,}")
    out.print(tables)
    by_language = Table("language", "articles", "translated", "engines", "not analysed")
    for row in languages:
        by_language.add_row(
            row.language,
            f"{row.articles:,}",
            f"{row.translated:,}",
            row.engines or "-",
            f"{row.not_analysed:,}",
        )
    out.print(by_language)
