"""newsgraph's attributions beside textacy's ``direct_quotations`` on the same PolNeAR articles, in one run.

Each article is parsed once by newsgraph's pipeline; textacy's extractor then runs on that same Doc, so both
systems see the same tokens, sentences and parse. Both are scored by newsgraph's PolNeAR scorer
(:mod:`newsgraph.evaluation.polnear`): exact span (quote marks and edge punctuation trimmed), strict span and
token-overlap P/R/F1 for content, source and cue, over all gold attributions and over the quote-marked ones.
textacy finds direct quotations only, so its recall over all attributions is bounded by the share of
quote-marked ones; the "quoted" rows compare the two on the ground textacy covers, and the "newsgraph,
direct" rows keep only newsgraph's direct quotations: the same kind of output as textacy's, scored the same
way (textacy's few, mostly "said" cues are precise; so are newsgraph's direct ones).

textacy is not a newsgraph dependency; install it into the same environment for this bench
(``pip install "textacy>=0.13,<0.14"``: it installs beside spaCy 3.8 without changing it).

Usage::

    .venv/bin/python bench/attribution_vs_textacy.py --polnear ../shared/eval/polnear/dev
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO_ROOT.parent / "shared" / "eval" / "polnear" / "dev"


def textacy_attributions(doc: Any) -> list[Any] | None:
    """textacy's direct quotations of ``doc`` as newsgraph Attributions (character spans).

    Returns None when textacy gives up on the article: it raises ValueError on an odd number of quote marks,
    which every multi-paragraph quote in newspaper style produces (each paragraph opens a mark, only the last
    closes one). Such an article counts as textacy predicting nothing.
    """
    from textacy.extract.triples import direct_quotations

    from newsgraph.schema import Attribution

    out = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return None
    for triple in triples:
        speaker = list(triple.speaker)
        cue = list(triple.cue)
        content = triple.content
        out.append(
            Attribution(
                content=(content.start_char, content.end_char),
                kind="direct",
                source=(speaker[0].idx, speaker[-1].idx + len(speaker[-1].text)) if speaker else None,
                cue=(cue[0].idx, cue[-1].idx + len(cue[-1].text)) if cue else None,
            )
        )
    return out


def run(split: Path, limit: int | None, model: str) -> dict[str, Any]:
    """Score both systems on ``split`` and return their reports as dicts."""
    from newsgraph.components import record_from_doc
    from newsgraph.evaluation.polnear import AttributionReport, load_polnear
    from newsgraph.pipeline import Pipeline

    golds = list(itertools.islice(load_polnear(split), limit))
    pipeline = Pipeline(model)
    ours, direct, theirs = AttributionReport(), AttributionReport(), AttributionReport()
    seconds = {"newsgraph (spaCy + all stages)": 0.0, "textacy direct_quotations": 0.0}
    gave_up = 0
    for gold in golds:
        started = time.perf_counter()
        doc = pipeline.nlp(gold.text)
        record = record_from_doc(doc, gold.article)
        middle = time.perf_counter()
        found = textacy_attributions(doc)
        seconds["textacy direct_quotations"] += time.perf_counter() - middle
        seconds["newsgraph (spaCy + all stages)"] += middle - started
        if found is None:
            gave_up += 1
        ours.add(gold, [*record.attributions, *record.claims])
        direct.add(gold, [a for a in record.attributions if a.kind == "direct"])
        theirs.add(gold, found or [])
    return {
        "articles": len(golds),
        "textacy_gave_up": gave_up,
        "newsgraph": ours.to_dict(),
        "newsgraph, direct": direct.to_dict(),
        "textacy": theirs.to_dict(),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    ours = result["newsgraph"]
    table = Table(
        title=(
            f"PolNeAR, {result['articles']} articles: newsgraph vs textacy direct_quotations "
            f"({ours['gold_attributions']} gold attributions, {ours['quoted_gold']} quote-marked; "
            f"textacy gave up on {result['textacy_gave_up']} articles with unbalanced quote marks)"
        )
    )
    for name in (
        "subset",
        "role",
        "system",
        "pred",
        "exact P",
        "exact R",
        "exact F1",
        "strict F1",
        "token F1",
    ):
        table.add_column(name, justify="left" if name in ("subset", "role", "system") else "right")
    for subset in ("all", "quoted"):
        for role in ("content", "source", "cue"):
            for name in ("newsgraph", "newsgraph, direct", "textacy"):
                report = result[name]
                score = report["scores"][subset][role]
                exact = score["exact"]
                table.add_row(
                    subset,
                    role,
                    name,
                    str(exact["predicted"]),
                    f"{100 * exact['precision']:.1f}",
                    f"{100 * exact['recall']:.1f}",
                    f"{100 * exact['f1']:.1f}",
                    f"{100 * score['strict']['f1']:.1f}",
                    f"{100 * score['token']['f1']:.1f}",
                )
        table.add_section()
    Console(width=150).print(table)


def main() -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--polnear", type=Path, default=DEFAULT_SPLIT, help=f"split (default {DEFAULT_SPLIT})"
    )
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    try:
        import textacy  # noqa: F401
    except ImportError:
        sys.exit('textacy is not installed: pip install "textacy>=0.13,<0.14" (it leaves spaCy 3.8 as it is)')
    result = run(args.polnear, args.limit, args.model)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
