"""Translation: Apertium's words/s, its share of the pipeline's time, memory flat over 1,000 articles.

The articles are the Spanish originals of newsgraph's parallel set (``data/translate/parallel.jsonl``),
cycled to ``--articles`` with each copy's first sentence numbered, so no two texts are the same. Three
measurements, one process:

1. ``translate``: the articles through :class:`~newsgraph.translate.Translator` (Apertium with newsgraph's
   rules: name analysis, placeholders, frame edits) in batches of ``--batch`` articles: words of Spanish per
   second, and the same for ``apertium spa-eng`` alone on the same sentences (one process per batch too),
   to show what the rules around it cost.
2. ``pipeline``: ``--pipeline-articles`` of them through the full pipeline, which translates then analyses;
   the translation's share of that time is the translation time measured inside the same run.
3. ``memory``: ``--articles`` articles (default 1,000) through the full pipeline, resident memory sampled
   every 100 articles; a flat series shows nothing accumulates (the name-analysis cache is bounded).

Usage::

    .venv/bin/python bench/translate.py                        # about 3 minutes on 2 cores
    .venv/bin/python bench/translate.py --articles 300 --json out.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import time
from collections.abc import Iterator

from newsgraph.evaluation.translation import load_parallel
from newsgraph.pipeline import Pipeline
from newsgraph.schema import Article
from newsgraph.translate import Translator
from newsgraph.translate.apertium import Apertium
from newsgraph.translate.segment import split_sentences


def articles(count: int) -> Iterator[Article]:
    originals = [i for i in load_parallel() if i.language == "es"]
    for n, item in enumerate(itertools.islice(itertools.cycle(originals), count)):
        text = item.text.replace(" ", f" (nota {n}) ", 1)  # a distinct text per copy
        yield Article(text=text, id=f"{item.id}-{n}", published=item.published, language="es")


def words(batch: list[Article]) -> int:
    return sum(len(a.text.split()) for a in batch)


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 1e6


def bench_translate(count: int, batch: int) -> dict[str, float]:
    translator = Translator([Apertium()])
    items = list(articles(count))
    translator.translate(items[:batch])  # warm: the pair list, the package versions
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        translator.translate(items[i : i + batch])
    rules = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        lines = [a.text[s.span[0] : s.span[1]] for a in items[i : i + batch] for s in split_sentences(a.text)]
        subprocess.run(
            ["apertium", "spa-eng"], input="\n".join(lines), capture_output=True, text=True, check=True
        )
    bare = time.perf_counter() - start
    total = words(items)
    return {
        "articles": count,
        "words": total,
        "words_per_s": total / rules,
        "bare_apertium_words_per_s": total / bare,
    }


def bench_pipeline(pipeline: Pipeline, count: int, batch: int) -> dict[str, float]:
    items = list(articles(count))
    translator = pipeline.translator
    assert translator is not None
    spent = 0.0
    original = translator.translate

    def timed(batch_articles):  # type: ignore[no-untyped-def]
        nonlocal spent
        start = time.perf_counter()
        try:
            return original(batch_articles)
        finally:
            spent += time.perf_counter() - start

    translator.translate = timed  # type: ignore[method-assign]
    list(pipeline.analyze(items[:batch], batch_size=batch))  # warm
    spent = 0.0
    start = time.perf_counter()
    list(pipeline.analyze(items, batch_size=batch))
    total = time.perf_counter() - start
    translator.translate = original  # type: ignore[method-assign]
    return {
        "articles": count,
        "seconds": total,
        "translation_seconds": spent,
        "translation_share": spent / total,
        "words_per_s": words(items) / total,
    }


def bench_memory(pipeline: Pipeline, count: int, batch: int) -> list[tuple[int, float]]:
    samples = [(0, rss_mb())]
    for n, _ in enumerate(pipeline.analyze(articles(count), batch_size=batch), 1):
        if n % 100 == 0:
            samples.append((n, rss_mb()))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles for the memory run")
    parser.add_argument("--translate-articles", type=int, default=512, help="articles for the speed run")
    parser.add_argument("--pipeline-articles", type=int, default=512, help="articles for the share run")
    parser.add_argument(
        "--batch", type=int, default=256, help="articles per translation call (as the pipeline)"
    )
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    figures["translate"] = result = bench_translate(args.translate_articles, args.batch)
    print(
        f"translate: {result['words']} words in {result['articles']} articles: "
        f"{result['words_per_s']:,.0f} words/s with newsgraph's rules, "
        f"{result['bare_apertium_words_per_s']:,.0f} words/s apertium spa-eng alone"
    )
    pipeline = Pipeline(engines=["apertium"])
    figures["pipeline"] = share = bench_pipeline(pipeline, args.pipeline_articles, args.batch)
    print(
        f"pipeline: {share['articles']} articles in {share['seconds']:.1f} s "
        f"({share['words_per_s']:,.0f} words/s); "
        f"translation {share['translation_seconds']:.1f} s, "
        f"{100 * share['translation_share']:.0f}% of the time"
    )
    figures["memory"] = samples = bench_memory(pipeline, args.articles, args.batch)
    print("memory (articles: RSS MB): " + ", ".join(f"{n}: {mb:.0f}" for n, mb in samples))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
