"""Temporal expression evaluation on TimeML corpora (TempEval-3 TimeBank and AQUAINT).

A ``.tml`` file is XML: the document creation time is the ``TIMEX3`` inside ``<DCT>``, and the article
is the text of ``<TEXT>`` with ``TIMEX3``, ``EVENT`` and ``SIGNAL`` elements around some of its words.
:func:`parse_tml` removes the tags (and resolves XML entities) and keeps the character offsets of every
``TIMEX3`` in the resulting plain text, which is what newsgraph analyses.

Scoring follows TempEval-3 task A (UzZaman et al., 2013), micro-averaged over the corpus:

- **strict**: a predicted span matches a gold span with the same start and end.
- **relaxed**: a predicted span matches a gold span it overlaps; matching is one-to-one, each gold span
  taking the overlapping prediction that starts nearest to it.
- **value** and **type**: a relaxed match counts when the attribute is also equal; precision divides by
  all predictions and recall by all gold expressions, so a missed expression costs in both.
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rich.table import Table
from spacy.language import Language

from newsgraph.errors import EvalError
from newsgraph.evaluation.scores import Score
from newsgraph.extract.times import find_times
from newsgraph.schema import Article, Record, Span, TimeRef

METRICS: tuple[str, ...] = ("strict", "relaxed", "value", "type")


@dataclass(frozen=True)
class GoldTimex:
    """One annotated ``TIMEX3``: its span in the plain text, type and value."""

    span: Span
    text: str
    type: str
    value: str


@dataclass
class TimemlDocument:
    """A TimeML document as plain text, its creation date and its gold temporal expressions."""

    id: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)


def parse_tml(source: str, name: str = "<tml>") -> TimemlDocument:
    """Read one TimeML document.

    Args:
        source: The XML of a ``.tml`` file.
        name: The document id (the file stem), used in error messages.

    Returns:
        The :class:`TimemlDocument`; ``text[start:end] == timex.text`` for every gold expression.

    Raises:
        EvalError: The XML cannot be parsed or has no ``TEXT`` element.
    """
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        raise EvalError(f"{name}: not well-formed TimeML ({exc})") from exc
    body = root.find("TEXT")
    if body is None:
        raise EvalError(f"{name}: no <TEXT> element")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    _flatten(body, parts, timexes, 0)
    text = "".join(parts)
    return TimemlDocument(id=name, text=text, dct=_creation_date(root), timexes=timexes)


def _flatten(element: ET.Element, parts: list[str], timexes: list[GoldTimex], offset: int) -> int:
    """Append ``element``'s text without tags to ``parts``, recording TIMEX3 spans; return the new offset."""
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, timexes, offset)
        if child.tag == "TIMEX3" and offset > start:
            text = "".join(parts)[start:offset]
            timexes.append(
                GoldTimex((start, offset), text, child.get("type", "DATE"), child.get("value", ""))
            )
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def _creation_date(root: ET.Element) -> dt.date | None:
    timex = root.find("DCT/TIMEX3")
    value = timex.get("value", "") if timex is not None else ""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def load_timeml(directory: str | Path) -> Iterator[TimemlDocument]:
    """Read every ``.tml`` file under ``directory`` (recursively, in path order).

    Raises:
        EvalError: The directory does not exist or holds no ``.tml`` files.
    """
    root = Path(directory)
    if not root.is_dir():
        raise EvalError(f"{root}: no such directory (expected a folder of TimeML .tml files)")
    paths = sorted(root.rglob("*.tml"))
    if not paths:
        raise EvalError(f"{root}: no .tml files found")
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalError(f"{path}: cannot read ({exc})") from exc
        yield parse_tml(source, path.stem)


@dataclass(frozen=True)
class Mismatch:
    """A gold expression matched with a wrong value, missed, or a prediction with no gold counterpart."""

    document: str
    gold_text: str | None
    gold_value: str | None
    predicted_text: str | None
    predicted_value: str | None


