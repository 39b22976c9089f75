"""Attribution evaluation on PolNeAR (Newell, Margolin & Ruths, LREC 2018).

A PolNeAR split (``dev``, ``train``…) is a folder with ``text/<article>.txt`` and brat standoff files
``attributions/<article>_<annotator>.ann``; ``metadata.tsv`` in the split or its parent gives publication
dates. Some articles were annotated by several annotators; :func:`load_polnear` reads the first file in
sorted order, so the gold set is the same on every run.

In brat, an attribution is an event line ``E3<TAB>Attribution:T12 Content:T11 Cue:T10 Source:T9`` whose
arguments point at text-bound lines ``T9<TAB>Source 416 418<TAB>he``. A role may be missing (the
``Attribution-no-source`` type has no source) and a span may be discontinuous (``315 448;463 553``);
numbered roles such as ``Content2`` add fragments to their role.

Scoring follows the per-role tables of the attribution literature (PolNeAR, CofeNet): each role
(content, source, cue) is matched on its own across the article, micro-averaged over the set.

- **exact**: a predicted span matches a gold span of the same role when both have the same start and end
  once quote marks, whitespace and ``.,;:!?…`` are trimmed from both ends of each. The trimming is there
  because PolNeAR content includes the quote marks of a direct quote and newsgraph's content excludes
  them by contract; comparing untrimmed boundaries would count every direct quote as wrong. A
  discontinuous gold span is compared through its extent, from its first fragment's start to its last
  fragment's end. Matching is one-to-one: identical spans count once per occurrence on each side.
- **strict**: the same without trimming, as the published exact-span figures are computed.
- **token**: tokens are the ``\\w+`` runs of the article text (punctuation is not a token, so quote marks
  do not count). For each article and role, G is the set of tokens overlapping any gold fragment of that
  role and P the set overlapping any predicted span; precision = |P ∩ G| / |P|, recall = |P ∩ G| / |G|,
  with numerators and denominators summed over articles before dividing.
- **relation**: a predicted attribution matches a gold one when content, source and cue all match as in
  *exact* (a role missing on one side must be missing on the other).

Predictions are put in the gold's shape first: attributions sharing a cue and source are one relation whose
content is the extent of their contents (newsgraph gives each piece of a split quote its own attribution;
PolNeAR gives them one relation with a discontinuous content), attributions marked ``nested`` are left out
(PolNeAR annotates only the outer one), and a record's ``claims`` count as relations without a source.

Every figure is also given for the **quoted** subset: gold and predicted attributions whose content is
quote-marked, meaning a quote character (“ ” " « » ‘ ’) lies within two characters of the start or end of
the content's extent (a ‘ or ’ between two letters is an apostrophe and does not count).
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rich.table import Table

from newsgraph.errors import EvalError
from newsgraph.evaluation.scores import Score
from newsgraph.schema import Article, Attribution, Record, Span

ROLES: tuple[str, ...] = ("content", "source", "cue")
SUBSETS: tuple[str, ...] = ("all", "quoted")

QUOTE_CHARS = frozenset('“”"«»‘’')
# Two characters either side of a boundary catch both conventions: gold content that includes its quote
# marks (the mark is at the boundary) and content that excludes them (the mark is just outside, possibly
# after a comma: ``peoples,"``).
QUOTE_WINDOW = 2
_TRIMMED = frozenset(" \t\r\n\u00a0") | QUOTE_CHARS | frozenset("'`.,;:!?…")
_TOKEN = re.compile(r"\w+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A brat annotation line starts with its id: T3, E1, A2, R4, N1, or # for notes.
_BRAT_ID = re.compile(r"^(?:[TEARNM]\d+|#\d*)$")

Fragments = tuple[Span, ...]


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution relation; each role is a tuple of ``(start, end)`` fragments in text order.

    Args:
        id: The brat event id (``E3``).
        content: Fragments of what was said; empty when the annotator gave none.
        source: Fragments of who said it; empty for ``Attribution-no-source``.
        cue: Fragments of the reporting expression.
    """

    id: str
    content: Fragments = ()
    source: Fragments = ()
    cue: Fragments = ()

    def fragments(self, role: str) -> Fragments:
        """Return the fragments of ``role`` (one of :data:`ROLES`)."""
        return getattr(self, role)

    def extent(self, role: str) -> Span | None:
        """Return ``(first start, last end)`` of ``role``, or None when the role is missing."""
        return _extent(self.fragments(role))


