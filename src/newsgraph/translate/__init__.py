"""Translation into English before the English stages, with the translation's provenance.

One interface (:class:`~newsgraph.translate.engine.Engine`), two engines:

- :class:`~newsgraph.translate.apertium.Apertium`: rule-based, offline, Debian packages (Spanish, Catalan,
  Galician, Basque, Icelandic, Macedonian, Serbo-Croatian, and French through Spanish);
- :class:`~newsgraph.translate.argos.Argos`: neural, for users who install Argos Translate and its language
  packages themselves.

:func:`translate_articles` splits each article into sentences (:mod:`.segment`), has the engine translate
them a batch of articles at a time, and returns the article with ``text`` the English and ``translation``
holding the original, the engine, its version, the count of unknown words and the sentence alignment.
Paragraph breaks are kept: sentences of one paragraph are joined by a space, paragraphs by a blank line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from newsgraph.schema import AlignedSentence, Article, Translation
from newsgraph.translate.engine import Engine, TranslatedSentence, TranslationError
from newsgraph.translate.segment import Sentence, split_sentences

__all__ = [
    "ENGINES",
    "Engine",
    "TranslatedSentence",
    "TranslationError",
    "Translator",
    "make_engine",
    "translate_articles",
]

ENGINES = ("apertium", "argos")


def make_engine(name: str) -> Engine:
    """Return the engine called ``name`` (one of :data:`ENGINES`).

    Raises:
        TranslationError: ``name`` is not an engine.
    """
    if name == "apertium":
        from newsgraph.translate.apertium import Apertium

        return Apertium()
    if name == "argos":
        from newsgraph.translate.argos import Argos

        return Argos()
    raise TranslationError(f"unknown translation engine {name!r}; choose one of {', '.join(ENGINES)}")


class Translator:
    """Chooses an engine per language and translates articles with it.

    Args:
        engines: Engines in order of preference; the first that translates a language is used for it.
            Default: Apertium, then Argos Translate.
    """

    def __init__(self, engines: Sequence[Engine] | None = None) -> None:
        if engines is None:
            engines = [make_engine(name) for name in ENGINES]
        self.engines = list(engines)
        self._chosen: dict[str, Engine | None] = {}

    def engine_for(self, language: str) -> Engine | None:
        """The engine that translates ``language`` into English, or None when no installed one does."""
        if language not in self._chosen:
            self._chosen[language] = next((e for e in self.engines if language in e.languages()), None)
        return self._chosen[language]

    def translate(self, articles: Sequence[Article]) -> list[Article]:
        """Return ``articles`` with those not in English translated; the others (English, or a language
        no engine translates) are returned as they are. An article the engine fails on is returned
        untranslated with ``metadata["translation_error"]``; the rest of the batch is translated."""
        out = list(articles)
        by_language: dict[str, list[int]] = {}
        for i, article in enumerate(out):
            if article.language != "en" and article.translation is None and self.engine_for(article.language):
                by_language.setdefault(article.language, []).append(i)
        for language, indices in by_language.items():
            engine = self.engine_for(language)
            assert engine is not None
            try:
                translated = translate_articles(engine, language, [out[i] for i in indices])
            except TranslationError:
                # One article the engine chokes on must not cost the batch: each is tried alone, and one
                # that still fails is kept untranslated (so unanalysed), the error in its metadata.
                translated = [_translate_alone(engine, language, out[i]) for i in indices]
            for i, article in zip(indices, translated, strict=True):
                out[i] = article
        return out

    def translate_stream(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        """Translate a stream of articles ``batch_size`` at a time, in order."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self.translate(batch)
                batch = []
        if batch:
            yield from self.translate(batch)


def translate_articles(engine: Engine, language: str, articles: Sequence[Article]) -> list[Article]:
    """Translate ``articles``, all written in ``language``, with one call to ``engine``.

    Returns:
        For each article, a copy whose ``text`` is the English translation and whose ``translation``
        records the original text, the engine and the sentence alignment.

    Raises:
        TranslationError: The engine failed.
    """
    splits = [split_sentences(a.text) for a in articles]
    lines = [
        a.text[s.span[0] : s.span[1]]
        for a, sentences in zip(articles, splits, strict=True)
        for s in sentences
    ]
    translated = iter(engine.translate_sentences(language, lines))
    version = engine.version(language)
    out = []
    for article, sentences in zip(articles, splits, strict=True):
        english, aligned, unknown = _assemble(sentences, [next(translated) for _ in sentences])
        translation = Translation(
            source_language=language,
            engine=engine.name,
            engine_version=version,
            original_text=article.text,
            unknown_words=unknown,
            sentences=aligned,
        )
        out.append(replace(article, text=english, translation=translation))
    return out


def _translate_alone(engine: Engine, language: str, article: Article) -> Article:
    try:
        return translate_articles(engine, language, [article])[0]
    except TranslationError as exc:
        return replace(article, metadata={**article.metadata, "translation_error": str(exc)})


def _assemble(
    sentences: Sequence[Sentence], translated: Sequence[TranslatedSentence]
) -> tuple[str, list[AlignedSentence], int]:
    parts: list[str] = []
    aligned: list[AlignedSentence] = []
    length = 0
    previous = None
    for sentence, english in zip(sentences, translated, strict=True):
        if previous is not None:
            gap = "\n\n" if sentence.paragraph != previous else " "
            parts.append(gap)
            length += len(gap)
        previous = sentence.paragraph
        text = english.text or "…"  # a sentence the engine left empty still has its place
        aligned.append(AlignedSentence(original=sentence.span, translation=(length, length + len(text))))
        parts.append(text)
        length += len(text)
    return "".join(parts), aligned, sum(t.unknown_words for t in translated)