@dataclass
class TimemlReport:
    """Corpus-level scores; ``mismatches`` lists every error, for looking into what to improve."""

    documents: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    mismatches: list[Mismatch] = field(default_factory=list)

    def add(self, document: TimemlDocument, predicted: Sequence[TimeRef]) -> None:
        """Score one document's predictions against its gold expressions."""
        self.documents += 1
        gold = document.timexes
        for score in self.scores.values():
            score.predicted += len(predicted)
            score.gold += len(gold)
        gold_spans = {g.span for g in gold}
        self.scores["strict"].tp += sum(1 for p in predicted if p.span in gold_spans)
        pairs = _relaxed_pairs(gold, predicted)
        self.scores["relaxed"].tp += len(pairs)
        for g, p in pairs:
            self.scores["value"].tp += g.value == p.value
            self.scores["type"].tp += g.type == p.type
            if g.value != p.value:
                self.mismatches.append(Mismatch(document.id, g.text, g.value, p.text, p.value))
        matched_gold = {id(g) for g, _ in pairs}
        matched_predicted = {id(p) for _, p in pairs}
        for g in gold:
            if id(g) not in matched_gold:
                self.mismatches.append(Mismatch(document.id, g.text, g.value, None, None))
        for p in predicted:
            if id(p) not in matched_predicted:
                self.mismatches.append(Mismatch(document.id, None, None, p.text, p.value))

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "scores": {m: s.to_dict() for m, s in self.scores.items()}}

    def table(self) -> Table:
        """The scores as a rich table, percentages with one decimal."""
        strict = self.scores["strict"]
        title = f"TimeML times: {self.documents} documents, {strict.gold} gold / {strict.predicted} predicted"
        table = Table(title=title, min_width=len(title) + 4)
        table.add_column("metric")
        for name in ("P", "R", "F1"):
            table.add_column(name, justify="right")
        for metric, score in self.scores.items():
            table.add_row(metric, *(f"{100 * v:.1f}" for v in (score.precision, score.recall, score.f1)))
        return table

    def common_errors(self, limit: int = 20) -> list[tuple[tuple[str | None, str | None, str | None], int]]:
        """The most frequent ``(gold value, predicted value, lower-cased text)`` errors."""
        counts = Counter(
            (m.gold_value, m.predicted_value, (m.gold_text or m.predicted_text or "").lower())
            for m in self.mismatches
        )
        return counts.most_common(limit)


def _relaxed_pairs(
    gold: Sequence[GoldTimex], predicted: Sequence[TimeRef]
) -> list[tuple[GoldTimex, TimeRef]]:
    """One-to-one overlap matching: each gold span takes the free overlapping prediction nearest its start."""
    pairs: list[tuple[GoldTimex, TimeRef]] = []
    used: set[int] = set()
    for g in gold:
        overlapping = [
            (abs(p.span[0] - g.span[0]), i)
            for i, p in enumerate(predicted)
            if i not in used and p.span[0] < g.span[1] and g.span[0] < p.span[1]
        ]
        if overlapping:
            _, best = min(overlapping)
            used.add(best)
            pairs.append((g, predicted[best]))
    return pairs


def score_times(pairs: Iterable[tuple[TimemlDocument, Sequence[TimeRef]]]) -> TimemlReport:
    """Score ``(gold document, predicted times)`` pairs."""
    report = TimemlReport()
    for document, predicted in pairs:
        report.add(document, predicted)
    return report


class Analyzer(Protocol):
    """What :func:`evaluate_timeml` needs from :class:`newsgraph.pipeline.Pipeline`."""

    def analyze(
        self, articles: Iterable[Article], processes: int = ..., batch_size: int = ...
    ) -> Iterator[Record]:
        """Analyse articles into records, in input order."""
        ...


def evaluate_timeml(
    directory: str | Path,
    nlp: Language | Analyzer,
    batch_size: int = 16,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
) -> TimemlReport:
    """Find and normalise the times of a TimeML corpus and score them.

    Each document is analysed as an article published on its document creation time.

    Args:
        directory: A folder of ``.tml`` files, searched recursively (``../shared/eval/timebank-aquaint``).
        nlp: A :class:`newsgraph.pipeline.Pipeline`, whose TIMES stage is scored as users get it, or a bare
            spaCy pipeline with a tagger, parser and NER, over which :func:`find_times` runs directly.
        batch_size: Documents per ``nlp.pipe`` batch.
        limit: Score only the first ``limit`` documents in path order.
        progress: Called as ``progress(done, total)`` after each document.
        processes: Worker processes for the analysis.

    Returns:
        The :class:`TimemlReport`.

    Raises:
        EvalError: The folder is missing, empty or holds malformed TimeML, or the pipeline changed a text.
    """
    if limit is not None and limit < 0:
        raise EvalError(f"limit must be 0 or more, got {limit}")
    documents = list(itertools.islice(load_timeml(directory), limit))
    report = TimemlReport()
    for done, (document, predicted) in enumerate(_predict(documents, nlp, batch_size, processes), start=1):
        report.add(document, predicted)
        if progress is not None:
            progress(done, len(documents))
    return report


def _predict(
    documents: list[TimemlDocument], nlp: Language | Analyzer, batch_size: int, processes: int
) -> Iterator[tuple[TimemlDocument, list[TimeRef]]]:
    """Each document with the times found in it, in input order."""
    if isinstance(nlp, Language):
        docs = nlp.pipe((d.text for d in documents), batch_size=batch_size, n_process=processes)
        for document, doc in zip(documents, docs, strict=True):
            yield document, find_times(doc, document.dct)
        return
    articles = (
        Article(text=d.text, id=d.id, published=d.dct.isoformat() if d.dct else None) for d in documents
    )
    records = nlp.analyze(articles, processes=processes, batch_size=batch_size)
    for document, record in zip(documents, records, strict=True):
        if record.article.text != document.text:
            raise EvalError(
                f"{document.id}: the pipeline changed the article text, so its offsets cannot be scored"
            )
        yield document, record.times
