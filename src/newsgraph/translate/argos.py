"""Argos Translate: neural translation (OpenNMT models run by CTranslate2) for users who install it.

newsgraph does not install it: ``pip install argostranslate`` brings PyTorch-sized dependencies, and its
language packages are downloaded from the Argos package index, which newsgraph never does on its own.
A user who wants Chinese, Arabic, Russian, Korean… installs the package and the ``xx → en`` language
packages once::

    pip install argostranslate
    argospm update && argospm install translate-zh_en translate-ar_en

after which every installed ``xx → en`` package is used for ``xx`` (Apertium stays first for the
languages it has, unless ``--engine argos`` is given).

The model gives no unknown-word marks, so ``unknown_words`` is 0 for Argos translations. What could and
could not be checked where newsgraph is developed is said in ``docs/translation.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from typing import Any

from newsgraph.translate.engine import Engine, TranslatedSentence, TranslationError


def _packages() -> list[Any]:
    try:
        import argostranslate.package
    except ImportError:
        return []
    return list(argostranslate.package.get_installed_packages())


class Argos(Engine):
    """Argos Translate through its Python API, one loaded model per language, kept for the process."""

    name = "argos"

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}

    def languages(self) -> frozenset[str]:
        return frozenset(p.from_code for p in _packages() if p.to_code == "en")

    def version(self, language: str) -> str:
        try:
            engine = metadata.version("argostranslate")
        except metadata.PackageNotFoundError:
            engine = "?"
        found = [p for p in _packages() if p.from_code == language and p.to_code == "en"]
        data = f", translate-{language}_en {found[0].package_version}" if found else ""
        return f"argostranslate {engine}{data}"

    def _model(self, language: str) -> Any:
        if language in self._models:
            return self._models[language]
        try:
            import argostranslate.translate
        except ImportError as exc:
            raise TranslationError(
                "Argos Translate is not installed (pip install argostranslate, then argospm install "
                f"translate-{language}_en)"
            ) from exc
        installed = {lang.code: lang for lang in argostranslate.translate.get_installed_languages()}
        source, english = installed.get(language), installed.get("en")
        model = source.get_translation(english) if source is not None and english is not None else None
        if model is None:
            raise TranslationError(
                f"no Argos Translate package from {language!r} into English is installed "
                f"(argospm install translate-{language}_en)"
            )
        self._models[language] = model
        return model

    def translate_sentences(self, language: str, sentences: Sequence[str]) -> list[TranslatedSentence]:
        model = self._model(language)
        out = []
        for sentence in sentences:
            try:
                english = model.translate(sentence)
            except Exception as exc:  # the model's own errors are not part of a stable API
                raise TranslationError(f"Argos Translate failed on a {language!r} sentence: {exc}") from exc
            out.append(TranslatedSentence(" ".join(str(english).split())))
        return out
