"""``eval extraction`` and ``eval dates``: ingestion quality on public benchmarks, beside reference tools."""

from __future__ import annotations

import click

from newsgraph.cli.common import eval_group, out, print_report, run_scorer


@eval_group.command(name="extraction")
@click.option(
    "--scrapinghub",
    "directory",
    required=True,
    type=click.Path(),
    help="ScrapingHub article-extraction benchmark folder (ground-truth.json, html/).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages by id (quick checks).")
@click.option(
    "--system",
    "systems",
    multiple=True,
    type=click.Choice(["newsgraph", "trafilatura"]),
    help="Score only these systems (repeatable); default both, side by side.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and per-page counts) as JSON.")
def eval_extraction(directory: str, limit: int | None, systems: tuple[str, ...], as_json: bool) -> None:
    """Article body extraction on the ScrapingHub benchmark: newsgraph beside plain trafilatura.

    Reproduces the benchmark's own metric: 4-word shingle precision and recall per page, averaged over
    pages, F1 of the averages, 95 % bootstrap intervals. Plain trafilatura (same version, default
    settings, body text only) runs on the same pages in the same run.

    \b
    Examples:
      newsgraph eval extraction --scrapinghub ../shared/eval/scrapinghub
      newsgraph eval extraction --scrapinghub ../shared/eval/scrapinghub --limit 20 --system newsgraph
    """
    from newsgraph.evaluation.extraction import evaluate_extraction

    report = run_scorer(
        "extracting",
        lambda progress: evaluate_extraction(
            directory,
            systems=systems or ("newsgraph", "trafilatura"),
            limit=limit,
            progress=progress,
        ),
    )
    print_report(report, as_json)


@eval_group.command(name="dates")
@click.option(
    "--htmldate",
    "directory",
    required=True,
    type=click.Path(),
    help="htmldate evaluation folder (gold.json, html/).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages (quick checks).")
@click.option(
    "--system",
    "systems",
    multiple=True,
    type=click.Choice(["newsgraph", "htmldate extensive", "htmldate fast"]),
    help="Score only these systems (repeatable); default all three, side by side.",
)
@click.option(
    "--half",
    type=click.Choice(["even", "odd"]),
    help="Only the even or odd half of the pages, numbered by sorted file name.",
)
@click.option(
    "--pages",
    "page_rows",
    type=click.Choice(["all", "differ"]),
    help="Also print each page's gold day beside every system's answer (all, or where they differ).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and every page's answer) as JSON.")
def eval_dates(
    directory: str,
    limit: int | None,
    systems: tuple[str, ...],
    half: str | None,
    page_rows: str | None,
    as_json: bool,
) -> None:
    """Publication dates of web pages: newsgraph beside htmldate's extensive and fast modes.

    Day-level accuracy over all pages, as htmldate's own evaluation computes it: a page without a date
    counts as wrong, and so does a page newsgraph makes no record of (no article text). Every system gets
    the same page and no URL. The even and odd halves of the pages (by sorted file name) are reported
    apart, since newsgraph's newer date rules were decided on the even half alone.

    \b
    Examples:
      newsgraph eval dates --htmldate ../shared/eval/htmldate-dev
      newsgraph eval dates --htmldate ../shared/eval/htmldate-dev --pages differ
      newsgraph eval dates --htmldate ../shared/eval/htmldate-dev --half odd --limit 100 --json
    """
    from newsgraph.evaluation.dates import evaluate_dates

    report = run_scorer(
        "dating",
        lambda progress: evaluate_dates(
            directory,
            systems=systems or ("newsgraph", "htmldate extensive", "htmldate fast"),
            limit=limit,
            progress=progress,
            half=half,
        ),
    )
    if page_rows and not as_json:
        out.print(report.page_table(only_differences=page_rows == "differ"))
    print_report(report, as_json)
