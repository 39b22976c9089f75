"""The text of a parsed Doc, joined once per Doc.

``Doc.text`` joins every token's text anew on each access (about 0.2 ms for an 800-word article), and
several stages need the text of the same Doc; :func:`doc_text` keeps it while the Doc lives.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text"]

# Keyed by the Doc's id; an entry goes when its Doc does, so an id reused by a later Doc never finds it.
_TEXTS: dict[int, tuple[weakref.ref[Doc], str]] = {}


def _forget(key: int) -> Callable[[weakref.ref[Doc]], None]:
    return lambda _ref: _TEXTS.pop(key, None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined on the first call for this Doc only."""
    entry = _TEXTS.get(id(doc))
    if entry is not None and entry[0]() is doc:
        return entry[1]
    text = doc.text
    _TEXTS[id(doc)] = (weakref.ref(doc, _forget(id(doc))), text)
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Record ``text``, from which ``doc`` was just made, as its text, so that no stage joins it.

    A text whose length does not match the Doc's is ignored (the Doc will join its own).
    """
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if end == len(text):
        _TEXTS[id(doc)] = (weakref.ref(doc, _forget(id(doc))), text)
