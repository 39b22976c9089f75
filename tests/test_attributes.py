"""The cached attribute ruler and lemmatizer give every token what spaCy's own pipes give it."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import Lemmatizer

from newsgraph.attributes import NAME, RuleLemmas, cache_attributes
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


def test_the_copy_of_the_lemma_rules_answers_as_the_lemmatizer_does(pipelines):
    plain, _ = pipelines
    lemmatizer = plain.get_pipe("lemmatizer")
    rules = RuleLemmas.of(lemmatizer)
    assert rules is not None
    text = (
        "The mice ran faster than the geese; the children's toys were better, best and worst. "
        "Americans criticised the Obamas' policies, quoting 3.5% and 1990s figures at 10:30am. "
        "She'd been flying, he was lying, they've ridden and hidden; it's the data's analyses."
    )
    checked = 0
    for token in plain(text):
        lemmatizer.cache.clear()
        assert rules.lemma(token.orth, token.pos, token.morph.key) == lemmatizer.rule_lemmatize(token)[0], (
            token.text
        )
        checked += 1
    assert checked > 50


def test_the_copy_of_the_lemma_rules_declines_another_lemmatizer(pipelines):
    plain, _ = pipelines

    class Other(type(plain.get_pipe("lemmatizer"))):
        def is_base_form(self, token):
            return True

    lookup = Lemmatizer(plain.vocab, None, mode="lookup")
    assert RuleLemmas.of(lookup) is None
    assert RuleLemmas.of(Other(plain.vocab, None, mode="rule")) is None
