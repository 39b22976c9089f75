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
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
    SHAPE,
    TAG,
)
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
    offsets = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
    find = text.find
    out: list[list[int]] = []
    current: list[int] = []
    for i, (start, length, space) in enumerate(offsets):
        end = start + length
        if space:
            if current and find("\n", start, end) >= 0:
                out.append(current)
                current = []
            continue
        current.append(i)
        following = offsets[i + 1][0] if i + 1 < len(offsets) else len(text)
        if following > end and find("\n", end, following) >= 0:
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


# A feature template: a prefix and one value per token (None where the token lacks the feature). The feature
# string is ``prefix + value``. Templates keep the featurizer column-wise: each distinct value is looked up
# once per Doc, not once per token.
Column = tuple[str, list[str | None]]


class _Features:
    """The features of every token of one Doc, as templates (:data:`Column`) plus per-token bags.

    The parse is copied into plain lists first: walking heads through spaCy's Token objects costs more than
    everything else here together.
    """

    def __init__(self, doc: Doc, prior: dict[str, int]):
        self.n = n = len(doc)
        self.text = doc.text
        # One array read for all attributes. Each column's distinct string hashes are decoded once, and every
        # token with the same value shares one str object (whose hash Python then computes only once).
        array = doc.to_array([HEAD, DEP, LOWER, LEMMA, POS, TAG, SHAPE, ENT_IOB, ENT_TYPE, SENT_START])
        strings = doc.vocab.strings

        def column(k: int, decode: Callable[[str], str] = str) -> list[str]:
            keys, inverse = np.unique(array[:, k], return_inverse=True)
            names = [decode(strings[int(key)]) if key else "" for key in keys]
            return [names[j] for j in inverse.tolist()]

        # HEAD holds the head's offset from the token as an unsigned integer: view it as signed.
        self.head = head = (array[:, 0].view(np.int64) + np.arange(n)).tolist()
        self.dep = column(1)
        self.lower = column(2)
        self.lemma = lemma = column(3, str.lower)
        self.pos = pos = column(4)
        self.tag = column(5)
        self.shape = column(6, lambda shape: shape[:4])
        iob_names = ("", "I", "O", "B")
        self.ent = [iob_names[iob] + kind for iob, kind in zip(array[:, 7].tolist(), column(8), strict=True)]
        self.bucket = bucket = [prior.get(f"{lem}|{p}", 0) for lem, p in zip(lemma, pos, strict=True)]
        # Integers format slowly inside f-strings; every feature uses the bucket's text.
        self.bucket_text = [_BUCKET_TEXT[b] for b in bucket]
        self.quote, quote_id = _quote_marks(doc, self.text)
        self.paragraphs = paragraphs(doc, self.text)
        # The paragraph each token's neighbours must stay inside ([seq_start, seq_end)); empty outside one.
        self.seq_start, self.seq_end = [0] * n, [0] * n
        for para in self.paragraphs:
            start, end = para[0], para[-1] + 1
            for i in para:
                self.seq_start[i], self.seq_end[i] = start, end
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
        self._sentences(array[:, 9].tolist())
        self._quote_cues(quote_id)
        self._anchors()

    def _sentences(self, starts: list[int]) -> None:
        """Sentence bounds per token, and each sentence's likeliest cue and whether it holds a quote."""
        n, pos, bucket = self.n, self.pos, self.bucket
        self.sent_start, self.sent_end = [0] * n, [0] * n
        self.sent_cue: dict[int, int] = {}
        self.sent_cue_at: dict[int, int] = {}
        self.sent_quote: dict[int, bool] = {}
        bounds = [i for i in range(n) if i == 0 or starts[i] == 1] + [n]
        for start, end in pairwise(bounds):
            best, at = 0, -1
            quoted = False
            for i in range(start, end):
                self.sent_start[i] = start
                self.sent_end[i] = end
                if bucket[i] > best and pos[i] in ("VERB", "NOUN", "ADP", "AUX"):
                    best, at = bucket[i], i
                quoted = quoted or self.quote[i] != "out"
            self.sent_cue[start] = best
            self.sent_cue_at[start] = at
            self.sent_quote[start] = quoted

    def _quote_cues(self, quote_id: list[int]) -> None:
        """For each quote, the likeliest cue right beside it ("…,” she said" / "said: “…"), if any."""
        n, bucket = self.n, self.bucket
        self.quote_cue: list[str | None] = [None] * n
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

    def _anchors(self) -> None:
        """For each token, the nearest likely cue above it (within :data:`MAX_DEPTH` heads) with the token
        just below that cue on the way, and the token just below the outermost likely cue above it.

        Each token's answer follows from its head's, so every token is settled once, heads first.
        """
        n, head, bucket = self.n, self.head, self.bucket
        # anchor[i] = (cue, token below the cue, depth), or None
        self.anchor: list[tuple[int, int, int] | None] = [None] * n
        self.top = [-1] * n
        done = [False] * n
        for i in range(n):
            path = []
            node = i
            while not done[node] and len(path) <= n:
                path.append(node)
                if head[node] == node:
                    break
                node = head[node]
            for node in reversed(path):
                done[node] = True
                h = head[node]
                if h == node:
                    continue
                cue = bucket[h] >= ANCHOR_BUCKET
                above = self.anchor[h]
                if cue:
                    self.anchor[node] = (h, node, 1)
                elif above is not None and above[2] < MAX_DEPTH:
                    self.anchor[node] = (above[0], above[1], above[2] + 1)
                top = self.top[h]
                self.top[node] = top if top >= 0 else node if cue else -1

    def columns(self) -> list[Column]:
        """Every single-valued feature template, with its value for each token."""
        n, head, dep, lower, lemma, pos = self.n, self.head, self.dep, self.lower, self.lemma, self.pos
        bucket = self.bucket_text
        quote = self.quote
        indices = range(n)
        out: list[Column] = [
            ("w=", lower),
            ("p=", pos),
            ("t=", self.tag),
            ("d=", dep),
            ("q=", quote),
            ("b=", bucket),
            ("l=", lemma),
            ("suf=", [w[-3:] for w in lower]),
            ("shape=", self.shape),
            ("hl=", [lemma[h] for h in head]),
            ("hp=", [pos[h] for h in head]),
            ("d.hd=", [f"{dep[i]}|{dep[h]}" for i, h in enumerate(head)]),
            ("hb=", [bucket[h] for h in head]),
            ("e=", self.ent),
            ("b.p=", [f"{b}|{p}" for b, p in zip(bucket, pos, strict=True)]),
        ]
        # The sentence: its edges, its likeliest cue, whether it holds a quote.
        start_of, end_of = self.sent_start, self.sent_end
        cue_of = [_BUCKET_TEXT[self.sent_cue[s]] for s in start_of]
        out += [
            ("", ["bos" if start_of[i] == i else None for i in indices]),
            ("", ["eos" if end_of[i] == i + 1 else None for i in indices]),
            ("s.cue=", cue_of),
            ("s.q=", [str(self.sent_quote[s]) for s in start_of]),
            ("q.s=", [f"{q}|{c}" for q, c in zip(quote, cue_of, strict=True)]),
        ]
        out += self._anchor_columns()
        out += self._edge_columns()
        # Neighbours inside the paragraph, or a pad feature where the paragraph ends.
        seq_start, seq_end = self.seq_start, self.seq_end
        for off in (-2, -1, 1, 2):
            inside = [seq_start[i] <= i + off < seq_end[i] for i in indices]
            lent = [("w=", lower), ("p=", pos), ("b=", bucket)]
            if abs(off) == 1:
                lent += [("d=", dep), ("q=", quote)]
            for prefix, values in lent:
                out.append((f"{off}:{prefix}", _shift(values, off, inside)))
            if abs(off) == 1:
                out.append((f"{off}:w.w=", _shift_pair(lower, off, inside)))
            out.append(("", [None if ok else f"{off}:pad" for ok in inside]))
        # Beyond the clause: the sentence's likeliest cue, the cue beside a quote, words further out.
        where = []
        for i in indices:
            at = self.sent_cue_at[start_of[i]]
            if at < 0:
                where.append("none")
            else:
                side = "B" if i < at else "A" if i > at else "at"
                where.append(f"{side}{min(abs(i - at).bit_length(), 5)}")
        out += [
            ("xcue=", where),
            ("xcue.b=", [f"{w}|{c}" for w, c in zip(where, cue_of, strict=True)]),
            ("xq.cue=", [c if q != "out" else None for c, q in zip(self.quote_cue, quote, strict=True)]),
        ]
        for off in (-3, 3):
            inside = [seq_start[i] <= i + off < seq_end[i] for i in indices]
            out.append((f"x{off}:w=", _shift(lower, off, inside)))
        after_start = [i > seq_start[i] for i in indices]
        out.append(("xl2=", _shift_pair(lemma, -1, after_start)))
        return out

    def _anchor_columns(self) -> list[Column]:
        """Features of the nearest likely cue above each token and of the branch it hangs from, and of the
        outermost one (PolNeAR annotates only the outer attribution of nested ones)."""
        dep, head, bucket = self.dep, self.head, self.bucket_text
        names = ("a.rel=", "a.rel.b=", "a.side=", "a.l=", "a.depth=", "a.rel.l=", "a.prep=", "")
        values: list[list[str | None]] = [[] for _ in names]
        for i, found in enumerate(self.anchor):
            if found is None:
                row: tuple[str | None, ...] = (None,) * 7 + ("a.none",)
            else:
                h, node, depth = found
                rel = dep[node] if dep[node] in _KEEP_CHILD_DEPS else "other"
                lemma = self.lemma[h]
                row = (
                    rel,
                    f"{rel}|{bucket[h]}",
                    f"{rel}|{'L' if i < h else 'R'}",
                    lemma,
                    _BUCKET_TEXT[min(depth, 4)],
                    f"{rel}|{lemma}",
                    self.lower[node] if dep[node] == "prep" else None,
                    None,
                )
            for column, value in zip(values, row, strict=True):
                column.append(value)
        top_rel: list[str | None] = []
        top_side: list[str | None] = []
        for i, top in enumerate(self.top):
            if top < 0:
                top_rel.append(None)
                top_side.append(None)
                continue
            rel = dep[top] if dep[top] in _KEEP_CHILD_DEPS else "other"
            top_rel.append(f"{rel}|{bucket[head[top]]}")
            top_side.append(f"{rel}|{'L' if i < head[top] else 'R'}")
        return [*zip(names, values, strict=True), ("top.rel=", top_rel), ("top.side=", top_side)]

    def _edge_columns(self) -> list[Column]:
        """Which constituents start or end at each token (the highest one, by its dependency label)."""
        head, left, right, dep, bucket = self.head, self.left, self.right, self.dep, self.bucket_text
        starts: list[str | None] = []
        starts_hb: list[str | None] = []
        ends: list[str | None] = []
        ends_hb: list[str | None] = []
        for i in range(self.n):
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
                starts.append(dep[top_left])
                starts_hb.append(f"{dep[top_left]}|{bucket[head[top_left]]}")
            else:
                starts.append(None)
                starts_hb.append(None)
            if top_right >= 0 and top_right != i:
                ends.append(dep[top_right])
                ends_hb.append(f"{dep[top_right]}|{bucket[head[top_right]]}")
            else:
                ends.append(None)
                ends_hb.append(None)
        return [("ls=", starts), ("ls.hb=", starts_hb), ("rs=", ends), ("rs.hb=", ends_hb)]

    def bags(self) -> list[list[str]]:
        """Each token's multi-valued features: the labels of its children, and the edges of likely cues'
        arguments (content and source spans mostly begin and end exactly where a subject, complement or
        object of a cue starts and ends)."""
        n, dep, pos, bucket, children = self.n, self.dep, self.pos, self.bucket, self.children
        left, right = self.left, self.right
        out: list[list[str]] = []
        for i in range(n):
            deps = sorted({dep[c] for c in children[i] if dep[c] in _KEEP_CHILD_DEPS})
            extra = [f"ch={d}" for d in deps]
            if bucket[i] >= 1:
                extra += [f"cb.ch={self.bucket_text[i]}|{d}" for d in deps]
            out.append(extra)
        for i in range(n):
            b = bucket[i]
            if b < 1 or pos[i] not in ("VERB", "NOUN", "ADP", "AUX", "ADJ"):
                continue
            for c in children[i]:
                d = dep[c]
                if d not in _KEEP_CHILD_DEPS:
                    continue
                out[left[c]].append(f"argL={d}|{b}")
                out[right[c]].append(f"argR={d}|{b}")
                if right[c] + 1 < n:
                    out[right[c] + 1].append(f"argR+1={d}|{b}")
                if left[c] > 0:
                    out[left[c] - 1].append(f"argL-1={d}|{b}")
        return out


