"""Reporting chains: the relays a cue names ("was quoted as saying by Kyodo", "Yonhap quoted X as
saying", "told NHK"), attributions nested in another's content, and "according to" relays."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.extract.attribution.spans import (
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


class ChainsMixin(_State):
    """The ``via`` chains of attributions and the attributions nested in others."""

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
                subject = next((c for c in quote.children if c.dep_ in _SUBJECTS), None)
                if obj is not None and subject is not None:
                    group.via.append(self.via_for(subject))
                    group.source = self.doc[obj.left_edge.i : obj.i + 1]
                    group.speaker_tok = obj
                    # The content is what follows "as saying", not the person quoted.
                    saying = next((t for t in quote.subtree if t.lemma_ == "say" and t.i > obj.i), None)
                    if saying is not None:
                        group.contents = [
                            self.doc[max(c.start, saying.i + 1) : c.end] if c.start <= saying.i < c.end else c
                            for c in group.contents
                            if c.end > saying.i + 1
                        ]
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
