"""Which addresses the fetcher may connect to, and connections that check before they connect.

A URL in a feed or a list must not reach services on the machine or its network, so the fetcher refuses
private, loopback, link-local and other non-public addresses unless told otherwise. The check is made
where the connection is opened: the host is resolved, **every** address it resolves to is checked, and
the socket is then connected to one of the checked addresses (not resolved again), so a name cannot point
elsewhere between the check and the connection. Redirects open their connections the same way.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

__all__ = ["Deadline", "GuardedHTTPConnection", "GuardedHTTPSConnection", "Refused", "is_public_address"]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


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


def address_kind(address: str) -> str:
    """Name the kind of a refused address, for an error message ("loopback", "private", ...)."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "private" if ip.is_private else "non-public"


class Refused(Exception):
    """Raised where a connection would be opened, when the host resolves to a refused address."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host = host
        self.address = address


class Deadline:
    """The time left for one fetch, enforced on every connection it uses.

    Socket timeouts bound each connect or read, but a server that sends a byte every few seconds never
    trips them. So when the deadline passes, a timer shuts the sockets of the connections the fetch
    is using: a read blocked in any of them returns at once, and the fetcher reports the deadline.

    Args:
        seconds: Seconds from now.
        clock: A monotonic clock.
    """

    _local = threading.local()

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self.ends = clock() + seconds
        self.expired = False
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def left(self) -> float:
        """Seconds left (0 once passed)."""
        return max(0.0, self.ends - self.clock())

    def __enter__(self) -> Deadline:
        self._previous = getattr(Deadline._local, "current", None)
        Deadline._local.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
            self._connections.clear()
        self._timer.cancel()
        Deadline._local.current = self._previous

    @classmethod
    def current(cls) -> Deadline | None:
        """The deadline of the fetch running on this thread, if any."""
        return getattr(cls._local, "current", None)

    def watch(self, connection: HTTPConnection) -> None:
        """Shut ``connection`` down if the deadline passes while the fetch still runs."""
        with self._lock:
            if not self._done:
                self._connections.append(connection)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for connection in self._connections:
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    # The plain socket's shutdown, also for a TLS socket: it only wakes the reader.
                    with contextlib.suppress(OSError):
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _open_checked(
    host: str,
    port: int,
    timeout: Any,
    allowed: Callable[[str], bool],
    source_address: Any,
    owner: HTTPConnection,
) -> socket.socket:
    """Resolve ``host``, check every address, connect to a checked one."""
    deadline = Deadline.current()
    if isinstance(timeout, int | float) and deadline is not None:
        timeout = min(float(timeout), deadline.left())
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NameResolutionError(host, owner, exc) from exc
    for info in infos:
        ip = str(info[4][0])
        if not allowed(ip):
            raise Refused(host, ip)
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, int | float):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.connect(sockaddr)  # the checked address itself: no second lookup
        except TimeoutError as exc:
            sock.close()
            raise ConnectTimeoutError(owner, f"connecting to {host} timed out") from exc
        except OSError as exc:
            error = exc
            sock.close()
            continue
        if deadline is not None and deadline.expired:
            sock.close()
            raise ConnectTimeoutError(owner, f"connecting to {host} took past the deadline")
        return sock
    raise NewConnectionError(owner, f"Failed to establish a new connection: {error or 'no address'}")


class GuardedHTTPConnection(HTTPConnection):
    """An HTTP connection that checks the addresses it connects to and answers to the fetch's deadline.

    Args:
        allowed: Says whether an IP literal may be connected to.
    """

    def __init__(self, *args: Any, allowed: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._allowed = allowed

    def _new_conn(self) -> socket.socket:
        return _open_checked(
            self._dns_host, self.port, self.timeout, self._allowed, self.source_address, self
        )

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        deadline = Deadline.current()
        if deadline is not None:
            deadline.watch(self)
        super().request(*args, **kwargs)


class GuardedHTTPSConnection(HTTPSConnection):
    """The TLS form of :class:`GuardedHTTPConnection`."""

    def __init__(self, *args: Any, allowed: Callable[[str], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._allowed = allowed

    def _new_conn(self) -> socket.socket:
        return _open_checked(
            self._dns_host, self.port, self.timeout, self._allowed, self.source_address, self
        )

    def connect(self) -> None:
        deadline = Deadline.current()
        if deadline is not None:
            deadline.watch(self)  # the TLS handshake can be dripped too
        super().connect()

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        deadline = Deadline.current()
        if deadline is not None:
            deadline.watch(self)
        super().request(*args, **kwargs)
