"""Hypothesis strategies for the fuzzing campaign: inputs shaped like the real thing, then damaged."""

from __future__ import annotations

import gzip
import json
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import strategies as st

# Text a page or feed may carry: any character but lone surrogates (which no file can hold), with the
# troublemakers (controls, NUL, BOM, bidi marks, combining marks, astral characters) well represented.
CHARS = st.characters(exclude_categories=("Cs",))
SPECIAL = st.sampled_from(
    ["\x00", "\x0c", "\r", "\ufeff", "\u202e", "\u0301", "😀", "\u2028", "&amp;", "&#0;", "]]>"]
)
TEXT = st.lists(
    st.one_of(st.text(CHARS, max_size=40), SPECIAL, st.just("The minister said on Monday. ")), max_size=12
).map("".join)
WORDS = st.lists(
    st.sampled_from(
        [
            "Dock",
            "workers",
            "walked",
            "out",
            "on",
            "Monday,",
            "the",
            "union",
            "said.",
            '"We',
            "will",
            "stay",
            'out,"',
            "Mara",
            "Lenz",
            "told",
            "reporters",
            "in",
            "Valmora.",
            "2024-03-14",
            "Tuesday",
            "Reuters",
        ]
    ),
    min_size=0,
    max_size=80,
).map(" ".join)
PROSE = st.one_of(WORDS, TEXT)
STORY = st.lists(
    st.sampled_from(
        [
            "Dock workers at the port of Valmora walked out on Monday, the union said.",
            '"We will stay out until the talks resume," union leader Mara Lenz told reporters.',
            "The harbour authority said on Tuesday that ferries would keep running.",
            "Officials in Ostrava are thought to have met the union's lawyers last week.",
            "Reuters reported that the strike could spread to two other ports by Friday.",
        ]
    ),
    min_size=3,
    max_size=12,
).map(" ".join)

# Hosts that never leave the machine: a fetcher refuses them at once (or, for a malformed one, before
# any lookup), so the campaign runs offline and fast.
HOSTS = st.sampled_from(
    ["127.0.0.1", "127.0.0.1:99999", "[::1]", "10.0.0.1", "localhost", "", "[::1", "0.0.0.0:0"]
)
URLS = st.one_of(
    st.builds(
        lambda scheme, host, path: f"{scheme}://{host}/{path}",
        st.sampled_from(["http", "https", "HTTP", "ftp", "javascript"]),
        HOSTS,
        st.text(CHARS, max_size=30),
    ),
    st.text(CHARS, max_size=40),
    st.sampled_from(
        [
            "/relative/page.html",
            "page.html",
            "#top",
            "mailto:a@b",
            "http://",
            "https:///x",
            "http://127.0.0.1/a b c",
        ]
    ),
)
DATES = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2024-02-30",
            "Thu, 14 Mar 2024 09:00:00 +0000",
            "yesterday",
            "0000-00-00",
            "9999-12-31T25:61:00Z",
            "",
        ]
    ),
    st.text(CHARS, max_size=20),
)


def _attrs(draw: st.DrawFn) -> str:
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "class",
                        "id",
                        "lang",
                        "href",
                        "itemprop",
                        "property",
                        "name",
                        "content",
                        "datetime",
                        "charset",
                        "rel",
                    ]
                ),
                st.one_of(
                    st.text(CHARS, max_size=20),
                    st.sampled_from(
                        [
                            "datePublished",
                            "og:title",
                            "article:published_time",
                            "canonical",
                            "en",
                            "utf-8",
                            "x-unknown",
                        ]
                    ),
                ),
            ),
            max_size=3,
        )
    )
    return "".join(f' {name}="{value}"' for name, value in pairs)


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """An HTML page: a plausible skeleton with random elements, attributes and text, sometimes broken."""
    tags = [
        "p",
        "div",
        "article",
        "main",
        "h1",
        "h2",
        "a",
        "span",
        "script",
        "style",
        "time",
        "table",
        "td",
        "li",
        "br",
        "meta",
        "title",
        "nav",
        "footer",
        "svg",
        "noscript",
        "template",
    ]
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(tags))
        closed = draw(st.booleans()) or tag not in ("br", "meta")
        parts.append(f"<{tag}{_attrs(draw)}>{draw(PROSE)}" + (f"</{tag}>" if closed else ""))
    head = draw(
        st.sampled_from(
            ["", "<!DOCTYPE html>", "<?xml version='1.0' encoding='latin-1'?>", "\ufeff", "<html lang='en'>"]
        )
    )
    meta = draw(
        st.sampled_from(
            [
                "",
                "<meta charset='utf-8'>",
                "<meta charset='shift_jis'>",
                "<meta http-equiv='Content-Type' content='text/html; charset=bogus'>",
            ]
        )
    )
    if draw(st.booleans()):  # an article among the noise, so the reader's whole path is exercised
        story = "".join(f"<p>{draw(STORY)}</p>" for _ in range(draw(st.integers(2, 5))))
        parts.insert(draw(st.integers(0, len(parts))), f"<article><h1>{draw(TEXT)}</h1>{story}</article>")
    page = f"{head}<html><head>{meta}<title>{draw(TEXT)}</title></head><body>{''.join(parts)}</body></html>"
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    data = page.encode(encoding, "replace")
    return draw(_damage(data))


