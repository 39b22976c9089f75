"""The ``newsgraph`` command line: a thin layer over sources, the pipeline, the store and the exports.

Every library error (:class:`~newsgraph.errors.NewsgraphError`) becomes one ``Error:`` line on stderr and a
non-zero exit code; users never see a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column, Table

from newsgraph.errors import InputError, NewsgraphError
from newsgraph.schema import Article, Record

DEFAULT_DB = "newsgraph.db"
# Tables read better wider than the 80 columns rich assumes when output is piped.
out = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, soft_wrap=True)


def sample_dir() -> Path:
    """The bundled sample corpus (invented wire-style articles)."""
    return Path(str(files("newsgraph") / "data" / "sample"))


class _Command(click.Command):
    """Turns library errors into one ``Error:`` line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsgraphError as exc:
            raise click.ClickException(str(exc)) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("NEWSGRAPH_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set NEWSGRAPH_DEBUG=1 for the traceback, and please report it)"
            ) from exc


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups are _Group too


def _db_option(f: Any) -> Any:
    return click.option(
        "--db",
        default=lambda: os.environ.get("NEWSGRAPH_DB", DEFAULT_DB),
        show_default=f"$NEWSGRAPH_DB or {DEFAULT_DB}",
        type=click.Path(dir_okay=False),
        help="SQLite store file.",
    )(f)


def _model_option(f: Any) -> Any:
    from newsgraph.pipeline import DEFAULT_MODEL

    return click.option(
        "--model",
        default=DEFAULT_MODEL,
        show_default=True,
        help="Installed spaCy pipeline name or path (needs a parser and NER).",
    )(f)


def _processes_option(f: Any) -> Any:
    return click.option(
        "--processes",
        "-j",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Worker processes.",
    )(f)


def _published_option(f: Any) -> Any:
    return click.option(
        "--published",
        metavar="YYYY-MM-DD",
        help="Reference date for inputs that carry none (plain text); relative dates resolve against it.",
    )(f)


def _open_store(db: str, create: bool = False) -> Any:
    from newsgraph.store import Store

    if not create and not Path(db).exists():
        raise NewsgraphError(f"{db}: no such store; run `newsgraph ingest PATH… --db {db}` first")
    return Store(db)


def _progress(label: str) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class _Reader:
    """Reads inputs, reports each bad one on stderr, and counts."""

    def __init__(self, paths: Iterable[str], published: str | None, skip: Any = None):
        self.paths = list(paths)
        self.published = published
        self.skip = skip
        self.read = 0
        self.failed: list[InputError] = []
        self.skipped = 0

    def __iter__(self) -> Iterator[Article]:
        from newsgraph.sources import read_articles

        for item in read_articles(self.paths, published=self.published):
            if isinstance(item, InputError):
                self.failed.append(item)
                err.print(f"[red]error:[/red] {item}", highlight=False)
                continue
            self.read += 1
            if self.skip is not None and self.skip(item):
                self.skipped += 1
                continue
            yield item


