"""Cost of event coding: its share of the full pipeline's time per article.

The full pipeline runs as ingest runs it (``nlp.pipe`` in batches, one process) and is timed as a whole.
Then, on the Docs it produced, event coding is timed again on its own: the ``newsgraph_events``
component plus the actor description (country and sector of each entity) that the entities component
runs for it. Both are deterministic, so re-running them costs what they cost inside the pipeline. The
share is event coding's time over the full pipeline's time. Lexicons and country tables are loaded
before timing starts (a warm-up pass), as they are once per process in real use.

Texts come from the bundled sample corpus (wire stories), repeated up to ``--texts``.

Usage::

    .venv/bin/python bench/events.py --texts 200
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
# Articles run before timing starts, so one-off loading (lexicons, country tables) is not counted.
WARM_UP = 5
# The batch size ingest uses by default.
BATCH_SIZE = 32


def load_articles(count: int) -> list[tuple[str, str | None]]:
    lines = SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    pairs = [(item["text"], item.get("published")) for item in items]
    return list(itertools.islice(itertools.cycle(pairs), count))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200, help="Articles to time (default 200).")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: newsgraph's default).")
    parser.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)

    from newsgraph.components import _entities
    from newsgraph.extract.actors import describe_entities
    from newsgraph.pipeline import DEFAULT_MODEL, Pipeline

    nlp = Pipeline(args.model or DEFAULT_MODEL).nlp
    articles = load_articles(args.texts)
    events_component = nlp.get_pipe("newsgraph_events")

    def docs(items: list[tuple[str, str | None]]) -> list:
        made = []
        for text, published in items:
            doc = nlp.make_doc(text)
            doc._.published = published
            made.append(doc)
        return made

    list(nlp.pipe(docs(articles[:WARM_UP])))  # loads lexicons, country tables and the gazetteer
    batch = docs(articles)
    start = time.perf_counter()
    done = list(nlp.pipe(batch, batch_size=BATCH_SIZE))
    total = time.perf_counter() - start
    seconds: dict[str, float] = defaultdict(float)
    events = 0
    words = sum(len(doc) for doc in done)
    for doc in done:
        start = time.perf_counter()
        describe_entities(doc, _entities(doc))
        seconds["actor description"] += time.perf_counter() - start
        start = time.perf_counter()
        events_component(doc)
        seconds["newsgraph_events"] += time.perf_counter() - start
        events += len(doc._.newsgraph.get("events", []))
    coding = seconds["newsgraph_events"] + seconds["actor description"]
    print(f"{args.texts} articles, {words} tokens, {events} events")
    print(f"full pipeline (nlp.pipe, batch {BATCH_SIZE}): {total:.2f} s, {words / total:,.0f} tokens/s")
    for name, value in seconds.items():
        print(f"  {name:<22}{value:>8.3f} s {value / total:>7.1%}")
    print(f"event coding: {coding:.3f} s = {coding / total:.1%} of the full pipeline's time")
    if args.json_out:
        figures = {
            "texts": args.texts,
            "tokens": words,
            "events": events,
            "pipeline_s": round(total, 3),
            "parts_s": {k: round(v, 4) for k, v in seconds.items()},
            "event_coding_s": round(coding, 4),
            "event_coding_share": round(coding / total, 4),
        }
        Path(args.json_out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
