"""The toponym scorer: a logistic model over name-free features of a candidate place (see
:mod:`newsgraph.extract.place_detect`), its weights shipped in ``data/places_scorer.json`` and rebuilt by
``python -m newsgraph.train.places``."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from newsgraph.errors import NewsgraphError

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
    "cue_resident",
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