def _paths(paths: tuple[str, ...], sample: bool) -> list[str]:
    chosen = list(paths)
    if sample:
        root = sample_dir()
        chosen += [str(root / "wire.jsonl"), str(root / "html"), str(root / "text")]
    if not chosen:
        raise click.UsageError("give at least one PATH (file, directory or glob), or --sample")
    return chosen


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: who said what, according to whom, in the news.

    Reads articles (text, JSONL, HTML), finds attributions with their speakers and reporting chains,
    entities, places, times and events, and stores them in SQLite with full-text search.

    \b
    Quick start:
      newsgraph ingest --sample --db sample.db     # the bundled sample corpus
      newsgraph quotes --db sample.db              # who said what
      newsgraph analyze article.txt --published 2024-03-14 --format table
    """


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample corpus.")
@_db_option
@_model_option
@_processes_option
@_published_option
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles per transaction.",
)
def ingest(
    paths: tuple[str, ...],
    sample: bool,
    db: str,
    model: str,
    processes: int,
    published: str | None,
    batch_size: int,
) -> None:
    """Analyse articles and store the results.

    PATHS are files, directories (walked recursively) or globs: .txt, .jsonl, .html. Articles already in
    the store (same canonical URL or same text) are skipped, so re-running after an interruption finishes
    the job. A bad file is reported and skipped; the exit code is 1 if any input failed.

    \b
    Examples:
      newsgraph ingest articles/ --db news.db
      newsgraph ingest 'feeds/*.jsonl' --processes 2
      newsgraph ingest notes.txt --published 2024-03-14
    """
    from newsgraph.pipeline import Pipeline
    from newsgraph.sources import check_reference_date

    published = check_reference_date(published)
    chosen = _paths(paths, sample)
    store = _open_store(db, create=True)
    with store:
        reader = _Reader(chosen, published, skip=store.has)
        pipeline = Pipeline(model)
        with _progress("ingesting") as progress:
            task = progress.add_task("ingest", total=None)

            def tick(records: Iterable[Record]) -> Iterator[Record]:
                for record in records:
                    progress.advance(task)
                    yield record

            result = store.save(tick(pipeline.analyze(reader, processes=processes)), batch_size=batch_size)
        stats = store.stats()
    err.print(
        f"{result.added} stored, {reader.skipped + result.skipped} already in the store, "
        f"{len(reader.failed)} failed; {db} now holds {stats['articles']} articles and "
        f"{stats['attributions']} attributions.",
        highlight=False,
    )
    if reader.failed:
        raise click.exceptions.Exit(1)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--sample", is_flag=True, help="Also analyse the bundled sample corpus.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one record per line (the evaluation contract); json: one array; table: for reading.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout."
)
@_model_option
@_processes_option
@_published_option
def analyze(
    paths: tuple[str, ...],
    sample: bool,
    fmt: str,
    output: str | None,
    model: str,
    processes: int,
    published: str | None,
) -> None:
    """Analyse articles and print the records, without a store.

    For a plain-text file the record's `text` is the file's text exactly and `id` is the file stem, so
    offsets line up with annotations made on the file.

    \b
    Examples:
      newsgraph analyze story.txt --published 2024-03-14
      newsgraph analyze pages/ --format table
      newsgraph analyze dump.jsonl -o records.jsonl --processes 2
    """
    from newsgraph.pipeline import Pipeline
    from newsgraph.sources import check_reference_date

    published = check_reference_date(published)
    reader = _Reader(_paths(paths, sample), published)
    pipeline = Pipeline(model)
    stream = open(output, "w", encoding="utf-8") if output else None  # noqa: SIM115
    progress = _progress("analysing")
    task = progress.add_task("analyze", total=None)

    def tick(records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            progress.advance(task)
            yield record

    records = tick(pipeline.analyze(reader, processes=processes))
    try:
        progress.start()
        target = stream or sys.stdout
        if fmt == "jsonl":
            from newsgraph.export import write_jsonl

            write_jsonl(records, target)
        elif fmt == "json":
            json.dump([r.to_dict() for r in records], target, ensure_ascii=False, indent=2)
            target.write("\n")
        else:
            console = Console(file=stream) if stream else out
            for record in records:
                _print_record(record, console)
    finally:
        progress.stop()
        if stream:
            stream.close()
    if reader.failed:
        raise click.exceptions.Exit(1)


def _span_text(record: Record, span: tuple[int, int] | None) -> str:
    return "" if span is None else record.article.text[span[0] : span[1]]


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_record(record: Record, console: Console) -> None:
    a = record.article
    console.rule(f"[bold]{a.title or a.id or a.url or 'article'}")
    console.print(
        f"id: {a.id}  outlet: {a.outlet or '-'}  published: {a.published or '-'}  url: {a.url or '-'}",
        highlight=False,
    )
    table = Table(
        Column("speaker", max_width=24),
        Column("role", max_width=18),
        Column("cue", max_width=16),
        "kind",
        Column("via", max_width=20),
        Column("content", min_width=40),
    )
    for at in record.attributions:
        table.add_row(
            at.speaker_name or "?",
            at.role or "",
            _span_text(record, at.cue),
            at.kind,
            ", ".join(v.name for v in at.via),
            _shorten(_span_text(record, at.content)),
        )
    console.print(table)
    if record.entities:
        console.print(
            "[bold]entities:[/bold] "
            + "; ".join(f"{e.name} ({e.type}{', ' + e.role if e.role else ''})" for e in record.entities),
            highlight=False,
        )
    if record.times:
        console.print(
            "[bold]times:[/bold] " + "; ".join(f"{t.text} → {t.value or '?'}" for t in record.times),
            highlight=False,
        )
    if record.places:
        console.print(
            "[bold]places (unresolved candidates):[/bold] " + "; ".join(p.name for p in record.places),
            highlight=False,
        )
    if record.events:
        names = {e.id: e.name for e in record.entities}
        console.print(
            "[bold]events (candidates):[/bold] "
            + "; ".join(
                f"{ev.type} {names.get(ev.actor or '', '?')} → {names.get(ev.target or '', '?')}"
                f" '{_span_text(record, ev.trigger)}'"
                + (" (hedged)" if ev.hedged else "")
                + (" (negated)" if ev.negated else "")
                + (" (planned)" if ev.planned else "")
                for ev in record.events
            ),
            highlight=False,
        )


@main.command()
@_db_option
@click.option("--speaker", help="Speaker name or alias (case-insensitive substring).")
@click.option("--via", help="Relaying outlet or agency (substring), e.g. Kyodo.")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before.")
@click.option("--search", help="Full-text query over what was said.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def quotes(
    db: str,
    speaker: str | None,
    via: str | None,
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
      newsgraph quotes --search 'trade AND summit' --format jsonl
    """
    with _open_store(db) as store:
        rows = store.quotes(speaker=speaker, via=via, since=since, until=until, search=search, limit=limit)
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
        return
    table = Table(
        Column("published", no_wrap=True),
        Column("speaker", max_width=28),
        Column("via", max_width=20),
        "kind",
        Column("said", min_width=50),
        Column("outlet", max_width=20),
        title=f"{len(rows)} attributions",
    )
    for row in rows:
        at = row.attribution
        who = at.speaker_name or "?"
        if at.role:
            who += f" ({at.role})"
        table.add_row(
            (row.published or "")[:10],
            who,
            ", ".join(v.name for v in at.via),
            at.kind,
            _shorten(row.content, 120),
            row.outlet or "",
        )
    out.print(table)


