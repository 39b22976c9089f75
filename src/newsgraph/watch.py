"""Live monitoring: poll feeds, ingest their new entries, remember what was seen, never stop on an error.

One poll of one feed:

1. a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last full answer); a 304 ends the
   poll at the cost of a few hundred bytes;
2. the entries whose key (guid, else link) is not yet in the store's ``seen_entries`` are made into
   articles (the feed's full text, or the linked page fetched);
3. new articles go through the same :func:`~newsgraph.ingest.ingest_articles` as ``newsgraph ingest``
   (the pipeline, then the store in batches); articles the store already holds (same
   URL or text, such as a story carried by two feeds) are not analysed again;
4. the entries are marked seen, then the feed's validators are saved.

Saving articles before marking entries and validators means a crash in between repeats work but loses
nothing, and the store's duplicate check keeps a repeated entry from being stored twice. An entry whose
page fails for a passing reason (a timeout, a 503) is left unseen and tried again at the next poll; one
that fails for good (a 404, no article text) is marked seen, so it is reported once.

A feed that fails (network down, HTTP error, malformed) is logged and polled again later, waiting longer
after each failure in a row (see :func:`next_delay`); the other feeds go on.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from newsgraph.errors import InputError, NewsgraphError
from newsgraph.ingest import ingest_articles
from newsgraph.schema import Article, Record
from newsgraph.sources import screen_item
from newsgraph.sources.feeds import entry_article, parse_feed
from newsgraph.sources.fetch import DEFAULT_MAX_BYTES, FEED_ACCEPT, Fetcher, FetchError, is_url
from newsgraph.sources.files import read_limited
from newsgraph.sources.web import looks_like_url_list
from newsgraph.store import FeedState, Store

# After n failures in a row a feed waits every × 2^(n-1), at most every × 16: a blip costs one interval,
# a feed that is down for a day is asked only every 4 hours at the default 15-minute interval.
MAX_BACKOFF_FACTOR = 16

# Shortest interval the command line accepts: feed publishers ask for minutes, not seconds, between polls,
# and a feed rarely changes faster. (The library takes any interval, for tests.)
MIN_INTERVAL = 60.0


@dataclass
class PollResult:
    """What one poll of one feed did.

    Args:
        feed: The feed's URL or path.
        status: ``"updated"`` (the feed was read), ``"not-modified"`` (304) or ``"failed"``.
        new: Entries not seen before.
        stored: Articles stored.
        duplicates: New entries whose article the store already held.
        errors: Problems with the feed (for ``failed``) or with single entries.
        retry: Entries left unseen after a passing failure, to try again next poll.
    """

    feed: str
    status: str
    new: int = 0
    stored: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    retry: int = 0

    def summary(self) -> str:
        """One line for the log."""
        if self.status == "failed":
            return f"{self.feed}: failed: {self.errors[0].problem if self.errors else 'unknown error'}"
        if self.status == "not-modified":
            return f"{self.feed}: not modified"
        text = f"{self.feed}: {self.new} new, {self.stored} stored"
        if self.duplicates:
            text += f", {self.duplicates} already in the store"
        if self.errors:
            text += f", {len(self.errors)} failed"
        if self.retry:
            text += f" ({self.retry} to retry)"
        return text


def load_feed_list(target: str) -> list[str]:
    """Turn the ``watch`` argument into the feeds to poll.

    Args:
        target: A feed URL, a feed file, or a file listing feed URLs one per line (``#`` comments and
            blank lines skipped).

    Raises:
        InputError: The file is missing, unreadable, or lists something that is not a URL.
    """
    if is_url(target):
        return [target]
    path = Path(target).expanduser()
    data = read_limited(path, DEFAULT_MAX_BYTES)
    if not looks_like_url_list(data):
        return [str(path)]  # a feed file on disk
    feeds: list[str] = []
    for number, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"{path}:{number}", "is not an http(s) URL", "one feed URL per line")
        if line not in feeds:
            feeds.append(line)
    return feeds


def next_delay(every: float, failures: int) -> float:
    """Seconds until a feed's next poll, given its failures in a row (0 after a success)."""
    if failures <= 0:
        return every
    return every * min(2 ** (failures - 1), MAX_BACKOFF_FACTOR)


