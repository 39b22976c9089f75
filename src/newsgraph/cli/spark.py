"""``spark``: the pipeline as an Apache Spark job, crawls and corpora in, Parquet tables out."""

from __future__ import annotations

import click

from newsgraph.cli.common import (
    db_option,
    err,
    main,
    mode_option,
    model_option,
    open_store,
    out,
    progress_bar,
    published_option,
)


@main.command(name="spark")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    help="Output folder (path or URI); its tables are replaced by this run's.",
)
@click.option(
    "--master",
    metavar="URL",
    help="Spark master: local[2], yarn, spark://host:7077… [default: spark-submit's, else local[*]]",
)
@click.option(
    "--partitions",
    type=click.IntRange(1),
    help="Tasks to deal the inputs out to. [default: 4 per core, at most one per split]",
)
@model_option
@mode_option
@published_option
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles analysed together (nlp.pipe batch) and rows per Arrow batch.",
)
@click.option(
    "--split-mb",
    default=64,
    show_default=True,
    type=click.IntRange(1),
    help="Large WARC and uncompressed JSONL files are read by several tasks, in ranges of this size.",
)
@click.option(
    "--max-bytes",
    default=20_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Largest file, JSON line or WARC record read; larger ones go to the errors table.",
)
def spark_command(
    inputs: tuple[str, ...],
    out_dir: str,
    master: str | None,
    partitions: int | None,
    model: str,
    mode: str,
    published: str | None,
    batch_size: int,
    split_mb: int,
    max_bytes: int,
) -> None:
    """Analyse INPUTS with Apache Spark and write Parquet tables under --out.

    INPUTS are WARC/WARC.gz crawls, JSONL files and folders of text or HTML, as local paths, globs or
    URIs Spark's executors can read (s3a://, gs://, hdfs://; only local ones are tested). Each Python
    worker loads the spaCy model and the gazetteer once and runs the same pipeline as `analyze`
    (`--mode accurate`: the fine-tuned encoder too, checked on the driver before Spark starts).

    Tables: articles, entities, attributions, events, places, times, claims (partitioned by
    published_date; child rows carry article_id) and errors (input, offset, line, reason). Article ids
    are the store's keys, so a re-run writes the same rows, and `newsgraph load DIR` imports them.
    The exit code is 1 when any input or record failed (see the errors table).

    \b
    Examples:
      newsgraph spark crawl.warc.gz articles/ --out tables/ --master 'local[2]'
      newsgraph spark 'dumps/*.jsonl' --out tables/ --published 2024-03-14
      spark-submit --master yarn $(python -c 'import newsgraph.spark.__main__ as m; print(m.__file__)') \\
          s3a://bucket/cc-news/2024/03/ --out s3a://bucket/newsgraph/2024-03/
    """
    from newsgraph.spark.job import run_job

    result = run_job(
        inputs,
        out_dir,
        master=master,
        partitions=partitions,
        model=model,
        mode=mode,
        published=published,
        max_bytes=max_bytes,
        batch_size=batch_size,
        split_bytes=split_mb * 1024 * 1024,
    )
    rows = ", ".join(f"{n:,} {name}" for name, n in result.rows.items())
    out.print(f"{result.out}: {rows}", highlight=False, soft_wrap=True)
    articles = result.rows.get("articles", 0)
    repeated = f"; {result.duplicates} repeated articles written once" if result.duplicates else ""
    err.print(
        f"{result.splits} splits in {result.partitions} tasks, {articles:,} articles in "
        f"{result.seconds:.1f} s{repeated}",
        highlight=False,
    )
    if result.rows.get("errors"):
        err.print(f"[red]{result.rows['errors']} inputs or records failed[/red]: see {out_dir}/errors")
        raise click.exceptions.Exit(1)


@main.command(name="load")
@click.argument("tables", metavar="PARQUET_DIR")
@db_option
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Records per transaction.",
)
def load_command(tables: str, db: str, batch_size: int) -> None:
    """Load the Parquet tables of a `newsgraph spark` run into the store.

    PARQUET_DIR is the --out folder of the run. Records are read a publication date at a time and stored
    as `ingest` stores them: articles the store already holds (same canonical URL or same text) are
    skipped, so loading twice, or loading runs that overlap, adds each article once.

    \b
    Examples:
      newsgraph load tables/ --db news.db
      for month in tables/2024-*; do newsgraph load "$month" --db news.db; done
    """
    from newsgraph.spark.load import load_tables

    with open_store(db, create=True) as store, progress_bar("loading") as progress:
        task = progress.add_task("load", total=None)
        summary = load_tables(
            store,
            tables,
            batch_size=batch_size,
            on_progress=lambda done: progress.update(task, completed=done.read),
        )
        stats = store.stats()
    err.print(
        f"{summary.stored} stored, {summary.duplicates} already in the store; {db} now holds "
        f"{stats['articles']} articles and {stats['attributions']} attributions.",
        highlight=False,
    )
