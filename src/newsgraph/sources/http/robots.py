"""robots.txt, read once per site and remembered, as RFC 9309 asks of a crawler.

- A site's ``/robots.txt`` is fetched before its first page and kept for a day.
- A 2xx answer is parsed; the rules for ``newsgraph`` apply (or those for ``*``).
- A 4xx answer (no robots.txt, or it is forbidden) means no rules: everything may be fetched.
- A 5xx answer or a network failure means the site could not say: RFC 9309 asks crawlers to assume
  everything is disallowed then, so pages are not fetched, and the error says why. Such a result is
  remembered for a few minutes only, and it is transient (``watch`` tries again at its next poll).
- ``Crawl-delay`` lengthens the wait between two requests to the site, up to :data:`MAX_CRAWL_DELAY`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

__all__ = ["MAX_CRAWL_DELAY", "ROBOTS_MAX_BYTES", "RobotsCache", "RobotsRules"]

# RFC 9309 lets a crawler stop parsing after 500 KiB; Google does the same.
ROBOTS_MAX_BYTES = 500 * 1024

# Seconds robots.txt is trusted. RFC 9309: "crawlers SHOULD NOT use the cached version for more than
# 24 hours, unless the robots.txt is unreachable".
ROBOTS_TTL = 24 * 3600.0

# Seconds a failure to read robots.txt is remembered before trying again, so a batch of URLs on a
# down site does not ask for its robots.txt before every one of them.
FAILURE_TTL = 300.0

# Longest Crawl-delay obeyed, in seconds. Some sites ask for 60 s or more; more than this would make
# a news feed's morning batch take hours, so the site is fetched at this pace instead.
MAX_CRAWL_DELAY = 30.0

# Sites remembered at once; the oldest is forgotten past this.
MAX_SITES = 1024


@dataclass(frozen=True)
class RobotsRules:
    """What a site's robots.txt says for one user agent.

    Args:
        parser: The parsed file, or None when every path may be fetched.
        problem: Why nothing may be fetched for now (robots.txt could not be read), or None.
        crawl_delay: Seconds the site asks between two requests, or None.
    """

    parser: RobotFileParser | None = None
    problem: str | None = None
    crawl_delay: float | None = None

    def allows(self, url: str, agent: str) -> bool:
        """Return True when ``url`` may be fetched by ``agent`` under these rules."""
        if self.problem is not None:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)


def parse_robots(body: bytes, agent: str) -> RobotsRules:
    """Parse a robots.txt body (UTF-8; undecodable bytes replaced) for ``agent``."""
    parser = RobotFileParser()
    parser.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace").splitlines())
    delay = parser.crawl_delay(agent)
    return RobotsRules(parser=parser, crawl_delay=float(delay) if delay is not None else None)


class RobotsCache:
    """Rules per site (scheme, host, port), fetched on first use and kept for :data:`ROBOTS_TTL`.

    Args:
        load: Fetches a site's rules: given the site's origin (``https://host:port``), returns them.
        clock: A monotonic clock.
    """

    def __init__(self, load: Callable[[str], RobotsRules], clock: Callable[[], float]) -> None:
        self._load = load
        self._clock = clock
        self._sites: OrderedDict[str, tuple[float, RobotsRules]] = OrderedDict()
        self._lock = threading.Lock()

    def rules(self, origin: str) -> RobotsRules:
        """The rules of the site at ``origin``, fetched when not known or too old."""
        now = self._clock()
        with self._lock:
            known = self._sites.get(origin)
            if known is not None and known[0] > now:
                self._sites.move_to_end(origin)
                return known[1]
        rules = self._load(origin)
        ttl = FAILURE_TTL if rules.problem is not None else ROBOTS_TTL
        with self._lock:
            self._sites[origin] = (self._clock() + ttl, rules)
            self._sites.move_to_end(origin)
            while len(self._sites) > MAX_SITES:
                self._sites.popitem(last=False)
        return rules
