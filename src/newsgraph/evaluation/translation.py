"""Scoring the translated path against the English one on newsgraph's parallel test set.

The set (``data/translate/parallel.jsonl``, written for newsgraph, see the README beside it) holds short
news articles in Spanish and French, each with an English version written by hand and the gold
attributions of both: speaker, reporting chain (``via``), kind, and the reporting *frame* of the original
(``dijo`` "X said", ``dijo_a`` "X told Y", ``segun`` "according to X", ``dijo_segun`` "X said, according to
Y", ``cito`` "Y quoted X", ``citado_por`` "X said, quoted by Y", ``informo`` "X said, Y reported",
``honorific`` "el señor X dijo", ``inverted`` "«…», dijo X"). French articles also list their entities and
places.

Both paths are scored against the same gold: the original through translation and the English stages, and
the hand-written English through the English stages alone; the difference is what translation loses.
A gold attribution is found when an attribution of the record not yet matched names the same speaker
(one name contains the other, case and accents folded: "Kim" finds "Kim Jong-un"); its via is right when
that attribution's chain has every gold via.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsgraph.errors import EvalError
from newsgraph.schema import Article, Record

QUOTE_MARKS = '«»"“”„'
# Honorifics of the originals and the English forms they must come out as.
_HONORIFIC = re.compile(r"\b(?:señora?|Sra?\.|M\.|Mme|monsieur|madame)\s+(\w[\w-]*)", re.IGNORECASE)


@dataclass
class Item:
    """One article of the parallel set."""

    id: str
    language: str
    published: str
    text: str
    english: str
    gold: list[dict[str, Any]]
    part: str = "dev"
    entities: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def load_parallel(path: str | Path | None = None, part: str | None = None) -> list[Item]:
    """Read the parallel set (default: the one shipped with newsgraph).

    Args:
        path: A parallel set in the same format, instead of newsgraph's.
        part: ``dev`` (the articles the rules were written on), ``test`` (held aside while writing them)
            or None for both.

    Raises:
        EvalError: The file is missing or a line is malformed.
    """
    if path is None:
        source = resources.files("newsgraph.data").joinpath("translate/parallel.jsonl")
        lines = source.read_text(encoding="utf-8").splitlines()
        where = "newsgraph's parallel set"
    else:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise EvalError(f"{path}: cannot read the parallel set ({exc.strerror})") from None
        where = str(path)
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(Item(**data))
        except (json.JSONDecodeError, TypeError) as exc:
            raise EvalError(f"{where}, line {number}: not a parallel-set item ({exc})") from None
    return [i for i in items if part is None or i.part == part]


def fold(name: str) -> str:
    """Lower case, accents removed, punctuation to spaces, British -isation spelt -ization."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"\w+", text)).replace("isation", "ization")


def same_name(gold: str, found: str | None) -> bool:
    """True when one name contains the other as whole words, after folding."""
    if not found:
        return False
    a, b = f" {fold(gold)} ", f" {fold(found)} "
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


@dataclass
class Tally:
    """Found / total counts, overall and by a label."""

    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, hit: bool) -> None:
        for key in ("all", label):
            self.total[key] += 1
            self.found[key] += int(hit)

    def rate(self, label: str = "all") -> float | None:
        return self.found[label] / self.total[label] if self.total[label] else None


@dataclass
class PathScores:
    """Speaker and via accuracy of one path, overall and by kind and frame."""

    speaker: Tally = field(default_factory=Tally)
    via: Tally = field(default_factory=Tally)
    by_kind: Tally = field(default_factory=Tally)
    by_frame: Tally = field(default_factory=Tally)


def score_record(gold: Sequence[dict[str, Any]], record: Record, scores: PathScores, language: str) -> None:
    """Add one record's matches against its gold attributions to ``scores``."""
    unused = list(record.attributions)
    for item in gold:
        match = next((a for a in unused if same_name(item["speaker"], a.speaker_name)), None)
        if match is not None:
            unused.remove(match)
        hit = match is not None
        scores.speaker.add(language, hit)
        scores.by_kind.add(item["kind"], hit)
        scores.by_frame.add(item["frame"], hit)
        if item["via"]:
            via_hit = hit and all(any(same_name(v, found.name) for found in match.via) for v in item["via"])
            scores.via.add(language, via_hit)


