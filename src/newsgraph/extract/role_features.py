"""Features of every token for the attribution role tagger, computed column-wise with numpy.

A feature is a *template* (what is looked at: the word, the head's lemma, the dependency label of the branch
that links the token to the nearest likely cue above it…) and a *value*. Both are 64-bit keys: values are
spaCy's string hashes (or small codes, or a mix of two keys for paired values) and a feature's key mixes
its template's key with its value's. So the whole Doc is featurized as arrays, with no string built per
token, and the tagger finds each key's weights in a hash table (:class:`KeyTable`).

The features are what a reader uses: the word and its lemma, how likely that lemma is to be a reporting cue
(the cue prior, counted on the training set), and, above all, where the token sits in the parse relative to
the nearest likely cue above it (under its subject, its clausal complement, its object…), whether it opens
or closes a constituent, and whether it is inside quote marks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

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
from spacy.strings import get_string_id
from spacy.tokens import Doc

from newsgraph.extract.doctext import doc_text
from newsgraph.extract.quotes import find_quote_spans

# How many heads up the parse a token looks for a likely cue. Content clauses nest a few levels below their
# cue ("said [that [the plan [, which …]]]"); beyond eight levels the link says little.
MAX_DEPTH = 8
# Lowest cue-prior bucket that counts as "a likely cue" when a token looks for the cue governing it.
ANCHOR_BUCKET = 2
# The dependency labels that link a cue to its source and content, and the parts of speech a cue has.
_LINK_DEPS = (
    "ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "agent", "prep", "advcl", "parataxis", "mark", "pobj"
)  # fmt: skip
_CUE_POS = ("VERB", "NOUN", "ADP", "AUX")
_ARGUMENT_POS = (*_CUE_POS, "ADJ")
# Values that are not strings: small codes, kept apart from string hashes by the template they mix with.
_OUT, _IN, _OPEN, _CLOSE = 1, 2, 3, 4  # a token's place relative to quote marks
_LEFT, _RIGHT, _AT, _NONE = 1, 2, 3, 4  # a token's side of a cue
_PRESENT = 1  # value of flag features (sentence start, padding…)

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def mix(first: np.ndarray, second: np.ndarray | np.uint64) -> np.ndarray:
    """A 64-bit key for the pair ``(first, second)``, element-wise (splitmix64's finaliser over a
    multiply-xor of the two). ``first`` must be an array: uint64 arithmetic on arrays wraps silently."""
    x = np.asarray(first, dtype=np.uint64) * _M1 ^ np.asarray(second, dtype=np.uint64)
    x ^= x >> np.uint64(30)
    x *= _M2
    x ^= x >> np.uint64(27)
    x *= _M3
    x ^= x >> np.uint64(31)
    return x


def _hash(name: str) -> np.uint64:
    return np.uint64(get_string_id(name))


@cache
def _template(name: str) -> np.uint64:
    return _hash(f"role-feature:{name}")


_LINK_HASHES = np.array([get_string_id(d) for d in _LINK_DEPS], dtype=np.uint64)
_OTHER_LINK = _hash("other")
_PREP = _hash("prep")
_CUE_POS_HASHES = np.array([get_string_id(p) for p in _CUE_POS], dtype=np.uint64)
_ARGUMENT_POS_HASHES = np.array([get_string_id(p) for p in _ARGUMENT_POS], dtype=np.uint64)


def prior_table(prior: dict[str, int]) -> dict[int, int]:
    """The cue-prior table (``"lemma|POS"`` → bucket) keyed by ``mix(hash(lemma), hash(POS))``."""
    pairs = [key.rpartition("|") for key in prior]
    lemmas = np.array([get_string_id(lemma) for lemma, _, _ in pairs], dtype=np.uint64)
    tags = np.array([get_string_id(pos) for _, _, pos in pairs], dtype=np.uint64)
    return dict(zip(mix(lemmas, tags).tolist(), prior.values(), strict=True))


def paragraphs(doc: Doc, text: str | None = None) -> list[list[int]]:
    """Token indices of each paragraph of ``doc``: a line break, in a whitespace token or after a token,
    ends one; whitespace tokens belong to none. ``text`` is the Doc's text when the caller has it already.

    Worked out as arrays: a paragraph ends after a word whose following whitespace holds a line break,
    and after the last word before a whitespace token that holds one.
    """
    n = len(doc)
    if not n:
        return []
    if text is None:
        text = doc_text(doc)
    size = len(text)
    columns = doc.to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
    space = columns[:, 2] != 0
    # Offsets as str.find reads them: clipped to the text.
    starts = np.clip(columns[:, 0], 0, size)
    ends = np.clip(columns[:, 0] + columns[:, 1], 0, size)
    following = np.append(starts[1:], size)
    # breaks[k]: the line breaks in text[:k].
    breaks = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == 10, out=breaks[1:])
    index = np.arange(n)
    cut = ~space & (following > ends) & (breaks[following] > breaks[ends])
    # The last word before each token (-1: none), for the whitespace tokens that hold a line break.
    last_word = np.maximum.accumulate(np.where(space, -1, index))
    before = np.append(-1, last_word[:-1])
    ended = before[space & (breaks[ends] > breaks[starts])]
    cut[ended[ended >= 0]] = True
    words = np.flatnonzero(~space)
    bounds = (np.flatnonzero(cut[words]) + 1).tolist()
    listed = words.tolist()
    return [listed[a:b] for a, b in zip([0, *bounds], [*bounds, len(listed)], strict=True) if a < b]


class KeyTable:
    """The row of each of a set of 64-bit keys, found for many keys at once.

    numpy has no hash map, so this is one: open addressing with linear probing over two arrays, built and
    searched a probe step at a time for all keys together.

    Args:
        keys: Distinct keys; a key's row is its position here.
    """

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.uint64)
        # At most a third full, so that probe sequences stay a few steps long.
        size = 1 << max(4, int(3 * max(len(keys), 1)).bit_length())
        self.mask = np.uint64(size - 1)
        self.slots = np.zeros(size, dtype=np.uint64)
        self.rows = np.full(size, -1, dtype=np.int64)
        home = (keys & self.mask).astype(np.int64)
        pending = np.arange(len(keys))
        self.steps = 0
        while len(pending):
            slot = (home[pending] + self.steps) & int(self.mask)
            free = self.rows[slot] < 0
            # Where several keys want one free slot, the first takes it and the others probe on.
            taken, first = np.unique(slot[free], return_index=True)
            placed = pending[free][first]
            self.slots[taken] = keys[placed]
            self.rows[taken] = placed
            done = np.zeros(len(keys), dtype=bool)
            done[placed] = True
            pending = pending[~done[pending]]
            self.steps += 1

    def find(self, queries: np.ndarray) -> np.ndarray:
        """The row of each query key, or -1 for keys not in the table."""
        queries = np.asarray(queries, dtype=np.uint64).ravel()
        slot = (queries & self.mask).astype(np.int64)
        rows = self.rows[slot]
        # Most keys are settled at their home slot, found or not (an empty slot ends the search: the key
        # would have been placed there); the rest probe on.
        out = np.where(self.slots[slot] == queries, rows, -1)
        pending = np.flatnonzero((out < 0) & (rows >= 0))
        mask = int(self.mask)
        for step in range(1, self.steps):
            if not len(pending):
                break
            slot = (slot[pending] + 1) & mask if step == 1 else (slot + 1) & mask
            rows = self.rows[slot]
            hit = (rows >= 0) & (self.slots[slot] == queries[pending])
            out[pending[hit]] = rows[hit]
            going = ~hit & (rows >= 0)
            pending, slot = pending[going], slot[going]
        return out


class Features:
    """The feature keys of every token of one Doc.

    Attributes:
        paragraphs: Token indices of each paragraph: the tagger's sequences.
        templates: The name of each single-valued template, in column order.
        keys: ``(len(doc), templates)`` feature keys, one per single-valued template.
        present: Same shape: whether the token has that template's feature at all.
        bag_tokens, bag_keys: Multi-valued features (a token's child labels, the cue arguments that start
            or end at it), as parallel arrays of token index and feature key.
    """

    def __init__(self, doc: Doc, prior: dict[int, int]):
        built = _Builder(doc, prior)
        self.n = len(doc)
        self.paragraphs = built.paragraphs
        self.templates = [name for name, _, _ in built.columns]
        templates = np.array([_template(name) for name in self.templates], dtype=np.uint64)
        values = np.stack([v for _, v, _ in built.columns], axis=1) if built.columns else None
        self.keys = mix(values, templates[None, :]) if values is not None else np.zeros((0, 0), np.uint64)
        full = np.ones(self.n, dtype=bool)
        self.present = np.stack([full if p is None else p for _, _, p in built.columns], axis=1)
        self.bag_tokens, self.bag_keys = built.bags()

    def names(self, keep: np.ndarray | None = None) -> list[list[str]]:
        """Each token's feature keys as strings, for training a CRF on them; only those in ``keep`` (a
        sorted array of keys) when it is given."""
        present = self.present
        bag_ok = np.ones(len(self.bag_keys), dtype=bool)
        if keep is not None:
            present = present & np.isin(self.keys, keep, assume_unique=False)
            bag_ok = np.isin(self.bag_keys, keep)
        text = self.keys.astype(str)
        out = [row[mask].tolist() for row, mask in zip(text, present, strict=True)]
        for token, key in zip(self.bag_tokens[bag_ok].tolist(), self.bag_keys[bag_ok].tolist(), strict=True):
            out[token].append(str(key))
        return out

    def all_keys(self) -> np.ndarray:
        """Every feature key of the Doc's paragraph tokens, with repeats (for counting)."""
        tokens = np.zeros(self.n, dtype=bool)
        for para in self.paragraphs:
            tokens[para] = True
        return np.concatenate(
            [self.keys[tokens][self.present[tokens]], self.bag_keys[tokens[self.bag_tokens]]]
        )


