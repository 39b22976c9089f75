"""Places: toponyms found by NER and the gazetteer, resolved to GeoNames with evidence from the article.

Detection (:mod:`newsgraph.extract.place_detect`) lists candidates from spaCy's entities, the places inside
organisation names ("Knox County Sheriff's Office"), capitalised gazetteer names the model missed and
street or building names, and keeps those a small learned scorer finds likely. Demonyms and nationality
adjectives ("Portuguese", "North Korean"), also where they open a longer name ("the Nigerian Army"), are
not places: they are returned by :func:`find_demonyms` as country references, which the resolver uses as
evidence and the actor stage turns into entity attributes.

Resolution is :func:`newsgraph.geo.resolve.resolve`; see there for the evidence it weighs. A kept name the
gazetteer has no entry for (a street, a building, a neighbourhood: "Royal Street", "Faubourg Marigny"), and
a place read inside an organisation's name that the article gives no reason to resolve, is placed at the
town written beside it ("the Palais des Nations in Geneva", "Derry's Altnagelvin Hospital") or else at the
article's own town (:func:`_local_focus`), with feature ``FAC``, no GeoNames id and half the town's
confidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import ENT_TYPE, IDX, IS_TITLE, LENGTH, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

from newsgraph.extract.countries import by_demonym
from newsgraph.extract.doctext import doc_text
from newsgraph.extract.place_detect import Found, detect
from newsgraph.extract.place_scorer import PlaceScorer
from newsgraph.extract.place_words import MAX_NAME_TOKENS, is_demonym, is_facility
from newsgraph.geo.gazetteer import Candidate, Gazetteer
from newsgraph.geo.resolve import Mention, Resolution, resolve
from newsgraph.schema import Place

__all__ = ["find_demonyms", "find_places", "is_demonym", "place_from"]
_DEMONYM_POS = frozenset({POS_IDS["ADJ"], POS_IDS["PROPN"]})
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "MONEY"})
# Kinds of resolved place that can be an article's own town (see :func:`_local_focus`).
_TOWN_FEATURES = frozenset({"PPL", "PPLC", "ADM2"})
# What may stand between a building or site and the town it is in ("X in Y", "X, Y", "X at Y").
_BESIDE_AFTER = frozenset({"in", "at", ",", ", in", "near", "in central", "in downtown"})
# A street, building or site is placed at the article's town only when the town was resolved this surely.
LOCAL_MIN_CONFIDENCE = 0.5


def find_demonyms(doc: Doc) -> list[tuple[tuple[int, int], str]]:
    """Country references by demonym or nationality adjective: ``[((start, end), "PT"), …]``.

    Taken from NORP entities, from demonyms inside other names ("the Nigerian Army", "Royal Canadian
    Mounted Police") and from untagged adjectives that are demonyms ("Portuguese fishermen").
    """
    out: list[tuple[tuple[int, int], str]] = []
    seen: set[int] = set()
    # Word classes, case and offsets come from the Doc's arrays, so only demonyms become Tokens.
    # (One column at a time: a multi-column array of 64-bit hashes is slow to turn into Python ints.)
    titles = doc.to_array(IS_TITLE).tolist()
    starts = doc.to_array(IDX).tolist()
    lengths = doc.to_array(LENGTH).tolist()
    full = doc_text(doc)

    def country_of(i: int, j: int) -> str | None:
        text = full[starts[i] : starts[j - 1] + lengths[j - 1]]
        country = by_demonym(text) if is_demonym(text) else None
        return country.alpha2 if country is not None and len(country.alpha2) == 2 else None

    for ent in doc.ents:
        label = ent.label_
        if label in ("NORP", "GPE", "LANGUAGE") and (iso := country_of(ent.start, ent.end)) is not None:
            out.append(((ent.start_char, ent.end_char), iso))
            seen.update(range(ent.start, ent.end))
            continue
        if label in ("NORP", "MONEY"):
            # Every demonym of a compound ("Austro-Hungarian", "Bosnian Serb", "anti-Russian") or of an
            # amount ("8,000 Egyptian pounds").
            for i in range(ent.start, ent.end):
                if titles[i] and (iso := country_of(i, i + 1)) is not None:
                    out.append(((starts[i], starts[i] + lengths[i]), iso))
            seen.update(range(ent.start, ent.end))
            continue
        if label in _NUMERIC_LABELS or label in ("GPE", "LOC"):
            continue  # "the Indian Ocean" is a place of its own
        # A demonym inside a longer name: "the Nigerian Army", "Royal Canadian Mounted Police".
        for i in range(ent.start, ent.end - 1):
            if full[starts[i] : starts[i] + lengths[i]].lower() == "the":
                continue
            for n in (2, 1):
                if not titles[i + n - 1]:
                    continue
                if (iso := country_of(i, i + n)) is not None:
                    out.append(((starts[i], starts[i + n - 1] + lengths[i + n - 1]), iso))
                    seen.update(range(ent.start, ent.end))
                    break
            if ent.start in seen:
                break
    in_entity = (doc.to_array(ENT_TYPE) != 0).tolist()
    words = zip(in_entity, titles, doc.to_array(POS).tolist(), strict=True)
    for i, (in_entity, title, pos) in enumerate(words):
        if i in seen or in_entity or not title or pos not in _DEMONYM_POS:
            continue
        if (iso := country_of(i, i + 1)) is not None:
            out.append(((starts[i], starts[i] + lengths[i]), iso))
    out.sort()
    return out


def find_places(
    doc: Doc,
    gazetteer: Gazetteer | None = None,
    outlet_country: str | None = None,
    persons: Sequence[tuple[int, int]] = (),
    home: Candidate | None = None,
    scorer: PlaceScorer | None = None,
) -> list[Place]:
    """Return one Place per toponym mention, resolved where the gazetteer knows the name.

    Args:
        doc: A parsed spaCy Doc with entities.
        gazetteer: The index; default the process-wide one (built into the user cache on first use).
        outlet_country: ISO alpha-2 code of the publishing outlet's country, when known.
        persons: Character spans of people's names (from the entities stage); no place is found inside
            one ("Kenji Ota" is not the Tokyo ward Ōta, even where the model tagged it ORG).
        home: The place a local outlet is named after (:func:`newsgraph.geo.outlets.home_of_url`),
            evidence for the article's region.
        scorer: The toponym scorer; default the shipped one.

    Returns:
        Places with ids ``p1``, ``p2``… in text order. ``resolved`` is True when the name was matched to a
        gazetteer entry; ``confidence`` says how sure the choice among its namesakes is.
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    found = [
        f
        for f in detect(doc, gaz, scorer, outlet_country=outlet_country)
        if not _inside_any(doc[f.start].idx, doc[f.end - 1].idx, persons)
    ]
    datelines = _dateline_places(doc, found)
    mentions = [
        Mention(
            f.text,
            f.offsets(doc),
            f.qualifier,
            needs_support=f.embedded or f.street or is_facility(f.text),
            dateline=i in datelines,
        )
        for i, f in enumerate(found)
    ]
    demonyms = [country for _, country in find_demonyms(doc)]
    resolutions = resolve(mentions, gaz, countries=demonyms, outlet_country=outlet_country, home=home)
    places = [
        place_from(f"p{i}", m, r, gaz) for i, (m, r) in enumerate(zip(mentions, resolutions, strict=True), 1)
    ]
    # The town a dateline names is where the story was written; else the article's most named town.
    written = [p for i, p in enumerate(places) if i in datelines and _is_town(p)]
    town = written[0] if written else _local_focus(places, outlet_country)
    text = doc_text(doc)
    for i, (f, place) in enumerate(zip(found, places, strict=True)):
        # A kept name the gazetteer has no entry for is a street, building, site or neighbourhood; so is an
        # organisation's name whose place the article does not point to ("Stonewall Golf Club").
        local = f.label == "FAC" or f.embedded or f.street or is_facility(f.text) or not place.candidates
        if place.resolved or not local:
            continue
        where = _town_beside(text, places, i) or town
        if where is not None:
            _place_in(place, where)
    return places


def _dateline_places(doc: Doc, found: Sequence[Found]) -> set[int]:
    """Indices of the places a wire dateline names: the town detection read as one and the region written
    after it ("HELENA, Mont. (AP) —"), also where the town is no gazetteer name ("CAMP MURRAY, Wash. —")."""
    out: set[int] = set()
    for i, f in enumerate(found):
        if f.dateline:
            out.add(i)
            if i + 1 < len(found) and found[i + 1].start == f.end + 1 and doc[f.end].text == ",":
                out.add(i + 1)
        elif (
            1 < f.start <= MAX_NAME_TOKENS + 1
            and doc[f.start - 1].text == ","
            and all(t.is_upper and t.is_alpha for t in doc[: f.start - 1])
        ):
            out.add(i)  # the region after a town in capitals that opens the text
    return out


def _town_beside(text: str, places: Sequence[Place], i: int) -> Place | None:
    """The town written right after place ``i`` ("the Palais des Nations in Geneva", "Alder Hey, Liverpool")
    or right before it with a possessive ("Derry's Altnagelvin Hospital"), when it was resolved."""
    place = places[i]
    if i + 1 < len(places):
        after = places[i + 1]
        gap = text[place.span[1] : after.span[0]].strip().lower()
        if gap in _BESIDE_AFTER and _is_town(after):
            return after
    if i > 0:
        before = places[i - 1]
        gap = text[before.span[1] : place.span[0]].strip().lower()
        if gap in ("'s", "’s") and _is_town(before):
            return before
    return None


def _is_town(place: Place) -> bool:
    sure = (place.confidence or 0) >= LOCAL_MIN_CONFIDENCE
    return place.resolved and place.feature in _TOWN_FEATURES and sure


def _local_focus(places: Sequence[Place], outlet_country: str | None) -> Place | None:
    """The town the article is about, or None when it names no town with confidence.

    The article's region is the admin-1 region its confidently resolved places lie in most often (half a
    vote more for a region of the outlet's country; the first named of equals wins); its town is the
    town of that region it names most often.
    """
    votes: dict[tuple[str | None, str | None], float] = {}
    towns: dict[int, tuple[int, Place]] = {}
    for p in places:
        if not p.resolved or p.country is None or (p.confidence or 0) < LOCAL_MIN_CONFIDENCE:
            continue
        if p.feature not in _TOWN_FEATURES and p.feature != "ADM1":
            continue
        region = (p.country, p.admin1)
        votes.setdefault(region, 0.5 * (p.country == outlet_country))
        votes[region] += 1
        if p.feature in _TOWN_FEATURES:
            count, first = towns.get(p.geonameid or 0, (0, p))
            towns[p.geonameid or 0] = (count + 1, first)
    if not votes:
        return None
    region = max(votes, key=lambda r: votes[r])
    inside = [(count, town) for count, town in towns.values() if (town.country, town.admin1) == region]
    if not inside:
        return None
    return max(inside, key=lambda item: item[0])[1]


def _place_in(place: Place, town: Place) -> None:
    """Place a street, building or site the gazetteer lacks at the article's town ("Royal Street" in a
    New Orleans story): the town's point, country and region, feature ``FAC``, no GeoNames id, and half
    the town's confidence."""
    place.lat, place.lon = town.lat, town.lon
    place.country, place.admin1 = town.country, town.admin1
    place.feature = "FAC"
    place.resolved = True
    place.confidence = round((town.confidence or 0) / 2, 3)


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
