"""Toponym detection: candidate spans from NER and the gazetteer, kept or dropped by a small learned scorer.

Candidates come from these places:

- spaCy's GPE, LOC and FAC entities ("Paris, Texas" split into the town and its qualifier; two touching
  entities that together are a name merged: "Boa" GPE + "Vista" ORG; names joined by hyphens or slashes
  split: "Asia-Pacific", "Chartres/Franklin");
- other entities whose whole text is a gazetteer name ("Dewsbury" tagged ORG, "Nelson" tagged PERSON);
- the place inside an organisation's name: after "of" ("the Office of the United States Trade
  Representative"), at its start or end ("Knox County Sheriff's Office", "Air Zimbabwe") or a country,
  region or continent in its middle ("Air France KLM", "the Single European Sky");
- buildings and sites by their last word ("Trump Tower", also where the model tagged them PERSON), and
  organisations written with their town ("the Palais des Nations in Geneva");
- capitalised proper nouns outside every entity that are gazetteer names (up to four words), and regional
  adjectives (:data:`newsgraph.geo.names.REGION_ADJECTIVES`: "Siberian", "Texan");
- street names written without their street word ("State and Hubbard streets", "the 500 block of Jeffords");
- a wire dateline, in capitals ("SPRINGFIELD, Ill. (AP) -") or ending with a colon ("Muscat: ...");
- an abbreviated name a dash joins to the next word inside one token ("U.S.-led", "Calif.--(BUSINESS").

Each candidate is described by features that say nothing about any particular name: its NER label, what
kind of place the gazetteer says it is and how many people live there, how ambiguous it is, the words
around it (a locative preposition, "-based", a state after a comma, "in <town>" after it, "of" after a
person's name, a street cue, "the village of" before it), whether the article uses it as a person's name,
and whether the article tags the same words as a place elsewhere. A logistic model over those features
(:class:`PlaceScorer`, weights in ``data/places_scorer.json``, rebuilt by
``python -m newsgraph.train.places``) keeps a candidate when its probability reaches the threshold stored
with the weights.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import IDX, IS_LOWER, LENGTH, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

from newsgraph.extract.doctext import doc_text
from newsgraph.extract.place_scorer import (
    PlaceScorer,
    describe,
)
from newsgraph.extract.place_words import (
    AREA_OF_WORDS,
    COMMON_WORDS,
    DATELINE_MARKS,
    EMBEDDED_IN_FACILITY_MIN_POPULATION,
    FACILITY_WORDS,
    GENERIC_WORDS,
    HONORIFICS,
    INSIDE_NAME_FEATURES,
    JOINERS,
    LOWER_STREET,
    MAX_NAME_TOKENS,
    NATURAL_WORDS,
    PLACE_LABELS,
    QUALIFIER_FEATURES,
    SKIP_LABELS,
    STREET_CUES,
    STREET_WORDS,
    VENUE_CUES,
    is_demonym,
    is_facility,
    is_month,
    joined_abbreviations,
    top_vote,
    trim_span,
)
from newsgraph.geo.gazetteer import MAIN, Candidate, Gazetteer
from newsgraph.geo.resolve import ADJECTIVE_FIRST_WORDS, candidates_for, is_region_adjective, prior

_PROPN = POS_IDS["PROPN"]
_NAME_POS = frozenset({POS_IDS["PROPN"], POS_IDS["NOUN"]})


@dataclass
class Found:
    """A candidate toponym: tokens ``start:end``, the NER label it came from and its features."""

    start: int
    end: int
    label: str
    qualifier: str | None = None
    embedded: bool = False
    dateline: bool = False
    street: bool = False
    features: list[float] = field(default_factory=list)
    probability: float = 1.0
    text: str = ""
    cut: int = 0  # characters of the last token left out ("-led" of "U.S.-led")

    def offsets(self, doc: Doc) -> tuple[int, int]:
        """The candidate's character offsets in ``doc``'s text."""
        last = doc[self.end - 1]
        return doc[self.start].idx, last.idx + len(last) - self.cut


class Detector:
    """Candidate toponyms of one Doc with their features (see the module docstring)."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, outlet_country: str | None = None):
        self.doc = doc
        self.gaz = gazetteer
        self.outlet_country = outlet_country
        # Where the places spaCy tags lie (see _anchor_regions), by (country, admin-1) and by country.
        self._regions: Counter[tuple[str | None, str | None]] = Counter()
        self._countries: Counter[str | None] = Counter()
        self.ents = doc.ents  # built anew on every access
        self.persons = [e for e in self.ents if e.label_ == "PERSON" and len(e) > 1]
        self._persons = [(e.start, e.end, e.text.split(), e) for e in self.persons]
        self._pos = doc.to_array(POS).tolist()
        self._starts = doc.to_array(IDX).tolist()
        self._lengths = doc.to_array(LENGTH).tolist()
        self._text = doc_text(doc)
        # What the article calls a place or a person elsewhere, by text.
        self.place_texts = {e.text for e in self.ents if e.label_ in PLACE_LABELS}
        self.person_words = {w for e in self.ents if e.label_ == "PERSON" for w in e.text.split()}
        self._lower_words: set[str] | None = None

    # --- candidates -------------------------------------------------------------------------------

    def candidates(self) -> list[Found]:
        """Every candidate span, in text order, with its features filled in."""
        doc = self.doc
        found: list[Found] = []
        # A month's name in a date is no place ("in March 2018": March, Cambridgeshire).
        dates = [e for e in self.ents if e.label_ == "DATE"]
        taken = {i for e in dates for i in range(e.start, e.end) if is_month(doc[i])}
        dateline = self._dateline()
        if dateline is not None:
            found.append(dateline)
            taken.update(range(dateline.start, dateline.end))
        for ent_start, ent_end, label in self._entities():
            start, end = trim_span(doc, max(ent_start, dateline.end if dateline else 0), ent_end)
            if start >= end:
                continue
            text = self.span_text(start, end)
            if is_demonym(text):
                continue
            taken.update(range(ent_start, ent_end))
            if candidates_for(text, self.gaz):
                found.extend(self._split(start, end, label))
                continue
            joined = self._joined(start, end, label)
            if joined:
                found.extend(joined)
            elif label in PLACE_LABELS:
                # "the Knox County Sheriff's Office" tagged FAC: the county, else the whole name; after
                # "the village of" the whole name is the place ("Ellerby Vale", not Vale).
                embedded = None if self.area_of(start) else self._embedded(start, end, label)
                found.extend([embedded] if embedded else self._split(start, end, label))
            elif label != "PERSON":
                embedded = self._embedded(start, end, label)
                if embedded:
                    found.append(embedded)
                else:
                    found.extend(
                        self._facility(start, end, label)
                        or self._located(start, end, label)
                        or self._venue(start, end, label)
                    )
            else:
                # "Meydan Racecourse", "Trump Tower" tagged PERSON; the scorer weighs the label.
                found.extend(self._facility(start, end, label) or self._venue(start, end, label))
        found.extend(self._untagged(taken))
        found.extend(self._joined_abbreviations(taken))
        found.extend(self._streets(found))
        found.sort(key=lambda f: f.start)
        self._qualify(found)
        self._anchor_regions(found)
        for f in found:
            f.text = self.span_text(f.start, f.end)[: -f.cut or None]
            f.features = self.features(f)
        return found

    def _entities(self) -> list[tuple[int, int, str]]:
        """The entities worth a look as (start, end, label), two touching ones merged when together they
        are a gazetteer name and one is tagged a place ("Boa" GPE + "Vista" ORG is Boa Vista)."""
        spans = [(e.start, e.end, e.label_) for e in self.ents if e.label_ not in SKIP_LABELS]
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(spans):
            start, end, label = spans[i]
            if i + 1 < len(spans) and spans[i + 1][0] == end and spans[i + 1][1] - start <= MAX_NAME_TOKENS:
                other = spans[i + 1][2]
                places = label in PLACE_LABELS or other in PLACE_LABELS
                if (
                    places
                    and self.doc[end].is_title
                    and candidates_for(self.span_text(start, spans[i + 1][1]), self.gaz)
                ):
                    out.append((start, spans[i + 1][1], label if label in PLACE_LABELS else other))
                    i += 2
                    continue
            out.append((start, end, label))
            i += 1
        return out

    def _dateline(self) -> Found | None:
        """The place that opens a wire story: in capitals ("SPRINGFIELD, Ill. (AP) -", "SAN ANTONIO"), or
        capitalised and followed by a colon or a dash ("Muscat: The …", "Lagos — The …")."""
        doc = self.doc
        end = 0
        while end < min(len(doc), MAX_NAME_TOKENS) and (
            (doc[end].is_upper and doc[end].is_alpha) or self._abbreviation_dot(end)
        ):
            end += 1
        if end == 0:
            while end < min(len(doc) - 1, MAX_NAME_TOKENS) and doc[end].is_title and doc[end].is_alpha:
                end += 1
            if end == 0 or doc[end].text not in DATELINE_MARKS:
                return None
        if len(self.span_text(0, end)) < 3:
            return None
        text = self.span_text(0, end)
        if is_demonym(text) or not candidates_for(text, self.gaz):
            return None
        return Found(0, end, doc[0].ent_type_, dateline=True)

    def _abbreviation_dot(self, i: int) -> bool:
        """Whether token ``i`` is the dot of an abbreviation in capitals before more of a name ("ST. LOUIS",
        "FT. WORTH"), which the tokenizer splits off."""
        doc = self.doc
        before = doc[i - 1] if i > 0 else None
        return (
            doc[i].text == "."
            and before is not None
            and not before.whitespace_
            and before.is_upper
            and len(before) <= 3
            and i + 1 < len(doc)
            and doc[i + 1].is_upper
        )

    def span_text(self, start: int, end: int) -> str:
        return self._text[self._starts[start] : self._starts[end - 1] + self._lengths[end - 1]]

    def _split(self, start: int, end: int, label: str) -> list[Found]:
        """One entity or two: "Paris, Texas" is a town and the region that qualifies it."""
        doc = self.doc
        for i in range(start + 1, end - 1):
            if doc[i].text == ",":
                head, tail = self.span_text(start, i), self.span_text(i + 1, end)
                if self._qualifier(tail) is not None and candidates_for(head, self.gaz):
                    return [Found(start, i, label, qualifier=tail), Found(i + 1, end, label)]
        return [Found(start, end, label)]

    def _joined(self, start: int, end: int, label: str) -> list[Found]:
        """Place names joined by hyphens or slashes into one entity ("Asia-Pacific", "Nelson-Creston",
        "Chartres/Franklin"): each name, when every part is a gazetteer name."""
        doc = self.doc
        parts: list[tuple[int, int]] = []
        first = start
        for i in range(start, end + 1):
            if i == end or (doc[i].text in JOINERS and not doc[i].whitespace_ and i > first):
                parts.append((first, i))
                first = i + 1
        if len(parts) < 2 or any(a >= b for a, b in parts):
            return []
        if not all(doc[a].is_title and self._place_words(a, b) for a, b in parts):
            return []
        return [Found(a, b, label) for a, b in parts]

    def _embedded(self, start: int, end: int, label: str) -> Found | None:
        """The place inside an organisation's or title's name: after "of" ("Bank of England"), at its
        start ("Knox County Sheriff's Office") or at its end ("Air Zimbabwe").

        Of each kind the longest name is taken ("Beverly Hills", not "Beverly"), then of the kinds the
        most populous place. In the name of a building or site ("Marigny Plantation", "Liverpool
        Academy") only a large place counts: a small one is more likely a word of the building's name.
        """
        doc = self.doc
        words = self.span_text(start, end).lower().split()
        if words[0] in NATURAL_WORDS or words[-1] in NATURAL_WORDS or words[-1].rstrip(".") in STREET_WORDS:
            return None
        facility = is_facility(self.span_text(start, end))
        if facility and start + 1 < end and doc[start + 1].lower_ in ("'s", "’s"):
            # "Derry's Altnagelvin Hospital": the town the building is in, whatever its size.
            text = doc[start].text
            if not text.lower().startswith("st") and any(
                c.flags & MAIN for c in candidates_for(text, self.gaz)
            ):
                return Found(start, start + 1, label, embedded=True)
        options: list[tuple[int, int]] = []
        for i in range(start + 1, end - 1):
            if doc[i].lower_ == "of":
                # The longest name right after it: "the Office of the United States Trade Representative".
                j = i + 2 if doc[i + 1].lower_ == "the" else i + 1
                for n in range(min(MAX_NAME_TOKENS, end - j), 0, -1):
                    if (doc[j].is_title or doc[j].is_upper) and self._place_words(j, j + n):
                        options.append((j, j + n))
                        break
                break
        for n in range(min(MAX_NAME_TOKENS, end - start - 1), 0, -1):
            if (doc[start + n - 1].is_title or doc[start + n - 1].is_upper) and self._place_words(
                start, start + n
            ):
                options.append((start, start + n))
                break
        for n in range(min(MAX_NAME_TOKENS, end - start - 1), 0, -1):
            capital = doc[end - n].is_title or doc[end - n].is_upper
            if not facility and capital and self._place_words(end - n, end):
                options.append((end - n, end))
                break
        # A country, first-level region or continent in the middle: "Air Canada Cargo", "Royal Wales Trust".
        for i in range(start + 1, end - 1):
            for j in range(min(end - 1, i + MAX_NAME_TOKENS), i, -1):
                if doc[i].is_title and self._place_words(i, j):
                    kinds = {c.feature for c in candidates_for(self.span_text(i, j), self.gaz)}
                    if kinds & INSIDE_NAME_FEATURES:
                        options.append((i, j))
                        break
        best: tuple[int, int, int] | None = None
        for a, b in options:
            population = max(
                (c.population for c in candidates_for(self.span_text(a, b), self.gaz)), default=-1
            )
            if facility and population < EMBEDDED_IN_FACILITY_MIN_POPULATION:
                continue
            if population >= 0 and (best is None or population > best[2]):
                best = (a, b, population)
        return None if best is None else Found(best[0], best[1], label, embedded=True)

    def _place_words(self, start: int, end: int) -> bool:
        text = self.span_text(start, end)
        if text.lower() in GENERIC_WORDS or text.lower() in COMMON_WORDS or is_demonym(text):
            return False
        return bool(candidates_for(text, self.gaz))

    def _facility(self, start: int, end: int, label: str) -> list[Found]:
        """The whole name when it ends with a street, building or site word ("Royal Street")."""
        doc = self.doc
        last = doc[end - 1].lower_.rstrip(".")
        if end - start >= 2 and last in FACILITY_WORDS and doc[start].is_title:
            return [Found(start, end, label)]
        return []

    def _located(self, start: int, end: int, label: str) -> list[Found]:
        """An organisation's or building's name written with the town it is in ("the Palais des Nations in
        Geneva", "the CHU in Montpellier"): news names the site as a place."""
        return [Found(start, end, label)] if self.located_in(end) else []

    def _venue(self, start: int, end: int, label: str) -> list[Found]:
        """A name right after "at", "inside", "into" or "outside" ("dinner at Black Sheep", "fans inside
        Anfield"), or after "the suburb/village/town of" (:data:`AREA_OF_WORDS`): a venue or neighbourhood
        more often than not, which the scorer weighs with the rest."""
        before = start - 1
        if before > 0 and self.doc[before].lower_ == "the":
            before -= 1
        cued = before >= 0 and self.doc[before].lower_ in VENUE_CUES
        return [Found(start, end, label)] if cued or self.area_of(start) else []

    def area_of(self, start: int) -> bool:
        """Whether "<area word> of" comes right before token ``start`` ("the suburb of Madinaty")."""
        doc = self.doc
        return start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in AREA_OF_WORDS

    def located_in(self, end: int) -> bool:
        """Whether tokens from ``end`` say "in/at <a place the model tags GPE>"."""
        doc = self.doc
        return end + 1 < len(doc) and doc[end].lower_ in ("in", "at") and doc[end + 1].ent_type_ == "GPE"

    def _untagged(self, taken: set[int]) -> list[Found]:
        """Capitalised proper nouns outside every entity whose text is a gazetteer name."""
        pos, starts, lengths, full = self._pos, self._starts, self._lengths, self._text
        n_tokens = len(self.doc)
        out: list[Found] = []
        i = 0
        while i < n_tokens:
            if i in taken or not full[starts[i]].isupper():
                i += 1
                continue
            if pos[i] != _PROPN:
                # "a Siberian chill", "Latin American history": a regional adjective tagged ADJ.
                i += max(self._untagged_adjective(i, taken, out), 1)
                continue
            matched = 0
            for n in range(min(MAX_NAME_TOKENS, n_tokens - i), 0, -1):
                if any(j in taken for j in range(i, i + n)) or pos[i + n - 1] not in _NAME_POS:
                    continue
                text = full[starts[i] : starts[i + n - 1] + lengths[i + n - 1]]
                if is_demonym(text) or not candidates_for(text, self.gaz):
                    continue
                out.append(Found(i, i + n, ""))
                matched = n
                break
            if not matched:
                matched = self._untagged_facility(i, taken, out)
            if not matched:
                matched = self._untagged_venue(i, taken, out)
            i += max(matched, 1)
        return out

    def _joined_abbreviations(self, taken: set[int]) -> list[Found]:
        """Abbreviated gazetteer names a dash joins to the next word in one token ("U.S.-led")."""
        starts, lengths, out = self._starts, self._lengths, []
        for first, last in joined_abbreviations(self._text):
            i = bisect.bisect_left(starts, first)
            ok = i < len(starts) and starts[i] == first and i not in taken and starts[i] + lengths[i] > last
            if ok and candidates_for(self._text[first:last], self.gaz):
                out.append(Found(i, i + 1, self.doc[i].ent_type_, cut=starts[i] + lengths[i] - last))
        return out

    def _streets(self, found: list[Found]) -> list[Found]:
        """Street names written without their street word: "at State and Hubbard streets", "the 500 block
        of Jeffords". Local news places crimes, crashes and closures this way."""
        doc, starts = self.doc, self._starts
        covered = {i for f in found for i in range(f.start, f.end)}
        out: list[Found] = []
        for match in STREET_CUES.finditer(self._text):
            i = bisect.bisect_left(starts, match.start())
            if i >= len(doc) or starts[i] != match.start():
                continue
            if match.group(1):  # "<names> streets": walk back over "A, B and C"
                end = i
                while end > 0:
                    start = end
                    while start > 0 and end - start < MAX_NAME_TOKENS and doc[start - 1].is_title:
                        start -= 1
                    if start == end:
                        break
                    out.append(Found(start, end, doc[start].ent_type_, street=True))
                    if start < 2 or doc[start - 1].lower_ not in ("and", ",", "&"):
                        break
                    end = start - 1
            else:  # "block of <name>"
                start = end = i + 2
                while end < len(doc) and end - start < MAX_NAME_TOKENS and doc[end].is_title:
                    end += 1
                if end > start:
                    out.append(Found(start, end, doc[start].ent_type_, street=True))
        out.extend(self._lower_streets(found, covered))
        same = {(f.start, f.end): f for f in found}
        for f in out:
            if (f.start, f.end) in same:
                same[(f.start, f.end)].street = True
        return [f for f in out if not any(j in covered for j in range(f.start, f.end))]

    def _lower_streets(self, found: list[Found], covered: set[int]) -> list[Found]:
        """Street names with their street word in lower case ("Third street", "on Harwick street"): a
        candidate that ends right before the word takes it in, capitalised words before it are one."""
        doc, ends, out = self.doc, {f.end: f for f in found}, []
        for match in LOWER_STREET.finditer(self._text):
            k = bisect.bisect_left(self._starts, match.start())
            if k == 0 or k >= len(doc) or self._starts[k] != match.start():
                continue
            if k in ends:
                ends[k].end, ends[k].street = k + 1, True
                continue
            start = k
            while start > 0 and k - start < MAX_NAME_TOKENS and doc[start - 1].is_title:
                if doc[start - 1].is_stop and doc[start - 1].ent_type_ != "ORDINAL":
                    break
                start -= 1
            if start < k and not any(j in covered for j in range(start, k)):
                out.append(Found(start, k + 1, doc[start].ent_type_, street=True))
        return out

    def _untagged_adjective(self, i: int, taken: set[int], out: list[Found]) -> int:
        """A regional adjective of up to three tokens from token ``i`` ("Siberian", "Sub-Saharan")."""
        starts, lengths, full = self._starts, self._lengths, self._text
        if full[starts[i] : starts[i] + lengths[i]].lower() not in ADJECTIVE_FIRST_WORDS:
            return 0
        for n in range(min(3, len(self.doc) - i), 0, -1):
            if any(j in taken for j in range(i, i + n)):
                continue
            if is_region_adjective(full[starts[i] : starts[i + n - 1] + lengths[i + n - 1]]):
                out.append(Found(i, i + n, ""))
                return n
        return 0

    def _untagged_venue(self, i: int, taken: set[int], out: list[Found]) -> int:
        """A run of capitalised proper nouns from token ``i`` right after a venue cue (see :meth:`_venue`)."""
        doc, pos, j, stop = self.doc, self._pos, i, min(len(self.doc), i + MAX_NAME_TOKENS)
        while j < stop and j not in taken and pos[j] == _PROPN and doc[j].is_title:
            j += 1
        found = self._venue(i, j, "") if j > i else []
        out.extend(found)
        return j - i if found else 0

    def _untagged_facility(self, i: int, taken: set[int], out: list[Found]) -> int:
        """A run of capitalised words from token ``i`` that ends with a facility word ("Press Street")."""
        doc = self.doc
        j = i
        while j < len(doc) and j - i < MAX_NAME_TOKENS + 1 and j not in taken and doc[j].is_title:
            j += 1
            ends = j >= len(doc) or not doc[j].is_title
            if ends and j - i >= 2 and doc[j - 1].lower_.rstrip(".") in FACILITY_WORDS:
                out.append(Found(i, j, ""))
                return j - i
        return 0

    def _qualifier(self, text: str) -> Candidate | None:
        for c in candidates_for(text, self.gaz):
            if c.feature in QUALIFIER_FEATURES:
                return c
        return None

    def _qualify(self, found: list[Found]) -> None:
        """Mark "X, Y" pairs where Y is a region or country: Y qualifies X ("Springfield, Ill.")."""
        doc = self.doc
        for a, b in itertools.pairwise(found):
            if a.qualifier is None and b.start == a.end + 1 and doc[a.end].text == ",":
                tail = self.span_text(b.start, b.end)
                if self._qualifier(tail) is not None:
                    a.qualifier = tail

    def _anchor_regions(self, found: list[Found]) -> None:
        """Count the regions and countries of the places the model tags GPE or LOC, each read as its
        likeliest namesake: the article's own region, before any resolution."""
        for f in found:
            if f.label in ("GPE", "LOC"):
                best = self._likeliest(self.span_text(f.start, f.end))
                if best is not None and best.country:
                    self._countries[best.country] += 1
                    if best.feature != "PCLI":
                        self._regions[(best.country, best.admin1)] += 1

    def _likeliest(self, text: str) -> Candidate | None:
        return max(candidates_for(text, self.gaz), key=prior, default=None)

    def in_article_region(self, f: Found, options: list[Candidate]) -> tuple[bool, bool]:
        """Whether a namesake lies in the article's most named admin-1 region, and in its most named
        country (not counting this mention's own vote)."""
        own = self._likeliest(f.text) if f.label in ("GPE", "LOC") else None
        own_country = own.country if own is not None else None
        own_region = (own.country, own.admin1) if own is not None and own.feature != "PCLI" else None
        regions = {(c.country, c.admin1) for c in options}
        countries = {c.country for c in options}
        return (
            top_vote(self._regions, own_region) in regions,
            top_vote(self._countries, own_country) in countries,
        )

    # --- features ---------------------------------------------------------------------------------

    def person_name(self, start: int, end: int, text: str, label: str) -> bool:
        """True when tokens ``start:end`` are (part of) a person's name here ("Jordan" after "Michael
        Jordan", "Mr Hope")."""
        if start > 0 and self.doc[start - 1].lower_.rstrip(".") in HONORIFICS:
            return True
        words = text.split()
        for p_start, p_end, p_words, _ in self._persons:
            if p_start <= start and end <= p_end and (label != "PERSON" or (p_start, p_end) != (start, end)):
                return True
            if p_words[-len(words) :] == words and p_end - p_start > end - start:
                return True
        return False

    def lowercase_elsewhere(self, text: str) -> bool:
        if self._lower_words is None:
            # From the Doc's arrays: making a Token of every word cost more than the rest of the stage.
            lower = self.doc.to_array(IS_LOWER).tolist()
            full, starts, lengths = self._text, self._starts, self._lengths
            self._lower_words = {
                full[s : s + n] for s, n, low in zip(starts, lengths, lower, strict=True) if low
            }
        return text.lower() in self._lower_words

    def features(self, f: Found) -> list[float]:
        """The candidate's feature vector (:func:`newsgraph.extract.place_scorer.describe`)."""
        return describe(self, f)


def detect(
    doc: Doc, gazetteer: Gazetteer, scorer: PlaceScorer | None = None, outlet_country: str | None = None
) -> list[Found]:
    """The toponyms of ``doc`` the scorer keeps, in text order, each with its probability."""
    scorer = scorer if scorer is not None else PlaceScorer.default()
    kept = []
    for f in Detector(doc, gazetteer, outlet_country).candidates():
        f.probability = scorer.probability(f.features)
        if f.probability >= scorer.threshold:
            kept.append(f)
    return kept
