"""The invented example of DESIGN.md, end to end, and properties that hold for any text."""

import json
import multiprocessing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsgraph.schema import Article, Record

pytestmark = pytest.mark.slow

EXAMPLE = (
    'Foreign Minister Ana Ribeiro left Tokyo on Wednesday after a two-day visit. Portugal will "work for '
    "an agreement that serves both peoples,\" Ms Ribeiro was quoted as saying by Japan's Kyodo News agency. "
    'NHK said the minister met Prime Minister Kishida for about an hour on Tuesday. "We have always valued '
    'this partnership," spokesman Kenji Ota said. He also said Tokyo hopes to host a summit next year. '
    "Trade officials of both countries are thought to have met in Singapore.\n\n"
    "Read more: What to expect from the Lisbon trade talks\n"
)


@pytest.fixture(scope="module")
def example(pipeline):
    return pipeline.analyze_one(Article(text=EXAMPLE, id="example", published="2024-03-14"))


def span(record, s):
    return None if s is None else record.article.text[s[0] : s[1]]


def test_kyodo_via_attribution(example):
    a = next(a for a in example.attributions if a.via)
    assert a.speaker_name == "Ana Ribeiro"
    assert span(example, a.source) == "Ms Ribeiro"
    assert span(example, a.cue) == "was quoted as saying"
    assert span(example, a.content).startswith("Portugal will")
    assert span(example, a.content).endswith("peoples")
    assert a.kind == "mixed"
    assert [v.name for v in a.via] == ["Kyodo News"]


def test_nhk_attribution(example):
    a = next(a for a in example.attributions if a.speaker_name == "NHK")
    assert span(example, a.cue) == "said"
    assert span(example, a.content) == "the minister met Prime Minister Kishida for about an hour on Tuesday"
    assert a.kind == "indirect"


def test_both_ota_attributions(example):
    ota = [a for a in example.attributions if a.speaker_name == "Kenji Ota"]
    assert [span(example, a.source) for a in ota] == ["spokesman Kenji Ota", "He"]
    assert ota[0].kind == "direct" and ota[0].role == "spokesman"
    assert span(example, ota[0].content) == '"We have always valued this partnership,"'
    assert span(example, ota[1].content) == "Tokyo hopes to host a summit next year"
    entity = example.entity(ota[0].speaker)
    assert entity is not None and entity.type == "PERSON"


def test_hedged_sentence_and_furniture_give_no_attribution(example):
    hedge = EXAMPLE.index("Trade officials")
    assert all(a.content[1] <= hedge for a in example.attributions)
    assert len(example.attributions) == 4


def test_entities_cluster_aliases(example):
    ribeiro = next(e for e in example.entities if e.name == "Ana Ribeiro")
    assert {"Ms Ribeiro", "the minister"} <= set(ribeiro.aliases)
    assert ribeiro.role == "Foreign Minister"


def test_weekdays_and_next_year(example):
    values = {t.text: t.value for t in example.times}
    assert values["Wednesday"] == "2024-03-13"
    assert values["Tuesday"] == "2024-03-12"
    assert values["next year"] == "2025"


def test_places_are_resolved_to_geonames(example):
    places = {p.name: p for p in example.places}
    assert places["Tokyo"].geonameid == 1850147
    assert places["Singapore"].resolved and places["Singapore"].country == "SG"


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=400) | st.lists(
    st.sampled_from(
        [
            '"',
            "“",
            "”",
            "‘",
            "’",
            "«",
            "»",
            "said",
            "told",
            "he",
            "Ms Ota",
            "NHK",
            "according to",
            "Tuesday",
            "next year",
            ",",
            ".",
            "\n\n",
            "Tokyo",
            "quoted",
            "as saying",
            "by",
            "Kyodo",
        ]
    ),
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_any_text_spans_lie_inside_and_json_round_trips(pipeline, text):
    record = pipeline.analyze_one(Article(text=text, id="x", published="2024-03-14"))
    assert record.article.text == text
    for start, end in record.spans():
        assert 0 <= start <= end <= len(text)
    for entity in record.entities:
        assert all(text[s:e] for s, e in entity.mentions)
    data = json.loads(json.dumps(record.to_dict()))
    assert Record.from_dict(data) == record
    assert Record.from_dict(data).to_dict() == record.to_dict()


def test_two_processes_give_the_same_records_as_one(pipeline):
    # Docs travel to the worker processes and back as bytes, with what the stages left on them.
    articles = [
        Article(text=EXAMPLE, id="a", published="2024-03-14", url="https://www.japantimes.co.jp/news/a"),
        Article(text=EXAMPLE.replace("Tokyo", "Lisbon"), id="b", published="2023-11-02"),
        Article(text="Kyodo said talks in Paris, Texas, ended on Monday.", id="c"),
    ]
    assert list(pipeline.analyze(articles, processes=2, batch_size=1)) == list(pipeline.analyze(articles))


def test_record_is_what_the_doc_holds_in_json_form(nlp):
    from newsgraph.components import record_from_doc

    doc = nlp.make_doc(EXAMPLE)
    doc._.published = "2024-03-14"
    doc = nlp(doc)
    record = record_from_doc(doc)
    assert record == Record.from_dict({**record.article.to_dict(), **doc._.newsgraph})
    assert record.events and record.places and record.times and record.attributions


def test_spacy_multiprocessing_carries_the_results_on_the_docs(nlp):
    # Users of the components through nlp.pipe get Docs back from spaCy's worker processes as bytes.
    from newsgraph.components import record_from_doc

    texts = [EXAMPLE, EXAMPLE.replace("Tokyo", "Lisbon")]
    one = [record_from_doc(doc) for doc in nlp.pipe(texts)]
    two = [record_from_doc(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=1)]
    assert two == one and all(r.events and r.places for r in two)


@Language.component("test_fails_on_boom")
def _fails_on_boom(doc):
    if "BOOM" in doc.text:
        raise ValueError("this article cannot be analysed")
    return doc


def test_a_failure_in_a_worker_process_is_reported(pipeline):
    from newsgraph.errors import NewsgraphError

    pipeline.nlp.add_pipe("test_fails_on_boom")
    try:
        articles = [Article(text="NHK said the talks ended."), Article(text="BOOM said the talks ended.")]
        with pytest.raises(NewsgraphError, match="cannot be analysed"):
            list(pipeline.analyze(articles, processes=2, batch_size=1))
    finally:
        pipeline.nlp.remove_pipe("test_fails_on_boom")


def test_stopping_early_leaves_no_worker_running(pipeline):
    articles = (Article(text=f"NHK said talks {i} ended in Tokyo.", id=str(i)) for i in range(40))
    records = pipeline.analyze(articles, processes=2, batch_size=2)
    assert next(records).article.id == "0"
    records.close()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("count", "size", "workers", "sizes"),
    [
        (84, 16, 2, [16, 16, 16, 16, 10, 10]),  # not 16 × 5 + 4: one worker left with a whole batch
        (32, 16, 2, [16, 8, 8]),
        (5, 16, 2, [3, 2]),
        (84, 16, 3, [16, 16, 16, 16, 7, 7, 6]),
        (20, 16, 1, [10, 10]),  # never more than a batch
        (0, 16, 2, []),
    ],
)
def test_the_last_articles_are_shared_out_evenly_among_the_workers(count, size, workers, sizes):
    from newsgraph.pipeline import _handout

    batches = list(_handout((Article(text=f"text {i}", id=str(i)) for i in range(count)), size, workers))
    assert [len(b) for b in batches] == sizes
    assert [a.id for b in batches for a in b] == [str(i) for i in range(count)]  # each once, in order
