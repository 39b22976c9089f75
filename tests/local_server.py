"""A small HTTP server on 127.0.0.1 for the fetcher, feed and watch tests: real sockets, canned answers.

Routes map a path to a list of :class:`Reply` objects, served in turn (the last one repeats), or to a
function of the request. Every request is recorded with its headers, so tests can check what the client
sent (User-Agent, If-None-Match). ``{base}`` in a body is replaced by the server's own base URL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Reply:
    """One canned answer. ``body`` may be bytes or an iterable of chunks (streamed, no Content-Length)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    client_port: int = 0  # the client's end of the connection: equal for requests on one connection


class LocalServer:
    """A threaded HTTP server; use as a context manager."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        self.keep_alive = keep_alive  # keep connections open after a reply with a Content-Length
        self.routes: dict[str, list[Reply] | Callable[[Request], Reply]] = {}
        self.requests: list[Request] = []
        self.sent: dict[str, int] = {}
        self.finished = 0  # requests fully handled (the reply written, or the client gone)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = Request(self.path, headers, self.client_address[1])
                with server._lock:
                    server.requests.append(request)
                reply = server._reply(request)
                body = reply.body
                if isinstance(body, bytes):
                    body = body.replace(b"{base}", server.base.encode())
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(body, bytes):
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(body)))
                    if not server.keep_alive:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    self._write(body)
                    if server.keep_alive:
                        with server._lock:
                            server.finished += 1
                        return
                else:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in body:
                        if not self._write(chunk):
                            break
                self.close_connection = True
                with server._lock:
                    server.finished += 1

            def _write(self, data: bytes) -> bool:
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return False
                with server._lock:
                    server.sent[self.path] = server.sent.get(self.path, 0) + len(data)
                return True

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply | Callable[[Request], Reply]) -> None:
        if len(replies) == 1 and callable(replies[0]):
            self.routes[path] = replies[0]
        else:
            self.routes[path] = list(replies)  # type: ignore[arg-type]

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        if callable(route):
            return route(request)
        with self._lock:
            return route.pop(0) if len(route) > 1 else route[0]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def stream(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """Yield ``total`` bytes of HTML-looking filler in chunks, generated as they are sent."""
    piece = (b"<p>" + b"filler " * (chunk // 7))[:chunk]
    sent = 0
    while sent < total:
        part = piece[: min(chunk, total - sent)]
        sent += len(part)
        yield part


WEB_FIXTURES = Path(__file__).parent / "fixtures" / "web"
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
PAGES = ("harbour-strike", "river-bridge", "ferry-fares")


def add_site(server: LocalServer) -> None:
    """Serve the fixture news site: three article pages under /news/, an RSS feed of links at /feed.xml
    and an Atom feed with one full-text entry at /full.xml."""
    for name in PAGES:
        server.route(
            f"/news/{name}.html", Reply(body=(WEB_FIXTURES / f"{name}.html").read_bytes(), headers=HTML_TYPE)
        )
    server.route(
        "/feed.xml",
        Reply(
            body=(WEB_FIXTURES / "feed-links.xml").read_bytes(),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    server.route(
        "/full.xml",
        Reply(
            body=(WEB_FIXTURES / "feed-full.xml").read_bytes(),
            headers={"Content-Type": "application/atom+xml"},
        ),
    )


def drip(total: int = 10_000, every: float = 0.2, piece: bytes = b"<p>drip ") -> Iterator[bytes]:
    """Yield a few bytes every ``every`` seconds: a server slow enough to dodge any per-read timeout."""
    import time

    sent = 0
    while sent < total:
        time.sleep(every)
        sent += len(piece)
        yield piece


class DripHeaders:
    """A raw TCP server on 127.0.0.1 that answers every connection with a status line and then one
    header byte every ``every`` seconds, never finishing the headers. Use as a context manager."""

    def __init__(self, every: float = 0.2) -> None:
        import socket

        self.every = every
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: Any) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                while not self._stop.wait(self.every):
                    conn.sendall(b"X")
            except OSError:
                pass

    def __enter__(self) -> DripHeaders:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
