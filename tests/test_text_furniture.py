"""Page furniture in plain-text input: marked with the HTML clean-up rules, kept in the text with its
offsets, listed in the record's metadata, and nothing extracted from it."""

import pytest

from newsgraph.extract.furniture import furniture_spans, outside
from newsgraph.schema import Article

PASTED = (
    "Lisbon and Tokyo agree on fisheries\n\n"
    "By Ana Lima\n\n"
    "TOKYO -- Foreign Minister Carla Pinto said on Monday that the talks would resume in May.\n\n"
    "Read more:\n"
    'Kishida says Tokyo will "never give up" on the summit, the spokesman said\n'
    "Why the yen fell again in Osaka on Friday\n\n"
    "Powered by automated translation\n\n"
    "Share this article\n"
)
FURNITURE = [
    "By Ana Lima",
    "Read more:",
    'Kishida says Tokyo will "never give up" on the summit, the spokesman said',
    "Why the yen fell again in Osaka on Friday",
    "Powered by automated translation",
    "Share this article",
]


def test_furniture_lines_are_found_with_their_offsets():
    assert [PASTED[s:e] for s, e in furniture_spans(PASTED)] == FURNITURE


def test_article_text_alone_has_no_furniture():
    text = "TOKYO -- The minister said talks would resume.\n\nBy Monday, the ports had reopened."
    assert furniture_spans(text) == []


def test_outside():
    assert outside(None, [(0, 4)])
    assert outside((5, 9), [(0, 4)])
    assert not outside((3, 9), [(0, 4)])


@pytest.mark.slow
def test_nothing_is_extracted_from_furniture_in_text_input(pipeline):
    record = pipeline.analyze_one(Article(text=PASTED, id="pasted", published="2024-03-14"))
    assert record.article.text == PASTED
    furniture = [tuple(span) for span in record.article.metadata["furniture"]]
    assert [PASTED[s:e] for s, e in furniture] == FURNITURE
    spans = record.spans()
    assert spans and all(outside(span, furniture) for span in spans)
    assert [PASTED[slice(*a.content)] for a in record.attributions] == ["that the talks would resume in May"]
    assert "Kishida" not in {e.name for e in record.entities}
    assert "Osaka" not in {p.name for p in record.places}
