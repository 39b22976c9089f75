"""``eval times``: TempEval-3 style scores of the TIMES stage on a TimeML corpus."""

from __future__ import annotations

import json

import click

from newsgraph.cli.common import eval_group, model_option, out, processes_option, run_scorer


@eval_group.command(name="times")
@click.option(
    "--timeml",
    "timeml",
    required=True,
    type=click.Path(),
    help="Folder of TimeML .tml files, searched recursively (TimeBank, AQUAINT, TE3 platinum).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents, in path order.")
@click.option(
    "--errors",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Also list the N most frequent errors (gold value, predicted value, text).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
@processes_option
def eval_times(
    timeml: str, limit: int | None, errors: int, as_json: bool, model: str, processes: int
) -> None:
    """Strict and relaxed span F1, value F1 and type F1 of temporal expressions (TempEval-3 task A).

    Each document is analysed by the full pipeline as an article published on its document creation
    time, so the figures are those of the times a user gets. Matching is one to one; value and type
    count on relaxed matches, over all predictions and all gold expressions.

    \b
    Examples:
      newsgraph eval times --timeml ../shared/eval/timebank-aquaint
      newsgraph eval times --timeml ../shared/eval/timebank-aquaint/AQUAINT --limit 20 --errors 15
      newsgraph eval times --timeml ../shared/eval/timebank-aquaint --json > times.json
    """
    from newsgraph.evaluation.timeml import evaluate_timeml
    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline(model)
    report = run_scorer(
        "scoring",
        lambda progress: evaluate_timeml(
            timeml,
            pipeline,
            limit=limit,
            processes=processes,
            progress=progress,
        ),
    )
    common = report.common_errors(errors) if errors else []
    if as_json:
        data = report.to_dict()
        if errors:
            data["common_errors"] = [
                {"gold": gold, "predicted": predicted, "text": text, "count": count}
                for (gold, predicted, text), count in common
            ]
        out.print_json(json.dumps(data))
        return
    out.print(report.table())
    for (gold, predicted, text), count in common:
        out.print(f"{count:4d}  {text!r}: gold {gold}, predicted {predicted}", highlight=False)
