"""Quality gate on the bundled sample corpus against its hand-made gold (data/sample/gold_attributions.json).

The floors sit a little under the figures measured when they were set; lowering one needs a reason in the
commit that does it.
"""

import pytest

from newsgraph.cli import sample_dir
from newsgraph.evaluation.gold import evaluate_gold, load_gold
from newsgraph.sources import read_articles

pytestmark = pytest.mark.slow

GOLD = sample_dir() / "gold_attributions.json"
# Measured (learned role model, blank lines ending sentences, organisations named from their descriptions,
# capitals as their countries, the publishing outlet out of the chains): precision 0.80, recall 0.95,
# speaker accuracy 0.91, via accuracy 0.96, kind accuracy 1.00. The speaker and via floors are issue 14's
# targets.
FLOORS = {
    "precision": 0.78,
    "recall": 0.90,
    "speaker_accuracy": 0.90,
    "via_accuracy": 0.95,
    "kind_accuracy": 0.95,
}


@pytest.fixture(scope="module")
def report(pipeline):
    root = sample_dir()
    articles = [
        a
        for a in read_articles([root / "wire.jsonl", root / "html", root / "text"])
        if not isinstance(a, Exception)
    ]
    return evaluate_gold(articles, GOLD, pipeline)


def test_every_gold_document_was_analysed(report):
    assert report.documents == 30


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_floor(report, metric):
    assert report.to_dict()[metric] >= FLOORS[metric], report.to_dict()


def test_hedged_sentences_give_no_attribution(report):
    assert report.hedge_violations == 0


def test_hedged_sentences_become_claims_without_speaker(pipeline):
    gold = load_gold(GOLD)
    root = sample_dir()
    articles = {
        a.id: a
        for a in read_articles([root / "wire.jsonl", root / "html", root / "text"])
        if not isinstance(a, Exception)
    }
    checked = 0
    for doc_id, sentences in gold["_hedged"].items():
        if not sentences or doc_id not in articles:
            continue
        record = pipeline.analyze_one(articles[doc_id])
        text = record.article.text
        for sentence in sentences:
            start = text.find(sentence[:40])
            if start < 0:
                continue
            claims = [c for c in record.claims if start <= c.content[0] < start + len(sentence)]
            assert claims, f"{doc_id}: no claim for {sentence!r}"
            assert all(c.speaker is None and c.source is None for c in claims)
            checked += 1
    assert checked >= 20


def test_eval_attribution_reports_speaker_accuracy_on_the_sample():
    import json

    from click.testing import CliRunner

    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["eval", "attribution", "--sample", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 30
    assert figures["speaker_accuracy"] >= FLOORS["speaker_accuracy"]
    table = CliRunner().invoke(main, ["eval", "attribution", "--sample"])
    assert "speaker accuracy" in table.stdout
