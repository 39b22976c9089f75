"""``eval attribution``: PolNeAR scores, or speaker accuracy on the bundled sample's hand-made gold."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from newsgraph.cli.common import (
    eval_group,
    input_paths,
    mode_option,
    model_option,
    print_report,
    processes_option,
    run_scorer,
    sample_dir,
)

if TYPE_CHECKING:
    from newsgraph.evaluation.gold import GoldReport
    from newsgraph.pipeline import Pipeline


@eval_group.command(name="attribution")
@click.option("--polnear", type=click.Path(), help="PolNeAR split directory (text/, attributions/).")
@click.option(
    "--sample",
    is_flag=True,
    help="Score the bundled sample corpus against its hand-made gold, which names each speaker: speaker, "
    "via and kind accuracy, and hedged sentences wrongly attributed.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N articles (PolNeAR).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
@mode_option
@processes_option
def eval_attribution(
    polnear: str | None,
    sample: bool,
    limit: int | None,
    as_json: bool,
    model: str,
    mode: str,
    processes: int,
) -> None:
    """Attribution quality: on PolNeAR, P/R/F1 (exact span and token overlap) for content, source and cue;
    on the bundled sample (--sample), whether each attribution found has the right speaker entity, reporting
    chain (via) and kind.

    \b
    Examples:
      newsgraph eval attribution --polnear ../shared/eval/polnear/dev
      newsgraph eval attribution --sample
      newsgraph eval attribution --polnear ../shared/eval/polnear/dev --mode accurate
    """
    from newsgraph.pipeline import Pipeline

    if (polnear is None) == (not sample):
        raise click.UsageError("give --polnear DIR or --sample (one of them)")
    pipeline = Pipeline(model, mode)
    if sample:
        report = run_scorer("scoring", lambda progress: _score_sample(pipeline, processes, progress))
    else:
        from newsgraph.evaluation.polnear import evaluate_attribution

        report = run_scorer(
            "scoring",
            lambda progress: evaluate_attribution(
                polnear, pipeline, limit=limit, processes=processes, progress=progress
            ),
        )
    print_report(report, as_json)


def _score_sample(pipeline: Pipeline, processes: int, progress: Callable[[int, int], None]) -> GoldReport:
    """The bundled sample corpus against its hand-made gold."""
    from newsgraph.evaluation.gold import evaluate_gold
    from newsgraph.sources import read_articles

    articles = [a for a in read_articles(input_paths((), sample=True)) if not isinstance(a, Exception)]
    return evaluate_gold(articles, sample_dir() / "gold_attributions.json", pipeline, processes, progress)
