"""Dump every Record the full pipeline gives for a set of texts, or check a dump against a new run.

A speed-up of the pipeline must not change a single answer: run this on the old code with ``--write``,
on the new code with ``--check`` against that file, and every record (the ``analyze`` JSONL contract)
must come back identical. Texts are PolNeAR's dev split (``../shared/eval/polnear/dev/text``) when it
is there, else the bundled sample corpus (see ``throughput.load_texts``).

Usage::

    .venv/bin/python bench/same_answers.py --write before.jsonl
    .venv/bin/python bench/same_answers.py --check before.jsonl --processes 2 --batch-size 32
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import load_texts


def dump(processes: int, batch_size: int | None, count: int | None, split: str) -> list[str]:
    """The records of the texts, one JSON line each, in input order."""
    from newsgraph.pipeline import Pipeline
    from newsgraph.schema import Article

    texts, _ = load_texts(count, split)
    articles = [Article(text=text, id=str(i), published="2016-10-01") for i, text in enumerate(texts)]
    pipeline = Pipeline()
    options = {"batch_size": batch_size} if batch_size else {}
    records = pipeline.analyze(articles, processes=processes, **options)
    return [json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--write", type=Path, help="write the records to this JSONL file")
    target.add_argument("--check", type=Path, help="compare the records with this JSONL file")
    parser.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--batch-size", type=int, help="articles per batch (default: the pipeline's)")
    parser.add_argument("--texts", type=int, help="number of texts (default: every text of the split)")
    parser.add_argument("--split", choices=["dev", "train"], default="dev", help="PolNeAR split")
    args = parser.parse_args()

    lines = dump(args.processes, args.batch_size, args.texts, args.split)
    if args.write:
        args.write.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"{len(lines)} records written to {args.write}")
        return
    expected = args.check.read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(expected, lines, strict=False)) if a != b]
    if len(expected) != len(lines) or differ:
        print(
            f"DIFFERENT: {len(lines)} records against {len(expected)}; records that differ: {differ[:20]}"
            + (" …" if len(differ) > 20 else "")
        )
        sys.exit(1)
    print(f"identical: all {len(lines)} records")


if __name__ == "__main__":
    main()
