import pytest

from newsgraph.extract.quotes import find_quote_spans


def quoted(text):
    return [text[s:e] for s, e in find_quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win," and left.', ['"we will win,"']),
        ("“We will win,” she said, “and soon.”", ["“We will win,”", "“and soon.”"]),
        ("« Nous gagnerons », a-t-il dit.", ["« Nous gagnerons »"]),
        ("‘We won’t stop,’ the minister’s aide said.", ["‘We won’t stop,’"]),
        ("Japan’s ministry didn’t comment.", []),
        ("It was the ‘90s.", []),
        ("''It's a boon for lawyers,'' he said.", ["''It's a boon for lawyers,''"]),
        ("“Unclosed quote here.\n\nNext paragraph has no mark.", []),
    ],
)
def test_quote_marks(text, expected):
    assert quoted(text) == expected


def test_multi_paragraph_quote_continues_when_next_paragraph_opens_with_a_mark():
    text = "She said: “We will not give up.\n\n“We will keep going.” Then she left."
    assert quoted(text) == ["“We will not give up.\n\n“We will keep going.”"]


def test_hard_wrapped_line_does_not_end_a_quote():
    text = "Portugal will “work for an agreement\nthat serves both peoples,” she said."
    assert quoted(text) == ["“work for an agreement\nthat serves both peoples,”"]


def test_single_newline_after_a_sentence_ends_an_unclosed_quote():
    text = "He said “we will see.\nThe talks ended. “Nothing more,” he added."
    assert quoted(text) == ["“Nothing more,”"]


def test_a_quote_inside_a_quote_with_the_same_marks():
    text = "“He calls it “a lost cause” and asks for votes,” she said."
    assert quoted(text) == [text[: text.index(" she")]]


def test_a_quote_inside_an_unclosed_quote_is_kept():
    text = "“He calls it “a lost cause” and asks for votes, she said.\n\nThe vote is in May."
    assert quoted(text) == ["“a lost cause”"]


def test_a_paragraph_opened_with_a_closing_mark():
    text = "Readers wrote in.\n\n”It was a fiasco.” ― Ana Ruiz"
    assert quoted(text) == ["”It was a fiasco.”"]


def test_a_curly_quote_closed_with_a_straight_mark():
    text = '“We will pull that back." He left. “It said "no" to us,” she added.'
    assert quoted(text) == ['“We will pull that back."', '“It said "no" to us,”']
