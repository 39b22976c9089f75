"""Scoring against newsgraph's own hand-made gold for the bundled sample corpus
(``newsgraph/data/sample/gold_attributions.json``; ``newsgraph eval attribution --sample``).

The gold gives, per article id, attributions as strings (speaker name, source, cue, content, kind, via) and a
list of hedged sentences that must yield no attribution. Content strings follow a reader's convention (direct
quotes without their marks, no trailing punctuation), so both sides are compared after :func:`normalise`.
A predicted attribution matches a gold one when their normalised contents are equal, or when one contains
the other and they share at least 80% of their words (quotes split differently around a cue). Equal contents
are paired first: an outer attribution ("Yonhap reported that Song said she would …") must not take the gold
of the one nested in it ("she would …").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from newsgraph.errors import EvalError
from newsgraph.evaluation.polnear import Analyzer
from newsgraph.evaluation.scores import Score
from newsgraph.schema import Article, Attribution, Record

_EDGE = " \t\n,.;:“”\"«»‘’'"
# Share of words two contents must have in common to count as the same statement when they are not equal.
_OVERLAP = 0.8


def normalise(text: str) -> str:
    """Lower-case, collapse whitespace, and strip quote marks and punctuation at both ends."""
    return " ".join(text.split()).strip(_EDGE).lower()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _same(predicted: str, gold: str) -> bool:
    if predicted == gold:
        return True
    if predicted in gold or gold in predicted:
        a, b = _words(predicted), _words(gold)
        return bool(a and b) and len(a & b) / max(len(a), len(b)) >= _OVERLAP
    return False


@dataclass
class GoldReport:
    """Counts and rates from scoring records against the gold."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    via_correct: int = 0
    kind_correct: int = 0
    hedge_violations: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)

    @property
    def score(self) -> Score:
        """Matches against predictions and gold, as precision/recall/F1."""
        return Score(self.matched, self.predicted, self.gold)

    @property
    def precision(self) -> float:
        return self.score.precision

    @property
    def recall(self) -> float:
        return self.score.recall

    @property
    def f1(self) -> float:
        return self.score.f1

    def rate(self, correct: int) -> float:
        return correct / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "speaker_accuracy": round(self.rate(self.speaker_correct), 4),
            "via_accuracy": round(self.rate(self.via_correct), 4),
            "kind_accuracy": round(self.rate(self.kind_correct), 4),
            "hedge_violations": self.hedge_violations,
        }

    def table(self) -> Table:
        """The figures as a rich table."""
        table = Table(
            title=(
                f"Hand-made gold: {self.documents} documents, {self.gold} gold / {self.predicted} predicted"
            )
        )
        table.add_column("measure")
        table.add_column("value", justify="right")
        for name, value in self.to_dict().items():
            if name not in ("documents", "gold", "predicted"):
                shown = f"{value:.3f}" if isinstance(value, float) else str(value)
                table.add_row(name.replace("_", " "), shown)
        return table


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold file; raise EvalError naming it when it is missing or not JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"{path}: cannot read gold attributions ({exc})") from exc


def evaluate_gold(
    articles: Iterable[Article],
    gold_path: str | Path,
    pipeline: Analyzer,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> GoldReport:
    """Analyse ``articles`` with ``pipeline`` and score them against the gold file at ``gold_path``."""
    gold = load_gold(gold_path)
    articles = list(articles)
    records: dict[str, Record] = {}
    for record in pipeline.analyze(articles, processes=processes):
        records[record.article.id] = record
        if progress is not None:
            progress(len(records), len(articles))
    return score_gold(gold, records)


def score_gold(gold: dict[str, Any], records: dict[str, Record]) -> GoldReport:
    """Score ``records`` (keyed by article id) against ``gold``; documents without a record are skipped."""
    report = GoldReport()
    hedged = gold.get("_hedged", {})
    for doc_id, expected in gold.items():
        if doc_id.startswith("_") or doc_id not in records:
            continue
        record = records[doc_id]
        text = record.article.text
        report.documents += 1
        report.gold += len(expected)
        report.predicted += len(record.attributions)
        predicted = [(normalise(text[a.content[0] : a.content[1]]), a) for a in record.attributions]
        used: set[int] = set()
        pairs: dict[int, int] = {}
        for n, g in enumerate(expected):
            content = normalise(g["content"])
            hit = next((i for i, (p, _) in enumerate(predicted) if i not in used and p == content), None)
            if hit is not None:
                used.add(hit)
                pairs[n] = hit
        for n, g in enumerate(expected):
            content = normalise(g["content"])
            hit = pairs.get(n)
            if hit is None:
                hit = next(
                    (i for i, (p, _) in enumerate(predicted) if i not in used and _same(p, content)), None
                )
            if hit is None:
                report.misses.append(f"{doc_id}: {g['speaker']}: {g['content'][:70]}")
                continue
            used.add(hit)
            a: Attribution = predicted[hit][1]
            report.matched += 1
            if a.speaker_name == g["speaker"]:
                report.speaker_correct += 1
            else:
                report.wrong_speakers.append(f"{doc_id}: {a.speaker_name!r} for {g['speaker']!r}")
            if [v.name for v in a.via] == list(g.get("via", [])):
                report.via_correct += 1
            if a.kind == g["kind"]:
                report.kind_correct += 1
        for sentence in hedged.get(doc_id, []):
            flat = " ".join(text.split())
            start = flat.find(" ".join(sentence.split()))
            if start < 0:
                continue
            end = start + len(" ".join(sentence.split()))
            for p, _ in predicted:
                if p and p in normalise(flat[start:end]):
                    report.hedge_violations += 1
    return report