_BUCKET_TEXT = [str(b) for b in range(len(PRIOR_EDGES) + 1)]


def _shift(values: list[str], off: int, inside: list[bool]) -> list[str | None]:
    """``values[i + off]`` for each token ``i`` whose neighbour is ``inside``, else None."""
    return [values[i + off] if ok else None for i, ok in enumerate(inside)]


def _shift_pair(values: list[str], off: int, inside: list[bool]) -> list[str | None]:
    """``values[i + off]|values[i]`` for each token ``i`` whose neighbour is ``inside``, else None."""
    return [f"{values[i + off]}|{values[i]}" if ok else None for i, ok in enumerate(inside)]


def featurize(doc: Doc, prior: dict[str, int]) -> list[tuple[list[int], list[list[str]]]]:
    """Return each paragraph's token indices with the feature strings of each token (for training)."""
    features = _Features(doc, prior)
    columns = features.columns()
    bags = features.bags()
    out = []
    for para in features.paragraphs:
        rows = []
        for i in para:
            names = [prefix + value for prefix, values in columns if (value := values[i]) is not None]
            rows.append(names + bags[i])
        out.append((para, rows))
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

    def scores(self, features: _Features) -> np.ndarray:
        """Per-token label scores of a featurized Doc, ``(len(doc), len(labels))``: the sum of the weight
        rows of each token's features. Each template's distinct values are looked up once."""
        index = self.index
        unknown = len(self._padded) - 1  # unknown features map to the last row, which is all zeros
        total = np.zeros((features.n, len(self.labels)), dtype=np.float32)
        for prefix, values in features.columns():
            memo = {value: index.get(prefix + value, unknown) for value in set(values) if value is not None}
            memo[None] = unknown
            total += self._padded[np.fromiter(map(memo.__getitem__, values), np.int64, features.n)]
        bags = features.bags()
        tokens = [i for i, names in enumerate(bags) for _ in names]
        rows = [index.get(name, unknown) for names in bags for name in names]
        np.add.at(total, np.array(tokens, dtype=np.int64), self._padded[np.array(rows, dtype=np.int64)])
        return total

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
        features = _Features(doc, self.prior)
        scores = self.scores(features)
        sequences = features.paragraphs
        tags = self.viterbi_batch([scores[tokens] for tokens in sequences])
        spans: list[RoleSpan] = []
        for tokens, sequence_tags in zip(sequences, tags, strict=True):
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
