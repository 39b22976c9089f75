"""PolNeAR attribution scoring: brat reading and per-role figures on small hand-made splits."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from newsgraph.errors import EvalError
from newsgraph.evaluation.polnear import (
    AttributionReport,
    GoldArticle,
    load_polnear,
    parse_brat,
    score_attributions,
)
from newsgraph.schema import Attribution

REPO_ROOT = Path(__file__).resolve().parents[1]
POLNEAR_DEV = REPO_ROOT.parent / "shared" / "eval" / "polnear" / "dev"

BRIDGE = (
    "Mayor Lena Ortiz said the bridge will reopen in May after two years of repairs.\n\n"
    'Traffic has doubled on the old ferry route. "We are ready for the crowds," she told reporters.'
)


def at(text: str, phrase: str) -> tuple[int, int]:
    """Offsets of the first occurrence of ``phrase``."""
    start = text.index(phrase)
    return (start, start + len(phrase))


def brat_span(tid: str, label: str, *spans: tuple[int, int], text: str) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def write_split(root: Path, articles: dict[str, tuple[str, list[str]]], annotator: str = "a1") -> Path:
    """Write a split folder: text/<stem>.txt and attributions/<stem>_<annotator>.ann."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, (text, lines) in articles.items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
        (root / "attributions" / f"{stem}_{annotator}.ann").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return root


def bridge_gold_lines() -> list[str]:
    t = BRIDGE
    return [
        brat_span("T1", "Source", at(t, "Mayor Lena Ortiz"), text=t),
        brat_span("T2", "Cue", at(t, "said"), text=t),
        brat_span("T3", "Content", at(t, "the bridge will reopen in May after two years of repairs"), text=t),
        brat_span("T4", "Attribution", at(t, "said"), text=t),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        # The gold content of a direct quote includes its quote marks, as in PolNeAR.
        brat_span("T5", "Content", at(t, '"We are ready for the crowds,"'), text=t),
        brat_span("T6", "Source", at(t, "she"), text=t),
        brat_span("T7", "Cue", at(t, "told"), text=t),
        brat_span("T8", "Attribution", at(t, "told"), text=t),
        "E2\tAttribution:T8 Content:T5 Source:T6 Cue:T7",
    ]


def bridge_gold(tmp_path: Path) -> GoldArticle:
    write_split(tmp_path / "dev", {"bridge": (BRIDGE, bridge_gold_lines())})
    [gold] = load_polnear(tmp_path / "dev")
    return gold


def figures(report: AttributionReport, role: str, subset: str = "all", metric: str = "exact") -> tuple:
    score = getattr(report.scores[subset][role], metric)
    return (score.tp, score.predicted, score.gold, round(score.precision, 4), round(score.recall, 4))


def test_load_reads_text_exactly_and_all_roles(tmp_path: Path) -> None:
    gold = bridge_gold(tmp_path)
    assert gold.id == "bridge"
    assert gold.text == BRIDGE
    assert gold.annotator == "a1"
    assert [a.id for a in gold.attributions] == ["E1", "E2"]
    first = gold.attributions[0]
    assert gold.text[slice(*first.extent("source"))] == "Mayor Lena Ortiz"
    assert gold.text[slice(*first.extent("cue"))] == "said"
    assert gold.article.text == BRIDGE
    assert gold.article.id == "bridge"
    assert gold.article.published is None


def test_exact_match_of_every_role_scores_one(tmp_path: Path) -> None:
    gold = bridge_gold(tmp_path)
    t = BRIDGE
    predicted = [
        Attribution(
            content=at(t, "the bridge will reopen in May after two years of repairs"),
            source=at(t, "Mayor Lena Ortiz"),
            cue=at(t, "said"),
        ),
        Attribution(content=at(t, '"We are ready for the crowds,"'), source=at(t, "she"), cue=at(t, "told")),
    ]
    report = score_attributions([(gold, predicted)])
    for role in ("content", "source", "cue", "relation"):
        assert figures(report, role) == (2, 2, 2, 1.0, 1.0)
        assert figures(report, role, metric="strict") == (2, 2, 2, 1.0, 1.0)
    assert report.scores["all"]["content"].token.f1 == 1.0
    assert (report.gold_attributions, report.predicted_attributions) == (2, 2)


