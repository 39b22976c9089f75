"""The attribution role tagger's parts: the key table, the features, and loading the shipped model."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from newsgraph.errors import ModelError
from newsgraph.extract.role_features import Features, KeyTable, mix, paragraphs, prior_table
from newsgraph.extract.roles import RoleSpan, default_tagger, load_tagger, spans_from_tags


def test_key_table_finds_every_key_at_its_row_and_nothing_else() -> None:
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(1, 2**63, size=5000, dtype=np.uint64))
    # Keys that share a home slot, so that probing past occupied slots is exercised.
    keys = np.unique(np.concatenate([keys, keys[:50] + np.uint64(1 << 40)]))
    table = KeyTable(keys)
    assert table.find(keys).tolist() == list(range(len(keys)))
    strangers = np.setdiff1d(rng.integers(1, 2**63, size=5000, dtype=np.uint64), keys)
    assert (table.find(strangers) == -1).all()
    assert table.find(np.zeros(0, dtype=np.uint64)).tolist() == []


def test_mix_tells_pairs_apart_and_is_stable() -> None:
    a = np.arange(1000, dtype=np.uint64)
    b = np.arange(1000, dtype=np.uint64)[::-1].copy()
    assert len(np.unique(mix(a, b))) == 1000
    assert (mix(a, b) != mix(b, a)).any()
    # Keys are stored in the shipped model: they must not change between runs or machines.
    assert int(mix(np.array([1], dtype=np.uint64), np.uint64(2))[0]) == int(
        mix(np.array([1], dtype=np.uint64), np.uint64(2))[0]
    )


@pytest.mark.slow
def test_same_words_in_the_same_place_get_the_same_features(nlp) -> None:
    prior = prior_table({"say|VERB": 4})
    text = "Officials said the ferry would resume on Monday.\n\n"
    first = Features(nlp(f"{text}It did."), prior)
    second = Features(nlp(f"{text}A second paragraph follows here, longer than the first one."), prior)
    n = len(first.paragraphs[0])
    assert (first.keys[:n] == second.keys[:n]).all()
    assert (first.present[:n] == second.present[:n]).all()


@pytest.mark.slow
def test_features_do_not_reach_across_a_paragraph_break(nlp) -> None:
    prior = prior_table({"say|VERB": 4})
    features = Features(nlp("The minister said talks ended.\n\nThe ferry resumed."), prior)
    assert [len(p) for p in features.paragraphs] == [6, 4]
    last, first = features.paragraphs[0][-1], features.paragraphs[1][0]
    column = features.templates.index
    # The paragraph's last token has no right neighbour, only padding; the next one's first has no left.
    assert not features.present[last, column("1:w")] and features.present[last, column("1:pad")]
    assert not features.present[first, column("-1:w")] and features.present[first, column("-1:pad")]
    inner = features.paragraphs[0][2]
    assert features.present[inner, column("1:w")] and not features.present[inner, column("1:pad")]


def test_the_shipped_model_loads_with_what_it_was_trained_with() -> None:
    tagger = default_tagger()
    assert set(tagger.labels) == {"O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"}
    assert tagger.prior["say|VERB"] == 4
    assert len(tagger.keys) == len(tagger.weights)


def test_a_model_folder_with_a_file_missing_is_a_clear_error(tmp_path: Path) -> None:
    shipped = resources.files("newsgraph").joinpath("data", "attribution")
    for name in ("roles.npz", "cue_prior.json"):
        with resources.as_file(shipped / name) as path:
            shutil.copyfile(path, tmp_path / name)
    (tmp_path / "roles.npz").unlink()
    with pytest.raises(ModelError, match=r"roles\.npz"):
        load_tagger(tmp_path)


@pytest.mark.parametrize(
    "tags",
    [
        ["B-SRC", "I-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "O", "B-CON"],
        ["B-SRC", "L-SRC", "U-CUE", "B-CON", "I-CON", "L-CON", "O", "U-CON"],
    ],
    ids=["bio", "bilou"],
)
def test_spans_read_the_same_from_bio_and_bilou_tags(tags: list[str]) -> None:
    # Token 5 is whitespace outside the paragraph's sequence: a span may run over it.
    tokens = [0, 1, 2, 3, 4, 6, 7, 8]
    assert spans_from_tags(tokens, tags) == [
        RoleSpan("SRC", 0, 2),
        RoleSpan("CUE", 2, 3),
        RoleSpan("CON", 3, 7),
        RoleSpan("CON", 8, 9),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One two.\n\nThree four.\nFive", [["One", "two", "."], ["Three", "four", "."], ["Five"]]),
        ("Lead line \n  \n body text", [["Lead", "line"], ["body", "text"]]),
        ("\n\nStarts late. \n", [["Starts", "late", "."]]),
        ("No break at all.", [["No", "break", "at", "all", "."]]),
        ("é\n😀 word\n\n end", [["é"], ["😀", "word"], ["end"]]),  # offsets in characters, not bytes
        ("", []),
    ],
)
def test_a_line_break_ends_a_paragraph_and_whitespace_belongs_to_none(text, expected) -> None:
    import spacy

    doc = spacy.blank("en")(text)
    assert [[doc[i].text for i in para] for para in paragraphs(doc)] == expected
