"""Fetching pages and feeds over HTTP, politely and safely.

:class:`Fetcher` is the one way newsgraph reads the web. Built on urllib3, it

- names itself (``User-Agent: newsgraph/<version> (+<project url>)``) so site owners can tell who calls;
- reads each site's ``robots.txt`` first and does not fetch what it disallows (:mod:`.robots`);
- waits between two requests to the same host (:class:`HostRateLimiter`), longer when robots.txt asks;
- keeps connections to a site open and reuses them (one urllib3 connection pool per site);
- gives up on a URL after a **total deadline** (30 s by default) covering robots.txt, every connect,
  the headers and the body, redirects, retries and the waits between them: a server that sends a
  byte every few seconds is cut off, not waited on for minutes;
- stops reading a body past a size cap instead of downloading it whole, also when it is gzip-compressed;
- retries connection failures, timeouts and HTTP 429/500/502/503/504 a few times (urllib3's
  :class:`~urllib3.util.Retry` counts them), waiting longer each time and as long as ``Retry-After``
  asks, within reason;
- follows redirects itself, so every hop goes through the same checks;
- refuses private, loopback, link-local and other non-public addresses unless ``allow_private=True``
  (:mod:`.addresses`): every address a host resolves to is checked where the connection is opened,
  also for redirects.

Errors are :class:`FetchError`, an :class:`~newsgraph.errors.InputError` naming the URL; ``transient``
says whether trying again later may help (a timeout, a 503) or not (a 404, a refused address).
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import ssl
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationValueError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Retry, Timeout

from newsgraph.errors import InputError
from newsgraph.sources.files import human_size
from newsgraph.sources.http.addresses import (
    Deadline,
    GuardedHTTPConnection,
    GuardedHTTPSConnection,
    Refused,
    address_kind,
    is_public_address,
)
from newsgraph.sources.http.ratelimit import DEFAULT_HOST_INTERVAL, HostRateLimiter
from newsgraph.sources.http.response import FetchError, Response, check_url, is_url
from newsgraph.sources.http.robots import (
    MAX_CRAWL_DELAY,
    ROBOTS_MAX_BYTES,
    RobotsCache,
    RobotsRules,
    parse_robots,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "FEED_ACCEPT",
    "HTML_ACCEPT",
    "USER_AGENT",
    "FetchError",
    "Fetcher",
    "HostRateLimiter",
    "Response",
    "check_url",
    "is_public_address",
    "is_url",
]


def _version() -> str:
    try:
        return version("newsgraph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


PROJECT_URL = "https://pypi.org/project/newsgraph/"
USER_AGENT = f"newsgraph/{_version()} (+{PROJECT_URL})"
# The name robots.txt rules are matched against (RFC 9309: the product token of the User-Agent).
ROBOTS_AGENT = "newsgraph"

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
ANY_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)

# Same as sources.DEFAULT_MAX_BYTES (20 MB): far above any real news page or feed.
DEFAULT_MAX_BYTES = 20_000_000

# Seconds a single connect or read may block. News sites answer in well under a second; 20 s rides out a
# slow CDN edge without letting one dead host hold a batch for minutes.
DEFAULT_TIMEOUT = 20.0

# Seconds for everything one URL takes: robots.txt, connects, headers, body, redirects, retries and the
# waits between them. A news page arrives in a second or two; 30 s also lets a 20 MB page through at
# 1 MB/s. A server that trickles bytes to stay under the per-read timeout is cut off here.
DEFAULT_DEADLINE = 30.0

# Retries after the first attempt, and the first wait (doubled after each retry: 1 s, 2 s). Two retries
# cover a restart or a brief overload; a server still failing after ~3 s is down, and `watch` tries it
# again at its next poll anyway.
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0

# Longest Retry-After honoured. A server asking for more is treated as failing now (transient).
MAX_RETRY_AFTER = 60.0

# Redirect hops followed; browsers stop at 20, but news URLs settle within 2 or 3 (http→https, AMP, a
# tracking hop), and a longer chain is usually a loop.
MAX_REDIRECTS = 5

# Connection pools kept (one per scheme, host and port), and connections kept open in each. A batch
# reads one site after another, and `watch` a few dozen feeds: 64 sites cover a poll.
MAX_POOLS = 64
POOL_CONNECTIONS = 4

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024
# Characters left as they are when a request target is percent-encoded: the reserved ones and "%".
_URL_SAFE = "/?&=%:@!$'()*+,;~-._"


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class Fetcher:
    """Fetches URLs under one set of rules; share one per run so the rate limit spans the whole run.

    Args:
        allow_private: Also fetch from private, loopback and link-local addresses (an intranet, a test
            server on 127.0.0.1). Off by default: a URL in a feed or list must not reach internal services.
        allow_networks: Networks (``"10.20.0.0/16"``, ``"192.168.1.7"``) allowed although not public, for
            when one intranet source is wanted but not the whole private address space.
        max_bytes: Largest body read, after decompression; reading stops once past it.
        timeout: Seconds any one connect or read may take.
        deadline: Seconds everything for one URL may take, all in (see the module notes).
        retries: Further attempts after a transient failure.
        backoff: Seconds before the first retry, doubled before each further one.
        host_interval: Seconds between two requests to the same host.
        respect_robots: Read each site's robots.txt and leave alone what it disallows.
        user_agent: The User-Agent header.
        sleep: The function that waits (tests pass one that records instead).
        clock: A monotonic clock, in seconds, for the rate limit and the robots.txt cache.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_networks: Iterable[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        host_interval: float = DEFAULT_HOST_INTERVAL,
        respect_robots: bool = True,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if deadline <= 0:
            raise InputError("--deadline", f"must be a positive number of seconds, not {deadline:g}")
        self.allow_private = allow_private
        self.allow_networks = [ipaddress.ip_network(n, strict=False) for n in allow_networks]
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.deadline = deadline
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.limiter = HostRateLimiter(host_interval)
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self.sleep = sleep
        self.clock = clock
        self.robots = RobotsCache(self._load_robots, clock)
        self._pools: OrderedDict[tuple[str, str, int], urllib3.HTTPConnectionPool] = OrderedDict()
        self._pools_lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None  # made on the first https request: loading CAs takes ~0.2 s

    def address_allowed(self, address: str) -> bool:
        """Return True when this fetcher may connect to ``address`` (an IP literal)."""
        if self.allow_private or is_public_address(address):
            return True
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        return any(ip in network for network in self.allow_networks)

    def close(self) -> None:
        """Close the connections kept open."""
        with self._pools_lock:
            pools = list(self._pools.values())
            self._pools.clear()
        for pool in pools:
            pool.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self, url: str, *, headers: Mapping[str, str] | None = None, accept: str = ANY_ACCEPT
    ) -> Response:
        """GET ``url``, following redirects, retrying transient failures, within the deadline.

        Args:
            url: An absolute http(s) URL.
            headers: Extra request headers, such as ``If-None-Match`` and ``If-Modified-Since``.
            accept: The Accept header.

        Returns:
            The response: status 200 (or another 2xx), or 304 when ``headers`` made the request
            conditional and the resource has not changed.

        Raises:
            FetchError: The URL is not http(s), its host resolves to a refused address, robots.txt
                disallows it, the server failed or refused (4xx/5xx after retries), timed out, took
                longer than the deadline, or sent more than ``max_bytes``.
        """
        check_url(url)
        # urllib3's Retry counts the attempts; the waits are retry_delay's (it waits before the first
        # retry too, where urllib3 would retry at once), slept through self.sleep within the deadline.
        retry = Retry(
            total=self.retries, redirect=False, status_forcelist=_RETRY_STATUSES, raise_on_status=False
        )
        with Deadline(self.deadline, time.monotonic) as deadline:
            while True:
                try:
                    return self._follow(url, headers or {}, accept, deadline)
                except FetchError as error:
                    if not error.transient or deadline.expired:
                        raise
                    try:
                        retry = retry.increment("GET", url, error=error)  # type: ignore[arg-type]
                    except MaxRetryError:
                        raise error from None
                    delay = self.retry_delay(len(retry.history) - 1, error.retry_after)
                    if delay is None:
                        raise
                    if delay >= deadline.left():
                        raise FetchError(
                            url,
                            f"{error.problem}; not retried: the {self.deadline:g} s deadline would pass",
                            error.hint,
                            transient=True,
                            status=error.status,
                        ) from None
                    self.sleep(delay)

    def retry_delay(self, attempt: int, retry_after: float | None = None) -> float | None:
        """Return the seconds to wait before retry number ``attempt + 1``, or None to give up.

        The wait doubles with each retry from :attr:`backoff`; a server's Retry-After is honoured when it
        asks for longer, up to :data:`MAX_RETRY_AFTER` (beyond it, None: the server is not coming back soon).
        """
        delay = self.backoff * (2**attempt)
        if retry_after is not None:
            if retry_after > MAX_RETRY_AFTER:
                return None
            delay = max(delay, retry_after)
        return delay

    def _follow(
        self,
        url: str,
        headers: Mapping[str, str],
        accept: str,
        deadline: Deadline,
        *,
        robots: bool = True,
        max_bytes: int | None = None,
    ) -> Response:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                if robots and self.respect_robots:
                    self._check_robots(current)
                status, response_headers, body, location = self._request(
                    current, headers, accept, deadline, max_bytes or self.max_bytes
                )
            except FetchError as error:
                if current == url:
                    raise
                raise FetchError(
                    url,
                    f"redirected to {current}: {error.problem}",
                    error.hint,
                    transient=error.transient,
                    status=error.status,
                    retry_after=error.retry_after,
                ) from None
            if location is None:
                return Response(current, status, response_headers, body, requested=url)
            target = urljoin(current, location)
            try:
                check_url(target)
            except FetchError as error:
                raise FetchError(url, f"redirects to {target}, which {error.problem}") from None
            current = target
        raise FetchError(
            url, f"redirects more than {MAX_REDIRECTS} times", "open it in a browser to see where"
        )

    # --- robots.txt ---------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        scheme, host, port = check_url(url)
        origin = f"{scheme}://{_netloc(host, port, scheme)}"
        try:
            rules = self.robots.rules(origin)
        except FetchError as error:  # refused: the page itself would be, for the same reason
            raise FetchError(url, error.problem, error.hint) from None
        if rules.problem is not None:
            raise FetchError(
                url,
                f"not fetched: {origin}/robots.txt could not be read ({rules.problem})",
                "a site that cannot say what may be fetched is left alone for now (RFC 9309)",
                transient=True,
            )
        if not rules.allows(url, ROBOTS_AGENT):
            raise FetchError(url, "not fetched: the site's robots.txt disallows it for newsgraph")
        if rules.crawl_delay is not None:
            self.limiter.set_interval(host, min(rules.crawl_delay, MAX_CRAWL_DELAY))

    def _load_robots(self, origin: str) -> RobotsRules:
        deadline = Deadline.current()
        assert deadline is not None, "robots.txt is read inside a fetch"
        try:
            response = self._follow(
                f"{origin}/robots.txt",
                {},
                "text/plain,*/*;q=0.5",
                deadline,
                robots=False,
                max_bytes=ROBOTS_MAX_BYTES * 4,
            )
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500:
                return RobotsRules()  # no robots.txt: no rules
            if "refused:" in error.problem:
                raise  # the page would be refused the same way; say so plainly
            return RobotsRules(problem=error.problem)
        return parse_robots(response.body, ROBOTS_AGENT)

    # --- one request --------------------------------------------------------------------------------

    def _pool(self, scheme: str, host: str, port: int) -> urllib3.HTTPConnectionPool:
        key = (scheme, host.lower(), port)
        with self._pools_lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
                return pool
            if scheme == "https":
                if self._tls is None:
                    self._tls = ssl.create_default_context()
                pool = _HTTPSPool(
                    host, port, maxsize=POOL_CONNECTIONS, ssl_context=self._tls, allowed=self.address_allowed
                )
            else:
                pool = _HTTPPool(host, port, maxsize=POOL_CONNECTIONS, allowed=self.address_allowed)
            self._pools[key] = pool
            while len(self._pools) > MAX_POOLS:
                _key, old = self._pools.popitem(last=False)
                old.close()
            return pool

    def _request(
        self, url: str, headers: Mapping[str, str], accept: str, deadline: Deadline, max_bytes: int
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Send one GET; return (status, headers, body, redirect location or None)."""
        scheme, host, port = check_url(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        target = quote(target, safe=_URL_SAFE)  # feeds do carry raw non-ASCII links; escapes are kept
        wait = self.limiter.reserve(host, self.clock())
        if wait > 0:
            self.sleep(min(wait, deadline.left()))
        if deadline.left() <= 0:
            raise self._deadline_error(url)
        request_headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            **headers,
        }
        seconds = max(0.001, min(self.timeout, deadline.left()))
        response: urllib3.BaseHTTPResponse | None = None
        try:
            response = self._pool(scheme, host, port).urlopen(
                "GET",
                target,
                headers=request_headers,
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=Timeout(connect=seconds, read=seconds),
                preload_content=False,
                decode_content=False,
                release_conn=False,
            )
            found = {name.lower(): value for name, value in response.headers.items()}
            status, reason = response.status, response.reason or ""
            if (status in _REDIRECTS and found.get("location")) or status == 304 or not 200 <= status < 300:
                _let_go(response, found)  # a short body is read off so the connection can be reused
                response = None
            if status in _REDIRECTS and found.get("location"):
                return status, found, b"", found["location"]
            if status == 304:
                return status, found, b"", None
            if status >= 300 or status < 200:
                raise self._status_error(url, status, reason, found)
            body = self._read_body(url, response, found, deadline, max_bytes)
            if deadline.expired:
                raise self._deadline_error(url)
            response.release_conn()  # read to the end: the connection can serve the next request
            response = None
            return status, found, body, None
        except Refused as refused:
            what = address_kind(refused.address)
            name = refused.host.strip("[]")
            where = f"{name} is" if name == refused.address else f"{name} resolves to {refused.address},"
            raise FetchError(
                url,
                f"refused: {where} {'an' if what[0] in 'aeiou' else 'a'} {what} address",
                "pass --allow-private to fetch from private networks",
            ) from None
        except FetchError:
            raise
        except Exception as exc:
            if deadline.expired:
                raise self._deadline_error(url) from None
            raise self._network_error(url, host, exc) from None
        finally:
            if response is not None:
                response.close()  # not read to the end: this connection is done
                response.release_conn()

    def _deadline_error(self, url: str) -> FetchError:
        return FetchError(
            url,
            f"gave up after {self.deadline:g} s (the deadline for connecting and downloading it all)",
            "the server is too slow; it is tried again at the next run",
            transient=True,
        )

    def _network_error(self, url: str, host: str, exc: Exception) -> FetchError:
        if isinstance(exc, NameResolutionError):
            cause = exc.__cause__
            errno = getattr(cause, "errno", None)
            transient = errno in (-3, -5)  # EAI_AGAIN, EAI_NODATA: the resolver may answer later
            detail = getattr(cause, "strerror", None) or cause or exc
            problem = f"cannot resolve host {host} ({detail})"
            return FetchError(url, problem, "check the address", transient=transient)
        if isinstance(exc, SSLError):
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, ssl.SSLCertVerificationError):
                return FetchError(url, f"TLS certificate not valid ({cause.verify_message or cause})")
            return FetchError(url, f"TLS handshake failed ({cause})", transient=True)
        if isinstance(exc, ConnectTimeoutError) and not isinstance(exc, NewConnectionError):
            return FetchError(url, f"timed out connecting after {self.timeout:g} s", transient=True)
        if isinstance(exc, ReadTimeoutError | TimeoutError):
            return FetchError(url, f"timed out after {self.timeout:g} s", transient=True)
        if isinstance(exc, LocationValueError | http.client.InvalidURL | UnicodeError | ValueError):
            return FetchError(url, f"is not a valid URL ({exc})")
        if isinstance(exc, HTTPError | OSError | http.client.HTTPException):
            reason = exc.__context__ if isinstance(exc, HTTPError) and exc.__context__ else exc
            problem = f"connection failed ({type(reason).__name__}: {reason})"
            return FetchError(url, problem, transient=True)
        raise exc

    def _status_error(self, url: str, status: int, reason: str, headers: dict[str, str]) -> FetchError:
        transient = status in _RETRY_STATUSES
        hint = "the server may be down or overloaded; try again later" if transient else None
        if 300 <= status < 400:
            hint = "a redirect without a Location header"
        return FetchError(
            url,
            f"HTTP {status} {reason}".rstrip(),
            hint,
            transient=transient,
            status=status,
            retry_after=_retry_after(headers.get("retry-after")),
        )

    def _read_body(
        self,
        url: str,
        response: urllib3.BaseHTTPResponse,
        headers: dict[str, str],
        deadline: Deadline,
        max_bytes: int,
    ) -> bytes:
        """Read the body up to ``max_bytes`` (decompressed), stopping early when it is over."""
        encoding = headers.get("content-encoding", "identity").strip().lower()
        inflater = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            # wbits 32 + MAX_WBITS reads gzip or zlib; raw deflate (sent by some old servers) needs -MAX_WBITS
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif encoding not in ("identity", ""):
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")
        declared = headers.get("content-length", "")
        if inflater is None and declared.isdigit() and int(declared) > max_bytes:
            raise self._too_big(url, int(declared), max_bytes)
        parts: list[bytes] = []
        size = 0
        raw_first = True
        while True:
            chunk = response.read1(_CHUNK)  # what has arrived, without waiting for a full chunk
            if not chunk:
                break
            if deadline.expired:
                raise self._deadline_error(url)
            if inflater is not None:
                try:
                    chunk = inflater.decompress(chunk, max_bytes + 1 - size)
                except zlib.error:
                    if not (raw_first and encoding == "deflate"):
                        raise FetchError(url, f"{encoding} body is corrupt") from None
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    chunk = inflater.decompress(chunk, max_bytes + 1 - size)
                raw_first = False
            size += len(chunk)
            if size > max_bytes or (inflater is not None and inflater.unconsumed_tail):
                raise self._too_big(url, None, max_bytes)
            parts.append(chunk)
        return b"".join(parts)

    def _too_big(self, url: str, declared: int | None, max_bytes: int) -> FetchError:
        limit = human_size(max_bytes)
        if declared is not None:
            problem = f"is {human_size(declared)}, over the {limit} limit; not downloaded"
        else:
            problem = f"is over the {limit} limit; stopped reading after {limit}"
        return FetchError(url, problem, "pass a larger --max-bytes if it really is one article")


# Largest body of a redirect or an error page read off to keep its connection; a longer one closes it.
_DRAIN_LIMIT = 64 * 1024


def _let_go(response: urllib3.BaseHTTPResponse, headers: dict[str, str]) -> None:
    """Give back the connection of a response whose body is not wanted: reused when it is short."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= _DRAIN_LIMIT:
        response.drain_conn()
    else:
        response.close()
    response.release_conn()


def _netloc(host: str, port: int, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"


def _retry_after(value: str | None) -> float | None:
    """Parse Retry-After (seconds, or an HTTP date) into seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
