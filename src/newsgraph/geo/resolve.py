"""Toponym resolution: pick the GeoNames entry each mention means, from evidence in the whole article.

Every candidate starts from a prior (what kind of place it is and how many people live there), then gains
from what the article says elsewhere:

- a qualifier written with it ("Paris, Texas", "Springfield, Ill.");
- the countries the article names, by name, demonym or through its other places, and the outlet's country;
- the admin-1 regions it names or whose towns it names (Richmond and Norfolk make Virginia likely);
- the other places it names, by distance (document coherence).

A regional adjective means its region ("Sicilian" is Sicily: :data:`newsgraph.geo.names.REGION_ADJECTIVES`);
a sea, macro-region or continent outranks the villages named after it; a bare name means the county the
article names with it ("Suffolk" beside "Suffolk County"); and a name that is weak evidence of a town (read
inside a building's or organisation's name) needs the article's support to be resolved to one.

Resolution runs in rounds: the first uses priors and unambiguous evidence only, the later ones the
previous round's picks. One name keeps one meaning in one article unless a qualifier says otherwise.
The weights are in natural-log units, so a score difference of 1 is a likelihood ratio of about 2.7; they
were set on GeoWebNews (news from 2018, mostly US, British and Irish outlets) with the intent of general
rules, and the held-out sets will tell whether they overfit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsgraph.geo.build import distance_km
from newsgraph.geo.gazetteer import ALTERNATE, CODE, MAIN, Candidate, Gazetteer
from newsgraph.geo.names import REGION_ADJECTIVES
from newsgraph.geo.text import name_key

# Priors, by feature, added to log10(population). A capital outranks a larger namesake region
# (Washington, D.C. over Washington state) unless the article says otherwise; a country outranks a region
# of the same name (Georgia) by the same rule.
_FEATURE_PRIOR = {
    "CONT": 3.5, "PCLI": 3.0, "ADM1": 1.5, "ADM2": 0.0, "PPLC": 3.0, "PPL": 0.0,
    "RGN": 0.0, "SEA": 0.0, "LDMK": 0.0,
}  # fmt: skip
# A match on an alternate name only ("Garden City" for Singapore, "Paris" for Parys) is a weak one.
ALTERNATE_PENALTY = 2.5
# log10 units to natural-log units (2.3) would make population a full likelihood; it is damped because a
# town's size says less about being meant than its log suggests once the article gives context.
POPULATION_SCALE = 1.15
# Direction words are alternate names of regions somewhere (Uganda's Western Region) but in news they are
# adjectives or "the West".
DIRECTIONS = frozenset(
    {"west", "western", "east", "eastern", "north", "northern", "south", "southern", "central", "the west"}
)
# Evidence weights.
QUALIFIER_MATCH = 8.0
QUALIFIER_MISMATCH = -6.0
COUNTRY_MENTIONED = 2.0  # the candidate's country is named elsewhere in the article
COUNTRY_DOMINANT = 1.5  # ... and is the article's most-named country
ADMIN1_MENTIONED = 2.5  # the candidate's admin-1 region is named, or other places lie in it
NEAR_100_KM = 1.5  # another resolved place lies within 100 km
NEAR_400_KM = 0.75
OUTLET_COUNTRY = 1.0  # the outlet publishes from the candidate's country
DOMINANT_NAMESAKE = 1.0  # a town far larger than its namesakes (see _dominant)
DOMINANCE = 20
HOME_REGION = 1.5  # the candidate lies in the admin-1 region of the town a local outlet is named after
ROUNDS = 3
# A small town that nothing else in the article points to is left unresolved rather than guessed: such
# names are mostly streets, buildings or common words that happen to name a village somewhere ("Broadway",
# "Congress", "Turtle Rock"). On GeoWebNews this trades 1.5% of coverage for 1.4 points of Acc@161.
UNSUPPORTED_MIN_POPULATION = 10_000
# The same for a name that is weak evidence of a town (see Mention.needs_support): up to a city's size.
SUPPORT_EXEMPT_POPULATION = 100_000
# Words that make a name an area's ("Suffolk County"): the bare name in the same article means the area.
AREA_SUFFIXES = ("county", "parish", "borough", "state", "province", "district")
# Regional adjectives by folded form: "Siberian" -> ("Siberia", None), "Texan" -> ("Texas", "US").
_ADJECTIVES = {name_key(adjective): target for adjective, target in REGION_ADJECTIVES.items()}
# Their first words in lower case, for a cheap test before a run of tokens is folded and looked up.
ADJECTIVE_FIRST_WORDS = frozenset(name.split()[0].split("-")[0].lower() for name in REGION_ADJECTIVES)
_TOWN_FEATURES = frozenset({"PPL", "PPLC"})
# Features of seas, macro-regions and continents, and the size from which a town of the same name is still
# a candidate beside one.
_MACRO_FEATURES = frozenset({"RGN", "SEA", "CONT"})
MACRO_NAMESAKE_MIN_POPULATION = 100_000
# Places bigger than this are not used as distance evidence: a country's point says little about where
# a town in it lies.
_POINT_FEATURES = frozenset({"PPL", "PPLC", "ADM2"})
_DISTANCE_FEATURES = _POINT_FEATURES | {"ADM1"}
# Degrees of latitude that alone put two places more than 400 km apart (111.19 km a degree), with a
# margin for rounding.
_FAR_DEGREES = 401 / (6371.0 * math.pi / 180)


@dataclass
class Mention:
    """A toponym to resolve.

    Args:
        text: The name as written ("Paris", "Va.", "the U.S.").
        span: Character offsets in the article.
        qualifier: A region or country written with it ("Texas" in "Paris, Texas"), when any.
        needs_support: The name is weak evidence of a town of that name: it ends with a street, building or
            site word ("Washington Square") or was read inside an organisation's name ("Stonewall" in
            "Stonewall Golf Club"). Such a town is taken only when the article points to its region
            (see :func:`supported`), up to :data:`SUPPORT_EXEMPT_POPULATION` people.
        dateline: The name is part of the story's dateline ("HELENA, Mont. (AP) —"): the region it lies in
            is where the story was written, and stands in for the outlet's home region (see ``home`` in
            :func:`resolve`).
    """

    text: str
    span: tuple[int, int]
    qualifier: str | None = None
    needs_support: bool = False
    dateline: bool = False


@dataclass
class Resolution:
    """The resolver's answer for one mention.

    Args:
        candidate: The chosen gazetteer entry, or None when the gazetteer has no entry for the name.
        confidence: Probability-like share of the chosen candidate's score among all candidates (0–1).
        candidates: How many entries the name could refer to.
    """

    candidate: Candidate | None
    confidence: float = 0.0
    candidates: int = 0


@dataclass
class Evidence:
    """What the article says about where it is, gathered from all mentions but the one being scored."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: list[tuple[int, float, float]] = field(default_factory=list)  # (mention index, lat, lon)
    outlet_country: str | None = None
    home_region: tuple[str, str] | None = None