def test_quote_marks_are_trimmed_for_exact_but_not_strict(tmp_path: Path) -> None:
    gold = bridge_gold(tmp_path)
    t = BRIDGE
    predicted = [
        Attribution(
            content=at(t, "the bridge will reopen in May after two years of repairs"),
            source=at(t, "Mayor Lena Ortiz"),
            cue=at(t, "said"),
        ),
        # Content without its quote marks and trailing comma, the way newsgraph reports a direct quote;
        # the cue takes one word too many.
        Attribution(
            content=at(t, "We are ready for the crowds"), source=at(t, "she"), cue=at(t, "told reporters")
        ),
    ]
    report = score_attributions([(gold, predicted)])
    assert figures(report, "content") == (2, 2, 2, 1.0, 1.0)
    assert figures(report, "content", metric="strict") == (1, 2, 2, 0.5, 0.5)
    assert figures(report, "cue") == (1, 2, 2, 0.5, 0.5)
    assert figures(report, "relation") == (1, 2, 2, 0.5, 0.5)
    # Cue tokens: gold {said, told}; predicted {said, told, reporters}.
    assert figures(report, "cue", metric="token") == (2, 3, 2, 0.6667, 1.0)
    # Only the second attribution is a quote, on both sides.
    assert (report.quoted_gold, report.quoted_predicted) == (1, 1)
    assert figures(report, "content", subset="quoted") == (1, 1, 1, 1.0, 1.0)
    assert figures(report, "cue", subset="quoted") == (0, 1, 1, 0.0, 0.0)
    assert figures(report, "source", subset="quoted") == (1, 1, 1, 1.0, 1.0)


def test_partial_content_overlap_scores_tokens_not_exact(tmp_path: Path) -> None:
    gold = bridge_gold(tmp_path)
    t = BRIDGE
    predicted = [
        Attribution(content=at(t, "will reopen in May"), source=at(t, "Mayor Lena Ortiz"), cue=at(t, "said")),
    ]
    report = score_attributions([(gold, predicted)])
    # Gold contents: 11 tokens (the … repairs) + 6 tokens (We … crowds); predicted: 4 tokens, all gold.
    assert figures(report, "content") == (0, 1, 2, 0.0, 0.0)
    assert figures(report, "content", metric="token") == (4, 4, 17, 1.0, round(4 / 17, 4))
    token = report.scores["all"]["content"].token
    assert token.f1 == pytest.approx(2 * (4 / 17) / (1 + 4 / 17))
    assert figures(report, "source") == (1, 1, 2, 1.0, 0.5)
    assert report.scores["all"]["source"].exact.f1 == pytest.approx(2 / 3)


def test_discontinuous_gold_is_matched_through_its_extent(tmp_path: Path) -> None:
    t = "“The plan,” Ortiz said, “is already late.”"
    first, second = at(t, "“The plan,”"), at(t, "“is already late.”")
    lines = [
        brat_span("T1", "Content", first, second, text=t),
        brat_span("T2", "Source", at(t, "Ortiz"), text=t),
        brat_span("T3", "Cue", at(t, "said"), text=t),
        "E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3",
    ]
    write_split(tmp_path / "dev", {"plan": (t, lines)})
    [gold] = load_polnear(tmp_path / "dev")
    assert gold.attributions[0].content == (first, second)
    predicted = [Attribution(content=(1, len(t) - 1), source=at(t, "Ortiz"), cue=at(t, "said"))]
    report = score_attributions([(gold, predicted)])
    assert figures(report, "content") == (1, 1, 1, 1.0, 1.0)
    assert figures(report, "content", metric="strict") == (0, 1, 1, 0.0, 0.0)
    # Gold tokens: The plan is already late; predicted adds Ortiz said from the gap between fragments.
    assert figures(report, "content", metric="token") == (5, 7, 5, round(5 / 7, 4), 1.0)
    assert figures(report, "relation") == (1, 1, 1, 1.0, 1.0)


