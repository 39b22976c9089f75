"""Quote-mark spans: where verbatim speech starts and ends in a text.

Handles curly “ ”, straight ", guillemets « », single ‘ ’ marks, and '' used as a double mark, with the
slips of real copy: a quote inside a quote of the same marks, a curly quote closed with a straight mark, and
a paragraph opened with ” instead of “. A paragraph that opens a quote without closing it continues into
the next paragraph when that one opens with a quote mark (the newspaper convention for multi-paragraph
quotes).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Opening mark → closing marks that end it.
_PAIRS = {"“": '”"', "«": "»", "‘": "’", '"': '"', "„": "“”"}
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# Marks that can open a quote inside a quote of the same mark.
_NESTING = "“«"


def _is_paragraph_break(text: str, newline: int, nxt: int) -> bool:
    """A blank line always ends a paragraph; a single newline does only after a finished sentence."""
    if "\n" in text[newline + 1 : nxt]:
        return True
    before = text[:newline].rstrip()
    return (
        bool(before)
        and before[-1] in '.!?:”"»’'
        and nxt < len(text)
        and (text[nxt].isupper() or text[nxt] in _PAIRS)
    )


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _opens_paragraph(text: str, i: int) -> bool:
    """A mark at the head of a paragraph (or of the text) that runs into a word."""
    line_start = text.rfind("\n", 0, i) + 1
    return not text[line_start:i].strip() and text[i + 1 : i + 2].isalnum()


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _closes(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    if ch not in _PAIRS[opener]:
        return False
    if ch == "’":
        # An apostrophe inside a word ("don’t", "Japan’s") is not a closing mark.
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalpha()
    if ch == '"':
        # A straight mark also ends a curly quote typed with mixed marks (“Like this."), unless it opens one.
        return not _is_opening_straight(text, i)
    return True


# Several stages of one article ask for its quotes (sentence bounds, role features, assembly).
@lru_cache(maxsize=4)
def find_quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return ``[start, end)`` spans of quoted passages, quote marks included.

    Args:
        text: Article text.

    Returns:
        Non-overlapping spans in text order. Unclosed quotes that do not continue into the next paragraph are
        dropped rather than guessed.
    """
    # Two apostrophes stand for a double quote mark in some wire and newspaper archives (''Like this,'' she
    # said); read them as a straight mark followed by a placeholder, which keeps every offset.
    text = text.replace("''", '"\x01')
    spans: list[tuple[int, int]] = []
    opener: str | None = None
    start = 0
    # Curly and angled marks nest (“he calls “hell” a lie”); the passages inside are kept in case the outer
    # one never closes.
    inner: list[int] = []
    inner_spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if opener is None:
            if ch == "”" and _opens_paragraph(text, i):
                ch = "“"  # a paragraph opened with the wrong curly mark: ”Like this.”
            if ch in _PAIRS and (ch != '"' or _is_opening_straight(text, i)):
                if ch == "‘" and i + 1 < n and text[i + 1].isdigit():  # ‘90s
                    i += 1
                    continue
                opener, start, inner, inner_spans = ch, i, [], []
        elif ch == opener and opener in _NESTING:
            inner.append(i)
        elif ch == '"' and opener != '"' and _is_opening_straight(text, i):
            # Straight marks inside a curly quote (“It said "no" to us”) pair among themselves.
            close = text.find('"', i + 1, _line_end(text, i))
            if close > 0:
                i = close + 1
                continue
        elif _closes(text, i, opener):
            end = i + 2 if text[i + 1 : i + 2] == "\x01" else i + 1
            if inner:
                inner_spans.append((inner.pop(), end))
            else:
                spans.append((start, end))
                opener = None
        elif ch == "\n":
            match = _PARAGRAPH.match(text, i)
            nxt = match.end() if match else i + 1
            while nxt < n and text[nxt] in " \t":
                nxt += 1
            if not _is_paragraph_break(text, i, nxt):
                i = nxt  # a line wrapped inside a paragraph
                continue
            if (
                not inner
                and nxt < n
                and text[nxt] == opener
                and (opener != '"' or _is_opening_straight(text, nxt))
            ):
                i = nxt + 1  # the quote goes on in the next paragraph
                continue
            spans.extend(inner_spans)
            opener = None
        i += 1
    if opener is not None:
        spans.extend(inner_spans)
    return tuple(sorted(spans))
