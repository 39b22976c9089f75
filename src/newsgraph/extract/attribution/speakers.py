"""Speakers: who a source names (names, role descriptions, pronouns), speakers before a colon or after a
signing dash, sources a cue shares with the verb it hangs from, and the speaker's role."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token

from newsgraph.extract import countries
from newsgraph.extract.attribution.spans import (
    _INHERIT_STEPS,
    _INHERITING_DEPS,
    _INITIAL,
    _NAME_EDGES,
    _OPENING_MARKS,
    _PARTICIPLE_REACH,
    _SIGNATURE_DASHES,
    _SIGNATURE_WORDS,
    _SPEAKER_TYPES,
    _SUBJECTS,
    _Group,
    _overlaps_tokens,
    _root,
    _State,
)
from newsgraph.extract.entities import ORG_HEADS, gender_of
from newsgraph.extract.lexicon import (
    COLON_LABELS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    STRONG_SPEECH_VERBS,
    THING_PRONOUNS,
)
from newsgraph.extract.mentions import Coreference, resolve_pronouns
from newsgraph.schema import Entity

# Seats of power that stand for their country as speakers ("Beijing says …", "the Kremlin said").
_METONYM_KINDS = frozenset({"capital", "seat"})
# Words that describe an organisation rather than name it ("Defence Ministry", "Air Force").
_GENERIC_ORG_WORDS = ORG_HEADS | ROLE_MODIFIERS | {"air", "coast", "interior", "environment"}
# How far ahead a role description in a lede may look for the person it introduces.
_CATAPHORA_CHARS = 600
# Only a role description this near the start (the lede) introduces a person named later.
_LEDE_CHARS = 400


class _Resolver:
    """Maps a source mention to an entity: names, role descriptions, then pronouns."""

    def __init__(self, doc: Doc, text: str, entities: list[Entity], coref: Coreference | None = None):
        self.doc = doc
        self.text = text
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        self.mentions = sorted((s, e, ent) for ent in entities for s, e in ent.mentions)
        # Pronoun antecedents come from the one mention resolver (newsgraph_coref), or are resolved here
        # the same way when no component ran.
        self.coref = coref if coref is not None else Coreference(pronouns=resolve_pronouns(doc, entities))
        self.last_speaker: tuple[int, Entity] | None = None
        self.sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]

    def near(self, at: int, position: int) -> bool:
        """Whether the mention at character ``at`` lies within the coreference window (in sentences) before
        ``position``: the reach of "the speaker just before" is the reach of a pronoun's antecedent."""
        here = bisect.bisect_right(self.sentence_starts, position)
        return at <= position and bisect.bisect_right(self.sentence_starts, at) >= here - self.coref.window

    def mention_at(self, start: int, end: int, head: Token) -> Entity | None:
        """The entity named by the phrase ``[start, end)`` headed by ``head``.

        A mention containing the head wins; otherwise a name or organisation right before the head
        ("Kyodo News agency"), but not a modifier ("the Portuguese minister" is not Portugal); otherwise,
        for a long source phrase ("Sterling Pratt, wine director at Schaefer's"), the first person or
        organisation named in it.
        """
        inside = [(s, e, ent) for s, e, ent in self.mentions if s < end and e > start]
        anchor = head.idx
        for s, e, ent in inside:
            if s <= anchor < e:
                return ent
        before = [(s, e, ent) for s, e, ent in inside if e <= anchor and anchor - e <= 1]
        for _, _, ent in before:
            if ent.type in ("ORG", "PERSON", "FAC"):
                return ent
        for s, e, ent in inside:
            if s >= start and e <= end and ent.type in ("PERSON", "ORG") and s <= anchor:
                return ent
        return None

    def resolve(self, source: tuple[int, int], head: Token) -> Entity | None:
        entity = self.mention_at(*source, head)
        if entity is not None:
            return entity
        # "the spokesman, Lee Min-ho, said": the appositive names the speaker. The parse may hang the name
        # from a nearer noun ("a spokesman for the Rapid Support Forces, Khalid Osman, said"): inside the
        # source of a role noun, a person named in apposition is still the speaker.
        own = [t for t in head.children if t.dep_ == "appos"]
        deeper = (
            [
                t
                for t in head.subtree
                if t.dep_ == "appos" and t.head.i != head.i and source[0] <= t.idx < source[1]
            ]
            if head.lower_ in ROLE_NOUNS
            else []
        )
        for token in own + deeper:
            entity = self.mention_at(
                token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text), token
            )
            if entity is not None and (token.head.i == head.i or entity.type == "PERSON"):
                return entity
        word = head.lower_
        if word in PERSON_PRONOUNS:
            return self._antecedent(head, {"PERSON"}, PERSON_PRONOUNS[word])
        if word in PLURAL_PRONOUNS or word in THING_PRONOUNS:
            return self._antecedent(head, {"ORG", "GPE", "NORP"}, None)
        phrase = self.text[source[0] : source[1]]
        for ent in self.entities:
            # A surname the model did not tag: "Marques said" after "Helena Marques".
            names = {ent.name.lower(), *(a.lower() for a in ent.aliases)}
            if phrase.lower() in names or (ent.type == "PERSON" and head.text == ent.name.split()[-1]):
                return ent
        if word in ROLE_NOUNS and not head.ent_type_:
            return self._by_role(word, source[0])
        if head.pos_ == "NOUN":
            return self._by_description(head, source[0])
        return None

    def _by_description(self, head: Token, position: int) -> Entity | None:
        """ "the coast guard", "the ministry": the organisation named before with those last words
        ("China Coast Guard", "Interior Ministry"), the latest one when several are."""
        words = [t.lower_ for t in head.lefts if t.dep_ == "compound"] + [head.lower_]
        best: tuple[int, Entity] | None = None
        for s, _, ent in self.mentions:
            if s >= position or ent.type != "ORG":
                continue
            if ent.name.lower().split()[-len(words) :] == words and (best is None or s > best[0]):
                best = (s, ent)
        return best[1] if best else None

    def _by_role(self, noun: str, position: int) -> Entity | None:
        """ "the minister": the person last introduced with that role; else, in a lede that names the
        person only after ("…, the regional governor said. … Odesa regional governor Oleh Marchenko
        wrote"), the first person given that role within the next paragraphs; else the last person who
        spoke, when the article gave them no other role ("Helena Marques said … ' …,' the minister said")."""
        best: tuple[int, Entity] | None = None
        for s, _, ent in self.mentions:
            is_role = ent.type == "PERSON" and ent.role and noun in ent.role.lower().split()
            if s < position and is_role and (best is None or s > best[0]):
                best = (s, ent)
        if best:
            return best[1]
        for s, _, ent in self.mentions:
            is_role = ent.type == "PERSON" and ent.role and noun in ent.role.lower().split()
            if position < _LEDE_CHARS and position < s < position + _CATAPHORA_CHARS and is_role:
                return ent
        if self.last_speaker is not None:
            at, ent = self.last_speaker
            if ent.type == "PERSON" and not ent.role and self.near(at, position):
                return ent
        return None

    def _antecedent(self, pronoun: Token, types: set[str], gender: str | None) -> Entity | None:
        """Who a pronoun source is: the speaker just before, when it fits ("…, Ms Pinto said. She added …"),
        else the antecedent the article's mentions give it (:mod:`newsgraph.extract.mentions`)."""
        position = pronoun.idx
        if self.last_speaker is not None:
            at, ent = self.last_speaker
            if ent.type in types and self.near(at, position) and gender_of(ent) in (None, gender):
                return ent
        found = self.by_id.get(self.coref.antecedent(position) or "")
        if found is not None and found.type in types and gender_of(found) in (None, gender):
            return found
        return None