def test_missing_roles_count_only_where_annotated(tmp_path: Path) -> None:
    t = "Officials expect delays. The work is said to be behind schedule."
    lines = [
        brat_span("T1", "Content", at(t, "delays"), text=t),
        brat_span("T2", "Cue", at(t, "expect"), text=t),
        brat_span("T3", "Source", at(t, "Officials"), text=t),
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3",
        brat_span("T4", "Content", at(t, "The work"), at(t, "to be behind schedule"), text=t),
        brat_span("T5", "Cue", at(t, "is said"), text=t),
        brat_span("T6", "Attribution-no-source", at(t, "is said"), text=t),
        "E2\tAttribution-no-source:T6 Content:T4 Cue:T5",
        # An event with no roles at all, as a few annotators left: counted, never matchable.
        "E3\tAttribution-no-source:T6 ",
    ]
    write_split(tmp_path / "dev", {"delays": (t, lines)})
    [gold] = load_polnear(tmp_path / "dev")
    assert [a.source == () for a in gold.attributions] == [False, True, True]
    predicted = [
        # Source right, cue missing.
        Attribution(content=at(t, "delays"), source=at(t, "Officials")),
        # A source where gold has none.
        Attribution(
            content=(at(t, "The work")[0], len(t) - 1), source=at(t, "Officials"), cue=at(t, "is said")
        ),
    ]
    report = score_attributions([(gold, predicted)])
    assert report.gold_attributions == 3
    assert figures(report, "content") == (2, 2, 2, 1.0, 1.0)
    assert figures(report, "source") == (1, 2, 1, 0.5, 1.0)
    assert figures(report, "cue") == (1, 1, 2, 1.0, 0.5)
    # Neither relation matches: the first lacks its cue, the second has a source gold does not.
    assert figures(report, "relation") == (0, 2, 3, 0.0, 0.0)


def test_numbered_roles_add_fragments() -> None:
    text = "Aides said the rally was moved and the speech shortened."
    ann = "\n".join(
        [
            "T1\tContent 11 30\tthe rally was moved",
            "T2\tContent 35 55\tthe speech shortened",
            "T3\tCue 6 10\tsaid",
            "E1\tAttribution:T3 Cue:T3 Content:T1 Content2:T2",
        ]
    )
    [attribution] = parse_brat(ann, text)
    assert attribution.content == ((11, 30), (35, 55))
    assert attribution.extent("content") == (11, 55)
    assert attribution.source == ()


def test_first_annotator_in_sorted_order_is_used(tmp_path: Path) -> None:
    t = "Aides said the rally was moved."
    root = write_split(
        tmp_path / "dev", {"rally": (t, ["T1\tCue 6 10\tsaid", "E1\tAttribution:T1 Cue:T1"])}, "b2"
    )
    (root / "attributions" / "rally_a9.ann").write_text("", encoding="utf-8")
    [gold] = load_polnear(root)
    assert gold.annotator == "a9"
    assert gold.attributions == []


def test_publication_date_comes_from_metadata_in_the_parent(tmp_path: Path) -> None:
    write_split(tmp_path / "dev", {"bridge": (BRIDGE, bridge_gold_lines())})
    (tmp_path / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ttitle\n"
        'dev\tbridge\t2024-05-02\tA "quoted" headline\n'
        "dev\tother\tNone\tNo date\n",
        encoding="utf-8",
    )
    [gold] = load_polnear(tmp_path / "dev")
    assert gold.published == "2024-05-02"
    assert gold.article.published == "2024-05-02"


def test_crlf_text_keeps_offsets(tmp_path: Path) -> None:
    t = "Headline\r\nAides said the rally was moved."
    lines = [brat_span("T1", "Cue", at(t, "said"), text=t), "E1\tAttribution:T1 Cue:T1"]
    write_split(tmp_path / "dev", {"rally": (t, lines)})
    [gold] = load_polnear(tmp_path / "dev")
    assert gold.text[slice(*gold.attributions[0].extent("cue"))] == "said"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda root: None, "PolNeAR split not found"),
        (lambda root: (root / "text").mkdir(parents=True), "no attributions/ folder"),
        (
            lambda root: [(root / "text").mkdir(parents=True), (root / "attributions").mkdir()],
            "no .txt files",
        ),
    ],
)
def test_missing_layout_is_reported(tmp_path: Path, setup, message: str) -> None:
    root = tmp_path / "dev"
    setup(root)
    with pytest.raises(EvalError, match=message):
        load_polnear(root)


def test_text_without_annotations_is_reported(tmp_path: Path) -> None:
    root = write_split(tmp_path / "dev", {"bridge": (BRIDGE, bridge_gold_lines())})
    (root / "text" / "lonely.txt").write_text("Nothing here.", encoding="utf-8")
    with pytest.raises(EvalError, match=r"no annotation file for 1 of 2 articles, first lonely"):
        load_polnear(root)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["T1\tCue six ten\tsaid"], r"rally_a1\.ann:1: malformed offsets"),
        (["T1\tCue 6 99\tsaid"], r"rally_a1\.ann:1: span 6-99 of T1 lies outside the text"),
        (["T1\tCue 6 10\tsaid", "E1\tAttribution:T1 Cue:T7"], r"rally_a1\.ann:2: event E1 names T7"),
        (["T1\tCue 6 10\tsaid", "E1\tAttribution:T1 Cue"], r"malformed event argument"),
    ],
)
def test_malformed_annotations_name_file_and_line(tmp_path: Path, lines: list[str], message: str) -> None:
    root = write_split(tmp_path / "dev", {"rally": ("Aides said the rally was moved.", lines)})
    with pytest.raises(EvalError, match=message):
        list(load_polnear(root))


