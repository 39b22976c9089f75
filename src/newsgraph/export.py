"""Exports: JSONL (the analyze contract, one record per line) and Parquet (one row per article)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from newsgraph.schema import Record


def write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    """Write one JSON object per record to ``out``; return the number written."""
    n = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(records: Iterable[Record], path: str | Path, chunk: int = 500) -> int:
    """Write records to a Parquet file, one row per article with nested lists for what was extracted.

    ``metadata`` is stored as a JSON string because its keys differ between sources.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    n = 0
    rows: list[dict] = []

    def flush() -> None:
        nonlocal writer
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=writer.schema if writer else None)
        if writer is None:
            writer = pq.ParquetWriter(str(path), table.schema)
        writer.write_table(table)
        rows.clear()

    try:
        for record in records:
            row = record.to_dict()
            row["metadata"] = json.dumps(row["metadata"], ensure_ascii=False)
            rows.append(row)
            n += 1
            if len(rows) >= chunk:
                flush()
        flush()
    finally:
        if writer is not None:
            writer.close()
    return n
