"""Sentences of an article in any language: the units a translation is aligned on.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (and any closing quote marks or brackets after it) followed
by a space and something that can start a sentence (a capital, a digit, an opening quote mark, ``¿`` or
``¡``), unless the word before the full stop is an abbreviation ("Sr.", "Mme.", "EE. UU.") or an initial;
at the CJK full stops ``。！？``; and at every line break, so a headline, a dateline line or a paragraph is
never joined to the next one. A blank line starts a new paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.schema import Span

# Abbreviations written with a full stop in the news languages translated here, lower case without it:
# honorifics and titles, "EE. UU.", "núm.", "art.". A full stop after one of them does not end a sentence.
ABBREVIATIONS = frozenset((
    "sr", "sra", "srta", "sres", "dr", "dra", "dña", "lic", "ing", "gral", "gen", "col", "cap", "prof",
    "pdte", "avda", "av", "núm", "art", "pág", "vol", "etc", "ee", "uu", "m", "mm", "mme", "mmes", "mlle",
    "me", "mgr", "st", "ste", "dir", "pres", "sen", "rep", "gov", "mr", "mrs", "ms", "jr", "sn", "nº", "no",
    "tel",
))  # fmt: skip

_END = re.compile(r"[.!?…]+[»\"”’')\]]*(?=[ \t]+[\"“«'‘¿¡(\-–—\d\w])|[。！？]+[」』”]*")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?$")
_LINE = re.compile(r"[^\n]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the original: its span and the number of the paragraph it is in (from 0)."""

    span: Span
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order, each span trimmed of surrounding white space."""
    out: list[Sentence] = []
    paragraph = 0
    previous_end = 0
    for line in _LINE.finditer(text):
        if out and _BLANK_LINE.search(text, previous_end, line.start()):
            paragraph += 1
        previous_end = line.end()
        start = line.start()
        for end in _ends(line.group(0)):
            _add(out, text, start, line.start() + end, paragraph)
            start = line.start() + end
        _add(out, text, start, line.end(), paragraph)
    return out


def _ends(line: str) -> list[int]:
    ends: list[int] = []
    for match in _END.finditer(line):
        following = line[match.end() :].lstrip()
        if following[:1].islower():
            continue
        if line[match.start()] == ".":
            before = _WORD_BEFORE.search(line, 0, match.start())
            word = before.group(1).lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        ends.append(match.end())
    return ends


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence((start, end), paragraph))
