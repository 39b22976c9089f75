"""The PLOVER GSR scorer: label mapping, file checks, and the quality floors on the dev half."""

from __future__ import annotations

import json

import pytest

from evaldata import eval_data
from newsgraph.errors import EvalError
from newsgraph.evaluation.plover import PloverReport, Scored, current_type, evaluate_events, load_plover_gsr


def test_label_mapping_to_current_ontology():
    assert current_type("DEMAND") == "REQUEST"
    assert current_type("DISAPPROVE") == "ACCUSE"
    assert current_type("INVESTIGATE") == "ACCUSE"
    assert current_type("FIGHT") == "ASSAULT"
    assert current_type("COERCE", "destroy") == "ASSAULT"
    assert current_type("COERCE", "arrest") == "COERCE"
    assert current_type("consult") == "CONSULT"


def write(tmp_path, records):
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_loads_records_and_skips_documentation(tmp_path):
    path = write(
        tmp_path,
        [
            {"id": "doc", "event": "DOCUMENT"},
            {
                "id": "r1",
                "event": "DEMAND",
                "date": "2001-02-03",
                "text": "Chile demanded that Peru withdraw.",
                "source": [{"actorText": "Chile", "code": "CHL"}],
                "target": [{"actorText": "Peru", "code": "per"}],
            },
            {"id": "r2", "event": "AGREE", "text": "They agreed.", "source": [], "target": ""},
        ],
    )
    records = load_plover_gsr(path)
    assert [r.id for r in records] == ["r1", "r2"]
    assert records[0].type == "REQUEST" and records[0].label == "DEMAND"
    assert records[0].sources == {"CHL"} and records[0].targets == {"PER"}
    assert records[1].targets == frozenset()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not readable as JSON"),
        ('{"a": 1}', "expected a JSON list"),
        ('[{"x": 1}]', "no 'event'"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalError, match=message):
        load_plover_gsr(path)
    with pytest.raises(EvalError, match="no such file"):
        load_plover_gsr(tmp_path / "missing.json")


def test_scores(tmp_path):
    path = write(
        tmp_path,
        [
            {"event": "AGREE", "text": "a", "source": [{"code": "USA"}], "target": [{"code": "JOR"}]},
            {"event": "AGREE", "text": "b", "source": [{"code": "USA"}]},
            {"event": "FIGHT", "text": "c", "source": [{"code": "SRB"}]},
        ],
    )
    gold = load_plover_gsr(path)
    report = PloverReport(
        [
            Scored(gold[0], "AGREE", "USA", "JOR", "agreed"),
            Scored(gold[1], "CONSULT", "GBR", None, "met"),
            Scored(gold[2], None, None, None, None),
        ]
    )
    assert report.top1 == pytest.approx(1 / 3)
    assert report.actor_accuracy == pytest.approx(1 / 3)
    assert report.target_accuracy == 1.0
    assert report.no_event == 1
    per_type = report.per_type()
    assert per_type["AGREE"][:3] == (1.0, 0.5, pytest.approx(2 / 3))
    assert per_type["ASSAULT"][1] == 0.0
    assert report.macro_f1 == pytest.approx((2 / 3 + 0 + 0) / 3)
    assert report.to_dict()["confusions"][0]["count"] == 1


@pytest.mark.slow
@pytest.mark.evaldata
def test_plover_dev_floors(pipeline):
    # Quality gate on the public dev half (the other half is held out): the targets are 80%.
    report = evaluate_events(eval_data("plover-gsr") / "dev.json", pipeline.nlp)
    assert report.n == 164
    assert report.top1 >= 0.80, report.to_dict()
    # Source countries come from the article alone (no list of famous people since issue 13): 79.1% then.
    assert report.actor_accuracy >= 0.78, report.to_dict()
