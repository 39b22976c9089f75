"""The cached attribute ruler and lemmatizer give every token what spaCy's own pipes give it."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from newsgraph.attributes import NAME, cache_attributes
from newsgraph.pipeline import DEFAULT_MODEL

TEXTS = [
    "The minister said on Tuesday that the talks had ended, and officials were seen leaving.",
    '"We\'re gonna win this," she told reporters. "Let\'s see what they\'ve got."',
    "He ain't here yet. Y'all know we gotta go, don't we?",
    "Saw the saw? The leaves leave; the better man was better.\n\nPARIS - Prices rose 3.5% in May.",
    "There is no deal, and there were no talks. C'mon, is there?",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.Language, spacy.Language]:
    return spacy.load(DEFAULT_MODEL), cache_attributes(spacy.load(DEFAULT_MODEL))


def test_the_cached_pipes_replace_the_ruler_and_the_lemmatizer(pipelines):
    _, cached = pipelines
    assert NAME in cached.pipe_names
    assert "attribute_ruler" not in cached.pipe_names and "lemmatizer" not in cached.pipe_names
    assert cache_attributes(cached).pipe_names == cached.pipe_names  # a second call changes nothing


def test_every_token_gets_the_same_tags_lemmas_and_parse(pipelines):
    plain, cached = pipelines
    # Twice over, so that the second pass reads every answer from the cache.
    for expected, got in zip(plain.pipe(TEXTS * 2), cached.pipe(TEXTS * 2), strict=True):
        for attr in (POS, MORPH, LEMMA, TAG, DEP, HEAD):
            assert expected.to_array([attr]).tolist() == got.to_array([attr]).tolist(), expected.text
    doc = cached(TEXTS[1])
    assert [t.lemma_ for t in doc if t.lower_ in {"told", "'re", "'ve"}] == ["be", "tell", "have"]
    assert {t.pos_ for t in doc if t.lower_ == "reporters"} == {"NOUN"}