def _variants(text: str) -> list[str]:
    """The name and the shorter forms worth trying when it is not in the gazetteer itself."""
    text = " ".join(text.split())
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    out = [text]
    words = text.split()
    if len(words) > 1:
        head, last = words[0].lower(), words[-1].lower()
        if head in ("city", "state", "province") and words[1].lower() == "of":
            out.append(" ".join(words[2:]))  # "City of London", but "City Hall" is no "Hall"
        elif head in ("greater", "metro", "metropolitan", "downtown", "central"):
            out.append(" ".join(words[2:] if words[1].lower() == "of" else words[1:]))
        if words[0] in DIRECTIONS:  # "north west London"; written in lower case ("North Carolina" is a name)
            lead = 0
            while lead < len(words) - 1 and words[lead] in DIRECTIONS:
                lead += 1
            out.append(" ".join(words[lead:]))
        if last in ("city", "province", "state", "region", "governorate", "prefecture", "district", "area"):
            out.append(" ".join(words[:-1]))
    # A direction word alone names no place ("North State" is no "North").
    return [v for v in out if v == text or v.lower() not in DIRECTIONS]


def acceptable(candidate: Candidate, text: str) -> bool:
    """Whether the way ``text`` is written allows this candidate (case rules for codes and short names).

    A code ("US", "Va.", "NY") must be written as a code: with a dot or in capitals. A short name written
    in capitals ("US", "UN") matches only a code or a name written the same way, so "US" is not the French
    village of Us.
    """
    bare = text.replace(".", "")
    if candidate.flags & CODE and not candidate.flags & (MAIN | ALTERNATE):
        if not ("." in text or bare.isupper()):
            return False
        return bare.upper() == candidate.form.replace(".", "").upper()
    if bare.isupper() and len(bare) <= 4:
        return bool(candidate.flags & CODE) or candidate.name.upper() == candidate.name
    return True


