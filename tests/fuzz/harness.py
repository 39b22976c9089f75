"""The fuzzing campaign's harness: how many inputs, the hang alarm, and the figures per target.

Its fixture and summary hook are registered by ``tests/conftest.py`` (a second ``conftest`` module here
would shadow that one for the tests that import from it).

Every target feeds generated inputs to one reader or filter through :func:`FuzzTally.call`, which

- runs the call under an alarm of :data:`HANG_SECONDS` (a call still running then is a hang, and fails);
- counts what came back: a result, or a named error (a NewsgraphError raised or yielded); anything
  else raised is an uncaught exception and fails the test with that input;
- keeps the slowest call.

``make test`` runs each target on a few dozen inputs (``NEWSGRAPH_FUZZ_EXAMPLES``, default 25, fixed
seed); ``make fuzz`` on many more (see the Makefile: over 10,000 in all), random seed. The figures are
printed at the end, and written as JSON to ``NEWSGRAPH_FUZZ_REPORT`` when it names a file.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from newsgraph.errors import NewsgraphError

EXAMPLES = int(os.environ.get("NEWSGRAPH_FUZZ_EXAMPLES", "25"))
LONG = EXAMPLES > 100

# Seconds one call may take before it counts as a hang. The slowest reader call seen on the campaign
# (a feed of dozens of entries, each refused) takes well under a second on the 2-core CI machine.
HANG_SECONDS = float(os.environ.get("NEWSGRAPH_FUZZ_HANG_SECONDS", "20"))

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the alarm below says what a hang is; hypothesis' deadline would flag slow machines
    derandomize=not LONG,  # make test: the same inputs every run; make fuzz: new ones
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)


class Hang(Exception):
    """A call ran past :data:`HANG_SECONDS`."""


@dataclass
class Figures:
    inputs: int = 0  # calls made: a file, a page, a feed, a filter value
    articles: int = 0  # articles (or rows) they gave
    named_errors: int = 0  # named errors they raised or yielded
    uncaught: int = 0
    hangs: int = 0
    slowest: float = 0.0


class FuzzTally:
    """Counts per target across the session."""

    def __init__(self) -> None:
        self.targets: dict[str, Figures] = {}

    def call(self, target: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` for ``target``; count it; re-raise an uncaught exception or a hang."""
        figures = self.targets.setdefault(target, Figures())
        figures.inputs += 1

        def alarm(signum: int, frame: Any) -> None:
            raise Hang(f"{target}: still running after {HANG_SECONDS:g} s")

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        started = time.perf_counter()
        try:
            result = fn()
        except Hang:
            figures.hangs += 1
            raise
        except NewsgraphError:
            figures.named_errors += 1
            return None
        except BaseException:
            figures.uncaught += 1
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            figures.slowest = max(figures.slowest, time.perf_counter() - started)
        items = result if isinstance(result, list) else [result]
        errors = sum(isinstance(item, NewsgraphError) for item in items)
        figures.named_errors += errors
        figures.articles += len(items) - errors
        return result


TALLY = FuzzTally()


def summarise(terminalreporter: Any) -> None:
    """Print the figures per target at the end of a run that fuzzed (and write them where asked)."""
    if not TALLY.targets:
        return
    write = terminalreporter.write_line
    write("")
    write(f"fuzzing: {EXAMPLES} examples a target; a hang is a call over {HANG_SECONDS:g} s")
    write(f"{'target':<22}{'inputs':>8}{'results':>9}{'named':>8}{'uncaught':>10}{'hangs':>7}{'slowest':>10}")
    write("(results: articles read or rows returned; named: named errors raised or yielded)")
    total = Figures()
    for name, f in sorted(TALLY.targets.items()):
        write(
            f"{name:<22}{f.inputs:>8}{f.articles:>9}{f.named_errors:>8}{f.uncaught:>10}{f.hangs:>7}"
            f"{f.slowest:>9.2f}s"
        )
        total.inputs += f.inputs
        total.articles += f.articles
        total.named_errors += f.named_errors
        total.uncaught += f.uncaught
        total.hangs += f.hangs
        total.slowest = max(total.slowest, f.slowest)
    write(
        f"{'all':<22}{total.inputs:>8}{total.articles:>9}{total.named_errors:>8}{total.uncaught:>10}"
        f"{total.hangs:>7}{total.slowest:>9.2f}s"
    )
    report = os.environ.get("NEWSGRAPH_FUZZ_REPORT")
    if report:
        Path(report).write_text(
            json.dumps({name: vars(f) for name, f in sorted(TALLY.targets.items())}, indent=2) + "\n"
        )
