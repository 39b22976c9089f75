"""spaCy's attribute ruler and rule lemmatizer, asked once per distinct case instead of once per token.

In ``en_core_web_sm`` the attribute ruler (a Matcher of some 180 patterns: coarse part of speech and
morphology from the fine tag, a few word exceptions) and the rule lemmatizer walk every token of every
Doc: together about a fifth of the pipeline's time. What the ruler gives a token depends on its fine tag,
its dependency label and its lower-case form, and on the form only where a pattern names it (its one-token
patterns read ``LOWER``, ``TAG``, ``DEP`` and ``IS_SPACE``); what the lemmatizer gives it depends on its
form, part of speech and morphology. :class:`CachedAttributes` keys the ruler's answer on (word or a
stand-in for every word no pattern names, tag, label), asks the ruler about new keys in one small Doc,
and asks the lemmatizer once per (form, part of speech, morphology), on the real token. The ruler's few
patterns of two tokens ("gon na", "let 's", "there is") are tested on every pair of neighbours; a token
in a pair that may match is worked out from a window of itself and its neighbours. Every token gets
exactly what the two pipes would have given it; a Doc's answers are written in two array writes.

:func:`cache_attributes` puts the component in the place of the two (which stay in the pipeline,
disabled, as the component's source of rules).
"""

# Annotations stay objects (no postponed evaluation): spaCy 3.8.6's config system reads the factories'
# signatures at run time.

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.morphology import Morphology
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
# The pipe's name does not start with "newsgraph_": evaluations that skip newsgraph's own stages
# (places on GeoWebNews) still get parts of speech and lemmas, as with spaCy's two pipes.
NAME = "cached_attributes"
FACTORY = "newsgraph_cached_attributes"
# Answers kept at most in each cache (about 200 bytes each); 84 PolNeAR dev articles hold some 16,000 forms.
MAX_CACHED = 200_000


# A token's form, fine tag and dependency label (hashes), and what the ruler and the lemmatizer give it:
# coarse part of speech, morphology, lemma, fine tag and label.
Key = tuple[int, int, int]
Answer = tuple[int, int, int, int, int]