def candidates_for(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """The gazetteer entries ``text`` can mean, after case rules and dropping regions named after a city.

    A region that shares its name with a city inside it (Tokyo the prefecture, Paris the département, New
    York the state) is dropped in favour of the city: news means the city unless it says "state" or
    "prefecture", which the variants keep apart.
    """
    return list(_candidates_for(text, gazetteer))


@lru_cache(maxsize=16_384)  # detection asks about the same words many times per article
def _candidates_for(text: str, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    if text.strip().lower() in DIRECTIONS:
        return ()
    region = region_of_adjective(text, gazetteer)
    if region is not None:
        return (region,)
    for variant in _variants(text):
        # A name of one or two letters matches a town's own name or a code, never an alternate: "El" is no
        # Yale, "Li" no Limburg.
        short = len(variant.replace(".", "")) <= 2
        found = [
            c
            for c in gazetteer.lookup(variant)
            if acceptable(c, variant) and not (short and c.flags & ALTERNATE and not c.flags & (MAIN | CODE))
        ]
        if found:
            break
    else:
        return ()
    # A country and its capital or a region under one name (Singapore, Kuwait, Mexico's State of México):
    # news means the country.
    countries = {c.country for c in found if c.feature == "PCLI"}
    found = [c for c in found if not (c.feature in ("PPLC", "ADM1", "ADM2") and c.country in countries)]
    # A region named after a big city inside it: the city, unless the city is much smaller than the region
    # (a village that happens to share a state's name).
    cities: dict[tuple[str | None, str | None], int] = {}
    for c in found:
        if c.feature in ("PPL", "PPLC"):
            key = (c.country, c.admin1)
            cities[key] = max(cities.get(key, 0), c.population)
    # A sea, macro-region or continent outranks the villages named after it ("the Middle East" is not
    # Middle East, Maryland, however American the article): only a large town keeps its place beside one.
    macro = any(c.feature in _MACRO_FEATURES and c.flags & MAIN for c in found)
    # A name that is some place's own name means that place, or a namesake, rather than a smaller one it
    # was once called or is nicknamed ("Charleston" is not Lorain, Ohio, once Charleston): an alternate-name
    # match stays a candidate only when it is larger than every town of that main name.
    largest_main = max(
        (c.population for c in found if c.flags & (MAIN | CODE) and c.feature in _TOWN_FEATURES), default=-1
    )
    out = []
    for c in found:
        if (
            c.feature in _TOWN_FEATURES
            and c.flags & ALTERNATE
            and not c.flags & (MAIN | CODE)
            and c.population < largest_main
        ):
            continue
        if c.feature in ("ADM1", "ADM2") and cities.get((c.country, c.admin1), 0) * 20 >= c.population:
            continue
        if macro and c.feature in _POINT_FEATURES and c.population < MACRO_NAMESAKE_MIN_POPULATION:
            continue
        out.append(c)
    return tuple(out)


def is_region_adjective(text: str) -> bool:
    """Whether ``text`` is a regional adjective of :data:`newsgraph.geo.names.REGION_ADJECTIVES`
    ("Siberian", "Latin American"); case matters: "texan" in lower case is not one."""
    return text[:1].isupper() and name_key(text) in _ADJECTIVES


def region_of_adjective(text: str, gazetteer: Gazetteer) -> Candidate | None:
    """The region a regional adjective names ("Sicilian" -> Sicily), or None when ``text`` is not one.

    The region is the most populous entry of the adjective's name that is not a town and lies in the
    country the table gives (Texas the state, not Texas County or a Mexican village).
    """
    if not is_region_adjective(text):
        return None
    name, country = _ADJECTIVES[name_key(text)]
    options = [
        c
        for c in gazetteer.lookup(name)
        if c.feature not in _TOWN_FEATURES and (country is None or c.country == country)
    ]
    return max(options, key=lambda c: c.population, default=None)


@lru_cache(maxsize=65_536)  # detection and every resolution round ask about the same candidates
def prior(candidate: Candidate) -> float:
    """Log-scale prior: population and kind of place, less a penalty for alternate-name-only matches."""
    score = math.log10(max(candidate.population, 1) + 10) + _FEATURE_PRIOR.get(candidate.feature, 0.0)
    if candidate.flags & ALTERNATE and not candidate.flags & (MAIN | CODE):
        score -= ALTERNATE_PENALTY
    return score * POPULATION_SCALE


def _inside(candidate: Candidate, region: Candidate) -> bool:
    if region.feature == "PCLI":
        return candidate.country == region.country and candidate.geonameid != region.geonameid
    if region.feature == "ADM1":
        return (
            candidate.country == region.country
            and candidate.admin1 == region.admin1
            and candidate.geonameid != region.geonameid
        )
    if region.feature == "CONT":
        return candidate.feature != "CONT"
    return False


def score(candidate: Candidate, index: int, evidence: Evidence, qualifiers: Sequence[Candidate]) -> float:
    """The candidate's total score for mention ``index`` given the article's evidence."""
    total = prior(candidate)
    if qualifiers:
        total += QUALIFIER_MATCH if any(_inside(candidate, q) for q in qualifiers) else QUALIFIER_MISMATCH
    country = candidate.country
    if country and candidate.feature != "PCLI":
        if evidence.countries.get(country, 0) > 0:
            total += COUNTRY_MENTIONED
            top = evidence.countries.most_common(1)[0]
            if top[0] == country:
                total += COUNTRY_DOMINANT
        if evidence.admin1.get((country, candidate.admin1 or ""), 0) > 0:
            # A town in a region the article names, or a region whose towns it names.
            total += ADMIN1_MENTIONED
    elif country and candidate.feature == "PCLI" and evidence.countries.get(country, 0) > 0:
        total += COUNTRY_MENTIONED / 2
    if country and evidence.outlet_country == country:
        total += OUTLET_COUNTRY
    if evidence.home_region is not None and (country, candidate.admin1) == evidence.home_region:
        total += HOME_REGION
    if evidence.points and candidate.feature in _DISTANCE_FEATURES:
        nearest = _nearest(candidate, evidence.points, index)
        if nearest <= 100:
            total += NEAR_100_KM
        elif nearest <= 400:
            total += NEAR_400_KM
    return total


def _nearest(candidate: Candidate, points: Sequence[tuple[int, float, float]], index: int) -> float:
    """Distance in km to the nearest point but mention ``index``'s own, exact up to 400 km; beyond that,
    some distance over 400 (math.inf when there is no other point).

    A great-circle distance is at least the distance along a meridian between the two latitudes, so points
    whose latitude alone puts them over 400 km away are skipped without the trigonometry.
    """
    lat0, lon0 = candidate.lat, candidate.lon
    nearest = math.inf
    for i, lat, lon in points:
        if i == index or abs(lat - lat0) > _FAR_DEGREES:
            continue
        nearest = min(nearest, distance_km(lat0, lon0, lat, lon))
    return nearest


def _dominant(options: Sequence[Candidate]) -> list[bool]:
    """For each candidate, whether it is a town that outnumbers every namesake town
    :data:`DOMINANCE` times over (Boston, Massachusetts against Boston, New York)."""
    towns = sorted((c.population for c in options if c.feature in _POINT_FEATURES), reverse=True)
    if len(towns) < 2:
        return [False] * len(options)
    return [
        c.feature in _POINT_FEATURES and c.population == towns[0] >= DOMINANCE * towns[1] for c in options
    ]


def supported(candidate: Candidate, index: int, evidence: Evidence, qualifiers: Sequence[Candidate]) -> bool:
    """Whether the article points to this candidate's region: a qualifier, its admin-1 region, or a place
    within 400 km."""
    if any(_inside(candidate, q) for q in qualifiers):
        return True
    # A country named elsewhere is not enough: a US article supports every village in the US.
    country = candidate.country
    if country and evidence.admin1.get((country, candidate.admin1 or ""), 0) > 0:
        return True
    return _nearest(candidate, evidence.points, index) <= 400


def _evidence(
    picks: Sequence[Candidate | None],
    confident: Sequence[bool],
    extra_countries: Iterable[str],
    outlet_country: str | None,
) -> Evidence:
    evidence = Evidence(outlet_country=outlet_country)
    evidence.countries.update(extra_countries)
    for i, (pick, sure) in enumerate(zip(picks, confident, strict=True)):
        if pick is None or not sure:
            continue
        if pick.country:
            evidence.countries[pick.country] += 1
        if pick.feature == "ADM1":
            evidence.admin1[(pick.country or "", pick.admin1 or "")] += 2
        elif pick.feature in _POINT_FEATURES and pick.admin1:
            evidence.admin1[(pick.country or "", pick.admin1)] += 1
        if pick.feature in _POINT_FEATURES:
            evidence.points.append((i, pick.lat, pick.lon))
    return evidence


def _without(evidence: Evidence, pick: Candidate | None, weight: int = 1) -> Evidence:
    """The evidence less one mention's own contribution (a name is no evidence for itself)."""
    if pick is None:
        return evidence
    countries = evidence.countries.copy()
    admin1 = evidence.admin1.copy()
    if pick.country:
        countries[pick.country] -= weight
        if countries[pick.country] <= 0:
            del countries[pick.country]
    key = (pick.country or "", pick.admin1 or "")
    if pick.feature in ("ADM1", *_POINT_FEATURES) and key in admin1:
        admin1[key] -= weight * (2 if pick.feature == "ADM1" else 1)
        if admin1[key] <= 0:
            del admin1[key]
    return Evidence(countries, admin1, evidence.points, evidence.outlet_country, evidence.home_region)


def _dateline_region(picks: Sequence[Candidate | None], datelines: Sequence[int]) -> tuple[str, str] | None:
    """The (country, admin-1) region of the dateline's place: its region where the dateline names one
    ("Mont."), else its town's."""
    found = [picks[g] for g in datelines if picks[g] is not None]
    for pick in sorted(found, key=lambda c: c.feature != "ADM1"):
        if pick.country and pick.admin1 and pick.feature in ("ADM1", *_POINT_FEATURES):
            return (pick.country, pick.admin1)
    return None


def resolve(
    mentions: Sequence[Mention],
    gazetteer: Gazetteer,
    *,
    countries: Iterable[str] = (),
    outlet_country: str | None = None,
    home: Candidate | None = None,
) -> list[Resolution]:
    """Resolve every mention of one article together.

    Args:
        mentions: The article's toponyms, in any order.
        gazetteer: The index to resolve against.
        countries: ISO alpha-2 codes the article refers to by other means (demonyms: "Portuguese"), once
            per reference.
        outlet_country: ISO alpha-2 code of the outlet's country, when known.
        home: The place a local outlet is named after (:func:`newsgraph.geo.outlets.home_of_url`): it
            counts as one more mention of that place.

    Returns:
        One :class:`Resolution` per mention, in the same order.
    """
    extra = list(countries)
    # One name, one meaning per article: mentions are grouped by folded name and qualifier.
    groups: dict[tuple[str, str], list[int]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault((name_key(m.text), name_key(m.qualifier or "")), []).append(i)
    # A bare name the article also writes as an area ("Suffolk" beside "Suffolk County") means the area.
    for key in list(groups):
        name, qualifier = key
        if qualifier:
            continue
        for word in AREA_SUFFIXES:
            longer = (f"{name} {word}", "")
            if longer in groups:
                groups[longer].extend(groups.pop(key))
                break
    keys = list(groups)
    cands = [candidates_for(mentions[groups[k][0]].text, gazetteer) for k in keys]
    quals: list[list[Candidate]] = []
    for k in keys:
        qualifier = mentions[groups[k][0]].qualifier
        found = candidates_for(qualifier, gazetteer) if qualifier else []
        quals.append([q for q in found if q.feature in ("PCLI", "ADM1")])
    weights = [len(groups[k]) for k in keys]
    datelines = [g for g, k in enumerate(keys) if any(mentions[i].dateline for i in groups[k])]
    dominant = [_dominant(options) for options in cands]

    def pick_all(evidence: Evidence | None) -> tuple[list[Candidate | None], list[float]]:
        picks: list[Candidate | None] = []
        confidences: list[float] = []
        for g, options in enumerate(cands):
            if not options:
                picks.append(None)
                confidences.append(0.0)
                continue
            if evidence is None:
                scores = [
                    prior(c) + (QUALIFIER_MATCH if any(_inside(c, q) for q in quals[g]) else 0)
                    for c in options
                ]
            else:
                own = _without(evidence, previous[g], weights[g]) if previous else evidence
                scores = [score(c, g, own, quals[g]) for c in options]
                scores = [s + DOMINANT_NAMESAKE * d for s, d in zip(scores, dominant[g], strict=True)]
            best = max(range(len(options)), key=scores.__getitem__)
            top = scores[best]
            confidences.append(1.0 / sum(math.exp(s - top) for s in scores))
            picks.append(options[best])
        return picks, confidences

    previous: list[Candidate | None] = []
    picks, confidences = pick_all(None)
    for _ in range(ROUNDS):
        previous = picks
        # Round evidence counts each group once per mention; only confident picks count.
        expanded_picks: list[Candidate | None] = []
        expanded_sure: list[bool] = []
        for g, pick in enumerate(picks):
            for _ in range(weights[g]):
                expanded_picks.append(pick)
                expanded_sure.append(confidences[g] >= 0.5)
        if home is not None:
            expanded_picks.append(home)
            expanded_sure.append(True)
        evidence = _evidence(expanded_picks, expanded_sure, extra, outlet_country)
        # Points are indexed by group so that a group's own point is skipped (the home place's is -1).
        evidence.points = [
            (g, p.lat, p.lon)
            for g, p in enumerate(picks)
            if p is not None and confidences[g] >= 0.5 and p.feature in _POINT_FEATURES
        ]
        if home is not None and home.feature in _POINT_FEATURES:
            evidence.points.append((-1, home.lat, home.lon))
        if home is not None and home.country and home.admin1:
            evidence.home_region = (home.country, home.admin1)
        # A dateline says where the story was written, which a local outlet's name only suggests: a wire
        # story from Helena, Mont. on a Memphis station's site is about Montana.
        written = _dateline_region(picks, datelines)
        if written is not None:
            evidence.home_region = written
        picks, confidences = pick_all(evidence)

    out: list[Resolution] = [Resolution(None)] * len(mentions)
    for g, k in enumerate(keys):
        pick = picks[g]
        weak = mentions[groups[k][0]].needs_support
        floor = SUPPORT_EXEMPT_POPULATION if weak else UNSUPPORTED_MIN_POPULATION
        small = pick is not None and pick.population < floor
        if (
            pick is not None
            and pick.feature in ("PPL", "ADM2")
            and small
            and not supported(pick, g, _without(evidence, pick, weights[g]), quals[g])
        ):
            pick = None
        for i in groups[k]:
            out[i] = Resolution(pick, confidences[g] if pick is not None else 0.0, len(cands[g]))
    return out
