"""``eval places``: GeoWebNews toponym detection and resolution."""

from __future__ import annotations

import click

from newsgraph.cli.common import (
    err,
    eval_group,
    model_option,
    print_report,
    processes_option,
    run_scorer,
)


@eval_group.command(name="places")
@click.option(
    "--gwn",
    "gwn",
    required=True,
    type=click.Path(),
    help="GeoWebNews folder (holding GWN.xml).",
)
@click.option(
    "--articles",
    "part",
    type=click.Choice(["all", "even", "odd"]),
    default="all",
    show_default=True,
    help="Which articles: the toponym scorer is fitted on those with an even index in GWN.xml, so "
    "'odd' scores only articles it has not seen.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
@processes_option
def eval_places(gwn: str, part: str, limit: int | None, as_json: bool, model: str, processes: int) -> None:
    """Toponym detection P/R/F1 and resolution Acc@161 km, mean/median error and exact GeoNames id.

    Detection counts the places and the demonyms the pipeline finds (GeoWebNews marks "Russian" as a
    toponym too); a span overlapping a gold toponym is a hit.

    Resolution is scored twice: given the gold toponym spans (on the toponyms resolved, as Mordecai3
    reports it) and end to end, where every gold toponym counts and a missed one is wrong. No server is
    involved: the gazetteer is the local index (built on first use).

    \b
    Examples:
      newsgraph eval places --gwn ../shared/eval/geowebnews
      newsgraph eval places --gwn ../shared/eval/geowebnews --articles odd
      newsgraph eval places --gwn ../shared/eval/geowebnews --limit 20 --json
    """
    from newsgraph.evaluation.geowebnews import evaluate_places
    from newsgraph.geo.gazetteer import Gazetteer
    from newsgraph.pipeline import load_spacy

    gazetteer = Gazetteer.default()
    # Only the tokenizer, tagger, parser and NER are needed: the places code runs on the parsed Docs.
    nlp = load_spacy(model)
    report = run_scorer(
        "scoring",
        lambda progress: evaluate_places(
            gwn,
            nlp,
            gazetteer=gazetteer,
            limit=limit,
            part=part,
            processes=processes,
            progress=progress,
        ),
    )
    print_report(report, as_json)
    err.print(f"gazetteer: {gazetteer.path}", highlight=False)