class CachedAttributes:
    """The attribute ruler and the lemmatizer of ``nlp``, each answer computed once per process.

    Args:
        nlp: The Language whose (disabled) ``attribute_ruler`` and ``lemmatizer`` give the answers.
    """

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._ruler: Any = None
        self._lemmatizer: Any = None
        self._loaded = False
        # The (first, second) token tests of the ruler's patterns of several tokens, and each word's
        # answers to them as bits: bit 2p, it may be pattern p's first token; bit 2p + 1, its second.
        self._pairs: list[tuple[TokenTest, TokenTest]] = []
        self._bits: dict[Key, int] = {}
        # Whether a pattern runs to three tokens or more (a Doc that may match goes to the ruler itself).
        self._longer = False
        # The dependency labels the ruler's patterns test (None: it tests them in a way not known here,
        # so every label counts); any other label is the same to it and is remembered as _OTHER_LABEL.
        self._labels: np.ndarray | None = None
        self._other = 0
        # The words the ruler's patterns name (None: it reads words in a way not known here, so every
        # word counts) and the expressions they are matched with; any other word is the same to it.
        self._words: frozenset[str] | None = None
        self._regexes: list[re.Pattern[str]] = []
        self._other_word = 0
        self._word_of: dict[int, int] = {}  # ORTH → the word the ruler sees
        # (word, TAG, DEP) → (POS, MORPH, LEMMA or 0, TAG, DEP) hashes after the ruler.
        self.cache: dict[Key, Answer] = {}
        # (ORTH, POS, MORPH) → the lemmatizer's LEMMA.
        self._lemmas: dict[Key, int] = {}
        # spaCy's rule lemmatizer with its word lists as sets (None: the lemmatizer is another kind).
        self._rules: RuleLemmas | None = None

    def _load(self) -> None:
        """Find the two pipes (on first use, so that the component can be added before them)."""
        names = self.nlp.component_names
        self._ruler = self.nlp.get_pipe(RULER) if RULER in names else None
        self._lemmatizer = self.nlp.get_pipe(LEMMATIZER) if LEMMATIZER in names else None
        if self._ruler is not None:
            for pattern in self._ruler.patterns:
                for tokens in pattern["patterns"]:
                    if len(tokens) > 1:
                        self._pairs.append((_token_test(tokens[0]), _token_test(tokens[1])))
                        self._longer = self._longer or len(tokens) > 2
        self._labels = _labels_read(self._ruler)
        self._other = self.nlp.vocab.strings.add(_OTHER_LABEL)
        self._other_word = self.nlp.vocab.strings.add(_OTHER_WORD)
        self._words, self._regexes = _words_read(self._ruler)
        if self._words is not None and (
            _OTHER_WORD in self._words or any(r.search(_OTHER_WORD) for r in self._regexes)
        ):
            self._words = None
        if self._lemmatizer is not None:
            self._lemmatizer(Doc(self.nlp.vocab, words=[]))  # checks its tables, as its first call does
            self._rules = RuleLemmas.of(self._lemmatizer)
        separator = (_SEPARATOR, *_SEPARATOR_LABELS)
        self._longer = self._longer or any(a(*separator) or b(*separator) for a, b in self._pairs)
        self._loaded = True

    def __call__(self, doc: Doc) -> Doc:
        if not self._loaded:
            self._load()
        if len(doc) == 0:
            return doc
        keys = doc.to_array([ORTH, TAG, DEP])
        orths = keys[:, 0].copy()
        if self._labels is not None:
            keys[~np.isin(keys[:, 2], self._labels), 2] = self._other
        if self._words is not None:
            keys[:, 0] = self._ruler_words(orths)
        rows = list(map(tuple, keys.tolist()))
        paired = self._paired(rows)
        if paired is not None and self._longer:
            return self._run_pipes(doc)
        cache = self.cache
        if len(cache) > MAX_CACHED or len(self._lemmas) > MAX_CACHED:  # a long-running process
            cache.clear()
            self._bits.clear()
            self._lemmas.clear()
            self._word_of.clear()
        alone = rows if paired is None else [row for row, pair in zip(rows, paired, strict=True) if not pair]
        missing = [key for key in dict.fromkeys(alone) if key not in cache]
        if missing:
            cache.update(zip(missing, self._answers([([key], 0) for key in missing]), strict=True))
        if paired is None:
            values = [cache[key] for key in rows]
        else:  # each token a pattern of two may match, worked out with its neighbours, every time
            indices = np.flatnonzero(paired).tolist()
            windows = [(rows[max(0, i - 1) : i + 2], min(i, 1)) for i in indices]
            found = dict(zip(indices, self._answers(windows), strict=True))
            values = [found[i] if i in found else cache[key] for i, key in enumerate(rows)]
        answers = np.array(values, dtype=np.uint64)
        doc.from_array([POS, MORPH], answers[:, :2])
        changed = np.flatnonzero((answers[:, 3:] != keys[:, 1:]).any(axis=1))
        for index in changed.tolist():  # the few words the ruler gives another tag or label
            token, tag, dep = doc[index], int(answers[index, 3]), int(answers[index, 4])
            token.tag = tag
            if dep != self._other:
                token.dep = dep
        doc.from_array([LEMMA], self._lemmatize(doc, orths, answers).reshape(-1, 1))
        return doc

    def _ruler_words(self, orths: np.ndarray) -> np.ndarray:
        """Each token's word as the ruler sees it: its lower-case form where a pattern names that word
        (or it is a space), else the same stand-in for every word."""
        word_of, strings, named = self._word_of, self.nlp.vocab.strings, self._words
        out = []
        for orth in orths.tolist():
            word = word_of.get(orth)
            if word is None:
                text = strings[orth]
                lower = text.lower()
                kept = text.isspace() or lower in named or any(r.search(lower) for r in self._regexes)
                word = word_of[orth] = strings.add(lower) if kept else self._other_word
            out.append(word)
        return np.array(out, dtype=np.uint64)

    def _lemmatize(self, doc: Doc, orths: np.ndarray, answers: np.ndarray) -> np.ndarray:
        """The lemma of each token: the ruler's where it set one, else the lemmatizer's for the token's
        form, part of speech and morphology (asked once for each)."""
        lemmas = answers[:, 2].copy()
        lemmatizer = self._lemmatizer
        if lemmatizer is None:
            return lemmas
        need = np.arange(len(lemmas)) if lemmatizer.overwrite else np.flatnonzero(lemmas == 0)
        keys = np.stack([orths, answers[:, 0], answers[:, 1]], axis=1)[need]
        known, strings = self._lemmas, self.nlp.vocab.strings
        rules = self._rules
        for index, key in zip(need.tolist(), map(tuple, keys.tolist()), strict=True):
            lemma = known.get(key)
            if lemma is None:
                text = rules.lemma(*key) if rules is not None else None
                if text is None:  # a case the copy of the rules leaves to the lemmatizer itself
                    text = lemmatizer.lemmatize(doc[index])[0]
                lemma = known[key] = strings.add(text)
            lemmas[index] = lemma
        return lemmas

    def _paired(self, rows: list[Key]) -> np.ndarray | None:
        """Which tokens are in a pair of neighbours that may match one of the ruler's patterns of several
        tokens (a pattern of three or more is asked about its first two), or None where none is."""
        if not self._pairs or len(rows) < 2:
            return None
        bits, strings = self._bits, self.nlp.vocab.strings
        flags = []
        for key in rows:
            flag = bits.get(key)
            if flag is None:
                words = (strings[key[0]].lower(), strings[key[1]], strings[key[2]])
                flag = bits[key] = sum(
                    (first(*words) << (2 * p)) | (second(*words) << (2 * p + 1))
                    for p, (first, second) in enumerate(self._pairs)
                )
            flags.append(flag)
        if not any(flags):
            return None
        array = np.array(flags, dtype=np.int64)
        firsts, seconds = array[:-1], array[1:]
        starts = np.zeros(len(rows) - 1, dtype=bool)
        for p in range(len(self._pairs)):
            starts |= ((firsts >> (2 * p)) & (seconds >> (2 * p + 1)) & 1).astype(bool)
        if not starts.any():
            return None
        paired = np.zeros(len(rows), dtype=bool)
        paired[:-1] |= starts
        paired[1:] |= starts
        return paired

    def _run_pipes(self, doc: Doc) -> Doc:
        for pipe in (self._ruler, self._lemmatizer):
            if pipe is not None:
                doc = pipe(doc)
        return doc

    def _answers(self, windows: list[tuple[list[Key], int]]) -> list[Answer]:
        """What the ruler gives one token of each window of neighbouring tokens (word, tag, label), the
        one at the place given with the window (the lemma is 0 where it sets none). The windows go
        through one Doc, with a separator between two that starts and ends no pattern."""
        strings = self.nlp.vocab.strings
        words: list[str] = []
        tags: list[str] = []
        deps: list[str] = []
        targets: list[int] = []
        for window, place in windows:
            targets.append(len(words) + place)
            for orth, tag, dep in window:
                words.append(strings[orth])
                tags.append(strings[tag] if tag else "")
                deps.append(strings[dep] if dep else "")
            words.append(_SEPARATOR)
            tags.append(_SEPARATOR_LABELS[0])
            deps.append(_SEPARATOR_LABELS[1])
        tagged = all(tags)
        labelled = all(deps)
        doc = Doc(
            self.nlp.vocab,
            words=words,
            spaces=[False] * len(words),
            tags=tags if tagged else None,
            deps=deps if labelled else None,
            heads=list(range(len(words))) if labelled else None,
        )
        if self._ruler is not None:
            doc = self._ruler(doc)
        tokens = [doc[i] for i in targets]
        return [(t.pos, t.morph.key, t.lemma, t.tag, t.dep) for t in tokens]


