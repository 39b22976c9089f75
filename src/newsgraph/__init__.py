"""newsgraph: who said what, according to whom, in the news, with character offsets for every fact."""

from newsgraph.schema import Article, Attribution, Entity, Event, Place, Record, TimeRef, Via

__version__ = "0.1.0"

__all__ = ["Article", "Attribution", "Entity", "Event", "Place", "Record", "TimeRef", "Via", "__version__"]
