"""The one schema: every stage, the store, the exports and the API read and write these records.

Every span is a half-open ``(start, end)`` pair of character offsets into :attr:`Article.text`, so
``article.text[start:end]`` is the span's text. In JSON a span is a two-element list.

The JSON form of a :class:`Record` is the JSONL contract of ``newsgraph analyze --format jsonl``:
article fields at the top level, then ``entities``, ``attributions``, ``events``, ``places`` and
``times``. :meth:`Record.from_dict` reads back exactly what :meth:`Record.to_dict` writes.

This module imports nothing else from newsgraph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal

Span = tuple[int, int]
AttributionKind = Literal["direct", "indirect", "mixed"]
ATTRIBUTION_KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")


def _span(value: Any) -> Span | None:
    if value is None:
        return None
    start, end = value
    return (int(start), int(end))


def _span_list(value: Span | None) -> list[int] | None:
    return None if value is None else [value[0], value[1]]


# How the store keeps a field: its column, its codec and its SQL type, read by newsgraph.store.codec,
# which derives every table's columns from them. Codecs: "value" copies the value, "json" stores JSON
# text, "bool" stores 0/1, and "span" stores a [start, end) pair as <column>_start and <column>_end.
COLUMN = "column"
CODEC = "codec"
SQL_TYPE = "sql"


def stored(codec: str = "value", *, sql: str = "TEXT", column: str | None = None) -> dict[str, Any]:
    """Return the ``field(metadata=...)`` that says how the store keeps a field.

    Args:
        codec: ``value``, ``json``, ``bool`` or ``span``.
        sql: The column's declared SQL type (``TEXT``, ``INTEGER``, ``REAL``).
        column: The column's name, when it is not the field's name.
    """
    return {COLUMN: column, CODEC: codec, SQL_TYPE: sql}


@cache
def _field_names(cls: type) -> frozenset[str]:
    """The names of a dataclass's fields (``fields()`` is slow enough to matter when reading many rows)."""
    return frozenset(f.name for f in fields(cls))


