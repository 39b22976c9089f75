"""Agency-copy patterns that attribution used to get wrong (issue 14), each on an article written for this
test: the rows a reader expects, and the rows that must not appear."""

import pytest

from newsgraph.schema import Article

pytestmark = pytest.mark.slow


def analyse(pipeline, text):
    record = pipeline.analyze_one(Article(text=text, id="t", published="2024-03-14"))

    def sp(span):
        return None if span is None else text[span[0] : span[1]]

    rows = [
        {
            "speaker": record.entity(a.speaker).name if a.speaker else a.speaker_name,
            "cue": sp(a.cue),
            "content": sp(a.content),
            "via": [v.name for v in a.via],
            "role": a.role,
            "hedged": a.hedged,
        }
        for a in record.attributions
    ]
    claims = [sp(c.content) for c in record.claims]
    return record, rows, claims


# Each case: an invented article, then the attributions it must give as (content fragment, speaker, via),
# then fragments no attribution's content may contain.
CASES = {
    "one cue, two quoted contents joined by and": (
        'The talks in Lisbon ended late on Tuesday. Member states should "move as one" and the union would '
        '"honour every pledge," the news agency Lusa quoted Foreign Minister Carla Pinto as saying.',
        [
            ("move as one", "Carla Pinto", ["Lusa"]),
            ("honour every pledge", "Carla Pinto", ["Lusa"]),
        ],
        ["as saying", "Carla Pinto as"],
    ),
    "passive with no agent after earlier sourcing": (
        "Reports on Thursday from the state broadcaster NHK and the Kyodo news agency said the two sides had "
        "met. Trade Minister Kenji Ota was quoted as saying that Tokyo supports the new round of talks.",
        [("Tokyo supports the new round of talks", "Kenji Ota", ["NHK", "Kyodo"])],
        ["Trade Minister Kenji Ota"],
    ),
    "agent inside the passive": (
        "Prime Minister Haruto Kishida was quoted as saying by Kyodo News that the summit had been "
        '"very productive."',
        [('that the summit had been "very productive."', "Haruto Kishida", ["Kyodo News"])],
        ["as saying by"],
    ),
    "agent inside the passive, sentence-final": (
        'Prime Minister Haruto Kishida left Lisbon on Friday.\n\nThe summit had been "very productive," '
        "Kishida was quoted as saying by Kyodo News.",
        [("The summit had been", "Haruto Kishida", ["Kyodo News"])],
        ["as saying by", "Kyodo"],
    ),
    "the via chain carries across a paragraph": (
        "Trade Minister Kenji Ota arrived in Beijing on Monday.\n\nThe tariffs on wine would fall next "
        "year, Xinhua quoted Mr Ota as saying.\n\nMr Ota also said the two countries would sign a fisheries "
        "accord.",
        [
            ("The tariffs on wine would fall next year", "Kenji Ota", ["Xinhua"]),
            ("the two countries would sign a fisheries accord", "Kenji Ota", ["Xinhua"]),
        ],
        [],
    ),
    "short forms of a country the article named": (
        "North Korean troops fired artillery near the border on Friday, the South Korean military said. "
        "The North has denied any role in the incident.",
        [("any role in the incident", "North Korean", [])],
        [],
    ),
    "a headline, a purpose clause and a rejection are no statements": (
        "Portugal and Japan agree to expand trade talks\n\nTrade Minister Kenji Ota met his Portuguese "
        "counterpart in Lisbon on Monday to discuss a new agreement. Mr Ota rejected the accusation.",
        [],
        ["expand trade talks", "a new agreement", "the accusation"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_wire_pattern(pipeline, name):
    text, expected, absent = CASES[name]
    _, rows, _ = analyse(pipeline, text)
    for fragment, speaker, via in expected:
        hits = [r for r in rows if fragment in r["content"]]
        assert hits, f"no attribution with content containing {fragment!r}: {rows}"
        row = min(hits, key=lambda r: len(r["content"]))
        assert row["speaker"] == speaker, row
        assert row["via"] == via, row
    for fragment in absent:
        assert not any(fragment in r["content"] for r in rows), (fragment, rows)
    assert len(rows) >= len(expected)


def test_the_two_quoted_contents_are_two_rows(pipeline):
    _, rows, _ = analyse(pipeline, CASES["one cue, two quoted contents joined by and"][0])
    assert len(rows) == 2
    assert all(r["cue"] == "quoted" for r in rows)


def test_the_sentence_final_passive_gives_one_row(pipeline):
    _, rows, claims = analyse(pipeline, CASES["agent inside the passive, sentence-final"][0])
    assert len(rows) == 1 and rows[0]["cue"] == "was quoted as saying"
    assert not claims


def test_a_hedge_on_a_named_speaker_is_a_hedged_attribution(pipeline):
    text = (
        "Foreign Minister Carla Pinto met her Spanish counterpart in Madrid on Monday. The minister has "
        'reportedly told her counterpart that she wants "a firm timetable".'
    )
    _, rows, claims = analyse(pipeline, text)
    (row,) = [r for r in rows if "a firm timetable" in r["content"]]
    assert row["speaker"] == "Carla Pinto" and row["hedged"]
    assert not any("firm timetable" in c for c in claims)


def test_a_hedge_on_an_action_stays_an_unsourced_claim(pipeline):
    _, rows, claims = analyse(pipeline, "Jakarta reportedly asked for a clause on disaster relief.")
    assert not rows
    assert any("a clause on disaster relief" in c for c in claims)


def test_a_title_before_a_name_is_part_of_the_person(pipeline):
    text = (
        "Trade Minister Kenji Ota arrived in Beijing on Monday. Trade Minister Kenji Ota said the tariffs "
        "would fall."
    )
    record, rows, _ = analyse(pipeline, text)
    assert [e.name for e in record.entities if e.type == "ORG"] == []
    assert rows and all(r["role"] == "Trade Minister" for r in rows)


def test_expressed_frustration_saying_takes_the_subject_of_expressed():
    """ "… expressed frustration after the trip was cut short, saying …" parsed with "saying" under "cut":
    the passive subject "the trip" cannot speak; the minister who expressed frustration does."""
    import spacy
    from spacy.tokens import Doc

    from newsgraph.extract.attribution import find_attributions_and_claims
    from newsgraph.extract.roles import RoleSpan

    rows = [
        ("The", 1, "det", "DT", "DET"),
        ("minister", 2, "nsubj", "NN", "NOUN"),
        ("expressed", 2, "ROOT", "VBD", "VERB"),
        ("frustration", 2, "dobj", "NN", "NOUN"),
        ("after", 8, "mark", "IN", "SCONJ"),
        ("the", 6, "det", "DT", "DET"),
        ("trip", 8, "nsubjpass", "NN", "NOUN"),
        ("was", 8, "auxpass", "VBD", "AUX"),
        ("cut", 2, "advcl", "VBN", "VERB"),
        ("short", 8, "advmod", "RB", "ADV"),
        (",", 8, "punct", ",", "PUNCT"),
        ("saying", 8, "advcl", "VBG", "VERB"),
        ("talks", 14, "nsubj", "NNS", "NOUN"),
        ("would", 14, "aux", "MD", "AUX"),
        ("resume", 11, "ccomp", "VB", "VERB"),
        (".", 2, "punct", ".", "PUNCT"),
    ]
    words, heads, deps, tags, pos = (list(column) for column in zip(*rows, strict=True))
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
    spans = [
        RoleSpan("SRC", 0, 2),
        RoleSpan("CUE", 2, 3),
        RoleSpan("CON", 3, 4),
        RoleSpan("CUE", 11, 12),
        RoleSpan("CON", 12, 15),
    ]
    attributions, _ = find_attributions_and_claims(doc, [], spans)
    saying = [a for a in attributions if doc.text[slice(*a.cue)] == "saying"]
    assert saying and doc.text[slice(*saying[0].source)] == "The minister"


def test_a_role_in_the_lede_is_the_person_named_just_after(pipeline):
    text = (
        "Russian drones struck the port of Odesa overnight, the regional governor said on Friday.\n\n"
        '"The enemy is trying to cut the sea corridor," Odesa regional governor Oleh Marchenko wrote.'
    )
    _, rows, _ = analyse(pipeline, text)
    assert [r["speaker"] for r in rows if "Russian drones" in r["content"]] == ["Oleh Marchenko"]


def test_the_company_is_the_business_the_article_is_about(pipeline):
    text = (
        "Battery maker Hanbit Energy said Tuesday it had started production at its plant in Georgia.\n\n"
        "The plant will employ 2,400 people by next year, the company said in a filing."
    )
    _, rows, _ = analyse(pipeline, text)
    assert [r["speaker"] for r in rows if "2,400 people" in r["content"]] == ["Hanbit Energy"]
