"""Fetching pages and feeds over HTTP, politely and safely.

:class:`Fetcher` is the one way newsgraph reads the web. It

- names itself (``User-Agent: newsgraph/<version> (+<project url>)``) so site owners can tell who calls;
- waits between two requests to the same host (:class:`HostRateLimiter`);
- gives up on slow servers (a timeout on each network operation and a deadline on the whole download);
- stops reading a body past a size cap instead of downloading it whole, also when it is gzip-compressed;
- retries connection failures, timeouts and HTTP 429/500/502/503/504 a few times, waiting longer each
  time (and as long as ``Retry-After`` asks, within reason);
- follows redirects itself, so every hop goes through the same checks;
- refuses private, loopback, link-local and other non-public addresses unless ``allow_private=True``.
  The host is resolved, **every** address it resolves to is checked, and the connection is then made to
  one of the checked addresses (not resolved again), so a name cannot point elsewhere between the check
  and the connection. A redirect to such an address is refused the same way.

Errors are :class:`FetchError`, an :class:`~newsgraph.errors.InputError` naming the URL; ``transient``
says whether trying again later may help (a timeout, a 503) or not (a 404, a refused address).
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from newsgraph.errors import InputError
from newsgraph.sources.files import human_size

__all__ = [
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

# Seconds for a whole download. At 1 MB/s a 20 MB page takes 20 s; a server that trickles bytes to stay
# under the per-read timeout is cut off here.
DEFAULT_DEADLINE = 60.0

# Retries after the first attempt, and the first wait (doubled after each retry: 1 s, 2 s). Two retries
# cover a restart or a brief overload; a server still failing after ~3 s is down, and `watch` tries it
# again at its next poll anyway.
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0

# Longest Retry-After honoured. A server asking for more is treated as failing now (transient).
MAX_RETRY_AFTER = 60.0

# Seconds between the starts of two requests to one host: one request a second is the rate most
# crawler guidelines (and robots.txt Crawl-delay values seen on news sites) ask for.
DEFAULT_HOST_INTERVAL = 1.0

# Redirect hops followed; browsers stop at 20, but news URLs settle within 2 or 3 (http→https, AMP, a
# tracking hop), and a longer chain is usually a loop.
MAX_REDIRECTS = 5

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024
# Characters left as they are when a request target is percent-encoded: the reserved ones and "%".
_URL_SAFE = "/?&=%:@!$'()*+,;~-._"


class FetchError(InputError):
    """A URL could not be fetched.

    Args:
        source: The URL.
        problem: What went wrong.
        hint: What to do about it.
        transient: True when the same request may well succeed later (timeouts, 5xx, 429).
        status: The HTTP status, when the server answered.
        retry_after: Seconds the server asked to wait (its Retry-After header), when it said.
    """

    def __init__(
        self,
        source: str,
        problem: str,
        hint: str | None = None,
        *,
        transient: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(source, problem, hint)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    """A fetched resource.

    Args:
        url: The final URL, after redirects.
        status: 200, or 304 for a conditional request whose resource has not changed (``body`` empty).
        headers: Response headers, names in lower case.
        body: The body, decompressed when the server sent it gzip- or deflate-encoded.
        requested: The URL asked for.
    """

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    requested: str = ""

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type in lower case without parameters (``text/html``), or ``""``."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, lower case, or None."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def is_url(value: object) -> bool:
    """Return True when ``value`` is a string starting ``http://`` or ``https://``."""
    if not isinstance(value, str):
        return False
    head = value[:8].lower()
    return head.startswith(("http://", "https://"))


def is_public_address(address: str) -> bool:
    """Return True when ``address`` (an IPv4 or IPv6 literal) is a public unicast address.

    Refused: private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1), link-local
    (169.254/16, fe80::/10, where cloud metadata services live), carrier-grade NAT (100.64/10),
    unspecified, reserved, documentation and multicast ranges, and IPv6 forms that embed a refused IPv4
    address (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::/96``, 6to4, Teredo).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def check_url(url: str) -> tuple[str, str, int]:
    """Check that ``url`` is an absolute http(s) URL with a host.

    Returns:
        The scheme, the host and the port.

    Raises:
        FetchError: It is not.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, f"is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(url, f"is not an http(s) URL (scheme {scheme or 'missing'!r})")
    if not parts.hostname:
        raise FetchError(url, "has no host name")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


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
            self._next[key] = start + self.interval
            return start - now


