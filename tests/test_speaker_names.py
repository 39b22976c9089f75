"""How attributions name their speakers and relays (issue 14): organisations described rather than named,
capitals speaking for their country, the publishing outlet left out of the chain, names the tagger took for
organisations; and how the sample gold pairs outer and nested statements. Articles written for these tests."""

import pytest
import spacy
from spacy.tokens import Span

from newsgraph.evaluation.gold import score_gold
from newsgraph.extract.entities import find_entities
from newsgraph.schema import Article, Attribution, Record


def rows(pipeline, text, outlet=None):
    record = pipeline.analyze_one(Article(text=text, id="t", published="2024-03-14", outlet=outlet))
    return [(text[slice(*a.content)], a.speaker_name, [v.name for v in a.via]) for a in record.attributions]


def speaker_of(found, fragment):
    hits = [(content, name) for content, name, _ in found if fragment in content]
    assert hits, (fragment, found)
    return min(hits, key=lambda h: len(h[0]))[1]


@pytest.mark.slow
def test_a_described_organisation_is_named_after_its_country(pipeline):
    text = (
        "Floods swept through three provinces on Sunday.\n\n"
        "Germany's environment ministry said in a statement that it would send pumps and engineers. "
        "It said the first team would leave on Monday."
    )
    found = rows(pipeline, text)
    assert speaker_of(found, "send pumps") == "German Environment Ministry"
    assert speaker_of(found, "first team") == "German Environment Ministry"


@pytest.mark.slow
def test_a_named_organisation_keeps_its_name(pipeline):
    text = "South Korea's Yonhap News Agency said the two leaders would meet in Busan next month."
    assert speaker_of(rows(pipeline, text), "two leaders") == "Yonhap News Agency"


@pytest.mark.slow
def test_a_capital_speaking_is_its_country(pipeline):
    text = (
        "China held naval drills near the island on Tuesday.\n\n"
        "Beijing says the drills are routine and aimed at no other country."
    )
    assert speaker_of(rows(pipeline, text), "the drills are routine") == "China"


@pytest.mark.slow
def test_the_publishing_outlet_is_no_relay(pipeline):
    text = (
        'Mining minister Ahn Sung-jae said the survey would start in June. "We are not in a hurry," Ahn '
        "told Reuters in an interview."
    )
    own = rows(pipeline, text, outlet="Reuters")
    other = rows(pipeline, text, outlet="AP")
    assert [via for content, _, via in own if "not in a hurry" in content] == [[]]
    assert [via for content, _, via in other if "not in a hurry" in content] == [["Reuters"]]


def test_a_name_taken_up_by_she_is_a_person():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Carla Mendes travels to Osaka on Friday, where she will open a fair. Minera Sul said so.")
    doc.ents = [Span(doc, 0, 2, "ORG"), Span(doc, 4, 5, "GPE"), Span(doc, 15, 17, "ORG")]
    types = {e.name: e.type for e in find_entities(doc)}
    assert types["Carla Mendes"] == "PERSON"
    assert types["Minera Sul"] == "ORG"


def test_the_gold_pairs_equal_contents_before_overlapping_ones():
    text = "Yonhap reported that Song said she would visit Japan soon."
    outer = Attribution(content=(14, 58), source=(0, 6), speaker_name="Yonhap")
    inner = Attribution(content=(30, 58), source=(21, 25), speaker_name="Song", nested=True)
    record = Record(article=Article(text=text, id="d"), attributions=[outer, inner])
    gold = {"d": [{"speaker": "Song", "content": "she would visit Japan soon", "kind": "indirect"}]}
    report = score_gold(gold, {"d": record})
    assert report.matched == 1 and report.speaker_correct == 1
