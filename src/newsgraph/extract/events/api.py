"""find_events: the coder's entry point, and main_event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from newsgraph.extract.actors import infer_country, infer_target_country
from newsgraph.extract.discourse import Hedges
from newsgraph.extract.event_roles import RoleFinder, same_actor
from newsgraph.extract.events.found import Found
from newsgraph.extract.events.links import after, link, linkables, place_country, reported_by
from newsgraph.extract.events.main import choose_main, load_type_model
from newsgraph.extract.events.triggers import Coder
from newsgraph.extract.mentions import Coreference
from newsgraph.extract.plover import load_lexicon
from newsgraph.schema import Attribution, Entity, Event, Place, TimeRef


def find_events(
    doc: Doc,
    entities: Sequence[Entity],
    places: Sequence[Place] = (),
    times: Sequence[TimeRef] = (),
    attributions: Sequence[Attribution] = (),
    reference: dt.date | None = None,
    *,
    main: bool = True,
    triggers: list[tuple[str, tuple[int, int]]] | None = None,
    coref: Coreference | None = None,
) -> list[Event]:
    """Code the events of a parsed article.

    Args:
        doc: The parsed Doc (dependency parse and entities).
        entities: The article's entities, ideally with ``country``/``sector`` from
            :func:`newsgraph.extract.actors.describe_entities`.
        places: Place mentions (``p1``…) to link as where an event happened.
        times: Time expressions (``t1``…) to link as when; a linked date after ``reference`` makes the
            event planned.
        attributions: The article's attributions; an event inside one's content is ``reported_by`` it.
        reference: The publication date.
        main: Mark the article's main event (:mod:`newsgraph.extract.events.main`), adding it when the
            rules did not code it; False gives the rules' events alone, none of them main.
        triggers: A list to fill with the type and span of every trigger the rules coded, also those
            with no party named (the main-event classifier reads them).
        coref: The pronoun antecedents of the ``newsgraph_coref`` component (``doc._.coref``); by default
            resolved from ``entities`` with the default window.

    Returns:
        Coded events in text order (``candidate`` False). An event needs an actor or a target that
        names someone; a trigger with neither ("the fighting went on") is not an event record, unless it
        is the main event.
    """
    lex = load_lexicon()
    coder = Coder(RoleFinder(doc, entities, attributions, lex, coref), lex, Hedges(doc))
    found = coder.run(doc)
    build = _Builder(doc, coder, places, times, attributions, reference)
    events: list[Event] = []
    seen: set[tuple[tuple[int, int], str]] = set()
    for item in sorted(found, key=lambda f: (f.trigger, not f.statement)):
        if (item.actor is None and item.target is None) or (item.trigger, item.type) in seen:
            continue
        if item.type == "CONSULT" and item.target is not None and item.target.sector == "JRN":
            continue  # "told reporters", "speaking to journalists": a statement, not a consultation
        seen.add((item.trigger, item.type))
        events.append(build.event(item))
    events.sort(key=lambda e: e.trigger)
    coded = [(f.type, f.trigger) for f in found]
    if triggers is not None:
        triggers.extend(coded)
    if not main:
        return events
    return choose_main(doc, events, load_type_model(), build.make, coded)


class _Builder:
    """Turns the coder's findings into Event records: parties, place, time, flags and reporter."""

    def __init__(
        self,
        doc: Doc,
        coder: Coder,
        places: Sequence[Place],
        times: Sequence[TimeRef],
        attributions: Sequence[Attribution],
        reference: dt.date | None,
    ) -> None:
        self.coder = coder
        self.attributions = attributions
        self.reference = reference
        self.place_spans = linkables(doc, [(p.id, p.span) for p in places])
        self.place_countries = {p.id: place_country(p) for p in places}
        self.time_spans = linkables(doc, [(t.id, t.span) for t in times if t.type not in ("DURATION", "SET")])
        self.values = {t.id: t.value for t in times}

    def event(self, item: Found) -> Event:
        actor, target = item.actor, item.target
        if (
            actor is not None
            and target is not None
            and (same_actor(actor, target) or actor.name == target.name)
        ):
            target = None  # a party is not its own target
        avoid = [a.span for a in (actor, target) if a is not None and a.span is not None]
        if item.type == "CONSULT" and item.mode == "visit":
            avoid = avoid[:1]  # the place visited is where the visit happens
        place = link(item, self.place_spans, avoid)
        action = self.coder.framed.get(item.token.i)
        if place is None and action is not None:
            place = link(action, self.place_spans, avoid)  # "threatened to impose a curfew in Algiers"
        time = None if item.statement else link(item, self.time_spans, ())
        place_country = self.place_countries.get(place or "")
        actor = infer_country(actor, target, place_country)
        target = infer_target_country(actor, target, place_country)
        return Event(
            trigger=item.trigger,
            type=item.type,
            mode=item.mode,
            actor=actor.entity if actor else None,
            target=target.entity if target else None,
            place=place,
            time=time,
            hedged=item.hedged,
            negated=item.negated,
            planned=item.planned or after(self.values.get(time or ""), self.reference),
            candidate=False,
            actor_name=actor.name if actor else None,
            actor_country=actor.code if actor else None,
            actor_sector=actor.sector if actor else None,
            target_name=target.name if target else None,
            target_country=target.code if target else None,
            target_sector=target.sector if target else None,
            reported_by=reported_by(item.trigger[0], self.attributions),
        )

    def make(self, tok: Token, event_type: str) -> Event | None:
        """The main event the classifier found at a word the rules did not code: its parties as the rules
        would give them (subject and object of a verb; possessor, "by" phrase or clause subject of a
        noun)."""
        found = self.coder.participants_of(tok, event_type)
        if found is None:
            return None
        return self.event(found)


def main_event(doc: Doc, events: Sequence[Event]) -> Event | None:
    """The event a sentence is mainly about: asserted before planned, then highest in the parse tree.

    Used to code one event per sentence, as PLOVER's gold records do: events neither planned nor negated
    come first, then the trigger closest to the root (steps into subordinate clauses and prepositional
    phrases count double), then text order.
    """
    best: tuple[tuple[int, int, int, int], Event] | None = None
    for event in events:
        span = doc.char_span(event.trigger[0], event.trigger[1], alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        depth = 0
        while tok.head.i != tok.i:
            depth += 2 if tok.dep_ in ("advcl", "relcl", "acl", "pcomp", "prep", "pobj") else 1
            tok = tok.head
        key = (int(event.negated), int(event.planned), depth, event.trigger[0])
        if best is None or key < best[0]:
            best = (key, event)
    return best[1] if best else None
