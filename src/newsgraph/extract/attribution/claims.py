"""Claims: contents with no source, marked by a hedge ("are thought to have met", "reportedly seized")."""

from __future__ import annotations

from newsgraph.extract.attribution.spans import (
    _char_span,
    _inside,
    _root,
    _State,
)
from newsgraph.extract.discourse import Hedges
from newsgraph.extract.lexicon import STRONG_SPEECH_VERBS


class ClaimsMixin(_State):
    """The hedged, unsourced claims of an article."""

    # -- hedges -----------------------------------------------------------------------------------------
    def hedge_clauses(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """``(cue, content)`` character spans of unsourced hedged claims: "are thought to have met",
        "reportedly seized".

        A passive report verb with an infinitive and no agent ("is believed to", "are said to"), or a hedging
        adverb, marks its clause as a claim with no source (:meth:`Hedges.claims`); the clause is the
        content, the hedge the cue. Its subject is part of what is claimed, not a source: "the North
        reportedly fired" names nobody who said so.
        """
        out = []
        for hedge in Hedges(self.doc).claims():
            clause = self.doc[hedge.clause]
            first, last = self.sent_start[clause.i], self.sent_end[clause.i]
            tokens = [t for t in clause.subtree if not t.is_space and first <= t.i < last]
            while tokens and tokens[0].is_punct:
                tokens.pop(0)
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            if tokens:
                out.append((_char_span([self.doc[i] for i in hedge.cue]), _char_span(tokens)))
        return out

    def _hedged_statements(
        self, hedged: list[tuple[tuple[int, int], tuple[int, int]]]
    ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Take from ``hedged`` the hedges inside a speech verb with a source: "The minister has reportedly
        told her counterpart that …" is the minister's statement, reported with a hedge, not a claim with no
        source ("Jakarta reportedly asked for …" stays a claim). Those groups are marked hedged; the other
        hedges are returned."""
        rest = []
        for cue, clause in hedged:
            group = next(
                (
                    g
                    for g in self.groups
                    if g.source is not None
                    and g.contents
                    and _inside(cue, _char_span(g.cue))
                    and _root(g.cue).lemma_ in STRONG_SPEECH_VERBS
                ),
                None,
            )
            if group is None:
                rest.append((cue, clause))
            else:
                group.hedged = True
        return rest
