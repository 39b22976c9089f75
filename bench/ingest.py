"""Ingestion speed and memory: WARC and HTML extraction by newsgraph against plain trafilatura.

1. Builds a synthetic crawl (``--size-mb``, default 1000 MB on disk, gzip per record like CC-NEWS unless
   ``--plain``) from the bundled sample pages (``src/newsgraph/data/sample/html``). Each page gets its own
   URL (outlet, date and slug vary; the canonical link is rewritten to match, so every record is a
   distinct article) and an inline ``<script>`` of 40-160 kB of filler, because real news pages run to
   about 100 kB of markup, mostly script. Every page record comes with a request record, and every tenth
   page with a JPEG response, which the readers must pass over.
2. Reads the crawl twice, each in a fresh Python process so that its peak memory is its own:

   - ``newsgraph``: ``read_articles([crawl])``: record parsing, HTML extraction, furniture removal, dates;
   - ``trafilatura``: warcio's ArchiveIterator over the same file, and for each HTML response
     ``trafilatura.extract(payload, url=uri, with_metadata=True)``, the call a user of the library would
     write.

   Resident memory is sampled when 25, 50, 75 and 100 % of the file has been read; flat figures show
   that records are streamed, not accumulated.
3. Reads the sample pages as HTML files (``--html-pages`` files, the six pages repeated) both ways:
   ``read_articles`` over the folder, and ``trafilatura.extract`` on each file's bytes.

4. With ``--analyse``: ``newsgraph ingest DIR -j 2`` into a fresh SQLite store on PolNeAR's dev texts
   (``../shared/eval/polnear/dev/text``, as ``bench/throughput.py`` reads them): articles/s with reading,
   analysis, storage and full-text indexing, and where the time goes. Two fresh interpreters: the
   command itself (wall time, model loading and worker start-up included), and one that loads the
   pipeline (timed apart), then times reading the files, ``Pipeline.analyze(processes=2)``, storing
   the records (``ingest_records``, FTS included) in a fresh store, and the whole ``ingest(...,
   processes=2)`` with the loaded pipeline into another.

The crawl is deleted afterwards unless ``--keep``. Importing and a warm-up page are not timed.

Usage::

    .venv/bin/python bench/ingest.py --size-mb 50            # a quick look
    .venv/bin/python bench/ingest.py                         # the 1 GB crawl (about 15 minutes on 2 cores)
    .venv/bin/python bench/ingest.py --skip-warc --html-pages 0 --analyse   # ingest -j 2 into SQLite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
POLNEAR_DEV = REPO_ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"
# The reference date of the plain-text articles (PolNeAR's are from the 2016 campaign).
PUBLISHED = "2016-10-01"
SAMPLE_HTML = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "html"
OUTLETS = ("ledger", "courier", "wire", "gazette", "herald", "post", "tribune", "observer")
CHECKPOINTS = (0.25, 0.5, 0.75, 1.0)
# Filler sizes: news pages carry 40-160 kB of inline script and state (measured on CC-NEWS pages, the
# median HTML response is about 100 kB).
FILLER_MIN, FILLER_MAX = 40_000, 160_000


# --- building the crawl ----------------------------------------------------------------------------


def build_warc(
    path: Path,
    size_mb: float,
    compress: bool,
    seed: int = 7,
    filler: tuple[int, int] = (FILLER_MIN, FILLER_MAX),
) -> dict[str, Any]:
    """Write a synthetic crawl of about ``size_mb`` MB on disk; return what it holds.

    ``filler`` is the range of inline script bytes added to each page (bench/spark.py uses larger pages
    so that a 1 GB crawl holds fewer articles to analyse).
    """
    rng = random.Random(seed)
    pages = [p.read_bytes() for p in sorted(SAMPLE_HTML.glob("*.html"))]
    alphabet = string.ascii_letters + string.digits + "     {}[]:,."
    pool = "".join(rng.choices(alphabet, k=filler[1] * 2)).encode()
    jpeg = b"\xff\xd8\xff\xe0" + bytes(rng.getrandbits(8) for _ in range(30_000))
    target = int(size_mb * 1_000_000)
    counts = {"pages": 0, "records": 0}
    started = time.perf_counter()
    with path.open("wb") as out:
        while out.tell() < target:
            n = counts["pages"]
            outlet = OUTLETS[n % len(OUTLETS)]
            day = 1 + n % 28
            url = f"https://{outlet}.example/news/2024/03/{day:02d}/story-{n}.html"
            html = _vary(pages[n % len(pages)], url, pool, rng, filler)
            date = f"2024-03-{day:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
            records = [_request(url, date), _response(url, date, "text/html; charset=utf-8", html)]
            if n % 10 == 9:
                image = url.replace(".html", ".jpg")
                records.append(_response(image, date, "image/jpeg", jpeg))
            for record in records:
                out.write(_gzip(record) if compress else record)
            counts["pages"] += 1
            counts["records"] += len(records)
        size = out.tell()
    return {**counts, "bytes": size, "build_s": round(time.perf_counter() - started, 1)}


def _vary(page: bytes, url: str, pool: bytes, rng: random.Random, filler: tuple[int, int]) -> bytes:
    encoded = url.encode()
    page = re.sub(rb'(rel="canonical" href=")[^"]*', rb"\g<1>" + encoded, page)
    page = re.sub(rb'(property="og:url" content=")[^"]*', rb"\g<1>" + encoded, page)
    size = rng.randint(*filler)
    start = rng.randint(0, len(pool) - size)
    script = b'<script>window.__STATE__ = "' + pool[start : start + size] + b'";</script>'
    return page.replace(b"</head>", script + b"</head>", 1)


def _record(kind: str, url: str, date: str, content_type: str, block: bytes) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def _request(url: str, date: str) -> bytes:
    host = url.split("/")[2]
    block = f"GET /{url.split('/', 3)[3]} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bench\r\n\r\n".encode()
    return _record("request", url, date, "application/http; msgtype=request", block)


def _response(url: str, date: str, content_type: str, body: bytes) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return _record("response", url, date, "application/http; msgtype=response", http.encode() + body)


def _gzip(record: bytes) -> bytes:
    # Level 6 (gzip's default); CC-NEWS files are written the same way, one gzip member per record.
    packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return packer.compress(record) + packer.flush()


# --- measuring (each mode runs in its own process) ---------------------------------------------------


def rss_mib() -> float:
    """Current resident memory of this process, in MiB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


