"""``eval extraction`` and ``eval dates``: the benchmarks' metrics, on folders made here and on real sets."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaldata import eval_data
from newsgraph.cli import main
from newsgraph.errors import EvalError
from newsgraph.evaluation.dates import evaluate_dates
from newsgraph.evaluation.extraction import evaluate_extraction, page_counts, shingles, summarise

ARTICLE = (
    "<p>The regional water board approved a new reservoir on the Alder river on Thursday after a two-year "
    "review of its cost and of the farmland it will flood.</p>"
    '<p>"We need the storage before the next dry summer," board chair Ines Duarte said after the vote, '
    "adding that the farmers affected would be paid before work begins.</p>"
    "<p>Construction is due to start in the autumn and take about four years, the board said.</p>"
)
GOLD = (
    "The regional water board approved a new reservoir on the Alder river on Thursday after a two-year "
    'review of its cost and of the farmland it will flood.\n"We need the storage before the next dry '
    'summer," board chair Ines Duarte said after the vote, adding that the farmers affected would be paid '
    "before work begins.\nConstruction is due to start in the autumn and take about four years, the board "
    "said."
)


# --- the shingle metric --------------------------------------------------------------------------


def test_shingles_are_four_word_runs_of_word_characters() -> None:
    assert shingles("One, two; three four five!") == {
        ("One", "two", "three", "four"): 1,
        ("two", "three", "four", "five"): 1,
    }
    assert shingles("Two words") == {("Two", "words"): 1}
    assert shingles("") == {}


def test_page_counts_are_normalised_per_page() -> None:
    assert page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts("a b c d e f", "a b c d x y")
    assert (tp, fp, fn) == pytest.approx((1 / 5, 2 / 5, 2 / 5))
    assert page_counts("a b c d", "") == (0.0, 0.0, 1.0)
    assert page_counts("", "") == (0.0, 0.0, 0.0)


def test_precision_skips_pages_with_no_prediction_and_f1_is_of_the_averages() -> None:
    perfect = page_counts("a b c d e", "a b c d e")
    half = page_counts("a b c d e f g", "a b c d e x y")  # 2 shared of 4 predicted and 4 gold
    missing = page_counts("a b c d e", "")
    score = summarise([perfect, half, missing], samples=0)
    assert score.precision == pytest.approx((1 + 0.5) / 2)  # the empty prediction has no precision
    assert score.recall == pytest.approx((1 + 0.5 + 0) / 3)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_bootstrap_intervals_repeat_with_the_seed() -> None:
    counts = [page_counts("a b c d e f", "a b c d e"), page_counts("a b c d e", "x b c d e"), (1.0, 0.0, 0.0)]
    assert summarise(counts) == summarise(counts)
    assert summarise(counts).f1_ci > 0


# --- on folders made here ------------------------------------------------------------------------


def scrapinghub_folder(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    nav = "<nav><a href='/'>Home</a></nav>"
    page = f"<html><body>{nav}<article><h1>Reservoir</h1>{ARTICLE}</article></body></html>"
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    (root / "ground-truth.json").write_text(
        json.dumps({"p1": {"articleBody": GOLD, "url": "https://x.example/p1"}})
    )
    return root


DATED = 'content="2024-03-14T09:00:00+01:00"'


def htmldate_folder(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    dated = f'<meta property="article:published_time" {DATED}>'
    pages = {
        "https://x.example/a": ("a.html", "2024-03-14", dated, ARTICLE),
        "https://x.example/b": ("b.html", "2021-05-02", "", ARTICLE),
        # a dated page without article text: htmldate dates it, newsgraph makes no record of it
        "https://x.example/c": ("c.html", "2024-03-14", dated, "<nav><a href='/'>Home</a></nav>"),
    }  # fmt: skip
    gold = {}
    for url, (name, day, head, body) in pages.items():
        html = f"<html><head>{head}</head><body><article><h1>Reservoir</h1>{body}</article></body></html>"
        (root / "html" / f"{name}.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        gold[url] = {"file": name, "date": day}
    (root / "gold.json").write_text(json.dumps(gold))
    return root


def test_extraction_report_puts_both_systems_side_by_side(tmp_path: Path) -> None:
    report = evaluate_extraction(scrapinghub_folder(tmp_path / "sh"))
    assert [s.name for s in report.systems] == ["newsgraph", "trafilatura"]
    newsgraph = report.systems[0]
    assert newsgraph.score.f1 == pytest.approx(1.0)
    assert newsgraph.pages["p1"] == (1.0, 0.0, 0.0)


def test_dates_report_counts_right_wrong_and_missing(tmp_path: Path) -> None:
    report = evaluate_dates(htmldate_folder(tmp_path / "hd"))
    assert [s.name for s in report.systems] == ["newsgraph", "htmldate extensive", "htmldate fast"]
    newsgraph, extensive, _ = report.systems
    assert (newsgraph.correct, newsgraph.wrong, newsgraph.missing) == (1, 0, 2)
    assert newsgraph.accuracy == pytest.approx(1 / 3)
    assert newsgraph.answers == {
        "https://x.example/a": "2024-03-14",
        "https://x.example/b": None,
        "https://x.example/c": None,  # no article text, no record: a miss, as for a user
    }
    assert extensive.answers["https://x.example/c"] == "2024-03-14"
    # halves by sorted file name: a.html and c.html even, b.html odd
    assert [page.half for page in report.pages] == ["even", "odd", "even"]
    assert newsgraph.half_accuracy("even") == 0.5 and newsgraph.half_accuracy("odd") == 0.0
    assert extensive.half_accuracy("even") == 1.0


def test_dates_page_by_page_and_one_half(tmp_path: Path) -> None:
    from rich.console import Console

    folder = htmldate_folder(tmp_path / "hd")
    report = evaluate_dates(folder, systems=("newsgraph", "htmldate extensive"))
    console = Console(width=200, record=True)
    console.print(report.page_table())
    rows = console.export_text()
    assert "c.html" in rows and "– none" in rows and "✓ 2024-03-14" in rows
    console.print(report.page_table(only_differences=True))
    differing = console.export_text()
    assert "c.html" in differing and "a.html" not in differing
    odd = evaluate_dates(folder, systems=("newsgraph",), half="odd")
    assert [page.name for page in odd.pages] == ["b.html"]
    with pytest.raises(EvalError, match="unknown half"):
        evaluate_dates(folder, half="third")


def test_missing_or_malformed_folders_say_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match=r"ground-truth\.json"):
        evaluate_extraction(tmp_path)
    with pytest.raises(EvalError, match=r"gold\.json"):
        evaluate_dates(tmp_path)
    (tmp_path / "gold.json").write_text("[1, 2]")
    with pytest.raises(EvalError, match="expected an object"):
        evaluate_dates(tmp_path)
    with pytest.raises(EvalError, match="unknown system"):
        evaluate_extraction(scrapinghub_folder(tmp_path / "sh"), systems=["boilerpipe"])


def test_cli_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["eval", "extraction", "--scrapinghub", str(scrapinghub_folder(tmp_path / "sh"))]
    )
    assert result.exit_code == 0, result.output
    assert "newsgraph" in result.output and "trafilatura" in result.output
    result = runner.invoke(
        main, ["eval", "dates", "--htmldate", str(htmldate_folder(tmp_path / "hd")), "--json"]
    )
    assert result.exit_code == 0, result.output
    systems = json.loads(result.output)["systems"]
    assert systems[0]["accuracy"] == pytest.approx(1 / 3)
    assert systems[0]["halves"]["even"] == {"accuracy": 0.5, "correct": 1, "pages": 2}
    folder = str(htmldate_folder(tmp_path / "hd2"))
    result = runner.invoke(main, ["eval", "dates", "--htmldate", folder, "--pages", "differ"])
    assert result.exit_code == 0, result.output
    assert "page by page" in result.output and "c.html" in result.output and "even half" in result.output
    result = runner.invoke(main, ["eval", "dates", "--htmldate", str(tmp_path)])
    assert result.exit_code == 1 and "Error:" in result.output and "gold.json" in result.output
    for command in ("extraction", "dates"):
        assert "Examples:" in runner.invoke(main, ["eval", command, "--help"]).output


# --- on the shared evaluation sets ---------------------------------------------------------------


def test_scrapinghub_first_pages_newsgraph_at_least_trafilatura() -> None:
    report = evaluate_extraction(eval_data("scrapinghub"), limit=30)
    newsgraph, trafilatura = report.systems
    assert report.pages == 30
    assert newsgraph.score.f1 >= trafilatura.score.f1
    assert newsgraph.score.f1 > 0.9


def test_htmldate_first_pages_newsgraph_at_least_htmldate_extensive() -> None:
    report = evaluate_dates(eval_data("htmldate-dev"), systems=("newsgraph", "htmldate extensive"), limit=150)
    newsgraph, extensive = report.systems
    assert newsgraph.pages == 150
    assert newsgraph.accuracy >= extensive.accuracy
    assert newsgraph.accuracy > 0.85
