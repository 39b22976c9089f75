"""``eval attribution``: PolNeAR scores."""

from __future__ import annotations

import click

from newsgraph.cli.common import eval_group, model_option, print_report, processes_option, run_scorer


@eval_group.command(name="attribution")
@click.option(
    "--polnear",
    "polnear",
    required=True,
    type=click.Path(),
    help="PolNeAR split directory (text/, attributions/).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
@processes_option
def eval_attribution(polnear: str, limit: int | None, as_json: bool, model: str, processes: int) -> None:
    """Attribution P/R/F1 (exact span and token overlap) for content, source and cue on PolNeAR.

    \b
    Example:
      newsgraph eval attribution --polnear ../shared/eval/polnear/dev
    """
    from newsgraph.evaluation.polnear import evaluate_attribution
    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline(model)
    report = run_scorer(
        "scoring",
        lambda progress: evaluate_attribution(
            polnear,
            pipeline,
            limit=limit,
            processes=processes,
            progress=progress,
        ),
    )
    print_report(report, as_json)
