"""Apertium: rule-based translation that runs offline (Debian packages ``apertium`` and its language pairs).

Sentences are translated in batches, one line each: one ``apertium`` process per batch and language (its
start, about 0.1 s of CPU, is paid once for many articles), and Apertium keeps lines as they are, so line
*i* of the output is the translation of sentence *i*. Unknown-word marks (``*`` unknown, ``@`` missing
from the bilingual dictionary, ``#`` not generated) are stripped and counted.

Names are protected: a capitalised span that Apertium would mangle (it has a word it does not know, or a
hyphenated part it does: "Kim Jong-un" → "Kim Jong-a") is replaced by a placeholder word, which Apertium
passes through as an unknown word, and put back after. A span Apertium's dictionary knows as a proper noun
("Corea del Norte" → "North Korea", "Londres" → "London") is left to it. Which is which is asked of the
pair's own morphological analyser (``lt-proc``), once per distinct span. Honorifics become English with the
name they precede (:mod:`newsgraph.translate.rules`).

French has no Apertium pair into English in Debian; it goes through Spanish (``fr-es`` then ``spa-eng``),
placeholders and all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newsgraph.translate import rules
from newsgraph.translate.engine import Engine, TranslatedSentence, TranslationError

# ISO 639-1 code → the Apertium modes that take it to English, in order (Debian's pair names).
MODES: dict[str, tuple[str, ...]] = {
    "es": ("spa-eng",),
    "ca": ("cat-eng",),
    "gl": ("gl-en",),
    "eu": ("eu-en",),
    "is": ("isl-eng",),
    "mk": ("mkd-eng",),
    "hr": ("hbs-eng",),
    "sr": ("hbs-eng",),
    "bs": ("hbs-eng",),
    "fr": ("fr-es", "spa-eng"),
}
# The Debian packages holding those modes, for the error message and `make setup`.
PACKAGES: dict[str, str] = {
    "spa-eng": "apertium-eng-spa",
    "cat-eng": "apertium-eng-cat",
    "gl-en": "apertium-en-gl",
    "eu-en": "apertium-eu-en",
    "isl-eng": "apertium-isl-eng",
    "mkd-eng": "apertium-mkd-eng",
    "hbs-eng": "apertium-hbs-eng",
    "fr-es": "apertium-fr-es",
}
MODES_DIR = Path("/usr/share/apertium/modes")
# Seconds one batch may take: Apertium translates some 5,000 words a second on one core here, so this is
# several thousand articles' worth; a hung process is killed rather than waited on for ever.
TIMEOUT_S = 600
# Distinct name spans whose analysis is remembered per process (names recur across a day's news).
_ANALYSIS_CACHE = 50_000

_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")
_LU = re.compile(r"\^(.*?)\$")
_HANDLE = re.compile(r"(?<!\w)[@#]\w+|https?://\S+")
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")


def available() -> bool:
    """True when the ``apertium`` command is installed."""
    return shutil.which("apertium") is not None


@cache
def _installed_modes() -> frozenset[str]:
    if not available():
        return frozenset()
    listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=60, check=False)
    return frozenset(listed.stdout.split())


@cache
def _package_version(package: str) -> str:
    if shutil.which("dpkg-query") is None:
        return ""
    found = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() if found.returncode == 0 else ""


@cache
def _analyser(mode: str) -> str | None:
    """The morphological analyser (``*.automorf.bin``) a mode starts with, when it names one."""
    path = MODES_DIR / f"{mode}.mode"
    if not path.is_file():
        return None
    match = re.search(r"lt-proc(?: -\w)* '?([^' |]+automorf\.bin)", path.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def _run(command: list[str], lines: Sequence[str]) -> list[str]:
    """Feed ``lines`` to ``command`` and return its output lines, one per input line."""
    data = "".join(f"{line}\n" for line in lines)
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TranslationError(f"{' '.join(command)} failed: {exc}") from exc
    if done.returncode != 0:
        raise TranslationError(
            f"{' '.join(command)} exited with {done.returncode}: {done.stderr.strip()[:300]}"
        )
    out = done.stdout.split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(lines):
        raise TranslationError(
            f"{' '.join(command)} returned {len(out)} lines for {len(lines)}; the batch cannot be aligned"
        )
    return out


@dataclass
class _Prepared:
    """A sentence made ready for Apertium: placeholders in, and what to put back for each."""

    line: str
    protected: list[str] = field(default_factory=list)
    # For a sentence opening with a placeholder: was the word after it lower case in the original?
    lower_after_first: bool = False


class Apertium(Engine):
    """Apertium through its command line, a process per batch and language pair.

    Args:
        protect_names: Replace names Apertium would mangle by placeholders (on by default; off only to
            measure what it does).
        edit: Apply the frame, honorific and glossary rules of :mod:`newsgraph.translate.rules`.
    """

    name = "apertium"

    def __init__(self, protect_names: bool = True, edit: bool = True) -> None:
        self.protect_names = protect_names
        self.edit = edit
        self._analyses: dict[tuple[str, str], tuple[bool, bool]] = {}

    def languages(self) -> frozenset[str]:
        modes = _installed_modes()
        return frozenset(code for code, chain in MODES.items() if all(m in modes for m in chain))

    def version(self, language: str) -> str:
        chain = self._chain(language)
        parts = [f"apertium {_package_version('apertium') or '?'}"]
        for mode in chain:
            package = PACKAGES.get(mode, mode)
            parts.append(f"{mode} ({package} {_package_version(package) or '?'})")
        return ", ".join(parts)

    def _chain(self, language: str) -> tuple[str, ...]:
        chain = MODES.get(language)
        if chain is None:
            raise TranslationError(f"Apertium has no pair from {language!r} into English")
        missing = [m for m in chain if m not in _installed_modes()]
        if missing:
            packages = " ".join(PACKAGES.get(m, m) for m in missing)
            raise TranslationError(
                f"Apertium data for {language!r} is not installed (apt-get install apertium {packages}, "
                "or run make setup)"
            )
        return chain

    def translate_sentences(self, language: str, sentences: Sequence[str]) -> list[TranslatedSentence]:
        chain = self._chain(language)
        if not sentences:
            return []
        prepared = self._prepare(language, chain[0], sentences)
        lines = [p.line for p in prepared]
        # A word unknown to the first pair of a chain is usually unknown to the next one too: each is
        # counted once per sentence.
        unknown: list[set[str]] = [set() for _ in lines]
        for step, mode in enumerate(chain):
            lines = _run(["apertium", mode], lines)
            if step == len(chain) - 1 and self.edit:
                lines = self._gloss(language, lines)
            lines, words = _strip_marks(lines)
            for seen, new in zip(unknown, words, strict=True):
                seen.update(new)
        return [
            TranslatedSentence(self._finish(line, p), len(n))
            for line, p, n in zip(lines, prepared, unknown, strict=True)
        ]

    # -- before ------------------------------------------------------------------------------------

    def _prepare(self, language: str, mode: str, sentences: Sequence[str]) -> list[_Prepared]:
        prepared = []
        spans_per_sentence = []
        for sentence in sentences:
            item = _Prepared(_SPACES.sub(" ", sentence).strip())
            if self.edit:
                item.line = self._honorifics(language, item)
                item.line = self._inverted_pronouns(language, item)
            item.line = _HANDLE.sub(lambda m, item=item: _protect(item, m.group(0)), item.line)
            prepared.append(item)
            spans_per_sentence.append(
                [m for m in rules.NAME.finditer(item.line)] if self.protect_names else []
            )
        if self.protect_names:
            self._analyse(mode, [m.group(0) for found in spans_per_sentence for m in found])
        # Which spans to protect, then the words of every protected name: one of them on its own later
        # ("Son" after "Son Heung-min") is the same name, whatever the dictionary says the word means.
        chosen: list[list[tuple[int, str]]] = []
        for item, found in zip(prepared, spans_per_sentence, strict=True):
            spans = []
            for match in found:
                start, text = match.start(), match.group(0)
                if start == 0 or item.line[:start].strip() in {"«", '"', "“", "¿", "¡", "(", "—", "-"}:
                    start, text = self._drop_initial_words(mode, start, text)
                spans.append((start, text, bool(text) and self._should_protect(mode, text)))
            chosen.append(spans)
        registry = {
            word
            for spans in chosen
            for _, text, protect in spans
            if protect
            for word in text.split()
            if len(word) > 1
        }
        registry.update(word for item in prepared for name in item.protected for word in name.split()[1:])
        for item, spans in zip(prepared, chosen, strict=True):
            pieces, last = [], 0
            for start, text, protect in spans:
                if text and (protect or all(word in registry for word in text.split())):
                    pieces.append(item.line[last:start])
                    pieces.append(_protect(item, text))
                    last = start + len(text)
            pieces.append(item.line[last:])
            item.line = "".join(pieces)
            if self.edit:
                item.line = _pre_edit(language, item.line)
            first = rules.PLACEHOLDER.match(item.line)
            if first:
                after = item.line[first.end() :].split()
                item.lower_after_first = bool(after) and after[0][:1].islower()
        return prepared

    def _honorifics(self, language: str, item: _Prepared) -> str:
        titles = rules.HONORIFICS.get(language)
        if not titles:
            return item.line
        articles = rules.ARTICLES.get(language, {})
        title = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
        article = "|".join(re.escape(a) for a in articles)
        pattern = re.compile(
            rf"(?:\b(?P<art>(?i:{article}))\s+)?(?<!\w)(?P<title>(?i:{title}))(?!\w)\s+(?P<name>{rules.NAME.pattern})"
        )

        def replace(match: re.Match[str]) -> str:
            english = titles[match.group("title").lower()]
            before = articles.get((match.group("art") or "").lower(), "") if match.group("art") else ""
            if match.group("art") and match.group("art")[0].isupper() and before:
                before = before.capitalize()
            return before + _protect(item, f"{english} {match.group('name')}")

        return pattern.sub(replace, item.line)

    def _inverted_pronouns(self, language: str, item: _Prepared) -> str:
        """French "a-t-elle ajouté" → "<she> a ajouté": the pronoun as a placeholder holding its English,
        because the Spanish step of the pivot drops subject pronouns ("ha añadido" → "has added")."""
        pronouns = rules.INVERTED_PRONOUNS.get(language)
        if not pronouns:
            return item.line
        pattern = re.compile(rf"\b(\w+)-(?:t-)?({'|'.join(pronouns)})\b")
        return pattern.sub(lambda m: f"{_protect(item, pronouns[m.group(2)])} {m.group(1)}", item.line)

    def _analyse(self, mode: str, spans: Sequence[str]) -> None:
        analyser = _analyser(mode)
        wanted = list(
            dict.fromkeys(
                piece
                for span in spans
                for piece in (span, *span.split())
                if (mode, piece) not in self._analyses
            )
        )
        if not wanted or analyser is None:
            return
        if len(self._analyses) > _ANALYSIS_CACHE:
            self._analyses.clear()
        for piece, line in zip(wanted, _run(["lt-proc", analyser], wanted), strict=True):
            units = _LU.findall(line)
            readings = [unit.split("/")[1:] for unit in units]
            unknown = any(not r or r[0].startswith("*") for r in readings)
            proper = len(units) == 1 and any("<np>" in r for r in readings[0])
            self._analyses[(mode, piece)] = (unknown, proper)

    def _should_protect(self, mode: str, text: str) -> bool:
        found = self._analyses.get((mode, text))
        if found is None:  # no analyser for this pair: protect what Apertium is likely to mangle
            return "-" in text
        unknown, proper = found
        if proper:
            return False
        hyphenated = any("-" in word for word in text.split())
        return unknown or hyphenated

    def _drop_initial_words(self, mode: str, start: int, text: str) -> tuple[int, str]:
        """Leave out of a sentence-initial span the capitalised common words that open it ("Según
        Xinhua" → "Xinhua", "El Gobierno" stays a phrase Apertium translates)."""
        for word in _WORD.finditer(text):
            unknown, proper = self._analyses.get((mode, word.group(0)), (True, False))
            if unknown or proper:
                return start + word.start(), text[word.start() :]
        return start + len(text), ""

    # -- after -------------------------------------------------------------------------------------

    def _gloss(self, language: str, lines: list[str]) -> list[str]:
        glossary = rules.GLOSSARY.get(language)
        if not glossary:
            return lines
        pattern = re.compile(r"\*(\w+)")

        def replace(match: re.Match[str]) -> str:
            english = glossary.get(match.group(1).lower())
            return match.group(0) if english is None else f"\x00{english}\x00"

        out = []
        for line in lines:
            line = pattern.sub(replace, line)
            # "the leader \0North Korean\0" → "the North Korean leader"
            line = re.sub(
                r"\b(the|a|an|his|her|its|their|The|A|An|His|Her|Its|Their) (\w+) \x00([^\x00]+)\x00",
                r"\1 \3 \2",
                line,
            )
            out.append(line.replace("\x00", ""))
        return out

    def _finish(self, line: str, item: _Prepared) -> str:
        if item.lower_after_first:
            line = re.sub(
                rf"^({rules.PLACEHOLDER.pattern}) ([{rules.UPPER}])(?=[a-z])",
                lambda m: f"{m.group(1)} {m.group(3).lower()}",
                line,
            )
        line = rules.PLACEHOLDER.sub(lambda m: _restore(item, m), line)
        if self.edit:
            for pattern, replacement in _post_edits():
                line = pattern.sub(replacement, line)
        line = re.sub(
            r"\s+([,.;:»”])", lambda m: m.group(1) if m.group(1) in ",.;:" else f" {m.group(1)}", line
        )
        return _SPACES.sub(" ", line).strip()


def _protect(item: _Prepared, text: str) -> str:
    index = len(item.protected)
    item.protected.append(text)
    return rules.placeholder(index)


def _restore(item: _Prepared, match: re.Match[str]) -> str:
    index = rules.placeholder_index(match.group(1))
    return item.protected[index] if 0 <= index < len(item.protected) else match.group(0)


@cache
def _compiled_pre(language: str) -> list[tuple[re.Pattern[str], str]]:
    placeholder = rf"{rules.PLACEHOLDER_PREFIX}[a-z]+"
    return [
        (re.compile(p.replace("{P}", placeholder), re.IGNORECASE if "(?P<verb>" in p else 0), r)
        for p, r in rules.PRE_EDITS.get(language, [])
    ]


def _pre_edit(language: str, line: str) -> str:
    for pattern, replacement in _compiled_pre(language):
        if "(?P<verb>" in pattern.pattern:
            line = pattern.sub(lambda m: f"{m.group('name')} {m.group('verb').lower()}", line)
        else:
            line = pattern.sub(replacement, line)
    return line


@cache
def _post_edits() -> list[tuple[re.Pattern[str], Any]]:
    return [(re.compile(p), r) for p, r in rules.POST_EDITS]


def _strip_marks(lines: list[str]) -> tuple[list[str], list[set[str]]]:
    """Remove Apertium's unknown-word marks; return the lines and, per line, the words that carried one
    (a placeholder is not an unknown word)."""
    out, words = [], []
    for line in lines:
        found = set()
        for mark in _MARK.finditer(line):
            word = re.match(r"[\w'-]+", line[mark.end() :])
            if word and not word.group(0).startswith(rules.PLACEHOLDER_PREFIX):
                found.add(word.group(0).lower())
        words.append(found)
        out.append(_MARK.sub("", line))
    return out, words