@dataclass
class GoldArticle:
    """An article of a PolNeAR split with the attributions of one annotator.

    Args:
        id: The file stem, shared by the text and annotation files.
        text: The ``.txt`` file's text exactly as stored, so gold offsets index into it.
        attributions: The annotator's attribution relations, in file order.
        published: Publication date (``YYYY-MM-DD``) from ``metadata.tsv``, when found.
        annotator: The annotator id taken from the annotation file name, when it has one.
    """

    id: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    published: str | None = None
    annotator: str | None = None

    @property
    def article(self) -> Article:
        """The article as the pipeline should read it."""
        return Article(text=self.text, id=self.id, published=self.published)


def parse_brat(ann: str, text: str | None = None, source: str = "<annotations>") -> list[GoldAttribution]:
    """Read the attribution relations of one brat standoff file.

    Args:
        ann: The ``.ann`` file's content.
        text: The article text; when given, every span must lie inside it.
        source: Name of the file, for error messages.

    Returns:
        One :class:`GoldAttribution` per ``Attribution…`` event line, in file order.

    Raises:
        EvalError: A line is malformed, an event names an unknown span, or a span lies outside ``text``.
    """
    spans: dict[str, Fragments] = {}
    events: list[tuple[str, list[tuple[str, str]], int]] = []
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        parts = line.split("\t")
        if not _BRAT_ID.match(parts[0]):
            # The text field of a span that crosses a line break goes on over the following lines.
            continue
        if line[0] == "T":
            spans[parts[0]] = _read_text_bound(parts, where, text)
        elif line[0] == "E":
            if len(parts) < 2 or not parts[1].split():
                raise EvalError(f"{where}: malformed event line {line!r}")
            kind, *arguments = parts[1].split()
            if not kind.startswith("Attribution"):
                continue
            roles = []
            for argument in arguments:
                role, colon, span_id = argument.partition(":")
                if not (colon and role and span_id):
                    raise EvalError(f"{where}: malformed event argument in {line!r} (expected Role:T<n>)")
                roles.append((role, span_id))
            events.append((parts[0], roles, number))
        # Other brat lines (attributes A, relations R, notes #) carry nothing PolNeAR scores.

    attributions = []
    for event_id, roles, number in events:
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        for role, span_id in roles:
            # Numbered roles (Content2) are further fragments of the same role.
            name = role.rstrip("0123456789").lower()
            if name not in found:
                continue
            if span_id not in spans:
                raise EvalError(f"{source}:{number}: event {event_id} names {span_id}, which is not defined")
            found[name].extend(spans[span_id])
        attributions.append(GoldAttribution(event_id, **{r: tuple(sorted(f)) for r, f in found.items()}))
    return attributions


def _read_text_bound(parts: list[str], where: str, text: str | None) -> Fragments:
    if len(parts) < 2:
        raise EvalError(f"{where}: malformed text-bound line (expected T<n><TAB>Type start end<TAB>text)")
    _, _, offsets = parts[1].partition(" ")
    fragments = []
    for piece in offsets.split(";"):
        try:
            start, end = (int(n) for n in piece.split())
        except ValueError:
            raise EvalError(
                f"{where}: malformed offsets {offsets!r} (expected 'start end[;start end…]')"
            ) from None
        if not 0 <= start <= end or (text is not None and end > len(text)):
            size = "" if text is None else f" ({len(text)} characters)"
            raise EvalError(f"{where}: span {start}-{end} of {parts[0]} lies outside the text{size}")
        fragments.append((start, end))
    return tuple(sorted(fragments))