@st.composite
def _damage(draw: st.DrawFn, data: bytes) -> bytes:
    how = draw(st.sampled_from(["none", "none", "none", "cut", "insert", "flip"]))
    if how == "cut" and data:
        return data[: draw(st.integers(0, len(data)))]
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=40)) + data[at:]
    if how == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS 2.0 or Atom feed with full-text and link-only entries, sometimes broken."""
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 6))):
        link, date = draw(URLS), draw(DATES) or ""
        title = draw(TEXT) if draw(st.integers(0, 3)) == 0 else escape(draw(TEXT))
        body = draw(st.one_of(STORY, PROSE))
        body_xml = body.replace("&", "&amp;").replace("<", "&lt;")
        if atom:
            entries.append(
                f'<entry><title>{title}</title><link href="{link}"/>'
                f"<id>{draw(TEXT)}</id><updated>{date}</updated>"
                + (f"<content type='html'>{body_xml}</content>" if draw(st.booleans()) else "")
                + "</entry>"
            )
        else:
            entries.append(
                f"<item><title>{title}</title><link>{link}</link>"
                f"<guid>{draw(TEXT)}</guid><pubDate>{date}</pubDate>"
                + (f"<description>{body_xml}</description>" if draw(st.booleans()) else "")
                + "</item>"
            )
    doctype = draw(st.sampled_from(["", "", "<!DOCTYPE rss [<!ENTITY x 'xx'>]>"]))
    title, items = draw(TEXT), "".join(entries)
    if atom:
        xml = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>{items}</feed>"
    else:
        channel = f"<title>{title}</title><link>{draw(URLS)}</link>{items}"
        xml = f"<rss version='2.0'><channel>{channel}</channel></rss>"
    xml = f"<?xml version='1.0'?>{doctype}{xml}"
    return draw(_damage(xml.encode("utf-8", "replace")))


@st.composite
def warc_files(draw: st.DrawFn) -> bytes:
    """A WARC file of response, request and other records; lengths sometimes wrong; gzipped or not."""
    records = []
    for _ in range(draw(st.integers(0, 4))):
        page = draw(html_pages()) if draw(st.booleans()) else draw(st.binary(max_size=200))
        status = draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "200", "abc"]))
        ctype = draw(
            st.sampled_from(["text/html; charset=utf-8", "application/pdf", "text/html; charset=nope", ""])
        )
        extra = draw(st.sampled_from(["", "Content-Encoding: gzip\r\n", "Transfer-Encoding: chunked\r\n"]))
        http = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}\r\n".encode() + page
        kind = draw(
            st.sampled_from(["response", "response", "request", "warcinfo", "resource", "revisit", "bogus"])
        )
        length = len(http) + draw(st.sampled_from([0, 0, 0, -5, 7]))
        head = (
            f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{draw(st.uuids())}>\r\n"
            f"WARC-Target-URI: {draw(URLS)}\r\nWARC-Date: {draw(DATES) or ''}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {max(0, length)}\r\n\r\n"
        ).encode("utf-8", "replace")
        record = head + http + b"\r\n\r\n"
        records.append(gzip.compress(record) if draw(st.booleans()) else record)
    return draw(_damage(b"".join(records)))


def _json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(CHARS, max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(CHARS, max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


FIELDS = ["id", "text", "title", "url", "outlet", "authors", "published", "language", "metadata", "entities"]


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """JSON Lines: article objects with fields of any type, other JSON, broken lines, stray bytes."""
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["article", "article", "json", "broken", "bytes", "blank"]))
        if kind == "article":
            obj = {
                name: draw(st.one_of(PROSE, _json_values(), DATES))
                for name in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True))
            }
            if draw(st.integers(0, 3)) > 0:
                obj["text"] = draw(st.one_of(WORDS, PROSE))
            lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass"))
        elif kind == "json":
            lines.append(json.dumps(draw(_json_values())).encode())
        elif kind == "broken":
            lines.append(json.dumps({"text": draw(PROSE)}).encode()[: draw(st.integers(0, 12))])
        elif kind == "bytes":
            lines.append(draw(st.binary(max_size=60)).replace(b"\n", b" "))
        else:
            lines.append(b"   ")
    data = b"\n".join(lines)
    return gzip.compress(data) if draw(st.integers(0, 9)) == 0 else data


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    """Plain text in several encodings (with and without BOM), or bytes that are no text at all."""
    kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "binary", "mixed"]))
    if kind == "binary":
        return draw(st.binary(max_size=400))
    text = draw(PROSE)
    if kind == "mixed":
        return (
            text.encode("utf-8", "replace")
            + draw(st.binary(max_size=20))
            + draw(PROSE).encode("latin-1", "replace")
        )
    return text.encode(kind, "replace")


@st.composite
def url_lists(draw: st.DrawFn) -> bytes:
    """Files listing URLs: good-looking ones, malformed ones, spaces, comments and undecodable bytes."""
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["url", "url", "comment", "bytes", "blank"]))
        if kind == "url":
            lines.append(draw(URLS).encode("utf-8", "replace"))
        elif kind == "comment":
            lines.append(b"# " + draw(TEXT).encode("utf-8", "replace"))
        elif kind == "bytes":
            lines.append(b"http://127.0.0.1/" + draw(st.binary(max_size=20)).replace(b"\n", b""))
        else:
            lines.append(b"")
    return b"\n".join(lines)


FILE_NAMES = st.one_of(
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=20),
    st.binary(min_size=1, max_size=20).filter(lambda b: b"/" not in b and b"\x00" not in b).map(lambda b: b),
)
SUFFIXES = st.sampled_from(
    [".txt", ".html", ".jsonl", ".xml", ".warc", ".gz", ".md", "", ".TXT", ".htm", ".rss"]
)
