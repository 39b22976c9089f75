"""Time Store.save on synthetic records: about 3 KB of text and 10 attributions each.

Usage: python bench/store.py [N] [BATCH_SIZE]   (defaults: 1000 records, batches of 50)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.schema import Article, Attribution, Entity, Record, Via
from newsgraph.store import Store

# A Zipf-weighted vocabulary of made-up words, so the full-text index sees news-like term statistics
# rather than one sentence repeated.
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "an", "or", "el"]
_VOCABULARY = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
_WEIGHTS = [1 / rank for rank in range(1, len(_VOCABULARY) + 1)]


def synthetic_record(i: int) -> Record:
    rng = random.Random(i)
    sentences: list[tuple[int, int]] = []
    text = ""
    while len(text) < 3000:  # about 3 KB of text
        sentence = " ".join(rng.choices(_VOCABULARY, _WEIGHTS, k=12)).capitalize() + "."
        sentences.append((len(text), len(text) + len(sentence)))
        text += sentence + " "
    speaker = f"Speaker {i}"
    text += f"{speaker} said so, according to Kyodo News."
    source, via = (text.index(speaker), text.index(speaker) + len(speaker)), (len(text) - 11, len(text) - 1)
    entities = [Entity("e1", speaker, "PERSON", [f"the minister {i}"], [source], "minister")]
    attributions = [
        Attribution(span, "indirect", source, None, "e1", speaker, via=[Via("Kyodo News", via)])
        for span in sentences[:10]
    ]
    article = Article(text=text, id=f"bench-{i}", url=f"https://bench.example/{i}", published="2024-03-14")
    return Record(article, entities, attributions)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    records = [synthetic_record(i) for i in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        with Store(path) as store:
            start = time.perf_counter()
            result = store.save(records, batch_size=batch_size)
            seconds = time.perf_counter() - start
        size_kb = path.stat().st_size / 1024  # after close, so the WAL has been checkpointed into the file
    print(
        f"saved {result.added} records in {seconds:.2f} s: {result.added / seconds:.0f} records/s "
        f"(batch {batch_size}; {size_kb / max(result.added, 1):.1f} KB per record on disk)"
    )


if __name__ == "__main__":
    main()
