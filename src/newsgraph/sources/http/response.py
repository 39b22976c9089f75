"""What a fetch returns or raises, and the checks on a URL before any request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsgraph.errors import InputError

__all__ = ["FetchError", "Response", "check_url", "is_url"]


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
