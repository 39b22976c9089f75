"""TimeML modifiers: the part of an expression that qualifies its value rather than changing it.

"early 2019" has the value ``2019`` and the modifier START; "about two years" has ``P2Y`` and APPROX. The
value alone would lose what the writer hedged, so :func:`time_modifier` keeps it for ``TimeRef.mod``.
"""

from __future__ import annotations

import re

_MODIFIERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), mod)
    for pattern, mod in (
        (r"^(?:the\s+)?(?:very\s+)?(?:beginning|start|outset|dawn)\s+of\b|^(?:the\s+)?early\b", "START"),
        (r"^(?:the\s+)?middle\s+of\b|^(?:the\s+)?mid\b", "MID"),
        (r"^(?:the\s+)?(?:very\s+)?(?:end|close)\s+of\b|^(?:the\s+)?late\b", "END"),
        (r"\byear(?:[\s-]|['’]s\s+)end\b", "END"),
        (r"^(?:about|around|approximately|roughly|circa|close\s+to|some\s+(?=\d))\b|\bor\s+so\b", "APPROX"),
        (r"^(?:less\s+than|fewer\s+than|nearly|almost|under|just\s+under|barely|not\s+quite)\b", "LESS_THAN"),
        (r"^(?:more\s+than|over|well\s+over|just\s+over|upwards\s+of)\b", "MORE_THAN"),
        (r"^(?:at\s+least|no\s+less\s+than|no\s+fewer\s+than)\b", "EQUAL_OR_MORE"),
        (r"^(?:at\s+most|up\s+to|no\s+more\s+than|as\s+many\s+as|as\s+long\s+as)\b", "EQUAL_OR_LESS"),
    )
)


def time_modifier(text: str) -> str | None:
    """The TimeML ``mod`` of an expression ("late November" → END), or None when it has none.

    Args:
        text: The expression as found ("early 2019", "about two years", "at least 30 days").

    Returns:
        START, MID, END, APPROX, LESS_THAN, MORE_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS, or None.
    """
    cleaned = re.sub(r"\s+", " ", text.strip())
    for pattern, mod in _MODIFIERS:
        if pattern.search(cleaned):
            return mod
    return None