def load_polnear(directory: str | Path) -> Iterator[GoldArticle]:
    """Read a PolNeAR split, one article at a time in file-name order.

    Args:
        directory: A split folder such as ``../shared/eval/polnear/dev``, holding ``text/`` and
            ``attributions/``.

    Returns:
        An iterator of :class:`GoldArticle`. The folder's layout is checked before this returns; each
        annotation file is checked as its article is read.

    Raises:
        EvalError: The folder is missing, lacks ``text/`` or ``attributions/``, has no texts, has a text
            without an annotation file, or holds a malformed annotation file.
    """
    root = Path(directory)
    if not root.is_dir():
        raise EvalError(
            f"{root}: PolNeAR split not found (pass a folder such as ../shared/eval/polnear/dev that holds "
            "text/ and attributions/)"
        )
    text_dir, ann_dir = root / "text", root / "attributions"
    for folder in (text_dir, ann_dir):
        if not folder.is_dir():
            raise EvalError(
                f"{root}: no {folder.name}/ folder; a PolNeAR split holds text/*.txt and attributions/*.ann"
            )
    texts = sorted(text_dir.glob("*.txt"))
    if not texts:
        raise EvalError(f"{text_dir}: no .txt files")

    stems = {path.stem for path in texts}
    annotations: dict[str, list[Path]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        # <stem>.ann or <stem>_<annotator>.ann; stems themselves contain underscores.
        stem = path.stem if path.stem in stems else path.stem.rsplit("_", 1)[0]
        annotations.setdefault(stem, []).append(path)
    missing = [path.stem for path in texts if path.stem not in annotations]
    if missing:
        raise EvalError(
            f"{ann_dir}: no annotation file for {len(missing)} of {len(texts)} articles, "
            f"first {missing[0]} (expected {missing[0]}_<annotator>.ann)"
        )
    return _read_articles(texts, annotations, _publication_dates(root))


def _read_articles(
    texts: list[Path], annotations: dict[str, list[Path]], dates: dict[str, str]
) -> Iterator[GoldArticle]:
    for path in texts:
        ann_path = annotations[path.stem][0]
        text = _read(path)
        annotator = ann_path.stem[len(path.stem) + 1 :] or None
        yield GoldArticle(
            id=path.stem,
            text=text,
            attributions=parse_brat(_read(ann_path), text, str(ann_path)),
            published=dates.get(path.stem),
            annotator=annotator,
        )


def _read(path: Path) -> str:
    # newline="" keeps the file's characters exactly, so brat offsets line up even with CRLF endings.
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc


def _publication_dates(root: Path) -> dict[str, str]:
    for candidate in (root / "metadata.tsv", root.parent / "metadata.tsv"):
        if candidate.is_file():
            with candidate.open(encoding="utf-8", newline="") as handle:
                rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                return {
                    row["filename"]: row["publication_date"]
                    for row in rows
                    if row.get("filename") and _DATE.match(row.get("publication_date") or "")
                }
    return {}


@dataclass
class RoleScore:
    """The exact, strict and token scores of one role (token is None for whole relations)."""

    exact: Score = field(default_factory=Score)
    strict: Score = field(default_factory=Score)
    token: Score | None = field(default_factory=Score)

    def to_dict(self) -> dict[str, Any]:
        data = {"exact": self.exact.to_dict(), "strict": self.strict.to_dict()}
        if self.token is not None:
            data["token"] = self.token.to_dict()
        return data


def _empty_scores() -> dict[str, dict[str, RoleScore]]:
    return {
        subset: {**{role: RoleScore() for role in ROLES}, "relation": RoleScore(token=None)}
        for subset in SUBSETS
    }


@dataclass
class AttributionReport:
    """Attribution scores over a set of articles; feed it with :meth:`add`.

    Args:
        articles: Articles scored.
        gold_attributions: Gold relations, including any without content.
        predicted_attributions: Predicted relations.
        quoted_gold: Gold relations whose content is quote-marked.
        quoted_predicted: Predicted relations whose content is quote-marked.
        scores: ``scores[subset][role]`` for subset in :data:`SUBSETS` and role in :data:`ROLES` or
            ``"relation"``.
    """

    articles: int = 0
    gold_attributions: int = 0
    predicted_attributions: int = 0
    quoted_gold: int = 0
    quoted_predicted: int = 0
    scores: dict[str, dict[str, RoleScore]] = field(default_factory=_empty_scores)

    def add(self, gold: GoldArticle, predicted: Sequence[Attribution]) -> None:
        """Score one article's predicted attributions against its gold ones."""
        text = gold.text
        gold_units = [{role: a.fragments(role) for role in ROLES} for a in gold.attributions]
        predicted_units = _predicted_units(predicted)
        quoted_gold = [u for u in gold_units if _quote_marked(text, u["content"])]
        quoted_predicted = [u for u in predicted_units if _quote_marked(text, u["content"])]
        self.articles += 1
        self.gold_attributions += len(gold_units)
        self.predicted_attributions += len(predicted_units)
        self.quoted_gold += len(quoted_gold)
        self.quoted_predicted += len(quoted_predicted)

        tokens = _Tokens(text)
        for subset, golds, preds in (
            ("all", gold_units, predicted_units),
            ("quoted", quoted_gold, quoted_predicted),
        ):
            for role in ROLES:
                gold_spans = [u[role] for u in golds if u[role]]
                pred_spans = [u[role] for u in preds if u[role]]
                score = self.scores[subset][role]
                _add_exact(
                    score.exact,
                    [_trim(text, _extent(f)) for f in pred_spans],
                    [_trim(text, _extent(f)) for f in gold_spans],
                )
                _add_exact(score.strict, [_extent(f) for f in pred_spans], [_extent(f) for f in gold_spans])
                assert score.token is not None
                p, g = tokens.covered(pred_spans), tokens.covered(gold_spans)
                score.token.add(len(p & g), len(p), len(g))
            relation = self.scores[subset]["relation"]
            _add_exact(
                relation.exact,
                [_relation(text, u, trim=True) for u in preds],
                [_relation(text, u, trim=True) for u in golds],
            )
            _add_exact(
                relation.strict,
                [_relation(text, u, trim=False) for u in preds],
                [_relation(text, u, trim=False) for u in golds],
            )

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return {
            "articles": self.articles,
            "gold_attributions": self.gold_attributions,
            "predicted_attributions": self.predicted_attributions,
            "quoted_gold": self.quoted_gold,
            "quoted_predicted": self.quoted_predicted,
            "scores": {
                subset: {role: score.to_dict() for role, score in roles.items()}
                for subset, roles in self.scores.items()
            },
        }

    def table(self) -> Table:
        """Return the scores as a rich table, percentages with one decimal."""
        table = Table(
            title=(
                f"PolNeAR attribution: {self.articles} articles, {self.gold_attributions} gold / "
                f"{self.predicted_attributions} predicted "
                f"({self.quoted_gold} / {self.quoted_predicted} quote-marked)"
            )
        )
        for name in ("subset", "role", "gold", "pred"):
            table.add_column(name)
        for name in ("exact P", "exact R", "exact F1", "strict F1", "token P", "token R", "token F1"):
            table.add_column(name, justify="right")
        for subset, roles in self.scores.items():
            for role, score in roles.items():
                token = score.token
                cells = [
                    _percent(score.exact.precision),
                    _percent(score.exact.recall),
                    _percent(score.exact.f1),
                    _percent(score.strict.f1),
                    *(
                        ("", "", "")
                        if token is None
                        else map(_percent, (token.precision, token.recall, token.f1))
                    ),
                ]
                table.add_row(subset, role, str(score.exact.gold), str(score.exact.predicted), *cells)
            if subset != SUBSETS[-1]:
                table.add_section()
        return table


def _predicted_units(predicted: Sequence[Attribution]) -> list[dict[str, Fragments]]:
    """Predicted attributions as gold-shaped relations.

    PolNeAR gives one relation per cue, with every piece of its content as a fragment ("“A,” she said, “B.”"
    is one relation whose content is A and B), and annotates only the outermost of nested attributions. So
    predicted attributions that share a cue (and source) are joined into one relation whose content
    fragments are their contents, and nested ones (``Attribution.nested``) are left out.
    """
    units: list[dict[str, Fragments]] = []
    by_cue: dict[tuple[Span, Span | None], dict[str, Fragments]] = {}
    for a in predicted:
        if a.nested:
            continue
        if a.cue is not None:
            unit = by_cue.get((a.cue, a.source))
            if unit is not None:
                unit["content"] = tuple(sorted({*unit["content"], a.content}))
                continue
        unit = {
            role: (span,) if span is not None else ()
            for role, span in zip(ROLES, (a.content, a.source, a.cue), strict=True)
        }
        if a.cue is not None:
            by_cue[(a.cue, a.source)] = unit
        units.append(unit)
    return units


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def _extent(fragments: Fragments) -> Span | None:
    if not fragments:
        return None
    return (min(s for s, _ in fragments), max(e for _, e in fragments))


def _trim(text: str, span: Span | None) -> Span | None:
    if span is None:
        return None
    start, end = span
    while start < end and text[start] in _TRIMMED:
        start += 1
    while end > start and text[end - 1] in _TRIMMED:
        end -= 1
    return (start, end)


def _relation(text: str, unit: dict[str, Fragments], trim: bool) -> tuple[Span | None, ...]:
    extents = (_extent(unit[role]) for role in ROLES)
    return tuple(_trim(text, e) if trim else e for e in extents)


def _add_exact(score: Score, predicted: list[Any], gold: list[Any]) -> None:
    # Multiset intersection: one-to-one matching of identical keys.
    matched = sum((Counter(predicted) & Counter(gold)).values())
    score.add(matched, len(predicted), len(gold))


def _quote_marked(text: str, fragments: Fragments) -> bool:
    # The extent, not each fragment, so that a prediction of the same extent falls in the same subset.
    extent = _extent(fragments)
    return extent is not None and any(_near_quote(text, position) for position in extent)


def _near_quote(text: str, position: int) -> bool:
    for i in range(max(0, position - QUOTE_WINDOW), min(len(text), position + QUOTE_WINDOW)):
        if text[i] in QUOTE_CHARS and not _is_apostrophe(text, i):
            return True
    return False


def _is_apostrophe(text: str, i: int) -> bool:
    return text[i] in "‘’" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


class _Tokens:
    """The ``\\w+`` tokens of a text, to find which ones a set of spans covers."""

    def __init__(self, text: str) -> None:
        matches = list(_TOKEN.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def covered(self, spans: Iterable[Fragments]) -> set[int]:
        """Return indices of tokens sharing at least one character with any fragment."""
        out: set[int] = set()
        for fragments in spans:
            for start, end in fragments:
                first = bisect.bisect_right(self.ends, start)
                last = bisect.bisect_left(self.starts, end)
                out.update(range(first, last))
        return out


def score_attributions(pairs: Iterable[tuple[GoldArticle, Sequence[Attribution]]]) -> AttributionReport:
    """Score predicted attributions, given per article, against the gold ones.

    Args:
        pairs: ``(gold article, predicted attributions)``; predicted spans index into the gold text.

    Returns:
        The report over all pairs.
    """
    report = AttributionReport()
    for gold, predicted in pairs:
        report.add(gold, predicted)
    return report


class Analyzer(Protocol):
    """Anything with :meth:`newsgraph.pipeline.Pipeline.analyze`'s signature."""

    def analyze(
        self, articles: Iterable[Article], processes: int = ..., batch_size: int = ...
    ) -> Iterator[Record]: ...


def evaluate_attribution(
    directory: str | Path,
    pipeline: Analyzer,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
) -> AttributionReport:
    """Analyse a PolNeAR split with ``pipeline`` and score its attributions.

    Args:
        directory: A split folder such as ``../shared/eval/polnear/dev``.
        pipeline: A :class:`newsgraph.pipeline.Pipeline` (or anything with its ``analyze``).
        limit: Score only the first ``limit`` articles in file-name order.
        progress: Called as ``progress(done, total)`` after each article.
        processes: Worker processes for the analysis.

    Returns:
        The :class:`AttributionReport`.

    Raises:
        EvalError: The split is missing or malformed, or the pipeline returned records that do not line
            up with the articles (wrong order, count or text).
    """
    if limit is not None and limit < 0:
        raise EvalError(f"limit must be 0 or more, got {limit}")
    golds = list(itertools.islice(load_polnear(directory), limit))
    records = pipeline.analyze((g.article for g in golds), processes=processes)
    report = AttributionReport()
    done = 0
    for record in records:
        if done >= len(golds):
            raise EvalError(f"the pipeline returned more records than the {len(golds)} articles it was given")
        gold = golds[done]
        if record.article.id != gold.id:
            raise EvalError(
                f"record {done} is {record.article.id!r}, expected {gold.id!r}: records must keep input order"
            )
        if record.article.text != gold.text:
            raise EvalError(
                f"{gold.id}: the pipeline changed the article text, so its offsets cannot be scored"
            )
        # Claims are attributions without a source; PolNeAR annotates those too (Attribution-no-source).
        report.add(gold, [*record.attributions, *record.claims])
        done += 1
        if progress is not None:
            progress(done, len(golds))
    if done != len(golds):
        raise EvalError(f"the pipeline returned {done} records for {len(golds)} articles")
    return report
