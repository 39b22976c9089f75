"""Throughput of newsgraph's full pipeline against the bare spaCy model it is built on.

For each process count, two configurations run on the same texts, each in a fresh Python process so that
its peak memory is its own:

- ``bare``: ``spacy.load(model).pipe(texts, n_process=p)``, the floor any spaCy-based system pays;
- ``full``: ``Pipeline(model).analyze(articles, processes=p)``, everything newsgraph does per article;
- ``accurate`` (with ``--accurate``): the same in attribution's accurate mode, ``Pipeline(model,
  "accurate")``, with the shipped encoder weights or those of ``--encoder DIR``.

Loading the model and a warm-up pass over the first texts in one process are not timed; with ``p > 1`` the
start-up of spaCy's worker processes is timed, because every ``pipe`` call pays it. Peak RSS is the
configuration process's own peak plus the largest peak among its finished children (Linux reports only
the largest child, not their sum), so with ``p > 1`` the real total is higher by ``p - 1`` workers, minus
the pages they share with the parent after ``fork``.

Each configuration runs ``--repeat`` times (default 3), alternating with the other, and the run with the
median words/s is reported, with the highest peak RSS among its runs: on a shared machine two back-to-back
runs of the same configuration can differ by a tenth.

Texts come from PolNeAR's train split at ``../shared/eval/polnear/train/text`` (relative to the repository
root) when it is there, else from the bundled sample corpus, repeated up to ``--texts``.

Usage::

    .venv/bin/python bench/throughput.py --texts 200 --processes 1 2
    .venv/bin/python bench/throughput.py --texts 60 --processes 1 --accurate
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
POLNEAR_TRAIN = REPO_ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
SAMPLE_CORPUS = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
# Enough to touch every component once (lazy gazetteer and rule tables) without eating into the timed run.
WARMUP_TEXTS = 8


def load_texts(count: int) -> tuple[list[str], str]:
    """Return ``count`` texts and a description of where they came from."""
    if POLNEAR_TRAIN.is_dir():
        paths = sorted(POLNEAR_TRAIN.glob("*.txt"))
        texts = [p.read_text(encoding="utf-8") for p in paths[:count]]
        origin = f"PolNeAR train ({POLNEAR_TRAIN})"
    elif SAMPLE_CORPUS.is_file():
        lines = SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
        origin = f"sample corpus ({SAMPLE_CORPUS.relative_to(REPO_ROOT)}), repeated"
    else:
        sys.exit(f"no texts: neither {POLNEAR_TRAIN} nor {SAMPLE_CORPUS} exists")
    if not texts:
        sys.exit(f"no texts found in {origin}")
    return list(itertools.islice(itertools.cycle(texts), count)), origin


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(child, 1), "total": round(own + child, 1)}


def run_configuration(
    mode: str, model: str, processes: int, batch_size: int, texts: list[str], encoder: str | None = None
) -> dict[str, Any]:
    """Time one configuration in this process and return its figures."""
    if mode == "bare":
        import spacy

        nlp = spacy.load(model)
        list(nlp.pipe(texts[:WARMUP_TEXTS]))
        start = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=processes, batch_size=batch_size):
            pass
        elapsed = time.perf_counter() - start
    else:
        from newsgraph.pipeline import Pipeline
        from newsgraph.schema import Article

        pipeline = Pipeline(model, "accurate" if mode == "accurate" else "fast", encoder)
        articles = [Article(text=text, id=str(i)) for i, text in enumerate(texts)]
        list(pipeline.analyze(articles[:WARMUP_TEXTS]))
        start = time.perf_counter()
        for _ in pipeline.analyze(articles, processes=processes, batch_size=batch_size):
            pass
        elapsed = time.perf_counter() - start
    words = sum(len(text.split()) for text in texts)
    return {
        "mode": mode,
        "processes": processes,
        "texts": len(texts),
        "words": words,
        "seconds": round(elapsed, 3),
        "articles_per_s": round(len(texts) / elapsed, 2),
        "words_per_s": round(words / elapsed, 1),
        "peak_rss_mib": peak_rss_mib(),
    }


def measure(mode: str, args: argparse.Namespace, texts_file: Path, processes: int) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter and return its figures."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        mode,
        "--texts-file",
        str(texts_file),
        "--model",
        args.model,
        "--processes",
        str(processes),
        "--batch-size",
        str(args.batch_size),
        *(["--encoder", str(args.encoder)] if args.encoder else []),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{mode} with {processes} process(es) failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results: list[dict[str, Any]], origin: str, model: str, repeat: int) -> None:
    from rich.console import Console
    from rich.table import Table

    first = results[0]
    runs = f"; median of {repeat} runs each" if repeat > 1 else ""
    table = Table(
        title=f"{first['texts']} texts, {first['words']:,} words from {origin}; model {model}{runs}"
    )
    for name in ("processes", "config", "articles/s", "words/s", "seconds", "peak RSS MiB", "x bare"):
        table.add_column(name, justify="right" if name != "config" else "left")
    by_key = {(r["processes"], r["mode"]): r for r in results}
    for processes in sorted({r["processes"] for r in results}):
        bare = by_key[(processes, "bare")]
        rows = [by_key[(processes, m)] for m in ("bare", "full", "accurate") if (processes, m) in by_key]
        for row in rows:
            ratio = f"{row['words_per_s'] / bare['words_per_s']:.2f}" if row is not bare else ""
            table.add_row(
                str(processes),
                row["mode"],
                f"{row['articles_per_s']:.1f}",
                f"{row['words_per_s']:,.0f}",
                f"{row['seconds']:.1f}",
                f"{row['peak_rss_mib']['total']:.0f}",
                ratio,
            )
    Console().print(table)


def main() -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200, help="number of texts (default 200)")
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="process counts (default 1 2)"
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per batch (default 16)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each configuration, alternated; the median is reported (default 3)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--accurate", action="store_true", help="also run the pipeline in attribution's accurate mode"
    )
    parser.add_argument("--encoder", type=Path, help="accurate mode: encoder weights (default: shipped)")
    parser.add_argument("--worker", choices=["bare", "full", "accurate"], help=argparse.SUPPRESS)
    parser.add_argument("--texts-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        texts = json.loads(args.texts_file.read_text(encoding="utf-8"))
        [processes] = args.processes
        encoder = str(args.encoder) if args.encoder else None
        figures = run_configuration(args.worker, args.model, processes, args.batch_size, texts, encoder)
        print(json.dumps(figures))
        return

    if args.texts < 1 or args.repeat < 1 or any(p < 1 for p in args.processes):
        parser.error("--texts, --repeat and --processes must be 1 or more")
    texts, origin = load_texts(args.texts)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        for processes in args.processes:
            modes = ("bare", "full", "accurate") if args.accurate else ("bare", "full")
            runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
            # Alternated, so that a slow spell of a shared machine falls on every configuration.
            for trial in range(1, args.repeat + 1):
                for mode in modes:
                    print(f"{mode}, {processes} process(es), run {trial}…", file=sys.stderr, flush=True)
                    runs[mode].append(measure(mode, args, texts_file, processes))
            for mode in modes:
                results.append(median_run(runs[mode]))
    print_table(results, origin, args.model, args.repeat)
    if args.json:
        args.json.write_text(
            json.dumps({"origin": origin, "model": args.model, "results": results}, indent=2)
        )


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median words/s (the lower middle one for an even count), with every run's words/s
    and the highest peak memory among them."""
    ordered = sorted(runs, key=lambda r: r["words_per_s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs_words_per_s"] = [r["words_per_s"] for r in runs]
    chosen["peak_rss_mib"] = max((r["peak_rss_mib"] for r in runs), key=lambda m: m["total"])
    return chosen


if __name__ == "__main__":
    main()
