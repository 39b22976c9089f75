"""Throughput and memory of the attribution stage against the bare spaCy model it runs on.

Three configurations run on the same texts, each in a fresh Python process so that its peak memory is its
own (the texts and the measuring code are those of ``bench/throughput.py``):

- ``bare``: ``spacy.load(model).pipe(texts)``;
- ``attribution``: the same pipeline plus ``newsgraph_paragraphs`` (before the parser: sentence bounds at
  blank lines and quote marks), ``newsgraph_entities`` and ``newsgraph_attribution`` (entities resolve
  speakers): the pipeline with the attribution stage;
- ``full``: everything newsgraph runs (``Pipeline.analyze``), for reference.

A per-component timing of the ``attribution`` configuration is printed as well: each stage's share of the
time per article, from a second pass over the same texts after the timed one.

Usage::

    .venv/bin/python bench/attribution_throughput.py --texts 150
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import WARMUP_TEXTS, load_texts, peak_rss_mib

STAGES = ("newsgraph_entities", "newsgraph_attribution")
BATCH_SIZE = 16


def _timed(name: str, proc: Any, totals: dict[str, float]) -> Any:
    def run(doc: Any) -> Any:
        started = time.perf_counter()
        doc = proc(doc)
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - started
        return doc

    return run


def run_configuration(mode: str, model: str, texts: list[str]) -> dict[str, Any]:
    """Time one configuration in this process."""
    import spacy

    totals: dict[str, float] = {}
    if mode == "full":
        from newsgraph.pipeline import Pipeline
        from newsgraph.schema import Article

        pipeline = Pipeline(model)
        articles = [Article(text=text, id=str(i)) for i, text in enumerate(texts)]
        list(pipeline.analyze(articles[:WARMUP_TEXTS]))
        started = time.perf_counter()
        for _ in pipeline.analyze(articles, batch_size=BATCH_SIZE):
            pass
        elapsed = time.perf_counter() - started
    else:
        nlp = spacy.load(model, exclude=list(STAGES))
        if mode == "attribution":
            from newsgraph.pipeline import add_paragraph_breaks

            add_paragraph_breaks(nlp)  # parsed as the attribution model expects
            for name in STAGES:
                nlp.add_pipe(name)
        list(nlp.pipe(texts[:WARMUP_TEXTS]))
        started = time.perf_counter()
        # The batch size newsgraph's Pipeline and bench/throughput.py use (spaCy's default of 1,000 texts
        # holds every Doc of this run in memory at once).
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass
        elapsed = time.perf_counter() - started
        if mode == "attribution":
            # Stage shares from a second, untimed pass, one Doc at a time (spaCy's own components run
            # unbatched here, so their share is a little higher than in the timed run).
            for text in texts:
                doc = nlp.make_doc(text)
                for name, proc in nlp.pipeline:
                    doc = _timed(name, proc, totals)(doc)
    words = sum(len(text.split()) for text in texts)
    return {
        "mode": mode,
        "texts": len(texts),
        "words": words,
        "seconds": round(elapsed, 3),
        "words_per_s": round(words / elapsed, 1),
        "peak_rss_mib": peak_rss_mib(),
        "stage_seconds": {k: round(v, 3) for k, v in totals.items()},
    }


def main() -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=150, help="number of texts (default 150)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--worker", choices=["bare", "attribution", "full"], help=argparse.SUPPRESS)
    parser.add_argument("--texts-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        texts = json.loads(args.texts_file.read_text(encoding="utf-8"))
        print(json.dumps(run_configuration(args.worker, args.model, texts)))
        return

    texts, origin = load_texts(args.texts)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        for mode in ("bare", "attribution", "full"):
            print(f"{mode}…", file=sys.stderr, flush=True)
            command = [sys.executable, __file__, "--worker", mode, "--texts-file", str(texts_file)]
            command += ["--model", args.model]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"{mode} failed:\n{done.stderr[-4000:]}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    from rich.console import Console
    from rich.table import Table

    bare = results[0]
    table = Table(title=f"{bare['texts']} texts, {bare['words']:,} words from {origin}; model {args.model}")
    for name in ("config", "words/s", "seconds", "peak RSS MiB", "of bare"):
        table.add_column(name, justify="left" if name == "config" else "right")
    for row in results:
        table.add_row(
            row["mode"],
            f"{row['words_per_s']:,.0f}",
            f"{row['seconds']:.1f}",
            f"{row['peak_rss_mib']['total']:.0f}",
            f"{row['words_per_s'] / bare['words_per_s']:.2f}",
        )
    console = Console(width=120)
    console.print(table)
    stages = results[1]["stage_seconds"]
    total = sum(stages.values())
    shares = ", ".join(f"{name} {100 * seconds / total:.1f}%" for name, seconds in stages.items())
    console.print(f"Share of the attribution configuration's time per stage: {shares}")
    if args.json:
        args.json.write_text(json.dumps({"origin": origin, "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
