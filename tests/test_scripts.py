"""Pages in every script: Chinese, Japanese, Korean, Thai and Arabic news pages are read as articles.

The fixture pages under ``fixtures/sources/scripts`` are invented articles in ordinary news templates
(navigation, share and related-link boxes, a footer), written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.scripts import count_words
from newsgraph.sources import read_articles
from newsgraph.sources.cleanup import split_dateline
from newsgraph.sources.html import read_html

PAGES = Path(__file__).parent / "fixtures" / "sources" / "scripts"


def read_page(name: str) -> Article:
    path = PAGES / name
    return read_html(path, path.read_bytes())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The minister left Tokyo on Wednesday.", 6),
        ("外相は２日、東京を出発した。", 7),  # 11 kanji and kana make 5.5 words, and "２" is one
        ("海港市新建的北岸客运码头于14日上午正式启用", 11),  # 20 hanzi, and "14"
        ("กรุงเทพมหานครเปิดเผยเมื่อวันพฤหัสบดีว่า", 10),  # 39 Thai characters
        ("철도노조 파업 사흘째 이어져", 4),  # Korean puts spaces between words
        ("قال وزير المياه إن المحطة ستفتتح غدا", 7),
        ("", 0),
    ],
)
def test_words_are_counted_whatever_the_script(text: str, words: int) -> None:
    assert count_words(text) == words


# page, language, first words of the text, day published, page furniture that must not be in the text
SCRIPT_PAGES = [
    ("zh-harbour-ferry-pier.html", "zh", "海港市新建的北岸客运码头于14日上午正式启用", "2024-03-14",
     ["相关新闻", "分享到", "版权所有", "首页"]),
    ("ja-typhoon-ferries.html", "ja", "大型の台風５号の接近に伴い", "2024-03-14",
     ["アクセスランキング", "無断転載", "トップ"]),
    ("ko-rail-strike.html", "ko", "전국철도노동조합의 파업이 사흘째", "2024-03-14",
     ["많이 본 뉴스", "무단전재", "정치"]),
    ("th-bangkok-flood-pumps.html", "th", "กรุงเทพมหานครเปิดเผยเมื่อวันพฤหัสบดีว่า", "2024-03-14",
     ["หน้าแรก", "กีฬา"]),
    ("ar-desalination-plant.html", "ar", "افتتحت الحكومة يوم الخميس محطة جديدة", "2024-03-14",
     ["اقرأ أيضا", "الرئيسية", "جميع الحقوق"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "language", "start", "day", "furniture"), SCRIPT_PAGES)
def test_pages_in_other_scripts_are_articles(
    name: str, language: str, start: str, day: str, furniture: list[str]
) -> None:
    article = read_page(name)
    assert article.text.startswith(start)
    assert article.language == language
    assert article.published is not None and article.published[:10] == day
    for line in furniture:
        assert line not in article.text, line
    # every paragraph of the article is kept, one per blank-line-separated block
    assert article.text.count("\n\n") + 1 == (4 if language == "zh" else 3)


def test_japanese_page_without_lang_attribute_is_detected_from_its_text() -> None:
    article = read_page("ja-typhoon-ferries.html")
    assert "declared_language" not in article.metadata
    assert article.language == "ja"
    assert article.outlet == "南海新報"


def test_a_menu_in_chinese_is_still_not_an_article(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    names = ["首页", "本市新闻", "国内"]
    links = "".join(f'<li><a href="/{i}">{name}</a></li>' for i, name in enumerate(names))
    page.write_text(f'<html lang="zh"><body><ul>{links}</ul><p>海港日报</p></body></html>', encoding="utf-8")
    with pytest.raises(InputError, match="no article text found"):
        read_html(page, page.read_bytes())


def test_every_script_page_gives_a_record_with_its_language(pipeline) -> None:
    articles = list(read_articles([PAGES]))
    assert all(isinstance(a, Article) for a in articles), articles
    records = list(pipeline.analyze(articles))
    assert sorted(r.article.language for r in records) == ["ar", "ja", "ko", "th", "zh"]
    for record in records:
        assert record.article.text and record.article.published


@pytest.mark.parametrize(
    ("name", "sentences"),
    [
        ("ja-typhoon-ferries.html", 6),  # ends at 。, not at the 。 a quotation closes (「…です。」と話した)
        ("zh-harbour-ferry-pier.html", 7),
        ("th-bangkok-flood-pumps.html", 7),  # a space between Thai letters ends a phrase or sentence
        ("ko-rail-strike.html", 5),  # only after a full stop, wherever the parser would cut
        ("ar-desalination-plant.html", 3),
    ],
)
def test_sentences_end_where_the_script_ends_them(nlp, name: str, sentences: int) -> None:
    doc = nlp(read_page(name).text)
    found = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert len(found) == sentences, found
    if not name.startswith("th"):  # Thai writes no sentence marks
        assert all(sentence[-1] in ".。！？" for sentence in found), found


def test_english_tokens_are_unchanged_by_the_sentence_marks(nlp) -> None:
    text = "Mr. Kim said U.S. talks ended--again? Prices rose 3.5% in the left-wing's (old) town."
    plain = spacy.blank("en")
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in plain.make_doc(text)]
    assert [t.text for t in nlp.make_doc("首相は述べた。外相も")] == ["首相は述べた", "。", "外相も"]


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("新华社北京3月14日电（记者 王丽华）国务院今天召开会议。", "新华社北京3月14日电（记者 王丽华）",
         "国务院今天召开会议。"),
        ("【ワシントン共同】米政府は１４日、発表した。", "【ワシントン共同】", "米政府は１４日、発表した。"),
        ("(서울=한빛통신) 김민준 기자 = 철도노조 파업이 이어졌다.", "(서울=한빛통신) 김민준 기자 =",
         "철도노조 파업이 이어졌다."),
        ("据了解，北岸码头工程于2021年动工。", None, "据了解，北岸码头工程于2021年动工。"),
        ("3月14日电视台报道了会议。", None, "3月14日电视台报道了会议。"),  # 电视台 is "television station"
    ],
)  # fmt: skip
def test_east_asian_wire_datelines(paragraph: str, dateline: str | None, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, rest)
