"""``eval events``: PLOVER event coding scored on PLOVER gold-standard records and on labelled stories."""

from __future__ import annotations

import json

import click
from rich.table import Table

from newsgraph.cli.common import eval_group, model_option, out, run_scorer


@eval_group.command(name="events")
@click.option(
    "--plover",
    "plover",
    type=click.Path(),
    help="PLOVER GSR JSON file (or a folder holding dev.json).",
)
@click.option(
    "--stories",
    "stories",
    type=click.Path(),
    help="Stories JSONL labelled with their main event's PLOVER type (ngec-synthetic/stories.jsonl).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N sentences or stories.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="Also list the sentences whose type or source country is wrong.")
@model_option
def eval_events(
    plover: str | None, stories: str | None, limit: int | None, as_json: bool, errors: bool, model: str
) -> None:
    """Event coding scored on PLOVER gold records (--plover) or on labelled stories (--stories).

    With --plover: top-1 event-type accuracy, macro-F1, and source and target country accuracy. Each
    gold sentence is coded and its main event compared with the gold event. Gold labels follow PLOVER
    0.5b1 and are mapped to the current ontology first (DEMAND → REQUEST, DISAPPROVE and INVESTIGATE →
    ACCUSE, FIGHT → ASSAULT; see docs/events.md).

    With --stories: the share of stories where an event of the label's type is found, the share whose
    main event has that type, both per type, and the distinct types coded per story.

    \b
    Examples:
      newsgraph eval events --plover ../shared/eval/plover-gsr/dev.json
      newsgraph eval events --plover ../shared/eval/plover-gsr/dev.json --json
      newsgraph eval events --stories ../shared/eval/ngec-synthetic/stories.jsonl
    """
    from newsgraph.pipeline import Pipeline

    if (plover is None) == (stories is None):
        raise click.UsageError("give one of --plover FILE or --stories FILE")
    pipeline = Pipeline(model)
    if stories is not None:
        _eval_stories(stories, pipeline, limit, as_json)
        return
    assert plover is not None
    from newsgraph.evaluation.plover import evaluate_events

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


def _eval_stories(path: str, pipeline: object, limit: int | None, as_json: bool) -> None:
    from newsgraph.evaluation.stories import evaluate_stories

    nlp = pipeline.nlp  # type: ignore[attr-defined]
    report = run_scorer(
        "coding", lambda progress: evaluate_stories(path, nlp, limit=limit, progress=progress)
    )
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    summary = Table("measure", "value", title=f"labelled stories: {report.n}")
    summary.add_row("label's type found", f"{report.found:.1%}")
    summary.add_row("main event has the label's type", f"{report.main_accuracy:.1%}")
    summary.add_row("distinct types per story", f"{report.distinct_types:.2f}")
    summary.add_row("stories with no event coded", str(report.no_event))
    out.print(summary)
    per_type = Table("type", "found", "main", "stories", title="per label")
    for name, (found, main, n) in report.per_type().items():
        per_type.add_row(name, f"{found:.1%}", f"{main:.1%}", str(n))
    out.print(per_type)
