"""Writing systems: how long a text is in words whatever its script, and where its sentences end.

Chinese and Japanese write no spaces between words, and Thai, Lao, Khmer and Burmese put a space only
between phrases or sentences, so counting space-separated words makes an 800-character Chinese article
one "word" long. :func:`count_words` counts the characters of those scripts instead, in word-sized units
(:data:`CHARS_PER_WORD`), and space-separated words everywhere else (Latin, Cyrillic, Greek, Arabic,
Hebrew, Devanagari and Hangul all put spaces between words), so one threshold in words holds for every
page.

Chinese and Japanese end sentences with their own marks (``。！？``), written without a space after them;
:data:`SENTENCE_END` finds them, so that the pipeline can split tokens and sentences there.
"""

from __future__ import annotations

import re

# Characters per word in running text of each script written without spaces between words: Chinese
# words average 1.5 to 2 characters and Japanese ones (kanji with their kana endings) about 2; Thai,
# Lao, Khmer and Burmese words average 4 to 5 characters counting vowel and tone marks. The lower
# ends are taken, so that a short Chinese brief (a 40-character sentence is about 20 words) counts as
# at least as long as its English translation would.
CHARS_PER_WORD: dict[str, float] = {"cjk": 2.0, "southeast_asian": 4.0}

_SCRIPTS: dict[str, str] = {
    # Han (unified ideographs, extension A, compatibility, extension B and beyond), kana (hiragana,
    # katakana, phonetic extensions, half-width katakana), and the ideographic iteration mark.
    "cjk": (
        "\u3005\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
        "\U00020000-\U0003134f"
    ),
    # Thai, Lao, Tibetan, Myanmar, Khmer
    "southeast_asian": "\u0e00-\u0e7f\u0e80-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff",
}
_UNSPACED = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _SCRIPTS.items()))
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# Marks that end a sentence in Chinese and Japanese (full-width and half-width full stop, exclamation
# and question marks), with any closing quote or bracket that follows them inside the same sentence.
SENTENCE_MARKS = "。！？｡"
CLOSERS = "」』）】〉》”’\"')"
SENTENCE_END = re.compile(f"[{SENTENCE_MARKS}]+[{re.escape(CLOSERS)}]*")
# Every mark that ends a sentence: the Latin ones, the Arabic question mark, the Urdu full stop, the
# Devanagari danda, and the Chinese and Japanese ones.
ALL_SENTENCE_MARKS = frozenset(".!?…؟۔।" + SENTENCE_MARKS)
# A letter of another script than Latin (and its extensions for European languages).
NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# A space between two letters of a script that uses spaces only between phrases and sentences (Thai,
# Lao, Khmer, Burmese) is where a sentence may end.
PHRASE_SPACE = re.compile(f"(?<=[{_SCRIPTS['southeast_asian']}]) +(?=[{_SCRIPTS['southeast_asian']}])")


def count_words(text: str) -> int:
    """Return the length of ``text`` in words, whatever script it is written in.

    Space-separated words are counted as such; runs of Chinese, Japanese, Thai, Lao, Khmer or Burmese
    characters count :data:`CHARS_PER_WORD` characters to a word (rounded to the nearest whole word for
    the text as a whole), and the punctuation between them (``、``, ``。``) counts for nothing.

    Example:
        >>> count_words("The minister left Tokyo.")
        4
        >>> count_words("外相は２日、東京を出発した。")  # 14 characters
        7
    """
    if not _UNSPACED.search(text):
        return len(text.split())
    unspaced = 0.0
    pieces: list[str] = []
    last = 0
    for match in _UNSPACED.finditer(text):
        script = match.lastgroup or "cjk"
        unspaced += (match.end() - match.start()) / CHARS_PER_WORD[script]
        pieces.append(text[last : match.start()])
        last = match.end()
    pieces.append(text[last:])
    # what is left between the runs: words of other scripts, digits, and punctuation, which is no word
    spaced = sum(1 for word in " ".join(pieces).split() if _LETTER_OR_DIGIT.search(word))
    return spaced + round(unspaced)
