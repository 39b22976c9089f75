"""Time the store's read queries (the ones the API serves) on a generated store.

Usage: python bench/queries.py [--articles 10000] [--repeats 30]

Builds a store of invented articles (each with 8 attributions from a pool of 400 speakers, 12 outlets, 5
relaying agencies, 2 coded events and 2 resolved places, spread over two years), written with
``ingest_records``, then runs each query ``--repeats`` times and prints the median, p95 and worst time in
milliseconds: the first page and a page deep in the list (through its cursor) for quotes, articles, events
and entities, with and without filters; entity detail; places; full-text search. Nothing here is a test:
the figures go in the README, measured on the machine that quotes them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.ingest import ingest_records
from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, Via
from newsgraph.store import Store, entity_key

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
AGENCIES = ["Kyodo News", "Reuters", "AFP", "Yonhap", "Lusa"]
# Words of the generated quotes: a vocabulary of 3000 made-up words drawn with Zipf's law, as words are in
# news text, so that a searched word matches some articles rather than all of them.
WORDS = [f"w{i}" for i in range(3000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
PLACES = [
    (1850147, "Tokyo", 35.6895, 139.69171, "JP"),
    (2267057, "Lisbon", 38.71667, -9.13333, "PT"),
    (3143244, "Oslo", 59.91273, 10.74609, "NO"),
    (1835848, "Seoul", 37.566, 126.9784, "KR"),
]
COUNTRIES = ["JPN", "PRT", "NOR", "KOR", "CHN", "USA"]


def records(n: int, rng: random.Random) -> Iterator[Record]:
    for i in range(n):
        parts: list[str] = []
        entities: list[Entity] = []
        attributions: list[Attribution] = []
        for j in range(8):
            speaker = f"Speaker{rng.randrange(400)} Name"
            said = " ".join(rng.choices(WORDS, WEIGHTS, k=12))
            start = sum(len(p) + 1 for p in parts)
            sentence = f"{speaker} said {said}."
            parts.append(sentence)
            entities.append(
                Entity(f"e{j + 1}", speaker, "PERSON", [speaker.split()[0]], [(start, start + 15)])
            )
            via = [Via(rng.choice(AGENCIES))] if rng.random() < 0.3 else []
            attributions.append(
                Attribution(
                    (start + len(speaker) + 6, start + len(sentence)),
                    kind=rng.choice(["direct", "indirect", "mixed"]),
                    source=(start, start + len(speaker)),
                    cue=(start + len(speaker) + 1, start + len(speaker) + 5),
                    speaker=f"e{j + 1}",
                    speaker_name=speaker,
                    via=via,
                )
            )
        text = " ".join(parts)
        places = []
        for k, (gid, name, lat, lon, cc) in enumerate(rng.sample(PLACES, 2)):
            places.append(Place(f"p{k + 1}", (0, 5), name, gid, lat, lon, cc, True, admin1=name))
        events = [
            Event(
                (0, 5),
                rng.choice(["CONSULT", "AGREE", "ACCUSE", "PROTEST"]),
                actor_name=f"Speaker{rng.randrange(400)} Name",
                actor_country=rng.choice(COUNTRIES),
                target_country=rng.choice(COUNTRIES),
                hedged=rng.random() < 0.2,
                place="p1",
            )
            for _ in range(2)
        ]
        day = f"{2023 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        yield Record(
            Article(
                text=text,
                id=f"a{i}",
                url=f"https://news.example/{i}",
                outlet=rng.choice(OUTLETS),
                published=day,
            ),
            entities=entities,
            attributions=attributions,
            events=events,
            places=places,
        )


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the generated store")
    parser.add_argument("--repeats", type=int, default=30, help="runs of each query")
    args = parser.parse_args()
    n, repeats = args.articles, args.repeats
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        start = time.perf_counter()
        ingest_records(store, records(n, random.Random(7)), batch_size=200)
        quotes = store.stats()["attributions"]
        print(f"built {n} articles ({quotes} attributions) in {time.perf_counter() - start:.0f} s")
        deep_quotes = store.quote_page(limit=1000)
        for _ in range(20):
            deep_quotes = store.quote_page(cursor=deep_quotes.next, limit=1000)
        deep_articles = store.article_page(limit=1000)
        for _ in range(4):
            deep_articles = store.article_page(cursor=deep_articles.next, limit=1000)
        speaker = entity_key("Speaker7 Name", "PERSON")
        cases: dict[str, Callable[[], Any]] = {
            "quotes first page": lambda: store.quote_page(limit=50),
            "quotes page 400": lambda: store.quote_page(cursor=deep_quotes.next, limit=50),
            "quotes speaker=name": lambda: store.quote_page(speaker="speaker7 ", limit=50),
            "quotes speaker=entity key": lambda: store.quote_page(speaker=speaker, limit=50),
            "quotes via+since": lambda: store.quote_page(via="kyodo", since="2024-06", limit=50),
            "quotes outlet+kind": lambda: store.quote_page(outlet="Outlet C", kind="direct", limit=50),
            "quotes q": lambda: store.quote_page(q="w40", limit=50),
            "articles first page": lambda: store.article_page(limit=50),
            "articles page 100": lambda: store.article_page(cursor=deep_articles.next, limit=50),
            "articles q": lambda: store.article_page(q="w40", limit=50),
            "article record": lambda: store.get("a4242"),
            "search": lambda: store.search_page("w40 OR w41", limit=20),
            "entities first page": lambda: store.entity_page(limit=50),
            "entity detail": lambda: store.entity(speaker),
            "events first page": lambda: store.event_page(limit=50),
            "events type+country": lambda: store.event_page(type="AGREE", target_country="JPN", limit=50),
            "places": lambda: store.places(),
        }
        print(f"{'query':28} {'median':>8} {'p95':>8} {'max':>8}  (ms, {repeats} runs)")
        for name, fn in cases.items():
            median, p95, worst = timed(fn, repeats)
            print(f"{name:28} {median:8.1f} {p95:8.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
