"""Attribution roles per token: source, cue and content, tagged by a CRF over parse features.

PolNeAR-style annotation gives every token at most one role in at most one attribution, so the roles of an
article form a tag sequence: ``B-``/``I-`` for ``SRC`` (who), ``CUE`` (the reporting expression) and
``CON`` (what is attributed), ``O`` elsewhere. :func:`tag_roles` tags each paragraph of a parsed Doc with a
linear-chain CRF trained with python-crfsuite on PolNeAR train by :mod:`newsgraph.train.attribution`; its
weights ship in ``newsgraph/data/attribution/roles.npz`` (decoded here with numpy, so running needs no CRF
library) and load once per process.

The features are what a reader uses: the word and its lemma, how likely that lemma is to be a reporting cue
(``cue_prior``, counted on the training set), and, above all, where the token sits in the parse relative to
the nearest likely cue above it (under its subject, its clausal complement, its object…), whether it opens
or closes a constituent, and whether it is inside quote marks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LENGTH, LOWER, POS, SHAPE, TAG
from spacy.tokens import Doc, Token

from newsgraph.errors import ModelError
from newsgraph.extract.quotes import find_quote_spans

ROLES = ("SRC", "CUE", "CON")
MODEL_FILE = "roles.npz"
PRIOR_FILE = "cue_prior.json"
# Cue-likelihood buckets: share of a lemma's occurrences (as lemma|POS) that are inside a gold cue. The edges
# separate function words (never cues), occasional cues ("call", "show"), and near-certain ones ("say").
PRIOR_EDGES = (0.02, 0.08, 0.25, 0.5)
# How many heads up the parse a token looks for a likely cue. Content clauses nest a few levels below their
# cue ("said [that [the plan [, which …]]]"); beyond eight levels the link says little.
MAX_DEPTH = 8
# Lowest bucket that counts as "a likely cue" when a token looks for the cue governing it.
ANCHOR_BUCKET = 2
_KEEP_CHILD_DEPS = frozenset(
    {"ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "agent", "prep", "advcl", "parataxis", "mark", "pobj"}
)


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


def paragraphs(doc: Doc, text: str | None = None) -> list[list[int]]:
    """Token indices of each paragraph of ``doc``: a line break, in a whitespace token or after a token,
    ends one; whitespace tokens belong to none. ``text`` is ``doc.text`` when the caller has it already."""
    if text is None:
        text = doc.text
    offsets = doc.to_array([IDX, LENGTH]).tolist()
    out: list[list[int]] = []
    current: list[int] = []
    for i, (start, length) in enumerate(offsets):
        end = start + length
        if text[start:end].isspace():
            if "\n" in text[start:end] and current:
                out.append(current)
                current = []
            continue
        current.append(i)
        following = offsets[i + 1][0] if i + 1 < len(offsets) else len(text)
        if "\n" in text[end:following]:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _quote_marks(doc: Doc, text: str) -> tuple[list[str], list[int]]:
    """Per token: ``open``/``close``/``in``/``out`` relative to quote spans, and the quote's index or -1."""
    state = ["out"] * len(doc)
    which = [-1] * len(doc)
    spans = find_quote_spans(text)
    if not spans:
        return state, which
    for n, (start, end) in enumerate(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            state[tok.i] = "in"
            which[tok.i] = n
        first, last = span[0], span[-1]
        state[first.i] = "open" if first.idx == start or first.is_quote else "in"
        state[last.i] = "close"
    return state, which


class _Features:
    """Feature strings for every token of one Doc.

    The parse is copied into plain lists first: walking heads through spaCy's Token objects costs more than
    everything else here together.
    """

    def __init__(self, doc: Doc, prior: dict[str, int]):
        n = len(doc)
        self.text = doc.text
        # One array read for all attributes. Each column's distinct string hashes are decoded once, and every
        # token with the same value shares one str object (whose hash Python then computes only once).
        array = doc.to_array([HEAD, DEP, LOWER, LEMMA, POS, TAG, SHAPE, ENT_IOB, ENT_TYPE])
        strings = doc.vocab.strings

        def column(k: int, decode: Callable[[str], str] = str) -> list[str]:
            keys, inverse = np.unique(array[:, k], return_inverse=True)
            names = [decode(strings[int(key)]) if key else "" for key in keys]
            return [names[j] for j in inverse.tolist()]

        # HEAD holds the head's offset from the token as an unsigned integer: view it as signed.
        self.head = head = (array[:, 0].view(np.int64) + np.arange(n)).tolist()
        self.dep = dep = column(1)
        self.lower = column(2)
        self.lemma = column(3, str.lower)
        self.pos = pos = column(4)
        self.tag = column(5)
        self.shape = column(6, lambda shape: shape[:4])
        iob_names = ("", "I", "O", "B")
        self.ent = [iob_names[iob] + kind for iob, kind in zip(array[:, 7].tolist(), column(8), strict=True)]
        self.bucket = bucket = [
            prior.get(f"{lemma}|{p}", 0) for lemma, p in zip(self.lemma, pos, strict=True)
        ]
        self.quote, quote_id = _quote_marks(doc, self.text)
        # Subtree edges from the heads: every token widens the span of each of its ancestors.
        left, right = list(range(n)), list(range(n))
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i in range(n):
            h = head[i]
            if h != i:
                self.children[h].append(i)
            node, steps = i, 0
            while head[node] != node and steps < 64:
                node = head[node]
                steps += 1
                if i < left[node]:
                    left[node] = i
                if i > right[node]:
                    right[node] = i
        self.left, self.right = left, right
        self.sent_start = [0] * n
        self.sent_end = [0] * n
        self.sent_cue: dict[int, int] = {}
        self.sent_cue_at: dict[int, int] = {}
        self.sent_quote: dict[int, bool] = {}
        for sent in doc.sents:
            best, at = 0, -1
            quoted = False
            for i in range(sent.start, sent.end):
                self.sent_start[i] = sent.start
                self.sent_end[i] = sent.end
                if pos[i] in ("VERB", "NOUN", "ADP", "AUX") and bucket[i] > best:
                    best, at = bucket[i], i
                quoted = quoted or self.quote[i] != "out"
            self.sent_cue[sent.start] = best
            self.sent_cue_at[sent.start] = at
            self.sent_quote[sent.start] = quoted
        # For each quote, the likeliest cue right beside it ("…,” she said" / "said: “…"), if any.
        self.quote_cue = ["none"] * n
        spans: dict[int, list[int]] = {}
        for i, q in enumerate(quote_id):
            if q >= 0:
                spans.setdefault(q, []).append(i)
        for members in spans.values():
            first, last = members[0], members[-1]
            after = max((bucket[j] for j in range(last + 1, min(n, last + 5))), default=0)
            before = max((bucket[j] for j in range(max(0, first - 4), first)), default=0)
            multi = self.sent_start[first] != self.sent_start[last]
            label = f"{'A' if after >= before else 'B'}{max(after, before)}|{'m' if multi else 's'}"
            for j in members:
                self.quote_cue[j] = label
        # Integers format slowly inside f-strings; every feature uses the bucket's text.
        self.bucket_text = [str(b) for b in bucket]
        self.pairs: dict[tuple[int, str, str], str] = {}
        self.own = self._own()
        self.neighbours = [(off, self._neighbour(off)) for off in (-2, -1, 1, 2)]
        self.child_features: list[list[str]] = []
        for i in range(n):
            deps = sorted({dep[c] for c in self.children[i] if dep[c] in _KEEP_CHILD_DEPS})
            extra = [f"ch={d}" for d in deps]
            if bucket[i] >= 1:
                extra += [f"cb.ch={self.bucket_text[i]}|{d}" for d in deps]
            self.child_features.append(extra)
        # Boundaries of the arguments of likely cues: where a subject, complement or object of a cue starts
        # and ends. Content and source spans mostly begin and end exactly there.
        self.arg_edges: list[list[str]] = [[] for _ in range(n)]
        for i in range(n):
            b = bucket[i]
            if b < 1 or pos[i] not in ("VERB", "NOUN", "ADP", "AUX", "ADJ"):
                continue
            for c in self.children[i]:
                d = dep[c]
                if d not in _KEEP_CHILD_DEPS:
                    continue
                self.arg_edges[left[c]].append(f"argL={d}|{b}")
                self.arg_edges[right[c]].append(f"argR={d}|{b}")
                if right[c] + 1 < n:
                    self.arg_edges[right[c] + 1].append(f"argR+1={d}|{b}")
                if left[c] > 0:
                    self.arg_edges[left[c] - 1].append(f"argL-1={d}|{b}")

    def _anchor(self, i: int) -> list[str]:
        """Features of the nearest likely cue above token ``i`` and of the branch it hangs from."""
        head, bucket, dep = self.head, self.bucket, self.dep
        out = []
        node, depth = i, 0
        while depth < MAX_DEPTH and head[node] != node:
            h = head[node]
            depth += 1
            if bucket[h] >= ANCHOR_BUCKET:
                rel = dep[node] if dep[node] in _KEEP_CHILD_DEPS else "other"
                side = "L" if i < h else "R"
                lemma = self.lemma[h]
                out += [
                    f"a.rel={rel}",
                    f"a.rel.b={rel}|{bucket[h]}",
                    f"a.side={rel}|{side}",
                    f"a.l={lemma}",
                    f"a.depth={min(depth, 4)}",
                    f"a.rel.l={rel}|{lemma}",
                ]
                if dep[node] == "prep":
                    out.append(f"a.prep={self.lower[node]}")
                break
            node = h
        if not out:
            out.append("a.none")
        # The outermost likely cue: PolNeAR annotates only the outer attribution of nested ones.
        node, top, steps = i, -1, 0
        while head[node] != node and steps < 64:
            if bucket[head[node]] >= ANCHOR_BUCKET:
                top = node
            node = head[node]
            steps += 1
        if top >= 0:
            rel = dep[top] if dep[top] in _KEEP_CHILD_DEPS else "other"
            out.append(f"top.rel={rel}|{bucket[head[top]]}")
            out.append(f"top.side={rel}|{'L' if i < head[top] else 'R'}")
        return out

    def _edges(self, i: int) -> list[str]:
        """Which constituents start or end at token ``i`` (the highest one, by its dependency label)."""
        head, left, right = self.head, self.left, self.right
        out = []
        node = i
        top_left = top_right = -1
        while head[node] != node:
            if left[node] == i:
                top_left = node
            if right[node] == i:
                top_right = node
            node = head[node]
            if left[node] != i and right[node] != i:
                break
        if top_left >= 0 and top_left != i:
            out.append(f"ls={self.dep[top_left]}")
            out.append(f"ls.hb={self.dep[top_left]}|{self.bucket[head[top_left]]}")
        if top_right >= 0 and top_right != i:
            out.append(f"rs={self.dep[top_right]}")
            out.append(f"rs.hb={self.dep[top_right]}|{self.bucket[head[top_right]]}")
        return out

    def extra(self, i: int, seq_start: int, seq_end: int) -> list[str]:
        """Context beyond the token's clause: the sentence's likeliest cue, the cue beside a quote."""
        start = self.sent_start[i]
        at = self.sent_cue_at[start]
        if at < 0:
            where = "none"
        else:
            gap = abs(i - at)
            where = f"{'B' if i < at else 'A' if i > at else 'at'}{min(gap.bit_length(), 5)}"
        f = [f"xcue={where}", f"xcue.b={where}|{self.sent_cue[start]}"]
        if self.quote[i] != "out":
            f.append(f"xq.cue={self.quote_cue[i]}")
        for off in (-3, 3):
            j = i + off
            if seq_start <= j < seq_end:
                f.append(f"x{off}:w={self.lower[j]}")
        if i > seq_start:
            f.append(f"xl2={self.lemma[i - 1]}|{self.lemma[i]}")
        return f

    def _own(self) -> list[list[str]]:
        """Each token's features about itself and its head, built in bulk.

        Every distinct feature string is built once per Doc and shared by all the tokens that have it
        (:func:`_column`): most repeat (only about one in seven is new), and a shared string hashes once
        when the tagger looks it up.
        """
        lemma, lower, pos, dep, tag = self.lemma, self.lower, self.pos, self.dep, self.tag
        heads, bucket = self.head, self.bucket_text
        columns = [
            _column("w=", lower),
            _column("p=", pos),
            _column("t=", tag),
            _column("d=", dep),
            _column("q=", self.quote),
            _column("b=", bucket),
            _column("l=", lemma),
            _column("suf=", [w[-3:] for w in lower]),
            _column("shape=", self.shape),
            _column("hl=", [lemma[h] for h in heads]),
            _column("hp=", [pos[h] for h in heads]),
            _pair_column("d.hd=", dep, [dep[h] for h in heads]),
            _column("hb=", [bucket[h] for h in heads]),
            _column("e=", self.ent),
            _pair_column("b.p=", bucket, pos),
        ]
        return [list(row) for row in zip(*columns, strict=True)]

    def _neighbour(self, off: int) -> list[list[str]]:
        """The features each token lends to the token ``off`` places away from it."""
        columns = [
            _column(f"{off}:w=", self.lower),
            _column(f"{off}:p=", self.pos),
            _column(f"{off}:b=", self.bucket_text),
        ]
        if abs(off) == 1:
            columns += [_column(f"{off}:d=", self.dep), _column(f"{off}:q=", self.quote)]
        return [list(row) for row in zip(*columns, strict=True)]

    def token(self, i: int, seq_start: int, seq_end: int) -> list[str]:
        f = self.own[i] + self.child_features[i]
        start = self.sent_start[i]
        if i == start:
            f.append("bos")
        if i == self.sent_end[i] - 1:
            f.append("eos")
        cue = self.sent_cue[start]
        f.append(f"s.cue={cue}")
        f.append(f"s.q={self.sent_quote[start]}")
        f.append(f"q.s={self.quote[i]}|{cue}")
        f += self._anchor(i)
        f += self.arg_edges[i]
        f += self._edges(i)
        word = self.lower[i]
        for off, lent in self.neighbours:
            j = i + off
            if j < seq_start or j >= seq_end:
                f.append(_PAD[off])
                continue
            f += lent[j]
            if off in (-1, 1):
                key = (off, self.lower[j], word)
                pair = self.pairs.get(key)
                if pair is None:
                    pair = self.pairs[key] = f"{off}:w.w={self.lower[j]}|{word}"
                f.append(pair)
        return f


_PAD = {off: f"{off}:pad" for off in (-2, -1, 1, 2)}


def _column(prefix: str, values: list[str]) -> list[str]:
    """``prefix + value`` for each value, one shared string per distinct value."""
    memo: dict[str, str] = {}
    out = []
    for value in values:
        feature = memo.get(value)
        if feature is None:
            feature = memo[value] = prefix + value
        out.append(feature)
    return out


def _pair_column(prefix: str, first: list[str], second: list[str]) -> list[str]:
    """``prefix + a|b`` for each pair, one shared string per distinct pair."""
    memo: dict[tuple[str, str], str] = {}
    out = []
    for pair in zip(first, second, strict=True):
        feature = memo.get(pair)
        if feature is None:
            feature = memo[pair] = f"{prefix}{pair[0]}|{pair[1]}"
        out.append(feature)
    return out


def featurize(doc: Doc, prior: dict[str, int]) -> list[tuple[list[int], list[list[str]]]]:
    """Return each paragraph's token indices with the feature strings of each token."""
    features = _Features(doc, prior)
    out = []
    for para in paragraphs(doc, features.text):
        start, end = para[0], para[-1] + 1
        out.append((para, [features.token(i, start, end) + features.extra(i, start, end) for i in para]))
    return out


def spans_from_tags(tokens: list[int], tags: list[str]) -> list[RoleSpan]:
    """Turn one paragraph's tags (``tokens`` are its token indices) into role spans; an ``I-`` after another
    role starts a new span."""
    spans: list[RoleSpan] = []
    role: str | None = None
    start = 0
    for i, tag in zip(tokens, tags, strict=True):
        kind, _, name = tag.partition("-")
        if role is not None and (kind != "I" or name != role):
            spans.append(RoleSpan(role, start, i))
            role = None
        if kind in ("B", "I") and role is None:
            role, start = name, i
    if role is not None:
        spans.append(RoleSpan(role, start, tokens[-1] + 1))
    return spans


class RoleTagger:
    """A linear-chain CRF over the feature strings of :func:`featurize`, decoded with numpy.

    The weights are those python-crfsuite learned (:mod:`newsgraph.train.attribution` exports them), so the
    package needs no CRF library at run time: a token's label scores are the sum of its known features'
    weight rows, and Viterbi adds the label-transition weights.

    Args:
        attributes: Feature strings that carry weight, in row order of ``weights``.
        labels: Tag names, in column order.
        weights: ``(len(attributes), len(labels))`` state-feature weights.
        transitions: ``(len(labels), len(labels))`` weight of tag ``j`` following tag ``i``.
        prior: The cue-prior buckets the features were computed with.
    """

    def __init__(
        self,
        attributes: list[str],
        labels: list[str],
        weights: np.ndarray,
        transitions: np.ndarray,
        prior: dict[str, int],
    ):
        self.index = {a: n for n, a in enumerate(attributes)}
        self.labels = labels
        self.weights = np.asarray(weights, dtype=np.float32)
        self.transitions = np.asarray(transitions, dtype=np.float32)
        self.prior = prior
        self._padded = np.vstack([self.weights, np.zeros((1, len(labels)), dtype=np.float32)])

    @classmethod
    def load(cls, path: str | Path, prior: dict[str, int]) -> RoleTagger:
        """Read a model written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as data:
                attributes = str(data["attributes"]).split("\n")
                labels = str(data["labels"]).split("\n")
                return cls(attributes, labels, data["weights"], data["transitions"], prior)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"attribution model {str(path)!r} cannot be read ({exc})") from exc

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` (weights as float16: the tags do not change)."""
        attributes = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(
            path,
            attributes=np.array("\n".join(attributes)),
            labels=np.array("\n".join(self.labels)),
            weights=self.weights.astype(np.float16),
            transitions=self.transitions,
        )

    def scores(self, features: list[list[str]]) -> np.ndarray:
        """Per-token label scores, ``(len(features), len(labels))``."""
        if not features:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        get = self.index.get
        # Unknown features map to the last row, which is all zeros.
        unknown = len(self._padded) - 1
        flat = [name for names in features for name in names]
        rows = np.array(list(map(get, flat, repeat(unknown, len(flat)))), dtype=np.int64)
        starts = np.cumsum([0] + [len(names) for names in features[:-1]])
        return np.add.reduceat(self._padded[rows], starts, axis=0)

    def viterbi(self, scores: np.ndarray) -> list[str]:
        """The best tag sequence for ``scores`` under the transition weights."""
        n = len(scores)
        if n == 0:
            return []
        back = np.zeros((n, len(self.labels)), dtype=np.int64)
        best = scores[0].copy()
        for i in range(1, n):
            candidates = best[:, None] + self.transitions
            back[i] = candidates.argmax(axis=0)
            best = candidates.max(axis=0) + scores[i]
        path = [int(best.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        path.reverse()
        return [self.labels[k] for k in path]

    def viterbi_batch(self, scores: list[np.ndarray]) -> list[list[str]]:
        """:meth:`viterbi` for several sequences at once (one numpy step per position, not per token)."""
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
            path = [int(best[n].argmax())]
            for i in range(int(length) - 1, 0, -1):
                path.append(int(back[n, i, path[-1]]))
            path.reverse()
            out.append([self.labels[j] for j in path])
        return out

    def tag(self, doc: Doc) -> list[RoleSpan]:
        """Return the role spans of ``doc`` in text order."""
        sequences = featurize(doc, self.prior)
        tags = self.viterbi_batch([self.scores(features) for _, features in sequences])
        spans: list[RoleSpan] = []
        for (tokens, _), sequence_tags in zip(sequences, tags, strict=True):
            spans.extend(spans_from_tags(tokens, sequence_tags))
        return spans


def load_prior(text: str) -> dict[str, int]:
    """Read the cue-prior table written by the training script."""
    data: dict[str, Any] = json.loads(text)
    return {str(k): int(v) for k, v in data["buckets"].items()}


@lru_cache(maxsize=1)
def default_tagger() -> RoleTagger:
    """The shipped tagger, loaded once per process.

    Raises:
        ModelError: The model files are missing from the installed package.
    """
    folder = resources.files("newsgraph").joinpath("data", "attribution")
    model, prior = folder / MODEL_FILE, folder / PRIOR_FILE
    if not model.is_file() or not prior.is_file():
        raise ModelError(
            "attribution model files are missing from newsgraph/data/attribution (reinstall newsgraph, or "
            "rebuild them: python -m newsgraph.train.attribution --polnear ../shared/eval/polnear/train)"
        )
    with resources.as_file(model) as path:
        return RoleTagger.load(path, load_prior(prior.read_text(encoding="utf-8")))


def tag_roles(doc: Doc) -> list[RoleSpan]:
    """Tag the source, cue and content spans of a parsed ``doc`` with the shipped model."""
    return default_tagger().tag(doc)
