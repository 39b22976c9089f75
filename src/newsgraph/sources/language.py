"""The language of an article's text, detected with lingua (its models ship inside the wheel).

One detector is built per process, on first use, for the languages most of the world's news is written
in (:data:`NEWS_LANGUAGES`). Restricting the set makes detection faster and avoids confusions with
languages no news source in the set uses (Latin, Esperanto, ...).

lingua's *low accuracy mode* is used. Measured here on 39 languages: high accuracy mode loads every
language's full models on first use (9 s and 575 MB of memory per process), low accuracy mode 0.2 s and
40 MB. Low accuracy loses precision only on very short texts (a line or two), and an article has
paragraphs; for text shorter than :data:`MIN_DETECT_CHARS` the page's declared language is used when it
has one.

Most pages never reach lingua: a sample whose words are, in a large share, the function words of English,
German or French (``the``, ``und``, ``dans``...) and hardly those of the other two is in that language
(:func:`function_word_language`). On 972 pages of the htmldate and ScrapingHub evaluation sets (542
German, 356 English, 34 French by lingua) this decides 889, every one as lingua does, in about 20
microseconds against lingua's 1 to 2 milliseconds; the rest (other languages and scripts, short or
mixed samples) go to lingua.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# The languages the detector chooses among: the major languages of news publishing on the web.
NEWS_LANGUAGES: tuple[str, ...] = (
    "ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "CATALAN",
    "SWEDISH", "DANISH", "BOKMAL", "FINNISH", "POLISH", "CZECH", "SLOVAK", "HUNGARIAN", "ROMANIAN",
    "CROATIAN", "SERBIAN", "BULGARIAN", "GREEK", "RUSSIAN", "UKRAINIAN", "TURKISH", "ARABIC",
    "PERSIAN", "HEBREW", "URDU", "HINDI", "BENGALI", "CHINESE", "JAPANESE", "KOREAN", "VIETNAMESE",
    "THAI", "INDONESIAN", "MALAY", "TAGALOG", "SWAHILI",
)  # fmt: skip

# Below this many characters of text the detector's guess is weaker than what the page declares.
MIN_DETECT_CHARS = 40
# Characters of text looked at: two or three sentences say the language as surely as the whole article
# (low accuracy mode is reliable from about 120 characters on), and detection time grows with the length:
# measured here, 0.8 ms for 150 characters, 1.5 ms for 300, 4 ms for 600, 8 ms for 1,200. On 292 pages of
# htmldate's multilingual evaluation set the first 300 characters give the same language as the first
# 3,000 on 288.
SAMPLE_CHARS = 300

DEFAULT_LANGUAGE = "en"
_CODE = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")

# Frequent function words that the other listed languages (and the neighbours most easily confused with
# them: Dutch, the Scandinavian languages, Spanish, Italian, Portuguese, Catalan) do not use as often:
# words shared between them ("in", "an", "a", "de", "la", "en", "es", "die" in Dutch, "at" and "for" in
# Danish, "sa" in Tagalog) are left out, so a text scores high on one list only.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset((
        "the", "of", "and", "to", "that", "is", "was", "on", "with", "as", "by", "from", "his", "he", "it",
        "said", "has", "have", "had", "be", "are", "were", "will", "this", "its", "their", "not", "but",
        "who", "which", "after", "been", "would", "they", "she", "there", "what", "when", "more", "than",
        "about", "also",
    )),
    "de": frozenset((
        "der", "die", "und", "den", "von", "zu", "das", "mit", "sich", "auf", "für", "ist", "im", "dem",
        "nicht", "ein", "eine", "als", "auch", "werden", "aus", "hat", "dass", "sie", "nach", "wird", "bei",
        "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen", "zum", "war", "haben", "nur",
        "oder", "aber", "vor", "zur", "bis", "mehr", "durch", "sein", "wurde", "sei",
    )),
    "fr": frozenset((
        "le", "les", "des", "du", "et", "à", "une", "dans", "qui", "est", "pour", "pas", "sur", "au", "par",
        "il", "ne", "plus", "avec", "ce", "son", "ont", "été", "aux", "elle", "cette", "ses", "leur", "nous",
        "vous",
    )),
}  # fmt: skip
# A sample is taken to be in a listed language when at least FUNCTION_WORD_SHARE of its words are on that
# language's list and at least FUNCTION_WORD_MARGIN times as many as on any other list, out of at least
# FUNCTION_WORD_MIN_WORDS words. On the 972 pages named above the first 300 characters of a page score a
# median 0.27 on its own language's list (English; German 0.31, French 0.22) and at most 0.17 on another
# (English words in a German page, which the margin rules out), and these settings agree with lingua on
# every page they decide; looser ones (share 0.10, margin 2, 10 words) first take an Italian page for
# French.
FUNCTION_WORD_SHARE = 0.15
FUNCTION_WORD_MARGIN = 3.0
FUNCTION_WORD_MIN_WORDS = 20
_WORD = re.compile(r"[^\W\d_]+")
# Letters outside the Latin script (and its extensions used by the listed languages): a sample with more
# than a few of them is another script, or mixed, and goes to lingua.
_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
_MAX_NOT_LATIN_SHARE = 0.05


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in NEWS_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def declared_language(value: str | None) -> str | None:
    """Return the ISO 639 code of a ``lang`` attribute or ``Content-Language`` value (``en-GB`` → ``en``)."""
    match = _CODE.match((value or "").strip())
    return match.group(0).lower() if match else None


def detect_language(text: str, declared: str | None = None) -> str:
    """Return the ISO 639-1 code of the language ``text`` is written in.

    Args:
        text: The article text.
        declared: What the source says (an HTML ``lang`` attribute, ``en-GB`` or ``en``), used when the
            text is too short to judge or the detector cannot tell.

    Returns:
        A two-letter code such as ``en``; the declared language, else ``en``, when undecided.
    """
    fallback = declared_language(declared) or DEFAULT_LANGUAGE
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_DETECT_CHARS:
        return fallback
    quick = function_word_language(sample)
    if quick is not None:
        return quick
    language = _detector().detect_language_of(sample)
    if language is None:
        return fallback
    return str(language.iso_code_639_1.name).lower()


def function_word_language(sample: str) -> str | None:
    """Return the language of ``sample`` by its function words, or None when they do not settle it.

    Only English, German and French are told this way (:data:`FUNCTION_WORDS`); None means "ask lingua",
    not "none of them".
    """
    if len(_NOT_LATIN.findall(sample)) > _MAX_NOT_LATIN_SHARE * len(sample):
        return None
    words = _WORD.findall(sample.lower())
    if len(words) < FUNCTION_WORD_MIN_WORDS:
        return None
    counts = sorted(
        ((sum(word in listed for word in words), code) for code, listed in FUNCTION_WORDS.items()),
        reverse=True,
    )
    (best, code), (runner_up, _) = counts[0], counts[1]
    if best >= FUNCTION_WORD_SHARE * len(words) and best >= FUNCTION_WORD_MARGIN * runner_up:
        return code
    return None
