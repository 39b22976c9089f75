"""A corpus of invented short news articles in three forms (HTML files, JSON Lines, a WARC.gz crawl),
with bad records planted among them, for the Spark job's tests.

Every article is distinct (its own URL, names and numbers), so no two share a storage key.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PEOPLE = [
    ("Ana Ribeiro", "Foreign Minister"),
    ("Kenji Ota", "spokesman"),
    ("Lena Ortiz", "Mayor"),
    ("Tomas Varga", "Trade Minister"),
    ("Priya Nand", "chief executive"),
    ("Samuel Okafor", "police chief"),
    ("Ingrid Dahl", "Fisheries Minister"),
    ("Rafael Costa", "union leader"),
]
PLACES = ["Tokyo", "Lisbon", "Nairobi", "Lima", "Oslo", "Manila", "Accra", "Hanoi", "Quito", "Tunis"]
OUTLETS = [("Kyodo News", "kyodo"), ("NHK", "nhk"), ("Reuters", "reuters"), ("Yonhap", "yonhap")]
TOPICS = ["port fees", "fishing quotas", "flood defences", "rail links", "grain exports", "power prices"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article(n: int) -> dict[str, str]:
    """The n-th invented article: title, text, url, outlet and publication date."""
    name, role = PEOPLE[n % len(PEOPLE)]
    place, other = PLACES[n % len(PLACES)], PLACES[(n * 3 + 1) % len(PLACES)]
    outlet, slug = OUTLETS[n % len(OUTLETS)]
    topic = TOPICS[(n // 2) % len(TOPICS)]
    surname = name.split()[-1]
    day = DAYS[n % len(DAYS)]
    points = 3 + n % 17
    paragraphs = [
        f"{role[0].upper() + role[1:]} {name} met officials in {place} on {day} to discuss {topic} "
        f"and a plan with {points} points.",
        f'"We will keep working on {topic} with our partners in {other}," {surname} said after the '
        f"meeting, number {n + 1} this year.",
        f"{outlet} reported that the talks would resume next month in {other}. Officials are thought to "
        f"have agreed on a budget of {100 + n} million dollars.",
    ]
    if n % 3 == 0:
        paragraphs.append(
            f"The opposition said the plan for {topic} came too late, and {surname} rejected the claim."
        )
    month = 1 + n % 12
    return {
        "title": f"{surname} holds talks on {topic} in {place} ({n})",
        "text": "\n\n".join(paragraphs),
        "url": f"https://{slug}.example/news/2024/{month:02d}/story-{n}.html",
        "outlet": outlet,
        "published": f"2024-{month:02d}-{1 + n % 28:02d}",
    }


def page(item: dict[str, str]) -> bytes:
    """An HTML page for an article, with the metadata news sites put in their markup."""
    body = "".join(f"<p>{p}</p>\n" for p in item["text"].split("\n\n"))
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{item['title']}</title>"
        f"<link rel='canonical' href='{item['url']}'>"
        f"<meta property='og:site_name' content='{item['outlet']}'>"
        f"<meta property='article:published_time' content='{item['published']}T08:00:00+00:00'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{item['title']}</h1>\n{body}</article>"
        "<footer>Copyright the publisher</footer></body></html>"
    ).encode()


NO_TEXT_PAGE = b"<!DOCTYPE html><html><head><title>Index</title></head><body><nav>Home</nav></body></html>"


@dataclass
class Corpus:
    """Where the forms of the corpus were written, and what was planted in them."""

    root: Path
    html: Path
    jsonl: Path
    warc: Path
    articles: int = 0
    # (input, offset or line, what): the bad records, where the errors table must name them.
    planted: list[tuple[str, int | None, str]] = field(default_factory=list)

    @property
    def inputs(self) -> list[str]:
        return [str(self.html), str(self.jsonl), str(self.warc)]


def write_corpus(root: Path, html: int = 70, jsonl: int = 70, warc: int = 70) -> Corpus:
    """Write ``html`` pages to a folder, ``jsonl`` lines to a file and ``warc`` pages to a crawl, each
    form with bad records planted: a binary file and a page with no text among the pages, a line that
    is not JSON, and in the crawl a page with no text and a record with corrupt compressed bytes."""
    corpus = Corpus(root, root / "pages", root / "wire.jsonl", root / "crawl.warc.gz")
    corpus.html.mkdir(parents=True)
    n = 0
    for _ in range(html):
        (corpus.html / f"story-{n:04d}.html").write_bytes(page(article(n)))
        n += 1
    broken = corpus.html / "broken.html"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = corpus.html / "index.html"
    empty.write_bytes(NO_TEXT_PAGE)
    corpus.planted += [(str(broken), None, "binary"), (str(empty), None, "no text")]

    lines = []
    for i in range(jsonl):
        item = article(n)
        lines.append(json.dumps({"id": f"wire-{n}", **item}))
        n += 1
        if i == jsonl // 2:
            lines.append('{"text": "This line is cut off')
            corpus.planted.append((str(corpus.jsonl), len(lines), "not JSON"))
    corpus.jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record(corpus.warc.name, {"software": "newsgraph tests"}))
    offsets: dict[str, int] = {}
    for i in range(warc):
        item = article(n)
        n += 1
        if i == warc // 3:
            offsets["no text"] = buffer.tell()
            _response(writer, "https://wire.example/index.html", NO_TEXT_PAGE)
        if i == 2 * warc // 3:
            offsets["corrupt"] = buffer.tell()
            _response(writer, item["url"], page(item))
            continue
        _response(writer, item["url"], page(item))
    data = bytearray(buffer.getvalue())
    for i in range(offsets["corrupt"] + 60, offsets["corrupt"] + 100):
        data[i] ^= 0x5A  # inside the compressed payload of one record
    corpus.warc.write_bytes(bytes(data))
    corpus.planted += [
        (str(corpus.warc), offsets["no text"], "no text"),
        (str(corpus.warc), offsets["corrupt"], "broken"),
    ]
    corpus.articles = n - 1  # the corrupt record's article is lost
    return corpus


def _response(writer: WARCWriter, url: str, body: bytes) -> None:
    http = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-06-01T12:00:00Z"},
    )
    writer.write_record(record)
