"""WARC and WARC.gz crawls: HTML responses become articles; broken records are reported and skipped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from local_server import WEB_FIXTURES
from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import read_articles
from newsgraph.sources.warc import read_warc

SITE = "https://ledger.example"


def page(name: str) -> bytes:
    return (WEB_FIXTURES / f"{name}.html").read_bytes().replace(b"{base}", SITE.encode())


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], *, compress: bool) -> Path:
    """Write records given as (type, url, payload, HTTP content type or "" for none)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsgraph tests"}))
        for kind, url, payload, content_type in records:
            status = "404 Not Found" if url.endswith("/missing") else "200 OK"
            if kind == "request":
                http = StatusAndHeaders(
                    f"GET {url} HTTP/1.1", [("Host", "ledger.example")], is_http_request=True
                )
            else:
                headers = [("Content-Length", str(len(payload)))]
                if content_type:
                    headers.append(("Content-Type", content_type))
                http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(payload),
                length=len(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-07T18:30:00Z"},
            )
            writer.write_record(record)
    return path


def crawl(tmp_path: Path, *, compress: bool, name: str | None = None) -> Path:
    records = [
        ("request", f"{SITE}/news/harbour-strike.html", b"", ""),
        ("response", f"{SITE}/news/harbour-strike.html", page("harbour-strike"), "text/html; charset=utf-8"),
        ("response", f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), "image/png"),
        ("response", f"{SITE}/missing", b"<html><body>Not found</body></html>", "text/html"),
        ("response", f"{SITE}/news/river-bridge.html?ref=home", page("river-bridge"), "text/html"),
        ("response", f"{SITE}/news/ferry-fares.html", page("ferry-fares"), "text/html"),
    ]
    filename = name or ("crawl.warc.gz" if compress else "crawl.warc")
    return write_warc(tmp_path / filename, records, compress=compress)


def read(path: Path, **options: object) -> list[Article | InputError]:
    return list(read_articles([path], **options))  # type: ignore[arg-type]


def summary(items: list[Article | InputError]) -> list[str]:
    return [i.url or "" if isinstance(i, Article) else f"error {i}" for i in items]


@pytest.mark.parametrize("compress", [True, False])
def test_html_responses_become_articles_and_everything_else_is_passed_over(
    tmp_path: Path, compress: bool
) -> None:
    items = read(crawl(tmp_path, compress=compress))
    assert summary(items) == [
        f"{SITE}/news/harbour-strike.html",
        f"{SITE}/news/river-bridge.html",  # the page's canonical URL, not the crawled one with ?ref=
        f"{SITE}/news/ferry-fares.html",
    ]
    strike, bridge, _ = items
    assert isinstance(strike, Article) and isinstance(bridge, Article)
    assert "twenty container ships" in strike.text
    assert strike.published == "2024-05-06T07:40:00+02:00"  # from the page
    assert bridge.published == "2024-05-07T18:30:00+00:00"  # the page has none: WARC-Date
    assert bridge.metadata["published_from"] == "warc-date"
    assert bridge.metadata["fetched_url"] == f"{SITE}/news/river-bridge.html?ref=home"
    assert strike.metadata["warc_record_id"].startswith("<urn:uuid:")
    assert isinstance(strike.metadata["warc_offset"], int)


def test_warc_files_are_found_by_content_and_in_directories(tmp_path: Path) -> None:
    crawl(tmp_path, compress=True, name="no-extension")
    (tmp_path / "sub").mkdir()
    crawl(tmp_path / "sub", compress=False)
    assert len(read(tmp_path / "no-extension")) == 3
    assert len(read(tmp_path)) == 3  # walking a directory takes .warc(.gz) files, not unnamed ones


def test_a_truncated_gzip_warc_reports_the_cut_record_and_keeps_the_rest(tmp_path: Path) -> None:
    path = crawl(tmp_path, compress=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])  # cut inside the last record
    items = read(path)
    assert summary(items)[:2] == [f"{SITE}/news/harbour-strike.html", f"{SITE}/news/river-bridge.html"]
    (error,) = items[2:]
    assert isinstance(error, InputError)
    assert "the file may be truncated" in str(error)
    assert error.source.startswith(f"{path}@")


@pytest.mark.parametrize("cut", [10, 120, 600])
def test_truncation_anywhere_in_a_plain_warc_is_reported(tmp_path: Path, cut: int) -> None:
    path = crawl(tmp_path, compress=False)
    data = path.read_bytes()
    last = data.rfind(b"WARC/1.")
    path.write_bytes(data[: last + cut])  # inside the last record's headers, HTTP headers, or body
    items = read(path)
    assert len([i for i in items if isinstance(i, Article)]) == 2
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "truncated" in str(errors[0])


def test_a_record_with_a_broken_header_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = crawl(tmp_path, compress=False)
    data = path.read_bytes()
    second_response = data.find(b"WARC/1.", data.find(b"harbour-strike.html\r\n", data.find(b"response")))
    start = data.find(b"WARC/1.", second_response + 1)  # the logo record
    path.write_bytes(data[:start] + b"GARBAGE/9.9" + data[start + 11 :])
    items = read(path)
    assert summary(items)[0] == f"{SITE}/news/harbour-strike.html"
    assert f"{SITE}/news/river-bridge.html" in summary(items)
    assert f"{SITE}/news/ferry-fares.html" in summary(items)
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1
    assert errors[0].source == f"{path}@{start}" and "broken WARC record" in errors[0].problem


