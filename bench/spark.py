"""The Spark job's speed and memory: local[1] against local[2], against `newsgraph ingest --processes 2`,
and a 1 GB crawl through local[2] with broken records planted in it.

1. Throughput (``--articles``, default 500): the same texts, written as ``.txt`` files, go through

   - ``newsgraph spark DIR --master local[1]`` and ``local[2]``;
   - ``newsgraph ingest DIR --processes 2`` into a fresh store.

   Each runs in a fresh process (``--repeat`` times, alternated; the median is reported). For Spark,
   the job time runs from planning the inputs to the last table written: it includes the Python
   workers loading the model and the gazetteer, and leaves out starting the JVM (``session_s``, also
   reported). Every task writes a trace line (``run_job(trace=…)``), from which the report draws each
   worker's timeline: time to the first task, the share of the tasks' span the cores were busy, the
   model loads and the gaps between tasks, and the time after the last task. ``wall_s`` is the whole
   command, start-up included, for the comparison with ingest, whose wall time includes loading the model
   and writing the store.
   Texts come from PolNeAR's train split at ``../shared/eval/polnear/train/text`` when it is there, else
   from the bundled sample corpus, each copy made distinct.
2. Crawl (``--warc-mb``, default 1000; 0 skips it): a synthetic CC-NEWS-style ``.warc.gz`` built by
   ``bench/ingest.py`` from the sample pages, with ``--filler-kb`` of inline script per page (larger than
   real pages' 40-160 kB, so that 1 GB holds a number of articles two cores analyse in minutes), and
   ``--broken`` records damaged on purpose (compressed bytes of an HTML response flipped) plus the file cut
   inside its last record. It goes through local[2]; the Python workers' resident memory is sampled
   every second, and the report gives each worker's peak and the spread of all samples after the first
   minute (flat memory: the spread stays small while the crawl streams through).

The machine's load average is printed before and after each run: on a shared machine the figures are
only as good as the quiet they were taken in.

Usage::

    .venv/bin/python bench/spark.py --articles 500 --warc-mb 1000 --json spark.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
POLNEAR_TRAIN = REPO_ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
SAMPLE_CORPUS = REPO_ROOT / "src" / "newsgraph" / "data" / "sample" / "wire.jsonl"
PUBLISHED = "2024-03-14"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def write_texts(folder: Path, count: int, polnear: Path = POLNEAR_TRAIN) -> str:
    """Write ``count`` distinct article texts as .txt files; return where they came from."""
    folder.mkdir(parents=True)
    if polnear.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(polnear.glob("*.txt"))]
        origin = f"PolNeAR train ({polnear})"
    else:
        lines = SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
        origin = f"sample corpus ({SAMPLE_CORPUS.relative_to(REPO_ROOT)}), copies numbered"
    for i in range(count):
        text = texts[i % len(texts)]
        if i >= len(texts):
            text = f"Copy {i}.\n\n{text}"  # a distinct text, so the store does not take it for a copy
        (folder / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
    return origin


# --- memory of Spark's Python workers --------------------------------------------------------------------


class WorkerMemory:
    """Samples the resident memory of every pyspark worker process below this one, once a second."""

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}
        self.samples: list[tuple[float, int, float]] = []  # (seconds since start, pid, MiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            now = time.perf_counter() - self._started
            for pid, mib in _python_workers():
                self.samples.append((now, pid, mib))
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), mib)
            jvm = _jvm_rss()
            if jvm is not None:
                self.peaks[-1] = max(self.peaks.get(-1, 0.0), jvm)

    def figures(self) -> dict[str, Any]:
        # Workers that did analysis hold the model: several hundred MiB. The daemon that forks them
        # stays small and is left out. A worker's steady range is what it held once it had first reached
        # 80 % of its peak (the model loaded): flat memory keeps that range narrow however long it runs.
        busy = [pid for pid, peak in self.peaks.items() if pid > 0 and peak > 150]
        steady = []
        for pid in busy:
            series = [mib for _, p, mib in self.samples if p == pid]
            loaded = next(i for i, mib in enumerate(series) if mib >= 0.8 * self.peaks[pid])
            steady.append([round(min(series[loaded:])), round(max(series[loaded:])), len(series) - loaded])
        return {
            "workers": len(busy),
            "peak_rss_mib": sorted(round(self.peaks[pid]) for pid in busy),
            "steady_min_max_samples": steady,
            "jvm_peak_rss_mib": round(self.peaks.get(-1, 0.0)),
            "samples": len(self.samples),
        }


def _jvm_rss() -> float | None:
    """Resident memory of the Spark JVM this process started (the driver, and executor on local[N])."""
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            if fields.get("PPid", "").strip() == me and fields.get("Name", "").strip() == "java":
                return int(fields["VmRSS"].split()[0]) / 1024
        except (OSError, KeyError, ValueError):
            continue
    return None


def _python_workers() -> list[tuple[int, float]]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read()
            if b"pyspark.daemon" not in cmdline and b"pyspark/daemon" not in cmdline:
                continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        out.append((int(entry), int(line.split()[1]) / 1024))
        except OSError:
            continue
    return out


# --- one measured run, in its own process ------------------------------------------------------------


def run_spark(master: str, inputs: list[str], out: Path, memory: bool) -> dict[str, Any]:
    from newsgraph.spark import run_job, spark_session

    started = time.perf_counter()
    spark = spark_session(master, app_name="newsgraph-bench")
    session_s = time.perf_counter() - started
    sampler = WorkerMemory() if memory else None
    trace = Path(tempfile.mkdtemp(prefix="newsgraph-spark-trace-"))
    if sampler:
        sampler.__enter__()
    job_started = time.time()
    try:
        result = run_job(inputs, str(out), published=PUBLISHED, spark=spark, trace=str(trace))
    finally:
        if sampler:
            sampler.__exit__()
    job_ended = time.time()
    cores = spark.sparkContext.defaultParallelism
    spark.stop()
    tasks = [json.loads(line) for path in trace.glob("*.jsonl") for line in path.read_text().splitlines()]
    shutil.rmtree(trace, ignore_errors=True)
    figures = {
        "master": master,
        "session_s": round(session_s, 1),
        "job_s": round(result.seconds, 1),
        "wall_s": round(time.perf_counter() - started, 1),
        "rows": result.rows,
        "splits": result.splits,
        "tasks": result.partitions,
        "articles_per_s": round(result.rows["articles"] / result.seconds, 2),
        "timeline": timeline(tasks, job_started, job_ended, cores),
    }
    if sampler:
        figures["memory"] = sampler.figures()
    return figures


def timeline(tasks: list[dict[str, Any]], started: float, ended: float, cores: int) -> dict[str, Any]:
    """Where the job's time went, from the tasks' trace lines (``run_job(trace=…)``).

    ``before_tasks_s``: planning, Spark's scheduling and the Python workers starting, up to the first
    task; ``tasks_s``: first task start to last task end, and ``busy``: the share of that span the
    cores spent inside tasks (1.0: no core ever waited); ``after_tasks_s``: finding repeated articles
    and writing the tables. ``load_s``: each worker's model and gazetteer load (inside its first task),
    ``gaps_s``: the time between one task's end and the next on the same worker, summed per worker.
    """
    if not tasks:
        return {}
    first = min(t["start"] for t in tasks)
    last = max(t["end"] for t in tasks)
    by_worker: dict[int, list[dict[str, Any]]] = {}
    for task in sorted(tasks, key=lambda t: t["start"]):
        by_worker.setdefault(task["pid"], []).append(task)
    busy = sum(t["end"] - t["start"] for t in tasks)
    workers = []
    for pid, own in by_worker.items():
        workers.append(
            {
                "pid": pid,
                "tasks": [t["partition"] for t in own],
                "articles": sum(t["articles"] for t in own),
                "first_start_s": round(own[0]["start"] - started, 1),
                "last_end_s": round(own[-1]["end"] - started, 1),
                "busy_s": round(sum(t["end"] - t["start"] for t in own), 1),
                "cpu_s": round(sum(t["cpu_s"] for t in own), 1),
                "load_s": round(sum(t["load_s"] for t in own), 1),
                "gaps_s": round(sum(b["start"] - a["end"] for a, b in itertools.pairwise(own)), 1),
            }
        )
    return {
        "before_tasks_s": round(first - started, 1),
        "tasks_s": round(last - first, 1),
        "after_tasks_s": round(ended - last, 1),
        "busy": round(busy / (min(cores, len(by_worker)) * (last - first)), 3),
        "workers": workers,
    }


def run_ingest(folder: Path, db: Path) -> dict[str, Any]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "newsgraph", "ingest", str(folder), "--db", str(db), "--processes", "2"]
    command += ["--published", PUBLISHED]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"ingest failed:\n{done.stderr}")
    import sqlite3

    with sqlite3.connect(db) as conn:
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return {"wall_s": round(wall, 1), "articles": articles, "articles_per_s": round(articles / wall, 2)}


def in_subprocess(*args: str) -> dict[str, Any]:
    before = load_average()
    command = [sys.executable, __file__, "--run", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{args[0]} failed:\n{done.stderr[-4000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load_before_after"] = [before, load_average()]
    return figures


# --- the crawl -------------------------------------------------------------------------------------------


def damage_crawl(path: Path, count: int) -> list[int]:
    """Flip bytes inside ``count`` HTML response records spread through the file, and cut the file inside
    its last record; return the offsets of the records damaged."""
    data = bytearray(path.read_bytes())
    size = len(data)

    def is_page(at: int) -> bool:
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(bytes(data[at : at + 4096]), 600)
        except zlib.error:
            return False
        return head.startswith(b"WARC/1.") and b"WARC-Type: response" in head and b"text/html" in head

    damaged = []
    for k in range(count):
        at = size * (k + 1) // (count + 2)
        while not is_page(at := data.find(b"\x1f\x8b\x08", at + 1)):
            pass
        middle = at + 300 + (data.find(b"\x1f\x8b\x08", at + 1) - at) // 2
        for i in range(middle, middle + 40):  # deep in the compressed page
            data[i] ^= 0x5A
        damaged.append(at)
    last = len(data)
    while not is_page(last := data.rfind(b"\x1f\x8b\x08", 0, last)):
        pass
    end = data.find(b"\x1f\x8b\x08", last + 1)
    end = len(data) if end < 0 else end
    del data[last + (end - last) // 2 :]  # the file ends halfway through its last page
    path.write_bytes(bytes(data))
    return [*damaged, last]


def measure_crawl(work: Path, size_mb: float, filler_kb: tuple[int, int], broken: int) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from ingest import build_warc

    crawl = work / "crawl.warc.gz"
    print(f"building {crawl} ({size_mb:g} MB)…", file=sys.stderr)
    built = build_warc(crawl, size_mb, compress=True, filler=(filler_kb[0] * 1000, filler_kb[1] * 1000))
    planted = damage_crawl(crawl, broken)
    built["bytes_after_damage"] = crawl.stat().st_size
    print(f"crawl: {built}; damaged records at {planted}", file=sys.stderr)
    figures = in_subprocess("local[2]", str(work / "crawl-tables"), "memory", str(crawl))
    import pyarrow.parquet as pq

    errors = pq.read_table(work / "crawl-tables" / "errors").to_pylist()
    figures["crawl"] = built
    figures["planted_offsets"] = planted
    figures["error_rows"] = [{k: r[k] for k in ("offset", "reason")} for r in errors]
    figures["planted_found"] = sorted(r["offset"] for r in errors if r["offset"] in planted) == sorted(
        planted
    )
    figures["articles_expected"] = built["pages"] - len(planted)
    crawl.unlink()
    return figures


# --- report ------------------------------------------------------------------------------------------------


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["articles_per_s"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_articles_per_s"] = [r["articles_per_s"] for r in runs]
    return chosen


def report(figures: dict[str, Any]) -> None:
    print(f"texts: {figures.get('texts')}  cpus: {figures['cpus']}")
    rows = figures.get("throughput", {})
    for name in ("local[1]", "local[2]", "ingest -j2"):
        row = rows.get(name)
        if not row:
            continue
        extra = (
            f"job {row['job_s']} s + session {row['session_s']} s = wall {row['wall_s']} s"
            if "job_s" in row
            else f"wall {row['wall_s']} s"
        )
        print(
            f"{name:<11} {row['articles_per_s']:>7} articles/s  ({extra}; runs {row['all_articles_per_s']}; "
            f"load {row['load_before_after']})"
        )
    for name in ("local[1]", "local[2]"):
        line = rows.get(name, {}).get("timeline")
        if not line:
            continue
        print(
            f"  {name}: {line['before_tasks_s']} s to the first task, {line['tasks_s']} s of tasks "
            f"(cores busy {line['busy']:.0%} of it), {line['after_tasks_s']} s after the last"
        )
        for worker in line["workers"]:
            print(
                f"    worker {worker['pid']}: tasks {worker['tasks']}, {worker['articles']} articles, "
                f"{worker['first_start_s']}-{worker['last_end_s']} s, busy {worker['busy_s']} s "
                f"(cpu {worker['cpu_s']} s, model load {worker['load_s']} s), gaps {worker['gaps_s']} s"
            )
    if "local[1]" in rows and "local[2]" in rows:
        one, two = rows["local[1]"], rows["local[2]"]
        print(f"local[2] / local[1] = {two['articles_per_s'] / one['articles_per_s']:.2f} (job time)")
        print(f"local[2] / local[1] = {one['wall_s'] / two['wall_s']:.2f} (wall time, JVM start included)")
    if "local[2]" in rows and "ingest -j2" in rows:
        two, ingest = rows["local[2]"], rows["ingest -j2"]
        print(
            f"Spark local[2] against ingest -j2: {two['wall_s']} s against {ingest['wall_s']} s wall "
            f"({two['wall_s'] / ingest['wall_s'] - 1:+.0%}); job alone {two['job_s']} s"
        )
    crawl = figures.get("crawl")
    if crawl:
        built = crawl["crawl"]
        memory = crawl["memory"]
        print(
            f"crawl: {built['bytes_after_damage'] / 1e6:.0f} MB, {built['pages']} HTML pages, "
            f"{built['records']} records; local[2] {crawl['job_s']} s job "
            f"({crawl['articles_per_s']} articles/s), {crawl['splits']} splits in {crawl['tasks']} tasks"
        )
        print(
            f"  rows: {crawl['rows']}; articles expected {crawl['articles_expected']}; "
            f"planted records all in errors: {crawl['planted_found']}"
        )
        print(
            f"  Python workers: {memory['workers']}, peak RSS {memory['peak_rss_mib']} MiB; once loaded "
            f"(min, max, seconds sampled): {memory['steady_min_max_samples']}; "
            f"JVM peak {memory['jvm_peak_rss_mib']} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--polnear", type=Path, default=POLNEAR_TRAIN, help="folder of PolNeAR train texts")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration (median kept)")
    parser.add_argument("--warc-mb", type=float, default=1000, help="size of the crawl; 0 skips it")
    parser.add_argument("--filler-kb", type=int, nargs=2, default=(500, 1100), metavar=("MIN", "MAX"))
    parser.add_argument("--broken", type=int, default=3, help="records damaged in the crawl (plus the cut)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, deleted)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        what, out, *rest = args.run
        if what == "ingest":
            print(json.dumps(run_ingest(Path(rest[0]), Path(out))))
        else:
            memory = rest[0] == "memory"
            print(json.dumps(run_spark(what, rest[1:] if memory else rest, Path(out), memory)))
        return

    work = Path(tempfile.mkdtemp(prefix="newsgraph-spark-bench-", dir=args.dir))
    figures: dict[str, Any] = {"cpus": os.cpu_count(), "load_at_start": load_average()}
    try:
        if not args.skip_throughput:
            folder = work / "texts"
            figures["texts"] = f"{args.articles} from {write_texts(folder, args.articles, args.polnear)}"
            runs: dict[str, list[dict[str, Any]]] = {"local[1]": [], "local[2]": [], "ingest -j2": []}
            for i in range(args.repeat):
                for name in runs:
                    print(f"{name} (run {i + 1})…", file=sys.stderr)
                    if name == "ingest -j2":
                        db = work / f"ingest-{i}.db"
                        runs[name].append(in_subprocess("ingest", str(db), str(folder)))
                    else:
                        runs[name].append(in_subprocess(name, str(work / f"tables-{name}"), str(folder)))
            figures["throughput"] = {name: median_run(r) for name, r in runs.items()}
        if args.warc_mb > 0:
            figures["crawl"] = measure_crawl(work, args.warc_mb, tuple(args.filler_kb), args.broken)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["load_at_end"] = load_average()
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
