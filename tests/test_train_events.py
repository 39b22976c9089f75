"""The main-event classifier: its weights file round-trips, and training scores what the pipeline outputs."""

from __future__ import annotations

import numpy as np
import pytest

from newsgraph.extract.events.main import TypeModel, load_type_model
from newsgraph.extract.plover import PLOVER_TYPES
from newsgraph.train.events import Example, cross_validate, fit, score


def example(n: int, label: str, words: list[str], rules: list[str] = ()) -> Example:
    return Example(f"s{n}", f"g{n // 2}", label, [f"h:{w}" for w in words], list(rules), "stories")


def test_weights_round_trip_and_predict(tmp_path):
    model = TypeModel(
        ("AGREE", "ASSAULT"),
        {"h:shell": 0, "h:sign": 1},
        np.array([[-1.0, 2.0], [1.5, -0.5]]),
        np.array([0.1, 0.0]),
    )
    path = tmp_path / "types.npz"
    model.save(str(path))
    loaded = TypeModel.load(str(path))
    assert loaded.predict(["h:shell", "h:unknown"]) == "ASSAULT"
    assert loaded.predict(["h:sign"]) == "AGREE"
    assert loaded.predict([]) == "AGREE"  # the bias alone
    assert loaded.weight("h:sign", "AGREE") == pytest.approx(1.5)


def test_the_shipped_model_types_every_plover_type():
    model = load_type_model()
    assert model is not None
    assert set(model.classes) == set(PLOVER_TYPES)
    assert model.weights.shape == (len(model.index), len(model.classes))


def test_scores_count_the_rules_events_and_the_main_event():
    a = example(0, "AID", ["donate"], ["CONSULT"])
    b = example(1, "AID", ["meet"], ["AID"])
    c = example(2, "ASSAULT", ["shell"], [])
    scores = score([(a, "AID"), (b, "CONSULT"), (c, "AGREE")])
    assert scores.found == pytest.approx(2 / 3)  # a by the main event, b by the rules
    assert scores.main == pytest.approx(1 / 3)
    assert scores.distinct == pytest.approx((2 + 2 + 1) / 3)
    assert scores.per_type["AID"] == (1.0, 0.5, 2)


def test_fitting_learns_words_and_cross_validation_holds_out_whole_groups():
    pytest.importorskip("sklearn", reason="training needs scikit-learn (pip install -e '.[train]')")
    words = {"AGREE": ["sign", "accord"], "ASSAULT": ["shell", "raid"], "PROTEST": ["march", "rally"]}
    examples = [
        example(n, label, [ws[n % 2], "today"])
        for n, (label, ws) in enumerate([item for item in words.items() for _ in range(10)])
    ]
    model = fit(examples)
    assert model.predict(["h:shell"]) == "ASSAULT"
    assert model.predict(["h:rally"]) == "PROTEST"
    assert cross_validate(examples, "stories", folds=2).main > 0.5  # chance is 1/3
