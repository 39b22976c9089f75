"""Places: toponyms found by NER and the gazetteer, resolved to GeoNames with evidence from the article.

Detection takes spaCy's GPE, LOC and FAC entities, then adds what the model misses or mislabels: an ORG,
PERSON or NORP entity, or an untagged proper noun, whose whole text is a well-known place in the gazetteer
(a country, continent, first-level region or a city of at least :data:`UNTAGGED_MIN_POPULATION`), unless
the article uses the same word as a person's name. Demonyms and nationality adjectives ("Portuguese",
"North Korean") are not places: they are returned by :func:`find_demonyms` as country references, which the
resolver uses as evidence and the actor stage turns into entity attributes.

Resolution is :func:`newsgraph.geo.resolve.resolve`; see there for the evidence it weighs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import ENT_TYPE, IDX, IS_TITLE, LENGTH, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span

from newsgraph.extract.countries import by_demonym, by_name
from newsgraph.extract.doctext import doc_text
from newsgraph.geo.gazetteer import ALTERNATE, CODE, MAIN, Candidate, Gazetteer
from newsgraph.geo.resolve import Mention, Resolution, candidates_for, resolve
from newsgraph.schema import Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels under which spaCy's small English model often files a place ("Afrin" as ORG, "Georgia" as PERSON).
RELABEL_LABELS = frozenset({"ORG", "PERSON", "NORP"})
# An untagged or mislabelled name is taken for a city only from this size: below it, town names collide
# with surnames and common words ("Hope", "Mobile", "Bath"), which cost more precision than they add recall
# on GeoWebNews.
UNTAGGED_MIN_POPULATION = 100_000
# Longest run of tokens tried as an untagged place name ("Rio de Janeiro", "Bosnia and Herzegovina").
_MAX_UNTAGGED_TOKENS = 4
_PROPN = POS_IDS["PROPN"]
_NAME_POS = frozenset({POS_IDS["PROPN"], POS_IDS["NOUN"]})
_DEMONYM_POS = frozenset({POS_IDS["ADJ"], POS_IDS["PROPN"]})
_STRONG_FEATURES = frozenset({"CONT", "PCLI", "ADM1"})
_QUALIFIER_FEATURES = frozenset({"PCLI", "ADM1"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "president", "judge", "coach"})
# Words that are towns somewhere but in capitals mostly start sentences or name other things.
_COMMON_WORDS = frozenset(
    {
        "of", "most", "best", "hope", "mobile", "reading", "bath", "nice", "march", "may", "june", "july",
        "independence", "liberty", "union", "unity", "victoria", "university", "central", "north", "south",
        "east", "west", "eastern", "western", "northern", "southern", "media", "police", "man", "god",
        "mission", "enterprise", "commerce", "industry", "sale", "split", "bar", "van", "lead", "ware",
    }
)  # fmt: skip


@dataclass
class _Found:
    start: int  # token offsets
    end: int
    label: str
    qualifier: str | None = None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and doc[start].lower_ in ("the", "'s", "’s"):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct):
        if doc[end - 1].text.endswith(".") and len(doc[end - 1].text) > 1:
            break  # "Va." keeps its dot
        end -= 1
    return start, end


def is_demonym(text: str) -> bool:
    """True when ``text`` is a nationality word rather than a place name ("Portuguese", "Iraqis").

    Country names that double as adjectives ("U.S. troops") are names, not demonyms.
    """
    return by_demonym(text) is not None and by_name(text) is None


def find_demonyms(doc: Doc) -> list[tuple[tuple[int, int], str]]:
    """Country references by demonym or nationality adjective: ``[((start, end), "PT"), …]``.

    Taken from NORP entities and from untagged adjectives that are demonyms ("Portuguese fishermen").
    """
    out: list[tuple[tuple[int, int], str]] = []
    seen: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in ("NORP", "GPE", "LANGUAGE"):
            continue
        country = by_demonym(ent.text) if is_demonym(ent.text) else None
        if country is not None and len(country.alpha2) == 2:
            out.append(((ent.start_char, ent.end_char), country.alpha2))
            seen.update(range(ent.start, ent.end))
    # The word classes come from the Doc's arrays, so only title-case adjectives and proper nouns outside
    # entities become Tokens.
    # (One column at a time: a multi-column array of 64-bit hashes is slow to turn into Python ints.)
    in_entity = (doc.to_array(ENT_TYPE) != 0).tolist()
    words = zip(in_entity, doc.to_array(IS_TITLE).tolist(), doc.to_array(POS).tolist(), strict=True)
    for i, (in_entity, title, pos) in enumerate(words):
        if i in seen or in_entity or not title or pos not in _DEMONYM_POS:
            continue
        tok = doc[i]
        country = by_demonym(tok.text) if is_demonym(tok.text) else None
        if country is not None and len(country.alpha2) == 2:
            out.append(((tok.idx, tok.idx + len(tok.text)), country.alpha2))
    out.sort()
    return out


class _Detector:
    def __init__(self, doc: Doc, gazetteer: Gazetteer):
        self.doc = doc
        self.gaz = gazetteer
        self.persons = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        # Each person's token bounds and words, read once rather than for every name checked against it.
        self._persons = [(e.start, e.end, e.text.split(), e) for e in self.persons]
        self._pos = doc.to_array(POS).tolist()

    def strong(self, text: str, *, allow_codes: bool = False) -> Candidate | None:
        """The best gazetteer entry when ``text`` is unmistakably a place name, else None."""
        if not text[:1].isupper() or text.lower() in _COMMON_WORDS or is_demonym(text):
            return None
        options = candidates_for(text, self.gaz)
        best = None
        for c in options:
            if c.flags & CODE and not c.flags & MAIN and not allow_codes:
                continue
            if c.flags & ALTERNATE and not c.flags & (MAIN | CODE):
                continue
            well_known = c.feature in _STRONG_FEATURES or c.population >= UNTAGGED_MIN_POPULATION
            if well_known and (best is None or c.population > best.population):
                best = c
        return best

    def person_name(self, span: Span, text: str | None = None) -> bool:
        """True when the span is (part of) a person's name here ("Jordan" after "Michael Jordan").

        ``text`` is the span's text when the caller has it.
        """
        return self._person_name(span.start, span.end, span.text if text is None else text, span)

    def _person_name(self, start: int, end: int, text: str, span: Span | None) -> bool:
        """:meth:`person_name` for tokens ``start:end``; ``span`` None stands for an unlabelled slice of the
        Doc, which is never equal to a person's entity."""
        if start > 0 and self.doc[start - 1].lower_.rstrip(".") in _HONORIFICS:
            return True
        words = text.split()
        for p_start, p_end, p_words, person in self._persons:
            if p_start <= start and end <= p_end and (span is None or person != span):
                return True
            if p_words[-len(words) :] == words and p_end - p_start > end - start:
                return True
        return False

    def find(self) -> list[_Found]:
        doc = self.doc
        found: list[_Found] = []
        taken: set[int] = set()
        for ent in doc.ents:
            start, end = _trim(doc, ent.start, ent.end)
            if start >= end:
                continue
            span = doc[start:end]
            if ent.label_ in PLACE_LABELS:
                if is_demonym(span.text):
                    continue
                if not candidates_for(span.text, self.gaz) and self.person_name(span):
                    continue  # "Modi" tagged GPE after "Narendra Modi"
                found.extend(self._split(start, end, ent.label_))
            elif ent.label_ == "ORG" and (lead := self._leading_place(start, end)) is not None:
                # "U.S. Federal Reserve", "Texas Department of Transportation": the place the body is of.
                found.append(_Found(start, lead, "EMBEDDED"))
            elif ent.label_ in RELABEL_LABELS:
                if ent.label_ == "PERSON" and self.person_name(ent):
                    continue
                if self.strong(span.text) is None:
                    continue
                found.append(_Found(start, end, ent.label_))
            else:
                continue
            taken.update(range(ent.start, ent.end))
        found.extend(self._untagged(taken))
        found.sort(key=lambda f: f.start)
        self._qualify(found)
        return found

    def _leading_place(self, start: int, end: int) -> int | None:
        """End token of a country or first-level region that opens an organisation's name, if any."""
        for n in range(min(3, end - start - 1), 0, -1):
            best = self.strong(self.doc[start : start + n].text, allow_codes=True)
            if best is not None and best.feature in ("PCLI", "ADM1"):
                return start + n
        return None

    def _split(self, start: int, end: int, label: str) -> list[_Found]:
        """One entity or two: "Paris, Texas" is a town and the region that qualifies it."""
        doc = self.doc
        for i in range(start + 1, end - 1):
            if doc[i].text == ",":
                head, tail = doc[start:i].text, doc[i + 1 : end].text
                if self._qualifier(tail) is not None and candidates_for(head, self.gaz):
                    return [_Found(start, i, label, qualifier=tail), _Found(i + 1, end, label)]
        return [_Found(start, end, label)]

    def _qualifier(self, text: str) -> Candidate | None:
        for c in candidates_for(text, self.gaz):
            if c.feature in _QUALIFIER_FEATURES:
                return c
        return None

    def _untagged(self, taken: set[int]) -> list[_Found]:
        """Proper nouns outside every entity whose text is a well-known place ("Afrin", "Calif.")."""
        doc = self.doc
        # Word classes, offsets and texts from the Doc's arrays and its text: every word of the article is
        # looked at, and building Tokens and Spans for them was most of the stage's cost.
        pos = self._pos
        starts = doc.to_array(IDX).tolist()
        lengths = doc.to_array(LENGTH).tolist()
        full = doc_text(doc)
        out: list[_Found] = []
        i = 0
        while i < len(doc):
            if i in taken or pos[i] != _PROPN or not full[starts[i]].isupper():
                i += 1
                continue
            matched = 0
            for n in range(min(_MAX_UNTAGGED_TOKENS, len(doc) - i), 0, -1):
                if any(j in taken for j in range(i, i + n)) or pos[i + n - 1] not in _NAME_POS:
                    continue
                text = full[starts[i] : starts[i + n - 1] + lengths[i + n - 1]]
                after_comma = i > 0 and lengths[i - 1] == 1 and full[starts[i - 1]] == ","
                best = self.strong(text, allow_codes=after_comma)
                if best is None or self._person_name(i, i + n, text, None):
                    continue
                out.append(_Found(i, i + n, "UNTAGGED"))
                matched = n
                break
            i += max(matched, 1)
        return out

    def _qualify(self, found: list[_Found]) -> None:
        """Mark "X, Y" pairs where Y is a region or country: Y qualifies X ("Springfield, Ill.")."""
        doc = self.doc
        for a, b in itertools.pairwise(found):
            if a.qualifier is None and b.start == a.end + 1 and doc[a.end].text == ",":
                tail = doc[b.start : b.end].text
                if self._qualifier(tail) is not None:
                    a.qualifier = tail


