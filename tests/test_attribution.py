"""Attribution on articles written for these tests: every kind of attribution the wire produces, with the
speaker entity, source, cue, kind and reporting chain (via) that each must get, and hedged claims that must
stay without a speaker."""

import pytest

from newsgraph.schema import Article

pytestmark = pytest.mark.slow


def analyse(pipeline, text):
    record = pipeline.analyze_one(Article(text=text, id="t", published="2024-03-14"))

    def sp(span):
        return None if span is None else text[span[0] : span[1]]

    rows = [
        {
            "speaker": a.speaker_name,
            "entity": record.entity(a.speaker).name if a.speaker else None,
            "source": sp(a.source),
            "cue": sp(a.cue),
            "content": sp(a.content),
            "kind": a.kind,
            "via": [v.name for v in a.via],
            "role": a.role,
            "nested": a.nested,
        }
        for a in record.attributions
    ]
    return record, rows


def find(rows, fragment):
    """The attribution with the shortest content containing ``fragment``."""
    hits = [r for r in rows if r["content"] and fragment in r["content"]]
    assert hits, f"no attribution with content containing {fragment!r}: {rows}"
    return min(hits, key=lambda r: len(r["content"]))


def parsed(rows):
    """A Doc with the parse given row by row: (word, head index, dependency, tag, part of speech)."""
    import spacy
    from spacy.tokens import Doc

    words, heads, deps, tags, pos = (list(column) for column in zip(*rows, strict=True))
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)


