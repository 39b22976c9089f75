"""Shared pieces of the command line: the groups, options, consoles, progress and record printing."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column, Table

from newsgraph.errors import InputError, NewsgraphError
from newsgraph.schema import Article, Record

DEFAULT_DB = "newsgraph.db"
T = TypeVar("T")
# Tables read better wider than the 80 columns rich assumes when output is piped.
out = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, soft_wrap=True)


def sample_dir() -> Path:
    """The bundled sample corpus (invented wire-style articles)."""
    return Path(str(files("newsgraph") / "data" / "sample"))


class _Command(click.Command):
    """Turns library errors into one ``Error:`` line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsgraphError as exc:
            raise click.ClickException(str(exc)) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("NEWSGRAPH_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set NEWSGRAPH_DEBUG=1 for the traceback, and please report it)"
            ) from exc


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups are _Group too


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        default=lambda: os.environ.get("NEWSGRAPH_DB", DEFAULT_DB),
        show_default=f"$NEWSGRAPH_DB or {DEFAULT_DB}",
        type=click.Path(dir_okay=False),
        help="SQLite store file.",
    )(f)


def model_option(f: Any) -> Any:
    from newsgraph.pipeline import DEFAULT_MODEL

    return click.option(
        "--model",
        default=DEFAULT_MODEL,
        show_default=True,
        help="Installed spaCy pipeline name or path (needs a parser and NER).",
    )(f)


def mode_option(f: Any) -> Any:
    return click.option(
        "--mode",
        type=click.Choice(["fast", "accurate"]),
        default="fast",
        show_default=True,
        help="Attribution: fast (the CRF) or accurate (the CRF with a fine-tuned MiniLM-L6 encoder; needs "
        "pip install 'newsgraph[accurate]', slower).",
    )(f)


def processes_option(f: Any) -> Any:
    return click.option(
        "--processes",
        "-j",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Worker processes.",
    )(f)


def allow_private_option(f: Any) -> Any:
    return click.option(
        "--allow-private",
        is_flag=True,
        help="Let URLs reach private, loopback and link-local addresses (refused by default).",
    )(f)


def published_option(f: Any) -> Any:
    return click.option(
        "--published",
        metavar="YYYY-MM-DD",
        help="Reference date for inputs that carry none (plain text); relative dates resolve against it.",
    )(f)


def open_store(db: str, create: bool = False) -> Any:
    from newsgraph.store import Store

    if not create and not Path(db).exists():
        raise NewsgraphError(f"{db}: no such store; run `newsgraph ingest PATH… --db {db}` first")
    return Store(db)


def progress_bar(label: str) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class Reader:
    """Reads inputs, reports each bad one on stderr, and counts."""

    def __init__(
        self, paths: Iterable[str], published: str | None, skip: Any = None, allow_private: bool = False
    ):
        self.paths = list(paths)
        self.published = published
        self.skip = skip
        self.allow_private = allow_private
        self.read = 0
        self.failed: list[InputError] = []
        self.skipped = 0

    def __iter__(self) -> Iterator[Article]:
        from newsgraph.sources import read_articles

        for item in read_articles(self.paths, published=self.published, allow_private=self.allow_private):
            if isinstance(item, InputError):
                self.failed.append(item)
                err.print(f"[red]error:[/red] {item}", highlight=False)
                continue
            self.read += 1
            if self.skip is not None and self.skip(item):
                self.skipped += 1
                continue
            yield item


def input_paths(paths: tuple[str, ...], sample: bool) -> list[str]:
    chosen = list(paths)
    if sample:
        root = sample_dir()
        chosen += [str(root / "wire.jsonl"), str(root / "html"), str(root / "text")]
    if not chosen:
        raise click.UsageError("give at least one PATH (file, directory or glob), or --sample")
    return chosen


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: who said what, according to whom, in the news.

    Reads articles (text, JSONL, HTML), finds attributions with their speakers and reporting chains,
    entities, places, times and events, and stores them in SQLite with full-text search.

    \b
    Quick start:
      newsgraph ingest --sample --db sample.db     # the bundled sample corpus
      newsgraph quotes --db sample.db              # who said what
      newsgraph analyze article.txt --published 2024-03-14 --format table
    """


def run_scorer(label: str, score: Callable[[Callable[[int, int], None]], T]) -> T:
    """Run an evaluation under a progress bar; ``score`` receives the ``progress(done, total)`` callback."""
    with progress_bar(label) as progress:
        task = progress.add_task("eval", total=None)
        return score(lambda done, total: progress.update(task, completed=done, total=total))


def print_report(report: Any, as_json: bool) -> None:
    """Print an evaluation report as JSON (its ``to_dict()``) or as its rich table."""
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
    else:
        out.print(report.table())


def span_text(record: Record, span: tuple[int, int] | None) -> str:
    return "" if span is None else record.article.text[span[0] : span[1]]


def shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_record(record: Record, console: Console) -> None:
    a = record.article
    console.rule(f"[bold]{a.title or a.id or a.url or 'article'}")
    console.print(
        f"id: {a.id}  outlet: {a.outlet or '-'}  published: {a.published or '-'}  url: {a.url or '-'}",
        highlight=False,
    )
    table = Table(
        Column("speaker", max_width=24),
        Column("role", max_width=18),
        Column("cue", max_width=16),
        "kind",
        Column("via", max_width=20),
        Column("content", min_width=40),
    )
    for at in record.attributions:
        table.add_row(
            at.speaker_name or "?",
            at.role or "",
            span_text(record, at.cue),
            at.kind,
            ", ".join(v.name for v in at.via),
            shorten(span_text(record, at.content)),
        )
    console.print(table)
    if record.entities:
        console.print(
            "[bold]entities:[/bold] "
            + "; ".join(f"{e.name} ({e.type}{', ' + e.role if e.role else ''})" for e in record.entities),
            highlight=False,
        )
    if record.times:
        console.print(
            "[bold]times:[/bold] " + "; ".join(f"{t.text} → {t.value or '?'}" for t in record.times),
            highlight=False,
        )
    if record.places:
        console.print(
            "[bold]places:[/bold] "
            + "; ".join(
                f"{p.name} ({p.country or '?'}"
                + (f", GeoNames {p.geonameid}" if p.geonameid else "")
                + (")" if p.resolved else ", unresolved)")
                for p in record.places
            ),
            highlight=False,
        )
    if record.events:
        names = {e.id: e.name for e in record.entities}
        console.print(
            "[bold]events:[/bold] "
            + "; ".join(
                f"{ev.type} {names.get(ev.actor or '', '?')} → {names.get(ev.target or '', '?')}"
                f" '{span_text(record, ev.trigger)}'"
                + (" (hedged)" if ev.hedged else "")
                + (" (negated)" if ev.negated else "")
                + (" (planned)" if ev.planned else "")
                for ev in record.events
            ),
            highlight=False,
        )


@main.group(name="eval", cls=_Group)
def eval_group() -> None:
    """Measure newsgraph on public annotated data (see ../shared/eval/README.md)."""