class Watcher:
    """Polls feeds and ingests their new entries into a store.

    Args:
        feeds: Feed URLs (or feed files).
        store: Where articles and the feeds' state go.
        analyze: Turns articles into records, e.g. ``Pipeline(model).analyze``.
        fetcher: Fetches feeds and pages.
        published: Reference date for entries that carry none.
        batch_size: Records per store transaction.
        stop: Set it to stop after the entry being handled.
        now: The wall clock, for the ``checked_at`` stamps.
    """

    def __init__(
        self,
        feeds: Sequence[str],
        store: Store,
        analyze: Callable[[Iterable[Article]], Iterable[Record]],
        fetcher: Fetcher,
        *,
        published: str | None = None,
        batch_size: int = 32,
        stop: threading.Event | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.feeds = list(dict.fromkeys(feeds))
        self.store = store
        self.analyze = analyze
        self.fetcher = fetcher
        self.published = published
        self.batch_size = batch_size
        self.stop = stop or threading.Event()
        self.now = now
        # Pipeline.analyze can leave out the one article it fails on (on_failure) instead of failing the poll.
        self._isolates = "on_failure" in inspect.signature(analyze).parameters

    def poll_all(self) -> list[PollResult]:
        """Poll every feed once, in order (stopping early when :attr:`stop` is set)."""
        results = []
        for feed in self.feeds:
            if self.stop.is_set():
                break
            results.append(self.poll(feed))
        return results

    def run(
        self,
        every: float,
        on_result: Callable[[PollResult], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Poll every feed every ``every`` seconds until :attr:`stop` is set.

        A failing feed is polled less often (:func:`next_delay`); errors never end the loop.
        """
        due = dict.fromkeys(self.feeds, clock())
        failures = dict.fromkeys(self.feeds, 0)
        while not self.stop.is_set():
            for feed in sorted(self.feeds, key=due.__getitem__):
                if self.stop.is_set() or due[feed] > clock():
                    continue
                result = self.poll(feed)
                failures[feed] = failures[feed] + 1 if result.status == "failed" else 0
                due[feed] = clock() + next_delay(every, failures[feed])
                if on_result is not None:
                    on_result(result)
            self.stop.wait(max(0.0, min(due.values()) - clock()))

    def poll(self, feed: str) -> PollResult:
        """Poll one feed once; never raises for a feed, network or page problem."""
        try:
            state = self.store.feed_state(feed) or FeedState(url=feed)
        except NewsgraphError as error:  # the store is busy or damaged: report, and try again next time
            return PollResult(feed, "failed", errors=[InputError(feed, str(error))])
        try:
            result, validators = self._poll(feed, state)
        except NewsgraphError as error:
            problem = error if isinstance(error, InputError) else InputError(feed, str(error))
            result, validators = PollResult(feed, "failed", errors=[problem]), None
        except Exception as exc:  # a daemon must outlive a parser's surprise; the error is logged
            error = InputError(feed, f"unexpected {type(exc).__name__}: {exc}")
            result, validators = PollResult(feed, "failed", errors=[error]), None
        stamp = self.now().isoformat(timespec="seconds")
        if result.status == "failed":
            message = str(result.errors[0]) if result.errors else None
            state = replace(state, checked_at=stamp, failures=state.failures + 1, last_error=message)
        else:
            state = replace(state, checked_at=stamp, failures=0, last_error=None)
            if validators is not None:
                state = replace(state, etag=validators[0], last_modified=validators[1])
        try:
            self.store.save_feed_state(state)
        except NewsgraphError as error:
            result.errors.append(InputError(feed, str(error)))
        with contextlib.suppress(NewsgraphError):  # if the store cannot take them, stderr still has them
            self.store.record_errors((e.source, e.stage, e.problem, e.hint) for e in result.errors)
        return result

    def _poll(self, feed: str, state: FeedState) -> tuple[PollResult, tuple[str | None, str | None] | None]:
        if is_url(feed):
            headers = {}
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            response = self.fetcher.fetch(feed, headers=headers, accept=FEED_ACCEPT)
            if response.not_modified:
                return PollResult(feed, "not-modified"), None
            parsed = parse_feed(
                response.body, feed, base_url=response.url, content_type=response.headers.get("content-type")
            )
            validators: tuple[str | None, str | None] | None = (response.etag, response.last_modified)
        else:
            parsed = parse_feed(read_limited(Path(feed), self.fetcher.max_bytes), feed)
            validators = (None, None)
        result = PollResult(feed, "updated")
        seen = self.store.seen_entries(feed, (e.key for e in parsed.entries))
        # Oldest first (feeds list the newest first), so the store fills in publication order.
        fresh = [e for e in reversed(parsed.entries) if e.key not in seen]
        result.new = len(fresh)
        done: list[tuple[str, str | None]] = []
        wanted: list[tuple[str, Article]] = []
        for entry in fresh:
            if self.stop.is_set():
                break
            try:
                article = entry_article(entry, parsed, self.fetcher, self.published)
            except FetchError as error:
                result.errors.append(error)
                if error.transient:
                    result.retry += 1
                else:
                    done.append((entry.key, None))
                continue
            except InputError as error:
                result.errors.append(error)
                done.append((entry.key, None))
                continue
            screened = screen_item(article)  # the same limits as for files: too long, not UTF-8
            if isinstance(screened, InputError):
                result.errors.append(screened)
                done.append((entry.key, None))
                continue
            article = screened
            if self.store.has(article):
                result.duplicates += 1
                done.append((entry.key, article.key))
            else:
                wanted.append((entry.key, article))
        if wanted:
            articles = (article for _, article in wanted)

            def failed(article: Article, reason: str) -> None:
                source = str(article.metadata.get("source") or article.url or article.id)
                problem = f"analysis failed ({reason}); the rest of the feed is stored"
                hint = "please report it, with this entry"
                result.errors.append(InputError(source, problem, hint, stage="analyse"))

            analyze = partial(self.analyze, on_failure=failed) if self._isolates else self.analyze
            saved = ingest_articles(self.store, articles, analyze, batch_size=self.batch_size)
            result.stored = saved.stored
            result.duplicates += saved.duplicates
            done.extend((key, article.key) for key, article in wanted)
        if done:
            self.store.mark_seen(feed, done)
        if self.stop.is_set() or result.retry:
            validators = None  # not everything was handled: next poll must see the whole feed again
        return result, validators
