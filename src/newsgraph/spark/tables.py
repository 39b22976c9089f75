"""The Parquet tables of a Spark run, their Arrow schemas derived from :mod:`newsgraph.schema`.

Nothing here restates a field: every column comes from a dataclass field and its type hint, so a field
added to the schema appears in the tables (and a type the rules below do not cover fails loudly, in
:func:`row_type`, rather than being dropped).

- ``articles``: one row per :class:`~newsgraph.schema.Article`.
- one table per list field of :class:`~newsgraph.schema.Record` (``entities``, ``attributions``,
  ``events``, ``places``, ``times``, ``claims``): one row per item, in the record's order (``idx``).
- ``errors``: one row per input that could not be read or analysed (:class:`InputFailure`).

Every row of ``articles`` and of the child tables carries ``article_id``, the article's storage key
(:attr:`Article.key`: a hash of the canonical URL, else of the normalised text), so the same input gives
the same id in every run and in the SQLite store; and ``published_date`` (``YYYY-MM-DD`` or
``unknown``), the column the tables are partitioned by.

How types become columns:

========================  =====================================================================
``str`` ``int``           string, int64, float64, bool (nullable when the hint allows None)
``float`` ``bool``
``Span``                  two int64 columns ``<field>_start`` and ``<field>_end`` in a table's own
                          columns (as the SQLite store has them); a ``struct<start, end>`` inside
                          a list or a nested record (``entities.mentions``, ``attributions.via``)
``list[X]``               a list of X
a dataclass               a struct of its fields (``attributions.via`` is a list of ``Via``)
``dict`` / ``Any``        JSON text (``articles.metadata``, whose keys differ between sources)
========================  =====================================================================
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa

from newsgraph.schema import Article, Record, Span

ARTICLES = "articles"
ERRORS = "errors"
ARTICLE_ID = "article_id"
INDEX = "idx"
PARTITION = "published_date"
UNKNOWN_DATE = "unknown"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class InputFailure:
    """An input, or a record inside one, that gave no article: a row of the ``errors`` table.

    Args:
        input: The file or URI the job was given (or found in a folder it was given).
        reason: What was wrong, and what to do about it.
        offset: Byte offset of the record in a WARC file, when the failure is one record.
        line: Line number in a JSON Lines file, when the failure is one line.
        item: What failed inside the input when it has a name of its own (a page's URL in a crawl).
    """

    input: str
    reason: str
    offset: int | None = None
    line: int | None = None
    item: str | None = None


def child_tables() -> dict[str, type]:
    """The record's list fields and the dataclass of their items: ``{"entities": Entity, ...}``."""
    out: dict[str, type] = {}
    hints = typing.get_type_hints(Record)
    for f in dataclasses.fields(Record):
        hint = hints[f.name]
        if typing.get_origin(hint) is list:
            (item,) = typing.get_args(hint)
            out[f.name] = item
    return out


def table_names() -> tuple[str, ...]:
    """Every table a run writes, ``articles`` first and ``errors`` last."""
    return (ARTICLES, *child_tables(), ERRORS)


# --- types -------------------------------------------------------------------------------------------


def _optional(hint: Any) -> tuple[Any, bool]:
    """Return the hint without None, and whether None was allowed."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def _is_span(hint: Any) -> bool:
    return hint == Span


_SPAN_TYPE = pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64())])
_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _value_type(hint: Any, where: str) -> pa.DataType:
    """The Arrow type of a value nested in a list or struct."""
    if _is_span(hint):
        return _SPAN_TYPE
    if hint in _SCALARS:
        return _SCALARS[hint]
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        inner, _ = _optional(item)
        return pa.list_(_value_type(inner, where))
    if origin is dict or hint is Any:
        return pa.string()
    if dataclasses.is_dataclass(hint):
        return pa.struct(_fields(hint, flatten_spans=False))
    raise TypeError(f"{where}: no Parquet column type for {hint!r}; add a rule to newsgraph.spark.tables")


@cache
def _field_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fields(cls: type, *, flatten_spans: bool) -> list[pa.Field]:
    out: list[pa.Field] = []
    for f in dataclasses.fields(cls):
        hint, nullable = _optional(_field_hints(cls)[f.name])
        where = f"{cls.__name__}.{f.name}"
        if _is_span(hint) and flatten_spans:
            out.append(pa.field(f"{f.name}_start", pa.int64(), nullable=nullable))
            out.append(pa.field(f"{f.name}_end", pa.int64(), nullable=nullable))
        else:
            out.append(pa.field(f.name, _value_type(hint, where), nullable=True))
    return out


@cache
def row_type(cls: type) -> pa.StructType:
    """The columns of one dataclass as a table row: its fields, top-level spans in two columns."""
    return pa.struct(_fields(cls, flatten_spans=True))


@cache
def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table as written: ids, then the dataclass's columns, then the partition."""
    if table == ERRORS:
        return pa.schema(list(row_type(InputFailure)))
    if table == ARTICLES:
        columns = [pa.field(ARTICLE_ID, pa.string(), nullable=False), *row_type(Article)]
    else:
        columns = [
            pa.field(ARTICLE_ID, pa.string(), nullable=False),
            pa.field(INDEX, pa.int64(), nullable=False),
            *row_type(child_tables()[table]),
        ]
    return pa.schema([*columns, pa.field(PARTITION, pa.string(), nullable=False)])


@cache
def stage_schema() -> pa.Schema:
    """What each Spark task returns: one row per article (its facts in list columns) or per failure.

    ``input`` and ``position`` say where the row came from (the record's byte offset or line number),
    so that of two inputs with the same article the first is kept, whatever the order tasks end in.
    """
    return pa.schema(
        [
            pa.field(ARTICLE_ID, pa.string()),
            pa.field(PARTITION, pa.string()),
            pa.field("input_order", pa.int64()),
            pa.field("position", pa.int64()),
            pa.field(ARTICLES, row_type(Article)),
            *(pa.field(name, pa.list_(row_type(cls))) for name, cls in child_tables().items()),
            pa.field(ERRORS, row_type(InputFailure)),
        ]
    )


# --- values ------------------------------------------------------------------------------------------


def _encode(hint: Any, value: Any) -> Any:
    """A ``to_dict()`` value as its column value (spans as structs, dicts as JSON)."""
    hint, _ = _optional(hint)
    if value is None:
        return None
    if _is_span(hint):
        return {"start": value[0], "end": value[1]}
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_encode(item, v) for v in value]
    if origin is dict or hint is Any:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if dataclasses.is_dataclass(hint):
        return {
            f.name: _encode(_field_hints(hint)[f.name], value.get(f.name)) for f in dataclasses.fields(hint)
        }
    return value