class RuleLemmas:
    """spaCy's rule lemmatizer (``Lemmatizer.rule_lemmatize``, with English's ``is_base_form`` where the
    lemmatizer is English's) answered from a token's form, part of speech and morphology, without a Token.

    spaCy keeps each part of speech's known lemmas as a list (some 57,000 nouns) and looks every candidate
    form up in it from the start: about a tenth of a millisecond a word, some 10,000 new words in 84
    articles. Here the lists are sets, looked up once per part of speech; every step and its order are
    those of the spaCy newsgraph installs (3.8.2 to 3.8.6, which keep the known forms in the order of the
    rules that made them), so every lemma is the same. Build one with :meth:`of`, which declines a
    lemmatizer of another kind or mode.
    """

    def __init__(self, lemmatizer: Lemmatizer, english: bool):
        self.strings = lemmatizer.vocab.strings
        self.lookups = lemmatizer.lookups
        self.english = english
        # Lower-case part of speech → (known lemmas, exceptions, rules), or None where no table has it.
        self._tables: dict[str, tuple[frozenset[str], dict[str, list[str]], list[Any]] | None] = {}
        self._features: dict[int, dict[str, str]] = {}  # MORPH → its features, as Token.morph.to_dict()

    @classmethod
    def of(cls, lemmatizer: Any) -> "RuleLemmas | None":
        """The copy of ``lemmatizer``'s rules, or None where it is not spaCy's rule lemmatizer as is."""
        kind = type(lemmatizer)
        if (
            not isinstance(lemmatizer, Lemmatizer)
            or getattr(lemmatizer, "mode", None) != "rule"
            or getattr(lemmatizer.lemmatize, "__func__", None) is not Lemmatizer.rule_lemmatize
        ):
            return None
        if kind.is_base_form is Lemmatizer.is_base_form:
            return cls(lemmatizer, english=False)
        if kind.is_base_form is EnglishLemmatizer.is_base_form:
            return cls(lemmatizer, english=True)
        return None

    def lemma(self, orth: int, pos: int, morph: int) -> str | None:
        """The lemma ``rule_lemmatize`` gives first, or None for a case left to the lemmatizer itself (a
        token without a part of speech, on which spaCy warns)."""
        univ_pos = POS_NAMES.get(pos, "").lower()
        if not univ_pos:
            return None
        string = self.strings[orth]
        if univ_pos in ("eol", "space"):
            return string.lower()
        if self.english and _base_form(univ_pos, self._morph(morph)):
            return string.lower()
        if univ_pos not in self._tables:
            self._tables[univ_pos] = self._load(univ_pos)
        tables = self._tables[univ_pos]
        if tables is None:
            return string if univ_pos == "propn" else string.lower()
        index, exceptions, rules = tables
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        return forms[0] if forms else oov_forms[0] if oov_forms else orig

    def _load(self, univ_pos: str) -> tuple[frozenset[str], dict[str, list[str]], list[Any]] | None:
        index = self.lookups.get_table("lemma_index", {}).get(univ_pos)
        exceptions = self.lookups.get_table("lemma_exc", {}).get(univ_pos)
        rules = self.lookups.get_table("lemma_rules", {}).get(univ_pos)
        if not any((index, exceptions, rules)):
            return None
        return frozenset(index or ()), exceptions or {}, list(rules or ())

    def _morph(self, morph: int) -> dict[str, str]:
        features = self._features.get(morph)
        if features is None:
            features = self._features[morph] = Morphology.feats_to_dict(self.strings[morph] if morph else "")
        return features


