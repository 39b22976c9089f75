"""The fused CNN layers give spaCy's tok2vec and NER the same numbers, tags, parses and entities."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, TAG

from newsgraph.cnn import fuse_cnn_layers
from newsgraph.pipeline import DEFAULT_MODEL, load_spacy

TEXTS = [
    "NHK said the minister met the prime minister on Tuesday in Tokyo, Kyodo News agency reported.",
    '"We will not accept this," Ms Ribeiro told reporters in Lisbon. "The talks are over."',
    "PARIS (Reuters) - Prices rose 3.5% in May.\n\nThe central bank in Frankfurt said it would wait.",
    "A",
    "",
    "Officials in Washington, Ottawa and Mexico City declined to comment on the 2026 agreement. " * 30,
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.Language, spacy.Language]:
    fused = load_spacy(DEFAULT_MODEL)
    assert fuse_cnn_layers(fused) == 10  # five layers in each of the two CNNs of the small English pipeline
    return load_spacy(DEFAULT_MODEL), fused


def _cnn_outputs(nlp: spacy.Language, texts: list[str]) -> list[np.ndarray]:
    docs = [nlp.make_doc(text) for text in texts]
    outputs = list(nlp.get_pipe("tok2vec").model.predict(docs))
    outputs.append(nlp.get_pipe("ner").model.get_ref("tok2vec").predict(docs))
    return outputs


def test_the_fused_layers_compute_the_same_numbers_to_the_bit(pipelines):
    plain, fused = pipelines
    expected, got = _cnn_outputs(plain, TEXTS), _cnn_outputs(fused, TEXTS)
    assert len(expected) == len(got) == len(TEXTS) + 1
    for want, have in zip(expected, got, strict=True):
        assert want.dtype == have.dtype and want.shape == have.shape
        assert np.array_equal(want, have)


def test_tags_parses_and_entities_are_unchanged(pipelines):
    plain, fused = pipelines
    attrs = [TAG, DEP, HEAD, ENT_IOB, ENT_TYPE]
    for expected, got in zip(plain.pipe(TEXTS), fused.pipe(TEXTS), strict=True):
        assert expected.to_array(attrs).tolist() == got.to_array(attrs).tolist(), expected.text[:60]
    doc = fused(TEXTS[0])
    assert {(e.text, e.label_) for e in doc.ents} >= {("Tokyo", "GPE"), ("Tuesday", "DATE")}


def test_fusing_twice_changes_nothing_and_training_takes_thinc_own_path(pipelines):
    _, fused = pipelines
    assert fuse_cnn_layers(fused) == 0
    tok2vec = fused.get_pipe("tok2vec").model
    docs = [fused.make_doc(TEXTS[1])]
    predicted = tok2vec.predict(docs)[0]
    for node in tok2vec.walk():  # training drops units out at random (the embeddings' rows too)
        if "dropout_rate" in node.attrs:
            node.attrs["dropout_rate"] = 0.0
    trained, backprop = tok2vec.begin_update(docs)  # thinc's layers with their gradients
    assert np.allclose(predicted, trained[0], atol=1e-5)
    backprop([np.ones_like(trained[0])])  # would raise in the inference-only path