class _Refused(Exception):
    """Raised inside a connection attempt when the host resolves to a refused address."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host = host
        self.address = address


def _connector(allowed: Callable[[str], bool]) -> Callable[..., socket.socket]:
    """Return a replacement for ``socket.create_connection`` that checks every address first."""

    def connect(
        address: tuple[str, int], timeout: Any = None, source_address: Any = None, **_: Any
    ) -> socket.socket:
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for info in infos:
            ip = str(info[4][0])
            if not allowed(ip):
                raise _Refused(host, ip)
        error: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if isinstance(timeout, int | float):
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)  # the checked address itself: no second lookup
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"{host} has no address")

    return connect


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, allowed: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connector(allowed)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, allowed: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connector(allowed)


class Fetcher:
    """Fetches URLs under one set of rules; share one per run so the rate limit spans the whole run.

    Args:
        allow_private: Also fetch from private, loopback and link-local addresses (an intranet, a test
            server on 127.0.0.1). Off by default: a URL in a feed or list must not reach internal services.
        allow_networks: Networks (``"10.20.0.0/16"``, ``"192.168.1.7"``) allowed although not public, for
            when one intranet source is wanted but not the whole private address space.
        max_bytes: Largest body read, after decompression; reading stops once past it.
        timeout: Seconds any one connect or read may take.
        deadline: Seconds a whole download may take.
        retries: Further attempts after a transient failure.
        backoff: Seconds before the first retry, doubled before each further one.
        host_interval: Seconds between two requests to the same host.
        user_agent: The User-Agent header.
        sleep: The function that waits (tests pass one that records instead).
        clock: A monotonic clock, in seconds.
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
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allow_private = allow_private
        self.allow_networks = [ipaddress.ip_network(n, strict=False) for n in allow_networks]
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.deadline = deadline
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.limiter = HostRateLimiter(host_interval)
        self.user_agent = user_agent
        self.sleep = sleep
        self.clock = clock
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

    def fetch(
        self, url: str, *, headers: Mapping[str, str] | None = None, accept: str = ANY_ACCEPT
    ) -> Response:
        """GET ``url``, following redirects, retrying transient failures.

        Args:
            url: An absolute http(s) URL.
            headers: Extra request headers, such as ``If-None-Match`` and ``If-Modified-Since``.
            accept: The Accept header.

        Returns:
            The response: status 200 (or another 2xx), or 304 when ``headers`` made the request
            conditional and the resource has not changed.

        Raises:
            FetchError: The URL is not http(s), its host resolves to a refused address, the server
                failed or refused (4xx/5xx after retries), timed out, or sent more than ``max_bytes``.
        """
        attempt = 0
        while True:
            try:
                return self._follow(url, headers or {}, accept)
            except FetchError as error:
                if not error.transient or attempt >= self.retries:
                    raise
                delay = self.retry_delay(attempt, error.retry_after)
                if delay is None:
                    raise
                attempt += 1
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

    def _follow(self, url: str, headers: Mapping[str, str], accept: str) -> Response:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                status, response_headers, body, location = self._request(current, headers, accept)
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

    def _request(
        self, url: str, headers: Mapping[str, str], accept: str
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Send one GET; return (status, headers, body, redirect location or None)."""
        scheme, host, port = check_url(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        target = quote(target, safe=_URL_SAFE)  # feeds do carry raw non-ASCII links; escapes are kept
        wait = self.limiter.reserve(host, self.clock())
        if wait > 0:
            self.sleep(wait)
        conn: http.client.HTTPConnection
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            conn = _HTTPSConnection(
                host, port, timeout=self.timeout, context=self._tls, allowed=self.address_allowed
            )
        else:
            conn = _HTTPConnection(host, port, timeout=self.timeout, allowed=self.address_allowed)
        request_headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
            **headers,
        }
        started = self.clock()
        response: http.client.HTTPResponse | None = None
        try:
            conn.request("GET", target, headers=request_headers)
            response = conn.getresponse()
            found = {name.lower(): value for name, value in response.getheaders()}
            status = response.status
            if status in _REDIRECTS and found.get("location"):
                return status, found, b"", found["location"]
            if status == 304:
                return status, found, b"", None
            if status >= 300 or status < 200:
                raise self._status_error(url, status, response.reason, found)
            body = self._read_body(url, response, found, started)
            return status, found, body, None
        except _Refused as refused:
            what = _address_kind(refused.address)
            name = refused.host.strip("[]")
            where = f"{name} is" if name == refused.address else f"{name} resolves to {refused.address},"
            raise FetchError(
                url,
                f"refused: {where} {'an' if what[0] in 'aeiou' else 'a'} {what} address",
                "pass --allow-private to fetch from private networks",
            ) from None
        except FetchError:
            raise
        except socket.gaierror as exc:
            transient = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_NODATA", None))
            problem = f"cannot resolve host {host} ({exc.strerror or exc})"
            raise FetchError(url, problem, "check the address", transient=transient) from None
        except ssl.SSLCertVerificationError as exc:
            raise FetchError(url, f"TLS certificate not valid ({exc.verify_message or exc})") from None
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.timeout:g} s", transient=True) from None
        except (http.client.InvalidURL, UnicodeError, ValueError) as exc:
            raise FetchError(url, f"is not a valid URL ({exc})") from None
        except (OSError, http.client.HTTPException) as exc:
            problem = f"connection failed ({type(exc).__name__}: {exc})"
            raise FetchError(url, problem, transient=True) from None
        finally:
            if response is not None:
                response.close()  # a response read to "Connection: close" owns the socket, not conn
            conn.close()

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
        self, url: str, response: http.client.HTTPResponse, headers: dict[str, str], started: float
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
        if inflater is None and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url, int(declared))
        parts: list[bytes] = []
        size = 0
        raw_first = True
        while True:
            chunk = response.read(_CHUNK)
            if not chunk:
                break
            if self.clock() - started > self.deadline:
                raise FetchError(url, f"took longer than {self.deadline:g} s to download", transient=True)
            if inflater is not None:
                try:
                    chunk = inflater.decompress(chunk, self.max_bytes + 1 - size)
                except zlib.error:
                    if not (raw_first and encoding == "deflate"):
                        raise FetchError(url, f"{encoding} body is corrupt") from None
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    chunk = inflater.decompress(chunk, self.max_bytes + 1 - size)
                raw_first = False
            size += len(chunk)
            if size > self.max_bytes or (inflater is not None and inflater.unconsumed_tail):
                raise self._too_big(url, None)
            parts.append(chunk)
        return b"".join(parts)

    def _too_big(self, url: str, declared: int | None) -> FetchError:
        limit = human_size(self.max_bytes)
        if declared is not None:
            problem = f"is {human_size(declared)}, over the {limit} limit; not downloaded"
        else:
            problem = f"is over the {limit} limit; stopped reading after {limit}"
        return FetchError(url, problem, "raise --max-bytes if it really is one article")


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


def _address_kind(address: str) -> str:
    """Name the kind of a refused address, for the error message."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "private" if ip.is_private else "non-public"
