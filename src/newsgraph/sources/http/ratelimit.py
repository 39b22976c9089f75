"""Spacing the requests to one host."""

from __future__ import annotations

import threading

__all__ = ["DEFAULT_HOST_INTERVAL", "HostRateLimiter"]

# Seconds between the starts of two requests to one host: one request a second is the rate most
# crawler guidelines (and robots.txt Crawl-delay values seen on news sites) ask for.
DEFAULT_HOST_INTERVAL = 1.0


class HostRateLimiter:
    """Spaces requests to one host at least ``interval`` seconds apart; other hosts are not held up.

    The limiter only decides; the caller sleeps. :meth:`reserve` books the next free slot for a host and
    says how long to wait for it, so callers on several threads queue up in order.

    Args:
        interval: Seconds between the starts of two requests to the same host; 0 turns it off.
    """

    # Hosts remembered at most; past this, hosts whose slot has passed are forgotten (they no longer
    # constrain anything), which keeps a long crawl over many sites at constant memory.
    _PRUNE_AT = 4096

    def __init__(self, interval: float = DEFAULT_HOST_INTERVAL) -> None:
        self.interval = max(0.0, interval)
        self._next: dict[str, float] = {}
        self._intervals: dict[str, float] = {}  # hosts that asked for longer (robots.txt Crawl-delay)
        self._lock = threading.Lock()

    def reserve(self, host: str, now: float) -> float:
        """Book the next request to ``host`` and return how many seconds to wait before sending it.

        Args:
            host: The host name (compared case-insensitively).
            now: The current time on the caller's monotonic clock.
        """
        key = host.lower()
        with self._lock:
            if len(self._next) >= self._PRUNE_AT:
                self._next = {h: t for h, t in self._next.items() if t > now}
            start = max(now, self._next.get(key, now))
            self._next[key] = start + max(self.interval, self._intervals.get(key, 0.0))
            return start - now

    def set_interval(self, host: str, interval: float) -> None:
        """Space requests to ``host`` at least ``interval`` seconds apart (longer than the default only)."""
        with self._lock:
            if len(self._intervals) >= self._PRUNE_AT:
                self._intervals.clear()
            self._intervals[host.lower()] = max(0.0, interval)
