"""Load `newsgraph serve` on 127.0.0.1 while `newsgraph ingest` writes to the same store.

1. Analyses the sample corpus once, then stores ``--articles`` records made from it by varying names, other
   words and dates (same-length substitutions, so every span stays valid; enough words change that the
   copies are not linked as one syndicated story).
2. Starts ``newsgraph serve`` and ``newsgraph ingest`` (on ``--ingest`` further varied articles) as
   subprocesses on that store, and for ``--seconds`` runs ``--clients`` concurrent HTTP clients over a mix of
   endpoints: quotes (by speaker, via, date, full text), search, article, entities, entity, events, places,
   stories, articles. The aggregates (entities, events, places, stories) are requested once first, as a
   running server has them computed; that warm-up's duration is printed.
3. Prints requests/s, p50/p95/p99 latency and errors per endpoint, and how many articles ingest stored
   meanwhile.

Usage: python bench/serve.py [--articles 10000] [--seconds 60] [--clients 4] [--db FILE] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from newsgraph.cli import sample_dir
from newsgraph.pipeline import Pipeline
from newsgraph.schema import Article, Record
from newsgraph.sources import read_articles
from newsgraph.store import Store

_WORD = re.compile(r"[A-Za-z]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Share of ordinary words replaced in each copy: with 5-word shingles, about 0.85^5 = 44 % of a copy's
# shingles survive, well under the 0.5 Jaccard at which two articles count as one story.
_WORD_CHANGE = 0.15
# Distinct stand-ins per name length: names recur across articles, as speakers do in real news.
_NAMES_PER_LENGTH = 40


def _stand_in(word: str, rng: random.Random) -> str:
    letters = "".join(rng.choice(_LETTERS) for _ in word)
    return "".join(c.upper() if o.isupper() else c for c, o in zip(letters, word, strict=True))


class Varier:
    """Makes copies of analysed records with other names, words and dates; spans keep their offsets."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool: dict[int, list[str]] = {}

    def _name(self, word: str) -> str:
        if len(word) not in self.pool:
            pool_rng = random.Random(len(word))
            self.pool[len(word)] = [_stand_in(word, pool_rng).capitalize() for _ in range(_NAMES_PER_LENGTH)]
        name = self.rng.choice(self.pool[len(word)])
        return name if not word.isupper() else name.upper()

    def vary(self, record: Record, n: int) -> Record:
        # Agencies relaying statements keep their names (a handful of them carry most news).
        relays = {token for a in record.attributions for v in a.via for token in _WORD.findall(v.name)}
        names = {
            token
            for e in record.entities
            for alias in (e.name, *e.aliases)
            for token in _WORD.findall(alias)
            if token[:1].isupper() and len(token) > 2 and token not in relays
        }
        mapping = {token: self._name(token) for token in names}

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in mapping:
                return mapping[word]
            return _stand_in(word, self.rng) if self.rng.random() < _WORD_CHANGE else word

        def rename(value: Any) -> Any:
            if isinstance(value, str):
                return _WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
            if isinstance(value, list):
                return [rename(v) for v in value]
            if isinstance(value, dict):
                return {
                    k: (v if k in ("id", "type", "kind", "value") else rename(v)) for k, v in value.items()
                }
            return value

        data = record.to_dict()
        text = _WORD.sub(swap, data["text"])
        assert len(text) == len(data["text"])
        for part in ("entities", "attributions", "events", "places", "claims"):
            data[part] = rename(data[part])
        day = self.rng.randrange(3 * 365)
        data.update(
            text=text,
            title=rename(data.get("title") or ""),
            id=f"bench-{n}",
            url=f"https://bench.example/{n}",
            published=time.strftime("%Y-%m-%d", time.gmtime(1_672_531_200 + day * 86_400)),
            metadata={},
        )
        return Record.from_dict(data)


def build_store(path: Path, count: int, base: list[Record]) -> float:
    varier = Varier(1)
    start = time.perf_counter()
    with Store(path) as store:
        store.save((varier.vary(base[i % len(base)], i) for i in range(count)), batch_size=200)
    return time.perf_counter() - start