def _base_form(univ_pos: str, morphology: dict[str, str]) -> bool:
    """English's ``is_base_form``, on a part of speech and features instead of a Token."""
    if univ_pos == "noun" and morphology.get("Number") == "Sing":
        return True
    if univ_pos == "verb" and morphology.get("VerbForm") == "Inf":
        return True
    if univ_pos == "verb" and (
        morphology.get("VerbForm") == "Fin"
        and morphology.get("Tense") == "Pres"
        and morphology.get("Number") is None
    ):
        return True
    if univ_pos == "adj" and morphology.get("Degree") == "Pos":
        return True
    return morphology.get("VerbForm") in ("Inf", "None") or morphology.get("Degree") == "Pos"


TokenTest = Callable[[str, str, str], bool]
# Between the windows of the Doc the answers are worked out on: no pattern of several tokens has it
# (else every Doc that may match goes to the ruler itself).
_SEPARATOR = "|"
_SEPARATOR_LABELS = ("NFP", "punct")
_OTHER_LABEL = "newsgraph_other_label"
_OTHER_WORD = "newsgraph_other_word"
# What a token pattern of the ruler may read for the word to be replaced by a stand-in elsewhere.
_KNOWN_KEYS = {"LOWER", "TAG", "DEP", "IS_SPACE", "lower", "tag", "dep", "is_space"}