@dataclass
class AlignedSentence:
    """One sentence of a translated article: its span in the original text and in the translation."""

    original: Span
    translation: Span

    def to_dict(self) -> dict[str, Any]:
        return {"original": _span_list(self.original), "translation": _span_list(self.translation)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AlignedSentence:
        original, translation = _span(data["original"]), _span(data["translation"])
        assert original is not None and translation is not None
        return cls(original=original, translation=translation)


@dataclass
class Translation:
    """How an article's English text was made from the text it was written in (GDELT's TranslationInfo,
    with the original and a sentence alignment).

    Args:
        source_language: ISO 639 code of the original (also :attr:`Article.language`).
        engine: The translator (``apertium``, ``argos``).
        engine_version: The engine's version and language data (``apertium 3.8.3, spa-eng``).
        unknown_words: Words of the original the engine could not translate (left as written).
        original_text: The article as it was read, before translation.
        sentences: Each sentence of the original with its translation, in text order; every span of the
            record lies in the translation and finds its original sentence here.
    """

    source_language: str
    engine: str
    engine_version: str
    original_text: str
    unknown_words: int = 0
    sentences: list[AlignedSentence] = field(default_factory=list)

    def original_span(self, span: Span) -> Span | None:
        """Return the span of the original sentence(s) that ``span`` of the translation was made from."""
        start, end = span
        covering = [
            s.original
            for s in self.sentences
            if s.translation[0] < max(end, start + 1) and start < s.translation[1]
        ]
        if not covering:
            return None
        return (min(s for s, _ in covering), max(e for _, e in covering))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_language": self.source_language,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "unknown_words": self.unknown_words,
            "original_text": self.original_text,
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Translation:
        return cls(
            source_language=data["source_language"],
            engine=data["engine"],
            engine_version=data.get("engine_version") or "",
            original_text=data.get("original_text") or "",
            unknown_words=int(data.get("unknown_words") or 0),
            sentences=[AlignedSentence.from_dict(s) for s in data.get("sentences") or []],
        )


def normalise_text(text: str) -> str:
    """Return ``text`` folded for duplicate detection: NFKC, lower case, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


@dataclass
class Article:
    """A news article as read from a source, before analysis.

    ``text`` is what the stages analyse. An article written in another language and translated keeps
    what it was read as in ``translation.original_text``, and ``text`` is the English translation.

    Args:
        text: The article body. Every span in a record points into this exact string.
        id: A stable identifier: the file stem for files, the URL for pages, or the JSONL ``id``.
        title: Headline, when known.
        url: Canonical URL, when known.
        outlet: Publishing outlet or site name.
        authors: Byline names.
        published: Publication date or date-time in ISO 8601 (``2024-03-14`` or
            ``2024-03-14T09:30:00+09:00``); the reference date for relative times.
        language: ISO 639-1 code of the language the article was written in.
        metadata: Anything else a source knows (source path, feed, extraction notes).
        translation: How ``text`` was translated into English, or None for an article analysed as
            written.
    """

    text: str = field(metadata=stored())
    id: str | None = field(default=None, metadata=stored())
    title: str | None = field(default=None, metadata=stored())
    url: str | None = field(default=None, metadata=stored())
    outlet: str | None = field(default=None, metadata=stored())
    authors: list[str] = field(default_factory=list, metadata=stored("json"))
    published: str | None = field(default=None, metadata=stored())
    language: str = field(default="en", metadata=stored())
    metadata: dict[str, Any] = field(default_factory=dict, metadata=stored("json"))
    translation: Translation | None = field(default=None, metadata=stored("json"))

    @property
    def original_text(self) -> str:
        """The text as it was read: the original of a translated article, else :attr:`text`."""
        return self.translation.original_text if self.translation else self.text

    @property
    def analysed(self) -> bool:
        """True when the English stages could read the article: it is English or was translated."""
        return self.language == "en" or self.translation is not None

    @property
    def key(self) -> str:
        """The storage key: a hash of the canonical URL when there is one, else of the normalised text
        (the original's, for a translated article, so translating does not change it)."""
        text = self.original_text
        basis = f"url:{self.url.strip()}" if self.url else f"text:{normalise_text(text)}"
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "language": self.language,
            "metadata": dict(self.metadata),
            "text": self.text,
            "translation": self.translation.to_dict() if self.translation else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            text=data["text"],
            id=data.get("id"),
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            authors=list(data.get("authors") or []),
            published=data.get("published"),
            language=data.get("language") or "en",
            metadata=dict(data.get("metadata") or {}),
            translation=Translation.from_dict(data["translation"]) if data.get("translation") else None,
        )


@dataclass
class Entity:
    """A person, organisation, place or other named thing, clustered across its mentions in one article.

    Args:
        id: Identifier unique within the record (``e1``, ``e2``…).
        name: The fullest name the article gives ("Ana Ribeiro").
        type: spaCy-style label: PERSON, ORG, GPE, NORP, LOC, FAC…
        aliases: Other surface forms that refer to it ("Ms Ribeiro", "the minister").
        mentions: Spans of every mention, in text order.
        role: Title or role the article gives ("Foreign Minister", "spokesman"), when any.
        country: ISO 3166-1 alpha-3 code of the country the entity belongs to or stands for, when the
            text tells it ("Portuguese Foreign Minister …" → PRT, "Beijing said" → CHN).
        sector: PLOVER sector code (GOV, MIL, COP, REB, BUS, JRN…, or IGO/NGO for international
            organisations), when the text tells it.
    """

    id: str = field(metadata=stored(column="entity_id"))
    name: str = field(metadata=stored())
    type: str = field(metadata=stored())
    aliases: list[str] = field(default_factory=list, metadata=stored("json"))
    mentions: list[Span] = field(default_factory=list, metadata=stored("json"))
    role: str | None = field(default=None, metadata=stored())
    country: str | None = field(default=None, metadata=stored())
    sector: str | None = field(default=None, metadata=stored())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [[s, e] for s, e in self.mentions],
            "role": self.role,
            "country": self.country,
            "sector": self.sector,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            name=data["name"],
            type=data["type"],
            aliases=list(data.get("aliases") or []),
            mentions=[(int(s), int(e)) for s, e in data.get("mentions") or []],
            role=data.get("role"),
            country=data.get("country"),
            sector=data.get("sector"),
        )


