"""The main event: the one event an article is about, typed by a classifier over its headline and lede.

The rules of the coder find every event they can, clause by clause; which of them the article is *about* is
a different question, and the words of the headline and the lede answer it better than any one clause does
("Curfew lifted in Beirut following agreement between mayor and protesters" is a CONCEDE story, though it
names an agreement). A linear classifier (multinomial logistic regression) reads the lead — the headline,
when the article opens with one, and the first sentence after it — and scores the sixteen PLOVER types.

Its features (:func:`lead_features`) are the lead's content words (lemmas; headline words also on their
own), headline word pairs, the root predicate of each lead sentence with its object, the type each word has
in the lexicon (``data/plover_lexicon.json``: the documented lexicon as a prior), and the types of the
events the rules coded in the lead. Its weights (``data/event_types.npz``) are learned by
``python -m newsgraph.train.events`` from the NGEC synthetic stories and the PLOVER GSR dev half; only numpy
is needed to apply them.

:func:`choose_main` then marks ``main`` on one event: the lead's coded event of the predicted type (the
headline's first, then the one highest in its parse), else a new event of that type whose trigger is the
lead word that weighs most for it, with the actor and target the rules give that word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from itertools import pairwise

import numpy as np
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.event_roles import word_keys
from newsgraph.extract.plover import Lexicon, load_lexicon
from newsgraph.schema import Event

__all__ = ["Lead", "TypeModel", "choose_main", "find_lead", "lead_features", "load_type_model"]

# A first paragraph is a headline when it has at most this many words and no full stop at its end.
_HEADLINE_WORDS = 30
# Entity labels whose words say where or who, not what happened ("Haiti", "Iranian", "Mr Ota").
_NAME_ENTS = frozenset({"GPE", "NORP", "PERSON", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL"})
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV", "ADP", "PART"})
_TRIGGER_POS = frozenset({"NOUN", "VERB", "PROPN"})


@dataclass(frozen=True)
class Lead:
    """The part of an article its main event comes from.

    Args:
        headline: The headline sentence, when the article opens with one.
        lede: The first sentence after the headline (the article's first sentence when it has none).
    """

    headline: Span | None
    lede: Span | None

    @property
    def spans(self) -> list[Span]:
        return [s for s in (self.headline, self.lede) if s is not None]

    @property
    def chars(self) -> tuple[int, int]:
        spans = self.spans
        return (spans[0].start_char, spans[-1].end_char) if spans else (0, 0)


def find_lead(doc: Doc) -> Lead:
    """The headline (a short first sentence with no full stop, ended by a line break) and the lede."""
    sents = []
    for sent in doc.sents:
        if any(not t.is_space for t in sent):
            sents.append(sent)
        if len(sents) == 2:
            break
    if not sents:
        return Lead(None, None)
    first = sents[0]
    words = [t for t in first if not (t.is_space or t.is_punct)]
    last = next((t for t in reversed(first) if not t.is_space), None)
    ends_line = first.end >= len(doc) or "\n" in doc[first.end - 1].text_with_ws or doc[first.end].is_space
    is_headline = (
        len(sents) > 1
        and 0 < len(words) <= _HEADLINE_WORDS
        and last is not None
        and last.text not in (".", "!", "?", '"', "”", "'")
        and ends_line
    )
    if is_headline:
        return Lead(first, sents[1])
    return Lead(None, first)


def _word(tok: Token) -> str | None:
    """The feature form of a word: its lower-case lemma, or None for a word that names or counts."""
    if tok.is_space or tok.is_punct or tok.like_num or (tok.is_stop and tok.pos_ not in ("ADP", "PART")):
        return None
    if tok.ent_type_ in _NAME_ENTS or tok.pos_ not in _CONTENT_POS:
        return None
    lemma = tok.lemma_.lower() if tok.pos_ != "PROPN" else tok.lower_
    return lemma if lemma.isalpha() or "-" in lemma else None


def _lexicon_type(word: str, lex: Lexicon) -> str | None:
    return _word_type(word) if lex is load_lexicon() else _type_in(word, lex)


@cache
def _word_type(word: str) -> str | None:
    return _type_in(word, load_lexicon())


def _type_in(word: str, lex: Lexicon) -> str | None:
    """The type a word has in the lexicon (its reading with no conditions), also for a title-case headline
    word the parser left unlemmatised ("Imposes", "Strikes")."""
    for key in word_keys(word, word):
        for table in (lex.verbs, lex.nouns, lex.object_nouns):
            senses = table.get(key)
            if senses:
                for sense in reversed(senses):  # the last sense is the reading with no conditions
                    if sense.type is not None:
                        return sense.type
    return None


@cache
def _word_class(word: str) -> str | None:
    """A framing class of a word: a light-verb class ("lift": undo), an intent class ("threaten": threat)."""
    lex = load_lexicon()
    for key in word_keys(word, word):
        for name in lex.light_order:
            if key in lex.light[name]:
                return f"light-{name}"
        for name in ("refusal", "request", "threat", "statement"):
            if key in lex.intent[name]:
                return f"intent-{name}"
    return None


def _frame_features(span: Span, prefix: str, lex: Lexicon) -> list[str]:
    """Each framing word of a sentence paired with the lexicon type of each later word ("Lifts Curfew":
    light-undo with COERCE; "Threatens to Expel": intent-threat with SANCTION)."""
    words = [w for w in (_word(t) for t in span) if w is not None]
    feats = []
    for i, word in enumerate(words):
        kind = _word_class(word)
        if kind is None:
            continue
        feats.append(f"{prefix}frame:{kind}")
        for later in words[i + 1 : i + 6]:
            later_type = _lexicon_type(later, lex)
            if later_type is not None:
                feats.append(f"{prefix}frame:{kind}|{later_type}")
    return feats


def _token_features(tok: Token, word: str, headline: bool, lex: Lexicon) -> list[str]:
    feats = [f"w:{word}"]
    if headline:
        feats.append(f"h:{word}")
    lex_type = _lexicon_type(word, lex)
    if lex_type is not None:
        feats.append(f"lex:{lex_type}")
        if headline:
            feats.append(f"hlex:{lex_type}")
    return feats


def lead_features(
    doc: Doc,
    events: Sequence[Event],
    lead: Lead | None = None,
    triggers: Sequence[tuple[str, tuple[int, int]]] = (),
) -> list[str]:
    """The classifier's features for an article (see the module docstring), with repeats.

    Args:
        doc: The parsed article.
        events: The events the rules coded in it.
        lead: Its lead, when already found.
        triggers: Type and span of every trigger the rules coded, also those with no party named.
    """
    lex = load_lexicon()
    lead = lead if lead is not None else find_lead(doc)
    feats: list[str] = []
    for span in lead.spans:
        headline = span is lead.headline
        prefix = "h" if headline else "l"
        words = []
        for tok in span:
            word = _word(tok)
            if word is None:
                continue
            words.append(word)
            feats += _token_features(tok, word, headline, lex)
        if headline:
            feats += [f"b:{a}_{b}" for a, b in pairwise(words)]
        feats += _frame_features(span, prefix, lex)
        root = span.root
        root_word = _word(root) or root.lemma_.lower()
        feats.append(f"{prefix}root:{root_word}")
        for child in root.children:
            if child.dep_ in ("dobj", "attr", "prep", "prt", "xcomp", "nsubjpass"):
                child_word = _word(child) or child.lower_
                feats.append(f"{prefix}ro:{root_word}|{child_word}")
    start, end = lead.chars
    for event_type, (first, _) in triggers:
        if start <= first < end:
            feats.append(f"cand:{event_type}")
            if lead.headline is not None and first < lead.headline.end_char:
                feats.append(f"hcand:{event_type}")
    for event in events:
        if event.type is None:
            continue
        if start <= event.trigger[0] < end:
            feats.append(f"rule:{event.type}")
            if lead.headline is not None and event.trigger[0] < lead.headline.end_char:
                feats.append(f"hrule:{event.type}")
        else:
            feats.append(f"body:{event.type}")
    return feats


@dataclass(frozen=True)
class TypeModel:
    """A linear classifier over sparse binary-count features.

    Args:
        classes: The PLOVER types, in the order of the weight columns.
        index: Feature name → row of ``weights``.
        weights: One row per feature, one column per class.
        bias: One value per class.
    """

    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray

    def scores(self, feats: Sequence[str]) -> np.ndarray:
        """The class scores (log-odds up to a constant) of a list of features."""
        rows = [self.index[f] for f in feats if f in self.index]
        if not rows:
            return self.bias.copy()
        return self.bias + self.weights[rows].sum(axis=0)

    def predict(self, feats: Sequence[str]) -> str:
        return self.classes[int(np.argmax(self.scores(feats)))]

    def weight(self, feature: str, cls: str) -> float:
        row = self.index.get(feature)
        return 0.0 if row is None else float(self.weights[row, self.classes.index(cls)])

    def save(self, path: str) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            features=np.array(names),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )

    @classmethod
    def load(cls, path: str) -> TypeModel:
        with np.load(path, allow_pickle=False) as data:
            names = [str(n) for n in data["features"]]
            return cls(
                classes=tuple(str(c) for c in data["classes"]),
                index={n: i for i, n in enumerate(names)},
                weights=data["weights"].astype(np.float64),
                bias=data["bias"].astype(np.float64),
            )


MODEL_FILE = "event_types.npz"


@cache
def load_type_model() -> TypeModel | None:
    """The shipped main-event classifier (``data/event_types.npz``), or None when it is absent."""
    path = files("newsgraph") / "data" / MODEL_FILE
    if not path.is_file():
        return None
    return TypeModel.load(str(path))


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        depth += 2 if tok.dep_ in ("advcl", "relcl", "acl", "pcomp", "prep", "pobj") else 1
        tok = tok.head
    return depth


def choose_main(
    doc: Doc,
    events: list[Event],
    model: TypeModel | None,
    make_event: object = None,
    triggers: Sequence[tuple[str, tuple[int, int]]] = (),
) -> list[Event]:
    """Mark ``main`` on the event the article is about, adding it when the rules did not code it.

    Args:
        doc: The parsed article.
        events: Its coded events (``main`` all False).
        model: The type classifier, used when the article has a headline; otherwise the main event is the
            lead's event highest in the parse (the headline's first), else the article's.
        make_event: ``callable(token, type) -> Event | None`` building an event with the rules' actor and
            target for a trigger word the rules did not code.
        triggers: Type and span of every trigger the rules coded, also those with no party named.

    Returns:
        The events in text order, exactly one with ``main`` True when the article has any event.
    """
    lead = find_lead(doc)
    start, end = lead.chars
    in_lead = [e for e in events if e.type and start <= e.trigger[0] < end]
    wanted: str | None = None
    if model is not None and lead.headline is not None:
        # The classifier reads a headline and a lede; a text without a headline (a single sentence, a
        # transcript) keeps the parse's choice among its first sentence's events.
        feats = lead_features(doc, events, lead, triggers)
        wanted = model.predict(feats)
    chosen = _best(doc, [e for e in in_lead if e.type == wanted] if wanted else in_lead, lead)
    if chosen is None and wanted is not None and callable(make_event):
        trigger = _trigger_word(doc, lead, wanted, model)
        if trigger is not None:
            made = make_event(trigger, wanted)
            if made is not None:
                events = [*events, made]
                chosen = made
    if chosen is None:
        chosen = _best(doc, in_lead, lead) or _best(doc, [e for e in events if e.type], lead)
    out = [replace(e, main=e is chosen) for e in events]
    out.sort(key=lambda e: e.trigger)
    return out


def _best(doc: Doc, events: Sequence[Event], lead: Lead) -> Event | None:
    """Headline first, asserted before planned or negated, then highest in the parse, then text order."""
    best: tuple[tuple[int, int, int, int, int], Event] | None = None
    head_end = lead.headline.end_char if lead.headline is not None else -1
    for event in events:
        span = doc.char_span(event.trigger[0], event.trigger[1], alignment_mode="expand")
        if span is None:
            continue
        key = (
            int(event.trigger[0] >= head_end),
            int(event.negated),
            int(event.planned),
            _depth(span.root),
            event.trigger[0],
        )
        if best is None or key < best[0]:
            best = (key, event)
    return best[1] if best else None


def _trigger_word(doc: Doc, lead: Lead, wanted: str, model: TypeModel | None) -> Token | None:
    """The lead word that weighs most for ``wanted`` (a noun or verb), else the headline's root."""
    if model is None:
        return None
    lex = load_lexicon()
    best: tuple[float, int] | None = None
    for span in lead.spans:
        headline = span is lead.headline
        for tok in span:
            if tok.pos_ not in _TRIGGER_POS:
                continue
            word = _word(tok)
            if word is None:
                continue
            weight = sum(model.weight(f, wanted) for f in _token_features(tok, word, headline, lex))
            if weight > 0 and (best is None or weight > best[0]):
                best = (weight, tok.i)
    if best is not None:
        return doc[best[1]]
    spans = lead.spans
    return spans[0].root if spans else None
