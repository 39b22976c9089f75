"""The toponym scorer: a logistic model over name-free features of a candidate place (see
:mod:`newsgraph.extract.place_detect`), its weights shipped in ``data/places_scorer.json`` and rebuilt by
``python -m newsgraph.train.places``."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from spacy.parts_of_speech import IDS as POS_IDS

from newsgraph.errors import NewsgraphError
from newsgraph.extract.place_words import (
    AREA_WORDS,
    COMMON_WORDS,
    GENERIC_WORDS,
    LOCATIVE,
    RESIDENT_WORDS,
    is_facility,
)
from newsgraph.geo.gazetteer import ALTERNATE, CODE, MAIN
from newsgraph.geo.resolve import candidates_for, is_region_adjective, prior

if TYPE_CHECKING:  # the detector imports this module
    from newsgraph.extract.place_detect import Detector, Found

FEATURES: tuple[str, ...] = (
    "bias",
    "ner_gpe", "ner_loc", "ner_fac", "ner_org", "ner_person", "ner_norp", "ner_other", "ner_none",
    "embedded", "gaz_none", "facility",
    "kind_cont", "kind_country", "kind_adm1", "kind_adm2", "kind_city", "kind_region", "kind_landmark",
    "log_population", "alternate_only", "code", "ambiguity",
    "in_article_region", "in_article_country", "in_outlet_country",
    "cue_locative", "cue_the", "cue_qualified", "cue_based", "area_word", "next_propn",
    "dateline", "person_name", "place_elsewhere", "person_elsewhere", "sentence_start", "all_caps", "tokens",
    "common_word", "lowercase_elsewhere", "adjective", "cue_located_in", "cue_street", "cue_of_person",
    "cue_resident", "cue_area_of",
)  # fmt: skip
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
KIND_FEATURES = {
    "CONT": "kind_cont", "PCLI": "kind_country", "ADM1": "kind_adm1", "ADM2": "kind_adm2",
    "PPLC": "kind_city", "PPL": "kind_city", "RGN": "kind_region", "SEA": "kind_region",
    "LDMK": "kind_landmark",
}  # fmt: skip
NER_FEATURES = {
    "GPE": "ner_gpe", "LOC": "ner_loc", "FAC": "ner_fac", "ORG": "ner_org", "PERSON": "ner_person",
    "NORP": "ner_norp", "": "ner_none",
}  # fmt: skip
SCORER_FILE = "places_scorer.json"


class PlaceScorer:
    """Logistic model over :data:`FEATURES`: ``weights`` by feature name, and the keeping ``threshold``."""

    def __init__(self, weights: dict[str, float], threshold: float = 0.5):
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise NewsgraphError(f"place scorer: unknown features {sorted(unknown)}; retrain it")
        self.vector = [weights.get(name, 0.0) for name in FEATURES]
        self.threshold = threshold

    @classmethod
    @cache
    def default(cls) -> PlaceScorer:
        """The scorer shipped in ``newsgraph/data``."""
        data = json.loads(files("newsgraph.data").joinpath(SCORER_FILE).read_text(encoding="utf-8"))
        return cls(data["weights"], data["threshold"])

    def probability(self, features: Sequence[float]) -> float:
        z = sum(w * x for w, x in zip(self.vector, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_PROPN = POS_IDS["PROPN"]


def describe(det: Detector, f: Found) -> list[float]:
    """The features of candidate ``f`` found by the detector ``det``, in the order of :data:`FEATURES`."""
    doc = det.doc
    x = [0.0] * len(FEATURES)
    x[FEATURE_INDEX["bias"]] = 1.0
    x[FEATURE_INDEX[NER_FEATURES.get(f.label, "ner_other")]] = 1.0
    text = f.text or det.span_text(f.start, f.end)
    options = list(candidates_for(text, det.gaz))
    if not options:
        x[FEATURE_INDEX["gaz_none"]] = 1.0
    else:
        best = max(options, key=prior)
        x[FEATURE_INDEX[KIND_FEATURES.get(best.feature, "kind_city")]] = 1.0
        x[FEATURE_INDEX["log_population"]] = math.log10(max(c.population for c in options) + 1) / 7
        x[FEATURE_INDEX["alternate_only"]] = float(
            all(c.flags & ALTERNATE and not c.flags & (MAIN | CODE) for c in options)
        )
        x[FEATURE_INDEX["code"]] = float(any(c.flags & CODE for c in options))
        x[FEATURE_INDEX["ambiguity"]] = math.log(len(options)) / 3
        in_region, in_country = det.in_article_region(f, options)
        x[FEATURE_INDEX["in_article_region"]] = float(in_region)
        x[FEATURE_INDEX["in_article_country"]] = float(in_country)
        x[FEATURE_INDEX["in_outlet_country"]] = float(any(c.country == det.outlet_country for c in options))
    x[FEATURE_INDEX["embedded"]] = float(f.embedded)
    x[FEATURE_INDEX["dateline"]] = float(f.dateline)
    x[FEATURE_INDEX["facility"]] = float(is_facility(text))
    before = doc[f.start - 1] if f.start > 0 else None
    after = doc[f.end] if f.end < len(doc) else None
    if before is not None:
        x[FEATURE_INDEX["cue_locative"]] = float(before.lower_ in LOCATIVE)
        x[FEATURE_INDEX["cue_the"]] = float(before.lower_ == "the")
    qualified = f.qualifier is not None or (
        before is not None and before.text == "," and f.start > 1 and doc[f.start - 2].ent_type_ == "GPE"
    )
    x[FEATURE_INDEX["cue_qualified"]] = float(qualified)
    if after is not None:
        nxt = after.lower_
        if nxt in ("-", "–") and f.end + 1 < len(doc):
            nxt = doc[f.end + 1].lower_
        if f.cut:  # "U.S.-based": the rest of the token
            nxt = doc[f.end - 1].lower_[-f.cut :].lstrip("-–—")
        x[FEATURE_INDEX["cue_based"]] = float(nxt in ("based", "-based"))
        x[FEATURE_INDEX["next_propn"]] = float(after.pos == _PROPN and after.is_title)
    x[FEATURE_INDEX["area_word"]] = float(text.rsplit(None, 1)[-1].lower() in AREA_WORDS)
    x[FEATURE_INDEX["person_name"]] = float(det.person_name(f.start, f.end, text, f.label))
    x[FEATURE_INDEX["place_elsewhere"]] = float(text in det.place_texts)
    x[FEATURE_INDEX["person_elsewhere"]] = float(any(w in det.person_words for w in text.split()))
    x[FEATURE_INDEX["sentence_start"]] = float(doc[f.start].is_sent_start or False)
    x[FEATURE_INDEX["all_caps"]] = float(text.isupper() and len(text) > 3)
    x[FEATURE_INDEX["tokens"]] = min(f.end - f.start, 4) / 4
    x[FEATURE_INDEX["common_word"]] = float(text.lower() in COMMON_WORDS or text.lower() in GENERIC_WORDS)
    x[FEATURE_INDEX["lowercase_elsewhere"]] = float(det.lowercase_elsewhere(text))
    x[FEATURE_INDEX["adjective"]] = float(is_region_adjective(text))
    x[FEATURE_INDEX["cue_located_in"]] = float(det.located_in(f.end))
    x[FEATURE_INDEX["cue_street"]] = float(f.street)
    x[FEATURE_INDEX["cue_area_of"]] = float(det.area_of(f.start))
    x[FEATURE_INDEX["cue_resident"]] = float(after is not None and after.lower_ in RESIDENT_WORDS)
    # "David Mahler of Bellmore": where a person is from.
    x[FEATURE_INDEX["cue_of_person"]] = float(
        before is not None
        and before.lower_ == "of"
        and f.start > 1
        and doc[f.start - 2].ent_type_ == "PERSON"
    )
    return x
