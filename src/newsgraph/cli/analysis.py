"""``ingest`` and ``analyze``: read articles and run the pipeline."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable, Iterator

import click
from rich.console import Console

from newsgraph.cli.common import (
    Reader,
    allow_private_option,
    db_option,
    err,
    input_paths,
    limits_options,
    main,
    mode_option,
    model_option,
    note_encoding,
    open_store,
    out,
    print_record,
    processes_option,
    progress_bar,
    published_option,
    stopping_on_signals,
    translation_options,
)
from newsgraph.schema import Record


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample corpus.")
@db_option
@model_option
@mode_option
@processes_option
@published_option
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles per transaction.",
)
@allow_private_option
@translation_options
@limits_options
def ingest(
    paths: tuple[str, ...],
    sample: bool,
    db: str,
    model: str,
    mode: str,
    processes: int,
    published: str | None,
    batch_size: int,
    allow_private: bool,
    language: str | None,
    translate: bool,
    engines: tuple[str, ...],
    max_bytes: int,
    deadline: float,
) -> None:
    """Analyse articles and store the results.

    PATHS are files, directories (walked recursively) or globs: .txt, .jsonl, .html, .warc(.gz), RSS/Atom
    feeds; http(s) URLs of pages or feeds; and files listing URLs one per line. Articles already in
    the store (same canonical URL or same text) are skipped, so re-running after an interruption finishes
    the job. A bad file is reported and skipped; the exit code is 1 if any input failed.

    \b
    Examples:
      newsgraph ingest articles/ --db news.db
      newsgraph ingest 'feeds/*.jsonl' --processes 2
      newsgraph ingest notes.txt --published 2024-03-14
      newsgraph ingest crawl.warc.gz https://example.com/news/rss.xml urls.txt
      newsgraph ingest noticias/ --language es        # translated with Apertium, then analysed
    """
    from newsgraph.ingest import ingest as run_ingest
    from newsgraph.pipeline import Pipeline
    from newsgraph.sources import check_reference_date

    published = check_reference_date(published)
    chosen = input_paths(paths, sample)
    stop = threading.Event()
    with (
        stopping_on_signals(stop, "the current batch"),
        open_store(db, create=True) as store,
        progress_bar("ingesting") as progress,
    ):
        task = progress.add_task("ingest", total=None)
        summary = run_ingest(
            store,
            chosen,
            pipeline=Pipeline(model, mode, translate=translate, language=language, engines=engines),
            processes=processes,
            published=published,
            allow_private=allow_private,
            max_bytes=max_bytes,
            deadline=deadline,
            batch_size=batch_size,
            on_progress=lambda done: progress.update(task, completed=done.analysed),
            on_error=lambda error: err.print(f"[red]error:[/red] {error}", highlight=False),
            stop=stop,
            on_article=note_encoding,
        )
        stats = store.stats()
    err.print(
        ("stopped: " if summary.stopped else "")
        + f"{summary.stored} stored, {summary.duplicates} already in the store, "
        f"{len(summary.failed)} failed; {db} now holds {stats['articles']} articles and "
        f"{stats['attributions']} attributions.",
        highlight=False,
    )
    if summary.stopped:
        err.print("run the same command again to ingest the rest", highlight=False)
    if summary.failed:
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
@model_option
@mode_option
@processes_option
@published_option
@allow_private_option
@translation_options
@limits_options
def analyze(
    paths: tuple[str, ...],
    sample: bool,
    fmt: str,
    output: str | None,
    model: str,
    mode: str,
    processes: int,
    published: str | None,
    allow_private: bool,
    language: str | None,
    translate: bool,
    engines: tuple[str, ...],
    max_bytes: int,
    deadline: float,
) -> None:
    """Analyse articles and print the records, without a store.

    For a plain-text file the record's `text` is the file's text exactly and `id` is the file stem, so
    offsets line up with annotations made on the file. An article in another language is translated
    first: `text` is then the English every span points into, and `translation` holds the original, the
    engine and the sentence alignment.

    \b
    Examples:
      newsgraph analyze story.txt --published 2024-03-14
      newsgraph analyze pages/ --format table
      newsgraph analyze dump.jsonl -o records.jsonl --processes 2
      newsgraph analyze nota.txt --language es --format table
    """
    from newsgraph.pipeline import Pipeline
    from newsgraph.sources import check_reference_date

    published = check_reference_date(published)
    reader = Reader(
        input_paths(paths, sample),
        published,
        allow_private=allow_private,
        max_bytes=max_bytes,
        deadline=deadline,
    )
    pipeline = Pipeline(model, mode, translate=translate, language=language, engines=engines)
    stream = open(output, "w", encoding="utf-8") if output else None  # noqa: SIM115
    progress = progress_bar("analysing")
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
                print_record(record, console)
    finally:
        progress.stop()
        if stream:
            stream.close()
    if reader.failed:
        raise click.exceptions.Exit(1)