def test_report_table_and_dict_agree(tmp_path: Path) -> None:
    gold = bridge_gold(tmp_path)
    t = BRIDGE
    predicted = [
        Attribution(content=at(t, "will reopen in May"), source=at(t, "Mayor Lena Ortiz"), cue=at(t, "said"))
    ]
    report = score_attributions([(gold, predicted)])
    data = report.to_dict()
    assert data["articles"] == 1
    assert data["scores"]["all"]["source"]["exact"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "tp": 1,
        "predicted": 1,
        "gold": 2,
    }
    assert "token" not in data["scores"]["all"]["relation"]
    console = Console(record=True, width=160)
    console.print(report.table())
    rendered = console.export_text()
    assert "1 articles, 2 gold / 1 predicted" in rendered
    source_row = next(line for line in rendered.splitlines() if "all" in line and "source" in line)
    assert "100.0" in source_row and "50.0" in source_row and "66.7" in source_row


@pytest.mark.slow
@pytest.mark.evaldata
@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="PolNeAR data not found at ../shared/eval/polnear/dev")
def test_polnear_dev_loads_with_every_span_inside_its_text() -> None:
    articles = list(load_polnear(POLNEAR_DEV))
    assert len(articles) == 84
    # 2,320 event lines over all 94 annotation files; one annotator per article leaves 2,193.
    assert 2100 <= sum(len(a.attributions) for a in articles) <= 2320
    assert all(a.published for a in articles)
    for article in articles:
        for attribution in article.attributions:
            for role in ("content", "source", "cue"):
                for start, end in attribution.fragments(role):
                    assert 0 <= start < end <= len(article.text), (article.id, attribution.id, role)


def test_apostrophes_do_not_make_a_quote(tmp_path: Path) -> None:
    t = "Aides said the delay was the contractor’s. ‘Not ours,’ Ortiz said."
    lines = [
        brat_span("T1", "Content", at(t, "the delay was the contractor’s"), text=t),
        brat_span("T2", "Cue", at(t, "said"), text=t),
        "E1\tAttribution:T2 Content:T1 Cue:T2",
        brat_span("T3", "Content", at(t, "‘Not ours,’"), text=t),
        "E2\tAttribution:T3 Content:T3",
    ]
    write_split(tmp_path / "dev", {"delay": (t, lines)})
    [gold] = load_polnear(tmp_path / "dev")
    report = score_attributions([(gold, [])])
    assert (report.quoted_gold, report.quoted_predicted) == (1, 0)
    assert report.scores["quoted"]["content"].exact.gold == 1


@pytest.mark.slow
def test_evaluate_attribution_runs_the_pipeline_over_a_split(tmp_path: Path) -> None:
    from newsgraph.evaluation.polnear import evaluate_attribution
    from newsgraph.pipeline import Pipeline

    t = '"We are ready for the crowds," Mayor Lena Ortiz said on Tuesday.'
    lines = [
        brat_span("T1", "Content", at(t, '"We are ready for the crowds,"'), text=t),
        brat_span("T2", "Source", at(t, "Mayor Lena Ortiz"), text=t),
        brat_span("T3", "Cue", at(t, "said"), text=t),
        "E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3",
    ]
    root = write_split(tmp_path / "dev", {"ortiz": (t, lines), "bridge": (BRIDGE, bridge_gold_lines())})
    seen: list[tuple[int, int]] = []
    pipeline = Pipeline()
    report = evaluate_attribution(root, pipeline, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert (report.articles, report.gold_attributions) == (2, 3)
    # A plain direct quote with a named speaker: the content must be found exactly.
    assert report.scores["all"]["content"].exact.tp >= 1
    # File-name order: "bridge" comes first.
    limited = evaluate_attribution(root, pipeline, limit=1)
    assert (limited.articles, limited.gold_attributions) == (1, 2)
