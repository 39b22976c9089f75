"""Speed of the TIMES stage: mentions/s, and its share of the full pipeline's time.

The full pipeline (spaCy's components and newsgraph's) runs over the texts one stage at a time: every
component's ``pipe`` consumes the whole batch of Docs before the next starts, which is what ``nlp.pipe``
does per batch, so each component's time is its own. The TIMES stage is ``newsgraph_times`` (detection,
normalisation and document-level resolution of every expression in a Doc); its rate is counted in
expressions found per second of that stage alone.

Texts come from PolNeAR's train split at ``../shared/eval/polnear/train/text`` (relative to the repository
root) when it is there, else from the bundled sample corpus, repeated up to ``--texts``. The reference
date for relative expressions is ``--published`` (PolNeAR is 2016 election news). Loading the model and
a warm-up pass over a few texts are not timed. One process; the shares do not depend on the count.

Usage::

    .venv/bin/python bench/times.py --texts 200
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "bench"))

from throughput import load_texts  # noqa: E402  (the texts every bench here uses)

WARMUP_TEXTS = 8


def time_components(model: str, texts: list[str], published: str, batch_size: int) -> dict[str, Any]:
    """Run every component of the full pipeline over ``texts`` in turn; return seconds per component."""
    from newsgraph.pipeline import load_model

    nlp = load_model(model)

    def make_docs(chunk: list[str]) -> list[Any]:
        docs = [nlp.make_doc(text) for text in chunk]
        for doc in docs:
            doc._.published = published
        return docs

    for _ in nlp.pipe(make_docs(texts[:WARMUP_TEXTS])):
        pass
    seconds: dict[str, float] = {"tokenizer": 0.0}
    start = time.perf_counter()
    docs = make_docs(texts)
    seconds["tokenizer"] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    mentions = sum(len(doc._.newsgraph.get("times", [])) for doc in docs)
    return {"seconds": seconds, "mentions": mentions, "words": sum(len(doc) for doc in docs)}


def print_table(result: dict[str, Any], origin: str, model: str) -> None:
    from rich.console import Console
    from rich.table import Table

    seconds = result["seconds"]
    total = sum(seconds.values())
    table = Table(title=f"{result['texts']} texts, {result['words']:,} tokens from {origin}; model {model}")
    for name in ("component", "seconds", "share of pipeline"):
        table.add_column(name, justify="left" if name == "component" else "right")
    for name, value in seconds.items():
        style = "bold" if name == "newsgraph_times" else ""
        table.add_row(name, f"{value:.2f}", f"{100 * value / total:.1f}%", style=style)
    table.add_row("total", f"{total:.2f}", "100.0%")
    console = Console()
    console.print(table)
    stage = seconds["newsgraph_times"]
    console.print(
        f"TIMES stage: {result['mentions']:,} expressions in {stage:.2f} s = "
        f"{result['mentions'] / stage:,.0f} mentions/s, {result['texts'] / stage:,.0f} articles/s, "
        f"{100 * stage / total:.1f}% of the full pipeline's time"
    )


def main() -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200, help="number of texts (default 200)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per batch (default 16)")
    parser.add_argument(
        "--published", default="2016-10-15", help="reference date for relative times (default 2016-10-15)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.texts < 1:
        parser.error("--texts must be 1 or more")

    texts, origin = load_texts(args.texts)
    result = time_components(args.model, texts, args.published, args.batch_size)
    result["texts"] = len(texts)
    print_table(result, origin, args.model)
    if args.json:
        args.json.write_text(json.dumps({"origin": origin, "model": args.model, **result}, indent=2))


if __name__ == "__main__":
    main()
