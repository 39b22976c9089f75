"""Publication dates of web pages, scored as htmldate's own evaluation scores them.

The evaluation folder holds ``gold.json`` (``{url: {"file": "<name>.html", "date": "YYYY-MM-DD"}}``) and the
pages as ``html/<name>.html.gz``. The metric is day-level accuracy over *all* pages: a page counts as right
when the system's date, cut to its day, equals the gold day; a page without a date found counts as wrong.

Systems are given the same page and nothing else (no URL), as htmldate's comparison runs them:

- ``newsgraph``: the page read as a user's HTML file is read (:func:`newsgraph.sources.html.read_html`),
  and the day of the record's :attr:`Article.published`. A page that gives no record ("no article text
  found") counts as a page without a date, as it does for a user. A date-time is cut to the day written
  in its own offset (``2019-01-29T23:30:00-05:00`` is the 29th), which is the day the page shows its
  readers.
- ``htmldate extensive`` and ``htmldate fast``: ``htmldate.find_date(page, original_date=True,
  extensive_search=True|False)`` on the page decoded as newsgraph decodes it, the two modes htmldate
  publishes figures for.

Rules are decided on one half of the pages and checked on the other: the pages sorted by file name are
numbered from 0, and the report gives each system's accuracy on the *even* and *odd* halves beside the
whole.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
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
    half: str = "even"

    @property
    def name(self) -> str:
        """The page's file name, without the ``.gz``."""
        return self.path.name.removesuffix(".gz")

    def data(self) -> bytes:
        """Return the page's bytes."""
        try:
            return gzip.decompress(self.path.read_bytes())
        except (OSError, EOFError) as exc:
            raise EvalError(f"{self.path}: cannot read the page ({exc})") from exc

    def markup(self) -> str:
        """Return the page decoded as newsgraph decodes any page (``sources.files.decode_html``)."""
        from newsgraph.sources.files import decode_html

        return decode_html(self.data())[0]


def load_htmldate_set(directory: str | Path) -> list[DatedPage]:
    """Read ``gold.json`` and locate the pages, in the file's order, each marked with its half.

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
    by_name = sorted(range(len(pages)), key=lambda i: pages[i].path.name)
    halves = {index: HALVES[rank % 2] for rank, index in enumerate(by_name)}
    return [replace(page, half=halves[i]) for i, page in enumerate(pages)]


HALVES = ("even", "odd")


def date_with_newsgraph(page: DatedPage, markup: str) -> str | None:
    """The day of the record newsgraph makes of the page, or None when it makes none or has no date.

    The page's bytes are read as any HTML file is (``markup`` is not used: decoding is part of the work).
    """
    from newsgraph.errors import InputError
    from newsgraph.sources.html import read_html

    try:
        article = read_html(Path(page.name), page.data())
    except InputError:
        return None
    return article.published[:10] if article.published else None


def _htmldate(extensive: bool) -> Callable[[DatedPage, str], str | None]:
    def run(page: DatedPage, markup: str) -> str | None:
        from htmldate import find_date

        return find_date(markup, original_date=True, extensive_search=extensive)

    return run


# Each system is given the page and its markup decoded as newsgraph decodes pages.
DATERS: dict[str, Callable[[DatedPage, str], str | None]] = {
    "newsgraph": date_with_newsgraph,
    "htmldate extensive": _htmldate(True),
    "htmldate fast": _htmldate(False),
}


@dataclass
class DaterResult:
    """One system's outcome: pages right, wrong (a different day) and without a date, overall and by half."""

    name: str
    version: str
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    seconds: float = 0.0
    answers: dict[str, str | None] = field(default_factory=dict)
    # half -> [right, pages]
    halves: dict[str, list[int]] = field(default_factory=lambda: {half: [0, 0] for half in HALVES})

    @property
    def pages(self) -> int:
        return self.correct + self.wrong + self.missing

    @property
    def accuracy(self) -> float:
        return self.correct / self.pages if self.pages else 0.0

    def half_accuracy(self, half: str) -> float:
        """Accuracy on the ``even`` or ``odd`` half of the pages scored."""
        right, pages = self.halves[half]
        return right / pages if pages else 0.0

    def add(self, page: DatedPage, day: str | None) -> None:
        """Score one page's answer."""
        self.answers[page.url] = day
        self.halves[page.half][1] += 1
        if day is None:
            self.missing += 1
        elif day == page.gold:
            self.correct += 1
            self.halves[page.half][0] += 1
        else:
            self.wrong += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "accuracy": self.accuracy,
            "correct": self.correct,
            "wrong": self.wrong,
            "missing": self.missing,
            "halves": {
                half: {"accuracy": self.half_accuracy(half), "correct": right, "pages": pages}
                for half, (right, pages) in self.halves.items()
            },
            "seconds": self.seconds,
            "answers": self.answers,
        }


