"""The fused CNN layers and the remembered embeddings give spaCy's tok2vec and NER the same numbers, tags,
parses and entities."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, TAG

from newsgraph import cnn
from newsgraph.cnn import fuse_cnn_layers, remember_embeddings
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
    assert remember_embeddings(fused) == 2  # the embedding at the start of each
    return load_spacy(DEFAULT_MODEL), fused


def _cnn_outputs(nlp: spacy.Language, texts: list[str]) -> list[np.ndarray]:
    """Each text's rows from the two CNNs: tok2vec's, then the NER's (before its projection)."""
    docs = [nlp.make_doc(text) for text in texts]
    ner_cnn = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0]
    return list(nlp.get_pipe("tok2vec").model.predict(docs)) + list(ner_cnn.predict(docs))


def test_the_fused_layers_compute_the_same_numbers_to_the_bit(pipelines):
    plain, fused = pipelines
    expected, got = _cnn_outputs(plain, TEXTS), _cnn_outputs(fused, TEXTS)
    assert len(expected) == len(got) == 2 * len(TEXTS)
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


def test_embeddings_remembered_from_other_batches_are_the_same_to_the_bit(pipelines, monkeypatch):
    plain, fused = pipelines
    expected = _cnn_outputs(plain, TEXTS)  # both CNNs' rows of each text, computed among the others

    def same_alone() -> None:
        for index, text in enumerate(TEXTS):
            got = _cnn_outputs(fused, [text])
            want = [expected[index], expected[len(TEXTS) + index]]
            assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)), text[:40]

    # Each text alone (a one-token text among them), all together, in reverse: rows computed in other batches.
    same_alone()
    assert all(np.array_equal(a, b) for a, b in zip(_cnn_outputs(fused, TEXTS), expected, strict=True))
    backwards = _cnn_outputs(fused, TEXTS[::-1])
    reversed_expected = expected[: len(TEXTS)][::-1] + expected[len(TEXTS) :][::-1]
    assert all(np.array_equal(a, b) for a, b in zip(backwards, reversed_expected, strict=True))
    # A memory of 12 rows: "A" finds it full and starts it again; the other texts have more distinct rows
    # than it holds and are embedded directly.
    monkeypatch.setattr(cnn, "MAX_REMEMBERED", 12)
    same_alone()


def test_new_weights_or_training_empty_the_memory():
    nlp = load_spacy(DEFAULT_MODEL)
    remember_embeddings(nlp)
    tok2vec = nlp.get_pipe("tok2vec").model
    docs = [nlp.make_doc(TEXTS[0])]
    before = tok2vec.predict(docs)[0]
    table = next(node for node in tok2vec.walk() if node.name == "hashembed")
    table.set_param("E", table.get_param("E") * 2)  # as loading other weights does
    after = tok2vec.predict(docs)[0]
    assert not np.array_equal(before, after)
    plain = load_spacy(DEFAULT_MODEL)
    twin = next(node for node in plain.get_pipe("tok2vec").model.walk() if node.name == "hashembed")
    twin.set_param("E", twin.get_param("E") * 2)
    assert np.array_equal(after, plain.get_pipe("tok2vec").model.predict(docs)[0])
    assert remember_embeddings(nlp) == 0  # given a memory once only
    tok2vec.begin_update(docs)  # training forgets the rows: the weights are about to change
    memory = next(n for n in tok2vec.walk() if n.name.startswith(cnn.REMEMBERED))._func.args[0]
    assert not memory.rows


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