@dataclass
class RuleChecks:
    """What the rules around the engine are for, counted on the translations."""

    names_kept: Tally = field(default_factory=Tally)  # gold speaker names written in the original
    honorifics: Tally = field(default_factory=Tally)  # "el señor Kim" → "Mr Kim"
    quotes_kept: Tally = field(default_factory=Tally)  # articles whose quote marks all survive
    paragraphs_kept: Tally = field(default_factory=Tally)
    unknown_words: int = 0
    words: int = 0


def check_rules(item: Item, record: Record, checks: RuleChecks) -> None:
    """Count, on one translated record, the properties the rules are meant to keep."""
    translation = record.article.translation
    english = record.article.text
    for gold in item.gold:
        name = gold["speaker"]
        if name in item.text:
            checks.names_kept.add(item.language, name in english)
    for match in _HONORIFIC.finditer(item.text):
        title = match.group(0).split()[0].lower()
        english_title = "Ms" if title.startswith(("señora", "sra", "mme", "madame")) else "Mr"
        checks.honorifics.add(item.language, f"{english_title} {match.group(1)}" in english)
    checks.quotes_kept.add(
        item.language,
        sum(english.count(q) for q in QUOTE_MARKS) == sum(item.text.count(q) for q in QUOTE_MARKS),
    )
    checks.paragraphs_kept.add(item.language, english.count("\n\n") == item.text.count("\n\n"))
    if translation is not None:
        checks.unknown_words += translation.unknown_words
    checks.words += len(item.text.split())


@dataclass
class TranslationReport:
    """Everything ``newsgraph eval translate`` prints."""

    english: PathScores
    translated: PathScores
    raw: PathScores | None
    rules: RuleChecks
    raw_rules: RuleChecks | None
    native: dict[str, Any] | None
    articles: Counter[str]


def evaluate_translation(
    items: Sequence[Item],
    analyze: Any,
    analyze_raw: Any | None = None,
    native: Any | None = None,
) -> TranslationReport:
    """Score the translated and the English path on ``items``.

    Args:
        items: The parallel set.
        analyze: Callable taking Articles and returning Records (a Pipeline's ``analyze``) that translates.
        analyze_raw: The same with Apertium's raw output (no names protected, no rules), to measure what
            the rules bring; None to skip.
        native: Callable taking French texts and returning (entity names, place names) per text with a
            native French spaCy pipeline; None to skip the comparison.
    """
    originals = [_article(i, i.text, i.language) for i in items]
    englishes = [_article(i, i.english, "en") for i in items]
    report = TranslationReport(
        PathScores(), PathScores(), None, RuleChecks(), None, None, Counter(i.language for i in items)
    )
    translated = list(analyze(originals))
    for item, record in zip(items, translated, strict=True):
        score_record(item.gold, record, report.translated, item.language)
        check_rules(item, record, report.rules)
    english = list(analyze(englishes))
    for item, record in zip(items, english, strict=True):
        score_record(item.gold, record, report.english, item.language)
    if analyze_raw is not None:
        report.raw, report.raw_rules = PathScores(), RuleChecks()
        for item, record in zip(items, analyze_raw(originals), strict=True):
            score_record(item.gold, record, report.raw, item.language)
            check_rules(item, record, report.raw_rules)
    french = [(i, r) for i, r in zip(items, translated, strict=True) if i.language == "fr" and i.entities]
    if french:
        report.native = compare_native(french, native)
    return report


def compare_native(pairs: Sequence[tuple[Item, Record]], native: Any | None) -> dict[str, Any]:
    """Entity recall and place precision/recall on French text: translated path, and native when given."""
    out: dict[str, Any] = {"translated": _entity_place_scores(pairs, [_found(r) for _, r in pairs])}
    if native is not None:
        out["native"] = _entity_place_scores(pairs, list(native([i.text for i, _ in pairs])))
    return out


def _found(record: Record) -> tuple[list[str], list[str]]:
    names = [e.name for e in record.entities] + [a for e in record.entities for a in e.aliases]
    return names, [p.name for p in record.places if p.resolved]