# Each case: an invented article, then (content fragment, speaker entity, source, kind, via) per attribution.
CASES = {
    "direct, speaker after, with role": (
        "The port of Leixoes will reopen on Monday. “We have cleared every berth,” spokesman Rui Matos said.",
        [("We have cleared every berth", "Rui Matos", "spokesman Rui Matos", "direct", [])],
    ),
    "indirect with that, told reporters": (
        "Prime Minister Aiko Tanabe told reporters that the budget would be passed by March.",
        [
            (
                "the budget would be passed by March",
                "Aiko Tanabe",
                "Prime Minister Aiko Tanabe",
                "indirect",
                [],
            )
        ],
    ),
    "speaker inside a split quote": (
        "Defence Minister Tomas Varga visited the base on Friday. “This is only the beginning,” Varga said. "
        "“We will keep the border safe.”",
        [
            ("This is only the beginning", "Tomas Varga", "Varga", "direct", []),
            ("We will keep the border safe", "Tomas Varga", "Varga", "direct", []),
        ],
    ),
    "speaker before, colon": (
        "Finance Minister Carla Mendes was blunt on Tuesday. Mendes said: “The plan is dead.”",
        [("The plan is dead", "Carla Mendes", "Mendes", "direct", [])],
    ),
    "mixed quote": (
        "Senator Dana Whitfield said the bill was “dead on arrival” in the Senate.",
        [("dead on arrival", "Dana Whitfield", "Senator Dana Whitfield", "mixed", [])],
    ),
    "according to": (
        "According to the Japanese Foreign Ministry, the two leaders spoke for an hour.",
        [("the two leaders spoke for an hour", "Japanese Foreign Ministry", None, "indirect", [])],
    ),
    "passive quoted as saying by an agency": (
        "Foreign Minister Ana Ribeiro left Tokyo on Wednesday. Portugal will “work for an agreement that "
        "serves both peoples,” Ms Ribeiro was quoted as saying by Japan's Kyodo News agency.",
        [("Portugal will", "Ana Ribeiro", "Ms Ribeiro", "mixed", ["Kyodo News"])],
    ),
    "agency quoted a person as saying": (
        "Yonhap quoted Defence Minister Lee Jae-sung as saying that the North had fired two missiles.",
        [("the North had fired two missiles", "Lee Jae-sung", None, "indirect", ["Yonhap"])],
    ),
    "pronoun follows the last speaker": (
        "Interior Minister Paulo Rocha met protest leaders on Monday. Rocha said the curfew would end soon. "
        "He also said that troops would leave the city by June.",
        [
            ("the curfew would end soon", "Paulo Rocha", "Rocha", "indirect", []),
            ("troops would leave the city by June", "Paulo Rocha", "He", "indirect", []),
        ],
    ),
    "country as speaker": (
        "China says it will not accept the new tariffs on electric vehicles.",
        [("it will not accept the new tariffs", "China", "China", "indirect", [])],
    ),
    "organisation in a statement": (
        "The European Commission said in a statement that the fines would be paid by July.",
        [("the fines would be paid by July", "European Commission", None, "indirect", [])],
    ),
    "wrote on social media": (
        "Governor Maria Alves wrote on social media that the bridge would reopen on Friday.",
        [("the bridge would reopen on Friday", "Maria Alves", "Governor Maria Alves", "indirect", [])],
    ),
    "straight quotes": (
        'The storm hit the coast at dawn. "Nobody was hurt," Mayor Linda Costa said.',
        [("Nobody was hurt", "Linda Costa", "Mayor Linda Costa", "direct", [])],
    ),
    "single quotes": (
        "The talks ended late. ‘We made real progress,’ negotiator Omar Haddad said.",
        [("We made real progress", "Omar Haddad", "negotiator Omar Haddad", "direct", [])],
    ),
    "guillemets": (
        "The summit closed in Geneva. « We remain open to dialogue », President Claire Martin said.",
        [("We remain open to dialogue", "Claire Martin", "President Claire Martin", "direct", [])],
    ),
    "surname with honorific resolves to the full name": (
        "Kenji Ota, a spokesman for the ministry, spoke in Tokyo. Mr Ota said the ministry had no comment.",
        [("the ministry had no comment", "Kenji Ota", "Mr Ota", "indirect", [])],
    ),
    "descriptions and family names resolve to the entity named before": (
        "Ships of the China Coast Guard followed the supply boat for two hours on Sunday.\n\n"
        "The coast guard said the boat had entered waters under its control.\n\n"
        "“We will keep sailing there,” said Hanbit Energy chief executive Choi Min-seok.\n\n"
        "Choi said the company had lost no cargo.",
        [
            ("the boat had entered waters", "China Coast Guard", "The coast guard", "indirect", []),
            ("had lost no cargo", "Choi Min-seok", "Choi", "indirect", []),
        ],
    ),
    "organisation named after a place, person in apposition deep in the source": (
        "Japanese fishermen returned to port on Monday. The Japanese Foreign Ministry said talks with Seoul "
        "would resume in May. A spokeswoman for the Northern Relief Forces, Amina Farah, wrote on social "
        "media that the convoy had crossed.",
        [
            ("talks with Seoul", "Japanese Foreign Ministry", None, "indirect", []),
            ("the convoy had crossed", "Amina Farah", None, "indirect", []),
        ],
    ),
    "reported that nests a second attribution": (
        "Reuters reported that the finance minister, Carla Mendes, said the plan was dead.",
        [
            (
                "the finance minister, Carla Mendes, said the plan was dead",
                "Reuters",
                "Reuters",
                "indirect",
                [],
            ),
            (
                "the plan was dead",
                "Carla Mendes",
                "the finance minister, Carla Mendes,",
                "indirect",
                ["Reuters"],
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_attribution_kinds(pipeline, name):
    text, expected = CASES[name]
    _, rows = analyse(pipeline, text)
    for fragment, entity, source, kind, via in expected:
        row = find(rows, fragment)
        assert row["entity"] == entity, row
        if source is not None:
            assert row["source"] == source, row
        assert row["kind"] == kind, row
        assert row["via"] == via, row


def test_multi_paragraph_quote_is_one_direct_attribution(pipeline):
    text = (
        "Mayor Maria Lopez described the night of the flood. “The river rose faster than anyone expected.\n\n"
        "“We evacuated four villages before midnight,” Lopez said."
    )
    _, rows = analyse(pipeline, text)
    row = find(rows, "We evacuated four villages")
    assert row["entity"] == "Maria Lopez" and row["kind"] == "direct"
    assert find(rows, "The river rose")["entity"] == "Maria Lopez"


def test_floating_quote_takes_the_speaker_of_the_sentence_before(pipeline):
    text = (
        "Health Minister Laila Nasser said on Monday that vaccines would reach the region within a week.\n\n"
        "“Nobody will be left behind, whatever it takes and however long it lasts.”"
    )
    _, rows = analyse(pipeline, text)
    row = find(rows, "Nobody will be left behind")
    assert row["entity"] == "Laila Nasser" and row["kind"] == "direct"


def test_role_description_resolves_to_the_person(pipeline):
    text = (
        "Foreign Minister Helena Marques arrived in Seoul on Monday. The minister said Portugal wanted "
        "closer ties with South Korea."
    )
    _, rows = analyse(pipeline, text)
    row = find(rows, "Portugal wanted closer ties")
    assert row["entity"] == "Helena Marques" and row["source"] == "The minister"


def test_role_is_recorded(pipeline):
    text = "“The port is open again,” spokesman Rui Matos said on Sunday."
    _, rows = analyse(pipeline, text)
    assert find(rows, "The port is open again")["role"] == "spokesman"


def test_headline_with_colon_cue(pipeline):
    text = "Minister Paulo Rocha: ‘We will not raise taxes’\n\nThe budget will be presented in March."
    _, rows = analyse(pipeline, text)
    row = find(rows, "We will not raise taxes")
    assert row["entity"] == "Paulo Rocha" and row["kind"] == "direct"


def test_transcript_speakers_before_a_colon(pipeline):
    text = (
        "The minister took questions on the radio on Monday. Part of the exchange follows.\n\n"
        '"MARQUES: Will the ferry run through the winter?\n\n'
        '"ROCHA: It will. We have found the money for two more crews, and the timetable stays as it is.\n\n'
        "Editor's note: The interview has been shortened.\n\nUPDATE: The ferry company confirmed the crews."
    )
    _, rows = analyse(pipeline, text)
    question = find(rows, "Will the ferry run")
    answer = find(rows, "We have found the money")
    assert (question["source"], question["cue"]) == ("MARQUES", ":")
    assert (answer["source"], answer["cue"]) == ("ROCHA", ":")
    assert answer["content"] == (
        "It will. We have found the money for two more crews, and the timetable stays as it is"
    )
    assert not [r for r in rows if r["cue"] == ":" and r["source"] not in ("MARQUES", "ROCHA")]


def test_headline_speaker_before_a_colon_without_quote_marks(pipeline):
    text = "Rocha: Ferry Will Run Through the Winter\n\nThe ferry between the islands keeps its timetable."
    _, rows = analyse(pipeline, text)
    row = find(rows, "Ferry Will Run")
    assert (row["source"], row["cue"]) == ("Rocha", ":")


def test_quotes_signed_with_a_dash_and_a_name(pipeline):
    text = (
        "Residents of the valley spoke at Tuesday's hearing on the new bridge.\n\n"
        "“The river took everything we had. We cannot wait another season.” ― Marta Quispe\n"
        "“We need the bridge before the rains come back.”― Tomás Huanca\u00a0\n"
        "The council will vote in May."
    )
    _, rows = analyse(pipeline, text)
    first = find(rows, "The river took everything")
    second = find(rows, "before the rains")
    assert (first["source"], first["cue"], first["kind"]) == ("Marta Quispe", "―", "direct")
    assert first["content"] == "“The river took everything we had. We cannot wait another season.”"
    # No space between the closing mark and the dash: still the quote alone, the dash alone.
    assert (second["source"], second["cue"]) == ("Tomás Huanca", "―")
    assert second["content"] == "“We need the bridge before the rains come back.”"


def test_signed_quotes_with_a_quote_inside_a_wrong_opening_mark_and_an_initial(pipeline):
    text = (
        "Readers told us what they made of the debate.\n\n"
        "”He calls our town “a lost cause” and then asks for our votes.” ― Rosa M. Ibarra.\n"
        "“I stopped listening after ten minutes.” ― Daniel Osei\n"
    )
    _, rows = analyse(pipeline, text)
    first = find(rows, "He calls our town")
    assert (first["source"], first["cue"]) == ("Rosa M. Ibarra", "―")
    assert first["content"] == "”He calls our town “a lost cause” and then asks for our votes.”"
    assert find(rows, "stopped listening")["source"] == "Daniel Osei"


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("Trade officials of both countries are thought to have met in Singapore.", "thought"),
        ("The rebels reportedly seized the town of Karema overnight.", "reportedly"),
        ("The two governments are believed to be drafting a joint statement.", "believed"),
    ],
)
def test_hedged_claims_are_kept_apart_with_no_speaker(pipeline, sentence, hedge):
    text = "President Claire Martin said the talks would go on. " + sentence
    record, rows = analyse(pipeline, text)
    start = text.index(sentence)
    assert all(a.content[1] <= start for a in record.attributions), rows
    claims = [c for c in record.claims if c.content[0] >= start]
    assert len(claims) == 1, record.claims
    claim = claims[0]
    assert claim.speaker is None and claim.source is None and claim.speaker_name is None and not claim.via
    assert claim.cue is not None and hedge in text[claim.cue[0] : claim.cue[1]]
    assert find(rows, "the talks would go on")["entity"] == "Claire Martin"


def test_the_writers_own_inference_is_not_a_hedged_claim(pipeline):
    text = "The ferry apparently left the harbour early, and the storm seemingly passed north of the island."
    record, _ = analyse(pipeline, text)
    assert record.claims == [] and record.attributions == []


def test_polnear_scoring_joins_a_split_quote_and_leaves_nested_ones_out():
    from newsgraph.evaluation.polnear import GoldArticle, GoldAttribution, score_attributions
    from newsgraph.schema import Attribution

    text = "“We will win,” Ms Okafor said, “and soon.” Reuters said the minister said no."

    def at(s, n=1):
        start = -1
        for _ in range(n):
            start = text.index(s, start + 1)
        return (start, start + len(s))

    gold = GoldArticle(
        id="g",
        text=text,
        attributions=[
            GoldAttribution(
                "E1",
                content=(at("“We will win,”"), at("“and soon.”")),
                source=(at("Ms Okafor"),),
                cue=(at("said"),),
            ),
            GoldAttribution(
                "E2", content=(at("the minister said no"),), source=(at("Reuters"),), cue=(at("said", 2),)
            ),
        ],
    )
    okafor = {"source": at("Ms Okafor"), "cue": at("said"), "kind": "direct"}
    predicted = [
        Attribution(content=at("“We will win,”"), **okafor),
        Attribution(content=at("“and soon.”"), **okafor),
        Attribution(content=at("the minister said no"), source=at("Reuters"), cue=at("said", 2)),
        Attribution(content=at("no"), source=at("the minister"), cue=at("said", 3), nested=True),
    ]
    report = score_attributions([(gold, predicted)]).to_dict()["scores"]["all"]
    for role in ("content", "source", "cue", "relation"):
        assert report[role]["exact"]["f1"] == 1.0, (role, report[role])


def test_participle_cue_shares_the_source_when_the_parse_hangs_it_elsewhere():
    """ "Ruiz said, going on to say that …" parsed with both verbs under "spent": the participle still
    speaks for Ruiz, not for the subject of the clause it was hung from."""
    from newsgraph.extract.attribution import find_attributions_and_claims
    from newsgraph.extract.roles import RoleSpan

    doc = parsed(
        [
            ("Ruiz", 1, "nsubj", "NNP", "PROPN"),
            ("said", 10, "parataxis", "VBD", "VERB"),
            (",", 1, "punct", ",", "PUNCT"),
            ("going", 10, "advcl", "VBG", "VERB"),
            ("on", 3, "prt", "RP", "ADP"),
            ("to", 6, "aux", "TO", "PART"),
            ("say", 3, "xcomp", "VB", "VERB"),
            ("that", 10, "mark", "IN", "SCONJ"),
            ("the", 9, "det", "DT", "DET"),
            ("port", 10, "nsubj", "NN", "NOUN"),
            ("spent", 10, "ROOT", "VBD", "VERB"),
            ("millions", 10, "dobj", "NNS", "NOUN"),
            (".", 10, "punct", ".", "PUNCT"),
        ]
    )
    spans = [RoleSpan("SRC", 0, 1), RoleSpan("CUE", 1, 2), RoleSpan("CUE", 3, 7), RoleSpan("CON", 7, 12)]
    attributions, claims = find_attributions_and_claims(doc, [], spans)
    going = [a for a in attributions if doc.text[slice(*a.cue)] == "going on to say"]
    assert going and doc.text[slice(*going[0].source)] == "Ruiz"
    assert not claims


def test_participle_cues_share_the_source_of_the_cue_before_them(pipeline):
    text = (
        "“What we are seeing today is insane,” Ruiz said, going on to say that the port had spent "
        "millions on the new cranes.\n\nMayor Ana Ruiz called on Friday for an audit of the port, saying "
        "that the accounts “do not add up.”"
    )
    _, rows = analyse(pipeline, text)
    assert find(rows, "the port had spent millions")["source"] == "Ruiz"
    assert find(rows, "the accounts")["source"] == "Mayor Ana Ruiz"


def test_headline_and_sub_headline_do_not_swallow_the_lede(pipeline):
    text = (
        "Japan says fisheries talks with Seoul will resume in May\n\n"
        "Minister Kenji Ota vows to keep the hotline open\n\n"
        "TOKYO (Kyodo) - Japan will resume fisheries talks with South Korea in May, Fisheries Minister Kenji "
        "Ota said on Tuesday."
    )
    _, rows = analyse(pipeline, text)
    sentences = [s.text.strip() for s in pipeline.nlp(text).sents]
    assert sentences[0] == "Japan says fisheries talks with Seoul will resume in May"
    headline = find(rows, "fisheries talks with Seoul")
    assert headline["content"] == "fisheries talks with Seoul will resume in May"
    lede = find(rows, "talks with South Korea in May")
    assert (lede["entity"], lede["cue"]) == ("Kenji Ota", "said")
    assert lede["content"].startswith("Japan will resume")


def test_clause_before_its_cue_is_the_content_when_the_model_tags_none():
    """ "Talks will resume in May, Ota said": the clause before the cue is what he said."""
    from newsgraph.extract.attribution import find_attributions_and_claims
    from newsgraph.extract.roles import RoleSpan

    doc = parsed(
        [
            ("Talks", 2, "nsubj", "NNS", "NOUN"),
            ("will", 2, "aux", "MD", "AUX"),
            ("resume", 7, "ccomp", "VB", "VERB"),
            ("in", 2, "prep", "IN", "ADP"),
            ("May", 3, "pobj", "NNP", "PROPN"),
            (",", 7, "punct", ",", "PUNCT"),
            ("Ota", 7, "nsubj", "NNP", "PROPN"),
            ("said", 7, "ROOT", "VBD", "VERB"),
            (".", 7, "punct", ".", "PUNCT"),
        ]
    )
    attributions, _ = find_attributions_and_claims(doc, [], [RoleSpan("SRC", 6, 7), RoleSpan("CUE", 7, 8)])
    assert [doc.text[slice(*a.content)] for a in attributions] == ["Talks will resume in May"]


def test_according_to_an_agency_is_the_via_of_the_statement_it_relays(pipeline):
    text = (
        "North Korean leader Kim Jong Un inspected a missile factory on Monday, state media said. "
        'The North\'s leader said the country would "expand production without limit", according to KCNA.'
    )
    _, rows = analyse(pipeline, text)
    leader = [r for r in rows if r["entity"] == "Kim Jong Un" and "expand production" in r["content"]]
    assert leader and leader[0]["via"] == ["KCNA"]


def test_a_surname_tagged_as_a_place_before_it_is_known_joins_its_person():
    import spacy
    from spacy.tokens import Doc

    from newsgraph.extract.entities import find_entities

    words = ["Liang", "Weiguo", "met", "Sosa", ".", "Liang", "said", "talks", "went", "well", ".", "Liang"]
    words += ["smiled", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "O", "B-GPE", "O", "O", "O", "O", "O", "B-PERSON"]
    ents += ["O", "O"]
    doc = Doc(spacy.blank("en").vocab, words=words, ents=ents)
    entities = find_entities(doc)
    assert [(e.name, e.type, len(e.mentions)) for e in entities] == [
        ("Liang Weiguo", "PERSON", 3),
        ("Sosa", "PERSON", 1),
    ]


def test_words_on_both_sides_of_an_interrupting_source_are_the_content(pipeline):
    text = (
        "The fishing fleet stayed in port on Friday. But the new quota, Minister Kenji Ota said, would be "
        "set before the spring season. The port reopens next week, the harbour master said, unless the storm "
        "returns."
    )
    _, rows = analyse(pipeline, text)
    ota = sorted(r["content"] for r in rows if r["entity"] == "Kenji Ota")
    assert ota == ["the new quota", "would be set before the spring season"]
    harbour = sorted(r["content"] for r in rows if r["source"] == "the harbour master")
    assert harbour == ["The port reopens next week", "unless the storm returns"]


def test_words_that_hang_from_an_interrupting_cue_are_not_content(pipeline):
    text = "As the ferry docked, the captain said, “We lost two containers in the storm.”"
    _, rows = analyse(pipeline, text)
    assert [r["content"] for r in rows] == ["“We lost two containers in the storm.”"]


def test_an_opening_quote_mark_starts_its_sentence(pipeline):
    text = (
        "The mayor said the new bridge had cost less than planned. ''We finished it two months early,'' "
        "Rosa Ibarra said. ''And the river is cleaner than it was.''"
    )
    sentences = [s.text.strip() for s in pipeline.nlp(text).sents]
    assert sentences[1].startswith("''We finished") and sentences[1].endswith("Rosa Ibarra said.")
    _, rows = analyse(pipeline, text)
    assert find(rows, "two months early")["entity"] == "Rosa Ibarra"


def test_an_agency_called_a_person_by_its_first_word_is_the_agency(pipeline):
    text = (
        "Fishing talks will resume in May, according to South Korea's Yonhap News Agency.\n\n"
        "Yonhap reported that Minister Lee Jae-won said the quota would be doubled."
    )
    record, rows = analyse(pipeline, text)
    assert [e.name for e in record.entities if "Yonhap" in e.name] == ["Yonhap News Agency"]
    lee = find(rows, "the quota would be doubled")
    assert (lee["entity"], lee["via"]) == ("Lee Jae-won", ["Yonhap News Agency"])
