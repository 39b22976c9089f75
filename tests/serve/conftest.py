"""A store built once from the sample corpus plus hostile and syndicated articles, served on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from servekit import Server, free_port

HERE = Path(__file__).resolve().parent

# Articles written to attack the pages: markup and script in every field a page shows.
HOSTILE = [
    {
        "id": "hostile-<svg onload=alert(1)>",
        "title": (
            "<script>window.__pwned = 'title'</script>Minister <img src=x onerror=\"window.__pwned='img'\">"
        ),
        "url": "javascript:window.__pwned='url'",
        "outlet": "\"><script>window.__pwned='outlet'</script>",
        "published": "2024-05-02",
        "text": (
            "Foreign Minister Omar <b>O'Neil</b> visited Lisbon on Tuesday. \"We will not "
            "<script>window.__pwned='quote'</script> back down,\" Omar O'Neil said. "
            'The spokesman Dana "The Fox" <i>Reyes</i> said '
            "the talks had gone well <img src=x onerror=\"window.__pwned='text'\">.\n\n"
            "Reyes added that a <a href=\"javascript:window.__pwned='link'\">deal</a> was close."
        ),
    },
    {
        "id": "hostile-two",
        "title": 'Prime Minister "Lee" <Kim> meets \u2018reporters\u2019 & <style>body{display:none}</style>',
        "url": "JaVaScRiPt:window.__pwned='mixed-case'",
        "outlet": "<iframe src=javascript:window.__pwned='iframe'>",
        "published": "2024-05-03",
        "text": (
            "Prime Minister Lee Kim said on Monday that Seoul would host the summit, Yonhap News Agency "
            "reported. \"</script><script>window.__pwned='break-out'</script>\" was written on a banner, "
            "Lee Kim said."
        ),
    },
]

# One wire story and a lightly edited copy under another outlet: a story carried by two outlets.
WIRE = (
    "Norway and Iceland agreed on Friday to share monitoring data on mackerel stocks in the North Atlantic, "
    'the two fisheries ministers said after talks in Reykjavik. "This is a good day for our fishermen," '
    "Norwegian Fisheries Minister Kari Solheim told reporters. Icelandic officials said the agreement "
    "would be reviewed next year. The ministers also discussed quotas for blue whiting and the effects "
    "of warmer water on the migration of herring, according to a joint statement issued by both governments."
)
SYNDICATED = [
    {
        "id": "ntb-mackerel",
        "title": "Norway, Iceland to share mackerel data",
        "url": "https://example.no/ntb/mackerel",
        "outlet": "NTB",
        "published": "2024-06-07",
        "text": WIRE,
    },
    {
        "id": "ruv-mackerel",
        "title": "Iceland and Norway agree on mackerel monitoring",
        "url": "https://example.is/ruv/mackerel",
        "outlet": "RUV",
        "published": "2024-06-08",
        "text": "REYKJAVIK \u2014 " + WIRE,
    },
]


@pytest.fixture
def port() -> int:
    """A free port for a server a test starts itself."""
    return free_port()


@pytest.fixture(scope="session")
def served_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    """A store holding the sample corpus, two hostile articles and a syndicated story."""
    from newsgraph.cli import sample_dir
    from newsgraph.schema import Article
    from newsgraph.sources import read_articles
    from newsgraph.store import Store

    folder = tmp_path_factory.mktemp("served")
    extra = folder / "extra.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in [*HOSTILE, *SYNDICATED]), encoding="utf-8")
    root = sample_dir()
    paths = [str(root / "wire.jsonl"), str(root / "html"), str(root / "text"), str(extra)]
    articles = [a for a in read_articles(paths) if isinstance(a, Article)]
    db = folder / "served.db"
    with Store(db) as store:
        store.save(pipeline.analyze(articles))
    return db


# One server per test module: stopping it also stops its worker process, which other modules' tests
# (no stray child processes) would otherwise see.
@pytest.fixture(scope="module")
def server(served_db: Path, pipeline) -> Iterator[Server]:
    from newsgraph.serve import create_app

    with Server(
        create_app(served_db, api_key="test-key", poll_seconds=0.5, pipeline=pipeline), free_port()
    ) as running:
        yield running


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http
