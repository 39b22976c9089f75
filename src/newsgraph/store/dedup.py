"""Near-duplicate articles: MinHash signatures over word shingles, and LSH bands to find candidates fast.

A syndicated wire story reaches readers through many outlets, each with its own headline, dateline,
copy edits and cuts. Those copies are the *same story*: the store links them (``stories``) instead of
counting each as news of its own, so a query can say "carried by 14 outlets".

- **shingles**: runs of :data:`SHINGLE_WORDS` consecutive words of the text, lower-cased, on ``\\w+``
  tokens (punctuation, quote styles and spacing do not matter);
- **signature**: for each of :data:`PERMUTATIONS` hash functions, the smallest hash of any shingle.
  Two signatures agree at a position with probability equal to the Jaccard similarity of the two shingle
  sets, so the share of agreeing positions estimates it (standard error about 0.04 at 128 positions);
- **bands**: the signature cut into :data:`BANDS` bands of :data:`ROWS` positions; two articles whose
  signatures agree on every position of any one band are candidates, then compared in full. With 42
  bands of 3, a pair is a candidate with probability 0.68 at Jaccard 0.3, 0.94 at 0.4 and 0.996 at 0.5,
  and 0.0003 at the 0.02 of two different stories on the same topic, so checking candidates stays cheap.

Hashing is the multiply-shift family on 64-bit shingle hashes built from CRC-32 word hashes, in numpy with
fixed constants: the signatures are the same in every process and on every platform, so they can be
stored and compared later.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

# 5-word shingles: shorter ones match stock phrases ("said in a statement on") across unrelated
# stories; measured on the bundled sample, the most similar pair of different stories has Jaccard 0.012
# with 5-word shingles but 0.057 with 2-word ones.
SHINGLE_WORDS = 5
PERMUTATIONS = 126
BANDS = 42
ROWS = 3

# Two articles are the same story when their estimated Jaccard similarity reaches SAME_STORY_JACCARD, or
# when most of the shorter one's shingles are in the longer one (estimated containment at least
# SAME_STORY_CONTAINMENT): a regional paper often runs only the first half of a wire story.
# Measured on copies made from the 26 bundled wire stories (tests/test_dedup.py makes the same kinds):
# a copy with a new dateline, a sign-off line and five copy edits has estimated Jaccard 0.79-0.90; the
# first half of a story has Jaccard 0.38-0.6 but containment 0.87-1.0. Different stories: the 325 pairs
# of sample stories reach at most Jaccard 0.048 and containment 0.093 (the sample's Kyodo and Reuters
# reports of the same talks, written separately: different articles about one event, not copies, so they
# are not linked; telling that two reports cover one event needs entities and dates, not text overlap);
# the 16,290 pairs of the ScrapingHub benchmark's 181 article bodies reach at most Jaccard 0.17 and
# containment 0.33 (two outlets' reports of one company's earnings). The thresholds sit between the two.
SAME_STORY_JACCARD = 0.5
SAME_STORY_CONTAINMENT = 0.7

# Texts with fewer shingles than this (about a 20-word sentence) are too short to tell a copy from a
# stock sentence shared by different stories, and get no signature.
MIN_SHINGLES = 16

_TOKEN = re.compile(r"\w+")
_SHIFT = np.uint64(32)


def _parameters() -> tuple[np.ndarray, np.ndarray]:
    # Fixed seed: signatures written by one process must compare with those of any other.
    rng = np.random.Generator(np.random.PCG64(20240516))
    multipliers = rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
    return multipliers, offsets


_MULTIPLIERS, _OFFSETS = _parameters()
# Odd 64-bit constants for combining word hashes into shingle hashes (the golden-ratio constant and
# SplitMix64's multipliers); a different one per position, so "a b" and "b a" differ.
_SPREAD = np.uint64(0x9E3779B97F4A7C15)
_COMBINE = np.array(
    [0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F, 0xE7037ED1A0B428DB],
    dtype=np.uint64,
)[:SHINGLE_WORDS]


@dataclass(frozen=True)
class Signature:
    """An article's MinHash signature and the number of distinct shingles it summarises."""

    values: np.ndarray  # uint32, PERMUTATIONS long
    shingles: int

    def to_bytes(self) -> bytes:
        """The signature as stored: little-endian uint32 values."""
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), shingles)

    def bands(self) -> list[int]:
        """One bucket number per band: a 63-bit hash of the band's values (SQLite integers are signed)."""
        raw = self.values.astype("<u4").tobytes()
        width = ROWS * 4
        return [
            int.from_bytes(
                hashlib.blake2b(raw[i * width : (i + 1) * width], digest_size=8).digest(), "little"
            )
            >> 1
            for i in range(BANDS)
        ]

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.count_nonzero(self.values == other.values)) / PERMUTATIONS

    def containment(self, other: Signature) -> float:
        """Estimated share of the smaller shingle set found in the larger one."""
        jaccard = self.jaccard(other)
        common = jaccard / (1 + jaccard) * (self.shingles + other.shingles)
        return min(1.0, common / max(1, min(self.shingles, other.shingles)))

    def same_story(self, other: Signature) -> bool:
        """True when the two texts are copies of one story (see :data:`SAME_STORY_JACCARD`)."""
        return self.jaccard(other) >= SAME_STORY_JACCARD or self.containment(other) >= SAME_STORY_CONTAINMENT


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the set of ``size``-word shingles of ``text`` (lower-cased ``\\w+`` words joined by spaces)."""
    words = _TOKEN.findall(text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def shingle_hashes(text: str) -> np.ndarray:
    """Return the distinct 64-bit hashes of the :data:`SHINGLE_WORDS`-word shingles of ``text``.

    Each word is hashed once (CRC-32, then spread over 64 bits), and a shingle's hash combines its words'
    hashes position by position, in numpy: hashing every shingle string in Python took longer than the
    whole MinHash.
    """
    words = _TOKEN.findall(text.lower())
    count = len(words) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    with np.errstate(over="ignore"):
        spread = codes * _SPREAD + np.uint64(1)
        hashes = np.zeros(count, dtype=np.uint64)
        for position in range(SHINGLE_WORDS):
            hashes = (hashes ^ spread[position : position + count]) * _COMBINE[position]
    return np.unique(hashes)


def signature(text: str) -> Signature | None:
    """Return the MinHash signature of ``text``, or None when it is too short to compare."""
    hashes = shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return None
    # multiply-shift: (a * x + b) mod 2^64, top 32 bits; numpy's uint64 arithmetic wraps modulo 2^64
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] * _MULTIPLIERS[None, :] + _OFFSETS[None, :]) >> _SHIFT
    return Signature(mixed.min(axis=0).astype(np.uint32), len(hashes))
