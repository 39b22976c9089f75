"""``eval events``: PLOVER event coding scored on PLOVER gold-standard records."""

from __future__ import annotations

import json

import click
from rich.table import Table

from newsgraph.cli.common import eval_group, model_option, out, run_scorer


@eval_group.command(name="events")
@click.option(
    "--plover",
    "plover",
    required=True,
    type=click.Path(),
    help="PLOVER GSR JSON file (or a folder holding dev.json).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N sentences.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="Also list the sentences whose type or source country is wrong.")
@model_option
def eval_events(plover: str, limit: int | None, as_json: bool, errors: bool, model: str) -> None:
    """Top-1 event-type accuracy, macro-F1, and source and target country accuracy on PLOVER gold records.

    Each gold sentence is coded and its main event compared with the gold event. Gold labels follow
    PLOVER 0.5b1 and are mapped to the current ontology first (DEMAND → REQUEST, DISAPPROVE and
    INVESTIGATE → ACCUSE, FIGHT → ASSAULT; see docs/events.md).

    \b
    Examples:
      newsgraph eval events --plover ../shared/eval/plover-gsr/dev.json
      newsgraph eval events --plover ../shared/eval/plover-gsr/dev.json --json
    """
    from newsgraph.evaluation.plover import evaluate_events
    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline(model)
    report = run_scorer(
        "coding",
        lambda progress: evaluate_events(
            plover,
            pipeline.nlp,
            limit=limit,
            progress=progress,
        ),
    )
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    summary = Table("measure", "value", title=f"PLOVER GSR: {report.n} sentences")
    summary.add_row("top-1 event-type accuracy", f"{report.top1:.1%}")
    summary.add_row("macro-F1 (event types)", f"{report.macro_f1:.3f}")
    summary.add_row("source-actor country accuracy", f"{report.actor_accuracy:.1%}")
    summary.add_row("target country accuracy", f"{report.target_accuracy:.1%}")
    summary.add_row("sentences with no event coded", str(report.no_event))
    out.print(summary)
    per_type = Table("type", "precision", "recall", "F1", "gold", title="per event type")
    for name, (p, r, f, g) in report.per_type().items():
        per_type.add_row(name, f"{p:.2f}", f"{r:.2f}", f"{f:.2f}", str(g))
    out.print(per_type)
    if errors:
        wrong = Table("gold", "coded", "trigger", "source", "gold source", "sentence", title="errors")
        for item in report.items:
            if item.type == item.gold.type and (not item.gold.sources or item.actor in item.gold.sources):
                continue
            wrong.add_row(
                item.gold.type,
                item.type or "-",
                item.trigger or "",
                item.actor or "-",
                ",".join(sorted(item.gold.sources)),
                item.gold.text[:90],
            )
        out.print(wrong)
