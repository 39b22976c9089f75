"""The Spark job: inputs in, the same :class:`~newsgraph.pipeline.Pipeline` per partition, Parquet out.

The driver plans the inputs into splits (:mod:`newsgraph.spark.inputs`), deals them out to tasks of
about the same size, and runs one task per partition of ``spark.range`` through ``mapInArrow``, the
splits travelling with the function. Each Python worker loads the spaCy model and the gazetteer once
(they stay loaded while Spark reuses the worker for further tasks), reads its splits with the readers
``ingest`` uses, analyses the articles in batches and returns Arrow record batches: one row per article
with its facts in list columns, or one row per failure. Spark then keeps the first copy of each article
id and writes each table (:mod:`newsgraph.spark.tables`), partitioned by publication date.

A bad input never fails a task: a record that cannot be read, and an article whose analysis raises,
become rows of ``errors``. Spark's own retries cover lost executors.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pyarrow as pa

from newsgraph.errors import InputError, ModelError, NewsgraphError
from newsgraph.schema import Article, Record
from newsgraph.sources import DEFAULT_MAX_BYTES
from newsgraph.spark.inputs import DEFAULT_SPLIT_BYTES, Split, deal_splits, plan_splits, read_split
from newsgraph.spark.tables import (
    ARTICLE_ID,
    ARTICLES,
    ERRORS,
    INDEX,
    PARTITION,
    InputFailure,
    child_tables,
    failure_row,
    stage_row,
    stage_schema,
    table_names,
)

# Articles analysed together by nlp.pipe in a task, and the rows in each Arrow batch it returns. 32 is
# where spaCy's small English pipeline stops getting faster on news articles (bench/throughput.py),
# and 32 articles' rows are a few MB.
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class JobOptions:
    """What every task needs to know, sent to the workers with the function."""

    model: str
    mode: str = "fast"
    encoder: str | None = None
    published: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE
    trace: str | None = None


@dataclass
class JobResult:
    """What a run wrote: rows per table, splits read, seconds taken."""

    out: str
    rows: dict[str, int] = field(default_factory=dict)
    splits: int = 0
    partitions: int = 0
    duplicates: int = 0
    seconds: float = 0.0


# --- in the Python workers ----------------------------------------------------------------------------

# The pipelines of this Python worker, by model, mode and encoder: loaded by the first task, kept by the
# next ones.
_PIPELINES: dict[tuple[str, str, str | None], Any] = {}
# Seconds this worker spent loading pipelines since the last task was traced.
_LOADING: list[float] = []


def worker_pipeline(options: JobOptions) -> Any:
    """The worker's :class:`~newsgraph.pipeline.Pipeline` for the options' model and mode, loaded on
    first use."""
    key = (options.model, options.mode, options.encoder)
    if key not in _PIPELINES:
        from newsgraph.pipeline import Pipeline

        started = time.perf_counter()
        _PIPELINES[key] = Pipeline(options.model, options.mode, options.encoder)
        torch = sys.modules.get("torch")
        if torch is not None:  # the accurate encoder: one thread per task slot, as Spark runs one per core
            torch.set_num_threads(1)
        _LOADING.append(time.perf_counter() - started)
    return _PIPELINES[key]


def analyze_tasks(
    batches: Iterable[pa.RecordBatch], options: JobOptions, tasks: Any
) -> Iterator[pa.RecordBatch]:
    """The function Spark runs on each partition (through ``mapInArrow``): task numbers in (a partition of
    ``spark.range``), stage rows out. ``tasks[i]`` holds the splits of task ``i``."""
    for batch in batches:
        for task in batch.column(0).to_pylist():
            yield from analyze_splits(tasks[task], options)


def analyze_partition(batches: Iterable[pa.RecordBatch], options: JobOptions) -> Iterator[pa.RecordBatch]:
    """Stage rows for splits given as Arrow rows (the fields of :class:`Split`)."""
    yield from analyze_splits((Split(**values) for batch in batches for values in batch.to_pylist()), options)


def analyze_splits(splits: Iterable[Split], options: JobOptions) -> Iterator[pa.RecordBatch]:
    """Read and analyse splits: stage rows out, as Arrow record batches.

    Articles are analysed ``options.batch_size`` at a time across the splits (a folder of pages is
    many one-article splits), and each batch's rows go back as one Arrow record batch.
    """
    started, cpu, articles = time.time(), time.process_time(), 0
    schema = stage_schema()
    rows: list[dict[str, Any]] = []
    pending: list[tuple[Article, Split, int]] = []
    for split in splits:
        for item, position in read_split(split, options.published, options.max_bytes):
            if isinstance(item, InputFailure):
                rows.append(failure_row(item, split.order))
                continue
            pending.append((item, split, position))
            articles += 1
            if len(pending) >= options.batch_size:
                rows.extend(_analyze(pending, options))
                pending = []
                yield pa.RecordBatch.from_pylist(rows, schema=schema)
                rows = []
    if pending:
        rows.extend(_analyze(pending, options))
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=schema)
    if options.trace:
        _trace_task(options.trace, options, started, cpu, articles)


def _trace_task(folder: str, options: JobOptions, started: float, cpu: float, articles: int) -> None:
    """Append the task's line to ``task-<pid>.jsonl`` in the trace folder (a local path on every worker).

    The line gives the worker's process id, the partition, start and end (seconds since the epoch), CPU
    seconds, seconds spent loading the pipeline, articles read, and the attribution mode the worker's
    pipeline was built with. bench/spark.py draws its timeline of the cores from them.
    """
    import json

    from pyspark import TaskContext

    context = TaskContext.get()
    pipeline = _PIPELINES.get((options.model, options.mode, options.encoder))
    line = {
        "pid": os.getpid(),
        "partition": context.partitionId() if context else None,
        "attempt": context.attemptNumber() if context else None,
        "start": started,
        "end": time.time(),
        "cpu_s": round(time.process_time() - cpu, 3),
        "load_s": round(sum(_LOADING), 3),
        "articles": articles,
        "mode": pipeline.nlp.get_pipe_config("newsgraph_attribution")["mode"] if pipeline else None,
    }
    _LOADING.clear()
    try:
        with open(os.path.join(folder, f"task-{os.getpid()}.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
    except OSError:
        pass  # a trace that cannot be written never fails the task


def _analyze(pending: list[tuple[Article, Split, int]], options: JobOptions) -> Iterator[dict[str, Any]]:
    """Stage rows for a batch of articles: a record each, or a failure for an article whose analysis
    raised (the batch is then analysed one article at a time, to find it)."""
    pipeline = worker_pipeline(options)
    articles = [article for article, _, _ in pending]
    try:
        records: list[Record | BaseException] = list(
            pipeline.analyze(articles, processes=1, batch_size=len(articles))
        )
    except Exception:
        records = [_analyze_one(pipeline, article) for article in articles]
    for (article, split, position), record in zip(pending, records, strict=True):
        if isinstance(record, Record):
            yield stage_row(record, split.order, position)
        else:
            name = article.url or article.id or article.key
            failure = InputFailure(
                input=split.path,
                reason=f"analysis failed: {type(record).__name__}: {record}",
                offset=position if split.kind == "warc" else None,
                line=position if split.kind == "jsonl" else article.metadata.get("line"),
                item=name,
            )
            yield failure_row(failure, split.order)


def _analyze_one(pipeline: Any, article: Article) -> Record | BaseException:
    try:
        return pipeline.analyze_one(article)
    except Exception as exc:
        return exc


# --- on the driver ------------------------------------------------------------------------------------


def spark_session(master: str | None = None, app_name: str = "newsgraph") -> Any:
    """Get or create the SparkSession: ``master`` as given, or what ``spark-submit`` set, or ``local[*]``.

    On a local master the workers run this Python (``PYSPARK_PYTHON`` unless set), Spark's web UI is
    off and its log quiet.

    Raises:
        NewsgraphError: pyspark is not installed, or Java could not be started.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise NewsgraphError(
            "pyspark is not installed: pip install 'newsgraph[spark]' (it also needs Java 17)"
        ) from exc
    builder = SparkSession.builder.appName(app_name)
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    # Under spark-submit the JVM is already running, with the master and the rest of its configuration.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    local = (master is None and not submitted) or (master or "").startswith("local")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.master(master or "local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", " ".join(_local_java_options()))
            # The JVM only moves Arrow batches and writes Parquet; compiling each query's Java code
            # costs more CPU on a job's few queries than it saves, on cores the Python workers need.
            .config("spark.sql.codegen.wholeStage", "false")
        )
    elif master:
        builder = builder.master(master)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own runtime error when the JVM does not start
        raise NewsgraphError(
            f"Spark could not start ({type(exc).__name__}: {exc}); it needs Java 17 "
            "(apt-get install openjdk-17-jre-headless, or `make setup`) and JAVA_HOME or java on the PATH"
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _local_java_options() -> list[str]:
    """The local JVM's options: newsgraph's log configuration, and only the quick JIT compiler.

    A local session lives for one job, in which the JVM's own work is small next to the analysis in the
    Python workers: the optimising compiler (C2) spent more CPU compiling than its code saved, CPU that
    the workers lacked on a machine whose every core runs one (bench/spark.py).
    """
    from importlib.resources import files

    log_config = files("newsgraph") / "data" / "spark-log4j2.properties"
    return [f"-Dlog4j.configurationFile={log_config}", "-XX:TieredStopAtLevel=1"]


def run_job(
    inputs: Iterable[str],
    out: str,
    *,
    master: str | None = None,
    partitions: int | None = None,
    model: str | None = None,
    mode: str = "fast",
    encoder: str | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    split_bytes: int = DEFAULT_SPLIT_BYTES,
    spark: Any = None,
    trace: str | None = None,
) -> JobResult:
    """Analyse ``inputs`` with Spark and write the Parquet tables under ``out``.

    Each table is replaced as a whole (``out/articles``, ``out/entities``…): a re-run over the same
    inputs writes the same article ids and the same rows, never duplicates. An article read twice
    (the same canonical URL, or the same text without one) is written once, from the first input.

    Args:
        inputs: Files, folders, glob patterns, or URIs that Spark's file systems can read.
        out: The output folder (local path or URI).
        master: Spark master URL; by default what ``spark-submit`` set, else ``local[*]``.
        partitions: Tasks to spread the splits over; by default four per core, at most one per split.
        model: spaCy pipeline name or path, installed on every worker.
        mode: Attribution mode, ``fast`` or ``accurate``, as :class:`~newsgraph.pipeline.Pipeline` takes it.
        encoder: Accurate mode: the folder of fine-tuned encoder weights, on every worker (default: those
            shipped in the package).
        published: Reference date (``YYYY-MM-DD``) for inputs that carry none.
        max_bytes: Largest file, JSON line or WARC record read.
        batch_size: Articles per ``nlp.pipe`` batch and per Arrow batch.
        split_bytes: Large WARC and JSON Lines files are read in ranges of this size.
        spark: A SparkSession to use instead of making one.
        trace: A local folder where every task writes a line about itself (see :func:`_trace_task`).

    Returns:
        Rows written per table.

    Raises:
        InputError: A bad option (``published`` not a date) or an input that cannot be planned.
        ModelError: The attribution mode cannot run here (accurate mode without torch or the encoder
            weights): raised before Spark starts, with the error ``analyze`` gives.
        NewsgraphError: Spark could not start.
    """
    from newsgraph.pipeline import DEFAULT_MODEL
    from newsgraph.sources import check_reference_date

    started = time.perf_counter()
    if max_bytes <= 0:
        raise InputError("--max-bytes", f"must be a positive number of bytes, not {max_bytes}")
    options = JobOptions(
        model=model or DEFAULT_MODEL,
        mode=mode,
        encoder=encoder,
        published=check_reference_date(published),
        max_bytes=max_bytes,
        batch_size=max(1, batch_size),
        trace=trace,
    )
    check_mode(mode, encoder)
    splits = plan_splits(inputs, split_bytes)
    if not splits:
        raise NewsgraphError("no inputs: give at least one file, folder, pattern or URI")
    spark = spark or spark_session(master)
    n = partitions or max(1, min(len(splits), 4 * spark.sparkContext.defaultParallelism))
    result = JobResult(out=out, splits=len(splits), partitions=n)
    # Analysed once, kept (in memory, spilling to the executors' disks) while the tables are written.
    staged = _stage(spark, splits, options, n).persist()
    try:
        kept, result.duplicates = _first_copies(spark, staged)
        result.rows = _write_tables(kept, out, n)
    finally:
        staged.unpersist()
    result.seconds = time.perf_counter() - started
    return result


def check_mode(mode: str, encoder: str | None = None) -> None:
    """Check on the driver that the workers can build the pipeline's attribution stage in ``mode``.

    Accurate mode loads the fine-tuned encoder here once, as the pipeline of ``analyze`` does, so that a
    missing weights file or a missing torch is the same one-line error before any Spark work, rather
    than a failure in every task.

    Raises:
        ModelError: An unknown mode, or accurate mode without what it needs.
    """
    from newsgraph.components import MODES

    if mode not in MODES:
        raise ModelError(f"attribution mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "accurate":
        from newsgraph.extract.roles_encoder import accurate_tagger

        accurate_tagger(encoder)


def _stage(spark: Any, splits: list[Split], options: JobOptions, n: int) -> Any:
    """The stage rows: task ``i`` of ``spark.range(n)`` reads and analyses the ``i``-th share of the splits.

    The shares travel with the function (Spark broadcasts it when it is large), so no Python code runs
    before the analysis itself: a table of splits would need Python workers of its own to be made.
    """
    from pyspark.sql.pandas.types import from_arrow_schema

    tasks = tuple(tuple(share) for share in deal_splits(splits, n))
    function = partial(analyze_tasks, options=options, tasks=tasks)
    return spark.range(0, n, 1, n).mapInArrow(function, from_arrow_schema(stage_schema()))


def _first_copies(spark: Any, staged: Any) -> tuple[Any, int]:
    """The stage rows without the later copies of an article id (in input order), and how many there were.

    Only the ids and positions of the copies are gathered (on the driver: a copy costs a few dozen
    bytes there), and the rows themselves are filtered where they lie, so analysed rows never move
    between executors. Without copies, the rows are used as they are.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keys = ["input_order", "position"]
    first = Window.partitionBy(ARTICLE_ID).orderBy(*keys)
    later = (
        staged.where(F.col(ARTICLE_ID).isNotNull())
        .select(ARTICLE_ID, *keys)
        .withColumn("_copy", F.row_number().over(first))
        .where(F.col("_copy") > 1)
        .drop("_copy")
        .collect()
    )
    if not later:
        return staged, 0
    copies = spark.createDataFrame(later, staged.select(ARTICLE_ID, *keys).schema)
    return staged.join(F.broadcast(copies), on=[ARTICLE_ID, *keys], how="left_anti"), len(later)


def _write_tables(kept: Any, out: str, partitions: int) -> dict[str, int]:
    """Write every table, and count the rows written.

    The tables are written by concurrent Spark jobs over the same cached rows: a table's tasks run on
    the cores the others leave idle, instead of each small job waiting for the last one's stragglers.
    """
    from concurrent.futures import ThreadPoolExecutor

    from pyspark.sql import functions as F

    root = out.rstrip("/")
    # A file per core and date rather than per task: fewer tasks to run, and larger Parquet files.
    cores = kept.sparkSession.sparkContext.defaultParallelism
    if partitions > cores:
        kept = kept.coalesce(cores)
    frames: dict[str, tuple[Any, bool]] = {}
    articles = kept.where(F.col(ARTICLES).isNotNull()).select(ARTICLE_ID, f"{ARTICLES}.*", PARTITION)
    frames[ARTICLES] = (articles, True)
    for name in child_tables():
        exploded = kept.select(ARTICLE_ID, PARTITION, F.posexplode(name).alias(INDEX, "_item"))
        exploded = exploded.withColumn(INDEX, F.col(INDEX).cast("long"))
        frames[name] = (exploded.select(ARTICLE_ID, INDEX, "_item.*", PARTITION), True)
    errors = kept.where(F.col(ERRORS).isNotNull()).select(f"{ERRORS}.*")
    frames[ERRORS] = (errors.coalesce(1).sortWithinPartitions("input", "offset", "line"), False)

    def count() -> Any:
        return kept.agg(
            F.count(F.col(ARTICLES)).alias(ARTICLES),
            F.count(F.col(ERRORS)).alias(ERRORS),
            *(F.sum(F.size(name)).alias(name) for name in child_tables()),
        ).first()

    with ThreadPoolExecutor(max_workers=len(frames) + 1, thread_name_prefix="newsgraph-write") as pool:
        counted = pool.submit(count)
        written = [
            pool.submit(_write, frame, f"{root}/{name}", partitioned=partitioned)
            for name, (frame, partitioned) in frames.items()
        ]
        for future in written:
            future.result()
        counts = counted.result()
    return {name: int(counts[name] or 0) for name in table_names()}


def _write(frame: Any, path: str, *, partitioned: bool) -> None:
    writer = frame.write.mode("overwrite").option("compression", "zstd")
    if partitioned:
        frame = frame.sortWithinPartitions(PARTITION)
        writer = frame.write.mode("overwrite").option("compression", "zstd").partitionBy(PARTITION)
    writer.parquet(path)
