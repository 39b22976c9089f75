"""Publication dates of web pages, scored as htmldate's own evaluation scores them.

The evaluation folder holds ``gold.json`` (``{url: {"file": "<name>.html", "date": "YYYY-MM-DD"}}``) and the
pages as ``html/<name>.html.gz``. The metric is day-level accuracy over *all* pages: a page counts as right
when the system's date, cut to its day, equals the gold day; a page without a date found counts as wrong.

Systems are given the same decoded page and nothing else (no URL), as htmldate's comparison runs them:

- ``newsgraph``: :func:`newsgraph.sources.published.find_published`, the step that gives
  :attr:`Article.published` for HTML pages. A date-time is cut to the day written in its own offset
  (``2019-01-29T23:30:00-05:00`` is the 29th), which is the day the page shows its readers.
- ``htmldate extensive`` and ``htmldate fast``: ``htmldate.find_date(page, original_date=True,
  extensive_search=True|False)``, the two modes htmldate publishes figures for.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from newsgraph.errors import EvalError


@dataclass(frozen=True)
class DatedPage:
    """One evaluation page: its URL (the gold key), its gzipped file and the gold day."""

    url: str
    path: Path
    gold: str

    def markup(self) -> str:
        """Return the page decoded as newsgraph decodes any page (``sources.files.decode_html``)."""
        from newsgraph.sources.files import decode_html

        try:
            data = gzip.decompress(self.path.read_bytes())
        except (OSError, EOFError) as exc:
            raise EvalError(f"{self.path}: cannot read the page ({exc})") from exc
        return decode_html(data)[0]


def load_htmldate_set(directory: str | Path) -> list[DatedPage]:
    """Read ``gold.json`` and locate the pages, in the file's order.

    Raises:
        EvalError: The folder, ``gold.json`` or a page is missing, or the JSON is malformed.
    """
    root = Path(directory)
    gold_path = root / "gold.json"
    if not gold_path.is_file():
        raise EvalError(
            f"{root}: no gold.json here; give the htmldate evaluation folder (../shared/eval/htmldate-dev)"
        )
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"{gold_path}: cannot read the gold dates ({exc})") from exc
    if not isinstance(gold, dict):
        raise EvalError(f"{gold_path}: expected an object mapping URLs to {{file, date}}")
    pages = []
    for url, entry in gold.items():
        try:
            name, day = entry["file"], entry["date"]
        except (TypeError, KeyError) as exc:
            raise EvalError(f"{gold_path}: entry {url!r} lacks {exc}") from exc
        path = root / "html" / f"{name}.gz"
        if not path.is_file():
            raise EvalError(f"{path}: page named in gold.json is missing")
        pages.append(DatedPage(url, path, day))
    return pages


def date_with_newsgraph(markup: str) -> str | None:
    """newsgraph's publication date of a page, as a day."""
    from newsgraph.sources.published import find_published

    found = find_published(markup)
    return None if found is None else found.day


def _htmldate(extensive: bool) -> Callable[[str], str | None]:
    def run(markup: str) -> str | None:
        from htmldate import find_date

        return find_date(markup, original_date=True, extensive_search=extensive)

    return run


DATERS: dict[str, Callable[[str], str | None]] = {
    "newsgraph": date_with_newsgraph,
    "htmldate extensive": _htmldate(True),
    "htmldate fast": _htmldate(False),
}


@dataclass
class DaterResult:
    """One system's outcome: pages right, wrong (a different day) and without a date."""

    name: str
    version: str
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    seconds: float = 0.0
    answers: dict[str, str | None] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return self.correct + self.wrong + self.missing

    @property
    def accuracy(self) -> float:
        return self.correct / self.pages if self.pages else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "accuracy": self.accuracy,
            "correct": self.correct,
            "wrong": self.wrong,
            "missing": self.missing,
            "seconds": self.seconds,
            "answers": self.answers,
        }


@dataclass
class DatesReport:
    """Every system's result on the same pages."""

    pages: int
    systems: list[DaterResult]

    def to_dict(self) -> dict[str, Any]:
        return {"benchmark": "htmldate", "pages": self.pages, "systems": [s.to_dict() for s in self.systems]}

    def table(self) -> Table:
        """Return the systems side by side as a rich table."""
        table = Table(title=f"Publication dates, day-level accuracy over all {self.pages} pages")
        for name in ("system", "version", "accuracy", "right", "wrong day", "no date", "pages/s"):
            table.add_column(name, justify="left" if name in ("system", "version") else "right")
        for system in self.systems:
            rate = f"{system.pages / system.seconds:.1f}" if system.seconds else ""
            table.add_row(
                system.name,
                system.version,
                f"{system.accuracy:.3f}",
                str(system.correct),
                str(system.wrong),
                str(system.missing),
                rate,
            )
        return table


def _versions() -> dict[str, str]:
    import htmldate

    from newsgraph import __version__

    return {
        "newsgraph": f"{__version__} (htmldate {htmldate.__version__})",
        "htmldate extensive": htmldate.__version__,
        "htmldate fast": htmldate.__version__,
    }


def evaluate_dates(
    directory: str | Path,
    systems: Sequence[str] = ("newsgraph", "htmldate extensive", "htmldate fast"),
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DatesReport:
    """Score publication-date finding of each system on htmldate's evaluation pages.

    Args:
        directory: The folder with ``gold.json`` and ``html/``.
        systems: Names from :data:`DATERS`, printed in this order.
        limit: Only the first N pages (for quick iterations; published figures use all).
        progress: Called with (pages done, total) after each page.

    Raises:
        EvalError: The folder is incomplete or a system name is unknown.
    """
    unknown = [name for name in systems if name not in DATERS]
    if unknown:
        raise EvalError(f"unknown system {', '.join(unknown)}; choose from {', '.join(DATERS)}")
    pages = load_htmldate_set(directory)[:limit]
    versions = _versions()
    results = [DaterResult(name, versions[name]) for name in systems]
    for done, page in enumerate(pages, start=1):
        markup = page.markup()
        for result in results:
            start = time.perf_counter()
            try:
                day = DATERS[result.name](markup)
            except Exception:  # a dater that crashes on a page has found no date there; the run goes on
                day = None
            result.seconds += time.perf_counter() - start
            day = day[:10] if day else None
            result.answers[page.url] = day
            if day is None:
                result.missing += 1
            elif day == page.gold:
                result.correct += 1
            else:
                result.wrong += 1
        if progress is not None:
            progress(done, len(pages))
    return DatesReport(len(pages), results)
