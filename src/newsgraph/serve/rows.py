"""Database rows shaped as the API's items (the same dicts the pages print)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def article_ref(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "key": row["article_key"],
        "id": row["article_id"],
        "title": row["title"],
        "url": row["url"],
        "outlet": row["outlet"],
        "published": row["published"],
    }


def span_of(row: sqlite3.Row, name: str) -> list[int] | None:
    start, end = row[f"{name}_start"], row[f"{name}_end"]
    return None if start is None or end is None else [start, end]


def quote_item(row: sqlite3.Row, entity: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": f"{row['article_key']}:{row['idx']}",
        "speaker": row["speaker"],
        "speaker_name": row["speaker_name"],
        "speaker_entity": entity,
        "role": row["role"],
        "source": span_of(row, "source"),
        "cue": span_of(row, "cue"),
        "content": span_of(row, "content"),
        "kind": row["kind"],
        "via": json.loads(row["via"]),
        "source_text": row["source_text"],
        "cue_text": row["cue_text"],
        "content_text": row["content_text"],
        "article": article_ref(row),
    }