@dataclass
class DatesReport:
    """Every system's result on the same pages."""

    pages: list[DatedPage]
    systems: list[DaterResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": "htmldate",
            "pages": len(self.pages),
            "systems": [s.to_dict() for s in self.systems],
            "gold": {
                page.url: {"file": page.name, "date": page.gold, "half": page.half} for page in self.pages
            },
        }

    def table(self) -> Table:
        """Return the systems side by side as a rich table."""
        table = Table(title=f"Publication dates, day-level accuracy over all {len(self.pages)} pages")
        columns = ("system", "version", "accuracy", "even half", "odd half", "right", "wrong day", "no date")
        for name in (*columns, "pages/s"):
            table.add_column(name, justify="left" if name in ("system", "version") else "right")
        for system in self.systems:
            rate = f"{system.pages / system.seconds:.1f}" if system.seconds else ""
            table.add_row(
                system.name,
                system.version,
                f"{system.accuracy:.3f}",
                f"{system.half_accuracy('even'):.3f}",
                f"{system.half_accuracy('odd'):.3f}",
                str(system.correct),
                str(system.wrong),
                str(system.missing),
                rate,
            )
        return table

    def page_table(self, only_differences: bool = False) -> Table:
        """Return every page's gold day beside each system's answer (✓ right, ✗ wrong, – none).

        Args:
            only_differences: Only the pages where the systems do not all give the same answer.
        """
        table = Table(title="Publication dates, page by page")
        for name in ("page", "half", "gold", *(s.name for s in self.systems)):
            table.add_column(name)
        for page in self.pages:
            answers = [system.answers.get(page.url) for system in self.systems]
            if only_differences and len(set(answers)) < 2:
                continue
            cells = [_mark(answer, page.gold) for answer in answers]
            table.add_row(page.name, page.half, page.gold, *cells)
        return table


def _mark(answer: str | None, gold: str) -> str:
    if answer is None:
        return "– none"
    return f"{'✓' if answer == gold else '✗'} {answer}"


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
    half: str | None = None,
) -> DatesReport:
    """Score publication-date finding of each system on htmldate's evaluation pages.

    Args:
        directory: The folder with ``gold.json`` and ``html/``.
        systems: Names from :data:`DATERS`, printed in this order.
        limit: Only the first N pages (for quick iterations; published figures use all).
        progress: Called with (pages done, total) after each page.
        half: Only the ``even`` or the ``odd`` half of the pages (by sorted file name), before ``limit``.

    Raises:
        EvalError: The folder is incomplete or a system name is unknown.
    """
    unknown = [name for name in systems if name not in DATERS]
    if unknown:
        raise EvalError(f"unknown system {', '.join(unknown)}; choose from {', '.join(DATERS)}")
    if half is not None and half not in HALVES:
        raise EvalError(f"unknown half {half!r}; choose even or odd")
    pages = [page for page in load_htmldate_set(directory) if half in (None, page.half)][:limit]
    versions = _versions()
    results = [DaterResult(name, versions[name]) for name in systems]
    for done, page in enumerate(pages, start=1):
        markup = page.markup()
        for result in results:
            start = time.perf_counter()
            try:
                day = DATERS[result.name](page, markup)
            except Exception:  # a dater that crashes on a page has found no date there; the run goes on
                day = None
            result.seconds += time.perf_counter() - start
            result.add(page, day[:10] if day else None)
        if progress is not None:
            progress(done, len(pages))
    return DatesReport(pages, results)
