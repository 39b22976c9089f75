"""Throughput of newsgraph's full pipeline against the bare spaCy model it is built on; where its time goes.

For each process count, configurations run on the same texts, each in a fresh Python process so that its
peak memory is its own:

- ``bare``: ``spacy.load(model).pipe(texts, n_process=p)`` with all the model's pipes (six for
  ``en_core_web_sm``), the floor any spaCy-based system pays;
- ``full``: ``Pipeline(model).analyze(articles, processes=p)``, everything newsgraph does per article;
- ``accurate`` (with ``--accurate``): the same in attribution's accurate mode, ``Pipeline(model,
  "accurate")``, with the shipped encoder weights or those of ``--encoder DIR``.

Loading the model and a warm-up pass over the first texts in one process are not timed (model loading is
timed apart and reported in its own column); with ``p > 1`` the start-up of the worker processes is timed,
because every call pays it. Peak RSS is the configuration process's own peak plus the largest peak among
its finished children (Linux reports only the largest child, not their sum), so with ``p > 1`` the real
total is higher by ``p - 1`` workers, minus the pages they share with the parent after ``fork``.

``CPU s`` is the CPU time of the timed part, the configuration process's and its worker processes'
together: the work done, which a busy machine stretches less than the wall time.

Each configuration runs ``--repeat`` times (default 3), alternating with the others, and the run with the
median articles/s is reported, with the highest peak RSS among its runs: on a shared machine two
back-to-back runs of the same configuration can differ by a tenth, so the ratio to ``bare`` on one
process measured in the same run (``x bare1``) is the figure that holds.

Unless ``--no-breakdown``, a ``profile`` run (one process, the full pipeline, median of ``--repeat``) then
times every pipe of the Language (spaCy's and newsgraph's) batch by batch through a wrapper set up in this
script only, plus the tokenizer and the building of Records from Docs, and prints each one's share.

Texts come from PolNeAR's dev split at ``../shared/eval/polnear/dev/text`` (relative to the repository
root; ``--split train`` for the train split) when it is there, else from the bundled sample corpus,
repeated up to ``--texts`` (default: every text of the split once).

Usage::

    .venv/bin/python bench/throughput.py --processes 1 2
    .venv/bin/python bench/throughput.py --texts 60 --processes 1 --accurate --no-breakdown
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
POLNEAR = REPO_ROOT.parent / "shared" / "eval" / "polnear"
SAMPLE_CORPUS = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
# Enough to touch every component once (lazy gazetteer and rule tables) without eating into the timed run.
WARMUP_TEXTS = 8
MODES = ("bare", "full", "accurate")


def load_texts(count: int | None, split: str = "dev") -> tuple[list[str], str]:
    """Return ``count`` texts (default: every text once) and a description of where they came from."""
    folder = POLNEAR / split / "text"
    if folder.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        origin = f"PolNeAR {split} ({folder})"
    elif SAMPLE_CORPUS.is_file():
        lines = SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
        origin = f"sample corpus ({SAMPLE_CORPUS.relative_to(REPO_ROOT)}), repeated"
    else:
        sys.exit(f"no texts: neither {folder} nor {SAMPLE_CORPUS} exists")
    if not texts:
        sys.exit(f"no texts found in {origin}")
    return list(itertools.islice(itertools.cycle(texts), count or len(texts))), origin


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(child, 1), "total": round(own + child, 1)}


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its children that have ended: the work done,
    which a busy machine stretches less than the wall time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timed:
    """A pipe of a Language, or its tokenizer, timed batch by batch: each batch is read from the pipe
    before it in full before the clock starts, so the time is this pipe's own."""

    def __init__(self, name: str, proc: Any, seconds: dict[str, float]):
        self.name, self.proc, self.seconds = name, proc, seconds
        seconds.setdefault(name, 0.0)

    def __call__(self, doc: Any) -> Any:
        start = time.perf_counter()
        out = self.proc(doc)
        self.seconds[self.name] += time.perf_counter() - start
        return out

    def pipe(self, docs: Any, batch_size: int = 1000, **kwargs: Any) -> Any:
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            start = time.perf_counter()
            if hasattr(self.proc, "pipe"):
                out = list(self.proc.pipe(batch, batch_size=batch_size, **kwargs))
            else:
                out = [self.proc(doc) for doc in batch]
            self.seconds[self.name] += time.perf_counter() - start
            yield from out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.proc, name)