@dataclass
class Via:
    """One link of a reporting chain: an outlet or agency that relayed a statement."""

    name: str
    span: Span | None = None
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "span": _span_list(self.span), "entity": self.entity}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Via:
        return cls(name=data["name"], span=_span(data.get("span")), entity=data.get("entity"))


@dataclass
class Attribution:
    """Who said what, according to whom.

    Args:
        content: Span of what was said. A direct quote's content includes its quote marks, as PolNeAR
            annotates it; an indirect one starts at its complementiser ("that …") when there is one.
        kind: ``direct`` (verbatim in quote marks), ``indirect`` (reported speech) or ``mixed``
            (paraphrase carrying quoted fragments).
        source: Span of the speaker mention as written ("He", "Ms Ribeiro", "the spokesman").
        cue: Span of the reporting expression ("said", "was quoted as saying", "according to").
        speaker: Id of the resolved speaker entity, or None when it could not be resolved.
        speaker_name: The resolved speaker's name, or the source text when unresolved.
        role: The speaker's role or title as given in the text near this attribution.
        via: The reporting chain, nearest relay first.
        nested: The attribution lies inside the content of another one ("Reuters reported that the minister
            said …": the minister's statement is nested in Reuters'). PolNeAR-style annotation keeps only the
            outer one, so the PolNeAR scorer leaves nested attributions out.
        hedged: The writer hedges the report of a named speaker's statement ("the minister has reportedly
            told …").
    """

    content: Span = field(metadata=stored("span"))
    kind: str = field(default="indirect", metadata=stored())
    source: Span | None = field(default=None, metadata=stored("span"))
    cue: Span | None = field(default=None, metadata=stored("span"))
    speaker: str | None = field(default=None, metadata=stored())
    speaker_name: str | None = field(default=None, metadata=stored())
    role: str | None = field(default=None, metadata=stored())
    via: list[Via] = field(default_factory=list, metadata=stored("json"))
    nested: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    hedged: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "role": self.role,
            "source": _span_list(self.source),
            "cue": _span_list(self.cue),
            "content": _span_list(self.content),
            "kind": self.kind,
            "via": [v.to_dict() for v in self.via],
            "nested": self.nested,
            "hedged": self.hedged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        content = _span(data["content"])
        assert content is not None
        return cls(
            content=content,
            kind=data.get("kind", "indirect"),
            source=_span(data.get("source")),
            cue=_span(data.get("cue")),
            speaker=data.get("speaker"),
            speaker_name=data.get("speaker_name"),
            role=data.get("role"),
            via=[Via.from_dict(v) for v in data.get("via") or []],
            nested=bool(data.get("nested", False)),
            hedged=bool(data.get("hedged", False)),
        )


