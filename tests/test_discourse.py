"""The shared discourse detectors: one wire-dateline detector and one hedge detector for every stage."""

from __future__ import annotations

import pytest

from newsgraph.extract.discourse import Hedges, dateline_token, find_dateline, match_dateline


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("OSLO, June 3 (Nordic Wire) - Norway said on Monday.", "OSLO, June 3 (Nordic Wire)"),
        ("LIMA (Andes Press) — Peru's cabinet met.", "LIMA (Andes Press)"),
        ("KHARTOUM -- The crossing reopened.", "KHARTOUM"),
        ("Hanoi, 2 April 2024 (Mekong News) – The talks ended.", "Hanoi, 2 April 2024 (Mekong News)"),
        ("Nairobi, March 4 - The minister met farmers.", "Nairobi, March 4"),
        ("Trade officials - the ministry said - met in Lima.", None),
        ("The minister (pictured) - who arrived late - spoke.", "The minister (pictured)"),
    ],
)
def test_datelines_at_the_start(text: str, dateline: str | None) -> None:
    found = match_dateline(text)
    assert (text[found.start : found.end] if found else None) == dateline


def test_a_page_head_only_takes_the_strict_forms() -> None:
    # In a page's first paragraph only a place in capitals or a bracketed agency with a place counts.
    assert match_dateline("Nairobi, March 4 - The minister met farmers.", strict=True) is None
    assert match_dateline("The minister (pictured) - who arrived late - spoke.", strict=True) is None
    assert match_dateline("KHARTOUM -- The crossing reopened.", strict=True) is not None


def test_the_articles_dateline_follows_its_headline() -> None:
    text = "Andes states agree on water\n\nLIMA (Andes Press) - Peru and Bolivia agreed to share data."
    found = find_dateline(text)
    assert found is not None
    assert text[found.start : found.end] == "LIMA (Andes Press)"
    assert text[found.next :].startswith("Peru and Bolivia")
    # A dash deep in the body is no dateline.
    body = "Peru and Bolivia agreed.\n\nMore talks - officials said (Andes Press) - followed."
    assert find_dateline(body) is None


@pytest.mark.slow
def test_the_dateline_token_is_the_dash(nlp) -> None:
    doc = nlp("OSLO, June 3 (Nordic Wire) - Norway and Iceland agreed to share fisheries data.")
    end = dateline_token(doc)
    assert doc[end].text == "-"
    assert dateline_token(nlp("Norway and Iceland agreed to share fisheries data.")) == -1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "hedged_word", "kind", "claim"),
    [
        ("Trade officials of both countries are thought to have met in Singapore.", "met", "report", True),
        ("The rebels reportedly seized the airport on Sunday.", "seized", "adverb", True),
        ("The army appears to have fired on the crowd.", "fired", "appearance", False),
        ("The militia may have fired on the convoy.", "fired", "modal", False),
        ("The talks are believed by officials to have failed.", "failed", "report", False),
    ],
)
def test_hedges(nlp, text: str, hedged_word: str, kind: str, claim: bool) -> None:
    doc = nlp(text)
    hedges = Hedges(doc)
    assert [h.kind for h in hedges.items] == [kind]
    assert bool(hedges.claims()) == claim
    word = next(t for t in doc if t.text == hedged_word)
    assert hedges.covers(word)


@pytest.mark.slow
def test_an_asserted_clause_is_not_hedged(nlp) -> None:
    doc = nlp("Officials said the two ministers met in Singapore on Tuesday.")
    hedges = Hedges(doc)
    assert hedges.items == []
    assert not hedges.covers(next(t for t in doc if t.text == "met"))
