"""Schema objects <-> table rows, derived once from the field metadata in :mod:`newsgraph.schema`.

Each schema field says, through :func:`newsgraph.schema.stored`, which column keeps it, with which codec
and SQL type. :data:`CODECS` reads that metadata once per table; the writer encodes with it, every query
decodes with it, and a test checks that the tables the migrations build have exactly these columns plus
the store's own (:data:`STORE_COLUMNS`). A record field the table has no column for (written by a newer
schema) is kept in the ``extra`` JSON column and read back from it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from newsgraph.schema import (
    CODEC,
    COLUMN,
    SQL_TYPE,
    Article,
    Attribution,
    Entity,
    Event,
    Place,
    TimeRef,
    normalise_text,
)

# Separates names inside the *_terms columns, so a substring filter cannot match across two names.
SEP = "\x1f"


@dataclass(frozen=True)
class Column:
    """How one schema field is stored.

    Args:
        name: The column's name (for a span, the stem of ``<name>_start`` and ``<name>_end``).
        field: The schema field's name (its key in ``to_dict()``).
        codec: ``value``, ``json``, ``bool`` or ``span``.
        sql: The declared SQL type.
    """

    name: str
    field: str
    codec: str
    sql: str

    def definitions(self) -> dict[str, str]:
        """The table columns this field takes, with their SQL types."""
        if self.codec == "span":
            return {f"{self.name}_start": "INTEGER", f"{self.name}_end": "INTEGER"}
        return {self.name: self.sql}


@dataclass(frozen=True)
class TableCodec:
    """The columns of one table, derived from a schema dataclass, with the encoder and decoder.

    Args:
        table: The table's name.
        type: The schema class its rows hold.
        columns: One :class:`Column` per field, in field order.
    """

    table: str
    type: type
    columns: tuple[Column, ...]

    @classmethod
    def derive(cls, table: str, schema_type: type) -> TableCodec:
        """Read the columns of ``schema_type`` from its fields' metadata."""
        columns = []
        for item in fields(schema_type):
            if CODEC not in item.metadata:
                raise TypeError(f"{schema_type.__name__}.{item.name} does not say how it is stored")
            meta = item.metadata
            columns.append(Column(meta[COLUMN] or item.name, item.name, meta[CODEC], meta[SQL_TYPE]))
        return cls(table, schema_type, tuple(columns))

    def definitions(self) -> dict[str, str]:
        """Every column the schema gives this table, with its SQL type."""
        out: dict[str, str] = {}
        for column in self.columns:
            out.update(column.definitions())
        return out

    def encode(self, item: Any) -> dict[str, Any]:
        """Return the column values of a schema object; fields without a column go to ``extra`` as JSON."""
        data = item.to_dict()
        row: dict[str, Any] = {}
        for column in self.columns:
            value = data.pop(column.field, None)
            if column.codec == "span":
                row[f"{column.name}_start"], row[f"{column.name}_end"] = (
                    (None, None) if value is None else value
                )
            elif column.codec == "json":
                row[column.name] = dumps(value)
            elif column.codec == "bool":
                row[column.name] = bool(value)
            else:
                row[column.name] = value
        row["extra"] = dumps(data) if data else None
        return row

    def decode(self, row: sqlite3.Row | Mapping[str, Any], prefix: str = "") -> Any:
        """Return the schema object a row holds (columns named ``prefix + name`` in a joined query)."""
        if isinstance(row, sqlite3.Row):
            # A Row finds a column by name with a linear, case-insensitive search: a dict, made once, is
            # several times faster over the dozens of columns read here.
            row = dict(zip(row.keys(), row, strict=True))
        extra = row[prefix + "extra"]
        data: dict[str, Any] = json.loads(extra) if extra else {}
        for column in self.columns:
            name = prefix + column.name
            if column.codec == "span":
                start, end = row[f"{name}_start"], row[f"{name}_end"]
                data[column.field] = None if start is None or end is None else [start, end]
            elif column.codec == "json":
                # NULL: a column added by a later migration, on a row written before it
                data[column.field] = None if row[name] is None else json.loads(row[name])
            elif column.codec == "bool":
                data[column.field] = bool(row[name])
            else:
                data[column.field] = row[name]
        return self.type.from_dict(data)  # type: ignore[attr-defined]

    def select(self, alias: str, prefix: str) -> str:
        """A SELECT list of this table's columns from ``alias``, each renamed ``prefix + name``."""
        names = [*self.definitions(), "extra"]
        return ", ".join(f"{alias}.{name} AS {prefix}{name}" for name in names)


ARTICLES = TableCodec.derive("articles", Article)

# The fact tables, in the order a Record lists them; ``claims`` are unsourced statements shaped like
# attributions.
FACTS: dict[str, TableCodec] = {
    "entities": TableCodec.derive("entities", Entity),
    "attributions": TableCodec.derive("attributions", Attribution),
    "claims": TableCodec.derive("claims", Attribution),
    "events": TableCodec.derive("events", Event),
    "places": TableCodec.derive("places", Place),
    "times": TableCodec.derive("times", TimeRef),
}

CODECS: dict[str, TableCodec] = {"articles": ARTICLES, **FACTS}

_FACT_KEYS = {"article_key": "TEXT", "idx": "INTEGER", "extra": "TEXT"}

# The columns the store adds to what the schema gives: keys, row numbers for the full-text tables,
# hashes, case-folded names for substring filters (``*_terms``), the text of a quote for its full-text
# index, an event's grouping date, and store-wide entity keys (see :func:`entity_key`).
STORE_COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "n": "INTEGER",
        "key": "TEXT",
        "text_hash": "TEXT",
        "ingested_at": "TEXT",
        "extra": "TEXT",
        "story_id": "INTEGER",
    },
    "entities": {**_FACT_KEYS, "terms": "TEXT", "entity_key": "TEXT"},
    "attributions": {
        "n": "INTEGER",
        **_FACT_KEYS,
        "content_text": "TEXT",
        "speaker_terms": "TEXT",
        "via_terms": "TEXT",
        "speaker_key": "TEXT",
    },
    "claims": {"n": "INTEGER", **_FACT_KEYS},
    "events": {
        **_FACT_KEYS,
        "event_date": "TEXT",
        "date_source": "TEXT",
        "actor_terms": "TEXT",
        "target_terms": "TEXT",
    },
    "places": dict(_FACT_KEYS),
    "times": dict(_FACT_KEYS),
}


def entity_key(name: str, type: str) -> str:
    """The store-wide id of an entity: the same (name, type) in any article gets the same key.

    Entity ids in a record (``e1``…) are only unique within their article; the API and the entity
    queries name an entity across the store by this key, 16 hex digits of a hash of type and name.
    """
    return hashlib.sha256(f"{type}{SEP}{name}".encode()).hexdigest()[:16]


def text_hash(text: str) -> str:
    """Return the SHA-256 hex digest of ``schema.normalise_text(text)``: the store's duplicate-text test."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept, NaN and infinities refused."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def fold(text: str) -> str:
    """Case-fold for the substring filters (SQLite's own ``lower()`` folds ASCII only)."""
    return text.casefold()


def terms(names: Iterable[str | None]) -> str:
    """The ``*_terms`` value of some names: folded, joined by :data:`SEP`."""
    return fold(SEP.join(name for name in names if name))
