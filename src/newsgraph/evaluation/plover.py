"""Event coding scored against PLOVER gold-standard records (the PLOVER GSR, CAMEO-manual sentences).

Each gold record is one sentence with one event type and its source and target actors (country code
and sector). newsgraph codes the sentence and its main event (the event marked ``main``, see
:mod:`newsgraph.extract.events.main`) is compared with the gold:

- **top-1 event-type accuracy**: the main event's type equals the gold type (no event counts as wrong);
- **macro-F1** over the event types of the gold and the predictions (per type: a sentence is a true
  positive when both say the type);
- **source-actor country accuracy**: the main event's actor code (ISO alpha-3, or IGO/NGO for
  international organisations) is one of the gold source codes, over sentences whose gold has a
  source; **target country accuracy** likewise over sentences whose gold has a target.

The gold follows PLOVER 0.5b1 (2016). Its labels are mapped to the current ontology before scoring
(:data:`TYPE_MAP`, :data:`MODE_MAP`): DEMAND became REQUEST, DISAPPROVE and INVESTIGATE merged into
ACCUSE, FIGHT merged into ASSAULT, and the COERCE modes ``destroy`` (destroying property) and
``detain`` (abduction, hostage-taking, human shields; arrests have their own mode) became ASSAULT modes
(``destroy``, ``abduct``) in the current manual and the CAMEO-to-PLOVER table.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import EvalError
from newsgraph.extract.plover import PLOVER_TYPES

TYPE_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
MODE_MAP = {("COERCE", "destroy"): "ASSAULT", ("COERCE", "detain"): "ASSAULT"}


def current_type(label: str, mode: str | None = None) -> str:
    """The current PLOVER type for a PLOVER 0.5b1 gold label (and its mode)."""
    label = label.strip().upper()
    mode = (mode or "").strip().lower()
    if (label, mode) in MODE_MAP:
        return MODE_MAP[(label, mode)]
    return TYPE_MAP.get(label, label)


@dataclass(frozen=True)
class GoldRecord:
    """One PLOVER gold sentence.

    Args:
        id: The record id.
        text: The sentence.
        date: Its date (the reference date for relative times).
        type: Gold event type in the current ontology.
        label: The gold label as written (PLOVER 0.5b1).
        sources: Gold source actor codes.
        targets: Gold target actor codes.
    """

    id: str
    text: str
    date: str | None
    type: str
    label: str
    sources: frozenset[str]
    targets: frozenset[str]


def _codes(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(a["code"].strip().upper() for a in value if isinstance(a, dict) and a.get("code"))


def load_plover_gsr(path: str | Path) -> list[GoldRecord]:
    """Read a PLOVER GSR JSON file (a list of records; DOCUMENT records are skipped).

    Raises:
        EvalError: The file is missing or is not a list of PLOVER records.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "dev.json"
    if not path.is_file():
        raise EvalError(f"{path}: no such file; give the PLOVER GSR JSON file (plover-gsr/dev.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalError(f"{path}: not readable as JSON ({exc}); give the PLOVER GSR JSON file") from exc
    if not isinstance(data, list):
        raise EvalError(f"{path}: expected a JSON list of PLOVER records")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "event" not in item:
            raise EvalError(f"{path}: record {i} has no 'event'; is this a PLOVER GSR file?")
        if item["event"] == "DOCUMENT":
            continue
        if not item.get("text"):
            raise EvalError(f"{path}: record {item.get('id', i)} has no 'text'")
        mode = item.get("mode") if isinstance(item.get("mode"), str) else None
        out.append(
            GoldRecord(
                id=str(item.get("id", i)),
                text=item["text"],
                date=item.get("date") if isinstance(item.get("date"), str) else None,
                type=current_type(item["event"], mode),
                label=item["event"],
                sources=_codes(item.get("source")),
                targets=_codes(item.get("target")),
            )
        )
    return out


@dataclass
class Scored:
    """One gold sentence with what newsgraph coded for it."""

    gold: GoldRecord
    type: str | None
    actor: str | None
    target: str | None
    trigger: str | None


@dataclass
class PloverReport:
    """Scores over a PLOVER GSR file."""

    items: list[Scored] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.items)

    @property
    def top1(self) -> float:
        return _ratio(sum(s.type == s.gold.type for s in self.items), self.n)

    def per_type(self) -> dict[str, tuple[float, float, float, int]]:
        """Per type: (precision, recall, F1, gold count), over types in the gold or the predictions."""
        out = {}
        types = sorted({s.gold.type for s in self.items} | {s.type for s in self.items if s.type})
        for t in types:
            tp = sum(s.type == t and s.gold.type == t for s in self.items)
            fp = sum(s.type == t and s.gold.type != t for s in self.items)
            fn = sum(s.type != t and s.gold.type == t for s in self.items)
            p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
            out[t] = (p, r, _ratio(2 * p * r, p + r), tp + fn)
        return out

    @property
    def macro_f1(self) -> float:
        scores = self.per_type()
        return _ratio(sum(f for _, _, f, _ in scores.values()), len(scores))

    @property
    def actor_accuracy(self) -> float:
        scored = [s for s in self.items if s.gold.sources]
        return _ratio(sum(s.actor in s.gold.sources for s in scored), len(scored))

    @property
    def target_accuracy(self) -> float:
        scored = [s for s in self.items if s.gold.targets]
        return _ratio(sum(s.target in s.gold.targets for s in scored), len(scored))

    @property
    def no_event(self) -> int:
        return sum(s.type is None for s in self.items)

    def confusions(self, n: int = 10) -> list[tuple[str, str, int]]:
        counts = Counter((s.gold.type, s.type or "-") for s in self.items if s.type != s.gold.type)
        return [(g, p, c) for (g, p), c in counts.most_common(n)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.n,
            "top1_accuracy": round(self.top1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "source_country_accuracy": round(self.actor_accuracy, 4),
            "source_scored": sum(1 for s in self.items if s.gold.sources),
            "target_country_accuracy": round(self.target_accuracy, 4),
            "target_scored": sum(1 for s in self.items if s.gold.targets),
            "no_event": self.no_event,
            "per_type": {
                t: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": g}
                for t, (p, r, f, g) in self.per_type().items()
            },
            "confusions": [{"gold": g, "predicted": p, "count": c} for g, p, c in self.confusions()],
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def evaluate_events(
    path: str | Path,
    nlp: Any,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PloverReport:
    """Code every gold sentence with ``nlp`` (a newsgraph spaCy pipeline) and score its main event.

    Args:
        path: The PLOVER GSR JSON file, or a folder holding ``dev.json``.
        nlp: A spaCy Language with newsgraph's components (``Pipeline(model).nlp``).
        limit: Only the first N sentences.
        progress: Called with (done, total) after each sentence.

    Raises:
        EvalError: The gold file is missing or malformed.
    """
    from newsgraph.components import record_from_doc
    from newsgraph.extract.events import main_event

    gold = load_plover_gsr(path)
    if limit is not None:
        gold = gold[:limit]
    unknown = sorted({g.type for g in gold} - set(PLOVER_TYPES))
    if unknown:
        raise EvalError(f"{path}: gold labels with no current PLOVER type: {', '.join(unknown)}")

    def docs() -> Any:
        for record in gold:
            doc = nlp.make_doc(record.text)
            doc._.published = record.date
            yield doc

    report = PloverReport()
    for i, (record, doc) in enumerate(zip(gold, nlp.pipe(docs()), strict=True), 1):
        events = [e for e in record_from_doc(doc).events if e.type]
        event = next((e for e in events if e.main), None) or main_event(doc, events)
        report.items.append(
            Scored(
                gold=record,
                type=event.type if event else None,
                actor=event.actor_country if event else None,
                target=event.target_country if event else None,
                trigger=doc.text[event.trigger[0] : event.trigger[1]] if event else None,
            )
        )
        if progress is not None:
            progress(i, len(gold))
    return report