class _MemorySamples:
    """Resident memory when the share of the file read first reaches each of :data:`CHECKPOINTS`."""

    def __init__(self) -> None:
        self.marks = list(CHECKPOINTS)
        self.samples: list[dict[str, float]] = []

    def read(self, done: float) -> None:
        while self.marks and done >= self.marks[0] - 0.002:
            self.samples.append({"at": self.marks.pop(0), "rss_mib": rss_mib()})

    def finish(self) -> list[dict[str, float]]:
        self.read(1.0)
        return self.samples


def measure_warc_newsgraph(path: Path) -> dict[str, Any]:
    from newsgraph.errors import InputError
    from newsgraph.sources import read_articles

    _warm_up()
    size = path.stat().st_size
    memory = _MemorySamples()
    pages = errors = 0
    started = time.perf_counter()
    for item in read_articles([path]):
        if isinstance(item, InputError):
            errors += 1
            continue
        pages += 1
        memory.read(item.metadata["warc_offset"] / size)
    elapsed = time.perf_counter() - started
    return _figures(pages, errors, elapsed, memory.finish())


def measure_warc_trafilatura(path: Path) -> dict[str, Any]:
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    _warm_up()
    size = path.stat().st_size
    memory = _MemorySamples()
    pages = errors = 0
    started = time.perf_counter()
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if not (record.http_headers.get_header("Content-Type") or "").startswith("text/html"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            text = trafilatura.extract(record.content_stream().read(), url=url, with_metadata=True)
            if text:
                pages += 1
            else:
                errors += 1
            memory.read(handle.tell() / size)
    elapsed = time.perf_counter() - started
    return _figures(pages, errors, elapsed, memory.finish())


def measure_html_newsgraph(folder: Path) -> dict[str, Any]:
    from newsgraph.errors import InputError
    from newsgraph.sources import read_articles

    _warm_up()
    pages = errors = 0
    started = time.perf_counter()
    for item in read_articles([folder]):
        if isinstance(item, InputError):
            errors += 1
        else:
            pages += 1
    return _figures(pages, errors, time.perf_counter() - started, [])


def measure_html_trafilatura(folder: Path) -> dict[str, Any]:
    import trafilatura

    _warm_up()
    pages = errors = 0
    started = time.perf_counter()
    for path in sorted(folder.glob("*.html")):
        if trafilatura.extract(path.read_bytes(), with_metadata=True):
            pages += 1
        else:
            errors += 1
    return _figures(pages, errors, time.perf_counter() - started, [])


def _warm_up() -> None:
    """Extract one page both ways, so lazy imports and caches are not timed."""
    import trafilatura

    from newsgraph.sources import read_articles

    page = next(iter(sorted(SAMPLE_HTML.glob("*.html"))))
    trafilatura.extract(page.read_bytes(), with_metadata=True)
    list(read_articles([page]))


def _figures(pages: int, errors: int, elapsed: float, samples: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "pages": pages,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "pages_per_s": round(pages / elapsed, 1) if elapsed else None,
        "rss_mib": samples,
        "peak_rss_mib": peak_mib(),
    }


def measure_store_stages(folder: Path) -> dict[str, Any]:
    """Load the pipeline, then time each part of ``ingest -j 2`` apart and the whole with the loaded model."""
    from newsgraph.errors import InputError
    from newsgraph.ingest import ingest, ingest_records
    from newsgraph.pipeline import Pipeline
    from newsgraph.schema import Article
    from newsgraph.sources import read_articles
    from newsgraph.store import Store

    started = time.perf_counter()
    pipeline = Pipeline()
    loading = time.perf_counter() - started
    list(pipeline.analyze([Article(text="The minister said on Tuesday that the talks had ended.")]))
    figures: dict[str, Any] = {"loading_s": round(loading, 2)}
    started = time.perf_counter()
    articles = [a for a in read_articles([folder], published=PUBLISHED) if not isinstance(a, InputError)]
    figures["read_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    records = list(pipeline.analyze(articles, processes=2))
    figures["analyse_s"] = round(time.perf_counter() - started, 2)
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "records.db") as store:
            started = time.perf_counter()
            stored = ingest_records(store, records).stored
            figures["store_s"] = round(time.perf_counter() - started, 2)
        with Store(Path(tmp) / "ingest.db") as store:
            started = time.perf_counter()
            summary = ingest(store, [folder], pipeline=pipeline, processes=2, published=PUBLISHED)
            figures["ingest_s"] = round(time.perf_counter() - started, 2)
    figures.update(articles=len(articles), stored=stored, ingested=summary.stored)
    figures["articles_per_s"] = round(summary.stored / figures["ingest_s"], 2)
    return figures


def measure_store_command(folder: Path) -> dict[str, Any]:
    """``newsgraph ingest DIR --processes 2`` into a fresh store: wall time, start-up included."""
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        command = [sys.executable, "-m", "newsgraph", "ingest", str(folder), "--db", str(db), "-j", "2"]
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--published", PUBLISHED], capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"newsgraph ingest failed:\n{done.stderr[-4000:]}")
        with sqlite3.connect(db) as conn:
            (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return {"wall_s": round(wall, 2), "articles": articles, "articles_per_s": round(articles / wall, 2)}


MODES = {
    "store-stages": measure_store_stages,
    "store-command": measure_store_command,
    "warc-newsgraph": measure_warc_newsgraph,
    "warc-trafilatura": measure_warc_trafilatura,
    "html-newsgraph": measure_html_newsgraph,
    "html-trafilatura": measure_html_trafilatura,
}


def run_mode(mode: str, target: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--mode", mode, "--target", str(target)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1000, help="size of the synthetic crawl on disk")
    parser.add_argument("--plain", action="store_true", help="write an uncompressed .warc")
    parser.add_argument("--dir", type=Path, help="where to write the crawl (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the crawl afterwards")
    parser.add_argument("--html-pages", type=int, default=300, help="HTML files for the file benchmark")
    parser.add_argument("--skip-warc", action="store_true", help="only the HTML-file benchmark")
    parser.add_argument(
        "--analyse", action="store_true", help="also time `newsgraph ingest -j 2` on PolNeAR dev into SQLite"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--mode", choices=sorted(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(MODES[args.mode](args.target)))
        return

    work = Path(tempfile.mkdtemp(prefix="newsgraph-bench-", dir=args.dir))
    figures: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    try:
        if not args.skip_warc:
            crawl = work / ("crawl.warc" if args.plain else "crawl.warc.gz")
            print(f"building {crawl} ({args.size_mb:g} MB)…", file=sys.stderr)
            figures["crawl"] = build_warc(crawl, args.size_mb, compress=not args.plain)
            for mode in ("warc-newsgraph", "warc-trafilatura"):
                print(f"{mode}…", file=sys.stderr)
                figures[mode] = run_mode(mode, crawl)
            crawl.unlink()
        folder = work / "html"
        folder.mkdir()
        pages = sorted(SAMPLE_HTML.glob("*.html"))
        for i in range(args.html_pages):
            shutil.copyfile(pages[i % len(pages)], folder / f"page-{i:05d}.html")
        for mode in ("html-newsgraph", "html-trafilatura") if args.html_pages else ():
            print(f"{mode}…", file=sys.stderr)
            figures[mode] = run_mode(mode, folder)
        if args.analyse:
            if not POLNEAR_DEV.is_dir():
                sys.exit(f"--analyse needs PolNeAR's dev texts at {POLNEAR_DEV}")
            for mode in ("store-stages", "store-command"):
                print(f"{mode}…", file=sys.stderr)
                figures[mode] = run_mode(mode, POLNEAR_DEV)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


def report(figures: dict[str, Any]) -> None:
    crawl = figures.get("crawl")
    if crawl:
        print(
            f"crawl: {crawl['bytes'] / 1e6:.0f} MB on disk, {crawl['pages']} HTML pages, "
            f"{crawl['records']} records (built in {crawl['build_s']} s)"
        )
    header = f"{'run':<18} {'pages':>7} {'errors':>6} {'seconds':>8} {'pages/s':>8} {'peak RSS':>11}"
    print(f"{header}  RSS MiB at 25/50/75/100 % of the file")
    for name in ("warc-newsgraph", "warc-trafilatura", "html-newsgraph", "html-trafilatura"):
        row = figures.get(name)
        if not row:
            continue
        series = " / ".join(f"{s['rss_mib']:.0f}" for s in row["rss_mib"]) or "-"
        print(
            f"{name:<18} {row['pages']:>7} {row['errors']:>6} {row['seconds']:>8} {row['pages_per_s']:>8} "
            f"{row['peak_rss_mib']:>7.0f} MiB  {series}"
        )
    stages, command = figures.get("store-stages"), figures.get("store-command")
    if stages and command:
        print(
            f"newsgraph ingest -j 2, {command['articles']} PolNeAR dev articles into SQLite with FTS: "
            f"{command['articles_per_s']} articles/s ({command['wall_s']} s wall, start-up included); "
            f"with the model loaded ({stages['loading_s']} s apart): {stages['articles_per_s']} articles/s "
            f"({stages['ingest_s']} s), of which reading {stages['read_s']} s, analysis (2 processes) "
            f"{stages['analyse_s']} s, storing {stages['store_s']} s when timed apart"
        )
    for kind in ("warc", "html"):
        ours, theirs = figures.get(f"{kind}-newsgraph"), figures.get(f"{kind}-trafilatura")
        if ours and theirs and theirs["pages_per_s"]:
            ratio = ours["pages_per_s"] / theirs["pages_per_s"]
            print(f"{kind}: newsgraph runs at {ratio:.0%} of plain trafilatura's pages/s")


if __name__ == "__main__":
    main()