class _Builder:
    """Computes the feature columns of one Doc; see :class:`Features`."""

    def __init__(self, doc: Doc, prior: dict[int, int]):
        self.n = n = len(doc)
        self.index = index = np.arange(n)
        text = doc_text(doc)
        array = doc.to_array([HEAD, DEP, LOWER, LEMMA, POS, TAG, SHAPE, ENT_IOB, ENT_TYPE, SENT_START])
        strings = doc.vocab.strings
        # HEAD holds the head's offset from the token as an unsigned integer: view it as signed.
        self.head = head = array[:, 0].view(np.int64) + index
        self.dep = array[:, 1]
        self.lower = array[:, 2]
        self.lemma = _recode(array[:, 3], strings, str.lower, _LOWERED)
        self.pos = array[:, 4]
        self.tag = array[:, 5]
        self.shape = _recode(array[:, 6], strings, lambda shape: shape[:4], _SHAPES)
        self.suffix = _recode(self.lower, strings, lambda word: word[-3:], _SUFFIXES)
        self.ent = mix(array[:, 7], array[:, 8])
        self.bucket = _buckets(mix(self.lemma, self.pos), prior)
        self.quote, quote_id = _quote_marks(doc, text)
        self.paragraphs = paragraphs(doc, text)
        self.seq_start = index.copy()
        self.seq_end = index.copy()  # tokens outside paragraphs (whitespace) see no neighbours
        for para in self.paragraphs:
            self.seq_start[para] = para[0]
            self.seq_end[para] = para[-1] + 1
        self.root = head == index
        self._tree()
        self._sentences(array[:, 9])
        self._quote_cues(quote_id)
        self._anchors()
        self.columns: list[tuple[str, np.ndarray, np.ndarray | None]] = []
        self._token_columns()
        self._sentence_columns()
        self._anchor_columns()
        self._edge_columns()
        self._neighbour_columns()
        self._context_columns()

    def add(self, name: str, values: np.ndarray | int, present: np.ndarray | None = None) -> None:
        if not isinstance(values, np.ndarray):
            values = np.full(self.n, values, dtype=np.uint64)
        self.columns.append((name, values.astype(np.uint64, copy=False), present))

    # The parse as arrays

    def _tree(self) -> None:
        """Depth of every token, and the first and last token of its subtree."""
        n, head, root = self.n, self.head, self.root
        depth = np.where(root, 0, -1)
        level = 0
        self.levels: list[np.ndarray] = []  # tokens at depth 1, 2, …
        while True:
            frontier = np.flatnonzero((depth == -1) & (depth[head] == level))
            if not len(frontier):
                break
            level += 1
            depth[frontier] = level
            self.levels.append(frontier)
        depth[depth < 0] = 0  # not reached from a root (a malformed parse): treated as roots
        self.depth = depth
        left, right = np.arange(n), np.arange(n)
        for tokens in reversed(self.levels):
            np.minimum.at(left, head[tokens], left[tokens])
            np.maximum.at(right, head[tokens], right[tokens])
        self.left, self.right = left, right

    def _sentences(self, starts: np.ndarray) -> None:
        """Sentence of each token, the sentence's likeliest cue and whether it holds a quote."""
        n = self.n
        is_start = starts == 1
        if n:
            is_start[0] = True
        bounds = np.flatnonzero(is_start)
        sentence = np.cumsum(is_start) - 1
        self.sent_start = bounds[sentence]
        self.sent_end = np.append(bounds[1:], n)[sentence]
        eligible = np.where(np.isin(self.pos, _CUE_POS_HASHES), self.bucket, 0)
        best = np.maximum.reduceat(eligible, bounds) if n else np.zeros(0, np.int64)
        self.sent_cue = best[sentence]
        # The first token with the sentence's highest prior, if that is above zero.
        at = np.full(len(bounds), -1)
        candidates = np.flatnonzero((eligible == self.sent_cue) & (eligible > 0))
        firsts, where = np.unique(sentence[candidates], return_index=True)
        at[firsts] = candidates[where]
        self.sent_cue_at = at[sentence]
        quoted = np.logical_or.reduceat(self.quote != _OUT, bounds) if n else np.zeros(0, bool)
        self.sent_quoted = quoted[sentence]

    def _quote_cues(self, quote_id: np.ndarray) -> None:
        """For each quote, the likeliest cue right beside it ("…,” she said" / "said: “…"): its side (after
        or before), its prior, and whether the quote runs over several sentences."""
        n, bucket = self.n, self.bucket
        self.quote_cue = np.zeros(n, dtype=np.uint64)
        for q in np.unique(quote_id[quote_id >= 0]).tolist():
            members = np.flatnonzero(quote_id == q)
            first, last = int(members[0]), int(members[-1])
            after = int(bucket[last + 1 : last + 5].max(initial=0))
            before = int(bucket[max(0, first - 4) : first].max(initial=0))
            multi = self.sent_start[first] != self.sent_start[last]
            side = _RIGHT if after >= before else _LEFT
            self.quote_cue[members] = side * 100 + max(after, before) * 10 + int(multi)

    def _anchors(self) -> None:
        """For each token, the nearest likely cue above it (within :data:`MAX_DEPTH` heads), the token just
        below that cue on the way, and the token just below the outermost likely cue above it. A token's
        answer follows from its head's, so they are settled a level at a time from the roots down."""
        n, head = self.n, self.head
        cue = self.bucket >= ANCHOR_BUCKET
        self.anchor = np.full(n, -1)
        self.anchor_node = np.full(n, -1)
        self.anchor_depth = np.zeros(n, dtype=np.int64)
        self.top = np.full(n, -1)
        for tokens in self.levels:
            h = head[tokens]
            direct = cue[h]
            inherited = (self.anchor[h] >= 0) & (self.anchor_depth[h] < MAX_DEPTH)
            self.anchor[tokens] = np.where(direct, h, np.where(inherited, self.anchor[h], -1))
            self.anchor_node[tokens] = np.where(direct, tokens, np.where(inherited, self.anchor_node[h], -1))
            self.anchor_depth[tokens] = np.where(direct, 1, np.where(inherited, self.anchor_depth[h] + 1, 0))
            self.top[tokens] = np.where(self.top[h] >= 0, self.top[h], np.where(direct, tokens, -1))

    def _link(self, tokens: np.ndarray) -> np.ndarray:
        """The dependency label of each token if it is one that links cues to arguments, else "other"."""
        dep = self.dep[tokens]
        return np.where(np.isin(dep, _LINK_HASHES), dep, _OTHER_LINK)

    # The columns

    def _token_columns(self) -> None:
        head, bucket, pos, dep, lemma = self.head, self.bucket, self.pos, self.dep, self.lemma
        for name, values in (
            ("w", self.lower),
            ("p", pos),
            ("t", self.tag),
            ("d", dep),
            ("q", self.quote),
            ("b", bucket),
            ("l", lemma),
            ("suf", self.suffix),
            ("shape", self.shape),
            ("hl", lemma[head]),
            ("hp", pos[head]),
            ("d.hd", mix(dep, dep[head])),
            ("hb", bucket[head]),
            ("e", self.ent),
            ("b.p", mix(bucket, pos)),
        ):
            self.add(name, values)

    def _sentence_columns(self) -> None:
        self.add("bos", _PRESENT, self.sent_start == self.index)
        self.add("eos", _PRESENT, self.sent_end == self.index + 1)
        self.add("s.cue", self.sent_cue)
        self.add("s.q", self.sent_quoted)
        self.add("q.s", mix(self.quote, self.sent_cue))

    def _anchor_columns(self) -> None:
        """The nearest likely cue above each token and the branch it hangs from; and the outermost one
        (PolNeAR annotates only the outer attribution of nested ones)."""
        has = self.anchor >= 0
        cue = np.where(has, self.anchor, 0)
        node = np.where(has, self.anchor_node, 0)
        link = self._link(node)
        side = np.where(self.index < cue, _LEFT, _RIGHT)
        cue_lemma = self.lemma[cue]
        self.add("a.rel", link, has)
        self.add("a.rel.b", mix(link, self.bucket[cue]), has)
        self.add("a.side", mix(link, side), has)
        self.add("a.l", cue_lemma, has)
        self.add("a.depth", np.minimum(self.anchor_depth, 4), has)
        self.add("a.rel.l", mix(link, cue_lemma), has)
        self.add("a.prep", self.lower[node], has & (self.dep[node] == _PREP))
        self.add("a.none", _PRESENT, ~has)
        has_top = self.top >= 0
        top = np.where(has_top, self.top, 0)
        top_link = self._link(top)
        above = self.head[top]
        self.add("top.rel", mix(top_link, self.bucket[above]), has_top)
        self.add("top.side", mix(top_link, np.where(self.index < above, _LEFT, _RIGHT)), has_top)

    def _edge_columns(self) -> None:
        """Which constituent starts or ends at each token: the highest one whose first (last) token it is,
        by its dependency label and its head's prior."""
        nodes = np.flatnonzero(~self.root)
        for name, edge in (("ls", self.left), ("rs", self.right)):
            highest = np.full(self.n, -1)
            # Sorted by edge, then from the top down: the first node per edge value is the highest (two
            # nodes at one depth have disjoint subtrees, so never the same edge).
            order = nodes[np.lexsort((self.depth[nodes], edge[nodes]))]
            values, first = np.unique(edge[order], return_index=True)
            highest[values] = order[first]
            has = (highest >= 0) & (highest != self.index)
            top = np.where(has, highest, 0)
            self.add(name, self.dep[top], has)
            self.add(f"{name}.hb", mix(self.dep[top], self.bucket[self.head[top]]), has)

    def _neighbour_columns(self) -> None:
        """Words two places either side inside the paragraph, or a padding feature where it ends."""
        for off in (-2, -1, 1, 2):
            inside = self._inside(off)
            j = np.where(inside, self.index + off, 0)
            lent = [("w", self.lower), ("p", self.pos), ("b", self.bucket)]
            if abs(off) == 1:
                lent += [("d", self.dep), ("q", self.quote)]
            for name, values in lent:
                self.add(f"{off}:{name}", values[j], inside)
            if abs(off) == 1:
                self.add(f"{off}:w.w", mix(self.lower[j], self.lower), inside)
            self.add(f"{off}:pad", _PRESENT, ~inside)

    def _context_columns(self) -> None:
        """Beyond the clause: where the sentence's likeliest cue is, the cue beside a quote, words three
        places away, the lemma pair ending here."""
        at = self.sent_cue_at
        gap = np.abs(self.index - at)
        # Distance in powers of two, like int.bit_length, capped at 5.
        scale = np.minimum(np.where(gap > 0, np.floor(np.log2(np.maximum(gap, 1))) + 1, 0), 5)
        side = np.where(self.index < at, _LEFT, np.where(self.index > at, _RIGHT, _AT))
        where = np.where(at < 0, _NONE * 10, side * 10 + scale.astype(np.int64))
        self.add("xcue", where)
        self.add("xcue.b", mix(where, self.sent_cue))
        self.add("xq.cue", self.quote_cue, self.quote != _OUT)
        for off in (-3, 3):
            inside = self._inside(off)
            self.add(f"x{off}:w", self.lower[np.where(inside, self.index + off, 0)], inside)
        inside = self._inside(-1)
        self.add("xl2", mix(self.lemma[np.where(inside, self.index - 1, 0)], self.lemma), inside)

    def _inside(self, off: int) -> np.ndarray:
        target = self.index + off
        return (target >= self.seq_start) & (target < self.seq_end)

    def bags(self) -> tuple[np.ndarray, np.ndarray]:
        """The multi-valued features: each token's distinct child labels (with its own prior when it may
        be a cue), and the edges of likely cues' arguments (content and source spans mostly begin and end
        exactly where a subject, complement or object of a cue starts and ends)."""
        head, dep, bucket = self.head, self.dep, self.bucket
        children = np.flatnonzero(~self.root & np.isin(dep, _LINK_HASHES))
        parents = head[children]
        pairs = np.unique(np.stack([parents, dep[children].view(np.int64)], axis=1), axis=0)
        parent, label = pairs[:, 0], pairs[:, 1].view(np.uint64)
        tokens = [parent]
        keys = [mix(label, _template("ch"))]
        cued = bucket[parent] >= 1
        tokens.append(parent[cued])
        keys.append(mix(mix(bucket[parent[cued]], label[cued]), _template("cb.ch")))
        arguments = children[(bucket[parents] >= 1) & np.isin(self.pos[parents], _ARGUMENT_POS_HASHES)]
        value = mix(dep[arguments], bucket[head[arguments]])
        left, right = self.left[arguments], self.right[arguments]
        for name, at in (("argL", left), ("argR", right), ("argR+1", right + 1), ("argL-1", left - 1)):
            ok = (at >= 0) & (at < self.n)
            tokens.append(at[ok])
            keys.append(mix(value[ok], _template(name)))
        return np.concatenate(tokens).astype(np.int64), np.concatenate(keys)


