"""Reporting chains: the relays a cue names ("was quoted as saying by Kyodo", "Yonhap quoted X as
saying", "told NHK"), attributions nested in another's content, and "according to" relays."""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Span, Token

from newsgraph.extract.attribution.spans import (
    _CLOSING_MARKS,
    _SUBJECTS,
    _char_span,
    _Group,
    _inside,
    _np_span,
    _root,
    _State,
)
from newsgraph.extract.entities import is_news_organisation
from newsgraph.extract.lexicon import (
    NON_SPEAKERS,
    STRONG_SPEECH_VERBS,
)
from newsgraph.schema import Attribution, Via

# Head nouns of a source that is itself reporting ("Reports from state media said …"): outlets named in it
# relay a later statement quoted with no agent.
_REPORT_NOUNS = frozenset({"report", "media", "broadcaster", "agency", "newspaper", "outlet", "press"})


class ChainsMixin(_State):
    """The ``via`` chains of attributions and the attributions nested in others."""

    def _passive_quotes(self) -> None:
        """ "X was quoted as saying (by Y) that …" and "…, X was quoted as saying (by Y).": the subject of the
        passive is the source, even where the model tagged it as content; the cue ends at "saying"; words
        of the cue and its agent ("as saying by Kyodo News") are no content."""
        doc = self.doc
        for group in self.groups:
            quote = next((t for t in group.cue if t.lemma_ == "quote" and t.pos_ == "VERB"), None)
            if quote is None:
                continue
            subject = next((c for c in quote.children if c.dep_ == "nsubjpass"), None)
            if subject is None:
                continue
            first, last = subject.left_edge.i, subject.right_edge.i + 1
            saying = next((t for t in quote.subtree if t.lemma_ == "say" and t.i > quote.i), None)
            cue_end = saying.i + 1 if saying is not None else group.cue.end
            agent_end = cue_end
            for t in doc[cue_end : self.sent_end[quote.i]]:
                if t.lower_ == "by" and t.head.i in (quote.i, saying.i if saying is not None else -1):
                    agent_end = t.right_edge.i + 1
                    break
            aux = [c.i for c in quote.children if c.dep_ in ("auxpass", "aux") and c.i < quote.i]
            cue_start = min([quote.i, *aux])
            if group.source is None or any(agent_end > t.i >= cue_end for t in group.source):
                group.source = doc[first:last]
                group.speaker_tok = subject
            kept = []
            for c in group.contents:
                if c.start >= first and c.end <= last:
                    continue  # the subject, tagged as content
                if c.start < first < c.end <= last:
                    c = doc[c.start : first]
                if c.start >= cue_start and c.end <= agent_end:
                    continue  # "as saying by Kyodo News"
                if c.start < agent_end <= c.end and c.start >= cue_start:
                    c = doc[agent_end : c.end]
                if any(not t.is_punct and not t.is_space for t in c):
                    kept.append(c)
            group.contents = kept
            group.cue = doc[cue_start:cue_end]
            if not group.contents and saying is not None:
                clause = next((c for c in saying.children if c.dep_ == "ccomp"), None)
                if clause is not None:
                    tokens = [t for t in clause.subtree if not t.is_space]
                    while tokens and tokens[-1].is_punct and tokens[-1].text not in _CLOSING_MARKS:
                        tokens.pop()
                    group.contents = [doc[tokens[0].i : tokens[-1].i + 1]]

    def _outside(self, contents: list[Span], start: int, end: int) -> list[Span]:
        """The parts of ``contents`` outside tokens ``[start, end)``, those with words."""
        out = []
        for c in contents:
            if c.start < start:
                c = self.doc[c.start : min(c.end, start)]
            elif c.start < end:
                c = self.doc[end : max(end, c.end)]
            if any(not t.is_punct and not t.is_space for t in c):
                out.append(c)
        return out

    def carry_via(self, found: list[Attribution]) -> None:
        """ "… Xinhua quoted Mr Ota as saying. / Mr Ota also said …": a statement with no relay of its own
        keeps the relay of the speaker's statement just before it (in its paragraph or the one before) when
        no other source speaks between them."""
        ordered = sorted((a for a in found if a.cue is not None and not a.nested), key=lambda a: a.cue[0])
        for before, after in pairwise(ordered):
            if after.via or not before.via or after.speaker is None or after.speaker != before.speaker:
                continue
            first = self.doc.char_span(*before.cue, alignment_mode="expand")
            second = self.doc.char_span(*after.cue, alignment_mode="expand")
            if first is None or second is None:
                continue
            if self.paragraph[second.start] - self.paragraph[first.start] <= 1:
                after.via = list(before.via)

    def _earlier_outlets(self, group: _Group) -> list[Via]:
        """The outlets named in the nearest earlier report in the same or the paragraph before ("Reports on
        Thursday from NHK and Kyodo …"), for a statement quoted with no agent."""
        best: list[Via] = []
        best_at = -1
        for other in self.groups:
            source = other.source
            if source is None or other is group or not other.cue.start < group.cue.start:
                continue
            if self.paragraph[group.cue.start] - self.paragraph[other.cue.start] > 1:
                continue
            if _root(source).lemma_.lower() not in _REPORT_NOUNS or other.cue.start <= best_at:
                continue
            start, end = _char_span(source)
            found = [
                Via(name=ent.name, span=(s, e), entity=ent.id)
                for s, e, ent in self.resolver.mentions
                if start <= s and e <= end and ent.type == "ORG"
            ]
            if found:
                best, best_at = found, other.cue.start
        return best

    def _chain(self, group: _Group) -> None:
        """Relays the cue names: "was quoted as saying by Kyodo", "Yonhap quoted X as saying", "told NHK"."""
        cue_root = _root(group.cue)
        verbs = [t for t in group.cue if t.pos_ in ("VERB", "AUX")] or [cue_root]
        quote = next((t for t in verbs if t.lemma_ == "quote"), None)
        if quote is not None:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in quote.children)
            if passive:
                agent = next(
                    (
                        t
                        for t in quote.subtree
                        if t.i > quote.i
                        and (
                            t.dep_ == "agent"
                            or (t.lower_ == "by" and (t.head == quote or t.head.lemma_ == "say"))
                        )
                    ),
                    None,
                )
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if obj is None:
                    group.via.extend(self._earlier_outlets(group))
                if obj is not None:
                    group.via.append(self.via_for(obj))
                    subject = next((c for c in quote.children if c.dep_ == "nsubjpass"), None)
                    if subject is not None and group.source is not None and obj in group.source:
                        # The model took the relaying agency for the source; the speaker is the one quoted,
                        # whom it may have left at the end of the content ("…,” Ms Ribeiro was quoted").
                        first, last = subject.left_edge.i, subject.right_edge.i + 1
                        group.source = self.doc[first:last]
                        group.speaker_tok = subject
                        group.contents = [
                            self.doc[c.start : first] if c.start < first < c.end <= last else c
                            for c in group.contents
                        ]
            else:
                obj = next((c for c in quote.children if c.dep_ == "dobj"), None)
                # "the news agency Lusa quoted …": the parse may make both nouns subjects; the name relays.
                subjects = [c for c in quote.children if c.dep_ in _SUBJECTS]
                subject = next(
                    (c for c in subjects if c.ent_type_ == "ORG"), subjects[0] if subjects else None
                )
                if obj is not None and subject is not None:
                    group.via.append(self.via_for(subject))
                    group.source = self.doc[obj.left_edge.i : obj.i + 1]
                    group.speaker_tok = obj
                    # The content is what follows "as saying" or comes before the relay ("…, Xinhua
                    # quoted Mr Ota as saying"), not the person quoted.
                    saying = next((t for t in quote.subtree if t.lemma_ == "say" and t.i > obj.i), None)
                    after = obj.right_edge.i + 2
                    if saying is None and after < len(self.doc) and self.doc[after].lemma_ == "say":
                        saying = self.doc[after]  # "as saying" hung from another verb by the parse
                    if saying is not None:
                        group.contents = self._outside(
                            group.contents, min(obj.left_edge.i, quote.i), saying.i + 1
                        )
            return
        tell = next((t for t in verbs if t.lemma_ == "tell"), None)
        if tell is not None:
            obj = next((c for c in tell.children if c.dep_ in ("dobj", "dative")), None)
            if (
                obj is not None
                and obj.ent_type_ == "ORG"
                and is_news_organisation(self.doc[obj.left_edge.i : obj.i + 1].text)
            ):
                group.via.append(self.via_for(obj))

    def via_for(self, tok: Token) -> Via:
        start, end = _np_span(tok, self.text)
        entity = self.resolver.mention_at(start, end, tok)
        name = entity.name if entity else self.text[start:end]
        return Via(name=name, span=(start, end), entity=entity.id if entity else None)

    # -- nested attributions ----------------------------------------------------------------------------
    def mark_relayed(self, found: list[Attribution]) -> None:
        """ "The minister said the talks failed, according to KCNA": KCNA relayed what the minister said, so
        it is in that attribution's ``via`` (its own "according to" attribution stays, as PolNeAR has it)."""
        relays = [
            a for a in found if a.cue and self.text[a.cue[0] : a.cue[1]].lower().startswith("according to")
        ]
        relay_ids = {id(a) for a in relays}
        for relay in relays:
            for a in found:
                if id(a) in relay_ids or a.source is None or not _inside(a.content, relay.content):
                    continue
                if relay.speaker_name and relay.speaker_name not in {v.name for v in a.via}:
                    a.via.append(Via(name=relay.speaker_name, span=relay.source, entity=relay.speaker))

    def mark_nested(self, found: list[Attribution]) -> None:
        """An attribution whose cue lies inside another's reported content was relayed by that speaker."""
        for inner in found:
            if inner.cue is None:
                continue
            for outer in found:
                if outer is inner or outer.kind == "direct" or outer.source is None:
                    continue
                if outer.content[0] <= inner.cue[0] and inner.cue[1] <= outer.content[1]:
                    inner.nested = True
                    if outer.speaker_name and outer.speaker_name not in {v.name for v in inner.via}:
                        inner.via.append(
                            Via(name=outer.speaker_name, span=outer.source, entity=outer.speaker)
                        )
                        inner.via.extend(outer.via)
                    break

    def nested(self, outer: list[Attribution]) -> list[Attribution]:
        """Attributions inside another's content: "NHK reported that the minister said the talks failed"."""
        out: list[Attribution] = []
        taken = {a.cue for a in outer}
        for a in outer:
            if a.kind == "direct":
                continue
            span = self.doc.char_span(*a.content, alignment_mode="expand")
            if span is None:
                continue
            for verb in span:
                if verb.lemma_ not in STRONG_SPEECH_VERBS or verb.pos_ not in ("VERB", "AUX"):
                    continue
                subject = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
                comp = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis")), None)
                if subject is None or comp is None or subject.lower_ in NON_SPEAKERS:
                    continue
                cue = _char_span([verb])
                if cue in taken or not (span.start <= comp.left_edge.i and comp.right_edge.i < span.end):
                    continue
                source = _np_span(subject, self.text)
                content = self.content_span(self.doc[comp.left_edge.i : comp.right_edge.i + 1])
                if content[1] <= content[0]:
                    continue
                speaker = self.resolver.resolve(source, subject)
                relay = (
                    Via(
                        name=a.speaker_name or self.text[a.source[0] : a.source[1]],
                        span=a.source,
                        entity=a.speaker,
                    )
                    if a.source
                    else None
                )
                if relay is None or (speaker is not None and speaker.id == a.speaker):
                    continue
                out.append(
                    Attribution(
                        content=content,
                        kind=self.kind_of(content),
                        source=source,
                        cue=cue,
                        speaker=speaker.id if speaker else None,
                        speaker_name=speaker.name if speaker else self._phrase(source),
                        role=self._role(subject, speaker),
                        via=[relay, *a.via],
                        nested=True,
                    )
                )
                taken.add(cue)
        return out


def _outlet_words(name: str) -> set[str]:
    return {w.strip(".,'’").lower() for w in name.split()} - {"the", "news", ""}


def without_publisher(via: list[Via], outlet: str | None) -> list[Via]:
    """The chain less the article's own publisher: "she told the BBC" in a BBC News story, "Ahn told Reuters"
    in Reuters copy. The outlet that publishes the article relays everything in it, so naming it says
    nothing; a relay matches it when the words of one name (less "the" and "news") hold the other's."""
    if not outlet:
        return via
    own = _outlet_words(outlet)
    if not own:
        return via
    return [v for v in via if not ((words := _outlet_words(v.name)) and (words <= own or own <= words))]
