"""Events: who did what to whom, coded with PLOVER types from the dependency parse.

The coder reads one parsed Doc with its entities (country and sector already described), places, times
and attributions, and returns :class:`~newsgraph.schema.Event` records. Its rules, in the order they
apply to each clause (docs/events.md has the full account and examples):

1. **Triggers.** A verb whose lemma (or phrasal verb: "blow up", "call off") is in the lexicon
   (``data/plover_lexicon.json``) codes the sense whose conditions hold: "withdraw troops" is RETREAT,
   "withdraw inspectors" SANCTION. A light verb codes its event noun: "held talks" CONSULT, "imposed
   sanctions" SANCTION; an undoing verb reverses it ("lifted the curfew" CONCEDE, "suspended aid"
   SANCTION); a rejecting, requesting, preventing or threatening verb wraps it ("rejected the proposal"
   REJECT). An event noun with its own actor ("Ahn's visit to Seoul", "talks between A and B") is an
   event wherever it stands.
2. **Roles.** The actor is the subject (the "by" agent in the passive), inherited through
   coordination, control ("urged Iran to stop": Iran stops), raising ("are thought to have met") and
   participles ("after meeting Hayama, Marques said": Marques met); pronouns take the speaker of the
   clause that reports them ("Switzerland said it had expelled …") or the nearest earlier entity. The
   target is the direct or indirect object, else an object of with/to/against/on/from/for/between,
   looked for in the event noun's phrase as well ("sanctions on Russia"). In "Japan and Portugal
   agreed", Japan acts and Portugal is the other party.
3. **Frames.** An action that an actor announces, offers, promises or is willing to take is planned,
   and the announcement is an event of its own: cooperative actions make AGREE, hostile ones THREATEN
   (the PLOVER manual reads future-tense actions as intentions). "will visit" → AGREE now + CONSULT
   planned; "accepted an invitation to visit" → AGREE + CONSULT planned. Refused, demanded and
   threatened actions are not events themselves: "refused to withdraw" is one REJECT, "demanded that
   Iran stop" one REQUEST, and "said Iran must stop" a REQUEST by the speaker.
4. **Flags.** hedged ("are thought to have met", "reportedly", "may"), negated ("did not meet",
   "no talks", "failed to"), planned (future, intent, or a linked date after publication).
5. **Links.** The place and time phrases of the trigger's own clause, and the attribution whose content
   contains the trigger (``reported_by``).
6. **The main event.** One event per article is ``main``: the event the article is about, typed from its
   headline and lede by a linear classifier (:mod:`.main`), made when the rules coded none of that type.

Modules: :mod:`.triggers` (the coder and its trigger rules), :mod:`.participants`, :mod:`.frames` (frames,
negation), :mod:`.links`, :mod:`.main`, and :mod:`.api` (:func:`find_events`). Hedges and datelines come
from :mod:`newsgraph.extract.discourse`.
"""

from __future__ import annotations

from newsgraph.extract.events.api import find_events, main_event

__all__ = ["find_events", "main_event"]
