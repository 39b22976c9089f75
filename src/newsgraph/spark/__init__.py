"""newsgraph on Apache Spark: the same pipeline over crawls and corpora too big for one machine.

- :func:`run_job` reads WARC/WARC.gz crawls, JSON Lines and folders of text or HTML (local paths or
  Hadoop-style URIs), analyses them with :class:`~newsgraph.pipeline.Pipeline` in every Python worker,
  and writes the Parquet tables described in :mod:`newsgraph.spark.tables`;
- :func:`load_tables` imports those tables into the SQLite store.

``newsgraph spark`` and ``python -m newsgraph.spark`` (the same job, for ``spark-submit``) call them.
pyspark is imported only when a job starts, so the rest of newsgraph works without it.
"""

from __future__ import annotations

from newsgraph.spark.job import JobResult, run_job, spark_session

__all__ = ["JobResult", "run_job", "spark_session"]