@main.command()
@_db_option
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
    with _open_store(db) as store:
        rows = store.entities(type=etype, name=name, limit=limit)
    table = Table("name", "type", "articles", "attributions", "aliases", title=f"{len(rows)} entities")
    for row in rows:
        table.add_row(
            row.name, row.type, str(row.articles), str(row.attributions), _shorten(", ".join(row.aliases), 60)
        )
    out.print(table)


@main.command()
@click.argument("query")
@_db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
def search(query: str, db: str, limit: int) -> None:
    """Full-text search over article titles and text (SQLite FTS5 syntax).

    \b
    Examples:
      newsgraph search tariffs
      newsgraph search '"trade talks" AND Lisbon'
    """
    with _open_store(db) as store:
        hits = store.search(query, limit=limit)
    table = Table("article", "published", "title", "snippet", title=f"{len(hits)} articles")
    for hit in hits:
        table.add_row(
            hit.id or hit.key, (hit.published or "")[:10], hit.title or "", _shorten(hit.snippet, 100)
        )
    out.print(table)


@main.command()
@click.argument("article")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show(article: str, db: str, fmt: str) -> None:
    """Show one stored article and everything extracted from it.

    ARTICLE is its id, URL or storage key.

    \b
    Examples:
      newsgraph show ribeiro-tokyo-visit
      newsgraph show https://example.org/story --format json
    """
    with _open_store(db) as store:
        record = store.get(article)
    if record is None:
        raise NewsgraphError(f"{article}: no such article in {db}; `newsgraph search` finds ids")
    if fmt == "json":
        out.print_json(json.dumps(record.to_dict(), ensure_ascii=False))
    else:
        _print_record(record, out)


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Output file (required for parquet).")
def export(db: str, fmt: str, output: str | None) -> None:
    """Export every stored record, in the same shape as `analyze --format jsonl`.

    \b
    Examples:
      newsgraph export > records.jsonl
      newsgraph export --format parquet -o records.parquet
    """
    from newsgraph.export import write_jsonl, write_parquet

    with _open_store(db) as store:
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


@main.group(name="eval")
def eval_() -> None:
    """Measure newsgraph on public annotated data (see ../shared/eval/README.md)."""


@eval_.command(name="attribution")
@click.option(
    "--polnear",
    "polnear",
    required=True,
    type=click.Path(),
    help="PolNeAR split directory (text/, attributions/).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_model_option
@_processes_option
def eval_attribution(polnear: str, limit: int | None, as_json: bool, model: str, processes: int) -> None:
    """Attribution P/R/F1 (exact span and token overlap) for content, source and cue on PolNeAR.

    \b
    Example:
      newsgraph eval attribution --polnear ../shared/eval/polnear/dev
    """
    from newsgraph.evaluation.polnear import evaluate_attribution
    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline(model)
    with _progress("scoring") as progress:
        task = progress.add_task("eval", total=None)
        report = evaluate_attribution(
            polnear,
            pipeline,
            limit=limit,
            processes=processes,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
    else:
        out.print(report.table())
