"""Reading input files as bytes and text: size limits, gzip, binary sniffing, character decoding.

Every function here raises :class:`~newsgraph.errors.InputError` naming the file for a bad input, so the
readers above can turn it into a yielded error and go on with the next file.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path
from typing import IO, cast

from newsgraph.errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

GZIP_MAGIC = b"\x1f\x8b"

# Enough of a file to judge whether it is text: binary formats show NUL or other control bytes within
# their first few kilobytes (headers, compressed streams), while text never does.
SNIFF_BYTES = 8192

# Control bytes other than tab, LF, VT, FF, CR and ESC. Any NUL, or more than 1 in 100 of these, is not
# text: cp1252 and UTF-8 text has none, and 1 % tolerates a stray control character in old wire copy.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_SHARE = 0.01

# Magic numbers of binary formats people most often pass by mistake, for a more helpful hint.
_MAGIC_HINTS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "it is a PDF; extract its text first"),
    (b"PK\x03\x04", "it is a ZIP archive (or a .docx/.xlsx); unpack or convert it first"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"GIF8", "it is a GIF image"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def human_size(size: int) -> str:
    """Return ``size`` in bytes as a short decimal figure ("52 MB", "3.5 kB", "900 bytes")."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            value = size / scale
            decimals = 1 if value < 10 and round(value, 1) != int(value) else 0
            return f"{value:.{decimals}f} {unit}"
    return f"{size} bytes"


def too_big(source: str, size: int, max_bytes: int) -> InputError:
    """Return the error for an input of ``size`` bytes over the ``max_bytes`` limit."""
    shown, limit = human_size(size), human_size(max_bytes)
    if shown == limit:  # 20.4 MB against 20 MB would read "is 20 MB, over the 20 MB limit"
        shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
    return InputError(source, f"is {shown}, over the {limit} limit", "raise --max-bytes")


def inner_suffix(path: Path) -> str:
    """Return the lower-case suffix that says the format, looking through a ``.gz`` ending."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def article_stem(path: Path) -> str:
    """Return the file name without its format suffix and any ``.gz`` ending (``a.html.gz`` → ``a``)."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and f".{suffix.lower()}" in ARTICLE_SUFFIXES else name


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, gunzipping it when it is gzip-compressed.

    Args:
        path: The file.
        max_bytes: Largest size accepted, both on disk and, for gzip files, once decompressed (which
            also stops decompression bombs).

    Returns:
        The (decompressed) bytes.

    Raises:
        InputError: The file is missing, unreadable, empty, corrupt gzip or over the limit.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise too_big(source, size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(source, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # grew while we read it
        raise too_big(source, len(data), max_bytes)
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(source, data, max_bytes)
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def _gunzip(source: str, data: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(source, f"is not a valid gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(
            source, f"is over the {human_size(max_bytes)} limit once decompressed", "raise --max-bytes"
        )
    return out


def open_lines(path: Path) -> IO[bytes]:
    """Open ``path`` for reading raw byte lines, through gzip when it is gzip-compressed.

    Raises:
        InputError: The file is missing or unreadable.
    """
    source = str(path)
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        return cast(IO[bytes], gzip.open(path, "rb")) if magic == GZIP_MAGIC else path.open("rb")
    except FileNotFoundError:
        raise InputError(source, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot be read: {exc.strerror or exc}") from None


def bom_encoding(data: bytes) -> str | None:
    """Return the codec named by a byte-order mark at the start of ``data``, or None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def check_not_binary(source: str, data: bytes) -> None:
    """Raise when ``data`` does not look like text or HTML.

    Text in a UTF-16 or UTF-32 encoding with a byte-order mark is text, despite its NUL bytes.

    Raises:
        InputError: "looks like a binary file, not text or HTML".
    """
    if bom_encoding(data) in ("utf-16", "utf-32"):
        return
    sample = data[:SNIFF_BYTES]
    hint = next((text for magic, text in _MAGIC_HINTS if sample.startswith(magic)), None)
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if hint or b"\x00" in sample or controls > _CONTROL_SHARE * len(sample):
        raise InputError(source, "looks like a binary file, not text or HTML", hint)


def sniff_format(data: bytes) -> str:
    """Guess the format of a file without a recognised suffix: ``html``, ``jsonl`` or ``text``."""
    encoding = bom_encoding(data)
    head = data[:SNIFF_BYTES]
    if encoding in ("utf-16", "utf-32"):
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


# Characters that cp1252 maps but that never occur in real cp1252 text: C0 controls other than tab and
# line breaks. A cp1252 decoding that yields them is a guess gone wrong.
_NOT_CP1252_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(source: str, data: bytes) -> tuple[str, str]:
    """Decode a plain-text file exactly, without translating line endings.

    UTF-8 first (a leading byte-order mark is dropped, so offsets count from the first character after
    it); UTF-16/UTF-32 when a byte-order mark says so; then cp1252, the usual encoding of older Western
    European news text, but only when every byte decodes to a printable character. Anything else is an
    error rather than a guess, because offsets into a wrongly decoded text are worthless.

    Returns:
        The text and the name of the encoding used.

    Raises:
        InputError: The bytes are neither UTF-8 nor clean cp1252.
    """
    encoding = bom_encoding(data) or "utf-8"
    try:
        return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
    except UnicodeDecodeError as exc:
        error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _NOT_CP1252_TEXT.search(text):
        return text, "cp1252"
    bad = data[error.start : error.start + 1].hex()
    raise InputError(
        source,
        f"is not valid UTF-8 (byte 0x{bad} at offset {error.start}) and not cp1252 either",
        "re-save it as UTF-8",
    )


_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)

# Browsers (WHATWG Encoding) read these labels as windows-1252, and so must we: pages that declare
# latin-1 routinely contain curly quotes from the 0x80-0x9F range.
_WHATWG_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page the way a browser would, preferring what the bytes prove over what they claim.

    Order: byte-order mark; UTF-8 when the bytes are valid UTF-8 (a page that declares latin-1 but is
    valid UTF-8 is UTF-8: non-ASCII bytes form valid UTF-8 by chance almost never); the ``<meta
    charset>`` or XML declaration; charset detection; cp1252. The last three replace undecodable bytes
    rather than fail, since a page with one bad byte still has an article in it.

    Returns:
        The markup and the name of the encoding used.
    """
    bom = bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace"), "utf-8" if bom == "utf-8-sig" else bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _DECLARED.search(data[:SNIFF_BYTES])
    if match:
        label = (match.group(1) or match.group(2)).decode("ascii").lower()
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            codec = None
        if codec and codec not in ("utf-8", "utf-16", "utf-32"):
            codec = _WHATWG_ALIASES.get(codec, codec)
            return data.decode(codec, errors="replace"), codec
    from charset_normalizer import from_bytes  # imported late: only pages that are not UTF-8 need it

    best = from_bytes(data[: 4 * SNIFF_BYTES]).best()
    codec = best.encoding if best is not None else "cp1252"
    return data.decode(codec, errors="replace"), codec