def find_places(
    doc: Doc,
    gazetteer: Gazetteer | None = None,
    outlet_country: str | None = None,
    persons: Sequence[tuple[int, int]] = (),
) -> list[Place]:
    """Return one Place per toponym mention, resolved where the gazetteer knows the name.

    Args:
        doc: A parsed spaCy Doc with entities.
        gazetteer: The index; default the process-wide one (built into the user cache on first use).
        outlet_country: ISO alpha-2 code of the publishing outlet's country, when known.
        persons: Character spans of people's names (from the entities stage); no place is found inside
            one ("Kenji Ota" is not the Tokyo ward Ōta, even where the model tagged it ORG).

    Returns:
        Places with ids ``p1``, ``p2``… in text order. ``resolved`` is True when the name was matched to a
        gazetteer entry; ``confidence`` says how sure the choice among its namesakes is.
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    found = [
        f
        for f in _Detector(doc, gaz).find()
        if not _inside_any(doc[f.start].idx, doc[f.end - 1].idx, persons)
    ]
    mentions = [
        Mention(
            doc[f.start : f.end].text,
            (doc[f.start].idx, doc[f.end - 1].idx + len(doc[f.end - 1])),
            f.qualifier,
        )
        for f in found
    ]
    demonyms = [country for _, country in find_demonyms(doc)]
    resolutions = resolve(mentions, gaz, countries=demonyms, outlet_country=outlet_country)
    return [
        place_from(f"p{i}", m, r, gaz) for i, (m, r) in enumerate(zip(mentions, resolutions, strict=True), 1)
    ]


def _inside_any(first: int, last: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a mention whose first and last tokens start at ``first`` and ``last`` lies in one of the
    character spans."""
    return any(s <= first and last < e for s, e in spans)


def place_from(place_id: str, mention: Mention, resolution: Resolution, gazetteer: Gazetteer) -> Place:
    """The schema Place for a mention and its resolution."""
    c = resolution.candidate
    if c is None:
        return Place(id=place_id, span=mention.span, name=mention.text, text=mention.text)
    region = c if c.feature == "ADM1" else gazetteer.admin1(c.country, c.admin1)
    return Place(
        id=place_id,
        span=mention.span,
        name=c.name,
        geonameid=c.geonameid if c.geonameid > 0 else None,
        lat=c.lat,
        lon=c.lon,
        country=c.country,
        resolved=True,
        text=mention.text,
        admin1=region.name if region is not None else None,
        feature=c.feature,
        confidence=round(resolution.confidence, 3),
        candidates=resolution.candidates,
    )
