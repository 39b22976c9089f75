"""The PLOVER ontology as newsgraph uses it, and the event lexicon in ``data/plover_lexicon.json``.

PLOVER (Political Language Ontology for Verifiable Event Records, Open Event Data Alliance) keeps
CAMEO's two-digit "cue categories" as sixteen event types and moves CAMEO's finer codes into a
``mode``. This module holds what the coder, the exports and the evaluation share: the types, their
quad classes, a CAMEO root code per type and mode (for GDELT-style exports), the PLOVER manual's
conflict–cooperation score per type, and the parsed lexicon.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from newsgraph.errors import NewsgraphError

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# CAMEO's quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
# 4 material conflict (the PLOVER manual gives each category one of these headings).
QUAD_CLASS: dict[str, int] = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "REQUEST": 3,
    "ACCUSE": 3,
    "REJECT": 3,
    "THREATEN": 3,
    "PROTEST": 4,
    "SANCTION": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}

# The PLOVER manual's conflict–cooperation score per category (its "Schrodt scores": frequency-weighted
# means of CAMEO Goldstein scores, -10 most hostile to +10 most cooperative). REQUEST takes the score
# the manual gives its predecessor DEMAND.
SCORES: dict[str, float] = {
    "ASSAULT": -9.3,
    "COERCE": -7.2,
    "PROTEST": -6.6,
    "MOBILIZE": -5.3,
    "SANCTION": -5.2,
    "THREATEN": -5.1,
    "REQUEST": -5.0,
    "REJECT": -4.2,
    "ACCUSE": -2.0,
    "CONSULT": 2.1,
    "AGREE": 4.2,
    "SUPPORT": 4.6,
    "CONCEDE": 5.0,
    "COOPERATE": 6.8,
    "AID": 7.4,
    "RETREAT": 7.6,
}

# CAMEO root (two-digit) code per PLOVER type, the inverse of the CAMEO-to-PLOVER table's main rows.
CAMEO_ROOT: dict[str, str] = {
    "AGREE": "03",
    "CONSULT": "04",
    "SUPPORT": "05",
    "COOPERATE": "06",
    "AID": "07",
    "CONCEDE": "08",
    "RETREAT": "08",
    "REQUEST": "10",
    "ACCUSE": "11",
    "REJECT": "12",
    "THREATEN": "13",
    "PROTEST": "14",
    "MOBILIZE": "15",
    "SANCTION": "16",
    "COERCE": "17",
    "ASSAULT": "18",
}

# Finer CAMEO codes where the mode pins one down (from the CAMEO-to-PLOVER table, read backwards).
CAMEO_CODE: dict[tuple[str, str], str] = {
    ("CONSULT", "phone"): "041",
    ("CONSULT", "visit"): "042",
    ("CONSULT", "third-party"): "044",
    ("AID", "economic"): "071",
    ("AID", "military"): "072",
    ("AID", "humanitarian"): "073",
    ("AID", "asylum"): "075",
    ("RETREAT", "release"): "0841",
    ("RETREAT", "return"): "0842",
    ("RETREAT", "access"): "086",
    ("RETREAT", "ceasefire"): "0871",
    ("RETREAT", "withdraw"): "0872",
    ("RETREAT", "disarm"): "0873",
    ("ACCUSE", "investigate"): "090",
    ("REQUEST", "assist"): "101",
    ("SANCTION", "withdraw"): "161",
    ("SANCTION", "sever"): "161",
    ("SANCTION", "expel"): "166",
    ("PROTEST", "demo"): "141",
    ("PROTEST", "strike-hun"): "142",
    ("PROTEST", "strike-gen"): "143",
    ("PROTEST", "strike-lim"): "143",
    ("PROTEST", "boycott"): "143",
    ("PROTEST", "obstruct"): "144",
    ("PROTEST", "riot"): "145",
    ("MOBILIZE", "police"): "153",
    ("MOBILIZE", "troops"): "154",
    ("COERCE", "confiscate"): "1711",
    ("COERCE", "restrict"): "172",
    ("COERCE", "ban"): "1722",
    ("COERCE", "curfew"): "1723",
    ("COERCE", "martial-law"): "1724",
    ("COERCE", "arrest"): "173",
    ("COERCE", "deport"): "174",
    ("ASSAULT", "destroy"): "1712",
    ("ASSAULT", "abduct"): "181",
    ("ASSAULT", "beat"): "182",
    ("ASSAULT", "torture"): "1822",
    ("ASSAULT", "suicide-attack"): "1831",
    ("ASSAULT", "explosives"): "183",
    ("ASSAULT", "assassinate"): "186",
    ("ASSAULT", "firearms"): "193",
    ("ASSAULT", "heavy-weapons"): "194",
    ("ASSAULT", "primitive"): "180",
}


def cameo_code(event_type: str, mode: str | None = None) -> str:
    """The CAMEO event code for a PLOVER type and mode: the finest code the mode pins down, else the
    root followed by 0 ("040" for CONSULT)."""
    if mode and (event_type, mode) in CAMEO_CODE:
        return CAMEO_CODE[(event_type, mode)]
    return CAMEO_ROOT[event_type] + "0"


def is_cooperative(event_type: str) -> bool:
    """True for the verbal and material cooperation types (quad classes 1 and 2)."""
    return QUAD_CLASS.get(event_type, 0) in (1, 2)


@dataclass(frozen=True)
class Sense:
    """One reading of a trigger word: conditions on its arguments, and the event it codes.

    Args:
        type: PLOVER type, or None for "no event" (the word is not an event in this reading).
        mode: PLOVER mode, or None.
        obj: Noun class the object's head must be in ("personnel", "aid"…), or None.
        subj: Sectors the actor must have (any of), or empty for no condition.
        noobj: The reading needs the verb to have no direct object.
    """

    type: str | None
    mode: str | None = None
    obj: str | None = None
    subj: frozenset[str] = frozenset()
    noobj: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The parsed event lexicon. Field meanings are documented in docs/events.md."""

    classes: dict[str, frozenset[str]]
    verbs: dict[str, tuple[Sense, ...]]
    phrasal: dict[str, tuple[Sense, ...]]
    nouns: dict[str, tuple[Sense, ...]]
    object_nouns: dict[str, tuple[Sense, ...]]
    light: dict[str, frozenset[str]]
    reversal: dict[str, Sense]
    intent: dict[str, frozenset[str]]
    obligation: frozenset[str]
    control: frozenset[str]
    instruments: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]]
    ordered: dict[str, tuple[str, ...]]
    light_order: tuple[str, ...]
    threat_modes: dict[str, str]
    request_modes: dict[str, str]