def write_ingest_input(path: Path, count: int, base: list[Record]) -> None:
    varier = Varier(2)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = varier.vary(base[i % len(base)], 1_000_000 + i)
            a = record.article
            line = {"id": a.id, "url": a.url, "title": a.title, "outlet": a.outlet, "published": a.published}
            out.write(json.dumps({**line, "text": a.text}) + "\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def plan_requests(client: httpx.Client, rng: random.Random) -> list[tuple[str, str]]:
    """A pool of (endpoint, URL) pairs drawn from what the store holds."""
    people = client.get("/api/v1/entities?type=PERSON&limit=200").json()["items"]
    speakers = [e["name"] for e in people if e["attributions"]] or ["minister"]
    entity_ids = [e["id"] for e in people]
    keys = [a["key"] for a in client.get("/api/v1/articles?limit=500").json()["items"]]
    quoted = client.get("/api/v1/quotes?limit=500").json()["items"]
    vias = sorted({v["name"] for q in quoted for v in q["via"]}) or ["Kyodo"]
    words = [
        "minister",
        "talks",
        "trade",
        "agreement",
        "summit",
        "protest",
        "fisheries",
        "visit",
        "sanctions",
    ]
    months = [f"202{y}-{m:02d}" for y in (3, 4, 5) for m in range(1, 13)]
    pool: list[tuple[str, str]] = []
    for _ in range(400):
        pool += [
            ("quotes?speaker", f"/api/v1/quotes?speaker={rng.choice(speakers)}"),
            ("quotes?via", f"/api/v1/quotes?via={rng.choice(vias)}"),
            ("quotes?since", f"/api/v1/quotes?since={rng.choice(months)}"),
            ("quotes?q", f"/api/v1/quotes?q={rng.choice(words)}"),
            ("search", f"/api/v1/search?q={rng.choice(words)}+{rng.choice(words)}"),
            ("articles/{id}", f"/api/v1/articles/{rng.choice(keys)}"),
            ("articles/{id}", f"/api/v1/articles/{rng.choice(keys)}"),
        ]
        if rng.random() < 0.2:
            pool += [
                ("entities", "/api/v1/entities?type=PERSON"),
                ("entities/{id}", f"/api/v1/entities/{rng.choice(entity_ids)}"),
                (
                    "events",
                    f"/api/v1/events?type={rng.choice(['CONSULT', 'AGREE', 'PROTEST'])}&since=2025-06",
                ),
                ("places", "/api/v1/places"),
                ("stories", "/api/v1/stories"),
                ("articles", f"/api/v1/articles?since={rng.choice(months)}"),
            ]
    rng.shuffle(pool)
    return pool


async def load(base_url: str, pool: list[tuple[str, str]], seconds: float, clients: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.perf_counter() + seconds
    position = 0

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal position
        while time.perf_counter() < deadline:
            name, url = pool[position % len(pool)]
            position += 1
            start = time.perf_counter()
            try:
                response = await http.get(url)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies[name].append(time.perf_counter() - start)
            if not ok:
                errors[name] += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "seconds": elapsed}


AGGREGATES = ("entities", "events", "places", "stories")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--ingest", type=int, default=400, help="articles newsgraph ingest writes meanwhile")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--db", help="keep the generated store here, and reuse it when it already exists")
    args = parser.parse_args()

    root = sample_dir()
    articles = [
        a
        for a in read_articles([root / "wire.jsonl", root / "html", root / "text"])
        if isinstance(a, Article)
    ]
    base = list(Pipeline().analyze(articles))
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-serve-bench-"))
    db = Path(args.db) if args.db else folder / "bench.db"
    if db.exists():
        with Store(db) as store:
            print(f"reusing {db}: {store.stats()['articles']} articles", file=sys.stderr)
    else:
        build_seconds = build_store(db, args.articles, base)
        print(f"stored {args.articles} varied articles in {build_seconds:.0f} s ({db})", file=sys.stderr)
    feed = folder / "incoming.jsonl"
    write_ingest_input(feed, args.ingest, base)

    port = free_port()
    cli = [sys.executable, "-m", "newsgraph"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([*cli, "serve", "--db", str(db), "--port", str(port)], env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            for _ in range(200):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            before = client.get("/healthz").json()["articles"]
            pool = plan_requests(client, random.Random(7))
            # Small batches, so that ingest commits every few seconds during the run.
            writer = subprocess.Popen(
                [*cli, "ingest", str(feed), "--db", str(db), "--batch-size", "5"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # A running server has computed its aggregates already (its home page asks for them); the
            # first computation of event groups over 10,000 articles takes seconds (see README).
            warm = time.perf_counter()
            for url in sorted({url for name, url in pool if name in AGGREGATES}):
                client.get(url, timeout=300)
            warm_seconds = time.perf_counter() - warm
            # Start the load once ingest is writing (its model loaded, its first batch committed).
            deadline = time.perf_counter() + 300
            while client.get("/healthz").json()["articles"] == before and time.perf_counter() < deadline:
                time.sleep(1)
            started_at = client.get("/healthz").json()["articles"]
        result = asyncio.run(load(base_url, pool, args.seconds, args.clients))
        with httpx.Client(base_url=base_url, timeout=30) as client:
            after = client.get("/healthz").json()["articles"]
        before = started_at
        still_writing = writer.poll() is None
        writer.send_signal(signal.SIGINT)
        writer.wait(30)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)

    rows = []
    total = sum(len(v) for v in result["latencies"].values())
    for name in sorted(result["latencies"]):
        values = result["latencies"][name]
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "req_per_s": len(values) / result["seconds"],
                "p50_ms": 1000 * percentile(values, 0.50),
                "p95_ms": 1000 * percentile(values, 0.95),
                "p99_ms": 1000 * percentile(values, 0.99),
                "errors": result["errors"].get(name, 0),
            }
        )
    print(
        f"{args.articles} stored articles, {args.clients} clients, {result['seconds']:.0f} s: "
        f"{total / result['seconds']:.0f} req/s, {sum(r['errors'] for r in rows)} errors; "
        f"ingest stored {after - before} articles meanwhile; aggregates warmed in {warm_seconds:.0f} s"
        f"{' (and was still writing)' if still_writing else ''}"
    )
    print(f"{'endpoint':<16}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in rows:
        print(
            f"{r['endpoint']:<16}{r['requests']:>9}{r['req_per_s']:>8.1f}{r['p50_ms']:>9.1f}"
            f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['errors']:>8}"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"articles": args.articles, "ingested": after - before, "rows": rows}, indent=2)
        )


if __name__ == "__main__":
    main()
