"""Shared pieces of the command line: the groups, options, consoles, progress and record printing."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import threading
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
    """Turns library errors into one ``Error:`` line and exit code 1.

    Also the errors of the system around a command: output to a closed pipe (``| head``) ends the
    command quietly; a full disk, a missing folder or a read-only place is one line naming the file.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            _check_text_options(ctx)
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, so that a full disk or a closed pipe is caught below, not at exit
            return result
        except NewsgraphError as exc:
            raise click.ClickException(_named_for_the_command_line(exc, ctx)) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            raise click.exceptions.Exit(1) from None
        except OSError as exc:
            if os.environ.get("NEWSGRAPH_DEBUG"):
                raise
            raise click.ClickException(_os_error_message(exc, ctx.params.get("output"))) from exc
        except Exception as exc:
            if os.environ.get("NEWSGRAPH_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set NEWSGRAPH_DEBUG=1 for the traceback, and please report it)"
            ) from exc


def note_encoding(article: Article) -> None:
    """Say on stderr when a text was not UTF-8 and was read in another encoding (cp1252), so that a
    wrong guess does not pass unseen."""
    encoding = article.metadata.get("encoding")
    if encoding == "cp1252" and article.metadata.get("source"):
        err.print(
            f"[yellow]note:[/yellow] {article.metadata['source']}: not valid UTF-8; read as cp1252 "
            "(re-save it as UTF-8 if that is wrong)",
            highlight=False,
        )


def _check_text_options(ctx: click.Context) -> None:
    """Refuse option values that are not text: bytes a terminal could not decode (``--speaker $'\\xff'``)
    reach Python as lone surrogates, which no filter can match and no database can hold. Paths may be
    any bytes, so they are left alone."""
    for param in ctx.command.params:
        if isinstance(param.type, click.Path) or param.name == "paths":
            continue
        value = ctx.params.get(param.name or "")
        for text in value if isinstance(value, tuple | list) else [value]:
            if isinstance(text, str) and any("\ud800" <= c <= "\udfff" for c in text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                name = param.opts[0] if param.opts else param.name
                raise click.BadParameter(
                    f"'{shown}' is not valid UTF-8 text; check the terminal's encoding", param_hint=name
                )


def _named_for_the_command_line(exc: NewsgraphError, ctx: click.Context) -> str:
    """The error's message, naming a bad query parameter as the option the user typed (``--since``)."""
    message = str(exc)
    param = getattr(exc, "param", None)
    if not isinstance(param, str):
        return message
    for option in ctx.command.params:
        if option.name == param and option.opts and option.opts[0].startswith("--"):
            name = option.opts[0]
            return name + message[len(param) :] if message.startswith(param) else f"{name}: {message}"
    return message


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so Python's last flush at exit does not fail again on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# What an OSError met while writing output means for the user, by errno.
_WRITE_PROBLEMS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or directory",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "a part of the path is not a directory",
}


def _os_error_message(exc: OSError, output: str | None) -> str:
    """One line for an OSError: what went wrong, naming the file (``output`` when the error names none)."""
    problem = _WRITE_PROBLEMS.get(exc.errno or 0, exc.strerror or str(exc))
    where = exc.filename or output
    if where is None:
        return f"cannot write to the standard output: {problem}"
    if exc.errno == errno.ENOENT and not Path(where).parent.exists():
        return f"{where}: the folder {Path(where).parent} does not exist; create it first"
    return f"{where}: {problem}"


