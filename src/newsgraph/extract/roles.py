"""Attribution roles per token: source, cue and content, tagged by a CRF over parse features.

PolNeAR-style annotation gives every token at most one role in at most one attribution, so the roles of an
article form a tag sequence: ``B-``/``I-`` for ``SRC`` (who), ``CUE`` (the reporting expression) and
``CON`` (what is attributed), ``O`` elsewhere. :func:`tag_roles` tags each paragraph of a parsed Doc with a
linear-chain CRF trained with python-crfsuite on PolNeAR train by :mod:`newsgraph.train.attribution`; its
weights ship in ``newsgraph/data/attribution/roles.npz`` (decoded here with numpy, so running needs no CRF
library) and load once per process. The features are in :mod:`newsgraph.extract.role_features`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from newsgraph.errors import ModelError
from newsgraph.extract.role_features import Features, KeyTable, paragraphs, prior_table

__all__ = ["ROLES", "RoleSpan", "RoleTagger", "default_tagger", "paragraphs", "tag_roles"]

ROLES = ("SRC", "CUE", "CON")
MODEL_FILE = "roles.npz"
PRIOR_FILE = "cue_prior.json"
# Cue-likelihood buckets: share of a lemma's occurrences (as lemma|POS) that are inside a gold cue. The edges
# separate function words (never cues), occasional cues ("call", "show"), and near-certain ones ("say").
PRIOR_EDGES = (0.02, 0.08, 0.25, 0.5)


def prior_bucket(share: float) -> int:
    """Return the cue-likelihood bucket (0-4) of a lemma whose occurrences are cues ``share`` of the time."""
    return sum(share >= edge for edge in PRIOR_EDGES)


def prior_key(token: Token) -> str:
    """The key of ``token`` in the cue-prior table: lower-case lemma and coarse part of speech."""
    return f"{token.lemma_.lower()}|{token.pos_}"


@dataclass(frozen=True)
class RoleSpan:
    """A run of tokens with one role: ``role`` is SRC, CUE or CON; ``start``/``end`` are token indices."""

    role: str
    start: int
    end: int


def spans_from_tags(tokens: list[int], tags: list[str]) -> list[RoleSpan]:
    """Turn one paragraph's tags (``tokens`` are its token indices) into role spans. Tags are BIO or BILOU:
    ``B-``/``U-`` start a span, ``L-``/``U-`` end one, and an ``I-``/``L-`` after another role starts one."""
    spans: list[RoleSpan] = []
    role: str | None = None
    start = 0
    for i, tag in zip(tokens, tags, strict=True):
        kind, _, name = tag.partition("-")
        if role is not None and (kind in ("B", "U", "O") or name != role):
            spans.append(RoleSpan(role, start, i))
            role = None
        if kind != "O" and role is None:
            role, start = name, i
        if kind in ("L", "U") and role is not None:
            spans.append(RoleSpan(role, start, i + 1))
            role = None
    if role is not None:
        spans.append(RoleSpan(role, start, tokens[-1] + 1))
    return spans


class RoleTagger:
    """A linear-chain CRF over the feature keys of :class:`~newsgraph.extract.role_features.Features`,
    decoded with numpy.

    The weights are those python-crfsuite learned (:mod:`newsgraph.train.attribution` exports them), so the
    package needs no CRF library at run time: a token's label scores are the sum of its known features'
    weight rows, and Viterbi adds the label-transition weights.

    Args:
        keys: Feature keys that carry weight, in row order of ``weights``.
        labels: Tag names, in column order.
        weights: ``(len(keys), len(labels))`` state-feature weights.
        transitions: ``(len(labels), len(labels))`` weight of tag ``j`` following tag ``i``.
        prior: The cue-prior buckets (``"lemma|POS"`` → bucket) the features were computed with.
    """

    def __init__(
        self,
        keys: np.ndarray,
        labels: list[str],
        weights: np.ndarray,
        transitions: np.ndarray,
        prior: dict[str, int],
    ):
        self.keys = np.asarray(keys, dtype=np.uint64)
        self.table = KeyTable(self.keys)
        self.labels = labels
        self.weights = np.asarray(weights, dtype=np.float32)
        self.transitions = np.asarray(transitions, dtype=np.float32)
        self.prior = prior
        self.prior_keys = prior_table(prior)
        # Row -1 (an unknown feature, or none) is all zeros.
        self._padded = np.vstack([self.weights, np.zeros((1, len(labels)), dtype=np.float32)])

    @classmethod
    def load(cls, path: str | Path, prior: dict[str, int]) -> RoleTagger:
        """Read a model written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as data:
                labels = str(data["labels"]).split("\n")
                return cls(data["keys"], labels, data["weights"], data["transitions"], prior)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"attribution model {str(path)!r} cannot be read ({exc})") from exc

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` (weights as float16: the tags do not change)."""
        np.savez_compressed(
            path,
            keys=self.keys,
            labels=np.array("\n".join(self.labels)),
            weights=self.weights.astype(np.float16),
            transitions=self.transitions,
        )

    def features(self, doc: Doc) -> Features:
        """The features of ``doc`` under this model's cue prior."""
        return Features(doc, self.prior_keys)

    def scores(self, features: Features) -> np.ndarray:
        """Per-token label scores of a featurized Doc, ``(len(doc), len(labels))``."""
        n = features.n
        rows = self.table.find(features.keys)
        rows[~features.present.ravel()] = -1
        rows = rows.reshape(features.keys.shape)
        total = np.zeros((n, len(self.labels)), dtype=np.float32)
        # In blocks, so that a very long article does not gather every weight row at once.
        for start in range(0, n, 4096):
            # einsum sums over the features about twice as fast as .sum(axis=1) on this layout.
            total[start : start + 4096] = np.einsum("nfk->nk", self._padded[rows[start : start + 4096]])
        np.add.at(total, features.bag_tokens, self._padded[self.table.find(features.bag_keys)])
        return total

    def viterbi_batch(self, scores: list[np.ndarray]) -> list[list[str]]:
        """The best tag sequence of each of several sequences under the transition weights (one numpy step
        per position for all of them)."""
        if not scores:
            return []
        k = len(self.labels)
        lengths = np.array([len(s) for s in scores])
        longest = int(lengths.max())
        padded = np.zeros((len(scores), longest, k), dtype=np.float32)
        for n, s in enumerate(scores):
            padded[n, : len(s)] = s
        back = np.zeros((len(scores), longest, k), dtype=np.int64)
        best = padded[:, 0].copy()
        for i in range(1, longest):
            candidates = best[:, :, None] + self.transitions[None]
            back[:, i] = candidates.argmax(axis=1)
            step = candidates.max(axis=1) + padded[:, i]
            alive = (lengths > i)[:, None]
            best = np.where(alive, step, best)
        out = []
        for n, length in enumerate(lengths):
            if not length:
                out.append([])
                continue
            path = [int(best[n].argmax())]
            for i in range(int(length) - 1, 0, -1):
                path.append(int(back[n, i, path[-1]]))
            path.reverse()
            out.append([self.labels[j] for j in path])
        return out

    def tag(self, doc: Doc) -> list[RoleSpan]:
        """Return the role spans of ``doc`` in text order."""
        features = self.features(doc)
        scores = self.scores(features)
        sequences = features.paragraphs
        tags = self.viterbi_batch([scores[tokens] for tokens in sequences])
        spans: list[RoleSpan] = []
        for tokens, sequence_tags in zip(sequences, tags, strict=True):
            spans.extend(spans_from_tags(tokens, sequence_tags))
        return spans


def load_tagger(folder: Path | Traversable) -> RoleTagger:
    """Load the tagger the training script wrote to ``folder``: its weights and its cue prior.

    Raises:
        ModelError: A file is missing or cannot be read.
    """
    model, meta_file = folder / MODEL_FILE, folder / PRIOR_FILE
    try:
        meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
        prior = {str(k): int(v) for k, v in meta["buckets"].items()}
        with resources.as_file(model) as path:
            return RoleTagger.load(path, prior)
    except (OSError, KeyError, ValueError) as exc:
        missing = [str(f) for f in (model, meta_file) if not f.is_file()]
        raise ModelError(
            f"attribution model files in {folder} are missing or unreadable ({', '.join(missing) or exc}): "
            "reinstall newsgraph, or rebuild them with "
            "python -m newsgraph.train.attribution --polnear ../shared/eval/polnear/train"
        ) from exc


@lru_cache(maxsize=1)
def default_tagger() -> RoleTagger:
    """The shipped tagger, loaded once per process.

    Raises:
        ModelError: The model files are missing from the installed package.
    """
    return load_tagger(resources.files("newsgraph").joinpath("data", "attribution"))


def tag_roles(doc: Doc) -> list[RoleSpan]:
    """Tag the source, cue and content spans of a parsed ``doc`` with the shipped model."""
    return default_tagger().tag(doc)
