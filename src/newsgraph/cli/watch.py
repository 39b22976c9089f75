"""``watch``: follow feeds and ingest their new articles as they appear."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType
from typing import Any

import click

from newsgraph.cli.common import (
    db_option,
    err,
    limits_options,
    main,
    model_option,
    open_store,
    published_option,
)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Parse ``90``, ``30s``, ``15m``, ``1h30m`` or ``1d`` into seconds.

    Raises:
        ValueError: Not such a duration.
    """
    compact = text.strip().replace(" ", "")
    pieces = list(_DURATION.finditer(compact))
    if not compact or "".join(m.group(0) for m in pieces) != compact:
        raise ValueError(text)
    return sum(float(m.group(1)) * _UNITS[m.group(2).lower()] for m in pieces)


class _Interval(click.ParamType):
    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, int | float):
            return float(value)
        from newsgraph.watch import MIN_INTERVAL

        try:
            seconds = parse_interval(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a duration such as 30s, 15m, 1h or 1h30m", param, ctx)
        if seconds < MIN_INTERVAL:
            self.fail(f"{value!r} is too short: poll feeds at most once a minute", param, ctx)
        return seconds


@main.command()
@click.argument("feed_or_list")
@click.option(
    "--every",
    type=_Interval(),
    default="15m",
    show_default=True,
    help="Time between polls of a feed (30s, 15m, 1h…); failing feeds are polled less often.",
)
@click.option("--once", is_flag=True, help="Poll every feed once and exit (for cron and tests).")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow feeds and pages on private, loopback and link-local addresses (refused by default).",
)
@db_option
@model_option
@published_option
@limits_options
def watch(
    feed_or_list: str,
    every: float,
    once: bool,
    allow_private: bool,
    db: str,
    model: str,
    published: str | None,
    max_bytes: int,
    deadline: float,
) -> None:
    """Follow RSS/Atom feeds and ingest new articles as they are published.

    FEED_OR_LIST is a feed URL, or a file listing feed URLs one per line. Each poll is a conditional
    request (ETag, Last-Modified), so an unchanged feed costs almost nothing; entries already seen are
    remembered in the store, across restarts, and never ingested twice. An entry's article is the
    feed's full text when the feed carries it, else the linked page. Feed and network errors are
    logged and the feed is tried again later; Ctrl-C or SIGTERM stops cleanly after the current entry.
    With --once, the exit code is 1 if any feed or entry failed.

    \b
    Examples:
      newsgraph watch https://example.com/news/rss.xml --db news.db
      newsgraph watch feeds.txt --every 30m
      newsgraph watch feeds.txt --once          # one poll, e.g. from cron
    """
    from newsgraph.pipeline import Pipeline
    from newsgraph.sources import check_reference_date
    from newsgraph.sources.fetch import Fetcher
    from newsgraph.watch import PollResult, Watcher, load_feed_list

    published = check_reference_date(published)
    feeds = load_feed_list(feed_or_list)
    if not feeds:
        raise click.UsageError(f"{feed_or_list} lists no feed URL")
    stop = threading.Event()
    failed = False

    def report(result: PollResult) -> None:
        nonlocal failed
        failed = failed or result.status == "failed" or bool(result.errors)
        stamp = datetime.now().strftime("%H:%M:%S")
        colour = "red" if result.status == "failed" else "green" if result.stored else "dim"
        err.print(f"{stamp} [{colour}]{result.summary()}[/{colour}]", highlight=False)
        if result.status != "failed":
            for error in result.errors:
                err.print(f"  [red]error:[/red] {error}", highlight=False)

    # Signals are handled from here on, so a SIGTERM while the model loads also stops cleanly.
    with _stopping_on_signals(stop), open_store(db, create=True) as store:
        pipeline = Pipeline(model)
        watcher = Watcher(
            feeds,
            store,
            pipeline.analyze,
            Fetcher(allow_private=allow_private, max_bytes=max_bytes, deadline=deadline),
            published=published,
            stop=stop,
        )
        if once:
            for result in watcher.poll_all():
                report(result)
        else:
            err.print(
                f"watching {len(feeds)} feed{'s' if len(feeds) != 1 else ''} every {_shown(every)}; "
                "Ctrl-C to stop",
                highlight=False,
            )
            watcher.run(every, on_result=report)
        if stop.is_set():
            err.print("stopped.", highlight=False)
        stats = store.stats()
    err.print(f"{db} holds {stats['articles']} articles.", highlight=False)
    if once and failed:
        raise click.exceptions.Exit(1)


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` on the first SIGINT or SIGTERM; a second SIGINT interrupts at once."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping after the current entry (Ctrl-C again to stop now)…", highlight=False)

    saved: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():  # handlers can only be set from there
        for signum in (signal.SIGINT, signal.SIGTERM):
            saved[signum] = signal.signal(signum, handle)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _shown(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
