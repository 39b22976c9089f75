"""``eval places``: GeoWebNews toponym detection and resolution."""

from __future__ import annotations

import json

import click

from newsgraph.cli.common import err, eval_group, model_option, out, processes_option, progress_bar


@eval_group.command(name="places")
@click.option(
    "--gwn",
    "gwn",
    required=True,
    type=click.Path(),
    help="GeoWebNews folder (holding GWN.xml).",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
@processes_option
def eval_places(gwn: str, limit: int | None, as_json: bool, model: str, processes: int) -> None:
    """Toponym detection P/R/F1 and resolution Acc@161 km, mean/median error and exact GeoNames id.

    Resolution is scored twice: given the gold toponym spans (on the toponyms resolved, as Mordecai3
    reports it) and end to end, where every gold toponym counts and a missed one is wrong. No server is
    involved: the gazetteer is the local index (built on first use).

    \b
    Examples:
      newsgraph eval places --gwn ../shared/eval/geowebnews
      newsgraph eval places --gwn ../shared/eval/geowebnews --limit 20 --json
    """
    import spacy

    from newsgraph.errors import ModelError
    from newsgraph.evaluation.geowebnews import evaluate_places
    from newsgraph.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    try:
        # Only the tokenizer, tagger, parser and NER are needed: the places code runs on the parsed Docs.
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(f"spaCy pipeline {model!r} could not be loaded: install it or pass --model") from exc
    with progress_bar("scoring") as progress:
        task = progress.add_task("eval", total=None)
        report = evaluate_places(
            gwn,
            nlp,
            gazetteer=gazetteer,
            limit=limit,
            processes=processes,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
    else:
        out.print(report.table())
    err.print(f"gazetteer: {gazetteer.path}", highlight=False)
