"""Event coding scored on labelled stories: is the story's event found, and is it the main event?

The NGEC synthetic stories (``ngec-synthetic/stories.jsonl``: ``id``, ``title``, ``label``, ``text`` =
title, blank line, body) each carry one PLOVER type, the type of the headline the story was written from:
a pseudo-label for the story's main event. newsgraph codes each story as an article and reports

- **label found**: the share of stories with at least one event of the label's type;
- **main type**: the share whose ``main`` event has the label's type;
- both **per type**, and the mean number of **distinct types** coded per story (finding every type in
  every story would make "found" meaningless; it should stay well under 4).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import EvalError
from newsgraph.extract.plover import PLOVER_TYPES


@dataclass(frozen=True)
class Story:
    """One labelled story.

    Args:
        id: The story id.
        text: The story (headline, blank line, body).
        label: Its PLOVER type.
        group: Stories written from the same headline share a group (the headline with its place names
            varied), so a cross-validation fold can hold out whole headlines.
    """

    id: str
    text: str
    label: str
    group: str


def load_stories(path: str | Path) -> list[Story]:
    """Read a stories JSONL file (one object per line with ``id``, ``text`` and ``label``).

    Raises:
        EvalError: The file is missing, a line is not JSON, or a record lacks text or a PLOVER label.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"{path}: no such file; give the stories JSONL file (ngec-synthetic/stories.jsonl)")
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: not readable as UTF-8 text ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(
                f"{path}, line {number}: not JSON ({exc.msg}); expected one story per line"
            ) from exc
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise EvalError(f"{path}, line {number}: a story needs a non-empty 'text'")
        label = str(item.get("label", "")).strip().upper()
        if label not in PLOVER_TYPES:
            raise EvalError(f"{path}, line {number}: label {item.get('label')!r} is not a PLOVER type")
        story_id = str(item.get("id", number))
        out.append(Story(story_id, item["text"], label, _group(story_id, item)))
    if not out:
        raise EvalError(f"{path}: no stories in the file")
    return out


# The NGEC stories come in runs of twelve consecutive ids per headline (six wires, two stories each), of
# which each half of the set holds six; the headline's place names vary within a run.
_RUN = 12


def _group(story_id: str, item: dict[str, Any]) -> str:
    number = story_id.rsplit("-", 1)[-1]
    if number.isdigit():
        return f"run{int(number) // _RUN}"
    return str(item.get("title") or story_id)


@dataclass
class StoryResult:
    """What newsgraph coded for one story."""

    story: Story
    types: frozenset[str]
    main: str | None


@dataclass
class StoriesReport:
    """Scores over a stories file."""

    items: list[StoryResult] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.items)

    @property
    def found(self) -> float:
        return _ratio(sum(r.story.label in r.types for r in self.items), self.n)

    @property
    def main_accuracy(self) -> float:
        return _ratio(sum(r.main == r.story.label for r in self.items), self.n)

    @property
    def distinct_types(self) -> float:
        return _ratio(sum(len(r.types) for r in self.items), self.n)

    @property
    def no_event(self) -> int:
        return sum(not r.types for r in self.items)

    def per_type(self) -> dict[str, tuple[float, float, int]]:
        """Per label: (label found, main type, stories)."""
        out = {}
        for label in sorted({r.story.label for r in self.items}):
            rows = [r for r in self.items if r.story.label == label]
            out[label] = (
                _ratio(sum(label in r.types for r in rows), len(rows)),
                _ratio(sum(r.main == label for r in rows), len(rows)),
                len(rows),
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "stories": self.n,
            "label_found": round(self.found, 4),
            "main_type_accuracy": round(self.main_accuracy, 4),
            "distinct_types_per_story": round(self.distinct_types, 3),
            "stories_with_no_event": self.no_event,
            "per_type": {
                t: {"label_found": round(f, 4), "main_type": round(m, 4), "stories": n}
                for t, (f, m, n) in self.per_type().items()
            },
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def evaluate_stories(
    path: str | Path,
    nlp: Any,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StoriesReport:
    """Code every story with ``nlp`` (a newsgraph spaCy pipeline) and score its events against the label.

    Args:
        path: The stories JSONL file.
        nlp: A spaCy Language with newsgraph's components (``Pipeline(model).nlp``).
        limit: Only the first N stories.
        progress: Called with (done, total) after each story.

    Raises:
        EvalError: The file is missing or malformed.
    """
    from newsgraph.components import record_from_doc

    stories = load_stories(path)
    if limit is not None:
        stories = stories[:limit]

    def docs() -> Iterator[Any]:
        for story in stories:
            yield nlp.make_doc(story.text)

    report = StoriesReport()
    for i, (story, doc) in enumerate(zip(stories, nlp.pipe(docs()), strict=True), 1):
        events = [e for e in record_from_doc(doc).events if e.type]
        main = next((e.type for e in events if e.main), None)
        report.items.append(StoryResult(story, frozenset(e.type for e in events if e.type), main))
        if progress is not None:
            progress(i, len(stories))
    return report