def time_pipes(nlp: Any, seconds: dict[str, float]) -> None:
    """Wrap the tokenizer and every pipe of ``nlp`` in :class:`Timed` (in this process only)."""
    nlp.tokenizer = Timed("tokenizer", nlp.tokenizer, seconds)
    for index, (name, proc) in enumerate(nlp._components):
        if name in nlp.pipe_names:  # not the disabled ones
            nlp._components[index] = (name, Timed(name, proc, seconds))


def run_configuration(
    mode: str,
    model: str,
    processes: int,
    batch_size: int | None,
    texts: list[str],
    encoder: str | None = None,
) -> dict[str, Any]:
    """Time one configuration in this process and return its figures."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if mode == "bare":
        import spacy

        nlp = spacy.load(model)
        loading = time.perf_counter() - started
        size = batch_size or 16
        list(nlp.pipe(texts[:WARMUP_TEXTS]))
        cpu = cpu_seconds()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=processes, batch_size=size):
            pass
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
    else:
        import newsgraph.pipeline as pipeline_module
        from newsgraph.schema import Article

        pipeline = pipeline_module.Pipeline(model, "fast" if mode != "accurate" else "accurate", encoder)
        loading = time.perf_counter() - started
        articles = [Article(text=text, id=str(i)) for i, text in enumerate(texts)]
        list(pipeline.analyze(articles[:WARMUP_TEXTS]))
        options = {"batch_size": batch_size} if batch_size else {}
        if mode == "profile":
            time_pipes(pipeline.nlp, seconds)
            build = pipeline_module.record_from_doc

            def timed_build(*args: Any) -> Any:
                begin = time.perf_counter()
                record = build(*args)
                seconds["records"] = seconds.get("records", 0.0) + time.perf_counter() - begin
                return record

            pipeline_module.record_from_doc = timed_build
        cpu = cpu_seconds()
        start = time.perf_counter()
        for _ in pipeline.analyze(articles, processes=processes, **options):
            pass
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
    words = sum(len(text.split()) for text in texts)
    figures = {
        "mode": mode,
        "processes": processes,
        "texts": len(texts),
        "words": words,
        "loading_s": round(loading, 2),
        "seconds": round(elapsed, 3),
        "cpu_s": round(cpu, 2),
        "articles_per_s": round(len(texts) / elapsed, 2),
        "words_per_s": round(words / elapsed, 1),
        "peak_rss_mib": peak_rss_mib(),
    }
    if seconds:
        seconds["other"] = max(0.0, elapsed - sum(seconds.values()))
        figures["breakdown_s"] = {name: round(value, 4) for name, value in seconds.items()}
    return figures


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
        *(["--batch-size", str(args.batch_size)] if args.batch_size else []),
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
    columns = ("processes", "config", "articles/s", "words/s", "seconds", "CPU s", "load s", "peak RSS MiB")
    for name in (*columns, "x bare", "x bare1"):
        table.add_column(name, justify="right" if name != "config" else "left")
    by_key = {(r["processes"], r["mode"]): r for r in results if r["mode"] in MODES}
    bare1 = by_key.get((1, "bare"))
    for processes in sorted({p for p, _ in by_key}):
        bare = by_key[(processes, "bare")]
        for row in [by_key[(processes, m)] for m in MODES if (processes, m) in by_key]:
            ratio = f"{row['articles_per_s'] / bare['articles_per_s']:.2f}" if row is not bare else ""
            ratio1 = f"{row['articles_per_s'] / bare1['articles_per_s']:.2f}" if bare1 else ""
            table.add_row(
                str(processes),
                row["mode"],
                f"{row['articles_per_s']:.2f}",
                f"{row['words_per_s']:,.0f}",
                f"{row['seconds']:.1f}",
                f"{row.get('cpu_s', 0.0):.1f}",
                f"{row['loading_s']:.1f}",
                f"{row['peak_rss_mib']['total']:.0f}",
                ratio,
                "" if row is bare1 else ratio1,
            )
    console = Console(width=140)
    console.print(table)
    profile = next((r for r in results if r["mode"] == "profile"), None)
    if profile:
        breakdown = profile["breakdown_s"]
        total = profile["seconds"]
        table = Table(
            title=f"where the full pipeline's time goes: one process, {profile['texts']} texts, "
            f"{total:.1f} s (median of the profile runs; load {profile['loading_s']:.1f} s apart)"
        )
        for name in ("stage", "seconds", "share", "ms/article"):
            table.add_column(name, justify="left" if name == "stage" else "right")
        for name, value in breakdown.items():
            table.add_row(
                name, f"{value:.2f}", f"{100 * value / total:.1f} %", f"{1000 * value / profile['texts']:.1f}"
            )
        console.print(table)


def main() -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, help="number of texts (default: every text of the split once)")
    parser.add_argument(
        "--split", choices=["dev", "train"], default="dev", help="PolNeAR split (default dev)"
    )
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="process counts (default 1 2)"
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument(
        "--batch-size", type=int, help="texts per batch (default: the pipeline's own; 16 for bare spaCy)"
    )
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
    parser.add_argument("--no-breakdown", action="store_true", help="skip the per-pipe profile runs")
    parser.add_argument("--encoder", type=Path, help="accurate mode: encoder weights (default: shipped)")
    parser.add_argument("--worker", choices=[*MODES, "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--texts-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        texts = json.loads(args.texts_file.read_text(encoding="utf-8"))
        [processes] = args.processes
        encoder = str(args.encoder) if args.encoder else None
        figures = run_configuration(args.worker, args.model, processes, args.batch_size, texts, encoder)
        print(json.dumps(figures))
        return

    if (args.texts is not None and args.texts < 1) or args.repeat < 1 or any(p < 1 for p in args.processes):
        parser.error("--texts, --repeat and --processes must be 1 or more")
    texts, origin = load_texts(args.texts, args.split)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        plan = [
            (p, m) for p in args.processes for m in ("bare", "full", "accurate")[: 3 if args.accurate else 2]
        ]
        if not args.no_breakdown:
            plan.append((1, "profile"))
        runs: dict[tuple[int, str], list[dict[str, Any]]] = {key: [] for key in plan}
        # Alternated, so that a slow spell of a shared machine falls on every configuration.
        for trial in range(1, args.repeat + 1):
            for processes, mode in plan:
                print(f"{mode}, {processes} process(es), run {trial}…", file=sys.stderr, flush=True)
                runs[(processes, mode)].append(measure(mode, args, texts_file, processes))
        results = [median_run(runs[key]) for key in plan]
    print_table(results, origin, args.model, args.repeat)
    if args.json:
        args.json.write_text(
            json.dumps({"origin": origin, "model": args.model, "results": results}, indent=2)
        )


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median articles/s (the lower middle one for an even count), with every run's
    articles/s, the highest peak memory among them and, for profile runs, each stage's median seconds."""
    ordered = sorted(runs, key=lambda r: r["articles_per_s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs_articles_per_s"] = [r["articles_per_s"] for r in runs]
    chosen["peak_rss_mib"] = max((r["peak_rss_mib"] for r in runs), key=lambda m: m["total"])
    chosen["loading_s"] = statistics.median(r["loading_s"] for r in runs)
    if "breakdown_s" in chosen:
        names = chosen["breakdown_s"]
        chosen["breakdown_s"] = {n: statistics.median(r["breakdown_s"][n] for r in runs) for n in names}
    return chosen


if __name__ == "__main__":
    main()
