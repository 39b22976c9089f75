"""``eval translate``: the translated path against the English one on the parallel test set."""

from __future__ import annotations

import json

import click
from rich.table import Table

from newsgraph.cli.common import eval_group, model_option, out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


@eval_group.command(name="translate")
@click.option(
    "--set", "path", type=click.Path(dir_okay=False), help="Parallel set (default: the one shipped)."
)
@click.option(
    "--part",
    type=click.Choice(["dev", "test", "all"]),
    default="test",
    show_default=True,
    help="dev: the articles the rules were written on; test: those held aside while writing them.",
)
@click.option("--no-raw", is_flag=True, help="Skip the run on Apertium's raw output (no rules).")
@click.option("--no-native", is_flag=True, help="Skip the native French pipeline comparison.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@model_option
def eval_translate(
    path: str | None, part: str, no_raw: bool, no_native: bool, as_json: bool, model: str
) -> None:
    """Speaker and via accuracy of translated Spanish and French against the hand-written English.

    The parallel set's originals go through Apertium and the English stages; its English versions through
    the English stages alone; both are scored on the same gold speakers and vias, overall, by kind and by
    reporting frame ("según X", "citó X a Y", "dijo X a Y"...). Also counted on the translations: names
    kept as written, honorifics made English, quote marks and paragraph breaks kept, unknown words; and
    the same with Apertium's raw output, to show what the rules around it bring. On French, entity recall
    and place precision/recall of the translated path against a native French spaCy pipeline
    (fr_core_news_md, when installed).

    \b
    Examples:
      newsgraph eval translate
      newsgraph eval translate --part dev --json --no-native
    """
    from newsgraph.evaluation.translation import as_dict, evaluate_translation, load_parallel, native_french
    from newsgraph.pipeline import Pipeline
    from newsgraph.translate import Translator
    from newsgraph.translate.apertium import Apertium

    items = load_parallel(path, None if part == "all" else part)
    pipeline = Pipeline(model, engines=["apertium"])
    raw_translator = Translator([Apertium(protect_names=False, edit=False)])

    def analyze_raw(articles):  # type: ignore[no-untyped-def]
        kept, pipeline.translator = pipeline.translator, raw_translator
        try:
            return list(pipeline.analyze(articles))
        finally:
            pipeline.translator = kept

    native = None if no_native else native_french()
    report = evaluate_translation(
        items, lambda a: list(pipeline.analyze(a)), None if no_raw else analyze_raw, native
    )
    data = as_dict(report)
    if native is not None:
        data["native_model"] = native.model
    if as_json:
        out.print_json(json.dumps(data))
        return
    table = Table("path", "speaker %", "via %", "direct", "indirect", "mixed", title="attributions")
    for name in ("english", "translated", "raw_apertium"):
        scores = data[name]
        if scores is None:
            continue
        kinds = scores["by_kind"]
        table.add_row(
            name.replace("_", " "),
            _pct(scores["speaker"]),
            _pct(scores["via"]),
            *(_pct(kinds.get(k)) for k in ("direct", "indirect", "mixed")),
        )
    out.print(table)
    frames = Table("frame", "gold", "english %", "translated %", "lost", title="by reporting frame")
    for frame, row in data["frames"].items():
        lost = None if None in (row["english"], row["translated"]) else row["english"] - row["translated"]
        frames.add_row(frame, str(row["gold"]), _pct(row["english"]), _pct(row["translated"]), _pct(lost))
    out.print(frames)
    checks = Table("check", "with rules %", "raw Apertium %", title="on the translations")
    raw = data["raw_rules"] or {}
    for key in ("names_kept", "honorifics", "quotes_kept", "paragraphs_kept"):
        checks.add_row(key.replace("_", " "), _pct(data["rules"][key]), _pct(raw.get(key)))
    checks.add_row(
        "unknown words",
        f"{data['rules']['unknown_words']} / {data['rules']['words']}",
        f"{raw.get('unknown_words', '-')} / {raw.get('words', '-')}",
    )
    out.print(checks)
    if data["french_entities_places"]:
        native_table = Table("French", "entity recall %", "place P %", "place R %")
        for name, row in data["french_entities_places"].items():
            label = f"native ({data.get('native_model', '?')})" if name == "native" else name
            native_table.add_row(
                label, _pct(row["entity_recall"]), _pct(row["place_precision"]), _pct(row["place_recall"])
            )
        out.print(native_table)
    out.print(f"articles: {data['articles']}", highlight=False)
