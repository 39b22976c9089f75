"""Article body extraction scored as the ScrapingHub (Zyte) article-extraction benchmark scores it.

The benchmark folder holds ``ground-truth.json`` (``{id: {"articleBody": ..., "url": ...}}``) and
``html/<id>.html.gz`` (gzip, UTF-8). Its metric, reimplemented here from the benchmark's description:

- text is split into tokens, the ``\\w+`` runs of the text;
- a page's shingles are the runs of 4 consecutive tokens (a text shorter than that is one shingle of all
  its tokens), counted as a multiset;
- per page, true positives are the shingles both texts share (the smaller count of each), false positives
  the predicted shingles beyond the gold count, false negatives the gold ones beyond the predicted count;
  the three are divided by their sum, so that every page weighs the same;
- precision is averaged over the pages where something was predicted, recall over the pages with gold
  text, and F1 is the harmonic mean of those two averages (not an average of per-page F1).

Precision of a page with neither false positives nor false negatives is 1; the benchmark also reports a
95 % interval from 1,000 bootstrap resamples of the pages, computed here the same way with a fixed seed
so that two runs print the same figures.

Two systems are scored on the same pages in the same run: newsgraph (:func:`newsgraph.sources.html.read_html`,
the cleaned :attr:`Article.text`) and plain trafilatura with its default settings and body text only,
exactly as the benchmark's own trafilatura runner calls it (``trafilatura.extract(html,
include_comments=False)``).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from newsgraph.errors import EvalError, NewsgraphError

SHINGLE_SIZE = 4
BOOTSTRAP_SAMPLES = 1000
_TOKEN = re.compile(r"\w+")

# (true positives, false positives, false negatives) of one page, normalised to sum to 1
PageCounts = tuple[float, float, float]


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Return the multiset of ``size``-token shingles of ``text`` (tokens are ``\\w+`` runs).

    A text with fewer than ``size`` tokens (but at least one) is one shingle of all its tokens.
    """
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(gold: str | None, predicted: str | None) -> PageCounts:
    """Return one page's shingle true positives, false positives and false negatives, summing to 1."""
    truth, guess = shingles(gold), shingles(predicted)
    tp = float(sum((truth & guess).values()))
    fp = float(sum((guess - truth).values()))
    fn = float(sum((truth - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 over a set of pages, each with its bootstrap 95 % half-interval."""

    precision: float
    recall: float
    f1: float
    precision_ci: float = 0.0
    recall_ci: float = 0.0
    f1_ci: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "precision_ci": self.precision_ci,
            "recall_ci": self.recall_ci,
            "f1_ci": self.f1_ci,
        }


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == 0 else tp / (tp + fn)


def _point(counts: Sequence[PageCounts]) -> tuple[float, float, float]:
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summarise(counts: Sequence[PageCounts], samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> Score:
    """Average per-page counts into a :class:`Score`, with bootstrap intervals (1.96 standard deviations).

    Args:
        counts: One :func:`page_counts` result per page.
        samples: Bootstrap resamples; 0 skips the intervals.
        seed: Seed of the resampling, so that reruns agree.
    """
    precision, recall, f1 = _point(counts)
    if samples < 2 or len(counts) < 2:
        return Score(precision, recall, f1)
    rng = random.Random(seed)
    draws = [_point([counts[rng.randrange(len(counts))] for _ in counts]) for _ in range(samples)]
    p_ci, r_ci, f_ci = (1.96 * statistics.stdev(column) for column in zip(*draws, strict=True))
    return Score(precision, recall, f1, p_ci, r_ci, f_ci)


@dataclass(frozen=True)
class BenchmarkPage:
    """One benchmark page: its id, the gzipped HTML file and the gold article body."""

    id: str
    path: Path
    gold: str
    url: str | None = None

    def html(self) -> bytes:
        """Return the page's HTML bytes."""
        try:
            return gzip.decompress(self.path.read_bytes())
        except (OSError, EOFError) as exc:
            raise EvalError(f"{self.path}: cannot read the page ({exc})") from exc


def load_scrapinghub(directory: str | Path) -> list[BenchmarkPage]:
    """Read the benchmark's gold bodies and locate its pages, sorted by id.

    Raises:
        EvalError: The folder, ``ground-truth.json`` or a page it names is missing, or the JSON is malformed.
    """
    root = Path(directory)
    gold_path = root / "ground-truth.json"
    if not gold_path.is_file():
        raise EvalError(
            f"{root}: no ground-truth.json here; give the ScrapingHub benchmark folder "
            "(../shared/eval/scrapinghub)"
        )
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"{gold_path}: cannot read the gold bodies ({exc})") from exc
    if not isinstance(gold, dict):
        raise EvalError(f"{gold_path}: expected an object mapping page ids to {{articleBody, url}}")
    pages = []
    for page_id in sorted(gold):
        path = root / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            raise EvalError(f"{path}: page named in ground-truth.json is missing")
        entry = gold[page_id] or {}
        pages.append(BenchmarkPage(page_id, path, entry.get("articleBody") or "", entry.get("url")))
    return pages


def extract_with_trafilatura(html: bytes) -> str:
    """Plain trafilatura as the benchmark runs it: default settings, body text, no comments."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False) or ""


def extract_with_newsgraph(html: bytes, name: str = "page.html") -> str:
    """newsgraph's cleaned article text of a page; empty when newsgraph finds no article in it."""
    from newsgraph.sources.html import read_html

    try:
        return read_html(Path(name), html).text
    except NewsgraphError:
        return ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "newsgraph": extract_with_newsgraph,
    "trafilatura": extract_with_trafilatura,
}


@dataclass
class SystemResult:
    """One system's scores, per-page counts and time spent."""

    name: str
    version: str
    score: Score
    pages: dict[str, PageCounts] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            **self.score.to_dict(),
            "seconds": self.seconds,
            "pages": {k: list(v) for k, v in self.pages.items()},
        }