@dataclass
class Event:
    """Who did what to whom. ``type`` is a PLOVER category, or None for an uncoded candidate.

    Args:
        trigger: Span of the word that signals the event ("met", "visit").
        type: PLOVER event type, or None while the event is only a candidate.
        mode: PLOVER mode where the text gives it.
        actor: Entity id of the actor.
        target: Entity id of the target.
        place: Place id (``p1``…) where it happened.
        time: TimeRef id (``t1``…) of when it happened.
        hedged: The text does not assert it ("are thought to have met").
        negated: The text says it did not happen.
        planned: Future or planned rather than past.
        candidate: True while events are detected but not coded (kept for old records; coded events
            are False).
        actor_name: The actor as the text names it ("Afghan rebels", "Helena Marques"), also when it is
            not a named entity.
        actor_country: PLOVER actor code of the actor: the ISO 3166-1 alpha-3 code of its country, or
            IGO/NGO/IMG for an international organisation or transnational armed group.
        actor_sector: PLOVER sector code of the actor (GOV, MIL, REB…).
        target_name: The target as the text names it.
        target_country: PLOVER actor code of the target (as ``actor_country``).
        target_sector: PLOVER sector code of the target.
        reported_by: Index in the record's ``attributions`` of the attribution whose content contains
            the event (who reported it), or None when the article itself asserts it.
        main: The event the article is about (from its headline and lede); exactly one event of an
            article that has events is main.
    """

    trigger: Span = field(metadata=stored("span"))
    type: str | None = field(default=None, metadata=stored())
    mode: str | None = field(default=None, metadata=stored())
    actor: str | None = field(default=None, metadata=stored())
    target: str | None = field(default=None, metadata=stored())
    place: str | None = field(default=None, metadata=stored())
    time: str | None = field(default=None, metadata=stored())
    hedged: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    negated: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    planned: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    candidate: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    actor_name: str | None = field(default=None, metadata=stored())
    actor_country: str | None = field(default=None, metadata=stored())
    actor_sector: str | None = field(default=None, metadata=stored())
    target_name: str | None = field(default=None, metadata=stored())
    target_country: str | None = field(default=None, metadata=stored())
    target_sector: str | None = field(default=None, metadata=stored())
    reported_by: int | None = field(default=None, metadata=stored(sql="INTEGER"))
    main: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["trigger"] = _span_list(self.trigger)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        known = _field_names(cls)
        values = {k: v for k, v in data.items() if k in known}
        values["trigger"] = _span(data["trigger"])
        return cls(**values)


@dataclass
class Place:
    """A toponym, resolved to GeoNames when possible.

    Args:
        id: Identifier unique within the record (``p1``…).
        span: The mention.
        name: The place's name (the gazetteer name when resolved, else the mention text).
        geonameid: GeoNames id, None while unresolved.
        lat: Latitude of the resolved place.
        lon: Longitude of the resolved place.
        country: ISO 3166 alpha-2 code.
        resolved: False for an NER candidate not yet matched to the gazetteer.
        text: The mention as written ("the U.S.", "Va."), when it differs from ``name`` or always.
        admin1: Name of the first-level region the place lies in ("Texas"), or of the place itself when
            it is one.
        feature: GeoNames feature code of the resolved entry: CONT, PCLI (country), ADM1, ADM2, PPLC
            (capital) or PPL (town or city); RGN, SEA or LDMK for a region, sea or landmark the packaged
            GeoNames data lacks; FAC for a street, building or site placed at the article's own town.
        confidence: The resolver's share of belief in its choice among the name's candidates (0–1).
        candidates: How many gazetteer entries the name could refer to.
    """

    id: str = field(metadata=stored(column="place_id"))
    span: Span = field(metadata=stored("span"))
    name: str = field(metadata=stored())
    geonameid: int | None = field(default=None, metadata=stored(sql="INTEGER"))
    lat: float | None = field(default=None, metadata=stored(sql="REAL"))
    lon: float | None = field(default=None, metadata=stored(sql="REAL"))
    country: str | None = field(default=None, metadata=stored())
    resolved: bool = field(default=False, metadata=stored("bool", sql="INTEGER"))
    text: str | None = field(default=None, metadata=stored())
    admin1: str | None = field(default=None, metadata=stored())
    feature: str | None = field(default=None, metadata=stored())
    confidence: float | None = field(default=None, metadata=stored(sql="REAL"))
    candidates: int = field(default=0, metadata=stored(sql="INTEGER"))

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["span"] = _span_list(self.span)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        known = _field_names(cls)
        values = {k: v for k, v in data.items() if k in known}
        values["span"] = _span(data["span"])
        return cls(**values)


