"""Training the attribution tagger: the cue prior each training article sees is counted without it."""

from __future__ import annotations

import numpy as np
import spacy
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.extract.role_features import mix
from newsgraph.train.attribution import cue_prior, held_out_priors, to_bilou


def article(vocab: Vocab) -> Doc:
    words = ["They", "vow", "it", "."] * 5
    pos = ["PRON", "VERB", "PRON", "PUNCT"] * 5
    return Doc(vocab, words=words, lemmas=[w.lower() for w in words], pos=pos)


def test_an_articles_cue_prior_leaves_its_own_labels_out() -> None:
    vocab = Vocab()
    docs = [article(vocab) for _ in range(5)]
    untagged = ["O"] * 20
    # Only the first article marks "vow" as a cue.
    tags = [["O", "B-CUE", "O", "O"] * 5] + [untagged] * 4
    key = int(mix(np.array([get_string_id("vow")], dtype=np.uint64), np.uint64(get_string_id("VERB")))[0])

    assert cue_prior(docs, tags)["vow|VERB"] == 2  # 5 of 25: what the shipped model uses
    priors = held_out_priors(docs, tags, folds=5)
    assert key not in priors[0]  # its own five cues left out, "vow" is never a cue
    assert priors[1][key] == 3  # 5 of 20, counted on the other four articles
    assert held_out_priors(docs, tags, folds=1)[0][key] == 2


def test_bilou_marks_last_and_single_tokens_across_whitespace() -> None:
    vocab = spacy.blank("en").vocab  # English lexical attributes: "\n\n" is whitespace
    doc = Doc(vocab, words=["Ana", "said", '"', "we", "\n\n", "won", '"', "."])
    tags = ["B-SRC", "B-CUE", "B-CON", "I-CON", "O", "I-CON", "I-CON", "O"]
    assert to_bilou(doc, tags) == ["U-SRC", "U-CUE", "B-CON", "I-CON", "O", "I-CON", "L-CON", "O"]