def _parse_sense(text: str, classes: dict[str, frozenset[str]], where: str) -> Sense:
    parts = text.split()
    if not parts:
        raise NewsgraphError(f"plover_lexicon.json: empty sense in {where}")
    *conditions, code = parts
    event_type, _, mode = code.partition("/")
    if event_type != "-" and event_type not in PLOVER_TYPES:
        raise NewsgraphError(f"plover_lexicon.json: unknown PLOVER type {event_type!r} in {where}")
    obj = None
    subj: frozenset[str] = frozenset()
    noobj = False
    for cond in conditions:
        if cond.startswith("obj:"):
            obj = cond[4:]
            if obj not in classes:
                raise NewsgraphError(f"plover_lexicon.json: unknown noun class {obj!r} in {where}")
        elif cond.startswith("subj:"):
            subj = frozenset(cond[5:].split(","))
        elif cond == "noobj":
            noobj = True
        else:
            raise NewsgraphError(f"plover_lexicon.json: unknown condition {cond!r} in {where}")
    return Sense(None if event_type == "-" else event_type, mode or None, obj, subj, noobj)


def _senses(value: str | list[str], classes: dict[str, frozenset[str]], where: str) -> tuple[Sense, ...]:
    items = [value] if isinstance(value, str) else value
    return tuple(_parse_sense(item, classes, where) for item in items)


@cache
def load_lexicon() -> Lexicon:
    """Load and check ``data/plover_lexicon.json`` (once per process).

    Raises:
        NewsgraphError: The file names a type, class or condition that does not exist.
    """
    data = json.loads((files("newsgraph") / "data" / "plover_lexicon.json").read_text(encoding="utf-8"))
    classes = {name: frozenset(words) for name, words in data["classes"].items()}

    def table(section: str) -> dict[str, tuple[Sense, ...]]:
        return {k: _senses(v, classes, f"{section}.{k}") for k, v in data[section].items()}

    reversal = {k: _parse_sense(v, classes, f"reversal.{k}") for k, v in data["reversal"].items()}
    return Lexicon(
        classes=classes,
        verbs=table("verbs"),
        phrasal=table("phrasal"),
        nouns=table("nouns"),
        object_nouns=table("object_nouns"),
        light={k: frozenset(v) for k, v in data["light_verbs"].items()},
        reversal=reversal,
        intent={k: frozenset(v) for k, v in data["intent"].items()},
        obligation=frozenset(data["obligation"]),
        control=frozenset(data["control"]),
        instruments={k: frozenset(v) for k, v in data["instruments"].items()},
        words={k: frozenset(v) for k, v in data["words"].items()},
        ordered={k: tuple(v) for k, v in data["words"].items()},
        light_order=tuple(data["light_order"]),
        threat_modes=dict(data["threat_modes"]),
        request_modes=dict(data["request_modes"]),
    )
