"""Query parameters of the server: cursors, dates and entity ids, and the error that names a bad one."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from newsgraph.errors import NewsgraphError

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?")
_ENTITY_ID = re.compile(r"([A-Z_]{2,20}):(.+)", re.S)


class ParameterError(NewsgraphError):
    """A query parameter is invalid; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.detail = message
        super().__init__(f"{parameter}: {message}")


@dataclass(frozen=True)
class Page:
    """One page of a list and the cursor of the next one (None on the last page)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """Return the values a cursor carries, or raise ParameterError naming ``cursor``."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ParameterError("cursor", "not a cursor this list gave out; follow the `next` link as it is")
    return values


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO_DATE.fullmatch(value):
        raise ParameterError(
            name, f"must be an ISO date such as 2024, 2024-03 or 2024-03-14, not {value[:40]!r}"
        )
    return value


def entity_id(type_: str, name: str) -> str:
    """The id of an entity across the store: its type and name (``PERSON:Ana Ribeiro``)."""
    return f"{type_}:{name}"


def parse_entity_id(value: str) -> tuple[str, str] | None:
    match = _ENTITY_ID.fullmatch(value)
    return (match.group(1), match.group(2)) if match else None


def decode_offset(cursor: str | None) -> int:
    """The position a cursor of a ranked list carries (0 without one)."""
    offset = (decode_cursor(cursor, 1) or [0])[0]
    if not isinstance(offset, int) or offset < 0:
        raise ParameterError("cursor", "not a cursor this list gave out; follow the `next` link as it is")
    return offset


@dataclass(frozen=True)
class ArticleFilters:
    """What an article list or a search page is narrowed to.

    Args:
        q: Full-text query over titles and texts.
        outlet: Publishing outlet (exact, any case).
        since: Published on or after (ISO date).
        until: Published on or before (ISO date, ``2024-03`` includes March).
        speaker: Quoting a speaker (name substring, or entity id TYPE:Name).
        event_type: Reporting an event of this PLOVER type.
        place: Naming this GeoNames place.
    """

    q: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    speaker: str | None = None
    event_type: str | None = None
    place: int | None = None


NO_FILTERS = ArticleFilters()