class SpeakersMixin(_State):
    """Finding and resolving the sources of cues."""

    def _colon_speakers(self) -> None:
        """A name, a colon and what the name said: headlines ("Minister Paulo Rocha: ‘We will not raise
        taxes’", "Rocha: Curfew Ends Friday") and transcripts ("ROCHA: We met them twice."). The name opens
        its paragraph; what follows is a quote, or else the rest of the paragraph, which the colon takes from
        any attribution it was continuing."""
        for at in (m.start() for m in re.finditer(":", self.text)):
            mark = self.doc.char_span(at, at + 1)
            if mark is None or len(mark) != 1:
                continue
            colon = mark.start
            name = self._colon_name(colon)
            if name is None:
                continue
            after = colon + 1
            while after < len(self.doc) and self.doc[after].is_space:
                after += 1
            opening = self.doc[after].idx if after < len(self.doc) else -1
            quote = next((q for q in self.quotes if q[0] == opening), None)
            if quote is not None:
                span = self.doc.char_span(*quote, alignment_mode="expand")
            else:
                end = after
                while end < len(self.doc) and self.paragraph[end] == self.paragraph[colon]:
                    end += 1
                while end > after and self.doc[end - 1].is_space:
                    end -= 1
                span = self.doc[after:end]
            if span is None or sum(not t.is_punct for t in span) < 2:
                continue
            holders = self._holders(span)
            if quote is None:
                # A paragraph after "NAME:" is taken from an attribution it only continued; cues inside it
                # are attributions nested in it. A cue elsewhere in its own paragraph keeps it.
                holders = [g for g in holders if not span.start <= g.cue.start < span.end]
                if any(self.paragraph[g.cue.start] == self.paragraph[span.start] for g in holders):
                    continue
                for group in holders:
                    group.contents = [c for c in group.contents if not _overlaps_tokens(c, span)]
            elif holders:
                continue
            self.groups.append(_Group(cue=self.doc[colon : colon + 1], source=name, contents=[span]))

    def _colon_name(self, colon: int) -> Span | None:
        """The speaker's name before a colon that follows it at the head of its paragraph (after any
        opening quote mark), when it is a name: a few words, each a proper noun, a pronoun or part of the
        name of a person, organisation or country, or in capitals ("Editor's note:", "Two questions:",
        "UPDATE:" are not)."""
        para, first = self.paragraph[colon], colon
        while first > 0 and self.paragraph[first - 1] == para and not self.doc[first - 1].is_space:
            first -= 1
        while first < colon and self.doc[first].text in _OPENING_MARKS:
            first += 1
        name = self.doc[first:colon]
        if not 0 < len(name) <= 6:
            return None
        if any(t.lower_ in COLON_LABELS for t in name):
            return None
        # Transcripts write names in capitals, which the tagger often takes for other words.
        if all(t.pos_ in ("PROPN", "PRON") or t.ent_type_ in _SPEAKER_TYPES or t.is_upper for t in name):
            return name
        return None

    def _signed_quotes(self) -> list[_Group]:
        """Quotes signed with a dash and a name at the end of their line: "“We will rebuild.” ― Ana Lima",
        the way readers' voices and pull quotes are attributed. The dash is the cue, the name the source."""
        doc, text = self.doc, self.text
        found = []
        for start, end in self.quotes:
            dash = end
            while dash < len(text) and text[dash] in " \t\u00a0":
                dash += 1
            mark = next((d for d in _SIGNATURE_DASHES if text.startswith(d, dash)), None)
            if mark is None:
                continue
            line_end = text.find("\n", dash)
            line_end = len(text) if line_end < 0 else line_end
            line = text[dash + len(mark) : line_end]
            name_start = dash + len(mark) + len(line) - len(line.lstrip(_NAME_EDGES))
            name_end = dash + len(mark) + len(line.rstrip(_NAME_EDGES))
            name = doc.char_span(name_start, name_end, alignment_mode="contract")
            quote = doc.char_span(start, end, alignment_mode="expand")
            if name is None or quote is None or not 0 < len(name) <= _SIGNATURE_WORDS:
                continue
            if not all(t.pos_ == "PROPN" or t.is_punct or _INITIAL.fullmatch(t.text) for t in name):
                continue
            cue = doc.char_span(dash, dash + len(mark), alignment_mode="expand")
            if cue is not None:
                exact = ((dash, dash + len(mark)), (start, end))
                found.append(_Group(cue=cue, source=name, contents=[quote], exact=exact))
        return found

    # -- per attribution --------------------------------------------------------------------------------

    def _speaker_name(
        self, speaker: Entity | None, source: tuple[int, int], head: Token
    ) -> tuple[Entity | None, str]:
        """The speaker entity and the name an attribution gives it.

        A capital or seat of government speaking ("Beijing says …") is its country, the article's entity for
        it when there is one. An organisation described rather than named takes the name the article
        already gave it ("the interior ministry" after "the Interior Ministry", "the embassy" after "the
        Chilean embassy"), else one built from its country ("Germany's environment ministry" is the German
        Environment Ministry).
        """
        if head.lower_ in THING_PRONOUNS and self.described is not None:
            # "Germany's environment ministry said … It said …": "it" is the organisation just described,
            # which has no entity of its own, when no entity spoke since.
            at, name = self.described
            last = self.resolver.last_speaker
            if self.resolver.near(at, source[0]) and (last is None or last[0] < at):
                return None, name
        if speaker is not None and speaker.id in self.named:
            return speaker, self.named[speaker.id]  # "It said": the name its first statement gave it
        if speaker is not None and speaker.type in ("GPE", "ORG") and len(speaker.name.split()) == 1:
            match = countries.lookup(speaker.name)
            if match is not None and match.kind in _METONYM_KINDS:
                country = match.country
                same = next((e for e in self.entities if e.name == country.name), speaker)
                return same, country.name
        described = self._described(source, head) if head.lower_ in ORG_HEADS else None
        if described is not None and (
            speaker is None or (speaker.type == "ORG" and (speaker.name.islower() or self._possessor(head)))
        ):
            if speaker is None:
                self.described = (source[0], described)
            return speaker, described
        return speaker, speaker.name if speaker else self._phrase(source)

    @staticmethod
    def _possessor(head: Token) -> Token | None:
        """A country that owns the organisation: "Germany" in "Germany's environment ministry"."""
        return next((c for c in head.lefts if c.dep_ == "poss" and c.ent_type_ == "GPE"), None)

    def _described(self, source: tuple[int, int], head: Token) -> str | None:
        owner = self._possessor(head)
        demonym = None
        if owner is not None:
            start = owner.right_edge.i + 1
            owner_text = self.text[owner.left_edge.idx : owner.idx + len(owner.text)]
            country = countries.by_name(owner_text)
            names = countries.demonyms_of(country) if country else []
            demonym = names[0] if names else None
            if demonym is None:
                return None
        else:
            start = head.i
            while start > 0:
                left = self.doc[start - 1]
                if left.head.i != head.i or left.dep_ not in ("compound", "amod") or left.idx < source[0]:
                    break
                start -= 1
        words = self.doc[start : head.i + 1]
        # A description, not a name: "environment ministry", "Foreign Ministry", not "Yonhap News Agency".
        if not all(t.is_alpha and (t.is_lower or t.lower_ in _GENERIC_ORG_WORDS) for t in words):
            return None
        if len(words) == 1:
            # "South Korea's ministry": the latest organisation named before with that word in its name.
            for s, _, ent in reversed(self.resolver.mentions):
                if s < source[0] and ent.type == "ORG" and head.lower_ in ent.name.lower().split():
                    return self.named.get(ent.id, ent.name)
        description = " ".join(t.text for t in words)
        wanted = f"{demonym} {description}".lower() if demonym else description.lower()
        # The name given before: the same words in another case, or a longer name ending in them.
        for name in reversed(self.spoken):
            low = name.lower()
            if low == wanted or (demonym is None and low.endswith(" " + wanted)):
                return name
        for ent in self.entities:
            if ent.type == "ORG" and ent.name.lower() == wanted:
                return ent.name
        if demonym is None:
            return None
        if description.islower():
            description = " ".join(w.capitalize() for w in description.split())
        return f"{demonym} {description}"

    def _role(self, head: Token, speaker: Entity | None) -> str | None:
        words = [t for t in head.lefts if t.lower_ in ROLE_NOUNS or t.lower_ in ROLE_MODIFIERS]
        if head.lower_ in ROLE_NOUNS and not head.ent_type_:
            words.append(head)
        while words and words[-1].lower_ not in ROLE_NOUNS:
            words.pop()
        if words:
            found = " ".join(t.text for t in words)
            # "Trade Minister Kenji Ota": the parse may keep only "Minister" before the name; the role the
            # article gives the person ends with it.
            known = speaker.role if speaker else None
            if known and known.lower().endswith(found.lower()) and speaker and speaker.type == "PERSON":
                return known
            return found
        return speaker.role if speaker else None

    def _phrase(self, source: tuple[int, int]) -> str:
        """An unresolved speaker's name: the source phrase without a leading article."""
        text = self.text[source[0] : source[1]].strip()
        first, _, rest = text.partition(" ")
        return rest if first.lower() in ("the", "a", "an") and rest else text

    def _source_head(self, span: Span) -> Token:
        root = _root(span)
        # "Sterling Pratt, wine director at …": the name before the appositive is the head already; a
        # possessive source ("Trump's claim") has its head on the possessor.
        return root

    def _carve_source(self, group: _Group) -> None:
        """A cue whose subject the model swallowed into the content next to it: "…,” Ms Ribeiro was quoted
        as saying" tagged with "Ms Ribeiro" inside the content. The subject becomes the source."""
        root = _root(group.cue)
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        if subject is None:
            return
        first, last = subject.left_edge.i, subject.right_edge.i + 1
        for n, content in enumerate(group.contents):
            if content.start < first and last == content.end == group.cue.start:
                group.contents[n] = self.doc[content.start : first]
                group.source = self.doc[first:last]
                return

    def _inherit_source(self, group: _Group) -> None:
        """A cue in a clause that hangs from another verb shares that verb's subject: "Ms Ribeiro spoke to
        reporters, saying that …", "the ministry denied the report and promised to …". PolNeAR annotates
        that subject as the source of both; the tagger gives each token one role, so it tags it once."""
        node = _root(group.cue)
        if node.tag_ == "VBN":
            return  # "Asked about the talks, Ms Ribeiro said …": the subject was asked; someone else asked
        group.source = self._governing_subject(group, node)
        comma = group.cue.start > 0 and self.doc[group.cue.start - 1].text == ","
        if group.source is None and node.tag_ == "VBG" and comma:
            # "…, saying" where the parse hangs the participle elsewhere: the cue just before it speaks.
            earlier = [
                g
                for g in self.groups
                if g.source is not None
                and g.cue.end <= group.cue.start
                and self.paragraph[g.cue.start] == self.paragraph[group.cue.start]
            ]
            nearest = max(earlier, key=lambda g: g.cue.start, default=None)
            if nearest is not None and group.cue.start - nearest.cue.end <= _PARTICIPLE_REACH:
                group.source = nearest.source

    def _governing_subject(self, group: _Group, node: Token) -> Span | None:
        """The source of the verb that ``group``'s cue hangs from: its cue's source, or its subject."""
        for _ in range(_INHERIT_STEPS):
            if node.dep_ not in _INHERITING_DEPS or node.head.i == node.i:
                return None
            head = node.head
            for other in self.groups:
                if (
                    other is not group
                    and other.source is not None
                    and other.cue.start <= head.i < other.cue.end
                ):
                    return other.source
            subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
            if subject is not None and not self._mute_subject(subject):
                source = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
                return None if any(_overlaps_tokens(c, source) for c in group.contents) else source
            node = head
        return None

    @staticmethod
    def _mute_subject(subject: Token) -> bool:
        """A subject that cannot speak for a clause hung from its verb: the passive subject of a verb that is
        no cue ("… after the trip was cut short, saying …"), the speaker being further up."""
        if subject.dep_ != "nsubjpass" or subject.head.lemma_ in STRONG_SPEECH_VERBS:
            return False
        return subject.pos_ == "NOUN" and not subject.ent_type_ and subject.lower_ not in ROLE_NOUNS