def _recode(
    hashes: np.ndarray, strings: object, change: Callable[[str], str], known: dict[int, int]
) -> np.ndarray:
    """The hashes of ``change(string)`` for string hashes; each distinct value is decoded once per process
    (``known`` keeps the answers: a hash stands for one string, so its answer never changes)."""
    distinct, inverse = np.unique(hashes, return_inverse=True)
    if len(known) > MAX_RECODED:
        known.clear()
    recoded = []
    for h in distinct.tolist():
        value = known.get(h)
        if value is None:
            value = known[h] = get_string_id(change(strings[h])) if h else 0  # type: ignore[index]
        recoded.append(value)
    return np.array(recoded, dtype=np.uint64)[inverse]


# Per process: string hash → the hash of its lower-case form, of its first four characters (shapes), of its
# last three (suffixes). Bounded: past MAX_RECODED answers a table starts again.
MAX_RECODED = 200_000
_LOWERED: dict[int, int] = {}
_SHAPES: dict[int, int] = {}
_SUFFIXES: dict[int, int] = {}


def _buckets(pairs: np.ndarray, prior: dict[int, int]) -> np.ndarray:
    """The cue-prior bucket of each token from its ``mix(lemma, POS)`` key."""
    distinct, inverse = np.unique(pairs, return_inverse=True)
    return np.array([prior.get(key, 0) for key in distinct.tolist()], dtype=np.int64)[inverse]


@lru_cache(maxsize=4)
def quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`find_quote_spans` of ``text``, remembered for the last few texts: the role features and the
    assembly of attributions both read them for the same Doc."""
    return tuple(find_quote_spans(text))


def _quote_marks(doc: Doc, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Per token: its place relative to quote spans (out, in, open, close), and the quote's index or -1."""
    state = np.full(len(doc), _OUT, dtype=np.int64)
    which = np.full(len(doc), -1, dtype=np.int64)
    for n, (start, end) in enumerate(quote_spans(text)):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        state[span.start : span.end] = _IN
        which[span.start : span.end] = n
        first = span[0]
        state[span.start] = _OPEN if first.idx == start or first.is_quote else _IN
        state[span.end - 1] = _CLOSE
    return state, which