def _decode(hint: Any, value: Any) -> Any:
    """Inverse of :func:`_encode`: the ``from_dict()`` form of a column value."""
    hint, _ = _optional(hint)
    if value is None:
        return None
    if _is_span(hint):
        return [value["start"], value["end"]]
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_decode(item, v) for v in value]
    if origin is dict or hint is Any:
        return json.loads(value)
    if dataclasses.is_dataclass(hint):
        return {
            f.name: _decode(_field_hints(hint)[f.name], value.get(f.name)) for f in dataclasses.fields(hint)
        }
    return value


def to_row(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """One item's ``to_dict()`` as a row of :func:`row_type` (top-level spans in two columns)."""
    row: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint, _ = _optional(_field_hints(cls)[f.name])
        value = data.get(f.name)
        if _is_span(hint):
            row[f"{f.name}_start"], row[f"{f.name}_end"] = (None, None) if value is None else value
        else:
            row[f.name] = _encode(hint, value)
    return row


def from_row(cls: type, row: dict[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`to_row`: the item's ``to_dict()`` form (what ``from_dict()`` reads)."""
    data: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint, _ = _optional(_field_hints(cls)[f.name])
        if _is_span(hint):
            start, end = row.get(f"{f.name}_start"), row.get(f"{f.name}_end")
            data[f.name] = None if start is None or end is None else [start, end]
        else:
            data[f.name] = _decode(hint, row.get(f.name))
    return data


def published_date(published: str | None) -> str:
    """The partition value for a publication date: its ``YYYY-MM-DD`` (the date as the outlet gave it,
    before any conversion to UTC), or ``unknown``."""
    if published and _DATE.match(published):
        return published[:10]
    return UNKNOWN_DATE


def stage_row(record: Record, input_order: int, position: int) -> dict[str, Any]:
    """A record as a row of :func:`stage_schema`."""
    data = record.to_dict()
    row: dict[str, Any] = {
        ARTICLE_ID: record.article.key,
        PARTITION: published_date(record.article.published),
        "input_order": input_order,
        "position": position,
        ARTICLES: to_row(Article, record.article.to_dict()),
        ERRORS: None,
    }
    for name, cls in child_tables().items():
        row[name] = [to_row(cls, item) for item in data[name]]
    return row


def failure_row(failure: InputFailure, input_order: int) -> dict[str, Any]:
    """A failure as a row of :func:`stage_schema`."""
    row: dict[str, Any] = {name: None for name in stage_schema().names}
    row.update(
        {
            PARTITION: UNKNOWN_DATE,
            "input_order": input_order,
            "position": failure.offset if failure.offset is not None else failure.line or 0,
            ERRORS: to_row(InputFailure, dataclasses.asdict(failure)),
        }
    )
    for name in child_tables():
        row[name] = []
    return row


def records_from_rows(
    articles: Iterable[dict[str, Any]], children: dict[str, Iterable[dict[str, Any]]]
) -> Iterator[tuple[str, Record]]:
    """Rebuild records from table rows: ``(article_id, Record)`` in the order of ``articles``.

    Args:
        articles: Rows of the ``articles`` table.
        children: For each child table, its rows for these articles (any order; ``idx`` orders them).
    """
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {name: defaultdict(list) for name in children}
    for name, rows in children.items():
        for row in rows:
            grouped[name][row[ARTICLE_ID]].append(row)
    tables = child_tables()
    for row in articles:
        key = row[ARTICLE_ID]
        data = from_row(Article, row)
        for name, cls in tables.items():
            items = sorted(grouped.get(name, {}).get(key, []), key=lambda r: r[INDEX])
            data[name] = [from_row(cls, item) for item in items]
        yield key, Record.from_dict(data)
