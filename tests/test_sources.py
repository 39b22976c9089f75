"""Reading inputs into Articles: formats, metadata, furniture removal, and errors that name the input."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources import expand_paths, read_articles
from newsgraph.sources.cleanup import clean_authors, furniture_rule, remove_furniture

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def read_all(*paths: str | Path, **options: object) -> list[Article | InputError]:
    return list(read_articles([str(p) for p in paths], **options))  # type: ignore[arg-type]


def read_one(path: str | Path, **options: object) -> Article:
    (item,) = read_all(path, **options)
    assert isinstance(item, Article), item
    return item


def error_of(path: str | Path, **options: object) -> InputError:
    (item,) = read_all(path, **options)
    assert isinstance(item, InputError), item
    return item


# --- plain text ----------------------------------------------------------------------------------


def test_text_file_is_the_article_text_exactly() -> None:
    path = FIXTURES / "plain.txt"
    article = read_one(path, published="2024-03-14")
    assert article.text == path.read_bytes().decode("utf-8")
    assert article.id == "plain"
    assert article.published == "2024-03-14"
    assert article.metadata == {"source": str(path)}
    # plain text is never cleaned, even of lines that would be furniture on a web page
    assert "Read more: this line stays" in article.text


def test_text_keeps_crlf_and_whitespace_so_offsets_match_the_file(tmp_path: Path) -> None:
    raw = '  Ms Ribeiro said:\r\n\r\n\t"We agree."  \r\n'
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    article = read_one(path)
    assert article.text == raw
    start = raw.index("We agree")
    with path.open(encoding="utf-8", newline="") as handle:
        assert handle.read()[start : start + 8] == article.text[start : start + 8] == "We agree"


def test_utf8_bom_is_dropped_and_offsets_count_after_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfNHK said so.\n")
    assert read_one(path).text == "NHK said so.\n"


def test_cp1252_text_is_decoded_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("The caf\u00e9 owner said \u201cno\u201d.".encode("cp1252"))
    article = read_one(path)
    assert article.text == "The caf\u00e9 owner said \u201cno\u201d."
    assert article.metadata["encoding"] == "cp1252"


def test_text_neither_utf8_nor_cp1252_is_an_error_naming_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"The port \x81\x8d reopened.")
    error = error_of(path)
    assert error.source == str(path)
    assert "not valid UTF-8" in error.problem
    assert "0x81" in error.problem


def test_utf16_text_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Officials said the talks would resume.".encode("utf-16"))
    article = read_one(path)
    assert article.text == "Officials said the talks would resume."


# --- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_yields_articles_and_an_error_per_bad_line() -> None:
    path = FIXTURES / "articles.jsonl"
    items = read_all(path, published="2024-03-01")
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.id for a in articles] == [
        "wire-1",
        "https://courier.example/coastal-path",
        "articles:4",
        "articles:8",
    ]
    assert [e.source for e in errors] == [f"{path}:5", f"{path}:6", f"{path}:7"]
    assert "not valid JSON" in errors[0].problem
    assert errors[1].problem == 'has no "text" field'
    assert "not an object" in errors[2].problem
    # the line after the bad ones is still read
    assert articles[-1].text == "The last line is still read after the bad ones."


def test_jsonl_fields_and_metadata() -> None:
    path = FIXTURES / "articles.jsonl"
    first, second, third, last = (i for i in read_all(path, published="2024-03-01") if isinstance(i, Article))
    assert first.title == "Port to reopen"
    assert first.url == "https://gazette.example/port-reopen"
    assert first.outlet == "Port Gazette"
    assert first.authors == ["Lena Ortiz"]
    assert first.published == "2023-11-03T10:00:00+01:00"
    assert first.metadata == {"feed": "business", "section": "Business", "source": str(path), "line": 1}
    assert second.authors == ["Priya Nand"]  # one string becomes a list
    assert second.published == "2024-03-01"  # the reference date, for a line without one
    assert third.published == "2024-03-01"
    assert third.metadata["published_raw"] == "not a date"
    assert last.published == "2024-01-05"


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    lines = [{"text": "Short one."}, {"text": "x" * 5000}, {"text": "Short two."}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    items = read_all(path, max_bytes=1000)
    assert [getattr(i, "text", None) for i in items] == ["Short one.", None, "Short two."]
    assert isinstance(items[1], InputError)
    assert items[1].source == f"{path}:2"
    assert items[1].problem == "line is over the 1 kB limit"


def test_jsonl_empty_and_gzipped(tmp_path: Path) -> None:
    empty = tmp_path / "none.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert error_of(empty).problem == "empty file"
    packed = tmp_path / "wire.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "Packed line.", "id": 7}\n'))
    article = read_one(packed)
    assert (article.id, article.text) == ("7", "Packed line.")


@pytest.mark.parametrize("split", [1, 5, 64, 300])
def test_jsonl_byte_ranges_read_every_line_once_with_its_number(tmp_path: Path, split: int) -> None:
    path = tmp_path / "ranges.jsonl"
    shutil.copy(FIXTURES / "articles.jsonl", path)
    with path.open("ab") as handle:  # an over-long line, blank lines and a last line without newline
        handle.write(b'{"text": "' + b"y" * 3000 + b'"}\n\n\n{"text": "No newline at the end."}')
    from newsgraph.sources.jsonl import read_jsonl

    def described(items: list[Article | InputError]) -> list[str]:
        return [f"{i.id} {i.metadata['line']}" if isinstance(i, Article) else str(i) for i in items]

    whole = described(list(read_jsonl(path, "2024-03-01", max_bytes=1000)))
    pieces: list[Article | InputError] = []
    size = path.stat().st_size
    for start in range(0, size, split):
        pieces.extend(read_jsonl(path, "2024-03-01", max_bytes=1000, start=start, stop=start + split))
    assert described(pieces) == whole
    assert len(whole) == 9 and whole[-1] == "ranges:12 12"


# --- HTML ----------------------------------------------------------------------------------------

COURIER_FURNITURE = [
    "Powered by automated translation",
    "Photo: Ana Ribeiro arrives",
    "Read more",
    "What to expect from the Lisbon trade talks",
    "Port tariffs: who pays and who gains",
    "(Photo by Kenji Sato",
    "File photo",
    "Sign up for our newsletter",
    "Share this article",
    "Email the author",
    "All rights reserved",
]


def test_html_body_without_furniture() -> None:
    article = read_one(FIXTURES / "courier.html")
    for furniture in COURIER_FURNITURE:
        assert furniture not in article.text, furniture
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Foreign Minister Ana Ribeiro left Tokyo on Wednesday")
    assert paragraphs[2].startswith("He also said Tokyo hopes to host a summit next year.")
    assert paragraphs[-1].startswith("The two governments last signed a trade protocol in 2019")
    assert len(paragraphs) == 4
    # the headline is the title, not the first line of the text
    assert not article.text.startswith("Ribeiro ends Tokyo visit")
    assert "What to expect from the Lisbon trade talks" not in article.text


def test_html_metadata() -> None:
    path = FIXTURES / "courier.html"
    article = read_one(path, published="2020-01-01")
    assert article.title == "Ribeiro ends Tokyo visit with pledge on trade"
    assert article.url == "https://courier.example/world/ribeiro-tokyo-visit"
    assert article.id == "courier"  # the file stem, as for text files
    assert article.outlet == "The Harbour Courier"
    assert article.authors == ["Maria Lopes", "Tom Reyes"]
    # the page's own date wins over the reference date, with its time and offset
    assert article.published == "2024-03-14T09:30:00+09:00"
    assert article.language == "en"
    assert article.metadata["source"] == str(path)
    assert article.metadata["published_from"] == "meta"
    assert article.metadata["extractor"].startswith("trafilatura 2.3")


def test_xhtml_with_json_ld_related_block_and_captions() -> None:
    article = read_one(FIXTURES / "gazette.xhtml")
    gone = ("Related:", "Also read", "How the port grew", "Photo credit", "AP Photo", "Crane drivers")
    for furniture in gone:
        assert furniture not in article.text, furniture
    # a sentence that merely starts like a furniture label is article text
    assert "Related charges against two picket organisers were dropped" in article.text
    assert '"The port is the city\'s lifeline," the mayor said' in article.text
    assert article.authors == ["Tom Reyes", "Lena Ortiz"]
    assert article.published == "2023-11-02T18:05:00+00:00"
    assert article.metadata["published_from"] == "json-ld"
    assert article.outlet == "Port Gazette"
    assert article.url is None
    assert article.id == "gazette"
    assert article.language == "en"


def test_html_time_element_gives_time_and_offset() -> None:
    article = read_one(FIXTURES / "timeonly.html")
    assert article.published == "2022-05-03T07:15:00-04:00"
    assert article.text.startswith("The city council voted 7-2 on Monday night")


def test_html_without_a_date_takes_the_reference_date() -> None:
    article = read_one(FIXTURES / "nodate.html", published="2024-03-01")
    assert article.published == "2024-03-01"
    assert article.metadata["published_from"] == "reference"
    assert read_one(FIXTURES / "nodate.html").published is None


def test_html_page_without_article_is_an_error() -> None:
    error = error_of(FIXTURES / "index.html")
    assert error.source == str(FIXTURES / "index.html")
    assert error.problem == "no article text found"


def test_html_declared_latin1_and_lang(tmp_path: Path) -> None:
    page = (FIXTURES / "nodate.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    page = page.replace("<html>", '<html lang="fr-FR">')
    page = page.replace("More than forty", "Plus de quarante b\u00e9n\u00e9voles \u2014 forty")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("cp1252"))
    article = read_one(path)
    assert article.text.startswith("Plus de quarante b\u00e9n\u00e9voles \u2014 forty volunteers")
    assert article.metadata["encoding"] == "cp1252"
    # the language is the one the text is written in (English here); the page's claim is kept beside it
    assert article.metadata["declared_language"] == "fr"
    assert article.language == "en"


def test_gzipped_html_is_read_through(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress((FIXTURES / "courier.html").read_bytes()))
    article = read_one(path)
    assert article.title == "Ribeiro ends Tokyo visit with pledge on trade"


# --- furniture rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Powered by automated translation",
        "This article was machine translated from Portuguese.",
        "Read more: What to expect from the Lisbon trade talks",
        "READ MORE: Union sets strike date",
        "Also read: How the port grew",
        "Related: Port operators warn of losses",
        "Sign up for our newsletter",
        "Subscribe to the Morning Briefing newsletter",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter Email",
        "Email the author",
        "Follow us on Twitter",
        "Photo: Ana Ribeiro arrives at Haneda airport.",
        "(Photo by Kenji Sato/Harbour Courier)",
        "Image: Getty",
        "File photo",
        "FILE PHOTO: A container ship leaves the port of Valmora, March 3, 2024. REUTERS/Ana Costa",
        "Delegates pose before dinner. (AP Photo/Jan Novak)",
        "Advertisement",
        "Story continues below advertisement",
        "By Maria Lopes | 14 March 2024",
        "Reporting by Lena Ortiz; Editing by Tom Reyes",
        "Updated 14 March 2024, 10:02 GMT",
        "© 2024 The Harbour Courier. All rights reserved.",
        "Tags: trade, Japan, Portugal",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert furniture_rule(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Related charges were filed against two men on Tuesday.",
        "By Monday, the port had reopened to container traffic.",
        "Most Americans disapprove of the deal, according to an AP/NORC Poll.",
        "Published in 2019, the report found that dock wages had fallen.",
        "The minister said she would share the proposal with parliament next week.",
        "Photographers gathered outside the ministry as the talks began.",
        '"Read the agreement before you judge it," Ms Ribeiro said.',
    ],
)
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert furniture_rule(line) is None


def test_lead_in_drops_linked_headlines_until_a_sentence() -> None:
    lines = [
        "Officials met on Tuesday.",
        "Related stories",
        "Port operators warn of losses",
        "Union sets strike date",
        "The talks resume on Friday, the union said.",
    ]
    kept, dropped = remove_furniture(lines)
    assert kept == ["Officials met on Tuesday.", "The talks resume on Friday, the union said."]
    assert dropped == lines[1:4]


def test_furniture_rules_are_documented_data() -> None:
    raw = json.loads(resources.files("newsgraph").joinpath("data/furniture.json").read_text("utf-8"))
    for rule in raw["drop_line"]:
        assert rule["name"] and rule["why"], rule
        re.compile(rule["pattern"])


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Maria Lopes and Tom Reyes, Staff Writers", ["Maria Lopes", "Tom Reyes"]),
        ("Maria Lopes; Tom Reyes; Staff Writers", ["Maria Lopes", "Tom Reyes"]),
        ("Maria Lopes (@mlopes)", ["Maria Lopes"]),
        ("Maria Lopes, Tokyo correspondent", ["Maria Lopes"]),
        ("Text and photos by Kenji Sato", ["Kenji Sato"]),
        ("maria.lopes@courier.example", []),
        ("Staff Reporter", []),
        ("News Desk", []),
        ("Redaktion", []),
        (None, []),
    ],
)
def test_authors_are_names_only(byline: str | None, names: list[str]) -> None:
    assert clean_authors(byline) == names


# --- bad inputs ----------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    error = error_of(path)
    assert (error.source, error.problem) == (str(path), "empty file")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.txt", b"\x00\x01\x02\x03binary\x00data" * 20),
        ("report.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("mystery", bytes(range(256)) * 4),
    ],
)
def test_binary_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    error = error_of(path)
    assert error.source == str(path)
    assert error.problem == "looks like a binary file, not text or HTML"


def test_file_over_the_limit_says_how_big_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "dump.html"
    with path.open("wb") as handle:  # sparse: 52 MB on paper, nothing on disk
        handle.truncate(52_000_000)
    error = error_of(path)
    assert error.problem == "is 52 MB, over the 20 MB limit"
    assert error.hint == "raise --max-bytes"
    assert str(path) in str(error)


def test_gzip_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 200_000))
    error = error_of(path, max_bytes=50_000)
    assert "once decompressed" in error.problem


def test_missing_paths_and_patterns(tmp_path: Path) -> None:
    items = read_all(tmp_path / "gone.txt", tmp_path / "*.nothing")
    assert [(e.source, e.problem) for e in items if isinstance(e, InputError)] == [
        (str(tmp_path / "gone.txt"), "no such file or directory"),
        (str(tmp_path / "*.nothing"), "no files match this pattern"),
    ]


def test_directory_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.ann").write_text("T1\tSource 0 3\tNHK\n", encoding="utf-8")
    error = error_of(tmp_path)
    assert error.problem == "has no article files"


def test_bad_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    items = read_all(empty, FIXTURES / "index.html", tmp_path / "gone.html", FIXTURES / "plain.txt")
    assert [type(i).__name__ for i in items] == ["InputError", "InputError", "InputError", "Article"]


def test_bad_reference_date_is_refused_before_reading() -> None:
    with pytest.raises(InputError, match="not a date"):
        read_articles([FIXTURES / "plain.txt"], published="14/03/2024")


# --- formats by sniffing, paths ------------------------------------------------------------------


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "courier.html", tmp_path / "page.dat")
    (tmp_path / "feed.out").write_text('{"text": "Sniffed as JSON Lines."}\n', encoding="utf-8")
    (tmp_path / "wire.story").write_text("Sniffed as <plain> text.\n", encoding="utf-8")
    page, line, text = read_all(tmp_path / "page.dat", tmp_path / "feed.out", tmp_path / "wire.story")
    assert isinstance(page, Article) and page.title == "Ribeiro ends Tokyo visit with pledge on trade"
    assert isinstance(line, Article) and line.text == "Sniffed as JSON Lines."
    assert isinstance(text, Article) and text.text == "Sniffed as <plain> text.\n"


def test_expand_paths_walks_directories_sorted_and_skips_hidden(tmp_path: Path) -> None:
    names = ["b.txt", "a.html", "sub/c.jsonl", "sub/deeper/d.md", ".hidden.txt", ".git/e.txt", "a.ann"]
    names.append("f.html.gz")
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([str(tmp_path)])]
    assert found == ["a.html", "b.txt", "f.html.gz", "sub/c.jsonl", "sub/deeper/d.md"]


def test_expand_paths_globs_dedupes_and_keeps_missing(tmp_path: Path) -> None:
    for name in ["one/a.jsonl", "two/b.jsonl", "two/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = expand_paths([f"{tmp_path}/**/*.jsonl", str(tmp_path / "two"), str(tmp_path / "missing.txt")])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "one/a.jsonl",
        "two/b.jsonl",
        "two/c.txt",
        "missing.txt",
    ]


def test_a_file_named_explicitly_is_read_whatever_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.ann"
    path.write_text("Officials said the talks would resume.", encoding="utf-8")
    assert expand_paths([str(path)]) == [path]
    assert read_one(path).text == "Officials said the talks would resume."
