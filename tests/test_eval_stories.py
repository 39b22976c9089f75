"""The labelled-stories scorer: file checks, the figures it reports, and the floors on the NGEC stories."""

from __future__ import annotations

import json

import pytest

from evaldata import eval_data
from newsgraph.errors import EvalError
from newsgraph.evaluation.stories import StoriesReport, StoryResult, evaluate_stories, load_stories


def write(tmp_path, lines):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def story(story_id: str, label: str, text: str = "Headline\n\nBody.") -> str:
    return json.dumps({"id": story_id, "label": label, "text": text})


def test_loads_stories_and_groups_runs_of_one_headline(tmp_path):
    path = write(
        tmp_path, [story("ngec-0000", "protest"), "", story("ngec-0011", "AID"), story("ngec-0012", "AID")]
    )
    stories = load_stories(path)
    assert [s.label for s in stories] == ["PROTEST", "AID", "AID"]
    assert stories[0].group == stories[1].group != stories[2].group


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["not json"], "line 1: not JSON"),
        ([story("a", "AGREE"), json.dumps({"id": "b", "label": "AGREE"})], "line 2: a story needs"),
        ([story("a", "MEET")], "not a PLOVER type"),
        ([""], "no stories"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path, lines, message):
    with pytest.raises(EvalError, match=message):
        load_stories(write(tmp_path, lines))
    with pytest.raises(EvalError, match="no such file"):
        load_stories(tmp_path / "missing.jsonl")


def test_report_figures(tmp_path):
    a, b, c = load_stories(write(tmp_path, [story("1", "AID"), story("2", "AID"), story("3", "ASSAULT")]))
    report = StoriesReport(
        [
            StoryResult(a, frozenset({"AID", "CONSULT"}), "AID"),
            StoryResult(b, frozenset({"AID"}), "CONSULT"),
            StoryResult(c, frozenset(), None),
        ]
    )
    assert report.found == pytest.approx(2 / 3)
    assert report.main_accuracy == pytest.approx(1 / 3)
    assert report.distinct_types == 1.0
    assert report.no_event == 1
    assert report.per_type()["AID"] == (1.0, 0.5, 2)
    assert report.to_dict()["per_type"]["ASSAULT"]["label_found"] == 0.0


@pytest.mark.slow
def test_stories_are_scored_through_the_pipeline(tmp_path, nlp):
    text = "Andes rebels lay down their arms\n\nRebels in the Andes handed over their weapons on Monday."
    path = write(tmp_path, [story("s1", "RETREAT", text)])
    report = evaluate_stories(path, nlp)
    assert report.n == 1
    assert report.items[0].main is not None
    assert report.items[0].main in report.items[0].types


@pytest.mark.slow
@pytest.mark.evaldata
def test_story_floors(nlp):
    # Quality gate on the first 240 public stories (in the classifier's training data: a regression check,
    # not a measure; the cross-validated figures are in docs/events.md).
    report = evaluate_stories(eval_data("ngec-synthetic") / "stories.jsonl", nlp, limit=240)
    assert report.found >= 0.85, report.to_dict()
    assert report.main_accuracy >= 0.70, report.to_dict()
    assert report.distinct_types < 4, report.to_dict()


def test_the_command_needs_one_data_file(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["eval", "events"])
    assert result.exit_code == 2
    assert "give one of --plover FILE or --stories FILE" in result.output
    bad = write(tmp_path, ["not json"])
    result = CliRunner().invoke(main, ["eval", "events", "--stories", str(bad)])
    assert result.exit_code != 0
    assert "line 1: not JSON" in result.output
    assert "Traceback" not in result.output
