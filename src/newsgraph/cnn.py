"""The CNNs of spaCy's small pipelines, computed with less work, to the same numbers.

The ``tok2vec`` of ``en_core_web_sm`` and the one inside its ``ner`` are each a mixing layer and four
window layers, every one of them thinc's ``Maxout >> LayerNorm >> Dropout`` (the window layers inside a
``residual``). thinc runs these as separate steps, each allocating its output: the product, the maxout
over the pieces (a scalar loop over the pieces, 8 % of bare spaCy's time in a profile), the mean, the
variance, the normalised copy, the scaled copy, the shifted copy, the window columns and the residual
sum.

:func:`fuse_cnn_layers` puts a node in front of each of those layers that, when not training, does the
same arithmetic in place: the maxout weights are laid out piece by piece, so that the pieces of a row are
three contiguous blocks of the product and the maxout is two ``numpy.maximum`` calls, and the layer norm
and the residual sum are done in the product's own memory. Each operation is the one thinc performs, on
the same operands in the same order (the window columns are only not zero-filled first, and the
variance is given the mean already computed), so every value is the same to the bit
(``tests/test_cnn.py`` checks the CNNs' outputs, and ``bench/same_answers.py`` whole Records). During
training the node hands its input to thinc's layer unchanged.

On the 84 PolNeAR dev texts the two CNNs took 3.0 CPU seconds before and 2.0 after (docs/performance.md).

Each CNN starts from an embedding of every token that depends on the token's features alone (its norm,
prefix, suffix and shape, and in ``tok2vec`` whether a space follows and whether it is a space): six or
four hash-table rows, joined and mixed by the first maxout layer. :func:`remember_embeddings` keeps the
rows it has computed, by the features they were computed from, so that a word seen before is not
embedded again: on the same texts 11,702 distinct feature rows stand for 81,742 tokens, and the two
embeddings took 0.65 CPU seconds before and 0.14 after, from an empty memory. Every step of an embedding
works row by row, and new rows are embedded at least :data:`MIN_ROWS` at a time, so a remembered row is
the same to the bit as when computed among the tokens of a batch of Docs, five tokens or more (the test
checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from spacy.language import Language
from thinc.api import Model

# The names thinc gives the chains of layers this module speeds up.
MAXOUT_BLOCK = "maxout>>layernorm>>dropout"
RESIDUAL_BLOCK = f"residual(expand_window>>{MAXOUT_BLOCK})"
FUSED = "fused_"
EMBED_LAYERS = ("extract_features", "list2ragged", "with_array", "with_array", "ragged2list")
REMEMBERED = "remembered_"
# The most embedding rows one model keeps (some 27 MB of vectors and keys); when full it starts again.
MAX_REMEMBERED = 50_000
# numpy's BLAS multiplies a matrix of fewer than five rows another way, which can differ in the last bit:
# new rows are embedded at least this many at a time (padded), as they would be in a batch of Docs.
MIN_ROWS = 64
# numpy 2's var takes the mean it would otherwise compute first, the same numbers, as given.
_VAR_TAKES_MEAN = int(np.__version__.split(".")[0]) >= 2
# Each maxout layer's weights laid out piece by piece, and its bias, by the id of its weight array (the
# entry holds that array, so its id is not reused while the entry is kept).
_PIECEWISE: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def fuse_cnn_layers(nlp: Language) -> int:
    """Give every CNN layer of ``nlp``'s models a fused forward pass for inference; return how many.

    Layers of another shape (other pipelines, other thinc versions) are left as they are. The fused nodes
    are for analysis: the weights are laid out once, so a pipeline to be trained further or saved is used
    as spaCy loads it, before fusing.
    """
    fused = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if isinstance(model, Model):
            fused += _fuse_below(model, model)
    return fused


def _fuse_below(root: Model, node: Model) -> int:
    """Fuse the layers under ``node``, not looking inside those it fuses."""
    fused = 0
    for layer in list(node.layers):
        if layer.name.startswith(FUSED):
            continue  # fused before
        replacement = _fused(layer)
        if replacement is None:
            fused += _fuse_below(root, layer)
        else:
            root.replace_node(layer, replacement)
            fused += 1
    return fused


def _fused(layer: Model) -> Model | None:
    if layer.name == RESIDUAL_BLOCK and _is_maxout_block(layer.layers[0].layers[1]):
        window = layer.layers[0].layers[0]
        if window.attrs.get("window_size") != 1:
            return None
        return _wrap(layer, FUSED + RESIDUAL_BLOCK, _residual_forward)
    if _is_maxout_block(layer):
        return _wrap(layer, FUSED + MAXOUT_BLOCK, _maxout_forward)
    return None


def _is_maxout_block(layer: Model) -> bool:
    if layer.name != MAXOUT_BLOCK or len(layer.layers) != 2:
        return False
    inner = layer.layers[0]
    return inner.name == "maxout>>layernorm" and [sub.name for sub in inner.layers] == ["maxout", "layernorm"]


def _wrap(layer: Model, name: str, forward: Callable[[Model, Any, bool], Any]) -> Model:
    return Model(name, forward, layers=[layer], dims={dim: layer.maybe_get_dim(dim) for dim in ("nO", "nI")})


def _maxout_block_parts(block: Model) -> tuple[Model, Model]:
    maxout, norm = block.layers[0].layers
    return maxout, norm


def _piecewise_weights(maxout: Model) -> tuple[np.ndarray, np.ndarray]:
    """The maxout weights as (nI, nP * nO), piece after piece, and the bias in the same order (worked out
    again only when the layer's weight array is another)."""
    weights = maxout.get_param("W")
    cached = _PIECEWISE.get(id(weights))
    if cached is not None:
        return cached[1], cached[2]
    n_out, n_pieces, n_in = weights.shape
    # Rows of W in thinc's product are (output, piece); here they are (piece, output). The product's
    # columns are the same dot products, only in another order.
    columns = np.ascontiguousarray(weights.transpose(1, 0, 2).reshape(n_pieces * n_out, n_in)).T
    bias = np.ascontiguousarray(maxout.get_param("b").T.reshape(n_pieces * n_out))
    _PIECEWISE[id(weights)] = (weights, columns, bias)
    return columns, bias


def _maxout_norm(block: Model, X: np.ndarray) -> np.ndarray:
    """thinc's Maxout >> LayerNorm at inference, in place on the product."""
    maxout, norm = _maxout_block_parts(block)
    n_out, n_pieces = maxout.get_dim("nO"), maxout.get_dim("nP")
    columns, bias = _piecewise_weights(maxout)
    product = np.dot(X, columns)
    product += bias
    if n_pieces == 1:
        best = product
    else:
        best = np.maximum(product[:, :n_out], product[:, n_out : 2 * n_out])
        for piece in range(2, n_pieces):
            np.maximum(best, product[:, piece * n_out : (piece + 1) * n_out], out=best)
    # LayerNorm: thinc's mean and variance, then (X - mu) * var ** -0.5 * G + b, in place.
    mean = best.mean(axis=1, keepdims=True)
    variance = (
        best.var(axis=1, keepdims=True, mean=mean) if _VAR_TAKES_MEAN else best.var(axis=1, keepdims=True)
    )
    variance += 1e-08
    best -= mean
    best *= variance ** (-1.0 / 2.0)
    best *= norm.get_param("G")
    best += norm.get_param("b")
    return best


def _maxout_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    block = model.layers[0]
    if is_train or not _plain_floats(X):
        return block(X, is_train)
    return _maxout_norm(block, X), _no_backprop


def _residual_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    residual = model.layers[0]
    if is_train or not _plain_floats(X):
        return residual(X, is_train)
    block = residual.layers[0].layers[1]
    Y = _maxout_norm(block, _window(X))
    Y += X  # residual's X + Y; addition is commutative to the bit
    return Y, _no_backprop


def _window(X: np.ndarray) -> np.ndarray:
    """thinc's ``seq2col(X, 1)``: each row beside the rows before and after it, zeros past the ends."""
    rows, width = X.shape
    columns = np.empty((rows, 3 * width), dtype=X.dtype)
    columns[0, :width] = 0
    columns[1:, :width] = X[:-1]
    columns[:, width : 2 * width] = X
    columns[:-1, 2 * width :] = X[1:]
    columns[-1, 2 * width :] = 0
    return columns


def _plain_floats(X: Any) -> bool:
    return (
        isinstance(X, np.ndarray)
        and X.dtype == np.float32
        and X.ndim == 2
        and X.shape[0] > 0
        and X.flags.c_contiguous
    )


def _no_backprop(dY: Any) -> Any:
    raise RuntimeError("fused CNN layers compute no gradients: they run only when not training")


def remember_embeddings(nlp: Language) -> int:
    """Make the token embeddings of ``nlp``'s CNNs computed once per distinct row of features; return
    how many embeddings were given a memory.

    An embedding of another shape than hash tables mixed by a maxout (static vectors among them, say) is
    left as it is. Like the fused layers, the memory is for analysis: training the model empties it.
    """
    remembered = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if not isinstance(model, Model):
            continue
        for node in list(model.walk()):
            if node.name.startswith(REMEMBERED):
                continue  # given a memory before
            for layer in list(node.layers):
                if _is_embedding(layer):
                    memory = _Embeddings()
                    model.replace_node(
                        layer,
                        Model(
                            REMEMBERED + layer.name,
                            partial(_remembered_forward, memory),
                            layers=[layer],
                            dims={"nO": layer.maybe_get_dim("nO")},
                        ),
                    )
                    remembered += 1
    return remembered


def _is_embedding(layer: Model) -> bool:
    names = [sub.name for sub in layer.layers]
    return (
        len(names) == len(EMBED_LAYERS)
        and all(name.split("(")[0] == want for name, want in zip(names, EMBED_LAYERS, strict=True))
        and all("hashembed" in sub.name for sub in layer.layers[2].layers[0].layers)
        and layer.layers[3].name.endswith(f"({MAXOUT_BLOCK})")
    )


class _Embeddings:
    """The embedding rows a model has computed, by the bytes of the features each was computed from, and
    the weights they were computed with."""

    def __init__(self) -> None:
        self.rows: dict[bytes, int] = {}
        self.vectors = np.empty((0, 0), dtype=np.float32)
        self.params: list[Any] = []

    def forget(self) -> None:
        self.rows = {}
        self.vectors = np.empty((0, 0), dtype=np.float32)

    def lookup(self, embed: Model, docs: list[Any]) -> list[np.ndarray] | None:
        """Each Doc's embeddings by ``embed``, or None where they are not to be remembered (no tokens, or more
        distinct rows in one batch than the memory holds)."""
        params = [node.get_param(n) for node in embed.walk() for n in node.param_names if node.has_param(n)]
        if len(params) != len(self.params) or any(
            a is not b for a, b in zip(params, self.params, strict=True)
        ):
            self.forget()  # other weights (loaded anew, or a copy's): the rows kept are no use
            self.params = params
        features = embed.layers[0].predict(docs)
        lengths = [len(f) for f in features]
        if not sum(lengths):
            return None
        table = np.ascontiguousarray(np.concatenate(features), dtype=np.uint64)
        keys = table.view(f"V{8 * table.shape[1]}").ravel().tolist()  # one bytes object per token
        where = [self.rows.get(key, -1) for key in keys]
        # Each new key, with a token that has it (tokens with the same features have the same row).
        new = {key: token for token, (key, row) in enumerate(zip(keys, where, strict=True)) if row < 0}
        if len(self.rows) + len(new) > MAX_REMEMBERED:
            if len(set(keys)) > MAX_REMEMBERED:
                return None
            self.forget()
            where = [-1] * len(keys)
            new = {key: token for token, key in enumerate(keys)}
        if new:  # each new row computed once
            tokens = list(new.values())
            computed: Any = [table[tokens + tokens[:1] * (MIN_ROWS - len(tokens))]]
            for layer in embed.layers[1:]:
                computed = layer.predict(computed)
            known = len(self.rows)
            self._store(computed[0][: len(tokens)])
            self.rows.update((key, known + offset) for offset, key in enumerate(new))
            where = [row if row >= 0 else self.rows[key] for row, key in zip(where, keys, strict=True)]
        out = self.vectors[where]
        return np.split(out, np.cumsum(lengths[:-1]))

    def _store(self, vectors: np.ndarray) -> None:
        known, need = len(self.rows), len(self.rows) + len(vectors)
        if need > len(self.vectors):
            size = min(max(1024, 2 * need), MAX_REMEMBERED)
            grown = np.empty((size, vectors.shape[1]), dtype=vectors.dtype)
            if known:
                grown[:known] = self.vectors[:known]
            self.vectors = grown
        self.vectors[known:need] = vectors


def _remembered_forward(memory: _Embeddings, model: Model, docs: Any, is_train: bool) -> tuple[Any, Callable]:
    embed = model.layers[0]
    if is_train:
        memory.forget()  # the weights are about to change
        return embed(docs, is_train)
    found = memory.lookup(embed, docs)
    if found is None:
        return embed(docs, is_train)
    return found, _no_backprop