@dataclass
class TimeRef:
    """A temporal expression with its TimeML-style value against the publication date.

    Args:
        id: Identifier unique within the record (``t1``…).
        span: The expression.
        text: The expression's text.
        value: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Www``, ``PRESENT_REF``, ``P3D``…,
            or None when it could not be normalised.
        type: TimeML type: DATE, TIME, DURATION or SET.
        mod: TimeML modifier when the expression qualifies its value: START ("early 2019"), MID, END
            ("late November", "year-end"), APPROX ("about two years"), LESS_THAN ("nearly a year"),
            MORE_THAN ("more than a decade"), EQUAL_OR_MORE ("at least 30 days"), EQUAL_OR_LESS
            ("up to six months"); None when it does not.
    """

    id: str = field(metadata=stored(column="time_id"))
    span: Span = field(metadata=stored("span"))
    text: str = field(metadata=stored())
    value: str | None = field(default=None, metadata=stored())
    type: str = field(default="DATE", metadata=stored())
    mod: str | None = field(default=None, metadata=stored())

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["span"] = _span_list(self.span)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeRef:
        known = _field_names(cls)
        values = {k: v for k, v in data.items() if k in known}
        values["span"] = _span(data["span"])
        return cls(**values)


@dataclass
class Record:
    """An analysed article: the article and everything extracted from it.

    ``claims`` are statements the text reports without naming who made them: hedges ("officials are thought
    to have met", "reportedly"), impersonal reports ("it is expected that …"). They have the shape of an
    :class:`Attribution` with no source, speaker or via, and are kept apart from ``attributions`` so that no
    speaker is ever invented for them.
    """

    article: Article
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    claims: list[Attribution] = field(default_factory=list)

    def entity(self, entity_id: str | None) -> Entity | None:
        """Return the entity with ``entity_id``, or None."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def spans(self) -> list[Span]:
        """Every span in the record, for checking that they lie inside the text."""
        out: list[Span] = []
        for e in self.entities:
            out.extend(e.mentions)
        for a in [*self.attributions, *self.claims]:
            out.extend(s for s in (a.content, a.source, a.cue) if s is not None)
            out.extend(v.span for v in a.via if v.span is not None)
        out.extend(e.trigger for e in self.events)
        out.extend(p.span for p in self.places)
        out.extend(t.span for t in self.times)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form. On a translated record every attribution, claim, event, place and time also
        gives ``original``: the span of the sentence of the original text it was read in."""
        data = self.article.to_dict()
        data["entities"] = [e.to_dict() for e in self.entities]
        data["attributions"] = [a.to_dict() for a in self.attributions]
        data["events"] = [e.to_dict() for e in self.events]
        data["places"] = [p.to_dict() for p in self.places]
        data["times"] = [t.to_dict() for t in self.times]
        data["claims"] = [c.to_dict() for c in self.claims]
        translation = self.article.translation
        if translation is not None:
            for key, span_of in _SPAN_OF.items():
                for item, out in zip(getattr(self, key), data[key], strict=True):
                    out["original"] = _span_list(translation.original_span(span_of(item)))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            article=Article.from_dict(data),
            entities=[Entity.from_dict(e) for e in data.get("entities") or []],
            attributions=[Attribution.from_dict(a) for a in data.get("attributions") or []],
            events=[Event.from_dict(e) for e in data.get("events") or []],
            places=[Place.from_dict(p) for p in data.get("places") or []],
            times=[TimeRef.from_dict(t) for t in data.get("times") or []],
            claims=[Attribution.from_dict(c) for c in data.get("claims") or []],
        )


# The span by which each kind of reported item points back to the original of a translated article.
_SPAN_OF: dict[str, Any] = {
    "attributions": lambda a: (
        a.content if a.source is None else (min(a.content[0], a.source[0]), max(a.content[1], a.source[1]))
    ),
    "claims": lambda c: c.content,
    "events": lambda e: e.trigger,
    "places": lambda p: p.span,
    "times": lambda t: t.span,
}
