"""Ranges written with the month once: "April 24 and 25", "March 3-5", "from Oct. 8 to 10".

The second day carries no month of its own, so neither detection nor the normaliser can read it alone;
it is completed here from the date it is joined to, as TimeML marks each end of such a range.
"""

from __future__ import annotations

import re

from newsgraph.schema import TimeRef

# The joiner and a bare day number right after a full date; a month, a percent sign or more digits
# after the number would make it something else ("April 24 and 25 percent", "March 3 to 5 May").
_SECOND_DAY = re.compile(
    r"\s*(?:and|or|to|through|until|till|-|–)\s*(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
    r"(?!\s*(?:%|percent|per\s+cent|[A-Z][a-z]+\.?\s+\d|[.,]\d|\d))",
)
_DAY_VALUE = re.compile(r"^(?P<ym>\d{4}-\d\d)-\d\d$")


def complete_ranges(text: str, refs: list[TimeRef]) -> list[TimeRef]:
    """Add the second day of every "April 24 and 25" range, with the first day's month and year.

    Args:
        text: The article text the spans point into.
        refs: The expressions found, in text order.

    Returns:
        ``refs`` with the added days in text order; ids are not renumbered here.
    """
    out: list[TimeRef] = []
    taken = [r.span for r in refs]
    for ref in refs:
        out.append(ref)
        day_value = _DAY_VALUE.match(ref.value or "")
        if day_value is None or ref.type != "DATE":
            continue
        m = _SECOND_DAY.match(text, ref.span[1])
        if m is None:
            continue
        start, end = m.span("d")
        if any(s < end and start < e for s, e in taken):
            continue
        value = f"{day_value.group('ym')}-{int(m.group('d')):02d}"
        if value <= ref.value:  # "May 30 to 2" is not a range within May
            continue
        out.append(TimeRef(id="", span=(start, end), text=text[start:end], value=value, type="DATE"))
    return out
