"""The one interface every translator implements, and the errors it raises."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.errors import NewsgraphError


class TranslationError(NewsgraphError):
    """A translator is missing, has no data for a language, or failed on a text."""


@dataclass(frozen=True)
class TranslatedSentence:
    """The English of one sentence and how many of its words the engine could not translate."""

    text: str
    unknown_words: int = 0


class Engine(ABC):
    """A machine translator into English.

    An engine translates sentences, many at a time (one call per batch of articles, so a process start or
    a model load is paid once per batch, not per sentence); splitting articles into sentences, keeping
    paragraphs and aligning the translation with the original is done around it
    (:func:`newsgraph.translate.translate_articles`).
    """

    #: Short name recorded in ``translation.engine``.
    name: str = ""

    @abstractmethod
    def languages(self) -> frozenset[str]:
        """ISO 639-1 codes of the languages this engine can translate into English here and now."""

    @abstractmethod
    def version(self, language: str) -> str:
        """The engine's version and the language data used for ``language``."""

    @abstractmethod
    def translate_sentences(self, language: str, sentences: Sequence[str]) -> list[TranslatedSentence]:
        """Translate ``sentences`` (each a single line) from ``language`` into English, in order.

        Raises:
            TranslationError: The engine failed or has no data for ``language``.
        """
