"""Language first (issue 17): articles not in English are translated before the English stages or kept
unanalysed; records, the store and the command line carry the language and the translation's provenance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.schema import Article, Record
from newsgraph.store import Store
from newsgraph.translate.apertium import Apertium

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("apertium") is None or "es" not in Apertium().languages(),
        reason="Apertium with its Spanish-English pair is not installed (make setup installs it)",
    ),
]

SPANISH = (
    "El líder norcoreano Kim Jong-un dijo el martes que su país no cederá ante las sanciones, según la "
    "agencia Xinhua.\n\n«Estamos preparados para dialogar», dijo el señor Kim a los periodistas en Pyongyang."
)
# A page of a Chinese and of an Arabic news story (written for these tests): their languages have no engine.
CHINESE = (
    "中国外交部发言人周三表示，北京希望有关各方保持冷静，通过对话解决分歧。"
    "发言人还说，中方愿意继续发挥建设性作用。"
)
ARABIC = (
    "قال المتحدث باسم وزارة الخارجية يوم الأربعاء إن الحكومة تدعو جميع الأطراف إلى ضبط النفس والعودة إلى "
    "طاولة المفاوضات في أقرب وقت ممكن."
)


FIXTURES = Path(__file__).parent / "fixtures" / "translate"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def spanish_record(pipeline) -> Record:  # type: ignore[no-untyped-def]
    return pipeline.analyze_one(Article(text=SPANISH, id="kim", published="2026-03-10", language="es"))


def test_a_spanish_article_is_analysed_in_english_and_keeps_its_original(spanish_record: Record) -> None:
    article = spanish_record.article
    assert article.language == "es"
    assert article.translation is not None and article.translation.original_text == SPANISH
    assert article.text.startswith("North Korean leader Kim Jong-un said on Tuesday")
    speakers = {(a.speaker_name, tuple(v.name for v in a.via)) for a in spanish_record.attributions}
    assert ("Kim Jong-un", ()) in speakers
    assert all(s[0] != "North Korean" for s in speakers)  # the demonym is translated, not a speaker


def test_every_reported_span_is_on_the_translation_and_points_to_its_original_sentence(
    spanish_record: Record,
) -> None:
    data = spanish_record.to_dict()
    assert data["attributions"] and data["places"]
    for key in ("attributions", "places", "times", "events"):
        for item in data[key]:
            start, end = item["original"]
            sentence = SPANISH[start:end]
            assert sentence.strip() and sentence in SPANISH
    told = next(a for a in data["attributions"] if a["kind"] == "direct")
    start, end = told["original"]
    assert SPANISH[start:end].startswith("«Estamos preparados")
    for span in spanish_record.spans():
        assert 0 <= span[0] <= span[1] <= len(data["text"])
    assert Record.from_dict(data).to_dict() == data


def test_analyze_detects_the_language_and_no_translate_leaves_the_article_unanalysed(tmp_path: Path) -> None:
    story = tmp_path / "nota.txt"
    story.write_text(SPANISH, encoding="utf-8")
    code, stdout, _ = run("analyze", story, "--published", "2026-03-10")
    assert code == 0
    record = json.loads(stdout)
    assert record["language"] == "es" and record["translation"]["engine"] == "apertium"
    assert record["translation"]["unknown_words"] == 0
    assert any(a["speaker_name"] == "Kim Jong-un" for a in record["attributions"])
    code, stdout, _ = run("analyze", story, "--no-translate")
    record = json.loads(stdout)
    assert code == 0 and record["language"] == "es" and record["translation"] is None
    assert record["text"] == SPANISH
    assert record["attributions"] == [] and record["entities"] == [] and record["places"] == []


def test_a_bad_language_code_is_refused_by_name() -> None:
    code, _, stderr = run("analyze", "x.txt", "--language", "español")
    assert code == 2 and "'español' is not an ISO 639 language code" in stderr


def test_chinese_and_arabic_pages_are_stored_with_their_language_and_nothing_invented(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "zh.txt").write_text(CHINESE, encoding="utf-8")
    (inputs / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (inputs / "es.txt").write_text(SPANISH, encoding="utf-8")
    for page in ("zh.html", "ar.html"):  # pages written for these tests, with a header, footer and title
        (inputs / f"page-{page}").write_bytes((FIXTURES / page).read_bytes())
    db = tmp_path / "news.db"
    code, _, stderr = run("ingest", inputs, "--db", db)
    assert code == 0, stderr
    with Store(db) as store:
        by_id = {r.article.id: r for r in store.iter_records()}
        assert by_id["zh"].article.language == "zh" and by_id["ar"].article.language == "ar"
        assert by_id["page-zh"].article.language == "zh" and by_id["page-ar"].article.language == "ar"
        assert "外交部发言人" in by_id["page-zh"].article.text
        for key in ("zh", "ar", "page-zh", "page-ar"):
            record = by_id[key]
            assert record.article.translation is None and not record.article.analysed
            assert not (record.entities or record.attributions or record.places or record.events)
        assert by_id["es"].article.translation is not None
        assert [h.id for h in store.search("sanciones")] == ["es"]
        assert [h.id for h in store.search("sanctions")] == ["es"]
    code, stdout, _ = run("stats", "--db", db, "--json")
    languages = {row["language"]: row for row in json.loads(stdout)["languages"]}
    assert languages["zh"]["not_analysed"] == 2 and languages["ar"]["not_analysed"] == 2
    assert languages["es"]["translated"] == 1 and languages["es"]["engines"] == "apertium"
    code, _, stderr = run("ingest", inputs, "--db", db)
    assert code == 0 and "0 stored, 5 already in the store" in stderr  # the original's key, not the English


def test_translated_and_english_records_export_to_one_parquet_table(spanish_record: Record, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pyarrow.parquet as pq

    from newsgraph.export import write_parquet

    english = Record(article=Article(text="NHK said the talks ended.", id="en"))
    path = tmp_path / "records.parquet"
    assert write_parquet([english, spanish_record], path) == 2
    rows = pq.read_table(path).to_pylist()
    assert json.loads(rows[0]["translation"]) is None
    assert json.loads(rows[1]["translation"])["original_text"] == SPANISH