@contextlib.contextmanager
def stopping_on_signals(stop: threading.Event, what: str) -> Iterator[None]:
    """Set ``stop`` on the first SIGTERM or Ctrl-C, saying so; a second Ctrl-C interrupts at once.

    Args:
        stop: The event the running job checks.
        what: What finishes first, for the message ("the current batch").
    """

    def handle(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err.print(f"stopping after {what} (Ctrl-C again to stop now)…", highlight=False)

    saved: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():  # handlers can only be set from there
        for signum in (signal.SIGINT, signal.SIGTERM):
            saved[signum] = signal.signal(signum, handle)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


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


def translation_options(f: Any) -> Any:
    """``--language``, ``--translate/--no-translate`` and ``--engine``, passed on to the Pipeline."""
    f = click.option(
        "--engine",
        "engines",
        multiple=True,
        type=click.Choice(["apertium", "argos"]),
        help="Translation engine, in order of preference when repeated (default: apertium, then argos).",
    )(f)
    f = click.option(
        "--translate/--no-translate",
        default=True,
        show_default=True,
        help="Translate articles not in English before analysis; with --no-translate they are stored "
        "with their language and metadata, not analysed.",
    )(f)
    return click.option(
        "--language",
        metavar="CODE",
        callback=_check_language,
        help="ISO 639-1 code of the inputs' language (es, fr, ca…), instead of detecting it per article.",
    )(f)


def _check_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().lower()
    if not (code.isascii() and code.isalpha() and len(code) in (2, 3)):
        raise click.BadParameter(f"{value!r} is not an ISO 639 language code such as 'es' or 'fr'")
    return code


def allow_private_option(f: Any) -> Any:
    return click.option(
        "--allow-private",
        is_flag=True,
        help="Let URLs reach private, loopback and link-local addresses (refused by default).",
    )(f)


# The library's defaults (sources.DEFAULT_MAX_BYTES, sources.fetch.DEFAULT_DEADLINE), restated so that
# building the command line does not import the readers; tests/test_cli_messages.py checks they agree.
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_DEADLINE = 30.0


def limits_options(f: Any) -> Any:
    """``--max-bytes`` and ``--deadline``: how much of an input is read, and how long a URL may take."""
    f = click.option(
        "--deadline",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_DEADLINE,
        show_default=True,
        metavar="SECONDS",
        help="Time each URL may take in all (connecting, the headers, the body, redirects and retries); "
        "a slower server is given up on and the next input read.",
    )(f)
    return click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        metavar="BYTES",
        help="Largest file, JSON line, WARC record or download read (after decompression).",
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
    if not create:
        from newsgraph.store.connection import writable_place

        if not writable_place(Path(db)):  # queries only read: a store in a read-only place still answers
            return Store(db, read_only=True)
    return Store(db)


def limited(fetch: Callable[[int | None], list[T]], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` rows from ``fetch(limit)``, and how many there are in all.

    One more row than asked for says whether the list was cut; only then is it counted in full.
    """
    rows = fetch(limit + 1)
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], len(fetch(None))


def listing_title(shown: int, total: int, what: str) -> str:
    """A table's title: "12 attributions", or "50 of 120 attributions" when the list was cut."""
    return f"{shown} of {total} {what}" if total > shown else f"{total} {what}"


def note_truncated(shown: int, total: int, what: str, jsonl: bool = True) -> None:
    """Say on stderr, under a cut listing, how many more there are and how to see them."""
    if total > shown:
        err.print(truncated(shown, total, what, jsonl), highlight=False)


def truncated(shown: int, total: int, what: str, jsonl: bool = True) -> str:
    """The line under a listing cut at ``--limit``: how many more there are and how to see them.

    Args:
        shown: Rows shown.
        total: Rows in all.
        what: What the rows are ("attributions").
        jsonl: The command has ``--format jsonl``, which the line then suggests for saving them.
    """
    also = " (or --format jsonl to save them)" if jsonl else ""
    return (
        f"{shown} of {total} {what} shown, {total - shown} more; pass --limit {total} to see them all{also}"
    )


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
        self,
        paths: Iterable[str],
        published: str | None,
        skip: Any = None,
        allow_private: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        deadline: float = DEFAULT_DEADLINE,
    ):
        self.paths = list(paths)
        self.published = published
        self.skip = skip
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.read = 0
        self.failed: list[InputError] = []
        self.skipped = 0

    def __iter__(self) -> Iterator[Article]:
        from newsgraph.sources import read_articles
        from newsgraph.sources.fetch import Fetcher

        fetcher = Fetcher(allow_private=self.allow_private, max_bytes=self.max_bytes, deadline=self.deadline)
        items = read_articles(self.paths, published=self.published, max_bytes=self.max_bytes, fetcher=fetcher)
        for item in items:
            if isinstance(item, InputError):
                self.failed.append(item)
                err.print(f"[red]error:[/red] {item}", highlight=False)
                continue
            self.read += 1
            note_encoding(item)
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
        f"id: {a.id}  outlet: {a.outlet or '-'}  published: {a.published or '-'}  url: {a.url or '-'}  "
        f"language: {a.language}",
        highlight=False,
    )
    if a.translation is not None:
        t = a.translation
        console.print(
            f"translated from {t.source_language} by {t.engine_version}; {t.unknown_words} unknown words",
            highlight=False,
        )
    elif not a.analysed:
        console.print(f"not analysed: no translation from {a.language!r} into English", highlight=False)
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
