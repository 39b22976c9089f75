"""Publication dates as :attr:`Article.published` holds them: ISO 8601, with the offset or as a bare day.

A date-time is kept only when it carries a UTC offset (``2024-03-14T09:30:00+09:00``): a local time
without one cannot be placed, so it is cut to its day (``2024-03-14``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from newsgraph.errors import InputError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_published(value: object) -> datetime | date | None:
    """Parse an ISO 8601 date or date-time, or an RFC 2822 date (as feeds write them).

    Returns:
        An aware datetime when the value has a time and an offset, a date when it has only a day or a
        time without offset, None when it is not a date.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    parsed: datetime | date | None = None
    try:
        parsed = date.fromisoformat(text) if _DAY.fullmatch(text) else datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if isinstance(parsed, datetime) and parsed.tzinfo is None:
        return parsed.date()
    return parsed


def format_published(value: datetime | date) -> str:
    """Return ``value`` as :attr:`Article.published` stores it."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def normalise_published(value: object) -> str | None:
    """Return ``value`` as an ISO 8601 date-time with offset or ``YYYY-MM-DD``, or None if not a date."""
    parsed = parse_published(value)
    return None if parsed is None else format_published(parsed)


def check_reference_date(published: str | None) -> str | None:
    """Validate the ``published`` reference date a caller gives for inputs that have none.

    Raises:
        InputError: The value is not a date in ``YYYY-MM-DD`` form (or a full ISO 8601 date-time).
    """
    if published is None:
        return None
    normalised = normalise_published(published)
    if normalised is None:
        raise InputError("--published", f"{published!r} is not a date", "write it as YYYY-MM-DD")
    return normalised