def _pattern_values(ruler: Any, key: str) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each token pattern of ``ruler`` with its value for ``key`` (upper or lower case; None where it has
    none)."""
    for pattern in ruler.patterns:
        for tokens in pattern["patterns"]:
            for token in tokens:
                value = token.get(key, token.get(key.lower()))
                yield token, value


def _named(value: Any) -> list[str] | None:
    """The values a pattern's test names (``==``, ``IN``, ``NOT_IN``), or None for a test of another kind."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) <= {"IN", "NOT_IN"}:
        return [str(named) for values in value.values() for named in values]
    return None


def _words_read(ruler: Any) -> tuple[frozenset[str] | None, list[re.Pattern[str]]]:
    """The lower-case words ``ruler``'s patterns name in ``LOWER`` (``==``, ``IN``, ``NOT_IN``) and the
    ``REGEX`` expressions they match words with, or None when a pattern reads the word another way."""
    if ruler is None:
        return frozenset(), []
    words: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    for token, value in _pattern_values(ruler, "LOWER"):
        if not set(token) <= _KNOWN_KEYS:
            return None, []
        if value is None:
            continue
        named = _named(value)
        if named is not None:
            words.update(named)
        elif isinstance(value, dict) and set(value) == {"REGEX"}:
            regexes.append(re.compile(value["REGEX"]))
        else:
            return None, []
    return frozenset(words), regexes


def _labels_read(ruler: Any) -> np.ndarray | None:
    """The hashes of the dependency labels ``ruler``'s patterns name (in ``==``, ``IN`` and ``NOT_IN``
    tests), or None when a pattern tests labels some other way."""
    if ruler is None:
        return np.zeros(0, dtype=np.uint64)
    labels: set[str] = set()
    for _, value in _pattern_values(ruler, "DEP"):
        if value is None:
            continue
        named = _named(value)
        if named is None:
            return None
        labels.update(named)
    strings = ruler.vocab.strings if hasattr(ruler, "vocab") else None
    if strings is None:
        return None
    return np.array(sorted(strings.add(label) for label in labels), dtype=np.uint64)


def _token_test(token_pattern: dict[str, Any]) -> TokenTest:
    """A test of a token (its lower-case form, fine tag and dependency label) against the ``LOWER``,
    ``TAG`` and ``DEP`` parts of a token pattern; any other part passes every token (so that a Doc that
    might match goes to the ruler itself)."""
    checks = []
    for key, place in (("LOWER", 0), ("TAG", 1), ("DEP", 2)):
        value = token_pattern.get(key, token_pattern.get(key.lower()))
        if isinstance(value, str):
            checks.append((place, frozenset([value.lower() if place == 0 else value]).__contains__))
        elif isinstance(value, dict) and isinstance(value.get("IN"), list):
            words = frozenset(str(w).lower() if place == 0 else str(w) for w in value["IN"])
            checks.append((place, words.__contains__))
        elif isinstance(value, dict) and isinstance(value.get("REGEX"), str):
            pattern = re.compile(value["REGEX"])
            checks.append((place, lambda word, pattern=pattern: pattern.search(word) is not None))

    def test(lower: str, tag: str, dep: str) -> bool:
        values = (lower, tag, dep)
        return all(check(values[place]) for place, check in checks)

    return test


@Language.factory(FACTORY, assigns=["token.pos", "token.morph", "token.lemma"])
def make_cached_attributes(nlp: Language, name: str) -> CachedAttributes:
    """The attribute ruler and lemmatizer of ``nlp``, remembered per word form (see the module)."""
    return CachedAttributes(nlp)


def cache_attributes(nlp: Language) -> Language:
    """Put :class:`CachedAttributes` in the place of ``nlp``'s attribute ruler and lemmatizer, which are
    disabled (a pipeline without either is left as it is)."""
    present = [name for name in (RULER, LEMMATIZER) if name in nlp.pipe_names]
    if not present or NAME in nlp.component_names:
        return nlp
    nlp.add_pipe(FACTORY, name=NAME, after=present[-1])
    for name in present:
        nlp.disable_pipe(name)
    return nlp
