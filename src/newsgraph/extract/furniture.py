"""Page furniture in text given as it is: "Read more:" blocks with other stories' headlines, translation
banners, share prompts, bylines.

HTML input loses its furniture before analysis (:mod:`newsgraph.sources.cleanup`); text pasted from a page
keeps it, and its text must stay exactly as given, so the same rules (``data/furniture.json``) only mark
the furniture paragraphs here: :func:`furniture_spans` gives their character spans, and the stages extract
nothing inside them.
"""

from __future__ import annotations

from newsgraph.sources.cleanup import remove_furniture

__all__ = ["furniture_spans", "outside"]


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines of ``text`` that are page furniture, each without its surrounding
    white space, in text order."""
    lines: list[tuple[int, int]] = []
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if body:
            first = start + len(line) - len(line.lstrip())
            lines.append((first, first + len(body)))
        start += len(line)
    if not lines:
        return []
    _, dropped = remove_furniture([text[s:e] for s, e in lines])
    out: list[tuple[int, int]] = []
    pending = iter(dropped)
    wanted = next(pending, None)
    for s, e in lines:
        if wanted is not None and text[s:e] == wanted:
            out.append((s, e))
            wanted = next(pending, None)
    return out


def outside(span: tuple[int, int] | None, furniture: list[tuple[int, int]]) -> bool:
    """Whether ``span`` (None counts as outside) overlaps none of the ``furniture`` spans."""
    if span is None:
        return True
    return not any(s < span[1] and span[0] < e for s, e in furniture)