@dataclass
class ExtractionReport:
    """Every system's result on the same benchmark pages."""

    pages: int
    systems: list[SystemResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": "scrapinghub",
            "pages": self.pages,
            "systems": [s.to_dict() for s in self.systems],
        }

    def table(self) -> Table:
        """Return the systems side by side as a rich table, figures as the benchmark prints them."""
        table = Table(title=f"ScrapingHub article body extraction: {self.pages} pages, 4-word shingles")
        for name in ("system", "version", "F1", "precision", "recall", "pages/s"):
            table.add_column(name, justify="left" if name in ("system", "version") else "right")
        for system in self.systems:
            score = system.score
            rate = f"{self.pages / system.seconds:.1f}" if system.seconds else ""
            table.add_row(
                system.name,
                system.version,
                f"{score.f1:.3f} ± {score.f1_ci:.3f}",
                f"{score.precision:.3f} ± {score.precision_ci:.3f}",
                f"{score.recall:.3f} ± {score.recall_ci:.3f}",
                rate,
            )
        return table


def _versions() -> dict[str, str]:
    import trafilatura

    from newsgraph import __version__

    return {
        "newsgraph": f"{__version__} (trafilatura {trafilatura.__version__})",
        "trafilatura": trafilatura.__version__,
    }


def evaluate_extraction(
    directory: str | Path,
    systems: Sequence[str] = ("newsgraph", "trafilatura"),
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractionReport:
    """Score body extraction of each system on the ScrapingHub benchmark pages.

    Args:
        directory: The benchmark folder (``ground-truth.json``, ``html/``).
        systems: Names from :data:`EXTRACTORS`, printed in this order.
        limit: Only the first N pages by id (for quick iterations; published figures use all).
        progress: Called with (pages done, total) after each page.

    Returns:
        The report, one :class:`SystemResult` per system.

    Raises:
        EvalError: The benchmark folder is incomplete or a system name is unknown.
    """
    unknown = [name for name in systems if name not in EXTRACTORS]
    if unknown:
        raise EvalError(f"unknown system {', '.join(unknown)}; choose from {', '.join(EXTRACTORS)}")
    pages = load_scrapinghub(directory)[:limit]
    versions = _versions()
    counts: dict[str, dict[str, PageCounts]] = {name: {} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for done, page in enumerate(_pages_with_html(pages), start=1):
        item, html = page
        for name in systems:
            start = time.perf_counter()
            text = EXTRACTORS[name](html)
            seconds[name] += time.perf_counter() - start
            counts[name][item.id] = page_counts(item.gold, text)
        if progress is not None:
            progress(done, len(pages))
    results = [
        SystemResult(
            name, versions[name], summarise(list(counts[name].values())), counts[name], seconds[name]
        )
        for name in systems
    ]
    return ExtractionReport(len(pages), results)


def _pages_with_html(pages: Sequence[BenchmarkPage]) -> Iterator[tuple[BenchmarkPage, bytes]]:
    for page in pages:
        yield page, page.html()
