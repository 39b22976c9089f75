"""Fine-tune MiniLM-L6 as the accurate mode's token tagger (``python -m newsgraph.train.attribution --mode
accurate``).

Each paragraph of each PolNeAR training article (parsed as :func:`newsgraph.train.attribution.parse_split`
parses it) is cut into windows of at most 254 sub-words, never inside a word; a word's gold tag (the CRF's BIO
labels) is the target of its first sub-word. The word-embedding matrix stays frozen, so the weights written
(every other one, float16) stay small. After each epoch the weights go to ``<out>/epoch-N`` and to ``<out>``,
and, when a dev split is given, the CRF alone and the CRF plus ``w`` times the encoder's log-probabilities are
scored on it the way ``newsgraph eval attribution`` scores them (content / source / cue exact F1), one line
per variant in the log.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.evaluation.polnear import score_attributions
from newsgraph.extract.attribution import find_attributions_and_claims
from newsgraph.extract.entities import find_entities
from newsgraph.extract.roles import spans_from_tags
from newsgraph.extract.roles_encoder import EncoderTagger


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def examples(
    encoder: EncoderTagger, docs: list[Any], tags: list[list[str]]
) -> list[tuple[list[int], list[int]]]:
    """``(sub-word ids, label per id)`` windows of every paragraph; -100 marks ids without a target."""
    from newsgraph.extract.role_features import paragraphs

    column = {label: n for n, label in enumerate(encoder.labels)}
    out = []
    for doc, doc_tags in zip(docs, tags, strict=True):
        for tokens in paragraphs(doc):
            words = [doc[i].text for i in tokens]
            for _start, _end, ids, first in encoder.windows(words):
                labels = [column[doc_tags[tokens[w]]] if w >= 0 else -100 for w in first]
                out.append((ids, labels))
    return out


def batches(items: list[tuple[list[int], list[int]]], size: int, rng: random.Random) -> list[list[int]]:
    """Indices of ``items`` in batches of similar length, the batches in random order."""
    order = list(range(len(items)))
    rng.shuffle(order)
    pool = size * 50
    out = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda i: len(items[i][0]))
        out.extend(chunk[b : b + size] for b in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def score_dev(
    crf: Any, encoder: EncoderTagger, golds: list[Any], docs: list[Any], weights: list[float]
) -> dict:
    """Exact F1 (content, source, cue) of the CRF plus ``w`` times the encoder, for each ``w`` (0: the CRF
    alone), with the attribution assembly the pipeline runs."""
    encoder.model.eval()
    prepared = []
    for doc in docs:
        features = crf.features(doc)
        sequences = features.paragraphs
        prepared.append((features, sequences, crf.scores(features), encoder.log_probs(doc, sequences)))
    entities = [find_entities(doc) for doc in docs]
    out = {}
    for weight in weights:
        pairs = []
        for gold, doc, ents, (_f, sequences, scores, logp) in zip(
            golds, docs, entities, prepared, strict=True
        ):
            combined = scores + weight * logp
            tags = crf.viterbi_batch([combined[t] for t in sequences])
            spans = [s for t, seq in zip(sequences, tags, strict=True) for s in spans_from_tags(t, seq)]
            found, claims = find_attributions_and_claims(doc, ents, spans)
            pairs.append((gold, [*found, *claims]))
        report = score_attributions(pairs).to_dict()["scores"]["all"]
        out[str(weight)] = [round(100 * report[r]["exact"]["f1"], 1) for r in ("content", "source", "cue")]
    return out


def train_encoder(
    polnear: Path,
    out: Path,
    model: str,
    cache: Path,
    limit: int | None,
    epochs: int = 3,
    lr: float = 1e-4,
    batch_size: int = 16,
    dev: Path | None = None,
    weights: tuple[float, ...] = (0.3, 0.5, 1.0),
    seed: int = 13,
    threads: int | None = None,
    bf16: bool = False,
) -> None:
    """Fine-tune the encoder on ``polnear`` and write it to ``out`` after every epoch.

    With ``bf16`` the forward pass runs under bfloat16 autocast (the weights and the optimiser stay float32),
    about twice as fast on CPUs with AMX or AVX512-BF16 units.
    """
    import torch

    from newsgraph.extract.roles import default_tagger
    from newsgraph.train.attribution import gold_tags, parse_split

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    started = time.perf_counter()
    golds, docs = parse_split(polnear, model, cache, limit)
    dev_golds, dev_docs = parse_split(dev, model, cache, None) if dev else ([], [])
    _log(f"parsed in {time.perf_counter() - started:.0f} s")
    crf = default_tagger()
    encoder = EncoderTagger.build(list(crf.labels))
    for name, param in encoder.model.named_parameters():
        if name.endswith("word_embeddings.weight"):
            param.requires_grad = False
    tags = [gold_tags(doc, gold) for doc, gold in zip(docs, golds, strict=True)]
    items = examples(encoder, docs, tags)
    _log(f"{len(items)} windows from {len(docs)} articles on {encoder.device}")
    params = [p for p in encoder.model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(items) + batch_size - 1) // batch_size)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    history: list[dict[str, Any]] = []
    for epoch in range(1, epochs + 1):
        encoder.model.train()
        epoch_started = time.perf_counter()
        losses = []
        for n, batch in enumerate(batches(items, batch_size, rng), 1):
            longest = max(len(items[i][0]) for i in batch)
            ids = torch.zeros((len(batch), longest), dtype=torch.long)
            labels = torch.full((len(batch), longest), -100, dtype=torch.long)
            mask = torch.zeros((len(batch), longest), dtype=torch.long)
            for row, i in enumerate(batch):
                piece_ids, piece_labels = items[i]
                ids[row, : len(piece_ids)] = torch.tensor(piece_ids)
                labels[row, : len(piece_ids)] = torch.tensor(piece_labels)
                mask[row, : len(piece_ids)] = 1
            device = encoder.device
            with torch.autocast(device.split(":")[0], dtype=torch.bfloat16, enabled=bf16):
                loss = encoder.model(
                    input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device)
                ).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            if n % 100 == 0:
                _log(f"epoch {epoch} batch {n}: loss {np.mean(losses[-100:]):.4f}")
        seconds = time.perf_counter() - epoch_started
        entry: dict[str, Any] = {
            "epoch": epoch,
            "seconds": round(seconds),
            "loss": round(float(np.mean(losses)), 4),
        }
        _log(f"epoch {epoch} done in {seconds:.0f} s, mean loss {entry['loss']}")
        if dev_docs:
            entry["dev_exact_f1"] = score_dev(crf, encoder, dev_golds, dev_docs, [0.0, *weights, 100.0])
            _log(f"epoch {epoch} dev exact F1 content/source/cue by weight: {entry['dev_exact_f1']}")
        history.append(entry)
        extra = {
            "trained_on": polnear.name,
            "epochs": epoch,
            "lr": lr,
            "batch_size": batch_size,
            "bf16": bf16,
            "history": history,
        }
        encoder.save(out / f"epoch-{epoch}", extra)
        encoder.save(out, extra)
    (out / "history.json").write_text(json.dumps(history, indent=1) + "\n", encoding="utf-8")
    _log(f"trained in {time.perf_counter() - started:.0f} s")