def test_a_bad_content_length_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = crawl(tmp_path, compress=False)
    data = path.read_bytes()
    at = data.find(b"Content-Length", data.find(b"logo.png"))
    end = data.find(b"\r\n", at)
    path.write_bytes(data[:at] + b"Content-Length: twelve" + data[end:])
    items = read(path)
    assert [i.url for i in items if isinstance(i, Article)] == [
        f"{SITE}/news/harbour-strike.html",
        f"{SITE}/news/river-bridge.html",
        f"{SITE}/news/ferry-fares.html",
    ]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "Content-Length 'twelve' is not a number" in errors[0].problem


def test_corrupt_bytes_inside_a_gzip_record_cost_only_that_record(tmp_path: Path) -> None:
    path = crawl(tmp_path, compress=True)
    data = bytearray(path.read_bytes())
    members = [i for i in range(len(data)) if data[i : i + 3] == b"\x1f\x8b\x08"]
    victim = members[5]  # warcinfo, request, strike, logo, 404, bridge: the bridge record
    for i in range(victim + 40, victim + 80):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    items = read(path)
    urls = [i.url for i in items if isinstance(i, Article)]
    assert urls == [f"{SITE}/news/harbour-strike.html", f"{SITE}/news/ferry-fares.html"]
    assert len([i for i in items if isinstance(i, InputError)]) == 1


def test_corrupt_bytes_deep_inside_a_large_gzip_record_cost_only_that_record(tmp_path: Path) -> None:
    """Damage far into a record's compressed payload used to make the reader go on to the end of the
    file, failing to decompress, and lose every record after it."""
    import random

    rng = random.Random(3)
    filler = "".join(rng.choices("abcdefghij klmnop{}[]", k=300_000)).encode()
    big = page("ferry-fares").replace(b"</head>", b"<script>var s = '" + filler + b"';</script></head>")
    records = [("response", f"{SITE}/news/big-{i}.html", big, "text/html") for i in range(3)]
    records.append(("response", f"{SITE}/news/harbour-strike.html", page("harbour-strike"), "text/html"))
    path = write_warc(tmp_path / "big.warc.gz", records, compress=True)
    data = bytearray(path.read_bytes())
    members = [i for i in range(len(data)) if data[i : i + 3] == b"\x1f\x8b\x08"]
    victim, after = members[2], members[3]  # warcinfo, big-0, big-1: big-1's middle
    for i in range((victim + after) // 2, (victim + after) // 2 + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    items = read(path)
    offsets = [i.metadata["warc_offset"] for i in items if isinstance(i, Article)]
    assert offsets == [members[1], members[3], members[4]]  # big-0, big-2 and the last page
    (error,) = [i for i in items if isinstance(i, InputError)]
    assert error.source == f"{path}@{victim}" and "compressed data is corrupt" in error.problem


def test_a_record_over_the_size_limit_is_reported(tmp_path: Path) -> None:
    big = page("ferry-fares").replace(b"</article>", b"<p>" + b"padding " * 20_000 + b"</p></article>")
    path = write_warc(
        tmp_path / "big.warc.gz",
        [
            ("response", f"{SITE}/big", big, "text/html"),
            ("response", f"{SITE}/news/harbour-strike.html", page("harbour-strike"), "text/html"),
        ],
        compress=True,
    )
    error, article = read(path, max_bytes=100_000)
    assert isinstance(error, InputError) and error.source == f"{SITE}/big"
    assert "over the 100 kB limit" in error.problem
    assert isinstance(article, Article)


def test_a_file_that_is_not_a_warc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("just some notes\n")
    (error,) = read(path)
    assert isinstance(error, InputError) and error.problem == "is not a WARC file"


def test_records_stream_one_at_a_time(tmp_path: Path) -> None:
    path = crawl(tmp_path, compress=True)
    stream = read_warc(path)
    first = next(stream)  # the first article arrives before the rest of the file is read
    assert isinstance(first, Article)
    stream.close()


def damaged(tmp_path: Path, how: str, compress: bool) -> Path:
    path = crawl(tmp_path, compress=compress)
    data = bytearray(path.read_bytes())
    if how == "garbage-header" and not compress:
        start = data.find(b"WARC/1.", data.find(b"logo.png") - 600)
        data[start : start + 11] = b"GARBAGE/9.9"
    elif how == "corrupt-member" and compress:
        members = [i for i in range(len(data)) if data[i : i + 3] == b"\x1f\x8b\x08"]
        for i in range(members[5] + 40, members[5] + 80):
            data[i] ^= 0x5A
    elif how == "truncated":
        del data[len(data) - 200 :]
    path.write_bytes(bytes(data))
    return path


def described(items: list[Article | InputError]) -> list[str]:
    return [f"{i.url} {i.metadata['warc_offset']}" if isinstance(i, Article) else str(i) for i in items]


@pytest.mark.parametrize(
    ("how", "compress"),
    [
        ("intact", True),
        ("intact", False),
        ("garbage-header", False),
        ("corrupt-member", True),
        ("truncated", True),
        ("truncated", False),
    ],
)
@pytest.mark.parametrize("split", [1, 97, 700, 4000])
def test_byte_ranges_read_every_record_once(tmp_path: Path, how: str, compress: bool, split: int) -> None:
    """Ranges of any size, read one after another, give what one reader of the whole file gives."""
    path = damaged(tmp_path, how, compress)
    whole = described(list(read_warc(path)))
    size = path.stat().st_size
    pieces: list[Article | InputError] = []
    for start in range(0, size, split):
        pieces.extend(read_warc(path, start=start, stop=start + split))
    assert described(pieces) == whole
    assert len([i for i in pieces if isinstance(i, Article)]) >= 2
    assert (how == "intact") == all(isinstance(i, Article) for i in pieces)