def _entity_place_scores(
    pairs: Sequence[tuple[Item, Record]], found: Iterable[tuple[list[str], list[str]]]
) -> dict[str, float | None]:
    entities, places_hit, places_gold, places_found = Tally(), 0, 0, 0
    correct_found = 0
    for (item, _), (names, places) in zip(pairs, found, strict=True):
        for gold in item.entities:
            entities.add("fr", any(same_name(gold, n) for n in names))
        gold_places = {fold(p) for p in item.places}
        found_places = {fold(p) for p in places}
        places_gold += len(gold_places)
        places_found += len(found_places)
        places_hit += len(gold_places & found_places)
        correct_found += len(found_places & gold_places)
    return {
        "entity_recall": entities.rate(),
        "place_recall": places_hit / places_gold if places_gold else None,
        "place_precision": correct_found / places_found if places_found else None,
    }


def _article(item: Item, text: str, language: str) -> Article:
    return Article(text=text, id=item.id, published=item.published, language=language)


def frames_lost(report: TranslationReport) -> dict[str, tuple[float | None, float | None, int]]:
    """Per frame: (English accuracy, translated accuracy, gold count)."""
    out = {}
    totals = report.english.by_frame.total
    for frame in sorted(k for k in totals if k != "all"):
        out[frame] = (
            report.english.by_frame.rate(frame),
            report.translated.by_frame.rate(frame),
            totals[frame],
        )
    return out


def as_dict(report: TranslationReport) -> dict[str, Any]:
    """The report as plain numbers (for ``--json`` and the tests)."""

    def path(scores: PathScores | None) -> dict[str, Any] | None:
        if scores is None:
            return None
        return {
            "speaker": scores.speaker.rate(),
            "via": scores.via.rate(),
            "speaker_by_language": {k: scores.speaker.rate(k) for k in scores.speaker.total if k != "all"},
            "by_kind": {k: scores.by_kind.rate(k) for k in scores.by_kind.total if k != "all"},
            "by_frame": {k: scores.by_frame.rate(k) for k in scores.by_frame.total if k != "all"},
            "gold": scores.speaker.total["all"],
            "gold_vias": scores.via.total["all"],
        }

    def rules(checks: RuleChecks | None) -> dict[str, Any] | None:
        if checks is None:
            return None
        return {
            "names_kept": checks.names_kept.rate(),
            "honorifics": checks.honorifics.rate(),
            "quotes_kept": checks.quotes_kept.rate(),
            "paragraphs_kept": checks.paragraphs_kept.rate(),
            "unknown_words": checks.unknown_words,
            "words": checks.words,
        }

    by_frame: dict[str, Any] = defaultdict(dict)
    for frame, (english, translated, count) in frames_lost(report).items():
        by_frame[frame] = {"english": english, "translated": translated, "gold": count}
    return {
        "articles": dict(report.articles),
        "english": path(report.english),
        "translated": path(report.translated),
        "raw_apertium": path(report.raw),
        "rules": rules(report.rules),
        "raw_rules": rules(report.raw_rules),
        "frames": dict(by_frame),
        "french_entities_places": report.native,
    }


FRENCH_MODELS = ("fr_core_news_md", "fr_core_news_sm")


def native_french(model: str | None = None) -> Any | None:
    """A callable giving (entity names, resolved place names) per French text with a French spaCy
    pipeline (``fr_core_news_md``, else ``fr_core_news_sm``), or None when none is installed."""
    import spacy

    from newsgraph.extract.places import find_places
    from newsgraph.geo.gazetteer import Gazetteer

    nlp = None
    for name in (model,) if model else FRENCH_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        return None
    gazetteer = Gazetteer.default()

    def run(texts: Sequence[str]) -> Iterable[tuple[list[str], list[str]]]:
        for doc in nlp.pipe(texts):
            persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
            places = find_places(doc, gazetteer, persons=persons)
            yield [e.text for e in doc.ents], [p.name for p in places if p.resolved]

    run.model = nlp.meta.get("name", "?")  # type: ignore[attr-defined]
    return run
